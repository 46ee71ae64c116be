/* views.c — the queries behind the console (alibi/views.h): its indexes,
 * the incidents list, an incident's sources and clock offsets, and whole
 * records.  The SAID pane's queries are in views_said.c, the DID pane's in
 * views_did.c. */
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/views.h"
#include "store_internal.h"
#include "views_internal.h"


/* The expression in the ops indexes is OP_KEY's, so SQLite uses them. */
static const char *const index_sql[] = {
	"CREATE INDEX IF NOT EXISTS ops_by_source_time ON ops(source, ifnull(ts, -9223372036854775807))",
	"CREATE INDEX IF NOT EXISTS ops_by_tool_call_time ON ops(tool_call, source, ifnull(ts, -9223372036854775807))",
	"CREATE INDEX IF NOT EXISTS messages_by_time ON messages(incident, ts, seq)",
};

int
views_prepare(struct store *st, struct alibi_error *err)
{
	if (st->readonly)
		return 0;   /* queries still work, only slower */
	for (size_t i = 0; i < sizeof index_sql / sizeof index_sql[0]; i++) {
		char *msg = NULL;
		if (sqlite3_exec(st->db, index_sql[i], NULL, NULL, &msg) != SQLITE_OK) {
			alibi_error_set(err, ALIBI_EDB, "%s: creating the console's indexes: %s",
			                st->path, msg ? msg : sqlite3_errmsg(st->db));
			sqlite3_free(msg);
			return ALIBI_EDB;
		}
	}
	return 0;
}

void
views_read_begin(struct store *st)
{
	if (!st->in_transaction && sqlite3_get_autocommit(st->db) &&
	    sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK)
		st->reading = 1;
}

void
views_read_end(struct store *st)
{
	if (st->reading && sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	st->reading = 0;
}

void
views_set_progress(struct store *st, int (*fn)(void *ctx), void *ctx)
{
	sqlite3_progress_handler(st->db, fn ? 20000 : 0, fn, ctx);
}

/* ---- incidents ---- */

static const char SQL_INCIDENTS[] =
	"SELECT i.id, i.slug, i.title,"
	" (SELECT count(*) FROM sources s WHERE s.incident = i.id),"
	" ifnull(f.total, 0), ifnull(f.high, 0), ifnull(f.medium, 0),"
	" ifnull(f.low, 0), ifnull(f.reviewed, 0)"
	" FROM incidents i LEFT JOIN ("
	"  SELECT g.incident AS incident, count(*) AS total,"
	"   sum(g.severity = 'high') AS high, sum(g.severity = 'medium') AS medium,"
	"   sum(g.severity = 'low') AS low,"
	"   sum(EXISTS (SELECT 1 FROM annotations a WHERE a.incident = g.incident"
	"    AND a.finding_key = g.stable_key AND ifnull(a.verdict, '') <> '')) AS reviewed"
	"  FROM findings g GROUP BY g.incident) f ON f.incident = i.id"
	" ORDER BY i.id";

int
views_each_incident(struct store *st,
                    int (*fn)(void *ctx, const struct views_incident_row *r),
                    void *ctx, struct alibi_error *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_INCIDENTS, err);
	if (!s)
		return err->code;
	int rc = SQLITE_DONE;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct views_incident_row r = { 0 };
		r.id = sqlite3_column_int64(s, 0);
		r.slug = store_col_text(s, 1);
		r.title = store_col_text(s, 2);
		r.sources = sqlite3_column_int64(s, 3);
		r.findings = sqlite3_column_int64(s, 4);
		r.by_severity[ALIBI_SEV_HIGH] = sqlite3_column_int64(s, 5);
		r.by_severity[ALIBI_SEV_MEDIUM] = sqlite3_column_int64(s, 6);
		r.by_severity[ALIBI_SEV_LOW] = sqlite3_column_int64(s, 7);
		r.reviewed = sqlite3_column_int64(s, 8);
		if (fn(ctx, &r))
			break;
	}
	int failed = rc != SQLITE_ROW && rc != SQLITE_DONE;
	sqlite3_reset(s);
	return failed ? store_db_error(st, err, "listing incidents") : 0;
}

/* ---- the timeline's sources ---- */

static const char SQL_SOURCES[] =
	"SELECT s.id, s.path, s.kind, s.clock, i.clock_offset_us"
	" FROM sources s JOIN incidents i ON i.id = s.incident"
	" WHERE s.incident = ?1 ORDER BY s.id";

int
views_timeline_open(struct store *st, int64_t incident,
                    struct views_timeline *tl, struct alibi_error *err)
{
	memset(tl, 0, sizeof *tl);
	tl->incident = incident;
	sqlite3_stmt *s = store_stmt(st, SQL_SOURCES, err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, incident);
	size_t cap = 0;
	int rc = SQLITE_DONE;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		void *p = tl->sources;
		grow_array(&p, sizeof *tl->sources, &cap, tl->source_count + 1);
		tl->sources = p;
		struct views_source *src = &tl->sources[tl->source_count++];
		src->id = sqlite3_column_int64(s, 0);
		src->path = xstrdup(store_col_text(s, 1));
		src->kind = xstrdup(store_col_text(s, 2));
		src->clock = store_clock_from_name(store_col_text(s, 3));
		int moved = src->clock == ALIBI_CLOCK_TIME_OF_DAY ||
		            src->clock == ALIBI_CLOCK_RELATIVE;
		src->offset_us = moved ? sqlite3_column_int64(s, 4) : 0;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		views_timeline_close(tl);
		return store_db_error(st, err, "reading the incident's sources");
	}
	return 0;
}

void
views_timeline_close(struct views_timeline *tl)
{
	for (size_t i = 0; i < tl->source_count; i++) {
		free(tl->sources[i].path);
		free(tl->sources[i].kind);
	}
	free(tl->sources);
	tl->sources = NULL;
	tl->source_count = 0;
}

const struct views_source *
views_timeline_source(const struct views_timeline *tl, int64_t id)
{
	for (size_t i = 0; i < tl->source_count; i++)
		if (tl->sources[i].id == id)
			return &tl->sources[i];
	return NULL;
}

char *
views_col_dup(sqlite3_stmt *s, int col)
{
	const char *t = store_col_text(s, col);
	return t ? xstrndup(t, (size_t)sqlite3_column_bytes(s, col)) : NULL;
}

int64_t
views_col_ts(sqlite3_stmt *s, int col)
{
	if (sqlite3_column_type(s, col) == SQLITE_NULL)
		return ALIBI_TS_NONE;
	return sqlite3_column_int64(s, col);
}

static const char SQL_TOOL_CALL_LABEL[] =
	"SELECT name, command, args_json FROM tool_calls WHERE id = ?1";

int
views_tool_call_label(struct store *st, int64_t tool_call, struct strbuf *out,
                      struct alibi_error *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_TOOL_CALL_LABEL, err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, tool_call);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		const char *name = store_col_text(s, 0);
		const char *cmd = store_col_text(s, 1);
		sb_adds(out, name ? name : "tool");
		sb_adds(out, ": ");
		sb_adds(out, cmd ? cmd : store_col_text(s, 2));
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_error(st, err, "reading a tool call");
	return 0;
}

/* ---- raw records ---- */

static const char SQL_RAW_OP[] =
	"SELECT o.*, " STORE_ALIGNED_TS " AS aligned_ts, s.path AS source_path"
	" FROM ops o JOIN sources s ON s.id = o.source"
	" JOIN incidents i ON i.id = o.incident WHERE o.id = ?1";
static const char SQL_RAW_MESSAGE[] =
	"SELECT m.*, s.path AS source_path FROM messages m"
	" LEFT JOIN sources s ON s.id = m.source WHERE m.id = ?1";
static const char SQL_RAW_TOOL_CALL[] =
	"SELECT t.*, s.path AS source_path FROM tool_calls t"
	" LEFT JOIN sources s ON s.id = t.source WHERE t.id = ?1";
static const char SQL_RAW_CLAIM[] =
	"SELECT c.*, m.line AS message_line, s.path AS source_path FROM claims c"
	" LEFT JOIN messages m ON m.id = c.message"
	" LEFT JOIN sources s ON s.id = m.source WHERE c.id = ?1";

int
views_raw_record(struct store *st, enum store_evidence_type type, int64_t id,
                 void (*fn)(void *ctx, const char *name, const char *value),
                 void *ctx, struct alibi_error *err)
{
	const char *sql = type == STORE_EV_OP ? SQL_RAW_OP
	                : type == STORE_EV_MESSAGE ? SQL_RAW_MESSAGE
	                : type == STORE_EV_TOOL_CALL ? SQL_RAW_TOOL_CALL
	                : SQL_RAW_CLAIM;
	sqlite3_stmt *s = store_stmt(st, sql, err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		int ncol = sqlite3_column_count(s);
		for (int i = 0; i < ncol; i++)
			fn(ctx, sqlite3_column_name(s, i), store_col_text(s, i));
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return alibi_error_set(err, ALIBI_ENOTFOUND, "%s %lld is not in the workspace",
		                       store_evidence_type_name(type), (long long)id);
	if (rc != SQLITE_ROW)
		return store_db_error(st, err, "reading a record");
	return 0;
}
