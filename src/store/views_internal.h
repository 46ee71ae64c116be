/* views_internal.h — what views.c, views_said.c and views_did.c share. */
#ifndef ALIBI_VIEWS_INTERNAL_H
#define ALIBI_VIEWS_INTERNAL_H

#include <stdint.h>
#include <sqlite3.h>

/* An op's sort key within its source: its time, or "unknown" before every
 * time.  The indexes views_prepare creates hold the same expression, so
 * SQLite pages on them. */
#define OP_KEY "ifnull(o.ts, -9223372036854775807)"

/* A column's text copied (NULL for SQL NULL). */
char *views_col_dup(sqlite3_stmt *s, int col);
/* A time column, ALIBI_TS_NONE for NULL. */
int64_t views_col_ts(sqlite3_stmt *s, int col);

#endif
