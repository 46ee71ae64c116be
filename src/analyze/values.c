/* values.c — numbers as agents write them and as tools print them.
 *
 * A score is written in many forms: "92%", "0.92", "91.7 percent",
 * "18 of 20", "18/20", "1,234".  vnum_parse reads one at a position of a
 * text and refuses what only looks like a number there: times (10:31),
 * dates (2026-11-29), versions and addresses (1.2.3), sizes with units
 * (4GB, 12ms), parts of names (gpt-4, agent2, pass@1) and of paths.
 * vnum_agrees says whether a reported number is what a read one shows,
 * allowing for the way people round and truncate.  metric_of says what a
 * word such as "accuracy", "f1_score" or "file_count" measures, so sizes,
 * counts of files, line numbers, ports and pids are never taken for
 * scores; value_subject_tokens says whose a reported number is ("Agent
 * 2's" -> agent2).  The reading of whole tool outputs is in
 * values_scan.c. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze_internal.h"

#define NUM_MAX 40             /* bytes of one number, grouping included */

static int
is_name_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c >= 0x80;
}

/* 1 when a number may start at s[at]: not inside a word, a path, a time,
 * a date or a version. */
static int
standalone_start(const char *s, size_t at)
{
	if (at == 0)
		return 1;
	unsigned char p = (unsigned char)s[at - 1];
	if (is_name_char(p) || p == '.' || p == '/' || p == '@' || p == '#' || p == '$' ||
	    p == '\\' || p == '^')
		return 0;
	if (p == ':' && at >= 2 && isdigit((unsigned char)s[at - 2]))
		return 0;        /* 10:31 */
	if (p == '-' && at >= 2 && (is_name_char((unsigned char)s[at - 2]) || s[at - 2] == '-'))
		return 0;        /* gpt-4, 2026-11 */
	return 1;
}

/* Reads digits with optional thousands grouping and a fraction from
 * s[i..len) into buf (grouping removed); returns the end or i. */
static size_t
read_decimal(const char *s, size_t len, size_t i, int grouping, char *buf, size_t size,
             int *decimals)
{
	size_t n = 0, start = i;
	*decimals = 0;
	while (i < len && isdigit((unsigned char)s[i]) && n + 1 < size)
		buf[n++] = s[i++];
	size_t int_digits = n;
	if (grouping && int_digits >= 1 && int_digits <= 3) {
		/* "1,234,567": groups of exactly three digits */
		while (i + 3 < len && s[i] == ',' && isdigit((unsigned char)s[i + 1]) &&
		       isdigit((unsigned char)s[i + 2]) && isdigit((unsigned char)s[i + 3]) &&
		       (i + 4 >= len || !isdigit((unsigned char)s[i + 4])) && n + 4 < size) {
			memcpy(buf + n, s + i + 1, 3);
			n += 3;
			i += 4;
		}
	}
	if (i + 1 < len && s[i] == '.' && isdigit((unsigned char)s[i + 1]) && n + 2 < size) {
		buf[n++] = s[i++];
		while (i < len && isdigit((unsigned char)s[i]) && n + 1 < size) {
			buf[n++] = s[i++];
			(*decimals)++;
		}
	}
	buf[n] = '\0';
	return n ? i : start;
}

static size_t
skip_spaces(const char *s, size_t len, size_t i)
{
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

/* 1 when s[i..) starts with the word w (case-insensitive), not followed
 * by a letter. */
static int
word_at(const char *s, size_t len, size_t i, const char *w)
{
	size_t n = strlen(w);
	if (i + n > len)
		return 0;
	for (size_t k = 0; k < n; k++)
		if (tolower((unsigned char)s[i + k]) != w[k])
			return 0;
	return i + n == len || !isalpha((unsigned char)s[i + n]);
}

/* A whole number (no sign, fraction or grouping) at s[i]: its end, or i. */
static size_t
read_count(const char *s, size_t len, size_t i, double *v)
{
	size_t j = i;
	while (j < len && isdigit((unsigned char)s[j]) && j - i < 12)
		j++;
	if (j == i || (j < len && (is_name_char((unsigned char)s[j]) ||
	                           (s[j] == '.' && j + 1 < len && isdigit((unsigned char)s[j + 1])))))
		return i;
	char buf[16];
	memcpy(buf, s + i, j - i);
	buf[j - i] = '\0';
	*v = strtod(buf, NULL);
	return j;
}

/* "/20", " of 20", " out of 20" after a whole number: the ratio's end. */
static size_t
read_ratio(const char *s, size_t len, size_t i, struct vnum *out)
{
	double den = 0;
	size_t j = i, end;
	size_t k = skip_spaces(s, len, j);
	if (k < len && s[k] == '/' && k - j <= 1) {
		size_t d = skip_spaces(s, len, k + 1);
		if (d - (k + 1) > 1)
			return i;
		end = read_count(s, len, d, &den);
		if (end == d || (end < len && s[end] == '/'))
			return i;   /* a path or a date (11/29/2026) */
	} else {
		j = k;
		if (j == i)
			return i;
		if (word_at(s, len, j, "out"))
			j = skip_spaces(s, len, j + 3);
		if (!word_at(s, len, j, "of"))
			return i;
		j = skip_spaces(s, len, j + 2);
		end = read_count(s, len, j, &den);
		if (end == j)
			return i;
	}
	if (den <= 0 || out->num > den * 1000)
		return i;
	out->den = den;
	out->form = VFORM_RATIO;
	return end;
}

size_t
vnum_parse(const char *s, size_t len, size_t at, int grouping, struct vnum *out)
{
	memset(out, 0, sizeof *out);
	if (at >= len || !standalone_start(s, at))
		return 0;
	size_t i = at;
	int neg = 0;
	if ((s[i] == '-' || s[i] == '+') && i + 1 < len &&
	    (isdigit((unsigned char)s[i + 1]) || s[i + 1] == '.')) {
		neg = s[i] == '-';
		i++;
	}
	char buf[NUM_MAX + 2];
	int decimals = 0;
	size_t end;
	if (s[i] == '.' && i + 1 < len && isdigit((unsigned char)s[i + 1])) {
		buf[0] = '0';
		end = read_decimal(s, len, i, 0, buf + 1, sizeof buf - 1, &decimals);
		if (end == i)
			return 0;
	} else {
		end = read_decimal(s, len, i, grouping, buf, sizeof buf, &decimals);
	}
	if (end == i)
		return 0;
	/* what follows must not make it a time, a date, a version or a size */
	if (end < len) {
		unsigned char c = (unsigned char)s[end];
		unsigned char d = end + 1 < len ? (unsigned char)s[end + 1] : 0;
		if (is_name_char(c) || ((c == '.' || c == ':' || c == '-') && isdigit(d)))
			return 0;
		/* "1,23": not a grouping, not a list of two numbers either */
		if (c == ',' && isdigit(d) && grouping && !decimals)
			return 0;
	}
	out->num = strtod(buf, NULL) * (neg ? -1 : 1);
	out->decimals = decimals;
	out->form = VFORM_PLAIN;
	size_t j = skip_spaces(s, len, end);
	if (j < len && s[j] == '%' && j - end <= 1) {
		out->form = VFORM_PERCENT;
		end = j + 1;
	} else if (word_at(s, len, j, "percent") && j - end <= 1) {
		out->form = VFORM_PERCENT;
		end = j + 7;
	} else if (!decimals && !neg) {
		end = read_ratio(s, len, end, out);
	}
	if (out->form == VFORM_PLAIN && end < len && s[end] == '/')
		return 0;        /* a path component */
	return end;
}

/* ---- agreement ---- */

enum cand_kind { CAND_FRAC, CAND_RAW, CAND_COUNT };

struct cand {
	enum cand_kind kind;
	double v, u;        /* value and one unit of its last digit */
};

static double
unit_of(const struct vnum *n)
{
	return pow(10.0, -n->decimals);
}

/* 1 when the number is a count of things passed ("passed 18"): it says
 * nothing about a fraction. */
static int
is_count(const struct vnum *n, enum metric m)
{
	return n->form == VFORM_PLAIN && !n->decimals && n->num > 1 && m == METRIC_PASS;
}

/* The ways a number may be read: as a fraction of one, as written, as a
 * count. */
static size_t
candidates(const struct vnum *n, enum metric m, struct cand out[4])
{
	size_t k = 0;
	double u = unit_of(n);
	switch (n->form) {
	case VFORM_PERCENT:
		out[k++] = (struct cand){ CAND_FRAC, n->num / 100, u / 100 };
		break;
	case VFORM_RATIO:
		out[k++] = (struct cand){ CAND_FRAC, n->num / n->den, 0 };
		out[k++] = (struct cand){ CAND_COUNT, n->num, 0 };
		break;
	case VFORM_PLAIN:
		if (is_count(n, m)) {
			out[k++] = (struct cand){ CAND_COUNT, n->num, 0 };
			break;
		}
		if (n->num >= 0 && n->num <= 1)
			out[k++] = (struct cand){ CAND_FRAC, n->num, u };
		else if (n->num > 1 && n->num <= 100)
			out[k++] = (struct cand){ CAND_FRAC, n->num / 100, u / 100 };
		out[k++] = (struct cand){ CAND_RAW, n->num, u };
		if (!n->decimals)
			out[k++] = (struct cand){ CAND_COUNT, n->num, 0 };
		break;
	}
	return k;
}

/* A reported value c against a read one r.  Reporting rounds (92% for
 * 0.9167) or truncates (91%), so a report may lie up to half a unit of
 * its last digit above what was read and up to one unit below.  A report
 * more precise than what was read (0.712 for 0.71) cannot be told apart:
 * it gets the read value's own rounding on both sides. */
static int
cand_agrees(const struct cand *c, enum vbound bound, const struct cand *r)
{
	double eps = 1e-9 * (fabs(c->v) > 1 ? fabs(c->v) : 1);
	double slack = c->u < r->u ? r->u / 2 : 0;
	double d = c->v - r->v;
	if (c->kind == CAND_COUNT)
		return fabs(d) <= 0.5;
	switch (bound) {
	case VBOUND_AT_LEAST:
		return r->v >= c->v - slack - eps;
	case VBOUND_AT_MOST:
		return r->v <= c->v + slack + eps;
	case VBOUND_APPROX: {
		double w = fmax(c->u, 0.05 * fabs(c->v));
		return d >= -w - slack - eps && d <= w + slack + eps;
	}
	case VBOUND_EXACT:
		break;
	}
	return d > -(c->u * 0.999) - slack - eps && d <= c->u / 2 + slack + eps;
}

enum vagree
vnum_agrees(const struct vnum *said, enum metric said_metric, enum vbound bound,
            const struct vnum *read, enum metric read_metric)
{
	struct cand cs[4], rs[4];
	size_t nc = candidates(said, said_metric, cs), nr = candidates(read, read_metric, rs);
	int comparable = 0;
	for (size_t i = 0; i < nc; i++) {
		for (size_t k = 0; k < nr; k++) {
			if (cs[i].kind != rs[k].kind)
				continue;
			comparable = 1;
			if (cand_agrees(&cs[i], bound, &rs[k]))
				return VAGREE_YES;
		}
	}
	return comparable ? VAGREE_NO : VAGREE_INCOMPARABLE;
}

double
vnum_fraction(const struct vnum *n)
{
	switch (n->form) {
	case VFORM_PERCENT:
		return n->num / 100;
	case VFORM_RATIO:
		return n->num / n->den;
	case VFORM_PLAIN:
		break;
	}
	if (n->num >= 0 && n->num <= 1)
		return n->num;
	return n->num > 1 && n->num <= 100 ? n->num / 100 : NAN;
}

/* "0.71 (71%)", "92%", "18/20 (90%)", "71.5". */
void
vnum_format(const struct vnum *n, struct strbuf *out)
{
	switch (n->form) {
	case VFORM_PERCENT:
		sb_addf(out, "%.*f%%", n->decimals, n->num);
		return;
	case VFORM_RATIO:
		sb_addf(out, "%.0f/%.0f (%.4g%%)", n->num, n->den, 100 * n->num / n->den);
		return;
	case VFORM_PLAIN:
		break;
	}
	sb_addf(out, "%.*f", n->decimals, n->num);
	if (n->decimals && n->num >= 0 && n->num <= 1)
		sb_addf(out, " (%.*f%%)", n->decimals > 2 ? n->decimals - 2 : 0, n->num * 100);
}

/* 1 when the number looks like a score even with no word naming it: a
 * percentage, a ratio, or a fraction of one written with decimals. */
int
vnum_looks_like_score(const struct vnum *n)
{
	return n->form != VFORM_PLAIN || (n->decimals && n->num >= 0 && n->num <= 1);
}

/* ---- what a word measures ---- */

/* What a word measures; OTHER: numbers it names are never scores.
 * Sorted (strcmp), for bsearch: t_value checks the order. */
static const struct metric_word { const char *word; enum metric m; } metric_words[] = {
	{ "acc", METRIC_ACCURACY }, { "accuracy", METRIC_ACCURACY },
	{ "achieved", METRIC_SCORE }, { "agents", METRIC_OTHER }, { "am", METRIC_OTHER },
	{ "answered", METRIC_PASS }, { "attempted", METRIC_TOTAL },
	{ "attempts", METRIC_OTHER }, { "auc", METRIC_AUC }, { "auroc", METRIC_AUC },
	{ "avail", METRIC_OTHER }, { "average", METRIC_SCORE }, { "avg", METRIC_SCORE },
	{ "batch", METRIC_OTHER }, { "benchmark", METRIC_SCORE }, { "bleu", METRIC_SCORE },
	{ "blocks", METRIC_OTHER }, { "budget", METRIC_OTHER }, { "byte", METRIC_OTHER },
	{ "bytes", METRIC_OTHER }, { "cases", METRIC_TOTAL }, { "chars", METRIC_OTHER },
	{ "checkpoint", METRIC_OTHER }, { "checkpoints", METRIC_OTHER },
	{ "code", METRIC_OTHER }, { "col", METRIC_OTHER }, { "column", METRIC_OTHER },
	{ "correct", METRIC_PASS }, { "cost", METRIC_OTHER }, { "count", METRIC_TOTAL },
	{ "cpu", METRIC_OTHER }, { "cpus", METRIC_OTHER }, { "date", METRIC_OTHER },
	{ "day", METRIC_OTHER }, { "days", METRIC_OTHER }, { "decay", METRIC_OTHER },
	{ "depth", METRIC_OTHER }, { "dim", METRIC_OTHER }, { "directories", METRIC_OTHER },
	{ "dirs", METRIC_OTHER }, { "disk", METRIC_OTHER }, { "dropout", METRIC_OTHER },
	{ "duration", METRIC_OTHER }, { "elapsed", METRIC_OTHER }, { "em", METRIC_ACCURACY },
	{ "entries", METRIC_OTHER }, { "epoch", METRIC_OTHER }, { "epochs", METRIC_OTHER },
	{ "errno", METRIC_OTHER }, { "error", METRIC_OTHER }, { "errors", METRIC_OTHER },
	{ "eur", METRIC_OTHER }, { "eval", METRIC_SCORE }, { "evaluation", METRIC_SCORE },
	{ "exact", METRIC_ACCURACY }, { "examples", METRIC_TOTAL }, { "exit", METRIC_OTHER },
	{ "f1", METRIC_F1 }, { "f1score", METRIC_F1 },
	{ "failed", METRIC_OTHER }, { "failures", METRIC_OTHER }, { "file", METRIC_OTHER },
	{ "files", METRIC_OTHER }, { "free", METRIC_OTHER }, { "fscore", METRIC_F1 }, { "gb", METRIC_OTHER },
	{ "gib", METRIC_OTHER }, { "gid", METRIC_OTHER }, { "gpu", METRIC_OTHER },
	{ "gpus", METRIC_OTHER }, { "grad", METRIC_OTHER }, { "grade", METRIC_SCORE },
	{ "gradient", METRIC_OTHER }, { "heads", METRIC_OTHER }, { "height", METRIC_OTHER },
	{ "hidden", METRIC_OTHER }, { "hour", METRIC_OTHER }, { "hours", METRIC_OTHER },
	{ "id", METRIC_OTHER }, { "idx", METRIC_OTHER }, { "index", METRIC_OTHER },
	{ "inode", METRIC_OTHER }, { "interval", METRIC_OTHER }, { "items", METRIC_TOTAL },
	{ "iter", METRIC_OTHER }, { "iteration", METRIC_OTHER },
	{ "iterations", METRIC_OTHER }, { "kb", METRIC_OTHER }, { "kib", METRIC_OTHER },
	{ "latency", METRIC_OTHER }, { "layer", METRIC_OTHER }, { "layers", METRIC_OTHER },
	{ "learning", METRIC_OTHER }, { "len", METRIC_OTHER }, { "length", METRIC_OTHER },
	{ "limit", METRIC_OTHER }, { "line", METRIC_OTHER }, { "lineno", METRIC_OTHER },
	{ "lines", METRIC_OTHER }, { "links", METRIC_OTHER }, { "loss", METRIC_OTHER },
	{ "lr", METRIC_OTHER }, { "max", METRIC_OTHER }, { "mb", METRIC_OTHER },
	{ "mean", METRIC_SCORE }, { "mem", METRIC_OTHER }, { "memory", METRIC_OTHER },
	{ "metric", METRIC_SCORE }, { "mib", METRIC_OTHER }, { "min", METRIC_OTHER },
	{ "minute", METRIC_OTHER }, { "minutes", METRIC_OTHER }, { "mmlu", METRIC_SCORE },
	{ "mode", METRIC_OTHER }, { "models", METRIC_OTHER }, { "month", METRIC_OTHER },
	{ "ms", METRIC_OTHER }, { "n", METRIC_TOTAL }, { "nodes", METRIC_OTHER },
	{ "norm", METRIC_OTHER }, { "num", METRIC_TOTAL }, { "offset", METRIC_OTHER },
	{ "overall", METRIC_SCORE }, { "page", METRIC_OTHER }, { "pages", METRIC_OTHER },
	{ "param", METRIC_OTHER }, { "parameters", METRIC_OTHER }, { "params", METRIC_OTHER },
	{ "pass", METRIC_PASS }, { "passed", METRIC_PASS }, { "passes", METRIC_PASS },
	{ "passing", METRIC_PASS }, { "passrate", METRIC_PASS }, { "percent", METRIC_SCORE },
	{ "percentage", METRIC_SCORE }, { "performance", METRIC_SCORE },
	{ "perplexity", METRIC_OTHER }, { "pid", METRIC_OTHER }, { "pm", METRIC_OTHER },
	{ "points", METRIC_SCORE }, { "port", METRIC_OTHER }, { "ppid", METRIC_OTHER },
	{ "ppl", METRIC_OTHER }, { "prec", METRIC_PRECISION },
	{ "precision", METRIC_PRECISION }, { "price", METRIC_OTHER },
	{ "problems", METRIC_TOTAL }, { "questions", METRIC_TOTAL },
	{ "quota", METRIC_OTHER }, { "rank", METRIC_OTHER }, { "rating", METRIC_SCORE },
	{ "rc", METRIC_OTHER }, { "recall", METRIC_RECALL }, { "record", METRIC_OTHER },
	{ "records", METRIC_OTHER }, { "resolved", METRIC_PASS }, { "result", METRIC_SCORE },
	{ "retries", METRIC_OTHER }, { "retry", METRIC_OTHER }, { "reward", METRIC_SCORE },
	{ "roc", METRIC_AUC }, { "rouge", METRIC_SCORE }, { "row", METRIC_OTHER },
	{ "rows", METRIC_OTHER }, { "run", METRIC_OTHER }, { "runs", METRIC_OTHER },
	{ "runtime", METRIC_OTHER }, { "samples", METRIC_TOTAL }, { "score", METRIC_SCORE },
	{ "scored", METRIC_SCORE }, { "scores", METRIC_SCORE }, { "sec", METRIC_OTHER },
	{ "seconds", METRIC_OTHER }, { "secs", METRIC_OTHER }, { "seed", METRIC_OTHER },
	{ "shard", METRIC_OTHER }, { "shards", METRIC_OTHER }, { "size", METRIC_OTHER },
	{ "skipped", METRIC_OTHER }, { "solve", METRIC_PASS }, { "solved", METRIC_PASS },
	{ "status", METRIC_OTHER }, { "step", METRIC_OTHER }, { "steps", METRIC_OTHER },
	{ "succeeded", METRIC_PASS }, { "success", METRIC_PASS },
	{ "successes", METRIC_PASS }, { "tasks", METRIC_TOTAL }, { "temp", METRIC_OTHER },
	{ "temperature", METRIC_OTHER }, { "tests", METRIC_TOTAL },
	{ "threads", METRIC_OTHER }, { "time", METRIC_OTHER }, { "timeout", METRIC_OTHER },
	{ "timestamp", METRIC_OTHER }, { "token", METRIC_OTHER }, { "tokens", METRIC_OTHER },
	{ "top1", METRIC_ACCURACY }, { "total", METRIC_TOTAL }, { "trial", METRIC_OTHER },
	{ "trials", METRIC_OTHER }, { "ts", METRIC_OTHER }, { "uid", METRIC_OTHER },
	{ "usage", METRIC_OTHER }, { "usd", METRIC_OTHER }, { "use", METRIC_OTHER },
	{ "used", METRIC_OTHER }, { "utc", METRIC_OTHER }, { "ver", METRIC_OTHER },
	{ "version", METRIC_OTHER }, { "vocab", METRIC_OTHER }, { "wall", METRIC_OTHER },
	{ "warmup", METRIC_OTHER }, { "warnings", METRIC_OTHER }, { "weight", METRIC_OTHER },
	{ "width", METRIC_OTHER }, { "win", METRIC_PASS }, { "winrate", METRIC_PASS },
	{ "wins", METRIC_PASS }, { "words", METRIC_OTHER }, { "workers", METRIC_OTHER },
	{ "year", METRIC_OTHER },
};

static int
word_cmp(const void *key, const void *item)
{
	return strcmp(key, ((const struct metric_word *)item)->word);
}

static enum metric
metric_of_part(const char *w)
{
	const struct metric_word *hit = bsearch(w, metric_words,
	                                        sizeof metric_words / sizeof metric_words[0],
	                                        sizeof metric_words[0], word_cmp);
	return hit ? hit->m : METRIC_NONE;
}

int
metric_words_sorted(void)
{
	for (size_t i = 1; i < sizeof metric_words / sizeof metric_words[0]; i++)
		if (strcmp(metric_words[i - 1].word, metric_words[i].word) >= 0)
			return 0;
	return 1;
}

/* Specific names beat generic ones: "eval_accuracy" is an accuracy. */
static int
metric_rank(enum metric m)
{
	switch (m) {
	case METRIC_OTHER: return 5;
	case METRIC_NONE: return 0;
	case METRIC_TOTAL: return 1;
	case METRIC_SCORE: return 2;
	default: return 3;
	}
}

enum metric
metric_of(const char *word, size_t len)
{
	enum metric best = METRIC_NONE;
	char part[32], whole[32];
	size_t n = 0, wn = 0;
	for (size_t i = 0; i <= len; i++) {
		unsigned char c = i < len ? (unsigned char)word[i] : 0;
		if (isalnum(c)) {
			if (n + 1 < sizeof part)
				part[n++] = (char)tolower(c);
			if (wn + 1 < sizeof whole)
				whole[wn++] = (char)tolower(c);
			continue;
		}
		if (!n)
			continue;
		part[n] = '\0';
		n = 0;
		/* "f1", "top1" keep their digit; "pass@1" is a pass rate */
		enum metric m = metric_of_part(part);
		if (m == METRIC_NONE) {
			size_t k = strlen(part);
			while (k && isdigit((unsigned char)part[k - 1]))
				k--;
			if (k && k < strlen(part)) {
				part[k] = '\0';
				m = metric_of_part(part);
				if (m == METRIC_OTHER || m == METRIC_TOTAL)
					m = METRIC_NONE;   /* "step3" names, it does not count */
			}
		}
		if (m == METRIC_OTHER)
			return METRIC_OTHER;
		if (metric_rank(m) > metric_rank(best))
			best = m;
	}
	whole[wn] = '\0';
	if (best == METRIC_NONE && wn) {
		enum metric m = metric_of_part(whole);   /* "passRate", "f1-score" */
		if (m != METRIC_NONE)
			best = m;
	}
	return best;
}

int
metric_is_score(enum metric m)
{
	return m != METRIC_OTHER && m != METRIC_TOTAL;
}

/* ---- whose value ---- */

/* Words that name no one in particular. */
static const char *const subject_stop[] = {
	"the", "a", "an", "it", "its", "this", "that", "these", "those", "which", "who",
	"each", "every", "all", "both", "our", "their", "my", "your", "his", "her", "overall",
	"model", "agent", "system", "candidate", "i", "we", "you", "they", "he", "she", "one",
	"new", "old", "final", "best", "worst", "first", "second", "third", "last", "other",
	"s", "t", "d", "and", "or", "of", "on", "in", "for", "with", "set", "test", "here",
	NULL
};

static int
subject_word(const char *t)
{
	size_t k = 0;
	while (t[k] && isdigit((unsigned char)t[k]))
		k++;
	if (!t[k])
		return 0;
	for (size_t i = 0; subject_stop[i]; i++)
		if (strcmp(t, subject_stop[i]) == 0)
			return 0;
	return metric_of(t, strlen(t)) == METRIC_NONE;
}

static int
head_noun(const char *t)
{
	static const char *const nouns[] = {
		"model", "agent", "system", "candidate", "variant", "policy", "run", NULL
	};
	for (size_t i = 0; nouns[i]; i++)
		if (strcmp(t, nouns[i]) == 0)
			return 1;
	return 0;
}

int
value_context_is_anonymous(const char *context)
{
	struct strbuf toks = STRBUF_INIT;
	size_t count = name_tokens(context, &toks);
	const char *t = toks.buf;
	int anonymous = 1;
	for (size_t i = 0; i < count && anonymous; i++, t += strlen(t) + 1)
		anonymous = !subject_word(t);
	sb_free(&toks);
	return anonymous;
}

size_t
value_subject_tokens(const char *object, struct strbuf *out)
{
	struct strbuf tmp = STRBUF_INIT, toks = STRBUF_INIT, seen = STRBUF_INIT;
	/* "Agent 2's": the possessive is not a word of the name */
	for (const char *p = object ? object : ""; *p; p++) {
		if (*p == '\'' && (p[1] == 's' || p[1] == 'S') && !isalnum((unsigned char)p[2])) {
			p++;
			continue;
		}
		if ((unsigned char)p[0] == 0xe2 && (unsigned char)p[1] == 0x80 &&
		    (unsigned char)p[2] == 0x99 && (p[3] == 's' || p[3] == 'S') &&
		    !isalnum((unsigned char)p[4])) {
			p += 3;
			continue;
		}
		sb_addc(&tmp, *p == '*' || *p == '`' ? ' ' : *p);
	}
	size_t count = name_tokens(sb_str(&tmp), &toks), kept = 0, longest = 0;
	const char *t = toks.buf;
	for (size_t i = 0; i < count; i++, t += strlen(t) + 1)
		if (subject_word(t) && strlen(t) > longest)
			longest = strlen(t);
	/* "model B", "agent-c": a lone letter names only with its noun */
	t = toks.buf;
	for (size_t i = 0; i < count; i++, t += strlen(t) + 1) {
		if (!subject_word(t) && !(longest == 1 && head_noun(t)))
			continue;
		if (value_context_has(sb_str(&seen), t))
			continue;
		if (!seen.len)
			sb_addc(&seen, ' ');
		sb_adds(&seen, t);
		sb_addc(&seen, ' ');
		if (kept++)
			sb_addc(out, ' ');
		sb_adds(out, t);
	}
	sb_free(&seen);
	sb_free(&tmp);
	sb_free(&toks);
	return kept;
}
