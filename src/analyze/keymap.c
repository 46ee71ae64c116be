/* keymap.c — short string keys, each with the list of item numbers filed
 * under it: what path_index.c and object_index.c look paths and objects
 * up by.  A key is a kind letter ('c' a path component, 't' a name token,
 * 'p' a path from "/") and its text, so the kinds never mix. */
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "analyze_internal.h"

struct kentry {
	char *key;               /* kind letter, then the text; NULL: empty slot */
	size_t len;              /* of key */
	uint32_t hash;
	size_t *items;
	size_t count, cap;
};

struct keymap {
	struct kentry *slots;    /* open addressing, cap a power of two */
	size_t count, cap;
};

static uint32_t
key_hash(char kind, const char *s, size_t n)
{
	uint32_t h = (2166136261u ^ (unsigned char)kind) * 16777619u;   /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static struct kentry *
slot_of(const struct keymap *m, char kind, const char *s, size_t n, uint32_t h)
{
	for (size_t j = h & (m->cap - 1);; j = (j + 1) & (m->cap - 1)) {
		struct kentry *k = &m->slots[j];
		if (!k->key || (k->hash == h && k->len == n + 1 && k->key[0] == kind &&
		                memcmp(k->key + 1, s, n) == 0))
			return k;
	}
}

static void
grow(struct keymap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 256;
	struct kentry *old = m->slots;
	size_t old_cap = m->cap;
	m->slots = xcalloc(cap, sizeof *m->slots);
	m->cap = cap;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].key)
			*slot_of(m, old[i].key[0], old[i].key + 1, old[i].len - 1, old[i].hash) = old[i];
	free(old);
}

struct keymap *
keymap_new(void)
{
	return xcalloc(1, sizeof(struct keymap));
}

void
keymap_free(struct keymap *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->cap; i++) {
		free(m->slots[i].key);
		free(m->slots[i].items);
	}
	free(m->slots);
	free(m);
}

void
keymap_add(struct keymap *m, char kind, const char *s, size_t n, size_t item)
{
	if ((m->count + 1) * 2 > m->cap)
		grow(m);
	uint32_t h = key_hash(kind, s, n);
	struct kentry *k = slot_of(m, kind, s, n, h);
	if (!k->key) {
		k->key = xmalloc(n + 2);
		k->key[0] = kind;
		memcpy(k->key + 1, s, n);
		k->key[n + 1] = '\0';
		k->len = n + 1;
		k->hash = h;
		m->count++;
	}
	if (k->count && k->items[k->count - 1] == item)
		return;   /* the same key twice in one path or object */
	void *items = k->items;
	grow_array(&items, sizeof *k->items, &k->cap, k->count + 1);
	k->items = items;
	k->items[k->count++] = item;
}

const size_t *
keymap_find(const struct keymap *m, char kind, const char *s, size_t n, size_t *count)
{
	*count = 0;
	if (!m->count)
		return NULL;
	struct kentry *k = slot_of(m, kind, s, n, key_hash(kind, s, n));
	if (!k->key)
		return NULL;
	*count = k->count;
	return k->items;
}
