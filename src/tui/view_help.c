/* view_help.c — the help view, generated from the key, command and prompt
 * tables (keys_reference), so it lists exactly what the console does. */
#include <stdio.h>
#include <stdlib.h>

#include "alibi/alloc.h"
#include "tui_internal.h"

struct help {
	struct doc doc;
};

static void
help_line(void *ctx, const char *keys, const char *text)
{
	struct doc *d = ctx;
	if (!keys) {
		if (d->npara)
			doc_add(d, AREA_default, 0, NULL, "");
		doc_add(d, AREA_header, 0, NULL, text);
		return;
	}
	char label[64];
	/* Labels padded to one width so the texts line up. */
	snprintf(label, sizeof label, "%-20s", keys);
	doc_add(d, AREA_default, 2, label, text);
	d->paras[d->npara - 1].label_area = AREA_help_key;
}

static void
help_draw(struct view *v, struct tui *t, int rows)
{
	struct help *h = v->data;
	doc_draw(&h->doc, t, rows);
}

static int
help_request(struct view *v, struct tui *t, enum tui_request req)
{
	struct help *h = v->data;
	if (req == REQ_VIEW_HELP)
		return 1;   /* already here */
	return doc_request(&h->doc, t, req);
}

static void
help_position(struct view *v, struct tui *t, struct strbuf *out)
{
	struct help *h = v->data;
	(void)t;
	list_position(&h->doc.list, out);
}

static int
help_find(struct view *v, struct tui *t, int forward)
{
	struct help *h = v->data;
	return doc_find(&h->doc, t, forward);
}

static void
help_close(struct view *v)
{
	struct help *h = v->data;
	doc_clear(&h->doc);
	free(h);
}

static const struct view_ops help_ops = {
	"help", "q back  / search",
	help_draw, help_request, help_position, help_find, help_close, NULL,
};

int
view_help_open(struct tui *t)
{
	struct help *h = xcalloc(1, sizeof *h);
	doc_add(&h->doc, AREA_header, 0, NULL,
	        "alibi: what the agent said, next to what it did");
	doc_add(&h->doc, AREA_default, 0, NULL,
	        "Every binding below also works in scripts (--script FILE); "
	        "see man alibi for the views, themes and files.");
	keys_reference(help_line, &h->doc);
	struct view *v = view_new(&help_ops, h);
	sb_adds(&v->title, "help: keys, commands, prompt editing");
	tui_push(t, v);
	return 0;
}
