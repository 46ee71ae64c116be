/* objects.c — what the object of a claim or instruction refers to.
 *
 * Agents and operators name things loosely: "Agent 2's weights",
 * "agent-2", "/srv/models/agent2/", "the backup server", "all the unused
 * files".  An object is turned into the paths, name tokens and hosts it
 * mentions, and a name token matches a path that has the same token:
 * "Agent 2", "agent-2", "agent_2" and "agent2" all become "agent2", and
 * "/srv/logs/agent2-eval.log" holds the tokens srv, log, agent2, eval.
 * Names joined by a possessive ("agent2's checkpoint-6000", "the logs of
 * agent3") must all be in a path; names joined by "and" or a list need
 * not. */
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

/* Words a possessive reaches over: "agent2's old checkpoint-6000". */
static const char *const possessive_skip[] = {
	"a", "an", "the", "old", "older", "new", "unused", "unneeded", "stale", "leftover",
	"remaining", "temporary", "temp", "entire", "whole", "original", "previous", NULL
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

/* Adds a name; joined: it goes with the name before it.  A name already
 * there keeps its place (and the looser reading). */
static void
name_add(struct objref *o, const char *s, size_t n, int joined)
{
	size_t before = o->name_count;
	size_t i = list_add(&o->names, &o->name_count, s, n);
	if (o->name_count > before) {
		o->joined = xrealloc(o->joined, o->name_count);
		o->joined[i] = (unsigned char)(joined && i > 0);
	}
}

static void
path_add(struct objref *o, const char *s, size_t n, int dest, int where)
{
	size_t before = o->path_count;
	size_t i = list_add(&o->paths, &o->path_count, s, n);
	if (o->path_count > before) {
		o->dest = xrealloc(o->dest, o->path_count);
		o->dest[i] = (unsigned char)dest;
		o->where = xrealloc(o->where, o->path_count);
		o->where[i] = (unsigned char)where;
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
		path_add(o, sep + 1, n - hn - 1, 1, 0);
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

/* "config.json from /srv/x", "the logs in /srv/logs": the path after it
 * says where the things named beside it are. */
static int
is_where_word(const char *w, size_t n)
{
	static const char *const words[] = { "from", "in", "under", "inside", "within", NULL };
	for (size_t i = 0; words[i]; i++)
		if (strlen(words[i]) == n && strncasecmp(w, words[i], n) == 0)
			return 1;
	return 0;
}

/* Takes the path-like words out of text. */
static void
parse_words(struct objref *o, const char *text)
{
	const char *s = text;
	int after_to = 0, after_in = 0;
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
		int dest = after_to, where = after_in;
		after_to = is_to_word(w, n) || (after_to && n <= 4 && !memchr(w, '/', n));
		after_in = !after_to && (is_where_word(w, n) || (after_in && n <= 4 && !memchr(w, '/', n)));
		if (add_url_or_remote(o, w, n))
			continue;
		if (looks_ipv4(w, n)) {
			const char *colon = memchr(w, ':', n);
			list_add(&o->hosts, &o->host_count, w, colon ? (size_t)(colon - w) : n);
		} else if ((memchr(w, '/', n) && n > 1) || looks_file_name(w, n)) {
			path_add(o, w, n, dest, where);
		}
	}
}

/* Where "outside X", "besides X", "except X" ... starts in text, or NULL;
 * *skip: the length of the words that say it. */
static const char *
exclusion_start(const char *text, size_t *skip)
{
	static const char *const words[] = {
		"outside of ", "outside ", "besides ", "beside ", "except for ", "except ",
		"excluding ", "other than ", "apart from ", "aside from ", "beyond ", NULL
	};
	for (const char *s = text; *s; s++) {
		if (s > text && isalnum((unsigned char)s[-1]))
			continue;
		for (size_t k = 0; words[k]; k++) {
			size_t n = strlen(words[k]);
			if (strncasecmp(s, words[k], n) == 0) {
				*skip = n;
				return s;
			}
		}
	}
	return NULL;
}

static void
parse_object(const char *text, struct objref *out)
{
	parse_words(out, text);
	struct strbuf toks = STRBUF_INIT;
	size_t n = name_tokens(text, &toks);
	const char *t = toks.buf, *prev = NULL;
	/* possessive: 1 after a name and its "'s" or "of", over adjectives and
	 * class words ("agent2's old checkpoint-6000"), not over other words
	 * ("agent2's checkpoints on lab-4", "agent2's logs and agent3") */
	int named = 0, possessive = 0;
	for (size_t i = 0; i < n; i++, prev = t, t += strlen(t) + 1) {
		if (in_list(t, everything_words))
			out->everything = 1;
		if (named && (strcmp(t, "s") == 0 || strcmp(t, "of") == 0))
			possessive = 1;
		else if (!in_list(t, protected_words) && !in_list(t, possessive_skip) &&
		         (strlen(t) < 3 || in_list(t, generic_words)))
			possessive = named = 0;
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
		if (!digits) {
			name_add(out, t, strlen(t), possessive);
			named = 1;    /* "agent2's step-900 shard": all one thing */
		}
	}
	sb_free(&toks);
}

/* "nothing outside agent4's files": the words after "outside" name what
 * the object leaves out, not what it covers. */
void
objref_parse(const char *text, struct objref *out)
{
	memset(out, 0, sizeof *out);
	if (!text)
		return;
	size_t skip = 0;
	const char *x = exclusion_start(text, &skip);
	if (!x) {
		parse_object(text, out);
		return;
	}
	char *head = xstrndup(text, (size_t)(x - text));
	parse_object(head, out);
	free(head);
	out->excluded = xcalloc(1, sizeof *out->excluded);
	parse_object(x + skip, out->excluded);
}

void
objref_borrow_paths(struct objref *o, const char *text, size_t len)
{
	char *copy = xstrndup(text, len);
	struct objref more;
	memset(&more, 0, sizeof more);
	parse_words(&more, copy);
	for (size_t i = 0; i < more.path_count; i++)
		path_add(o, more.paths[i], strlen(more.paths[i]), more.dest[i], more.where[i]);
	objref_free(&more);
	free(copy);
}

void
objref_borrow_sources(struct objref *o, const struct objref *from)
{
	for (size_t i = 0; i < from->path_count; i++)
		if (!from->dest[i])
			path_add(o, from->paths[i], strlen(from->paths[i]), 0, from->where[i]);
	for (size_t i = 0; i < from->name_count; i++)
		name_add(o, from->names[i], strlen(from->names[i]),
		         i > 0 && from->joined && from->joined[i]);
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
	free(o->where);
	free_list(o->names, o->name_count);
	free(o->joined);
	free_list(o->hosts, o->host_count);
	if (o->excluded) {
		objref_free(o->excluded);
		free(o->excluded);
	}
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

void
names_of_paths(struct pool *names, const char *const *paths, size_t count)
{
	struct strbuf toks = STRBUF_INIT;
	for (size_t j = 0; j < count; j++) {
		sb_reset(&toks);
		size_t n = name_tokens(paths[j], &toks);
		const char *t = toks.buf;
		for (size_t i = 0; i < n; i++, t += strlen(t) + 1)
			pool_intern(names, t);
	}
	sb_free(&toks);
}

void
objref_prune_names(struct objref *o, const char *const *known, size_t count)
{
	struct pool names;
	pool_init(&names);
	names_of_paths(&names, known, count);
	objref_prune_names_in(o, &names);
	pool_free(&names);
}

void
objref_prune_names_in(struct objref *o, const struct pool *names)
{
	size_t k = 0;
	int starts = 0;     /* a dropped name started its chain: the next does */
	for (size_t i = 0; i < o->name_count; i++) {
		int used = pool_find(names, o->names[i]) != NULL;
		/* A host noun's name ("backup" of "the backup server") is kept
		 * as a host, not as a path name. */
		int joined = o->joined && o->joined[i];
		if (used) {
			if (o->joined)
				o->joined[k] = (unsigned char)(joined && !starts && k > 0);
			o->names[k++] = o->names[i];
			starts = 0;
		} else {
			free(o->names[i]);
			starts = !joined || starts;
		}
	}
	o->name_count = k;
	if (o->excluded)
		objref_prune_names_in(o->excluded, names);
}

int
objref_is_vague(const struct objref *o)
{
	return !o->path_count && !o->name_count && !o->protected_class &&
	       !o->host_count;
}

size_t
objref_path_norm(const char *x, char *buf, size_t size)
{
	size_t n = strlen(x);
	if (n >= size)
		return (size_t)-1;
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
	return n;
}

/* Compares a written path x with a path from the log. */
static int
path_matches(const char *x, const char *path)
{
	char buf[OBJREF_PATH_MAX];
	size_t n = objref_path_norm(x, buf, sizeof buf);
	if (n == (size_t)-1)
		return 0;
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
	if (o->excluded && objref_match_path(o->excluded, path, is_protected))
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
		/* a chain of joined names matches when the path has them all */
		int found = 0, chain = 1;
		for (size_t i = 0; i < o->name_count && !found; i++) {
			chain = (i == 0 || !o->joined || !o->joined[i] ? 1 : chain) &&
			        tokens_have(toks.buf, n, o->names[i]);
			found = chain && (i + 1 == o->name_count || !o->joined || !o->joined[i + 1]);
		}
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
