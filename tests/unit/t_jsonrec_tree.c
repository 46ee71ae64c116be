/* t_jsonrec_tree.c — records read into an arena give cJSON's tree, and
 * what the arena reader does not take it leaves to cJSON. */
#include "unit.h"

#include <cjson/cJSON.h>

#include "../../src/ingest/jsonrec_tree_internal.h"

/* Whether two trees are the same: types, keys, values, order, and the
 * first child's prev pointing at the last, as cJSON links lists. */
static int
same_tree(const cJSON *a, const cJSON *b)
{
	if (!a || !b)
		return a == b;
	if ((a->type & 0xFF) != (b->type & 0xFF) || a->valueint != b->valueint)
		return 0;
	if (memcmp(&a->valuedouble, &b->valuedouble, sizeof a->valuedouble) != 0)
		return 0;
	if (!a->string != !b->string || (a->string && strcmp(a->string, b->string) != 0))
		return 0;
	if (!a->valuestring != !b->valuestring ||
	    (a->valuestring && strcmp(a->valuestring, b->valuestring) != 0))
		return 0;
	const cJSON *x = a->child, *y = b->child, *last_x = NULL, *last_y = NULL;
	for (; x && y; x = x->next, y = y->next) {
		if (!same_tree(x, y))
			return 0;
		last_x = x;
		last_y = y;
	}
	if (x || y)
		return 0;
	if (a->child && ((a->child->prev == last_x) != (b->child->prev == last_y)))
		return 0;
	return 1;
}

/* 1 when the arena reader took text and agrees with cJSON, 0 when it left
 * it to cJSON, -1 when it took it and disagrees. */
static int
compare(struct jsonrec_arena *arena, const char *text, size_t len)
{
	const char *end_fast = NULL, *end_cjson = NULL;
	const cJSON *fast = jsonrec_tree_parse(arena, text, len, &end_fast);
	cJSON *slow = cJSON_ParseWithLengthOpts(text, len, &end_cjson, 0);
	int rc = 0;
	if (fast)
		rc = slow && end_fast == end_cjson && same_tree(fast, slow) ? 1 : -1;
	cJSON_Delete(slow);
	jsonrec_arena_reset(arena);
	return rc;
}

static int
compare_str(struct jsonrec_arena *arena, const char *text)
{
	return compare(arena, text, strlen(text));
}

static void
test_records_read_in_the_arena_are_cjson_trees(void)
{
	static const char *const taken[] = {
		"{}",
		"{ }",
		"{\"role\": \"user\", \"content\": \"hello\", \"timestamp\": \"2026-11-29T05:00:00Z\"}",
		"{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\","
		"\"function\":{\"name\":\"bash\",\"arguments\":\"{\\\"command\\\": \\\"ls -la\\\"}\"}}]}",
		"{\"a\": [], \"b\": {}, \"c\": [[], [{}], [1, [2, [3]]]]}",
		"{\"esc\": \"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t end\"}",
		"{\"u\": \"\\u00e9\\u20ac\\u0041\\u007f\\u0080\\u07ff\\u0800\\uffff\"}",
		"{\"pair\": \"\\ud83d\\ude00 and \\uD834\\uDD1E\"}",
		"{\"n\": [0, -0, 12, -3.5, 1e10, 1.5E-3, 2E+2, 0.000001, 123456789012345678901234567890]}",
		"{\"big\": [2147483647, 2147483648, -2147483648, -2147483649, 1e300, -1e300, 1e999]}",
		"{\"t\": true, \"f\": false, \"z\": null}",
		"{\"dup\": 1, \"dup\": 2}",
		"{\"\": \"empty key\"}",
		" \n",   /* not a record: left alone below */
		"{\"utf8\": \"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\", \"bad\": \"\xff\xfe\"}",
		"{\r\n\t\"spaces\"\t:\r\n [ 1 ,\t2 ] \n}",
		"{\"raw\": \"tab\there, line\nbreak, \x01\x1f\"}",   /* copied as they are */
		NULL
	};
	struct jsonrec_arena arena = JSONREC_ARENA_INIT;
	for (size_t k = 0; taken[k]; k++) {
		int want = taken[k][0] == '{' ? 1 : 0;
		int got = compare_str(&arena, taken[k]);
		if (got != want)
			printf("#  case %zu: %s\n", k, taken[k]);
		CHECK_INT(got, want);
	}
	jsonrec_arena_free(&arena);
}

static void
test_the_end_is_just_past_the_record(void)
{
	struct jsonrec_arena arena = JSONREC_ARENA_INIT;
	const char *text = "{\"a\": 1}  ,\n {\"b\": 2}]";
	const char *end = NULL;
	const cJSON *rec = jsonrec_tree_parse(&arena, text, strlen(text), &end);
	CHECK(rec != NULL);
	CHECK_INT(end - text, 8);
	CHECK_INT(compare_str(&arena, text), 1);
	/* only len bytes are read */
	CHECK_INT(compare(&arena, text, 7), 0);
	CHECK(jsonrec_tree_parse(&arena, text, 7, &end) == NULL);
	jsonrec_arena_reset(&arena);
	jsonrec_arena_free(&arena);
}

static void
test_what_cjson_decides_is_left_to_it(void)
{
	static const char *const left[] = {
		"[1, 2]", "\"text\"", "12", " {}",
		"{\"z\": \"\\u0000 cut\"}",           /* cJSON cuts the string at the NUL */
		"{\"lone\": \"\\udc00\"}", "{\"high\": \"\\ud800\"}", "{\"high\": \"\\ud800\\u0041\"}",
		"{\"hex\": \"\\u12g4\"}", "{\"short\": \"\\u12\"}",
		"{\"esc\": \"\\x41\"}", "{\"esc\": \"\\'\"}",
		"{\"n\": 01}", "{\"n\": 1.}", "{\"n\": .5}", "{\"n\": +1}", "{\"n\": 1e}", "{\"n\": -}",
		"{\"n\": 0x10}", "{\"n\": NaN}", "{\"n\": 1.2.3}",
		"{\"n\": 1234567890123456789012345678901234567890123}",
		"{\"a\": 1,}", "{\"a\" 1}", "{\"a\": }", "{a: 1}", "{\"a\": 1 \"b\": 2}",
		"{\"a\": [1, 2,]}", "{\"a\": [1 2]}",
		"{\"a\": tru}", "{\"a\": nul}", "{\"a\": truex}", "{\"a\": True}",
		"{\"a\": \"unterminated}", "{\"a\": 1", "{\"a\": [1, {\"b\": 2}",
		"{\"ff\":\f1}", "{\"vt\": 1\v}",
		NULL
	};
	struct jsonrec_arena arena = JSONREC_ARENA_INIT;
	for (size_t k = 0; left[k]; k++) {
		int got = compare_str(&arena, left[k]);
		if (got != 0)
			printf("#  case %zu: %s\n", k, left[k]);
		CHECK_INT(got, 0);
	}
	/* nesting past the reader's depth, well within cJSON's */
	char deep[400];
	size_t n = 0;
	deep[n++] = '{';
	deep[n++] = '"';
	deep[n++] = 'a';
	deep[n++] = '"';
	deep[n++] = ':';
	for (int k = 0; k < 100; k++)
		deep[n++] = '[';
	for (int k = 0; k < 100; k++)
		deep[n++] = ']';
	deep[n++] = '}';
	CHECK_INT(compare(&arena, deep, n), 0);
	/* a depth it does take */
	n = 5;
	for (int k = 0; k < 30; k++)
		deep[n++] = '[';
	for (int k = 0; k < 30; k++)
		deep[n++] = ']';
	deep[n++] = '}';
	CHECK_INT(compare(&arena, deep, n), 1);
	CHECK(jsonrec_tree_parse(NULL, "{}", 2, NULL) == NULL);
	/* a NUL byte in a string ends it for both */
	static const char nul[] = "{\"a\": \"x\0y\", \"b\": 1}";
	CHECK_INT(compare(&arena, nul, sizeof nul - 1), 1);
	jsonrec_arena_free(&arena);
}

static void
test_a_record_larger_than_a_chunk(void)
{
	struct jsonrec_arena arena = JSONREC_ARENA_INIT;
	size_t body = 300 * 1024;
	char *text = malloc(body + 64);
	size_t n = (size_t)sprintf(text, "{\"content\": \"");
	for (size_t k = 0; k < body; k++)
		text[n++] = (char)('a' + k % 26);
	n += (size_t)sprintf(text + n, "\", \"list\": [");
	for (int k = 0; k < 3; k++)
		n += (size_t)sprintf(text + n, "%s%d", k ? ", " : "", k);
	n += (size_t)sprintf(text + n, "]}");
	CHECK_INT(compare(&arena, text, n), 1);
	/* many small records after it reuse the one kept chunk */
	for (int k = 0; k < 5000; k++) {
		char small[80];
		int len = snprintf(small, sizeof small, "{\"role\": \"user\", \"n\": %d, \"s\": \"x\\ty\"}", k);
		if (compare(&arena, small, (size_t)len) != 1) {
			CHECK(!"a small record was not read the same");
			break;
		}
	}
	CHECK_INT(compare(&arena, text, n), 1);
	free(text);
	jsonrec_arena_free(&arena);
}

/* A fixed-seed generator: the same cases every run. */
static uint32_t
next_random(uint32_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

static void
test_damaged_records_never_disagree_with_cjson(void)
{
	static const char *const seeds[] = {
		"{\"role\": \"assistant\", \"content\": \"Moving \\\"on\\\".\\n\", \"timestamp\": 1700000000.25,"
		" \"tool_calls\": [{\"id\": \"call_1\", \"function\": {\"name\": \"bash\","
		" \"arguments\": \"{\\\"command\\\": \\\"rm -f /srv/a\\\"}\"}}], \"ok\": true, \"n\": null}",
		"{\"u\": \"\\u00e9\\ud83d\\ude00\", \"x\": [-1.5e-3, 0, 17, false, {}, []]}",
		NULL
	};
	static const char alphabet[] = "{}[]\":,\\/ubfnrt0123456789.eE+-aelnrstux \t\n\r\f\x01\xc3";
	struct jsonrec_arena arena = JSONREC_ARENA_INIT;
	uint32_t state = 20261129;
	int taken = 0, left = 0, wrong = 0;
	for (int round = 0; round < 20000; round++) {
		const char *seed = seeds[round % 2];
		size_t n = strlen(seed);
		char text[512];
		memcpy(text, seed, n);
		int edits = 1 + (int)(next_random(&state) % 3);
		for (int e = 0; e < edits; e++) {
			size_t at = next_random(&state) % n;
			char c = alphabet[next_random(&state) % (sizeof alphabet - 1)];
			switch (next_random(&state) % 3) {
			case 0:
				text[at] = c;
				break;
			case 1:   /* delete */
				memmove(text + at, text + at + 1, n - at - 1);
				n--;
				break;
			default:  /* insert */
				if (n + 1 < sizeof text) {
					memmove(text + at + 1, text + at, n - at);
					text[at] = c;
					n++;
				}
			}
		}
		if (next_random(&state) % 8 == 0)
			n = next_random(&state) % n;   /* cut short */
		int rc = compare(&arena, text, n);
		taken += rc == 1;
		left += rc == 0;
		if (rc < 0 && wrong++ < 5)
			printf("#  disagrees: %.*s\n", (int)n, text);
	}
	CHECK_INT(wrong, 0);
	/* both ways were exercised */
	CHECK(taken > 1000);
	CHECK(left > 1000);
	jsonrec_arena_free(&arena);
}

int
main(void)
{
	RUN(test_records_read_in_the_arena_are_cjson_trees);
	RUN(test_the_end_is_just_past_the_record);
	RUN(test_what_cjson_decides_is_left_to_it);
	RUN(test_a_record_larger_than_a_chunk);
	RUN(test_damaged_records_never_disagree_with_cjson);
	return unit_done();
}
