/* strace.c — strace's text output: detection and the line loop.
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
#include "alibi/linereader.h"
#include "alibi/timeparse.h"
#include "strace_internal.h"

#define US_PER_DAY (INT64_C(86400) * 1000000)

enum time_kind { TIME_NONE, TIME_OF_DAY, TIME_EPOCH, TIME_RELATIVE };

struct prefix {
	int has_pid, bracket;
	int32_t pid;
	enum time_kind time;
	int64_t ts;              /* as written; relative and wrapped times are fixed later */
	const char *body;
	size_t len;
};

static int
is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static int
starts_with(const char *s, size_t n, const char *lit)
{
	size_t k = strlen(lit);
	return n >= k && memcmp(s, lit, k) == 0;
}

static size_t
skip_spaces(const char *s, size_t n, size_t i)
{
	while (i < n && s[i] == ' ')
		i++;
	return i;
}

static int
read_pid(const char *s, size_t n, size_t *i, int32_t *pid)
{
	int64_t v = 0;
	size_t j = *i;
	while (j < n && is_digit(s[j]) && v <= INT32_MAX)
		v = v * 10 + (s[j++] - '0');
	if (j == *i || v > INT32_MAX)
		return -1;
	*pid = (int32_t)v;
	*i = j;
	return 0;
}

/* "10:15:30.123456 ", "1577836800.123456 ", "     0.000123 ". */
static size_t
read_time(const char *s, size_t n, size_t i, struct prefix *px)
{
	size_t j = i, int_digits;
	while (j < n && is_digit(s[j]))
		j++;
	int_digits = j - i;
	if (j >= n || int_digits == 0)
		return i;
	if (s[j] == ':') {
		while (j < n && (is_digit(s[j]) || s[j] == ':' || s[j] == '.'))
			j++;
		px->time = TIME_OF_DAY;
		px->ts = time_parse_time_of_day(s + i, j - i);
	} else if (s[j] == '.') {
		for (j++; j < n && is_digit(s[j]); j++)
			;
		/* -r deltas are small; epoch seconds have had 10 digits since 2001. */
		px->time = int_digits >= 9 ? TIME_EPOCH : TIME_RELATIVE;
		px->ts = time_parse_epoch(s + i, j - i);
	} else {
		return i;
	}
	if (j >= n || s[j] != ' ' || px->ts == ALIBI_TS_NONE) {
		px->time = TIME_NONE;
		px->ts = ALIBI_TS_NONE;
		return i;
	}
	return skip_spaces(s, n, j);
}

static void
parse_prefix(const char *s, size_t n, struct prefix *px)
{
	size_t i = 0;
	memset(px, 0, sizeof *px);
	px->ts = ALIBI_TS_NONE;
	if (starts_with(s, n, "[pid ")) {
		size_t j = skip_spaces(s, n, 5);
		if (read_pid(s, n, &j, &px->pid) == 0 && j < n && s[j] == ']') {
			px->has_pid = px->bracket = 1;
			i = skip_spaces(s, n, j + 1);
		}
	} else if (n && is_digit(s[0])) {
		size_t j = 0;
		if (read_pid(s, n, &j, &px->pid) == 0 && j < n && s[j] == ' ') {
			px->has_pid = 1;
			i = j;
		}
	}
	i = skip_spaces(s, n, i);
	i = read_time(s, n, i, px);
	/* -i and -n: "[00007f8e1c2d4e8b] " or "[ 257] " */
	if (i < n && s[i] == '[') {
		size_t j = i + 1;
		while (j < n && (s[j] == ' ' || is_digit(s[j]) || (s[j] >= 'a' && s[j] <= 'f')))
			j++;
		if (j + 1 < n && j > i + 1 && s[j] == ']' && s[j + 1] == ' ')
			i = skip_spaces(s, n, j + 1);
	}
	px->body = s + i;
	px->len = n - i;
}

/* Drops a -T duration " <0.000012>" from the end. */
static size_t
strip_duration(const char *s, size_t n)
{
	if (n < 4 || s[n - 1] != '>')
		return n;
	size_t i = n - 1;
	while (i > 0 && (is_digit(s[i - 1]) || s[i - 1] == '.'))
		i--;
	if (i < 2 || i == n - 1 || s[i - 1] != '<' || s[i - 2] != ' ')
		return n;
	return i - 2;
}

/* ---- detection ---- */

/* 1 when the text after the prefix looks like strace wrote it. */
static int
looks_like_strace(const char *b, size_t n)
{
	if (starts_with(b, n, "+++ ") || starts_with(b, n, "--- ") ||
	    starts_with(b, n, "<... ") || starts_with(b, n, "strace: Process "))
		return 1;
	size_t name = strace_lex_name(b, n);
	if (!name || name >= n || b[name] != '(')
		return 0;
	if (n >= 16 && memcmp(b + n - 16, "<unfinished ...>", 16) == 0)
		return 1;
	/* ") = ", with strace's padding between ")" and "=". */
	for (size_t i = name + 1; i + 1 < n; i++) {
		if (b[i] != '=' || b[i + 1] != ' ')
			continue;
		size_t j = i;
		while (j > 0 && b[j - 1] == ' ')
			j--;
		if (j < i && j > 0 && b[j - 1] == ')')
			return 1;
	}
	return 0;
}

int
strace_detect(const char *head, size_t len)
{
	size_t pos = 0;
	int lines = 0, good = 0;
	while (pos < len && lines < 200) {
		const char *nl = memchr(head + pos, '\n', len - pos);
		if (!nl && lines > 0 && len >= INGEST_HEAD_BYTES)
			break;  /* the head cut this line */
		size_t n = nl ? (size_t)(nl - (head + pos)) : len - pos;
		const char *s = head + pos;
		pos += n + 1;
		if (n && s[n - 1] == '\r')
			n--;
		if (skip_spaces(s, n, 0) == n)
			continue;
		struct prefix px;
		parse_prefix(s, n, &px);
		lines++;
		good += looks_like_strace(px.body, strip_duration(px.body, px.len));
	}
	if (!good)
		return 0;
	int ratio = good * 100 / lines;
	if (ratio >= 50)
		return 90 + (ratio - 50) / 5;
	return ratio * 18 / 10;
}

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

static void
bad(struct strace_parser *sp, int64_t line, const char *problem)
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

static void
on_unfinished(struct strace_parser *sp, struct proc *p, const struct prefix *px,
              size_t body_len, const char *line, size_t line_len, int64_t lineno, int64_t ts)
{
	size_t name = strace_lex_name(px->body, body_len);
	proc_drop_pending(sp, p);
	p->pending = 1;
	sb_reset(&p->pend_text);
	sb_add(&p->pend_text, px->body, body_len);
	sb_reset(&p->pend_raw);
	sb_add(&p->pend_raw, line, line_len < STRACE_RAW_MAX ? line_len : STRACE_RAW_MAX);
	p->pend_line = lineno;
	p->pend_ts = ts;
	p->pend_child = 0;
	struct span nm = { px->body, name };
	p->pend_clone = strace_has_token(nm, "clone") || strace_has_token(nm, "clone3") ||
	                strace_has_token(nm, "clone2") || strace_has_token(nm, "fork") ||
	                strace_has_token(nm, "vfork");
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
	const char *rest = b + name + 9;
	size_t rest_len = (size_t)(px->body + body_len - rest);
	sb_reset(&sp->join);
	sb_add(&sp->join, p->pend_text.buf, p->pend_text.len);
	sb_add(&sp->join, rest, rest_len);
	struct strace_call c;
	c.ts = p->pend_ts;
	c.line = p->pend_line;
	c.raw = raw_text(sp, p->pend_raw.buf, p->pend_raw.len, line, line_len);
	p->pending = 0;  /* handled below as a whole call */
	if (p->pend_clone)
		proc_forget_cloner(sp, p);
	const char *problem = NULL;
	if (strace_lex_call(sp->join.buf, sp->join.len, &c, &problem)) {
		bad(sp, lineno, cut ? "truncated last line" : problem);
		return;
	}
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
	if (!starts_with(b, body_len, sup)) {
		proc_exit(sp, p);
		return;
	}
	size_t i = strlen(sup);
	int32_t tid;
	struct proc *t;
	if (read_pid(b, body_len, &i, &tid) || tid == p->pid || !(t = proc_find(sp, tid)))
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
	if (!starts_with(b, n, att) || read_pid(b, n, &i, &pid) || !starts_with(b + i, n - i, " attached"))
		return;
	if (proc_find(sp, pid))
		return;
	if ((q = clone_waiting(sp)))
		child_of_clone(sp, q, pid);
	else if (!sp->nprocs && !sp->prefixed)
		sp->file_pid = pid;
}

/* Where "<unfinished ...>" or "<pid changed to N ...>" (a thread's execve,
 * strace >= 6.1) ends the line, or 0. */
static size_t
unfinished_at(const char *b, size_t n)
{
	static const char pc[] = "<pid changed to ";
	if (n >= 16 && memcmp(b + n - 16, "<unfinished ...>", 16) == 0)
		return n - 16;
	if (n < 24 || memcmp(b + n - 5, " ...>", 5) != 0)
		return 0;
	size_t i = n - 5;
	while (i > 0 && is_digit(b[i - 1]))
		i--;
	if (i >= sizeof pc - 1 && i < n - 5 && memcmp(b + i - (sizeof pc - 1), pc, sizeof pc - 1) == 0)
		return i - (sizeof pc - 1);
	return 0;
}

/* Where "strace: Process N attached" starts inside a call it interrupted
 * (strace on stderr prints it mid-line), or 0. */
static size_t
attach_inside(const char *b, size_t n)
{
	static const char msg[] = "strace: Process ";
	if (n < 30 || (memcmp(b + n - 9, " attached", 9) != 0 && memcmp(b + n - 9, " detached", 9) != 0))
		return 0;
	for (size_t i = 1; i + sizeof msg - 1 <= n; i++)
		if (b[i] == 's' && memcmp(b + i, msg, sizeof msg - 1) == 0)
			return i;
	return 0;
}

enum line_kind { LINE_CALL, LINE_UNFINISHED, LINE_RESUMED, LINE_EXIT, LINE_SIGNAL, LINE_DETACHED };

static int
starts_call(const char *b, size_t n)
{
	size_t name = strace_lex_name(b, n);
	return name && name < n && b[name] == '(';
}

/* What the text after the prefix is; 0 when it is no strace line.  For
 * an unfinished call, *cut is where its marker begins. */
static int
classify(const char *b, size_t n, enum line_kind *kind, size_t *cut)
{
	*cut = 0;
	if (starts_with(b, n, "<... ")) {
		size_t name = strace_lex_name(b + 5, n - 5);
		*kind = LINE_RESUMED;
		return name && starts_with(b + 5 + name, n - 5 - name, " resumed>");
	}
	if (starts_with(b, n, "+++ ")) {
		*kind = LINE_EXIT;
		return n >= 8 && memcmp(b + n - 4, " +++", 4) == 0;
	}
	if (starts_with(b, n, "--- ") && n >= 8 && memcmp(b + n - 4, " ---", 4) == 0) {
		*kind = LINE_SIGNAL;
		return 1;
	}
	if ((*cut = unfinished_at(b, n))) {
		while (*cut && b[*cut - 1] == ' ')
			(*cut)--;
		*kind = LINE_UNFINISHED;
		return starts_call(b, *cut);
	}
	*kind = n >= 14 && memcmp(b + n - 14, "<detached ...>", 14) == 0 ? LINE_DETACHED : LINE_CALL;
	return starts_call(b, n);
}

/* A whole call; a process killed inside one leaves "<unfinished ...>) = ?". */
static int
lex_whole_call(struct strace_parser *sp, const char *b, size_t n, struct strace_call *c,
               const char **problem)
{
	const char *u = NULL;
	for (size_t i = 0; n && b[n - 1] == '?' && i + 17 <= n && !u; i++)
		if (b[i] == '<' && memcmp(b + i, "<unfinished ...>)", 17) == 0)
			u = b + i;
	if (!u)
		return strace_lex_call(b, n, c, problem);
	size_t head = (size_t)(u - b);
	while (head && b[head - 1] == ' ')
		head--;
	sb_reset(&sp->join);
	sb_add(&sp->join, b, head);
	sb_add(&sp->join, u + 16, (size_t)(b + n - (u + 16)));
	return strace_lex_call(sp->join.buf, sp->join.len, c, problem);
}

/* "strace: Process N attached" printed into the middle of a call: the
 * call goes on in the next line. */
static int
split_attach(struct strace_parser *sp, const char *line, const struct prefix *px, size_t blen,
             int64_t lineno)
{
	size_t k = attach_inside(px->body, blen);
	if (!k)
		return 0;
	sb_reset(&sp->carry);
	sb_add(&sp->carry, line, (size_t)(px->body - line) + k);
	sp->carry_line = lineno;
	sp->carrying = 1;
	on_strace_message(sp, px->body + k, blen - k);
	return 1;
}

static void
process_line(struct strace_parser *sp, const char *line, size_t len, int64_t lineno, int cut)
{
	struct prefix px;
	struct strace_call c;
	enum line_kind kind;
	size_t cut_at;
	const char *problem = "not an strace line";
	if (skip_spaces(line, len, 0) == len || starts_with(line, len, " > "))
		return;  /* blank, or a -k stack frame */
	if (memchr(line, '\0', len)) {
		bad(sp, lineno, "NUL byte in line");
		return;
	}
	parse_prefix(line, len, &px);
	const char *b = px.body;
	size_t blen = strip_duration(b, px.len);
	if (split_attach(sp, line, &px, blen, lineno))
		return;
	if (starts_with(b, blen, "strace: ")) {
		on_strace_message(sp, b, blen);
		return;
	}
	if (!classify(b, blen, &kind, &cut_at) ||
	    (kind == LINE_CALL && lex_whole_call(sp, b, blen, &c, &problem))) {
		bad(sp, lineno, cut ? "truncated last line" : problem);
		return;
	}
	send_clock(sp, px.time);
	c.ts = line_time(sp, &px);
	c.line = lineno;
	c.raw = raw_text(sp, line, len, NULL, 0);
	if (kind == LINE_RESUMED) {
		on_resumed(sp, &px, blen, line, len, lineno, cut);
	} else if (kind == LINE_EXIT) {
		on_exit_line(sp, &px, blen);
	} else {
		struct proc *p = line_proc(sp, &px, NULL);
		if (kind == LINE_UNFINISHED) {
			on_unfinished(sp, p, &px, cut_at, line, len, lineno, c.ts);
		} else if (kind != LINE_SIGNAL) {
			record(sp);  /* a detached call is counted, not read */
			c.pid = p->pid;
			if (kind == LINE_CALL)
				strace_handle_call(sp, p, &c);
		}
	}
	if (sp->nqueue)
		strace_flush(sp);
}

/* A line cut by "strace: Process N attached" goes on in " <unfinished ...>". */
static void
take_line(struct strace_parser *sp, const char *line, size_t len, int64_t lineno, int cut)
{
	if (sp->carrying) {
		size_t k = skip_spaces(line, len, 0);
		sp->carrying = 0;
		if (starts_with(line + k, len - k, "<unfinished ...>")) {
			sb_addc(&sp->carry, ' ');
			sb_add(&sp->carry, line + k, len - k);
			process_line(sp, sp->carry.buf, sp->carry.len, sp->carry_line, cut);
			return;
		}
		process_line(sp, sp->carry.buf, sp->carry.len, sp->carry_line, 0);
	}
	process_line(sp, line, len, lineno, cut);
}

/* "trace.1234" (strace -ff -o trace): the pid the file's lines belong to. */
static int32_t
pid_from_path(const char *path)
{
	const char *dot = path ? strrchr(path, '.') : NULL;
	size_t i = 1;
	int32_t pid;
	if (!dot || !dot[1] || read_pid(dot, strlen(dot), &i, &pid) || dot[i])
		return 0;
	return pid;
}

int
strace_parse(const struct ingest_input *in, struct ingest_sink *sink, struct alibi_error *err)
{
	struct strace_parser *sp = xmalloc(sizeof *sp);
	struct linereader lr;
	const char *line;
	strace_state_init(sp);
	sp->sink = sink;
	sp->file_pid = pid_from_path(in->path);
	strace_calls_init(sp);
	linereader_init(&lr, in->fp, 0);
	while ((line = linereader_next(&lr))) {
		if (lr.truncated) {
			bad(sp, lr.lineno, "line too long");
			continue;
		}
		take_line(sp, line, lr.len, lr.lineno, lr.missing_newline);
	}
	if (sp->carrying) {
		sp->carrying = 0;
		process_line(sp, sp->carry.buf, sp->carry.len, sp->carry_line, 1);
	}
	int failed = ferror(in->fp);
	send_clock(sp, TIME_NONE);
	strace_state_free(sp);
	linereader_free(&lr);
	free(sp);
	if (failed)
		return alibi_error_set(err, ALIBI_EIO, "%s: read error", in->path ? in->path : "strace log");
	return 0;
}
