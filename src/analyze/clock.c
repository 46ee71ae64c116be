/* clock.c — putting a time-of-day log on the transcript's clock.
 *
 * strace -tt gives the time of day, without a date and often in local
 * time; transcripts are in UTC.  Each tool call matched to its exec is an
 * anchor pair (tool call time - exec time); the median of the pairs is
 * the offset, since a harness's delay between the two is small and
 * steady while a stray bad match is not.  Without anchors the log is
 * assumed to be UTC on the transcript's first day. */
#include <stdio.h>
#include <stdlib.h>

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

void
clock_estimate(struct actx *a)
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
		snprintf(a->clock_note, sizeof a->clock_note, "all sources carry absolute times");
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
