/*
 * html.h - the pieces every HTML writer shares (the one-page report in
 * report_html.c and the website in site.c): escaping, number formatting
 * in the page's language, chart scales, and the base stylesheet.
 *
 * Everything writes to a FILE * or into a caller's buffer; nothing here
 * allocates. Write errors are left in the stream (checked by the caller
 * with ferror).
 */
#ifndef KR_HTML_H
#define KR_HTML_H

#include <stddef.h>
#include <stdio.h>
#include "report.h"

/* The --highlight colour (CSS --hl), used for nothing else. */
#define HL_COLOUR "#e17000"

/* Writes s (NULL: nothing) escaped for HTML text and attribute values:
 * & < > " ' as entities; bytes that are not valid UTF-8 and control
 * characters (but tab and newline) as U+FFFD. */
void html_esc(FILE *fp, const char *s);

/* v rounded to an integer with `thousands` between groups of three
 * digits ("1.234"), into buf. Returns buf. */
const char *html_fmt_int(char thousands, double v, char *buf, size_t n);

/* The fraction frac as a percentage with `decimals` decimals and the
 * decimal mark `decimal`: 0.4531, 1, ',' -> "45,3%". Returns buf. */
const char *html_fmt_pct(char decimal, double frac, int decimals, char *buf, size_t n);

/* Writes a chart x position: x percent of the chart width, 3 decimals,
 * '.' ("12.500%"). */
void html_put_pct(FILE *fp, double x);

/* A chart scale for values up to max: the smallest "nice" upper bound
 * >= max into *top, and a tick step giving at most 5 steps into *step. */
void html_nice_scale(double max, double *top, double *step);

/* The label of exclusion reason `name` (report_meta's reason_names:
 * "malformed", "method", "status", "bot", "unknown host", "outside time
 * range") in language lang ("nl"; "en" English); name itself when unknown. */
const char *html_reason_label(const char *lang, const char *name);

/* The base stylesheet (no <style> tags): colours, type, the funnel,
 * benchmark and trend charts, the data table with its card layout below
 * 600 px, print rules. */
extern const char html_css[];

/* The days a report's figures come from, as YYYY-MM-DD: from the meta
 * data's first and last day when it has them, else the first and last of
 * periods[0..nperiods) (ascending labels of --by). a gets the first, b
 * the last or "" when it is the same (each of size n). Returns 1, or 0
 * (both "") when there is neither. */
int html_data_days(const report_meta *m, const char *const *periods, size_t nperiods,
                   char *a, char *b, size_t n);

#endif
