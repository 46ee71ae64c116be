/* strace_lex.c — reading one strace call: its arguments, strings, result,
 * socket addresses and flags.
 *
 * Everything here works on spans of the line and keeps no state.  The
 * scanner only needs to know where an argument ends, so it tracks
 * brackets, quoted strings, comments and -y fd annotations ("3</a,b>",
 * "3<TCP:[1.2.3.4:5->6.7.8.9:10]>"), and never looks at an argument's
 * meaning; the handlers decode the few arguments they need. */
#include <errno.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "strace_internal.h"

/* 1 for [A-Za-z0-9_], 2 for '?' (syscall names only); a table, since
 * names are lexed on every line. */
static const unsigned char ident_class[256] = {
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
	['8'] = 1, ['9'] = 1, ['_'] = 1, ['?'] = 2, ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1,
	['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1,
	['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1,
	['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1, ['A'] = 1, ['B'] = 1,
	['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1,
	['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
	['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1,
};

static int
is_ident(unsigned char ch)
{
	return ident_class[ch] == 1;
}

static int
is_space(char ch)
{
	return ch == ' ' || ch == '\t';
}

struct span
strace_trim(struct span s)
{
	while (s.n && is_space(s.p[0])) {
		s.p++;
		s.n--;
	}
	while (s.n && is_space(s.p[s.n - 1]))
		s.n--;
	return s;
}

size_t
strace_lex_name(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && ident_class[(unsigned char)s[i]])
		i++;
	if (i && s[0] >= '0' && s[0] <= '9')
		return 0;
	return i;
}

/* Index just past the closing quote of the string opening at s[i], or 0
 * when it is not closed. */
static size_t
skip_string(const char *s, size_t n, size_t i)
{
	for (i++; i < n; i++) {
		const char *q = memchr(s + i, '"', n - i);
		if (!q)
			return 0;
		/* The quote is escaped when an odd run of backslashes precedes it. */
		size_t j = (size_t)(q - s), k = j;
		while (k > i && s[k - 1] == '\\')
			k--;
		if ((j - k) % 2 == 0)
			return j + 1;
		i = j;
	}
	return 0;
}

/* Index just past an fd annotation opening at s[i] ('<'), or 0.  Paths
 * have their own '<' and '>' escaped, but may hold '[' (so brackets are
 * only counted in socket annotations, whose "->" sits inside them) and
 * carry a nested "<char 1:3>" under -yy. */
static size_t
skip_annotation(const char *s, size_t n, size_t i)
{
	int path_mode = i + 1 < n && s[i + 1] == '/';
	int angle = 0, bracket = 0;
	for (; i < n; i++) {
		char ch = s[i];
		if (ch == '\\') {
			i++;
		} else if (ch == '<') {
			angle++;
		} else if (ch == '>') {
			if ((path_mode || bracket == 0) && --angle == 0)
				return i + 1;
		} else if (!path_mode && ch == '[') {
			bracket++;
		} else if (!path_mode && ch == ']' && bracket > 0) {
			bracket--;
		}
	}
	return 0;
}

/* A -y path annotation without what -yy and the kernel add to it:
 * "/dev/null<char 1:3>" (a path's own '<' is escaped) and " (deleted)". */
static struct span
annotation_path(struct span a)
{
	if (a.n && a.p[0] == '/') {
		const char *lt = memchr(a.p, '<', a.n);
		if (lt)
			a.n = (size_t)(lt - a.p);
		if (a.n > 10 && memcmp(a.p + a.n - 10, " (deleted)", 10) == 0)
			a.n -= 10;
	}
	return a;
}

#define SCAN_UNTERMINATED ((size_t)-1)

/* The bytes scan_item() stops at; everything else is skipped in bulk. */
static const unsigned char special[256] = {
	['"'] = 1, ['('] = 1, ['['] = 1, ['{'] = 1, [')'] = 1, [']'] = 1,
	['}'] = 1, [','] = 1, ['<'] = 1, ['/'] = 1,
};

/* Index of the first special byte in s[i..n), or n.  Most of a line is
 * skipped here, so where SSE2 is there (every x86-64) 16 bytes are
 * looked at at once: "()" are 0x28/0x29 (one compare after & 0xFE),
 * "[{" and "]}" differ only in bit 0x20 (one compare each after & 0xDF). */
static size_t
skip_plain(const char *s, size_t n, size_t i)
{
#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
	const __m128i fe = _mm_set1_epi8((char)0xFE), df = _mm_set1_epi8((char)0xDF);
	const __m128i paren = _mm_set1_epi8('('), open = _mm_set1_epi8('['), close = _mm_set1_epi8(']');
	const __m128i quote = _mm_set1_epi8('"'), comma = _mm_set1_epi8(',');
	const __m128i lt = _mm_set1_epi8('<'), slash = _mm_set1_epi8('/');
	for (; i + 16 <= n; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		__m128i b = _mm_and_si128(v, df);
		__m128i m = _mm_or_si128(_mm_cmpeq_epi8(_mm_and_si128(v, fe), paren),
		                         _mm_or_si128(_mm_cmpeq_epi8(b, open), _mm_cmpeq_epi8(b, close)));
		m = _mm_or_si128(m, _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote),
		                                              _mm_cmpeq_epi8(v, comma)),
		                                 _mm_or_si128(_mm_cmpeq_epi8(v, lt),
		                                              _mm_cmpeq_epi8(v, slash))));
		unsigned bits = (unsigned)_mm_movemask_epi8(m);
		if (bits)
			return i + (size_t)__builtin_ctz(bits);
	}
#endif
	while (i < n && !special[(unsigned char)s[i]])
		i++;
	return i;
}

/* From i to the next ',' or ')' outside brackets and strings: returns its
 * index, n at the end of the text, SCAN_UNTERMINATED inside a string. */
static size_t
scan_item(const char *s, size_t n, size_t i)
{
	int depth = 0;
	while (i < n) {
		i = skip_plain(s, n, i);
		if (i >= n)
			break;
		char ch = s[i];
		switch (ch) {
		case '"': {
			size_t j = skip_string(s, n, i);
			if (!j)
				return SCAN_UNTERMINATED;
			i = j;
			continue;
		}
		case '(': case '[': case '{':
			depth++;
			break;
		case ')':
			if (depth == 0)
				return i;
			depth--;
			break;
		case ']': case '}':
			if (depth > 0)
				depth--;
			break;
		case ',':
			if (depth == 0)
				return i;
			break;
		case '<':
			if (i > 0 && is_ident((unsigned char)s[i - 1])) {
				size_t j = skip_annotation(s, n, i);
				if (j) {
					i = j;
					continue;
				}
			}
			break;
		case '/':
			if (i + 1 < n && s[i + 1] == '*') {
				const char *end = NULL;
				for (size_t k = i + 2; k + 1 < n; k++)
					if (s[k] == '*' && s[k + 1] == '/') {
						end = s + k;
						break;
					}
				if (!end)
					return n;
				i = (size_t)(end - s) + 2;
				continue;
			}
			break;
		default:
			break;
		}
		i++;
	}
	return n;
}

static void
add_arg(struct strace_call *c, struct span a)
{
	if (c->nargs < STRACE_MAX_ARGS)
		c->args[c->nargs] = a;
	c->nargs++;
}

/* Reads "E..." (an errno name) at s[i]. */
static size_t
lex_errname(const char *s, size_t n, size_t i, struct span *out)
{
	size_t j = i;
	if (j < n && s[j] == 'E') {
		while (j < n && is_ident((unsigned char)s[j]))
			j++;
		*out = (struct span){ s + i, j - i };
	}
	return j;
}

static void
keep_errname(struct strace_call *c)
{
	size_t n = c->err_name.n < sizeof c->err_buf - 1 ? c->err_name.n : sizeof c->err_buf - 1;
	if (n)
		memcpy(c->err_buf, c->err_name.p, n);
	c->err_buf[n] = '\0';
}

/* What follows a result ("ENOENT (No such file or directory)", "(flags
 * O_RDWR)", "<0.000012>") must close what it opens: a line cut inside it
 * is a truncated record, not a call with a shorter description. */
static int
result_tail_is_closed(const char *s, size_t n, size_t i)
{
	int parens = 0, angles = 0;
	for (; i < n; i++) {
		if (s[i] == '(')
			parens++;
		else if (s[i] == ')')
			parens--;
		else if (s[i] == '<')
			angles++;
		else if (s[i] == '>')
			angles--;
	}
	return parens == 0 && angles == 0;
}

/* "= 3</x>", "= -1 ENOENT (...)", "= ?", "= 0x1f (flags O_RDWR)". */
static int
lex_result(const char *s, size_t n, size_t i, struct strace_call *c, const char **problem)
{
	while (i < n && is_space(s[i]))
		i++;
	if (i >= n || s[i] != '=') {
		*problem = "call without a result";
		return -1;
	}
	i++;
	while (i < n && is_space(s[i]))
		i++;
	if (i >= n) {
		*problem = "call without a result";
		return -1;
	}
	if (s[i] == '?') {
		c->ret_known = 0;
		i++;
		while (i < n && is_space(s[i]))
			i++;
		lex_errname(s, n, i, &c->err_name);
		keep_errname(c);
		if (!result_tail_is_closed(s, n, i)) {
			*problem = "unterminated result";
			return -1;
		}
		return 0;
	}
	if (strace_parse_int((struct span){ s + i, n - i }, &c->ret)) {
		*problem = "malformed result";
		return -1;
	}
	c->ret_known = 1;
	if (s[i] == '-')
		i++;
	while (i < n && is_ident((unsigned char)s[i]))
		i++;
	if (i < n && s[i] == '<') {
		size_t j = skip_annotation(s, n, i);
		if (j) {
			c->ret_annot = annotation_path((struct span){ s + i + 1, j - i - 2 });
			i = j;
		}
	}
	while (i < n && is_space(s[i]))
		i++;
	lex_errname(s, n, i, &c->err_name);
	keep_errname(c);
	if (!result_tail_is_closed(s, n, i)) {
		*problem = "unterminated result";
		return -1;
	}
	return 0;
}

int
strace_lex_call(const char *s, size_t n, struct strace_call *c, const char **problem)
{
	size_t len = strace_lex_name(s, n);
	c->nargs = 0;
	c->ret_known = 0;
	c->ret = 0;
	c->ret_annot = (struct span){ NULL, 0 };
	c->err_name = (struct span){ NULL, 0 };
	c->err_buf[0] = '\0';
	if (!len || len >= n || s[len] != '(') {
		*problem = "not an strace line";
		return -1;
	}
	c->name = (struct span){ s, len };
	size_t i = len + 1;
	for (;;) {
		size_t j = scan_item(s, n, i);
		if (j == SCAN_UNTERMINATED) {
			*problem = "unterminated string";
			return -1;
		}
		if (j >= n) {
			*problem = "unterminated call";
			return -1;
		}
		struct span a = strace_trim((struct span){ s + i, j - i });
		if (s[j] == ',' || a.n || c->nargs)
			add_arg(c, a);
		i = j + 1;
		if (s[j] == ')')
			break;
	}
	return lex_result(s, n, i, c, problem);
}

/* ---- numbers, fds, fields ---- */

int
strace_parse_int(struct span s, int64_t *v)
{
	size_t i = 0;
	int neg = 0;
	uint64_t acc = 0;
	while (i < s.n && is_space(s.p[i]))
		i++;
	if (i < s.n && s.p[i] == '-') {
		neg = 1;
		i++;
	}
	if (i >= s.n || s.p[i] < '0' || s.p[i] > '9')
		return -1;
	unsigned base = 10;
	if (s.p[i] == '0' && i + 1 < s.n && (s.p[i + 1] == 'x' || s.p[i + 1] == 'X')) {
		base = 16;
		i += 2;
	} else if (s.p[i] == '0') {
		base = 8;
	}
	for (; i < s.n; i++) {
		unsigned ch = (unsigned char)s.p[i], d;
		if (ch >= '0' && ch <= '9')
			d = ch - '0';
		else if (base == 16 && ch >= 'a' && ch <= 'f')
			d = ch - 'a' + 10;
		else if (base == 16 && ch >= 'A' && ch <= 'F')
			d = ch - 'A' + 10;
		else
			break;
		if (d >= base)
			break;
		if (acc > (UINT64_MAX - d) / base)
			acc = UINT64_MAX;  /* saturate: a hostile 40-digit number */
		else
			acc = acc * base + d;
	}
	if (acc > (uint64_t)INT64_MAX)
		*v = neg ? INT64_MIN : INT64_MAX;  /* pointers past 2^63: only their size matters */
	else
		*v = neg ? -(int64_t)acc : (int64_t)acc;
	return 0;
}

int
strace_parse_fd(struct span s, int *fd, struct span *annot)
{
	s = strace_trim(s);
	size_t i;
	*annot = (struct span){ NULL, 0 };
	if (s.n >= 8 && memcmp(s.p, "AT_FDCWD", 8) == 0) {
		*fd = STRACE_AT_FDCWD;
		i = 8;
	} else {
		int64_t v;
		if (strace_parse_int(s, &v) || v < -1000 || v > INT32_MAX)
			return -1;
		*fd = (int)v;
		for (i = 0; i < s.n && (s.p[i] == '-' || is_ident((unsigned char)s.p[i])); i++)
			;
	}
	if (i < s.n && s.p[i] == '<' && s.p[s.n - 1] == '>')
		*annot = annotation_path((struct span){ s.p + i + 1, s.n - i - 2 });
	return 0;
}

/* The next top-level item of s (split at commas) from *pos; 0 at the end. */
static int
next_item(struct span s, size_t *pos, struct span *item)
{
	if (*pos >= s.n)
		return 0;
	size_t j = scan_item(s.p, s.n, *pos);
	if (j == SCAN_UNTERMINATED)
		j = s.n;
	*item = strace_trim((struct span){ s.p + *pos, j - *pos });
	*pos = j + 1;
	return 1;
}

/* The inside of "{...}" or "[...]", or s itself. */
static struct span
inner(struct span s)
{
	s = strace_trim(s);
	if (s.n >= 2 && ((s.p[0] == '{' && s.p[s.n - 1] == '}') ||
	                 (s.p[0] == '[' && s.p[s.n - 1] == ']'))) {
		s.p++;
		s.n -= 2;
	}
	return s;
}

int
strace_find_field(struct span s, const char *key, struct span *val)
{
	size_t klen = strlen(key), pos = 0;
	struct span item;
	s = inner(s);
	while (next_item(s, &pos, &item)) {
		if (item.n > klen && memcmp(item.p, key, klen) == 0 && item.p[klen] == '=') {
			*val = (struct span){ item.p + klen + 1, item.n - klen - 1 };
			return 0;
		}
	}
	return -1;
}

int
strace_has_token(struct span s, const char *word)
{
	size_t wl = strlen(word);
	for (size_t i = 0; i + wl <= s.n; i++) {
		if (s.p[i] != word[0] || memcmp(s.p + i, word, wl) != 0)
			continue;
		if (i > 0 && is_ident((unsigned char)s.p[i - 1]))
			continue;
		if (i + wl < s.n && is_ident((unsigned char)s.p[i + wl]))
			continue;
		return 1;
	}
	return 0;
}

unsigned
strace_open_flags(struct span s)
{
	s = strace_trim(s);
	unsigned f = 0;
	int64_t v;
	if (s.n && s.p[0] >= '0' && s.p[0] <= '9' && strace_parse_int(s, &v) == 0) {
		/* Undecoded flags (-X raw): the x86-64 / generic values. */
		if (v & 3)
			f |= STRACE_O_WRITE;
		if (v & 0100)
			f |= STRACE_O_CREAT;
		if (v & 01000)
			f |= STRACE_O_TRUNC;
		if (v & 0200000)
			f |= STRACE_O_DIRECTORY;
		if (v & 02000000)
			f |= STRACE_O_CLOEXEC;
		if (v & 010000000)
			f |= STRACE_O_PATH;
		return f;
	}
	if (strace_has_token(s, "O_WRONLY") || strace_has_token(s, "O_RDWR"))
		f |= STRACE_O_WRITE;
	if (strace_has_token(s, "O_CREAT"))
		f |= STRACE_O_CREAT;
	if (strace_has_token(s, "O_TRUNC"))
		f |= STRACE_O_TRUNC;
	if (strace_has_token(s, "O_DIRECTORY"))
		f |= STRACE_O_DIRECTORY;
	if (strace_has_token(s, "O_CLOEXEC"))
		f |= STRACE_O_CLOEXEC;
	if (strace_has_token(s, "O_PATH"))
		f |= STRACE_O_PATH;
	return f;
}

/* ---- strings ---- */

static int
hex_value(unsigned char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Decodes one escape at p[0] == '\\'; returns the bytes it used. */
static size_t
decode_escape(const char *p, size_t n, struct strbuf *out)
{
	if (n < 2) {
		sb_addc(out, '\\');
		return 1;
	}
	unsigned char ch = (unsigned char)p[1];
	switch (ch) {
	case 'n': sb_addc(out, '\n'); return 2;
	case 't': sb_addc(out, '\t'); return 2;
	case 'r': sb_addc(out, '\r'); return 2;
	case 'v': sb_addc(out, '\v'); return 2;
	case 'f': sb_addc(out, '\f'); return 2;
	case 'a': sb_addc(out, '\a'); return 2;
	case 'b': sb_addc(out, '\b'); return 2;
	case 'x': {
		size_t k = 2;
		int v = 0;
		while (k < n && k < 4 && hex_value((unsigned char)p[k]) >= 0)
			v = v * 16 + hex_value((unsigned char)p[k++]);
		if (k == 2) {
			sb_addc(out, 'x');
			return 2;
		}
		sb_addc(out, (char)v);
		return k;
	}
	default:
		if (ch >= '0' && ch <= '7') {
			size_t k = 1;
			int v = 0;
			while (k < n && k < 4 && p[k] >= '0' && p[k] <= '7')
				v = v * 8 + (p[k++] - '0');
			sb_addc(out, (char)(v & 0xff));
			return k;
		}
		sb_addc(out, (char)ch);
		return 2;
	}
}

void
strace_unescape(const char *p, size_t n, struct strbuf *out)
{
	size_t i = 0;
	sb_add(out, "", 0);
	while (i < n) {
		const char *bs = memchr(p + i, '\\', n - i);
		size_t run = bs ? (size_t)(bs - (p + i)) : n - i;
		sb_add(out, p + i, run);
		i += run;
		if (i < n)
			i += decode_escape(p + i, n - i, out);
	}
}

int
strace_decode_string(struct span arg, struct strbuf *out)
{
	struct span s = strace_trim(arg);
	sb_reset(out);
	sb_add(out, "", 0);
	if (s.n && s.p[0] == '@') {
		sb_addc(out, '@');
		s.p++;
		s.n--;
	}
	if (!s.n || s.p[0] != '"')
		return -1;
	size_t end = skip_string(s.p, s.n, 0);
	if (!end)
		return -1;
	strace_unescape(s.p + 1, end - 2, out);
	return (s.n - end >= 3 && memcmp(s.p + end, "...", 3) == 0) ? 1 : 0;
}

/* ---- addresses ---- */

/* The decoded string inside "name(...)", e.g. inet_addr("1.2.3.4"). */
static int
quoted_inside(struct span s, struct strbuf *out)
{
	const char *q = memchr(s.p, '"', s.n);
	if (!q)
		return -1;
	struct span rest = { q, s.n - (size_t)(q - s.p) };
	size_t end = skip_string(rest.p, rest.n, 0);
	if (!end)
		return -1;
	sb_reset(out);
	strace_unescape(rest.p + 1, end - 2, out);
	return 0;
}

static int
port_inside(struct span s)
{
	const char *lp = memchr(s.p, '(', s.n);
	int64_t v;
	struct span num = lp ? (struct span){ lp + 1, s.n - (size_t)(lp + 1 - s.p) } : s;
	if (strace_parse_int(num, &v) || v < 0 || v > 65535)
		return -1;
	return (int)v;
}

static int
span_is(struct span s, const char *lit)
{
	size_t n = strlen(lit);
	return s.n == n && memcmp(s.p, lit, n) == 0;
}

static int
parse_inet6(struct span s, struct strace_sockaddr *sa)
{
	struct span v, item;
	size_t pos = 0;
	sa->port = strace_find_field(s, "sin6_port", &v) == 0 ? port_inside(v) : -1;
	struct span in = inner(s);
	while (next_item(in, &pos, &item)) {
		if ((item.n > 10 && memcmp(item.p, "inet_pton(", 10) == 0) ||
		    (item.n > 10 && memcmp(item.p, "sin6_addr=", 10) == 0))
			return quoted_inside(item, &sa->host);
	}
	return -1;
}

int
strace_parse_sockaddr(struct span s, struct strace_sockaddr *sa)
{
	struct span fam, v;
	sa->family = 0;
	sa->port = -1;
	sb_reset(&sa->host);
	s = strace_trim(s);
	if (!s.n || s.p[0] != '{' || strace_find_field(s, "sa_family", &fam))
		return -1;
	if (span_is(fam, "AF_INET")) {
		sa->family = 1;
		if (strace_find_field(s, "sin_port", &v) == 0)
			sa->port = port_inside(v);
		if (strace_find_field(s, "sin_addr", &v) || quoted_inside(v, &sa->host))
			return -1;
		return 0;
	}
	if (span_is(fam, "AF_INET6")) {
		sa->family = 2;
		return parse_inet6(s, sa);
	}
	if (span_is(fam, "AF_UNIX") || span_is(fam, "AF_LOCAL")) {
		sa->family = 3;
		if (strace_find_field(s, "sun_path", &v) || strace_decode_string(v, &sa->host) < 0)
			return -1;
		return 0;
	}
	if (span_is(fam, "AF_UNSPEC")) {
		sa->family = 4;
		return 0;
	}
	return -1;
}

int
strace_parse_peer(struct span a, struct strbuf *host, int *port)
{
	if (!((a.n > 4 && memcmp(a.p, "TCP", 3) == 0) || (a.n > 4 && memcmp(a.p, "UDP", 3) == 0)))
		return -1;
	const char *arrow = NULL;
	for (size_t i = 0; i + 1 < a.n; i++)
		if (a.p[i] == '-' && a.p[i + 1] == '>')
			arrow = a.p + i;
	if (!arrow || a.p[a.n - 1] != ']')
		return -1;
	struct span peer = { arrow + 2, (size_t)(a.p + a.n - 1 - (arrow + 2)) };
	const char *colon = NULL;
	for (size_t i = 0; i < peer.n; i++)
		if (peer.p[i] == ':')
			colon = peer.p + i;
	if (!colon)
		return -1;
	struct span h = { peer.p, (size_t)(colon - peer.p) };
	int64_t v;
	if (strace_parse_int((struct span){ colon + 1, (size_t)(peer.p + peer.n - colon - 1) }, &v) ||
	    v < 0 || v > 65535)
		return -1;
	if (h.n >= 2 && h.p[0] == '[' && h.p[h.n - 1] == ']') {
		h.p++;
		h.n -= 2;
	}
	sb_reset(host);
	sb_add(host, h.p, h.n);
	*port = (int)v;
	return 0;
}

/* ---- argv ---- */

static int
shell_safe(const char *s, size_t n)
{
	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (!is_ident(ch) && !strchr("@%+=:,./-", ch))
			return 0;
		if (ch == 0)
			return 0;
	}
	return 1;
}

static void
shell_quote(struct strbuf *out, const char *s, size_t n)
{
	if (shell_safe(s, n)) {
		sb_add(out, s, n);
		return;
	}
	sb_addc(out, '\'');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\'')
			sb_adds(out, "'\\''");
		else
			sb_addc(out, s[i]);
	}
	sb_addc(out, '\'');
}

void
strace_format_argv(struct span arr, struct strbuf *out, struct strbuf *tmp)
{
	struct span s = strace_trim(arr), item;
	size_t pos = 0;
	sb_reset(out);
	sb_add(out, "", 0);
	if (!s.n || s.p[0] != '[') {
		sb_add(out, s.p, s.n);  /* NULL or an unreadable pointer */
		return;
	}
	s = inner(s);
	while (next_item(s, &pos, &item)) {
		if (out->len)
			sb_addc(out, ' ');
		int r = strace_decode_string(item, tmp);
		if (r < 0) {
			sb_add(out, item.p, item.n);  /* "...", or a pointer */
			continue;
		}
		shell_quote(out, tmp->buf, tmp->len);
		if (r == 1)
			sb_adds(out, "...");
	}
}

/* ---- errno names ---- */

#define STRACE_ERRNOS(X) \
	X(EPERM) X(ENOENT) X(ESRCH) X(EINTR) X(EIO) X(ENXIO) X(E2BIG) X(ENOEXEC) \
	X(EBADF) X(ECHILD) X(EAGAIN) X(ENOMEM) X(EACCES) X(EFAULT) X(EBUSY) \
	X(EEXIST) X(EXDEV) X(ENODEV) X(ENOTDIR) X(EISDIR) X(EINVAL) X(ENFILE) \
	X(EMFILE) X(ENOTTY) X(ETXTBSY) X(EFBIG) X(ENOSPC) X(ESPIPE) X(EROFS) \
	X(EMLINK) X(EPIPE) X(EDOM) X(ERANGE) X(EDEADLK) X(ENAMETOOLONG) X(ENOLCK) \
	X(ENOSYS) X(ENOTEMPTY) X(ELOOP) X(ENOMSG) X(ENODATA) X(ETIME) X(EOVERFLOW) \
	X(EILSEQ) X(ENOTSOCK) X(EDESTADDRREQ) X(EMSGSIZE) X(EPROTOTYPE) \
	X(ENOPROTOOPT) X(EPROTONOSUPPORT) X(EOPNOTSUPP) X(EAFNOSUPPORT) \
	X(EADDRINUSE) X(EADDRNOTAVAIL) X(ENETDOWN) X(ENETUNREACH) X(ECONNABORTED) \
	X(ECONNRESET) X(ENOBUFS) X(EISCONN) X(ENOTCONN) X(ETIMEDOUT) \
	X(ECONNREFUSED) X(EHOSTUNREACH) X(EALREADY) X(EINPROGRESS) X(ESTALE) \
	X(EDQUOT) X(ECANCELED) X(EOWNERDEAD) X(ENOTBLK)

static const struct {
	const char *name;
	int value;
} errnos[] = {
#define STRACE_ERRNO_ROW(e) { #e, e },
	STRACE_ERRNOS(STRACE_ERRNO_ROW)
#undef STRACE_ERRNO_ROW
	/* The kernel's restart codes, which strace shows by name. */
	{ "ERESTARTSYS", 512 }, { "ERESTARTNOINTR", 513 }, { "ERESTARTNOHAND", 514 },
	{ "ENOIOCTLCMD", 515 }, { "ERESTART_RESTARTBLOCK", 516 },
};

int
strace_errno_value(struct span name)
{
	for (size_t i = 0; i < sizeof errnos / sizeof errnos[0]; i++)
		if (span_is(name, errnos[i].name))
			return errnos[i].value;
	return 0;
}
