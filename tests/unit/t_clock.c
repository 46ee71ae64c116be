/* t_clock.c — the clock offset a reviewer gives (--clock-offset): its
 * parser and printer, and what analysis does with it: the day found from
 * anchors or the transcript, the zone kept for later analyses, "auto"
 * going back to the estimate. */
#include "unit.h"

#include "alibi/timeparse.h"
#include "incident_fixture.h"

#define DAY_US INT64_C(86400000000)
#define MIN(m) S((int64_t)(m) * 60)

static void
test_parse_offset(void)
{
	static const struct { const char *in; int64_t us; } good[] = {
		{ "+02:00", S(7200) }, { "-05:30", -S(19800) }, { "+00:00", 0 },
		{ "-00:30", -MIN(30) }, { "+24:00", S(86400) }, { "+05:45", MIN(345) },
		{ "3600", S(3600) }, { "-3600", -S(3600) }, { "+3600", S(3600) }, { "0", 0 },
		{ "-1h", -S(3600) }, { "2h", S(7200) }, { "90m", MIN(90) }, { "+330m", MIN(330) },
		{ "30s", S(30) }, { "+5400s", S(5400) }, { "1500ms", 1500000 }, { "-1ms", -1000 },
		{ "86400", S(86400) }, { "-24h", -S(86400) }, { "0s", 0 }, { "-0", 0 },
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		int64_t us = 12345;
		int rc = time_parse_offset(good[i].in, &us);
		if (rc != 0 || us != good[i].us)
			printf("#  offset '%s': rc %d, %lld\n", good[i].in, rc, (long long)us);
		CHECK_INT(rc, 0);
		CHECK_INT(us, good[i].us);
	}
	static const char *const bad[] = {
		"", "+", "-", "h", "ms", "auto", "2:00", "+2:00", "02:00", "+02:60", "+02:0",
		"+0200", "-0530", "0200", "007s", "+02:00:00", "+24:01", "+25:00", "1.5h", "1,5h", "1h30m", " 1h", "1h ",
		"1 h", "1d", "1H", "1sec", "1min", "86401", "24h1s", "25h", "--1h", "+-1h", "-+1h",
		"99999999999999999999", "9223372036854775807ms", "0x10", "+Z", "Z", "UTC+2",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t us = 12345;
		int rc = time_parse_offset(bad[i], &us);
		if (rc != -1)
			printf("#  offset '%s' accepted as %lld\n", bad[i], (long long)us);
		CHECK_INT(rc, -1);
		CHECK_INT(us, 12345);     /* untouched on failure */
	}
	int64_t us = 0;
	CHECK_INT(time_parse_offset(NULL, &us), -1);
}

static void
test_format_offset(void)
{
	char buf[24];
	time_format_offset(buf, sizeof buf, S(7200));
	CHECK_STR(buf, "+02:00");
	time_format_offset(buf, sizeof buf, -S(19800));
	CHECK_STR(buf, "-05:30");
	time_format_offset(buf, sizeof buf, 0);
	CHECK_STR(buf, "+00:00");
	time_format_offset(buf, sizeof buf, S(3600) + 5000);
	CHECK_STR(buf, "+01:00:00.005");
	time_format_offset(buf, sizeof buf, -5);
	CHECK_STR(buf, "-00:00:00.000005");
	time_format_offset(buf, sizeof buf, S(86400));
	CHECK_STR(buf, "+24:00");
	/* what is printed reads back */
	int64_t back = 0;
	time_format_offset(buf, sizeof buf, -MIN(345));
	CHECK_INT(time_parse_offset(buf, &back), 0);
	CHECK_INT(back, -MIN(345));
}

/* ---- analysis with a zone ---- */

struct first_op {
	int64_t ts;
	const char *path;
	int found;
};

static int
find_op(void *ctx, const struct store_op_row *r)
{
	struct first_op *f = ctx;
	if (r->op.path && strcmp(r->op.path, f->path) == 0) {
		f->ts = r->aligned_ts;
		f->found = 1;
		return 1;
	}
	return 0;
}

static int64_t
aligned_ts_of(struct inc *b, const char *path)
{
	struct first_op f = { ALIBI_TS_NONE, path, 0 };
	struct alibi_error err = { 0 };
	CHECK_INT(store_each_op(b->st, b->id, find_op, &f, &err), 0);
	CHECK(f.found);
	return f.ts;
}

/* Analyses b with opt and the default rules (NULL: analysis loads them). */
static void
analyze_with(struct inc *b, const struct analyze_options *opt, struct analyze_summary *sum)
{
	struct alibi_error err = { 0 };
	CHECK_INT(analyze_incident(b->st, b->id, NULL, opt, sum, &err), 0);
	if (err.msg[0])
		printf("#  %s\n", err.msg);
}

/* A machine on UTC+05:30 whose tool calls match their execs: the zone
 * given wins over the estimate, is kept, and "auto" forgets it. */
static void
test_zone_with_anchors(void)
{
	struct inc b;
	inc_open_named(&b, "tz", ALIBI_CLOCK_TIME_OF_DAY);
	const int64_t zone = MIN(330);
	int64_t t0 = DAY + S(9 * 3600);            /* 09:00Z = 14:30 local */
	msg(&b, "user", "Please delete /srv/x.", t0);
	int64_t m = msg(&b, "assistant", "Deleting it.", t0 + S(2));
	tcall(&b, m, "rm /srv/x", NULL, t0 + S(2));
	/* the exec comes 4 ms after the tool call, in local time of day */
	sop(&b, S(14 * 3600 + 30 * 60 + 2) + 4000, 10, 0, ALIBI_OP_exec, "/usr/bin/rm", NULL, NULL, -1,
	    -1, 1, "rm /srv/x");
	UNLINK(&b, S(14 * 3600 + 30 * 60 + 2) + 9000, 10, "/srv/x");
	msg(&b, "assistant", "I deleted /srv/x.", t0 + S(3));

	struct analyze_summary sum;
	analyze_with(&b, NULL, &sum);
	CHECK(sum.clock_offset_us == DAY - zone - 4000);        /* the estimate */
	CHECK(strstr(sum.clock_note, "median of 1 tool call/exec pair") != NULL);

	struct analyze_options opt = { .zone = ANALYZE_ZONE_GIVEN, .zone_us = zone };
	analyze_with(&b, &opt, &sum);
	CHECK_INT(sum.clock_offset_us, DAY - zone);
	CHECK(strstr(sum.clock_note, "UTC+05:30 as given (--clock-offset), on 2026-11-29") != NULL);
	CHECK(strstr(sum.clock_note, "1 tool call/exec pair suggest UTC+05:30:00.004") != NULL);
	CHECK_INT(aligned_ts_of(&b, "/srv/x"), t0 + S(2) + 9000);
	int given = 0;
	int64_t kept = 0;
	struct alibi_error err = { 0 };
	CHECK_INT(store_incident_clock_zone(b.st, b.id, &given, &kept, &err), 0);
	CHECK_INT(given, 1);
	CHECK_INT(kept, zone);

	/* analysing again without saying anything keeps the zone given */
	analyze_with(&b, NULL, &sum);
	CHECK_INT(sum.clock_offset_us, DAY - zone);
	CHECK(strstr(sum.clock_note, "as given") != NULL);

	/* a wrong zone moves every op by the difference */
	opt.zone_us = 0;
	analyze_with(&b, &opt, &sum);
	CHECK_INT(sum.clock_offset_us, DAY);
	CHECK_INT(aligned_ts_of(&b, "/srv/x"), t0 + S(2) + 9000 + zone);

	struct analyze_options back = { .zone = ANALYZE_ZONE_ESTIMATE };
	analyze_with(&b, &back, &sum);
	CHECK(sum.clock_offset_us == DAY - zone - 4000);
	CHECK(strstr(sum.clock_note, "as given") == NULL);
	CHECK_INT(store_incident_clock_zone(b.st, b.id, &given, &kept, &err), 0);
	CHECK_INT(given, 0);
	store_close(b.st);
}

/* No anchors: the day is the transcript's first day in the zone given,
 * which is the next day when the zone is ahead and the run late in UTC. */
static void
test_zone_without_anchors(void)
{
	struct inc b;
	inc_open_named(&b, "tz", ALIBI_CLOCK_TIME_OF_DAY);
	const int64_t zone = MIN(330);
	int64_t t0 = DAY + S(20 * 3600);           /* 20:00Z = 01:30 local, next day */
	msg(&b, "user", "Please tidy up.", t0);
	UNLINK(&b, S(1 * 3600 + 40 * 60), 10, "/srv/y");    /* 01:40 local */

	struct analyze_summary sum;
	analyze_with(&b, NULL, &sum);
	CHECK(strstr(sum.clock_note, "taken as UTC on 2026-11-29") != NULL);
	/* the estimate puts the op at 01:40Z on the 29th, 18 h early */
	CHECK_INT(aligned_ts_of(&b, "/srv/y"), DAY + S(1 * 3600 + 40 * 60));

	struct analyze_options opt = { .zone = ANALYZE_ZONE_GIVEN, .zone_us = zone };
	analyze_with(&b, &opt, &sum);
	CHECK_INT(sum.clock_offset_us, DAY + DAY_US - zone);
	CHECK(strstr(sum.clock_note, "on 2026-11-30, the transcript's first day there") != NULL);
	CHECK_INT(aligned_ts_of(&b, "/srv/y"), t0 + MIN(10));
	store_close(b.st);
}

/* A zone means nothing to logs with absolute times; it is said so. */
static void
test_zone_with_epoch_logs(void)
{
	struct inc b;
	inc_open_named(&b, "tz", ALIBI_CLOCK_EPOCH);
	msg(&b, "user", "Please tidy up.", DAY);
	UNLINK(&b, DAY + S(5), 10, "/srv/z");
	struct analyze_options opt = { .zone = ANALYZE_ZONE_GIVEN, .zone_us = S(7200) };
	struct analyze_summary sum;
	analyze_with(&b, &opt, &sum);
	CHECK_INT(sum.clock_offset_us, 0);
	CHECK(strstr(sum.clock_note, "absolute times (the --clock-offset given does not apply)") != NULL);
	CHECK_INT(aligned_ts_of(&b, "/srv/z"), DAY + S(5));
	store_close(b.st);
}

int
main(void)
{
	RUN(test_parse_offset);
	RUN(test_format_offset);
	RUN(test_zone_with_anchors);
	RUN(test_zone_without_anchors);
	RUN(test_zone_with_epoch_logs);
	return unit_done();
}
