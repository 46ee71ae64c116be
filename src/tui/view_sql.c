/* view_sql.c — the result of a `;` query as a table that scrolls both
 * ways.  Queries run on the store's read-only interface, so a write is
 * refused by SQLite itself; the view only says so clearly. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/termtext.h"
#include "tui_internal.h"

#define SQL_MAX_ROWS 10000
#define SQL_MAX_COL_WIDTH 40

struct sql_view {
	int ncol;
	char **names;
	char **cells;            /* row-major, NULL for SQL NULL */
	size_t nrows, cap;
	int *widths;
	int truncated;
	int cancelled;
	int first_col;           /* horizontal scroll, in columns */
	struct list list;
	struct tui *t;
};

static int
collect(void *ctx, int64_t row, int ncol, const char *const *names,
        const char *const *values)
{
	struct sql_view *sv = ctx;
	if (row < 0) {
		sv->ncol = ncol;
		sv->names = xcalloc((size_t)ncol + 1, sizeof *sv->names);
		sv->widths = xcalloc((size_t)ncol + 1, sizeof *sv->widths);
		for (int c = 0; c < ncol; c++) {
			sv->names[c] = xstrdup(names[c] ? names[c] : "?");
			sv->widths[c] = (int)termtext_width(sv->names[c], strlen(sv->names[c]), 0);
		}
		return 0;
	}
	if (sv->nrows >= SQL_MAX_ROWS) {
		sv->truncated = 1;
		return 1;
	}
	if (sv->nrows % 256 == 0 && tui_work_poll(sv->t, NULL)) {
		sv->cancelled = 1;
		return 1;
	}
	void *p = sv->cells;
	grow_array(&p, sizeof *sv->cells * (size_t)(ncol ? ncol : 1), &sv->cap, sv->nrows + 1);
	sv->cells = p;
	for (int c = 0; c < ncol; c++) {
		const char *v = values[c];
		sv->cells[sv->nrows * (size_t)ncol + (size_t)c] = v ? xstrdup(v) : NULL;
		if (v && sv->widths[c] < SQL_MAX_COL_WIDTH) {
			int w = (int)termtext_width(v, strnlen(v, 4 * SQL_MAX_COL_WIDTH), 0);
			if (w > sv->widths[c])
				sv->widths[c] = w > SQL_MAX_COL_WIDTH ? SQL_MAX_COL_WIDTH : w;
		}
	}
	sv->nrows++;
	return 0;
}

static void
draw_row(struct sql_view *sv, struct screen *s, int y, const char *const *cells,
         int area)
{
	int x = 0;
	for (int c = sv->first_col; c < sv->ncol && x < s->cols; c++) {
		int w = sv->widths[c];
		if (w > s->cols - x)
			w = s->cols - x;
		const char *v = cells[c];
		screen_puts(s, y, x, w, v ? v : "NULL", v ? area : AREA_dim);
		x += w + 2;
	}
}

static void
sql_draw(struct view *v, struct tui *t, int rows)
{
	struct sql_view *sv = v->data;
	struct screen *s = &t->scr;
	if (rows < 2)
		return;
	draw_row(sv, s, 0, (const char *const *)sv->names, AREA_header);
	if (sv->nrows == 0) {
		screen_puts(s, 1, 0, s->cols, "(no rows)", AREA_dim);
		return;
	}
	list_fit(&sv->list, rows - 1);
	for (int r = 0; r < rows - 1; r++) {
		size_t i = sv->list.top + (size_t)r;
		if (i >= sv->nrows)
			break;
		draw_row(sv, s, r + 1, (const char *const *)&sv->cells[i * (size_t)sv->ncol],
		         AREA_default);
		if (i == sv->list.cursor)
			screen_paint(s, r + 1, 0, s->cols, AREA_cursor);
	}
}

static int
sql_request(struct view *v, struct tui *t, enum tui_request req)
{
	struct sql_view *sv = v->data;
	switch (req) {
	case REQ_SCROLL_LEFT:
		if (sv->first_col > 0)
			sv->first_col--;
		return 1;
	case REQ_SCROLL_RIGHT:
		if (sv->first_col + 1 < sv->ncol)
			sv->first_col++;
		return 1;
	case REQ_CLICK:
		list_click(&sv->list, t->ev.y - 1);
		return 1;
	case REQ_ENTER:
		return 1;
	default:
		return list_request(&sv->list, t, req);
	}
}

static void
sql_position(struct view *v, struct tui *t, struct strbuf *out)
{
	struct sql_view *sv = v->data;
	(void)t;
	list_position(&sv->list, out);
	if (sv->truncated)
		sb_addf(out, " (first %d rows)", SQL_MAX_ROWS);
	if (sv->first_col)
		sb_addf(out, " col %d/%d", sv->first_col + 1, sv->ncol);
}

static void
row_text(void *ctx, size_t row, struct strbuf *out)
{
	struct sql_view *sv = ctx;
	for (int c = 0; c < sv->ncol; c++) {
		const char *v = sv->cells[row * (size_t)sv->ncol + (size_t)c];
		if (c)
			sb_addc(out, ' ');
		sb_adds(out, v ? v : "NULL");
	}
}

static int
sql_find(struct view *v, struct tui *t, int forward)
{
	struct sql_view *sv = v->data;
	return list_find(&sv->list, t, forward, row_text, sv);
}

static void
sql_free(struct sql_view *sv)
{
	for (size_t i = 0; i < sv->nrows * (size_t)sv->ncol; i++)
		free(sv->cells[i]);
	for (int c = 0; c < sv->ncol; c++)
		free(sv->names[c]);
	free(sv->cells);
	free(sv->names);
	free(sv->widths);
	free(sv);
}

static void
sql_close(struct view *v)
{
	sql_free(v->data);
}

static const struct view_ops sql_ops = {
	"sql", "Left/Right columns  q back",
	sql_draw, sql_request, sql_position, sql_find, sql_close, NULL,
};

/* A write refused by the authorizer or the read-only connection. */
static int
is_refusal(const char *msg)
{
	return strstr(msg, "not authorized") || strstr(msg, "readonly") ||
	       strstr(msg, "read-only") || strstr(msg, "prohibited");
}

int
view_sql_open(struct tui *t, const char *sql)
{
	struct sql_view *sv = xcalloc(1, sizeof *sv);
	sv->t = t;
	struct alibi_error err = { 0 };
	if (store_query_readonly(t->st, sql, collect, sv, &err)) {
		if (strstr(err.msg, "interrupt"))
			tui_message(t, "query cancelled");
		else if (is_refusal(err.msg) && strncmp(err.msg, "refused", 7) != 0)
			tui_error(t, "refused: the SQL prompt is read-only (%s)", err.msg);
		else
			tui_error(t, "%s", err.msg);
		sql_free(sv);
		return -1;
	}
	sv->list.count = sv->nrows;
	if (sv->cancelled)
		tui_message(t, "query cancelled; the rows read so far are shown");
	struct view *v = view_new(&sql_ops, sv);
	sb_addf(&v->title, "sql: %s", sql);
	tui_push(t, v);
	return 0;
}
