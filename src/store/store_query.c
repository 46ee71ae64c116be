/* store_query.c — the read-only SQL interface (`alibi sql`, the console's
 * `;` prompt).  Writes are refused twice over: an authorizer denies every
 * action but reading while the statement is prepared, and a statement
 * SQLite does not call read-only is refused before it runs. */
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "store_internal.h"

/* Pragmas that only read; anything else (and any pragma with a value) is
 * a write or a change of connection state. */
static const char *const readable_pragmas[] = {
	"table_info", "table_xinfo", "table_list", "index_list", "index_info",
	"index_xinfo", "foreign_key_list", "user_version", "schema_version",
	"function_list", "collation_list", "database_list", NULL
};

static int
authorize_read_only(void *ctx, int action, const char *a, const char *b,
                    const char *db, const char *trigger)
{
	(void)ctx; (void)db; (void)trigger;
	switch (action) {
	case SQLITE_SELECT:
	case SQLITE_READ:
	case SQLITE_FUNCTION:
	case SQLITE_RECURSIVE:
		return SQLITE_OK;
	case SQLITE_PRAGMA:
		if (b)
			return SQLITE_DENY;
		for (int i = 0; readable_pragmas[i]; i++)
			if (a && strcmp(a, readable_pragmas[i]) == 0)
				return SQLITE_OK;
		return SQLITE_DENY;
	default:
		return SQLITE_DENY;
	}
}

static int
only_whitespace(const char *s)
{
	/* A trailing comment or ';' is fine; another statement is not. */
	while (s && *s) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == ';') {
			s++;
		} else if (s[0] == '-' && s[1] == '-') {
			while (*s && *s != '\n')
				s++;
		} else {
			return 0;
		}
	}
	return 1;
}

static int
prepare_read_only(struct store *st, const char *sql, sqlite3_stmt **out,
                  struct alibi_error *err)
{
	const char *tail = NULL;
	sqlite3_set_authorizer(st->db, authorize_read_only, NULL);
	int rc = sqlite3_prepare_v2(st->db, sql, -1, out, &tail);
	sqlite3_set_authorizer(st->db, NULL, NULL);
	if (rc == SQLITE_AUTH || (rc == SQLITE_ERROR && strstr(sqlite3_errmsg(st->db), "not authorized")))
		return alibi_error_set(err, ALIBI_EUSAGE,
		                       "refused: the SQL interface is read-only (SELECT and WITH queries only)");
	if (rc != SQLITE_OK)
		return alibi_error_set(err, ALIBI_EUSAGE, "SQL error: %s", sqlite3_errmsg(st->db));
	if (!*out)
		return alibi_error_set(err, ALIBI_EUSAGE, "no SQL statement given");
	if (!only_whitespace(tail)) {
		sqlite3_finalize(*out);
		*out = NULL;
		return alibi_error_set(err, ALIBI_EUSAGE, "one SQL statement at a time, please");
	}
	if (!sqlite3_stmt_readonly(*out)) {
		sqlite3_finalize(*out);
		*out = NULL;
		return alibi_error_set(err, ALIBI_EUSAGE,
		                       "refused: the SQL interface is read-only (SELECT and WITH queries only)");
	}
	return 0;
}

int
store_query_readonly(struct store *st, const char *sql,
                     int (*fn)(void *ctx, int64_t row, int ncol,
                               const char *const *names,
                               const char *const *values),
                     void *ctx, struct alibi_error *err)
{
	sqlite3_stmt *s = NULL;
	if (prepare_read_only(st, sql, &s, err))
		return err->code;
	int ncol = sqlite3_column_count(s);
	const char **names = xcalloc((size_t)ncol + 1, sizeof *names);
	const char **values = xcalloc((size_t)ncol + 1, sizeof *values);
	for (int c = 0; c < ncol; c++)
		names[c] = sqlite3_column_name(s, c);
	int stop = fn(ctx, -1, ncol, names, NULL);
	int64_t row = 0;
	int rc = SQLITE_DONE;
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		for (int c = 0; c < ncol; c++)
			values[c] = (const char *)sqlite3_column_text(s, c);
		stop = fn(ctx, row++, ncol, names, values);
	}
	int result = 0;
	if (!stop && rc != SQLITE_DONE) {
		if (rc == SQLITE_INTERRUPT)
			result = alibi_error_set(err, ALIBI_EUSAGE, "query interrupted");
		else
			result = alibi_error_set(err, ALIBI_EUSAGE, "SQL error: %s",
			                         sqlite3_errmsg(st->db));
	}
	free(names);
	free(values);
	sqlite3_finalize(s);
	return result;
}
