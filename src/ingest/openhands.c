/* openhands.c — OpenHands event streams: a JSON array of events, each an
 * action or an observation from the user, the agent or the environment.
 * An observation names the action it answers in "cause" (the action's
 * "id"), so tool calls take the action id as their call id and results
 * the cause.  Messages become messages; run, edit, write and read actions
 * become tool calls with the operations they imply; finish becomes the
 * agent's last message. */
#include <stdio.h>
#include <string.h>

#include "alibi/ingest.h"
#include "alibi/jsonrec.h"

struct openhands {
	struct jsonrec_transcript t;
	struct strbuf text;
	struct strbuf args;
	struct strbuf id;
	/* "\n<id>\n" for every action emitted as a tool call, so a result
	 * is attached only to a call that exists */
	struct strbuf calls;
};

/* ---- detection ---------------------------------------------------------------- */

struct survey {
	int records;
	int events;       /* "source" plus an "action" or "observation" string */
};

static int
survey_record(void *ctx, const cJSON *rec, int64_t line)
{
	struct survey *s = ctx;
	(void)line;
	s->records++;
	if (jsonrec_string(rec, "source") &&
	    (jsonrec_string(rec, "action") || jsonrec_string(rec, "observation")))
		s->events++;
	return s->records >= 200;
}

int
openhands_detect(const char *head, size_t len)
{
	struct survey s = { 0, 0 };
	struct jsonrec_handler h = { &s, survey_record, NULL };
	jsonrec_read_buffer(head, len, &h);
	if (s.records == 0) {
		/* one event longer than the head: judge by its first words */
		size_t first = jsonrec_first_record(head, len);
		if (first >= len || len - first < 8)
			return 0;
		const char *rest = head + first;
		return strstr(rest, "\"source\":") && strstr(rest, "\"action\":") &&
		       !strstr(rest, "\"role\":") ? 40 : 0;
	}
	return s.events * 2 > s.records ? 90 : 0;
}

/* ---- helpers ------------------------------------------------------------------- */

/* An id that is a number or a string, as text into out; 0 when neither. */
static int
id_text(const cJSON *v, struct strbuf *out)
{
	sb_reset(out);
	if (cJSON_IsString(v) && *v->valuestring) {
		sb_adds(out, v->valuestring);
		return 1;
	}
	if (cJSON_IsNumber(v)) {
		sb_addf(out, "%.17g", v->valuedouble);
		return 1;
	}
	return 0;
}

static int
known_call(struct openhands *o, const char *id)
{
	struct strbuf key = STRBUF_INIT;
	sb_addf(&key, "\n%s\n", id);
	int found = o->calls.len && strstr(sb_str(&o->calls), sb_str(&key)) != NULL;
	sb_free(&key);
	return found;
}

static const char *
role_of(const char *source)
{
	if (source && strcmp(source, "user") == 0)
		return "user";
	if (source && strcmp(source, "environment") == 0)
		return "system";
	return "assistant";
}

static int
nonempty(const char *s)
{
	return s && *s;
}

/* An operation the action implies, told by the event itself rather than
 * by a shell command. */
static void
emit_op(struct openhands *o, int64_t call, enum alibi_op_kind kind, const char *path,
        const char *raw, int64_t ts, int64_t line)
{
	struct alibi_op op;
	memset(&op, 0, sizeof op);
	op.ts = ts;
	op.kind = kind;
	op.path = path;
	op.port = -1;
	op.bytes = -1;
	op.ok = 1;
	op.derived = 1;
	op.tool_call = call;
	op.line = line;
	op.raw = raw;
	o->t.sink->op(o->t.sink->ctx, &op);
}

/* edit and write: a new file, or one changed in place. */
static enum alibi_op_kind
edit_kind(const cJSON *args, const char *action)
{
	const char *command = jsonrec_string(args, "command");
	const char *code = jsonrec_string(args, "translated_ipython_code");
	if (command && strcmp(command, "view") == 0)
		return ALIBI_OP_open_read;
	if ((command && strcmp(command, "create") == 0) || jsonrec_string(args, "file_text") ||
	    strcmp(action, "write") == 0 ||
	    (code && strstr(code, "'command': 'create'")))
		return ALIBI_OP_create;
	return ALIBI_OP_open_write;
}

/* ---- actions ---------------------------------------------------------------------- */

static void
emit_call(struct openhands *o, int64_t message, const char *name, const char *action,
          const cJSON *args, int64_t ts, int64_t line)
{
	sb_reset(&o->args);
	if (strcmp(action, "run") == 0) {
		/* only the command: the shell tool's arguments as alibi knows them */
		const char *command = jsonrec_string(args, "command");
		sb_adds(&o->args, "{\"command\":");
		sb_add_json_string(&o->args, command ? command : "");
		sb_addc(&o->args, '}');
	} else if (cJSON_IsObject(args)) {
		jsonrec_print(args, &o->args);
	} else {
		sb_adds(&o->args, "{}");
	}
	const char *call_id = o->id.len ? sb_str(&o->id) : NULL;
	struct alibi_tool_call tc = { message, call_id, name, sb_str(&o->args), NULL, ts, line };
	int64_t call = jsonrec_emit_tool_call(&o->t, &tc);
	if (call_id)
		sb_addf(&o->calls, "%s%s\n", o->calls.len ? "" : "\n", call_id);
	const char *path = jsonrec_string(args, "path");
	if (!nonempty(path))
		return;
	struct strbuf raw = STRBUF_INIT;
	sb_addf(&raw, "%s %s", action, path);
	if (strcmp(action, "read") == 0)
		emit_op(o, call, ALIBI_OP_open_read, path, sb_str(&raw), ts, line);
	else if (strcmp(action, "edit") == 0 || strcmp(action, "write") == 0)
		emit_op(o, call, edit_kind(args, action), path, sb_str(&raw), ts, line);
	sb_free(&raw);
}

/* finish: the final thought, and the outputs when there are any. */
static void
finish_text(const cJSON *rec, const cJSON *args, struct strbuf *text)
{
	const char *thought = jsonrec_string(args, "final_thought");
	if (!nonempty(thought))
		thought = jsonrec_string(args, "thought");
	if (!nonempty(thought))
		thought = jsonrec_string(rec, "message");
	jsonrec_add_text(text, thought);
	const cJSON *outputs = cJSON_GetObjectItemCaseSensitive(args, "outputs");
	if (outputs && !cJSON_IsNull(outputs) &&
	    !(cJSON_IsObject(outputs) && cJSON_GetArraySize(outputs) == 0)) {
		struct strbuf json = STRBUF_INIT;
		jsonrec_print(outputs, &json);
		if (text->len)
			sb_addc(text, '\n');
		sb_adds(text, "outputs: ");
		sb_adds(text, sb_str(&json));
		sb_free(&json);
	}
}

static void
on_action(struct openhands *o, const cJSON *rec, const char *action, int64_t ts, int64_t line)
{
	struct ingest_sink *sink = o->t.sink;
	const cJSON *args = cJSON_GetObjectItemCaseSensitive(rec, "args");
	const char *role = role_of(jsonrec_string(rec, "source"));
	sb_reset(&o->text);
	if (strcmp(action, "message") == 0 || strcmp(action, "system") == 0) {
		const char *content = jsonrec_string(args, "content");
		jsonrec_add_text(&o->text, nonempty(content) ? content : jsonrec_string(rec, "message"));
		struct alibi_message m = { ts, strcmp(action, "system") == 0 ? "system" : role,
		                           NULL, sb_str(&o->text), line };
		sink->message(sink->ctx, &m);
		return;
	}
	if (strcmp(action, "finish") == 0) {
		finish_text(rec, args, &o->text);
		struct alibi_message m = { ts, "assistant", NULL, sb_str(&o->text), line };
		sink->message(sink->ctx, &m);
		return;
	}
	/* the agent's thought is what it said while acting */
	jsonrec_add_text(&o->text, jsonrec_string(args, "thought"));
	struct alibi_message m = { ts, role, NULL, sb_str(&o->text), line };
	int64_t message = sink->message(sink->ctx, &m);
	const char *name = strcmp(action, "run") == 0 ? "bash" :
	                   strcmp(action, "write") == 0 ? "edit" : action;
	emit_call(o, message, name, action, args, ts, line);
}

/* ---- observations ------------------------------------------------------------------ */

static void
on_observation(struct openhands *o, const cJSON *rec, const char *observation, int64_t ts,
               int64_t line)
{
	struct ingest_sink *sink = o->t.sink;
	if (!id_text(cJSON_GetObjectItemCaseSensitive(rec, "cause"), &o->id) ||
	    !known_call(o, sb_str(&o->id)))
		return;   /* state changes and the like answer no tool call */
	const cJSON *extras = cJSON_GetObjectItemCaseSensitive(rec, "extras");
	const cJSON *exit_code = cJSON_GetObjectItemCaseSensitive(extras, "exit_code");
	const char *content = jsonrec_string(rec, "content");
	int is_error = strcmp(observation, "error") == 0 ||
	               (cJSON_IsNumber(exit_code) && exit_code->valuedouble != 0);
	struct alibi_tool_result r = {
		sb_str(&o->id), content ? content : "", is_error, ts, line
	};
	sink->tool_result(sink->ctx, &r);
}

/* ---- records ------------------------------------------------------------------------ */

static int
on_record(void *ctx, const cJSON *rec, int64_t line)
{
	struct openhands *o = ctx;
	struct ingest_sink *sink = o->t.sink;
	const char *action = jsonrec_string(rec, "action");
	const char *observation = jsonrec_string(rec, "observation");
	if (!action && !observation) {
		sink->bad_record(sink->ctx, line, "event has neither \"action\" nor \"observation\"");
		return 0;
	}
	int64_t ts = jsonrec_timestamp(&o->t, rec);
	if (action) {
		id_text(cJSON_GetObjectItemCaseSensitive(rec, "id"), &o->id);
		on_action(o, rec, action, ts, line);
	} else {
		on_observation(o, rec, observation, ts, line);
	}
	if (sink->record)
		sink->record(sink->ctx);
	return 0;
}

static void
on_bad(void *ctx, int64_t line, const char *problem)
{
	struct openhands *o = ctx;
	o->t.sink->bad_record(o->t.sink->ctx, line, problem);
}

int
openhands_parse(const struct ingest_input *in, struct ingest_sink *sink, struct alibi_error *err)
{
	struct openhands o;
	memset(&o, 0, sizeof o);
	jsonrec_transcript_init(&o.t, sink);
	struct jsonrec_handler h = { &o, on_record, on_bad };
	int rc = jsonrec_read(in, &h, err);
	jsonrec_transcript_finish(&o.t);
	sb_free(&o.text);
	sb_free(&o.args);
	sb_free(&o.id);
	sb_free(&o.calls);
	return rc;
}
