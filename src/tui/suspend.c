/* suspend.c — giving the terminal to another program (the reviewer's
 * editor) and taking it back, as a shell escape does in curses. */
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "tui_internal.h"

static int
on_terminal(const struct tui *t)
{
	return t->be && strcmp(t->be->name, "terminal") == 0;
}

void
tui_suspend(struct tui *t)
{
	/* endwin puts the terminal in the mode alibi found it in (mouse
	 * reporting off, cursor shown, the main screen back). */
	if (on_terminal(t))
		endwin();
	fflush(stdout);
}

void
tui_resume(struct tui *t)
{
	if (!on_terminal(t))
		return;
	/* The next refresh returns to curses mode; every cell is drawn again,
	 * since the editor left the screen in any state. */
	t->be->theme_changed(t);
}
