/* shellcmd.h — what a shell command in a tool call says it will do.
 *
 * A tool call such as bash{"command": "scp -r /srv/models/agent2 backup:/srv
 * && rm -rf /srv/models/agent2"} is split into simple commands (on ; && ||
 * | & and newlines, honouring quotes, escapes, $(...) and heredocs), and
 * the commands alibi understands become derived operations: lower
 * confidence than a syscall log, but available when no log is. */
#ifndef ALIBI_SHELLCMD_H
#define ALIBI_SHELLCMD_H

#include "alibi/records.h"
#include "alibi/strbuf.h"

struct shell_word_list {
	char **words;
	size_t count, cap;
};

struct shell_redirect {
	char *op;      /* ">", ">>", "<", "2>", "&>" ... */
	char *target;
};

struct shell_simple_command {
	struct shell_word_list argv;  /* after quote removal; assignments dropped */
	struct shell_redirect *redirects;
	size_t redirect_count;
	char *connector;   /* what follows it: ";", "&&", "||", "|", "&", or "" */
	char *text;        /* the command as written */
};

struct shell_command_list {
	struct shell_simple_command *items;
	size_t count, cap;
};

/* Splits script into simple commands.  Never fails: unbalanced quotes end
 * at the end of the text. */
void shell_split(const char *script, struct shell_command_list *out);
void shell_command_list_free(struct shell_command_list *list);

/* Calls emit for every derived operation the script implies, with cwd
 * (may be NULL) used to make relative paths absolute.  Understood: rm,
 * rmdir, cp, mv, ln, scp, rsync, curl (-T/--upload-file, -d @file, -F
 * x=@file, -o), wget (-O, --post-file), ssh (the remote command is a
 * connect to the host), tar (c/x with -f), touch (-d/-t/-r/--date), sed -i,
 * chmod, chown, kill/pkill/killall, truncate, shred, mkdir, "> file",
 * ">> file" and ": > file" truncation.  Each op has derived = 1, ok = 1,
 * ts/line/tool_call left for the caller to fill, and raw = the simple
 * command's text.  Returns how many ops were emitted. */
int shell_derive_ops(const char *script, const char *cwd,
                     void (*emit)(void *ctx, const struct alibi_op *op),
                     void *ctx);

/* Extracts the shell command from a tool call, when the tool is a shell:
 * name bash, shell, sh, run, run_command, execute, execute_command,
 * terminal, exec, container.exec (case-insensitive) with a "command",
 * "cmd", "script" or "code" string argument, or an argv array ("cmd":
 * ["bash","-lc","..."]).  Appends it to out and returns 1, else 0. */
int shell_command_from_tool_call(const char *name, const char *args_json,
                                 struct strbuf *out);

/* Appends the n bytes of w as the shell would need them written to mean
 * that one word: as they are when they hold only letters, digits and
 * _-./=:,+@%, else in single quotes.  How argv is shown everywhere
 * (strace execs, auditd EXECVE records, JSONL actions, tool calls). */
void shell_quote_word(struct strbuf *out, const char *w, size_t n);

/* Follows the script's cd, pushd and popd from cwd ("" while unknown) to
 * where the shell stands after it: a shell tool keeps its directory from
 * one call to the next. */
void shell_follow_cwd(const char *script, struct strbuf *cwd);

/* shell_derive_ops() with cwd (skipped when emit is NULL), then
 * shell_follow_cwd(), on one split of the script: what a transcript does
 * with each shell tool call. */
int shell_derive_and_follow(const char *script, struct strbuf *cwd,
                            void (*emit)(void *ctx, const struct alibi_op *op),
                            void *ctx);

#endif
