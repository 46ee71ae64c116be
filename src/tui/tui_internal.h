/* tui_internal.h — what the files of src/tui/ share.  Nothing outside
 * src/tui/ includes this; other modules see alibi/tui.h.
 *
 * The lists that must stay in step are written once here as X-macros:
 * keys and their names, requests and their help, the key map, commands,
 * prompt editing keys and theme areas.  The help view, `alibi --help` and
 * the script parser all expand them, so none can go stale. */
#ifndef ALIBI_TUI_INTERNAL_H
#define ALIBI_TUI_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "alibi/annotations.h"
#include "alibi/cases.h"
#include "alibi/records.h"
#include "alibi/store.h"
#include "alibi/strbuf.h"
#include "alibi/tui.h"

/* ---- keys ---------------------------------------------------------- */

/* A key is a Unicode code point (Ctrl-X is X & 0x1f, Esc is 27, Tab 9) or
 * one of these, all above every code point. */
enum tui_special_key {
	TK_TAB = 9,
	TK_ESC = 27,
	TK_SPECIAL = 0x110000,
	TK_ENTER, TK_BTAB, TK_BACKSPACE, TK_DELETE,
	TK_UP, TK_DOWN, TK_LEFT, TK_RIGHT,
	TK_PGUP, TK_PGDN, TK_HOME, TK_END,
	TK_F1, TK_F2, TK_F3, TK_F4, TK_F5, TK_F6, TK_F7, TK_F8, TK_F9, TK_F10,
	TK_CLICK, TK_WHEEL_UP, TK_WHEEL_DOWN,
	TK_RESIZE,   /* the screen changed size (event cols x lines) */
	TK_EOF       /* the script ended */
};
#define TK_CTRL(c) ((c) & 0x1f)

/* Names of keys in scripts, the help view and the man page.  The first
 * name of a key is the one shown; the others are accepted in scripts. */
#define TUI_KEY_NAMES(X) \
	X(TK_ENTER, "Enter") X(TK_ENTER, "CR") X(TK_ENTER, "Return") \
	X(TK_ESC, "Esc") X(TK_TAB, "Tab") X(TK_BTAB, "S-Tab") \
	X(TK_BACKSPACE, "Backspace") X(TK_BACKSPACE, "BS") \
	X(TK_DELETE, "Del") X(TK_DELETE, "Delete") \
	X(TK_UP, "Up") X(TK_DOWN, "Down") X(TK_LEFT, "Left") X(TK_RIGHT, "Right") \
	X(TK_PGUP, "PgUp") X(TK_PGUP, "PageUp") \
	X(TK_PGDN, "PgDn") X(TK_PGDN, "PageDown") \
	X(TK_HOME, "Home") X(TK_END, "End") \
	X(TK_F1, "F1") X(TK_F2, "F2") X(TK_F3, "F3") X(TK_F4, "F4") X(TK_F5, "F5") \
	X(TK_F6, "F6") X(TK_F7, "F7") X(TK_F8, "F8") X(TK_F9, "F9") X(TK_F10, "F10") \
	X(' ', "Space") X('<', "Lt") \
	X(TK_CLICK, "Click") X(TK_WHEEL_UP, "WheelUp") X(TK_WHEEL_DOWN, "WheelDown")

/* One input event: a key, a click at (x, y), or a new size. */
struct tui_event {
	int key;
	int x, y;           /* TK_CLICK: cell clicked, 0-based */
	int cols, lines;    /* TK_RESIZE */
};

/* "j", "Enter", "C-c", "Click". */
void tui_key_name(int key, char *buf, size_t size);
/* The key named by name ("Enter", "C-u", "x"), or -1. */
int key_from_name(const char *name, size_t len);

/* ---- requests and the key map --------------------------------------- */

/* id, help section, help text. */
#define TUI_REQUESTS(X) \
	X(MOVE_DOWN,      "Moving", "next line") \
	X(MOVE_UP,        "Moving", "previous line") \
	X(PAGE_DOWN,      "Moving", "next page") \
	X(PAGE_UP,        "Moving", "previous page") \
	X(MOVE_FIRST,     "Moving", "first line") \
	X(MOVE_LAST,      "Moving", "last line") \
	X(SCROLL_LEFT,    "Moving", "scroll a table left") \
	X(SCROLL_RIGHT,   "Moving", "scroll a table right") \
	X(NEXT_FINDING,   "Moving", "next finding, on the incident's clock") \
	X(PREV_FINDING,   "Moving", "previous finding") \
	X(CLICK,          "Moving", "select the line clicked; on the selected line, open it") \
	X(ENTER,          "Views", "open the selected incident, finding, evidence or record") \
	X(BACK,           "Views", "back to the previous view (quits from the first)") \
	X(SWITCH_PANE,    "Views", "switch between the SAID and DID panes") \
	X(VIEW_FINDINGS,  "Views", "findings list") \
	X(VIEW_RAW,       "Views", "raw record of the selected line") \
	X(VIEW_HELP,      "Views", "this help") \
	X(SEARCH,         "Searching", "search forward (PCRE2; smart case)") \
	X(SEARCH_BACK,    "Searching", "search backward") \
	X(FIND_NEXT,      "Searching", "next match, in the search's direction") \
	X(FIND_PREV,      "Searching", "previous match") \
	X(SQL_PROMPT,     "Prompts", "read-only SQL query; the result opens as a table") \
	X(COMMAND_PROMPT, "Prompts", "command prompt (see Commands)") \
	X(VERDICT,        "Reviewing", "verdict of the selected finding (in the incidents list: of the incident): c confirmed, d dismissed, u unclear, x none") \
	X(NOTE,           "Reviewing", "write a note in $VISUAL or $EDITOR; an empty note cancels") \
	X(TAGS,           "Reviewing", "edit the tags (separated by commas or blanks)") \
	X(CASE_COMMIT,    "Reviewing", "commit the incident as a case to the case repository") \
	X(VIEW_CASES,     "Reviewing", "case list: Enter opens a case, l shows its history") \
	X(CASE_LOG,       "Reviewing", "history of the selected case (in the case list)") \
	X(NEXT_THEME,     "Display", "next theme") \
	X(REDRAW,         "Display", "redraw the screen") \
	X(QUIT,           "Display", "quit alibi")

enum tui_request {
	REQ_NONE,
#define TUI_REQ_ENUM(id, section, help) REQ_##id,
	TUI_REQUESTS(TUI_REQ_ENUM)
#undef TUI_REQ_ENUM
	REQ__COUNT
};

#define TUI_KEYMAP(X) \
	X('j', MOVE_DOWN) X(TK_DOWN, MOVE_DOWN) X(TK_WHEEL_DOWN, MOVE_DOWN) \
	X('k', MOVE_UP) X(TK_UP, MOVE_UP) X(TK_WHEEL_UP, MOVE_UP) \
	X(TK_PGDN, PAGE_DOWN) X(' ', PAGE_DOWN) X(TK_CTRL('f'), PAGE_DOWN) \
	X(TK_PGUP, PAGE_UP) X('b', PAGE_UP) X(TK_CTRL('b'), PAGE_UP) \
	X('g', MOVE_FIRST) X(TK_HOME, MOVE_FIRST) \
	X('G', MOVE_LAST) X(TK_END, MOVE_LAST) \
	X(TK_LEFT, SCROLL_LEFT) X(TK_RIGHT, SCROLL_RIGHT) \
	X(']', NEXT_FINDING) X('[', PREV_FINDING) \
	X(TK_CLICK, CLICK) \
	X(TK_ENTER, ENTER) \
	X('q', BACK) X(TK_ESC, BACK) \
	X(TK_TAB, SWITCH_PANE) X(TK_BTAB, SWITCH_PANE) \
	X('f', VIEW_FINDINGS) X('r', VIEW_RAW) \
	X('h', VIEW_HELP) X(TK_F1, VIEW_HELP) \
	X('/', SEARCH) X('?', SEARCH_BACK) X('n', FIND_NEXT) X('N', FIND_PREV) \
	X(';', SQL_PROMPT) X(':', COMMAND_PROMPT) \
	X('v', VERDICT) X('a', NOTE) X('t', TAGS) X('c', CASE_COMMIT) \
	X('C', VIEW_CASES) X('l', CASE_LOG) \
	X('T', NEXT_THEME) X(TK_CTRL('l'), REDRAW) \
	X('Q', QUIT) X(TK_CTRL('c'), QUIT)

enum tui_request key_request(int key);
const char *request_help(enum tui_request req);
const char *request_section(enum tui_request req);
/* Calls fn for every line of the key reference (help view, --help): a
 * section heading has keys == NULL. */
void keys_reference(void (*fn)(void *ctx, const char *keys, const char *help),
                    void *ctx);

/* name, argument, help.  Run from the `:` prompt or a script line. */
#define TUI_COMMANDS(X) \
	X(save_display, "save-display", "FILE", "write the screen as plain text to FILE") \
	X(theme,        "theme",        "[NAME]", "switch to theme NAME; without NAME, list the themes") \
	X(quit,         "quit",         "", "quit alibi (also :q)")

/* Line editing in the prompts: id, help. */
#define TUI_EDITS(X) \
	X(LEFT,      "cursor left") \
	X(RIGHT,     "cursor right") \
	X(HOME,      "start of the line") \
	X(END,       "end of the line") \
	X(BACKSPACE, "delete the character before the cursor") \
	X(DELETE,    "delete the character under the cursor") \
	X(KILL_HOME, "delete to the start of the line") \
	X(KILL_END,  "delete to the end of the line") \
	X(KILL_WORD, "delete the word before the cursor") \
	X(HIST_PREV, "previous line in this prompt's history") \
	X(HIST_NEXT, "next line in this prompt's history") \
	X(ACCEPT,    "run") \
	X(CANCEL,    "cancel")

enum tui_edit {
	EDIT_NONE,
#define TUI_EDIT_ENUM(id, help) EDIT_##id,
	TUI_EDITS(TUI_EDIT_ENUM)
#undef TUI_EDIT_ENUM
	EDIT__COUNT
};

#define TUI_EDIT_KEYS(X) \
	X(TK_LEFT, LEFT) X(TK_CTRL('b'), LEFT) \
	X(TK_RIGHT, RIGHT) X(TK_CTRL('f'), RIGHT) \
	X(TK_HOME, HOME) X(TK_CTRL('a'), HOME) \
	X(TK_END, END) X(TK_CTRL('e'), END) \
	X(TK_BACKSPACE, BACKSPACE) X(TK_DELETE, DELETE) X(TK_CTRL('d'), DELETE) \
	X(TK_CTRL('u'), KILL_HOME) X(TK_CTRL('k'), KILL_END) X(TK_CTRL('w'), KILL_WORD) \
	X(TK_UP, HIST_PREV) X(TK_CTRL('p'), HIST_PREV) \
	X(TK_DOWN, HIST_NEXT) X(TK_CTRL('n'), HIST_NEXT) \
	X(TK_ENTER, ACCEPT) X(TK_ESC, CANCEL) X(TK_CTRL('c'), CANCEL) \
	X(TK_CTRL('g'), CANCEL)

/* ---- theme areas ---------------------------------------------------- */

/* name, attributes in the colourless base look, what the area colours.
 * Theme files name areas with '-' for '_' ("said-user"). */
#define TUI_AREAS(X) \
	X(default,         0,              "text") \
	X(dim,             TA_DIM,         "secondary text: counts, markers, continuation") \
	X(header,          TA_BOLD,        "column headers and pane titles") \
	X(title_active,    TA_BOLD | TA_REVERSE, "the title of the active pane") \
	X(separator,       0,              "the line between the panes") \
	X(cursor,          TA_REVERSE,     "the selected line") \
	X(cursor_other,    TA_UNDERLINE,   "the line the other pane keeps in step") \
	X(status,          TA_REVERSE,     "the status bar") \
	X(message,         0,              "messages under the status bar") \
	X(error,           TA_BOLD,        "error messages") \
	X(prompt,          TA_BOLD,        "the prompt") \
	X(search,          TA_REVERSE | TA_UNDERLINE, "search matches") \
	X(time,            0,              "timestamps") \
	X(said_user,       TA_BOLD,        "user messages") \
	X(said_assistant,  TA_BOLD,        "assistant messages") \
	X(said_system,     TA_BOLD,        "system messages") \
	X(said_tool,       TA_BOLD,        "tool messages") \
	X(tool_call,       TA_BOLD,        "tool calls in the SAID pane") \
	X(tool_result,     0,              "tool results") \
	X(claim,           TA_UNDERLINE,   "claims in messages") \
	X(group,           TA_BOLD,        "the tool call heading a group of operations") \
	X(unattributed,    TA_BOLD,        "operations no tool call explains") \
	X(op,              0,              "operations") \
	X(op_failed,       TA_DIM,         "operations that failed") \
	X(derived,         TA_DIM,         "operations inferred from a command") \
	X(sev_high,        TA_BOLD | TA_REVERSE, "high severity") \
	X(sev_medium,      TA_BOLD,        "medium severity") \
	X(sev_low,         0,              "low severity") \
	X(label,           TA_BOLD,        "field names in detail views") \
	X(link,            TA_UNDERLINE,   "evidence that Enter opens") \
	X(help_key,        TA_BOLD,        "keys in the help view")

enum tui_attr {
	TA_BOLD = 1 << 0, TA_UNDERLINE = 1 << 1, TA_REVERSE = 1 << 2,
	TA_DIM = 1 << 3, TA_ITALIC = 1 << 4, TA_BLINK = 1 << 5,
	TA_STANDOUT = 1 << 6
};

enum tui_area {
#define TUI_AREA_ENUM(name, attrs, help) AREA_##name,
	TUI_AREAS(TUI_AREA_ENUM)
#undef TUI_AREA_ENUM
	AREA__COUNT
};

#define COLOR_DEFAULT (-1)

struct theme_style {
	short fg, bg;            /* 0..255, or COLOR_DEFAULT */
	unsigned attrs;          /* enum tui_attr */
};
struct theme {
	char name[64];
	struct theme_style style[AREA__COUNT];
};

/* Loads theme `name` from the first theme directory that has it (see
 * theme_dirs); bad lines are reported as "file:line: problem" through
 * report and skipped.  Without a file, "default" and "mono" are built in;
 * any other missing name is an error (0 is returned on success). */
int theme_load(const char *name, struct theme *out,
               void (*report)(void *ctx, const char *msg), void *ctx);
/* The theme names found, sorted, "default" first; caller frees each and
 * the array. */
char **theme_list(size_t *count);
/* Appends the theme directories, one per line, in search order. */
void theme_dirs(struct strbuf *out);
const char *area_name(enum tui_area area);

/* ---- the screen ----------------------------------------------------- */

/* One cell: a character (with up to three combining marks) or the right
 * half of a wide character (cp[0] == 0, width 0). */
struct cell {
	uint32_t cp[4];
	uint8_t width;
	uint8_t area;
};

struct screen {
	int cols, lines;
	struct cell *cells;
	int cursor_x, cursor_y;  /* where the terminal cursor sits, or -1 */
	struct strbuf scratch;
};

void screen_init(struct screen *s, int cols, int lines);
void screen_free(struct screen *s);
void screen_resize(struct screen *s, int cols, int lines);
void screen_clear(struct screen *s);
struct cell *screen_cell(struct screen *s, int y, int x);
/* Fills columns [x, x + width) of row y with blanks in area. */
void screen_fill(struct screen *s, int y, int x, int width, int area);
/* Gives every cell of the row range the area `area`, except search
 * matches, so the selected line stands out whatever it holds. */
void screen_paint(struct screen *s, int y, int x, int width, int area);
/* Writes the screen as plain text, trailing blanks trimmed. */
void screen_dump(const struct screen *s, struct strbuf *out);

/* A highlighted byte range of a text. */
struct span {
	size_t start, end;
	int area;
};
/* How to draw a text: a base area and up to two layers of spans, sorted
 * and non-overlapping within a layer; the second layer wins. */
struct text_style {
	int area;
	const struct span *spans[2];
	size_t nspans[2];
};

enum text_flags {
	TEXT_WRAP = 1 << 0,     /* a newline ends the line; break at blanks */
	TEXT_MEASURE = 1 << 1   /* only measure; s may be NULL */
};

/* Draws text[pos..len) on row y from column x, at most width columns,
 * every character made safe by termtext_escape.  Returns the byte
 * position where the line ended (after the newline with TEXT_WRAP);
 * *cols (may be NULL) gets the columns used. */
size_t screen_text(struct screen *s, int y, int x, int width,
                   const char *text, size_t len, size_t pos, int flags,
                   const struct text_style *style, int *cols);
/* One line of NUL-terminated text in one area; returns columns used. */
int screen_puts(struct screen *s, int y, int x, int width, const char *text,
                int area);
/* The lines text takes when wrapped at width (at least 1), counting at
 * most max. */
int text_line_count(const char *text, size_t len, int width, int max);

/* ---- back ends ------------------------------------------------------ */

struct tui;

struct backend {
	const char *name;
	/* Waits for the next event; timeout_ms < 0 waits for ever, 0 polls.
	 * Returns 0 with an event, 1 when none came in time. */
	int (*next_event)(struct tui *t, struct tui_event *ev, int timeout_ms);
	/* 1 when a Ctrl-C is waiting (it is consumed); other input stays. */
	int (*cancel_pending)(struct tui *t);
	void (*flush)(struct tui *t);
	void (*theme_changed)(struct tui *t);
	void (*fini)(struct tui *t);
};

int headless_init(struct tui *t, const struct tui_options *opt,
                  struct alibi_error *err);
int term_init(struct tui *t, struct alibi_error *err);
/* Parses a script into events; bad steps are literal text. */
struct tui_event *script_parse(const char *text, size_t len, size_t *count);

/* ---- views ---------------------------------------------------------- */

struct view;

/* What an annotation is about: a finding of an incident, or the incident
 * itself (key ""). */
struct review_target {
	int64_t incident;
	char key[ANNOTATION_KEY_MAX + 1];
	char what[160];          /* for the prompt: "finding 2 (exfiltration)" */
};

/* A view is a table of operations; the main loop never learns which view
 * it drives. */
struct view_ops {
	const char *name;        /* status bar: "incidents", "incident"... */
	const char *hints;       /* status bar: the keys that matter here */
	void (*draw)(struct view *v, struct tui *t, int rows);
	/* 1 when the view handled the request. */
	int (*request)(struct view *v, struct tui *t, enum tui_request req);
	/* Position for the status bar ("3/12"). */
	void (*position)(struct view *v, struct tui *t, struct strbuf *out);
	/* Moves to the next match of t->search; 0 found, 1 none, -1 cancelled. */
	int (*find)(struct view *v, struct tui *t, int forward);
	void (*close)(struct view *v);
	/* What v, a and t annotate here (the selected finding, else the
	 * incident); 0 when there is one, or NULL / -1: nothing. */
	int (*target)(struct view *v, struct tui *t, struct review_target *out);
};

struct view {
	const struct view_ops *ops;
	struct strbuf title;     /* status bar: what the view shows */
	void *data;
};

/* A list of count rows with a cursor, for views whose rows are in memory. */
struct list {
	size_t count;
	size_t cursor, top;
	int hscroll;
	int rows;                /* visible rows at the last draw */
};
/* Handles movement requests; 1 when handled. */
int list_request(struct list *l, struct tui *t, enum tui_request req);
/* Selects visible row `row`; 1 when it was selected already (a click on
 * the selected row opens it). */
int list_click(struct list *l, int row);
/* Keeps the cursor on screen for `rows` visible rows. */
void list_fit(struct list *l, int rows);
/* Searches rows from the cursor with row_text; moves the cursor. */
int list_find(struct list *l, struct tui *t, int forward,
              void (*row_text)(void *ctx, size_t row, struct strbuf *out),
              void *ctx);
void list_position(const struct list *l, struct strbuf *out);

/* A document: paragraphs wrapped to the screen's width; used by the
 * finding detail, raw record and help views. */
struct doc_para {
	int area;
	int indent;
	char *label;             /* drawn before the first line, may be NULL */
	int label_area;
	char *text;
	size_t len;
	int link_type;           /* store_evidence_type + 1, 0: no link */
	int64_t link_id;
};
struct doc_line {
	size_t para;
	size_t start, end;       /* bytes of the paragraph's text */
	int first;
};
struct doc {
	struct doc_para *paras;
	size_t npara, cap;
	struct doc_line *lines;
	size_t nlines, lcap;
	int width;               /* the width the lines were wrapped at */
	struct list list;
};
void doc_add(struct doc *d, int area, int indent, const char *label,
             const char *text);
void doc_addf(struct doc *d, int area, int indent, const char *label,
              const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void doc_link(struct doc *d, int type, int64_t id);
void doc_clear(struct doc *d);
void doc_draw(struct doc *d, struct tui *t, int rows);
int doc_request(struct doc *d, struct tui *t, enum tui_request req);
int doc_find(struct doc *d, struct tui *t, int forward);
/* The paragraph under the cursor, or NULL. */
const struct doc_para *doc_selected(const struct doc *d);

/* The views; each opens itself and is pushed on the view stack. */
int view_incidents_open(struct tui *t);
int view_incident_open(struct tui *t, int64_t incident);
int view_findings_open(struct tui *t, int64_t incident);
/* ids[0..count) in the order ] and [ step through; shows ids[index]. */
int view_finding_open(struct tui *t, int64_t incident, const int64_t *ids,
                      size_t count, size_t index);
int view_raw_open(struct tui *t, int type, int64_t id);
int view_help_open(struct tui *t);
int view_sql_open(struct tui *t, const char *sql);
/* The case repository's cases (view_cases.c). */
int view_cases_open(struct tui *t);
/* A titled list of messages, one paragraph each. */
int view_messages_open(struct tui *t, const char *title, const char *text);

/* The theme area for a severity. */
int severity_area(enum alibi_severity sev);

/* ---- search --------------------------------------------------------- */

struct search {
	char *pattern;
	int forward;             /* the direction / or ? gave */
	void *code;              /* pcre2_code */
	void *match;             /* pcre2_match_data */
};
/* Compiles pattern (smart case: caseless unless it has an upper-case
 * letter); on error fills msg and returns -1. */
int search_set(struct search *s, const char *pattern, int forward,
               char *msg, size_t size);
void search_free(struct search *s);
int search_active(const struct search *s);
/* 1 when text matches. */
int search_match(struct search *s, const char *text, size_t len);
/* Up to max match spans of text in area AREA_search. */
size_t search_spans(struct search *s, const char *text, size_t len,
                    struct span *spans, size_t max);

/* ---- the prompt ----------------------------------------------------- */

enum prompt_kind { PROMPT_SEARCH, PROMPT_SEARCH_BACK, PROMPT_SQL,
                   PROMPT_COMMAND, PROMPT_TAGS, PROMPT__COUNT };

struct history {
	char **items;
	size_t count, cap;
};

struct prompt {
	int active;
	enum prompt_kind kind;
	struct strbuf text;
	size_t cursor;           /* byte offset in text */
	size_t hist_pos;         /* == count: the line being edited */
	char *saved;             /* the line being edited while in history */
	struct history history[PROMPT__COUNT];
};
void prompt_start(struct prompt *p, enum prompt_kind kind);
/* Feeds a key; returns EDIT_ACCEPT or EDIT_CANCEL when the prompt ends
 * (the text stays in p->text), else EDIT_NONE. */
enum tui_edit prompt_key(struct prompt *p, int key);
void prompt_draw(struct prompt *p, struct tui *t, int y);
void prompt_free(struct prompt *p);
const char *prompt_prefix(enum prompt_kind kind);
enum tui_edit edit_for_key(int key);
const char *edit_help(enum tui_edit e);
/* "Left, C-b" for an edit. */
void edit_keys_of(enum tui_edit e, struct strbuf *out);

/* ---- the console ---------------------------------------------------- */

#define TUI_MAX_VIEWS 32
#define TUI_MIN_COLS 40
#define TUI_MIN_LINES 10

struct tui {
	struct store *st;
	struct screen scr;
	const struct backend *be;
	void *be_data;
	struct theme theme;
	int colors;              /* 0: NO_COLOR, or a terminal without colours */
	struct view *views[TUI_MAX_VIEWS];
	int nviews;
	struct prompt prompt;
	struct search search;
	struct strbuf message;
	int message_error;
	struct tui_event ev;     /* the event being handled */
	int quit;
	FILE *diag;
	long long work_started_ms;
	long long work_drawn_ms;
	const char *work_what;
	/* Reviewing (review.c). */
	const char *cases_dir;   /* --cases, NULL: the default */
	const char *rules_path;  /* --rules, for opening cases */
	struct case_identity who;
	int have_who;
	struct review_target pending;  /* what the verdict menu or tags prompt is for */
	int choosing_verdict;    /* the next key picks a verdict */
	/* Bumped when annotations or incidents change: views compare it with
	 * the one they loaded at, and reload when they are drawn next. */
	unsigned review_gen;
};

/* Pushes a view (the stack takes it); pops and closes the top one. */
void tui_push(struct tui *t, struct view *v);
void tui_pop(struct tui *t);
struct view *view_new(const struct view_ops *ops, void *data);
void view_free(struct view *v);

void tui_message(struct tui *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void tui_error(struct tui *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Draws every part of the screen into the grid (no flush). */
void tui_draw(struct tui *t);
/* Rows the views get (the screen less the status bar and message line). */
int tui_view_rows(const struct tui *t);
/* Runs one command line ("theme dark"). */
void tui_command(struct tui *t, const char *line);
int tui_set_theme(struct tui *t, const char *name);

/* Long work: tui_work_begin shows "what…" when it takes a moment, and
 * tui_work_poll returns 1 when the reviewer pressed Ctrl-C. */
void tui_work_begin(struct tui *t, const char *what);
int tui_work_poll(struct tui *t, const char *progress);
void tui_work_end(struct tui *t);

/* review.c: the requests v a t c, the verdict menu and the tags prompt. */
void review_request(struct tui *t, enum tui_request req);
/* Handles a key while the verdict menu is open. */
void review_verdict_key(struct tui *t, int key);
void review_tags_done(struct tui *t, const char *text);
/* The reviewer (git identity), looked up once; NULL with an error shown. */
const struct case_identity *review_who(struct tui *t);
/* Leaves the screen for a program that needs the terminal, and comes
 * back (suspend.c). */
void tui_suspend(struct tui *t);
void tui_resume(struct tui *t);
/* One-letter verdict marks for gutters: '+' confirmed, '-' dismissed,
 * '?' unclear, ' ' none. */
char verdict_mark(int verdict);

/* Formats an aligned time as HH:MM:SS (local time), "--:--:--" unknown. */
void format_clock(int64_t ts, char *buf, size_t size);
long long now_ms(void);

#endif
