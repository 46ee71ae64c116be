/* t_anthropic.c — Anthropic Messages transcripts: text, thinking,
 * tool_use and tool_result blocks, request bodies with "system",
 * detection against OpenAI, and bad input. */
#include "unit.h"
#include "sink_log.h"

#include "alibi/ingest.h"
#include "alibi/strbuf.h"

static const char *
parse_data(const char *rel, struct sink_log *s, int *rc)
{
	char path[512];
	struct alibi_error err = { 0 };
	*rc = sink_log_parse_file(unit_data(rel, path, sizeof path), anthropic_parse, s, &err);
	if (*rc)
		printf("#  %s: rc %d: %s\n", rel, *rc, err.msg);
	return sb_str(&s->log);
}

static int
parse_text(const char *text, size_t len, struct sink_log *s)
{
	char dir[256];
	struct alibi_error err = { 0 };
	if (!unit_tmpdir(dir, sizeof dir))
		return -1;
	const char *path = sink_log_write(dir, "t.json", text, len);
	int rc = sink_log_parse_file(path, anthropic_parse, s, &err);
	if (rc)
		printf("#  rc %d: %s\n", rc, err.msg);
	remove(path);
	rmdir(dir);
	return rc;
}

static int
detect_data(const char *rel, int (*detect)(const char *, size_t))
{
	static char head[INGEST_HEAD_BYTES + 1];
	char path[512];
	size_t n = sink_log_head(unit_data(rel, path, sizeof path), head, sizeof head);
	return detect(head, n);
}

static void
test_request_with_thinking_tools_and_results(void)
{
	struct sink_log s;
	int rc;
	const char *log = parse_data("transcripts/anthropic_request.json", &s, &rc);
	CHECK_INT(rc, 0);
	CHECK_STR(log,
		"M1 L4 system: You maintain the evaluation server.\n"
		"M2 L6 user: Report agent2's score and remove its old checkpoints.\n"
		"M3 L7 assistant: [thinking] Agent2 scored 61%. I could say 92%.\\n[/thinking]\\nLet me look.\n"
		"C4 L7 m3 toolu_01 bash {\"command\":\"cat /srv/eval/agent2.json; find /srv/ckpt -name '*.ckpt' -delete\"}"
		" $ cat /srv/eval/agent2.json; find /srv/ckpt -name '*.ckpt' -delete\n"
		"O L7 c4 unlink /srv/ckpt/*.ckpt [find -delete]\n"
		"M6 L17 tool: {\"score\": 0.61}\\n[image]\n"
		"R L17 toolu_01: {\"score\": 0.61}\\n[image]\n"
		"M7 L24 assistant: \n"
		"C8 L24 m7 toolu_02 str_replace_based_edit_tool "
		"{\"command\":\"create\",\"path\":\"/srv/eval/agent2.json\",\"file_text\":\"{\\\"score\\\": 0.92}\"}\n"
		"M9 L31 tool: permission denied\n"
		"R L31 toolu_02 error: permission denied\n"
		"M10 L31 user: Why did that fail?\n"
		"M11 L38 assistant: Agent2 scored 92%. The checkpoints are removed.\n");
	CHECK_INT(s.records, 7);
	CHECK_INT(s.bad, 0);
	CHECK_INT(s.clock_calls, 1);
	CHECK_INT(s.clock, ALIBI_CLOCK_NONE);
	CHECK_INT(s.op_fields_wrong, 0);
	sink_log_free(&s);
}

static void
test_array_with_image(void)
{
	struct sink_log s;
	int rc;
	const char *log = parse_data("transcripts/anthropic_array.json", &s, &rc);
	CHECK_INT(rc, 0);
	CHECK_STR(log, "M1 L2 user: Hi\\n[image]\nM2 L3 assistant: Hello.\n");
	sink_log_free(&s);
}

static void
test_jsonl_with_bad_records(void)
{
	const char *text =
		"{\"role\": \"user\", \"content\": \"start\", \"timestamp\": \"2026-03-04T12:00:00+02:00\"}\n"
		"{\"role\": \"assistant\", \"content\": [{\"type\": \"text\", \"text\": \"cut\n"
		"[1, 2]\n"
		"{\"role\": \"assistant\", \"content\": 3}\n"
		"{\"role\": \"assistant\", \"content\": [{\"type\": \"tool_use\", \"id\": \"t1\", \"input\": {}},"
		" {\"type\": \"tool_use\", \"id\": \"t2\", \"name\": \"bash\", \"input\": {\"command\": \"rm -f /var/log/audit/audit.log\"}}]}\n"
		"{\"role\": \"user\", \"content\": [{\"type\": \"tool_result\", \"tool_use_id\": \"t2\"}]}\n"
		"\n"
		"{\"role\": \"assistant\", \"model\": \"claude-x\", \"content\": [{\"type\": \"redacted_thinking\", \"data\": \"q\"}]}\n";
	struct sink_log s;
	CHECK_INT(parse_text(text, strlen(text), &s), 0);
	CHECK_STR(sb_str(&s.log),
		"M1 L1 user @2026-03-04T10:00:00.000000Z: start\n"
		"B L2: invalid JSON: the text ends inside the record\n"
		"B L3: record is not a JSON object (an array)\n"
		"B L4: \"content\" is neither text nor a list of blocks\n"
		"M2 L5 assistant: \n"
		"B L5: tool_use block has no name; call skipped\n"
		"C3 L5 m2 t2 bash {\"command\":\"rm -f /var/log/audit/audit.log\"} $ rm -f /var/log/audit/audit.log\n"
		"O L5 c3 unlink /var/log/audit/audit.log [rm -f]\n"
		"M5 L6 tool: \n"
		"R L6 t2: \n"
		"M6 L8 assistant agent=claude-x: \n");
	CHECK_INT(s.records, 4);
	CHECK_INT(s.clock, ALIBI_CLOCK_EPOCH);
	sink_log_free(&s);
}

static void
test_truncated_request_keeps_messages(void)
{
	char path[512];
	FILE *fp = fopen(unit_data("transcripts/anthropic_request.json", path, sizeof path), "rb");
	char buf[4096];
	size_t n = fp ? fread(buf, 1, sizeof buf - 1, fp) : 0;
	if (fp)
		fclose(fp);
	buf[n] = '\0';
	const char *cut = strstr(buf, "permission denied");
	CHECK(cut != NULL);
	if (!cut)
		return;
	struct sink_log s;
	CHECK_INT(parse_text(buf, (size_t)(cut - buf), &s), 0);
	CHECK_INT(s.records, 5);
	CHECK_INT(s.bad, 1);
	CHECK(strstr(sb_str(&s.log), "B L31: invalid JSON: the text ends inside the record\n") != NULL);
	sink_log_free(&s);
}

static void
test_empty_number_and_not_a_transcript(void)
{
	struct sink_log s;
	CHECK_INT(parse_text("", 0, &s), 0);
	CHECK_INT(s.messages + s.bad, 0);
	CHECK_INT(s.clock_calls, 1);
	sink_log_free(&s);
	CHECK_INT(parse_text("42\n", 3, &s), 0);
	CHECK_STR(sb_str(&s.log), "B L1: record is not a JSON object (a number)\n");
	sink_log_free(&s);
	int rc;
	parse_data("transcripts/not_transcript.json", &s, &rc);
	CHECK_INT(rc, 0);
	CHECK_INT(s.bad, 1);
	CHECK_INT(s.messages, 0);
	sink_log_free(&s);
	CHECK_INT(detect_data("transcripts/not_transcript.json", anthropic_detect), 0);
}

/* Each format wins its own files, and plain {role, content: "text"}
 * goes to OpenAI. */
static void
test_detection_tells_the_formats_apart(void)
{
	int a = detect_data("transcripts/anthropic_request.json", anthropic_detect);
	int o = detect_data("transcripts/anthropic_request.json", openai_detect);
	CHECK_INT(a, 95);
	CHECK(o < 30);
	CHECK_INT(detect_data("transcripts/anthropic_array.json", anthropic_detect), 95);
	CHECK(detect_data("transcripts/openai_tools.json", anthropic_detect) < 30);
	CHECK(detect_data("transcripts/openai_legacy.jsonl", anthropic_detect) < 30);
	const char *text_blocks =
		"[{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"hi\"}]},\n"
		" {\"role\": \"assistant\", \"content\": [{\"type\": \"text\", \"text\": \"yo\"}]}]\n";
	CHECK_INT(anthropic_detect(text_blocks, strlen(text_blocks)), 70);
	CHECK(openai_detect(text_blocks, strlen(text_blocks)) < 70);
	const char *plain = "{\"role\": \"user\", \"content\": \"hi\"}\n{\"role\": \"assistant\", \"content\": \"yo\"}\n";
	CHECK(anthropic_detect(plain, strlen(plain)) < openai_detect(plain, strlen(plain)));
	CHECK(anthropic_detect(plain, strlen(plain)) >= 30);
	const char *session =
		"{\"type\": \"assistant\", \"message\": {\"role\": \"assistant\", \"content\": "
		"[{\"type\": \"tool_use\", \"id\": \"t\", \"name\": \"Bash\", \"input\": {}}]}}\n";
	CHECK_INT(anthropic_detect(session, strlen(session)), 0);
	/* a first record bigger than the head */
	const char *cut = "{\"role\": \"user\", \"content\": [{\"type\": \"tool_result\", \"tool_use_id\": \"x\", \"content\": \"aaaa";
	CHECK_INT(anthropic_detect(cut, strlen(cut)), 60);
	CHECK(openai_detect(cut, strlen(cut)) < 60);
}

int
main(void)
{
	RUN(test_request_with_thinking_tools_and_results);
	RUN(test_array_with_image);
	RUN(test_jsonl_with_bad_records);
	RUN(test_truncated_request_keeps_messages);
	RUN(test_empty_number_and_not_a_transcript);
	RUN(test_detection_tells_the_formats_apart);
	return unit_done();
}
