/* path.c — path join, lexical normalisation, glob matching, slugs
 * (see alibi/path.h).  Nothing here touches the file system: the paths
 * come from logs of another machine. */
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/path.h"

#define PATH_COMPONENT_MAX 100

/* Drops the last component written to p[0..*len) (for ".."); returns 0
 * when there is none to drop in a relative path (the ".." must stay). */
static int
pop_component(char *p, size_t *len, size_t root_len)
{
	size_t start = *len;
	while (start > root_len && p[start - 1] != '/')
		start--;
	if (*len - start == 2 && p[start] == '.' && p[start + 1] == '.')
		return 0;  /* "../.." in a relative path: keep both */
	if (*len == root_len)
		return root_len != 0;  /* above the root: stays at the root */
	*len = start > root_len ? start - 1 : root_len;
	return 1;
}

char *
path_normalize(char *p)
{
	if (!p || !*p)
		return p;
	size_t root_len = p[0] == '/';
	size_t out = root_len, i = root_len;
	while (p[i]) {
		while (p[i] == '/')
			i++;
		if (!p[i])
			break;
		size_t n = strcspn(p + i, "/");
		if (n == 1 && p[i] == '.') {
			i += n;
			continue;
		}
		if (n == 2 && p[i] == '.' && p[i + 1] == '.' && pop_component(p, &out, root_len)) {
			i += n;
			continue;
		}
		if (out > root_len)
			p[out++] = '/';
		memmove(p + out, p + i, n);
		out += n;
		i += n;
	}
	if (out == 0)
		p[out++] = '.';  /* "a/.." is the current directory */
	p[out] = '\0';
	return p;
}

void
path_join(struct strbuf *out, const char *base, const char *rel)
{
	struct strbuf tmp = STRBUF_INIT;
	if (!rel)
		rel = "";
	if (rel[0] != '/' && base && *base) {
		sb_adds(&tmp, base);
		sb_addc(&tmp, '/');
	}
	sb_adds(&tmp, rel);
	if (tmp.len) {
		path_normalize(tmp.buf);
		sb_adds(out, tmp.buf);
	} else {
		sb_add(out, "", 0);
	}
	sb_free(&tmp);
}

/* Matches one "[...]" class at *pp against c.  Returns 1 or 0 and moves
 * *pp past the class, or -1 (pattern untouched) when the class is not
 * closed, so that '[' is then an ordinary character. */
static int
match_class(const char **pp, unsigned char c)
{
	const unsigned char *p = (const unsigned char *)*pp + 1;
	int negate = *p == '!' || *p == '^';
	int found = 0;
	if (negate)
		p++;
	const unsigned char *first = p;
	while (*p && (*p != ']' || p == first)) {
		unsigned char lo = *p, hi = *p;
		if (p[1] == '-' && p[2] && p[2] != ']') {
			hi = p[2];
			p += 2;
		}
		if (c >= lo && c <= hi)
			found = 1;
		p++;
	}
	if (*p != ']')
		return -1;
	*pp = (const char *)p + 1;
	return found != negate;
}

/* "**" followed by '/' at the start of a component: zero or more
 * directories. */
static int
at_any_dirs(const char *pattern, const char *p)
{
	return p[0] == '*' && p[1] == '*' && p[2] == '/' && (p == pattern || p[-1] == '/');
}

/* Iterative matching with one backtrack point for the last '*' seen:
 * linear in practice, no exponential blow-up on hostile paths. */
static int
glob_from(const char *pattern, const char *p, const char *s)
{
	const char *star_p = NULL, *star_s = NULL;
	for (;;) {
		if (at_any_dirs(pattern, p)) {
			for (const char *t = s; t; t = strchr(t, '/'), t = t ? t + 1 : NULL)
				if (glob_from(pattern, p + 3, t))
					return 1;
			goto backtrack;
		}
		if (*p == '*') {
			while (*p == '*')
				p++;
			star_p = p;
			star_s = s;
			continue;
		}
		if (!*p) {
			if (!*s)
				return 1;
			goto backtrack;
		}
		if (!*s)
			return 0;
		if (*p == '?') {
			p++, s++;
			continue;
		}
		if (*p == '[') {
			const char *q = p;
			int r = match_class(&q, (unsigned char)*s);
			if (r == 1) {
				p = q, s++;
				continue;
			}
			if (r == 0)
				goto backtrack;
		}
		if (*p == '\\' && p[1])
			p++;
		if (*p == *s) {
			p++, s++;
			continue;
		}
backtrack:
		if (!star_p || !*star_s)
			return 0;
		p = star_p;
		s = ++star_s;
	}
}

int
path_glob_match(const char *pattern, const char *path)
{
	if (!pattern || !path)
		return 0;
	return glob_from(pattern, pattern, path);
}

int
path_is_within(const char *root, const char *path)
{
	if (!root || !path || !*root || !*path)
		return 0;
	char *r = path_normalize(xstrdup(root));
	char *p = path_normalize(xstrdup(path));
	size_t n = strlen(r);
	int within;
	if (strcmp(r, "/") == 0)
		within = p[0] == '/';
	else if (strcmp(r, ".") == 0)
		within = p[0] != '/' && strcmp(p, "..") != 0 && strncmp(p, "../", 3) != 0;
	else
		within = strncmp(p, r, n) == 0 && (p[n] == '\0' || p[n] == '/');
	free(r);
	free(p);
	return within;
}

const char *
path_basename(const char *path)
{
	if (!path)
		return "";
	const char *slash = strrchr(path, '/');
	if (!slash)
		return path;
	if (slash == path && !slash[1])
		return path;  /* "/" is its own last component */
	return slash + 1;
}

static int
is_safe_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '-';
}

int
path_is_safe_component(const char *name)
{
	if (!name || !*name || name[0] == '.')
		return 0;
	size_t n = 0;
	for (; name[n]; n++)
		if (n >= PATH_COMPONENT_MAX || !is_safe_char((unsigned char)name[n]))
			return 0;
	return 1;
}

void
path_slugify(struct strbuf *out, const char *text)
{
	size_t start = out->len;
	int dash = 0;
	for (const unsigned char *t = (const unsigned char *)(text ? text : ""); *t; t++) {
		unsigned char c = *t;
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
			dash = 1;
			continue;
		}
		/* A run of other characters becomes one '-', never a leading one;
		 * the dash is written only with a character after it. */
		size_t need = dash && out->len > start ? 2 : 1;
		if (out->len - start + need > PATH_COMPONENT_MAX)
			break;
		if (need == 2)
			sb_addc(out, '-');
		dash = 0;
		sb_addc(out, (char)c);
	}
	if (out->len == start)
		sb_adds(out, "incident");
}
