/* case_commit.c — `alibi case commit`: the incident's case written into
 * the working tree, staged, and committed with the reviewer as author.
 *
 * Files are written first (evidence, notes, case.json), then status and
 * README.md are generated from what the index then holds — the notes of
 * teammates included, even those not loaded into this workspace — so
 * they always describe exactly the committed files. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/termtext.h"
#include "case_export.h"

struct exported_note {
	char uid[37];
	int64_t updated_at;
	enum annotation_verdict verdict;
	char *line;           /* for the commit message */
};

struct commit_job {
	struct cases *c;
	struct store *st;
	struct case_export x;
	git_index *idx;
	const struct cases_report *rep;
	struct cases_commit_result *res;
	struct alibi_error *err;
	int64_t incident;
	const struct case_identity *who;
	uint64_t cap;
	struct exported_note *notes;
	size_t note_count;
	/* The annotations as read; written after the listing ends, since a
	 * callback must not run other statements' writes mid-iteration. */
	struct annotation *pending;
	size_t pending_count;
};

static int
stage(struct commit_job *j, const char *rel)
{
	if (git_index_add_bypath(j->idx, rel) != 0)
		return cases_git_error(j->err, rel);
	return 0;
}

static int
write_and_stage(struct commit_job *j, const char *rel, const char *data, size_t n)
{
	if (casefs_write(j->c->dir, rel, data, n, j->err))
		return j->err->code;
	return stage(j, rel);
}

static uint64_t
evidence_cap(struct cases *c, uint64_t asked)
{
	if (asked)
		return asked;
	git_config *cfg = NULL;
	int64_t v = 0;
	if (git_repository_config(&cfg, c->repo) == 0) {
		if (git_config_get_int64(&v, cfg, "alibi.evidenceCap") != 0)
			v = 0;
		git_config_free(cfg);
	}
	return v > 0 ? (uint64_t)v : CASES_EVIDENCE_CAP_DEFAULT;
}

/* ---- evidence ---- */

static void
human_size(char *buf, size_t size, uint64_t bytes)
{
	static const char *const units[] = { "KiB", "MiB", "GiB" };
	double v = (double)bytes;
	int u = -1;
	while (v >= 1024 && u < 2) {
		v /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(buf, size, "%" PRIu64 " bytes", bytes);
	else if (v == (double)(uint64_t)v)
		snprintf(buf, size, "%.0f %s", v, units[u]);
	else
		snprintf(buf, size, "%.1f %s", v, units[u]);
}

/* Copies source i into evidence/ unless the same bytes are there already.
 * A source that cannot be copied is left out with a warning rather than
 * blocking the commit of the reviewer's notes. */
static int
copy_evidence(struct commit_job *j, size_t i)
{
	const struct case_export_source *s = &j->x.sources[i];
	struct strbuf rel = STRBUF_INIT;
	sb_addf(&rel, CASES_ROOT "/%s/evidence/%s", j->x.slug, s->name);
	char have[65];
	uint64_t bytes;
	int exists;
	int rc = casefs_hash(j->c->dir, sb_str(&rel), have, &bytes, &exists, j->err);
	const char *omitted = NULL;
	char why[300];
	if (rc == 0 && exists && strcmp(have, s->sha256) == 0) {
		rc = stage(j, sb_str(&rel));
	} else if (rc == 0 && (uint64_t)s->bytes > j->cap) {
		char sz[32], cap[32];
		human_size(sz, sizeof sz, (uint64_t)s->bytes);
		human_size(cap, sizeof cap, j->cap);
		snprintf(why, sizeof why, "%s is larger than the evidence cap (%s)", sz, cap);
		omitted = why;
		cases_report_warn(j->rep, "%s: not copied into the case: %s is over the evidence"
		                  " size cap of %s; raise it with --evidence-cap SIZE or"
		                  " git config alibi.evidenceCap SIZE", s->path, sz, cap);
	} else if (rc == 0) {
		struct alibi_error e2 = { 0 };
		if (casefs_copy_in(j->c->dir, sb_str(&rel), s->abspath, s->sha256, &e2) == 0) {
			rc = stage(j, sb_str(&rel));
			j->res->evidence_copied++;
		} else if (e2.code == ALIBI_ENOTFOUND || e2.code == ALIBI_EFORMAT) {
			snprintf(why, sizeof why, "%s",
			         e2.code == ALIBI_ENOTFOUND ? "the source file was not found"
			                                    : "the source file changed after import");
			omitted = why;
			cases_report_warn(j->rep, "%s: not copied into the case: %s", s->path, e2.msg);
		} else {
			*j->err = e2;
			rc = e2.code;
		}
	}
	if (rc == 0) {
		case_export_set_source(&j->x, i, omitted);
		j->res->evidence_omitted += omitted != NULL;
	}
	sb_free(&rel);
	return rc;
}

/* ---- notes ---- */

static int
collect_annotation(void *ctx, const struct annotation *a)
{
	struct commit_job *j = ctx;
	j->pending = xrealloc(j->pending, (j->pending_count + 1) * sizeof *j->pending);
	struct annotation *p = &j->pending[j->pending_count++];
	*p = *a;
	p->uid = xstrdup(a->uid);
	p->finding_key = xstrdup(a->finding_key);
	p->author = xstrdup(a->author);
	p->tags = xstrdup(a->tags);
	p->note = xstrdup(a->note);
	p->committed_in = xstrdup(a->committed_in);
	return 0;
}

static char *
note_summary_line(const struct annotation *a)
{
	struct strbuf raw = STRBUF_INIT, safe = STRBUF_INIT;
	sb_addf(&raw, "%s %s by %s", a->verdict == ANNOTATION_NONE ? "note" :
	        annotation_verdict_name(a->verdict),
	        a->finding_key ? "on finding" : "on the incident", a->author);
	if (a->finding_key)
		sb_addf(&raw, " (%.12s)", a->finding_key);
	if (a->note && *a->note) {
		size_t n = strcspn(a->note, "\n");
		sb_addf(&raw, ": %.*s%s", (int)(n > 60 ? 60 : n), a->note, n > 60 ? "..." : "");
	}
	termtext_escape(&safe, raw.buf, raw.len, 0);
	sb_free(&raw);
	return sb_detach(&safe);
}

/* Writes the note file of an annotation that changed since its last
 * commit, or that this repository does not hold yet. */
static int
export_note(struct commit_job *j, const struct annotation *a)
{
	if (!annotation_uid_is_valid(a->uid))
		return 0;
	struct strbuf rel = STRBUF_INIT;
	sb_addf(&rel, CASES_ROOT "/%s/notes/%s.json", j->x.slug, a->uid);
	char have[65];
	uint64_t bytes;
	int exists;
	int rc = casefs_hash(j->c->dir, sb_str(&rel), have, &bytes, &exists, j->err);
	int empty = a->verdict == ANNOTATION_NONE && !*a->note && !*a->tags;
	if (rc == 0 && (a->committed_in == NULL || !exists) && !(empty && !exists)) {
		char *text = case_note_json(a, j->x.slug);
		rc = write_and_stage(j, sb_str(&rel), text, strlen(text));
		free(text);
		if (rc == 0 && a->committed_in == NULL) {
			j->notes = xrealloc(j->notes, (j->note_count + 1) * sizeof *j->notes);
			struct exported_note *n = &j->notes[j->note_count++];
			snprintf(n->uid, sizeof n->uid, "%s", a->uid);
			n->updated_at = a->updated_at;
			n->verdict = a->verdict;
			n->line = note_summary_line(a);
		}
		j->res->notes_written += rc == 0;
	}
	sb_free(&rel);
	return rc;
}

static int
export_notes(struct commit_job *j)
{
	if (annotations_each(j->st, j->x.incident, ANNOTATIONS_ALL, NULL,
	                     collect_annotation, j, j->err))
		return j->err->code;
	for (size_t i = 0; i < j->pending_count; i++)
		if (export_note(j, &j->pending[i]))
			return j->err->code;
	return 0;
}

/* ---- case.json and README.md ---- */

static int
write_generated(struct commit_job *j, int counts[4])
{
	struct strbuf rel = STRBUF_INIT, readme = STRBUF_INIT;
	char *text = case_json_print(j->x.json);
	sb_addf(&rel, CASES_ROOT "/%s/case.json", j->x.slug);
	int rc = write_and_stage(j, sb_str(&rel), text, strlen(text));
	free(text);
	struct case_doc doc;
	if (rc == 0)
		rc = case_doc_load(j->c->repo, j->idx, j->x.slug, j->rep, &doc, j->err);
	if (rc == 0) {
		/* The status counts every reviewer's notes in the repository. */
		const char *status = case_doc_status(&doc, counts);
		cJSON_ReplaceItemInObjectCaseSensitive(j->x.json, "status",
		                                       cJSON_CreateString(status));
		case_doc_update_status(&doc);
		text = case_json_print(j->x.json);
		rc = write_and_stage(j, sb_str(&rel), text, strlen(text));
		free(text);
		case_readme_render(&doc, &readme);
		sb_reset(&rel);
		sb_addf(&rel, CASES_ROOT "/%s/README.md", j->x.slug);
		if (rc == 0)
			rc = write_and_stage(j, sb_str(&rel), readme.buf, readme.len);
		case_doc_free(&doc);
	}
	sb_free(&rel);
	sb_free(&readme);
	return rc;
}

/* ---- the commit ---- */

static void
commit_message(struct commit_job *j, const char *subject, struct strbuf *msg)
{
	if (subject && *subject) {
		struct strbuf safe = STRBUF_INIT;
		termtext_escape(&safe, subject, strlen(subject), TERMTEXT_KEEP_NEWLINES);
		sb_adds(msg, sb_str(&safe));
		sb_free(&safe);
	} else {
		sb_addf(msg, "%s: %s", j->x.slug, j->res->summary);
	}
	sb_adds(msg, "\n\n");
	if (subject && *subject)
		sb_addf(msg, "Verdicts: %s.\n", j->res->summary);
	if (j->note_count) {
		sb_adds(msg, "Annotations in this commit:\n");
		for (size_t i = 0; i < j->note_count; i++)
			sb_addf(msg, "- %s\n", j->notes[i].line);
	}
	sb_addf(msg, "\nEvidence: %zu source%s", j->x.source_count,
	        j->x.source_count == 1 ? "" : "s");
	if (j->res->evidence_omitted)
		sb_addf(msg, " (%d not copied)", j->res->evidence_omitted);
	sb_adds(msg, ".\n");
}

static int
head_commit(git_repository *repo, git_commit **out)
{
	*out = NULL;
	git_oid oid;
	if (git_reference_name_to_id(&oid, repo, "HEAD") != 0)
		return 0;   /* unborn: the first commit */
	return git_commit_lookup(out, repo, &oid);
}

static int
make_commit(struct commit_job *j, const char *subject)
{
	git_oid tree_oid, commit_oid;
	git_commit *parent = NULL;
	git_tree *tree = NULL;
	git_signature *sig = NULL;
	int rc = 0;
	if (git_index_write(j->idx) != 0 || git_index_write_tree(&tree_oid, j->idx) != 0)
		return cases_git_error(j->err, "writing the index");
	if (head_commit(j->c->repo, &parent) != 0)
		return cases_git_error(j->err, "reading HEAD");
	if (parent && git_oid_equal(git_commit_tree_id(parent), &tree_oid)) {
		git_oid_tostr(j->res->commit, sizeof j->res->commit, git_commit_id(parent));
		git_commit_free(parent);
		return 0;   /* nothing changed */
	}
	struct strbuf msg = STRBUF_INIT;
	commit_message(j, subject, &msg);
	if (git_tree_lookup(&tree, j->c->repo, &tree_oid) != 0) {
		rc = cases_git_error(j->err, "reading the new tree");
	} else if (cases_signature(j->who, &sig, j->err) == 0) {
		const git_commit *parents[1] = { parent };
		if (git_commit_create(&commit_oid, j->c->repo, "HEAD", sig, sig, NULL,
		                      sb_str(&msg), tree, parent ? 1 : 0, parents) != 0) {
			rc = cases_git_error(j->err, "committing");
		} else {
			git_oid_tostr(j->res->commit, sizeof j->res->commit, &commit_oid);
			j->res->committed = 1;
		}
	} else {
		rc = j->err->code;
	}
	sb_free(&msg);
	git_signature_free(sig);
	git_tree_free(tree);
	git_commit_free(parent);
	return rc;
}

/* After a failure, puts the index and the case's tracked files back as
 * HEAD has them, so the repository is not left looking edited by hand. */
static void
roll_back(struct commit_job *j)
{
	git_commit *head = NULL;
	git_tree *tree = NULL;
	if (head_commit(j->c->repo, &head) == 0 && head &&
	    git_commit_tree(&tree, head) == 0) {
		git_index_read_tree(j->idx, tree);
		git_index_write(j->idx);
		char path[CASE_SLUG_MAX + 16];
		snprintf(path, sizeof path, CASES_ROOT "/%s", j->x.slug);
		char *paths[1] = { path };
		git_checkout_options co;
		git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
		co.checkout_strategy = GIT_CHECKOUT_FORCE;
		co.paths.strings = paths;
		co.paths.count = 1;
		git_checkout_head(j->c->repo, &co);
	} else {
		git_index_clear(j->idx);
		git_index_write(j->idx);
	}
	git_tree_free(tree);
	git_commit_free(head);
}

static int
mark_committed(struct commit_job *j)
{
	for (size_t i = 0; i < j->note_count; i++)
		if (annotations_mark_committed(j->st, j->notes[i].uid, j->notes[i].updated_at,
		                               j->res->commit, j->err))
			return j->err->code;
	return 0;
}

static void
job_free(struct commit_job *j)
{
	for (size_t i = 0; i < j->note_count; i++)
		free(j->notes[i].line);
	free(j->notes);
	for (size_t i = 0; i < j->pending_count; i++)
		annotation_clear(&j->pending[i]);
	free(j->pending);
	git_index_free(j->idx);
	case_export_free(&j->x);
}

static int
run_commit(struct commit_job *j, const struct cases_commit_options *opt)
{
	if (case_export_build(j->st, j->incident, &j->x, j->err))
		return j->err->code;
	snprintf(j->res->slug, sizeof j->res->slug, "%s", j->x.slug);
	if (git_repository_index(&j->idx, j->c->repo) != 0)
		return cases_git_error(j->err, "reading the index");
	int counts[4];
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < j->x.source_count; i++)
		rc = copy_evidence(j, i);
	if (rc == 0)
		rc = export_notes(j);
	if (rc == 0)
		rc = write_generated(j, counts);
	if (rc == 0) {
		snprintf(j->res->summary, sizeof j->res->summary,
		         "%d confirmed, %d dismissed, %d unclear, %d open",
		         counts[ANNOTATION_CONFIRMED], counts[ANNOTATION_DISMISSED],
		         counts[ANNOTATION_UNCLEAR], counts[ANNOTATION_NONE]);
		rc = make_commit(j, opt->message);
	}
	if (rc) {
		roll_back(j);
		return rc;
	}
	return mark_committed(j);
}

int
cases_commit(struct cases *c, struct store *st, int64_t incident,
             const struct cases_commit_options *opt,
             const struct cases_report *rep, struct cases_commit_result *res,
             struct alibi_error *err)
{
	memset(res, 0, sizeof *res);
	if (cases_require_clean(c, "commit", err))
		return err->code;
	struct commit_job j = {
		.c = c, .st = st, .rep = rep, .res = res, .err = err,
		.incident = incident, .who = opt->who,
		.cap = evidence_cap(c, opt->evidence_cap),
	};
	int rc = run_commit(&j, opt);
	job_free(&j);
	return rc;
}

int
cases_commit_incident(const char *cases_dir, const char *author,
                      struct store *st, int64_t incident, const char *message,
                      const struct cases_report *rep,
                      struct cases_commit_result *res, struct alibi_error *err)
{
	memset(res, 0, sizeof *res);
	struct case_identity who;
	struct strbuf dir = STRBUF_INIT;
	struct cases *c = NULL;
	struct cases_commit_options opt = { &who, message, 0 };
	int rc = 0;
	if (cases_identity(author, &who, err) ||
	    cases_resolve_dir(cases_dir, &dir, err) ||
	    cases_repo_open(sb_str(&dir), &c, err) ||
	    cases_commit(c, st, incident, &opt, rep, res, err))
		rc = err->code;
	cases_repo_close(c);
	sb_free(&dir);
	return rc;
}
