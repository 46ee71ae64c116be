/* shellcmd_net.c — commands that reach other hosts: scp, rsync, curl, wget,
 * ssh, nc.  A local file sent to a remote side becomes a transfer (the op
 * exfiltration is about); a remote file fetched is a create of the local
 * copy; a bare connection is a connect. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alibi/alloc.h"
#include "alibi/path.h"
#include "shellcmd_internal.h"

void
remote_init(struct remote *r)
{
	sb_init(&r->host);
	sb_init(&r->path);
	r->port = -1;
}

void
remote_free(struct remote *r)
{
	sb_free(&r->host);
	sb_free(&r->path);
}

static int
parse_port(const char *s, size_t n)
{
	long v = 0;
	if (n == 0 || n > 5)
		return -1;
	for (size_t k = 0; k < n; k++) {
		if (s[k] < '0' || s[k] > '9')
			return -1;
		v = v * 10 + (s[k] - '0');
	}
	return v > 0 && v < 65536 ? (int)v : -1;
}

/* "[user@]host[:port]" or "[user@][v6]:port"; the user is dropped. */
static void
parse_authority(const char *a, size_t n, struct remote *r)
{
	const char *at = NULL;
	for (size_t k = 0; k < n; k++)
		if (a[k] == '@')
			at = a + k;
	if (at) {
		n -= (size_t)(at + 1 - a);
		a = at + 1;
	}
	size_t host_end = n;
	if (n && a[0] == '[') {
		const char *close = memchr(a, ']', n);
		size_t c = close ? (size_t)(close - a) : n;
		sb_add(&r->host, a + 1, c > 0 ? c - 1 : 0);
		if (c + 1 < n && a[c + 1] == ':')
			r->port = parse_port(a + c + 2, n - c - 2);
		return;
	}
	const char *colon = memchr(a, ':', n);
	if (colon) {
		host_end = (size_t)(colon - a);
		int port = parse_port(colon + 1, n - host_end - 1);
		if (port > 0)
			r->port = port;
	}
	sb_add(&r->host, a, host_end);
}

static int
scheme_port(const char *scheme, size_t n)
{
	static const struct { const char *name; int port; } ports[] = {
		{ "http", 80 }, { "https", 443 }, { "ftp", 21 }, { "ftps", 990 },
		{ "sftp", 22 }, { "scp", 22 }, { "ssh", 22 }, { "rsync", 873 },
		{ "ws", 80 }, { "wss", 443 }, { "smtp", 25 }, { "smtps", 465 },
		{ "tftp", 69 }, { "telnet", 23 }, { "gopher", 70 }, { "dict", 2628 },
		{ "ldap", 389 }, { "ldaps", 636 }, { "imap", 143 }, { "imaps", 993 },
		{ "pop3", 110 }, { "pop3s", 995 }, { "mqtt", 1883 }, { NULL, 0 }
	};
	for (size_t k = 0; ports[k].name; k++)
		if (strlen(ports[k].name) == n && strncasecmp(ports[k].name, scheme, n) == 0)
			return ports[k].port;
	return -1;
}

int
url_parse(const char *url, int default_port, struct remote *r)
{
	const char *p = url;
	const char *sep = strstr(url, "://");
	int port = default_port;
	if (sep && (size_t)(sep - url) < 16) {
		if ((size_t)(sep - url) == 4 && strncasecmp(url, "file", 4) == 0)
			return 0;
		port = scheme_port(url, (size_t)(sep - url));
		p = sep + 3;
	}
	size_t n = strcspn(p, "/?#");
	parse_authority(p, n, r);
	if (r->port < 0)
		r->port = port;
	sb_adds(&r->path, p[n] == '/' ? p + n : "/");
	return r->host.len > 0;
}

/* "[user@]host:path" as scp and rsync write it; "host::module" (rsync
 * daemon) and rsync:// URLs too.  0 for a local path. */
static int
remote_spec(const char *w, int ssh_port, struct remote *r)
{
	if (strncmp(w, "rsync://", 8) == 0)
		return url_parse(w, 873, r);
	if (strncmp(w, "scp://", 6) == 0 || strncmp(w, "sftp://", 7) == 0)
		return url_parse(w, 22, r);
	size_t host_end = 0;
	if (w[0] == '[') {
		const char *close = strchr(w, ']');
		if (!close || close[1] != ':')
			return 0;
		host_end = (size_t)(close + 1 - w);
	} else {
		host_end = strcspn(w, ":/");
		if (w[host_end] != ':' || host_end == 0)
			return 0;
	}
	parse_authority(w, host_end, r);
	r->port = -1;
	const char *path = w + host_end + 1;
	if (*path == ':') {   /* host::module/path */
		path++;
		r->port = 873;
	}
	if (r->port < 0)
		r->port = ssh_port > 0 ? ssh_port : 22;
	sb_adds(&r->path, path);
	return r->host.len > 0;
}

/* ---- scp and rsync ------------------------------------------------------ */

struct copy_spec {
	const char **operands;
	size_t n;
	int port;             /* from -P, -p in -e "ssh -p N", --port */
	int remove_sources;   /* rsync --remove-source-files */
	const char *tool;
};

static void
emit_local_copy(struct derive *d, const struct copy_spec *c)
{
	const char *dst = c->operands[c->n - 1];
	size_t dl = strlen(dst);
	int into = c->n > 2 || (dl && dst[dl - 1] == '/') || strcmp(dst, ".") == 0;
	struct strbuf from = STRBUF_INIT, to = STRBUF_INIT, base = STRBUF_INIT;
	for (size_t k = 0; k + 1 < c->n; k++) {
		sb_reset(&from);
		sb_reset(&to);
		sb_reset(&base);
		derive_resolve(d, c->operands[k], &from);
		if (into) {
			word_basename(c->operands[k], &base);
			derive_resolve_under(d, dst, sb_str(&base), &to);
		} else {
			derive_resolve(d, dst, &to);
		}
		derive_emit(d, ALIBI_OP_copy, sb_str(&from), sb_str(&to), NULL, -1, c->tool);
	}
	sb_free(&from);
	sb_free(&to);
	sb_free(&base);
}

/* The last operand says where everything goes. */
static void
emit_copy(struct derive *d, const struct copy_spec *c)
{
	if (c->n < 2)
		return;
	struct remote dst;
	remote_init(&dst);
	int dst_remote = remote_spec(c->operands[c->n - 1], c->port, &dst);
	int any_remote_source = 0;
	for (size_t k = 0; k + 1 < c->n; k++) {
		struct remote src;
		remote_init(&src);
		if (remote_spec(c->operands[k], c->port, &src)) {
			any_remote_source = 1;
			if (dst_remote) {
				derive_emit(d, ALIBI_OP_connect, NULL, NULL, sb_str(&src.host), src.port, c->tool);
			} else {
				/* fetched: a new local file */
				struct strbuf to = STRBUF_INIT, base = STRBUF_INIT;
				const char *local = c->operands[c->n - 1];
				word_basename(sb_str(&src.path), &base);
				size_t ll = strlen(local);
				if (c->n > 2 || strcmp(local, ".") == 0 || (ll && local[ll - 1] == '/'))
					derive_resolve_under(d, local, sb_str(&base), &to);
				else
					derive_resolve(d, local, &to);
				struct strbuf detail = STRBUF_INIT;
				sb_addf(&detail, "%s from %s:%s", c->tool, sb_str(&src.host), sb_str(&src.path));
				derive_emit(d, ALIBI_OP_create, sb_str(&to), NULL, NULL, -1, sb_str(&detail));
				sb_free(&detail);
				sb_free(&to);
				sb_free(&base);
			}
		} else if (dst_remote) {
			struct strbuf from = STRBUF_INIT;
			derive_resolve(d, c->operands[k], &from);
			derive_emit(d, ALIBI_OP_transfer, sb_str(&from), sb_str(&dst.path),
			            sb_str(&dst.host), dst.port, c->tool);
			if (c->remove_sources)
				derive_emit(d, ALIBI_OP_unlink, sb_str(&from), NULL, NULL, -1,
				            "rsync --remove-source-files");
			sb_free(&from);
		}
		remote_free(&src);
	}
	if (!dst_remote && !any_remote_source)
		emit_local_copy(d, c);
	remote_free(&dst);
}

/* -e "ssh -p 2222" or -o Port=2222 */
static int
ssh_port_in(const char *s)
{
	const char *p = strstr(s, "-p");
	if (p && (p == s || p[-1] == ' ')) {
		p += 2;
		while (*p == ' ')
			p++;
		return parse_port(p, strspn(p, "0123456789"));
	}
	if (strncasecmp(s, "Port=", 5) == 0 || strncasecmp(s, "Port ", 5) == 0)
		return parse_port(s + 5, strspn(s + 5, "0123456789"));
	return -1;
}

static void
derive_scp(struct derive *d, char *const *argv, size_t argc)
{
	struct argscan s;
	struct arg a;
	struct copy_spec c = { NULL, 0, -1, 0, "scp" };
	c.operands = xcalloc(argc, sizeof *c.operands);
	argscan_init(&s, argv, argc, "cFiJlmoPSDX", NULL);
	while (argscan_next(&s, &a) != ARG_END) {
		if (a.kind == ARG_OPERAND)
			c.operands[c.n++] = a.value;
		else if (a.letter == 'P' && a.value)
			c.port = parse_port(a.value, strlen(a.value));
		else if (a.letter == 'o' && a.value && ssh_port_in(a.value) > 0)
			c.port = ssh_port_in(a.value);
	}
	emit_copy(d, &c);
	free(c.operands);
}

static void
derive_rsync(struct derive *d, char *const *argv, size_t argc)
{
	static const char *const longs[] = {
		"rsh", "rsync-path", "filter", "exclude", "include", "exclude-from",
		"include-from", "files-from", "port", "password-file", "log-file",
		"log-file-format", "backup-dir", "suffix", "partial-dir", "temp-dir",
		"compare-dest", "copy-dest", "link-dest", "chmod", "chown", "usermap",
		"groupmap", "max-size", "min-size", "max-delete", "bwlimit", "timeout",
		"contimeout", "block-size", "out-format", "info", "debug", "remote-option",
		"iconv", "sockopts", "outbuf", "modify-window", "checksum-choice",
		"compress-choice", "compress-level", "skip-compress", "address",
		"write-batch", "read-batch", "only-write-batch", "protocol", NULL
	};
	struct argscan s;
	struct arg a;
	struct copy_spec c = { NULL, 0, -1, 0, "rsync" };
	c.operands = xcalloc(argc, sizeof *c.operands);
	argscan_init(&s, argv, argc, "efTBM", longs);
	while (argscan_next(&s, &a) != ARG_END) {
		if (a.kind == ARG_OPERAND)
			c.operands[c.n++] = a.value;
		else if ((a.letter == 'e' || arg_is_long(&a, "rsh")) && a.value && ssh_port_in(a.value) > 0)
			c.port = ssh_port_in(a.value);
		else if (arg_is_long(&a, "remove-source-files") || arg_is_long(&a, "remove-sent-files"))
			c.remove_sources = 1;
	}
	emit_copy(d, &c);
	free(c.operands);
}

/* ---- curl and wget --------------------------------------------------------- */

/* Files a command sends: named ones, or what flows into stdin for "-". */
static void
add_upload(struct derive *d, struct shell_word_list *up, const char *file,
           const struct shell_word_list *piped)
{
	if (strcmp(file, "-") == 0 || strcmp(file, ".") == 0) {
		for (size_t k = 0; piped && k < piped->count; k++)
			word_list_add(up, piped->words[k]);
		return;
	}
	struct strbuf path = STRBUF_INIT;
	derive_resolve(d, file, &path);
	word_list_add(up, sb_str(&path));
	sb_free(&path);
}

/* curl -T 'f.{bin,json}': curl expands the braces itself. */
static void
add_puts(struct derive *d, struct shell_word_list *puts, const char *value,
         const struct shell_word_list *piped)
{
	struct shell_word_list files = { NULL, 0, 0 };
	brace_expand(value, &files);
	for (size_t k = 0; k < files.count; k++)
		add_upload(d, puts, files.words[k], piped);
	word_list_free(&files);
}

/* -d @file, --data-urlencode name@file, -F name=@file;type=... */
static void
add_data_upload(struct derive *d, struct shell_word_list *up, const char *value,
                int form, const struct shell_word_list *piped)
{
	const char *at = NULL;
	if (form) {
		const char *eq = strchr(value, '=');
		if (eq && (eq[1] == '@' || eq[1] == '<'))
			at = eq + 1;
	} else {
		at = strchr(value, '@');
		if (at && memchr(value, '=', (size_t)(at - value)))
			at = NULL;
	}
	if (!at || !at[1])
		return;
	char *file = xstrndup(at + 1, strcspn(at + 1, form ? ";" : ""));
	add_upload(d, up, file, piped);
	free(file);
}

/* Sends every upload to every URL, or just connects.  A file put (-T) to
 * a URL ending in '/' is named after the file, as curl does. */
static void
emit_web(struct derive *d, const struct shell_word_list *urls,
         const struct shell_word_list *puts, const struct shell_word_list *posts,
         const char *tool)
{
	struct strbuf target = STRBUF_INIT;
	for (size_t u = 0; u < urls->count; u++) {
		struct remote r;
		remote_init(&r);
		const char *url = urls->words[u];
		size_t ul = strlen(url);
		if (url_parse(url, 80, &r)) {
			for (size_t k = 0; k < puts->count; k++) {
				sb_reset(&target);
				sb_adds(&target, url);
				if (ul && url[ul - 1] == '/')
					word_basename(puts->words[k], &target);
				derive_emit(d, ALIBI_OP_transfer, puts->words[k], sb_str(&target),
				            sb_str(&r.host), r.port, tool);
			}
			for (size_t k = 0; k < posts->count; k++)
				derive_emit(d, ALIBI_OP_transfer, posts->words[k], url,
				            sb_str(&r.host), r.port, tool);
			if (puts->count + posts->count == 0)
				derive_emit(d, ALIBI_OP_connect, NULL, NULL, sb_str(&r.host), r.port, tool);
		}
		remote_free(&r);
	}
	sb_free(&target);
}

/* -O / wget's default: the file is named after the URL's last part. */
static void
emit_download(struct derive *d, const char *dir, const char *url, const char *tool)
{
	struct remote r;
	remote_init(&r);
	struct strbuf base = STRBUF_INIT, path = STRBUF_INIT;
	url_parse(url, 80, &r);
	const char *p = sb_str(&r.path);
	size_t n = strcspn(p, "?#");
	if (n && p[n - 1] != '/') {
		char *clean = xstrndup(p, n);
		word_basename(clean, &base);
		free(clean);
	}
	if (!base.len)
		sb_adds(&base, "index.html");
	derive_resolve_under(d, dir, sb_str(&base), &path);
	derive_emit(d, ALIBI_OP_create, sb_str(&path), NULL, NULL, -1, tool);
	sb_free(&base);
	sb_free(&path);
	remote_free(&r);
}

static void
derive_curl(struct derive *d, char *const *argv, size_t argc,
            const struct shell_word_list *piped)
{
	static const char *const longs[] = {
		"data", "data-ascii", "data-binary", "data-raw", "data-urlencode", "json",
		"form", "form-string", "upload-file", "output", "output-dir", "url",
		"header", "request", "user", "user-agent", "referer", "cookie",
		"cookie-jar", "config", "max-time", "connect-timeout", "proxy",
		"write-out", "cert", "key", "cacert", "capath", "range", "retry",
		"retry-delay", "retry-max-time", "limit-rate", "interface", "resolve",
		"connect-to", "variable", "dump-header", "proxy-user", "oauth2-bearer", NULL
	};
	struct argscan s;
	struct arg a;
	struct shell_word_list urls = { NULL, 0, 0 }, uploads = { NULL, 0, 0 };
	struct shell_word_list outputs = { NULL, 0, 0 }, puts = { NULL, 0, 0 };
	const char *output_dir = NULL;
	int remote_name = 0;
	argscan_init(&s, argv, argc, "AbcCdDeEFHKmoPQrTtuUwxXyYz", longs);
	while (argscan_next(&s, &a) != ARG_END) {
		const char *v = a.value;
		if (a.kind == ARG_OPERAND || (arg_is_long(&a, "url") && v))
			brace_expand(v, &urls);   /* curl globs {a,b} itself */
		else if (!v)
			remote_name |= a.letter == 'O' || arg_is_long(&a, "remote-name");
		else if (a.letter == 'T' || arg_is_long(&a, "upload-file"))
			add_puts(d, &puts, v, piped);
		else if (a.letter == 'd' || arg_is_long(&a, "data") || arg_is_long(&a, "data-ascii") ||
		         arg_is_long(&a, "data-binary") || arg_is_long(&a, "data-urlencode") ||
		         arg_is_long(&a, "json"))
			add_data_upload(d, &uploads, v, 0, piped);
		else if (a.letter == 'F' || arg_is_long(&a, "form"))
			add_data_upload(d, &uploads, v, 1, piped);
		else if ((a.letter == 'o' || arg_is_long(&a, "output")) && strcmp(v, "-") != 0)
			word_list_add(&outputs, v);
		else if (arg_is_long(&a, "output-dir"))
			output_dir = v;
	}
	for (size_t k = 0; k < outputs.count; k++) {
		struct strbuf path = STRBUF_INIT;
		derive_resolve_under(d, output_dir, outputs.words[k], &path);
		derive_emit(d, ALIBI_OP_create, sb_str(&path), NULL, NULL, -1, "curl");
		sb_free(&path);
	}
	for (size_t k = 0; remote_name && k < urls.count; k++)
		emit_download(d, output_dir, urls.words[k], "curl");
	emit_web(d, &urls, &puts, &uploads, "curl");
	word_list_free(&urls);
	word_list_free(&uploads);
	word_list_free(&outputs);
	word_list_free(&puts);
}

static void
derive_wget(struct derive *d, char *const *argv, size_t argc,
            const struct shell_word_list *piped)
{
	static const char *const longs[] = {
		"output-document", "output-file", "append-output", "execute", "input-file",
		"base", "tries", "timeout", "wait", "quota", "directory-prefix",
		"user-agent", "level", "accept", "reject", "domains", "include-directories",
		"exclude-directories", "post-data", "post-file", "body-data", "body-file",
		"method", "header", "user", "password", "http-user", "http-password",
		"load-cookies", "save-cookies", "referer", "ca-certificate", "certificate",
		"private-key", "bind-address", "limit-rate", NULL
	};
	struct argscan s;
	struct arg a;
	struct shell_word_list urls = { NULL, 0, 0 }, uploads = { NULL, 0, 0 };
	const char *output = NULL, *prefix = NULL;
	argscan_init(&s, argv, argc, "aABDeiIlnoOPQRtTUwX", longs);
	while (argscan_next(&s, &a) != ARG_END) {
		const char *v = a.value;
		if (a.kind == ARG_OPERAND)
			word_list_add(&urls, v);
		else if (!v)
			continue;
		else if (a.letter == 'O' || arg_is_long(&a, "output-document"))
			output = v;
		else if (a.letter == 'P' || arg_is_long(&a, "directory-prefix"))
			prefix = v;
		else if (arg_is_long(&a, "post-file") || arg_is_long(&a, "body-file"))
			add_upload(d, &uploads, v, piped);
	}
	if (output && strcmp(output, "-") != 0)
		derive_emit_path(d, ALIBI_OP_create, output, "wget");
	else if (!output && uploads.count == 0)
		for (size_t k = 0; k < urls.count; k++)
			emit_download(d, prefix, urls.words[k], "wget");
	struct shell_word_list none = { NULL, 0, 0 };
	emit_web(d, &urls, &none, &uploads, "wget");
	word_list_free(&urls);
	word_list_free(&uploads);
}

/* ---- ssh, nc and friends ------------------------------------------------------ */

/* Where the remote command writes: `cat > /x`, `tee /x`, `dd of=/x`. */
static void
remote_target(const char *command, struct strbuf *out)
{
	struct shell_command_list list = { NULL, 0, 0 };
	shell_split(command, &list);
	for (size_t k = 0; k < list.count && !out->len; k++) {
		const struct shell_simple_command *c = &list.items[k];
		for (size_t r = 0; r < c->redirect_count && !out->len; r++)
			if (c->redirects[r].op[0] == '>' && c->redirects[r].op[1] != '&')
				sb_adds(out, c->redirects[r].target);
		if (!out->len && c->argv.count >= 2 && strcmp(c->argv.words[0], "tee") == 0)
			sb_adds(out, c->argv.words[c->argv.count - 1]);
		for (size_t w = 1; w < c->argv.count && !out->len; w++)
			if (strcmp(c->argv.words[0], "dd") == 0 && strncmp(c->argv.words[w], "of=", 3) == 0)
				sb_adds(out, c->argv.words[w] + 3);
	}
	shell_command_list_free(&list);
}

static void
derive_ssh(struct derive *d, char *const *argv, size_t argc,
           const struct shell_word_list *piped)
{
	struct argscan s;
	struct arg a;
	struct remote r;
	const char *dest = NULL;
	int port = -1;
	size_t command_at = argc;
	remote_init(&r);
	argscan_init(&s, argv, argc, "BbcDEeFIiJLlmOoPpQRSWw", NULL);
	s.stop_at_operand = 1;
	while (!dest && argscan_next(&s, &a) != ARG_END) {
		if (a.kind == ARG_OPERAND) {
			dest = a.value;
			command_at = a.index + 1;
		} else if (a.letter == 'p' && a.value) {
			port = parse_port(a.value, strlen(a.value));
		} else if (a.letter == 'o' && a.value && ssh_port_in(a.value) > 0) {
			port = ssh_port_in(a.value);
		}
	}
	if (!dest)
		return;
	if (strncmp(dest, "ssh://", 6) == 0)
		url_parse(dest, 22, &r);
	else
		parse_authority(dest, strcspn(dest, ":"), &r);
	if (port > 0)
		r.port = port;
	if (r.port < 0)
		r.port = 22;
	/* the remote command runs there, not here */
	struct strbuf command = STRBUF_INIT, target = STRBUF_INIT;
	for (size_t k = command_at; k < argc; k++) {
		if (k > command_at)
			sb_addc(&command, ' ');
		sb_adds(&command, argv[k]);
	}
	const char *detail = command.len ? sb_str(&command) : "ssh";
	if (piped && piped->count) {
		remote_target(sb_str(&command), &target);
		for (size_t k = 0; k < piped->count; k++)
			derive_emit(d, ALIBI_OP_transfer, piped->words[k], sb_str(&target),
			            sb_str(&r.host), r.port, detail);
	} else {
		derive_emit(d, ALIBI_OP_connect, NULL, NULL, sb_str(&r.host), r.port, detail);
	}
	sb_free(&command);
	sb_free(&target);
	remote_free(&r);
}

/* nc host port, ncat, netcat, telnet host [port]. */
static void
derive_nc(struct derive *d, char *const *argv, size_t argc,
          const struct shell_word_list *piped, int default_port)
{
	struct argscan s;
	struct arg a;
	const char *host = NULL, *port_word = NULL;
	int listen = 0;
	argscan_init(&s, argv, argc, "cIiMmOPpqsTVwXxe", NULL);
	while (argscan_next(&s, &a) != ARG_END) {
		if (a.kind == ARG_OPERAND && !host)
			host = a.value;
		else if (a.kind == ARG_OPERAND && !port_word)
			port_word = a.value;
		else if (a.letter == 'l' || arg_is_long(&a, "listen"))
			listen = 1;
	}
	if (listen || !host)
		return;   /* a listener receives; its "> file" says where it goes */
	int port = port_word ? parse_port(port_word, strlen(port_word)) : default_port;
	const char *tool = path_basename(argv[0]);
	if (piped && piped->count)
		for (size_t k = 0; k < piped->count; k++)
			derive_emit(d, ALIBI_OP_transfer, piped->words[k], NULL, host, port, tool);
	else
		derive_emit(d, ALIBI_OP_connect, NULL, NULL, host, port, tool);
}

int
derive_network_command(struct derive *d, char *const *argv, size_t argc,
                       const struct shell_word_list *piped)
{
	const char *name = path_basename(argv[0]);
	if (strcmp(name, "scp") == 0)
		derive_scp(d, argv, argc);
	else if (strcmp(name, "rsync") == 0)
		derive_rsync(d, argv, argc);
	else if (strcmp(name, "curl") == 0)
		derive_curl(d, argv, argc, piped);
	else if (strcmp(name, "wget") == 0)
		derive_wget(d, argv, argc, piped);
	else if (strcmp(name, "ssh") == 0 || strcmp(name, "autossh") == 0)
		derive_ssh(d, argv, argc, piped);
	else if (strcmp(name, "nc") == 0 || strcmp(name, "ncat") == 0 || strcmp(name, "netcat") == 0)
		derive_nc(d, argv, argc, piped, -1);
	else if (strcmp(name, "telnet") == 0)
		derive_nc(d, argv, argc, piped, 23);
	else
		return 0;
	return 1;
}
