/* otel.c — OpenTelemetry GenAI spans in OTLP JSON: a document (or JSON
 * lines of documents, as the collector's file exporter writes) with
 * resourceSpans[].scopeSpans[].spans[].  Chat spans carry their messages
 * in gen_ai.input.messages / gen_ai.output.messages (JSON text holding
 * messages made of parts); execute_tool spans are tool calls, timed by the
 * span.  The older form, span events named gen_ai.user.message,
 * gen_ai.choice ..., is read too.  Spans without gen_ai attributes are
 * ignored: plain traces are not transcripts. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/ingest.h"
#include "alibi/jsonrec.h"
#include "alibi/strbuf.h"

struct otel_span {
	const cJSON *span;
	int64_t start, end;   /* microseconds, ALIBI_TS_NONE when absent */
	int64_t line;
	size_t order;         /* position in the file, to keep ties stable */
};

/* A call made by an execute_tool span, and the message that asked for it. */
struct otel_call {
	const char *id;
	int64_t message;
};

struct otel {
	struct jsonrec_transcript t;
	cJSON **docs;
	size_t ndocs, docs_cap;
	struct otel_span *spans;
	size_t nspans, spans_cap;
	struct otel_call *calls;
	size_t ncalls, calls_cap;
	size_t seen;            /* messages of the conversation emitted so far */
	int64_t last_assistant; /* the message that most recently spoke */
	struct strbuf system;   /* the system instructions last emitted */
	struct strbuf text, args, result;
	/* finding span lines in a whole document */
	const char *buf;
	size_t buf_len, line_off;
	int64_t line_at;
};

/* ---- detection ------------------------------------------------------------- */

static int
has(const char *head, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t k = 0; k + n <= len; k++)
		if (head[k] == needle[0] && memcmp(head + k, needle, n) == 0)
			return 1;
	return 0;
}

int
otel_detect(const char *head, size_t len)
{
	if (!has(head, len, "\"resourceSpans\"") && !has(head, len, "\"scopeSpans\""))
		return 0;
	/* a trace with no GenAI content is no transcript */
	return has(head, len, "\"gen_ai.") ? 90 : 0;
}

/* ---- attributes ---------------------------------------------------------------- */

static const cJSON *
attr(const cJSON *obj, const char *key)
{
	const cJSON *a;
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(obj, "attributes")) {
		const char *k = jsonrec_string(a, "key");
		if (k && strcmp(k, key) == 0)
			return cJSON_GetObjectItemCaseSensitive(a, "value");
	}
	return NULL;
}

static const char *
attr_string(const cJSON *obj, const char *key)
{
	return jsonrec_string(attr(obj, key), "stringValue");
}

static int
has_gen_ai(const cJSON *obj)
{
	const cJSON *a;
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(obj, "attributes")) {
		const char *k = jsonrec_string(a, "key");
		if (k && strncmp(k, "gen_ai.", 7) == 0)
			return 1;
	}
	return 0;
}

/* An attribute value as text: strings as they are, the rest as JSON. */
static int
value_text(const cJSON *value, struct strbuf *out)
{
	const cJSON *v = value ? value->child : NULL;
	if (!v)
		return 0;
	if (cJSON_IsString(v))
		sb_adds(out, v->valuestring);   /* stringValue; intValue is text too */
	else
		jsonrec_print(v, out);
	return 1;
}

/* Nanoseconds since the epoch, as a string or a number, in microseconds. */
static int64_t
nanos(const cJSON *v)
{
	if (cJSON_IsNumber(v))
		return v->valuedouble > 0 && v->valuedouble < 9e18 ?
		       (int64_t)(v->valuedouble / 1000) : ALIBI_TS_NONE;
	if (!cJSON_IsString(v))
		return ALIBI_TS_NONE;
	char *end = NULL;
	errno = 0;
	unsigned long long ns = strtoull(v->valuestring, &end, 10);
	if (errno || end == v->valuestring || *end || ns == 0 || ns > 9000000000000000000ULL)
		return ALIBI_TS_NONE;
	return (int64_t)(ns / 1000);
}

/* ---- reading ------------------------------------------------------------------- */

/* The line of the span whose spanId is id: where the next "spanId" member
 * with that value is (spans are collected in document order). */
static int64_t
span_line(struct otel *o, const char *id)
{
	static const char key[] = "\"spanId\"";
	size_t n = id ? strlen(id) : 0, klen = sizeof key - 1;
	if (!o->buf || n == 0)
		return 0;
	for (size_t p = o->line_off; p + klen <= o->buf_len; p++) {
		if (o->buf[p] == '\n')
			o->line_at++;
		if (o->buf[p] != '"' || memcmp(o->buf + p, key, klen) != 0)
			continue;
		size_t q = p + klen;
		while (q < o->buf_len && strchr(" \t\r\n:", o->buf[q]))
			q++;
		if (q + n + 2 <= o->buf_len && o->buf[q] == '"' &&
		    memcmp(o->buf + q + 1, id, n) == 0 && o->buf[q + 1 + n] == '"') {
			o->line_off = p;
			return o->line_at;
		}
	}
	o->line_off = o->buf_len;
	return 0;
}

static int
has_gen_ai_events(const cJSON *span)
{
	const cJSON *ev;
	cJSON_ArrayForEach(ev, cJSON_GetObjectItemCaseSensitive(span, "events")) {
		const char *name = jsonrec_string(ev, "name");
		if (name && strncmp(name, "gen_ai.", 7) == 0)
			return 1;
	}
	return 0;
}

static void
collect_span(struct otel *o, const cJSON *span, int64_t line)
{
	struct ingest_sink *sink = o->t.sink;
	if (!cJSON_IsObject(span)) {
		sink->bad_record(sink->ctx, line, "span is not a JSON object");
		return;
	}
	if (o->buf)
		line = span_line(o, jsonrec_string(span, "spanId"));
	if (!has_gen_ai(span) && !has_gen_ai_events(span))
		return;
	grow_array((void **)&o->spans, sizeof *o->spans, &o->spans_cap, o->nspans + 1);
	struct otel_span *s = &o->spans[o->nspans];
	s->span = span;
	s->start = nanos(cJSON_GetObjectItemCaseSensitive(span, "startTimeUnixNano"));
	s->end = nanos(cJSON_GetObjectItemCaseSensitive(span, "endTimeUnixNano"));
	if (s->end == ALIBI_TS_NONE)
		s->end = s->start;
	s->line = line;
	s->order = o->nspans++;
}

/* Takes doc (freed with the parser). */
static void
collect_document(struct otel *o, cJSON *doc, int64_t line)
{
	grow_array((void **)&o->docs, sizeof *o->docs, &o->docs_cap, o->ndocs + 1);
	o->docs[o->ndocs++] = doc;
	const cJSON *rs, *ss, *span;
	cJSON_ArrayForEach(rs, cJSON_GetObjectItemCaseSensitive(doc, "resourceSpans")) {
		const cJSON *scopes = cJSON_GetObjectItemCaseSensitive(rs, "scopeSpans");
		if (!scopes)
			scopes = cJSON_GetObjectItemCaseSensitive(rs, "instrumentationLibrarySpans");
		cJSON_ArrayForEach(ss, scopes)
			cJSON_ArrayForEach(span, cJSON_GetObjectItemCaseSensitive(ss, "spans"))
				collect_span(o, span, line);
	}
}

/* Some line of buf holds a whole JSON object. */
static int
any_line_object(const char *buf, size_t len)
{
	for (size_t p = 0; p < len; ) {
		const char *nl = memchr(buf + p, '\n', len - p);
		size_t end = nl ? (size_t)(nl - buf) : len;
		cJSON *doc = cJSON_ParseWithLength(buf + p, end - p);
		int ok = cJSON_IsObject(doc);
		cJSON_Delete(doc);
		if (ok)
			return 1;
		p = end + 1;
	}
	return 0;
}

/* One JSON document per line, as the collector's file exporter writes.
 * When no line is one, the file is one broken document: reported once. */
static void
collect_lines(struct otel *o, const char *buf, size_t len)
{
	int64_t line = 0;
	if (len && !any_line_object(buf, len)) {
		o->t.sink->bad_record(o->t.sink->ctx, 1, "invalid JSON: no complete OTLP document");
		return;
	}
	for (size_t p = 0; p < len; ) {
		const char *nl = memchr(buf + p, '\n', len - p);
		size_t end = nl ? (size_t)(nl - buf) : len;
		line++;
		size_t q = p;
		while (q < end && strchr(" \t\r", buf[q]))
			q++;
		if (q < end) {
			cJSON *doc = cJSON_ParseWithLength(buf + q, end - q);
			if (!cJSON_IsObject(doc)) {
				o->t.sink->bad_record(o->t.sink->ctx, line,
				                      doc ? "line is not a JSON object" : "invalid JSON");
				cJSON_Delete(doc);
			} else {
				collect_document(o, doc, line);
			}
		}
		p = end + 1;
	}
}

static int
read_all(const struct ingest_input *in, struct strbuf *out, struct alibi_error *err)
{
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, in->fp)) > 0) {
		if (out->len + n > JSONREC_MAX_DOCUMENT)
			return alibi_error_set(err, ALIBI_EFORMAT, "%s: larger than %zu MiB",
			                       in->path, JSONREC_MAX_DOCUMENT >> 20);
		sb_add(out, chunk, n);
	}
	if (ferror(in->fp))
		return alibi_error_set(err, ALIBI_EIO, "%s: %s", in->path, strerror(errno));
	return 0;
}

static int
by_time(const void *a, const void *b)
{
	const struct otel_span *x = a, *y = b;
	int64_t tx = x->start == ALIBI_TS_NONE ? INT64_MAX : x->start;
	int64_t ty = y->start == ALIBI_TS_NONE ? INT64_MAX : y->start;
	if (tx != ty)
		return tx < ty ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* ---- tool calls ------------------------------------------------------------------ */

static struct otel_call *
find_call(struct otel *o, const char *id)
{
	for (size_t k = 0; id && k < o->ncalls; k++)
		if (strcmp(o->calls[k].id, id) == 0)
			return &o->calls[k];
	return NULL;
}

static const char *
tool_call_id(const cJSON *span)
{
	const char *id = attr_string(span, "gen_ai.tool.call.id");
	return id && *id ? id : jsonrec_string(span, "spanId");
}

static int
is_execute_tool(const cJSON *span)
{
	const char *op = attr_string(span, "gen_ai.operation.name");
	return op && strcmp(op, "execute_tool") == 0;
}

static void
note_execute_calls(struct otel *o)
{
	for (size_t k = 0; k < o->nspans; k++) {
		const char *id = tool_call_id(o->spans[k].span);
		if (!is_execute_tool(o->spans[k].span) || !id || find_call(o, id))
			continue;
		grow_array((void **)&o->calls, sizeof *o->calls, &o->calls_cap, o->ncalls + 1);
		o->calls[o->ncalls].id = id;
		o->calls[o->ncalls++].message = 0;
	}
}

static void
emit_result(struct otel *o, const char *id, const char *text, int is_error, int64_t ts,
            int64_t line)
{
	struct ingest_sink *sink = o->t.sink;
	struct alibi_message m = { ts, "tool", NULL, text, line };
	sink->message(sink->ctx, &m);
	struct alibi_tool_result r = { id, text, is_error, ts, line };
	sink->tool_result(sink->ctx, &r);
}

static void
emit_execute_tool(struct otel *o, const struct otel_span *s)
{
	const cJSON *span = s->span;
	const char *name = attr_string(span, "gen_ai.tool.name");
	if (!name || !*name) {
		o->t.sink->bad_record(o->t.sink->ctx, s->line,
		                      "execute_tool span has no gen_ai.tool.name; skipped");
		return;
	}
	const char *id = tool_call_id(span);
	struct otel_call *call = find_call(o, id);
	sb_reset(&o->args);
	if (!value_text(attr(span, "gen_ai.tool.call.arguments"), &o->args))
		sb_adds(&o->args, "{}");
	struct alibi_tool_call tc = {
		call && call->message ? call->message : o->last_assistant, id, name,
		sb_str(&o->args), NULL, s->start, s->line
	};
	jsonrec_emit_tool_call(&o->t, &tc);
	const cJSON *status = cJSON_GetObjectItemCaseSensitive(span, "status");
	const cJSON *code = cJSON_GetObjectItemCaseSensitive(status, "code");
	int is_error = (cJSON_IsNumber(code) && code->valueint == 2) ||
	               (cJSON_IsString(code) && strcmp(code->valuestring, "STATUS_CODE_ERROR") == 0) ||
	               attr(span, "error.type") != NULL;
	sb_reset(&o->result);
	if (value_text(attr(span, "gen_ai.tool.call.result"), &o->result) || is_error) {
		if (!o->result.len && jsonrec_string(status, "message"))
			sb_adds(&o->result, jsonrec_string(status, "message"));
		emit_result(o, id, sb_str(&o->result), is_error, s->end, s->line);
	}
}

/* ---- messages --------------------------------------------------------------------- */

static int
is_type(const char *type, const char *want)
{
	return type && strcmp(type, want) == 0;
}

/* What a part shows as text: its content, or the response of a tool. */
static void
part_text(const cJSON *value, struct strbuf *out)
{
	if (cJSON_IsString(value))
		sb_adds(out, value->valuestring);
	else if (value && !cJSON_IsNull(value))
		jsonrec_print(value, out);
}

static void
emit_call(struct otel *o, const char *id, const char *name, const cJSON *args,
          int64_t message, int64_t ts, int64_t line)
{
	struct otel_call *call = find_call(o, id);
	if (call) {
		/* its execute_tool span tells the call, with the span's times */
		call->message = message;
		return;
	}
	if (!name) {
		o->t.sink->bad_record(o->t.sink->ctx, line, "tool call has no name; skipped");
		return;
	}
	sb_reset(&o->args);
	if (cJSON_IsString(args))
		sb_adds(&o->args, args->valuestring);
	else if (args)
		jsonrec_print(args, &o->args);
	else
		sb_adds(&o->args, "{}");
	struct alibi_tool_call tc = { message, id, name, sb_str(&o->args), NULL, ts, line };
	jsonrec_emit_tool_call(&o->t, &tc);
}

/* One message {role, parts: [...]} (or {role, content}). */
static void
emit_message(struct otel *o, const cJSON *msg, const char *agent, int64_t ts, int64_t line)
{
	const char *role = jsonrec_string(msg, "role");
	const cJSON *parts = cJSON_GetObjectItemCaseSensitive(msg, "parts"), *p;
	int calls = 0, responses = 0;
	sb_reset(&o->text);
	if (!role)
		role = "assistant";
	if (jsonrec_string(msg, "content"))
		jsonrec_add_text(&o->text, jsonrec_string(msg, "content"));
	cJSON_ArrayForEach(p, parts) {
		const char *type = jsonrec_string(p, "type");
		if (is_type(type, "tool_call")) {
			calls++;
		} else if (is_type(type, "tool_call_response")) {
			responses++;
			const char *id = jsonrec_string(p, "id");
			if (find_call(o, id))
				continue;   /* its execute_tool span gave the result */
			sb_reset(&o->result);
			part_text(cJSON_GetObjectItemCaseSensitive(p, "response"), &o->result);
			emit_result(o, id, sb_str(&o->result), 0, ts, line);
		} else if (is_type(type, "text")) {
			jsonrec_add_text(&o->text, jsonrec_string(p, "content"));
		} else if (is_type(type, "reasoning")) {
			const char *thinking = jsonrec_string(p, "content");
			if (o->text.len)
				sb_addc(&o->text, '\n');
			sb_addf(&o->text, "[thinking] %s\n[/thinking]", thinking ? thinking : "");
		} else if (type) {
			sb_reset(&o->result);
			sb_addf(&o->result, "[%s]", type);
			jsonrec_add_text(&o->text, sb_str(&o->result));
		}
	}
	int64_t id = 0;
	if (o->text.len || calls || !responses) {
		struct alibi_message m = { ts, role, agent, sb_str(&o->text), line };
		id = o->t.sink->message(o->t.sink->ctx, &m);
		if (strcmp(role, "assistant") == 0)
			o->last_assistant = id;
	}
	cJSON_ArrayForEach(p, parts)
		if (is_type(jsonrec_string(p, "type"), "tool_call"))
			emit_call(o, jsonrec_string(p, "id"), jsonrec_string(p, "name"),
			          cJSON_GetObjectItemCaseSensitive(p, "arguments"), id, ts, line);
}

/* A JSON text attribute holding a message list; NULL (reported) when it
 * holds something else. */
static cJSON *
message_list(struct otel *o, const cJSON *span, const char *key, int64_t line)
{
	const char *text = attr_string(span, key);
	if (!text)
		return NULL;
	cJSON *list = cJSON_Parse(text);
	if (!cJSON_IsArray(list)) {
		char problem[96];
		snprintf(problem, sizeof problem, "%s is not a JSON list of messages", key);
		o->t.sink->bad_record(o->t.sink->ctx, line, problem);
		cJSON_Delete(list);
		return NULL;
	}
	return list;
}

static void
emit_system(struct otel *o, const cJSON *span, int64_t ts, int64_t line)
{
	cJSON *parts = message_list(o, span, "gen_ai.system_instructions", line);
	const cJSON *p;
	sb_reset(&o->text);
	cJSON_ArrayForEach(p, parts)
		jsonrec_add_text(&o->text, jsonrec_string(p, "content"));
	cJSON_Delete(parts);
	/* every chat span repeats them: only a change is news */
	if (!o->text.len || strcmp(sb_str(&o->text), sb_str(&o->system)) == 0)
		return;
	sb_reset(&o->system);
	sb_adds(&o->system, sb_str(&o->text));
	struct alibi_message m = { ts, "system", NULL, sb_str(&o->system), line };
	o->t.sink->message(o->t.sink->ctx, &m);
}

/* A chat span's input repeats the conversation so far; only the messages
 * past what was emitted are new.  A shorter input starts a new one. */
static void
emit_chat(struct otel *o, const struct otel_span *s, const char *agent)
{
	cJSON *in = message_list(o, s->span, "gen_ai.input.messages", s->line);
	cJSON *out = message_list(o, s->span, "gen_ai.output.messages", s->line);
	emit_system(o, s->span, s->start, s->line);
	size_t n_in = (size_t)cJSON_GetArraySize(in), k = 0;
	const cJSON *msg;
	cJSON_ArrayForEach(msg, in)
		if (k++ >= (n_in >= o->seen ? o->seen : 0))
			emit_message(o, msg, NULL, s->start, s->line);
	cJSON_ArrayForEach(msg, out)
		emit_message(o, msg, agent, s->end, s->line);
	if (in || out)
		o->seen = n_in + (size_t)cJSON_GetArraySize(out);
	cJSON_Delete(in);
	cJSON_Delete(out);
}

/* ---- the older event form ---------------------------------------------------- */

static const char *
event_role(const char *name)
{
	static const char *const roles[][2] = {
		{ "gen_ai.system.message", "system" }, { "gen_ai.user.message", "user" },
		{ "gen_ai.assistant.message", "assistant" }, { "gen_ai.tool.message", "tool" },
		{ "gen_ai.choice", "assistant" },
	};
	for (size_t k = 0; name && k < sizeof roles / sizeof roles[0]; k++)
		if (strcmp(name, roles[k][0]) == 0)
			return roles[k][1];
	return NULL;
}

/* An event's body: the JSON of gen_ai.event.content, the choice's
 * "message" inside it when there is one. */
static const cJSON *
event_body(const cJSON *body)
{
	const cJSON *msg = cJSON_GetObjectItemCaseSensitive(body, "message");
	return cJSON_IsObject(msg) ? msg : body;
}

static void
emit_event(struct otel *o, const cJSON *ev, const char *agent, int64_t line)
{
	const char *role = event_role(jsonrec_string(ev, "name"));
	if (!role)
		return;
	int64_t ts = nanos(cJSON_GetObjectItemCaseSensitive(ev, "timeUnixNano"));
	const char *json = attr_string(ev, "gen_ai.event.content");
	cJSON *parsed = json ? cJSON_Parse(json) : NULL;
	const cJSON *body = event_body(parsed);
	const char *content = jsonrec_string(body, "content");
	if (!content)
		content = attr_string(ev, "content");
	const char *id = jsonrec_string(body, "id");
	if (!id)
		id = attr_string(ev, "id");
	if (ts != ALIBI_TS_NONE)
		o->t.any_ts = 1;
	if (strcmp(role, "tool") == 0 && id) {
		emit_result(o, id, content ? content : "", 0, ts, line);
	} else {
		struct alibi_message m = { ts, role, strcmp(role, "assistant") == 0 ? agent : NULL,
		                           content ? content : "", line };
		int64_t mid = o->t.sink->message(o->t.sink->ctx, &m);
		if (strcmp(role, "assistant") == 0)
			o->last_assistant = mid;
		const cJSON *tc;
		cJSON_ArrayForEach(tc, cJSON_GetObjectItemCaseSensitive(body, "tool_calls")) {
			const cJSON *fn = cJSON_GetObjectItemCaseSensitive(tc, "function");
			emit_call(o, jsonrec_string(tc, "id"), jsonrec_string(fn, "name"),
			          cJSON_GetObjectItemCaseSensitive(fn, "arguments"), mid, ts, line);
		}
	}
	cJSON_Delete(parsed);
}

/* ---- spans ------------------------------------------------------------------------- */

static void
emit_span(struct otel *o, const struct otel_span *s)
{
	const cJSON *span = s->span, *ev;
	const char *agent = attr_string(span, "gen_ai.agent.name");
	if (!agent)
		agent = attr_string(span, "gen_ai.response.model");
	if (!agent)
		agent = attr_string(span, "gen_ai.request.model");
	if (s->start != ALIBI_TS_NONE)
		o->t.any_ts = 1;
	if (is_execute_tool(span))
		emit_execute_tool(o, s);
	else
		emit_chat(o, s, agent);
	cJSON_ArrayForEach(ev, cJSON_GetObjectItemCaseSensitive(span, "events"))
		emit_event(o, ev, agent, s->line);
	if (o->t.sink->record)
		o->t.sink->record(o->t.sink->ctx);
}

static void
otel_free(struct otel *o)
{
	for (size_t k = 0; k < o->ndocs; k++)
		cJSON_Delete(o->docs[k]);
	free(o->docs);
	free(o->spans);
	free(o->calls);
	sb_free(&o->system);
	sb_free(&o->text);
	sb_free(&o->args);
	sb_free(&o->result);
}

int
otel_parse(const struct ingest_input *in, struct ingest_sink *sink, struct alibi_error *err)
{
	struct otel o;
	struct strbuf all = STRBUF_INIT;
	memset(&o, 0, sizeof o);
	jsonrec_transcript_init(&o.t, sink);
	int rc = read_all(in, &all, err);
	if (rc == 0) {
		const char *text = all.buf ? all.buf : "", *end = text;
		cJSON *doc = cJSON_ParseWithLengthOpts(text, all.len, &end, 0);
		while (doc && end < text + all.len && strchr(" \t\r\n", *end))
			end++;
		if (cJSON_IsObject(doc) && end == text + all.len) {
			o.buf = all.buf;
			o.buf_len = all.len;
			o.line_at = 1;
			collect_document(&o, doc, 0);
		} else {
			cJSON_Delete(doc);
			collect_lines(&o, all.buf ? all.buf : "", all.len);
		}
		if (o.nspans)
			qsort(o.spans, o.nspans, sizeof *o.spans, by_time);
		note_execute_calls(&o);
		for (size_t k = 0; k < o.nspans; k++)
			emit_span(&o, &o.spans[k]);
	}
	jsonrec_transcript_finish(&o.t);
	otel_free(&o);
	sb_free(&all);
	return rc;
}
