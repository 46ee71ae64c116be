/* filetimes.c — what the logs show of files' modification times, and the
 * conditions an operator puts on a transfer ("only files updated in 2025
 * or later", "only the *.log files").
 *
 * strace without -v prints no times in stat results, so the times come
 * from what the agent itself read: the output of `ls -l` (every
 * --time-style), `stat` and `find -printf` in its tool results, and from
 * the times a utime op set.  A listing is read only in a tool call whose
 * command runs ls, stat or find; its names are resolved against the
 * directory headers, the command's one directory operand, or else the
 * paths the ops show.  Times are read as UTC at minute precision: a
 * machine's zone moves a file across a day boundary at most, which only
 * matters to a condition that names a day. */
#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "alibi/timeparse.h"
#include "alibi/alloc.h"
#include "alibi/path.h"
#include "analyze_internal.h"

#define DAY_US ((int64_t)86400 * 1000000)
#define RESULT_LINE_MAX 1024

static const char *const month_names[] = {
	"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"
};

int64_t
civil_us(int y, int m, int d, int hh, int mm)
{
	return (time_days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60) * 1000000;
}

/* "jan".."december" -> 1..12, else 0. */
static int
month_of(const char *w, size_t n)
{
	if (n < 3)
		return 0;
	for (int i = 0; i < 12; i++)
		if (strncasecmp(w, month_names[i], 3) == 0)
			return n == 3 || (n == 4 && w[3] == '.') || isalpha((unsigned char)w[3]) ? i + 1 : 0;
	return 0;
}

static int
all_digits(const char *s, size_t n)
{
	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* "2025-03-04", "2025-03-04T10:12", "2025/03/04 10:12:00.000 +0100":
 * *us and the bytes read, or 0. */
static size_t
iso_date_at(const char *s, size_t n, int64_t *us)
{
	int y, m, d, hh = 0, mm = 0, used = 0;
	if (n < 10 || !isdigit((unsigned char)s[0]) || (s[4] != '-' && s[4] != '/'))
		return 0;
	char buf[40];
	size_t k = n < sizeof buf - 1 ? n : sizeof buf - 1;
	memcpy(buf, s, k);
	buf[k] = '\0';
	if (sscanf(buf, "%4d%*1[-/]%2d%*1[-/]%2d%n", &y, &m, &d, &used) != 3 || used != 10)
		return 0;
	if (y < 1970 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31)
		return 0;
	int more = 0;
	if ((buf[10] == ' ' || buf[10] == 'T') && sscanf(buf + 11, "%2d:%2d%n", &hh, &mm, &more) == 2 &&
	    more == 5)
		used = 16;
	else
		hh = mm = 0;
	*us = civil_us(y, m, d, hh, mm);
	return (size_t)used;
}

/* ---- listings in tool results ---- */

struct listing {
	struct actx *a;
	size_t tc;
	const char *dir;        /* the command's one directory operand, or NULL */
	struct strbuf header;   /* the last "DIR:" header */
	struct strbuf file;     /* stat: the last "File:" */
	int year_now, month_now, day_now;   /* for ls's "Mar  4 10:12" */
	struct ftimes *out;
};

static int
by_basename(const void *pa, const void *pb)
{
	const struct pent *x = *(const struct pent *const *)pa, *y = *(const struct pent *const *)pb;
	return strcmp(path_basename(x->s), path_basename(y->s));
}

/* The absolute paths the ops show, sorted by base name: a listing names
 * files by base name, and this finds them without a scan of the pool. */
static void
index_seen(struct actx *a, struct ftimes *t)
{
	for (size_t i = 0; i < a->pool.cap; i++) {
		struct pent *e = a->pool.slots[i];
		if (e && (e->flags & PF_SEEN) && e->s[0] == '/') {
			grow_array((void **)&t->seen, sizeof *t->seen, &t->seen_cap, t->seen_count + 1);
			t->seen[t->seen_count++] = e;
		}
	}
	if (t->seen_count > 1)
		qsort(t->seen, t->seen_count, sizeof *t->seen, by_basename);
}

/* The seen path that name (absolute, or relative to some directory)
 * stands for; NULL when none or several. */
static struct pent *
resolve_name(const struct ftimes *t, const char *dir, const char *name)
{
	struct strbuf full = STRBUF_INIT;
	if (name[0] == '/' || !dir || !*dir)
		sb_adds(&full, name);
	else
		path_join(&full, dir, name);
	const char *want = sb_str(&full), *base = path_basename(want);
	size_t wn = strlen(want), lo = 0, hi = t->seen_count;
	while (lo < hi) {                /* the first with this base name */
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(path_basename(t->seen[mid]->s), base) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	struct pent *found = NULL;
	int several = 0;
	for (size_t i = lo; i < t->seen_count && strcmp(path_basename(t->seen[i]->s), base) == 0; i++) {
		struct pent *e = t->seen[i];
		size_t en = strlen(e->s);
		if (strcmp(e->s, want) == 0) {
			found = e;
			several = 0;
			break;
		}
		if (want[0] != '/' && en > wn && e->s[en - wn - 1] == '/' &&
		    strcmp(e->s + en - wn, want) == 0) {
			several |= found != NULL;
			found = e;
		}
	}
	sb_free(&full);
	return several ? NULL : found;
}

static void
ftime_add(struct listing *l, struct pent *p, int64_t mtime)
{
	struct ftimes *t = l->out;
	if (!p || mtime == ALIBI_TS_NONE)
		return;
	grow_array((void **)&t->v, sizeof *t->v, &t->cap, t->count + 1);
	struct ftime *f = &t->v[t->count++];
	f->path = p;
	f->mtime = mtime;
	f->tc = l->tc;
}

/* The time of an ls -l line, from the word after the size: "Mar  4  2024",
 * "Mar  4 10:12", "2024-03-04 10:12", "2024-03-04 10:12:00.0 +0000",
 * "03-04 10:12".  *rest gets where the name starts. */
static int64_t
ls_time(const struct listing *l, const char *s, const char **rest)
{
	while (*s == ' ')
		s++;
	int64_t us;
	size_t n = iso_date_at(s, strlen(s), &us);
	if (n) {
		s += n;
		while (*s && *s != ' ')
			s++;     /* seconds and fraction */
		while (*s == ' ')
			s++;
		if ((*s == '+' || *s == '-') && isdigit((unsigned char)s[1])) {
			while (*s && *s != ' ')
				s++;
			while (*s == ' ')
				s++;
		}
		*rest = s;
		return us;
	}
	const char *w = s;
	while (isalpha((unsigned char)*s))
		s++;
	int mon = month_of(w, (size_t)(s - w));
	int day = 0, year = 0, hh = 0, mm = 0, used = 0;
	if (!mon || sscanf(s, " %d%n", &day, &used) != 1 || day < 1 || day > 31)
		return ALIBI_TS_NONE;
	s += used;
	while (*s == ' ')
		s++;
	if (sscanf(s, "%2d:%2d%n", &hh, &mm, &used) == 2 && s[2] == ':') {
		if (!l->year_now)
			return ALIBI_TS_NONE;
		/* within the last six months: this year, unless that is ahead */
		year = l->year_now;
		if (mon > l->month_now || (mon == l->month_now && day > l->day_now + 1))
			year--;
	} else if (sscanf(s, "%4d%n", &year, &used) != 1 || used != 4) {
		return ALIBI_TS_NONE;
	}
	s += used;
	while (*s == ' ')
		s++;
	*rest = s;
	return civil_us(year, mon, day, hh, mm);
}

/* "-rw-r--r-- 1 root root 6291592 Mar  4  2024 model.safetensors" */
static void
ls_line(struct listing *l, const char *s)
{
	if (!strchr("-dlbcps", s[0]) || strlen(s) < 10)
		return;
	for (int i = 1; i < 10; i++)
		if (!strchr("rwxsStT-", s[i]))
			return;
	/* skip mode, links, owner, group, size */
	const char *p = s;
	for (int field = 0; field < 5; field++) {
		while (*p && *p != ' ')
			p++;
		while (*p == ' ')
			p++;
	}
	const char *name = NULL;
	int64_t t = ls_time(l, p, &name);
	if (t == ALIBI_TS_NONE || !name || !*name)
		return;
	char buf[RESULT_LINE_MAX];
	snprintf(buf, sizeof buf, "%s", name);
	char *arrow = strstr(buf, " -> ");
	if (arrow)
		*arrow = '\0';
	const char *dir = l->header.len ? sb_str(&l->header) : l->dir;
	ftime_add(l, resolve_name(l->out, dir, buf), t);
}

/* stat's "  File: X" then "Modify: 2024-03-04 10:12:00.0 +0000"; find
 * -printf and stat -c lines holding a date and an absolute path. */
static void
other_line(struct listing *l, const char *s)
{
	while (*s == ' ')
		s++;
	if (strncmp(s, "File: ", 6) == 0) {
		sb_reset(&l->file);
		sb_adds(&l->file, s + 6);
		return;
	}
	int64_t t;
	if (strncmp(s, "Modify: ", 8) == 0 && l->file.len) {
		if (iso_date_at(s + 8, strlen(s + 8), &t))
			ftime_add(l, resolve_name(l->out, l->dir, sb_str(&l->file)), t);
		return;
	}
	const char *date = NULL, *path = NULL;
	for (const char *p = s; *p; p++) {
		if (!date && isdigit((unsigned char)*p) && (p == s || p[-1] == ' ') &&
		    iso_date_at(p, strlen(p), &t))
			date = p;
		if (!path && *p == '/' && (p == s || p[-1] == ' '))
			path = p;
	}
	if (!date || !path)
		return;
	char buf[RESULT_LINE_MAX];
	size_t n = strcspn(path, " \t");
	snprintf(buf, sizeof buf, "%.*s", (int)n, path);
	ftime_add(l, resolve_name(l->out, NULL, buf), t);
}

static void
listing_line(struct listing *l, const char *s)
{
	size_t n = strlen(s);
	if (n > 1 && s[n - 1] == ':' && !strchr(s, ' ')) {
		sb_reset(&l->header);
		sb_add(&l->header, s, n - 1);
		return;
	}
	if (!n)
		return;
	if (strchr("-dlbcps", s[0]) && n > 11 && strchr(".+@ ", s[10]))
		ls_line(l, s);
	else
		other_line(l, s);
}

/* The program words of a command: 1 when it runs ls, stat or find;
 * *dir gets ls's single directory-like operand (NULL when none or
 * several). */
static int
lists_files(const char *cmd, struct strbuf *dir)
{
	static const char *const progs[] = { "ls", "stat", "find", NULL };
	int found = 0, operands = 0, in_ls = 0;
	const char *p = cmd;
	while (*p) {
		while (*p && strchr(" \t\n;|&()", *p)) {
			if (*p != ' ' && *p != '\t')
				in_ls = 0;
			p++;
		}
		const char *w = p;
		while (*p && !strchr(" \t\n;|&()", *p))
			p++;
		size_t n = (size_t)(p - w);
		if (!n)
			continue;
		for (size_t k = 0; progs[k]; k++) {
			if (strlen(progs[k]) == n && memcmp(w, progs[k], n) == 0) {
				found = 1;
				in_ls = k == 0;
			}
		}
		if (in_ls && w[0] != '-' && !(n == 2 && memcmp(w, "ls", 2) == 0)) {
			operands++;
			sb_reset(dir);
			sb_add(dir, w[0] == '\'' || w[0] == '"' ? w + 1 : w,
			       w[0] == '\'' || w[0] == '"' ? n - 2 : n);
		}
	}
	if (operands != 1)
		sb_reset(dir);
	return found;
}

static void
listing_read(struct actx *a, size_t tc, struct ftimes *out)
{
	const struct atc *t = &a->tcs[tc];
	struct strbuf dir = STRBUF_INIT;
	if (!t->result || !t->command || !lists_files(t->command, &dir)) {
		sb_free(&dir);
		return;
	}
	struct listing l = { .a = a, .tc = tc, .dir = dir.len ? sb_str(&dir) : NULL, .out = out };
	sb_init(&l.header);
	sb_init(&l.file);
	if (t->ts != ALIBI_TS_NONE) {
		time_t secs = (time_t)(t->ts / 1000000);
		struct tm tm;
		if (gmtime_r(&secs, &tm)) {
			l.year_now = tm.tm_year + 1900;
			l.month_now = tm.tm_mon + 1;
			l.day_now = tm.tm_mday;
		}
	}
	char line[RESULT_LINE_MAX];
	for (const char *s = t->result; *s;) {
		size_t n = strcspn(s, "\n");
		snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line - 1 ? n : sizeof line - 1), s);
		size_t k = strlen(line);
		while (k && (line[k - 1] == '\r' || line[k - 1] == ' '))
			line[--k] = '\0';
		listing_line(&l, line);
		s += n + (s[n] == '\n');
	}
	sb_free(&l.header);
	sb_free(&l.file);
	sb_free(&dir);
}

/* ---- times set by utime ---- */

/* The modification time an explicit utime set: strace's second
 * "tv_sec=N", or a derived `touch -d DATE` / `touch -t [[CC]YY]MMDDhhmm`. */
int64_t
utime_set_time(const struct aop *op)
{
	const char *d = op->detail ? op->detail->s : NULL;
	if (!d)
		return ALIBI_TS_NONE;
	const char *tv = strstr(d, "tv_sec=");
	if (tv) {
		const char *second = strstr(tv + 7, "tv_sec=");
		long long secs;
		if (sscanf(second ? second + 7 : tv + 7, "%lld", &secs) == 1)
			return (int64_t)secs * 1000000;
		return ALIBI_TS_NONE;
	}
	int64_t us;
	if (iso_date_at(d, strlen(d), &us))
		return us;
	size_t n = strcspn(d, ".");
	if (all_digits(d, n) && (n == 8 || n == 10 || n == 12) && !d[n + (d[n] == '.' ? 3 : 0)]) {
		int y, mo, dd, hh, mm;
		const char *p = d;
		if (n == 12) {
			y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
			p += 4;
		} else if (n == 10) {
			y = 2000 + (p[0] - '0') * 10 + (p[1] - '0');
			p += 2;
		} else {
			return ALIBI_TS_NONE;      /* the year is "this year": unknown here */
		}
		if (sscanf(p, "%2d%2d%2d%2d", &mo, &dd, &hh, &mm) != 4 || mo < 1 || mo > 12)
			return ALIBI_TS_NONE;
		return civil_us(y, mo, dd, hh, mm);
	}
	return ALIBI_TS_NONE;
}

static int
by_path_then_order(const void *pa, const void *pb)
{
	const struct ftime *x = pa, *y = pb;
	if (x->path != y->path)
		return (uintptr_t)x->path < (uintptr_t)y->path ? -1 : 1;
	return x->tc < y->tc ? -1 : x->tc > y->tc;
}

void
filetimes_collect(struct actx *a, struct ftimes *t)
{
	memset(t, 0, sizeof *t);
	index_seen(a, t);
	for (size_t i = 0; i < a->tc_count; i++)
		listing_read(a, i, t);
	/* by file, in the order the listings were made */
	if (t->count > 1)
		qsort(t->v, t->count, sizeof *t->v, by_path_then_order);
	/* the explicit utimes, in op order: few, so a list is enough */
	for (size_t i = 0; i < a->op_count; i++) {
		const struct aop *op = &a->ops[i];
		if (op->kind == ALIBI_OP_utime && op->path && use_op(a, op) && utime_is_explicit(a, op)) {
			grow_array((void **)&t->utimes, sizeof *t->utimes, &t->utime_cap, t->utime_count + 1);
			t->utimes[t->utime_count++] = i;
		}
	}
}

void
filetimes_free(struct ftimes *t)
{
	free(t->v);
	free(t->seen);
	free(t->utimes);
	memset(t, 0, sizeof *t);
}

size_t
filetime_retimed(const struct actx *a, const struct ftimes *t, const struct pent *p,
                 size_t before, int first)
{
	size_t found = SIZE_MAX;
	for (size_t i = 0; i < t->utime_count && t->utimes[i] < before; i++) {
		if (a->ops[t->utimes[i]].path != p)
			continue;
		found = t->utimes[i];
		if (first)
			break;
	}
	return found;
}

int64_t
filetime_original(const struct actx *a, const struct ftimes *t, const struct pent *p,
                  size_t before, size_t *from_tc)
{
	size_t u = filetime_retimed(a, t, p, before, 1);
	int64_t limit = u != SIZE_MAX ? a->ops[u].ts
	              : before < a->op_count ? a->ops[before].ts : ALIBI_TS_NONE;
	size_t lo = 0, hi = t->count;
	while (lo < hi) {                /* the first listing of p */
		size_t mid = lo + (hi - lo) / 2;
		if ((uintptr_t)t->v[mid].path < (uintptr_t)p)
			lo = mid + 1;
		else
			hi = mid;
	}
	int64_t best = ALIBI_TS_NONE;
	for (size_t i = lo; i < t->count && t->v[i].path == p; i++) {
		int64_t shown = a->tcs[t->v[i].tc].ts;
		if (limit != ALIBI_TS_NONE && shown != ALIBI_TS_NONE && shown > limit)
			break;
		best = t->v[i].mtime;
		if (from_tc)
			*from_tc = t->v[i].tc;
	}
	return best;
}
