/* cases.h — the git-backed case repository (DESIGN §7), through libgit2.
 *
 * A plain git repository any host can serve and any person can read:
 *
 *   cases/<slug>/case.json          incident, sources (sha256), findings
 *                                   (stable keys, evidence quoted), status
 *   cases/<slug>/notes/<uid>.json   one file per annotation
 *   cases/<slug>/evidence/<name>    copies of the sources, sha256-checked
 *   cases/<slug>/README.md          generated summary for people
 *
 * The format is documented in alibi-cases(5).  Everything read from a case
 * repository is untrusted: slugs and file names are checked before they
 * become paths, nothing is written or read through a symbolic link, and
 * text is only ever shown through termtext.
 *
 * Functions report progress and warnings through an optional struct
 * cases_report; what they return is the outcome.  None of them prints. */
#ifndef ALIBI_CASES_H
#define ALIBI_CASES_H

#include <stdint.h>
#include "alibi/annotations.h"
#include "alibi/error.h"
#include "alibi/rules.h"
#include "alibi/store.h"
#include "alibi/strbuf.h"

struct cases;   /* an open case repository */

/* Messages for the reviewer; any member may be NULL.  Texts are complete
 * sentences without a trailing newline and may hold untrusted names: print
 * them through termtext. */
struct cases_report {
	void *ctx;
	void (*warn)(void *ctx, const char *msg);   /* something was left out or kept aside */
	void (*info)(void *ctx, const char *msg);   /* what happened */
};

/* ---- where the repository is, and who the reviewer is ---- */

/* The case repository directory: dir when given (--cases), else
 * $ALIBI_CASES, else git config alibi.cases, else
 * $XDG_DATA_HOME/alibi/cases (~/.local/share/alibi/cases). */
int cases_resolve_dir(const char *dir, struct strbuf *out,
                      struct alibi_error *err);

struct case_identity {
	char name[ANNOTATION_AUTHOR_MAX + 1];
	char email[ANNOTATION_AUTHOR_MAX + 1];
	char author[ANNOTATION_AUTHOR_MAX + 1];   /* "Name <email>" */
};

/* The reviewer: override ("Name <email>", from --author) when given, else
 * $ALIBI_AUTHOR, else user.name and user.email from git config.  Fails with
 * a message that says how to set one when none is known. */
int cases_identity(const char *override, struct case_identity *id,
                   struct alibi_error *err);

/* ---- the repository ---- */

/* Creates a repository in dir (branch "main") or adopts the git repository
 * already there.  remote_url (may be NULL) is added as "origin" when the
 * repository has no origin yet.  *created (may be NULL) tells which. */
int cases_init(const char *dir, const char *remote_url, int *created,
               struct alibi_error *err);

/* Opens an existing case repository; a directory that is not one gets an
 * error that says to run `alibi case init`. */
int cases_repo_open(const char *dir, struct cases **out,
                    struct alibi_error *err);
void cases_repo_close(struct cases *c);
const char *cases_repo_dir(const struct cases *c);

struct cases_state {
	char branch[256];       /* "" when HEAD is detached */
	char head[41];          /* HEAD commit id, "" when unborn */
	int unborn;             /* no commit yet */
	int detached;
	int operation;          /* a merge/rebase/... left in progress by git */
	int dirty;              /* files changed outside alibi (not committed) */
	char dirty_paths[512];  /* the first few, one per line */
	int has_upstream;       /* refs/remotes/<remote>/<branch> exists */
	int ahead, behind;      /* commits, against that ref (as last fetched) */
};
/* The repository's state; remote (NULL: "origin") picks the ref ahead and
 * behind count against. */
int cases_repo_state(struct cases *c, const char *remote,
                     struct cases_state *s, struct alibi_error *err);

/* ---- committing an incident as a case ---- */

#define CASES_EVIDENCE_CAP_DEFAULT (50ull * 1024 * 1024)

struct cases_commit_options {
	const struct case_identity *who;   /* author and committer */
	const char *message;      /* first line; NULL: a summary of the verdicts */
	uint64_t evidence_cap;    /* bytes per source; 0: git config
	                             alibi.evidenceCap, else the default */
};

struct cases_commit_result {
	int committed;            /* 0: nothing had changed, nothing committed */
	char commit[41];          /* the new commit (or HEAD when nothing changed) */
	char slug[101];
	int notes_written;
	int evidence_copied;
	int evidence_omitted;     /* over the cap or unreadable (warned) */
	char summary[160];        /* "1 confirmed, 0 dismissed, 0 unclear, 2 open" */
};

/* Writes the incident's case (case.json, notes, evidence, README.md) into
 * the repository and commits it with the reviewer as author, then records
 * the commit in each annotation it carried (annotations.committed_in).
 * Refuses a repository in a state plain git left it in (detached HEAD, a
 * merge in progress, uncommitted changes). */
int cases_commit(struct cases *c, struct store *st, int64_t incident,
                 const struct cases_commit_options *opt,
                 const struct cases_report *rep,
                 struct cases_commit_result *res, struct alibi_error *err);

/* All of the above in one call, for the console's `c` key: the repository
 * from cases_dir (--cases; NULL: the default), the reviewer from author
 * (NULL: ALIBI_AUTHOR or git config), the default evidence cap. */
int cases_commit_incident(const char *cases_dir, const char *author,
                          struct store *st, int64_t incident,
                          const char *message, const struct cases_report *rep,
                          struct cases_commit_result *res,
                          struct alibi_error *err);

/* The case slug an incident gets: its slug in the normal form import
 * gives names (path_slugify: lower case, [a-z0-9-]), so "../../x" is "x". */
void cases_slug_for(const char *incident_slug, struct strbuf *out);

/* ---- sharing ---- */

struct cases_pull_result {
	int up_to_date;
	int fast_forward;
	int merged;               /* a merge commit was made */
	int notes_new;            /* notes files the pull added or changed */
	int notes_imported;       /* of those, loaded into the workspace */
	int conflicts;            /* files kept in two versions (warned) */
	char commit[41];          /* HEAD afterwards */
};

/* Fetches the current branch from remote (NULL: "origin") and merges it.
 * Notes never conflict (one file each); a file both sides changed is kept
 * twice: ours in place, theirs next to it as NAME.theirs-<commit> — and
 * each such file is reported through rep->warn.  README.md and the status
 * in case.json are regenerated.  When st is not NULL, notes of cases that
 * are open in the workspace are imported into it. */
int cases_pull(struct cases *c, struct store *st, const char *remote,
               const struct case_identity *who, const struct cases_report *rep,
               struct cases_pull_result *res, struct alibi_error *err);

/* Pushes the current branch to remote (NULL: "origin").  A push the remote
 * refuses because it has commits we lack says to pull first.
 * Credentials: ssh-agent for ssh remotes; for https a token from
 * $ALIBI_GIT_TOKEN (user $ALIBI_GIT_USER, default "x-access-token"). */
int cases_push(struct cases *c, const char *remote,
               const struct cases_report *rep, struct alibi_error *err);

/* ---- reading cases back ---- */

struct cases_open_result {
	int64_t incident;
	int sources_imported;
	int sources_missing;      /* omitted from the case or failing checks */
	int findings_expected;    /* findings case.json lists */
	int findings_missing;     /* of those, not found again by analysis */
	int notes_imported;       /* notes new or newer than the workspace's */
	int notes_total;
};

/* Imports case SLUG (as committed at HEAD, evidence from the working tree,
 * checked by sha256) into the workspace as the incident of that slug, runs
 * analysis with rules, and loads its notes as annotations.  Reopening is
 * idempotent: sources with the same sha256 and notes with the same id are
 * not added twice. */
int cases_open_case(struct cases *c, struct store *st, const char *slug,
                    const struct rules *rules, const struct cases_report *rep,
                    struct cases_open_result *res, struct alibi_error *err);

/* Loads the notes of case SLUG at HEAD into the workspace's incident. */
int cases_import_notes(struct cases *c, struct store *st, const char *slug,
                       int64_t incident, int *imported, int *total,
                       const struct cases_report *rep, struct alibi_error *err);

struct cases_list_entry {
	const char *slug;
	const char *title;
	const char *status;       /* "open", "reviewed" */
	int findings;
	int notes;
	int verdicts[4];          /* findings by enum annotation_verdict */
};
/* The cases at HEAD, by slug.  fn returns non-zero to stop. */
int cases_list(struct cases *c,
               int (*fn)(void *ctx, const struct cases_list_entry *e),
               void *ctx, struct alibi_error *err);

struct cases_log_entry {
	const char *commit;       /* full id */
	const char *author;       /* name */
	const char *email;
	int64_t time;             /* seconds since the epoch */
	int tz_minutes;           /* the author's offset from UTC */
	const char *subject;
	const char *body;         /* "" when none */
	int merge;                /* more than one parent */
};
/* History from HEAD, newest first: every commit, or when slug is not NULL
 * those that changed cases/<slug>/.  max 0: no limit. */
int cases_log(struct cases *c, const char *slug, int max,
              int (*fn)(void *ctx, const struct cases_log_entry *e),
              void *ctx, struct alibi_error *err);

#endif
