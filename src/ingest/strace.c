/* strace.c — strace's text output: the line loop and the processes.
 *
 * A line is an optional pid ("1234 " from -f -o, "[pid  1234] " on
 * stderr), an optional time (-t, -tt, -ttt, -r), then one of: a call
 * "name(args) = result", half a call ("<unfinished ...>" / "<... name
 * resumed>"), "+++ exited with 0 +++", "--- SIGCHLD {...} ---" or a
 * "strace: ..." message.  Halves are joined per pid before the call is
 * read, so every handler sees whole calls.
 *
 * On stderr strace leaves the pid out while only one process is traced,
 * so a process may first appear without a pid and later with one; such a
 * "pseudo" process takes its real pid when that shows up. */
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "strace_internal.h"

#define US_PER_DAY (INT64_C(86400) * 1000000)

/* ---- processes and lines ---- */

static struct proc *
find_pseudo(struct strace_parser *sp)
{
	struct proc *p = proc_find(sp, 0);
	return p && p->pseudo ? p : NULL;
}

static int
pending_is(const struct proc *p, struct span name)
{
	return p->pending && p->pend_text.len > name.n &&
	       memcmp(p->pend_text.buf, name.p, name.n) == 0 && p->pend_text.buf[name.n] == '(';
}

/* The newest unfinished clone that has no child yet: a pid the log has
 * not shown before is most likely that child. */
static struct proc *
clone_waiting(struct strace_parser *sp)
{
	for (int i = sp->ncloners - 1; i >= 0; i--) {
		struct proc *q = proc_find(sp, sp->cloners[i]);
		if (q && q->pending && q->pend_clone && !q->pend_child)
			return q;
	}
	return NULL;
}

static struct proc *
child_of_clone(struct strace_parser *sp, struct proc *parent, int32_t pid)
{
	struct span flags = { parent->pend_text.buf, parent->pend_text.len };
	parent->pend_child = pid;
	return proc_new(sp, pid, parent, strace_has_token(flags, "CLONE_FILES"));
}

static struct proc *
unknown_pid(struct strace_parser *sp, int32_t pid, const struct span *resumed)
{
	struct proc *pseudo = find_pseudo(sp), *q;
	if (pseudo && resumed && pending_is(pseudo, *resumed)) {
		proc_rename(sp, pseudo, pid);
		return pseudo;
	}
	if ((q = clone_waiting(sp)))
		return child_of_clone(sp, q, pid);
	if (pseudo) {
		proc_rename(sp, pseudo, pid);
		return pseudo;
	}
	return proc_new(sp, pid, NULL, 0);
}

/* A line without a pid: the only process, or the one last seen. */
static struct proc *
unprefixed_proc(struct strace_parser *sp)
{
	struct proc *p;
	if (!sp->prefixed) {
		if (!(p = proc_find(sp, sp->file_pid))) {
			p = proc_new(sp, sp->file_pid, NULL, 0);
			p->pseudo = sp->file_pid == 0;
		}
		return p;
	}
	if (sp->nprocs == 1) {
		if ((p = proc_find(sp, sp->last_pid)))
			return p;
		for (size_t i = 0; i < sp->procs.cap; i++)
			if (sp->procs.slots[i].state == 1)
				return sp->procs.slots[i].val;
	}
	if ((p = find_pseudo(sp)) || (p = proc_find(sp, sp->last_pid)))
		return p;
	p = proc_new(sp, 0, NULL, 0);
	p->pseudo = 1;
	return p;
}

static struct proc *
line_proc(struct strace_parser *sp, const struct prefix *px, const struct span *resumed)
{
	struct proc *p;
	if (px->has_pid) {
		sp->prefixed |= px->bracket;
		p = proc_find(sp, px->pid);
		if (!p)
			p = unknown_pid(sp, px->pid, resumed);
	} else {
		p = unprefixed_proc(sp);
	}
	sp->last_pid = p->pid;
	return p;
}

static void
send_clock(struct strace_parser *sp, enum time_kind t)
{
	static const enum alibi_clock clocks[] = {
		ALIBI_CLOCK_NONE, ALIBI_CLOCK_TIME_OF_DAY, ALIBI_CLOCK_EPOCH, ALIBI_CLOCK_RELATIVE
	};
	if (sp->clock_sent)
		return;
	sp->clock_sent = 1;
	sp->clock = clocks[t];
	if (sp->sink->clock)
		sp->sink->clock(sp->sink->ctx, sp->clock);
}

/* The line's time on the source's clock: -r deltas add up, and -t/-tt
 * times that jump back by more than half a day crossed midnight. */
static int64_t
line_time(struct strace_parser *sp, const struct prefix *px)
{
	if (px->time == TIME_NONE)
		return ALIBI_TS_NONE;
	if (px->time == TIME_RELATIVE) {
		if (px->ts <= INT64_MAX - sp->rel_sum)
			sp->rel_sum += px->ts;
		return sp->rel_sum;
	}
	if (px->time == TIME_OF_DAY) {
		if (px->ts + sp->day_offset < sp->last_tod - US_PER_DAY / 2)
			sp->day_offset += US_PER_DAY;
		sp->last_tod = px->ts + sp->day_offset;
		return sp->last_tod;
	}
	return px->ts;
}

void
strace_bad(struct strace_parser *sp, int64_t line, const char *problem)
{
	if (sp->sink->bad_record)
		sp->sink->bad_record(sp->sink->ctx, line, problem);
}

static void
record(struct strace_parser *sp)
{
	if (sp->sink->record)
		sp->sink->record(sp->sink->ctx);
}

/* raw for ops: the record, cut at STRACE_RAW_MAX on a UTF-8 boundary. */
static const char *
raw_text(struct strace_parser *sp, const char *first, size_t n1, const char *second, size_t n2)
{
	if (!second && n1 <= STRACE_RAW_MAX)
		return first;
	sb_reset(&sp->raw);
	sb_add(&sp->raw, first, n1 < STRACE_RAW_MAX ? n1 : STRACE_RAW_MAX);
	if (second && sp->raw.len < STRACE_RAW_MAX) {
		sb_addc(&sp->raw, '\n');
		size_t room = STRACE_RAW_MAX - sp->raw.len;
		sb_add(&sp->raw, second, n2 < room ? n2 : room);
	}
	if (sp->raw.len == STRACE_RAW_MAX) {
		size_t k = sp->raw.len;
		while (k > 0 && k > sp->raw.len - 3 && ((unsigned char)sp->raw.buf[k - 1] & 0xc0) == 0x80)
			k--;
		if (k > 0 && ((unsigned char)sp->raw.buf[k - 1] & 0xc0) == 0xc0)
			sb_truncate(&sp->raw, k - 1);
	}
	return sp->raw.buf;
}

/* clone(), fork() and their kin: a child may show up before the call
 * returns.  Read as strace_has_token() would read the name, in which a
 * '?' (the only other byte a name holds) separates words. */
static int
clone_like(struct span nm)
{
	static const struct {
		const char *name;
		size_t len;
	} kin[] = { { "clone", 5 }, { "clone3", 6 }, { "clone2", 6 }, { "fork", 4 }, { "vfork", 5 } };
	size_t i = 0;
	while (i < nm.n) {
		const char *q = memchr(nm.p + i, '?', nm.n - i);
		size_t end = q ? (size_t)(q - nm.p) : nm.n;
		for (size_t k = 0; k < sizeof kin / sizeof kin[0]; k++)
			if (kin[k].len == end - i && memcmp(nm.p + i, kin[k].name, end - i) == 0)
				return 1;
		i = end + 1;
	}
	return 0;
}

static void
on_unfinished(struct strace_parser *sp, struct proc *p, const struct prefix *px,
              size_t body_len, const char *line, size_t line_len, int64_t lineno, int64_t ts)
{
	struct span nm = { px->body, strace_lex_name(px->body, body_len) };
	proc_drop_pending(sp, p);
	p->pending = 1;
	sb_reset(&p->pend_text);
	sb_add(&p->pend_text, px->body, body_len);
	/* The raw record goes into ops only, and only a call in the table
	 * makes one: the others' first half is not kept. */
	sb_reset(&p->pend_raw);
	if (strace_call_lookup(sp, nm))
		sb_add(&p->pend_raw, line, line_len < STRACE_RAW_MAX ? line_len : STRACE_RAW_MAX);
	p->pend_line = lineno;
	p->pend_ts = ts;
	p->pend_child = 0;
	p->pend_clone = clone_like(nm);
	if (p->pend_clone) {
		if (sp->ncloners == (int)(sizeof sp->cloners / sizeof sp->cloners[0])) {
			memmove(sp->cloners, sp->cloners + 1, sizeof sp->cloners - sizeof sp->cloners[0]);
			sp->ncloners--;
		}
		sp->cloners[sp->ncloners++] = p->pid;
	}
}

/* "<... name resumed>rest": joined with the unfinished half. */
static void
on_resumed(struct strace_parser *sp, const struct prefix *px, size_t body_len,
           const char *line, size_t line_len, int64_t lineno, int cut)
{
	const char *b = px->body + 5;  /* classify() checked "<... name resumed>" */
	size_t name = strace_lex_name(b, body_len - 5);
	struct span nm = { b, name };
	struct proc *p = line_proc(sp, px, &nm);
	if (!pending_is(p, nm)) {
		record(sp);  /* its first half came before the log began */
		return;
	}
	/* The call is read from its first half with the rest appended in
	 * place: the first half is not needed after this. */
	const char *rest = b + name + 9;
	size_t rest_len = (size_t)(px->body + body_len - rest);
	sb_add(&p->pend_text, rest, rest_len);
	struct strace_call c;
	c.ts = p->pend_ts;
	c.line = p->pend_line;
	p->pending = 0;  /* handled below as a whole call */
	if (p->pend_clone)
		proc_forget_cloner(sp, p);
	const char *problem = NULL;
	if (strace_lex_named_call(sp, p->pend_text.buf, p->pend_text.len, name, &c, &problem)) {
		strace_bad(sp, lineno, cut ? "truncated last line" : problem);
		return;
	}
	/* Only a handler's op shows the record (on_unfinished kept pend_raw
	 * for just those calls). */
	c.raw = c.entry ? raw_text(sp, p->pend_raw.buf, p->pend_raw.len, line, line_len) : NULL;
	c.pid = p->pid;
	record(sp);
	strace_handle_call(sp, p, &c);
}

static void
move_pending(struct proc *to, struct proc *from)
{
	struct strbuf text = to->pend_text, raw = to->pend_raw;
	to->pend_text = from->pend_text;
	to->pend_raw = from->pend_raw;
	from->pend_text = text;
	from->pend_raw = raw;
	to->pending = 1;
	to->pend_line = from->pend_line;
	to->pend_ts = from->pend_ts;
	to->pend_clone = 0;
	to->pend_child = 0;
	from->pending = 0;
}

/* "+++ exited with 0 +++", "+++ killed by SIGKILL +++", or
 * "LEADER +++ superseded by execve in pid TID +++": thread TID called
 * execve and now carries the leader's pid, where its call resumes. */
static void
on_exit_line(struct strace_parser *sp, const struct prefix *px, size_t body_len)
{
	const char *b = px->body;
	struct proc *p = line_proc(sp, px, NULL);
	const char *sup = "+++ superseded by execve in pid ";
	if (!strace_starts_with(b, body_len, sup)) {
		proc_exit(sp, p);
		return;
	}
	size_t i = strlen(sup);
	int32_t tid;
	struct proc *t;
	if (strace_read_pid(b, body_len, &i, &tid) || tid == p->pid || !(t = proc_find(sp, tid)))
		return;
	if (t->pending) {
		proc_drop_pending(sp, p);
		move_pending(p, t);
	}
	proc_exit(sp, t);
}

/* clone(), fork(), vfork(), clone3() = child pid.  The child may have
 * shown up already (tied to the unfinished call, or on its own). */
void
sc_clone(struct strace_parser *sp, struct proc *p, const struct strace_call *c,
         const struct sc_entry *e)
{
	(void)e;
	if (!c->ret_known || c->ret <= 0 || c->ret > INT32_MAX || c->err_name.n)
		return;
	int32_t pid = (int32_t)c->ret;
	int share = 0;
	for (int i = 0; i < c->nargs && i < STRACE_MAX_ARGS; i++)
		share |= strace_has_token(c->args[i], "CLONE_FILES");
	struct proc *q = proc_find(sp, pid);
	if (!q) {
		proc_new(sp, pid, p, share);
	} else if (q != p && !q->ppid && !q->parent_pseudo) {
		q->ppid = p->pid;
		q->parent_pseudo = p->pseudo;
		if (!q->cwd)
			proc_set_cwd(q, p->cwd);
	}
}

/* "strace: Process 123 attached": a new child; under -p, the traced pid. */
static void
on_strace_message(struct strace_parser *sp, const char *b, size_t n)
{
	const char *att = "strace: Process ";
	size_t i = strlen(att);
	int32_t pid;
	struct proc *q;
	if (!strace_starts_with(b, n, att) || strace_read_pid(b, n, &i, &pid) || !strace_starts_with(b + i, n - i, " attached"))
		return;
	if (proc_find(sp, pid))
		return;
	if ((q = clone_waiting(sp)))
		child_of_clone(sp, q, pid);
	else if (!sp->nprocs && !sp->prefixed)
		sp->file_pid = pid;
}

/* "strace: Process N attached" printed into the middle of a call: the
 * call goes on in the next line. */
static void
split_attach(struct strace_parser *sp, const char *line, const struct line_lex *lx,
             int64_t lineno)
{
	const struct prefix *px = &lx->px;
	size_t k = lx->attach_at;
	sb_reset(&sp->carry);
	sb_add(&sp->carry, line, (size_t)(px->body - line) + k);
	sp->carry_line = lineno;
	sp->carrying = 1;
	on_strace_message(sp, px->body + k, lx->blen - k);
}

/* One line; lx, when not NULL, is the line already read by
 * strace_lex_line() (on the feed's thread). */
static void
process_line(struct strace_parser *sp, const char *line, size_t len, int64_t lineno, int cut,
             struct line_lex *lx)
{
	struct line_lex own;
	if (!lx) {
		strace_lex_line(sp, line, len, memchr(line, '\0', len) != NULL, &own, &sp->join);
		lx = &own;
	}
	const struct prefix *px = &lx->px;
	size_t blen = lx->blen;
	switch (lx->what) {
	case LX_SKIP:
		return;
	case LX_NUL:
		strace_bad(sp, lineno, "NUL byte in line");
		return;
	case LX_ATTACH:
		split_attach(sp, line, lx, lineno);
		return;
	case LX_MESSAGE:
		on_strace_message(sp, px->body, blen);
		return;
	case LX_BAD:
		strace_bad(sp, lineno, cut ? "truncated last line" : lx->problem);
		return;
	case LX_LINE:
		break;
	}
	struct strace_call *c = &lx->c;
	send_clock(sp, px->time);
	c->ts = line_time(sp, px);
	c->line = lineno;
	c->raw = raw_text(sp, line, len, NULL, 0);
	if (lx->kind == LINE_RESUMED) {
		on_resumed(sp, px, blen, line, len, lineno, cut);
	} else if (lx->kind == LINE_EXIT) {
		on_exit_line(sp, px, blen);
	} else {
		struct proc *p = line_proc(sp, px, NULL);
		if (lx->kind == LINE_UNFINISHED) {
			on_unfinished(sp, p, px, lx->cut_at, line, len, lineno, c->ts);
		} else if (lx->kind != LINE_SIGNAL) {
			record(sp);  /* a detached call is counted, not read */
			c->pid = p->pid;
			if (lx->kind == LINE_CALL)
				strace_handle_call(sp, p, c);
		}
	}
	if (sp->nqueue)
		strace_flush(sp);
}

/* A line cut by "strace: Process N attached" goes on in " <unfinished ...>". */
void
strace_take_line(struct strace_parser *sp, const char *line, size_t len, int64_t lineno,
                 int cut, struct line_lex *lx)
{
	if (sp->carrying) {
		size_t k = strace_skip_spaces(line, len, 0);
		sp->carrying = 0;
		if (strace_starts_with(line + k, len - k, "<unfinished ...>")) {
			sb_addc(&sp->carry, ' ');
			sb_add(&sp->carry, line + k, len - k);
			process_line(sp, sp->carry.buf, sp->carry.len, sp->carry_line, cut, NULL);
			return;
		}
		process_line(sp, sp->carry.buf, sp->carry.len, sp->carry_line, 0, NULL);
	}
	process_line(sp, line, len, lineno, cut, lx);
}

/* "trace.1234" (strace -ff -o trace): the pid the file's lines belong to. */
static int32_t
pid_from_path(const char *path)
{
	const char *dot = path ? strrchr(path, '.') : NULL;
	size_t i = 1;
	int32_t pid;
	if (!dot || !dot[1] || strace_read_pid(dot, strlen(dot), &i, &pid) || dot[i])
		return 0;
	return pid;
}

int
strace_parse(const struct ingest_input *in, struct ingest_sink *sink, struct alibi_error *err)
{
	struct strace_parser *sp = xmalloc(sizeof *sp);
	strace_state_init(sp);
	sp->sink = sink;
	sp->file_pid = pid_from_path(in->path);
	strace_calls_init(sp);
	int failed = strace_feed(sp, in->fp, 1);
	if (sp->carrying) {
		sp->carrying = 0;
		process_line(sp, sp->carry.buf, sp->carry.len, sp->carry_line, 1, NULL);
	}
	send_clock(sp, TIME_NONE);
	strace_state_free(sp);
	free(sp);
	if (failed)
		return alibi_error_set(err, ALIBI_EIO, "%s: read error", in->path ? in->path : "strace log");
	return 0;
}
