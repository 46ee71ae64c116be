/* shellcmd_derive.c — from simple commands to derived operations: the
 * driver, wrappers (sudo, env, timeout, bash -c ...), redirections and
 * pipelines.  The commands themselves are in shellcmd_files.c and
 * shellcmd_net.c. */
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/path.h"
#include "alibi/shellcmd.h"
#include "shellcmd_internal.h"

/* ---- option scanning ------------------------------------------------- */

void
argscan_init(struct argscan *s, char *const *argv, size_t argc,
             const char *short_with_arg, const char *const *long_with_arg)
{
	memset(s, 0, sizeof *s);
	s->argv = argv;
	s->argc = argc;
	s->i = 1;
	s->short_with_arg = short_with_arg ? short_with_arg : "";
	s->long_with_arg = long_with_arg;
}

static int
long_takes_arg(const struct argscan *s, const char *name, size_t len)
{
	for (size_t k = 0; s->long_with_arg && s->long_with_arg[k]; k++)
		if (strlen(s->long_with_arg[k]) == len &&
		    memcmp(s->long_with_arg[k], name, len) == 0)
			return 1;
	return 0;
}

static enum arg_kind
next_short(struct argscan *s, struct arg *a)
{
	const char *w = s->argv[s->i];
	char c = w[s->ci++];
	a->kind = ARG_SHORT;
	a->letter = c;
	a->index = s->i;
	if (strchr(s->short_with_arg, c)) {
		if (w[s->ci])
			a->value = w + s->ci;
		else if (s->i + 1 < s->argc)
			a->value = s->argv[++s->i];
		s->ci = 0;
		s->i++;
	} else if (!w[s->ci]) {
		s->ci = 0;
		s->i++;
	}
	return ARG_SHORT;
}

enum arg_kind
argscan_next(struct argscan *s, struct arg *a)
{
	memset(a, 0, sizeof *a);
	for (;;) {
		if (s->ci)
			return next_short(s, a);
		if (s->i >= s->argc)
			return ARG_END;
		const char *w = s->argv[s->i];
		a->index = s->i;
		if (s->options_done || w[0] != '-' || w[1] == '\0') {
			s->i++;
			if (s->stop_at_operand)
				s->options_done = 1;
			a->kind = ARG_OPERAND;
			a->value = w;
			return ARG_OPERAND;
		}
		if (w[1] != '-') {
			s->ci = 1;
			continue;
		}
		s->i++;
		if (w[2] == '\0') {
			s->options_done = 1;
			continue;
		}
		const char *eq = strchr(w + 2, '=');
		a->kind = ARG_LONG;
		a->name = w + 2;
		a->name_len = eq ? (size_t)(eq - a->name) : strlen(a->name);
		if (eq)
			a->value = eq + 1;
		else if (long_takes_arg(s, a->name, a->name_len) && s->i < s->argc)
			a->value = s->argv[s->i++];
		return ARG_LONG;
	}
}

void
argscan_skip_group(struct argscan *s)
{
	if (s->ci) {
		s->ci = 0;
		s->i++;
	}
}

int
arg_is_long(const struct arg *a, const char *name)
{
	return a->kind == ARG_LONG && strlen(name) == a->name_len &&
	       memcmp(a->name, name, a->name_len) == 0;
}

/* ---- paths and emission ---------------------------------------------- */

void
word_basename(const char *word, struct strbuf *out)
{
	size_t end = strlen(word);
	while (end > 1 && word[end - 1] == '/')
		end--;
	size_t start = end;
	while (start > 0 && word[start - 1] != '/')
		start--;
	sb_add(out, word + start, end - start);
}

/* cwd "~/x" joined with rel: normalised below "~". */
static void
join_below_home(struct strbuf *out, const char *cwd, const char *rel)
{
	struct strbuf tmp = STRBUF_INIT;
	sb_addc(&tmp, '/');
	sb_adds(&tmp, cwd + 1);
	sb_addc(&tmp, '/');
	sb_adds(&tmp, rel);
	path_normalize(tmp.buf);
	sb_addc(out, '~');
	if (strcmp(tmp.buf, "/") != 0)
		sb_adds(out, tmp.buf);
	sb_free(&tmp);
}

static void
resolve_in(const char *base, const char *word, struct strbuf *out)
{
	if (word[0] == '/')
		path_join(out, "/", word);
	else if (word[0] == '~' || word[0] == '$' || word[0] == '`' || !base || !*base)
		sb_adds(out, word);
	else if (base[0] == '/')
		path_join(out, base, word);
	else if (base[0] == '~')
		join_below_home(out, base, word);
	else
		sb_adds(out, word);
}

void
derive_resolve(const struct derive *d, const char *word, struct strbuf *out)
{
	resolve_in(sb_str(&d->cwd), word, out);
}

void
derive_resolve_under(const struct derive *d, const char *dir, const char *word,
                     struct strbuf *out)
{
	struct strbuf base = STRBUF_INIT;
	if (dir)
		derive_resolve(d, dir, &base);
	else
		sb_adds(&base, sb_str(&d->cwd));
	resolve_in(sb_str(&base), word, out);
	sb_free(&base);
}

void
derive_emit(struct derive *d, enum alibi_op_kind kind, const char *path,
            const char *path2, const char *host, int port, const char *detail)
{
	struct alibi_op op;
	memset(&op, 0, sizeof op);
	op.ts = ALIBI_TS_NONE;
	op.kind = kind;
	op.path = path && *path ? path : NULL;
	op.path2 = path2 && *path2 ? path2 : NULL;
	op.host = host && *host ? host : NULL;
	op.port = port;
	op.bytes = -1;
	op.ok = 1;
	op.detail = detail;
	op.derived = 1;
	op.raw = d->raw;
	d->emit(d->ctx, &op);
	d->count++;
}

void
derive_emit_path(struct derive *d, enum alibi_op_kind kind, const char *word,
                 const char *detail)
{
	struct strbuf path = STRBUF_INIT;
	derive_resolve(d, word, &path);
	derive_emit(d, kind, sb_str(&path), NULL, NULL, -1, detail);
	sb_free(&path);
}

/* ---- cd --------------------------------------------------------------- */

void
derive_cd(struct derive *d, char *const *argv, size_t argc)
{
	const char *dir = NULL;
	for (size_t k = 1; k < argc && !dir; k++)
		if (argv[k][0] != '-' || strcmp(argv[k], "-") == 0)
			dir = argv[k];
	struct strbuf next = STRBUF_INIT;
	if (!dir || strcmp(dir, "~") == 0)
		sb_adds(&next, "~");
	else if (strcmp(dir, "-") == 0 || dir[0] == '$' || dir[0] == '`' || strchr(dir, '$'))
		; /* somewhere we cannot know */
	else if (dir[0] == '~' && dir[1] == '/')
		join_below_home(&next, "~", dir + 2);
	else if (dir[0] == '/' || d->cwd.len)
		derive_resolve(d, dir, &next);
	sb_reset(&d->cwd);
	sb_adds(&d->cwd, sb_str(&next));
	sb_free(&next);
}

/* ---- wrappers ---------------------------------------------------------- */

struct wrapper {
	const char *name;
	const char *short_with_arg;
	const char *const *long_with_arg;
	int operands;         /* operands before the command (timeout's DURATION) */
};

static const char *const sudo_long[] = {
	"user", "group", "prompt", "close-from", "chdir", "host", "role", "type",
	"command-timeout", "other-user", NULL
};
static const char *const env_long[] = { "unset", "chdir", NULL };
static const char *const timeout_long[] = { "signal", "kill-after", NULL };
static const char *const nice_long[] = { "adjustment", NULL };
static const char *const ionice_long[] = { "class", "classdata", NULL };
static const char *const stdbuf_long[] = { "input", "output", "error", NULL };

static const struct wrapper wrappers[] = {
	{ "sudo", "ugpCDhrtTU", sudo_long, 0 },
	{ "doas", "uC", NULL, 0 },
	{ "env", "uC", env_long, 0 },
	{ "nohup", "", NULL, 0 },
	{ "setsid", "", NULL, 0 },
	{ "exec", "a", NULL, 0 },
	{ "builtin", "", NULL, 0 },
	{ "command", "", NULL, 0 },
	{ "time", "fo", NULL, 0 },
	{ "nice", "n", nice_long, 0 },
	{ "ionice", "cnp", ionice_long, 0 },
	{ "stdbuf", "ioe", stdbuf_long, 0 },
	{ "timeout", "sk", timeout_long, 1 },
	{ "unbuffer", "", NULL, 0 },
	{ "chronic", "", NULL, 0 },
	{ "busybox", "", NULL, 0 },
	{ NULL, NULL, NULL, 0 }
};

/* Index of the wrapped command in argv, 0 when argv[0] wraps nothing. */
static size_t
unwrap(char *const *argv, size_t argc)
{
	const char *name = path_basename(argv[0]);
	const struct wrapper *w = wrappers;
	while (w->name && strcmp(w->name, name) != 0)
		w++;
	if (!w->name)
		return 0;
	struct argscan s;
	struct arg a;
	argscan_init(&s, argv, argc, w->short_with_arg, w->long_with_arg);
	s.stop_at_operand = 1;
	int skip = w->operands;
	size_t at = argc;
	/* options end at the first operand; "nice -10 cmd" reads as options */
	while (argscan_next(&s, &a) != ARG_END) {
		if (a.kind == ARG_SHORT && strcmp(name, "command") == 0 &&
		    (a.letter == 'v' || a.letter == 'V'))
			return argc;   /* `command -v x` only looks x up */
		if (a.kind == ARG_OPERAND && skip-- <= 0) {
			at = a.index;
			break;
		}
	}
	/* sudo and env take NAME=value words before the command */
	while (at < argc && strchr(argv[at], '=') && argv[at][0] != '=' &&
	       (strcmp(name, "env") == 0 || strcmp(name, "sudo") == 0))
		at++;
	return at;
}

/* bash -c 'script' and friends: the script, or NULL. */
static const char *
shell_script_arg(char *const *argv, size_t argc)
{
	static const char *const shells[] = {
		"bash", "sh", "zsh", "dash", "ksh", "ash", "mksh", "fish", NULL
	};
	const char *name = path_basename(argv[0]);
	size_t k = 0;
	while (shells[k] && strcmp(shells[k], name) != 0)
		k++;
	if (!shells[k])
		return NULL;
	int has_c = 0;
	for (size_t i = 1; i < argc; i++) {
		const char *w = argv[i];
		if ((w[0] == '-' || w[0] == '+') && w[1] != '-') {
			if (strchr(w + 1, 'c') && w[0] == '-')
				has_c = 1;
			if (strchr(w + 1, 'o') || strchr(w + 1, 'O'))
				i++;   /* -o OPTION */
		} else if (w[0] == '-' && w[1] == '-') {
			if (strcmp(w, "--") == 0)
				continue;
		} else {
			return has_c ? w : NULL;
		}
	}
	return NULL;
}

/* su [-] [user] -c 'cmd' */
static const char *
su_script_arg(char *const *argv, size_t argc)
{
	const char *name = path_basename(argv[0]);
	if (strcmp(name, "su") != 0 && strcmp(name, "runuser") != 0)
		return NULL;
	for (size_t i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], "-c") == 0 || strcmp(argv[i], "--command") == 0)
			return argv[i + 1];
	return NULL;
}

static void
derive_eval(struct derive *d, char *const *argv, size_t argc)
{
	struct strbuf script = STRBUF_INIT;
	for (size_t i = 1; i < argc; i++) {
		if (i > 1)
			sb_addc(&script, ' ');
		sb_adds(&script, argv[i]);
	}
	derive_script(d, sb_str(&script));
	sb_free(&script);
}

void
derive_argv(struct derive *d, char *const *argv, size_t argc,
            const struct shell_word_list *piped, struct shell_word_list *stdout_files)
{
	for (int hops = 0; argc > 0 && hops < 16; hops++) {
		size_t at = unwrap(argv, argc);
		if (at == 0)
			break;
		argv += at;
		argc -= at;
	}
	if (argc == 0)
		return;
	const char *name = path_basename(argv[0]);
	const char *script = shell_script_arg(argv, argc);
	if (!script)
		script = su_script_arg(argv, argc);
	if (script) {
		/* the inner shell's cd does not move this one */
		struct strbuf saved = STRBUF_INIT;
		sb_adds(&saved, sb_str(&d->cwd));
		derive_script(d, script);
		sb_reset(&d->cwd);
		sb_adds(&d->cwd, sb_str(&saved));
		sb_free(&saved);
	} else if (strcmp(name, "eval") == 0) {
		derive_eval(d, argv, argc);
	} else if (strcmp(name, "cd") == 0 || strcmp(name, "pushd") == 0) {
		derive_cd(d, argv, argc);
	} else if (strcmp(name, "popd") == 0) {
		sb_reset(&d->cwd);
	} else if (strcmp(name, "xargs") == 0) {
		/* its arguments come from stdin: nothing to say */
	} else if (!derive_network_command(d, argv, argc, piped)) {
		derive_file_command(d, argv, argc, piped, stdout_files);
	}
}

/* ---- redirections -------------------------------------------------------- */

static int
is_device(const char *target)
{
	return strcmp(target, "/dev/null") == 0 || strcmp(target, "/dev/stdout") == 0 ||
	       strcmp(target, "/dev/stderr") == 0 || strcmp(target, "/dev/tty") == 0 ||
	       strncmp(target, "/dev/fd/", 8) == 0 || strncmp(target, "/proc/self/fd/", 14) == 0;
}

static int
is_fd_word(const char *w)
{
	if (strcmp(w, "-") == 0)
		return 1;
	if (!*w)
		return 0;
	for (; *w; w++)
		if (*w < '0' || *w > '9')
			return 0;
	return 1;
}

static void
derive_redirects(struct derive *d, const struct shell_simple_command *c)
{
	const char *prog = c->argv.count ? c->argv.words[0] : NULL;
	int no_command = !prog || strcmp(prog, ":") == 0 || strcmp(prog, "true") == 0;
	for (size_t k = 0; k < c->redirect_count; k++) {
		const char *op = c->redirects[k].op, *target = c->redirects[k].target;
		while (*op >= '0' && *op <= '9')
			op++;
		if (!*target || is_device(target))
			continue;
		if ((strcmp(op, ">&") == 0 || strcmp(op, "<&") == 0) && is_fd_word(target))
			continue;   /* 2>&1: a descriptor, not a file */
		if (strcmp(op, ">") == 0 || strcmp(op, ">|") == 0 || strcmp(op, "&>") == 0 ||
		    strcmp(op, ">&") == 0) {
			derive_emit_path(d, no_command ? ALIBI_OP_truncate : ALIBI_OP_create,
			                 target, c->redirects[k].op);
		} else if (strcmp(op, ">>") == 0 || strcmp(op, "&>>") == 0) {
			derive_emit_path(d, ALIBI_OP_open_write, target, c->redirects[k].op);
		}
	}
}

/* ---- the driver ------------------------------------------------------------ */

static void
derive_simple_command(struct derive *d, const struct shell_simple_command *c,
                      const struct shell_word_list *piped,
                      struct shell_word_list *stdout_files)
{
	struct shell_word_list in = { NULL, 0, 0 };
	for (size_t k = 0; piped && k < piped->count; k++)
		word_list_add(&in, piped->words[k]);
	/* "< file" feeds the command like a pipe does */
	for (size_t k = 0; k < c->redirect_count; k++) {
		const char *t = c->redirects[k].target;
		if (strcmp(c->redirects[k].op, "<") == 0 && *t && !is_device(t)) {
			struct strbuf path = STRBUF_INIT;
			derive_resolve(d, t, &path);
			word_list_add(&in, sb_str(&path));
			sb_free(&path);
		}
	}
	derive_argv(d, c->argv.words, c->argv.count, &in, stdout_files);
	derive_redirects(d, c);
	word_list_free(&in);
}

/* The commands of a script already split, one after the other. */
static void
derive_commands(struct derive *d, const struct shell_command_list *list)
{
	if (d->depth >= SHELL_MAX_DEPTH)
		return;
	d->depth++;
	const char *saved_raw = d->raw;
	struct shell_word_list piped = { NULL, 0, 0 };
	for (size_t k = 0; k < list->count; k++) {
		const struct shell_simple_command *c = &list->items[k];
		struct shell_word_list out = { NULL, 0, 0 };
		d->raw = c->text;
		derive_simple_command(d, c, &piped, &out);
		word_list_free(&piped);
		if (strcmp(c->connector, "|") == 0)
			piped = out;
		else
			word_list_free(&out);
	}
	word_list_free(&piped);
	d->raw = saved_raw;
	d->depth--;
}

void
derive_script(struct derive *d, const char *script)
{
	if (d->depth >= SHELL_MAX_DEPTH)
		return;
	struct shell_command_list list = { NULL, 0, 0 };
	shell_split(script, &list);
	derive_commands(d, &list);
	shell_command_list_free(&list);
}

static int
derive_list(const struct shell_command_list *list, const char *cwd,
            void (*emit)(void *ctx, const struct alibi_op *op), void *ctx)
{
	struct derive d;
	memset(&d, 0, sizeof d);
	d.emit = emit;
	d.ctx = ctx;
	sb_init(&d.cwd);
	sb_adds(&d.cwd, cwd);
	derive_commands(&d, list);
	sb_free(&d.cwd);
	return d.count;
}

int
shell_derive_ops(const char *script, const char *cwd,
                 void (*emit)(void *ctx, const struct alibi_op *op), void *ctx)
{
	struct shell_command_list list = { NULL, 0, 0 };
	shell_split(script ? script : "", &list);
	int count = derive_list(&list, cwd, emit, ctx);
	shell_command_list_free(&list);
	return count;
}

/* Splitting is most of the work of both, so the script is split once. */
int
shell_derive_and_follow(const char *script, struct strbuf *cwd,
                        void (*emit)(void *ctx, const struct alibi_op *op), void *ctx)
{
	struct shell_command_list list = { NULL, 0, 0 };
	shell_split(script ? script : "", &list);
	int count = emit ? derive_list(&list, cwd->len ? sb_str(cwd) : NULL, emit, ctx) : 0;
	follow_cwd_list(&list, cwd);
	shell_command_list_free(&list);
	return count;
}
