/* alibijsonl.c — the alibi JSONL action schema: one JSON object a line,
 * written by a harness that logs what its agent did (alibi-formats(5)).
 *
 *   {"alibi": 1, "ts": "2026-03-04T10:15:30.123456Z", "op": "unlink",
 *    "pid": 4242, "ppid": 4200, "path": "/srv/models/agent2/model.safetensors"}
 *
 * The members are those of a normalised operation (alibi/records.h), so
 * every op kind alibi knows can be written and nothing else can.  The
 * same code imports a file and checks it (`alibi formats --check`): a line
 * is good when it can be imported, and a bad line's problems are what
 * the import reports. */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "alibi/ingest.h"
#include "alibi/linereader.h"
#include "alibi/shellcmd.h"
#include "alibi/timeparse.h"
#include "strace_internal.h"

#define SCHEMA_VERSION 1
#define RAW_MAX 4096

/* What an op needs besides "alibi", "op" and "ts". */
enum need {
	NEED_PATH = 1,           /* path */
	NEED_PATH2 = 2,          /* path2 */
	NEED_PATH_OR_ARGV = 4,   /* exec */
	NEED_HOST_OR_PATH = 8,   /* connect, send, recv: host, or a Unix socket's path */
	NEED_HOST_OR_PATH2 = 16, /* transfer: where it went */
	NEED_DETAIL = 32         /* kill: what was signalled */
};

static unsigned
needs(enum alibi_op_kind kind)
{
	switch (kind) {
	case ALIBI_OP_exec: return NEED_PATH_OR_ARGV;
	case ALIBI_OP_rename: case ALIBI_OP_link: case ALIBI_OP_copy: return NEED_PATH | NEED_PATH2;
	case ALIBI_OP_connect: case ALIBI_OP_send: case ALIBI_OP_recv: return NEED_HOST_OR_PATH;
	case ALIBI_OP_transfer: return NEED_PATH | NEED_HOST_OR_PATH2;
	case ALIBI_OP_kill: return NEED_DETAIL;
	default: return NEED_PATH;
	}
}

enum ftype { F_INT, F_STRING, F_TIME, F_ARGV };

/* The members, in the order of fields[]. */
enum field_id {
	M_ALIBI, M_OP, M_TS, M_PID, M_PPID, M_SYSCALL, M_PATH, M_PATH2, M_HOST, M_PORT,
	M_BYTES, M_RESULT, M_ERRNO, M_ARGV, M_DETAIL, M__COUNT
};

static const struct field {
	const char *name;
	enum ftype type;
	double min, max;     /* integers */
} fields[M__COUNT] = {
	{ "alibi",   F_INT,    0, INT_MAX },
	{ "op",      F_STRING, 0, 0 },
	{ "ts",      F_TIME,   0, 0 },
	{ "pid",     F_INT,    0, INT32_MAX },
	{ "ppid",    F_INT,    0, INT32_MAX },
	{ "syscall", F_STRING, 0, 0 },
	{ "path",    F_STRING, 0, 0 },
	{ "path2",   F_STRING, 0, 0 },
	{ "host",    F_STRING, 0, 0 },
	{ "port",    F_INT,    0, 65535 },
	{ "bytes",   F_INT,    0, 9007199254740992.0 },
	{ "result",  F_INT,    -9007199254740992.0, 9007199254740992.0 },
	{ "errno",   F_STRING, 0, 0 },
	{ "argv",    F_ARGV,   0, 0 },
	{ "detail",  F_STRING, 0, 0 },
};

/* The state of one file's reading. */
struct jsonl {
	struct ingest_sink *sink;
	const cJSON *given[M__COUNT];   /* this line's members, NULL when absent or null */
	struct strbuf unknown;          /* its unknown members, reported last */
	struct strbuf problems;  /* this line's, joined with "; " */
	struct strbuf detail;    /* exec: argv, shell-quoted */
	struct strbuf raw;
	int any_ts;
};

static void problem(struct jsonl *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
problem(struct jsonl *j, const char *fmt, ...)
{
	va_list ap;
	if (j->problems.len)
		sb_adds(&j->problems, "; ");
	va_start(ap, fmt);
	sb_vaddf(&j->problems, fmt, ap);
	va_end(ap);
}

/* ---- members ---------------------------------------------------------------------- */

static int
is_integer(const cJSON *v, double min, double max)
{
	return cJSON_IsNumber(v) && isfinite(v->valuedouble) && floor(v->valuedouble) == v->valuedouble &&
	       v->valuedouble >= min && v->valuedouble <= max;
}

/* The member's value when it has the right type; a value of the wrong
 * type is a problem. */
static const cJSON *
member(struct jsonl *j, enum field_id id)
{
	const struct field *f = &fields[id];
	const cJSON *v = j->given[id];
	if (!v)
		return NULL;
	int good = 1;
	switch (f->type) {
	case F_INT:
		good = is_integer(v, f->min, f->max);
		if (!good && cJSON_IsNumber(v) && f->min >= 0 && v->valuedouble < 0)
			problem(j, "\"%s\" must not be negative", f->name);
		else if (!good && cJSON_IsNumber(v))
			problem(j, "\"%s\" is out of range", f->name);
		else if (!good)
			problem(j, "\"%s\" must be an integer", f->name);
		return good ? v : NULL;
	case F_STRING:
		good = cJSON_IsString(v);
		break;
	case F_TIME:
		good = cJSON_IsString(v) || cJSON_IsNumber(v);
		if (!good)
			problem(j, "\"%s\" must be an RFC 3339 time or a number of seconds", f->name);
		return good ? v : NULL;
	case F_ARGV:
		good = cJSON_IsArray(v) && cJSON_GetArraySize(v) > 0;
		for (const cJSON *a = good ? v->child : NULL; a; a = a->next)
			good = good && cJSON_IsString(a);
		if (!good)
			problem(j, "\"%s\" must be a non-empty array of strings", f->name);
		return good ? v : NULL;
	}
	if (!good)
		problem(j, "\"%s\" must be a string", f->name);
	return good ? v : NULL;
}

/* Sorts the line's members into j->given in one pass.  Members a harness
 * adds for itself start with "x_"; any other unknown member is most
 * likely a misspelt one, so it is noted for the report, as is a member
 * given twice. */
static void
gather(struct jsonl *j, const cJSON *rec)
{
	memset(j->given, 0, sizeof j->given);
	sb_reset(&j->unknown);
	for (const cJSON *m = rec->child; m; m = m->next) {
		int id = -1;
		for (int k = 0; k < M__COUNT && id < 0 && m->string; k++)
			if (m->string[0] == fields[k].name[0] && strcmp(m->string, fields[k].name) == 0)
				id = k;
		if (id < 0) {
			if (m->string && strncmp(m->string, "x_", 2) != 0)
				sb_addf(&j->unknown, "%sunknown member \"%.40s\" (extensions start with \"x_\")",
				        j->unknown.len ? "; " : "", m->string);
		} else if (j->given[id]) {
			sb_addf(&j->unknown, "%s\"%s\" given twice", j->unknown.len ? "; " : "",
			        fields[id].name);
		} else if (!cJSON_IsNull(m)) {
			j->given[id] = m;
		}
	}
}

/* A member every line must carry; hint says what it is. */
static const cJSON *
required(struct jsonl *j, enum field_id id, const char *hint)
{
	if (!j->given[id]) {
		problem(j, "missing \"%s\"%s", fields[id].name, hint);
		return NULL;
	}
	return member(j, id);
}

static const char *
string_of(struct jsonl *j, enum field_id id)
{
	const cJSON *v = member(j, id);
	return v ? v->valuestring : NULL;
}

/* ---- the record -------------------------------------------------------------------- */

static int64_t
read_time(struct jsonl *j, const cJSON *v)
{
	int64_t ts = ALIBI_TS_NONE;
	if (cJSON_IsString(v)) {
		ts = time_parse_iso8601(v->valuestring);
		if (ts == ALIBI_TS_NONE)
			problem(j, "bad time \"%.60s\" (RFC 3339: 2026-03-04T10:15:30Z)", v->valuestring);
	} else if (cJSON_IsNumber(v)) {
		/* seconds; a number of milliseconds or more would be past the year 5000 */
		if (isfinite(v->valuedouble) && v->valuedouble >= 0 && v->valuedouble < 1e11)
			ts = (int64_t)llround(v->valuedouble * 1e6);
		else
			problem(j, "bad time: a number in \"ts\" is seconds since the epoch");
	}
	return ts;
}

static int
is_errno_name(const char *s)
{
	if (s[0] != 'E' || !s[1])
		return 0;
	for (const char *p = s + 1; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return 0;
	return 1;
}

/* "a 'b c'": argv as a shell would take it back, as strace writes it. */
static void
join_argv(const cJSON *argv, struct strbuf *out)
{
	sb_reset(out);
	sb_add(out, "", 0);
	for (const cJSON *a = argv->child; a; a = a->next) {
		if (out->len)
			sb_addc(out, ' ');
		shell_quote_word(out, a->valuestring, strlen(a->valuestring));
	}
}

static void
check_needs(struct jsonl *j, const struct alibi_op *op, const char *name)
{
	unsigned n = needs(op->kind);
	const char *missing = NULL;
	if ((n & NEED_PATH) && !op->path)
		missing = "\"path\"";
	else if ((n & NEED_PATH2) && !op->path2)
		missing = "\"path2\"";
	else if ((n & NEED_PATH_OR_ARGV) && !op->path && !op->detail)
		missing = "\"path\" or \"argv\"";
	else if ((n & NEED_HOST_OR_PATH) && !op->host && !op->path)
		missing = "\"host\" or \"path\"";
	else if ((n & NEED_HOST_OR_PATH2) && !op->host && !op->path2)
		missing = "\"host\" or \"path2\"";
	else if ((n & NEED_DETAIL) && !op->detail)
		missing = "\"detail\"";
	if (missing)
		problem(j, "missing %s for op \"%s\"", missing, name);
}

/* Fills op from rec; problems go to j->problems. */
static void
read_op(struct jsonl *j, const cJSON *rec, struct alibi_op *op)
{
	gather(j, rec);
	/* a line of another version is not read further: its members may
	 * mean something else */
	const cJSON *version = required(j, M_ALIBI, " (the schema version, 1)");
	if (version && version->valuedouble != SCHEMA_VERSION) {
		problem(j, "unknown version %.0f (this alibi reads version %d)",
		        version->valuedouble, SCHEMA_VERSION);
		return;
	}
	const cJSON *name_v = required(j, M_OP, "");
	const char *name = name_v ? name_v->valuestring : NULL;
	int kind = name ? alibi_op_from_name(name) : -1;
	if (name && kind < 0)
		problem(j, "unknown op \"%.40s\" (see alibi-formats(5))", name);
	const cJSON *ts = required(j, M_TS, "");
	op->ts = ts ? read_time(j, ts) : ALIBI_TS_NONE;
	const cJSON *v;
	op->pid = (v = member(j, M_PID)) ? (int32_t)v->valuedouble : 0;
	op->ppid = (v = member(j, M_PPID)) ? (int32_t)v->valuedouble : 0;
	op->port = (v = member(j, M_PORT)) ? (int)v->valuedouble : -1;
	op->bytes = (v = member(j, M_BYTES)) ? (int64_t)v->valuedouble : -1;
	op->syscall = string_of(j, M_SYSCALL);
	op->path = string_of(j, M_PATH);
	op->path2 = string_of(j, M_PATH2);
	op->host = string_of(j, M_HOST);
	op->detail = string_of(j, M_DETAIL);
	const cJSON *argv = member(j, M_ARGV);
	if (argv) {
		join_argv(argv, &j->detail);
		op->detail = sb_str(&j->detail);
	}
	const cJSON *result = member(j, M_RESULT);
	op->err_name = string_of(j, M_ERRNO);
	if (op->err_name && !is_errno_name(op->err_name))
		problem(j, "\"errno\" \"%.40s\" is not an error name such as \"ENOENT\"", op->err_name);
	if (op->err_name && result && result->valuedouble >= 0)
		problem(j, "\"errno\" given for a result that is not negative");
	op->ok = !op->err_name && (!result || result->valuedouble >= 0);
	if (op->err_name) {
		struct span s = { op->err_name, strlen(op->err_name) };
		op->err_no = strace_errno_value(s);
	}
	if (kind >= 0) {
		op->kind = (enum alibi_op_kind)kind;
		check_needs(j, op, name);
	}
	if (j->unknown.len)
		problem(j, "%s", sb_str(&j->unknown));
}

static void
read_line(struct jsonl *j, const char *line, size_t len, int64_t lineno)
{
	struct ingest_sink *sink = j->sink;
	const char *end = NULL;
	cJSON *rec = cJSON_ParseWithLengthOpts(line, len, &end, 0);
	sb_reset(&j->problems);
	if (!rec) {
		char what[80];
		snprintf(what, sizeof what, "invalid JSON near column %zu",
		         end && end >= line ? (size_t)(end - line) + 1 : (size_t)1);
		sink->bad_record(sink->ctx, lineno, what);
		return;
	}
	while (end < line + len && (*end == ' ' || *end == '\t' || *end == '\r'))
		end++;
	if (end < line + len)
		problem(j, "text after the JSON object (one object a line)");
	if (!cJSON_IsObject(rec)) {
		problem(j, "not a JSON object");
	} else {
		struct alibi_op op;
		memset(&op, 0, sizeof op);
		read_op(j, rec, &op);
		if (!j->problems.len) {
			sb_reset(&j->raw);
			sb_add(&j->raw, line, len < RAW_MAX ? len : RAW_MAX);
			op.line = lineno;
			op.raw = sb_str(&j->raw);
			j->any_ts = 1;
			sink->op(sink->ctx, &op);
			if (sink->record)
				sink->record(sink->ctx);
		}
	}
	if (j->problems.len)
		sink->bad_record(sink->ctx, lineno, sb_str(&j->problems));
	cJSON_Delete(rec);
}

int
alibi_jsonl_parse(const struct ingest_input *in, struct ingest_sink *sink,
                  struct alibi_error *err)
{
	struct jsonl j;
	memset(&j, 0, sizeof j);
	j.sink = sink;
	struct linereader lr;
	const char *line;
	linereader_init(&lr, in->fp, LINEREADER_DEFAULT_LIMIT);
	while ((line = linereader_next(&lr)) != NULL) {
		size_t len = lr.len, start = 0;
		if (lr.lineno == 1 && len >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0)
			start = 3;
		while (start < len && (line[start] == ' ' || line[start] == '\t' || line[start] == '\r'))
			start++;
		if (start == len)
			continue;   /* blank lines separate nothing, but are allowed */
		if (lr.truncated)
			sink->bad_record(sink->ctx, lr.lineno, "line longer than 1 MiB");
		else
			read_line(&j, line + start, len - start, lr.lineno);
	}
	int failed = ferror(in->fp);
	linereader_free(&lr);
	if (sink->clock)
		sink->clock(sink->ctx, j.any_ts ? ALIBI_CLOCK_EPOCH : ALIBI_CLOCK_NONE);
	sb_free(&j.problems);
	sb_free(&j.unknown);
	sb_free(&j.detail);
	sb_free(&j.raw);
	if (failed)
		return alibi_error_set(err, ALIBI_EIO, "%s: read error", in->path);
	return 0;
}

/* ---- detection ---------------------------------------------------------------------- */

/* The first lines of the head: most complete ones are objects carrying
 * "alibi" and "op". */
int
alibi_jsonl_detect(const char *head, size_t len)
{
	int lines = 0, ours = 0;
	const char *p = head, *end = head + len;
	while (p < end && lines < 20) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl) {
			/* a first line longer than the head */
			if (!lines && strncmp(p + strspn(p, " \t\xef\xbb\xbf"), "{\"alibi\":", 9) == 0)
				return 60;
			break;
		}
		size_t n = (size_t)(nl - p);
		if (n && strspn(p, " \t\r") < n) {
			cJSON *rec = cJSON_ParseWithLength(p, n);
			lines++;
			ours += cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(rec, "alibi")) &&
			        cJSON_IsString(cJSON_GetObjectItemCaseSensitive(rec, "op"));
			cJSON_Delete(rec);
		}
		p = nl + 1;
	}
	return ours && ours * 2 > lines ? 95 : 0;
}
