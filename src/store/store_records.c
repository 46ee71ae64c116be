/* store_records.c — messages, tool calls and operations: written by the
 * import driver, read back by analysis and reports. */
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "store_internal.h"

static const char SQL_MESSAGE_MAX_SEQ[] =
	"SELECT coalesce(max(seq), 0) FROM messages WHERE incident = ?1";
static const char SQL_OP_MAX_SEQ[] =
	"SELECT coalesce(max(seq), 0) FROM ops WHERE incident = ?1";
static const char SQL_MESSAGE_INSERT[] =
	"INSERT INTO messages(incident, source, seq, ts, role, agent, text, line)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char SQL_TOOL_CALL_INSERT[] =
	"INSERT INTO tool_calls(incident, source, message, call_id, name, args_json,"
	" command, started, line) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char SQL_TOOL_RESULT[] =
	"UPDATE tool_calls SET result_text = ?3, is_error = ?4, ended = ?5"
	" WHERE id = (SELECT id FROM tool_calls WHERE incident = ?1 AND call_id = ?2"
	" ORDER BY id DESC LIMIT 1)";
static const char SQL_OP_INSERT[] =
	"INSERT INTO ops(incident, source, seq, ts, pid, ppid, op, syscall, path, path2,"
	" host, port, bytes, ok, errno, err_name, detail, derived, tool_call, line, raw)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
	" ?17, ?18, ?19, ?20, ?21)";
static const char SQL_MESSAGE_LIST[] =
	"SELECT m.id, m.seq, s.path, m.ts, m.role, m.agent, m.text, m.line"
	" FROM messages m JOIN sources s ON s.id = m.source"
	" WHERE m.incident = ?1 ORDER BY m.seq";
static const char SQL_TOOL_CALL_LIST[] =
	"SELECT t.id, s.path, t.message, t.call_id, t.name, t.args_json, t.command,"
	" t.started, t.line, t.result_text, t.is_error, t.ended"
	" FROM tool_calls t JOIN sources s ON s.id = t.source"
	" WHERE t.incident = ?1 ORDER BY t.id";
/* An incident's ops in time order, one source at a time: each source is
 * one range of the index ops_by_source_line (store.c), read in order with
 * nothing to sort (see store_each_op). */
static const char SQL_OP_SOURCES[] =
	"SELECT s.id, s.path, s.clock, CASE WHEN s.clock IN ('time-of-day', 'relative')"
	" THEN i.clock_offset_us ELSE 0 END"
	" FROM sources s JOIN incidents i ON i.id = s.incident WHERE s.incident = ?1"
	" ORDER BY s.sha256";
static const char SQL_OP_OF_SOURCE[] =
	"SELECT o.id, o.seq, o.ts, o.pid, o.ppid, o.op, o.syscall, o.path, o.path2, o.host,"
	" o.port, o.bytes, o.ok, o.errno, o.err_name, o.detail, o.derived, o.tool_call, o.line"
	" FROM ops o WHERE o.source = ?1 AND +o.incident = ?2"
	" ORDER BY ifnull(o.ts, -9223372036854775807), o.line, o.id";
static const char SQL_OP_SET_TOOL_CALL[] =
	"UPDATE ops SET tool_call = ?2 WHERE id = ?1";
static const char SQL_OPS_SET_TOOL_CALL[] =
	"UPDATE ops SET tool_call = ?4 WHERE id BETWEEN ?2 AND ?3 AND +incident = ?1"
	" AND derived = 0";

/* The inserts below bind the caller's strings without a copy: each
 * statement is stepped and reset before the function returns, while the
 * strings are still the caller's, and store_stmt() clears the bindings
 * before the statement is used again.  A copy per column is most of the
 * cost of binding, and these run for every message, tool call and op. */
static void
bind_text_now(sqlite3_stmt *s, int col, const char *text)
{
	if (text)
		sqlite3_bind_text(s, col, text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, col);
}

static int
load_next_seq(struct store *st, int64_t incident, struct alibi_error *err)
{
	if (st->seq_incident == incident)
		return 0;
	const char *sqls[2] = { SQL_MESSAGE_MAX_SEQ, SQL_OP_MAX_SEQ };
	int64_t *next[2] = { &st->next_message_seq, &st->next_op_seq };
	for (int i = 0; i < 2; i++) {
		sqlite3_stmt *s = store_stmt(st, sqls[i], err);
		if (!s)
			return err->code;
		sqlite3_bind_int64(s, 1, incident);
		if (sqlite3_step(s) != SQLITE_ROW) {
			sqlite3_reset(s);
			return store_db_error(st, err, "reading sequence numbers");
		}
		*next[i] = sqlite3_column_int64(s, 0) + 1;
		sqlite3_reset(s);
	}
	st->seq_incident = incident;
	return 0;
}

int
store_add_message(struct store *st, int64_t incident, int64_t source,
                  const struct alibi_message *m, int64_t *id,
                  struct alibi_error *err)
{
	if (load_next_seq(st, incident, err))
		return err->code;
	sqlite3_stmt *s = store_stmt(st, SQL_MESSAGE_INSERT, err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, incident);
	sqlite3_bind_int64(s, 2, source);
	sqlite3_bind_int64(s, 3, st->next_message_seq);
	store_bind_ts(s, 4, m->ts);
	bind_text_now(s, 5, m->role ? m->role : "unknown");
	bind_text_now(s, 6, m->agent);
	bind_text_now(s, 7, m->text ? m->text : "");
	sqlite3_bind_int64(s, 8, m->line);
	if (store_exec_stmt(st, s, err, "adding a message"))
		return err->code;
	st->next_message_seq++;
	if (id)
		*id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int
store_add_tool_call(struct store *st, int64_t incident, int64_t source,
                    const struct alibi_tool_call *tc, int64_t *id,
                    struct alibi_error *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_TOOL_CALL_INSERT, err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, incident);
	sqlite3_bind_int64(s, 2, source);
	if (tc->message > 0)
		sqlite3_bind_int64(s, 3, tc->message);
	bind_text_now(s, 4, tc->call_id);
	bind_text_now(s, 5, tc->name);
	bind_text_now(s, 6, tc->args_json);
	bind_text_now(s, 7, tc->command);
	store_bind_ts(s, 8, tc->ts);
	sqlite3_bind_int64(s, 9, tc->line);
	if (store_exec_stmt(st, s, err, "adding a tool call"))
		return err->code;
	if (id)
		*id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int
store_set_tool_result(struct store *st, int64_t incident,
                      const struct alibi_tool_result *r, int *found,
                      struct alibi_error *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_TOOL_RESULT, err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, incident);
	bind_text_now(s, 2, r->call_id);
	bind_text_now(s, 3, r->text);
	sqlite3_bind_int(s, 4, r->is_error != 0);
	store_bind_ts(s, 5, r->ts);
	if (store_exec_stmt(st, s, err, "attaching a tool result"))
		return err->code;
	if (found)
		*found = sqlite3_changes(st->db) > 0;
	return 0;
}

int
store_add_op(struct store *st, int64_t incident, int64_t source,
             const struct alibi_op *op, int64_t *id, struct alibi_error *err)
{
	if (load_next_seq(st, incident, err))
		return err->code;
	sqlite3_stmt *s = store_stmt(st, SQL_OP_INSERT, err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, incident);
	sqlite3_bind_int64(s, 2, source);
	sqlite3_bind_int64(s, 3, st->next_op_seq);
	store_bind_ts(s, 4, op->ts);
	if (op->pid)
		sqlite3_bind_int(s, 5, op->pid);
	if (op->ppid)
		sqlite3_bind_int(s, 6, op->ppid);
	sqlite3_bind_text(s, 7, alibi_op_name(op->kind), -1, SQLITE_STATIC);
	bind_text_now(s, 8, op->syscall);
	bind_text_now(s, 9, op->path);
	bind_text_now(s, 10, op->path2);
	bind_text_now(s, 11, op->host);
	if (op->port >= 0)
		sqlite3_bind_int(s, 12, op->port);
	if (op->bytes >= 0)
		sqlite3_bind_int64(s, 13, op->bytes);
	sqlite3_bind_int(s, 14, op->ok != 0);
	if (op->err_no)
		sqlite3_bind_int(s, 15, op->err_no);
	bind_text_now(s, 16, op->err_name);
	bind_text_now(s, 17, op->detail);
	sqlite3_bind_int(s, 18, op->derived != 0);
	if (op->tool_call > 0)
		sqlite3_bind_int64(s, 19, op->tool_call);
	sqlite3_bind_int64(s, 20, op->line);
	bind_text_now(s, 21, op->raw);
	if (store_exec_stmt(st, s, err, "adding an operation"))
		return err->code;
	st->next_op_seq++;
	if (id)
		*id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

static int64_t
col_ts(sqlite3_stmt *s, int col)
{
	if (sqlite3_column_type(s, col) == SQLITE_NULL)
		return ALIBI_TS_NONE;
	return sqlite3_column_int64(s, col);
}

int
store_each_message(struct store *st, int64_t incident,
                   int (*fn)(void *ctx, const struct store_message_row *r),
                   void *ctx, struct alibi_error *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_MESSAGE_LIST, err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, incident);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_message_row r = {
			.id = sqlite3_column_int64(s, 0),
			.seq = sqlite3_column_int64(s, 1),
			.source_path = store_col_text(s, 2),
			.m = {
				.ts = col_ts(s, 3),
				.role = store_col_text(s, 4),
				.agent = store_col_text(s, 5),
				.text = store_col_text(s, 6),
				.line = sqlite3_column_int64(s, 7),
			},
		};
		if (fn(ctx, &r))
			break;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_error(st, err, "reading messages");
	return 0;
}

int
store_each_tool_call(struct store *st, int64_t incident,
                     int (*fn)(void *ctx, const struct store_tool_call_row *r),
                     void *ctx, struct alibi_error *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_TOOL_CALL_LIST, err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, incident);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_tool_call_row r = {
			.id = sqlite3_column_int64(s, 0),
			.source_path = store_col_text(s, 1),
			.tc = {
				.message = sqlite3_column_int64(s, 2),
				.call_id = store_col_text(s, 3),
				.name = store_col_text(s, 4),
				.args_json = store_col_text(s, 5),
				.command = store_col_text(s, 6),
				.ts = col_ts(s, 7),
				.line = sqlite3_column_int64(s, 8),
			},
			.result_text = store_col_text(s, 9),
			.is_error = sqlite3_column_int(s, 10),
			.ended = col_ts(s, 11),
		};
		if (fn(ctx, &r))
			break;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_error(st, err, "reading tool calls");
	return 0;
}

/* Fills an op from a row of SQL_OP_OF_SOURCE, starting at column first (o.ts);
 * op->raw is not read (store.h). */
static void
read_op(sqlite3_stmt *s, int first, struct alibi_op *op)
{
	int c = first;
	op->ts = col_ts(s, c++);
	op->pid = sqlite3_column_int(s, c++);
	op->ppid = sqlite3_column_int(s, c++);
	int kind = alibi_op_from_name(store_col_text(s, c++));
	op->kind = kind < 0 ? ALIBI_OP_exec : (enum alibi_op_kind)kind;
	op->syscall = store_col_text(s, c++);
	op->path = store_col_text(s, c++);
	op->path2 = store_col_text(s, c++);
	op->host = store_col_text(s, c++);
	op->port = sqlite3_column_type(s, c) == SQLITE_NULL ? -1 : sqlite3_column_int(s, c);
	c++;
	op->bytes = sqlite3_column_type(s, c) == SQLITE_NULL ? -1 : sqlite3_column_int64(s, c);
	c++;
	op->ok = sqlite3_column_int(s, c++);
	op->err_no = sqlite3_column_int(s, c++);
	op->err_name = store_col_text(s, c++);
	op->detail = store_col_text(s, c++);
	op->derived = sqlite3_column_int(s, c++);
	op->tool_call = sqlite3_column_int64(s, c++);
	op->line = sqlite3_column_int64(s, c++);
	op->raw = NULL;
}

/* One source's ops, read in its own order, for store_each_op's merge. */
struct op_cursor {
	sqlite3_stmt *s;
	int64_t source;
	char *path;
	enum alibi_clock clock;
	int64_t offset;          /* added to its times to put them on the incident's clock */
	int rc;                  /* of the last step: SQLITE_ROW while it has one */
};

static int
cursors_open(struct store *st, int64_t incident, struct op_cursor **out, size_t *count,
             struct alibi_error *err)
{
	*out = NULL;
	*count = 0;
	sqlite3_stmt *s = store_stmt(st, SQL_OP_SOURCES, err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, incident);
	struct op_cursor *v = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		void *items = v;
		grow_array(&items, sizeof *v, &cap, n + 1);
		v = items;
		struct op_cursor *c = &v[n++];
		memset(c, 0, sizeof *c);
		c->source = sqlite3_column_int64(s, 0);
		c->path = xstrdup(store_col_text(s, 1) ? store_col_text(s, 1) : "");
		c->clock = store_clock_from_name(store_col_text(s, 2));
		c->offset = sqlite3_column_int64(s, 3);
	}
	sqlite3_reset(s);
	*out = v;
	*count = n;
	if (rc != SQLITE_DONE)
		return store_db_error(st, err, "reading an incident's sources");
	for (size_t i = 0; i < n; i++) {
		if (sqlite3_prepare_v2(st->db, SQL_OP_OF_SOURCE, -1, &v[i].s, NULL) != SQLITE_OK)
			return store_db_error(st, err, "preparing a statement");
		sqlite3_bind_int64(v[i].s, 1, v[i].source);
		sqlite3_bind_int64(v[i].s, 2, incident);
		v[i].rc = sqlite3_step(v[i].s);
	}
	return 0;
}

static void
cursors_close(struct op_cursor *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		sqlite3_finalize(v[i].s);
		free(v[i].path);
	}
	free(v);
}

/* Whether a's row comes before b's: unknown times first, then the time
 * on the incident's clock, the source (in the order of their content
 * hashes, so that the order they were imported in does not matter), the
 * line and the id. */
static int
cursor_before(const struct op_cursor *a, const struct op_cursor *b)
{
	int an = sqlite3_column_type(a->s, 2) == SQLITE_NULL;
	int bn = sqlite3_column_type(b->s, 2) == SQLITE_NULL;
	if (an != bn)
		return an;
	if (!an) {
		int64_t at = sqlite3_column_int64(a->s, 2) + a->offset;
		int64_t bt = sqlite3_column_int64(b->s, 2) + b->offset;
		if (at != bt)
			return at < bt;
	}
	if (a != b)
		return a < b;      /* cursors are in source order (SQL_OP_SOURCES) */
	int64_t al = sqlite3_column_int64(a->s, 18), bl = sqlite3_column_int64(b->s, 18);
	if (al != bl)
		return al < bl;
	return sqlite3_column_int64(a->s, 0) < sqlite3_column_int64(b->s, 0);
}

/* The ops of every source merged on the incident's clock.  The order is
 * the one a single "ORDER BY aligned time, source, line, id" would give,
 * without sorting every op of the incident: within a source the offset
 * is one constant, so each source's own time order is read from its
 * index and the sources are merged here. */
int
store_each_op(struct store *st, int64_t incident,
              int (*fn)(void *ctx, const struct store_op_row *r),
              void *ctx, struct alibi_error *err)
{
	struct op_cursor *v;
	size_t n;
	int rc = cursors_open(st, incident, &v, &n, err);
	while (rc == 0) {
		struct op_cursor *c = NULL;
		for (size_t i = 0; i < n; i++) {
			if (v[i].rc != SQLITE_ROW) {
				if (v[i].rc != SQLITE_DONE)
					rc = store_db_error(st, err, "reading operations");
				continue;
			}
			if (!c || cursor_before(&v[i], c))
				c = &v[i];
		}
		if (!c || rc)
			break;
		struct store_op_row r = {
			.id = sqlite3_column_int64(c->s, 0),
			.seq = sqlite3_column_int64(c->s, 1),
			.source_path = c->path,
			.clock = c->clock,
		};
		read_op(c->s, 2, &r.op);
		r.aligned_ts = r.op.ts == ALIBI_TS_NONE ? ALIBI_TS_NONE : r.op.ts + c->offset;
		if (fn(ctx, &r))
			break;
		c->rc = sqlite3_step(c->s);
	}
	cursors_close(v, n);
	return rc;
}

int
store_set_op_tool_call(struct store *st, int64_t op, int64_t tool_call,
                       struct alibi_error *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_OP_SET_TOOL_CALL, err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, op);
	if (tool_call > 0)
		sqlite3_bind_int64(s, 2, tool_call);
	return store_exec_stmt(st, s, err, "attributing an operation");
}

int
store_set_ops_tool_call(struct store *st, int64_t incident, int64_t first,
                        int64_t last, int64_t tool_call, struct alibi_error *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_OPS_SET_TOOL_CALL, err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, incident);
	sqlite3_bind_int64(s, 2, first);
	sqlite3_bind_int64(s, 3, last);
	if (tool_call > 0)
		sqlite3_bind_int64(s, 4, tool_call);
	return store_exec_stmt(st, s, err, "attributing operations");
}
