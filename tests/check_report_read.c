/*
 * check_report_read.c - unit tests for CSV reports read back and merged
 * (report_read.h), the module behind `klantreis benchmark`.
 *
 * Reports are fed as strings through fmemopen; the merged table is
 * benchmarked and printed as CSV (report_write), so each case states the
 * reports and the one report they must make, byte for byte.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "catalog.h"
#include "check_suites.h"
#include "report_read.h"

#define HDR "gemeente,product,info,form,done,form_rate,done_rate,conversion," \
	"median_conversion,rank,ranked,potential_gain\n"
#define PHDR "period," HDR

static char err[1024];
static report_merge *mg;

/* Adds report text s as file name; returns report_merge_add's result. */
static int add(const char *name, const char *s)
{
	FILE *f = fmemopen((void *)(uintptr_t)s, strlen(s), "r");
	ck_assert_ptr_nonnull(f);
	err[0] = '\0';
	int rc = report_merge_add(mg, f, name, err, sizeof err);
	fclose(f);
	return rc;
}

/* The merged table of mg, benchmarked (min_visitors 1) and written as
 * CSV; NULL when the merge refused (message in err). Static. */
static const char *merged(const catalog *cat, enum report_merge_order order, int peer)
{
	static char *buf;
	size_t len = 0;
	report_table t;
	size_t missing;
	memset(&t, 0, sizeof t);
	free(buf);
	buf = NULL;
	if (report_merge_table(mg, cat, order, &t, &missing, err, sizeof err) < 0)
		return NULL;
	t.peer = peer;
	ck_assert_int_eq(bench_compute(t.rows, t.nrows, 1, peer), 0);
	FILE *f = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(report_write(&t, REPORT_CSV, f), 0);
	fclose(f);
	free(t.rows);
	return buf;
}

static void setup(void)
{
	mg = report_merge_new();
	ck_assert_ptr_nonnull(mg);
}

static void teardown(void)
{
	report_merge_free(mg);
	mg = NULL;
}

START_TEST(test_period_labels)
{
	int32_t d;
	enum ktime_by by;
	ck_assert_int_eq(report_parse_period("2026-11-02", &d, &by), 0);
	ck_assert_int_eq(by, KTIME_BY_DAY);
	ck_assert_int_eq(d, ktime_days_from_civil(2026, 11, 2));
	/* ISO week 1 of 2026 starts on Monday 29 December 2025 */
	ck_assert_int_eq(report_parse_period("2026-W01", &d, &by), 0);
	ck_assert_int_eq(by, KTIME_BY_WEEK);
	ck_assert_int_eq(d, ktime_days_from_civil(2025, 12, 29));
	ck_assert_int_eq(report_parse_period("2026-W45", &d, &by), 0);
	ck_assert_int_eq(d, ktime_days_from_civil(2026, 11, 2));
	ck_assert_int_eq(report_parse_period("2020-W53", &d, &by), 0);
	ck_assert_int_eq(report_parse_period("2026-11", &d, &by), 0);
	ck_assert_int_eq(by, KTIME_BY_MONTH);
	ck_assert_int_eq(d, ktime_days_from_civil(2026, 11, 1));
	/* only labels analyze writes */
	ck_assert_int_eq(report_parse_period("2026-02-30", &d, &by), -1);
	ck_assert_int_eq(report_parse_period("2026-W53", &d, &by), 0);   /* 2026 has 53 */
	ck_assert_int_eq(report_parse_period("2025-W53", &d, &by), -1);
	ck_assert_int_eq(report_parse_period("2026-W00", &d, &by), -1);
	ck_assert_int_eq(report_parse_period("2026-13", &d, &by), -1);
	ck_assert_int_eq(report_parse_period("2026-1-02", &d, &by), -1);
	ck_assert_int_eq(report_parse_period("+026-11-02", &d, &by), -1);
	ck_assert_int_eq(report_parse_period("", &d, &by), -1);
}
END_TEST

START_TEST(test_merge_two_gemeenten)
{
	/* each report benchmarked alone; together the median and rank are
	 * across both: 1/2 and 3/4 give median 0.625, gain round(0.625*2)-1 */
	ck_assert_int_eq(add("a.csv", HDR "Alfa,paspoort,2,1,1,0.5000,1.0000,0.5000,0.5000,1,1,0\n"), 0);
	ck_assert_int_eq(add("b.csv", HDR "Beta,paspoort,4,3,3,0.7500,1.0000,0.7500,0.7500,1,1,0\n"), 0);
	ck_assert_uint_eq(report_merge_rows_of(mg, 0), 1);
	ck_assert_int_eq(report_merge_by(mg), KTIME_BY_NONE);
	ck_assert_str_eq(merged(NULL, REPORT_ORDER_INPUT, 0), HDR
		"Alfa,paspoort,2,1,1,0.5000,1.0000,0.5000,0.6250,2,2,0\n"
		"Beta,paspoort,4,3,3,0.7500,1.0000,0.7500,0.6250,1,2,0\n");
}
END_TEST

START_TEST(test_header_only)
{
	/* reports of runs that matched nothing: a header, no rows */
	ck_assert_int_eq(add("a.csv", PHDR), 0);
	ck_assert_int_eq(add("b.csv", PHDR), 0);
	ck_assert_uint_eq(report_merge_rows_of(mg, 1), 0);
	ck_assert_str_eq(merged(NULL, REPORT_ORDER_NAME, 0), PHDR);
}
END_TEST

START_TEST(test_merge_order)
{
	ck_assert_int_eq(add("z.csv", HDR "Zeta,paspoort,1,0,0,,,,,,,\nZeta,afval,1,0,1,,,,,,,\n"), 0);
	ck_assert_int_eq(add("a.csv", HDR "Alfa,paspoort,1,0,1,,,,,,,\nAlfa,afval,1,0,0,,,,,,,\n"), 0);
	const char *by_input = HDR
		"Zeta,paspoort,1,0,0,0.0000,,0.0000,0.5000,2,2,1\n"
		"Zeta,afval,1,0,1,0.0000,,1.0000,0.5000,1,2,0\n"
		"Alfa,paspoort,1,0,1,0.0000,,1.0000,0.5000,1,2,0\n"
		"Alfa,afval,1,0,0,0.0000,,0.0000,0.5000,2,2,1\n";
	ck_assert_str_eq(merged(NULL, REPORT_ORDER_INPUT, 0), by_input);
	const char *by_name = merged(NULL, REPORT_ORDER_NAME, 0);
	ck_assert_ptr_nonnull(by_name);
	ck_assert_str_eq(by_name, HDR
		"Alfa,paspoort,1,0,1,0.0000,,1.0000,0.5000,1,2,0\n"
		"Alfa,afval,1,0,0,0.0000,,0.0000,0.5000,2,2,1\n"
		"Zeta,paspoort,1,0,0,0.0000,,0.0000,0.5000,2,2,1\n"
		"Zeta,afval,1,0,1,0.0000,,1.0000,0.5000,1,2,0\n");
}
END_TEST

START_TEST(test_merge_periods_fill_zeros)
{
	/* one run prints every gemeente in every period that has a match:
	 * Beta's report has no 03-03, so its row there is zeros */
	ck_assert_int_eq(add("a.csv", PHDR "2026-03-02,Alfa,paspoort,1,0,1,,,,,,,\n"
	                                 "2026-03-03,Alfa,paspoort,2,0,1,,,,,,,\n"), 0);
	ck_assert_int_eq(add("b.csv", PHDR "2026-03-02,Beta,paspoort,1,0,0,,,,,,,\n"), 0);
	ck_assert_int_eq(report_merge_by(mg), KTIME_BY_DAY);
	ck_assert_str_eq(merged(NULL, REPORT_ORDER_INPUT, 0), PHDR
		"2026-03-02,Alfa,paspoort,1,0,1,0.0000,,1.0000,0.5000,1,2,0\n"
		"2026-03-02,Beta,paspoort,1,0,0,0.0000,,0.0000,0.5000,2,2,1\n"
		"2026-03-03,Alfa,paspoort,2,0,1,0.0000,,0.5000,0.5000,1,1,0\n"
		"2026-03-03,Beta,paspoort,0,0,0,,,,0.5000,,1,\n");
}
END_TEST

START_TEST(test_spreadsheet_variants)
{
	/* ';', BOM, decimal comma, CRLF, --details; names quoted and a
	 * formula-like name neutralised by report_csv_field */
	ck_assert_int_eq(add("nl.csv", "\xEF\xBB\xBF" "gemeente;product;info;form;done;form_rate;"
		"done_rate;conversion;median_conversion;rank;ranked;potential_gain;form_errors;"
		"done_errors;conversion_low;conversion_high\r\n"
		"\"Beta; Noord\";paspoort;4;2;2;0,5000;1,0000;0,5000;0,5000;1;1;0;3;1;0,1500;0,8500\r\n"
		"'=Evil;paspoort;2;2;2;1,0000;1,0000;1,0000;1,0000;1;1;0;0;0;0,3424;1,0000\r\n"), 0);
	ck_assert_int_eq(report_merge_details(mg), 1);
	const char *out = merged(NULL, REPORT_ORDER_INPUT, 0);
	ck_assert_ptr_nonnull(out);
	ck_assert_ptr_nonnull(strstr(out, "\nBeta; Noord,paspoort,4,2,2,0.5000,1.0000,0.5000,"
	                               "0.7500,2,2,1,3,1,"));
	ck_assert_ptr_nonnull(strstr(out, "\n'=Evil,paspoort,2,2,2,"));
	/* read back as it was before report_csv_field neutralised it (the
	 * CSV writer neutralises it again) */
	report_table t;
	size_t missing;
	int evil = 0;
	memset(&t, 0, sizeof t);
	ck_assert_int_eq(report_merge_table(mg, NULL, REPORT_ORDER_INPUT, &t, &missing, err,
	                                    sizeof err), 0);
	for (size_t i = 0; i < t.nrows; i++)
		evil += strcmp(t.rows[i].gemeente, "=Evil") == 0;
	free(t.rows);
	ck_assert_int_eq(evil, 1);
	/* a tab separator and a comma-separated decimal comma (quoted) */
	report_merge_free(mg);
	mg = report_merge_new();
	ck_assert_int_eq(add("tab.csv", "gemeente\tproduct\tinfo\tform\tdone\tform_rate\tdone_rate\t"
		"conversion\tmedian_conversion\trank\tranked\tpotential_gain\n"
		"Alfa\tpaspoort\t2\t0\t1\t0,0000\t\t0,5000\t0,5000\t1\t1\t0\n"), 0);
	ck_assert_int_eq(add("comma.csv", HDR
		"Beta,paspoort,2,0,2,\"0,0000\",,\"1,0000\",\"1,0000\",1,1,0\n"), 0);
	ck_assert_str_eq(merged(NULL, REPORT_ORDER_INPUT, 0), HDR
		"Alfa,paspoort,2,0,1,0.0000,,0.5000,0.7500,2,2,1\n"
		"Beta,paspoort,2,0,2,0.0000,,1.0000,0.7500,1,2,0\n");
}
END_TEST

START_TEST(test_overlap_refused)
{
	ck_assert_int_eq(add("a.csv", PHDR "2026-03-02,Alfa,paspoort,1,0,1,,,,,,,\n"), 0);
	ck_assert_int_eq(add("b.csv", PHDR "2026-03-01,Alfa,paspoort,1,0,0,,,,,,,\n"
	                                 "2026-03-02,Alfa,paspoort,3,0,1,,,,,,,\n"), 0);
	ck_assert_ptr_null(merged(NULL, REPORT_ORDER_INPUT, 0));
	ck_assert_str_eq(err, "b.csv:3: row (2026-03-02, 'Alfa', 'paspoort') is also in a.csv:2, "
	                 "both with figures above 0: each period, gemeente and product must "
	                 "come from one report");
}
END_TEST

START_TEST(test_zero_rows_add_nothing)
{
	/* parts analysed with the whole catalogue list the other gemeente
	 * with zeros: no overlap, and the figures of the other part win */
	ck_assert_int_eq(add("p1.csv", HDR "Alfa,paspoort,2,0,1,,,,,,,\nBeta,paspoort,0,0,0,,,,,,,\n"), 0);
	ck_assert_int_eq(add("p2.csv", HDR "Alfa,paspoort,0,0,0,,,,,,,\nBeta,paspoort,4,0,3,,,,,,,\n"), 0);
	ck_assert_str_eq(merged(NULL, REPORT_ORDER_INPUT, 0), HDR
		"Alfa,paspoort,2,0,1,0.0000,,0.5000,0.6250,2,2,0\n"
		"Beta,paspoort,4,0,3,0.0000,,0.7500,0.6250,1,2,0\n");
}
END_TEST

START_TEST(test_refusals)
{
	ck_assert_int_eq(add("m.csv", HDR "Alfa,paspoort,,0,1,,,,,,,\n"), -1);
	ck_assert_str_eq(err, "m.csv:2: empty 'info' cell: a count blanked by --min-cell cannot "
	                 "be re-benchmarked; make the reports without --min-cell");
	ck_assert_int_eq(add("x.csv", HDR "Alfa,paspoort,1.5,0,1,,,,,,,\n"), -1);
	ck_assert_str_eq(err, "x.csv:2: 'info' cell '1.5' is not a count");
	ck_assert_int_eq(add("r.csv", HDR "Alfa,paspoort,1,0,1\n"), -1);
	ck_assert_str_eq(err, "r.csv:2: 5 cells where the header has 12");
	ck_assert_int_eq(add("h.csv", "gemeente,host,product,info,form,done\n"), -1);
	ck_assert_str_eq(err, "h.csv:1: not a report of 'klantreis analyze --format csv': "
	                 "unknown header");
	ck_assert_int_eq(add("e.csv", ""), -1);
	ck_assert_str_eq(err, "e.csv: empty file: not a report");
	ck_assert_int_eq(add("p.csv", "product,gemeente\n"), -1);
	ck_assert_int_eq(add("q.csv", HDR "\"Alfa,paspoort,1,0,1,,,,,,,\n"), -1);
	ck_assert_ptr_nonnull(strstr(err, "malformed CSV"));
	/* columns and period kinds must agree between reports */
	report_merge_free(mg);
	mg = report_merge_new();
	ck_assert_int_eq(add("a.csv", PHDR "2026-03-02,Alfa,paspoort,1,0,1,,,,,,,\n"), 0);
	ck_assert_int_eq(add("b.csv", HDR "Beta,paspoort,1,0,1,,,,,,,\n"), -1);
	ck_assert_str_eq(err, "b.csv:1: lacks the period column of --by, unlike 'a.csv'");
	ck_assert_int_eq(add("w.csv", PHDR "2026-W10,Beta,paspoort,1,0,1,,,,,,,\n"), -1);
	ck_assert_str_eq(err, "w.csv:2: period '2026-W10' is of another --by than those of "
	                 "'a.csv':2");
}
END_TEST

START_TEST(test_catalogue_order_and_peer)
{
	const char *cs = "gemeente,host,product,info,form,done,peer\n"
		"Alfa,alfa.nl,paspoort,^/p/i,^/p/a,^/p/b,klein\n"
		"Gamma,gamma.nl,paspoort,^/p/i,^/p/a,^/p/b,groot\n"
		"Beta,beta.nl,paspoort,^/p/i,^/p/a,^/p/b,klein\n";
	FILE *f = fmemopen((void *)(uintptr_t)cs, strlen(cs), "r");
	catalog *cat = catalog_load(f, "cat.csv", err, sizeof err);
	fclose(f);
	ck_assert_ptr_nonnull(cat);
	ck_assert_int_eq(add("b.csv", HDR "Beta,paspoort,4,0,3,,,,,,,\n"), 0);
	ck_assert_int_eq(add("a.csv", HDR "Alfa,paspoort,2,0,1,,,,,,,\n"), 0);
	/* catalogue order; Gamma is in no report: zeros, as one run prints
	 * it; --peer benchmarks Alfa and Beta (klein) together */
	ck_assert_str_eq(merged(cat, REPORT_ORDER_CATALOG, 1), HDR
		"Alfa,paspoort,2,0,1,0.0000,,0.5000,0.6250,2,2,0\n"
		"Gamma,paspoort,0,0,0,,,,,,,\n"
		"Beta,paspoort,4,0,3,0.0000,,0.7500,0.6250,1,2,0\n");
	ck_assert_int_eq(add("d.csv", HDR "Delta,paspoort,1,0,1,,,,,,,\n"), 0);
	ck_assert_ptr_null(merged(cat, REPORT_ORDER_CATALOG, 1));
	ck_assert_str_eq(err, "d.csv:2: gemeente 'Delta' with product 'paspoort' is not in "
	                 "catalogue 'cat.csv'");
	catalog_free(cat);
}
END_TEST

/* A report written with the spreadsheet options reads back to the same
 * table: merged alone and benchmarked, it prints the plain CSV again. */
START_TEST(test_roundtrip_writer)
{
	report_row rows[3];
	memset(rows, 0, sizeof rows);
	const char *names[3] = { "Alfa", "-Min", "'s-Hertogenbosch" };
	for (int i = 0; i < 3; i++) {
		rows[i].period_start = ktime_days_from_civil(2026, 3, 2);
		ktime_period_label(rows[i].period_start, KTIME_BY_WEEK, rows[i].period,
		                   sizeof rows[i].period);
		rows[i].gemeente = names[i];
		rows[i].product = "paspoort";
		rows[i].n[0] = 10 * (i + 1);
		rows[i].n[1] = 5 + i;
		rows[i].n[2] = 3 * i + 1;
		rows[i].errors[1] = i;
		rows[i].errors[2] = 2 * i;
	}
	report_table t;
	memset(&t, 0, sizeof t);
	t.rows = rows;
	t.nrows = 3;
	t.by = KTIME_BY_WEEK;
	t.details = 1;
	ck_assert_int_eq(bench_compute(rows, 3, 1, 0), 0);
	char *plain = NULL, *sheet = NULL;
	size_t plen = 0, slen = 0;
	FILE *f = open_memstream(&plain, &plen);
	ck_assert_int_eq(report_write(&t, REPORT_CSV, f), 0);
	fclose(f);
	t.csv_sep = ';';
	t.decimal_comma = 1;
	t.bom = 1;
	f = open_memstream(&sheet, &slen);
	ck_assert_int_eq(report_write(&t, REPORT_CSV, f), 0);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(sheet, "'-Min"));
	ck_assert_int_eq(add("sheet.csv", sheet), 0);
	ck_assert_int_eq(report_merge_by(mg), KTIME_BY_WEEK);
	ck_assert_str_eq(merged(NULL, REPORT_ORDER_INPUT, 0), plain);
	free(plain);
	free(sheet);
}
END_TEST

Suite *report_read_suite(void)
{
	Suite *s = suite_create("report_read");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_period_labels);
	tcase_add_test(tc, test_merge_two_gemeenten);
	tcase_add_test(tc, test_header_only);
	tcase_add_test(tc, test_merge_order);
	tcase_add_test(tc, test_merge_periods_fill_zeros);
	tcase_add_test(tc, test_spreadsheet_variants);
	tcase_add_test(tc, test_overlap_refused);
	tcase_add_test(tc, test_zero_rows_add_nothing);
	tcase_add_test(tc, test_refusals);
	tcase_add_test(tc, test_catalogue_order_and_peer);
	tcase_add_test(tc, test_roundtrip_writer);
	suite_add_tcase(s, tc);
	return s;
}
