/* shellcmd_internal.h — what the shellcmd*.c files share; not an interface
 * for other modules (they use alibi/shellcmd.h). */
#ifndef ALIBI_SHELLCMD_INTERNAL_H
#define ALIBI_SHELLCMD_INTERNAL_H

#include <stddef.h>

#include "alibi/records.h"
#include "alibi/shellcmd.h"
#include "alibi/strbuf.h"

/* How deep `bash -c '...'`, `eval` and `su -c` may nest before the rest is
 * ignored: deeper is either a joke or an attack on the parser. */
#define SHELL_MAX_DEPTH 8

/* The state of one shell_derive_ops() run. */
struct derive {
	void (*emit)(void *ctx, const struct alibi_op *op);
	void *ctx;
	struct strbuf cwd;     /* the shell's directory; "" while unknown */
	const char *raw;       /* the simple command being read, as written */
	int count;             /* ops emitted */
	int depth;             /* nesting of shells inside the script */
};

void word_list_add(struct shell_word_list *l, const char *word);
void word_list_free(struct shell_word_list *l);
/* Adds word to out with its "{a,b}" groups expanded, as the shell (and
 * curl, for -T and URLs) does; an expansion past 256 words is not made. */
void brace_expand(const char *word, struct shell_word_list *out);

/* Emits one derived op; path, path2 and host are used as given. */
void derive_emit(struct derive *d, enum alibi_op_kind kind, const char *path,
                 const char *path2, const char *host, int port,
                 const char *detail);
/* Appends word as a path: joined with the cwd when relative and the cwd is
 * known; "~..." and "$VAR..." words stay as written. */
void derive_resolve(const struct derive *d, const char *word, struct strbuf *out);
/* derive_emit() with path = derive_resolve(word). */
void derive_emit_path(struct derive *d, enum alibi_op_kind kind,
                      const char *word, const char *detail);
/* Runs a whole script (bash -c '...') in the current state. */
void derive_script(struct derive *d, const char *script);
/* Derives the ops of one command (argv[0] is the program), looking through
 * wrappers such as sudo.  piped holds the files flowing into its stdin;
 * stdout_files (may be NULL) receives the files it writes to stdout, so
 * `tar cz dir | ssh host ...` can tell what left for the host. */
void derive_argv(struct derive *d, char *const *argv, size_t argc,
                 const struct shell_word_list *piped,
                 struct shell_word_list *stdout_files);
/* Handlers by program name; each returns 1 when it knew argv[0]. */
int derive_file_command(struct derive *d, char *const *argv, size_t argc,
                        const struct shell_word_list *piped,
                        struct shell_word_list *stdout_files);
int derive_network_command(struct derive *d, char *const *argv, size_t argc,
                           const struct shell_word_list *piped);
/* shell_follow_cwd() on a script already split. */
void follow_cwd_list(const struct shell_command_list *list, struct strbuf *cwd);
/* The cd builtin: updates d->cwd. */
void derive_cd(struct derive *d, char *const *argv, size_t argc);
/* The last path component of word, trailing slashes ignored. */
void word_basename(const char *word, struct strbuf *out);
/* word resolved below dir (itself resolved against the cwd). */
void derive_resolve_under(const struct derive *d, const char *dir,
                          const char *word, struct strbuf *out);

/* Option scanning in the getopt manner.  Short options listed in
 * short_with_arg take an argument (attached or the next word); long
 * options listed in long_with_arg take the next word unless written
 * "--name=value". */
enum arg_kind { ARG_END = 0, ARG_OPERAND, ARG_SHORT, ARG_LONG };

struct arg {
	enum arg_kind kind;
	char letter;          /* ARG_SHORT */
	const char *name;     /* ARG_LONG: after "--", up to '=' */
	size_t name_len;
	const char *value;    /* the option's argument or the operand; may be NULL */
	size_t index;         /* argv index of the word it was read from */
};

struct argscan {
	char *const *argv;
	size_t argc;
	size_t i;             /* next word */
	size_t ci;            /* position inside a group of short options */
	const char *short_with_arg;
	const char *const *long_with_arg;
	int options_done;     /* after "--" */
	int stop_at_operand;  /* options end at the first operand (ssh, sudo) */
};

void argscan_init(struct argscan *s, char *const *argv, size_t argc,
                  const char *short_with_arg, const char *const *long_with_arg);
enum arg_kind argscan_next(struct argscan *s, struct arg *a);
/* Drops the rest of the current group of short options ("-i.bak"). */
void argscan_skip_group(struct argscan *s);
int arg_is_long(const struct arg *a, const char *name);

/* A URL or scp-style "[user@]host:path" split into its parts. */
struct remote {
	struct strbuf host;
	struct strbuf path;
	int port;             /* -1 when not given */
};
void remote_init(struct remote *r);
void remote_free(struct remote *r);
/* "scheme://[user@]host[:port]/path" or "host/path"; the port defaults by
 * scheme (http 80, https 443, ftp 21, ...), to default_port without one.
 * Returns 0 when there is no host. */
int url_parse(const char *url, int default_port, struct remote *r);

#endif
