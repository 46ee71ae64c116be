/* timeparse.h — reading and writing the times logs and transcripts carry.
 * All results are microseconds (see records.h), ALIBI_TS_NONE on failure. */
#ifndef ALIBI_TIMEPARSE_H
#define ALIBI_TIMEPARSE_H

#include <stddef.h>
#include <stdint.h>

/* "2026-03-04T10:15:30.123456Z", "+02:00" offsets, a space instead of 'T',
 * fractions up to nanoseconds (truncated to µs).  Without a zone: UTC. */
int64_t time_parse_iso8601(const char *s);

/* "1577836800.123456" (epoch seconds with a fraction). */
int64_t time_parse_epoch(const char *s, size_t n);

/* "10:15:30" or "10:15:30.123456" -> µs since midnight. */
int64_t time_parse_time_of_day(const char *s, size_t n);

/* Writes "2026-03-04T10:15:30.123456Z" (buf >= 32 bytes).  ALIBI_TS_NONE
 * writes "-". */
void time_format_iso(char *buf, size_t size, int64_t us);

/* Writes "10:15:30.123" for display (buf >= 16 bytes). */
void time_format_clock(char *buf, size_t size, int64_t us);

/* Days since 1970-01-01 of a proleptic Gregorian date (m 1-12, d 1-31). */
int64_t time_days_from_civil(int64_t y, int m, int d);

/* µs since the epoch, now. */
int64_t time_now_us(void);

/* A clock's offset from UTC, as `--clock-offset` takes it: "+02:00" or
 * "-05:30" (sign and HH:MM required), or a whole number with an optional
 * unit, sign optional: "3600", "-1h", "90m", "+30s", "1500ms" (no unit:
 * seconds).  At most 24 hours either way; nothing else (no spaces, no
 * fractions, no compound "1h30m", no leading zero: "+0200" is a zone
 * missing its colon, not 200 s).  Returns 0 and *us, else -1. */
int time_parse_offset(const char *s, int64_t *us);

/* Writes an offset from UTC: "+02:00", "-05:30", "+00:00"; one that is
 * not whole minutes as "+01:00:00.005" (buf >= 24 bytes). */
void time_format_offset(char *buf, size_t size, int64_t us);

#endif
