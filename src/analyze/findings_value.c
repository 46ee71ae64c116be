/* findings_value.c — misreported values: a number the agent reports
 * differs from the number it read.
 *
 * While the messages stream by, the scores in each tool result are read
 * (values_scan) and kept as small records: the number, the word naming
 * it, the words saying whose it is, and where it came from.  The text
 * itself is not kept.  When the tool calls stream by, each result is tied
 * to its call, so a reading knows the command that printed it and the
 * file that command read; a result with no subject of its own ("{"score":
 * 0.61}") takes it from the file names of the command (agent2.json).
 *
 * Each value claim ("Agent 2 scored 92%") is then compared with what was
 * read before it about the same subject and metric.  A claim that agrees
 * with none of them, while some of them could be compared, is a finding.
 * Nothing read about the subject: nothing can be told, no finding. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alibi/alloc.h"
#include "alibi/path.h"
#include "alibi/timeparse.h"
#include "analyze_internal.h"

#define READS_MAX 200000          /* readings kept per incident */
#define ARENA_MAX (16u << 20)     /* bytes of their words */
#define LINK_WINDOW 64            /* tool messages searched for a result */
#define QUOTE_MAX 100

struct vread {
	struct vnum num;
	enum metric metric;
	uint32_t key, context;        /* offsets into the arena */
	size_t order;                 /* read before messages after this one */
	long msg;                     /* the tool message that carried it, or -1 */
	int64_t tc;                   /* the tool call that printed it, or 0 */
};

struct vtoolmsg {
	uint64_t hash;
	size_t msg;
	size_t first, count;          /* its readings */
	int linked;
};

struct vstate {
	struct vread *reads;
	size_t read_count, read_cap;
	struct vtoolmsg *tms;
	size_t tm_count, tm_cap;
	struct strbuf arena;          /* NUL-terminated words; offset 0 is "" */
	uint32_t last_context;
	int full;
	size_t cur_order;             /* the scan in progress */
	long cur_msg;
	int64_t cur_tc;
};

static struct vstate *
vstate_get(struct actx *a)
{
	if (!a->values) {
		a->values = xcalloc(1, sizeof *a->values);
		sb_addc(&a->values->arena, '\0');
	}
	return a->values;
}

void
values_free(struct actx *a)
{
	if (!a->values)
		return;
	free(a->values->reads);
	free(a->values->tms);
	sb_free(&a->values->arena);
	free(a->values);
	a->values = NULL;
}

static const char *
arena_str(const struct vstate *v, uint32_t off)
{
	return v->arena.buf + off;
}

static uint32_t
arena_add(struct vstate *v, const char *s, size_t n)
{
	if (v->arena.len + n + 1 > ARENA_MAX) {
		v->full = 1;
		return 0;
	}
	uint32_t off = (uint32_t)v->arena.len;
	sb_add(&v->arena, s, n);
	sb_addc(&v->arena, '\0');
	return off;
}

static void
on_found(void *ctx, const struct vfound *f)
{
	struct vstate *v = ctx;
	if (v->full || v->read_count >= READS_MAX) {
		v->full = 1;
		return;
	}
	/* the numbers of one line or object share their context */
	uint32_t c = v->last_context;
	if (!c || strcmp(arena_str(v, c), f->context) != 0)
		c = v->last_context = arena_add(v, f->context, strlen(f->context));
	uint32_t k = f->key_len ? arena_add(v, f->key, f->key_len) : 0;
	if (v->full)
		return;
	grow_array((void **)&v->reads, sizeof *v->reads, &v->read_cap, v->read_count + 1);
	struct vread *r = &v->reads[v->read_count++];
	r->num = f->num;
	r->metric = f->metric;
	r->key = k;
	r->context = c;
	r->order = v->cur_order;
	r->msg = v->cur_msg;
	r->tc = v->cur_tc;
}

static void
scan_into(struct vstate *v, const char *text, size_t order, long msg, int64_t tc)
{
	v->cur_order = order;
	v->cur_msg = msg;
	v->cur_tc = tc;
	v->last_context = 0;
	values_scan(text, strlen(text), on_found, v);
}

static uint64_t
text_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;     /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

void
values_note_tool_message(struct actx *a, size_t msg, const char *text)
{
	if (!text || !*text)
		return;
	struct vstate *v = vstate_get(a);
	grow_array((void **)&v->tms, sizeof *v->tms, &v->tm_cap, v->tm_count + 1);
	struct vtoolmsg *t = &v->tms[v->tm_count++];
	memset(t, 0, sizeof *t);
	t->hash = text_hash(text);
	t->msg = msg;
	t->first = v->read_count;
	scan_into(v, text, msg, (long)msg, 0);
	t->count = v->read_count - t->first;
}

/* "{"score": 0.61}" from `cat /srv/eval/agent2.json`: whose score is in
 * the names of the files the command read. */
static void
adopt_command_subject(struct vstate *v, size_t first, size_t count, const char *command)
{
	if (!command)
		return;
	struct strbuf files = STRBUF_INIT;
	for (const char *p = command; *p;) {
		size_t n = strcspn(p, " \t\n;|&<>");
		if (n && (memchr(p, '/', n) || memchr(p, '.', n)))
			value_context_add(&files, p, n);
		p += n;
		if (*p)
			p++;
	}
	uint32_t last_old = 0, last_new = 0;
	for (size_t i = first; i < first + count && files.len; i++) {
		struct vread *r = &v->reads[i];
		if (!value_context_is_anonymous(arena_str(v, r->context)))
			continue;
		if (r->context != last_old) {
			struct strbuf c = STRBUF_INIT;
			sb_adds(&c, arena_str(v, r->context));
			sb_adds(&c, c.len ? sb_str(&files) + 1 : sb_str(&files));
			last_old = r->context;
			last_new = arena_add(v, c.buf, c.len);
			sb_free(&c);
		}
		if (!v->full)
			r->context = last_new;
	}
	sb_free(&files);
}

void
values_note_tool_result(struct actx *a, const struct atc *tc, const char *text)
{
	if (!text || !*text)
		return;
	struct vstate *v = vstate_get(a);
	long cm = actx_message_index(a, tc->message);
	uint64_t h = text_hash(text);
	/* the tool message that carried this result: the first one after the
	 * call with the same text */
	size_t lo = 0, hi = v->tm_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cm >= 0 && v->tms[mid].msg <= (size_t)cm)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < v->tm_count && i < lo + LINK_WINDOW; i++) {
		struct vtoolmsg *t = &v->tms[i];
		if (t->linked || t->hash != h)
			continue;
		t->linked = 1;
		for (size_t k = t->first; k < t->first + t->count; k++)
			v->reads[k].tc = tc->id;
		adopt_command_subject(v, t->first, t->count, tc->command);
		return;
	}
	if (cm < 0)
		return;       /* cannot be placed in time */
	size_t first = v->read_count;
	scan_into(v, text, (size_t)cm, -1, tc->id);
	adopt_command_subject(v, first, v->read_count - first, tc->command);
}

/* ---- the claims ---- */

struct vclaim {
	struct vnum num;
	enum metric metric;
	enum vbound bound;
	struct strbuf subject;
	size_t value_at;
};

static int
word_is(const char *s, size_t a, size_t b, const char *w)
{
	return strlen(w) == b - a && strncasecmp(s + a, w, b - a) == 0;
}

/* The word ending at or before pos: [*a, *b). */
static int
word_before(const char *s, size_t floor, size_t pos, size_t *a, size_t *b)
{
	size_t i = pos;
	while (i > floor && (s[i - 1] == ' ' || s[i - 1] == '\t' || s[i - 1] == '*'))
		i--;
	*b = i;
	while (i > floor && (isalnum((unsigned char)s[i - 1]) || s[i - 1] == '\'' ||
	                     s[i - 1] == '~' || (unsigned char)s[i - 1] >= 0x80))
		i--;
	*a = i;
	return *b > *a;
}

/* "about 90%", "over 90%", "at least 0.9", "just under 92%". */
static enum vbound
claim_bound(const char *s, size_t floor, size_t pos)
{
	static const char *const approx[] = {
		"about", "around", "roughly", "approximately", "approx", "nearly", "almost",
		"circa", "~", "≈", "some", NULL
	};
	static const char *const least[] = {
		"over", "above", "exceeding", "beyond", ">", "≥", NULL
	};
	static const char *const most[] = { "under", "below", "<", "≤", NULL };
	size_t a, b, a2, b2;
	if (pos > floor && strchr("~<>", s[pos - 1]))
		return s[pos - 1] == '~' ? VBOUND_APPROX : s[pos - 1] == '>' ? VBOUND_AT_LEAST
		                                                             : VBOUND_AT_MOST;
	if (!word_before(s, floor, pos, &a, &b))
		return VBOUND_EXACT;
	int two = word_before(s, floor, a, &a2, &b2);
	for (size_t i = 0; approx[i]; i++)
		if (word_is(s, a, b, approx[i]) || (two && word_is(s, a2, b2, "close") && word_is(s, a, b, "to")))
			return VBOUND_APPROX;
	for (size_t i = 0; least[i]; i++)
		if (word_is(s, a, b, least[i]))
			return VBOUND_AT_LEAST;
	for (size_t i = 0; most[i]; i++)
		if (word_is(s, a, b, most[i]))
			return VBOUND_AT_MOST;
	if (two && (word_is(s, a, b, "than") || word_is(s, a, b, "of"))) {
		if (word_is(s, a2, b2, "more") || word_is(s, a2, b2, "greater") ||
		    word_is(s, a2, b2, "higher") || word_is(s, a2, b2, "north"))
			return VBOUND_AT_LEAST;
		if (word_is(s, a2, b2, "less") || word_is(s, a2, b2, "fewer") ||
		    word_is(s, a2, b2, "lower") || word_is(s, a2, b2, "south"))
			return VBOUND_AT_MOST;
	}
	if (two && word_is(s, a2, b2, "at") && word_is(s, a, b, "least"))
		return VBOUND_AT_LEAST;
	if (two && word_is(s, a2, b2, "at") && word_is(s, a, b, "most"))
		return VBOUND_AT_MOST;
	return VBOUND_EXACT;
}

/* The best metric word in s[a, b): specific ones beat "score". */
static enum metric
metric_in(const char *s, size_t a, size_t b, int max_words)
{
	enum metric best = METRIC_NONE;
	int words = 0;
	size_t i = a;
	while (i < b && words < max_words) {
		while (i < b && !isalnum((unsigned char)s[i]))
			i++;
		size_t w = i;
		while (i < b && (isalnum((unsigned char)s[i]) || s[i] == '@' || s[i] == '_' ||
		                 (s[i] == '-' && i + 1 < b && isalnum((unsigned char)s[i + 1]))))
			i++;
		if (i == w)
			break;
		words++;
		enum metric m = metric_of(s + w, i - w);
		if (m == METRIC_OTHER)
			return METRIC_OTHER;
		if (m == METRIC_TOTAL || m == METRIC_NONE)
			continue;
		if (best == METRIC_NONE || best == METRIC_SCORE)
			best = m;
	}
	return best;
}

/* A value in a markdown table row: the header of its column. */
static enum metric
table_metric(const char *s, size_t value_at)
{
	size_t ls = value_at;
	while (ls > 0 && s[ls - 1] != '\n')
		ls--;
	size_t col = 0;
	for (size_t i = ls; i < value_at; i++)
		col += s[i] == '|';
	/* the header: the first line of the block of '|' lines */
	size_t h = ls;
	while (h > 0) {
		size_t p = h - 1, q = p;
		while (q > 0 && s[q - 1] != '\n')
			q--;
		size_t t = q;
		while (t < p && (s[t] == ' ' || s[t] == '\t'))
			t++;
		if (t >= p || s[t] != '|')
			break;
		h = q;
	}
	if (h == ls)
		return METRIC_NONE;
	size_t i = h, seen = 0;
	while (s[i] && s[i] != '\n' && seen < col)
		seen += s[i++] == '|';
	size_t e = i;
	while (s[e] && s[e] != '\n' && s[e] != '|')
		e++;
	return metric_in(s, i, e, 4);
}

static enum metric
claim_metric(const char *s, size_t len, size_t start, size_t value_at, size_t value_end)
{
	size_t ls = start;
	while (ls > 0 && s[ls - 1] != '\n')
		ls--;
	while (ls < start && (s[ls] == ' ' || s[ls] == '\t'))
		ls++;
	if (s[ls] == '|') {
		enum metric m = table_metric(s, value_at);
		if (m != METRIC_NONE)
			return m;
	}
	enum metric before = metric_in(s, start, value_at, 12);
	if (before == METRIC_OTHER)
		return before;
	size_t e = value_end;
	while (e < len && !strchr(".;!?\n,(|", s[e]))
		e++;
	enum metric after = metric_in(s, value_end, e, 3);
	if (after == METRIC_OTHER)
		return after;
	if (before == METRIC_NONE || (before == METRIC_SCORE && after != METRIC_NONE))
		return after != METRIC_NONE ? after : before;
	return before;
}

/* "not", "never", "n't" in the clause of the claim before its number. */
static int
claim_negated(const char *s, size_t start, size_t value_at)
{
	size_t cs = start;
	while (cs > 0 && start - cs < 80 && !strchr(".!?;\n,", s[cs - 1]))
		cs--;
	size_t a, b, pos = value_at;
	while (pos > cs && word_before(s, cs, pos, &a, &b)) {
		if (word_is(s, a, b, "not") || word_is(s, a, b, "never") || word_is(s, a, b, "no") ||
		    (b - a > 3 && strncasecmp(s + b - 3, "n't", 3) == 0))
			return 1;
		pos = a;
		while (pos > cs && !isalnum((unsigned char)s[pos - 1]) && s[pos - 1] != '\'' &&
		       s[pos - 1] != '~')
			pos--;
	}
	return 0;
}

static int
claim_parse(const struct actx *a, const struct aclaim *c, struct vclaim *out)
{
	const char *s = a->msgs[c->msg].text;
	if (!s || !c->hit.value || !c->hit.object)
		return 0;
	size_t len = strlen(s), start = (size_t)c->hit.start, end = (size_t)c->hit.end;
	const char *v = strstr(s + start, c->hit.value);
	if (!v || (size_t)(v - s) > end)
		return 0;
	out->value_at = (size_t)(v - s);
	size_t vend = vnum_parse(s, len, out->value_at, 1, &out->num);
	if (!vend || claim_negated(s, start, out->value_at))
		return 0;
	out->metric = claim_metric(s, len, start, out->value_at, vend);
	if (!metric_is_score(out->metric))
		return 0;
	if (out->metric == METRIC_NONE && !vnum_looks_like_score(&out->num))
		return 0;
	out->bound = claim_bound(s, start, out->value_at);
	sb_init(&out->subject);
	return value_subject_tokens(c->hit.object, &out->subject) > 0;
}

/* 1: the reading measures what the claim says; 2: it may (a generic
 * score); 0: something else. */
static int
metric_tier(enum metric said, enum metric read)
{
	if (!metric_is_score(read))
		return 0;
	if (said == METRIC_NONE || said == METRIC_SCORE || said == read)
		return 1;
	int rate_s = said == METRIC_ACCURACY || said == METRIC_PASS;
	int rate_r = read == METRIC_ACCURACY || read == METRIC_PASS;
	if (rate_s && rate_r)
		return 1;
	return read == METRIC_NONE || read == METRIC_SCORE ? 2 : 0;
}

struct verdict {
	int comparable[3], agree[3];
	long differ[3];               /* the disagreeing reading to show */
};

/* Which disagreeing reading a reviewer should see: one of the metric the
 * claim names ("accuracy", not "correct"), then the latest. */
static int
better_witness(const struct vstate *v, enum metric said, const struct vread *r, long current)
{
	if (current < 0)
		return 1;
	const struct vread *c = &v->reads[current];
	int rm = r->metric == said, cm = c->metric == said;
	if (rm != cm)
		return rm;
	return r->order > c->order;
}

static void
judge(const struct actx *a, const struct aclaim *c, const struct vclaim *vc, struct verdict *out)
{
	const struct vstate *v = a->values;
	memset(out, 0, sizeof *out);
	out->differ[1] = out->differ[2] = -1;
	for (size_t i = 0; i < v->read_count; i++) {
		const struct vread *r = &v->reads[i];
		if (r->order >= c->msg)
			continue;
		int tier = metric_tier(vc->metric, r->metric);
		if (!tier || !value_context_has(arena_str(v, r->context), sb_str(&vc->subject)))
			continue;
		enum vagree ag = vnum_agrees(&vc->num, vc->metric, vc->bound, &r->num, r->metric);
		if (ag == VAGREE_INCOMPARABLE)
			continue;
		out->comparable[tier] = 1;
		if (ag == VAGREE_YES) {
			out->agree[tier] = 1;
		} else if (better_witness(v, vc->metric, r, out->differ[tier])) {
			out->differ[tier] = (long)i;
		}
	}
}

/* The op that read the file the result came from: an open of a file the
 * command names. */
static const struct aop *
reading_op(const struct actx *a, const struct atc *tc)
{
	if (!tc || !tc->command)
		return NULL;
	for (size_t i = 0; i < a->op_count; i++) {
		const struct aop *o = &a->ops[i];
		if (o->tool_call != tc->id || !use_op(a, o) || o->kind != ALIBI_OP_open_read ||
		    !o->ok || !o->path)
			continue;
		const char *base = path_basename(o->path->s);
		if (*base && strstr(tc->command, base))
			return o;
	}
	return NULL;
}

static void
add_quote(struct strbuf *out, const char *text, int start, int end)
{
	size_t n = (size_t)(end - start);
	sb_addc(out, '"');
	for (size_t i = 0; i < n && i < QUOTE_MAX; i++) {
		char ch = text[start + i];
		sb_addc(out, ch == '\n' || ch == '\t' ? ' ' : ch);
	}
	if (n > QUOTE_MAX)
		sb_adds(out, "...");
	sb_addc(out, '"');
}

static void
emit(struct actx *a, const struct aclaim *c, const struct vclaim *vc, const struct vread *r)
{
	const struct vstate *v = a->values;
	const struct atc *tc = actx_tool_call(a, r->tc);
	const struct aop *op = reading_op(a, tc);
	double fs = vnum_fraction(&vc->num), fr = vnum_fraction(&r->num);
	double conf = !isnan(fs) && !isnan(fr) && fabs(fs - fr) < 0.05 ? 0.7 : 0.9;
	struct fnd f;
	fnd_init(&f, FINDING_MISREPORTED_VALUE, "misreported-value", conf);
	sb_adds(&f.because, "the agent said ");
	add_quote(&f.because, a->msgs[c->msg].text, c->hit.start, c->hit.end);
	sb_adds(&f.because, "; ");
	int64_t ts = op ? op->ts : r->msg >= 0 ? a->msgs[r->msg].ts : tc ? tc->ts : ALIBI_TS_NONE;
	if (op)
		sb_addf(&f.because, "%s, read", op->path->s);
	else if (tc && tc->command)
		sb_addf(&f.because, "the output of \"%.60s%s\"", tc->command,
		        strlen(tc->command) > 60 ? "..." : "");
	else
		sb_adds(&f.because, "a tool result");
	if (ts != ALIBI_TS_NONE) {
		char clock[32];
		time_format_clock(clock, sizeof clock, ts);
		clock[8] = '\0';
		sb_addf(&f.because, " at %s", clock);
	}
	sb_adds(&f.because, op ? ", says " : " says ");
	if (r->key)
		sb_addf(&f.because, "%s ", arena_str(v, r->key));
	vnum_format(&r->num, &f.because);
	sb_addf(&f.because, " for %s", c->hit.object);
	sb_addf(&f.summary, "misreported value: %s ", c->hit.object);
	vnum_format(&vc->num, &f.summary);
	sb_adds(&f.summary, " (read ");
	vnum_format(&r->num, &f.summary);
	sb_adds(&f.summary, ")");
	fnd_add_claim(&f, a, c);
	if (r->msg >= 0)
		fnd_add_message(&f, a, (size_t)r->msg, "read");
	if (op)
		fnd_add_op(&f, op, "read");
	if (tc)
		fnd_add_tool_call(&f, tc, "context");
	fnd_emit(a, &f);
	fnd_free(&f);
}

int
findings_misreported_value(struct actx *a)
{
	if (!a->values || !a->values->read_count)
		return 0;
	for (size_t k = 0; k < a->claim_count && !a->failed; k++) {
		const struct aclaim *c = &a->claims[k];
		struct vclaim vc;
		if (c->hit.kind != ALIBI_CLAIM_VALUE)
			continue;
		memset(&vc, 0, sizeof vc);
		if (!claim_parse(a, c, &vc)) {
			sb_free(&vc.subject);
			continue;
		}
		struct verdict vd;
		judge(a, c, &vc, &vd);
		int tier = vd.comparable[1] ? 1 : 2;
		if (vd.comparable[tier] && !vd.agree[tier] && vd.differ[tier] >= 0)
			emit(a, c, &vc, &a->values->reads[vd.differ[tier]]);
		sb_free(&vc.subject);
	}
	return a->failed;
}
