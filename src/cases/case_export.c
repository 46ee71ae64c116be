/* case_export.c — an incident of the workspace as the content of its case:
 * case.json's JSON and the list of sources to copy as evidence.
 *
 * Nothing machine-specific goes into case.json (no absolute paths, no
 * export time), so two reviewers exporting the same incident write the
 * same bytes and their commits do not conflict. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/path.h"
#include "case_export.h"

struct export_ctx {
	struct case_export *x;
	struct alibi_error *err;
	int rc;
	cJSON *findings;
};

static int
on_incident(void *ctx, const struct store_incident *inc)
{
	struct case_export *x = ctx;
	struct strbuf slug = STRBUF_INIT;
	cases_slug_for(inc->slug, &slug);
	snprintf(x->slug, sizeof x->slug, "%s", sb_str(&slug));
	sb_free(&slug);
	cJSON_AddStringToObject(x->json, "format", "alibi-case");
	cJSON_AddNumberToObject(x->json, "version", 1);
	cJSON_AddStringToObject(x->json, "slug", x->slug);
	cJSON_AddStringToObject(x->json, "title", inc->title ? inc->title : x->slug);
	cJSON_AddStringToObject(x->json, "status", "open");
	cJSON *clock = cJSON_AddObjectToObject(x->json, "clock");
	cJSON_AddNumberToObject(clock, "offset_us", (double)inc->clock_offset_us);
	cJSON_AddItemToObject(clock, "note", inc->clock_note ?
	                      cJSON_CreateString(inc->clock_note) : cJSON_CreateNull());
	x->found = 1;
	return 1;
}

/* A file name for a source's copy: its base name with anything unusual
 * replaced, never starting with '.', unique within the case. */
static void
evidence_name(const struct case_export *x, const char *path, struct strbuf *out)
{
	const char *base = path_basename(path ? path : "");
	struct strbuf clean = STRBUF_INIT;
	for (const char *p = base; *p && clean.len < 80; p++) {
		char c = *p;
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		         (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
		if (clean.len == 0 && (c == '.' || c == '-'))
			continue;
		sb_addc(&clean, ok ? c : '_');
	}
	if (clean.len == 0)
		sb_adds(&clean, "source");
	for (int n = 1;; n++) {
		sb_reset(out);
		if (n > 1)
			sb_addf(out, "%d-", n);
		sb_adds(out, sb_str(&clean));
		int taken = 0;
		for (size_t i = 0; i < x->source_count; i++)
			taken |= strcmp(x->sources[i].name, sb_str(out)) == 0;
		if (!taken)
			break;
	}
	sb_free(&clean);
}

static int
on_source(void *ctx, const struct store_source *src)
{
	struct case_export *x = ctx;
	struct strbuf name = STRBUF_INIT;
	evidence_name(x, src->path, &name);
	x->sources = xrealloc(x->sources, (x->source_count + 1) * sizeof *x->sources);
	struct case_export_source *s = &x->sources[x->source_count++];
	memset(s, 0, sizeof *s);
	s->path = xstrdup(src->path);
	s->abspath = xstrdup(src->abspath ? src->abspath : src->path);
	s->name = sb_detach(&name);
	s->format = xstrdup(src->format ? src->format : "");
	s->kind = xstrdup(src->kind ? src->kind : "");
	s->sha256 = xstrdup(src->sha256 ? src->sha256 : "");
	s->bytes = src->bytes;
	s->records = src->records;
	s->errors = src->errors;
	return 0;
}

/* The evidence name of the source at path (what the findings cite). */
static const char *
source_name(const struct case_export *x, const char *path)
{
	for (size_t i = 0; path && i < x->source_count; i++)
		if (strcmp(x->sources[i].path, path) == 0)
			return x->sources[i].name;
	return path ? path_basename(path) : NULL;
}

static cJSON *
evidence_json(const struct case_export *x, const struct store_evidence_row *e)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "type", store_evidence_type_name(e->type));
	cJSON_AddItemToObject(o, "role", e->role ? cJSON_CreateString(e->role) : cJSON_CreateNull());
	cJSON_AddStringToObject(o, "text", e->text ? e->text : "");
	if (e->op)
		cJSON_AddStringToObject(o, "op", e->op);
	const char *src = source_name(x, e->source);
	cJSON_AddItemToObject(o, "source", src ? cJSON_CreateString(src) : cJSON_CreateNull());
	cJSON_AddNumberToObject(o, "line", (double)e->line);
	return o;
}

static int
on_finding(void *ctx, const struct store_finding_row *r)
{
	struct export_ctx *ec = ctx;
	cJSON *f = cJSON_CreateObject();
	cJSON_AddStringToObject(f, "key", r->f.stable_key ? r->f.stable_key : "");
	cJSON_AddStringToObject(f, "kind", r->f.kind ? r->f.kind : "");
	cJSON_AddStringToObject(f, "severity", alibi_severity_name(r->f.severity));
	/* Two decimals: enough for people, and no float noise that would
	 * differ between machines. */
	cJSON_AddNumberToObject(f, "confidence", (double)(int)(r->f.confidence * 100 + 0.5) / 100);
	cJSON_AddStringToObject(f, "summary", r->f.summary ? r->f.summary : "");
	cJSON_AddStringToObject(f, "because", r->f.because ? r->f.because : "");
	cJSON_AddItemToObject(f, "rule", r->f.rule ? cJSON_CreateString(r->f.rule) : cJSON_CreateNull());
	cJSON *ev = cJSON_AddArrayToObject(f, "evidence");
	for (size_t i = 0; i < r->evidence_count; i++)
		cJSON_AddItemToArray(ev, evidence_json(ec->x, &r->evidence[i]));
	cJSON_AddItemToArray(ec->findings, f);
	return 0;
}

int
case_export_build(struct store *st, int64_t incident, struct case_export *x,
                  struct alibi_error *err)
{
	memset(x, 0, sizeof *x);
	x->incident = incident;
	x->json = cJSON_CreateObject();
	if (store_each_incident(st, incident, on_incident, x, err))
		goto fail;
	if (!x->found) {
		alibi_error_set(err, ALIBI_ENOTFOUND, "no incident %lld", (long long)incident);
		goto fail;
	}
	if (store_each_source(st, incident, on_source, x, err))
		goto fail;
	struct export_ctx ec = { x, err, 0, cJSON_CreateArray() };
	if (store_each_finding(st, incident, on_finding, &ec, err)) {
		cJSON_Delete(ec.findings);
		goto fail;
	}
	/* Sources are filled in by the commit, which knows what was copied;
	 * the array is added here so the key order is fixed. */
	x->sources_json = cJSON_AddArrayToObject(x->json, "sources");
	cJSON_AddItemToObject(x->json, "findings", ec.findings);
	return 0;
fail:
	case_export_free(x);
	return err->code;
}

void
case_export_set_source(struct case_export *x, size_t i, const char *omitted)
{
	const struct case_export_source *s = &x->sources[i];
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "name", s->name);
	if (omitted) {
		cJSON_AddNullToObject(o, "evidence");
		cJSON_AddStringToObject(o, "omitted", omitted);
	} else {
		struct strbuf rel = STRBUF_INIT;
		sb_addf(&rel, "evidence/%s", s->name);
		cJSON_AddStringToObject(o, "evidence", sb_str(&rel));
		sb_free(&rel);
	}
	cJSON_AddStringToObject(o, "format", s->format);
	cJSON_AddStringToObject(o, "kind", s->kind);
	cJSON_AddStringToObject(o, "sha256", s->sha256);
	cJSON_AddNumberToObject(o, "bytes", (double)s->bytes);
	cJSON_AddNumberToObject(o, "records", (double)s->records);
	cJSON_AddNumberToObject(o, "errors", (double)s->errors);
	cJSON_AddItemToArray(x->sources_json, o);
}

void
case_export_free(struct case_export *x)
{
	cJSON_Delete(x->json);
	for (size_t i = 0; i < x->source_count; i++) {
		free(x->sources[i].path);
		free(x->sources[i].abspath);
		free(x->sources[i].name);
		free(x->sources[i].format);
		free(x->sources[i].kind);
		free(x->sources[i].sha256);
	}
	free(x->sources);
	memset(x, 0, sizeof *x);
}
