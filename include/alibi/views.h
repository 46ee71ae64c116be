/* views.h — the queries the console pages through (src/store/views.c).
 *
 * Everything here is keyset-paged: a caller holds the key of a row and
 * asks for the rows after or before it, never an OFFSET, so a page costs
 * the same at row 10 and at row 1,000,000.  Rows are copied out (the
 * caller frees them with the matching *_free), so a caller may run other
 * queries while it holds them. */
#ifndef ALIBI_VIEWS_H
#define ALIBI_VIEWS_H

#include <stddef.h>
#include <stdint.h>
#include "alibi/error.h"
#include "alibi/records.h"
#include "alibi/store.h"
#include "alibi/strbuf.h"

/* The sort key of an op without a time: before every timed op. */
#define VIEWS_TS_UNKNOWN (INT64_MIN + 1)

/* Creates the indexes the console's queries need when they are missing
 * (a no-op on a workspace that has them).  Slow only the first time on a
 * big workspace; the progress handler (views_set_progress) can cancel it. */
int views_prepare(struct store *st, struct alibi_error *err);

/* Installs fn as the connection's progress handler: SQLite calls it every
 * few thousand steps of any query, and a non-zero return interrupts the
 * query (its caller then sees an error).  fn == NULL removes it. */
void views_set_progress(struct store *st, int (*fn)(void *ctx), void *ctx);
/* One read transaction around many queries (a search through every item):
 * without it each query takes and drops the workspace's read lock, which
 * costs more than reading a small row.  Nothing happens inside a write
 * transaction.  end closes what begin opened. */
void views_read_begin(struct store *st);
void views_read_end(struct store *st);

/* ---- the incidents list ---- */

struct views_incident_row {
	int64_t id;
	const char *slug, *title;
	int64_t sources;
	int64_t findings;
	int64_t by_severity[4];   /* indexed by alibi_severity */
	int64_t reviewed;         /* findings with a verdict */
};
int views_each_incident(struct store *st,
                        int (*fn)(void *ctx, const struct views_incident_row *r),
                        void *ctx, struct alibi_error *err);

/* ---- the timeline: one clock for both panes ---- */

/* An incident's sources and the offset that moves each onto the
 * incident's clock. */
struct views_source {
	int64_t id;
	char *path;
	char *kind;
	enum alibi_clock clock;
	int64_t offset_us;
};
struct views_timeline {
	int64_t incident;
	size_t source_count;
	struct views_source *sources;
};
int views_timeline_open(struct store *st, int64_t incident,
                        struct views_timeline *tl, struct alibi_error *err);
void views_timeline_close(struct views_timeline *tl);
const struct views_source *views_timeline_source(const struct views_timeline *tl,
                                                 int64_t id);

/* SAID: messages in transcript order, each followed by its tool calls.
 * sub is 0 for the message itself, else the tool call's id. */
struct views_said_key {
	int64_t seq, message, sub;
};
struct views_said_row {
	struct views_said_key key;
	int is_tool_call;
	int64_t ts;               /* ALIBI_TS_NONE when unknown */
	int64_t source;
	int64_t line;
	/* messages */
	char *role, *agent;
	char *text;               /* the first VIEWS_TEXT_CAP bytes */
	size_t text_len;
	int text_truncated;
	/* tool calls */
	char *name, *command, *args_json, *result;
	int is_error;
};
#define VIEWS_TEXT_CAP 65536

/* Fills rows[0..max) with the rows after key (forward) or before it
 * (backward), nearest first; key NULL starts at the first (last) row. */
int views_said_fetch(struct store *st, const struct views_timeline *tl,
                     const struct views_said_key *key, int forward,
                     struct views_said_row *rows, size_t max, size_t *n,
                     struct alibi_error *err);
void views_said_rows_free(struct views_said_row *rows, size_t n);

/* The SAID key of a message or tool call (*found 0 when it is not in the
 * incident). */
int views_said_key_of(struct store *st, const struct views_timeline *tl,
                      int is_tool_call, int64_t id,
                      struct views_said_key *key, int *found,
                      struct alibi_error *err);
/* The key of the last SAID row at or before time ts (aligned), or of the
 * first row when none is; *found 0 when the transcript is empty. */
int views_said_seek_time(struct store *st, const struct views_timeline *tl,
                         int64_t ts, struct views_said_key *key, int *found,
                         struct alibi_error *err);

/* A claim as a byte span of its message's text. */
struct views_claim_span {
	int64_t id;
	int start, end;
	enum alibi_claim_kind kind;
};
/* Up to max claims of a message, by start. */
int views_message_claims(struct store *st, const struct views_timeline *tl,
                         int64_t message,
                         struct views_claim_span *spans, size_t max,
                         size_t *n, struct alibi_error *err);

/* DID: ops of every source, merged on the incident's clock. */
struct views_did_key {
	int64_t t;                /* aligned time, VIEWS_TS_UNKNOWN when none */
	int64_t id;
};
struct views_op_row {
	struct views_did_key key;
	int64_t source;
	int64_t tool_call;        /* 0 when unattributed */
	int64_t line;
	int32_t pid;
	char *op, *syscall, *path, *path2, *host, *detail, *err_name;
	int port;                 /* -1 when none */
	int64_t bytes;            /* -1 when unknown */
	int ok;
	int derived;
	int after_call;           /* made after its tool call had returned
	                             (views_did_fetch only) */
};
int views_did_fetch(struct store *st, const struct views_timeline *tl,
                    const struct views_did_key *key, int forward,
                    struct views_op_row *rows, size_t max, size_t *n,
                    struct alibi_error *err);
void views_op_rows_free(struct views_op_row *rows, size_t n);
/* Calls fn with each op of one source after (before) key, in order, its
 * strings borrowed for the call; no copies, so a search can walk a
 * million ops quickly.  fn returns non-zero to stop; *stopped says
 * whether it did.  fn must not run views_* queries itself. */
int views_did_scan(struct store *st, const struct views_source *src,
                   const struct views_did_key *key, int forward,
                   int (*fn)(void *ctx, const struct views_op_row *row),
                   void *ctx, int *stopped, struct alibi_error *err);
/* The DID key of an op, or of the earliest op of a tool call. */
int views_did_key_of_op(struct store *st, const struct views_timeline *tl,
                        int64_t op, struct views_did_key *key, int *found,
                        struct alibi_error *err);
int views_did_key_of_tool_call(struct store *st, const struct views_timeline *tl,
                               int64_t tool_call, struct views_did_key *key,
                               int *found, struct alibi_error *err);

/* "bash: scp -r /srv/models backup:/srv" for a DID group header; out
 * gets the tool name and its command (or arguments). */
int views_tool_call_label(struct store *st, int64_t tool_call,
                          struct strbuf *out, struct alibi_error *err);

/* ---- one record, every column ---- */

/* Calls fn for every column of the record (name, value or NULL), then for
 * "source" (the source's path) when the record has one. */
int views_raw_record(struct store *st, enum store_evidence_type type,
                     int64_t id,
                     void (*fn)(void *ctx, const char *name, const char *value),
                     void *ctx, struct alibi_error *err);

#endif
