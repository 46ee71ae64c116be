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
#include "alibi/records.h"
#include "alibi/rules.h"
#include "alibi/store.h"

/* The clock of time-of-day logs (strace -t/-tt: no date, maybe local
 * time): which zone they were written in. */
enum analyze_clock_zone {
	ANALYZE_ZONE_KEEP = 0,     /* one a reviewer gave before, else estimate */
	ANALYZE_ZONE_GIVEN,        /* zone_us, given now; kept for later runs */
	ANALYZE_ZONE_ESTIMATE      /* estimate again, forgetting a given one */
};

/* Claims found ahead of analysis.  An import stores a transcript's
 * messages long before it analyses their incident (the action logs are
 * read in between), so a thread of the caller's can find the messages'
 * claims meanwhile: claim_scans_new() makes the queue, the import adds
 * each message as it is stored (the text is copied), and the thread runs
 * claim_scans_work() with the rules analysis will use, until
 * claim_scans_finish() (after which nothing more is queued); join it,
 * then claim_scans_free().  Analysis given
 * the queue (analyze_options.ahead) takes each message's claims from it
 * when the row, text and rules are the same, and scans the others. */
struct claim_scans;
struct claim_scans *claim_scans_new(void);
void claim_scans_add_message(struct claim_scans *s, int64_t message,
                             const struct alibi_message *m);
void claim_scans_work(struct claim_scans *s, const struct rules *r);
void claim_scans_finish(struct claim_scans *s);
void claim_scans_free(struct claim_scans *s);

struct analyze_options {
	struct claim_scans *ahead;  /* messages' claims found ahead, or NULL */
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
