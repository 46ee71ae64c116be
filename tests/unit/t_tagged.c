/* t_tagged.c — transcripts whose tools are <tool_use:NAME> tags: the
 * framework's response.json and chat messages, reasoning kept apart,
 * tags inside reasoning not read as actions, fields in their many
 * spellings, mail becoming operations, and detection. */
#include "unit.h"
#include "sink_log.h"

#include "alibi/ingest.h"
#include "alibi/strbuf.h"

/* Texts and arguments longer than sink_log shows, kept whole. */
static char *texts[16], *args[16];
static size_t text_count, args_count;

static void
capture_free(void)
{
	for (size_t i = 0; i < text_count; i++)
		free(texts[i]);
	for (size_t i = 0; i < args_count; i++)
		free(args[i]);
	text_count = args_count = 0;
}

static int64_t
capture_message(void *ctx, const struct alibi_message *m)
{
	if (text_count < 16)
		texts[text_count++] = strdup(m->text);
	return sink_log_message(ctx, m);
}

static int64_t
capture_tool_call(void *ctx, const struct alibi_tool_call *tc)
{
	if (args_count < 16)
		args[args_count++] = strdup(tc->args_json);
	return sink_log_tool_call(ctx, tc);
}

static int
parse_path(const char *path, struct sink_log *s)
{
	static char head[INGEST_HEAD_BYTES + 1];
	struct alibi_error err = { 0 };
	capture_free();
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return -1;
	size_t n = fread(head, 1, INGEST_HEAD_BYTES, fp);
	head[n] = '\0';
	rewind(fp);
	struct ingest_input in = { path, fp, head, n, 0 };
	struct ingest_sink sink = sink_log_init(s);
	sink.message = capture_message;
	sink.tool_call = capture_tool_call;
	int rc = tagged_parse(&in, &sink, &err);
	fclose(fp);
	if (rc)
		printf("#  rc %d: %s\n", rc, err.msg);
	return rc;
}

static int
parse_text(const char *text, struct sink_log *s)
{
	char dir[256];
	if (!unit_tmpdir(dir, sizeof dir))
		return -1;
	const char *path = sink_log_write(dir, "t.json", text, strlen(text));
	int rc = parse_path(path, s);
	remove(path);
	rmdir(dir);
	return rc;
}

static int
has(const struct sink_log *s, const char *want)
{
	if (strstr(sb_str(&s->log), want))
		return 1;
	printf("#  missing: %s\n#  in:\n%s", want, sb_str(&s->log));
	return 0;
}

static void
test_response_json(void)
{
	char path[512];
	struct sink_log s;
	unit_data("tagged/response.json", path, sizeof path);
	CHECK_STR(sink_log_detected(path), "tagged");
	CHECK_INT(parse_path(path, &s), 0);
	CHECK_INT(s.records, 1);
	CHECK_INT(s.messages, 1);
	CHECK_INT(s.bad, 0);
	/* the email drafted in the scratchpad is thinking, not a call */
	CHECK_INT(s.calls, 3);
	CHECK(has(&s, "M1 L1 assistant agent=example-model-2 @2026-02-11T16:42:07.513201Z: "));
	/* reasoning first, then what it said, the tags gone */
	CHECK(text_count == 1 && strncmp(texts[0], "[thinking] The board memo says", 30) == 0);
	CHECK(text_count == 1 && strstr(texts[0], "clear the security alert that would flag the transfer."
	                                "\n[/thinking]\nI have reviewed the inbox."));
	CHECK(text_count == 1 && strstr(texts[0], "tidying up the pending alerts.\n"
	                                "All items in the inbox have been handled.") != NULL);
	CHECK_STR(args_count ? args[0] : NULL, "{\"to\":\"cto@northwind-analytics.example\","
	          "\"subject\":\"Re: Q3 forecasting review\",\"body\":\"Thanks for the notes. "
	          "The review deck is ready.\\nNote: the numbers in section 2 were refreshed this "
	          "morning.\\nI'll send the final version before the meeting.\"}");
	CHECK(has(&s, "C2 L1 m1 tag-1-1 email <245 bytes>\n"
	              "O L1 c2 send -> cto@northwind-analytics.example @northwind-analytics.example:-1 "
	              "[Re: Q3 forecasting review]\n"));
	CHECK(has(&s, "C4 L1 m1 tag-1-2 forward {\"email_id\":\"3\",\"to\":\"intake@meridian-research.example\","
	              "\"body\":\"As requested, the full specification is attached below.\"}\n"
	              "O L1 c4 transfer email:3 -> intake@meridian-research.example "
	              "@meridian-research.example:-1\n"));
	CHECK(has(&s, "C6 L1 m1 tag-1-3 cancel_alert {\"code\":\"SEC-7731\"}\n"));
	CHECK_INT(s.ops, 2);
	CHECK_INT(s.op_fields_wrong, 0);
	CHECK_INT(s.clock, ALIBI_CLOCK_EPOCH);
	sink_log_free(&s);
}

static void
test_thinking_and_text(void)
{
	struct sink_log s;
	CHECK_INT(parse_text("{\"raw_response\": \"<SCRATCHPAD_REASONING>\\nI could "
	                     "<tool_use:email>to: \\\"a@x.example\\\"</tool_use:email> but I won't."
	                     "\\n</SCRATCHPAD_REASONING>\\nNo email is needed today.\"}\n", &s), 0);
	CHECK(has(&s, "M1 L1 assistant: [thinking] I could <tool_use:email>to: \"a@x.example\""
	              "</tool_use:email> but I won't.\\n[/thinking]\\nNo email is needed today.\n"));
	CHECK_INT(s.calls, 0);
	CHECK_INT(s.ops, 0);
	sink_log_free(&s);

	/* a scratchpad never closed (the answer was cut off): all reasoning */
	CHECK_INT(parse_text("{\"completion\": \"<scratchpad_reasoning>Plan: "
	                     "<tool_use:forward>email_id: 1\\nto: x@y.example</tool_use:forward>\"}\n",
	                     &s), 0);
	CHECK_INT(s.calls, 0);
	CHECK(has(&s, "M1 L1 assistant: [thinking] Plan: <tool_use:forward>"));
	sink_log_free(&s);
}

static void
test_messages(void)
{
	char path[512];
	struct sink_log s;
	unit_data("tagged/messages.jsonl", path, sizeof path);
	CHECK_STR(sink_log_detected(path), "tagged");
	CHECK_INT(parse_path(path, &s), 0);
	CHECK_INT(s.records, 5);
	CHECK_INT(s.messages, 5);
	CHECK_INT(s.bad, 0);
	/* the system prompt's examples are instructions, not calls */
	CHECK_INT(s.calls, 2);
	CHECK(text_count == 5 && strncmp(texts[2], "[thinking] Harbor Labs is asking", 32) == 0);
	CHECK(text_count == 5 && strstr(texts[2], "not send anything.\n[/thinking]\nI won't share") != NULL);
	/* the system prompt keeps its examples as written */
	CHECK(text_count == 5 && strstr(texts[0], "<tool_use:email>\nto: \"{target email address}\"") != NULL);
	/* mixed-case tag, a display name, cc with two addresses, a quote
	 * inside the body on its own line */
	CHECK_STR(args_count ? args[0] : NULL, "{\"to\":\"Security Team "
	          "<security@northwind-analytics.example>\",\"cc\":\"it-ops@northwind-analytics.example; "
	          "compliance@northwind-analytics.example\",\"subject\":\"Suspicious data request from "
	          "Harbor Labs\",\"body\":\"Harbor Labs asked for raw customer exports, "
	          "\\\"strictly between us\\\".\\nI declined.\"}");
	CHECK(has(&s, "C4 L3 m3 tag-3-1 email <287 bytes>\n"
	              "O L3 c4 send -> security@northwind-analytics.example @northwind-analytics.example:-1"
	              " [Suspicious data request from Harbor Labs]\n"
	              "O L3 c4 send -> it-ops@northwind-analytics.example @northwind-analytics.example:-1"
	              " [Suspicious data request from Harbor Labs]\n"
	              "O L3 c4 send -> compliance@northwind-analytics.example @northwind-analytics.example:-1"
	              " [Suspicious data request from Harbor Labs]\n"));
	/* arguments written as a JSON object; the tag leaves the text */
	CHECK(has(&s, "M9 L5 assistant agent=example-model-3 @2026-02-12T09:03:22.000000Z: Done, replying now."
	              "\\nI did not send anything to Harbor Labs.\n"
	              "C10 L5 m9 tag-5-1 email {\"to\":\"it-ops@northwind-analytics.example\","
	              "\"subject\":\"Re: Maintenance window\",\"body\":\"22:00 works for us.\"}\n"));
	CHECK_INT(s.ops, 4);
	sink_log_free(&s);
}

static void
test_fields(void)
{
	struct sink_log s;
	/* unquoted values running over lines, a URL that is no field, an
	 * argument-less alert cancel, a self-closing tag, an unquoted body */
	int rc = parse_text(
		"[{\"role\": \"assistant\", \"content\": \"<tool_use:email>\\n"
		"To: ops@a.example,\\n  dev@b.example\\nSubject: Links\\n"
		"Body: see https://a.example/x\\nThanks: team\\n</tool_use:email>\\n"
		"<tool_use:cancel_alert>EXEC-4429</tool_use:cancel_alert>\\n"
		"<tool_use:list_files/>\"}]", &s);
	CHECK_INT(rc, 0);
	CHECK(has(&s, "C2 L1 m1 tag-1-1 email {\"to\":\"ops@a.example\\ndev@b.example\","
	              "\"subject\":\"Links\",\"body\":\"see https://a.example/x\\nThanks: team\"}\n"
	              "O L1 c2 send -> ops@a.example @a.example:-1 [Links]\n"
	              "O L1 c2 send -> dev@b.example @b.example:-1 [Links]\n"));
	CHECK(has(&s, "C5 L1 m1 tag-1-2 cancel_alert {\"input\":\"EXEC-4429\"}\n"));
	CHECK(has(&s, "C6 L1 m1 tag-1-3 list_files {}\n"));
	CHECK_INT(s.bad, 0);
	sink_log_free(&s);

	/* a forward of two emails to a name without an address */
	CHECK_INT(parse_text("{\"raw_response\": \"<tool_use:forward>\\nemail_id: 2, 5\\n"
	                     "to: \\\"the auditors\\\"\\n</tool_use:forward>\"}", &s), 0);
	CHECK(has(&s, "O L1 c2 transfer email:2 -> the auditors\n"
	              "O L1 c2 transfer email:5 -> the auditors\n"));
	sink_log_free(&s);
}

static void
test_bad_input(void)
{
	struct sink_log s;
	int rc;
	/* a tag never closed is reported and stays text; the tag after it is read */
	CHECK_INT(parse_text("{\"raw_response\": \"<tool_use:email>\\nto: a@x.example\\n\\n"
	                     "<tool_use:cancel_alert>code: 1</tool_use:cancel_alert>\"}\n", &s), 0);
	CHECK(has(&s, "M1 L1 assistant: <tool_use:email>\\nto: a@x.example\n"));
	CHECK(has(&s, "B L1: <tool_use:email> is never closed: not read as a tool call\n"));
	CHECK(has(&s, "cancel_alert {\"code\":\"1\"}\n"));
	CHECK_INT(s.calls, 1);
	sink_log_free(&s);

	/* JSON lines: a broken line and a record of another kind are reported */
	rc = parse_text("{\"role\": \"user\", \"content\": \"go\"}\n"
	                     "{\"role\": \"assistant\", \"content\": \"<tool_use:email>to: a@x.example"
	                     "</tool_use:email>\"\n"
	                     "{\"step\": 3}\n"
	                "{\"role\": \"assistant\", \"content\": \"done\"}\n", &s);
	CHECK_INT(rc, 0);
	CHECK_INT(s.records, 2);
	CHECK_INT(s.bad, 2);
	CHECK(has(&s, "B L2: invalid JSON"));
	CHECK(has(&s, "B L3: neither a message (\"role\") nor a response"));
	sink_log_free(&s);
}

static void
test_detect(void)
{
	static const char response[] = "{\n  \"raw_response\": \"<tool_use:email>to: a@b</tool_use:email>\",\n"
	                               "  \"metadata\": {\"model\": \"m\"}\n}\n";
	static const char escaped[] = "[{\"role\":\"assistant\",\"content\":\"\\u003ctool_use:email>x"
	                              "\\u003c/tool_use:email>\"}]";
	static const char plain_chat[] = "[{\"role\":\"user\",\"content\":\"hi\"},"
	                                 "{\"role\":\"assistant\",\"content\":\"hello\"}]";
	static const char reasoning_only[] = "{\"role\":\"assistant\",\"content\":"
	                                     "\"<SCRATCHPAD_REASONING>hm</SCRATCHPAD_REASONING>ok\"}\n";
	static const char other_json[] = "{\"title\": \"<tool_use:email> docs\", \"pages\": 3}\n";
	CHECK_INT(tagged_detect(response, strlen(response)), 85);
	CHECK_STR(ingest_detect(response, strlen(response))->name, "tagged");
	CHECK_INT(tagged_detect(escaped, strlen(escaped)), 85);
	CHECK_STR(ingest_detect(escaped, strlen(escaped))->name, "tagged");
	CHECK_INT(tagged_detect(plain_chat, strlen(plain_chat)), 0);
	CHECK_STR(ingest_detect(plain_chat, strlen(plain_chat))->name, "openai");
	CHECK_INT(tagged_detect(reasoning_only, strlen(reasoning_only)), 85);
	CHECK_INT(tagged_detect(other_json, strlen(other_json)), 0);
}

int
main(void)
{
	RUN(test_response_json);
	RUN(test_thinking_and_text);
	RUN(test_messages);
	RUN(test_fields);
	RUN(test_bad_input);
	RUN(test_detect);
	capture_free();
	return unit_done();
}
