/* t_linereader.c — streaming lines: endings, limits, NUL bytes, EOF. */
#include "unit.h"

#include "alibi/linereader.h"

/* A reader over a temporary file holding data[0..n). */
static FILE *
file_with(const char *data, size_t n)
{
	FILE *fp = tmpfile();
	if (!fp)
		return NULL;
	if (n && fwrite(data, 1, n, fp) != n) {
		fclose(fp);
		return NULL;
	}
	rewind(fp);
	return fp;
}

static void
test_plain_lines_and_numbers(void)
{
	const char data[] = "one\ntwo\n\nfour\n";
	FILE *fp = file_with(data, sizeof data - 1);
	CHECK(fp != NULL);
	if (!fp)
		return;
	struct linereader lr;
	linereader_init(&lr, fp, 0);
	CHECK_STR(linereader_next(&lr), "one");
	CHECK_INT(lr.lineno, 1);
	CHECK_INT(lr.len, 3);
	CHECK_INT(lr.missing_newline, 0);
	CHECK_STR(linereader_next(&lr), "two");
	CHECK_INT(lr.lineno, 2);
	CHECK_STR(linereader_next(&lr), "");
	CHECK_INT(lr.len, 0);
	CHECK_INT(lr.lineno, 3);
	CHECK_STR(linereader_next(&lr), "four");
	CHECK_INT(lr.lineno, 4);
	CHECK(linereader_next(&lr) == NULL);
	CHECK(linereader_next(&lr) == NULL);
	CHECK_INT(lr.lineno, 4);
	CHECK(!ferror(fp));
	linereader_free(&lr);
	fclose(fp);
}

static void
test_empty_file_has_no_lines(void)
{
	FILE *fp = file_with("", 0);
	CHECK(fp != NULL);
	if (!fp)
		return;
	struct linereader lr;
	linereader_init(&lr, fp, 16);
	CHECK(linereader_next(&lr) == NULL);
	CHECK_INT(lr.lineno, 0);
	linereader_free(&lr);
	fclose(fp);
}

static void
test_crlf_is_stripped_but_lone_cr_kept(void)
{
	const char data[] = "a\r\nb\rc\r\n\r\nd\r";
	FILE *fp = file_with(data, sizeof data - 1);
	CHECK(fp != NULL);
	if (!fp)
		return;
	struct linereader lr;
	linereader_init(&lr, fp, 0);
	CHECK_STR(linereader_next(&lr), "a");
	CHECK_INT(lr.len, 1);
	CHECK_STR(linereader_next(&lr), "b\rc");
	CHECK_INT(lr.len, 3);
	CHECK_STR(linereader_next(&lr), "");
	/* A "\r" at EOF is not part of a line ending. */
	CHECK_STR(linereader_next(&lr), "d\r");
	CHECK_INT(lr.missing_newline, 1);
	CHECK(linereader_next(&lr) == NULL);
	linereader_free(&lr);
	fclose(fp);
}

static void
test_last_line_without_newline(void)
{
	const char data[] = "first\nlast";
	FILE *fp = file_with(data, sizeof data - 1);
	CHECK(fp != NULL);
	if (!fp)
		return;
	struct linereader lr;
	linereader_init(&lr, fp, 0);
	CHECK_STR(linereader_next(&lr), "first");
	CHECK_INT(lr.missing_newline, 0);
	CHECK_STR(linereader_next(&lr), "last");
	CHECK_INT(lr.missing_newline, 1);
	CHECK_INT(lr.lineno, 2);
	CHECK(linereader_next(&lr) == NULL);
	linereader_free(&lr);
	fclose(fp);
}

static void
test_nul_bytes_are_kept_and_len_counts_them(void)
{
	const char data[] = "a\0b\n\0\n";
	FILE *fp = file_with(data, sizeof data - 1);
	CHECK(fp != NULL);
	if (!fp)
		return;
	struct linereader lr;
	linereader_init(&lr, fp, 0);
	const char *line = linereader_next(&lr);
	CHECK(line != NULL);
	CHECK_INT(lr.len, 3);
	CHECK(line && memcmp(line, "a\0b", 4) == 0);
	line = linereader_next(&lr);
	CHECK_INT(lr.len, 1);
	CHECK(line && line[0] == '\0');
	CHECK(linereader_next(&lr) == NULL);
	linereader_free(&lr);
	fclose(fp);
}

static void
test_long_line_is_truncated_and_consumed(void)
{
	const char data[] = "0123456789abcdef\nnext\n";
	FILE *fp = file_with(data, sizeof data - 1);
	CHECK(fp != NULL);
	if (!fp)
		return;
	struct linereader lr;
	linereader_init(&lr, fp, 10);
	CHECK_STR(linereader_next(&lr), "0123456789");
	CHECK_INT(lr.len, 10);
	CHECK_INT(lr.truncated, 1);
	CHECK_STR(linereader_next(&lr), "next");
	CHECK_INT(lr.truncated, 0);
	CHECK_INT(lr.lineno, 2);
	linereader_free(&lr);
	fclose(fp);
}

static void
test_line_exactly_at_limit_is_not_truncated(void)
{
	const char data[] = "abcd\r\nabcde\nabc\r\rx\n";
	FILE *fp = file_with(data, sizeof data - 1);
	CHECK(fp != NULL);
	if (!fp)
		return;
	struct linereader lr;
	linereader_init(&lr, fp, 4);
	CHECK_STR(linereader_next(&lr), "abcd");
	CHECK_INT(lr.truncated, 0);
	CHECK_STR(linereader_next(&lr), "abcd");
	CHECK_INT(lr.truncated, 1);
	/* The kept "\r" is a byte of the line and counts toward the limit. */
	CHECK_STR(linereader_next(&lr), "abc\r");
	CHECK_INT(lr.truncated, 1);
	CHECK(linereader_next(&lr) == NULL);
	linereader_free(&lr);
	fclose(fp);
}

static void
test_ten_megabyte_line_costs_at_most_limit(void)
{
	FILE *fp = tmpfile();
	CHECK(fp != NULL);
	if (!fp)
		return;
	char chunk[4096];
	memset(chunk, 'x', sizeof chunk);
	for (int i = 0; i < 10 * 256; i++)
		fwrite(chunk, 1, sizeof chunk, fp);
	fputs("\r\nafter", fp);
	rewind(fp);
	struct linereader lr;
	linereader_init(&lr, fp, 1000);
	const char *line = linereader_next(&lr);
	CHECK(line != NULL);
	CHECK_INT(lr.len, 1000);
	CHECK_INT(lr.truncated, 1);
	CHECK(lr.cap <= 1001);
	CHECK(line && line[999] == 'x' && line[1000] == '\0');
	CHECK_STR(linereader_next(&lr), "after");
	CHECK_INT(lr.lineno, 2);
	CHECK_INT(lr.missing_newline, 1);
	CHECK(linereader_next(&lr) == NULL);
	linereader_free(&lr);
	fclose(fp);
}

/* Lines of every length from 1 to 300 bytes, "\r\n" and "\n" in turn,
 * over several of the reader's 64 KB blocks: lines that lie whole in a
 * block and lines cut by a block's end read alike.  The first line puts
 * its "\r" last in the first block and its "\n" first in the next. */
static void
test_lines_across_blocks(void)
{
	FILE *fp = tmpfile();
	CHECK(fp != NULL);
	if (!fp)
		return;
	enum { BLOCK = 64 * 1024 };
	char *first = malloc(BLOCK);
	memset(first, 'b', BLOCK - 1);
	first[BLOCK - 1] = '\0';
	fwrite(first, 1, BLOCK - 1, fp);
	fputs("\r\n", fp);
	char line[512];
	int lines = 0;
	for (size_t total = 0; total < 4 * BLOCK; lines++) {
		size_t len = 1 + (size_t)lines % 300;
		memset(line, 'a' + lines % 26, len);
		fwrite(line, 1, len, fp);
		fputs(lines % 2 ? "\r\n" : "\n", fp);
		total += len + 1 + lines % 2;
	}
	rewind(fp);
	struct linereader lr;
	linereader_init(&lr, fp, 0);
	const char *got = linereader_next(&lr);
	CHECK(got != NULL && lr.len == BLOCK - 1 && strcmp(got, first) == 0);
	int n = 0, bad = 0;
	while ((got = linereader_next(&lr))) {
		size_t len = 1 + (size_t)n % 300;
		memset(line, 'a' + n % 26, len);
		line[len] = '\0';
		if (lr.len != len || strcmp(got, line) != 0 || lr.lineno != n + 2 || lr.missing_newline)
			bad++;
		n++;
	}
	CHECK_INT(n, lines);
	CHECK_INT(bad, 0);
	linereader_free(&lr);
	fclose(fp);
	free(first);
}

static void
test_reader_without_file_returns_null(void)
{
	struct linereader lr;
	linereader_init(&lr, NULL, 0);
	CHECK_INT(lr.limit, LINEREADER_DEFAULT_LIMIT);
	CHECK(linereader_next(&lr) == NULL);
	linereader_free(&lr);
}

static void
test_read_error_returns_null_with_ferror(void)
{
	char dir[256];
	CHECK(unit_tmpdir(dir, sizeof dir) != NULL);
	/* Reading a directory stream fails with EISDIR. */
	FILE *fp = fopen(dir, "r");
	if (!fp) {
		rmdir(dir);
		SKIP("cannot open a directory as a stream");
		return;
	}
	struct linereader lr;
	linereader_init(&lr, fp, 0);
	CHECK(linereader_next(&lr) == NULL);
	CHECK(ferror(fp));
	linereader_free(&lr);
	fclose(fp);
	rmdir(dir);
}

int
main(void)
{
	RUN(test_plain_lines_and_numbers);
	RUN(test_empty_file_has_no_lines);
	RUN(test_crlf_is_stripped_but_lone_cr_kept);
	RUN(test_last_line_without_newline);
	RUN(test_nul_bytes_are_kept_and_len_counts_them);
	RUN(test_long_line_is_truncated_and_consumed);
	RUN(test_line_exactly_at_limit_is_not_truncated);
	RUN(test_ten_megabyte_line_costs_at_most_limit);
	RUN(test_lines_across_blocks);
	RUN(test_reader_without_file_returns_null);
	RUN(test_read_error_returns_null_with_ferror);
	return unit_done();
}
