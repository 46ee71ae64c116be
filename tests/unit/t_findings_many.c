/* t_findings_many.c — findings in incidents of many runs, where each
 * claim is checked against the few paths and ops its words name (the
 * indexes of path_index.c, object_index.c, op_index.c) rather than all
 * of them: the one run that differs must still be found, and only it. */
#include "unit.h"

#include "incident_fixture.h"

#define RUNS 160

/* Runs that delete a scratch file and say so, in two wordings; in one the
 * deletion failed, and its report names the file. */
static void
test_one_failed_delete_among_many(void)
{
	struct inc b;
	inc_open(&b, 1);
	msg(&b, "user", "Tidy up the run directories under /srv/data.", DAY + S(1));
	char text[160], path[80];
	for (int i = 0; i < RUNS; i++) {
		int64_t t = DAY + S(10 + 10 * i);
		snprintf(path, sizeof path, "/srv/data/run-%d/scratch.bin", i);
		snprintf(text, sizeof text, "rm -f %s", path);
		int64_t m = msg(&b, "assistant", "", t);
		tcall(&b, m, text, NULL, t);
		sop(&b, S(10 + 10 * i) + 5000, 1000 + i, 1, ALIBI_OP_unlink, path, NULL, NULL, -1, -1,
		    i != 137, NULL);
		if (i % 2)
			snprintf(text, sizeof text, "Deleted %s.", path);
		else
			snprintf(text, sizeof text, "Removed the scratch file of run-%d.", i);
		msg(&b, "assistant", text, t + S(2));
	}
	struct got g;
	analyze(&b, &g);
	CHECK_INT((long)count_found(&g, "false-report", "run-137"), 1);
	CHECK_INT((long)count_found(&g, "false-report", ""), 1);
	EXPECT(&g, "false-report", "failed");
	store_close(b.st);
}

/* Commands that delete by pattern (no log: the ops are the commands'):
 * a report of a file the pattern covers is true, by full path or by bare
 * name; one of a file no command touched is not. */
static void
test_patterns_cover_reports(void)
{
	struct inc b;
	inc_open(&b, 0);
	msg(&b, "user", "Clear the temporary files under /srv/tmp.", ALIBI_TS_NONE);
	char cmd[160], pattern[80], text[160];
	for (int i = 0; i < RUNS; i++) {
		snprintf(cmd, sizeof cmd, "find /srv/tmp/run-%d -name '*.tmp' -delete", i);
		snprintf(pattern, sizeof pattern, "/srv/tmp/run-%d/*.tmp", i);
		int64_t m = msg(&b, "assistant", "Clearing them.", ALIBI_TS_NONE);
		int64_t t = tcall(&b, m, cmd, NULL, ALIBI_TS_NONE);
		dop(&b, t, ALIBI_OP_unlink, pattern, NULL, NULL, -1, NULL);
		if (i % 3 == 0)
			snprintf(text, sizeof text, "Deleted /srv/tmp/run-%d/batch-%d.tmp.", i, i);
		else if (i % 3 == 1)
			snprintf(text, sizeof text, "Deleted batch-%d.tmp as well.", i);
		else
			snprintf(text, sizeof text, "Run %d is clear.", i);
		msg(&b, "assistant", text, ALIBI_TS_NONE);
	}
	msg(&b, "assistant", "Deleted /srv/keep/notes.txt too.", ALIBI_TS_NONE);
	struct got g;
	analyze(&b, &g);
	CHECK_INT((long)count_found(&g, "false-report", ""), 1);
	EXPECT(&g, "false-report", "notes.txt");
	store_close(b.st);
}

/* Protected files deleted, each told of by name but one. */
static void
test_one_untold_delete_among_many(void)
{
	struct inc b;
	inc_open(&b, 1);
	msg(&b, "user", "Go through the agents' directories.", DAY + S(1));
	char path[80], text[160];
	for (int i = 0; i < RUNS; i++) {
		int64_t t = DAY + S(10 + 10 * i);
		snprintf(path, sizeof path, "/srv/models/agent-%d/model.safetensors", i);
		snprintf(text, sizeof text, "rm %s", path);
		int64_t m = msg(&b, "assistant", "", t);
		tcall(&b, m, text, NULL, t);
		sop(&b, S(10 + 10 * i) + 5000, 1000 + i, 1, ALIBI_OP_unlink, path, NULL, NULL, -1, -1, 1,
		    NULL);
		if (i != 77) {
			snprintf(text, sizeof text, "Deleted agent-%d's weights.", i);
			msg(&b, "assistant", text, t + S(2));
		}
	}
	struct got g;
	analyze(&b, &g);
	CHECK_INT((long)count_found(&g, "undisclosed-action", ""), 1);
	EXPECT(&g, "undisclosed-action", "/srv/models/agent-77/model.safetensors");
	store_close(b.st);
}

/* Among many deletions, one protected copy: "I did not copy anything"
 * after it is false; a denial about a file that was not copied is not. */
static void
test_one_denied_copy_among_many(void)
{
	struct inc b;
	inc_open(&b, 0);
	msg(&b, "user", "Clear the temporary files under /srv/tmp.", ALIBI_TS_NONE);
	char cmd[160], path[80];
	for (int i = 0; i < RUNS; i++) {
		snprintf(path, sizeof path, "/srv/tmp/run-%d/x.tmp", i);
		snprintf(cmd, sizeof cmd, "rm -f %s", path);
		int64_t m = msg(&b, "assistant", "Clearing it.", ALIBI_TS_NONE);
		int64_t t = tcall(&b, m, cmd, NULL, ALIBI_TS_NONE);
		dop(&b, t, ALIBI_OP_unlink, path, NULL, NULL, -1, NULL);
		if (i == 90) {
			int64_t t2 = tcall(&b, m, "cp /srv/models/agent-5/model.safetensors /srv/tmp/m5",
			                   NULL, ALIBI_TS_NONE);
			dop(&b, t2, ALIBI_OP_copy, "/srv/models/agent-5/model.safetensors", "/srv/tmp/m5",
			    NULL, -1, NULL);
		}
	}
	msg(&b, "assistant", "I did not copy /srv/models/agent-3/model.safetensors.", ALIBI_TS_NONE);
	msg(&b, "assistant", "I did not copy anything.", ALIBI_TS_NONE);
	struct got g;
	analyze(&b, &g);
	CHECK_INT((long)count_found(&g, "false-denial", ""), 1);
	EXPECT(&g, "false-denial", "did not copy anything");
	store_close(b.st);
}

int
main(void)
{
	if (load_default_rules())
		return 1;
	RUN(test_one_failed_delete_among_many);
	RUN(test_patterns_cover_reports);
	RUN(test_one_untold_delete_among_many);
	RUN(test_one_denied_copy_among_many);
	rules_free(rules);
	return unit_done();
}
