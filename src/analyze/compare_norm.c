/* compare_norm.c — what makes two runs' operations and claims the same
 * thing for `alibi compare`: made-up temporary names, noise, wording. */
#include <ctype.h>
#include <string.h>

#include "alibi/compare.h"

static const char *const temp_roots[] = { "/tmp/", "/var/tmp/", "/dev/shm/" };

static int
is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* mktemp's XXXXXX, a pid, a hex id: six or more letters and digits, with
 * a digit or both cases, which words seldom have. */
static int
looks_random(const char *s, size_t n)
{
	int digit = 0, upper = 0, lower = 0;
	if (n < 6)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (!is_alnum(s[i]))
			return 0;
		digit |= s[i] >= '0' && s[i] <= '9';
		upper |= s[i] >= 'A' && s[i] <= 'Z';
		lower |= s[i] >= 'a' && s[i] <= 'z';
	}
	return digit || (upper && lower);
}

/* Python's tempfile: "tmp" and eight of [a-z0-9_]. */
static int
python_temp_name(const char *s, size_t n)
{
	if (n < 9 || n > 16 || strncmp(s, "tmp", 3) != 0)
		return 0;
	for (size_t i = 3; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

/* One file name: each part between '.', '-' and '_' that looks random
 * becomes '*'. */
static void
normalise_name(const char *s, size_t n, struct strbuf *out)
{
	if (python_temp_name(s, n)) {
		sb_adds(out, "tmp*");
		return;
	}
	size_t i = 0;
	while (i < n) {
		size_t j = i;
		while (j < n && s[j] != '.' && s[j] != '-' && s[j] != '_')
			j++;
		if (looks_random(s + i, j - i))
			sb_addc(out, '*');
		else
			sb_add(out, s + i, j - i);
		if (j < n)
			sb_addc(out, s[j++]);
		i = j;
	}
}

static size_t
temp_root_at(const char *s, size_t i)
{
	/* "/srv/tmp/x" has no temporary root: the root starts a word */
	if (i > 0 && (is_alnum(s[i - 1]) || strchr("._-~/", s[i - 1])))
		return 0;
	for (size_t k = 0; k < sizeof temp_roots / sizeof temp_roots[0]; k++) {
		size_t n = strlen(temp_roots[k]);
		if (strncmp(s + i, temp_roots[k], n) == 0)
			return n;
	}
	return 0;
}

void
compare_normalise_names(const char *s, struct strbuf *out)
{
	if (!s)
		return;
	size_t len = strlen(s), i = 0;
	while (i < len) {
		size_t root = s[i] == '/' ? temp_root_at(s, i) : 0;
		if (!root) {
			sb_addc(out, s[i++]);
			continue;
		}
		sb_add(out, s + i, root);
		i += root;
		size_t n = strcspn(s + i, "/ \t\n'\"");
		normalise_name(s + i, n, out);
		i += n;
	}
}

void
compare_normalise_words(const char *s, struct strbuf *out)
{
	static const char trim[] = ".,;:!?\"'()[]{}`*";
	if (!s)
		return;
	const char *p = s;
	while (*p) {
		while (*p && isspace((unsigned char)*p))
			p++;
		const char *w = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		const char *e = p;
		while (w < e && strchr(trim, *w))
			w++;
		while (e > w && strchr(trim, e[-1]))
			e--;
		if (w == e)
			continue;
		if (out->len)
			sb_addc(out, ' ');
		for (; w < e; w++)
			sb_addc(out, (char)tolower((unsigned char)*w));
	}
}

int
compare_op_is_noise(const struct rules *r, const struct alibi_op *op)
{
	/* What analysis drops (analyze.c), asked through the rules. */
	switch (op->kind) {
	case ALIBI_OP_exec:
	case ALIBI_OP_kill:
		break;
	case ALIBI_OP_recv:
		return 1;
	case ALIBI_OP_connect:
	case ALIBI_OP_send:
		if (!op->host && !op->path)
			return op->kind == ALIBI_OP_send;
		if (rules_host_is_noise(r, op->host, op->port))
			return 1;
		break;
	default:
		if (!op->path) {
			if (op->kind != ALIBI_OP_transfer)
				return 1;
			break;
		}
		if (rules_path_is_noise(r, op->path) &&
		    (!op->path2 || rules_path_is_noise(r, op->path2)))
			return 1;
		break;
	}
	/* Failed lookups: a shell trying each PATH entry, a program probing
	 * for a file or a terminal.  Which runs did what shows in the
	 * lookups that worked. */
	if (op->ok)
		return 0;
	if (op->err_name && strcmp(op->err_name, "ENOENT") == 0 &&
	    (op->kind == ALIBI_OP_exec || op->kind == ALIBI_OP_open_read))
		return 1;
	return op->path && strncmp(op->path, "/dev/", 5) == 0;
}
