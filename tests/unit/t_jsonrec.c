/* t_jsonrec.c — the JSON records reader: layouts, line numbers, bad and
 * truncated records, resynchronisation, limits, and the shared helpers. */
#include "unit.h"

#include "alibi/jsonrec.h"
#include "alibi/records.h"
#include "alibi/strbuf.h"

struct collected {
	struct strbuf log;
	int records, bad;
	int stop_after;     /* stop reading after this many records (0: never) */
};

static int
on_record(void *ctx, const cJSON *rec, int64_t line)
{
	struct collected *c = ctx;
	char *text = cJSON_PrintUnformatted(rec);
	sb_addf(&c->log, "L%lld %s\n", (long long)line, text ? text : "?");
	cJSON_free(text);
	c->records++;
	return c->stop_after && c->records >= c->stop_after;
}

static void
on_bad(void *ctx, int64_t line, const char *problem)
{
	struct collected *c = ctx;
	sb_addf(&c->log, "B L%lld: %s\n", (long long)line, problem);
	c->bad++;
}

/* Reads text as a file (head given, as the import gives it). */
static int
read_text(const char *text, size_t len, struct collected *c, int with_head,
          uint64_t claimed_size, struct alibi_error *err)
{
	memset(c, 0, sizeof *c);
	FILE *fp = tmpfile();
	if (!fp)
		return -1;
	fwrite(text, 1, len, fp);
	rewind(fp);
	size_t head_len = len < INGEST_HEAD_BYTES ? len : INGEST_HEAD_BYTES;
	struct ingest_input in = {
		"test.json", fp, with_head ? text : NULL, with_head ? head_len : 0,
		claimed_size ? claimed_size : len
	};
	struct jsonrec_handler h = { c, on_record, on_bad };
	int rc = jsonrec_read(&in, &h, err);
	fclose(fp);
	return rc;
}

#define CHECK_READ(text, want) do { \
	struct collected c_; \
	struct alibi_error e_ = { 0 }; \
	const char *t_ = (text); \
	CHECK_INT(read_text(t_, strlen(t_), &c_, 1, 0, &e_), 0); \
	CHECK_STR(sb_str(&c_.log), want); \
	sb_free(&c_.log); \
} while (0)

static void
test_layouts_and_lines(void)
{
	CHECK_READ("[\n  {\"role\": \"a\"},\n  {\n    \"role\": \"b\"\n  }\n]\n",
	           "L2 {\"role\":\"a\"}\nL3 {\"role\":\"b\"}\n");
	CHECK_READ("[{\"role\":\"a\"},{\"role\":\"b\"}]", "L1 {\"role\":\"a\"}\nL1 {\"role\":\"b\"}\n");
	CHECK_READ("{\"role\":\"a\"}\n\n{\"role\":\"b\"}\n", "L1 {\"role\":\"a\"}\nL3 {\"role\":\"b\"}\n");
	/* a byte order mark and CRLF line ends */
	CHECK_READ("\xef\xbb\xbf{\"role\":\"a\"}\r\n{\"role\":\"b\"}\r\n",
	           "L1 {\"role\":\"a\"}\nL2 {\"role\":\"b\"}\n");
	CHECK_READ("", "");
	CHECK_READ("  \n \n", "");
}

static void
test_messages_object_and_system(void)
{
	CHECK_READ("{\n  \"model\": \"m\",\n  \"tools\": [{\"name\": \"x\", \"messages\": 1}],\n"
	           "  \"system\": \"be good\",\n  \"messages\": [\n    {\"role\": \"user\", \"content\": \"hi\"}\n  ]\n}\n",
	           "L4 {\"role\":\"system\",\"content\":\"be good\"}\n"
	           "L6 {\"role\":\"user\",\"content\":\"hi\"}\n");
	/* "system" after "messages" still comes first; block lists are kept */
	CHECK_READ("{\"messages\": [\n{\"role\": \"user\"}\n],\n\"system\": [{\"type\": \"text\", \"text\": \"s\"}]}\n",
	           "L4 {\"role\":\"system\",\"content\":[{\"type\":\"text\",\"text\":\"s\"}]}\n"
	           "L2 {\"role\":\"user\"}\n");
	/* an object with no conversation is one record */
	CHECK_READ("{\n  \"a\": 1\n}\n", "L1 {\"a\":1}\n");
	/* a conversation a line */
	CHECK_READ("{\"system\": \"s\", \"messages\": [{\"role\": \"u\"}, 5]}\n",
	           "L1 {\"role\":\"system\",\"content\":\"s\"}\nL1 {\"role\":\"u\"}\n"
	           "B L1: record is not a JSON object (a number)\n");
}

static void
test_bad_records_are_reported_and_skipped(void)
{
	CHECK_READ("{\"role\":\"a\"}\n[1]\n\"s\"\nnull\ntrue\n{\"role\":\"b\"} x\n{\"role\":\"c\"}\n",
	           "L1 {\"role\":\"a\"}\n"
	           "B L2: record is not a JSON object (an array)\n"
	           "B L3: record is not a JSON object (a string)\n"
	           "B L4: record is not a JSON object (null)\n"
	           "B L5: record is not a JSON object (a boolean)\n"
	           "B L6: invalid JSON: text after the end of the record\n"
	           "L7 {\"role\":\"c\"}\n");
	CHECK_READ("[1, {\"role\": \"a\"}]", "B L1: record is not a JSON object (a number)\nL1 {\"role\":\"a\"}\n");
	CHECK_READ("[{\"role\":\"a\"}] [{\"role\":\"b\"}]",
	           "L1 {\"role\":\"a\"}\nB L1: invalid JSON: text after the end of the array\n");
	/* stray commas and a missing one lose nothing */
	CHECK_READ("[\n{\"role\":\"a\"},,\n{\"role\":\"b\"}\n{\"role\":\"c\"}\n]",
	           "L2 {\"role\":\"a\"}\nL3 {\"role\":\"b\"}\nL4 {\"role\":\"c\"}\n");
	/* text that is no JSON at all: every line is reported */
	CHECK_READ("open(\"/etc/passwd\") = 3\nclose(3) = 0\n",
	           "B L1: invalid JSON near line 1 column 1\nB L2: invalid JSON near line 2 column 1\n");
}

static void
test_truncation_and_resync(void)
{
	const char *pretty =
		"[\n"
		"  {\"role\": \"a\"},\n"
		"  {\"role\": \"b\", \"x\": tru},\n"
		"  {\n"
		"    \"role\": \"c\"\n"
		"  },\n"
		"  {\"role\": \"d\", \"content\": \"unterminated\n";
	struct collected c;
	struct alibi_error err = { 0 };
	CHECK_INT(read_text(pretty, strlen(pretty), &c, 1, 0, &err), 0);
	CHECK_INT(c.records, 2);
	CHECK_INT(c.bad, 2);
	CHECK(strncmp(sb_str(&c.log), "L2 {\"role\":\"a\"}\nB L3: invalid JSON near line 3 column ", 52) == 0);
	CHECK(strstr(sb_str(&c.log), "L4 {\"role\":\"c\"}\nB L7: invalid JSON: the text ends inside the record\n") != NULL);
	sb_free(&c.log);
	/* complete records, then the end: one report that the array is open */
	CHECK_READ("[\n{\"role\":\"a\"},\n{\"role\":\"b\"},\n",
	           "L2 {\"role\":\"a\"}\nL3 {\"role\":\"b\"}\n"
	           "B L4: invalid JSON: the array is not closed (truncated file?)\n");
	/* broken inside a compact array: the rest of that line is lost, the
	 * next line that opens an object is read */
	CHECK_READ("[{\"role\":\"a\"},{\"role\":x},{\"role\":\"lost\"},\n{\"role\":\"b\"}]",
	           "L1 {\"role\":\"a\"}\nB L1: invalid JSON near line 1 column 23\nL2 {\"role\":\"b\"}\n");
	/* a JSON lines file whose first line is cut at its very end */
	CHECK_READ("{\"role\":\"a\"\n{\"role\":\"b\"}\n",
	           "B L1: invalid JSON: the text ends inside the record\nL2 {\"role\":\"b\"}\n");
	/* a pretty-printed object cut short */
	CHECK_READ("{\n  \"messages\": [\n    {\"role\": \"a\"},\n    {\"role\": ",
	           "L3 {\"role\":\"a\"}\nB L4: invalid JSON: the text ends inside the record\n");
}

static void
test_nesting_and_long_lines(void)
{
	struct strbuf deep = STRBUF_INIT;
	for (int k = 0; k < 5000; k++)
		sb_addc(&deep, '[');
	for (int k = 0; k < 5000; k++)
		sb_addc(&deep, ']');
	sb_adds(&deep, "\n{\"role\":\"after\"}\n");
	struct collected c;
	struct alibi_error err = { 0 };
	/* starts with '[': a document; nesting beyond cJSON's limit is bad */
	CHECK_INT(read_text(deep.buf + 4999, deep.len - 4999, &c, 1, 0, &err), 0);
	CHECK_INT(c.records, 0);
	CHECK(c.bad >= 1);
	sb_free(&c.log);
	sb_reset(&deep);
	sb_adds(&deep, "{\"role\":\"first\"}\n{\"x\":");
	for (int k = 0; k < 5000; k++)
		sb_addc(&deep, '[');
	for (int k = 0; k < 5000; k++)
		sb_addc(&deep, ']');
	sb_adds(&deep, "}\n{\"role\":\"after\"}\n");
	CHECK_INT(read_text(deep.buf, deep.len, &c, 1, 0, &err), 0);
	CHECK_INT(c.records, 2);
	CHECK_INT(c.bad, 1);
	sb_free(&c.log);
	sb_free(&deep);
}

static void
test_stop_limits_and_seekable_input(void)
{
	const char *lines = "{\"role\":\"a\"}\n{\"role\":\"b\"}\n{\"role\":\"c\"}\n";
	struct collected c;
	struct alibi_error err = { 0 };
	memset(&c, 0, sizeof c);
	FILE *fp = tmpfile();
	fputs(lines, fp);
	rewind(fp);
	struct ingest_input in = { "t", fp, NULL, 0, 0 };
	struct jsonrec_handler h = { &c, on_record, on_bad };
	c.stop_after = 2;
	CHECK_INT(jsonrec_read(&in, &h, &err), 0);
	CHECK_INT(c.records, 2);
	fclose(fp);
	sb_free(&c.log);
	/* an object document claimed larger than the limit is refused before
	 * reading: it is read into memory whole */
	const char *doc = "{\n \"system\": \"s\",\n \"messages\": [{\"role\":\"a\"}]\n}\n";
	CHECK_INT(read_text(doc, strlen(doc), &c, 1, (uint64_t)JSONREC_MAX_DOCUMENT + 1, &err), ALIBI_EFORMAT);
	CHECK(strstr(err.msg, "test.json: a JSON document larger than 512 MiB") != NULL);
	CHECK_INT(c.records, 0);
	sb_free(&c.log);
	/* JSON lines and arrays are streamed, whatever the size */
	CHECK_INT(read_text(lines, strlen(lines), &c, 1, (uint64_t)JSONREC_MAX_DOCUMENT + 1, &err), 0);
	CHECK_INT(c.records, 3);
	sb_free(&c.log);
	const char *array = "[{\"role\":\"a\"}, {\"role\":\"b\"}]";
	CHECK_INT(read_text(array, strlen(array), &c, 1, (uint64_t)JSONREC_MAX_DOCUMENT + 1, &err), 0);
	CHECK_INT(c.records, 2);
	sb_free(&c.log);
}

/* An array document is read through a window on the file (an element at
 * a time); whatever the window's size, and wherever its edge falls, the
 * records, problems and lines are those of reading the text whole. */
static void
test_window_edges(void)
{
	static const char *const docs[] = {
		"[\n  {\"role\": \"user\", \"content\": \"hi [x] {y} \\\" q\"},\n  {\"role\": \"assistant\"}\n]\n",
		"[{\"role\":\"a\"},{\"role\":\"b\"},{\"role\":\"c\",\"n\":[1,2,{\"d\":3}]}]",
		"\xef\xbb\xbf[\r\n {\"role\":\"a\"},\r\n {\"role\":\"b\"}\r\n]\r\n",
		"[\n {\"role\":\"a\"},\n {\"role\": oops,\n  \"x\": 1},\n {\"role\":\"b\"},\n 42,\n \"s\",\n {\"role\":\"c\"}\n]\n",
		"[{\"role\":\"a\"}, {\"role\": bad}, {\"role\":\"b\"}]",
		"[{\"role\":\"a\"}, {\"role\": bad}, \n{\"role\":\"b\"}]",
		"[\n {\"role\":\"a\"},\n {\"role\":\"b\", \"content\": \"cut off her",
		"[\n {\"role\":\"a\"}\n]\ntrailing text\n",
		"[\n {\"role\":\"a\"},\n {\"role\":\"b\"}\n",
		"[]",
		"[\n]\n",
		"  \n [ {\"role\":\"a\"} , 7 , {\"role\":\"b\"} ]",
		"[\n  {\n    \"role\": \"a\",\n    \"content\": \"line\\nbreak\"\n  },\n  {\n    \"role\": broken\n  },\n  {\n    \"role\": \"c\"\n  }\n]\n",
		"[\n {\"role\":\"a\"},\n    \n {\"role\": x\n        \n {\"role\":\"b\"}\n]",
		"[1.5, 2, {\"role\":\"a\"}, true, null]",
	};
	for (size_t k = 0; k < sizeof docs / sizeof docs[0]; k++) {
		size_t len = strlen(docs[k]);
		struct collected whole;
		memset(&whole, 0, sizeof whole);
		struct jsonrec_handler h = { &whole, on_record, on_bad };
		jsonrec_read_buffer(docs[k], len, &h);
		for (size_t size = 1; size <= len + 2; size++) {
			jsonrec_window_size(size);
			struct collected c;
			struct alibi_error err = { 0 };
			CHECK_INT(read_text(docs[k], len, &c, 1, 0, &err), 0);
			if (strcmp(sb_str(&c.log), sb_str(&whole.log)) != 0) {
				char msg[4096];
				snprintf(msg, sizeof msg, "document %zu, window %zu:\n%s\n#   whole:\n%s", k,
				         size, sb_str(&c.log), sb_str(&whole.log));
				unit_fail_at(__FILE__, __LINE__, msg);
				size = len + 2;
			}
			sb_free(&c.log);
		}
		sb_free(&whole.log);
	}
	jsonrec_window_size(0);
}

static void
test_read_buffer_on_a_head(void)
{
	struct collected c;
	memset(&c, 0, sizeof c);
	struct jsonrec_handler h = { &c, on_record, on_bad };
	const char *head = "[\n {\"role\":\"a\"},\n {\"role\":\"b\", \"content\": \"cut her";
	jsonrec_read_buffer(head, strlen(head), &h);
	CHECK_STR(sb_str(&c.log), "L2 {\"role\":\"a\"}\nB L3: invalid JSON: the text ends inside the record\n");
	sb_free(&c.log);
}

/* What jsonrec_read_buffer() hands a reader that stops after stop_after
 * records (0: never). */
static char *
read_log(const char *buf, size_t len, int stop_after)
{
	struct collected c;
	memset(&c, 0, sizeof c);
	c.stop_after = stop_after;
	struct jsonrec_handler h = { &c, on_record, on_bad };
	jsonrec_read_buffer(buf, len, &h);
	return sb_detach(&c.log);
}

/* While detection shares a head, every reader of it gets what reading it
 * alone would give, in the same order, stopping where it asks to. */
static void
test_shared_head(void)
{
	static const char *const heads[] = {
		"[\n {\"role\":\"a\"},\n 7,\n {\"role\": oops},\n {\"role\":\"b\"},\n {\"role\":\"c\", \"content\": \"cut",
		"{\"role\":\"a\"}\nnot json\n{\"system\":\"be brief\",\"messages\":[{\"role\":\"u\"},3]}\n{\"role\":",
		"{\n \"system\": \"s\",\n \"messages\": [\n  {\"role\":\"user\"},\n  {\"role\":\"assistant\"}\n ]\n}\n",
		"12:00:01 execve(\"/bin/rm\", [\"rm\"], 0x0 /* 1 var */) = 0\n12:00:02 +++ exited with 0 +++\n",
	};
	for (size_t k = 0; k < sizeof heads / sizeof heads[0]; k++) {
		size_t len = strlen(heads[k]);
		char *alone = read_log(heads[k], len, 0);
		char *alone_one = read_log(heads[k], len, 1);
		jsonrec_share_begin(heads[k], len);
		char *first = read_log(heads[k], len, 0);
		char *stopped = read_log(heads[k], len, 1);
		char *again = read_log(heads[k], len, 0);
		jsonrec_share_end();
		CHECK_STR(first, alone);
		CHECK_STR(again, alone);
		CHECK_STR(stopped, alone_one);
		free(alone);
		free(alone_one);
		free(first);
		free(stopped);
		free(again);
	}

	/* read once: a change to the bytes is not seen until the sharing ends */
	char buf[] = "[{\"role\":\"a\"}, {\"role\":\"b\"}]";
	size_t len = strlen(buf);
	jsonrec_share_begin(buf, len);
	char *before = read_log(buf, len, 0);
	buf[10] = 'x';
	char *shared = read_log(buf, len, 0);
	char *shorter = read_log(buf, len - 1, 0);   /* not the shared bytes */
	jsonrec_share_end();
	char *after = read_log(buf, len, 0);
	CHECK_STR(before, "L1 {\"role\":\"a\"}\nL1 {\"role\":\"b\"}\n");
	CHECK_STR(shared, before);
	CHECK(strstr(shorter, "{\"role\":\"x\"}") != NULL);
	CHECK_STR(after, "L1 {\"role\":\"x\"}\nL1 {\"role\":\"b\"}\n");
	free(before);
	free(shared);
	free(shorter);
	free(after);
}

static void
test_first_record(void)
{
	static const struct { const char *text; size_t want; } cases[] = {
		{ "[ {\"a\":1}]", 2 },
		{ "\n{\"a\":1}\n", 1 },
		{ "{\n \"x\": {\"messages\": []},\n \"messages\": [\n  {", 43 },
		{ "{\"messages\": [{\"role\": \"user\", \"content\": \"cut", 14 },
		{ "{\"role\": \"user\", \"content\": \"cut", 0 },
		{ "{\n \"x\": 1\n}", 99 },
		{ "[1, {}]", 99 },
		{ "text", 99 },
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		size_t len = strlen(cases[k].text);
		CHECK_INT(jsonrec_first_record(cases[k].text, len), cases[k].want == 99 ? len : cases[k].want);
	}
	CHECK_INT(jsonrec_first_record("", 0), 0);
}

static void
test_survey(void)
{
	struct jsonrec_survey s;
	const char *text =
		"{\"role\":\"user\",\"content\":\"x\"}\n"
		"{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"b\",\"input\":{}}]}\n"
		"{\"role\":\"tool\",\"tool_call_id\":\"c\",\"content\":\"r\"}\n"
		"{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"t\"}]}\n"
		"{\"type\":\"user\",\"message\":{\"role\":\"user\"}}\n"
		"{\"role\":\"assist";
	jsonrec_survey(text, strlen(text), &s);
	CHECK_INT(s.records, 5);
	CHECK_INT(s.with_role, 4);
	CHECK_INT(s.nested_message, 1);
	CHECK_INT(s.string_content, 2);
	CHECK_INT(s.text_blocks, 1);
	CHECK_INT(s.openai_marks, 2);    /* role "tool" with its tool_call_id */
	CHECK_INT(s.anthropic_marks, 1);
	CHECK_INT(s.cut_role, 0);
	jsonrec_survey("{\"role\":\"user\",\"content\":\"xxxx", 30, &s);
	CHECK_INT(s.records, 0);
	CHECK_INT(s.cut_role, 1);
	jsonrec_survey("no json here \"role\"", 19, &s);
	CHECK_INT(s.cut_role, 0);
	/* "role" deep inside some other document does not count */
	const char *inspect = "{\"version\": 2, \"samples\": [{\"messages\": [{\"role\": \"user\", \"content\": \"xx";
	jsonrec_survey(inspect, strlen(inspect), &s);
	CHECK_INT(s.cut_role, 0);
	const char *request = "{\"model\": \"m\", \"messages\": [ {\"role\": \"user\", \"content\": \"xx";
	jsonrec_survey(request, strlen(request), &s);
	CHECK_INT(s.cut_role, 1);
}

static void
test_timestamps_and_text(void)
{
	struct jsonrec_transcript t;
	struct ingest_sink sink;
	memset(&sink, 0, sizeof sink);
	jsonrec_transcript_init(&t, &sink);
	static const struct { const char *json; int64_t want; } cases[] = {
		{ "{\"timestamp\":\"2026-03-04T10:00:00Z\"}", 1772618400000000LL },
		{ "{\"created_at\":1772618400}", 1772618400000000LL },
		{ "{\"created\":1772618400.25}", 1772618400250000LL },
		{ "{\"created\":1772618400123}", 1772618400123000LL },
		{ "{\"created\":1772618400123456}", 1772618400123456LL },
		{ "{\"timestamp\":\"1772618400\"}", 1772618400000000LL },
		{ "{\"timestamp\":\"yesterday\"}", ALIBI_TS_NONE },
		{ "{\"timestamp\":-5}", ALIBI_TS_NONE },
		{ "{\"timestamp\":1e300}", ALIBI_TS_NONE },
		{ "{\"time\":1772618400}", ALIBI_TS_NONE },
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		cJSON *j = cJSON_Parse(cases[k].json);
		int64_t got = jsonrec_timestamp(&t, j);
		if (got != cases[k].want)
			printf("#  %s -> %lld\n", cases[k].json, (long long)got);
		CHECK(got == cases[k].want);
		cJSON_Delete(j);
	}
	CHECK_INT(t.any_ts, 1);
	struct strbuf sb = STRBUF_INIT;
	jsonrec_add_text(&sb, "a");
	jsonrec_add_text(&sb, NULL);
	jsonrec_add_text(&sb, "b");
	CHECK_STR(sb_str(&sb), "a\nb");
	sb_free(&sb);
	jsonrec_transcript_finish(&t);
}

int
main(void)
{
	RUN(test_layouts_and_lines);
	RUN(test_messages_object_and_system);
	RUN(test_bad_records_are_reported_and_skipped);
	RUN(test_truncation_and_resync);
	RUN(test_nesting_and_long_lines);
	RUN(test_stop_limits_and_seekable_input);
	RUN(test_window_edges);
	RUN(test_read_buffer_on_a_head);
	RUN(test_shared_head);
	RUN(test_first_record);
	RUN(test_survey);
	RUN(test_timestamps_and_text);
	return unit_done();
}
