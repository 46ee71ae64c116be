/* t_strace_lines.c — how the strace parser cuts its input into lines and
 * how much of each call it reads: line ends and NUL bytes across the
 * reader's blocks and batches, the line-length limit at its edges, calls
 * no handler reads (checked as strictly as the others), open flags read
 * as words, and a pid that comes back after its process exited.
 *
 * The expected values are counted from the text each test builds, not
 * taken from the parser. */
#include "unit.h"

#include "alibi/ingest.h"
#include "alibi/linereader.h"

#define OP_SINK_PARSE strace_parse
#include "op_sink.h"

#define LIMIT ((size_t)LINEREADER_DEFAULT_LIMIT)

static int
parse_text(struct sink *s, const char *text, size_t len)
{
	FILE *fp = fmemopen((void *)text, len, "r");
	if (!fp)
		return -1;
	int rc = parse_fp(s, fp, "lines.trace");
	fclose(fp);
	return rc;
}

static int
count_paths(const struct sink *s, enum alibi_op_kind kind, const char *prefix)
{
	int n = 0;
	for (size_t i = 0; i < s->n; i++)
		n += s->ops[i].kind == kind && s->ops[i].path &&
		     strncmp(s->ops[i].path, prefix, strlen(prefix)) == 0;
	return n;
}

static const struct got *
find(const struct sink *s, enum alibi_op_kind kind, const char *path)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->ops[i].kind == kind && s->ops[i].path && strcmp(s->ops[i].path, path) == 0)
			return &s->ops[i];
	return NULL;
}

#define NEED(op) if (!(op)) { CHECK(op); return; }

/* A text that grows as a test writes lines into it. */
struct text {
	char *p;
	size_t n, cap;
	int lines;
};

static void
add(struct text *t, const char *s, size_t n)
{
	if (t->n + n + 1 > t->cap) {
		t->cap = (t->n + n + 1) * 2;
		t->p = realloc(t->p, t->cap);
	}
	memcpy(t->p + t->n, s, n);
	t->n += n;
	t->p[t->n] = '\0';
	for (size_t i = 0; i < n; i++)
		t->lines += s[i] == '\n';
}

static void
adds(struct text *t, const char *s)
{
	add(t, s, strlen(s));
}

/* "1 write(1, "aaa...", N) = N" of exactly len bytes, then end. */
static void
add_write_of(struct text *t, size_t len, const char *end)
{
	static const char head[] = "1 write(1, \"", tail[] = "\", 9) = 9";
	size_t fill = len - (sizeof head - 1) - (sizeof tail - 1);
	char *a = malloc(fill);
	memset(a, 'a', fill);
	adds(t, head);
	add(t, a, fill);
	adds(t, tail);
	adds(t, end);
	free(a);
}

/* Far more than one block and one batch of lines, in "\r\n" endings, with
 * a long line and NUL bytes on either side of the boundaries. */
static void
test_lines_across_blocks_and_batches(void)
{
	struct text t = { 0 };
	char line[128];
	int nul_line = 0, long_line = 0;
	for (int i = 0; i < 3000; i++) {
		if (i == 1500) {
			add_write_of(&t, 150000, "\r\n");  /* longer than a block */
			long_line = t.lines;
		}
		if (i == 2100) {
			adds(&t, "1 unlink(\"/nul/a");
			add(&t, "\0", 1);
			adds(&t, "b\") = 0\r\n");
			nul_line = t.lines;
		}
		snprintf(line, sizeof line, "1 unlink(\"/f/%d\") = 0\r\n", i);
		adds(&t, line);
	}
	adds(&t, "1 unlink(\"/end\") = 0");  /* no "\n" */
	/* From memory, and from a file, which stdio reads in its own pieces. */
	char dir[256], path[300];
	CHECK(unit_tmpdir(dir, sizeof dir) != NULL);
	snprintf(path, sizeof path, "%s/many.trace", dir);
	FILE *fp = fopen(path, "wb");
	NEED(fp);
	CHECK_INT(fwrite(t.p, 1, t.n, fp), t.n);
	fclose(fp);
	for (int from_file = 0; from_file < 2; from_file++) {
		struct sink s;
		if (from_file)
			parse_file(&s, path);
		else
			parse_text(&s, t.p, t.n);
		CHECK_INT(s.bad, 1);
		CHECK_INT(s.bad_line[0], nul_line);
		CHECK_STR(s.bad_what[0], "NUL byte in line");
		CHECK_INT(count_paths(&s, ALIBI_OP_unlink, "/f/"), 3000);
		CHECK(find(&s, ALIBI_OP_unlink, "/f/0") != NULL);
		CHECK(find(&s, ALIBI_OP_unlink, "/f/2999") != NULL);
		CHECK(find(&s, ALIBI_OP_unlink, "/end") != NULL);
		CHECK_INT(s.records, 3000 + 2);  /* the write and "/end"; not the NUL line */
		const struct got *g = find(&s, ALIBI_OP_unlink, "/f/1500");
		CHECK(g && g->line == long_line + 1);
		CHECK(g && g->raw && strchr(g->raw, '\r') == NULL);
		sink_free(&s);
	}
	remove(path);
	rmdir(dir);
	free(t.p);
}

/* The limit counts a line's bytes without its "\r\n"; one byte more and
 * the line is reported, not read; the lines after it are read. */
static void
test_line_limit_edges(void)
{
	struct text t = { 0 };
	add_write_of(&t, LIMIT, "\n");             /* 1: at the limit */
	adds(&t, "1 unlink(\"/a\") = 0\n");
	add_write_of(&t, LIMIT, "\r\n");           /* 3: at the limit, "\r\n" */
	add_write_of(&t, LIMIT + 1, "\n");         /* 4: over */
	add_write_of(&t, LIMIT + 1, "\r\n");       /* 5: over */
	add_write_of(&t, LIMIT + 2, "\n");         /* 6: over */
	adds(&t, "1 unlink(\"/b\") = 0\n");
	add_write_of(&t, 3 * LIMIT, "");           /* 8: over, last, no "\n" */
	struct sink s;
	parse_text(&s, t.p, t.n);
	CHECK_INT(s.bad, 4);
	static const int64_t lines[] = { 4, 5, 6, 8 };
	for (int i = 0; i < 4 && i < s.bad; i++) {
		CHECK_INT(s.bad_line[i], lines[i]);
		CHECK_STR(s.bad_what[i], "line too long");
	}
	CHECK_INT(s.records, 4);
	CHECK(find(&s, ALIBI_OP_unlink, "/a") != NULL);
	CHECK(find(&s, ALIBI_OP_unlink, "/b") != NULL);
	sink_free(&s);
	free(t.p);
}

/* A "\r" before the end of the file ends no line; lone "\r"s are bytes. */
static void
test_carriage_returns(void)
{
	static const char text[] =
		"1 unlink(\"/x\") = 0\r\r\n"
		"1 unlink(\"/y\") = 0\n"
		"\r\n"
		"1 unlink(\"/z\") = 0\r";
	struct sink s;
	parse_text(&s, text, sizeof text - 1);
	CHECK_INT(s.bad, 0);
	CHECK_INT(s.records, 3);
	CHECK(find(&s, ALIBI_OP_unlink, "/x") != NULL);
	CHECK(find(&s, ALIBI_OP_unlink, "/z") != NULL);
	sink_free(&s);
}

/* Calls no handler reads (statfs, mmap, rt_sigaction...) are checked as
 * strictly as calls that make ops: each text below is read once as chmod
 * and once as statfs, whole and cut by "<unfinished ...>", and must be
 * bad, or good, for the same reason every time. */
static void
test_unread_calls_are_checked_alike(void)
{
	static const struct {
		const char *rest;    /* after "name(" */
		const char *problem; /* NULL: a good call */
	} cases[] = {
		{ "\"/p\", 0644) = 0", NULL },
		{ "\"/p\", 0644) = -1 EACCES (Permission denied)", NULL },
		{ "\"/p\", 0644) = ?", NULL },
		{ "\"/p\\\", x)\", 0644) = 0", NULL },
		{ "\"/p\", {a=[1, (2)], b=\"}\"}) = 0", NULL },
		{ "3</a,b)>, 0644) = 0", NULL },
		{ "3<TCP:[1.2.3.4:5->6.7.8.9:10]>, 0) = 0", NULL },
		{ "\"/p\" /* ) */, 0644) = 0", NULL },
		{ "\"/p\", 0644) = 0x1f (flags O_RDWR)", NULL },
		{ "\"/p\", 0644) = 3</x>", NULL },
		{ "\"/p, 0644) = 0", "unterminated string" },
		{ "\"/p\", [1, 2) = 0", "unterminated call" },
		{ "\"/p\" /* ) , 0644) = 0", "unterminated call" },
		{ "\"/p\", 0644)", "call without a result" },
		{ "\"/p\", 0644) 0", "call without a result" },
		{ "\"/p\", 0644) = banana", "malformed result" },
		{ "\"/p\", 0644) = -x", "malformed result" },
		{ "\"/p\", 0644) = -1 ENOENT (No such", "unterminated result" },
		{ "\"/p\", 0644) = 3</x", "unterminated result" },
	};
	static const char *const names[] = { "chmod", "statfs" };
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		for (int k = 0; k < 2; k++) {
			for (int cut = 0; cut < 2; cut++) {
				char text[512];
				if (cut)
					snprintf(text, sizeof text, "7 %s(<unfinished ...>\n7 <... %s resumed>%s\n",
					         names[k], names[k], cases[i].rest);
				else
					snprintf(text, sizeof text, "7 %s(%s\n", names[k], cases[i].rest);
				struct sink s;
				parse_text(&s, text, strlen(text));
				if (cases[i].problem) {
					CHECK_INT(s.bad, 1);
					CHECK_STR(s.bad_what[0], cases[i].problem);
					CHECK_INT(s.bad_line[0], cut ? 2 : 1);
				} else {
					CHECK_INT(s.bad, 0);
					CHECK_INT(s.records, 1);
				}
				if (s.bad != (cases[i].problem != NULL))
					printf("#  case %zu as %s%s\n", i, names[k], cut ? ", cut" : "");
				sink_free(&s);
			}
		}
	}
}

/* Open flags are whole words: a longer word holding one is not it. */
static void
test_open_flags_are_words(void)
{
	static const char text[] =
		"1 openat(AT_FDCWD, \"/w\", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 3\n"
		"1 openat(AT_FDCWD, \"/r\", O_RDONLY|O_CLOEXEC) = 4\n"
		"1 openat(AT_FDCWD, \"/rw\", O_RDWR|O_NOFOLLOW) = 5\n"
		"1 openat(AT_FDCWD, \"/x\", O_RDONLY|O_CREATX|XO_TRUNC|O_WRONLYY) = 6\n"
		"1 openat(AT_FDCWD, \"/d\", O_RDONLY|O_DIRECTORY|O_CREAT) = 7\n"
		"1 open(\"/n\", 01101) = 8\n"
		"1 openat(AT_FDCWD, \"/a\", O_WRONLY|O_CREAT|O_APPEND, 0666) = 9\n"
		"1 openat(AT_FDCWD, \"/at\", O_WRONLY|O_CREAT|O_APPEND|O_TRUNC, 0666) = 10\n"
		"1 open(\"/an\", 02101) = 11\n"
		"1 openat(AT_FDCWD, \"/ax\", O_WRONLY|O_CREAT|O_APPENDX, 0666) = 12\n";
	struct sink s;
	parse_text(&s, text, sizeof text - 1);
	CHECK_INT(s.bad, 0);
	CHECK(find(&s, ALIBI_OP_create, "/w") != NULL);
	CHECK(find(&s, ALIBI_OP_open_read, "/r") != NULL);
	CHECK(find(&s, ALIBI_OP_open_write, "/rw") != NULL);
	CHECK(find(&s, ALIBI_OP_open_read, "/x") != NULL);
	CHECK(find(&s, ALIBI_OP_open_read, "/d") != NULL);
	CHECK(find(&s, ALIBI_OP_create, "/n") != NULL);  /* O_WRONLY|O_CREAT|O_TRUNC in octal */
	/* ">> f" writes to f, which is mostly there already; O_TRUNC makes it anew */
	CHECK(find(&s, ALIBI_OP_open_write, "/a") != NULL);
	CHECK(find(&s, ALIBI_OP_create, "/at") != NULL);
	CHECK(find(&s, ALIBI_OP_open_write, "/an") != NULL);  /* the same in octal */
	CHECK(find(&s, ALIBI_OP_create, "/ax") != NULL);
	sink_free(&s);
}

/* A pid whose process exited and that comes back is a new process, even
 * right after a line of the old one. */
static void
test_pid_back_after_exit(void)
{
	static const char text[] =
		"10 chdir(\"/old\") = 0\n"
		"10 openat(AT_FDCWD, \"a\", O_RDONLY) = 3\n"
		"10 +++ exited with 0 +++\n"
		"10 openat(AT_FDCWD, \"b\", O_RDONLY) = 3\n"
		"11 chdir(\"/eleven\") = 0\n"
		"10 chdir(\"/new\") = 0\n"
		"11 openat(AT_FDCWD, \"c\", O_RDONLY) = 3\n"
		"10 openat(AT_FDCWD, \"d\", O_RDONLY) = 4\n";
	struct sink s;
	parse_text(&s, text, sizeof text - 1);
	CHECK_INT(s.bad, 0);
	CHECK(find(&s, ALIBI_OP_open_read, "/old/a") != NULL);
	CHECK(find(&s, ALIBI_OP_open_read, "b") != NULL);  /* the new process's cwd is not known */
	CHECK(find(&s, ALIBI_OP_open_read, "/eleven/c") != NULL);
	CHECK(find(&s, ALIBI_OP_open_read, "/new/d") != NULL);
	sink_free(&s);
}

int
main(void)
{
	RUN(test_lines_across_blocks_and_batches);
	RUN(test_line_limit_edges);
	RUN(test_carriage_returns);
	RUN(test_unread_calls_are_checked_alike);
	RUN(test_open_flags_are_words);
	RUN(test_pid_back_after_exit);
	return unit_done();
}
