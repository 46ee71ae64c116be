/* t_alibijsonl.c — the alibi JSONL action schema: every op kind can be
 * written, each member becomes its field of the operation, every kind of
 * bad line is reported with what is wrong (the same words
 * `alibi formats --check` prints), and detection. */
#include "unit.h"

#include "alibi/ingest.h"
#include "alibi/strbuf.h"
#include "alibi/timeparse.h"

#define OP_SINK_PARSE alibi_jsonl_parse
#include "op_sink.h"

static int
parse_str(struct sink *s, const char *text)
{
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	if (!fp)
		return -1;
	int rc = parse_fp(s, fp, "inline.jsonl");
	fclose(fp);
	return rc;
}

/* One line per op kind, with the members that kind needs: written from
 * the X-macro, so a kind added to records.h is tested here at once. */
static void
test_every_op_kind(void)
{
	struct strbuf text = STRBUF_INIT;
#define LINE(name, doc) \
	sb_addf(&text, "{\"alibi\": 1, \"ts\": \"2026-03-04T10:15:30Z\", \"op\": \"%s\", " \
	        "\"path\": \"/srv/a\", \"path2\": \"/srv/b\", \"host\": \"backup\", " \
	        "\"detail\": \"pid 7 SIGTERM\"}\n", #name);
	ALIBI_OP_KINDS(LINE)
#undef LINE
	struct sink s;
	CHECK_INT(parse_str(&s, sb_str(&text)), 0);
	CHECK_INT(s.bad, 0);
	CHECK_INT(s.records, ALIBI_OP__COUNT);
	CHECK_INT((int)s.n, ALIBI_OP__COUNT);
	for (size_t i = 0; i < s.n; i++) {
		CHECK_INT(s.ops[i].kind, (int)i);
		CHECK_INT(s.ops[i].line, (int64_t)i + 1);
	}
	CHECK_INT(s.clock, ALIBI_CLOCK_EPOCH);
	sink_free(&s);
	sb_free(&text);
}

/* A line with nothing but the three required members: each kind names
 * what it lacks. */
static void
test_what_each_kind_needs(void)
{
	struct strbuf text = STRBUF_INIT;
#define LINE(name, doc) \
	sb_addf(&text, "{\"alibi\": 1, \"ts\": 1772619330, \"op\": \"%s\"}\n", #name);
	ALIBI_OP_KINDS(LINE)
#undef LINE
	struct sink s;
	CHECK_INT(parse_str(&s, sb_str(&text)), 0);
	CHECK_INT(s.bad, ALIBI_OP__COUNT);
	CHECK_INT((int)s.n, 0);
	CHECK_STR(s.bad_what[ALIBI_OP_exec], "missing \"path\" or \"argv\" for op \"exec\"");
	CHECK_STR(s.bad_what[ALIBI_OP_unlink], "missing \"path\" for op \"unlink\"");
	CHECK_STR(s.bad_what[ALIBI_OP_connect], "missing \"host\" or \"path\" for op \"connect\"");
	CHECK_STR(s.bad_what[ALIBI_OP_kill], "missing \"detail\" for op \"kill\"");
	sink_free(&s);

	CHECK_INT(parse_str(&s, "{\"alibi\":1,\"ts\":1,\"op\":\"rename\",\"path\":\"/a\"}\n"
	                        "{\"alibi\":1,\"ts\":1,\"op\":\"transfer\",\"path\":\"/a\"}\n"), 0);
	CHECK_STR(s.bad_what[0], "missing \"path2\" for op \"rename\"");
	CHECK_STR(s.bad_what[1], "missing \"host\" or \"path2\" for op \"transfer\"");
	sink_free(&s);
	sb_free(&text);
}

static void
test_members(void)
{
	struct sink s;
	int rc = parse_str(&s,
		"{\"alibi\": 1, \"ts\": \"2026-03-04T12:15:30.250+02:00\", \"op\": \"exec\", \"pid\": 4242,"
		" \"ppid\": 4200, \"syscall\": \"execve\", \"path\": \"/usr/bin/bash\","
		" \"argv\": [\"bash\", \"-c\", \"rm -rf /srv/models/agent2 && echo it's gone\"],"
		" \"x_harness_step\": 3}\n"
		"\n"
		"{\"alibi\": 1, \"ts\": 1772619330.5, \"op\": \"unlink\", \"path\": \"/srv/keep.txt\","
		" \"result\": -1, \"errno\": \"ENOENT\", \"pid\": null}\r\n"
		"{\"alibi\": 1, \"ts\": \"2026-03-04T10:15:31Z\", \"op\": \"transfer\","
		" \"path\": \"/srv/models/agent2/model.safetensors\", \"host\": \"10.0.0.9\","
		" \"port\": 22, \"path2\": \"/backup/agent2\", \"bytes\": 6291456, \"result\": 0}\n"
		"{\"alibi\": 1, \"ts\": \"2026-03-04T10:15:32Z\", \"op\": \"write\", \"path\": \"/tmp/x\","
		" \"result\": -5}\n");
	CHECK_INT(rc, 0);
	CHECK_INT(s.bad, 0);
	CHECK_INT((int)s.n, 4);
	if (s.n != 4) {
		sink_free(&s);
		return;
	}
	const struct got *e = &s.ops[0];
	CHECK_INT(e->kind, ALIBI_OP_exec);
	CHECK_INT(e->pid, 4242);
	CHECK_INT(e->ppid, 4200);
	CHECK_STR(e->syscall, "execve");
	CHECK_STR(e->path, "/usr/bin/bash");
	CHECK_STR(e->detail, "bash -c 'rm -rf /srv/models/agent2 && echo it'\\''s gone'");
	CHECK_INT(e->ts, time_parse_iso8601("2026-03-04T10:15:30.250Z"));
	CHECK_INT(e->ok, 1);
	CHECK_INT(e->port, -1);
	CHECK_INT(e->bytes, -1);
	CHECK(e->raw && strncmp(e->raw, "{\"alibi\": 1, \"ts\": \"2026-03-04T12:15:30.250+02:00\"", 50) == 0);
	const struct got *u = &s.ops[1];
	CHECK_INT(u->line, 3);
	CHECK_INT(u->ts, 1772619330500000LL);
	CHECK_INT(u->ok, 0);
	CHECK_STR(u->err_name, "ENOENT");
	CHECK_INT(u->err_no, 2);
	CHECK_INT(u->pid, 0);
	const struct got *t = &s.ops[2];
	CHECK_STR(t->host, "10.0.0.9");
	CHECK_INT(t->port, 22);
	CHECK_STR(t->path2, "/backup/agent2");
	CHECK_INT(t->bytes, 6291456);
	CHECK_INT(t->ok, 1);
	/* a negative result without an errno: failed, cause unknown */
	CHECK_INT(s.ops[3].ok, 0);
	CHECK_INT(s.ops[3].err_no, 0);
	sink_free(&s);
}

static void
test_bad_lines(void)
{
	static const struct {
		const char *line;
		const char *problem;
	} cases[] = {
		{ "{\"alibi\": 1, \"ts\": 1, \"op\": \"delete\", \"path\": \"/a\"}",
		  "unknown op \"delete\" (see alibi-formats(5))" },
		{ "{\"ts\": 1, \"op\": \"unlink\", \"path\": \"/a\"}",
		  "missing \"alibi\" (the schema version, 1)" },
		{ "{\"alibi\": 2, \"ts\": 1, \"op\": \"unlink\", \"path\": \"/a\", \"new\": 1}",
		  "unknown version 2 (this alibi reads version 1)" },
		{ "{\"alibi\": \"1\", \"ts\": 1, \"op\": \"unlink\", \"path\": \"/a\"}",
		  "\"alibi\" must be an integer" },
		{ "{\"alibi\": 1, \"op\": \"unlink\", \"path\": \"/a\"}",
		  "missing \"ts\"" },
		{ "{\"alibi\": 1, \"ts\": \"yesterday\", \"op\": \"unlink\", \"path\": \"/a\"}",
		  "bad time \"yesterday\" (RFC 3339: 2026-03-04T10:15:30Z)" },
		{ "{\"alibi\": 1, \"ts\": 1772619330500, \"op\": \"unlink\", \"path\": \"/a\"}",
		  "bad time: a number in \"ts\" is seconds since the epoch" },
		{ "{\"alibi\": 1, \"ts\": true, \"op\": \"unlink\", \"path\": \"/a\"}",
		  "\"ts\" must be an RFC 3339 time or a number of seconds" },
		{ "{\"alibi\": 1, \"ts\": 1, \"op\": \"unlink\", \"path\": \"/a\", \"pid\": \"12\"}",
		  "\"pid\" must be an integer" },
		{ "{\"alibi\": 1, \"ts\": 1, \"op\": \"connect\", \"host\": \"h\", \"port\": 70000}",
		  "\"port\" is out of range" },
		{ "{\"alibi\": 1, \"ts\": 1, \"op\": \"write\", \"path\": \"/a\", \"bytes\": -5}",
		  "\"bytes\" must not be negative" },
		{ "{\"alibi\": 1, \"ts\": 1, \"op\": \"unlink\", \"path\": [\"/a\"]}",
		  "\"path\" must be a string; missing \"path\" for op \"unlink\"" },
		{ "{\"alibi\": 1, \"ts\": 1, \"op\": \"exec\", \"argv\": \"ls -l\"}",
		  "\"argv\" must be a non-empty array of strings; missing \"path\" or \"argv\" for op \"exec\"" },
		{ "{\"alibi\": 1, \"ts\": 1, \"op\": \"unlink\", \"path\": \"/a\", \"errno\": \"enoent\"}",
		  "\"errno\" \"enoent\" is not an error name such as \"ENOENT\"" },
		{ "{\"alibi\": 1, \"ts\": 1, \"op\": \"unlink\", \"path\": \"/a\", \"errno\": \"EPERM\", \"result\": 0}",
		  "\"errno\" given for a result that is not negative" },
		{ "{\"alibi\": 1, \"ts\": 1, \"op\": \"unlink\", \"ptah\": \"/a\"}",
		  "missing \"path\" for op \"unlink\"; unknown member \"ptah\" (extensions start with \"x_\")" },
		{ "{\"alibi\": 1, \"ts\": 1, \"op\": \"unlink\", \"path\": \"/a\", \"path\": \"/b\"}",
		  "\"path\" given twice" },
		{ "{\"alibi\": 1, \"ts\": 1, \"op\": \"unlink\", \"path\": \"/a\"} {}",
		  "text after the JSON object (one object a line)" },
		{ "[1, 2]", "not a JSON object" },
		{ "{\"alibi\": 1, \"ts\": 1, \"op\": \"unlink\", \"path\": ", "invalid JSON near column 46" },
		{ "# a comment", "invalid JSON near column 1" },
	};
	struct strbuf text = STRBUF_INIT;
	sb_adds(&text, "{\"alibi\": 1, \"ts\": 1, \"op\": \"mkdir\", \"path\": \"/first\"}\n");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		sb_addf(&text, "%s\n", cases[i].line);
	sb_adds(&text, "{\"alibi\": 1, \"ts\": 1, \"op\": \"mkdir\", \"path\": \"/last\"}");
	struct sink s;
	CHECK_INT(parse_str(&s, sb_str(&text)), 0);
	CHECK_INT(s.records, 2);
	CHECK_INT((int)s.n, 2);
	CHECK_INT(s.bad, (int)(sizeof cases / sizeof cases[0]));
	for (size_t i = 0; i < sizeof cases / sizeof cases[0] && i < 32; i++) {
		char want[64];
		/* the sink keeps 63 bytes of each problem */
		snprintf(want, sizeof want, "%s", cases[i].problem);
		CHECK_INT(s.bad_line[i], (int64_t)i + 2);
		CHECK_STR(s.bad_what[i], want);
	}
	sink_free(&s);
	sb_free(&text);
}

static void
test_long_line_and_bom(void)
{
	struct strbuf text = STRBUF_INIT;
	sb_adds(&text, "\xef\xbb\xbf{\"alibi\": 1, \"ts\": 1, \"op\": \"mkdir\", \"path\": \"/a\"}\n");
	sb_adds(&text, "{\"alibi\": 1, \"ts\": 1, \"op\": \"mkdir\", \"path\": \"/");
	for (int i = 0; i < (1 << 20); i++)
		sb_addc(&text, 'x');
	sb_adds(&text, "\"}\n{\"alibi\": 1, \"ts\": 1, \"op\": \"rmdir\", \"path\": \"/a\"}\n");
	struct sink s;
	CHECK_INT(parse_str(&s, sb_str(&text)), 0);
	CHECK_INT((int)s.n, 2);
	CHECK_INT(s.bad, 1);
	CHECK_INT(s.bad_line[0], 2);
	CHECK_STR(s.bad_what[0], "line longer than 1 MiB");
	sink_free(&s);
	sb_free(&text);
}

static void
test_detect(void)
{
	static const char ours[] =
		"{\"alibi\":1,\"ts\":\"2026-03-04T10:15:30Z\",\"op\":\"exec\",\"argv\":[\"ls\"]}\n"
		"{\"alibi\":1,\"ts\":\"2026-03-04T10:15:31Z\",\"op\":\"unlink\",\"path\":\"/a\"}\n";
	static const char mostly_ours[] =
		"{\"alibi\":1,\"ts\":1,\"op\":\"unlink\",\"path\":\"/a\"}\n"
		"{\"alibi\":1,\"ts\":1,\"op\":\"unlink\",\"path\":\n"
		"{\"alibi\":1,\"ts\":1,\"op\":\"unlink\",\"path\":\"/b\"}\n";
	static const char chat[] = "{\"role\":\"user\",\"content\":\"hi\"}\n";
	static const char falco[] =
		"{\"output\":\"x\",\"priority\":\"Warning\",\"rule\":\"r\",\"time\":\"2026-03-04T10:15:30Z\"}\n";
	CHECK_INT(alibi_jsonl_detect(ours, strlen(ours)), 95);
	CHECK_STR(ingest_detect(ours, strlen(ours))->name, "alibi-jsonl");
	CHECK_INT(alibi_jsonl_detect(mostly_ours, strlen(mostly_ours)), 95);
	CHECK_INT(alibi_jsonl_detect(ours, 30), 60);
	CHECK_INT(alibi_jsonl_detect(chat, strlen(chat)), 0);
	CHECK_INT(alibi_jsonl_detect(falco, strlen(falco)), 0);
}

static void
test_sample_file(void)
{
	char path[512];
	struct sink s;
	unit_data("actions/run.jsonl", path, sizeof path);
	CHECK_INT(parse_file(&s, path), 0);
	CHECK_INT(s.bad, 0);
	CHECK(s.n >= 10);
	sink_free(&s);
}

int
main(void)
{
	RUN(test_every_op_kind);
	RUN(test_what_each_kind_needs);
	RUN(test_members);
	RUN(test_bad_lines);
	RUN(test_long_line_and_bom);
	RUN(test_detect);
	RUN(test_sample_file);
	return unit_done();
}
