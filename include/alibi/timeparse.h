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

/* µs since the epoch, now. */
int64_t time_now_us(void);

#endif
