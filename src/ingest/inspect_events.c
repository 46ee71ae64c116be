/* inspect_events.c — an Inspect sample's events: attachment references,
 * the times messages get from model and tool events, the tool events no
 * message covers, and the sandbox events, which become operations. */
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/ingest.h"
#include "alibi/jsonrec.h"
#include "alibi/shellcmd.h"
#include "alibi/timeparse.h"
#include "inspect_internal.h"

/* Older logs nest a tool's events in it; deeper nesting is not followed. */
#define MAX_EVENT_DEPTH 8

static int
is_event(const cJSON *ev, const char *kind)
{
	const char *e = jsonrec_string(ev, "event");
	return e && strcmp(e, kind) == 0;
}

/* ---- references ------------------------------------------------------------ */

static const char *
lookup_ref(const struct inspect *in, const char *s)
{
	static const char attachment[] = "attachment://", tc[] = "tc://";
	if (strncmp(s, attachment, sizeof attachment - 1) == 0)
		return jsonrec_string(in->attachments, s + sizeof attachment - 1);
	if (strncmp(s, tc, sizeof tc - 1) == 0)
		return jsonrec_string(in->content, s + sizeof tc - 1);
	return NULL;
}

void
inspect_resolve_refs(struct inspect *in, cJSON *item)
{
	cJSON *child = item ? item->child : NULL;
	while (child) {
		cJSON *next = child->next;
		const char *text;
		if (child == in->attachments || child == in->content) {
			/* the texts themselves */
		} else if (cJSON_IsString(child) && (text = lookup_ref(in, child->valuestring))) {
			cJSON *copy = cJSON_CreateString(text);
			if (copy) {
				/* the member keeps its key; the replaced item is freed */
				copy->string = child->string;
				child->string = NULL;
				cJSON_ReplaceItemViaPointer(item, child, copy);
			}
		} else if (cJSON_IsArray(child) || cJSON_IsObject(child)) {
			/* cJSON bounds the nesting when parsing, so this recursion is bounded */
			inspect_resolve_refs(in, child);
		}
		child = next;
	}
}

/* ---- collecting ------------------------------------------------------------- */

static void
add_events(struct inspect *in, const cJSON *list, ptrdiff_t parent, int depth)
{
	const cJSON *ev;
	if (!cJSON_IsArray(list))
		return;
	cJSON_ArrayForEach(ev, list) {
		if (!cJSON_IsObject(ev)) {
			in->t.sink->bad_record(in->t.sink->ctx, 0, "event is not a JSON object");
			continue;
		}
		if (in->nevents == in->events_cap) {
			in->events_cap = in->events_cap ? in->events_cap * 2 : 64;
			in->events = xrealloc(in->events, in->events_cap * sizeof *in->events);
		}
		ptrdiff_t self = (ptrdiff_t)in->nevents++;
		in->events[self].ev = ev;
		in->events[self].parent = parent;
		in->events[self].call_row = 0;
		if (is_event(ev, "sample_init") && in->init_ts == ALIBI_TS_NONE)
			in->init_ts = inspect_time(in, ev, "timestamp");
		if (is_event(ev, "tool") && depth < MAX_EVENT_DEPTH)
			add_events(in, cJSON_GetObjectItemCaseSensitive(ev, "events"), self, depth + 1);
	}
}

void
inspect_collect_events(struct inspect *in, const cJSON *sample)
{
	const cJSON *events = cJSON_GetObjectItemCaseSensitive(sample, "events");
	if (!events) {
		const cJSON *transcript = cJSON_GetObjectItemCaseSensitive(sample, "transcript");
		events = cJSON_GetObjectItemCaseSensitive(transcript, "events");
	}
	add_events(in, events, -1, 0);
}

/* ---- times ------------------------------------------------------------------- */

int64_t
inspect_time(struct inspect *in, const cJSON *obj, const char *key)
{
	const char *s = jsonrec_string(obj, key);
	int64_t ts = s ? time_parse_iso8601(s) : ALIBI_TS_NONE;
	if (ts != ALIBI_TS_NONE)
		in->t.any_ts = 1;
	return ts;
}

/* When an event's work was done: "completed", else when it began. */
static int64_t
done_time(struct inspect *in, const cJSON *ev)
{
	int64_t ts = inspect_time(in, ev, "completed");
	return ts != ALIBI_TS_NONE ? ts : inspect_time(in, ev, "timestamp");
}

static const cJSON *
model_output_message(const cJSON *ev)
{
	const cJSON *output = cJSON_GetObjectItemCaseSensitive(ev, "output");
	const cJSON *choices = cJSON_GetObjectItemCaseSensitive(output, "choices");
	return cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(choices, 0), "message");
}

/* The model event that produced an assistant message: by the message's
 * id, or, in logs without ids, the next one in order with the same
 * content. */
static int64_t
assistant_ts(struct inspect *in, const cJSON *msg)
{
	const char *id = jsonrec_string(msg, "id");
	const cJSON *content = cJSON_GetObjectItemCaseSensitive(msg, "content");
	for (size_t k = id ? 0 : in->model_cursor; k < in->nevents; k++) {
		const cJSON *ev = in->events[k].ev;
		if (!is_event(ev, "model"))
			continue;
		const cJSON *out = model_output_message(ev);
		const char *out_id = jsonrec_string(out, "id");
		if (id ? out_id && strcmp(id, out_id) == 0 :
		         cJSON_Compare(content, cJSON_GetObjectItemCaseSensitive(out, "content"), 1)) {
			if (!id)
				in->model_cursor = k + 1;
			return done_time(in, ev);
		}
	}
	return ALIBI_TS_NONE;
}

int64_t
inspect_message_ts(struct inspect *in, const cJSON *msg, const char *role)
{
	int64_t ts = inspect_time(in, msg, "timestamp");
	if (ts != ALIBI_TS_NONE)
		return ts;
	if (strcmp(role, "assistant") == 0)
		return assistant_ts(in, msg);
	if (strcmp(role, "tool") == 0) {
		const char *call_id = jsonrec_string(msg, "tool_call_id");
		for (size_t k = 0; call_id && k < in->nevents; k++) {
			const char *id = jsonrec_string(in->events[k].ev, "id");
			if (is_event(in->events[k].ev, "tool") && id && strcmp(id, call_id) == 0)
				return done_time(in, in->events[k].ev);
		}
		return ALIBI_TS_NONE;
	}
	/* the system prompt and the task come with the sample */
	return in->model_cursor == 0 ? in->init_ts : ALIBI_TS_NONE;
}

/* ---- tool events -------------------------------------------------------------- */

/* A tool event the messages did not hold (a sub-agent's, or a log whose
 * messages were trimmed): its call, and the result as a tool message. */
static int64_t
emit_tool_event(struct inspect *in, const cJSON *ev)
{
	struct ingest_sink *sink = in->t.sink;
	const char *id = jsonrec_string(ev, "id");
	const char *name = jsonrec_string(ev, "function");
	if (!name) {
		sink->bad_record(sink->ctx, 0, "tool event has no \"function\"; skipped");
		return 0;
	}
	const cJSON *args = cJSON_GetObjectItemCaseSensitive(ev, "arguments");
	int64_t ts = inspect_time(in, ev, "timestamp");
	sb_reset(&in->args);
	if (args)
		jsonrec_print(args, &in->args);
	else
		sb_adds(&in->args, "{}");
	struct alibi_tool_call tc = { 0, id, name, sb_str(&in->args), NULL, ts, 0 };
	int64_t row = inspect_emit_call(in, &tc);
	inspect_remember_call(in, id, row);

	sb_reset(&in->text);
	inspect_content_text(cJSON_GetObjectItemCaseSensitive(ev, "result"), &in->text);
	int is_error = inspect_add_error(cJSON_GetObjectItemCaseSensitive(ev, "error"), &in->text);
	int64_t done = done_time(in, ev);
	struct alibi_message m = { done, "tool", NULL, sb_str(&in->text), 0 };
	sink->message(sink->ctx, &m);
	struct alibi_tool_result r = { id, sb_str(&in->text), is_error, done, 0 };
	sink->tool_result(sink->ctx, &r);
	if (sink->record)
		sink->record(sink->ctx);
	return row;
}

/* ---- sandbox events --------------------------------------------------------------- */

struct derived_ctx {
	struct ingest_sink *sink;
	int64_t tool_call, ts;
	int ok;             /* the command's exit status was 0 */
};

/* A command the sandbox says failed did not do what it implies, as far
 * as anyone can tell: its derived ops are marked failed with it. */
static void
emit_derived(void *ctx, const struct alibi_op *op)
{
	struct derived_ctx *dc = ctx;
	struct alibi_op copy = *op;
	copy.tool_call = dc->tool_call;
	copy.ts = dc->ts;
	copy.ok = copy.ok && dc->ok;
	dc->sink->op(dc->sink->ctx, &copy);
}

/* The tool event a sandbox event served: the one it is nested in, or
 * the one of the same span before it; -1 when none. */
static ptrdiff_t
sandbox_tool_event(const struct inspect *in, size_t k)
{
	if (in->events[k].parent >= 0)
		return in->events[k].parent;
	const char *span = jsonrec_string(in->events[k].ev, "span_id");
	for (size_t j = k; span && j-- > 0;) {
		const cJSON *ev = in->events[j].ev;
		const char *s = jsonrec_string(ev, "span_id");
		if (is_event(ev, "tool") && s && strcmp(s, span) == 0)
			return (ptrdiff_t)j;
	}
	return -1;
}

static int64_t
sandbox_call(const struct inspect *in, size_t k)
{
	ptrdiff_t j = sandbox_tool_event(in, k);
	return j >= 0 ? in->events[j].call_row : 0;
}

/* 1 when the sandbox ran command itself: cmd is the command, or a word
 * of it once quotes are removed (`bash --login -c '<command>'`). */
static int
cmd_carries(const char *cmd, const char *command)
{
	size_t n = strlen(command);
	while (n && strchr(" \t\r\n", command[n - 1]))
		n--;
	if (!n)
		return 0;
	if (strlen(cmd) == n && memcmp(cmd, command, n) == 0)
		return 1;
	struct shell_command_list list = { 0 };
	shell_split(cmd, &list);
	int found = 0;
	const struct shell_word_list *argv = list.count ? &list.items[0].argv : NULL;
	for (size_t w = 1; argv && w < argv->count && !found; w++)
		found = strlen(argv->words[w]) >= n && memcmp(argv->words[w], command, n) == 0 &&
		        !argv->words[w][n + strspn(argv->words[w] + n, " \t\r\n")];
	shell_command_list_free(&list);
	return found;
}

/* 1 when a sandbox exec event of the tool call call_id ran command. */
static int
sandbox_ran(const struct inspect *in, const char *call_id, const char *command)
{
	for (size_t k = 0; call_id && k < in->nevents; k++) {
		const cJSON *ev = in->events[k].ev;
		const char *action = jsonrec_string(ev, "action");
		const char *cmd = jsonrec_string(ev, "cmd");
		if (!is_event(ev, "sandbox") || !action || strcmp(action, "exec") != 0 || !cmd)
			continue;
		ptrdiff_t j = sandbox_tool_event(in, k);
		const char *id = j >= 0 ? jsonrec_string(in->events[j].ev, "id") : NULL;
		if (id && strcmp(id, call_id) == 0 && cmd_carries(cmd, command))
			return 1;
	}
	return 0;
}

int64_t
inspect_emit_call(struct inspect *in, struct alibi_tool_call *tc)
{
	struct strbuf command = STRBUF_INIT;
	int ran = shell_command_from_tool_call(tc->name, tc->args_json, &command) &&
	          sandbox_ran(in, tc->call_id, sb_str(&command));
	sb_free(&command);
	return ran ? jsonrec_emit_tool_call_underived(&in->t, tc) : jsonrec_emit_tool_call(&in->t, tc);
}

static void
emit_sandbox(struct inspect *in, size_t k)
{
	struct ingest_sink *sink = in->t.sink;
	const cJSON *ev = in->events[k].ev;
	const char *action = jsonrec_string(ev, "action");
	const char *cmd = jsonrec_string(ev, "cmd");
	const char *file = jsonrec_string(ev, "file");
	const cJSON *result = cJSON_GetObjectItemCaseSensitive(ev, "result");
	struct alibi_op op;
	memset(&op, 0, sizeof op);
	op.ts = inspect_time(in, ev, "timestamp");
	op.port = -1;
	op.bytes = -1;
	op.derived = 1;   /* the harness's account, not a system log */
	op.ok = !cJSON_IsNumber(result) || result->valueint == 0;
	op.tool_call = sandbox_call(in, k);
	if (action && strcmp(action, "exec") == 0 && cmd) {
		op.kind = ALIBI_OP_exec;
		op.detail = cmd;
		op.raw = cmd;
		sink->op(sink->ctx, &op);
		const cJSON *options = cJSON_GetObjectItemCaseSensitive(ev, "options");
		struct derived_ctx dc = { sink, op.tool_call, op.ts, op.ok };
		shell_derive_ops(cmd, jsonrec_string(options, "cwd"), emit_derived, &dc);
	} else if (action && (strcmp(action, "read_file") == 0 || strcmp(action, "write_file") == 0) &&
	           file) {
		op.kind = action[0] == 'r' ? ALIBI_OP_open_read : ALIBI_OP_create;
		op.path = file;
		op.raw = file;
		sink->op(sink->ctx, &op);
	} else {
		sink->bad_record(sink->ctx, 0, "sandbox event without a known action and its command or file");
		return;
	}
	if (sink->record)
		sink->record(sink->ctx);
}

void
inspect_emit_events(struct inspect *in)
{
	for (size_t k = 0; k < in->nevents; k++) {
		const cJSON *ev = in->events[k].ev;
		if (is_event(ev, "tool")) {
			const char *id = jsonrec_string(ev, "id");
			int64_t row = inspect_call_row(in, id);
			in->events[k].call_row = row ? row : emit_tool_event(in, ev);
		} else if (is_event(ev, "sandbox")) {
			emit_sandbox(in, k);
		}
	}
}
