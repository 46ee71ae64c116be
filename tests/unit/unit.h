/* unit.h — the unit-test helper: one header, no framework.
 *
 * A test file defines `static void test_xxx(void)` functions and a main()
 * that calls RUN(test_xxx) for each, then `return unit_done();`.  Output is
 * TAP-like ("ok - name", "not ok - name" with "#  file:line: ..." lines)
 * and tests/run counts it. */
#ifndef ALIBI_UNIT_H
#define ALIBI_UNIT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <inttypes.h>
#include <unistd.h>

static int unit_failures_in_test;
static int unit_passed, unit_failed, unit_skipped;
static const char *unit_skip_reason;

static inline void
unit_fail_at(const char *file, int line, const char *what)
{
	if (unit_failures_in_test++ < 20)
		printf("#  %s:%d: %s\n", file, line, what);
}

#define CHECK(cond) do { \
	if (!(cond)) unit_fail_at(__FILE__, __LINE__, "CHECK(" #cond ") failed"); \
} while (0)

#define CHECK_INT(got, want) do { \
	long long unit_g_ = (long long)(got), unit_w_ = (long long)(want); \
	if (unit_g_ != unit_w_) { \
		char unit_m_[256]; \
		snprintf(unit_m_, sizeof unit_m_, "%s == %lld, expected %lld", #got, unit_g_, unit_w_); \
		unit_fail_at(__FILE__, __LINE__, unit_m_); \
	} \
} while (0)

#define CHECK_STR(got, want) do { \
	const char *unit_g_ = (got), *unit_w_ = (want); \
	if ((unit_g_ == NULL) != (unit_w_ == NULL) || \
	    (unit_g_ && strcmp(unit_g_, unit_w_) != 0)) { \
		char unit_m_[1024]; \
		snprintf(unit_m_, sizeof unit_m_, "%s == \"%.400s\", expected \"%.400s\"", #got, \
		         unit_g_ ? unit_g_ : "(null)", unit_w_ ? unit_w_ : "(null)"); \
		unit_fail_at(__FILE__, __LINE__, unit_m_); \
	} \
} while (0)

/* Marks the running test as skipped (call, then return from the test). */
#define SKIP(reason) (unit_skip_reason = (reason))

#define RUN(fn) unit_run(#fn, fn)

static inline void
unit_run(const char *name, void (*fn)(void))
{
	unit_failures_in_test = 0;
	unit_skip_reason = NULL;
	fn();
	fflush(stdout);
	if (unit_failures_in_test) {
		printf("not ok - %s\n", name);
		unit_failed++;
	} else if (unit_skip_reason) {
		printf("ok - %s # SKIP %s\n", name, unit_skip_reason);
		unit_skipped++;
	} else {
		printf("ok - %s\n", name);
		unit_passed++;
	}
	fflush(stdout);
}

static inline int
unit_done(void)
{
	return unit_failed ? 1 : 0;
}

/* The public fixtures (../shared/fixtures), or NULL when absent: tests that
 * need them SKIP.  tests/run sets ALIBI_FIXTURES. */
static inline const char *
unit_fixture(const char *rel, char *buf, size_t size)
{
	const char *dir = getenv("ALIBI_FIXTURES");
	if (!dir || !*dir)
		return NULL;
	snprintf(buf, size, "%s/%s", dir, rel);
	return access(buf, R_OK) == 0 ? buf : NULL;
}

/* A file under tests/data (tests/run sets ALIBI_TESTDATA). */
static inline const char *
unit_data(const char *rel, char *buf, size_t size)
{
	const char *dir = getenv("ALIBI_TESTDATA");
	snprintf(buf, size, "%s/%s", dir && *dir ? dir : "tests/data", rel);
	return buf;
}

/* A fresh temporary directory for this test (removed by the OS tmp policy;
 * tests remove what they create when they can). */
static inline const char *
unit_tmpdir(char *buf, size_t size)
{
	const char *base = getenv("TMPDIR");
	snprintf(buf, size, "%s/alibi-unit-XXXXXX", base && *base ? base : "/tmp");
	return mkdtemp(buf);
}

#endif
