/*
 * html.c - shared HTML pieces (html.h): escaping, numbers in the page's
 * language, chart scales and the base stylesheet of the report and the
 * website.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "html.h"
#include "ktime.h"
#include "text.h"

void html_esc(FILE *fp, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)p);
	for (size_t i = 0; i < n;) {
		unsigned c = p[i];
		size_t len = text_utf8_len(p + i, n - i);
		if (len == 0 || (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) {
			fputs("&#xFFFD;", fp);
			i += len ? len : 1;
			continue;
		}
		switch (c) {
		case '&': fputs("&amp;", fp); break;
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '"': fputs("&quot;", fp); break;
		case '\'': fputs("&#39;", fp); break;
		default: fwrite(p + i, 1, len, fp); break;
		}
		i += len;
	}
}

const char *html_fmt_int(char thousands, double v, char *buf, size_t n)
{
	char raw[32];
	snprintf(raw, sizeof raw, "%.0f", v);
	const char *d = raw[0] == '-' ? raw + 1 : raw;
	size_t nd = strlen(d), o = 0;
	if (raw[0] == '-' && o + 1 < n)
		buf[o++] = '-';
	for (size_t i = 0; i < nd && o + 2 < n; i++) {
		if (i > 0 && (nd - i) % 3 == 0)
			buf[o++] = thousands;
		buf[o++] = d[i];
	}
	buf[o] = '\0';
	return buf;
}

const char *html_fmt_pct(char decimal, double frac, int decimals, char *buf, size_t n)
{
	snprintf(buf, n, "%.*f%%", decimals, 100.0 * frac);
	for (char *p = buf; *p; p++)
		if (*p == '.')
			*p = decimal;
	return buf;
}

const char *html_reason_label(const char *lang, const char *name)
{
	static const char *const reasons[][3] = {   /* name, nl, en */
		{ "malformed", "onleesbaar", "malformed" },
		{ "method", "methode", "method" },
		{ "status", "status", "status" },
		{ "bot", "bot", "bot" },
		{ "unknown host", "onbekende host", "unknown host" },
		{ "outside time range", "buiten de periode", "outside time range" },
	};
	int en = lang && strcmp(lang, "en") == 0;
	for (size_t k = 0; k < sizeof reasons / sizeof reasons[0]; k++)
		if (strcmp(reasons[k][0], name) == 0)
			return reasons[k][en ? 2 : 1];
	return name;
}

void html_put_pct(FILE *fp, double x)
{
	fprintf(fp, "%.3f%%", x);
}

void html_nice_scale(double max, double *top, double *step)
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

const char html_css[] =
	":root{--ink:#1b1b1b;--muted:#5b6770;--line:#d6dde3;--info:#01689b;"
	"--form:#3f8fc4;--done:#7fb8de;--bar:#01689b;--out:#b3cfe0;--hl:" HL_COLOUR ";"
	"--median:#a90061}\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0;font:15px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,"
	"\"Helvetica Neue\",Arial,sans-serif;color:var(--ink);background:#fff}\n"
	"header,main,footer{max-width:1100px;margin:0 auto;padding:0 16px}\n"
	"header{padding-top:20px;border-bottom:1px solid var(--line)}\n"
	"h1 .dates{display:block;font-size:.65em;font-weight:600;color:var(--muted)}\n"
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
	"text.name,text.value{paint-order:stroke;stroke:#fff;stroke-width:3px;"
	"stroke-linejoin:round}\n"
	"line.grid{stroke:var(--line);stroke-width:1}line.axis{stroke:var(--muted)}\n"
	"g.median line{stroke:var(--median);stroke-width:2;stroke-dasharray:5 3}"
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
	".explain{font-size:.9em;margin:0 0 16px}.explain ul{margin:4px 0 0;padding-left:18px}\n"
	".tablewrap{overflow-x:auto}\n"
	"table.data{border-collapse:collapse;font-size:.9em;margin:8px 0}\n"
	"table.data th,table.data td{padding:3px 10px;border-bottom:1px solid var(--line);"
	"text-align:right;white-space:nowrap}\n"
	"table.data th:first-child,table.data td:first-child{text-align:left;white-space:normal;"
	"overflow-wrap:anywhere}\n"
	"table.data tr.highlight td{font-weight:700;color:var(--hl)}\n"
	"footer{color:var(--muted);font-size:.85em;padding:24px 16px}\n"
	"@media (max-width:699px){text.period:not(.s1){display:none}}\n"
	"@media (min-width:700px) and (max-width:999px){text.period:not(.s2){display:none}}\n"
	"@media (min-width:1000px){text.period:not(.s3){display:none}}\n"
	/* narrow: a table row becomes a card, each value under its column's
	 * name, three to a line (name; info form done; conversion rank gain) */
	"@media (max-width:600px){table.data{display:block;width:100%}"
	"table.data thead{position:absolute;width:1px;height:1px;overflow:hidden;"
	"clip-path:inset(50%)}"
	"table.data tbody{display:block}"
	"table.data tr{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:2px 10px;"
	"padding:6px 0;border-bottom:1px solid var(--line)}"
	"table.data td{display:block;padding:0;border:0;text-align:left;white-space:normal}"
	"table.data td:first-child{grid-column:1/-1;font-weight:600}"
	"table.data td[data-label]::before{content:attr(data-label);display:block;"
	"font-size:.8em;color:var(--muted);font-weight:400}}\n"
	"@media (max-width:480px){body{font-size:14px}svg text{font-size:11px}"
	"dl.meta{grid-template-columns:1fr}dl.meta dd{margin-bottom:6px}}\n"
	"@media print{body{font-size:10pt}nav.toc{display:none}"
	"section.product{break-before:page}figure,table.data tr{break-inside:avoid}"
	"*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

int html_data_days(const report_meta *m, const char *const *periods, size_t nperiods,
                   char *a, char *b, size_t n)
{
	a[0] = b[0] = '\0';
	if (m && m->has_days) {
		ktime_period_label(m->first_day, KTIME_BY_DAY, a, n);
		if (m->last_day != m->first_day)
			ktime_period_label(m->last_day, KTIME_BY_DAY, b, n);
	} else if (nperiods && periods[0][0]) {
		snprintf(a, n, "%s", periods[0]);
		if (nperiods > 1)
			snprintf(b, n, "%s", periods[nperiods - 1]);
	}
	return a[0] != '\0';
}
