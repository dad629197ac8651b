/*
 * report_csv.c - the report model as CSV (klantreis(1), REPORT FORMATS,
 * csv), plain or for spreadsheets (see report_writers.h).
 *
 * Defaults (',' between fields, '.' decimals, no BOM) give the plain CSV of
 * the contract; --csv-sep, --decimal-comma and --bom change only those
 * bytes. Text cells that a spreadsheet would run as a formula are always
 * neutralised with a leading "'"; number cells are never altered apart
 * from the decimal comma.
 *
 * Invariants: every cell comes from the model (report_model_format);
 * nothing is printed but to the given stream, byte by byte with
 * putc_unlocked: once a run has started worker threads, glibc's putc
 * would lock and unlock the stream for every byte of a national report.
 * report_write_csv holds the stream's lock; the other callers (the
 * history's memory stream, compare's table) write streams no other
 * thread touches.
 */
#include <string.h>

#include "report_writers.h"
#include "text.h"

void report_csv_field(FILE *fp, const char *s, int text, char sep, int decimal_comma)
{
	/* a lone "-" (the built-in gemeente of lines without a host) is no formula */
	int formula = text && s[0] && strchr("=+-@\t\r", s[0]) && strcmp(s, "-") != 0;
	int comma = !text && decimal_comma && text_is_number(s);
	int quote = 0;
	for (const char *q = s; *q; q++) {
		char ch = comma && *q == '.' ? ',' : *q;
		if (ch == sep || ch == '"' || ch == '\r' || ch == '\n') {
			quote = 1;
			break;
		}
	}
	if (formula && sep == '\'')
		quote = 1;
	if (quote)
		putc_unlocked('"', fp);
	if (formula)
		putc_unlocked('\'', fp);
	for (const char *q = s; *q; q++) {
		char ch = comma && *q == '.' ? ',' : *q;
		if (ch == '"')
			putc_unlocked('"', fp);
		putc_unlocked(ch, fp);
	}
	if (quote)
		putc_unlocked('"', fp);
}

static char sep_of(const report_model *m)
{
	return m->t->csv_sep ? m->t->csv_sep : ',';
}

void report_csv_header(const report_model *m, FILE *fp)
{
	char sep = sep_of(m);
	if (m->t->bom)
		fputs("\xEF\xBB\xBF", fp);
	for (int k = 0; k < m->ncols; k++) {
		if (k)
			putc_unlocked(sep, fp);
		report_csv_field(fp, report_col_name(m->cols[k]), 0, sep, 0);
	}
	putc_unlocked('\n', fp);
}

void report_csv_row(const report_model *m, size_t i, FILE *fp)
{
	char sep = sep_of(m), buf[64];
	for (int k = 0; k < m->ncols; k++) {
		enum report_col c = m->cols[k];
		if (k)
			putc_unlocked(sep, fp);
		report_csv_field(fp, report_model_format(report_model_cell(m, i, c), buf, sizeof buf),
		                 report_col_is_text(c), sep, m->t->decimal_comma);
	}
	putc_unlocked('\n', fp);
}

int report_write_csv(const report_model *m, FILE *fp)
{
	flockfile(fp);
	report_csv_header(m, fp);
	for (size_t i = 0; i < m->nrows && !ferror(fp); i++)
		report_csv_row(m, i, fp);
	funlockfile(fp);
	return text_finish(fp);
}
