/* store_incidents.c — incidents and their sources. */
#include <stdlib.h>
#include <string.h>

#include "alibi/timeparse.h"
#include "store_internal.h"

static const char SQL_INCIDENT_BY_SLUG[] =
	"SELECT id FROM incidents WHERE slug = ?1";
static const char SQL_INCIDENT_BY_ID[] =
	"SELECT id FROM incidents WHERE id = ?1";
static const char SQL_INCIDENT_INSERT[] =
	"INSERT INTO incidents(slug, title, created_at) VALUES (?1, ?2, ?3)";
static const char SQL_INCIDENT_SET_CLOCK[] =
	"UPDATE incidents SET clock_offset_us = ?2, clock_note = ?3 WHERE id = ?1";
static const char SQL_INCIDENT_ZONE[] =
	"SELECT clock_zone_us FROM incidents WHERE id = ?1";
static const char SQL_INCIDENT_SET_ZONE[] =
	"UPDATE incidents SET clock_zone_us = ?2 WHERE id = ?1";
/* Counts come from sub-selects so one row per incident is read; all are
 * served by the (incident, ...) indexes. */
static const char SQL_INCIDENT_LIST[] =
	"SELECT i.id, i.slug, i.title, i.created_at, i.clock_offset_us, i.clock_note,"
	" (SELECT count(*) FROM sources s WHERE s.incident = i.id),"
	" (SELECT count(*) FROM messages m WHERE m.incident = i.id),"
	" (SELECT count(*) FROM tool_calls t WHERE t.incident = i.id),"
	" (SELECT count(*) FROM ops o WHERE o.incident = i.id),"
	" (SELECT count(*) FROM findings f WHERE f.incident = i.id),"
	" (SELECT count(*) FROM findings f WHERE f.incident = i.id AND f.severity = 'low'),"
	" (SELECT count(*) FROM findings f WHERE f.incident = i.id AND f.severity = 'medium'),"
	" (SELECT count(*) FROM findings f WHERE f.incident = i.id AND f.severity = 'high')"
	" FROM incidents i WHERE ?1 = 0 OR i.id = ?1 ORDER BY i.id";

static const char SQL_SOURCE_FIND[] =
	"SELECT id FROM sources WHERE incident = ?1 AND sha256 = ?2";
static const char SQL_SOURCE_INSERT[] =
	"INSERT INTO sources(incident, path, format, kind, sha256, bytes, imported_at, abspath)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char SQL_SOURCE_FINISH[] =
	"UPDATE sources SET records = ?2, errors = ?3, clock = ?4 WHERE id = ?1";
static const char SQL_SOURCE_LIST[] =
	"SELECT id, incident, path, format, kind, sha256, bytes, records, errors, clock,"
	" abspath FROM sources WHERE incident = ?1 ORDER BY id";

static int
lookup_id(struct store *st, const char *sql, sqlite3_stmt *s, int64_t *id,
          struct alibi_error *err)
{
	(void)sql;
	int rc = sqlite3_step(s);
	*id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_error(st, err, "looking up a row");
	return 0;
}

int
store_incident_find(struct store *st, const char *name, int64_t *id,
                    struct alibi_error *err)
{
	*id = 0;
	sqlite3_stmt *s = store_stmt(st, SQL_INCIDENT_BY_SLUG, err);
	if (!s)
		return err->code;
	store_bind_text(s, 1, name);
	if (lookup_id(st, SQL_INCIDENT_BY_SLUG, s, id, err))
		return err->code;
	if (*id)
		return 0;
	char *end = NULL;
	long long n = strtoll(name, &end, 10);
	if (*name && end && *end == '\0' && n > 0) {
		s = store_stmt(st, SQL_INCIDENT_BY_ID, err);
		if (!s)
			return err->code;
		sqlite3_bind_int64(s, 1, n);
		if (lookup_id(st, SQL_INCIDENT_BY_ID, s, id, err))
			return err->code;
	}
	if (!*id)
		return alibi_error_set(err, ALIBI_ENOTFOUND, "no incident named '%s'", name);
	return 0;
}

int
store_incident_ensure(struct store *st, const char *slug, const char *title,
                      int64_t *id, int *created, struct alibi_error *err)
{
	if (created)
		*created = 0;
	sqlite3_stmt *s = store_stmt(st, SQL_INCIDENT_BY_SLUG, err);
	if (!s)
		return err->code;
	store_bind_text(s, 1, slug);
	if (lookup_id(st, SQL_INCIDENT_BY_SLUG, s, id, err))
		return err->code;
	if (*id)
		return 0;
	s = store_stmt(st, SQL_INCIDENT_INSERT, err);
	if (!s)
		return err->code;
	store_bind_text(s, 1, slug);
	store_bind_text(s, 2, title ? title : slug);
	sqlite3_bind_int64(s, 3, time_now_us());
	if (store_exec_stmt(st, s, err, "creating an incident"))
		return err->code;
	*id = sqlite3_last_insert_rowid(st->db);
	if (created)
		*created = 1;
	return 0;
}

int
store_each_incident(struct store *st, int64_t id,
                    int (*fn)(void *ctx, const struct store_incident *inc),
                    void *ctx, struct alibi_error *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_INCIDENT_LIST, err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, id);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_incident inc = {
			.id = sqlite3_column_int64(s, 0),
			.slug = store_col_text(s, 1),
			.title = store_col_text(s, 2),
			.created_at = sqlite3_column_int64(s, 3),
			.clock_offset_us = sqlite3_column_int64(s, 4),
			.clock_note = store_col_text(s, 5),
			.sources = sqlite3_column_int64(s, 6),
			.messages = sqlite3_column_int64(s, 7),
			.tool_calls = sqlite3_column_int64(s, 8),
			.ops = sqlite3_column_int64(s, 9),
			.findings = sqlite3_column_int64(s, 10),
		};
		for (int sev = ALIBI_SEV_LOW; sev <= ALIBI_SEV_HIGH; sev++)
			inc.by_severity[sev] = sqlite3_column_int64(s, 10 + sev);
		if (fn(ctx, &inc))
			break;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_error(st, err, "listing incidents");
	return 0;
}

int
store_incident_set_clock(struct store *st, int64_t incident, int64_t offset_us,
                         const char *note, struct alibi_error *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_INCIDENT_SET_CLOCK, err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, incident);
	sqlite3_bind_int64(s, 2, offset_us);
	store_bind_text(s, 3, note);
	return store_exec_stmt(st, s, err, "setting the clock offset");
}

int
store_incident_clock_zone(struct store *st, int64_t incident, int *given,
                          int64_t *zone_us, struct alibi_error *err)
{
	*given = 0;
	*zone_us = 0;
	sqlite3_stmt *s = store_stmt(st, SQL_INCIDENT_ZONE, err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, incident);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL) {
		*given = 1;
		*zone_us = sqlite3_column_int64(s, 0);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_error(st, err, "reading the clock zone");
	return 0;
}

int
store_incident_set_clock_zone(struct store *st, int64_t incident, int given,
                              int64_t zone_us, struct alibi_error *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_INCIDENT_SET_ZONE, err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, incident);
	if (given)
		sqlite3_bind_int64(s, 2, zone_us);
	else
		sqlite3_bind_null(s, 2);
	return store_exec_stmt(st, s, err, "setting the clock zone");
}

int
store_source_find(struct store *st, int64_t incident, const char *sha256,
                  int64_t *id, struct alibi_error *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_SOURCE_FIND, err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, incident);
	store_bind_text(s, 2, sha256);
	return lookup_id(st, SQL_SOURCE_FIND, s, id, err);
}

int
store_source_add(struct store *st, const struct store_source *src, int64_t *id,
                 struct alibi_error *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_SOURCE_INSERT, err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, src->incident);
	store_bind_text(s, 2, src->path);
	store_bind_text(s, 3, src->format);
	store_bind_text(s, 4, src->kind);
	store_bind_text(s, 5, src->sha256);
	sqlite3_bind_int64(s, 6, src->bytes);
	sqlite3_bind_int64(s, 7, time_now_us());
	store_bind_text(s, 8, src->abspath);
	if (store_exec_stmt(st, s, err, "adding a source"))
		return err->code;
	*id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int
store_source_finish(struct store *st, int64_t source, int64_t records,
                    int64_t errors, enum alibi_clock clock,
                    struct alibi_error *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_SOURCE_FINISH, err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, source);
	sqlite3_bind_int64(s, 2, records);
	sqlite3_bind_int64(s, 3, errors);
	store_bind_text(s, 4, alibi_clock_name(clock));
	return store_exec_stmt(st, s, err, "finishing a source");
}

enum alibi_clock
store_clock_from_name(const char *name)
{
	for (int c = ALIBI_CLOCK_NONE; c <= ALIBI_CLOCK_RELATIVE; c++)
		if (name && strcmp(alibi_clock_name(c), name) == 0)
			return c;
	return ALIBI_CLOCK_NONE;
}

int
store_each_source(struct store *st, int64_t incident,
                  int (*fn)(void *ctx, const struct store_source *src),
                  void *ctx, struct alibi_error *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_SOURCE_LIST, err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, incident);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_source src = {
			.id = sqlite3_column_int64(s, 0),
			.incident = sqlite3_column_int64(s, 1),
			.path = store_col_text(s, 2),
			.format = store_col_text(s, 3),
			.kind = store_col_text(s, 4),
			.sha256 = store_col_text(s, 5),
			.bytes = sqlite3_column_int64(s, 6),
			.records = sqlite3_column_int64(s, 7),
			.errors = sqlite3_column_int64(s, 8),
			.clock = store_clock_from_name(store_col_text(s, 9)),
			.abspath = store_col_text(s, 10),
		};
		if (fn(ctx, &src))
			break;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_error(st, err, "listing sources");
	return 0;
}
