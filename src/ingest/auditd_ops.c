/* auditd_ops.c — one complete audit event -> the ops strace would give.
 *
 * The SYSCALL record says who (pid, ppid), what (the syscall, by number
 * and arch, by name under ausearch -i, or by name in the ENRICHED tail)
 * and how it ended (success=, exit=).  The other records carry what the
 * registers only point at: CWD the working directory, PATH one item per
 * name the kernel looked up (nametype PARENT, NORMAL, CREATE, DELETE),
 * EXECVE the argv, SOCKADDR the address, PROCTITLE the command line. */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/path.h"
#include "alibi/shellcmd.h"
#include "auditd_internal.h"

enum arch { ARCH_UNKNOWN, ARCH_X86_64, ARCH_AARCH64 };

struct ctx;
typedef void (*ev_fn)(struct ctx *c);

/* One syscall: its numbers, and where its arguments are (a0..a3; -1
 * when absent).  fn NULL: counted, no op (clone, accept, ...). */
struct sc_row {
	const char *name;
	int nr_x86_64, nr_aarch64;
	ev_fn fn;
	int kind;                /* enum alibi_op_kind, or -1 */
	int8_t dirfd, flags, detail;
};

/* What a handler works from. */
struct ctx {
	struct auditd_parser *ap;
	const struct audit_event *ev;
	const struct audit_rec *sys;
	const struct sc_row *row;
	struct alibi_op op;
	const char *cwd;
	enum arch arch;
	char err_buf[40];
};

/* ---- errno and signal names ---- */

#define AUDITD_ERRNOS(X) \
	X(EPERM) X(ENOENT) X(ESRCH) X(EINTR) X(EIO) X(ENXIO) X(E2BIG) X(ENOEXEC) \
	X(EBADF) X(ECHILD) X(EAGAIN) X(ENOMEM) X(EACCES) X(EFAULT) X(EBUSY) \
	X(EEXIST) X(EXDEV) X(ENODEV) X(ENOTDIR) X(EISDIR) X(EINVAL) X(ENFILE) \
	X(EMFILE) X(ENOTTY) X(ETXTBSY) X(EFBIG) X(ENOSPC) X(ESPIPE) X(EROFS) \
	X(EMLINK) X(EPIPE) X(ERANGE) X(ENAMETOOLONG) X(ENOSYS) X(ENOTEMPTY) \
	X(ELOOP) X(ENOTSOCK) X(EOPNOTSUPP) X(EAFNOSUPPORT) X(EADDRINUSE) \
	X(EADDRNOTAVAIL) X(ENETDOWN) X(ENETUNREACH) X(ECONNABORTED) \
	X(ECONNRESET) X(ENOBUFS) X(EISCONN) X(ENOTCONN) X(ETIMEDOUT) \
	X(ECONNREFUSED) X(EHOSTUNREACH) X(EALREADY) X(EINPROGRESS) X(EDQUOT)

struct name_value {
	const char *name;
	int value;
};

static const struct name_value errnos[] = {
#define ERRNO_ROW(e) { #e, e },
	AUDITD_ERRNOS(ERRNO_ROW)
#undef ERRNO_ROW
};

static const struct name_value signals[] = {
	{ "SIGHUP", SIGHUP }, { "SIGINT", SIGINT }, { "SIGQUIT", SIGQUIT },
	{ "SIGABRT", SIGABRT }, { "SIGKILL", SIGKILL }, { "SIGUSR1", SIGUSR1 },
	{ "SIGSEGV", SIGSEGV }, { "SIGUSR2", SIGUSR2 }, { "SIGPIPE", SIGPIPE },
	{ "SIGALRM", SIGALRM }, { "SIGTERM", SIGTERM }, { "SIGCHLD", SIGCHLD },
	{ "SIGCONT", SIGCONT }, { "SIGSTOP", SIGSTOP }, { "SIGTSTP", SIGTSTP },
};

static const char *
name_of(const struct name_value *t, size_t n, int value)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].value == value)
			return t[i].name;
	return NULL;
}

static int
value_of(const struct name_value *t, size_t n, const char *name, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(t[i].name) == len && memcmp(t[i].name, name, len) == 0)
			return t[i].value;
	return 0;
}

#define NELEM(a) (sizeof (a) / sizeof (a)[0])

/* ---- fields of the event ---- */

/* The argument register aN, or -1 (no such register or not a number). */
static int
arg_number(const struct ctx *c, int arg, int64_t *v)
{
	char key[4] = { 'a', (char)('0' + arg), '\0', '\0' };
	if (arg < 0 || arg > 3)
		return -1;
	return audit_number(c->ev, c->sys, key, 1, v);
}

/* The argument as ausearch -i wrote it ("O_RDONLY|O_CREAT"), or NULL. */
static const char *
arg_text(const struct ctx *c, int arg)
{
	char key[3] = { 'a', (char)('0' + arg), '\0' };
	const struct audit_field *f = arg >= 0 && arg <= 3 ? audit_field(c->sys, key, 0) : NULL;
	return f ? f->val : NULL;
}

static int
has_token(const char *s, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = s ? strstr(s, word) : NULL; p; p = strstr(p + 1, word))
		if ((p == s || p[-1] == '|' || p[-1] == ',') && (p[n] == '\0' || p[n] == '|' || p[n] == ','))
			return 1;
	return 0;
}

/* ---- paths ---- */

/* The nth PATH item of a nametype (NULL: any but PARENT). */
static const struct audit_rec *
path_item(const struct audit_event *ev, const char *nametype, int nth)
{
	for (size_t i = 0; i < ev->n; i++) {
		const struct audit_rec *r = &ev->recs[i];
		if (strcmp(r->type, "PATH") != 0)
			continue;
		const struct audit_field *t = audit_field(r, "nametype", 0);
		if (!t)
			t = audit_field(r, "objtype", 0);  /* kernels before 4.x */
		const char *nt = t ? t->val : "";
		if (nametype ? strcmp(nt, nametype) != 0 : strcmp(nt, "PARENT") == 0)
			continue;
		if (!audit_field(r, "name", 0) || nth-- > 0)
			continue;
		return r;
	}
	return NULL;
}

static size_t
dir_slot(const char *dev, const char *ino)
{
	uint32_t h = 2166136261u;
	for (const char *p = dev; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	h = (h ^ ':') * 16777619u;
	for (const char *p = ino; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return h % AUDITD_DIR_SLOTS;
}

/* Remembers the directories this event names by absolute path.  PARENT
 * items are left out: for a lookup relative to a directory fd the kernel
 * writes the cwd's name there, not the directory's. */
static void
learn_dirs(struct auditd_parser *ap, const struct audit_event *ev)
{
	for (size_t i = 0; i < ev->n; i++) {
		const struct audit_rec *r = &ev->recs[i];
		if (strcmp(r->type, "PATH") != 0)
			continue;
		const struct audit_field *nt = audit_field(r, "nametype", 0);
		const struct audit_field *mode = audit_field(r, "mode", 0);
		const struct audit_field *dev = audit_field(r, "dev", 0);
		const struct audit_field *ino = audit_field(r, "inode", 0);
		if (!nt || strcmp(nt->val, "PARENT") == 0 || !mode || !dev || !ino ||
		    (strncmp(mode->val, "040", 3) != 0 && strncmp(mode->val, "dir,", 4) != 0))
			continue;
		const char *name = audit_string(ev, r, "name", 0, &ap->s4);
		if (!name || name[0] != '/')
			continue;
		if (!ap->dirs)
			ap->dirs = xcalloc(AUDITD_DIR_SLOTS, sizeof *ap->dirs);
		struct audit_dir *d = &ap->dirs[dir_slot(dev->val, ino->val)];
		free(d->dev);
		free(d->ino);
		free(d->path);
		d->dev = xstrdup(dev->val);
		d->ino = xstrdup(ino->val);
		d->path = xstrdup(path_normalize(ap->s4.buf));
	}
}

/* The directory the event's PARENT item is, when seen before by name. */
static const char *
parent_dir(struct ctx *c)
{
	const struct audit_rec *r = path_item(c->ev, "PARENT", 0);
	const struct audit_field *dev = r ? audit_field(r, "dev", 0) : NULL;
	const struct audit_field *ino = r ? audit_field(r, "inode", 0) : NULL;
	if (!dev || !ino || !c->ap->dirs)
		return NULL;
	const struct audit_dir *d = &c->ap->dirs[dir_slot(dev->val, ino->val)];
	if (!d->path || strcmp(d->dev, dev->val) != 0 || strcmp(d->ino, ino->val) != 0)
		return NULL;
	return d->path;
}

void
auditd_dirs_free(struct auditd_parser *ap)
{
	for (size_t i = 0; ap->dirs && i < AUDITD_DIR_SLOTS; i++) {
		free(ap->dirs[i].dev);
		free(ap->dirs[i].ino);
		free(ap->dirs[i].path);
	}
	free(ap->dirs);
	ap->dirs = NULL;
}

/* A PATH item's name, joined with the cwd when relative and the call
 * looked it up from the cwd, or with the directory a directory fd names
 * when an earlier event showed that directory by name. */
static const char *
item_path(struct ctx *c, const struct audit_rec *r, struct strbuf *out)
{
	struct strbuf *t = &c->ap->s4;
	if (!r || !audit_string(c->ev, r, "name", 0, t))
		return NULL;
	int64_t dirfd = -100;
	if (t->buf[0] != '/' && c->row->dirfd >= 0 && arg_number(c, c->row->dirfd, &dirfd) == 0 &&
	    (int32_t)dirfd != -100)
		dirfd = 0;  /* relative to a directory fd the log does not name */
	const char *dfd = c->row->dirfd >= 0 ? arg_text(c, c->row->dirfd) : NULL;
	if (dfd && strcmp(dfd, "AT_FDCWD") == 0)
		dirfd = -100;
	sb_reset(out);
	const char *dir = t->buf[0] != '/' && (int32_t)dirfd != -100 ? parent_dir(c) : NULL;
	if (dir) {
		path_join(out, dir, t->buf);
		return out->buf;
	}
	if (t->buf[0] == '/' || (int32_t)dirfd != -100 || !c->cwd) {
		sb_add(out, t->buf, t->len);
		return t->buf[0] == '/' ? path_normalize(out->buf) : out->buf;
	}
	path_join(out, c->cwd, t->buf);
	return out->buf;
}

/* ---- emitting ---- */

static void
emit(struct ctx *c)
{
	c->ap->sink->op(c->ap->sink->ctx, &c->op);
}

static void
op_kind_path(struct ctx *c, enum alibi_op_kind kind, const struct audit_rec *item)
{
	c->op.kind = kind;
	c->op.path = item_path(c, item, &c->ap->s1);
	emit(c);
}

/* ---- handlers ---- */

/* A field of any EXECVE record of the event (long argv spans several). */
static const struct audit_rec *
execve_rec_with(const struct audit_event *ev, const char *key)
{
	for (size_t i = 0; i < ev->n; i++)
		if (strcmp(ev->recs[i].type, "EXECVE") == 0 && audit_field(&ev->recs[i], key, 0))
			return &ev->recs[i];
	return NULL;
}

/* argv, shell-quoted and joined; a long argument comes as aN_len=
 * followed by hex pieces aN[0]=, aN[1]=, ... */
static const char *
exec_argv(struct ctx *c, struct strbuf *out)
{
	const struct audit_rec *r = execve_rec_with(c->ev, "argc");
	int64_t argc;
	char key[40];
	if (!r || audit_number(c->ev, r, "argc", 0, &argc) || argc < 0)
		return NULL;
	sb_reset(out);
	sb_add(out, "", 0);
	for (int64_t i = 0; i < argc && i < 4096; i++) {
		struct strbuf *t = &c->ap->s3;
		snprintf(key, sizeof key, "a%lld", (long long)i);
		const struct audit_rec *ar = execve_rec_with(c->ev, key);
		sb_reset(t);
		if (ar) {
			audit_string(c->ev, ar, key, 0, t);
		} else {
			for (int k = 0; k < 100000; k++) {
				snprintf(key, sizeof key, "a%lld[%d]", (long long)i, k);
				if (!(ar = execve_rec_with(c->ev, key)))
					break;
				audit_string(c->ev, ar, key, 0, &c->ap->s4);
				sb_adds(t, sb_str(&c->ap->s4));
			}
			if (!t->len)
				break;  /* not logged (argv cut by the kernel) */
		}
		if (out->len)
			sb_addc(out, ' ');
		shell_quote_word(out, sb_str(t), strlen(sb_str(t)));
	}
	return out->buf;
}

static void
ev_exec(struct ctx *c)
{
	const struct audit_rec *item = path_item(c->ev, NULL, 0);
	c->op.kind = ALIBI_OP_exec;
	c->op.path = item_path(c, item, &c->ap->s1);
	if (!c->op.path)
		c->op.path = audit_string(c->ev, c->sys, "exe", 0, &c->ap->s1);
	c->op.detail = exec_argv(c, &c->ap->s2);
	const struct audit_rec *pt = audit_find_rec(c->ev, "PROCTITLE");
	if (!c->op.detail && pt)
		c->op.detail = audit_string(c->ev, pt, "proctitle", 1, &c->ap->s2);
	emit(c);
}

/* x86_64 and aarch64 share these bits except O_DIRECTORY. */
#define OF_ACCMODE 03
#define OF_CREAT 0100
#define OF_TRUNC 01000
#define OF_APPEND 02000
#define OF_PATH 010000000

static void
ev_open(struct ctx *c)
{
	int64_t fl = 0;
	const char *text = arg_text(c, c->row->flags);
	int create = c->row->flags == -1, write = create, dir = 0;  /* -1: creat() */
	if (c->row->flags >= 0 && c->ev->interpreted && text && text[0] == 'O') {
		write = has_token(text, "O_WRONLY") || has_token(text, "O_RDWR");
		/* an append (">> f") makes f only when its PATH record says so */
		create = (has_token(text, "O_CREAT") && !has_token(text, "O_APPEND")) ||
		         has_token(text, "O_TRUNC");
		dir = has_token(text, "O_DIRECTORY");
		if (has_token(text, "O_PATH"))
			return;
	} else if (c->row->flags >= 0 && arg_number(c, c->row->flags, &fl) == 0) {
		write = (fl & OF_ACCMODE) != 0;
		create = ((fl & OF_CREAT) && !(fl & OF_APPEND)) || (fl & OF_TRUNC);
		dir = (fl & (c->arch == ARCH_AARCH64 ? 040000 : 0200000)) != 0;
		if (fl & OF_PATH)
			return;  /* a handle for *at() calls, not an access */
	}
	const struct audit_rec *item = path_item(c->ev, "CREATE", 0);
	if (item)
		create = 1;  /* the kernel made a new name */
	else
		item = path_item(c->ev, NULL, 0);
	enum alibi_op_kind kind = write ? ALIBI_OP_open_write : ALIBI_OP_open_read;
	c->op.kind = kind;
	c->op.path = item_path(c, item, &c->ap->s1);
	if (create && !dir && !(c->op.path && strncmp(c->op.path, "/dev/", 5) == 0))
		c->op.kind = ALIBI_OP_create;
	emit(c);
}

/* unlink, rmdir, mkdir, chmod, chown, truncate, utime. */
static void
ev_path_op(struct ctx *c)
{
	enum alibi_op_kind kind = (enum alibi_op_kind)c->row->kind;
	const struct audit_rec *item = NULL;
	int64_t v, v2;
	if (kind == ALIBI_OP_unlink && c->row->flags >= 0) {
		const char *t = arg_text(c, c->row->flags);
		if ((t && strstr(t, "REMOVEDIR")) || (arg_number(c, c->row->flags, &v) == 0 && (v & 0x200)))
			kind = ALIBI_OP_rmdir;
	}
	if (kind == ALIBI_OP_unlink || kind == ALIBI_OP_rmdir)
		item = path_item(c->ev, "DELETE", 0);
	else if (kind == ALIBI_OP_mkdir)
		item = path_item(c->ev, "CREATE", 0);
	if (!item)
		item = path_item(c->ev, NULL, 0);
	struct strbuf *d = &c->ap->s2;
	sb_reset(d);
	int d_arg = c->row->detail;
	if (d_arg >= 0 && c->ev->interpreted && arg_text(c, d_arg)) {
		sb_adds(d, arg_text(c, d_arg));
		if (kind == ALIBI_OP_chown && arg_text(c, d_arg + 1))
			sb_addf(d, ":%s", arg_text(c, d_arg + 1));
	} else if (d_arg >= 0 && arg_number(c, d_arg, &v) == 0) {
		if (kind == ALIBI_OP_chmod)
			sb_addf(d, "0%llo", (unsigned long long)(v & 07777));
		else if (kind == ALIBI_OP_chown && arg_number(c, d_arg + 1, &v2) == 0)
			sb_addf(d, "%d:%d", (int)(int32_t)v, (int)(int32_t)v2);
		else if (kind == ALIBI_OP_truncate)
			sb_addf(d, "%lld", (long long)v);
	}
	c->op.detail = d->len ? d->buf : NULL;
	op_kind_path(c, kind, item);
}

/* rename: the old name is DELETE, the new one CREATE (a replaced file
 * adds a second DELETE before it). */
static void
ev_rename(struct ctx *c)
{
	const struct audit_rec *from = path_item(c->ev, "DELETE", 0);
	const struct audit_rec *to = path_item(c->ev, "CREATE", 0);
	if (!to)
		to = path_item(c->ev, "DELETE", 1);
	c->op.kind = ALIBI_OP_rename;
	c->op.path = item_path(c, from, &c->ap->s1);
	c->op.path2 = item_path(c, to, &c->ap->s2);
	emit(c);
}

/* link: the existing file is NORMAL, the new name CREATE.  symlink: the
 * target is text the kernel does not look up, so only the link shows. */
static void
ev_link(struct ctx *c)
{
	int sym = strstr(c->row->name, "sym") != NULL;
	c->op.kind = ALIBI_OP_link;
	if (!sym)
		c->op.path = item_path(c, path_item(c->ev, "NORMAL", 0), &c->ap->s1);
	c->op.path2 = item_path(c, path_item(c->ev, "CREATE", 0), &c->ap->s2);
	if (sym)
		c->op.detail = "symlink";
	emit(c);
}

/* ---- sockets ---- */

struct saddr {
	int family;              /* 0 none, 1 inet, 3 unix */
	struct strbuf *host;
	int port;
};

/* saddr=02000050A9FEA9FE... (hex sockaddr, little-endian family). */
static int
decode_hex_saddr(const char *hex, struct saddr *sa)
{
	unsigned char b[128];
	size_t n = 0, len = strlen(hex);
	if (len < 4 || len % 2)
		return -1;
	for (; n < sizeof b && 2 * n + 1 < len; n++) {
		int hi = hex[2 * n], lo = hex[2 * n + 1];
		char pair[3] = { (char)hi, (char)lo, '\0' };
		char *end;
		b[n] = (unsigned char)strtoul(pair, &end, 16);
		if (*end)
			return -1;
	}
	int fam = b[0] | b[1] << 8;
	char text[INET6_ADDRSTRLEN];
	sb_reset(sa->host);
	if (fam == AF_INET && n >= 8) {
		inet_ntop(AF_INET, b + 4, text, sizeof text);
		sb_adds(sa->host, text);
		sa->port = b[2] << 8 | b[3];
		sa->family = 1;
	} else if (fam == AF_INET6 && n >= 24) {
		inet_ntop(AF_INET6, b + 8, text, sizeof text);
		sb_adds(sa->host, text);
		sa->port = b[2] << 8 | b[3];
		sa->family = 1;
	} else if (fam == AF_UNIX && n > 2) {
		size_t i = 2;
		if (b[2] == 0) {  /* abstract */
			sb_addc(sa->host, '@');
			i = 3;
		}
		for (; i < n && b[i]; i++)
			sb_addc(sa->host, (char)b[i]);
		sa->family = 3;
	} else {
		return -1;
	}
	return 0;
}

/* The value of "key=" inside "{ saddr_fam=inet laddr=1.2.3.4 lport=80 }". */
static int
brace_field(const char *s, const char *key, struct strbuf *out)
{
	size_t k = strlen(key);
	for (const char *p = strstr(s, key); p; p = strstr(p + 1, key)) {
		if ((p != s && p[-1] != ' ' && p[-1] != '{') || p[k] != '=')
			continue;
		p += k + 1;
		size_t n = strcspn(p, " }");
		sb_reset(out);
		sb_add(out, p, n);
		return 0;
	}
	return -1;
}

static int
decode_brace_saddr(const char *s, struct saddr *sa, struct strbuf *tmp)
{
	if (brace_field(s, "saddr_fam", tmp) && brace_field(s, "fam", tmp))
		return -1;
	if (strcmp(tmp->buf, "inet") == 0 || strcmp(tmp->buf, "inet6") == 0) {
		if (brace_field(s, "laddr", sa->host))
			return -1;
		sa->port = brace_field(s, "lport", tmp) ? -1 : atoi(tmp->buf);
		sa->family = 1;
		return 0;
	}
	if ((strcmp(tmp->buf, "local") == 0 || strcmp(tmp->buf, "unix") == 0) &&
	    brace_field(s, "path", sa->host) == 0) {
		sa->family = 3;
		return 0;
	}
	return -1;
}

static int
event_saddr(struct ctx *c, struct saddr *sa)
{
	const struct audit_rec *r = audit_find_rec(c->ev, "SOCKADDR");
	const struct audit_field *f = r ? audit_field(r, "saddr", 0) : NULL;
	const struct audit_field *tail = r ? audit_field(r, "SADDR", 1) : NULL;
	sa->family = 0;
	sa->port = -1;
	if (f && f->val[0] == '{' && decode_brace_saddr(f->val, sa, &c->ap->s3) == 0)
		return 0;
	if (f && !c->ev->interpreted && decode_hex_saddr(f->val, sa) == 0)
		return 0;
	if (tail && decode_brace_saddr(tail->val, sa, &c->ap->s3) == 0)
		return 0;
	return -1;
}

/* A unix socket path is looked up like a file name: from the cwd. */
static void
set_peer(struct ctx *c, const struct saddr *sa)
{
	if (sa->family == 3) {
		c->op.path = sa->host->buf;
		if (c->cwd && sa->host->buf[0] != '/' && sa->host->buf[0] != '@') {
			sb_reset(&c->ap->s2);
			path_join(&c->ap->s2, c->cwd, sa->host->buf);
			c->op.path = c->ap->s2.buf;
		}
	} else {
		c->op.host = sa->host->buf;
		c->op.port = sa->port;
	}
}

static void
ev_connect(struct ctx *c)
{
	struct saddr sa = { 0, &c->ap->s1, -1 };
	if (event_saddr(c, &sa))
		return;
	c->op.kind = ALIBI_OP_connect;
	set_peer(c, &sa);
	/* A non-blocking connect answers EINPROGRESS and usually goes on to
	 * connect, as the strace parser also counts it. */
	if (c->op.err_name && strcmp(c->op.err_name, "EINPROGRESS") == 0)
		c->op.ok = 1;
	emit(c);
}

static void
ev_send(struct ctx *c)
{
	struct saddr sa = { 0, &c->ap->s1, -1 };
	int64_t ret;
	c->op.kind = ALIBI_OP_send;
	if (event_saddr(c, &sa) == 0)
		set_peer(c, &sa);
	if (c->op.ok && audit_number(c->ev, c->sys, "exit", 0, &ret) == 0 && ret >= 0)
		c->op.bytes = ret;
	emit(c);
}

static void
ev_kill(struct ctx *c)
{
	int pid_arg = c->row->flags, sig_arg = c->row->detail;
	int64_t pid, sig;
	struct strbuf *d = &c->ap->s2;
	sb_reset(d);
	if (arg_number(c, pid_arg, &pid) == 0)
		sb_addf(d, "pid %d ", (int)(int32_t)pid);
	else if (arg_text(c, pid_arg))
		sb_addf(d, "pid %s ", arg_text(c, pid_arg));
	const char *st = arg_text(c, sig_arg);
	if (c->ev->interpreted && st && strncmp(st, "SIG", 3) == 0) {
		sb_adds(d, st);
	} else if (arg_number(c, sig_arg, &sig) == 0) {
		const char *name = name_of(signals, NELEM(signals), (int)sig);
		if (name)
			sb_adds(d, name);
		else
			sb_addf(d, "%lld", (long long)sig);
	}
	c->op.kind = ALIBI_OP_kill;
	c->op.detail = d->buf;
	emit(c);
}

/* ---- the table ---- */

#define K(kind) ALIBI_OP_##kind
static const struct sc_row rows[] = {
	/* name          x86_64 aarch64 fn          kind        dirfd flags detail */
	{ "execve",         59, 221, ev_exec,     K(exec),     -1, -1, -1 },
	{ "execveat",      322, 281, ev_exec,     K(exec),      0, -1, -1 },
	{ "open",            2,  -1, ev_open,     -1,          -1,  1, -1 },
	{ "openat",        257,  56, ev_open,     -1,           0,  2, -1 },
	{ "openat2",       437, 437, ev_open,     -1,           0, -2, -1 },
	{ "creat",          85,  -1, ev_open,     -1,          -1, -1, -1 },
	{ "unlink",         87,  -1, ev_path_op,  K(unlink),   -1, -1, -1 },
	{ "unlinkat",      263,  35, ev_path_op,  K(unlink),    0,  2, -1 },
	{ "rmdir",          84,  -1, ev_path_op,  K(rmdir),    -1, -1, -1 },
	{ "mkdir",          83,  -1, ev_path_op,  K(mkdir),    -1, -1, -1 },
	{ "mkdirat",       258,  34, ev_path_op,  K(mkdir),     0, -1, -1 },
	{ "rename",         82,  -1, ev_rename,   K(rename),   -1, -1, -1 },
	{ "renameat",      264,  38, ev_rename,   K(rename),    0, -1, -1 },
	{ "renameat2",     316, 276, ev_rename,   K(rename),    0, -1, -1 },
	{ "link",           86,  -1, ev_link,     K(link),     -1, -1, -1 },
	{ "linkat",        265,  37, ev_link,     K(link),      0, -1, -1 },
	{ "symlink",        88,  -1, ev_link,     K(link),     -1, -1, -1 },
	{ "symlinkat",     266,  36, ev_link,     K(link),      1, -1, -1 },
	{ "chmod",          90,  -1, ev_path_op,  K(chmod),    -1, -1,  1 },
	{ "fchmod",         91,  52, ev_path_op,  K(chmod),    -1, -1,  1 },
	{ "fchmodat",      268,  53, ev_path_op,  K(chmod),     0, -1,  2 },
	{ "fchmodat2",     452, 452, ev_path_op,  K(chmod),     0, -1,  2 },
	{ "chown",          92,  -1, ev_path_op,  K(chown),    -1, -1,  1 },
	{ "fchown",         93,  55, ev_path_op,  K(chown),    -1, -1,  1 },
	{ "lchown",         94,  -1, ev_path_op,  K(chown),    -1, -1,  1 },
	{ "fchownat",      260,  54, ev_path_op,  K(chown),     0, -1,  2 },
	{ "utime",         132,  -1, ev_path_op,  K(utime),    -1, -1, -1 },
	{ "utimes",        235,  -1, ev_path_op,  K(utime),    -1, -1, -1 },
	{ "utimensat",     280,  88, ev_path_op,  K(utime),     0, -1, -1 },
	{ "futimesat",     261,  -1, ev_path_op,  K(utime),     0, -1, -1 },
	{ "truncate",       76,  45, ev_path_op,  K(truncate), -1, -1,  1 },
	{ "ftruncate",      77,  46, ev_path_op,  K(truncate), -1, -1,  1 },
	{ "connect",        42, 203, ev_connect,  K(connect),  -1, -1, -1 },
	{ "sendto",         44, 206, ev_send,     K(send),     -1, -1, -1 },
	{ "sendmsg",        46, 211, ev_send,     K(send),     -1, -1, -1 },
	{ "kill",           62, 129, ev_kill,     K(kill),     -1,  0,  1 },
	{ "tkill",         200, 130, ev_kill,     K(kill),     -1,  0,  1 },
	{ "tgkill",        234, 131, ev_kill,     K(kill),     -1,  1,  2 },
	{ "clone",          56, 220, NULL,        -1,          -1, -1, -1 },
	{ "fork",           57,  -1, NULL,        -1,          -1, -1, -1 },
	{ "vfork",          58,  -1, NULL,        -1,          -1, -1, -1 },
	{ "clone3",        435, 435, NULL,        -1,          -1, -1, -1 },
	{ "accept",         43, 202, NULL,        -1,          -1, -1, -1 },
	{ "accept4",       288, 242, NULL,        -1,          -1, -1, -1 },
	{ "getpeername",    52, 205, NULL,        -1,          -1, -1, -1 },
	{ "getsockname",    51, 204, NULL,        -1,          -1, -1, -1 },
	{ "bind",           49, 200, NULL,        -1,          -1, -1, -1 },
};
#undef K

static const struct sc_row *
row_by_name(const char *name)
{
	for (size_t i = 0; i < NELEM(rows); i++)
		if (strcmp(rows[i].name, name) == 0)
			return &rows[i];
	return NULL;
}

static const struct sc_row *
row_by_number(enum arch arch, int64_t nr)
{
	for (size_t i = 0; i < NELEM(rows); i++)
		if ((arch == ARCH_X86_64 ? rows[i].nr_x86_64 : rows[i].nr_aarch64) == nr)
			return &rows[i];
	return NULL;
}

static enum arch
arch_of(const char *s)
{
	if (!s)
		return ARCH_UNKNOWN;
	if (strcmp(s, "c000003e") == 0 || strcmp(s, "x86_64") == 0)
		return ARCH_X86_64;
	if (strcmp(s, "c00000b7") == 0 || strcmp(s, "aarch64") == 0)
		return ARCH_AARCH64;
	return ARCH_UNKNOWN;
}

/* The syscall's row: the ENRICHED tail's name first, then the name
 * ausearch -i wrote, then the number on its arch.  *bad is set when the
 * arch is one this parser has no numbers for. */
static const struct sc_row *
event_row(const struct audit_event *ev, const struct audit_rec *sys, enum arch *a, int *bad)
{
	const struct audit_field *named = audit_field(sys, "SYSCALL", 1);
	const struct audit_field *f = audit_field(sys, "syscall", 0);
	const struct audit_field *arch = audit_field(sys, "arch", 0);
	const struct audit_field *tail_arch = audit_field(sys, "ARCH", 1);
	int64_t nr;
	*bad = 0;
	*a = arch_of(arch ? arch->val : NULL);
	if (*a == ARCH_UNKNOWN && tail_arch)
		*a = arch_of(tail_arch->val);
	if (named)
		return row_by_name(named->val);
	if (f && !(f->val[0] >= '0' && f->val[0] <= '9'))
		return row_by_name(f->val);
	if (audit_number(ev, sys, "syscall", 0, &nr))
		return NULL;
	if (*a == ARCH_UNKNOWN) {
		*bad = 1;
		return NULL;
	}
	return row_by_number(*a, nr);
}

/* ok, err_no and err_name from success= and exit= ("-2" in raw logs,
 * "ENOENT(No such file or directory)" under ausearch -i). */
static void
set_result(struct ctx *c)
{
	const struct audit_field *succ = audit_field(c->sys, "success", 0);
	const struct audit_field *ex = audit_field(c->sys, "exit", 0);
	int64_t v;
	c->op.ok = 1;
	if (ex && ex->val[0] == 'E') {
		size_t n = strcspn(ex->val, "(");
		snprintf(c->err_buf, sizeof c->err_buf, "%.*s", (int)(n < 39 ? n : 39), ex->val);
		c->op.err_name = c->err_buf;
		c->op.err_no = value_of(errnos, NELEM(errnos), ex->val, n);
		c->op.ok = 0;
	} else if (ex && audit_number(c->ev, c->sys, "exit", 0, &v) == 0 && v < 0 && v > -4096) {
		c->op.err_no = (int)-v;
		c->op.err_name = name_of(errnos, NELEM(errnos), (int)-v);
		c->op.ok = 0;
	}
	if (succ)
		c->op.ok = strcmp(succ->val, "yes") == 0;
}

/* raw: the event's records, one a line, cut at AUDITD_RAW_MAX. */
static const char *
event_raw(struct auditd_parser *ap, const struct audit_event *ev)
{
	sb_reset(&ap->raw);
	for (size_t i = 0; i < ev->n && ap->raw.len < AUDITD_RAW_MAX; i++) {
		if (i)
			sb_addc(&ap->raw, '\n');
		sb_adds(&ap->raw, ev->recs[i].raw);
	}
	if (ap->raw.len > AUDITD_RAW_MAX) {
		size_t k = AUDITD_RAW_MAX;
		while (k > 0 && ((unsigned char)ap->raw.buf[k] & 0xc0) == 0x80)
			k--;  /* not inside a UTF-8 sequence */
		sb_truncate(&ap->raw, k);
	}
	return ap->raw.buf;
}

void
auditd_event_ops(struct auditd_parser *ap, const struct audit_event *ev)
{
	const struct audit_rec *sys = audit_find_rec(ev, "SYSCALL");
	int bad;
	int64_t v;
	enum arch arch;
	if (!sys || !ap->sink->op)
		return;
	learn_dirs(ap, ev);
	const struct sc_row *row = event_row(ev, sys, &arch, &bad);
	if (bad) {
		auditd_bad(ap, sys->line, "unsupported arch");
		return;
	}
	if (!row || !row->fn)
		return;
	struct ctx c;
	memset(&c, 0, sizeof c);
	c.ap = ap;
	c.ev = ev;
	c.sys = sys;
	c.row = row;
	c.arch = arch;
	const struct audit_rec *cwd = audit_find_rec(ev, "CWD");
	struct strbuf cwd_buf = STRBUF_INIT;
	c.cwd = cwd ? audit_string(ev, cwd, "cwd", 0, &cwd_buf) : NULL;
	if (c.cwd && c.cwd[0] != '/')
		c.cwd = NULL;
	c.op.ts = ev->ts;
	c.op.pid = audit_number(ev, sys, "pid", 0, &v) == 0 ? (int32_t)v : 0;
	c.op.ppid = audit_number(ev, sys, "ppid", 0, &v) == 0 ? (int32_t)v : 0;
	c.op.syscall = row->name;
	c.op.port = -1;
	c.op.bytes = -1;
	c.op.line = ev->line;
	c.op.raw = event_raw(ap, ev);
	set_result(&c);
	row->fn(&c);
	sb_free(&cwd_buf);
}
