/* headless.c — the script mode: keys from a file, the screen a virtual
 * grid of $COLUMNS x $LINES, no tty and no TERM needed.
 *
 * A script has one step a line:
 *   # a comment                   ignored, as are blank lines
 *   :save-display out.txt         a command: typed at the : prompt, then Enter
 *   jjj/claim<Enter>              keys; <Name> is a named key (<Enter>,
 *                                 <Down>, <C-c>, <Lt> for '<'), the rest
 *                                 literal text
 *   <Resize 40x12>                the terminal changes size
 *   <Click 10,3>                  a click at column 10, row 3 (0-based)
 * An unknown <...> is literal text. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/termtext.h"
#include "tui_internal.h"

struct headless {
	struct tui_event *events;
	size_t count, next;
};

struct event_list {
	struct tui_event *ev;
	size_t count, cap;
};

static void
push(struct event_list *l, struct tui_event ev)
{
	void *p = l->ev;
	grow_array(&p, sizeof *l->ev, &l->cap, l->count + 1);
	l->ev = p;
	l->ev[l->count++] = ev;
}

static void
push_key(struct event_list *l, int key)
{
	struct tui_event ev = { key, 0, 0, 0, 0 };
	push(l, ev);
}

static void
push_text(struct event_list *l, const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned cp;
		i += utf8_decode(s + i, n - i, &cp);
		push_key(l, (int)cp);
	}
}

/* <Resize 40x12>, <Click 3,4>; 1 when the token was one of them. */
static int
special_step(struct event_list *l, const char *tok, size_t n)
{
	char buf[64];
	if (n >= sizeof buf)
		return 0;
	memcpy(buf, tok, n);
	buf[n] = '\0';
	int a, b;
	char end;
	if (sscanf(buf, "Resize %dx%d%c", &a, &b, &end) == 2 && a > 0 && b > 0 &&
	    a <= 1000 && b <= 1000) {
		struct tui_event ev = { TK_RESIZE, 0, 0, a, b };
		push(l, ev);
		return 1;
	}
	if (sscanf(buf, "Click %d,%d%c", &a, &b, &end) == 2 && a >= 0 && b >= 0) {
		struct tui_event ev = { TK_CLICK, a, b, 0, 0 };
		push(l, ev);
		return 1;
	}
	return 0;
}

static void
parse_keys(struct event_list *l, const char *s, size_t n)
{
	size_t i = 0, lit = 0;
	while (i < n) {
		if (s[i] != '<') {
			i++;
			continue;
		}
		const char *close = memchr(s + i, '>', n - i);
		if (!close) {
			break;
		}
		size_t tlen = (size_t)(close - (s + i + 1));
		int key = key_from_name(s + i + 1, tlen);
		struct event_list probe = { NULL, 0, 0 };
		if (key >= 0 || special_step(&probe, s + i + 1, tlen)) {
			push_text(l, s + lit, i - lit);
			if (key >= 0)
				push_key(l, key);
			else
				push(l, probe.ev[0]);
			i = lit = (size_t)(close - s) + 1;
		} else {
			i++;
		}
		free(probe.ev);
	}
	push_text(l, s + lit, n - lit);
}

struct tui_event *
script_parse(const char *text, size_t len, size_t *count)
{
	struct event_list l = { NULL, 0, 0 };
	size_t pos = 0;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
		const char *line = text + pos;
		pos += n + (nl ? 1 : 0);
		if (n && line[n - 1] == '\r')
			n--;
		if (n == 0 || line[0] == '#')
			continue;
		if (line[0] == ':') {
			push_text(&l, line, n);   /* typed into the : prompt */
			push_key(&l, TK_ENTER);
			continue;
		}
		parse_keys(&l, line, n);
	}
	*count = l.count;
	return l.ev;
}

static int
headless_next_event(struct tui *t, struct tui_event *ev, int timeout_ms)
{
	struct headless *h = t->be_data;
	(void)timeout_ms;
	if (h->next >= h->count) {
		ev->key = TK_EOF;
		return 0;
	}
	*ev = h->events[h->next++];
	return 0;
}

static int
headless_cancel_pending(struct tui *t)
{
	struct headless *h = t->be_data;
	if (h->next < h->count && h->events[h->next].key == TK_CTRL('c')) {
		h->next++;
		return 1;
	}
	return 0;
}

static void
headless_flush(struct tui *t)
{
	(void)t;
}

static void
headless_theme_changed(struct tui *t)
{
	(void)t;
}

static void
headless_fini(struct tui *t)
{
	struct headless *h = t->be_data;
	if (h)
		free(h->events);
	free(h);
	t->be_data = NULL;
}

static const struct backend headless_backend = {
	"headless",
	headless_next_event,
	headless_cancel_pending,
	headless_flush,
	headless_theme_changed,
	headless_fini,
};

static int
env_size(const char *name, int fallback)
{
	const char *v = getenv(name);
	if (!v || !*v)
		return fallback;
	char *end;
	long n = strtol(v, &end, 10);
	return (*end || n < 1 || n > 1000) ? fallback : (int)n;
}

static int
read_script(const char *path, struct strbuf *out, struct alibi_error *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return alibi_error_set(err, ALIBI_EUSAGE, "%s: cannot read the script: %s", path,
		                       strerror(errno));
	char buf[8192];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
		sb_add(out, buf, n);
		if (out->len > (16u << 20)) {
			fclose(f);
			return alibi_error_set(err, ALIBI_EUSAGE, "%s: script is larger than 16 MB", path);
		}
	}
	int bad = ferror(f);
	fclose(f);
	if (bad)
		return alibi_error_set(err, ALIBI_EIO, "%s: cannot read the script", path);
	return 0;
}

int
headless_init(struct tui *t, const struct tui_options *opt,
              struct alibi_error *err)
{
	struct strbuf text = STRBUF_INIT;
	if (opt->script_text) {
		sb_adds(&text, opt->script_text);
	} else if (read_script(opt->script_path, &text, err)) {
		sb_free(&text);
		return err->code;
	}
	struct headless *h = xcalloc(1, sizeof *h);
	h->events = script_parse(text.buf ? text.buf : "", text.len, &h->count);
	sb_free(&text);
	int cols = opt->cols > 0 ? opt->cols : env_size("COLUMNS", 80);
	int lines = opt->lines > 0 ? opt->lines : env_size("LINES", 24);
	screen_init(&t->scr, cols, lines);
	t->be = &headless_backend;
	t->be_data = h;
	/* A virtual terminal has colours unless the reviewer says no. */
	const char *nc = getenv("NO_COLOR");
	t->colors = !(nc && *nc);
	return 0;
}
