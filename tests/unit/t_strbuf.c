/* t_strbuf.c — the string builder, JSON strings and error messages. */
#include "unit.h"

#include "alibi/error.h"
#include "alibi/strbuf.h"
#include "alibi/textwrap.h"

static void
test_add_and_format(void)
{
	struct strbuf sb = STRBUF_INIT;
	CHECK_STR(sb_str(&sb), "");
	sb_adds(&sb, "ab");
	sb_addc(&sb, 'c');
	sb_addf(&sb, "-%d-%s", 42, "x");
	CHECK_STR(sb_str(&sb), "abc-42-x");
	CHECK_INT(sb.len, 8);
	sb_truncate(&sb, 2);
	CHECK_STR(sb_str(&sb), "ab");
	char *owned = sb_detach(&sb);
	CHECK_STR(owned, "ab");
	CHECK_STR(sb_str(&sb), "");
	free(owned);
}

static void
test_grows_past_many_pages(void)
{
	struct strbuf sb = STRBUF_INIT;
	for (int i = 0; i < 100000; i++)
		sb_adds(&sb, "0123456789");
	CHECK_INT(sb.len, 1000000);
	CHECK(sb.buf[999999] == '9');
	CHECK(sb.buf[1000000] == '\0');
	sb_free(&sb);
}

static void
test_json_string_escapes_and_repairs_utf8(void)
{
	struct strbuf sb = STRBUF_INIT;
	sb_add_json_string(&sb, "a\"b\\c\nd\x01\x1b[2J");
	CHECK_STR(sb_str(&sb), "\"a\\\"b\\\\c\\nd\\u0001\\u001b[2J\"");
	sb_reset(&sb);
	sb_add_json_string(&sb, "caf\xc3\xa9 \xff\xfe end \xe2\x82");
	CHECK_STR(sb_str(&sb), "\"caf\xc3\xa9 \\ufffd\\ufffd end \\ufffd\\ufffd\"");
	sb_reset(&sb);
	sb_add_json_string(&sb, NULL);
	CHECK_STR(sb_str(&sb), "\"\"");
	sb_free(&sb);
}

static void
test_error_prefix_keeps_context(void)
{
	struct alibi_error err = { 0 };
	CHECK_INT(alibi_error_set(&err, ALIBI_EIO, "%s: %s", "x.log", "gone"), ALIBI_EIO);
	alibi_error_prefix(&err, "importing");
	CHECK_STR(err.msg, "importing: x.log: gone");
	char longer[2000];
	memset(longer, 'p', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	alibi_error_prefix(&err, "%s", longer);
	CHECK(strlen(err.msg) < sizeof err.msg);
	CHECK_INT(alibi_error_set(NULL, ALIBI_EDB, "ignored"), ALIBI_EDB);
}

static void
test_wrap_keeps_words_and_escapes(void)
{
	struct wrapped_lines w = { 0 };
	wrap_text(&w, "the quick brown fox jumps over the lazy dog", 12, 0);
	CHECK_INT(w.count, 4);
	CHECK_STR(w.lines[0], "the quick");
	CHECK_STR(w.lines[1], "brown fox");
	CHECK_STR(w.lines[2], "jumps over");
	CHECK_STR(w.lines[3], "the lazy dog");
	wrapped_lines_free(&w);
	wrap_text(&w, "a\x1b[2Jb\nsecond", 40, 0);
	CHECK_INT(w.count, 2);
	CHECK_STR(w.lines[0], "a^[[2Jb");
	wrapped_lines_free(&w);
	wrap_text(&w, "1\n2\n3\n4\n5\n6", 40, 3);
	CHECK_INT(w.count, 3);
	CHECK_STR(w.lines[2], "… (4 more lines)");
	wrapped_lines_free(&w);
	wrap_text(&w, "abcdefghijklmnopqrstuvwxyz", 10, 0);
	CHECK_INT(w.count, 3);
	CHECK_STR(w.lines[0], "abcdefghij");
	wrapped_lines_free(&w);
}

int
main(void)
{
	RUN(test_add_and_format);
	RUN(test_grows_past_many_pages);
	RUN(test_json_string_escapes_and_repairs_utf8);
	RUN(test_error_prefix_keeps_context);
	RUN(test_wrap_keeps_words_and_escapes);
	return unit_done();
}
