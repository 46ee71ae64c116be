/* compare.h — two runs of one task side by side (`alibi compare`).
 *
 * An agent that behaves when it is told it is watched and does otherwise
 * when it is told it is not shows itself in the difference between the
 * two runs.  compare_incidents() reads two analysed incidents and keeps
 * what only one of them has: operations, claims and kinds of finding.
 *
 * Operations are compared by what they did, not by when or by which
 * process: an op's identity is its kind, its paths (or host and port,
 * or for an exec its command line) and whether it failed.  Times, pids,
 * byte counts and the names mktemp and friends make up are left out, and
 * so is what the rules call noise (loader and locale reads, resolver
 * traffic; see alibi-rules(5)), so two runs that did the same thing
 * compare equal. */
#ifndef ALIBI_COMPARE_H
#define ALIBI_COMPARE_H

#include <stddef.h>
#include <stdint.h>
#include "alibi/error.h"
#include "alibi/records.h"
#include "alibi/rules.h"
#include "alibi/store.h"
#include "alibi/strbuf.h"

/* One distinct operation of a run (normalised; NULL/-1 when none). */
struct compare_op {
	enum alibi_op_kind kind;
	char *path, *path2, *host;
	int port;
	char *detail;            /* exec: the command line; chmod: mode; kill: signal */
	char *error;             /* a failed op's error ("ENOENT"); NULL when it worked */
	int64_t count;           /* how many times the run did it */
	char *source;            /* where the run first did it */
	int64_t line;
	int protected_asset;     /* a path is a protected asset (rules) */
	int hidden_place;        /* a path is in a hidden place (rules) */
};

/* One distinct claim of a run. */
struct compare_claim {
	enum alibi_claim_kind kind;
	char *verb, *object;     /* NULL when the claim has none */
	int negated;
	char *text;              /* as said, the first time */
	char *source;
	int64_t line;
	int64_t count;
};

/* A kind of finding and the run's findings of that kind. */
struct compare_kind {
	char *kind;
	enum alibi_severity severity;   /* the most severe of them */
	int64_t count;
	char *key;               /* the first one's stable key and summary */
	char *summary;
};

struct compare_side {
	int64_t incident;
	char *slug, *title;
	int has_action_log;      /* ops from a system log, not only commands */
	int64_t ops, claims, kinds;   /* distinct ones compared */
	/* What this run has and the other has not, in the run's order
	 * (kinds: most severe first). */
	struct compare_op *only_ops;
	size_t only_op_count;
	struct compare_claim *only_claims;
	size_t only_claim_count;
	struct compare_kind *only_kinds;
	size_t only_kind_count;
};

struct compare_result {
	struct compare_side a, b;
	int derived;             /* ops compared were derived from the commands,
	                            since a run has no action log */
	int64_t ops_both, claims_both, kinds_both;
	int64_t differences;     /* items in the four only_ lists together */
};

/* Compares incidents a and b (both analysed; see analyze.h).  rules
 * decide what is noise and what is a protected asset or hidden place. */
int compare_incidents(struct store *st, const struct rules *rules, int64_t a,
                      int64_t b, struct compare_result *out,
                      struct alibi_error *err);
void compare_result_free(struct compare_result *r);

/* The most severe kind of finding only one run has, 0 when none. */
int compare_worst_difference(const struct compare_result *r);

/* ---- the normalisation, for tests ---- */

/* Copies s with the made-up part of temporary names replaced by '*':
 * "/tmp/agent-harness.js5ljy" -> "/tmp/agent-harness.*" (and so every
 * path under it), "/tmp/tmpa8_3kq1z" -> "/tmp/tmp*".  Only the first name
 * under /tmp, /var/tmp and /dev/shm is touched, and only parts that look
 * random (six or more letters and digits with a digit or mixed case). */
void compare_normalise_names(const char *s, struct strbuf *out);
/* A claim's object for matching: lower case, words separated by one
 * space, punctuation around them dropped. */
void compare_normalise_words(const char *s, struct strbuf *out);
/* 1 when the op is left out of a comparison: what analysis ignores as
 * noise, and failed lookups (a shell searching PATH, a program probing
 * for a file or a terminal). */
int compare_op_is_noise(const struct rules *r, const struct alibi_op *op);

#endif
