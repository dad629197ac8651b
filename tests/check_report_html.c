/*
 * check_report_html.c - unit tests for the HTML report (report_html.c):
 * one chart of each kind where expected (counted by class name), the
 * latest period with --by, escaping of every name, numbers per language,
 * highlight, self-containment and balanced chart elements. The browser
 * side (that the page parses and renders) is tests/html_browser.sh.
 */
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

static char *render(const report_table *t)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(report_write(t, REPORT_HTML, fp), 0);
	ck_assert_int_eq(fclose(fp), 0);
	return buf;
}

/* Occurrences of needle in s. */
static int count(const char *s, const char *needle)
{
	int n = 0;
	for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* Occurrences of needle inside the elements that start with open (up to
 * their next "</svg>"). */
static int count_in(const char *s, const char *open, const char *needle)
{
	int n = 0;
	for (const char *p = strstr(s, open); p; p = strstr(p + 1, open)) {
		const char *end = strstr(p, "</svg>");
		ck_assert_ptr_nonnull(end);
		for (const char *q = strstr(p, needle); q && q < end; q = strstr(q + 1, needle))
			n++;
	}
	return n;
}

/* Two products, three gemeenten; the first name needs every escape.
 * Paspoort: eligible conversions 200/1000 = .2 (A) and 1/4 = .25 (Beta),
 * median .225; Gamma (info 0) has no conversion. Afval: nobody eligible. */
static const char *const hostile = "A & <B> \"C\" 'D'";

static void sample(report_row r[6], const char *period)
{
	r[0] = row(period, hostile, "Paspoort", 1000, 453, 200);
	r[1] = row(period, hostile, "Afval", 1234567, 0, 0);
	r[2] = row(period, "B\xc3\xa8ta", "Paspoort", 4, 2, 1);
	r[3] = row(period, "B\xc3\xa8ta", "Afval", 0, 0, 0);
	r[4] = row(period, "Gamma\x01\xff", "Paspoort", 0, 0, 0);
	r[5] = row(period, "Gamma\x01\xff", "Afval", 0, 0, 0);
	bench(&r[0], 1, 0.225, 2, 2, 25);
	bench(&r[2], 1, 0.225, 2, 1, 0);
	bench(&r[4], 0, 0.225, 2, 0, 0);
}

START_TEST(test_html_nl)
{
	report_row r[6];
	sample(r, "");
	report_table t = { .rows = r, .nrows = 6, .by = KTIME_BY_NONE, .lang = "nl",
			   .highlight = "b\xc3\xa8TA" };
	char *out = render(&t);

	ck_assert_int_eq(strncmp(out, "<!DOCTYPE html>\n<html lang=\"nl\">\n", 33), 0);
	ck_assert_int_eq(count(out, "</html>\n"), 1);
	/* a funnel per row; a benchmark per product (Afval: A's conversion
	 * 0, outside the benchmark, drawn lighter); a median for Paspoort only */
	ck_assert_int_eq(count(out, "class=\"funnel-chart\""), 6);
	ck_assert_int_eq(count(out, "class=\"benchmark-chart\""), 2);
	ck_assert_int_eq(count(out, "class=\"median\""), 1);
	ck_assert_int_eq(count(out, "class=\"bar ineligible\""), 1);
	/* the note on lighter bars only where there is one (Afval) */
	ck_assert_int_eq(count(out, "lichtere balk"), 1);
	ck_assert_int_eq(count(out, "class=\"trend-chart"), 0);
	/* bars only for counts > 0: info 3 (A twice, Beta Paspoort), form
	 * 2, done 2 */
	ck_assert_int_eq(count(out, "class=\"bar step-info\""), 3);
	ck_assert_int_eq(count(out, "class=\"bar step-form\""), 2);
	ck_assert_int_eq(count(out, "class=\"bar step-done\""), 2);
	/* Dutch numbers: 1234567 -> 1.234.567; 453/1000 -> 45,3%;
	 * 200/453 = 0.44150 -> 44,2% (from the counts, not 0.4415 -> 44,1%);
	 * median .225 -> 22,5% */
	ck_assert_ptr_nonnull(strstr(out, ">1.234.567<"));
	ck_assert_ptr_nonnull(strstr(out, ">45,3% van vorige stap<"));
	ck_assert_ptr_nonnull(strstr(out, ">44,2% van vorige stap<"));
	ck_assert_ptr_nonnull(strstr(out, "mediaan 22,5%"));
	ck_assert_ptr_nonnull(strstr(out, "<td data-label=\"Positie\">2 van 2</td>"));
	ck_assert_ptr_nonnull(strstr(out, "Formulier gestart"));
	/* escaping: never the raw name, always the escaped one */
	ck_assert_ptr_null(strstr(out, hostile));
	ck_assert_ptr_null(strstr(out, "<B>"));
	ck_assert_ptr_nonnull(strstr(out, "<figcaption>A &amp; &lt;B&gt; &quot;C&quot; &#39;D&#39;"
					  "</figcaption>"));
	ck_assert_ptr_nonnull(strstr(out, "data-gemeente=\"A &amp; &lt;B&gt; &quot;C&quot; "
					  "&#39;D&#39;\""));
	/* a control character and a byte that is not UTF-8: U+FFFD each */
	ck_assert_ptr_nonnull(strstr(out, "<figcaption>Gamma&#xFFFD;&#xFFFD;</figcaption>"));
	ck_assert_ptr_null(strchr(out, '\x01'));
	ck_assert_ptr_null(strstr(out, "\xff"));
	/* --highlight compares case-insensitively (ASCII): Beta's two funnels,
	 * its benchmark bar and table rows */
	ck_assert_int_eq(count(out, "class=\"funnel highlight\""), 2);
	ck_assert_int_eq(count(out, "class=\"bar highlight\""), 1);
	ck_assert_int_eq(count(out, "<tr class=\"highlight\">"), 2);
	/* self-contained, elements balanced */
	ck_assert_ptr_null(strstr(out, "<script"));
	ck_assert_ptr_null(strstr(out, "src="));
	ck_assert_ptr_null(strstr(out, "http"));
	ck_assert_int_eq(count(out, "<svg"), count(out, "</svg>"));
	ck_assert_int_eq(count(out, "<figure"), count(out, "</figure>"));
	ck_assert_int_eq(count(out, "<section"), count(out, "</section>"));
	ck_assert_int_eq(count(out, "<section class=\"product\""), 2);
	free(out);
}
END_TEST

START_TEST(test_html_en_meta)
{
	report_row r[6];
	sample(r, "");
	static const char *const names[] = { "<a>.log" };
	static const char *const formats[] = { "combined" };
	static const uint64_t lines[] = { 12345 };
	static const char *const reasons[] = { "bot", "outside time range" };
	static const uint64_t excluded[] = { 1000, 7 };
	int64_t since = INT64_C(20759) * 86400;   /* 2026-11-02 */
	int64_t until = since + 9 * 3600;          /* 2026-11-02 09:00 */
	report_meta m = {
		.version = "9.9", .command_line = "klantreis analyze <x>", .ninputs = 1,
		.input_names = names, .input_formats = formats, .input_lines = lines,
		.lines = 12345, .blank = 5, .qualified = 2000, .matched = 1500,
		.reason_names = reasons, .excluded = excluded, .nreasons = 2, .elapsed = 1.5,
		.since = &since, .until = &until,
	};
	report_table t = { .rows = r, .nrows = 6, .by = KTIME_BY_NONE, .lang = "en",
			   .meta = &m, .count_hits = 1 };
	char *out = render(&t);
	ck_assert_int_eq(strncmp(out, "<!DOCTYPE html>\n<html lang=\"en\">\n", 33), 0);
	ck_assert_ptr_nonnull(strstr(out, "<p class=\"sub\">requests, open funnel</p>"));
	ck_assert_ptr_nonnull(strstr(out, "<dd class=\"period\">from 2026-11-02 to "
					  "2026-11-02 09:00:00</dd>"));
	ck_assert_ptr_nonnull(strstr(out, "<li>&lt;a&gt;.log (combined, 12,345 lines)</li>"));
	ck_assert_ptr_nonnull(strstr(out, "<dd class=\"lines-read\">12,345 (5 blank)</dd>"));
	ck_assert_ptr_nonnull(strstr(out, "<dd class=\"excluded\">bot 1,000 \xc2\xb7 "
					  "outside time range 7</dd>"));
	ck_assert_ptr_nonnull(strstr(out, "<dd>2,000 (1,500 matching a step)</dd>"));
	ck_assert_ptr_nonnull(strstr(out, ">1,234,567<"));
	ck_assert_ptr_nonnull(strstr(out, ">45.3% of previous step<"));
	ck_assert_ptr_nonnull(strstr(out, "median 22.5%"));
	ck_assert_ptr_nonnull(strstr(out, "Made with klantreis 9.9 in 1.50 s"));
	ck_assert_ptr_nonnull(strstr(out, "<code>klantreis analyze &lt;x&gt;</code>"));
	ck_assert_ptr_nonnull(strstr(out, "Form started"));
	ck_assert_ptr_null(strstr(out, "Formulier"));
	free(out);

	/* Dutch labels for the reasons, and only a --since */
	t.lang = NULL;
	m.until = NULL;
	out = render(&t);
	ck_assert_ptr_nonnull(strstr(out, "<html lang=\"nl\">"));
	ck_assert_ptr_nonnull(strstr(out, "<dd class=\"period\">vanaf 2026-11-02</dd>"));
	ck_assert_ptr_nonnull(strstr(out, "<dd class=\"excluded\">bot 1.000 \xc2\xb7 "
					  "buiten de periode 7</dd>"));
	ck_assert_ptr_nonnull(strstr(out, "Gemaakt met klantreis 9.9 in 1,50 s"));
	free(out);
}
END_TEST

START_TEST(test_html_by)
{
	/* two periods: the funnels and benchmarks show the latest (W46), the
	 * trend one line per gemeente over both */
	report_row r[12];
	sample(r, "2026-W45");
	sample(r + 6, "2026-W46");
	r[6].n[0] = 2000;   /* W46: A Paspoort 2000 info */
	report_table t = { .rows = r, .nrows = 12, .by = KTIME_BY_WEEK, .lang = "nl",
			   .highlight = hostile };
	char *out = render(&t);
	ck_assert_int_eq(count(out, "class=\"funnel-chart\""), 6);
	ck_assert_ptr_nonnull(strstr(out, ">2.000<"));
	ck_assert_ptr_nonnull(strstr(out, "Laatste periode: 2026-W46"));
	ck_assert_ptr_nonnull(strstr(out, "periodes 2026-W45 \xe2\x80\x93 2026-W46"));
	ck_assert_int_eq(count(out, "class=\"trend-chart"), 2);
	ck_assert_int_eq(count(out, "<g class=\"trend-line"), 6);
	ck_assert_int_eq(count(out, "<g class=\"trend-line highlight\""), 2);
	/* Paspoort: A and Beta have a conversion in both weeks: a point each
	 * week and one segment; Gamma none; Afval: A (0%) two points */
	ck_assert_int_eq(count(out, "<circle "), 6);
	ck_assert_int_eq(count_in(out, "<svg class=\"trend-chart", "<line x1="), 3);
	ck_assert_int_eq(count(out, "<svg"), count(out, "</svg>"));
	free(out);
}
END_TEST

START_TEST(test_html_empty)
{
	report_table t = { .rows = NULL, .nrows = 0, .by = KTIME_BY_DAY };
	char *out = render(&t);
	ck_assert_ptr_nonnull(strstr(out, "<main>\n</main>"));
	ck_assert_ptr_nonnull(strstr(out, "</html>\n"));
	free(out);
}
END_TEST

Suite *report_html_suite(void)
{
	Suite *s = suite_create("report_html");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_html_nl);
	tcase_add_test(tc, test_html_en_meta);
	tcase_add_test(tc, test_html_by);
	tcase_add_test(tc, test_html_empty);
	suite_add_tcase(s, tc);
	return s;
}
