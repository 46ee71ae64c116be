/* pool.c — interned strings for analysis.
 *
 * A million ops name a few thousand distinct paths; interning them keeps
 * one copy of each, and caching the path classes (protected, noise, ...)
 * on the entry means each glob list is matched once per distinct path,
 * not once per op. */
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "analyze_internal.h"

static uint32_t
hash_string(const char *s)
{
	uint32_t h = 2166136261u;       /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

void
pool_init(struct pool *p)
{
	memset(p, 0, sizeof *p);
}

void
pool_free(struct pool *p)
{
	for (size_t i = 0; i < p->cap; i++)
		free(p->slots[i]);
	free(p->slots);
	memset(p, 0, sizeof *p);
}

static void
pool_grow(struct pool *p)
{
	size_t cap = p->cap ? p->cap * 2 : 1024;
	struct pent **slots = xcalloc(cap, sizeof *slots);
	for (size_t i = 0; i < p->cap; i++) {
		struct pent *e = p->slots[i];
		if (!e)
			continue;
		size_t j = e->hash & (cap - 1);
		while (slots[j])
			j = (j + 1) & (cap - 1);
		slots[j] = e;
	}
	free(p->slots);
	p->slots = slots;
	p->cap = cap;
}

struct pent *
pool_intern(struct pool *p, const char *s)
{
	if (!s)
		return NULL;
	if ((p->count + 1) * 2 > p->cap)
		pool_grow(p);
	uint32_t h = hash_string(s);
	size_t j = h & (p->cap - 1);
	for (; p->slots[j]; j = (j + 1) & (p->cap - 1)) {
		struct pent *e = p->slots[j];
		if (e->hash == h && strcmp(e->s, s) == 0)
			return e;
	}
	/* one block for the entry and its string: an incident's pool holds
	 * every distinct path, host and command line of its ops */
	size_t len = strlen(s);
	struct pent *e = xcalloc(1, sizeof *e + len + 1);
	e->s = memcpy(e + 1, s, len + 1);
	e->hash = h;
	p->slots[j] = e;
	p->count++;
	return e;
}

struct pent *
pool_find(const struct pool *p, const char *s)
{
	if (!s || !p->cap)
		return NULL;
	uint32_t h = hash_string(s);
	for (size_t j = h & (p->cap - 1); p->slots[j]; j = (j + 1) & (p->cap - 1)) {
		struct pent *e = p->slots[j];
		if (e->hash == h && strcmp(e->s, s) == 0)
			return e;
	}
	return NULL;
}

int
pent_class(const struct rules *r, struct pent *e, enum glob_class cls)
{
	if (!e)
		return 0;
	uint16_t bit = (uint16_t)(1u << cls);
	if (!(e->known & bit)) {
		e->known |= bit;
		if (rules_glob_class(r, cls, e->s))
			e->flags |= bit;
	}
	return (e->flags & bit) != 0;
}
