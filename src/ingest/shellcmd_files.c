/* shellcmd_files.c — the file commands a shell script can run, turned into
 * derived operations: rm, cp, mv, ln, touch, sed -i, chmod, kill, tar, ...
 * Each handler reads argv the way the GNU tool does (options anywhere,
 * "--" ends them) and emits one op per file it names. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alibi/alloc.h"
#include "alibi/path.h"
#include "shellcmd_internal.h"

/* The operands of a command line, in order. */
struct operands {
	const char **v;
	size_t n;
};

static void
operands_init(struct operands *o, size_t argc)
{
	o->v = xcalloc(argc ? argc : 1, sizeof *o->v);
	o->n = 0;
}

static void
operands_add(struct operands *o, const char *w)
{
	o->v[o->n++] = w;
}

static void
emit_each(struct derive *d, enum alibi_op_kind kind, const struct operands *o,
          size_t from, const char *detail)
{
	for (size_t k = from; k < o->n; k++)
		if (strcmp(o->v[k], "-") != 0)
			derive_emit_path(d, kind, o->v[k], detail);
}

/* ---- rm, rmdir, unlink, shred, mkdir ------------------------------------- */

static void
derive_rm(struct derive *d, char *const *argv, size_t argc)
{
	struct argscan s;
	struct arg a;
	struct operands o;
	int recursive = 0, force = 0;
	operands_init(&o, argc);
	argscan_init(&s, argv, argc, "", NULL);
	while (argscan_next(&s, &a) != ARG_END) {
		if (a.kind == ARG_OPERAND)
			operands_add(&o, a.value);
		else if (a.letter == 'r' || a.letter == 'R' || arg_is_long(&a, "recursive"))
			recursive = 1;
		else if (a.letter == 'f' || arg_is_long(&a, "force"))
			force = 1;
	}
	/* whether a path is a directory is unknowable here: always unlink */
	const char *detail = recursive ? (force ? "rm -rf" : "rm -r") : (force ? "rm -f" : "rm");
	emit_each(d, ALIBI_OP_unlink, &o, 0, detail);
	free(o.v);
}

static void
derive_simple_files(struct derive *d, char *const *argv, size_t argc,
                    const char *short_with_arg, const char *const *long_with_arg,
                    enum alibi_op_kind kind, const char *detail)
{
	struct argscan s;
	struct arg a;
	argscan_init(&s, argv, argc, short_with_arg, long_with_arg);
	while (argscan_next(&s, &a) != ARG_END)
		if (a.kind == ARG_OPERAND && strcmp(a.value, "-") != 0)
			derive_emit_path(d, kind, a.value, detail);
}

static void
derive_shred(struct derive *d, char *const *argv, size_t argc)
{
	static const char *const longs[] = { "iterations", "size", "random-source", NULL };
	derive_simple_files(d, argv, argc, "ns", longs, ALIBI_OP_unlink, "shred");
}

static void
derive_mkdir(struct derive *d, char *const *argv, size_t argc)
{
	static const char *const longs[] = { "mode", NULL };
	derive_simple_files(d, argv, argc, "m", longs, ALIBI_OP_mkdir, NULL);
}

/* ---- cp, mv, install, ln ------------------------------------------------- */

static int
names_a_directory(const char *w)
{
	size_t n = strlen(w);
	return (n > 0 && w[n - 1] == '/') || strcmp(w, ".") == 0 ||
	       strcmp(w, "..") == 0 || strcmp(w, "~") == 0;
}

/* kind from each source to dst: into dst when it is a directory
 * (several sources, a trailing '/', -t), else onto it. */
static void
emit_transfers_to(struct derive *d, enum alibi_op_kind kind, const char *const *src,
                  size_t n, const char *dst, int into, const char *detail)
{
	struct strbuf from = STRBUF_INIT, to = STRBUF_INIT;
	into = into || n > 1 || names_a_directory(dst);
	for (size_t k = 0; k < n; k++) {
		if (strcmp(src[k], "-") == 0)
			continue;
		sb_reset(&from);
		sb_reset(&to);
		derive_resolve(d, src[k], &from);
		if (into) {
			struct strbuf rel = STRBUF_INIT;
			word_basename(src[k], &rel);
			derive_resolve_under(d, dst, sb_str(&rel), &to);
			sb_free(&rel);
		} else {
			derive_resolve(d, dst, &to);
		}
		derive_emit(d, kind, sb_str(&from), sb_str(&to), NULL, -1, detail);
	}
	sb_free(&from);
	sb_free(&to);
}

static void
derive_copy_like(struct derive *d, char *const *argv, size_t argc,
                 enum alibi_op_kind kind, const char *detail)
{
	static const char *const longs[] = {
		"target-directory", "suffix", "mode", "owner", "group", "strip-program", NULL
	};
	const int install = strcmp(path_basename(argv[0]), "install") == 0;
	struct argscan s;
	struct arg a;
	struct operands o;
	const char *target_dir = NULL;
	int make_dirs = 0;
	operands_init(&o, argc);
	argscan_init(&s, argv, argc, install ? "tSmog" : "tS", longs);
	while (argscan_next(&s, &a) != ARG_END) {
		if (a.kind == ARG_OPERAND)
			operands_add(&o, a.value);
		else if ((a.letter == 't' || arg_is_long(&a, "target-directory")) && a.value)
			target_dir = a.value;
		else if (install && a.letter == 'd')
			make_dirs = 1;
	}
	if (make_dirs)
		emit_each(d, ALIBI_OP_mkdir, &o, 0, NULL);
	else if (target_dir)
		emit_transfers_to(d, kind, o.v, o.n, target_dir, 1, detail);
	else if (o.n >= 2)
		emit_transfers_to(d, kind, o.v, o.n - 1, o.v[o.n - 1], 0, detail);
	free(o.v);
}

static void
derive_ln(struct derive *d, char *const *argv, size_t argc)
{
	static const char *const longs[] = { "target-directory", "suffix", NULL };
	struct argscan s;
	struct arg a;
	struct operands o;
	const char *target_dir = NULL;
	int symbolic = 0;
	operands_init(&o, argc);
	argscan_init(&s, argv, argc, "tS", longs);
	while (argscan_next(&s, &a) != ARG_END) {
		if (a.kind == ARG_OPERAND)
			operands_add(&o, a.value);
		else if (a.letter == 's' || arg_is_long(&a, "symbolic"))
			symbolic = 1;
		else if ((a.letter == 't' || arg_is_long(&a, "target-directory")) && a.value)
			target_dir = a.value;
	}
	const char *detail = symbolic ? "symbolic" : "hard";
	if (target_dir)
		emit_transfers_to(d, ALIBI_OP_link, o.v, o.n, target_dir, 1, detail);
	else if (o.n == 1)
		emit_transfers_to(d, ALIBI_OP_link, o.v, 1, ".", 1, detail);
	else if (o.n >= 2)
		emit_transfers_to(d, ALIBI_OP_link, o.v, o.n - 1, o.v[o.n - 1], 0, detail);
	free(o.v);
}

/* ---- touch, sed -i, perl -i, truncate ---------------------------------------- */

static void
derive_touch(struct derive *d, char *const *argv, size_t argc)
{
	static const char *const longs[] = { "date", "reference", "time", NULL };
	struct argscan s;
	struct arg a;
	struct operands o;
	struct strbuf detail = STRBUF_INIT;
	int no_create = 0;
	operands_init(&o, argc);
	argscan_init(&s, argv, argc, "drt", longs);
	while (argscan_next(&s, &a) != ARG_END) {
		if (a.kind == ARG_OPERAND) {
			operands_add(&o, a.value);
		} else if ((a.letter == 'd' || a.letter == 't' || arg_is_long(&a, "date")) && a.value) {
			sb_reset(&detail);
			sb_adds(&detail, a.value);
		} else if ((a.letter == 'r' || arg_is_long(&a, "reference")) && a.value) {
			sb_reset(&detail);
			sb_adds(&detail, "like ");
			derive_resolve(d, a.value, &detail);
		} else if (a.letter == 'c' || arg_is_long(&a, "no-create")) {
			no_create = 1;
		}
	}
	if (detail.len)
		emit_each(d, ALIBI_OP_utime, &o, 0, sb_str(&detail));
	else if (no_create)
		emit_each(d, ALIBI_OP_utime, &o, 0, "now");
	else
		emit_each(d, ALIBI_OP_create, &o, 0, "touch");
	sb_free(&detail);
	free(o.v);
}

static void
derive_sed(struct derive *d, char *const *argv, size_t argc)
{
	static const char *const longs[] = { "expression", "file", "line-length", NULL };
	struct argscan s;
	struct arg a;
	struct operands o;
	int in_place = 0, have_script = 0;
	operands_init(&o, argc);
	argscan_init(&s, argv, argc, "efl", longs);
	while (argscan_next(&s, &a) != ARG_END) {
		if (a.kind == ARG_OPERAND) {
			operands_add(&o, a.value);
		} else if (a.letter == 'i') {
			in_place = 1;
			argscan_skip_group(&s);   /* -i.bak: the rest is a suffix */
		} else if (arg_is_long(&a, "in-place")) {
			in_place = 1;
		} else if (a.letter == 'e' || a.letter == 'f' || arg_is_long(&a, "expression") ||
		           arg_is_long(&a, "file")) {
			have_script = 1;
		}
	}
	if (in_place)
		emit_each(d, ALIBI_OP_open_write, &o, have_script ? 0 : 1, "sed -i");
	free(o.v);
}

/* perl -pi -e 's/a/b/' file: switches bundle, -e takes the next word. */
static void
derive_perl(struct derive *d, char *const *argv, size_t argc)
{
	int in_place = 0, have_script = 0;
	size_t k = 1;
	for (; k < argc && argv[k][0] == '-' && argv[k][1]; k++) {
		if (strcmp(argv[k], "--") == 0) {
			k++;
			break;
		}
		for (const char *p = argv[k] + 1; *p; p++) {
			if (*p == 'i') {
				in_place = 1;
				break;
			}
			if (*p == 'e' || *p == 'E') {
				have_script = 1;
				if (!p[1])
					k++;
				break;
			}
			if (strchr("IMmxlC0", *p))
				break;
		}
	}
	if (!in_place)
		return;
	if (!have_script && k < argc)
		k++;
	for (; k < argc; k++)
		derive_emit_path(d, ALIBI_OP_open_write, argv[k], "perl -i");
}

static void
derive_truncate(struct derive *d, char *const *argv, size_t argc)
{
	static const char *const longs[] = { "size", "reference", NULL };
	struct argscan s;
	struct arg a;
	struct operands o;
	const char *size = NULL;
	operands_init(&o, argc);
	argscan_init(&s, argv, argc, "sr", longs);
	while (argscan_next(&s, &a) != ARG_END) {
		if (a.kind == ARG_OPERAND)
			operands_add(&o, a.value);
		else if (a.letter == 's' || arg_is_long(&a, "size"))
			size = a.value;
	}
	emit_each(d, ALIBI_OP_truncate, &o, 0, size);
	free(o.v);
}

/* ---- chmod, chown, chgrp --------------------------------------------------- */

/* chmod's mode may look like an option ("-x"); only these are options. */
static int
is_chmod_option(const char *w)
{
	if (w[0] != '-' || !w[1])
		return 0;
	if (w[1] == '-')
		return 1;
	for (const char *p = w + 1; *p; p++)
		if (!strchr("cfvRhHLP", *p))
			return 0;
	return 1;
}

static void
derive_owner_or_mode(struct derive *d, char *const *argv, size_t argc,
                     enum alibi_op_kind kind, const char *detail_prefix)
{
	struct strbuf detail = STRBUF_INIT;
	int have_detail = 0, options_done = 0;
	for (size_t k = 1; k < argc; k++) {
		const char *w = argv[k];
		if (!options_done && strcmp(w, "--") == 0) {
			options_done = 1;
		} else if (!options_done && strncmp(w, "--reference=", 12) == 0) {
			sb_adds(&detail, "like ");
			derive_resolve(d, w + 12, &detail);
			have_detail = 1;
		} else if (!options_done && is_chmod_option(w)) {
			continue;
		} else if (!have_detail) {
			sb_adds(&detail, detail_prefix);
			sb_adds(&detail, w);
			have_detail = 1;
		} else {
			derive_emit_path(d, kind, w, sb_str(&detail));
		}
	}
	sb_free(&detail);
}

/* ---- kill, pkill, killall ------------------------------------------------- */

static void
signal_name(const char *sig, struct strbuf *out)
{
	static const char *const by_number[] = {
		NULL, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL",
		"USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT",
		"STOP", "TSTP"
	};
	if (isdigit((unsigned char)sig[0])) {
		long n = strtol(sig, NULL, 10);
		if (n > 0 && n < (long)(sizeof by_number / sizeof *by_number)) {
			sb_adds(out, "SIG");
			sb_adds(out, by_number[n]);
		} else {
			sb_adds(out, "signal ");
			sb_adds(out, sig);
		}
		return;
	}
	if (strncasecmp(sig, "SIG", 3) != 0)
		sb_adds(out, "SIG");
	for (const char *p = sig; *p; p++)
		sb_addc(out, (char)toupper((unsigned char)*p));
}

/* "-9", "-KILL", "-SIGKILL": a signal written as an option.  Single
 * capital letters are pkill's options (-U, -P), not signals. */
static int
is_signal_option(const char *w)
{
	if (w[0] != '-' || !w[1])
		return 0;
	if (isdigit((unsigned char)w[1])) {
		for (const char *p = w + 1; *p; p++)
			if (!isdigit((unsigned char)*p))
				return 0;
		return 1;
	}
	if (!isupper((unsigned char)w[1]) || !w[2])
		return 0;
	for (const char *p = w + 1; *p; p++)
		if (!isupper((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '+' && *p != '-')
			return 0;
	return 1;
}

/* Index of the first operand after kill/pkill/killall's options; *sig
 * gets the signal they name. */
static size_t
kill_options(char *const *argv, size_t argc, const char **sig)
{
	const char *name = path_basename(argv[0]);
	int is_kill = strcmp(name, "kill") == 0, is_pkill = strcmp(name, "pkill") == 0;
	/* options with an argument, besides the signal */
	const char *with_arg = is_kill ? "" : is_pkill ? "gGPstuUF" : "uoy";
	size_t k = 1;
	for (; k < argc; k++) {
		const char *w = argv[k];
		if (strcmp(w, "--") == 0)
			return k + 1;
		if (w[0] != '-' || !w[1])
			return k;
		int sig_next = strcmp(w, "--signal") == 0 ||
		               (!is_pkill && strcmp(w, "-s") == 0) ||
		               (is_kill && strcmp(w, "-n") == 0);
		if (sig_next && k + 1 < argc)
			*sig = argv[++k];
		else if (strncmp(w, "--signal=", 9) == 0)
			*sig = w + 9;
		else if (is_signal_option(w))
			*sig = w + 1;
		else if (w[1] != '-' && !w[2] && strchr(with_arg, w[1]) && k + 1 < argc)
			k++;
	}
	return k;
}

static void
derive_kill(struct derive *d, char *const *argv, size_t argc)
{
	const char *name = path_basename(argv[0]);
	for (size_t k = 1; k < argc; k++)
		if (strcmp(name, "kill") == 0 && (strcmp(argv[k], "-l") == 0 || strcmp(argv[k], "-L") == 0))
			return;   /* lists signal names */
	const char *sig = "TERM";
	size_t k = kill_options(argv, argc, &sig);
	/* pkill takes one pattern; kill pids and killall names, many */
	size_t last = strcmp(name, "pkill") == 0 && k < argc ? k + 1 : argc;
	struct strbuf detail = STRBUF_INIT;
	for (; k < last; k++) {
		sb_reset(&detail);
		signal_name(sig, &detail);
		sb_addc(&detail, ' ');
		sb_adds(&detail, argv[k]);
		derive_emit(d, ALIBI_OP_kill, NULL, NULL, NULL, -1, sb_str(&detail));
	}
	sb_free(&detail);
}

/* ---- tar -------------------------------------------------------------------- */

struct tar_state {
	char mode;            /* 'c', 'x', 't', 'r', 'u' or 0 */
	const char *archive;
	const char *dir;      /* -C */
	struct operands paths;
	const char **dirs;    /* the -C in force for each path */
};

static void
tar_option(struct tar_state *t, char letter, const char *value)
{
	if (strchr("cxtruA", letter))
		t->mode = letter == 'A' ? 'r' : letter;
	else if (letter == 'f')
		t->archive = value;
	else if (letter == 'C')
		t->dir = value;
}

/* "tar czf out.tgz dir": the first word bundles options without a dash and
 * their arguments follow in order.  Returns the index after them. */
static size_t
tar_old_style(struct tar_state *t, char *const *argv, size_t argc)
{
	size_t next = 2;
	for (const char *p = argv[1]; *p; p++) {
		const char *value = NULL;
		if (strchr("fCTXbgKLNVHI", *p) && next < argc)
			value = argv[next++];
		tar_option(t, *p, value);
	}
	return next;
}

static void
derive_tar(struct derive *d, char *const *argv, size_t argc,
           struct shell_word_list *stdout_files)
{
	static const char *const longs[] = {
		"file", "directory", "files-from", "exclude-from", "exclude",
		"use-compress-program", "transform", "owner", "group", "mode", "mtime",
		"newer", "label", "format", "blocking-factor", "listed-incremental", NULL
	};
	struct tar_state t;
	memset(&t, 0, sizeof t);
	operands_init(&t.paths, argc);
	t.dirs = xcalloc(argc ? argc : 1, sizeof *t.dirs);
	size_t start = 1;
	if (argc > 1 && argv[1][0] != '-')
		start = tar_old_style(&t, argv, argc);
	struct argscan s;
	struct arg a;
	argscan_init(&s, argv + start - 1, argc - (start - 1), "fCTXbgKLNVHI", longs);
	while (argscan_next(&s, &a) != ARG_END) {
		if (a.kind == ARG_OPERAND) {
			t.dirs[t.paths.n] = t.dir;
			operands_add(&t.paths, a.value);
		} else if (a.kind == ARG_SHORT) {
			tar_option(&t, a.letter, a.value);
		} else if (arg_is_long(&a, "create")) {
			t.mode = 'c';
		} else if (arg_is_long(&a, "extract") || arg_is_long(&a, "get")) {
			t.mode = 'x';
		} else if (arg_is_long(&a, "file")) {
			t.archive = a.value;
		} else if (arg_is_long(&a, "directory")) {
			t.dir = a.value;
		}
	}
	int to_stdout = !t.archive || strcmp(t.archive, "-") == 0;
	if (t.mode == 'c' || t.mode == 'r' || t.mode == 'u') {
		if (!to_stdout)
			derive_emit_path(d, t.mode == 'c' ? ALIBI_OP_create : ALIBI_OP_open_write,
			                 t.archive, "tar");
		struct strbuf path = STRBUF_INIT;
		for (size_t k = 0; k < t.paths.n; k++) {
			sb_reset(&path);
			derive_resolve_under(d, t.dirs[k], t.paths.v[k], &path);
			derive_emit(d, ALIBI_OP_open_read, sb_str(&path), NULL, NULL, -1, "tar");
			if (to_stdout && stdout_files)
				word_list_add(stdout_files, sb_str(&path));
		}
		sb_free(&path);
	} else if (t.mode == 'x') {
		struct strbuf detail = STRBUF_INIT;
		sb_adds(&detail, "tar -x");
		if (!to_stdout) {
			sb_addc(&detail, ' ');
			derive_resolve(d, t.archive, &detail);
		}
		derive_emit_path(d, ALIBI_OP_create, t.dir ? t.dir : ".", sb_str(&detail));
		sb_free(&detail);
	}
	free(t.paths.v);
	free(t.dirs);
}

/* ---- tee, dd, history, find ---------------------------------------------------- */

static void
derive_tee(struct derive *d, char *const *argv, size_t argc)
{
	struct argscan s;
	struct arg a;
	struct operands o;
	int append = 0;
	operands_init(&o, argc);
	argscan_init(&s, argv, argc, "", NULL);
	while (argscan_next(&s, &a) != ARG_END) {
		if (a.kind == ARG_OPERAND)
			operands_add(&o, a.value);
		else if (a.letter == 'a' || arg_is_long(&a, "append"))
			append = 1;
	}
	emit_each(d, append ? ALIBI_OP_open_write : ALIBI_OP_create, &o, 0, "tee");
	free(o.v);
}

static void
derive_dd(struct derive *d, char *const *argv, size_t argc,
          struct shell_word_list *stdout_files)
{
	const char *in = NULL, *out = NULL;
	int notrunc = 0;
	for (size_t k = 1; k < argc; k++) {
		if (strncmp(argv[k], "if=", 3) == 0)
			in = argv[k] + 3;
		else if (strncmp(argv[k], "of=", 3) == 0)
			out = argv[k] + 3;
		else if (strncmp(argv[k], "conv=", 5) == 0 && strstr(argv[k], "notrunc"))
			notrunc = 1;
	}
	if (out)
		derive_emit_path(d, notrunc ? ALIBI_OP_open_write : ALIBI_OP_create, out, "dd");
	else if (in && stdout_files) {
		struct strbuf path = STRBUF_INIT;
		derive_resolve(d, in, &path);
		word_list_add(stdout_files, sb_str(&path));
		sb_free(&path);
	}
}

static void
derive_history(struct derive *d, char *const *argv, size_t argc)
{
	for (size_t k = 1; k < argc; k++)
		if (strcmp(argv[k], "-c") == 0) {
			derive_emit(d, ALIBI_OP_unlink, "~/.bash_history", NULL, NULL, -1,
			            "history -c");
			return;
		}
}

/* find ROOT... -name PAT -delete | -exec CMD {} \; — the files are the
 * ones matching the test, written as a glob below each root. */
static void
derive_find(struct derive *d, char *const *argv, size_t argc)
{
	size_t k = 1;
	while (k < argc && argv[k][0] == '-' && strchr("HLPO", argv[k][1]) && argv[k][1])
		k++;
	size_t roots = k;
	while (k < argc && argv[k][0] != '-' && argv[k][0] != '(' && argv[k][0] != '!')
		k++;
	size_t roots_end = k;
	const char *name = NULL;
	for (size_t j = k; j + 1 < argc; j++)
		if (strcmp(argv[j], "-name") == 0 || strcmp(argv[j], "-iname") == 0)
			name = argv[j + 1];
	struct strbuf pattern = STRBUF_INIT;
	for (size_t r = roots; r < (roots_end > roots ? roots_end : roots + 1); r++) {
		const char *root = r < roots_end ? argv[r] : ".";
		sb_reset(&pattern);
		derive_resolve_under(d, root, name ? name : "*", &pattern);
		for (size_t j = k; j < argc; j++) {
			if (strcmp(argv[j], "-delete") == 0) {
				derive_emit(d, ALIBI_OP_unlink, sb_str(&pattern), NULL, NULL, -1,
				            "find -delete");
			} else if (strcmp(argv[j], "-exec") == 0 || strcmp(argv[j], "-execdir") == 0) {
				size_t end = j + 1;
				while (end < argc && strcmp(argv[end], ";") != 0 && strcmp(argv[end], "+") != 0)
					end++;
				char **sub = xcalloc(end - j, sizeof *sub);
				for (size_t w = j + 1; w < end; w++)
					sub[w - j - 1] = strcmp(argv[w], "{}") == 0 ? pattern.buf : argv[w];
				derive_argv(d, sub, end - j - 1, NULL, NULL);
				free(sub);
				j = end;
			}
		}
	}
	sb_free(&pattern);
}

/* ---- cat and filters: what flows down a pipe ------------------------------------ */

/* cat FILE | ...: the files a reading command sends to stdout; filters
 * (gzip, base64, ...) without files pass their input on. */
static int
derive_stream(struct derive *d, char *const *argv, size_t argc,
              const struct shell_word_list *piped, struct shell_word_list *stdout_files)
{
	static const struct {
		const char *name;
		const char *short_with_arg;
		int needs_stdout_flag;    /* gzip FILE compresses in place */
	} readers[] = {
		{ "cat", "", 0 }, { "pv", "LsBNiWd", 0 }, { "base64", "w", 0 },
		{ "xxd", "cglos", 0 }, { "head", "nc", 0 }, { "tail", "nc", 0 },
		{ "gzip", "S", 1 }, { "pigz", "Sp", 1 }, { "bzip2", "", 1 }, { "xz", "T", 1 },
		{ "zstd", "oT", 1 }, { "lz4", "", 1 }, { "gpg", "roe", 0 },
		{ "openssl", "", 0 }, { "mbuffer", "msb", 0 }, { "tee", "", 0 },
		{ NULL, NULL, 0 }
	};
	const char *name = path_basename(argv[0]);
	size_t r = 0;
	while (readers[r].name && strcmp(readers[r].name, name) != 0)
		r++;
	if (!readers[r].name)
		return 0;
	struct argscan s;
	struct arg a;
	int to_stdout = !readers[r].needs_stdout_flag, files = 0;
	argscan_init(&s, argv, argc, readers[r].short_with_arg, NULL);
	struct shell_word_list named = { NULL, 0, 0 };
	while (argscan_next(&s, &a) != ARG_END) {
		if (a.kind == ARG_OPERAND && strcmp(name, "tee") != 0 && strcmp(name, "openssl") != 0 &&
		    strcmp(name, "gpg") != 0 && strcmp(a.value, "-") != 0) {
			struct strbuf path = STRBUF_INIT;
			derive_resolve(d, a.value, &path);
			word_list_add(&named, sb_str(&path));
			sb_free(&path);
			files++;
		} else if (a.letter == 'c' || arg_is_long(&a, "stdout")) {
			to_stdout = 1;
		}
	}
	const struct shell_word_list *flow = files ? &named : piped;
	for (size_t k = 0; stdout_files && to_stdout && flow && k < flow->count; k++)
		word_list_add(stdout_files, flow->words[k]);
	word_list_free(&named);
	if (strcmp(name, "tee") == 0)
		derive_tee(d, argv, argc);
	return 1;
}

/* ---- dispatch ----------------------------------------------------------------- */

int
derive_file_command(struct derive *d, char *const *argv, size_t argc,
                    const struct shell_word_list *piped, struct shell_word_list *stdout_files)
{
	static const char *const rmdir_long[] = { NULL };
	const char *name = path_basename(argv[0]);
	if (strcmp(name, "rm") == 0)
		derive_rm(d, argv, argc);
	else if (strcmp(name, "rmdir") == 0)
		derive_simple_files(d, argv, argc, "", rmdir_long, ALIBI_OP_rmdir, NULL);
	else if (strcmp(name, "unlink") == 0)
		derive_simple_files(d, argv, argc, "", NULL, ALIBI_OP_unlink, "unlink");
	else if (strcmp(name, "shred") == 0)
		derive_shred(d, argv, argc);
	else if (strcmp(name, "mkdir") == 0)
		derive_mkdir(d, argv, argc);
	else if (strcmp(name, "cp") == 0 || strcmp(name, "install") == 0)
		derive_copy_like(d, argv, argc, ALIBI_OP_copy, name);
	else if (strcmp(name, "mv") == 0)
		derive_copy_like(d, argv, argc, ALIBI_OP_rename, "mv");
	else if (strcmp(name, "ln") == 0)
		derive_ln(d, argv, argc);
	else if (strcmp(name, "touch") == 0)
		derive_touch(d, argv, argc);
	else if (strcmp(name, "sed") == 0)
		derive_sed(d, argv, argc);
	else if (strcmp(name, "perl") == 0)
		derive_perl(d, argv, argc);
	else if (strcmp(name, "truncate") == 0)
		derive_truncate(d, argv, argc);
	else if (strcmp(name, "chmod") == 0)
		derive_owner_or_mode(d, argv, argc, ALIBI_OP_chmod, "");
	else if (strcmp(name, "chown") == 0)
		derive_owner_or_mode(d, argv, argc, ALIBI_OP_chown, "");
	else if (strcmp(name, "chgrp") == 0)
		derive_owner_or_mode(d, argv, argc, ALIBI_OP_chown, ":");
	else if (strcmp(name, "kill") == 0 || strcmp(name, "pkill") == 0 ||
	         strcmp(name, "killall") == 0)
		derive_kill(d, argv, argc);
	else if (strcmp(name, "tar") == 0)
		derive_tar(d, argv, argc, stdout_files);
	else if (strcmp(name, "dd") == 0)
		derive_dd(d, argv, argc, stdout_files);
	else if (strcmp(name, "history") == 0)
		derive_history(d, argv, argc);
	else if (strcmp(name, "find") == 0)
		derive_find(d, argv, argc);
	else
		return derive_stream(d, argv, argc, piped, stdout_files);
	return 1;
}
