/* term.c — the terminal back end: the cell grid copied to ncursesw, keys
 * and mouse read from it, and the terminal put back however alibi ends
 * (quit, Ctrl-C, a signal, a crash). */
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

#include "alibi/alloc.h"
#include "tui_internal.h"

#define QUEUE_SIZE 64

struct term {
	SCREEN *sp;
	struct cell *shadow;       /* what the terminal shows */
	int shadow_cols, shadow_lines;
	attr_t attr[AREA__COUNT];
	short pair[AREA__COUNT];
	struct tui_event queue[QUEUE_SIZE];   /* typeahead seen while polling */
	size_t qhead, qlen;
	int cursor_on;
	long long polled_ms;
};

/* What a signal handler writes to put the terminal back: only
 * async-signal-safe calls there, so everything is prepared here. */
static struct termios saved_tio;
static int saved_tio_ok;
static char reset_seq[256];
static size_t reset_len;
static struct sigaction old_actions[NSIG];
static const int caught_signals[] = {
	SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT
};
#define CAUGHT_COUNT (sizeof caught_signals / sizeof caught_signals[0])

static void
restore_terminal_now(void)
{
	if (reset_len)
		(void)!write(STDOUT_FILENO, reset_seq, reset_len);
	if (saved_tio_ok)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
}

static void
on_fatal_signal(int sig)
{
	restore_terminal_now();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Appends a terminfo string without its padding ("$<5>"). */
static void
add_cap(const char *name)
{
	const char *s = tigetstr(name);
	if (!s || s == (char *)-1)
		return;
	for (; *s && reset_len < sizeof reset_seq - 1; s++) {
		if (s[0] == '$' && s[1] == '<') {
			const char *end = strchr(s, '>');
			if (end) {
				s = end;
				continue;
			}
		}
		reset_seq[reset_len++] = *s;
	}
}

static void
install_signals(void)
{
	reset_len = 0;
	const char *mouse_off = "\033[?1000l\033[?1002l\033[?1006l";
	const char *km = tigetstr("kmous");
	if (km && km != (char *)-1) {
		memcpy(reset_seq, mouse_off, strlen(mouse_off));
		reset_len = strlen(mouse_off);
	}
	add_cap("sgr0");
	add_cap("cnorm");
	add_cap("rmcup");
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_fatal_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < CAUGHT_COUNT; i++)
		sigaction(caught_signals[i], &sa, &old_actions[caught_signals[i]]);
}

static void
remove_signals(void)
{
	for (size_t i = 0; i < CAUGHT_COUNT; i++)
		sigaction(caught_signals[i], &old_actions[caught_signals[i]], NULL);
}

static int
map_key(wint_t ch, int is_code)
{
	if (!is_code) {
		switch (ch) {
		case '\r': case '\n': return TK_ENTER;
		case 127: case 8: return TK_BACKSPACE;
		default: return (int)ch;
		}
	}
	switch (ch) {
	case KEY_UP: return TK_UP;
	case KEY_DOWN: return TK_DOWN;
	case KEY_LEFT: return TK_LEFT;
	case KEY_RIGHT: return TK_RIGHT;
	case KEY_PPAGE: return TK_PGUP;
	case KEY_NPAGE: return TK_PGDN;
	case KEY_HOME: return TK_HOME;
	case KEY_END: return TK_END;
	case KEY_BACKSPACE: return TK_BACKSPACE;
	case KEY_DC: return TK_DELETE;
	case KEY_ENTER: return TK_ENTER;
	case KEY_BTAB: return TK_BTAB;
	case KEY_RESIZE: return TK_RESIZE;
	case KEY_MOUSE: return TK_CLICK;
	default:
		if (ch >= (wint_t)KEY_F(1) && ch <= (wint_t)KEY_F(10))
			return TK_F1 + (int)(ch - KEY_F(1));
		return -1;
	}
}

/* Reads one event from ncurses; 1 when none came in time. */
static int
read_event(struct tui_event *ev, int timeout_ms)
{
	memset(ev, 0, sizeof *ev);
	timeout(timeout_ms);
	for (;;) {
		wint_t ch;
		int rc = get_wch(&ch);
		if (rc == ERR)
			return 1;
		int key = map_key(ch, rc == KEY_CODE_YES);
		if (key < 0)
			continue;
		if (key == TK_CLICK) {
			MEVENT me;
			if (getmouse(&me) != OK)
				continue;
			if (me.bstate & BUTTON4_PRESSED)
				key = TK_WHEEL_UP;
			else if (me.bstate & BUTTON5_PRESSED)
				key = TK_WHEEL_DOWN;
			else if (!(me.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)))
				continue;
			ev->x = me.x;
			ev->y = me.y;
		}
		if (key == TK_RESIZE) {
			ev->cols = COLS;
			ev->lines = LINES;
		}
		ev->key = key;
		return 0;
	}
}

static int
term_next_event(struct tui *t, struct tui_event *ev, int timeout_ms)
{
	struct term *tm = t->be_data;
	if (tm->qlen) {
		*ev = tm->queue[tm->qhead];
		tm->qhead = (tm->qhead + 1) % QUEUE_SIZE;
		tm->qlen--;
		return 0;
	}
	return read_event(ev, timeout_ms);
}

static int
term_cancel_pending(struct tui *t)
{
	struct term *tm = t->be_data;
	struct tui_event ev;
	/* SQLite asks often; the terminal is read at most every 20 ms. */
	long long now = now_ms();
	if (now - tm->polled_ms < 20)
		return 0;
	tm->polled_ms = now;
	while (read_event(&ev, 0) == 0) {
		if (ev.key == TK_CTRL('c'))
			return 1;
		if (tm->qlen < QUEUE_SIZE) {
			tm->queue[(tm->qhead + tm->qlen) % QUEUE_SIZE] = ev;
			tm->qlen++;
		}
	}
	return 0;
}

static short
map_color(short c, attr_t *extra, int is_fg)
{
	if (c == COLOR_DEFAULT)
		return -1;
	if (c >= COLORS) {
		if (c < 16) {
			if (is_fg)
				*extra |= A_BOLD;   /* bright without 16 colours */
			return (short)(c - 8);
		}
		return (short)(c % 8);
	}
	return c;
}

static void
term_theme_changed(struct tui *t)
{
	struct term *tm = t->be_data;
	for (int i = 0; i < AREA__COUNT; i++) {
		const struct theme_style *st = &t->theme.style[i];
		attr_t a = 0;
		if (st->attrs & TA_BOLD) a |= A_BOLD;
		if (st->attrs & TA_UNDERLINE) a |= A_UNDERLINE;
		if (st->attrs & TA_REVERSE) a |= A_REVERSE;
		if (st->attrs & TA_DIM) a |= A_DIM;
		if (st->attrs & TA_BLINK) a |= A_BLINK;
		if (st->attrs & TA_STANDOUT) a |= A_STANDOUT;
#ifdef A_ITALIC
		if (st->attrs & TA_ITALIC) a |= A_ITALIC;
#endif
		tm->pair[i] = 0;
		if (t->colors && i + 1 < COLOR_PAIRS) {
			short fg = map_color(st->fg, &a, 1);
			short bg = map_color(st->bg, &a, 0);
			init_pair((short)(i + 1), fg, bg);
			tm->pair[i] = (short)(i + 1);
		}
		tm->attr[i] = a;
	}
	/* Every cell must be drawn again in its new colours. */
	free(tm->shadow);
	tm->shadow = NULL;
	clearok(curscr, TRUE);
}

static void
term_flush(struct tui *t)
{
	struct term *tm = t->be_data;
	struct screen *s = &t->scr;
	size_t n = (size_t)s->cols * (size_t)s->lines;
	if (!tm->shadow || tm->shadow_cols != s->cols || tm->shadow_lines != s->lines) {
		free(tm->shadow);
		tm->shadow = xcalloc(n, sizeof *tm->shadow);
		tm->shadow_cols = s->cols;
		tm->shadow_lines = s->lines;
		for (size_t i = 0; i < n; i++)
			tm->shadow[i].width = 255;   /* differs from every cell */
	}
	for (int y = 0; y < s->lines && y < LINES; y++) {
		for (int x = 0; x < s->cols && x < COLS; x++) {
			size_t i = (size_t)y * (size_t)s->cols + (size_t)x;
			const struct cell *c = &s->cells[i];
			if (memcmp(c, &tm->shadow[i], sizeof *c) == 0)
				continue;
			tm->shadow[i] = *c;
			if (c->width == 0)
				continue;
			wchar_t wch[5] = { 0 };
			for (int k = 0; k < 4; k++)
				wch[k] = (wchar_t)c->cp[k];
			cchar_t cc;
			int area = c->area < AREA__COUNT ? c->area : 0;
			setcchar(&cc, wch, tm->attr[area], tm->pair[area], NULL);
			mvadd_wch(y, x, &cc);
		}
	}
	int want = s->cursor_x >= 0 && s->cursor_y >= 0;
	if (want != tm->cursor_on) {
		curs_set(want ? 1 : 0);
		tm->cursor_on = want;
	}
	if (want)
		move(s->cursor_y, s->cursor_x);
	refresh();
}

static void
term_fini(struct tui *t)
{
	struct term *tm = t->be_data;
	if (!tm)
		return;
	endwin();
	delscreen(tm->sp);
	remove_signals();
	free(tm->shadow);
	free(tm);
	t->be_data = NULL;
}

static const struct backend term_backend = {
	"terminal",
	term_next_event,
	term_cancel_pending,
	term_flush,
	term_theme_changed,
	term_fini,
};

static void
utf8_locale(void)
{
	setlocale(LC_ALL, "");
	const char *cs = nl_langinfo(CODESET);
	if (cs && strcmp(cs, "UTF-8") != 0)
		setlocale(LC_CTYPE, "C.UTF-8");
}

int
term_init(struct tui *t, struct alibi_error *err)
{
	const char *term = getenv("TERM");
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return alibi_error_set(err, ALIBI_EUSAGE,
		                       "the console needs a terminal; use --script FILE (or ALIBI_SCRIPT) to run it headless");
	if (!term || !*term)
		return alibi_error_set(err, ALIBI_EUSAGE, "TERM is not set; the console cannot draw");
	utf8_locale();
	saved_tio_ok = tcgetattr(STDIN_FILENO, &saved_tio) == 0;
	SCREEN *sp = newterm(NULL, stdout, stdin);
	if (!sp)
		return alibi_error_set(err, ALIBI_EUSAGE, "cannot use terminal type '%s'", term);
	set_term(sp);
	struct term *tm = xcalloc(1, sizeof *tm);
	tm->sp = sp;
	tm->cursor_on = -1;
	t->be = &term_backend;
	t->be_data = tm;
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	mouseinterval(0);
	const char *nc = getenv("NO_COLOR");
	t->colors = 0;
	if (has_colors() && !(nc && *nc) && start_color() == OK) {
		use_default_colors();
		t->colors = 1;
	}
	install_signals();
	screen_init(&t->scr, COLS, LINES);
	return 0;
}
