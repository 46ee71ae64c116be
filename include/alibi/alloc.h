/* alloc.h — allocation that never returns NULL.
 *
 * Running out of memory is not a condition alibi can recover from in any
 * useful way, so these print a message and abort instead of returning NULL. */
#ifndef ALIBI_ALLOC_H
#define ALIBI_ALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);        /* xstrdup(NULL) returns NULL */
char *xstrndup(const char *s, size_t n);

/* Grows *items (of item_size) so that at least need fit; doubles capacity. */
void grow_array(void **items, size_t item_size, size_t *cap, size_t need);

#endif
