/* strace_decode.c — the values inside a call's arguments: C-escaped
 * strings, socket addresses, argv arrays and errno names.  The handlers
 * call these for the few arguments they read (strace_lex.c splits the
 * call). */
#include <errno.h>
#include <string.h>

#include "alibi/shellcmd.h"
#include "strace_internal.h"

/* ---- strings ---- */

static int
hex_value(unsigned char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Decodes one escape at p[0] == '\\'; returns the bytes it used. */
static size_t
decode_escape(const char *p, size_t n, struct strbuf *out)
{
	if (n < 2) {
		sb_addc(out, '\\');
		return 1;
	}
	unsigned char ch = (unsigned char)p[1];
	switch (ch) {
	case 'n': sb_addc(out, '\n'); return 2;
	case 't': sb_addc(out, '\t'); return 2;
	case 'r': sb_addc(out, '\r'); return 2;
	case 'v': sb_addc(out, '\v'); return 2;
	case 'f': sb_addc(out, '\f'); return 2;
	case 'a': sb_addc(out, '\a'); return 2;
	case 'b': sb_addc(out, '\b'); return 2;
	case 'x': {
		size_t k = 2;
		int v = 0;
		while (k < n && k < 4 && hex_value((unsigned char)p[k]) >= 0)
			v = v * 16 + hex_value((unsigned char)p[k++]);
		if (k == 2) {
			sb_addc(out, 'x');
			return 2;
		}
		sb_addc(out, (char)v);
		return k;
	}
	default:
		if (ch >= '0' && ch <= '7') {
			size_t k = 1;
			int v = 0;
			while (k < n && k < 4 && p[k] >= '0' && p[k] <= '7')
				v = v * 8 + (p[k++] - '0');
			sb_addc(out, (char)(v & 0xff));
			return k;
		}
		sb_addc(out, (char)ch);
		return 2;
	}
}

void
strace_unescape(const char *p, size_t n, struct strbuf *out)
{
	size_t i = 0;
	sb_add(out, "", 0);
	while (i < n) {
		const char *bs = memchr(p + i, '\\', n - i);
		size_t run = bs ? (size_t)(bs - (p + i)) : n - i;
		sb_add(out, p + i, run);
		i += run;
		if (i < n)
			i += decode_escape(p + i, n - i, out);
	}
}

int
strace_decode_string(struct span arg, struct strbuf *out)
{
	struct span s = strace_trim(arg);
	sb_reset(out);
	sb_add(out, "", 0);
	if (s.n && s.p[0] == '@') {
		sb_addc(out, '@');
		s.p++;
		s.n--;
	}
	if (!s.n || s.p[0] != '"')
		return -1;
	size_t end = strace_skip_string(s.p, s.n, 0);
	if (!end)
		return -1;
	strace_unescape(s.p + 1, end - 2, out);
	return (s.n - end >= 3 && memcmp(s.p + end, "...", 3) == 0) ? 1 : 0;
}

/* ---- addresses ---- */

/* The decoded string inside "name(...)", e.g. inet_addr("1.2.3.4"). */
static int
quoted_inside(struct span s, struct strbuf *out)
{
	const char *q = memchr(s.p, '"', s.n);
	if (!q)
		return -1;
	struct span rest = { q, s.n - (size_t)(q - s.p) };
	size_t end = strace_skip_string(rest.p, rest.n, 0);
	if (!end)
		return -1;
	sb_reset(out);
	strace_unescape(rest.p + 1, end - 2, out);
	return 0;
}

static int
port_inside(struct span s)
{
	const char *lp = memchr(s.p, '(', s.n);
	int64_t v;
	struct span num = lp ? (struct span){ lp + 1, s.n - (size_t)(lp + 1 - s.p) } : s;
	if (strace_parse_int(num, &v) || v < 0 || v > 65535)
		return -1;
	return (int)v;
}

static int
span_is(struct span s, const char *lit)
{
	size_t n = strlen(lit);
	return s.n == n && memcmp(s.p, lit, n) == 0;
}

static int
parse_inet6(struct span s, struct strace_sockaddr *sa)
{
	struct span v, item;
	size_t pos = 0;
	sa->port = strace_find_field(s, "sin6_port", &v) == 0 ? port_inside(v) : -1;
	struct span in = strace_inner(s);
	while (strace_next_item(in, &pos, &item)) {
		if ((item.n > 10 && memcmp(item.p, "inet_pton(", 10) == 0) ||
		    (item.n > 10 && memcmp(item.p, "sin6_addr=", 10) == 0))
			return quoted_inside(item, &sa->host);
	}
	return -1;
}

int
strace_parse_sockaddr(struct span s, struct strace_sockaddr *sa)
{
	struct span fam, v;
	sa->family = 0;
	sa->port = -1;
	sb_reset(&sa->host);
	s = strace_trim(s);
	if (!s.n || s.p[0] != '{' || strace_find_field(s, "sa_family", &fam))
		return -1;
	if (span_is(fam, "AF_INET")) {
		sa->family = 1;
		if (strace_find_field(s, "sin_port", &v) == 0)
			sa->port = port_inside(v);
		if (strace_find_field(s, "sin_addr", &v) || quoted_inside(v, &sa->host))
			return -1;
		return 0;
	}
	if (span_is(fam, "AF_INET6")) {
		sa->family = 2;
		return parse_inet6(s, sa);
	}
	if (span_is(fam, "AF_UNIX") || span_is(fam, "AF_LOCAL")) {
		sa->family = 3;
		if (strace_find_field(s, "sun_path", &v) || strace_decode_string(v, &sa->host) < 0)
			return -1;
		return 0;
	}
	if (span_is(fam, "AF_UNSPEC")) {
		sa->family = 4;
		return 0;
	}
	return -1;
}

int
strace_parse_peer(struct span a, struct strbuf *host, int *port)
{
	if (!((a.n > 4 && memcmp(a.p, "TCP", 3) == 0) || (a.n > 4 && memcmp(a.p, "UDP", 3) == 0)))
		return -1;
	const char *arrow = NULL;
	for (size_t i = 0; i + 1 < a.n; i++)
		if (a.p[i] == '-' && a.p[i + 1] == '>')
			arrow = a.p + i;
	if (!arrow || a.p[a.n - 1] != ']')
		return -1;
	struct span peer = { arrow + 2, (size_t)(a.p + a.n - 1 - (arrow + 2)) };
	const char *colon = NULL;
	for (size_t i = 0; i < peer.n; i++)
		if (peer.p[i] == ':')
			colon = peer.p + i;
	if (!colon)
		return -1;
	struct span h = { peer.p, (size_t)(colon - peer.p) };
	int64_t v;
	if (strace_parse_int((struct span){ colon + 1, (size_t)(peer.p + peer.n - colon - 1) }, &v) ||
	    v < 0 || v > 65535)
		return -1;
	if (h.n >= 2 && h.p[0] == '[' && h.p[h.n - 1] == ']') {
		h.p++;
		h.n -= 2;
	}
	sb_reset(host);
	sb_add(host, h.p, h.n);
	*port = (int)v;
	return 0;
}

/* ---- argv ---- */

void
strace_format_argv(struct span arr, struct strbuf *out, struct strbuf *tmp)
{
	struct span s = strace_trim(arr), item;
	size_t pos = 0;
	sb_reset(out);
	sb_add(out, "", 0);
	if (!s.n || s.p[0] != '[') {
		sb_add(out, s.p, s.n);  /* NULL or an unreadable pointer */
		return;
	}
	s = strace_inner(s);
	while (strace_next_item(s, &pos, &item)) {
		if (out->len)
			sb_addc(out, ' ');
		int r = strace_decode_string(item, tmp);
		if (r < 0) {
			sb_add(out, item.p, item.n);  /* "...", or a pointer */
			continue;
		}
		shell_quote_word(out, tmp->buf, tmp->len);
		if (r == 1)
			sb_adds(out, "...");
	}
}

/* ---- errno names ---- */

#define STRACE_ERRNOS(X) \
	X(EPERM) X(ENOENT) X(ESRCH) X(EINTR) X(EIO) X(ENXIO) X(E2BIG) X(ENOEXEC) \
	X(EBADF) X(ECHILD) X(EAGAIN) X(ENOMEM) X(EACCES) X(EFAULT) X(EBUSY) \
	X(EEXIST) X(EXDEV) X(ENODEV) X(ENOTDIR) X(EISDIR) X(EINVAL) X(ENFILE) \
	X(EMFILE) X(ENOTTY) X(ETXTBSY) X(EFBIG) X(ENOSPC) X(ESPIPE) X(EROFS) \
	X(EMLINK) X(EPIPE) X(EDOM) X(ERANGE) X(EDEADLK) X(ENAMETOOLONG) X(ENOLCK) \
	X(ENOSYS) X(ENOTEMPTY) X(ELOOP) X(ENOMSG) X(ENODATA) X(ETIME) X(EOVERFLOW) \
	X(EILSEQ) X(ENOTSOCK) X(EDESTADDRREQ) X(EMSGSIZE) X(EPROTOTYPE) \
	X(ENOPROTOOPT) X(EPROTONOSUPPORT) X(EOPNOTSUPP) X(EAFNOSUPPORT) \
	X(EADDRINUSE) X(EADDRNOTAVAIL) X(ENETDOWN) X(ENETUNREACH) X(ECONNABORTED) \
	X(ECONNRESET) X(ENOBUFS) X(EISCONN) X(ENOTCONN) X(ETIMEDOUT) \
	X(ECONNREFUSED) X(EHOSTUNREACH) X(EALREADY) X(EINPROGRESS) X(ESTALE) \
	X(EDQUOT) X(ECANCELED) X(EOWNERDEAD) X(ENOTBLK)

static const struct {
	const char *name;
	int value;
} errnos[] = {
#define STRACE_ERRNO_ROW(e) { #e, e },
	STRACE_ERRNOS(STRACE_ERRNO_ROW)
#undef STRACE_ERRNO_ROW
	/* The kernel's restart codes, which strace shows by name. */
	{ "ERESTARTSYS", 512 }, { "ERESTARTNOINTR", 513 }, { "ERESTARTNOHAND", 514 },
	{ "ENOIOCTLCMD", 515 }, { "ERESTART_RESTARTBLOCK", 516 },
};

int
strace_errno_value(struct span name)
{
	for (size_t i = 0; i < sizeof errnos / sizeof errnos[0]; i++)
		if (span_is(name, errnos[i].name))
			return errnos[i].value;
	return 0;
}
