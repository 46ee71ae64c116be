/* pane_said.c — the SAID pane: what the agent and its operators said, in
 * transcript order.  A message is a heading (time, role) and its text
 * wrapped, claims highlighted; a tool call is its tool's name, the
 * command, and the first line of its result. */
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "timeline.h"

/* Columns of a heading: the gutter, a blank, the time, a blank, then
 * text; the body is indented under it. */
#define HEAD_TEXT 11
#define BODY_INDENT 4
#define TOOL_MAX_LINES 6

int
said_key_eq(const struct views_said_key *a, const struct views_said_key *b)
{
	return a->seq == b->seq && a->message == b->message && a->sub == b->sub;
}

static int
body_width(const struct pane *p)
{
	int w = p->width - BODY_INDENT;
	return w < 1 ? 1 : w;
}

/* Wraps text into at most max lines; returns the lines and whether text
 * was left over. */
static int
wrap_lines(const char *text, size_t len, int width, int max, size_t **starts,
           int *more)
{
	*starts = xcalloc((size_t)max + 1, sizeof **starts);
	int n = 0;
	size_t pos = 0;
	while (pos < len && n < max) {
		(*starts)[n++] = pos;
		pos = screen_text(NULL, 0, 0, width, text, len, pos,
		                  TEXT_WRAP | TEXT_MEASURE, NULL, NULL);
	}
	(*starts)[n] = pos;
	*more = pos < len;
	return n;
}

static void
load_claims(struct pane *p, struct tl_item *it)
{
	struct views_claim_span c[ITEM_MAX_CLAIMS];
	size_t n = 0;
	struct alibi_error err = { 0 };
	if (views_message_claims(p->inc->t->st, &p->inc->tl, it->said.key.message,
	                         c, ITEM_MAX_CLAIMS, &n, &err))
		return;
	size_t last_end = 0;
	for (size_t i = 0; i < n; i++) {
		if (c[i].start < 0 || c[i].end <= c[i].start || (size_t)c[i].start < last_end)
			continue;   /* overlapping or empty: the first one shows */
		it->claims[it->nclaims].start = (size_t)c[i].start;
		it->claims[it->nclaims].end = (size_t)c[i].end;
		it->claims[it->nclaims].area = AREA_claim;
		it->nclaims++;
		last_end = (size_t)c[i].end;
	}
}

static void
build(struct pane *p, struct views_said_row *row, struct tl_item *it)
{
	memset(it, 0, sizeof *it);
	it->said = *row;
	memset(row, 0, sizeof *row);
	it->key.said = it->said.key;
	it->ts = it->said.ts;
	it->finding = -1;
	int more = 0;
	if (!it->said.is_tool_call) {
		it->kind = ITEM_MESSAGE;
		it->head_lines = 1;
		it->body_lines = wrap_lines(it->said.text, it->said.text_len, body_width(p),
		                            ITEM_MAX_LINES, &it->line_start, &more);
		it->tail_lines = more || it->said.text_truncated;
		if (!p->searching)
			load_claims(p, it);
	} else {
		it->kind = ITEM_TOOL_CALL;
		it->tool_call = it->said.key.sub;
		const char *cmd = it->said.command ? it->said.command : it->said.args_json;
		it->text = xstrdup(cmd ? cmd : "");
		it->len = strlen(it->text);
		it->head_lines = 1;
		it->body_lines = wrap_lines(it->text, it->len, body_width(p), TOOL_MAX_LINES,
		                            &it->line_start, &more);
		it->tail_lines = it->said.result && *it->said.result;
	}
	it->nlines = it->head_lines + it->body_lines + it->tail_lines;
	item_mark(p->inc, it);
}

static int
said_fetch(struct pane *p, const union tl_key *key, int forward,
           struct tl_item *out, size_t max, size_t *n)
{
	struct views_said_row *rows = xcalloc(max ? max : 1, sizeof *rows);
	struct alibi_error err = { 0 };
	*n = 0;
	size_t got = 0;
	int rc = views_said_fetch(p->inc->t->st, &p->inc->tl, key ? &key->said : NULL,
	                          forward, rows, max, &got, &err);
	if (rc)
		tui_error(p->inc->t, "%s", err.msg);
	for (size_t i = 0; i < got; i++)
		build(p, &rows[i], &out[i]);
	*n = got;
	free(rows);
	return rc;
}

static int
said_fetch_at(struct pane *p, const union tl_key *key, struct tl_item *out)
{
	/* The row just before key in keyset order, so the fetch after it
	 * starts with key itself. */
	union tl_key before = *key;
	if (key->said.sub > 0) {
		before.said.sub = key->said.sub - 1;
	} else {
		before.said.message = key->said.message - 1;
		before.said.sub = INT64_MAX;   /* none of that message's calls */
	}
	size_t n = 0;
	if (said_fetch(p, &before, 1, out, 1, &n) || n == 0)
		return 1;
	if (!said_key_eq(&out->key.said, &key->said)) {
		pane_items_free(out, 1);
		return 1;
	}
	return 0;
}

static int
role_area(const char *role)
{
	if (!role)
		return AREA_said_assistant;
	if (strcmp(role, "user") == 0)
		return AREA_said_user;
	if (strcmp(role, "system") == 0)
		return AREA_said_system;
	if (strcmp(role, "tool") == 0)
		return AREA_said_tool;
	return AREA_said_assistant;
}

static void
draw_body(struct pane *p, struct tui *t, const struct tl_item *it,
          const char *text, int b, int y, int x, int area)
{
	size_t start = it->line_start[b], end = it->line_start[b + 1];
	struct span matches[64];
	size_t nm = search_spans(&t->search, text + start, end - start, matches, 64);
	for (size_t m = 0; m < nm; m++) {
		matches[m].start += start;
		matches[m].end += start;
	}
	struct text_style st = { area, { it->claims, matches }, { it->nclaims, nm } };
	screen_text(&t->scr, y, x + BODY_INDENT, body_width(p), text, end, start,
	            TEXT_WRAP, &st, NULL);
}

static void
draw_head(struct pane *p, struct tui *t, const struct tl_item *it, int y, int x)
{
	struct screen *s = &t->scr;
	draw_gutter(s, y, x, it);
	draw_time(s, y, x + 2, it->ts);
	int w = p->width - HEAD_TEXT;
	if (w < 1)
		return;
	struct strbuf head = STRBUF_INIT;
	if (it->kind == ITEM_MESSAGE) {
		sb_adds(&head, it->said.role ? it->said.role : "message");
		if (it->said.agent && *it->said.agent)
			sb_addf(&head, " (%s)", it->said.agent);
		screen_puts(s, y, x + HEAD_TEXT, w, sb_str(&head), role_area(it->said.role));
	} else {
		sb_addf(&head, "$ %s", it->said.name ? it->said.name : "tool");
		screen_puts(s, y, x + HEAD_TEXT, w, sb_str(&head), AREA_tool_call);
	}
	sb_free(&head);
}

static void
draw_tail(struct pane *p, struct tui *t, const struct tl_item *it, int y, int x)
{
	struct screen *s = &t->scr;
	int w = p->width - BODY_INDENT;
	if (w < 1)
		return;
	if (it->kind == ITEM_MESSAGE) {
		screen_puts(s, y, x + BODY_INDENT, w, "... more (r shows the whole record)", AREA_dim);
		return;
	}
	const char *r = it->said.result;
	int err = it->said.is_error;
	int used = screen_puts(s, y, x + BODY_INDENT, w, err ? "! " : "= ",
	                       err ? AREA_op_failed : AREA_tool_result);
	struct text_style st = { err ? AREA_op_failed : AREA_tool_result,
	                         { NULL, NULL }, { 0, 0 } };
	/* The first line of the result; the record has the rest. */
	size_t len = strcspn(r, "\n");
	screen_text(s, y, x + BODY_INDENT + used, w - used, r, len, 0, 0, &st, NULL);
}

static void
said_draw_line(struct pane *p, struct tui *t, const struct tl_item *it,
               int line, int y, int x, int width)
{
	(void)width;
	if (line < it->head_lines) {
		draw_head(p, t, it, y, x);
		return;
	}
	int b = line - it->head_lines;
	if (b < it->body_lines) {
		const char *text = it->kind == ITEM_MESSAGE ? it->said.text : it->text;
		draw_body(p, t, it, text, b, y, x,
		          it->kind == ITEM_MESSAGE ? AREA_default : AREA_tool_call);
		return;
	}
	draw_tail(p, t, it, y, x);
}

static void
said_item_text(const struct tl_item *it, struct strbuf *out)
{
	if (it->kind == ITEM_MESSAGE) {
		sb_add(out, it->said.text ? it->said.text : "", it->said.text_len);
		return;
	}
	sb_add(out, it->text, it->len);
	sb_addc(out, '\n');
	sb_adds(out, it->said.result);
}

static int
said_line_of(const struct tl_item *it, size_t at)
{
	size_t body_end = it->body_lines ? it->line_start[it->body_lines] : 0;
	if (at >= body_end && it->kind == ITEM_TOOL_CALL)
		return it->tail_lines ? it->nlines - 1 : it->head_lines;
	if (at >= body_end)
		return it->nlines - 1;   /* past what the pane shows: "more" */
	int l = 0;
	while (l + 1 < it->body_lines && it->line_start[l + 1] <= at)
		l++;
	return it->head_lines + l;
}

const struct pane_ops said_pane_ops = {
	"SAID",
	said_fetch,
	said_fetch_at,
	said_draw_line,
	said_item_text,
	said_line_of,
	NULL,
};
