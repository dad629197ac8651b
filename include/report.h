/*
 * report.h - the computed funnel table and the formats that print it.
 *
 * A report_table is the final result of a run: one report_row per
 * (period,) gemeente and product, already in report order (periods
 * ascending, then gemeenten and products in catalogue order). All strings
 * are borrowed from the catalogue/matcher and live for the whole run.
 * bench_compute (bench.h) fills the benchmark fields; report_write prints.
 */
#ifndef KR_REPORT_H
#define KR_REPORT_H

#include <stdint.h>
#include <stdio.h>
#include "ktime.h"

typedef struct {
	int32_t period_start;  /* first day of the period (ktime.h) */
	char period[16];       /* its label; "" without --by */
	const char *gemeente;
	const char *product;
	const char *peer;      /* peer group or NULL */
	int64_t n[3];          /* info, form, done (visitors or hits) */

	/* Filled by bench_compute: */
	int eligible;          /* info >= min_visitors (and info > 0) */
	int has_median;        /* median over eligible rows of the group exists */
	double median;         /* median_conversion */
	int ranked;            /* eligible rows in the group (0 when none) */
	int rank;              /* 1 + eligible rows with higher conversion; eligible only */
	int64_t gain;          /* potential_gain; eligible only */

	/* --details (filled by run_table_res from the error counters): */
	int64_t errors[3];     /* 5xx requests by non-bots matching each step */
} report_row;

/* What the run read, for report headers (HTML) and the JSON meta object.
 * Borrowed; may be NULL in tests. */
typedef struct {
	const char *version;
	const char *command_line;   /* argv joined with spaces */
	int ninputs;
	const char *const *input_names;
	const char *const *input_formats;  /* NULL entries when unknown */
	const uint64_t *input_lines;
	uint64_t lines, blank, qualified, matched;
	const char *const *reason_names;   /* FILTER_NREASONS names */
	const uint64_t *excluded;          /* per reason */
	int nreasons;
	double elapsed;             /* seconds */
	/* Per gemeente (ids 0..ngem-1): names, exclusions by reason
	 * (gem_excluded[g * nreasons + reason]) and qualifying requests. */
	int ngem;
	const char *const *gem_names;
	const uint64_t *gem_excluded;
	const uint64_t *gem_qualified;
	const int64_t *since, *until; /* --since/--until wall times, NULL when not given */
	int has_days;               /* 1: first_day..last_day hold data */
	int32_t first_day, last_day;/* first and last day (ktime.h) with a matched step */
} report_meta;

typedef struct {
	report_row *rows;
	size_t nrows;
	enum ktime_by by;      /* adds the period column when not NONE */
	int count_hits;        /* figures are hits rather than visitors */
	int sequential;        /* sequential funnel */

	/* Presentation options (all off / NULL by default): */
	int details;           /* --details: form_errors,done_errors,conversion_low,conversion_high */
	int64_t min_cell;      /* --min-cell N: counts 1..N-1 printed empty (0 = off) */
	int peer;              /* --peer: benchmark groups split by peer */
	char csv_sep;          /* --csv-sep, ',' when 0 */
	int decimal_comma;     /* --decimal-comma */
	int bom;               /* --bom */
	int color;             /* table: ANSI colour (terminal and no NO_COLOR) */
	const char *lang;      /* "nl" (default) or "en": HTML and table labels */
	int width;             /* table: fit lines into this many columns (0: no limit) */
	const char *highlight; /* HTML: gemeente to highlight */
	const report_meta *meta;
} report_table;

/* REPORT_SITE is a directory of pages (site.h), not written by report_write. */
enum report_format { REPORT_TABLE = 0, REPORT_CSV, REPORT_JSON, REPORT_HTML, REPORT_SITE };

/* Writes t in format fmt to fp. CSV: the header of measurement.md
 * section 8 (with a leading "period" column when t->by is set), fields
 * quoted only when needed, "\n" line ends, rates with exactly 4 decimals
 * and empty when the denominator is 0; with t->csv_sep, decimal_comma and
 * bom as report_write_csv says, formula-like text cells neutralised.
 * TABLE: aligned columns with percentages and a conversion bar, ANSI
 * colour only with t->color. JSON and HTML: see below.
 * Returns 0, or -1 on a write error or when out of memory (errno set). */
int report_write(const report_table *t, enum report_format fmt, FILE *fp);

/* Formats a rate num/den with 4 decimals into buf ("" when den == 0).
 * Returns buf. */
char *report_rate(int64_t num, int64_t den, char *buf, size_t n);

/* ---- The writers behind report_write (report_cells.c, report_json.c,
 * report_html.c). Each returns 0, or -1 on a write error or when out of
 * memory (errno set). ---- */

/* The plain CSV of section 8 (report.c): ',' between fields, '.' decimals,
 * no BOM, names as they are. The canonical form every other format is
 * derived from. */
int report_write_csv_plain(const report_table *t, FILE *fp);

/* CSV for spreadsheets: report_write_csv_plain re-written with t->csv_sep
 * between fields (fields quoted when they hold the separator, '"', CR or
 * LF), a decimal comma in number cells when t->decimal_comma, a UTF-8 BOM
 * first when t->bom, and every text cell (period, gemeente, product) that
 * starts with '=', '+', '-', '@', tab or CR prefixed with a single quote
 * so no spreadsheet runs it as a formula. Number cells are never altered
 * apart from the decimal comma. */
int report_write_csv(const report_table *t, FILE *fp);

/* One JSON document {"meta": {...}, "rows": [...]}; row keys are the CSV
 * column names, number cells JSON numbers, empty cells null. */
int report_write_json(const report_table *t, FILE *fp);

/* One self-contained HTML page (inline CSS and SVG, no network) with a
 * funnel chart per gemeente and a benchmark chart per product, and a
 * trend chart per product when t->by is set; labels in t->lang. */
int report_write_html(const report_table *t, FILE *fp);

/* The cells of the plain CSV, parsed back: what the JSON and HTML writers
 * show, so every format carries the same columns and values (including
 * those other options add or suppress). */
typedef struct {
	size_t ncols, nrows;
	const char **names;      /* ncols column names */
	const char **cells;      /* nrows * ncols values, row-major; "" when empty */
	unsigned char *is_text;  /* per column: 1 for period, gemeente, product */
	char *arena_;            /* private: the bytes behind names and cells */
} report_cells;

/* Renders t as plain CSV and parses it back; row i belongs to t->rows[i].
 * Returns the cells (free with report_cells_free), or NULL when out of
 * memory or the CSV does not parse back (errno set). */
report_cells *report_cells_new(const report_table *t);
void report_cells_free(report_cells *c);
/* Index of column name, or -1 when the table has no such column. */
int report_cells_col(const report_cells *c, const char *name);
/* Cell (row, col); "" when col < 0. The string lives as long as c. */
const char *report_cell(const report_cells *c, size_t row, int col);
/* 1 when s is a number cell: [-]digits[.digits] (also JSON's syntax). */
int report_is_number(const char *s);
/* Length of the valid UTF-8 sequence at p (at most n bytes), 0 when the
 * bytes there are not valid UTF-8 (overlong, surrogate, cut short). */
size_t report_utf8_len(const unsigned char *p, size_t n);

/* Writes one CSV field s (no separator): quoted, quotes doubled, when it
 * holds sep, '"', CR or LF; a text cell that a spreadsheet would take for a
 * formula (starting with = + - @ TAB CR, but not a lone "-") gets a leading
 * "'"; a number cell gets a decimal comma when decimal_comma is set. */
void report_csv_field(FILE *fp, const char *s, int text, char sep, int decimal_comma);

/* ---- Fitting a terminal table into a width (report.c; compare.c uses
 * it too) ---- */

/* One column of a table to fit. The caller fills width, min and drop;
 * report_fit fills shown and w. */
typedef struct {
	size_t width;   /* natural width: its widest cell or title */
	size_t min;     /* text: the narrowest it may be cut to; 0: never cut */
	int drop;       /* the order in which columns are left out (1 first);
	                   0: never */
	int shown;      /* out: 1 when shown */
	size_t w;       /* out: the width to print it with (<= width) */
} report_col;

/* Fits n columns, sep blanks apart, and an optional trailer of `extra`
 * columns after the last one (a bar; 0 for none) into `width` display
 * columns, as a person would: first the trailer goes, then text columns
 * are cut (widest first) to a comfortable width (16, or their min when
 * larger), then columns are left out in their drop order, then text is
 * cut down to its min. width 0 means no limit. Sets *keep_extra to 1 when
 * the trailer stays. Returns the width of the widest line it makes, which
 * is more than width only when even that does not fit. */
size_t report_fit(report_col *c, int n, size_t sep, size_t extra, int *keep_extra,
                  size_t width);

/* The table width for stream fp: its terminal's width when fp is a
 * terminal, else $COLUMNS when that is a number from 20 to 1000, else 80. */
int report_term_width(FILE *fp);

/* Writes s cut to at most w display columns (code points; control bytes
 * as '?'), ending in an ellipsis (U+2026) when cut, and pads it with
 * blanks to w when pad is set. Returns the columns written. */
size_t report_put_cut(FILE *fp, const char *s, size_t w, int pad);

/* Writes the words of text (separated by blanks) wrapped at width
 * columns (0: no limit), then tail (unless NULL; an escape sequence, say,
 * that takes no columns) and a newline. */
void report_put_wrapped(FILE *fp, const char *text, size_t width, const char *tail);

/* Number of UTF-8 code points in s (the table's idea of display width). */
size_t report_text_width(const char *s);

/* Flushes fp after a run of writes. Returns 0, or -1 with errno set when
 * any write to fp failed. */
int report_finish(FILE *fp);

/* The rows of t as published (what every format shows): counts and error
 * counts hidden by --min-cell are -1, eligible 0 when info or done is
 * hidden, has_median 0 and gain -1 in a benchmark group whose median
 * could reveal a hidden conversion; without --min-cell a copy of the
 * rows. Returns a malloc'ed array of t->nrows rows (free() it), or NULL
 * when out of memory (errno set). */
report_row *report_published(const report_table *t);

#endif
