/* claim_scans.c — the claims of messages, found on another thread than
 * the one that wants them.
 *
 * Matching every claim rule against every message is most of an
 * analysis's work on a long transcript, and it needs nothing but the
 * text and the rules (which are only read).  So texts are queued and a
 * worker scans them in order, while the caller goes on; the caller then
 * takes the results, scanning itself whatever the worker has not
 * started, so the two finish together.  The results are those of
 * scanning each text on the spot.
 *
 * Two callers use it.  Analysis queues each message's text as it streams
 * by and reads the ops meanwhile (claim_scans_start).  An import queues
 * each message as it is stored, long before the action logs after it are
 * read and the incident analysed (claim_scans_new, claim_scans_work on
 * the caller's thread); analysis then finds the message there by its row
 * and a digest of its text, and takes the claims instead of scanning. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "analyze_internal.h"

enum scan_state { SCAN_QUEUED, SCAN_RUNNING, SCAN_DONE };

/* One text to scan; an import queues tens of thousands of them (one per
 * message) and keeps them until analysis, so it is kept small. */
struct scan_job {
	const char *text;           /* until scanned: the caller's, or a copy */
	int64_t message;            /* the message's row, for claim_scans_find */
	uint64_t digest;            /* of the text and what it is scanned for */
	struct claim_hits hits;
	uint8_t instructions;
	uint8_t owned;              /* text is the queue's copy */
	uint8_t found;              /* claim_scans_find gave it out */
	uint8_t state;              /* enum scan_state */
};

struct claim_scans {
	const struct rules *rules;  /* the worker's, once it has them */
	int threaded;               /* claim_scans_start made the thread */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t queued;      /* the worker waits for a job or the stop */
	pthread_cond_t done;        /* the caller waits for a job the worker runs */
	struct scan_job *jobs;
	size_t count, cap;
	size_t next;                /* the first job nobody has started */
	size_t taken;               /* jobs claim_scans_take gave the hits of */
	int stopping;
	/* the jobs by message row (claim_scans_add_message), open addressing:
	 * job index + 1, 0 for an empty slot */
	uint32_t *by_message;
	size_t slots;
};

static uint64_t
text_digest(int instructions, const char *text)
{
	uint64_t h = 14695981039346656037u ^ (uint64_t)(instructions != 0);   /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		h = (h ^ *p) * 1099511628211u;
	return h;
}

static size_t
slot_of(const struct claim_scans *s, int64_t message)
{
	uint64_t h = (uint64_t)message * 11400714819323198485u;   /* Fibonacci hashing */
	size_t j = (size_t)(h >> 32) & (s->slots - 1);
	while (s->by_message[j] && s->jobs[s->by_message[j] - 1].message != message)
		j = (j + 1) & (s->slots - 1);
	return j;
}

/* Files job i under its message row; a row filed again (a file whose
 * transaction was rolled back gave its rows to the next) points to the
 * newer job. */
static void
file_by_message(struct claim_scans *s, size_t i)
{
	if ((s->count + 1) * 2 > s->slots) {
		uint32_t *old = s->by_message;
		size_t old_slots = s->slots;
		s->slots = s->slots ? s->slots * 2 : 64;
		s->by_message = xcalloc(s->slots, sizeof *s->by_message);
		for (size_t k = 0; k < old_slots; k++)
			if (old[k])
				s->by_message[slot_of(s, s->jobs[old[k] - 1].message)] = old[k];
		free(old);
	}
	s->by_message[slot_of(s, s->jobs[i].message)] = (uint32_t)(i + 1);
}

static void
scan(const struct rules *r, struct scan_job *j)
{
	claims_scan(r, j->instructions, j->text, strlen(j->text), &j->hits);
	if (j->owned)               /* the hits keep offsets, not the text */
		free((char *)j->text);
	j->owned = 0;
	j->text = NULL;
}

/* Puts the outcome of scanning copy back into job (under the lock: only
 * what the scan changed, as find() may have marked the job meanwhile). */
static void
scanned(struct scan_job *job, const struct scan_job *copy)
{
	job->hits = copy->hits;
	job->text = copy->text;
	job->owned = copy->owned;
	job->state = SCAN_DONE;
}

struct claim_scans *
claim_scans_new(void)
{
	struct claim_scans *s = xcalloc(1, sizeof *s);
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->queued, NULL);
	pthread_cond_init(&s->done, NULL);
	return s;
}

void
claim_scans_work(struct claim_scans *s, const struct rules *r)
{
	pthread_mutex_lock(&s->lock);
	s->rules = r;
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
		scan(r, &j);
		pthread_mutex_lock(&s->lock);
		scanned(&s->jobs[i], &j);
		pthread_cond_broadcast(&s->done);
	}
	pthread_mutex_unlock(&s->lock);
}

static void *
worker_main(void *arg)
{
	struct claim_scans *s = arg;
	claim_scans_work(s, s->rules);
	return NULL;
}

struct claim_scans *
claim_scans_start(const struct rules *r)
{
	struct claim_scans *s = claim_scans_new();
	s->rules = r;
	s->threaded = pthread_create(&s->thread, NULL, worker_main, s) == 0;
	return s;
}

static struct scan_job *
queue_job(struct claim_scans *s, int instructions, const char *text)
{
	void *items = s->jobs;
	grow_array(&items, sizeof *s->jobs, &s->cap, s->count + 1);
	s->jobs = items;
	struct scan_job *j = &s->jobs[s->count++];
	memset(j, 0, sizeof *j);
	j->text = text;
	j->instructions = instructions != 0;
	j->state = SCAN_QUEUED;
	return j;
}

void
claim_scans_add(struct claim_scans *s, int instructions, const char *text)
{
	pthread_mutex_lock(&s->lock);
	queue_job(s, instructions, text);
	pthread_cond_signal(&s->queued);
	pthread_mutex_unlock(&s->lock);
}

void
claim_scans_add_message(struct claim_scans *s, int64_t message, const struct alibi_message *m)
{
	int instructions = claim_scan_kind(m->role);
	if (instructions < 0 || !m->text || message <= 0)
		return;
	uint64_t digest = text_digest(instructions, m->text);
	char *copy = xstrdup(m->text);
	pthread_mutex_lock(&s->lock);
	if (s->stopping) {          /* nobody will scan it */
		pthread_mutex_unlock(&s->lock);
		free(copy);
		return;
	}
	struct scan_job *j = queue_job(s, instructions, copy);
	j->owned = 1;
	j->message = message;
	j->digest = digest;
	file_by_message(s, s->count - 1);
	pthread_cond_signal(&s->queued);
	pthread_mutex_unlock(&s->lock);
}

size_t
claim_scans_find(struct claim_scans *s, const struct rules *r, int64_t message,
                 int instructions, const char *text)
{
	size_t found = CLAIM_SCANS_NONE;
	uint64_t digest = text_digest(instructions, text);
	pthread_mutex_lock(&s->lock);
	if (s->slots && s->rules == r) {
		size_t k = s->by_message[slot_of(s, message)];
		struct scan_job *j = k ? &s->jobs[k - 1] : NULL;
		/* given out once: a second analysis in the same run scans anew */
		if (j && !j->found && j->digest == digest && j->instructions == (instructions != 0)) {
			j->found = 1;
			found = k - 1;
		}
	}
	pthread_mutex_unlock(&s->lock);
	return found;
}

void
claim_scans_take(struct claim_scans *s, const struct rules *r, size_t i,
                 struct claim_hits *out, int *instructions)
{
	pthread_mutex_lock(&s->lock);
	*instructions = s->jobs[i].instructions;
	if (s->jobs[i].state == SCAN_QUEUED) {
		/* Not started: scanned here (the worker steps over it). */
		s->jobs[i].state = SCAN_RUNNING;
		struct scan_job j = s->jobs[i];
		pthread_mutex_unlock(&s->lock);
		scan(r, &j);
		pthread_mutex_lock(&s->lock);
		scanned(&s->jobs[i], &j);
	}
	while (s->jobs[i].state != SCAN_DONE)
		pthread_cond_wait(&s->done, &s->lock);
	*out = s->jobs[i].hits;
	memset(&s->jobs[i].hits, 0, sizeof s->jobs[i].hits);
	s->taken++;
	pthread_mutex_unlock(&s->lock);
}

void
claim_scans_forget_taken(struct claim_scans *s)
{
	pthread_mutex_lock(&s->lock);
	if (s->taken == s->count) {   /* so none is running either */
		for (size_t i = 0; i < s->count; i++)
			claim_hits_free(&s->jobs[i].hits);   /* empty once taken */
		free(s->jobs);
		free(s->by_message);
		s->jobs = NULL;
		s->by_message = NULL;
		s->count = s->cap = s->next = s->taken = s->slots = 0;
	}
	pthread_mutex_unlock(&s->lock);
}

void
claim_scans_finish(struct claim_scans *s)
{
	pthread_mutex_lock(&s->lock);
	s->stopping = 1;
	s->next = s->count;         /* what is left is not wanted */
	pthread_cond_broadcast(&s->queued);
	pthread_mutex_unlock(&s->lock);
}

void
claim_scans_free(struct claim_scans *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->count; i++) {
		claim_hits_free(&s->jobs[i].hits);
		if (s->jobs[i].owned)
			free((char *)s->jobs[i].text);
	}
	pthread_cond_destroy(&s->done);
	pthread_cond_destroy(&s->queued);
	pthread_mutex_destroy(&s->lock);
	free(s->by_message);
	free(s->jobs);
	free(s);
}

void
claim_scans_stop(struct claim_scans *s)
{
	if (!s)
		return;
	claim_scans_finish(s);
	if (s->threaded)
		pthread_join(s->thread, NULL);
	claim_scans_free(s);
}
