/* jsonrec_emit.c — what the chat transcript parsers share: surveying a
 * head for detection, times, and emitting tool calls with the operations
 * their shell commands imply (see alibi/jsonrec.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/jsonrec.h"
#include "alibi/shellcmd.h"
#include "alibi/timeparse.h"

/* ---- detection ---------------------------------------------------------- */

/* Enough records to judge by; the rest of the head is not needed. */
#define SURVEY_RECORDS 200

static int
is_one_of(const char *s, const char *const *list)
{
	for (size_t k = 0; s && list[k]; k++)
		if (strcmp(s, list[k]) == 0)
			return 1;
	return 0;
}

static void
survey_content(struct jsonrec_survey *s, const cJSON *content)
{
	static const char *const anthropic_types[] = {
		"tool_use", "tool_result", "thinking", "redacted_thinking",
		"server_tool_use", "web_search_tool_result", "document", NULL
	};
	static const char *const openai_types[] = {
		"image_url", "input_text", "output_text", "input_audio", "input_image",
		"refusal", "input_file", NULL
	};
	if (cJSON_IsString(content)) {
		s->string_content++;
		return;
	}
	if (!cJSON_IsArray(content) || cJSON_GetArraySize(content) == 0)
		return;
	int only_text = 1;
	const cJSON *block;
	cJSON_ArrayForEach(block, content) {
		const char *type = jsonrec_string(block, "type");
		if (is_one_of(type, anthropic_types) ||
		    (type && strcmp(type, "image") == 0 && cJSON_GetObjectItemCaseSensitive(block, "source")))
			s->anthropic_marks++;
		else if (is_one_of(type, openai_types))
			s->openai_marks++;
		if (!type || strcmp(type, "text") != 0)
			only_text = 0;
	}
	s->text_blocks += only_text;
}

static int
survey_record(void *ctx, const cJSON *rec, int64_t line)
{
	struct jsonrec_survey *s = ctx;
	static const char *const openai_roles[] = { "tool", "function", "developer", NULL };
	(void)line;
	s->records++;
	const char *role = jsonrec_string(rec, "role");
	if (jsonrec_string(rec, "type") && cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(rec, "message")))
		s->nested_message++;
	if (role) {
		s->with_role++;
		s->openai_marks += is_one_of(role, openai_roles);
		s->openai_marks += cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(rec, "tool_calls")) ||
		                   cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(rec, "function_call")) ||
		                   cJSON_GetObjectItemCaseSensitive(rec, "tool_call_id") != NULL;
		survey_content(s, cJSON_GetObjectItemCaseSensitive(rec, "content"));
	}
	return s->records >= SURVEY_RECORDS;
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

/* The object at buf has member key among its first members (only the
 * first 4 KiB are looked at: "role" comes before long contents). */
static int
has_top_level_key(const char *buf, size_t len, const char *key)
{
	size_t n = strlen(key), end = len < 4096 ? len : 4096;
	int depth = 0;
	for (size_t p = 0; p < end; p++) {
		char ch = buf[p];
		if (ch == '{' || ch == '[') {
			depth++;
		} else if (ch == '}' || ch == ']') {
			if (--depth <= 0)
				return 0;
		} else if (ch == '"') {
			size_t start = ++p;
			while (p < end && buf[p] != '"')
				p += buf[p] == '\\' ? 2 : 1;
			if (p >= end)
				return 0;
			size_t q = p + 1;
			while (q < end && strchr(" \t\r\n", buf[q]))
				q++;
			if (depth == 1 && q < end && buf[q] == ':' && p - start == n &&
			    memcmp(buf + start, key, n) == 0)
				return 1;
		}
	}
	return 0;
}

void
jsonrec_survey(const char *head, size_t len, struct jsonrec_survey *s)
{
	struct jsonrec_handler h = { s, survey_record, NULL };
	memset(s, 0, sizeof *s);
	jsonrec_read_buffer(head, len, &h);
	if (s->records)
		return;
	/* one record longer than the head: judge by the words it shows */
	size_t first = jsonrec_first_record(head, len);
	if (first >= len)
		return;
	s->cut_role = has_top_level_key(head + first, len - first, "role");
	if (!s->cut_role)
		return;
	s->openai_marks = head_has(head, len, "\"tool_calls\"") + head_has(head, len, "\"tool_call_id\"");
	s->anthropic_marks = head_has(head, len, "\"tool_use\"") + head_has(head, len, "\"tool_result\"");
}

/* ---- emitting ------------------------------------------------------------- */

const char *
jsonrec_string(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

void
jsonrec_print(const cJSON *item, struct strbuf *out)
{
	char *text = cJSON_PrintUnformatted(item);
	sb_adds(out, text ? text : "null");
	cJSON_free(text);
}

void
jsonrec_add_text(struct strbuf *sb, const char *text)
{
	if (!text)
		return;
	if (sb->len)
		sb_addc(sb, '\n');
	sb_adds(sb, text);
}

void
jsonrec_transcript_init(struct jsonrec_transcript *t, struct ingest_sink *sink)
{
	t->sink = sink;
	sb_init(&t->cwd);
	t->any_ts = 0;
}

void
jsonrec_transcript_finish(struct jsonrec_transcript *t)
{
	if (t->sink->clock)
		t->sink->clock(t->sink->ctx, t->any_ts ? ALIBI_CLOCK_EPOCH : ALIBI_CLOCK_NONE);
	sb_free(&t->cwd);
}

/* Epoch seconds, milliseconds, microseconds or nanoseconds, told apart by
 * size (seconds reach 1e11 only in the year 5138). */
static int64_t
epoch_number(double v)
{
	if (!isfinite(v) || v <= 0 || v >= 9e18)
		return ALIBI_TS_NONE;
	if (v < 1e11)
		return (int64_t)llround(v * 1e6);
	if (v < 1e14)
		return (int64_t)llround(v * 1e3);
	if (v < 1e17)
		return (int64_t)llround(v);
	return (int64_t)llround(v / 1e3);
}

int64_t
jsonrec_timestamp(struct jsonrec_transcript *t, const cJSON *rec)
{
	static const char *const keys[] = { "timestamp", "created_at", "created", NULL };
	int64_t ts = ALIBI_TS_NONE;
	for (size_t k = 0; keys[k] && ts == ALIBI_TS_NONE; k++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, keys[k]);
		if (cJSON_IsNumber(v)) {
			ts = epoch_number(v->valuedouble);
		} else if (cJSON_IsString(v)) {
			ts = time_parse_iso8601(v->valuestring);
			if (ts == ALIBI_TS_NONE) {
				char *end = NULL;
				double d = strtod(v->valuestring, &end);
				if (end != v->valuestring && *end == '\0')
					ts = epoch_number(d);
			}
		}
	}
	if (ts != ALIBI_TS_NONE)
		t->any_ts = 1;
	return ts;
}

struct derived_ctx {
	struct ingest_sink *sink;
	int64_t tool_call;
	int64_t ts;
	int64_t line;
};

static void
emit_derived(void *ctx, const struct alibi_op *op)
{
	struct derived_ctx *dc = ctx;
	struct alibi_op copy = *op;
	copy.tool_call = dc->tool_call;
	copy.ts = dc->ts;
	copy.line = dc->line;
	dc->sink->op(dc->sink->ctx, &copy);
}

static int64_t
emit_tool_call(struct jsonrec_transcript *t, struct alibi_tool_call *tc, int derive)
{
	struct strbuf command = STRBUF_INIT;
	tc->command = shell_command_from_tool_call(tc->name, tc->args_json, &command) ?
	              sb_str(&command) : NULL;
	int64_t id = t->sink->tool_call(t->sink->ctx, tc);
	if (tc->command) {
		struct derived_ctx dc = { t->sink, id, tc->ts, tc->line };
		shell_derive_and_follow(tc->command, &t->cwd, derive ? emit_derived : NULL, &dc);
	}
	tc->command = NULL;
	sb_free(&command);
	return id;
}

int64_t
jsonrec_emit_tool_call(struct jsonrec_transcript *t, struct alibi_tool_call *tc)
{
	return emit_tool_call(t, tc, 1);
}

int64_t
jsonrec_emit_tool_call_underived(struct jsonrec_transcript *t, struct alibi_tool_call *tc)
{
	return emit_tool_call(t, tc, 0);
}
