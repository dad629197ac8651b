/*
 * check_ktime.c - unit tests for ktime: calendar arithmetic, periods and
 * the time syntaxes, relative --since/--until bounds (today, yesterday,
 * -Nd) against a given or the local date. Expected values were computed
 * by hand and checked with `date -u -d DATE +%s` (seconds / 86400 = day)
 * and `date +%G-W%V`.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check_suites.h"
#include "ktime.h"

static int32_t civil(int y, unsigned m, unsigned d)
{
	return ktime_days_from_civil(y, m, d);
}

START_TEST(test_days_from_civil)
{
	ck_assert_int_eq(civil(1970, 1, 1), 0);
	ck_assert_int_eq(civil(1970, 1, 2), 1);
	ck_assert_int_eq(civil(1969, 12, 31), -1);
	ck_assert_int_eq(civil(1969, 12, 29), -3);
	ck_assert_int_eq(civil(2026, 11, 2), 20759);
	ck_assert_int_eq(civil(2000, 2, 29), 11016);
	ck_assert_int_eq(civil(2024, 2, 29), 19782);
	ck_assert_int_eq(civil(1900, 3, 1), -25508);
	ck_assert_int_eq(civil(1600, 1, 1), -135140);
	ck_assert_int_eq(civil(2024, 12, 30), 20087);
}
END_TEST

START_TEST(test_civil_from_days)
{
	int y;
	unsigned m, d;

	ktime_civil_from_days(20759, &y, &m, &d);
	ck_assert_int_eq(y, 2026);
	ck_assert_uint_eq(m, 11);
	ck_assert_uint_eq(d, 2);
	ktime_civil_from_days(-1, &y, &m, &d);
	ck_assert_int_eq(y, 1969);
	ck_assert_uint_eq(m, 12);
	ck_assert_uint_eq(d, 31);
	ktime_civil_from_days(11016, &y, &m, &d);
	ck_assert_int_eq(y, 2000);
	ck_assert_uint_eq(m, 2);
	ck_assert_uint_eq(d, 29);
	ktime_civil_from_days(-135140, &y, &m, &d);
	ck_assert_int_eq(y, 1600);
	ck_assert_uint_eq(m, 1);
	ck_assert_uint_eq(d, 1);
}
END_TEST

START_TEST(test_civil_roundtrip)
{
	/* Every day from 1600 to 2400 maps back to itself, and consecutive
	 * days have consecutive (y, m, d). */
	int py = 0;
	unsigned pm = 0, pd = 0;
	for (int32_t z = -135140; z < 156000; z++) {
		int y;
		unsigned m, d;
		ktime_civil_from_days(z, &y, &m, &d);
		ck_assert_int_eq(ktime_days_from_civil(y, m, d), z);
		ck_assert(ktime_valid(y, m, d, 0, 0, 0));
		if (z > -135140) {
			int next = (d == 1) && (m == 1 ? y == py + 1 && pm == 12 : y == py && m == pm + 1);
			ck_assert(next || (y == py && m == pm && d == pd + 1));
		}
		py = y;
		pm = m;
		pd = d;
	}
}
END_TEST

START_TEST(test_day_floor)
{
	ck_assert_int_eq(ktime_day(0), 0);
	ck_assert_int_eq(ktime_day(86399), 0);
	ck_assert_int_eq(ktime_day(86400), 1);
	ck_assert_int_eq(ktime_day(-1), -1);
	ck_assert_int_eq(ktime_day(-86400), -1);
	ck_assert_int_eq(ktime_day(-86401), -2);
	ck_assert_int_eq(ktime_day(1793610000), 20759); /* 2026-11-02 09:00 UTC */
}
END_TEST

START_TEST(test_valid)
{
	ck_assert(ktime_valid(2024, 2, 29, 0, 0, 0));
	ck_assert(!ktime_valid(2023, 2, 29, 0, 0, 0));
	ck_assert(ktime_valid(2000, 2, 29, 0, 0, 0));
	ck_assert(!ktime_valid(1900, 2, 29, 0, 0, 0));
	ck_assert(!ktime_valid(2026, 4, 31, 0, 0, 0));
	ck_assert(ktime_valid(2026, 12, 31, 23, 59, 60));
	ck_assert(!ktime_valid(2026, 12, 31, 24, 0, 0));
	ck_assert(!ktime_valid(2026, 12, 31, 23, 60, 0));
	ck_assert(!ktime_valid(2026, 12, 31, 23, 59, 61));
	ck_assert(!ktime_valid(2026, 13, 1, 0, 0, 0));
	ck_assert(!ktime_valid(2026, 0, 1, 0, 0, 0));
	ck_assert(!ktime_valid(2026, 1, 0, 0, 0, 0));
}
END_TEST

START_TEST(test_period_start)
{
	/* 2026-11-02 is a Monday, 2026-11-08 the Sunday of that week. */
	ck_assert_int_eq(ktime_period_start(20765, KTIME_BY_WEEK), 20759);
	ck_assert_int_eq(ktime_period_start(20759, KTIME_BY_WEEK), 20759);
	ck_assert_int_eq(ktime_period_start(20766, KTIME_BY_WEEK), 20766);
	/* 1970-01-01 (Thursday) belongs to the week of Monday 1969-12-29. */
	ck_assert_int_eq(ktime_period_start(0, KTIME_BY_WEEK), -3);
	ck_assert_int_eq(ktime_period_start(-3, KTIME_BY_WEEK), -3);
	ck_assert_int_eq(ktime_period_start(-4, KTIME_BY_WEEK), -10);
	ck_assert_int_eq(ktime_period_start(20787, KTIME_BY_MONTH), 20758); /* 11-30 -> 11-01 */
	ck_assert_int_eq(ktime_period_start(20758, KTIME_BY_MONTH), 20758);
	ck_assert_int_eq(ktime_period_start(-1, KTIME_BY_MONTH), -31);      /* -> 1969-12-01 */
	ck_assert_int_eq(ktime_period_start(20765, KTIME_BY_DAY), 20765);
	ck_assert_int_eq(ktime_period_start(20765, KTIME_BY_NONE), 20765);
}
END_TEST

static const char *label(int32_t day, enum ktime_by by)
{
	static char buf[32];
	memset(buf, 'x', sizeof buf);
	return ktime_period_label(ktime_period_start(day, by), by, buf, 16);
}

START_TEST(test_period_label)
{
	ck_assert_str_eq(label(20759, KTIME_BY_DAY), "2026-11-02");
	ck_assert_str_eq(label(-1, KTIME_BY_DAY), "1969-12-31");
	ck_assert_str_eq(label(20759, KTIME_BY_WEEK), "2026-W45");
	ck_assert_str_eq(label(20765, KTIME_BY_WEEK), "2026-W45");
	ck_assert_str_eq(label(20766, KTIME_BY_WEEK), "2026-W46");
	ck_assert_str_eq(label(20758, KTIME_BY_WEEK), "2026-W44");
	/* ISO week-year differs from the calendar year around New Year. */
	ck_assert_str_eq(label(20087, KTIME_BY_WEEK), "2025-W01"); /* 2024-12-30 */
	ck_assert_str_eq(label(20093, KTIME_BY_WEEK), "2025-W01"); /* 2025-01-05 */
	ck_assert_str_eq(label(18630, KTIME_BY_WEEK), "2020-W53"); /* 2021-01-03 */
	ck_assert_str_eq(label(18624, KTIME_BY_WEEK), "2020-W53"); /* 2020-12-28 */
	ck_assert_str_eq(label(20819, KTIME_BY_WEEK), "2026-W53"); /* 2027-01-01 */
	ck_assert_str_eq(label(0, KTIME_BY_WEEK), "1970-W01");
	ck_assert_str_eq(label(19782, KTIME_BY_WEEK), "2024-W09"); /* 2024-02-29 */
	ck_assert_str_eq(label(20787, KTIME_BY_MONTH), "2026-11");
	ck_assert_str_eq(label(-1, KTIME_BY_MONTH), "1969-12");
	ck_assert_str_eq(label(0, KTIME_BY_NONE), "");
	/* A non-start day still gets the label of its period. */
	char buf[16];
	ck_assert_str_eq(ktime_period_label(20765, KTIME_BY_WEEK, buf, sizeof buf), "2026-W45");
}
END_TEST

START_TEST(test_parse_clf)
{
	int64_t w = 0, i = 0;

	ck_assert_int_eq(ktime_parse_clf("10/Oct/2000:13:55:36 -0700", 26, &w, &i), 0);
	ck_assert_int_eq(w, 971186136);                /* date -u -d '2000-10-10 13:55:36' */
	ck_assert_int_eq(i, INT64_C(971211336000000)); /* ... -0700 */
	ck_assert_int_eq(ktime_parse_clf("17/May/2015:10:05:03 +0000", 26, &w, &i), 0);
	ck_assert_int_eq(w, 1431857103);
	ck_assert_int_eq(i, INT64_C(1431857103000000));
	ck_assert_int_eq(ktime_parse_clf("17/May/2015:10:05:03 +0530", 26, &w, &i), 0);
	ck_assert_int_eq(w, 1431857103);
	ck_assert_int_eq(i, INT64_C(1431837303000000));
	ck_assert_int_eq(ktime_parse_clf("29/Feb/2024:23:59:59 +0000", 26, &w, &i), 0);
	ck_assert_int_eq(w, 1709251199);
	ck_assert_int_eq(ktime_parse_clf("31/Dec/1969:23:59:59 +0000", 26, &w, &i), 0);
	ck_assert_int_eq(w, -1);
	ck_assert_int_eq(i, -1000000);
	/* Only the n bytes given are read. */
	ck_assert_int_eq(ktime_parse_clf("01/Jan/2026:00:00:00 +0100]xyz", 26, &w, &i), 0);
	ck_assert_int_eq(w, (int64_t)ktime_days_from_civil(2026, 1, 1) * 86400);
	ck_assert_int_eq(i, (w - 3600) * 1000000);
}
END_TEST

/* ktime_parse_clf remembers the last date and zone: a time that shares
 * one of them, or the date, must still be parsed in full. */
START_TEST(test_parse_clf_memo)
{
	int64_t w = 0, i = 0, day = (int64_t)ktime_days_from_civil(2026, 11, 2) * 86400;

	ck_assert_int_eq(ktime_parse_clf("02/Nov/2026:10:00:00 +0100", 26, &w, &i), 0);
	ck_assert_int_eq(w, day + 36000);
	ck_assert_int_eq(i, (day + 32400) * 1000000);
	ck_assert_int_eq(ktime_parse_clf("02/Nov/2026:10:00:01 +0100", 26, &w, &i), 0);
	ck_assert_int_eq(w, day + 36001);
	ck_assert_int_eq(i, (day + 32401) * 1000000);
	/* same date, other zone */
	ck_assert_int_eq(ktime_parse_clf("02/Nov/2026:10:00:01 -0100", 26, &w, &i), 0);
	ck_assert_int_eq(w, day + 36001);
	ck_assert_int_eq(i, (day + 39601) * 1000000);
	/* same zone, other date */
	ck_assert_int_eq(ktime_parse_clf("03/Nov/2026:00:00:00 -0100", 26, &w, &i), 0);
	ck_assert_int_eq(w, day + 86400);
	/* a bad clock on a remembered date */
	ck_assert_int_eq(ktime_parse_clf("03/Nov/2026:24:00:00 -0100", 26, &w, &i), -1);
	ck_assert_int_eq(ktime_parse_clf("03/Nov/2026:23:60:00 -0100", 26, &w, &i), -1);
	ck_assert_int_eq(ktime_parse_clf("03/Nov/2026:23:00:61 -0100", 26, &w, &i), -1);
	ck_assert_int_eq(ktime_parse_clf("03/Nov/2026:2x:00:00 -0100", 26, &w, &i), -1);
	/* a bad date after a good one, then the good one again */
	ck_assert_int_eq(ktime_parse_clf("31/Nov/2026:00:00:00 -0100", 26, &w, &i), -1);
	ck_assert_int_eq(ktime_parse_clf("03/Nov/2026:23:59:60 -0100", 26, &w, &i), 0);
	ck_assert_int_eq(w, day + 86400 + 86400);
}
END_TEST

START_TEST(test_parse_clf_bad)
{
	static const char *bad[] = {
		"31/Feb/2026:10:00:00 +0000", /* no such day */
		"29/Feb/2023:10:00:00 +0000",
		"10/Oct/2000:25:55:36 -0700", /* hour 25 */
		"10/Oct/2000:13:60:36 -0700",
		"10/Oct/2000:13:55:61 -0700",
		"10/oct/2000:13:55:36 -0700", /* month names are case-sensitive */
		"10/Okt/2000:13:55:36 -0700",
		"10/Oct/2000:13:55:36 0700 ",
		"10/Oct/2000:13:55:36 +07:0",
		"10/Oct/2000:13:55:36 -0760", /* bad offset minutes */
		"10/Oct/2000:13:55:36 +1900", /* beyond 18:00 */
		"10/Oct/2000:13:55:36 +07a0",
		"1/Oct/2000:13:55:36 -07000",
		"10/Oct/2000 13:55:36 -0700",
		"00/Oct/2000:13:55:36 -0700",
		"10/Oct/2000:13:55:36-+0700",
	};
	int64_t w, i;
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
		ck_assert_msg(ktime_parse_clf(bad[k], strlen(bad[k]), &w, &i) == -1, "%s", bad[k]);
	ck_assert_int_eq(ktime_parse_clf("10/Oct/2000:13:55:36 -0700", 25, &w, &i), -1);
	ck_assert_int_eq(ktime_parse_clf("10/Oct/2000:13:55:36 -07000", 27, &w, &i), -1);
	ck_assert_int_eq(ktime_parse_clf("", 0, &w, &i), -1);
}
END_TEST

static int iso(const char *s, int64_t *w, int64_t *i)
{
	return ktime_parse_iso8601(s, strlen(s), w, i);
}

START_TEST(test_parse_iso8601)
{
	int64_t w = 0, i = 0;
	const int64_t base = INT64_C(20759) * 86400 + 10 * 3600; /* 2026-11-02 10:00 */

	ck_assert_int_eq(iso("2026-11-02T10:00:00", &w, &i), 0);
	ck_assert_int_eq(w, base);
	ck_assert_int_eq(i, base * 1000000);
	ck_assert_int_eq(iso("2026-11-02 10:00:00Z", &w, &i), 0);
	ck_assert_int_eq(w, base);
	ck_assert_int_eq(i, base * 1000000);
	ck_assert_int_eq(iso("2026-11-02T10:00:00+01:00", &w, &i), 0);
	ck_assert_int_eq(w, base);
	ck_assert_int_eq(i, INT64_C(1793610000) * 1000000);
	ck_assert_int_eq(iso("2026-11-02T10:00:00+0100", &w, &i), 0);
	ck_assert_int_eq(i, INT64_C(1793610000) * 1000000);
	ck_assert_int_eq(iso("2026-11-02T10:00:00-05:30", &w, &i), 0);
	ck_assert_int_eq(i, (base + 5 * 3600 + 1800) * 1000000);
	ck_assert_int_eq(iso("2026-11-02T10:00:00.123456+01:00", &w, &i), 0);
	ck_assert_int_eq(w, base);
	ck_assert_int_eq(i, INT64_C(1793610000123456));
	ck_assert_int_eq(iso("2026-11-02T10:00:00.5Z", &w, &i), 0);
	ck_assert_int_eq(i, base * 1000000 + 500000);
	ck_assert_int_eq(iso("2026-11-02T10:00:00.123456789", &w, &i), 0);
	ck_assert_int_eq(i, base * 1000000 + 123456);
	ck_assert_int_eq(iso("2026-11-02T10:00:00,25", &w, &i), 0);
	ck_assert_int_eq(i, base * 1000000 + 250000);
	ck_assert_int_eq(iso("1969-12-31T23:59:59.5Z", &w, &i), 0);
	ck_assert_int_eq(w, -1);
	ck_assert_int_eq(i, -500000);
}
END_TEST

START_TEST(test_parse_iso8601_bad)
{
	static const char *bad[] = {
		"", "2026-11-02", "2026-11-02T10:00", "2026-11-02X10:00:00",
		"2026-02-30T10:00:00", "2026-11-02T24:00:00", "2026-11-02T10:00:00.",
		"2026-11-02T10:00:00.Z", "2026-11-02T10:00:00+01", "2026-11-02T10:00:00+1:00",
		"2026-11-02T10:00:00+01:60", "2026-11-02T10:00:00+19:00", "2026-11-02T10:00:00Zx",
		"2026-11-02T10:00:00 ", "2026/11/02T10:00:00", "2026-11-02T10:00:00+01:00x",
		"2026-11-02t10:00:00",
	};
	int64_t w, i;
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
		ck_assert_msg(iso(bad[k], &w, &i) == -1, "%s", bad[k]);
	/* The length bounds the parse: a cut offset is malformed. */
	ck_assert_int_eq(ktime_parse_iso8601("2026-11-02T10:00:00+01:00", 24, &w, &i), -1);
	ck_assert_int_eq(ktime_parse_iso8601("2026-11-02T10:00:00+01:00", 19, &w, &i), 0);
}
END_TEST

START_TEST(test_parse_bound)
{
	int64_t w = 0;
	ck_assert_int_eq(ktime_parse_bound("2026-11-02", &w), 0);
	ck_assert_int_eq(w, INT64_C(20759) * 86400);
	ck_assert_int_eq(ktime_parse_bound("2026-11-02T10:30", &w), 0);
	ck_assert_int_eq(w, INT64_C(20759) * 86400 + 10 * 3600 + 30 * 60);
	ck_assert_int_eq(ktime_parse_bound("2026-11-02T10:30:15", &w), 0);
	ck_assert_int_eq(w, INT64_C(20759) * 86400 + 10 * 3600 + 30 * 60 + 15);
	ck_assert_int_eq(ktime_parse_bound("1969-12-31", &w), 0);
	ck_assert_int_eq(w, -86400);

	static const char *bad[] = {
		"", "2026-11", "2026-11-2", "2026-11-02 ", " 2026-11-02", "2026-11-02T",
		"2026-11-02T10", "2026-11-02 10:30", "2026-11-02T10:30:1", "2026-11-02T10:30:15Z",
		"2026-13-02", "2026-02-29", "2026-11-02T24:00", "2026-11-02T10:60",
		"2026-11-02T10:30:61", "2026-11-02T10:30:15.5", "2026-1a-02", "Today",
	};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
		ck_assert_msg(ktime_parse_bound(bad[k], &w) == -1, "%s", bad[k]);
}
END_TEST

START_TEST(test_parse_bound_relative)
{
	int64_t w = 0;
	const int32_t today = 20759;   /* 2026-11-02 */
	ck_assert_int_eq(ktime_parse_bound_at("today", today, &w), 0);
	ck_assert_int_eq(w, INT64_C(20759) * 86400);
	ck_assert_int_eq(ktime_parse_bound_at("yesterday", today, &w), 0);
	ck_assert_int_eq(w, INT64_C(20758) * 86400);
	ck_assert_int_eq(ktime_parse_bound_at("-0d", today, &w), 0);
	ck_assert_int_eq(w, INT64_C(20759) * 86400);
	ck_assert_int_eq(ktime_parse_bound_at("-7d", today, &w), 0);
	ck_assert_int_eq(w, INT64_C(20752) * 86400);
	ck_assert_int_eq(ktime_parse_bound_at("-01d", today, &w), 0);
	ck_assert_int_eq(w, INT64_C(20758) * 86400);
	ck_assert_int_eq(ktime_parse_bound_at("-100000d", today, &w), 0);
	ck_assert_int_eq(w, (INT64_C(20759) - 100000) * 86400);
	/* yesterday of 1 March in a leap year is 29 February: day numbers */
	ck_assert_int_eq(ktime_parse_bound_at("yesterday", ktime_days_from_civil(2028, 3, 1), &w), 0);
	ck_assert_int_eq(w, (int64_t)ktime_days_from_civil(2028, 2, 29) * 86400);
	/* absolute bounds do not depend on today */
	ck_assert_int_eq(ktime_parse_bound_at("2026-11-02T10:30", 0, &w), 0);
	ck_assert_int_eq(w, INT64_C(20759) * 86400 + 10 * 3600 + 30 * 60);

	static const char *bad[] = {
		"Today", "TODAY", "today ", " yesterday", "yesterday2", "tomorrow", "-d", "-1",
		"--1d", "-1D", "+1d", "1d", "-1h", "-1.5d", "-100001d", "-1000000d", "-1d ",
		"- 1d", "-",
	};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
		ck_assert_msg(ktime_parse_bound_at(bad[k], today, &w) == -1, "%s", bad[k]);
}
END_TEST

START_TEST(test_local_day)
{
	/* 2025-11-02T23:30:00Z (date -u -d ... +%s) is 3 November in
	 * Amsterdam (CET, +1) and 2 November in UTC and New York;
	 * 2026-06-30T22:30:00Z is 1 July under summer time (CEST, +2) */
	const char *old = getenv("TZ");
	char *saved = old ? strdup(old) : NULL;
	setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1);
	tzset();
	ck_assert_int_eq(ktime_local_day(INT64_C(1762126200)), 20395);
	ck_assert_int_eq(ktime_local_day(INT64_C(1782858600)), 20635);
	setenv("TZ", "UTC0", 1);
	tzset();
	ck_assert_int_eq(ktime_local_day(INT64_C(1762126200)), 20394);
	setenv("TZ", "EST5EDT,M3.2.0,M11.1.0", 1);
	tzset();
	ck_assert_int_eq(ktime_local_day(INT64_C(1762126200)), 20394);
	if (saved)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved);

	/* ktime_parse_bound: "today" is the local date now, midnight (the
	 * date before or after the call, should midnight pass meanwhile) */
	int64_t w = 1;
	int32_t before = ktime_local_day((int64_t)time(NULL));
	ck_assert_int_eq(ktime_parse_bound("today", &w), 0);
	int32_t after = ktime_local_day((int64_t)time(NULL));
	ck_assert_int_eq(w % 86400, 0);
	ck_assert(w / 86400 == before || w / 86400 == after);
}
END_TEST

START_TEST(test_format_bound)
{
	char b[32];
	ck_assert_str_eq(ktime_format_bound(INT64_C(20759) * 86400, b, sizeof b), "2026-11-02");
	ck_assert_str_eq(ktime_format_bound(INT64_C(20759) * 86400 + 37815, b, sizeof b),
			 "2026-11-02T10:30:15");
	ck_assert_str_eq(ktime_format_bound(-1, b, sizeof b), "1969-12-31T23:59:59");
	/* what it writes reads back */
	int64_t w;
	ck_assert_int_eq(ktime_parse_bound("2026-11-02T10:30:15", &w), 0);
	ck_assert_int_eq(w, INT64_C(20759) * 86400 + 37815);
}
END_TEST

START_TEST(test_parse_duration)
{
	int64_t s = -1;
	ck_assert_int_eq(ktime_parse_duration("90s", &s), 0);
	ck_assert_int_eq(s, 90);
	ck_assert_int_eq(ktime_parse_duration("30m", &s), 0);
	ck_assert_int_eq(s, 1800);
	ck_assert_int_eq(ktime_parse_duration("2h", &s), 0);
	ck_assert_int_eq(s, 7200);
	ck_assert_int_eq(ktime_parse_duration("1d", &s), 0);
	ck_assert_int_eq(s, 86400);
	ck_assert_int_eq(ktime_parse_duration("86400", &s), 0);
	ck_assert_int_eq(s, 86400);
	ck_assert_int_eq(ktime_parse_duration("0", &s), 0);
	ck_assert_int_eq(s, 0);
	ck_assert_int_eq(ktime_parse_duration("9223372036854775807", &s), 0);
	ck_assert_int_eq(s, INT64_MAX);

	static const char *bad[] = {
		"", "-5", "+5", "s", "5x", "5 s", " 5", "5s ", "1.5h", "5ss", "2H",
		"9223372036854775808", "106751991167301d", "99999999999999999999999",
	};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
		ck_assert_msg(ktime_parse_duration(bad[k], &s) == -1, "%s", bad[k]);
}
END_TEST

Suite *ktime_suite(void)
{
	Suite *s = suite_create("ktime");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_days_from_civil);
	tcase_add_test(tc, test_civil_from_days);
	tcase_add_test(tc, test_civil_roundtrip);
	tcase_add_test(tc, test_day_floor);
	tcase_add_test(tc, test_valid);
	tcase_add_test(tc, test_period_start);
	tcase_add_test(tc, test_period_label);
	tcase_add_test(tc, test_parse_clf);
	tcase_add_test(tc, test_parse_clf_memo);
	tcase_add_test(tc, test_parse_clf_bad);
	tcase_add_test(tc, test_parse_iso8601);
	tcase_add_test(tc, test_parse_iso8601_bad);
	tcase_add_test(tc, test_parse_bound);
	tcase_add_test(tc, test_parse_bound_relative);
	tcase_add_test(tc, test_local_day);
	tcase_add_test(tc, test_format_bound);
	tcase_add_test(tc, test_parse_duration);
	suite_add_tcase(s, tc);
	return s;
}
