/* pane_did.c — the DID pane: every operation of every action log on the
 * incident's clock.  Runs of operations one tool call produced are headed
 * by that call; operations no tool call explains are headed and marked
 * "unattributed", those inferred from a command marked as derived, and
 * those made after their tool call had returned marked "&". */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "timeline.h"

/* The gutter, a blank, the time, a blank, the mark, then text. */
#define HEAD_TEXT 12

/* "rename /a -> /b", "connect 10.0.0.2:22", "exec scp -r ...", with the
 * bytes moved and the error when there was one. */
/* (Plain appends rather than sb_addf: a search formats every op.) */
static void
op_label(const struct views_op_row *op, struct strbuf *out)
{
	const char *kind = op->op ? op->op : "?";
	int exec = strcmp(kind, "exec") == 0;
	sb_adds(out, kind);
	if (exec && op->detail && *op->detail) {
		sb_addc(out, ' ');
		sb_adds(out, op->detail);
	} else {
		if (op->path) {
			sb_addc(out, ' ');
			sb_adds(out, op->path);
		}
		if (op->path2) {
			sb_adds(out, " -> ");
			sb_adds(out, op->path2);
		}
		if (op->detail && *op->detail && !exec) {
			sb_adds(out, " [");
			sb_adds(out, op->detail);
			sb_addc(out, ']');
		}
	}
	if (op->host) {
		sb_addc(out, ' ');
		sb_adds(out, op->host);
		if (op->port >= 0)
			sb_addf(out, ":%d", op->port);
	}
	if (op->bytes >= 0)
		sb_addf(out, " (%" PRId64 " bytes)", op->bytes);
	if (!op->ok) {
		sb_adds(out, " = ");
		sb_adds(out, op->err_name ? op->err_name : "failed");
	}
}

static void
build(struct pane *p, struct views_op_row *row, int header, struct tl_item *it)
{
	memset(it, 0, sizeof *it);
	it->kind = ITEM_OP;
	it->op = *row;
	memset(row, 0, sizeof *row);
	it->key.did = it->op.key;
	it->ts = it->op.key.t;
	it->tool_call = it->op.tool_call;
	it->finding = -1;
	struct strbuf label = STRBUF_INIT;
	op_label(&it->op, &label);
	it->len = label.len;
	it->text = sb_detach(&label);
	it->header = header;
	it->head_lines = header;
	it->body_lines = 1;
	it->nlines = it->head_lines + 1;
	item_mark(p->inc, it);
}

static int
fetch_rows(struct pane *p, const struct views_did_key *key, int forward,
           struct views_op_row *rows, size_t max, size_t *n)
{
	struct alibi_error err = { 0 };
	int rc = views_did_fetch(p->inc->t->st, &p->inc->tl, key, forward, rows, max, n, &err);
	if (rc)
		tui_error(p->inc->t, "%s", err.msg);
	return rc;
}

static int
did_fetch(struct pane *p, const union tl_key *key, int forward,
          struct tl_item *out, size_t max, size_t *n)
{
	*n = 0;
	if (max == 0)
		return 0;
	/* One row more than asked for, towards the start, tells whether the
	 * nearest row opens a new group. */
	struct views_op_row *rows = xcalloc(max + 1, sizeof *rows);
	size_t got = 0;
	int rc = fetch_rows(p, key ? &key->did : NULL, forward, rows,
	                    forward ? max : max + 1, &got);
	int64_t prev_call = -1;   /* -1: nothing before */
	if (!rc && forward && got > 0) {
		struct views_op_row before;
		size_t nb = 0;
		memset(&before, 0, sizeof before);
		if (fetch_rows(p, &rows[0].key, 0, &before, 1, &nb) == 0 && nb == 1)
			prev_call = before.tool_call;
		views_op_rows_free(&before, nb);
	}
	size_t keep = got > max ? max : got;
	for (size_t i = 0; !rc && i < keep; i++) {
		int64_t prev;
		if (forward)
			prev = i == 0 ? prev_call : out[i - 1].tool_call;
		else
			prev = i + 1 < got ? rows[i + 1].tool_call : -1;
		build(p, &rows[i], prev != rows[i].tool_call, &out[i]);
	}
	views_op_rows_free(rows, got);   /* what build did not take */
	free(rows);
	*n = rc ? 0 : keep;
	return rc;
}

static int
did_fetch_at(struct pane *p, const union tl_key *key, struct tl_item *out)
{
	union tl_key before = *key;
	before.did.id = key->did.id - 1;   /* ids are integers: nothing between */
	size_t n = 0;
	if (did_fetch(p, &before, 1, out, 1, &n) || n == 0)
		return 1;
	if (out->key.did.id != key->did.id || out->key.did.t != key->did.t) {
		pane_items_free(out, 1);
		return 1;
	}
	return 0;
}

static void
draw_group(struct pane *p, struct tui *t, const struct tl_item *it, int y, int x)
{
	struct screen *s = &t->scr;
	if (!it->tool_call) {
		screen_puts(s, y, x + 2, p->width - 2, "? unattributed", AREA_unattributed);
		return;
	}
	struct strbuf label = STRBUF_INIT;
	struct alibi_error err = { 0 };
	sb_adds(&label, it->op.after_call ? "& after it returned: " : "> ");
	if (views_tool_call_label(t->st, it->tool_call, &label, &err))
		sb_addf(&label, "tool call %" PRId64, it->tool_call);
	screen_puts(s, y, x + 2, p->width - 2, sb_str(&label), AREA_group);
	sb_free(&label);
}

static void
did_draw_line(struct pane *p, struct tui *t, const struct tl_item *it,
              int line, int y, int x, int width)
{
	struct screen *s = &t->scr;
	(void)width;
	if (line < it->head_lines) {
		draw_group(p, t, it, y, x);
		return;
	}
	draw_gutter(s, y, x, it);
	draw_time(s, y, x + 2, it->ts);
	const char *mark = it->op.derived ? "~" : !it->tool_call ? "?" : it->op.after_call ? "&" : " ";
	screen_puts(s, y, x + 11, 1, mark, it->op.derived ? AREA_derived : AREA_unattributed);
	int w = p->width - HEAD_TEXT;
	if (w < 1)
		return;
	int area = !it->op.ok ? AREA_op_failed : it->op.derived ? AREA_derived : AREA_op;
	struct span matches[64];
	size_t nm = search_spans(&t->search, it->text, it->len, matches, 64);
	struct text_style st = { area, { matches, NULL }, { nm, 0 } };
	screen_text(s, y, x + HEAD_TEXT, w, it->text, it->len, 0, 0, &st, NULL);
}

static void
did_item_text(const struct tl_item *it, struct strbuf *out)
{
	sb_add(out, it->text, it->len);
}

static int
did_line_of(const struct tl_item *it, size_t at)
{
	(void)at;
	return it->head_lines;
}

struct scan_ctx {
	struct tui *t;
	struct strbuf label;
	int forward;
	int have_best;
	struct views_did_key best;
	long long seen;
	int cancelled;
};

static int
key_before(const struct views_did_key *a, const struct views_did_key *b)
{
	return a->t < b->t || (a->t == b->t && a->id < b->id);
}

/* One op of the scan: stop at a match, at Ctrl-C, or once past the best
 * match another source gave. */
static int
scan_op(void *ctx, const struct views_op_row *row)
{
	struct scan_ctx *sc = ctx;
	if (sc->have_best && (sc->forward ? !key_before(&row->key, &sc->best)
	                                  : !key_before(&sc->best, &row->key)))
		return 1;
	if (++sc->seen % 8192 == 1) {
		char progress[64];
		snprintf(progress, sizeof progress, "%lld operations", sc->seen);
		if (tui_work_poll(sc->t, progress)) {
			sc->cancelled = 1;
			return 1;
		}
	}
	sb_reset(&sc->label);
	op_label(row, &sc->label);
	if (!search_match(&sc->t->search, sc->label.buf, sc->label.len))
		return 0;
	sc->best = row->key;
	sc->have_best = 1;
	return 1;
}

/* Each source is scanned from the key with the rows borrowed, not copied;
 * the earliest match of all sources wins. */
static int
did_find(struct pane *p, struct tui *t, const union tl_key *from, int forward,
         union tl_key *found)
{
	struct scan_ctx sc;
	memset(&sc, 0, sizeof sc);
	sc.t = t;
	sc.forward = forward;
	sb_init(&sc.label);
	for (size_t i = 0; i < p->inc->tl.source_count && !sc.cancelled; i++) {
		struct alibi_error err = { 0 };
		int stopped;
		if (views_did_scan(t->st, &p->inc->tl.sources[i], &from->did, forward,
		                   scan_op, &sc, &stopped, &err)) {
			tui_error(t, "%s", err.msg);
			break;
		}
	}
	sb_free(&sc.label);
	if (sc.cancelled)
		return -1;
	if (!sc.have_best)
		return 1;
	memset(found, 0, sizeof *found);
	found->did = sc.best;
	return 0;
}

const struct pane_ops did_pane_ops = {
	"DID",
	did_fetch,
	did_fetch_at,
	did_draw_line,
	did_item_text,
	did_line_of,
	did_find,
};
