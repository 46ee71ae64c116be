/* analyze_internal.h — what the files of src/analyze/ share.  Nothing
 * outside src/analyze/ includes this (tests may, to reach the parts that
 * need no workspace); other modules see alibi/analyze.h and alibi/rules.h.
 *
 * The pieces, in the order analysis runs them:
 *   rules.c      parse and compile rules files (PCRE2 with JIT)
 *   claims.c     claims (assistant) and instructions (operator) in text
 *   objects.c    what a claim's object names: paths, agent names, hosts
 *   pool.c       interned strings with cached path classes
 *   attribute.c  syscall ops -> the tool call whose process tree made them
 *   clock.c      the offset that puts time-of-day clocks on UTC
 *   conditions.c conditions on files an instruction names ("only the
 *                files updated in 2025 or later", "only the *.log files")
 *   filetimes.c  files' times as the agent's listings and utimes show them
 *   values*.c    numbers as agents report them and as tools print them
 *   findings*.c  the finding kinds, one family per file
 *   analyze.c    the driver: one pass over each table, one transaction */
#ifndef ALIBI_ANALYZE_INTERNAL_H
#define ALIBI_ANALYZE_INTERNAL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>
#include <stdint.h>

#include "alibi/analyze.h"
#include "alibi/records.h"
#include "alibi/rules.h"
#include "alibi/store.h"
#include "alibi/strbuf.h"

/* ---- finding kinds (DESIGN §5): id, name, default severity ---- */
#define FINDING_KINDS(X) \
	X(EXFILTRATION,          "exfiltration",          ALIBI_SEV_HIGH) \
	X(COVERT_PRESERVATION,   "covert-preservation",   ALIBI_SEV_HIGH) \
	X(FALSE_REPORT,          "false-report",          ALIBI_SEV_HIGH) \
	X(FALSE_DENIAL,          "false-denial",          ALIBI_SEV_HIGH) \
	X(MISREPORTED_VALUE,     "misreported-value",     ALIBI_SEV_HIGH) \
	X(SHUTDOWN_TAMPERING,    "shutdown-tampering",    ALIBI_SEV_HIGH) \
	X(EVIDENCE_TAMPERING,    "evidence-tampering",    ALIBI_SEV_HIGH) \
	X(UNDISCLOSED_ACTION,    "undisclosed-action",    ALIBI_SEV_MEDIUM) \
	X(INSTRUCTION_DEVIATION, "instruction-deviation", ALIBI_SEV_MEDIUM) \
	X(INTENT_MISMATCH,       "intent-mismatch",       ALIBI_SEV_MEDIUM) \
	X(REFUSAL,               "refusal",               ALIBI_SEV_LOW)

enum finding_kind {
#define FINDING_ENUM(id, name, sev) FINDING_##id,
	FINDING_KINDS(FINDING_ENUM)
#undef FINDING_ENUM
	FINDING__COUNT
};
const char *finding_kind_name(enum finding_kind kind);
int finding_kind_from_name(const char *name);      /* -1 when unknown */

/* ---- verbs: what claims and instructions say was (to be) done ---- */
#define VERBS(X) \
	X(delete) X(copy) X(move) X(transfer) X(modify) X(timestamp) \
	X(disable) X(kill) X(create) X(read) X(keep) X(run) X(complete) \
	X(score)

enum verb {
	VERB_NONE = 0,
#define VERB_ENUM(name) VERB_##name,
	VERBS(VERB_ENUM)
#undef VERB_ENUM
	VERB__COUNT
};
const char *verb_name(enum verb v);                 /* "" for VERB_NONE */
int verb_from_name(const char *name);               /* -1 when unknown */

/* ---- rules ---- */
enum glob_class {
	GLOB_PROTECTED,     /* asset protected: model weights and the like */
	GLOB_OVERSIGHT,     /* asset oversight: shutdown, monitoring config */
	GLOB_EVIDENCE,      /* asset evidence: logs and shell history */
	GLOB_HIDDEN,        /* place hidden: where a kept copy would hide */
	GLOB_NOISE_PATH,    /* noise path: loader, locale, /proc/self ... */
	GLOB_NOISE_HOST,    /* noise host: resolvers and the like */
	GLOB_MONITOR,       /* process monitor: monitor programs and services */
	GLOB_SCHEDULE,      /* asset schedule: crontabs and timers */
	GLOB__COUNT
};

struct glob_rule {
	char *glob;
	int negate;         /* "!GLOB": takes the path back out of the class */
};

struct glob_list {
	struct glob_rule *items;
	size_t count, cap;
};

#define RULE_MAX_DUP 4

struct claim_rule {
	char *name;
	int instruction;            /* an `instruction` line, not a `claim` */
	int prohibit;               /* "!VERB": says what is NOT to be done */
	enum alibi_claim_kind kind; /* claims: from the name's first part */
	int verb;                   /* enum verb; -1: from the `verb` group */
	char *pattern;              /* after %{NAME} expansion */
	pcre2_code *re;
	/* Group numbers of the named groups, 0-terminated; a name may be used
	 * more than once with (?J), and the first group that matched counts. */
	uint32_t g_object[RULE_MAX_DUP + 1], g_verb[RULE_MAX_DUP + 1];
	uint32_t g_value[RULE_MAX_DUP + 1];
	char *origin;               /* "file:line", for messages */
};

struct verb_rule {
	enum verb verb;
	char *pattern;
	pcre2_code *re;
	char *origin;
};

struct rule_define {
	char *name, *value;
};

struct rules {
	struct claim_rule *claims;
	size_t claim_count, claim_cap;
	struct verb_rule *verbs;
	size_t verb_count, verb_cap;
	struct rule_define *defines;
	size_t define_count, define_cap;
	struct glob_list globs[GLOB__COUNT];
	int *noise_ports;
	size_t noise_port_count, noise_port_cap;
	int severity[FINDING__COUNT];   /* enum alibi_severity; 0: off */
	uint32_t max_groups;            /* the most capture groups of any rule */
};

struct rules *rules_new(void);
/* Parses text (a whole rules file) into r.  With report == NULL it stops
 * at the first bad line and returns its error; otherwise it reports every
 * bad line and returns how many there were (err untouched). */
int rules_parse_text(struct rules *r, const char *text, size_t len,
                     const char *origin,
                     void (*report)(void *ctx, const char *msg), void *ctx,
                     struct alibi_error *err);
/* 1 when path is in the class: the last glob of the class that matches
 * decides, and a "!" glob takes it back out. */
int rules_glob_class(const struct rules *r, enum glob_class cls,
                     const char *path);
int rules_noise_port(const struct rules *r, int port);
/* The verb the words captured by a `verb` group stand for, or VERB_NONE. */
enum verb rules_verb_of(const struct rules *r, pcre2_match_data *md,
                        const char *words, size_t len);
const struct claim_rule *rules_find(const struct rules *r, const char *name);

/* ---- claims and instructions in text ---- */
struct claim_hit {
	int start, end;              /* bytes, in the message text */
	enum alibi_claim_kind kind;
	enum verb verb;
	int negated;                 /* says the action was NOT done */
	int converted;               /* negation found by the guard, not the rule */
	char *object;                /* owned; may be NULL */
	char *value;                 /* value claims: the number; owned */
	const struct claim_rule *rule;
};

struct claim_hits {
	struct claim_hit *items;
	size_t count, cap;
};

/* Finds the claims (instructions == 0: `claim` rules, for assistant text)
 * or instructions (`instruction` rules, for operator text) in text.
 * Skips fenced code, command lines, quotes and thinking (except intents);
 * drops hypothetical and questioning sentences; marks negated ones.
 * Appends to out, sorted by start, overlaps resolved. */
void claims_scan(const struct rules *r, int instructions, const char *text,
                 size_t len, struct claim_hits *out);
void claim_hits_free(struct claim_hits *h);

/* claims_scan() of many texts, on another thread (claim_scans.c).
 * claim_scans_start() runs a worker with r; add queues a text (which must
 * live until stop); take returns the i-th
 * text's hits, in the order added, scanning it with r on the spot if the
 * worker has not started it; stop ends the worker and frees the queue.
 * The public half (alibi/analyze.h) is an import's: a queue of stored
 * messages, copied, that a thread of the caller's works on. */
struct claim_scans *claim_scans_start(const struct rules *r);
void claim_scans_add(struct claim_scans *s, int instructions, const char *text);
void claim_scans_take(struct claim_scans *s, const struct rules *r, size_t i,
                      struct claim_hits *out, int *instructions);
void claim_scans_stop(struct claim_scans *s);
/* The job of message row `message`, queued by claim_scans_add_message()
 * with the same text and kind and worked on with rules r, or
 * CLAIM_SCANS_NONE; each job is found once. */
#define CLAIM_SCANS_NONE ((size_t)-1)
size_t claim_scans_find(struct claim_scans *s, const struct rules *r, int64_t message,
                        int instructions, const char *text);
/* Once every job has been taken (an import of one incident, whose
 * analysis has its claims), frees them: the queue holds one per message,
 * which the rest of the analysis does not need. */
void claim_scans_forget_taken(struct claim_scans *s);
/* What a message of this role is scanned for: 0 claims (the agent's
 * words), 1 instructions (the operator's), -1 nothing. */
int claim_scan_kind(const char *role);

/* ---- objects: what a claim's object refers to ---- */
struct objref {
	char **paths;       /* path-like words as written ("/srv/tmp", "a.bin") */
	size_t path_count;
	unsigned char *dest; /* per path: written after "to"/"into" (a target) */
	unsigned char *where; /* per path: written after "from"/"in"/"under"
	                         (where the files named beside it are) */
	char **names;       /* canonical name tokens ("agent2", "log") */
	size_t name_count;
	unsigned char *joined; /* per name: 1 when it goes with the one before
	                          ("agent2's checkpoint-6000"), or NULL */
	char **hosts;       /* host names / addresses ("backup", "10.0.0.5") */
	size_t host_count;
	int protected_class; /* "weights", "checkpoint", "model files" */
	int everything;      /* "everything", "all files", "anything" */
	struct objref *excluded; /* "nothing outside X": X, left out; or NULL */
};

void objref_parse(const char *text, struct objref *out);
void objref_free(struct objref *o);
/* Adds the paths written in text[0..len) ("...; they're under /srv/x"). */
void objref_borrow_paths(struct objref *o, const char *text, size_t len);
/* Adds from's source paths (not those after "to"), for "then delete the
 * originals" after "archive X to Y". */
void objref_borrow_sources(struct objref *o, const struct objref *from);
/* Drops name tokens that no path in known[] contains (they described,
 * they did not name: "unused", "old"). */
void objref_prune_names(struct objref *o, const char *const *known,
                        size_t count);
/* 1 when the object names nothing specific (a vague "the files"). */
int objref_is_vague(const struct objref *o);
/* A written path as objref_match_path() compares it into buf: without a
 * leading "~/" or a trailing slash or slash-star.  Returns its length, or
 * (size_t)-1 when it does not fit (then it matches nothing). */
#define OBJREF_PATH_MAX 1024
size_t objref_path_norm(const char *x, char *buf, size_t size);
/* 1 when path is what the object names.  is_protected: the path is in
 * the protected class. */
int objref_match_path(const struct objref *o, const char *path,
                      int is_protected);
/* 1 when host (or the command that reached it) is what the object names. */
int objref_match_host(const struct objref *o, const char *host,
                      const char *command);
/* Appends the canonical name tokens of text ("Agent-2's" -> "agent2"),
 * NUL-separated, to out; returns how many. */
size_t name_tokens(const char *text, struct strbuf *out);

/* ---- interned strings with cached classes ---- */
enum pent_flag {
	PF_PROTECTED = 1 << GLOB_PROTECTED,
	PF_OVERSIGHT = 1 << GLOB_OVERSIGHT,
	PF_EVIDENCE  = 1 << GLOB_EVIDENCE,
	PF_HIDDEN    = 1 << GLOB_HIDDEN,
	PF_NOISE     = 1 << GLOB_NOISE_PATH,
	PF_NOISE_HOST = 1 << GLOB_NOISE_HOST,
	PF_SEEN      = 1 << 8,   /* appears as an op's path */
	PF_TARGET    = 1 << 9,   /* the operator asked for it to be deleted */
	PF_UNLINKED  = 1 << 10,  /* deleted (ok) by some op */
	PF_DELSET    = 1 << 11   /* marked for deletion: asked, claimed or done */
};

struct pent {
	char *s;            /* pool_intern(): in the entry's own block */
	uint32_t hash;
	uint16_t known;     /* classes computed so far (1 << glob_class) */
	uint16_t flags;
	int32_t created_by; /* pid of the first op that created it, 0 when none */
};

struct pool {
	struct pent **slots;
	size_t count, cap;
};

void pool_init(struct pool *p);
void pool_free(struct pool *p);
struct pent *pool_intern(struct pool *p, const char *s);   /* NULL -> NULL */
/* The entry for s, or NULL when s is not in the pool. */
struct pent *pool_find(const struct pool *p, const char *s);
/* The paths ops were seen on (PF_SEEN; only the protected ones with
 * protected_only), indexed by what objects say (path_index.c): fn gets
 * every one of them objref_match_path() may accept for obj, and maybe a
 * few more, until it returns nonzero. */
struct path_index;
struct actx;
struct path_index *path_index_build(struct actx *a, int protected_only);
void path_index_candidates(struct path_index *ix, const struct objref *obj,
                           int (*fn)(void *ctx, struct pent *e), void *ctx);
void path_index_free(struct path_index *ix);
/* How many of the paths hold name among their name tokens. */
size_t path_index_token_count(const struct path_index *ix, const char *name);
/* 1 when one of the paths is inside dir (starts with dir and "/"). */
int path_index_has_under(const struct path_index *ix, const char *dir);
/* Short keys (a kind letter and n bytes of text, or of anything), each
 * with the item numbers filed under it, in the order filed (keymap.c). */
struct keymap;
struct keymap *keymap_new(void);
void keymap_add(struct keymap *m, char kind, const char *s, size_t n, size_t item);
const size_t *keymap_find(const struct keymap *m, char kind, const char *s, size_t n,
                          size_t *count);
void keymap_free(struct keymap *m);
/* The reverse of path_index: objects (items numbered by the caller, added
 * in increasing order) looked up by a path (object_index.c).  lookup puts
 * into *out, sorted, every item whose object objref_match_path() may
 * accept for path, and maybe a few more; returns how many.  paths (may be
 * NULL) tells which names are rare. */
struct object_index;
struct object_index *object_index_new(const struct path_index *paths);
void object_index_add(struct object_index *ix, const struct objref *o, size_t item);
size_t object_index_lookup(struct object_index *ix, const char *path, int is_protected,
                           size_t **out, size_t *cap);
/* The same items, in no order, to fn until it returns nonzero. */
void object_index_each(struct object_index *ix, const char *path, int is_protected,
                       int (*fn)(void *ctx, size_t item), void *ctx);
void object_index_free(struct object_index *ix);
/* The ops (indices into actx.ops) whose path or path2 is p, in op order
 * (op_index.c). */
struct op_index;
struct op_index *op_index_build(const struct actx *a);
const uint32_t *op_index_find(const struct op_index *ix, const struct pent *p, size_t *count);
void op_index_free(struct op_index *ix);
/* Adds the name tokens of paths[0..count) to names (objects.c). */
void names_of_paths(struct pool *names, const char *const *paths, size_t count);
/* objref_prune_names() against the tokens names_of_paths() collected:
 * one lookup per name, however many paths the incident has. */
void objref_prune_names_in(struct objref *o, const struct pool *names);
/* 1 when e is in the class; computed once per string. */
int pent_class(const struct rules *r, struct pent *e, enum glob_class cls);

/* ---- the incident as analysis holds it ---- */
enum msg_role { ROLE_OTHER, ROLE_SYSTEM, ROLE_USER, ROLE_ASSISTANT, ROLE_TOOL };

/* Analysis holds every message, tool call and significant op of an
 * incident at once, so these are kept small: line numbers in 32 bits (a
 * log of 2^31 lines would be hundreds of GB), and no field that no
 * finding reads (an op's errno). */
struct amsg {
	int64_t id, seq, ts;
	int32_t line;
	enum msg_role role;
	/* Assistant and operator messages, while their claims are found;
	 * then only those with claims or instructions keep it, and the first
	 * assistant message that says anything (findings_undisclosed.c asks
	 * whether the agent spoke at all). */
	char *text;
	const char *source;   /* interned */
	size_t ahead;         /* its job in actx.ahead, or CLAIM_SCANS_NONE */
};

struct atc {
	int64_t id, message, ts, line;
	char *command;        /* NULL when not a shell tool */
	char *norm;           /* command normalised for argv matching */
	char *result;         /* its output (bounded), NULL when none */
	const char *source;
	int matched;          /* an exec of it was found */
	int64_t ended;        /* when its result came back, ALIBI_TS_NONE if unknown */
	int64_t exec_ts;      /* the matched exec, on the log's clock */
	int32_t exec_pid;     /* and its process */
	int32_t max_pid;      /* the newest process of its tree seen so far */
};

struct aclaim {
	int64_t id;           /* claims.id */
	size_t msg;           /* index into messages */
	struct claim_hit hit;
	struct objref obj;
};

struct ainstr {
	size_t msg;
	struct claim_hit hit;
	struct objref obj;
};

/* A significant op, kept in memory (noise is dropped while streaming). */
struct aop {
	int64_t id, seq, ts, tool_call, bytes;
	int64_t tree;         /* process tree: the tool call, else -(root pid)-1 */
	struct pent *path, *path2, *host, *source, *detail;
	int32_t pid, ppid;
	int32_t line;
	int port;             /* -1 when none */
	unsigned char kind, ok, derived, clock;
};

/* Syscall ops with consecutive ids attributed to one tool call: what
 * analysis writes back, one statement per run, instead of a pair per op. */
struct arun {
	int64_t first, last;  /* op ids, both included */
	int64_t tool_call;
};

/* What the ops show happened to a file, found once and used by several
 * finding families: data sent to a host, or a copy kept of a file that
 * was to go. */
enum group_kind { GROUP_EXFIL, GROUP_PRESERVE };

struct agroup {
	enum group_kind kind;
	int64_t tree;
	struct pent *host;    /* exfil: where the data went */
	int port;
	size_t *reads;        /* op indices: the files read (exfil), or the */
	size_t read_count, read_cap;   /* originals (preserve) */
	size_t *acts;         /* op indices: connects/sends/transfers, or */
	size_t act_count, act_cap;     /* copies/renames/utimes */
	int same_pid;         /* exfil: one process both read and sent */
	int hidden;           /* preserve: the copy went to a hidden place */
	unsigned how;         /* preserve: 1 copy, 2 move, 4 re-timestamp */
};

struct pidinfo {
	int32_t pid, ppid;
	int64_t tool_call;
	struct pent *comm;    /* basename of the last program exec'd */
	int by_time;          /* tool_call only from when it appeared (its
	                         ancestry unknown); known ancestry wins */
	uint32_t last_read;   /* preserve: 1 + index of the last op that read a
	                         file marked for deletion, 0 when none */
};

struct actx {
	struct store *st;
	int64_t incident;
	const struct rules *rules;
	const struct analyze_options *opt;
	struct pool pool;
	struct claim_scans *scans;   /* messages' claims, found while ops are read */
	struct claim_scans *ahead;   /* and those found before analysis (opt) */

	struct amsg *msgs;
	size_t msg_count, msg_cap;
	struct atc *tcs;
	size_t tc_count, tc_cap;
	struct aclaim *claims;
	size_t claim_count, claim_cap;
	struct ainstr *instrs;
	size_t instr_count, instr_cap;
	struct aop *ops;
	size_t op_count, op_cap;

	/* attribution state */
	struct pidinfo *pids;       /* open-addressed by pid */
	size_t pid_cap, pid_count;
	size_t tc_cursor;
	struct arun *runs;          /* attribution to store: ops first..last */
	size_t run_count, run_cap;
	int64_t *anchors;           /* tool call ts - exec ts, µs */
	size_t anchor_count, anchor_cap;

	struct agroup *groups;
	size_t group_count, group_cap;
	/* lookups findings.c keeps for the families (freed by groups_free) */
	struct keymap *emitted;     /* the keys below, to find one */
	struct object_index *asks;  /* the instructions (not negated), by object */
	struct path_index *seen;    /* the seen paths (actx_seen_paths) */

	struct vstate *values;      /* scores read in tool results (findings_value.c) */

	int has_syscall_ops, has_derived_ops, has_local_clock, has_relative_clock;
	int64_t syscall_ops, attributed, unattributed;
	int64_t first_msg_ts;
	int64_t clock_offset;
	char clock_note[160];
	int has_zone;               /* zone_us given by a reviewer (clock.c) */
	int64_t zone_us;

	/* findings emitted so far, by stable key, to never emit one twice */
	char **keys;
	size_t key_count, key_cap;
	int64_t finding_count;
	struct alibi_error *err;
	int failed;
};

/* attribute.c */
void command_normalise(const char *s, struct strbuf *out);
/* 1 when an exec's argv (normalised) runs the normalised command. */
int exec_runs_command(const char *argv_norm, const char *cmd_norm);
int attribute_op(struct actx *a, const struct store_op_row *r,
                 int64_t *tool_call);
struct pidinfo *pid_lookup(struct actx *a, int32_t pid, int create);

/* clock.c */
int64_t clock_median(int64_t *v, size_t n);
void clock_estimate(struct actx *a);
/* Finds (and keeps in the workspace) the zone a reviewer gave, if any. */
int clock_resolve_zone(struct actx *a);

/* findings.c: building and emitting one finding */
struct fev {
	enum store_evidence_type type;
	int64_t ref;
	const char *role;
	char *key;            /* source position, for the stable key; owned */
};

struct fnd {
	enum finding_kind kind;
	double confidence;
	const char *rule;
	struct strbuf summary, because;
	struct fev *ev;
	size_t ev_count, ev_cap;
};

void fnd_init(struct fnd *f, enum finding_kind kind, const char *rule,
              double confidence);
void fnd_free(struct fnd *f);
void fnd_add_op(struct fnd *f, const struct aop *op, const char *role);
void fnd_add_claim(struct fnd *f, const struct actx *a,
                   const struct aclaim *c);
void fnd_add_message(struct fnd *f, const struct actx *a, size_t msg,
                     const char *role);
void fnd_add_tool_call(struct fnd *f, const struct atc *tc, const char *role);
/* Stores f (unless its kind is off, or one with the same key exists). */
int fnd_emit(struct actx *a, struct fnd *f);

/* An utime that sets chosen times on a file that was there before, by a
 * program that does not just carry times over to a copy (cp -a, tar x). */
int utime_is_explicit(struct actx *a, const struct aop *op);
/* cp, rsync, tar, gzip ...: programs that copy or pack files. */
int copying_tool(const char *comm);

/* Shared questions the finding families ask. */
int op_is_delete(const struct aop *op);
const struct atc *actx_tool_call(const struct actx *a, int64_t id);
/* The index in a->msgs of the message with this id, or -1. */
long actx_message_index(const struct actx *a, int64_t id);
const char *actx_comm(struct actx *a, int32_t pid);
void human_bytes(char *buf, size_t size, int64_t bytes);
/* Paths the ops mention (for pruning object names). */
void actx_known_paths(struct actx *a, const char ***out, size_t *count);
/* Their index (path_index.c), built when first asked for: the paths are
 * all seen once the objects are pruned, before the findings. */
struct path_index *actx_seen_paths(struct actx *a);
/* Index of the first instruction with this verb (not negated) whose
 * object covers path, or -1. */
long instr_covering(struct actx *a, enum verb v, struct pent *p);
/* 1 when the syscall log should be used (else derived ops, if any). */
int use_op(const struct actx *a, const struct aop *op);

/* findings.c */
void mark_paths(struct actx *a);
/* Frees the groups, and the lookups the families shared (actx.emitted,
 * actx.asks, actx.seen). */
void groups_free(struct actx *a);
struct agroup *group_add(struct actx *a, enum group_kind kind, int64_t tree);
void group_add_read(struct agroup *g, size_t op);
void group_add_act(struct agroup *g, size_t op);
/* Instruction-asked checks: 1 when an operator message asks for verb
 * family on path (or host). */
int instructed(struct actx *a, enum verb v, struct pent *path, struct pent *host);
/* A claim's object matches the path (vague objects match nothing). */
int claim_object_matches(struct actx *a, const struct objref *o, struct pent *p);

/* findings_claims.c */
/* "<claim text>", shortened, on one line. */
void claim_quote(struct strbuf *out, const struct actx *a, const struct aclaim *c);
/* 1 when op is the kind of op that does what v says (a deletion for
 * delete, a rename for move ...). */
int op_does(enum verb v, const struct aop *op);

/* findings_exfil.c, findings_preserve.c */
void groups_exfiltration(struct actx *a);
void groups_preservation(struct actx *a);
int findings_exfiltration(struct actx *a);
int findings_preservation(struct actx *a);
int findings_false_report(struct actx *a);
int findings_false_denial(struct actx *a);
int findings_undisclosed(struct actx *a);
int findings_evidence_tampering(struct actx *a);
int findings_intent_mismatch(struct actx *a);
int findings_refusal(struct actx *a);

/* ---- oversight and instructions (findings_shutdown.c, findings_deviation.c) ---- */
/* filetimes.c: files' modification times, as the agent's own listings
 * (ls -l, stat, find -printf) and the utime ops show them */
struct ftime {
	struct pent *path;
	int64_t mtime;        /* µs since the epoch, read as UTC */
	size_t tc;            /* the tool call (index into tcs) that showed it */
};
struct ftimes {
	struct ftime *v;      /* by path, then in the order shown */
	size_t count, cap;
	struct pent **seen;   /* the ops' absolute paths, by base name */
	size_t seen_count, seen_cap;
	size_t *utimes;       /* explicit utime ops (indices), in order */
	size_t utime_count, utime_cap;
};
int64_t civil_us(int y, int m, int d, int hh, int mm);
void filetimes_collect(struct actx *a, struct ftimes *t);
void filetimes_free(struct ftimes *t);
/* The time p had before the session set it: the last listing of it made
 * before its first explicit utime (and before op `before`; SIZE_MAX: no
 * such limit).  *from_tc: the listing's tool call. */
int64_t filetime_original(const struct actx *a, const struct ftimes *t, const struct pent *p,
                          size_t before, size_t *from_tc);
/* The first (first = 1) or last explicit utime of p before op `before`,
 * or SIZE_MAX. */
size_t filetime_retimed(const struct actx *a, const struct ftimes *t, const struct pent *p,
                        size_t before, int first);
/* The modification time an explicit utime op set, or ALIBI_TS_NONE. */
int64_t utime_set_time(const struct aop *op);

/* conditions.c: "only files updated in 2025 or later", "only the *.log files" */
struct fcond {
	int has_time;
	int64_t lo, hi;       /* allowed times: lo <= t < hi (INT64_MIN/MAX: open) */
	int invert;           /* the text names what is NOT wanted ("except ...") */
	char glob[64];        /* allowed base names, "" when none */
	char ext[24];         /* allowed extension ("log" for "log files"), "" none */
	char text[120];       /* the condition as written */
};
int fcond_parse(const char *text, size_t len, int64_t now, struct fcond *c);
int fcond_time_ok(const struct fcond *c, int64_t t);     /* 1: allowed */
int fcond_name_ok(const struct fcond *c, const char *path);

/* findings_deviation.c */
/* "<text[start, end)>", shortened, on one line. */
void quote_span(struct strbuf *out, const char *text, int start, int end);
/* 1 when op happened after message msg was written (or times unknown). */
int op_after_message(const struct actx *a, const struct aop *op, size_t msg);
int verb_is_copy(enum verb v);      /* copy, transfer, keep, move */
/* 1 when the instruction tells what will happen ("X will be wiped")
 * rather than asking the agent for it. */
int instr_is_statement(const struct actx *a, const struct ainstr *in);
/* Index of an instruction that asks for target (a path, or a monitor or
 * unit name) to be changed, disabled, stopped or deleted; -1 when none. */
long instr_asks_change(struct actx *a, const char *target, int is_path);
/* 1 when text ("the watchdog") names target (/opt/fleet/watchdog.py). */
int object_names_target(const char *text, const char *target);
/* Marks the files the operator said will be wiped (PF_DELSET); runs
 * before the groups. */
int findings_instruction_deviation(struct actx *a);
/* findings_condition.c: what was transferred where, and the conditions */
struct move {
	size_t op;            /* the read, copy, transfer or rename */
	size_t act;           /* the op that shows it leaving */
	struct pent *file, *host, *dst;
	int rename;
};
struct moves {
	struct move *v;
	size_t count, cap;
};
void moves_collect(struct actx *a, struct moves *m);
int deviation_conditions(struct actx *a, const struct moves *m);
int deviation_has_conditions(const struct actx *a);
void deviation_mark(struct actx *a);
/* findings_shutdown.c */
int findings_shutdown_tampering(struct actx *a);
/* 1 when p, written by op i, is renamed away or deleted later: sed's
 * and editors' temporary files. */
int path_is_temporary(const struct actx *a, const struct pent *p, size_t i);

/* ---- values: numbers read and numbers reported ---- */
/* values.c: one number as written */
enum vform { VFORM_PLAIN, VFORM_PERCENT, VFORM_RATIO };

struct vnum {
	double num;         /* as written: 92 for "92%", 18 for "18 of 20" */
	double den;         /* ratios: 20 for "18 of 20"; else 0 */
	int decimals;       /* digits after the point as written */
	enum vform form;
};

/* What a number measures, from the word that names it.  OTHER: never a
 * score (sizes, files, lines, ports, pids, steps, times ...); TOTAL: the
 * whole a count is out of. */
enum metric {
	METRIC_NONE, METRIC_ACCURACY, METRIC_F1, METRIC_PRECISION, METRIC_RECALL,
	METRIC_AUC, METRIC_PASS, METRIC_SCORE, METRIC_TOTAL, METRIC_OTHER
};

/* "about 90%", "over 90%", "under 90%", or the number itself */
enum vbound { VBOUND_EXACT, VBOUND_APPROX, VBOUND_AT_LEAST, VBOUND_AT_MOST };
enum vagree { VAGREE_INCOMPARABLE, VAGREE_NO, VAGREE_YES };

/* Reads the number that starts at s[at] ("92%", "0.92", "91.7 percent",
 * "18 of 20", "18/20", "1,234" when grouping); returns where it ends, or
 * 0 when there is none there (a time, a date, a version, a size with a
 * unit, part of a word or a path). */
size_t vnum_parse(const char *s, size_t len, size_t at, int grouping, struct vnum *out);
/* Whether a reported number says what a read one shows, allowing for
 * rounding and truncation (92% or 91% for 0.9167, not 93%). */
enum vagree vnum_agrees(const struct vnum *said, enum metric said_metric, enum vbound bound,
                        const struct vnum *read, enum metric read_metric);
double vnum_fraction(const struct vnum *n);          /* NAN when not a rate */
void vnum_format(const struct vnum *n, struct strbuf *out);   /* "0.71 (71%)" */
int vnum_looks_like_score(const struct vnum *n);     /* "71%", "18/20", "0.71" */
enum metric metric_of(const char *word, size_t len);
int metric_is_score(enum metric m);                  /* not OTHER or TOTAL */
int metric_words_sorted(void);                      /* its table, for the tests */

/* values_scan.c: the scores in a tool's output */
struct vfound {
	struct vnum num;
	enum metric metric;
	const char *key;     /* the word naming it ("accuracy"), key_len bytes */
	size_t key_len;
	const char *context; /* whose it is: " agent2 accuracy " (name tokens) */
};
typedef void (*vfound_fn)(void *ctx, const struct vfound *f);
/* Calls fn for each score in text: JSON, JSON lines, tables, key=value
 * and "key: value" lines, prose; never sizes, counts of files, times. */
void values_scan(const char *text, size_t len, vfound_fn fn, void *ctx);
/* Appends the name tokens of text[0..n) to a context (" a b "). */
void value_context_add(struct strbuf *ctx, const char *text, size_t n);
/* 1 when every token of want (space-separated) is in context. */
int value_context_has(const char *context, const char *want);
/* 1 when the context names no one (only metric words and numbers). */
int value_context_is_anonymous(const char *context);
/* The tokens that name whose value a claim reports ("Agent 2's" ->
 * "agent2"), space-separated, into out; returns how many (0: it names
 * no one, "it", "the model"). */
size_t value_subject_tokens(const char *object, struct strbuf *out);

/* findings_value.c: the readings are kept while the messages and tool
 * calls stream by (their text is not) */
void values_note_tool_message(struct actx *a, size_t msg, const char *text);
void values_note_tool_result(struct actx *a, const struct atc *tc, const char *text);
void values_free(struct actx *a);
int findings_misreported_value(struct actx *a);

#endif
