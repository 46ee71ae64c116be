/* strace_lex.c — reading one strace call: its arguments, strings, result,
 * socket addresses and flags.
 *
 * Everything here works on spans of the line and keeps no state.  The
 * scanner only needs to know where an argument ends, so it tracks
 * brackets, quoted strings, comments and -y fd annotations ("3</a,b>",
 * "3<TCP:[1.2.3.4:5->6.7.8.9:10]>"), and never looks at an argument's
 * meaning; the handlers decode the few arguments they need (with
 * strace_decode.c).  A call whose name no handler has is only checked:
 * its arguments are scanned to their end, as a bad record must still be
 * told, but not split. */
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

size_t
strace_skip_string(const char *s, size_t n, size_t i)
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

/* Index of the first of '<' '>' '[' '\\' ']' in s[i..n), or n: the only
 * bytes an annotation's scan looks at.  Paths under -y fill most lines,
 * so 16 bytes are looked at at once where SSE2 is there: '<' and '>' are
 * 0x3C and 0x3E (one compare after & 0xFD), '[' '\\' ']' the run 0x5B to
 * 0x5D (one unsigned range check). */
static size_t
skip_annotation_plain(const char *s, size_t n, size_t i)
{
#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
	const __m128i fd = _mm_set1_epi8((char)0xFD), lt = _mm_set1_epi8('<');
	const __m128i lo = _mm_set1_epi8('['), two = _mm_set1_epi8(2);
	for (; i + 16 <= n; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		__m128i d = _mm_sub_epi8(v, lo);
		__m128i m = _mm_or_si128(_mm_cmpeq_epi8(_mm_and_si128(v, fd), lt),
		                         _mm_cmpeq_epi8(_mm_min_epu8(d, two), d));
		unsigned bits = (unsigned)_mm_movemask_epi8(m);
		if (bits)
			return i + (size_t)__builtin_ctz(bits);
	}
#endif
	for (; i < n; i++) {
		char ch = s[i];
		if (ch == '<' || ch == '>' || ch == '[' || ch == '\\' || ch == ']')
			return i;
	}
	return n;
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
		i = skip_annotation_plain(s, n, i);
		if (i >= n)
			break;
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

static unsigned
lowest_bit(unsigned bits)
{
#if defined(__GNUC__) || defined(__clang__)
	return (unsigned)__builtin_ctz(bits);
#else
	unsigned k = 0;
	while (!(bits & 1u)) {
		bits >>= 1;
		k++;
	}
	return k;
#endif
}

#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
/* The special bytes of p[0..16) as bits.  "()" are 0x28/0x29 (one compare
 * after & 0xFE), "[{" and "]}" differ only in bit 0x20 (one compare each
 * after & 0xDF); without commas the ',' compare looks for '"' again. */
static inline unsigned
special_mask16(const char *p, int commas)
{
	const __m128i fe = _mm_set1_epi8((char)0xFE), df = _mm_set1_epi8((char)0xDF);
	const __m128i paren = _mm_set1_epi8('('), open = _mm_set1_epi8('['), close = _mm_set1_epi8(']');
	const __m128i quote = _mm_set1_epi8('"'), comma = _mm_set1_epi8(commas ? ',' : '"');
	const __m128i lt = _mm_set1_epi8('<'), slash = _mm_set1_epi8('/');
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i b = _mm_and_si128(v, df);
	__m128i m = _mm_or_si128(_mm_cmpeq_epi8(_mm_and_si128(v, fe), paren),
	                         _mm_or_si128(_mm_cmpeq_epi8(b, open), _mm_cmpeq_epi8(b, close)));
	m = _mm_or_si128(m, _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote),
	                                              _mm_cmpeq_epi8(v, comma)),
	                                 _mm_or_si128(_mm_cmpeq_epi8(v, lt),
	                                              _mm_cmpeq_epi8(v, slash))));
	return (unsigned)_mm_movemask_epi8(m);
}
#endif

/* The special bytes of s[i..i+16) that lie before n, as bits: bit k for
 * s[i + k]; ',' counts only when commas is set.  Most of a line is
 * skipped here, so where SSE2 is there (every x86-64) the 16 bytes are
 * looked at at once, and the last ones of a text as the 16 that end it. */
static inline unsigned
special_bits(const char *s, size_t n, size_t i, int commas)
{
#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
	if (i + 16 <= n)
		return special_mask16(s + i, commas);
	if (n >= 16)
		return special_mask16(s + n - 16, commas) >> (i - (n - 16));
#endif
	unsigned bits = 0;
	for (size_t k = 0; k < 16 && i + k < n; k++) {
		unsigned char ch = (unsigned char)s[i + k];
		if (special[ch] && (commas || ch != ','))
			bits |= 1u << k;
	}
	return bits;
}

/* Index just past the comment "/\* ... *\/" opening at s[i], or 0 when
 * it is not closed. */
static size_t
skip_comment(const char *s, size_t n, size_t i)
{
	for (size_t k = i + 2; k + 1 < n; k++)
		if (s[k] == '*' && s[k + 1] == '/')
			return k + 2;
	return 0;
}

/* From i to the next ',' or ')' outside brackets and strings: returns its
 * index, n at the end of the text, SCAN_UNTERMINATED inside a string.
 * Without commas only ')' ends it: the end of a whole argument list,
 * found as the item-by-item scan would find it, since that scan too is
 * at depth 0 after each ','.
 *
 * The special bytes of 16 at a time come as bits and are taken in order;
 * a string, annotation or comment moves the scan past its end. */
static inline size_t
scan_item(const char *s, size_t n, size_t i, int commas)
{
	int depth = 0;
	while (i < n) {
		size_t base = i;
		unsigned bits = special_bits(s, n, base, commas);
		i = n - base > 16 ? base + 16 : n;
		for (; bits; bits &= bits - 1) {
			size_t k = base + lowest_bit(bits), past = 0;
			switch (s[k]) {
			case '"':
				if (!(past = strace_skip_string(s, n, k)))
					return SCAN_UNTERMINATED;
				break;
			case '(': case '[': case '{':
				depth++;
				break;
			case ')':
				if (depth == 0)
					return k;
				depth--;
				break;
			case ']': case '}':
				if (depth > 0)
					depth--;
				break;
			case ',':
				if (depth == 0 && commas)
					return k;
				break;
			case '<':
				if (k > 0 && is_ident((unsigned char)s[k - 1]))
					past = skip_annotation(s, n, k);
				break;
			case '/':
				if (k + 1 < n && s[k + 1] == '*' && !(past = skip_comment(s, n, k)))
					return n;
				break;
			default:
				break;
			}
			if (past) {
				i = past;
				break;
			}
		}
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

/* "= 3</x>", "= -1 ENOENT (...)", "= ?", "= 0x1f (flags O_RDWR)".  With
 * keep 0 the result is only checked: the value, annotation and errno
 * name of a call no handler reads are not taken out. */
static int
lex_result(const char *s, size_t n, size_t i, struct strace_call *c, int keep,
           const char **problem)
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
	/* strace_parse_int() reads a number exactly when a digit comes
	 * first, after a '-'. */
	size_t digit = i + (s[i] == '-');
	if (digit >= n || s[digit] < '0' || s[digit] > '9') {
		*problem = "malformed result";
		return -1;
	}
	if (keep)
		strace_parse_int((struct span){ s + i, n - i }, &c->ret);
	c->ret_known = 1;
	i = digit;
	while (i < n && is_ident((unsigned char)s[i]))
		i++;
	if (i < n && s[i] == '<') {
		size_t j = skip_annotation(s, n, i);
		if (j) {
			if (keep)
				c->ret_annot = annotation_path((struct span){ s + i + 1, j - i - 2 });
			i = j;
		}
	}
	while (i < n && is_space(s[i]))
		i++;
	if (keep) {
		lex_errname(s, n, i, &c->err_name);
		keep_errname(c);
	}
	if (!result_tail_is_closed(s, n, i)) {
		*problem = "unterminated result";
		return -1;
	}
	return 0;
}

/* The arguments of "name(" ... ")" from i: kept in c, or with keep 0
 * only checked (one pass to the closing ')', without splitting). */
static int
lex_args(const char *s, size_t n, size_t *ip, struct strace_call *c, int keep,
         const char **problem)
{
	size_t i = *ip;
	for (;;) {
		size_t j = scan_item(s, n, i, keep);
		if (j == SCAN_UNTERMINATED) {
			*problem = "unterminated string";
			return -1;
		}
		if (j >= n) {
			*problem = "unterminated call";
			return -1;
		}
		if (keep) {
			struct span a = strace_trim((struct span){ s + i, j - i });
			if (s[j] == ',' || a.n || c->nargs)
				add_arg(c, a);
		}
		i = j + 1;
		if (s[j] == ')')
			break;
	}
	*ip = i;
	return 0;
}

int
strace_lex_call(const struct strace_parser *sp, const char *s, size_t n,
                struct strace_call *c, const char **problem)
{
	return strace_lex_named_call(sp, s, n, strace_lex_name(s, n), c, problem);
}

int
strace_lex_named_call(const struct strace_parser *sp, const char *s, size_t n, size_t len,
                      struct strace_call *c, const char **problem)
{
	c->entry = NULL;
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
	c->entry = strace_call_lookup(sp, c->name);
	size_t i = len + 1;
	int keep = c->entry != NULL;
	if (lex_args(s, n, &i, c, keep, problem))
		return -1;
	return lex_result(s, n, i, c, keep, problem);
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
		/* Saturate on a hostile 40-digit number; the exact test (a
		 * division) only near the top. */
		if (acc >= UINT64_MAX / 16 - 1 && acc > (UINT64_MAX - d) / base)
			acc = UINT64_MAX;
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

int
strace_next_item(struct span s, size_t *pos, struct span *item)
{
	if (*pos >= s.n)
		return 0;
	size_t j = scan_item(s.p, s.n, *pos, 1);
	if (j == SCAN_UNTERMINATED)
		j = s.n;
	*item = strace_trim((struct span){ s.p + *pos, j - *pos });
	*pos = j + 1;
	return 1;
}

struct span
strace_inner(struct span s)
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
	s = strace_inner(s);
	while (strace_next_item(s, &pos, &item)) {
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
		if (v & 02000)
			f |= STRACE_O_APPEND;
		if (v & 0200000)
			f |= STRACE_O_DIRECTORY;
		if (v & 02000000)
			f |= STRACE_O_CLOEXEC;
		if (v & 010000000)
			f |= STRACE_O_PATH;
		return f;
	}
	/* One pass over the words ("O_RDONLY|O_CLOEXEC"): a flag is a whole
	 * word, as strace_has_token() would find it. */
	static const struct {
		const char *word;
		size_t len;
		unsigned flag;
	} names[] = {
		{ "O_WRONLY", 8, STRACE_O_WRITE }, { "O_RDWR", 6, STRACE_O_WRITE },
		{ "O_CREAT", 7, STRACE_O_CREAT }, { "O_TRUNC", 7, STRACE_O_TRUNC },
		{ "O_DIRECTORY", 11, STRACE_O_DIRECTORY }, { "O_CLOEXEC", 9, STRACE_O_CLOEXEC },
		{ "O_PATH", 6, STRACE_O_PATH }, { "O_APPEND", 8, STRACE_O_APPEND },
	};
	size_t i = 0;
	while (i < s.n) {
		while (i < s.n && !is_ident((unsigned char)s.p[i]))
			i++;
		size_t start = i;
		while (i < s.n && is_ident((unsigned char)s.p[i]))
			i++;
		for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
			if (names[k].len == i - start &&
			    memcmp(s.p + start, names[k].word, i - start) == 0)
				f |= names[k].flag;
	}
	return f;
}
