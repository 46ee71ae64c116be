/* alloc.c — allocation that aborts with a message instead of returning NULL. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"

static void
out_of_memory(size_t n)
{
	fprintf(stderr, "alibi: out of memory (asked for %zu bytes)\n", n);
	abort();
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		out_of_memory(n);
	return p;
}

void *
xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p)
		out_of_memory(count * size);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		out_of_memory(n);
	return q;
}

char *
xstrdup(const char *s)
{
	return s ? xstrndup(s, strlen(s)) : NULL;
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void
grow_array(void **items, size_t item_size, size_t *cap, size_t need)
{
	if (need <= *cap)
		return;
	size_t cap_new = *cap ? *cap : 8;
	while (cap_new < need) {
		if (cap_new > ((size_t)-1) / 2 / item_size)
			out_of_memory(need * item_size);
		cap_new *= 2;
	}
	*items = xrealloc(*items, cap_new * item_size);
	*cap = cap_new;
}
