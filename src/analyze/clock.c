/* clock.c — putting a time-of-day log on the transcript's clock.
 *
 * strace -tt gives the time of day, without a date and often in local
 * time; transcripts are in UTC.  Each tool call matched to its exec is an
 * anchor pair (tool call time - exec time); the median of the pairs is
 * the offset, since a harness's delay between the two is small and
 * steady while a stray bad match is not.  Without anchors the log is
 * assumed to be UTC on the transcript's first day.
 *
 * A reviewer who knows the machine's zone gives it (--clock-offset); the
 * day still comes from the anchors or the transcript, since a zone says
 * nothing about the date.  The zone is kept in the workspace, so that
 * analysing again (new rules) does not quietly go back to the estimate. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/timeparse.h"
#include "analyze_internal.h"

#define DAY_US (86400LL * 1000000LL)

static int
cmp_i64(const void *pa, const void *pb)
{
	int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
	return a < b ? -1 : a > b;
}

int64_t
clock_median(int64_t *v, size_t n)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof *v, cmp_i64);
	if (n % 2)
		return v[n / 2];
	/* the mean of the middle two, without overflow */
	return v[n / 2 - 1] + (v[n / 2] - v[n / 2 - 1]) / 2;
}

static int64_t
floor_day(int64_t us)
{
	int64_t d = us / DAY_US;
	if (us < 0 && us % DAY_US)
		d--;
	return d * DAY_US;
}

int
clock_resolve_zone(struct actx *a)
{
	enum analyze_clock_zone how = a->opt ? a->opt->zone : ANALYZE_ZONE_KEEP;
	if (how == ANALYZE_ZONE_KEEP)
		return store_incident_clock_zone(a->st, a->incident, &a->has_zone, &a->zone_us,
		                                 a->err) != 0;
	a->has_zone = how == ANALYZE_ZONE_GIVEN;
	a->zone_us = a->has_zone ? a->opt->zone_us : 0;
	return store_incident_set_clock_zone(a->st, a->incident, a->has_zone, a->zone_us,
	                                     a->err) != 0;
}

/* The zone that puts the median anchor on UTC: what the log's clock
 * looks like from the tool calls, to the millisecond (the harness's
 * delay makes the rest noise). */
static int64_t
anchors_zone(struct actx *a)
{
	int64_t est = clock_median(a->anchors, a->anchor_count);
	int64_t zone = floor_day(est + DAY_US / 2) - est;
	return (zone + (zone < 0 ? -500 : 500)) / 1000 * 1000;
}

/* Times of day in the zone a reviewer gave: the day from the anchors,
 * else from the transcript's first message in that zone. */
static void
clock_from_zone(struct actx *a)
{
	char zone[24], day[40], seen[24];
	int64_t midnight = 0;
	time_format_offset(zone, sizeof zone, a->zone_us);
	if (a->anchor_count) {
		int64_t est = clock_median(a->anchors, a->anchor_count);
		midnight = floor_day(est + a->zone_us + DAY_US / 2);
	} else if (a->first_msg_ts != ALIBI_TS_NONE) {
		midnight = floor_day(a->first_msg_ts + a->zone_us);
	}
	a->clock_offset = midnight - a->zone_us;
	time_format_iso(day, sizeof day, midnight);
	day[10] = '\0';
	struct strbuf note = STRBUF_INIT;
	sb_addf(&note, "log times of day are UTC%s as given (--clock-offset)", zone);
	if (a->anchor_count) {
		time_format_offset(seen, sizeof seen, anchors_zone(a));
		sb_addf(&note, ", on %s; %zu tool call/exec pair%s suggest UTC%s", day,
		        a->anchor_count, a->anchor_count == 1 ? "" : "s", seen);
	} else if (a->first_msg_ts != ALIBI_TS_NONE) {
		sb_addf(&note, ", on %s, the transcript's first day there", day);
	} else {
		sb_adds(&note, "; the transcript has no times, so no day");
	}
	snprintf(a->clock_note, sizeof a->clock_note, "%s", sb_str(&note));
	sb_free(&note);
}

static void
estimate(struct actx *a)
{
	char day[40];
	if (a->opt && a->opt->has_clock_offset) {
		a->clock_offset = a->opt->clock_offset_us;
		snprintf(a->clock_note, sizeof a->clock_note, "offset %+.3f s given by the user",
		         (double)a->clock_offset / 1e6);
		return;
	}
	if (!a->has_local_clock && !a->has_relative_clock) {
		a->clock_offset = 0;
		snprintf(a->clock_note, sizeof a->clock_note, "all sources carry absolute times%s",
		         a->has_zone ? " (the --clock-offset given does not apply)" : "");
		return;
	}
	if (a->anchor_count) {
		size_t n = a->anchor_count;
		a->clock_offset = clock_median(a->anchors, n);
		int64_t lo = a->anchors[0] - a->clock_offset;
		int64_t hi = a->anchors[n - 1] - a->clock_offset;
		/* shown as a day plus a zone-like shift: "2026-11-29, -1 h 0.006 s" */
		int64_t midnight = floor_day(a->clock_offset + DAY_US / 2);
		int64_t shift = a->clock_offset - midnight;
		time_format_iso(day, sizeof day, midnight);
		day[10] = '\0';
		struct strbuf note = STRBUF_INIT;
		sb_addf(&note, "log times of day are on %s, shifted %+.3f s to UTC (median of %zu"
		        " tool call/exec pair%s, spread %+.3f..%+.3f s)", day, (double)shift / 1e6, n,
		        n == 1 ? "" : "s", (double)lo / 1e6, (double)hi / 1e6);
		snprintf(a->clock_note, sizeof a->clock_note, "%s", sb_str(&note));
		sb_free(&note);
		return;
	}
	if (a->first_msg_ts != ALIBI_TS_NONE && a->has_relative_clock && !a->has_local_clock) {
		a->clock_offset = a->first_msg_ts;
		snprintf(a->clock_note, sizeof a->clock_note,
		         "no anchor pairs: the log's relative times counted from the first message");
		return;
	}
	if (a->first_msg_ts != ALIBI_TS_NONE) {
		int64_t midnight = floor_day(a->first_msg_ts);
		time_format_iso(day, sizeof day, midnight);
		day[10] = '\0';
		a->clock_offset = midnight;
		snprintf(a->clock_note, sizeof a->clock_note,
		         "no anchor pairs: the log's times of day taken as UTC on %s, the transcript's first day",
		         day);
		return;
	}
	a->clock_offset = 0;
	snprintf(a->clock_note, sizeof a->clock_note,
	         "the transcript has no times: said and did are ordered separately");
}

void
clock_estimate(struct actx *a)
{
	if (a->has_zone && a->has_local_clock && !(a->opt && a->opt->has_clock_offset)) {
		clock_from_zone(a);
		return;
	}
	estimate(a);
	if (a->has_zone && a->has_relative_clock && !a->has_local_clock) {
		size_t n = strlen(a->clock_note);
		snprintf(a->clock_note + n, sizeof a->clock_note - n,
		         " (--clock-offset is for times of day)");
	}
}
