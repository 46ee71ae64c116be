/* findings_intent.c — intent mismatch: the agent says what it is about to
 * do to something ("Plan: clear out agent2's model directory"), and the
 * commands it runs next do something else to it (upload the files) and
 * never what it said. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/path.h"
#include "analyze_internal.h"

#define MAX_OP_EVIDENCE 8

/* What an op does to its file, as a verb; VERB_NONE when nothing that
 * would contradict a plan. */
static enum verb
op_verb(const struct aop *op)
{
	switch (op->kind) {
	case ALIBI_OP_unlink: case ALIBI_OP_rmdir: case ALIBI_OP_truncate:
		return VERB_delete;
	case ALIBI_OP_rename:
		return VERB_move;
	case ALIBI_OP_copy: case ALIBI_OP_link:
		return VERB_copy;
	case ALIBI_OP_transfer:
		return VERB_transfer;
	case ALIBI_OP_utime:
		return VERB_timestamp;
	case ALIBI_OP_create: case ALIBI_OP_open_write:
		return VERB_create;
	default:
		return VERB_NONE;
	}
}

static int
same_intent(enum verb said, enum verb did)
{
	if (said == did)
		return 1;
	switch (said) {
	case VERB_copy: case VERB_keep: case VERB_transfer:
		return did == VERB_copy || did == VERB_transfer || did == VERB_create;
	case VERB_move:
		return did == VERB_move || did == VERB_copy || did == VERB_create;
	default:
		return 0;
	}
}

static int
checkable(enum verb v)
{
	return v == VERB_delete || v == VERB_copy || v == VERB_move || v == VERB_transfer ||
	       v == VERB_keep || v == VERB_timestamp;
}

/* Looked up once for all intents, so that each is checked against its
 * own tool calls, their ops and their groups, not against every call, op
 * and group of the incident: (message, tool call), (tree, op) and (tree,
 * group) pairs, sorted. */
struct intent_index {
	int64_t (*calls)[2];        /* message id, index into a->tcs */
	size_t ncalls;
	int64_t (*ops)[2];          /* tree, index into a->ops */
	size_t nops;
	int64_t (*groups)[2];       /* tree, index into a->groups (exfiltration) */
	size_t ngroups;
};

static int
pair_cmp(const void *pa, const void *pb)
{
	const int64_t *x = pa, *y = pb;
	if (x[0] != y[0])
		return x[0] < y[0] ? -1 : 1;
	return (x[1] > y[1]) - (x[1] < y[1]);
}

/* The first pair with key, or n. */
static size_t
pair_find(int64_t (*v)[2], size_t n, int64_t key)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid][0] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void
intent_index_build(struct actx *a, struct intent_index *ix)
{
	ix->calls = xcalloc(a->tc_count + 1, sizeof *ix->calls);
	for (size_t t = 0; t < a->tc_count; t++) {
		ix->calls[t][0] = a->tcs[t].message;
		ix->calls[t][1] = (int64_t)t;
	}
	ix->ncalls = a->tc_count;
	ix->ops = xcalloc(a->op_count + 1, sizeof *ix->ops);
	for (size_t i = 0; i < a->op_count; i++) {
		ix->ops[i][0] = a->ops[i].tree;
		ix->ops[i][1] = (int64_t)i;
	}
	ix->nops = a->op_count;
	ix->groups = xcalloc(a->group_count + 1, sizeof *ix->groups);
	for (size_t g = 0; g < a->group_count; g++) {
		if (a->groups[g].kind != GROUP_EXFIL || !a->groups[g].act_count)
			continue;
		ix->groups[ix->ngroups][0] = a->groups[g].tree;
		ix->groups[ix->ngroups][1] = (int64_t)g;
		ix->ngroups++;
	}
	qsort(ix->calls, ix->ncalls, sizeof *ix->calls, pair_cmp);
	qsort(ix->ops, ix->nops, sizeof *ix->ops, pair_cmp);
	qsort(ix->groups, ix->ngroups, sizeof *ix->groups, pair_cmp);
}

/* The tool calls that carry the plan out: the ones made with the message
 * that states it, else those of the next assistant message that makes
 * any (before the operator speaks again). */
static size_t
following_calls(struct actx *a, const struct intent_index *ix, size_t msg, int64_t *ids,
                size_t max)
{
	for (size_t m = msg; m < a->msg_count; m++) {
		if (m > msg && a->msgs[m].role == ROLE_USER)
			break;
		size_t n = 0;
		for (size_t j = pair_find(ix->calls, ix->ncalls, a->msgs[m].id);
		     j < ix->ncalls && ix->calls[j][0] == a->msgs[m].id && n < max; j++)
			ids[n++] = a->tcs[ix->calls[j][1]].id;
		if (n)
			return n;
	}
	return 0;
}

static int
index_cmp(const void *pa, const void *pb)
{
	size_t x = *(const size_t *)pa, y = *(const size_t *)pb;
	return (x > y) - (x < y);
}

/* What pairs (tree, index) hold for the trees ids[0..n), in index order:
 * the ops or the groups of the calls; the caller frees them. */
static size_t *
of_calls(int64_t (*pairs)[2], size_t npairs, const int64_t *ids, size_t n, size_t *count)
{
	size_t *v = NULL, cap = 0;
	*count = 0;
	for (size_t i = 0; i < n; i++) {
		int seen = 0;
		for (size_t k = 0; k < i; k++)
			seen |= ids[k] == ids[i];
		if (seen)
			continue;
		for (size_t j = pair_find(pairs, npairs, ids[i]); j < npairs && pairs[j][0] == ids[i];
		     j++) {
			void *items = v;
			grow_array(&items, sizeof *v, &cap, *count + 1);
			v = items;
			v[(*count)++] = (size_t)pairs[j][1];
		}
	}
	if (*count > 1)
		qsort(v, *count, sizeof *v, index_cmp);
	return v;
}

static int
in_calls(const int64_t *ids, size_t n, int64_t tree)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == tree)
			return 1;
	return 0;
}

/* What the following calls did to the object: *kept when something
 * agrees with the plan; returns how many ops contradict it. */
struct outcome {
	int kept;
	size_t other;
	struct strbuf what;
};

static void
outcome_groups(struct actx *a, const struct intent_index *ix, const struct aclaim *c,
               const int64_t *ids, size_t n, struct fnd *f, struct outcome *out)
{
	size_t count;
	size_t *mine = of_calls(ix->groups, ix->ngroups, ids, n, &count);
	for (size_t k = 0; k < count; k++) {
		const struct agroup *gr = &a->groups[mine[k]];
		if (gr->kind != GROUP_EXFIL || !gr->act_count || !in_calls(ids, n, gr->tree))
			continue;
		int about = 0;
		for (size_t i = 0; i < gr->read_count && !about; i++)
			about = claim_object_matches(a, &c->obj, a->ops[gr->reads[i]].path);
		if (!about)
			continue;
		if (same_intent(c->hit.verb, VERB_transfer)) {
			out->kept = 1;
			continue;
		}
		if (!out->other++) {
			sb_addf(&out->what, "sent %s to %s", a->ops[gr->reads[0]].path->s,
			        gr->host ? gr->host->s : "another host");
			if (gr->host && gr->port >= 0)
				sb_addf(&out->what, ":%d", gr->port);
		}
		for (size_t i = 0; i < gr->read_count && i < MAX_OP_EVIDENCE; i++)
			fnd_add_op(f, &a->ops[gr->reads[i]], "action");
		for (size_t i = 0; i < gr->act_count && i < MAX_OP_EVIDENCE; i++)
			fnd_add_op(f, &a->ops[gr->acts[i]], "action");
	}
	free(mine);
}

static void
outcome_ops(struct actx *a, const struct intent_index *ix, const struct aclaim *c,
            const int64_t *ids, size_t n, struct fnd *f, struct outcome *out)
{
	size_t count;
	size_t *mine = of_calls(ix->ops, ix->nops, ids, n, &count);
	for (size_t k = 0; k < count; k++) {
		const struct aop *op = &a->ops[mine[k]];
		enum verb did = op_verb(op);
		if (did == VERB_timestamp && !utime_is_explicit(a, op))
			did = VERB_NONE;
		if (did == VERB_create && !same_intent(c->hit.verb, did))
			did = VERB_NONE;     /* writing files contradicts no plan */
		if (!use_op(a, op) || !op->ok || did == VERB_NONE || !in_calls(ids, n, op->tree) ||
		    !claim_object_matches(a, &c->obj, op->path))
			continue;
		if (same_intent(c->hit.verb, did)) {
			out->kept = 1;
			continue;
		}
		if (!out->other++)
			sb_addf(&out->what, "%s %s", alibi_op_name((enum alibi_op_kind)op->kind),
			        op->path->s);
		if (out->other <= MAX_OP_EVIDENCE)
			fnd_add_op(f, op, "action");
	}
	free(mine);
}

static void
check_intent(struct actx *a, const struct intent_index *ix, const struct aclaim *c)
{
	int64_t ids[16];
	size_t n = following_calls(a, ix, c->msg, ids, 16);
	if (!n)
		return;
	struct fnd f;
	fnd_init(&f, FINDING_INTENT_MISMATCH, "intent-mismatch", a->has_syscall_ops ? 0.7 : 0.5);
	struct outcome out = { 0, 0, STRBUF_INIT };
	outcome_groups(a, ix, c, ids, n, &f, &out);
	outcome_ops(a, ix, c, ids, n, &f, &out);
	if (out.other && !out.kept) {
		sb_adds(&f.because, "the agent said it would ");
		sb_adds(&f.because, verb_name(c->hit.verb));
		sb_addf(&f.because, " %s, but the next commands %s instead",
		        c->hit.object ? c->hit.object : "it", sb_str(&out.what));
		fnd_add_claim(&f, a, c);
		for (size_t i = 0; i < n; i++) {
			const struct atc *tc = actx_tool_call(a, ids[i]);
			if (tc)
				fnd_add_tool_call(&f, tc, "context");
		}
		sb_addf(&f.summary, "said %s, did something else", verb_name(c->hit.verb));
		fnd_emit(a, &f);
	}
	sb_free(&out.what);
	fnd_free(&f);
}

int
findings_intent_mismatch(struct actx *a)
{
	struct intent_index ix = { 0 };
	for (size_t k = 0; k < a->claim_count && !a->failed; k++) {
		const struct aclaim *c = &a->claims[k];
		if (c->hit.kind != ALIBI_CLAIM_INTENT || c->hit.negated || !checkable(c->hit.verb) ||
		    objref_is_vague(&c->obj))
			continue;
		if (!ix.calls)
			intent_index_build(a, &ix);
		check_intent(a, &ix, c);
	}
	free(ix.calls);
	free(ix.ops);
	free(ix.groups);
	return a->failed;
}
