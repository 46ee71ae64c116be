/* keys.c — key names, the key map and the text the help view, the man
 * page and `alibi --help` show, all expanded from the tables in
 * tui_internal.h. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "alibi/strbuf.h"
#include "tui_internal.h"

struct key_name_entry {
	int key;
	const char *name;
};

static const struct key_name_entry key_names[] = {
#define KEY_NAME_ENTRY(key, name) { key, name },
	TUI_KEY_NAMES(KEY_NAME_ENTRY)
#undef KEY_NAME_ENTRY
};
#define KEY_NAMES_COUNT (sizeof key_names / sizeof key_names[0])

void
tui_key_name(int key, char *buf, size_t size)
{
	for (size_t i = 0; i < KEY_NAMES_COUNT; i++) {
		if (key_names[i].key == key) {
			snprintf(buf, size, "%s", key_names[i].name);
			return;
		}
	}
	if (key > 0 && key < 32)
		snprintf(buf, size, "C-%c", key + 'a' - 1);
	else if (key == 127)
		snprintf(buf, size, "Backspace");
	else if (key > 32 && key < 127)
		snprintf(buf, size, "%c", key);
	else
		snprintf(buf, size, "U+%04X", (unsigned)key);
}

int
key_from_name(const char *name, size_t len)
{
	for (size_t i = 0; i < KEY_NAMES_COUNT; i++)
		if (strlen(key_names[i].name) == len &&
		    strncasecmp(key_names[i].name, name, len) == 0)
			return key_names[i].key;
	/* C-x for Ctrl-x */
	if (len == 3 && (name[0] == 'C' || name[0] == 'c') && name[1] == '-') {
		char c = name[2];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c >= 'a' && c <= 'z')
			return TK_CTRL(c);
		if (c == '[')
			return TK_ESC;
	}
	return -1;
}

struct keymap_entry {
	int key;
	enum tui_request req;
};

static const struct keymap_entry keymap[] = {
#define KEYMAP_ENTRY(key, req) { key, REQ_##req },
	TUI_KEYMAP(KEYMAP_ENTRY)
#undef KEYMAP_ENTRY
};
#define KEYMAP_COUNT (sizeof keymap / sizeof keymap[0])

enum tui_request
key_request(int key)
{
	for (size_t i = 0; i < KEYMAP_COUNT; i++)
		if (keymap[i].key == key)
			return keymap[i].req;
	return REQ_NONE;
}

struct request_info {
	const char *section;
	const char *help;
};

static const struct request_info requests[REQ__COUNT] = {
	[REQ_NONE] = { "", "" },
#define REQUEST_INFO(id, section, help) [REQ_##id] = { section, help },
	TUI_REQUESTS(REQUEST_INFO)
#undef REQUEST_INFO
};

const char *
request_help(enum tui_request req)
{
	return req < REQ__COUNT ? requests[req].help : "";
}

const char *
request_section(enum tui_request req)
{
	return req < REQ__COUNT ? requests[req].section : "";
}

/* "j, Down, WheelDown" for a request. */
static void
keys_of(enum tui_request req, struct strbuf *out)
{
	for (size_t i = 0; i < KEYMAP_COUNT; i++) {
		if (keymap[i].req != req)
			continue;
		char name[32];
		tui_key_name(keymap[i].key, name, sizeof name);
		if (out->len)
			sb_adds(out, ", ");
		sb_adds(out, name);
	}
}

static const struct {
	const char *name, *arg, *help;
} commands[] = {
#define COMMAND_INFO(id, name, arg, help) { name, arg, help },
	TUI_COMMANDS(COMMAND_INFO)
#undef COMMAND_INFO
};

/* Calls fn for every line of the key reference: section headings
 * (keys == NULL) and entries. */
void
keys_reference(void (*fn)(void *ctx, const char *keys, const char *help),
               void *ctx)
{
	const char *section = NULL;
	struct strbuf keys = STRBUF_INIT;
	for (int r = REQ_NONE + 1; r < REQ__COUNT; r++) {
		if (!section || strcmp(section, requests[r].section) != 0) {
			section = requests[r].section;
			fn(ctx, NULL, section);
		}
		sb_reset(&keys);
		keys_of((enum tui_request)r, &keys);
		fn(ctx, sb_str(&keys), requests[r].help);
	}
	fn(ctx, NULL, "Commands (after :)");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		sb_reset(&keys);
		sb_addf(&keys, ":%s%s%s", commands[i].name, *commands[i].arg ? " " : "",
		        commands[i].arg);
		fn(ctx, sb_str(&keys), commands[i].help);
	}
	fn(ctx, NULL, "Editing in the prompts (/ ? ; :)");
	for (int e = EDIT_NONE + 1; e < EDIT__COUNT; e++) {
		sb_reset(&keys);
		edit_keys_of((enum tui_edit)e, &keys);
		fn(ctx, sb_str(&keys), edit_help((enum tui_edit)e));
	}
	sb_free(&keys);
}

static void
describe_line(void *ctx, const char *keys, const char *help)
{
	struct strbuf *out = ctx;
	if (!keys)
		sb_addf(out, "%s%s:\n", out->len ? "\n" : "", help);
	else
		sb_addf(out, "  %-24s %s\n", keys, help);
}

void
tui_describe_keys(struct strbuf *out)
{
	keys_reference(describe_line, out);
}
