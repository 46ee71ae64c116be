/* textwrap.h — wrapping untrusted text into terminal-safe lines of a given
 * width, for reports printed by the command line. */
#ifndef ALIBI_TEXTWRAP_H
#define ALIBI_TEXTWRAP_H

#include <stddef.h>

struct wrapped_lines {
	char **lines;     /* each terminal-safe, at most width columns */
	size_t count, cap;
};

/* Appends the lines of text wrapped at width columns (words kept whole
 * where they fit, newlines kept as line breaks).  At most max_lines lines
 * are added (0: no limit); when text is cut, the last line says how many
 * lines were left out. */
void wrap_text(struct wrapped_lines *out, const char *text, size_t width,
               size_t max_lines);
/* Appends one line, made safe and cut at width columns. */
void wrap_add_line(struct wrapped_lines *out, const char *text, size_t width);
void wrapped_lines_free(struct wrapped_lines *w);

#endif
