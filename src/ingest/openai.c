/* openai.c — OpenAI chat messages: {role, content, tool_calls}, tool
 * results as role "tool" messages, the older function_call / role
 * "function" pair, in a JSON array, JSON lines or {"messages": [...]}. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "alibi/ingest.h"
#include "alibi/jsonrec.h"

struct openai {
	struct jsonrec_transcript t;
	struct strbuf text;
	struct strbuf args;
	/* function_call has no id: one is made up so the result that
	 * follows (role "function") attaches to it */
	struct strbuf function_id;
	struct strbuf function_name;
};

/* ---- detection ------------------------------------------------------------- */

int
openai_detect(const char *head, size_t len)
{
	struct jsonrec_survey s;
	jsonrec_survey(head, len, &s);
	if (s.records == 0)
		return !s.cut_role ? 0 : s.anthropic_marks > s.openai_marks ? 20 :
		       s.openai_marks ? 60 : 40;
	/* most records must be messages; session logs nest them */
	if (s.with_role * 2 <= s.records || s.nested_message * 2 >= s.records)
		return 0;
	if (s.openai_marks > s.anthropic_marks)
		return 95;
	if (s.anthropic_marks > s.openai_marks)
		return 15;
	if (s.text_blocks > s.string_content)
		return 45;
	return 50;
}

/* ---- members ----------------------------------------------------------------- */

/* The members of a message read here, found in one pass over it: each
 * would otherwise be looked up by name, a dozen walks of every message.
 * A repeated key gives its first member, as cJSON_GetObjectItemCaseSensitive()
 * does, which also stops at a member without a name. */
struct fields {
	const cJSON *role, *content, *reasoning_content, *reasoning, *refusal, *model, *name;
	const cJSON *tool_calls, *function_call, *tool_call_id, *is_error;
};

static void
find_fields(const cJSON *rec, struct fields *f)
{
	static const struct { const char *key; size_t at; } keys[] = {
		{ "role", offsetof(struct fields, role) },
		{ "content", offsetof(struct fields, content) },
		{ "reasoning_content", offsetof(struct fields, reasoning_content) },
		{ "reasoning", offsetof(struct fields, reasoning) },
		{ "refusal", offsetof(struct fields, refusal) },
		{ "model", offsetof(struct fields, model) },
		{ "name", offsetof(struct fields, name) },
		{ "tool_calls", offsetof(struct fields, tool_calls) },
		{ "function_call", offsetof(struct fields, function_call) },
		{ "tool_call_id", offsetof(struct fields, tool_call_id) },
		{ "is_error", offsetof(struct fields, is_error) },
	};
	memset(f, 0, sizeof *f);
	for (const cJSON *m = rec->child; m && m->string; m = m->next) {
		for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
			if (m->string[0] != keys[k].key[0] || strcmp(m->string, keys[k].key) != 0)
				continue;
			const cJSON **slot = (const cJSON **)(void *)((char *)f + keys[k].at);
			if (!*slot)
				*slot = m;
			break;
		}
	}
}

static const char *
string_of(const cJSON *item)
{
	return cJSON_IsString(item) ? item->valuestring : NULL;
}

/* ---- content ----------------------------------------------------------------- */

/* A content part: {"type": "text", "text": ...}, an image, a refusal... */
static void
add_part(struct strbuf *text, const cJSON *part)
{
	if (cJSON_IsString(part)) {
		jsonrec_add_text(text, part->valuestring);
		return;
	}
	const char *type = jsonrec_string(part, "type");
	const char *s = jsonrec_string(part, "text");
	if (!s)
		s = jsonrec_string(part, "refusal");
	if (s) {
		jsonrec_add_text(text, s);
	} else if (type && (strstr(type, "image") || strstr(type, "audio") || strstr(type, "file"))) {
		char mark[40];
		snprintf(mark, sizeof mark, "[%s]", strstr(type, "image") ? "image" :
		         strstr(type, "audio") ? "audio" : "file");
		jsonrec_add_text(text, mark);
	} else if (type) {
		char mark[80];
		snprintf(mark, sizeof mark, "[%.60s]", type);
		jsonrec_add_text(text, mark);
	}
}

/* The message's visible text; 0 when content has a shape no message has. */
static int
message_text(const struct fields *f, struct strbuf *text)
{
	const cJSON *content = f->content;
	const char *reasoning = string_of(f->reasoning_content);
	if (!reasoning)
		reasoning = string_of(f->reasoning);
	if (reasoning && *reasoning) {
		sb_adds(text, "[thinking] ");
		sb_adds(text, reasoning);
		sb_adds(text, "\n[/thinking]");
	}
	if (cJSON_IsString(content)) {
		jsonrec_add_text(text, content->valuestring);
	} else if (cJSON_IsArray(content)) {
		const cJSON *part;
		cJSON_ArrayForEach(part, content)
			add_part(text, part);
	} else if (cJSON_IsObject(content)) {
		add_part(text, content);
	} else if (content && !cJSON_IsNull(content)) {
		return 0;
	}
	jsonrec_add_text(text, string_of(f->refusal));
	return 1;
}

/* ---- tool calls -------------------------------------------------------------- */

/* arguments is a JSON text inside a string: compact it when it parses,
 * else keep the text as a JSON string so the field stays valid JSON. */
static void
arguments_json(const cJSON *arguments, struct strbuf *out)
{
	if (cJSON_IsString(arguments)) {
		cJSON *parsed = cJSON_Parse(arguments->valuestring);
		if (parsed)
			jsonrec_print(parsed, out);
		else
			sb_add_json_string(out, arguments->valuestring);
		cJSON_Delete(parsed);
	} else if (arguments && !cJSON_IsNull(arguments)) {
		jsonrec_print(arguments, out);
	} else {
		sb_adds(out, "{}");
	}
}

static void
emit_call(struct openai *o, int64_t message, const char *call_id, const char *name,
          const cJSON *arguments, int64_t ts, int64_t line)
{
	sb_reset(&o->args);
	arguments_json(arguments, &o->args);
	struct alibi_tool_call tc = {
		message, call_id, name, sb_str(&o->args), NULL, ts, line
	};
	jsonrec_emit_tool_call(&o->t, &tc);
}

static void
emit_tool_calls(struct openai *o, const struct fields *f, int64_t message, int64_t ts,
                int64_t line)
{
	const cJSON *calls = f->tool_calls;
	const cJSON *call, *list = cJSON_IsArray(calls) ? calls : NULL;
	int k = 0;
	cJSON_ArrayForEach(call, list) {
		const cJSON *fn = cJSON_GetObjectItemCaseSensitive(call, "function");
		const cJSON *custom = cJSON_GetObjectItemCaseSensitive(call, "custom");
		const char *name = jsonrec_string(fn, "name");
		const cJSON *args = cJSON_GetObjectItemCaseSensitive(fn, "arguments");
		if (!name && custom) {   /* free-form tools: {"custom": {name, input}} */
			name = jsonrec_string(custom, "name");
			args = cJSON_GetObjectItemCaseSensitive(custom, "input");
		}
		if (!cJSON_IsObject(call) || !name) {
			char problem[80];
			snprintf(problem, sizeof problem, "tool_calls[%d] has no function name; call skipped", k);
			o->t.sink->bad_record(o->t.sink->ctx, line, problem);
		} else {
			emit_call(o, message, jsonrec_string(call, "id"), name, args, ts, line);
		}
		k++;
	}
	const cJSON *fc = f->function_call;
	const char *name = jsonrec_string(fc, "name");
	if (name) {
		sb_reset(&o->function_id);
		sb_addf(&o->function_id, "function_call@%lld", (long long)line);
		sb_reset(&o->function_name);
		sb_adds(&o->function_name, name);
		emit_call(o, message, sb_str(&o->function_id), name,
		          cJSON_GetObjectItemCaseSensitive(fc, "arguments"), ts, line);
	}
}

static void
emit_tool_result(struct openai *o, const struct fields *f, const char *role, const char *text,
                 int64_t ts, int64_t line)
{
	const char *call_id = string_of(f->tool_call_id);
	if (!call_id && strcmp(role, "function") == 0 && o->function_id.len) {
		const char *name = string_of(f->name);
		if (!name || strcmp(name, sb_str(&o->function_name)) == 0)
			call_id = sb_str(&o->function_id);
	}
	const cJSON *is_error = f->is_error;
	struct alibi_tool_result r = { call_id, text, cJSON_IsTrue(is_error), ts, line };
	o->t.sink->tool_result(o->t.sink->ctx, &r);
}

/* ---- records ------------------------------------------------------------------- */

static const char *
normal_role(const char *role)
{
	if (strcmp(role, "developer") == 0)
		return "system";
	if (strcmp(role, "function") == 0)
		return "tool";
	return role;
}

static int
on_record(void *ctx, const cJSON *rec, int64_t line)
{
	struct openai *o = ctx;
	struct ingest_sink *sink = o->t.sink;
	struct fields f;
	find_fields(rec, &f);
	const char *role = string_of(f.role);
	if (!role || !*role) {
		sink->bad_record(sink->ctx, line, "message has no \"role\"");
		return 0;
	}
	sb_reset(&o->text);
	if (!message_text(&f, &o->text)) {
		sink->bad_record(sink->ctx, line, "\"content\" is neither text nor a list of parts");
		return 0;
	}
	int64_t ts = jsonrec_timestamp(&o->t, rec);
	const char *agent = string_of(f.model);
	if (strcmp(normal_role(role), "tool") != 0 && string_of(f.name))
		agent = string_of(f.name);   /* a tool message's name is the tool's */
	struct alibi_message m = { ts, normal_role(role), agent, sb_str(&o->text), line };
	int64_t id = sink->message(sink->ctx, &m);
	if (strcmp(m.role, "tool") == 0)
		emit_tool_result(o, &f, role, sb_str(&o->text), ts, line);
	else
		emit_tool_calls(o, &f, id, ts, line);
	if (sink->record)
		sink->record(sink->ctx);
	return 0;
}

static void
on_bad(void *ctx, int64_t line, const char *problem)
{
	struct openai *o = ctx;
	o->t.sink->bad_record(o->t.sink->ctx, line, problem);
}

int
openai_parse(const struct ingest_input *in, struct ingest_sink *sink, struct alibi_error *err)
{
	struct openai o;
	memset(&o, 0, sizeof o);
	jsonrec_transcript_init(&o.t, sink);
	struct jsonrec_handler h = { &o, on_record, on_bad };
	int rc = jsonrec_read(in, &h, err);
	jsonrec_transcript_finish(&o.t);
	sb_free(&o.text);
	sb_free(&o.args);
	sb_free(&o.function_id);
	sb_free(&o.function_name);
	return rc;
}
