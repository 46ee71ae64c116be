/* claims.c — what an agent says it did, will do, did not do or refuses,
 * found in its messages by the rules' patterns; and what the operator
 * asked for, found by the `instruction` patterns.
 *
 * A pattern match is a claim only when it is the agent speaking in its
 * own voice: matches inside fenced code, command lines, block quotes,
 * inline code and double quotes are skipped, and so are hypothetical
 * ("if I deleted...") and questioning ("should I delete...?") sentences.
 * A report preceded by a negation in its clause ("I have not deleted X")
 * becomes a denial.  The items of a list under a heading ("Deleted:" then
 * "- /srv/a") are read with the heading's words in front. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alibi/alloc.h"
#include "analyze_internal.h"

#define LOOKBACK_MAX 240       /* bytes scanned back for a clause start */
#define OBJECT_MAX 200         /* bytes of object kept */
#define HEADING_MAX 80         /* bytes of a heading that lends its words */

enum span_kind { SPAN_CODE, SPAN_QUOTE, SPAN_THINKING };

struct span {
	size_t start, end;
	enum span_kind kind;
};

struct spans {
	struct span *items;
	size_t count, cap;
};

static void
span_add(struct spans *s, size_t start, size_t end, enum span_kind kind)
{
	if (end <= start)
		return;
	grow_array((void **)&s->items, sizeof *s->items, &s->cap, s->count + 1);
	s->items[s->count++] = (struct span){ start, end, kind };
}

static size_t
skip_blanks(const char *s, size_t i, size_t end)
{
	while (i < end && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

/* A line that is a shell command rather than prose: "$ rm -rf x",
 * "- rm -rf /srv/x". */
static int
is_command_line(const char *s, size_t i, size_t end)
{
	static const char *const words[] = {
		"rm", "cp", "mv", "scp", "rsync", "ls", "cat", "cd", "sudo", "chmod",
		"chown", "touch", "find", "tar", "curl", "wget", "ssh", "python",
		"python3", "bash", "sh", "git", "kill", "pkill", "mkdir", "echo",
		"sed", "awk", "grep", "du", "df", "ps", "sha256sum", "md5sum", "dd",
		"ln", "rmdir", "truncate", "shred", "systemctl", "docker", NULL
	};
	if (i + 1 < end && (s[i] == '$' || s[i] == '>') && s[i + 1] == ' ')
		return 1;
	if (i < end && (s[i] == '-' || s[i] == '*'))
		i = skip_blanks(s, i + 1, end);
	size_t w = i;
	while (w < end && (islower((unsigned char)s[w]) || isdigit((unsigned char)s[w])))
		w++;
	if (w == i || w >= end || s[w] != ' ')
		return 0;
	for (size_t k = 0; words[k]; k++) {
		if (strlen(words[k]) == w - i && memcmp(words[k], s + i, w - i) == 0)
			return memchr(s + w, '/', end - w) || strstr(s + w, " -") != NULL;
	}
	return 0;
}

/* Inline `code` and "quoted" / “quoted” spans on one line. */
static void
mask_inline(const char *s, size_t start, size_t end, struct spans *out)
{
	size_t open_tick = 0, open_quote = 0;
	int in_tick = 0, in_quote = 0;
	for (size_t i = start; i < end; i++) {
		if (s[i] == '`' && !in_quote) {
			if (in_tick)
				span_add(out, open_tick, i + 1, SPAN_QUOTE);
			else
				open_tick = i;
			in_tick = !in_tick;
		} else if (!in_tick && s[i] == '"') {
			if (in_quote)
				span_add(out, open_quote, i + 1, SPAN_QUOTE);
			else
				open_quote = i;
			in_quote = !in_quote;
		} else if (!in_tick && (unsigned char)s[i] == 0xe2 && i + 2 < end &&
		           (unsigned char)s[i + 1] == 0x80 &&
		           ((unsigned char)s[i + 2] == 0x9c || (unsigned char)s[i + 2] == 0x9d)) {
			/* U+201C / U+201D curly double quotes */
			if ((unsigned char)s[i + 2] == 0x9c) {
				open_quote = i;
				in_quote = 1;
			} else if (in_quote) {
				span_add(out, open_quote, i + 3, SPAN_QUOTE);
				in_quote = 0;
			}
			i += 2;
		}
	}
}

/* Thinking: from a "[thinking]" line to a "[/thinking]" line when there
 * is one; else the "[thinking]" line alone, since parsers join the parts
 * of a message with single newlines and the end cannot be told. */
static void
mask_thinking(const char *s, size_t len, struct spans *out)
{
	size_t pos = 0;
	while (pos < len) {
		const char *nl = memchr(s + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - s) : len;
		if (end - pos >= 10 && memcmp(s + pos, "[thinking]", 10) == 0) {
			size_t stop = end;
			for (size_t p = end; p + 11 <= len; p++) {
				if (memcmp(s + p, "[/thinking]", 11) == 0 && (p == 0 || s[p - 1] == '\n')) {
					stop = p + 11;
					break;
				}
			}
			span_add(out, pos, stop, SPAN_THINKING);
			end = stop;
		}
		pos = end + 1;
	}
}

/* Everything in text that is not the agent's own prose. */
static void
mask_text(const char *s, size_t len, struct spans *out)
{
	int in_fence = 0;
	size_t fence_start = 0;
	size_t pos = 0;
	mask_thinking(s, len, out);
	while (pos < len) {
		const char *nl = memchr(s + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - s) : len;
		size_t i = skip_blanks(s, pos, end);
		if (end - i >= 3 && (memcmp(s + i, "```", 3) == 0 || memcmp(s + i, "~~~", 3) == 0)) {
			if (in_fence)
				span_add(out, fence_start, end, SPAN_CODE);
			else
				fence_start = pos;
			in_fence = !in_fence;
		} else if (!in_fence) {
			if (is_command_line(s, i, end) || (i < end && s[i] == '>'))
				span_add(out, pos, end, SPAN_CODE);
			else
				mask_inline(s, i, end, out);
		}
		pos = end + 1;
	}
	if (in_fence)
		span_add(out, fence_start, len, SPAN_CODE);
}

/* The span holding pos; code and quotes before thinking. */
static const struct span *
span_at(const struct spans *sp, size_t pos)
{
	const struct span *found = NULL;
	for (size_t i = 0; i < sp->count; i++)
		if (pos >= sp->items[i].start && pos < sp->items[i].end &&
		    (!found || found->kind == SPAN_THINKING))
			found = &sp->items[i];
	return found;
}

/* ---- words around a match ---- */

static int
is_word_char(unsigned char c)
{
	return isalnum(c) || c == '\'' || c >= 0x80;
}

/* Lower-cases word [a, b) into buf, folding U+2019 to '\''. */
static void
word_lower(const char *s, size_t a, size_t b, char *buf, size_t size)
{
	size_t n = 0;
	for (size_t i = a; i < b && n + 1 < size; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == 0xe2 && i + 2 < b && (unsigned char)s[i + 1] == 0x80 &&
		    (unsigned char)s[i + 2] == 0x99) {
			buf[n++] = '\'';
			i += 2;
		} else {
			buf[n++] = (char)tolower(c);
		}
	}
	buf[n] = '\0';
}

static int
word_in(const char *w, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(w, list[i]) == 0)
			return 1;
	return 0;
}

static const char *const clause_words[] = {
	"and", "but", "then", "so", "or", "yet", "because", "although", "though",
	"while", "whereas", "however", NULL
};

/* Where the clause holding pos starts: after sentence punctuation, a
 * comma, a parenthesis or a conjunction. */
static size_t
clause_start(const char *s, size_t pos)
{
	size_t floor = pos > LOOKBACK_MAX ? pos - LOOKBACK_MAX : 0;
	size_t i = pos;
	while (i > floor) {
		unsigned char c = (unsigned char)s[i - 1];
		if (c && strchr("!?;:\n,()", c))
			return i;
		if (c == '.' && (i == pos || isspace((unsigned char)s[i])))
			return i;
		if (is_word_char(c)) {
			size_t b = i;
			while (i > floor && is_word_char((unsigned char)s[i - 1]))
				i--;
			char w[16];
			word_lower(s, i, b, w, sizeof w);
			if (b < pos && word_in(w, clause_words))
				return b;
			continue;
		}
		i--;
	}
	return floor;
}

static const char *const negations[] = {
	"not", "never", "no", "nothing", "none", "neither", "nor", "without",
	"cannot", "failed", "unable", "nobody", NULL
};
static const char *const hypotheticals[] = {
	"if", "whether", "would", "could", "should", "might", "may", "unless",
	"suppose", "supposing", "imagine", "pretend", "hypothetically", "once",
	"until", "wonder", "shall", "would've", "could've", "should've", NULL
};

/* 1 when a word of list occurs in [a, b); "n't" counts as a negation. */
static int
region_has(const char *s, size_t a, size_t b, const char *const *list, int nt)
{
	size_t i = a;
	while (i < b) {
		while (i < b && !is_word_char((unsigned char)s[i]))
			i++;
		size_t w0 = i;
		while (i < b && is_word_char((unsigned char)s[i]))
			i++;
		if (i == w0)
			break;
		char w[24];
		word_lower(s, w0, i, w, sizeof w);
		size_t n = strlen(w);
		if (word_in(w, list))
			return 1;
		if (nt && n > 3 && strcmp(w + n - 3, "n't") == 0)
			return 1;
	}
	return 0;
}

/* 1 when the sentence holding [start, end) ends with a question mark. */
static int
in_question(const char *s, size_t len, size_t end)
{
	for (size_t i = end; i < len; i++) {
		char c = s[i];
		if (c == '?')
			return 1;
		if (c == '!' || c == '\n')
			return 0;
		if (c == '.' && (i + 1 == len || isspace((unsigned char)s[i + 1])))
			return 0;
	}
	return 0;
}

/* ---- objects ---- */

static int
next_word_is_past(const char *s, size_t i, size_t end)
{
	static const char *const irregular[] = {
		"kept", "made", "left", "sent", "got", "ran", "did", "put", "took",
		"wrote", "set", "cut", "then", "also", "finally", NULL
	};
	while (i < end && s[i] == ' ')
		i++;
	size_t w0 = i;
	while (i < end && isalpha((unsigned char)s[i]))
		i++;
	char w[24];
	word_lower(s, w0, i, w, sizeof w);
	size_t n = strlen(w);
	return (n > 3 && strcmp(w + n - 2, "ed") == 0) || word_in(w, irregular);
}

/* The object as written, cut where the clause it belongs to ends; *endp
 * gets where the cut object ends. */
static char *
object_text(const char *s, size_t a, size_t b, size_t *endp)
{
	static const char *const cuts[] = {
		", then", " then ", ", but", " but ", "; ", " because ", " so that ",
		", so ", " which ", " while ", " as requested", " as you asked",
		" as instructed", " as asked", " per your", " like you asked", NULL
	};
	while (a < b && isspace((unsigned char)s[a]))
		a++;
	for (size_t i = a; i < b; i++) {
		for (size_t k = 0; cuts[k]; k++) {
			size_t n = strlen(cuts[k]);
			if (i + n <= b && strncasecmp(s + i, cuts[k], n) == 0) {
				b = i;
				break;
			}
		}
		if (i < b && i + 5 <= b && (strncasecmp(s + i, " and ", 5) == 0 ||
		                            strncasecmp(s + i, ", and", 5) == 0) &&
		    next_word_is_past(s, i + 5, b))
			b = i;
	}
	while (b > a && (isspace((unsigned char)s[b - 1]) || strchr(",:-", s[b - 1])))
		b--;
	*endp = b;
	/* markdown emphasis around the object: bold, italics */
	while (a < b && (s[a] == '*' || s[a] == '_'))
		a++;
	while (b > a && (s[b - 1] == '*' || s[b - 1] == '_') && !(b >= 2 && s[b - 2] == '/'))
		b--;
	if (b <= a)
		return NULL;
	if (b - a > OBJECT_MAX)
		b = a + OBJECT_MAX;
	return xstrndup(s + a, b - a);
}

/* The span of the first group of groups (0-terminated) that matched. */
/* An object written before its verb ("A is gone and B is untouched")
 * starts after the last clause that has a verb of its own. */
static size_t
object_clause_start(const char *s, size_t a, size_t b)
{
	static const char *const finite[] = {
		"is", "are", "was", "were", "has", "have", "had", "been", "be", NULL
	};
	size_t start = a;
	for (size_t i = a; i + 2 < b; i++) {
		size_t skip = 0;
		if (s[i] == ',' || s[i] == ';')
			skip = 1;
		else if (s[i] == ' ' && i + 5 <= b && strncasecmp(s + i, " and ", 5) == 0)
			skip = 5;
		else if (s[i] == ' ' && i + 5 <= b && strncasecmp(s + i, " but ", 5) == 0)
			skip = 5;
		if (skip && region_has(s, start, i, finite, 0))
			start = i + skip;
	}
	while (start < b && s[start] == ' ')
		start++;
	return start;
}

/* Moves a claim's start past a leading ", and" / "then" of its rule. */
static size_t
skip_connectives(const char *s, size_t start, size_t end)
{
	static const char *const words[] = { "and", "then", "also", "finally", NULL };
	for (;;) {
		while (start < end && (s[start] == ',' || s[start] == ' '))
			start++;
		size_t w = start;
		while (w < end && isalpha((unsigned char)s[w]))
			w++;
		char buf[16];
		word_lower(s, start, w, buf, sizeof buf);
		if (w >= end || s[w] != ' ' || !word_in(buf, words))
			return start;
		start = w;
	}
}

static int
group_span(pcre2_match_data *md, const uint32_t *groups, size_t *a, size_t *b)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
	for (; *groups; groups++) {
		uint32_t g = *groups;
		if (g >= pcre2_get_ovector_count(md) || ov[2 * g] == PCRE2_UNSET)
			continue;
		*a = ov[2 * g];
		*b = ov[2 * g + 1];
		return 1;
	}
	return 0;
}

static void
hits_add(struct claim_hits *h, const struct claim_hit *hit)
{
	grow_array((void **)&h->items, sizeof *h->items, &h->cap, h->count + 1);
	h->items[h->count++] = *hit;
}

void
claim_hits_free(struct claim_hits *h)
{
	for (size_t i = 0; i < h->count; i++) {
		free(h->items[i].object);
		free(h->items[i].value);
	}
	free(h->items);
	memset(h, 0, sizeof *h);
}

/* Turns one match into a hit, or returns 0 when it is not the agent's
 * claim. */
static int
make_hit(const struct rules *r, const struct claim_rule *cr, pcre2_match_data *md,
         pcre2_match_data *vmd, const char *s, size_t len,
         const struct spans *sp, struct claim_hit *hit)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
	size_t m0 = ov[0], m1 = ov[1], v0 = m0, v1 = m0;
	int has_verb = group_span(md, cr->g_verb, &v0, &v1);
	size_t anchor = has_verb ? v0 : m0;
	const struct span *in = span_at(sp, anchor);
	if (in && !(in->kind == SPAN_THINKING && !cr->instruction &&
	            cr->kind == ALIBI_CLAIM_INTENT))
		return 0;
	size_t cs = clause_start(s, anchor);
	if (cs > m0 && !has_verb)
		cs = m0;
	memset(hit, 0, sizeof *hit);
	hit->rule = cr;
	hit->start = (int)m0;
	hit->end = (int)m1;
	hit->kind = cr->kind;
	if (!cr->instruction) {
		if (region_has(s, cs, anchor, hypotheticals, 0) || in_question(s, len, m1))
			return 0;
	}
	int negatable = cr->instruction || cr->kind == ALIBI_CLAIM_REPORT ||
	                cr->kind == ALIBI_CLAIM_INTENT;
	if (negatable && region_has(s, cs, anchor, negations, 1)) {
		hit->negated = 1;
		hit->converted = 1;
		if (cr->kind == ALIBI_CLAIM_REPORT && !cr->instruction)
			hit->kind = ALIBI_CLAIM_DENIAL;
	}
	if (cr->kind == ALIBI_CLAIM_DENIAL && !cr->instruction)
		hit->negated = 1;
	if (cr->prohibit)
		hit->negated = 1;     /* "leave X alone": nothing to negate, still a "don't" */
	/* "I have deleted nothing", "I removed none of them" */
	size_t oa, ob;
	if (negatable && !hit->negated && group_span(md, cr->g_object, &oa, &ob) &&
	    has_verb && oa >= v1 && region_has(s, oa, oa + (ob - oa < 8 ? ob - oa : 8), negations, 0)) {
		hit->negated = 1;
		hit->converted = 1;
		if (cr->kind == ALIBI_CLAIM_REPORT && !cr->instruction)
			hit->kind = ALIBI_CLAIM_DENIAL;
	}
	if (cr->verb >= 0)
		hit->verb = (enum verb)cr->verb;
	else if (has_verb)
		hit->verb = rules_verb_of(r, vmd, s + v0, v1 - v0);
	/* The claim ends where its object ends, so that a second claim in
	 * what the pattern took as the object ("... and emptied /srv/tmp")
	 * is not taken for an overlap. */
	size_t a, b, oend = m1;
	hit->start = (int)skip_connectives(s, m0, has_verb ? v0 : m1);
	if (group_span(md, cr->g_object, &a, &b) && has_verb && b <= v0) {
		a = object_clause_start(s, a, b);
		if ((int)a > hit->start)
			hit->start = (int)a;
		hit->object = object_text(s, a, b, &oend);
	} else if (group_span(md, cr->g_object, &a, &b) && b == m1) {
		hit->object = object_text(s, a, b, &oend);
		size_t floor = has_verb ? v1 : a;
		hit->end = (int)(oend > floor ? oend : floor);
	} else if (group_span(md, cr->g_object, &a, &b)) {
		hit->object = object_text(s, a, b, &oend);
	}
	if (group_span(md, cr->g_value, &a, &b) && b > a)
		hit->value = xstrndup(s + a, b - a);
	return 1;
}

/* Which of two overlapping hits to keep: explicit denials and refusals
 * beat everything, negations found by the guard lose, then the longer. */
static int
hit_rank(const struct claim_hit *h)
{
	if (h->converted)
		return 1;
	if (h->kind == ALIBI_CLAIM_DENIAL || h->kind == ALIBI_CLAIM_REFUSAL)
		return 3;
	return 2;
}

static int
hit_cmp(const void *pa, const void *pb)
{
	const struct claim_hit *a = pa, *b = pb;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return (b->end - b->start) - (a->end - a->start);
}

/* Copying, keeping, moving and sending are one family: "I made no
 * backups" is one denial, whichever rule named its verb. */
static int
verb_family(enum verb v)
{
	switch (v) {
	case VERB_copy: case VERB_keep: case VERB_transfer: case VERB_move:
		return VERB_copy;
	default:
		return (int)v;
	}
}

static int
hits_conflict(const struct claim_hit *a, const struct claim_hit *b)
{
	if (a->end <= b->start || b->end <= a->start)
		return 0;
	return verb_family(a->verb) == verb_family(b->verb) ||
	       a->verb == VERB_NONE || b->verb == VERB_NONE;
}

/* Sorts hits [from, count) and drops the losers of overlaps. */
static void
resolve_overlaps(struct claim_hits *h, size_t from)
{
	size_t n = h->count - from;
	if (n < 2)
		return;
	struct claim_hit *v = h->items + from;
	qsort(v, n, sizeof *v, hit_cmp);
	char *drop = xcalloc(n ? n : 1, 1);
	for (size_t i = 0; i < n; i++) {
		for (size_t j = i + 1; j < n && v[j].start < v[i].end; j++) {
			if (drop[i] || drop[j] || !hits_conflict(&v[i], &v[j]))
				continue;
			int ri = hit_rank(&v[i]), rj = hit_rank(&v[j]);
			int li = v[i].end - v[i].start, lj = v[j].end - v[j].start;
			if (ri > rj || (ri == rj && li >= lj))
				drop[j] = 1;
			else
				drop[i] = 1;
		}
	}
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (drop[i]) {
			free(v[i].object);
			free(v[i].value);
		} else {
			v[k++] = v[i];
		}
	}
	h->count = from + k;
	free(drop);
}

static size_t
next_char(const char *s, size_t len, size_t i)
{
	i++;
	while (i < len && ((unsigned char)s[i] & 0xc0) == 0x80)
		i++;
	return i;
}

/* Appends the hits of the rules in text (unsorted, overlaps kept). */
static void
scan_rules(const struct rules *r, int instructions, const char *text,
           size_t len, struct claim_hits *out)
{
	struct spans sp = { 0 };
	mask_text(text, len, &sp);
	pcre2_match_data *md = pcre2_match_data_create(r->max_groups + 1, NULL);
	pcre2_match_data *vmd = pcre2_match_data_create(4, NULL);
	for (size_t k = 0; k < r->claim_count; k++) {
		const struct claim_rule *cr = &r->claims[k];
		if (cr->instruction != (instructions != 0))
			continue;
		size_t off = 0;
		while (off < len) {
			int rc = pcre2_match(cr->re, (PCRE2_SPTR)text, len, off, 0, md, NULL);
			if (rc < 0)
				break;
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
			struct claim_hit hit;
			if (make_hit(r, cr, md, vmd, text, len, &sp, &hit))
				hits_add(out, &hit);
			/* Go on after the verb, not after the whole match, so a
			 * second verb in the object ("deleted X and emptied Y")
			 * is found by the rules that start with a conjunction. */
			size_t v0, v1, next = ov[1];
			if (group_span(md, cr->g_verb, &v0, &v1) && v1 > ov[0] && v1 < next)
				next = v1;
			off = next > off ? next : next_char(text, len, off);
		}
	}
	pcre2_match_data_free(vmd);
	pcre2_match_data_free(md);
	free(sp.items);
}

/* ---- lists under a heading ---- */

/* Where the item of a list line starts ("- x", "* x", "2. x", "3) x"),
 * or 0 when the line is not one. */
static size_t
list_item_start(const char *s, size_t i, size_t end)
{
	size_t j = i;
	if (j + 3 < end && (unsigned char)s[j] == 0xe2 && (unsigned char)s[j + 1] == 0x80 &&
	    (unsigned char)s[j + 2] == 0xa2)
		j += 3;            /* U+2022 bullet */
	else if (j < end && (s[j] == '-' || s[j] == '*'))
		j++;
	else {
		while (j < end && isdigit((unsigned char)s[j]))
			j++;
		if (j == i || j >= end || (s[j] != '.' && s[j] != ')'))
			return 0;
		j++;
	}
	if (j >= end || (s[j] != ' ' && s[j] != '\t'))
		return 0;
	j = skip_blanks(s, j, end);
	return j < end ? j : 0;
}

/* A heading line: words ending in a colon and nothing after it
 * ("Deleted:", "**Removed the following:**", "## Not deleted:"); sets
 * [*a, *b) to its words without markup and colon. */
static int
list_heading(const char *s, size_t pos, size_t end, size_t *a, size_t *b)
{
	size_t i = skip_blanks(s, pos, end);
	while (i < end && strchr("#*_-", s[i]))
		i++;
	i = skip_blanks(s, i, end);
	size_t e = end;
	while (e > i && strchr(" \t*_\r", s[e - 1]))
		e--;
	if (e <= i || s[e - 1] != ':')
		return 0;
	e--;
	while (e > i && strchr(" \t*_", s[e - 1]))
		e--;
	if (e <= i || e - i > HEADING_MAX || memchr(s + i, ':', e - i))
		return 0;
	*a = i;
	*b = e;
	return 1;
}

/* Scans one list item as "<heading> <item>" and adds its hits, placed
 * on the item in text; an item that makes a claim of its own ("1. Delete
 * X") keeps only that one. */
static void
scan_item(const struct rules *r, int instructions, const char *text, size_t h0, size_t h1,
          size_t item, size_t end, struct claim_hits *out, size_t from)
{
	for (size_t i = from; i < out->count; i++)
		if ((size_t)out->items[i].end > item && (size_t)out->items[i].start < end)
			return;
	struct strbuf sb = STRBUF_INIT;
	sb_add(&sb, text + h0, h1 - h0);
	sb_addc(&sb, ' ');
	size_t prefix = sb.len;
	sb_add(&sb, text + item, end - item);
	struct claim_hits h = { 0 };
	scan_rules(r, instructions, sb.buf, sb.len, &h);
	for (size_t i = 0; i < h.count; i++) {
		struct claim_hit hit = h.items[i];
		size_t s0 = (size_t)hit.start, s1 = (size_t)hit.end;
		hit.start = (int)(s0 < prefix ? item : item + (s0 - prefix));
		hit.end = (int)(s1 <= prefix ? end : item + (s1 - prefix));
		hits_add(out, &hit);
	}
	free(h.items);      /* objects and values now belong to out */
	sb_free(&sb);
}

/* "Deleted:" over "- /srv/a" and "- /srv/b": a heading that ends in a
 * colon lends its words to each item of the list under it, so the items
 * read as "Deleted /srv/a" and "Deleted /srv/b". */
static void
scan_heading_lists(const struct rules *r, int instructions, const char *text,
                   size_t len, struct claim_hits *out, size_t from)
{
	struct spans sp = { 0 };
	mask_text(text, len, &sp);
	size_t pos = 0;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len, next = end + 1;
		size_t h0, h1;
		if (!span_at(&sp, pos) && list_heading(text, pos, end, &h0, &h1)) {
			while (next < len) {
				nl = memchr(text + next, '\n', len - next);
				size_t e = nl ? (size_t)(nl - text) : len;
				size_t i = skip_blanks(text, next, e);
				size_t item = i < e ? list_item_start(text, i, e) : 0;
				if (i < e && !item)
					break;
				if (item && !span_at(&sp, item))
					scan_item(r, instructions, text, h0, h1, item, e, out, from);
				next = e + 1;
			}
		}
		pos = next;
	}
	free(sp.items);
}

void
claims_scan(const struct rules *r, int instructions, const char *text,
            size_t len, struct claim_hits *out)
{
	if (!text || !len)
		return;
	size_t from = out->count;
	scan_rules(r, instructions, text, len, out);
	scan_heading_lists(r, instructions, text, len, out, from);
	resolve_overlaps(out, from);
}
