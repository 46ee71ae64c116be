/* list.c — movement and search for views whose rows are in memory
 * (incidents, findings, SQL results, documents). */
#include "tui_internal.h"

void
list_fit(struct list *l, int rows)
{
	if (rows < 1)
		rows = 1;
	l->rows = rows;
	if (l->count == 0) {
		l->cursor = l->top = 0;
		return;
	}
	if (l->cursor >= l->count)
		l->cursor = l->count - 1;
	if (l->cursor < l->top)
		l->top = l->cursor;
	if (l->cursor >= l->top + (size_t)rows)
		l->top = l->cursor - (size_t)rows + 1;
	/* No blank rows at the bottom while there are rows above. */
	if (l->count >= (size_t)rows && l->top + (size_t)rows > l->count)
		l->top = l->count - (size_t)rows;
}

static void
move_by(struct list *l, long delta)
{
	if (l->count == 0)
		return;
	long c = (long)l->cursor + delta;
	if (c < 0)
		c = 0;
	if (c >= (long)l->count)
		c = (long)l->count - 1;
	l->cursor = (size_t)c;
}

int
list_request(struct list *l, struct tui *t, enum tui_request req)
{
	(void)t;
	long page = l->rows > 1 ? l->rows - 1 : 1;
	switch (req) {
	case REQ_MOVE_DOWN: move_by(l, 1); break;
	case REQ_MOVE_UP: move_by(l, -1); break;
	case REQ_PAGE_DOWN:
		move_by(l, page);
		l->top += (size_t)page;
		break;
	case REQ_PAGE_UP:
		move_by(l, -page);
		l->top = l->top > (size_t)page ? l->top - (size_t)page : 0;
		break;
	case REQ_MOVE_FIRST: l->cursor = 0; break;
	case REQ_MOVE_LAST: l->cursor = l->count ? l->count - 1 : 0; break;
	case REQ_SCROLL_LEFT: l->hscroll = l->hscroll > 8 ? l->hscroll - 8 : 0; break;
	case REQ_SCROLL_RIGHT: l->hscroll += 8; break;
	default: return 0;
	}
	list_fit(l, l->rows);
	return 1;
}

int
list_click(struct list *l, int row)
{
	if (row < 0 || l->top + (size_t)row >= l->count)
		return 0;
	size_t at = l->top + (size_t)row;
	int again = at == l->cursor;
	l->cursor = at;
	return again;
}

int
list_find(struct list *l, struct tui *t, int forward,
          void (*row_text)(void *ctx, size_t row, struct strbuf *out),
          void *ctx)
{
	struct strbuf text = STRBUF_INIT;
	int rc = 1;
	size_t i = l->cursor;
	for (size_t n = 0; rc == 1; n++) {
		if (forward ? i + 1 >= l->count : i == 0)
			break;
		i = forward ? i + 1 : i - 1;
		if (n % 4096 == 4095 && tui_work_poll(t, NULL)) {
			rc = -1;
			break;
		}
		sb_reset(&text);
		row_text(ctx, i, &text);
		if (search_match(&t->search, text.buf, text.len)) {
			l->cursor = i;
			rc = 0;
		}
	}
	sb_free(&text);
	if (rc == 0)
		list_fit(l, l->rows);
	return rc;
}

void
list_position(const struct list *l, struct strbuf *out)
{
	if (l->count)
		sb_addf(out, "%zu/%zu", l->cursor + 1, l->count);
	else
		sb_adds(out, "empty");
}
