/* doc.c — documents: labelled paragraphs wrapped to the screen's width,
 * with a line cursor.  The finding detail, raw record and help views are
 * documents. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "tui_internal.h"

/* A paragraph never takes more lines than this (a 10 MB record still
 * opens; its tail is cut). */
#define DOC_MAX_PARA_LINES 200000

void
doc_add(struct doc *d, int area, int indent, const char *label,
        const char *text)
{
	void *p = d->paras;
	grow_array(&p, sizeof *d->paras, &d->cap, d->npara + 1);
	d->paras = p;
	struct doc_para *para = &d->paras[d->npara++];
	memset(para, 0, sizeof *para);
	para->area = area;
	para->indent = indent;
	para->label = label ? xstrdup(label) : NULL;
	para->label_area = AREA_label;
	para->text = xstrdup(text ? text : "");
	para->len = strlen(para->text);
	d->width = -1;
}

void
doc_addf(struct doc *d, int area, int indent, const char *label,
         const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	doc_add(d, area, indent, label, sb_str(&sb));
	sb_free(&sb);
}

void
doc_link(struct doc *d, int type, int64_t id)
{
	if (!d->npara)
		return;
	d->paras[d->npara - 1].link_type = type + 1;
	d->paras[d->npara - 1].link_id = id;
}

void
doc_clear(struct doc *d)
{
	for (size_t i = 0; i < d->npara; i++) {
		free(d->paras[i].label);
		free(d->paras[i].text);
	}
	free(d->paras);
	free(d->lines);
	memset(d, 0, sizeof *d);
	d->width = -1;
}

static int
label_width(const struct doc_para *p)
{
	return p->label ? screen_puts(NULL, 0, 0, 1 << 20, p->label, 0) + 1 : 0;
}

static void
add_line(struct doc *d, size_t para, size_t start, size_t end, int first)
{
	void *p = d->lines;
	grow_array(&p, sizeof *d->lines, &d->lcap, d->nlines + 1);
	d->lines = p;
	d->lines[d->nlines].para = para;
	d->lines[d->nlines].start = start;
	d->lines[d->nlines].end = end;
	d->lines[d->nlines].first = first;
	d->nlines++;
}

/* Where the text of a paragraph starts and how wide it may be; 1 when
 * the label is too wide to share a line and gets a line of its own. */
static int
text_box(const struct doc_para *p, int width, int *x, int *w)
{
	int lw = label_width(p);
	int own_line = p->indent + lw > width / 2;
	*x = p->indent + (own_line ? 2 : lw);
	*w = width - *x;
	if (*w < 8) {
		*x = 0;
		*w = width;
	}
	return own_line;
}

static void
doc_wrap(struct doc *d, int width)
{
	if (d->width == width)
		return;
	size_t keep_para = d->list.cursor < d->nlines ? d->lines[d->list.cursor].para : 0;
	d->nlines = 0;
	for (size_t i = 0; i < d->npara; i++) {
		const struct doc_para *p = &d->paras[i];
		int x, w;
		size_t pos = 0;
		int n = 0;
		int own_line = text_box(p, width, &x, &w);
		if (own_line)
			add_line(d, i, 0, 0, 2);   /* the label alone */
		do {
			size_t end = screen_text(NULL, 0, 0, w, p->text, p->len, pos,
			                         TEXT_WRAP | TEXT_MEASURE, NULL, NULL);
			add_line(d, i, pos, end, n == 0 && !own_line);
			pos = end;
		} while (pos < p->len && ++n < DOC_MAX_PARA_LINES);
	}
	d->width = width;
	d->list.count = d->nlines;
	/* The cursor stays on the paragraph it was on. */
	for (size_t l = 0; l < d->nlines; l++) {
		if (d->lines[l].para == keep_para) {
			d->list.cursor = l;
			break;
		}
	}
}

void
doc_draw(struct doc *d, struct tui *t, int rows)
{
	struct screen *s = &t->scr;
	doc_wrap(d, s->cols);
	list_fit(&d->list, rows);
	struct span matches[64];
	for (int r = 0; r < rows; r++) {
		size_t li = d->list.top + (size_t)r;
		if (li >= d->nlines)
			break;
		const struct doc_line *line = &d->lines[li];
		const struct doc_para *p = &d->paras[line->para];
		int x, w;
		text_box(p, s->cols, &x, &w);
		if (line->first && p->label)
			screen_puts(s, r, p->indent, s->cols - p->indent, p->label, p->label_area);
		if (line->first == 2) {
			if (li == d->list.cursor)
				screen_paint(s, r, 0, s->cols, AREA_cursor);
			continue;
		}
		size_t nm = search_spans(&t->search, p->text + line->start,
		                         line->end - line->start, matches, 64);
		for (size_t m = 0; m < nm; m++) {
			matches[m].start += line->start;
			matches[m].end += line->start;
		}
		struct text_style st = { p->link_type ? AREA_link : p->area,
		                         { matches, NULL }, { nm, 0 } };
		screen_text(s, r, x, w, p->text, line->end, line->start, TEXT_WRAP, &st, NULL);
		if (li == d->list.cursor)
			screen_paint(s, r, 0, s->cols, AREA_cursor);
	}
}

int
doc_request(struct doc *d, struct tui *t, enum tui_request req)
{
	if (req == REQ_CLICK) {
		list_click(&d->list, t->ev.y);
		return 1;
	}
	return list_request(&d->list, t, req);
}

static void
doc_line_text(void *ctx, size_t row, struct strbuf *out)
{
	const struct doc *d = ctx;
	const struct doc_line *line = &d->lines[row];
	const struct doc_para *p = &d->paras[line->para];
	if (line->first && p->label) {
		sb_adds(out, p->label);
		sb_addc(out, ' ');
	}
	sb_add(out, p->text + line->start, line->end - line->start);
}

int
doc_find(struct doc *d, struct tui *t, int forward)
{
	return list_find(&d->list, t, forward, doc_line_text, d);
}

const struct doc_para *
doc_selected(const struct doc *d)
{
	if (d->list.cursor >= d->nlines)
		return NULL;
	return &d->paras[d->lines[d->list.cursor].para];
}
