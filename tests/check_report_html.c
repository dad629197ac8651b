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
#include "bench.h"
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


/* ---- issue 12: the page as managers read it ---- */

/* The attribute name="..." of the tag that starts at tag, into buf ("" when
 * the tag has none). */
static const char *attr(const char *tag, const char *name, char *buf, size_t n)
{
	const char *end = strchr(tag, '>');
	char key[40];
	snprintf(key, sizeof key, " %s=\"", name);
	const char *p = strstr(tag, key);
	buf[0] = '\0';
	if (!p || (end && p > end))
		return buf;
	p += strlen(key);
	const char *q = strchr(p, '"');
	size_t len = q ? (size_t)(q - p) : 0;
	if (len >= n)
		len = n - 1;
	memcpy(buf, p, len);
	buf[len] = '\0';
	return buf;
}

/* Characters (code points) of the text after the tag at tag, up to '<'. */
static size_t text_len(const char *tag)
{
	const char *p = strchr(tag, '>');
	size_t n = 0;
	for (p++; *p && *p != '<'; p++)
		if (((unsigned char)*p & 0xC0) != 0x80)
			n++;
	return n;
}

/* The highlight colour is drawn for the highlighted gemeente only: with 15
 * gemeenten (more than the palette has colours) every trend line and legend
 * entry in it belongs to the highlighted one. */
START_TEST(test_html_highlight_colour_only_highlight)
{
	enum { NG = 15 };
	static const char *const names[NG] = {
		"G01", "G02", "G03", "G04", "G05", "G06", "G07", "G08", "G09", "G10",
		"G11", "G12", "G13", "G14", "G15",
	};
	report_row r[2 * NG];
	for (int p = 0; p < 2; p++)
		for (int g = 0; g < NG; g++)
			r[p * NG + g] = row(p ? "2026-W46" : "2026-W45", names[g], "Paspoort",
					    100, 50, 10 + g);
	static const char *const highlights[] = { "G09", "G01", "G02", "nobody" };
	for (size_t k = 0; k < sizeof highlights / sizeof highlights[0]; k++) {
		report_table t = { .rows = r, .nrows = 2 * NG, .by = KTIME_BY_WEEK, .lang = "nl",
				   .highlight = highlights[k] };
		char *out = render(&t);
		char buf[200];
		const char *hl = "#e17000";
		ck_assert_ptr_nonnull(strstr(out, "--hl:#e17000;"));
		int lines = 0, hl_lines = 0;
		for (const char *g = strstr(out, "<g class=\"trend-line"); g;
		     g = strstr(g + 1, "<g class=\"trend-line")) {
			int is_hl = strcmp(attr(g, "data-gemeente", buf, sizeof buf),
					   highlights[k]) == 0;
			ck_assert_int_eq(strcmp(attr(g, "class", buf, sizeof buf),
						is_hl ? "trend-line highlight" : "trend-line"), 0);
			ck_assert_int_eq(strcmp(attr(g, "stroke", buf, sizeof buf), hl) == 0, is_hl);
			lines++;
			hl_lines += is_hl;
		}
		ck_assert_int_eq(lines, NG);
		ck_assert_int_eq(hl_lines, strcmp(highlights[k], "nobody") != 0);
		/* the legend: a swatch per gemeente, the colour only in the
		 * highlighted one's */
		int swatches = 0;
		for (const char *li = strstr(out, "<li"); li; li = strstr(li + 1, "<li")) {
			if (li[3] != '>' && li[3] != ' ')
				continue;   /* <line> */
			const char *sw = strstr(li, "<span class=\"swatch\"");
			if (!sw || sw > strstr(li, "</li>"))
				continue;
			swatches++;
			ck_assert_int_eq(strstr(sw, hl) == sw + strlen("<span class=\"swatch\" "
									 "style=\"background:"),
					 strncmp(li, "<li class=\"highlight\">", 22) == 0);
		}
		ck_assert_int_eq(swatches, NG);
		/* nowhere else: the CSS, a trend line (stroke and fill) and its
		 * legend swatch */
		ck_assert_int_eq(count(out, hl), 1 + 3 * hl_lines);
		free(out);
	}
}
END_TEST

/* The title and h1 say which days the figures cover: the first and last
 * day with a matched step (meta), else the first and last period; the
 * header's period says it too, without --by, with --since/--until after. */
START_TEST(test_html_title_dates)
{
	report_row r[6];
	sample(r, "");
	int64_t since = INT64_C(20759) * 86400;   /* 2026-11-02 */
	report_meta m = { .version = "1", .command_line = "klantreis", .has_days = 1,
			  .first_day = 20759, .last_day = 20762 };
	report_table t = { .rows = r, .nrows = 6, .by = KTIME_BY_NONE, .lang = "nl", .meta = &m };
	char *out = render(&t);
	ck_assert_ptr_nonnull(strstr(out, "<title>Klantreis-rapport 2026-11-02 \xe2\x80\x93 "
					  "2026-11-05</title>"));
	ck_assert_ptr_nonnull(strstr(out, "<h1>Digitale klantreis per gemeente en product "
					  "<span class=\"dates\">2026-11-02 \xe2\x80\x93 "
					  "2026-11-05</span></h1>"));
	ck_assert_ptr_nonnull(strstr(out, "<dd class=\"period\">2026-11-02 t/m 2026-11-05</dd>"));
	free(out);

	/* one day, English, after a --since */
	m.last_day = m.first_day;
	m.since = &since;
	t.lang = "en";
	out = render(&t);
	ck_assert_ptr_nonnull(strstr(out, "<title>Customer journey report 2026-11-02</title>"));
	ck_assert_ptr_nonnull(strstr(out, "<span class=\"dates\">2026-11-02</span></h1>"));
	ck_assert_ptr_nonnull(strstr(out, "<dd class=\"period\">2026-11-02 "
					  "(selected: from 2026-11-02)</dd>"));
	free(out);

	/* no data days known (no meta): with --by the periods, else nothing */
	report_row w[12];
	sample(w, "2026-W45");
	sample(w + 6, "2026-W47");
	report_table tw = { .rows = w, .nrows = 12, .by = KTIME_BY_WEEK, .lang = "nl" };
	out = render(&tw);
	ck_assert_ptr_nonnull(strstr(out, "<title>Klantreis-rapport 2026-W45 \xe2\x80\x93 "
					  "2026-W47</title>"));
	ck_assert_ptr_nonnull(strstr(out, "<span class=\"dates\">2026-W45 \xe2\x80\x93 "
					  "2026-W47</span>"));
	free(out);
	t.meta = NULL;
	out = render(&t);
	ck_assert_ptr_nonnull(strstr(out, "<title>Customer journey report</title>"));
	ck_assert_ptr_null(strstr(out, "class=\"dates\""));
	free(out);
}
END_TEST

/* What a rate above 100% means in the open funnel, and what "Te winnen"
 * is, explained in the page in both languages; the first only for the
 * open funnel (a sequential funnel never exceeds 100%). */
START_TEST(test_html_explanations)
{
	report_row r[6];
	sample(r, "");
	r[0].n[1] = 1500;   /* form 1500 of info 1000: 150,0% */
	report_table t = { .rows = r, .nrows = 6, .by = KTIME_BY_NONE, .lang = "nl" };
	char *out = render(&t);
	ck_assert_ptr_nonnull(strstr(out, ">150,0% van vorige stap<"));
	ck_assert_int_eq(count(out, "<li class=\"explain-open\"><strong>Boven 100%</strong>: "
				    "in de open funnel"), 1);
	ck_assert_int_eq(count(out, "<li class=\"explain-gain\"><strong>Te winnen</strong>: "
				    "hoeveel formulieren er meer afgerond"), 1);
	ck_assert_int_eq(count(out, "<th>Te winnen</th>"), 2);
	free(out);
	t.lang = "en";
	out = render(&t);
	ck_assert_int_eq(count(out, "<li class=\"explain-open\"><strong>Above 100%</strong>: "
				    "in the open funnel"), 1);
	ck_assert_int_eq(count(out, "<li class=\"explain-gain\"><strong>Potential gain</strong>: "
				    "how many more forms"), 1);
	ck_assert_int_eq(count(out, "<th>Potential gain</th>"), 2);
	free(out);
	t.sequential = 1;
	out = render(&t);
	ck_assert_ptr_null(strstr(out, "explain-open"));
	ck_assert_ptr_nonnull(strstr(out, "explain-gain"));
	free(out);
}
END_TEST

/* Which of the trend chart's period labels a screen of width vw shows
 * (the CSS of the page: set 1 below 700 px, set 2 below 1000, else 3). */
static int shown(const char *cls, int vw)
{
	const char *set = vw < 700 ? " s1" : vw < 1000 ? " s2" : " s3";
	if (!strstr(cls, " s"))
		return 1;   /* no sets: always shown */
	for (const char *p = strstr(cls, set); p; p = strstr(p + 1, set))
		if (p[3] == '\0' || p[3] == ' ')
			return 1;
	return 0;
}

/* The trend chart's period labels, laid out as a browser would for screen
 * widths from 320 px to 1400 px (plot: 86% of the content width, min(vw,
 * 1100) - 32 px, from 10%; 7 px per character at 11 px): the labels shown
 * never overlap, the latest period always has one, none starts left of
 * the page's padding, and a phone shows at least two when there are. */
START_TEST(test_html_trend_labels_do_not_overlap)
{
	enum { MAXP = 62 };
	static report_row r[MAXP];
	static const enum ktime_by kinds[] = { KTIME_BY_DAY, KTIME_BY_WEEK, KTIME_BY_MONTH };
	static const int widths[] = { 320, 360, 390, 430, 600, 699, 700, 820, 999, 1000, 1100, 1400 };
	for (size_t kind = 0; kind < 3; kind++)
		for (int np = 1; np <= MAXP; np++) {
			for (int p = 0; p < np; p++) {
				char label[16];
				if (kinds[kind] == KTIME_BY_DAY)
					snprintf(label, sizeof label, "2026-%02d-%02d", 1 + p / 28, 1 + p % 28);
				else if (kinds[kind] == KTIME_BY_WEEK)
					snprintf(label, sizeof label, "%d-W%02d", 2026 + p / 52, 1 + p % 52);
				else
					snprintf(label, sizeof label, "%d-%02d", 2026 + p / 12, 1 + p % 12);
				r[p] = row(label, "Alfa", "Paspoort", 100, 50, 10 + p % 7);
			}
			report_table t = { .rows = r, .nrows = (size_t)np, .by = kinds[kind],
					   .lang = "nl" };
			char *out = render(&t);
			const char *svg = strstr(out, "<svg class=\"trend-chart");
			ck_assert_ptr_nonnull(svg);
			for (size_t wi = 0; wi < sizeof widths / sizeof widths[0]; wi++) {
				int vw = widths[wi];
				double content = (vw < 1100 ? vw : 1100) - 32;
				double prev_right = -1e9;
				int nshown = 0, last_shown = 0;
				char cls[80], x[32], anchor[16];
				const char *label = "";
				/* the ticks under the plot (those of the y axis have a dx) */
				for (const char *tk = strstr(svg, "<text class=\"tick");
				     tk && tk < strstr(svg, "</svg>");
				     tk = strstr(tk + 1, "<text class=\"tick")) {
					if (attr(tk, "dx", x, sizeof x)[0])
						continue;
					attr(tk, "class", cls, sizeof cls);
					if (!shown(cls, vw))
						continue;
					double cx = content * strtod(attr(tk, "x", x, sizeof x), NULL) / 100;
					double w = 7.0 * (double)text_len(tk);
					int end = strcmp(attr(tk, "text-anchor", anchor, sizeof anchor),
							 "end") == 0;
					double left = end ? cx - w : cx - w / 2;
					ck_assert_msg(left >= prev_right + 4,
						      "%d periods, %d px: label at %.0f px overlaps the "
						      "one before (ends %.0f px)", np, vw, left, prev_right);
					ck_assert_msg(left >= -16, "%d periods, %d px: label off the page",
						      np, vw);
					prev_right = left + w;
					nshown++;
					label = strchr(tk, '>') + 1;
					last_shown = strncmp(label, r[np - 1].period,
							     strlen(r[np - 1].period)) == 0;
				}
				ck_assert_msg(nshown >= (np > 1 ? 2 : 1) && last_shown,
					      "%d periods, %d px: %d labels, latest %s", np, vw, nshown,
					      last_shown ? "shown" : "missing");
			}
			free(out);
		}
}
END_TEST

/* In the benchmark chart the median line crosses no value label and no
 * name, at any chart width from a phone's to a laptop's: value labels
 * (6 px after their x, 7 px per character) never contain the median's x,
 * and the median is drawn only beside the bars (segments from 2 px under
 * a name's baseline to the next row), not through the names. */
START_TEST(test_html_median_clear_of_labels)
{
	/* conversions around the median in steps of half a point: every
	 * distance between a bar's end and the median line occurs */
	enum { NG = 21 };
	static report_row r[NG];
	static char names[NG][16];
	for (int g = 0; g < NG; g++) {
		snprintf(names[g], sizeof names[g], "Gemeente %02d", g);
		r[g] = row("", names[g], "Paspoort", 1000, 500, 100 + 5 * g);
	}
	bench_compute(r, NG, 30, 0);
	report_table t = { .rows = r, .nrows = NG, .by = KTIME_BY_NONE, .lang = "nl" };
	char *out = render(&t);
	const char *svg = strstr(out, "<svg class=\"benchmark-chart");
	ck_assert_ptr_nonnull(svg);
	const char *med = strstr(svg, "class=\"median");
	ck_assert_ptr_nonnull(med);
	char x[32], y[32], cls[40];
	double xm = strtod(attr(strstr(med, "<line") ? strstr(med, "<line") : med, "x1", x,
				sizeof x), NULL);
	int values = 0;
	for (double width = 288; width <= 1068; width += 20) {
		values = 0;
		for (const char *v = strstr(svg, "<text class=\"value\""); v;
		     v = strstr(v + 1, "<text class=\"value\"")) {
			double left = width * strtod(attr(v, "x", x, sizeof x), NULL) / 100 + 6;
			double right = left + 7.0 * (double)text_len(v);
			double line = width * xm / 100;
			ck_assert_msg(line + 1 < left || line - 1 > right,
				      "%.0f px: median at %.1f px runs through a value label "
				      "(%.1f-%.1f px)", width, line, left, right);
			values++;
		}
	}
	ck_assert_int_eq(values, NG);
	/* names: the median's segments start below each name's baseline */
	int names_seen = 0;
	for (const char *n = strstr(svg, "<text class=\"name"); n;
	     n = strstr(n + 1, "<text class=\"name")) {
		double base = strtod(attr(n, "y", y, sizeof y), NULL);
		for (const char *l = strstr(med, "<line"); l && l < strstr(med, "</g>");
		     l = strstr(l + 1, "<line")) {
			double y1 = strtod(attr(l, "y1", y, sizeof y), NULL);
			double y2 = strtod(attr(l, "y2", y, sizeof y), NULL);
			/* a name's box (as Chromium measures it): 12 px above its
			 * baseline to 3 below */
			ck_assert_msg(y2 <= base - 12 || y1 >= base + 3,
				      "median segment %.0f-%.0f crosses the name at %.0f",
				      y1, y2, base);
		}
		ck_assert_int_eq(strcmp(attr(n, "class", cls, sizeof cls), "name"), 0);
		names_seen++;
	}
	ck_assert_int_eq(names_seen, NG);
	free(out);
}
END_TEST

/* The table's cells carry their column's name for the narrow layout,
 * where a row becomes a card and the header is hidden. */
START_TEST(test_html_table_cells_labelled)
{
	report_row r[6];
	sample(r, "");
	report_table t = { .rows = r, .nrows = 6, .by = KTIME_BY_NONE, .lang = "en" };
	char *out = render(&t);
	static const char *const labels[] = { "Info", "Form", "Completed", "Conversion",
					      "Rank", "Potential gain" };
	for (size_t k = 0; k < sizeof labels / sizeof labels[0]; k++) {
		char want[64];
		snprintf(want, sizeof want, "<td data-label=\"%s\">", labels[k]);
		ck_assert_int_eq(count(out, want), 6);
	}
	ck_assert_ptr_nonnull(strstr(out, "@media (max-width:600px){table.data{display:block"));
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
	tcase_add_test(tc, test_html_highlight_colour_only_highlight);
	tcase_add_test(tc, test_html_title_dates);
	tcase_add_test(tc, test_html_explanations);
	tcase_add_test(tc, test_html_trend_labels_do_not_overlap);
	tcase_add_test(tc, test_html_median_clear_of_labels);
	tcase_add_test(tc, test_html_table_cells_labelled);
	suite_add_tcase(s, tc);
	return s;
}
