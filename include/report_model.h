/*
 * report_model.h - the report's cells, built once from a report_table:
 * the one definition of what every writer prints (the terminal table,
 * the CSV and its spreadsheet variants, JSON, HTML, the --append history).
 *
 * The data flow is top-down: funnel -> bench (report_table) -> report
 * model -> writers. The model decides every published value: --min-cell
 * suppression (counts 1..N-1 and every figure computed from them, and the
 * median and gains of a benchmark group that could give a hidden
 * conversion away), empty cells (no denominator, not in the benchmark),
 * and which columns the table has (period with --by; form_errors,
 * done_errors, conversion_low, conversion_high with --details). Writers
 * only format cells; none parses another writer's output.
 *
 * Invariants: row i of the model is t->rows[i]; text cells borrow the
 * table's strings (they live as long as the table); the model owns its
 * cells and published rows, and borrows t for its lifetime.
 */
#ifndef KR_REPORT_MODEL_H
#define KR_REPORT_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include "report.h"

/* Every column a report can have, in CSV order (klantreis(1), REPORT
 * FORMATS, csv). */
enum report_col {
	REPORT_COL_PERIOD, REPORT_COL_GEMEENTE, REPORT_COL_PRODUCT,
	REPORT_COL_INFO, REPORT_COL_FORM, REPORT_COL_DONE,
	REPORT_COL_FORM_RATE, REPORT_COL_DONE_RATE, REPORT_COL_CONVERSION,
	REPORT_COL_MEDIAN, REPORT_COL_RANK, REPORT_COL_RANKED, REPORT_COL_GAIN,
	REPORT_COL_FORM_ERRORS, REPORT_COL_DONE_ERRORS,         /* --details */
	REPORT_COL_CONV_LOW, REPORT_COL_CONV_HIGH,              /* --details */
	REPORT_NCOLS
};

/* The CSV (and JSON key) name of column c: "form_rate". */
const char *report_col_name(enum report_col c);
/* 1 for the text columns period, gemeente and product. */
int report_col_is_text(enum report_col c);

enum report_kind {
	REPORT_CELL_EMPTY = 0,  /* no value: no denominator, not in the benchmark */
	REPORT_CELL_SUPPRESSED, /* hidden by --min-cell, or computed from a hidden figure */
	REPORT_CELL_TEXT,       /* text: period, gemeente, product */
	REPORT_CELL_COUNT,      /* an integer: count, rank, ranked, gain */
	REPORT_CELL_RATE        /* a fraction: rates, median, Wilson bounds */
};

typedef struct {
	enum report_kind kind;
	const char *text;      /* TEXT: borrowed from the table */
	int64_t n;             /* COUNT: the value; RATE of two counts: numerator */
	double rate;           /* RATE: the fraction (of two counts: n / their
	                        * denominator, which is > 0) */
} report_cell;

typedef struct {
	const report_table *t; /* borrowed: options and meta for the writers */
	size_t nrows;
	int ncols;             /* columns shown */
	enum report_col cols[REPORT_NCOLS]; /* the columns shown, in order */
	report_cell *cells;    /* nrows * REPORT_NCOLS, every column, shown or not */
	report_row *pub;       /* the rows as published (counts hidden are -1) */
} report_model;

/* Builds the model of t. Returns it (free with report_model_free), or NULL
 * when out of memory (errno ENOMEM). */
report_model *report_model_new(const report_table *t);
void report_model_free(report_model *m);

/* 1 when the model shows column c. */
int report_model_has(const report_model *m, enum report_col c);

/* Cell (row, c); every column has cells, shown or not. Lives as long as m. */
const report_cell *report_model_cell(const report_model *m, size_t row, enum report_col c);

/* Row i as published: counts and error counts hidden by --min-cell are
 * -1, eligible 0 when info or done is hidden, has_median 0 and gain -1
 * in a benchmark group whose median could reveal a hidden conversion.
 * Lives as long as m. */
const report_row *report_model_row(const report_model *m, size_t i);

/* The text of cell c as the CSV prints it: the text, the count, the rate
 * with 4 decimals ("0.4500"), "" for empty and suppressed cells. buf
 * (n >= 32 bytes) may hold it; the result lives until buf is reused or the
 * table's strings go away. */
const char *report_model_format(const report_cell *c, char *buf, size_t n);

#endif
