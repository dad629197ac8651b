/*
 * report.c - prints a report_table as the plain CSV (measurement.md,
 * section 8) or as an aligned table for a terminal, and dispatches the
 * other formats: the spreadsheet CSV (report_cells.c), JSON and HTML, all
 * derived from the plain CSV.
 *
 * CSV: fields are written with fputs and only those holding , " CR or LF go
 * through libcsv's csv_fwrite, which quotes them (RFC 4180); line ends are
 * "\n"; rates are printf("%.4f") of the double quotient, empty when the
 * denominator is 0. Benchmark fields: median_conversion and ranked when the
 * group has a median, rank and potential_gain for eligible rows only.
 *
 * TABLE: a title line saying what the figures count, then one line per row
 * with columns padded to the widest cell; widths count UTF-8 code points,
 * not bytes, so names like "Súdwest-Fryslân" stay aligned. Empty cells
 * show "-". Each row ends with a bar of its conversion; ANSI colour (bold
 * title, bar green at or above the median, yellow below) only when
 * t->color is set.
 *
 * --details (t->details) appends form_errors, done_errors (5xx requests
 * matching the step) and conversion_low, conversion_high (Wilson 95%,
 * stats.h) to both. --min-cell N (t->min_cell > 1) prints rows as
 * published (publish()): counts 1..N-1 empty, and every figure computed
 * from an empty count empty too: the rates using it; rank, potential_gain
 * and the Wilson bounds when info or done is empty; and median_conversion
 * and potential_gain on every row of a benchmark group (hidden_groups())
 * where an eligible row's conversion is empty, since the median could
 * give it away. ranked and 0 are always shown.
 *
 * Neither format prints anything but to the given stream; a write error is
 * reported through the return value only (checked with ferror and fflush).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "report.h"
#include "stats.h"

char *report_rate(int64_t num, int64_t den, char *buf, size_t n)
{
	if (n == 0)
		return buf;
	if (den == 0)
		buf[0] = '\0';
	else
		snprintf(buf, n, "%.4f", (double)num / (double)den);
	return buf;
}

/* Result of a run of writes: -1 with errno set when fp has failed. */
int report_finish(FILE *fp)
{
	int saved = errno;
	if (fflush(fp) != 0)
		return -1;
	if (ferror(fp)) {
		errno = saved ? saved : EIO;
		return -1;
	}
	return 0;
}

/* ---- --min-cell: the rows as published ---- */

/* A count as published: -1 (an empty cell) when --min-cell N hides it,
 * i.e. 1 <= v < N. */
static int64_t shown(const report_table *t, int64_t v)
{
	return t->min_cell > 1 && v >= 1 && v < t->min_cell ? -1 : v;
}

/* Benchmark group order (as bench.c): period, product, peer with --peer. */
static int cmp_name(const char *a, const char *b)
{
	if (a == b)
		return 0;
	if (!a || !b)
		return a ? 1 : -1;
	return strcmp(a, b);
}

static int cmp_group_idx(const void *pa, const void *pb, void *arg)
{
	const report_table *t = arg;
	const report_row *a = &t->rows[*(const size_t *)pa];
	const report_row *b = &t->rows[*(const size_t *)pb];
	if (a->period_start != b->period_start)
		return a->period_start < b->period_start ? -1 : 1;
	int c = cmp_name(a->product, b->product);
	if (c == 0 && t->peer)
		c = cmp_name(a->peer, b->peer);
	return c;
}

/* With --min-cell, sets *hidden to a malloc'ed flag per row: 1 when the
 * row's benchmark group has an eligible row whose conversion is hidden,
 * so the group's median (and with it every potential gain) could reveal
 * it. *hidden is NULL without --min-cell. Returns 0, or -1 when out of
 * memory (errno set). */
static int hidden_groups(const report_table *t, unsigned char **hidden)
{
	*hidden = NULL;
	if (t->min_cell <= 1 || t->nrows == 0)
		return 0;
	size_t *idx = malloc(t->nrows * sizeof *idx);
	unsigned char *h = calloc(t->nrows, 1);
	if (!idx || !h) {
		free(idx);
		free(h);
		errno = ENOMEM;
		return -1;
	}
	for (size_t i = 0; i < t->nrows; i++)
		idx[i] = i;
	qsort_r(idx, t->nrows, sizeof *idx, cmp_group_idx, (void *)t);
	for (size_t lo = 0, hi; lo < t->nrows; lo = hi) {
		int any = 0;
		for (hi = lo; hi < t->nrows && cmp_group_idx(&idx[lo], &idx[hi], (void *)t) == 0; hi++) {
			const report_row *r = &t->rows[idx[hi]];
			if (r->eligible && (shown(t, r->n[0]) < 0 || shown(t, r->n[2]) < 0))
				any = 1;
		}
		for (size_t k = lo; any && k < hi; k++)
			h[idx[k]] = 1;
	}
	free(idx);
	*hidden = h;
	return 0;
}

/* Row r as published: counts and error counts hidden by --min-cell are
 * -1; when info or done is hidden so is the conversion, and with it rank
 * and gain (eligible 0); in a hidden group (hidden_groups) the median and
 * every gain (gain -1). Without --min-cell the row as it is. */
static report_row publish(const report_table *t, const report_row *r, int hidden_group)
{
	report_row p = *r;
	for (int k = 0; k < 3; k++) {
		p.n[k] = shown(t, r->n[k]);
		p.errors[k] = shown(t, r->errors[k]);
	}
	if (p.n[0] < 0 || p.n[2] < 0)
		p.eligible = 0;
	if (hidden_group) {
		p.has_median = 0;
		p.gain = -1;
	}
	return p;
}

/* report_rate of a published row: empty when a count is hidden. */
static char *pub_rate(int64_t num, int64_t den, char *buf, size_t n)
{
	if (num < 0 || den < 0) {
		buf[0] = '\0';
		return buf;
	}
	return report_rate(num, den, buf, n);
}

/* ---- CSV ---- */

static void csv_field(FILE *fp, const char *s, int first)
{
	if (!first)
		putc(',', fp);
	if (!s)
		return;
	if (strpbrk(s, ",\"\r\n"))
		csv_fwrite(fp, s, strlen(s));
	else
		fputs(s, fp);
}

/* A count cell; empty when hidden (-1). */
static void csv_int(FILE *fp, int64_t v)
{
	if (v < 0)
		putc(',', fp);
	else
		fprintf(fp, ",%" PRId64, v);
}

static int write_csv(const report_table *t, FILE *fp)
{
	int period = t->by != KTIME_BY_NONE;
	char buf[64];
	unsigned char *hidden;

	if (hidden_groups(t, &hidden) < 0)
		return -1;
	if (period)
		fputs("period,", fp);
	fputs("gemeente,product,info,form,done,form_rate,done_rate,conversion,"
	      "median_conversion,rank,ranked,potential_gain", fp);
	fputs(t->details ? ",form_errors,done_errors,conversion_low,conversion_high\n" : "\n", fp);
	for (size_t i = 0; i < t->nrows; i++) {
		report_row pr = publish(t, &t->rows[i], hidden && hidden[i]);
		const report_row *r = &pr;
		if (period)
			csv_field(fp, r->period, 1);
		csv_field(fp, r->gemeente, !period);
		csv_field(fp, r->product, 0);
		csv_int(fp, r->n[0]);
		csv_int(fp, r->n[1]);
		csv_int(fp, r->n[2]);
		csv_field(fp, pub_rate(r->n[1], r->n[0], buf, sizeof buf), 0);
		csv_field(fp, pub_rate(r->n[2], r->n[1], buf, sizeof buf), 0);
		csv_field(fp, pub_rate(r->n[2], r->n[0], buf, sizeof buf), 0);
		if (r->has_median)
			fprintf(fp, ",%.4f", r->median);
		else
			putc(',', fp);
		if (r->eligible)
			fprintf(fp, ",%d", r->rank);
		else
			putc(',', fp);
		if (r->ranked > 0)
			fprintf(fp, ",%d", r->ranked);
		else
			putc(',', fp);
		if (r->eligible && r->gain >= 0)
			fprintf(fp, ",%" PRId64, r->gain);
		else
			putc(',', fp);
		if (t->details) {
			double lo, hi;
			csv_int(fp, r->errors[1]);
			csv_int(fp, r->errors[2]);
			if (r->n[0] >= 0 && r->n[2] >= 0 && stats_wilson(r->n[2], r->n[0], &lo, &hi))
				fprintf(fp, ",%.4f,%.4f", lo, hi);
			else
				fputs(",,", fp);
		}
		putc('\n', fp);
		if (ferror(fp))
			break;
	}
	free(hidden);
	return report_finish(fp);
}

/* ---- TABLE ---- */

enum {
	COL_PERIOD, COL_GEMEENTE, COL_PRODUCT, COL_INFO, COL_FORM, COL_DONE,
	COL_FORM_RATE, COL_DONE_RATE, COL_CONV, COL_MEDIAN, COL_RANK, COL_GAIN,
	COL_FORM_ERR, COL_DONE_ERR, COL_CONV_LOW, COL_CONV_HIGH, NCOLS   /* --details */
};

static const char *const col_titles[NCOLS] = {
	"period", "gemeente", "product", "info", "form", "done",
	"form rate", "done rate", "conversion", "median", "rank", "gain",
	"form 5xx", "done 5xx", "conv low", "conv high",
};

/* Columns up to COL_PRODUCT are text (left-aligned), the others numbers. */
#define COL_IS_TEXT(c) ((c) <= COL_PRODUCT)

#define CELL_MAX 64

/* Number of UTF-8 code points in s (continuation bytes are not counted). */
static size_t utf8_width(const char *s)
{
	size_t w = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		w += (*p & 0xC0) != 0x80;
	return w;
}

static const char *pct(int64_t num, int64_t den, char *buf)
{
	if (den == 0 || num < 0 || den < 0)   /* no denominator, or hidden */
		return "-";
	snprintf(buf, CELL_MAX, "%.1f%%", 100.0 * (double)num / (double)den);
	return buf;
}

/* The text of cell c of the published row r (publish()); buf (CELL_MAX
 * bytes) may hold it. The result lives until buf is reused or the row's
 * strings go away. */
static const char *cell(const report_row *r, int c, char *buf)
{
	double lo, hi;

	switch (c) {
	case COL_PERIOD:
		return r->period;
	case COL_GEMEENTE:
		return r->gemeente ? r->gemeente : "-";
	case COL_PRODUCT:
		return r->product ? r->product : "-";
	case COL_INFO:
	case COL_FORM:
	case COL_DONE:
		if (r->n[c - COL_INFO] < 0)
			return "-";
		snprintf(buf, CELL_MAX, "%" PRId64, r->n[c - COL_INFO]);
		return buf;
	case COL_FORM_RATE:
		return pct(r->n[1], r->n[0], buf);
	case COL_DONE_RATE:
		return pct(r->n[2], r->n[1], buf);
	case COL_CONV:
		return pct(r->n[2], r->n[0], buf);
	case COL_MEDIAN:
		if (!r->has_median)
			return "-";
		snprintf(buf, CELL_MAX, "%.1f%%", 100.0 * r->median);
		return buf;
	case COL_RANK:
		if (!r->eligible)
			return "-";
		snprintf(buf, CELL_MAX, "%d/%d", r->rank, r->ranked);
		return buf;
	case COL_GAIN:
		if (!r->eligible || r->gain < 0)
			return "-";
		snprintf(buf, CELL_MAX, "%" PRId64, r->gain);
		return buf;
	case COL_FORM_ERR:
	case COL_DONE_ERR:
		if (r->errors[c - COL_FORM_ERR + 1] < 0)
			return "-";
		snprintf(buf, CELL_MAX, "%" PRId64, r->errors[c - COL_FORM_ERR + 1]);
		return buf;
	case COL_CONV_LOW:
	case COL_CONV_HIGH:
		if (r->n[0] < 0 || r->n[2] < 0 || !stats_wilson(r->n[2], r->n[0], &lo, &hi))
			return "-";
		snprintf(buf, CELL_MAX, "%.1f%%", 100.0 * (c == COL_CONV_LOW ? lo : hi));
		return buf;
	}
	return "";
}

static void put_spaces(FILE *fp, size_t n)
{
	while (n--)
		putc(' ', fp);
}

/* Writes text for a terminal: a control character (a gemeente named
 * after a logged Host header may hold ESC) becomes '?', which keeps the
 * width utf8_width counted and the terminal out of the log's hands. */
static void put_text(FILE *fp, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		putc(*p < 0x20 || *p == 0x7f ? '?' : *p, fp);
}

/* Writes one line of cells s[first..last) padded to widths w. */
static void table_line(FILE *fp, const char *const *s, const size_t *w, int first, int last)
{
	for (int c = first; c < last; c++) {
		size_t len = utf8_width(s[c]);
		size_t pad = w[c] > len ? w[c] - len : 0;
		if (c > first)
			fputs("  ", fp);
		if (COL_IS_TEXT(c)) {
			put_text(fp, s[c]);
			if (c + 1 < last)
				put_spaces(fp, pad);
		} else {
			put_spaces(fp, pad);
			fputs(s[c], fp);
		}
	}
}

/* The conversion bar after the last column: one character per 10%, drawn
 * in eighths (U+2588 full block, U+2589..U+258F seven to one eighth), and
 * "+" beyond 100%. It is drawn from the conversion cell as shown
 * ("33.3%"), so it never reveals more than the cell; nothing when the
 * cell shows no percentage or rounds to no eighth. With t->color: green at or above the median, yellow
 * below it. The bar is the last thing on the line, so no padding. */
#define BAR_CHARS 10
static void table_bar(FILE *fp, const report_table *t, const report_row *r,
                      const char *conv_cell)
{
	char *end;
	double conv = strtod(conv_cell, &end) / 100.0;
	if (end == conv_cell || *end != '%')
		return;
	double e = conv * BAR_CHARS * 8 + 0.5;
	long eighths = e >= BAR_CHARS * 8 ? BAR_CHARS * 8 : (long)e;
	if (eighths == 0)
		return;
	fputs("  ", fp);
	if (t->color && r->has_median)
		fputs(conv >= r->median ? "\033[32m" : "\033[33m", fp);
	for (long k = 0; k < eighths / 8; k++)
		fputs("\xe2\x96\x88", fp);
	if (eighths % 8) {
		putc('\xe2', fp);
		putc('\x96', fp);
		putc(0x90 - (int)(eighths % 8), fp);
	}
	if (conv > 1.0)
		putc('+', fp);
	if (t->color && r->has_median)
		fputs("\033[0m", fp);
}

static const char *by_name(enum ktime_by by)
{
	switch (by) {
	case KTIME_BY_DAY:
		return ", by day";
	case KTIME_BY_WEEK:
		return ", by week";
	case KTIME_BY_MONTH:
		return ", by month";
	default:
		return "";
	}
}

static int write_table(const report_table *t, FILE *fp)
{
	int first = t->by != KTIME_BY_NONE ? COL_PERIOD : COL_GEMEENTE;
	int last = t->details ? NCOLS : COL_GAIN + 1;
	size_t w[NCOLS];
	char bufs[NCOLS][CELL_MAX];
	const char *s[NCOLS];
	unsigned char *hidden;

	if (hidden_groups(t, &hidden) < 0)
		return -1;
	for (int c = 0; c < NCOLS; c++)
		w[c] = utf8_width(col_titles[c]);
	for (size_t i = 0; i < t->nrows; i++) {
		report_row pr = publish(t, &t->rows[i], hidden && hidden[i]);
		for (int c = first; c < last; c++) {
			size_t len = utf8_width(cell(&pr, c, bufs[c]));
			if (len > w[c])
				w[c] = len;
		}
	}

	fprintf(fp, "%sFunnel per gemeente and product (%s, %s funnel%s%s)%s\n\n",
		t->color ? "\033[1m" : "",
		t->count_hits ? "hits" : "visitors", t->sequential ? "sequential" : "open",
		by_name(t->by), t->peer ? ", benchmark per peer group" : "",
		t->color ? "\033[0m" : "");
	table_line(fp, col_titles, w, first, last);
	putc('\n', fp);
	for (int c = first; c < last; c++) {
		if (c > first)
			fputs("  ", fp);
		for (size_t k = 0; k < w[c]; k++)
			putc('-', fp);
	}
	putc('\n', fp);
	for (size_t i = 0; i < t->nrows; i++) {
		report_row pr = publish(t, &t->rows[i], hidden && hidden[i]);
		for (int c = first; c < last; c++)
			s[c] = cell(&pr, c, bufs[c]);
		table_line(fp, s, w, first, last);
		table_bar(fp, t, &pr, s[COL_CONV]);
		putc('\n', fp);
		if (ferror(fp))
			break;
	}
	free(hidden);
	return report_finish(fp);
}

int report_write_csv_plain(const report_table *t, FILE *fp)
{
	return write_csv(t, fp);
}

int report_write(const report_table *t, enum report_format fmt, FILE *fp)
{
	switch (fmt) {
	case REPORT_CSV:
		return report_write_csv(t, fp);   /* report_cells.c */
	case REPORT_JSON:
		return report_write_json(t, fp);
	case REPORT_HTML:
		return report_write_html(t, fp);
	case REPORT_SITE:
		errno = EINVAL;   /* a directory: site_publish (site.h) */
		return -1;
	default:
		return write_table(t, fp);
	}
}

report_row *report_published(const report_table *t)
{
	unsigned char *hidden;
	report_row *p = malloc((t->nrows + 1) * sizeof *p);
	if (!p || hidden_groups(t, &hidden) < 0) {
		free(p);
		errno = ENOMEM;
		return NULL;
	}
	for (size_t i = 0; i < t->nrows; i++)
		p[i] = publish(t, &t->rows[i], hidden && hidden[i]);
	free(hidden);
	return p;
}
