/* strace_ops.c — the syscall table: which calls become which ops, and the
 * handlers for files, directories, fds and exec.
 *
 * A row names the argument positions a handler needs, so calls of the same
 * shape (unlink/unlinkat, chmod/fchmod/fchmodat, ...) share one handler.
 * Calls not in the table (stat, mmap, futex, ...) are counted and
 * otherwise ignored. */
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/path.h"
#include "strace_internal.h"

/* ---- helpers shared with strace_net.c ---- */

int
strace_call_fd(const struct strace_call *c, int arg)
{
	int fd;
	struct span annot;
	if (!strace_has_arg(c, arg) || strace_parse_fd(c->args[arg], &fd, &annot))
		return -1;
	return fd;
}

void
strace_set_result(struct alibi_op *op, const struct strace_call *c)
{
	op->ok = strace_ok(c);
	if (c->err_name.n) {
		op->err_name = c->err_buf;
		op->err_no = strace_errno_value(c->err_name);
	}
}

/* Copies an argument's text, NUL-terminated. */
static const char *
arg_text(const struct strace_call *c, int arg, struct strbuf *out)
{
	if (!strace_has_arg(c, arg))
		return NULL;
	sb_reset(out);
	sb_add(out, c->args[arg].p, c->args[arg].n);
	return out->buf;
}

/* out = base + "/" + rel, normalised; the one normaliser, without the
 * allocation path_join makes, since this runs for most lines. */
static const char *
join_into(struct strbuf *out, const char *base, const char *rel, size_t rel_len)
{
	sb_reset(out);
	if (base && base[0] == '/' && rel[0] != '/') {
		sb_adds(out, base);
		if (rel_len)
			sb_addc(out, '/');
	}
	sb_add(out, rel, rel_len);
	return path_normalize(out->buf);
}

const char *
strace_fd_path(struct proc *p, const struct strace_call *c, int arg, struct strbuf *out)
{
	int fd;
	struct span annot;
	if (!strace_has_arg(c, arg) || strace_parse_fd(c->args[arg], &fd, &annot))
		return NULL;
	if (annot.n) {
		/* The kernel's own answer (-y); decoded first, for -xx. */
		sb_reset(out);
		strace_unescape(annot.p, annot.n, out);
		if (out->buf[0] == '/')
			return path_normalize(out->buf);
	}
	if (fd == STRACE_AT_FDCWD)
		return p->cwd;
	struct ofd *o = fdt_get(p, fd);
	return o ? o->path : NULL;
}

const char *
strace_resolve(struct strace_parser *sp, struct proc *p, int dirfd_arg,
               const struct strace_call *c, int path_arg, struct strbuf *out)
{
	if (!strace_has_arg(c, path_arg) || strace_decode_string(c->args[path_arg], &sp->s4) < 0)
		return NULL;
	const char *base = NULL;
	if (sp->s4.buf[0] != '/') {
		int fd = STRACE_AT_FDCWD;
		if (strace_has_arg(c, dirfd_arg))
			fd = strace_call_fd(c, dirfd_arg);
		base = strace_fd_path(p, c, dirfd_arg, &sp->s3);
		if (fd == STRACE_AT_FDCWD) {
			/* "AT_FDCWD</srv>" (-y, strace >= 6): the cwd, for free. */
			if (base && base != p->cwd)
				proc_set_cwd(p, base);
			base = p->cwd;
		}
	}
	return join_into(out, base, sp->s4.buf, sp->s4.len);
}

struct ofd *
strace_fd_ofd(struct strace_parser *sp, struct proc *p, const struct strace_call *c,
              int arg, int *fdp)
{
	int fd;
	struct span annot;
	if (!strace_has_arg(c, arg) || strace_parse_fd(c->args[arg], &fd, &annot) || fd < 0)
		return NULL;
	if (fdp)
		*fdp = fd;
	struct ofd *o = fdt_get(p, fd);
	if (o || !annot.n)
		return o;
	/* An fd opened before the trace began: -y says what it is. */
	struct strbuf *t = &sp->s3;
	sb_reset(t);
	strace_unescape(annot.p, annot.n, t);
	int port;
	if (t->buf[0] == '/') {
		o = ofd_new(sp, OFD_FILE, path_normalize(t->buf));
	} else if (strace_parse_peer(annot, &sp->s4, &port) == 0) {
		o = ofd_new(sp, OFD_SOCKET, NULL);
		o->peer_host = xstrdup(sp->s4.buf);
		o->peer_port = port;
	} else if (strncmp(t->buf, "pipe:", 5) == 0) {
		o = ofd_new(sp, OFD_PIPE, NULL);
	} else if (strncmp(t->buf, "UNIX", 4) == 0 || strncmp(t->buf, "socket:", 7) == 0 ||
	           strncmp(t->buf, "TCP", 3) == 0 || strncmp(t->buf, "UDP", 3) == 0) {
		o = ofd_new(sp, OFD_SOCKET, NULL);
	} else {
		o = ofd_new(sp, OFD_OTHER, NULL);
	}
	fdt_put(sp, p, fd, o, 0);
	return o;
}

/* ---- files ---- */

static unsigned
call_open_flags(const struct strace_call *c, const struct sc_entry *e)
{
	struct span v;
	if (e->flags < 0)
		return STRACE_O_WRITE | STRACE_O_CREAT | STRACE_O_TRUNC;  /* creat() */
	if (!strace_has_arg(c, e->flags))
		return 0;
	if (c->args[e->flags].n && c->args[e->flags].p[0] == '{')  /* openat2's struct open_how */
		return strace_find_field(c->args[e->flags], "flags", &v) == 0 ? strace_open_flags(v) : 0;
	return strace_open_flags(c->args[e->flags]);
}

/* "2>/dev/null" opens with O_CREAT|O_TRUNC but creates nothing.  ">> f"
 * opens with O_CREAT|O_APPEND: it makes f only when f is not there, which
 * the log does not say, and mostly it is there (a log, a config, a
 * history), so an append is an open for writing; O_TRUNC is what makes
 * a file anew. */
static enum alibi_op_kind
open_kind(unsigned fl, const char *path)
{
	if (fl & STRACE_O_DIRECTORY)
		return ALIBI_OP_open_read;
	if ((fl & STRACE_O_APPEND) && !(fl & STRACE_O_TRUNC))
		return (fl & STRACE_O_WRITE) ? ALIBI_OP_open_write : ALIBI_OP_open_read;
	if ((fl & (STRACE_O_CREAT | STRACE_O_TRUNC)) && !strace_quiet_device(path))
		return ALIBI_OP_create;
	return (fl & STRACE_O_WRITE) ? ALIBI_OP_open_write : ALIBI_OP_open_read;
}

/* A relative path the log could not resolve: the kernel's answer (-y on
 * the result) is absolute, and tells the cwd when the name is its tail. */
static const char *
learn_from_result(struct strace_parser *sp, struct proc *p, const struct strace_call *c,
                  int dirfd_arg, const char *path)
{
	if (path[0] == '/' || !c->ret_annot.n)
		return path;
	sb_reset(&sp->s2);
	strace_unescape(c->ret_annot.p, c->ret_annot.n, &sp->s2);
	if (sp->s2.buf[0] != '/')
		return path;
	size_t an = sp->s2.len, pn = strlen(path);
	int dirfd = strace_has_arg(c, dirfd_arg) ? strace_call_fd(c, dirfd_arg) : STRACE_AT_FDCWD;
	if (!p->cwd && dirfd == STRACE_AT_FDCWD && !strstr(path, "..") &&
	    an > pn && sp->s2.buf[an - pn - 1] == '/' && strcmp(sp->s2.buf + an - pn, path) == 0) {
		sb_reset(&sp->s3);
		sb_add(&sp->s3, sp->s2.buf, an - pn - 1);
		proc_set_cwd(p, sp->s3.len ? sp->s3.buf : "/");
	}
	return path_normalize(sp->s2.buf);
}

static void
sc_open(struct strace_parser *sp, struct proc *p, const struct strace_call *c,
        const struct sc_entry *e)
{
	unsigned fl = call_open_flags(c, e);
	const char *path = strace_resolve(sp, p, e->dirfd, c, e->path, &sp->s1);
	if (!path)
		return;
	if (strace_ok(c))
		path = learn_from_result(sp, p, c, e->dirfd, path);
	if (fl & STRACE_O_PATH) {
		/* A handle for *at() calls, not an access to the contents. */
		if (strace_ok(c))
			fdt_put(sp, p, (int)c->ret, ofd_new(sp, OFD_DIR, path), fl & STRACE_O_CLOEXEC);
		return;
	}
	struct alibi_op op;
	op_init(&op, p, c, e->name, open_kind(fl, path));
	op.path = path;
	strace_set_result(&op, c);
	if (!op.ok || c->ret > INT32_MAX) {
		op_emit_now(sp, &op);
		return;
	}
	struct ofd *o = ofd_new(sp, (fl & STRACE_O_DIRECTORY) ? OFD_DIR : OFD_FILE, path);
	op.bytes = 0;
	o->op = op_hold(sp, &op);
	o->op->owner = o;
	fdt_put(sp, p, (int)c->ret, o, fl & STRACE_O_CLOEXEC);
}

/* unlink, rmdir, mkdir, chmod, chown, truncate, utime and their
 * *at() and f*() forms. */
static void
sc_path_op(struct strace_parser *sp, struct proc *p, const struct strace_call *c,
           const struct sc_entry *e)
{
	const char *path;
	if (e->fd >= 0) {
		path = strace_fd_path(p, c, e->fd, &sp->s1);
	} else {
		path = strace_resolve(sp, p, e->dirfd, c, e->path, &sp->s1);
		if (!path && e->dirfd >= 0)  /* utimensat(fd, NULL, ...) */
			path = strace_fd_path(p, c, e->dirfd, &sp->s1);
	}
	struct alibi_op op;
	enum alibi_op_kind kind = (enum alibi_op_kind)e->kind;
	if (kind == ALIBI_OP_unlink && strace_has_arg(c, e->flags) &&
	    strace_has_token(c->args[e->flags], "AT_REMOVEDIR"))
		kind = ALIBI_OP_rmdir;
	op_init(&op, p, c, e->name, kind);
	op.path = path;
	if (kind == ALIBI_OP_chown && strace_has_arg(c, e->detail + 1)) {
		sb_reset(&sp->s2);
		sb_add(&sp->s2, c->args[e->detail].p, c->args[e->detail].n);
		sb_addc(&sp->s2, ':');
		sb_add(&sp->s2, c->args[e->detail + 1].p, c->args[e->detail + 1].n);
		op.detail = sp->s2.buf;
	} else if (kind != ALIBI_OP_mkdir) {
		op.detail = arg_text(c, e->detail, &sp->s2);
	}
	strace_set_result(&op, c);
	op_emit_now(sp, &op);
}

/* rename and link: path -> path2. */
static void
sc_two_paths(struct strace_parser *sp, struct proc *p, const struct strace_call *c,
             const struct sc_entry *e)
{
	struct alibi_op op;
	op_init(&op, p, c, e->name, (enum alibi_op_kind)e->kind);
	op.path = strace_resolve(sp, p, e->dirfd, c, e->path, &sp->s1);
	op.path2 = strace_resolve(sp, p, e->dirfd2, c, e->path2, &sp->s2);
	if (strace_has_arg(c, e->flags) && !(c->args[e->flags].n == 1 && c->args[e->flags].p[0] == '0'))
		op.detail = arg_text(c, e->flags, &sp->s3);
	strace_set_result(&op, c);
	op_emit_now(sp, &op);
}

/* symlink: the target is text stored in the link, relative to the link's
 * directory, not to the cwd. */
static void
sc_symlink(struct strace_parser *sp, struct proc *p, const struct strace_call *c,
           const struct sc_entry *e)
{
	struct alibi_op op;
	op_init(&op, p, c, e->name, ALIBI_OP_link);
	op.path2 = strace_resolve(sp, p, e->dirfd2, c, e->path2, &sp->s2);
	if (strace_has_arg(c, e->path) && strace_decode_string(c->args[e->path], &sp->s4) >= 0) {
		const char *dir = NULL;
		if (op.path2 && op.path2[0] == '/' && sp->s4.buf[0] != '/') {
			sb_reset(&sp->s3);
			sb_adds(&sp->s3, op.path2);
			sb_adds(&sp->s3, "/..");
			dir = path_normalize(sp->s3.buf);
		}
		op.path = join_into(&sp->s1, dir, sp->s4.buf, sp->s4.len);
	}
	op.detail = "symlink";
	strace_set_result(&op, c);
	op_emit_now(sp, &op);
}

static void
sc_exec(struct strace_parser *sp, struct proc *p, const struct strace_call *c,
        const struct sc_entry *e)
{
	struct alibi_op op;
	op_init(&op, p, c, e->name, ALIBI_OP_exec);
	op.path = strace_resolve(sp, p, e->dirfd, c, e->path, &sp->s1);
	if ((!op.path || !op.path[0]) && e->dirfd >= 0)  /* execveat(fd, "", ..., AT_EMPTY_PATH) */
		op.path = strace_fd_path(p, c, e->dirfd, &sp->s1);
	if (strace_has_arg(c, e->detail)) {
		strace_format_argv(c->args[e->detail], &sp->s2, &sp->s4);
		op.detail = sp->s2.buf;
	}
	strace_set_result(&op, c);
	op_emit_now(sp, &op);
	if (op.ok)
		fdt_exec(sp, p);
}

static void
sc_read(struct strace_parser *sp, struct proc *p, const struct strace_call *c,
        const struct sc_entry *e)
{
	if (strace_ok(c) && c->ret > 0)
		strace_add_read(strace_fd_ofd(sp, p, c, e->fd, NULL), c->ret);
}

static void
sc_copy_file_range(struct strace_parser *sp, struct proc *p, const struct strace_call *c,
                   const struct sc_entry *e)
{
	if (!strace_ok(c) || c->ret <= 0)
		return;
	strace_add_read(strace_fd_ofd(sp, p, c, 0, NULL), c->ret);
	strace_add_written(sp, p, strace_fd_ofd(sp, p, c, 2, NULL), c->ret, c, e->name);
}

/* ---- fds and the cwd ---- */

static void
sc_close(struct strace_parser *sp, struct proc *p, const struct strace_call *c,
         const struct sc_entry *e)
{
	/* Linux frees the fd even when close() reports an error. */
	fdt_close(sp, p, strace_call_fd(c, e->fd));
}

static void
sc_close_range(struct strace_parser *sp, struct proc *p, const struct strace_call *c,
               const struct sc_entry *e)
{
	int64_t first, last;
	(void)e;
	if (!strace_ok(c) || !strace_has_arg(c, 1) || strace_parse_int(c->args[0], &first))
		return;
	if (strace_parse_int(c->args[1], &last) || last > INT32_MAX)
		last = INT32_MAX;  /* "~0U" */
	if (first < 0 || first > INT32_MAX)
		return;
	int cloexec_only = strace_has_arg(c, 2) && strace_has_token(c->args[2], "CLOSE_RANGE_CLOEXEC");
	fdt_close_range(sp, p, (int)first, (int)last, cloexec_only);
}

static void
dup_to(struct strace_parser *sp, struct proc *p, const struct strace_call *c, int cloexec)
{
	if (!strace_ok(c) || c->ret > INT32_MAX)
		return;
	struct ofd *o = strace_fd_ofd(sp, p, c, 0, NULL);
	if (o)
		fdt_put(sp, p, (int)c->ret, o, cloexec);
	else
		fdt_close(sp, p, (int)c->ret);
}

static void
sc_dup(struct strace_parser *sp, struct proc *p, const struct strace_call *c,
       const struct sc_entry *e)
{
	dup_to(sp, p, c, strace_has_arg(c, e->flags) && strace_has_token(c->args[e->flags], "O_CLOEXEC"));
}

static void
sc_fcntl(struct strace_parser *sp, struct proc *p, const struct strace_call *c,
         const struct sc_entry *e)
{
	(void)e;
	if (!strace_has_arg(c, 1) || !strace_ok(c))
		return;
	if (strace_has_token(c->args[1], "F_DUPFD"))
		dup_to(sp, p, c, 0);
	else if (strace_has_token(c->args[1], "F_DUPFD_CLOEXEC"))
		dup_to(sp, p, c, 1);
	else if (strace_has_token(c->args[1], "F_SETFD"))
		fdt_cloexec(p, strace_call_fd(c, 0),
		               strace_has_arg(c, 2) && strace_has_token(c->args[2], "FD_CLOEXEC"));
}

/* pipe([3, 4]), pipe2([3, 4], O_CLOEXEC), socketpair(..., [3, 4]). */
static void
sc_pipe(struct strace_parser *sp, struct proc *p, const struct strace_call *c,
        const struct sc_entry *e)
{
	if (!strace_ok(c) || !strace_has_arg(c, e->detail))
		return;
	int cloexec = strace_has_arg(c, e->flags) && (strace_has_token(c->args[e->flags], "O_CLOEXEC") ||
	                                       strace_has_token(c->args[e->flags], "SOCK_CLOEXEC"));
	int socket = strcmp(e->name, "socketpair") == 0;
	struct span a = strace_trim(c->args[e->detail]);
	if (a.n < 2 || a.p[0] != '[')
		return;
	const char *comma = memchr(a.p, ',', a.n);
	if (!comma)
		return;
	struct span fds[2] = { { a.p + 1, (size_t)(comma - a.p - 1) },
	                       { comma + 1, (size_t)(a.p + a.n - 1 - comma - 1) } };
	for (int i = 0; i < 2; i++) {
		int fd;
		struct span annot;
		if (strace_parse_fd(fds[i], &fd, &annot) == 0 && fd >= 0)
			fdt_put(sp, p, fd, ofd_new(sp, socket ? OFD_SOCKET : OFD_PIPE, NULL), cloexec);
	}
}

static void
sc_chdir(struct strace_parser *sp, struct proc *p, const struct strace_call *c,
         const struct sc_entry *e)
{
	const char *path = NULL;
	if (!strace_ok(c))
		return;
	if (e->fd >= 0)
		path = strace_fd_path(p, c, e->fd, &sp->s1);
	else
		path = strace_resolve(sp, p, -1, c, e->path, &sp->s1);
	if (path && path[0] == '/')
		proc_set_cwd(p, path);
}

static void
sc_getcwd(struct strace_parser *sp, struct proc *p, const struct strace_call *c,
          const struct sc_entry *e)
{
	(void)e;
	if (strace_ok(c) && c->ret > 0 && strace_has_arg(c, 0) &&
	    strace_decode_string(c->args[0], &sp->s1) == 0 && sp->s1.buf[0] == '/')
		proc_set_cwd(p, path_normalize(sp->s1.buf));
}

/* ---- the table ---- */

/* Columns are argument positions (-1: none).  "detail" is the argument
 * copied into op.detail (chmod's mode, the times of utime, execve's argv,
 * kill's signal); pipes use it for the fd array, sendto for the address.
 * pidfd_send_signal's flags column 1 says its target is a pidfd. */
#define K(kind) ALIBI_OP_##kind
/*  name                handler             op kind      dirfd path dirfd2 path2 fd detail flags */
static const struct sc_entry calls[] = {
	{ "open",            sc_open,            -1,          -1,  0,  -1, -1, -1, -1,  1 },
	{ "openat",          sc_open,            -1,           0,  1,  -1, -1, -1, -1,  2 },
	{ "openat2",         sc_open,            -1,           0,  1,  -1, -1, -1, -1,  2 },
	{ "creat",           sc_open,            -1,          -1,  0,  -1, -1, -1, -1, -1 },
	{ "execve",          sc_exec,            K(exec),     -1,  0,  -1, -1, -1,  1, -1 },
	{ "execveat",        sc_exec,            K(exec),      0,  1,  -1, -1, -1,  2,  4 },
	{ "unlink",          sc_path_op,         K(unlink),   -1,  0,  -1, -1, -1, -1, -1 },
	{ "unlinkat",        sc_path_op,         K(unlink),    0,  1,  -1, -1, -1, -1,  2 },
	{ "rmdir",           sc_path_op,         K(rmdir),    -1,  0,  -1, -1, -1, -1, -1 },
	{ "mkdir",           sc_path_op,         K(mkdir),    -1,  0,  -1, -1, -1, -1, -1 },
	{ "mkdirat",         sc_path_op,         K(mkdir),     0,  1,  -1, -1, -1, -1, -1 },
	{ "chmod",           sc_path_op,         K(chmod),    -1,  0,  -1, -1, -1,  1, -1 },
	{ "fchmod",          sc_path_op,         K(chmod),    -1, -1,  -1, -1,  0,  1, -1 },
	{ "fchmodat",        sc_path_op,         K(chmod),     0,  1,  -1, -1, -1,  2, -1 },
	{ "fchmodat2",       sc_path_op,         K(chmod),     0,  1,  -1, -1, -1,  2, -1 },
	{ "chown",           sc_path_op,         K(chown),    -1,  0,  -1, -1, -1,  1, -1 },
	{ "lchown",          sc_path_op,         K(chown),    -1,  0,  -1, -1, -1,  1, -1 },
	{ "chown32",         sc_path_op,         K(chown),    -1,  0,  -1, -1, -1,  1, -1 },
	{ "lchown32",        sc_path_op,         K(chown),    -1,  0,  -1, -1, -1,  1, -1 },
	{ "fchown",          sc_path_op,         K(chown),    -1, -1,  -1, -1,  0,  1, -1 },
	{ "fchown32",        sc_path_op,         K(chown),    -1, -1,  -1, -1,  0,  1, -1 },
	{ "fchownat",        sc_path_op,         K(chown),     0,  1,  -1, -1, -1,  2, -1 },
	{ "truncate",        sc_path_op,         K(truncate), -1,  0,  -1, -1, -1,  1, -1 },
	{ "truncate64",      sc_path_op,         K(truncate), -1,  0,  -1, -1, -1,  1, -1 },
	{ "ftruncate",       sc_path_op,         K(truncate), -1, -1,  -1, -1,  0,  1, -1 },
	{ "ftruncate64",     sc_path_op,         K(truncate), -1, -1,  -1, -1,  0,  1, -1 },
	{ "utimensat",       sc_path_op,         K(utime),     0,  1,  -1, -1, -1,  2, -1 },
	{ "utimensat_time64", sc_path_op,        K(utime),     0,  1,  -1, -1, -1,  2, -1 },
	{ "futimesat",       sc_path_op,         K(utime),     0,  1,  -1, -1, -1,  2, -1 },
	{ "utimes",          sc_path_op,         K(utime),    -1,  0,  -1, -1, -1,  1, -1 },
	{ "utime",           sc_path_op,         K(utime),    -1,  0,  -1, -1, -1,  1, -1 },
	{ "rename",          sc_two_paths,       K(rename),   -1,  0,  -1,  1, -1, -1, -1 },
	{ "renameat",        sc_two_paths,       K(rename),    0,  1,   2,  3, -1, -1, -1 },
	{ "renameat2",       sc_two_paths,       K(rename),    0,  1,   2,  3, -1, -1,  4 },
	{ "link",            sc_two_paths,       K(link),     -1,  0,  -1,  1, -1, -1, -1 },
	{ "linkat",          sc_two_paths,       K(link),      0,  1,   2,  3, -1, -1, -1 },
	{ "symlink",         sc_symlink,         K(link),     -1,  0,  -1,  1, -1, -1, -1 },
	{ "symlinkat",       sc_symlink,         K(link),     -1,  0,   1,  2, -1, -1, -1 },
	{ "close",           sc_close,           -1,          -1, -1,  -1, -1,  0, -1, -1 },
	{ "close_range",     sc_close_range,     -1,          -1, -1,  -1, -1, -1, -1, -1 },
	{ "dup",             sc_dup,             -1,          -1, -1,  -1, -1,  0, -1, -1 },
	{ "dup2",            sc_dup,             -1,          -1, -1,  -1, -1,  0, -1, -1 },
	{ "dup3",            sc_dup,             -1,          -1, -1,  -1, -1,  0, -1,  2 },
	{ "fcntl",           sc_fcntl,           -1,          -1, -1,  -1, -1,  0, -1, -1 },
	{ "fcntl64",         sc_fcntl,           -1,          -1, -1,  -1, -1,  0, -1, -1 },
	{ "pipe",            sc_pipe,            -1,          -1, -1,  -1, -1, -1,  0, -1 },
	{ "pipe2",           sc_pipe,            -1,          -1, -1,  -1, -1, -1,  0,  1 },
	{ "socketpair",      sc_pipe,            -1,          -1, -1,  -1, -1, -1,  3,  1 },
	{ "socket",          sc_socket,          -1,          -1, -1,  -1, -1, -1, -1,  1 },
	{ "accept",          sc_accept,          -1,          -1, -1,  -1, -1,  0,  1, -1 },
	{ "accept4",         sc_accept,          -1,          -1, -1,  -1, -1,  0,  1,  3 },
	{ "connect",         sc_connect,         K(connect),  -1, -1,  -1, -1,  0,  1, -1 },
	{ "getsockopt",      sc_getsockopt,      -1,          -1, -1,  -1, -1,  0,  3, -1 },
	{ "chdir",           sc_chdir,           -1,          -1,  0,  -1, -1, -1, -1, -1 },
	{ "fchdir",          sc_chdir,           -1,          -1, -1,  -1, -1,  0, -1, -1 },
	{ "getcwd",          sc_getcwd,          -1,          -1, -1,  -1, -1, -1, -1, -1 },
	{ "clone",           sc_clone,           -1,          -1, -1,  -1, -1, -1, -1, -1 },
	{ "clone2",          sc_clone,           -1,          -1, -1,  -1, -1, -1, -1, -1 },
	{ "clone3",          sc_clone,           -1,          -1, -1,  -1, -1, -1, -1, -1 },
	{ "fork",            sc_clone,           -1,          -1, -1,  -1, -1, -1, -1, -1 },
	{ "vfork",           sc_clone,           -1,          -1, -1,  -1, -1, -1, -1, -1 },
	{ "write",           sc_write,           -1,          -1, -1,  -1, -1,  0, -1, -1 },
	{ "pwrite64",        sc_write,           -1,          -1, -1,  -1, -1,  0, -1, -1 },
	{ "writev",          sc_write,           -1,          -1, -1,  -1, -1,  0, -1, -1 },
	{ "pwritev",         sc_write,           -1,          -1, -1,  -1, -1,  0, -1, -1 },
	{ "pwritev2",        sc_write,           -1,          -1, -1,  -1, -1,  0, -1, -1 },
	{ "send",            sc_write,           -1,          -1, -1,  -1, -1,  0, -1, -1 },
	{ "sendto",          sc_sendto,          K(send),     -1, -1,  -1, -1,  0,  4, -1 },
	{ "sendmsg",         sc_sendmsg,         K(send),     -1, -1,  -1, -1,  0,  1, -1 },
	{ "read",            sc_read,            -1,          -1, -1,  -1, -1,  0, -1, -1 },
	{ "pread64",         sc_read,            -1,          -1, -1,  -1, -1,  0, -1, -1 },
	{ "readv",           sc_read,            -1,          -1, -1,  -1, -1,  0, -1, -1 },
	{ "preadv",          sc_read,            -1,          -1, -1,  -1, -1,  0, -1, -1 },
	{ "preadv2",         sc_read,            -1,          -1, -1,  -1, -1,  0, -1, -1 },
	{ "sendfile",        sc_sendfile,        K(transfer), -1, -1,  -1, -1,  0,  1, -1 },
	{ "sendfile64",      sc_sendfile,        K(transfer), -1, -1,  -1, -1,  0,  1, -1 },
	{ "copy_file_range", sc_copy_file_range, -1,          -1, -1,  -1, -1, -1, -1, -1 },
	{ "kill",            sc_kill,            K(kill),     -1, -1,  -1, -1,  0,  1, -1 },
	{ "tkill",           sc_kill,            K(kill),     -1, -1,  -1, -1,  0,  1, -1 },
	{ "tgkill",          sc_kill,            K(kill),     -1, -1,  -1, -1,  0,  2, -1 },
	{ "pidfd_send_signal", sc_kill,          K(kill),     -1, -1,  -1, -1,  0,  1,  1 },
	{ "pidfd_open",      sc_pidfd_open,      -1,          -1, -1,  -1, -1,  0, -1, -1 },
};
#undef K

#define CALLS_MASK (sizeof ((struct strace_parser *)0)->calls / sizeof (void *) - 1)

/* From the length and three bytes, not all of them: every line's name is
 * hashed, most are not in the table, and these few spread the table's
 * names well enough (at most a few probes; lengths turn misses away). */
static size_t
name_hash(const char *s, size_t n)
{
	if (!n)
		return 0;
	unsigned h = (unsigned)n * 31u + (unsigned char)s[0] * 7u + (unsigned char)s[n - 1] * 131u +
	             (unsigned char)s[n / 2] * 17u;
	return h & CALLS_MASK;
}

void
strace_calls_init(struct strace_parser *sp)
{
	for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
		size_t len = strlen(calls[i].name);
		size_t h = name_hash(calls[i].name, len);
		while (sp->calls[h])
			h = (h + 1) & CALLS_MASK;
		sp->calls[h] = &calls[i];
		sp->call_len[h] = (uint8_t)len;
	}
}

/* Every line's name is looked up, and most are not in the table: the
 * lengths turn most probes away before any bytes are compared. */
const struct sc_entry *
strace_call_lookup(const struct strace_parser *sp, struct span name)
{
	size_t h = name_hash(name.p, name.n);
	while (sp->calls[h]) {
		if (sp->call_len[h] == name.n && memcmp(sp->calls[h]->name, name.p, name.n) == 0)
			return sp->calls[h];
		h = (h + 1) & CALLS_MASK;
	}
	return NULL;
}

void
strace_handle_call(struct strace_parser *sp, struct proc *p, const struct strace_call *c)
{
	if (c->entry)
		c->entry->fn(sp, p, c, c->entry);
}
