/*
 * report.c - prints a report_table as the plain CSV (measurement.md,
 * section 8) or as an aligned table for a terminal, and dispatches the
 * other formats: the spreadsheet CSV (report_cells.c), JSON and HTML, all
 * derived from the plain CSV.
 *
 * CSV: fields are written with fputs and only those holding , " CR or LF go
 * through libcsv's csv_fwrite, which quotes them (RFC 4180); line ends are
 * "\n"; rates are printf("%.4f") of the double quotient, empty when the
 * denominator is 0. Benchmark fields: median_conversion and ranked when the
 * group has a median, rank and potential_gain for eligible rows only.
 *
 * TABLE: a title line saying what the figures count, then one line per row
 * with columns padded to the widest cell; widths count UTF-8 code points,
 * not bytes, so names like "Súdwest-Fryslân" stay aligned. Empty cells
 * show "-". Each row ends with a bar of its conversion; ANSI colour (bold
 * title, bar green at or above the median, yellow below) only when
 * t->color is set. Words and the decimal sign follow t->lang (Dutch unless
 * "en"). With t->width the lines fit that many columns (report_fit): the
 * bar goes first, then names are cut with an ellipsis, columns left out
 * (rates, --details, median, gain), short titles used when they keep more;
 * a footer then says what the short titles mean and what was left out.
 *
 * --details (t->details) appends form_errors, done_errors (5xx requests
 * matching the step) and conversion_low, conversion_high (Wilson 95%,
 * stats.h) to both. --min-cell N (t->min_cell > 1) prints rows as
 * published (publish()): counts 1..N-1 empty, and every figure computed
 * from an empty count empty too: the rates using it; rank, potential_gain
 * and the Wilson bounds when info or done is empty; and median_conversion
 * and potential_gain on every row of a benchmark group (hidden_groups())
 * where an eligible row's conversion is empty, since the median could
 * give it away. ranked and 0 are always shown.
 *
 * Neither format prints anything but to the given stream; a write error is
 * reported through the return value only (checked with ferror and fflush).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <csv.h>

#include "compat.h"
#include "report.h"
#include "stats.h"
#include "fault.h"

char *report_rate(int64_t num, int64_t den, char *buf, size_t n)
{
	if (n == 0)
		return buf;
	if (den == 0)
		buf[0] = '\0';
	else
		snprintf(buf, n, "%.4f", (double)num / (double)den);
	return buf;
}

/* Result of a run of writes: -1 with errno set when fp has failed. */
int report_finish(FILE *fp)
{
	int saved = errno;
	if (fflush(fp) != 0)
		return -1;
	if (ferror(fp)) {
		errno = saved ? saved : EIO;
		return -1;
	}
	return 0;
}

/* ---- --min-cell: the rows as published ---- */

/* A count as published: -1 (an empty cell) when --min-cell N hides it,
 * i.e. 1 <= v < N. */
static int64_t shown(const report_table *t, int64_t v)
{
	return t->min_cell > 1 && v >= 1 && v < t->min_cell ? -1 : v;
}

/* Benchmark group order (as bench.c): period, product, peer with --peer. */
static int cmp_name(const char *a, const char *b)
{
	if (a == b)
		return 0;
	if (!a || !b)
		return a ? 1 : -1;
	return strcmp(a, b);
}

static int cmp_group_idx(const void *pa, const void *pb, const void *arg)
{
	const report_table *t = arg;
	const report_row *a = &t->rows[*(const size_t *)pa];
	const report_row *b = &t->rows[*(const size_t *)pb];
	if (a->period_start != b->period_start)
		return a->period_start < b->period_start ? -1 : 1;
	int c = cmp_name(a->product, b->product);
	if (c == 0 && t->peer)
		c = cmp_name(a->peer, b->peer);
	return c;
}

/* With --min-cell, sets *hidden to a malloc'ed flag per row: 1 when the
 * row's benchmark group has an eligible row whose conversion is hidden,
 * so the group's median (and with it every potential gain) could reveal
 * it. *hidden is NULL without --min-cell. Returns 0, or -1 when out of
 * memory (errno set). */
static int hidden_groups(const report_table *t, unsigned char **hidden)
{
	*hidden = NULL;
	if (t->min_cell <= 1 || t->nrows == 0)
		return 0;
	size_t *idx = malloc(t->nrows * sizeof *idx);
	unsigned char *h = calloc(t->nrows, 1);
	if (!idx || !h) {
		free(idx);
		free(h);
		errno = ENOMEM;
		return -1;
	}
	for (size_t i = 0; i < t->nrows; i++)
		idx[i] = i;
	kr_qsort_r(idx, t->nrows, sizeof *idx, cmp_group_idx, t);
	for (size_t lo = 0, hi; lo < t->nrows; lo = hi) {
		int any = 0;
		for (hi = lo; hi < t->nrows && cmp_group_idx(&idx[lo], &idx[hi], t) == 0; hi++) {
			const report_row *r = &t->rows[idx[hi]];
			if (r->eligible && (shown(t, r->n[0]) < 0 || shown(t, r->n[2]) < 0))
				any = 1;
		}
		for (size_t k = lo; any && k < hi; k++)
			h[idx[k]] = 1;
	}
	free(idx);
	*hidden = h;
	return 0;
}

/* Row r as published: counts and error counts hidden by --min-cell are
 * -1; when info or done is hidden so is the conversion, and with it rank
 * and gain (eligible 0); in a hidden group (hidden_groups) the median and
 * every gain (gain -1). Without --min-cell the row as it is. */
static report_row publish(const report_table *t, const report_row *r, int hidden_group)
{
	report_row p = *r;
	for (int k = 0; k < 3; k++) {
		p.n[k] = shown(t, r->n[k]);
		p.errors[k] = shown(t, r->errors[k]);
	}
	if (p.n[0] < 0 || p.n[2] < 0)
		p.eligible = 0;
	if (hidden_group) {
		p.has_median = 0;
		p.gain = -1;
	}
	return p;
}

/* report_rate of a published row: empty when a count is hidden. */
static char *pub_rate(int64_t num, int64_t den, char *buf, size_t n)
{
	if (num < 0 || den < 0) {
		buf[0] = '\0';
		return buf;
	}
	return report_rate(num, den, buf, n);
}

/* ---- CSV ---- */

static void csv_field(FILE *fp, const char *s, int first)
{
	if (!first)
		putc(',', fp);
	if (!s)
		return;
	if (strpbrk(s, ",\"\r\n"))
		csv_fwrite(fp, s, strlen(s));
	else
		fputs(s, fp);
}

/* A count cell; empty when hidden (-1). */
static void csv_int(FILE *fp, int64_t v)
{
	if (v < 0)
		putc(',', fp);
	else
		fprintf(fp, ",%" PRId64, v);
}

static int write_csv(const report_table *t, FILE *fp)
{
	int period = t->by != KTIME_BY_NONE;
	char buf[64];
	unsigned char *hidden;

	if (hidden_groups(t, &hidden) < 0)
		return -1;
	if (period)
		fputs("period,", fp);
	fputs("gemeente,product,info,form,done,form_rate,done_rate,conversion,"
	      "median_conversion,rank,ranked,potential_gain", fp);
	fputs(t->details ? ",form_errors,done_errors,conversion_low,conversion_high\n" : "\n", fp);
	for (size_t i = 0; i < t->nrows; i++) {
		report_row pr = publish(t, &t->rows[i], hidden && hidden[i]);
		const report_row *r = &pr;
		if (period)
			csv_field(fp, r->period, 1);
		csv_field(fp, r->gemeente, !period);
		csv_field(fp, r->product, 0);
		csv_int(fp, r->n[0]);
		csv_int(fp, r->n[1]);
		csv_int(fp, r->n[2]);
		csv_field(fp, pub_rate(r->n[1], r->n[0], buf, sizeof buf), 0);
		csv_field(fp, pub_rate(r->n[2], r->n[1], buf, sizeof buf), 0);
		csv_field(fp, pub_rate(r->n[2], r->n[0], buf, sizeof buf), 0);
		if (r->has_median)
			fprintf(fp, ",%.4f", r->median);
		else
			putc(',', fp);
		if (r->eligible)
			fprintf(fp, ",%d", r->rank);
		else
			putc(',', fp);
		if (r->ranked > 0)
			fprintf(fp, ",%d", r->ranked);
		else
			putc(',', fp);
		if (r->eligible && r->gain >= 0)
			fprintf(fp, ",%" PRId64, r->gain);
		else
			putc(',', fp);
		if (t->details) {
			double lo, hi;
			csv_int(fp, r->errors[1]);
			csv_int(fp, r->errors[2]);
			if (r->n[0] >= 0 && r->n[2] >= 0 && stats_wilson(r->n[2], r->n[0], &lo, &hi))
				fprintf(fp, ",%.4f,%.4f", lo, hi);
			else
				fputs(",,", fp);
		}
		putc('\n', fp);
		if (ferror(fp))
			break;
	}
	free(hidden);
	return report_finish(fp);
}

/* ---- TABLE ---- */

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
	const char *short_label, *left_out, *see_all;   /* the footer of a narrowed table */
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
	"Short:", "Left out:", "(a wider terminal or --format csv shows all)",
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
	"Kort:", "Weggelaten:", "(een breder venster of --format csv toont alles)",
};

static const table_words *table_lang(const char *lang)
{
	return lang && strcmp(lang, "en") == 0 ? &words_en : &words_nl;
}

/* Columns up to COL_PRODUCT are text (left-aligned), the others numbers. */
#define COL_IS_TEXT(c) ((c) <= COL_PRODUCT)

#define CELL_MAX 64

size_t report_text_width(const char *s)
{
	size_t w = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		w += (*p & 0xC0) != 0x80;
	return w;
}

/* "12.5%", with the language's decimal sign. */
static const char *percent(double frac, char decimal, char *buf)
{
	snprintf(buf, CELL_MAX, "%.1f%%", 100.0 * frac);
	char *dot = strchr(buf, '.');
	if (dot)
		*dot = decimal;
	return buf;
}

static const char *pct(int64_t num, int64_t den, char decimal, char *buf)
{
	if (den == 0 || num < 0 || den < 0)   /* no denominator, or hidden */
		return "-";
	return percent((double)num / (double)den, decimal, buf);
}

/* The text of cell c of the published row r (publish()); buf (CELL_MAX
 * bytes) may hold it. The result lives until buf is reused or the row's
 * strings go away. */
static const char *cell(const report_row *r, int c, char decimal, char *buf)
{
	double lo, hi;

	switch (c) {
	case COL_PERIOD:
		return r->period;
	case COL_GEMEENTE:
		return r->gemeente ? r->gemeente : "-";
	case COL_PRODUCT:
		return r->product ? r->product : "-";
	case COL_INFO:
	case COL_FORM:
	case COL_DONE:
		if (r->n[c - COL_INFO] < 0)
			return "-";
		snprintf(buf, CELL_MAX, "%" PRId64, r->n[c - COL_INFO]);
		return buf;
	case COL_FORM_RATE:
		return pct(r->n[1], r->n[0], decimal, buf);
	case COL_DONE_RATE:
		return pct(r->n[2], r->n[1], decimal, buf);
	case COL_CONV:
		return pct(r->n[2], r->n[0], decimal, buf);
	case COL_MEDIAN:
		if (!r->has_median)
			return "-";
		return percent(r->median, decimal, buf);
	case COL_RANK:
		if (!r->eligible)
			return "-";
		snprintf(buf, CELL_MAX, "%d/%d", r->rank, r->ranked);
		return buf;
	case COL_GAIN:
		if (!r->eligible || r->gain < 0)
			return "-";
		snprintf(buf, CELL_MAX, "%" PRId64, r->gain);
		return buf;
	case COL_FORM_ERR:
	case COL_DONE_ERR:
		if (r->errors[c - COL_FORM_ERR + 1] < 0)
			return "-";
		snprintf(buf, CELL_MAX, "%" PRId64, r->errors[c - COL_FORM_ERR + 1]);
		return buf;
	case COL_CONV_LOW:
	case COL_CONV_HIGH:
		if (r->n[0] < 0 || r->n[2] < 0 || !stats_wilson(r->n[2], r->n[0], &lo, &hi))
			return "-";
		return percent(c == COL_CONV_LOW ? lo : hi, decimal, buf);
	}
	return "";
}

static void put_spaces(FILE *fp, size_t n)
{
	while (n--)
		putc(' ', fp);
}

/* A control character (a gemeente named after a logged Host header may
 * hold ESC) is written as '?', which keeps the width report_text_width
 * counted and the terminal out of the log's hands. */
size_t report_put_cut(FILE *fp, const char *s, size_t w, int pad)
{
	size_t len = report_text_width(s), done = 0;
	int cut = len > w;
	size_t keep = cut ? (w ? w - 1 : 0) : len;
	const unsigned char *p = (const unsigned char *)s;
	for (; *p; p++) {
		if ((*p & 0xC0) != 0x80) {
			if (done == keep)
				break;
			done++;
		}
		putc(*p < 0x20 || *p == 0x7f ? '?' : *p, fp);
	}
	if (cut && w) {
		fputs("\xe2\x80\xa6", fp);
		done++;
	}
	if (pad)
		put_spaces(fp, w - done);
	return pad ? w : done;
}

static size_t text_cols(const report_col *c, int n, size_t sep)
{
	size_t total = 0;
	int k = 0;
	for (int i = 0; i < n; i++)
		if (c[i].shown) {
			total += c[i].w + (k++ ? sep : 0);
		}
	return total;
}

/* Cuts the widest cuttable text column by one, not below floor (or its
 * min when larger). Returns 0 when none can be cut. */
static int cut_one(report_col *c, int n, size_t floor)
{
	int best = -1;
	for (int i = 0; i < n; i++) {
		size_t lim = c[i].min > floor ? c[i].min : floor;
		if (c[i].shown && c[i].min && c[i].w > lim && (best < 0 || c[i].w > c[best].w))
			best = i;
	}
	if (best < 0)
		return 0;
	c[best].w--;
	return 1;
}

size_t report_fit(report_col *c, int n, size_t sep, size_t extra, int *keep_extra,
                  size_t width)
{
	for (int i = 0; i < n; i++) {
		c[i].shown = 1;
		c[i].w = c[i].width;
	}
	*keep_extra = extra > 0;
	size_t total = text_cols(c, n, sep) + extra;
	if (width == 0 || total <= width)
		return total;
	*keep_extra = 0;
	/* cut text to a comfortable width */
	while (text_cols(c, n, sep) > width && cut_one(c, n, 16))
		;
	/* leave columns out, the least needed first */
	for (int order = 1; text_cols(c, n, sep) > width; order++) {
		int any = 0, more = 0;
		for (int i = 0; i < n; i++) {
			if (c[i].drop == order && c[i].shown) {
				c[i].shown = 0;
				any = 1;
			}
			more |= c[i].drop > order;
		}
		if (!any && !more)
			break;
	}
	/* and cut text further, down to its min */
	while (text_cols(c, n, sep) > width && cut_one(c, n, 0))
		;
	/* give back what a left-out column freed to the cut text */
	for (;;) {
		int best = -1;
		for (int i = 0; i < n; i++)
			if (c[i].shown && c[i].w < c[i].width && (best < 0 || c[i].w < c[best].w))
				best = i;
		if (best < 0 || text_cols(c, n, sep) + 1 > width)
			break;
		c[best].w++;
	}
	return text_cols(c, n, sep);
}

int report_term_width(FILE *fp)
{
	struct winsize ws;
	if (fp && isatty(fileno(fp)) && ioctl(fileno(fp), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	const char *env = getenv("COLUMNS");
	if (env && *env) {
		char *end;
		long v = strtol(env, &end, 10);
		if (!*end && v >= 20 && v <= 1000)
			return (int)v;
	}
	return 80;
}

/* Writes one line of cells s[first..last) with the widths and visibility
 * of col. */
static void table_line(FILE *fp, const char *const *s, const report_col *col, int first,
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
			report_put_cut(fp, s[c], col[c].w, c < lastshown);
		} else {
			size_t len = report_text_width(s[c]);
			put_spaces(fp, col[c].w > len ? col[c].w - len : 0);
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
static void table_bar(FILE *fp, const report_table *t, const report_row *r,
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
	if (t->color && r->has_median)
		fputs(conv >= r->median ? "\033[32m" : "\033[33m", fp);
	for (long k = 0; k < eighths / 8; k++)
		fputs("\xe2\x96\x88", fp);
	if (eighths % 8) {
		putc('\xe2', fp);
		putc('\x96', fp);
		putc(0x90 - (int)(eighths % 8), fp);
	}
	if (conv > 1.0)
		putc('+', fp);
	if (t->color && r->has_median)
		fputs("\033[0m", fp);
}

void report_put_wrapped(FILE *fp, const char *text, size_t width, const char *tail)
{
	size_t col = 0;
	while (*text) {
		size_t n = strcspn(text, " ");
		if (n > 0) {
			size_t len = 0;
			for (size_t k = 0; k < n; k++)
				len += ((unsigned char)text[k] & 0xC0) != 0x80;
			if (col > 0 && width > 0 && col + 1 + len > width) {
				putc('\n', fp);
				col = 0;
			} else if (col > 0) {
				putc(' ', fp);
				col++;
			}
			fwrite(text, 1, n, fp);
			col += len;
		}
		text += n;
		text += strspn(text, " ");
	}
	if (tail)
		fputs(tail, fp);
	putc('\n', fp);
}

/* Appends printf output to the string buf of size n (cut when full). */
static void append(char *buf, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void append(char *buf, size_t n, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;
	va_start(ap, fmt);
	if (len < n)
		vsnprintf(buf + len, n - len, fmt, ap);
	va_end(ap);
}

/* Below a narrowed table: what its short titles stand for and which
 * columns were left out, so nothing disappears unexplained:
 * "Short: a = b, c = d. Left out: e, f (...)" wrapped at width. */
static void table_footer(FILE *fp, const table_words *L, const char *const *titles,
                         const report_col *col, int first, int last, size_t width)
{
	char text[1024] = "";
	for (int part = 0; part < 2; part++) {
		int n = 0;
		for (int c = first; c < last; c++) {
			if (!(part == 0 ? col[c].shown && strcmp(titles[c], L->col[c]) != 0 : !col[c].shown))
				continue;
			if (n++ == 0)
				append(text, sizeof text, "%s%s", text[0] ? " " : "",
				       part == 0 ? L->short_label : L->left_out);
			if (part == 0)
				append(text, sizeof text, "%s %s = %s", n > 1 ? "," : "", titles[c], L->col[c]);
			else
				append(text, sizeof text, "%s %s", n > 1 ? "," : "", L->col[c]);
		}
		if (n)
			append(text, sizeof text, "%s", part == 0 ? "." : " ");
		if (n && part == 1)
			append(text, sizeof text, "%s", L->see_all);
	}
	if (text[0]) {
		putc('\n', fp);
		report_put_wrapped(fp, text, width, NULL);
	}
}

/* Order in which a narrow terminal leaves columns out: the rates that the
 * counts give anyway, the --details columns, then median and gain. */
static const int col_drop[NCOLS] = {
	[COL_FORM_RATE] = 1, [COL_DONE_RATE] = 1, [COL_CONV_LOW] = 2, [COL_CONV_HIGH] = 2,
	[COL_FORM_ERR] = 3, [COL_DONE_ERR] = 3, [COL_MEDIAN] = 4, [COL_GAIN] = 5,
	[COL_FORM] = 6,
};

static int write_table(const report_table *t, FILE *fp)
{
	const table_words *L = table_lang(t->lang);
	int first = t->by != KTIME_BY_NONE ? COL_PERIOD : COL_GEMEENTE;
	int last = t->details ? NCOLS : COL_GAIN + 1;
	size_t cellw[NCOLS] = { 0 };
	report_col col[NCOLS];
	char bufs[NCOLS][CELL_MAX];
	const char *s[NCOLS];
	unsigned char *hidden;
	int bar;

	if (hidden_groups(t, &hidden) < 0)
		return -1;
	for (size_t i = 0; i < t->nrows; i++) {
		report_row pr = publish(t, &t->rows[i], hidden && hidden[i]);
		for (int c = first; c < last; c++) {
			size_t len = report_text_width(cell(&pr, c, L->decimal, bufs[c]));
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
			size_t tw = report_text_width(tt[c]);
			col[c] = (report_col){ cellw[c] > tw ? cellw[c] : tw,
			                       c == COL_GEMEENTE || c == COL_PRODUCT ? 10 : 0,
			                       col_drop[c], 0, 0 };
		}
		size_t total = report_fit(col + first, last - first, 2, BAR_COLS, &bar,
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
	report_put_wrapped(fp, title, (size_t)(t->width > 0 ? t->width : 0),
	                   t->color ? "\033[0m" : NULL);
	putc('\n', fp);
	table_line(fp, titles, col, first, last);
	putc('\n', fp);
	int k = 0;
	for (int c = first; c < last; c++) {
		if (!col[c].shown)
			continue;
		if (k++)
			fputs("  ", fp);
		for (size_t n = 0; n < col[c].w; n++)
			putc('-', fp);
	}
	putc('\n', fp);
	for (size_t i = 0; i < t->nrows; i++) {
		report_row pr = publish(t, &t->rows[i], hidden && hidden[i]);
		for (int c = first; c < last; c++)
			s[c] = cell(&pr, c, L->decimal, bufs[c]);
		table_line(fp, s, col, first, last);
		if (bar)
			table_bar(fp, t, &pr, s[COL_CONV]);
		putc('\n', fp);
		if (ferror(fp))
			break;
	}
	table_footer(fp, L, titles, col, first, last, (size_t)(t->width > 0 ? t->width : 0));
	free(hidden);
	return report_finish(fp);
}

int report_write_csv_plain(const report_table *t, FILE *fp)
{
	return write_csv(t, fp);
}

int report_write(const report_table *t, enum report_format fmt, FILE *fp)
{
	switch (fmt) {
	case REPORT_CSV:
		return report_write_csv(t, fp);   /* report_cells.c */
	case REPORT_JSON:
		return report_write_json(t, fp);
	case REPORT_HTML:
		return report_write_html(t, fp);
	case REPORT_SITE:
		errno = EINVAL;   /* a directory: site_publish (site.h) */
		return -1;
	default:
		return write_table(t, fp);
	}
}

report_row *report_published(const report_table *t)
{
	unsigned char *hidden;
	report_row *p = malloc((t->nrows + 1) * sizeof *p);
	if (!p || hidden_groups(t, &hidden) < 0) {
		free(p);
		errno = ENOMEM;
		return NULL;
	}
	for (size_t i = 0; i < t->nrows; i++)
		p[i] = publish(t, &t->rows[i], hidden && hidden[i]);
	free(hidden);
	return p;
}
