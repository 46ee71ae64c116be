/* t_path.c — normalisation, join, glob, containment, components, slugs. */
#include "unit.h"

#include "alibi/path.h"

/* Checks path_normalize(in) == want on a private copy. */
static void
check_norm(const char *in, const char *want, int line)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", in);
	path_normalize(buf);
	if (strcmp(buf, want) != 0) {
		char msg[600];
		snprintf(msg, sizeof msg, "normalize(\"%s\") == \"%s\", expected \"%s\"", in, buf, want);
		unit_fail_at(__FILE__, line, msg);
	}
}
#define NORM(in, want) check_norm(in, want, __LINE__)

static void
check_join(const char *base, const char *rel, const char *want, int line)
{
	struct strbuf sb = STRBUF_INIT;
	path_join(&sb, base, rel);
	if (strcmp(sb_str(&sb), want) != 0) {
		char msg[600];
		snprintf(msg, sizeof msg, "join(\"%s\", \"%s\") == \"%s\", expected \"%s\"",
		         base ? base : "(null)", rel ? rel : "(null)", sb_str(&sb), want);
		unit_fail_at(__FILE__, line, msg);
	}
	sb_free(&sb);
}
#define JOIN(base, rel, want) check_join(base, rel, want, __LINE__)

static void
test_normalize_absolute(void)
{
	NORM("/a/b/../c", "/a/c");
	NORM("/a//b///c/", "/a/b/c");
	NORM("/a/./b/.", "/a/b");
	NORM("/", "/");
	NORM("//", "/");
	NORM("/..", "/");
	NORM("/../../etc/passwd", "/etc/passwd");
	NORM("/a/..", "/");
	NORM("/a/b/../../..", "/");
	NORM("/srv/models/../models2", "/srv/models2");
	NORM("/a/...", "/a/...");
	NORM("/a/..b/.c", "/a/..b/.c");
}

static void
test_normalize_relative(void)
{
	NORM("a/b/../c", "a/c");
	NORM("./a", "a");
	NORM("a/..", ".");
	NORM(".", ".");
	NORM("./", ".");
	NORM("..", "..");
	NORM("../..", "../..");
	NORM("a/../..", "..");
	NORM("a/../../b", "../b");
	NORM("../a/../b", "../b");
	NORM("a/b/", "a/b");
	NORM("", "");
	CHECK(path_normalize(NULL) == NULL);
}

static void
test_normalize_returns_its_argument(void)
{
	char buf[] = "/x/./y";
	CHECK(path_normalize(buf) == buf);
	CHECK_STR(buf, "/x/y");
}

static void
test_join(void)
{
	JOIN("/home/agent", "models/w.bin", "/home/agent/models/w.bin");
	JOIN("/home/agent", "/etc/passwd", "/etc/passwd");
	JOIN("/home/agent/", "../other/./x", "/home/other/x");
	JOIN("/home/agent", "", "/home/agent");
	JOIN("/home/agent", ".", "/home/agent");
	JOIN("", "rel/x", "rel/x");
	JOIN(NULL, "rel/x", "rel/x");
	JOIN("/", "..", "/");
	JOIN("base", "../../x", "../x");
	JOIN("", "", "");
}

static void
test_join_appends(void)
{
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "path=");
	path_join(&sb, "/a/b", "../c");
	CHECK_STR(sb_str(&sb), "path=/a/c");
	sb_free(&sb);
}

static void
test_glob_star_crosses_slash(void)
{
	CHECK(path_glob_match("*/models/*", "/srv/models/agent2/w.bin"));
	CHECK(path_glob_match("*.safetensors", "/srv/models/agent2/model.safetensors"));
	CHECK(path_glob_match("*", ""));
	CHECK(path_glob_match("*", "/any/thing"));
	CHECK(path_glob_match("/srv/*", "/srv/a/b/c"));
	CHECK(!path_glob_match("*.gguf", "/srv/model.gguf.bak"));
	CHECK(!path_glob_match("*/models/*", "/srv/models2/w.bin"));
	CHECK(!path_glob_match("*/models/*", "/srv/models"));
	CHECK(path_glob_match("a*b*c", "axxbyyc"));
	CHECK(!path_glob_match("a*b*c", "axxbyy"));
	CHECK(path_glob_match("*a", "aaaa"));
}

static void
test_glob_question_and_literal(void)
{
	CHECK(path_glob_match("/tmp/?.log", "/tmp/a.log"));
	CHECK(!path_glob_match("/tmp/?.log", "/tmp/ab.log"));
	CHECK(!path_glob_match("/tmp/?.log", "/tmp/.log"));
	CHECK(path_glob_match("/etc/passwd", "/etc/passwd"));
	CHECK(!path_glob_match("/etc/passwd", "/etc/passwd2"));
	CHECK(!path_glob_match("/etc/passwd", "/etc/passw"));
	CHECK(path_glob_match("", ""));
	CHECK(!path_glob_match("", "a"));
	CHECK(path_glob_match("a\\*b", "a*b"));
	CHECK(!path_glob_match("a\\*b", "axb"));
	CHECK(!path_glob_match(NULL, "a"));
	CHECK(!path_glob_match("a", NULL));
}

static void
test_glob_classes(void)
{
	CHECK(path_glob_match("*.[ch]", "src/x.c"));
	CHECK(path_glob_match("*.[ch]", "src/x.h"));
	CHECK(!path_glob_match("*.[ch]", "src/x.o"));
	CHECK(path_glob_match("log[0-9]", "log7"));
	CHECK(!path_glob_match("log[0-9]", "logx"));
	CHECK(path_glob_match("log[!0-9]", "logx"));
	CHECK(path_glob_match("log[^0-9]", "logx"));
	CHECK(!path_glob_match("log[!0-9]", "log3"));
	CHECK(path_glob_match("a[]]b", "a]b"));
	/* An unclosed class is a literal '['. */
	CHECK(path_glob_match("a[b", "a[b"));
	CHECK(!path_glob_match("a[b", "ab"));
}

static void
test_glob_leading_any_dirs(void)
{
	CHECK(path_glob_match("**/.bash_history", ".bash_history"));
	CHECK(path_glob_match("**/.bash_history", "/root/.bash_history"));
	CHECK(path_glob_match("**/.bash_history", "home/a/.bash_history"));
	CHECK(!path_glob_match("**/.bash_history", "/root/x.bash_history"));
	CHECK(path_glob_match("/srv/**/w.bin", "/srv/w.bin"));
	CHECK(path_glob_match("/srv/**/w.bin", "/srv/a/b/w.bin"));
	CHECK(!path_glob_match("/srv/**/w.bin", "/srv/a/b/xw.bin"));
	CHECK(path_glob_match("**/models/*.bin", "/srv/models/agent/w.bin"));
}

static void
test_glob_is_fast_on_hostile_input(void)
{
	char path[4096];
	memset(path, 'a', sizeof path - 1);
	path[sizeof path - 1] = '\0';
	CHECK(!path_glob_match("*a*a*a*a*a*a*a*a*b", path));
	CHECK(path_glob_match("*a*a*a*a*a*a*a*a*", path));
}

static void
test_is_within(void)
{
	CHECK(path_is_within("/srv/models", "/srv/models"));
	CHECK(path_is_within("/srv/models", "/srv/models/agent2/w.bin"));
	CHECK(path_is_within("/srv/models/", "/srv/models/x"));
	CHECK(!path_is_within("/srv/models", "/srv/models2"));
	CHECK(!path_is_within("/srv/models", "/srv/models2/w.bin"));
	CHECK(!path_is_within("/srv/models", "/srv/models/../secrets"));
	CHECK(!path_is_within("/srv/models", "/srv/models/a/../../models2"));
	CHECK(path_is_within("/srv/models", "/srv/models/a/../../models/b"));
	CHECK(path_is_within("/srv/models", "//srv//models/./x"));
	CHECK(!path_is_within("/srv/models", "/srv"));
	CHECK(!path_is_within("/srv/models", "srv/models/x"));
	CHECK(path_is_within("/", "/etc"));
	CHECK(!path_is_within("/", "etc"));
	CHECK(path_is_within("/srv/./models/../models", "/srv/models/x"));
	CHECK(!path_is_within("", "/x"));
	CHECK(!path_is_within(NULL, "/x"));
	CHECK(!path_is_within("/x", NULL));
	CHECK(path_is_within("work", "work/a"));
	CHECK(!path_is_within("work", "../work/a"));
}

static void
test_basename(void)
{
	CHECK_STR(path_basename("/a/b.txt"), "b.txt");
	CHECK_STR(path_basename("b.txt"), "b.txt");
	CHECK_STR(path_basename("/a/b/"), "");
	CHECK_STR(path_basename("/"), "/");
	CHECK_STR(path_basename(""), "");
	const char *p = "/srv/w.bin";
	CHECK(path_basename(p) == p + 5);
}

static void
test_safe_component(void)
{
	CHECK(path_is_safe_component("peer-preservation"));
	CHECK(path_is_safe_component("case_01.v2"));
	CHECK(path_is_safe_component("a"));
	CHECK(!path_is_safe_component(""));
	CHECK(!path_is_safe_component(NULL));
	CHECK(!path_is_safe_component("."));
	CHECK(!path_is_safe_component(".."));
	CHECK(!path_is_safe_component(".hidden"));
	CHECK(!path_is_safe_component("a/b"));
	CHECK(!path_is_safe_component("../x"));
	CHECK(!path_is_safe_component("a b"));
	CHECK(!path_is_safe_component("caf\xc3\xa9"));
	CHECK(!path_is_safe_component("a\nb"));
	char name[102];
	memset(name, 'x', sizeof name);
	name[100] = '\0';
	CHECK(path_is_safe_component(name));
	name[100] = 'x';
	name[101] = '\0';
	CHECK(!path_is_safe_component(name));
}

static void
check_slug(const char *text, const char *want, int line)
{
	struct strbuf sb = STRBUF_INIT;
	path_slugify(&sb, text);
	if (strcmp(sb_str(&sb), want) != 0) {
		char msg[600];
		snprintf(msg, sizeof msg, "slugify(\"%s\") == \"%s\", expected \"%s\"",
		         text ? text : "(null)", sb_str(&sb), want);
		unit_fail_at(__FILE__, line, msg);
	}
	if (!path_is_safe_component(sb_str(&sb)))
		unit_fail_at(__FILE__, line, "slug is not a safe component");
	sb_free(&sb);
}
#define SLUG(text, want) check_slug(text, want, __LINE__)

static void
test_slugify(void)
{
	SLUG("Peer Preservation", "peer-preservation");
	SLUG("  Agent #2 -- copied weights!  ", "agent-2-copied-weights");
	SLUG("../../etc/passwd", "etc-passwd");
	SLUG(".hidden", "hidden");
	SLUG("caf\xc3\xa9 \x1b[2J", "caf-2j");
	SLUG("", "incident");
	SLUG("!!!", "incident");
	SLUG(NULL, "incident");
	SLUG("already-a-slug", "already-a-slug");
}

static void
test_slugify_is_capped_and_appends(void)
{
	char text[400];
	for (size_t i = 0; i < sizeof text - 1; i++)
		text[i] = i % 3 == 2 ? ' ' : 'A';
	text[sizeof text - 1] = '\0';
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "x/");
	path_slugify(&sb, text);
	CHECK(strncmp(sb_str(&sb), "x/aa-aa", 7) == 0);
	CHECK(sb.len - 2 <= 100);
	CHECK(sb.len - 2 >= 98);
	CHECK(path_is_safe_component(sb_str(&sb) + 2));
	CHECK(sb.buf[sb.len - 1] != '-');
	sb_free(&sb);
}

int
main(void)
{
	RUN(test_normalize_absolute);
	RUN(test_normalize_relative);
	RUN(test_normalize_returns_its_argument);
	RUN(test_join);
	RUN(test_join_appends);
	RUN(test_glob_star_crosses_slash);
	RUN(test_glob_question_and_literal);
	RUN(test_glob_classes);
	RUN(test_glob_leading_any_dirs);
	RUN(test_glob_is_fast_on_hostile_input);
	RUN(test_is_within);
	RUN(test_basename);
	RUN(test_safe_component);
	RUN(test_slugify);
	RUN(test_slugify_is_capped_and_appends);
	return unit_done();
}
