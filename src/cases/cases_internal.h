/* cases_internal.h — what the files of src/cases/ share.  Only this folder
 * includes <git2.h> and <cjson/cJSON.h>; other modules see alibi/cases.h. */
#ifndef ALIBI_CASES_INTERNAL_H
#define ALIBI_CASES_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <git2.h>
#include <cjson/cJSON.h>

#include "alibi/annotations.h"
#include "alibi/cases.h"
#include "alibi/error.h"
#include "alibi/strbuf.h"

struct cases {
	git_repository *repo;
	char *dir;               /* the working tree, without a trailing '/' */
};

#define CASES_ROOT "cases"
#define CASE_SLUG_MAX 100
/* Untrusted blobs larger than these are not parsed. */
#define CASE_JSON_MAX (16u * 1024 * 1024)
#define NOTE_JSON_MAX (ANNOTATION_NOTE_MAX * 8u + 65536u)

/* ---- case_repo.c ---- */

/* Fills err from libgit2's last error: "doing: message". */
int cases_git_error(struct alibi_error *err, const char *doing);
/* Fails with a clear message unless the repository can take a commit or
 * a merge: a branch checked out, no operation in progress, no changes
 * made outside alibi.  doing names the command ("commit", "pull"). */
int cases_require_clean(struct cases *c, const char *doing,
                        struct alibi_error *err);
/* The signature of the reviewer, now. */
int cases_signature(const struct case_identity *who, git_signature **out,
                    struct alibi_error *err);
/* 1 when slug may name a case directory. */
int cases_slug_is_valid(const char *slug);
void cases_report_warn(const struct cases_report *rep, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void cases_report_info(const struct cases_report *rep, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- case_fs.c: the working tree, never through a symbolic link ---- */

/* 1 when every component of rel is a safe name (path_is_safe_component). */
int casefs_rel_is_safe(const char *rel);
/* Replaces root/rel with data atomically (a temporary file, then rename),
 * creating directories; refuses a symbolic link anywhere on the way. */
int casefs_write(const char *root, const char *rel, const void *data,
                 size_t n, struct alibi_error *err);
/* Copies the file src to root/rel while hashing it; fails when its sha256
 * differs from want (the source changed since import). */
int casefs_copy_in(const char *root, const char *rel, const char *src,
                   const char *want_sha, struct alibi_error *err);
/* Opens root/rel for reading: a regular file reached without following
 * any symbolic link. */
int casefs_open_read(const char *root, const char *rel, int *fd,
                     struct alibi_error *err);
/* sha256 and size of root/rel; *exists = 0 when there is no such file. */
int casefs_hash(const char *root, const char *rel, char hex[65],
                uint64_t *bytes, int *exists, struct alibi_error *err);

/* ---- case_doc.c: a case as stored, read from an index ---- */

struct case_note_doc {
	char *uid;
	char *tags;              /* "a,b" */
	cJSON *json;
	struct annotation a;     /* strings borrowed from json and tags;
	                            incident unset */
};

struct case_doc {
	char slug[CASE_SLUG_MAX + 1];
	cJSON *case_json;          /* NULL when the case has no case.json */
	struct case_note_doc *notes;
	size_t note_count;
};

/* Reads cases/<slug>/case.json and notes/ from idx (objects from repo).
 * A malformed note is skipped and reported through rep->warn. */
int case_doc_load(git_repository *repo, git_index *idx, const char *slug,
                  const struct cases_report *rep, struct case_doc *doc,
                  struct alibi_error *err);
void case_doc_free(struct case_doc *doc);
/* The verdict that counts for a finding key (NULL: the incident): the most
 * recently updated note with one. */
enum annotation_verdict case_doc_verdict(const struct case_doc *doc,
                                         const char *finding_key);
/* "open" or "reviewed", and findings counted by verdict. */
const char *case_doc_status(const struct case_doc *doc, int counts[4]);
/* Sets case.json's "status" from the notes. */
void case_doc_update_status(struct case_doc *doc);

/* Canonical JSON text (what every writer of a case file uses, so the same
 * content always gives the same bytes). Caller frees. */
char *case_json_print(const cJSON *json);
/* A note file's JSON for an annotation.  Caller frees. */
char *case_note_json(const struct annotation *a, const char *slug);
/* Reads a note file's JSON into a (strings borrowed from json; the tags
 * joined with commas into tags). */
int case_note_parse(const cJSON *json, struct annotation *a,
                    struct strbuf *tags, struct alibi_error *err);
/* The blob at path in idx, read into out; *found = 0 when absent. */
int case_index_read(git_repository *repo, git_index *idx, const char *path,
                    size_t max, struct strbuf *out, int *found,
                    struct alibi_error *err);
/* Stores data as a blob and puts it at path in idx (stage 0). */
int case_index_put(git_repository *repo, git_index *idx, const char *path,
                   const char *data, size_t n, struct alibi_error *err);

/* ---- case_readme.c ---- */

void case_readme_render(const struct case_doc *doc, struct strbuf *out);
/* Regenerates status and README.md of case slug inside idx. */
int case_refresh_generated(git_repository *repo, git_index *idx,
                           const char *slug, const struct cases_report *rep,
                           struct alibi_error *err);

/* ---- case_remote.c ---- */

/* Remote callbacks with credentials (ssh-agent, $ALIBI_GIT_TOKEN). */
struct cases_remote_ctx {
	int attempts;
	char rejected[512];   /* push: what the remote refused, if anything */
};
void cases_remote_callbacks(git_remote_callbacks *cb,
                            struct cases_remote_ctx *ctx);
/* The remote called name (NULL: "origin"), by its URL (its push URL when
 * for_push and it has one). */
int cases_lookup_remote(struct cases *c, const char *name, int for_push,
                        git_remote **out, struct alibi_error *err);
/* Adds remote name with url unless it exists; an existing one with another
 * URL is an error. */
int cases_remote_add(struct cases *c, const char *name, const char *url,
                     struct alibi_error *err);
/* Fetches branch from remote into refs/remotes/<name>/<branch>; *found
 * = 0 when the remote has no such branch (an empty remote). */
int case_fetch_branch(struct cases *c, git_remote *remote, const char *name,
                      const char *branch, git_oid *theirs, int *found,
                      struct alibi_error *err);

/* ---- case_open.c ---- */

/* A fresh in-memory index holding HEAD's tree (empty when unborn). */
int cases_head_index(struct cases *c, git_index **out, struct alibi_error *err);

#endif
