/* conditions.c — the condition an operator puts on which files an action
 * covers: "only transfer files updated in 2025 or later", "copy just the
 * *.log files", "don't upload anything older than March 2025", "move
 * only files changed in the last 30 days".
 *
 * A time condition needs a word that says the date is a file's time
 * (updated, modified, changed, newer, older, dated ...), so "the 2025
 * budget files" is no condition.  A name condition needs a word that
 * restricts (only, just, solely, exclusively, nothing but): "copy the
 * *.log files" names an object, "copy only the *.log files" also says
 * what not to copy. */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alibi/path.h"
#include "analyze_internal.h"

#define TOKENS_MAX 96
#define DAY_US ((int64_t)86400 * 1000000)

struct tok {
	char w[40];           /* lower case, trailing punctuation dropped */
	size_t start, end;    /* bytes in the text */
};

struct toks {
	struct tok v[TOKENS_MAX];
	size_t n;
};

static void
tokenize(const char *s, size_t len, struct toks *t)
{
	t->n = 0;
	size_t i = 0;
	while (i < len && t->n < TOKENS_MAX) {
		while (i < len && !(isalnum((unsigned char)s[i]) || strchr("*?./", s[i])))
			i++;
		size_t a = i;
		while (i < len && (isalnum((unsigned char)s[i]) || strchr("*?._/-:", s[i])))
			i++;
		size_t b = i;
		while (b > a && strchr(".,:-", s[b - 1]))
			b--;
		if (b == a)
			continue;
		struct tok *k = &t->v[t->n++];
		size_t n = b - a < sizeof k->w - 1 ? b - a : sizeof k->w - 1;
		for (size_t j = 0; j < n; j++)
			k->w[j] = (char)tolower((unsigned char)s[a + j]);
		k->w[n] = '\0';
		k->start = a;
		k->end = b;
	}
}

static int
is(const struct toks *t, size_t i, const char *word)
{
	return i < t->n && strcmp(t->v[i].w, word) == 0;
}

static int
in_words(const char *w, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(w, list[i]) == 0)
			return 1;
	return 0;
}

static const char *const time_words[] = {
	"updated", "modified", "changed", "edited", "touched", "written", "dated",
	"newer", "older", "recent", "mtime", "timestamp", "timestamps", "age", "aged",
	"last-modified", "modification", "created", "younger", "saved", NULL
};

static int
month_word(const char *w)
{
	static const char *const m[] = {
		"january", "february", "march", "april", "may", "june", "july", "august",
		"september", "october", "november", "december"
	};
	size_t n = strlen(w);
	if (n && w[n - 1] == '.')
		n--;
	for (int i = 0; i < 12; i++)
		if ((n == 3 || n == strlen(m[i]) || (i == 8 && n == 4)) && strncmp(w, m[i], n) == 0)
			return i + 1;
	return 0;
}

static int
year_word(const char *w)
{
	if (strlen(w) != 4 || !isdigit((unsigned char)w[0]))
		return 0;
	int y = atoi(w);
	return y >= 1970 && y <= 2200 ? y : 0;
}

/* "1", "1st", "22nd": a day of the month, else 0. */
static int
day_word(const char *w)
{
	char *end;
	long d = strtol(w, &end, 10);
	if (end == w || d < 1 || d > 31)
		return 0;
	if (*end && strcmp(end, "st") && strcmp(end, "nd") && strcmp(end, "rd") && strcmp(end, "th"))
		return 0;
	return (int)d;
}

static int64_t
month_end(int y, int m)
{
	return m == 12 ? civil_us(y + 1, 1, 1, 0, 0) : civil_us(y, m + 1, 1, 0, 0);
}

/* A date at token i: [*from, *to) and how many tokens it took, or 0. */
static size_t
date_at(const struct toks *t, size_t i, int64_t *from, int64_t *to)
{
	const char *w = t->v[i].w;
	int y, m, d;
	if (sscanf(w, "%4d-%2d-%2d", &y, &m, &d) == 3 || sscanf(w, "%4d/%2d/%2d", &y, &m, &d) == 3) {
		if (y < 1970 || m < 1 || m > 12 || d < 1 || d > 31)
			return 0;
		*from = civil_us(y, m, d, 0, 0);
		*to = *from + DAY_US;
		return 1;
	}
	if (strlen(w) == 7 && sscanf(w, "%4d-%2d", &y, &m) == 2 && m >= 1 && m <= 12) {
		*from = civil_us(y, m, 1, 0, 0);
		*to = month_end(y, m);
		return 1;
	}
	if ((y = year_word(w)) != 0) {
		*from = civil_us(y, 1, 1, 0, 0);
		*to = civil_us(y + 1, 1, 1, 0, 0);
		return 1;
	}
	/* "march 1, 2025", "march 2025", "1 march 2025", "1st of march 2025" */
	size_t k = i;
	d = 0;
	if ((d = day_word(w)) != 0) {
		k++;
		if (is(t, k, "of"))
			k++;
	}
	if (k >= t->n || !(m = month_word(t->v[k].w)))
		return 0;
	k++;
	if (!d && k < t->n && (d = day_word(t->v[k].w)) != 0)
		k++;
	if (k >= t->n || !(y = year_word(t->v[k].w)))
		return 0;
	k++;
	*from = d ? civil_us(y, m, d, 0, 0) : civil_us(y, m, 1, 0, 0);
	*to = d ? *from + DAY_US : month_end(y, m);
	return k - i;
}

/* "the last 30 days", "7 weeks": the span in µs at token i, or 0. */
static int64_t
span_at(const struct toks *t, size_t i, size_t *used)
{
	static const struct { const char *unit; int64_t us; } units[] = {
		{ "day", DAY_US }, { "days", DAY_US }, { "week", 7 * DAY_US }, { "weeks", 7 * DAY_US },
		{ "month", 30 * DAY_US }, { "months", 30 * DAY_US }, { "year", 365 * DAY_US },
		{ "years", 365 * DAY_US },
	};
	char *end;
	long n = strtol(t->v[i].w, &end, 10);
	if (*end || n <= 0 || n > 100000 || i + 1 >= t->n)
		return 0;
	for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
		if (strcmp(t->v[i + 1].w, units[u].unit) == 0) {
			*used = 2;
			return n * units[u].us;
		}
	}
	return 0;
}

static void
bound_lo(struct fcond *c, int64_t v)
{
	if (v > c->lo)
		c->lo = v;
	c->has_time = 1;
}

static void
bound_hi(struct fcond *c, int64_t v)
{
	if (v < c->hi)
		c->hi = v;
	c->has_time = 1;
}

/* The relative forms: "in the last 30 days", "older than 90 days",
 * "less than 2 weeks old"; 1 when token i starts one. */
static int
relative_at(const struct toks *t, size_t i, int64_t now, struct fcond *c, size_t *last)
{
	size_t used = 0;
	int64_t span = span_at(t, i, &used);
	if (!span || now == ALIBI_TS_NONE)
		return 0;
	const char *before = i >= 1 ? t->v[i - 1].w : "";
	const char *before2 = i >= 2 ? t->v[i - 2].w : "";
	const char *after = i + used < t->n ? t->v[i + used].w : "";
	int older = (strcmp(before, "than") == 0 && (strcmp(before2, "older") == 0 ||
	                                             strcmp(before2, "more") == 0)) ||
	            (strcmp(after, "old") == 0 && strcmp(before2, "more") == 0) ||
	            strcmp(after, "ago") == 0;
	int newer = strcmp(before, "last") == 0 || strcmp(before, "past") == 0 ||
	            strcmp(before, "within") == 0 ||
	            (strcmp(before, "than") == 0 && (strcmp(before2, "newer") == 0 ||
	                                             strcmp(before2, "younger") == 0 ||
	                                             strcmp(before2, "less") == 0));
	if (strcmp(after, "ago") == 0 && (strcmp(before, "since") == 0 || strcmp(before, "after") == 0))
		older = 0, newer = 1;
	if (newer && !older)
		bound_lo(c, now - span);
	else if (older)
		bound_hi(c, now - span);
	else
		return 0;
	*last = i + used - 1;
	return 1;
}

/* Applies the words around a date [from, to) at tokens i..j-1. */
static void
date_bounds(const struct toks *t, size_t i, size_t j, int64_t from, int64_t to,
            struct fcond *c)
{
	const char *b1 = i >= 1 ? t->v[i - 1].w : "";
	const char *b2 = i >= 2 ? t->v[i - 2].w : "";
	const char *b3 = i >= 3 ? t->v[i - 3].w : "";
	int later = (is(t, j, "or") || is(t, j, "and")) &&
	            (is(t, j + 1, "later") || is(t, j + 1, "newer") || is(t, j + 1, "after") ||
	             is(t, j + 1, "since") || is(t, j + 1, "beyond"));
	int earlier = (is(t, j, "or") || is(t, j, "and")) &&
	              (is(t, j + 1, "earlier") || is(t, j + 1, "older") || is(t, j + 1, "before"));
	later |= is(t, j, "onward") || is(t, j, "onwards") || is(t, j, "on") || is(t, j, "forward");
	if (strcmp(b1, "than") == 0) {
		int negated = strcmp(b3, "not") == 0 || strcmp(b3, "no") == 0;
		if (strcmp(b2, "older") == 0 || strcmp(b2, "earlier") == 0)
			negated ? bound_lo(c, from) : bound_hi(c, from);
		else if (strcmp(b2, "newer") == 0 || strcmp(b2, "later") == 0 || strcmp(b2, "younger") == 0)
			negated ? bound_hi(c, to) : bound_lo(c, to);
		return;
	}
	if (strcmp(b1, "after") == 0 && strcmp(b2, "or") == 0)
		bound_lo(c, from);                     /* "on or after" */
	else if (strcmp(b1, "before") == 0 && strcmp(b2, "or") == 0)
		bound_hi(c, to);
	else if (strcmp(b1, "since") == 0 || (strcmp(b1, "from") == 0 && !earlier))
		bound_lo(c, from);
	else if (strcmp(b1, "after") == 0)
		bound_lo(c, to);
	else if (strcmp(b1, "before") == 0 || (strcmp(b1, "to") == 0 && strcmp(b2, "prior") == 0))
		bound_hi(c, from);
	else if (strcmp(b1, "until") == 0 || strcmp(b1, "till") == 0 || strcmp(b1, "through") == 0 ||
	         (strcmp(b1, "to") == 0 && strcmp(b2, "up") == 0))
		bound_hi(c, to);
	else if (later)
		bound_lo(c, from);
	else if (earlier)
		bound_hi(c, to);
	else {
		bound_lo(c, from);                     /* "updated in 2025" */
		bound_hi(c, to);
	}
}

static const char *const name_exts[] = {
	"log", "csv", "json", "jsonl", "yaml", "yml", "txt", "md", "parquet", "npy", "npz",
	"pt", "bin", "gguf", "safetensors", "ckpt", "onnx", "tar", "gz", "tgz", "zip", "sql",
	"db", "sqlite", "pdf", "png", "jpg", "py", "sh", "conf", "cfg", "ini", "toml", "xml",
	"html", "h5", "pkl", "arrow", "out", "err", NULL
};

/* A glob ("*.log", "run-*.csv", or a path glob's last part), ".log files"
 * or "log files": the name condition at token i. */
static int
name_at(const struct toks *t, size_t i, struct fcond *c)
{
	const char *w = t->v[i].w;
	if (strpbrk(w, "*?") && strchr(w, '.')) {
		snprintf(c->glob, sizeof c->glob, "%s", path_basename(w));
		return strpbrk(c->glob, "*?") != NULL;
	}
	if (!is(t, i + 1, "files") && !is(t, i + 1, "file"))
		return 0;
	char ext[24];
	snprintf(ext, sizeof ext, "%s", w[0] == '.' ? w + 1 : w);
	size_t n = strlen(ext);
	if (n > 3 && ext[n - 1] == 's' && !in_words(ext, name_exts))
		ext[n - 1] = '\0';                     /* "logs files" */
	if (!in_words(ext, name_exts))
		return 0;
	snprintf(c->ext, sizeof c->ext, "%s", ext);
	return 1;
}

static int
restrictive(const struct toks *t)
{
	static const char *const words[] = {
		"only", "just", "solely", "exclusively", "except", "excluding", NULL
	};
	for (size_t i = 0; i < t->n; i++)
		if (in_words(t->v[i].w, words) ||
		    (is(t, i, "nothing") && (is(t, i + 1, "but") || is(t, i + 1, "except"))))
			return 1;
	return 0;
}

static int
excluding_before(const struct toks *t, size_t i)
{
	static const char *const words[] = {
		"except", "excluding", "exclude", "skip", "skipping", "without", "leaving", NULL
	};
	for (size_t k = 0; k < i; k++)
		if (in_words(t->v[k].w, words))
			return 1;
	return 0;
}

static int
lead_in(const char *w)
{
	static const char *const words[] = {
		"since", "from", "after", "before", "until", "till", "through", "in", "during",
		"than", "on", "or", "not", "no", "within", "last", "past", "the", "prior", "to",
		"up", "more", "less", NULL
	};
	return in_words(w, words) || in_words(w, time_words);
}

int
fcond_parse(const char *text, size_t len, int64_t now, struct fcond *c)
{
	memset(c, 0, sizeof *c);
	c->lo = INT64_MIN;
	c->hi = INT64_MAX;
	struct toks t;
	tokenize(text, len, &t);
	int timed = 0;
	for (size_t i = 0; i < t.n && !timed; i++)
		timed = in_words(t.v[i].w, time_words);
	size_t first = SIZE_MAX, last = 0;
	for (size_t i = 0; i < t.n; i++) {
		int64_t from, to;
		size_t used, end = i;
		if (timed && relative_at(&t, i, now, c, &end)) {
			used = end - i + 1;
		} else if (timed && (used = date_at(&t, i, &from, &to)) != 0) {
			date_bounds(&t, i, i + used, from, to, c);
			end = i + used - 1;
			if (is(&t, end + 1, "or") || is(&t, end + 1, "and") || is(&t, end + 1, "onward") ||
			    is(&t, end + 1, "onwards"))
				end += is(&t, end + 1, "or") || is(&t, end + 1, "and") ? 2 : 1;
		} else if (restrictive(&t) && name_at(&t, i, c)) {
			used = 1;
		} else {
			continue;
		}
		if (first == SIZE_MAX) {
			first = i;
			/* "updated since", "older than": the words that lead in */
			while (first > 0 && i - first < 4 && lead_in(t.v[first - 1].w))
				first--;
			c->invert = excluding_before(&t, first);
		}
		if (end >= t.n)
			end = t.n - 1;
		if (end > last)
			last = end;
		i = end;
	}
	if (first == SIZE_MAX)
		return 0;
	size_t a = t.v[first].start, b = t.v[last].end;
	snprintf(c->text, sizeof c->text, "%.*s", (int)(b - a < sizeof c->text - 1 ? b - a
	                                                  : sizeof c->text - 1), text + a);
	return 1;
}

int
fcond_time_ok(const struct fcond *c, int64_t t)
{
	if (!c->has_time || t == ALIBI_TS_NONE)
		return 1;
	int in = t >= c->lo && t < c->hi;
	return c->invert ? !in : in;
}

int
fcond_name_ok(const struct fcond *c, const char *path)
{
	const char *base = path_basename(path);
	int in;
	if (c->glob[0]) {
		in = path_glob_match(c->glob, base);
	} else if (c->ext[0]) {
		/* "x.log", and rotated ones: "x.log.1" */
		char dot[32], mid[32];
		snprintf(dot, sizeof dot, ".%s", c->ext);
		snprintf(mid, sizeof mid, ".%s.", c->ext);
		size_t n = strlen(base), k = strlen(dot);
		in = (n > k && strcmp(base + n - k, dot) == 0) || strstr(base, mid) != NULL;
	} else {
		return 1;
	}
	return c->invert ? !in : in;
}
