/* strace_feed.c — lines from the file to the parser's loop.
 *
 * Reading a line and lexing it (strace_line.c) needs no state and is most
 * of the parser's work; a second thread does it a batch of lines ahead of
 * the loop, which keeps the processes and fds (strace.c) on the caller's
 * thread.  The lines are copied into the batch, so what the lexer's spans
 * point at lives until the loop is done with the batch.  Batches are
 * reused through a queue of at most FEED_QUEUE, so memory stays the same
 * at any input size.  Without a thread the loop reads and lexes itself. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/linereader.h"
#include "strace_internal.h"

#define FEED_LINES 512
#define FEED_TEXT (64 * 1024)   /* a batch's text; a longer line gets its own */
#define FEED_QUEUE 3            /* batches between the reader and the loop */

struct fed_line {
	const char *text;        /* in the batch's text, NUL-terminated */
	size_t len;
	int64_t lineno;
	int cut;                 /* the last line, without its "\n" */
	int too_long;            /* over the reader's limit: not kept */
	struct line_lex lx;
};

struct feed_batch {
	char *text;
	size_t text_len, text_cap;
	struct fed_line lines[FEED_LINES];
	size_t count;
	struct feed_batch *next;
};

struct feed {
	FILE *fp;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t ready;        /* the loop waits for a batch */
	pthread_cond_t room;         /* the reader waits for a spare batch */
	struct feed_batch *queue, *queue_tail;
	struct feed_batch *spare;
	size_t batches;              /* allocated */
	int done;                    /* the reader has queued its last batch */
	int read_error;
};

static struct feed_batch *
take_spare(struct feed *fd)
{
	pthread_mutex_lock(&fd->lock);
	while (!fd->spare && fd->batches >= FEED_QUEUE + 1)
		pthread_cond_wait(&fd->room, &fd->lock);
	struct feed_batch *b = fd->spare;
	if (b)
		fd->spare = b->next;
	else
		fd->batches++;
	pthread_mutex_unlock(&fd->lock);
	if (!b)
		b = xcalloc(1, sizeof *b);
	b->count = 0;
	b->text_len = 0;
	b->next = NULL;
	return b;
}

static void
publish(struct feed *fd, struct feed_batch *b, int last)
{
	pthread_mutex_lock(&fd->lock);
	if (b) {
		if (fd->queue_tail)
			fd->queue_tail->next = b;
		else
			fd->queue = b;
		fd->queue_tail = b;
	}
	fd->done = last;
	pthread_cond_signal(&fd->ready);
	pthread_mutex_unlock(&fd->lock);
}

/* Room for n more bytes of text: a full batch is handed on first.  Only
 * an empty batch's text may move, since lines point into it. */
static struct feed_batch *
room_for(struct feed *fd, struct feed_batch *b, size_t n)
{
	if (b->count == FEED_LINES || (b->count && b->text_len + n > b->text_cap)) {
		publish(fd, b, 0);
		b = take_spare(fd);
	}
	if (b->text_len + n > b->text_cap) {
		size_t cap = n > FEED_TEXT ? n : FEED_TEXT;
		free(b->text);
		b->text = xmalloc(cap);
		b->text_cap = cap;
	}
	return b;
}

static void *
reader_main(void *arg)
{
	struct feed *fd = arg;
	struct linereader lr;
	struct strbuf join = STRBUF_INIT;
	const char *line;
	struct feed_batch *b = take_spare(fd);
	linereader_init(&lr, fd->fp, 0);
	while ((line = linereader_next(&lr))) {
		size_t n = lr.truncated ? 0 : lr.len;
		b = room_for(fd, b, n + 1);
		struct fed_line *fl = &b->lines[b->count++];
		fl->lineno = lr.lineno;
		fl->cut = lr.missing_newline;
		fl->too_long = lr.truncated;
		fl->len = n;
		fl->text = b->text + b->text_len;
		memcpy(b->text + b->text_len, line, n);
		b->text[b->text_len + n] = '\0';
		b->text_len += n + 1;
		if (!fl->too_long)
			strace_lex_line(fl->text, fl->len, &fl->lx, &join);
	}
	int failed = ferror(fd->fp);
	linereader_free(&lr);
	sb_free(&join);
	pthread_mutex_lock(&fd->lock);
	fd->read_error = failed;
	pthread_mutex_unlock(&fd->lock);
	publish(fd, b, 1);
	return NULL;
}

/* The next batch in file order, or NULL after the last. */
static struct feed_batch *
next_batch(struct feed *fd)
{
	pthread_mutex_lock(&fd->lock);
	while (!fd->queue && !fd->done)
		pthread_cond_wait(&fd->ready, &fd->lock);
	struct feed_batch *b = fd->queue;
	if (b) {
		fd->queue = b->next;
		if (!fd->queue)
			fd->queue_tail = NULL;
	}
	pthread_mutex_unlock(&fd->lock);
	return b;
}

static void
give_back(struct feed *fd, struct feed_batch *b)
{
	pthread_mutex_lock(&fd->lock);
	b->next = fd->spare;
	fd->spare = b;
	pthread_cond_signal(&fd->room);
	pthread_mutex_unlock(&fd->lock);
}

static void
take_batch(struct strace_parser *sp, struct feed_batch *b)
{
	for (size_t i = 0; i < b->count; i++) {
		struct fed_line *fl = &b->lines[i];
		if (fl->too_long) {
			strace_bad(sp, fl->lineno, "line too long");
			continue;
		}
		/* A call read from the reader's scratch is read again here. */
		int again = fl->lx.what == LX_LINE && fl->lx.joined;
		strace_take_line(sp, fl->text, fl->len, fl->lineno, fl->cut, again ? NULL : &fl->lx);
	}
}

static void
free_batches(struct feed_batch *b)
{
	while (b) {
		struct feed_batch *next = b->next;
		free(b->text);
		free(b);
		b = next;
	}
}

/* Both on the caller's thread, as the parser did before it had a feed. */
static int
feed_unthreaded(struct strace_parser *sp, FILE *fp)
{
	struct linereader lr;
	const char *line;
	linereader_init(&lr, fp, 0);
	while ((line = linereader_next(&lr))) {
		if (lr.truncated)
			strace_bad(sp, lr.lineno, "line too long");
		else
			strace_take_line(sp, line, lr.len, lr.lineno, lr.missing_newline, NULL);
	}
	linereader_free(&lr);
	return ferror(fp);
}

int
strace_feed(struct strace_parser *sp, FILE *fp, int threaded)
{
	if (!threaded)
		return feed_unthreaded(sp, fp);
	struct feed *fd = xcalloc(1, sizeof *fd);
	fd->fp = fp;
	pthread_mutex_init(&fd->lock, NULL);
	pthread_cond_init(&fd->ready, NULL);
	pthread_cond_init(&fd->room, NULL);
	int failed;
	if (pthread_create(&fd->thread, NULL, reader_main, fd) != 0) {
		failed = feed_unthreaded(sp, fp);
	} else {
		struct feed_batch *b;
		while ((b = next_batch(fd))) {
			take_batch(sp, b);
			give_back(fd, b);
		}
		pthread_join(fd->thread, NULL);
		failed = fd->read_error;
	}
	free_batches(fd->spare);
	pthread_cond_destroy(&fd->room);
	pthread_cond_destroy(&fd->ready);
	pthread_mutex_destroy(&fd->lock);
	free(fd);
	return failed;
}
