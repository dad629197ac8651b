/*
 * report_html.c - the report as one self-contained HTML page: inline CSS
 * and SVG, no script, no network, readable on a laptop and a phone,
 * printable.
 *
 * Page: a title and header dated with the days the figures come from
 * (report_meta's first and last day with data, else the first and last
 * period), a header (what was counted, period, inputs, lines read,
 * exclusions per reason, a note on rates above 100% and the potential
 * gain), a list of products, then per product
 *   - a funnel chart per gemeente: three bars (info, form, done) with
 *     counts and the step-to-step percentages form/info and done/form;
 *   - a benchmark chart: conversion per gemeente, highest first, each
 *     name above its bar, the median as a dashed line that crosses no
 *     label, gemeenten outside the benchmark lighter, the --highlight
 *     gemeente marked, the 95% interval as a whisker when the table has
 *     the --details columns;
 *   - with --by, a trend chart: conversion per period, one line per
 *     gemeente; the funnel and benchmark charts then show the latest
 *     period (each period's figures stand alone, so they are not summed);
 *   - a table with the figures of the charts; below 600 px a card per
 *     gemeente (CSS only), so no column is off a phone's screen.
 * Only the highlighted gemeente is ever drawn in HL_COLOUR.
 * Values are the cells of the report model, so suppressed or added
 * columns show here as in the CSV; an empty or suppressed cell is drawn
 * as no bar and printed as an en dash. Rates and the median are the
 * model's doubles, not re-rounded to the CSV's 4 decimals; the 95%
 * whiskers are drawn from the bounds as the CSV prints them.
 *
 * The charts scale with the page without scaling their text: x
 * coordinates are percentages of the chart width, y coordinates pixels.
 * Class names the DOM test looks for: svg.funnel-chart, rect.bar.step-info
 * / step-form / step-done, svg.benchmark-chart, g.median, text.name,
 * text.value, .highlight, svg.trend-chart, g.trend-line, text.period.
 *
 * Every text from the table (names, periods, inputs, command line) is
 * HTML-escaped; bytes that are not valid UTF-8 and control characters
 * become U+FFFD. Labels are Dutch unless t->lang is "en"; numbers follow
 * the language: nl 1.234 and 45,3%, en 1,234 and 45.3%.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "compat.h"
#include "html.h"
#include "report_writers.h"
#include "text.h"
#include "fault.h"

/* ---- labels ---- */

typedef struct {
	const char *lang, *title, *heading;
	const char *visitors, *hits, *open, *sequential, *by_day, *by_week, *by_month;
	const char *period, *all_lines, *from_to, *from, *until, *periods;
	const char *inputs, *lines_unit, *lines_read, *blank, *excluded;
	const char *qualified, *matched, *made, *products, *latest;
	const char *funnels, *step[3], *short_step[3], *of_prev;
	const char *benchmark, *median, *outside, *interval, *no_conv;
	const char *trend;
	const char *col_gemeente, *col_conv, *col_rank, *col_gain, *rank_of;
	char thousands, decimal;
	const char *col_errors[2];   /* --details: 5xx on the form and done steps */
	const char *peer;            /* "%s" = peer group */
	const char *days;            /* "%s", "%s": first and last day with data */
	const char *selected;        /* "%s": the --since/--until text */
	const char *explain;         /* heading of the explanations */
	const char *explain_open;    /* a rate above 100% in the open funnel */
	const char *explain_gain;    /* the potential gain column */
} labels;

static const labels nl = {
	"nl", "Klantreis-rapport", "Digitale klantreis per gemeente en product",
	"bezoekers", "verzoeken", "open funnel", "sequenti\xc3\xable funnel",
	"per dag", "per week", "per maand",
	"Periode", "alle regels in de invoer", "van %s tot %s", "vanaf %s", "tot %s",
	"periodes",
	"Invoer", "regels", "Regels gelezen", "leeg", "Uitgesloten",
	"Meetellende verzoeken", "met een stap", "Gemaakt met klantreis %s in %s s",
	"Producten", "Laatste periode: %s",
	"Funnel per gemeente",
	{ "Informatiepagina bekeken", "Formulier gestart", "Formulier afgerond" },
	{ "Info", "Formulier", "Afgerond" },
	"van vorige stap",
	"Conversie per gemeente (afgerond / informatiepagina)", "mediaan",
	"lichtere balk: niet in de benchmark (te weinig bezoekers)",
	"streep: 95%-betrouwbaarheidsinterval",
	"Geen gemeente met bezoekers op de informatiepagina.",
	"Conversie per periode",
	"Gemeente", "Conversie", "Positie", "Te winnen", "%s van %s",
	'.', ',',
	{ "5xx formulier", "5xx afgerond" },
	"groep %s",
	"%s t/m %s", "selectie: %s",
	"Zo lees je dit rapport",
	"<strong>Boven 100%</strong>: in de open funnel telt elke stap op zich, ook "
	"bezoekers die een eerdere stap oversloegen, bijvoorbeeld via een link of "
	"zoekmachine rechtstreeks naar het formulier. Een stap kan dus meer bezoekers "
	"hebben dan de vorige, en dan komt het percentage boven 100% uit.",
	"<strong>Te winnen</strong>: hoeveel formulieren er meer afgerond zouden zijn "
	"als de gemeente de mediane conversie had gehaald (0 als ze die al haalt). "
	"Alleen voor gemeenten in de benchmark.",
};

static const labels en = {
	"en", "Customer journey report", "Digital customer journey per municipality and product",
	"visitors", "requests", "open funnel", "sequential funnel",
	"by day", "by week", "by month",
	"Period", "all lines in the input", "from %s to %s", "from %s", "until %s",
	"periods",
	"Input", "lines", "Lines read", "blank", "Excluded",
	"Qualifying requests", "matching a step", "Made with klantreis %s in %s s",
	"Products", "Latest period: %s",
	"Funnel per municipality",
	{ "Information page viewed", "Form started", "Form completed" },
	{ "Info", "Form", "Completed" },
	"of previous step",
	"Conversion per municipality (completed / information page)", "median",
	"lighter bar: not in the benchmark (too few visitors)",
	"whisker: 95% confidence interval",
	"No municipality with visitors on the information page.",
	"Conversion per period",
	"Municipality", "Conversion", "Rank", "Potential gain", "%s of %s",
	',', '.',
	{ "5xx form", "5xx done" },
	"peer group %s",
	"%s to %s", "selected: %s",
	"How to read this report",
	"<strong>Above 100%</strong>: in the open funnel each step counts on its own, "
	"including visitors who skipped an earlier step, for example by following a "
	"link or a search result straight to the form. A step can therefore have more "
	"visitors than the one before, and then its rate is above 100%.",
	"<strong>Potential gain</strong>: how many more forms would have been "
	"completed had the municipality converted at the median rate (0 when it "
	"already does). Only for municipalities in the benchmark.",
};

/* ---- values ---- */

enum {
	V_INFO, V_FORM, V_DONE, V_FORM_RATE, V_DONE_RATE, V_CONV, V_MEDIAN, V_RANK,
	V_RANKED, V_GAIN, V_LOW, V_HIGH, V_FERR, V_DERR, NV
};

typedef struct {
	const char *period, *gemeente, *product;
	const char *peer;      /* peer group with --peer, else NULL */
	unsigned has;          /* bit k: value k present */
	double v[NV];
	int hl;                /* the --highlight gemeente */
} hrow;

#define HAS(r, k) (((r)->has >> (k)) & 1u)

typedef struct {
	FILE *fp;
	const report_table *t;
	const labels *L;
	hrow *rows;
	size_t nrows;
	const char **periods;  /* distinct labels, ascending (with --by) */
	size_t nperiods;
	const char **products; /* distinct names, first appearance */
	size_t nproducts;
	size_t *sel;           /* scratch: row indices, nrows of them */
	const char **gems;     /* scratch: gemeente names, nrows of them */
	int has_ci;            /* the table has conversion_low/high */
	int has_err;           /* the table has form_errors/done_errors */
} html;

static void put(html *h, const char *s)
{
	fputs(s, h->fp);
}

/* Writes s escaped for HTML text and attribute values (html.h). */
static void esc(html *h, const char *s)
{
	html_esc(h->fp, s);
}

/* s cut to at most max code points, "…" marking a cut, into buf. */
static const char *cut(const char *s, size_t max, char *buf, size_t n)
{
	size_t i = 0, cps = 0;
	while (s[i] && cps < max) {
		i++;
		while (((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
		cps++;
	}
	if (!s[i] || i + 4 > n)
		return s;
	memcpy(buf, s, i);
	memcpy(buf + i, "\xe2\x80\xa6", 4);
	return buf;
}

/* An integer with the language's thousands separator. */
static const char *fmt_int(const labels *L, double v, char *buf, size_t n)
{
	return html_fmt_int(L->thousands, v, buf, n);
}

/* A fraction as a percentage with `decimals` decimals and the language's
 * decimal mark: 0.4531 -> "45,3%". */
static const char *fmt_pct(const labels *L, double frac, int decimals, char *buf, size_t n)
{
	return html_fmt_pct(L->decimal, frac, decimals, buf, n);
}

/* A chart x position: percent of the chart width, 3 decimals, '.'. */
static void put_pct(html *h, double x)
{
	html_put_pct(h->fp, x);
}

static const char *reason_label(const labels *L, const char *name)
{
	return html_reason_label(L->lang, name);
}

/* ---- the model ---- */

/* The report columns behind the values, in V_ order. */
static const enum report_col v_cols[NV] = {
	REPORT_COL_INFO, REPORT_COL_FORM, REPORT_COL_DONE, REPORT_COL_FORM_RATE,
	REPORT_COL_DONE_RATE, REPORT_COL_CONVERSION, REPORT_COL_MEDIAN, REPORT_COL_RANK,
	REPORT_COL_RANKED, REPORT_COL_GAIN, REPORT_COL_CONV_LOW, REPORT_COL_CONV_HIGH,
	REPORT_COL_FORM_ERRORS, REPORT_COL_DONE_ERRORS,
};

static int load(html *h, const report_model *m)
{
	const report_table *t = m->t;
	char buf[64];

	h->has_ci = report_model_has(m, REPORT_COL_CONV_LOW) &&
	            report_model_has(m, REPORT_COL_CONV_HIGH);
	h->has_err = report_model_has(m, REPORT_COL_FORM_ERRORS) &&
	             report_model_has(m, REPORT_COL_DONE_ERRORS);
	h->nrows = m->nrows;
	h->rows = calloc(m->nrows + 1, sizeof *h->rows);
	h->periods = calloc(m->nrows + 1, sizeof *h->periods);
	h->products = calloc(m->nrows + 1, sizeof *h->products);
	h->sel = calloc(m->nrows + 1, sizeof *h->sel);
	h->gems = calloc(m->nrows + 1, sizeof *h->gems);
	if (!h->rows || !h->periods || !h->products || !h->sel || !h->gems)
		return -1;
	for (size_t i = 0; i < m->nrows; i++) {
		const report_row *src = report_model_row(m, i);
		const report_cell *gem = report_model_cell(m, i, REPORT_COL_GEMEENTE);
		const report_cell *prod = report_model_cell(m, i, REPORT_COL_PRODUCT);
		hrow *r = &h->rows[i];
		r->period = src->period;
		r->gemeente = gem->kind == REPORT_CELL_TEXT ? gem->text : "-";
		r->product = prod->kind == REPORT_CELL_TEXT ? prod->text : "-";
		r->peer = t->peer ? (src->peer ? src->peer : "") : NULL;
		r->hl = t->highlight && strcasecmp(t->highlight, r->gemeente) == 0;
		for (int k = 0; k < NV; k++) {
			const report_cell *c = report_model_cell(m, i, v_cols[k]);
			if (!report_model_has(m, v_cols[k]))
				continue;
			if (c->kind == REPORT_CELL_COUNT)
				r->v[k] = (double)c->n;
			else if (c->kind == REPORT_CELL_RATE && (k == V_LOW || k == V_HIGH))
				r->v[k] = strtod(report_model_format(c, buf, sizeof buf), NULL);
			else if (c->kind == REPORT_CELL_RATE)
				r->v[k] = c->rate;
			else
				continue;
			r->has |= 1u << k;
		}
		if (t->by != KTIME_BY_NONE &&
		    (h->nperiods == 0 || strcmp(h->periods[h->nperiods - 1], r->period) != 0)) {
			size_t p = 0;
			while (p < h->nperiods && strcmp(h->periods[p], r->period) != 0)
				p++;
			if (p == h->nperiods)
				h->periods[h->nperiods++] = r->period;
		}
		size_t p = 0;
		while (p < h->nproducts && h->products[p] != r->product &&
		       strcmp(h->products[p], r->product) != 0)
			p++;
		if (p == h->nproducts)
			h->products[h->nproducts++] = r->product;
	}
	return 0;
}

static int same(const char *a, const char *b)
{
	return a == b || strcmp(a, b) == 0;
}

/* Selects into h->sel the rows of product p in the shown period (the
 * latest with --by). Returns their number. */
static size_t select_rows(html *h, const char *product)
{
	const char *period = h->nperiods ? h->periods[h->nperiods - 1] : NULL;
	size_t n = 0;
	for (size_t i = 0; i < h->nrows; i++)
		if (same(h->rows[i].product, product) &&
		    (!period || same(h->rows[i].period, period)))
			h->sel[n++] = i;
	return n;
}

/* ---- page parts ---- */



static const char *by_label(const labels *L, enum ktime_by by)
{
	switch (by) {
	case KTIME_BY_DAY: return L->by_day;
	case KTIME_BY_WEEK: return L->by_week;
	case KTIME_BY_MONTH: return L->by_month;
	default: return NULL;
	}
}

/* printf-like with one %s argument, the argument escaped. */
static void put_fmt1(html *h, const char *fmt, const char *arg)
{
	const char *s = strstr(fmt, "%s");
	if (!s) {
		esc(h, fmt);
		return;
	}
	fwrite(fmt, 1, (size_t)(s - fmt), h->fp);
	esc(h, arg);
	put(h, s + 2);
}

/* Like put_fmt1 with two %s. */
static void put_fmt2(html *h, const char *fmt, const char *a, const char *b)
{
	const char *s = strstr(fmt, "%s");
	if (!s) {
		esc(h, fmt);
		return;
	}
	fwrite(fmt, 1, (size_t)(s - fmt), h->fp);
	esc(h, a);
	put_fmt1(h, s + 2, b);
}

/* "3 van 5": the rank of r among the ranked rows. */
static void put_rank(html *h, const hrow *r)
{
	char a[40], b[40];
	put_fmt2(h, h->L->rank_of, fmt_int(h->L, r->v[V_RANK], a, sizeof a),
	         fmt_int(h->L, r->v[V_RANKED], b, sizeof b));
}

static void bound_text(const int64_t *wall, char *buf, size_t n)
{
	ktime_format_bound(*wall, buf, n);
	char *t = strchr(buf, 'T');
	if (t)
		*t = ' ';
}

/* The days the figures come from, into a and b (b empty for a single
 * day): the first and last day with a matched step when the run says
 * (meta), else the first and last period with --by. Returns 0 (a and b
 * empty) when neither is known. */
static int data_days(const html *h, char *a, char *b, size_t n)
{
	return html_data_days(h->t->meta, h->periods, h->nperiods, a, b, n);
}

/* "a – b", or a alone, escaped. */
static void put_range(html *h, const char *a, const char *b)
{
	esc(h, a);
	if (b[0]) {
		put(h, " \xe2\x80\x93 ");
		esc(h, b);
	}
}

/* The heading with the days of data, and the line under it: what was
 * counted, which funnel, which periods. */
static void header_title(html *h, const char *d1, const char *d2, int days)
{
	const labels *L = h->L;
	const report_table *t = h->t;

	put(h, "<header class=\"report-header\">\n<h1>");
	esc(h, L->heading);
	if (days) {
		put(h, " <span class=\"dates\">");
		put_range(h, d1, d2);
		put(h, "</span>");
	}
	put(h, "</h1>\n<p class=\"sub\">");
	esc(h, t->count_hits ? L->hits : L->visitors);
	put(h, ", ");
	esc(h, t->sequential ? L->sequential : L->open);
	if (by_label(L, t->by)) {
		put(h, ", ");
		esc(h, by_label(L, t->by));
	}
	put(h, "</p>\n");
}

/* The period's <dd>: the days with data and the --since/--until range,
 * then the first and last period. */
static void header_period(html *h, const char *d1, const char *d2)
{
	const labels *L = h->L;
	const report_meta *m = h->t->meta;
	char a[32], b[32];

	put(h, "<dt>");
	esc(h, L->period);
	put(h, "</dt><dd class=\"period\">");
	const int64_t *since = m ? m->since : NULL, *until = m ? m->until : NULL;
	if (since)
		bound_text(since, a, sizeof a);
	if (until)
		bound_text(until, b, sizeof b);
	const char *sel = NULL;
	if (m && m->has_days) {
		/* the days with data; a --since/--until after them */
		if (d2[0])
			put_fmt2(h, L->days, d1, d2);
		else
			esc(h, d1);
		if (since || until) {
			sel = strstr(L->selected, "%s");
			put(h, " (");
			fwrite(L->selected, 1, (size_t)(sel - L->selected), h->fp);
		}
	}
	if (m && m->has_days && !since && !until) {
		/* said it all */
	} else if (since && until) {
		put_fmt2(h, L->from_to, a, b);
	} else if (since) {
		put_fmt1(h, L->from, a);
	} else if (until) {
		put_fmt1(h, L->until, b);
	} else {
		esc(h, L->all_lines);
	}
	if (sel) {
		put(h, sel + 2);
		put(h, ")");
	}
	if (h->nperiods) {
		put(h, "; ");
		esc(h, L->periods);
		put(h, " ");
		esc(h, h->periods[0]);
		if (h->nperiods > 1) {
			put(h, " \xe2\x80\x93 ");
			esc(h, h->periods[h->nperiods - 1]);
		}
	}
	put(h, "</dd>\n");
}

/* What the run read, from the meta m: the inputs with their lines, the
 * lines read, the requests excluded by reason, qualified and matched. */
static void header_inputs(html *h, const report_meta *m)
{
	const labels *L = h->L;
	char num[40];

	put(h, "<dt>");
	esc(h, L->inputs);
	put(h, "</dt><dd><ul class=\"inputs\">");
	for (int i = 0; i < m->ninputs; i++) {
		const char *name = m->input_names ? m->input_names[i] : "-";
		const char *fmt = m->input_formats ? m->input_formats[i] : NULL;
		put(h, "<li>");
		esc(h, strcmp(name, "-") == 0 ? "(stdin)" : name);
		put(h, " (");
		if (fmt) {
			esc(h, fmt);
			put(h, ", ");
		}
		esc(h, fmt_int(L, m->input_lines ? (double)m->input_lines[i] : 0, num, sizeof num));
		put(h, " ");
		esc(h, L->lines_unit);
		put(h, ")</li>");
	}
	put(h, "</ul></dd>\n<dt>");
	esc(h, L->lines_read);
	put(h, "</dt><dd class=\"lines-read\">");
	esc(h, fmt_int(L, (double)m->lines, num, sizeof num));
	put(h, " (");
	esc(h, fmt_int(L, (double)m->blank, num, sizeof num));
	put(h, " ");
	esc(h, L->blank);
	put(h, ")</dd>\n<dt>");
	esc(h, L->excluded);
	put(h, "</dt><dd class=\"excluded\">");
	for (int k = 0; m->excluded && m->reason_names && k < m->nreasons; k++) {
		if (k)
			put(h, " \xc2\xb7 ");
		esc(h, reason_label(L, m->reason_names[k]));
		put(h, " ");
		esc(h, fmt_int(L, (double)m->excluded[k], num, sizeof num));
	}
	put(h, "</dd>\n<dt>");
	esc(h, L->qualified);
	put(h, "</dt><dd>");
	esc(h, fmt_int(L, (double)m->qualified, num, sizeof num));
	put(h, " (");
	esc(h, fmt_int(L, (double)m->matched, num, sizeof num));
	put(h, " ");
	esc(h, L->matched);
	put(h, ")</dd>\n");
}

/* What a reader may stumble on (a rate above 100% in the open funnel,
 * the potential gain column), and the products' table of contents. */
static void header_explain(html *h)
{
	const labels *L = h->L;

	put(h, "<div class=\"explain\"><strong>");
	esc(h, L->explain);
	put(h, "</strong><ul>");
	if (!h->t->sequential) {
		put(h, "<li class=\"explain-open\">");
		put(h, L->explain_open);
		put(h, "</li>");
	}
	put(h, "<li class=\"explain-gain\">");
	put(h, L->explain_gain);
	put(h, "</li></ul></div>\n");
	if (h->nproducts > 1) {
		put(h, "<nav class=\"toc\"><strong>");
		esc(h, L->products);
		put(h, "</strong><ul>");
		for (size_t p = 0; p < h->nproducts; p++) {
			fprintf(h->fp, "<li><a href=\"#p%zu\">", p + 1);
			esc(h, h->products[p]);
			put(h, "</a></li>");
		}
		put(h, "</ul></nav>\n");
	}
}

/* The report's <header>: title, meta list, explanations, contents. */
static void header(html *h)
{
	char d1[40], d2[40];
	int days = data_days(h, d1, d2, sizeof d1);

	header_title(h, d1, d2, days);
	put(h, "<dl class=\"meta\">\n");
	header_period(h, d1, d2);
	if (h->t->meta)
		header_inputs(h, h->t->meta);
	put(h, "</dl>\n");
	header_explain(h);
	put(h, "</header>\n");
}

/* The funnel of one row: three bars scaled to the largest step. */
static void funnel_chart(html *h, const hrow *r)
{
	static const char *const cls[3] = { "step-info", "step-form", "step-done" };
	const labels *L = h->L;
	char num[40];
	double max = 0;
	for (int k = 0; k < 3; k++)
		if (HAS(r, V_INFO + k) && r->v[V_INFO + k] > max)
			max = r->v[V_INFO + k];

	fprintf(h->fp, "<figure class=\"funnel%s\" data-gemeente=\"", r->hl ? " highlight" : "");
	esc(h, r->gemeente);
	put(h, "\"><figcaption>");
	esc(h, r->gemeente);
	put(h, "</figcaption>\n<svg class=\"funnel-chart\" height=\"128\" role=\"img\" aria-label=\"");
	for (int k = 0; k < 3; k++) {
		if (k)
			put(h, ", ");
		esc(h, L->step[k]);
		put(h, ": ");
		esc(h, HAS(r, V_INFO + k) ? fmt_int(L, r->v[V_INFO + k], num, sizeof num) : "\xe2\x80\x93");
	}
	put(h, "\">\n");
	for (int k = 0; k < 3; k++) {
		int y = k * 42;
		fprintf(h->fp, "<text class=\"step-label\" x=\"0\" y=\"%d\">", y + 13);
		esc(h, L->step[k]);
		put(h, "</text>");
		int rate = k == 1 ? V_FORM_RATE : V_DONE_RATE;
		if (k > 0 && HAS(r, rate)) {
			fprintf(h->fp, "<text class=\"rate\" x=\"100%%\" y=\"%d\" text-anchor=\"end\">", y + 13);
			esc(h, fmt_pct(L, r->v[rate], 1, num, sizeof num));
			put(h, " ");
			esc(h, L->of_prev);
			put(h, "</text>");
		}
		double w = 0;
		if (HAS(r, V_INFO + k) && max > 0) {
			w = 75.0 * r->v[V_INFO + k] / max;
			if (r->v[V_INFO + k] > 0 && w < 0.5)
				w = 0.5;
		}
		if (w > 0) {
			fprintf(h->fp, "<rect class=\"bar %s\" x=\"0\" y=\"%d\" width=\"", cls[k], y + 19);
			put_pct(h, w);
			put(h, "\" height=\"16\" rx=\"2\"/>");
		}
		fprintf(h->fp, "<text class=\"count\" x=\"");
		put_pct(h, w);
		fprintf(h->fp, "\" dx=\"%d\" y=\"%d\">", w > 0 ? 6 : 0, y + 32);
		esc(h, HAS(r, V_INFO + k) ? fmt_int(L, r->v[V_INFO + k], num, sizeof num) : "\xe2\x80\x93");
		put(h, "</text>\n");
	}
	put(h, "</svg></figure>\n");
}

/* Higher conversion first; ties in report order. */
static int cmp_conv(const void *a, const void *b, const void *rows)
{
	const hrow *hr = rows;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	double cx = hr[x].v[V_CONV], cy = hr[y].v[V_CONV];
	if (cx != cy)
		return cx > cy ? -1 : 1;
	return (x > y) - (x < y);
}

/* The benchmark chart of the selected rows sel[0..n): a row per
 * gemeente, its name on a line of its own above its bar, so that no name
 * is cut short by the bars on a phone. The value label follows the bar (or
 * its whisker); where the median line would run through it (the line lies
 * less than BM_LABEL of the chart's width right of the bar's end: a
 * label's width on a 260 px chart) the label moves past the line. The
 * median is drawn as one dashed segment per bar, so it crosses no name
 * either. */
#define BM_WIDTH 84.0  /* plot width, % of the chart; the rest for labels */
#define BM_LABEL 18.0  /* % of the chart a value label may need */
#define BM_TOP 24      /* px above the first row: the median's label */
#define BM_ROW 38      /* px per gemeente: name line, bar, gap */

/* x (% of the chart) where the value label of a bar ending at xe starts,
 * the median line being at xm (xm < 0: none). */
static double bm_label_x(double xe, double xm)
{
	return xm >= xe && xm - xe < BM_LABEL ? xm : xe;
}

/* Keeps in sel[0..m) the rows of sel[0..n) with a conversion and
 * returns m; *max gets the largest conversion (or interval end), the
 * median (*has_median) that of the rows, *outside whether a kept row is
 * outside the benchmark (no rank). */
static size_t bm_select(const html *h, size_t *sel, size_t n, double *max, double *median,
                        int *has_median, int *outside)
{
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		const hrow *r = &h->rows[sel[i]];
		if (HAS(r, V_MEDIAN)) {
			*has_median = 1;
			*median = r->v[V_MEDIAN];
		}
		if (!HAS(r, V_CONV))
			continue;
		*outside |= !HAS(r, V_RANK);
		sel[m++] = sel[i];
		if (r->v[V_CONV] > *max)
			*max = r->v[V_CONV];
		if (h->has_ci && HAS(r, V_HIGH) && r->v[V_HIGH] > *max)
			*max = r->v[V_HIGH];
	}
	return m;
}

/* The vertical grid lines and their percentages, 0 to scale by step,
 * from BM_TOP down to bottom. */
static void bm_grid(html *h, double scale, double step, int bottom)
{
	char num[40];
	for (int k = 0; k * step <= scale + 1e-9; k++) {
		double x = BM_WIDTH * (k * step) / scale;
		put(h, "<line class=\"grid\" x1=\"");
		put_pct(h, x);
		put(h, "\" x2=\"");
		put_pct(h, x);
		fprintf(h->fp, "\" y1=\"%d\" y2=\"%d\"/><text class=\"tick\" x=\"", BM_TOP - 2, bottom);
		put_pct(h, x);
		fprintf(h->fp, "\" y=\"%d\" text-anchor=\"%s\">", bottom + 15,
		        k == 0 ? "start" : "middle");
		esc(h, fmt_pct(h->L, k * step, 0, num, sizeof num));
		put(h, "</text>\n");
	}
}

/* Row r of the chart at y: its name, its bar with a tooltip, the
 * interval's whisker (with --details) and the value label (bm_label_x,
 * the median at xm). */
static void bm_bar(html *h, const hrow *r, int y, double scale, double xm)
{
	const labels *L = h->L;
	char num[40], nb[160];
	double w = BM_WIDTH * r->v[V_CONV] / scale;
	fprintf(h->fp, "<text class=\"name%s\" x=\"0\" y=\"%d\"><title>",
	        r->hl ? " highlight" : "", y + 12);
	esc(h, r->gemeente);
	put(h, "</title>");
	esc(h, cut(r->gemeente, 40, nb, sizeof nb));
	put(h, "</text>");
	fprintf(h->fp, "<rect class=\"bar%s%s\" x=\"0\" y=\"%d\" width=\"",
	        HAS(r, V_RANK) ? "" : " ineligible", r->hl ? " highlight" : "", y + 17);
	put_pct(h, w);
	put(h, "\" height=\"14\" rx=\"2\"><title>");
	esc(h, r->gemeente);
	put(h, ": ");
	esc(h, fmt_pct(L, r->v[V_CONV], 1, num, sizeof num));
	if (HAS(r, V_RANK) && HAS(r, V_RANKED)) {
		put(h, ", ");
		esc(h, L->col_rank);
		put(h, " ");
		put_rank(h, r);
	}
	put(h, "</title></rect>");
	double xe = w;
	if (h->has_ci && HAS(r, V_LOW) && HAS(r, V_HIGH)) {
		double x1 = BM_WIDTH * r->v[V_LOW] / scale;
		double x2 = BM_WIDTH * r->v[V_HIGH] / scale;
		put(h, "<line class=\"ci\" x1=\"");
		put_pct(h, x1);
		put(h, "\" x2=\"");
		put_pct(h, x2);
		fprintf(h->fp, "\" y1=\"%d\" y2=\"%d\"/>", y + 24, y + 24);
		if (x2 > xe)
			xe = x2;
	}
	put(h, "<text class=\"value\" x=\"");
	put_pct(h, bm_label_x(xe, xm));
	fprintf(h->fp, "\" dx=\"6\" y=\"%d\">", y + 28);
	esc(h, fmt_pct(L, r->v[V_CONV], 1, num, sizeof num));
	put(h, "</text>\n");
}

/* The median at xm for m rows: a segment per bar (the line never crosses
 * a name) and its label on top. */
static void bm_median(html *h, size_t m, double xm, double median)
{
	char num[40];
	put(h, "<g class=\"median\">");
	for (size_t j = 0; j < m; j++) {
		int y = BM_TOP + (int)j * BM_ROW;
		put(h, "<line x1=\"");
		put_pct(h, xm);
		put(h, "\" x2=\"");
		put_pct(h, xm);
		fprintf(h->fp, "\" y1=\"%d\" y2=\"%d\"/>", y + 16, y + 36);
	}
	put(h, "</g><text class=\"median-label\" x=\"");
	put_pct(h, xm);
	fprintf(h->fp, "\" y=\"12\" text-anchor=\"%s\">", xm < 15 ? "start" : "middle");
	esc(h, h->L->median);
	put(h, " ");
	esc(h, fmt_pct(h->L, median, 1, num, sizeof num));
	put(h, "</text>\n");
}

/* The benchmark chart of group (NULL: all rows; "" a peer group without
 * a name) from rows sel[0..n), which it reorders: heading, grid, bars,
 * median, and a caption on rows outside the benchmark and intervals. */
static void benchmark_chart(html *h, size_t *sel, size_t n, const char *group)
{
	const labels *L = h->L;
	double max = 0, median = 0;
	int has_median = 0, outside = 0;
	size_t m = bm_select(h, sel, n, &max, &median, &has_median, &outside);

	put(h, "<h3>");
	esc(h, L->benchmark);
	if (group) {
		put(h, " \xe2\x80\x93 ");
		put_fmt1(h, L->peer, group[0] ? group : "\xe2\x80\x93");
	}
	put(h, "</h3>\n");
	if (m == 0) {
		put(h, "<p class=\"note\">");
		esc(h, L->no_conv);
		put(h, "</p>\n");
		return;
	}
	if (has_median && median > max)
		max = median;
	double scale, step;
	html_nice_scale(max, &scale, &step);
	kr_qsort_r(sel, m, sizeof *sel, cmp_conv, h->rows);
	double xm = has_median ? BM_WIDTH * median / scale : -1;

	int bottom = BM_TOP + (int)m * BM_ROW;
	fprintf(h->fp, "<figure class=\"benchmark\"><svg class=\"benchmark-chart\" height=\"%d\" "
	        "role=\"img\" aria-label=\"", bottom + 22);
	esc(h, L->benchmark);
	put(h, "\">\n");
	bm_grid(h, scale, step, bottom);
	for (size_t j = 0; j < m; j++)
		bm_bar(h, &h->rows[sel[j]], BM_TOP + (int)j * BM_ROW, scale, xm);
	if (has_median)
		bm_median(h, m, xm, median);
	put(h, "</svg>\n");
	if (outside || h->has_ci) {
		put(h, "<figcaption class=\"note\">");
		if (outside)
			esc(h, L->outside);
		if (outside && h->has_ci)
			put(h, "; ");
		if (h->has_ci)
			esc(h, L->interval);
		put(h, "</figcaption>");
	}
	put(h, "</figure>\n");
}

/* The colours of the trend lines of gemeenten other than the highlighted
 * one: none of them HL_COLOUR or near it, so only the highlighted gemeente
 * is ever drawn in it. */
static const char *const palette[] = {
	"#01689b", "#39870c", "#a90061", "#42145f", "#8fcae7", "#007bc7",
	"#673327", "#777c00", "#ca005d", "#76d2b6", "#275937", "#5b6770",
};
#define NPALETTE (sizeof palette / sizeof palette[0])

/* The trend chart's period labels. A label needs about TR_CHAR px per
 * character plus TR_GAP; the last label ends at its point (so a phone does
 * not cut it), hence labels are spaced 1.5 label widths apart. There are
 * three sets of labels, each spaced for the narrowest plot a screen shows
 * it on: set 1 below 700 px (down to a 320 px phone: 248 px of plot), set
 * 2 from 700 px (574 px of plot), set 3 from 1000 px (832 px); a label
 * has class sK for each set K it is in, and the CSS hides the labels not
 * in the set of the screen's width. Labels are counted back from the
 * latest period, which is in every set. */
#define TR_CHAR 7.0
#define TR_GAP 10.0
static const double tr_plot_px[3] = { 248, 574, 832 };

/* The label step of each set (periods from one label to the next) for np
 * periods whose longest label has len characters. */
static void trend_steps(size_t np, size_t len, size_t step[3])
{
	double need = 1.5 * (TR_CHAR * (double)len) + TR_GAP;
	for (int k = 0; k < 3; k++) {
		size_t s = 1;
		while (np > 1 && s < np - 1 && tr_plot_px[k] * (double)s / (double)(np - 1) < need)
			s++;
		step[k] = s;
	}
}

/* The sets (bit k: set k + 1) that give period p of np a label. */
static unsigned trend_sets(size_t p, size_t np, const size_t step[3])
{
	unsigned sets = 0;
	for (int k = 0; k < 3; k++)
		if ((np - 1 - p) % step[k] == 0)
			sets |= 1u << k;
	return sets;
}

/* Index of period label s in h->periods (it is there). */
static size_t period_index(const html *h, const char *s)
{
	size_t p = h->nperiods;
	while (p > 0 && !same(h->periods[p - 1], s))
		p--;
	return p ? p - 1 : 0;
}

/* The trend chart's plot: TR_TOP px above it, TR_PLOT px high; from
 * TR_LEFT % of the chart's width, TR_WIDTH % wide. */
#define TR_TOP 16
#define TR_PLOT 164
#define TR_LEFT 10.0
#define TR_WIDTH 86.0

/* x (% of the chart) of period p of np. */
static double trend_x(size_t p, size_t np)
{
	return TR_LEFT + (np > 1 ? TR_WIDTH * (double)p / (double)(np - 1) : TR_WIDTH / 2);
}

/* Gathers the rows of product into h->sel (returns how many) and its
 * gemeenten, in order of first row, into h->gems (*ng); *max gets the
 * largest conversion, *any_hl whether a row is highlighted. */
static size_t trend_rows(html *h, const char *product, size_t *ng, double *max, int *any_hl)
{
	size_t n = 0;
	for (size_t i = 0; i < h->nrows; i++) {
		const hrow *r = &h->rows[i];
		if (!same(r->product, product))
			continue;
		h->sel[n++] = i;
		if (HAS(r, V_CONV) && r->v[V_CONV] > *max)
			*max = r->v[V_CONV];
		*any_hl |= r->hl;
		size_t g = 0;
		while (g < *ng && !same(h->gems[g], r->gemeente))
			g++;
		if (g == *ng)
			h->gems[(*ng)++] = r->gemeente;
	}
	return n;
}

/* at[g * np + p]: the row of gemeente g (h->gems) in period p among
 * h->sel[0..n), or SIZE_MAX. Returns at (owned by the caller), or NULL
 * when out of memory. */
static size_t *trend_at(const html *h, size_t n, size_t ng)
{
	size_t np = h->nperiods;
	size_t *at = malloc((ng * np + 1) * sizeof *at);
	if (!at)
		return NULL;
	for (size_t k = 0; k < ng * np; k++)
		at[k] = SIZE_MAX;
	for (size_t j = 0, g = 0; j < n; j++) {
		const hrow *r = &h->rows[h->sel[j]];
		if (!same(h->gems[g], r->gemeente)) {
			g = 0;
			while (!same(h->gems[g], r->gemeente))
				g++;
		}
		at[g * np + period_index(h, r->period)] = h->sel[j];
	}
	return at;
}

/* The horizontal grid lines and their percentages, 0 to scale by step. */
static void trend_grid(html *h, double scale, double step)
{
	const int bottom = TR_TOP + TR_PLOT;
	char num[40];
	for (int k = 0; k * step <= scale + 1e-9; k++) {
		int y = bottom - (int)(TR_PLOT * (k * step) / scale + 0.5);
		put(h, "<line class=\"grid\" x1=\"");
		put_pct(h, TR_LEFT);
		put(h, "\" x2=\"");
		put_pct(h, TR_LEFT + TR_WIDTH);
		fprintf(h->fp, "\" y1=\"%d\" y2=\"%d\"/><text class=\"tick\" x=\"", y, y);
		put_pct(h, TR_LEFT);
		fprintf(h->fp, "\" dx=\"-6\" y=\"%d\" text-anchor=\"end\">", y + 4);
		esc(h, fmt_pct(h->L, k * step, 0, num, sizeof num));
		put(h, "</text>\n");
	}
}

/* The period labels under the plot, each in the sets of screen widths
 * that show it (trend_steps, trend_sets). */
static void trend_periods(html *h)
{
	const int bottom = TR_TOP + TR_PLOT;
	size_t np = h->nperiods, len = 0, lstep[3];
	for (size_t p = 0; p < np; p++)
		if (strlen(h->periods[p]) > len)
			len = strlen(h->periods[p]);
	trend_steps(np, len, lstep);
	for (size_t p = 0; p < np; p++) {
		unsigned sets = trend_sets(p, np, lstep);
		if (!sets)
			continue;
		/* the last label ends at its point, so a phone does not cut it */
		put(h, "<text class=\"tick period");
		for (int k = 0; k < 3; k++)
			if (sets >> k & 1u)
				fprintf(h->fp, " s%d", k + 1);
		put(h, "\" x=\"");
		put_pct(h, trend_x(p, np));
		fprintf(h->fp, "\" y=\"%d\" text-anchor=\"%s\">", bottom + 18,
		        np > 1 && p + 1 == np ? "end" : "middle");
		esc(h, h->periods[p]);
		put(h, "</text>\n");
	}
}

/* The line of gemeente g (rows at[g * np ..], see trend_at) in colour:
 * a point per period with a conversion, joined where periods follow. */
static void trend_line(html *h, const size_t *at, size_t g, int hl, const char *colour,
                       double scale)
{
	const int bottom = TR_TOP + TR_PLOT;
	size_t np = h->nperiods;
	char num[40];
	fprintf(h->fp, "<g class=\"trend-line%s\" data-gemeente=\"", hl ? " highlight" : "");
	esc(h, h->gems[g]);
	fprintf(h->fp, "\" stroke=\"%s\" fill=\"%s\">", colour, colour);
	double px = 0, py = 0;
	int prev = 0;
	for (size_t p = 0; p < np; p++) {
		const hrow *r = at[g * np + p] == SIZE_MAX ? NULL : &h->rows[at[g * np + p]];
		if (!r || !HAS(r, V_CONV)) {
			prev = 0;
			continue;
		}
		double x = trend_x(p, np);
		double y = bottom - TR_PLOT * r->v[V_CONV] / scale;
		if (prev) {
			put(h, "<line x1=\"");
			put_pct(h, px);
			fprintf(h->fp, "\" y1=\"%.1f\" x2=\"", py);
			put_pct(h, x);
			fprintf(h->fp, "\" y2=\"%.1f\"/>", y);
		}
		put(h, "<circle cx=\"");
		put_pct(h, x);
		fprintf(h->fp, "\" cy=\"%.1f\" r=\"%d\"><title>", y, hl ? 4 : 3);
		esc(h, h->gems[g]);
		put(h, ", ");
		esc(h, h->periods[p]);
		put(h, ": ");
		esc(h, fmt_pct(h->L, r->v[V_CONV], 1, num, sizeof num));
		put(h, "</title></circle>");
		px = x;
		py = y;
		prev = 1;
	}
	put(h, "</g>\n");
}

/* The trend chart of product p: conversion per period, a line per
 * gemeente, and a legend. Returns 0, or -1 when out of memory. */
static int trend_chart(html *h, const char *product)
{
	const labels *L = h->L;
	size_t ng = 0;
	double max = 0;
	int any_hl = 0;

	size_t n = trend_rows(h, product, &ng, &max, &any_hl);
	size_t *at = trend_at(h, n, ng);
	if (!at)
		return -1;
	double scale, step;
	html_nice_scale(max, &scale, &step);

	put(h, "<h3>");
	esc(h, L->trend);
	put(h, "</h3>\n");
	fprintf(h->fp, "<figure class=\"trend\"><svg class=\"trend-chart%s\" height=\"%d\" "
	        "role=\"img\" aria-label=\"", any_hl ? " has-highlight" : "",
	        TR_TOP + TR_PLOT + 26);
	esc(h, L->trend);
	put(h, "\">\n");
	trend_grid(h, scale, step);
	trend_periods(h);
	for (size_t g = 0, c = 0; g < ng; g++) {
		int hl = h->t->highlight && strcasecmp(h->t->highlight, h->gems[g]) == 0;
		trend_line(h, at, g, hl, hl ? HL_COLOUR : palette[c++ % NPALETTE], scale);
	}
	put(h, "</svg>\n<ul class=\"legend\">");
	for (size_t g = 0, c = 0; g < ng; g++) {
		int hl = h->t->highlight && strcasecmp(h->t->highlight, h->gems[g]) == 0;
		fprintf(h->fp, "<li%s><span class=\"swatch\" style=\"background:%s\"></span>",
		        hl ? " class=\"highlight\"" : "", hl ? HL_COLOUR : palette[c++ % NPALETTE]);
		esc(h, h->gems[g]);
		put(h, "</li>");
	}
	put(h, "</ul></figure>\n");
	free(at);
	return 0;
}

/* A table cell's opening tag; its column's name as data-label, which the
 * narrow layout shows above the value. */
static void td_open(html *h, const char *label)
{
	put(h, "<td data-label=\"");
	esc(h, label);
	put(h, "\">");
}

/* A table cell: the value formatted, or an en dash. */
static void td(html *h, const hrow *r, int k, int pct, const char *label)
{
	char num[40];
	td_open(h, label);
	if (!HAS(r, k))
		put(h, "\xe2\x80\x93");
	else if (pct)
		esc(h, fmt_pct(h->L, r->v[k], 1, num, sizeof num));
	else
		esc(h, fmt_int(h->L, r->v[k], num, sizeof num));
	put(h, "</td>");
}

static void data_table(html *h, const size_t *sel, size_t n)
{
	const labels *L = h->L;
	put(h, "<div class=\"tablewrap\"><table class=\"data\"><thead><tr><th>");
	esc(h, L->col_gemeente);
	for (int k = 0; k < 3; k++) {
		put(h, "</th><th>");
		esc(h, L->short_step[k]);
	}
	put(h, "</th><th>");
	esc(h, L->col_conv);
	put(h, "</th><th>");
	esc(h, L->col_rank);
	put(h, "</th><th>");
	esc(h, L->col_gain);
	if (h->has_err)
		for (int k = 0; k < 2; k++) {
			put(h, "</th><th>");
			esc(h, L->col_errors[k]);
		}
	put(h, "</th></tr></thead>\n<tbody>\n");
	for (size_t j = 0; j < n; j++) {
		const hrow *r = &h->rows[sel[j]];
		put(h, r->hl ? "<tr class=\"highlight\"><td>" : "<tr><td>");
		esc(h, r->gemeente);
		put(h, "</td>");
		td(h, r, V_INFO, 0, L->short_step[0]);
		td(h, r, V_FORM, 0, L->short_step[1]);
		td(h, r, V_DONE, 0, L->short_step[2]);
		td(h, r, V_CONV, 1, L->col_conv);
		td_open(h, L->col_rank);
		if (HAS(r, V_RANK) && HAS(r, V_RANKED)) {
			put_rank(h, r);
		} else {
			put(h, "\xe2\x80\x93");
		}
		put(h, "</td>");
		td(h, r, V_GAIN, 0, L->col_gain);
		if (h->has_err) {
			td(h, r, V_FERR, 0, L->col_errors[0]);
			td(h, r, V_DERR, 0, L->col_errors[1]);
		}
		put(h, "</tr>\n");
	}
	put(h, "</tbody></table></div>\n");
}

/* Returns 0, or -1 when out of memory. */
static int product_section(html *h, size_t p)
{
	const labels *L = h->L;
	const char *product = h->products[p];
	size_t n = select_rows(h, product);

	fprintf(h->fp, "<section class=\"product\" id=\"p%zu\">\n<h2>", p + 1);
	esc(h, product);
	put(h, "</h2>\n");
	if (h->nperiods) {
		put(h, "<p class=\"note\">");
		put_fmt1(h, L->latest, h->periods[h->nperiods - 1]);
		put(h, "</p>\n");
	}
	put(h, "<h3>");
	esc(h, L->funnels);
	put(h, "</h3>\n<div class=\"funnels\">\n");
	for (size_t j = 0; j < n; j++)
		funnel_chart(h, &h->rows[h->sel[j]]);
	put(h, "</div>\n");
	data_table(h, h->sel, n);
	if (!h->t->peer) {
		benchmark_chart(h, h->sel, n, NULL);
	} else {
		/* one chart per peer group: a median is only shared within it */
		size_t *grp = malloc((n + 1) * sizeof *grp);
		if (!grp)
			return -1;
		for (size_t j = 0; j < n; j++) {
			const char *g = h->rows[h->sel[j]].peer;
			size_t k = 0;
			while (k < j && strcmp(h->rows[h->sel[k]].peer, g) != 0)
				k++;
			if (k < j)
				continue; /* group drawn already */
			size_t m = 0;
			for (size_t i = j; i < n; i++)
				if (strcmp(h->rows[h->sel[i]].peer, g) == 0)
					grp[m++] = h->sel[i];
			benchmark_chart(h, grp, m, g);
		}
		free(grp);
	}
	if (h->nperiods && trend_chart(h, product) < 0)
		return -1;
	put(h, "</section>\n");
	return 0;
}

int report_write_html(const report_model *m, FILE *fp)
{
	html h;
	int err = ENOMEM;
	const report_table *t = m->t;
	char el[32];

	memset(&h, 0, sizeof h);
	h.fp = fp;
	h.t = t;
	h.L = t->lang && strcmp(t->lang, "en") == 0 ? &en : &nl;
	if (load(&h, m) < 0)
		goto out;

	fprintf(fp, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
	        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	        "<meta name=\"generator\" content=\"klantreis\">\n<title>", h.L->lang);
	esc(&h, h.L->title);
	char d1[40], d2[40];
	if (data_days(&h, d1, d2, sizeof d1)) {
		put(&h, " ");
		put_range(&h, d1, d2);
	}
	put(&h, "</title>\n<style>\n");
	put(&h, html_css);
	put(&h, "</style>\n</head>\n<body>\n");
	header(&h);
	put(&h, "<main>\n");
	for (size_t p = 0; p < h.nproducts && !ferror(fp); p++)
		if (product_section(&h, p) < 0)
			goto out;
	put(&h, "</main>\n<footer>");
	if (t->meta) {
		snprintf(el, sizeof el, "%.2f", t->meta->elapsed >= 0 ? t->meta->elapsed : 0.0);
		for (char *q = el; *q; q++)
			if (*q == '.')
				*q = h.L->decimal;
		put_fmt2(&h, h.L->made, t->meta->version, el);
		put(&h, "<br><code>");
		esc(&h, t->meta->command_line);
		put(&h, "</code>");
	} else {
		put(&h, "klantreis");
	}
	put(&h, "</footer>\n</body>\n</html>\n");
	err = 0;
out:
	free(h.rows);
	free(h.periods);
	free(h.products);
	free(h.sel);
	free(h.gems);
	if (err) {
		errno = err;
		return -1;
	}
	return text_finish(fp);
}
