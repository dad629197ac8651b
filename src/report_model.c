/*
 * report_model.c - the report's cells, decided once (see report_model.h).
 *
 * Rates are the double quotient num/den, empty when the denominator is 0.
 * Benchmark cells: median_conversion and ranked when the group has a
 * median, rank and potential_gain for eligible rows only.
 *
 * --min-cell N (t->min_cell > 1) publishes rows (publish()): counts 1..N-1
 * are suppressed, and every figure computed from a suppressed count too:
 * the rates using it; rank, potential_gain and the Wilson bounds when info
 * or done is suppressed; and median_conversion and potential_gain on every
 * row of a benchmark group (hidden_groups()) where an eligible row's
 * conversion is suppressed, since the median could give it away. ranked
 * and 0 are always shown. A cell is SUPPRESSED when the row without
 * --min-cell would have had a value there, EMPTY when it would not.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "report_model.h"
#include "stats.h"
#include "text.h"
#include "fault.h"

static const char *const col_names[REPORT_NCOLS] = {
	"period", "gemeente", "product", "info", "form", "done",
	"form_rate", "done_rate", "conversion", "median_conversion", "rank", "ranked",
	"potential_gain", "form_errors", "done_errors", "conversion_low",
	"conversion_high",
};

const char *report_col_name(enum report_col c)
{
	return c < REPORT_NCOLS ? col_names[c] : "";
}

int report_col_is_text(enum report_col c)
{
	return c <= REPORT_COL_PRODUCT;
}

/* ---- --min-cell: the rows as published ---- */

/* A count as published: -1 (suppressed) when --min-cell N hides it,
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

/* ---- cells ---- */

static report_cell text_cell(const char *s)
{
	report_cell c = { REPORT_CELL_TEXT, s, 0, 0.0 };
	if (!s)
		c.kind = REPORT_CELL_EMPTY;
	return c;
}

/* A count as published (-1: suppressed). */
static report_cell count_cell(int64_t v)
{
	report_cell c = { REPORT_CELL_COUNT, NULL, v, 0.0 };
	if (v < 0)
		c.kind = REPORT_CELL_SUPPRESSED;
	return c;
}

/* The rate of two published counts: suppressed when either is, empty
 * when den is 0. */
static report_cell rate_cell(int64_t num, int64_t den)
{
	report_cell c = { REPORT_CELL_RATE, NULL, num, 0.0 };
	if (num < 0 || den < 0)
		c.kind = REPORT_CELL_SUPPRESSED;
	else if (den == 0)
		c.kind = REPORT_CELL_EMPTY;
	else
		c.rate = (double)num / (double)den;
	return c;
}

/* A value that exists (has), was there before publishing (had), or
 * neither. */
static report_cell value_cell(int has, int had, enum report_kind kind, int64_t n, double v)
{
	report_cell c = { kind, NULL, n, v };
	if (!has)
		c.kind = had ? REPORT_CELL_SUPPRESSED : REPORT_CELL_EMPTY;
	return c;
}

/* The cells of row i: r as it is, p as published. */
static void fill_row(report_cell *c, const report_row *r, const report_row *p)
{
	double lo = 0, hi = 0;

	c[REPORT_COL_PERIOD] = text_cell(p->period);
	c[REPORT_COL_GEMEENTE] = text_cell(p->gemeente);
	c[REPORT_COL_PRODUCT] = text_cell(p->product);
	for (int k = 0; k < 3; k++)
		c[REPORT_COL_INFO + k] = count_cell(p->n[k]);
	c[REPORT_COL_FORM_RATE] = rate_cell(p->n[1], p->n[0]);
	c[REPORT_COL_DONE_RATE] = rate_cell(p->n[2], p->n[1]);
	c[REPORT_COL_CONVERSION] = rate_cell(p->n[2], p->n[0]);
	c[REPORT_COL_MEDIAN] = value_cell(p->has_median, r->has_median, REPORT_CELL_RATE, 0,
	                                  p->median);
	c[REPORT_COL_RANK] = value_cell(p->eligible, r->eligible, REPORT_CELL_COUNT, p->rank, 0);
	c[REPORT_COL_RANKED] = value_cell(p->ranked > 0, 0, REPORT_CELL_COUNT, p->ranked, 0);
	c[REPORT_COL_GAIN] = value_cell(p->eligible && p->gain >= 0, r->eligible && r->gain >= 0,
	                                REPORT_CELL_COUNT, p->gain, 0);
	c[REPORT_COL_FORM_ERRORS] = count_cell(p->errors[1]);
	c[REPORT_COL_DONE_ERRORS] = count_cell(p->errors[2]);
	int hidden = p->n[0] < 0 || p->n[2] < 0;
	int wilson = !hidden && stats_wilson(p->n[2], p->n[0], &lo, &hi);
	c[REPORT_COL_CONV_LOW] = value_cell(wilson, hidden, REPORT_CELL_RATE, 0, lo);
	c[REPORT_COL_CONV_HIGH] = value_cell(wilson, hidden, REPORT_CELL_RATE, 0, hi);
}

report_model *report_model_new(const report_table *t)
{
	unsigned char *hidden = NULL;
	report_model *m = calloc(1, sizeof *m);
	if (!m || hidden_groups(t, &hidden) < 0)
		goto fail;
	m->t = t;
	m->nrows = t->nrows;
	m->cells = calloc(t->nrows * REPORT_NCOLS + 1, sizeof *m->cells);
	m->pub = calloc(t->nrows + 1, sizeof *m->pub);
	if (!m->cells || !m->pub)
		goto fail;
	for (int c = 0; c < REPORT_NCOLS; c++) {
		if (c == REPORT_COL_PERIOD && t->by == KTIME_BY_NONE)
			continue;
		if (c >= REPORT_COL_FORM_ERRORS && !t->details)
			continue;
		m->cols[m->ncols++] = (enum report_col)c;
	}
	for (size_t i = 0; i < t->nrows; i++) {
		m->pub[i] = publish(t, &t->rows[i], hidden && hidden[i]);
		fill_row(m->cells + i * REPORT_NCOLS, &t->rows[i], &m->pub[i]);
	}
	free(hidden);
	return m;
fail:
	free(hidden);
	report_model_free(m);
	errno = ENOMEM;
	return NULL;
}

void report_model_free(report_model *m)
{
	if (!m)
		return;
	free(m->cells);
	free(m->pub);
	free(m);
}

int report_model_has(const report_model *m, enum report_col c)
{
	for (int k = 0; k < m->ncols; k++)
		if (m->cols[k] == c)
			return 1;
	return 0;
}

const report_cell *report_model_cell(const report_model *m, size_t row, enum report_col c)
{
	return &m->cells[row * REPORT_NCOLS + c];
}

const report_row *report_model_row(const report_model *m, size_t i)
{
	return &m->pub[i];
}

const char *report_model_format(const report_cell *c, char *buf, size_t n)
{
	switch (c->kind) {
	case REPORT_CELL_TEXT:
		return c->text;
	case REPORT_CELL_COUNT:
		return text_int(c->n, buf, n);
	case REPORT_CELL_RATE:
		return text_fixed(c->rate, 4, buf, n);
	default:
		return "";
	}
}
