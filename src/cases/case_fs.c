/* case_fs.c — writing and reading files of the case repository's working
 * tree.  A pulled repository is untrusted: a symbolic link planted where a
 * case directory should be would let a write land anywhere.  So every path
 * is walked one component at a time with openat(O_NOFOLLOW), each
 * component must be a safe name, and a symbolic link on the way is an
 * error, never followed. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alibi/alloc.h"
#include "alibi/path.h"
#include "alibi/sha256.h"
#include "cases_internal.h"

int
casefs_rel_is_safe(const char *rel)
{
	if (!rel || !*rel || *rel == '/')
		return 0;
	char *copy = xstrdup(rel);
	int ok = 1;
	for (char *save = NULL, *c = strtok_r(copy, "/", &save); c && ok;
	     c = strtok_r(NULL, "/", &save))
		ok = path_is_safe_component(c);
	/* "a//b" or a trailing '/' would have hidden empty components. */
	if (strstr(rel, "//") || rel[strlen(rel) - 1] == '/')
		ok = 0;
	free(copy);
	return ok;
}

static int
refuse_link(int dirfd, const char *shown, const char *name, int err_no,
            struct alibi_error *err)
{
	struct stat sb;
	if (fstatat(dirfd, name, &sb, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(sb.st_mode))
		return alibi_error_set(err, ALIBI_EUSAGE,
		                       "%s is a symbolic link in the case repository;"
		                       " refusing to follow it", shown);
	if (err_no == ENOENT)
		return alibi_error_set(err, ALIBI_ENOTFOUND, "%s: no such file", shown);
	return alibi_error_set(err, ALIBI_EIO, "%s: %s", shown, strerror(err_no));
}

/* Opens the directory root/rel_dir (rel_dir may be ""), creating missing
 * directories when create is set. */
static int
open_dir_chain(const char *root, const char *rel_dir, int create, int *out,
               struct alibi_error *err)
{
	*out = -1;
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return alibi_error_set(err, ALIBI_EIO, "%s: %s", root, strerror(errno));
	struct strbuf shown = STRBUF_INIT;
	char *copy = xstrdup(rel_dir);
	int rc = 0;
	for (char *save = NULL, *c = strtok_r(copy, "/", &save); c;
	     c = strtok_r(NULL, "/", &save)) {
		if (shown.len)
			sb_addc(&shown, '/');
		sb_adds(&shown, c);
		if (!path_is_safe_component(c)) {
			rc = alibi_error_set(err, ALIBI_EUSAGE, "'%s' is not a safe path in"
			                     " the case repository", sb_str(&shown));
			break;
		}
		if (create && mkdirat(fd, c, 0777) != 0 && errno != EEXIST) {
			rc = alibi_error_set(err, ALIBI_EIO, "%s/%s: %s", root,
			                     sb_str(&shown), strerror(errno));
			break;
		}
		int next = openat(fd, c, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0) {
			rc = refuse_link(fd, sb_str(&shown), c, errno, err);
			break;
		}
		close(fd);
		fd = next;
	}
	free(copy);
	sb_free(&shown);
	if (rc) {
		close(fd);
		return rc;
	}
	*out = fd;
	return 0;
}

/* Splits rel into its directory part (in dir) and returns its last
 * component. */
static const char *
split_rel(const char *rel, struct strbuf *dir)
{
	const char *slash = strrchr(rel, '/');
	sb_reset(dir);
	if (!slash) {
		sb_adds(dir, "");
		return rel;
	}
	sb_add(dir, rel, (size_t)(slash - rel));
	return slash + 1;
}

static int
write_all(int fd, const void *data, size_t n)
{
	const char *p = data;
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* A temporary file next to the destination, created exclusively. */
static int
open_temp(int dirfd, const char *base, char *tmp, size_t size)
{
	static unsigned counter;
	for (int tries = 0; tries < 100; tries++) {
		snprintf(tmp, size, ".%.60s.alibi-%ld-%u", base, (long)getpid(), counter++);
		int fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	return -1;
}

/* Moves tmp over name in dirfd; a symbolic link at name is replaced, not
 * followed. */
static int
finish_temp(int dirfd, const char *tmp, const char *name, const char *shown,
            struct alibi_error *err)
{
	if (renameat(dirfd, tmp, dirfd, name) != 0) {
		int e = errno;
		unlinkat(dirfd, tmp, 0);
		return alibi_error_set(err, ALIBI_EIO, "%s: %s", shown, strerror(e));
	}
	return 0;
}

int
casefs_write(const char *root, const char *rel, const void *data, size_t n,
             struct alibi_error *err)
{
	if (!casefs_rel_is_safe(rel))
		return alibi_error_set(err, ALIBI_EUSAGE, "'%s' is not a safe path in"
		                       " the case repository", rel);
	struct strbuf dir = STRBUF_INIT;
	const char *name = split_rel(rel, &dir);
	int dfd;
	int rc = open_dir_chain(root, sb_str(&dir), 1, &dfd, err);
	sb_free(&dir);
	if (rc)
		return rc;
	char tmp[128];
	int fd = open_temp(dfd, name, tmp, sizeof tmp);
	if (fd < 0) {
		rc = alibi_error_set(err, ALIBI_EIO, "%s/%s: %s", root, rel, strerror(errno));
	} else {
		int bad = write_all(fd, data, n);
		int e = errno;
		if (close(fd) != 0 && !bad) {
			bad = 1;
			e = errno;
		}
		if (bad) {
			unlinkat(dfd, tmp, 0);
			rc = alibi_error_set(err, ALIBI_EIO, "%s/%s: %s", root, rel, strerror(e));
		} else {
			rc = finish_temp(dfd, tmp, name, rel, err);
		}
	}
	close(dfd);
	return rc;
}

/* Lower-case hex of a finished digest. */
static void
digest_hex(struct sha256 *h, char hex[65])
{
	unsigned char d[32];
	static const char digits[] = "0123456789abcdef";
	sha256_final(h, d);
	for (int i = 0; i < 32; i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 15];
	}
	hex[64] = '\0';
}

/* Streams src into fd, hashing as it goes. */
static int
copy_hashing(int in, int out, char hex[65])
{
	struct sha256 h;
	sha256_init(&h);
	char *buf = xmalloc(1 << 16);
	ssize_t r;
	int rc = 0;
	while ((r = read(in, buf, 1 << 16)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 || write_all(out, buf, (size_t)r)) {
			rc = -1;
			break;
		}
		sha256_update(&h, buf, (size_t)r);
	}
	free(buf);
	digest_hex(&h, hex);
	return rc;
}

int
casefs_copy_in(const char *root, const char *rel, const char *src,
               const char *want_sha, struct alibi_error *err)
{
	if (!casefs_rel_is_safe(rel))
		return alibi_error_set(err, ALIBI_EUSAGE, "'%s' is not a safe path in"
		                       " the case repository", rel);
	int in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return alibi_error_set(err, errno == ENOENT ? ALIBI_ENOTFOUND : ALIBI_EIO,
		                       "%s: %s", src, strerror(errno));
	struct strbuf dir = STRBUF_INIT;
	const char *name = split_rel(rel, &dir);
	int dfd;
	int rc = open_dir_chain(root, sb_str(&dir), 1, &dfd, err);
	sb_free(&dir);
	if (rc) {
		close(in);
		return rc;
	}
	char tmp[128], hex[65];
	int fd = open_temp(dfd, name, tmp, sizeof tmp);
	if (fd < 0) {
		rc = alibi_error_set(err, ALIBI_EIO, "%s/%s: %s", root, rel, strerror(errno));
	} else {
		int bad = copy_hashing(in, fd, hex);
		int e = errno;
		bad |= close(fd) != 0;
		if (bad) {
			rc = alibi_error_set(err, ALIBI_EIO, "copying %s: %s", src, strerror(e));
		} else if (want_sha && strcmp(hex, want_sha) != 0) {
			rc = alibi_error_set(err, ALIBI_EFORMAT,
			                     "%s changed since it was imported (sha256 %.12s..., was %.12s...);"
			                     " import it again", src, hex, want_sha);
		}
		if (rc)
			unlinkat(dfd, tmp, 0);
		else
			rc = finish_temp(dfd, tmp, name, rel, err);
	}
	close(dfd);
	close(in);
	return rc;
}

int
casefs_open_read(const char *root, const char *rel, int *fd,
                 struct alibi_error *err)
{
	*fd = -1;
	if (!casefs_rel_is_safe(rel))
		return alibi_error_set(err, ALIBI_EUSAGE, "'%s' is not a safe path in"
		                       " the case repository", rel);
	struct strbuf dir = STRBUF_INIT;
	const char *name = split_rel(rel, &dir);
	int dfd;
	int rc = open_dir_chain(root, sb_str(&dir), 0, &dfd, err);
	sb_free(&dir);
	if (rc)
		return rc;
	int f = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (f < 0) {
		rc = refuse_link(dfd, rel, name, errno, err);
	} else {
		struct stat sb;
		if (fstat(f, &sb) != 0 || !S_ISREG(sb.st_mode)) {
			close(f);
			rc = alibi_error_set(err, ALIBI_EIO, "%s is not a regular file", rel);
		} else {
			*fd = f;
		}
	}
	close(dfd);
	return rc;
}

int
casefs_hash(const char *root, const char *rel, char hex[65], uint64_t *bytes,
            int *exists, struct alibi_error *err)
{
	*exists = 0;
	*bytes = 0;
	hex[0] = '\0';
	int fd;
	struct alibi_error e2 = { 0 };
	if (casefs_open_read(root, rel, &fd, &e2)) {
		if (e2.code == ALIBI_ENOTFOUND)
			return 0;
		*err = e2;
		return err->code;
	}
	struct sha256 h;
	sha256_init(&h);
	char *buf = xmalloc(1 << 16);
	ssize_t r;
	int rc = 0;
	while ((r = read(fd, buf, 1 << 16)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = alibi_error_set(err, ALIBI_EIO, "%s: %s", rel, strerror(errno));
			break;
		}
		sha256_update(&h, buf, (size_t)r);
		*bytes += (uint64_t)r;
	}
	free(buf);
	close(fd);
	digest_hex(&h, hex);
	*exists = rc == 0;
	return rc;
}
