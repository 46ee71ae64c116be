/* auditd_internal.h — the parts of the auditd parser that its files share.
 *
 *   auditd.c       detection, the line loop, reading one record's fields,
 *                  and grouping records into events by their serial
 *   auditd_ops.c   one whole event (SYSCALL + CWD + PATH + EXECVE +
 *                  SOCKADDR + PROCTITLE) -> the ops strace would give
 *
 * A record is kept as owned copies of its fields until its event is
 * complete: records of one event may be far apart in the log. */
#ifndef ALIBI_AUDITD_INTERNAL_H
#define ALIBI_AUDITD_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "alibi/ingest.h"
#include "alibi/strbuf.h"

#define AUDITD_RAW_MAX 4096
#define AUDITD_OPEN_EVENTS 32     /* an event older than this many others is complete */
#define AUDITD_MAX_RECORDS 512    /* records kept per event */
#define AUDITD_MAX_FIELDS 4096    /* fields kept per record (EXECVE: one per argument) */

struct audit_field {
	char *key;
	char *val;               /* quotes removed; still hex when the log hex-encoded it */
	int quoted;              /* the value was in "..." (never hex-encoded) */
};

struct audit_rec {
	char *type;              /* "SYSCALL", "PATH", ... */
	int64_t line;
	char *raw;               /* the line as read, cut at AUDITD_RAW_MAX */
	struct audit_field *f;   /* the fields before the enriched tail */
	size_t nf;
	struct audit_field *ef;  /* the enriched tail after 0x1d (UID=, SYSCALL=, ...) */
	size_t nef;
};

struct audit_event {
	char *stamp;             /* "1492037289.295:58": what groups records */
	int64_t ts;
	int64_t line;            /* of its first record */
	int interpreted;         /* ausearch -i: names, not numbers; no hex */
	int done;                /* EOE seen */
	struct audit_rec *recs;
	size_t n, cap;
};

/* Directories seen by absolute name, by device and inode: the kernel
 * names a lookup relative to a directory fd (unlinkat(fd, "x") as rm -r
 * does) by the bare name only, and its PARENT item by inode.  A bounded
 * cache: a slot is overwritten when another directory hashes to it. */
#define AUDITD_DIR_SLOTS 4096

struct audit_dir {
	char *dev, *ino;         /* as the PATH item writes them */
	char *path;
};

struct auditd_parser {
	struct ingest_sink *sink;
	struct audit_dir *dirs;  /* AUDITD_DIR_SLOTS, allocated when first needed */
	struct audit_event *open[AUDITD_OPEN_EVENTS];  /* oldest first */
	size_t nopen;
	struct strbuf s1, s2, s3, s4, raw;
};

/* ---- auditd.c ---- */

/* The value of key in the record (the enriched tail when tail is set),
 * or NULL. */
const struct audit_field *audit_field(const struct audit_rec *r, const char *key, int tail);
/* The record's string field as text: hex-encoded values decoded (raw
 * logs only), NUL bytes turned into spaces when nul_space, else cut at the
 * first NUL.  NULL when absent or "(null)". */
const char *audit_string(const struct audit_event *ev, const struct audit_rec *r,
                         const char *key, int nul_space, struct strbuf *out);
/* A number field: raw logs write hex for a0..a3 (hex = 1) and decimal
 * elsewhere; ausearch -i writes "0x..." or decimal.  Returns 0 on success. */
int audit_number(const struct audit_event *ev, const struct audit_rec *r, const char *key,
                 int hex, int64_t *v);
/* The first record of a type, or NULL. */
const struct audit_rec *audit_find_rec(const struct audit_event *ev, const char *type);
void auditd_bad(struct auditd_parser *ap, int64_t line, const char *problem);

/* ---- auditd_ops.c ---- */

/* Turns a complete event into ops. */
void auditd_event_ops(struct auditd_parser *ap, const struct audit_event *ev);
void auditd_dirs_free(struct auditd_parser *ap);

#endif
