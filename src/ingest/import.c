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
#include "import_internal.h"
#include "op_writer_internal.h"
#include "prehash_internal.h"

/* The sink's state while one file is parsed. */
struct import_file {
	struct store *st;
	struct import_parts parts;  /* the incidents its records go to */
	struct op_writer *ops;      /* writes ops on a second thread */
	const char *path;
	char *member;               /* the archive entry problems are in, or NULL */
	const struct import_report *report;
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

/* Waits for the op writer to finish what it was given: before anything
 * else touches the store, it must be idle (op_writer_internal.h). */
static int
sync_ops(struct import_file *f)
{
	struct alibi_error err = { 0 };
	if (!f->failed && op_writer_sync(f->ops, &err))
		note_failure(f, &err);
	return f->failed;
}

/* The part records go to now, or NULL when they are dropped. */
static struct import_part *
sink_part(struct import_file *f)
{
	struct alibi_error err = { 0 };
	struct import_part *part = NULL;
	if (!f->failed && import_parts_open(&f->parts, &part, &err))
		note_failure(f, &err);
	return f->failed ? NULL : part;
}

static int64_t
sink_message(void *ctx, const struct alibi_message *m)
{
	struct import_file *f = ctx;
	struct alibi_error err = { 0 };
	struct import_part *part = sync_ops(f) ? NULL : sink_part(f);
	int64_t id = 0;
	if (part && store_add_message(f->st, part->incident, part->source, m, &id, &err))
		note_failure(f, &err);
	else if (part && f->report && f->report->message)
		f->report->message(f->report->ctx, id, m);
	return id;
}

static int64_t
sink_tool_call(void *ctx, const struct alibi_tool_call *tc)
{
	struct import_file *f = ctx;
	struct alibi_error err = { 0 };
	struct import_part *part = sync_ops(f) ? NULL : sink_part(f);
	int64_t id = 0;
	if (part && store_add_tool_call(f->st, part->incident, part->source, tc, &id, &err))
		note_failure(f, &err);
	return id;
}

static void sink_bad_record(void *ctx, int64_t line, const char *problem);

static void
sink_tool_result(void *ctx, const struct alibi_tool_result *r)
{
	struct import_file *f = ctx;
	struct alibi_error err = { 0 };
	struct import_part *part = sync_ops(f) ? NULL : sink_part(f);
	int found = 0;
	if (!part)
		return;
	if (store_set_tool_result(f->st, part->incident, r, &found, &err)) {
		note_failure(f, &err);
	} else if (!found) {
		char problem[200];
		snprintf(problem, sizeof problem, "tool result for unknown tool call '%.100s'",
		         r->call_id ? r->call_id : "(none)");
		sink_bad_record(ctx, r->line, problem);
	}
}

/* Ops are queued for the writer thread, so no id is known here (0). */
static int64_t
sink_op(void *ctx, const struct alibi_op *op)
{
	struct import_file *f = ctx;
	struct alibi_error err = { 0 };
	/* A part's first record creates its incident and source row. */
	if (!f->parts.v[f->parts.current].source && sync_ops(f))
		return 0;
	struct import_part *part = sink_part(f);
	if (part && op_writer_add(f->ops, part->incident, part->source, op, &err))
		note_failure(f, &err);
	return 0;
}

static void
sink_bad_record(void *ctx, int64_t line, const char *problem)
{
	struct import_file *f = ctx;
	if (!import_parts_count_error(&f->parts))
		return;   /* a run imported before: its problems were told then */
	if (!f->report || !f->report->bad_record)
		return;
	struct strbuf msg = STRBUF_INIT;
	sb_adds(&msg, f->path);
	if (f->member)
		sb_addf(&msg, ":%s", f->member);
	if (line > 0)
		sb_addf(&msg, ":%lld", (long long)line);
	sb_addf(&msg, ": %s", problem);
	f->report->bad_record(f->report->ctx, sb_str(&msg));
	sb_free(&msg);
}

static void
sink_clock(void *ctx, enum alibi_clock clock)
{
	struct import_file *f = ctx;
	import_parts_set_clock(&f->parts, clock);
}

static void
sink_record(void *ctx)
{
	struct import_file *f = ctx;
	import_parts_count_record(&f->parts);
}

static void
sink_begin_incident(void *ctx, const char *log, const char *run)
{
	struct import_file *f = ctx;
	struct alibi_error err = { 0 };
	if (!sync_ops(f) && import_parts_begin(&f->parts, log, run, &err))
		note_failure(f, &err);
}

static void
sink_member(void *ctx, const char *name)
{
	struct import_file *f = ctx;
	free(f->member);
	f->member = xstrdup(name);
}

/* ---- one file ---- */

struct file_outcome {
	enum import_file_status status;
	const char *format;
	int64_t records, errors;
	struct import_parts parts;   /* the incidents it went to */
	char why[sizeof ((struct alibi_error *)0)->msg];
};

/* The incident a group of files goes into.  It is created with the first
 * record of its first imported file, so a group of which no file could be
 * read leaves no empty incident behind. */
struct import_target {
	const char *slug;
	const char *title;
	int64_t id;         /* 0 until it exists */
	struct prehash *hashes;     /* the group's files, hashed ahead */
	size_t index;               /* of the file being imported */
};

static size_t
read_head(FILE *fp, char *head, size_t size)
{
	size_t n = fread(head, 1, size - 1, fp);
	head[n] = '\0';
	rewind(fp);
	return n;
}

/* base names the runs of a file that holds several (--incident); with
 * pick_run, only one of them is imported (import_options). */
static int
parse_into_source(struct store *st, const struct import_target *target, const char *path,
                  FILE *fp, const char *head, size_t head_len, uint64_t size,
                  const struct ingest_format *fmt, const char *sha, const char *base,
                  int pick_run, const struct import_report *report,
                  struct file_outcome *out, struct alibi_error *err)
{
	char *abspath = realpath(path, NULL);
	struct store_source src = {
		.path = path, .abspath = abspath, .format = fmt->name,
		.kind = fmt->kind == INGEST_TRANSCRIPT ? "transcript" : "actions",
		.sha256 = sha, .bytes = (int64_t)size,
	};
	struct import_file f = { .st = st, .path = path, .report = report };
	import_parts_init(&f.parts, st, &src, target->slug, target->title, target->id, base,
	                  pick_run);
	struct ingest_sink sink = {
		.ctx = &f, .message = sink_message, .tool_call = sink_tool_call,
		.tool_result = sink_tool_result, .op = sink_op,
		.bad_record = sink_bad_record, .clock = sink_clock, .record = sink_record,
		.begin_incident = sink_begin_incident, .member = sink_member,
	};
	struct ingest_input in = { .path = path, .fp = fp, .head = head,
	                           .head_len = head_len, .size = size };
	f.ops = op_writer_start(st, 1);
	int rc = fmt->parse(&in, &sink, err);
	struct alibi_error werr = { 0 };
	if (op_writer_stop(f.ops, &werr))
		note_failure(&f, &werr);
	if (rc == 0 && f.failed) {
		*err = f.err;
		rc = err->code;
	}
	if (rc == 0)
		rc = import_parts_finish(&f.parts, err);
	out->records = f.parts.records;
	out->errors = f.parts.errors;
	out->parts = f.parts;
	free(f.member);
	free(abspath);
	return rc;
}

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
	if (target->hashes ? prehash_get(target->hashes, target->index, sha, &size, &err)
	                   : sha256_file(path, sha, &size, &err)) {
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
	if (store_begin(st, &err) == 0 &&
	    parse_into_source(st, target, path, fp, head, head_len, size, fmt, sha,
	                      opt ? opt->incident : NULL, opt && opt->pick_run, report,
	                      out, &err) == 0 &&
	    store_commit(st, &err) == 0) {
		out->status = import_parts_all_duplicate(&out->parts) ? IMPORT_DUPLICATE
		              : out->errors ? IMPORT_PARTIAL : IMPORT_OK;
		if (out->parts.v[0].incident)
			target->id = out->parts.v[0].incident;
	} else {
		store_rollback(st);
		out->records = 0;
		import_parts_free(&out->parts);   /* its rows were rolled back */
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
	void *items = res->incidents;
	grow_array(&items, sizeof *res->incidents, &res->incident_cap, res->incident_count + 1);
	res->incidents = items;
	res->incidents[res->incident_count++] = id;
}

void
import_result_free(struct import_result *res)
{
	free(res->incidents);
	res->incidents = NULL;
	res->incident_count = res->incident_cap = 0;
}

/* A file split into runs: a line for each incident it went to. */
static void
report_runs(struct import_result *res, const struct import_report *report,
            const char *path, const struct file_outcome *o)
{
	int told = 0;
	for (size_t k = 0; k < o->parts.count; k++) {
		const struct import_part *p = &o->parts.v[k];
		if (!p->source && !p->duplicate)
			continue;   /* nothing of it could be read */
		remember_incident(res, p->incident);
		told = 1;
		if (report && report->file_done)
			report->file_done(report->ctx, path, p->slug, o->format,
			                  p->duplicate ? IMPORT_DUPLICATE
			                  : p->errors ? IMPORT_PARTIAL : IMPORT_OK,
			                  p->records, p->errors,
			                  p->duplicate ? "already imported (same sha256)" : NULL);
	}
	if (!told && report && report->file_done)
		report->file_done(report->ctx, path, o->parts.v[0].slug, o->format, o->status,
		                  0, o->errors, NULL);
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
	struct import_target target = { slug, title, 0, NULL, 0 };
	if (store_incident_find(st, slug, &target.id, NULL) != 0)
		target.id = 0;
	target.hashes = prehash_start(files, count);
	for (size_t i = 0; i < count; i++) {
		struct file_outcome o;
		target.index = i;
		import_file(st, &target, files[i], explicit, opt, report, &o);
		count_outcome(res, &o);
		int imported = o.status == IMPORT_OK || o.status == IMPORT_PARTIAL ||
		               o.status == IMPORT_DUPLICATE;
		if (imported && import_parts_split(&o.parts)) {
			report_runs(res, report, files[i], &o);
		} else {
			if (target.id && imported)
				remember_incident(res, target.id);
			if (report && report->file_done)
				report->file_done(report->ctx, files[i], slug, o.format, o.status,
				                  o.records, o.errors, o.why[0] ? o.why : NULL);
		}
		import_parts_free(&o.parts);
	}
	prehash_stop(target.hashes);
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
	if (store_bulk_load(st, err))
		return err->code;
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
	if (rc == 0)
		rc = store_bulk_load_end(st, err);
	return rc;
}
