/* op_index.c — the kept ops by the paths they name, so that a question
 * about a few paths ("was this file deleted?") reads the ops on those
 * paths instead of every op of the incident.
 *
 * Laid out as one array of op numbers grouped by path (each group in op
 * order) and a table from a path's entry to its group: a few bytes per
 * op, where pairs of (path, op) would take four times as many. */
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "analyze_internal.h"

struct oslot {
	const struct pent *p;    /* NULL: empty slot */
	uint32_t start, count;   /* its ops: ops[start .. start + count) */
};

struct op_index {
	struct oslot *slots;     /* open addressing by the entry's address */
	size_t cap;
	uint32_t *ops;           /* op numbers, grouped by path */
};

static size_t
ptr_hash(const struct pent *p)
{
	uint64_t x = (uint64_t)(uintptr_t)p;
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (size_t)x;
}

static struct oslot *
slot_of(const struct op_index *ix, const struct pent *p)
{
	for (size_t j = ptr_hash(p) & (ix->cap - 1);; j = (j + 1) & (ix->cap - 1))
		if (!ix->slots[j].p || ix->slots[j].p == p)
			return &ix->slots[j];
}

static void
grow(struct op_index *ix)
{
	struct oslot *old = ix->slots;
	size_t old_cap = ix->cap;
	ix->cap = ix->cap ? ix->cap * 2 : 1024;
	ix->slots = xcalloc(ix->cap, sizeof *ix->slots);
	for (size_t j = 0; j < old_cap; j++)
		if (old[j].p)
			*slot_of(ix, old[j].p) = old[j];
	free(old);
}

/* Counts (pass 0) or places (pass 1) op i under p. */
static void
note(struct op_index *ix, const struct pent *p, size_t i, int pass, size_t *paths)
{
	if (pass == 0 && (*paths + 1) * 2 > ix->cap)
		grow(ix);
	struct oslot *s = slot_of(ix, p);
	if (pass == 0) {
		*paths += !s->p;
		s->p = p;
		s->count++;
	} else {
		ix->ops[s->start + s->count++] = (uint32_t)i;
	}
}

/* Op numbers are kept in 32 bits: four billion kept ops would need far
 * more memory for the ops themselves than any machine analysis runs on. */
struct op_index *
op_index_build(const struct actx *a)
{
	struct op_index *ix = xcalloc(1, sizeof *ix);
	size_t refs = 0, paths = 0;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < a->op_count; i++) {
			const struct aop *op = &a->ops[i];
			if (op->path)
				note(ix, op->path, i, pass, &paths);
			if (op->path2 && op->path2 != op->path)
				note(ix, op->path2, i, pass, &paths);
		}
		if (pass == 0) {
			for (size_t j = 0; j < ix->cap; j++) {
				ix->slots[j].start = (uint32_t)refs;
				refs += ix->slots[j].count;
				ix->slots[j].count = 0;
			}
			ix->ops = xcalloc(refs + 1, sizeof *ix->ops);
		}
	}
	return ix;
}

const uint32_t *
op_index_find(const struct op_index *ix, const struct pent *p, size_t *count)
{
	*count = 0;
	if (!p || !ix->cap)
		return NULL;
	const struct oslot *s = slot_of(ix, p);
	if (!s->p)
		return NULL;
	*count = s->count;
	return ix->ops + s->start;
}

void
op_index_free(struct op_index *ix)
{
	if (!ix)
		return;
	free(ix->slots);
	free(ix->ops);
	free(ix);
}
