/* strbuf.h — the one growable string builder.
 *
 * buf is always NUL-terminated once anything was added; sb_str() returns ""
 * for an empty builder, never NULL. */
#ifndef ALIBI_STRBUF_H
#define ALIBI_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
};

#define STRBUF_INIT { NULL, 0, 0 }

void sb_init(struct strbuf *sb);
void sb_free(struct strbuf *sb);
void sb_reset(struct strbuf *sb);            /* len = 0, keeps memory */
void sb_add(struct strbuf *sb, const char *s, size_t n);
void sb_adds(struct strbuf *sb, const char *s);  /* NULL adds nothing */
void sb_addc(struct strbuf *sb, char c);
void sb_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
void sb_truncate(struct strbuf *sb, size_t len);
const char *sb_str(const struct strbuf *sb);
char *sb_detach(struct strbuf *sb);          /* caller frees; sb is reset */

/* Appends s as a JSON string literal, quotes included. */
void sb_add_json_string(struct strbuf *sb, const char *s);

#endif
