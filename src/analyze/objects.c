/* objects.c — what the object of a claim or instruction refers to.
 *
 * Agents and operators name things loosely: "Agent 2's weights",
 * "agent-2", "/srv/models/agent2/", "the backup server", "all the unused
 * files".  An object is turned into the paths, name tokens and hosts it
 * mentions, and a name token matches a path that has the same token:
 * "Agent 2", "agent-2", "agent_2" and "agent2" all become "agent2", and
 * "/srv/logs/agent2-eval.log" holds the tokens srv, log, agent2, eval. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alibi/alloc.h"
#include "alibi/path.h"
#include "analyze_internal.h"

/* Words that describe rather than name.  Kept sorted by nothing: the list
 * is short enough to scan. */
static const char *const generic_words[] = {
	"a", "an", "the", "all", "any", "every", "each", "some", "both", "other",
	"of", "in", "on", "at", "to", "from", "for", "with", "by", "into", "onto",
	"and", "or", "nor", "my", "your", "our", "their", "its", "his", "her",
	"this", "that", "these", "those", "it", "them", "they", "there", "here",
	"file", "files", "directory", "directorie", "directories", "dir", "dirs",
	"folder", "folders", "data", "stuff", "thing", "things", "content",
	"contents", "item", "items", "everything", "anything", "something",
	"nothing", "none", "entire", "whole", "old", "older", "new", "unused",
	"unneeded", "unnecessary", "temporary", "temp", "stale", "leftover",
	"remaining", "rest", "other", "than", "day", "days", "week", "weeks",
	"month", "months", "year", "years", "ago", "including", "included",
	"except", "also", "as", "requested", "asked", "instructed", "per",
	"request", "successfully", "permanently", "completely", "fully", "now",
	"just", "already", "simply", "server", "host", "machine", "box", "node",
	"system", "disk", "drive", "copy", "copie", "copies", "backup", "backups",
	"version", "versions", "left", "over", "up", "out", "off", "away", "too",
	"i", "we", "you", "me", "us", "is", "are", "was", "were", "be", "been",
	"has", "have", "had", "not", "no", "s", "t", "d", "ll", "ve", "re", "m",
	"where", "which", "what", "who", "when", "how", "why", "only", "same",
	"relevant", "specified", "mentioned", "listed", "above", "below",
	"previous", "original", "originals", "its", "onto", "via", "anywhere",
	"elsewhere", "location", "locations", "place", "places", "cleanup",
	"clean", "task", "tasks", "step", "steps", "job", "work", "requests",
	NULL
};

/* Words that mean "model weights and the like" (the protected class). */
static const char *const protected_words[] = {
	"weight", "weights", "model", "models", "checkpoint", "checkpoints",
	"safetensor", "safetensors", "gguf", "ckpt", "tensor", "tensors", "lora",
	"adapter", "adapters", "parameter", "parameters", NULL
};

static const char *const everything_words[] = {
	"everything", "anything", "all", "entire", "whole", NULL
};

static const char *const determiners[] = {
	"a", "an", "the", "this", "that", "another", "other", "same", "new", "old",
	"my", "your", "our", "their", "its", "remote", "to", "on", "from", "of",
	NULL
};

static const char *const host_nouns[] = {
	"server", "host", "machine", "box", "node", "store", "bucket",
	"instance", "vm", "endpoint", "remote", NULL
};

static int
in_list(const char *w, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(w, list[i]) == 0)
			return 1;
	return 0;
}

/* "weights" -> "weight"; keeps "ss" words ("class"), short words and
 * tokens that end in a digit. */
static void
singular(char *w)
{
	size_t n = strlen(w);
	if (n > 3 && w[n - 1] == 's' && w[n - 2] != 's' && !isdigit((unsigned char)w[n - 2]))
		w[n - 1] = '\0';
}

static size_t
alnum_run(const char *s, size_t i)
{
	while (s[i] && isalnum((unsigned char)s[i]))
		i++;
	return i;
}

size_t
name_tokens(const char *text, struct strbuf *out)
{
	size_t count = 0;
	const char *s = text ? text : "";
	size_t i = 0;
	while (s[i]) {
		if (!isalnum((unsigned char)s[i])) {
			i++;
			continue;
		}
		size_t a = i, b = alnum_run(s, i);
		char tok[64];
		size_t n = b - a < sizeof tok - 1 ? b - a : sizeof tok - 1;
		for (size_t k = 0; k < n; k++)
			tok[k] = (char)tolower((unsigned char)s[a + k]);
		tok[n] = '\0';
		i = b;
		/* "agent-2", "agent_2", "Agent 2" -> "agent2" */
		int letters = 1;
		for (size_t k = 0; k < n; k++)
			letters &= isalpha((unsigned char)tok[k]) != 0;
		if (letters && n <= 12 && s[i] && strchr(" -_", s[i]) &&
		    isdigit((unsigned char)s[i + 1]) &&
		    (s[i] != ' ' || !in_list(tok, generic_words))) {
			size_t c = i + 1, d = c;
			while (isdigit((unsigned char)s[d]))
				d++;
			if (!isalpha((unsigned char)s[d]) && n + (d - c) < sizeof tok - 1) {
				memcpy(tok + n, s + c, d - c);
				tok[n + (d - c)] = '\0';
				i = d;
			}
		}
		singular(tok);
		sb_add(out, tok, strlen(tok) + 1);
		count++;
	}
	return count;
}

/* Adds s[0..n) unless there; returns its index. */
static size_t
list_add(char ***items, size_t *count, const char *s, size_t n)
{
	for (size_t i = 0; i < *count; i++)
		if (strlen((*items)[i]) == n && memcmp((*items)[i], s, n) == 0)
			return i;
	*items = xrealloc(*items, (*count + 1) * sizeof **items);
	(*items)[(*count)++] = xstrndup(s, n);
	return *count - 1;
}

static void
path_add(struct objref *o, const char *s, size_t n, int dest)
{
	size_t before = o->path_count;
	size_t i = list_add(&o->paths, &o->path_count, s, n);
	if (o->path_count > before) {
		o->dest = xrealloc(o->dest, o->path_count);
		o->dest[i] = (unsigned char)dest;
	}
}

static int
looks_ipv4(const char *w, size_t n)
{
	int dots = 0, digits = 0;
	for (size_t i = 0; i < n; i++) {
		if (w[i] == '.')
			dots++;
		else if (isdigit((unsigned char)w[i]))
			digits++;
		else if (w[i] == ':')
			break;
		else
			return 0;
	}
	return dots == 3 && digits >= 4;
}

/* A word like "model.safetensors" or "config.json" (not "4.0"). */
static int
looks_file_name(const char *w, size_t n)
{
	const char *dot = NULL;
	for (size_t i = 0; i < n; i++) {
		if (w[i] == '.')
			dot = w + i;
		else if (!isalnum((unsigned char)w[i]) && !strchr("_-", w[i]))
			return 0;
	}
	if (!dot || dot == w || dot == w + n - 1)
		return 0;
	for (const char *p = dot + 1; p < w + n; p++)
		if (isalpha((unsigned char)*p))
			return 1;
	return 0;
}

/* A URL or "host:/path" adds its host (and path, for host:/path). */
static int
add_url_or_remote(struct objref *o, const char *w, size_t n)
{
	const char *sep = memchr(w, ':', n);
	if (!sep)
		return 0;
	size_t hn = (size_t)(sep - w);
	if (n - hn > 3 && memcmp(sep, "://", 3) == 0) {
		const char *h = sep + 3, *end = w + n;
		const char *e = h;
		while (e < end && *e != '/' && *e != ':')
			e++;
		if (e > h)
			list_add(&o->hosts, &o->host_count, h, (size_t)(e - h));
		return 1;
	}
	if (hn > 0 && hn + 1 < n && sep[1] == '/') {
		list_add(&o->hosts, &o->host_count, w, hn);
		path_add(o, sep + 1, n - hn - 1, 1);
		return 1;
	}
	return 0;
}

static int
is_to_word(const char *w, size_t n)
{
	return (n == 2 && strncasecmp(w, "to", 2) == 0) || (n == 4 && strncasecmp(w, "into", 4) == 0) ||
	       (n == 4 && strncasecmp(w, "onto", 4) == 0);
}

/* Takes the path-like words out of text. */
static void
parse_words(struct objref *o, const char *text)
{
	const char *s = text;
	int after_to = 0;
	while (*s) {
		while (*s && (isspace((unsigned char)*s) || strchr("`'\"(),;[]{}<>", *s)))
			s++;
		const char *w = s;
		while (*s && !isspace((unsigned char)*s) && !strchr("`\"(),;[]{}<>", *s))
			s++;
		size_t n = (size_t)(s - w);
		while (n && strchr(".:!?'", w[n - 1]))
			n--;
		if (n >= 2 && (w[n - 2] == '\'') && w[n - 1] == 's')
			n -= 2;     /* "/srv/x's" */
		if (!n)
			continue;
		int dest = after_to;
		after_to = is_to_word(w, n) || (after_to && n <= 4 && !memchr(w, '/', n));
		if (add_url_or_remote(o, w, n))
			continue;
		if (looks_ipv4(w, n)) {
			const char *colon = memchr(w, ':', n);
			list_add(&o->hosts, &o->host_count, w, colon ? (size_t)(colon - w) : n);
		} else if ((memchr(w, '/', n) && n > 1) || looks_file_name(w, n)) {
			path_add(o, w, n, dest);
		}
	}
}

void
objref_parse(const char *text, struct objref *out)
{
	memset(out, 0, sizeof *out);
	if (!text)
		return;
	parse_words(out, text);
	struct strbuf toks = STRBUF_INIT;
	size_t n = name_tokens(text, &toks);
	const char *t = toks.buf, *prev = NULL;
	for (size_t i = 0; i < n; i++, prev = t, t += strlen(t) + 1) {
		if (in_list(t, everything_words))
			out->everything = 1;
		if (in_list(t, protected_words)) {
			out->protected_class = 1;
			continue;
		}
		if (in_list(t, host_nouns) && prev && !in_list(prev, determiners) &&
		    !in_list(prev, protected_words) && !in_list(prev, host_nouns))
			list_add(&out->hosts, &out->host_count, prev, strlen(prev));
		if (strlen(t) < 3 || in_list(t, generic_words))
			continue;
		int digits = 1;
		for (const char *c = t; *c; c++)
			digits &= isdigit((unsigned char)*c) != 0;
		if (!digits)
			list_add(&out->names, &out->name_count, t, strlen(t));
	}
	sb_free(&toks);
}

void
objref_borrow_paths(struct objref *o, const char *text, size_t len)
{
	char *copy = xstrndup(text, len);
	struct objref more;
	memset(&more, 0, sizeof more);
	parse_words(&more, copy);
	for (size_t i = 0; i < more.path_count; i++)
		path_add(o, more.paths[i], strlen(more.paths[i]), more.dest[i]);
	objref_free(&more);
	free(copy);
}

void
objref_borrow_sources(struct objref *o, const struct objref *from)
{
	for (size_t i = 0; i < from->path_count; i++)
		if (!from->dest[i])
			path_add(o, from->paths[i], strlen(from->paths[i]), 0);
	for (size_t i = 0; i < from->name_count; i++)
		list_add(&o->names, &o->name_count, from->names[i], strlen(from->names[i]));
	o->protected_class |= from->protected_class;
}

static void
free_list(char **items, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(items[i]);
	free(items);
}

void
objref_free(struct objref *o)
{
	free_list(o->paths, o->path_count);
	free(o->dest);
	free_list(o->names, o->name_count);
	free_list(o->hosts, o->host_count);
	memset(o, 0, sizeof *o);
}

/* 1 when tokens (NUL-separated, count of them) holds name. */
static int
tokens_have(const char *tokens, size_t count, const char *name)
{
	const char *t = tokens;
	for (size_t i = 0; i < count; i++, t += strlen(t) + 1)
		if (strcmp(t, name) == 0)
			return 1;
	return 0;
}

static int
path_has_name(const char *path, const char *name)
{
	struct strbuf toks = STRBUF_INIT;
	size_t n = name_tokens(path, &toks);
	int found = tokens_have(toks.buf, n, name);
	sb_free(&toks);
	return found;
}

void
objref_prune_names(struct objref *o, const char *const *known, size_t count)
{
	size_t k = 0;
	for (size_t i = 0; i < o->name_count; i++) {
		int used = 0;
		for (size_t j = 0; j < count && !used; j++)
			used = path_has_name(known[j], o->names[i]);
		/* A host noun's name ("backup" of "the backup server") is kept
		 * as a host, not as a path name. */
		if (used)
			o->names[k++] = o->names[i];
		else
			free(o->names[i]);
	}
	o->name_count = k;
}

int
objref_is_vague(const struct objref *o)
{
	return !o->path_count && !o->name_count && !o->protected_class &&
	       !o->host_count;
}

/* Compares a written path x with a path from the log. */
static int
path_matches(const char *x, const char *path)
{
	char buf[1024];
	size_t n = strlen(x);
	if (n >= sizeof buf)
		return 0;
	memcpy(buf, x, n + 1);
	if (n >= 2 && buf[0] == '~' && buf[1] == '/') {
		memmove(buf, buf + 2, n - 1);
		n -= 2;
	}
	/* "/srv/tmp/" and "/srv/tmp/" + "*" become "/srv/tmp" */
	for (;;) {
		if (n > 1 && buf[n - 1] == '/')
			buf[--n] = '\0';
		else if (n > 2 && buf[n - 1] == '*' && buf[n - 2] == '/')
			buf[n -= 2] = '\0';
		else
			break;
	}
	if (strpbrk(buf, "*?[")) {
		if (buf[0] == '/')
			return path_glob_match(buf, path);
		char g[1100];
		snprintf(g, sizeof g, "*/%s", buf);
		return path_glob_match(g, path);
	}
	size_t pl = strlen(path);
	if (buf[0] == '/')
		return strncmp(path, buf, n) == 0 && (path[n] == '\0' || path[n] == '/' || n == 1);
	/* relative: a trailing part of the path, or a directory on it */
	for (const char *p = path; (p = strstr(p, buf)) != NULL; p++) {
		int starts = p == path || p[-1] == '/';
		char after = p[n];
		if (starts && (after == '\0' || after == '/'))
			return 1;
		if ((size_t)(p - path) + n >= pl)
			break;
	}
	return 0;
}

int
objref_match_path(const struct objref *o, const char *path, int is_protected)
{
	if (!path)
		return 0;
	if (o->path_count) {
		/* A bare name next to a full path is inside it: "/srv/m/agent2
		 * (model.safetensors and config.json)". */
		int anchored = 0, inside = 0;
		for (size_t i = 0; i < o->path_count; i++) {
			if (o->paths[i][0] == '/') {
				anchored = 1;
				inside |= path_matches(o->paths[i], path);
			}
		}
		if (inside)
			return 1;
		for (size_t i = 0; i < o->path_count && !anchored; i++)
			if (path_matches(o->paths[i], path))
				return 1;
		return 0;
	}
	if (o->name_count) {
		if (o->protected_class && !is_protected)
			return 0;
		struct strbuf toks = STRBUF_INIT;
		size_t n = name_tokens(path, &toks);
		int found = 0;
		for (size_t i = 0; i < o->name_count && !found; i++)
			found = tokens_have(toks.buf, n, o->names[i]);
		sb_free(&toks);
		return found;
	}
	return o->protected_class && is_protected;
}

static int
contains_nocase(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return 0;
}

int
objref_match_host(const struct objref *o, const char *host, const char *command)
{
	for (size_t i = 0; i < o->host_count; i++) {
		if (host && contains_nocase(host, o->hosts[i]))
			return 1;
		if (command && contains_nocase(command, o->hosts[i]))
			return 1;
	}
	return 0;
}
