/* store.c — opening the workspace, its schema and migrations, the
 * statement cache and transactions.  Records live in store_records.c,
 * analysis results in store_findings.c, the SQL interface in
 * store_query.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "alibi/alloc.h"
#include "alibi/strbuf.h"
#include "store_internal.h"

/* Each entry migrates the schema from version i to i + 1.  A released
 * migration is never edited; new ones are appended. */
static const char *const migrations[] = {
	/* 0 -> 1: the first schema (DESIGN §3). */
	"CREATE TABLE incidents("
	"  id INTEGER PRIMARY KEY,"
	"  slug TEXT NOT NULL UNIQUE,"
	"  title TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  clock_offset_us INTEGER NOT NULL DEFAULT 0,"
	"  clock_note TEXT);"
	"CREATE TABLE sources("
	"  id INTEGER PRIMARY KEY,"
	"  incident INTEGER NOT NULL,"
	"  path TEXT NOT NULL,"
	"  format TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  sha256 TEXT NOT NULL,"
	"  bytes INTEGER NOT NULL DEFAULT 0,"
	"  records INTEGER NOT NULL DEFAULT 0,"
	"  errors INTEGER NOT NULL DEFAULT 0,"
	"  clock TEXT NOT NULL DEFAULT 'none',"
	"  imported_at INTEGER,"
	"  UNIQUE(incident, sha256));"
	"CREATE TABLE messages("
	"  id INTEGER PRIMARY KEY,"
	"  incident INTEGER NOT NULL,"
	"  source INTEGER NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  ts INTEGER,"
	"  role TEXT NOT NULL,"
	"  agent TEXT,"
	"  text TEXT,"
	"  line INTEGER);"
	"CREATE TABLE tool_calls("
	"  id INTEGER PRIMARY KEY,"
	"  incident INTEGER NOT NULL,"
	"  source INTEGER NOT NULL,"
	"  message INTEGER,"
	"  call_id TEXT,"
	"  name TEXT,"
	"  args_json TEXT,"
	"  command TEXT,"
	"  result_text TEXT,"
	"  is_error INTEGER NOT NULL DEFAULT 0,"
	"  started INTEGER,"
	"  ended INTEGER,"
	"  line INTEGER);"
	"CREATE TABLE ops("
	"  id INTEGER PRIMARY KEY,"
	"  incident INTEGER NOT NULL,"
	"  source INTEGER NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  ts INTEGER,"
	"  pid INTEGER,"
	"  ppid INTEGER,"
	"  op TEXT NOT NULL,"
	"  syscall TEXT,"
	"  path TEXT,"
	"  path2 TEXT,"
	"  host TEXT,"
	"  port INTEGER,"
	"  bytes INTEGER,"
	"  ok INTEGER NOT NULL DEFAULT 1,"
	"  errno INTEGER,"
	"  err_name TEXT,"
	"  detail TEXT,"
	"  derived INTEGER NOT NULL DEFAULT 0,"
	"  tool_call INTEGER,"
	"  line INTEGER,"
	"  raw TEXT);"
	"CREATE TABLE claims("
	"  id INTEGER PRIMARY KEY,"
	"  incident INTEGER NOT NULL,"
	"  message INTEGER NOT NULL,"
	"  start INTEGER NOT NULL,"
	"  end INTEGER NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  verb TEXT,"
	"  object TEXT,"
	"  negated INTEGER NOT NULL DEFAULT 0,"
	"  rule TEXT,"
	"  text TEXT);"
	"CREATE TABLE findings("
	"  id INTEGER PRIMARY KEY,"
	"  incident INTEGER NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  severity TEXT NOT NULL,"
	"  confidence REAL NOT NULL DEFAULT 1.0,"
	"  summary TEXT,"
	"  because TEXT,"
	"  rule TEXT,"
	"  status TEXT NOT NULL DEFAULT 'open',"
	"  stable_key TEXT NOT NULL);"
	"CREATE TABLE evidence("
	"  id INTEGER PRIMARY KEY,"
	"  finding INTEGER NOT NULL,"
	"  type TEXT NOT NULL,"
	"  ref INTEGER NOT NULL,"
	"  role TEXT);"
	"CREATE TABLE annotations("
	"  id INTEGER PRIMARY KEY,"
	"  incident INTEGER NOT NULL,"
	"  finding_key TEXT,"
	"  author TEXT,"
	"  verdict TEXT,"
	"  tags TEXT,"
	"  note TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  committed_in TEXT);"
	"CREATE INDEX messages_by_incident ON messages(incident, seq);"
	"CREATE INDEX tool_calls_by_call_id ON tool_calls(incident, call_id);"
	"CREATE INDEX tool_calls_by_message ON tool_calls(message);"
	"CREATE INDEX ops_by_incident ON ops(incident, source, line);"
	"CREATE INDEX ops_by_tool_call ON ops(tool_call);"
	"CREATE INDEX claims_by_message ON claims(incident, message);"
	"CREATE INDEX findings_by_incident ON findings(incident);"
	"CREATE INDEX evidence_by_finding ON evidence(finding);"
	"CREATE INDEX evidence_by_ref ON evidence(type, ref);"
	"CREATE INDEX annotations_by_finding ON annotations(incident, finding_key);",
	/* 1 -> 2: notes are files named by a uid in case repositories; a
	 * source remembers where it was read from, so evidence can be copied
	 * from any working directory. */
	"ALTER TABLE annotations ADD COLUMN uid TEXT;"
	"CREATE UNIQUE INDEX annotations_by_uid ON annotations(uid);"
	"ALTER TABLE sources ADD COLUMN abspath TEXT;",
	/* 2 -> 3: the zone a reviewer gave a time-of-day log's clock
	 * (--clock-offset), µs east of UTC; NULL while it is estimated. */
	"ALTER TABLE incidents ADD COLUMN clock_zone_us INTEGER;",
	/* 3 -> 4: ops are kept in time order within their source as they are
	 * inserted (the import's writer thread pays for it): by time for the
	 * console's DID pane (views.c would build it after the import), by
	 * time and line for analysis, which reads them in that order without
	 * sorting them all.  The index on tool_call alone goes: it is the
	 * start of ops_by_tool_call_time (views.c), and every attribution had
	 * to update both. */
	"CREATE INDEX IF NOT EXISTS ops_by_source_time"
	" ON ops(source, ifnull(ts, -9223372036854775807));"
	"CREATE INDEX IF NOT EXISTS ops_by_source_line"
	" ON ops(source, ifnull(ts, -9223372036854775807), line);"
	"DROP INDEX IF EXISTS ops_by_tool_call;",
};
#define SCHEMA_VERSION ((int)(sizeof migrations / sizeof migrations[0]))

int
store_db_error(struct store *st, struct alibi_error *err, const char *doing)
{
	return alibi_error_set(err, ALIBI_EDB, "%s: %s: %s",
	                       st->path ? st->path : "workspace", doing,
	                       sqlite3_errmsg(st->db));
}

sqlite3_stmt *
store_stmt(struct store *st, const char *sql, struct alibi_error *err)
{
	for (size_t i = 0; i < st->cache_used; i++) {
		if (st->cache[i].sql == sql) {
			sqlite3_stmt *s = st->cache[i].stmt;
			sqlite3_reset(s);
			sqlite3_clear_bindings(s);
			return s;
		}
	}
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) {
		store_db_error(st, err, "preparing a statement");
		sqlite3_finalize(s);
		return NULL;
	}
	if (st->cache_used < STORE_STMT_CACHE) {
		st->cache[st->cache_used].sql = sql;
		st->cache[st->cache_used].stmt = s;
		st->cache_used++;
		return s;
	}
	/* The cache is sized for every statement alibi has; running out is a
	 * bug, not a condition to handle. */
	sqlite3_finalize(s);
	alibi_error_set(err, ALIBI_EINTERNAL, "statement cache is full");
	return NULL;
}

void
store_bind_text(sqlite3_stmt *s, int col, const char *text)
{
	if (text)
		sqlite3_bind_text(s, col, text, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, col);
}

void
store_bind_ts(sqlite3_stmt *s, int col, int64_t ts)
{
	if (ts == ALIBI_TS_NONE)
		sqlite3_bind_null(s, col);
	else
		sqlite3_bind_int64(s, col, ts);
}

const char *
store_col_text(sqlite3_stmt *s, int col)
{
	return (const char *)sqlite3_column_text(s, col);
}

int
store_exec_stmt(struct store *st, sqlite3_stmt *s, struct alibi_error *err,
                const char *doing)
{
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_db_error(st, err, doing);
	return 0;
}

static int
exec_sql(struct store *st, const char *sql, struct alibi_error *err,
         const char *doing)
{
	char *msg = NULL;
	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		alibi_error_set(err, ALIBI_EDB, "%s: %s: %s", st->path, doing,
		                msg ? msg : sqlite3_errmsg(st->db));
		sqlite3_free(msg);
		return ALIBI_EDB;
	}
	return 0;
}

static int
schema_version(struct store *st, int *version, struct alibi_error *err)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK)
		return store_db_error(st, err, "reading the schema version");
	int rc = sqlite3_step(s);
	*version = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW)
		return store_db_error(st, err, "reading the schema version");
	return 0;
}

static int
migrate(struct store *st, struct alibi_error *err)
{
	int version;
	if (schema_version(st, &version, err))
		return err->code;
	if (version > SCHEMA_VERSION)
		return alibi_error_set(err, ALIBI_EDB,
		                       "%s: workspace schema version %d is newer than this alibi (%d)",
		                       st->path, version, SCHEMA_VERSION);
	if (version == SCHEMA_VERSION)
		return 0;
	if (st->readonly)
		return alibi_error_set(err, ALIBI_EDB,
		                       "%s: workspace needs an upgrade; open it once for writing",
		                       st->path);
	if (exec_sql(st, "BEGIN IMMEDIATE", err, "starting the schema upgrade"))
		return err->code;
	for (int v = version; v < SCHEMA_VERSION; v++) {
		char pragma[64];
		snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
		if (exec_sql(st, migrations[v], err, "upgrading the schema") ||
		    exec_sql(st, pragma, err, "upgrading the schema")) {
			exec_sql(st, "ROLLBACK", NULL, "rolling back");
			return err->code;
		}
	}
	return exec_sql(st, "COMMIT", err, "committing the schema upgrade");
}

static int
make_parent_dirs(const char *path, struct alibi_error *err)
{
	char *dir = xstrdup(path);
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			alibi_error_set(err, ALIBI_EIO, "%s: cannot create directory: %s",
			                dir, strerror(errno));
			free(dir);
			return ALIBI_EIO;
		}
		*p = '/';
	}
	free(dir);
	return 0;
}

static int
configure_connection(struct store *st, struct alibi_error *err)
{
	sqlite3_busy_timeout(st->db, 5000);
	if (strcmp(st->path, ":memory:") == 0 || st->readonly)
		return 0;
	/* WAL lets the console read while an import writes; NORMAL sync is
	 * durable across application crashes, which is what annotations need. */
	if (exec_sql(st, "PRAGMA journal_mode=WAL", err, "enabling WAL") ||
	    exec_sql(st, "PRAGMA synchronous=NORMAL", err, "setting synchronous"))
		return err->code;
	return 0;
}

int
store_open(const char *path, int flags, struct store **out,
           struct alibi_error *err)
{
	*out = NULL;
	int memory = strcmp(path, ":memory:") == 0;
	int sqlflags = SQLITE_OPEN_NOMUTEX;
	if (flags & STORE_READONLY) {
		sqlflags |= SQLITE_OPEN_READONLY;
	} else {
		sqlflags |= SQLITE_OPEN_READWRITE;
		if (flags & STORE_CREATE) {
			sqlflags |= SQLITE_OPEN_CREATE;
			if (!memory && make_parent_dirs(path, err))
				return err->code;
		}
	}
	struct store *st = xcalloc(1, sizeof *st);
	st->path = xstrdup(path);
	st->readonly = (flags & STORE_READONLY) != 0;
	if (sqlite3_open_v2(path, &st->db, sqlflags, NULL) != SQLITE_OK) {
		if (!st->db)
			alibi_error_set(err, ALIBI_EDB, "%s: cannot open workspace", path);
		else
			store_db_error(st, err, "cannot open workspace");
		store_close(st);
		return ALIBI_EDB;
	}
	sqlite3_extended_result_codes(st->db, 1);
	if (configure_connection(st, err) || migrate(st, err)) {
		store_close(st);
		return err->code;
	}
	*out = st;
	return 0;
}

void
store_close(struct store *st)
{
	if (!st)
		return;
	store_checkpointer_stop(st);
	for (size_t i = 0; i < st->cache_used; i++)
		sqlite3_finalize(st->cache[i].stmt);
	if (st->db)
		sqlite3_close(st->db);
	free(st->path);
	free(st);
}

int
store_default_path(char *buf, size_t size, struct alibi_error *err)
{
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	int n;
	if (xdg && *xdg == '/')
		n = snprintf(buf, size, "%s/alibi/workspace.db", xdg);
	else if (home && *home)
		n = snprintf(buf, size, "%s/.local/share/alibi/workspace.db", home);
	else
		return alibi_error_set(err, ALIBI_EUSAGE,
		                       "neither XDG_DATA_HOME nor HOME is set; use --db FILE");
	if (n < 0 || (size_t)n >= size)
		return alibi_error_set(err, ALIBI_EUSAGE, "workspace path is too long; use --db FILE");
	return 0;
}

int
store_begin(struct store *st, struct alibi_error *err)
{
	if (exec_sql(st, "BEGIN IMMEDIATE", err, "starting a transaction"))
		return err->code;
	st->in_transaction = 1;
	return 0;
}

/* An import writes much and reads back what it wrote.  A page cache of
 * 16 MB holds a million-line import's pages, so none is spilled to the
 * WAL and written again before the commit (and bounds the memory at any
 * size).  Its checkpoints run on a thread after each commit
 * (checkpointer.c), so the database file is written while the import goes
 * on; where no thread can be started, a checkpoint every 64 MB of WAL
 * instead of every 4 MB writes most pages to the database file once. */
int
store_bulk_load(struct store *st, struct alibi_error *err)
{
	if (st->readonly || strcmp(st->path, ":memory:") == 0)
		return 0;
	if (exec_sql(st, "PRAGMA cache_size = -16384", err, "sizing the page cache") ||
	    exec_sql(st, "PRAGMA wal_autocheckpoint = 16384", err, "setting checkpoints"))
		return err->code;
	store_checkpointer_start(st);
	return 0;
}

/* The value of a PRAGMA that reports one number; 0 when it cannot. */
static int64_t
pragma_number(struct store *st, const char *sql)
{
	sqlite3_stmt *s = NULL;
	int64_t v = 0;
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* After the import, analysis reads the incident back in a few passes
 * (messages, ops, then the ops it attributes again).  While the whole
 * workspace fits in the import's page cache, the passes find every page
 * there; once it does not, each pass evicts what the next one needs
 * first, so the cache saves almost nothing.  Then it goes back to
 * SQLite's default size (2000 KiB), which frees the import's pages
 * rather than keep them beside what analysis holds in memory.  The
 * checkpoints stay as set. */
int
store_bulk_load_end(struct store *st, struct alibi_error *err)
{
	if (st->readonly || strcmp(st->path, ":memory:") == 0)
		return 0;
	int64_t cache = pragma_number(st, "PRAGMA cache_size");   /* < 0: KiB */
	int64_t page = pragma_number(st, "PRAGMA page_size");
	int64_t cache_bytes = cache < 0 ? -cache * 1024 : cache * page;
	if (pragma_number(st, "PRAGMA page_count") * page <= cache_bytes)
		return 0;
	return exec_sql(st, "PRAGMA cache_size = -2000", err, "sizing the page cache");
}

int
store_thread_safe(void)
{
	return sqlite3_threadsafe() != 0;
}

int
store_commit(struct store *st, struct alibi_error *err)
{
	st->in_transaction = 0;
	return exec_sql(st, "COMMIT", err, "committing");
}

void
store_rollback(struct store *st)
{
	if (st->in_transaction)
		exec_sql(st, "ROLLBACK", NULL, "rolling back");
	st->in_transaction = 0;
}
