/* import_internal.h — what the import driver (import.c) and the incidents
 * one file's records are split over (import_parts.c) share. */
#ifndef ALIBI_IMPORT_INTERNAL_H
#define ALIBI_IMPORT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "alibi/error.h"
#include "alibi/records.h"
#include "alibi/store.h"

/* One incident a file's records go to, and the file's source row in it. */
struct import_part {
	char *slug, *title;
	int64_t incident;       /* 0 until the part is created (or known to exist) */
	int64_t source;         /* 0 until the part's first record */
	int64_t records, errors;
	enum alibi_clock clock;
	int duplicate;          /* the incident already holds this file: its
	                           records and problems are dropped */
	int skipped;            /* a run not picked: dropped, never reported */
};

/* The incidents one file's records go to.  v[0] is the one the import put
 * the file in; the parser adds one per run it begins (begin_incident).  A
 * part is created, incident and source row, with its first record, so a
 * run whose records all fail leaves no empty incident behind. */
struct import_parts {
	struct store *st;
	struct store_source src;  /* what every part's source row repeats */
	const char *base;         /* the caller's name for the runs, or NULL */
	int pick_run;             /* only the run v[0] was made from, into v[0] */
	struct import_part *v;
	size_t count, cap;
	size_t current;           /* where records go now */
	int64_t records, errors;  /* over all parts */
};

/* slug/title name the file's own incident; incident is its id when it
 * exists already (else 0).  src, base and the strings must outlive p.
 * pick_run: see import_options. */
void import_parts_init(struct import_parts *p, struct store *st,
                       const struct store_source *src, const char *slug,
                       const char *title, int64_t incident, const char *base,
                       int pick_run);
/* Records from now on go to a part of their own, named BASE/RUN (BASE:
 * p->base, else log, else the file's own incident's slug). */
int import_parts_begin(struct import_parts *p, const char *log, const char *run,
                       struct alibi_error *err);
/* The part records go to now, created on the first call.  *part is NULL
 * when they are dropped (the part was imported before). */
int import_parts_open(struct import_parts *p, struct import_part **part,
                      struct alibi_error *err);
/* A good record and a bad one, counted against the current part; both
 * return 0 when the part drops what it gets. */
int import_parts_count_record(struct import_parts *p);
int import_parts_count_error(struct import_parts *p);
void import_parts_set_clock(struct import_parts *p, enum alibi_clock clock);
/* Writes every created part's counts and clock.  A file that began no run
 * gets its source row even when no record came (records 0), as every
 * imported file does. */
int import_parts_finish(struct import_parts *p, struct alibi_error *err);
/* Whether the parser split the file into runs. */
int import_parts_split(const struct import_parts *p);
/* Whether it did, and every run was imported before (so nothing was). */
int import_parts_all_duplicate(const struct import_parts *p);
void import_parts_free(struct import_parts *p);

#endif
