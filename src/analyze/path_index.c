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
 *   - names ("agent2"): the paths with one of them among their name
 *     tokens (name_tokens(), as objref_match_path() reads them);
 *   - anything else (a glob, the protected class alone): every path.
 * Every path a claim matches is among its candidates; the caller still
 * asks objref_match_path() about each, so the answers are the same. */
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/strbuf.h"
#include "analyze_internal.h"

/* A key ("c" + component, or "t" + name token) and the paths holding it. */
struct ix_key {
	char *key;
	uint32_t hash;
	size_t *ents;            /* indexes into path_index.ents */
	size_t count, cap;
};

struct path_index {
	struct pent **ents;      /* the seen paths, sorted by text */
	size_t count;
	struct ix_key *keys;     /* open addressing, cap a power of two */
	size_t nkeys, cap;
	unsigned *stamp;         /* per path: the query that last offered it */
	unsigned query;
};

static uint32_t
key_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;       /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static struct ix_key *
key_slot(const struct path_index *ix, const char *s, size_t n, uint32_t h)
{
	for (size_t j = h & (ix->cap - 1);; j = (j + 1) & (ix->cap - 1)) {
		struct ix_key *k = &ix->keys[j];
		if (!k->key || (k->hash == h && strlen(k->key) == n && memcmp(k->key, s, n) == 0))
			return k;
	}
}

static void
keys_grow(struct path_index *ix)
{
	size_t cap = ix->cap ? ix->cap * 2 : 1024;
	struct ix_key *old = ix->keys;
	size_t old_cap = ix->cap;
	ix->keys = xcalloc(cap, sizeof *ix->keys);
	ix->cap = cap;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].key)
			*key_slot(ix, old[i].key, strlen(old[i].key), old[i].hash) = old[i];
	free(old);
}

/* The paths under key s[0..n) (kind 'c' or 't'); NULL when none. */
static struct ix_key *
key_find(const struct path_index *ix, char kind, const char *s, size_t n)
{
	char buf[OBJREF_PATH_MAX + 1];
	if (!ix->cap || n >= sizeof buf)
		return NULL;
	buf[0] = kind;
	memcpy(buf + 1, s, n);
	struct ix_key *k = key_slot(ix, buf, n + 1, key_hash(buf, n + 1));
	return k->key ? k : NULL;
}

static void
key_add(struct path_index *ix, char kind, const char *s, size_t n, size_t ent)
{
	char buf[OBJREF_PATH_MAX + 1];
	if (n >= sizeof buf)
		return;   /* such a part is never looked up either */
	if ((ix->nkeys + 1) * 2 > ix->cap)
		keys_grow(ix);
	buf[0] = kind;
	memcpy(buf + 1, s, n);
	uint32_t h = key_hash(buf, n + 1);
	struct ix_key *k = key_slot(ix, buf, n + 1, h);
	if (!k->key) {
		k->key = xstrndup(buf, n + 1);
		k->hash = h;
		ix->nkeys++;
	}
	if (k->count && k->ents[k->count - 1] == ent)
		return;   /* a path with the same part twice */
	void *items = k->ents;
	grow_array(&items, sizeof *k->ents, &k->cap, k->count + 1);
	k->ents = items;
	k->ents[k->count++] = ent;
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
			key_add(ix, 'c', p, n, e);
		p += n + (slash != NULL);
	}
	sb_reset(toks);
	size_t nt = name_tokens(s, toks);
	const char *t = toks->buf;
	for (size_t i = 0; i < nt; i++, t += strlen(t) + 1)
		key_add(ix, 't', t, strlen(t), e);
}

struct path_index *
path_index_build(struct actx *a)
{
	struct path_index *ix = xcalloc(1, sizeof *ix);
	ix->ents = xcalloc(a->pool.count + 1, sizeof *ix->ents);
	for (size_t i = 0; i < a->pool.cap; i++) {
		struct pent *e = a->pool.slots[i];
		if (e && (e->flags & PF_SEEN))
			ix->ents[ix->count++] = e;
	}
	if (ix->count > 1)
		qsort(ix->ents, ix->count, sizeof *ix->ents, ent_cmp);
	ix->stamp = xcalloc(ix->count + 1, sizeof *ix->stamp);
	struct strbuf toks = STRBUF_INIT;
	for (size_t e = 0; e < ix->count; e++)
		index_path(ix, e, &toks);
	sb_free(&toks);
	return ix;
}

void
path_index_free(struct path_index *ix)
{
	if (!ix)
		return;
	for (size_t i = 0; i < ix->cap; i++) {
		free(ix->keys[i].key);
		free(ix->keys[i].ents);
	}
	free(ix->keys);
	free(ix->stamp);
	free(ix->ents);
	free(ix);
}

struct offer {
	struct path_index *ix;
	void (*fn)(void *ctx, struct pent *e);
	void *ctx;
};

static void
offer(struct offer *o, size_t e)
{
	if (o->ix->stamp[e] == o->ix->query)
		return;
	o->ix->stamp[e] = o->ix->query;
	o->fn(o->ctx, o->ix->ents[e]);
}

static void
offer_key(struct offer *o, const struct ix_key *k)
{
	for (size_t i = 0; k && i < k->count; i++)
		offer(o, k->ents[i]);
}

static void
offer_all(struct offer *o)
{
	for (size_t e = 0; e < o->ix->count; e++)
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
	for (size_t e = lo; e < o->ix->count && strncmp(o->ix->ents[e]->s, prefix, n) == 0; e++)
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
                      void (*fn)(void *ctx, struct pent *e), void *ctx)
{
	struct offer o = { ix, fn, ctx };
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
		for (size_t i = 0; i < obj->name_count; i++)
			offer_key(&o, key_find(ix, 't', obj->names[i], strlen(obj->names[i])));
		return;
	}
	if (obj->protected_class)
		offer_all(&o);
}
