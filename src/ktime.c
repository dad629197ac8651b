/*
 * ktime.c - calendar arithmetic and the time syntaxes klantreis reads.
 *
 * Day numbers count from 1970-01-01 (day 0) in the proleptic Gregorian
 * calendar; the conversions are Howard Hinnant's days_from_civil and
 * civil_from_days, exact for negative days too. A wall time is seconds on
 * the logged clock; its day is floor(wall / 86400). Instants are
 * microseconds since the Unix epoch (UTC).
 *
 * Invariants: every function is pure (no globals, no locale, no allocation)
 * and therefore thread-safe, except that ktime_parse_bound and
 * ktime_local_day read the clock and the time zone (localtime_r); parsers read exactly the bytes they are given
 * and accept a string only when all of it fits the syntax.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ktime.h"

#define KTIME_DAY_SECS 86400
/* Largest UTC offset accepted (ISO 8601 profiles and java.time use 18:00). */
#define KTIME_MAX_OFFSET_MIN (18 * 60)

double ktime_monotonic(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Returns the day number of y-m-d; no range check (see ktime.h). */
int32_t ktime_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;                                  /* [0, 399] */
	int64_t doy = (153 * (int64_t)(m > 2 ? m - 3 : m + 9) + 2) / 5 + (int64_t)d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;          /* [0, 146096] */
	return (int32_t)(era * 146097 + doe - 719468);
}

/* Stores the civil date of day z in *y, *m, *d (inverse of the above). */
void ktime_civil_from_days(int32_t z32, int *y, unsigned *m, unsigned *d)
{
	int64_t z = (int64_t)z32 + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;                               /* [0, 146096] */
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);        /* [0, 365] */
	int64_t mp = (5 * doy + 2) / 153;                             /* [0, 11] */
	unsigned dd = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	unsigned mm = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (mm <= 2));
	*m = mm;
	*d = dd;
}

/* Returns floor(wall / 86400) as a day number. */
int32_t ktime_day(int64_t wall)
{
	int64_t q = wall / KTIME_DAY_SECS;
	if (wall % KTIME_DAY_SECS < 0)
		q--;
	return (int32_t)q;
}

static int is_leap(int64_t y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static unsigned month_days(int64_t y, unsigned m)
{
	static const unsigned char len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : len[m - 1];
}

/* Returns 1 when y-m-d hh:mm:ss exists (second 60 allowed), else 0. */
int ktime_valid(int64_t y, unsigned m, unsigned d, unsigned hh, unsigned mm, unsigned ss)
{
	if (m < 1 || m > 12 || d < 1 || d > month_days(y, m))
		return 0;
	return hh < 24 && mm < 60 && ss <= 60;
}

/* Returns the first day of the period holding day (see ktime.h). */
int32_t ktime_period_start(int32_t day, enum ktime_by by)
{
	switch (by) {
	case KTIME_BY_WEEK: {
		/* Day 0 was a Thursday: Monday-based weekday is (day + 3) mod 7. */
		int64_t wd = ((int64_t)day + 3) % 7;
		if (wd < 0)
			wd += 7;
		return (int32_t)(day - wd);
	}
	case KTIME_BY_MONTH: {
		int y;
		unsigned m, d;
		ktime_civil_from_days(day, &y, &m, &d);
		return ktime_days_from_civil(y, m, 1);
	}
	case KTIME_BY_DAY:
	case KTIME_BY_NONE:
	default:
		return day;
	}
}

/* Writes the label of the period that holds start into buf (size n) and
 * returns buf; KTIME_BY_NONE gives "". The week label uses the ISO
 * week-year: the year of the period's Thursday. */
char *ktime_period_label(int32_t start, enum ktime_by by, char *buf, size_t n)
{
	int y;
	unsigned m, d;

	if (n == 0)
		return buf;
	start = ktime_period_start(start, by);
	switch (by) {
	case KTIME_BY_DAY:
		ktime_civil_from_days(start, &y, &m, &d);
		snprintf(buf, n, "%04d-%02u-%02u", y, m, d);
		break;
	case KTIME_BY_WEEK: {
		int32_t thu = start + 3;
		ktime_civil_from_days(thu, &y, &m, &d);
		int32_t week = (thu - ktime_days_from_civil(y, 1, 1)) / 7 + 1;
		snprintf(buf, n, "%04d-W%02d", y, (int)week);
		break;
	}
	case KTIME_BY_MONTH:
		ktime_civil_from_days(start, &y, &m, &d);
		snprintf(buf, n, "%04d-%02u", y, m);
		break;
	case KTIME_BY_NONE:
	default:
		buf[0] = '\0';
		break;
	}
	return buf;
}

/* Reads exactly k decimal digits at p into *v. Returns 0, or -1. */
static int digits(const char *p, unsigned k, unsigned *v)
{
	unsigned r = 0;
	for (unsigned i = 0; i < k; i++) {
		unsigned c = (unsigned char)p[i] - '0';
		if (c > 9)
			return -1;
		r = r * 10 + c;
	}
	*v = r;
	return 0;
}

/* Wall seconds of a validated calendar time. */
static int64_t wall_of(int64_t y, unsigned m, unsigned d, unsigned hh, unsigned mi, unsigned ss)
{
	return (int64_t)ktime_days_from_civil(y, m, d) * KTIME_DAY_SECS
		+ (int64_t)hh * 3600 + (int64_t)mi * 60 + ss;
}

/* Month number 1..12 of an English abbreviation ("Jan"), case-sensitive;
 * 0 when p is not one. */
static unsigned month_of(const char *p)
{
	static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	for (unsigned i = 0; i < 12; i++)
		if (p[0] == names[3 * i] && p[1] == names[3 * i + 1] && p[2] == names[3 * i + 2])
			return i + 1;
	return 0;
}

/* The date and zone of the last CLF time parsed on this thread: lines
 * come in time order, so thousands in a row share "dd/Mon/yyyy" and
 * "+hhmm" and only the clock needs parsing. */
static _Thread_local struct {
	char key[16];              /* bytes 0-10 and 21-25 of the last time */
	int valid;
	int64_t day_wall;          /* wall seconds of its midnight */
	int64_t off;               /* its offset in seconds */
} clf_memo;

/* Parses an Apache %t body, exactly "dd/Mon/yyyy:hh:mm:ss +hhmm" (26
 * bytes). Returns 0 with *wall and *instant_us set, or -1. */
int ktime_parse_clf(const char *p, size_t n, int64_t *wall, int64_t *instant_us)
{
	unsigned d, y, hh, mi, ss, oh, om, m;

	if (n != 26 || p[2] != '/' || p[6] != '/' || p[11] != ':' || p[14] != ':'
	    || p[17] != ':' || p[20] != ' ' || (p[21] != '+' && p[21] != '-'))
		return -1;
	if (digits(p + 12, 2, &hh) || digits(p + 15, 2, &mi) || digits(p + 18, 2, &ss) ||
	    hh >= 24 || mi >= 60 || ss > 60)
		return -1;
	int64_t clock = (int64_t)hh * 3600 + (int64_t)mi * 60 + ss;
	if (clf_memo.valid && memcmp(clf_memo.key, p, 11) == 0 &&
	    memcmp(clf_memo.key + 11, p + 21, 5) == 0) {
		*wall = clf_memo.day_wall + clock;
		*instant_us = (*wall - clf_memo.off) * 1000000;
		return 0;
	}
	if (digits(p, 2, &d) || digits(p + 7, 4, &y) || digits(p + 22, 2, &oh) ||
	    digits(p + 24, 2, &om))
		return -1;
	m = month_of(p + 3);
	if (m == 0 || !ktime_valid(y, m, d, hh, mi, ss))
		return -1;
	if (om > 59 || oh * 60 + om > KTIME_MAX_OFFSET_MIN)
		return -1;
	int64_t off = ((int64_t)oh * 3600 + om * 60) * (p[21] == '-' ? -1 : 1);
	int64_t day_wall = wall_of(y, m, d, 0, 0, 0);
	memcpy(clf_memo.key, p, 11);
	memcpy(clf_memo.key + 11, p + 21, 5);
	clf_memo.day_wall = day_wall;
	clf_memo.off = off;
	clf_memo.valid = 1;
	*wall = day_wall + clock;
	*instant_us = (*wall - off) * 1000000;
	return 0;
}

/* Parses "YYYY-MM-DD" at p (10 bytes available). Returns 0 or -1. */
static int parse_date(const char *p, unsigned *y, unsigned *m, unsigned *d)
{
	if (p[4] != '-' || p[7] != '-')
		return -1;
	if (digits(p, 4, y) || digits(p + 5, 2, m) || digits(p + 8, 2, d))
		return -1;
	return 0;
}

/* Parses ISO-8601 "YYYY-MM-DD[T ]hh:mm:ss[.f...][Z|+hh:mm|+hhmm]" from the
 * n bytes at p; the fraction (any length, '.' or ',') is truncated to
 * microseconds. No offset means UTC. Returns 0, or -1. */
int ktime_parse_iso8601(const char *p, size_t n, int64_t *wall, int64_t *instant_us)
{
	unsigned y, m, d, hh, mi, ss, oh = 0, om = 0;
	int64_t us = 0, off = 0;
	size_t i;

	if (n < 19 || parse_date(p, &y, &m, &d) || (p[10] != 'T' && p[10] != ' ')
	    || p[13] != ':' || p[16] != ':' || digits(p + 11, 2, &hh)
	    || digits(p + 14, 2, &mi) || digits(p + 17, 2, &ss))
		return -1;
	if (!ktime_valid(y, m, d, hh, mi, ss))
		return -1;
	i = 19;
	if (i < n && (p[i] == '.' || p[i] == ',')) {
		size_t start = ++i;
		int64_t scale = 100000;
		while (i < n && p[i] >= '0' && p[i] <= '9') {
			us += (p[i] - '0') * scale;
			scale /= 10;
			i++;
		}
		if (i == start)
			return -1;
	}
	if (i < n && p[i] == 'Z') {
		i++;
	} else if (i < n && (p[i] == '+' || p[i] == '-')) {
		int neg = p[i] == '-';
		i++;
		if (n - i == 5 && p[i + 2] == ':') {
			if (digits(p + i, 2, &oh) || digits(p + i + 3, 2, &om))
				return -1;
		} else if (n - i == 4) {
			if (digits(p + i, 2, &oh) || digits(p + i + 2, 2, &om))
				return -1;
		} else {
			return -1;
		}
		if (om > 59 || oh * 60 + om > KTIME_MAX_OFFSET_MIN)
			return -1;
		off = ((int64_t)oh * 3600 + om * 60) * (neg ? -1 : 1);
		i = n;
	}
	if (i != n)
		return -1;
	int64_t w = wall_of(y, m, d, hh, mi, ss);
	*wall = w;
	*instant_us = (w - off) * 1000000 + us;
	return 0;
}

/* Parses a --since/--until bound relative to day `today`: "today",
 * "yesterday", "-Nd" (N days before today, N up to 100000), or an absolute
 * "YYYY-MM-DD", "YYYY-MM-DDThh:mm" or "YYYY-MM-DDThh:mm:ss"; the whole
 * NUL-terminated string. Returns 0 and the wall time, or -1. */
int ktime_parse_bound_at(const char *s, int32_t today, int64_t *wall)
{
	unsigned y, m, d, hh = 0, mi = 0, ss = 0;
	size_t n = strlen(s);

	if (strcmp(s, "today") == 0 || strcmp(s, "yesterday") == 0) {
		*wall = ((int64_t)today - (s[0] == 'y')) * KTIME_DAY_SECS;
		return 0;
	}
	if (n >= 3 && n <= 8 && s[0] == '-' && s[n - 1] == 'd') {
		if (digits(s + 1, (unsigned)(n - 2), &d) || d > 100000)
			return -1;
		*wall = ((int64_t)today - d) * KTIME_DAY_SECS;
		return 0;
	}
	if (n != 10 && n != 16 && n != 19)
		return -1;
	if (parse_date(s, &y, &m, &d))
		return -1;
	if (n >= 16 && (s[10] != 'T' || s[13] != ':' || digits(s + 11, 2, &hh)
	                || digits(s + 14, 2, &mi)))
		return -1;
	if (n == 19 && (s[16] != ':' || digits(s + 17, 2, &ss)))
		return -1;
	if (!ktime_valid(y, m, d, hh, mi, ss))
		return -1;
	*wall = wall_of(y, m, d, hh, mi, ss);
	return 0;
}

/* The local calendar day (TZ, localtime_r) of Unix time t. */
int32_t ktime_local_day(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!localtime_r(&tt, &tm))
		return ktime_day(t);
	return ktime_days_from_civil((int64_t)tm.tm_year + 1900, (unsigned)tm.tm_mon + 1,
	                             (unsigned)tm.tm_mday);
}

/* ktime_parse_bound_at with today's local date. */
int ktime_parse_bound(const char *s, int64_t *wall)
{
	return ktime_parse_bound_at(s, ktime_local_day((int64_t)time(NULL)), wall);
}

/* Formats a wall time as a bound ktime_parse_bound reads back. */
char *ktime_format_bound(int64_t wall, char *buf, size_t n)
{
	int y;
	unsigned m, d;
	int64_t secs = wall - (int64_t)ktime_day(wall) * KTIME_DAY_SECS;
	ktime_civil_from_days(ktime_day(wall), &y, &m, &d);
	if (secs == 0)
		snprintf(buf, n, "%04d-%02u-%02u", y, m, d);
	else
		snprintf(buf, n, "%04d-%02u-%02uT%02d:%02d:%02d", y, m, d, (int)(secs / 3600),
		         (int)(secs / 60 % 60), (int)(secs % 60));
	return buf;
}

/* Parses a duration: decimal digits and an optional unit s, m, h or d.
 * Returns 0 and the seconds, or -1 when empty, signed, junk or too big. */
int ktime_parse_duration(const char *s, int64_t *seconds)
{
	int64_t v = 0, mult = 1;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (INT64_MAX - (*p - '0')) / 10)
			return -1;
		v = v * 10 + (*p - '0');
	}
	switch (*p) {
	case '\0': break;
	case 's': mult = 1; p++; break;
	case 'm': mult = 60; p++; break;
	case 'h': mult = 3600; p++; break;
	case 'd': mult = KTIME_DAY_SECS; p++; break;
	default: return -1;
	}
	if (*p != '\0' || v > INT64_MAX / mult)
		return -1;
	*seconds = v * mult;
	return 0;
}

const char *ktime_by_word(enum ktime_by by)
{
	switch (by) {
	case KTIME_BY_DAY: return "day";
	case KTIME_BY_WEEK: return "week";
	case KTIME_BY_MONTH: return "month";
	default: return NULL;
	}
}
