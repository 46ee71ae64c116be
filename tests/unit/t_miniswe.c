/* t_miniswe.c — mini-swe-agent trajectories: fenced commands become bash
 * tool calls with their derived operations, <returncode> replies their
 * results; replies with no or several blocks run nothing; detection. */
#include "unit.h"
#include "sink_log.h"

#include "alibi/ingest.h"
#include "alibi/strbuf.h"

static int
parse_text(const char *text, struct sink_log *s)
{
	struct alibi_error err = { 0 };
	int rc = sink_log_parse_text("t.traj.json", text, miniswe_parse, s, &err);
	if (rc)
		printf("#  rc %d: %s\n", rc, err.msg);
	return rc;
}


static void
test_fixture_local(void)
{
	char path[512];
	if (!unit_fixture("mini-swe-agent/local.traj.json", path, sizeof path)) {
		SKIP("no public fixtures");
		return;
	}
	CHECK_STR(sink_log_detected(path), "mini-swe-agent");
	struct sink_log s;
	struct alibi_error err = { 0 };
	CHECK_INT(sink_log_parse_file(path, miniswe_parse, &s, &err), 0);
	CHECK(strstr(sb_str(&s.log),
		"C4 L10 m3 mswea-10 bash {\"command\":\"echo 'hello world'\"} $ echo 'hello world'\n"
		"M5 L14 user: <returncode>0</returncode>\\n<output>\\nhello world\\n</output>\n"
		"R L14 mswea-10: <returncode>0</returncode>\\n<output>\\nhello world\\n</output>\n") != NULL);
	CHECK(strstr(sb_str(&s.log),
		"C7 L18 m6 mswea-18 bash {\"command\":\"echo COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT\"}"
		" $ echo COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT\n"
		"M8 L22 user: \n"
		"R L22 mswea-18: \n") != NULL);
	CHECK_INT(s.records, 6);
	CHECK_INT(s.messages, 6);
	CHECK_INT(s.calls, 2);
	CHECK_INT(s.results, 2);
	CHECK_INT(s.ops, 0);
	CHECK_INT(s.bad, 0);
	CHECK_INT(s.clock, ALIBI_CLOCK_NONE);
	sink_log_free(&s);
}

static void
test_fixture_github_issue(void)
{
	char path[512];
	if (!unit_fixture("mini-swe-agent/github_issue.traj.json", path, sizeof path)) {
		SKIP("no public fixtures");
		return;
	}
	CHECK_STR(sink_log_detected(path), "mini-swe-agent");
	struct sink_log s;
	struct alibi_error err = { 0 };
	CHECK_INT(sink_log_parse_file(path, miniswe_parse, &s, &err), 0);
	const char *log = sb_str(&s.log);
	CHECK(strstr(log, "R L14 mswea-10 error: <returncode>1</returncode>") != NULL);
	CHECK(strstr(log,
		"C16 L42 m15 mswea-42 bash {\"command\":\"sed -i 's/def division(a: float, b: float) -> float/"
		"def division(a: float, b: float) -> float:/' tests/missing_colon.py\"} $ sed -i "
		"'s/def division(a: float, b: float) -> float/def division(a: float, b: float) -> float:/'"
		" tests/missing_colon.py\n"
		"O L42 c16 open_write tests/missing_colon.py [sed -i]\n") != NULL);
	CHECK(strstr(log, "R L70 mswea-66 error: <247 bytes>\n") != NULL);
	CHECK(strstr(log, "C29 L74 m28 mswea-74 bash <277 bytes> $ <247 bytes>\n"
	                  "O L74 c29 create tests/missing_colon.py [>]\n") != NULL);
	CHECK(strstr(log,
		"C33 L82 m32 mswea-82 bash {\"command\":\"echo COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT && "
		"git add -A && git diff --cached\"} $ echo COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT && "
		"git add -A && git diff --cached\n"
		"M34 L86 user: <429 bytes>\n"
		"R L86 mswea-82: <429 bytes>\n") != NULL);
	CHECK_INT(s.records, 22);
	CHECK_INT(s.messages, 22);
	CHECK_INT(s.calls, 10);
	CHECK_INT(s.results, 10);
	CHECK_INT(s.ops, 2);
	CHECK_INT(s.bad, 0);
	CHECK_INT(s.op_fields_wrong, 0);
	sink_log_free(&s);
}

static void
test_blocks_results_and_subshells(void)
{
	const char *text =
		"{\"info\": {\"exit_status\": \"Submitted\"}, \"messages\": [\n"
		"{\"role\": \"assistant\", \"content\": \"Go.\\n```bash\\ncd /srv && rm -rf old\\n```\"},\n"
		"{\"role\": \"user\", \"content\": \"<returncode>0</returncode><output></output>\"},\n"
		"{\"role\": \"assistant\", \"content\": \"Two.\\n```bash\\nrm a\\n```\\n```bash\\nrm b\\n```\"},\n"
		"{\"role\": \"user\", \"content\": \"Please always provide EXACTLY ONE action\"},\n"
		"{\"role\": \"assistant\", \"content\": \"```python\\nx\\n```\\n```mswea_bash_command\\nrm gone\\n```\"},\n"
		"{\"content\": \"no role\"},\n"
		"{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"<returncode>2</returncode>\"}]},\n"
		"{\"role\": \"assistant\", \"content\": \"```bash\\nunterminated\"},\n"
		"{\"role\": \"user\", \"content\": 5}\n"
		"]}\n";
	struct sink_log s;
	CHECK_INT(parse_text(text, &s), 0);
	CHECK_STR(sb_str(&s.log),
		"M1 L2 assistant: Go.\\n```bash\\ncd /srv && rm -rf old\\n```\n"
		"C2 L2 m1 mswea-2 bash {\"command\":\"cd /srv && rm -rf old\"} $ cd /srv && rm -rf old\n"
		"O L2 c2 unlink /srv/old [rm -rf]\n"
		"M4 L3 user: <returncode>0</returncode><output></output>\n"
		"R L3 mswea-2: <returncode>0</returncode><output></output>\n"
		"M5 L4 assistant: Two.\\n```bash\\nrm a\\n```\\n```bash\\nrm b\\n```\n"
		"M6 L5 user: Please always provide EXACTLY ONE action\n"
		"M7 L6 assistant: ```python\\nx\\n```\\n```mswea_bash_command\\nrm gone\\n```\n"
		"C8 L6 m7 mswea-6 bash {\"command\":\"rm gone\"} $ rm gone\n"
		"O L6 c8 unlink gone [rm]\n"
		"B L7: message has no \"role\"\n"
		"M10 L8 user: <returncode>2</returncode>\n"
		"R L8 mswea-6 error: <returncode>2</returncode>\n"
		"M11 L9 assistant: ```bash\\nunterminated\n"
		"B L10: \"content\" is neither text nor a list of parts\n");
	CHECK_INT(s.records, 7);
	CHECK_INT(s.bad, 2);
	sink_log_free(&s);
}

static void
test_detection(void)
{
	const char *plain = "[{\"role\": \"user\", \"content\": \"hi\"}, {\"role\": \"assistant\", \"content\": \"yo\"}]";
	CHECK_INT(miniswe_detect(plain, strlen(plain)), 0);
	const char *traj =
		"[{\"role\": \"assistant\", \"content\": \"```mswea_bash_command\\nls\\n```\"},"
		" {\"role\": \"user\", \"content\": \"<returncode>0</returncode>\"}]";
	CHECK_INT(miniswe_detect(traj, strlen(traj)), 90);
	CHECK_STR(ingest_detect(traj, strlen(traj))->name, "mini-swe-agent");
	const char *tools =
		"[{\"role\": \"assistant\", \"content\": \"```bash\\nls\\n```\", \"tool_calls\": []},"
		" {\"role\": \"tool\", \"tool_call_id\": \"c\", \"content\": \"<returncode>0</returncode>\"}]";
	CHECK_INT(miniswe_detect(tools, strlen(tools)), 0);
	CHECK_INT(miniswe_detect("", 0), 0);
}

int
main(void)
{
	RUN(test_fixture_local);
	RUN(test_fixture_github_issue);
	RUN(test_blocks_results_and_subshells);
	RUN(test_detection);
	return unit_done();
}
