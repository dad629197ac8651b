/*
 * report_html.c - the report as one self-contained HTML page: inline CSS
 * and SVG, no script, no network, readable on a laptop and a phone,
 * printable.
 *
 * Page: a header (what was counted, period, inputs, lines read,
 * exclusions per reason), a list of products, then per product
 *   - a funnel chart per gemeente: three bars (info, form, done) with
 *     counts and the step-to-step percentages form/info and done/form;
 *   - a benchmark chart: conversion per gemeente, highest first, the
 *     median as a dashed line, gemeenten outside the benchmark lighter,
 *     the --highlight gemeente marked, the 95% interval as a whisker when
 *     the table has the --details columns;
 *   - with --by, a trend chart: conversion per period, one line per
 *     gemeente; the funnel and benchmark charts then show the latest
 *     period (each period's figures stand alone, so they are not summed);
 *   - a table with the figures of the charts.
 * Values are the plain CSV cells (report_cells), so suppressed or added
 * columns show here as in the CSV; an empty cell is drawn as no bar and
 * printed as an en dash. Rates and the median shown are computed from the
 * counts and the row, not re-rounded from the CSV's 4 decimals.
 *
 * The charts scale with the page without scaling their text: x
 * coordinates are percentages of the chart width, y coordinates pixels.
 * Class names the DOM test looks for: svg.funnel-chart, rect.bar.step-info
 * / step-form / step-done, svg.benchmark-chart, line.median, .highlight,
 * svg.trend-chart, g.trend-line.
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
#include "report.h"
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
	const char *reasons[6][2];   /* summary name -> label */
	char thousands, decimal;
	const char *col_errors[2];   /* --details: 5xx on the form and done steps */
	const char *peer;            /* "%s" = peer group */
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
	{ { "malformed", "onleesbaar" }, { "method", "methode" }, { "status", "status" },
	  { "bot", "bot" }, { "unknown host", "onbekende host" },
	  { "outside time range", "buiten de periode" } },
	'.', ',',
	{ "5xx formulier", "5xx afgerond" },
	"groep %s",
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
	{ { "malformed", "malformed" }, { "method", "method" }, { "status", "status" },
	  { "bot", "bot" }, { "unknown host", "unknown host" },
	  { "outside time range", "outside time range" } },
	',', '.',
	{ "5xx form", "5xx done" },
	"peer group %s",
};

/* ---- values ---- */

enum {
	V_INFO, V_FORM, V_DONE, V_FORM_RATE, V_DONE_RATE, V_CONV, V_MEDIAN, V_RANK,
	V_RANKED, V_GAIN, V_LOW, V_HIGH, V_FERR, V_DERR, NV
};
static const char *const v_cols[NV] = {
	"info", "form", "done", "form_rate", "done_rate", "conversion",
	"median_conversion", "rank", "ranked", "potential_gain", "conversion_low",
	"conversion_high", "form_errors", "done_errors",
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

/* Writes s escaped for HTML text and attribute values. */
static void esc(html *h, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)p);
	for (size_t i = 0; i < n;) {
		unsigned c = p[i];
		size_t len = report_utf8_len(p + i, n - i);
		if (len == 0 || (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) {
			put(h, "&#xFFFD;");
			i += len ? len : 1;
			continue;
		}
		switch (c) {
		case '&': put(h, "&amp;"); break;
		case '<': put(h, "&lt;"); break;
		case '>': put(h, "&gt;"); break;
		case '"': put(h, "&quot;"); break;
		case '\'': put(h, "&#39;"); break;
		default: fwrite(p + i, 1, len, h->fp); break;
		}
		i += len;
	}
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
	char raw[32];
	snprintf(raw, sizeof raw, "%.0f", v);
	const char *d = raw[0] == '-' ? raw + 1 : raw;
	size_t nd = strlen(d), o = 0;
	if (raw[0] == '-' && o + 1 < n)
		buf[o++] = '-';
	for (size_t i = 0; i < nd && o + 2 < n; i++) {
		if (i > 0 && (nd - i) % 3 == 0)
			buf[o++] = L->thousands;
		buf[o++] = d[i];
	}
	buf[o] = '\0';
	return buf;
}

/* A fraction as a percentage with `decimals` decimals and the language's
 * decimal mark: 0.4531 -> "45,3%". */
static const char *fmt_pct(const labels *L, double frac, int decimals, char *buf, size_t n)
{
	snprintf(buf, n, "%.*f%%", decimals, 100.0 * frac);
	for (char *p = buf; *p; p++)
		if (*p == '.')
			*p = L->decimal;
	return buf;
}

/* A chart x position: percent of the chart width, 3 decimals, '.'. */
static void put_pct(html *h, double x)
{
	fprintf(h->fp, "%.3f%%", x);
}

static const char *reason_label(const labels *L, const char *name)
{
	for (size_t k = 0; k < sizeof L->reasons / sizeof L->reasons[0]; k++)
		if (strcmp(L->reasons[k][0], name) == 0)
			return L->reasons[k][1];
	return name;
}

/* A chart scale: the smallest "nice" upper bound >= max, and a tick step
 * giving at most 5 steps. */
static void nice_scale(double max, double *top, double *step)
{
	static const double steps[] = { 0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 20, 50, 100 };
	size_t k = 0;
	if (!(max > 0))
		max = 0.01;
	while (k + 1 < sizeof steps / sizeof steps[0] && max / steps[k] > 5)
		k++;
	*step = steps[k];
	double n = max / *step;
	long whole = (long)n;
	if ((double)whole < n - 1e-9)
		whole++;
	*top = (double)(whole > 0 ? whole : 1) * *step;
}

/* ---- the model ---- */

static int load(html *h, const report_table *t, const report_cells *c)
{
	int col[NV];
	for (int k = 0; k < NV; k++)
		col[k] = report_cells_col(c, v_cols[k]);
	h->has_ci = col[V_LOW] >= 0 && col[V_HIGH] >= 0;
	h->has_err = col[V_FERR] >= 0 && col[V_DERR] >= 0;
	h->nrows = c->nrows;
	h->rows = calloc(c->nrows + 1, sizeof *h->rows);
	h->periods = calloc(c->nrows + 1, sizeof *h->periods);
	h->products = calloc(c->nrows + 1, sizeof *h->products);
	h->sel = calloc(c->nrows + 1, sizeof *h->sel);
	h->gems = calloc(c->nrows + 1, sizeof *h->gems);
	if (!h->rows || !h->periods || !h->products || !h->sel || !h->gems)
		return -1;
	for (size_t i = 0; i < c->nrows; i++) {
		const report_row *src = &t->rows[i];
		hrow *r = &h->rows[i];
		r->period = src->period;
		r->gemeente = src->gemeente ? src->gemeente : "-";
		r->product = src->product ? src->product : "-";
		r->peer = t->peer ? (src->peer ? src->peer : "") : NULL;
		r->hl = t->highlight && strcasecmp(t->highlight, r->gemeente) == 0;
		for (int k = 0; k < NV; k++) {
			const char *v = report_cell(c, i, col[k]);
			if (v[0] && report_is_number(v)) {
				r->v[k] = strtod(v, NULL);
				r->has |= 1u << k;
			}
		}
		/* Rates shown are those the CSV shows, but computed from the
		 * counts (the CSV's 4 decimals rounded again to 1 could be off
		 * by 0.1 point); the median likewise from the row. */
		static const int rate[3][3] = {
			{ V_FORM_RATE, V_FORM, V_INFO }, { V_DONE_RATE, V_DONE, V_FORM },
			{ V_CONV, V_DONE, V_INFO },
		};
		for (int k = 0; k < 3; k++)
			if (HAS(r, rate[k][0]) && HAS(r, rate[k][1]) && HAS(r, rate[k][2]) &&
			    r->v[rate[k][2]] > 0)
				r->v[rate[k][0]] = r->v[rate[k][1]] / r->v[rate[k][2]];
		if (HAS(r, V_MEDIAN) && src->has_median)
			r->v[V_MEDIAN] = src->median;
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

static const char css[] =
	":root{--ink:#1b1b1b;--muted:#5b6770;--line:#d6dde3;--info:#01689b;"
	"--form:#3f8fc4;--done:#7fb8de;--bar:#01689b;--out:#b3cfe0;--hl:#e17000;"
	"--median:#a90061}\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0;font:15px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,"
	"\"Helvetica Neue\",Arial,sans-serif;color:var(--ink);background:#fff}\n"
	"header,main,footer{max-width:1100px;margin:0 auto;padding:0 16px}\n"
	"header{padding-top:20px;border-bottom:1px solid var(--line)}\n"
	"h1{font-size:1.6em;margin:0 0 4px}h2{font-size:1.3em;margin:32px 0 8px;"
	"padding-top:8px;border-top:3px solid var(--info)}h3{font-size:1.05em;margin:20px 0 8px}\n"
	".sub{color:var(--muted);margin:0 0 12px}\n"
	"dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0 0 16px}\n"
	"dl.meta dt{font-weight:600}dl.meta dd{margin:0}dl.meta ul{margin:0;padding-left:18px}\n"
	"code{font-size:.85em;word-break:break-all}\n"
	"nav.toc ul{display:flex;flex-wrap:wrap;gap:6px 14px;padding:0;list-style:none}\n"
	"a{color:var(--info)}\n"
	".funnels{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:12px}\n"
	"figure{margin:0}figure.funnel{border:1px solid var(--line);border-radius:6px;padding:8px 10px}\n"
	"figure.funnel.highlight{border:2px solid var(--hl)}\n"
	"figcaption{font-weight:600;margin-bottom:4px;overflow-wrap:anywhere}"
	"figcaption.note{font-weight:400}\n"
	"svg{display:block;width:100%;overflow:visible}svg text{font-size:12px;fill:var(--ink)}\n"
	"text.rate{fill:var(--muted)}text.tick{fill:var(--muted);font-size:11px}\n"
	"rect.bar{fill:var(--bar)}rect.bar.step-info{fill:var(--info)}rect.bar.step-form{fill:var(--form)}"
	"rect.bar.step-done{fill:var(--done)}rect.bar.ineligible{fill:var(--out)}"
	"rect.bar.highlight{fill:var(--hl)}\n"
	"text.name.highlight{font-weight:700;fill:var(--hl)}\n"
	"line.grid{stroke:var(--line);stroke-width:1}line.axis{stroke:var(--muted)}\n"
	"line.median{stroke:var(--median);stroke-width:2;stroke-dasharray:5 3}"
	"text.median-label{fill:var(--median);font-weight:600}\n"
	"line.ci{stroke:var(--ink);stroke-width:1.5}\n"
	"g.trend-line line{stroke-width:2}g.trend-line.highlight line{stroke-width:4}\n"
	"svg.trend-chart.has-highlight g.trend-line:not(.highlight){opacity:.35}\n"
	".note{color:var(--muted);font-size:.9em;margin:4px 0}\n"
	"ul.legend{display:flex;flex-wrap:wrap;gap:4px 14px;padding:0;list-style:none;"
	"font-size:.9em}\n"
	"ul.legend li.highlight{font-weight:700}\n"
	".swatch{display:inline-block;width:12px;height:12px;border-radius:2px;"
	"margin-right:5px;vertical-align:-1px}\n"
	".tablewrap{overflow-x:auto}\n"
	"table.data{border-collapse:collapse;font-size:.9em;margin:8px 0}\n"
	"table.data th,table.data td{padding:3px 10px;border-bottom:1px solid var(--line);"
	"text-align:right;white-space:nowrap}\n"
	"table.data th:first-child,table.data td:first-child{text-align:left;white-space:normal}\n"
	"table.data tr.highlight td{font-weight:700;color:var(--hl)}\n"
	"footer{color:var(--muted);font-size:.85em;padding:24px 16px}\n"
	"@media (max-width:480px){body{font-size:14px}svg text{font-size:11px}"
	"dl.meta{grid-template-columns:1fr}dl.meta dd{margin-bottom:6px}}\n"
	"@media print{body{font-size:10pt}nav.toc{display:none}"
	"section.product{break-before:page}figure,table.data tr{break-inside:avoid}"
	"*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

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

static void header(html *h)
{
	const labels *L = h->L;
	const report_table *t = h->t;
	const report_meta *m = t->meta;
	char a[32], b[32], num[40];

	put(h, "<header class=\"report-header\">\n<h1>");
	esc(h, L->heading);
	put(h, "</h1>\n<p class=\"sub\">");
	esc(h, t->count_hits ? L->hits : L->visitors);
	put(h, ", ");
	esc(h, t->sequential ? L->sequential : L->open);
	if (by_label(L, t->by)) {
		put(h, ", ");
		esc(h, by_label(L, t->by));
	}
	put(h, "</p>\n<dl class=\"meta\">\n<dt>");
	esc(h, L->period);
	put(h, "</dt><dd class=\"period\">");
	const int64_t *since = m ? m->since : NULL, *until = m ? m->until : NULL;
	if (since)
		bound_text(since, a, sizeof a);
	if (until)
		bound_text(until, b, sizeof b);
	if (since && until) {
		put_fmt2(h, L->from_to, a, b);
	} else if (since) {
		put_fmt1(h, L->from, a);
	} else if (until) {
		put_fmt1(h, L->until, b);
	} else {
		esc(h, L->all_lines);
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
	if (m) {
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
	put(h, "</dl>\n");
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

/* The benchmark chart of the selected rows sel[0..n). */
static void benchmark_chart(html *h, size_t *sel, size_t n, size_t product,
                            const char *group)
{
	const labels *L = h->L;
	const double left = 32, width = 54;
	const int top = 24, rowh = 24;
	char num[40], nb[160];
	size_t m = 0;
	double max = 0, median = 0;
	int has_median = 0, outside = 0;

	for (size_t i = 0; i < n; i++) {
		const hrow *r = &h->rows[sel[i]];
		if (HAS(r, V_MEDIAN)) {
			has_median = 1;
			median = r->v[V_MEDIAN];
		}
		if (!HAS(r, V_CONV))
			continue;
		outside |= !HAS(r, V_RANK);
		sel[m++] = sel[i];
		if (r->v[V_CONV] > max)
			max = r->v[V_CONV];
		if (h->has_ci && HAS(r, V_HIGH) && r->v[V_HIGH] > max)
			max = r->v[V_HIGH];
	}
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
	nice_scale(max, &scale, &step);
	kr_qsort_r(sel, m, sizeof *sel, cmp_conv, h->rows);

	int height = top + (int)m * rowh + 22;
	int bottom = top + (int)m * rowh;
	fprintf(h->fp, "<figure class=\"benchmark\"><svg class=\"benchmark-chart\" height=\"%d\" "
	        "role=\"img\" aria-label=\"", height);
	esc(h, L->benchmark);
	/* names left-aligned, clipped at the bars (narrow screens) */
	fprintf(h->fp, "\">\n<defs><clipPath id=\"names%zu\"><rect x=\"0\" y=\"0\" width=\"",
	        product + 1);
	put_pct(h, left - 1.5);
	put(h, "\" height=\"100%\"/></clipPath></defs>\n");
	for (int k = 0; k * step <= scale + 1e-9; k++) {
		double x = left + width * (k * step) / scale;
		put(h, "<line class=\"grid\" x1=\"");
		put_pct(h, x);
		put(h, "\" x2=\"");
		put_pct(h, x);
		fprintf(h->fp, "\" y1=\"%d\" y2=\"%d\"/><text class=\"tick\" x=\"", top - 2, bottom);
		put_pct(h, x);
		fprintf(h->fp, "\" y=\"%d\" text-anchor=\"middle\">", bottom + 15);
		esc(h, fmt_pct(L, k * step, 0, num, sizeof num));
		put(h, "</text>\n");
	}
	for (size_t j = 0; j < m; j++) {
		const hrow *r = &h->rows[sel[j]];
		int y = top + (int)j * rowh;
		double w = width * r->v[V_CONV] / scale;
		fprintf(h->fp, "<text class=\"name%s\" x=\"0\" y=\"%d\" clip-path=\"url(#names%zu)\">"
		        "<title>", r->hl ? " highlight" : "", y + 16, product + 1);
		esc(h, r->gemeente);
		put(h, "</title>");
		esc(h, cut(r->gemeente, 40, nb, sizeof nb));
		put(h, "</text>");
		fprintf(h->fp, "<rect class=\"bar%s%s\" x=\"", HAS(r, V_RANK) ? "" : " ineligible",
		        r->hl ? " highlight" : "");
		put_pct(h, left);
		fprintf(h->fp, "\" y=\"%d\" width=\"", y + 4);
		put_pct(h, w);
		put(h, "\" height=\"16\" rx=\"2\"><title>");
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
		double xe = left + w;
		if (h->has_ci && HAS(r, V_LOW) && HAS(r, V_HIGH)) {
			double x1 = left + width * r->v[V_LOW] / scale;
			double x2 = left + width * r->v[V_HIGH] / scale;
			put(h, "<line class=\"ci\" x1=\"");
			put_pct(h, x1);
			put(h, "\" x2=\"");
			put_pct(h, x2);
			fprintf(h->fp, "\" y1=\"%d\" y2=\"%d\"/>", y + 12, y + 12);
			if (x2 > xe)
				xe = x2;
		}
		put(h, "<text class=\"value\" x=\"");
		put_pct(h, xe);
		fprintf(h->fp, "\" dx=\"5\" y=\"%d\">", y + 16);
		esc(h, fmt_pct(L, r->v[V_CONV], 1, num, sizeof num));
		put(h, "</text>\n");
	}
	if (has_median) {
		double x = left + width * median / scale;
		put(h, "<line class=\"median\" x1=\"");
		put_pct(h, x);
		put(h, "\" x2=\"");
		put_pct(h, x);
		fprintf(h->fp, "\" y1=\"%d\" y2=\"%d\"/><text class=\"median-label\" x=\"", top - 6,
		        bottom + 2);
		put_pct(h, x);
		put(h, "\" y=\"12\" text-anchor=\"middle\">");
		esc(h, L->median);
		put(h, " ");
		esc(h, fmt_pct(L, median, 1, num, sizeof num));
		put(h, "</text>\n");
	}
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

static const char *const palette[] = {
	"#01689b", "#e17000", "#39870c", "#a90061", "#8fcae7", "#ffb612", "#42145f",
	"#ca005d", "#94710a", "#007bc7", "#673327", "#777c00",
};

/* Index of period label s in h->periods (it is there). */
static size_t period_index(const html *h, const char *s)
{
	size_t p = h->nperiods;
	while (p > 0 && !same(h->periods[p - 1], s))
		p--;
	return p ? p - 1 : 0;
}

/* The trend chart of product p: conversion per period, a line per
 * gemeente. Returns 0, or -1 when out of memory. */
static int trend_chart(html *h, const char *product)
{
	const labels *L = h->L;
	const int top = 16, plot = 164;
	const double left = 10, width = 86;
	size_t ng = 0, np = h->nperiods;
	double max = 0;
	char num[40];
	int any_hl = 0;
	size_t n = 0;

	/* h->sel: the product's rows; h->gems: its gemeenten; at[g * np + p]:
	 * the row of gemeente g in period p, or none. */
	for (size_t i = 0; i < h->nrows; i++) {
		const hrow *r = &h->rows[i];
		if (!same(r->product, product))
			continue;
		h->sel[n++] = i;
		if (HAS(r, V_CONV) && r->v[V_CONV] > max)
			max = r->v[V_CONV];
		any_hl |= r->hl;
		size_t g = 0;
		while (g < ng && !same(h->gems[g], r->gemeente))
			g++;
		if (g == ng)
			h->gems[ng++] = r->gemeente;
	}
	size_t *at = malloc((ng * np + 1) * sizeof *at);
	if (!at)
		return -1;
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
	double scale, step;
	nice_scale(max, &scale, &step);
	int bottom = top + plot;

	put(h, "<h3>");
	esc(h, L->trend);
	put(h, "</h3>\n");
	fprintf(h->fp, "<figure class=\"trend\"><svg class=\"trend-chart%s\" height=\"%d\" "
	        "role=\"img\" aria-label=\"", any_hl ? " has-highlight" : "", bottom + 26);
	esc(h, L->trend);
	put(h, "\">\n");
	for (int k = 0; k * step <= scale + 1e-9; k++) {
		int y = bottom - (int)(plot * (k * step) / scale + 0.5);
		put(h, "<line class=\"grid\" x1=\"");
		put_pct(h, left);
		put(h, "\" x2=\"");
		put_pct(h, left + width);
		fprintf(h->fp, "\" y1=\"%d\" y2=\"%d\"/><text class=\"tick\" x=\"", y, y);
		put_pct(h, left);
		fprintf(h->fp, "\" dx=\"-6\" y=\"%d\" text-anchor=\"end\">", y + 4);
		esc(h, fmt_pct(L, k * step, 0, num, sizeof num));
		put(h, "</text>\n");
	}
	size_t every = np > 8 ? (np + 7) / 8 : 1;
	for (size_t p = 0; p < np; p++) {
		if (p % every != 0 && p + 1 != np)
			continue;
		if (p + 1 == np && p % every != 0 && np - 1 - (p / every) * every < every / 2 + 1)
			continue;
		double x = left + (np > 1 ? width * (double)p / (double)(np - 1) : width / 2);
		/* the last label ends at its point, so a phone does not cut it */
		put(h, "<text class=\"tick\" x=\"");
		put_pct(h, x);
		fprintf(h->fp, "\" y=\"%d\" text-anchor=\"%s\">", bottom + 18,
		        np > 1 && p + 1 == np ? "end" : "middle");
		esc(h, h->periods[p]);
		put(h, "</text>\n");
	}
	for (size_t g = 0; g < ng; g++) {
		const char *colour = palette[g % (sizeof palette / sizeof palette[0])];
		int hl = h->t->highlight && strcasecmp(h->t->highlight, h->gems[g]) == 0;
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
			double x = left + (np > 1 ? width * (double)p / (double)(np - 1) : width / 2);
			double y = bottom - plot * r->v[V_CONV] / scale;
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
			esc(h, fmt_pct(L, r->v[V_CONV], 1, num, sizeof num));
			put(h, "</title></circle>");
			px = x;
			py = y;
			prev = 1;
		}
		put(h, "</g>\n");
	}
	put(h, "</svg>\n<ul class=\"legend\">");
	for (size_t g = 0; g < ng; g++) {
		int hl = h->t->highlight && strcasecmp(h->t->highlight, h->gems[g]) == 0;
		fprintf(h->fp, "<li%s><span class=\"swatch\" style=\"background:%s\"></span>",
		        hl ? " class=\"highlight\"" : "", palette[g % (sizeof palette / sizeof palette[0])]);
		esc(h, h->gems[g]);
		put(h, "</li>");
	}
	put(h, "</ul></figure>\n");
	free(at);
	return 0;
}

/* A table cell: the value formatted, or an en dash. */
static void td(html *h, const hrow *r, int k, int pct)
{
	char num[40];
	put(h, "<td>");
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
		td(h, r, V_INFO, 0);
		td(h, r, V_FORM, 0);
		td(h, r, V_DONE, 0);
		td(h, r, V_CONV, 1);
		put(h, "<td>");
		if (HAS(r, V_RANK) && HAS(r, V_RANKED)) {
			put_rank(h, r);
		} else {
			put(h, "\xe2\x80\x93");
		}
		put(h, "</td>");
		td(h, r, V_GAIN, 0);
		if (h->has_err) {
			td(h, r, V_FERR, 0);
			td(h, r, V_DERR, 0);
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
		benchmark_chart(h, h->sel, n, p, NULL);
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
			benchmark_chart(h, grp, m, p, g);
		}
		free(grp);
	}
	if (h->nperiods && trend_chart(h, product) < 0)
		return -1;
	put(h, "</section>\n");
	return 0;
}

int report_write_html(const report_table *t, FILE *fp)
{
	html h;
	int rc = -1, err = ENOMEM;
	report_cells *c = report_cells_new(t);
	char el[32];

	memset(&h, 0, sizeof h);
	if (!c)
		return -1;
	h.fp = fp;
	h.t = t;
	h.L = t->lang && strcmp(t->lang, "en") == 0 ? &en : &nl;
	if (load(&h, t, c) < 0)
		goto out;

	fprintf(fp, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
	        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	        "<meta name=\"generator\" content=\"klantreis\">\n<title>", h.L->lang);
	esc(&h, h.L->title);
	put(&h, "</title>\n<style>\n");
	put(&h, css);
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
	report_cells_free(c);
	if (err) {
		errno = err;
		return -1;
	}
	int saved = errno;
	if (fflush(fp) != 0)
		return -1;
	if (ferror(fp)) {
		errno = saved ? saved : EIO;
		return -1;
	}
	rc = 0;
	return rc;
}
