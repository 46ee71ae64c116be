/* sqlite-ceiling.c — how fast SQLite alone can take a log into alibi's ops
 * table: the ceiling an importer is measured against.
 *
 *   sqlite-ceiling LOG DB
 *
 * reads LOG line by line and inserts one row per line into a fresh DB with
 * the ops table and its indexes as alibi creates them (src/store/store.c,
 * schema version 4), through one prepared statement in one transaction, in
 * WAL mode with synchronous=NORMAL and the page cache and checkpoints of
 * alibi's import (store_bulk_load).  No parsing: the line is the raw column.
 * Prints the rows and the seconds taken, reading included. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

static const char schema[] =
	"PRAGMA journal_mode=WAL;"
	"PRAGMA synchronous=NORMAL;"
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
	"CREATE INDEX ops_by_incident ON ops(incident, source, line);"
	"CREATE INDEX ops_by_source_time ON ops(source, ifnull(ts, -9223372036854775807));"
	"CREATE INDEX ops_by_source_line ON ops(source, ifnull(ts, -9223372036854775807), line);"
	/* as alibi sets a connection up for an import (store_bulk_load) */
	"PRAGMA cache_size = -16384;"
	"PRAGMA wal_autocheckpoint = 16384;";

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
fail(sqlite3 *db, const char *what)
{
	fprintf(stderr, "sqlite-ceiling: %s: %s\n", what, db ? sqlite3_errmsg(db) : "out of memory");
	sqlite3_close(db);
	return 1;
}

/* The pid at the start of a strace -f line, so the row is not all blanks. */
static long
leading_number(const char *s)
{
	return strtol(s, NULL, 10);
}

int
main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: sqlite-ceiling LOG DB\n");
		return 2;
	}
	double start = now_s();
	FILE *in = fopen(argv[1], "r");
	if (!in) {
		perror(argv[1]);
		return 1;
	}
	remove(argv[2]);
	sqlite3 *db = NULL;
	if (sqlite3_open(argv[2], &db) != SQLITE_OK)
		return fail(db, "open");
	if (sqlite3_exec(db, schema, NULL, NULL, NULL) != SQLITE_OK)
		return fail(db, "schema");
	sqlite3_stmt *ins;
	if (sqlite3_prepare_v2(db, "INSERT INTO ops(incident, source, seq, pid, op, line, raw) "
	                       "VALUES (1, 1, ?1, ?2, 'other', ?1, ?3)", -1, &ins, NULL) != SQLITE_OK)
		return fail(db, "prepare");
	if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return fail(db, "begin");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long long rows = 0;
	while ((n = getline(&line, &cap, in)) > 0) {
		if (line[n - 1] == '\n')
			n--;
		rows++;
		sqlite3_bind_int64(ins, 1, rows);
		sqlite3_bind_int64(ins, 2, leading_number(line));
		sqlite3_bind_text(ins, 3, line, (int)n, SQLITE_STATIC);
		if (sqlite3_step(ins) != SQLITE_DONE)
			return fail(db, "insert");
		sqlite3_reset(ins);
	}
	free(line);
	fclose(in);
	sqlite3_finalize(ins);
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		return fail(db, "commit");
	sqlite3_close(db);
	printf("%lld rows %.3f s\n", rows, now_s() - start);
	return 0;
}
