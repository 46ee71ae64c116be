/* t_termtext.c — terminal-safe rendering of untrusted text, UTF-8
 * decoding, column widths and cutting at a column count. */
#include "unit.h"

#include "alibi/termtext.h"

/* Renders s with flags; *cols gets the width. */
static const char *
render(struct strbuf *sb, const char *s, size_t n, int flags, size_t *cols)
{
	sb_reset(sb);
	size_t w = termtext_escape(sb, s, n, flags);
	if (cols)
		*cols = w;
	if (w != termtext_width(s, n, flags))
		printf("#  termtext_width disagrees for \"%s\"\n", sb_str(sb));
	CHECK_INT(termtext_width(s, n, flags), w);
	return sb_str(sb);
}
#define R(lit, flags, cols) render(&sb, lit, sizeof lit - 1, flags, cols)

static void
test_plain_ascii_passes(void)
{
	struct strbuf sb = STRBUF_INIT;
	size_t cols;
	CHECK_STR(R("hello, world", 0, &cols), "hello, world");
	CHECK_INT(cols, 12);
	CHECK_STR(R("", 0, &cols), "");
	CHECK_INT(cols, 0);
	sb_free(&sb);
}

static void
test_escape_sequences_are_shown(void)
{
	struct strbuf sb = STRBUF_INIT;
	size_t cols;
	CHECK_STR(R("\x1b[2J", 0, &cols), "^[[2J");
	CHECK_INT(cols, 5);
	CHECK_STR(R("\x1b]0;title\x07", 0, &cols), "^[]0;title^G");
	CHECK_INT(cols, 12);
	CHECK_STR(R("a\x7f" "b", 0, &cols), "a^?b");
	CHECK_INT(cols, 4);
	CHECK_STR(R("\r\b\x1f", 0, NULL), "^M^H^_");
	sb_free(&sb);
	/* Nothing below 0x20 or at 0x7f survives. */
	for (int c = 0; c < 0x20; c++) {
		char in = (char)c;
		struct strbuf one = STRBUF_INIT;
		termtext_escape(&one, &in, 1, 0);
		CHECK_INT(one.len, 2);
		CHECK(one.buf[0] == '^' && one.buf[1] == (char)(c + 0x40));
		sb_free(&one);
	}
}

static void
test_nul_byte_is_shown(void)
{
	struct strbuf sb = STRBUF_INIT;
	size_t cols;
	CHECK_STR(R("a\0b", 0, &cols), "a^@b");
	CHECK_INT(cols, 4);
	sb_free(&sb);
}

static void
test_tabs_and_newlines(void)
{
	struct strbuf sb = STRBUF_INIT;
	size_t cols;
	CHECK_STR(R("a\tb\nc", 0, &cols), "a^Ib^Jc");
	CHECK_INT(cols, 7);
	CHECK_STR(R("a\tb", TERMTEXT_TABS_AS_SPACE, &cols), "a b");
	CHECK_INT(cols, 3);
	CHECK_STR(R("a\nb", TERMTEXT_KEEP_NEWLINES, &cols), "a\nb");
	CHECK_INT(cols, 2);
	CHECK_STR(R("a\r\nb", TERMTEXT_KEEP_NEWLINES | TERMTEXT_TABS_AS_SPACE, NULL), "a^M\nb");
	sb_free(&sb);
}

static void
test_c1_controls_are_hex(void)
{
	struct strbuf sb = STRBUF_INIT;
	size_t cols;
	/* U+009B is CSI in 8-bit terminals. */
	CHECK_STR(R("a\xc2\x9b" "31m", 0, &cols), "a\\x9b31m");
	CHECK_INT(cols, 8);
	CHECK_STR(R("\xc2\x80\xc2\x9f", 0, NULL), "\\x80\\x9f");
	/* U+00A0 is printable. */
	CHECK_STR(R("\xc2\xa0", 0, &cols), "\xc2\xa0");
	CHECK_INT(cols, 1);
	sb_free(&sb);
}

static void
test_invalid_utf8_becomes_replacement(void)
{
	struct strbuf sb = STRBUF_INIT;
	size_t cols;
	/* A raw 0x9b byte is invalid UTF-8, not a CSI. */
	CHECK_STR(R("a\x9b" "b", 0, &cols), "a\xef\xbf\xbd" "b");
	CHECK_INT(cols, 3);
	CHECK_STR(R("\xff\xfe", 0, &cols), "\xef\xbf\xbd\xef\xbf\xbd");
	CHECK_INT(cols, 2);
	/* A truncated sequence: one replacement per byte. */
	CHECK_STR(R("\xe2\x82", 0, &cols), "\xef\xbf\xbd\xef\xbf\xbd");
	CHECK_STR(R("\xe2\x82z", 0, NULL), "\xef\xbf\xbd\xef\xbf\xbdz");
	/* Overlong "/" and an encoded surrogate. */
	CHECK_STR(R("\xc0\xaf", 0, NULL), "\xef\xbf\xbd\xef\xbf\xbd");
	CHECK_STR(R("\xed\xa0\x80", 0, &cols), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	CHECK_INT(cols, 3);
	/* An overlong ESC must not come out as an ESC. */
	CHECK_STR(R("\xc1\x9b", 0, NULL), "\xef\xbf\xbd\xef\xbf\xbd");
	sb_free(&sb);
}

static void
test_bidi_and_line_separators_are_named(void)
{
	struct strbuf sb = STRBUF_INIT;
	size_t cols;
	CHECK_STR(R("abc\xe2\x80\xae" "fed", 0, &cols), "abc<U+202E>fed");
	CHECK_INT(cols, 14);
	CHECK_STR(R("\xe2\x80\xa8\xe2\x80\xa9", 0, NULL), "<U+2028><U+2029>");
	CHECK_STR(R("\xe2\x81\xa6x\xe2\x81\xa9", 0, NULL), "<U+2066>x<U+2069>");
	CHECK_STR(R("\xe2\x80\xaa", 0, NULL), "<U+202A>");
	/* Tag characters can hide text; they are shown. */
	CHECK_STR(R("\xf3\xa0\x81\x81", 0, NULL), "<U+E0041>");
	sb_free(&sb);
}

static void
test_wide_and_combining_widths(void)
{
	struct strbuf sb = STRBUF_INIT;
	size_t cols;
	/* "日本" */
	CHECK_STR(R("\xe6\x97\xa5\xe6\x9c\xac", 0, &cols), "\xe6\x97\xa5\xe6\x9c\xac");
	CHECK_INT(cols, 4);
	/* "e" + COMBINING ACUTE ACCENT */
	CHECK_STR(R("e\xcc\x81", 0, &cols), "e\xcc\x81");
	CHECK_INT(cols, 1);
	/* U+1F600 grinning face */
	R("\xf0\x9f\x98\x80", 0, &cols);
	CHECK_INT(cols, 2);
	/* Zero-width joiner between two emoji; the renderings keep it. */
	R("\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb", 0, &cols);
	CHECK_INT(cols, 4);
	/* Hangul syllable, fullwidth A */
	R("\xea\xb0\x80\xef\xbc\xa1", 0, &cols);
	CHECK_INT(cols, 4);
	sb_free(&sb);
}

static void
test_codepoint_width_table(void)
{
	CHECK_INT(codepoint_width('a'), 1);
	CHECK_INT(codepoint_width(0xe9), 1);
	CHECK_INT(codepoint_width(0x0300), 0);
	CHECK_INT(codepoint_width(0x036f), 0);
	CHECK_INT(codepoint_width(0x0370), 1);
	CHECK_INT(codepoint_width(0x1ab0), 0);
	CHECK_INT(codepoint_width(0x1dc0), 0);
	CHECK_INT(codepoint_width(0x20d0), 0);
	CHECK_INT(codepoint_width(0xfe20), 0);
	CHECK_INT(codepoint_width(0xfe0f), 0);
	CHECK_INT(codepoint_width(0x200b), 0);
	CHECK_INT(codepoint_width(0x200d), 0);
	CHECK_INT(codepoint_width(0x1100), 2);
	CHECK_INT(codepoint_width(0x1160), 0);
	CHECK_INT(codepoint_width(0x3000), 2);
	CHECK_INT(codepoint_width(0x3099), 0);
	CHECK_INT(codepoint_width(0x4e00), 2);
	CHECK_INT(codepoint_width(0x9fff), 2);
	CHECK_INT(codepoint_width(0xac00), 2);
	CHECK_INT(codepoint_width(0xd7a3), 2);
	CHECK_INT(codepoint_width(0xd7a4), 1);
	CHECK_INT(codepoint_width(0xff01), 2);
	CHECK_INT(codepoint_width(0xff61), 1);  /* halfwidth katakana period */
	CHECK_INT(codepoint_width(0x1f300), 2);
	CHECK_INT(codepoint_width(0x1f64f), 2);
	CHECK_INT(codepoint_width(0x1f680), 2);
	CHECK_INT(codepoint_width(0x1f9ff), 2);
	CHECK_INT(codepoint_width(0x1faff), 2);
	CHECK_INT(codepoint_width(0x20000), 2);
	CHECK_INT(codepoint_width(0x2a6df), 2);
	CHECK_INT(codepoint_width(0x10ffff), 1);
	CHECK_INT(codepoint_width(0x1b), 0);
	CHECK_INT(codepoint_width(0x9b), 0);
}

static void
test_utf8_decode(void)
{
	unsigned cp = 0;
	CHECK_INT(utf8_decode("A", 1, &cp), 1);
	CHECK_INT(cp, 'A');
	CHECK_INT(utf8_decode("\xc3\xa9", 2, &cp), 2);
	CHECK_INT(cp, 0xe9);
	CHECK_INT(utf8_decode("\xe2\x82\xac", 3, &cp), 3);
	CHECK_INT(cp, 0x20ac);
	CHECK_INT(utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
	CHECK_INT(cp, 0x1f600);
	CHECK_INT(utf8_decode("\xf4\x8f\xbf\xbf", 4, &cp), 4);
	CHECK_INT(cp, 0x10ffff);
	/* Invalid: above U+10FFFF, overlong, surrogate, truncated, lone continuation. */
	CHECK_INT(utf8_decode("\xf4\x90\x80\x80", 4, &cp), 1);
	CHECK_INT(cp, 0xfffd);
	CHECK_INT(utf8_decode("\xe0\x80\xaf", 3, &cp), 1);
	CHECK_INT(utf8_decode("\xf0\x80\x80\xaf", 4, &cp), 1);
	CHECK_INT(utf8_decode("\xed\xbf\xbf", 3, &cp), 1);
	CHECK_INT(cp, 0xfffd);
	/* Available bytes count, not the NUL. */
	CHECK_INT(utf8_decode("\xe2\x82\xac", 2, &cp), 1);
	CHECK_INT(utf8_decode("\x80", 1, &cp), 1);
	CHECK_INT(utf8_decode("\xc3(", 2, &cp), 1);
	CHECK_INT(cp, 0xfffd);
	CHECK_INT(utf8_decode("\xf8\x88\x80\x80\x80", 5, &cp), 1);
	CHECK_INT(utf8_decode("\xef\xbf\xbd", 3, &cp), 3);
	CHECK_INT(cp, 0xfffd);
}

static void
test_cut_at_columns_never_splits(void)
{
	struct strbuf sb = STRBUF_INIT;
	size_t used = 99;
	/* "ab" then ESC: "^[" needs 2 columns and only 1 is left. */
	CHECK_INT(termtext_escape_cols(&sb, "ab\x1b[2J", 6, 0, 3, &used), 2);
	CHECK_STR(sb_str(&sb), "ab");
	CHECK_INT(used, 2);
	sb_reset(&sb);
	CHECK_INT(termtext_escape_cols(&sb, "ab\x1b[2J", 6, 0, 4, &used), 4);
	CHECK_STR(sb_str(&sb), "ab^[");
	CHECK_INT(used, 3);
	/* A wide character that does not fit stays out whole. */
	sb_reset(&sb);
	CHECK_INT(termtext_escape_cols(&sb, "a\xe6\x97\xa5" "b", 5, 0, 2, &used), 1);
	CHECK_STR(sb_str(&sb), "a");
	CHECK_INT(used, 1);
	/* A combining mark stays with its base character. */
	sb_reset(&sb);
	CHECK_INT(termtext_escape_cols(&sb, "e\xcc\x81x", 4, 0, 1, &used), 1);
	CHECK_STR(sb_str(&sb), "e\xcc\x81");
	CHECK_INT(used, 3);
	/* A named control is one unit. */
	sb_reset(&sb);
	CHECK_INT(termtext_escape_cols(&sb, "x\xe2\x80\xae", 4, 0, 8, &used), 1);
	CHECK_STR(sb_str(&sb), "x");
	CHECK_INT(used, 1);
	/* Zero columns: nothing, but a valid empty string. */
	sb_free(&sb);
	CHECK_INT(termtext_escape_cols(&sb, "abc", 3, 0, 0, &used), 0);
	CHECK_INT(used, 0);
	CHECK(sb.buf != NULL);
	CHECK_STR(sb_str(&sb), "");
	/* Everything fits. */
	sb_reset(&sb);
	CHECK_INT(termtext_escape_cols(&sb, "abc", 3, 0, 80, NULL), 3);
	CHECK_STR(sb_str(&sb), "abc");
	sb_free(&sb);
}

/* Cutting any input at any width gives a prefix of the full rendering
 * that is at most that wide, and consumes whole units. */
static void
test_cut_is_a_prefix_of_the_full_rendering(void)
{
	static const char in[] = "a\x1b[1m\xe6\x97\xa5\xcc\x81\xff\xc2\x9b\t\xe2\x80\xae"
	                         "\xf0\x9f\x98\x80z";
	struct strbuf full = STRBUF_INIT, part = STRBUF_INIT;
	size_t total = termtext_escape(&full, in, sizeof in - 1, 0);
	for (size_t max = 0; max <= total + 1; max++) {
		size_t used = 0;
		sb_reset(&part);
		size_t cols = termtext_escape_cols(&part, in, sizeof in - 1, 0, max, &used);
		CHECK(cols <= max);
		CHECK(strncmp(full.buf, sb_str(&part), part.len) == 0);
		CHECK_INT(termtext_width(in, used, 0), cols);
		struct strbuf again = STRBUF_INIT;
		termtext_escape(&again, in, used, 0);
		CHECK_STR(sb_str(&again), sb_str(&part));
		sb_free(&again);
	}
	sb_free(&full);
	sb_free(&part);
}

static void
test_escape_appends(void)
{
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "> ");
	termtext_escape(&sb, "\x1b", 1, 0);
	CHECK_STR(sb_str(&sb), "> ^[");
	sb_free(&sb);
}

static void
test_output_never_holds_controls(void)
{
	/* Every byte value, and every pair, renders without C0/DEL/ESC bytes. */
	struct strbuf sb = STRBUF_INIT;
	char in[2];
	for (int a = 0; a < 256; a++) {
		for (int b = 0; b < 256; b++) {
			in[0] = (char)a, in[1] = (char)b;
			sb_reset(&sb);
			termtext_escape(&sb, in, 2, 0);
			for (size_t i = 0; i < sb.len; i++) {
				unsigned char c = (unsigned char)sb.buf[i];
				if (c < 0x20 || c == 0x7f) {
					CHECK(!"control byte in output");
					a = b = 256;
					break;
				}
			}
			struct strbuf clean = STRBUF_INIT;
			utf8_sanitize(&clean, sb.buf, sb.len);
			if (strcmp(sb_str(&clean), sb.buf) != 0) {
				CHECK(!"rendering is not valid UTF-8");
				a = b = 256;
			}
			sb_free(&clean);
		}
	}
	sb_free(&sb);
}

static void
test_sanitize(void)
{
	struct strbuf sb = STRBUF_INIT;
	utf8_sanitize(&sb, "caf\xc3\xa9", 5);
	CHECK_STR(sb_str(&sb), "caf\xc3\xa9");
	sb_reset(&sb);
	utf8_sanitize(&sb, "a\xff" "b\xe2\x82", 5);
	CHECK_STR(sb_str(&sb), "a\xef\xbf\xbd" "b\xef\xbf\xbd\xef\xbf\xbd");
	sb_reset(&sb);
	/* Controls are valid UTF-8: sanitize keeps them (escaping is for display). */
	utf8_sanitize(&sb, "\x1b[2J\xef\xbf\xbd", 7);
	CHECK_STR(sb_str(&sb), "\x1b[2J\xef\xbf\xbd");
	sb_free(&sb);
	utf8_sanitize(&sb, "", 0);
	CHECK(sb.buf != NULL);
	CHECK_STR(sb_str(&sb), "");
	sb_free(&sb);
}

int
main(void)
{
	RUN(test_plain_ascii_passes);
	RUN(test_escape_sequences_are_shown);
	RUN(test_nul_byte_is_shown);
	RUN(test_tabs_and_newlines);
	RUN(test_c1_controls_are_hex);
	RUN(test_invalid_utf8_becomes_replacement);
	RUN(test_bidi_and_line_separators_are_named);
	RUN(test_wide_and_combining_widths);
	RUN(test_codepoint_width_table);
	RUN(test_utf8_decode);
	RUN(test_cut_at_columns_never_splits);
	RUN(test_cut_is_a_prefix_of_the_full_rendering);
	RUN(test_escape_appends);
	RUN(test_output_never_holds_controls);
	RUN(test_sanitize);
	return unit_done();
}
