/*
 * check_report.c - unit tests for report_write and report_model_format
 * (klantreis(1), MEASUREMENT, "Funnels" and "Rates and benchmark";
 * REPORT FORMATS, csv): exact CSV bytes, quoting, empty rates, the
 * aligned terminal table and write errors; the spreadsheet
 * CSV variants (separator, decimal comma, BOM, formula neutralising) read
 * back with libcsv, and the table's conversion bar and colour.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "check_suites.h"
#include "report.h"
#include "report_model.h"
#include "text.h"
#include "report_model.h"

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
	/* a rate of two counts as every writer prints it: 4 decimals */
	static const int64_t q[][2] = { { 1, 3 }, { 2, 3 }, { 1, 8 }, { 0, 7 }, { 12, 5 } };
	static const char *const want[] = { "0.3333", "0.6667", "0.1250", "0.0000", "2.4000" };
	char b[32];
	for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
		report_cell c = { REPORT_CELL_RATE, NULL, q[i][0], (double)q[i][0] / (double)q[i][1] };
		ck_assert_str_eq(report_model_format(&c, b, sizeof b), want[i]);
	}
	/* no denominator: an empty cell */
	report_cell e = { REPORT_CELL_EMPTY, NULL, 5, 0.0 };
	ck_assert_str_eq(report_model_format(&e, b, sizeof b), "");
}
END_TEST

START_TEST(test_csv)
{
	report_row r[4];
	sample(r, "");
	report_table t = { .rows = r, .nrows = 4, .by = KTIME_BY_NONE };
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
	report_table t = { .rows = r, .nrows = 3, .by = KTIME_BY_MONTH, .count_hits = 1 };
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
	report_table t = { .rows = NULL, .nrows = 0, .by = KTIME_BY_DAY };
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
	report_table t = { .lang = "en", .rows = r, .nrows = 4, .by = KTIME_BY_NONE };
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
	/* bar: 33.3% = 26.64 eighths -> 27: three full blocks and 3/8 */
	ck_assert_str_eq(line(out, 4, b, sizeof b),
			 "Utrecht           Paspoort      3     2     1      66.7%      50.0%"
			 "       33.3%   16.7%   1/2     0  "
			 "\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x8d");
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
	report_table t = { .lang = "en", .rows = r, .nrows = 2, .by = KTIME_BY_WEEK, .count_hits = 1 };
	int ret;
	char b[256];
	char *out = render(&t, REPORT_TABLE, &ret);
	ck_assert_int_eq(ret, 0);
	ck_assert_str_eq(line(out, 0, b, sizeof b),
			 "Funnel per gemeente and product (hits, open funnel, by week)");
	ck_assert_str_eq(line(out, 2, b, sizeof b),
			 "period    gemeente  product   info  form  done  form rate  done rate"
			 "  conversion  median  rank  gain");
	/* bar: 37.8% = 30.24 eighths -> 30: three full blocks and 6/8 */
	ck_assert_str_eq(line(out, 5, b, sizeof b),
			 "2026-W46  Zwolle    Paspoort  1200   600   454      50.0%      75.7%"
			 "       37.8%   37.8%   1/1     0  "
			 "\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x8a");
	free(out);

	t.count_hits = 0;
	t.sequential = 1;
	t.by = KTIME_BY_NONE;
	out = render(&t, REPORT_TABLE, &ret);
	ck_assert_int_eq(ret, 0);
	ck_assert_str_eq(line(out, 0, b, sizeof b),
			 "Funnel per gemeente and product (visitors, sequential funnel)");
	/* bar: 30.0% = 24 eighths: three full blocks */
	ck_assert_str_eq(line(out, 4, b, sizeof b),
			 "Zwolle    Paspoort   100    40    30      40.0%      75.0%"
			 "       30.0%   30.0%   1/1     0  \xe2\x96\x88\xe2\x96\x88\xe2\x96\x88");
	free(out);
}
END_TEST

START_TEST(test_write_error)
{
	report_row r[4];
	sample(r, "2026-11");
	report_table t = { .rows = r, .nrows = 4, .by = KTIME_BY_MONTH };
	for (int fmt = REPORT_TABLE; fmt <= REPORT_HTML; fmt++) {
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
	report_table bt = { .rows = big, .nrows = N, .by = KTIME_BY_NONE };
	FILE *fp = fopen("/dev/full", "w");
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(report_write(&bt, REPORT_CSV, fp), -1);
	fclose(fp);
	free(big);
}
END_TEST

/* ---- CSV for spreadsheets and the table's bar and colour (issue 5) ---- */

/* A CSV text as read back by libcsv: "|" between fields, "\n" after
 * each row. */
typedef struct {
	char buf[4096];
	size_t len;
	int infield;
} parsed;

static void on_cell(void *s, size_t n, void *data)
{
	parsed *p = data;
	if (p->infield++)
		p->buf[p->len++] = '|';
	ck_assert_uint_lt(p->len + n + 2, sizeof p->buf);
	if (n)
		memcpy(p->buf + p->len, s, n);
	p->len += n;
	p->buf[p->len] = '\0';
}

static void on_end(int c, void *data)
{
	parsed *p = data;
	(void)c;
	p->infield = 0;
	p->buf[p->len++] = '\n';
	p->buf[p->len] = '\0';
}

static int keep_space(unsigned char c)
{
	(void)c;
	return 0;
}

/* Parses text with separator sep into out (strict RFC 4180 quoting). */
static void parse_csv(const char *text, char sep, parsed *out)
{
	struct csv_parser cp;
	memset(out, 0, sizeof *out);
	ck_assert_int_eq(csv_init(&cp, CSV_STRICT | CSV_STRICT_FINI), 0);
	csv_set_delim(&cp, (unsigned char)sep);
	csv_set_space_func(&cp, keep_space);
	size_t n = strlen(text);
	ck_assert_uint_eq(csv_parse(&cp, text, n, on_cell, on_end, out), n);
	ck_assert_int_eq(csv_fini(&cp, on_cell, on_end, out), 0);
	csv_free(&cp);
}

START_TEST(test_csv_dutch)
{
	report_row r[4];
	sample(r, "");
	r[0].gemeente = "Noord; Zuid";
	report_table t = { .rows = r, .nrows = 4, .by = KTIME_BY_NONE };
	t.csv_sep = ';';
	t.decimal_comma = 1;
	t.bom = 1;
	int ret;
	parsed p;
	char *out = render(&t, REPORT_CSV, &ret);
	ck_assert_int_eq(ret, 0);
	/* ';' between fields: the ';' in "Noord; Zuid" and the '"' need
	 * quotes, a ',' alone (decimals) does not; BOM first */
	ck_assert_str_eq(out,
		"\xEF\xBB\xBF"
		"gemeente;product;info;form;done;form_rate;done_rate;conversion;"
		"median_conversion;rank;ranked;potential_gain\n"
		"\"Noord; Zuid\";Paspoort;3;2;1;0,6667;0,5000;0,3333;0,1667;1;2;0\n"
		"\"Den \"\"Haag\"\", Zuid\";Paspoort;0;1;0;;0,0000;;0,1667;;2;\n"
		"S\xc3\xba" "dwest-Frysl\xc3\xa2n;Paspoort;4;0;0;0,0000;;0,0000;0,1667;2;2;1\n"
		"Utrecht;Rijbewijs;0;0;0;;;;;;;\n");
	parse_csv(out + 3, ';', &p);
	ck_assert_str_eq(p.buf,
		"gemeente|product|info|form|done|form_rate|done_rate|conversion|"
		"median_conversion|rank|ranked|potential_gain\n"
		"Noord; Zuid|Paspoort|3|2|1|0,6667|0,5000|0,3333|0,1667|1|2|0\n"
		"Den \"Haag\", Zuid|Paspoort|0|1|0||0,0000||0,1667||2|\n"
		"S\xc3\xba" "dwest-Frysl\xc3\xa2n|Paspoort|4|0|0|0,0000||0,0000|0,1667|2|2|1\n"
		"Utrecht|Rijbewijs|0|0|0|||||||\n");
	free(out);

	/* a decimal comma with the ',' separator: the rates are quoted */
	t.csv_sep = ',';
	t.bom = 0;
	t.nrows = 1;
	out = render(&t, REPORT_CSV, &ret);
	ck_assert_int_eq(ret, 0);
	ck_assert_str_eq(strchr(out, '\n') + 1,
		"Noord; Zuid,Paspoort,3,2,1,\"0,6667\",\"0,5000\",\"0,3333\",\"0,1667\",1,2,0\n");
	parse_csv(out, ',', &p);
	ck_assert_str_eq(strchr(p.buf, '\n') + 1,
		"Noord; Zuid|Paspoort|3|2|1|0,6667|0,5000|0,3333|0,1667|1|2|0\n");
	free(out);

	/* a tab separator, decimal point */
	t.csv_sep = '\t';
	t.decimal_comma = 0;
	out = render(&t, REPORT_CSV, &ret);
	ck_assert_int_eq(ret, 0);
	ck_assert_str_eq(strchr(out, '\n') + 1,
		"Noord; Zuid\tPaspoort\t3\t2\t1\t0.6667\t0.5000\t0.3333\t0.1667\t1\t2\t0\n");
	free(out);
}
END_TEST

START_TEST(test_csv_formula)
{
	/* every text cell starting with = + - @ tab or CR gets a leading ';
	 * other cells, and all numbers, stay as they are */
	report_row r[6];
	r[0] = row("", "=HYPERLINK(\"http://x\")", "+31", 5, 4, 3);
	r[1] = row("", "-2", "@SUM(A1)", 1, 0, 0);
	r[2] = row("", "\tTab", "\rCR", 0, 0, 0);
	r[3] = row("", "A=B", "x-y", 0, 0, 0);
	r[4] = row("", "'quoted", "", 0, 0, 0);
	r[5] = row("", "-", "=", 0, 0, 0);
	report_table t = { .rows = r, .nrows = 6, .by = KTIME_BY_NONE };
	int ret;
	parsed p;
	char *out = render(&t, REPORT_CSV, &ret);
	ck_assert_int_eq(ret, 0);
	ck_assert_str_eq(strchr(out, '\n') + 1,
		"\"'=HYPERLINK(\"\"http://x\"\")\",'+31,5,4,3,0.8000,0.7500,0.6000,,,,\n"
		"'-2,'@SUM(A1),1,0,0,0.0000,,0.0000,,,,\n"
		"'\tTab,\"'\rCR\",0,0,0,,,,,,,\n"
		"A=B,x-y,0,0,0,,,,,,,\n"
		"'quoted,,0,0,0,,,,,,,\n"
		"-,'=,0,0,0,,,,,,,\n"); /* a lone "-" is no formula */
	parse_csv(out, ',', &p);
	ck_assert_str_eq(strchr(p.buf, '\n') + 1,
		"'=HYPERLINK(\"http://x\")|'+31|5|4|3|0.8000|0.7500|0.6000||||\n"
		"'-2|'@SUM(A1)|1|0|0|0.0000||0.0000||||\n"
		"'\tTab|'\rCR|0|0|0|||||||\n"
		"A=B|x-y|0|0|0|||||||\n"
		"'quoted||0|0|0|||||||\n"
		"-|'=|0|0|0|||||||\n");
	free(out);

	/* the period column is text too; with "'" as the separator a
	 * prefixed cell is quoted */
	r[0] = row("=1", "-x", "p", 1, 1, 1);
	report_table tp = { .rows = r, .nrows = 1, .by = KTIME_BY_DAY };
	tp.csv_sep = '\'';
	out = render(&tp, REPORT_CSV, &ret);
	ck_assert_int_eq(ret, 0);
	ck_assert_str_eq(strchr(out, '\n') + 1,
		"\"'=1\"'\"'-x\"'p'1'1'1'1.0000'1.0000'1.0000''''\n");
	parse_csv(out, '\'', &p);
	ck_assert_str_eq(strchr(p.buf, '\n') + 1, "'=1|'-x|p|1|1|1|1.0000|1.0000|1.0000||||\n");
	free(out);
}
END_TEST

START_TEST(test_table_color)
{
	report_row r[4];
	sample(r, "");
	report_table t = { .lang = "en", .rows = r, .nrows = 4, .by = KTIME_BY_NONE };
	int ret;
	char b[256];
	char *out = render(&t, REPORT_TABLE, &ret);
	ck_assert_int_eq(ret, 0);
	ck_assert_ptr_null(strchr(out, '\033'));
	free(out);

	t.color = 1;
	out = render(&t, REPORT_TABLE, &ret);
	ck_assert_int_eq(ret, 0);
	ck_assert_str_eq(line(out, 0, b, sizeof b),
			 "\033[1mFunnel per gemeente and product (visitors, open funnel)\033[0m");
	/* Utrecht 1/3 is above the median 1/6: green */
	ck_assert_str_eq(line(out, 4, b, sizeof b),
			 "Utrecht           Paspoort      3     2     1      66.7%      50.0%"
			 "       33.3%   16.7%   1/2     0  \033[32m"
			 "\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x8d\033[0m");
	/* 0.0% draws no bar, so no colour either */
	ck_assert_str_eq(line(out, 6, b, sizeof b),
			 "S\xc3\xba" "dwest-Frysl\xc3\xa2n   Paspoort      4     0     0       0.0%"
			 "          -        0.0%   16.7%   2/2     1");
	free(out);

	/* below the median (10% < 50%): one block, yellow; 300% is beyond
	 * 100%: ten blocks and '+', green */
	r[0] = row("", "A", "p", 100, 10, 10);
	r[1] = row("", "B", "p", 10, 30, 30);
	bench(&r[0], 1, 0.5, 2, 2, 40);
	bench(&r[1], 1, 0.5, 2, 1, 0);
	t.nrows = 2;
	out = render(&t, REPORT_TABLE, &ret);
	ck_assert_int_eq(ret, 0);
	ck_assert_ptr_nonnull(strstr(line(out, 4, b, sizeof b),
				     "40  \033[33m\xe2\x96\x88\033[0m"));
	ck_assert_ptr_nonnull(strstr(line(out, 5, b, sizeof b),
				     "0  \033[32m\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88"
				     "\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88"
				     "\xe2\x96\x88+\033[0m"));
	free(out);
}
END_TEST

/* ---- --details and --min-cell (issue 4) ---- */

START_TEST(test_csv_details)
{
	/* errors[0] (info) is never printed; Wilson bounds worked out in
	 * check_stats.c (3/10, 0/10) and, for 1/3, the same formula */
	report_row r[4];
	r[0] = row("", "A", "p", 10, 6, 3);
	r[1] = row("", "B", "p", 0, 2, 1);    /* info 0: no interval */
	r[2] = row("", "C", "p", 1, 1, 2);    /* done > info (open funnel): none */
	r[3] = row("", "D", "p", 10, 0, 0);
	r[0].errors[0] = 9;
	r[0].errors[1] = 4;
	r[0].errors[2] = 1;
	r[3].errors[2] = 12;
	report_table t = { .rows = r, .nrows = 4, .by = KTIME_BY_NONE, .details = 1 };
	int ret;
	char *out = render(&t, REPORT_CSV, &ret);
	ck_assert_int_eq(ret, 0);
	ck_assert_str_eq(out,
		"gemeente,product,info,form,done,form_rate,done_rate,conversion,"
		"median_conversion,rank,ranked,potential_gain,"
		"form_errors,done_errors,conversion_low,conversion_high\n"
		"A,p,10,6,3,0.6000,0.5000,0.3000,,,,,4,1,0.1078,0.6032\n"
		"B,p,0,2,1,,0.5000,,,,,,0,0,,\n"
		"C,p,1,1,2,1.0000,2.0000,2.0000,,,,,0,0,,\n"
		"D,p,10,0,0,0.0000,,0.0000,,,,,0,12,0.0000,0.2775\n");
	free(out);

	/* without --details the header and rows end at potential_gain */
	t.details = 0;
	out = render(&t, REPORT_CSV, &ret);
	ck_assert_int_eq(ret, 0);
	ck_assert_ptr_null(strstr(out, "errors"));
	ck_assert_str_eq(strchr(out, '\n') + 1,
		"A,p,10,6,3,0.6000,0.5000,0.3000,,,,\n"
		"B,p,0,2,1,,0.5000,,,,,\n"
		"C,p,1,1,2,1.0000,2.0000,2.0000,,,,\n"
		"D,p,10,0,0,0.0000,,0.0000,,,,\n");
	free(out);
}
END_TEST

START_TEST(test_table_details)
{
	report_row r[2];
	r[0] = row("", "Alfa", "p", 10, 6, 3);
	r[1] = row("", "Beta", "p", 0, 2, 1);
	r[0].errors[1] = 4;
	r[0].errors[2] = 1;
	bench(&r[0], 1, 0.3, 1, 1, 0);
	bench(&r[1], 0, 0.3, 1, 0, 0);
	report_table t = { .lang = "en", .rows = r, .nrows = 2, .by = KTIME_BY_NONE, .details = 1 };
	int ret;
	char b[512];
	char *out = render(&t, REPORT_TABLE, &ret);
	ck_assert_int_eq(ret, 0);
	ck_assert_str_eq(line(out, 2, b, sizeof b),
			 "gemeente  product  info  form  done  form rate  done rate  conversion"
			 "  median  rank  gain  form 5xx  done 5xx  conv low  conv high");
	/* Wilson 3/10 = [0.1078, 0.6032]; the bar (30.0%: three blocks) after
	 * the last column */
	ck_assert_str_eq(line(out, 4, b, sizeof b),
			 "Alfa      p          10     6     3      60.0%      50.0%"
			 "       30.0%   30.0%   1/1     0         4         1"
			 "     10.8%      60.3%  \xe2\x96\x88\xe2\x96\x88\xe2\x96\x88");
	ck_assert_str_eq(line(out, 5, b, sizeof b),
			 "Beta      p           0     2     1          -      50.0%"
			 "           -   30.0%     -     -         0         0"
			 "         -          -");
	free(out);
}
END_TEST

/* Six rows over two months and two products, benchmark fields set as
 * bench_compute gives them with --min-visitors 5:
 *   2026-10 p: eligible Alfa 5/10 = .5 and Beta 4/5 = .8, median .65,
 *     ranked 2; Alfa rank 2, gain floor(.65 * 10 + .5) - 5 = 2; Beta rank
 *     1, gain max(0, floor(3.75) - 4) = 0; Gamma (info 4) not eligible;
 *   2026-10 q: Alfa 5/20 alone, median .25, rank 1, gain 0; Beta (info 3)
 *     not eligible;
 *   2026-11 p: Alfa 6/6 alone, median 1, rank 1, gain 0. */
static void min_cell_rows(report_row r[6])
{
	r[0] = row("2026-10", "Alfa", "p", 10, 4, 5);
	r[1] = row("2026-10", "Beta", "p", 5, 5, 4);
	r[2] = row("2026-10", "Gamma", "p", 4, 0, 0);
	r[3] = row("2026-10", "Alfa", "q", 20, 10, 5);
	r[4] = row("2026-10", "Beta", "q", 3, 0, 0);
	r[5] = row("2026-11", "Alfa", "p", 6, 6, 6);
	r[5].period_start = 1;
	r[0].errors[1] = 1;
	r[0].errors[2] = 7;
	bench(&r[0], 1, 0.65, 2, 2, 2);
	bench(&r[1], 1, 0.65, 2, 1, 0);
	bench(&r[2], 0, 0.65, 2, 0, 0);
	bench(&r[3], 1, 0.25, 1, 1, 0);
	bench(&r[4], 0, 0.25, 1, 0, 0);
	bench(&r[5], 1, 1.0, 1, 1, 0);
}

START_TEST(test_csv_min_cell)
{
	report_row r[6];
	min_cell_rows(r);
	report_table t = { .rows = r, .nrows = 6, .by = KTIME_BY_MONTH, .details = 1,
			   .min_cell = 5 };
	int ret;
	char *out = render(&t, REPORT_CSV, &ret);
	ck_assert_int_eq(ret, 0);
	/* N = 5: 1..4 empty, 0 and 5 shown.
	 * Alfa p: form 4 hidden, so form_rate and done_rate; conversion 5/10
	 *   and its rank stay; done_errors 7 stays, form_errors 1 goes.
	 * Beta p: done 4 hidden: done_rate, conversion, rank, gain, Wilson go;
	 *   as an eligible row its hidden conversion hides the median of
	 *   2026-10 p, and with it every gain of that group (Alfa's 2).
	 * Gamma p: info 4 hidden: form_rate and conversion go (done_rate has
	 *   no denominator anyway).
	 * Alfa/Beta q: Beta is not eligible, so the median .25 stays.
	 * 2026-11 p is another group: its median stays. ranked always stays. */
	ck_assert_str_eq(out,
		"period,gemeente,product,info,form,done,form_rate,done_rate,conversion,"
		"median_conversion,rank,ranked,potential_gain,"
		"form_errors,done_errors,conversion_low,conversion_high\n"
		"2026-10,Alfa,p,10,,5,,,0.5000,,2,2,,,7,0.2366,0.7634\n"
		"2026-10,Beta,p,5,5,,1.0000,,,,,2,,0,0,,\n"
		"2026-10,Gamma,p,,0,0,,,,,,2,,0,0,,\n"
		"2026-10,Alfa,q,20,10,5,0.5000,0.5000,0.2500,0.2500,1,1,0,0,0,0.1119,0.4687\n"
		"2026-10,Beta,q,,0,0,,,,0.2500,,1,,0,0,,\n"
		"2026-11,Alfa,p,6,6,6,1.0000,1.0000,1.0000,1.0000,1,1,0,0,0,0.6097,1.0000\n");
	free(out);

	/* 0 and 1 switch it off: everything shown */
	for (int n = 0; n <= 1; n++) {
		t.min_cell = n;
		t.details = 0;
		out = render(&t, REPORT_CSV, &ret);
		ck_assert_int_eq(ret, 0);
		ck_assert_str_eq(strchr(out, '\n') + 1,
			"2026-10,Alfa,p,10,4,5,0.4000,1.2500,0.5000,0.6500,2,2,2\n"
			"2026-10,Beta,p,5,5,4,1.0000,0.8000,0.8000,0.6500,1,2,0\n"
			"2026-10,Gamma,p,4,0,0,0.0000,,0.0000,0.6500,,2,\n"
			"2026-10,Alfa,q,20,10,5,0.5000,0.5000,0.2500,0.2500,1,1,0\n"
			"2026-10,Beta,q,3,0,0,0.0000,,0.0000,0.2500,,1,\n"
			"2026-11,Alfa,p,6,6,6,1.0000,1.0000,1.0000,1.0000,1,1,0\n");
		free(out);
	}

	/* the edges N - 1 and N for every count: N = 4 hides 1..3 only, so
	 * Beta's done 4 and Gamma's info 4 come back, Beta q's info 3 stays
	 * hidden; nothing eligible is hidden, so every median is shown */
	t.min_cell = 4;
	out = render(&t, REPORT_CSV, &ret);
	ck_assert_int_eq(ret, 0);
	ck_assert_str_eq(strchr(out, '\n') + 1,
		"2026-10,Alfa,p,10,4,5,0.4000,1.2500,0.5000,0.6500,2,2,2\n"
		"2026-10,Beta,p,5,5,4,1.0000,0.8000,0.8000,0.6500,1,2,0\n"
		"2026-10,Gamma,p,4,0,0,0.0000,,0.0000,0.6500,,2,\n"
		"2026-10,Alfa,q,20,10,5,0.5000,0.5000,0.2500,0.2500,1,1,0\n"
		"2026-10,Beta,q,,0,0,,,,0.2500,,1,\n"
		"2026-11,Alfa,p,6,6,6,1.0000,1.0000,1.0000,1.0000,1,1,0\n");
	free(out);

	/* N = 7: also 5 and 6 go; 2026-11 Alfa p (6/6, eligible) now hides its
	 * own median too */
	t.min_cell = 7;
	out = render(&t, REPORT_CSV, &ret);
	ck_assert_int_eq(ret, 0);
	ck_assert_str_eq(strchr(out, '\n') + 1,
		"2026-10,Alfa,p,10,,,,,,,,2,\n"
		"2026-10,Beta,p,,,,,,,,,2,\n"
		"2026-10,Gamma,p,,0,0,,,,,,2,\n"
		"2026-10,Alfa,q,20,10,,0.5000,,,,,1,\n"
		"2026-10,Beta,q,,0,0,,,,,,1,\n"
		"2026-11,Alfa,p,,,,,,,,,1,\n");
	free(out);
}
END_TEST

START_TEST(test_csv_min_cell_peer)
{
	/* with --peer the groups split by peer: Beta's hidden conversion
	 * hides the median of peer "klein" only */
	report_row r[3];
	r[0] = row("", "Alfa", "p", 10, 0, 5);
	r[1] = row("", "Beta", "p", 10, 0, 2);
	r[2] = row("", "Gamma", "p", 10, 0, 6);
	r[0].peer = "groot";
	r[1].peer = "klein";
	r[2].peer = "groot";
	bench(&r[0], 1, 0.55, 2, 2, 1);
	bench(&r[1], 1, 0.2, 1, 1, 0);
	bench(&r[2], 1, 0.55, 2, 1, 0);
	report_table t = { .lang = "en", .rows = r, .nrows = 3, .by = KTIME_BY_NONE, .min_cell = 5,
			   .peer = 1 };
	int ret;
	char *out = render(&t, REPORT_CSV, &ret);
	ck_assert_int_eq(ret, 0);
	ck_assert_str_eq(strchr(out, '\n') + 1,
		"Alfa,p,10,0,5,0.0000,,0.5000,0.5500,2,2,1\n"
		"Beta,p,10,0,,0.0000,,,,,1,\n"
		"Gamma,p,10,0,6,0.0000,,0.6000,0.5500,1,2,0\n");
	free(out);

	/* the table's title says how the benchmark was grouped */
	char b[256];
	out = render(&t, REPORT_TABLE, &ret);
	ck_assert_int_eq(ret, 0);
	ck_assert_str_eq(line(out, 0, b, sizeof b), "Funnel per gemeente and product "
			 "(visitors, open funnel, benchmark per peer group)");
	free(out);

	/* without --peer all three are one group: all medians and gains go */
	t.peer = 0;
	out = render(&t, REPORT_CSV, &ret);
	ck_assert_int_eq(ret, 0);
	ck_assert_str_eq(strchr(out, '\n') + 1,
		"Alfa,p,10,0,5,0.0000,,0.5000,,2,2,\n"
		"Beta,p,10,0,,0.0000,,,,,1,\n"
		"Gamma,p,10,0,6,0.0000,,0.6000,,1,2,\n");
	free(out);
}
END_TEST

START_TEST(test_table_min_cell)
{
	report_row r[6];
	min_cell_rows(r);
	report_table t = { .lang = "en", .rows = r, .nrows = 6, .by = KTIME_BY_MONTH, .min_cell = 5,
			   .color = 1 };
	int ret;
	char b[512];
	char *out = render(&t, REPORT_TABLE, &ret);
	ck_assert_int_eq(ret, 0);
	/* hidden cells show "-" like empty ones; Alfa p keeps its conversion
	 * bar (50.0%: five blocks) but without colour, since its median is
	 * hidden; Beta p's hidden conversion draws no bar */
	ck_assert_str_eq(line(out, 4, b, sizeof b),
			 "2026-10  Alfa      p          10     -     5          -          -"
			 "       50.0%       -   2/2     -  "
			 "\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88");
	ck_assert_str_eq(line(out, 5, b, sizeof b),
			 "2026-10  Beta      p           5     5     -     100.0%          -"
			 "           -       -     -     -");
	ck_assert_str_eq(line(out, 6, b, sizeof b),
			 "2026-10  Gamma     p           -     0     0          -          -"
			 "           -       -     -     -");
	/* the q group keeps its median, so Alfa q's bar is coloured */
	ck_assert_str_eq(line(out, 7, b, sizeof b),
			 "2026-10  Alfa      q          20    10     5      50.0%      50.0%"
			 "       25.0%   25.0%   1/1     0  \033[32m"
			 "\xe2\x96\x88\xe2\x96\x88\xe2\x96\x8c\033[0m");
	free(out);
}
END_TEST

/* ---- the table in Dutch and in a width (issue 12) ---- */

START_TEST(test_table_dutch)
{
	report_row r[4];
	sample(r, "");
	report_table t = { .rows = r, .nrows = 4, .by = KTIME_BY_NONE };   /* lang NULL: nl */
	int ret;
	char b[256];
	char *out = render(&t, REPORT_TABLE, &ret);
	ck_assert_int_eq(ret, 0);
	ck_assert_str_eq(line(out, 0, b, sizeof b),
			 "Funnel per gemeente en product (bezoekers, open funnel)");
	ck_assert_str_eq(line(out, 2, b, sizeof b),
			 "gemeente          product    info  formulier  afgerond  form/info  afg/form"
			 "  conversie  mediaan  positie  te winnen");
	/* decimal comma; the bar is drawn from "33,3%" as from "33.3%" */
	ck_assert_str_eq(line(out, 4, b, sizeof b),
			 "Utrecht           Paspoort      3          2         1      66,7%     50,0%"
			 "      33,3%    16,7%      1/2          0  "
			 "\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x8d");
	free(out);

	t.lang = "nl";
	t.by = KTIME_BY_WEEK;
	t.count_hits = 1;
	t.sequential = 1;
	t.peer = 1;
	out = render(&t, REPORT_TABLE, &ret);
	ck_assert_int_eq(ret, 0);
	ck_assert_str_eq(line(out, 0, b, sizeof b), "Funnel per gemeente en product (verzoeken, "
			 "sequenti\xc3\xable funnel, per week, benchmark per groep)");
	free(out);
}
END_TEST

/* Every line of s has at most w code points. */
static void assert_width(const char *s, size_t w)
{
	for (const char *p = s; *p;) {
		const char *nl = strchr(p, '\n');
		ck_assert_ptr_nonnull(nl);
		size_t n = 0;
		for (const char *q = p; q < nl; q++)
			n += ((unsigned char)*q & 0xC0) != 0x80;
		ck_assert_msg(n <= w, "line of %zu columns: %.*s", n, (int)(nl - p), p);
		p = nl + 1;
	}
}

START_TEST(test_table_width)
{
	report_row r[3];
	r[0] = row("2026-W45", "www.gemeente-met-een-lange-naam.nl", "Kwijtschelding gemeentelijke "
		   "belastingen en heffingen", 120, 60, 30);
	r[1] = row("2026-W45", "Utrecht", "Paspoort", 300, 100, 90);
	r[2] = row("2026-W45", "S\xc3\xba" "dwest-Frysl\xc3\xa2n", "Paspoort", 1, 0, 0);
	bench(&r[0], 1, 0.275, 2, 2, 3);
	bench(&r[1], 1, 0.275, 2, 1, 0);
	bench(&r[2], 0, 0.275, 2, 0, 0);
	report_table t = { .lang = "en", .rows = r, .nrows = 3, .by = KTIME_BY_WEEK,
			   .details = 1, .width = 80 };
	int ret;
	char b[256];
	char *out = render(&t, REPORT_TABLE, &ret);
	ck_assert_int_eq(ret, 0);
	assert_width(out, 80);
	/* the long names are cut with an ellipsis, the short ones whole */
	ck_assert_ptr_nonnull(strstr(out, "\xe2\x80\xa6"));
	ck_assert_ptr_nonnull(strstr(out, "Utrecht "));
	ck_assert_ptr_nonnull(strstr(out, "S\xc3\xba" "dwest-Frysl\xc3\xa2n "));
	/* no bar; the footer names what was left out */
	ck_assert_ptr_null(strstr(out, "\xe2\x96\x88"));
	ck_assert_ptr_nonnull(strstr(out, "Left out: form rate, done rate,"));
	/* the essential columns stay */
	const char *hdr = line(out, 2, b, sizeof b);
	ck_assert_ptr_nonnull(strstr(hdr, "period"));
	ck_assert_ptr_nonnull(strstr(hdr, "info"));
	ck_assert_ptr_nonnull(strstr(hdr, "done"));
	ck_assert_ptr_nonnull(strstr(hdr, "conv"));
	ck_assert_ptr_nonnull(strstr(hdr, "rank"));
	free(out);

	/* the same at 300 columns: everything, full titles, the bar, no footer */
	t.width = 300;
	out = render(&t, REPORT_TABLE, &ret);
	ck_assert_int_eq(ret, 0);
	ck_assert_ptr_null(strstr(out, "\xe2\x80\xa6"));
	ck_assert_ptr_null(strstr(out, "Left out"));
	ck_assert_ptr_nonnull(strstr(out, "form rate  done rate  conversion"));
	ck_assert_ptr_nonnull(strstr(out, "\xe2\x96\x88"));
	free(out);

	/* narrow: 50 columns still hold every line */
	t.width = 50;
	t.details = 0;
	t.by = KTIME_BY_NONE;
	out = render(&t, REPORT_TABLE, &ret);
	ck_assert_int_eq(ret, 0);
	assert_width(out, 50);
	free(out);
}
END_TEST

START_TEST(test_fit)
{
	text_col c[3] = { { 10, 4, 0, 0, 0 }, { 30, 10, 0, 0, 0 }, { 5, 0, 1, 0, 0 } };
	int bar;
	/* no limit, or wide enough: all of it, the bar too */
	ck_assert_uint_eq(text_fit(c, 3, 2, 13, &bar, 0), 10 + 30 + 5 + 4 + 13);
	ck_assert_int_eq(bar, 1);
	ck_assert_uint_eq(text_fit(c, 3, 2, 13, &bar, 62), 62);
	ck_assert_int_eq(bar, 1);
	ck_assert(c[0].shown && c[1].shown && c[2].shown);
	ck_assert_uint_eq(c[1].w, 30);
	/* one column short: the bar goes first, nothing is cut */
	ck_assert_uint_eq(text_fit(c, 3, 2, 13, &bar, 61), 49);
	ck_assert_int_eq(bar, 0);
	ck_assert_uint_eq(c[1].w, 30);
	/* then the widest text is cut, not below 16 */
	ck_assert_uint_eq(text_fit(c, 3, 2, 13, &bar, 40), 40);
	ck_assert_uint_eq(c[0].w, 10);
	ck_assert_uint_eq(c[1].w, 21);
	ck_assert(c[2].shown);
	/* then a column is left out, and what it freed given back */
	ck_assert_uint_eq(text_fit(c, 3, 2, 13, &bar, 30), 30);
	ck_assert(c[0].shown && c[1].shown && !c[2].shown);
	ck_assert_uint_eq(c[1].w, 18);
	/* then text is cut to its min, and no further: 4 + 2 + 10 */
	ck_assert_uint_eq(text_fit(c, 3, 2, 13, &bar, 15), 16);
	ck_assert_uint_eq(c[0].w, 4);
	ck_assert_uint_eq(c[1].w, 10);
	/* a column that may not be cut or left out stays whole */
	text_col d[2] = { { 50, 0, 0, 0, 0 }, { 8, 0, 0, 0, 0 } };
	ck_assert_uint_eq(text_fit(d, 2, 2, 0, &bar, 20), 60);
	ck_assert(d[0].shown && d[1].shown);
	ck_assert_uint_eq(d[0].w, 50);
}
END_TEST

/* text_put_cut into a string */
static char *cut(const char *s, size_t w, int pad)
{
	static char buf[256];
	FILE *fp = fmemopen(buf, sizeof buf, "w");
	ck_assert_ptr_nonnull(fp);
	text_put_cut(fp, s, w, pad);
	fclose(fp);
	return buf;
}

START_TEST(test_put_cut)
{
	ck_assert_str_eq(cut("Utrecht", 10, 1), "Utrecht   ");
	ck_assert_str_eq(cut("Utrecht", 10, 0), "Utrecht");
	ck_assert_str_eq(cut("Utrecht", 7, 1), "Utrecht");
	/* cut: w - 1 code points and an ellipsis, never half a character */
	ck_assert_str_eq(cut("Utrecht", 5, 1), "Utre\xe2\x80\xa6");
	ck_assert_str_eq(cut("S\xc3\xba" "dwest-Frysl\xc3\xa2n", 3, 0), "S\xc3\xba\xe2\x80\xa6");
	ck_assert_str_eq(cut("S\xc3\xba" "dwest-Frysl\xc3\xa2n", 16, 1),
			 "S\xc3\xba" "dwest-Frysl\xc3\xa2n ");
	/* control characters show as '?' */
	ck_assert_str_eq(cut("a\033[31mb", 10, 0), "a?[31mb");
	ck_assert_uint_eq(text_width("S\xc3\xba" "dwest"), 7);
}
END_TEST

/* Walks buf[0..n) sequence by sequence (text_utf8_len) while short of
 * upto; returns where it stopped: upto or more at a sequence boundary,
 * less at the first invalid byte. */
static size_t utf8_walk(const unsigned char *buf, size_t n, size_t upto)
{
	size_t at = 0;
	while (at < upto) {
		size_t l = text_utf8_len(buf + at, n - at);
		if (l == 0)
			break;
		at += l;
	}
	return at;
}

/* text_utf8_valid reads ASCII eight bytes at a time: its answer must be
 * that of walking text_utf8_len, for valid and broken sequences at every
 * offset around those eight-byte steps. */
START_TEST(test_utf8_valid_fast)
{
	static const char *const piece[] = { "a", "abcdefg", "0123456789abcdef", "\xc3\xa9",
		"\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xc3", "\xe2\x82", "\x80", "\xff",
		"\xed\xa0\x80", "\xc0\xaf" };
	const size_t npiece = sizeof piece / sizeof piece[0];
	uint64_t x = 12345;
	for (int round = 0; round < 4000; round++) {
		unsigned char buf[96];
		size_t n = 0;
		while (n < 64) {
			x = x * 6364136223846793005ull + 1442695040888963407ull;
			/* mostly ASCII, now and then one of the others */
			const char *p = piece[(x >> 33) % 8 < 6 ? (x >> 40) % 3 : (x >> 40) % npiece];
			size_t len = strlen(p);
			memcpy(buf + n, p, len);
			n += len;
		}
		size_t want = utf8_walk(buf, n, n);
		for (size_t start = 0; start < 9 && start < want; start++)
			/* from a sequence boundary only: want - start is then right */
			if (utf8_walk(buf, n, start) == start)
				ck_assert_uint_eq(text_utf8_valid(buf + start, n - start), want - start);
	}
}
END_TEST

/* text_fixed must write what snprintf "%.*f" writes, byte for byte:
 * ratios of counts (what reports print), exact ties of both parities
 * (k / 2^j), random bit patterns over many magnitudes, signed zeros,
 * denormals, and the fallbacks (NaN, infinity, 1e15 and up). */
static void fixed_eq(double v, int prec)
{
	char got[64], want[64];
	snprintf(want, sizeof want, "%.*f", prec, v);
	text_fixed(v, prec, got, sizeof got);
	if (strcmp(got, want) != 0)
		ck_abort_msg("text_fixed(%a, %d) = '%s', snprintf '%s'", v, prec, got, want);
}

START_TEST(test_fixed_like_printf)
{
	uint64_t x = 99;
	for (int prec = 0; prec <= 9; prec++) {
		for (int a = 0; a <= 300; a++)
			for (int b = 1; b <= 60; b++) {
				fixed_eq((double)a / b, prec);
				fixed_eq(-(double)a / b, prec);
			}
		for (int j = 0; j <= 14; j++)
			for (int k = -4100; k <= 4100; k++)
				fixed_eq(ldexp(k, -j), prec);
		for (int i = 0; i < 200000; i++) {
			x = x * 6364136223846793005ull + 1442695040888963407ull;
			double v;
			uint64_t bits = x;
			memcpy(&v, &bits, sizeof v);
			if (!isfinite(v))
				continue;
			/* scale into [1e-30, 1e16): every magnitude the fast path sees */
			int e;
			double f = frexp(v, &e);
			fixed_eq(ldexp(f, (int)((x >> 11) % 160) - 100), prec);
		}
	}
	const int64_t ints[] = { 0, 1, -1, 9, 10, -10, 99, 100, 12345, INT64_MAX, INT64_MIN,
		INT64_MIN + 1, 1000000000000000000ll };
	for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
		char got[32], want[32];
		for (size_t n = 1; n <= sizeof got; n += 7) {
			memset(got, 'x', sizeof got);
			memset(want, 'x', sizeof want);
			snprintf(want, n, "%" PRId64, ints[i]);
			text_int(ints[i], got, n);
			ck_assert_mem_eq(got, want, sizeof got);
		}
	}
	const double odd[] = { 0.0, -0.0, 5e-324, -5e-324, 0.5, 1.5, 2.5, 0.03125, 0.00005,
		0.99995, 9.99995, 1e15, -1e15, 999999999999999.9, 1e300, NAN, INFINITY, -INFINITY };
	for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++)
		for (int prec = 0; prec <= 12; prec++)
			fixed_eq(odd[i], prec);
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
	tcase_add_test(tc, test_csv_dutch);
	tcase_add_test(tc, test_csv_formula);
	tcase_add_test(tc, test_table_color);
	tcase_add_test(tc, test_csv_details);
	tcase_add_test(tc, test_table_details);
	tcase_add_test(tc, test_csv_min_cell);
	tcase_add_test(tc, test_csv_min_cell_peer);
	tcase_add_test(tc, test_table_min_cell);
	tcase_add_test(tc, test_table_dutch);
	tcase_add_test(tc, test_table_width);
	tcase_add_test(tc, test_fit);
	tcase_add_test(tc, test_put_cut);
	tcase_add_test(tc, test_utf8_valid_fast);
	tcase_add_test(tc, test_fixed_like_printf);
	suite_add_tcase(s, tc);
	return s;
}
