/* tui.c — the console's main loop: the view stack, the status bar and
 * message line, the prompts, commands, themes and long work.  It knows
 * views only through their tables of operations. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alibi/alloc.h"
#include "alibi/views.h"
#include "tui_internal.h"

long long
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long long
now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void
format_clock(int64_t ts, char *buf, size_t size)
{
	if (ts == ALIBI_TS_NONE || ts == VIEWS_TS_UNKNOWN) {
		snprintf(buf, size, "--:--:--");
		return;
	}
	int64_t secs = ts / 1000000;
	if (ts < 0 && ts % 1000000)
		secs--;
	time_t tt = (time_t)secs;
	struct tm tm;
	/* Times within two days of zero are times of day or relative times
	 * that no anchor moved onto a date: shown as they are, not shifted by
	 * the local zone. */
	int undated = secs > -172800 && secs < 172800;
	if (!(undated ? gmtime_r(&tt, &tm) : localtime_r(&tt, &tm))) {
		snprintf(buf, size, "??:??:??");
		return;
	}
	snprintf(buf, size, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* ---- views and the stack ---- */

struct view *
view_new(const struct view_ops *ops, void *data)
{
	struct view *v = xcalloc(1, sizeof *v);
	v->ops = ops;
	v->data = data;
	sb_init(&v->title);
	return v;
}

void
view_free(struct view *v)
{
	if (!v)
		return;
	if (v->ops->close)
		v->ops->close(v);
	sb_free(&v->title);
	free(v);
}

void
tui_push(struct tui *t, struct view *v)
{
	if (t->nviews == TUI_MAX_VIEWS) {
		tui_error(t, "too many views open; q goes back");
		view_free(v);
		return;
	}
	t->views[t->nviews++] = v;
}

void
tui_pop(struct tui *t)
{
	if (t->nviews > 0)
		view_free(t->views[--t->nviews]);
}

static struct view *
top_view(struct tui *t)
{
	return t->nviews ? t->views[t->nviews - 1] : NULL;
}

/* ---- messages ---- */

static void
vmessage(struct tui *t, int error, const char *fmt, va_list ap)
{
	sb_reset(&t->message);
	sb_vaddf(&t->message, fmt, ap);
	t->message_error = error;
}

void
tui_message(struct tui *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage(t, 0, fmt, ap);
	va_end(ap);
}

void
tui_error(struct tui *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage(t, 1, fmt, ap);
	va_end(ap);
}

/* ---- drawing ---- */

int
tui_view_rows(const struct tui *t)
{
	return t->scr.lines - 2;
}

static int
too_small(const struct tui *t)
{
	return t->scr.cols < TUI_MIN_COLS || t->scr.lines < TUI_MIN_LINES;
}

static void
draw_too_small(struct tui *t)
{
	char msg[160];
	snprintf(msg, sizeof msg,
	         "alibi needs a terminal of at least %dx%d; this one is %dx%d. "
	         "Enlarge it, or press Q to quit.",
	         TUI_MIN_COLS, TUI_MIN_LINES, t->scr.cols, t->scr.lines);
	size_t len = strlen(msg), pos = 0;
	struct text_style st = { AREA_error, { NULL, NULL }, { 0, 0 } };
	for (int y = 0; y < t->scr.lines && pos < len; y++)
		pos = screen_text(&t->scr, y, 0, t->scr.cols, msg, len, pos, TEXT_WRAP, &st, NULL);
}

static void
draw_status(struct tui *t, struct view *v, int y)
{
	struct screen *s = &t->scr;
	screen_fill(s, y, 0, s->cols, AREA_status);
	if (!v)
		return;
	struct strbuf left = STRBUF_INIT, pos = STRBUF_INIT;
	sb_adds(&left, sb_str(&v->title));
	if (v->ops->position)
		v->ops->position(v, t, &pos);
	/* Title, position, then the key hints at the right; when they do not
	 * all fit, the hints shrink to the one that leads to the others. */
	const char *hints = v->ops->hints ? v->ops->hints : "h help";
	int wl = screen_puts(NULL, 0, 0, s->cols, sb_str(&left), 0);
	int wp = pos.len ? 2 + screen_puts(NULL, 0, 0, s->cols, sb_str(&pos), 0) : 0;
	int wh = screen_puts(NULL, 0, 0, s->cols, hints, 0);
	if (wl + wp + 2 + wh > s->cols) {
		hints = "h help";
		wh = 6;
	}
	/* The title yields to the position on a narrow screen. */
	int title_w = s->cols - 1 - wp;
	if (title_w < s->cols / 3)
		title_w = s->cols / 3;
	int x = screen_puts(s, y, 1, title_w, sb_str(&left), AREA_status) + 1;
	if (pos.len && x + 3 < s->cols)
		x += 2 + screen_puts(s, y, x + 2, s->cols - x - 2, sb_str(&pos), AREA_status);
	if (x + 3 + wh <= s->cols)
		screen_puts(s, y, s->cols - wh - 1, wh, hints, AREA_status);
	sb_free(&left);
	sb_free(&pos);
}

void
tui_draw(struct tui *t)
{
	struct screen *s = &t->scr;
	screen_clear(s);
	if (too_small(t)) {
		draw_too_small(t);
		if (t->prompt.active)
			prompt_draw(&t->prompt, t, s->lines - 1);
		return;
	}
	struct view *v = top_view(t);
	if (v)
		v->ops->draw(v, t, tui_view_rows(t));
	draw_status(t, v, s->lines - 2);
	int y = s->lines - 1;
	if (t->prompt.active) {
		prompt_draw(&t->prompt, t, y);
	} else {
		screen_fill(s, y, 0, s->cols, AREA_message);
		screen_puts(s, y, 0, s->cols, sb_str(&t->message),
		            t->message_error ? AREA_error : AREA_message);
	}
}

/* ---- themes ---- */

struct theme_report {
	struct tui *t;
	int count;
};

static void
report_theme_line(void *ctx, const char *msg)
{
	struct theme_report *r = ctx;
	if (r->count++ == 0)
		tui_error(r->t, "%s", msg);
	if (r->t->be_data && strcmp(r->t->be->name, "headless") == 0)
		fprintf(r->t->diag, "alibi: %s\n", msg);
}

int
tui_set_theme(struct tui *t, const char *name)
{
	struct theme th;
	struct theme_report r = { t, 0 };
	const char *use = t->colors ? name : "mono";
	if (theme_load(name, &th, report_theme_line, &r) != 0) {
		struct strbuf dirs = STRBUF_INIT;
		theme_dirs(&dirs);
		for (size_t i = 0; i < dirs.len; i++)
			if (dirs.buf[i] == '\n')
				dirs.buf[i] = i + 1 < dirs.len ? ' ' : '\0';
		tui_error(t, "no theme '%s' in %s", name, sb_str(&dirs));
		sb_free(&dirs);
		return -1;
	}
	if (use != name && theme_load(use, &th, report_theme_line, &r) != 0)
		return -1;
	t->theme = th;
	t->be->theme_changed(t);
	if (r.count > 1)
		sb_addf(&t->message, " (and %d more)", r.count - 1);
	else if (r.count == 0 && use != name)
		tui_message(t, "theme %s: no colours here (NO_COLOR or the terminal), so mono", name);
	else if (r.count == 0)
		tui_message(t, "theme %s", name);
	return 0;
}

static void
next_theme(struct tui *t)
{
	size_t n;
	char **names = theme_list(&n);
	size_t at = 0;
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], t->theme.name) == 0)
			at = (i + 1) % n;
	if (!t->colors)
		tui_message(t, "no colours here (NO_COLOR or the terminal): the mono theme stays");
	else if (n)
		tui_set_theme(t, names[at]);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* ---- commands ---- */

static void
cmd_save_display(struct tui *t, const char *arg)
{
	if (!*arg) {
		tui_error(t, "usage: :save-display FILE");
		return;
	}
	tui_draw(t);   /* the screen as it stands, without the prompt */
	struct strbuf out = STRBUF_INIT;
	screen_dump(&t->scr, &out);
	FILE *f = fopen(arg, "w");
	int ok = f && fwrite(out.buf, 1, out.len, f) == out.len;
	if (f && fclose(f) != 0)
		ok = 0;
	if (ok)
		tui_message(t, "saved the display to %s", arg);
	else
		tui_error(t, "%s: cannot write: %s", arg, strerror(errno));
	sb_free(&out);
}

static void
cmd_theme(struct tui *t, const char *arg)
{
	if (*arg) {
		tui_set_theme(t, arg);
		return;
	}
	size_t n;
	char **names = theme_list(&n);
	struct strbuf msg = STRBUF_INIT;
	sb_addf(&msg, "themes:");
	for (size_t i = 0; i < n; i++) {
		sb_addf(&msg, " %s%s", names[i],
		        strcmp(names[i], t->theme.name) == 0 ? "*" : "");
		free(names[i]);
	}
	free(names);
	tui_message(t, "%s", sb_str(&msg));
	sb_free(&msg);
}

static void
cmd_quit(struct tui *t, const char *arg)
{
	(void)arg;
	t->quit = 1;
}

static const struct {
	const char *name;
	void (*fn)(struct tui *t, const char *arg);
} commands[] = {
#define COMMAND_ENTRY(id, name, arg, help) { name, cmd_##id },
	TUI_COMMANDS(COMMAND_ENTRY)
#undef COMMAND_ENTRY
	{ "q", cmd_quit },
};

void
tui_command(struct tui *t, const char *line)
{
	while (*line == ' ')
		line++;
	size_t n = strcspn(line, " ");
	const char *arg = line + n;
	while (*arg == ' ')
		arg++;
	char *argv = xstrdup(arg);
	for (size_t len = strlen(argv); len && argv[len - 1] == ' ';)
		argv[--len] = '\0';
	if (n == 0) {
		free(argv);
		return;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		if (strlen(commands[i].name) == n && strncmp(commands[i].name, line, n) == 0) {
			commands[i].fn(t, argv);
			free(argv);
			return;
		}
	}
	tui_error(t, "unknown command :%.*s (h lists the commands)", (int)(n > 60 ? 60 : n), line);
	free(argv);
}

/* ---- long work ---- */

void
tui_work_begin(struct tui *t, const char *what)
{
	t->work_what = what;
	t->work_started_ms = now_ms();
	t->work_drawn_ms = 0;
}

int
tui_work_poll(struct tui *t, const char *progress)
{
	if (t->be->cancel_pending(t))
		return 1;
	long long now = now_ms();
	if (now - t->work_started_ms < 150 || now - t->work_drawn_ms < 100)
		return 0;
	t->work_drawn_ms = now;
	int y = t->scr.lines - 1;
	char line[256];
	snprintf(line, sizeof line, "%s%s%s... (Ctrl-C cancels)", t->work_what,
	         progress ? " " : "", progress ? progress : "");
	screen_fill(&t->scr, y, 0, t->scr.cols, AREA_message);
	screen_puts(&t->scr, y, 0, t->scr.cols, line, AREA_prompt);
	t->be->flush(t);
	return 0;
}

void
tui_work_end(struct tui *t)
{
	t->work_what = NULL;
}

static int
sqlite_progress(void *ctx)
{
	return tui_work_poll(ctx, NULL);
}

/* ---- events ---- */

static void
find(struct tui *t, int same_direction)
{
	struct view *v = top_view(t);
	if (!search_active(&t->search)) {
		tui_error(t, "no search yet: / or ? starts one");
		return;
	}
	if (!v || !v->ops->find) {
		tui_error(t, "this view cannot be searched");
		return;
	}
	int forward = same_direction ? t->search.forward : !t->search.forward;
	tui_work_begin(t, "searching");
	sb_reset(&t->message);
	int rc = v->ops->find(v, t, forward);
	tui_work_end(t);
	if (rc == 1 && t->message.len == 0)
		tui_error(t, "pattern not found: %s", t->search.pattern);
	else if (rc < 0)
		tui_message(t, "search cancelled");
}

static void
prompt_done(struct tui *t)
{
	const char *text = sb_str(&t->prompt.text);
	switch (t->prompt.kind) {
	case PROMPT_SEARCH:
	case PROMPT_SEARCH_BACK: {
		int forward = t->prompt.kind == PROMPT_SEARCH;
		char msg[512];
		if (!*text) {
			if (!search_active(&t->search)) {
				tui_error(t, "no search yet");
				return;
			}
			t->search.forward = forward;
		} else if (search_set(&t->search, text, forward, msg, sizeof msg) != 0) {
			tui_error(t, "%s", msg);
			return;
		}
		find(t, 1);
		return;
	}
	case PROMPT_SQL:
		if (*text) {
			views_set_progress(t->st, sqlite_progress, t);
			tui_work_begin(t, "running the query");
			view_sql_open(t, text);
			tui_work_end(t);
			views_set_progress(t->st, NULL, NULL);
		}
		return;
	case PROMPT_TAGS:
		review_tags_done(t, text);
		return;
	case PROMPT_COMMAND: {
		char *line = xstrdup(text);
		tui_command(t, line);
		free(line);
		return;
	}
	default:
		return;
	}
}

static void
handle_request(struct tui *t, enum tui_request req)
{
	struct view *v = top_view(t);
	switch (req) {
	case REQ_QUIT: t->quit = 1; return;
	case REQ_SEARCH: prompt_start(&t->prompt, PROMPT_SEARCH); return;
	case REQ_SEARCH_BACK: prompt_start(&t->prompt, PROMPT_SEARCH_BACK); return;
	case REQ_SQL_PROMPT: prompt_start(&t->prompt, PROMPT_SQL); return;
	case REQ_COMMAND_PROMPT: prompt_start(&t->prompt, PROMPT_COMMAND); return;
	case REQ_FIND_NEXT: find(t, 1); return;
	case REQ_FIND_PREV: find(t, 0); return;
	case REQ_NEXT_THEME: next_theme(t); return;
	case REQ_REDRAW: t->be->theme_changed(t); return;
	default: break;
	}
	if (v && v->ops->request(v, t, req))
		return;
	switch (req) {
	case REQ_BACK:
		if (t->nviews > 1)
			tui_pop(t);
		else
			t->quit = 1;
		return;
	case REQ_VIEW_HELP:
		view_help_open(t);
		return;
	case REQ_VIEW_FINDINGS:
		view_findings_open(t, 0);
		return;
	case REQ_VERDICT:
	case REQ_NOTE:
	case REQ_TAGS:
	case REQ_CASE_COMMIT:
		review_request(t, req);
		return;
	case REQ_VIEW_CASES:
		view_cases_open(t);
		return;
	case REQ_CASE_LOG:
		tui_error(t, "l shows a case's history in the case list (C opens it)");
		return;
	default:
		return;
	}
}

static void
handle_event(struct tui *t, const struct tui_event *ev)
{
	t->ev = *ev;
	if (ev->key == TK_RESIZE) {
		screen_resize(&t->scr, ev->cols, ev->lines);
		t->be->theme_changed(t);   /* repaint every cell */
		return;
	}
	if (t->choosing_verdict) {
		review_verdict_key(t, ev->key);
		return;
	}
	if (t->prompt.active) {
		if (prompt_key(&t->prompt, ev->key) == EDIT_ACCEPT)
			prompt_done(t);
		return;
	}
	/* The status bar and the message line are not rows of any view: a
	 * click there must not select (or open) a row that is off screen. */
	if (ev->key == TK_CLICK && (ev->y < 0 || ev->y >= tui_view_rows(t)))
		return;
	enum tui_request req = key_request(ev->key);
	/* A message lasts until the next key, except one that opens a
	 * prompt: `:save-display` then saves the screen as it stood. */
	if (req != REQ_SEARCH && req != REQ_SEARCH_BACK && req != REQ_SQL_PROMPT &&
	    req != REQ_COMMAND_PROMPT)
		sb_reset(&t->message);
	if (req == REQ_NONE) {
		char name[32];
		tui_key_name(ev->key, name, sizeof name);
		tui_error(t, "%s does nothing; h lists the keys", name);
		return;
	}
	/* Too small to show a view: only leaving and commands work. */
	if (too_small(t) && req != REQ_QUIT && req != REQ_BACK &&
	    req != REQ_COMMAND_PROMPT)
		return;
	handle_request(t, req);
}

/* ---- the run ---- */

static void
prepare_workspace(struct tui *t)
{
	struct alibi_error err = { 0 };
	views_set_progress(t->st, sqlite_progress, t);
	tui_work_begin(t, "indexing the workspace for the console");
	if (views_prepare(t->st, &err))
		tui_error(t, "%s; views may be slow", err.msg);
	tui_work_end(t);
	views_set_progress(t->st, NULL, NULL);
}

static FILE *
open_key_times(void)
{
	const char *path = getenv("ALIBI_KEY_TIMES");
	return path && *path ? fopen(path, "w") : NULL;
}

static void
main_loop(struct tui *t)
{
	FILE *times = open_key_times();
	tui_draw(t);
	t->be->flush(t);
	while (!t->quit) {
		struct tui_event ev;
		if (t->be->next_event(t, &ev, -1) != 0)
			continue;
		if (ev.key == TK_EOF)
			break;
		long long start = now_us();
		handle_event(t, &ev);
		if (t->quit)
			break;
		tui_draw(t);
		t->be->flush(t);
		if (times) {
			char name[32];
			tui_key_name(ev.key, name, sizeof name);
			fprintf(times, "%s %lld\n", name, now_us() - start);
		}
	}
	if (times)
		fclose(times);
}

int
tui_run(struct store *st, const struct tui_options *opt,
        struct alibi_error *err)
{
	struct tui t;
	memset(&t, 0, sizeof t);
	t.st = st;
	t.diag = opt->diag ? opt->diag : stderr;
	t.cases_dir = opt->cases_dir;
	t.rules_path = opt->rules_path;
	sb_init(&t.message);
	int rc = (opt->script_path || opt->script_text) ? headless_init(&t, opt, err)
	                                                : term_init(&t, err);
	if (rc)
		return rc;
	if (tui_set_theme(&t, opt->theme ? opt->theme : "default") != 0) {
		char *why = xstrdup(sb_str(&t.message));
		tui_set_theme(&t, "default");
		tui_error(&t, "%s", why);
		free(why);
	} else if (!t.message_error) {
		sb_reset(&t.message);   /* "theme default" is no news at start */
	}
	if (opt->message)
		tui_message(&t, "%s", opt->message);
	prepare_workspace(&t);
	view_incidents_open(&t);
	if (opt->incident > 0)
		view_incident_open(&t, opt->incident);
	main_loop(&t);
	while (t.nviews)
		tui_pop(&t);
	t.be->fini(&t);
	screen_free(&t.scr);
	prompt_free(&t.prompt);
	search_free(&t.search);
	sb_free(&t.message);
	return 0;
}
