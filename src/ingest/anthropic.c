/* anthropic.c — Anthropic Messages: {role, content} where content is text
 * or a list of blocks (text, thinking, tool_use, tool_result, image...),
 * in a JSON array, JSON lines or a request body {"system", "messages"}. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/ingest.h"
#include "alibi/jsonrec.h"

struct anthropic {
	struct jsonrec_transcript t;
	struct strbuf text;
	struct strbuf args;
};

/* ---- detection ------------------------------------------------------------- */

int
anthropic_detect(const char *head, size_t len)
{
	struct jsonrec_survey s;
	jsonrec_survey(head, len, &s);
	if (s.records == 0)
		return !s.cut_role ? 0 : s.anthropic_marks > s.openai_marks ? 60 :
		       s.openai_marks ? 10 : 30;
	if (s.with_role * 2 <= s.records || s.nested_message * 2 >= s.records)
		return 0;
	if (s.anthropic_marks > s.openai_marks)
		return 95;
	if (s.openai_marks > s.anthropic_marks)
		return 10;
	if (s.text_blocks > s.string_content)
		return 70;
	return 40;
}

/* ---- blocks ------------------------------------------------------------------ */

static int
is_type(const char *type, const char *want)
{
	return type && strcmp(type, want) == 0;
}

/* A tool_result's content: a string or a list of text and image blocks. */
static void
result_text(const cJSON *content, struct strbuf *out)
{
	if (cJSON_IsString(content)) {
		sb_adds(out, content->valuestring);
		return;
	}
	const cJSON *block, *list = cJSON_IsArray(content) ? content : NULL;
	cJSON_ArrayForEach(block, list) {
		const char *type = jsonrec_string(block, "type");
		if (cJSON_IsString(block))
			jsonrec_add_text(out, block->valuestring);
		else if (jsonrec_string(block, "text"))
			jsonrec_add_text(out, jsonrec_string(block, "text"));
		else if (type)
			jsonrec_add_text(out, is_type(type, "image") ? "[image]" : "[document]");
	}
}

/* Adds what a reader sees of one block to text; tool blocks are emitted
 * separately. */
static void
block_text(const cJSON *block, struct strbuf *text)
{
	const char *type = jsonrec_string(block, "type");
	if (cJSON_IsString(block)) {
		jsonrec_add_text(text, block->valuestring);
	} else if (is_type(type, "text")) {
		jsonrec_add_text(text, jsonrec_string(block, "text"));
	} else if (is_type(type, "thinking")) {
		const char *thinking = jsonrec_string(block, "thinking");
		if (text->len)
			sb_addc(text, '\n');
		sb_adds(text, "[thinking] ");
		sb_adds(text, thinking ? thinking : "");
		sb_adds(text, "\n[/thinking]");
	} else if (is_type(type, "image")) {
		jsonrec_add_text(text, "[image]");
	} else if (is_type(type, "document")) {
		jsonrec_add_text(text, "[document]");
	}
	/* redacted_thinking carries nothing readable; tool blocks are calls */
}

static int
is_tool_use(const char *type)
{
	return is_type(type, "tool_use") || is_type(type, "server_tool_use");
}

static int
is_tool_result(const cJSON *block)
{
	const char *type = jsonrec_string(block, "type");
	size_t n = type ? strlen(type) : 0;
	return n >= 11 && strcmp(type + n - 11, "tool_result") == 0;
}

static void
emit_tool_use(struct anthropic *a, const cJSON *block, int64_t message, int64_t ts,
              int64_t line)
{
	const char *name = jsonrec_string(block, "name");
	if (!name) {
		a->t.sink->bad_record(a->t.sink->ctx, line, "tool_use block has no name; call skipped");
		return;
	}
	const cJSON *input = cJSON_GetObjectItemCaseSensitive(block, "input");
	sb_reset(&a->args);
	if (input)
		jsonrec_print(input, &a->args);
	else
		sb_adds(&a->args, "{}");
	struct alibi_tool_call tc = {
		message, jsonrec_string(block, "id"), name, sb_str(&a->args), NULL, ts, line
	};
	jsonrec_emit_tool_call(&a->t, &tc);
}

/* A tool_result is the tool speaking: a "tool" message and the result
 * attached to its call. */
static void
emit_tool_result(struct anthropic *a, const cJSON *block, const char *agent, int64_t ts,
                 int64_t line)
{
	struct ingest_sink *sink = a->t.sink;
	struct strbuf text = STRBUF_INIT;
	result_text(cJSON_GetObjectItemCaseSensitive(block, "content"), &text);
	struct alibi_message m = { ts, "tool", agent, sb_str(&text), line };
	sink->message(sink->ctx, &m);
	struct alibi_tool_result r = {
		jsonrec_string(block, "tool_use_id"), sb_str(&text),
		cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(block, "is_error")), ts, line
	};
	sink->tool_result(sink->ctx, &r);
	sb_free(&text);
}

/* ---- records --------------------------------------------------------------------- */

static void
emit_blocks(struct anthropic *a, const cJSON *content, const char *role, const char *agent,
            int64_t ts, int64_t line)
{
	struct ingest_sink *sink = a->t.sink;
	int tool_uses = 0, tool_results = 0;   /* counted first: the message goes before its calls */
	const cJSON *block;
	sb_reset(&a->text);
	cJSON_ArrayForEach(block, content) {
		if (is_tool_result(block))
			tool_results++;
		else if (is_tool_use(jsonrec_string(block, "type")))
			tool_uses++;
		else
			block_text(block, &a->text);
	}
	/* results first: the API puts them at the head of the user turn */
	cJSON_ArrayForEach(block, content)
		if (is_tool_result(block))
			emit_tool_result(a, block, agent, ts, line);
	int64_t message = 0;
	if (a->text.len || tool_uses || !tool_results) {
		struct alibi_message m = { ts, role, agent, sb_str(&a->text), line };
		message = sink->message(sink->ctx, &m);
	}
	cJSON_ArrayForEach(block, content)
		if (is_tool_use(jsonrec_string(block, "type")))
			emit_tool_use(a, block, message, ts, line);
}

static int
on_record(void *ctx, const cJSON *rec, int64_t line)
{
	struct anthropic *a = ctx;
	struct ingest_sink *sink = a->t.sink;
	const char *role = jsonrec_string(rec, "role");
	const cJSON *content = cJSON_GetObjectItemCaseSensitive(rec, "content");
	if (!role || !*role) {
		sink->bad_record(sink->ctx, line, "message has no \"role\"");
		return 0;
	}
	if (content && !cJSON_IsString(content) && !cJSON_IsArray(content) && !cJSON_IsNull(content)) {
		sink->bad_record(sink->ctx, line, "\"content\" is neither text nor a list of blocks");
		return 0;
	}
	int64_t ts = jsonrec_timestamp(&a->t, rec);
	const char *agent = jsonrec_string(rec, "model");
	if (!agent)
		agent = jsonrec_string(rec, "name");
	if (cJSON_IsArray(content)) {
		emit_blocks(a, content, role, agent, ts, line);
	} else {
		const char *text = cJSON_IsString(content) ? content->valuestring : "";
		struct alibi_message m = { ts, role, agent, text, line };
		sink->message(sink->ctx, &m);
	}
	if (sink->record)
		sink->record(sink->ctx);
	return 0;
}

static void
on_bad(void *ctx, int64_t line, const char *problem)
{
	struct anthropic *a = ctx;
	a->t.sink->bad_record(a->t.sink->ctx, line, problem);
}

int
anthropic_parse(const struct ingest_input *in, struct ingest_sink *sink,
                struct alibi_error *err)
{
	struct anthropic a;
	memset(&a, 0, sizeof a);
	jsonrec_transcript_init(&a.t, sink);
	struct jsonrec_handler h = { &a, on_record, on_bad };
	int rc = jsonrec_read(in, &h, err);
	jsonrec_transcript_finish(&a.t);
	sb_free(&a.text);
	sb_free(&a.args);
	return rc;
}
