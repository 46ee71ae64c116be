/* records.c — names of the enumerations in alibi/records.h (these names
 * are what the workspace stores and what `findings --json` prints), and
 * when an op came after its tool call. */
#include <stdint.h>
#include <string.h>

#include "alibi/records.h"

static const char *const op_names[] = {
#define ALIBI_OP_NAME(name, doc) #name,
	ALIBI_OP_KINDS(ALIBI_OP_NAME)
#undef ALIBI_OP_NAME
};

const char *
alibi_op_name(enum alibi_op_kind kind)
{
	if ((int)kind < 0 || kind >= ALIBI_OP__COUNT)
		return "unknown";
	return op_names[kind];
}

int
alibi_op_from_name(const char *name)
{
	for (int i = 0; name && i < ALIBI_OP__COUNT; i++)
		if (strcmp(op_names[i], name) == 0)
			return i;
	return -1;
}

int
alibi_op_after_call(int64_t op_ts, int64_t call_ended)
{
	if (op_ts == ALIBI_TS_NONE || call_ended == ALIBI_TS_NONE ||
	    call_ended > INT64_MAX - ALIBI_AFTER_CALL_MARGIN_US)
		return 0;
	return op_ts > call_ended + ALIBI_AFTER_CALL_MARGIN_US;
}

static const char *const clock_names[] = { "none", "epoch", "time-of-day", "relative" };

const char *
alibi_clock_name(enum alibi_clock clock)
{
	if ((int)clock < 0 || clock > ALIBI_CLOCK_RELATIVE)
		return "none";
	return clock_names[clock];
}

static const char *const claim_names[] = { "intent", "report", "denial", "refusal", "value" };

const char *
alibi_claim_kind_name(enum alibi_claim_kind kind)
{
	if ((int)kind < 0 || kind >= ALIBI_CLAIM__COUNT)
		return "unknown";
	return claim_names[kind];
}

int
alibi_claim_kind_from_name(const char *name)
{
	for (int i = 0; name && i < ALIBI_CLAIM__COUNT; i++)
		if (strcmp(claim_names[i], name) == 0)
			return i;
	return -1;
}

static const char *const severity_names[] = { "none", "low", "medium", "high" };

const char *
alibi_severity_name(enum alibi_severity sev)
{
	if (sev < ALIBI_SEV_LOW || sev > ALIBI_SEV_HIGH)
		return "none";
	return severity_names[sev];
}

int
alibi_severity_from_name(const char *name)
{
	for (int i = ALIBI_SEV_LOW; name && i <= ALIBI_SEV_HIGH; i++)
		if (strcmp(severity_names[i], name) == 0)
			return i;
	return -1;
}
