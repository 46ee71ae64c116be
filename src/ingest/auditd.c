/* auditd.c — Linux audit logs: detection, the line loop, one record's
 * fields, and grouping records into events.
 *
 * A record is "type=T msg=audit(SECS.MS:SERIAL): key=value ...", optionally
 * after "node=HOST ", and in ENRICHED logs followed by 0x1d and the
 * kernel's numbers spelt out ("SYSCALL=openat UID=root").  `ausearch -i`
 * writes "msg=audit(MM/DD/YYYY HH:MM:SS.mmm:SERIAL) : " with names in
 * place of numbers and nothing hex-encoded, and separates events with
 * "----".
 *
 * Records of one event share the stamp in msg=audit(...), and other
 * events' records may come between them.  An event is complete at its
 * EOE record, at "----", when AUDITD_OPEN_EVENTS newer events have begun
 * since, or at the end of the file.
 *
 * Lines that are no record but plainly belong around records are skipped
 * without a word: blank lines, "#" comments, ausearch's "----" and
 * "time->..." lines, and YAML structure ("---", "key:", "key: |"), so that
 * records quoted in a YAML file (indented) are read too.  Anything else is
 * a bad record. */
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/linereader.h"
#include "alibi/timeparse.h"
#include "auditd_internal.h"

#define ENRICH_SEP '\x1d'

static int
is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static int
starts_with(const char *s, size_t n, const char *lit)
{
	size_t k = strlen(lit);
	return n >= k && memcmp(s, lit, k) == 0;
}

static size_t
skip_blank(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

/* ---- lines around records ---- */

/* A YAML key line: "tests:", "  unlink syscall: |", "- name: >-". */
static int
is_yaml_structure(const char *s, size_t n)
{
	if ((n == 3 && (memcmp(s, "---", 3) == 0 || memcmp(s, "...", 3) == 0)))
		return 1;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '|' || s[n - 1] == '>' ||
	             s[n - 1] == '-' || s[n - 1] == '+'))
		n--;
	if (!n || s[n - 1] != ':' || memchr(s, '=', n))
		return 0;
	return 1;
}

static int
is_filler(const char *s, size_t n)
{
	size_t i = skip_blank(s, n, 0);
	s += i;
	n -= i;
	return n == 0 || s[0] == '#' || starts_with(s, n, "----") || starts_with(s, n, "time->") ||
	       is_yaml_structure(s, n);
}

/* Where "type=" begins: at the start, after "node=HOST ", or after a
 * syslog prefix when "msg=audit(" follows.  (size_t)-1 when nowhere. */
static size_t
record_start(const char *s, size_t n)
{
	size_t i = skip_blank(s, n, 0);
	if (starts_with(s + i, n - i, "node=")) {
		while (i < n && s[i] != ' ')
			i++;
		i = skip_blank(s, n, i);
	}
	if (starts_with(s + i, n - i, "type="))
		return i;
	for (size_t j = i; j + 6 < n; j++)
		if (s[j] == ' ' && memcmp(s + j + 1, "type=", 5) == 0)
			return j + 1;
	return (size_t)-1;
}

/* ---- detection ---- */

static int
looks_like_record(const char *s, size_t n)
{
	size_t i = record_start(s, n);
	if (i == (size_t)-1)
		return 0;
	for (size_t j = i; j + 11 < n; j++)
		if (s[j] == 'm' && memcmp(s + j, "msg=audit(", 10) == 0)
			return is_digit(s[j + 10]);
	return 0;
}

int
auditd_detect(const char *head, size_t len)
{
	return ingest_detect_lines(head, len, is_filler, looks_like_record);
}

/* ---- fields ---- */

const struct audit_field *
audit_field(const struct audit_rec *r, const char *key, int tail)
{
	const struct audit_field *f = tail ? r->ef : r->f;
	size_t n = tail ? r->nef : r->nf;
	for (size_t i = 0; i < n; i++)
		if (strcmp(f[i].key, key) == 0)
			return &f[i];
	return NULL;
}

static int
hex_value(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

static int
is_hex_text(const char *s)
{
	size_t n = strlen(s);
	if (!n || n % 2)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (hex_value(s[i]) < 0)
			return 0;
	return 1;
}

const char *
audit_string(const struct audit_event *ev, const struct audit_rec *r, const char *key,
             int nul_space, struct strbuf *out)
{
	const struct audit_field *f = audit_field(r, key, 0);
	if (!f || (!f->quoted && (strcmp(f->val, "(null)") == 0 || strcmp(f->val, "(none)") == 0)))
		return NULL;
	sb_reset(out);
	sb_add(out, "", 0);
	if (f->quoted || ev->interpreted || !is_hex_text(f->val)) {
		sb_adds(out, f->val);
		return out->buf;
	}
	for (const char *p = f->val; p[0] && p[1]; p += 2) {
		char ch = (char)(hex_value(p[0]) * 16 + hex_value(p[1]));
		if (ch == '\0' && !nul_space)
			break;
		sb_addc(out, ch ? ch : ' ');
	}
	while (nul_space && out->len && out->buf[out->len - 1] == ' ')
		sb_truncate(out, out->len - 1);
	return out->buf;
}

int
audit_number(const struct audit_event *ev, const struct audit_rec *r, const char *key,
             int hex, int64_t *v)
{
	const struct audit_field *f = audit_field(r, key, 0);
	if (!f || !f->val[0])
		return -1;
	const char *s = f->val;
	int neg = 0;
	if (ev->interpreted && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		hex = 1;
	} else if (ev->interpreted) {
		hex = 0;
	}
	if (!hex && s[0] == '-') {
		neg = 1;
		s++;
	}
	uint64_t u = 0;
	size_t i = 0;
	for (; s[i]; i++) {
		int d = hex ? hex_value(s[i]) : (is_digit(s[i]) ? s[i] - '0' : -1);
		if (d < 0 || i >= 16 || (!hex && u > (UINT64_MAX - 9) / 10))
			break;
		u = u * (hex ? 16 : 10) + (uint64_t)d;
	}
	if (!i || (s[i] && s[i] != '('))  /* -i: "-2(No such file...)" */
		return -1;
	/* a0..a3 are registers: 0xffffffffffffff9c is -100 (AT_FDCWD). */
	*v = neg ? -(int64_t)u : (int64_t)u;
	return 0;
}

const struct audit_rec *
audit_find_rec(const struct audit_event *ev, const char *type)
{
	for (size_t i = 0; i < ev->n; i++)
		if (strcmp(ev->recs[i].type, type) == 0)
			return &ev->recs[i];
	return NULL;
}

void
auditd_bad(struct auditd_parser *ap, int64_t line, const char *problem)
{
	if (ap->sink->bad_record)
		ap->sink->bad_record(ap->sink->ctx, line, problem);
}

static void
add_field(struct audit_field **f, size_t *n, size_t *cap, const char *k, size_t kn,
          const char *v, size_t vn, int quoted)
{
	if (*n >= AUDITD_MAX_FIELDS)
		return;
	grow_array((void **)f, sizeof **f, cap, *n + 1);
	(*f)[*n].key = xstrndup(k, kn);
	(*f)[*n].val = xstrndup(v, vn);
	(*f)[*n].quoted = quoted;
	(*n)++;
}

/* "key=value key="quoted" key='single' key={ braces } words": fills f.
 * A word without "=" is passed over; ausearch -i leaves spaces in
 * proctitle, which the caller reads whole.  Returns NULL or a problem. */
static const char *
lex_fields(const char *s, size_t n, struct audit_field **f, size_t *nf)
{
	size_t i = 0, cap = 0;
	while ((i = skip_blank(s, n, i)) < n) {
		size_t k = i;
		while (i < n && s[i] != '=' && s[i] != ' ')
			i++;
		if (i >= n || s[i] != '=' || i == k) {
			while (i < n && s[i] != ' ')
				i++;
			continue;
		}
		size_t kn = i - k, v = ++i, vn;
		int quoted = 0;
		if (i < n && (s[i] == '"' || s[i] == '\'' || s[i] == '{')) {
			char close = s[i] == '{' ? '}' : s[i];
			const char *e = memchr(s + i + 1, close, n - i - 1);
			if (!e)
				return "unterminated quote";
			quoted = s[i] == '"';
			v = i + (s[i] != '{');
			vn = (size_t)(e - (s + v)) + (s[i] == '{');
			i = (size_t)(e - s) + 1;
		} else {
			while (i < n && s[i] != ' ')
				i++;
			vn = i - v;
		}
		add_field(f, nf, &cap, s + k, kn, s + v, vn, quoted);
	}
	return NULL;
}

/* ---- stamps ---- */


/* "11/29/2026 05:01:50.696" (ausearch -i, local time of the machine that
 * ran it; taken as UTC, since the log does not say). */
static int64_t
interpreted_time(const char *s, size_t n)
{
	int mo = 0, d = 0, y = 0;
	size_t i = 0;
	for (; i < n && is_digit(s[i]); i++)
		mo = mo * 10 + (s[i] - '0');
	if (i >= n || s[i++] != '/')
		return ALIBI_TS_NONE;
	for (; i < n && is_digit(s[i]); i++)
		d = d * 10 + (s[i] - '0');
	if (i >= n || s[i++] != '/')
		return ALIBI_TS_NONE;
	size_t ys = i;
	for (; i < n && is_digit(s[i]) && i - ys < 5; i++)
		y = y * 10 + (s[i] - '0');
	if (i >= n || s[i++] != ' ' || mo < 1 || mo > 12 || d < 1 || d > 31)
		return ALIBI_TS_NONE;
	int64_t tod = time_parse_time_of_day(s + i, n - i);
	if (tod == ALIBI_TS_NONE)
		return ALIBI_TS_NONE;
	return time_days_from_civil(y, mo, d) * INT64_C(86400000000) + tod;
}

/* "SECS.MS:SERIAL" or "MM/DD/YYYY HH:MM:SS.mmm:SERIAL". */
static int
parse_stamp(const char *s, size_t n, int64_t *ts, int *interpreted)
{
	const char *colon = NULL;
	for (size_t i = n; i > 0; i--)
		if (s[i - 1] == ':') {
			colon = s + i - 1;
			break;
		}
	if (!colon || colon + 1 == s + n)
		return -1;
	for (const char *p = colon + 1; p < s + n; p++)
		if (!is_digit(*p))
			return -1;
	size_t tn = (size_t)(colon - s);
	*interpreted = memchr(s, '/', tn) != NULL;
	*ts = *interpreted ? interpreted_time(s, tn) : time_parse_epoch(s, tn);
	return *ts == ALIBI_TS_NONE ? -1 : 0;
}

/* ---- events ---- */

static void
rec_free(struct audit_rec *r)
{
	for (size_t i = 0; i < r->nf; i++) {
		free(r->f[i].key);
		free(r->f[i].val);
	}
	for (size_t i = 0; i < r->nef; i++) {
		free(r->ef[i].key);
		free(r->ef[i].val);
	}
	free(r->f);
	free(r->ef);
	free(r->type);
	free(r->raw);
}

static void
event_free(struct audit_event *ev)
{
	for (size_t i = 0; i < ev->n; i++)
		rec_free(&ev->recs[i]);
	free(ev->recs);
	free(ev->stamp);
	free(ev);
}

static void
flush_at(struct auditd_parser *ap, size_t k)
{
	struct audit_event *ev = ap->open[k];
	memmove(ap->open + k, ap->open + k + 1, (ap->nopen - k - 1) * sizeof ap->open[0]);
	ap->nopen--;
	auditd_event_ops(ap, ev);
	event_free(ev);
}

static void
flush_all(struct auditd_parser *ap)
{
	while (ap->nopen)
		flush_at(ap, 0);
}

static struct audit_event *
event_for(struct auditd_parser *ap, const char *stamp, size_t n, int64_t ts, int interp,
          int64_t line)
{
	for (size_t i = 0; i < ap->nopen; i++)
		if (strlen(ap->open[i]->stamp) == n && memcmp(ap->open[i]->stamp, stamp, n) == 0)
			return ap->open[i];
	if (ap->nopen == AUDITD_OPEN_EVENTS)
		flush_at(ap, 0);
	struct audit_event *ev = xcalloc(1, sizeof *ev);
	ev->stamp = xstrndup(stamp, n);
	ev->ts = ts;
	ev->line = line;
	ev->interpreted = interp;
	ap->open[ap->nopen++] = ev;
	return ev;
}

/* ---- one line ---- */

struct rec_head {
	const char *type, *stamp, *body;
	size_t type_n, stamp_n, body_n;
};

/* "type=T msg=audit(STAMP): body" or "... ) : body". */
static const char *
split_record(const char *s, size_t n, struct rec_head *h)
{
	size_t i = record_start(s, n);
	if (i == (size_t)-1)
		return "not an audit record";
	i += 5;
	h->type = s + i;
	while (i < n && s[i] != ' ')
		i++;
	h->type_n = (size_t)(s + i - h->type);
	i = skip_blank(s, n, i);
	if (!h->type_n || !starts_with(s + i, n - i, "msg=audit("))
		return "no msg=audit(...)";
	i += 10;
	h->stamp = s + i;
	const char *close = memchr(s + i, ')', n - i);
	if (!close)
		return "unterminated msg=audit(...)";
	h->stamp_n = (size_t)(close - h->stamp);
	i = skip_blank(s, n, (size_t)(close - s) + 1);
	if (i >= n || s[i] != ':') {
		if (i < n)
			return "no ':' after msg=audit(...)";
	} else {
		i++;
	}
	h->body = s + i;
	h->body_n = n - i;
	return NULL;
}

static const char *
read_record(struct audit_rec *r, const struct rec_head *h, int interpreted)
{
	const char *tail = memchr(h->body, ENRICH_SEP, h->body_n);
	size_t fields_n = tail ? (size_t)(tail - h->body) : h->body_n;
	const char *problem = lex_fields(h->body, fields_n, &r->f, &r->nf);
	if (!problem && tail)
		problem = lex_fields(tail + 1, h->body_n - fields_n - 1, &r->ef, &r->nef);
	if (problem)
		return problem;
	if (interpreted && strcmp(r->type, "PROCTITLE") == 0 && r->nf) {
		/* ausearch -i writes the command line unquoted, spaces and all. */
		const char *p = strstr(h->body, "proctitle=");
		if (p) {
			size_t vn = fields_n - (size_t)(p + 10 - h->body);
			while (vn && p[10 + vn - 1] == ' ')
				vn--;
			free(r->f[0].val);
			free(r->f[0].key);
			r->f[0].key = xstrdup("proctitle");
			r->f[0].val = xstrndup(p + 10, vn);
			r->f[0].quoted = 1;
		}
	}
	if (strcmp(r->type, "SYSCALL") == 0 &&
	    (!audit_field(r, "syscall", 0) || (!audit_field(r, "exit", 0) &&
	                                      !audit_field(r, "success", 0))))
		return "SYSCALL record without syscall= and exit=";
	return NULL;
}

/* A line cut short mostly ends inside a value or a key: its last word
 * has no '=' or nothing after it.  (EOE's body is empty.) */
static int
ends_in_field(const char *s, size_t n)
{
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	size_t i = n;
	while (i > 0 && s[i - 1] != ' ')
		i--;
	if (i == n)
		return 1;
	const char *eq = memchr(s + i, '=', n - i);
	return eq && eq + 1 < s + n;
}

static void
send_clock(struct auditd_parser *ap, enum alibi_clock clock, int *sent)
{
	if (*sent)
		return;
	*sent = 1;
	if (ap->sink->clock)
		ap->sink->clock(ap->sink->ctx, clock);
}

static void
process_line(struct auditd_parser *ap, const char *line, size_t len, int64_t lineno, int cut,
             int *clock_sent)
{
	struct rec_head h;
	int64_t ts;
	int interp;
	const char *problem;
	if (is_filler(line, len)) {
		size_t i = skip_blank(line, len, 0);
		if (starts_with(line + i, len - i, "----"))
			flush_all(ap);
		return;
	}
	if (memchr(line, '\0', len)) {
		auditd_bad(ap, lineno, "NUL byte in line");
		return;
	}
	if ((problem = split_record(line, len, &h))) {
		auditd_bad(ap, lineno, cut ? "truncated last record" : problem);
		return;
	}
	if (parse_stamp(h.stamp, h.stamp_n, &ts, &interp)) {
		auditd_bad(ap, lineno, cut ? "truncated last record" : "bad time or serial in msg=audit(...)");
		return;
	}
	if (cut && !(h.type_n == 9 && memcmp(h.type, "PROCTITLE", 9) == 0) &&
	    !ends_in_field(h.body, h.body_n)) {
		auditd_bad(ap, lineno, "truncated last record");
		return;
	}
	struct audit_rec r = { 0 };
	r.type = xstrndup(h.type, h.type_n);
	r.line = lineno;
	if ((problem = read_record(&r, &h, interp))) {
		auditd_bad(ap, lineno, cut ? "truncated last record" : problem);
		rec_free(&r);
		return;
	}
	struct audit_event *ev = event_for(ap, h.stamp, h.stamp_n, ts, interp, lineno);
	if (ev->n >= AUDITD_MAX_RECORDS) {
		auditd_bad(ap, lineno, "too many records in one event");
		rec_free(&r);
		return;
	}
	size_t keep = len - (size_t)(h.type - 5 - line);
	r.raw = xstrndup(h.type - 5, keep < AUDITD_RAW_MAX ? keep : AUDITD_RAW_MAX);
	grow_array((void **)&ev->recs, sizeof ev->recs[0], &ev->cap, ev->n + 1);
	ev->recs[ev->n++] = r;
	send_clock(ap, ALIBI_CLOCK_EPOCH, clock_sent);
	if (ap->sink->record)
		ap->sink->record(ap->sink->ctx);
	if (strcmp(r.type, "EOE") == 0) {
		for (size_t i = 0; i < ap->nopen; i++)
			if (ap->open[i] == ev) {
				flush_at(ap, i);
				break;
			}
	}
}

int
auditd_parse(const struct ingest_input *in, struct ingest_sink *sink, struct alibi_error *err)
{
	struct auditd_parser ap;
	struct linereader lr;
	const char *line;
	int clock_sent = 0;
	memset(&ap, 0, sizeof ap);
	ap.sink = sink;
	linereader_init(&lr, in->fp, 0);
	while ((line = linereader_next(&lr))) {
		if (lr.truncated) {
			auditd_bad(&ap, lr.lineno, "line too long");
			continue;
		}
		process_line(&ap, line, lr.len, lr.lineno, lr.missing_newline, &clock_sent);
	}
	flush_all(&ap);
	int failed = ferror(in->fp);
	send_clock(&ap, ALIBI_CLOCK_NONE, &clock_sent);
	sb_free(&ap.s1);
	sb_free(&ap.s2);
	sb_free(&ap.s3);
	sb_free(&ap.s4);
	sb_free(&ap.raw);
	auditd_dirs_free(&ap);
	linereader_free(&lr);
	if (failed)
		return alibi_error_set(err, ALIBI_EIO, "%s: read error", in->path ? in->path : "audit log");
	return 0;
}
