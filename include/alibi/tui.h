/* tui.h — the review console (DESIGN §6).
 *
 * The console draws into a grid of cells (src/tui/screen.c) that has two
 * back ends: the terminal through ncursesw, and a virtual screen for the
 * headless script mode, which needs no tty and no TERM.  Views are tables
 * of operations (src/tui/view_*.c); keys, requests, commands and theme
 * areas are X-macro tables, and the help view is generated from them. */
#ifndef ALIBI_TUI_H
#define ALIBI_TUI_H

#include <stdint.h>
#include <stdio.h>
#include "alibi/error.h"
#include "alibi/store.h"
#include "alibi/strbuf.h"

struct tui_options {
	/* Headless mode: keys come from this script file (one step a line,
	 * see man alibi(1)), or from script_text when that is set. */
	const char *script_path;
	const char *script_text;
	int cols, lines;            /* virtual screen; 0: $COLUMNS/$LINES or 80x24 */
	const char *theme;          /* initial theme name; NULL: "default" */
	int64_t incident;           /* > 0: open this incident's view at start */
	const char *message;        /* shown in the message line at start */
	const char *cases_dir;      /* the case repository (--cases); NULL: default */
	const char *rules_path;     /* extra rules (--rules), for opening cases */
	/* Where "file:line: problem" reports about theme files go before the
	 * screen exists; NULL: stderr. */
	FILE *diag;
};

/* Runs the console until the reviewer quits (or the script ends).  Returns
 * 0, or an ALIBI_E* code with err filled when the console could not start
 * (no terminal, unreadable script...). */
int tui_run(struct store *st, const struct tui_options *opt,
            struct alibi_error *err);

/* The key bindings, commands and prompt keys as text, the same list the
 * help view shows; for `alibi --help`. */
void tui_describe_keys(struct strbuf *out);

#endif
