/* import.c — the import driver: from paths to sources in the workspace.
 *
 * Every file is hashed, detected and parsed inside its own transaction, so
 * a file that cannot be read leaves nothing behind and never disturbs what
 * the workspace held before. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "alibi/alloc.h"
#include "alibi/import.h"
#include "alibi/ingest.h"
#include "alibi/path.h"
#include "alibi/sha256.h"
#include "alibi/strbuf.h"

/* The sink's state while one file is parsed. */
struct import_file {
	struct store *st;
	int64_t incident;
	int64_t source;
	const char *path;
	const struct import_report *report;
	int64_t records;
	int64_t errors;
	enum alibi_clock clock;
	int failed;                 /* a workspace write failed */
	struct alibi_error err;     /* the first such failure */
};

static void
note_failure(struct import_file *f, const struct alibi_error *err)
{
	if (!f->failed)
		f->err = *err;
	f->failed = 1;
}

static int64_t
sink_message(void *ctx, const struct alibi_message *m)
{
	struct import_file *f = ctx;
	struct alibi_error err = { 0 };
	int64_t id = 0;
	if (!f->failed && store_add_message(f->st, f->incident, f->source, m, &id, &err))
		note_failure(f, &err);
	return id;
}

static int64_t
sink_tool_call(void *ctx, const struct alibi_tool_call *tc)
{
	struct import_file *f = ctx;
	struct alibi_error err = { 0 };
	int64_t id = 0;
	if (!f->failed && store_add_tool_call(f->st, f->incident, f->source, tc, &id, &err))
		note_failure(f, &err);
	return id;
}

static void sink_bad_record(void *ctx, int64_t line, const char *problem);

static void
sink_tool_result(void *ctx, const struct alibi_tool_result *r)
{
	struct import_file *f = ctx;
	struct alibi_error err = { 0 };
	int found = 0;
	if (f->failed)
		return;
	if (store_set_tool_result(f->st, f->incident, r, &found, &err)) {
		note_failure(f, &err);
	} else if (!found) {
		char problem[200];
		snprintf(problem, sizeof problem, "tool result for unknown tool call '%.100s'",
		         r->call_id ? r->call_id : "(none)");
		sink_bad_record(ctx, r->line, problem);
	}
}

static int64_t
sink_op(void *ctx, const struct alibi_op *op)
{
	struct import_file *f = ctx;
	struct alibi_error err = { 0 };
	int64_t id = 0;
	if (!f->failed && store_add_op(f->st, f->incident, f->source, op, &id, &err))
		note_failure(f, &err);
	return id;
}

static void
sink_bad_record(void *ctx, int64_t line, const char *problem)
{
	struct import_file *f = ctx;
	f->errors++;
	if (!f->report || !f->report->bad_record)
		return;
	struct strbuf msg = STRBUF_INIT;
	if (line > 0)
		sb_addf(&msg, "%s:%lld: %s", f->path, (long long)line, problem);
	else
		sb_addf(&msg, "%s: %s", f->path, problem);
	f->report->bad_record(f->report->ctx, sb_str(&msg));
	sb_free(&msg);
}

static void
sink_clock(void *ctx, enum alibi_clock clock)
{
	struct import_file *f = ctx;
	f->clock = clock;
}

static void
sink_record(void *ctx)
{
	struct import_file *f = ctx;
	f->records++;
}

/* ---- one file ---- */

struct file_outcome {
	enum import_file_status status;
	const char *format;
	int64_t records, errors;
	char why[sizeof ((struct alibi_error *)0)->msg];
};

static size_t
read_head(FILE *fp, char *head, size_t size)
{
	size_t n = fread(head, 1, size - 1, fp);
	head[n] = '\0';
	rewind(fp);
	return n;
}

static int
parse_into_source(struct store *st, int64_t incident, const char *path, FILE *fp,
                  const char *head, size_t head_len, uint64_t size,
                  const struct ingest_format *fmt, const char *sha,
                  const struct import_report *report, struct file_outcome *out,
                  struct alibi_error *err)
{
	char *abspath = realpath(path, NULL);
	struct store_source src = {
		.incident = incident, .path = path, .abspath = abspath, .format = fmt->name,
		.kind = fmt->kind == INGEST_TRANSCRIPT ? "transcript" : "actions",
		.sha256 = sha, .bytes = (int64_t)size,
	};
	struct import_file f = { .st = st, .incident = incident, .path = path,
	                         .report = report, .clock = ALIBI_CLOCK_NONE };
	int added = store_source_add(st, &src, &f.source, err);
	free(abspath);
	if (added)
		return err->code;
	struct ingest_sink sink = {
		.ctx = &f, .message = sink_message, .tool_call = sink_tool_call,
		.tool_result = sink_tool_result, .op = sink_op,
		.bad_record = sink_bad_record, .clock = sink_clock, .record = sink_record,
	};
	struct ingest_input in = { .path = path, .fp = fp, .head = head,
	                           .head_len = head_len, .size = size };
	if (fmt->parse(&in, &sink, err))
		return err->code;
	if (f.failed) {
		*err = f.err;
		return err->code;
	}
	out->records = f.records;
	out->errors = f.errors;
	return store_source_finish(st, f.source, f.records, f.errors, f.clock, err);
}

/* The incident a group of files goes into.  It is created inside the
 * transaction of its first imported file, so a group of which no file
 * could be read leaves no empty incident behind. */
struct import_target {
	const char *slug;
	const char *title;
	int64_t id;         /* 0 until it exists */
};

static int
import_file(struct store *st, struct import_target *target, const char *path,
            int explicit, const struct import_options *opt,
            const struct import_report *report, struct file_outcome *out)
{
	struct alibi_error err = { 0 };
	char sha[65];
	uint64_t size = 0;
	memset(out, 0, sizeof *out);
	out->status = IMPORT_FAILED;
	if (sha256_file(path, sha, &size, &err)) {
		snprintf(out->why, sizeof out->why, "%s", err.msg);
		return 0;
	}
	int64_t existing = 0;
	if (target->id && store_source_find(st, target->id, sha, &existing, &err)) {
		snprintf(out->why, sizeof out->why, "%s", err.msg);
		return 0;
	}
	if (existing) {
		out->status = IMPORT_DUPLICATE;
		snprintf(out->why, sizeof out->why, "already imported (same sha256)");
		return 0;
	}
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		snprintf(out->why, sizeof out->why, "%s: %s", path, strerror(errno));
		return 0;
	}
	char *head = xmalloc(INGEST_HEAD_BYTES + 1);
	size_t head_len = read_head(fp, head, INGEST_HEAD_BYTES + 1);
	const struct ingest_format *fmt = opt && opt->format
		? ingest_format_by_name(opt->format) : ingest_detect(head, head_len);
	if (!fmt) {
		out->status = explicit ? IMPORT_UNRECOGNISED : IMPORT_SKIPPED;
		snprintf(out->why, sizeof out->why, "%s",
		         size == 0 ? "empty file"
		         : explicit ? "no format recognises this file (see 'alibi formats'; --format NAME forces one)"
		         : "not a format alibi reads");
		free(head);
		fclose(fp);
		return 0;
	}
	out->format = fmt->name;
	int64_t incident = target->id;
	if (store_begin(st, &err) == 0 &&
	    (incident || store_incident_ensure(st, target->slug, target->title,
	                                       &incident, NULL, &err) == 0) &&
	    parse_into_source(st, incident, path, fp, head, head_len, size, fmt, sha,
	                      report, out, &err) == 0 &&
	    store_commit(st, &err) == 0) {
		out->status = out->errors ? IMPORT_PARTIAL : IMPORT_OK;
		target->id = incident;
	} else {
		store_rollback(st);
		out->records = 0;
		snprintf(out->why, sizeof out->why, "%s", err.msg);
	}
	free(head);
	fclose(fp);
	return 0;
}

/* ---- incidents from paths ---- */

static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The regular files directly inside dir, sorted, hidden ones left out. */
static char **
list_directory(const char *dir, size_t *count, struct alibi_error *err)
{
	DIR *d = opendir(dir);
	*count = 0;
	if (!d) {
		alibi_error_set(err, ALIBI_EIO, "%s: %s", dir, strerror(errno));
		return NULL;
	}
	char **names = NULL;
	size_t cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		struct strbuf full = STRBUF_INIT;
		sb_addf(&full, "%s/%s", dir, e->d_name);
		struct stat sbuf;
		if (stat(sb_str(&full), &sbuf) == 0 && S_ISREG(sbuf.st_mode)) {
			void *items = names;
			grow_array(&items, sizeof *names, &cap, *count + 1);
			names = items;
			names[(*count)++] = sb_detach(&full);
		} else {
			sb_free(&full);
		}
	}
	closedir(d);
	if (*count)
		qsort(names, *count, sizeof *names, compare_names);
	return names;
}

/* The first "# Heading" of dir/README.md, for the incident's title. */
static char *
title_from_readme(const char *dir)
{
	struct strbuf path = STRBUF_INIT;
	sb_addf(&path, "%s/README.md", dir);
	FILE *fp = fopen(sb_str(&path), "r");
	sb_free(&path);
	if (!fp)
		return NULL;
	char line[512];
	char *title = NULL;
	for (int i = 0; i < 10 && fgets(line, sizeof line, fp); i++) {
		if (line[0] == '#' && line[1] == ' ') {
			line[strcspn(line, "\r\n")] = '\0';
			title = xstrdup(line + 2);
			break;
		}
	}
	fclose(fp);
	return title;
}

/* Slug from a path's last component, without its extension for files. */
static void
slug_for_path(struct strbuf *slug, const char *path, int is_dir)
{
	char *copy = xstrdup(path);
	size_t n = strlen(copy);
	while (n > 1 && copy[n - 1] == '/')
		copy[--n] = '\0';
	char *base = (char *)path_basename(copy);
	if (!is_dir) {
		char *dot = strrchr(base, '.');
		if (dot && dot != base)
			*dot = '\0';
	}
	path_slugify(slug, base);
	free(copy);
}

static void
remember_incident(struct import_result *res, int64_t id)
{
	for (size_t i = 0; i < res->incident_count; i++)
		if (res->incidents[i] == id)
			return;
	if (res->incident_count < sizeof res->incidents / sizeof res->incidents[0])
		res->incidents[res->incident_count++] = id;
}

static void
count_outcome(struct import_result *res, const struct file_outcome *o)
{
	switch (o->status) {
	case IMPORT_OK: res->files_ok++; break;
	case IMPORT_PARTIAL: res->files_partial++; break;
	case IMPORT_DUPLICATE: res->files_duplicate++; break;
	case IMPORT_UNRECOGNISED: res->files_unrecognised++; break;
	case IMPORT_FAILED: res->files_failed++; break;
	case IMPORT_SKIPPED: res->files_not_imported++; break;
	}
	res->bad_records += o->errors;
}

static void
import_group(struct store *st, const char *slug, const char *title,
             char *const *files, size_t count, int explicit,
             const struct import_options *opt, const struct import_report *report,
             struct import_result *res)
{
	struct import_target target = { slug, title, 0 };
	if (store_incident_find(st, slug, &target.id, NULL) != 0)
		target.id = 0;
	for (size_t i = 0; i < count; i++) {
		struct file_outcome o;
		import_file(st, &target, files[i], explicit, opt, report, &o);
		count_outcome(res, &o);
		if (target.id && (o.status == IMPORT_OK || o.status == IMPORT_PARTIAL ||
		                  o.status == IMPORT_DUPLICATE))
			remember_incident(res, target.id);
		if (report && report->file_done)
			report->file_done(report->ctx, files[i], slug, o.format, o.status,
			                  o.records, o.errors, o.why[0] ? o.why : NULL);
	}
}

static int
import_directory(struct store *st, const char *dir, const struct import_options *opt,
                 const struct import_report *report, struct import_result *res,
                 struct alibi_error *err)
{
	size_t count = 0;
	char **files = list_directory(dir, &count, err);
	if (!files && err->code)
		return err->code;
	struct strbuf slug = STRBUF_INIT;
	if (opt && opt->incident)
		path_slugify(&slug, opt->incident);
	else
		slug_for_path(&slug, dir, 1);
	char *title = opt && opt->incident ? xstrdup(opt->incident) : title_from_readme(dir);
	import_group(st, sb_str(&slug), title, files, count, 0, opt, report, res);
	free(title);
	sb_free(&slug);
	for (size_t i = 0; i < count; i++)
		free(files[i]);
	free(files);
	return 0;
}

int
import_paths(struct store *st, const char *const *paths, size_t count,
             const struct import_options *opt, const struct import_report *report,
             struct import_result *result, struct alibi_error *err)
{
	memset(result, 0, sizeof *result);
	char **files = xcalloc(count + 1, sizeof *files);
	size_t nfiles = 0;
	int rc = 0;
	for (size_t i = 0; i < count && rc == 0; i++) {
		struct stat sbuf;
		if (stat(paths[i], &sbuf) != 0) {
			rc = alibi_error_set(err, ALIBI_EIO, "%s: %s", paths[i], strerror(errno));
		} else if (S_ISDIR(sbuf.st_mode)) {
			rc = import_directory(st, paths[i], opt, report, result, err);
		} else {
			files[nfiles++] = (char *)paths[i];
		}
	}
	if (rc == 0 && nfiles) {
		struct strbuf slug = STRBUF_INIT;
		if (opt && opt->incident)
			path_slugify(&slug, opt->incident);
		else
			slug_for_path(&slug, files[0], 0);
		import_group(st, sb_str(&slug), opt ? opt->incident : NULL, files,
		             nfiles, 1, opt, report, result);
		sb_free(&slug);
	}
	free(files);
	return rc;
}
