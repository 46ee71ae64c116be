/* op_sink.h — a sink that keeps every operation a parser emits, for the
 * action-log parser tests.  Define OP_SINK_PARSE (the parse function)
 * before including; parse_fp and parse_file run it over a file. */
#ifndef ALIBI_OP_SINK_H
#define ALIBI_OP_SINK_H

#ifndef OP_SINK_PARSE
#error "define OP_SINK_PARSE before including op_sink.h"
#endif
#define OP_SINK_STR(x) #x
#define OP_SINK_NAME(x) OP_SINK_STR(x)
#define OP_SINK_PARSE_NAME OP_SINK_NAME(OP_SINK_PARSE)

struct got {
	enum alibi_op_kind kind;
	char *syscall, *path, *path2, *host, *detail, *err_name, *raw;
	int32_t pid, ppid;
	int port, ok, err_no;
	int64_t bytes, ts, line;
};

struct sink {
	struct got *ops;
	size_t n, cap;
	int records, bad, clocks;
	enum alibi_clock clock;
	int64_t bad_line[32];
	char bad_what[32][64];
};

static char *
dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int64_t
on_op(void *ctx, const struct alibi_op *op)
{
	struct sink *s = ctx;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->ops = realloc(s->ops, s->cap * sizeof *s->ops);
	}
	struct got *g = &s->ops[s->n++];
	g->kind = op->kind;
	g->syscall = dup_or_null(op->syscall);
	g->path = dup_or_null(op->path);
	g->path2 = dup_or_null(op->path2);
	g->host = dup_or_null(op->host);
	g->detail = dup_or_null(op->detail);
	g->err_name = dup_or_null(op->err_name);
	g->raw = dup_or_null(op->raw);
	g->pid = op->pid;
	g->ppid = op->ppid;
	g->port = op->port;
	g->ok = op->ok;
	g->err_no = op->err_no;
	g->bytes = op->bytes;
	g->ts = op->ts;
	g->line = op->line;
	return (int64_t)s->n;
}

static void
on_bad(void *ctx, int64_t line, const char *problem)
{
	struct sink *s = ctx;
	if (s->bad < 32) {
		s->bad_line[s->bad] = line;
		snprintf(s->bad_what[s->bad], sizeof s->bad_what[0], "%s", problem);
	}
	s->bad++;
}

static void
on_clock(void *ctx, enum alibi_clock clock)
{
	struct sink *s = ctx;
	s->clock = clock;
	s->clocks++;
}

static void
on_record(void *ctx)
{
	((struct sink *)ctx)->records++;
}

static void
sink_free(struct sink *s)
{
	for (size_t i = 0; i < s->n; i++) {
		struct got *g = &s->ops[i];
		free(g->syscall);
		free(g->path);
		free(g->path2);
		free(g->host);
		free(g->detail);
		free(g->err_name);
		free(g->raw);
	}
	free(s->ops);
	memset(s, 0, sizeof *s);
}

static int
parse_fp(struct sink *s, FILE *fp, const char *path)
{
	struct ingest_sink sink = { .ctx = s, .op = on_op, .bad_record = on_bad,
	                            .clock = on_clock, .record = on_record };
	struct ingest_input in = { .path = path, .fp = fp };
	struct alibi_error err = { 0 };
	memset(s, 0, sizeof *s);
	int rc = OP_SINK_PARSE(&in, &sink, &err);
	if (rc)
		printf("#  %s: %s\n", OP_SINK_PARSE_NAME, err.msg);
	CHECK_INT(s->clocks, 1);
	return rc;
}

static int
parse_file(struct sink *s, const char *path)
{
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		printf("#  cannot open %s\n", path);
		memset(s, 0, sizeof *s);
		return -1;
	}
	int rc = parse_fp(s, fp, path);
	fclose(fp);
	return rc;
}

#endif
