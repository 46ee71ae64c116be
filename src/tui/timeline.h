/* timeline.h — the incident view's two panes, SAID and DID.  A pane is a
 * window on a keyset-paged list of items (messages, tool calls, ops); it
 * holds only the key of its top item, the line within it and the cursor
 * row, and reads what is on screen from the workspace at each draw.  Each
 * pane kind fills a table of operations (pane_said.c, pane_did.c); the
 * movement in pane.c is shared. */
#ifndef ALIBI_TUI_TIMELINE_H
#define ALIBI_TUI_TIMELINE_H

#include "alibi/views.h"
#include "tui_internal.h"

enum item_kind { ITEM_MESSAGE, ITEM_TOOL_CALL, ITEM_OP };

union tl_key {
	struct views_said_key said;
	struct views_did_key did;
};

/* Lines a message shows in the timeline before "r shows the rest". */
#define ITEM_MAX_LINES 200
#define ITEM_MAX_CLAIMS 16

struct tl_item {
	enum item_kind kind;
	union tl_key key;
	struct views_said_row said;
	struct views_op_row op;
	int64_t ts;                  /* on the incident's clock */
	int64_t tool_call;           /* the tool call it is or belongs to */
	char *text;                  /* what the body lines show */
	size_t len;
	size_t *line_start;          /* byte offset of each body line */
	int body_lines;
	int head_lines;              /* lines before the body */
	int tail_lines;              /* lines after it (result, "more") */
	int nlines;
	int header;                  /* DID: a group heading comes first */
	int severity;                /* highest severity citing it, 0: none */
	int verdict;                 /* that finding's verdict (annotations.h) */
	long finding;                /* index of the first finding citing it, -1 */
	struct span claims[ITEM_MAX_CLAIMS];
	size_t nclaims;
};

struct pane;
struct incident;

struct pane_ops {
	const char *title;
	/* Up to max items after (before) key, nearest first; key NULL starts
	 * at the first (last) item. */
	int (*fetch)(struct pane *p, const union tl_key *key, int forward,
	             struct tl_item *out, size_t max, size_t *n);
	/* The item at key; 1 when it is not there any more. */
	int (*fetch_at)(struct pane *p, const union tl_key *key,
	                struct tl_item *out);
	void (*draw_line)(struct pane *p, struct tui *t, const struct tl_item *it,
	                  int line, int y, int x, int width);
	/* The text search looks at. */
	void (*item_text)(const struct tl_item *it, struct strbuf *out);
	/* The line of the item showing byte `at` of item_text. */
	int (*line_of)(const struct tl_item *it, size_t at);
	/* A faster search than item by item, or NULL: the key of the first
	 * item after (before) from that matches; 0 found, 1 none, -1
	 * cancelled. */
	int (*find)(struct pane *p, struct tui *t, const union tl_key *from,
	            int forward, union tl_key *found);
};

struct pane_line {
	size_t item;
	int line;
};

struct pane {
	const struct pane_ops *ops;
	struct incident *inc;
	int width, height;           /* text columns and body rows */
	int has_top;
	union tl_key top;
	int top_line;
	int cursor;                  /* body row of the cursor */
	/* What the last load read: the items on screen and their lines. */
	struct tl_item *win;
	size_t nwin, wcap;
	struct pane_line *lines;
	size_t nlines, lcap;
	/* Where the window was read from; a load at the same place is free. */
	int loaded;
	union tl_key loaded_top;
	int searching;               /* fetches for a search: without what only
	                                colours an item (claims) */
	int loaded_line, loaded_width, loaded_height;
};

/* What the incident view knows about findings, for gutters and ] [. */
struct mark {
	int kind;                    /* enum item_kind */
	int64_t id;
	int severity;
	long finding;
};

struct finding_target {
	int64_t id;
	int severity;
	int64_t ts;
	int has_said, has_did;
	union tl_key said, did;
	size_t claim_start;          /* byte of the claim in its message */
	int said_is_claim;
	size_t loaded_as;            /* its place in the store's order */
	char *key;                   /* stable key, for annotations */
	char *kind;
	int verdict;                 /* enum annotation_verdict */
};

struct incident {
	struct tui *t;
	int64_t id;
	char *slug;
	struct views_timeline tl;
	struct pane said, did;
	int active;                  /* 0: SAID, 1: DID */
	int wide;                    /* both panes on screen */
	struct mark *marks;
	size_t nmarks;
	struct finding_target *findings;
	int64_t *finding_ids;
	size_t nfindings;
	long current;                /* finding ] and [ last went to, -1 */
	int64_t by_severity[4];
	unsigned review_gen;         /* t->review_gen the verdicts are from */
	char clock[40];              /* the DID clock's zone, "" when UTC */
	union tl_key synced;         /* the active item the other pane follows */
	int synced_kind;
	int synced_valid;
};

extern const struct pane_ops said_pane_ops;
extern const struct pane_ops did_pane_ops;

/* pane.c */
void pane_init(struct pane *p, const struct pane_ops *ops, struct incident *inc);
void pane_free(struct pane *p);
void pane_items_free(struct tl_item *items, size_t n);
/* Reads the items on screen; keeps top and cursor valid. */
int pane_load(struct pane *p);
void pane_draw(struct pane *p, struct tui *t, int y, int x, int active);
int pane_request(struct pane *p, enum tui_request req);
/* Shows the item at key with its line `line` on body row `row` and puts
 * the cursor there (fewer rows when the item is near the start). */
int pane_show(struct pane *p, const union tl_key *key, int line, int row);
/* The item under the cursor (after pane_load), or NULL. */
const struct tl_item *pane_selected(const struct pane *p, int *line);
void pane_click(struct pane *p, int row);
/* Moves to the next (previous) item whose text matches t->search. */
int pane_find(struct pane *p, struct tui *t, int forward);
/* The same, with the item under the cursor looked at whole first. */
int pane_find_whole(struct pane *p, struct tui *t, int forward);

/* pane_said.c / pane_did.c helpers shared with the view */
void item_mark(struct incident *inc, struct tl_item *it);
void draw_gutter(struct screen *s, int y, int x, const struct tl_item *it);
void draw_time(struct screen *s, int y, int x, int64_t ts);
int said_key_eq(const struct views_said_key *a, const struct views_said_key *b);

#endif
