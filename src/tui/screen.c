/* screen.c — the grid of cells every view draws into.  Both back ends
 * show this grid: the terminal one copies changed cells to ncurses, the
 * headless one dumps it as text.  Every character of every string passes
 * through termtext_escape on its way into a cell. */
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/termtext.h"
#include "tui_internal.h"

void
screen_init(struct screen *s, int cols, int lines)
{
	memset(s, 0, sizeof *s);
	sb_init(&s->scratch);
	screen_resize(s, cols, lines);
}

void
screen_free(struct screen *s)
{
	free(s->cells);
	sb_free(&s->scratch);
	s->cells = NULL;
}

void
screen_resize(struct screen *s, int cols, int lines)
{
	if (cols < 1)
		cols = 1;
	if (lines < 1)
		lines = 1;
	free(s->cells);
	s->cols = cols;
	s->lines = lines;
	s->cells = xcalloc((size_t)cols * (size_t)lines, sizeof *s->cells);
	screen_clear(s);
}

struct cell *
screen_cell(struct screen *s, int y, int x)
{
	if (y < 0 || y >= s->lines || x < 0 || x >= s->cols)
		return NULL;
	return &s->cells[(size_t)y * (size_t)s->cols + (size_t)x];
}

static void
blank(struct cell *c, int area)
{
	memset(c->cp, 0, sizeof c->cp);
	c->cp[0] = ' ';
	c->width = 1;
	c->area = (uint8_t)area;
}

void
screen_clear(struct screen *s)
{
	size_t n = (size_t)s->cols * (size_t)s->lines;
	for (size_t i = 0; i < n; i++)
		blank(&s->cells[i], AREA_default);
	s->cursor_x = s->cursor_y = -1;
}

/* Writing over half of a wide character blanks its other half, so the
 * grid never holds a lone half. */
static void
unsplit(struct screen *s, int y, int x)
{
	struct cell *c = screen_cell(s, y, x);
	if (!c)
		return;
	if (c->width == 0) {
		struct cell *left = screen_cell(s, y, x - 1);
		if (left)
			blank(left, left->area);
	} else if (c->width == 2) {
		struct cell *right = screen_cell(s, y, x + 1);
		if (right)
			blank(right, c->area);
	}
}

static void
put_cp(struct screen *s, int y, int x, uint32_t cp, int width, int area)
{
	struct cell *c = screen_cell(s, y, x);
	if (!c)
		return;
	unsplit(s, y, x);
	if (width == 2)
		unsplit(s, y, x + 1);
	memset(c->cp, 0, sizeof c->cp);
	c->cp[0] = cp;
	c->width = (uint8_t)width;
	c->area = (uint8_t)area;
	if (width == 2) {
		struct cell *r = screen_cell(s, y, x + 1);
		if (r) {
			memset(r->cp, 0, sizeof r->cp);
			r->width = 0;
			r->area = (uint8_t)area;
		}
	}
}

static void
combine(struct screen *s, int y, int x, uint32_t cp)
{
	struct cell *c = screen_cell(s, y, x);
	while (c && c->width == 0 && x > 0)
		c = screen_cell(s, y, --x);
	if (!c)
		return;
	for (int i = 1; i < 4; i++) {
		if (c->cp[i] == 0) {
			c->cp[i] = cp;
			return;
		}
	}
	/* More than three marks on one character: the rest are dropped. */
}

void
screen_fill(struct screen *s, int y, int x, int width, int area)
{
	if (y < 0 || y >= s->lines)
		return;
	if (x < 0) {
		width += x;
		x = 0;
	}
	for (int i = 0; i < width && x + i < s->cols; i++) {
		unsplit(s, y, x + i);
		struct cell *c = screen_cell(s, y, x + i);
		if (c)
			blank(c, area);
	}
}

void
screen_paint(struct screen *s, int y, int x, int width, int area)
{
	for (int i = 0; i < width; i++) {
		struct cell *c = screen_cell(s, y, x + i);
		if (c && c->area != AREA_search)
			c->area = (uint8_t)area;
	}
}

static void
add_utf8(struct strbuf *out, uint32_t cp)
{
	char b[4];
	size_t n;
	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		b[0] = (char)(0xF0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	sb_add(out, b, n);
}

void
screen_dump(const struct screen *s, struct strbuf *out)
{
	for (int y = 0; y < s->lines; y++) {
		size_t keep = out->len;
		for (int x = 0; x < s->cols; x++) {
			const struct cell *c = &s->cells[(size_t)y * (size_t)s->cols + (size_t)x];
			if (c->width == 0)
				continue;
			for (int i = 0; i < 4 && c->cp[i]; i++)
				add_utf8(out, c->cp[i]);
			if (c->cp[0] != ' ')
				keep = out->len;
		}
		sb_truncate(out, keep);
		sb_addc(out, '\n');
	}
}

/* The area of byte i: the base area, or the span covering it (the later
 * layer wins).  next[] walks each layer forward as i grows. */
static int
area_at(const struct text_style *st, size_t i, size_t next[2])
{
	int area = st ? st->area : AREA_default;
	for (int l = 0; st && l < 2; l++) {
		const struct span *sp = st->spans[l];
		size_t n = st->nspans[l];
		while (next[l] < n && sp[next[l]].end <= i)
			next[l]++;
		if (next[l] < n && sp[next[l]].start <= i)
			area = sp[next[l]].area;
	}
	return area;
}

/* The columns of a rendering (already escaped, valid UTF-8). */
static int
rendering_width(const char *r, size_t n)
{
	int w = 0;
	for (size_t i = 0; i < n;) {
		unsigned cp;
		i += utf8_decode(r + i, n - i, &cp);
		w += codepoint_width(cp);
	}
	return w;
}

static void
draw_rendering(struct screen *s, int y, int x, const char *r, size_t n,
               int area)
{
	for (size_t i = 0; i < n;) {
		unsigned cp;
		i += utf8_decode(r + i, n - i, &cp);
		int w = codepoint_width(cp);
		if (w == 0) {
			combine(s, y, x - 1, cp);
			continue;
		}
		put_cp(s, y, x, cp, w, area);
		x += w;
	}
}

/* Renders the character at text[i] (clen bytes) safely into buf; a
 * newline in a one-line rendering becomes a visible mark. */
static void
render_char(struct strbuf *buf, const char *text, size_t i, size_t clen,
            int *area, int dim_newline)
{
	sb_reset(buf);
	if (text[i] == '\n' && dim_newline) {
		sb_adds(buf, "\xe2\x86\xb5");
		*area = AREA_dim;
		return;
	}
	termtext_escape(buf, text + i, clen, TERMTEXT_TABS_AS_SPACE);
	if (buf->len == 0)
		sb_addc(buf, ' ');
}

size_t
screen_text(struct screen *s, int y, int x, int width, const char *text,
            size_t len, size_t pos, int flags, const struct text_style *style,
            int *cols)
{
	static struct strbuf local = STRBUF_INIT;
	struct strbuf *buf = s ? &s->scratch : &local;
	int draw = s && !(flags & TEXT_MEASURE);
	int wrap = flags & TEXT_WRAP;
	size_t next[2] = { 0, 0 };
	int col = 0, brk_col = -1;
	size_t i = pos, brk_pos = 0;
	if (!text)
		len = 0;
	while (i < len) {
		if (wrap && text[i] == '\n') {
			i++;
			goto done;
		}
		if (wrap && text[i] == '\r' && i + 1 < len && text[i + 1] == '\n') {
			i += 2;
			goto done;
		}
		unsigned cp;
		size_t clen = utf8_decode(text + i, len - i, &cp);
		int area = area_at(style, i, next);
		render_char(buf, text, i, clen, &area, !wrap);
		int w = rendering_width(buf->buf, buf->len);
		if (w == 0 && col == 0) {
			/* A combining mark with nothing to sit on. */
			sb_reset(buf);
			sb_addc(buf, ' ');
			termtext_escape(buf, text + i, clen, 0);
			w = rendering_width(buf->buf, buf->len);
		}
		if (col + w > width) {
			if (col == 0) {
				/* Wider than the whole line: show what fits and move
				 * on, so wrapping always makes progress. */
				if (draw)
					screen_fill(s, y, x, width, area);
				i += clen;
				col = width;
				goto done;
			}
			if (wrap && brk_col > 0 && cp != ' ') {
				if (draw)
					screen_fill(s, y, x + brk_col, col - brk_col, style ? style->area : 0);
				col = brk_col;
				i = brk_pos;
			} else if (wrap && cp == ' ') {
				i += clen;   /* the blank at a break is not carried over */
			}
			goto done;
		}
		if (draw)
			draw_rendering(s, y, x + col, buf->buf, buf->len, area);
		col += w;
		i += clen;
		if (cp == ' ') {
			brk_pos = i;
			brk_col = col;
		}
	}
done:
	if (cols)
		*cols = col;
	return i;
}

int
screen_puts(struct screen *s, int y, int x, int width, const char *text,
            int area)
{
	struct text_style st = { area, { NULL, NULL }, { 0, 0 } };
	int cols = 0;
	if (width > 0 && text)
		screen_text(s, y, x, width, text, strlen(text), 0, 0, &st, &cols);
	return cols;
}

int
text_line_count(const char *text, size_t len, int width, int max)
{
	if (width < 1)
		width = 1;
	int n = 0;
	size_t pos = 0;
	while (pos < len && n < max) {
		pos = screen_text(NULL, 0, 0, width, text, len, pos,
		                  TEXT_WRAP | TEXT_MEASURE, NULL, NULL);
		n++;
	}
	return n ? n : 1;
}
