/*
 * report_read.h - CSV reports read back and merged, for `klantreis
 * benchmark` (federation with counts only).
 *
 * A report_merge collects the rows of CSV reports as `analyze --format
 * csv` writes them - any --csv-sep, --decimal-comma, --bom, CRLF line
 * ends, with or without the period column of --by and the columns of
 * --details - and turns them into one report_table whose rows are what
 * one analyze run over all the logs behind the reports would have:
 * periods ascending; per period the gemeenten in order of first
 * appearance over the reports (or by name, or in catalogue order), each
 * with its products in their order; (period, gemeente, product) cells
 * that no report has are rows of zeros, as analyze prints them. Only the
 * counts are read (info, form, done and, with --details, form_errors,
 * done_errors); every rate and benchmark figure is recomputed by the
 * caller (bench_compute).
 *
 * Invariants: every report added has the same columns and the same kind
 * of period; a count cell is a whole number (a blanked --min-cell cell is
 * refused); two rows of one (period, gemeente, product) are refused unless
 * all but one of them are all zeros (a part analysed with the whole
 * catalogue lists every gemeente, mostly with zeros: that adds nothing).
 */
#ifndef KR_REPORT_READ_H
#define KR_REPORT_READ_H

#include <stdio.h>
#include "catalog.h"
#include "ktime.h"
#include "report.h"

typedef struct report_merge report_merge;

/* Gemeente order of the merged table. */
enum report_merge_order {
	REPORT_ORDER_INPUT = 0,  /* first appearance over the reports, in the order added */
	REPORT_ORDER_NAME,       /* by name (strcmp), as analyze orders built-in hosts */
	REPORT_ORDER_CATALOG     /* the catalogue's order (report_merge_table's cat) */
};

/* A new, empty merge; NULL when out of memory. Free with report_merge_free. */
report_merge *report_merge_new(void);
void report_merge_free(report_merge *mg);

/* Reads the CSV report fp (name is used in messages and copied) and adds
 * its rows. The separator, a BOM and a decimal comma are detected from
 * the header line and the cells. Returns 0; or -1 with "NAME:LINE:
 * message" (or "NAME: message") in err when the file is no report to
 * merge: an unknown header, columns or period kind other than the reports
 * before, a malformed or empty count, a bad period label, a CSV syntax
 * error; or -2 after a read error or when out of memory. The rows read
 * so far stay added. */
int report_merge_add(report_merge *mg, FILE *fp, const char *name, char *err, size_t errlen);

/* Data rows read from report i (in the order added); 0 when out of range. */
size_t report_merge_rows_of(const report_merge *mg, int i);

/* What the reports' columns say: the period kind (KTIME_BY_DAY when a
 * period column came without rows to tell) and whether --details columns
 * were there. */
enum ktime_by report_merge_by(const report_merge *mg);
int report_merge_details(const report_merge *mg);

/* Fills t->rows/t->nrows (malloc'ed, the caller frees t->rows) with the
 * merged rows and sets t->by and t->details; other fields of t are left
 * as they are. With cat (REPORT_ORDER_CATALOG), every (gemeente, product)
 * must be a catalogue row; rows then borrow names and peer groups from
 * cat, and catalogue gemeenten that no report has get rows of zeros (as
 * analyze prints them); *missing counts those gemeenten. Otherwise names
 * are borrowed from mg and peer is NULL. Strings live as long as mg (and
 * cat). Returns 0; or -1 with the message in err: two rows of a cell with
 * figures above 0 ("B:LINE: row ... overlaps 'A':LINE ..."), a row that
 * is no catalogue row; or -2 when out of memory. Sorts mg's rows. */
int report_merge_table(report_merge *mg, const catalog *cat, enum report_merge_order order,
                       report_table *t, size_t *missing, char *err, size_t errlen);

/* Parses a period label of analyze ("2026-11-02", "2026-W45", "2026-11")
 * into its first day and kind. Returns 0, or -1 when s is not a label
 * ktime_period_label would write. */
int report_parse_period(const char *s, int32_t *start, enum ktime_by *by);

#endif
