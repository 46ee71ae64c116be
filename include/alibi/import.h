/* import.h — the import driver: paths in, incidents and sources out.
 *
 * A directory is one incident (named after the directory); files given
 * together form one incident (named by the caller or after the first
 * file).  A file that holds several runs (an Inspect log with several
 * samples) makes one incident per run, named BASE/RUN: BASE is the
 * caller's name, else the file's own (its task), else the name the
 * file's incident would have had.  A file with one run stays one incident.
 * Each source is hashed; a source already in the incident with the same
 * sha256 is skipped.  Each file is imported in one transaction, so a
 * failure never leaves half a source behind and never touches what the
 * workspace already held. */
#ifndef ALIBI_IMPORT_H
#define ALIBI_IMPORT_H

#include <stdint.h>
#include "alibi/error.h"
#include "alibi/records.h"
#include "alibi/store.h"

enum import_file_status {
	IMPORT_OK,           /* imported, no bad records */
	IMPORT_PARTIAL,      /* imported, some records skipped */
	IMPORT_DUPLICATE,    /* same sha256 already in this incident */
	IMPORT_UNRECOGNISED, /* no format claims a file named explicitly */
	IMPORT_SKIPPED,      /* a file in a directory that no format claims */
	IMPORT_FAILED        /* could not be read at all */
};

struct import_options {
	const char *incident;   /* slug to import into; NULL: derive */
	const char *format;     /* force a format (--format); NULL: detect */
	/* A file that holds several runs gives only the run incident was made
	 * from (its slug ends with the run's), into incident itself: a case
	 * of one sample, opened again from its whole log. */
	int pick_run;
};

/* What the driver tells its caller as it goes; any may be NULL. */
struct import_report {
	void *ctx;
	/* A bad record: "file:line: problem", already formatted. */
	void (*bad_record)(void *ctx, const char *msg);
	void (*file_done)(void *ctx, const char *path, const char *incident,
	                  const char *format, enum import_file_status status,
	                  int64_t records, int64_t errors, const char *why);
	/* A message stored as row id (its file may still be rolled back,
	 * and the row given to another message). */
	void (*message)(void *ctx, int64_t id, const struct alibi_message *m);
};

struct import_result {
	int64_t *incidents;      /* incidents touched, in order */
	size_t incident_count, incident_cap;
	int64_t files_ok, files_partial, files_duplicate;
	int64_t files_unrecognised, files_failed;
	int64_t files_not_imported;  /* in a directory, read by no format */
	int64_t bad_records;
};

int import_paths(struct store *st, const char *const *paths, size_t count,
                 const struct import_options *opt,
                 const struct import_report *report,
                 struct import_result *result, struct alibi_error *err);
/* Frees what import_paths() put in result. */
void import_result_free(struct import_result *result);

#endif
