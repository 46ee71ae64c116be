/* inspect_internal.h — what the parts of the Inspect eval log parser
 * share: inspect.c (the JSON log, a sample's messages), inspect_events.c
 * (a sample's events) and inspect_eval.c (the zipped ".eval" log). */
#ifndef ALIBI_INSPECT_INTERNAL_H
#define ALIBI_INSPECT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "alibi/jsonrec.h"
#include "alibi/strbuf.h"

/* A tool call already emitted: its id in the log and the sink's row. */
struct inspect_call {
	const char *call_id;
	int64_t row;
};

/* One event of the sample, with the tool event it is nested in (older
 * logs keep a tool's sandbox events inside it), or -1. */
struct inspect_event {
	const cJSON *ev;
	ptrdiff_t parent;
	int64_t call_row;   /* tool events: the row of their call, else 0 */
};

struct inspect {
	struct jsonrec_transcript t;
	const cJSON *attachments;   /* samples[].attachments: attachment://HASH */
	const cJSON *content;       /* samples[].transcript.content: tc://HASH */
	struct inspect_call *calls;
	size_t ncalls, calls_cap;
	struct inspect_event *events;
	size_t nevents, events_cap;
	size_t model_cursor;        /* matching assistant messages without ids */
	int64_t init_ts;            /* the sample_init event, or ALIBI_TS_NONE */
	struct strbuf text, args;
};

/* Replaces every attachment:// and tc:// string under item by the text it
 * names, when the log holds it. */
void inspect_resolve_refs(struct inspect *in, cJSON *item);
/* Collects the sample's events (samples[].events, or the older
 * samples[].transcript.events) into in->events. */
void inspect_collect_events(struct inspect *in, const cJSON *sample);
/* An ISO time member of obj, or ALIBI_TS_NONE; marks the transcript as
 * timed when found. */
int64_t inspect_time(struct inspect *in, const cJSON *obj, const char *key);
/* When the message was said, from its own time or the events'. */
int64_t inspect_message_ts(struct inspect *in, const cJSON *msg, const char *role);
/* Emits a tool call.  Its shell command's operations are derived from
 * the sandbox exec event that ran the command, when the sample holds one:
 * that event tells when the command ran and whether it failed, where the
 * call only tells when the model asked; deriving both would show every
 * operation twice.  Without such an event they come from the call. */
int64_t inspect_emit_call(struct inspect *in, struct alibi_tool_call *tc);
/* Emits the tool events no message covered and the sandbox events' ops. */
void inspect_emit_events(struct inspect *in);
/* A tool result's text: a string, or a list of content parts. */
void inspect_content_text(const cJSON *content, struct strbuf *out);
/* Appends a tool's error as "[error TYPE] message"; returns 1 when there
 * was one. */
int inspect_add_error(const cJSON *error, struct strbuf *text);
void inspect_remember_call(struct inspect *in, const char *call_id, int64_t row);
int64_t inspect_call_row(const struct inspect *in, const char *call_id);

/* ---- samples, from either layout ---- */

/* The largest sample (or header) entry of a .eval read, uncompressed: a
 * zip bomb is refused at this size, whatever its entry claims. */
#define INSPECT_MAX_ENTRY ((size_t)256 << 20)

/* Imports one sample: its messages and events. */
void inspect_import_sample(struct ingest_sink *sink, cJSON *sample);
/* JSON text as a tree, or NULL with *line where reading stopped. */
cJSON *inspect_parse_json(const char *text, size_t len, int64_t *line);
/* Replaces invalid UTF-8 in buf with U+FFFD and reports where the first
 * was: JSON is UTF-8, so such a log was damaged, and the reviewer is told
 * that what they read is not byte for byte what was logged. */
void inspect_repair_utf8(struct ingest_sink *sink, struct strbuf *buf);
/* Whether the head is a zip archive's. */
int inspect_is_zip(const char *head, size_t len);
int inspect_eval_detect(const char *head, size_t len);
int inspect_eval_parse(const struct ingest_input *in, struct ingest_sink *sink,
                       struct alibi_error *err);

#endif
