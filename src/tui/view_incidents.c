/* view_incidents.c — the first view: every incident in the workspace
 * with its sources, its findings by severity and how far review got. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/views.h"
#include "tui_internal.h"

struct incident_entry {
	int64_t id;
	char *slug, *title;
	int64_t sources, findings, reviewed;
	int64_t by_severity[4];
	int verdict;             /* the incident's own verdict */
};

struct incidents {
	struct incident_entry *rows;
	size_t cap;
	struct list list;
	struct store *st;
	unsigned review_gen;     /* t->review_gen the rows are from */
};

static int
collect(void *ctx, const struct views_incident_row *r)
{
	struct incidents *in = ctx;
	enum annotation_verdict verdict = ANNOTATION_NONE;
	struct alibi_error err = { 0 };
	if (annotations_verdict(in->st, r->id, NULL, &verdict, &err))
		verdict = ANNOTATION_NONE;
	void *p = in->rows;
	grow_array(&p, sizeof *in->rows, &in->cap, in->list.count + 1);
	in->rows = p;
	struct incident_entry *e = &in->rows[in->list.count++];
	e->id = r->id;
	e->slug = xstrdup(r->slug ? r->slug : "");
	e->title = xstrdup(r->title ? r->title : "");
	e->sources = r->sources;
	e->findings = r->findings;
	e->reviewed = r->reviewed;
	memcpy(e->by_severity, r->by_severity, sizeof e->by_severity);
	e->verdict = verdict;
	return 0;
}

/* "unreviewed", "2/5 reviewed"; with the incident's own verdict,
 * "confirmed 2/5" or "confirmed" once every finding has one. */
static void
review_status(const struct incident_entry *e, char *buf, size_t size)
{
	if (e->verdict != ANNOTATION_NONE) {
		const char *name = annotation_verdict_name((enum annotation_verdict)e->verdict);
		if (e->findings == 0 || e->reviewed >= e->findings)
			snprintf(buf, size, "%s", name);
		else
			snprintf(buf, size, "%s %lld/%lld", name, (long long)e->reviewed,
			         (long long)e->findings);
		if (strlen(buf) > 14)   /* the column's width */
			snprintf(buf, size, "%s", name);
		return;
	}
	if (e->findings == 0)
		snprintf(buf, size, "no findings");
	else if (e->reviewed == 0)
		snprintf(buf, size, "unreviewed");
	else if (e->reviewed >= e->findings)
		snprintf(buf, size, "reviewed");
	else
		snprintf(buf, size, "%lld/%lld reviewed", (long long)e->reviewed,
		         (long long)e->findings);
}

/* Draws one column and returns the x after it and its gap. */
static int
column(struct screen *s, int y, int x, int width, const char *text, int area)
{
	if (x >= s->cols)
		return x;
	if (width > s->cols - x)
		width = s->cols - x;
	screen_puts(s, y, x, width, text, area);
	return x + width + 2;
}

static void
draw_severities(struct screen *s, int y, int x, const int64_t *by_sev)
{
	static const int areas[4] = { 0, AREA_sev_low, AREA_sev_medium, AREA_sev_high };
	static const char letters[4] = { 0, 'L', 'M', 'H' };
	for (int sev = 3; sev >= 1 && x < s->cols; sev--) {
		char buf[24];
		snprintf(buf, sizeof buf, "%c%lld", letters[sev], (long long)by_sev[sev]);
		int w = screen_puts(s, y, x, s->cols - x, buf, by_sev[sev] ? areas[sev] : AREA_dim);
		x += w + 1;
	}
}

static void free_rows(struct incidents *in);

/* The rows again after a review or an opened case changed them. */
static void
reload(struct incidents *in, struct tui *t)
{
	size_t cursor = in->list.cursor;
	free_rows(in);
	in->list.count = 0;
	in->review_gen = t->review_gen;
	struct alibi_error err = { 0 };
	if (views_each_incident(t->st, collect, in, &err))
		tui_error(t, "%s", err.msg);
	in->list.cursor = cursor;
}

static void
incidents_draw(struct view *v, struct tui *t, int rows)
{
	struct incidents *in = v->data;
	struct screen *s = &t->scr;
	if (in->review_gen != t->review_gen)
		reload(in, t);
	if (rows < 2)
		return;
	int x = column(s, 0, 0, 22, "INCIDENT", AREA_header);
	x = column(s, 0, x, 12, "FINDINGS", AREA_header);
	x = column(s, 0, x, 14, "REVIEW", AREA_header);
	x = column(s, 0, x, 7, "SOURCES", AREA_header);
	column(s, 0, x, s->cols, "TITLE", AREA_header);
	if (in->list.count == 0) {
		screen_puts(s, 2, 2, s->cols - 2, "No incidents in this workspace yet.", AREA_default);
		screen_puts(s, 3, 2, s->cols - 2, "Import some: alibi import PATH, or alibi PATH.", AREA_dim);
		return;
	}
	list_fit(&in->list, rows - 1);
	for (int r = 0; r < rows - 1; r++) {
		size_t i = in->list.top + (size_t)r;
		if (i >= in->list.count)
			break;
		const struct incident_entry *e = &in->rows[i];
		int y = r + 1;
		char review[64], sources[24];
		review_status(e, review, sizeof review);
		snprintf(sources, sizeof sources, "%lld", (long long)e->sources);
		x = column(s, y, 0, 22, e->slug, AREA_default);
		if (x < s->cols)
			draw_severities(s, y, x, e->by_severity);
		x += 14;
		x = column(s, y, x, 14, review,
		           e->verdict == ANNOTATION_NONE && e->findings && e->reviewed < e->findings
		           ? AREA_default : AREA_dim);
		x = column(s, y, x, 7, sources, AREA_default);
		column(s, y, x, s->cols, e->title, AREA_default);
		if (i == in->list.cursor)
			screen_paint(s, y, 0, s->cols, AREA_cursor);
	}
}

static const struct incident_entry *
selected(struct incidents *in)
{
	return in->list.cursor < in->list.count ? &in->rows[in->list.cursor] : NULL;
}

static int
incidents_request(struct view *v, struct tui *t, enum tui_request req)
{
	struct incidents *in = v->data;
	const struct incident_entry *e = selected(in);
	switch (req) {
	case REQ_CLICK:
		if (list_click(&in->list, t->ev.y - 1) && (e = selected(in)))
			view_incident_open(t, e->id);
		return 1;
	case REQ_ENTER:
		if (e)
			view_incident_open(t, e->id);
		return 1;
	case REQ_VIEW_FINDINGS:
		view_findings_open(t, e ? e->id : 0);
		return 1;
	default:
		return list_request(&in->list, t, req);
	}
}

static void
incidents_position(struct view *v, struct tui *t, struct strbuf *out)
{
	struct incidents *in = v->data;
	(void)t;
	list_position(&in->list, out);
}

static void
row_text(void *ctx, size_t row, struct strbuf *out)
{
	struct incidents *in = ctx;
	sb_addf(out, "%s %s", in->rows[row].slug, in->rows[row].title);
}

static int
incidents_find(struct view *v, struct tui *t, int forward)
{
	struct incidents *in = v->data;
	return list_find(&in->list, t, forward, row_text, in);
}

/* At the incidents list, v a and t are about the incident itself. */
static int
incidents_target(struct view *v, struct tui *t, struct review_target *out)
{
	struct incidents *in = v->data;
	const struct incident_entry *e = selected(in);
	(void)t;
	if (!e)
		return -1;
	out->incident = e->id;
	snprintf(out->what, sizeof out->what, "incident %s", e->slug);
	return 0;
}

static void
free_rows(struct incidents *in)
{
	for (size_t i = 0; i < in->list.count; i++) {
		free(in->rows[i].slug);
		free(in->rows[i].title);
	}
}

static void
incidents_close(struct view *v)
{
	struct incidents *in = v->data;
	free_rows(in);
	free(in->rows);
	free(in);
}

static const struct view_ops incidents_ops = {
	"incidents", "Enter open  f findings  h help",
	incidents_draw, incidents_request, incidents_position, incidents_find,
	incidents_close, incidents_target,
};

int
view_incidents_open(struct tui *t)
{
	struct incidents *in = xcalloc(1, sizeof *in);
	struct alibi_error err = { 0 };
	in->st = t->st;
	in->review_gen = t->review_gen;
	if (views_each_incident(t->st, collect, in, &err))
		tui_error(t, "%s", err.msg);
	struct view *v = view_new(&incidents_ops, in);
	sb_adds(&v->title, "incidents");
	tui_push(t, v);
	return 0;
}
