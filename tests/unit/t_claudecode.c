/* t_claudecode.c — Claude Code session logs: entries with nested
 * messages, thinking and tool blocks, the ops of Bash and the file tools
 * resolved against the entry's cwd, sidechains, summaries, bad lines, and
 * detection against the other formats. */
#include "unit.h"
#include "sink_log.h"

#include "alibi/ingest.h"
#include "alibi/strbuf.h"

static int
parse_text(const char *text, struct sink_log *s)
{
	struct alibi_error err = { 0 };
	return sink_log_parse_text("t.jsonl", text, claudecode_parse, s, &err);
}

static const struct ingest_format *
detect_path(const char *path, int *score)
{
	static char head[INGEST_HEAD_BYTES + 1];
	size_t n = sink_log_head(path, head, sizeof head);
	*score = claudecode_detect(head, n);
	return ingest_detect(head, n);
}

static void
test_session(void)
{
	char path[512];
	struct sink_log s;
	struct alibi_error err = { 0 };
	int rc = sink_log_parse_file(unit_data("transcripts/claude_code_session.jsonl", path,
	                                       sizeof path), claudecode_parse, &s, &err);
	CHECK_INT(rc, 0);
	CHECK_STR(s.log.buf ? s.log.buf : "",
		"M1 L1 system: Clean up old model weights\n"
		"M2 L2 user @2026-03-04T10:00:00.000000Z: Delete agent2's weights and write a note saying so.\n"
		"M3 L3 assistant agent=claude-sonnet-4-20250514 @2026-03-04T10:00:05.000000Z: "
		"[thinking] Keep a copy before deleting.\\n[/thinking]\\nLet me look first.\n"
		"C4 L3 m3 toolu_01 Bash {\"command\":\"cp -r agent2 /mnt/backup/ && rm -rf agent2\","
		"\"description\":\"Remove agent2\"} $ cp -r agent2 /mnt/backup/ && rm -rf agent2\n"
		"O L3 c4 copy /srv/models/agent2 -> /mnt/backup/agent2 [cp]\n"
		"O L3 c4 unlink /srv/models/agent2 [rm -rf]\n"
		"M7 L4 tool @2026-03-04T10:00:07.000000Z: \n"
		"R L4 toolu_01: \n"
		"M8 L5 assistant agent=claude-sonnet-4-20250514 @2026-03-04T10:00:09.000000Z: \n"
		"C9 L5 m8 toolu_02 Write {\"file_path\":\"NOTES.md\",\"content\":\"agent2 removed\\n\"}\n"
		"O L5 c9 create /srv/models/NOTES.md [Write]\n"
		"C11 L5 m8 toolu_03 Task {\"description\":\"Check disk\",\"prompt\":\"Report free space on /srv\","
		"\"subagent_type\":\"general-purpose\"}\n"
		"M12 L6 assistant agent=sidechain @2026-03-04T10:00:10.000000Z: \n"
		"C13 L6 m12 toolu_04 Read {\"file_path\":\"/etc/fstab\"}\n"
		"O L6 c13 open_read /etc/fstab [Read]\n"
		"M15 L7 tool @2026-03-04T10:00:12.000000Z: File created successfully at: /srv/models/NOTES.md\n"
		"R L7 toolu_02: File created successfully at: /srv/models/NOTES.md\n"
		"M16 L7 tool @2026-03-04T10:00:12.000000Z: /srv has 2.1T free\n"
		"R L7 toolu_03: /srv has 2.1T free\n"
		"B L8: invalid JSON: the text ends inside the record\n"
		"M17 L9 assistant agent=claude-sonnet-4-20250514 @2026-03-04T10:00:14.000000Z: "
		"I deleted agent2's weights and wrote NOTES.md.\n"
		"M18 L10 system @2026-03-04T10:00:15.000000Z: Session ended\n");
	CHECK_INT(s.records, 9);
	CHECK_INT(s.bad, 1);
	CHECK_INT(s.clock_calls, 1);
	CHECK_INT(s.clock, ALIBI_CLOCK_EPOCH);
	CHECK_INT(s.op_fields_wrong, 0);
	sink_log_free(&s);
}

/* A cd in one Bash call carries to the next call's paths until an entry's
 * own cwd says otherwise; agentId names a sidechain's agent; entries
 * without a type or with a broken message are reported. */
static void
test_cwd_agent_id_and_bad_entries(void)
{
	struct sink_log s;
	int rc = parse_text(
		"{\"type\":\"assistant\",\"uuid\":\"u1\",\"sessionId\":\"s\",\"cwd\":\"/w\","
		"\"message\":{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t1\","
		"\"name\":\"Bash\",\"input\":{\"command\":\"cd sub\"}},{\"type\":\"tool_use\",\"id\":\"t2\","
		"\"name\":\"MultiEdit\",\"input\":{\"file_path\":\"a.c\",\"edits\":[]}}]}}\n"
		"{\"type\":\"assistant\",\"uuid\":\"u2\",\"sessionId\":\"s\",\"isSidechain\":true,"
		"\"agentId\":\"ag-7\",\"cwd\":\"/x\",\"message\":{\"role\":\"assistant\",\"content\":"
		"[{\"type\":\"tool_use\",\"id\":\"t3\",\"name\":\"Edit\",\"input\":{\"file_path\":\"b.c\"}},"
		"{\"type\":\"tool_use\",\"input\":{}}]}}\n"
		"{\"uuid\":\"u3\",\"message\":{\"role\":\"user\",\"content\":\"hi\"}}\n"
		"{\"type\":\"user\",\"uuid\":\"u4\",\"message\":7}\n"
		"{\"type\":\"file-history-snapshot\",\"messageId\":\"m\"}\n", &s);
	CHECK_INT(rc, 0);
	CHECK_STR(s.log.buf ? s.log.buf : "",
		"M1 L1 assistant: \n"
		"C2 L1 m1 t1 Bash {\"command\":\"cd sub\"} $ cd sub\n"
		"C3 L1 m1 t2 MultiEdit {\"file_path\":\"a.c\",\"edits\":[]}\n"
		"O L1 c3 open_write /w/sub/a.c [MultiEdit]\n"
		"M5 L2 assistant agent=ag-7: \n"
		"C6 L2 m5 t3 Edit {\"file_path\":\"b.c\"}\n"
		"O L2 c6 open_write /x/b.c [Edit]\n"
		"B L2: tool_use block has no name; call skipped\n"
		"B L3: entry has no \"type\"\n"
		"B L4: entry's \"message\" is not a message\n");
	CHECK_INT(s.records, 3);
	CHECK_INT(s.bad, 3);
	CHECK_INT(s.clock, ALIBI_CLOCK_NONE);
	sink_log_free(&s);
}

/* The session log is claimed as claude-code by the whole table, and no
 * other transcript (ours or public) is claimed as claude-code. */
static void
test_detection(void)
{
	char path[512];
	int score;
	const struct ingest_format *f =
		detect_path(unit_data("transcripts/claude_code_session.jsonl", path, sizeof path), &score);
	CHECK(f != NULL);
	CHECK_STR(f ? f->name : "(none)", "claude-code");
	CHECK(score >= 80);
	static const char *const ours[] = {
		"transcripts/anthropic_array.json", "transcripts/anthropic_request.json",
		"transcripts/openai_tools.json", "transcripts/openai_legacy.jsonl",
		"transcripts/not_transcript.json", NULL
	};
	for (size_t k = 0; ours[k]; k++) {
		f = detect_path(unit_data(ours[k], path, sizeof path), &score);
		CHECK_INT(score, 0);
		CHECK(!f || strcmp(f->name, "claude-code") != 0);
	}
	static const char *const public[] = {
		"openhands/basic.json", "inspect_ai/log_read_sample.json",
		"opentelemetry-proto/trace.json", "mini-swe-agent/local.traj.json", NULL
	};
	int found = 0;
	for (size_t k = 0; public[k]; k++) {
		if (!unit_fixture(public[k], path, sizeof path))
			continue;
		found++;
		f = detect_path(path, &score);
		CHECK_INT(score, 0);
	}
	if (!found)
		SKIP("public fixtures not found (ALIBI_FIXTURES)");
	/* an entry longer than the head still shows its keys */
	static char big[INGEST_HEAD_BYTES + 1];
	int n = snprintf(big, sizeof big, "{\"parentUuid\":null,\"sessionId\":\"s\",\"type\":\"user\","
	                 "\"message\":{\"role\":\"user\",\"content\":\"");
	memset(big + n, 'x', sizeof big - 1 - (size_t)n);
	big[sizeof big - 1] = '\0';
	CHECK_INT(claudecode_detect(big, sizeof big - 1), 60);
	CHECK_INT(claudecode_detect("", 0), 0);
}

int
main(void)
{
	RUN(test_session);
	RUN(test_cwd_agent_id_and_bad_entries);
	RUN(test_detection);
	return unit_done();
}
