/* store_claims.c — claims read back in transcript order, for reports
 * that put what two runs said side by side. */
#include "store_internal.h"

static const char SQL_CLAIM_LIST[] =
	"SELECT c.id, s.path, m.line, c.message, c.start, c.end, c.kind, c.verb, c.object,"
	" c.negated, c.rule, c.text"
	" FROM claims c JOIN messages m ON m.id = c.message JOIN sources s ON s.id = m.source"
	" WHERE c.incident = ?1 ORDER BY m.seq, c.start, c.id";

int
store_each_claim(struct store *st, int64_t incident,
                 int (*fn)(void *ctx, const struct store_claim_row *r),
                 void *ctx, struct alibi_error *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_CLAIM_LIST, err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, incident);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int kind = alibi_claim_kind_from_name(store_col_text(s, 6));
		struct store_claim_row r = {
			.id = sqlite3_column_int64(s, 0),
			.source_path = store_col_text(s, 1),
			.line = sqlite3_column_int64(s, 2),
			.c = {
				.message = sqlite3_column_int64(s, 3),
				.start = sqlite3_column_int(s, 4),
				.end = sqlite3_column_int(s, 5),
				/* a kind this version does not know reads as a report */
				.kind = kind < 0 ? ALIBI_CLAIM_REPORT : (enum alibi_claim_kind)kind,
				.verb = store_col_text(s, 7),
				.object = store_col_text(s, 8),
				.negated = sqlite3_column_int(s, 9),
				.rule = store_col_text(s, 10),
				.text = store_col_text(s, 11),
			},
		};
		if (fn(ctx, &r))
			break;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_error(st, err, "listing claims");
	return 0;
}
