/*
 * report_writers.h - the writers that print a report_model, one file
 * each: the terminal table (report_table.c), CSV (report_csv.c), JSON
 * (report_json.c) and HTML (report_html.c).
 *
 * Every writer prints only to the given stream and only from the model
 * (report_model.h): none builds cells of its own, none parses another
 * writer's output. Each returns 0, or -1 on a write error or when out of
 * memory (errno set). report_write (report.h) builds the model and picks
 * the writer.
 */
#ifndef KR_REPORT_WRITERS_H
#define KR_REPORT_WRITERS_H

#include <stdio.h>
#include "report_model.h"

/* report_table.c: an aligned table for a terminal: a title line saying
 * what the figures count, then one line per row with columns padded to
 * the widest cell, percentages, and a conversion bar; ANSI colour only
 * with t->color; words in t->lang; fitted into t->width columns (0: no
 * limit). */
int report_write_table(const report_model *m, FILE *fp);

/* report_csv.c: the CSV of klantreis(1), REPORT FORMATS, csv (a leading
 * "period" column with --by): m->t->csv_sep between fields (',' when 0), fields
 * quoted (quotes doubled) only when they hold the separator, '"', CR or
 * LF, "\n" line ends, rates with exactly 4 decimals, empty and suppressed
 * cells empty; a decimal comma in number cells with t->decimal_comma, a
 * UTF-8 BOM first with t->bom, and every text cell (period, gemeente,
 * product) that starts with '=', '+', '-', '@', tab or CR prefixed with a
 * single quote so no spreadsheet runs it as a formula. */
int report_write_csv(const report_model *m, FILE *fp);

/* report_csv.c: the parts of report_write_csv, for the --append history
 * (output.c): the BOM (with t->bom) and header line, and row i's line. */
void report_csv_header(const report_model *m, FILE *fp);
void report_csv_row(const report_model *m, size_t i, FILE *fp);

/* report_csv.c: writes one CSV field s (no separator): quoted, quotes
 * doubled, when it holds sep, '"', CR or LF; a text cell that a
 * spreadsheet would take for a formula (starting with = + - @ TAB CR, but
 * not a lone "-") gets a leading "'"; a number cell gets a decimal comma
 * when decimal_comma is set. Also compare.c's CSV. */
void report_csv_field(FILE *fp, const char *s, int text, char sep, int decimal_comma);

/* report_json.c: one JSON document {"meta": {...}, "rows": [...]}; row
 * keys are the CSV column names, number cells JSON numbers exactly as in
 * the CSV, empty and suppressed cells null. */
int report_write_json(const report_model *m, FILE *fp);

/* report_html.c: one self-contained HTML page (inline CSS and SVG, no
 * network) with a funnel chart per gemeente and a benchmark chart per
 * product, and a trend chart per product when t->by is set; labels in
 * t->lang. */
int report_write_html(const report_model *m, FILE *fp);

#endif
