/* attribute.c — which tool call made each syscall op.
 *
 * A shell tool call shows up in a syscall log as an exec whose argv runs
 * its command (`bash -c "<command>"`, `sh -lc ...`, or the command's own
 * argv).  That process and every process it starts (the log's ppid tree)
 * belong to the tool call.  Tool calls are matched in order, so the same
 * command run twice is told apart; processes no tool call explains (the
 * harness, a daemon started before) stay unattributed.  Each match is
 * also an anchor pair for the clock (clock.c).
 *
 * The tree has gaps: a process that only forks and exits (the subshell
 * of `(cp -r x /tmp/y &)`, the first fork of a daemon) makes no op, so
 * its child names a parent the log never shows; and some logs (Falco
 * alerts, JSONL action logs, auditd excerpts) name no parent at all.
 * Only then, with its ancestry unknown, is a process placed by time: it
 * belongs to the tool call that was running when it first appears, if
 * one was and its missing parent (or, with none named, the process
 * itself) is younger than the call's shell and not far newer than the
 * newest process of the call's tree.  Pids are handed out in order, so
 * a daemon started before, or any process far outside that range, is
 * not the call's; nor is a process whose parent is init or is in the
 * log outside every tool call.  A process that first appears between
 * tool calls stays unattributed; ancestry learnt later wins over time.
 * A process that keeps working after its tool call returned (`nohup ...
 * &`) stays with that tool call: its ops are the call's, only later. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/path.h"
#include "analyze_internal.h"

#define MATCH_LOOKAHEAD 64     /* tool calls searched past the cursor */
#define TRUNCATED_MIN 12       /* bytes a truncated argv must still show */
#define RUNNING_SLACK_US 250000 /* a result's time against the log's clock */
/* How much newer than a tool call's newest process a process of unknown
 * ancestry may be and still be taken for the call's: room for what else
 * the machine starts meanwhile, far below the distance to a process
 * from another container's or the host's pid range. */
#define RUNNING_PID_SPAN 1024

/* Quotes and backslashes go (the log quotes argv its own way), "\n" and
 * "\t" written as escapes become blanks, and blank runs become one space. */
void
command_normalise(const char *s, struct strbuf *out)
{
	int blank = 1;
	for (; *s; s++) {
		char c = *s;
		if (c == '\\' && (s[1] == 'n' || s[1] == 't')) {
			c = ' ';
			s++;
		} else if (c == '\\' || c == '\'' || c == '"') {
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			if (!blank)
				sb_addc(out, ' ');
			blank = 1;
			continue;
		}
		sb_addc(out, c);
		blank = 0;
	}
	while (out->len && out->buf[out->len - 1] == ' ')
		sb_truncate(out, out->len - 1);
	if (!out->buf)
		sb_add(out, "", 0);
}

/* 1 when word [w, w+n) is a shell's "run this string" option: -c, -lc,
 * -ec, --login -c ... */
static int
is_dash_c(const char *w, size_t n)
{
	if (n < 2 || w[0] != '-' || w[1] == '-')
		return 0;
	for (size_t i = 1; i < n; i++)
		if (w[i] == 'c')
			return 1;
	return 0;
}

static int
shell_runs(const char *argv, size_t end, int *is_shell)
{
	/* the word before end must be -c; the first word must be a shell */
	size_t e = end;
	while (e && argv[e - 1] == ' ')
		e--;
	size_t b = e;
	while (b && argv[b - 1] != ' ')
		b--;
	if (!is_dash_c(argv + b, e - b))
		return 0;
	size_t w = strcspn(argv, " ");
	char first[64];
	snprintf(first, sizeof first, "%.*s", (int)(w < 63 ? w : 63), argv);
	const char *base = path_basename(first);
	static const char *const shells[] = { "bash", "sh", "dash", "zsh", "ksh", "ash", "busybox", NULL };
	for (size_t i = 0; shells[i]; i++)
		if (strcmp(base, shells[i]) == 0) {
			*is_shell = 1;
			return 1;
		}
	return 0;
}

int
exec_runs_command(const char *argv, const char *cmd)
{
	size_t an = strlen(argv), cn = strlen(cmd);
	if (!cn)
		return 0;
	int is_shell = 0;
	if (an == cn && memcmp(argv, cmd, an) == 0)
		return 1;
	if (an > cn && memcmp(argv + an - cn, cmd, cn) == 0 && argv[an - cn - 1] == ' ')
		return shell_runs(argv, an - cn, &is_shell) ? 2 : 0;
	/* strace -s N cuts long strings and marks them with "..." */
	if (an > 3 && memcmp(argv + an - 3, "...", 3) == 0) {
		for (size_t p = 0; p + 1 < an; p++) {
			if (argv[p] != ' ')
				continue;
			size_t shown = an - 3 - (p + 1);
			if (shown >= TRUNCATED_MIN && shown <= cn &&
			    memcmp(argv + p + 1, cmd, shown) == 0 && shell_runs(argv, p + 1, &is_shell))
				return 2;
		}
	}
	return 0;
}

struct pidinfo *
pid_lookup(struct actx *a, int32_t pid, int create)
{
	if (!pid)
		return NULL;
	if (create && (a->pid_count + 1) * 2 > a->pid_cap) {
		size_t cap = a->pid_cap ? a->pid_cap * 2 : 256;
		struct pidinfo *t = xcalloc(cap, sizeof *t);
		for (size_t i = 0; i < a->pid_cap; i++) {
			if (!a->pids[i].pid)
				continue;
			size_t j = (uint32_t)a->pids[i].pid * 2654435761u & (cap - 1);
			while (t[j].pid)
				j = (j + 1) & (cap - 1);
			t[j] = a->pids[i];
		}
		free(a->pids);
		a->pids = t;
		a->pid_cap = cap;
	}
	if (!a->pid_cap)
		return NULL;
	size_t j = (uint32_t)pid * 2654435761u & (a->pid_cap - 1);
	for (; a->pids[j].pid; j = (j + 1) & (a->pid_cap - 1))
		if (a->pids[j].pid == pid)
			return &a->pids[j];
	if (!create)
		return NULL;
	memset(&a->pids[j], 0, sizeof a->pids[j]);
	a->pids[j].pid = pid;
	a->pid_count++;
	return &a->pids[j];
}

/* The tool call an exec runs, searching forward from the cursor.  A
 * process already inside a tool call's tree may only start another tool
 * call through a shell -c, never by a bare argv that happens to equal a
 * later command. */
static long
match_tool_call(struct actx *a, const char *argv, int nested)
{
	size_t end = a->tc_cursor + MATCH_LOOKAHEAD;
	if (end > a->tc_count)
		end = a->tc_count;
	for (size_t i = a->tc_cursor; i < end; i++) {
		if (!a->tcs[i].norm)
			continue;
		int how = exec_runs_command(argv, a->tcs[i].norm);
		if (how == 2 || (how == 1 && !nested))
			return (long)i;
	}
	return -1;
}

static void
add_anchor(struct actx *a, int64_t delta)
{
	grow_array((void **)&a->anchors, sizeof *a->anchors, &a->anchor_cap, a->anchor_count + 1);
	a->anchors[a->anchor_count++] = delta;
}

static void
note_exec(struct actx *a, struct pidinfo *pi, const struct store_op_row *r)
{
	const struct alibi_op *op = &r->op;
	const char *prog = op->path;
	char first[256];
	if (op->detail) {
		size_t w = strcspn(op->detail, " ");
		snprintf(first, sizeof first, "%.*s", (int)(w < 255 ? w : 255), op->detail);
		if (first[0] == '\'' && w > 1) {
			/* a quoted argv[0] */
			memmove(first, first + 1, strlen(first));
			first[strcspn(first, "'")] = '\0';
		}
		if (first[0])
			prog = first;
	}
	if (prog)
		pi->comm = pool_intern(&a->pool, path_basename(prog));
	if (!op->ok || !op->detail || !a->tc_count)
		return;
	struct strbuf norm = STRBUF_INIT;
	command_normalise(op->detail, &norm);
	long i = match_tool_call(a, sb_str(&norm), pi->tool_call != 0);
	sb_free(&norm);
	if (i < 0)
		return;
	struct atc *t = &a->tcs[i];
	pi->tool_call = t->id;
	t->matched = 1;
	t->exec_ts = op->ts;
	t->exec_pid = op->pid;
	t->max_pid = op->pid;
	a->tc_cursor = (size_t)i + 1;
	if (t->ts != ALIBI_TS_NONE && op->ts != ALIBI_TS_NONE &&
	    (r->clock == ALIBI_CLOCK_TIME_OF_DAY || r->clock == ALIBI_CLOCK_RELATIVE))
		add_anchor(a, t->ts - op->ts);
}

/* 1 when pid lies in the range of pids the tool call's tree may have
 * handed out: after its shell's, and not far past its newest one. */
static int
in_pid_range(const struct atc *t, int32_t pid)
{
	int32_t top = t->max_pid > t->exec_pid ? t->max_pid : t->exec_pid;
	return pid > t->exec_pid && (int64_t)pid <= (int64_t)top + RUNNING_PID_SPAN;
}

/* For a process whose ancestry is unknown: the tool call whose command
 * was last seen to start, if the op came before its result did (the
 * result's time put on the log's clock by the call's own anchor pair)
 * and the process, and its missing parent when one is named, lie in the
 * call's pid range; 0 when none was running. */
static int64_t
running_tool_call(const struct actx *a, const struct alibi_op *op)
{
	if (!a->tc_cursor || op->ts == ALIBI_TS_NONE)
		return 0;
	const struct atc *t = &a->tcs[a->tc_cursor - 1];
	if (!t->matched || t->exec_ts == ALIBI_TS_NONE || op->ts < t->exec_ts)
		return 0;
	if (!in_pid_range(t, op->pid) || (op->ppid && !(in_pid_range(t, op->ppid) && op->ppid < op->pid)))
		return 0;
	if (t->ended != ALIBI_TS_NONE && t->ts != ALIBI_TS_NONE &&
	    op->ts > t->ended - (t->ts - t->exec_ts) + RUNNING_SLACK_US)
		return 0;
	return t->id;
}

/* Places a process by what the op tells of its parent.  A parent in the
 * log decides, and overrides a guess by time; a parent that is init
 * (pid 1: a daemon, or an orphan) is no tool call's; a parent the log
 * never shows, or none named, leaves only the time the process first
 * appeared (fresh: this is its first op). */
static void
place_process(struct actx *a, struct pidinfo *pi, const struct alibi_op *op, int fresh)
{
	if (op->ppid && !pi->ppid) {
		pi->ppid = op->ppid;
		struct pidinfo *parent = pid_lookup(a, op->ppid, 0);
		if (parent && (!pi->tool_call || pi->by_time)) {
			pi->tool_call = parent->tool_call;
			pi->by_time = parent->by_time;
			return;
		}
		if (parent || op->ppid == 1)
			return;
	}
	if (fresh && !pi->tool_call && op->ppid != 1) {
		pi->tool_call = running_tool_call(a, op);
		pi->by_time = pi->tool_call != 0;
	}
}

int
attribute_op(struct actx *a, const struct store_op_row *r, int64_t *tool_call)
{
	const struct alibi_op *op = &r->op;
	*tool_call = 0;
	int fresh = pid_lookup(a, op->pid, 0) == NULL;
	struct pidinfo *pi = pid_lookup(a, op->pid, 1);
	if (!pi)
		return 0;
	place_process(a, pi, op, fresh);
	if (op->kind == ALIBI_OP_exec)
		note_exec(a, pi, r);
	/* the running call's tree grows: its range follows */
	if (pi->tool_call && a->tc_cursor) {
		struct atc *t = &a->tcs[a->tc_cursor - 1];
		if (t->id == pi->tool_call && op->pid > t->max_pid)
			t->max_pid = op->pid;
	}
	*tool_call = pi->tool_call;
	return 0;
}

const char *
actx_comm(struct actx *a, int32_t pid)
{
	struct pidinfo *pi = pid_lookup(a, pid, 0);
	return pi && pi->comm ? pi->comm->s : NULL;
}
