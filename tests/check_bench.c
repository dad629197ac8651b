/*
 * check_bench.c - unit tests for bench_compute (klantreis(1), MEASUREMENT,
 * "Rates and benchmark").
 *
 * Every expected median, rank and gain below was computed by hand from the
 * man page's formulas; medians are compared exactly, built from the same
 * double operations the man page prescribes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "bench.h"

static report_row mk(int32_t period, const char *gemeente, const char *product,
		     const char *peer, int64_t info, int64_t done)
{
	report_row r;
	memset(&r, 0, sizeof r);
	r.period_start = period;
	r.gemeente = gemeente;
	r.product = product;
	r.peer = peer;
	r.n[0] = info;
	r.n[1] = info;
	r.n[2] = done;
	/* garbage that bench_compute must overwrite */
	r.eligible = 7;
	r.has_median = 7;
	r.median = -1.0;
	r.ranked = 77;
	r.rank = 77;
	r.gain = 777;
	return r;
}

static void expect(const report_row *r, int eligible, int has_median, double median,
		   int ranked, int rank, int64_t gain)
{
	ck_assert_int_eq(r->eligible, eligible);
	ck_assert_int_eq(r->has_median, has_median);
	if (has_median)
		ck_assert_double_eq(r->median, median);
	ck_assert_int_eq(r->ranked, ranked);
	ck_assert_int_eq(r->rank, rank);
	ck_assert_int_eq(r->gain, gain);
}

START_TEST(test_odd_count)
{
	report_row r[3] = {
		mk(0, "A", "p", NULL, 10, 5),  /* .5 */
		mk(0, "B", "p", NULL, 20, 5),  /* .25 */
		mk(0, "C", "p", NULL, 4, 3),   /* .75 */
	};
	ck_assert_int_eq(bench_compute(r, 3, 1, 0), 0);
	/* median .5: gains floor(5.5)-5=0, floor(10.5)-5=5, floor(2.5)-3 -> 0 */
	expect(&r[0], 1, 1, 0.5, 3, 2, 0);
	expect(&r[1], 1, 1, 0.5, 3, 3, 5);
	expect(&r[2], 1, 1, 0.5, 3, 1, 0);
}
END_TEST

START_TEST(test_ties_share_rank)
{
	report_row r[3] = {
		mk(0, "A", "p", NULL, 2, 1),   /* .5 */
		mk(0, "B", "p", NULL, 4, 2),   /* .5, equal fraction */
		mk(0, "C", "p", NULL, 4, 1),   /* .25 */
	};
	ck_assert_int_eq(bench_compute(r, 3, 0, 0), 0);
	expect(&r[0], 1, 1, 0.5, 3, 1, 0);   /* floor(1.5)-1 = 0 */
	expect(&r[1], 1, 1, 0.5, 3, 1, 0);   /* floor(2.5)-2 = 0 */
	expect(&r[2], 1, 1, 0.5, 3, 3, 1);   /* floor(2.5)-1 = 1 */
}
END_TEST

START_TEST(test_even_count)
{
	report_row r[4] = {
		mk(0, "A", "p", NULL, 10, 5),  /* .5 */
		mk(0, "B", "p", NULL, 10, 5),  /* .5 */
		mk(0, "C", "p", NULL, 20, 5),  /* .25 */
		mk(0, "D", "p", NULL, 10, 2),  /* .2 */
	};
	ck_assert_int_eq(bench_compute(r, 4, 1, 0), 0);
	/* sorted .2 .25 .5 .5: median (.25 + .5) / 2 = .375 */
	expect(&r[0], 1, 1, 0.375, 4, 1, 0);  /* floor(4.25)-5 < 0 */
	expect(&r[1], 1, 1, 0.375, 4, 1, 0);
	expect(&r[2], 1, 1, 0.375, 4, 3, 3);  /* floor(8.0)-5 */
	expect(&r[3], 1, 1, 0.375, 4, 4, 2);  /* floor(4.25)-2 */
}
END_TEST

START_TEST(test_min_visitors)
{
	report_row r[4] = {
		mk(0, "A", "p", NULL, 30, 15),  /* .5, eligible (30 >= 30) */
		mk(0, "B", "p", NULL, 29, 29),  /* 1.0, under the minimum */
		mk(0, "C", "p", NULL, 40, 10),  /* .25 */
		mk(0, "D", "p", NULL, 0, 0),
	};
	ck_assert_int_eq(bench_compute(r, 4, 30, 0), 0);
	/* median (.25 + .5) / 2 = .375 over A and C only */
	expect(&r[0], 1, 1, 0.375, 2, 1, 0);  /* floor(11.75)-15 < 0 */
	expect(&r[1], 0, 1, 0.375, 2, 0, 0);
	expect(&r[2], 1, 1, 0.375, 2, 2, 5);  /* floor(15.5)-10 */
	expect(&r[3], 0, 1, 0.375, 2, 0, 0);
}
END_TEST

START_TEST(test_info_zero)
{
	report_row r[3] = {
		mk(0, "A", "p", NULL, 0, 0),
		mk(0, "B", "p", NULL, 0, 3),   /* done without info: not eligible */
		mk(0, "C", "p", NULL, 5, 1),   /* .2 */
	};
	ck_assert_int_eq(bench_compute(r, 3, 0, 0), 0);
	expect(&r[0], 0, 1, 0.2, 1, 0, 0);
	expect(&r[1], 0, 1, 0.2, 1, 0, 0);
	expect(&r[2], 1, 1, 0.2, 1, 1, 0);    /* floor(1.5)-1 */
}
END_TEST

START_TEST(test_no_eligible)
{
	report_row r[3] = {
		mk(0, "A", "p", NULL, 10, 5),
		mk(0, "B", "p", NULL, 0, 0),
		mk(0, "A", "q", NULL, 30, 3),  /* other product: eligible alone */
	};
	ck_assert_int_eq(bench_compute(r, 3, 30, 0), 0);
	expect(&r[0], 0, 0, 0, 0, 0, 0);
	expect(&r[1], 0, 0, 0, 0, 0, 0);
	expect(&r[2], 1, 1, 0.1, 1, 1, 0);    /* floor(3.5)-3 */
}
END_TEST

START_TEST(test_gain_rounding_edge)
{
	report_row r[4] = {
		mk(0, "A", "p", NULL, 4, 1),   /* .25 */
		mk(0, "B", "p", NULL, 8, 2),   /* .25 */
		mk(0, "C", "p", NULL, 10, 1),  /* .1 */
		mk(0, "D", "p", NULL, 6, 0),   /* 0 */
	};
	ck_assert_int_eq(bench_compute(r, 4, 1, 0), 0);
	/* sorted 0 .1 .25 .25: median (.1 + .25) / 2.0 */
	double m = (0.1 + 0.25) / 2.0;
	expect(&r[0], 1, 1, m, 4, 1, 0);
	expect(&r[2], 1, 1, m, 4, 3, 1);      /* floor(1.75 + .5) - 1 */
	expect(&r[3], 1, 1, m, 4, 4, 1);      /* floor(1.05 + .5) - 0 */

	/* median .25 exactly: .25 * 10 + .5 = 3.0 is integral, so gain 3 - 1 */
	report_row s[3] = {
		mk(0, "A", "p", NULL, 4, 1),
		mk(0, "B", "p", NULL, 4, 1),
		mk(0, "C", "p", NULL, 10, 1),
	};
	ck_assert_int_eq(bench_compute(s, 3, 1, 0), 0);
	expect(&s[0], 1, 1, 0.25, 3, 1, 0);   /* floor(1.5) - 1 */
	expect(&s[2], 1, 1, 0.25, 3, 3, 2);
	/* .25 * 6 + .5 = 2.0: gain 2 - 2 = 0, and never negative */
	report_row u[3] = {
		mk(0, "A", "p", NULL, 4, 1),
		mk(0, "B", "p", NULL, 6, 2),
		mk(0, "C", "p", NULL, 8, 2),
	};
	ck_assert_int_eq(bench_compute(u, 3, 1, 0), 0);
	expect(&u[1], 1, 1, 0.25, 3, 1, 0);
}
END_TEST

START_TEST(test_interleaved_periods)
{
	/* distinct buffers with equal names: grouping is by name, not pointer */
	static const char p1[] = "p", p2[] = "p", p3[] = "p", q1[] = "q", q2[] = "q";
	report_row r[12] = {
		mk(100, "G1", p1, NULL, 10, 1),   /* 0 */
		mk(100, "G1", q1, NULL, 10, 9),
		mk(100, "G2", p2, NULL, 10, 2),   /* 2 */
		mk(100, "G2", q2, NULL, 10, 8),
		mk(100, "G3", p3, NULL, 10, 3),   /* 4 */
		mk(100, "G3", q1, NULL, 0, 0),
		mk(107, "G1", p1, NULL, 20, 10),  /* 6 */
		mk(107, "G1", q1, NULL, 10, 1),
		mk(107, "G2", p2, NULL, 0, 0),    /* 8 */
		mk(107, "G2", q2, NULL, 10, 1),
		mk(107, "G3", p3, NULL, 20, 5),   /* 10 */
		mk(107, "G3", q1, NULL, 10, 1),
	};
	ck_assert_int_eq(bench_compute(r, 12, 1, 0), 0);
	/* period 100, p: .1 .2 .3 -> median .2 */
	expect(&r[0], 1, 1, 0.2, 3, 3, 1);    /* floor(2.5) - 1 */
	expect(&r[2], 1, 1, 0.2, 3, 2, 0);
	expect(&r[4], 1, 1, 0.2, 3, 1, 0);
	/* period 100, q: .9 .8 -> median (.8 + .9) / 2 */
	double mq = (0.8 + 0.9) / 2.0;
	expect(&r[1], 1, 1, mq, 2, 1, 0);
	expect(&r[3], 1, 1, mq, 2, 2, 1);     /* floor(8.5.. + .5) - 8 */
	expect(&r[5], 0, 1, mq, 2, 0, 0);
	/* period 107, p: .5 .25 -> median .375 */
	expect(&r[6], 1, 1, 0.375, 2, 1, 0);
	expect(&r[8], 0, 1, 0.375, 2, 0, 0);
	expect(&r[10], 1, 1, 0.375, 2, 2, 3); /* floor(8.0) - 5 */
	/* period 107, q: three ties at .1 */
	expect(&r[7], 1, 1, 0.1, 3, 1, 0);
	expect(&r[9], 1, 1, 0.1, 3, 1, 0);
	expect(&r[11], 1, 1, 0.1, 3, 1, 0);
	/* rows are not reordered */
	ck_assert_str_eq(r[5].gemeente, "G3");
	ck_assert_int_eq(r[8].period_start, 107);
}
END_TEST

START_TEST(test_by_peer)
{
	report_row r[6] = {
		mk(0, "A", "p", "klein", 10, 5),
		mk(0, "C", "p", "groot", 10, 1),
		mk(0, "F", "p", NULL, 10, 7),
		mk(0, "B", "p", "klein", 10, 3),
		mk(0, "D", "p", "groot", 10, 2),
		mk(0, "E", "p", "groot", 10, 4),
	};
	ck_assert_int_eq(bench_compute(r, 6, 1, 1), 0);
	expect(&r[0], 1, 1, (0.3 + 0.5) / 2.0, 2, 1, 0);
	expect(&r[3], 1, 1, (0.3 + 0.5) / 2.0, 2, 2, 1);  /* floor(4.5) - 3 */
	expect(&r[1], 1, 1, 0.2, 3, 3, 1);
	expect(&r[4], 1, 1, 0.2, 3, 2, 0);
	expect(&r[5], 1, 1, 0.2, 3, 1, 0);
	expect(&r[2], 1, 1, 0.7, 1, 1, 0);

	/* without by_peer: one group .1 .2 .3 .4 .5 .7 */
	ck_assert_int_eq(bench_compute(r, 6, 1, 0), 0);
	double m = (0.3 + 0.4) / 2.0;
	expect(&r[0], 1, 1, m, 6, 2, 0);
	expect(&r[2], 1, 1, m, 6, 1, 0);
	expect(&r[1], 1, 1, m, 6, 6, 3);      /* floor(3.5 + .5) - 1 */
	expect(&r[4], 1, 1, m, 6, 5, 2);
}
END_TEST

START_TEST(test_many_rows)
{
	/* 100 gemeenten x 500 products in catalogue order (gemeente-major):
	 * gemeente g has info 128 and done g, conversion g/128 (exact), so the
	 * median is (49 + 50) / 256, rank 100 - g and gain max(0, 50 - g). */
	enum { NG = 100, NP = 500 };
	static char names[NP][16]; /* room for any int: no -Wformat-truncation */
	report_row *r = malloc(NG * NP * sizeof *r);
	ck_assert_ptr_nonnull(r);
	for (int p = 0; p < NP; p++)
		snprintf(names[p], sizeof names[p], "p%03d", p);
	for (int g = 0; g < NG; g++)
		for (int p = 0; p < NP; p++)
			r[g * NP + p] = mk(0, "G", names[p], NULL, 128, g);
	ck_assert_int_eq(bench_compute(r, NG * NP, 30, 0), 0);
	for (int g = 0; g < NG; g++) {
		for (int p = 0; p < NP; p++) {
			const report_row *x = &r[g * NP + p];
			expect(x, 1, 1, 99.0 / 256.0, NG, NG - g, g < 50 ? 50 - g : 0);
			ck_assert_ptr_eq(x->product, names[p]);
		}
	}
	free(r);
}
END_TEST

START_TEST(test_empty)
{
	ck_assert_int_eq(bench_compute(NULL, 0, 30, 0), 0);
}
END_TEST

Suite *bench_suite(void)
{
	Suite *s = suite_create("bench");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_odd_count);
	tcase_add_test(tc, test_ties_share_rank);
	tcase_add_test(tc, test_even_count);
	tcase_add_test(tc, test_min_visitors);
	tcase_add_test(tc, test_info_zero);
	tcase_add_test(tc, test_no_eligible);
	tcase_add_test(tc, test_gain_rounding_edge);
	tcase_add_test(tc, test_interleaved_periods);
	tcase_add_test(tc, test_by_peer);
	tcase_add_test(tc, test_many_rows);
	tcase_add_test(tc, test_empty);
	suite_add_tcase(s, tc);
	return s;
}
