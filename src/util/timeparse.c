/* timeparse.c — reading and writing times (see alibi/timeparse.h).
 *
 * Dates are converted with our own days-from-civil arithmetic (proleptic
 * Gregorian calendar) rather than timegm(), which is not in C11 or POSIX
 * and depends on the TZ database.  Every parser checks each field's range
 * and every multiplication against overflow: input is untrusted. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "alibi/records.h"
#include "alibi/timeparse.h"

#define US_PER_SEC INT64_C(1000000)
#define SEC_PER_DAY INT64_C(86400)
#define US_PER_DAY (SEC_PER_DAY * US_PER_SEC)

/* A cursor over s[0..n). */
struct cursor {
	const char *s;
	size_t n, i;
};

static int
at_digit(const struct cursor *c)
{
	return c->i < c->n && c->s[c->i] >= '0' && c->s[c->i] <= '9';
}

static int
at_char(const struct cursor *c, char ch)
{
	return c->i < c->n && c->s[c->i] == ch;
}

/* Reads exactly `digits` decimal digits. */
static int
read_fixed(struct cursor *c, int digits, int *out)
{
	int v = 0;
	for (int k = 0; k < digits; k++) {
		if (!at_digit(c))
			return -1;
		v = v * 10 + (c->s[c->i++] - '0');
	}
	*out = v;
	return 0;
}

/* Reads a fraction's digits (after the '.' or ','): at least one; digits
 * past the sixth are read and dropped (truncation to µs). */
static int
read_fraction_us(struct cursor *c, int64_t *us)
{
	int64_t v = 0;
	int k = 0;
	if (!at_digit(c))
		return -1;
	for (; at_digit(c); c->i++, k++)
		if (k < 6)
			v = v * 10 + (c->s[c->i] - '0');
	for (; k < 6; k++)
		v *= 10;
	*us = v;
	return 0;
}

/* An optional ".123" or ",123" fraction. */
static int
read_optional_fraction(struct cursor *c, int64_t *us)
{
	*us = 0;
	if (!at_char(c, '.') && !at_char(c, ','))
		return 0;
	c->i++;
	return read_fraction_us(c, us);
}

static int
is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int64_t y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date: eras of 400 years
 * (146097 days) with March as the first month, so leap days come last. */
int64_t
time_days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The inverse of time_days_from_civil. */
static void
civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* "hh:mm[:ss[.frac]]" -> µs since midnight; seconds are optional only when
 * allow_no_seconds (ISO 8601 allows "10:15"). */
static int
read_clock(struct cursor *c, int allow_no_seconds, int64_t *us)
{
	int hh, mm, ss = 0;
	int64_t frac = 0;
	if (read_fixed(c, 2, &hh) || !at_char(c, ':'))
		return -1;
	c->i++;
	if (read_fixed(c, 2, &mm))
		return -1;
	if (at_char(c, ':')) {
		c->i++;
		if (read_fixed(c, 2, &ss) || read_optional_fraction(c, &frac))
			return -1;
	} else if (!allow_no_seconds) {
		return -1;
	}
	/* 60 is a leap second; it rolls into the next minute. */
	if (hh > 23 || mm > 59 || ss > 60)
		return -1;
	*us = ((int64_t)hh * 3600 + mm * 60 + ss) * US_PER_SEC + frac;
	return 0;
}

/* "Z", "+hh:mm", "+hhmm", "+hh" (or '-') -> seconds east of UTC; nothing
 * at all means UTC. */
static int
read_zone(struct cursor *c, int64_t *offset_sec)
{
	*offset_sec = 0;
	if (c->i >= c->n)
		return 0;
	char ch = c->s[c->i];
	if (ch == 'Z' || ch == 'z') {
		c->i++;
		return 0;
	}
	if (ch != '+' && ch != '-')
		return -1;
	c->i++;
	int hh, mm = 0;
	if (read_fixed(c, 2, &hh))
		return -1;
	if (at_char(c, ':'))
		c->i++;
	if (at_digit(c) && read_fixed(c, 2, &mm))
		return -1;
	if (hh > 23 || mm > 59)
		return -1;
	*offset_sec = (hh * 3600 + mm * 60) * (ch == '-' ? -1 : 1);
	return 0;
}

static int
only_spaces_left(const struct cursor *c)
{
	for (size_t k = c->i; k < c->n; k++)
		if (c->s[k] != ' ' && c->s[k] != '\t' && c->s[k] != '\r' && c->s[k] != '\n')
			return 0;
	return 1;
}

int64_t
time_parse_iso8601(const char *s)
{
	if (!s)
		return ALIBI_TS_NONE;
	struct cursor c = { s, strlen(s), 0 };
	int y, mo, d;
	if (read_fixed(&c, 4, &y) || !at_char(&c, '-'))
		return ALIBI_TS_NONE;
	c.i++;
	if (read_fixed(&c, 2, &mo) || !at_char(&c, '-'))
		return ALIBI_TS_NONE;
	c.i++;
	if (read_fixed(&c, 2, &d))
		return ALIBI_TS_NONE;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
		return ALIBI_TS_NONE;
	int64_t tod = 0, offset = 0;
	if (at_char(&c, 'T') || at_char(&c, 't') || at_char(&c, ' ')) {
		c.i++;
		if (read_clock(&c, 1, &tod) || read_zone(&c, &offset))
			return ALIBI_TS_NONE;
	}
	if (!only_spaces_left(&c))
		return ALIBI_TS_NONE;
	/* Four-digit years keep every intermediate far from overflow. */
	return (time_days_from_civil(y, mo, d) * SEC_PER_DAY - offset) * US_PER_SEC + tod;
}

int64_t
time_parse_epoch(const char *s, size_t n)
{
	/* INT64_MAX µs is about 9.2e12 s; larger second counts overflow. */
	const int64_t max_sec = INT64_MAX / US_PER_SEC - 1;
	if (!s)
		return ALIBI_TS_NONE;
	struct cursor c = { s, n, 0 };
	int negative = at_char(&c, '-');
	if (negative)
		c.i++;
	if (!at_digit(&c))
		return ALIBI_TS_NONE;
	int64_t sec = 0, frac = 0;
	for (; at_digit(&c); c.i++) {
		sec = sec * 10 + (c.s[c.i] - '0');
		if (sec > max_sec)
			return ALIBI_TS_NONE;
	}
	if (at_char(&c, '.')) {
		c.i++;
		/* "1577836800." is accepted, as printf("%.0f.") style logs write. */
		if (at_digit(&c) && read_fraction_us(&c, &frac))
			return ALIBI_TS_NONE;
	}
	if (c.i != n)
		return ALIBI_TS_NONE;
	int64_t us = sec * US_PER_SEC + frac;
	return negative ? -us : us;
}

int64_t
time_parse_time_of_day(const char *s, size_t n)
{
	if (!s)
		return ALIBI_TS_NONE;
	struct cursor c = { s, n, 0 };
	int64_t us;
	if (read_clock(&c, 0, &us) || c.i != n)
		return ALIBI_TS_NONE;
	return us;
}

/* Splits us into whole days and µs into the day, rounding toward -inf. */
static void
split_days(int64_t us, int64_t *days, int64_t *us_of_day)
{
	*days = us / US_PER_DAY;
	*us_of_day = us % US_PER_DAY;
	if (*us_of_day < 0) {
		*us_of_day += US_PER_DAY;
		(*days)--;
	}
}

void
time_format_iso(char *buf, size_t size, int64_t us)
{
	if (!buf || !size)
		return;
	if (us == ALIBI_TS_NONE) {
		snprintf(buf, size, "-");
		return;
	}
	int64_t days, rest, y;
	int m, d;
	split_days(us, &days, &rest);
	civil_from_days(days, &y, &m, &d);
	int64_t sec = rest / US_PER_SEC;
	snprintf(buf, size, "%04lld-%02d-%02dT%02d:%02d:%02d.%06dZ", (long long)y, m, d,
	         (int)(sec / 3600), (int)(sec / 60 % 60), (int)(sec % 60),
	         (int)(rest % US_PER_SEC));
}

void
time_format_clock(char *buf, size_t size, int64_t us)
{
	if (!buf || !size)
		return;
	if (us == ALIBI_TS_NONE) {
		snprintf(buf, size, "-");
		return;
	}
	int64_t days, rest;
	split_days(us, &days, &rest);
	int64_t sec = rest / US_PER_SEC;
	snprintf(buf, size, "%02d:%02d:%02d.%03d", (int)(sec / 3600), (int)(sec / 60 % 60),
	         (int)(sec % 60), (int)(rest % US_PER_SEC / 1000));
}

int64_t
time_now_us(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return ALIBI_TS_NONE;
	return (int64_t)ts.tv_sec * US_PER_SEC + ts.tv_nsec / 1000;
}

/* "+HH:MM" / "-HH:MM" after the sign (c at the first digit). */
static int
read_zone_offset(struct cursor *c, int64_t *sec)
{
	int hh, mm;
	if (read_fixed(c, 2, &hh) || !at_char(c, ':'))
		return -1;
	c->i++;
	if (read_fixed(c, 2, &mm) || hh > 24 || mm > 59)
		return -1;
	*sec = hh * INT64_C(3600) + mm * 60;
	return 0;
}

/* A whole number and an optional unit: "90", "90s", "90m", "2h", "900ms". */
static int
read_duration_us(struct cursor *c, int64_t *us)
{
	const int64_t cap = 25 * 3600 * US_PER_SEC * 1000; /* far past the bound */
	int64_t v = 0;
	if (!at_digit(c))
		return -1;
	/* "+0200" is a zone written without its colon, not 200 seconds:
	 * a number with a leading zero is refused rather than guessed at */
	if (c->s[c->i] == '0' && c->i + 1 < c->n && c->s[c->i + 1] >= '0' && c->s[c->i + 1] <= '9')
		return -1;
	for (; at_digit(c); c->i++) {
		v = v * 10 + (c->s[c->i] - '0');
		if (v > cap)
			return -1;
	}
	static const struct { const char *unit; int64_t us; } units[] = {
		{ "ms", 1000 }, { "s", US_PER_SEC }, { "m", 60 * US_PER_SEC },
		{ "h", 3600 * US_PER_SEC }, { "", US_PER_SEC },
	};
	const char *rest = c->s + c->i;
	for (size_t k = 0; k < sizeof units / sizeof units[0]; k++) {
		if (strcmp(rest, units[k].unit) != 0)
			continue;
		if (v > cap / units[k].us)
			return -1;
		*us = v * units[k].us;
		c->i = c->n;
		return 0;
	}
	return -1;
}

int
time_parse_offset(const char *s, int64_t *us)
{
	if (!s)
		return -1;
	struct cursor c = { s, strlen(s), 0 };
	int sign = 1, has_sign = 0;
	if (at_char(&c, '+') || at_char(&c, '-')) {
		sign = s[0] == '-' ? -1 : 1;
		has_sign = 1;
		c.i++;
	}
	int64_t v;
	if (has_sign && c.i + 2 < c.n && s[c.i + 2] == ':') {
		int64_t sec;
		if (read_zone_offset(&c, &sec))
			return -1;
		v = sec * US_PER_SEC;
	} else if (read_duration_us(&c, &v)) {
		return -1;
	}
	if (c.i != c.n || v > US_PER_DAY)
		return -1;
	*us = sign * v;
	return 0;
}

void
time_format_offset(char *buf, size_t size, int64_t us)
{
	if (!buf || !size)
		return;
	char sign = us < 0 ? '-' : '+';
	/* |INT64_MIN| does not fit; no offset comes near it */
	uint64_t a = us < 0 ? (uint64_t)0 - (uint64_t)us : (uint64_t)us;
	uint64_t sec = a / US_PER_SEC, frac = a % US_PER_SEC;
	if (sec % 60 == 0 && frac == 0)
		snprintf(buf, size, "%c%02llu:%02llu", sign, (unsigned long long)(sec / 3600),
		         (unsigned long long)(sec / 60 % 60));
	else if (frac % 1000 == 0)
		snprintf(buf, size, "%c%02llu:%02llu:%02llu.%03llu", sign,
		         (unsigned long long)(sec / 3600), (unsigned long long)(sec / 60 % 60),
		         (unsigned long long)(sec % 60), (unsigned long long)(frac / 1000));
	else
		snprintf(buf, size, "%c%02llu:%02llu:%02llu.%06llu", sign,
		         (unsigned long long)(sec / 3600), (unsigned long long)(sec / 60 % 60),
		         (unsigned long long)(sec % 60), (unsigned long long)frac);
}
