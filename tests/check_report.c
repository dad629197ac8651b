/*
 * check_report.c - unit tests for report_write and report_rate
 * (measurement.md, sections 5 and 8): exact CSV bytes, quoting, empty
 * rates, the aligned terminal table and write errors.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "report.h"

static report_row row(const char *period, const char *gemeente, const char *product,
		      int64_t info, int64_t form, int64_t done)
{
	report_row r;
	memset(&r, 0, sizeof r);
	snprintf(r.period, sizeof r.period, "%s", period);
	r.gemeente = gemeente;
	r.product = product;
	r.n[0] = info;
	r.n[1] = form;
	r.n[2] = done;
	return r;
}

static void bench(report_row *r, int eligible, double median, int ranked, int rank, int64_t gain)
{
	r->eligible = eligible;
	r->has_median = ranked > 0;
	r->median = median;
	r->ranked = ranked;
	r->rank = rank;
	r->gain = gain;
}

/* The four sample rows; bench fields set by hand (median 1/6 over the two
 * eligible rows 1/3 and 0/4). */
static void sample(report_row r[4], const char *period)
{
	r[0] = row(period, "Utrecht", "Paspoort", 3, 2, 1);
	r[1] = row(period, "Den \"Haag\", Zuid", "Paspoort", 0, 1, 0);
	r[2] = row(period, "S\xc3\xba" "dwest-Frysl\xc3\xa2n", "Paspoort", 4, 0, 0);
	r[3] = row(period, "Utrecht", "Rijbewijs", 0, 0, 0);
	double m = (0.0 + 1.0 / 3.0) / 2.0;
	bench(&r[0], 1, m, 2, 1, 0);
	bench(&r[1], 0, m, 2, 0, 0);
	bench(&r[2], 1, m, 2, 2, 1);
	bench(&r[3], 0, 0, 0, 0, 0);
}

/* Runs report_write into a memory stream; returns the malloc'd output. */
static char *render(const report_table *t, enum report_format fmt, int *ret)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(fp);
	*ret = report_write(t, fmt, fp);
	ck_assert_int_eq(fclose(fp), 0);
	return buf;
}

START_TEST(test_rate)
{
	char b[32];
	ck_assert_str_eq(report_rate(1, 3, b, sizeof b), "0.3333");
	ck_assert_str_eq(report_rate(2, 3, b, sizeof b), "0.6667");
	ck_assert_str_eq(report_rate(1, 8, b, sizeof b), "0.1250");
	ck_assert_str_eq(report_rate(0, 7, b, sizeof b), "0.0000");
	ck_assert_str_eq(report_rate(12, 5, b, sizeof b), "2.4000");
	ck_assert_str_eq(report_rate(5, 0, b, sizeof b), "");
	ck_assert_str_eq(report_rate(0, 0, b, sizeof b), "");
	ck_assert_ptr_eq(report_rate(1, 2, b, sizeof b), b);
}
END_TEST

START_TEST(test_csv)
{
	report_row r[4];
	sample(r, "");
	report_table t = { r, 4, KTIME_BY_NONE, 0, 0 };
	int ret;
	char *out = render(&t, REPORT_CSV, &ret);
	ck_assert_int_eq(ret, 0);
	ck_assert_str_eq(out,
		"gemeente,product,info,form,done,form_rate,done_rate,conversion,"
		"median_conversion,rank,ranked,potential_gain\n"
		"Utrecht,Paspoort,3,2,1,0.6667,0.5000,0.3333,0.1667,1,2,0\n"
		"\"Den \"\"Haag\"\", Zuid\",Paspoort,0,1,0,,0.0000,,0.1667,,2,\n"
		"S\xc3\xba" "dwest-Frysl\xc3\xa2n,Paspoort,4,0,0,0.0000,,0.0000,0.1667,2,2,1\n"
		"Utrecht,Rijbewijs,0,0,0,,,,,,,\n");
	free(out);
}
END_TEST

START_TEST(test_csv_period)
{
	report_row r[3];
	r[0] = row("2026-10", "Utrecht", "Paspoort", 10, 5, 4);
	r[1] = row("2026-11", "Utrecht", "Paspoort", 8, 8, 0);
	r[2] = row("2026-11", "Zwolle", "a,b\nc", 1, 2, 3);
	bench(&r[0], 1, 0.4, 1, 1, 0);
	bench(&r[1], 1, 0.0, 1, 1, 0);
	bench(&r[2], 0, 0.0, 1, 0, 0);
	report_table t = { r, 3, KTIME_BY_MONTH, 1, 0 };
	int ret;
	char *out = render(&t, REPORT_CSV, &ret);
	ck_assert_int_eq(ret, 0);
	ck_assert_str_eq(out,
		"period,gemeente,product,info,form,done,form_rate,done_rate,conversion,"
		"median_conversion,rank,ranked,potential_gain\n"
		"2026-10,Utrecht,Paspoort,10,5,4,0.5000,0.8000,0.4000,0.4000,1,1,0\n"
		"2026-11,Utrecht,Paspoort,8,8,0,1.0000,0.0000,0.0000,0.0000,1,1,0\n"
		"2026-11,Zwolle,\"a,b\nc\",1,2,3,2.0000,1.5000,3.0000,0.0000,,1,\n");
	free(out);
}
END_TEST

START_TEST(test_csv_empty)
{
	report_table t = { NULL, 0, KTIME_BY_DAY, 0, 0 };
	int ret;
	char *out = render(&t, REPORT_CSV, &ret);
	ck_assert_int_eq(ret, 0);
	ck_assert_str_eq(out, "period,gemeente,product,info,form,done,form_rate,done_rate,"
			 "conversion,median_conversion,rank,ranked,potential_gain\n");
	free(out);
}
END_TEST

/* Line k (0-based) of s, copied into buf. */
static const char *line(const char *s, int k, char *buf, size_t n)
{
	for (; k > 0 && s; k--) {
		s = strchr(s, '\n');
		if (s)
			s++;
	}
	ck_assert_ptr_nonnull(s);
	size_t len = strcspn(s, "\n");
	ck_assert_uint_lt(len, n);
	memcpy(buf, s, len);
	buf[len] = '\0';
	return buf;
}

START_TEST(test_table)
{
	report_row r[4];
	sample(r, "");
	report_table t = { r, 4, KTIME_BY_NONE, 0, 0 };
	int ret;
	char b[256];
	char *out = render(&t, REPORT_TABLE, &ret);
	ck_assert_int_eq(ret, 0);
	ck_assert_str_eq(line(out, 0, b, sizeof b),
			 "Funnel per gemeente and product (visitors, open funnel)");
	ck_assert_str_eq(line(out, 1, b, sizeof b), "");
	ck_assert_str_eq(line(out, 2, b, sizeof b),
			 "gemeente          product    info  form  done  form rate  done rate"
			 "  conversion  median  rank  gain");
	ck_assert_str_eq(line(out, 4, b, sizeof b),
			 "Utrecht           Paspoort      3     2     1      66.7%      50.0%"
			 "       33.3%   16.7%   1/2     0");
	ck_assert_str_eq(line(out, 5, b, sizeof b),
			 "Den \"Haag\", Zuid  Paspoort      0     1     0          -       0.0%"
			 "           -   16.7%     -     -");
	/* two 2-byte characters: two more bytes, same column positions */
	ck_assert_str_eq(line(out, 6, b, sizeof b),
			 "S\xc3\xba" "dwest-Frysl\xc3\xa2n   Paspoort      4     0     0       0.0%"
			 "          -        0.0%   16.7%   2/2     1");
	ck_assert_str_eq(line(out, 7, b, sizeof b),
			 "Utrecht           Rijbewijs     0     0     0          -          -"
			 "           -       -     -     -");
	ck_assert_ptr_null(strstr(out, "\t"));
	ck_assert_uint_eq(strlen(out) > 0 ? (unsigned char)out[strlen(out) - 1] : 0, '\n');
	free(out);
}
END_TEST

START_TEST(test_table_period)
{
	report_row r[2];
	r[0] = row("2026-W45", "Zwolle", "Paspoort", 100, 40, 30);
	r[1] = row("2026-W46", "Zwolle", "Paspoort", 1200, 600, 454);
	bench(&r[0], 1, 0.3, 1, 1, 0);
	bench(&r[1], 1, 0.378, 1, 1, 0);
	report_table t = { r, 2, KTIME_BY_WEEK, 1, 0 };
	int ret;
	char b[256];
	char *out = render(&t, REPORT_TABLE, &ret);
	ck_assert_int_eq(ret, 0);
	ck_assert_str_eq(line(out, 0, b, sizeof b),
			 "Funnel per gemeente and product (hits, open funnel, by week)");
	ck_assert_str_eq(line(out, 2, b, sizeof b),
			 "period    gemeente  product   info  form  done  form rate  done rate"
			 "  conversion  median  rank  gain");
	ck_assert_str_eq(line(out, 5, b, sizeof b),
			 "2026-W46  Zwolle    Paspoort  1200   600   454      50.0%      75.7%"
			 "       37.8%   37.8%   1/1     0");
	free(out);

	t.count_hits = 0;
	t.sequential = 1;
	t.by = KTIME_BY_NONE;
	out = render(&t, REPORT_TABLE, &ret);
	ck_assert_int_eq(ret, 0);
	ck_assert_str_eq(line(out, 0, b, sizeof b),
			 "Funnel per gemeente and product (visitors, sequential funnel)");
	ck_assert_str_eq(line(out, 4, b, sizeof b),
			 "Zwolle    Paspoort   100    40    30      40.0%      75.0%"
			 "       30.0%   30.0%   1/1     0");
	free(out);
}
END_TEST

START_TEST(test_write_error)
{
	report_row r[4];
	sample(r, "2026-11");
	report_table t = { r, 4, KTIME_BY_MONTH, 0, 0 };
	for (int fmt = REPORT_TABLE; fmt <= REPORT_CSV; fmt++) {
		FILE *fp = fopen("/dev/full", "w");
		ck_assert_ptr_nonnull(fp);
		errno = 0;
		ck_assert_int_eq(report_write(&t, (enum report_format)fmt, fp), -1);
		ck_assert_int_eq(errno, ENOSPC);
		fclose(fp);
	}

	/* a report larger than the stdio buffer fails during the rows */
	enum { N = 20000 };
	report_row *big = malloc(N * sizeof *big);
	ck_assert_ptr_nonnull(big);
	for (int i = 0; i < N; i++)
		big[i] = r[i % 4];
	report_table bt = { big, N, KTIME_BY_NONE, 0, 0 };
	FILE *fp = fopen("/dev/full", "w");
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(report_write(&bt, REPORT_CSV, fp), -1);
	fclose(fp);
	free(big);
}
END_TEST

Suite *report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_rate);
	tcase_add_test(tc, test_csv);
	tcase_add_test(tc, test_csv_period);
	tcase_add_test(tc, test_csv_empty);
	tcase_add_test(tc, test_table);
	tcase_add_test(tc, test_table_period);
	tcase_add_test(tc, test_write_error);
	suite_add_tcase(s, tc);
	return s;
}
