/* annotations.c — verdicts, notes and tags (alibi/annotations.h).  Every
 * statement on the annotations table lives here. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "alibi/alloc.h"
#include "alibi/annotations.h"
#include "alibi/strbuf.h"
#include "alibi/termtext.h"
#include "alibi/timeparse.h"
#include "store_internal.h"

#define COLS "id, incident, uid, finding_key, author, verdict, tags, note," \
             " created_at, updated_at, committed_in"

static const char SQL_FIND_OWN[] =
	"SELECT id FROM annotations"
	" WHERE incident = ?1 AND finding_key IS ?2 AND author = ?3"
	" ORDER BY id LIMIT 1";
static const char SQL_INSERT_EMPTY[] =
	"INSERT INTO annotations(incident, finding_key, author, verdict, tags,"
	" note, created_at, updated_at, committed_in, uid)"
	" VALUES (?1, ?2, ?3, NULL, '', '', ?4, ?4, NULL, ?5)";
static const char SQL_SET_VERDICT[] =
	"UPDATE annotations SET verdict = ?2, updated_at = ?3,"
	" committed_in = NULL WHERE id = ?1";
static const char SQL_SET_NOTE[] =
	"UPDATE annotations SET note = ?2, updated_at = ?3,"
	" committed_in = NULL WHERE id = ?1";
static const char SQL_SET_TAGS[] =
	"UPDATE annotations SET tags = ?2, updated_at = ?3,"
	" committed_in = NULL WHERE id = ?1";
static const char SQL_GET_OWN[] =
	"SELECT " COLS " FROM annotations"
	" WHERE incident = ?1 AND finding_key IS ?2 AND author = ?3"
	" ORDER BY id LIMIT 1";
static const char SQL_EACH[] =
	"SELECT " COLS " FROM annotations"
	" WHERE (?1 = 0 OR incident = ?1)"
	" AND (?2 = 0 OR committed_in IS NULL)"
	" AND (?3 = 0 OR finding_key IS NULL)"
	" AND (?4 IS NULL OR finding_key = ?4)"
	" ORDER BY created_at, id";
static const char SQL_VERDICT[] =
	"SELECT verdict FROM annotations"
	" WHERE incident = ?1 AND finding_key IS ?2 AND verdict IS NOT NULL"
	" ORDER BY updated_at DESC, id DESC LIMIT 1";
static const char SQL_MARK_COMMITTED[] =
	"UPDATE annotations SET committed_in = ?3"
	" WHERE uid = ?1 AND updated_at = ?2";
static const char SQL_BY_UID[] =
	"SELECT id, updated_at, committed_in IS NULL FROM annotations"
	" WHERE uid = ?1";
static const char SQL_IMPORT_INSERT[] =
	"INSERT INTO annotations(incident, uid, finding_key, author, verdict,"
	" tags, note, created_at, updated_at, committed_in)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
static const char SQL_IMPORT_UPDATE[] =
	"UPDATE annotations SET incident = ?1, finding_key = ?3, author = ?4,"
	" verdict = ?5, tags = ?6, note = ?7, created_at = ?8, updated_at = ?9,"
	" committed_in = ?10 WHERE uid = ?2";
/* Findings are few per incident, so a prefix scan is cheap. */
static const char SQL_FINDING_PREFIX[] =
	"SELECT DISTINCT incident, stable_key FROM findings"
	" WHERE substr(stable_key, 1, length(?1)) = ?1"
	" AND (?2 = 0 OR incident = ?2)"
	" ORDER BY incident, stable_key LIMIT 6";
static const char SQL_ORPHAN_PREFIX[] =
	"SELECT DISTINCT incident, finding_key FROM annotations"
	" WHERE finding_key IS NOT NULL"
	" AND substr(finding_key, 1, length(?1)) = ?1"
	" AND (?2 = 0 OR incident = ?2)"
	" ORDER BY incident, finding_key LIMIT 6";

static const char *const verdict_names[] = {
	[ANNOTATION_NONE] = "none",
	[ANNOTATION_CONFIRMED] = "confirmed",
	[ANNOTATION_DISMISSED] = "dismissed",
	[ANNOTATION_UNCLEAR] = "unclear",
};
#define VERDICT_COUNT ((int)(sizeof verdict_names / sizeof verdict_names[0]))

const char *
annotation_verdict_name(enum annotation_verdict v)
{
	if ((int)v < 0 || (int)v >= VERDICT_COUNT)
		return "none";
	return verdict_names[v];
}

int
annotation_verdict_from_name(const char *name)
{
	if (!name || !*name)
		return -1;
	size_t n = strlen(name);
	int found = -1;
	for (int v = 0; v < VERDICT_COUNT; v++) {
		if (strcmp(verdict_names[v], name) == 0)
			return v;
		if (strncmp(verdict_names[v], name, n) == 0) {
			if (found >= 0)
				return -1;   /* ambiguous prefix */
			found = v;
		}
	}
	return found;
}

/* ---- small helpers ---- */

void
annotation_new_uid(char uid[37])
{
	unsigned char b[16];
	size_t got = 0;
	while (got < sizeof b) {
		ssize_t n = getrandom(b + got, sizeof b - got, 0);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got < sizeof b) {
		/* No entropy source: time and pid still make clashes between
		 * two reviewers practically impossible. */
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		uint64_t x = (uint64_t)ts.tv_sec * 1000000007u ^ (uint64_t)ts.tv_nsec ^
		             ((uint64_t)getpid() << 32);
		for (size_t i = 0; i < sizeof b; i++) {
			x ^= x << 13; x ^= x >> 7; x ^= x << 17;
			b[i] = (unsigned char)(x >> 24);
		}
	}
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);   /* version 4 */
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);   /* RFC 4122 variant */
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	for (size_t i = 0; i < sizeof b; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			uid[o++] = '-';
		uid[o++] = hex[b[i] >> 4];
		uid[o++] = hex[b[i] & 15];
	}
	uid[o] = '\0';
}

int
annotation_uid_is_valid(const char *s)
{
	if (!s || strlen(s) != 36)
		return 0;
	for (int i = 0; i < 36; i++) {
		int dash = i == 8 || i == 13 || i == 18 || i == 23;
		char c = s[i];
		if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return 0;
	}
	return 1;
}

static int
has_control(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 1;
	return 0;
}

int
annotation_author_is_valid(const char *author)
{
	if (!author || strlen(author) > ANNOTATION_AUTHOR_MAX || has_control(author))
		return 0;
	const char *lt = strchr(author, '<');
	const char *gt = strrchr(author, '>');
	if (!lt || !gt || gt < lt || gt[1] != '\0' || lt == author)
		return 0;
	if (strchr(lt + 1, '<') || memchr(author, '>', (size_t)(gt - author)))
		return 0;
	return gt - lt > 1;   /* an email between the brackets */
}

static int
key_is_valid(const char *key)
{
	if (!key)
		return 1;
	size_t n = strlen(key);
	if (n == 0 || n > ANNOTATION_KEY_MAX)
		return 0;
	for (const char *p = key; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= 'A' && *p <= 'Z') || *p == '-' || *p == '_'))
			return 0;
	return 1;
}

static int
tag_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
annotation_normalize_tags(const char *tags, char **out,
                          struct alibi_error *err)
{
	*out = NULL;
	char *copy = xstrdup(tags ? tags : "");
	char *list[ANNOTATION_TAGS_MAX];
	size_t count = 0;
	int rc = 0;
	for (char *save = NULL, *t = strtok_r(copy, ", \t\n", &save); t;
	     t = strtok_r(NULL, ", \t\n", &save)) {
		if (strlen(t) > ANNOTATION_TAG_MAX || has_control(t)) {
			rc = alibi_error_set(err, ALIBI_EUSAGE,
			                     "tag '%.*s' is not allowed (at most %d bytes,"
			                     " no control characters)", 40, t, ANNOTATION_TAG_MAX);
			break;
		}
		int dup = 0;
		for (size_t i = 0; i < count; i++)
			dup |= strcmp(list[i], t) == 0;
		if (dup)
			continue;
		if (count == ANNOTATION_TAGS_MAX) {
			rc = alibi_error_set(err, ALIBI_EUSAGE, "more than %d tags",
			                     ANNOTATION_TAGS_MAX);
			break;
		}
		list[count++] = t;
	}
	if (rc == 0) {
		qsort(list, count, sizeof list[0], tag_cmp);
		struct strbuf sb = STRBUF_INIT;
		sb_adds(&sb, "");
		for (size_t i = 0; i < count; i++) {
			if (i)
				sb_addc(&sb, ',');
			sb_adds(&sb, list[i]);
		}
		*out = sb_detach(&sb);
	}
	free(copy);
	return rc;
}

/* ---- the setters ---- */

static int
check_target(int64_t incident, const char *finding_key, const char *author,
             struct alibi_error *err)
{
	if (incident <= 0)
		return alibi_error_set(err, ALIBI_EUSAGE, "annotation without an incident");
	if (!key_is_valid(finding_key))
		return alibi_error_set(err, ALIBI_EUSAGE, "'%.*s' is not a finding key",
		                       60, finding_key);
	if (!annotation_author_is_valid(author))
		return alibi_error_set(err, ALIBI_EUSAGE,
		                       "author '%.*s' is not of the form 'Name <email>'",
		                       80, author ? author : "");
	return 0;
}

/* The id of the author's annotation on the target, created when missing.
 * Runs inside the caller's transaction. */
static int
own_annotation(struct store *st, int64_t incident, const char *finding_key,
               const char *author, int64_t *id, struct alibi_error *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_FIND_OWN, err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, incident);
	store_bind_text(s, 2, finding_key);
	store_bind_text(s, 3, author);
	int rc = sqlite3_step(s);
	*id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_error(st, err, "looking up an annotation");
	if (*id)
		return 0;
	char uid[37];
	annotation_new_uid(uid);
	s = store_stmt(st, SQL_INSERT_EMPTY, err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, incident);
	store_bind_text(s, 2, finding_key);
	store_bind_text(s, 3, author);
	sqlite3_bind_int64(s, 4, time_now_us());
	store_bind_text(s, 5, uid);
	if (store_exec_stmt(st, s, err, "creating an annotation"))
		return err->code;
	*id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

/* Sets one text column (verdict, note or tags) of the author's annotation,
 * in one transaction of its own unless the caller holds one. */
static int
set_field(struct store *st, int64_t incident, const char *finding_key,
          const char *author, const char *sql, const char *value,
          struct alibi_error *err)
{
	if (check_target(incident, finding_key, author, err))
		return err->code;
	int own_tx = !st->in_transaction;
	if (own_tx && store_begin(st, err))
		return err->code;
	int64_t id;
	int rc = own_annotation(st, incident, finding_key, author, &id, err);
	if (rc == 0) {
		sqlite3_stmt *s = store_stmt(st, sql, err);
		if (!s) {
			rc = err->code;
		} else {
			sqlite3_bind_int64(s, 1, id);
			store_bind_text(s, 2, value);
			sqlite3_bind_int64(s, 3, time_now_us());
			rc = store_exec_stmt(st, s, err, "saving an annotation");
		}
	}
	if (own_tx) {
		if (rc == 0)
			rc = store_commit(st, err);
		if (rc)
			store_rollback(st);
	}
	return rc;
}

int
annotations_set_verdict(struct store *st, int64_t incident,
                        const char *finding_key, const char *author,
                        enum annotation_verdict v, struct alibi_error *err)
{
	if ((int)v < 0 || (int)v >= VERDICT_COUNT)
		return alibi_error_set(err, ALIBI_EUSAGE, "unknown verdict %d", (int)v);
	return set_field(st, incident, finding_key, author, SQL_SET_VERDICT,
	                 v == ANNOTATION_NONE ? NULL : verdict_names[v], err);
}

int
annotations_set_note(struct store *st, int64_t incident,
                     const char *finding_key, const char *author,
                     const char *note, struct alibi_error *err)
{
	note = note ? note : "";
	if (strlen(note) > ANNOTATION_NOTE_MAX)
		return alibi_error_set(err, ALIBI_EUSAGE,
		                       "note is %zu bytes; at most %d are kept",
		                       strlen(note), ANNOTATION_NOTE_MAX);
	struct strbuf clean = STRBUF_INIT;
	utf8_sanitize(&clean, note, strlen(note));
	int rc = set_field(st, incident, finding_key, author, SQL_SET_NOTE,
	                   sb_str(&clean), err);
	sb_free(&clean);
	return rc;
}

int
annotations_set_tags(struct store *st, int64_t incident,
                     const char *finding_key, const char *author,
                     const char *tags, struct alibi_error *err)
{
	struct strbuf clean = STRBUF_INIT;
	utf8_sanitize(&clean, tags ? tags : "", tags ? strlen(tags) : 0);
	char *norm = NULL;
	int rc = annotation_normalize_tags(sb_str(&clean), &norm, err);
	sb_free(&clean);
	if (rc == 0)
		rc = set_field(st, incident, finding_key, author, SQL_SET_TAGS, norm, err);
	free(norm);
	return rc;
}

/* Removes each tag of `drop` from the comma-separated list in sb. */
static void
drop_tags(struct strbuf *list, const char *drop)
{
	char *copy = xstrdup(drop);
	for (char *save = NULL, *t = strtok_r(copy, ", \t\n", &save); t;
	     t = strtok_r(NULL, ", \t\n", &save)) {
		struct strbuf kept = STRBUF_INIT;
		sb_adds(&kept, "");
		char *have = xstrdup(sb_str(list));
		for (char *s2 = NULL, *h = strtok_r(have, ",", &s2); h;
		     h = strtok_r(NULL, ",", &s2)) {
			if (strcmp(h, t) == 0)
				continue;
			if (kept.len)
				sb_addc(&kept, ',');
			sb_adds(&kept, h);
		}
		free(have);
		sb_reset(list);
		sb_adds(list, sb_str(&kept));
		sb_free(&kept);
	}
	free(copy);
}

int
annotations_add_tags(struct store *st, int64_t incident,
                     const char *finding_key, const char *author,
                     const char *tags, int remove, struct alibi_error *err)
{
	struct annotation cur;
	int found;
	if (annotations_get(st, incident, finding_key, author, &cur, &found, err))
		return err->code;
	struct strbuf list = STRBUF_INIT;
	sb_adds(&list, found ? cur.tags : "");
	annotation_clear(&cur);
	if (remove) {
		drop_tags(&list, tags ? tags : "");
	} else {
		sb_addc(&list, ',');
		sb_adds(&list, tags);
	}
	int rc = annotations_set_tags(st, incident, finding_key, author,
	                              sb_str(&list), err);
	sb_free(&list);
	return rc;
}

/* ---- reading ---- */

static void
row_to_annotation(sqlite3_stmt *s, struct annotation *a)
{
	const char *verdict = store_col_text(s, 5);
	int v = verdict ? annotation_verdict_from_name(verdict) : ANNOTATION_NONE;
	*a = (struct annotation){
		.id = sqlite3_column_int64(s, 0),
		.incident = sqlite3_column_int64(s, 1),
		.uid = store_col_text(s, 2),
		.finding_key = store_col_text(s, 3),
		.author = store_col_text(s, 4),
		.verdict = v < 0 ? ANNOTATION_NONE : (enum annotation_verdict)v,
		.tags = store_col_text(s, 6),
		.note = store_col_text(s, 7),
		.created_at = sqlite3_column_int64(s, 8),
		.updated_at = sqlite3_column_int64(s, 9),
		.committed_in = store_col_text(s, 10),
	};
	if (!a->tags)
		a->tags = "";
	if (!a->note)
		a->note = "";
	if (!a->uid)
		a->uid = "";
}

int
annotations_get(struct store *st, int64_t incident, const char *finding_key,
                const char *author, struct annotation *out, int *found,
                struct alibi_error *err)
{
	memset(out, 0, sizeof *out);
	*found = 0;
	sqlite3_stmt *s = store_stmt(st, SQL_GET_OWN, err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, incident);
	store_bind_text(s, 2, finding_key);
	store_bind_text(s, 3, author);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		struct annotation row;
		row_to_annotation(s, &row);
		*out = row;
		out->uid = xstrdup(row.uid);
		out->finding_key = xstrdup(row.finding_key);
		out->author = xstrdup(row.author);
		out->tags = xstrdup(row.tags);
		out->note = xstrdup(row.note);
		out->committed_in = xstrdup(row.committed_in);
		*found = 1;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_error(st, err, "reading an annotation");
	return 0;
}

void
annotation_clear(struct annotation *a)
{
	free((char *)a->uid);
	free((char *)a->finding_key);
	free((char *)a->author);
	free((char *)a->tags);
	free((char *)a->note);
	free((char *)a->committed_in);
	memset(a, 0, sizeof *a);
}

int
annotations_each(struct store *st, int64_t incident, int filter,
                 const char *finding_key,
                 int (*fn)(void *ctx, const struct annotation *a), void *ctx,
                 struct alibi_error *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_EACH, err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, incident);
	sqlite3_bind_int(s, 2, (filter & ANNOTATIONS_UNCOMMITTED) != 0);
	sqlite3_bind_int(s, 3, (filter & ANNOTATIONS_INCIDENT_ONLY) != 0);
	store_bind_text(s, 4, (filter & ANNOTATIONS_FINDING) ? finding_key : NULL);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct annotation a;
		row_to_annotation(s, &a);
		if (fn(ctx, &a))
			break;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_error(st, err, "listing annotations");
	return 0;
}

int
annotations_verdict(struct store *st, int64_t incident, const char *finding_key,
                    enum annotation_verdict *v, struct alibi_error *err)
{
	*v = ANNOTATION_NONE;
	sqlite3_stmt *s = store_stmt(st, SQL_VERDICT, err);
	if (!s)
		return err->code;
	sqlite3_bind_int64(s, 1, incident);
	store_bind_text(s, 2, finding_key);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		int got = annotation_verdict_from_name(store_col_text(s, 0));
		*v = got < 0 ? ANNOTATION_NONE : (enum annotation_verdict)got;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_error(st, err, "reading a verdict");
	return 0;
}

int
annotations_mark_committed(struct store *st, const char *uid,
                           int64_t updated_at, const char *commit,
                           struct alibi_error *err)
{
	sqlite3_stmt *s = store_stmt(st, SQL_MARK_COMMITTED, err);
	if (!s)
		return err->code;
	store_bind_text(s, 1, uid);
	sqlite3_bind_int64(s, 2, updated_at);
	store_bind_text(s, 3, commit);
	return store_exec_stmt(st, s, err, "marking an annotation committed");
}

/* ---- teammates' annotations ---- */

static int
check_import(const struct annotation *a, struct alibi_error *err)
{
	if (!annotation_uid_is_valid(a->uid))
		return alibi_error_set(err, ALIBI_EFORMAT, "note id '%.*s' is not a uuid",
		                       40, a->uid ? a->uid : "");
	if (check_target(a->incident, a->finding_key, a->author, err))
		return err->code;
	if (a->note && strlen(a->note) > ANNOTATION_NOTE_MAX)
		return alibi_error_set(err, ALIBI_EFORMAT, "note %s is too long", a->uid);
	if ((int)a->verdict < 0 || (int)a->verdict >= VERDICT_COUNT)
		return alibi_error_set(err, ALIBI_EFORMAT, "note %s: bad verdict", a->uid);
	return 0;
}

static void
bind_import(sqlite3_stmt *s, const struct annotation *a, const char *note,
            const char *tags)
{
	sqlite3_bind_int64(s, 1, a->incident);
	store_bind_text(s, 2, a->uid);
	store_bind_text(s, 3, a->finding_key);
	store_bind_text(s, 4, a->author);
	store_bind_text(s, 5, a->verdict == ANNOTATION_NONE ? NULL : verdict_names[a->verdict]);
	store_bind_text(s, 6, tags);
	store_bind_text(s, 7, note);
	sqlite3_bind_int64(s, 8, a->created_at);
	sqlite3_bind_int64(s, 9, a->updated_at);
	store_bind_text(s, 10, a->committed_in);
}

int
annotations_import(struct store *st, const struct annotation *a, int *changed,
                   struct alibi_error *err)
{
	if (changed)
		*changed = 0;
	if (check_import(a, err))
		return err->code;
	sqlite3_stmt *s = store_stmt(st, SQL_BY_UID, err);
	if (!s)
		return err->code;
	store_bind_text(s, 1, a->uid);
	int rc = sqlite3_step(s);
	int exists = rc == SQLITE_ROW;
	int64_t local_updated = exists ? sqlite3_column_int64(s, 1) : 0;
	int local_dirty = exists && sqlite3_column_int(s, 2);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_error(st, err, "looking up a note");
	/* A local change not committed yet wins: the next commit and pull
	 * bring the two versions together, and neither is lost. */
	if (exists && (local_dirty || local_updated >= a->updated_at))
		return 0;
	struct strbuf note = STRBUF_INIT, tags_in = STRBUF_INIT;
	utf8_sanitize(&note, a->note ? a->note : "", a->note ? strlen(a->note) : 0);
	utf8_sanitize(&tags_in, a->tags ? a->tags : "", a->tags ? strlen(a->tags) : 0);
	char *tags = NULL;
	if (annotation_normalize_tags(sb_str(&tags_in), &tags, err)) {
		sb_free(&note);
		sb_free(&tags_in);
		return alibi_error_prefix(err, "note %s", a->uid);
	}
	s = store_stmt(st, exists ? SQL_IMPORT_UPDATE : SQL_IMPORT_INSERT, err);
	if (s) {
		bind_import(s, a, sb_str(&note), tags);
		rc = store_exec_stmt(st, s, err, "importing a note");
	} else {
		rc = err->code;
	}
	free(tags);
	sb_free(&note);
	sb_free(&tags_in);
	if (rc == 0 && changed)
		*changed = 1;
	return rc;
}

/* ---- naming a target ---- */

static int
is_hex_prefix(const char *s)
{
	size_t n = strlen(s);
	if (n < 6 || n > ANNOTATION_KEY_MAX)
		return 0;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f') ||
		      (*s >= 'A' && *s <= 'F')))
			return 0;
	return 1;
}

/* Collects the (incident, key) pairs whose key starts with prefix. */
static int
match_keys(struct store *st, const char *sql, const char *prefix,
           int64_t incident, struct annotation_target *first, int *count,
           struct strbuf *list, struct alibi_error *err)
{
	sqlite3_stmt *s = store_stmt(st, sql, err);
	if (!s)
		return err->code;
	store_bind_text(s, 1, prefix);
	sqlite3_bind_int64(s, 2, incident);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *key = store_col_text(s, 1);
		if (!key || strlen(key) > ANNOTATION_KEY_MAX)
			continue;
		if (*count == 0) {
			first->incident = sqlite3_column_int64(s, 0);
			first->is_finding = 1;
			snprintf(first->finding_key, sizeof first->finding_key, "%s", key);
		}
		sb_addf(list, "\n  %s (incident %lld)", key,
		        (long long)sqlite3_column_int64(s, 0));
		(*count)++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_db_error(st, err, "looking up a finding");
	return 0;
}

int
annotations_resolve(struct store *st, const char *name, int64_t incident,
                    struct annotation_target *t, struct alibi_error *err)
{
	memset(t, 0, sizeof *t);
	if (!name || !*name)
		return alibi_error_set(err, ALIBI_EUSAGE, "name a finding or an incident");
	if (is_hex_prefix(name)) {
		char prefix[ANNOTATION_KEY_MAX + 1];
		size_t n = strlen(name);
		for (size_t i = 0; i <= n; i++)
			prefix[i] = (char)(name[i] >= 'A' && name[i] <= 'F' ? name[i] + 32 : name[i]);
		struct strbuf list = STRBUF_INIT;
		int count = 0;
		int rc = match_keys(st, SQL_FINDING_PREFIX, prefix, incident, t, &count,
		                    &list, err);
		/* A finding a newer analysis no longer produces keeps its notes;
		 * they can still be reached by key. */
		if (rc == 0 && count == 0)
			rc = match_keys(st, SQL_ORPHAN_PREFIX, prefix, incident, t, &count,
			                &list, err);
		if (rc == 0 && count > 1)
			rc = alibi_error_set(err, ALIBI_EUSAGE,
			                     "finding '%s' is ambiguous; it could be:%s",
			                     name, sb_str(&list));
		sb_free(&list);
		if (rc || count == 1)
			return rc;
		memset(t, 0, sizeof *t);
	}
	int64_t id = 0;
	if (store_incident_find(st, name, &id, err)) {
		if (err->code == ALIBI_ENOTFOUND)
			alibi_error_set(err, ALIBI_ENOTFOUND,
			                "no finding or incident named '%.*s'", 80, name);
		return err->code;
	}
	if (incident > 0 && id != incident)
		return alibi_error_set(err, ALIBI_EUSAGE,
		                       "'%.*s' is another incident", 80, name);
	t->incident = id;
	return 0;
}
