/* views_did.c — the DID pane's queries (alibi/views.h).
 *
 * The pane merges the ops of every source on the incident's clock.
 * Within one source the clock offset is a constant, so each source is
 * paged on its own index (source, time) and the pages are merged here;
 * every page stays an index range scan however many ops there are. */
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/views.h"
#include "store_internal.h"
#include "views_internal.h"

#define OP_COLS \
	"SELECT o.id, " OP_KEY ", o.tool_call, o.line, o.pid, o.op, o.syscall," \
	" o.path, o.path2, o.host, o.detail, o.err_name, o.port, o.bytes, o.ok," \
	" o.derived"
/* A page also says when each op's tool call ended (an op after it is a
 * process the call left running); a scan of every op does without that
 * lookup per row. */
#define CALL_END ", (SELECT t.ended FROM tool_calls t WHERE t.id = o.tool_call)"
/* A keyset step is two index ranges: the rest of the key's own time (by
 * id), then the times after it.  SQLite does not turn a row-value
 * comparison on an expression index into a range, and a single
 * "time >= ? AND (time > ? OR id > ?)" would walk every op sharing that
 * time (all of them, in a log without times). */
#define SAME_FWD " FROM ops o WHERE o.source = ?1 AND " OP_KEY " = ?2 AND o.id > ?3" \
	" ORDER BY o.id LIMIT ?4"
#define SAME_BACK " FROM ops o WHERE o.source = ?1 AND " OP_KEY " = ?2 AND o.id < ?3" \
	" ORDER BY o.id DESC LIMIT ?4"
#define AFTER_FWD " FROM ops o WHERE o.source = ?1 AND " OP_KEY " > ?2" \
	" ORDER BY " OP_KEY ", o.id LIMIT ?3"
#define AFTER_BACK " FROM ops o WHERE o.source = ?1 AND " OP_KEY " < ?2" \
	" ORDER BY " OP_KEY " DESC, o.id DESC LIMIT ?3"
static const char SQL_OPS_SAME_FWD[] = OP_COLS CALL_END SAME_FWD;
static const char SQL_OPS_SAME_BACK[] = OP_COLS CALL_END SAME_BACK;
static const char SQL_OPS_FWD[] = OP_COLS CALL_END AFTER_FWD;
static const char SQL_OPS_BACK[] = OP_COLS CALL_END AFTER_BACK;
static const char SQL_SCAN_SAME_FWD[] = OP_COLS SAME_FWD;
static const char SQL_SCAN_SAME_BACK[] = OP_COLS SAME_BACK;
static const char SQL_SCAN_FWD[] = OP_COLS AFTER_FWD;
static const char SQL_SCAN_BACK[] = OP_COLS AFTER_BACK;

static int64_t
sat_add(int64_t a, int64_t b)
{
	if (b > 0 && a > INT64_MAX - b)
		return INT64_MAX;
	if (b < 0 && a < INT64_MIN - b)
		return INT64_MIN;
	return a + b;
}

static int64_t
aligned(int64_t k, int64_t offset)
{
	return k == VIEWS_TS_UNKNOWN ? k : sat_add(k, offset);
}

static void
op_row(sqlite3_stmt *s, const struct views_source *src, struct views_op_row *r)
{
	memset(r, 0, sizeof *r);
	r->key.id = sqlite3_column_int64(s, 0);
	r->key.t = aligned(sqlite3_column_int64(s, 1), src->offset_us);
	r->source = src->id;
	r->tool_call = sqlite3_column_int64(s, 2);
	r->line = sqlite3_column_int64(s, 3);
	r->pid = (int32_t)sqlite3_column_int(s, 4);
	r->op = views_col_dup(s, 5);
	r->syscall = views_col_dup(s, 6);
	r->path = views_col_dup(s, 7);
	r->path2 = views_col_dup(s, 8);
	r->host = views_col_dup(s, 9);
	r->detail = views_col_dup(s, 10);
	r->err_name = views_col_dup(s, 11);
	r->port = sqlite3_column_type(s, 12) == SQLITE_NULL ? -1 : sqlite3_column_int(s, 12);
	r->bytes = sqlite3_column_type(s, 13) == SQLITE_NULL ? -1 : sqlite3_column_int64(s, 13);
	r->ok = sqlite3_column_int(s, 14);
	r->derived = sqlite3_column_int(s, 15);
	if (r->tool_call && !r->derived && sqlite3_column_type(s, 16) != SQLITE_NULL)
		r->after_call = alibi_op_after_call(r->key.t, sqlite3_column_int64(s, 16));
}

static int
key_cmp(const struct views_did_key *a, const struct views_did_key *b)
{
	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	if (a->id != b->id)
		return a->id < b->id ? -1 : 1;
	return 0;
}

/* The key bound within one source for a bound on the incident's clock. */
static void
source_bound(const struct views_did_key *key, int forward,
             const struct views_source *src, int64_t *t, int64_t *id)
{
	if (!key) {
		*t = forward ? INT64_MIN : INT64_MAX;
		*id = forward ? INT64_MIN : INT64_MAX;
		return;
	}
	*t = key->t == VIEWS_TS_UNKNOWN ? key->t : sat_add(key->t, -src->offset_us);
	*id = key->id;
}

/* Steps one statement (bound but for its last parameter, the limit) into
 * rows[*n..max). */
static int
step_ops(struct store *st, sqlite3_stmt *s, int limit_col,
         const struct views_source *src, struct views_op_row *rows,
         size_t max, size_t *n, struct alibi_error *err)
{
	sqlite3_bind_int64(s, limit_col, (sqlite3_int64)(max - *n));
	int rc = SQLITE_DONE;
	while (*n < max && (rc = sqlite3_step(s)) == SQLITE_ROW)
		op_row(s, src, &rows[(*n)++]);
	sqlite3_reset(s);
	if (*n < max && rc != SQLITE_DONE)
		return store_db_error(st, err, "reading operations");
	return 0;
}

static int
fetch_source_ops(struct store *st, const struct views_source *src,
                 const struct views_did_key *key, int forward,
                 struct views_op_row *rows, size_t max, size_t *n,
                 struct alibi_error *err)
{
	*n = 0;
	int64_t t, id;
	source_bound(key, forward, src, &t, &id);
	sqlite3_stmt *s;
	if (key) {
		s = store_stmt(st, forward ? SQL_OPS_SAME_FWD : SQL_OPS_SAME_BACK, err);
		if (!s)
			return err->code;
		sqlite3_bind_int64(s, 1, src->id);
		sqlite3_bind_int64(s, 2, t);
		sqlite3_bind_int64(s, 3, id);
		if (step_ops(st, s, 4, src, rows, max, n, err))
			goto failed;
	}
	if (*n < max) {
		s = store_stmt(st, forward ? SQL_OPS_FWD : SQL_OPS_BACK, err);
		if (!s)
			goto failed;
		sqlite3_bind_int64(s, 1, src->id);
		sqlite3_bind_int64(s, 2, t);
		if (step_ops(st, s, 3, src, rows, max, n, err))
			goto failed;
	}
	return 0;
failed:
	views_op_rows_free(rows, *n);
	*n = 0;
	return err->code;
}

int
views_did_fetch(struct store *st, const struct views_timeline *tl,
                const struct views_did_key *key, int forward,
                struct views_op_row *rows, size_t max, size_t *n,
                struct alibi_error *err)
{
	*n = 0;
	if (max == 0 || tl->source_count == 0)
		return 0;
	if (tl->source_count == 1)
		return fetch_source_ops(st, &tl->sources[0], key, forward, rows, max, n, err);
	/* One page from each source, then a merge on (time, id). */
	size_t ns = tl->source_count;
	struct views_op_row *page = xcalloc(ns * max, sizeof *page);
	size_t *got = xcalloc(ns, sizeof *got), *pos = xcalloc(ns, sizeof *pos);
	int rc = 0;
	for (size_t i = 0; i < ns && !rc; i++)
		rc = fetch_source_ops(st, &tl->sources[i], key, forward,
		                      page + i * max, max, &got[i], err);
	while (!rc && *n < max) {
		size_t best = ns;
		for (size_t i = 0; i < ns; i++) {
			if (pos[i] >= got[i])
				continue;
			if (best == ns) {
				best = i;
				continue;
			}
			int c = key_cmp(&page[i * max + pos[i]].key,
			                &page[best * max + pos[best]].key);
			if (forward ? c < 0 : c > 0)
				best = i;
		}
		if (best == ns)
			break;
		rows[(*n)++] = page[best * max + pos[best]++];
	}
	for (size_t i = 0; i < ns; i++)
		views_op_rows_free(page + i * max + pos[i], got[i] - pos[i]);
	free(page);
	free(got);
	free(pos);
	return rc;
}

/* The row's columns as borrowed strings (see views_did_scan). */
static void
op_row_borrowed(sqlite3_stmt *s, const struct views_source *src,
                struct views_op_row *r)
{
	memset(r, 0, sizeof *r);
	r->key.id = sqlite3_column_int64(s, 0);
	r->key.t = aligned(sqlite3_column_int64(s, 1), src->offset_us);
	r->source = src->id;
	r->tool_call = sqlite3_column_int64(s, 2);
	r->line = sqlite3_column_int64(s, 3);
	r->pid = (int32_t)sqlite3_column_int(s, 4);
	r->op = (char *)store_col_text(s, 5);
	r->syscall = (char *)store_col_text(s, 6);
	r->path = (char *)store_col_text(s, 7);
	r->path2 = (char *)store_col_text(s, 8);
	r->host = (char *)store_col_text(s, 9);
	r->detail = (char *)store_col_text(s, 10);
	r->err_name = (char *)store_col_text(s, 11);
	r->port = sqlite3_column_type(s, 12) == SQLITE_NULL ? -1 : sqlite3_column_int(s, 12);
	r->bytes = sqlite3_column_type(s, 13) == SQLITE_NULL ? -1 : sqlite3_column_int64(s, 13);
	r->ok = sqlite3_column_int(s, 14);
	r->derived = sqlite3_column_int(s, 15);
}

static int
scan_stmt(struct store *st, sqlite3_stmt *s, const struct views_source *src,
          int (*fn)(void *ctx, const struct views_op_row *row), void *ctx,
          int *stopped, struct alibi_error *err)
{
	int rc;
	struct views_op_row row;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		op_row_borrowed(s, src, &row);
		if (fn(ctx, &row)) {
			*stopped = 1;
			break;
		}
	}
	sqlite3_reset(s);
	if (!*stopped && rc != SQLITE_DONE)
		return store_db_error(st, err, "scanning operations");
	return 0;
}

int
views_did_scan(struct store *st, const struct views_source *src,
               const struct views_did_key *key, int forward,
               int (*fn)(void *ctx, const struct views_op_row *row),
               void *ctx, int *stopped, struct alibi_error *err)
{
	*stopped = 0;
	int64_t t, id;
	source_bound(key, forward, src, &t, &id);
	sqlite3_stmt *s;
	if (key) {
		s = store_stmt(st, forward ? SQL_SCAN_SAME_FWD : SQL_SCAN_SAME_BACK, err);
		if (!s)
			return err->code;
		sqlite3_bind_int64(s, 1, src->id);
		sqlite3_bind_int64(s, 2, t);
		sqlite3_bind_int64(s, 3, id);
		sqlite3_bind_int64(s, 4, INT64_MAX);
		if (scan_stmt(st, s, src, fn, ctx, stopped, err) || *stopped)
			return *stopped ? 0 : err->code;
	}
	s = store_stmt(st, forward ? SQL_SCAN_FWD : SQL_SCAN_BACK, err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, src->id);
	sqlite3_bind_int64(s, 2, t);
	sqlite3_bind_int64(s, 3, INT64_MAX);
	return scan_stmt(st, s, src, fn, ctx, stopped, err);
}

void
views_op_rows_free(struct views_op_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct views_op_row *r = &rows[i];
		free(r->op);
		free(r->syscall);
		free(r->path);
		free(r->path2);
		free(r->host);
		free(r->detail);
		free(r->err_name);
		memset(r, 0, sizeof *r);
	}
}

static const char SQL_OP_KEY[] =
	"SELECT o.source, " OP_KEY " FROM ops o WHERE o.id = ?1";
static const char SQL_TOOL_CALL_FIRST_OP[] =
	"SELECT " OP_KEY ", o.id FROM ops o WHERE o.tool_call = ?1 AND o.source = ?2"
	" ORDER BY " OP_KEY ", o.id LIMIT 1";

int
views_did_key_of_op(struct store *st, const struct views_timeline *tl,
                    int64_t op, struct views_did_key *key, int *found,
                    struct alibi_error *err)
{
	*found = 0;
	sqlite3_stmt *s = store_stmt(st, SQL_OP_KEY, err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, op);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		const struct views_source *src =
			views_timeline_source(tl, sqlite3_column_int64(s, 0));
		if (src) {
			key->t = aligned(sqlite3_column_int64(s, 1), src->offset_us);
			key->id = op;
			*found = 1;
		}
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_error(st, err, "finding an operation");
	return 0;
}

int
views_did_key_of_tool_call(struct store *st, const struct views_timeline *tl,
                           int64_t tool_call, struct views_did_key *key,
                           int *found, struct alibi_error *err)
{
	*found = 0;
	for (size_t i = 0; i < tl->source_count; i++) {
		sqlite3_stmt *s = store_stmt(st, SQL_TOOL_CALL_FIRST_OP, err);
		if (!s)
			return err->code;
		sqlite3_bind_int64(s, 1, tool_call);
		sqlite3_bind_int64(s, 2, tl->sources[i].id);
		int rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			struct views_did_key k = {
				aligned(sqlite3_column_int64(s, 0), tl->sources[i].offset_us),
				sqlite3_column_int64(s, 1)
			};
			if (!*found || key_cmp(&k, key) < 0)
				*key = k;
			*found = 1;
		}
		sqlite3_reset(s);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return store_db_error(st, err, "finding a tool call's operations");
	}
	return 0;
}
