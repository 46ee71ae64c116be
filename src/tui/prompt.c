/* prompt.c — the one-line editor behind / ? ; and :, with a history per
 * prompt.  Keys map to edits through TUI_EDIT_KEYS. */
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/termtext.h"
#include "tui_internal.h"

struct edit_key {
	int key;
	enum tui_edit edit;
};

static const struct edit_key edit_keys[] = {
#define EDIT_KEY_ENTRY(key, edit) { key, EDIT_##edit },
	TUI_EDIT_KEYS(EDIT_KEY_ENTRY)
#undef EDIT_KEY_ENTRY
};
#define EDIT_KEYS_COUNT (sizeof edit_keys / sizeof edit_keys[0])

static const char *const edit_helps[EDIT__COUNT] = {
	[EDIT_NONE] = "",
#define EDIT_HELP_ENTRY(id, help) [EDIT_##id] = help,
	TUI_EDITS(EDIT_HELP_ENTRY)
#undef EDIT_HELP_ENTRY
};

enum tui_edit
edit_for_key(int key)
{
	for (size_t i = 0; i < EDIT_KEYS_COUNT; i++)
		if (edit_keys[i].key == key)
			return edit_keys[i].edit;
	return EDIT_NONE;
}

const char *
edit_help(enum tui_edit e)
{
	return e < EDIT__COUNT ? edit_helps[e] : "";
}

void
edit_keys_of(enum tui_edit e, struct strbuf *out)
{
	for (size_t i = 0; i < EDIT_KEYS_COUNT; i++) {
		if (edit_keys[i].edit != e)
			continue;
		char name[32];
		tui_key_name(edit_keys[i].key, name, sizeof name);
		if (out->len)
			sb_adds(out, ", ");
		sb_adds(out, name);
	}
}

const char *
prompt_prefix(enum prompt_kind kind)
{
	switch (kind) {
	case PROMPT_SEARCH: return "/";
	case PROMPT_SEARCH_BACK: return "?";
	case PROMPT_SQL: return "sql> ";
	case PROMPT_COMMAND: return ":";
	case PROMPT_TAGS: return "tags: ";
	default: return "> ";
	}
}

void
prompt_start(struct prompt *p, enum prompt_kind kind)
{
	p->active = 1;
	p->kind = kind;
	sb_reset(&p->text);
	sb_adds(&p->text, "");
	p->cursor = 0;
	p->hist_pos = p->history[kind].count;
	free(p->saved);
	p->saved = NULL;
}

static void
history_add(struct history *h, const char *line)
{
	if (!*line)
		return;
	if (h->count && strcmp(h->items[h->count - 1], line) == 0)
		return;
	if (h->count == 200) {
		/* A bounded history: the oldest line goes. */
		free(h->items[0]);
		memmove(h->items, h->items + 1, (h->count - 1) * sizeof *h->items);
		h->count--;
	}
	void *items = h->items;
	grow_array(&items, sizeof *h->items, &h->cap, h->count + 1);
	h->items = items;
	h->items[h->count++] = xstrdup(line);
}

static void
set_text(struct prompt *p, const char *text)
{
	sb_reset(&p->text);
	sb_adds(&p->text, text);
	p->cursor = p->text.len;
}

static void
history_move(struct prompt *p, int dir)
{
	struct history *h = &p->history[p->kind];
	if (dir < 0 && p->hist_pos == 0)
		return;
	if (dir > 0 && p->hist_pos >= h->count)
		return;
	if (p->hist_pos == h->count) {
		free(p->saved);
		p->saved = xstrdup(sb_str(&p->text));
	}
	p->hist_pos = dir < 0 ? p->hist_pos - 1 : p->hist_pos + 1;
	set_text(p, p->hist_pos < h->count ? h->items[p->hist_pos]
	                                   : (p->saved ? p->saved : ""));
}

static int
is_continuation(char c)
{
	return ((unsigned char)c & 0xC0) == 0x80;
}

static size_t
char_before(const struct prompt *p, size_t at)
{
	while (at > 0 && is_continuation(p->text.buf[--at]))
		;
	return at;
}

static size_t
char_after(const struct prompt *p, size_t at)
{
	if (at < p->text.len)
		at++;
	while (at < p->text.len && is_continuation(p->text.buf[at]))
		at++;
	return at;
}

static void
delete_range(struct prompt *p, size_t from, size_t to)
{
	if (to <= from)
		return;
	memmove(p->text.buf + from, p->text.buf + to, p->text.len - to + 1);
	p->text.len -= to - from;
	p->cursor = from;
}

static void
insert_cp(struct prompt *p, unsigned cp)
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
	if (p->text.len > 65536)
		return;   /* a prompt line has a sane bound */
	size_t tail = p->text.len - p->cursor;
	sb_add(&p->text, b, n);   /* grows the buffer */
	memmove(p->text.buf + p->cursor + n, p->text.buf + p->cursor, tail);
	memcpy(p->text.buf + p->cursor, b, n);
	p->cursor += n;
}

static void
kill_word(struct prompt *p)
{
	size_t at = p->cursor;
	while (at > 0 && p->text.buf[at - 1] == ' ')
		at--;
	while (at > 0 && p->text.buf[at - 1] != ' ')
		at--;
	delete_range(p, at, p->cursor);
}

static void
apply_edit(struct prompt *p, enum tui_edit e)
{
	switch (e) {
	case EDIT_LEFT: p->cursor = char_before(p, p->cursor); break;
	case EDIT_RIGHT: p->cursor = char_after(p, p->cursor); break;
	case EDIT_HOME: p->cursor = 0; break;
	case EDIT_END: p->cursor = p->text.len; break;
	case EDIT_BACKSPACE: delete_range(p, char_before(p, p->cursor), p->cursor); break;
	case EDIT_DELETE: delete_range(p, p->cursor, char_after(p, p->cursor)); break;
	case EDIT_KILL_HOME: delete_range(p, 0, p->cursor); break;
	case EDIT_KILL_END: delete_range(p, p->cursor, p->text.len); break;
	case EDIT_KILL_WORD: kill_word(p); break;
	case EDIT_HIST_PREV: history_move(p, -1); break;
	case EDIT_HIST_NEXT: history_move(p, 1); break;
	default: break;
	}
}

enum tui_edit
prompt_key(struct prompt *p, int key)
{
	enum tui_edit e = edit_for_key(key);
	if (key == 127 || key == 8)
		e = EDIT_BACKSPACE;
	if (e == EDIT_ACCEPT) {
		history_add(&p->history[p->kind], sb_str(&p->text));
		p->active = 0;
		return e;
	}
	if (e == EDIT_CANCEL) {
		p->active = 0;
		return e;
	}
	if (e != EDIT_NONE) {
		apply_edit(p, e);
	} else if (key == TK_TAB) {
		insert_cp(p, ' ');
	} else if (key >= 32 && key < TK_SPECIAL && key != 127) {
		insert_cp(p, (unsigned)key);
	}
	return EDIT_NONE;
}

void
prompt_draw(struct prompt *p, struct tui *t, int y)
{
	struct screen *s = &t->scr;
	screen_fill(s, y, 0, s->cols, AREA_message);
	int x = screen_puts(s, y, 0, s->cols, prompt_prefix(p->kind), AREA_prompt);
	int room = s->cols - x - 1;
	if (room < 1)
		return;
	/* Scroll the line so the cursor stays in view. */
	size_t start = 0;
	while (termtext_width(p->text.buf + start, p->cursor - start,
	                      TERMTEXT_TABS_AS_SPACE) > (size_t)room)
		start = char_after(p, start);
	struct text_style st = { AREA_message, { NULL, NULL }, { 0, 0 } };
	screen_text(s, y, x, room, p->text.buf ? p->text.buf : "", p->text.len,
	            start, 0, &st, NULL);
	int before = (int)termtext_width(p->text.buf + start, p->cursor - start,
	                                 TERMTEXT_TABS_AS_SPACE);
	s->cursor_y = y;
	s->cursor_x = x + before;
}

void
prompt_free(struct prompt *p)
{
	sb_free(&p->text);
	free(p->saved);
	p->saved = NULL;
	for (int k = 0; k < PROMPT__COUNT; k++) {
		struct history *h = &p->history[k];
		for (size_t i = 0; i < h->count; i++)
			free(h->items[i]);
		free(h->items);
		memset(h, 0, sizeof *h);
	}
}
