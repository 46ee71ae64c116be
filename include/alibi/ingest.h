/* ingest.h — turning files into messages, tool calls and operations.
 *
 * One parser per format, each described by a struct ingest_format in the
 * table returned by ingest_formats().  Detection reads the head of a file
 * and asks every format for a score; the highest non-zero score wins and a
 * file that no format claims is reported, never guessed.
 *
 * Parsers never talk to the workspace directly: they hand records to a
 * struct ingest_sink, and never abort on a bad record — they call
 * sink->bad_record(line, problem), skip it, and go on. */
#ifndef ALIBI_INGEST_H
#define ALIBI_INGEST_H

#include <stdint.h>
#include <stdio.h>
#include "alibi/error.h"
#include "alibi/records.h"

struct ingest_sink {
	void *ctx;
	/* Each returns the new row's id (> 0). */
	int64_t (*message)(void *ctx, const struct alibi_message *m);
	int64_t (*tool_call)(void *ctx, const struct alibi_tool_call *tc);
	/* Attaches a result to the tool call with the same call_id. */
	void (*tool_result)(void *ctx, const struct alibi_tool_result *r);
	/* May return 0: the import writes ops in batches, on another thread,
	 * so no parser may rely on an op's id. */
	int64_t (*op)(void *ctx, const struct alibi_op *op);
	/* A record was skipped: line is 1-based (0 when unknown); problem is
	 * a short phrase without the file name ("unterminated string"). */
	void (*bad_record)(void *ctx, int64_t line, const char *problem);
	/* What the source's times count from (records.h). */
	void (*clock)(void *ctx, enum alibi_clock clock);
	/* Counts a good record (for sources.records). */
	void (*record)(void *ctx);
	/* The records that follow belong to an incident of their own: a file
	 * that holds several runs (an Inspect log's samples) calls this before
	 * each.  log is what the file calls the whole (its task; NULL when it
	 * has no name), run names this one within it ("sample-3/epoch-1").
	 * NULL in a sink that keeps a file in one incident. */
	void (*begin_incident)(void *ctx, const char *log, const char *run);
	/* The problems that follow are in this member of the file (an archive
	 * entry, "samples/3_epoch_1.json"), NULL again for the file itself:
	 * they are reported as FILE:MEMBER: PROBLEM.  May be NULL. */
	void (*member)(void *ctx, const char *name);
};

/* What a parser reads from.  fp is positioned at the start; head holds the
 * first head_len bytes (up to INGEST_HEAD_BYTES) for parsers that want to
 * look before reading. */
struct ingest_input {
	const char *path;     /* as given by the user, for messages */
	FILE *fp;
	const char *head;
	size_t head_len;
	uint64_t size;
};

#define INGEST_HEAD_BYTES 65536

enum ingest_kind { INGEST_TRANSCRIPT, INGEST_ACTIONS };

struct ingest_format {
	const char *name;         /* --format NAME, sources.format */
	enum ingest_kind kind;
	const char *description;  /* one line for `alibi formats` */
	const char *detects_on;   /* what detection looks at, for `alibi formats` */
	/* 0 = not this format, 100 = certain.  head is NUL-terminated. */
	int (*detect)(const char *head, size_t len);
	/* Returns 0 when the file was read (even with bad records), an error
	 * when it could not be read at all. */
	int (*parse)(const struct ingest_input *in, struct ingest_sink *sink,
	             struct alibi_error *err);
};

/* The table of formats, terminated by an entry with name == NULL. */
const struct ingest_format *ingest_formats(void);
const struct ingest_format *ingest_format_by_name(const char *name);
/* The best format for this head, or NULL when none claims it. */
const struct ingest_format *ingest_detect(const char *head, size_t len);
/* A detect() for line-based logs: reads up to 200 lines of the head
 * (a last line the head cut is left out), drops those `skip` says are
 * filler, and scores the share `is_line` accepts: half or more scores
 * 90 to 100, less scores proportionally lower. */
int ingest_detect_lines(const char *head, size_t len,
                        int (*skip)(const char *s, size_t n),
                        int (*is_line)(const char *s, size_t n));

/* Parsers, one per format (src/ingest/<name>.c). */
int strace_detect(const char *head, size_t len);
int strace_parse(const struct ingest_input *in, struct ingest_sink *sink,
                 struct alibi_error *err);
int openai_detect(const char *head, size_t len);
int openai_parse(const struct ingest_input *in, struct ingest_sink *sink,
                 struct alibi_error *err);
int anthropic_detect(const char *head, size_t len);
int anthropic_parse(const struct ingest_input *in, struct ingest_sink *sink,
                    struct alibi_error *err);
int auditd_detect(const char *head, size_t len);
int auditd_parse(const struct ingest_input *in, struct ingest_sink *sink,
                 struct alibi_error *err);
int openhands_detect(const char *head, size_t len);
int openhands_parse(const struct ingest_input *in, struct ingest_sink *sink,
                    struct alibi_error *err);
int miniswe_detect(const char *head, size_t len);
int miniswe_parse(const struct ingest_input *in, struct ingest_sink *sink,
                  struct alibi_error *err);
int claudecode_detect(const char *head, size_t len);
int claudecode_parse(const struct ingest_input *in, struct ingest_sink *sink,
                     struct alibi_error *err);
int otel_detect(const char *head, size_t len);
int otel_parse(const struct ingest_input *in, struct ingest_sink *sink,
               struct alibi_error *err);
int inspect_detect(const char *head, size_t len);
int inspect_parse(const struct ingest_input *in, struct ingest_sink *sink,
                  struct alibi_error *err);
int tagged_detect(const char *head, size_t len);
int tagged_parse(const struct ingest_input *in, struct ingest_sink *sink,
                 struct alibi_error *err);
/* The alibi JSONL action schema (alibi-formats(5)); its parser reports
 * exactly the problems `alibi formats --check` prints. */
int alibi_jsonl_detect(const char *head, size_t len);
int alibi_jsonl_parse(const struct ingest_input *in, struct ingest_sink *sink,
                      struct alibi_error *err);
int falco_detect(const char *head, size_t len);
int falco_parse(const struct ingest_input *in, struct ingest_sink *sink,
                struct alibi_error *err);

#endif
