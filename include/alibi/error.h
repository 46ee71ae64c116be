/* error.h — the one error type every module returns.
 *
 * Functions that can fail return 0 on success or an ALIBI_E* code, and fill
 * a caller-owned struct alibi_error with a message that already carries its
 * context ("trace.log:12: unterminated string").  Only cli/ turns an error
 * into an exit status.
 */
#ifndef ALIBI_ERROR_H
#define ALIBI_ERROR_H

#include <stddef.h>

enum alibi_error_code {
	ALIBI_OK = 0,
	ALIBI_EUSAGE,     /* the caller asked for something malformed */
	ALIBI_EIO,        /* a file could not be read or written */
	ALIBI_EFORMAT,    /* input is not in the expected format */
	ALIBI_EDB,        /* SQLite reported an error */
	ALIBI_ENOTFOUND,  /* a named thing does not exist */
	ALIBI_EGIT,       /* libgit2 reported an error */
	ALIBI_EINTERNAL   /* a bug in alibi */
};

struct alibi_error {
	int code;
	char msg[1024];
};

/* Fills err (which may be NULL) and returns code, so callers can write
 * `return alibi_error_set(err, ALIBI_EIO, "%s: %s", path, strerror(errno));`. */
int alibi_error_set(struct alibi_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Puts "context: " in front of an existing message. */
int alibi_error_prefix(struct alibi_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void alibi_error_clear(struct alibi_error *err);

#endif
