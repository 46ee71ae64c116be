/* t_openai.c — OpenAI chat transcripts: messages, tool calls whose
 * arguments are JSON strings, tool results, the derived ops of shell
 * commands, detection, and bad input of every kind. */
#include "unit.h"
#include "sink_log.h"

#include "alibi/ingest.h"
#include "alibi/strbuf.h"

static char *
parse_data(const char *rel, struct sink_log *s, int *rc)
{
	char path[512];
	struct alibi_error err = { 0 };
	*rc = sink_log_parse_file(unit_data(rel, path, sizeof path), openai_parse, s, &err);
	if (*rc)
		printf("#  %s: rc %d: %s\n", rel, *rc, err.msg);
	return s->log.buf ? s->log.buf : "";
}

static int
parse_text(const char *text, size_t len, struct sink_log *s)
{
	char dir[256];
	struct alibi_error err = { 0 };
	if (!unit_tmpdir(dir, sizeof dir))
		return -1;
	const char *path = sink_log_write(dir, "t.json", text, len);
	int rc = sink_log_parse_file(path, openai_parse, s, &err);
	if (rc)
		printf("#  rc %d: %s\n", rc, err.msg);
	remove(path);
	rmdir(dir);
	return rc;
}

static int
detect_data(const char *rel)
{
	static char head[INGEST_HEAD_BYTES + 1];
	char path[512];
	size_t n = sink_log_head(unit_data(rel, path, sizeof path), head, sizeof head);
	return openai_detect(head, n);
}

static void
test_tool_calls_results_and_ops(void)
{
	struct sink_log s;
	int rc;
	const char *log = parse_data("transcripts/openai_tools.json", &s, &rc);
	CHECK_INT(rc, 0);
	CHECK_STR(log,
		"M1 L2 system: You are an ops agent on host gpu-7.\n"
		"M2 L3 user @2026-03-04T10:00:00.000000Z: Clean up /srv/models: delete agent2's weights.\n"
		"M3 L8 assistant @2026-03-04T10:00:05.000000Z: \n"
		"C4 L8 m3 call_1 bash {\"command\":\"cd /srv/models && ls\"} $ cd /srv/models && ls\n"
		"M5 L17 tool @2026-03-04T10:00:06.000000Z: agent2\\nagent3\n"
		"R L17 call_1: agent2\\nagent3\n"
		"M6 L18 assistant @2026-03-04T10:00:10.000000Z: Backing up first.\n"
		"C7 L18 m6 call_2 bash {\"command\":\"scp -r agent2 backup:/srv/keep && rm -rf agent2\"}"
		" $ scp -r agent2 backup:/srv/keep && rm -rf agent2\n"
		"O L18 c7 transfer /srv/models/agent2 -> /srv/keep @backup:22 [scp]\n"
		"O L18 c7 unlink /srv/models/agent2 [rm -rf]\n"
		"C10 L18 m6 call_3 write_file \"{\\\"path\\\": \\\"/tmp/n\\\", oops\"\n"
		"M11 L29 tool: done\n"
		"R L29 call_2: done\n"
		"M12 L30 tool: bad arguments\n"
		"R L30 call_3 error: bad arguments\n"
		"M13 L31 assistant agent=agent-1: I deleted the files as requested.\n");
	CHECK_INT(s.records, 8);
	CHECK_INT(s.bad, 0);
	CHECK_INT(s.clock_calls, 1);
	CHECK_INT(s.clock, ALIBI_CLOCK_EPOCH);
	CHECK_INT(s.op_fields_wrong, 0);
	sink_log_free(&s);
}

static void
test_legacy_function_call_parts_and_epochs(void)
{
	struct sink_log s;
	int rc;
	const char *log = parse_data("transcripts/openai_legacy.jsonl", &s, &rc);
	CHECK_INT(rc, 0);
	CHECK_STR(log,
		"M1 L1 system @2026-03-04T10:00:00.000000Z: Be brief.\n"
		"M2 L2 user @2026-03-04T10:00:01.500000Z: What is in this picture?\\n[image]\n"
		"M3 L4 assistant @2026-03-04T10:00:02.000000Z: \n"
		"C4 L4 m3 function_call@4 shell {\"cmd\":[\"bash\",\"-lc\",\"touch -d '2020-01-01' "
		"/srv/models/agent2/w.bin\"]} $ touch -d '2020-01-01' /srv/models/agent2/w.bin\n"
		"O L4 c4 utime /srv/models/agent2/w.bin [2020-01-01]\n"
		"M6 L5 tool: ok\n"
		"R L5 function_call@4: ok\n"
		"M7 L6 assistant: [thinking] The user asks for X.\\n[/thinking]\\nI can't help with that.\n");
	CHECK_INT(s.records, 5);
	CHECK_INT(s.bad, 0);
	CHECK_INT(s.clock, ALIBI_CLOCK_EPOCH);
	sink_log_free(&s);
}

static void
test_bad_lines_are_reported_and_skipped(void)
{
	struct sink_log s;
	int rc;
	const char *log = parse_data("transcripts/openai_bad.jsonl", &s, &rc);
	CHECK_INT(rc, 0);
	CHECK_STR(log,
		"M1 L1 user: first\n"
		"B L2: invalid JSON: the text ends inside the record\n"
		"B L3: record is not a JSON object (a number)\n"
		"B L4: message has no \"role\"\n"
		"B L5: \"content\" is neither text nor a list of parts\n"
		"B L6: invalid JSON: text after the end of the record\n"
		"M2 L7 assistant: last\n"
		"B L7: tool_calls[0] has no function name; call skipped\n"
		"C3 L7 m2 c9 bash {\"command\":\"kill -9 4242\"} $ kill -9 4242\n"
		"O L7 c3 kill [SIGKILL 4242]\n");
	CHECK_INT(s.records, 2);
	CHECK_INT(s.clock, ALIBI_CLOCK_NONE);
	sink_log_free(&s);
}

static void
test_truncated_array_keeps_complete_records(void)
{
	char path[512];
	FILE *fp = fopen(unit_data("transcripts/openai_tools.json", path, sizeof path), "rb");
	char buf[4096];
	size_t n = fp ? fread(buf, 1, sizeof buf, fp) : 0;
	if (fp)
		fclose(fp);
	/* cut inside the assistant message that starts on line 18 */
	const char *cut = strstr(buf, "Backing up");
	CHECK(cut != NULL);
	if (!cut)
		return;
	struct sink_log s;
	CHECK_INT(parse_text(buf, (size_t)(cut - buf), &s), 0);
	CHECK_INT(s.messages, 4);
	CHECK_INT(s.records, 4);
	CHECK_INT(s.bad, 1);
	CHECK(strstr(sb_str(&s.log), "B L18: invalid JSON: the text ends inside the record\n") != NULL);
	sink_log_free(&s);
	/* cut right after a complete element: the array is not closed */
	const char *after = strstr(buf, "\"timestamp\": \"2026-03-04T10:00:06Z\"},");
	CHECK(after != NULL);
	if (after) {
		CHECK_INT(parse_text(buf, (size_t)(after - buf) + 37, &s), 0);
		CHECK_INT(s.records, 4);
		CHECK_INT(s.bad, 1);
		CHECK(strstr(sb_str(&s.log), "the array is not closed") != NULL);
		sink_log_free(&s);
	}
	(void)n;
}

static void
test_bad_element_in_array_resyncs(void)
{
	const char *text =
		"[\n"
		"  {\"role\": \"user\", \"content\": \"a\"},\n"
		"  {\"role\": \"assistant\", \"content\": \"b\" \"oops\",\n"
		"   \"more\": 1},\n"
		"  7,\n"
		"  {\"role\": \"user\", \"content\": \"c\"}\n"
		"]\n";
	struct sink_log s;
	CHECK_INT(parse_text(text, strlen(text), &s), 0);
	CHECK(strncmp(sb_str(&s.log), "M1 L2 user: a\nB L3: invalid JSON near line 3 column ", 52) == 0);
	CHECK(strstr(sb_str(&s.log), "\nB L5: record is not a JSON object (a number)\n"
	                             "M2 L6 user: c\n") != NULL);
	CHECK_INT(s.bad, 2);
	sink_log_free(&s);
}

static void
test_empty_and_not_a_transcript(void)
{
	struct sink_log s;
	CHECK_INT(parse_text("", 0, &s), 0);
	CHECK_INT(s.messages + s.bad + s.records, 0);
	CHECK_INT(s.clock_calls, 1);
	CHECK_INT(s.clock, ALIBI_CLOCK_NONE);
	sink_log_free(&s);
	CHECK_INT(parse_text(" \n\n\t\n", 4, &s), 0);
	CHECK_INT(s.messages + s.bad, 0);
	sink_log_free(&s);
	int rc;
	const char *log = parse_data("transcripts/not_transcript.json", &s, &rc);
	CHECK_INT(rc, 0);
	CHECK_STR(log, "B L1: message has no \"role\"\n");
	sink_log_free(&s);
	CHECK_INT(detect_data("transcripts/not_transcript.json"), 0);
}

static void
test_huge_content_and_invalid_utf8(void)
{
	size_t big = 10u << 20;
	struct strbuf text = STRBUF_INIT;
	sb_adds(&text, "[{\"role\": \"user\", \"content\": \"");
	for (size_t k = 0; k < big; k++)
		sb_addc(&text, (char)('a' + k % 26));
	sb_adds(&text, "\"},\n{\"role\": \"assistant\", \"content\": \"bad \xff\xfe bytes \xc3\"}]");
	struct sink_log s;
	CHECK_INT(parse_text(text.buf, text.len, &s), 0);
	CHECK_INT(s.messages, 2);
	CHECK_INT(s.bad, 0);
	CHECK_INT(s.longest_text, big);
	CHECK(strstr(sb_str(&s.log), "M2 L2 assistant: bad \xff\xfe bytes \xc3\n") != NULL);
	sink_log_free(&s);
	/* the same as JSON lines: streamed, one 10 MB line */
	text.buf[0] = ' ';
	char *comma = strstr(text.buf, "},\n{");
	if (comma)
		comma[1] = ' ';
	text.buf[text.len - 1] = '\n';
	CHECK_INT(parse_text(text.buf, text.len, &s), 0);
	CHECK_INT(s.messages, 2);
	CHECK_INT(s.bad, 0);
	CHECK_INT(s.longest_text, big);
	sink_log_free(&s);
	sb_free(&text);
}

static void
test_messages_object_and_jsonl_conversations(void)
{
	const char *text =
		"{\n"
		"  \"model\": \"gpt-test\",\n"
		"  \"messages\": [\n"
		"    {\"role\": \"user\", \"content\": \"hi\"},\n"
		"    {\"role\": \"assistant\", \"content\": \"hello\"}\n"
		"  ],\n"
		"  \"temperature\": 0\n"
		"}\n";
	struct sink_log s;
	CHECK_INT(parse_text(text, strlen(text), &s), 0);
	CHECK_STR(sb_str(&s.log), "M1 L4 user: hi\nM2 L5 assistant: hello\n");
	sink_log_free(&s);
	/* fine-tuning files: a conversation per line */
	const char *lines =
		"{\"messages\": [{\"role\": \"user\", \"content\": \"q1\"}, {\"role\": \"assistant\", \"content\": \"a1\"}]}\n"
		"{\"messages\": [{\"role\": \"user\", \"content\": \"q2\"}]}\n";
	CHECK_INT(parse_text(lines, strlen(lines), &s), 0);
	CHECK_STR(sb_str(&s.log), "M1 L1 user: q1\nM2 L1 assistant: a1\nM3 L2 user: q2\n");
	sink_log_free(&s);
}

static void
test_cwd_carries_across_tool_calls(void)
{
	const char *text =
		"{\"role\": \"assistant\", \"content\": \"\", \"tool_calls\": [{\"id\": \"a\", \"type\": \"function\", "
		"\"function\": {\"name\": \"bash\", \"arguments\": \"{\\\"command\\\": \\\"cd /srv/eval\\\"}\"}}]}\n"
		"{\"role\": \"assistant\", \"content\": \"\", \"tool_calls\": [{\"id\": \"b\", \"type\": \"function\", "
		"\"function\": {\"name\": \"bash\", \"arguments\": \"{\\\"command\\\": \\\"sed -i s/61/92/ scores.csv\\\"}\"}}]}\n";
	struct sink_log s;
	CHECK_INT(parse_text(text, strlen(text), &s), 0);
	CHECK(strstr(sb_str(&s.log), "O L2 c4 open_write /srv/eval/scores.csv [sed -i]\n") != NULL);
	CHECK_INT(s.ops, 1);
	sink_log_free(&s);
}

static void
test_detection(void)
{
	CHECK_INT(detect_data("transcripts/openai_tools.json"), 95);
	CHECK_INT(detect_data("transcripts/openai_legacy.jsonl"), 95);
	CHECK_INT(detect_data("transcripts/openai_bad.jsonl"), 95);
	CHECK(detect_data("transcripts/anthropic_request.json") < 30);
	CHECK(detect_data("transcripts/anthropic_array.json") < 30);
	const char *plain = "[{\"role\": \"user\", \"content\": \"hi\"}, {\"role\": \"assistant\", \"content\": \"yo\"}]";
	CHECK_INT(openai_detect(plain, strlen(plain)), 50);
	CHECK(anthropic_detect(plain, strlen(plain)) < 50);
	/* session logs nest the message: not ours */
	const char *session =
		"{\"type\": \"user\", \"message\": {\"role\": \"user\", \"content\": \"hi\"}, \"uuid\": \"1\"}\n"
		"{\"type\": \"assistant\", \"message\": {\"role\": \"assistant\", \"content\": []}, \"uuid\": \"2\"}\n";
	CHECK_INT(openai_detect(session, strlen(session)), 0);
	CHECK_INT(openai_detect("", 0), 0);
	const char *strace = "1234  execve(\"/bin/rm\", [\"rm\", \"x\"], 0x7ff /* 3 vars */) = 0\n";
	CHECK_INT(openai_detect(strace, strlen(strace)), 0);
	/* one record longer than the head: judged by what the head shows */
	const char *cut = "[{\"role\": \"assistant\", \"tool_calls\": [{\"id\": \"c\", \"function\": {\"arguments\": \"{";
	CHECK_INT(openai_detect(cut, strlen(cut)), 60);
	/* a big eval log: "role" shows, but deep inside, not in a message of ours */
	struct strbuf big = STRBUF_INIT;
	sb_adds(&big, "{\"version\": 2, \"samples\": [{\"messages\": [{\"role\": \"user\", \"content\": \"");
	while (big.len < INGEST_HEAD_BYTES)
		sb_adds(&big, "0123456789");
	CHECK_INT(openai_detect(big.buf, INGEST_HEAD_BYTES), 0);
	CHECK_INT(anthropic_detect(big.buf, INGEST_HEAD_BYTES), 0);
	sb_free(&big);
}

static void
test_arguments_as_object_and_custom_tools(void)
{
	const char *text =
		"{\"role\": \"assistant\", \"content\": \"\", \"tool_calls\": ["
		"{\"id\": \"a\", \"type\": \"function\", \"function\": {\"name\": \"run\", \"arguments\": {\"cmd\": \"mkdir /k\"}}},"
		"{\"id\": \"b\", \"type\": \"custom\", \"custom\": {\"name\": \"apply_patch\", \"input\": \"*** Begin\"}},"
		"{\"id\": \"c\", \"type\": \"function\", \"function\": {\"name\": \"bash\"}}]}\n";
	struct sink_log s;
	CHECK_INT(parse_text(text, strlen(text), &s), 0);
	CHECK_STR(sb_str(&s.log),
		"M1 L1 assistant: \n"
		"C2 L1 m1 a run {\"cmd\":\"mkdir /k\"} $ mkdir /k\n"
		"O L1 c2 mkdir /k\n"
		"C4 L1 m1 b apply_patch \"*** Begin\"\n"
		"C5 L1 m1 c bash {}\n");
	sink_log_free(&s);
}

static void
test_public_fixtures_are_not_claimed_wrongly(void)
{
	static char head[INGEST_HEAD_BYTES + 1];
	char path[512];
	if (!unit_fixture("openhands/basic.json", path, sizeof path)) {
		SKIP("no public fixtures");
		return;
	}
	size_t n = sink_log_head(path, head, sizeof head);
	CHECK_INT(openai_detect(head, n), 0);
	if (unit_fixture("inspect_ai/log_read_sample.json", path, sizeof path)) {
		n = sink_log_head(path, head, sizeof head);
		CHECK_INT(openai_detect(head, n), 0);
	}
	if (unit_fixture("opentelemetry-proto/trace.json", path, sizeof path)) {
		n = sink_log_head(path, head, sizeof head);
		CHECK_INT(openai_detect(head, n), 0);
	}
	/* mini-swe-agent trajectories are plain {role, content} messages: readable
	 * as chat, at the ambiguous score a dedicated parser outbids */
	if (unit_fixture("mini-swe-agent/local.traj.json", path, sizeof path)) {
		n = sink_log_head(path, head, sizeof head);
		CHECK_INT(openai_detect(head, n), 50);
		struct sink_log s;
		struct alibi_error err = { 0 };
		CHECK_INT(sink_log_parse_file(path, openai_parse, &s, &err), 0);
		CHECK(s.messages > 2);
		CHECK_INT(s.bad, 0);
		sink_log_free(&s);
	}
}

int
main(void)
{
	RUN(test_tool_calls_results_and_ops);
	RUN(test_legacy_function_call_parts_and_epochs);
	RUN(test_bad_lines_are_reported_and_skipped);
	RUN(test_truncated_array_keeps_complete_records);
	RUN(test_bad_element_in_array_resyncs);
	RUN(test_empty_and_not_a_transcript);
	RUN(test_huge_content_and_invalid_utf8);
	RUN(test_messages_object_and_jsonl_conversations);
	RUN(test_cwd_carries_across_tool_calls);
	RUN(test_detection);
	RUN(test_arguments_as_object_and_custom_tools);
	RUN(test_public_fixtures_are_not_claimed_wrongly);
	return unit_done();
}
