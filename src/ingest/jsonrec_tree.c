/* jsonrec_tree.c — records parsed into cJSON nodes held in an arena (see
 * jsonrec_tree_internal.h for why, and for what is left to cJSON).
 *
 * The tree is the one cJSON builds: the same node types, members in the
 * order written (a repeated key twice, the first found first), strings
 * with their escapes decoded to the same bytes, numbers converted by
 * strtod() with valueint clamped as cJSON clamps it, and each list's
 * first child's prev pointing at its last.  Whenever the text is not
 * plainly such JSON the reader gives up and returns NULL. */
#include <limits.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "jsonrec_tree_internal.h"

/* A record needs a few hundred bytes of nodes; the first chunk is kept. */
#define CHUNK_BYTES ((size_t)64 * 1024)
/* cJSON allows 1000 levels; records nest a handful. */
#define TREE_MAX_DEPTH 64
/* cJSON reads at most 63 characters of a number; JSON numbers in records
 * are far shorter. */
#define NUMBER_MAX 40

struct jsonrec_arena_chunk {
	struct jsonrec_arena_chunk *next;
	size_t size, used;
	max_align_t data[];
};

static void *
arena_alloc(struct jsonrec_arena *a, size_t n)
{
	n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
	struct jsonrec_arena_chunk *c = a->cur;
	if (!c || c->size - c->used < n) {
		size_t size = n > CHUNK_BYTES ? n : CHUNK_BYTES;
		c = xmalloc(sizeof *c + size);
		c->next = NULL;
		c->size = size;
		c->used = 0;
		if (a->cur)
			a->cur->next = c;
		else
			a->first = c;
		a->cur = c;
	}
	void *p = (char *)c->data + c->used;
	c->used += n;
	return p;
}

static void
free_chunks(struct jsonrec_arena_chunk *c)
{
	while (c) {
		struct jsonrec_arena_chunk *next = c->next;
		free(c);
		c = next;
	}
}

void
jsonrec_arena_reset(struct jsonrec_arena *a)
{
	struct jsonrec_arena_chunk *first = a ? a->first : NULL;
	if (!first)
		return;
	/* a record larger than a chunk does not keep its memory */
	if (first->size > CHUNK_BYTES) {
		free_chunks(first);
		a->first = a->cur = NULL;
		return;
	}
	free_chunks(first->next);
	first->next = NULL;
	first->used = 0;
	a->cur = first;
}

void
jsonrec_arena_free(struct jsonrec_arena *a)
{
	free_chunks(a->first);
	a->first = a->cur = NULL;
}

/* ---- the reader ------------------------------------------------------------ */

struct reader {
	struct jsonrec_arena *a;
	const char *s;
	size_t n, i;
	int depth;
};

/* The byte at the reader, '\0' at the end (a NUL in the text is not JSON
 * either way). */
static char
peek(const struct reader *r)
{
	return r->i < r->n ? r->s[r->i] : '\0';
}

/* JSON's four spaces; cJSON skips every byte up to ' ', so other control
 * bytes make the reader give up. */
static void
skip_space(struct reader *r)
{
	while (r->i < r->n && (r->s[r->i] == ' ' || r->s[r->i] == '\n' ||
	                       r->s[r->i] == '\r' || r->s[r->i] == '\t'))
		r->i++;
}

static cJSON *
new_node(struct reader *r, int type)
{
	cJSON *node = arena_alloc(r->a, sizeof *node);
	*node = (cJSON){ .type = type };
	return node;
}

static int
hex4(const char *s, unsigned *out)
{
	unsigned v = 0;
	for (int k = 0; k < 4; k++) {
		char c = s[k];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return 0;
	}
	*out = v;
	return 1;
}

/* "\uXXXX" (or a surrogate pair) at s[k], which ends before end, written
 * as UTF-8 at *o; returns the length read, 0 to give up: on U+0000, which
 * cJSON would cut the string at, and on anything but a whole pair. */
static size_t
decode_u(const char *s, size_t k, size_t end, char **o)
{
	unsigned cp, low;
	if (end - k < 6 || !hex4(s + k + 2, &cp) || cp == 0 || (cp >= 0xDC00 && cp <= 0xDFFF))
		return 0;
	size_t used = 6;
	if (cp >= 0xD800 && cp <= 0xDBFF) {
		if (end - k < 12 || s[k + 6] != '\\' || s[k + 7] != 'u' || !hex4(s + k + 8, &low) ||
		    low < 0xDC00 || low > 0xDFFF)
			return 0;
		cp = 0x10000 + (((cp & 0x3FF) << 10) | (low & 0x3FF));
		used = 12;
	}
	unsigned char *u = (unsigned char *)*o;
	if (cp < 0x80) {
		u[0] = (unsigned char)cp;
		*o += 1;
	} else if (cp < 0x800) {
		u[0] = (unsigned char)(0xC0 | (cp >> 6));
		u[1] = (unsigned char)(0x80 | (cp & 0x3F));
		*o += 2;
	} else if (cp < 0x10000) {
		u[0] = (unsigned char)(0xE0 | (cp >> 12));
		u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (unsigned char)(0x80 | (cp & 0x3F));
		*o += 3;
	} else {
		u[0] = (unsigned char)(0xF0 | (cp >> 18));
		u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (unsigned char)(0x80 | (cp & 0x3F));
		*o += 4;
	}
	return used;
}

/* s[k..end) with its escapes decoded into out; 0 to give up. */
static int
decode_escapes(const char *s, size_t k, size_t end, char *out)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	char *o = out;
	while (k < end) {
		const char *bs = memchr(s + k, '\\', end - k);
		size_t plain = bs ? (size_t)(bs - (s + k)) : end - k;
		memcpy(o, s + k, plain);
		o += plain;
		k += plain;
		if (k >= end)
			break;
		const char *e = strchr(from, s[k + 1]);
		if (e && *e) {
			*o++ = to[e - from];
			k += 2;
		} else if (s[k + 1] == 'u') {
			size_t used = decode_u(s, k, end, &o);
			if (!used)
				return 0;
			k += used;
		} else {
			return 0;
		}
	}
	*o = '\0';
	return 1;
}

/* The string whose '"' is at the reader, decoded into the arena. */
static char *
read_string(struct reader *r)
{
	const char *s = r->s;
	size_t start = r->i + 1, end;
	const char *quote = memchr(s + start, '"', r->n - start);
	if (!quote)
		return NULL;
	/* most strings have no escape: the first quote ends them.  Control
	 * bytes are copied as they are, as cJSON copies them. */
	end = (size_t)(quote - s);
	int escaped = memchr(s + start, '\\', end - start) != NULL;
	if (escaped) {
		for (end = start; end < r->n && s[end] != '"'; end++)
			end += s[end] == '\\';
		if (end >= r->n)
			return NULL;
	}
	/* escapes only shrink: the text's length is room enough */
	char *out = arena_alloc(r->a, end - start + 1);
	if (escaped) {
		if (!decode_escapes(s, start, end, out))
			return NULL;
	} else {
		memcpy(out, s + start, end - start);
		out[end - start] = '\0';
	}
	r->i = end + 1;
	return out;
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A number as JSON writes it, followed by what may follow a value. */
static cJSON *
read_number(struct reader *r)
{
	const char *s = r->s;
	size_t j = r->i;
	int fraction = 0;
	if (j < r->n && s[j] == '-')
		j++;
	if (j < r->n && s[j] == '0')
		j++;
	else if (j < r->n && is_digit(s[j]))
		while (j < r->n && is_digit(s[j]))
			j++;
	else
		return NULL;
	if (j < r->n && s[j] == '.') {
		fraction = 1;
		if (++j >= r->n || !is_digit(s[j]))
			return NULL;
		while (j < r->n && is_digit(s[j]))
			j++;
	}
	if (j < r->n && (s[j] == 'e' || s[j] == 'E')) {
		fraction = 1;
		j++;
		if (j < r->n && (s[j] == '+' || s[j] == '-'))
			j++;
		if (j >= r->n || !is_digit(s[j]))
			return NULL;
		while (j < r->n && is_digit(s[j]))
			j++;
	}
	size_t len = j - r->i;
	/* cJSON writes the locale's decimal point for '.'; where that is
	 * not '.', it decides */
	if (len > NUMBER_MAX || (fraction && localeconv()->decimal_point[0] != '.'))
		return NULL;
	char buf[NUMBER_MAX + 1], *stop = NULL;
	memcpy(buf, s + r->i, len);
	buf[len] = '\0';
	double d = strtod(buf, &stop);
	if (stop != buf + len)
		return NULL;
	cJSON *node = new_node(r, cJSON_Number);
	node->valuedouble = d;
	node->valueint = d >= INT_MAX ? INT_MAX : d <= (double)INT_MIN ? INT_MIN : (int)d;
	r->i = j;
	return node;
}

static cJSON *read_value(struct reader *r);

/* Members (or elements) up to close; the reader is past the opening
 * bracket. */
static cJSON *
read_list(struct reader *r, int type, char close)
{
	if (++r->depth > TREE_MAX_DEPTH)
		return NULL;
	cJSON *list = new_node(r, type), *head = NULL, *tail = NULL;
	skip_space(r);
	if (peek(r) == close) {
		r->i++;
		r->depth--;
		return list;
	}
	for (;;) {
		char *key = NULL;
		if (type == cJSON_Object) {
			if (peek(r) != '"' || !(key = read_string(r)))
				return NULL;
			skip_space(r);
			if (peek(r) != ':')
				return NULL;
			r->i++;
			skip_space(r);
		}
		cJSON *item = read_value(r);
		if (!item)
			return NULL;
		item->string = key;
		if (tail) {
			tail->next = item;
			item->prev = tail;
		} else {
			head = item;
		}
		tail = item;
		skip_space(r);
		char c = peek(r);
		r->i++;
		if (c == close)
			break;
		if (c != ',')
			return NULL;
		skip_space(r);
	}
	head->prev = tail;
	list->child = head;
	r->depth--;
	return list;
}

/* A literal written in full; what follows it is checked by the list it
 * is in ("truex" is not a value there). */
static int
read_word(struct reader *r, const char *word)
{
	size_t len = strlen(word);
	if (r->n - r->i < len || memcmp(r->s + r->i, word, len) != 0)
		return 0;
	r->i += len;
	return 1;
}

static cJSON *
read_value(struct reader *r)
{
	cJSON *node;
	switch (peek(r)) {
	case '{':
		r->i++;
		return read_list(r, cJSON_Object, '}');
	case '[':
		r->i++;
		return read_list(r, cJSON_Array, ']');
	case '"': {
		char *text = read_string(r);
		if (!text)
			return NULL;
		node = new_node(r, cJSON_String);
		node->valuestring = text;
		return node;
	}
	case 't':
		if (!read_word(r, "true"))
			return NULL;
		node = new_node(r, cJSON_True);
		node->valueint = 1;
		return node;
	case 'f':
		return read_word(r, "false") ? new_node(r, cJSON_False) : NULL;
	case 'n':
		return read_word(r, "null") ? new_node(r, cJSON_NULL) : NULL;
	default:
		return read_number(r);
	}
}

const cJSON *
jsonrec_tree_parse(struct jsonrec_arena *a, const char *text, size_t len, const char **end)
{
	struct reader r = { a, text, len, 0, 0 };
	if (!a || len == 0 || text[0] != '{')
		return NULL;
	const cJSON *rec = read_value(&r);
	if (rec && end)
		*end = text + r.i;
	return rec;
}
