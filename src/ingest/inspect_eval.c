/* inspect_eval.c — Inspect AI logs in the ".eval" layout: a zip archive of
 * JSON entries.  header.json holds the eval (written when the eval ends;
 * while it runs, _journal/start.json holds it), samples/<id>_epoch_<n>.json
 * one sample each; summaries, reductions and the rest of _journal/ sum
 * the samples up (scores) and are not read.
 *
 * Samples are read one entry at a time and each entry is bounded
 * (INSPECT_MAX_ENTRY), so neither a large archive nor a zip bomb holds
 * more than one sample in memory.  An entry that cannot be read is a bad
 * record, FILE:ENTRY: PROBLEM, and the other entries are still imported. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zip.h>

#include "alibi/alloc.h"
#include "alibi/ingest.h"
#include "alibi/jsonrec.h"
#include "alibi/strbuf.h"
#include "inspect_internal.h"

#define ZIP_LOCAL_MAGIC "PK\003\004"
#define ZIP_LOCAL_HEADER 30
/* Local headers looked at in the head; the writer puts the journal first. */
#define DETECT_MAX_ENTRIES 32

static const char samples_dir[] = "samples/";

/* ---- detection ---------------------------------------------------------------- */

int
inspect_is_zip(const char *head, size_t len)
{
	return head && len >= 4 && memcmp(head, ZIP_LOCAL_MAGIC, 4) == 0;
}

static unsigned
le16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static unsigned long
le32(const unsigned char *p)
{
	return (unsigned long)le16(p) | (unsigned long)le16(p + 2) << 16;
}

static int
has_prefix(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);
	return n >= k && memcmp(s, prefix, k) == 0;
}

static int
has_suffix(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);
	return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

/* samples/NAME.json, directly in samples/. */
static int
is_sample_entry(const char *name, size_t n)
{
	size_t dir = sizeof samples_dir - 1;
	return has_prefix(name, n, samples_dir) && n > dir + 5 && has_suffix(name, n, ".json") &&
	       !memchr(name + dir, '/', n - dir);
}

/* Entry names only an Inspect log has together with a zip's magic. */
static int
is_log_entry(const char *name, size_t n)
{
	return (n == 11 && memcmp(name, "header.json", 11) == 0) ||
	       has_prefix(name, n, "_journal/") || is_sample_entry(name, n);
}

/* Walks the local headers the head holds.  A header whose sizes follow
 * its data (bit 3) or sit in a zip64 field ends the walk. */
int
inspect_eval_detect(const char *head, size_t len)
{
	const unsigned char *h = (const unsigned char *)head;
	size_t p = 0;
	for (int k = 0; k < DETECT_MAX_ENTRIES; k++) {
		if (len - p < ZIP_LOCAL_HEADER || memcmp(h + p, ZIP_LOCAL_MAGIC, 4) != 0)
			return 0;
		unsigned flags = le16(h + p + 6);
		unsigned long csize = le32(h + p + 18);
		size_t nlen = le16(h + p + 26), xlen = le16(h + p + 28);
		if (len - p - ZIP_LOCAL_HEADER < nlen)
			return 0;
		if (is_log_entry(head + p + ZIP_LOCAL_HEADER, nlen))
			return 95;
		if ((flags & 8) || csize == 0xFFFFFFFFul ||
		    len - p - ZIP_LOCAL_HEADER - nlen < xlen + (size_t)csize)
			return 0;
		p += ZIP_LOCAL_HEADER + nlen + xlen + (size_t)csize;
	}
	return 0;
}

/* ---- entries ------------------------------------------------------------------- */

/* Reads entry idx into buf, whole, or says why not (in problem). */
static int
read_entry(zip_t *z, zip_uint64_t idx, struct strbuf *buf, char *problem, size_t size)
{
	zip_stat_t st;
	zip_stat_init(&st);
	sb_reset(buf);
	int declared = zip_stat_index(z, idx, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE);
	if (declared && st.size > INSPECT_MAX_ENTRY) {
		snprintf(problem, size, "%llu bytes uncompressed, over the %zu MiB an entry may"
		         " hold; skipped", (unsigned long long)st.size, INSPECT_MAX_ENTRY >> 20);
		return -1;
	}
	zip_file_t *zf = zip_fopen_index(z, idx, 0);
	if (!zf) {
		snprintf(problem, size, "cannot be read: %s", zip_strerror(z));
		return -1;
	}
	/* libzip does not hold an entry to the size it declares: what comes
	 * out is counted, and more than declared is a damaged or forged entry */
	size_t bound = declared ? (size_t)st.size : INSPECT_MAX_ENTRY;
	char chunk[65536];
	zip_int64_t n;
	int rc = 0;
	while ((n = zip_fread(zf, chunk, sizeof chunk)) > 0) {
		if ((size_t)n > bound - buf->len) {
			if (declared)
				snprintf(problem, size, "expands beyond the %zu bytes it declares;"
				         " skipped", bound);
			else
				snprintf(problem, size, "expands beyond the %zu MiB an entry may hold;"
				         " skipped", INSPECT_MAX_ENTRY >> 20);
			rc = -1;
			break;
		}
		sb_add(buf, chunk, (size_t)n);
	}
	if (n < 0 && rc == 0) {
		snprintf(problem, size, "cannot be read: %s", zip_file_strerror(zf));
		rc = -1;
	}
	zip_fclose(zf);
	return rc;
}

/* Reads entry idx as JSON; reports and returns NULL when it is not. */
static cJSON *
read_json_entry(zip_t *z, zip_uint64_t idx, struct ingest_sink *sink, struct strbuf *buf)
{
	char problem[256];
	if (read_entry(z, idx, buf, problem, sizeof problem)) {
		sink->bad_record(sink->ctx, 0, problem);
		return NULL;
	}
	inspect_repair_utf8(sink, buf);
	int64_t line;
	cJSON *json = inspect_parse_json(sb_str(buf), buf->len, &line);
	if (!json)
		sink->bad_record(sink->ctx, line, "invalid or truncated JSON; entry skipped");
	else if (!cJSON_IsObject(json))
		sink->bad_record(sink->ctx, 0, "not a JSON object; entry skipped");
	if (json && !cJSON_IsObject(json)) {
		cJSON_Delete(json);
		json = NULL;
	}
	/* the entry's text is not needed once it is a tree */
	sb_free(buf);
	return json;
}

/* ---- the log ------------------------------------------------------------------- */

struct eval_log {
	zip_t *zip;
	struct ingest_sink *sink;
	zip_uint64_t entries;
	size_t samples;        /* sample entries */
	char *task;            /* the eval's task, or NULL */
	struct strbuf buf;
};

static const char *
entry_name(const struct eval_log *log, zip_uint64_t idx)
{
	return zip_get_name(log->zip, idx, ZIP_FL_ENC_GUESS);
}

static int
find_entry(const struct eval_log *log, const char *name, zip_uint64_t *idx)
{
	zip_int64_t k = zip_name_locate(log->zip, name, ZIP_FL_ENC_GUESS);
	if (k < 0)
		return 0;
	*idx = (zip_uint64_t)k;
	return 1;
}

/* The task's name, from the header, or while the eval runs its journal. */
static void
read_task(struct eval_log *log)
{
	static const char *const headers[] = { "header.json", "_journal/start.json", NULL };
	zip_uint64_t idx;
	for (size_t k = 0; headers[k]; k++) {
		if (!find_entry(log, headers[k], &idx))
			continue;
		log->sink->member(log->sink->ctx, headers[k]);
		cJSON *header = read_json_entry(log->zip, idx, log->sink, &log->buf);
		log->sink->member(log->sink->ctx, NULL);
		if (!header)
			continue;
		const cJSON *eval = cJSON_GetObjectItemCaseSensitive(header, "eval");
		const char *task = jsonrec_string(eval, "task");
		log->task = xstrdup(task);
		cJSON_Delete(header);
		return;
	}
}

/* "sample-ID/epoch-N" from samples/ID_epoch_N.json, as the writer names
 * them, so even an entry that cannot be read has its run's name. */
static void
run_name(struct strbuf *out, const char *name)
{
	const char *stem = name + sizeof samples_dir - 1;
	size_t n = strlen(stem) - 5;   /* ".json" */
	const char *epoch = NULL;
	for (const char *p = stem; p + 7 <= stem + n; p++)
		if (memcmp(p, "_epoch_", 7) == 0)
			epoch = p;
	if (epoch && epoch > stem && epoch + 7 < stem + n) {
		sb_addf(out, "sample-%.*s/epoch-%.*s", (int)(epoch - stem), stem,
		        (int)(stem + n - epoch - 7), epoch + 7);
	} else {
		sb_addf(out, "sample-%.*s", (int)n, stem);
	}
}

static void
import_sample_entry(struct eval_log *log, zip_uint64_t idx, const char *name)
{
	struct ingest_sink *sink = log->sink;
	if (log->samples > 1 && sink->begin_incident) {
		struct strbuf run = STRBUF_INIT;
		run_name(&run, name);
		sink->begin_incident(sink->ctx, log->task, sb_str(&run));
		sb_free(&run);
	}
	sink->member(sink->ctx, name);
	cJSON *sample = read_json_entry(log->zip, idx, sink, &log->buf);
	if (sample)
		inspect_import_sample(sink, sample);
	cJSON_Delete(sample);
	sink->member(sink->ctx, NULL);
}

static void
import_samples(struct eval_log *log)
{
	for (zip_uint64_t k = 0; k < log->entries; k++) {
		const char *name = entry_name(log, k);
		if (name && is_sample_entry(name, strlen(name)))
			log->samples++;
	}
	if (log->samples == 0) {
		log->sink->bad_record(log->sink->ctx, 0, "log holds no samples");
		return;
	}
	read_task(log);
	for (zip_uint64_t k = 0; k < log->entries; k++) {
		const char *name = entry_name(log, k);
		if (name && is_sample_entry(name, strlen(name))) {
			/* the name lives in the archive, which reading may change */
			char *copy = xstrdup(name);
			import_sample_entry(log, k, copy);
			free(copy);
		}
	}
}

/* The sink reports problems as FILE:MEMBER when it can; this one cannot. */
static void
no_member(void *ctx, const char *name)
{
	(void)ctx;
	(void)name;
}

int
inspect_eval_parse(const struct ingest_input *in, struct ingest_sink *sink,
                   struct alibi_error *err)
{
	int code = 0;
	/* libzip closes the descriptor it is given; the caller keeps its own */
	int fd = dup(fileno(in->fp));
	if (fd < 0)
		return alibi_error_set(err, ALIBI_EIO, "%s: %s", in->path, strerror(errno));
	zip_t *zip = zip_fdopen(fd, 0, &code);
	if (!zip) {
		zip_error_t ze;
		zip_error_init_with_code(&ze, code);
		alibi_error_set(err, ALIBI_EFORMAT, "%s: not a readable zip archive (%s):"
		                " truncated or damaged", in->path, zip_error_strerror(&ze));
		zip_error_fini(&ze);
		close(fd);
		return err->code;
	}
	struct ingest_sink own = *sink;
	if (!own.member)
		own.member = no_member;
	struct eval_log log = { zip, &own, 0, 0, NULL, STRBUF_INIT };
	zip_int64_t entries = zip_get_num_entries(zip, 0);
	log.entries = entries > 0 ? (zip_uint64_t)entries : 0;
	import_samples(&log);
	free(log.task);
	sb_free(&log.buf);
	zip_discard(zip);
	return 0;
}
