/*
 * report.c - prints a report_table as CSV (measurement.md, section 8) or as
 * an aligned table for a terminal.
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
 * show "-". No colour.
 *
 * Neither format prints anything but to the given stream; a write error is
 * reported through the return value only (checked with ferror and fflush).
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <csv.h>

#include "report.h"

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
static int finish(FILE *fp)
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

static void csv_int(FILE *fp, int64_t v)
{
	fprintf(fp, ",%" PRId64, v);
}

static int write_csv(const report_table *t, FILE *fp)
{
	int period = t->by != KTIME_BY_NONE;
	char buf[64];

	if (period)
		fputs("period,", fp);
	fputs("gemeente,product,info,form,done,form_rate,done_rate,conversion,"
	      "median_conversion,rank,ranked,potential_gain\n", fp);
	for (size_t i = 0; i < t->nrows; i++) {
		const report_row *r = &t->rows[i];
		if (period)
			csv_field(fp, r->period, 1);
		csv_field(fp, r->gemeente, !period);
		csv_field(fp, r->product, 0);
		csv_int(fp, r->n[0]);
		csv_int(fp, r->n[1]);
		csv_int(fp, r->n[2]);
		csv_field(fp, report_rate(r->n[1], r->n[0], buf, sizeof buf), 0);
		csv_field(fp, report_rate(r->n[2], r->n[1], buf, sizeof buf), 0);
		csv_field(fp, report_rate(r->n[2], r->n[0], buf, sizeof buf), 0);
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
		if (r->eligible)
			fprintf(fp, ",%" PRId64 "\n", r->gain);
		else
			fputs(",\n", fp);
		if (ferror(fp))
			break;
	}
	return finish(fp);
}

/* ---- TABLE ---- */

enum {
	COL_PERIOD, COL_GEMEENTE, COL_PRODUCT, COL_INFO, COL_FORM, COL_DONE,
	COL_FORM_RATE, COL_DONE_RATE, COL_CONV, COL_MEDIAN, COL_RANK, COL_GAIN, NCOLS
};

static const char *const col_titles[NCOLS] = {
	"period", "gemeente", "product", "info", "form", "done",
	"form rate", "done rate", "conversion", "median", "rank", "gain",
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
	if (den == 0)
		return "-";
	snprintf(buf, CELL_MAX, "%.1f%%", 100.0 * (double)num / (double)den);
	return buf;
}

/* The text of cell c of row r; buf (CELL_MAX bytes) may hold it. The
 * result lives until buf is reused or the row's strings go away. */
static const char *cell(const report_row *r, int c, char *buf)
{
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
		if (!r->eligible)
			return "-";
		snprintf(buf, CELL_MAX, "%" PRId64, r->gain);
		return buf;
	}
	return "";
}

static void put_spaces(FILE *fp, size_t n)
{
	while (n--)
		putc(' ', fp);
}

/* Writes one line of cells s[first..NCOLS) padded to widths w. */
static void table_line(FILE *fp, const char *const *s, const size_t *w, int first)
{
	for (int c = first; c < NCOLS; c++) {
		size_t len = utf8_width(s[c]);
		size_t pad = w[c] > len ? w[c] - len : 0;
		if (c > first)
			fputs("  ", fp);
		if (COL_IS_TEXT(c)) {
			fputs(s[c], fp);
			if (c + 1 < NCOLS)
				put_spaces(fp, pad);
		} else {
			put_spaces(fp, pad);
			fputs(s[c], fp);
		}
	}
	putc('\n', fp);
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
	size_t w[NCOLS];
	char bufs[NCOLS][CELL_MAX];
	const char *s[NCOLS];

	for (int c = 0; c < NCOLS; c++)
		w[c] = utf8_width(col_titles[c]);
	for (size_t i = 0; i < t->nrows; i++) {
		for (int c = first; c < NCOLS; c++) {
			size_t len = utf8_width(cell(&t->rows[i], c, bufs[c]));
			if (len > w[c])
				w[c] = len;
		}
	}

	fprintf(fp, "Funnel per gemeente and product (%s, %s funnel%s)\n\n",
		t->count_hits ? "hits" : "visitors", t->sequential ? "sequential" : "open",
		by_name(t->by));
	table_line(fp, col_titles, w, first);
	for (int c = first; c < NCOLS; c++) {
		if (c > first)
			fputs("  ", fp);
		for (size_t k = 0; k < w[c]; k++)
			putc('-', fp);
	}
	putc('\n', fp);
	for (size_t i = 0; i < t->nrows; i++) {
		for (int c = first; c < NCOLS; c++)
			s[c] = cell(&t->rows[i], c, bufs[c]);
		table_line(fp, s, w, first);
		if (ferror(fp))
			break;
	}
	return finish(fp);
}

int report_write(const report_table *t, enum report_format fmt, FILE *fp)
{
	if (fmt == REPORT_CSV)
		return write_csv(t, fp);
	return write_table(t, fp);
}
