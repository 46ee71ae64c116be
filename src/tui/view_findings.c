/* view_findings.c — the findings list: one incident's findings (or every
 * incident's), most severe first, as the store orders them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/views.h"
#include "tui_internal.h"

struct finding_entry {
	int64_t id, incident;
	char *slug, *kind, *summary, *status, *key;
	enum alibi_severity severity;
};

struct findings {
	int64_t incident;        /* 0: every incident */
	struct finding_entry *rows;
	int64_t *ids;
	size_t rows_cap, ids_cap;
	struct list list;
	unsigned review_gen;     /* t->review_gen the rows are from */
};

static int
collect(void *ctx, const struct store_finding_row *r)
{
	struct findings *fs = ctx;
	void *p = fs->rows;
	grow_array(&p, sizeof *fs->rows, &fs->rows_cap, fs->list.count + 1);
	fs->rows = p;
	p = fs->ids;
	grow_array(&p, sizeof *fs->ids, &fs->ids_cap, fs->list.count + 1);
	fs->ids = p;
	struct finding_entry *e = &fs->rows[fs->list.count];
	fs->ids[fs->list.count++] = r->id;
	e->id = r->id;
	e->incident = r->incident;
	e->key = xstrdup(r->f.stable_key ? r->f.stable_key : "");
	e->slug = xstrdup(r->incident_slug ? r->incident_slug : "");
	e->kind = xstrdup(r->f.kind ? r->f.kind : "?");
	e->summary = xstrdup(r->f.summary ? r->f.summary : "");
	e->status = xstrdup(r->verdict ? r->verdict : r->status ? r->status : "open");
	e->severity = r->f.severity;
	return 0;
}

int
severity_area(enum alibi_severity sev)
{
	switch (sev) {
	case ALIBI_SEV_HIGH: return AREA_sev_high;
	case ALIBI_SEV_MEDIUM: return AREA_sev_medium;
	case ALIBI_SEV_LOW: return AREA_sev_low;
	default: return AREA_dim;
	}
}

static int
put_col(struct screen *s, int y, int x, int w, const char *text, int area)
{
	if (x >= s->cols)
		return x;
	screen_puts(s, y, x, w < s->cols - x ? w : s->cols - x, text, area);
	return x + w + 1;
}

static void free_rows(struct findings *fs);

/* The rows again after a verdict changed; the cursor stays on its row. */
static void
reload(struct findings *fs, struct tui *t)
{
	size_t cursor = fs->list.cursor;
	free_rows(fs);
	fs->list.count = 0;
	fs->review_gen = t->review_gen;
	struct alibi_error err = { 0 };
	if (store_each_finding(t->st, fs->incident, collect, fs, &err))
		tui_error(t, "%s", err.msg);
	fs->list.cursor = cursor;
}

static void
findings_draw(struct view *v, struct tui *t, int rows)
{
	struct findings *fs = v->data;
	struct screen *s = &t->scr;
	if (fs->review_gen != t->review_gen)
		reload(fs, t);
	if (rows < 2)
		return;
	int all = fs->incident == 0;
	int x = put_col(s, 0, 0, 6, "SEV", AREA_header);
	x = put_col(s, 0, x, 20, "KIND", AREA_header);
	if (all)
		x = put_col(s, 0, x, 18, "INCIDENT", AREA_header);
	x = put_col(s, 0, x, 10, "STATUS", AREA_header);
	put_col(s, 0, x, s->cols, "SUMMARY", AREA_header);
	if (fs->list.count == 0) {
		screen_puts(s, 2, 2, s->cols - 2, "No findings.", AREA_dim);
		return;
	}
	list_fit(&fs->list, rows - 1);
	for (int r = 0; r < rows - 1; r++) {
		size_t i = fs->list.top + (size_t)r;
		if (i >= fs->list.count)
			break;
		const struct finding_entry *e = &fs->rows[i];
		int y = r + 1;
		x = put_col(s, y, 0, 6, alibi_severity_name(e->severity), severity_area(e->severity));
		x = put_col(s, y, x, 20, e->kind, AREA_default);
		if (all)
			x = put_col(s, y, x, 18, e->slug, AREA_default);
		x = put_col(s, y, x, 10, e->status, AREA_dim);
		put_col(s, y, x, s->cols, e->summary, AREA_default);
		if (i == fs->list.cursor)
			screen_paint(s, y, 0, s->cols, AREA_cursor);
	}
}

static int
findings_request(struct view *v, struct tui *t, enum tui_request req)
{
	struct findings *fs = v->data;
	switch (req) {
	case REQ_CLICK:
	case REQ_ENTER:
		/* A click selects; on the selected row it opens, as Enter. */
		if (req == REQ_CLICK && !list_click(&fs->list, t->ev.y - 1))
			return 1;
		if (fs->list.count)
			view_finding_open(t, fs->incident, fs->ids, fs->list.count,
			                  fs->list.cursor);
		return 1;
	case REQ_VIEW_FINDINGS:
		return 1;
	default:
		return list_request(&fs->list, t, req);
	}
}

static void
findings_position(struct view *v, struct tui *t, struct strbuf *out)
{
	struct findings *fs = v->data;
	(void)t;
	list_position(&fs->list, out);
}

static void
row_text(void *ctx, size_t row, struct strbuf *out)
{
	struct findings *fs = ctx;
	const struct finding_entry *e = &fs->rows[row];
	sb_addf(out, "%s %s %s %s %s", alibi_severity_name(e->severity), e->kind,
	        e->slug, e->status, e->summary);
}

static int
findings_find(struct view *v, struct tui *t, int forward)
{
	struct findings *fs = v->data;
	return list_find(&fs->list, t, forward, row_text, fs);
}

static int
findings_target(struct view *v, struct tui *t, struct review_target *out)
{
	struct findings *fs = v->data;
	(void)t;
	if (fs->list.cursor >= fs->list.count)
		return -1;
	const struct finding_entry *e = &fs->rows[fs->list.cursor];
	out->incident = e->incident;
	snprintf(out->key, sizeof out->key, "%s", e->key);
	snprintf(out->what, sizeof out->what, "finding %zu (%s)", fs->list.cursor + 1, e->kind);
	return 0;
}

static void
free_rows(struct findings *fs)
{
	for (size_t i = 0; i < fs->list.count; i++) {
		free(fs->rows[i].slug);
		free(fs->rows[i].kind);
		free(fs->rows[i].summary);
		free(fs->rows[i].status);
		free(fs->rows[i].key);
	}
}

static void
findings_close(struct view *v)
{
	struct findings *fs = v->data;
	free_rows(fs);
	free(fs->rows);
	free(fs->ids);
	free(fs);
}

struct slug_ctx {
	int64_t incident;
	struct strbuf *title;
};

static int
slug_of(void *ctx, const struct views_incident_row *r)
{
	struct slug_ctx *sc = ctx;
	if (r->id != sc->incident)
		return 0;
	sb_reset(sc->title);
	sb_addf(sc->title, "findings of %s", r->slug);
	return 1;
}

static const struct view_ops findings_ops = {
	"findings", "Enter detail  q back  h help",
	findings_draw, findings_request, findings_position, findings_find,
	findings_close, findings_target,
};

int
view_findings_open(struct tui *t, int64_t incident)
{
	struct findings *fs = xcalloc(1, sizeof *fs);
	fs->incident = incident;
	fs->review_gen = t->review_gen;
	struct alibi_error err = { 0 };
	if (store_each_finding(t->st, incident, collect, fs, &err))
		tui_error(t, "%s", err.msg);
	struct view *v = view_new(&findings_ops, fs);
	struct slug_ctx sc = { incident, &v->title };
	sb_adds(&v->title, "findings of every incident");
	if (incident)
		views_each_incident(t->st, slug_of, &sc, &err);
	tui_push(t, v);
	return 0;
}
