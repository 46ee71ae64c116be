/* linereader.c — streaming lines of any length (see alibi/linereader.h).
 *
 * The file is read in blocks and each block searched for "\n" with memchr,
 * which is what keeps a million-line import from spending its time one
 * byte at a time; a line found whole in a block is returned in place, and
 * only one that spans two blocks is gathered in buf.  A line's bytes
 * beyond `limit` are counted but not kept, so a line of any length costs
 * at most `limit` bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/linereader.h"

#define LINEREADER_FIRST_CAP 256
#define LINEREADER_BLOCK (64 * 1024)

void
linereader_init(struct linereader *lr, FILE *fp, size_t limit)
{
	memset(lr, 0, sizeof *lr);
	lr->fp = fp;
	lr->limit = limit ? limit : LINEREADER_DEFAULT_LIMIT;
	if (lr->limit > ((size_t)-1) / 2)
		lr->limit = ((size_t)-1) / 2;  /* so limit + 1 cannot wrap */
}

void
linereader_free(struct linereader *lr)
{
	free(lr->buf);
	free(lr->block);
	lr->buf = NULL;
	lr->block = NULL;
	lr->cap = 0;
	lr->len = 0;
	lr->block_len = lr->block_pos = 0;
}

/* Makes room for need bytes plus the NUL, never beyond limit + 1. */
static void
linereader_reserve(struct linereader *lr, size_t need)
{
	if (need + 1 <= lr->cap)
		return;
	size_t cap = lr->cap ? lr->cap : LINEREADER_FIRST_CAP;
	while (cap < need + 1 && cap <= lr->limit)
		cap *= 2;
	if (cap > lr->limit + 1)
		cap = lr->limit + 1;
	lr->buf = xrealloc(lr->buf, cap);
	lr->cap = cap;
}

/* Keeps what still fits under the limit of s[0..n); *total counts all. */
static void
linereader_append(struct linereader *lr, const char *s, size_t n, size_t *total)
{
	*total += n;
	if (lr->len >= lr->limit)
		return;
	size_t room = lr->limit - lr->len;
	size_t take = n < room ? n : room;
	linereader_reserve(lr, lr->len + take);
	memcpy(lr->buf + lr->len, s, take);
	lr->len += take;
}

static int
linereader_fill(struct linereader *lr)
{
	if (!lr->block)
		lr->block = xmalloc(LINEREADER_BLOCK);
	lr->block_pos = 0;
	lr->block_len = fread(lr->block, 1, LINEREADER_BLOCK, lr->fp);
	return lr->block_len > 0;
}

/* A line that lies whole in the block, under the limit, is handed out
 * where it is: its "\n" (or the "\r" before it) becomes the NUL.  That is
 * nearly every line, and saves copying each one into buf. */
static const char *
next_in_block(struct linereader *lr)
{
	if (lr->block_pos >= lr->block_len)
		return NULL;
	char *start = lr->block + lr->block_pos;
	char *nl = memchr(start, '\n', lr->block_len - lr->block_pos);
	if (!nl)
		return NULL;
	size_t n = (size_t)(nl - start);
	if (n && start[n - 1] == '\r')
		n--;
	if (n > lr->limit)
		return NULL;
	start[n] = '\0';
	lr->len = n;
	lr->block_pos += (size_t)(nl - start) + 1;
	lr->lineno++;
	return start;
}

const char *
linereader_next(struct linereader *lr)
{
	size_t total = 0;       /* bytes of the line, kept or not */
	char last = '\0';       /* its last byte, to spot a "\r\n" */
	int ended = 0;

	lr->len = 0;
	lr->truncated = 0;
	lr->missing_newline = 0;
	if (!lr->fp)
		return NULL;
	const char *line = next_in_block(lr);
	if (line)
		return line;
	while (!ended) {
		if (lr->block_pos >= lr->block_len && !linereader_fill(lr)) {
			if (ferror(lr->fp) || total == 0)
				return NULL;
			lr->missing_newline = 1;
			break;
		}
		const char *start = lr->block + lr->block_pos;
		size_t avail = lr->block_len - lr->block_pos;
		const char *nl = memchr(start, '\n', avail);
		size_t n = nl ? (size_t)(nl - start) : avail;
		linereader_append(lr, start, n, &total);
		if (n)
			last = start[n - 1];
		lr->block_pos += n + (nl != NULL);
		ended = nl != NULL;
	}
	/* A "\r" right before the "\n" belongs to the line ending; one right
	 * before end of file does not. */
	size_t content = total;
	if (ended && last == '\r') {
		content--;
		if (lr->len > content)
			lr->len = content;
	}
	lr->truncated = content > lr->limit;
	linereader_reserve(lr, lr->len);
	lr->buf[lr->len] = '\0';
	lr->lineno++;
	return lr->buf;
}
