/* claudecode.c — Claude Code session logs: JSON lines, one entry a line,
 * {"type": "user"|"assistant"|"system"|"summary"|..., "timestamp", "uuid",
 * "parentUuid", "isSidechain", "sessionId", "cwd", "message": {role,
 * content}}, where content is text or Anthropic blocks.  Sidechain entries
 * (a subagent's work) are kept, under the agent "sidechain" or the entry's
 * agent id.  The file tools (Write, Edit, MultiEdit, NotebookEdit, Read)
 * imply operations on their files, as Bash commands do. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/ingest.h"
#include "alibi/jsonrec.h"

struct claudecode {
	struct jsonrec_transcript t;
	struct strbuf text;
	struct strbuf args;
	struct strbuf path;
};

/* ---- detection ------------------------------------------------------------- */

struct cc_survey {
	int records;
	int entries;   /* session entries: "type" with "uuid"/"sessionId", or summaries */
	int nested;    /* "type" with a nested "message" object */
};

static int
has_member(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key) != NULL;
}

static int
survey_record(void *ctx, const cJSON *rec, int64_t line)
{
	struct cc_survey *s = ctx;
	const char *type = jsonrec_string(rec, "type");
	(void)line;
	s->records++;
	if (type && cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(rec, "message")))
		s->nested++;
	if (type && ((has_member(rec, "uuid") && has_member(rec, "sessionId")) ||
	             (strcmp(type, "summary") == 0 && has_member(rec, "leafUuid"))))
		s->entries++;
	return s->records >= 200;
}

static int
head_has(const char *head, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t k = 0; k + n <= len; k++)
		if (head[k] == needle[0] && memcmp(head + k, needle, n) == 0)
			return 1;
	return 0;
}

int
claudecode_detect(const char *head, size_t len)
{
	struct cc_survey s = { 0, 0, 0 };
	struct jsonrec_handler h = { &s, survey_record, NULL };
	jsonrec_read_buffer(head, len, &h);
	if (s.records == 0) {
		/* one entry longer than the head: its first keys still show */
		size_t first = jsonrec_first_record(head, len);
		size_t n = len - first < 4096 ? len - first : 4096;
		return first < len && head_has(head + first, n, "\"parentUuid\"") &&
		       head_has(head + first, n, "\"sessionId\"") ? 60 : 0;
	}
	if (s.entries * 2 > s.records)
		return 90;
	return s.nested * 2 > s.records ? 40 : 0;
}

/* ---- file tools -------------------------------------------------------------- */

static int
is_type(const char *type, const char *want)
{
	return type && strcmp(type, want) == 0;
}

/* The op a file tool implies, or -1 for other tools. */
static int
file_tool_op(const char *name, const char **key)
{
	*key = "file_path";
	if (is_type(name, "Write"))
		return ALIBI_OP_create;
	if (is_type(name, "Edit") || is_type(name, "MultiEdit"))
		return ALIBI_OP_open_write;
	if (is_type(name, "Read"))
		return ALIBI_OP_open_read;
	*key = "notebook_path";
	if (is_type(name, "NotebookEdit"))
		return ALIBI_OP_open_write;
	return -1;
}

static void
emit_file_op(struct claudecode *c, const cJSON *input, const char *name, int64_t call,
             int64_t ts, int64_t line)
{
	const char *key;
	int kind = file_tool_op(name, &key);
	const char *file = jsonrec_string(input, key);
	if (kind < 0 || !file || !*file)
		return;
	sb_reset(&c->path);
	if (file[0] != '/' && c->t.cwd.len) {
		sb_add(&c->path, c->t.cwd.buf, c->t.cwd.len);
		if (c->t.cwd.buf[c->t.cwd.len - 1] != '/')
			sb_addc(&c->path, '/');
	}
	sb_adds(&c->path, file);
	struct alibi_op op;
	memset(&op, 0, sizeof op);
	op.ts = ts;
	op.kind = (enum alibi_op_kind)kind;
	op.path = sb_str(&c->path);
	op.port = -1;
	op.bytes = -1;
	op.ok = 1;
	op.detail = name;
	op.derived = 1;
	op.tool_call = call;
	op.line = line;
	op.raw = sb_str(&c->args);
	c->t.sink->op(c->t.sink->ctx, &op);
}

/* ---- blocks ------------------------------------------------------------------ */

static void
result_text(const cJSON *content, struct strbuf *out)
{
	const cJSON *block, *list = cJSON_IsArray(content) ? content : NULL;
	if (cJSON_IsString(content))
		sb_adds(out, content->valuestring);
	cJSON_ArrayForEach(block, list) {
		if (cJSON_IsString(block))
			jsonrec_add_text(out, block->valuestring);
		else if (jsonrec_string(block, "text"))
			jsonrec_add_text(out, jsonrec_string(block, "text"));
		else if (jsonrec_string(block, "type"))
			jsonrec_add_text(out, "[image]");
	}
}

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
	}
}

static void
emit_tool_use(struct claudecode *c, const cJSON *block, int64_t message, int64_t ts,
              int64_t line)
{
	const char *name = jsonrec_string(block, "name");
	if (!name) {
		c->t.sink->bad_record(c->t.sink->ctx, line, "tool_use block has no name; call skipped");
		return;
	}
	const cJSON *input = cJSON_GetObjectItemCaseSensitive(block, "input");
	sb_reset(&c->args);
	if (input)
		jsonrec_print(input, &c->args);
	else
		sb_adds(&c->args, "{}");
	struct alibi_tool_call tc = {
		message, jsonrec_string(block, "id"), name, sb_str(&c->args), NULL, ts, line
	};
	int64_t call = jsonrec_emit_tool_call(&c->t, &tc);
	emit_file_op(c, input, name, call, ts, line);
}

static void
emit_tool_result(struct claudecode *c, const cJSON *block, const char *agent, int64_t ts,
                 int64_t line)
{
	struct ingest_sink *sink = c->t.sink;
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

static void
emit_blocks(struct claudecode *c, const cJSON *content, const char *role, const char *agent,
            int64_t ts, int64_t line)
{
	int tool_uses = 0, tool_results = 0;
	const cJSON *block;
	sb_reset(&c->text);
	cJSON_ArrayForEach(block, content) {
		const char *type = jsonrec_string(block, "type");
		if (is_type(type, "tool_result"))
			tool_results++;
		else if (is_type(type, "tool_use"))
			tool_uses++;
		else
			block_text(block, &c->text);
	}
	cJSON_ArrayForEach(block, content)
		if (is_type(jsonrec_string(block, "type"), "tool_result"))
			emit_tool_result(c, block, agent, ts, line);
	int64_t message = 0;
	if (c->text.len || tool_uses || !tool_results) {
		struct alibi_message m = { ts, role, agent, sb_str(&c->text), line };
		message = c->t.sink->message(c->t.sink->ctx, &m);
	}
	cJSON_ArrayForEach(block, content)
		if (is_type(jsonrec_string(block, "type"), "tool_use"))
			emit_tool_use(c, block, message, ts, line);
}

/* ---- entries ------------------------------------------------------------------- */

static void
emit_text(struct claudecode *c, const char *role, const char *agent, const char *text,
          int64_t ts, int64_t line)
{
	struct alibi_message m = { ts, role, agent, text ? text : "", line };
	c->t.sink->message(c->t.sink->ctx, &m);
}

/* A user or assistant entry: its message, as the Messages API has it. */
static int
emit_message(struct claudecode *c, const cJSON *rec, const char *type, int64_t ts,
             int64_t line)
{
	const cJSON *msg = cJSON_GetObjectItemCaseSensitive(rec, "message");
	if (!cJSON_IsObject(msg))
		return -1;
	const char *role = jsonrec_string(msg, "role");
	const cJSON *content = cJSON_GetObjectItemCaseSensitive(msg, "content");
	const char *agent = NULL;
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, "isSidechain"))) {
		agent = jsonrec_string(rec, "agentId");
		if (!agent)
			agent = "sidechain";
	} else if (is_type(type, "assistant")) {
		agent = jsonrec_string(msg, "model");
	}
	if (!role || !*role)
		role = type;
	if (cJSON_IsArray(content))
		emit_blocks(c, content, role, agent, ts, line);
	else if (cJSON_IsString(content) || !content || cJSON_IsNull(content))
		emit_text(c, role, agent, cJSON_IsString(content) ? content->valuestring : "", ts, line);
	else
		return -1;
	return 0;
}

static int
on_record(void *ctx, const cJSON *rec, int64_t line)
{
	struct claudecode *c = ctx;
	struct ingest_sink *sink = c->t.sink;
	const char *type = jsonrec_string(rec, "type");
	const char *cwd = jsonrec_string(rec, "cwd");
	if (!type || !*type) {
		sink->bad_record(sink->ctx, line, "entry has no \"type\"");
		return 0;
	}
	if (cwd && cwd[0] == '/') {
		/* the session's own record of where its shell stood */
		sb_reset(&c->t.cwd);
		sb_adds(&c->t.cwd, cwd);
	}
	int64_t ts = jsonrec_timestamp(&c->t, rec);
	if (is_type(type, "user") || is_type(type, "assistant")) {
		if (emit_message(c, rec, type, ts, line) != 0) {
			sink->bad_record(sink->ctx, line, "entry's \"message\" is not a message");
			return 0;
		}
	} else if (is_type(type, "summary")) {
		emit_text(c, "system", NULL, jsonrec_string(rec, "summary"), ts, line);
	} else if (is_type(type, "system")) {
		emit_text(c, "system", NULL, jsonrec_string(rec, "content"), ts, line);
	}
	/* other entries (file-history snapshots, queue operations...) say nothing */
	if (sink->record)
		sink->record(sink->ctx);
	return 0;
}

static void
on_bad(void *ctx, int64_t line, const char *problem)
{
	struct claudecode *c = ctx;
	c->t.sink->bad_record(c->t.sink->ctx, line, problem);
}

int
claudecode_parse(const struct ingest_input *in, struct ingest_sink *sink,
                 struct alibi_error *err)
{
	struct claudecode c;
	memset(&c, 0, sizeof c);
	jsonrec_transcript_init(&c.t, sink);
	struct jsonrec_handler h = { &c, on_record, on_bad };
	int rc = jsonrec_read(in, &h, err);
	jsonrec_transcript_finish(&c.t);
	sb_free(&c.text);
	sb_free(&c.args);
	sb_free(&c.path);
	return rc;
}
