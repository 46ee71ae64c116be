/* prehash_internal.h — the files of an import hashed ahead, on a second
 * thread (prehash.c), while the ones before them are parsed. */
#ifndef ALIBI_PREHASH_INTERNAL_H
#define ALIBI_PREHASH_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "alibi/error.h"

struct prehash;

/* Starts hashing paths[0..count) in order; the paths must outlive h. */
struct prehash *prehash_start(char *const *paths, size_t count);
/* What sha256_file() says of paths[i], waiting for it if need be. */
int prehash_get(struct prehash *h, size_t i, char hex[65], uint64_t *bytes,
                struct alibi_error *err);
/* Ends the thread (after the file it is hashing) and frees h. */
void prehash_stop(struct prehash *h);

#endif
