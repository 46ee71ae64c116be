/* findings_tamper.c — evidence tampering: timestamps set to make files
 * look other than they are, and logs or shell history deleted, truncated
 * or emptied by a redirection when nobody asked for it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/path.h"
#include "analyze_internal.h"

#define MAX_OP_EVIDENCE 12

enum tamper { TAMPER_TIMES, TAMPER_LOGS };

struct tgroup {
	int64_t tree;
	enum tamper what;
	size_t *ops, count, cap;
};

static struct tgroup *
tgroup_get(struct tgroup **v, size_t *count, size_t *cap, int64_t tree, enum tamper what)
{
	for (size_t i = 0; i < *count; i++)
		if ((*v)[i].tree == tree && (*v)[i].what == what)
			return &(*v)[i];
	grow_array((void **)v, sizeof **v, cap, *count + 1);
	struct tgroup *g = &(*v)[(*count)++];
	memset(g, 0, sizeof *g);
	g->tree = tree;
	g->what = what;
	return g;
}

/* "2025-03-02T04:17:00+0100" from the comment strace writes after the
 * times, else the raw times. */
static void
times_text(const struct aop *op, struct strbuf *out)
{
	const char *d = op->detail ? op->detail->s : "";
	const char *c = strstr(d, "/* ");
	const char *e = c ? strstr(c, " */") : NULL;
	if (c && e)
		sb_add(out, c + 3, (size_t)(e - c - 3));
	else
		sb_addf(out, "%.60s", d);
}

/* The program a process was running at op i (a shell that truncates a
 * log may exec rm right after): its last exec before i. */
static const char *
comm_at(struct actx *a, size_t i)
{
	const struct aop *op = &a->ops[i];
	for (size_t k = i; k-- > 0;) {
		const struct aop *e = &a->ops[k];
		if (e->kind == ALIBI_OP_exec && e->pid == op->pid && !e->derived && e->path)
			return path_basename(e->path->s);   /* what the kernel ran, not argv[0] */
	}
	return actx_comm(a, op->pid);
}

static void
emit(struct actx *a, const struct tgroup *g)
{
	struct fnd f;
	const struct aop *first = &a->ops[g->ops[0]];
	fnd_init(&f, FINDING_EVIDENCE_TAMPERING,
	         g->what == TAMPER_TIMES ? "evidence-tampering.timestamps" : "evidence-tampering.logs",
	         first->derived ? 0.5 : 0.8);
	const char *comm = first->derived ? NULL : comm_at(a, g->ops[0]);
	sb_addf(&f.because, "%s %s %s", comm ? comm : "a command",
	        g->what == TAMPER_TIMES ? "set the timestamps of" : "deleted or truncated",
	        first->path->s);
	if (g->count > 1)
		sb_addf(&f.because, " and %zu more", g->count - 1);
	if (g->what == TAMPER_TIMES) {
		sb_adds(&f.because, " to ");
		times_text(first, &f.because);
		sb_adds(&f.because, ", so they look other than they are");
	} else {
		sb_adds(&f.because, ", which no instruction asked for");
	}
	for (size_t i = 0; i < g->count && i < MAX_OP_EVIDENCE; i++)
		fnd_add_op(&f, &a->ops[g->ops[i]], "action");
	const struct atc *tc = actx_tool_call(a, g->tree);
	if (tc)
		fnd_add_tool_call(&f, tc, "context");
	sb_addf(&f.summary, "%s %s", g->what == TAMPER_TIMES ? "timestamps set on" : "deleted",
	        path_basename(first->path->s));
	fnd_emit(a, &f);
	fnd_free(&f);
}

/* ": > log" and "> ~/.bash_history" empty a file, but a syscall log
 * shows them as an open with O_TRUNC that writes nothing, which is also
 * how a new, empty file is made.  It is an emptying when the file held
 * data earlier in the log, or when the command itself is a bare
 * redirection (its derived op is a truncate, not a create). */
static int
emptied(const struct actx *a, size_t i)
{
	const struct aop *op = &a->ops[i];
	if (op->kind != ALIBI_OP_create || op->bytes != 0 || op->derived)
		return 0;
	for (size_t k = 0; k < a->op_count; k++) {
		const struct aop *o = &a->ops[k];
		if (o->path != op->path || !o->ok)
			continue;
		if (o->derived ? o->kind == ALIBI_OP_truncate && o->tree == op->tree
		               : k < i && o->bytes > 0 && o->kind != ALIBI_OP_exec)
			return 1;
	}
	return 0;
}

int
findings_evidence_tampering(struct actx *a)
{
	struct tgroup *v = NULL;
	size_t count = 0, cap = 0;
	for (size_t i = 0; i < a->op_count; i++) {
		const struct aop *op = &a->ops[i];
		if (!use_op(a, op) || !op->ok || !op->path)
			continue;
		enum tamper what;
		if (op->kind == ALIBI_OP_utime) {
			if (!utime_is_explicit(a, op) || instructed(a, VERB_timestamp, op->path, NULL))
				continue;
			what = TAMPER_TIMES;
		} else if (op_is_delete(op) || op->kind == ALIBI_OP_truncate) {
			/* a log the session made itself is its own to delete */
			if (!pent_class(a->rules, op->path, GLOB_EVIDENCE) || op->path->created_by ||
			    (op->path->flags & PF_TARGET) || instructed(a, VERB_delete, op->path, NULL))
				continue;
			what = TAMPER_LOGS;
		} else if (op->kind == ALIBI_OP_create && op->bytes == 0) {
			/* the class first: emptied() looks through the whole log */
			if (!pent_class(a->rules, op->path, GLOB_EVIDENCE) || !emptied(a, i) ||
			    (op->path->flags & PF_TARGET) || instructed(a, VERB_delete, op->path, NULL))
				continue;
			what = TAMPER_LOGS;
		} else {
			continue;
		}
		struct tgroup *g = tgroup_get(&v, &count, &cap, op->tree, what);
		grow_array((void **)&g->ops, sizeof *g->ops, &g->cap, g->count + 1);
		g->ops[g->count++] = i;
	}
	for (size_t i = 0; i < count; i++) {
		if (!a->failed)
			emit(a, &v[i]);
		free(v[i].ops);
	}
	free(v);
	return a->failed;
}
