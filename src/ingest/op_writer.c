/* op_writer.c — ops written on a second thread (op_writer_internal.h).
 *
 * A strace log of a million lines yields tens of thousands of ops, and
 * SQLite's insert of one costs about as much as parsing a few dozen
 * lines; on a machine with two cores the two can overlap.  The parser
 * fills a batch (ops plus their strings, copied into one buffer), hands it
 * to the writer through a queue of at most WRITER_QUEUE batches and takes
 * a free one; the writer inserts whole batches.  Batches are reused, so
 * the writer's memory stays the same at any input size. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/strbuf.h"
#include "op_writer_internal.h"

#define BATCH_OPS 256
#define BATCH_TEXT (192 * 1024)  /* a batch is handed over once its strings pass this */
#define WRITER_QUEUE 3           /* batches queued or being written */

/* The string fields of struct alibi_op, kept as offsets into the batch's
 * text while the batch is filled (the buffer may move as it grows). */
enum op_text { T_SYSCALL, T_PATH, T_PATH2, T_HOST, T_ERR_NAME, T_DETAIL, T_RAW, T__COUNT };
#define NO_TEXT SIZE_MAX

struct op_batch {
	int64_t incident, source;
	size_t count;
	struct alibi_op ops[BATCH_OPS];
	size_t text_at[BATCH_OPS][T__COUNT];
	struct strbuf text;
	struct op_batch *next;
};

struct op_writer {
	struct store *st;
	int threaded;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t work;           /* the writer waits for a batch or the stop */
	pthread_cond_t done;           /* the parser waits for a free batch or the end */
	struct op_batch *queue, *queue_tail;  /* full batches, oldest first */
	struct op_batch *spare;        /* written batches, for reuse */
	size_t in_flight;              /* queued plus the one being written */
	int stopping;
	int failed;                    /* a write failed: err says what */
	struct alibi_error err;
	int64_t written;
	/* the parser's side: touched by the parser only */
	struct op_batch *filling;
	int saw_failure;
	struct alibi_error seen;
};

static const char **
op_text_field(struct alibi_op *op, enum op_text t)
{
	switch (t) {
	case T_SYSCALL: return &op->syscall;
	case T_PATH: return &op->path;
	case T_PATH2: return &op->path2;
	case T_HOST: return &op->host;
	case T_ERR_NAME: return &op->err_name;
	case T_DETAIL: return &op->detail;
	default: return &op->raw;
	}
}

static int
write_batch(struct op_writer *w, struct op_batch *b, struct alibi_error *err)
{
	for (size_t i = 0; i < b->count; i++) {
		struct alibi_op *op = &b->ops[i];
		for (int t = 0; t < T__COUNT; t++)
			*op_text_field(op, (enum op_text)t) =
				b->text_at[i][t] == NO_TEXT ? NULL : b->text.buf + b->text_at[i][t];
		if (store_add_op(w->st, b->incident, b->source, op, NULL, err))
			return err->code;
	}
	return 0;
}

/* Records how writing b went; the caller holds the lock. */
static void
note_written(struct op_writer *w, const struct op_batch *b, int rc,
             const struct alibi_error *err)
{
	if (rc && !w->failed) {
		w->failed = 1;
		w->err = *err;
	}
	if (!rc)
		w->written += (int64_t)b->count;
}

static void *
writer_main(void *arg)
{
	struct op_writer *w = arg;
	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->queue && !w->stopping)
			pthread_cond_wait(&w->work, &w->lock);
		struct op_batch *b = w->queue;
		if (!b)
			break;
		w->queue = b->next;
		if (!w->queue)
			w->queue_tail = NULL;
		int skip = w->failed;
		pthread_mutex_unlock(&w->lock);
		struct alibi_error err = { 0 };
		int rc = skip ? 0 : write_batch(w, b, &err);
		pthread_mutex_lock(&w->lock);
		if (!skip)
			note_written(w, b, rc, &err);
		b->next = w->spare;
		w->spare = b;
		w->in_flight--;
		pthread_cond_broadcast(&w->done);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

struct op_writer *
op_writer_start(struct store *st, int threaded)
{
	struct op_writer *w = xcalloc(1, sizeof *w);
	w->st = st;
	if (!threaded || !store_thread_safe())
		return w;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->work, NULL);
	pthread_cond_init(&w->done, NULL);
	if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
		pthread_cond_destroy(&w->done);
		pthread_cond_destroy(&w->work);
		pthread_mutex_destroy(&w->lock);
		return w;   /* no thread: ops are written as they come */
	}
	w->threaded = 1;
	return w;
}

/* Under the lock: what the writer found, for the parser to see. */
static void
take_failure(struct op_writer *w)
{
	if (w->failed && !w->saw_failure) {
		w->saw_failure = 1;
		w->seen = w->err;
	}
}

static void
hand_over(struct op_writer *w)
{
	struct op_batch *b = w->filling;
	w->filling = NULL;
	if (!b)
		return;
	pthread_mutex_lock(&w->lock);
	if (b->count) {
		b->next = NULL;
		if (w->queue_tail)
			w->queue_tail->next = b;
		else
			w->queue = b;
		w->queue_tail = b;
		w->in_flight++;
		pthread_cond_signal(&w->work);
	} else {
		b->next = w->spare;
		w->spare = b;
	}
	take_failure(w);
	pthread_mutex_unlock(&w->lock);
}

/* A batch to fill: a written one, or a new one while few exist. */
static struct op_batch *
take_batch(struct op_writer *w)
{
	pthread_mutex_lock(&w->lock);
	while (!w->spare && w->in_flight >= WRITER_QUEUE)
		pthread_cond_wait(&w->done, &w->lock);
	struct op_batch *b = w->spare;
	if (b)
		w->spare = b->next;
	take_failure(w);
	pthread_mutex_unlock(&w->lock);
	if (!b)
		b = xcalloc(1, sizeof *b);
	b->count = 0;
	b->next = NULL;
	sb_reset(&b->text);
	return b;
}

static void
copy_op(struct op_batch *b, const struct alibi_op *op)
{
	size_t i = b->count++;
	b->ops[i] = *op;
	for (int t = 0; t < T__COUNT; t++) {
		const char *s = *op_text_field(&b->ops[i], (enum op_text)t);
		if (!s) {
			b->text_at[i][t] = NO_TEXT;
			continue;
		}
		b->text_at[i][t] = b->text.len;
		sb_add(&b->text, s, strlen(s) + 1);  /* with its NUL */
	}
}

int
op_writer_add(struct op_writer *w, int64_t incident, int64_t source,
              const struct alibi_op *op, struct alibi_error *err)
{
	if (!w->threaded) {
		if (w->saw_failure)
			return alibi_error_set(err, w->seen.code, "%s", w->seen.msg);
		if (store_add_op(w->st, incident, source, op, NULL, &w->seen)) {
			w->saw_failure = 1;
			return alibi_error_set(err, w->seen.code, "%s", w->seen.msg);
		}
		w->written++;
		return 0;
	}
	struct op_batch *b = w->filling;
	if (b && (b->incident != incident || b->source != source || b->count == BATCH_OPS ||
	          b->text.len >= BATCH_TEXT)) {
		hand_over(w);
		b = NULL;
	}
	if (w->saw_failure)
		return alibi_error_set(err, w->seen.code, "%s", w->seen.msg);
	if (!b) {
		b = w->filling = take_batch(w);
		b->incident = incident;
		b->source = source;
	}
	copy_op(b, op);
	return 0;
}

/* With the writer idle, the batch being filled is written here: a
 * transcript syncs after every few derived ops, and handing each batch
 * over would cost two thread switches per tool call. */
static void
write_filling_here(struct op_writer *w)
{
	struct op_batch *b = w->filling;
	if (!b || !b->count)
		return;
	pthread_mutex_lock(&w->lock);
	int idle = w->in_flight == 0 && !w->failed;
	pthread_mutex_unlock(&w->lock);
	if (!idle)
		return;
	struct alibi_error err = { 0 };
	int rc = write_batch(w, b, &err);
	pthread_mutex_lock(&w->lock);
	note_written(w, b, rc, &err);
	pthread_mutex_unlock(&w->lock);
	b->count = 0;
	sb_reset(&b->text);
}

int
op_writer_sync(struct op_writer *w, struct alibi_error *err)
{
	if (w->threaded) {
		write_filling_here(w);
		hand_over(w);
		pthread_mutex_lock(&w->lock);
		while (w->in_flight)
			pthread_cond_wait(&w->done, &w->lock);
		take_failure(w);
		pthread_mutex_unlock(&w->lock);
	}
	if (w->saw_failure)
		return alibi_error_set(err, w->seen.code, "%s", w->seen.msg);
	return 0;
}

static void
free_batches(struct op_batch *b)
{
	while (b) {
		struct op_batch *next = b->next;
		sb_free(&b->text);
		free(b);
		b = next;
	}
}

int
op_writer_stop(struct op_writer *w, struct alibi_error *err)
{
	if (!w)
		return 0;
	int rc = op_writer_sync(w, err);
	if (w->threaded) {
		pthread_mutex_lock(&w->lock);
		w->stopping = 1;
		pthread_cond_signal(&w->work);
		pthread_mutex_unlock(&w->lock);
		pthread_join(w->thread, NULL);
		pthread_cond_destroy(&w->done);
		pthread_cond_destroy(&w->work);
		pthread_mutex_destroy(&w->lock);
		free_batches(w->spare);
	}
	free(w);
	return rc;
}

int64_t
op_writer_written(const struct op_writer *w)
{
	return w->written;
}
