/* prehash.c — hashing an import's files ahead (prehash_internal.h).
 *
 * Every file is hashed before it is parsed, to know whether the incident
 * has it already; for a 100 MB log that is a tenth of a second in which
 * nothing else would happen.  A thread hashes the files in order while
 * the import parses the ones before them, so by the time a big log comes
 * after its transcript, its hash is ready or nearly. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/sha256.h"
#include "prehash_internal.h"

struct hash_result {
	int done, rc;
	char hex[65];
	uint64_t bytes;
	struct alibi_error err;
};

struct prehash {
	char *const *paths;
	size_t count;
	struct hash_result *v;
	int threaded, stopping;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t done;
};

static void *
hasher_main(void *arg)
{
	struct prehash *h = arg;
	for (size_t i = 0; i < h->count; i++) {
		pthread_mutex_lock(&h->lock);
		int stop = h->stopping;
		pthread_mutex_unlock(&h->lock);
		if (stop)
			break;
		struct hash_result r = { 0 };
		r.rc = sha256_file(h->paths[i], r.hex, &r.bytes, &r.err);
		r.done = 1;
		pthread_mutex_lock(&h->lock);
		h->v[i] = r;
		pthread_cond_broadcast(&h->done);
		pthread_mutex_unlock(&h->lock);
	}
	return NULL;
}

struct prehash *
prehash_start(char *const *paths, size_t count)
{
	struct prehash *h = xcalloc(1, sizeof *h);
	h->paths = paths;
	h->count = count;
	h->v = xcalloc(count + 1, sizeof *h->v);
	pthread_mutex_init(&h->lock, NULL);
	pthread_cond_init(&h->done, NULL);
	h->threaded = count > 0 && pthread_create(&h->thread, NULL, hasher_main, h) == 0;
	return h;
}

int
prehash_get(struct prehash *h, size_t i, char hex[65], uint64_t *bytes,
            struct alibi_error *err)
{
	if (!h->threaded)
		return sha256_file(h->paths[i], hex, bytes, err);
	pthread_mutex_lock(&h->lock);
	while (!h->v[i].done)
		pthread_cond_wait(&h->done, &h->lock);
	struct hash_result r = h->v[i];
	pthread_mutex_unlock(&h->lock);
	memcpy(hex, r.hex, sizeof r.hex);
	if (bytes)
		*bytes = r.bytes;
	if (r.rc && err)
		*err = r.err;
	return r.rc;
}

void
prehash_stop(struct prehash *h)
{
	if (!h)
		return;
	if (h->threaded) {
		pthread_mutex_lock(&h->lock);
		h->stopping = 1;
		pthread_mutex_unlock(&h->lock);
		pthread_join(h->thread, NULL);
	}
	pthread_cond_destroy(&h->done);
	pthread_mutex_destroy(&h->lock);
	free(h->v);
	free(h);
}
