/*
 * report.c - report_write, which builds the report model (report_model.h)
 * once and hands it to the writer of the format, and the writer of the
 * aligned table for a terminal.
 *
 * TABLE: a title line saying what the figures count, then one line per row
 * with columns padded to the widest cell; widths count UTF-8 code points,
 * not bytes, so names like "Súdwest-Fryslân" stay aligned. Empty and
 * suppressed cells show "-". Each row ends with a bar of its conversion;
 * ANSI colour (bold title, bar green at or above the median, yellow below)
 * only when t->color is set. --details appends the 5xx counts and the
 * Wilson 95% bounds. The table reads the rows as the model published them
 * (report_model_row), so --min-cell hides here what it hides in the CSV.
 *
 * Nothing is printed but to the given stream; a write error is reported
 * through the return value only (checked with ferror and fflush).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report_writers.h"
#include "stats.h"
#include "text.h"

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

/* The text of cell c of the published row r (report_model_row); buf (CELL_MAX
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

int report_write_table(const report_model *m, FILE *fp)
{
	const report_table *t = m->t;
	int first = t->by != KTIME_BY_NONE ? COL_PERIOD : COL_GEMEENTE;
	int last = t->details ? NCOLS : COL_GAIN + 1;
	size_t w[NCOLS];
	char bufs[NCOLS][CELL_MAX];
	const char *s[NCOLS];

	for (int c = 0; c < NCOLS; c++)
		w[c] = utf8_width(col_titles[c]);
	for (size_t i = 0; i < t->nrows; i++) {
		report_row pr = *report_model_row(m, i);
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
		report_row pr = *report_model_row(m, i);
		for (int c = first; c < last; c++)
			s[c] = cell(&pr, c, bufs[c]);
		table_line(fp, s, w, first, last);
		table_bar(fp, t, &pr, s[COL_CONV]);
		putc('\n', fp);
		if (ferror(fp))
			break;
	}
	return text_finish(fp);
}

int report_write(const report_table *t, enum report_format fmt, FILE *fp)
{
	report_model *m = report_model_new(t);
	int rc;

	if (!m)
		return -1;
	switch (fmt) {
	case REPORT_CSV:
		rc = report_write_csv(m, fp);
		break;
	case REPORT_JSON:
		rc = report_write_json(m, fp);
		break;
	case REPORT_HTML:
		rc = report_write_html(m, fp);
		break;
	default:
		rc = report_write_table(m, fp);
		break;
	}
	int saved = errno;
	report_model_free(m);
	errno = saved;
	return rc;
}
