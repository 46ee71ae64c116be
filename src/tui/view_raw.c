/* view_raw.c — one record as the workspace holds it: every column of the
 * message, tool call, claim or op, and the source file:line it came
 * from, the record itself in full. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/views.h"
#include "tui_internal.h"

struct raw_view {
	struct doc doc;
};

static void
add_field(void *ctx, const char *name, const char *value)
{
	struct doc *d = ctx;
	char label[40];
	snprintf(label, sizeof label, "%-14s", name ? name : "?");
	doc_add(d, value ? AREA_default : AREA_dim, 0, label, value ? value : "NULL");
}

static void
raw_draw(struct view *v, struct tui *t, int rows)
{
	struct raw_view *rv = v->data;
	doc_draw(&rv->doc, t, rows);
}

static int
raw_request(struct view *v, struct tui *t, enum tui_request req)
{
	struct raw_view *rv = v->data;
	if (req == REQ_ENTER || req == REQ_VIEW_RAW)
		return 1;   /* nothing deeper than the record */
	return doc_request(&rv->doc, t, req);
}

static void
raw_position(struct view *v, struct tui *t, struct strbuf *out)
{
	struct raw_view *rv = v->data;
	(void)t;
	list_position(&rv->doc.list, out);
}

static int
raw_find(struct view *v, struct tui *t, int forward)
{
	struct raw_view *rv = v->data;
	return doc_find(&rv->doc, t, forward);
}

static void
raw_close(struct view *v)
{
	struct raw_view *rv = v->data;
	doc_clear(&rv->doc);
	free(rv);
}

static const struct view_ops raw_ops = {
	"record", "q back  / search  h help",
	raw_draw, raw_request, raw_position, raw_find, raw_close, NULL,
};

int
view_raw_open(struct tui *t, int type, int64_t id)
{
	struct raw_view *rv = xcalloc(1, sizeof *rv);
	struct alibi_error err = { 0 };
	if (views_raw_record(t->st, (enum store_evidence_type)type, id, add_field,
	                     &rv->doc, &err)) {
		tui_error(t, "%s", err.msg);
		doc_clear(&rv->doc);
		free(rv);
		return -1;
	}
	struct view *v = view_new(&raw_ops, rv);
	sb_addf(&v->title, "record: %s %" PRId64, store_evidence_type_name((enum store_evidence_type)type), id);
	tui_push(t, v);
	return 0;
}

int
view_messages_open(struct tui *t, const char *title, const char *text)
{
	struct raw_view *rv = xcalloc(1, sizeof *rv);
	/* One paragraph a line; the text may quote names from a case
	 * repository, and doc_draw makes every character safe. */
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");
		char *line = xstrndup(p, n);
		doc_add(&rv->doc, AREA_default, 0, NULL, line);
		free(line);
		p += n + (p[n] == '\n');
	}
	struct view *v = view_new(&raw_ops, rv);
	sb_adds(&v->title, title);
	tui_push(t, v);
	return 0;
}
