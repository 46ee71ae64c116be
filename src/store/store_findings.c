/* store_findings.c — what analysis writes (claims, findings, evidence) and
 * how reports read findings back with their evidence resolved. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/strbuf.h"
#include "store_internal.h"

static const char SQL_CLEAR_EVIDENCE[] =
	"DELETE FROM evidence WHERE finding IN (SELECT id FROM findings WHERE incident = ?1)";
static const char SQL_CLEAR_FINDINGS[] =
	"DELETE FROM findings WHERE incident = ?1";
static const char SQL_CLEAR_CLAIMS[] =
	"DELETE FROM claims WHERE incident = ?1";
static const char SQL_CLEAR_ATTRIBUTION[] =
	"UPDATE ops SET tool_call = NULL WHERE incident = ?1 AND derived = 0"
	" AND tool_call IS NOT NULL";
static const char SQL_CLAIM_INSERT[] =
	"INSERT INTO claims(incident, message, start, end, kind, verb, object, negated,"
	" rule, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
static const char SQL_FINDING_INSERT[] =
	"INSERT INTO findings(incident, kind, severity, confidence, summary, because,"
	" rule, stable_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char SQL_EVIDENCE_INSERT[] =
	"INSERT INTO evidence(finding, type, ref, role) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_FINDING_LIST[] =
	"SELECT f.id, f.incident, i.slug, f.kind, f.severity, f.confidence, f.summary,"
	" f.because, f.rule, f.stable_key, f.status,"
	" (SELECT a.verdict FROM annotations a WHERE a.incident = f.incident"
	"   AND a.finding_key = f.stable_key AND a.verdict IS NOT NULL"
	"   ORDER BY a.updated_at DESC, a.id DESC LIMIT 1)"
	" FROM findings f JOIN incidents i ON i.id = f.incident"
	" WHERE ?1 = 0 OR f.incident = ?1"
	" ORDER BY i.slug, CASE f.severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1"
	"  ELSE 2 END, f.id";
static const char SQL_EVIDENCE_LIST[] =
	"SELECT type, ref, role FROM evidence WHERE finding = ?1 ORDER BY id";
static const char SQL_EVIDENCE_CLAIM[] =
	"SELECT c.text, s.path, m.line, c.start, c.end, c.message, m.ts"
	" FROM claims c JOIN messages m ON m.id = c.message JOIN sources s ON s.id = m.source"
	" WHERE c.id = ?1";
static const char SQL_EVIDENCE_MESSAGE[] =
	"SELECT m.role || ': ' || m.text, s.path, m.line, m.ts"
	" FROM messages m JOIN sources s ON s.id = m.source WHERE m.id = ?1";
static const char SQL_EVIDENCE_TOOL_CALL[] =
	"SELECT coalesce(t.command, t.name || ' ' || coalesce(t.args_json, '')), s.path,"
	" t.line, t.started FROM tool_calls t JOIN sources s ON s.id = t.source WHERE t.id = ?1";
static const char SQL_EVIDENCE_OP[] =
	"SELECT o.op, o.path, o.path2, o.host, o.port, s.path, o.line, " STORE_ALIGNED_TS ","
	" o.ok, o.err_name, o.bytes, o.detail, o.derived"
	" FROM ops o JOIN sources s ON s.id = o.source JOIN incidents i ON i.id = o.incident"
	" WHERE o.id = ?1";

static const char *const evidence_type_names[] = { "claim", "op", "message", "tool_call" };

const char *
store_evidence_type_name(enum store_evidence_type t)
{
	if ((int)t < 0 || t > STORE_EV_TOOL_CALL)
		return "unknown";
	return evidence_type_names[t];
}

static enum store_evidence_type
evidence_type_from_name(const char *name)
{
	for (int t = STORE_EV_CLAIM; t <= STORE_EV_TOOL_CALL; t++)
		if (name && strcmp(evidence_type_names[t], name) == 0)
			return t;
	return STORE_EV_MESSAGE;
}

/* Runs each of sqls with the incident bound as ?1. */
static int
exec_for_incident(struct store *st, const char *const *sqls, size_t count,
                  int64_t incident, struct alibi_error *err)
{
	for (size_t i = 0; i < count; i++) {
		sqlite3_stmt *s = store_stmt(st, sqls[i], err);
		if (!s)
			return err->code;
		sqlite3_bind_int64(s, 1, incident);
		if (store_exec_stmt(st, s, err, "clearing the previous analysis"))
			return err->code;
	}
	return 0;
}

int
store_clear_analysis(struct store *st, int64_t incident, struct alibi_error *err)
{
	static const char *const sqls[] = { SQL_CLEAR_EVIDENCE, SQL_CLEAR_FINDINGS,
	                                    SQL_CLEAR_CLAIMS, SQL_CLEAR_ATTRIBUTION };
	return exec_for_incident(st, sqls, sizeof sqls / sizeof sqls[0], incident, err);
}

int
store_clear_findings(struct store *st, int64_t incident, struct alibi_error *err)
{
	static const char *const sqls[] = { SQL_CLEAR_EVIDENCE, SQL_CLEAR_FINDINGS,
	                                    SQL_CLEAR_CLAIMS };
	return exec_for_incident(st, sqls, sizeof sqls / sizeof sqls[0], incident, err);
}

int
store_add_claim(struct store *st, int64_t incident, const struct store_claim *c,
                int64_t *id, struct alibi_error *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_CLAIM_INSERT, err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, incident);
	sqlite3_bind_int64(s, 2, c->message);
	sqlite3_bind_int(s, 3, c->start);
	sqlite3_bind_int(s, 4, c->end);
	store_bind_text(s, 5, alibi_claim_kind_name(c->kind));
	store_bind_text(s, 6, c->verb);
	store_bind_text(s, 7, c->object);
	sqlite3_bind_int(s, 8, c->negated != 0);
	store_bind_text(s, 9, c->rule);
	store_bind_text(s, 10, c->text);
	if (store_exec_stmt(st, s, err, "adding a claim"))
		return err->code;
	if (id)
		*id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int
store_add_finding(struct store *st, int64_t incident, const struct store_finding *f,
                  int64_t *id, struct alibi_error *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_FINDING_INSERT, err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, incident);
	store_bind_text(s, 2, f->kind);
	store_bind_text(s, 3, alibi_severity_name(f->severity));
	sqlite3_bind_double(s, 4, f->confidence);
	store_bind_text(s, 5, f->summary);
	store_bind_text(s, 6, f->because);
	store_bind_text(s, 7, f->rule);
	store_bind_text(s, 8, f->stable_key ? f->stable_key : "");
	if (store_exec_stmt(st, s, err, "adding a finding"))
		return err->code;
	if (id)
		*id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int
store_add_evidence(struct store *st, int64_t finding, enum store_evidence_type type,
                   int64_t ref, const char *role, struct alibi_error *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_EVIDENCE_INSERT, err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, finding);
	store_bind_text(s, 2, store_evidence_type_name(type));
	sqlite3_bind_int64(s, 3, ref);
	store_bind_text(s, 4, role);
	return store_exec_stmt(st, s, err, "adding evidence");
}

/* ---- reading findings back ---- */

/* Evidence rows own their strings while a finding is being reported. */
struct evidence_list {
	struct store_evidence_row *rows;
	size_t count, cap;
};

static void
evidence_list_clear(struct evidence_list *list)
{
	for (size_t i = 0; i < list->count; i++) {
		struct store_evidence_row *r = &list->rows[i];
		free((char *)r->role);
		free((char *)r->text);
		free((char *)r->path);
		free((char *)r->path2);
		free((char *)r->host);
		free((char *)r->op);
		free((char *)r->source);
	}
	list->count = 0;
}

static char *
dup_col(sqlite3_stmt *s, int col)
{
	return xstrdup(store_col_text(s, col));
}

static int64_t
col_ts_or_none(sqlite3_stmt *s, int col)
{
	return sqlite3_column_type(s, col) == SQLITE_NULL ? ALIBI_TS_NONE
	                                                  : sqlite3_column_int64(s, col);
}

/* "unlink /srv/x", "connect 127.0.0.1:8022 (sent 4096 bytes)", ... */
static char *
describe_op(sqlite3_stmt *s)
{
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, store_col_text(s, 0));
	if (store_col_text(s, 1))
		sb_addf(&sb, " %s", store_col_text(s, 1));
	if (store_col_text(s, 2))
		sb_addf(&sb, " -> %s", store_col_text(s, 2));
	if (store_col_text(s, 3)) {
		sb_addf(&sb, " %s", store_col_text(s, 3));
		if (sqlite3_column_type(s, 4) != SQLITE_NULL)
			sb_addf(&sb, ":%d", sqlite3_column_int(s, 4));
	}
	if (sqlite3_column_type(s, 10) != SQLITE_NULL && sqlite3_column_int64(s, 10) > 0)
		sb_addf(&sb, " (%lld bytes)", (long long)sqlite3_column_int64(s, 10));
	if (store_col_text(s, 11) && strcmp(store_col_text(s, 0), "exec") != 0)
		sb_addf(&sb, " [%s]", store_col_text(s, 11));
	if (!sqlite3_column_int(s, 8))
		sb_addf(&sb, " = failed %s", store_col_text(s, 9) ? store_col_text(s, 9) : "");
	if (sqlite3_column_int(s, 12))
		sb_adds(&sb, " (derived from the command)");
	return sb_detach(&sb);
}

static int
resolve_evidence(struct store *st, struct store_evidence_row *r, struct alibi_error *err)
{
	static const char *const sqls[] = {
		[STORE_EV_CLAIM] = SQL_EVIDENCE_CLAIM,
		[STORE_EV_OP] = SQL_EVIDENCE_OP,
		[STORE_EV_MESSAGE] = SQL_EVIDENCE_MESSAGE,
		[STORE_EV_TOOL_CALL] = SQL_EVIDENCE_TOOL_CALL,
	};
	sqlite3_stmt *s = store_stmt(st, sqls[r->type], err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, r->ref);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		switch (r->type) {
		case STORE_EV_CLAIM:
			r->text = dup_col(s, 0);
			r->source = dup_col(s, 1);
			r->line = sqlite3_column_int64(s, 2);
			r->start = sqlite3_column_int(s, 3);
			r->end = sqlite3_column_int(s, 4);
			r->message = sqlite3_column_int64(s, 5);
			r->ts = col_ts_or_none(s, 6);
			break;
		case STORE_EV_OP:
			r->text = describe_op(s);
			r->op = dup_col(s, 0);
			r->path = dup_col(s, 1);
			r->path2 = dup_col(s, 2);
			r->host = dup_col(s, 3);
			r->port = sqlite3_column_type(s, 4) == SQLITE_NULL ? -1 : sqlite3_column_int(s, 4);
			r->source = dup_col(s, 5);
			r->line = sqlite3_column_int64(s, 6);
			r->ts = col_ts_or_none(s, 7);
			break;
		case STORE_EV_MESSAGE:
		case STORE_EV_TOOL_CALL:
			r->text = dup_col(s, 0);
			r->source = dup_col(s, 1);
			r->line = sqlite3_column_int64(s, 2);
			r->ts = col_ts_or_none(s, 3);
			break;
		}
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_error(st, err, "reading evidence");
	return 0;
}

static int
load_evidence(struct store *st, int64_t finding, struct evidence_list *list,
              struct alibi_error *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_EVIDENCE_LIST, err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, finding);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		void *rows = list->rows;
		grow_array(&rows, sizeof *list->rows, &list->cap, list->count + 1);
		list->rows = rows;
		struct store_evidence_row *r = &list->rows[list->count++];
		memset(r, 0, sizeof *r);
		r->type = evidence_type_from_name(store_col_text(s, 0));
		r->ref = sqlite3_column_int64(s, 1);
		r->role = dup_col(s, 2);
		r->port = -1;
		r->start = r->end = -1;
		r->ts = ALIBI_TS_NONE;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_db_error(st, err, "listing evidence");
	/* Resolved after the listing statement is done, since resolving uses
	 * other cached statements. */
	for (size_t i = 0; i < list->count; i++)
		if (resolve_evidence(st, &list->rows[i], err))
			return err->code;
	return 0;
}

/* One finding row copied out, so evidence can be read with other
 * statements while the finding list is being walked. */
struct finding_copy {
	int64_t id, incident;
	char *slug, *kind, *severity, *summary, *because, *rule, *key, *status, *verdict;
	double confidence;
};

static void
finding_copy_free(struct finding_copy *f)
{
	free(f->slug); free(f->kind); free(f->severity); free(f->summary);
	free(f->because); free(f->rule); free(f->key); free(f->status); free(f->verdict);
}

static int
load_findings(struct store *st, int64_t incident, struct finding_copy **out,
              size_t *count, struct alibi_error *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_FINDING_LIST, err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, incident);
	size_t cap = 0;
	void *items = NULL;
	*count = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		grow_array(&items, sizeof **out, &cap, *count + 1);
		struct finding_copy *f = (struct finding_copy *)items + (*count)++;
		f->id = sqlite3_column_int64(s, 0);
		f->incident = sqlite3_column_int64(s, 1);
		f->slug = dup_col(s, 2);
		f->kind = dup_col(s, 3);
		f->severity = dup_col(s, 4);
		f->confidence = sqlite3_column_double(s, 5);
		f->summary = dup_col(s, 6);
		f->because = dup_col(s, 7);
		f->rule = dup_col(s, 8);
		f->key = dup_col(s, 9);
		f->status = dup_col(s, 10);
		f->verdict = dup_col(s, 11);
	}
	sqlite3_reset(s);
	*out = items;
	if (rc != SQLITE_DONE)
		return store_db_error(st, err, "listing findings");
	return 0;
}

int
store_each_finding(struct store *st, int64_t incident,
                   int (*fn)(void *ctx, const struct store_finding_row *r),
                   void *ctx, struct alibi_error *err)
{
	struct finding_copy *findings = NULL;
	size_t count = 0;
	int rc = load_findings(st, incident, &findings, &count, err);
	struct evidence_list ev = { NULL, 0, 0 };
	for (size_t i = 0; rc == 0 && i < count; i++) {
		struct finding_copy *f = &findings[i];
		evidence_list_clear(&ev);
		rc = load_evidence(st, f->id, &ev, err);
		if (rc)
			break;
		int sev = alibi_severity_from_name(f->severity);
		struct store_finding_row row = {
			.id = f->id,
			.incident = f->incident,
			.incident_slug = f->slug,
			.f = {
				.kind = f->kind,
				.severity = sev < 0 ? ALIBI_SEV_LOW : (enum alibi_severity)sev,
				.confidence = f->confidence,
				.summary = f->summary,
				.because = f->because,
				.rule = f->rule,
				.stable_key = f->key,
			},
			.status = f->status,
			.verdict = f->verdict,
			.evidence_count = ev.count,
			.evidence = ev.rows,
		};
		if (fn(ctx, &row))
			break;
	}
	evidence_list_clear(&ev);
	free(ev.rows);
	for (size_t i = 0; i < count; i++)
		finding_copy_free(&findings[i]);
	free(findings);
	return rc;
}
