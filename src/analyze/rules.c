/* rules.c — reading rules files (alibi-rules(5)) into compiled rules.
 *
 * A file is a list of logical lines: a directive, then any continuation
 * lines (lines that start with white space) whose text is appended to the
 * directive's pattern.  Patterns are compiled once, with JIT, when the
 * file is read; nothing is compiled while an incident is analysed. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alibi/alloc.h"
#include "alibi/path.h"
#include "analyze_internal.h"

#define RULES_MAX_FILE (8u << 20)
#define PCRE_OPTIONS (PCRE2_UTF | PCRE2_CASELESS | PCRE2_MULTILINE | \
                      PCRE2_MATCH_INVALID_UTF)

static const struct {
	const char *name;
	enum alibi_severity sev;
} finding_table[] = {
#define FINDING_ROW(id, name, sev) { name, sev },
	FINDING_KINDS(FINDING_ROW)
#undef FINDING_ROW
};

static const char *const verb_names[] = {
	"",
#define VERB_ROW(name) #name,
	VERBS(VERB_ROW)
#undef VERB_ROW
};

const char *
finding_kind_name(enum finding_kind kind)
{
	return kind < FINDING__COUNT ? finding_table[kind].name : "unknown";
}

int
finding_kind_from_name(const char *name)
{
	for (int i = 0; name && i < FINDING__COUNT; i++)
		if (strcmp(finding_table[i].name, name) == 0)
			return i;
	return -1;
}

const char *
verb_name(enum verb v)
{
	return v < VERB__COUNT ? verb_names[v] : "";
}

int
verb_from_name(const char *name)
{
	for (int i = 1; name && i < VERB__COUNT; i++)
		if (strcmp(verb_names[i], name) == 0)
			return i;
	return -1;
}

struct rules *
rules_new(void)
{
	struct rules *r = xcalloc(1, sizeof *r);
	for (int i = 0; i < FINDING__COUNT; i++)
		r->severity[i] = finding_table[i].sev;
	return r;
}

static void
claim_rule_clear(struct claim_rule *c)
{
	free(c->name);
	free(c->pattern);
	free(c->origin);
	pcre2_code_free(c->re);
	memset(c, 0, sizeof *c);
}

void
rules_free(struct rules *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->claim_count; i++)
		claim_rule_clear(&r->claims[i]);
	free(r->claims);
	for (size_t i = 0; i < r->verb_count; i++) {
		free(r->verbs[i].pattern);
		free(r->verbs[i].origin);
		pcre2_code_free(r->verbs[i].re);
	}
	free(r->verbs);
	for (size_t i = 0; i < r->define_count; i++) {
		free(r->defines[i].name);
		free(r->defines[i].value);
	}
	free(r->defines);
	for (int c = 0; c < GLOB__COUNT; c++) {
		for (size_t i = 0; i < r->globs[c].count; i++)
			free(r->globs[c].items[i].glob);
		free(r->globs[c].items);
	}
	free(r->noise_ports);
	free(r);
}

const struct claim_rule *
rules_find(const struct rules *r, const char *name)
{
	for (size_t i = 0; i < r->claim_count; i++)
		if (strcmp(r->claims[i].name, name) == 0)
			return &r->claims[i];
	return NULL;
}

/* ---- the parser's state for one file ---- */

struct parse {
	struct rules *r;
	const char *origin;
	long line;                 /* first physical line of the logical line */
	void (*report)(void *ctx, const char *msg);
	void *ctx;
	struct alibi_error *err;
	int bad;
};

/* Records a bad line; returns non-zero when parsing must stop. */
static int
bad_line(struct parse *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int
bad_line(struct parse *p, const char *fmt, ...)
{
	char what[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	p->bad++;
	if (p->report) {
		char msg[1024];
		snprintf(msg, sizeof msg, "%s:%ld: %s", p->origin, p->line, what);
		p->report(p->ctx, msg);
		return 0;
	}
	alibi_error_set(p->err, ALIBI_EFORMAT, "%s:%ld: %s", p->origin, p->line, what);
	return 1;
}

/* Splits the next white-space separated word off *s. */
static int
next_word(char **s, char **word)
{
	char *q = *s;
	while (*q == ' ' || *q == '\t')
		q++;
	if (!*q)
		return 0;
	*word = q;
	while (*q && *q != ' ' && *q != '\t')
		q++;
	if (*q)
		*q++ = '\0';
	*s = q;
	return 1;
}

static char *
rest_of_line(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

static const struct rule_define *
find_define(const struct rules *r, const char *name, size_t len)
{
	for (size_t i = 0; i < r->define_count; i++)
		if (strlen(r->defines[i].name) == len &&
		    memcmp(r->defines[i].name, name, len) == 0)
			return &r->defines[i];
	return NULL;
}

/* Expands %{NAME} in text; 0 on success, else bad_line's result. */
static int
expand(struct parse *p, const char *text, struct strbuf *out, int *ok)
{
	*ok = 0;
	for (const char *s = text; *s; s++) {
		if (s[0] != '%' || s[1] != '{') {
			sb_addc(out, *s);
			continue;
		}
		const char *end = strchr(s + 2, '}');
		const struct rule_define *d = end ? find_define(p->r, s + 2, (size_t)(end - s - 2)) : NULL;
		if (!d)
			return bad_line(p, "unknown %%{...} name in \"%.60s\"", s);
		sb_adds(out, d->value);
		s = end;
	}
	*ok = 1;
	return 0;
}

static int
valid_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._-", *s))
			return 0;
	return 1;
}

/* Compiles pattern; on failure reports it and returns NULL. */
static pcre2_code *
compile(struct parse *p, const char *pattern, int *stop)
{
	int code;
	PCRE2_SIZE off;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	                               PCRE_OPTIONS, &code, &off, NULL);
	if (!re) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(code, msg, sizeof msg);
		*stop = bad_line(p, "pattern error at offset %zu: %s", (size_t)off, (char *)msg);
		return NULL;
	}
	/* Without JIT (an unusual platform) the interpreter still works. */
	(void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	uint32_t groups = 0;
	pcre2_pattern_info(re, PCRE2_INFO_CAPTURECOUNT, &groups);
	if (groups + 1 > p->r->max_groups)
		p->r->max_groups = groups + 1;
	return re;
}

/* The numbers of the groups called name (several with (?J)). */
static void
group_numbers(const pcre2_code *re, const char *name, uint32_t out[RULE_MAX_DUP + 1])
{
	uint32_t count = 0, size = 0;
	PCRE2_SPTR table = NULL;
	pcre2_pattern_info(re, PCRE2_INFO_NAMECOUNT, &count);
	pcre2_pattern_info(re, PCRE2_INFO_NAMEENTRYSIZE, &size);
	pcre2_pattern_info(re, PCRE2_INFO_NAMETABLE, &table);
	size_t k = 0;
	for (uint32_t i = 0; i < count && k < RULE_MAX_DUP; i++) {
		PCRE2_SPTR e = table + (size_t)i * size;
		if (strcmp((const char *)e + 2, name) == 0)
			out[k++] = ((uint32_t)e[0] << 8) | e[1];
	}
	out[k] = 0;
}

static char *
origin_of(const struct parse *p)
{
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "%s:%ld", p->origin, p->line);
	return sb_detach(&sb);
}

static int
do_define(struct parse *p, char *args)
{
	char *name;
	if (!next_word(&args, &name))
		return bad_line(p, "define: expected NAME TEXT");
	for (const char *s = name; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return bad_line(p, "define: bad name \"%.60s\" (letters, digits, _)", name);
	struct strbuf val = STRBUF_INIT;
	int ok, stop = expand(p, rest_of_line(args), &val, &ok);
	if (!ok) {
		sb_free(&val);
		return stop;
	}
	struct rules *r = p->r;
	for (size_t i = 0; i < r->define_count; i++) {
		if (strcmp(r->defines[i].name, name) == 0) {
			free(r->defines[i].value);
			r->defines[i].value = sb_detach(&val);
			return 0;
		}
	}
	grow_array((void **)&r->defines, sizeof *r->defines, &r->define_cap, r->define_count + 1);
	r->defines[r->define_count].name = xstrdup(name);
	r->defines[r->define_count].value = sb_detach(&val);
	r->define_count++;
	return 0;
}

/* claim NAME VERB PATTERN / instruction NAME VERB PATTERN */
static int
do_claim(struct parse *p, char *args, int instruction)
{
	const char *what = instruction ? "instruction" : "claim";
	char *name, *verb;
	if (!next_word(&args, &name) || !next_word(&args, &verb))
		return bad_line(p, "%s: expected NAME VERB PATTERN", what);
	if (!valid_name(name))
		return bad_line(p, "%s: bad rule name \"%.60s\" (letters, digits, . _ -)", what, name);
	struct claim_rule c = { .instruction = instruction };
	/* "!VERB": a prohibition ("leave X alone"), negated without a "not" */
	if (instruction && verb[0] == '!' && verb[1]) {
		c.prohibit = 1;
		verb++;
	}
	if (!instruction) {
		char kind[32];
		size_t n = strcspn(name, ".");
		snprintf(kind, sizeof kind, "%.*s", (int)(n < 31 ? n : 31), name);
		int k = alibi_claim_kind_from_name(kind);
		if (k < 0)
			return bad_line(p, "claim: rule name \"%.60s\" must start with a claim kind"
			                " (intent, report, denial, refusal, value)", name);
		c.kind = (enum alibi_claim_kind)k;
	}
	if (strcmp(verb, "*") == 0)
		c.verb = -1;
	else if (strcmp(verb, "-") == 0)
		c.verb = VERB_NONE;
	else if ((c.verb = verb_from_name(verb)) < 0)
		return bad_line(p, "%s: unknown verb \"%.40s\"", what, verb);
	const char *raw = rest_of_line(args);
	if (!*raw)
		return bad_line(p, "%s: missing pattern", what);
	struct strbuf pat = STRBUF_INIT;
	int ok, stop = expand(p, raw, &pat, &ok);
	if (!ok) {
		sb_free(&pat);
		return stop;
	}
	c.re = compile(p, sb_str(&pat), &stop);
	if (!c.re) {
		sb_free(&pat);
		return stop;
	}
	group_numbers(c.re, "object", c.g_object);
	group_numbers(c.re, "verb", c.g_verb);
	group_numbers(c.re, "value", c.g_value);
	if (c.verb < 0 && !c.g_verb[0]) {
		pcre2_code_free(c.re);
		sb_free(&pat);
		return bad_line(p, "%s: verb \"*\" needs a (?<verb>...) group in the pattern", what);
	}
	c.name = xstrdup(name);
	c.pattern = sb_detach(&pat);
	c.origin = origin_of(p);
	struct rules *r = p->r;
	for (size_t i = 0; i < r->claim_count; i++) {
		if (strcmp(r->claims[i].name, name) == 0) {
			claim_rule_clear(&r->claims[i]);
			r->claims[i] = c;
			return 0;
		}
	}
	grow_array((void **)&r->claims, sizeof *r->claims, &r->claim_cap, r->claim_count + 1);
	r->claims[r->claim_count++] = c;
	return 0;
}

/* verb VERB PATTERN: the words a (?<verb>...) group captures that mean VERB. */
static int
do_verb(struct parse *p, char *args)
{
	char *verb;
	if (!next_word(&args, &verb))
		return bad_line(p, "verb: expected VERB PATTERN");
	int v = verb_from_name(verb);
	if (v < 0)
		return bad_line(p, "verb: unknown verb \"%.40s\"", verb);
	const char *raw = rest_of_line(args);
	if (!*raw)
		return bad_line(p, "verb: missing pattern");
	struct strbuf pat = STRBUF_INIT;
	int ok, stop = expand(p, raw, &pat, &ok);
	if (!ok) {
		sb_free(&pat);
		return stop;
	}
	pcre2_code *re = compile(p, sb_str(&pat), &stop);
	if (!re) {
		sb_free(&pat);
		return stop;
	}
	struct rules *r = p->r;
	for (size_t i = 0; i < r->verb_count; i++) {
		if ((int)r->verbs[i].verb == v) {
			pcre2_code_free(r->verbs[i].re);
			free(r->verbs[i].pattern);
			free(r->verbs[i].origin);
			r->verbs[i].re = re;
			r->verbs[i].pattern = sb_detach(&pat);
			r->verbs[i].origin = origin_of(p);
			return 0;
		}
	}
	grow_array((void **)&r->verbs, sizeof *r->verbs, &r->verb_cap, r->verb_count + 1);
	r->verbs[r->verb_count].verb = (enum verb)v;
	r->verbs[r->verb_count].re = re;
	r->verbs[r->verb_count].pattern = sb_detach(&pat);
	r->verbs[r->verb_count].origin = origin_of(p);
	r->verb_count++;
	return 0;
}

static int
do_drop(struct parse *p, char *args)
{
	char *name;
	if (!next_word(&args, &name) || *rest_of_line(args))
		return bad_line(p, "drop: expected one rule NAME");
	struct rules *r = p->r;
	for (size_t i = 0; i < r->claim_count; i++) {
		if (strcmp(r->claims[i].name, name) == 0) {
			claim_rule_clear(&r->claims[i]);
			memmove(&r->claims[i], &r->claims[i + 1],
			        (r->claim_count - i - 1) * sizeof *r->claims);
			r->claim_count--;
			return 0;
		}
	}
	return bad_line(p, "drop: no rule named \"%.60s\"", name);
}

static void
add_glob(struct rules *r, enum glob_class cls, const char *glob)
{
	struct glob_list *l = &r->globs[cls];
	int negate = glob[0] == '!';
	grow_array((void **)&l->items, sizeof *l->items, &l->cap, l->count + 1);
	l->items[l->count].glob = xstrdup(glob + negate);
	l->items[l->count].negate = negate;
	l->count++;
}

/* asset protected|oversight|evidence|schedule GLOB, place hidden GLOB,
 * noise path|host GLOB, noise port N, process monitor GLOB */
static int
do_class(struct parse *p, const char *directive, char *args)
{
	static const struct {
		const char *directive, *sub;
		int cls;     /* enum glob_class, or -1 for ports */
	} table[] = {
		{ "asset", "protected", GLOB_PROTECTED },
		{ "asset", "oversight", GLOB_OVERSIGHT },
		{ "asset", "evidence", GLOB_EVIDENCE },
		{ "place", "hidden", GLOB_HIDDEN },
		{ "noise", "path", GLOB_NOISE_PATH },
		{ "noise", "host", GLOB_NOISE_HOST },
		{ "noise", "port", -1 },
		{ "process", "monitor", GLOB_MONITOR },
		{ "asset", "schedule", GLOB_SCHEDULE },
	};
	char *sub, *value;
	if (!next_word(&args, &sub) || !next_word(&args, &value) || *rest_of_line(args))
		return bad_line(p, "%s: expected CLASS GLOB (one glob per line)", directive);
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		if (strcmp(table[i].directive, directive) != 0 || strcmp(table[i].sub, sub) != 0)
			continue;
		if (table[i].cls >= 0) {
			if (!value[value[0] == '!'])
				return bad_line(p, "%s %s: empty glob", directive, sub);
			add_glob(p->r, (enum glob_class)table[i].cls, value);
			return 0;
		}
		char *end;
		errno = 0;
		long port = strtol(value, &end, 10);
		if (errno || *end || port < 0 || port > 65535)
			return bad_line(p, "noise port: \"%.20s\" is not a port number", value);
		struct rules *r = p->r;
		grow_array((void **)&r->noise_ports, sizeof *r->noise_ports,
		           &r->noise_port_cap, r->noise_port_count + 1);
		r->noise_ports[r->noise_port_count++] = (int)port;
		return 0;
	}
	return bad_line(p, "%s: unknown class \"%.40s\"", directive, sub);
}

static int
do_severity(struct parse *p, char *args)
{
	char *kind, *level;
	if (!next_word(&args, &kind) || !next_word(&args, &level) || *rest_of_line(args))
		return bad_line(p, "severity: expected FINDING-KIND LEVEL");
	int k = finding_kind_from_name(kind);
	if (k < 0)
		return bad_line(p, "severity: unknown finding kind \"%.40s\"", kind);
	int sev = strcmp(level, "off") == 0 ? 0 : alibi_severity_from_name(level);
	if (sev < 0)
		return bad_line(p, "severity: unknown level \"%.20s\" (low, medium, high, off)", level);
	p->r->severity[k] = sev;
	return 0;
}

/* Handles one logical line (comments and blank lines already gone). */
static int
parse_logical(struct parse *p, char *line)
{
	char *directive;
	if (!next_word(&line, &directive))
		return 0;
	if (strcmp(directive, "define") == 0)
		return do_define(p, line);
	if (strcmp(directive, "claim") == 0)
		return do_claim(p, line, 0);
	if (strcmp(directive, "instruction") == 0)
		return do_claim(p, line, 1);
	if (strcmp(directive, "verb") == 0)
		return do_verb(p, line);
	if (strcmp(directive, "drop") == 0)
		return do_drop(p, line);
	if (strcmp(directive, "asset") == 0 || strcmp(directive, "place") == 0 ||
	    strcmp(directive, "noise") == 0 || strcmp(directive, "process") == 0)
		return do_class(p, directive, line);
	if (strcmp(directive, "severity") == 0)
		return do_severity(p, line);
	return bad_line(p, "unknown directive \"%.40s\"", directive);
}

static int
is_blank_or_comment(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i == n || s[i] == '#';
}

int
rules_parse_text(struct rules *r, const char *text, size_t len,
                 const char *origin,
                 void (*report)(void *ctx, const char *msg), void *ctx,
                 struct alibi_error *err)
{
	struct parse p = { .r = r, .origin = origin, .report = report, .ctx = ctx, .err = err };
	struct strbuf logical = STRBUF_INIT;
	long lineno = 0, start = 0;
	int stop = 0;
	size_t pos = 0;
	while (!stop && pos <= len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		size_t n = end - pos;
		const char *s = text + pos;
		lineno++;
		if (n && s[n - 1] == '\r')
			n--;
		if (memchr(s, '\0', n)) {
			p.line = lineno;
			stop = bad_line(&p, "NUL byte in line");
		} else if (!is_blank_or_comment(s, n)) {
			if ((s[0] == ' ' || s[0] == '\t') && logical.len) {
				size_t i = 0;
				while (i < n && (s[i] == ' ' || s[i] == '\t'))
					i++;
				sb_add(&logical, s + i, n - i);
			} else {
				if (logical.len) {
					p.line = start;
					stop = parse_logical(&p, logical.buf);
				}
				sb_reset(&logical);
				sb_add(&logical, s, n);
				start = lineno;
			}
		}
		if (!nl)
			break;
		pos = end + 1;
	}
	if (!stop && logical.len) {
		p.line = start;
		stop = parse_logical(&p, logical.buf);
	}
	sb_free(&logical);
	if (report)
		return p.bad;
	return stop ? err->code : 0;
}

static int
read_file(const char *path, struct strbuf *out, struct alibi_error *err)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return alibi_error_set(err, ALIBI_EIO, "%s: %s", path, strerror(errno));
	char buf[8192];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0) {
		if (out->len + n > RULES_MAX_FILE) {
			fclose(fp);
			return alibi_error_set(err, ALIBI_EFORMAT, "%s: larger than %u bytes",
			                       path, RULES_MAX_FILE);
		}
		sb_add(out, buf, n);
	}
	int bad = ferror(fp);
	fclose(fp);
	if (bad)
		return alibi_error_set(err, ALIBI_EIO, "%s: read error", path);
	return 0;
}

int
rules_load_default(struct rules **out, struct alibi_error *err)
{
	struct rules *r = rules_new();
	if (rules_parse_text(r, alibi_default_rules, strlen(alibi_default_rules),
	                     "default.rules", NULL, NULL, err)) {
		rules_free(r);
		return err->code;
	}
	*out = r;
	return 0;
}

int
rules_load_file(struct rules *r, const char *path, struct alibi_error *err)
{
	struct strbuf text = STRBUF_INIT;
	int rc = read_file(path, &text, err);
	if (!rc)
		rc = rules_parse_text(r, sb_str(&text), text.len, path, NULL, NULL, err);
	sb_free(&text);
	return rc;
}

int
rules_load_all(const char *extra, struct rules **out, struct alibi_error *err)
{
	struct rules *r;
	if (rules_load_default(&r, err))
		return err->code;
	struct strbuf conf = STRBUF_INIT;
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	if (xdg && *xdg)
		sb_addf(&conf, "%s/alibi/rules", xdg);
	else if (home && *home)
		sb_addf(&conf, "%s/.config/alibi/rules", home);
	int rc = 0;
	if (conf.len && access(sb_str(&conf), R_OK) == 0)
		rc = rules_load_file(r, sb_str(&conf), err);
	sb_free(&conf);
	if (!rc && extra)
		rc = rules_load_file(r, extra, err);
	if (rc) {
		rules_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

int
rules_check_file(const char *path,
                 void (*report)(void *ctx, const char *msg), void *ctx,
                 struct alibi_error *err)
{
	struct strbuf text = STRBUF_INIT;
	if (read_file(path, &text, err)) {
		sb_free(&text);
		return -1;
	}
	/* Checked on top of the defaults, as it will be used: a user's file
	 * may use their %{NAME}s and drop their rules. */
	struct rules *r;
	if (rules_load_default(&r, err)) {
		sb_free(&text);
		return -1;
	}
	int bad = rules_parse_text(r, sb_str(&text), text.len, path, report, ctx, err);
	rules_free(r);
	sb_free(&text);
	return bad;
}

int
rules_glob_class(const struct rules *r, enum glob_class cls, const char *path)
{
	const struct glob_list *l = &r->globs[cls];
	for (size_t i = l->count; i-- > 0;)
		if (path_glob_match(l->items[i].glob, path))
			return !l->items[i].negate;
	return 0;
}

int
rules_noise_port(const struct rules *r, int port)
{
	for (size_t i = 0; i < r->noise_port_count; i++)
		if (r->noise_ports[i] == port)
			return 1;
	return 0;
}

enum verb
rules_verb_of(const struct rules *r, pcre2_match_data *md, const char *words,
              size_t len)
{
	for (size_t i = 0; i < r->verb_count; i++)
		if (pcre2_match(r->verbs[i].re, (PCRE2_SPTR)words, len, 0, 0, md, NULL) >= 0)
			return r->verbs[i].verb;
	return VERB_NONE;
}

int
rules_path_is_noise(const struct rules *r, const char *path)
{
	return path && rules_glob_class(r, GLOB_NOISE_PATH, path);
}

int
rules_host_is_noise(const struct rules *r, const char *host, int port)
{
	if (port >= 0 && rules_noise_port(r, port))
		return 1;
	if (!host)
		return 0;
	/* socket paths: the abstract namespace is local plumbing */
	if (host[0] == '/' || host[0] == '@')
		return host[0] == '@' || rules_glob_class(r, GLOB_NOISE_PATH, host);
	return rules_glob_class(r, GLOB_NOISE_HOST, host);
}

int
rules_path_is_protected(const struct rules *r, const char *path)
{
	return path && rules_glob_class(r, GLOB_PROTECTED, path);
}

int
rules_path_is_hidden(const struct rules *r, const char *path)
{
	return path && rules_glob_class(r, GLOB_HIDDEN, path);
}
