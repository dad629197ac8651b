/*
 * compare.h - before and after a change (klantreis(1), MEASUREMENT,
 * "Before and after"): the conversion done/info of every gemeente and
 * product on two sides (time ranges), their difference and the
 * two-proportion z-test, as CSV or as a table for a terminal.
 *
 * A compare_table pairs two report tables built from one scan (one
 * matcher), so their rows are the same catalogue rows in the same order.
 * Strings are borrowed from the catalogue/matcher and live for the run.
 */
#ifndef KR_COMPARE_H
#define KR_COMPARE_H

#include <stdint.h>
#include <stdio.h>
#include "report.h"

enum { COMPARE_BEFORE = 0, COMPARE_AFTER = 1 };

typedef struct {
	const char *gemeente;
	const char *product;
	int64_t info[2], done[2];   /* [COMPARE_BEFORE], [COMPARE_AFTER] */
} compare_row;

typedef struct {
	compare_row *rows;
	size_t nrows;
	double alpha;           /* significant when p_value < alpha */
	int64_t min_cell;       /* --min-cell N: counts 1..N-1 empty (0 = off) */
	int count_hits;         /* figures are hits rather than visitors */
	int sequential;         /* sequential funnel */
	int64_t from[2], to[2]; /* the sides' wall-clock ranges [from, to), for
	                           the table's title; INT64_MIN / INT64_MAX open */
	char csv_sep;           /* --csv-sep, ',' when 0 */
	int decimal_comma;      /* --decimal-comma */
	int bom;                /* --bom */
	int color;              /* table: ANSI colour */
	const char *lang;       /* table: "nl" (default, also NULL) or "en" */
	int width;              /* table: fit lines into this many columns (0: no limit) */
} compare_table;

/* The figures of one row as published. A count hidden by min_cell is -1.
 * Empty cells have their has_ flag 0:
 *   conv[s]     done/info of side s; empty when info is 0 or a count of
 *               that side is hidden;
 *   change      conv[AFTER] - conv[BEFORE]; empty when either is;
 *   p           stats_ztest; empty in its empty cases or when any of the
 *               four counts is hidden;
 *   significant p < alpha (compared before rounding), when has_p. */
typedef struct {
	int64_t info[2], done[2];
	int has_conv[2];
	double conv[2];
	int has_change;
	double change;
	int has_p;
	double p;
	int significant;
} compare_figures;

void compare_figures_of(const compare_table *t, const compare_row *r, compare_figures *f);

/* Fills t->rows (malloc'ed, the caller frees t->rows) from the rows of
 * before and after, which must be the same rows in the same order; other
 * fields of t are left alone. Returns 0, or -1 with errno ENOMEM, or
 * EINVAL when the tables' rows differ. */
int compare_build(const report_table *before, const report_table *after, compare_table *t);

/* Writes t to fp. REPORT_CSV: the header of section 9 and one row per
 * compare_row, with t->csv_sep, decimal_comma and bom as the analyze CSV
 * has them (text cells starting with = + - @ tab CR get a leading '; a
 * negative change is a number, "-0.0500"); conversions, change and
 * p_value with 4 decimals, significant "yes", "no" or empty.
 * REPORT_TABLE: aligned columns with percentages and percentage points.
 * Other formats are not supported (EINVAL). Returns 0, or -1 on a write
 * error or when out of memory (errno set). */
int compare_write(const compare_table *t, enum report_format fmt, FILE *fp);

#endif
