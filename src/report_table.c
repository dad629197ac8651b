/*
 * report_table.c - the report model as an aligned table for a terminal
 * (see report_writers.h).
 *
 * A title line saying what the figures count, then one line per row with
 * columns padded to the widest cell; widths count UTF-8 code points, not
 * bytes, so names like "Súdwest-Fryslân" stay aligned. Empty and
 * suppressed cells show "-"; rates, the median and the Wilson bounds
 * (--details) are percentages with one decimal, rank is "rank/ranked".
 * Each row ends with a bar of its conversion; ANSI colour (bold title, bar
 * green at or above the median, yellow below) only when t->color is set.
 * Words and the decimal sign follow t->lang (Dutch unless "en"). With
 * t->width the lines fit that many columns (text_fit): the bar goes
 * first, then names are cut with an ellipsis, columns left out (rates,
 * --details, median, gain), short titles used when they keep more; a
 * footer then says what the short titles mean and what was left out.
 *
 * Every cell comes from the model, so --min-cell hides here what it hides
 * in the CSV. Nothing is printed but to the given stream; a write error is
 * reported through the return value only (checked with ferror and fflush).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report_writers.h"
#include "text.h"

enum {
	COL_PERIOD, COL_GEMEENTE, COL_PRODUCT, COL_INFO, COL_FORM, COL_DONE,
	COL_FORM_RATE, COL_DONE_RATE, COL_CONV, COL_MEDIAN, COL_RANK, COL_GAIN,
	COL_FORM_ERR, COL_DONE_ERR, COL_CONV_LOW, COL_CONV_HIGH, NCOLS   /* --details */
};

/* The table's words in one language: column titles in full and short
 * (for a narrow terminal), and the title line's. */
typedef struct {
	const char *col[NCOLS], *col_short[NCOLS];
	const char *title, *visitors, *hits, *open, *sequential;
	const char *by[4];     /* indexed by enum ktime_by */
	const char *peer;
	char decimal;
	text_footer_words footer;   /* the footer of a narrowed table */
} table_words;

static const table_words words_en = {
	{ "period", "gemeente", "product", "info", "form", "done",
	  "form rate", "done rate", "conversion", "median", "rank", "gain",
	  "form 5xx", "done 5xx", "conv low", "conv high" },
	{ "period", "gemeente", "product", "info", "form", "done",
	  "f/i", "d/f", "conv", "med", "rank", "gain",
	  "f5xx", "d5xx", "low", "high" },
	"Funnel per gemeente and product", "visitors", "hits", "open funnel",
	"sequential funnel", { "", ", by day", ", by week", ", by month" },
	", benchmark per peer group", '.',
	{ "Short:", "Left out:", "(a wider terminal or --format csv shows all)" },
};

static const table_words words_nl = {
	{ "periode", "gemeente", "product", "info", "formulier", "afgerond",
	  "form/info", "afg/form", "conversie", "mediaan", "positie", "te winnen",
	  "5xx form", "5xx afg", "conv laag", "conv hoog" },
	{ "periode", "gemeente", "product", "info", "form", "afg",
	  "f/i", "a/f", "conv", "med", "pos", "extra",
	  "f5xx", "a5xx", "laag", "hoog" },
	"Funnel per gemeente en product", "bezoekers", "verzoeken", "open funnel",
	"sequenti\xc3\xable funnel", { "", ", per dag", ", per week", ", per maand" },
	", benchmark per groep", ',',
	{ "Kort:", "Weggelaten:", "(een breder venster of --format csv toont alles)" },
};

static const table_words *table_lang(const char *lang)
{
	return lang && strcmp(lang, "en") == 0 ? &words_en : &words_nl;
}

/* Columns up to COL_PRODUCT are text (left-aligned), the others numbers. */
#define COL_IS_TEXT(c) ((c) <= COL_PRODUCT)

#define CELL_MAX 64

/* "12.5%", with the language's decimal sign. */
static const char *percent(double frac, char decimal, char *buf)
{
	snprintf(buf, CELL_MAX, "%.1f%%", 100.0 * frac);
	char *dot = strchr(buf, '.');
	if (dot)
		*dot = decimal;
	return buf;
}

/* The model's column behind each table column. */
static const enum report_col model_col[NCOLS] = {
	REPORT_COL_PERIOD, REPORT_COL_GEMEENTE, REPORT_COL_PRODUCT, REPORT_COL_INFO,
	REPORT_COL_FORM, REPORT_COL_DONE, REPORT_COL_FORM_RATE, REPORT_COL_DONE_RATE,
	REPORT_COL_CONVERSION, REPORT_COL_MEDIAN, REPORT_COL_RANK, REPORT_COL_GAIN,
	REPORT_COL_FORM_ERRORS, REPORT_COL_DONE_ERRORS, REPORT_COL_CONV_LOW,
	REPORT_COL_CONV_HIGH,
};

/* The text of table column c of row i; buf (CELL_MAX bytes) may hold it.
 * The result lives until buf is reused or the model goes away. */
static const char *cell(const report_model *m, size_t i, int c, char decimal, char *buf)
{
	const report_cell *x = report_model_cell(m, i, model_col[c]);

	switch (x->kind) {
	case REPORT_CELL_TEXT:
		return x->text;
	case REPORT_CELL_COUNT:
		if (c == COL_RANK)
			snprintf(buf, CELL_MAX, "%" PRId64 "/%" PRId64, x->n,
			         report_model_cell(m, i, REPORT_COL_RANKED)->n);
		else
			snprintf(buf, CELL_MAX, "%" PRId64, x->n);
		return buf;
	case REPORT_CELL_RATE:
		return percent(x->rate, decimal, buf);
	default:
		return "-";   /* empty or suppressed */
	}
}

/* Writes one line of cells s[first..last) with the widths and visibility
 * of col. */
static void table_line(FILE *fp, const char *const *s, const text_col *col, int first,
                       int last)
{
	int k = 0, lastshown = first;
	for (int c = first; c < last; c++)
		if (col[c].shown)
			lastshown = c;
	for (int c = first; c < last; c++) {
		if (!col[c].shown)
			continue;
		if (k++)
			fputs("  ", fp);
		if (COL_IS_TEXT(c)) {
			text_put_cut(fp, s[c], col[c].w, c < lastshown);
		} else {
			size_t len = text_width(s[c]);
			text_put_spaces(fp, col[c].w > len ? col[c].w - len : 0);
			fputs(s[c], fp);
		}
	}
}

/* The conversion bar after the last column: one character per 10%, drawn
 * in eighths (U+2588 full block, U+2589..U+258F seven to one eighth), and
 * "+" beyond 100%. It is drawn from the conversion cell as shown
 * ("33.3%" or "33,3%"), so it never reveals more than the cell; nothing
 * when the cell shows no percentage or rounds to no eighth. With t->color:
 * green at or above the median, yellow below it. The bar is the last thing
 * on the line, so no padding. */
#define BAR_CHARS 10
#define BAR_COLS (2 + BAR_CHARS + 1)
static void table_bar(FILE *fp, const report_table *t, const report_cell *median,
                      const char *conv_cell)
{
	char num[CELL_MAX], *end;
	snprintf(num, sizeof num, "%s", conv_cell);
	char *comma = strchr(num, ',');
	if (comma)
		*comma = '.';
	double conv = strtod(num, &end) / 100.0;
	if (end == num || *end != '%')
		return;
	double e = conv * BAR_CHARS * 8 + 0.5;
	long eighths = e >= BAR_CHARS * 8 ? BAR_CHARS * 8 : (long)e;
	if (eighths == 0)
		return;
	fputs("  ", fp);
	int colour = t->color && median->kind == REPORT_CELL_RATE;
	if (colour)
		fputs(conv >= median->rate ? "\033[32m" : "\033[33m", fp);
	for (long k = 0; k < eighths / 8; k++)
		fputs("\xe2\x96\x88", fp);
	if (eighths % 8) {
		putc('\xe2', fp);
		putc('\x96', fp);
		putc(0x90 - (int)(eighths % 8), fp);
	}
	if (conv > 1.0)
		putc('+', fp);
	if (colour)
		fputs("\033[0m", fp);
}

/* Order in which a narrow terminal leaves columns out: the rates that the
 * counts give anyway, the --details columns, then median and gain. */
static const int col_drop[NCOLS] = {
	[COL_FORM_RATE] = 1, [COL_DONE_RATE] = 1, [COL_CONV_LOW] = 2, [COL_CONV_HIGH] = 2,
	[COL_FORM_ERR] = 3, [COL_DONE_ERR] = 3, [COL_MEDIAN] = 4, [COL_GAIN] = 5,
	[COL_FORM] = 6,
};

int report_write_table(const report_model *m, FILE *fp)
{
	const report_table *t = m->t;
	const table_words *L = table_lang(t->lang);
	int first = report_model_has(m, REPORT_COL_PERIOD) ? COL_PERIOD : COL_GEMEENTE;
	int last = report_model_has(m, REPORT_COL_FORM_ERRORS) ? NCOLS : COL_GAIN + 1;
	size_t cellw[NCOLS] = { 0 };
	text_col col[NCOLS];
	char bufs[NCOLS][CELL_MAX];
	const char *s[NCOLS];
	int bar;

	for (size_t i = 0; i < m->nrows; i++) {
		for (int c = first; c < last; c++) {
			size_t len = text_width(cell(m, i, c, L->decimal, bufs[c]));
			if (len > cellw[c])
				cellw[c] = len;
		}
	}
	/* the full titles, unless the short ones fit where they do not, or keep
	 * more columns (or the bar) */
	const char *const *titles = L->col;
	int best = -1;
	for (int pass = 0; pass < 3; pass++) {
		const char *const *tt = pass == 1 ? L->col_short : pass == 2 && best == 1 ?
		                        L->col_short : L->col;
		for (int c = first; c < last; c++) {
			size_t tw = text_width(tt[c]);
			col[c] = (text_col){ cellw[c] > tw ? cellw[c] : tw,
			                       c == COL_GEMEENTE || c == COL_PRODUCT ? 10 : 0,
			                       col_drop[c], 0, 0 };
		}
		size_t total = text_fit(col + first, last - first, 2, BAR_COLS, &bar,
		                          (size_t)(t->width > 0 ? t->width : 0));
		if (pass == 2) {
			titles = tt;
			break;
		}
		/* fitting first, then more columns, then the bar */
		int score = bar + (t->width <= 0 || total <= (size_t)t->width ? 1000 : 0);
		for (int c = first; c < last; c++)
			score += 2 * col[c].shown;
		if (pass == 0 && (t->width <= 0 || (bar && score == 1001 + 2 * (last - first))))
			break;   /* everything fits with the full titles */
		if (pass == 0)
			best = score;
		else
			best = score > best ? 1 : 0;
	}

	char title[256];
	snprintf(title, sizeof title, "%s (%s, %s%s%s)", L->title,
		 t->count_hits ? L->hits : L->visitors, t->sequential ? L->sequential : L->open,
		 L->by[t->by >= KTIME_BY_NONE && t->by <= KTIME_BY_MONTH ? t->by : 0],
		 t->peer ? L->peer : "");
	fputs(t->color ? "\033[1m" : "", fp);
	text_put_wrapped(fp, title, (size_t)(t->width > 0 ? t->width : 0),
	                   t->color ? "\033[0m" : NULL);
	putc('\n', fp);
	table_line(fp, titles, col, first, last);
	putc('\n', fp);
	text_put_rule(fp, col + first, last - first);
	for (size_t i = 0; i < m->nrows; i++) {
		for (int c = first; c < last; c++)
			s[c] = cell(m, i, c, L->decimal, bufs[c]);
		table_line(fp, s, col, first, last);
		if (bar)
			table_bar(fp, t, report_model_cell(m, i, REPORT_COL_MEDIAN), s[COL_CONV]);
		putc('\n', fp);
		if (ferror(fp))
			break;
	}
	text_fit_footer(fp, &L->footer, titles + first, L->col + first, col + first, last - first,
	                (size_t)(t->width > 0 ? t->width : 0));
	return text_finish(fp);
}

