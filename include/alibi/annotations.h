/* annotations.h — a reviewer's verdicts, notes and tags (DESIGN §3, §7).
 *
 * An annotation belongs to one reviewer (author, "Name <email>") and is
 * about one incident: either a finding of it (finding_key is the finding's
 * stable key, so it survives re-analysis) or the incident as a whole
 * (finding_key NULL).  Each reviewer has at most one annotation per target:
 * setting a verdict, a note or tags updates it.  Teammates' annotations,
 * imported from a case repository, are rows of their own.
 *
 * Every setter writes through at once in its own transaction, so a crash
 * or kill -9 right after it returns loses nothing.  A change clears
 * committed_in; cases_commit() sets it to the commit the annotation went
 * into, which is how `alibi case status` knows what is not committed yet.
 *
 * All strings are UTF-8 (invalid bytes are replaced when stored) and are
 * untrusted: show them through termtext. */
#ifndef ALIBI_ANNOTATIONS_H
#define ALIBI_ANNOTATIONS_H

#include <stdint.h>
#include "alibi/error.h"
#include "alibi/store.h"

enum annotation_verdict {
	ANNOTATION_NONE = 0,       /* no verdict (yet) */
	ANNOTATION_CONFIRMED,
	ANNOTATION_DISMISSED,
	ANNOTATION_UNCLEAR
};

/* "confirmed", "dismissed", "unclear"; "none" for ANNOTATION_NONE. */
const char *annotation_verdict_name(enum annotation_verdict v);
/* Accepts the names above and any unique prefix ("c", "dis"); -1 when
 * unknown. */
int annotation_verdict_from_name(const char *name);

/* Limits on what a reviewer can store; longer input is refused. */
#define ANNOTATION_NOTE_MAX   65536   /* bytes of a note */
#define ANNOTATION_TAG_MAX    40      /* bytes of one tag */
#define ANNOTATION_TAGS_MAX   32      /* tags on one annotation */
#define ANNOTATION_AUTHOR_MAX 256     /* bytes of "Name <email>" */
#define ANNOTATION_KEY_MAX    128     /* bytes of a finding's stable key */

struct annotation {
	int64_t id;
	int64_t incident;
	const char *uid;           /* uuid-like id; names notes/<uid>.json */
	const char *finding_key;   /* NULL for an incident-level annotation */
	const char *author;        /* "Name <email>" */
	enum annotation_verdict verdict;
	const char *tags;          /* "a,b,c": sorted, unique; "" when none */
	const char *note;          /* "" when none */
	int64_t created_at;        /* µs since the epoch */
	int64_t updated_at;
	const char *committed_in;  /* commit id, NULL while not committed */
};

/* What `alibi annotate NAME` points at. */
struct annotation_target {
	int64_t incident;
	int is_finding;
	char finding_key[ANNOTATION_KEY_MAX + 1];
};

/* Resolves NAME: a finding's stable key or a unique prefix of it (at least
 * 6 hex digits, as in git), else an incident's slug or id.  incident > 0
 * restricts finding keys to that incident (a key prefix may be shared by
 * findings of different incidents).  An ambiguous prefix is an error that
 * lists the candidates. */
int annotations_resolve(struct store *st, const char *name, int64_t incident,
                        struct annotation_target *t, struct alibi_error *err);

/* The setters: each creates the author's annotation on the target when
 * there is none, updates it otherwise, stamps updated_at and clears
 * committed_in.  finding_key NULL means the incident itself.
 * tags is a list separated by commas and/or spaces; it replaces the old
 * tags ("" removes them all).  add_tags/remove_tags change single tags. */
int annotations_set_verdict(struct store *st, int64_t incident,
                            const char *finding_key, const char *author,
                            enum annotation_verdict v, struct alibi_error *err);
int annotations_set_note(struct store *st, int64_t incident,
                         const char *finding_key, const char *author,
                         const char *note, struct alibi_error *err);
int annotations_set_tags(struct store *st, int64_t incident,
                         const char *finding_key, const char *author,
                         const char *tags, struct alibi_error *err);
int annotations_add_tags(struct store *st, int64_t incident,
                         const char *finding_key, const char *author,
                         const char *tags, int remove,
                         struct alibi_error *err);

/* The author's own annotation on the target, copied into *out (free it
 * with annotation_clear); *found says whether there is one. */
int annotations_get(struct store *st, int64_t incident,
                    const char *finding_key, const char *author,
                    struct annotation *out, int *found,
                    struct alibi_error *err);
void annotation_clear(struct annotation *a);

enum annotations_filter {
	ANNOTATIONS_ALL = 0,
	ANNOTATIONS_UNCOMMITTED = 1 << 0,   /* committed_in IS NULL */
	ANNOTATIONS_INCIDENT_ONLY = 1 << 1, /* only incident-level ones */
	ANNOTATIONS_FINDING = 1 << 2        /* only those on finding_key */
};

/* Calls fn for the incident's annotations (incident 0: every incident),
 * oldest first; finding_key is used with ANNOTATIONS_FINDING.  Strings are
 * valid during the callback only; fn returns non-zero to stop. */
int annotations_each(struct store *st, int64_t incident, int filter,
                     const char *finding_key,
                     int (*fn)(void *ctx, const struct annotation *a),
                     void *ctx, struct alibi_error *err);

/* The verdict that counts for a target: the most recently updated
 * annotation that has one, by any reviewer.  ANNOTATION_NONE if none. */
int annotations_verdict(struct store *st, int64_t incident,
                        const char *finding_key,
                        enum annotation_verdict *v, struct alibi_error *err);

/* Records that the annotation uid, as of updated_at, went into commit.
 * A change made after the export (updated_at differs) stays uncommitted. */
int annotations_mark_committed(struct store *st, const char *uid,
                               int64_t updated_at, const char *commit,
                               struct alibi_error *err);

/* Loads a teammate's annotation (from a case repository's notes file),
 * matched by uid: inserted when new; replaced when the incoming one is
 * newer and the local one has no uncommitted change; otherwise left.
 * a->incident must be set; a->id is ignored.  *changed (may be NULL) says
 * whether anything was written. */
int annotations_import(struct store *st, const struct annotation *a,
                       int *changed, struct alibi_error *err);

/* Writes a fresh random uuid (8-4-4-4-12 hex digits, version 4). */
void annotation_new_uid(char uid[37]);
/* 1 when s looks like what annotation_new_uid makes (lower-case hex
 * and dashes in the uuid shape), so it is safe as a file name. */
int annotation_uid_is_valid(const char *s);

/* Normalises a tag list ("b, a,,a" -> "a,b") into out.  Fails on a tag
 * that is too long, has control characters or there are too many. */
int annotation_normalize_tags(const char *tags, char **out,
                              struct alibi_error *err);

/* Checks an author ("Name <email>"): one line, no control characters, a
 * name and an email in angle brackets, at most ANNOTATION_AUTHOR_MAX
 * bytes. */
int annotation_author_is_valid(const char *author);

#endif
