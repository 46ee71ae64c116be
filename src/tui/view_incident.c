/* view_incident.c — an incident: SAID | DID side by side on one clock.
 * Moving in one pane brings the other to the same moment (the tool call
 * behind an op, the ops behind a tool call, else the nearest time);
 * findings are marked in both gutters and ] [ walk them in time order. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/path.h"
#include "alibi/timeparse.h"
#include "timeline.h"

/* ---- findings: gutters and targets ---- */

struct ev_tmp {
	int kind;                    /* enum item_kind */
	int64_t id;
	int64_t message;             /* claims: their message */
	int start;
	int64_t ts;
};

struct load_ctx {
	struct incident *inc;
	struct ev_tmp *ev;
	size_t nev, cap;
	size_t *first_ev;            /* per finding: index into ev */
	size_t *ev_count;
	size_t fcap, fcap2, fcap3;
};

static int
kind_of(enum store_evidence_type type)
{
	switch (type) {
	case STORE_EV_OP: return ITEM_OP;
	case STORE_EV_TOOL_CALL: return ITEM_TOOL_CALL;
	default: return ITEM_MESSAGE;
	}
}

static int
collect_finding(void *ctx, const struct store_finding_row *r)
{
	struct load_ctx *lc = ctx;
	struct incident *inc = lc->inc;
	size_t i = inc->nfindings++;
	void *p = inc->findings;
	grow_array(&p, sizeof *inc->findings, &lc->fcap, inc->nfindings);
	inc->findings = p;
	p = lc->first_ev;
	grow_array(&p, sizeof *lc->first_ev, &lc->fcap2, inc->nfindings);
	lc->first_ev = p;
	p = lc->ev_count;
	grow_array(&p, sizeof *lc->ev_count, &lc->fcap3, inc->nfindings);
	lc->ev_count = p;
	struct finding_target *f = &inc->findings[i];
	memset(f, 0, sizeof *f);
	f->id = r->id;
	f->severity = r->f.severity;
	f->key = xstrdup(r->f.stable_key ? r->f.stable_key : "");
	f->kind = xstrdup(r->f.kind ? r->f.kind : "?");
	int v = r->verdict ? annotation_verdict_from_name(r->verdict) : ANNOTATION_NONE;
	f->verdict = v < 0 ? ANNOTATION_NONE : v;
	f->ts = INT64_MAX;
	if (r->f.severity >= ALIBI_SEV_LOW && r->f.severity <= ALIBI_SEV_HIGH)
		inc->by_severity[r->f.severity]++;
	lc->first_ev[i] = lc->nev;
	lc->ev_count[i] = r->evidence_count;
	for (size_t e = 0; e < r->evidence_count; e++) {
		const struct store_evidence_row *ev = &r->evidence[e];
		p = lc->ev;
		grow_array(&p, sizeof *lc->ev, &lc->cap, lc->nev + 1);
		lc->ev = p;
		struct ev_tmp *t = &lc->ev[lc->nev++];
		t->kind = kind_of(ev->type);
		t->id = ev->type == STORE_EV_CLAIM ? ev->message : ev->ref;
		t->message = ev->type == STORE_EV_CLAIM ? ev->message : 0;
		t->start = ev->type == STORE_EV_CLAIM ? ev->start : -1;
		t->ts = ev->ts;
		if (ev->ts != ALIBI_TS_NONE && ev->ts < f->ts)
			f->ts = ev->ts;
	}
	return 0;
}

static int
cmp_target(const void *a, const void *b)
{
	const struct finding_target *x = a, *y = b;
	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int
cmp_mark(const void *a, const void *b)
{
	const struct mark *x = a, *y = b;
	if (x->kind != y->kind)
		return x->kind - y->kind;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return 0;
}

/* Where ] takes each pane for one finding: its claim (else message, else
 * tool call) and its earliest op. */
static void
resolve_targets(struct incident *inc, struct finding_target *f,
                const struct ev_tmp *ev, size_t n)
{
	struct alibi_error err = { 0 };
	int64_t op_ts = INT64_MAX;
	int said_rank = 0;
	for (size_t i = 0; i < n; i++) {
		int found = 0;
		if (ev[i].kind == ITEM_OP) {
			struct views_did_key k;
			if (views_did_key_of_op(inc->t->st, &inc->tl, ev[i].id, &k, &found, &err) == 0 &&
			    found && (!f->has_did || k.t < op_ts)) {
				f->did.did = k;
				f->has_did = 1;
				op_ts = k.t;
			}
			continue;
		}
		int rank = ev[i].start >= 0 ? 3 : ev[i].kind == ITEM_MESSAGE ? 2 : 1;
		if (rank <= said_rank)
			continue;
		struct views_said_key k;
		if (views_said_key_of(inc->t->st, &inc->tl, ev[i].kind == ITEM_TOOL_CALL,
		                      ev[i].id, &k, &found, &err) == 0 && found) {
			f->said.said = k;
			f->has_said = 1;
			f->said_is_claim = ev[i].start >= 0;
			f->claim_start = ev[i].start >= 0 ? (size_t)ev[i].start : 0;
			said_rank = rank;
		}
	}
}

static void
load_findings(struct incident *inc)
{
	struct load_ctx lc;
	memset(&lc, 0, sizeof lc);
	lc.inc = inc;
	struct alibi_error err = { 0 };
	if (store_each_finding(inc->t->st, inc->id, collect_finding, &lc, &err))
		tui_error(inc->t, "%s", err.msg);
	size_t n = inc->nfindings;
	inc->finding_ids = xmalloc((n + 1) * sizeof *inc->finding_ids);
	inc->marks = xmalloc((lc.nev + 1) * sizeof *inc->marks);
	/* Targets before sorting, while evidence indexes still line up. */
	for (size_t i = 0; i < n; i++) {
		resolve_targets(inc, &inc->findings[i], lc.ev + lc.first_ev[i], lc.ev_count[i]);
		inc->findings[i].loaded_as = i;
	}
	if (n)
		qsort(inc->findings, n, sizeof *inc->findings, cmp_target);
	size_t *rank = xmalloc((n + 1) * sizeof *rank);   /* load order -> time order */
	for (size_t s = 0; s < n; s++) {
		rank[inc->findings[s].loaded_as] = s;
		inc->finding_ids[s] = inc->findings[s].id;
	}
	for (size_t i = 0; i < n; i++) {
		for (size_t e = 0; e < lc.ev_count[i]; e++) {
			const struct ev_tmp *ev = &lc.ev[lc.first_ev[i] + e];
			struct mark m = { ev->kind, ev->id, inc->findings[rank[i]].severity,
			                  (long)rank[i] };
			inc->marks[inc->nmarks++] = m;
		}
	}
	if (inc->nmarks)
		qsort(inc->marks, inc->nmarks, sizeof *inc->marks, cmp_mark);
	free(rank);
	free(lc.ev);
	free(lc.first_ev);
	free(lc.ev_count);
}

void
item_mark(struct incident *inc, struct tl_item *it)
{
	struct mark key = { (int)it->kind, 0, 0, 0 };
	key.id = it->kind == ITEM_OP ? it->key.did.id
	       : it->kind == ITEM_TOOL_CALL ? it->tool_call : it->said.key.message;
	const struct mark *m = bsearch(&key, inc->marks, inc->nmarks, sizeof *inc->marks, cmp_mark);
	if (!m)
		return;
	/* bsearch lands on any of the equal marks: look at all of them. */
	while (m > inc->marks && cmp_mark(m - 1, &key) == 0)
		m--;
	it->finding = m->finding;
	for (; m < inc->marks + inc->nmarks && cmp_mark(m, &key) == 0; m++) {
		/* The verdict shown is that of the finding whose severity is. */
		if (m->severity > it->severity) {
			it->severity = m->severity;
			it->verdict = inc->findings[m->finding].verdict;
		}
		if (m->finding < it->finding)
			it->finding = m->finding;
	}
}

struct verdict_ctx {
	struct incident *inc;
	size_t *by_load;             /* store order -> time order */
	size_t seen;
};

static int
reload_verdict(void *ctx, const struct store_finding_row *r)
{
	struct verdict_ctx *vc = ctx;
	size_t i = vc->seen++;
	if (i >= vc->inc->nfindings)
		return 1;
	struct finding_target *f = &vc->inc->findings[vc->by_load[i]];
	if (f->id == r->id) {
		int v = r->verdict ? annotation_verdict_from_name(r->verdict) : ANNOTATION_NONE;
		f->verdict = v < 0 ? ANNOTATION_NONE : v;
	}
	return 0;
}

/* After a verdict changed: the findings' verdicts again, and the panes
 * read anew so their gutters show them. */
static void
reload_verdicts(struct incident *inc)
{
	struct tui *t = inc->t;
	inc->review_gen = t->review_gen;
	size_t n = inc->nfindings;
	struct verdict_ctx vc = { inc, xmalloc((n + 1) * sizeof *vc.by_load), 0 };
	for (size_t s = 0; s < n; s++)
		vc.by_load[inc->findings[s].loaded_as] = s;
	struct alibi_error err = { 0 };
	if (store_each_finding(t->st, inc->id, reload_verdict, &vc, &err))
		tui_error(t, "%s", err.msg);
	free(vc.by_load);
	inc->said.loaded = 0;
	inc->did.loaded = 0;
}

/* 1 when finding number `finding` cites the item. */
static int
item_cites(struct incident *inc, const struct tl_item *it, long finding)
{
	if (finding < 0)
		return 0;
	for (size_t i = 0; i < inc->nmarks; i++) {
		const struct mark *m = &inc->marks[i];
		int64_t id = it->kind == ITEM_OP ? it->key.did.id
		           : it->kind == ITEM_TOOL_CALL ? it->tool_call : it->said.key.message;
		if (m->kind == (int)it->kind && m->id == id && m->finding == finding)
			return 1;
	}
	return 0;
}

void
draw_gutter(struct screen *s, int y, int x, const struct tl_item *it)
{
	static const char *const letters[4] = { " ", "L", "M", "H" };
	if (it->severity < 1 || it->severity > 3)
		return;
	screen_puts(s, y, x, 1, letters[it->severity],
	            severity_area((enum alibi_severity)it->severity));
	char mark[2] = { verdict_mark(it->verdict), '\0' };
	if (mark[0] != ' ')
		screen_puts(s, y, x + 1, 1, mark, AREA_dim);
}

void
draw_time(struct screen *s, int y, int x, int64_t ts)
{
	char buf[16];
	format_clock(ts, buf, sizeof buf);
	screen_puts(s, y, x, 8, buf, AREA_time);
}

/* ---- layout and drawing ---- */

static struct pane *
active_pane(struct incident *inc)
{
	return inc->active ? &inc->did : &inc->said;
}

static struct pane *
other_pane(struct incident *inc)
{
	return inc->active ? &inc->said : &inc->did;
}

/* Pane sizes for the screen: both panes from 80 columns, else the
 * active one alone. */
static void
layout(struct incident *inc, int rows)
{
	int cols = inc->t->scr.cols;
	inc->wide = cols >= 80;
	int body = rows - 1 > 1 ? rows - 1 : 1;
	inc->said.height = inc->did.height = body;
	if (inc->wide) {
		inc->said.width = (cols - 1) / 2;
		inc->did.width = cols - 1 - inc->said.width;
	} else {
		inc->said.width = inc->did.width = cols;
	}
}

static const char *
first_source(const struct incident *inc, const char *kind)
{
	for (size_t i = 0; i < inc->tl.source_count; i++)
		if (inc->tl.sources[i].kind && strcmp(inc->tl.sources[i].kind, kind) == 0)
			return inc->tl.sources[i].path;
	return NULL;
}

static void
draw_title(struct incident *inc, struct tui *t, struct pane *p, int x,
           int active)
{
	struct strbuf title = STRBUF_INIT;
	const char *src = first_source(inc, p == &inc->said ? "transcript" : "actions");
	sb_addf(&title, "%s%s", active && inc->wide ? ">" : " ", p->ops->title);
	int w = screen_puts(&t->scr, 0, x, p->width, sb_str(&title),
	                    active && inc->wide ? AREA_title_active : AREA_header);
	sb_reset(&title);
	if (!inc->wide)
		sb_addf(&title, "  (Tab: %s)", other_pane(inc)->ops->title);
	if (src)
		sb_addf(&title, "  %s", path_basename(src));
	if (p == &inc->did && inc->clock[0])
		sb_addf(&title, "  %s", inc->clock);
	screen_puts(&t->scr, 0, x + w, p->width - w, sb_str(&title), AREA_dim);
	sb_free(&title);
}

static void
incident_draw(struct view *v, struct tui *t, int rows)
{
	struct incident *inc = v->data;
	if (inc->review_gen != t->review_gen)
		reload_verdicts(inc);
	layout(inc, rows);
	struct pane *a = active_pane(inc);
	pane_load(a);
	if (!inc->wide) {
		draw_title(inc, t, a, 0, 1);
		pane_draw(a, t, 1, 0, 1);
		return;
	}
	pane_load(other_pane(inc));
	int sep = inc->said.width;
	draw_title(inc, t, &inc->said, 0, inc->active == 0);
	draw_title(inc, t, &inc->did, sep + 1, inc->active == 1);
	for (int y = 0; y < rows; y++)
		screen_puts(&t->scr, y, sep, 1, "\xe2\x94\x82", AREA_separator);
	pane_draw(&inc->said, t, 1, 0, inc->active == 0);
	pane_draw(&inc->did, t, 1, sep + 1, inc->active == 1);
}

/* ---- keeping the panes on one clock ---- */

static int
did_seek_time(struct incident *inc, int64_t ts, union tl_key *out)
{
	memset(out, 0, sizeof *out);
	struct views_op_row row;
	size_t n = 0;
	struct alibi_error err = { 0 };
	struct views_did_key from = { ts, 0 };
	memset(&row, 0, sizeof row);
	if (views_did_fetch(inc->t->st, &inc->tl, &from, 1, &row, 1, &n, &err) == 0 && n == 0)
		views_did_fetch(inc->t->st, &inc->tl, NULL, 0, &row, 1, &n, &err);
	if (n)
		out->did = row.key;
	views_op_rows_free(&row, n);
	return n == 1;
}

/* The item of the other pane that goes with it. */
static int
counterpart(struct incident *inc, const struct tl_item *it, union tl_key *out)
{
	struct alibi_error err = { 0 };
	int found = 0;
	memset(out, 0, sizeof *out);   /* keys are compared whole */
	int known = it->ts != ALIBI_TS_NONE && it->ts != VIEWS_TS_UNKNOWN;
	if (it->kind == ITEM_OP) {
		if (it->tool_call)
			views_said_key_of(inc->t->st, &inc->tl, 1, it->tool_call, &out->said, &found, &err);
		if (!found && known)
			views_said_seek_time(inc->t->st, &inc->tl, it->ts, &out->said, &found, &err);
		return found;
	}
	if (it->kind == ITEM_TOOL_CALL)
		views_did_key_of_tool_call(inc->t->st, &inc->tl, it->tool_call, &out->did, &found, &err);
	if (!found && known)
		found = did_seek_time(inc, it->ts, out);
	return found;
}

static int
same_key(const struct tl_item *it, const union tl_key *k, int kind)
{
	if ((int)it->kind != kind)
		return 0;
	if (it->kind == ITEM_OP)
		return it->key.did.id == k->did.id && it->key.did.t == k->did.t;
	return said_key_eq(&it->key.said, &k->said);
}

static void
sync_other(struct incident *inc)
{
	struct pane *a = active_pane(inc);
	pane_load(a);
	const struct tl_item *it = pane_selected(a, NULL);
	if (!it || (inc->synced_valid && same_key(it, &inc->synced, inc->synced_kind)))
		return;
	inc->synced = it->key;
	inc->synced_kind = (int)it->kind;
	inc->synced_valid = 1;
	union tl_key target;
	if (counterpart(inc, it, &target))
		pane_show(other_pane(inc), &target, 0, a->cursor);
}

/* ---- findings: ] and [ ---- */

/* The line of the SAID item that holds the finding's claim. */
static int
claim_line(struct incident *inc, const struct finding_target *f)
{
	struct tl_item it;
	int line = 0;
	if (!f->said_is_claim)
		return 0;
	memset(&it, 0, sizeof it);
	if (inc->said.ops->fetch_at(&inc->said, &f->said, &it) == 0) {
		line = inc->said.ops->line_of(&it, f->claim_start);
		pane_items_free(&it, 1);
	}
	return line;
}

static void
show_finding(struct incident *inc, long i)
{
	const struct finding_target *f = &inc->findings[i];
	int row = inc->said.height / 3;
	inc->current = i;
	if (f->has_said)
		pane_show(&inc->said, &f->said, claim_line(inc, f), row);
	if (f->has_did)
		pane_show(&inc->did, &f->did, 0, row);
	/* The pane that holds the evidence becomes the active one. */
	if (f->has_did && !f->has_said)
		inc->active = 1;
	else if (f->has_said && !f->has_did)
		inc->active = 0;
	inc->synced_valid = 0;
	if (f->has_said && f->has_did) {
		/* Both panes show evidence: neither follows the other. */
		const struct tl_item *it = pane_selected(active_pane(inc), NULL);
		if (it) {
			inc->synced = it->key;
			inc->synced_kind = (int)it->kind;
			inc->synced_valid = 1;
		}
		return;
	}
	sync_other(inc);
}

static void
step_finding(struct incident *inc, int forward)
{
	if (inc->nfindings == 0) {
		tui_message(inc->t, "this incident has no findings");
		return;
	}
	long next = forward ? inc->current + 1 : inc->current - 1;
	if (!forward && inc->current < 0)
		next = (long)inc->nfindings - 1;
	if (next < 0 || next >= (long)inc->nfindings) {
		tui_message(inc->t, "no %s finding", forward ? "next" : "previous");
		return;
	}
	show_finding(inc, next);
}

/* ---- requests ---- */

static void
open_selected(struct incident *inc, int raw_only)
{
	const struct tl_item *it = pane_selected(active_pane(inc), NULL);
	if (!it)
		return;
	if (!raw_only && it->finding >= 0) {
		/* The finding ] went to, when this line is its evidence. */
		long f = item_cites(inc, it, inc->current) ? inc->current : it->finding;
		view_finding_open(inc->t, inc->id, inc->finding_ids, inc->nfindings,
		                  (size_t)f);
		return;
	}
	int type = it->kind == ITEM_OP ? STORE_EV_OP
	         : it->kind == ITEM_TOOL_CALL ? STORE_EV_TOOL_CALL : STORE_EV_MESSAGE;
	int64_t id = it->kind == ITEM_OP ? it->key.did.id
	           : it->kind == ITEM_TOOL_CALL ? it->tool_call : it->said.key.message;
	view_raw_open(inc->t, type, id);
}

static int
click(struct incident *inc, struct tui *t)
{
	int x = t->ev.x, row = t->ev.y - 1;
	if (inc->wide)
		inc->active = x > inc->said.width;
	struct pane *a = active_pane(inc);
	pane_load(a);
	int again = row == a->cursor;
	pane_click(a, row);
	inc->synced_valid = 0;
	sync_other(inc);
	if (again)
		open_selected(inc, 0);
	return 1;
}

static int
incident_request(struct view *v, struct tui *t, enum tui_request req)
{
	struct incident *inc = v->data;
	layout(inc, tui_view_rows(t));
	switch (req) {
	case REQ_SWITCH_PANE:
		inc->active = !inc->active;
		inc->synced_valid = 0;
		return 1;
	case REQ_NEXT_FINDING:
	case REQ_PREV_FINDING:
		step_finding(inc, req == REQ_NEXT_FINDING);
		return 1;
	case REQ_ENTER:
		open_selected(inc, 0);
		return 1;
	case REQ_VIEW_RAW:
		open_selected(inc, 1);
		return 1;
	case REQ_VIEW_FINDINGS:
		view_findings_open(t, inc->id);
		return 1;
	case REQ_CLICK:
		return click(inc, t);
	default:
		break;
	}
	pane_load(active_pane(inc));
	if (!pane_request(active_pane(inc), req))
		return 0;
	sync_other(inc);
	return 1;
}

/* v, a and t: the finding of the selected line (as Enter opens it), else
 * the one ] went to, else the incident. */
static int
incident_target(struct view *v, struct tui *t, struct review_target *out)
{
	struct incident *inc = v->data;
	layout(inc, tui_view_rows(t));
	pane_load(active_pane(inc));
	const struct tl_item *it = pane_selected(active_pane(inc), NULL);
	long f = inc->current;
	if (it && it->finding >= 0)
		f = item_cites(inc, it, inc->current) ? inc->current : it->finding;
	out->incident = inc->id;
	if (f >= 0 && f < (long)inc->nfindings) {
		snprintf(out->key, sizeof out->key, "%s", inc->findings[f].key);
		snprintf(out->what, sizeof out->what, "finding %ld/%zu (%s)", f + 1,
		         inc->nfindings, inc->findings[f].kind);
	} else {
		snprintf(out->what, sizeof out->what, "incident %s", inc->slug);
	}
	return 0;
}

static void
incident_position(struct view *v, struct tui *t, struct strbuf *out)
{
	struct incident *inc = v->data;
	(void)t;
	struct pane *a = active_pane(inc);
	const struct tl_item *it = pane_selected(a, NULL);
	char when[16];
	sb_adds(out, a->ops->title);
	if (it) {
		format_clock(it->ts, when, sizeof when);
		sb_addf(out, " %s %s %" PRId64, when,
		        it->kind == ITEM_OP ? "op" : it->kind == ITEM_TOOL_CALL ? "call" : "msg",
		        it->kind == ITEM_OP ? it->key.did.id
		        : it->kind == ITEM_TOOL_CALL ? it->tool_call : it->said.key.seq);
	}
	sb_addf(out, "  H%" PRId64 " M%" PRId64 " L%" PRId64,
	        inc->by_severity[ALIBI_SEV_HIGH], inc->by_severity[ALIBI_SEV_MEDIUM],
	        inc->by_severity[ALIBI_SEV_LOW]);
	if (inc->current >= 0)
		sb_addf(out, "  finding %ld/%zu", inc->current + 1, inc->nfindings);
}

/* ---- search: both panes on the shared clock ---- */

/* Where a pane shows, to put it back when the other pane's match wins. */
struct pane_place {
	int has_top, top_line, cursor;
	union tl_key top;
};

static void
place_save(const struct pane *p, struct pane_place *pl)
{
	pl->has_top = p->has_top;
	pl->top = p->top;
	pl->top_line = p->top_line;
	pl->cursor = p->cursor;
}

static void
place_restore(struct pane *p, const struct pane_place *pl)
{
	p->has_top = pl->has_top;
	p->top = pl->top;
	p->top_line = pl->top_line;
	p->cursor = pl->cursor;
	p->loaded = 0;
}

/* An item's place on the shared clock: its time (unknown times first),
 * then SAID before DID, so that n always moves on and never back and
 * forth between two matches at the same time. */
struct clock_pos {
	int64_t ts;
	int rank;
};

static struct clock_pos
clock_pos(struct incident *inc, const struct pane *p)
{
	const struct tl_item *it = pane_selected(p, NULL);
	struct clock_pos c = { INT64_MIN, p == &inc->did };
	if (it && it->ts != ALIBI_TS_NONE && it->ts != VIEWS_TS_UNKNOWN)
		c.ts = it->ts;
	return c;
}

/* 1 when b is past a in the search's direction. */
static int
clock_past(struct clock_pos a, struct clock_pos b, int forward)
{
	int cmp = b.ts != a.ts ? (b.ts > a.ts ? 1 : -1) : (b.rank > a.rank) - (b.rank < a.rank);
	return forward ? cmp > 0 : cmp < 0;
}

/* The other pane's next match that is past `from` on the clock: its own
 * cursor follows the active pane's, but not to the exact time, so matches
 * on the wrong side of `from` are stepped over. */
static int
find_past(struct incident *inc, struct pane *q, struct tui *t, int forward,
          struct clock_pos from, struct clock_pos *at)
{
	for (int first = 1;; first = 0) {
		int rc = first ? pane_find_whole(q, t, forward) : pane_find(q, t, forward);
		if (rc != 0)
			return rc;
		pane_load(q);
		*at = clock_pos(inc, q);
		if (clock_past(from, *at, forward))
			return 0;
	}
}

/* / and ? look in both panes: the match nearest on the clock in the
 * search's direction wins, and the view goes to the pane it is in. */
static int
incident_find(struct view *v, struct tui *t, int forward)
{
	struct incident *inc = v->data;
	layout(inc, tui_view_rows(t));
	struct pane *a = active_pane(inc), *o = other_pane(inc);
	struct pane_place a0, o0;
	pane_load(a);
	pane_load(o);
	place_save(a, &a0);
	place_save(o, &o0);
	struct clock_pos from = clock_pos(inc, a), at_a = from, at_o = from;
	views_read_begin(t->st);
	int rc_a = pane_find(a, t, forward);
	if (rc_a == 0) {
		pane_load(a);
		at_a = clock_pos(inc, a);
	}
	int rc_o = rc_a < 0 ? 1 : find_past(inc, o, t, forward, from, &at_o);
	views_read_end(t->st);
	if (rc_a < 0 || rc_o < 0) {
		place_restore(a, &a0);
		place_restore(o, &o0);
		return -1;
	}
	if (rc_a != 0 && rc_o != 0) {
		place_restore(o, &o0);
		tui_error(t, "pattern not found %s in %s or %s", forward ? "below" : "above",
		          inc->said.ops->title, inc->did.ops->title);
		return 1;
	}
	if (rc_o == 0 && (rc_a != 0 || clock_past(at_o, at_a, forward))) {
		place_restore(a, &a0);
		inc->active = !inc->active;   /* the match is in the other pane */
	} else {
		place_restore(o, &o0);
	}
	inc->synced_valid = 0;
	sync_other(inc);
	return 0;
}

static void
incident_close(struct view *v)
{
	struct incident *inc = v->data;
	pane_free(&inc->said);
	pane_free(&inc->did);
	views_timeline_close(&inc->tl);
	for (size_t i = 0; i < inc->nfindings; i++) {
		free(inc->findings[i].key);
		free(inc->findings[i].kind);
	}
	free(inc->findings);
	free(inc->finding_ids);
	free(inc->marks);
	free(inc->slug);
	free(inc);
}

static const struct view_ops incident_ops = {
	"incident", "Tab pane  ] finding  h help",
	incident_draw, incident_request, incident_position, incident_find,
	incident_close, incident_target,
};

/* The zone the DID times of day were moved from, for the DID title: a
 * reviewer must know when every op was shifted, and by whose word.  An
 * estimate is shown to the minute (the rest is the harness's delay, in
 * `alibi show`); a log found to be on UTC needs no label. */
static void
clock_label(struct tui *t, struct incident *inc)
{
	const int64_t day = INT64_C(86400000000), minute = INT64_C(60000000);
	const struct views_source *src = NULL;
	for (size_t i = 0; i < inc->tl.source_count && !src; i++)
		if (inc->tl.sources[i].clock == ALIBI_CLOCK_TIME_OF_DAY)
			src = &inc->tl.sources[i];
	int given = 0;
	int64_t zone = 0;
	struct alibi_error err = { 0 };
	if (!src || store_incident_clock_zone(t->st, inc->id, &given, &zone, &err))
		return;
	if (!given) {
		int64_t up = src->offset_us + day / 2;
		int64_t midnight = (up / day - (up < 0 && up % day)) * day;
		zone = midnight - src->offset_us;
		zone = (zone + (zone < 0 ? -minute : minute) / 2) / minute * minute;
		if (!zone)
			return;
	}
	char z[24];
	time_format_offset(z, sizeof z, zone);
	snprintf(inc->clock, sizeof inc->clock, "UTC%s %s", z, given ? "given" : "estimated");
}

struct slug_ctx {
	int64_t id;
	struct strbuf *out;
};

static int
slug_of(void *ctx, const struct views_incident_row *r)
{
	struct slug_ctx *sc = ctx;
	if (r->id != sc->id)
		return 0;
	sb_reset(sc->out);
	sb_adds(sc->out, r->slug);
	return 1;
}

int
view_incident_open(struct tui *t, int64_t id)
{
	struct incident *inc = xcalloc(1, sizeof *inc);
	struct alibi_error err = { 0 };
	inc->t = t;
	inc->id = id;
	inc->current = -1;
	inc->review_gen = t->review_gen;
	if (views_timeline_open(t->st, id, &inc->tl, &err)) {
		tui_error(t, "%s", err.msg);
		free(inc);
		return -1;
	}
	struct strbuf slug = STRBUF_INIT;
	struct slug_ctx sc = { id, &slug };
	sb_addf(&slug, "incident %" PRId64, id);
	views_each_incident(t->st, slug_of, &sc, &err);
	inc->slug = sb_detach(&slug);
	pane_init(&inc->said, &said_pane_ops, inc);
	pane_init(&inc->did, &did_pane_ops, inc);
	load_findings(inc);
	clock_label(t, inc);
	struct view *v = view_new(&incident_ops, inc);
	sb_adds(&v->title, inc->slug);
	tui_push(t, v);
	return 0;
}
