/* checkpointer.c — copies the WAL into the database on a thread of its own
 * while an import goes on writing.
 *
 * A commit in WAL mode only appends to the WAL; the pages reach the
 * database file at a checkpoint, which writes them there and syncs both
 * files.  SQLite runs it in the committing thread (every 64 MB of WAL
 * during an import, and when the connection closes), so the import waited
 * for the disk at its end: a fifth of a million-line import's time.  Here
 * a second connection to the same file runs a passive checkpoint after
 * every commit, which never blocks the writer (SQLite's WAL lets one
 * checkpointer run beside one writer and any readers), so what an import
 * committed is written out while it parses the next file or analyses, and
 * the close has only the last commit's pages left to copy. */
#include <pthread.h>
#include <stdlib.h>

#include "alibi/alloc.h"
#include "store_internal.h"

struct checkpointer {
	sqlite3 *db;                 /* its own connection */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int pending;                 /* a commit came since the last checkpoint */
	int stop;
	int64_t runs;                /* checkpoints run (for tests) */
};

static void *
checkpointer_main(void *arg)
{
	struct checkpointer *c = arg;
	pthread_mutex_lock(&c->lock);
	for (;;) {
		while (!c->pending && !c->stop)
			pthread_cond_wait(&c->wake, &c->lock);
		if (c->stop)
			break;
		c->pending = 0;
		pthread_mutex_unlock(&c->lock);
		/* Passive: copies what no reader still needs, takes no lock a
		 * writer waits for, and gives up quietly when busy; the next
		 * commit or the close copies the rest. */
		sqlite3_wal_checkpoint_v2(c->db, "main", SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		pthread_mutex_lock(&c->lock);
		c->runs++;
	}
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

/* Called by SQLite after each commit on the import's connection, in the
 * thread that committed; it replaces the connection's own automatic
 * checkpoints. */
static int
on_wal_commit(void *arg, sqlite3 *db, const char *name, int frames)
{
	(void)db;
	(void)name;
	(void)frames;
	struct checkpointer *c = arg;
	pthread_mutex_lock(&c->lock);
	c->pending = 1;
	pthread_cond_signal(&c->wake);
	pthread_mutex_unlock(&c->lock);
	return SQLITE_OK;
}

static int
open_second_connection(struct store *st, sqlite3 **db)
{
	if (sqlite3_open_v2(st->path, db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		sqlite3_close(*db);
		*db = NULL;
		return -1;
	}
	/* NORMAL, like the import's connection: the checkpoint syncs the WAL
	 * before it copies and the database after. */
	sqlite3_exec(*db, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL);
	return 0;
}

int
store_checkpointer_start(struct store *st)
{
	if (st->ckpt || st->readonly)
		return 0;
	struct checkpointer *c = xcalloc(1, sizeof *c);
	if (open_second_connection(st, &c->db)) {
		free(c);
		return -1;
	}
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->wake, NULL);
	if (pthread_create(&c->thread, NULL, checkpointer_main, c) != 0) {
		pthread_cond_destroy(&c->wake);
		pthread_mutex_destroy(&c->lock);
		sqlite3_close(c->db);
		free(c);
		return -1;   /* SQLite's own checkpoints still run */
	}
	st->ckpt = c;
	sqlite3_wal_hook(st->db, on_wal_commit, c);
	return 0;
}

int64_t
store_checkpointer_runs(struct store *st)
{
	struct checkpointer *c = st->ckpt;
	if (!c)
		return 0;
	pthread_mutex_lock(&c->lock);
	int64_t runs = c->runs;
	pthread_mutex_unlock(&c->lock);
	return runs;
}

int64_t
store_checkpointer_stop(struct store *st)
{
	struct checkpointer *c = st->ckpt;
	if (!c)
		return 0;
	sqlite3_wal_hook(st->db, NULL, NULL);   /* the hook's context goes */
	pthread_mutex_lock(&c->lock);
	c->stop = 1;
	pthread_cond_signal(&c->wake);
	pthread_mutex_unlock(&c->lock);
	pthread_join(c->thread, NULL);
	int64_t runs = c->runs;
	sqlite3_close(c->db);
	pthread_cond_destroy(&c->wake);
	pthread_mutex_destroy(&c->lock);
	free(c);
	st->ckpt = NULL;
	return runs;
}
