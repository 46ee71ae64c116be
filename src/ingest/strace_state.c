/* strace_state.c — what the strace parser remembers between lines:
 * processes (keyed by pid), their fd tables, the open file descriptions
 * those tables point to, and the ops still summing bytes.
 *
 * The model follows the kernel's: dup() and fork() share one open file
 * description, so bytes written through any copy of an fd add up on the
 * op that opened it, and the op is emitted when the last copy is closed
 * (or its processes exit, or the log ends).  Threads (CLONE_FILES) share
 * the fd table itself. */
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "strace_internal.h"

/* ---- int -> pointer hash ---- */

static uint32_t
hash32(int32_t key)
{
	uint32_t x = (uint32_t)key;
	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	x ^= x >> 16;
	return x;
}

struct imap_slot *
imap_get(const struct imap *m, int32_t key)
{
	if (!m->cap)
		return NULL;
	size_t mask = m->cap - 1, i = hash32(key) & mask;
	for (;;) {
		struct imap_slot *s = &m->slots[i];
		if (s->state == 0)
			return NULL;
		if (s->state == 1 && s->key == key)
			return s;
		i = (i + 1) & mask;
	}
}

static void
imap_rehash(struct imap *m, size_t cap)
{
	struct imap_slot *old = m->slots;
	size_t old_cap = m->cap;
	m->slots = xcalloc(cap, sizeof *m->slots);
	m->cap = cap;
	m->used = 0;
	m->deleted = 0;
	for (size_t i = 0; i < old_cap; i++) {
		if (old[i].state != 1)
			continue;
		size_t j = hash32(old[i].key) & (cap - 1);
		while (m->slots[j].state)
			j = (j + 1) & (cap - 1);
		m->slots[j] = old[i];
		m->used++;
	}
	free(old);
}

struct imap_slot *
imap_put(struct imap *m, int32_t key)
{
	struct imap_slot *s = imap_get(m, key);
	if (s)
		return s;
	if ((m->used + m->deleted + 1) * 4 > m->cap * 3) {
		size_t cap = m->cap ? m->cap : 8;
		while ((m->used + 1) * 2 > cap)
			cap *= 2;
		imap_rehash(m, cap);
	}
	size_t mask = m->cap - 1, i = hash32(key) & mask;
	while (m->slots[i].state == 1)
		i = (i + 1) & mask;
	s = &m->slots[i];
	if (s->state == 2)
		m->deleted--;
	s->state = 1;
	s->key = key;
	s->aux = 0;
	s->val = NULL;
	m->used++;
	return s;
}

void
imap_del(struct imap *m, struct imap_slot *slot)
{
	slot->state = 2;
	slot->val = NULL;
	m->used--;
	m->deleted++;
}

void
imap_free(struct imap *m)
{
	free(m->slots);
	memset(m, 0, sizeof *m);
}

/* ---- ops waiting for their file to close ---- */

void
op_init(struct alibi_op *op, const struct proc *p, const struct strace_call *c,
        const char *syscall, enum alibi_op_kind kind)
{
	memset(op, 0, sizeof *op);
	op->ts = c->ts;
	op->pid = p->pid;
	op->ppid = p->ppid;
	op->kind = kind;
	op->syscall = syscall;
	op->port = -1;
	op->bytes = -1;
	op->ok = 1;
	op->line = c->line;
	op->raw = c->raw;
}

static struct pending *
op_hold_unlinked(struct strace_parser *sp, const struct alibi_op *op)
{
	struct pending *pd = xcalloc(1, sizeof *pd);
	pd->op = *op;
	pd->op.path = xstrdup(op->path);
	pd->op.path2 = xstrdup(op->path2);
	pd->op.host = xstrdup(op->host);
	pd->op.detail = xstrdup(op->detail);
	pd->op.err_name = xstrdup(op->err_name);
	pd->op.raw = xstrdup(op->raw);
	pd->serial = ++sp->serial;
	return pd;
}

/* Puts pd at the head of the unemitted ops.  Their number is capped so
 * that a log which never closes anything cannot grow memory without end:
 * past the cap the oldest is emitted with the bytes counted so far. */
static void
live_push(struct strace_parser *sp, struct pending *pd)
{
	pd->prev = NULL;
	pd->next = sp->live;
	if (sp->live)
		sp->live->prev = pd;
	else
		sp->live_tail = pd;
	sp->live = pd;
	if (++sp->nlive > STRACE_LIVE_MAX)
		pending_release(sp, sp->live_tail);
}

struct pending *
op_hold(struct strace_parser *sp, const struct alibi_op *op)
{
	struct pending *pd = op_hold_unlinked(sp, op);
	live_push(sp, pd);
	return pd;
}

static void
sink_op(struct strace_parser *sp, const struct alibi_op *op)
{
	if (sp->sink->op)
		sp->sink->op(sp->sink->ctx, op);
}

/* An op of the process whose pid is not known yet (or of its child, whose
 * ppid is not): held back until the pid shows up, for a while. */
static int
pseudo_op(struct strace_parser *sp, const struct alibi_op *op)
{
	struct proc *p;
	if (!sp->hold_pseudo)
		return 0;
	if (op->pid == 0)
		return (p = proc_find(sp, 0)) && p->pseudo;
	return op->ppid == 0 && (p = proc_find(sp, op->pid)) && p->parent_pseudo;
}

void
strace_release_held(struct strace_parser *sp)
{
	sp->hold_pseudo = 0;
	for (struct pending *pd = sp->live, *next; pd; pd = next) {
		next = pd->next;
		if (!pd->owner)
			pending_release(sp, pd);
	}
}

static void
hold_pseudo_op(struct strace_parser *sp, struct pending *pd)
{
	live_push(sp, pd);
	if (++sp->pseudo_held >= STRACE_PSEUDO_HOLD_MAX)
		strace_release_held(sp);
}

void
op_emit_now(struct strace_parser *sp, const struct alibi_op *op)
{
	if (pseudo_op(sp, op))
		hold_pseudo_op(sp, op_hold_unlinked(sp, op));
	else
		sink_op(sp, op);
}

static void
pending_free(struct pending *pd)
{
	free((char *)pd->op.path);
	free((char *)pd->op.path2);
	free((char *)pd->op.host);
	free((char *)pd->op.detail);
	free((char *)pd->op.err_name);
	free((char *)pd->op.raw);
	free(pd);
}

void
pending_release(struct strace_parser *sp, struct pending *pd)
{
	if (pd->owner) {
		if (pd->owner->op == pd)
			pd->owner->op = NULL;
		if (pd->owner->xfer == pd)
			pd->owner->xfer = NULL;
		pd->owner = NULL;
	}
	if (pd->prev)
		pd->prev->next = pd->next;
	else
		sp->live = pd->next;
	if (pd->next)
		pd->next->prev = pd->prev;
	else
		sp->live_tail = pd->prev;
	pd->prev = pd->next = NULL;
	sp->nlive--;
	void *q = sp->queue;
	grow_array(&q, sizeof *sp->queue, &sp->capqueue, sp->nqueue + 1);
	sp->queue = q;
	sp->queue[sp->nqueue++] = pd;
}

static int
compare_pending(const void *a, const void *b)
{
	const struct pending *x = *(struct pending *const *)a, *y = *(struct pending *const *)b;
	if (x->op.line != y->op.line)
		return x->op.line < y->op.line ? -1 : 1;
	return x->serial < y->serial ? -1 : x->serial > y->serial;
}

/* Emits the released ops in the order of the lines they came from, so
 * that output does not depend on hash-table order. */
void
strace_flush(struct strace_parser *sp)
{
	while (sp->nqueue) {
		size_t n = sp->nqueue;
		if (n > 1)
			qsort(sp->queue, n, sizeof *sp->queue, compare_pending);
		for (size_t i = 0; i < n; i++) {
			struct pending *pd = sp->queue[i];
			if (pseudo_op(sp, &pd->op)) {
				hold_pseudo_op(sp, pd);  /* may release more onto the queue */
				continue;
			}
			sink_op(sp, &pd->op);
			pending_free(pd);
		}
		memmove(sp->queue, sp->queue + n, (sp->nqueue - n) * sizeof *sp->queue);
		sp->nqueue -= n;
	}
}

void
strace_flush_all(struct strace_parser *sp)
{
	sp->hold_pseudo = 0;
	while (sp->live)
		pending_release(sp, sp->live);
	strace_flush(sp);
}

/* ---- open file descriptions ---- */

struct ofd *
ofd_new(struct strace_parser *sp, enum ofd_kind kind, const char *path)
{
	struct ofd *o = xcalloc(1, sizeof *o);
	o->kind = kind;
	o->serial = ++sp->serial;
	o->path = xstrdup(path);
	o->peer_port = -1;
	return o;
}

static void
ofd_unref(struct strace_parser *sp, struct ofd *o)
{
	if (!o || --o->refs > 0)
		return;
	if (o->op)
		pending_release(sp, o->op);
	if (o->xfer)
		pending_release(sp, o->xfer);
	free(o->path);
	free(o->peer_host);
	free(o);
}

static struct fdtable *
fdtable_new(void)
{
	struct fdtable *t = xcalloc(1, sizeof *t);
	t->refs = 1;
	return t;
}

static struct fdtable *
fdtable_copy(const struct fdtable *from)
{
	struct fdtable *t = fdtable_new();
	for (size_t i = 0; i < from->fds.cap; i++) {
		const struct imap_slot *s = &from->fds.slots[i];
		if (s->state != 1)
			continue;
		struct imap_slot *d = imap_put(&t->fds, s->key);
		d->val = s->val;
		d->aux = s->aux;
		((struct ofd *)s->val)->refs++;
	}
	return t;
}

static void
fdtable_unref(struct strace_parser *sp, struct fdtable *t)
{
	if (!t || --t->refs > 0)
		return;
	for (size_t i = 0; i < t->fds.cap; i++)
		if (t->fds.slots[i].state == 1)
			ofd_unref(sp, t->fds.slots[i].val);
	imap_free(&t->fds);
	free(t);
}

struct ofd *
fdt_get(struct proc *p, int fd)
{
	struct imap_slot *s = fd >= 0 ? imap_get(&p->fdt->fds, fd) : NULL;
	return s ? s->val : NULL;
}

void
fdt_put(struct strace_parser *sp, struct proc *p, int fd, struct ofd *o, int cloexec)
{
	if (fd < 0 || !o)
		return;
	struct imap_slot *s = imap_put(&p->fdt->fds, fd);
	struct ofd *old = s->val;
	o->refs++;
	s->val = o;
	s->aux = cloexec != 0;
	ofd_unref(sp, old);
}

void
fdt_close(struct strace_parser *sp, struct proc *p, int fd)
{
	struct imap_slot *s = fd >= 0 ? imap_get(&p->fdt->fds, fd) : NULL;
	if (!s)
		return;
	struct ofd *o = s->val;
	imap_del(&p->fdt->fds, s);
	ofd_unref(sp, o);
}

void
fdt_cloexec(struct proc *p, int fd, int on)
{
	struct imap_slot *s = fd >= 0 ? imap_get(&p->fdt->fds, fd) : NULL;
	if (s)
		s->aux = on != 0;
}

void
fdt_close_range(struct strace_parser *sp, struct proc *p, int first, int last,
                int cloexec_only)
{
	struct imap *m = &p->fdt->fds;
	for (size_t i = 0; i < m->cap; i++) {
		struct imap_slot *s = &m->slots[i];
		if (s->state != 1 || s->key < first || s->key > last)
			continue;
		if (cloexec_only) {
			s->aux = 1;
		} else {
			struct ofd *o = s->val;
			imap_del(m, s);
			ofd_unref(sp, o);
		}
	}
}

/* A successful exec gives the process its own fd table (threads lose
 * theirs) and closes the close-on-exec fds. */
void
fdt_exec(struct strace_parser *sp, struct proc *p)
{
	if (p->fdt->refs > 1) {
		struct fdtable *own = fdtable_copy(p->fdt);
		fdtable_unref(sp, p->fdt);
		p->fdt = own;
	}
	struct imap *m = &p->fdt->fds;
	for (size_t i = 0; i < m->cap; i++) {
		struct imap_slot *s = &m->slots[i];
		if (s->state == 1 && s->aux) {
			struct ofd *o = s->val;
			imap_del(m, s);
			ofd_unref(sp, o);
		}
	}
}

/* ---- processes ---- */

/* Consecutive lines are often of one process, so the last one found is
 * kept; any change to the table of processes forgets it. */
struct proc *
proc_find(struct strace_parser *sp, int32_t pid)
{
	if (sp->recent && sp->recent->pid == pid)
		return sp->recent;
	struct imap_slot *s = imap_get(&sp->procs, pid);
	sp->recent = s ? s->val : NULL;
	return sp->recent;
}

struct proc *
proc_new(struct strace_parser *sp, int32_t pid, struct proc *parent, int share_files)
{
	struct proc *old = proc_find(sp, pid);
	if (old)
		proc_exit(sp, old);  /* a reused pid whose exit the log did not show */
	struct proc *p = xcalloc(1, sizeof *p);
	p->pid = pid;
	sb_init(&p->pend_text);
	sb_init(&p->pend_raw);
	if (parent) {
		p->ppid = parent->pid;
		p->parent_pseudo = parent->pseudo;
		p->cwd = xstrdup(parent->cwd);
		if (share_files) {
			p->fdt = parent->fdt;
			p->fdt->refs++;
		} else {
			p->fdt = fdtable_copy(parent->fdt);
		}
	} else {
		p->fdt = fdtable_new();
	}
	imap_put(&sp->procs, pid)->val = p;
	sp->nprocs++;
	sp->recent = NULL;
	return p;
}

void
proc_forget_cloner(struct strace_parser *sp, struct proc *p)
{
	p->pend_clone = 0;
	for (int i = 0; i < sp->ncloners; i++) {
		if (sp->cloners[i] != p->pid)
			continue;
		memmove(sp->cloners + i, sp->cloners + i + 1,
		        (size_t)(sp->ncloners - i - 1) * sizeof sp->cloners[0]);
		sp->ncloners--;
		return;
	}
}

/* An unfinished call that will never be resumed still was a call. */
void
proc_drop_pending(struct strace_parser *sp, struct proc *p)
{
	if (!p->pending)
		return;
	p->pending = 0;
	if (p->pend_clone)
		proc_forget_cloner(sp, p);
	p->pend_child = 0;
	if (sp->sink->record)
		sp->sink->record(sp->sink->ctx);
}

void
proc_exit(struct strace_parser *sp, struct proc *p)
{
	proc_drop_pending(sp, p);
	if (p->pseudo)
		strace_release_held(sp);
	struct imap_slot *s = imap_get(&sp->procs, p->pid);
	if (s && s->val == p) {
		imap_del(&sp->procs, s);
		sp->nprocs--;
	}
	sp->recent = NULL;
	fdtable_unref(sp, p->fdt);
	free(p->cwd);
	sb_free(&p->pend_text);
	sb_free(&p->pend_raw);
	free(p);
}

/* The process known so far only from lines without a pid turns out to be
 * pid: its children and the ops it still holds learn the real number. */
void
proc_rename(struct strace_parser *sp, struct proc *p, int32_t pid)
{
	int32_t old_pid = p->pid;
	struct proc *clash = proc_find(sp, pid);
	if (clash && clash != p)
		proc_exit(sp, clash);
	struct imap_slot *s = imap_get(&sp->procs, old_pid);
	if (s)
		imap_del(&sp->procs, s);
	imap_put(&sp->procs, pid)->val = p;
	for (int i = 0; i < sp->ncloners; i++)
		if (sp->cloners[i] == old_pid)
			sp->cloners[i] = pid;
	for (struct pending *pd = sp->live; pd; pd = pd->next)
		if (pd->op.pid == old_pid)
			pd->op.pid = pid;
	if (p->pseudo) {
		for (size_t i = 0; i < sp->procs.cap; i++) {
			struct imap_slot *c = &sp->procs.slots[i];
			struct proc *child = c->state == 1 ? c->val : NULL;
			if (!child || !child->parent_pseudo)
				continue;
			child->ppid = pid;
			child->parent_pseudo = 0;
			for (struct pending *pd = sp->live; pd; pd = pd->next)
				if (pd->op.pid == child->pid && pd->op.ppid == 0)
					pd->op.ppid = pid;
		}
	}
	p->pid = pid;
	sp->recent = NULL;
	if (p->pseudo)
		strace_release_held(sp);  /* now with the right pids */
	p->pseudo = 0;
}

void
proc_set_cwd(struct proc *p, const char *cwd)
{
	if (!cwd || (p->cwd && strcmp(p->cwd, cwd) == 0))
		return;
	free(p->cwd);
	p->cwd = xstrdup(cwd);
}

void
strace_state_init(struct strace_parser *sp)
{
	memset(sp, 0, sizeof *sp);
	sb_init(&sp->sa.host);
	sp->hold_pseudo = 1;
}

void
strace_state_free(struct strace_parser *sp)
{
	strace_flush_all(sp);
	for (size_t i = 0; i < sp->procs.cap; i++) {
		struct imap_slot *s = &sp->procs.slots[i];
		if (s->state == 1)
			proc_exit(sp, s->val);
	}
	strace_flush(sp);
	imap_free(&sp->procs);
	free(sp->queue);
	sb_free(&sp->s1);
	sb_free(&sp->s2);
	sb_free(&sp->s3);
	sb_free(&sp->s4);
	sb_free(&sp->join);
	sb_free(&sp->raw);
	sb_free(&sp->carry);
	sb_free(&sp->sa.host);
}
