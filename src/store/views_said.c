/* views_said.c — the SAID pane's queries: messages in transcript order,
 * each followed by its tool calls, paged by key (alibi/views.h). */
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/views.h"
#include "store_internal.h"
#include "views_internal.h"

#define MSG_COLS \
	"SELECT m.seq, m.id, m.ts, m.source, m.line, m.role, m.agent," \
	" substr(CAST(m.text AS BLOB), 1, 65537) FROM messages m"
static const char SQL_MSG_FWD[] = MSG_COLS
	" WHERE m.incident = ?1 AND (m.seq, m.id) > (?2, ?3)"
	" ORDER BY m.seq, m.id LIMIT ?4";
static const char SQL_MSG_BACK[] = MSG_COLS
	" WHERE m.incident = ?1 AND (m.seq, m.id) < (?2, ?3)"
	" ORDER BY m.seq DESC, m.id DESC LIMIT ?4";
static const char SQL_MSG_ONE[] = MSG_COLS " WHERE m.id = ?1";

#define TC_COLS \
	"SELECT t.id, t.started, t.source, t.line, t.name, t.command," \
	" t.args_json, substr(CAST(t.result_text AS BLOB), 1, 65537), t.is_error" \
	" FROM tool_calls t"
static const char SQL_TC_FWD[] = TC_COLS
	" WHERE t.message = ?1 AND t.id > ?2 ORDER BY t.id LIMIT ?3";
static const char SQL_TC_BACK[] = TC_COLS
	" WHERE t.message = ?1 AND t.id < ?2 ORDER BY t.id DESC LIMIT ?3";

static void
text_capped(sqlite3_stmt *s, int col, char **text, size_t *len, int *truncated)
{
	const char *t = (const char *)sqlite3_column_blob(s, col);
	size_t n = (size_t)sqlite3_column_bytes(s, col);
	*truncated = n > VIEWS_TEXT_CAP;
	if (*truncated)
		n = VIEWS_TEXT_CAP;
	*text = t ? xstrndup(t, n) : NULL;
	*len = t ? n : 0;
}

static void
message_row(sqlite3_stmt *s, struct views_said_row *r)
{
	memset(r, 0, sizeof *r);
	r->key.seq = sqlite3_column_int64(s, 0);
	r->key.message = sqlite3_column_int64(s, 1);
	r->ts = views_col_ts(s, 2);
	r->source = sqlite3_column_int64(s, 3);
	r->line = sqlite3_column_int64(s, 4);
	r->role = views_col_dup(s, 5);
	r->agent = views_col_dup(s, 6);
	text_capped(s, 7, &r->text, &r->text_len, &r->text_truncated);
}

static void
tool_call_row(sqlite3_stmt *s, const struct views_said_key *msg,
              struct views_said_row *r)
{
	memset(r, 0, sizeof *r);
	r->is_tool_call = 1;
	r->key.seq = msg->seq;
	r->key.message = msg->message;
	r->key.sub = sqlite3_column_int64(s, 0);
	r->ts = views_col_ts(s, 1);
	r->source = sqlite3_column_int64(s, 2);
	r->line = sqlite3_column_int64(s, 3);
	r->name = views_col_dup(s, 4);
	r->command = views_col_dup(s, 5);
	r->args_json = views_col_dup(s, 6);
	size_t len;
	int truncated;
	text_capped(s, 7, &r->result, &len, &truncated);
	r->is_error = sqlite3_column_int(s, 8);
}

/* The tool calls of one message after (or before) tool call `after`. */
static int
fetch_tool_calls(struct store *st, const struct views_said_key *msg,
                 int64_t after, int forward, struct views_said_row *rows,
                 size_t max, size_t *n, struct alibi_error *err)
{
	if (*n >= max)
		return 0;
	sqlite3_stmt *s = store_stmt(st, forward ? SQL_TC_FWD : SQL_TC_BACK, err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, msg->message);
	sqlite3_bind_int64(s, 2, after);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)(max - *n));
	int rc = SQLITE_DONE;
	while (*n < max && (rc = sqlite3_step(s)) == SQLITE_ROW)
		tool_call_row(s, msg, &rows[(*n)++]);
	if (*n < max && rc != SQLITE_DONE) {
		sqlite3_reset(s);
		return store_db_error(st, err, "reading tool calls");
	}
	sqlite3_reset(s);
	return 0;
}

static int
fetch_message_by_id(struct store *st, int64_t id, struct views_said_row *r,
                    int *found, struct alibi_error *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_MSG_ONE, err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	*found = rc == SQLITE_ROW;
	if (*found)
		message_row(s, r);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_error(st, err, "reading a message");
	return 0;
}

/* Messages after (before) `from`, a batch at a time; forward each is
 * followed by its tool calls, backward preceded by them (nearest first). */
static int
fetch_messages(struct store *st, const struct views_timeline *tl,
               struct views_said_key from, int forward,
               struct views_said_row *rows, size_t max, size_t *n,
               struct alibi_error *err)
{
	while (*n < max) {
		struct views_said_row batch[16];
		size_t got = 0;
		sqlite3_stmt *s = store_stmt(st, forward ? SQL_MSG_FWD : SQL_MSG_BACK, err);
		if (!s)
			return err->code;
		sqlite3_bind_int64(s, 1, tl->incident);
		sqlite3_bind_int64(s, 2, from.seq);
		sqlite3_bind_int64(s, 3, from.message);
		sqlite3_bind_int64(s, 4, 16);
		int rc = SQLITE_DONE;
		while (got < 16 && (rc = sqlite3_step(s)) == SQLITE_ROW)
			message_row(s, &batch[got++]);
		sqlite3_reset(s);
		if (got < 16 && rc != SQLITE_DONE) {
			views_said_rows_free(batch, got);
			return store_db_error(st, err, "reading messages");
		}
		for (size_t i = 0; i < got; i++) {
			struct views_said_key k = batch[i].key;
			if (*n >= max) {
				views_said_rows_free(&batch[i], 1);
				continue;
			}
			if (forward)
				rows[(*n)++] = batch[i];
			int rc2 = fetch_tool_calls(st, &k, forward ? 0 : INT64_MAX,
			                           forward, rows, max, n, err);
			if (!forward) {
				if (*n < max)
					rows[(*n)++] = batch[i];
				else
					views_said_rows_free(&batch[i], 1);
			}
			if (rc2) {
				views_said_rows_free(&batch[i + 1], got - i - 1);
				return rc2;
			}
			from = k;
		}
		if (got < 16)
			break;
	}
	return 0;
}

int
views_said_fetch(struct store *st, const struct views_timeline *tl,
                 const struct views_said_key *key, int forward,
                 struct views_said_row *rows, size_t max, size_t *n,
                 struct alibi_error *err)
{
	*n = 0;
	struct views_said_key from = { INT64_MIN, INT64_MIN, 0 };
	if (!forward)
		from.seq = from.message = INT64_MAX;
	if (key) {
		from = *key;
		/* Finish the message the key sits in before moving on. */
		if (forward || key->sub > 0) {
			int rc = fetch_tool_calls(st, key, key->sub, forward, rows,
			                          max, n, err);
			if (rc)
				return rc;
		}
		if (!forward && key->sub > 0 && *n < max) {
			int found;
			int rc = fetch_message_by_id(st, key->message, &rows[*n], &found, err);
			if (rc)
				return rc;
			if (found)
				(*n)++;
		}
	}
	return fetch_messages(st, tl, from, forward, rows, max, n, err);
}

void
views_said_rows_free(struct views_said_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct views_said_row *r = &rows[i];
		free(r->role);
		free(r->agent);
		free(r->text);
		free(r->name);
		free(r->command);
		free(r->args_json);
		free(r->result);
		memset(r, 0, sizeof *r);
	}
}

static const char SQL_KEY_OF_MESSAGE[] =
	"SELECT m.seq, m.id FROM messages m WHERE m.id = ?1 AND m.incident = ?2";
static const char SQL_KEY_OF_TOOL_CALL[] =
	"SELECT m.seq, m.id FROM tool_calls t JOIN messages m ON m.id = t.message"
	" WHERE t.id = ?1 AND t.incident = ?2";

int
views_said_key_of(struct store *st, const struct views_timeline *tl,
                  int is_tool_call, int64_t id, struct views_said_key *key,
                  int *found, struct alibi_error *err)
{
	sqlite3_stmt *s = store_stmt(st, is_tool_call ? SQL_KEY_OF_TOOL_CALL
	                                              : SQL_KEY_OF_MESSAGE, err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, tl->incident);
	int rc = sqlite3_step(s);
	*found = rc == SQLITE_ROW;
	if (*found) {
		key->seq = sqlite3_column_int64(s, 0);
		key->message = sqlite3_column_int64(s, 1);
		key->sub = is_tool_call ? id : 0;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_error(st, err, "finding a transcript row");
	return 0;
}

static const char SQL_MSG_AT_TIME[] =
	"SELECT m.seq, m.id FROM messages m WHERE m.incident = ?1 AND m.ts <= ?2"
	" ORDER BY m.ts DESC, m.seq DESC LIMIT 1";
static const char SQL_TC_AT_TIME[] =
	"SELECT t.id FROM tool_calls t WHERE t.message = ?1 AND t.started <= ?2"
	" ORDER BY t.id DESC LIMIT 1";

int
views_said_seek_time(struct store *st, const struct views_timeline *tl,
                     int64_t ts, struct views_said_key *key, int *found,
                     struct alibi_error *err)
{
	*found = 0;
	sqlite3_stmt *s = store_stmt(st, SQL_MSG_AT_TIME, err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, tl->incident);
	sqlite3_bind_int64(s, 2, ts);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*found = 1;
		key->seq = sqlite3_column_int64(s, 0);
		key->message = sqlite3_column_int64(s, 1);
		key->sub = 0;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_error(st, err, "seeking the transcript");
	if (!*found) {
		/* Before the first message: the first row. */
		struct views_said_row row;
		size_t n;
		if (views_said_fetch(st, tl, NULL, 1, &row, 1, &n, err))
			return err->code;
		if (n) {
			*key = row.key;
			*found = 1;
			views_said_rows_free(&row, 1);
		}
		return 0;
	}
	s = store_stmt(st, SQL_TC_AT_TIME, err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, key->message);
	sqlite3_bind_int64(s, 2, ts);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		key->sub = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return 0;
}

static const char SQL_CLAIMS_OF_MESSAGE[] =
	"SELECT c.id, c.start, c.end, c.kind FROM claims c"
	" WHERE c.incident = ?1 AND c.message = ?2 ORDER BY c.start, c.id LIMIT ?3";

int
views_message_claims(struct store *st, const struct views_timeline *tl,
                     int64_t message, struct views_claim_span *spans,
                     size_t max, size_t *n, struct alibi_error *err)
{
	*n = 0;
	sqlite3_stmt *s = store_stmt(st, SQL_CLAIMS_OF_MESSAGE, err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, tl->incident);
	sqlite3_bind_int64(s, 2, message);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)max);
	int rc = SQLITE_DONE;
	while (*n < max && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct views_claim_span *c = &spans[(*n)++];
		c->id = sqlite3_column_int64(s, 0);
		c->start = sqlite3_column_int(s, 1);
		c->end = sqlite3_column_int(s, 2);
		int kind = alibi_claim_kind_from_name(store_col_text(s, 3));
		c->kind = kind < 0 ? ALIBI_CLAIM_REPORT : (enum alibi_claim_kind)kind;
	}
	sqlite3_reset(s);
	return 0;
}
