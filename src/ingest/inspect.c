/* inspect.c — Inspect AI eval logs in JSON ("version": 2): the log is read
 * whole, and each sample's messages become messages, tool calls and tool
 * results; its events (inspect_events.c) add the tool calls no message
 * covers and the sandbox's commands and file accesses.  The zipped ".eval"
 * layout holds the same samples one entry each (inspect_eval.c).
 *
 * A log with several samples is several runs: each sample begins an
 * incident of its own, named "sample-ID/epoch-N" within the log's task.
 * A log with one sample stays in the incident the import chose, so it
 * pairs with the action logs imported with it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/ingest.h"
#include "alibi/jsonrec.h"
#include "alibi/termtext.h"
#include "inspect_internal.h"

/* ---- detection ------------------------------------------------------------- */

/* Whether key is a member of the top-level object within the head.  Keys
 * inside strings and nested values are skipped. */
static int
top_level_key(const char *head, size_t len, const char *key)
{
	size_t n = strlen(key);
	int depth = 0;
	for (size_t p = 0; p < len; p++) {
		char ch = head[p];
		if (ch == '{' || ch == '[') {
			depth++;
		} else if (ch == '}' || ch == ']') {
			if (--depth <= 0)
				return 0;
		} else if (ch == '"') {
			size_t start = ++p;
			while (p < len && head[p] != '"')
				p += head[p] == '\\' ? 2 : 1;
			if (p >= len)
				return 0;
			size_t q = p + 1;
			while (q < len && (head[q] == ' ' || head[q] == '\t' || head[q] == '\r' ||
			                   head[q] == '\n'))
				q++;
			if (depth == 1 && q < len && head[q] == ':' && p - start == n &&
			    memcmp(head + start, key, n) == 0)
				return 1;
		}
	}
	return 0;
}

int
inspect_detect(const char *head, size_t len)
{
	if (inspect_is_zip(head, len))
		return inspect_eval_detect(head, len);
	size_t p = 0;
	while (p < len && strchr(" \t\r\n", head[p]))
		p++;
	if (p >= len || head[p] != '{')
		return 0;
	/* the log begins {"version": 2, "status": ..., "eval": {...}, ... */
	if (!top_level_key(head + p, len - p, "version") ||
	    !top_level_key(head + p, len - p, "eval"))
		return 0;
	return top_level_key(head + p, len - p, "status") ? 95 : 80;
}

/* ---- reading --------------------------------------------------------------- */

static int
read_whole(const struct ingest_input *in, struct strbuf *buf, struct alibi_error *err)
{
	char chunk[65536];
	size_t n;
	if (in->size > JSONREC_MAX_DOCUMENT)
		return alibi_error_set(err, ALIBI_EFORMAT, "%s: log of %llu bytes is over the %zu MiB limit",
		                       in->path, (unsigned long long)in->size,
		                       JSONREC_MAX_DOCUMENT >> 20);
	while ((n = fread(chunk, 1, sizeof chunk, in->fp)) > 0) {
		if (buf->len + n > JSONREC_MAX_DOCUMENT)
			return alibi_error_set(err, ALIBI_EFORMAT, "%s: log is over the %zu MiB limit",
			                       in->path, JSONREC_MAX_DOCUMENT >> 20);
		sb_add(buf, chunk, n);
	}
	if (ferror(in->fp))
		return alibi_error_set(err, ALIBI_EIO, "%s: read error", in->path);
	return 0;
}

static int64_t
line_at(const char *buf, size_t off)
{
	int64_t line = 1;
	for (size_t k = 0; k < off; k++)
		line += buf[k] == '\n';
	return line;
}

cJSON *
inspect_parse_json(const char *text, size_t len, int64_t *line)
{
	const char *end = NULL;
	cJSON *json = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	*line = 0;
	if (!json)
		*line = line_at(text, len && end ? (size_t)(end - text) : 0);
	return json;
}

/* The offset of the first byte that is not valid UTF-8, or len. */
static size_t
first_invalid_utf8(const char *s, size_t len)
{
	size_t k = 0;
	while (k < len) {
		if ((unsigned char)s[k] < 0x80) {
			k++;
			continue;
		}
		unsigned cp;
		size_t n = utf8_decode(s + k, len - k, &cp);
		if (cp == 0xFFFD && n == 1)
			return k;
		k += n;
	}
	return len;
}

void
inspect_repair_utf8(struct ingest_sink *sink, struct strbuf *buf)
{
	size_t bad = first_invalid_utf8(buf->buf ? buf->buf : "", buf->len);
	if (bad == buf->len)
		return;
	char problem[128];
	snprintf(problem, sizeof problem,
	         "invalid UTF-8 (first at byte %zu); shown as U+FFFD", bad);
	sink->bad_record(sink->ctx, line_at(buf->buf, bad), problem);
	struct strbuf clean = STRBUF_INIT;
	utf8_sanitize(&clean, buf->buf, buf->len);
	sb_free(buf);
	*buf = clean;
}

/* ---- messages -------------------------------------------------------------- */

static int
is_type(const char *type, const char *want)
{
	return type && strcmp(type, want) == 0;
}

void
inspect_content_text(const cJSON *content, struct strbuf *out)
{
	const cJSON *part;
	if (cJSON_IsString(content)) {
		sb_adds(out, content->valuestring);
		return;
	}
	if (!cJSON_IsArray(content)) {
		if (content && !cJSON_IsNull(content))
			jsonrec_print(content, out);
		return;
	}
	cJSON_ArrayForEach(part, content) {
		const char *type = jsonrec_string(part, "type");
		if (cJSON_IsString(part)) {
			jsonrec_add_text(out, part->valuestring);
		} else if (is_type(type, "text")) {
			jsonrec_add_text(out, jsonrec_string(part, "text"));
		} else if (is_type(type, "reasoning")) {
			const char *r = jsonrec_string(part, "reasoning");
			if (out->len)
				sb_addc(out, '\n');
			sb_adds(out, "[thinking] ");
			sb_adds(out, r && !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(part, "redacted")) ?
			             r : "");
			sb_adds(out, "\n[/thinking]");
		} else if (type) {
			/* image, audio, video, document: say what was there */
			if (out->len)
				sb_addc(out, '\n');
			sb_addf(out, "[%s]", type);
		}
	}
}

void
inspect_remember_call(struct inspect *in, const char *call_id, int64_t row)
{
	if (!call_id)
		return;
	if (in->ncalls == in->calls_cap) {
		in->calls_cap = in->calls_cap ? in->calls_cap * 2 : 16;
		in->calls = xrealloc(in->calls, in->calls_cap * sizeof *in->calls);
	}
	in->calls[in->ncalls].call_id = call_id;
	in->calls[in->ncalls].row = row;
	in->ncalls++;
}

int64_t
inspect_call_row(const struct inspect *in, const char *call_id)
{
	for (size_t k = 0; call_id && k < in->ncalls; k++)
		if (strcmp(in->calls[k].call_id, call_id) == 0)
			return in->calls[k].row;
	return 0;
}

static void
emit_tool_calls(struct inspect *in, const cJSON *calls, int64_t message, int64_t ts)
{
	struct ingest_sink *sink = in->t.sink;
	const cJSON *call;
	cJSON_ArrayForEach(call, calls) {
		const char *name = jsonrec_string(call, "function");
		if (!name) {
			sink->bad_record(sink->ctx, 0, "tool call has no \"function\"; call skipped");
			continue;
		}
		const cJSON *args = cJSON_GetObjectItemCaseSensitive(call, "arguments");
		sb_reset(&in->args);
		if (args)
			jsonrec_print(args, &in->args);
		else
			sb_adds(&in->args, "{}");
		const char *id = jsonrec_string(call, "id");
		struct alibi_tool_call tc = { message, id, name, sb_str(&in->args), NULL, ts, 0 };
		inspect_remember_call(in, id, inspect_emit_call(in, &tc));
	}
}

/* A tool's error is part of what the reviewer reads: it follows the
 * output as "[error TYPE] message". */
int
inspect_add_error(const cJSON *error, struct strbuf *text)
{
	if (!error || cJSON_IsNull(error))
		return 0;
	const char *type = jsonrec_string(error, "type");
	const char *msg = cJSON_IsString(error) ? error->valuestring : jsonrec_string(error, "message");
	if (text->len)
		sb_addc(text, '\n');
	sb_addf(text, "[error %s]", type ? type : "");
	if (msg && *msg)
		sb_addf(text, " %s", msg);
	return 1;
}

static void
on_message(struct inspect *in, const cJSON *msg)
{
	struct ingest_sink *sink = in->t.sink;
	const char *role = jsonrec_string(msg, "role");
	if (!role || !*role) {
		sink->bad_record(sink->ctx, 0, "message has no \"role\"");
		return;
	}
	int64_t ts = inspect_message_ts(in, msg, role);
	sb_reset(&in->text);
	inspect_content_text(cJSON_GetObjectItemCaseSensitive(msg, "content"), &in->text);
	int is_error = strcmp(role, "tool") == 0 &&
	               inspect_add_error(cJSON_GetObjectItemCaseSensitive(msg, "error"), &in->text);
	struct alibi_message m = { ts, role, jsonrec_string(msg, "model"), sb_str(&in->text), 0 };
	int64_t id = sink->message(sink->ctx, &m);
	if (strcmp(role, "tool") == 0) {
		struct alibi_tool_result r = {
			jsonrec_string(msg, "tool_call_id"), sb_str(&in->text), is_error, ts, 0
		};
		sink->tool_result(sink->ctx, &r);
	}
	emit_tool_calls(in, cJSON_GetObjectItemCaseSensitive(msg, "tool_calls"), id, ts);
	if (sink->record)
		sink->record(sink->ctx);
}

/* ---- the log ---------------------------------------------------------------- */

static void
import_messages_and_events(struct inspect *in, cJSON *sample)
{
	const cJSON *transcript = cJSON_GetObjectItemCaseSensitive(sample, "transcript");
	in->attachments = cJSON_GetObjectItemCaseSensitive(sample, "attachments");
	in->content = cJSON_GetObjectItemCaseSensitive(transcript, "content");
	inspect_resolve_refs(in, sample);
	inspect_collect_events(in, sample);
	const cJSON *msg, *messages = cJSON_GetObjectItemCaseSensitive(sample, "messages");
	if (messages && !cJSON_IsArray(messages))
		in->t.sink->bad_record(in->t.sink->ctx, 0, "sample's \"messages\" is not a list");
	if (!cJSON_IsArray(messages))
		messages = NULL;
	cJSON_ArrayForEach(msg, messages) {
		if (cJSON_IsObject(msg))
			on_message(in, msg);
		else
			in->t.sink->bad_record(in->t.sink->ctx, 0, "message is not a JSON object");
	}
	inspect_emit_events(in);
}

void
inspect_import_sample(struct ingest_sink *sink, cJSON *sample)
{
	struct inspect in;
	memset(&in, 0, sizeof in);
	in.init_ts = ALIBI_TS_NONE;
	jsonrec_transcript_init(&in.t, sink);
	import_messages_and_events(&in, sample);
	jsonrec_transcript_finish(&in.t);
	free(in.calls);
	free(in.events);
	sb_free(&in.text);
	sb_free(&in.args);
}

/* "sample-ID/epoch-N"; a sample without an id is named by its place. */
static void
run_name(struct strbuf *out, const cJSON *sample, int position)
{
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(sample, "id");
	const cJSON *epoch = cJSON_GetObjectItemCaseSensitive(sample, "epoch");
	if (cJSON_IsString(id) && *id->valuestring)
		sb_addf(out, "sample-%s", id->valuestring);
	else if (cJSON_IsNumber(id))
		sb_addf(out, "sample-%.15g", id->valuedouble);
	else
		sb_addf(out, "sample-%d", position);
	if (cJSON_IsNumber(epoch))
		sb_addf(out, "/epoch-%.15g", epoch->valuedouble);
}

static int
import_log(struct ingest_sink *sink, cJSON *log, const char *path, struct alibi_error *err)
{
	const cJSON *eval = cJSON_GetObjectItemCaseSensitive(log, "eval");
	cJSON *sample, *samples = cJSON_GetObjectItemCaseSensitive(log, "samples");
	if (!cJSON_IsObject(log) || !eval)
		return alibi_error_set(err, ALIBI_EFORMAT,
		                       "%s: not an Inspect eval log (no \"eval\" header)", path);
	int count = cJSON_IsArray(samples) ? cJSON_GetArraySize(samples) : 0;
	if (count == 0) {
		sink->bad_record(sink->ctx, 0, "log holds no samples");
		return 0;
	}
	int split = count > 1 && sink->begin_incident;
	int position = 0;
	struct strbuf run = STRBUF_INIT;
	cJSON_ArrayForEach(sample, samples) {
		position++;
		sb_reset(&run);
		run_name(&run, sample, position);
		if (split)
			sink->begin_incident(sink->ctx, jsonrec_string(eval, "task"), sb_str(&run));
		if (cJSON_IsObject(sample))
			inspect_import_sample(sink, sample);
		else
			sink->bad_record(sink->ctx, 0, "sample is not a JSON object");
	}
	sb_free(&run);
	return 0;
}

int
inspect_parse(const struct ingest_input *input, struct ingest_sink *sink,
              struct alibi_error *err)
{
	if (inspect_is_zip(input->head, input->head_len))
		return inspect_eval_parse(input, sink, err);
	struct strbuf buf = STRBUF_INIT;
	int rc = read_whole(input, &buf, err);
	if (rc) {
		sb_free(&buf);
		return rc;
	}
	inspect_repair_utf8(sink, &buf);
	int64_t line;
	cJSON *log = inspect_parse_json(sb_str(&buf), buf.len, &line);
	sb_free(&buf);
	if (!log)
		return alibi_error_set(err, ALIBI_EFORMAT, "%s:%lld: invalid or truncated JSON",
		                       input->path, (long long)line);
	rc = import_log(sink, log, input->path, err);
	cJSON_Delete(log);
	return rc;
}
