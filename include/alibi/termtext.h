/* termtext.h — the one place that makes untrusted text safe for a terminal.
 *
 * Every string that comes from a transcript or a log passes through here
 * before it is printed or drawn.  Control characters and escape sequences
 * are rendered visibly (ESC as "^[", BEL as "^G", DEL as "^?", C1 controls
 * as "\x9b"), invalid UTF-8 becomes U+FFFD, and widths are counted in
 * terminal columns so wide (CJK, emoji) and combining characters keep
 * columns aligned. */
#ifndef ALIBI_TERMTEXT_H
#define ALIBI_TERMTEXT_H

#include <stddef.h>
#include "alibi/strbuf.h"

enum termtext_flags {
	TERMTEXT_KEEP_NEWLINES = 1 << 0,  /* pass '\n' through (multi-line views) */
	TERMTEXT_TABS_AS_SPACE = 1 << 1   /* a tab becomes one space, not "^I" */
};

/* Appends the safe rendering of s[0..n) to out.  Returns its width in
 * terminal columns. */
size_t termtext_escape(struct strbuf *out, const char *s, size_t n, int flags);

/* Like termtext_escape, but stops before the rendering would exceed
 * max_cols columns; never splits a character or an escape like "^[".
 * *consumed (may be NULL) is set to the input bytes used.  Returns the
 * columns written. */
size_t termtext_escape_cols(struct strbuf *out, const char *s, size_t n,
                            int flags, size_t max_cols, size_t *consumed);

/* Columns the safe rendering of s[0..n) takes. */
size_t termtext_width(const char *s, size_t n, int flags);

/* Decodes one UTF-8 character at s (n bytes available).  Returns its length
 * in bytes (>= 1) and stores the code point, or 0xFFFD for an invalid or
 * truncated sequence (length 1 then). */
size_t utf8_decode(const char *s, size_t n, unsigned *cp);

/* Columns a printable code point takes: 0 (combining), 1 or 2 (wide). */
int codepoint_width(unsigned cp);

/* Copies s into out, replacing invalid UTF-8 with U+FFFD, so the result is
 * valid UTF-8 (what the workspace stores). */
void utf8_sanitize(struct strbuf *out, const char *s, size_t n);

#endif
