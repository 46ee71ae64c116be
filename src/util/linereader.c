/* linereader.c — streaming lines of any length (see alibi/linereader.h).
 *
 * Bytes are read one at a time with getc_unlocked: stdio already buffers,
 * and reading byte by byte is what lets a line of any length cost at most
 * `limit` bytes.  A "\r" is held back until the next byte shows whether it
 * is the "\r" of a "\r\n" (dropped) or a byte of the line (kept). */
#include <stdio.h>
#include <stdlib.h>

#include "alibi/alloc.h"
#include "alibi/linereader.h"

#define LINEREADER_FIRST_CAP 256

void
linereader_init(struct linereader *lr, FILE *fp, size_t limit)
{
	lr->fp = fp;
	lr->buf = NULL;
	lr->cap = 0;
	lr->limit = limit ? limit : LINEREADER_DEFAULT_LIMIT;
	if (lr->limit > ((size_t)-1) / 2)
		lr->limit = ((size_t)-1) / 2;  /* so limit + 1 cannot wrap */
	lr->lineno = 0;
	lr->len = 0;
	lr->truncated = 0;
	lr->missing_newline = 0;
}

void
linereader_free(struct linereader *lr)
{
	free(lr->buf);
	lr->buf = NULL;
	lr->cap = 0;
	lr->len = 0;
}

/* Makes room for one more byte plus the NUL, never beyond limit + 1. */
static void
linereader_reserve(struct linereader *lr)
{
	if (lr->len + 1 < lr->cap)
		return;
	size_t cap = lr->cap ? lr->cap * 2 : LINEREADER_FIRST_CAP;
	if (cap > lr->limit + 1 || cap < lr->cap)
		cap = lr->limit + 1;
	lr->buf = xrealloc(lr->buf, cap);
	lr->cap = cap;
}

/* Keeps byte c when the line is still under the limit; counts it anyway. */
static void
linereader_keep(struct linereader *lr, int c)
{
	if (lr->len >= lr->limit) {
		lr->truncated = 1;
		return;
	}
	linereader_reserve(lr);
	lr->buf[lr->len++] = (char)c;
}

const char *
linereader_next(struct linereader *lr)
{
	int c, pending_cr = 0, any = 0;

	lr->len = 0;
	lr->truncated = 0;
	lr->missing_newline = 0;
	if (!lr->fp)
		return NULL;
	while ((c = getc_unlocked(lr->fp)) != EOF) {
		any = 1;
		if (c == '\n')
			break;
		if (pending_cr)
			linereader_keep(lr, '\r');
		pending_cr = c == '\r';
		if (!pending_cr)
			linereader_keep(lr, c);
	}
	if (c == EOF) {
		if (ferror(lr->fp) || !any)
			return NULL;
		/* A "\r" right before EOF is not part of a "\r\n": keep it. */
		if (pending_cr)
			linereader_keep(lr, '\r');
		lr->missing_newline = 1;
	}
	linereader_reserve(lr);
	lr->buf[lr->len] = '\0';
	lr->lineno++;
	return lr->buf;
}
