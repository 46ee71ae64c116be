/* strace_feed.c — lines from the file to the parser's loop.
 *
 * Reading a line and lexing it (strace_line.c) needs no state and is most
 * of the parser's work; a second thread does it a batch of lines ahead of
 * the loop, which keeps the processes and fds (strace.c) on the caller's
 * thread.  The file is read into the batches, so what the lexer's spans
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
#define FEED_TEXT (64 * 1024)   /* a batch's text; a longer line gets more */
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
	char *text;              /* the file's bytes, cut into lines */
	size_t text_len, text_cap;  /* read, allocated (one more than is read into) */
	struct fed_line lines[FEED_LINES];
	size_t count;
	struct feed_batch *next;
};

struct feed {
	FILE *fp;
	const struct strace_parser *sp;  /* its syscall table, for the lexer */
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

/* ---- splitting the file into lines, in the batches themselves ----
 *
 * The file is read straight into a batch's text and cut into lines where
 * it lies: a line's "\n" (or the "\r" before it) becomes its NUL.  Only
 * a line still incomplete when a batch is handed on is copied, to the
 * next batch.  Lines are cut as the line reader (alibi/linereader.h) cuts
 * them: a "\r\n" ending loses its "\r", the last line may lack its "\n",
 * and a line over the reader's limit is dropped and reported. */

struct splitter {
	struct feed *fd;
	struct feed_batch *b;
	size_t start;            /* where the line being read begins in b->text */
	size_t scan;             /* b->text is searched up to here */
	int skipping;            /* the line is over the limit: its bytes are dropped */
	int64_t lineno;
	struct strbuf join;      /* the lexer's scratch */
};

/* At least need bytes of text in b, which holds no lines yet. */
static void
text_room(struct feed_batch *b, size_t need)
{
	if (b->text_cap >= need)
		return;
	b->text = xrealloc(b->text, need);
	b->text_cap = need;
}

/* Hands the batch on; the line it has begun goes to a fresh one. */
static void
hand_on(struct splitter *sl)
{
	struct feed_batch *old = sl->b, *b = take_spare(sl->fd);
	size_t tail = old->text_len - sl->start;
	text_room(b, tail + 1 > FEED_TEXT + 1 ? tail + 1 : FEED_TEXT + 1);
	memcpy(b->text, old->text + sl->start, tail);
	b->text_len = tail;
	sl->scan -= sl->start;
	sl->start = 0;
	sl->b = b;
	publish(sl->fd, old, 0);
}

/* The line from sl->start ends at end (its "\n", or the end of the file
 * when cut): it becomes the batch's next line, lexed. */
static void
end_line(struct splitter *sl, size_t end, int cut)
{
	static const char nothing[] = "";
	struct feed_batch *b = sl->b;
	struct fed_line *fl = &b->lines[b->count++];
	size_t n = end - sl->start;
	if (!cut && n && b->text[end - 1] == '\r')
		n--;
	fl->lineno = ++sl->lineno;
	fl->cut = cut;
	fl->too_long = sl->skipping || n > LINEREADER_DEFAULT_LIMIT;
	if (fl->too_long) {
		fl->text = nothing;
		fl->len = 0;
	} else {
		/* With its terminating NUL in place, the line holds a NUL byte
		 * of its own exactly when strlen() stops short of n. */
		b->text[sl->start + n] = '\0';
		fl->text = b->text + sl->start;
		fl->len = n;
		strace_lex_line(sl->fd->sp, fl->text, n, strlen(fl->text) != n, &fl->lx, &sl->join);
	}
	sl->start = sl->scan = end + 1;
	sl->skipping = 0;
	if (b->count == FEED_LINES)
		hand_on(sl);
}

/* Reads more of the file into the batch, making room first: a full batch
 * is handed on, a line that fills one alone gets a larger one, and past
 * the limit its bytes are dropped.  Returns 0 at the end of the file. */
static int
fill(struct splitter *sl)
{
	struct feed_batch *b = sl->b;
	if (sl->skipping)
		b->text_len = sl->scan = sl->start;
	while (b->text_len + 1 >= b->text_cap) {
		/* Holding limit + 2 bytes without a "\n", a line is over the
		 * limit even if its last byte is the "\r" of a "\r\n". */
		size_t most = (size_t)LINEREADER_DEFAULT_LIMIT + 3;
		if (sl->start > 0) {
			hand_on(sl);
		} else if (b->text_cap < most) {
			text_room(b, b->text_cap * 2 < most ? b->text_cap * 2 : most);
		} else {
			sl->skipping = 1;
			b->text_len = sl->scan = sl->start;
		}
		b = sl->b;
	}
	size_t got = fread(b->text + b->text_len, 1, b->text_cap - 1 - b->text_len, sl->fd->fp);
	b->text_len += got;
	return got > 0;
}

static void *
reader_main(void *arg)
{
	struct feed *fd = arg;
	struct splitter sl = { .fd = fd, .b = take_spare(fd), .join = STRBUF_INIT };
	text_room(sl.b, FEED_TEXT + 1);
	for (;;) {
		struct feed_batch *b = sl.b;
		const char *nl = memchr(b->text + sl.scan, '\n', b->text_len - sl.scan);
		if (nl) {
			end_line(&sl, (size_t)(nl - b->text), 0);
		} else {
			sl.scan = b->text_len;
			if (!fill(&sl))
				break;
		}
	}
	if (sl.skipping || sl.start < sl.b->text_len)
		end_line(&sl, sl.b->text_len, 1);
	int failed = ferror(fd->fp);
	sb_free(&sl.join);
	pthread_mutex_lock(&fd->lock);
	fd->read_error = failed;
	pthread_mutex_unlock(&fd->lock);
	publish(fd, sl.b, 1);
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
	fd->sp = sp;
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
