/*
 * report_cells.c - the plain CSV of a report parsed back into cells, and
 * the spreadsheet CSV written from those cells (see report.h).
 *
 * The plain CSV (report.c) is the one definition of the report's columns
 * and values: --details adds columns, --min-cell empties cells, and every
 * other format follows by reading the same cells back with libcsv. Text
 * columns are period, gemeente and product; every other cell is a number
 * or empty.
 *
 * Invariants: cells point into one arena owned by the report_cells; row i
 * of the cells is t->rows[i]; nothing is printed but to the given stream.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "report.h"
#include "fault.h"

/* Parse state: fields appended to the arena as NUL-terminated strings,
 * their offsets recorded in order. */
typedef struct {
	char *arena;
	size_t alen, acap;
	size_t *offs;
	size_t noffs, ocap;
	size_t ncols;      /* fields in the header row */
	size_t infield;    /* fields in the current row */
	size_t nrows;      /* rows including the header */
	int failed;        /* out of memory or a ragged row */
} parse_state;

static void on_field(void *s, size_t len, void *data)
{
	parse_state *st = data;
	if (st->failed)
		return;
	if (st->alen + len + 1 > st->acap) {
		size_t cap = st->acap ? st->acap : 4096;
		while (cap < st->alen + len + 1)
			cap *= 2;
		char *a = realloc(st->arena, cap);
		if (!a) {
			st->failed = ENOMEM;
			return;
		}
		st->arena = a;
		st->acap = cap;
	}
	if (st->noffs == st->ocap) {
		size_t cap = st->ocap ? st->ocap * 2 : 256;
		size_t *o = realloc(st->offs, cap * sizeof *o);
		if (!o) {
			st->failed = ENOMEM;
			return;
		}
		st->offs = o;
		st->ocap = cap;
	}
	if (len)
		memcpy(st->arena + st->alen, s, len);
	st->arena[st->alen + len] = '\0';
	st->offs[st->noffs++] = st->alen;
	st->alen += len + 1;
	st->infield++;
}

static void on_row(int c, void *data)
{
	parse_state *st = data;
	(void)c;
	if (st->failed)
		return;
	if (st->nrows == 0)
		st->ncols = st->infield;
	else if (st->infield != st->ncols)
		st->failed = EINVAL;
	st->nrows++;
	st->infield = 0;
}

/* Every byte belongs to the field: no space trimming. */
static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static const char *const text_columns[] = { "period", "gemeente", "product" };

report_cells *report_cells_new(const report_table *t)
{
	report_cells *c = NULL;
	parse_state st;
	struct csv_parser p;
	int parser = 0, err = ENOMEM;
	char *buf = NULL;
	size_t len = 0;

	memset(&st, 0, sizeof st);
	FILE *mem = open_memstream(&buf, &len);
	if (!mem)
		goto out;
	if (report_write_csv_plain(t, mem) < 0) {
		err = errno ? errno : EIO;
		fclose(mem);
		goto out;
	}
	if (fclose(mem) != 0)
		goto out;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		goto out;
	parser = 1;
	csv_set_space_func(&p, no_space);
	err = EINVAL;
	if (csv_parse(&p, buf, len, on_field, on_row, &st) != len)
		goto out;
	if (csv_fini(&p, on_field, on_row, &st) != 0)
		goto out;
	if (st.failed) {
		err = st.failed;
		goto out;
	}
	if (st.nrows == 0 || st.nrows - 1 != t->nrows || st.ncols == 0)
		goto out;

	err = ENOMEM;
	c = calloc(1, sizeof *c);
	if (!c)
		goto out;
	c->ncols = st.ncols;
	c->nrows = st.nrows - 1;
	c->names = malloc(st.noffs * sizeof *c->names);
	c->is_text = calloc(st.ncols, 1);
	if (!c->names || !c->is_text) {
		report_cells_free(c);
		c = NULL;
		goto out;
	}
	for (size_t i = 0; i < st.noffs; i++)
		c->names[i] = st.arena + st.offs[i];
	c->cells = c->names + st.ncols;
	for (size_t k = 0; k < st.ncols; k++)
		for (size_t j = 0; j < sizeof text_columns / sizeof text_columns[0]; j++)
			if (strcmp(c->names[k], text_columns[j]) == 0)
				c->is_text[k] = 1;
	c->arena_ = st.arena;
	st.arena = NULL;
	err = 0;
out:
	if (parser)
		csv_free(&p);
	free(buf);
	free(st.arena);
	free(st.offs);
	if (!c)
		errno = err;
	return c;
}

void report_cells_free(report_cells *c)
{
	if (!c)
		return;
	free(c->names);
	free(c->is_text);
	free(c->arena_);
	free(c);
}

int report_cells_col(const report_cells *c, const char *name)
{
	for (size_t k = 0; k < c->ncols; k++)
		if (strcmp(c->names[k], name) == 0)
			return (int)k;
	return -1;
}

const char *report_cell(const report_cells *c, size_t row, int col)
{
	if (col < 0 || (size_t)col >= c->ncols || row >= c->nrows)
		return "";
	return c->cells[row * c->ncols + (size_t)col];
}

int report_is_number(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		while (*s >= '0' && *s <= '9')
			s++;
	else
		return 0;
	if (*s == '.') {
		s++;
		if (*s < '0' || *s > '9')
			return 0;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == '\0';
}

size_t report_utf8_len(const unsigned char *p, size_t n)
{
	if (n == 0)
		return 0;
	unsigned c = p[0];
	size_t len;
	unsigned lo = 0x80, hi = 0xBF;   /* range of the second byte */
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2;
	else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		if (c == 0xE0)
			lo = 0xA0;           /* overlong */
		else if (c == 0xED)
			hi = 0x9F;           /* surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		if (c == 0xF0)
			lo = 0x90;           /* overlong */
		else if (c == 0xF4)
			hi = 0x8F;           /* above U+10FFFF */
	} else
		return 0;
	if (n < len || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	return len;
}

/* ---- spreadsheet CSV ---- */

/* Writes one field: quoted (quotes doubled) when it holds sep, '"', CR or
 * LF; a text cell that a spreadsheet would take for a formula gets a
 * leading single quote; a number cell gets a decimal comma on request. */
void report_csv_field(FILE *fp, const char *s, int text, char sep, int decimal_comma)
{
	/* a lone "-" (the built-in gemeente of lines without a host) is no formula */
	int formula = text && s[0] && strchr("=+-@\t\r", s[0]) && strcmp(s, "-") != 0;
	int comma = !text && decimal_comma && report_is_number(s);
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
		putc('"', fp);
	if (formula)
		putc('\'', fp);
	for (const char *q = s; *q; q++) {
		char ch = comma && *q == '.' ? ',' : *q;
		if (ch == '"')
			putc('"', fp);
		putc(ch, fp);
	}
	if (quote)
		putc('"', fp);
}

int report_write_csv(const report_table *t, FILE *fp)
{
	char sep = t->csv_sep ? t->csv_sep : ',';
	report_cells *c = report_cells_new(t);
	int rc = -1;

	if (!c)
		return -1;
	if (t->bom)
		fputs("\xEF\xBB\xBF", fp);
	for (size_t k = 0; k < c->ncols; k++) {
		if (k)
			putc(sep, fp);
		report_csv_field(fp, c->names[k], 0, sep, 0);
	}
	putc('\n', fp);
	for (size_t i = 0; i < c->nrows && !ferror(fp); i++) {
		for (size_t k = 0; k < c->ncols; k++) {
			if (k)
				putc(sep, fp);
			report_csv_field(fp, report_cell(c, i, (int)k), c->is_text[k], sep,
			          t->decimal_comma);
		}
		putc('\n', fp);
	}
	int saved = errno;
	if (fflush(fp) == 0 && !ferror(fp))
		rc = 0;
	else
		saved = errno ? errno : EIO;
	report_cells_free(c);
	errno = saved;
	return rc;
}
