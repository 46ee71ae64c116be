/* strace_line.c — one line of strace's output, read without the parser's
 * state: its prefix (pid, time), what kind of line it is, and for a whole
 * call its name, arguments and result.  Nothing here looks at processes
 * or fds, so the import can do it on one thread while another keeps the
 * state (strace_feed.c); detection reads lines the same way. */
#include <stdint.h>
#include <string.h>

#include "alibi/timeparse.h"
#include "strace_internal.h"

static int
is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

int
strace_read_pid(const char *s, size_t n, size_t *i, int32_t *pid)
{
	int64_t v = 0;
	size_t j = *i;
	while (j < n && is_digit(s[j]) && v <= INT32_MAX)
		v = v * 10 + (s[j++] - '0');
	if (j == *i || v > INT32_MAX)
		return -1;
	*pid = (int32_t)v;
	*i = j;
	return 0;
}

/* Eight bytes as one word, in memory order (memcpy: any alignment). */
static inline uint64_t
word8(const void *p)
{
	uint64_t w;
	memcpy(&w, p, sizeof w);
	return w;
}

/* 1 when every byte of w is an ASCII digit: the high nibble is 3, and
 * adding 6 does not carry out of the low one.  (Byte-wise constants, so
 * the byte order does not matter.) */
static inline int
all_digits8(uint64_t w)
{
	const uint64_t high = UINT64_C(0xF0F0F0F0F0F0F0F0), threes = UINT64_C(0x3030303030303030);
	return (w & high) == threes && ((w + UINT64_C(0x0606060606060606)) & high) == threes;
}

static inline int
digits2(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/* Exactly "hh:mm:ss.uuuuuu" (-tt, on nearly every line), read in place
 * by time_parse_time_of_day()'s rules (ranges, a leap second); anything
 * else is ALIBI_TS_NONE.  Its shape is tested a word at a time: the
 * separators where they belong, then, with '0' put in their place, twelve
 * digits. */
static int64_t
tt_time(const char *s)
{
	static const char sep_at[8] = { 0, 0, -1, 0, 0, -1, 0, 0 }, seps[8] = "\0\0:\0\0:\0";
	static const char dot_at[8] = { 0, -1, 0, 0, 0, 0, 0, 0 }, dot[8] = "\0.";
	const uint64_t zeros = UINT64_C(0x3030303030303030);
	uint64_t hms = word8(s), frac = word8(s + 7);  /* "hh:mm:ss", "s.uuuuuu" */
	uint64_t m1 = word8(sep_at), m2 = word8(dot_at);
	if ((hms & m1) != word8(seps) || (frac & m2) != word8(dot) ||
	    !all_digits8((hms & ~m1) | (zeros & m1)) || !all_digits8((frac & ~m2) | (zeros & m2)))
		return ALIBI_TS_NONE;
	int hh = digits2(s), mm = digits2(s + 3), ss = digits2(s + 6);
	if (hh > 23 || mm > 59 || ss > 60)
		return ALIBI_TS_NONE;
	int64_t us = digits2(s + 9) * 10000 + digits2(s + 11) * 100 + digits2(s + 13);
	return ((int64_t)hh * 3600 + mm * 60 + ss) * 1000000 + us;
}

/* "10:15:30.123456 ", "1577836800.123456 ", "     0.000123 ". */
static size_t
read_time(const char *s, size_t n, size_t i, struct prefix *px)
{
	/* -tt's "hh:mm:ss.uuuuuu " on nearly every line: no scan first. */
	if (n - i > 15 && s[i + 15] == ' ' && (px->ts = tt_time(s + i)) != ALIBI_TS_NONE) {
		px->time = TIME_OF_DAY;
		return strace_skip_spaces(s, n, i + 15);
	}
	size_t j = i, int_digits;
	while (j < n && is_digit(s[j]))
		j++;
	int_digits = j - i;
	if (j >= n || int_digits == 0)
		return i;
	if (s[j] == ':') {
		while (j < n && (is_digit(s[j]) || s[j] == ':' || s[j] == '.'))
			j++;
		px->time = TIME_OF_DAY;
		px->ts = time_parse_time_of_day(s + i, j - i);
	} else if (s[j] == '.') {
		for (j++; j < n && is_digit(s[j]); j++)
			;
		/* -r deltas are small; epoch seconds have had 10 digits since 2001. */
		px->time = int_digits >= 9 ? TIME_EPOCH : TIME_RELATIVE;
		px->ts = time_parse_epoch(s + i, j - i);
	} else {
		return i;
	}
	if (j >= n || s[j] != ' ' || px->ts == ALIBI_TS_NONE) {
		px->time = TIME_NONE;
		px->ts = ALIBI_TS_NONE;
		return i;
	}
	return strace_skip_spaces(s, n, j);
}

void
strace_parse_prefix(const char *s, size_t n, struct prefix *px)
{
	size_t i = 0;
	memset(px, 0, sizeof *px);
	px->ts = ALIBI_TS_NONE;
	if (n && is_digit(s[0])) {
		size_t j = 0;
		if (strace_read_pid(s, n, &j, &px->pid) == 0 && j < n && s[j] == ' ') {
			px->has_pid = 1;
			i = j;
		}
	} else if (strace_starts_with(s, n, "[pid ")) {
		size_t j = strace_skip_spaces(s, n, 5);
		if (strace_read_pid(s, n, &j, &px->pid) == 0 && j < n && s[j] == ']') {
			px->has_pid = px->bracket = 1;
			i = strace_skip_spaces(s, n, j + 1);
		}
	}
	i = strace_skip_spaces(s, n, i);
	i = read_time(s, n, i, px);
	/* -i and -n: "[00007f8e1c2d4e8b] " or "[ 257] " */
	if (i < n && s[i] == '[') {
		size_t j = i + 1;
		while (j < n && (s[j] == ' ' || is_digit(s[j]) || (s[j] >= 'a' && s[j] <= 'f')))
			j++;
		if (j + 1 < n && j > i + 1 && s[j] == ']' && s[j + 1] == ' ')
			i = strace_skip_spaces(s, n, j + 1);
	}
	px->body = s + i;
	px->len = n - i;
}

size_t
strace_strip_duration(const char *s, size_t n)
{
	if (n < 4 || s[n - 1] != '>')
		return n;
	size_t i = n - 1;
	while (i > 0 && (is_digit(s[i - 1]) || s[i - 1] == '.'))
		i--;
	if (i < 2 || i == n - 1 || s[i - 1] != '<' || s[i - 2] != ' ')
		return n;
	return i - 2;
}

/* ---- detection ---- */

/* 1 when the text after the prefix looks like strace wrote it. */
static int
looks_like_strace(const char *b, size_t n)
{
	if (strace_starts_with(b, n, "+++ ") || strace_starts_with(b, n, "--- ") ||
	    strace_starts_with(b, n, "<... ") || strace_starts_with(b, n, "strace: Process "))
		return 1;
	size_t name = strace_lex_name(b, n);
	if (!name || name >= n || b[name] != '(')
		return 0;
	if (n >= 16 && memcmp(b + n - 16, "<unfinished ...>", 16) == 0)
		return 1;
	/* ") = ", with strace's padding between ")" and "=". */
	for (size_t i = name + 1; i + 1 < n; i++) {
		if (b[i] != '=' || b[i + 1] != ' ')
			continue;
		size_t j = i;
		while (j > 0 && b[j - 1] == ' ')
			j--;
		if (j < i && j > 0 && b[j - 1] == ')')
			return 1;
	}
	return 0;
}

static int
blank_line(const char *s, size_t n)
{
	return strace_skip_spaces(s, n, 0) == n;
}

static int
strace_line(const char *s, size_t n)
{
	struct prefix px;
	strace_parse_prefix(s, n, &px);
	return looks_like_strace(px.body, strace_strip_duration(px.body, px.len));
}

int
strace_detect(const char *head, size_t len)
{
	return ingest_detect_lines(head, len, blank_line, strace_line);
}

/* Where "<unfinished ...>" or "<pid changed to N ...>" (a thread's execve,
 * strace >= 6.1) ends the line, or 0. */
static size_t
unfinished_at(const char *b, size_t n)
{
	static const char pc[] = "<pid changed to ";
	if (n >= 16 && memcmp(b + n - 16, "<unfinished ...>", 16) == 0)
		return n - 16;
	if (n < 24 || memcmp(b + n - 5, " ...>", 5) != 0)
		return 0;
	size_t i = n - 5;
	while (i > 0 && is_digit(b[i - 1]))
		i--;
	if (i >= sizeof pc - 1 && i < n - 5 && memcmp(b + i - (sizeof pc - 1), pc, sizeof pc - 1) == 0)
		return i - (sizeof pc - 1);
	return 0;
}

/* Where "strace: Process N attached" starts inside a call it interrupted
 * (strace on stderr prints it mid-line), or 0. */
static size_t
attach_inside(const char *b, size_t n)
{
	static const char msg[] = "strace: Process ";
	if (n < 30 || (memcmp(b + n - 9, " attached", 9) != 0 && memcmp(b + n - 9, " detached", 9) != 0))
		return 0;
	for (size_t i = 1; i + sizeof msg - 1 <= n; i++)
		if (b[i] == 's' && memcmp(b + i, msg, sizeof msg - 1) == 0)
			return i;
	return 0;
}

/* The length of the name when b starts a call "name(", else 0. */
static size_t
starts_call(const char *b, size_t n)
{
	size_t name = strace_lex_name(b, n);
	return name && name < n && b[name] == '(' ? name : 0;
}

/* What the text after the prefix is; 0 when it is no strace line.  For
 * an unfinished call, *cut is where its marker begins; for a call or a
 * detached one, *name is the length of its name. */
static int
classify(const char *b, size_t n, enum line_kind *kind, size_t *cut, size_t *name)
{
	*cut = *name = 0;
	if (strace_starts_with(b, n, "<... ")) {
		size_t len = strace_lex_name(b + 5, n - 5);
		*kind = LINE_RESUMED;
		return len && strace_starts_with(b + 5 + len, n - 5 - len, " resumed>");
	}
	if (strace_starts_with(b, n, "+++ ")) {
		*kind = LINE_EXIT;
		return n >= 8 && memcmp(b + n - 4, " +++", 4) == 0;
	}
	if (strace_starts_with(b, n, "--- ") && n >= 8 && memcmp(b + n - 4, " ---", 4) == 0) {
		*kind = LINE_SIGNAL;
		return 1;
	}
	if ((*cut = unfinished_at(b, n))) {
		while (*cut && b[*cut - 1] == ' ')
			(*cut)--;
		*kind = LINE_UNFINISHED;
		return starts_call(b, *cut) != 0;
	}
	*kind = n >= 14 && memcmp(b + n - 14, "<detached ...>", 14) == 0 ? LINE_DETACHED : LINE_CALL;
	return (*name = starts_call(b, n)) != 0;
}

/* A whole call; a process killed inside one leaves "<unfinished ...>) = ?",
 * which is read from join without the marker (*joined = 1). */
static int
lex_whole_call(const struct strace_parser *sp, struct strbuf *join, const char *b, size_t n,
               size_t name, struct strace_call *c, const char **problem, int *joined)
{
	const char *u = NULL;
	for (size_t i = 0; n && b[n - 1] == '?' && i + 17 <= n && !u; i++)
		if (b[i] == '<' && memcmp(b + i, "<unfinished ...>)", 17) == 0)
			u = b + i;
	if (!u)
		return strace_lex_named_call(sp, b, n, name, c, problem);
	size_t head = (size_t)(u - b);
	while (head && b[head - 1] == ' ')
		head--;
	sb_reset(join);
	sb_add(join, b, head);
	sb_add(join, u + 16, (size_t)(b + n - (u + 16)));
	*joined = 1;
	return strace_lex_call(sp, join->buf, join->len, c, problem);
}

void
strace_lex_line(const struct strace_parser *sp, const char *line, size_t len, int has_nul,
                struct line_lex *lx, struct strbuf *join)
{
	lx->joined = 0;
	lx->problem = "not an strace line";
	if (strace_skip_spaces(line, len, 0) == len || strace_starts_with(line, len, " > ")) {
		lx->what = LX_SKIP;  /* blank, or a -k stack frame */
		return;
	}
	if (has_nul) {
		lx->what = LX_NUL;
		return;
	}
	strace_parse_prefix(line, len, &lx->px);
	const char *b = lx->px.body;
	lx->blen = strace_strip_duration(b, lx->px.len);
	if ((lx->attach_at = attach_inside(b, lx->blen))) {
		lx->what = LX_ATTACH;
		return;
	}
	if (strace_starts_with(b, lx->blen, "strace: ")) {
		lx->what = LX_MESSAGE;
		return;
	}
	size_t name;
	if (!classify(b, lx->blen, &lx->kind, &lx->cut_at, &name) ||
	    (lx->kind == LINE_CALL &&
	     lex_whole_call(sp, join, b, lx->blen, name, &lx->c, &lx->problem, &lx->joined))) {
		lx->what = LX_BAD;
		return;
	}
	lx->what = LX_LINE;
}
