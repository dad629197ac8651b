/*
 * compare.c - the before/after report of `klantreis compare` (compare.h;
 * klantreis(1), MEASUREMENT, "Before and after").
 *
 * compare_figures_of is the one place where a row's published values are
 * decided (--min-cell suppression, empty cells, the z-test); the CSV and
 * the table writer only format them. CSV: the exact header of section 9,
 * "\n" line ends, numbers as printf("%.4f") of the doubles (a decrease
 * prints "-0.0500"), fields quoted only when they hold the separator, '"',
 * CR or LF, text cells that a spreadsheet would run as a formula prefixed
 * with "'", as in the analyze CSV (report_csv.c). TABLE: padded columns
 * (widths in UTF-8 code points), conversions as percentages and the change
 * in percentage points, "-" for empty cells; ANSI colour only with
 * t->color (bold title; a significant rise green, a fall red); words and
 * decimal sign in t->lang (Dutch unless "en"); fitted into t->width as the
 * analyze table is (text_fit: done counts, then p, then info left out).
 *
 * Nothing is printed but to the given stream; errors are returned.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "ktime.h"
#include "report_writers.h"
#include "stats.h"
#include "text.h"

static int64_t shown(const compare_table *t, int64_t v)
{
	return t->min_cell > 1 && v >= 1 && v < t->min_cell ? -1 : v;
}

void compare_figures_of(const compare_table *t, const compare_row *r, compare_figures *f)
{
	int hidden = 0;
	memset(f, 0, sizeof *f);
	for (int s = 0; s < 2; s++) {
		f->info[s] = shown(t, r->info[s]);
		f->done[s] = shown(t, r->done[s]);
		if (f->info[s] < 0 || f->done[s] < 0) {
			hidden = 1;
			continue;
		}
		if (f->info[s] > 0) {
			f->has_conv[s] = 1;
			f->conv[s] = (double)f->done[s] / (double)f->info[s];
		}
	}
	if (f->has_conv[0] && f->has_conv[1]) {
		f->has_change = 1;
		f->change = f->conv[1] - f->conv[0];
	}
	if (!hidden && stats_ztest(r->done[0], r->info[0], r->done[1], r->info[1], &f->p)) {
		f->has_p = 1;
		f->significant = f->p < t->alpha;
	}
}

int compare_build(const report_table *before, const report_table *after, compare_table *t)
{
	t->rows = NULL;
	t->nrows = 0;
	if (before->nrows != after->nrows) {
		errno = EINVAL;
		return -1;
	}
	t->rows = calloc(before->nrows + 1, sizeof *t->rows);
	if (!t->rows) {
		errno = ENOMEM;
		return -1;
	}
	for (size_t i = 0; i < before->nrows; i++) {
		const report_row *b = &before->rows[i], *a = &after->rows[i];
		if (b->gemeente != a->gemeente || b->product != a->product) {
			free(t->rows);
			t->rows = NULL;
			errno = EINVAL;
			return -1;
		}
		compare_row *r = &t->rows[i];
		r->gemeente = b->gemeente;
		r->product = b->product;
		r->info[COMPARE_BEFORE] = b->n[0];
		r->done[COMPARE_BEFORE] = b->n[2];
		r->info[COMPARE_AFTER] = a->n[0];
		r->done[COMPARE_AFTER] = a->n[2];
	}
	t->nrows = before->nrows;
	return 0;
}

/* ---- CSV ---- */

/* One field after a separator (none when first), by the rules of the
 * analyze CSV (report_csv_field, report_csv.c). */
static void put_field(FILE *fp, const compare_table *t, const char *s, int text, int first)
{
	char sep = t->csv_sep ? t->csv_sep : ',';
	if (!first)
		putc(sep, fp);
	report_csv_field(fp, s, text, sep, t->decimal_comma);
}

static void put_count(FILE *fp, const compare_table *t, int64_t v)
{
	char buf[32] = "";
	if (v >= 0)
		snprintf(buf, sizeof buf, "%" PRId64, v);
	put_field(fp, t, buf, 0, 0);
}

static void put_dec4(FILE *fp, const compare_table *t, int has, double v)
{
	char buf[64] = "";
	if (has)
		snprintf(buf, sizeof buf, "%.4f", v);
	put_field(fp, t, buf, 0, 0);
}

static const char *const csv_header[] = {
	"gemeente", "product", "info_before", "done_before", "conversion_before",
	"info_after", "done_after", "conversion_after", "change", "p_value", "significant",
};

static int write_csv(const compare_table *t, FILE *fp)
{
	if (t->bom)
		fputs("\xEF\xBB\xBF", fp);
	for (size_t k = 0; k < sizeof csv_header / sizeof csv_header[0]; k++)
		put_field(fp, t, csv_header[k], 0, k == 0);
	putc('\n', fp);
	for (size_t i = 0; i < t->nrows && !ferror(fp); i++) {
		const compare_row *r = &t->rows[i];
		compare_figures f;
		compare_figures_of(t, r, &f);
		put_field(fp, t, r->gemeente ? r->gemeente : "", 1, 1);
		put_field(fp, t, r->product ? r->product : "", 1, 0);
		for (int s = 0; s < 2; s++) {
			put_count(fp, t, f.info[s]);
			put_count(fp, t, f.done[s]);
			put_dec4(fp, t, f.has_conv[s], f.conv[s]);
		}
		put_dec4(fp, t, f.has_change, f.change);
		put_dec4(fp, t, f.has_p, f.p);
		put_field(fp, t, !f.has_p ? "" : f.significant ? "yes" : "no", 0, 0);
		putc('\n', fp);
	}
	return text_finish(fp);
}

/* ---- TABLE ---- */

enum {
	C_GEMEENTE, C_PRODUCT, C_INFO_B, C_DONE_B, C_CONV_B, C_INFO_A, C_DONE_A,
	C_CONV_A, C_CHANGE, C_P, C_SIGNIFICANT, NC
};

/* The table's words in one language (full and short column titles for a
 * narrow terminal). */
typedef struct {
	const char *col[NC], *col_short[NC];
	const char *title, *visitors, *hits, *open, *sequential;
	const char *before, *after, *significant_when;   /* the title's second line */
	const char *yes, *no;
	char decimal;
	text_footer_words footer;   /* the footer of a narrowed table */
} cmp_words;

static const cmp_words words_en = {
	{ "gemeente", "product", "info before", "done before", "conv before",
	  "info after", "done after", "conv after", "change", "p", "significant" },
	{ "gemeente", "product", "info b", "done b", "before",
	  "info a", "done a", "after", "change", "p", "sig" },
	"Before and after per gemeente and product", "visitors", "hits", "open funnel",
	"sequential funnel", "before", "after", "significant when",
	"yes", "no", '.',
	{ "Short:", "Left out:", "(a wider terminal or --format csv shows all)" },
};

static const cmp_words words_nl = {
	{ "gemeente", "product", "info voor", "afg voor", "conv voor",
	  "info na", "afg na", "conv na", "verschil", "p", "significant" },
	{ "gemeente", "product", "info v", "afg v", "voor",
	  "info n", "afg n", "na", "verschil", "p", "sign" },
	"Voor en na per gemeente en product", "bezoekers", "verzoeken", "open funnel",
	"sequenti\xc3\xable funnel", "voor", "na", "significant als",
	"ja", "nee", ',',
	{ "Kort:", "Weggelaten:", "(een breder venster of --format csv toont alles)" },
};

/* Order in which a narrow terminal leaves columns out: the done counts
 * (the conversion shows them), then p (significant says it), then info. */
static const int c_drop[NC] = {
	[C_DONE_B] = 1, [C_DONE_A] = 1, [C_P] = 2, [C_INFO_B] = 3, [C_INFO_A] = 3,
};

#define CELL_MAX 64

/* A number with the language's decimal sign. */
static char *decimal_sign(char *buf, char decimal)
{
	char *dot = strchr(buf, '.');
	if (dot)
		*dot = decimal;
	return buf;
}

/* The cells of row r into s[] (buf holds those that are formatted). */
static void table_cells(const compare_table *t, const cmp_words *L, const compare_row *r,
                        char buf[NC][CELL_MAX], const char *s[NC], compare_figures *f)
{
	compare_figures_of(t, r, f);
	s[C_GEMEENTE] = r->gemeente ? r->gemeente : "-";
	s[C_PRODUCT] = r->product ? r->product : "-";
	for (int side = 0; side < 2; side++) {
		int c = side ? C_INFO_A : C_INFO_B;
		int64_t v[2] = { f->info[side], f->done[side] };
		for (int k = 0; k < 2; k++) {
			s[c + k] = "-";
			if (v[k] >= 0) {
				snprintf(buf[c + k], CELL_MAX, "%" PRId64, v[k]);
				s[c + k] = buf[c + k];
			}
		}
		s[c + 2] = "-";
		if (f->has_conv[side]) {
			snprintf(buf[c + 2], CELL_MAX, "%.1f%%", 100.0 * f->conv[side]);
			s[c + 2] = decimal_sign(buf[c + 2], L->decimal);
		}
	}
	s[C_CHANGE] = "-";
	if (f->has_change) {
		snprintf(buf[C_CHANGE], CELL_MAX, f->change == 0.0 ? "%.1f pp" : "%+.1f pp",
		         100.0 * f->change);
		s[C_CHANGE] = decimal_sign(buf[C_CHANGE], L->decimal);
	}
	s[C_P] = "-";
	s[C_SIGNIFICANT] = "-";
	if (f->has_p) {
		snprintf(buf[C_P], CELL_MAX, "%.4f", f->p);
		s[C_P] = decimal_sign(buf[C_P], L->decimal);
		s[C_SIGNIFICANT] = f->significant ? L->yes : L->no;
	}
}

/* One line of cells with the widths and visibility of col; text columns
 * left-aligned (cut to their width, control characters as '?'), the last
 * shown column without trailing blanks. colour (or NULL) wraps the
 * significant cell. */
static void table_line(FILE *fp, const char *const *s, const text_col *col, const char *colour)
{
	int k = 0, lastshown = 0;
	for (int c = 0; c < NC; c++)
		if (col[c].shown)
			lastshown = c;
	for (int c = 0; c < NC; c++) {
		if (!col[c].shown)
			continue;
		if (k++)
			fputs("  ", fp);
		if (c <= C_PRODUCT) {
			text_put_cut(fp, s[c], col[c].w, c < lastshown);
		} else if (c == C_SIGNIFICANT) {
			/* last column: left-aligned under its title, no trailing blanks */
			fprintf(fp, "%s%s%s", colour ? colour : "", s[c], colour ? "\033[0m" : "");
		} else {
			size_t len = text_width(s[c]);
			text_put_spaces(fp, col[c].w > len ? col[c].w - len : 0);
			fputs(s[c], fp);
		}
	}
}

/* "A..B" as the options take it; an open end is left out. */
static char *range_label(int64_t from, int64_t to, char *buf, size_t n)
{
	char a[32] = "", b[32] = "";
	if (from != INT64_MIN)
		ktime_format_bound(from, a, sizeof a);
	if (to != INT64_MAX)
		ktime_format_bound(to, b, sizeof b);
	snprintf(buf, n, "%s..%s", a, b);
	return buf;
}

static int write_table(const compare_table *t, FILE *fp)
{
	const cmp_words *L = t->lang && strcmp(t->lang, "en") == 0 ? &words_en : &words_nl;
	size_t cellw[NC] = { 0 };
	text_col col[NC];
	char buf[NC][CELL_MAX], rb[2][80], alpha[32];
	const char *s[NC];
	compare_figures f;
	int none;

	for (size_t i = 0; i < t->nrows; i++) {
		table_cells(t, L, &t->rows[i], buf, s, &f);
		for (int c = 0; c < NC; c++) {
			size_t len = text_width(s[c]);
			if (len > cellw[c])
				cellw[c] = len;
		}
	}
	/* the full titles, unless the short ones fit where they do not, or keep
	 * more columns */
	const char *const *titles = L->col;
	size_t width = (size_t)(t->width > 0 ? t->width : 0);
	int best = 0;
	for (int pass = 0; pass < 3; pass++) {
		const char *const *tt = pass == 1 || (pass == 2 && best == 1) ? L->col_short : L->col;
		for (int c = 0; c < NC; c++) {
			size_t tw = text_width(tt[c]);
			col[c] = (text_col){ cellw[c] > tw ? cellw[c] : tw,
			                       c <= C_PRODUCT ? 10 : 0, c_drop[c], 0, 0 };
		}
		size_t total = text_fit(col, NC, 2, 0, &none, width);
		int score = total <= width ? 1000 : 0;   /* fitting first, then columns */
		for (int c = 0; c < NC; c++)
			score += col[c].shown;
		if (pass == 2 || (pass == 0 && score == NC)) {
			titles = tt;
			break;
		}
		if (pass == 0)
			best = score;
		else
			best = score > best ? 1 : 0;
	}
	char line[256];
	snprintf(line, sizeof line, "%s (%s, %s)", L->title,
		 t->count_hits ? L->hits : L->visitors, t->sequential ? L->sequential : L->open);
	fputs(t->color ? "\033[1m" : "", fp);
	text_put_wrapped(fp, line, width, t->color ? "\033[0m" : NULL);
	snprintf(alpha, sizeof alpha, "%g", t->alpha);
	snprintf(line, sizeof line, "%s %s, %s %s; %s p < %s", L->before,
		 range_label(t->from[0], t->to[0], rb[0], sizeof rb[0]), L->after,
		 range_label(t->from[1], t->to[1], rb[1], sizeof rb[1]), L->significant_when,
		 decimal_sign(alpha, L->decimal));
	text_put_wrapped(fp, line, width, NULL);
	putc('\n', fp);
	table_line(fp, titles, col, NULL);
	putc('\n', fp);
	text_put_rule(fp, col, NC);
	for (size_t i = 0; i < t->nrows && !ferror(fp); i++) {
		table_cells(t, L, &t->rows[i], buf, s, &f);
		const char *colour = NULL;
		if (t->color && f.has_p && f.significant && f.has_change && f.change != 0.0)
			colour = f.change > 0 ? "\033[32m" : "\033[31m";
		table_line(fp, s, col, colour);
		putc('\n', fp);
	}
	text_fit_footer(fp, &L->footer, titles, L->col, col, NC, width);
	return text_finish(fp);
}

int compare_write(const compare_table *t, enum report_format fmt, FILE *fp)
{
	switch (fmt) {
	case REPORT_CSV:
		return write_csv(t, fp);
	case REPORT_TABLE:
		return write_table(t, fp);
	default:
		errno = EINVAL;
		return -1;
	}
}
