/* noteedit.h — writing a note in the reviewer's editor, as `git commit`
 * does: $VISUAL, else $EDITOR, else vi, on a file that holds the current
 * note and, below it, '#' lines describing what is annotated.  Lines
 * starting with '#' are dropped; an empty result cancels.
 *
 * The editor inherits the terminal: a console must leave curses mode
 * (endwin) before calling these and redraw afterwards. */
#ifndef ALIBI_NOTEEDIT_H
#define ALIBI_NOTEEDIT_H

#include <stdint.h>
#include "alibi/error.h"
#include "alibi/store.h"

/* Runs the editor on current (may be NULL) followed by comment, whose lines
 * are written with "# " in front.  On success *note is the text without
 * comment lines, trimmed (caller frees), or NULL with *cancelled = 1 when
 * it is empty.  An editor that fails leaves everything unchanged. */
int note_edit(const char *current, const char *comment, char **note,
              int *cancelled, struct alibi_error *err);

/* Edits author's note on a finding (finding_key) or on the incident
 * (finding_key NULL): the template shows the finding, its evidence, and
 * the author's verdict and tags.  The note is saved the moment the editor
 * returns.  *cancelled = 1 when the reviewer left it empty (the old note
 * stays). */
int annotation_edit_note_in_editor(struct store *st, int64_t incident,
                                   const char *finding_key, const char *author,
                                   int *cancelled, struct alibi_error *err);

#endif
