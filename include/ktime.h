/*
 * ktime.h - calendar arithmetic and the time syntaxes klantreis reads.
 *
 * Days are counted from 1970-01-01 (day 0) in the proleptic Gregorian
 * calendar, so they work for any wall clock: a wall time w (seconds on the
 * logged clock) falls on day floor(w / 86400). Periods are identified by the
 * day number of their first day, which sorts them in time order.
 * All functions are thread-safe and, but for ktime_parse_bound,
 * ktime_local_day (clock and time zone) and ktime_monotonic, pure.
 */
#ifndef KR_KTIME_H
#define KR_KTIME_H

#include <stddef.h>
#include <stdint.h>

enum ktime_by { KTIME_BY_NONE = 0, KTIME_BY_DAY, KTIME_BY_WEEK, KTIME_BY_MONTH };

/* Seconds on the monotonic clock (CLOCK_MONOTONIC), for elapsed times. */
double ktime_monotonic(void);

/* Day number of y-m-d (m 1..12, d 1..31); no range check. */
int32_t ktime_days_from_civil(int64_t y, unsigned m, unsigned d);
/* Inverse of ktime_days_from_civil. */
void ktime_civil_from_days(int32_t z, int *y, unsigned *m, unsigned *d);
/* Day of a wall time (floor division, also for times before 1970). */
int32_t ktime_day(int64_t wall);
/* 1 when y-m-d hh:mm:ss is a real calendar time (leap second 60 allowed). */
int ktime_valid(int64_t y, unsigned m, unsigned d, unsigned hh, unsigned mm, unsigned ss);

/* First day of the period that holds `day`: the day itself, the Monday of
 * its ISO week, or the first of its month. Returns day for KTIME_BY_NONE. */
int32_t ktime_period_start(int32_t day, enum ktime_by by);
/* Writes the period label ("2026-11-02", "2026-W45", "2026-11") for a
 * period start into buf (at least 16 bytes). Returns buf. */
char *ktime_period_label(int32_t start, enum ktime_by by, char *buf, size_t n);

/* The word of --by for by: "day", "week" or "month"; NULL for
 * KTIME_BY_NONE. A static string. */
const char *ktime_by_word(enum ktime_by by);

/* Parses Apache's %t body "10/Oct/2000:13:55:36 -0700" (no brackets) from
 * the n bytes at p. Fills wall and instant. Returns 0, or -1 when malformed. */
int ktime_parse_clf(const char *p, size_t n, int64_t *wall, int64_t *instant_us);
/* Parses ISO-8601 "2026-11-02T10:00:00[.fff][Z|+01:00|+0100]" (also with a
 * space instead of T). Without an offset the time is taken as UTC.
 * Returns 0, or -1 when malformed. */
int ktime_parse_iso8601(const char *p, size_t n, int64_t *wall, int64_t *instant_us);
/* Parses a --since/--until bound (NUL-terminated) into a wall time:
 * "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS]", or relative to the calendar day
 * `today` (a day number): "today" and "yesterday" (00:00 of that day),
 * "-Nd" (00:00 N days before today, 0 <= N <= 100000).
 * Returns 0, or -1 when malformed. Pure. */
int ktime_parse_bound_at(const char *s, int32_t today, int64_t *wall);
/* ktime_parse_bound_at with today = the local date now (reads the clock
 * and the TZ time zone). */
int ktime_parse_bound(const char *s, int64_t *wall);
/* The day number of the local calendar date (TZ) at Unix time t. */
int32_t ktime_local_day(int64_t t);
/* Writes wall as "YYYY-MM-DD" when at midnight, else "YYYY-MM-DDTHH:MM:SS"
 * (what ktime_parse_bound reads back) into buf (at least 20 bytes).
 * Returns buf. */
char *ktime_format_bound(int64_t wall, char *buf, size_t n);
/* Parses a --window duration: "90s", "30m", "2h", "1d" or plain seconds.
 * Returns 0 and the seconds, or -1 when malformed or negative. */
int ktime_parse_duration(const char *s, int64_t *seconds);

#endif
