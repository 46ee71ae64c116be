/* error.c — the one error type (see alibi/error.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "alibi/error.h"

int
alibi_error_set(struct alibi_error *err, int code, const char *fmt, ...)
{
	if (!err)
		return code;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	err->code = code;
	return code;
}

int
alibi_error_prefix(struct alibi_error *err, const char *fmt, ...)
{
	if (!err)
		return ALIBI_EINTERNAL;
	char prefix[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof prefix, fmt, ap);
	va_end(ap);
	/* Shift the old message right and put "prefix: " before it; the tail
	 * is cut when the two do not fit together. */
	size_t cap = sizeof err->msg;
	size_t plen = strlen(prefix) + 2;
	size_t old = strnlen(err->msg, cap - 1);
	if (plen + old >= cap)
		old = cap - 1 - plen;
	memmove(err->msg + plen, err->msg, old);
	err->msg[plen + old] = '\0';
	memcpy(err->msg, prefix, plen - 2);
	err->msg[plen - 2] = ':';
	err->msg[plen - 1] = ' ';
	return err->code;
}

void
alibi_error_clear(struct alibi_error *err)
{
	if (!err)
		return;
	err->code = ALIBI_OK;
	err->msg[0] = '\0';
}
