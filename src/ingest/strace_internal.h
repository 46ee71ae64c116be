/* strace_internal.h — the parts of the strace parser that its files share.
 *
 *   strace.c        the line loop: clocks, unfinished/resumed joining,
 *                   process lines
 *   strace_line.c   one line's text without state: prefixes, kinds of
 *                   line, whole calls; detection
 *   strace_feed.c   lines from the file to the loop, read and lexed on a
 *                   second thread
 *   strace_lex.c    one call's text: its arguments and result, numbers,
 *                   fds, fields, flags (no state)
 *   strace_decode.c values inside arguments: strings, socket addresses,
 *                   argv arrays, errno names (no state)
 *   strace_state.c  processes, fd tables, open file descriptions and the
 *                   ops they are still summing bytes into
 *   strace_ops.c    the syscall table: which call becomes which op
 *   strace_net.c    sockets, sends, transfers and signals
 *
 * Nothing in here allocates per line in the common case: the lexer hands
 * out spans into the line, and scratch strings are reused. */
#ifndef ALIBI_STRACE_INTERNAL_H
#define ALIBI_STRACE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "alibi/ingest.h"
#include "alibi/records.h"
#include "alibi/strbuf.h"

#define STRACE_MAX_ARGS 8
#define STRACE_RAW_MAX 4096
#define STRACE_AT_FDCWD (-100)
#define STRACE_PSEUDO_HOLD_MAX 4096
#define STRACE_LIVE_MAX 65536

/* A piece of the line being parsed; not NUL-terminated. */
struct span {
	const char *p;
	size_t n;
};

struct sc_entry;
struct strace_parser;

/* One complete call, read from one line or joined from two. */
struct strace_call {
	struct span name;
	const struct sc_entry *entry;  /* its row of the syscall table, NULL if none */
	struct span args[STRACE_MAX_ARGS];
	int nargs;               /* may exceed STRACE_MAX_ARGS; the rest are not kept;
	                          * 0 without an entry: no handler reads them */
	int ret_known;           /* 0 for "= ?" */
	int64_t ret;
	struct span ret_annot;   /* "/etc/passwd" of "= 3</etc/passwd>" */
	struct span err_name;    /* "ENOENT" */
	char err_buf[40];        /* err_name, NUL-terminated (cut if longer) */
	int32_t pid;
	int64_t ts;
	int64_t line;
	const char *raw;         /* the record as written (both lines when joined) */
};

static inline int
strace_has_arg(const struct strace_call *c, int arg)
{
	return arg >= 0 && arg < c->nargs && arg < STRACE_MAX_ARGS;
}

/* The call returned a value and no error. */
static inline int
strace_ok(const struct strace_call *c)
{
	return c->ret_known && c->ret >= 0 && !c->err_name.n;
}

/* ---- strace_line.c ---- */

static inline int
strace_starts_with(const char *s, size_t n, const char *lit)
{
	size_t k = strlen(lit);
	return n >= k && memcmp(s, lit, k) == 0;
}

static inline size_t
strace_skip_spaces(const char *s, size_t n, size_t i)
{
	while (i < n && s[i] == ' ')
		i++;
	return i;
}

enum time_kind { TIME_NONE, TIME_OF_DAY, TIME_EPOCH, TIME_RELATIVE };

/* What comes before the call: "1234 10:15:30.123456 ", "[pid 7] ". */
struct prefix {
	int has_pid, bracket;
	int32_t pid;
	enum time_kind time;
	int64_t ts;              /* as written; relative and wrapped times are fixed later */
	const char *body;
	size_t len;
};

enum line_kind { LINE_CALL, LINE_UNFINISHED, LINE_RESUMED, LINE_EXIT, LINE_SIGNAL, LINE_DETACHED };

/* One line read as far as its text alone allows (strace_lex_line). */
struct line_lex {
	enum {
		LX_SKIP,             /* blank, or a -k stack frame */
		LX_NUL,              /* holds a NUL byte */
		LX_ATTACH,           /* "strace: Process N attached" inside a call, at attach_at */
		LX_MESSAGE,          /* "strace: ..." */
		LX_BAD,              /* no strace line: problem says why */
		LX_LINE              /* kind; for LINE_CALL, c is read */
	} what;
	const char *problem;
	struct prefix px;
	size_t blen;             /* body length without a -T duration */
	size_t attach_at;
	enum line_kind kind;
	size_t cut_at;           /* LINE_UNFINISHED: where the marker begins */
	int joined;              /* c was read from join, not from the line */
	struct strace_call c;
};

int strace_read_pid(const char *s, size_t n, size_t *i, int32_t *pid);
void strace_parse_prefix(const char *s, size_t n, struct prefix *px);
/* Drops a -T duration " <0.000012>" from the end. */
size_t strace_strip_duration(const char *s, size_t n);
/* Reads line (len bytes, not changed) into lx; has_nul says whether it
 * holds a NUL byte (its reader knows).  join is scratch for a call that
 * has to be read without a marker in its middle: lx->c then points into
 * join (lx->joined), else into line.  Of sp only the syscall table is
 * read, so the feed's thread may call this. */
void strace_lex_line(const struct strace_parser *sp, const char *line, size_t len, int has_nul,
                     struct line_lex *lx, struct strbuf *join);

/* ---- strace.c, strace_feed.c ---- */

/* Reports a bad record to the sink. */
void strace_bad(struct strace_parser *sp, int64_t line, const char *problem);
/* Runs one line through the parser; lx is the line already read by
 * strace_lex_line() (from the line's own text), or NULL. */
void strace_take_line(struct strace_parser *sp, const char *line, size_t len, int64_t lineno,
                      int cut, struct line_lex *lx);
/* Reads every line of fp into strace_take_line(), lexing on a second
 * thread when threaded.  Returns non-zero on a read error. */
int strace_feed(struct strace_parser *sp, FILE *fp, int threaded);

/* ---- strace_lex.c ---- */

/* Splits "name(args) = result" (s points at the name) and finds the
 * name's row in sp's syscall table (c->entry; nothing else of sp is
 * read).  Most calls have none (mmap, fstat, rt_sigaction...): their
 * arguments are only checked, as far as telling a bad record needs, and
 * not kept.  Returns 0, or -1 with *problem set to a short phrase. */
int strace_lex_call(const struct strace_parser *sp, const char *s, size_t n,
                    struct strace_call *c, const char **problem);
/* The same, when the caller has read the name: len is strace_lex_name(s, n). */
int strace_lex_named_call(const struct strace_parser *sp, const char *s, size_t n, size_t len,
                          struct strace_call *c, const char **problem);
/* Length of a syscall name at s (letters, digits, '_', '?'), 0 if none. */
size_t strace_lex_name(const char *s, size_t n);
/* Index just past the closing quote of the string opening at s[i], or 0
 * when it is not closed. */
size_t strace_skip_string(const char *s, size_t n, size_t i);
/* The next top-level item of s (split at commas) from *pos; 0 at the end. */
int strace_next_item(struct span s, size_t *pos, struct span *item);
/* The inside of "{...}" or "[...]", or s itself. */
struct span strace_inner(struct span s);
/* A number ("12", "-1", "0x1f", "0644") at the start of s; stops at '<'. */
int strace_parse_int(struct span s, int64_t *v);
/* fd argument: "3", "3</path>", "AT_FDCWD", "AT_FDCWD</path>".  Returns 0
 * and the fd (STRACE_AT_FDCWD for AT_FDCWD) and the annotation's inside. */
int strace_parse_fd(struct span s, int *fd, struct span *annot);
/* The value of "key=" at the top level of a struct "{...}". */
int strace_find_field(struct span s, const char *key, struct span *val);
/* 1 when s holds token word between '|', ',', ' ' or brackets. */
int strace_has_token(struct span s, const char *word);
struct span strace_trim(struct span s);

#define STRACE_O_WRITE     0x01  /* O_WRONLY or O_RDWR */
#define STRACE_O_CREAT     0x02
#define STRACE_O_TRUNC     0x04
#define STRACE_O_DIRECTORY 0x08
#define STRACE_O_CLOEXEC   0x10
#define STRACE_O_PATH      0x20
#define STRACE_O_APPEND    0x40
unsigned strace_open_flags(struct span flags);

/* ---- strace_decode.c ---- */

/* Decodes a quoted string argument ("...", @"..." or "..."...) into out
 * (bytes, NUL-terminated).  Returns 0, 1 when strace cut it ("..."...),
 * or -1 when arg is not a string. */
int strace_decode_string(struct span arg, struct strbuf *out);
/* Decodes C escapes of text that has no quotes (an fd annotation). */
void strace_unescape(const char *p, size_t n, struct strbuf *out);

struct strace_sockaddr {
	int family;              /* 0 unknown, 1 inet, 2 inet6, 3 unix, 4 unspec */
	struct strbuf host;      /* address text, or the unix path ('@' when abstract) */
	int port;
};
/* Reads "{sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(...)}"
 * and the AF_INET6 and AF_UNIX forms.  Returns 0 when it was an address. */
int strace_parse_sockaddr(struct span s, struct strace_sockaddr *sa);
/* "TCP:[10.0.0.1:5000->10.0.0.2:22]" (-yy): the peer's host and port. */
int strace_parse_peer(struct span annot, struct strbuf *host, int *port);
/* argv array ["a", "b c"...] -> "a 'b c'..." (shell-quoted, joined). */
void strace_format_argv(struct span arr, struct strbuf *out, struct strbuf *tmp);
/* errno value of a name such as "ENOENT" on this platform, 0 if unknown. */
int strace_errno_value(struct span name);

/* ---- strace_state.c ---- */

/* An int -> pointer hash (open addressing), for pids and fds. */
struct imap_slot {
	int32_t key;
	uint8_t state;           /* 0 empty, 1 used, 2 deleted */
	uint8_t aux;             /* fd tables: close-on-exec */
	void *val;
};
struct imap {
	struct imap_slot *slots;
	size_t cap, used, deleted;
};
struct imap_slot *imap_get(const struct imap *m, int32_t key);
struct imap_slot *imap_put(struct imap *m, int32_t key);
void imap_del(struct imap *m, struct imap_slot *slot);
void imap_free(struct imap *m);

/* An op whose bytes are still being summed, or which waits for its file
 * to be closed.  Strings in op are owned (xstrdup) except syscall. */
struct pending {
	struct alibi_op op;
	uint64_t serial;
	struct ofd *owner;       /* ofd holding it, NULL once emitted */
	struct pending *prev, *next;  /* in the parser's list of unemitted ops */
};

enum ofd_kind { OFD_FILE, OFD_DIR, OFD_SOCKET, OFD_PIPE, OFD_PIDFD, OFD_OTHER };

/* An open file description: what dup(), fork() and exec share. */
struct ofd {
	int refs;
	enum ofd_kind kind;
	uint64_t serial;
	char *path;              /* file or directory; NULL when unknown */
	char *peer_host;         /* socket peer (inet) or socket path (unix) */
	int peer_port;
	int peer_unix;           /* peer_host is a unix socket path */
	int32_t target_pid;      /* pidfd */
	struct pending *op;      /* open / connect / write / send being summed */
	struct pending *xfer;    /* sendfile from this file into a socket */
	uint64_t xfer_to;        /* serial of that socket */
};

struct fdtable {
	int refs;
	struct imap fds;
};

struct proc {
	int32_t pid, ppid;
	int pseudo;              /* lines without a pid: the real pid is not known yet */
	int parent_pseudo;       /* ppid belongs to the pseudo process */
	char *cwd;               /* NULL when unknown */
	struct fdtable *fdt;
	/* A call cut by "<unfinished ...>", waiting for its "resumed" half. */
	int pending;
	struct strbuf pend_text; /* "name(args so far" */
	struct strbuf pend_raw;
	int64_t pend_line, pend_ts;
	int32_t pend_child;      /* clone-like: the child already tied to it */
	int pend_clone;
};

struct strace_parser {
	struct ingest_sink *sink;
	struct imap procs;
	size_t nprocs;
	struct proc *recent;     /* the one proc_find() found last, or NULL */
	int32_t file_pid;        /* from an -ff name suffix, else 0 */
	int prefixed;            /* "[pid N]" prefixes were seen */
	int32_t last_pid;
	int32_t cloners[16];     /* procs with an unfinished clone, oldest first */
	int ncloners;
	uint64_t serial;
	struct pending *live, *live_tail;  /* unemitted ops, newest first */
	size_t nlive;
	int hold_pseudo;         /* ops of a pid-less process wait for its pid */
	int pseudo_held;
	struct pending **queue;  /* released ops, emitted in line order */
	size_t nqueue, capqueue;
	const struct sc_entry *calls[256];  /* syscall table, hashed by name */
	uint8_t call_len[256];   /* the length of each one's name */
	struct strbuf s1, s2, s3, s4, join, raw;
	struct strace_sockaddr sa;
	/* the line loop (strace.c) */
	int clock_sent;
	enum alibi_clock clock;
	int64_t rel_sum, last_tod, day_offset;
	struct strbuf carry;     /* a line cut by "strace: Process N attached" */
	int64_t carry_line;
	int carrying;
};

void strace_state_init(struct strace_parser *sp);
void strace_state_free(struct strace_parser *sp);
struct proc *proc_find(struct strace_parser *sp, int32_t pid);
struct proc *proc_new(struct strace_parser *sp, int32_t pid, struct proc *parent,
                      int share_files);
void proc_exit(struct strace_parser *sp, struct proc *p);
void proc_rename(struct strace_parser *sp, struct proc *p, int32_t pid);
void proc_set_cwd(struct proc *p, const char *cwd);
void proc_drop_pending(struct strace_parser *sp, struct proc *p);
void proc_forget_cloner(struct strace_parser *sp, struct proc *p);

struct ofd *ofd_new(struct strace_parser *sp, enum ofd_kind kind, const char *path);
struct ofd *fdt_get(struct proc *p, int fd);
/* Puts o at fd (closing what was there); takes a reference. */
void fdt_put(struct strace_parser *sp, struct proc *p, int fd, struct ofd *o, int cloexec);
void fdt_close(struct strace_parser *sp, struct proc *p, int fd);
void fdt_cloexec(struct proc *p, int fd, int on);
void fdt_close_range(struct strace_parser *sp, struct proc *p, int first, int last,
                     int cloexec_only);
void fdt_exec(struct strace_parser *sp, struct proc *p);

/* Ops: a new one filled from the call, emitted now or held by an ofd. */
void op_init(struct alibi_op *op, const struct proc *p, const struct strace_call *c,
             const char *syscall, enum alibi_op_kind kind);
void op_emit_now(struct strace_parser *sp, const struct alibi_op *op);
struct pending *op_hold(struct strace_parser *sp, const struct alibi_op *op);
void pending_release(struct strace_parser *sp, struct pending *pd);
void strace_flush(struct strace_parser *sp);
void strace_release_held(struct strace_parser *sp);
void strace_flush_all(struct strace_parser *sp);

/* ---- strace_ops.c, strace_net.c ---- */

typedef void (*sc_fn)(struct strace_parser *sp, struct proc *p,
                      const struct strace_call *c, const struct sc_entry *e);

/* One row of the syscall table.  Argument positions are -1 when absent. */
struct sc_entry {
	const char *name;
	sc_fn fn;
	int kind;                /* enum alibi_op_kind, or -1 */
	int8_t dirfd, path, dirfd2, path2, fd, detail, flags;
};

void strace_calls_init(struct strace_parser *sp);
const struct sc_entry *strace_call_lookup(const struct strace_parser *sp, struct span name);
void strace_handle_call(struct strace_parser *sp, struct proc *p, const struct strace_call *c);

/* Shared between the op files. */
const char *strace_resolve(struct strace_parser *sp, struct proc *p, int dirfd_arg,
                           const struct strace_call *c, int path_arg, struct strbuf *out);
const char *strace_fd_path(struct proc *p, const struct strace_call *c, int arg,
                           struct strbuf *out);
struct ofd *strace_fd_ofd(struct strace_parser *sp, struct proc *p,
                          const struct strace_call *c, int arg, int *fd);
int strace_call_fd(const struct strace_call *c, int arg);
void strace_set_result(struct alibi_op *op, const struct strace_call *c);
void strace_add_written(struct strace_parser *sp, struct proc *p, struct ofd *o,
                        int64_t n, const struct strace_call *c, const char *syscall);
void strace_add_read(struct ofd *o, int64_t n);
int strace_quiet_device(const char *path);

void sc_socket(struct strace_parser *, struct proc *, const struct strace_call *, const struct sc_entry *);
void sc_accept(struct strace_parser *, struct proc *, const struct strace_call *, const struct sc_entry *);
void sc_connect(struct strace_parser *, struct proc *, const struct strace_call *, const struct sc_entry *);
void sc_getsockopt(struct strace_parser *, struct proc *, const struct strace_call *, const struct sc_entry *);
void sc_write(struct strace_parser *, struct proc *, const struct strace_call *, const struct sc_entry *);
void sc_sendto(struct strace_parser *, struct proc *, const struct strace_call *, const struct sc_entry *);
void sc_sendmsg(struct strace_parser *, struct proc *, const struct strace_call *, const struct sc_entry *);
void sc_sendfile(struct strace_parser *, struct proc *, const struct strace_call *, const struct sc_entry *);
void sc_kill(struct strace_parser *, struct proc *, const struct strace_call *, const struct sc_entry *);
void sc_pidfd_open(struct strace_parser *, struct proc *, const struct strace_call *, const struct sc_entry *);
void sc_clone(struct strace_parser *, struct proc *, const struct strace_call *, const struct sc_entry *);

#endif
