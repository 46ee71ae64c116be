/* object_index.c — which of many objects (instructions', claims') may
 * name a given path: the reverse of path_index.c.
 *
 * Asking objref_match_path() of every object for every path costs
 * objects x paths, and both grow with the incident.  The index files each
 * object under what a path must hold for the object to match it, and a
 * path looks up only its own parts:
 *   - a written path from "/" ("/srv/tmp"): the path itself or one of its
 *     directories is it (key 'p' + "/srv/tmp");
 *   - a relative one ("run-3/out.csv"): its first part is one of the
 *     path's components (key 'c' + "run-3");
 *   - names ("the report of run-3"): each chain of joined names is filed
 *     under one of its names, which the path must hold among its name
 *     tokens (key 't' + "run3"; the rarest name among the incident's paths
 *     when a path_index is given, so a common word files few objects);
 *   - a glob from "/" ("/srv/tmp/x*.log"): the path starts with the
 *     directories of its text before the first wildcard (key 'g' +
 *     "/srv/tmp/");
 *   - the protected class alone ("the weights"): every protected path;
 *   - anything else that may match (another glob, "/"): every path.
 * What objref_match_path() accepts is always among the candidates; the
 * caller still asks it about each, so the answers are the same. */
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/strbuf.h"
#include "analyze_internal.h"

struct ilist {
	size_t *v;
	size_t count, cap;
};

struct object_index {
	const struct path_index *paths;   /* for how rare a name is; may be NULL */
	struct keymap *keys;
	size_t nkeys[4];         /* keys added of kind 'p', 'g', 'c', 't' */
	struct ilist always;     /* objects that may match any path */
	struct ilist prot;       /* the protected class alone */
	unsigned *stamp;         /* per item: the lookup that last took it */
	size_t stamp_cap;
	unsigned query;
	struct strbuf toks;
};

static void
ilist_add(struct ilist *l, size_t item)
{
	if (l->count && l->v[l->count - 1] == item)
		return;
	void *v = l->v;
	grow_array(&v, sizeof *l->v, &l->cap, l->count + 1);
	l->v = v;
	l->v[l->count++] = item;
}

struct object_index *
object_index_new(const struct path_index *paths)
{
	struct object_index *ix = xcalloc(1, sizeof *ix);
	ix->paths = paths;
	ix->keys = keymap_new();
	sb_init(&ix->toks);
	return ix;
}

void
object_index_free(struct object_index *ix)
{
	if (!ix)
		return;
	keymap_free(ix->keys);
	free(ix->always.v);
	free(ix->prot.v);
	free(ix->stamp);
	sb_free(&ix->toks);
	free(ix);
}

static void
file_under(struct object_index *ix, char kind, const char *s, size_t n, size_t item)
{
	keymap_add(ix->keys, kind, s, n, item);
	ix->nkeys[kind == 'p' ? 0 : kind == 'g' ? 1 : kind == 'c' ? 2 : 3]++;
}

/* Files one written path as path_matches() (objects.c) compares it. */
static void
add_written(struct object_index *ix, const char *x, size_t item)
{
	char buf[OBJREF_PATH_MAX];
	size_t n = objref_path_norm(x, buf, sizeof buf);
	if (n == (size_t)-1)
		return;                  /* matches nothing */
	if (buf[0] == '/' && strpbrk(buf, "*?[")) {
		/* what it matches starts with its text before the first
		 * character glob matching treats specially */
		size_t dir = strcspn(buf, "*?[\\");
		while (buf[dir - 1] != '/')
			dir--;
		file_under(ix, 'g', buf, dir, item);
		return;
	}
	if (n == 0 || strpbrk(buf, "*?[") || (buf[0] == '/' && n == 1)) {
		ilist_add(&ix->always, item);
		return;
	}
	if (buf[0] == '/') {
		file_under(ix, 'p', buf, n, item);
		return;
	}
	/* relative: it starts at a component of the path */
	const char *slash = strchr(buf, '/');
	file_under(ix, 'c', buf, slash ? (size_t)(slash - buf) : n, item);
}

/* The name of names[i..end) to file the chain under. */
static size_t
chain_key(const struct object_index *ix, const struct objref *o, size_t i, size_t end)
{
	size_t best = i, best_count = (size_t)-1;
	for (size_t j = i; ix->paths && j < end; j++) {
		size_t c = path_index_token_count(ix->paths, o->names[j]);
		if (c < best_count) {
			best = j;
			best_count = c;
		}
	}
	return best;
}

void
object_index_add(struct object_index *ix, const struct objref *o, size_t item)
{
	if (item >= ix->stamp_cap) {
		size_t old = ix->stamp_cap;
		void *v = ix->stamp;
		grow_array(&v, sizeof *ix->stamp, &ix->stamp_cap, item + 1);
		ix->stamp = v;
		memset(ix->stamp + old, 0, (ix->stamp_cap - old) * sizeof *ix->stamp);
	}
	if (o->path_count) {
		/* as objref_match_path: written paths from "/" decide when there
		 * are any, else the relative ones */
		int anchored = 0;
		for (size_t i = 0; i < o->path_count; i++)
			anchored |= o->paths[i][0] == '/';
		for (size_t i = 0; i < o->path_count; i++)
			if ((o->paths[i][0] == '/') == anchored)
				add_written(ix, o->paths[i], item);
		return;
	}
	if (o->name_count) {
		/* a chain: a name and those joined to it after it */
		for (size_t i = 0; i < o->name_count;) {
			size_t end = i + 1;
			while (end < o->name_count && o->joined && o->joined[end])
				end++;
			const char *name = o->names[chain_key(ix, o, i, end)];
			file_under(ix, 't', name, strlen(name), item);
			i = end;
		}
		return;
	}
	if (o->protected_class)
		ilist_add(&ix->prot, item);
}

/* One lookup: the objects offered so far, and what to do with each. */
struct visit {
	struct object_index *ix;
	int (*fn)(void *ctx, size_t item);
	void *ctx;
	int stop;             /* fn asked for no more */
};

static void
take(struct visit *v, const size_t *items, size_t n)
{
	for (size_t i = 0; i < n && !v->stop; i++) {
		if (v->ix->stamp[items[i]] == v->ix->query)
			continue;
		v->ix->stamp[items[i]] = v->ix->query;
		v->stop = v->fn(v->ctx, items[i]);
	}
}

static void
take_key(struct visit *v, char kind, const char *s, size_t n)
{
	size_t count;
	const size_t *items = keymap_find(v->ix->keys, kind, s, n, &count);
	take(v, items, count);
}

void
object_index_each(struct object_index *ix, const char *path, int is_protected,
                  int (*fn)(void *ctx, size_t item), void *ctx)
{
	struct visit v = { ix, fn, ctx, 0 };
	if (!path)
		return;
	if (++ix->query == 0) {   /* wrapped: forget every stamp */
		memset(ix->stamp, 0, ix->stamp_cap * sizeof *ix->stamp);
		ix->query = 1;
	}
	take(&v, ix->always.v, ix->always.count);
	if (is_protected)
		take(&v, ix->prot.v, ix->prot.count);
	/* the path and each of its directories, from "/" */
	for (size_t i = 1; (ix->nkeys[0] || ix->nkeys[1]) && path[0] == '/' && path[i - 1]; i++) {
		if (path[i] == '/' || path[i] == '\0')
			take_key(&v, 'p', path, i);
		if (path[i] == '/')
			take_key(&v, 'g', path, i + 1);
	}
	if (path[0] == '/')
		take_key(&v, 'g', path, 1);
	for (const char *p = path; ix->nkeys[2] && *p;) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		if (n)
			take_key(&v, 'c', p, n);
		p += n + (slash != NULL);
	}
	if (ix->nkeys[3] && !v.stop) {
		sb_reset(&ix->toks);
		size_t nt = name_tokens(path, &ix->toks);
		const char *t = ix->toks.buf;
		for (size_t i = 0; i < nt; i++, t += strlen(t) + 1)
			take_key(&v, 't', t, strlen(t));
	}
}

static int
list_item(void *ctx, size_t item)
{
	ilist_add(ctx, item);
	return 0;
}

static int
item_cmp(const void *pa, const void *pb)
{
	size_t x = *(const size_t *)pa, y = *(const size_t *)pb;
	return (x > y) - (x < y);
}

size_t
object_index_lookup(struct object_index *ix, const char *path, int is_protected,
                    size_t **out, size_t *cap)
{
	struct ilist l = { *out, 0, *cap };
	object_index_each(ix, path, is_protected, list_item, &l);
	if (l.count > 1)
		qsort(l.v, l.count, sizeof *l.v, item_cmp);
	*out = l.v;
	*cap = l.cap;
	return l.count;
}
