/*
 * report.h - the computed funnel table and the formats that print it.
 *
 * A report_table is the final result of a run: one report_row per
 * (period,) gemeente and product, already in report order (periods
 * ascending, then gemeenten and products in catalogue order). All strings
 * are borrowed from the catalogue/matcher and live for the whole run.
 * bench_compute (bench.h) fills the benchmark fields; report_write prints
 * it through the report model (report_model.h).
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

/* Writes t in format fmt to fp: builds the report model of t
 * (report_model.h) and prints it with the format's writer
 * (report_writers.h): TABLE aligned columns for a terminal, CSV with the
 * header of klantreis(1), REPORT FORMATS, csv, and its spreadsheet
 * variants, JSON, HTML. Returns 0, or -1 on a write error or when out of
 * memory (errno set). */
int report_write(const report_table *t, enum report_format fmt, FILE *fp);

#endif
