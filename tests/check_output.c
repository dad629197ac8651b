/*
 * check_output.c - unit tests for the --append history merge
 * (output_merge, output.h; issue 12) and the bounded count of unknown
 * hosts behind the emptiness warnings (hostcount.h).
 *
 * The merge is fed strings and writes to a memory stream, so each case
 * states the history before, this run's report and the history after,
 * byte for byte.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "hostcount.h"
#include "output.h"

#define HDR "period,gemeente,product,info\n"

/* Merges add into old; returns the result (static) or NULL when refused,
 * with the reason in err. add's rows are its lines after the header (one
 * line each here), their periods the text before the first sep, as
 * output_history takes them from the report model. */
static char err[300];
static output_merge_stats ms;
static const char *merge(const char *old, const char *add, char sep, enum ktime_by by)
{
	static char *buf;
	static char periods[16][16];
	output_row rows[16];
	size_t nrows = 0, len = 0;
	const char *p = strchr(add, '\n') + 1;
	for (; *p && nrows < 16; nrows++) {
		const char *e = strchr(p, '\n') + 1;
		rows[nrows].off = (size_t)(p - add);
		rows[nrows].len = (size_t)(e - p);
		const char *q = memchr(p, sep, (size_t)(e - p));
		snprintf(periods[nrows], sizeof periods[nrows], "%.*s",
		         (int)((q ? q : e - 1) - p), p);
		rows[nrows].period = periods[nrows];
		p = e;
	}
	free(buf);
	buf = NULL;
	FILE *f = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(f);
	err[0] = '\0';
	int rc = output_merge(old, strlen(old), add, strlen(add), rows, nrows, sep, by, f, &ms,
	                      err, sizeof err);
	ck_assert_int_eq(fclose(f), 0);
	return rc == 0 ? buf : NULL;
}

START_TEST(test_merge_new_file)
{
	/* an empty history takes the report as it is, BOM and all */
	const char *add = "\xEF\xBB\xBF" HDR "2026-03-02,Alfa,paspoort,2\n";
	ck_assert_str_eq(merge("", add, ',', KTIME_BY_DAY), add);
	ck_assert_uint_eq(ms.added, 1);
	ck_assert_uint_eq(ms.periods, 1);
}
END_TEST

START_TEST(test_merge_same_run_twice)
{
	/* the same night again: its period is replaced, not added twice */
	const char *add = HDR "2026-03-02,Alfa,paspoort,2\n2026-03-02,Beta,paspoort,1\n";
	const char *once = merge("", add, ',', KTIME_BY_DAY);
	char *copy = strdup(once);
	ck_assert_str_eq(merge(copy, add, ',', KTIME_BY_DAY), add);
	ck_assert_uint_eq(ms.replaced, 2);
	ck_assert_uint_eq(ms.kept, 0);
	free(copy);
}
END_TEST

START_TEST(test_merge_overlap)
{
	/* days 1 and 2 in the history; the run covers days 2 and 3: day 1
	 * stays byte for byte (its odd cell too), day 2 is this run's, day 3
	 * is added after it */
	const char *old = HDR "2026-03-01,Alfa,paspoort,5\n2026-03-01,\"B\"\"x\",paspoort,07\n"
	                  "2026-03-02,Alfa,paspoort,1\n2026-03-02,Beta,paspoort,1\n";
	const char *add = HDR "2026-03-02,Alfa,paspoort,3\n2026-03-03,Alfa,paspoort,4\n";
	ck_assert_str_eq(merge(old, add, ',', KTIME_BY_DAY),
	                 HDR "2026-03-01,Alfa,paspoort,5\n2026-03-01,\"B\"\"x\",paspoort,07\n"
	                 "2026-03-02,Alfa,paspoort,3\n2026-03-03,Alfa,paspoort,4\n");
	ck_assert_uint_eq(ms.kept, 2);
	ck_assert_uint_eq(ms.replaced, 2);
	ck_assert_uint_eq(ms.added, 2);
	ck_assert_uint_eq(ms.periods, 2);
}
END_TEST

START_TEST(test_merge_insert_in_order)
{
	/* a late rerun of day 2 goes between days 1 and 3, not at the end */
	const char *old = HDR "2026-03-01,Alfa,paspoort,5\n2026-03-03,Alfa,paspoort,4\n";
	const char *add = HDR "2026-03-02,Alfa,paspoort,3\n";
	ck_assert_str_eq(merge(old, add, ',', KTIME_BY_DAY),
	                 HDR "2026-03-01,Alfa,paspoort,5\n2026-03-02,Alfa,paspoort,3\n"
	                 "2026-03-03,Alfa,paspoort,4\n");
}
END_TEST

START_TEST(test_merge_separator_bom_crlf)
{
	/* a ';' history with BOM and CRLF (saved by a spreadsheet): read with
	 * the separator, header compared without BOM and CR, kept lines copied
	 * as they are; a quoted cell holding ';' and a newline is one row */
	const char *h = "period;gemeente;product;info";
	char old[400], add[400];
	snprintf(old, sizeof old, "\xEF\xBB\xBF%s\r\n2026-03-01;\"A;\nB\";paspoort;0,5\r\n"
	         "2026-03-02;Alfa;paspoort;1\r\n", h);
	snprintf(add, sizeof add, "%s\n2026-03-02;Alfa;paspoort;2\n", h);
	char want[400];
	snprintf(want, sizeof want, "\xEF\xBB\xBF%s\r\n2026-03-01;\"A;\nB\";paspoort;0,5\r\n"
	         "2026-03-02;Alfa;paspoort;2\n", h);
	ck_assert_str_eq(merge(old, add, ';', KTIME_BY_DAY), want);
	ck_assert_uint_eq(ms.kept, 1);
	/* read with ',' the ';' rows have no period cell of their own */
	ck_assert_ptr_null(merge(old, add, ',', KTIME_BY_DAY));
}
END_TEST

START_TEST(test_merge_weeks_months)
{
	const char *old = HDR "2025-W52,Alfa,paspoort,1\n2026-W01,Alfa,paspoort,1\n";
	const char *add = HDR "2026-W01,Alfa,paspoort,2\n";
	ck_assert_str_eq(merge(old, add, ',', KTIME_BY_WEEK),
	                 HDR "2025-W52,Alfa,paspoort,1\n2026-W01,Alfa,paspoort,2\n");
	ck_assert_str_eq(merge(HDR "2026-02,Alfa,paspoort,1\n", HDR "2026-03,Alfa,paspoort,2\n",
	                       ',', KTIME_BY_MONTH),
	                 HDR "2026-02,Alfa,paspoort,1\n2026-03,Alfa,paspoort,2\n");
}
END_TEST

START_TEST(test_merge_refusals)
{
	const char *add = HDR "2026-03-02,Alfa,paspoort,3\n";
	/* a history of weeks for a run by day */
	ck_assert_ptr_null(merge(HDR "2026-W09,Alfa,paspoort,1\n", add, ',', KTIME_BY_DAY));
	ck_assert_str_eq(err, "line 2: period '2026-W09' is a week, but this run counts by "
	                      "day (--by day)");
	/* months for days */
	ck_assert_ptr_null(merge(HDR "2026-02,Alfa,paspoort,1\n", add, ',', KTIME_BY_DAY));
	ck_assert_ptr_nonnull(strstr(err, "is a month"));
	/* a header of other columns */
	ck_assert_ptr_null(merge("gemeente,product,info\nAlfa,paspoort,1\n", add, ',',
	                         KTIME_BY_DAY));
	ck_assert_ptr_nonnull(strstr(err, "its header differs"));
	/* a last line cut off */
	ck_assert_ptr_null(merge(HDR "2026-03-01,Alfa,pas", add, ',', KTIME_BY_DAY));
	ck_assert_str_eq(err, "its last line is incomplete");
	/* no period at all, on line 3 */
	ck_assert_ptr_null(merge(HDR "2026-03-01,Alfa,paspoort,1\ntotaal,,,9\n", add, ',',
	                         KTIME_BY_DAY));
	ck_assert_str_eq(err, "line 3: 'totaal' is not a period (day, week or month)");
	/* a quote that never closes */
	ck_assert_ptr_null(merge(HDR "2026-03-01,\"Alfa,paspoort,1\n", add, ',', KTIME_BY_DAY));
	ck_assert_ptr_nonnull(strstr(err, "quoted cell never ends"));
}
END_TEST

START_TEST(test_merge_blank_lines)
{
	/* blank lines carry no period: dropped with the row after them when
	 * that row is replaced, kept with it otherwise */
	const char *old = HDR "2026-03-01,Alfa,paspoort,1\n\n2026-03-02,Alfa,paspoort,1\n";
	const char *add = HDR "2026-03-02,Alfa,paspoort,2\n";
	ck_assert_str_eq(merge(old, add, ',', KTIME_BY_DAY),
	                 HDR "2026-03-01,Alfa,paspoort,1\n2026-03-02,Alfa,paspoort,2\n");
}
END_TEST

START_TEST(test_hostcount_top)
{
	hostcount *a = hostcount_new(), *b = hostcount_new();
	hostcount_entry top[4];
	for (int i = 0; i < 5; i++)
		hostcount_add(a, "www.alfa.nl", 11);
	hostcount_add(a, "beta.nl", 7);
	hostcount_add(b, "beta.nl", 7);
	hostcount_add(b, "", 0);
	hostcount_add(b, "aaa.nl", 6);
	hostcount_merge(a, b);
	ck_assert_uint_eq(hostcount_total(a), 9);
	ck_assert_uint_eq(hostcount_distinct(a), 4);
	ck_assert_uint_eq(hostcount_top(a, top, 3), 3);
	ck_assert_str_eq(top[0].host, "www.alfa.nl");
	ck_assert_uint_eq(top[0].n, 5);
	ck_assert_str_eq(top[1].host, "beta.nl");
	ck_assert_uint_eq(top[1].n, 2);
	/* ties by host bytes: "" (no host) before "aaa.nl" */
	ck_assert_str_eq(top[2].host, "");
	ck_assert_uint_eq(top[2].len, 0);
	hostcount_free(a);
	hostcount_free(b);
}
END_TEST

START_TEST(test_hostcount_bounded)
{
	/* more distinct hosts than the table holds: the first ones are
	 * counted exactly, the rest only in total and untracked */
	hostcount *h = hostcount_new();
	char name[32];
	for (int i = 0; i < HOSTCOUNT_MAX + 10; i++) {
		int n = snprintf(name, sizeof name, "h%d.nl", i);
		hostcount_add(h, name, (size_t)n);
	}
	hostcount_add(h, "h0.nl", 5);
	ck_assert_uint_eq(hostcount_distinct(h), HOSTCOUNT_MAX);
	ck_assert_uint_eq(hostcount_untracked(h), 10);
	ck_assert_uint_eq(hostcount_total(h), HOSTCOUNT_MAX + 11);
	hostcount_entry top[1];
	ck_assert_uint_eq(hostcount_top(h, top, 1), 1);
	ck_assert_str_eq(top[0].host, "h0.nl");
	ck_assert_uint_eq(top[0].n, 2);
	/* a long host keeps its first bytes; same prefix, other length: two */
	char longa[100], longb[101];
	memset(longa, 'a', sizeof longa);
	memset(longb, 'a', sizeof longb);
	hostcount *l = hostcount_new();
	hostcount_add(l, longa, sizeof longa);
	hostcount_add(l, longb, sizeof longb);
	hostcount_add(l, longb, sizeof longb);
	ck_assert_uint_eq(hostcount_distinct(l), 2);
	ck_assert_uint_eq(hostcount_top(l, top, 1), 1);
	ck_assert_uint_eq(top[0].len, 101);
	ck_assert_uint_eq(strlen(top[0].host), HOSTCOUNT_KEY - 1);
	hostcount_free(l);
	hostcount_free(h);
}
END_TEST

Suite *output_suite(void)
{
	Suite *s = suite_create("output");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_merge_new_file);
	tcase_add_test(tc, test_merge_same_run_twice);
	tcase_add_test(tc, test_merge_overlap);
	tcase_add_test(tc, test_merge_insert_in_order);
	tcase_add_test(tc, test_merge_separator_bom_crlf);
	tcase_add_test(tc, test_merge_weeks_months);
	tcase_add_test(tc, test_merge_refusals);
	tcase_add_test(tc, test_merge_blank_lines);
	tcase_add_test(tc, test_hostcount_top);
	tcase_add_test(tc, test_hostcount_bounded);
	suite_add_tcase(s, tc);
	return s;
}
