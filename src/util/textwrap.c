/* textwrap.c — greedy word wrapping of terminal-safe text. */
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/strbuf.h"
#include "alibi/termtext.h"
#include "alibi/textwrap.h"

static void
push_line(struct wrapped_lines *out, const char *s, size_t n)
{
	void *items = out->lines;
	grow_array(&items, sizeof *out->lines, &out->cap, out->count + 1);
	out->lines = items;
	out->lines[out->count++] = xstrndup(s, n);
}

void
wrap_add_line(struct wrapped_lines *out, const char *text, size_t width)
{
	struct strbuf sb = STRBUF_INIT;
	termtext_escape_cols(&sb, text ? text : "", text ? strlen(text) : 0,
	                     TERMTEXT_TABS_AS_SPACE, width, NULL);
	push_line(out, sb_str(&sb), sb.len);
	sb_free(&sb);
}

/* Wraps one paragraph of safe text (no newlines) into out. */
static void
wrap_paragraph(struct wrapped_lines *out, const char *p, size_t n, size_t width)
{
	if (n == 0) {
		push_line(out, "", 0);
		return;
	}
	while (n > 0) {
		if (termtext_width(p, n, 0) <= width) {
			push_line(out, p, n);
			return;
		}
		/* The longest prefix that fits, then back to the last space. */
		struct strbuf cut = STRBUF_INIT;
		size_t used = 0;
		termtext_escape_cols(&cut, p, n, 0, width, &used);
		sb_free(&cut);
		if (used == 0)
			used = 1;
		size_t brk = used;
		while (brk > 0 && p[brk] != ' ' && p[brk - 1] != ' ')
			brk--;
		if (brk == 0)
			brk = used;
		size_t end = brk;
		while (end > 0 && p[end - 1] == ' ')
			end--;
		push_line(out, p, end ? end : brk);
		p += brk;
		n -= brk;
		while (n > 0 && *p == ' ') {
			p++;
			n--;
		}
	}
}

void
wrap_text(struct wrapped_lines *out, const char *text, size_t width,
          size_t max_lines)
{
	if (width < 8)
		width = 8;
	struct strbuf safe = STRBUF_INIT;
	if (text)
		termtext_escape(&safe, text, strlen(text),
		                TERMTEXT_KEEP_NEWLINES | TERMTEXT_TABS_AS_SPACE);
	size_t first = out->count;
	const char *s = sb_str(&safe);
	for (;;) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		wrap_paragraph(out, s, n, width);
		if (!nl)
			break;
		s = nl + 1;
	}
	sb_free(&safe);
	size_t added = out->count - first;
	if (max_lines && added > max_lines) {
		size_t keep = max_lines - 1;
		size_t cut = added - keep;
		for (size_t i = first + keep; i < out->count; i++)
			free(out->lines[i]);
		out->count = first + keep;
		struct strbuf more = STRBUF_INIT;
		sb_addf(&more, "… (%zu more lines)", cut);
		push_line(out, sb_str(&more), more.len);
		sb_free(&more);
	}
}

void
wrapped_lines_free(struct wrapped_lines *w)
{
	for (size_t i = 0; i < w->count; i++)
		free(w->lines[i]);
	free(w->lines);
	w->lines = NULL;
	w->count = w->cap = 0;
}
