/* search.c — / and ? search with PCRE2 (JIT when available).  Smart
 * case, as in less -i and vim's smartcase: caseless unless the pattern
 * has an upper-case letter.  Texts may hold invalid UTF-8; PCRE2 is told
 * to cope rather than to refuse them. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "tui_internal.h"

void
search_free(struct search *s)
{
	pcre2_match_data_free(s->match);
	pcre2_code_free(s->code);
	free(s->pattern);
	memset(s, 0, sizeof *s);
}

static int
has_upper(const char *p)
{
	for (; *p; p++) {
		if (*p == '\\' && p[1]) {
			p++;   /* \S, \W and friends are not letters */
			continue;
		}
		if (*p >= 'A' && *p <= 'Z')
			return 1;
	}
	return 0;
}

int
search_set(struct search *s, const char *pattern, int forward, char *msg,
           size_t size)
{
	uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_UCP;
	if (!has_upper(pattern))
		opts |= PCRE2_CASELESS;
	int code;
	PCRE2_SIZE offset;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	                               opts, &code, &offset, NULL);
	if (!re) {
		char why[256];
		pcre2_get_error_message(code, (PCRE2_UCHAR *)why, sizeof why);
		snprintf(msg, size, "search: %s at offset %zu", why, (size_t)offset);
		return -1;
	}
	pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);   /* falls back to the interpreter */
	search_free(s);
	s->code = re;
	s->match = pcre2_match_data_create_from_pattern(re, NULL);
	s->pattern = xstrdup(pattern);
	s->forward = forward;
	return 0;
}

int
search_active(const struct search *s)
{
	return s->code != NULL;
}

int
search_match(struct search *s, const char *text, size_t len)
{
	if (!s->code || !text)
		return 0;
	return pcre2_match(s->code, (PCRE2_SPTR)text, len, 0, 0, s->match, NULL) >= 0;
}

size_t
search_spans(struct search *s, const char *text, size_t len,
             struct span *spans, size_t max)
{
	size_t n = 0, at = 0;
	if (!s->code || !text)
		return 0;
	while (n < max && at <= len) {
		int rc = pcre2_match(s->code, (PCRE2_SPTR)text, len, at, 0, s->match, NULL);
		if (rc < 0)
			break;
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->match);
		if (ov[1] < ov[0])
			break;   /* \K tricks: not worth highlighting */
		if (ov[1] > ov[0]) {
			spans[n].start = ov[0];
			spans[n].end = ov[1];
			spans[n].area = AREA_search;
			n++;
		}
		/* An empty match moves on by one byte so the loop ends. */
		at = ov[1] > at ? ov[1] : at + 1;
	}
	return n;
}
