/* case_open.c — `alibi case open SLUG`: a committed case back into the
 * workspace, so a teammate sees what its author saw.
 *
 * case.json and the notes are read from HEAD's tree (git objects, not the
 * working tree).  The evidence files are imported from the working tree,
 * but only when reached without a symbolic link and with the sha256 that
 * case.json records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/analyze.h"
#include "alibi/import.h"
#include "cases_internal.h"

int
cases_head_index(struct cases *c, git_index **out, struct alibi_error *err)
{
	*out = NULL;
	git_index *idx = NULL;
	if (git_index_new(&idx) != 0)
		return cases_git_error(err, "making an index");
	git_oid oid;
	git_commit *head = NULL;
	git_tree *tree = NULL;
	int rc = 0;
	if (git_reference_name_to_id(&oid, c->repo, "HEAD") == 0) {
		if (git_commit_lookup(&head, c->repo, &oid) || git_commit_tree(&tree, head) ||
		    git_index_read_tree(idx, tree))
			rc = cases_git_error(err, "reading HEAD");
	}
	git_tree_free(tree);
	git_commit_free(head);
	if (rc) {
		git_index_free(idx);
		return rc;
	}
	*out = idx;
	return 0;
}

static void
head_id(struct cases *c, char out[41])
{
	git_oid oid;
	out[0] = '\0';
	if (git_reference_name_to_id(&oid, c->repo, "HEAD") == 0)
		git_oid_tostr(out, 41, &oid);
}

/* Loads doc's notes as annotations of incident, each marked as committed
 * in commit (they are in the repository already). */
static int
import_doc_notes(struct store *st, const struct case_doc *doc, int64_t incident,
                 const char *commit, int *imported, const struct cases_report *rep,
                 struct alibi_error *err)
{
	*imported = 0;
	if (store_begin(st, err))
		return err->code;
	for (size_t i = 0; i < doc->note_count; i++) {
		struct annotation a = doc->notes[i].a;
		a.incident = incident;
		a.committed_in = commit[0] ? commit : NULL;
		int changed = 0;
		struct alibi_error e2 = { 0 };
		if (annotations_import(st, &a, &changed, &e2)) {
			if (e2.code == ALIBI_EDB) {
				store_rollback(st);
				*err = e2;
				return err->code;
			}
			cases_report_warn(rep, "case %s: note %s skipped: %s", doc->slug,
			                  doc->notes[i].uid, e2.msg);
			continue;
		}
		*imported += changed;
	}
	return store_commit(st, err);
}

int
cases_import_notes(struct cases *c, struct store *st, const char *slug,
                   int64_t incident, int *imported, int *total,
                   const struct cases_report *rep, struct alibi_error *err)
{
	*imported = *total = 0;
	git_index *idx = NULL;
	if (cases_head_index(c, &idx, err))
		return err->code;
	struct case_doc doc;
	int rc = case_doc_load(c->repo, idx, slug, rep, &doc, err);
	if (rc == 0) {
		char commit[41];
		head_id(c, commit);
		*total = (int)doc.note_count;
		rc = import_doc_notes(st, &doc, incident, commit, imported, rep, err);
		case_doc_free(&doc);
	}
	git_index_free(idx);
	return rc;
}

/* ---- the evidence ---- */

static const char *
jstr(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int
is_sha256_hex(const char *s)
{
	if (!s || strlen(s) != 64)
		return 0;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return 0;
	return 1;
}

/* Checks one source of case.json and imports its evidence file.  A source
 * that fails a check is reported and counted, not fatal. */
static int
open_source(struct cases *c, struct store *st, const char *slug,
            const char *incident_slug, const cJSON *src,
            const struct cases_report *rep, struct cases_open_result *res,
            struct alibi_error *err)
{
	const char *name = jstr(src, "name") ? jstr(src, "name") : "?";
	const char *evidence = jstr(src, "evidence");
	const char *sha = jstr(src, "sha256");
	const char *format = jstr(src, "format");
	if (!evidence) {
		cases_report_warn(rep, "case %s: source %s is not in the case (%s)", slug, name,
		                  jstr(src, "omitted") ? jstr(src, "omitted") : "omitted");
		res->sources_missing++;
		return 0;
	}
	struct strbuf rel = STRBUF_INIT, path = STRBUF_INIT;
	sb_addf(&rel, CASES_ROOT "/%s/%s", slug, evidence);
	char have[65];
	uint64_t bytes;
	int exists = 0;
	struct alibi_error e2 = { 0 };
	const char *problem = NULL;
	if (strncmp(evidence, "evidence/", 9) != 0 || !casefs_rel_is_safe(sb_str(&rel)))
		problem = "its path is not a file under evidence/";
	else if (!is_sha256_hex(sha))
		problem = "case.json has no valid sha256 for it";
	else if (casefs_hash(c->dir, sb_str(&rel), have, &bytes, &exists, &e2))
		problem = e2.msg;
	else if (!exists)
		problem = "the file is missing from the working tree";
	else if (strcmp(have, sha) != 0)
		problem = "its sha256 does not match case.json (changed or corrupted)";
	if (problem) {
		cases_report_warn(rep, "case %s: evidence %s not imported: %s", slug, evidence, problem);
		res->sources_missing++;
		sb_free(&rel);
		return 0;
	}
	sb_addf(&path, "%s/%s", c->dir, sb_str(&rel));
	const char *paths[1] = { sb_str(&path) };
	/* a case of one sample of a log with several takes that sample again */
	struct import_options opt = { incident_slug, format, 1 };
	struct import_result ir;
	memset(&ir, 0, sizeof ir);
	int rc = import_paths(st, paths, 1, &opt, NULL, &ir, err);
	if (rc == 0 && (ir.files_ok || ir.files_partial || ir.files_duplicate)) {
		res->sources_imported++;
	} else if (rc == 0) {
		cases_report_warn(rep, "case %s: evidence %s could not be imported", slug, evidence);
		res->sources_missing++;
	}
	import_result_free(&ir);
	sb_free(&rel);
	sb_free(&path);
	return rc;
}

/* ---- findings found again ---- */

struct key_list {
	char **keys;
	size_t count;
};

static int
collect_key(void *ctx, const struct store_finding_row *r)
{
	struct key_list *kl = ctx;
	kl->keys = xrealloc(kl->keys, (kl->count + 1) * sizeof *kl->keys);
	kl->keys[kl->count++] = xstrdup(r->f.stable_key ? r->f.stable_key : "");
	return 0;
}

static int
count_missing_findings(struct store *st, const struct case_doc *doc,
                       struct cases_open_result *res, const struct cases_report *rep,
                       struct alibi_error *err)
{
	struct key_list kl = { NULL, 0 };
	if (store_each_finding(st, res->incident, collect_key, &kl, err))
		return err->code;
	const cJSON *f;
	cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(doc->case_json, "findings")) {
		const char *key = jstr(f, "key");
		if (!key)
			continue;
		res->findings_expected++;
		int seen = 0;
		for (size_t i = 0; i < kl.count && !seen; i++)
			seen = strcmp(kl.keys[i], key) == 0;
		res->findings_missing += !seen;
	}
	if (res->findings_missing)
		cases_report_warn(rep, "case %s: %d of its %d findings were not found again by this"
		                  " analysis (other rules or another alibi version?); their notes"
		                  " are kept", doc->slug, res->findings_missing,
		                  res->findings_expected);
	for (size_t i = 0; i < kl.count; i++)
		free(kl.keys[i]);
	free(kl.keys);
	return 0;
}

static int
analyze_opened(struct store *st, int64_t incident, const struct rules *rules,
               struct alibi_error *err)
{
	struct rules *own = NULL;
	if (!rules && rules_load_default(&own, err))
		return err->code;
	struct analyze_options opt = { 0 };
	struct analyze_summary sum;
	int rc = analyze_incident(st, incident, rules ? rules : own, &opt, &sum, err);
	rules_free(own);
	return rc;
}

int
cases_open_case(struct cases *c, struct store *st, const char *slug,
                const struct rules *rules, const struct cases_report *rep,
                struct cases_open_result *res, struct alibi_error *err)
{
	memset(res, 0, sizeof *res);
	if (!cases_slug_is_valid(slug))
		return alibi_error_set(err, ALIBI_EUSAGE, "'%.100s' is not a valid case name"
		                       " (letters, digits, '.', '_' and '-'; see 'alibi case list')",
		                       slug ? slug : "");
	git_index *idx = NULL;
	if (cases_head_index(c, &idx, err))
		return err->code;
	struct case_doc doc;
	int rc = case_doc_load(c->repo, idx, slug, rep, &doc, err);
	git_index_free(idx);
	if (rc)
		return rc;
	if (!doc.case_json) {
		case_doc_free(&doc);
		return alibi_error_set(err, ALIBI_ENOTFOUND, "no case '%s' in %s (see 'alibi case"
		                       " list'; 'alibi case pull' fetches teammates' cases)",
		                       slug, c->dir);
	}
	/* The incident gets the slug import would give the name, so that it
	 * commits back to this same case. */
	const char *title = jstr(doc.case_json, "title");
	struct strbuf islug = STRBUF_INIT;
	cases_slug_for(slug, &islug);
	if (strcmp(sb_str(&islug), slug) != 0)
		cases_report_warn(rep, "case %s opens as incident %s", slug, sb_str(&islug));
	rc = store_incident_ensure(st, sb_str(&islug), title ? title : slug, &res->incident,
	                           NULL, err);
	const cJSON *src;
	cJSON_ArrayForEach(src, cJSON_GetObjectItemCaseSensitive(doc.case_json, "sources")) {
		if (rc)
			break;
		rc = open_source(c, st, slug, sb_str(&islug), src, rep, res, err);
	}
	sb_free(&islug);
	if (rc == 0 && res->sources_imported)
		rc = analyze_opened(st, res->incident, rules, err);
	if (rc == 0)
		rc = count_missing_findings(st, &doc, res, rep, err);
	if (rc == 0) {
		char commit[41];
		head_id(c, commit);
		res->notes_total = (int)doc.note_count;
		rc = import_doc_notes(st, &doc, res->incident, commit, &res->notes_imported, rep, err);
	}
	case_doc_free(&doc);
	return rc;
}
