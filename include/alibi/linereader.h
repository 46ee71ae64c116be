/* linereader.h — streaming lines of any length, with line numbers.
 *
 * Lines are returned without their "\n" (and without a "\r" before it).
 * A line longer than the reader's limit is still consumed whole, but only
 * its first `limit` bytes are returned and `truncated` is set, so a 10 MB
 * line costs at most `limit` bytes of memory. */
#ifndef ALIBI_LINEREADER_H
#define ALIBI_LINEREADER_H

#include <stdio.h>
#include <stddef.h>
#include <stdint.h>

struct linereader {
	FILE *fp;
	char *buf;
	size_t cap;
	size_t limit;        /* longest line kept, bytes */
	int64_t lineno;      /* number of the line last returned, 1-based */
	size_t len;          /* length of the line last returned */
	int truncated;       /* the last line was longer than limit */
	int missing_newline; /* the last line ended at EOF without "\n" */
	char *block;         /* bytes read ahead from fp, searched with memchr */
	size_t block_len, block_pos;
};

#define LINEREADER_DEFAULT_LIMIT (1u << 20)

void linereader_init(struct linereader *lr, FILE *fp, size_t limit);
/* Returns the next line (NUL-terminated, may contain NUL bytes: use len),
 * or NULL at end of file or on a read error (ferror(fp) tells which).
 * The line is the reader's, valid until the next call.
 * The reader reads ahead of the line it returns: once lines are read
 * through it, the file's position is the reader's. */
const char *linereader_next(struct linereader *lr);
void linereader_free(struct linereader *lr);

#endif
