/* claim_scans.c — the claims of an incident's messages, found on a second
 * thread while analysis reads the ops.
 *
 * Matching every claim rule against every message is most of an
 * analysis's work on a long transcript, and it needs nothing but the
 * text and the rules (which are only read).  Analysis queues each
 * message's text as it streams by; a worker scans them in order while
 * the caller goes on with tool calls and ops; the caller then takes the
 * results in the same order, scanning itself whatever the worker has not
 * started, so the two finish together.  The results, and the order they
 * are stored in, are those of scanning each message on the spot. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "analyze_internal.h"

enum scan_state { SCAN_QUEUED, SCAN_RUNNING, SCAN_DONE };

struct scan_job {
	const char *text;           /* the caller's; lives until the scans stop */
	int instructions;
	size_t tag;
	enum scan_state state;
	struct claim_hits hits;
};

struct claim_scans {
	const struct rules *rules;
	int threaded;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t queued;      /* the worker waits for a job or the stop */
	pthread_cond_t done;        /* the caller waits for a job the worker runs */
	struct scan_job *jobs;
	size_t count, cap;
	size_t next;                /* the first job nobody has started */
	int stopping;
};

static void
scan(const struct rules *r, struct scan_job *j)
{
	claims_scan(r, j->instructions, j->text, strlen(j->text), &j->hits);
}

static void *
worker_main(void *arg)
{
	struct claim_scans *s = arg;
	pthread_mutex_lock(&s->lock);
	for (;;) {
		while (s->next < s->count && s->jobs[s->next].state != SCAN_QUEUED)
			s->next++;   /* the caller scanned it itself */
		if (s->next >= s->count && !s->stopping) {
			pthread_cond_wait(&s->queued, &s->lock);
			continue;
		}
		if (s->next >= s->count)
			break;
		size_t i = s->next++;
		s->jobs[i].state = SCAN_RUNNING;
		/* The job array may grow (move) while the lock is let go, so
		 * the scan works on a copy of the job. */
		struct scan_job j = s->jobs[i];
		pthread_mutex_unlock(&s->lock);
		scan(s->rules, &j);
		pthread_mutex_lock(&s->lock);
		s->jobs[i].hits = j.hits;
		s->jobs[i].state = SCAN_DONE;
		pthread_cond_broadcast(&s->done);
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

struct claim_scans *
claim_scans_start(const struct rules *r)
{
	struct claim_scans *s = xcalloc(1, sizeof *s);
	s->rules = r;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->queued, NULL);
	pthread_cond_init(&s->done, NULL);
	s->threaded = pthread_create(&s->thread, NULL, worker_main, s) == 0;
	return s;
}

void
claim_scans_add(struct claim_scans *s, int instructions, const char *text, size_t tag)
{
	pthread_mutex_lock(&s->lock);
	void *items = s->jobs;
	grow_array(&items, sizeof *s->jobs, &s->cap, s->count + 1);
	s->jobs = items;
	struct scan_job *j = &s->jobs[s->count];
	memset(j, 0, sizeof *j);
	j->text = text;
	j->instructions = instructions;
	j->tag = tag;
	s->count++;
	pthread_cond_signal(&s->queued);
	pthread_mutex_unlock(&s->lock);
}

size_t
claim_scans_count(struct claim_scans *s)
{
	pthread_mutex_lock(&s->lock);
	size_t n = s->count;
	pthread_mutex_unlock(&s->lock);
	return n;
}

void
claim_scans_take(struct claim_scans *s, size_t i, struct claim_hits *out, size_t *tag,
                 int *instructions)
{
	pthread_mutex_lock(&s->lock);
	*tag = s->jobs[i].tag;
	*instructions = s->jobs[i].instructions;
	if (s->jobs[i].state == SCAN_QUEUED) {
		/* Not started: scanned here (the worker steps over it). */
		s->jobs[i].state = SCAN_RUNNING;
		struct scan_job j = s->jobs[i];
		pthread_mutex_unlock(&s->lock);
		scan(s->rules, &j);
		pthread_mutex_lock(&s->lock);
		s->jobs[i].hits = j.hits;
		s->jobs[i].state = SCAN_DONE;
	}
	while (s->jobs[i].state != SCAN_DONE)
		pthread_cond_wait(&s->done, &s->lock);
	*out = s->jobs[i].hits;
	memset(&s->jobs[i].hits, 0, sizeof s->jobs[i].hits);
	pthread_mutex_unlock(&s->lock);
}

void
claim_scans_stop(struct claim_scans *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	s->stopping = 1;
	s->next = s->count;         /* what is left is not wanted */
	pthread_cond_signal(&s->queued);
	pthread_mutex_unlock(&s->lock);
	if (s->threaded)
		pthread_join(s->thread, NULL);
	for (size_t i = 0; i < s->count; i++)
		claim_hits_free(&s->jobs[i].hits);
	pthread_cond_destroy(&s->done);
	pthread_cond_destroy(&s->queued);
	pthread_mutex_destroy(&s->lock);
	free(s->jobs);
	free(s);
}
