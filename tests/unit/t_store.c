/* t_store.c — the workspace: schema, records, findings, the SQL interface. */
#include "unit.h"

#include <sqlite3.h>
#include <time.h>
#include <unistd.h>

#include "alibi/store.h"
#include "../../src/store/store_internal.h"

static struct store *
open_memory(void)
{
	struct store *st = NULL;
	struct alibi_error err = { 0 };
	if (store_open(":memory:", STORE_CREATE, &st, &err))
		printf("#  store_open: %s\n", err.msg);
	return st;
}

static int64_t
make_source(struct store *st, int64_t inc, const char *path, const char *sha)
{
	struct alibi_error err = { 0 };
	struct store_source src = { .incident = inc, .path = path, .format = "strace",
	                            .kind = "actions", .sha256 = sha, .bytes = 10 };
	int64_t id = 0;
	CHECK_INT(store_source_add(st, &src, &id, &err), 0);
	return id;
}

static void
test_file_workspace_is_wal_and_versioned(void)
{
	char dir[256], path[300];
	CHECK(unit_tmpdir(dir, sizeof dir) != NULL);
	snprintf(path, sizeof path, "%s/sub/dir/ws.db", dir);
	struct store *st = NULL;
	struct alibi_error err = { 0 };
	CHECK_INT(store_open(path, STORE_CREATE, &st, &err), 0);
	int64_t id = 0;
	CHECK_INT(store_incident_ensure(st, "a", "A", &id, NULL, &err), 0);
	store_close(st);
	/* Reopening finds the same incident and does not migrate again. */
	CHECK_INT(store_open(path, STORE_READONLY, &st, &err), 0);
	int64_t again = 0;
	CHECK_INT(store_incident_find(st, "a", &again, &err), 0);
	CHECK_INT(again, id);
	store_close(st);
	char cmd[700];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	CHECK_INT(system(cmd), 0);
}

static void
test_incident_ensure_is_idempotent(void)
{
	struct store *st = open_memory();
	struct alibi_error err = { 0 };
	int64_t a = 0, b = 0;
	int created = 0;
	CHECK_INT(store_incident_ensure(st, "peer", "Peer", &a, &created, &err), 0);
	CHECK_INT(created, 1);
	CHECK_INT(store_incident_ensure(st, "peer", "Peer", &b, &created, &err), 0);
	CHECK_INT(created, 0);
	CHECK_INT(a, b);
	int64_t found = 0;
	CHECK_INT(store_incident_find(st, "1", &found, &err), 0);
	CHECK_INT(found, a);
	CHECK_INT(store_incident_find(st, "nope", &found, &err), ALIBI_ENOTFOUND);
	store_close(st);
}

static void
test_source_found_by_sha(void)
{
	struct store *st = open_memory();
	struct alibi_error err = { 0 };
	int64_t inc = 0, found = 0;
	store_incident_ensure(st, "x", NULL, &inc, NULL, &err);
	int64_t src = make_source(st, inc, "t.log", "abc");
	CHECK_INT(store_source_find(st, inc, "abc", &found, &err), 0);
	CHECK_INT(found, src);
	CHECK_INT(store_source_find(st, inc, "def", &found, &err), 0);
	CHECK_INT(found, 0);
	store_close(st);
}

struct op_seen { int count; int64_t ts[8]; char paths[8][64]; int64_t tool_call[8]; };

static int
collect_op(void *ctx, const struct store_op_row *r)
{
	struct op_seen *seen = ctx;
	if (seen->count < 8) {
		seen->ts[seen->count] = r->aligned_ts;
		snprintf(seen->paths[seen->count], 64, "%s", r->op.path ? r->op.path : "");
		seen->tool_call[seen->count] = r->op.tool_call;
	}
	seen->count++;
	return 0;
}

static void
test_ops_are_ordered_on_the_incident_clock(void)
{
	struct store *st = open_memory();
	struct alibi_error err = { 0 };
	int64_t inc = 0;
	store_incident_ensure(st, "x", NULL, &inc, NULL, &err);
	int64_t src = make_source(st, inc, "t.log", "abc");
	CHECK_INT(store_source_finish(st, src, 2, 0, ALIBI_CLOCK_TIME_OF_DAY, &err), 0);
	struct alibi_op op = { .kind = ALIBI_OP_unlink, .path = "/b", .ts = 2000000,
	                       .port = -1, .bytes = -1, .ok = 1, .line = 2 };
	CHECK_INT(store_add_op(st, inc, src, &op, NULL, &err), 0);
	op.path = "/a"; op.ts = 1000000; op.line = 1;
	int64_t first = 0;
	CHECK_INT(store_add_op(st, inc, src, &op, &first, &err), 0);
	CHECK_INT(store_incident_set_clock(st, inc, 500, "test", &err), 0);
	CHECK_INT(store_set_op_tool_call(st, first, 7, &err), 0);
	struct op_seen seen = { 0 };
	CHECK_INT(store_each_op(st, inc, collect_op, &seen, &err), 0);
	CHECK_INT(seen.count, 2);
	CHECK_STR(seen.paths[0], "/a");
	CHECK_INT(seen.ts[0], 1000500);
	CHECK_INT(seen.tool_call[0], 7);
	CHECK_STR(seen.paths[1], "/b");
	store_close(st);
}

static void
test_tool_result_attaches_to_latest_call(void)
{
	struct store *st = open_memory();
	struct alibi_error err = { 0 };
	int64_t inc = 0, msg = 0, tc = 0;
	store_incident_ensure(st, "x", NULL, &inc, NULL, &err);
	int64_t src = make_source(st, inc, "t.json", "abc");
	struct alibi_message m = { .ts = ALIBI_TS_NONE, .role = "assistant", .text = "hi", .line = 1 };
	CHECK_INT(store_add_message(st, inc, src, &m, &msg, &err), 0);
	struct alibi_tool_call call = { .message = msg, .call_id = "c1", .name = "bash",
	                                .args_json = "{}", .command = "ls", .ts = ALIBI_TS_NONE, .line = 1 };
	CHECK_INT(store_add_tool_call(st, inc, src, &call, &tc, &err), 0);
	struct alibi_tool_result r = { .call_id = "c1", .text = "out", .ts = ALIBI_TS_NONE };
	int found = 0;
	CHECK_INT(store_set_tool_result(st, inc, &r, &found, &err), 0);
	CHECK_INT(found, 1);
	r.call_id = "missing";
	CHECK_INT(store_set_tool_result(st, inc, &r, &found, &err), 0);
	CHECK_INT(found, 0);
	store_close(st);
}

struct finding_seen { int count; char kind[32]; char ev_text[128]; char ev_source[64]; int64_t ev_line; size_t ev_count; };

static int
collect_finding(void *ctx, const struct store_finding_row *r)
{
	struct finding_seen *seen = ctx;
	seen->count++;
	snprintf(seen->kind, sizeof seen->kind, "%s", r->f.kind);
	seen->ev_count = r->evidence_count;
	if (r->evidence_count > 1) {
		snprintf(seen->ev_text, sizeof seen->ev_text, "%s", r->evidence[1].text);
		snprintf(seen->ev_source, sizeof seen->ev_source, "%s", r->evidence[1].source);
		seen->ev_line = r->evidence[1].line;
	}
	return 0;
}

static void
test_findings_come_back_with_evidence(void)
{
	struct store *st = open_memory();
	struct alibi_error err = { 0 };
	int64_t inc = 0, msg = 0, claim = 0, opid = 0, f = 0;
	store_incident_ensure(st, "x", NULL, &inc, NULL, &err);
	int64_t src = make_source(st, inc, "t.log", "abc");
	struct alibi_message m = { .ts = ALIBI_TS_NONE, .role = "assistant",
	                           .text = "I did not copy anything.", .line = 3 };
	store_add_message(st, inc, src, &m, &msg, &err);
	struct store_claim c = { .message = msg, .start = 0, .end = 23,
	                         .kind = ALIBI_CLAIM_DENIAL, .verb = "copy", .text = "I did not copy anything" };
	CHECK_INT(store_add_claim(st, inc, &c, &claim, &err), 0);
	struct alibi_op op = { .kind = ALIBI_OP_connect, .host = "127.0.0.1", .port = 8022,
	                       .bytes = 4096, .ok = 1, .line = 42, .ts = ALIBI_TS_NONE };
	store_add_op(st, inc, src, &op, &opid, &err);
	struct store_finding fd = { .kind = "false-denial", .severity = ALIBI_SEV_HIGH,
	                            .confidence = 0.9, .summary = "s", .because = "b",
	                            .rule = "r", .stable_key = "k1" };
	CHECK_INT(store_add_finding(st, inc, &fd, &f, &err), 0);
	CHECK_INT(store_add_evidence(st, f, STORE_EV_CLAIM, claim, "claim", &err), 0);
	CHECK_INT(store_add_evidence(st, f, STORE_EV_OP, opid, "action", &err), 0);
	struct finding_seen seen = { 0 };
	CHECK_INT(store_each_finding(st, inc, collect_finding, &seen, &err), 0);
	CHECK_INT(seen.count, 1);
	CHECK_STR(seen.kind, "false-denial");
	CHECK_INT(seen.ev_count, 2);
	CHECK_STR(seen.ev_text, "connect 127.0.0.1:8022 (4096 bytes)");
	CHECK_STR(seen.ev_source, "t.log");
	CHECK_INT(seen.ev_line, 42);
	/* Re-analysis clears findings and claims but not the incident's ops. */
	CHECK_INT(store_clear_analysis(st, inc, &err), 0);
	seen.count = 0;
	store_each_finding(st, inc, collect_finding, &seen, &err);
	CHECK_INT(seen.count, 0);
	store_close(st);
}

struct rows { int header; int rows; char first[64]; };

static int
collect_rows(void *ctx, int64_t row, int ncol, const char *const *names,
             const char *const *values)
{
	struct rows *r = ctx;
	(void)names;
	if (row < 0) {
		r->header = ncol;
		return 0;
	}
	if (r->rows++ == 0)
		snprintf(r->first, sizeof r->first, "%s", values[0] ? values[0] : "NULL");
	return 0;
}

static void
test_sql_interface_reads_and_refuses_writes(void)
{
	struct store *st = open_memory();
	struct alibi_error err = { 0 };
	int64_t inc = 0;
	store_incident_ensure(st, "peer", NULL, &inc, NULL, &err);
	struct rows r = { 0 };
	CHECK_INT(store_query_readonly(st, "SELECT slug, id FROM incidents;", collect_rows, &r, &err), 0);
	CHECK_INT(r.header, 2);
	CHECK_INT(r.rows, 1);
	CHECK_STR(r.first, "peer");
	const char *writes[] = {
		"DELETE FROM incidents", "UPDATE incidents SET slug='x'",
		"INSERT INTO incidents(slug, created_at) VALUES ('y', 0)", "DROP TABLE ops",
		"PRAGMA user_version = 9", "ATTACH DATABASE '/tmp/x.db' AS x",
		"CREATE TABLE t(a)", "SELECT 1; DELETE FROM incidents",
	};
	for (size_t i = 0; i < sizeof writes / sizeof writes[0]; i++) {
		alibi_error_clear(&err);
		CHECK(store_query_readonly(st, writes[i], collect_rows, &r, &err) != 0);
		CHECK(err.msg[0] != '\0');
	}
	memset(&r, 0, sizeof r);
	CHECK_INT(store_query_readonly(st, "SELECT count(*) FROM incidents", collect_rows, &r, &err), 0);
	CHECK_STR(r.first, "1");
	CHECK(store_query_readonly(st, "SELEC nonsense", collect_rows, &r, &err) != 0);
	store_close(st);
}

/* Incidents the database file itself holds, the WAL left out (immutable
 * reads ignore it): what checkpoints have copied so far. */
static int
incidents_in_file(const char *path)
{
	char uri[400];
	snprintf(uri, sizeof uri, "file:%s?immutable=1", path);
	sqlite3 *db = NULL;
	int n = -1;
	sqlite3_stmt *s = NULL;
	if (sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "SELECT count(*) FROM incidents", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n;
}

static void
test_bulk_load_checkpoints_on_a_thread(void)
{
	char dir[256], path[300], wal[310];
	CHECK(unit_tmpdir(dir, sizeof dir) != NULL);
	snprintf(path, sizeof path, "%s/ws.db", dir);
	snprintf(wal, sizeof wal, "%s-wal", path);
	struct store *st = NULL;
	struct alibi_error err = { 0 };
	CHECK_INT(store_open(path, STORE_CREATE, &st, &err), 0);
	CHECK_INT(store_bulk_load(st, &err), 0);
	CHECK(st->ckpt != NULL);
	for (int i = 0; i < 20; i++) {
		char slug[32];
		int64_t id = 0;
		snprintf(slug, sizeof slug, "run-%d", i);
		CHECK_INT(store_begin(st, &err), 0);
		CHECK_INT(store_incident_ensure(st, slug, NULL, &id, NULL, &err), 0);
		CHECK_INT(store_commit(st, &err), 0);
	}
	/* The commits reach the database file while the connection is still
	 * open, without this thread checkpointing (it only waits, up to 20 s
	 * on a loaded machine: a bound for a hang, not a timing test). */
	int in_file = 0;
	for (int tries = 0; tries < 2000; tries++) {
		in_file = incidents_in_file(path);
		if (in_file == 20 && store_checkpointer_runs(st) >= 1)
			break;
		nanosleep(&(struct timespec){ 0, 10 * 1000 * 1000 }, NULL);
	}
	CHECK_INT(in_file, 20);
	CHECK(store_checkpointer_runs(st) >= 1);
	/* More commits after that, then the close copies what is left and
	 * removes the WAL. */
	int64_t id = 0;
	CHECK_INT(store_incident_ensure(st, "last", NULL, &id, NULL, &err), 0);
	store_close(st);
	CHECK(access(wal, F_OK) != 0);
	CHECK_INT(incidents_in_file(path), 21);
}

int
main(void)
{
	RUN(test_file_workspace_is_wal_and_versioned);
	RUN(test_bulk_load_checkpoints_on_a_thread);
	RUN(test_incident_ensure_is_idempotent);
	RUN(test_source_found_by_sha);
	RUN(test_ops_are_ordered_on_the_incident_clock);
	RUN(test_tool_result_attaches_to_latest_call);
	RUN(test_findings_come_back_with_evidence);
	RUN(test_sql_interface_reads_and_refuses_writes);
	return unit_done();
}
