/*
 * check_stats.c - unit tests for the two-proportion z-test and the Wilson
 * score interval (stats.h; klantreis(1), MEASUREMENT, "Before and after"
 * and "Errors and error bars"; issue 4), and for their use in compare's
 * rows (compare.h: empty cells, --min-cell, --alpha, the CSV and table
 * writers).
 *
 * Expected values were worked out by hand from the formulas (intermediate
 * sums shown in the comments) and their digits confirmed with Python's
 * math.erfc/math.sqrt; the Wilson bounds also with the other textbook
 * form (x + z^2/2 -/+ z sqrt(x (n - x) / n + z^2 / 4)) / (n + z^2), so the
 * code's form is checked against an independent one. Each value is
 * asserted to 1e-9 and as the 4-decimal cell the reports print.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "compare.h"
#include "stats.h"

/* The 4-decimal cell of v. */
static const char *dec4(double v, char *buf, size_t n)
{
	snprintf(buf, n, "%.4f", v);
	return buf;
}

/* Asserts that the z-test of (db/ib before, da/ia after) gives p_value
 * want (to 1e-9) and prints as cell. */
static void ztest_is(int64_t db, int64_t ib, int64_t da, int64_t ia, double want,
                     const char *cell)
{
	double p = -1.0;
	char b[32];
	ck_assert_int_eq(stats_ztest(db, ib, da, ia, &p), 1);
	ck_assert_double_eq_tol(p, want, 1e-9);
	ck_assert_str_eq(dec4(p, b, sizeof b), cell);
	/* two-sided: swapping the sides gives the same p-value */
	double q = -1.0;
	ck_assert_int_eq(stats_ztest(da, ia, db, ib, &q), 1);
	ck_assert_double_eq_tol(q, p, 1e-15);
}

static void ztest_empty(int64_t db, int64_t ib, int64_t da, int64_t ia)
{
	double p = 42.0;
	ck_assert_int_eq(stats_ztest(db, ib, da, ia, &p), 0);
	ck_assert_double_eq(p, 42.0);   /* untouched */
}

START_TEST(test_ztest_values)
{
	/* 50/100 -> 65/100: p = 115/200 = 0.575,
	 * se = sqrt(0.575 * 0.425 * (1/100 + 1/100)) = sqrt(0.0048875) = 0.0699106,
	 * z = 0.15 / 0.0699106 = 2.145596, erfc(2.145596 / sqrt 2) = 0.0319053 */
	ztest_is(50, 100, 65, 100, 0.0319052552, "0.0319");
	/* a decrease 30/100 -> 20/100: p = 0.25, se = sqrt(0.25 * 0.75 * 0.02)
	 * = 0.0612372, z = -0.1 / 0.0612372 = -1.632993, two-sided: 0.1024704 */
	ztest_is(30, 100, 20, 100, 0.1024704349, "0.1025");
	/* unequal sides 120/400 -> 150/380: p = 270/780 = 0.346154,
	 * se = sqrt(0.346154 * 0.653846 * (1/400 + 1/380)) = 0.0340799,
	 * z = (0.394737 - 0.3) / 0.0340799 = 2.779848 -> 0.0054384 */
	ztest_is(120, 400, 150, 380, 0.0054384369, "0.0054");
	/* large counts 4500/10000 -> 4600/10000: p = 0.455,
	 * se = sqrt(0.455 * 0.545 * 0.0002) = 0.00704237, z = 0.01 / se = 1.419976
	 * -> 0.1556146 */
	ztest_is(4500, 10000, 4600, 10000, 0.1556146220, "0.1556");
	/* small counts 1/3 -> 3/4: p = 4/7, se = sqrt(4/7 * 3/7 * 7/12)
	 * = sqrt(1/7) = 0.377964, z = (3/4 - 1/3) / 0.377964 = 1.102396 -> 0.2702894 */
	ztest_is(1, 3, 3, 4, 0.2702893848, "0.2703");
	/* done 0 on one side is fine as long as p is not 0: 0/5 -> 3/5,
	 * p = 0.3, se = sqrt(0.3 * 0.7 * 0.4) = 0.289828, z = 0.6 / se = 2.070197 */
	ztest_is(0, 5, 3, 5, 0.0384339302, "0.0384");
	/* done == info on one side, p below 1: 5/5 -> 4/5, p = 0.9,
	 * se = sqrt(0.9 * 0.1 * 0.4) = 0.189737, z = -0.2 / se = -1.054093 */
	ztest_is(5, 5, 4, 5, 0.2918405451, "0.2918");
	/* equal conversions 10/40 and 20/80: z = 0 exactly, erfc(0) = 1 */
	ztest_is(10, 40, 20, 80, 1.0, "1.0000");
}
END_TEST

START_TEST(test_ztest_empty)
{
	/* either info 0 */
	ztest_empty(0, 0, 5, 10);
	ztest_empty(5, 10, 0, 0);
	ztest_empty(0, 0, 0, 0);
	/* pooled p 0: nobody completed on either side */
	ztest_empty(0, 10, 0, 20);
	/* pooled p 1: everybody completed on both sides */
	ztest_empty(10, 10, 20, 20);
	/* done > info on a side (possible in the open funnel), even when the
	 * pooled p would lie inside (0, 1): 12/10 and 1/30 pool to 13/40 */
	ztest_empty(12, 10, 1, 30);
	ztest_empty(1, 30, 12, 10);
	/* negative counts never come from a funnel; still empty */
	ztest_empty(-1, 10, 5, 10);
	ztest_empty(5, 10, 5, -10);
}
END_TEST

/* Asserts the Wilson bounds of done/info (to 1e-9) and their cells. */
static void wilson_is(int64_t done, int64_t info, double lo, double hi,
                      const char *lo_cell, const char *hi_cell)
{
	double l = -1.0, h = -1.0;
	char b[32];
	ck_assert_int_eq(stats_wilson(done, info, &l, &h), 1);
	ck_assert_double_eq_tol(l, lo, 1e-9);
	ck_assert_double_eq_tol(h, hi, 1e-9);
	ck_assert_str_eq(dec4(l, b, sizeof b), lo_cell);
	ck_assert_str_eq(dec4(h, b, sizeof b), hi_cell);
	ck_assert(l <= (double)done / (double)info && (double)done / (double)info <= h);
}

START_TEST(test_wilson)
{
	/* z^2 = 1.959964^2 = 3.8414588...
	 * done 0 of 10: the lower bound is 0 (centre == half), the upper
	 * z^2/n / (1 + z^2/n) = 0.38414588 / 1.38414588 = 0.2775328 */
	wilson_is(0, 10, 0.0, 0.2775328030, "0.0000", "0.2775");
	/* done 0 of 1: 3.8414588 / 4.8414588 = 0.7934507 */
	wilson_is(0, 1, 0.0, 0.7934506882, "0.0000", "0.7935");
	/* done 0 of 100000: upper 3.8414588 / 100003.84 = 0.0000384 */
	wilson_is(0, 100000, 0.0, 0.0000384131, "0.0000", "0.0000");
	/* all done: mirror images of done 0 */
	wilson_is(10, 10, 0.7224671970, 1.0, "0.7225", "1.0000");
	wilson_is(1, 1, 0.2065493118, 1.0, "0.2065", "1.0000");
	wilson_is(2, 2, 0.3423802240, 1.0, "0.3424", "1.0000");
	/* small counts: 1/3: centre (1 + 1.9207294) / 6.8414588 = 0.4269162,
	 * half 1.959964 * sqrt(2/3 + 0.9603647) / 6.8414588 = 0.3654242 */
	wilson_is(1, 3, 0.0614919440, 0.7923404012, "0.0615", "0.7923");
	/* 3/10: centre 4.9207294 / 13.8414588 = 0.3555066,
	 * half 1.959964 * sqrt(2.1 + 0.9603647) / 13.8414588 = 0.2477153 */
	wilson_is(3, 10, 0.1077912666, 0.6032218547, "0.1078", "0.6032");
	/* 27/30 */
	wilson_is(27, 30, 0.7437891727, 0.9654001115, "0.7438", "0.9654");
	/* large: 4500/10000 -> 0.45 +- about 1.96 * sqrt(0.45 * 0.55 / 10000) */
	wilson_is(4500, 10000, 0.4402703555, 0.4597680443, "0.4403", "0.4598");
}
END_TEST

START_TEST(test_wilson_edges)
{
	double l = -1.0, h = -1.0;
	/* the done-0 lower bound is exactly +0.0, never -0.0 ("-0.0000") */
	for (int64_t n = 1; n <= 2000; n++) {
		ck_assert_int_eq(stats_wilson(0, n, &l, &h), 1);
		ck_assert(l == 0.0 && !signbit(l));
		ck_assert(h > 0.0 && h < 1.0);
		ck_assert_int_eq(stats_wilson(n, n, &l, &h), 1);
		ck_assert(h == 1.0 && l > 0.0);
	}
	/* empty: info 0, done > info, negative counts */
	l = h = 42.0;
	ck_assert_int_eq(stats_wilson(0, 0, &l, &h), 0);
	ck_assert_int_eq(stats_wilson(3, 0, &l, &h), 0);
	ck_assert_int_eq(stats_wilson(11, 10, &l, &h), 0);
	ck_assert_int_eq(stats_wilson(-1, 10, &l, &h), 0);
	ck_assert_int_eq(stats_wilson(0, -10, &l, &h), 0);
	ck_assert_double_eq(l, 42.0);
	ck_assert_double_eq(h, 42.0);
}
END_TEST

/* ---- compare rows ---- */

static compare_row crow(const char *gem, const char *prod, int64_t ib, int64_t db,
                        int64_t ia, int64_t da)
{
	compare_row r = { .gemeente = gem, .product = prod };
	r.info[COMPARE_BEFORE] = ib;
	r.done[COMPARE_BEFORE] = db;
	r.info[COMPARE_AFTER] = ia;
	r.done[COMPARE_AFTER] = da;
	return r;
}

static char *render_compare(const compare_table *t, enum report_format fmt, int *ret)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(fp);
	*ret = compare_write(t, fmt, fp);
	ck_assert_int_eq(fclose(fp), 0);
	return buf;
}

START_TEST(test_compare_csv)
{
	/* p-values from test_ztest_values: 50/100 -> 65/100 0.0319 (yes at
	 * 0.05), 30/100 -> 20/100 0.1025 (no); change 0.65 - 0.5 = 0.1500 and
	 * 0.2 - 0.3 = -0.1000 (negative: a plain number). 1/3 -> 33333/100000:
	 * 0.33333 - 0.333333.. = -0.0000033, printed as printf does: -0.0000. */
	compare_row r[6];
	r[0] = crow("Alfa", "verhuizen", 100, 50, 100, 65);
	r[1] = crow("Alfa", "parkeren", 100, 30, 100, 20);
	r[2] = crow("Beta, Noord", "verhuizen", 0, 0, 7, 1);   /* info 0 before */
	r[3] = crow("Beta, Noord", "parkeren", 10, 0, 20, 0);  /* pooled p 0 */
	r[4] = crow("=Gamma", "+x", 4, 6, 10, 5);              /* done > info */
	r[5] = crow("Delta", "p", 3, 1, 100000, 33333);
	compare_table t = { .rows = r, .nrows = 6, .alpha = 0.05 };
	int ret;
	char *out = render_compare(&t, REPORT_CSV, &ret);
	ck_assert_int_eq(ret, 0);
	ck_assert_str_eq(out,
		"gemeente,product,info_before,done_before,conversion_before,info_after,"
		"done_after,conversion_after,change,p_value,significant\n"
		"Alfa,verhuizen,100,50,0.5000,100,65,0.6500,0.1500,0.0319,yes\n"
		"Alfa,parkeren,100,30,0.3000,100,20,0.2000,-0.1000,0.1025,no\n"
		"\"Beta, Noord\",verhuizen,0,0,,7,1,0.1429,,,\n"
		"\"Beta, Noord\",parkeren,10,0,0.0000,20,0,0.0000,0.0000,,\n"
		"'=Gamma,'+x,4,6,1.5000,10,5,0.5000,-1.0000,,\n"
		"Delta,p,3,1,0.3333,100000,33333,0.3333,-0.0000,1.0000,no\n");
	free(out);

	/* --alpha: significant when p_value < alpha, before rounding:
	 * 0.0319053 is not below 0.0319 but below 0.032 */
	compare_figures f;
	t.alpha = 0.0319;
	compare_figures_of(&t, &r[0], &f);
	ck_assert(f.has_p && !f.significant);
	t.alpha = 0.032;
	compare_figures_of(&t, &r[0], &f);
	ck_assert(f.has_p && f.significant);
	t.alpha = 0.2;
	compare_figures_of(&t, &r[1], &f);
	ck_assert(f.has_p && f.significant);
	/* an empty p_value is never significant */
	compare_figures_of(&t, &r[3], &f);
	ck_assert(!f.has_p && !f.significant);

	/* the spreadsheet variants as in analyze */
	t.alpha = 0.05;
	t.nrows = 2;
	t.csv_sep = ';';
	t.decimal_comma = 1;
	t.bom = 1;
	out = render_compare(&t, REPORT_CSV, &ret);
	ck_assert_int_eq(ret, 0);
	ck_assert_str_eq(out,
		"\xEF\xBB\xBFgemeente;product;info_before;done_before;conversion_before;"
		"info_after;done_after;conversion_after;change;p_value;significant\n"
		"Alfa;verhuizen;100;50;0,5000;100;65;0,6500;0,1500;0,0319;yes\n"
		"Alfa;parkeren;100;30;0,3000;100;20;0,2000;-0,1000;0,1025;no\n");
	free(out);
}
END_TEST

START_TEST(test_compare_min_cell)
{
	/* N = 10: 1..9 hidden, 0 and 10 shown; a hidden count empties its
	 * side's conversion, the change and (any of the four) the p-value */
	compare_row r[4];
	r[0] = crow("A", "p", 10, 9, 10, 10);    /* done_before 9 = N-1 */
	r[1] = crow("A", "q", 10, 0, 30, 10);    /* 0 and N shown */
	r[2] = crow("A", "r", 9, 0, 40, 20);     /* info_before 9 hidden */
	r[3] = crow("A", "s", 0, 0, 5, 0);
	compare_table t = { .rows = r, .nrows = 4, .alpha = 0.05, .min_cell = 10 };
	int ret;
	char *out = render_compare(&t, REPORT_CSV, &ret);
	ck_assert_int_eq(ret, 0);
	/* 0/10 -> 10/30: p = 10/40, se = sqrt(0.25 * 0.75 * (1/10 + 1/30))
	 * = 0.158114, z = 0.333333 / 0.158114 = 2.108185, p-value 0.035015 */
	ck_assert_str_eq(strchr(out, '\n') + 1,
		"A,p,10,,,10,10,1.0000,,,\n"
		"A,q,10,0,0.0000,30,10,0.3333,0.3333,0.0350,yes\n"
		"A,r,,0,,40,20,0.5000,,,\n"
		"A,s,0,0,,,0,,,,\n");
	free(out);

	/* min_cell 0 and 1: nothing hidden */
	for (int n = 0; n <= 1; n++) {
		t.min_cell = n;
		compare_figures f;
		compare_figures_of(&t, &r[0], &f);
		ck_assert_int_eq(f.done[COMPARE_BEFORE], 9);
		ck_assert(f.has_conv[0] && f.has_conv[1] && f.has_change && f.has_p);
	}
}
END_TEST

START_TEST(test_compare_table)
{
	compare_row r[2];
	r[0] = crow("Alfa", "verhuizen", 100, 50, 100, 65);
	r[1] = crow("Beta", "p", 100, 30, 100, 20);
	compare_table t = { .rows = r, .nrows = 2, .alpha = 0.05, .sequential = 1, .lang = "en",
			    .from = { INT64_MIN, 1793491200 }, .to = { 1793491200, INT64_MAX } };
	int ret;
	char *out = render_compare(&t, REPORT_TABLE, &ret);
	ck_assert_int_eq(ret, 0);
	/* 1793491200 = 2026-11-01T00:00:00 (20758 days * 86400) */
	ck_assert_str_eq(out,
		"Before and after per gemeente and product (visitors, sequential funnel)\n"
		"before ..2026-11-01, after 2026-11-01..; significant when p < 0.05\n"
		"\n"
		"gemeente  product    info before  done before  conv before  info after"
		"  done after  conv after    change       p  significant\n"
		"--------  ---------  -----------  -----------  -----------  ----------"
		"  ----------  ----------  --------  ------  -----------\n"
		"Alfa      verhuizen          100           50        50.0%         100"
		"          65       65.0%  +15.0 pp  0.0319  yes\n"
		"Beta      p                  100           30        30.0%         100"
		"          20       20.0%  -10.0 pp  0.1025  no\n");
	free(out);

	/* colour: bold title, a significant rise green */
	t.color = 1;
	out = render_compare(&t, REPORT_TABLE, &ret);
	ck_assert_int_eq(ret, 0);
	ck_assert_ptr_nonnull(strstr(out, "\033[1mBefore and after"));
	ck_assert_ptr_nonnull(strstr(out, "0.0319  \033[32myes\033[0m\n"));
	ck_assert_ptr_nonnull(strstr(out, "0.1025  no\n"));
	free(out);

	/* Dutch (also the default, lang NULL): words, decimal comma */
	t.color = 0;
	t.lang = NULL;
	out = render_compare(&t, REPORT_TABLE, &ret);
	ck_assert_int_eq(ret, 0);
	ck_assert_str_eq(out,
		"Voor en na per gemeente en product (bezoekers, sequenti\xc3\xable funnel)\n"
		"voor ..2026-11-01, na 2026-11-01..; significant als p < 0,05\n"
		"\n"
		"gemeente  product    info voor  afg voor  conv voor  info na  afg na"
		"  conv na  verschil       p  significant\n"
		"--------  ---------  ---------  --------  ---------  -------  ------"
		"  -------  --------  ------  -----------\n"
		"Alfa      verhuizen        100        50      50,0%      100      65"
		"    65,0%  +15,0 pp  0,0319  ja\n"
		"Beta      p                100        30      30,0%      100      20"
		"    20,0%  -10,0 pp  0,1025  nee\n");
	free(out);

	/* 70 columns: the short titles keep more columns than the full ones
	 * (which would lose info too); the footer says what they mean and
	 * what was left out */
	t.width = 70;
	out = render_compare(&t, REPORT_TABLE, &ret);
	ck_assert_int_eq(ret, 0);
	ck_assert_ptr_nonnull(strstr(out,
		"gemeente  product    info v   voor  info n     na  verschil  sign\n"));
	ck_assert_ptr_nonnull(strstr(out,
		"Alfa      verhuizen     100  50,0%     100  65,0%  +15,0 pp  ja\n"));
	ck_assert_ptr_nonnull(strstr(out, "\nKort: info v = info voor,"));
	ck_assert_ptr_nonnull(strstr(out, "Weggelaten: afg voor, afg na, p (een\n"));
	free(out);

	/* 60: both keep six columns, but only the short titles fit; the
	 * title lines wrap */
	t.width = 60;
	out = render_compare(&t, REPORT_TABLE, &ret);
	ck_assert_int_eq(ret, 0);
	ck_assert_ptr_nonnull(strstr(out,
		"gemeente  product     voor     na  verschil  sign\n"));
	ck_assert_ptr_nonnull(strstr(out,
		"\nKort: voor = conv voor, na = conv na, sign = significant.\n"));
	ck_assert_ptr_nonnull(strstr(out, "(bezoekers, sequenti\xc3\xable\nfunnel)\n"));
	for (const char *p = out; *p; ) {
		const char *nl = strchr(p, '\n');
		size_t w = 0;
		for (const char *q = p; q < nl; q++)
			w += ((unsigned char)*q & 0xC0) != 0x80;
		ck_assert_uint_le(w, 60);
		p = nl + 1;
	}
	free(out);
}
END_TEST

START_TEST(test_compare_build)
{
	const char *g = "Alfa", *p = "verhuizen", *q = "parkeren";
	report_row b[2], a[2];
	memset(b, 0, sizeof b);
	memset(a, 0, sizeof a);
	b[0].gemeente = a[0].gemeente = g;
	b[1].gemeente = a[1].gemeente = g;
	b[0].product = a[0].product = p;
	b[1].product = a[1].product = q;
	b[0].n[0] = 10, b[0].n[1] = 7, b[0].n[2] = 5;
	a[0].n[0] = 20, a[0].n[1] = 1, a[0].n[2] = 3;
	report_table tb = { .rows = b, .nrows = 2 }, ta = { .rows = a, .nrows = 2 };
	compare_table t = { .alpha = 0.05 };
	ck_assert_int_eq(compare_build(&tb, &ta, &t), 0);
	ck_assert_uint_eq(t.nrows, 2);
	ck_assert_ptr_eq(t.rows[0].gemeente, g);
	ck_assert_ptr_eq(t.rows[1].product, q);
	/* info and done (not form) of each side */
	ck_assert_int_eq(t.rows[0].info[COMPARE_BEFORE], 10);
	ck_assert_int_eq(t.rows[0].done[COMPARE_BEFORE], 5);
	ck_assert_int_eq(t.rows[0].info[COMPARE_AFTER], 20);
	ck_assert_int_eq(t.rows[0].done[COMPARE_AFTER], 3);
	free(t.rows);

	/* different rows cannot be paired */
	a[1].product = p;
	errno = 0;
	ck_assert_int_eq(compare_build(&tb, &ta, &t), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_null(t.rows);
	ta.nrows = 1;
	ck_assert_int_eq(compare_build(&tb, &ta, &t), -1);
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

START_TEST(test_compare_write_error)
{
	compare_row r[1];
	r[0] = crow("Alfa", "verhuizen", 100, 50, 100, 65);
	compare_table t = { .rows = r, .nrows = 1, .alpha = 0.05 };
	for (int fmt = REPORT_TABLE; fmt <= REPORT_CSV; fmt++) {
		FILE *fp = fopen("/dev/full", "w");
		ck_assert_ptr_nonnull(fp);
		errno = 0;
		ck_assert_int_eq(compare_write(&t, (enum report_format)fmt, fp), -1);
		ck_assert_int_eq(errno, ENOSPC);
		fclose(fp);
	}
	/* JSON and HTML are not compare formats */
	errno = 0;
	ck_assert_int_eq(compare_write(&t, REPORT_JSON, stdout), -1);
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

Suite *stats_suite(void)
{
	Suite *s = suite_create("stats");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_ztest_values);
	tcase_add_test(tc, test_ztest_empty);
	tcase_add_test(tc, test_wilson);
	tcase_add_test(tc, test_wilson_edges);
	suite_add_tcase(s, tc);
	tc = tcase_create("compare");
	tcase_add_test(tc, test_compare_csv);
	tcase_add_test(tc, test_compare_min_cell);
	tcase_add_test(tc, test_compare_table);
	tcase_add_test(tc, test_compare_build);
	tcase_add_test(tc, test_compare_write_error);
	suite_add_tcase(s, tc);
	return s;
}
