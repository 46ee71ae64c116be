/* strace_net.c — where bytes go: writes summed onto the op that opened
 * the file or connected the socket, sends to explicit addresses, files
 * sent into sockets (transfer), and signals.
 *
 * Bytes count only calls that moved data (result > 0).  A write on an fd
 * whose open the log does not show (opened before the trace began) starts
 * a "write" or "send" op of its own when -y says what the fd is. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "strace_internal.h"

/* Terminals and the null device: writing there is output, not a file. */
int
strace_quiet_device(const char *path)
{
	static const char *const quiet[] = {
		"/dev/null", "/dev/zero", "/dev/full", "/dev/tty", "/dev/pts/", "/dev/ptmx",
		"/dev/console", "/dev/urandom", "/dev/random",
	};
	if (strncmp(path, "/dev/", 5) != 0)
		return 0;
	for (size_t i = 0; i < sizeof quiet / sizeof quiet[0]; i++)
		if (strncmp(path, quiet[i], strlen(quiet[i])) == 0)
			return 1;
	return 0;
}

static void
hold_on(struct strace_parser *sp, struct ofd *o, const struct alibi_op *op, int xfer)
{
	struct pending *pd = op_hold(sp, op);
	pd->owner = o;
	if (xfer)
		o->xfer = pd;
	else
		o->op = pd;
}

static void
set_peer(struct ofd *o, const struct strace_sockaddr *sa)
{
	free(o->peer_host);
	o->peer_host = xstrdup(sa->host.buf);
	o->peer_port = sa->port;
	o->peer_unix = sa->family == 3;
}

void
strace_add_read(struct ofd *o, int64_t n)
{
	if (o && o->op && o->op->op.kind == ALIBI_OP_open_read && n > 0)
		o->op->op.bytes += n;
}

/* A unix socket's peer is a path; an inet one a host and port. */
static void
op_set_peer(struct alibi_op *op, const struct ofd *o)
{
	if (o->peer_unix) {
		op->path = o->peer_host;
	} else {
		op->host = o->peer_host;
		op->port = o->peer_port;
	}
}

void
strace_add_written(struct strace_parser *sp, struct proc *p, struct ofd *o, int64_t n,
                   const struct strace_call *c, const char *syscall)
{
	if (!o || n <= 0)
		return;
	if (o->op) {
		if (o->op->op.kind != ALIBI_OP_open_read)
			o->op->op.bytes += n;
		return;
	}
	struct alibi_op op;
	if (o->kind == OFD_FILE && o->path && !strace_quiet_device(o->path)) {
		op_init(&op, p, c, syscall, ALIBI_OP_write);
		op.path = o->path;
	} else if (o->kind == OFD_SOCKET && o->peer_host) {
		op_init(&op, p, c, syscall, ALIBI_OP_send);
		op_set_peer(&op, o);
	} else {
		return;
	}
	op.bytes = n;
	hold_on(sp, o, &op, 0);
}

/* The socket an fd argument names; one the log never showed being made
 * is assumed to exist (connect() needs somewhere to keep its op). */
static struct ofd *
socket_ofd(struct strace_parser *sp, struct proc *p, const struct strace_call *c, int arg)
{
	int fd = -1;
	struct ofd *o = strace_fd_ofd(sp, p, c, arg, &fd);
	if (!o && fd >= 0) {
		o = ofd_new(sp, OFD_SOCKET, NULL);
		fdt_put(sp, p, fd, o, 0);
	}
	return o;
}

void
sc_socket(struct strace_parser *sp, struct proc *p, const struct strace_call *c,
          const struct sc_entry *e)
{
	if (!strace_ok(c) || c->ret > INT32_MAX)
		return;
	int cloexec = strace_has_arg(c, e->flags) && strace_has_token(c->args[e->flags], "SOCK_CLOEXEC");
	fdt_put(sp, p, (int)c->ret, ofd_new(sp, OFD_SOCKET, NULL), cloexec);
}

void
sc_accept(struct strace_parser *sp, struct proc *p, const struct strace_call *c,
          const struct sc_entry *e)
{
	if (!strace_ok(c) || c->ret > INT32_MAX)
		return;
	struct ofd *o = ofd_new(sp, OFD_SOCKET, NULL);
	struct strace_sockaddr *sa = &sp->sa;
	if ((strace_has_arg(c, e->detail) && strace_parse_sockaddr(c->args[e->detail], sa) == 0 &&
	     sa->family != 4) ||
	    strace_parse_peer(c->ret_annot, &sa->host, &sa->port) == 0)
		set_peer(o, sa);
	int cloexec = strace_has_arg(c, e->flags) && strace_has_token(c->args[e->flags], "SOCK_CLOEXEC");
	fdt_put(sp, p, (int)c->ret, o, cloexec);
}

void
sc_connect(struct strace_parser *sp, struct proc *p, const struct strace_call *c,
           const struct sc_entry *e)
{
	struct strace_sockaddr *sa = &sp->sa;
	if (!strace_has_arg(c, e->detail) || strace_parse_sockaddr(c->args[e->detail], sa) ||
	    sa->family == 4)
		return;
	struct ofd *o = socket_ofd(sp, p, c, e->fd);
	struct alibi_op op;
	op_init(&op, p, c, e->name, ALIBI_OP_connect);
	if (sa->family == 3) {
		op.path = sa->host.buf;
	} else {
		op.host = sa->host.buf;
		op.port = sa->port;
	}
	strace_set_result(&op, c);
	/* A non-blocking connect answers EINPROGRESS and usually goes on to
	 * connect: it counts as made, and getsockopt(SO_ERROR) may say not. */
	if (op.err_name && strcmp(op.err_name, "EINPROGRESS") == 0)
		op.ok = 1;
	if (!op.ok || !o) {
		op_emit_now(sp, &op);
		return;
	}
	if (o->op)
		pending_release(sp, o->op);  /* a datagram socket connected again */
	op.bytes = 0;
	hold_on(sp, o, &op, 0);
	set_peer(o, sa);
}

/* getsockopt(fd, SOL_SOCKET, SO_ERROR, [ECONNREFUSED], [4]) settles an
 * EINPROGRESS connect. */
void
sc_getsockopt(struct strace_parser *sp, struct proc *p, const struct strace_call *c,
              const struct sc_entry *e)
{
	(void)sp;
	if (!strace_ok(c) || !strace_has_arg(c, e->detail) || !strace_has_token(c->args[2], "SO_ERROR"))
		return;
	struct ofd *o = fdt_get(p, strace_call_fd(c, e->fd));
	struct pending *pd = o ? o->op : NULL;
	if (!pd || pd->op.kind != ALIBI_OP_connect || !pd->op.err_name ||
	    strcmp(pd->op.err_name, "EINPROGRESS") != 0)
		return;
	struct span v = strace_trim(c->args[e->detail]);
	if (v.n >= 2 && v.p[0] == '[') {
		v.p++;
		v.n -= 2;
	}
	free((char *)pd->op.err_name);
	pd->op.err_name = NULL;
	pd->op.err_no = 0;
	if (v.n && v.p[0] == 'E') {
		pd->op.ok = 0;
		pd->op.bytes = -1;
		pd->op.err_no = strace_errno_value(v);
		pd->op.err_name = xstrndup(v.p, v.n);
	}
}

void
sc_write(struct strace_parser *sp, struct proc *p, const struct strace_call *c,
         const struct sc_entry *e)
{
	if (strace_ok(c) && c->ret > 0)
		strace_add_written(sp, p, strace_fd_ofd(sp, p, c, e->fd, NULL), c->ret, c, e->name);
}

/* A datagram to an explicit address: one send op per call. */
static void
send_to(struct strace_parser *sp, struct proc *p, const struct strace_call *c,
        const struct sc_entry *e)
{
	struct alibi_op op;
	op_init(&op, p, c, e->name, ALIBI_OP_send);
	if (sp->sa.family == 3) {
		op.path = sp->sa.host.buf;
	} else {
		op.host = sp->sa.host.buf;
		op.port = sp->sa.port;
	}
	strace_set_result(&op, c);
	op.bytes = op.ok ? c->ret : -1;
	op_emit_now(sp, &op);
}

void
sc_sendto(struct strace_parser *sp, struct proc *p, const struct strace_call *c,
          const struct sc_entry *e)
{
	if (strace_has_arg(c, e->detail) && strace_parse_sockaddr(c->args[e->detail], &sp->sa) == 0 &&
	    sp->sa.family != 4)
		send_to(sp, p, c, e);
	else
		sc_write(sp, p, c, e);
}

void
sc_sendmsg(struct strace_parser *sp, struct proc *p, const struct strace_call *c,
           const struct sc_entry *e)
{
	struct span name;
	if (strace_has_arg(c, e->detail) && strace_find_field(c->args[e->detail], "msg_name", &name) == 0 &&
	    strace_parse_sockaddr(name, &sp->sa) == 0 && sp->sa.family != 4)
		send_to(sp, p, c, e);
	else
		sc_write(sp, p, c, e);
}

/* sendfile(out, in, ...): a file's bytes into a socket is a transfer,
 * summed per (file, socket) pair. */
void
sc_sendfile(struct strace_parser *sp, struct proc *p, const struct strace_call *c,
            const struct sc_entry *e)
{
	if (!strace_ok(c) || c->ret <= 0)
		return;
	struct ofd *out = strace_fd_ofd(sp, p, c, e->fd, NULL);
	struct ofd *in = strace_fd_ofd(sp, p, c, e->detail, NULL);
	strace_add_read(in, c->ret);
	strace_add_written(sp, p, out, c->ret, c, e->name);
	if (!in || !out || in->kind != OFD_FILE || !in->path || out->kind != OFD_SOCKET)
		return;
	if (in->xfer && in->xfer_to == out->serial) {
		in->xfer->op.bytes += c->ret;
		return;
	}
	if (in->xfer)
		pending_release(sp, in->xfer);
	struct alibi_op op;
	op_init(&op, p, c, e->name, ALIBI_OP_transfer);
	op.path = in->path;
	if (out->peer_unix) {
		op.path2 = out->peer_host;
	} else {
		op.host = out->peer_host;
		op.port = out->peer_port;
	}
	op.bytes = c->ret;
	hold_on(sp, in, &op, 1);
	in->xfer_to = out->serial;
}

void
sc_pidfd_open(struct strace_parser *sp, struct proc *p, const struct strace_call *c,
              const struct sc_entry *e)
{
	int64_t pid;
	if (!strace_ok(c) || c->ret > INT32_MAX || !strace_has_arg(c, e->fd) ||
	    strace_parse_int(c->args[e->fd], &pid) || pid < 0 || pid > INT32_MAX)
		return;
	struct ofd *o = ofd_new(sp, OFD_PIDFD, NULL);
	o->target_pid = (int32_t)pid;
	fdt_put(sp, p, (int)c->ret, o, 1);
}

/* kill(pid, sig), tkill(tid, sig), tgkill(tgid, tid, sig) and
 * pidfd_send_signal(pidfd, sig, ...): detail "pid N SIGTERM". */
void
sc_kill(struct strace_parser *sp, struct proc *p, const struct strace_call *c,
        const struct sc_entry *e)
{
	if (!strace_has_arg(c, e->detail) || !strace_has_arg(c, e->fd))
		return;
	struct span sig = c->args[e->detail];
	struct strbuf *d = &sp->s1;
	sb_reset(d);
	if (e->flags == 1) {
		struct ofd *o = fdt_get(p, strace_call_fd(c, e->fd));
		if (o && o->kind == OFD_PIDFD)
			sb_addf(d, "pid %d ", (int)o->target_pid);
		else
			sb_addf(d, "pidfd %d ", strace_call_fd(c, e->fd));
	} else {
		int64_t pid;
		if (strace_parse_int(c->args[e->fd], &pid))
			return;
		sb_addf(d, "pid %lld ", (long long)pid);
	}
	sb_add(d, sig.p, sig.n < 64 ? sig.n : 64);
	struct alibi_op op;
	op_init(&op, p, c, e->name, ALIBI_OP_kill);
	op.detail = d->buf;
	strace_set_result(&op, c);
	op_emit_now(sp, &op);
}
