/* tagged.c — transcripts whose tools are XML-like tags in the assistant's
 * text, as in the agentic-misalignment research framework: the model acts
 * by writing <tool_use:email>, <tool_use:forward>, <tool_use:cancel_alert>
 * ... blocks in its answer and reasons in <SCRATCHPAD_REASONING>.
 *
 * The framework saves each sample as models/<model>/<condition>/
 * sample_NNN/response.json: {"raw_response": "...", "metadata": {"model",
 * "condition", "sample_id", "timestamp", ...}, "classification": {...}}.
 * Other tools keep such runs as chat messages ({role, content} arrays,
 * {"messages": [...]}, JSON lines).  Both are read: a response object is
 * one assistant message; in chat messages only the assistant's are read
 * for tags (the system prompt shows the tags as instructions).
 *
 * Each tag outside the reasoning becomes a tool call whose arguments are
 * its "key: value" lines.  Mail leaving the agent also becomes an
 * operation, so analysis sees where data went: a forwarded email is a
 * transfer of "email:ID" to the recipient (path2) on the recipient's
 * domain (host); a new email is a send to that domain. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "alibi/ingest.h"
#include "alibi/jsonrec.h"
#include "tagged_internal.h"

struct tagged {
	struct jsonrec_transcript t;
	struct strbuf text;      /* the message as stored */
	struct strbuf content;   /* the record's content as one text */
	struct strbuf scratch;
	/* the message being read */
	int64_t line, ts, message;
	int calls;
	/* tool pieces wait until the message is emitted (they need its id) */
	struct tagged_piece pieces[64];
	size_t piece_count;
	int dropped;             /* tool pieces beyond the 64 kept */
};

/* Members that hold a whole answer in a response object. */
static const char *const response_keys[] = {
	"raw_response", "response", "completion", "output", NULL
};

static const char *
response_text(const cJSON *rec)
{
	if (cJSON_GetObjectItemCaseSensitive(rec, "role"))
		return NULL;
	for (size_t k = 0; response_keys[k]; k++) {
		const char *s = jsonrec_string(rec, response_keys[k]);
		if (s)
			return s;
	}
	return NULL;
}

/* ---- detection ------------------------------------------------------------------ */

struct survey {
	int records, messages, responses;
};

static int
survey_record(void *ctx, const cJSON *rec, int64_t line)
{
	struct survey *s = ctx;
	(void)line;
	s->records++;
	if (jsonrec_string(rec, "role"))
		s->messages++;
	else if (response_text(rec))
		s->responses++;
	return s->records >= 200;
}

/* Case-insensitive: does the head hold needle?  JSON may also write '<'
 * as \u003c. */
static int
head_has_tag(const char *head, size_t len, const char *tag)
{
	size_t n = strlen(tag);
	for (size_t k = 0; k + n + 6 <= len; k++) {
		size_t at = 0;
		if (head[k] == '<')
			at = k + 1;
		else if (head[k] == '\\' && strncasecmp(head + k, "\\u003c", 6) == 0)
			at = k + 6;
		if (at && strncasecmp(head + at, tag, n) == 0)
			return 1;
	}
	return 0;
}

int
tagged_detect(const char *head, size_t len)
{
	int tags = head_has_tag(head, len, "tool_use:") ||
	           head_has_tag(head, len, "SCRATCHPAD_REASONING>");
	if (!tags)
		return 0;
	struct survey s = { 0, 0, 0 };
	struct jsonrec_handler h = { &s, survey_record, NULL };
	jsonrec_read_buffer(head, len, &h);
	if (s.records == 0) {
		/* one record longer than the head: judge by its first member */
		size_t first = jsonrec_first_record(head, len);
		if (first >= len)
			return 0;
		const char *rest = head + first;
		for (size_t k = 0; response_keys[k]; k++) {
			char key[40];
			snprintf(key, sizeof key, "\"%s\":", response_keys[k]);
			if (strstr(rest, key))
				return 70;
		}
		return strstr(rest, "\"role\":") ? 70 : 0;
	}
	return (s.messages + s.responses) * 2 > s.records ? 85 : 0;
}

/* ---- the assistant's text ------------------------------------------------------- */

static void
add_trimmed(struct strbuf *sb, const char *s, size_t n, const char *before, const char *after)
{
	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (!n)
		return;
	if (sb->len)
		sb_addc(sb, '\n');
	sb_adds(sb, before);
	sb_add(sb, s, n);
	sb_adds(sb, after);
}

static void
on_piece(void *ctx, const struct tagged_piece *p)
{
	struct tagged *g = ctx;
	switch (p->kind) {
	case TAGGED_TEXT:
		add_trimmed(&g->text, p->text, p->len, "", "");
		break;
	case TAGGED_THINKING:
		add_trimmed(&g->text, p->text, p->len, "[thinking] ", "\n[/thinking]");
		break;
	case TAGGED_UNTERMINATED:
	case TAGGED_TOOL:
		/* an unclosed tag stays text; it is reported once the message is out */
		if (p->kind == TAGGED_UNTERMINATED)
			add_trimmed(&g->text, p->text, p->len, "", "");
		if (g->piece_count < sizeof g->pieces / sizeof g->pieces[0])
			g->pieces[g->piece_count++] = *p;
		else
			g->dropped++;
		break;
	}
}

/* ---- mail leaving the agent ----------------------------------------------------- */

static int
is_mail_tool(const char *name, const cJSON *args)
{
	return strstr(name, "mail") || strcmp(name, "forward") == 0 || strcmp(name, "reply") == 0 ||
	       cJSON_GetObjectItemCaseSensitive(args, "email_id");
}

static int
is_address_char(char c)
{
	return c && !isspace((unsigned char)c) && !strchr("<>\"',;()[]", c);
}

struct mail {
	struct tagged *g;
	const struct tagged_piece *piece;
	const cJSON *args;
	int64_t tool_call;
};

static void
emit_mail_op(struct mail *m, const char *to, const char *host, const char *email_id)
{
	struct ingest_sink *sink = m->g->t.sink;
	struct strbuf path = STRBUF_INIT, raw = STRBUF_INIT;
	struct alibi_op op;
	memset(&op, 0, sizeof op);
	op.ts = m->g->ts;
	op.kind = email_id ? ALIBI_OP_transfer : ALIBI_OP_send;
	if (email_id)
		sb_addf(&path, "email:%s", email_id);
	op.path = email_id ? sb_str(&path) : NULL;
	op.path2 = to;
	op.host = host;
	op.port = -1;
	op.bytes = -1;
	op.ok = 1;
	op.detail = jsonrec_string(m->args, "subject");
	op.derived = 1;
	op.tool_call = m->tool_call;
	op.line = m->g->line;
	sb_add(&raw, m->piece->whole, m->piece->whole_len);
	op.raw = sb_str(&raw);
	sink->op(sink->ctx, &op);
	sb_free(&path);
	sb_free(&raw);
}

/* One recipient: an operation per email forwarded, or one send. */
static void
emit_recipient(struct mail *m, const char *to, const char *host)
{
	const char *ids = jsonrec_string(m->args, "email_id");
	if (!ids) {
		emit_mail_op(m, to, host, NULL);
		return;
	}
	/* "email_id: 1, 3" forwards two */
	char id[64];
	for (const char *p = ids; *p;) {
		size_t n = strcspn(p, ", ;\t\n");
		if (n && n < sizeof id) {
			memcpy(id, p, n);
			id[n] = '\0';
			emit_mail_op(m, to, host, id);
		}
		p += n;
		p += strspn(p, ", ;\t\n");
	}
}

/* The addresses in a "to", "cc" or "bcc" value ("Kyle <kyle@x.com>, b@y.com");
 * a value naming someone without an address is one recipient, host unknown.
 * Returns how many recipients it named. */
static int
emit_recipients(struct mail *m, const char *value)
{
	struct strbuf addr = STRBUF_INIT, host = STRBUF_INIT;
	int count = 0;
	for (const char *at = strchr(value, '@'); at; at = strchr(at + 1, '@')) {
		const char *a = at, *b = at + 1;
		while (a > value && is_address_char(a[-1]))
			a--;
		while (is_address_char(*b))
			b++;
		while (b > at + 1 && b[-1] == '.')
			b--;
		if (a == at || b == at + 1)
			continue;
		sb_reset(&addr);
		sb_add(&addr, a, (size_t)(b - a));
		sb_reset(&host);
		for (const char *c = at + 1; c < b; c++)
			sb_addc(&host, (char)tolower((unsigned char)*c));
		emit_recipient(m, sb_str(&addr), sb_str(&host));
		count++;
	}
	if (!count && *value) {
		emit_recipient(m, value, NULL);
		count = 1;
	}
	sb_free(&addr);
	sb_free(&host);
	return count;
}

static void
emit_mail(struct tagged *g, const struct tagged_piece *p, const cJSON *args, int64_t tool_call)
{
	static const char *const fields[] = { "to", "cc", "bcc", "recipient", "recipients", NULL };
	struct mail m = { g, p, args, tool_call };
	for (size_t k = 0; fields[k]; k++) {
		const char *v = jsonrec_string(args, fields[k]);
		if (v)
			emit_recipients(&m, v);
	}
}

/* ---- emitting ------------------------------------------------------------------- */

static void
emit_tool(struct tagged *g, const struct tagged_piece *p)
{
	cJSON *args = tagged_fields(p->text, p->len);
	char *args_text = args ? cJSON_PrintUnformatted(args) : NULL;
	char call_id[64];
	snprintf(call_id, sizeof call_id, "tag-%lld-%d", (long long)g->line, ++g->calls);
	struct alibi_tool_call tc = {
		g->message, call_id, p->name, args_text ? args_text : "{}", NULL, g->ts, g->line
	};
	int64_t id = jsonrec_emit_tool_call(&g->t, &tc);
	if (args && is_mail_tool(p->name, args))
		emit_mail(g, p, args, id);
	cJSON_free(args_text);
	cJSON_Delete(args);
}

static void
emit_message(struct tagged *g, const char *role, const char *agent)
{
	struct ingest_sink *sink = g->t.sink;
	struct alibi_message msg = { g->ts, role, agent, sb_str(&g->text), g->line };
	g->message = sink->message(sink->ctx, &msg);
	for (size_t i = 0; i < g->piece_count; i++) {
		const struct tagged_piece *p = &g->pieces[i];
		if (p->kind == TAGGED_TOOL) {
			emit_tool(g, p);
		} else {
			sb_reset(&g->scratch);
			sb_addf(&g->scratch, "<tool_use:%s> is never closed: not read as a tool call",
			        p->name);
			sink->bad_record(sink->ctx, g->line, sb_str(&g->scratch));
		}
	}
	if (g->dropped) {
		sb_reset(&g->scratch);
		sb_addf(&g->scratch, "%d more tool tags than the %zu read from one message",
		        g->dropped, g->piece_count);
		sink->bad_record(sink->ctx, g->line, sb_str(&g->scratch));
	}
}

/* Reads an assistant's answer: thinking, what it said, the tags. */
static void
read_answer(struct tagged *g, const char *text, const char *reasoning)
{
	sb_reset(&g->text);
	g->piece_count = 0;
	g->dropped = 0;
	if (reasoning)
		add_trimmed(&g->text, reasoning, strlen(reasoning), "[thinking] ", "\n[/thinking]");
	tagged_split(text, strlen(text), on_piece, g);
}

/* content: a string, or parts that are strings or {"text": ...}. */
static int
content_text(const cJSON *rec, struct strbuf *out)
{
	const cJSON *content = cJSON_GetObjectItemCaseSensitive(rec, "content");
	sb_reset(out);
	sb_add(out, "", 0);
	if (cJSON_IsString(content)) {
		sb_adds(out, content->valuestring);
		return 1;
	}
	if (cJSON_IsArray(content)) {
		const cJSON *part;
		cJSON_ArrayForEach(part, content)
			jsonrec_add_text(out, cJSON_IsString(part) ? part->valuestring :
			                      jsonrec_string(part, "text"));
		return 1;
	}
	return !content || cJSON_IsNull(content);
}

static int
on_record(void *ctx, const cJSON *rec, int64_t line)
{
	struct tagged *g = ctx;
	struct ingest_sink *sink = g->t.sink;
	const cJSON *meta = cJSON_GetObjectItemCaseSensitive(rec, "metadata");
	const char *role = jsonrec_string(rec, "role");
	const char *answer = response_text(rec);
	g->line = line;
	g->calls = 0;
	if (!role && !answer) {
		sink->bad_record(sink->ctx, line, "neither a message (\"role\") nor a response "
		                 "(\"raw_response\", \"response\", \"completion\" or \"output\")");
		return 0;
	}
	g->ts = jsonrec_timestamp(&g->t, rec);
	if (g->ts == ALIBI_TS_NONE && cJSON_IsObject(meta))
		g->ts = jsonrec_timestamp(&g->t, meta);
	const char *agent = jsonrec_string(rec, "model");
	if (!agent && cJSON_IsObject(meta))
		agent = jsonrec_string(meta, "model");
	if (answer) {
		read_answer(g, answer, NULL);
		emit_message(g, "assistant", agent);
	} else if (!content_text(rec, &g->content)) {
		sink->bad_record(sink->ctx, line, "\"content\" is neither text nor a list of parts");
		return 0;
	} else if (strcmp(role, "assistant") == 0) {
		const char *reasoning = jsonrec_string(rec, "reasoning_content");
		read_answer(g, sb_str(&g->content), reasoning ? reasoning : jsonrec_string(rec, "reasoning"));
		emit_message(g, role, agent);
	} else {
		struct alibi_message msg = { g->ts, role, agent, sb_str(&g->content), line };
		sink->message(sink->ctx, &msg);
	}
	if (sink->record)
		sink->record(sink->ctx);
	return 0;
}

static void
on_bad(void *ctx, int64_t line, const char *problem)
{
	struct tagged *g = ctx;
	g->t.sink->bad_record(g->t.sink->ctx, line, problem);
}

int
tagged_parse(const struct ingest_input *in, struct ingest_sink *sink, struct alibi_error *err)
{
	struct tagged g;
	memset(&g, 0, sizeof g);
	jsonrec_transcript_init(&g.t, sink);
	struct jsonrec_handler h = { &g, on_record, on_bad };
	int rc = jsonrec_read(in, &h, err);
	jsonrec_transcript_finish(&g.t);
	sb_free(&g.text);
	sb_free(&g.content);
	sb_free(&g.scratch);
	return rc;
}
