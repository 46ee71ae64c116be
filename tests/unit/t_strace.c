/* t_strace.c — the strace parser: line forms, clocks, joined calls, fd and
 * cwd tracking, the ops it makes, and input that is not strace at all.
 *
 * The traces in tests/data/strace/ were recorded with strace 6.1 (see
 * each test for the command); the counts asserted on the public fixtures
 * were taken with grep and awk, not with this parser. */
#include "unit.h"

#include "alibi/ingest.h"

/* ---- a sink that keeps everything ---- */

#define OP_SINK_PARSE strace_parse
#include "op_sink.h"

static int
parse_text(struct sink *s, const char *text, size_t len, const char *path)
{
	FILE *fp = fmemopen((void *)text, len, "r");
	if (!fp)
		return -1;
	int rc = parse_fp(s, fp, path);
	fclose(fp);
	return rc;
}

static int
parse_str(struct sink *s, const char *text)
{
	return parse_text(s, text, strlen(text), "inline.trace");
}

/* The first op of a kind on a path (path NULL: any). */
static const struct got *
find(const struct sink *s, enum alibi_op_kind kind, const char *path)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->ops[i].kind == kind &&
		    (!path || (s->ops[i].path && strcmp(s->ops[i].path, path) == 0)))
			return &s->ops[i];
	return NULL;
}

/* The op of a kind to host:port with the given bytes (-2: any). */
static const struct got *
find_peer(const struct sink *s, enum alibi_op_kind kind, const char *host, int port,
          int64_t bytes)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct got *g = &s->ops[i];
		if (g->kind == kind && g->host && strcmp(g->host, host) == 0 && g->port == port &&
		    (bytes == -2 || g->bytes == bytes))
			return g;
	}
	return NULL;
}

static int
count(const struct sink *s, enum alibi_op_kind kind)
{
	int n = 0;
	for (size_t i = 0; i < s->n; i++)
		n += s->ops[i].kind == kind;
	return n;
}

/* CHECKs run on a NULL op would crash; this reports it instead. */
#define NEED(op) if (!(op)) { CHECK(op); return; }

static const char *
data(const char *rel)
{
	static char buf[4][512];
	static int k;
	k = (k + 1) % 4;
	return unit_data(rel, buf[k], sizeof buf[k]);
}

/* ---- detection ---- */

static void
test_detect_scores(void)
{
	const char *trace =
		"909190 execve(\"/bin/true\", [\"true\"], 0x7ffc /* 53 vars */) = 0\n"
		"909190 brk(NULL)                        = 0x562f59fea000\n"
		"909190 openat(AT_FDCWD, \"/etc/ld.so.cache\", O_RDONLY|O_CLOEXEC <unfinished ...>\n"
		"909191 <... openat resumed>) = 3\n"
		"909190 +++ exited with 0 +++\n";
	CHECK(strace_detect(trace, strlen(trace)) >= 90);
	const char *tt = "[pid  12] 10:15:30.123456 close(3</x>) = 0 <0.000012>\n";
	CHECK(strace_detect(tt, strlen(tt)) >= 90);
	const char *json = "{\"role\": \"user\", \"content\": \"close(3) = 0\"}\n[1, 2]\n";
	CHECK_INT(strace_detect(json, strlen(json)), 0);
	const char *prose = "The call open(x) returned a file.\nNothing = here.\n";
	CHECK_INT(strace_detect(prose, strlen(prose)), 0);
	CHECK_INT(strace_detect("", 0), 0);
}

/* ---- line forms and clocks ---- */

static void
test_prefixes_and_clocks(void)
{
	struct sink s;
	parse_str(&s, "12345  10:15:30 unlink(\"/a\") = 0\n"
	              "12345  23:59:59.500000 unlink(\"/b\") = 0\n"
	              "12345  00:00:01.000001 unlink(\"/c\") = -1 ENOENT (No such file or directory) <0.000010>\n");
	CHECK_INT(s.clock, ALIBI_CLOCK_TIME_OF_DAY);
	CHECK_INT(s.n, 3);
	if (s.n == 3) {
		CHECK_INT(s.ops[0].ts, INT64_C(36930) * 1000000);
		CHECK_INT(s.ops[0].pid, 12345);
		/* past midnight: the next day, so times keep their order */
		CHECK_INT(s.ops[2].ts, INT64_C(86401) * 1000000 + 1);
		CHECK_INT(s.ops[2].ok, 0);
		CHECK_STR(s.ops[2].err_name, "ENOENT");
		CHECK_INT(s.ops[2].err_no, 2);
		CHECK_STR(s.ops[2].raw, "12345  00:00:01.000001 unlink(\"/c\") = -1 ENOENT (No such file or directory) <0.000010>");
		CHECK_INT(s.ops[2].line, 3);
	}
	sink_free(&s);

	parse_str(&s, "     0.000000 unlink(\"/a\") = 0\n"
	              "     0.000250 getpid() = 7\n"
	              "     1.500000 unlink(\"/b\") = 0\n");
	CHECK_INT(s.clock, ALIBI_CLOCK_RELATIVE);
	CHECK_INT(s.n, 2);
	if (s.n == 2)
		CHECK_INT(s.ops[1].ts, 1500250);
	CHECK_INT(s.records, 3);
	sink_free(&s);

	parse_str(&s, "[pid 77] 1577836800.000001 unlink(\"/a\") = 0\n");
	CHECK_INT(s.clock, ALIBI_CLOCK_EPOCH);
	NEED(s.n == 1);
	CHECK_INT(s.ops[0].ts, INT64_C(1577836800000001));
	CHECK_INT(s.ops[0].pid, 77);
	sink_free(&s);

	parse_str(&s, "unlink(\"/a\") = 0\n");
	CHECK_INT(s.clock, ALIBI_CLOCK_NONE);
	NEED(s.n == 1);
	CHECK_INT(s.ops[0].ts, ALIBI_TS_NONE);
	CHECK_INT(s.ops[0].pid, 0);
	sink_free(&s);

	/* strace -p 4321: the pid comes from the attach message */
	parse_str(&s, "strace: Process 4321 attached\n"
	              "read(0,  <detached ...>\n"
	              "unlink(\"/a\") = 0\n"
	              "strace: Process 4321 detached\n");
	CHECK_INT(s.bad, 0);
	CHECK_INT(s.records, 2);
	NEED(s.n == 1);
	CHECK_INT(s.ops[0].pid, 4321);
	sink_free(&s);

	/* -ff: the pid comes from the file name */
	const char *t = "unlink(\"/a\") = 0\n";
	parse_text(&s, t, strlen(t), "/logs/trace.4242");
	NEED(s.n == 1);
	CHECK_INT(s.ops[0].pid, 4242);
	sink_free(&s);
}

/* strace -f -tt -y -o cleanup.trace sh -c 'mkdir -p /tmp/srv/models && cd
 * /tmp/srv/models && echo hi > a && cp a b && mv b c && touch -d 2025-01-01
 * c && chmod 600 c && ln -s c d && ln c e && rm a c d e && cd / && rmdir
 * /tmp/srv/models /tmp/srv; rm /tmp/srv/nope; kill -0 $$' */
static void
test_cleanup_trace(void)
{
	struct sink s;
	parse_file(&s, data("strace/cleanup.trace"));
	/* 731 lines: 11 "+++", 10 "---", 30 resumed halves */
	CHECK_INT(s.records, 680);
	CHECK_INT(s.bad, 0);
	CHECK_INT(s.clock, ALIBI_CLOCK_TIME_OF_DAY);
	CHECK_INT(count(&s, ALIBI_OP_exec), 11);
	const struct got *g = find(&s, ALIBI_OP_exec, "/usr/bin/cp");
	NEED(g);
	CHECK_STR(g->detail, "cp a b");
	CHECK_INT(g->pid, 10764);
	CHECK_INT(g->ppid, 10762);
	CHECK_INT(g->line, 146);  /* the unfinished half */
	CHECK(strstr(g->raw, "<unfinished ...>\n10764 ") != NULL);
	CHECK_INT(find(&s, ALIBI_OP_exec, "/usr/bin/sh")->ts, INT64_C(18033267899));

	NEED((g = find(&s, ALIBI_OP_create, "/tmp/srv/models/a")));
	CHECK_INT(g->bytes, 3);  /* "hi\n" through fd 1 after dup2 */
	CHECK_INT(g->pid, 10762);
	NEED((g = find(&s, ALIBI_OP_open_read, "/tmp/srv/models/a")));
	CHECK_INT(g->bytes, 3);  /* cp's copy_file_range */
	NEED((g = find(&s, ALIBI_OP_create, "/tmp/srv/models/b")));
	CHECK_INT(g->bytes, 3);
	CHECK_STR(g->syscall, "openat");
	NEED((g = find(&s, ALIBI_OP_rename, "/tmp/srv/models/b")));
	CHECK_STR(g->path2, "/tmp/srv/models/c");
	NEED((g = find(&s, ALIBI_OP_utime, "/tmp/srv/models/c")));  /* via fd 0 */
	CHECK(g->detail && strstr(g->detail, "tv_sec=1735689600") != NULL);
	NEED((g = find(&s, ALIBI_OP_chmod, "/tmp/srv/models/c")));
	CHECK_STR(g->detail, "0600");
	NEED((g = find(&s, ALIBI_OP_link, "/tmp/srv/models/c")));
	CHECK_STR(g->path2, "/tmp/srv/models/d");
	CHECK_STR(g->detail, "symlink");
	CHECK_INT(count(&s, ALIBI_OP_link), 2);
	CHECK_INT(count(&s, ALIBI_OP_unlink), 5);
	NEED((g = find(&s, ALIBI_OP_unlink, "/tmp/srv/nope")));
	CHECK_INT(g->ok, 0);
	CHECK_INT(g->err_no, 2);
	NEED((g = find(&s, ALIBI_OP_mkdir, "/tmp/srv/models")));  /* after fchdir */
	CHECK_INT(g->ok, 1);
	CHECK_INT(count(&s, ALIBI_OP_rmdir), 2);
	NEED((g = find(&s, ALIBI_OP_kill, NULL)));
	CHECK_STR(g->detail, "pid 10762 0");
	sink_free(&s);
}

/* strace -f -ttt -T -o epoch.trace sh -c 'cd /tmp/alibi-e && mkdir sub &&
 * echo x > sub/f && truncate -s 0 sub/f && chown 0:0 sub/f && mv sub/f g;
 * sleep 10 & kill -TERM $!; wait; rm -r sub g; cat nonexistent' (no -y:
 * relative paths resolve only through the tracked cwd) */
static void
test_epoch_trace(void)
{
	struct sink s;
	const struct got *g;
	parse_file(&s, data("strace/epoch.trace"));
	CHECK_INT(s.records, 508);  /* 545 lines - 8 "+++" - 8 "---" - 21 resumed */
	CHECK_INT(s.bad, 0);
	CHECK_INT(s.clock, ALIBI_CLOCK_EPOCH);
	NEED((g = find(&s, ALIBI_OP_create, "/tmp/alibi-e/sub/f")));
	CHECK_INT(g->bytes, 2);
	CHECK_INT(g->ts, INT64_C(1795928438374774));
	NEED((g = find(&s, ALIBI_OP_truncate, "/tmp/alibi-e/sub/f")));
	CHECK_STR(g->syscall, "ftruncate");
	NEED((g = find(&s, ALIBI_OP_chown, "/tmp/alibi-e/sub/f")));
	CHECK_STR(g->detail, "0:0");
	NEED((g = find(&s, ALIBI_OP_rename, "/tmp/alibi-e/sub/f")));
	CHECK_STR(g->path2, "/tmp/alibi-e/g");
	NEED((g = find(&s, ALIBI_OP_kill, NULL)));
	CHECK_STR(g->detail, "pid 10821 SIGTERM");
	CHECK_INT(g->pid, 10816);
	NEED((g = find(&s, ALIBI_OP_rmdir, "/tmp/alibi-e/sub")));  /* unlinkat AT_REMOVEDIR */
	NEED((g = find(&s, ALIBI_OP_open_read, "/tmp/alibi-e/nonexistent")));
	CHECK_INT(g->ok, 0);
	CHECK_STR(g->err_name, "ENOENT");
	CHECK_INT(g->bytes, -1);
	NEED((g = find(&s, ALIBI_OP_connect, "/var/run/nscd/socket")));
	CHECK_INT(g->ok, 0);
	CHECK_INT(count(&s, ALIBI_OP_connect), 4);
	sink_free(&s);
}

/* strace -f -tt -y sh -c 'cd /tmp/alibi-p; echo one > one.txt & echo two >
 * two.txt; wait; cat one.txt two.txt > both.txt; rm one.txt two.txt'
 * 2> pidprefix.trace: "[pid N]" prefixes, lines without a pid while one
 * process runs, and "strace: Process N attached" cutting a line in two. */
static void
test_pid_prefix_trace(void)
{
	struct sink s;
	const struct got *g;
	parse_file(&s, data("strace/pidprefix.trace"));
	/* 229 lines - 4 "+++" - 3 "---" - 24 resumed - 3 " <unfinished ...>" rests */
	CHECK_INT(s.records, 195);
	CHECK_INT(s.bad, 0);
	NEED((g = find(&s, ALIBI_OP_exec, "/usr/bin/sh")));
	CHECK_INT(g->pid, 10908);  /* learnt after its lines without a pid */
	NEED((g = find(&s, ALIBI_OP_create, "/tmp/alibi-p/two.txt")));
	CHECK_INT(g->pid, 10908);
	CHECK_INT(g->bytes, 4);
	CHECK_INT(g->line, 50);
	NEED((g = find(&s, ALIBI_OP_create, "/tmp/alibi-p/one.txt")));
	CHECK_INT(g->pid, 10909);
	CHECK_INT(g->ppid, 10908);
	CHECK_INT(g->bytes, 4);
	/* written by the child cat through the fd the shell opened */
	NEED((g = find(&s, ALIBI_OP_create, "/tmp/alibi-p/both.txt")));
	CHECK_INT(g->pid, 10908);
	CHECK_INT(g->bytes, 8);
	NEED((g = find(&s, ALIBI_OP_exec, "/usr/bin/cat")));
	CHECK_INT(g->pid, 10910);
	CHECK_INT(g->ppid, 10908);
	CHECK_INT(count(&s, ALIBI_OP_unlink), 2);
	sink_free(&s);
}

/* A listener on 127.0.0.1:39417, [::1]:39418 and udp 127.0.0.1:39419, then
 * strace -f -tt -yy -o net.trace bash -c 'exec 3<>/dev/tcp/127.0.0.1/39417;
 * echo hello >&3; exec 3>&-; exec 4<>/dev/tcp/::1/39418; printf abc >&4;
 * exec 4>&-; (exec 5<>/dev/tcp/127.0.0.1/1) 2>/dev/null; python3 -S -I -c
 * "$(cat send.py)"', send.py: socket.sendfile() of weights.bin to :39417,
 * a datagram to :39419, a connect to the abstract socket @alibi-abstract. */
static void
test_net_trace(void)
{
	struct sink s;
	const struct got *g;
	parse_file(&s, data("strace/net.trace"));
	CHECK_INT(s.records, 825);
	CHECK_INT(s.bad, 0);
	CHECK_INT(count(&s, ALIBI_OP_connect), 7);
	NEED((g = find_peer(&s, ALIBI_OP_connect, "127.0.0.1", 39417, 6)));  /* bash, echo hello */
	CHECK_INT(g->ok, 1);
	CHECK_INT(g->pid, 11537);
	NEED((g = find_peer(&s, ALIBI_OP_connect, "127.0.0.1", 39417, 3000)));  /* python */
	NEED((g = find_peer(&s, ALIBI_OP_connect, "::1", 39418, 3)));
	NEED((g = find_peer(&s, ALIBI_OP_connect, "127.0.0.1", 1, -2)));
	CHECK_INT(g->ok, 0);
	CHECK_STR(g->err_name, "ECONNREFUSED");
	CHECK_INT(g->pid, 11538);
	CHECK_INT(g->ppid, 11537);
	NEED((g = find(&s, ALIBI_OP_connect, "@alibi-abstract")));
	CHECK_INT(g->ok, 0);
	NEED((g = find(&s, ALIBI_OP_transfer, "/tmp/alibi-n/weights.bin")));
	CHECK_STR(g->host, "127.0.0.1");
	CHECK_INT(g->port, 39417);
	CHECK_INT(g->bytes, 3000);
	CHECK_STR(g->syscall, "sendfile");
	NEED((g = find(&s, ALIBI_OP_open_read, "/tmp/alibi-n/weights.bin")));
	CHECK_INT(g->bytes, 3000);
	NEED((g = find(&s, ALIBI_OP_send, NULL)));
	CHECK_STR(g->host, "127.0.0.1");
	CHECK_INT(g->port, 39419);
	CHECK_INT(g->bytes, 4);
	/* "2>/dev/null" opens with O_CREAT|O_TRUNC, but creates nothing */
	CHECK(find(&s, ALIBI_OP_create, "/dev/null") == NULL);
	CHECK(find(&s, ALIBI_OP_open_write, "/dev/null") != NULL);
	sink_free(&s);
}

/* strace -ff -r -o rel sh -c 'echo x > /tmp/alibi-r.txt; rm /tmp/alibi-r.txt' */
static void
test_ff_relative_traces(void)
{
	struct sink s;
	const struct got *g;
	parse_file(&s, data("strace/ff/rel.11671"));
	CHECK_INT(s.clock, ALIBI_CLOCK_RELATIVE);
	CHECK_INT(s.records, 64);
	NEED((g = find(&s, ALIBI_OP_create, "/tmp/alibi-r.txt")));
	CHECK_INT(g->pid, 11671);
	CHECK_INT(g->bytes, 2);
	CHECK_INT(g->ts, 3204);  /* the sum of the deltas up to line 48 */
	sink_free(&s);
	parse_file(&s, data("strace/ff/rel.11672"));
	NEED((g = find(&s, ALIBI_OP_unlink, "/tmp/alibi-r.txt")));
	CHECK_INT(g->pid, 11672);
	CHECK_INT(s.bad, 0);
	sink_free(&s);
}

/* ---- fds, cwd and processes, on small hand-written traces ---- */

static void
test_fd_table_dup_fork_exec(void)
{
	struct sink s;
	const struct got *g;
	parse_str(&s,
		"100 openat(AT_FDCWD, \"/srv/models\", O_RDONLY|O_DIRECTORY) = 3\n"
		"100 openat(3, \"w.bin\", O_RDONLY) = 4\n"
		"100 openat(3</srv/models>, \"x.bin\", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 5</srv/models/x.bin>\n"
		"100 read(4, \"abc\", 10) = 3\n"
		"100 pread64(4, \"ab\", 2, 0) = 2\n"
		"100 dup2(5, 1) = 1\n"
		"100 close(5) = 0\n"
		"100 write(1, \"hello\", 5) = 5\n"
		"100 fcntl(1, F_DUPFD_CLOEXEC, 10) = 10\n"
		"100 writev(10, [{iov_base=\"ab\", iov_len=2}], 1) = 2\n"
		"100 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f) = 101\n"
		"101 write(1, \"x\", 1) = 1\n"
		"101 execve(\"/bin/true\", [\"true\"], 0x1 /* 1 var */) = 0\n"
		"101 write(10, \"y\", 1) = 1\n"
		"101 +++ exited with 0 +++\n"
		"100 close(1) = 0\n"
		"100 unlink(\"/tmp/marker\") = 0\n"
		"100 close(10) = 0\n"
		"100 close(4) = 0\n");
	CHECK_INT(s.bad, 0);
	NEED((g = find(&s, ALIBI_OP_open_read, "/srv/models/w.bin")));
	CHECK_INT(g->bytes, 5);
	CHECK_INT(g->line, 2);
	/* fd 10 was close-on-exec: the child's write after exec is not ours */
	NEED((g = find(&s, ALIBI_OP_create, "/srv/models/x.bin")));
	CHECK_INT(g->bytes, 8);
	CHECK_STR(g->raw, "100 openat(3</srv/models>, \"x.bin\", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 5</srv/models/x.bin>");
	NEED((g = find(&s, ALIBI_OP_exec, "/bin/true")));
	CHECK_INT(g->pid, 101);
	CHECK_INT(g->ppid, 100);
	/* emitted when the last fd on it closed, after the unlink on line 17;
	 * the directory's open when the log ends */
	NEED(s.n == 5);
	CHECK_INT(s.ops[0].kind, ALIBI_OP_exec);
	CHECK_INT(s.ops[1].kind, ALIBI_OP_unlink);
	CHECK_INT(s.ops[2].kind, ALIBI_OP_create);
	CHECK_INT(s.ops[3].kind, ALIBI_OP_open_read);
	CHECK_STR(s.ops[4].path, "/srv/models");
	sink_free(&s);
}

static void
test_cwd_tracking(void)
{
	struct sink s;
	parse_str(&s,
		"1 unlink(\"a\") = 0\n"
		"1 getcwd(\"/home/u\", 4096) = 8\n"
		"1 unlink(\"b\") = 0\n"
		"1 chdir(\"sub\") = 0\n"
		"1 unlink(\"../c\") = 0\n"
		"1 openat(AT_FDCWD, \"/etc\", O_RDONLY|O_DIRECTORY|O_CLOEXEC) = 3\n"
		"1 fchdir(3) = 0\n"
		"1 unlink(\"x\") = 0\n"
		"1 unlinkat(AT_FDCWD</var>, \"y\", 0) = 0\n"
		"1 unlink(\"z\") = 0\n"
		"2 openat(AT_FDCWD, \"data/f\", O_RDONLY) = 3</opt/app/data/f>\n"
		"2 unlink(\"g\") = 0\n"
		"2 chdir(\"/nope\") = -1 ENOENT (No such file or directory)\n"
		"2 unlink(\"h\") = 0\n"
		"3 openat(AT_FDCWD, \"tty0\", O_RDONLY) = 3</srv/dev/tty0<char 4:0>>\n"
		"3 unlink(\"q\") = 0\n");
	const char *want[] = { "a", "/home/u/b", "/home/u/c", "/etc/x", "/var/y", "/var/z",
	                       "/opt/app/g", "/opt/app/h", "/srv/dev/q" };
	int n = 0;
	for (size_t i = 0; i < s.n; i++) {
		if (s.ops[i].kind != ALIBI_OP_unlink)
			continue;
		if (n < 9)
			CHECK_STR(s.ops[i].path, want[n]);
		n++;
	}
	CHECK_INT(n, 9);
	CHECK(find(&s, ALIBI_OP_open_read, "/opt/app/data/f") != NULL);
	sink_free(&s);
}

/* Threads share their fd table; a thread's exec finishes in the leader. */
static void
test_threads_and_superseded_exec(void)
{
	struct sink s;
	const struct got *g;
	parse_str(&s,
		"400 clone(child_stack=0x7f, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD <unfinished ...>\n"
		"401 openat(AT_FDCWD, \"/tmp/t.log\", O_WRONLY|O_CREAT|O_APPEND, 0666) = 3\n"
		"400 <... clone resumed>, parent_tid=[401], tls=0x7f) = 401\n"
		"400 write(3, \"from the leader\", 15) = 15\n"
		"401 execve(\"/bin/ls\", [\"ls\", \"-l\"], 0x1 /* 1 var */ <pid changed to 400 ...>\n"
		"400 +++ superseded by execve in pid 401 +++\n"
		"400 <... execve resumed>) = 0\n"
		"400 unlinkat(AT_FDCWD, \"/tmp/z\", 0 <unfinished ...>) = ?\n"
		"400 +++ killed by SIGKILL +++\n");
	CHECK_INT(s.bad, 0);
	NEED((g = find(&s, ALIBI_OP_open_write, "/tmp/t.log")));   /* an append */
	CHECK_INT(g->pid, 401);
	CHECK_INT(g->ppid, 400);
	CHECK_INT(g->bytes, 15);
	NEED((g = find(&s, ALIBI_OP_exec, "/bin/ls")));
	CHECK_INT(g->pid, 400);
	CHECK_INT(g->line, 5);
	CHECK_STR(g->detail, "ls -l");
	CHECK_INT(g->ok, 1);
	NEED((g = find(&s, ALIBI_OP_unlink, "/tmp/z")));
	CHECK_INT(g->ok, 0);  /* "= ?": the process died in the call */
	CHECK_INT(s.records, 5);
	sink_free(&s);
}

static void
test_file_calls(void)
{
	struct sink s;
	const struct got *g;
	parse_str(&s,
		"5 execve(\"/usr/local/bin/cp\", [\"cp\", \"a b\", \"it's\"], 0x1 /* 2 vars */) = -1 ENOENT (No such file or directory)\n"
		"5 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f3a2c000000\n"
		"5 fcntl(0, F_GETFL) = 0x8002 (flags O_RDWR|O_LARGEFILE)\n"
		"5 creat(\"/tmp/c\", 0644) = 3\n"
		"5 close_range(3, ~0U, 0) = 0\n"
		"5 openat2(AT_FDCWD, \"/tmp/o2\", {flags=O_RDWR|O_CLOEXEC, mode=0, resolve=0}, 24) = 4\n"
		"5 fchmod(4</tmp/o2>, 0444) = 0\n"
		"5 fchmod(9</tmp/gone (deleted)>, 0600) = 0\n"
		"5 utimensat(AT_FDCWD, \"/srv/m/w.bin\", [{tv_sec=0, tv_nsec=0}, {tv_sec=0, tv_nsec=0}], 0) = 0\n"
		"5 mkdirat(AT_FDCWD, \"/srv/new\", 0755) = 0\n"
		"5 link(\"/a\", \"/b\") = 0\n"
		"5 symlink(\"../t\", \"/x/y/l\") = 0\n"
		"5 rename(\"old\", \"/abs/new\") = 0\n"
		"5 truncate(\"/var/log/syslog\", 0) = 0\n"
		"5 openat(AT_FDCWD, \"/tmp/d\", O_RDONLY|O_PATH|O_DIRECTORY) = 6\n"
		"5 unlinkat(6, \"gone\", AT_REMOVEDIR) = 0\n");
	CHECK_INT(s.bad, 0);
	CHECK_INT(s.records, 16);
	NEED((g = find(&s, ALIBI_OP_exec, "/usr/local/bin/cp")));
	CHECK_INT(g->ok, 0);
	CHECK_INT(g->err_no, 2);
	CHECK_STR(g->detail, "cp 'a b' 'it'\\''s'");
	NEED((g = find(&s, ALIBI_OP_create, "/tmp/c")));
	CHECK_STR(g->syscall, "creat");
	CHECK(s.ops[1].kind == ALIBI_OP_create);  /* close_range closed it */
	NEED((g = find(&s, ALIBI_OP_open_write, "/tmp/o2")));
	NEED((g = find(&s, ALIBI_OP_chmod, "/tmp/o2")));
	CHECK_STR(g->detail, "0444");
	CHECK(find(&s, ALIBI_OP_chmod, "/tmp/gone") != NULL);
	NEED((g = find(&s, ALIBI_OP_utime, "/srv/m/w.bin")));
	CHECK_STR(g->detail, "[{tv_sec=0, tv_nsec=0}, {tv_sec=0, tv_nsec=0}]");
	CHECK(find(&s, ALIBI_OP_mkdir, "/srv/new") != NULL);
	NEED((g = find(&s, ALIBI_OP_link, "/a")));
	CHECK_STR(g->path2, "/b");
	NEED((g = find(&s, ALIBI_OP_link, "/x/t")));
	CHECK_STR(g->path2, "/x/y/l");
	NEED((g = find(&s, ALIBI_OP_rename, "old")));  /* no cwd known: stays relative */
	CHECK_STR(g->path2, "/abs/new");
	NEED((g = find(&s, ALIBI_OP_truncate, "/var/log/syslog")));
	CHECK_STR(g->detail, "0");
	CHECK(find(&s, ALIBI_OP_rmdir, "/tmp/d/gone") != NULL);
	CHECK(find(&s, ALIBI_OP_open_read, "/tmp/d") == NULL);  /* O_PATH is no access */
	sink_free(&s);
}

static void
test_network_and_signals(void)
{
	struct sink s;
	const struct got *g;
	parse_str(&s,
		"9 tgkill(500, 501, SIGKILL) = 0\n"
		"9 pidfd_open(1234, 0) = 5\n"
		"9 pidfd_send_signal(5, SIGTERM, NULL, 0) = 0\n"
		"9 kill(-77, SIGHUP) = -1 ESRCH (No such process)\n"
		"9 sendto(3, \"abc\", 3, 0, {sa_family=AF_INET6, sin6_port=htons(53), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \"2001:db8::1\", &sin6_addr), sin6_scope_id=0}, 28) = 3\n"
		"9 sendmsg(4, {msg_name={sa_family=AF_INET, sin_port=htons(514), sin_addr=inet_addr(\"10.0.0.9\")}, msg_namelen=16, msg_iov=[{iov_base=\"x\", iov_len=1}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, 0) = 1\n"
		"9 socket(AF_INET, SOCK_STREAM|SOCK_NONBLOCK, IPPROTO_TCP) = 6\n"
		"9 connect(6, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr(\"203.0.113.5\")}, 16) = -1 EINPROGRESS (Operation now in progress)\n"
		"9 getsockopt(6, SOL_SOCKET, SO_ERROR, [ECONNREFUSED], [4]) = 0\n"
		"9 close(6) = 0\n"
		"9 socket(AF_INET, SOCK_STREAM|SOCK_NONBLOCK, IPPROTO_TCP) = 6\n"
		"9 connect(6, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr(\"203.0.113.6\")}, 16) = -1 EINPROGRESS (Operation now in progress)\n"
		"9 getsockopt(6, SOL_SOCKET, SO_ERROR, [0], [4]) = 0\n"
		"9 sendto(6, \"GET /\", 5, MSG_NOSIGNAL, NULL, 0) = 5\n"
		"9 write(7<TCP:[10.1.1.1:5555->192.0.2.7:22]>, \"data\", 4) = 4\n"
		"9 write(7<TCP:[10.1.1.1:5555->192.0.2.7:22]>, \"more\", 4) = 4\n"
		"9 write(8</var/log/agent.log>, \"x\", 1) = 1\n"
		"9 write(1</dev/pts/0>, \"x\", 1) = 1\n"
		"9 accept4(3, {sa_family=AF_INET, sin_port=htons(50000), sin_addr=inet_addr(\"198.51.100.4\")}, [16], SOCK_CLOEXEC) = 9\n"
		"9 write(9, \"resp\", 4) = 4\n"
		"9 close(9) = 0\n"
		"9 connect(11, {sa_family=AF_UNIX, sun_path=\"/run/docker.sock\"}, 110) = 0\n"
		"9 write(11, \"POST\", 4) = 4\n");
	CHECK_INT(s.bad, 0);
	CHECK_INT(count(&s, ALIBI_OP_kill), 3);
	NEED(s.n >= 3);
	CHECK_STR(s.ops[0].detail, "pid 500 SIGKILL");
	CHECK_STR(s.ops[1].detail, "pid 1234 SIGTERM");
	CHECK_STR(s.ops[2].detail, "pid -77 SIGHUP");
	CHECK_INT(s.ops[2].ok, 0);
	NEED((g = find_peer(&s, ALIBI_OP_send, "2001:db8::1", 53, 3)));
	NEED((g = find_peer(&s, ALIBI_OP_send, "10.0.0.9", 514, 1)));
	NEED((g = find_peer(&s, ALIBI_OP_connect, "203.0.113.5", 443, -2)));
	CHECK_INT(g->ok, 0);
	CHECK_STR(g->err_name, "ECONNREFUSED");
	NEED((g = find_peer(&s, ALIBI_OP_connect, "203.0.113.6", 443, 5)));
	CHECK_INT(g->ok, 1);
	CHECK(g->err_name == NULL);
	NEED((g = find_peer(&s, ALIBI_OP_send, "192.0.2.7", 22, 8)));  /* -yy, opened before the trace */
	CHECK_STR(g->syscall, "write");
	NEED((g = find(&s, ALIBI_OP_write, "/var/log/agent.log")));
	CHECK_INT(g->bytes, 1);
	CHECK(find(&s, ALIBI_OP_write, "/dev/pts/0") == NULL);
	NEED((g = find_peer(&s, ALIBI_OP_send, "198.51.100.4", 50000, 4)));
	NEED((g = find(&s, ALIBI_OP_connect, "/run/docker.sock")));
	CHECK_INT(g->bytes, 4);
	sink_free(&s);
}

/* ---- the public fixtures ---- */

/* 154 lines of -ttt -T -y -xx output, one per syscall shape, normalised
 * upstream (paths are "\x01\x23\x45").  grep: 153 calls and one "+++"
 * line; connect 3, execve 1, ftruncate 1, openat 6 (one O_CREAT). */
static void
test_fixture_chrahunt_samples(void)
{
	char buf[1024];
	const char *path = unit_fixture("strace-parser-chrahunt/samples.txt", buf, sizeof buf);
	if (!path) {
		SKIP("fixtures not available");
		return;
	}
	struct sink s;
	parse_file(&s, path);
	CHECK_INT(s.clock, ALIBI_CLOCK_EPOCH);
	CHECK_INT(s.records + s.bad, 153);
	CHECK_INT(s.bad, 0);
	CHECK_INT(s.n, 11);
	CHECK_INT(count(&s, ALIBI_OP_connect), 3);
	CHECK_INT(count(&s, ALIBI_OP_exec), 1);
	CHECK_INT(count(&s, ALIBI_OP_truncate), 1);
	CHECK_INT(count(&s, ALIBI_OP_open_read), 5);
	CHECK_INT(count(&s, ALIBI_OP_create), 1);
	const struct got *g = find(&s, ALIBI_OP_connect, "@\x01#E");  /* abstract, \x-decoded */
	NEED(g);
	CHECK_INT(g->ts, INT64_C(1577836800000000));
	CHECK_INT(g->line, 11);
	sink_free(&s);
}

/* strace -f -o of a multithreaded Rust program: 2105 lines, 12 pids, no
 * times.  grep/awk: 224 unfinished/resumed pairs, 12 "+++", one "---";
 * execve 3, openat 240 (15 with O_CREAT, 10 of them appends with
 * O_APPEND), mkdir 15 (all EEXIST), tgkill 1; threads 909193..909202 each
 * append 4096 bytes to data/fileN. */
static void
test_fixture_arastoob_multithread(void)
{
	char buf[1024];
	const char *path = unit_fixture("strace-parser-arastoob/multithread_strace1.log", buf, sizeof buf);
	if (!path) {
		SKIP("fixtures not available");
		return;
	}
	struct sink s;
	parse_file(&s, path);
	CHECK_INT(s.clock, ALIBI_CLOCK_NONE);
	CHECK_INT(s.bad, 0);
	CHECK_INT(s.records, 2105 - 224 - 12 - 1);
	CHECK_INT(count(&s, ALIBI_OP_exec), 3);
	CHECK_INT(count(&s, ALIBI_OP_open_read) + count(&s, ALIBI_OP_create) +
	          count(&s, ALIBI_OP_open_write), 240);
	CHECK_INT(count(&s, ALIBI_OP_create), 5);
	CHECK_INT(count(&s, ALIBI_OP_open_write), 10);   /* the appends */
	CHECK_INT(count(&s, ALIBI_OP_mkdir), 15);
	CHECK_INT(count(&s, ALIBI_OP_kill), 1);
	/* the third exec is relative, after chdir() into the project */
	CHECK(find(&s, ALIBI_OP_exec,
	           "/home/arastoo/Desktop/Files/PhD/thesis/Implementations/multithread/target/release/multithread") != NULL);
	int joined = 0, threads = 0, data_files = 0;
	int32_t seen[16];
	for (size_t i = 0; i < s.n; i++) {
		const struct got *g = &s.ops[i];
		if (g->kind == ALIBI_OP_open_read || g->kind == ALIBI_OP_create ||
		    g->kind == ALIBI_OP_open_write)
			joined += g->raw && strstr(g->raw, "<unfinished ...>\n") && strstr(g->raw, "<... openat resumed>");
		if (g->path && strstr(g->path, "/multithread/data/file")) {
			data_files++;
			CHECK_INT(g->bytes, 4096);
			CHECK_INT(g->ppid, 909190);
		}
		if (g->pid == 909190)
			continue;
		int k;
		for (k = 0; k < threads && seen[k] != g->pid; k++)
			;
		if (k == threads && threads < 16)
			seen[threads++] = g->pid;
	}
	CHECK_INT(joined, 12);  /* 12 of the pairs are openat */
	CHECK_INT(data_files, 10);
	CHECK_INT(threads, 10);
	sink_free(&s);
}

/* ---- input that is not (all) strace ---- */

static void
test_bad_lines_are_reported(void)
{
	struct sink s;
	static const char text[] =
		"\x01\x02\xff garbage\n"
		"10 unlink(\"/tmp/ok1\") = 0\n"
		"10 unlink(\"/tmp/abc) = 0\n"
		"10 close(3)\n"
		"10 close(3) = banana\n"
		"some program output\n"
		"10 unlink(\"/tmp/bin\\0ary\") = 0\n"
		"10 write(1, \"a\0b\", 3) = 3\n"
		"10 unlink(\"/tmp/\\377\\376\") = 0\n"
		"10 unlink(\"/tmp/raw\xc3\x28\") = 0\n"
		"10 openat(AT_FDCWD, \"/etc/pass";
	parse_text(&s, text, sizeof text - 1, "inline.trace");
	CHECK_INT(s.bad, 7);
	static const int64_t lines[] = { 1, 3, 4, 5, 6, 8, 11 };
	static const char *const what[] = { "not an strace line", "unterminated string",
		"call without a result", "malformed result", "not an strace line",
		"NUL byte in line", "truncated last line" };
	for (int i = 0; i < 7 && i < s.bad; i++) {
		CHECK_INT(s.bad_line[i], lines[i]);
		CHECK_STR(s.bad_what[i], what[i]);
	}
	CHECK_INT(s.records, 4);
	CHECK_INT(count(&s, ALIBI_OP_unlink), 4);
	CHECK(find(&s, ALIBI_OP_unlink, "/tmp/ok1") != NULL);
	CHECK(find(&s, ALIBI_OP_unlink, "/tmp/bin") != NULL);      /* cut at the decoded NUL */
	CHECK(find(&s, ALIBI_OP_unlink, "/tmp/\xff\xfe") != NULL);  /* bytes kept */
	CHECK(find(&s, ALIBI_OP_unlink, "/tmp/raw\xc3\x28") != NULL);
	sink_free(&s);
}

static void
test_ten_megabyte_line(void)
{
	size_t big = 10u << 20;
	char *text = malloc(big + 200);
	NEED(text);
	size_t n = (size_t)sprintf(text, "1 write(1, \"");
	memset(text + n, 'a', big);
	n += big;
	n += (size_t)sprintf(text + n, "\", %zu) = %zu\n1 unlink(\"/after\") = 0\n", big, big);
	struct sink s;
	parse_text(&s, text, n, "big.trace");
	CHECK_INT(s.bad, 1);
	CHECK_INT(s.bad_line[0], 1);
	CHECK_STR(s.bad_what[0], "line too long");
	CHECK(find(&s, ALIBI_OP_unlink, "/after") != NULL);
	sink_free(&s);
	free(text);
}

/* A log that opens and never closes: past 65536 waiting ops the oldest go
 * out early, so memory stays bounded. */
static void
test_unclosed_opens_are_bounded(void)
{
	enum { OPENS = 66000 };
	struct sink s;
	char *text = malloc((size_t)OPENS * 64 + 64), *p = text;
	NEED(text);
	for (int i = 0; i < OPENS; i++)
		p += sprintf(p, "1 openat(AT_FDCWD, \"/f/%d\", O_RDONLY) = %d\n", i, i + 3);
	p += sprintf(p, "1 unlink(\"/end\") = 0\n");
	parse_text(&s, text, (size_t)(p - text), "many.trace");
	CHECK_INT(s.n, OPENS + 1);
	NEED(s.n == OPENS + 1);
	CHECK_STR(s.ops[0].path, "/f/0");
	CHECK_INT(s.ops[OPENS - 65536].kind, ALIBI_OP_unlink);
	CHECK_STR(s.ops[OPENS].path, "/f/65999");
	sink_free(&s);
	free(text);
}

static uint32_t
next_random(uint32_t *state)
{
	*state = *state * 1664525u + 1013904223u;
	return *state >> 8;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	if (!fp)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0) {
		long n = ftell(fp);
		rewind(fp);
		buf = n > 0 ? malloc((size_t)n) : NULL;
		*len = buf ? fread(buf, 1, (size_t)n, fp) : 0;
	}
	fclose(fp);
	return buf;
}

/* Random bytes, random cuts and random damage to real traces: every run
 * must end, account for its lines and (under ASan) touch nothing it
 * should not. */
static void
test_fuzz_does_not_crash(void)
{
	uint32_t seed = 12345;
	size_t len = 0;
	char *orig = slurp(data("strace/pidprefix.trace"), &len);
	NEED(orig);
	char *work = malloc(len + 64);
	struct sink s;
	for (int round = 0; round < 150; round++) {
		size_t n = len;
		memcpy(work, orig, len);
		int edits = 1 + (int)(next_random(&seed) % 12);
		for (int k = 0; k < edits; k++) {
			size_t at = next_random(&seed) % n;
			static const char nasty[] = "\"<>()[]{},\\\n =?0x@/*";
			switch (next_random(&seed) % 4) {
			case 0: work[at] = (char)next_random(&seed); break;
			case 1: work[at] = nasty[next_random(&seed) % (sizeof nasty - 1)]; break;
			case 2: n = at + 1; break;  /* cut, maybe mid-call */
			default: memmove(work + at, work + at + 1, n - at - 1); n--; break;
			}
			if (n < 2)
				break;
		}
		parse_text(&s, work, n, "fuzz.trace");
		CHECK(s.records + s.bad > 0);
		sink_free(&s);
	}
	for (size_t i = 0; i < len; i++)
		work[i] = (char)next_random(&seed);
	parse_text(&s, work, len, "random.trace");
	CHECK(s.bad > 0);
	sink_free(&s);
	free(work);
	free(orig);
}

int
main(void)
{
	RUN(test_detect_scores);
	RUN(test_prefixes_and_clocks);
	RUN(test_cleanup_trace);
	RUN(test_epoch_trace);
	RUN(test_pid_prefix_trace);
	RUN(test_net_trace);
	RUN(test_ff_relative_traces);
	RUN(test_fd_table_dup_fork_exec);
	RUN(test_cwd_tracking);
	RUN(test_threads_and_superseded_exec);
	RUN(test_file_calls);
	RUN(test_network_and_signals);
	RUN(test_fixture_chrahunt_samples);
	RUN(test_fixture_arastoob_multithread);
	RUN(test_bad_lines_are_reported);
	RUN(test_ten_megabyte_line);
	RUN(test_unclosed_opens_are_bounded);
	RUN(test_fuzz_does_not_crash);
	return unit_done();
}
