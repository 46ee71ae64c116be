/* t_openhands.c — OpenHands event streams: messages, run/edit/read/write
 * actions and the observations that answer them through "cause", finish,
 * string ids, detection, and bad events. */
#include "unit.h"
#include "sink_log.h"

#include "alibi/ingest.h"
#include "alibi/strbuf.h"

static int
parse_text(const char *text, struct sink_log *s)
{
	struct alibi_error err = { 0 };
	int rc = sink_log_parse_text("events.json", text, openhands_parse, s, &err);
	if (rc)
		printf("#  rc %d: %s\n", rc, err.msg);
	return rc;
}


static void
test_fixture_edit_and_finish(void)
{
	char path[512];
	if (!unit_fixture("openhands/basic.json", path, sizeof path)) {
		SKIP("no public fixtures");
		return;
	}
	CHECK_STR(sink_log_detected(path), "openhands");
	struct sink_log s;
	struct alibi_error err = { 0 };
	CHECK_INT(sink_log_parse_file(path, openhands_parse, &s, &err), 0);
	const char *log = sb_str(&s.log);
	CHECK(strncmp(log,
		"M1 L2 user @2025-01-27T22:44:56.900854Z: Please create a simple 2048 game. "
		"No need to run it. Please finish the interaction after your finish coding.\n"
		"M2 L15 assistant @2025-01-27T22:45:13.764487Z: I'll help you create a simple 2048 "
		"game in Python. I'll use the str_replace_editor to create the file.\n"
		"C3 L15 m2 3 edit <", 250) == 0);
	CHECK(strstr(log, "\nO L15 c3 create /workspace/game_2048.py\n"
	                  "R L79 3: <3558 bytes>\n"
	                  "M5 L143 assistant @2025-01-27T22:45:18.405685Z: <536 bytes>\n") != NULL);
	CHECK_INT(s.records, 4);
	CHECK_INT(s.messages, 3);
	CHECK_INT(s.calls, 1);
	CHECK_INT(s.results, 1);
	CHECK_INT(s.ops, 1);
	CHECK_INT(s.bad, 0);
	CHECK_INT(s.op_fields_wrong, 0);
	CHECK_INT(s.clock, ALIBI_CLOCK_EPOCH);
	sink_log_free(&s);
}

static void
test_fixture_conversation(void)
{
	char path[512];
	if (!unit_fixture("openhands/basic_interactions.json", path, sizeof path)) {
		SKIP("no public fixtures");
		return;
	}
	CHECK_STR(sink_log_detected(path), "openhands");
	struct sink_log s;
	struct alibi_error err = { 0 };
	CHECK_INT(sink_log_parse_file(path, openhands_parse, &s, &err), 0);
	const char *log = sb_str(&s.log);
	CHECK(strncmp(log,
		"M1 L2 user @2025-02-01T00:14:10.787622Z: what's 1+1?\n"
		"M2 L15 assistant @2025-02-01T00:14:12.686046Z: 1 + 1 equals 2.\n"
		"M3 L28 user @2025-02-01T00:17:23.228442Z: No, I mean by Goldbach's conjecture!\n"
		"M4 L41 assistant @2025-02-01T00:17:25.586532Z: <310 bytes>\n", 224) == 0);
	/* finish with an empty thought: the event's message is the last word */
	CHECK(strstr(log, "M6 L67 assistant @2025-02-01T00:19:01.168854Z: All done! What's next on the agenda?\n")
	      != NULL);
	CHECK_INT(s.records, 6);
	CHECK_INT(s.messages, 6);
	CHECK_INT(s.calls + s.results + s.ops + s.bad, 0);
	sink_log_free(&s);
}

static void
test_run_read_write_and_string_ids(void)
{
	const char *text =
		"[\n"
		"{\"id\": \"a1\", \"source\": \"agent\", \"action\": \"run\", \"timestamp\": 1700000000,\n"
		" \"args\": {\"command\": \"cd /srv/models && rm -rf agent2\", \"thought\": \"Cleaning up.\"}},\n"
		"{\"id\": \"o1\", \"source\": \"agent\", \"observation\": \"run\", \"cause\": \"a1\",\n"
		" \"content\": \"rm: busy\", \"extras\": {\"exit_code\": 1}},\n"
		"{\"id\": 7, \"source\": \"agent\", \"action\": \"read\", \"args\": {\"path\": \"/etc/passwd\"}},\n"
		"{\"id\": 8, \"source\": \"agent\", \"observation\": \"read\", \"cause\": 7, \"content\": \"root:x\"},\n"
		"{\"id\": 9, \"source\": \"agent\", \"action\": \"write\", \"args\": {\"path\": \"/tmp/n\", \"content\": \"x\"}},\n"
		"{\"id\": 10, \"source\": \"agent\", \"action\": \"edit\", \"args\": {\"path\": \"/w/a.py\", \"command\": \"str_replace\"}},\n"
		"{\"id\": 11, \"source\": \"environment\", \"observation\": \"agent_state_changed\", \"extras\": {}},\n"
		"{\"id\": 12, \"source\": \"agent\", \"observation\": \"error\", \"cause\": 99, \"content\": \"no such call\"},\n"
		"{\"id\": 13, \"source\": \"agent\", \"action\": \"browse\", \"args\": {\"url\": \"http://x\"}},\n"
		"{\"id\": 14, \"source\": \"agent\", \"timestamp\": \"x\"},\n"
		"{\"id\": 15, \"source\": \"agent\", \"action\": \"finish\", \"args\": {\"final_thought\": \"Done.\", \"outputs\": {\"ok\": true}}}\n"
		"]\n";
	struct sink_log s;
	CHECK_INT(parse_text(text, &s), 0);
	CHECK_STR(sb_str(&s.log),
		"M1 L2 assistant @2023-11-14T22:13:20.000000Z: Cleaning up.\n"
		"C2 L2 m1 a1 bash {\"command\":\"cd /srv/models && rm -rf agent2\"} $ cd /srv/models && rm -rf agent2\n"
		"O L2 c2 unlink /srv/models/agent2 [rm -rf]\n"
		"R L4 a1 error: rm: busy\n"
		"M4 L6 assistant: \n"
		"C5 L6 m4 7 read {\"path\":\"/etc/passwd\"}\n"
		"O L6 c5 open_read /etc/passwd\n"
		"R L7 7: root:x\n"
		"M7 L8 assistant: \n"
		"C8 L8 m7 9 edit {\"path\":\"/tmp/n\",\"content\":\"x\"}\n"
		"O L8 c8 create /tmp/n\n"
		"M10 L9 assistant: \n"
		"C11 L9 m10 10 edit {\"path\":\"/w/a.py\",\"command\":\"str_replace\"}\n"
		"O L9 c11 open_write /w/a.py\n"
		"M13 L12 assistant: \n"
		"C14 L12 m13 13 browse {\"url\":\"http://x\"}\n"
		"B L13: event has neither \"action\" nor \"observation\"\n"
		"M15 L14 assistant: Done.\\noutputs: {\"ok\":true}\n");
	CHECK_INT(s.records, 10);
	CHECK_INT(s.bad, 1);
	CHECK_INT(s.op_fields_wrong, 0);
	sink_log_free(&s);
}

static void
test_truncated_and_not_events(void)
{
	struct sink_log s;
	const char *cut =
		"[{\"id\": 0, \"source\": \"user\", \"action\": \"message\", \"args\": {\"content\": \"hi\"}},\n"
		" {\"id\": 1, \"source\": \"agent\", \"action\": \"run\", \"args\": {\"command\": \"rm";
	CHECK_INT(parse_text(cut, &s), 0);
	CHECK(strncmp(sb_str(&s.log), "M1 L1 user: hi\nB L2: ", 21) == 0);
	CHECK_INT(s.records, 1);
	CHECK_INT(s.bad, 1);
	sink_log_free(&s);
	CHECK_INT(openhands_detect(cut, strlen(cut)), 90);
	const char *chat = "[{\"role\": \"user\", \"content\": \"hi\"}, {\"role\": \"assistant\", \"content\": \"yo\"}]";
	CHECK_INT(openhands_detect(chat, strlen(chat)), 0);
	CHECK_INT(openhands_detect("", 0), 0);
	const char *strace = "1234  execve(\"/bin/rm\", [\"rm\", \"x\"], 0x7ff /* 3 vars */) = 0\n";
	CHECK_INT(openhands_detect(strace, strlen(strace)), 0);
}

int
main(void)
{
	RUN(test_fixture_edit_and_finish);
	RUN(test_fixture_conversation);
	RUN(test_run_read_write_and_string_ids);
	RUN(test_truncated_and_not_events);
	return unit_done();
}
