/* store_internal.h — what the files of src/store/ share.  Nothing outside
 * src/store/ includes this: other modules see only alibi/store.h (and the
 * other store headers), so every statement stays in this folder. */
#ifndef ALIBI_STORE_INTERNAL_H
#define ALIBI_STORE_INTERNAL_H

#include <sqlite3.h>
#include "alibi/error.h"
#include "alibi/store.h"

/* Prepared statements are cached by their SQL text's address, so each
 * call site writes `store_stmt(st, SQL_CONSTANT, err)` and the statement
 * is prepared once per connection and reset before reuse. */
#define STORE_STMT_CACHE 128

struct store_stmt_slot {
	const char *sql;
	sqlite3_stmt *stmt;
};

struct store {
	sqlite3 *db;
	char *path;
	int readonly;
	int in_transaction;
	int reading;                /* views_read_begin() opened a transaction */
	struct checkpointer *ckpt;  /* checkpoints on a thread, or NULL */
	struct store_stmt_slot cache[STORE_STMT_CACHE];
	size_t cache_used;
	/* Next seq numbers for the incident last written to, so bulk inserts
	 * do not ask for max(seq) per row. */
	int64_t seq_incident;
	int64_t next_message_seq;
	int64_t next_op_seq;
};

/* The cached statement for sql (a string literal or other static text),
 * reset and with bindings cleared; NULL with err set on failure. */
sqlite3_stmt *store_stmt(struct store *st, const char *sql,
                         struct alibi_error *err);
/* Fills err from the connection's last error, with what was being done. */
int store_db_error(struct store *st, struct alibi_error *err,
                   const char *doing);
/* Binds text or NULL. */
void store_bind_text(sqlite3_stmt *s, int col, const char *text);
void store_bind_ts(sqlite3_stmt *s, int col, int64_t ts);
/* Column text or NULL. */
const char *store_col_text(sqlite3_stmt *s, int col);
/* Steps a statement that returns no rows. */
int store_exec_stmt(struct store *st, sqlite3_stmt *s, struct alibi_error *err,
                    const char *doing);
/* checkpointer.c: checkpoints after every commit on a thread with a
 * connection of its own, instead of in the committing thread.  Start
 * returns -1 (SQLite's own checkpoints go on) when it cannot; stop waits
 * for a checkpoint in progress and returns how many ran. */
int store_checkpointer_start(struct store *st);
int64_t store_checkpointer_runs(struct store *st);
int64_t store_checkpointer_stop(struct store *st);
/* "epoch" -> ALIBI_CLOCK_EPOCH; unknown names -> ALIBI_CLOCK_NONE. */
enum alibi_clock store_clock_from_name(const char *name);
/* The SQL expression for an op's time on the incident's clock, given the
 * aliases o (ops), s (sources) and i (incidents). */
#define STORE_ALIGNED_TS \
	"(o.ts + CASE WHEN s.clock IN ('time-of-day', 'relative')" \
	" THEN i.clock_offset_us ELSE 0 END)"

#endif
