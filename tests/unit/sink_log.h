/* sink_log.h — an ingest sink for tests: everything a parser emits is
 * written as one line of text, so a test compares what it got with what
 * it expects in a few readable lines.
 *
 *   M<id> L<line> <role>[ agent=A][ @<iso time>]: <text>
 *   C<id> L<line> m<message> <call_id> <name> <args>[ $ <command>]
 *   R L<line> <call_id>[ error]: <text>
 *   O L<line> c<tool_call> <op> <path>[ -> <path2>][ @host:port][ [detail]]
 *   B L<line>[ <member>]: <problem>
 *   I <log> <run>                      (begin_incident; "-" for no log)
 *
 * Texts are shown with "\n" for newlines and cut to 200 bytes (their size
 * is shown instead when longer). */
#ifndef ALIBI_SINK_LOG_H
#define ALIBI_SINK_LOG_H

#include <stdio.h>
#include <string.h>

#include "alibi/ingest.h"
#include "alibi/strbuf.h"
#include "alibi/timeparse.h"

struct sink_log {
	struct strbuf log;
	int64_t next_id;
	int records, bad, messages, calls, results, ops;
	int clock_calls;
	enum alibi_clock clock;
	int op_fields_wrong;     /* a derived op without derived = 1, ok = 1, ... */
	size_t longest_text;
	int incidents;           /* begin_incident calls */
	char member[256];        /* the member problems are in, or "" */
};

static inline void
sink_log_text(struct sink_log *s, const char *text)
{
	size_t n = text ? strlen(text) : 0;
	if (n > s->longest_text)
		s->longest_text = n;
	if (!text) {
		sb_adds(&s->log, "(null)");
	} else if (n > 200) {
		sb_addf(&s->log, "<%zu bytes>", n);
	} else {
		for (const char *p = text; *p; p++) {
			if (*p == '\n')
				sb_adds(&s->log, "\\n");
			else
				sb_addc(&s->log, *p);
		}
	}
}

static inline int64_t
sink_log_message(void *ctx, const struct alibi_message *m)
{
	struct sink_log *s = ctx;
	int64_t id = ++s->next_id;
	s->messages++;
	sb_addf(&s->log, "M%lld L%lld %s", (long long)id, (long long)m->line, m->role);
	if (m->agent)
		sb_addf(&s->log, " agent=%s", m->agent);
	if (m->ts != ALIBI_TS_NONE) {
		char iso[40];
		time_format_iso(iso, sizeof iso, m->ts);
		sb_addf(&s->log, " @%s", iso);
	}
	sb_adds(&s->log, ": ");
	sink_log_text(s, m->text);
	sb_addc(&s->log, '\n');
	return id;
}

static inline int64_t
sink_log_tool_call(void *ctx, const struct alibi_tool_call *tc)
{
	struct sink_log *s = ctx;
	int64_t id = ++s->next_id;
	s->calls++;
	sb_addf(&s->log, "C%lld L%lld m%lld %s %s ", (long long)id, (long long)tc->line,
	        (long long)tc->message, tc->call_id ? tc->call_id : "-", tc->name);
	sink_log_text(s, tc->args_json);
	if (tc->command) {
		sb_adds(&s->log, " $ ");
		sink_log_text(s, tc->command);
	}
	sb_addc(&s->log, '\n');
	return id;
}

static inline void
sink_log_tool_result(void *ctx, const struct alibi_tool_result *r)
{
	struct sink_log *s = ctx;
	s->results++;
	sb_addf(&s->log, "R L%lld %s%s: ", (long long)r->line, r->call_id ? r->call_id : "-",
	        r->is_error ? " error" : "");
	sink_log_text(s, r->text);
	sb_addc(&s->log, '\n');
}

static inline int64_t
sink_log_op(void *ctx, const struct alibi_op *op)
{
	struct sink_log *s = ctx;
	s->ops++;
	if (!op->derived || !op->ok || op->bytes != -1 || op->pid || !op->raw)
		s->op_fields_wrong++;
	sb_addf(&s->log, "O L%lld c%lld %s", (long long)op->line, (long long)op->tool_call,
	        alibi_op_name(op->kind));
	if (op->path)
		sb_addf(&s->log, " %s", op->path);
	if (op->path2)
		sb_addf(&s->log, " -> %s", op->path2);
	if (op->host)
		sb_addf(&s->log, " @%s:%d", op->host, op->port);
	if (op->detail)
		sb_addf(&s->log, " [%s]", op->detail);
	sb_addc(&s->log, '\n');
	return ++s->next_id;
}

static inline void
sink_log_bad(void *ctx, int64_t line, const char *problem)
{
	struct sink_log *s = ctx;
	s->bad++;
	sb_addf(&s->log, "B L%lld%s%s: %s\n", (long long)line, s->member[0] ? " " : "",
	        s->member, problem);
}

static inline void
sink_log_begin_incident(void *ctx, const char *log, const char *run)
{
	struct sink_log *s = ctx;
	s->incidents++;
	sb_addf(&s->log, "I %s %s\n", log ? log : "-", run);
}

static inline void
sink_log_member(void *ctx, const char *name)
{
	struct sink_log *s = ctx;
	snprintf(s->member, sizeof s->member, "%s", name ? name : "");
}

static inline void
sink_log_clock(void *ctx, enum alibi_clock clock)
{
	struct sink_log *s = ctx;
	s->clock = clock;
	s->clock_calls++;
}

static inline void
sink_log_record(void *ctx)
{
	struct sink_log *s = ctx;
	s->records++;
}

static inline struct ingest_sink
sink_log_init(struct sink_log *s)
{
	memset(s, 0, sizeof *s);
	struct ingest_sink sink = {
		s, sink_log_message, sink_log_tool_call, sink_log_tool_result, sink_log_op,
		sink_log_bad, sink_log_clock, sink_log_record, sink_log_begin_incident,
		sink_log_member
	};
	return sink;
}

/* Parses path with parse(), as the import does: head read first, then the
 * file from its start.  Returns parse()'s result (-1 when path cannot be
 * opened). */
static inline int
sink_log_parse_file(const char *path,
                    int (*parse)(const struct ingest_input *, struct ingest_sink *,
                                 struct alibi_error *),
                    struct sink_log *s, struct alibi_error *err)
{
	static char head[INGEST_HEAD_BYTES + 1];
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return -1;
	size_t n = fread(head, 1, INGEST_HEAD_BYTES, fp);
	head[n] = '\0';
	fseek(fp, 0, SEEK_END);
	long size = ftell(fp);
	rewind(fp);
	struct ingest_input in = { path, fp, head, n, size > 0 ? (uint64_t)size : 0 };
	struct ingest_sink sink = sink_log_init(s);
	int rc = parse(&in, &sink, err);
	fclose(fp);
	return rc;
}

/* The head of a file, NUL-terminated, for detection. */
static inline size_t
sink_log_head(const char *path, char *buf, size_t size)
{
	FILE *fp = fopen(path, "rb");
	size_t n = fp ? fread(buf, 1, size - 1, fp) : 0;
	buf[n] = '\0';
	if (fp)
		fclose(fp);
	return n;
}

/* Writes text to dir/name; returns the path (in a static buffer). */
static inline const char *
sink_log_write(const char *dir, const char *name, const char *text, size_t len)
{
	static char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *fp = fopen(path, "wb");
	if (fp) {
		fwrite(text, 1, len, fp);
		fclose(fp);
	}
	return path;
}

/* Parses text as if it were the file name, written to a temporary
 * directory so the parser reads a real file as the import does. */
static inline int
sink_log_parse_text(const char *name, const char *text,
                    int (*parse)(const struct ingest_input *, struct ingest_sink *,
                                 struct alibi_error *),
                    struct sink_log *s, struct alibi_error *err)
{
	char dir[256];
	if (!unit_tmpdir(dir, sizeof dir))
		return -1;
	const char *path = sink_log_write(dir, name, text, strlen(text));
	int rc = sink_log_parse_file(path, parse, s, err);
	remove(path);
	rmdir(dir);
	return rc;
}

/* The format the whole detection table picks for path, or "(none)". */
static inline const char *
sink_log_detected(const char *path)
{
	static char head[INGEST_HEAD_BYTES + 1];
	size_t n = sink_log_head(path, head, sizeof head);
	const struct ingest_format *f = ingest_detect(head, n);
	return f ? f->name : "(none)";
}

static inline void
sink_log_free(struct sink_log *s)
{
	sb_free(&s->log);
}

#endif
