/* op_writer_internal.h — an import's operations, written to the workspace
 * on a second thread while the parser reads on (op_writer.c).
 *
 * The parser hands over copies of its ops in batches through a short
 * queue; one thread writes them with the store's prepared insert.  The
 * workspace connection is never used by two threads at once: before the
 * import driver touches the store itself (a message, a tool call, a new
 * incident, the source's counts, the commit) it calls op_writer_sync(),
 * which returns once the writer has written everything queued and waits
 * idle.  Memory is bounded by the queue's length, not by the input. */
#ifndef ALIBI_OP_WRITER_INTERNAL_H
#define ALIBI_OP_WRITER_INTERNAL_H

#include <stdint.h>

#include "alibi/error.h"
#include "alibi/records.h"
#include "alibi/store.h"

struct op_writer;

/* A writer for st.  threaded = 0, or a SQLite built without thread
 * support, writes each op at once on the caller's thread (same results,
 * no overlap). */
struct op_writer *op_writer_start(struct store *st, int threaded);
/* Queues a copy of op for the given incident and source.  Returns 0, or
 * the error of an earlier write that failed (nothing more is written
 * after a failure). */
int op_writer_add(struct op_writer *w, int64_t incident, int64_t source,
                  const struct alibi_op *op, struct alibi_error *err);
/* Returns once every queued op is written: until the next add, the store
 * is the caller's alone.  Returns the first write error, if any. */
int op_writer_sync(struct op_writer *w, struct alibi_error *err);
/* Syncs, ends the thread and frees w (NULL is fine).  Returns as sync. */
int op_writer_stop(struct op_writer *w, struct alibi_error *err);
/* Ops written so far (for tests). */
int64_t op_writer_written(const struct op_writer *w);

#endif
