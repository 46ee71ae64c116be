/* theme.c — themes are data: `color AREA FG BG [ATTR...]` lines in
 * NAME.theme files, looked up in the user's config dir, the install
 * prefix and the source tree, in that order.  A theme starts from the
 * colourless base look (the attributes in TUI_AREAS) and its lines
 * override it; a bad line is reported with file:line and skipped. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alibi/alloc.h"
#include "alibi/strbuf.h"
#include "tui_internal.h"

#ifndef ALIBI_PREFIX
#define ALIBI_PREFIX "/usr/local"
#endif

static const char *const area_names[AREA__COUNT] = {
#define AREA_NAME(name, attrs, help) #name,
	TUI_AREAS(AREA_NAME)
#undef AREA_NAME
};

static const unsigned area_base_attrs[AREA__COUNT] = {
#define AREA_ATTRS(name, attrs, help) attrs,
	TUI_AREAS(AREA_ATTRS)
#undef AREA_ATTRS
};

const char *
area_name(enum tui_area area)
{
	return area < AREA__COUNT ? area_names[area] : "?";
}

static const char *const color_names[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"
};

static const struct {
	const char *name;
	unsigned attr;
} attr_names[] = {
	{ "normal", 0 }, { "bold", TA_BOLD }, { "underline", TA_UNDERLINE },
	{ "reverse", TA_REVERSE }, { "dim", TA_DIM }, { "italic", TA_ITALIC },
	{ "blink", TA_BLINK }, { "standout", TA_STANDOUT },
};

static void
theme_base(struct theme *th, const char *name)
{
	snprintf(th->name, sizeof th->name, "%s", name);
	for (int i = 0; i < AREA__COUNT; i++) {
		th->style[i].fg = COLOR_DEFAULT;
		th->style[i].bg = COLOR_DEFAULT;
		th->style[i].attrs = area_base_attrs[i];
	}
}

/* The look when no default.theme file is found: the same as the
 * default.theme that ships in themes/. */
static void
theme_builtin_default(struct theme *th)
{
	static const struct {
		enum tui_area area;
		short fg, bg;
		unsigned attrs;
	} d[] = {
		{ AREA_dim, 8, COLOR_DEFAULT, 0 },
		{ AREA_header, 6, COLOR_DEFAULT, TA_BOLD },
		{ AREA_title_active, 0, 6, TA_BOLD },
		{ AREA_separator, 4, COLOR_DEFAULT, 0 },
		{ AREA_cursor, 0, 6, 0 },
		{ AREA_cursor_other, COLOR_DEFAULT, 8, 0 },
		{ AREA_status, 7, 4, 0 },
		{ AREA_error, 1, COLOR_DEFAULT, TA_BOLD },
		{ AREA_prompt, 3, COLOR_DEFAULT, TA_BOLD },
		{ AREA_search, 0, 3, 0 },
		{ AREA_time, 6, COLOR_DEFAULT, 0 },
		{ AREA_said_user, 2, COLOR_DEFAULT, TA_BOLD },
		{ AREA_said_assistant, 3, COLOR_DEFAULT, TA_BOLD },
		{ AREA_said_system, 5, COLOR_DEFAULT, TA_BOLD },
		{ AREA_said_tool, 6, COLOR_DEFAULT, TA_BOLD },
		{ AREA_tool_call, 4, COLOR_DEFAULT, TA_BOLD },
		{ AREA_tool_result, 8, COLOR_DEFAULT, 0 },
		{ AREA_claim, 0, 3, 0 },
		{ AREA_group, 4, COLOR_DEFAULT, TA_BOLD },
		{ AREA_unattributed, 1, COLOR_DEFAULT, TA_BOLD },
		{ AREA_op_failed, 1, COLOR_DEFAULT, 0 },
		{ AREA_derived, 8, COLOR_DEFAULT, TA_ITALIC },
		{ AREA_sev_high, 7, 1, TA_BOLD },
		{ AREA_sev_medium, 0, 3, TA_BOLD },
		{ AREA_sev_low, 0, 6, 0 },
		{ AREA_label, 6, COLOR_DEFAULT, TA_BOLD },
		{ AREA_link, 4, COLOR_DEFAULT, TA_UNDERLINE },
		{ AREA_help_key, 2, COLOR_DEFAULT, TA_BOLD },
	};
	theme_base(th, "default");
	for (size_t i = 0; i < sizeof d / sizeof d[0]; i++) {
		th->style[d[i].area].fg = d[i].fg;
		th->style[d[i].area].bg = d[i].bg;
		th->style[d[i].area].attrs = d[i].attrs;
	}
}

static int
parse_area(const char *word)
{
	char name[64];
	size_t n = strlen(word);
	if (n >= sizeof name)
		return -1;
	for (size_t i = 0; i <= n; i++)
		name[i] = word[i] == '-' ? '_' : word[i];
	for (int i = 0; i < AREA__COUNT; i++)
		if (strcmp(area_names[i], name) == 0)
			return i;
	return -1;
}

/* A colour: default, a name, bright-NAME, colorN or N (0..255).  Returns
 * 0 and sets *out, or -1. */
static int
parse_color(const char *word, short *out)
{
	if (strcmp(word, "default") == 0) {
		*out = COLOR_DEFAULT;
		return 0;
	}
	int bright = 0;
	if (strncmp(word, "bright-", 7) == 0) {
		bright = 8;
		word += 7;
	}
	for (int i = 0; i < 8; i++) {
		if (strcmp(word, color_names[i]) == 0) {
			*out = (short)(i + bright);
			return 0;
		}
	}
	if (bright)
		return -1;
	if (strncmp(word, "color", 5) == 0)
		word += 5;
	char *end;
	errno = 0;
	long v = strtol(word, &end, 10);
	if (!*word || *end || errno || v < 0 || v > 255)
		return -1;
	*out = (short)v;
	return 0;
}

static int
parse_attr(const char *word, unsigned *attrs)
{
	for (size_t i = 0; i < sizeof attr_names / sizeof attr_names[0]; i++) {
		if (strcmp(word, attr_names[i].name) == 0) {
			*attrs |= attr_names[i].attr;
			return 0;
		}
	}
	return -1;
}

struct line_ctx {
	const char *path;
	int line;
	void (*report)(void *ctx, const char *msg);
	void *ctx;
};

static void
bad_line(struct line_ctx *lc, const char *fmt, const char *word)
{
	char msg[512], what[256];
	snprintf(what, sizeof what, fmt, word);
	snprintf(msg, sizeof msg, "%s:%d: %s; line ignored", lc->path, lc->line, what);
	if (lc->report)
		lc->report(lc->ctx, msg);
}

/* One `color AREA FG BG [ATTR...]` line (comments and blanks gone). */
static void
theme_line(struct theme *th, char *line, struct line_ctx *lc)
{
	char *words[16];
	int n = 0;
	for (char *w = strtok(line, " \t\r"); w && n < 16; w = strtok(NULL, " \t\r"))
		words[n++] = w;
	if (n == 0)
		return;
	if (strcmp(words[0], "color") != 0) {
		bad_line(lc, "unknown setting '%.100s' (expected: color AREA FG BG [ATTR...])", words[0]);
		return;
	}
	if (n < 4) {
		bad_line(lc, "%s", "expected: color AREA FG BG [ATTR...]");
		return;
	}
	int area = parse_area(words[1]);
	if (area < 0) {
		bad_line(lc, "unknown area '%.100s'", words[1]);
		return;
	}
	struct theme_style style = { 0, 0, 0 };
	if (parse_color(words[2], &style.fg) != 0) {
		bad_line(lc, "unknown colour '%.100s'", words[2]);
		return;
	}
	if (parse_color(words[3], &style.bg) != 0) {
		bad_line(lc, "unknown colour '%.100s'", words[3]);
		return;
	}
	for (int i = 4; i < n; i++) {
		if (parse_attr(words[i], &style.attrs) != 0) {
			bad_line(lc, "unknown attribute '%.100s'", words[i]);
			return;
		}
	}
	th->style[area] = style;
}

static int
theme_read(struct theme *th, const char *path,
           void (*report)(void *ctx, const char *msg), void *ctx)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	struct line_ctx lc = { path, 0, report, ctx };
	char *line = NULL;
	size_t cap = 0;
	ssize_t got;
	while ((got = getline(&line, &cap, f)) >= 0) {
		lc.line++;
		if (got > 0 && line[got - 1] == '\n')
			line[got - 1] = '\0';
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		theme_line(th, line, &lc);
	}
	free(line);
	fclose(f);
	return 0;
}

/* The source tree's themes/: alibi is built at the top of the tree, its
 * tests a level or two below, so the nearest themes/ above the binary. */
static void
source_tree_dir(struct strbuf *out)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return;
	exe[n] = '\0';
	for (int up = 0; up < 3; up++) {
		char *slash = strrchr(exe, '/');
		if (!slash || slash == exe)
			return;
		*slash = '\0';
		struct strbuf dir = STRBUF_INIT;
		sb_addf(&dir, "%s/themes/default.theme", exe);
		int found = access(dir.buf, R_OK) == 0;
		sb_free(&dir);
		if (found) {
			sb_addf(out, "%s/themes", exe);
			return;
		}
	}
}

void
theme_dirs(struct strbuf *out)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	if (xdg && *xdg == '/')
		sb_addf(out, "%s/alibi/themes\n", xdg);
	else if (home && *home)
		sb_addf(out, "%s/.config/alibi/themes\n", home);
	sb_addf(out, "%s/share/alibi/themes\n", ALIBI_PREFIX);
	size_t before = out->len;
	source_tree_dir(out);
	if (out->len > before)
		sb_addc(out, '\n');
}

/* Calls fn for each directory; stops when fn returns non-zero. */
static int
each_dir(int (*fn)(void *ctx, const char *dir), void *ctx)
{
	struct strbuf dirs = STRBUF_INIT;
	theme_dirs(&dirs);
	int rc = 0;
	char *save = NULL;
	for (char *d = strtok_r(dirs.buf, "\n", &save); d && !rc;
	     d = strtok_r(NULL, "\n", &save))
		rc = fn(ctx, d);
	sb_free(&dirs);
	return rc;
}

static int
valid_name(const char *name)
{
	if (!*name || strlen(name) > 48)
		return 0;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.'))
			return 0;
	return name[0] != '.';
}

struct load_ctx {
	const char *name;
	struct theme *th;
	void (*report)(void *ctx, const char *msg);
	void *ctx;
};

static int
load_from(void *ctx, const char *dir)
{
	struct load_ctx *lc = ctx;
	struct strbuf path = STRBUF_INIT;
	sb_addf(&path, "%s/%s.theme", dir, lc->name);
	int found = theme_read(lc->th, path.buf, lc->report, lc->ctx) == 0;
	sb_free(&path);
	return found;
}

int
theme_load(const char *name, struct theme *out,
           void (*report)(void *ctx, const char *msg), void *ctx)
{
	if (!valid_name(name))
		return -1;
	struct theme th;
	theme_base(&th, name);
	struct load_ctx lc = { name, &th, report, ctx };
	if (!each_dir(load_from, &lc)) {
		if (strcmp(name, "default") == 0)
			theme_builtin_default(&th);
		else if (strcmp(name, "mono") != 0)
			return -1;
	}
	*out = th;
	return 0;
}

struct list_ctx {
	char **names;
	size_t count, cap;
};

static void
list_add(struct list_ctx *l, const char *name)
{
	for (size_t i = 0; i < l->count; i++)
		if (strcmp(l->names[i], name) == 0)
			return;
	void *p = l->names;
	grow_array(&p, sizeof *l->names, &l->cap, l->count + 1);
	l->names = p;
	l->names[l->count++] = xstrdup(name);
}

static int
list_dir(void *ctx, const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n > 6 && strcmp(e->d_name + n - 6, ".theme") == 0) {
			char name[64];
			if (n - 6 >= sizeof name)
				continue;
			memcpy(name, e->d_name, n - 6);
			name[n - 6] = '\0';
			if (valid_name(name))
				list_add(ctx, name);
		}
	}
	closedir(d);
	return 0;
}

static int
cmp_names(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	/* "default" leads; the rest in order. */
	if (strcmp(x, "default") == 0)
		return strcmp(y, "default") == 0 ? 0 : -1;
	if (strcmp(y, "default") == 0)
		return 1;
	return strcmp(x, y);
}

char **
theme_list(size_t *count)
{
	struct list_ctx l = { NULL, 0, 0 };
	list_add(&l, "default");
	list_add(&l, "mono");
	each_dir(list_dir, &l);
	qsort(l.names, l.count, sizeof *l.names, cmp_names);
	*count = l.count;
	return l.names;
}
