/* jsonrec.h — transcripts stored as JSON records, and what the chat
 * transcript parsers (openai, anthropic) share while emitting them.
 *
 * A "record" is one JSON object: a message.  Files hold them as
 *   - a JSON array of objects:             [ {...}, {...} ]
 *   - an object with a "messages" array:   { "system": "...", "messages": [...] }
 *     (the top-level "system" becomes a first record
 *      {"role": "system", "content": <its value>})
 *   - JSON lines, one object a line; a line that is itself an object with
 *     "messages" (and no "role") gives its messages, all on that line.
 * Each record comes with the 1-based line where it starts.  A record that
 * cannot be read is reported to bad() with its line and skipped; the reader
 * resynchronises and goes on, so a truncated file yields every complete
 * record and one report.  JSON lines and arrays are streamed (an array
 * through a window that holds an element at a time, up to
 * JSONREC_MAX_DOCUMENT bytes for one element); an object is read into
 * memory whole, up to JSONREC_MAX_DOCUMENT bytes. */
#ifndef ALIBI_JSONREC_H
#define ALIBI_JSONREC_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "alibi/error.h"
#include "alibi/ingest.h"
#include "alibi/strbuf.h"

#define JSONREC_MAX_DOCUMENT ((size_t)512 << 20)
/* The longest JSON line kept; a longer one is reported and skipped. */
#define JSONREC_MAX_LINE ((size_t)512 << 20)

struct jsonrec_handler {
	void *ctx;
	/* One record, always a JSON object; it is freed after the call.
	 * Returns non-zero to stop reading. */
	int (*record)(void *ctx, const cJSON *rec, int64_t line);
	/* A record that could not be read: "invalid JSON: ...", "record is
	 * not a JSON object (a number)". */
	void (*bad)(void *ctx, int64_t line, const char *problem);
};

/* Reads every record of a file.  in->head (which may be NULL: then fp
 * must be seekable) decides the layout.  Returns 0 when the file was read,
 * even with bad records; an error when it could not be read at all. */
int jsonrec_read(const struct ingest_input *in, const struct jsonrec_handler *h,
                 struct alibi_error *err);

/* The size an array document's reading window starts at (0: the default,
 * 1 MiB); it grows to hold a longer element.  Tests make it small to read
 * across its edges. */
void jsonrec_window_size(size_t bytes);

/* Reads the records held in memory, e.g. a file's head, whose last record
 * is usually cut short (and reported to bad()). */
void jsonrec_read_buffer(const char *buf, size_t len, const struct jsonrec_handler *h);
/* Detection asks every format about the same head, and most of them read
 * its records: between begin and end, jsonrec_read_buffer() of exactly
 * buf and len (on this thread) reads them once and hands each reader the
 * same records and problems, in the same order. */
void jsonrec_share_begin(const char *buf, size_t len);
void jsonrec_share_end(void);

/* Where the first record starts in a text read the same way (the '{' of
 * the first message), or len when there is none. */
size_t jsonrec_first_record(const char *buf, size_t len);

/* What detection learns from a head: counts over its first records. */
struct jsonrec_survey {
	int records;           /* complete records read */
	int with_role;         /* ... with a string "role" */
	int nested_message;    /* {"type": "user", "message": {...}}: session logs */
	int string_content;    /* "content" is a string */
	int text_blocks;       /* "content" holds only {"type": "text"} parts */
	int openai_marks;      /* tool_calls, function_call, tool_call_id, image_url parts */
	int anthropic_marks;   /* tool_use, tool_result, thinking, image blocks */
	int cut_role;          /* no complete record, but the first one, cut
	                          short, shows "role" near its start */
};
void jsonrec_survey(const char *head, size_t len, struct jsonrec_survey *s);

/* ---- emitting a chat transcript ------------------------------------------ */

struct jsonrec_transcript {
	struct ingest_sink *sink;
	struct strbuf cwd;    /* the shell tool's directory; "" while unknown */
	int any_ts;           /* some record carried a time */
};

void jsonrec_transcript_init(struct jsonrec_transcript *t, struct ingest_sink *sink);
/* Tells the sink the clock and frees t. */
void jsonrec_transcript_finish(struct jsonrec_transcript *t);
/* The record's "timestamp", "created_at" or "created" (ISO 8601 text or
 * epoch seconds / milliseconds), or ALIBI_TS_NONE. */
int64_t jsonrec_timestamp(struct jsonrec_transcript *t, const cJSON *rec);
/* Emits the tool call (tc->command is filled here) and, when it runs a
 * shell command, the operations the command implies, tied to it.
 * Returns the tool call's id. */
int64_t jsonrec_emit_tool_call(struct jsonrec_transcript *t, struct alibi_tool_call *tc);
/* The same without the derived operations (the shell's directory is
 * still followed): for logs whose own record of running the command
 * gives those operations with better times and results. */
int64_t jsonrec_emit_tool_call_underived(struct jsonrec_transcript *t, struct alibi_tool_call *tc);
/* Appends text to sb, after a "\n" when sb is not empty. */
void jsonrec_add_text(struct strbuf *sb, const char *text);
/* The string member key of obj, or NULL. */
const char *jsonrec_string(const cJSON *obj, const char *key);
/* item as compact JSON text (appended to out). */
void jsonrec_print(const cJSON *item, struct strbuf *out);

#endif
