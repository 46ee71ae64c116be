/* store.h — the workspace: one SQLite database (WAL, schema versioned with
 * PRAGMA user_version).  This module owns the schema and every statement;
 * no other module writes SQL except the read-only `sql` interface.
 *
 * Tables (the SQL interface documented in man/alibi.1):
 *   incidents(id, slug, title, created_at, clock_offset_us, clock_note,
 *             clock_zone_us)
 *   sources(id, incident, path, format, kind, sha256, bytes, records,
 *           errors, clock, imported_at, abspath)
 *   messages(id, incident, source, seq, ts, role, agent, text, line)
 *   tool_calls(id, incident, source, message, call_id, name, args_json,
 *              command, result_text, is_error, started, ended, line)
 *   ops(id, incident, source, seq, ts, pid, ppid, op, syscall, path, path2,
 *       host, port, bytes, ok, errno, err_name, detail, derived, tool_call,
 *       line, raw)
 *   claims(id, incident, message, start, end, kind, verb, object, negated,
 *          rule, text)
 *   findings(id, incident, kind, severity, confidence, summary, because,
 *            rule, status, stable_key)
 *   evidence(id, finding, type, ref, role)   type: claim|op|message|tool_call
 *   annotations(id, incident, finding_key, author, verdict, tags, note,
 *               created_at, updated_at, committed_in, uid)
 *
 * ops.tool_call is NULL until analysis attributes the op (derived ops have
 * it from the start).  Times are µs in the source's clock; the aligned time
 * of an op is ts + incidents.clock_offset_us when its source's clock is not
 * "epoch". */
#ifndef ALIBI_STORE_H
#define ALIBI_STORE_H

#include <stdint.h>
#include "alibi/error.h"
#include "alibi/records.h"

struct store;

enum store_open_flags {
	STORE_READONLY = 1 << 0,   /* open an existing workspace read-only */
	STORE_CREATE   = 1 << 1    /* create the file (and its directory) */
};

/* path ":memory:" gives a private in-memory workspace. */
int store_open(const char *path, int flags, struct store **out,
               struct alibi_error *err);
void store_close(struct store *st);

/* $XDG_DATA_HOME/alibi/workspace.db, else ~/.local/share/alibi/... */
int store_default_path(char *buf, size_t size, struct alibi_error *err);

int store_begin(struct store *st, struct alibi_error *err);
int store_commit(struct store *st, struct alibi_error *err);
void store_rollback(struct store *st);
/* 1 when a connection may be handed from one thread to another (used by
 * one thread at a time): SQLite was built thread-safe. */
int store_thread_safe(void);
/* Sets the connection up for an import: a larger page cache, fewer
 * checkpoints (store.c says why). */
int store_bulk_load(struct store *st, struct alibi_error *err);
/* Ends it: the page cache shrinks back for what reads the workspace next. */
int store_bulk_load_end(struct store *st, struct alibi_error *err);

/* ---- incidents and sources ---- */

struct store_incident {
	int64_t id;
	const char *slug;
	const char *title;
	int64_t created_at;
	int64_t clock_offset_us;
	const char *clock_note;    /* how the offset was chosen */
	int64_t sources, messages, tool_calls, ops, findings;
	int64_t by_severity[4];    /* findings counted by alibi_severity */
};

/* Finds the incident with this slug or creates it.  *created (may be NULL)
 * tells which. */
int store_incident_ensure(struct store *st, const char *slug,
                          const char *title, int64_t *id, int *created,
                          struct alibi_error *err);
/* Looks an incident up by slug, or by numeric id given as text. */
int store_incident_find(struct store *st, const char *name, int64_t *id,
                        struct alibi_error *err);
/* Calls fn for every incident (or only id when id > 0); fn returns
 * non-zero to stop. */
int store_each_incident(struct store *st, int64_t id,
                        int (*fn)(void *ctx, const struct store_incident *inc),
                        void *ctx, struct alibi_error *err);
int store_incident_set_clock(struct store *st, int64_t incident,
                             int64_t offset_us, const char *note,
                             struct alibi_error *err);
/* The zone a reviewer gave the incident's time-of-day logs (--clock-offset;
 * µs east of UTC, +02:00 is 7200 s), kept so that analysing again keeps
 * it.  *given is 0 while the offset is estimated; setting given = 0
 * forgets it. */
int store_incident_clock_zone(struct store *st, int64_t incident, int *given,
                              int64_t *zone_us, struct alibi_error *err);
int store_incident_set_clock_zone(struct store *st, int64_t incident, int given,
                                  int64_t zone_us, struct alibi_error *err);

struct store_source {
	int64_t id;
	int64_t incident;
	const char *path;        /* as the user named it (what reports cite) */
	const char *format;
	const char *kind;        /* "transcript" or "actions" */
	const char *sha256;
	int64_t bytes;
	int64_t records;
	int64_t errors;
	enum alibi_clock clock;
	const char *abspath;     /* resolved at import; NULL when unknown */
};

/* The source of this incident with this sha256, or *id = 0. */
int store_source_find(struct store *st, int64_t incident, const char *sha256,
                      int64_t *id, struct alibi_error *err);
int store_source_add(struct store *st, const struct store_source *src,
                     int64_t *id, struct alibi_error *err);
int store_source_finish(struct store *st, int64_t source, int64_t records,
                        int64_t errors, enum alibi_clock clock,
                        struct alibi_error *err);
int store_each_source(struct store *st, int64_t incident,
                      int (*fn)(void *ctx, const struct store_source *src),
                      void *ctx, struct alibi_error *err);

/* ---- the records parsers produce ---- */

int store_add_message(struct store *st, int64_t incident, int64_t source,
                      const struct alibi_message *m, int64_t *id,
                      struct alibi_error *err);
int store_add_tool_call(struct store *st, int64_t incident, int64_t source,
                        const struct alibi_tool_call *tc, int64_t *id,
                        struct alibi_error *err);
/* Sets result_text/is_error/ended on the incident's latest tool call with
 * r->call_id.  *found says whether there was one. */
int store_set_tool_result(struct store *st, int64_t incident,
                          const struct alibi_tool_result *r, int *found,
                          struct alibi_error *err);
int store_add_op(struct store *st, int64_t incident, int64_t source,
                 const struct alibi_op *op, int64_t *id,
                 struct alibi_error *err);

/* Rows read back, with the row's id and its source's path. */
struct store_message_row {
	int64_t id;
	int64_t seq;
	const char *source_path;
	struct alibi_message m;
};
struct store_tool_call_row {
	int64_t id;
	const char *source_path;
	struct alibi_tool_call tc;
	const char *result_text;
	int is_error;
	int64_t ended;
};
struct store_op_row {
	int64_t id;
	int64_t seq;
	const char *source_path;
	enum alibi_clock clock;
	int64_t aligned_ts;   /* ts moved onto the incident's clock */
	struct alibi_op op;   /* op.tool_call is 0 when unattributed */
};

/* Iterate in order (messages by seq; tool calls by id; ops by aligned time,
 * then source (by content hash, so that the order the sources were
 * imported in does not matter) and line).  Strings are valid only during
 * the callback.  fn returns non-zero to stop.  Ops come without op.raw
 * (NULL): sorting every op's record text costs more than the rest of the
 * row, and a reader that wants it has views_raw_record(). */
int store_each_message(struct store *st, int64_t incident,
                       int (*fn)(void *ctx, const struct store_message_row *r),
                       void *ctx, struct alibi_error *err);
int store_each_tool_call(struct store *st, int64_t incident,
                         int (*fn)(void *ctx, const struct store_tool_call_row *r),
                         void *ctx, struct alibi_error *err);
int store_each_op(struct store *st, int64_t incident,
                  int (*fn)(void *ctx, const struct store_op_row *r),
                  void *ctx, struct alibi_error *err);
int store_set_op_tool_call(struct store *st, int64_t op, int64_t tool_call,
                           struct alibi_error *err);
/* Attributes the incident's syscall ops with ids first..last (both
 * included) to tool_call in one statement: analysis sets runs of ops. */
int store_set_ops_tool_call(struct store *st, int64_t incident, int64_t first,
                            int64_t last, int64_t tool_call,
                            struct alibi_error *err);

/* ---- analysis results ---- */

/* Deletes the incident's claims, findings and evidence, and clears the
 * attribution of its syscall ops (derived ops keep theirs).  Annotations
 * stay: they hang on findings by stable key. */
int store_clear_analysis(struct store *st, int64_t incident,
                         struct alibi_error *err);
/* The same, but the attribution of ops stays: analysis then writes only
 * the ops whose attribution changed (at 1M ops, clearing and setting all
 * of them again costs more than the rest of analysis). */
int store_clear_findings(struct store *st, int64_t incident,
                         struct alibi_error *err);

struct store_claim {
	int64_t message;
	int start, end;           /* byte span in the message text */
	enum alibi_claim_kind kind;
	const char *verb;
	const char *object;
	int negated;
	const char *rule;
	const char *text;         /* the matched text */
};
int store_add_claim(struct store *st, int64_t incident,
                    const struct store_claim *c, int64_t *id,
                    struct alibi_error *err);

struct store_finding {
	const char *kind;         /* "exfiltration", ... (DESIGN §5) */
	enum alibi_severity severity;
	double confidence;        /* 0..1 */
	const char *summary;
	const char *because;
	const char *rule;
	const char *stable_key;   /* hex; same kind + evidence -> same key */
};
enum store_evidence_type {
	STORE_EV_CLAIM, STORE_EV_OP, STORE_EV_MESSAGE, STORE_EV_TOOL_CALL
};
const char *store_evidence_type_name(enum store_evidence_type t);

int store_add_finding(struct store *st, int64_t incident,
                      const struct store_finding *f, int64_t *id,
                      struct alibi_error *err);
/* role: "claim", "action", "instruction", "context"... */
int store_add_evidence(struct store *st, int64_t finding,
                       enum store_evidence_type type, int64_t ref,
                       const char *role, struct alibi_error *err);

/* A finding with its evidence resolved to what a report shows. */
struct store_evidence_row {
	enum store_evidence_type type;
	int64_t ref;
	const char *role;
	const char *text;         /* claim text, message text, command, or op
	                             summary ("unlink /srv/x") */
	const char *path, *path2, *host;
	int port;                 /* -1 when none */
	const char *op;           /* op kind name for ops */
	int64_t ts;               /* aligned */
	const char *source;       /* source file path */
	int64_t line;
	int start, end;           /* claims: span in the message; else -1 */
	int64_t message;          /* claims: their message id */
};
struct store_finding_row {
	int64_t id;
	int64_t incident;
	const char *incident_slug;
	struct store_finding f;
	const char *status;
	const char *verdict;      /* latest annotation's verdict, or NULL */
	size_t evidence_count;
	const struct store_evidence_row *evidence;
};
/* Findings of one incident (or of all when incident == 0, by slug), most
 * severe first, then in the order analysis found them. */
int store_each_finding(struct store *st, int64_t incident,
                       int (*fn)(void *ctx, const struct store_finding_row *r),
                       void *ctx, struct alibi_error *err);

/* A claim with where its message is, for reports that read claims
 * back (compare); strings valid only during the callback. */
struct store_claim_row {
	int64_t id;
	const char *source_path;  /* the transcript */
	int64_t line;             /* its message's line there */
	struct store_claim c;     /* c.kind from the stored name */
};
/* The incident's claims in transcript order (message, then start). */
int store_each_claim(struct store *st, int64_t incident,
                     int (*fn)(void *ctx, const struct store_claim_row *r),
                     void *ctx, struct alibi_error *err);

/* ---- the read-only SQL interface ---- */

/* Runs one statement on a read-only connection (writes are refused by an
 * authorizer too).  fn is called with the column names once (row == -1)
 * and then once per row; values are text, NULL for SQL NULL. */
int store_query_readonly(struct store *st, const char *sql,
                         int (*fn)(void *ctx, int64_t row, int ncol,
                                   const char *const *names,
                                   const char *const *values),
                         void *ctx, struct alibi_error *err);

#endif
