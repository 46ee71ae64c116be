/* shellcmd.c — splitting a shell script into simple commands.
 *
 * This is a reader of scripts an agent wrote, not a shell: it honours the
 * quoting, escapes, substitutions, comments and heredocs that decide where
 * one command ends and the next begins, and leaves expansion alone ($HOME
 * stays "$HOME").  Whatever it cannot make sense of still ends somewhere:
 * an unbalanced quote runs to the end of the text. */
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/shellcmd.h"
#include "alibi/strbuf.h"
#include "shellcmd_internal.h"

struct heredoc {
	char *delim;
	int strip_tabs;      /* "<<-" */
};

struct lexer {
	const char *s;
	size_t i, n;
	struct shell_command_list *out;

	struct shell_simple_command cur;
	int have_text;
	size_t text_start, text_end;

	struct strbuf word;
	int in_word;
	int word_plain;      /* no quotes, escapes or substitutions in it */
	size_t word_start;
	char *pending_op;    /* a redirection waiting for its target word */

	struct heredoc *heredocs;   /* bodies to skip at the next newline */
	size_t heredoc_count, heredoc_cap;
};

void
word_list_add(struct shell_word_list *l, const char *word)
{
	void *p = l->words;
	grow_array(&p, sizeof *l->words, &l->cap, l->count + 1);
	l->words = p;
	l->words[l->count++] = xstrdup(word);
}

void
word_list_free(struct shell_word_list *l)
{
	for (size_t i = 0; i < l->count; i++)
		free(l->words[i]);
	free(l->words);
	l->words = NULL;
	l->count = l->cap = 0;
}

static void
simple_command_free(struct shell_simple_command *c)
{
	word_list_free(&c->argv);
	for (size_t i = 0; i < c->redirect_count; i++) {
		free(c->redirects[i].op);
		free(c->redirects[i].target);
	}
	free(c->redirects);
	free(c->connector);
	free(c->text);
	memset(c, 0, sizeof *c);
}

void
shell_command_list_free(struct shell_command_list *list)
{
	for (size_t i = 0; i < list->count; i++)
		simple_command_free(&list->items[i]);
	free(list->items);
	list->items = NULL;
	list->count = list->cap = 0;
}

/* Index just past the ')' that closes the '(' at s[j], skipping quotes,
 * escapes and backticks; n when it never closes. */
static size_t
skip_parens(const char *s, size_t n, size_t j, char open, char close)
{
	int depth = 0;
	while (j < n) {
		char c = s[j];
		if (c == '\\') {
			j += 2;
			continue;
		}
		if (c == '\'' || c == '"' || c == '`') {
			for (j++; j < n && s[j] != c; j++)
				if (s[j] == '\\' && c != '\'')
					j++;
			j++;
			continue;
		}
		if (c == open)
			depth++;
		else if (c == close && --depth == 0)
			return j + 1;
		j++;
	}
	return n;
}

static size_t
skip_backticks(const char *s, size_t n, size_t j)
{
	for (j++; j < n && s[j] != '`'; j++)
		if (s[j] == '\\')
			j++;
	return j < n ? j + 1 : n;
}

static int
is_name_char(char c, int first)
{
	return c == '_' || ((c | 32) >= 'a' && (c | 32) <= 'z') ||
	       (!first && c >= '0' && c <= '9');
}

/* "NAME=value" before the command name is an assignment, when NAME is
 * written plainly. */
static int
is_assignment(const char *raw, size_t n)
{
	size_t k = 0;
	if (n == 0 || !is_name_char(raw[0], 1))
		return 0;
	while (k < n && is_name_char(raw[k], 0))
		k++;
	if (k < n && raw[k] == '+')
		k++;
	return k < n && raw[k] == '=';
}

/* Reserved words that open or close compound commands; the simple command
 * is what follows them ("do rm -f x" runs rm). */
static int
is_reserved_word(const char *w)
{
	static const char *const words[] = {
		"if", "then", "else", "elif", "fi", "do", "done", "while", "until",
		"!", "{", "}", "esac", NULL
	};
	for (size_t i = 0; words[i]; i++)
		if (strcmp(w, words[i]) == 0)
			return 1;
	return 0;
}

static void
touch_text(struct lexer *lx, size_t start, size_t end)
{
	if (!lx->have_text) {
		lx->have_text = 1;
		lx->text_start = start;
	}
	if (end > lx->text_end)
		lx->text_end = end;
}

static void
add_redirect(struct lexer *lx, char *op, const char *target)
{
	struct shell_simple_command *c = &lx->cur;
	void *p = c->redirects;
	size_t cap = c->redirect_count;   /* exact fit: redirections are few */
	grow_array(&p, sizeof *c->redirects, &cap, c->redirect_count + 1);
	c->redirects = p;
	c->redirects[c->redirect_count].op = op;
	c->redirects[c->redirect_count].target = xstrdup(target);
	c->redirect_count++;
}

static void
push_heredoc(struct lexer *lx, const char *op, const char *delim)
{
	void *p = lx->heredocs;
	grow_array(&p, sizeof *lx->heredocs, &lx->heredoc_cap, lx->heredoc_count + 1);
	lx->heredocs = p;
	lx->heredocs[lx->heredoc_count].delim = xstrdup(delim);
	lx->heredocs[lx->heredoc_count].strip_tabs = strcmp(op, "<<-") == 0;
	lx->heredoc_count++;
}

/* Brace expansion comes first in the shell: "f.{bin,json}" is two words,
 * which matters when the words are files.  Longer expansions than this
 * stay as written. */
#define BRACE_MAX_WORDS 256

/* The first "{...,...}" group of w, between *open and *close. */
static int
find_brace_group(const char *w, size_t *open, size_t *close)
{
	for (size_t i = 0; w[i]; i++) {
		if (w[i] != '{')
			continue;
		int depth = 0, comma = 0;
		for (size_t j = i; w[j]; j++) {
			if (w[j] == '{') {
				depth++;
			} else if (w[j] == ',' && depth == 1) {
				comma = 1;
			} else if (w[j] == '}' && --depth == 0) {
				if (!comma)
					break;
				*open = i;
				*close = j;
				return 1;
			}
		}
	}
	return 0;
}

/* Returns 0, or -1 when the expansion grows past BRACE_MAX_WORDS. */
static int
expand_braces(const char *w, struct shell_word_list *out)
{
	size_t open, close;
	if (!find_brace_group(w, &open, &close)) {
		if (out->count >= BRACE_MAX_WORDS)
			return -1;
		word_list_add(out, w);
		return 0;
	}
	size_t start = open + 1;
	int level = 0;
	for (size_t j = open + 1; j <= close; j++) {
		if (w[j] == '{')
			level++;
		else if (w[j] == '}' && j != close)
			level--;
		if ((w[j] == ',' && level == 0) || j == close) {
			struct strbuf alt = STRBUF_INIT;
			sb_add(&alt, w, open);
			sb_add(&alt, w + start, j - start);
			sb_adds(&alt, w + close + 1);
			int rc = expand_braces(sb_str(&alt), out);
			sb_free(&alt);
			if (rc)
				return rc;
			start = j + 1;
		}
	}
	return 0;
}

void
brace_expand(const char *w, struct shell_word_list *out)
{
	struct shell_word_list words = { NULL, 0, 0 };
	if (!strchr(w, '{') || expand_braces(w, &words) != 0) {
		word_list_add(out, w);
	} else {
		for (size_t k = 0; k < words.count; k++)
			word_list_add(out, words.words[k]);
	}
	word_list_free(&words);
}

static void
end_word(struct lexer *lx)
{
	if (!lx->in_word)
		return;
	lx->in_word = 0;
	const char *w = sb_str(&lx->word);
	int keyword = !lx->pending_op && lx->cur.argv.count == 0 &&
	              lx->s[lx->word_start] != '"' && lx->s[lx->word_start] != '\'' &&
	              is_reserved_word(w);
	if (!keyword)
		touch_text(lx, lx->word_start, lx->i);
	if (lx->pending_op) {
		char *op = lx->pending_op;
		lx->pending_op = NULL;
		if (strstr(op, "<<") && !strstr(op, "<<<"))
			push_heredoc(lx, op, w);
		add_redirect(lx, op, w);
	} else if (lx->cur.argv.count == 0 &&
	           is_assignment(lx->s + lx->word_start, lx->i - lx->word_start)) {
		/* FOO=1 cmd: the assignment is not the command */
	} else if (keyword) {
		/* the compound command's keyword, not a program */
	} else if (lx->word_plain) {
		brace_expand(w, &lx->cur.argv);
	} else {
		word_list_add(&lx->cur.argv, w);
	}
	sb_reset(&lx->word);
}

static void
end_command(struct lexer *lx, const char *connector)
{
	end_word(lx);
	free(lx->pending_op);   /* "cmd >" with no target: nothing to redirect */
	lx->pending_op = NULL;
	struct shell_simple_command *c = &lx->cur;
	if (c->argv.count == 0 && c->redirect_count == 0) {
		simple_command_free(c);
		lx->have_text = 0;
		lx->text_end = 0;
		return;
	}
	c->connector = xstrdup(connector);
	c->text = xstrndup(lx->s + lx->text_start, lx->text_end - lx->text_start);
	struct shell_command_list *out = lx->out;
	void *p = out->items;
	grow_array(&p, sizeof *out->items, &out->cap, out->count + 1);
	out->items = p;
	out->items[out->count++] = *c;
	memset(c, 0, sizeof *c);
	lx->have_text = 0;
	lx->text_end = 0;
}

/* At lx->i, just past a newline: skips the bodies of pending heredocs. */
static void
skip_heredoc_bodies(struct lexer *lx)
{
	for (size_t h = 0; h < lx->heredoc_count; h++) {
		const char *delim = lx->heredocs[h].delim;
		size_t dlen = strlen(delim);
		while (lx->i < lx->n) {
			size_t start = lx->i, end = start;
			while (end < lx->n && lx->s[end] != '\n')
				end++;
			lx->i = end < lx->n ? end + 1 : end;
			if (lx->heredocs[h].strip_tabs)
				while (start < end && lx->s[start] == '\t')
					start++;
			if (end > start && lx->s[end - 1] == '\r')
				end--;
			if (end - start == dlen && memcmp(lx->s + start, delim, dlen) == 0)
				break;
		}
		free(lx->heredocs[h].delim);
	}
	lx->heredoc_count = 0;
}

static void
start_word(struct lexer *lx)
{
	if (!lx->in_word) {
		lx->in_word = 1;
		lx->word_plain = 1;
		lx->word_start = lx->i;
	}
}

static void
read_double_quoted(struct lexer *lx)
{
	const char *s = lx->s;
	size_t j = lx->i + 1, n = lx->n;
	while (j < n && s[j] != '"') {
		if (s[j] == '\\' && j + 1 < n) {
			char e = s[j + 1];
			if (e != '\n') {
				if (!strchr("$`\"\\", e))
					sb_addc(&lx->word, '\\');
				sb_addc(&lx->word, e);
			}
			j += 2;
		} else if (s[j] == '$' && j + 1 < n && s[j + 1] == '(') {
			size_t end = skip_parens(s, n, j + 1, '(', ')');
			sb_add(&lx->word, s + j, end - j);
			j = end;
		} else if (s[j] == '`') {
			size_t end = skip_backticks(s, n, j);
			sb_add(&lx->word, s + j, end - j);
			j = end;
		} else {
			sb_addc(&lx->word, s[j++]);
		}
	}
	lx->i = j < n ? j + 1 : n;
}

/* $'...': the common escapes are decoded, the rest kept as written. */
static void
read_ansi_c_quoted(struct lexer *lx)
{
	const char *s = lx->s;
	size_t j = lx->i + 2, n = lx->n;
	while (j < n && s[j] != '\'') {
		if (s[j] == '\\' && j + 1 < n) {
			const char *from = "ntr\\'\"", *to = "\n\t\r\\'\"";
			const char *k = strchr(from, s[j + 1]);
			if (k && *k) {
				sb_addc(&lx->word, to[k - from]);
				j += 2;
				continue;
			}
		}
		sb_addc(&lx->word, s[j++]);
	}
	lx->i = j < n ? j + 1 : n;
}

/* Characters the lexer looks at (shell_split's loop, read_operator and
 * read_word_part); any other is part of the word it is in. */
static int
is_lexer_char(char c)
{
	switch (c) {
	case ' ': case '\t': case '\r': case '\n': case ';': case '&': case '|':
	case '<': case '>': case '(': case ')': case '\'': case '"': case '\\':
	case '`': case '$': case '=':
		return 1;
	default:
		return 0;
	}
}

/* One piece of a word at lx->i. */
static void
read_word_part(struct lexer *lx)
{
	const char *s = lx->s;
	size_t i = lx->i, n = lx->n;
	char c = s[i];
	start_word(lx);
	if (strchr("'\"\\`$<>=", c))
		lx->word_plain = 0;   /* "$x{a,b}" and "=(...)" are left alone too */
	if (c == '\'') {
		size_t j = i + 1;
		while (j < n && s[j] != '\'')
			j++;
		sb_add(&lx->word, s + i + 1, j - i - 1);
		lx->i = j < n ? j + 1 : n;
	} else if (c == '"') {
		read_double_quoted(lx);
	} else if (c == '\\') {
		if (i + 1 < n && s[i + 1] != '\n')
			sb_addc(&lx->word, s[i + 1]);
		lx->i = i + 2 < n ? i + 2 : n;
	} else if (c == '$' && i + 1 < n && s[i + 1] == '\'') {
		read_ansi_c_quoted(lx);
	} else if (c == '$' && i + 1 < n && (s[i + 1] == '(' || s[i + 1] == '{')) {
		char open = s[i + 1], close = open == '(' ? ')' : '}';
		size_t end = skip_parens(s, n, i + 1, open, close);
		sb_add(&lx->word, s + i, end - i);
		lx->i = end;
	} else if (c == '`') {
		size_t end = skip_backticks(s, n, i);
		sb_add(&lx->word, s + i, end - i);
		lx->i = end;
	} else if ((c == '<' || c == '>' || c == '=') && i + 1 < n && s[i + 1] == '(') {
		/* <(cmd), >(cmd) and arr=(a b) stay one word */
		size_t end = skip_parens(s, n, i + 1, '(', ')');
		sb_add(&lx->word, s + i, end - i);
		lx->i = end;
	} else {
		/* the characters up to the next one that means something to the
		 * lexer go in at once: the main loop would pass each of them back
		 * here ('#' inside a word is plain) */
		size_t j = i + 1;
		while (j < n && !is_lexer_char(s[j]))
			j++;
		sb_add(&lx->word, s + i, j - i);
		lx->i = j;
	}
}

/* The word read so far is a file descriptor number ("2" in "2>"). */
static int
word_is_fd(const struct lexer *lx)
{
	if (!lx->in_word || lx->word.len == 0 || lx->word.len > 3 ||
	    lx->i - lx->word_start != lx->word.len)
		return 0;
	for (size_t k = 0; k < lx->word.len; k++)
		if (lx->word.buf[k] < '0' || lx->word.buf[k] > '9')
			return 0;
	return 1;
}

static void
read_redirect(struct lexer *lx)
{
	const char *s = lx->s;
	size_t i = lx->i, n = lx->n, start = i;
	struct strbuf op = STRBUF_INIT;
	if (word_is_fd(lx)) {
		start = lx->word_start;
		sb_add(&op, lx->word.buf, lx->word.len);
		sb_reset(&lx->word);
		lx->in_word = 0;
	} else {
		end_word(lx);
	}
	static const char *const ops[] = {
		"&>>", "&>", "<<<", "<<-", "<<", "<&", "<>", "<", ">>", ">|", ">&", ">", NULL
	};
	for (size_t k = 0; ops[k]; k++) {
		size_t len = strlen(ops[k]);
		if (i + len <= n && memcmp(s + i, ops[k], len) == 0) {
			sb_adds(&op, ops[k]);
			i += len;
			break;
		}
	}
	touch_text(lx, start, i);
	lx->i = i;
	free(lx->pending_op);
	lx->pending_op = sb_detach(&op);
}

/* Reads a connector or a redirection at lx->i; returns 0 when there is
 * none there. */
static int
read_operator(struct lexer *lx)
{
	const char *s = lx->s + lx->i;
	size_t left = lx->n - lx->i;
	char c = s[0], c1 = left > 1 ? s[1] : '\0';
	if (c == ';') {
		end_command(lx, ";");
		while (lx->i < lx->n && (lx->s[lx->i] == ';' || lx->s[lx->i] == '&'))
			lx->i++;   /* ";;" and ";&" end a case branch */
	} else if (c == '&' && c1 == '&') {
		end_command(lx, "&&");
		lx->i += 2;
	} else if (c == '|' && c1 == '|') {
		end_command(lx, "||");
		lx->i += 2;
	} else if (c == '|') {
		end_command(lx, "|");
		lx->i += c1 == '&' ? 2 : 1;
	} else if (c == '&' && c1 == '>') {
		read_redirect(lx);
	} else if (c == '&') {
		end_command(lx, "&");
		lx->i++;
	} else if (c == '<' || c == '>') {
		read_redirect(lx);
	} else if (c == '(' || c == ')') {
		/* subshells and groups: their commands run like any other */
		end_command(lx, ";");
		lx->i++;
	} else {
		return 0;
	}
	return 1;
}

void
shell_split(const char *script, struct shell_command_list *out)
{
	struct lexer lx;
	memset(&lx, 0, sizeof lx);
	lx.s = script ? script : "";
	lx.n = strlen(lx.s);
	lx.out = out;
	size_t first = out->count;
	while (lx.i < lx.n) {
		char c = lx.s[lx.i];
		if (c == ' ' || c == '\t' || c == '\r') {
			end_word(&lx);
			lx.i++;
		} else if (c == '\n') {
			end_command(&lx, ";");
			lx.i++;
			skip_heredoc_bodies(&lx);
		} else if (c == '\\' && lx.i + 1 < lx.n && lx.s[lx.i + 1] == '\n') {
			lx.i += 2;    /* line continuation */
		} else if (c == '#' && !lx.in_word) {
			while (lx.i < lx.n && lx.s[lx.i] != '\n')
				lx.i++;
		} else if ((c == '<' || c == '>') && lx.i + 1 < lx.n && lx.s[lx.i + 1] == '(') {
			read_word_part(&lx);
		} else if (!read_operator(&lx)) {
			read_word_part(&lx);
		}
	}
	end_command(&lx, "");
	for (size_t h = 0; h < lx.heredoc_count; h++)
		free(lx.heredocs[h].delim);
	free(lx.heredocs);
	sb_free(&lx.word);
	/* a trailing newline or ';' is followed by nothing */
	if (out->count > first && strcmp(out->items[out->count - 1].connector, ";") == 0)
		out->items[out->count - 1].connector[0] = '\0';
}
