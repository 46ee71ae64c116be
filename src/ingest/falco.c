/* falco.c — Falco alerts in JSON (json_output: true): one alert a line,
 *
 *   {"time": "2026-03-04T10:15:30.123456789Z", "rule": "...", "priority":
 *    "Warning", "source": "syscall", "output": "...", "output_fields":
 *    {"evt.type": "openat", "fd.name": "/etc/shadow", "proc.pid": 4242,
 *     "proc.cmdline": "cat /etc/shadow", ...}}
 *
 * An alert carries only the fields its rule's output names, so an alert
 * becomes an operation when those say which system call it was (evt.type)
 * and on what (fd.name, fs.path.*, evt.arg.*, fd.rip/fd.rport ...).  A
 * system call alibi keeps no operation for (setuid, ptrace ...) is read
 * and counted, as in a strace log; an alert that names no system call at
 * all is reported with the reason, so a reviewer knows which rule outputs
 * to extend (alibi-formats(5)). */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/ingest.h"
#include "alibi/jsonrec.h"
#include "alibi/timeparse.h"
#include "strace_internal.h"

#define RAW_MAX 4096

enum shape {
	SHAPE_OPEN,      /* the kind depends on the open flags */
	SHAPE_PATH,      /* one path */
	SHAPE_TWO,       /* rename, link: source and target */
	SHAPE_SYMLINK,   /* target and the link's own path */
	SHAPE_EXEC,
	SHAPE_NET,       /* connect, send, recv */
	SHAPE_KILL
};

static const struct evt_row {
	const char *type;
	int kind;            /* enum alibi_op_kind; -1 for SHAPE_OPEN */
	enum shape shape;
} evt_rows[] = {
	{ "execve", ALIBI_OP_exec, SHAPE_EXEC },     { "execveat", ALIBI_OP_exec, SHAPE_EXEC },
	{ "open", -1, SHAPE_OPEN },                  { "openat", -1, SHAPE_OPEN },
	{ "openat2", -1, SHAPE_OPEN },               { "open_by_handle_at", -1, SHAPE_OPEN },
	{ "creat", ALIBI_OP_create, SHAPE_PATH },
	{ "write", ALIBI_OP_write, SHAPE_PATH },     { "pwrite", ALIBI_OP_write, SHAPE_PATH },
	{ "writev", ALIBI_OP_write, SHAPE_PATH },    { "pwritev", ALIBI_OP_write, SHAPE_PATH },
	{ "truncate", ALIBI_OP_truncate, SHAPE_PATH }, { "ftruncate", ALIBI_OP_truncate, SHAPE_PATH },
	{ "unlink", ALIBI_OP_unlink, SHAPE_PATH },   { "unlinkat", ALIBI_OP_unlink, SHAPE_PATH },
	{ "rmdir", ALIBI_OP_rmdir, SHAPE_PATH },
	{ "mkdir", ALIBI_OP_mkdir, SHAPE_PATH },     { "mkdirat", ALIBI_OP_mkdir, SHAPE_PATH },
	{ "chmod", ALIBI_OP_chmod, SHAPE_PATH },     { "fchmod", ALIBI_OP_chmod, SHAPE_PATH },
	{ "fchmodat", ALIBI_OP_chmod, SHAPE_PATH },
	{ "chown", ALIBI_OP_chown, SHAPE_PATH },     { "lchown", ALIBI_OP_chown, SHAPE_PATH },
	{ "fchown", ALIBI_OP_chown, SHAPE_PATH },    { "fchownat", ALIBI_OP_chown, SHAPE_PATH },
	{ "utimensat", ALIBI_OP_utime, SHAPE_PATH }, { "utimes", ALIBI_OP_utime, SHAPE_PATH },
	{ "futimesat", ALIBI_OP_utime, SHAPE_PATH },
	{ "rename", ALIBI_OP_rename, SHAPE_TWO },    { "renameat", ALIBI_OP_rename, SHAPE_TWO },
	{ "renameat2", ALIBI_OP_rename, SHAPE_TWO },
	{ "link", ALIBI_OP_link, SHAPE_TWO },        { "linkat", ALIBI_OP_link, SHAPE_TWO },
	{ "symlink", ALIBI_OP_link, SHAPE_SYMLINK }, { "symlinkat", ALIBI_OP_link, SHAPE_SYMLINK },
	{ "connect", ALIBI_OP_connect, SHAPE_NET },
	{ "sendto", ALIBI_OP_send, SHAPE_NET },      { "sendmsg", ALIBI_OP_send, SHAPE_NET },
	{ "sendmmsg", ALIBI_OP_send, SHAPE_NET },
	{ "recvfrom", ALIBI_OP_recv, SHAPE_NET },    { "recvmsg", ALIBI_OP_recv, SHAPE_NET },
	{ "kill", ALIBI_OP_kill, SHAPE_KILL },       { "tkill", ALIBI_OP_kill, SHAPE_KILL },
	{ "tgkill", ALIBI_OP_kill, SHAPE_KILL },
};

struct falco {
	struct ingest_sink *sink;
	const cJSON *fields;      /* the alert's output_fields */
	struct strbuf s1, s2, host, detail, raw, why;
	int any_ts;
};

/* ---- fields ------------------------------------------------------------------------ */

/* A field as text: strings as they are, numbers written out. */
static const char *
field(struct falco *f, const char *name, struct strbuf *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(f->fields, name);
	if (cJSON_IsString(v) && *v->valuestring && strcmp(v->valuestring, "<NA>") != 0)
		return v->valuestring;
	if (cJSON_IsNumber(v) && isfinite(v->valuedouble)) {
		sb_reset(out);
		sb_addf(out, "%.0f", v->valuedouble);
		return sb_str(out);
	}
	return NULL;
}

static int
field_int(struct falco *f, const char *name, int64_t *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(f->fields, name);
	char *end = NULL;
	/* within what an int32 holds: pids, ports, results */
	if (cJSON_IsNumber(v) && v->valuedouble >= INT32_MIN && v->valuedouble <= INT32_MAX) {
		*out = (int64_t)v->valuedouble;
		return 1;
	}
	if (cJSON_IsString(v) && *v->valuestring) {
		errno = 0;
		long long n = strtoll(v->valuestring, &end, 10);
		if (*end == '\0' && !errno && n >= INT32_MIN && n <= INT32_MAX) {
			*out = n;
			return 1;
		}
	}
	return 0;
}

/* The first of names that the alert carries. */
static const char *
first_field(struct falco *f, const char *const *names, struct strbuf *out)
{
	for (size_t i = 0; names[i]; i++) {
		const char *v = field(f, names[i], out);
		if (v)
			return v;
	}
	return NULL;
}

static const char *
the_path(struct falco *f, enum shape shape)
{
	static const char *const by_path[] = {
		"fs.path.name", "evt.arg.path", "evt.arg.pathname", "evt.arg.name",
		"evt.arg.filename", NULL
	};
	/* an open's fd.name is the file opened, resolved; evt.arg.name may
	 * be relative to a directory the alert does not show */
	const char *fd = field(f, "fd.name", &f->s1);
	if (fd && shape == SHAPE_OPEN && fd[0] == '/')
		return fd;
	const char *p = first_field(f, by_path, &f->s1);
	return p ? p : fd && fd[0] == '/' ? fd : NULL;
}

/* ---- one alert ----------------------------------------------------------------------- */

static int
open_kind(struct falco *f)
{
	const char *flags = field(f, "evt.arg.flags", &f->s2);
	if (!flags)
		return ALIBI_OP_open_read;
	int write = strstr(flags, "O_WRONLY") || strstr(flags, "O_RDWR");
	int truncate = write && strstr(flags, "O_TRUNC");
	/* ">> f" (O_CREAT|O_APPEND) mostly writes to an f that is there */
	if (truncate || (strstr(flags, "O_CREAT") && !strstr(flags, "O_APPEND")))
		return ALIBI_OP_create;
	return write ? ALIBI_OP_open_write : ALIBI_OP_open_read;
}

/* "10.0.0.5:43210->93.184.216.34:443": the far end. */
static void
peer_from_tuple(const char *tuple, struct strbuf *host, int *port)
{
	const char *arrow = strstr(tuple, "->");
	if (!arrow)
		return;
	const char *far = arrow + 2, *colon = strrchr(far, ':');
	if (!colon || colon == far)
		return;
	sb_reset(host);
	sb_add(host, far, (size_t)(colon - far));
	*port = atoi(colon + 1);
}

static void
read_net(struct falco *f, struct alibi_op *op)
{
	static const char *const hosts[] = { "fd.rip", "fd.sip", NULL };
	static const char *const ports[] = { "fd.rport", "fd.sport", NULL };
	const char *host = first_field(f, hosts, &f->host);
	int64_t port;
	for (size_t i = 0; ports[i]; i++)
		if (field_int(f, ports[i], &port) && port >= 0 && port <= 65535) {
			op->port = (int)port;
			break;
		}
	const char *fd = field(f, "fd.name", &f->s1);
	const char *type = field(f, "fd.type", &f->s2);
	if (host) {
		op->host = host;
	} else if (fd && strstr(fd, "->")) {
		peer_from_tuple(fd, &f->host, &op->port);
		op->host = f->host.len ? sb_str(&f->host) : NULL;
	} else if (fd && (fd[0] == '/' || fd[0] == '@' || (type && strcmp(type, "unix") == 0))) {
		op->path = fd;   /* a Unix socket */
	}
}

static void
read_detail(struct falco *f, struct alibi_op *op, enum shape shape)
{
	sb_reset(&f->detail);
	if (shape == SHAPE_EXEC) {
		op->path = field(f, "proc.exepath", &f->s1);
		if (!op->path)
			op->path = field(f, "proc.exe", &f->s1);
		op->detail = field(f, "proc.cmdline", &f->detail);
	} else if (shape == SHAPE_KILL) {
		const char *pid = field(f, "evt.arg.pid", &f->s1);
		const char *sig = field(f, "evt.arg.sig", &f->s2);
		if (pid)
			sb_addf(&f->detail, "pid %s", pid);
		if (sig)
			sb_addf(&f->detail, "%s%s", pid ? " " : "", sig);
		op->detail = f->detail.len ? sb_str(&f->detail) : NULL;
	} else if (op->kind == ALIBI_OP_chmod) {
		op->detail = field(f, "evt.arg.mode", &f->detail);
	} else if (op->kind == ALIBI_OP_unlink) {
		const char *flags = field(f, "evt.arg.flags", &f->detail);
		if (flags && strstr(flags, "AT_REMOVEDIR"))
			op->kind = ALIBI_OP_rmdir;
	}
}

static void
read_result(struct falco *f, struct alibi_op *op)
{
	int64_t rawres;
	const char *res = field(f, "evt.res", &f->s2);
	op->ok = 1;
	if (res && res[0] == 'E' && strcmp(res, "SUCCESS") != 0) {
		struct span s = { res, strlen(res) };
		op->ok = 0;
		op->err_name = res;
		op->err_no = strace_errno_value(s);
	} else if (field_int(f, "evt.rawres", &rawres) && rawres < 0) {
		op->ok = 0;
		op->err_no = (int)-rawres;
	}
	if ((op->kind == ALIBI_OP_write || op->kind == ALIBI_OP_send || op->kind == ALIBI_OP_recv) &&
	    op->ok && field_int(f, "evt.rawres", &rawres) && rawres >= 0)
		op->bytes = rawres;
}

/* Fills op from the alert's fields; NULL when it is an operation, else
 * why not (for a report), or "" when it is a call alibi does not keep. */
static const char *
read_op(struct falco *f, const char *type, struct alibi_op *op)
{
	const struct evt_row *row = NULL;
	for (size_t i = 0; i < sizeof evt_rows / sizeof evt_rows[0] && !row; i++)
		if (strcmp(evt_rows[i].type, type) == 0)
			row = &evt_rows[i];
	if (!row)
		return "";
	op->kind = row->kind >= 0 ? (enum alibi_op_kind)row->kind : (enum alibi_op_kind)open_kind(f);
	op->syscall = type;
	switch (row->shape) {
	case SHAPE_OPEN: case SHAPE_PATH:
		op->path = the_path(f, row->shape);
		break;
	case SHAPE_TWO: case SHAPE_SYMLINK: {
		static const char *const src[] = { "fs.path.source", "evt.arg.oldpath", "evt.arg.target", NULL };
		static const char *const dst[] = { "fs.path.target", "evt.arg.newpath", "evt.arg.linkpath", NULL };
		op->path = first_field(f, src, &f->s1);
		op->path2 = first_field(f, dst, &f->s2);
		if (row->shape == SHAPE_SYMLINK)
			op->detail = "symlink";
		break;
	}
	case SHAPE_NET:
		read_net(f, op);
		break;
	case SHAPE_EXEC: case SHAPE_KILL:
		break;
	}
	read_detail(f, op, row->shape);
	if (row->shape == SHAPE_NET && !op->host && !op->path)
		return "names no address (fd.rip, fd.rport or fd.name)";
	if (row->shape == SHAPE_EXEC && !op->path && !op->detail)
		return "names no program (proc.exepath or proc.cmdline)";
	if (row->shape == SHAPE_KILL && !op->detail)
		return "names no target (evt.arg.pid)";
	if ((row->shape == SHAPE_OPEN || row->shape == SHAPE_PATH) && !op->path)
		return "names no file (fd.name, fs.path.name or evt.arg.*)";
	if ((row->shape == SHAPE_TWO || row->shape == SHAPE_SYMLINK) && (!op->path || !op->path2))
		return "names no source and target (fs.path.source and fs.path.target)";
	read_result(f, op);
	return NULL;
}

static int64_t
alert_time(struct falco *f, const cJSON *rec)
{
	const char *time = jsonrec_string(rec, "time");
	int64_t ts = time ? time_parse_iso8601(time) : ALIBI_TS_NONE;
	/* evt.time is nanoseconds; evt.time.iso8601 is a string, or
	 * nanoseconds in some versions */
	static const char *const ns[] = { "evt.rawtime", "evt.time", "evt.time.iso8601", NULL };
	for (size_t i = 0; ns[i] && ts == ALIBI_TS_NONE; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(f->fields, ns[i]);
		if (cJSON_IsNumber(v) && v->valuedouble > 1e17 && v->valuedouble < 9e18)
			ts = (int64_t)(v->valuedouble / 1e3);
		else if (cJSON_IsString(v))
			ts = time_parse_iso8601(v->valuestring);
	}
	return ts;
}

static void
report(struct falco *f, int64_t line, const char *rule, const char *why)
{
	sb_reset(&f->why);
	sb_addf(&f->why, "alert '%.80s' %s", rule ? rule : "(no rule)", why);
	f->sink->bad_record(f->sink->ctx, line, sb_str(&f->why));
}

static int
on_record(void *ctx, const cJSON *rec, int64_t line)
{
	struct falco *f = ctx;
	struct ingest_sink *sink = f->sink;
	const char *rule = jsonrec_string(rec, "rule");
	const char *source = jsonrec_string(rec, "source");
	f->fields = cJSON_GetObjectItemCaseSensitive(rec, "output_fields");
	if (!jsonrec_string(rec, "output") || !rule) {
		sink->bad_record(sink->ctx, line, "not a Falco alert (no \"output\" and \"rule\")");
		return 0;
	}
	if (source && strcmp(source, "syscall") != 0) {
		sb_reset(&f->s2);
		sb_addf(&f->s2, "comes from the '%.40s' event source, which holds no system calls", source);
		report(f, line, rule, sb_str(&f->s2));
		return 0;
	}
	const char *type = cJSON_IsObject(f->fields) ? jsonrec_string(f->fields, "evt.type") : NULL;
	if (!type) {
		report(f, line, rule, "names no system call (its output has no %evt.type)");
		return 0;
	}
	struct alibi_op op;
	memset(&op, 0, sizeof op);
	op.port = -1;
	op.bytes = -1;
	const char *why = read_op(f, type, &op);
	if (why && *why) {
		sb_reset(&f->raw);
		sb_addf(&f->raw, "(%s) %s", type, why);
		report(f, line, rule, sb_str(&f->raw));
		return 0;
	}
	if (!why) {
		int64_t pid;
		op.ts = alert_time(f, rec);
		f->any_ts |= op.ts != ALIBI_TS_NONE;
		if (field_int(f, "proc.pid", &pid) || field_int(f, "thread.tid", &pid))
			op.pid = (int32_t)pid;
		if (field_int(f, "proc.ppid", &pid))
			op.ppid = (int32_t)pid;
		op.line = line;
		sb_reset(&f->raw);
		jsonrec_print(rec, &f->raw);
		if (f->raw.len > RAW_MAX)
			sb_truncate(&f->raw, RAW_MAX);
		op.raw = sb_str(&f->raw);
		sink->op(sink->ctx, &op);
	}
	if (sink->record)
		sink->record(sink->ctx);
	return 0;
}

static void
on_bad(void *ctx, int64_t line, const char *problem)
{
	struct falco *f = ctx;
	f->sink->bad_record(f->sink->ctx, line, problem);
}

int
falco_parse(const struct ingest_input *in, struct ingest_sink *sink, struct alibi_error *err)
{
	struct falco f;
	memset(&f, 0, sizeof f);
	f.sink = sink;
	struct jsonrec_handler h = { &f, on_record, on_bad };
	int rc = jsonrec_read(in, &h, err);
	if (sink->clock)
		sink->clock(sink->ctx, f.any_ts ? ALIBI_CLOCK_EPOCH : ALIBI_CLOCK_NONE);
	sb_free(&f.s1);
	sb_free(&f.s2);
	sb_free(&f.host);
	sb_free(&f.detail);
	sb_free(&f.raw);
	sb_free(&f.why);
	return rc;
}

/* ---- detection ---------------------------------------------------------------------- */

struct survey {
	int records, alerts;
};

static int
survey_record(void *ctx, const cJSON *rec, int64_t line)
{
	struct survey *s = ctx;
	(void)line;
	s->records++;
	s->alerts += jsonrec_string(rec, "output") && jsonrec_string(rec, "rule") &&
	             jsonrec_string(rec, "priority") &&
	             (jsonrec_string(rec, "time") || cJSON_GetObjectItemCaseSensitive(rec, "output_fields"));
	return s->records >= 50;
}

int
falco_detect(const char *head, size_t len)
{
	struct survey s = { 0, 0 };
	struct jsonrec_handler h = { &s, survey_record, NULL };
	jsonrec_read_buffer(head, len, &h);
	if (s.records == 0) {
		size_t first = jsonrec_first_record(head, len);
		const char *rest = first < len ? head + first : "";
		return strstr(rest, "\"output\":") && strstr(rest, "\"priority\":") &&
		       strstr(rest, "\"rule\":") ? 50 : 0;
	}
	return s.alerts * 2 > s.records ? 90 : 0;
}
