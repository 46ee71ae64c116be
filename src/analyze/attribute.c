/* attribute.c — which tool call made each syscall op.
 *
 * A shell tool call shows up in a syscall log as an exec whose argv runs
 * its command (`bash -c "<command>"`, `sh -lc ...`, or the command's own
 * argv).  That process and every process it starts (the log's ppid tree)
 * belong to the tool call.  Tool calls are matched in order, so the same
 * command run twice is told apart; processes no tool call explains (the
 * harness, a daemon started before) stay unattributed.  Each match is
 * also an anchor pair for the clock (clock.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/path.h"
#include "analyze_internal.h"

#define MATCH_LOOKAHEAD 64     /* tool calls searched past the cursor */
#define TRUNCATED_MIN 12       /* bytes a truncated argv must still show */

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
	a->tc_cursor = (size_t)i + 1;
	if (t->ts != ALIBI_TS_NONE && op->ts != ALIBI_TS_NONE &&
	    (r->clock == ALIBI_CLOCK_TIME_OF_DAY || r->clock == ALIBI_CLOCK_RELATIVE))
		add_anchor(a, t->ts - op->ts);
}

int
attribute_op(struct actx *a, const struct store_op_row *r, int64_t *tool_call)
{
	const struct alibi_op *op = &r->op;
	*tool_call = 0;
	struct pidinfo *pi = pid_lookup(a, op->pid, 1);
	if (!pi)
		return 0;
	if (!pi->ppid && op->ppid) {
		pi->ppid = op->ppid;
		/* a new process starts in its parent's tool call */
		struct pidinfo *parent = pid_lookup(a, op->ppid, 0);
		if (parent && !pi->tool_call)
			pi->tool_call = parent->tool_call;
	}
	if (op->kind == ALIBI_OP_exec)
		note_exec(a, pi, r);
	*tool_call = pi->tool_call;
	return 0;
}

const char *
actx_comm(struct actx *a, int32_t pid)
{
	struct pidinfo *pi = pid_lookup(a, pid, 0);
	return pi && pi->comm ? pi->comm->s : NULL;
}
