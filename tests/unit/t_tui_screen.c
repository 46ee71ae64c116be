/* t_tui_screen.c — the console's parts below the views: the cell grid and
 * its text layout (escaping, wide and combining characters, wrapping),
 * the script parser, the prompt's line editing, key names and themes. */
#include <sys/stat.h>

#include "unit.h"
#include "../../src/tui/tui_internal.h"

static char *
dump(struct screen *s)
{
	struct strbuf out = STRBUF_INIT;
	screen_dump(s, &out);
	return sb_detach(&out);
}

static void
test_text_is_escaped(void)
{
	struct screen s;
	screen_init(&s, 40, 2);
	const char *t = "a\x1b[2Jb\x07" "c\x7f" "d";
	screen_puts(&s, 0, 0, 40, t, AREA_default);
	char *got = dump(&s);
	CHECK_STR(got, "a^[[2Jb^Gc^?d\n\n");
	free(got);
	screen_free(&s);
}

static void
test_wide_and_combining_keep_columns(void)
{
	struct screen s;
	screen_init(&s, 10, 3);
	/* 漢字 takes four columns; é (e + U+0301) takes one. */
	screen_puts(&s, 0, 0, 10, "\xe6\xbc\xa2\xe5\xad\x97|", AREA_default);
	screen_puts(&s, 1, 0, 10, "e\xcc\x81|", AREA_default);
	/* A wide character that does not fit is not split. */
	screen_puts(&s, 2, 0, 3, "\xe6\xbc\xa2\xe5\xad\x97", AREA_default);
	screen_puts(&s, 2, 3, 1, "|", AREA_default);
	CHECK_INT(screen_cell(&s, 0, 4)->cp[0], '|');
	CHECK_INT(screen_cell(&s, 0, 1)->width, 0);
	CHECK_INT(screen_cell(&s, 1, 1)->cp[0], '|');
	CHECK_INT(screen_cell(&s, 1, 0)->cp[1], 0x301);
	CHECK_INT(screen_cell(&s, 2, 3)->cp[0], '|');
	char *got = dump(&s);
	CHECK_STR(got, "\xe6\xbc\xa2\xe5\xad\x97|\ne\xcc\x81|\n\xe6\xbc\xa2 |\n");
	free(got);
	/* Overwriting half of a wide character blanks the other half. */
	screen_puts(&s, 0, 1, 1, "x", AREA_default);
	got = dump(&s);
	CHECK_STR(got, " x\xe5\xad\x97|\ne\xcc\x81|\n\xe6\xbc\xa2 |\n");
	free(got);
	screen_free(&s);
}

static void
test_invalid_utf8_shows_replacement(void)
{
	struct screen s;
	screen_init(&s, 10, 1);
	screen_puts(&s, 0, 0, 10, "a\xff" "b\xe6\xbc", AREA_default);
	char *got = dump(&s);
	CHECK_STR(got, "a\xef\xbf\xbd" "b\xef\xbf\xbd\xef\xbf\xbd\n");
	free(got);
	screen_free(&s);
}

static void
test_wrapping(void)
{
	const char *t = "the quick brown fox\njumps";
	CHECK_INT(text_line_count(t, strlen(t), 10, 100), 3);
	CHECK_INT(text_line_count(t, strlen(t), 100, 100), 2);
	CHECK_INT(text_line_count("", 0, 10, 100), 1);
	/* A word longer than the line is cut, and wrapping still ends. */
	CHECK_INT(text_line_count("abcdefghij", 10, 3, 100), 4);
	/* An escape wider than the line still moves on. */
	CHECK_INT(text_line_count("\x1b\x1b", 2, 1, 100), 2);
	struct screen s;
	screen_init(&s, 10, 3);
	size_t pos = 0;
	for (int y = 0; y < 3; y++)
		pos = screen_text(&s, y, 0, 10, t, strlen(t), pos, TEXT_WRAP, NULL, NULL);
	char *got = dump(&s);
	CHECK_STR(got, "the quick\nbrown fox\njumps\n");
	free(got);
	screen_free(&s);
}

static void
test_spans_colour_bytes(void)
{
	struct screen s;
	screen_init(&s, 20, 1);
	struct span claims[] = { { 2, 5, AREA_claim } };
	struct span found[] = { { 4, 6, AREA_search } };
	struct text_style st = { AREA_default, { claims, found }, { 1, 1 } };
	screen_text(&s, 0, 0, 20, "abcdefgh", 8, 0, 0, &st, NULL);
	CHECK_INT(screen_cell(&s, 0, 1)->area, AREA_default);
	CHECK_INT(screen_cell(&s, 0, 2)->area, AREA_claim);
	CHECK_INT(screen_cell(&s, 0, 3)->area, AREA_claim);
	CHECK_INT(screen_cell(&s, 0, 4)->area, AREA_search);
	CHECK_INT(screen_cell(&s, 0, 5)->area, AREA_search);
	CHECK_INT(screen_cell(&s, 0, 6)->area, AREA_default);
	/* The cursor line takes over every cell but search matches. */
	screen_paint(&s, 0, 0, 20, AREA_cursor);
	CHECK_INT(screen_cell(&s, 0, 2)->area, AREA_cursor);
	CHECK_INT(screen_cell(&s, 0, 4)->area, AREA_search);
	screen_free(&s);
}

static void
test_search_spans(void)
{
	struct search se;
	char msg[256];
	memset(&se, 0, sizeof se);
	CHECK_INT(search_set(&se, "fo+", 1, msg, sizeof msg), 0);
	struct span sp[8];
	const char *t = "foo FOO fo";
	size_t n = search_spans(&se, t, strlen(t), sp, 8);
	CHECK_INT(n, 3);   /* smart case: lower-case pattern, caseless */
	CHECK_INT(sp[1].start, 4);
	CHECK_INT(sp[1].end, 7);
	CHECK_INT(search_set(&se, "FO+", 1, msg, sizeof msg), 0);
	CHECK_INT(search_spans(&se, t, strlen(t), sp, 8), 1);
	/* An empty match does not loop; invalid UTF-8 does not stop it. */
	CHECK_INT(search_set(&se, "x*", 1, msg, sizeof msg), 0);
	CHECK_INT(search_spans(&se, "ab\xff", 3, sp, 8), 0);
	CHECK_INT(search_set(&se, "b", 1, msg, sizeof msg), 0);
	CHECK_INT(search_match(&se, "a\xff" "b", 3), 1);
	CHECK_INT(search_set(&se, "a(", 1, msg, sizeof msg), -1);
	CHECK_STR(msg, "search: missing closing parenthesis at offset 2");
	search_free(&se);
}

static void
test_script_parse(void)
{
	const char *script =
		"# a comment\n"
		"\n"
		"j<Down>x<C-c><Lt><nokey>\n"
		":save-display <Enter>\n"
		"<Resize 40x12><Click 3,4>\r\n";
	size_t n;
	struct tui_event *ev = script_parse(script, strlen(script), &n);
	int want[] = { 'j', TK_DOWN, 'x', 3, '<', '<', 'n', 'o', 'k', 'e', 'y', '>',
	               ':', 's', 'a', 'v', 'e', '-', 'd', 'i', 's', 'p', 'l', 'a', 'y', ' ',
	               '<', 'E', 'n', 't', 'e', 'r', '>', TK_ENTER, TK_RESIZE, TK_CLICK };
	CHECK_INT(n, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < n && i < sizeof want / sizeof want[0]; i++)
		CHECK_INT(ev[i].key, want[i]);
	if (n == sizeof want / sizeof want[0]) {
		CHECK_INT(ev[n - 2].cols, 40);
		CHECK_INT(ev[n - 2].lines, 12);
		CHECK_INT(ev[n - 1].x, 3);
		CHECK_INT(ev[n - 1].y, 4);
	}
	free(ev);
	/* UTF-8 text types code points. */
	ev = script_parse("\xc3\xa9", 2, &n);
	CHECK_INT(n, 1);
	CHECK_INT(n ? ev[0].key : 0, 0xe9);
	free(ev);
}

static void
test_key_names(void)
{
	char buf[32];
	tui_key_name(TK_CTRL('u'), buf, sizeof buf);
	CHECK_STR(buf, "C-u");
	tui_key_name(TK_PGDN, buf, sizeof buf);
	CHECK_STR(buf, "PgDn");
	tui_key_name('G', buf, sizeof buf);
	CHECK_STR(buf, "G");
	CHECK_INT(key_from_name("pagedown", 8), TK_PGDN);
	CHECK_INT(key_from_name("C-U", 3), TK_CTRL('u'));
	CHECK_INT(key_from_name("Bogus", 5), -1);
	CHECK_INT(key_request('j'), REQ_MOVE_DOWN);
	CHECK_INT(key_request(TK_F1), REQ_VIEW_HELP);
	CHECK_INT(key_request('?'), REQ_SEARCH_BACK);
	CHECK_INT(key_request('z'), REQ_NONE);
}

static void
type(struct prompt *p, const char *keys)
{
	for (const char *k = keys; *k; k++)
		prompt_key(p, (unsigned char)*k);
}

static void
test_prompt_editing(void)
{
	struct prompt p;
	memset(&p, 0, sizeof p);
	prompt_start(&p, PROMPT_COMMAND);
	type(&p, "helo");
	prompt_key(&p, TK_LEFT);
	prompt_key(&p, 'l');
	CHECK_STR(sb_str(&p.text), "hello");
	prompt_key(&p, TK_HOME);
	prompt_key(&p, TK_DELETE);
	CHECK_STR(sb_str(&p.text), "ello");
	prompt_key(&p, TK_END);
	type(&p, " world");
	prompt_key(&p, TK_CTRL('w'));
	CHECK_STR(sb_str(&p.text), "ello ");
	prompt_key(&p, TK_BACKSPACE);
	prompt_key(&p, 0xe9);   /* é: two bytes, one character */
	prompt_key(&p, TK_BACKSPACE);
	CHECK_STR(sb_str(&p.text), "ello");
	prompt_key(&p, TK_LEFT);
	prompt_key(&p, TK_CTRL('k'));
	CHECK_STR(sb_str(&p.text), "ell");
	prompt_key(&p, TK_CTRL('u'));
	CHECK_STR(sb_str(&p.text), "");
	type(&p, "first");
	CHECK_INT(prompt_key(&p, TK_ENTER), EDIT_ACCEPT);
	CHECK_INT(p.active, 0);
	prompt_start(&p, PROMPT_COMMAND);
	type(&p, "second");
	prompt_key(&p, TK_ENTER);
	prompt_start(&p, PROMPT_COMMAND);
	type(&p, "draft");
	prompt_key(&p, TK_UP);
	CHECK_STR(sb_str(&p.text), "second");
	prompt_key(&p, TK_UP);
	CHECK_STR(sb_str(&p.text), "first");
	prompt_key(&p, TK_UP);
	CHECK_STR(sb_str(&p.text), "first");
	prompt_key(&p, TK_DOWN);
	prompt_key(&p, TK_DOWN);
	CHECK_STR(sb_str(&p.text), "draft");
	CHECK_INT(prompt_key(&p, TK_ESC), EDIT_CANCEL);
	/* Each prompt has its own history. */
	prompt_start(&p, PROMPT_SQL);
	prompt_key(&p, TK_UP);
	CHECK_STR(sb_str(&p.text), "");
	prompt_free(&p);
}

static void
test_help_lists_every_binding(void)
{
	struct strbuf keys = STRBUF_INIT;
	tui_describe_keys(&keys);
	const char *t = sb_str(&keys);
	static const char *const expect[] = {
		"  j, Down, WheelDown", "  PgDn, Space, C-f", "  g, Home", "  G, End",
		"  Enter ", "  q, Esc ", "  Tab, S-Tab", "  /  ", "  ?  ", "  n  ", "  N  ",
		"  ]  ", "  [  ", "  ;  ", "  :  ", "  T  ", "  h, F1", "  Click",
		"  :save-display FILE", "  :theme [NAME]", "  :quit",
		"  C-u ", "  Backspace", "  Up, C-p",
	};
	for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++)
		if (!strstr(t, expect[i]))
			CHECK_STR(expect[i], "(missing from the key reference)");
	sb_free(&keys);
}

static void
report(void *ctx, const char *msg)
{
	struct strbuf *out = ctx;
	sb_adds(out, msg);
	sb_addc(out, '\n');
}

static void
test_theme_files(void)
{
	char dir[256], path[512];
	if (!unit_tmpdir(dir, sizeof dir)) {
		CHECK(0);
		return;
	}
	setenv("XDG_CONFIG_HOME", dir, 1);
	snprintf(path, sizeof path, "%s/alibi", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/alibi/themes", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/alibi/themes/t.theme", dir);
	FILE *f = fopen(path, "w");
	if (!f) {
		CHECK(0);
		return;
	}
	fputs("# comment\n"
	      "color said-user bright-green color17 bold underline\n"
	      "color cursor 300 black\n"
	      "color cursor red black shiny\n"
	      "color\n", f);
	fclose(f);
	struct theme th;
	struct strbuf msgs = STRBUF_INIT;
	CHECK_INT(theme_load("t", &th, report, &msgs), 0);
	CHECK_INT(th.style[AREA_said_user].fg, 10);
	CHECK_INT(th.style[AREA_said_user].bg, 17);
	CHECK_INT(th.style[AREA_said_user].attrs, TA_BOLD | TA_UNDERLINE);
	CHECK_INT(th.style[AREA_cursor].fg, COLOR_DEFAULT);   /* bad lines left it */
	char want[2048];
	snprintf(want, sizeof want,
	         "%s:3: unknown colour '300'; line ignored\n"
	         "%s:4: unknown attribute 'shiny'; line ignored\n"
	         "%s:5: expected: color AREA FG BG [ATTR...]; line ignored\n", path, path, path);
	CHECK_STR(sb_str(&msgs), want);
	/* The user's theme is listed with the built-in ones. */
	size_t n;
	char **names = theme_list(&n);
	int seen = 0;
	for (size_t i = 0; i < n; i++) {
		seen |= strcmp(names[i], "t") == 0;
		free(names[i]);
	}
	free(names);
	CHECK(seen);
	CHECK_INT(theme_load("../etc/passwd", &th, report, &msgs), -1);
	CHECK_INT(theme_load("mono", &th, NULL, NULL), 0);
	CHECK_INT(th.style[AREA_cursor].attrs & TA_REVERSE, TA_REVERSE);
	sb_free(&msgs);
	remove(path);
	snprintf(path, sizeof path, "%s/alibi/themes", dir);
	rmdir(path);
	snprintf(path, sizeof path, "%s/alibi", dir);
	rmdir(path);
	rmdir(dir);
}

static void
test_every_area_is_in_every_shipped_theme(void)
{
	static const char *const themes[] = { "default", "dark", "light", "high-contrast", "mono" };
	setenv("XDG_CONFIG_HOME", "/nonexistent", 1);
	for (size_t t = 0; t < sizeof themes / sizeof themes[0]; t++) {
		struct strbuf dirs = STRBUF_INIT, path = STRBUF_INIT;
		theme_dirs(&dirs);
		/* The source tree's directory is the last one. */
		char *last = strrchr(dirs.buf, '\n');
		*last = '\0';
		last = strrchr(dirs.buf, '\n');
		sb_addf(&path, "%s/%s.theme", last ? last + 1 : dirs.buf, themes[t]);
		FILE *f = fopen(path.buf, "r");
		CHECK(f != NULL);
		struct strbuf text = STRBUF_INIT;
		char buf[4096];
		size_t n;
		while (f && (n = fread(buf, 1, sizeof buf, f)) > 0)
			sb_add(&text, buf, n);
		if (f)
			fclose(f);
		for (int a = 0; a < AREA__COUNT; a++) {
			char line[80];
			snprintf(line, sizeof line, "\ncolor %s ", area_name((enum tui_area)a));
			for (char *p = line; *p; p++)
				if (*p == '_')
					*p = '-';
			if (!strstr(sb_str(&text), line))
				CHECK_STR(line, path.buf);
		}
		struct strbuf msgs = STRBUF_INIT;
		struct theme th;
		CHECK_INT(theme_load(themes[t], &th, report, &msgs), 0);
		CHECK_STR(sb_str(&msgs), "");
		sb_free(&msgs);
		sb_free(&text);
		sb_free(&dirs);
		sb_free(&path);
	}
}

int
main(void)
{
	RUN(test_text_is_escaped);
	RUN(test_wide_and_combining_keep_columns);
	RUN(test_invalid_utf8_shows_replacement);
	RUN(test_wrapping);
	RUN(test_spans_colour_bytes);
	RUN(test_search_spans);
	RUN(test_script_parse);
	RUN(test_key_names);
	RUN(test_prompt_editing);
	RUN(test_help_lists_every_binding);
	RUN(test_theme_files);
	RUN(test_every_area_is_in_every_shipped_theme);
	return unit_done();
}
