/* t_timeparse.c — ISO 8601, epoch and time-of-day parsing; formatting. */
#include "unit.h"

#include "alibi/records.h"
#include "alibi/timeparse.h"

#define S(sec) ((int64_t)(sec) * 1000000)

static int64_t
epoch(const char *s)
{
	return time_parse_epoch(s, strlen(s));
}

static int64_t
tod(const char *s)
{
	return time_parse_time_of_day(s, strlen(s));
}

static void
test_iso_basic_utc(void)
{
	CHECK_INT(time_parse_iso8601("2020-01-01T00:00:00Z"), S(1577836800));
	CHECK_INT(time_parse_iso8601("1970-01-01T00:00:00Z"), 0);
	CHECK_INT(time_parse_iso8601("2026-03-04T10:15:30Z"), S(1772619330));
	CHECK_INT(time_parse_iso8601("2026-03-04T10:15:30.123456Z"), S(1772619330) + 123456);
	CHECK_INT(time_parse_iso8601("1969-12-31T23:59:59Z"), S(-1));
}

static void
test_iso_separators_and_missing_zone(void)
{
	CHECK_INT(time_parse_iso8601("2026-03-04 10:15:30"), S(1772619330));
	CHECK_INT(time_parse_iso8601("2026-03-04t10:15:30z"), S(1772619330));
	CHECK_INT(time_parse_iso8601("2026-03-04T10:15"), S(1772619330 - 30));
	CHECK_INT(time_parse_iso8601("2026-03-04"), S(1772619330 - 10 * 3600 - 15 * 60 - 30));
	CHECK_INT(time_parse_iso8601("2026-03-04T10:15:30Z \n"), S(1772619330));
}

static void
test_iso_offsets(void)
{
	int64_t utc = S(1772619330);
	CHECK_INT(time_parse_iso8601("2026-03-04T12:15:30+02:00"), utc);
	CHECK_INT(time_parse_iso8601("2026-03-04T12:15:30+0200"), utc);
	CHECK_INT(time_parse_iso8601("2026-03-04T12:15:30+02"), utc);
	CHECK_INT(time_parse_iso8601("2026-03-04T05:45:30-0430"), utc);
	CHECK_INT(time_parse_iso8601("2026-03-04T05:45:30-04:30"), utc);
	CHECK_INT(time_parse_iso8601("2026-03-04T10:15:30+00:00"), utc);
	/* An offset moves the date too. */
	CHECK_INT(time_parse_iso8601("2025-01-01T01:00:00+02:00"), S(1735686000));
}

static void
test_iso_fractions_truncate_to_microseconds(void)
{
	int64_t base = S(1772619330);
	CHECK_INT(time_parse_iso8601("2026-03-04T10:15:30.1Z"), base + 100000);
	CHECK_INT(time_parse_iso8601("2026-03-04T10:15:30.000001Z"), base + 1);
	CHECK_INT(time_parse_iso8601("2026-03-04T10:15:30.123456789Z"), base + 123456);
	CHECK_INT(time_parse_iso8601("2026-03-04T10:15:30,5+01:00"), base - S(3600) + 500000);
	CHECK_INT(time_parse_iso8601("2026-03-04T10:15:30.Z"), ALIBI_TS_NONE);
}

static void
test_iso_calendar_edges(void)
{
	CHECK_INT(time_parse_iso8601("2000-02-29T12:00:00Z"), S(951825600));
	CHECK_INT(time_parse_iso8601("2100-02-29T00:00:00Z"), ALIBI_TS_NONE);
	CHECK_INT(time_parse_iso8601("1900-02-29T00:00:00Z"), ALIBI_TS_NONE);
	CHECK(time_parse_iso8601("2024-02-29T00:00:00Z") != ALIBI_TS_NONE);
	CHECK_INT(time_parse_iso8601("2026-04-31T00:00:00Z"), ALIBI_TS_NONE);
	CHECK_INT(time_parse_iso8601("9999-12-31T23:59:59Z"), S(253402300799));
	CHECK_INT(time_parse_iso8601("0001-01-01T00:00:00Z"), S(-62135596800));
	/* A leap second rolls into the next minute. */
	CHECK_INT(time_parse_iso8601("2016-12-31T23:59:60Z"),
	          time_parse_iso8601("2017-01-01T00:00:00Z"));
}

static void
test_iso_garbage_is_rejected(void)
{
	static const char *bad[] = {
		"", " ", "Z", "2026", "2026-03", "2026-3-04", "2026-13-01", "2026-00-10",
		"2026-03-00", "2026-03-04T", "2026-03-04T25:00:00Z", "2026-03-04T10:60:00Z",
		"2026-03-04T10:15:61Z", "2026-03-04T10:15:30+25:00", "2026-03-04T10:15:30+02:60",
		"2026-03-04T10:15:30X", "2026-03-04T10:15:30Z junk", "2026-03-04T10:15:30+",
		"2026-03-04T10:15:30+2", "20260304T101530Z", "abcd-ef-ghTij:kl:mnZ",
		"2026-03-04T10:15:30.12345678901234567890123x", "\xff\xfe", "-2026-03-04",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		if (time_parse_iso8601(bad[i]) != ALIBI_TS_NONE)
			printf("#  accepted \"%s\"\n", bad[i]);
		CHECK_INT(time_parse_iso8601(bad[i]), ALIBI_TS_NONE);
	}
	CHECK_INT(time_parse_iso8601(NULL), ALIBI_TS_NONE);
}

static void
test_epoch_seconds_with_fraction(void)
{
	CHECK_INT(epoch("1577836800.000123"), S(1577836800) + 123);
	CHECK_INT(epoch("1577836800"), S(1577836800));
	CHECK_INT(epoch("1577836800.5"), S(1577836800) + 500000);
	CHECK_INT(epoch("1577836800.123456789"), S(1577836800) + 123456);
	CHECK_INT(epoch("1577836800."), S(1577836800));
	CHECK_INT(epoch("0"), 0);
	CHECK_INT(epoch("-1.5"), -S(1) - 500000);
	/* Only the first n bytes count. */
	CHECK_INT(time_parse_epoch("1577836800.25 openat(", 13), S(1577836800) + 250000);
}

static void
test_epoch_garbage_and_overflow(void)
{
	static const char *bad[] = {
		"", ".", ".5", "-", "abc", "12a", "1.2.3", " 1", "1 ", "+1", "1e9", "--1",
		"99999999999999999999999", "9223372036854775807", "9223372036855",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		if (epoch(bad[i]) != ALIBI_TS_NONE)
			printf("#  accepted \"%s\"\n", bad[i]);
		CHECK_INT(epoch(bad[i]), ALIBI_TS_NONE);
	}
	CHECK_INT(time_parse_epoch(NULL, 0), ALIBI_TS_NONE);
	CHECK_INT(time_parse_epoch("123", 0), ALIBI_TS_NONE);
	/* The largest second count that still fits. */
	CHECK(epoch("9223372036853") != ALIBI_TS_NONE);
}

static void
test_time_of_day(void)
{
	CHECK_INT(tod("10:15:30"), S(10 * 3600 + 15 * 60 + 30));
	CHECK_INT(tod("10:15:30.123456"), S(10 * 3600 + 15 * 60 + 30) + 123456);
	CHECK_INT(tod("00:00:00"), 0);
	CHECK_INT(tod("23:59:59.999999"), S(86400) - 1);
	CHECK_INT(tod("10:15:30.5"), S(36930) + 500000);
	CHECK_INT(time_parse_time_of_day("10:15:30.123456 execve(", 15), S(36930) + 123456);
}

static void
test_time_of_day_garbage(void)
{
	static const char *bad[] = {
		"", "10", "10:15", "10:15:", "1:15:30", "24:00:00", "10:60:00", "10:15:61",
		"10:15:30.", "10:15:30x", "10-15-30", "aa:bb:cc", " 10:15:30",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		if (tod(bad[i]) != ALIBI_TS_NONE)
			printf("#  accepted \"%s\"\n", bad[i]);
		CHECK_INT(tod(bad[i]), ALIBI_TS_NONE);
	}
	CHECK_INT(time_parse_time_of_day(NULL, 8), ALIBI_TS_NONE);
	CHECK_INT(time_parse_time_of_day("10:15:30", 7), ALIBI_TS_NONE);
}

static void
test_format_iso(void)
{
	char buf[40];
	time_format_iso(buf, sizeof buf, S(1772619330) + 123456);
	CHECK_STR(buf, "2026-03-04T10:15:30.123456Z");
	time_format_iso(buf, sizeof buf, 0);
	CHECK_STR(buf, "1970-01-01T00:00:00.000000Z");
	time_format_iso(buf, sizeof buf, -1);
	CHECK_STR(buf, "1969-12-31T23:59:59.999999Z");
	time_format_iso(buf, sizeof buf, S(951825600));
	CHECK_STR(buf, "2000-02-29T12:00:00.000000Z");
	time_format_iso(buf, sizeof buf, ALIBI_TS_NONE);
	CHECK_STR(buf, "-");
	/* Small buffers are cut, never overrun. */
	char small[8];
	time_format_iso(small, sizeof small, 0);
	CHECK_STR(small, "1970-01");
	time_format_iso(buf, sizeof buf, INT64_MAX);
	CHECK(strlen(buf) > 20);
	time_format_iso(buf, sizeof buf, INT64_MIN + 1);
	CHECK(strlen(buf) > 20);
}

static void
test_format_round_trips_through_parse(void)
{
	char buf[40];
	const int64_t samples[] = { 0, 1, -1, S(1577836800) + 123, S(-62135596800),
	                            S(253402300799) + 999999, S(951782400) - 1 };
	for (size_t i = 0; i < sizeof samples / sizeof *samples; i++) {
		time_format_iso(buf, sizeof buf, samples[i]);
		CHECK_INT(time_parse_iso8601(buf), samples[i]);
	}
	/* Every day of a leap year and the year after. */
	for (int64_t d = 0; d < 731; d++) {
		int64_t us = S(1704067200) + S(d * 86400) + S(3661) + 7;
		time_format_iso(buf, sizeof buf, us);
		if (time_parse_iso8601(buf) != us) {
			CHECK_INT(time_parse_iso8601(buf), us);
			break;
		}
	}
}

static void
test_format_clock(void)
{
	char buf[16];
	time_format_clock(buf, sizeof buf, S(36930) + 123456);
	CHECK_STR(buf, "10:15:30.123");
	time_format_clock(buf, sizeof buf, S(1772619330) + 999999);
	CHECK_STR(buf, "10:15:30.999");
	time_format_clock(buf, sizeof buf, -1);
	CHECK_STR(buf, "23:59:59.999");
	time_format_clock(buf, sizeof buf, ALIBI_TS_NONE);
	CHECK_STR(buf, "-");
	char small[4];
	time_format_clock(small, sizeof small, 0);
	CHECK_STR(small, "00:");
}

static void
test_now_is_recent(void)
{
	int64_t now = time_now_us();
	CHECK(now > S(1700000000));
	CHECK(now < S(4102444800));
}

int
main(void)
{
	RUN(test_iso_basic_utc);
	RUN(test_iso_separators_and_missing_zone);
	RUN(test_iso_offsets);
	RUN(test_iso_fractions_truncate_to_microseconds);
	RUN(test_iso_calendar_edges);
	RUN(test_iso_garbage_is_rejected);
	RUN(test_epoch_seconds_with_fraction);
	RUN(test_epoch_garbage_and_overflow);
	RUN(test_time_of_day);
	RUN(test_time_of_day_garbage);
	RUN(test_format_iso);
	RUN(test_format_round_trips_through_parse);
	RUN(test_format_clock);
	RUN(test_now_is_recent);
	return unit_done();
}
