/* view_finding.c — one finding: its kind, severity and reasons, the claim
 * quoted, and each piece of evidence with its source file:line.  Enter on
 * a piece of evidence opens its raw record; ] and [ step through the
 * findings of the list it was opened from. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/path.h"
#include "tui_internal.h"

struct finding_view {
	int64_t incident;
	int64_t *ids;
	size_t count, index;
	struct doc doc;
	char kind[64];
	int64_t shown_incident;  /* the incident and key of the finding shown */
	char key[ANNOTATION_KEY_MAX + 1];
	unsigned review_gen;     /* t->review_gen the text is from */
};

struct fill_ctx {
	struct finding_view *fv;
	int found;
};

static void
add_evidence(struct doc *d, const struct store_evidence_row *ev)
{
	char when[16], label[32];
	format_clock(ev->ts, when, sizeof when);
	snprintf(label, sizeof label, "%-10s", ev->role ? ev->role : "evidence");
	struct strbuf text = STRBUF_INIT;
	if (ev->type == STORE_EV_CLAIM)
		sb_addf(&text, "\"%s\"", ev->text ? ev->text : "");
	else
		sb_adds(&text, ev->text ? ev->text : "");
	/* The file's name is enough to tell an incident's sources apart; the
	 * record (Enter) has the whole path. */
	sb_addf(&text, "  (%s:%" PRId64 ", %s)", ev->source ? path_basename(ev->source) : "?",
	        ev->line, when);
	doc_add(d, AREA_default, 2, label, sb_str(&text));
	doc_link(d, (int)ev->type, ev->ref);
	sb_free(&text);
}

static int
fill(void *ctx, const struct store_finding_row *r)
{
	struct fill_ctx *fc = ctx;
	struct finding_view *fv = fc->fv;
	if (r->id != fv->ids[fv->index])
		return 0;
	fc->found = 1;
	struct doc *d = &fv->doc;
	const struct store_finding *f = &r->f;
	snprintf(fv->kind, sizeof fv->kind, "%s", f->kind ? f->kind : "?");
	fv->shown_incident = r->incident;
	snprintf(fv->key, sizeof fv->key, "%s", f->stable_key ? f->stable_key : "");
	doc_addf(d, severity_area(f->severity), 0, NULL, "%s, severity %s",
	         f->kind ? f->kind : "?", alibi_severity_name(f->severity));
	doc_add(d, AREA_default, 0, NULL, f->summary);
	doc_add(d, AREA_default, 0, NULL, "");
	doc_add(d, AREA_default, 0, "Because:   ", f->because);
	doc_addf(d, AREA_default, 0, "Confidence:", "%.2f", f->confidence);
	doc_addf(d, AREA_default, 0, "Status:    ", "%s%s%s", r->status ? r->status : "open",
	         r->verdict ? ", verdict " : "", r->verdict ? r->verdict : "");
	doc_add(d, AREA_default, 0, "Incident:  ", r->incident_slug);
	doc_add(d, AREA_dim, 0, "Rule:      ", f->rule);
	doc_add(d, AREA_dim, 0, "Key:       ", f->stable_key);
	for (int pass = 0; pass < 2; pass++) {
		/* Claims first: what was said, then what was done. */
		int claims = pass == 0;
		int any = 0;
		for (size_t i = 0; i < r->evidence_count; i++) {
			const struct store_evidence_row *ev = &r->evidence[i];
			if ((ev->type == STORE_EV_CLAIM) != claims)
				continue;
			if (!any++) {
				doc_add(d, AREA_default, 0, NULL, "");
				doc_add(d, AREA_header, 0, NULL,
				        claims ? "The claim" : "Evidence (Enter opens the record)");
			}
			add_evidence(d, ev);
		}
	}
	return 1;
}

/* One reviewer's annotation: who, verdict and tags, then the note.  All
 * of it may come from a teammate's case repository: doc_draw makes it
 * safe for the terminal. */
static int
add_annotation(void *ctx, const struct annotation *a)
{
	struct doc *d = ctx;
	struct strbuf line = STRBUF_INIT;
	sb_addf(&line, "%s  %s", a->author, annotation_verdict_name(a->verdict));
	if (a->tags && *a->tags)
		sb_addf(&line, "  tags: %s", a->tags);
	if (!a->committed_in)
		sb_adds(&line, "  (not committed)");
	doc_add(d, AREA_default, 2, NULL, sb_str(&line));
	if (a->note && *a->note)
		doc_add(d, AREA_default, 6, NULL, a->note);
	sb_free(&line);
	return 0;
}

static void
add_review(struct tui *t, struct finding_view *fv)
{
	struct alibi_error err = { 0 };
	doc_add(&fv->doc, AREA_default, 0, NULL, "");
	doc_add(&fv->doc, AREA_header, 0, NULL, "Review (v verdict, a note, t tags)");
	size_t heading = fv->doc.npara;
	if (annotations_each(t->st, fv->shown_incident, ANNOTATIONS_FINDING, fv->key,
	                     add_annotation, &fv->doc, &err))
		tui_error(t, "%s", err.msg);
	if (fv->doc.npara == heading)
		doc_add(&fv->doc, AREA_dim, 2, NULL, "no verdict or note yet");
}

static void
load(struct tui *t, struct finding_view *fv, struct view *v)
{
	doc_clear(&fv->doc);
	fv->review_gen = t->review_gen;
	struct fill_ctx fc = { fv, 0 };
	struct alibi_error err = { 0 };
	if (store_each_finding(t->st, fv->incident, fill, &fc, &err))
		tui_error(t, "%s", err.msg);
	else if (fc.found)
		add_review(t, fv);
	else if (!fc.found)
		doc_addf(&fv->doc, AREA_error, 0, NULL, "finding %" PRId64 " is gone "
		         "(the incident was analysed again?)", fv->ids[fv->index]);
	sb_reset(&v->title);
	sb_addf(&v->title, "finding %zu of %zu: %s", fv->index + 1, fv->count, fv->kind);
}

static void
finding_draw(struct view *v, struct tui *t, int rows)
{
	struct finding_view *fv = v->data;
	if (fv->review_gen != t->review_gen) {
		/* Reloading resets the document: keep the reader's place. */
		struct list keep = fv->doc.list;
		load(t, fv, v);
		fv->doc.list.cursor = keep.cursor;
		fv->doc.list.top = keep.top;
	}
	doc_draw(&fv->doc, t, rows);
}

static int
finding_request(struct view *v, struct tui *t, enum tui_request req)
{
	struct finding_view *fv = v->data;
	const struct doc_para *p;
	switch (req) {
	case REQ_NEXT_FINDING:
	case REQ_PREV_FINDING:
		if (req == REQ_NEXT_FINDING ? fv->index + 1 >= fv->count : fv->index == 0) {
			tui_message(t, "no %s finding", req == REQ_NEXT_FINDING ? "next" : "previous");
			return 1;
		}
		fv->index += req == REQ_NEXT_FINDING ? 1 : (size_t)-1;
		load(t, fv, v);
		return 1;
	case REQ_CLICK:
	case REQ_ENTER:
	case REQ_VIEW_RAW:
		/* A click selects; on the selected line it opens, as Enter. */
		if (req == REQ_CLICK && !list_click(&fv->doc.list, t->ev.y))
			return 1;
		p = doc_selected(&fv->doc);
		if (p && p->link_type)
			view_raw_open(t, p->link_type - 1, p->link_id);
		else
			tui_message(t, "move to a piece of evidence to open its record");
		return 1;
	default:
		return doc_request(&fv->doc, t, req);
	}
}

static void
finding_position(struct view *v, struct tui *t, struct strbuf *out)
{
	struct finding_view *fv = v->data;
	(void)t;
	list_position(&fv->doc.list, out);
}

static int
finding_find(struct view *v, struct tui *t, int forward)
{
	struct finding_view *fv = v->data;
	return doc_find(&fv->doc, t, forward);
}

static void
finding_close(struct view *v)
{
	struct finding_view *fv = v->data;
	doc_clear(&fv->doc);
	free(fv->ids);
	free(fv);
}

static int
finding_target(struct view *v, struct tui *t, struct review_target *out)
{
	struct finding_view *fv = v->data;
	(void)t;
	if (!fv->key[0])
		return -1;
	out->incident = fv->shown_incident;
	snprintf(out->key, sizeof out->key, "%s", fv->key);
	snprintf(out->what, sizeof out->what, "finding %zu (%s)", fv->index + 1, fv->kind);
	return 0;
}

static const struct view_ops finding_ops = {
	"finding", "Enter record  ]/[ finding  q back",
	finding_draw, finding_request, finding_position, finding_find,
	finding_close, finding_target,
};

int
view_finding_open(struct tui *t, int64_t incident, const int64_t *ids,
                  size_t count, size_t index)
{
	if (!count || index >= count)
		return -1;
	struct finding_view *fv = xcalloc(1, sizeof *fv);
	fv->incident = incident;
	fv->ids = xmalloc(count * sizeof *fv->ids);
	memcpy(fv->ids, ids, count * sizeof *ids);
	fv->count = count;
	fv->index = index;
	struct view *v = view_new(&finding_ops, fv);
	load(t, fv, v);
	tui_push(t, v);
	return 0;
}
