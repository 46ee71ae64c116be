/* analyze.h — from an imported incident to findings (DESIGN §5).
 *
 * analyze_incident() is idempotent: it clears the incident's previous
 * analysis (claims, findings, evidence, attribution) and computes it anew
 * in one transaction.  Findings carry stable keys so annotations made on a
 * previous run stay attached. */
#ifndef ALIBI_ANALYZE_H
#define ALIBI_ANALYZE_H

#include <stdint.h>
#include "alibi/error.h"
#include "alibi/rules.h"
#include "alibi/store.h"

/* The clock of time-of-day logs (strace -t/-tt: no date, maybe local
 * time): which zone they were written in. */
enum analyze_clock_zone {
	ANALYZE_ZONE_KEEP = 0,     /* one a reviewer gave before, else estimate */
	ANALYZE_ZONE_GIVEN,        /* zone_us, given now; kept for later runs */
	ANALYZE_ZONE_ESTIMATE      /* estimate again, forgetting a given one */
};

struct analyze_options {
	int has_clock_offset;      /* use clock_offset_us instead of estimating */
	int64_t clock_offset_us;
	enum analyze_clock_zone zone;
	int64_t zone_us;           /* the log clock's offset from UTC, as a time
	                              zone's: +02:00 is 7200 s; the day is
	                              still found from the anchors or the
	                              transcript (--clock-offset) */
};

struct analyze_summary {
	int64_t claims;
	int64_t findings;
	int64_t attributed_ops;
	int64_t unattributed_ops;
	int64_t clock_offset_us;
	char clock_note[160];      /* how the offset was found */
};

int analyze_incident(struct store *st, int64_t incident,
                     const struct rules *rules,
                     const struct analyze_options *opt,
                     struct analyze_summary *sum, struct alibi_error *err);

#endif
