/* view_cases.c — the case list: the cases of the case repository (at
 * HEAD), with what the workspace holds of each that is not committed yet.
 * Enter opens a case (imported into the workspace, then its incident
 * view); l shows its history.  Slugs, titles and messages come from other
 * people's commits: they are drawn only through the screen's safe text. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alibi/alloc.h"
#include "alibi/rules.h"
#include "alibi/views.h"
#include "tui_internal.h"

struct case_row {
	char *slug, *title, *status;
	int in_repo;             /* 0: only in the workspace, not committed */
	int findings, notes;
	int verdicts[4];
	int uncommitted;         /* annotations in the workspace, not committed */
	int64_t incident;        /* the workspace's incident of that slug, or 0 */
};

struct cases_view {
	struct cases *repo;
	struct case_row *rows;
	size_t cap;
	struct list list;
	unsigned review_gen;
};

static struct case_row *
add_row(struct cases_view *cv, const char *slug)
{
	void *p = cv->rows;
	grow_array(&p, sizeof *cv->rows, &cv->cap, cv->list.count + 1);
	cv->rows = p;
	struct case_row *r = &cv->rows[cv->list.count++];
	memset(r, 0, sizeof *r);
	r->slug = xstrdup(slug);
	return r;
}

static struct case_row *
find_row(struct cases_view *cv, const char *slug)
{
	for (size_t i = 0; i < cv->list.count; i++)
		if (strcmp(cv->rows[i].slug, slug) == 0)
			return &cv->rows[i];
	return NULL;
}

static int
collect_case(void *ctx, const struct cases_list_entry *e)
{
	struct case_row *r = add_row(ctx, e->slug ? e->slug : "");
	r->title = xstrdup(e->title ? e->title : "");
	r->status = xstrdup(e->status ? e->status : "");
	r->in_repo = 1;
	r->findings = e->findings;
	r->notes = e->notes;
	memcpy(r->verdicts, e->verdicts, sizeof r->verdicts);
	return 0;
}

struct local_ctx {
	struct cases_view *cv;
	struct store *st;
	struct strbuf slug;
};

static int
count_uncommitted(void *ctx, const struct annotation *a)
{
	(void)a;
	++*(int *)ctx;
	return 0;
}

/* Each workspace incident: its case row (made when it has uncommitted
 * annotations but no case yet) learns the incident and the count. */
static int
collect_local(void *ctx, const struct views_incident_row *in)
{
	struct local_ctx *lc = ctx;
	int n = 0;
	struct alibi_error err = { 0 };
	annotations_each(lc->st, in->id, ANNOTATIONS_UNCOMMITTED, NULL,
	                 count_uncommitted, &n, &err);
	sb_reset(&lc->slug);
	cases_slug_for(in->slug ? in->slug : "", &lc->slug);
	struct case_row *r = find_row(lc->cv, sb_str(&lc->slug));
	if (!r && n == 0)
		return 0;
	if (!r) {
		r = add_row(lc->cv, sb_str(&lc->slug));
		r->title = xstrdup(in->title ? in->title : "");
		r->status = xstrdup("not committed");
	}
	r->incident = in->id;
	r->uncommitted = n;
	return 0;
}

static void
free_rows(struct cases_view *cv)
{
	for (size_t i = 0; i < cv->list.count; i++) {
		free(cv->rows[i].slug);
		free(cv->rows[i].title);
		free(cv->rows[i].status);
	}
	cv->list.count = 0;
}

static void
load(struct cases_view *cv, struct tui *t)
{
	size_t cursor = cv->list.cursor;
	free_rows(cv);
	cv->review_gen = t->review_gen;
	struct alibi_error err = { 0 };
	if (cases_list(cv->repo, collect_case, cv, &err))
		tui_error(t, "%s", err.msg);
	struct local_ctx lc = { cv, t->st, STRBUF_INIT };
	if (views_each_incident(t->st, collect_local, &lc, &err))
		tui_error(t, "%s", err.msg);
	sb_free(&lc.slug);
	cv->list.cursor = cursor;
}

static int
put_col(struct screen *s, int y, int x, int w, const char *text, int area)
{
	if (x >= s->cols)
		return x;
	screen_puts(s, y, x, w < s->cols - x ? w : s->cols - x, text, area);
	return x + w + 2;
}

static void
cases_draw(struct view *v, struct tui *t, int rows)
{
	struct cases_view *cv = v->data;
	struct screen *s = &t->scr;
	if (cv->review_gen != t->review_gen)
		load(cv, t);
	if (rows < 2)
		return;
	int x = put_col(s, 0, 0, 22, "CASE", AREA_header);
	x = put_col(s, 0, x, 13, "STATUS", AREA_header);
	x = put_col(s, 0, x, 16, "FINDINGS +-?", AREA_header);
	x = put_col(s, 0, x, 5, "NOTES", AREA_header);
	x = put_col(s, 0, x, 13, "UNCOMMITTED", AREA_header);
	put_col(s, 0, x, s->cols, "TITLE", AREA_header);
	if (cv->list.count == 0) {
		screen_puts(s, 2, 2, s->cols - 2, "No cases yet.", AREA_default);
		screen_puts(s, 3, 2, s->cols - 2, "c in an incident commits it as a case.", AREA_dim);
		return;
	}
	list_fit(&cv->list, rows - 1);
	for (int r = 0; r < rows - 1; r++) {
		size_t i = cv->list.top + (size_t)r;
		if (i >= cv->list.count)
			break;
		const struct case_row *e = &cv->rows[i];
		int y = r + 1;
		char findings[48], notes[16], local[24];
		if (e->in_repo)
			snprintf(findings, sizeof findings, "%d  %d %d %d", e->findings,
			         e->verdicts[ANNOTATION_CONFIRMED], e->verdicts[ANNOTATION_DISMISSED],
			         e->verdicts[ANNOTATION_UNCLEAR]);
		else
			snprintf(findings, sizeof findings, "-");
		snprintf(notes, sizeof notes, "%d", e->notes);
		snprintf(local, sizeof local, "%d", e->uncommitted);
		x = put_col(s, y, 0, 22, e->slug, AREA_default);
		x = put_col(s, y, x, 13, e->status, e->in_repo ? AREA_default : AREA_dim);
		x = put_col(s, y, x, 16, findings, AREA_default);
		x = put_col(s, y, x, 5, notes, AREA_default);
		x = put_col(s, y, x, 13, local, e->uncommitted ? AREA_default : AREA_dim);
		put_col(s, y, x, s->cols, e->title, AREA_default);
		if (i == cv->list.cursor)
			screen_paint(s, y, 0, s->cols, AREA_cursor);
	}
}

/* ---- Enter: open the case ---- */

struct report_log {
	struct strbuf text;
	int warnings;
};

static void
report_warn(void *ctx, const char *msg)
{
	struct report_log *l = ctx;
	l->warnings++;
	sb_addf(&l->text, "warning: %s\n", msg);
}

static void
report_info(void *ctx, const char *msg)
{
	struct report_log *l = ctx;
	sb_addf(&l->text, "%s\n", msg);
}

static void
open_case(struct cases_view *cv, struct tui *t, const struct case_row *e)
{
	if (!e->in_repo) {
		/* Not committed yet: the workspace has it already. */
		if (e->incident)
			view_incident_open(t, e->incident);
		return;
	}
	char *slug = xstrdup(e->slug);   /* the rows reload below */
	struct rules *rules = NULL;
	struct report_log log = { STRBUF_INIT, 0 };
	struct cases_report rep = { &log, report_warn, report_info };
	struct cases_open_result res;
	struct alibi_error err = { 0 };
	memset(&res, 0, sizeof res);
	tui_work_begin(t, "opening the case");
	int rc = rules_load_all(t->rules_path, &rules, &err) ||
	         cases_open_case(cv->repo, t->st, slug, rules, &rep, &res, &err);
	tui_work_end(t);
	rules_free(rules);
	if (rc) {
		tui_error(t, "%s", err.msg);
	} else {
		t->review_gen++;   /* a new incident, new notes */
		if (view_incident_open(t, res.incident) == 0) {
			if (log.warnings)
				view_messages_open(t, "opening the case", sb_str(&log.text));
			tui_message(t, "opened case %s: %d source%s imported%s, %d of %d findings found "
			            "again, %d notes (%d new)%s", slug, res.sources_imported,
			            res.sources_imported == 1 ? "" : "s",
			            res.sources_missing ? " (some missing)" : "",
			            res.findings_expected - res.findings_missing, res.findings_expected,
			            res.notes_total, res.notes_imported,
			            log.warnings ? "; see the warnings" : "");
		}
	}
	sb_free(&log.text);
	free(slug);
}

/* ---- l: the case's history ---- */

static int
add_log_entry(void *ctx, const struct cases_log_entry *e)
{
	struct strbuf *out = ctx;
	time_t when = (time_t)(e->time + (int64_t)e->tz_minutes * 60);
	struct tm tm;
	char date[32] = "?";
	if (gmtime_r(&when, &tm))
		strftime(date, sizeof date, "%Y-%m-%d %H:%M", &tm);
	int tz = e->tz_minutes < 0 ? -e->tz_minutes : e->tz_minutes;
	sb_addf(out, "%.12s  %s %c%02d%02d  %s <%s>%s\n", e->commit ? e->commit : "?",
	        date, e->tz_minutes < 0 ? '-' : '+', tz / 60, tz % 60,
	        e->author ? e->author : "?", e->email ? e->email : "?",
	        e->merge ? "  (merge)" : "");
	sb_addf(out, "    %s\n", e->subject ? e->subject : "");
	return 0;
}

static void
show_log(struct cases_view *cv, struct tui *t, const struct case_row *e)
{
	if (!e->in_repo) {
		tui_error(t, "case %s has no commits yet (c in its incident commits it)", e->slug);
		return;
	}
	struct strbuf text = STRBUF_INIT, title = STRBUF_INIT;
	struct alibi_error err = { 0 };
	if (cases_log(cv->repo, e->slug, 1000, add_log_entry, &text, &err)) {
		tui_error(t, "%s", err.msg);
	} else {
		sb_addf(&title, "history of case %s", e->slug);
		view_messages_open(t, sb_str(&title), text.len ? sb_str(&text) : "no commits");
	}
	sb_free(&text);
	sb_free(&title);
}

static int
cases_request(struct view *v, struct tui *t, enum tui_request req)
{
	struct cases_view *cv = v->data;
	const struct case_row *e = cv->list.cursor < cv->list.count
	                           ? &cv->rows[cv->list.cursor] : NULL;
	switch (req) {
	case REQ_CLICK:
	case REQ_ENTER:
		if (req == REQ_CLICK && !list_click(&cv->list, t->ev.y - 1))
			return 1;
		if (e)
			open_case(cv, t, e);
		return 1;
	case REQ_CASE_LOG:
		if (e)
			show_log(cv, t, e);
		return 1;
	case REQ_VIEW_CASES:
		return 1;
	default:
		return list_request(&cv->list, t, req);
	}
}

static void
cases_position(struct view *v, struct tui *t, struct strbuf *out)
{
	struct cases_view *cv = v->data;
	(void)t;
	list_position(&cv->list, out);
}

static void
row_text(void *ctx, size_t row, struct strbuf *out)
{
	struct cases_view *cv = ctx;
	sb_addf(out, "%s %s %s", cv->rows[row].slug, cv->rows[row].status, cv->rows[row].title);
}

static int
cases_find(struct view *v, struct tui *t, int forward)
{
	struct cases_view *cv = v->data;
	return list_find(&cv->list, t, forward, row_text, cv);
}

/* c and v here are about the case's incident, when the workspace has it. */
static int
cases_target(struct view *v, struct tui *t, struct review_target *out)
{
	struct cases_view *cv = v->data;
	(void)t;
	if (cv->list.cursor >= cv->list.count || !cv->rows[cv->list.cursor].incident)
		return -1;
	out->incident = cv->rows[cv->list.cursor].incident;
	snprintf(out->what, sizeof out->what, "incident %s", cv->rows[cv->list.cursor].slug);
	return 0;
}

static void
cases_close(struct view *v)
{
	struct cases_view *cv = v->data;
	free_rows(cv);
	free(cv->rows);
	cases_repo_close(cv->repo);
	free(cv);
}

static const struct view_ops cases_ops = {
	"cases", "Enter open  l history  q back",
	cases_draw, cases_request, cases_position, cases_find, cases_close,
	cases_target,
};

int
view_cases_open(struct tui *t)
{
	struct strbuf dir = STRBUF_INIT;
	struct cases *repo = NULL;
	struct alibi_error err = { 0 };
	if (cases_resolve_dir(t->cases_dir, &dir, &err) ||
	    cases_repo_open(sb_str(&dir), &repo, &err)) {
		tui_error(t, "%s", err.msg);
		sb_free(&dir);
		return -1;
	}
	struct cases_view *cv = xcalloc(1, sizeof *cv);
	cv->repo = repo;
	load(cv, t);
	struct view *v = view_new(&cases_ops, cv);
	sb_addf(&v->title, "cases in %s", sb_str(&dir));
	sb_free(&dir);
	tui_push(t, v);
	return 0;
}
