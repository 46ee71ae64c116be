/* review.c — the reviewer's keys: v sets a verdict through a one-key
 * menu, a writes a note in the reviewer's editor, t edits the tags in the
 * prompt, c commits the incident as a case.  What they act on comes from
 * the view on top (its target operation); every change is written to the
 * workspace at once, and views reload when they are drawn next. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/noteedit.h"
#include "tui_internal.h"

char
verdict_mark(int verdict)
{
	switch (verdict) {
	case ANNOTATION_CONFIRMED: return '+';
	case ANNOTATION_DISMISSED: return '-';
	case ANNOTATION_UNCLEAR: return '?';
	default: return ' ';
	}
}

const struct case_identity *
review_who(struct tui *t)
{
	if (t->have_who)
		return &t->who;
	struct alibi_error err = { 0 };
	/* Not kept when it fails: the reviewer may set one and try again. */
	if (cases_identity(NULL, &t->who, &err)) {
		tui_error(t, "%s", err.msg);
		return NULL;
	}
	t->have_who = 1;
	return &t->who;
}

/* The target of the view on top; 0 when there is one. */
static int
current_target(struct tui *t, struct review_target *out)
{
	struct view *v = t->nviews ? t->views[t->nviews - 1] : NULL;
	memset(out, 0, sizeof *out);
	if (!v || !v->ops->target || v->ops->target(v, t, out) != 0) {
		tui_error(t, "nothing to review here: open an incident, a finding or the findings list");
		return -1;
	}
	return 0;
}

static const char *
key_or_null(const struct review_target *r)
{
	return r->key[0] ? r->key : NULL;
}

static void
start_verdict(struct tui *t)
{
	if (current_target(t, &t->pending) || !review_who(t))
		return;
	t->choosing_verdict = 1;
	tui_message(t, "verdict for %s: c confirmed  d dismissed  u unclear  x none  (Esc cancels)",
	            t->pending.what);
}

void
review_verdict_key(struct tui *t, int key)
{
	int v;
	t->choosing_verdict = 0;
	switch (key) {
	case 'c': v = ANNOTATION_CONFIRMED; break;
	case 'd': v = ANNOTATION_DISMISSED; break;
	case 'u': v = ANNOTATION_UNCLEAR; break;
	case 'x': v = ANNOTATION_NONE; break;
	case TK_ESC: case TK_CTRL('c'): case TK_CTRL('g'): case 'q':
		tui_message(t, "no verdict set");
		return;
	default: {
		char name[32];
		tui_key_name(key, name, sizeof name);
		tui_error(t, "%s is not a verdict (c, d, u or x); no verdict set", name);
		return;
	}
	}
	const struct case_identity *who = review_who(t);
	struct alibi_error err = { 0 };
	if (!who)
		return;
	if (annotations_set_verdict(t->st, t->pending.incident, key_or_null(&t->pending),
	                            who->author, (enum annotation_verdict)v, &err)) {
		tui_error(t, "%s", err.msg);
		return;
	}
	t->review_gen++;
	if (v == ANNOTATION_NONE)
		tui_message(t, "%s: verdict cleared", t->pending.what);
	else
		tui_message(t, "%s: %s", t->pending.what,
		            annotation_verdict_name((enum annotation_verdict)v));
}

static void
edit_note(struct tui *t)
{
	struct review_target r;
	const struct case_identity *who;
	if (current_target(t, &r) || !(who = review_who(t)))
		return;
	struct alibi_error err = { 0 };
	int cancelled = 0;
	/* The editor gets the terminal, as under git commit. */
	tui_suspend(t);
	int rc = annotation_edit_note_in_editor(t->st, r.incident, key_or_null(&r),
	                                        who->author, &cancelled, &err);
	tui_resume(t);
	if (rc)
		tui_error(t, "%s", err.msg);
	else if (cancelled)
		tui_message(t, "empty note: nothing changed");
	else
		tui_message(t, "note saved for %s", r.what);
	if (!rc && !cancelled)
		t->review_gen++;
}

static void
start_tags(struct tui *t)
{
	const struct case_identity *who;
	if (current_target(t, &t->pending) || !(who = review_who(t)))
		return;
	struct annotation a;
	int found = 0;
	struct alibi_error err = { 0 };
	if (annotations_get(t->st, t->pending.incident, key_or_null(&t->pending),
	                    who->author, &a, &found, &err)) {
		tui_error(t, "%s", err.msg);
		return;
	}
	prompt_start(&t->prompt, PROMPT_TAGS);
	if (found) {
		sb_adds(&t->prompt.text, a.tags ? a.tags : "");
		t->prompt.cursor = t->prompt.text.len;
		annotation_clear(&a);
	}
}

void
review_tags_done(struct tui *t, const char *text)
{
	const struct case_identity *who = review_who(t);
	struct alibi_error err = { 0 };
	if (!who)
		return;
	if (annotations_set_tags(t->st, t->pending.incident, key_or_null(&t->pending),
	                         who->author, text, &err)) {
		tui_error(t, "%s", err.msg);
		return;
	}
	t->review_gen++;
	struct annotation a;
	int found = 0;
	if (annotations_get(t->st, t->pending.incident, key_or_null(&t->pending),
	                    who->author, &a, &found, &err) == 0 && found) {
		if (a.tags && *a.tags)
			tui_message(t, "tags of %s: %s", t->pending.what, a.tags);
		else
			tui_message(t, "%s: no tags", t->pending.what);
		annotation_clear(&a);
	}
}

/* ---- c: commit the incident as a case ---- */

struct commit_log {
	struct strbuf text;
	int warnings, lines;
};

static void
log_line(struct commit_log *l, const char *prefix, const char *msg)
{
	sb_addf(&l->text, "%s%s\n", prefix, msg);
	l->lines++;
}

static void
commit_warn(void *ctx, const char *msg)
{
	struct commit_log *l = ctx;
	l->warnings++;
	log_line(l, "warning: ", msg);
}

static void
commit_info(void *ctx, const char *msg)
{
	log_line(ctx, "", msg);
}

static void
commit_case(struct tui *t)
{
	struct review_target r;
	if (current_target(t, &r))
		return;
	struct commit_log log = { STRBUF_INIT, 0, 0 };
	struct cases_report rep = { &log, commit_warn, commit_info };
	struct cases_commit_result res;
	struct alibi_error err = { 0 };
	memset(&res, 0, sizeof res);
	tui_work_begin(t, "committing the case");
	int rc = cases_commit_incident(t->cases_dir, NULL, t->st, r.incident, NULL,
	                               &rep, &res, &err);
	tui_work_end(t);
	if (rc) {
		if (log.lines)
			view_messages_open(t, "case commit: what happened", sb_str(&log.text));
		tui_error(t, "%s", err.msg);
		sb_free(&log.text);
		return;
	}
	t->review_gen++;
	struct strbuf msg = STRBUF_INIT;
	if (res.committed)
		sb_addf(&msg, "committed case %s (%.12s): %s; %d note%s, %d evidence file%s",
		        res.slug, res.commit, res.summary, res.notes_written,
		        res.notes_written == 1 ? "" : "s", res.evidence_copied,
		        res.evidence_copied == 1 ? "" : "s");
	else
		sb_addf(&msg, "case %s: nothing changed since commit %.12s", res.slug, res.commit);
	if (log.warnings) {
		sb_addf(&msg, "; %d warning%s", log.warnings, log.warnings == 1 ? "" : "s");
		sb_addf(&log.text, "\n%s\n", sb_str(&msg));
		view_messages_open(t, "case commit", sb_str(&log.text));
	}
	tui_message(t, "%s", sb_str(&msg));
	sb_free(&msg);
	sb_free(&log.text);
}

void
review_request(struct tui *t, enum tui_request req)
{
	switch (req) {
	case REQ_VERDICT: start_verdict(t); return;
	case REQ_NOTE: edit_note(t); return;
	case REQ_TAGS: start_tags(t); return;
	case REQ_CASE_COMMIT: commit_case(t); return;
	default: return;
	}
}
