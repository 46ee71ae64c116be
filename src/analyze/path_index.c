/* path_index.c — which of an incident's paths an object may name.
 *
 * Asking objref_match_path() about every path for every claim costs
 * claims x paths, and both grow with the incident: a million-line log with
 * ten thousand messages has thousands of each.  The index narrows the
 * question to the paths that can match, read off what the object holds:
 *   - a written path from "/": the paths that start with it (a range of
 *     the sorted paths);
 *   - a relative one ("run-3/out.csv"): the paths with its first part as
 *     one of their components;
 *   - names ("agent2"): a path must hold every name of one chain of
 *     joined names ("the report of run-3": report and run3) among its
 *     name tokens (name_tokens(), as objref_match_path() reads them), so
 *     each chain offers the paths of its rarest name (run3, not report);
 *   - the protected class alone ("the weights"): the protected paths;
 *   - anything else (a glob, "/"): every path.
 * Every path a claim matches is among its candidates; the caller still
 * asks objref_match_path() about each, so the answers are the same. */
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/strbuf.h"
#include "analyze_internal.h"

struct path_index {
	struct pent **ents;      /* the seen paths, sorted by text */
	size_t count;
	size_t *prot;            /* those in the protected class */
	size_t nprot;
	struct keymap *keys;     /* 'c' component, 't' name token -> ents */
	unsigned *stamp;         /* per path: the query that last offered it */
	unsigned query;
};

/* A key of kind 'c' or 't' and the paths holding it, as a list. */
struct ix_list {
	const size_t *ents;
	size_t count;
};

static struct ix_list
key_find(const struct path_index *ix, char kind, const char *s, size_t n)
{
	struct ix_list l;
	l.ents = keymap_find(ix->keys, kind, s, n, &l.count);
	return l;
}

static int
ent_cmp(const void *a, const void *b)
{
	return strcmp((*(struct pent *const *)a)->s, (*(struct pent *const *)b)->s);
}

static void
index_path(struct path_index *ix, size_t e, struct strbuf *toks)
{
	const char *s = ix->ents[e]->s;
	for (const char *p = s; *p;) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		if (n)
			keymap_add(ix->keys, 'c', p, n, e);
		p += n + (slash != NULL);
	}
	sb_reset(toks);
	size_t nt = name_tokens(s, toks);
	const char *t = toks->buf;
	for (size_t i = 0; i < nt; i++, t += strlen(t) + 1)
		keymap_add(ix->keys, 't', t, strlen(t), e);
}

struct path_index *
path_index_build(struct actx *a, int protected_only)
{
	struct path_index *ix = xcalloc(1, sizeof *ix);
	ix->keys = keymap_new();
	ix->ents = xcalloc(a->pool.count + 1, sizeof *ix->ents);
	for (size_t i = 0; i < a->pool.cap; i++) {
		struct pent *e = a->pool.slots[i];
		if (e && (e->flags & PF_SEEN) &&
		    (!protected_only || pent_class(a->rules, e, GLOB_PROTECTED)))
			ix->ents[ix->count++] = e;
	}
	if (ix->count > 1)
		qsort(ix->ents, ix->count, sizeof *ix->ents, ent_cmp);
	ix->stamp = xcalloc(ix->count + 1, sizeof *ix->stamp);
	ix->prot = xcalloc(ix->count + 1, sizeof *ix->prot);
	struct strbuf toks = STRBUF_INIT;
	for (size_t e = 0; e < ix->count; e++) {
		index_path(ix, e, &toks);
		if (pent_class(a->rules, ix->ents[e], GLOB_PROTECTED))
			ix->prot[ix->nprot++] = e;
	}
	sb_free(&toks);
	return ix;
}

void
path_index_free(struct path_index *ix)
{
	if (!ix)
		return;
	keymap_free(ix->keys);
	free(ix->stamp);
	free(ix->prot);
	free(ix->ents);
	free(ix);
}

struct offer {
	struct path_index *ix;
	int (*fn)(void *ctx, struct pent *e);
	void *ctx;
	int stop;             /* fn asked for no more */
};

static void
offer(struct offer *o, size_t e)
{
	if (o->stop || o->ix->stamp[e] == o->ix->query)
		return;
	o->ix->stamp[e] = o->ix->query;
	o->stop = o->fn(o->ctx, o->ix->ents[e]);
}

static void
offer_key(struct offer *o, struct ix_list k)
{
	for (size_t i = 0; i < k.count && !o->stop; i++)
		offer(o, k.ents[i]);
}

static void
offer_all(struct offer *o)
{
	for (size_t e = 0; e < o->ix->count && !o->stop; e++)
		offer(o, e);
}

/* The paths starting with prefix[0..n): one range of the sorted paths. */
static void
offer_prefix(struct offer *o, const char *prefix, size_t n)
{
	size_t lo = 0, hi = o->ix->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strncmp(o->ix->ents[mid]->s, prefix, n) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t e = lo; e < o->ix->count && !o->stop &&
	                    strncmp(o->ix->ents[e]->s, prefix, n) == 0; e++)
		offer(o, e);
}

/* Offers what one written path may match (see path_matches in objects.c);
 * 0 when it had to offer every path. */
static int
offer_written(struct offer *o, const char *x)
{
	char buf[OBJREF_PATH_MAX];
	size_t n = objref_path_norm(x, buf, sizeof buf);
	if (n == (size_t)-1)
		return 1;                /* matches nothing */
	if (n == 0 || strpbrk(buf, "*?[") || (buf[0] == '/' && n == 1)) {
		offer_all(o);
		return 0;
	}
	if (buf[0] == '/') {
		offer_prefix(o, buf, n);
		return 1;
	}
	/* relative: it starts at a component of the path */
	const char *slash = strchr(buf, '/');
	size_t first = slash ? (size_t)(slash - buf) : n;
	offer_key(o, key_find(o->ix, 'c', buf, first));
	return 1;
}

void
path_index_candidates(struct path_index *ix, const struct objref *obj,
                      int (*fn)(void *ctx, struct pent *e), void *ctx)
{
	struct offer o = { ix, fn, ctx, 0 };
	if (++ix->query == 0) {   /* wrapped: forget every stamp */
		memset(ix->stamp, 0, (ix->count + 1) * sizeof *ix->stamp);
		ix->query = 1;
	}
	if (obj->path_count) {
		/* as objref_match_path: written paths from "/" decide when there
		 * are any, else the relative ones */
		int anchored = 0;
		for (size_t i = 0; i < obj->path_count; i++)
			anchored |= obj->paths[i][0] == '/';
		for (size_t i = 0; i < obj->path_count; i++)
			if ((obj->paths[i][0] == '/') == anchored && !offer_written(&o, obj->paths[i]))
				return;
		return;
	}
	if (obj->name_count) {
		/* chains as objref_match_path() reads them: a name joined to
		 * the one before continues its chain */
		for (size_t i = 0; i < obj->name_count && !o.stop;) {
			struct ix_list rarest = { NULL, 0 };
			int missing = 0;
			size_t j = i;
			do {
				struct ix_list k =
					key_find(ix, 't', obj->names[j], strlen(obj->names[j]));
				missing |= !k.count;
				if (j == i || k.count < rarest.count)
					rarest = k;
				j++;
			} while (j < obj->name_count && obj->joined && obj->joined[j]);
			if (!missing)
				offer_key(&o, rarest);   /* else no path holds the chain */
			i = j;
		}
		return;
	}
	if (obj->protected_class)
		for (size_t i = 0; i < ix->nprot; i++)
			offer(&o, ix->prot[i]);
}

size_t
path_index_token_count(const struct path_index *ix, const char *name)
{
	return key_find(ix, 't', name, strlen(name)).count;
}

int
path_index_has_under(const struct path_index *ix, const char *dir)
{
	/* the first path from dir + "/" on, in the sorted paths */
	size_t n = strlen(dir), lo = 0, hi = ix->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *s = ix->ents[mid]->s;
		int c = strncmp(s, dir, n);
		if (c == 0)
			c = (unsigned char)s[n] - (unsigned char)'/';
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ix->count && strncmp(ix->ents[lo]->s, dir, n) == 0 &&
	       ix->ents[lo]->s[n] == '/';
}
