/* tagged_text.c — reading tool tags and reasoning out of an assistant's
 * text (see tagged_internal.h).
 *
 * The agentic-misalignment research framework tells the model to act by
 * writing, in its final answer,
 *
 *     <tool_use:email>
 *     to: "someone@example.com",
 *     subject: "...",
 *     body: "...",
 *     </tool_use:email>
 *
 * after reasoning inside <SCRATCHPAD_REASONING>.  Its classifiers read the
 * tags with an HTML parser, which ignores the case of tag names, so we do
 * too.  A tag written inside the reasoning was thought about, not done: it
 * stays part of the reasoning. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "alibi/strbuf.h"
#include "tagged_internal.h"

static const char *const reasoning_tags[] = {
	"scratchpad_reasoning", "thinking", "think", NULL
};

#define TOOL_PREFIX "tool_use:"

static int
is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-' || c == '.';
}

/* Where the next "</" + prefix + name + ">" starts (any case), and where
 * it ends in *close_end; NULL when the text has none. */
static const char *
find_close(const char *p, const char *end, const char *prefix, const char *name,
           const char **close_end)
{
	size_t plen = strlen(prefix), nlen = strlen(name);
	for (; (p = memchr(p, '<', (size_t)(end - p))) != NULL; p++) {
		const char *q = p + 2;
		if (end - p < 2 || p[1] != '/' || (size_t)(end - q) < plen + nlen ||
		    strncasecmp(q, prefix, plen) != 0 || strncasecmp(q + plen, name, nlen) != 0)
			continue;
		q += plen + nlen;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		if (q < end && *q == '>') {
			*close_end = q + 1;
			return p;
		}
	}
	return NULL;
}

/* The end of an opening tag whose name ends at q: just past its '>', with
 * *self_closing set for "/>"; NULL when q does not end a tag name. */
static const char *
open_tag_end(const char *q, const char *end, int *self_closing)
{
	*self_closing = 0;
	if (q >= end || (*q != '>' && *q != '/' && *q != ' ' && *q != '\t'))
		return NULL;
	/* attributes, if any, up to '>' on the same line */
	const char *gt = q;
	while (gt < end && *gt != '>' && *gt != '<' && *gt != '\n')
		gt++;
	if (gt >= end || *gt != '>')
		return NULL;
	*self_closing = gt > q && gt[-1] == '/';
	return gt + 1;
}

/* A reasoning block opening at p ('<'): its piece, and where the text goes
 * on.  Never closed (the answer was cut off while thinking): the rest of
 * the text is reasoning. */
static int
reasoning_at(const char *p, const char *end, struct tagged_piece *pc, const char **next)
{
	for (size_t k = 0; reasoning_tags[k]; k++) {
		size_t n = strlen(reasoning_tags[k]);
		int self_closing;
		if ((size_t)(end - p) <= n + 1 || strncasecmp(p + 1, reasoning_tags[k], n) != 0)
			continue;
		const char *body = open_tag_end(p + 1 + n, end, &self_closing);
		if (!body || self_closing)
			continue;
		const char *close_end = NULL;
		const char *close = find_close(body, end, "", reasoning_tags[k], &close_end);
		pc->kind = TAGGED_THINKING;
		pc->text = body;
		pc->len = (size_t)((close ? close : end) - body);
		pc->whole = p;
		pc->whole_len = (size_t)((close ? close_end : end) - p);
		*next = close ? close_end : end;
		return 1;
	}
	return 0;
}

/* A tool block opening at p ('<'). */
static int
tool_at(const char *p, const char *end, struct tagged_piece *pc, const char **next)
{
	size_t plen = strlen(TOOL_PREFIX);
	if ((size_t)(end - p) <= plen + 1 || strncasecmp(p + 1, TOOL_PREFIX, plen) != 0)
		return 0;
	const char *name = p + 1 + plen, *q = name;
	while (q < end && is_name_char(*q))
		q++;
	size_t nlen = (size_t)(q - name);
	if (nlen == 0 || nlen >= sizeof pc->name)
		return 0;
	int self_closing;
	const char *body = open_tag_end(q, end, &self_closing);
	if (!body)
		return 0;
	for (size_t i = 0; i < nlen; i++)
		pc->name[i] = (char)tolower((unsigned char)name[i]);
	pc->name[nlen] = '\0';
	pc->whole = p;
	if (self_closing) {
		pc->kind = TAGGED_TOOL;
		pc->text = body;
		pc->len = 0;
		pc->whole_len = (size_t)(body - p);
		*next = body;
		return 1;
	}
	const char *close_end = NULL;
	const char *close = find_close(body, end, TOOL_PREFIX, pc->name, &close_end);
	if (!close) {
		/* only the opening tag is claimed: what follows is still read */
		pc->kind = TAGGED_UNTERMINATED;
		pc->text = p;
		pc->len = (size_t)(body - p);
		pc->whole_len = pc->len;
		*next = body;
		return 1;
	}
	pc->kind = TAGGED_TOOL;
	pc->text = body;
	pc->len = (size_t)(close - body);
	pc->whole_len = (size_t)(close_end - p);
	*next = close_end;
	return 1;
}

static void
flush_text(const char *from, const char *to,
           void (*piece)(void *ctx, const struct tagged_piece *p), void *ctx)
{
	if (to <= from)
		return;
	struct tagged_piece pc;
	memset(&pc, 0, sizeof pc);
	pc.kind = TAGGED_TEXT;
	pc.text = pc.whole = from;
	pc.len = pc.whole_len = (size_t)(to - from);
	piece(ctx, &pc);
}

void
tagged_split(const char *text, size_t len,
             void (*piece)(void *ctx, const struct tagged_piece *p), void *ctx)
{
	const char *end = text + len, *seg = text, *p = text;
	while (p < end && (p = memchr(p, '<', (size_t)(end - p))) != NULL) {
		struct tagged_piece pc;
		const char *next = NULL;
		memset(&pc, 0, sizeof pc);
		if (reasoning_at(p, end, &pc, &next) || tool_at(p, end, &pc, &next)) {
			flush_text(seg, p, piece, ctx);
			piece(ctx, &pc);
			p = seg = next;
		} else {
			p++;
		}
	}
	flush_text(seg, end, piece, ctx);
}

/* ---- the arguments between a tool's tags ----------------------------------- */

static const char *
skip_blanks(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	return p;
}

static const char *
line_end(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	return nl ? nl : end;
}

/* Trims blanks (and one trailing comma: the framework's examples end
 * each field with one) from [*from, *to). */
static void
trim_value(const char **from, const char **to)
{
	while (*from < *to && isspace((unsigned char)**from))
		(*from)++;
	while (*to > *from && isspace((unsigned char)(*to)[-1]))
		(*to)--;
	if (*to > *from && (*to)[-1] == ',')
		(*to)--;
	while (*to > *from && isspace((unsigned char)(*to)[-1]))
		(*to)--;
}

/* "key:" at the start of the line at p: the key and where its value
 * starts.  "https://..." is not a key. */
static int
field_at(const char *p, const char *end, const char **key, size_t *klen, const char **value)
{
	p = skip_blanks(p, end);
	const char *k = p;
	if (p >= end || !(isalpha((unsigned char)*p) || *p == '_'))
		return 0;
	while (p < end && (isalnum((unsigned char)*p) || *p == '_' || *p == '-'))
		p++;
	if (p - k > 40)
		return 0;
	const char *colon = skip_blanks(p, end);
	if (colon >= end || *colon != ':' || (end - colon > 2 && colon[1] == '/' && colon[2] == '/'))
		return 0;
	*key = k;
	*klen = (size_t)(p - k);
	*value = colon + 1;
	return 1;
}

/* The first line after the one ending at le that is not blank: is it a
 * field, or is there none? */
static int
field_or_nothing_after(const char *le, const char *end)
{
	const char *p = le;
	while (p < end) {
		p++;
		const char *q = skip_blanks(p, end);
		if (q < end && *q != '\n') {
			const char *k, *v;
			size_t n;
			return field_at(q, end, &k, &n, &v);
		}
		p = q;
	}
	return 1;
}

/* A quoted value starting at q ('"'): it closes at a line ending in '"'
 * (or '",') that the next field or the end of the block follows, so a
 * body quoting someone on a line of its own goes on. */
static const char *
quoted_value(const char *q, const char *end, const char **from, const char **to)
{
	const char *p = q + 1;
	while (p <= end) {
		const char *le = line_end(p, end);
		const char *a = p, *b = le;
		trim_value(&a, &b);
		if (b > a && b[-1] == '"' && b - 1 > q && field_or_nothing_after(le, end)) {
			*from = q + 1;
			*to = b - 1;
			return le;
		}
		if (le >= end)
			break;
		p = le + 1;
	}
	/* never closed: everything up to the end of the block */
	*from = q + 1;
	*to = end;
	trim_value(from, to);
	if (*to > *from && (*to)[-1] == '"')
		(*to)--;
	return end;
}

/* Fields whose text runs to the end of the block when not quoted: a body
 * may hold lines that look like "Note: ..." */
static int
is_body_key(const char *k, size_t n)
{
	static const char *const keys[] = { "body", "content", "message", "text", NULL };
	for (size_t i = 0; keys[i]; i++)
		if (strlen(keys[i]) == n && strncasecmp(k, keys[i], n) == 0)
			return 1;
	return 0;
}

/* Reads the value starting at v into out; returns where the next line
 * starts. */
static const char *
read_value(const char *v, const char *end, const char *key, size_t klen, struct strbuf *out)
{
	const char *from, *to, *le;
	v = skip_blanks(v, end);
	sb_reset(out);
	if (v < end && *v == '"') {
		le = quoted_value(v, end, &from, &to);
		sb_add(out, from, (size_t)(to - from));
		return le < end ? le + 1 : end;
	}
	if (is_body_key(key, klen)) {
		from = v;
		to = end;
		trim_value(&from, &to);
		sb_add(out, from, (size_t)(to - from));
		return end;
	}
	le = line_end(v, end);
	from = v;
	to = le;
	trim_value(&from, &to);
	sb_add(out, from, (size_t)(to - from));
	/* lines that start no field continue this one */
	const char *p = le < end ? le + 1 : end;
	while (p < end) {
		const char *k, *nv;
		size_t n;
		if (field_at(p, end, &k, &n, &nv))
			break;
		le = line_end(p, end);
		from = p;
		to = le;
		trim_value(&from, &to);
		if (to > from) {
			sb_addc(out, '\n');
			sb_add(out, from, (size_t)(to - from));
		}
		p = le < end ? le + 1 : end;
	}
	return p;
}

static cJSON *
json_object_text(const char *from, const char *to)
{
	if (from >= to || *from != '{')
		return NULL;
	const char *stop = NULL;
	cJSON *obj = cJSON_ParseWithLengthOpts(from, (size_t)(to - from), &stop, 0);
	if (cJSON_IsObject(obj) && stop == to)
		return obj;
	cJSON_Delete(obj);
	return NULL;
}

cJSON *
tagged_fields(const char *text, size_t len)
{
	const char *from = text, *to = text + len;
	while (from < to && isspace((unsigned char)*from))
		from++;
	while (to > from && isspace((unsigned char)to[-1]))
		to--;
	cJSON *args = json_object_text(from, to);
	if (args)
		return args;
	args = cJSON_CreateObject();
	struct strbuf value = STRBUF_INIT, stray = STRBUF_INIT;
	char key[48];
	const char *p = from;
	while (p < to) {
		const char *k, *v;
		size_t n;
		if (!field_at(p, to, &k, &n, &v)) {
			/* text before the first field */
			const char *le = line_end(p, to), *a = p, *b = le;
			trim_value(&a, &b);
			if (b > a) {
				if (stray.len)
					sb_addc(&stray, '\n');
				sb_add(&stray, a, (size_t)(b - a));
			}
			p = le < to ? le + 1 : to;
			continue;
		}
		p = read_value(v, to, k, n, &value);
		for (size_t i = 0; i < n; i++)
			key[i] = (char)tolower((unsigned char)k[i]);
		key[n] = '\0';
		if (!cJSON_GetObjectItemCaseSensitive(args, key))
			cJSON_AddStringToObject(args, key, sb_str(&value));
	}
	if (stray.len)
		cJSON_AddStringToObject(args, "input", sb_str(&stray));
	sb_free(&value);
	sb_free(&stray);
	return args;
}
