/* incident_fixture.h — small incidents built in a memory workspace for
 * the analysis tests: a transcript (messages, bash tool calls with their
 * output), a syscall log, ops derived from commands, and the findings
 * read back as text to search.
 *
 * Include after unit.h.  `rules` holds the rules analyze() uses: main()
 * loads them with load_default_rules().  What the text of a finding read
 * back holds of each piece of its evidence, after its type and role, is
 * its text and GOT_EVIDENCE: define that before including this header to
 * see more or less of it (GOT_EVIDENCE_PATH when not defined). */
#ifndef ALIBI_INCIDENT_FIXTURE_H
#define ALIBI_INCIDENT_FIXTURE_H

#include "alibi/analyze.h"
#include "alibi/store.h"
#include "../../src/analyze/analyze_internal.h"
#include "rules_fixture.h"

#define DAY (int64_t)1795910400000000   /* 2026-11-29T00:00:00Z in µs */
#define S(sec) ((int64_t)(sec) * 1000000)
#define MS(ms) ((int64_t)(ms) * 1000)

#define GOT_EVIDENCE_PATH   1u
#define GOT_EVIDENCE_HOST   2u
#define GOT_EVIDENCE_SOURCE 4u    /* "source:line" inside the brackets */
#ifndef GOT_EVIDENCE
#define GOT_EVIDENCE GOT_EVIDENCE_PATH
#endif

struct inc {
	struct store *st;
	int64_t id, transcript, log;
	int64_t line, log_line;
	int calls;
	const char *name;           /* the incident's slug and its folder under /cases */
};


/* A source of the incident, /cases/<name>/<file>, read whole. */
static inline int64_t
inc_source(struct inc *b, const char *file, const char *format, const char *kind,
           const char *sha256, enum alibi_clock clock)
{
	char path[256];
	snprintf(path, sizeof path, "/cases/%s/%s", b->name, file);
	struct store_source s = { .incident = b->id, .path = path, .format = format,
	                          .kind = kind, .sha256 = sha256 };
	struct alibi_error err = { 0 };
	int64_t id = 0;
	CHECK_INT(store_source_add(b->st, &s, &id, &err), 0);
	CHECK_INT(store_source_finish(b->st, id, 1, 0, clock, &err), 0);
	return id;
}

/* An incident named name with a transcript on UTC and no log yet. */
static inline void
inc_open_transcript(struct inc *b, const char *name)
{
	struct alibi_error err = { 0 };
	memset(b, 0, sizeof *b);
	b->name = name;
	CHECK_INT(store_open(":memory:", STORE_CREATE, &b->st, &err), 0);
	CHECK_INT(store_incident_ensure(b->st, name, "test", &b->id, NULL, &err), 0);
	b->transcript = inc_source(b, "transcript.json", "openai", "transcript", "aa",
	                           ALIBI_CLOCK_EPOCH);
}

/* An incident named name with a transcript on UTC and an strace log on
 * log_clock. */
static inline void
inc_open_named(struct inc *b, const char *name, enum alibi_clock log_clock)
{
	inc_open_transcript(b, name);
	b->log = inc_source(b, "actions.strace", "strace", "actions", "bb", log_clock);
}

/* The usual incident, "t": its log, when it has one, on a time-of-day
 * clock. */
static inline void
inc_open(struct inc *b, int with_log)
{
	if (with_log)
		inc_open_named(b, "t", ALIBI_CLOCK_TIME_OF_DAY);
	else
		inc_open_transcript(b, "t");
}

static inline int64_t
msg(struct inc *b, const char *role, const char *text, int64_t ts)
{
	struct alibi_message m = { .ts = ts, .role = role, .text = text, .line = ++b->line };
	struct alibi_error err = { 0 };
	int64_t id = 0;
	CHECK_INT(store_add_message(b->st, b->id, b->transcript, &m, &id, &err), 0);
	return id;
}

/* The output of the last tool call, back at ended, on the current line. */
static inline void
tcall_result(struct inc *b, const char *result, int64_t ended)
{
	char id[16];
	snprintf(id, sizeof id, "c%d", b->calls);
	struct alibi_tool_result r = { .call_id = id, .text = result, .ts = ended, .line = b->line };
	struct alibi_error err = { 0 };
	int found = 0;
	CHECK_INT(store_set_tool_result(b->st, b->id, &r, &found, &err), 0);
	CHECK(found);
}

/* A bash tool call made at ts and, when result is not NULL, its output,
 * back at ended. */
static inline int64_t
tcall_until(struct inc *b, int64_t message, const char *command, const char *result, int64_t ts,
            int64_t ended)
{
	char args[2048], id[16];
	snprintf(args, sizeof args, "{\"command\": \"%s\"}", command);
	snprintf(id, sizeof id, "c%d", ++b->calls);
	struct alibi_tool_call tc = { .message = message, .call_id = id, .name = "bash",
	                              .args_json = args, .command = command, .ts = ts,
	                              .line = b->line };
	struct alibi_error err = { 0 };
	int64_t row = 0;
	CHECK_INT(store_add_tool_call(b->st, b->id, b->transcript, &tc, &row, &err), 0);
	if (result)
		tcall_result(b, result, ended);
	return row;
}

/* A bash tool call whose output, when result is not NULL, came back a
 * second later. */
static inline int64_t
tcall(struct inc *b, int64_t message, const char *command, const char *result, int64_t ts)
{
	return tcall_until(b, message, command, result, ts, ts + S(1));
}

/* A syscall op of the log at ts on its clock (on a time-of-day clock, µs
 * since midnight); one not ok failed with EACCES.  Returns its row. */
static inline int64_t
sop(struct inc *b, int64_t ts, int pid, int ppid, enum alibi_op_kind kind, const char *path,
    const char *path2, const char *host, int port, int64_t bytes, int ok, const char *detail)
{
	struct alibi_op op = { .ts = ts, .pid = pid, .ppid = ppid, .kind = kind, .syscall = "x",
	                       .path = path, .path2 = path2, .host = host, .port = port,
	                       .bytes = bytes, .ok = ok, .detail = detail, .line = ++b->log_line,
	                       .err_name = ok ? NULL : "EACCES", .err_no = ok ? 0 : 13 };
	struct alibi_error err = { 0 };
	int64_t id = 0;
	CHECK_INT(store_add_op(b->st, b->id, b->log, &op, &id, &err), 0);
	return id;
}

#define EXEC(b, t, pid, ppid, argv) \
	sop(b, t, pid, ppid, ALIBI_OP_exec, "/usr/bin/x", NULL, NULL, -1, -1, 1, argv)
#define READ(b, t, pid, path, bytes) \
	sop(b, t, pid, 0, ALIBI_OP_open_read, path, NULL, NULL, -1, bytes, 1, NULL)
#define OP(b, t, pid, kind, path, path2) sop(b, t, pid, 0, kind, path, path2, NULL, -1, -1, 1, NULL)
#define UNLINK(b, t, pid, path) OP(b, t, pid, ALIBI_OP_unlink, path, NULL)

/* A derived op from a tool call's command (a transcript-only incident). */
static inline void
dop(struct inc *b, int64_t tool_call, enum alibi_op_kind kind, const char *path,
    const char *path2, const char *host, int port, const char *detail)
{
	struct alibi_op op = { .ts = ALIBI_TS_NONE, .kind = kind, .path = path, .path2 = path2,
	                       .host = host, .port = port, .bytes = -1, .ok = 1, .derived = 1,
	                       .tool_call = tool_call, .detail = detail, .line = b->line };
	struct alibi_error err = { 0 };
	CHECK_INT(store_add_op(b->st, b->id, b->transcript, &op, NULL, &err), 0);
}

/* The findings of an incident, in the order they are stored. */
struct got {
	size_t count;
	char kinds[32][32];
	char text[32][4096];        /* because | [type role] evidence ... */
	char keys[32][40];
	size_t evidence[32];
};

static inline int
on_finding(void *ctx, const struct store_finding_row *r)
{
	struct got *g = ctx;
	if (g->count >= 32)
		return 1;
	size_t i = g->count++;
	snprintf(g->kinds[i], sizeof g->kinds[i], "%s", r->f.kind);
	snprintf(g->keys[i], sizeof g->keys[i], "%s", r->f.stable_key);
	g->evidence[i] = r->evidence_count;
	char *t = g->text[i];
	size_t size = sizeof g->text[i];
	size_t n = (size_t)snprintf(t, size, "%s |", r->f.because);
	for (size_t k = 0; k < r->evidence_count && n < size; k++) {
		const struct store_evidence_row *e = &r->evidence[k];
		n += (size_t)snprintf(t + n, size - n, " [%s %s", store_evidence_type_name(e->type),
		                      e->role);
		if ((GOT_EVIDENCE & GOT_EVIDENCE_SOURCE) && n < size)
			n += (size_t)snprintf(t + n, size - n, " %s:%lld", e->source ? e->source : "",
			                      (long long)e->line);
		if (n < size)
			n += (size_t)snprintf(t + n, size - n, "] %s", e->text ? e->text : "");
		if ((GOT_EVIDENCE & GOT_EVIDENCE_PATH) && n < size)
			n += (size_t)snprintf(t + n, size - n, " %s", e->path ? e->path : "");
		if ((GOT_EVIDENCE & GOT_EVIDENCE_HOST) && n < size)
			n += (size_t)snprintf(t + n, size - n, " %s", e->host ? e->host : "");
	}
	return 0;
}

static inline void
dump(const struct got *g)
{
	for (size_t i = 0; i < g->count; i++)
		printf("#    %s: %.700s\n", g->kinds[i], g->text[i]);
}

static inline struct analyze_summary
analyze(struct inc *b, struct got *g)
{
	struct analyze_summary sum = { 0 };
	struct alibi_error err = { 0 };
	int rc = analyze_incident(b->st, b->id, rules, NULL, &sum, &err);
	if (rc)
		printf("#  analyze: %s\n", err.msg);
	CHECK_INT(rc, 0);
	memset(g, 0, sizeof *g);
	CHECK_INT(store_each_finding(b->st, b->id, on_finding, g, &err), 0);
	if (getenv("ALIBI_TEST_VERBOSE"))
		dump(g);
	return sum;
}

/* Whether a finding of that kind has object in its text (NULL: any). */
static inline int
found(const struct got *g, const char *kind, const char *object)
{
	for (size_t i = 0; i < g->count; i++)
		if (strcmp(g->kinds[i], kind) == 0 && (!object || strstr(g->text[i], object)))
			return 1;
	return 0;
}

/* How many findings of that kind have object in their text (NULL: any). */
static inline size_t
count_found(const struct got *g, const char *kind, const char *object)
{
	size_t n = 0;
	for (size_t i = 0; i < g->count; i++)
		if (strcmp(g->kinds[i], kind) == 0 && (!object || strstr(g->text[i], object)))
			n++;
	return n;
}

#define EXPECT(g, kind, object) do { \
	if (!found(g, kind, object)) { \
		unit_fail_at(__FILE__, __LINE__, "missing " kind " finding about " #object); \
		dump(g); \
	} \
} while (0)
#define EXPECT_NONE(g, kind) do { \
	if (found(g, kind, NULL)) { \
		unit_fail_at(__FILE__, __LINE__, "unexpected " kind " finding"); \
		dump(g); \
	} \
} while (0)
#define EXPECT_CLEAN(g) do { \
	EXPECT_NONE(g, "shutdown-tampering"); \
	EXPECT_NONE(g, "instruction-deviation"); \
} while (0)

#endif
