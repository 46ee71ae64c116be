/* miniswe.c — mini-swe-agent trajectories: plain {role, content} messages
 * (a JSON array, or {"messages": [...]} with run info beside it) where the
 * assistant's command is a fenced block (```mswea_bash_command or ```bash)
 * and the next user message carries its <returncode> and <output>.
 *
 * mini-swe-agent runs a reply's command only when the reply holds exactly
 * one block (else it answers with a format error), and runs every command
 * in a fresh subshell, so a "cd" does not carry over to the next one. */
#include <stdlib.h>
#include <string.h>

#include "alibi/ingest.h"
#include "alibi/jsonrec.h"

struct miniswe {
	struct jsonrec_transcript t;
	struct strbuf text;
	struct strbuf command;
	struct strbuf args;
	struct strbuf pending;   /* call id waiting for its result, "" when none */
};

/* ---- detection ---------------------------------------------------------------- */

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
miniswe_detect(const char *head, size_t len)
{
	struct jsonrec_survey s;
	jsonrec_survey(head, len, &s);
	if (s.records == 0 && !s.cut_role)
		return 0;
	if (s.records && (s.with_role * 2 <= s.records || s.nested_message * 2 >= s.records))
		return 0;
	if (s.openai_marks || s.anthropic_marks)
		return 0;
	int fence = head_has(head, len, "```mswea_bash_command");
	int observed = head_has(head, len, "<returncode>");
	if (fence && observed)
		return 90;
	if (fence || (observed && head_has(head, len, "```bash")))
		return 80;
	return 0;
}

/* ---- commands ----------------------------------------------------------------- */

/* The fenced block starting at p ("```"): its command into out, and where
 * the block ends; NULL when p does not open a command block. */
static const char *
fenced_command(const char *p, struct strbuf *out)
{
	static const char *const langs[] = { "mswea_bash_command", "bash", NULL };
	const char *q = p + 3;
	size_t n = 0;
	for (size_t k = 0; langs[k] && !n; k++)
		if (strncmp(q, langs[k], strlen(langs[k])) == 0)
			n = strlen(langs[k]);
	if (!n)
		return NULL;
	q += n;
	while (*q == ' ' || *q == '\t' || *q == '\r')
		q++;
	if (*q != '\n')
		return NULL;
	q++;
	const char *end = strstr(q, "\n```");
	if (!end)
		return NULL;
	sb_reset(out);
	sb_add(out, q, (size_t)(end - q));
	return end + 4;
}

/* How many command blocks text holds; the first one's command goes into
 * out. */
static int
find_commands(const char *text, struct strbuf *out)
{
	struct strbuf other = STRBUF_INIT;
	int count = 0;
	const char *p = text;
	while ((p = strstr(p, "```")) != NULL) {
		const char *next = fenced_command(p, count ? &other : out);
		if (next) {
			count++;
			p = next;
		} else {
			p += 3;
		}
	}
	sb_free(&other);
	return count;
}

/* ---- records ------------------------------------------------------------------ */

/* content as text: a string, or a list of text parts (newer trajectories). */
static int
content_text(const cJSON *rec, struct strbuf *text)
{
	const cJSON *content = cJSON_GetObjectItemCaseSensitive(rec, "content");
	if (cJSON_IsString(content)) {
		sb_adds(text, content->valuestring);
		return 1;
	}
	if (cJSON_IsArray(content)) {
		const cJSON *part;
		cJSON_ArrayForEach(part, content)
			jsonrec_add_text(text, cJSON_IsString(part) ? part->valuestring :
			                       jsonrec_string(part, "text"));
		return 1;
	}
	return !content || cJSON_IsNull(content);
}

static void
emit_command(struct miniswe *m, int64_t message, int64_t ts, int64_t line)
{
	sb_reset(&m->args);
	sb_adds(&m->args, "{\"command\":");
	sb_add_json_string(&m->args, sb_str(&m->command));
	sb_addc(&m->args, '}');
	sb_reset(&m->pending);
	sb_addf(&m->pending, "mswea-%lld", (long long)line);
	struct alibi_tool_call tc = {
		message, sb_str(&m->pending), "bash", sb_str(&m->args), NULL, ts, line
	};
	jsonrec_emit_tool_call(&m->t, &tc);
	sb_reset(&m->t.cwd);   /* the next command runs in a fresh subshell */
}

/* "<returncode>N</returncode>": N, or 0 when the text has none. */
static long
return_code(const char *text)
{
	const char *p = strstr(text, "<returncode>");
	if (!p)
		return 0;
	return strtol(p + strlen("<returncode>"), NULL, 10);
}

static int
on_record(void *ctx, const cJSON *rec, int64_t line)
{
	struct miniswe *m = ctx;
	struct ingest_sink *sink = m->t.sink;
	const char *role = jsonrec_string(rec, "role");
	if (!role || !*role) {
		sink->bad_record(sink->ctx, line, "message has no \"role\"");
		return 0;
	}
	sb_reset(&m->text);
	if (!content_text(rec, &m->text)) {
		sink->bad_record(sink->ctx, line, "\"content\" is neither text nor a list of parts");
		return 0;
	}
	int64_t ts = jsonrec_timestamp(&m->t, rec);
	struct alibi_message msg = { ts, role, NULL, sb_str(&m->text), line };
	int64_t id = sink->message(sink->ctx, &msg);
	if (strcmp(role, "assistant") == 0) {
		sb_reset(&m->pending);
		if (find_commands(sb_str(&m->text), &m->command) == 1)
			emit_command(m, id, ts, line);
	} else if (m->pending.len && (strcmp(role, "user") == 0 || strcmp(role, "tool") == 0)) {
		struct alibi_tool_result r = {
			sb_str(&m->pending), sb_str(&m->text), return_code(sb_str(&m->text)) != 0,
			ts, line
		};
		sink->tool_result(sink->ctx, &r);
		sb_reset(&m->pending);
	}
	if (sink->record)
		sink->record(sink->ctx);
	return 0;
}

static void
on_bad(void *ctx, int64_t line, const char *problem)
{
	struct miniswe *m = ctx;
	m->t.sink->bad_record(m->t.sink->ctx, line, problem);
}

int
miniswe_parse(const struct ingest_input *in, struct ingest_sink *sink, struct alibi_error *err)
{
	struct miniswe m;
	memset(&m, 0, sizeof m);
	jsonrec_transcript_init(&m.t, sink);
	struct jsonrec_handler h = { &m, on_record, on_bad };
	int rc = jsonrec_read(in, &h, err);
	jsonrec_transcript_finish(&m.t);
	sb_free(&m.text);
	sb_free(&m.command);
	sb_free(&m.args);
	sb_free(&m.pending);
	return rc;
}
