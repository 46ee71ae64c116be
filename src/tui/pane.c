/* pane.c — movement in a timeline pane.  A pane keeps the key of its top
 * item, the line within it and the cursor row; every move is a few
 * keyset fetches around that key, so it costs the same at the start of an
 * incident as a million operations in. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "timeline.h"

void
pane_init(struct pane *p, const struct pane_ops *ops, struct incident *inc)
{
	memset(p, 0, sizeof *p);
	p->ops = ops;
	p->inc = inc;
	p->width = 40;
	p->height = 10;
}

void
pane_items_free(struct tl_item *items, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		views_said_rows_free(&items[i].said, 1);
		views_op_rows_free(&items[i].op, 1);
		free(items[i].text);
		free(items[i].line_start);
		memset(&items[i], 0, sizeof items[i]);
	}
}

static void
window_clear(struct pane *p)
{
	pane_items_free(p->win, p->nwin);
	p->nwin = 0;
	p->nlines = 0;
}

void
pane_free(struct pane *p)
{
	window_clear(p);
	free(p->win);
	free(p->lines);
	p->win = NULL;
	p->lines = NULL;
}

static void
window_reserve(struct pane *p, size_t n)
{
	void *w = p->win;
	grow_array(&w, sizeof *p->win, &p->wcap, n);
	p->win = w;
}

static void
add_lines(struct pane *p, size_t item, int from)
{
	for (int l = from; l < p->win[item].nlines; l++) {
		void *q = p->lines;
		grow_array(&q, sizeof *p->lines, &p->lcap, p->nlines + 1);
		p->lines = q;
		p->lines[p->nlines].item = item;
		p->lines[p->nlines].line = l;
		p->nlines++;
	}
}

/* The first item, as the top when the pane has none yet. */
static int
reset_top(struct pane *p)
{
	struct tl_item first;
	size_t n = 0;
	memset(&first, 0, sizeof first);
	if (p->ops->fetch(p, NULL, 1, &first, 1, &n) || n == 0) {
		p->has_top = 0;
		return -1;
	}
	p->top = first.key;
	p->top_line = 0;
	p->has_top = 1;
	pane_items_free(&first, 1);
	return 0;
}

/* Fills the window with the items from the top until the body is full
 * (one line more, so a move down knows whether there is one). */
static int
fill_window(struct pane *p)
{
	/* The window of the last load still shows the same place. */
	if (p->loaded && p->has_top && p->loaded_line == p->top_line &&
	    p->loaded_width == p->width && p->loaded_height == p->height &&
	    memcmp(&p->loaded_top, &p->top, sizeof p->top) == 0)
		return 0;
	p->loaded = 0;
	window_clear(p);
	if (!p->has_top && reset_top(p))
		return 0;
	window_reserve(p, 1);
	memset(&p->win[0], 0, sizeof p->win[0]);
	if (p->ops->fetch_at(p, &p->top, &p->win[0])) {
		if (reset_top(p) || p->ops->fetch_at(p, &p->top, &p->win[0]))
			return -1;
	}
	p->nwin = 1;
	if (p->top_line >= p->win[0].nlines)
		p->top_line = p->win[0].nlines - 1;
	add_lines(p, 0, p->top_line);
	while (p->nlines <= (size_t)p->height) {
		size_t want = (size_t)p->height + 1 - p->nlines, got = 0;
		window_reserve(p, p->nwin + want);
		memset(&p->win[p->nwin], 0, want * sizeof *p->win);
		if (p->ops->fetch(p, &p->win[p->nwin - 1].key, 1, &p->win[p->nwin], want, &got))
			return -1;
		for (size_t i = 0; i < got; i++)
			add_lines(p, p->nwin + i, 0);
		p->nwin += got;
		if (got < want)
			break;
	}
	p->loaded = 1;
	p->loaded_top = p->top;
	p->loaded_line = p->top_line;
	p->loaded_width = p->width;
	p->loaded_height = p->height;
	return 0;
}

/* Moves the top down by up to n lines; returns the lines moved.  The
 * items passed over come in one fetch. */
static int
scroll_down(struct pane *p, int n)
{
	if (!p->has_top || n <= 0)
		return 0;
	struct tl_item cur;
	memset(&cur, 0, sizeof cur);
	if (p->ops->fetch_at(p, &p->top, &cur))
		return 0;
	int left = cur.nlines - 1 - p->top_line;
	pane_items_free(&cur, 1);
	if (left >= n) {
		p->top_line += n;
		return n;
	}
	int moved = left;
	p->top_line += left;
	size_t want = (size_t)(n - moved), got = 0;
	struct tl_item *items = xcalloc(want, sizeof *items);
	if (p->ops->fetch(p, &p->top, 1, items, want, &got) == 0) {
		for (size_t i = 0; i < got && moved < n; i++) {
			moved++;   /* onto the item's first line */
			p->top = items[i].key;
			int rest = n - moved, last = items[i].nlines - 1;
			p->top_line = rest < last ? rest : last;
			moved += p->top_line;
		}
	}
	pane_items_free(items, got);
	free(items);
	return moved;
}

/* Moves the top up by up to n lines; returns the lines moved. */
static int
scroll_up(struct pane *p, int n)
{
	if (!p->has_top || n <= 0)
		return 0;
	if (p->top_line >= n) {
		p->top_line -= n;
		return n;
	}
	int moved = p->top_line;
	p->top_line = 0;
	size_t want = (size_t)(n - moved), got = 0;
	struct tl_item *items = xcalloc(want, sizeof *items);
	if (p->ops->fetch(p, &p->top, 0, items, want, &got) == 0) {
		for (size_t i = 0; i < got && moved < n; i++) {
			moved++;   /* onto the item's last line */
			p->top = items[i].key;
			int rest = n - moved, last = items[i].nlines - 1;
			int up = rest < last ? rest : last;
			p->top_line = last - up;
			moved += up;
		}
	}
	pane_items_free(items, got);
	free(items);
	return moved;
}

int
pane_load(struct pane *p)
{
	if (fill_window(p))
		return -1;
	/* Near the end the body would show blank rows: pull the top up so
	 * the last line sits at the bottom, the cursor keeping its line. */
	if (p->nlines < (size_t)p->height && p->nlines > 0) {
		int moved = scroll_up(p, p->height - (int)p->nlines);
		if (moved) {
			p->cursor += moved;
			if (fill_window(p))
				return -1;
		}
	}
	if (p->cursor >= (int)p->nlines)
		p->cursor = p->nlines ? (int)p->nlines - 1 : 0;
	if (p->cursor >= p->height)
		p->cursor = p->height - 1;
	if (p->cursor < 0)
		p->cursor = 0;
	return 0;
}

const struct tl_item *
pane_selected(const struct pane *p, int *line)
{
	if ((size_t)p->cursor >= p->nlines)
		return NULL;
	const struct pane_line *pl = &p->lines[p->cursor];
	if (line)
		*line = pl->line;
	return &p->win[pl->item];
}

static void
move_last(struct pane *p)
{
	/* The last items, enough of them to fill the body from the end. */
	size_t want = (size_t)p->height + 1, got = 0;
	struct tl_item *items = xcalloc(want, sizeof *items);
	if (p->ops->fetch(p, NULL, 0, items, want, &got) == 0 && got > 0) {
		int lines = 0;
		size_t i = 0;
		for (; i < got; i++) {
			lines += items[i].nlines;
			if (lines >= p->height)
				break;
		}
		if (i == got)
			i = got - 1;
		p->top = items[i].key;
		p->top_line = lines > p->height ? lines - p->height : 0;
		p->has_top = 1;
		p->cursor = (lines < p->height ? lines : p->height) - 1;
	}
	pane_items_free(items, got);
	free(items);
}

int
pane_request(struct pane *p, enum tui_request req)
{
	int page = p->height > 1 ? p->height - 1 : 1;
	switch (req) {
	case REQ_MOVE_DOWN:
		if ((size_t)p->cursor + 1 >= p->nlines)
			return 1;
		if (p->cursor + 1 < p->height)
			p->cursor++;
		else
			scroll_down(p, 1);
		return 1;
	case REQ_MOVE_UP:
		if (p->cursor > 0)
			p->cursor--;
		else
			scroll_up(p, 1);
		return 1;
	case REQ_PAGE_DOWN:
		if (scroll_down(p, page) < page)
			p->cursor = p->height - 1;   /* at the end: to the last line */
		return 1;
	case REQ_PAGE_UP:
		if (scroll_up(p, page) < page)
			p->cursor = 0;
		return 1;
	case REQ_MOVE_FIRST:
		p->has_top = 0;
		p->cursor = 0;
		return 1;
	case REQ_MOVE_LAST:
		move_last(p);
		return 1;
	default:
		return 0;
	}
}

int
pane_show(struct pane *p, const union tl_key *key, int line, int row)
{
	p->top = *key;
	p->top_line = line;
	p->has_top = 1;
	if (row > p->height - 1)
		row = p->height - 1;
	p->cursor = row > 0 ? scroll_up(p, row) : 0;
	return pane_load(p);
}

void
pane_click(struct pane *p, int row)
{
	if (row >= 0 && (size_t)row < p->nlines)
		p->cursor = row;
}

/* The first (last) line of it after (before) after_line holding a match,
 * or -1; after_line -2 takes any line. */
static int
match_line(struct pane *p, struct tui *t, const struct tl_item *it,
           struct strbuf *text, int after_line, int forward)
{
	struct span spans[256];
	sb_reset(text);
	p->ops->item_text(it, text);
	size_t n = search_spans(&t->search, text->buf, text->len, spans, 256);
	int best = -1;
	for (size_t i = 0; i < n; i++) {
		int l = p->ops->line_of(it, spans[i].start);
		if (after_line != -2 && (forward ? l <= after_line : l >= after_line))
			continue;
		if (best < 0 || (forward ? l < best : l > best))
			best = l;
	}
	return best;
}

/* whole: the item under the cursor is looked at from its first line (its
 * last, backward), not only past the cursor's line. */
static int
find_from(struct pane *p, struct tui *t, int forward, int whole)
{
	int line;
	const struct tl_item *cur = pane_selected(p, &line);
	if (!cur)
		return 1;
	if (whole)
		line = forward ? -1 : INT_MAX;
	struct strbuf text = STRBUF_INIT;
	int row = p->cursor, rc = 1;
	int l = match_line(p, t, cur, &text, line, forward);
	if (l >= 0) {
		union tl_key k = cur->key;
		sb_free(&text);
		return pane_show(p, &k, l, row) ? -1 : 0;
	}
	union tl_key key = cur->key;
	if (p->ops->find) {
		union tl_key hit;
		rc = p->ops->find(p, t, &key, forward, &hit);
		sb_free(&text);
		if (rc != 0)
			return rc;
		struct tl_item it;
		memset(&it, 0, sizeof it);
		int at = 0;
		if (p->ops->fetch_at(p, &hit, &it) == 0) {
			at = p->ops->line_of(&it, 0);
			pane_items_free(&it, 1);
		}
		return pane_show(p, &hit, at, row) ? -1 : 0;
	}
	enum { BATCH = 512 };
	struct tl_item *batch = xcalloc(BATCH, sizeof *batch);
	long long seen = 0;
	p->searching = 1;
	while (rc == 1) {
		size_t got = 0;
		int failed = p->ops->fetch(p, &key, forward, batch, BATCH, &got);
		p->searching = 0;   /* pane_show() below draws what it finds */
		if (failed || got == 0)
			break;
		for (size_t i = 0; i < got && rc == 1; i++) {
			l = match_line(p, t, &batch[i], &text, -2, forward);
			if (l >= 0) {
				union tl_key k = batch[i].key;
				rc = pane_show(p, &k, l, row) ? -1 : 0;
			}
		}
		key = batch[got - 1].key;
		pane_items_free(batch, got);
		seen += (long long)got;
		char progress[64];
		snprintf(progress, sizeof progress, "%lld rows", seen);
		if (rc == 1 && tui_work_poll(t, progress))
			rc = -1;
		p->searching = 1;
	}
	p->searching = 0;
	free(batch);
	sb_free(&text);
	return rc;
}

int
pane_find(struct pane *p, struct tui *t, int forward)
{
	return find_from(p, t, forward, 0);
}

int
pane_find_whole(struct pane *p, struct tui *t, int forward)
{
	return find_from(p, t, forward, 1);
}

void
pane_draw(struct pane *p, struct tui *t, int y, int x, int active)
{
	for (int r = 0; r < p->height && (size_t)r < p->nlines; r++) {
		const struct pane_line *pl = &p->lines[r];
		p->ops->draw_line(p, t, &p->win[pl->item], pl->line, y + r, x, p->width);
		if (r == p->cursor)
			screen_paint(&t->scr, y + r, x, p->width,
			             active ? AREA_cursor : AREA_cursor_other);
	}
}
