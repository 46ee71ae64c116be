/* values_scan.c — the scores in what a tool printed.
 *
 * Tools print scores as JSON (`cat results.json`, `jq`), JSON lines, CSV
 * and other tables (a header line, then rows), key=value and "key: value"
 * log lines, YAML-like blocks under a heading ("agent2:", "== agent2 =="),
 * and prose ("agent2 accuracy is 0.71").  For each number the scanner
 * finds the word that names it (the key, the column header, the word
 * before or after it) and the words around it that say whose it is (the
 * line, the row, the heading, the JSON object and its labels).  Numbers
 * named by words that are not scores (sizes, files, lines, ports, pids,
 * steps, times) are dropped here; so are bare numbers that do not look
 * like scores.  "passed: 18" with "total: 20" on one line or in one
 * object is read as 18 of 20. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "alibi/alloc.h"
#include "analyze_internal.h"

#define GROUP_MAX 32           /* numbers of one line or object */
#define COLS_MAX 24            /* columns of a table */
#define CONTEXT_MAX 480        /* bytes of context tokens kept */
#define JSON_MAX (8u << 20)    /* bigger outputs are read as lines */
#define JSON_DEPTH 24
#define KEY_MAX 40
#define SECTIONS_MAX 12        /* nested headings kept */

struct vitem {
	struct vnum num;
	const char *key;
	size_t key_len;
	enum metric metric;
};

struct vgroup {
	struct vitem items[GROUP_MAX];
	size_t count;
};

struct scan {
	vfound_fn fn;
	void *ctx;
	struct strbuf section;       /* the headings in force, as written */
	size_t sec_indent[SECTIONS_MAX], sec_len[SECTIONS_MAX];
	size_t sections;
	char *hdr;                   /* table header fields, NUL-separated */
	size_t hdr_off[COLS_MAX];
	size_t cols;
	char sep;                    /* table separator: ',' '\t' '|' ' ' */
	struct strbuf line_ctx;
	struct strbuf columns;       /* the last line without numbers, as is:
	                                the names of aligned columns */
};

static void section_context(struct scan *sc);

/* ---- context tokens ---- */

/* Appends the name tokens of text[0..n) as " tok" words, without the
 * bare numbers. */
void
value_context_add(struct strbuf *ctx, const char *text, size_t n)
{
	struct strbuf tmp = STRBUF_INIT, toks = STRBUF_INIT;
	sb_add(&tmp, text, n);
	size_t count = name_tokens(sb_str(&tmp), &toks);
	const char *t = toks.buf;
	for (size_t i = 0; i < count && ctx->len < CONTEXT_MAX; i++, t += strlen(t) + 1) {
		size_t k = 0;
		while (t[k] && isdigit((unsigned char)t[k]))
			k++;
		if (!t[k])
			continue;
		if (!ctx->len)
			sb_addc(ctx, ' ');
		sb_adds(ctx, t);
		sb_addc(ctx, ' ');
	}
	sb_free(&tmp);
	sb_free(&toks);
}

int
value_context_has(const char *context, const char *want)
{
	if (!context || !want || !*want)
		return 0;
	const char *w = want;
	while (*w) {
		while (*w == ' ')
			w++;
		size_t n = strcspn(w, " ");
		if (!n)
			break;
		int found = 0;
		for (const char *p = strstr(context, " "); p && !found; p = strchr(p + 1, ' '))
			found = strncmp(p + 1, w, n) == 0 && p[1 + n] == ' ';
		if (!found)
			return 0;
		w += n;
	}
	return 1;
}

/* ---- a group of numbers: one line, one row, one JSON object ---- */

static void
vgroup_add(struct vgroup *g, const struct vnum *num, const char *key, size_t key_len)
{
	if (g->count >= GROUP_MAX)
		return;
	struct vitem *it = &g->items[g->count++];
	it->num = *num;
	it->key = key;
	it->key_len = key_len > KEY_MAX ? KEY_MAX : key_len;
	it->metric = key_len ? metric_of(key, it->key_len) : METRIC_NONE;
}

static int
is_whole(const struct vnum *n)
{
	return n->form == VFORM_PLAIN && !n->decimals && n->num >= 0;
}

/* "passed: 18 ... total: 20" -> 18 of 20; the two are not read alone.
 * Sets *pass and *total to their indices, or -1. */
static void
vgroup_pair_counts(const struct vgroup *g, long *pass, long *total)
{
	*pass = *total = -1;
	for (size_t i = 0; i < g->count; i++) {
		if (g->items[i].metric == METRIC_PASS && is_whole(&g->items[i].num) && *pass < 0)
			*pass = (long)i;
		else if (g->items[i].metric == METRIC_TOTAL && is_whole(&g->items[i].num) && *total < 0)
			*total = (long)i;
	}
	if (*pass < 0 || *total < 0 || g->items[*total].num.num <= 0 ||
	    g->items[*pass].num.num > g->items[*total].num.num)
		*pass = *total = -1;
}

/* 1 when the item is read as a score on its own. */
static int
item_is_score(const struct vitem *it)
{
	return metric_is_score(it->metric) &&
	       (it->metric != METRIC_NONE || vnum_looks_like_score(&it->num));
}

/* 1 when the group has a score to report (its context is then worth
 * making). */
static int
vgroup_wanted(const struct vgroup *g)
{
	long pass, total;
	vgroup_pair_counts(g, &pass, &total);
	if (pass >= 0)
		return 1;
	for (size_t i = 0; i < g->count; i++)
		if (item_is_score(&g->items[i]))
			return 1;
	return 0;
}

static void
vgroup_emit(struct scan *sc, struct vgroup *g, const char *context)
{
	long pass, total;
	vgroup_pair_counts(g, &pass, &total);
	for (size_t i = 0; i < g->count; i++) {
		struct vitem *it = &g->items[i];
		struct vfound f = { .num = it->num, .metric = it->metric, .key = it->key,
		                    .key_len = it->key_len, .context = context };
		if ((long)i == total)
			continue;
		if ((long)i == pass) {
			f.num.den = g->items[total].num.num;
			f.num.form = VFORM_RATIO;
		} else if (!item_is_score(it)) {
			continue;
		}
		sc->fn(sc->ctx, &f);
	}
	g->count = 0;
}

/* ---- JSON ---- */

static void json_walk(struct scan *sc, const cJSON *node, const char *key, const char *ctx,
                      int depth);

/* A number as JSON holds it, with the digits it would be printed with. */
static int
json_number(const cJSON *item, struct vnum *out)
{
	memset(out, 0, sizeof *out);
	if (cJSON_IsString(item)) {
		const char *s = item->valuestring;
		size_t len = strlen(s), at = 0;
		while (at < len && s[at] == ' ')
			at++;
		size_t end = vnum_parse(s, len, at, 1, out);
		return end && end + 1 >= len;
	}
	if (!cJSON_IsNumber(item))
		return 0;
	char buf[40];
	snprintf(buf, sizeof buf, "%.15g", item->valuedouble);
	if (strchr(buf, 'e'))
		return 0;
	const char *dot = strchr(buf, '.');
	out->num = item->valuedouble;
	out->decimals = dot ? (int)strlen(dot + 1) : 0;
	out->form = VFORM_PLAIN;
	return 1;
}

static void
json_object(struct scan *sc, const cJSON *node, const char *key, const char *ctx, int depth)
{
	struct strbuf local = STRBUF_INIT;
	sb_adds(&local, ctx);
	if (key)
		value_context_add(&local, key, strlen(key));
	const cJSON *child;
	/* the labels of the object: "agent": "agent2", "name": "Agent 2" */
	cJSON_ArrayForEach(child, node) {
		if (cJSON_IsString(child) && strlen(child->valuestring) <= 80) {
			struct vnum probe;
			if (!json_number(child, &probe))
				value_context_add(&local, child->valuestring, strlen(child->valuestring));
		}
	}
	struct vgroup g = { .count = 0 };
	struct strbuf keys = STRBUF_INIT;   /* the context of each number adds its key */
	cJSON_ArrayForEach(child, node) {
		struct vnum n;
		if (child->string && json_number(child, &n))
			vgroup_add(&g, &n, child->string, strlen(child->string));
	}
	sb_adds(&keys, sb_str(&local));
	for (size_t i = 0; i < g.count; i++)
		value_context_add(&keys, g.items[i].key, g.items[i].key_len);
	vgroup_emit(sc, &g, sb_str(&keys));
	sb_free(&keys);
	cJSON_ArrayForEach(child, node)
		if (cJSON_IsObject(child) || cJSON_IsArray(child))
			json_walk(sc, child, child->string, sb_str(&local), depth + 1);
	sb_free(&local);
}

static void
json_walk(struct scan *sc, const cJSON *node, const char *key, const char *ctx, int depth)
{
	if (depth > JSON_DEPTH)
		return;
	if (cJSON_IsObject(node)) {
		json_object(sc, node, key, ctx, depth);
		return;
	}
	if (!cJSON_IsArray(node))
		return;
	struct strbuf local = STRBUF_INIT;
	sb_adds(&local, ctx);
	if (key)
		value_context_add(&local, key, strlen(key));
	struct vgroup g = { .count = 0 };
	const cJSON *child;
	cJSON_ArrayForEach(child, node) {
		struct vnum n;
		if (json_number(child, &n) && key)
			vgroup_add(&g, &n, key, strlen(key));
		else if (cJSON_IsObject(child) || cJSON_IsArray(child))
			json_walk(sc, child, NULL, sb_str(&local), depth + 1);
	}
	vgroup_emit(sc, &g, sb_str(&local));
	sb_free(&local);
}

/* 1 when text[0..len) was JSON and has been walked. */
static int
scan_json(struct scan *sc, const char *text, size_t len)
{
	if (len > JSON_MAX)
		return 0;
	const char *end = NULL;
	cJSON *doc = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (!doc)
		return 0;
	while (end && end < text + len && isspace((unsigned char)*end))
		end++;
	if (end != text + len) {
		cJSON_Delete(doc);     /* more than one document: JSON lines */
		return 0;
	}
	json_walk(sc, doc, NULL, "", 0);
	cJSON_Delete(doc);
	return 1;
}

/* ---- lines ---- */

struct num_at {
	size_t start, end;
	struct vnum num;
};

/* The numbers of one line, in order; returns how many. */
static size_t
line_numbers(const char *s, size_t len, int grouping, struct num_at *out, size_t max)
{
	size_t n = 0, i = 0;
	while (i < len && n < max) {
		unsigned char c = (unsigned char)s[i];
		if (isdigit(c) || ((c == '-' || c == '+' || c == '.') && i + 1 < len)) {
			size_t end = vnum_parse(s, len, i, grouping, &out[n].num);
			if (end) {
				out[n].start = i;
				out[n].end = end;
				n++;
				i = end;
				continue;
			}
		}
		if (isalnum(c) || c == '_' || c >= 0x80) {
			while (i < len && (isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '.' ||
			                   (unsigned char)s[i] >= 0x80))
				i++;
			continue;
		}
		i++;
	}
	return n;
}

static int
is_key_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '-' || c == '@' || c == '.' || c >= 0x80;
}

static int
filler_word(const char *s, size_t a, size_t b)
{
	static const char *const words[] = { "is", "was", "of", "at", "are", "were", "=", NULL };
	for (size_t i = 0; words[i]; i++)
		if (strlen(words[i]) == b - a && strncasecmp(s + a, words[i], b - a) == 0)
			return 1;
	return 0;
}

/* The word naming the number at [start, end): the key before it
 * ("accuracy=", "accuracy: ", "accuracy is"), else a score word after it
 * ("0.71 accuracy", "3 files"). */
static void
number_key(const char *s, size_t len, size_t start, size_t end, const char **key, size_t *klen)
{
	*key = NULL;
	*klen = 0;
	size_t i = start;
	for (int words = 0; words < 3; words++) {
		while (i > 0 && strchr(" \t=:\"'*|(", s[i - 1]))
			i--;
		size_t b = i;
		while (i > 0 && is_key_char((unsigned char)s[i - 1]) && b - i < KEY_MAX)
			i--;
		while (i < b && (s[i] == '.' || s[i] == '-'))
			i++;
		if (i == b)
			break;
		if (filler_word(s, i, b))
			continue;
		int digits = 1;
		for (size_t k = i; k < b; k++)
			digits &= isdigit((unsigned char)s[k]) || s[k] == '.';
		if (!digits && metric_of(s + i, b - i) != METRIC_NONE) {
			*key = s + i;
			*klen = b - i;
			return;
		}
		break;
	}
	size_t j = end;
	while (j < len && strchr(" \t\"')*", s[j]))
		j++;
	size_t a = j;
	while (j < len && is_key_char((unsigned char)s[j]) && j - a < KEY_MAX)
		j++;
	while (j > a && (s[j - 1] == '.' || s[j - 1] == '-'))
		j--;
	if (j > a && metric_of(s + a, j - a) != METRIC_NONE) {
		*key = s + a;
		*klen = j - a;
	}
}

/* Splits a line into table fields; returns how many (0: not a table line). */
static size_t
split_fields(const char *s, size_t len, char sep, size_t *start, size_t *end, size_t max)
{
	size_t n = 0, i = 0;
	if (sep == '|') {
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i < len && s[i] == '|')
			i++;
	}
	while (i <= len && n < max) {
		size_t a = i;
		if (sep == ' ') {
			/* columns: separated by two spaces or more, or a tab */
			while (i < len && !(s[i] == ' ' && i + 1 < len && s[i + 1] == ' ') && s[i] != '\t')
				i++;
		} else {
			while (i < len && s[i] != sep)
				i++;
		}
		size_t b = i;
		while (a < b && isspace((unsigned char)s[a]))
			a++;
		while (b > a && isspace((unsigned char)s[b - 1]))
			b--;
		if (sep == '|' && i >= len && a == b)
			break;    /* after the closing bar */
		start[n] = a;
		end[n] = b;
		n++;
		if (i >= len)
			break;
		i++;
		if (sep == ' ' || sep == '\t')
			while (i < len && (s[i] == ' ' || s[i] == '\t'))
				i++;
	}
	return n;
}

static char
guess_separator(const char *s, size_t len)
{
	if (memchr(s, '\t', len))
		return '\t';
	if (memchr(s, '|', len))
		return '|';
	if (memchr(s, ',', len))
		return ',';
	for (size_t i = 0; i + 1 < len; i++)
		if (s[i] == ' ' && s[i + 1] == ' ')
			return ' ';
	return 0;
}

static void
table_reset(struct scan *sc)
{
	free(sc->hdr);
	sc->hdr = NULL;
	sc->cols = 0;
	sc->sep = 0;
}

/* A line of short words in columns, no numbers: a table header. */
static void
table_header(struct scan *sc, const char *s, size_t len)
{
	table_reset(sc);
	char sep = guess_separator(s, len);
	if (!sep)
		return;
	size_t a[COLS_MAX], b[COLS_MAX];
	size_t n = split_fields(s, len, sep, a, b, COLS_MAX);
	if (n < 2 || n >= COLS_MAX)
		return;
	struct strbuf h = STRBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (b[i] - a[i] > KEY_MAX || b[i] == a[i]) {
			sb_free(&h);
			return;
		}
		sc->hdr_off[i] = h.len;
		sb_add(&h, s + a[i], b[i] - a[i]);
		sb_addc(&h, '\0');
	}
	sc->hdr = sb_detach(&h);
	sc->cols = n;
	sc->sep = sep;
}

static int
is_rule_line(const char *s, size_t len)
{
	size_t dashes = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '-' || s[i] == '=' || s[i] == '+')
			dashes++;
		else if (!strchr(" |:\t", s[i]))
			return 0;
	}
	return dashes >= 3;
}

/* A row under the header: each numeric field is named by its column. */
static int
table_row(struct scan *sc, const char *s, size_t len)
{
	size_t a[COLS_MAX], b[COLS_MAX];
	size_t n = split_fields(s, len, sc->sep, a, b, COLS_MAX);
	if (n != sc->cols)
		return 0;
	struct vgroup g = { .count = 0 };
	char numeric[COLS_MAX] = { 0 };
	for (size_t i = 0; i < n; i++) {
		size_t fa = a[i], fb = b[i];
		while (fa < fb && (s[fa] == '*' || s[fa] == '"'))
			fa++;
		while (fb > fa && (s[fb - 1] == '*' || s[fb - 1] == '"'))
			fb--;
		struct vnum num;
		size_t end = fb > fa ? vnum_parse(s, fb, fa, 1, &num) : 0;
		if (end == fb) {
			const char *h = sc->hdr + sc->hdr_off[i];
			vgroup_add(&g, &num, h, strlen(h));
			numeric[i] = 1;
		}
	}
	if (!g.count)
		return 0;
	if (!vgroup_wanted(&g))
		return 1;
	section_context(sc);
	for (size_t i = 0; i < n; i++)
		if (!numeric[i])
			value_context_add(&sc->line_ctx, s + a[i], b[i] - a[i]);
	for (size_t i = 0; i < g.count; i++)
		value_context_add(&sc->line_ctx, g.items[i].key, g.items[i].key_len);
	vgroup_emit(sc, &g, sb_str(&sc->line_ctx));
	return 1;
}

/* "agent2:", "== agent2 ==", "Evaluating agent2 ...": what the lines
 * under it are about, until a heading at its indent or less, or a line
 * to the left of it. */
static void
sections_pop(struct scan *sc, size_t indent, int inclusive)
{
	while (sc->sections && (sc->sec_indent[sc->sections - 1] > indent ||
	                        (inclusive && sc->sec_indent[sc->sections - 1] == indent))) {
		sc->sections--;
		sb_truncate(&sc->section, sc->sec_len[sc->sections]);
	}
}

static void
section_push(struct scan *sc, const char *s, size_t len, size_t indent)
{
	sections_pop(sc, indent, 1);
	if (sc->sections == SECTIONS_MAX)
		return;
	sc->sec_indent[sc->sections] = indent;
	sc->sec_len[sc->sections] = sc->section.len;
	sc->sections++;
	sb_add(&sc->section, s, len);
	sb_addc(&sc->section, '\n');
}

/* Starts the line's context with the tokens of the headings in force
 * (made only for lines that have a score: most lines have none). */
static void
section_context(struct scan *sc)
{
	sb_reset(&sc->line_ctx);
	if (sc->section.len)
		value_context_add(&sc->line_ctx, sc->section.buf, sc->section.len);
}

static int
csv_like(const char *s, size_t len)
{
	int tight = 0;
	for (size_t i = 0; i + 1 < len; i++)
		tight += s[i] == ',' && s[i + 1] != ' ';
	return tight >= 2;
}

/* The word of the column line above that stands over [a, b) (both in
 * bytes from the line start): "Use%" over "45%" in df's output. */
static void
column_key(const struct scan *sc, size_t a, size_t b, const char **key, size_t *klen)
{
	const char *h = sc->columns.buf;
	size_t n = sc->columns.len, i = 0;
	while (i < n) {
		while (i < n && (h[i] == ' ' || h[i] == '\t'))
			i++;
		size_t w = i;
		while (i < n && h[i] != ' ' && h[i] != '\t')
			i++;
		if (i > w && w < b && i > a) {
			*key = h + w;
			*klen = i - w > KEY_MAX ? KEY_MAX : i - w;
			return;
		}
	}
}

static void
scan_pairs(struct scan *sc, const char *s, size_t len, size_t indent,
           const struct num_at *nums, size_t count)
{
	struct vgroup g = { .count = 0 };
	for (size_t i = 0; i < count; i++) {
		const char *key;
		size_t klen;
		number_key(s, len, nums[i].start, nums[i].end, &key, &klen);
		if (!key && sc->columns.len)
			column_key(sc, nums[i].start + indent, nums[i].end + indent, &key, &klen);
		vgroup_add(&g, &nums[i].num, key, klen);
	}
	if (!vgroup_wanted(&g))
		return;
	section_context(sc);
	value_context_add(&sc->line_ctx, s, len);
	vgroup_emit(sc, &g, sb_str(&sc->line_ctx));
}

static void
scan_line(struct scan *sc, const char *s, size_t len)
{
	size_t indent = 0;
	while (indent < len && (s[indent] == ' ' || s[indent] == '\t'))
		indent++;
	const char *t = s + indent;
	size_t tl = len - indent;
	while (tl && isspace((unsigned char)t[tl - 1]))
		tl--;
	if (!tl)
		return;
	if (*t == '{' && t[tl - 1] == '}' && scan_json(sc, t, tl))
		return;     /* a JSON line */
	struct num_at nums[GROUP_MAX];
	size_t n = line_numbers(t, tl, !csv_like(t, tl), nums, GROUP_MAX);
	if (!n) {
		if (is_rule_line(t, tl))
			return;
		table_header(sc, t, tl);
		sb_reset(&sc->columns);
		sb_add(&sc->columns, s, indent + tl);
		if (sc->cols < 2)
			section_push(sc, t, tl, indent);
		return;
	}
	sections_pop(sc, indent, 0);
	if (sc->cols && table_row(sc, t, tl))
		return;
	table_reset(sc);
	scan_pairs(sc, t, tl, indent, nums, n);
}

void
values_scan(const char *text, size_t len, vfound_fn fn, void *ctx)
{
	if (!text || !len)
		return;
	struct scan sc;
	memset(&sc, 0, sizeof sc);
	sc.fn = fn;
	sc.ctx = ctx;
	size_t i = 0;
	while (i < len && isspace((unsigned char)text[i]))
		i++;
	if (i < len && (text[i] == '{' || text[i] == '[') && scan_json(&sc, text + i, len - i))
		return;
	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len;
		scan_line(&sc, text + i, end - i);
		i = end + 1;
	}
	table_reset(&sc);
	sb_free(&sc.section);
	sb_free(&sc.line_ctx);
	sb_free(&sc.columns);
}
