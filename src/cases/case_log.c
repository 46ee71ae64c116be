/* case_log.c — reading the repository: the cases at HEAD and the history
 * of one case, for `alibi case list|log` and the console's case views. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "cases_internal.h"

static const char *
jstr(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The slugs of cases at HEAD: directories cases/<slug>/ with a case.json. */
static void
collect_slugs(git_index *idx, char ***slugs, size_t *count)
{
	*slugs = NULL;
	*count = 0;
	size_t root = strlen(CASES_ROOT "/");
	size_t n = git_index_entrycount(idx);
	for (size_t i = 0; i < n; i++) {
		const git_index_entry *e = git_index_get_byindex(idx, i);
		if (strncmp(e->path, CASES_ROOT "/", root) != 0)
			continue;
		const char *slug = e->path + root;
		size_t len = strcspn(slug, "/");
		if (strcmp(slug + len, "/case.json") != 0 || len > CASE_SLUG_MAX)
			continue;
		char *s = xstrndup(slug, len);
		if (!cases_slug_is_valid(s)) {
			free(s);
			continue;
		}
		*slugs = xrealloc(*slugs, (*count + 1) * sizeof **slugs);
		(*slugs)[(*count)++] = s;
	}
}

int
cases_list(struct cases *c, int (*fn)(void *ctx, const struct cases_list_entry *e),
           void *ctx, struct alibi_error *err)
{
	git_index *idx = NULL;
	if (cases_head_index(c, &idx, err))
		return err->code;
	char **slugs;
	size_t count;
	collect_slugs(idx, &slugs, &count);
	int rc = 0, stop = 0;
	for (size_t i = 0; i < count; i++) {
		struct case_doc doc;
		struct alibi_error e2 = { 0 };
		if (!stop && case_doc_load(c->repo, idx, slugs[i], NULL, &doc, &e2) == 0) {
			struct cases_list_entry e = { .slug = slugs[i] };
			e.title = jstr(doc.case_json, "title");
			e.status = case_doc_status(&doc, e.verdicts);
			e.findings = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc.case_json,
			                                                                 "findings"));
			e.notes = (int)doc.note_count;
			stop = fn(ctx, &e);
			case_doc_free(&doc);
		}
		free(slugs[i]);
	}
	free(slugs);
	git_index_free(idx);
	return rc;
}

/* ---- history ---- */

/* 1 when commit changed cases/<slug>: its tree there differs from every
 * parent's, as `git log -- PATH` simplifies history. */
static int
touches(git_commit *commit, const char *path)
{
	git_tree *tree = NULL;
	git_tree_entry *mine = NULL;
	if (git_commit_tree(&tree, commit) != 0)
		return 0;
	git_tree_entry_bypath(&mine, tree, path);
	git_tree_free(tree);
	unsigned parents = git_commit_parentcount(commit);
	int changed = parents == 0 ? mine != NULL : 1;
	for (unsigned i = 0; i < parents && changed; i++) {
		git_commit *p = NULL;
		git_tree *pt = NULL;
		git_tree_entry *theirs = NULL;
		if (git_commit_parent(&p, commit, i) == 0 && git_commit_tree(&pt, p) == 0)
			git_tree_entry_bypath(&theirs, pt, path);
		if ((!mine && !theirs) ||
		    (mine && theirs && git_oid_equal(git_tree_entry_id(mine), git_tree_entry_id(theirs))))
			changed = 0;
		git_tree_entry_free(theirs);
		git_tree_free(pt);
		git_commit_free(p);
	}
	git_tree_entry_free(mine);
	return changed;
}

static int
emit(git_commit *commit, int (*fn)(void *ctx, const struct cases_log_entry *e), void *ctx)
{
	char id[41];
	git_oid_tostr(id, sizeof id, git_commit_id(commit));
	const git_signature *a = git_commit_author(commit);
	const char *body = git_commit_body(commit);
	struct cases_log_entry e = {
		.commit = id,
		.author = a && a->name ? a->name : "",
		.email = a && a->email ? a->email : "",
		.time = a ? (int64_t)a->when.time : 0,
		.tz_minutes = a ? a->when.offset : 0,
		.subject = git_commit_summary(commit) ? git_commit_summary(commit) : "",
		.body = body ? body : "",
		.merge = git_commit_parentcount(commit) > 1,
	};
	return fn(ctx, &e);
}

int
cases_log(struct cases *c, const char *slug, int max,
          int (*fn)(void *ctx, const struct cases_log_entry *e), void *ctx,
          struct alibi_error *err)
{
	if (slug && !cases_slug_is_valid(slug))
		return alibi_error_set(err, ALIBI_EUSAGE, "'%.100s' is not a valid case name", slug);
	if (git_repository_head_unborn(c->repo) == 1)
		return 0;
	git_revwalk *walk = NULL;
	if (git_revwalk_new(&walk, c->repo) != 0 ||
	    git_revwalk_sorting(walk, GIT_SORT_TIME) != 0 ||
	    git_revwalk_push_head(walk) != 0) {
		git_revwalk_free(walk);
		return cases_git_error(err, "reading the history");
	}
	char path[CASE_SLUG_MAX + 16];
	if (slug)
		snprintf(path, sizeof path, CASES_ROOT "/%s", slug);
	git_oid oid;
	int shown = 0, rc = 0, walked;
	while ((walked = git_revwalk_next(&oid, walk)) == 0 && (max <= 0 || shown < max)) {
		git_commit *commit = NULL;
		if (git_commit_lookup(&commit, c->repo, &oid) != 0) {
			rc = cases_git_error(err, "reading a commit");
			break;
		}
		int stop = 0;
		if (!slug || touches(commit, path)) {
			shown++;
			stop = emit(commit, fn, ctx);
		}
		git_commit_free(commit);
		if (stop)
			break;
	}
	if (rc == 0 && walked != 0 && walked != GIT_ITEROVER)
		rc = cases_git_error(err, "reading the history");
	git_revwalk_free(walk);
	return rc;
}
