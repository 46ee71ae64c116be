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

struct analyze_options {
	int has_clock_offset;      /* use clock_offset_us instead of estimating */
	int64_t clock_offset_us;
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
