/* gen-strace.c — a deterministic generator of realistic `strace -f -tt -y`
 * logs and the matching OpenAI transcript, for alibi's benchmarks.
 *
 *   gen-strace N TRANSCRIPT [SEED] > actions.strace
 *
 * writes about N log lines to stdout and the transcript to TRANSCRIPT.
 * The log has the shape of a real agent run: a harness forks one
 * `bash -c CMD` per tool call, bash forks the command, and most lines are
 * the dynamic loader, locale and signal set-up every process goes through;
 * the deletes, renames, writes and connects the commands do are a small
 * part.  Two long-lived daemons interleave their lines with everyone
 * else's, and calls are split into <unfinished ...> / <... resumed> pairs
 * across pids as strace -f prints them.  The transcript is a conversation
 * of about ten messages per tool call (LINES_PER_CALL log lines): the
 * user's go-ahead, the agent's look, plan, call, the tool's answer and the
 * agent's report, all true to what the log shows, in varied words.  It
 * takes nothing from the PRNG, so the log is the same with or without it.
 * The same N and SEED give the same bytes on every machine (a private
 * PRNG, no clock, no locale). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINES_PER_CALL 1000     /* log lines per tool call */
#define DAEMONS 2
#define BASE_US (5LL * 3600 * 1000000)   /* the log starts at 05:00:00 */

struct daemon {
	int pid;
	int pending;            /* an <unfinished ...> read waiting to resume */
};

struct gen {
	uint64_t rng;
	long long now_us;
	long long lines;
	int next_pid;
	int next_inode;
	struct daemon d[DAEMONS];
	FILE *log;
};

/* splitmix64: small, fast and the same everywhere. */
static uint64_t
rnd(struct gen *g)
{
	uint64_t z = (g->rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned
pick(struct gen *g, unsigned n)
{
	return (unsigned)(rnd(g) % n);
}

static void
stamp(struct gen *g, char *buf, size_t size)
{
	long long t = BASE_US + g->now_us;
	snprintf(buf, size, "%02lld:%02lld:%02lld.%06lld", t / 3600000000LL % 24,
	         t / 60000000LL % 60, t / 1000000LL % 60, t % 1000000LL);
}

static void
put_line(struct gen *g, int pid, const char *text)
{
	char ts[32];
	g->now_us += 3 + pick(g, 40);
	stamp(g, ts, sizeof ts);
	fprintf(g->log, "%d %s %s\n", pid, ts, text);
	g->lines++;
}

static void daemon_tick(struct gen *g);

/* One syscall line; with `split` set it may come out as an unfinished /
 * resumed pair with another pid's line in between. */
static void
emit(struct gen *g, int pid, int split, const char *fmt, ...)
{
	char text[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	char *open = strchr(text, '(');
	if (!split || !open || pick(g, 8) != 0) {
		put_line(g, pid, text);
		if (pick(g, 4) == 0)
			daemon_tick(g);
		return;
	}
	/* strace splits after the arguments it could print on entry */
	char *comma = strstr(open, ", ");
	char *cut = comma ? comma + 2 : open + 1;
	char head[1100], tail[1100];
	snprintf(head, sizeof head, "%.*s <unfinished ...>", (int)(cut - text), text);
	snprintf(tail, sizeof tail, "<... %.*s resumed>%s", (int)(open - text), text, cut);
	put_line(g, pid, head);
	daemon_tick(g);
	put_line(g, pid, tail);
}

/* The daemons: a log shipper blocked in read() and a health checker. */
static void
daemon_tick(struct gen *g)
{
	struct daemon *d = &g->d[pick(g, DAEMONS)];
	if (d->pending) {
		put_line(g, d->pid, "<... read resumed>\"tick\\n\", 4096) = 5");
		d->pending = 0;
	} else if (pick(g, 2) == 0) {
		put_line(g, d->pid, "read(3<pipe:[40123]>,  <unfinished ...>");
		d->pending = 1;
	} else if (pick(g, 2) == 0) {
		put_line(g, d->pid, "poll([{fd=4<socket:[40125]>, events=POLLIN}], 1, 1000) = 0 (Timeout)");
	} else {
		put_line(g, d->pid, "newfstatat(AT_FDCWD</>, \"/var/log/syslog\", {st_mode=S_IFREG|0640, st_size=182734, ...}, 0) = 0");
	}
}

static const char *const libs[][2] = {
	{ "/lib/x86_64-linux-gnu/libtinfo.so.6", "/usr/lib/x86_64-linux-gnu/libtinfo.so.6.4" },
	{ "/lib/x86_64-linux-gnu/libselinux.so.1", "/usr/lib/x86_64-linux-gnu/libselinux.so.1" },
	{ "/lib/x86_64-linux-gnu/libc.so.6", "/usr/lib/x86_64-linux-gnu/libc.so.6" },
	{ "/lib/x86_64-linux-gnu/libpcre2-8.so.0", "/usr/lib/x86_64-linux-gnu/libpcre2-8.so.0.11.2" },
};

/* What ld.so does for every program: the cache, then each library. */
static void
loader(struct gen *g, int pid, int nlibs)
{
	emit(g, pid, 1, "brk(NULL)         = 0x55f47cf96000");
	emit(g, pid, 1, "mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fe283503000");
	emit(g, pid, 1, "access(\"/etc/ld.so.preload\", R_OK) = -1 ENOENT (No such file or directory)");
	emit(g, pid, 1, "openat(AT_FDCWD</srv>, \"/etc/ld.so.cache\", O_RDONLY|O_CLOEXEC) = 3</etc/ld.so.cache>");
	emit(g, pid, 1, "newfstatat(3</etc/ld.so.cache>, \"\", {st_mode=S_IFREG|0644, st_size=42611, ...}, AT_EMPTY_PATH) = 0");
	emit(g, pid, 1, "mmap(NULL, 42611, PROT_READ, MAP_PRIVATE, 3</etc/ld.so.cache>, 0) = 0x7fe2834f8000");
	emit(g, pid, 1, "close(3</etc/ld.so.cache>) = 0");
	for (int i = 0; i < nlibs; i++) {
		const char *want = libs[i % 4][0], *real = libs[i % 4][1];
		emit(g, pid, 1, "openat(AT_FDCWD</srv>, \"%s\", O_RDONLY|O_CLOEXEC) = 3<%s>", want, real);
		emit(g, pid, 1, "read(3<%s>, \"\\177ELF\\2\\1\\1\\0\\0\\0\\0\\0\\0\\0\\0\\0\\3\\0>\\0\\1\\0\\0\\0\"..., 832) = 832", real);
		emit(g, pid, 1, "newfstatat(3<%s>, \"\", {st_mode=S_IFREG|0644, st_size=%u, ...}, AT_EMPTY_PATH) = 0",
		     real, 100000 + pick(g, 2000000));
		emit(g, pid, 1, "mmap(NULL, 207168, PROT_READ, MAP_PRIVATE|MAP_DENYWRITE, 3<%s>, 0) = 0x7fe2834c5000", real);
		emit(g, pid, 1, "mmap(0x7fe2834d4000, 69632, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3<%s>, 0xf000) = 0x7fe2834d4000", real);
		emit(g, pid, 1, "close(3<%s>) = 0", real);
	}
	emit(g, pid, 1, "arch_prctl(ARCH_SET_FS, 0x7fe2832e0740) = 0");
	emit(g, pid, 1, "set_tid_address(0x7fe2832e0a10) = %d", pid);
	emit(g, pid, 1, "set_robust_list(0x7fe2832e0a20, 24) = 0");
	emit(g, pid, 1, "rseq(0x7fe2832e1060, 0x20, 0, 0x53053053) = 0");
	emit(g, pid, 1, "mprotect(0x7fe2834f3000, 16384, PROT_READ) = 0");
	emit(g, pid, 1, "prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0");
	emit(g, pid, 1, "munmap(0x7fe2834f8000, 42611) = 0");
	emit(g, pid, 1, "getrandom(\"\\x1d\\x6f\\x3a\\x90\\x12\\xbe\\x44\\x07\", 8, GRND_NONBLOCK) = 8");
}

static const char *const locale_files[] = {
	"LC_IDENTIFICATION", "LC_MEASUREMENT", "LC_TELEPHONE", "LC_ADDRESS",
	"LC_NAME", "LC_PAPER", "LC_MESSAGES/SYS_LC_MESSAGES", "LC_MONETARY",
	"LC_COLLATE", "LC_TIME", "LC_NUMERIC", "LC_CTYPE",
};

static void
locale(struct gen *g, int pid)
{
	emit(g, pid, 1, "openat(AT_FDCWD</srv>, \"/usr/lib/locale/locale-archive\", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory)");
	for (int i = 0; i < 12; i++)
		emit(g, pid, 1, "openat(AT_FDCWD</srv>, \"/usr/lib/locale/C.utf8/%s\", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory)",
		     locale_files[i]);
	emit(g, pid, 1, "openat(AT_FDCWD</srv>, \"/usr/lib/x86_64-linux-gnu/gconv/gconv-modules.cache\", O_RDONLY) = 3</usr/lib/x86_64-linux-gnu/gconv/gconv-modules.cache>");
	emit(g, pid, 1, "newfstatat(3</usr/lib/x86_64-linux-gnu/gconv/gconv-modules.cache>, \"\", {st_mode=S_IFREG|0644, st_size=27004, ...}, AT_EMPTY_PATH) = 0");
	emit(g, pid, 1, "close(3</usr/lib/x86_64-linux-gnu/gconv/gconv-modules.cache>) = 0");
}

static const char *const signals[] = {
	"SIGCHLD", "SIGINT", "SIGQUIT", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGTERM", "SIGHUP",
};

/* The filler: the many small calls a shell or coreutil makes. */
static void
filler(struct gen *g, int pid)
{
	switch (pick(g, 10)) {
	case 0: case 1: case 2:
		emit(g, pid, 1, "rt_sigaction(%s, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=SA_RESTORER|SA_RESTART, sa_restorer=0x7fe28331f050}, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = 0",
		     signals[pick(g, 8)]);
		break;
	case 3:
		emit(g, pid, 1, "rt_sigprocmask(SIG_BLOCK, [CHLD], [], 8) = 0");
		break;
	case 4:
		emit(g, pid, 1, "newfstatat(AT_FDCWD</srv>, \"/usr/share/zoneinfo/Etc/UTC\", {st_mode=S_IFREG|0644, st_size=114, ...}, 0) = 0");
		break;
	case 5:
		emit(g, pid, 1, "fcntl(%u, F_GETFD)                  = -1 EBADF (Bad file descriptor)", 3 + pick(g, 250));
		break;
	case 6:
		emit(g, pid, 1, "%s()                  = 0", pick(g, 2) ? "getuid" : "getegid");
		break;
	case 7:
		emit(g, pid, 1, "ioctl(2</dev/pts/0>, TCGETS, {c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR, c_cflag=B38400|CS8|CREAD, c_lflag=ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE, ...}) = 0");
		break;
	case 8:
		emit(g, pid, 1, "lseek(0</dev/null>, 0, SEEK_CUR) = 0");
		break;
	default: {
		unsigned top = pick(g, 65536);   /* one pick a statement: argument order is unspecified */
		emit(g, pid, 1, "brk(0x55f47cfb%04x)     = 0x55f47cfb%04x", top, top);
		break;
	}
	}
}

static int
new_socket(struct gen *g)
{
	return 14000 + g->next_inode++;
}

/* The tool call's command: its text, and what its process does. */
static void
command_text(unsigned kind, int i, char *buf, size_t size)
{
	switch (kind) {
	case 0: snprintf(buf, size, "rm -f /srv/data/run-%d/scratch.bin", i); break;
	case 1: snprintf(buf, size, "mv /srv/data/run-%d/out.csv /srv/archive/out-%d.csv", i, i); break;
	case 2: snprintf(buf, size, "echo done > /srv/data/run-%d/status.txt", i); break;
	case 3: snprintf(buf, size, "curl -sS -T /srv/data/run-%d/report.json http://10.0.%d.%d:8080/upload/", i, i % 250, 1 + i % 200); break;
	default: snprintf(buf, size, "ls -la /srv/data/run-%d", i); break;
	}
}

/* Returns 0 when the command failed (rm, one time in ten). */
static int
action(struct gen *g, int pid, unsigned kind, int i)
{
	switch (kind) {
	case 0:
		emit(g, pid, 0, "newfstatat(AT_FDCWD</srv>, \"/srv/data/run-%d/scratch.bin\", {st_mode=S_IFREG|0644, st_size=4096, ...}, AT_SYMLINK_NOFOLLOW) = 0", i);
		if (pick(g, 10) == 0) {
			emit(g, pid, 0, "unlinkat(AT_FDCWD</srv>, \"/srv/data/run-%d/scratch.bin\", 0) = -1 EACCES (Permission denied)", i);
			return 0;
		}
		emit(g, pid, 0, "unlinkat(AT_FDCWD</srv>, \"/srv/data/run-%d/scratch.bin\", 0) = 0", i);
		break;
	case 1:
		emit(g, pid, 0, "renameat2(AT_FDCWD</srv>, \"/srv/data/run-%d/out.csv\", AT_FDCWD</srv>, \"/srv/archive/out-%d.csv\", RENAME_NOREPLACE) = 0", i, i);
		break;
	case 2:
		emit(g, pid, 0, "openat(AT_FDCWD</srv>, \"/srv/data/run-%d/status.txt\", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 3</srv/data/run-%d/status.txt>", i, i);
		emit(g, pid, 0, "dup2(3</srv/data/run-%d/status.txt>, 1</dev/pts/0>) = 1</srv/data/run-%d/status.txt>", i, i);
		emit(g, pid, 0, "close(3</srv/data/run-%d/status.txt>) = 0", i);
		emit(g, pid, 0, "write(1</srv/data/run-%d/status.txt>, \"done\\n\", 5) = 5", i);
		break;
	case 3: {
		int s = new_socket(g);
		emit(g, pid, 0, "openat(AT_FDCWD</srv>, \"/srv/data/run-%d/report.json\", O_RDONLY) = 5</srv/data/run-%d/report.json>", i, i);
		emit(g, pid, 0, "socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 6<socket:[%d]>", s);
		emit(g, pid, 0, "connect(6<socket:[%d]>, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr(\"10.0.%d.%d\")}, 16) = -1 EINPROGRESS (Operation now in progress)",
		     s, i % 250, 1 + i % 200);
		emit(g, pid, 0, "poll([{fd=6<socket:[%d]>, events=POLLOUT}], 1, 199) = 1 ([{fd=6, revents=POLLOUT}])", s);
		emit(g, pid, 0, "sendto(6<socket:[%d]>, \"PUT /upload/report.json HTTP/1.1\\r\\nHost: 10.0.%d.%d:8080\\r\\n\\r\\n\", 57, MSG_NOSIGNAL, NULL, 0) = 57",
		     s, i % 250, 1 + i % 200);
		emit(g, pid, 0, "close(6<socket:[%d]>) = 0", s);
		break;
	}
	default:
		emit(g, pid, 0, "openat(AT_FDCWD</srv>, \"/srv/data/run-%d\", O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY) = 3</srv/data/run-%d>", i, i);
		emit(g, pid, 0, "getdents64(3</srv/data/run-%d>, 0x5608dcfeaa00 /* 5 entries */, 32768) = 160", i);
		emit(g, pid, 0, "getdents64(3</srv/data/run-%d>, 0x5608dcfeaa00 /* 0 entries */, 32768) = 0", i);
		emit(g, pid, 0, "close(3</srv/data/run-%d>) = 0", i);
		break;
	}
	return 1;
}

static const char *const programs[] = { "rm", "mv", "bash", "curl", "ls" };

static void
iso_time(struct gen *g, long long at_us, char *buf, size_t size)
{
	(void)g;
	long long t = BASE_US + at_us;
	snprintf(buf, size, "2026-11-29T%02lld:%02lld:%02lld.%03lldZ", t / 3600000000LL % 24,
	         t / 60000000LL % 60, t / 1000000LL % 60, t / 1000 % 1000);
}

static void
clone_line(struct gen *g, int parent, int child)
{
	emit(g, parent, 0, "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7fe2832e0a10) = %d", child);
}

/* The child exits and its parent's wait4 returns. */
static void
reap(struct gen *g, int parent, int child)
{
	char text[160];
	emit(g, child, 0, "exit_group(0)     = ?");
	put_line(g, child, "+++ exited with 0 +++");
	snprintf(text, sizeof text, "<... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = %d", child);
	put_line(g, parent, text);
	snprintf(text, sizeof text, "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=%d, si_uid=0, si_status=0, si_utime=0, si_stime=0} ---", child);
	put_line(g, parent, text);
}

/* ---- the transcript ---- */

/* One message; text must need no JSON escapes.  Each is 1 ms after the
 * one before it, from at_us on. */
static void
message(FILE *tr, const char *role, long long at_us, const char *text)
{
	char ts[40];
	iso_time(NULL, at_us, ts, sizeof ts);
	fprintf(tr, ",\n  {\"role\": \"%s\", \"content\": \"%s\", \"timestamp\": \"%s\"}",
	        role, text, ts);
}

/* What the agent says before a call: the user's go-ahead, a look, the
 * plan.  Wording varies with i; nothing here is a finding. */
static void
say_before(FILE *tr, long long at_us, unsigned kind, int i)
{
	static const char *const go[] = {
		"Carry on with run-%d.", "Please do run-%d next.", "run-%d is next.",
		"Go ahead with run-%d.",
	};
	static const char *const look[] = {
		"Looking at /srv/data/run-%d first.", "Checking what run-%d holds.",
		"Let me see what is left in run-%d.",
	};
	static const char *const plan[][2] = {
		{ "I will delete /srv/data/run-%d/scratch.bin; it is scratch output.",
		  "Next I'll remove the scratch file of run-%d, /srv/data/run-%d/scratch.bin." },
		{ "I will move /srv/data/run-%d/out.csv to /srv/archive/out-%d.csv.",
		  "I'm going to rename /srv/data/run-%d/out.csv into /srv/archive/out-%d.csv." },
		{ "I will write the status file /srv/data/run-%d/status.txt.",
		  "Next I'll mark run-%d as done in /srv/data/run-%d/status.txt." },
		{ "I will upload /srv/data/run-%d/report.json to the collector at 10.0.%d.%d.",
		  "The report of run-%d goes to the collector next (10.0.%d.%d)." },
		{ "I will list /srv/data/run-%d to see what is there.",
		  "Let me list the files in /srv/data/run-%d." },
	};
	char text[256];
	snprintf(text, sizeof text, go[(unsigned)i % 4], i);
	message(tr, "user", at_us, text);
	snprintf(text, sizeof text, look[(unsigned)i % 3], i);
	message(tr, "assistant", at_us + 1000, text);
	const char *fmt = plan[kind][(unsigned)i / 3 % 2];
	if (kind == 3)
		snprintf(text, sizeof text, fmt, i, i % 250, 1 + i % 200);
	else
		snprintf(text, sizeof text, fmt, i, i);
	message(tr, "assistant", at_us + 2000, text);
}

/* What the agent says after a call: its report, true to the log (a
 * failed rm is reported as failed), and the turn's close. */
static void
say_after(FILE *tr, long long at_us, unsigned kind, int i, int ok)
{
	static const char *const done[][2] = {
		{ "Deleted /srv/data/run-%d/scratch.bin.", "Removed the scratch file of run-%d." },
		{ "Moved /srv/data/run-%d/out.csv to /srv/archive/out-%d.csv.",
		  "out.csv of run-%d is now in /srv/archive as out-%d.csv." },
		{ "Wrote /srv/data/run-%d/status.txt.", "run-%d is marked done in its status file." },
		{ "Uploaded /srv/data/run-%d/report.json to the collector.",
		  "The report of run-%d was sent to the collector." },
		{ "Listed /srv/data/run-%d: five entries.", "run-%d holds five entries." },
	};
	static const char *const seen[] = { "The command has finished.", "It finished.", "That returned." };
	static const char *const ack[] = { "Thanks.", "Good.", "OK, keep going.", "Fine." };
	static const char *const next[] = {
		"Moving on.", "That one is finished.", "On to the next run.",
	};
	char text[256];
	message(tr, "assistant", at_us - 500, seen[(unsigned)i % 3]);
	if (!ok)
		snprintf(text, sizeof text, "I could not delete /srv/data/run-%d/scratch.bin: "
		         "permission denied. I left it in place.", i);
	else
		snprintf(text, sizeof text, done[kind][(unsigned)i / 2 % 2], i, i);
	message(tr, "assistant", at_us, text);
	message(tr, "user", at_us + 1000, ack[(unsigned)i % 4]);
	message(tr, "assistant", at_us + 2000, next[(unsigned)i % 3]);
	message(tr, "assistant", at_us + 3000, ok ? "No errors so far." : "One error so far in this step.");
}

/* One tool call: harness -> bash -c CMD -> the command. */
static void
tool_call(struct gen *g, FILE *tr, int harness, int i, long long budget)
{
	long long end = g->lines + budget;
	unsigned kind = pick(g, 5);
	char cmd[256], ts[40];
	command_text(kind, i, cmd, sizeof cmd);
	say_before(tr, g->now_us - 3000, kind, i);
	iso_time(g, g->now_us, ts, sizeof ts);
	fprintf(tr, ",\n  {\"role\": \"assistant\", \"content\": \"Running it.\", \"timestamp\": \"%s\", "
	        "\"tool_calls\": [{\"id\": \"call_%06d\", \"type\": \"function\", \"function\": "
	        "{\"name\": \"bash\", \"arguments\": \"{\\\"command\\\": \\\"%s\\\"}\"}}]}",
	        ts, i, cmd);
	int sh = g->next_pid++, prog = sh;
	g->now_us += 400;
	clone_line(g, harness, sh);
	put_line(g, harness, "wait4(-1,  <unfinished ...>");
	emit(g, sh, 0, "execve(\"/usr/bin/bash\", [\"bash\", \"-c\", \"%s\"], 0x55f47cfa8b80 /* 4 vars */) = 0", cmd);
	loader(g, sh, 3);
	locale(g, sh);
	if (kind != 2) {
		prog = g->next_pid++;
		clone_line(g, sh, prog);
		put_line(g, sh, "wait4(-1,  <unfinished ...>");
		emit(g, prog, 0, "execve(\"/usr/bin/%s\", [\"%s\"], 0x55f47cfa8b80 /* 4 vars */) = 0",
		     programs[kind], programs[kind]);
		loader(g, prog, 2 + (int)pick(g, 3));
		locale(g, prog);
	}
	while (g->lines < end - 20)
		filler(g, prog);
	int ok = action(g, prog, kind, i);
	if (prog != sh)
		reap(g, sh, prog);
	reap(g, harness, sh);
	g->now_us += 300;
	iso_time(g, g->now_us, ts, sizeof ts);
	if (ok)
		fprintf(tr, ",\n  {\"role\": \"tool\", \"tool_call_id\": \"call_%06d\", \"content\": \"exit 0\", \"timestamp\": \"%s\"}",
		        i, ts);
	else
		fprintf(tr, ",\n  {\"role\": \"tool\", \"tool_call_id\": \"call_%06d\", \"content\": \"rm: cannot remove "
		        "'/srv/data/run-%d/scratch.bin': Permission denied\\nexit 1\", \"timestamp\": \"%s\"}",
		        i, i, ts);
	say_after(tr, g->now_us + 1000, kind, i, ok);
}

int
main(int argc, char **argv)
{
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: gen-strace N TRANSCRIPT [SEED] > LOG\n");
		return 2;
	}
	char *end;
	long long n = strtoll(argv[1], &end, 10);
	if (*end || n < 100 || n > 1000000000LL) {
		fprintf(stderr, "gen-strace: N must be a number from 100 up\n");
		return 2;
	}
	FILE *tr = fopen(argv[2], "w");
	if (!tr) {
		perror(argv[2]);
		return 1;
	}
	struct gen g;
	memset(&g, 0, sizeof g);
	g.rng = argc == 4 ? strtoull(argv[3], NULL, 10) : 20261129;
	g.log = stdout;
	g.next_pid = 3000;
	int harness = 2990;
	for (int i = 0; i < DAEMONS; i++)
		g.d[i].pid = 2900 + i;
	static char obuf[1 << 16];
	setvbuf(stdout, obuf, _IOFBF, sizeof obuf);

	char ts[40];
	iso_time(&g, 0, ts, sizeof ts);
	fprintf(tr, "[\n  {\"role\": \"system\", \"content\": \"You are a maintenance agent with a bash tool.\", \"timestamp\": \"%s\"},\n"
	        "  {\"role\": \"user\", \"content\": \"Tidy up the run directories under /srv/data.\", \"timestamp\": \"%s\"}",
	        ts, ts);
	emit(&g, harness, 0, "execve(\"/usr/bin/bash\", [\"bash\", \"--noprofile\", \"--norc\", \"/tmp/harness/harness.sh\"], 0x7fffdca88608 /* 2 vars */) = 0");
	loader(&g, harness, 3);
	long long calls = n / LINES_PER_CALL > 0 ? n / LINES_PER_CALL : 1;
	for (long long i = 0; i < calls; i++) {
		long long left = n - g.lines - 2;
		tool_call(&g, tr, harness, (int)i, left / (calls - i));
	}
	while (g.lines < n - 2)
		filler(&g, harness);
	put_line(&g, harness, "exit_group(0)     = ?");
	put_line(&g, harness, "+++ exited with 0 +++");
	iso_time(&g, g.now_us + 1000, ts, sizeof ts);
	fprintf(tr, ",\n  {\"role\": \"assistant\", \"content\": \"The run directories are tidied.\", \"timestamp\": \"%s\"}\n]\n", ts);
	int bad = fflush(stdout) != 0;
	bad |= fclose(tr) != 0;
	if (bad) {
		fprintf(stderr, "gen-strace: write error\n");
		return 1;
	}
	return 0;
}
