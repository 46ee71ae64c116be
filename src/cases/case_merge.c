/* case_merge.c — `alibi case pull`: fetch, then fast-forward or merge.
 *
 * Each annotation is its own file, so two reviewers' notes merge without
 * conflict.  What can conflict is resolved so that nothing is lost:
 *   README.md         generated: regenerated from the merged files;
 *   case.json         when the two differ only in "status" (derived from
 *                     the notes), ours is kept and the status recomputed;
 *   anything else     ours stays in place, theirs is written next to it as
 *                     NAME.theirs-<commit>, and the reviewer is told.
 * The merge is committed at once, so the repository is never left in a
 * merge state that plain git or the next alibi command trips over. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "cases_internal.h"

struct conflict {
	char *path;
	int has_ours, has_theirs;
	git_index_entry ours, theirs;   /* paths point at .path */
};

struct slug_set {
	char **slugs;
	size_t count;
};

struct pull_job {
	struct cases *c;
	const struct cases_report *rep;
	struct cases_pull_result *res;
	struct alibi_error *err;
	const char *remote;
	char branch[256];
	git_oid theirs_oid;
	struct slug_set touched;
	struct strbuf kept;     /* conflict lines for the commit message */
};

static void
slug_set_add(struct slug_set *set, const char *path)
{
	size_t root = strlen(CASES_ROOT "/");
	if (strncmp(path, CASES_ROOT "/", root) != 0)
		return;
	const char *slug = path + root;
	size_t n = strcspn(slug, "/");
	if (slug[n] != '/' || n == 0 || n > CASE_SLUG_MAX)
		return;
	for (size_t i = 0; i < set->count; i++)
		if (strlen(set->slugs[i]) == n && strncmp(set->slugs[i], slug, n) == 0)
			return;
	char *copy = xstrndup(slug, n);
	if (!cases_slug_is_valid(copy)) {
		free(copy);
		return;
	}
	set->slugs = xrealloc(set->slugs, (set->count + 1) * sizeof *set->slugs);
	set->slugs[set->count++] = copy;
}

static void
slug_set_free(struct slug_set *set)
{
	for (size_t i = 0; i < set->count; i++)
		free(set->slugs[i]);
	free(set->slugs);
	memset(set, 0, sizeof *set);
}

/* ---- what changed between two trees ---- */

struct tree_changes {
	struct slug_set *slugs;
	int notes_added;   /* or changed */
};

static int
on_delta(const git_diff_delta *d, float progress, void *payload)
{
	struct tree_changes *tc = payload;
	(void)progress;
	const char *path = d->new_file.path ? d->new_file.path : d->old_file.path;
	if (!path)
		return 0;
	slug_set_add(tc->slugs, path);
	if ((d->status == GIT_DELTA_ADDED || d->status == GIT_DELTA_MODIFIED) &&
	    strstr(path, "/notes/") &&
	    strlen(path) > 5 && strcmp(path + strlen(path) - 5, ".json") == 0)
		tc->notes_added++;
	return 0;
}

/* Collects the cases that differ between commits a (may be NULL: empty)
 * and b, and counts the notes b adds or changes. */
static int
diff_commits(git_repository *repo, const git_oid *a, const git_oid *b,
             struct tree_changes *tc, struct alibi_error *err)
{
	git_commit *ca = NULL, *cb = NULL;
	git_tree *ta = NULL, *tb = NULL;
	git_diff *diff = NULL;
	int rc = 0;
	if ((a && (git_commit_lookup(&ca, repo, a) || git_commit_tree(&ta, ca))) ||
	    git_commit_lookup(&cb, repo, b) || git_commit_tree(&tb, cb) ||
	    git_diff_tree_to_tree(&diff, repo, ta, tb, NULL) ||
	    git_diff_foreach(diff, on_delta, NULL, NULL, NULL, tc))
		rc = cases_git_error(err, "comparing commits");
	git_diff_free(diff);
	git_tree_free(ta);
	git_tree_free(tb);
	git_commit_free(ca);
	git_commit_free(cb);
	return rc;
}

/* ---- conflicts ---- */

static int
collect_conflicts(git_index *idx, struct conflict **out, size_t *count,
                  struct alibi_error *err)
{
	*out = NULL;
	*count = 0;
	git_index_conflict_iterator *it = NULL;
	if (git_index_conflict_iterator_new(&it, idx) != 0)
		return cases_git_error(err, "listing conflicts");
	const git_index_entry *anc, *ours, *theirs;
	int rc;
	while ((rc = git_index_conflict_next(&anc, &ours, &theirs, it)) == 0) {
		*out = xrealloc(*out, (*count + 1) * sizeof **out);
		struct conflict *cf = &(*out)[(*count)++];
		memset(cf, 0, sizeof *cf);
		const git_index_entry *any = ours ? ours : theirs ? theirs : anc;
		cf->path = xstrdup(any->path);
		if (ours) {
			cf->has_ours = 1;
			cf->ours = *ours;
			cf->ours.path = cf->path;
		}
		if (theirs) {
			cf->has_theirs = 1;
			cf->theirs = *theirs;
			cf->theirs.path = cf->path;
		}
	}
	git_index_conflict_iterator_free(it);
	if (rc != GIT_ITEROVER)
		return cases_git_error(err, "listing conflicts");
	return 0;
}

static int
put_entry(git_index *idx, const git_index_entry *e, const char *path,
          struct alibi_error *err)
{
	git_index_entry copy = *e;
	copy.path = path;
	copy.flags = 0;          /* stage 0 */
	copy.flags_extended = 0;
	if (git_index_add(idx, &copy) != 0)
		return cases_git_error(err, path);
	return 0;
}

/* 1 when the two case.json blobs differ only in their derived status. */
static int
case_json_same_but_status(git_repository *repo, const git_oid *a, const git_oid *b)
{
	git_blob *ba = NULL, *bb = NULL;
	int same = 0;
	if (git_blob_lookup(&ba, repo, a) == 0 && git_blob_lookup(&bb, repo, b) == 0 &&
	    git_blob_rawsize(ba) <= CASE_JSON_MAX && git_blob_rawsize(bb) <= CASE_JSON_MAX) {
		cJSON *ja = cJSON_ParseWithLength(git_blob_rawcontent(ba), (size_t)git_blob_rawsize(ba));
		cJSON *jb = cJSON_ParseWithLength(git_blob_rawcontent(bb), (size_t)git_blob_rawsize(bb));
		if (cJSON_IsObject(ja) && cJSON_IsObject(jb)) {
			cJSON_DeleteItemFromObjectCaseSensitive(ja, "status");
			cJSON_DeleteItemFromObjectCaseSensitive(jb, "status");
			same = cJSON_Compare(ja, jb, 1);
		}
		cJSON_Delete(ja);
		cJSON_Delete(jb);
	}
	git_blob_free(ba);
	git_blob_free(bb);
	return same;
}

static int
is_generated(const char *path, const char *name)
{
	size_t root = strlen(CASES_ROOT "/");
	if (strncmp(path, CASES_ROOT "/", root) != 0)
		return 0;
	const char *rest = path + root;
	const char *slash = strchr(rest, '/');
	return slash && strcmp(slash + 1, name) == 0;
}

/* Ours stays at the path, theirs goes next to it as PATH.theirs-<commit>,
 * and the reviewer is told. */
static int
keep_both(struct pull_job *j, git_index *idx, const struct conflict *cf)
{
	char short_id[8];
	git_oid_tostr(short_id, sizeof short_id, &j->theirs_oid);
	struct strbuf aside = STRBUF_INIT;
	sb_addf(&aside, "%s.theirs-%s", cf->path, short_id);
	int rc = put_entry(idx, &cf->ours, cf->path, j->err);
	if (rc == 0)
		rc = put_entry(idx, &cf->theirs, sb_str(&aside), j->err);
	if (rc == 0) {
		j->res->conflicts++;
		cases_report_warn(j->rep, "conflict in %s: both sides changed it; yours is"
		                  " kept in place, theirs as %s", cf->path, sb_str(&aside));
		sb_addf(&j->kept, "- %s (theirs kept as %s)\n", cf->path, sb_str(&aside));
	}
	sb_free(&aside);
	return rc;
}

static int
resolve_one(struct pull_job *j, git_repository *repo, git_index *idx,
            const struct conflict *cf)
{
	slug_set_add(&j->touched, cf->path);
	if (git_index_conflict_remove(idx, cf->path) != 0)
		return cases_git_error(j->err, cf->path);
	const git_index_entry *keep = cf->has_ours ? &cf->ours : &cf->theirs;
	if (put_entry(idx, keep, cf->path, j->err))
		return j->err->code;
	if (!cf->has_ours || !cf->has_theirs) {
		cases_report_info(j->rep, "%s: deleted on one side, changed on the other;"
		                  " the changed version is kept", cf->path);
		return 0;
	}
	/* Generated files come back from the merged content. */
	if (is_generated(cf->path, "README.md"))
		return 0;
	if (is_generated(cf->path, "case.json") &&
	    case_json_same_but_status(repo, &cf->ours.id, &cf->theirs.id))
		return 0;
	return keep_both(j, idx, cf);
}

/* A line-by-line merge of two case.json files can succeed and still
 * leave something that is not JSON.  Then ours is kept and theirs put
 * aside, as for a conflict. */
static int
check_merged_json(struct pull_job *j, git_index *idx, git_commit *ours,
                  git_commit *theirs, const char *slug)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	sb_addf(&path, CASES_ROOT "/%s/case.json", slug);
	int found, rc = 0;
	struct alibi_error e2 = { 0 };
	if (case_index_read(j->c->repo, idx, sb_str(&path), CASE_JSON_MAX, &text, &found, &e2) == 0 &&
	    found) {
		cJSON *json = cJSON_ParseWithLength(sb_str(&text), text.len);
		int ok = cJSON_IsObject(json);
		cJSON_Delete(json);
		if (!ok) {
			git_tree *ot = NULL, *tt = NULL;
			git_tree_entry *oe = NULL, *te = NULL;
			if (git_commit_tree(&ot, ours) || git_commit_tree(&tt, theirs)) {
				rc = cases_git_error(j->err, sb_str(&path));
			} else if (git_tree_entry_bypath(&oe, ot, sb_str(&path)) ||
			           git_tree_entry_bypath(&te, tt, sb_str(&path))) {
				/* Only one side has it: there is no other version to
				 * keep; the reviewer is told it is broken. */
				cases_report_warn(j->rep, "%s is not valid JSON; the case cannot be"
				                  " opened until it is fixed", sb_str(&path));
			} else {
				struct conflict cf;
				memset(&cf, 0, sizeof cf);
				cf.path = path.buf;
				cf.has_ours = cf.has_theirs = 1;
				cf.ours.mode = git_tree_entry_filemode(oe);
				git_oid_cpy(&cf.ours.id, git_tree_entry_id(oe));
				cf.theirs.mode = git_tree_entry_filemode(te);
				git_oid_cpy(&cf.theirs.id, git_tree_entry_id(te));
				cf.ours.path = cf.theirs.path = cf.path;
				rc = keep_both(j, idx, &cf);
			}
			git_tree_entry_free(oe);
			git_tree_entry_free(te);
			git_tree_free(ot);
			git_tree_free(tt);
		}
	}
	sb_free(&path);
	sb_free(&text);
	return rc;
}

/* ---- the merge commit ---- */

static int
commit_merge(struct pull_job *j, git_index *idx, git_commit *ours,
             git_commit *theirs, const struct case_identity *who)
{
	git_repository *repo = j->c->repo;
	git_oid tree_oid, oid;
	git_tree *tree = NULL;
	git_signature *sig = NULL;
	struct strbuf msg = STRBUF_INIT;
	sb_addf(&msg, "Merge %s/%s into %s\n", j->remote, j->branch, j->branch);
	if (j->kept.len)
		sb_addf(&msg, "\nBoth sides changed these files; both versions are kept:\n%s",
		        sb_str(&j->kept));
	int rc = 0;
	if (git_index_write_tree_to(&tree_oid, idx, repo) != 0 ||
	    git_tree_lookup(&tree, repo, &tree_oid) != 0) {
		rc = cases_git_error(j->err, "writing the merged tree");
	} else if (cases_signature(who, &sig, j->err) == 0) {
		const git_commit *parents[2] = { ours, theirs };
		git_checkout_options co;
		git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
		co.checkout_strategy = GIT_CHECKOUT_SAFE;
		git_reference *head = NULL, *moved = NULL;
		if (git_commit_create(&oid, repo, NULL, sig, sig, NULL, sb_str(&msg), tree,
		                      2, parents) != 0)
			rc = cases_git_error(j->err, "committing the merge");
		else if (git_checkout_tree(repo, (const git_object *)tree, &co) != 0)
			rc = cases_git_error(j->err, "checking out the merge");
		else if (git_repository_head(&head, repo) != 0 ||
		         git_reference_set_target(&moved, head, &oid, "alibi case pull: merge") != 0)
			rc = cases_git_error(j->err, "moving the branch");
		else
			git_oid_tostr(j->res->commit, sizeof j->res->commit, &oid);
		git_reference_free(head);
		git_reference_free(moved);
	} else {
		rc = j->err->code;
	}
	sb_free(&msg);
	git_signature_free(sig);
	git_tree_free(tree);
	return rc;
}

static int
merge_normal(struct pull_job *j, const git_oid *ours_oid,
             const struct case_identity *who)
{
	git_repository *repo = j->c->repo;
	git_commit *ours = NULL, *theirs = NULL;
	git_index *idx = NULL;
	struct conflict *cfs = NULL;
	size_t ncf = 0;
	git_merge_options mo;
	git_merge_options_init(&mo, GIT_MERGE_OPTIONS_VERSION);
	int rc = 0;
	if (git_commit_lookup(&ours, repo, ours_oid) || git_commit_lookup(&theirs, repo, &j->theirs_oid) ||
	    git_merge_commits(&idx, repo, ours, theirs, &mo))
		rc = cases_git_error(j->err, "merging");
	if (rc == 0)
		rc = collect_conflicts(idx, &cfs, &ncf, j->err);
	for (size_t i = 0; rc == 0 && i < ncf; i++)
		rc = resolve_one(j, repo, idx, &cfs[i]);
	for (size_t i = 0; rc == 0 && i < j->touched.count; i++)
		rc = check_merged_json(j, idx, ours, theirs, j->touched.slugs[i]);
	/* README.md and the status follow from the merged notes. */
	for (size_t i = 0; rc == 0 && i < j->touched.count; i++) {
		struct alibi_error e2 = { 0 };
		if (case_refresh_generated(repo, idx, j->touched.slugs[i], j->rep, &e2))
			cases_report_warn(j->rep, "case %s: README.md not regenerated: %s",
			                  j->touched.slugs[i], e2.msg);
	}
	if (rc == 0)
		rc = commit_merge(j, idx, ours, theirs, who);
	if (rc == 0)
		j->res->merged = 1;
	for (size_t i = 0; i < ncf; i++)
		free(cfs[i].path);
	free(cfs);
	git_index_free(idx);
	git_commit_free(ours);
	git_commit_free(theirs);
	return rc;
}

/* ---- fast-forward ---- */

static int
fast_forward(struct pull_job *j, int unborn)
{
	git_repository *repo = j->c->repo;
	git_commit *target = NULL;
	git_tree *tree = NULL;
	git_reference *head = NULL, *moved = NULL;
	git_checkout_options co;
	git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
	co.checkout_strategy = GIT_CHECKOUT_SAFE;
	int rc = 0;
	struct strbuf ref = STRBUF_INIT;
	sb_addf(&ref, "refs/heads/%s", j->branch);
	if (git_commit_lookup(&target, repo, &j->theirs_oid) || git_commit_tree(&tree, target))
		rc = cases_git_error(j->err, "reading the fetched commit");
	else if (git_checkout_tree(repo, (const git_object *)tree, &co))
		rc = cases_git_error(j->err, "checking out");
	else if (unborn ? git_reference_create(&moved, repo, sb_str(&ref), &j->theirs_oid, 0,
	                                       "alibi case pull: initial")
	                : (git_repository_head(&head, repo) ||
	                   git_reference_set_target(&moved, head, &j->theirs_oid,
	                                            "alibi case pull: fast-forward")))
		rc = cases_git_error(j->err, "moving the branch");
	else
		git_oid_tostr(j->res->commit, sizeof j->res->commit, &j->theirs_oid);
	if (rc == 0)
		j->res->fast_forward = 1;
	sb_free(&ref);
	git_reference_free(head);
	git_reference_free(moved);
	git_tree_free(tree);
	git_commit_free(target);
	return rc;
}

/* ---- pull ---- */

static int
import_touched(struct pull_job *j, struct store *st)
{
	for (size_t i = 0; i < j->touched.count; i++) {
		int64_t incident = 0;
		struct alibi_error e2 = { 0 };
		if (store_incident_find(st, j->touched.slugs[i], &incident, &e2))
			continue;   /* not open in this workspace: nothing to refresh */
		int imported = 0, total = 0;
		if (cases_import_notes(j->c, st, j->touched.slugs[i], incident, &imported,
		                       &total, j->rep, j->err))
			return j->err->code;
		j->res->notes_imported += imported;
	}
	return 0;
}

static int
run_pull(struct pull_job *j, git_remote *remote, struct store *st,
         const struct case_identity *who)
{
	git_repository *repo = j->c->repo;
	int found;
	if (case_fetch_branch(j->c, remote, j->remote, j->branch, &j->theirs_oid, &found, j->err))
		return j->err->code;
	if (!found) {
		j->res->up_to_date = 1;
		cases_report_info(j->rep, "nothing to pull: %s has no branch %s yet",
		                  j->remote, j->branch);
		return 0;
	}
	git_annotated_commit *ac = NULL;
	git_merge_analysis_t analysis;
	git_merge_preference_t pref;
	if (git_annotated_commit_lookup(&ac, repo, &j->theirs_oid) ||
	    git_merge_analysis(&analysis, &pref, repo, (const git_annotated_commit **)&ac, 1)) {
		git_annotated_commit_free(ac);
		return cases_git_error(j->err, "analysing the merge");
	}
	git_annotated_commit_free(ac);
	git_oid ours;
	int unborn = (analysis & GIT_MERGE_ANALYSIS_UNBORN) != 0;
	if (!unborn && git_reference_name_to_id(&ours, repo, "HEAD") != 0)
		return cases_git_error(j->err, "reading HEAD");
	if (analysis & GIT_MERGE_ANALYSIS_UP_TO_DATE) {
		j->res->up_to_date = 1;
		git_oid_tostr(j->res->commit, sizeof j->res->commit, &ours);
		cases_report_info(j->rep, "already up to date with %s/%s", j->remote, j->branch);
		return 0;
	}
	/* The cases the other side touched: their generated files are
	 * refreshed by a merge, their notes loaded into the workspace. */
	struct tree_changes tc = { &j->touched, 0 };
	if (diff_commits(repo, unborn ? NULL : &ours, &j->theirs_oid, &tc, j->err))
		return j->err->code;
	int rc = (analysis & (GIT_MERGE_ANALYSIS_FASTFORWARD | GIT_MERGE_ANALYSIS_UNBORN))
	         ? fast_forward(j, unborn) : merge_normal(j, &ours, who);
	/* What the pull changed here: the notes that differ afterwards. */
	git_oid now;
	struct tree_changes after = { &j->touched, 0 };
	if (rc == 0 && (git_oid_fromstr(&now, j->res->commit) != 0 ||
	                diff_commits(repo, unborn ? NULL : &ours, &now, &after, j->err)))
		rc = j->err->code ? j->err->code : cases_git_error(j->err, "reading the result");
	j->res->notes_new = after.notes_added;
	if (rc == 0)
		cases_report_info(j->rep, "%s %s/%s: %d new or changed note%s, %d conflict%s kept side by side",
		                  j->res->merged ? "merged" : "fast-forwarded to", j->remote,
		                  j->branch, j->res->notes_new, j->res->notes_new == 1 ? "" : "s",
		                  j->res->conflicts, j->res->conflicts == 1 ? "" : "s");
	if (rc == 0 && st)
		rc = import_touched(j, st);
	return rc;
}

int
cases_pull(struct cases *c, struct store *st, const char *remote_name,
           const struct case_identity *who, const struct cases_report *rep,
           struct cases_pull_result *res, struct alibi_error *err)
{
	memset(res, 0, sizeof *res);
	if (cases_require_clean(c, "pull", err))
		return err->code;
	struct cases_state s;
	if (cases_repo_state(c, remote_name, &s, err))
		return err->code;
	git_remote *remote = NULL;
	if (cases_lookup_remote(c, remote_name, 0, &remote, err))
		return err->code;
	struct pull_job j = { .c = c, .rep = rep, .res = res, .err = err,
	                      .remote = remote_name && *remote_name ? remote_name : "origin",
	                      .kept = STRBUF_INIT };
	snprintf(j.branch, sizeof j.branch, "%s", s.branch);
	int rc = run_pull(&j, remote, st, who);
	slug_set_free(&j.touched);
	sb_free(&j.kept);
	git_remote_free(remote);
	return rc;
}
