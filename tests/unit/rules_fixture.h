/* rules_fixture.h — the shipped rules, loaded once by a test's main():
 * `if (load_default_rules()) return 1;` and `rules_free(rules);`.
 * Include after unit.h. */
#ifndef ALIBI_RULES_FIXTURE_H
#define ALIBI_RULES_FIXTURE_H

#include <stdio.h>
#include "alibi/rules.h"

static struct rules *rules;

/* Loads the shipped rules into `rules`; says why when it cannot. */
static inline int
load_default_rules(void)
{
	struct alibi_error err = { 0 };
	if (rules_load_default(&rules, &err) == 0)
		return 0;
	printf("not ok - default rules: %s\n", err.msg);
	return -1;
}

#endif
