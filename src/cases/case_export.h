/* case_export.h — the workspace side of a commit (case_export.c). */
#ifndef ALIBI_CASE_EXPORT_H
#define ALIBI_CASE_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "alibi/store.h"
#include "cases_internal.h"

struct case_export_source {
	char *path;        /* as it was named at import (what findings cite) */
	char *abspath;     /* where to copy it from: resolved at import */
	char *name;        /* file name under evidence/ */
	char *format, *kind, *sha256;
	int64_t bytes, records, errors;
};

struct case_export {
	int64_t incident;
	int found;
	char slug[CASE_SLUG_MAX + 1];
	cJSON *json;                 /* case.json */
	cJSON *sources_json;         /* its "sources" array (inside json) */
	struct case_export_source *sources;
	size_t source_count;
};

/* Reads the incident, its sources and findings. */
int case_export_build(struct store *st, int64_t incident,
                      struct case_export *x, struct alibi_error *err);
/* Adds source i to case.json: copied as evidence/<name>, or omitted (with
 * the reason) when omitted is not NULL. */
void case_export_set_source(struct case_export *x, size_t i,
                            const char *omitted);
void case_export_free(struct case_export *x);

#endif
