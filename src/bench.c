/*
 * bench.c - benchmark each row against the other gemeenten (klantreis(1),
 * MEASUREMENT, "Rates and benchmark").
 *
 * Rows of one group (period_start, product name[, peer]) need not be
 * adjacent, so an index array is merge-sorted by group key (stable, O(n log n))
 * and each run of equal keys is one group. Within a group the eligible
 * conversions are sorted ascending; the median comes from the middle, and a
 * row's rank is 1 + the number of sorted values strictly above its own
 * (binary search), so ties share a rank. Conversions are done/info as
 * doubles: IEEE division is correctly rounded, so equal fractions give equal
 * doubles. The arithmetic is exactly that of the man page, so other
 * implementations get the same bits:
 *   conversion = (double)done / (double)info
 *   median     = v[k/2] (odd k) or (v[k/2-1] + v[k/2]) / 2.0 (even k)
 *   gain       = max(0, floor(median * (double)info + 0.5) - done)
 * Rows are only written through their benchmark fields; the order of rows
 * is never changed.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "fault.h"

static int cmp_str(const char *a, const char *b)
{
	if (a == b)
		return 0;
	if (!a)
		return -1;
	if (!b)
		return 1;
	return strcmp(a, b);
}

/* Group order of rows a and b: period, product, then peer when by_peer. */
static int cmp_group(const report_row *a, const report_row *b, int by_peer)
{
	if (a->period_start != b->period_start)
		return a->period_start < b->period_start ? -1 : 1;
	int c = cmp_str(a->product, b->product);
	if (c == 0 && by_peer)
		c = cmp_str(a->peer, b->peer);
	return c;
}

/* Stable bottom-up merge sort of idx[0..n) by group key, tmp as scratch. */
static void sort_index(const report_row *rows, size_t *idx, size_t *tmp, size_t n, int by_peer)
{
	size_t *src = idx, *dst = tmp;
	for (size_t w = 1; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = lo + w < n ? lo + w : n;
			size_t hi = mid + w < n ? mid + w : n;
			size_t i = lo, j = mid, k = lo;
			while (i < mid && j < hi) {
				if (cmp_group(&rows[src[j]], &rows[src[i]], by_peer) < 0)
					dst[k++] = src[j++];
				else
					dst[k++] = src[i++];
			}
			while (i < mid)
				dst[k++] = src[i++];
			while (j < hi)
				dst[k++] = src[j++];
		}
		size_t *t = src;
		src = dst;
		dst = t;
	}
	if (src != idx)
		memcpy(idx, src, n * sizeof *idx);
}

static int cmp_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;
	return (a > b) - (a < b);
}

/* Number of values in ascending v[0..k) that are strictly greater than x. */
static size_t count_above(const double *v, size_t k, double x)
{
	size_t lo = 0, hi = k;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return k - lo;
}

static int row_eligible(const report_row *r, int64_t min_visitors)
{
	return r->n[0] > 0 && r->n[0] >= min_visitors;
}

static double row_conversion(const report_row *r)
{
	return (double)r->n[2] / (double)r->n[0];
}

/* Fills the benchmark fields of the group rows[idx[0..m)]; v is scratch. */
static void bench_group(report_row *rows, const size_t *idx, size_t m, int64_t min_visitors,
			double *v)
{
	size_t k = 0;
	for (size_t i = 0; i < m; i++) {
		const report_row *r = &rows[idx[i]];
		if (row_eligible(r, min_visitors))
			v[k++] = row_conversion(r);
	}
	qsort(v, k, sizeof *v, cmp_double);

	double median = 0.0;
	if (k > 0)
		median = k % 2 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2.0;

	for (size_t i = 0; i < m; i++) {
		report_row *r = &rows[idx[i]];
		r->has_median = k > 0;
		r->median = median;
		r->ranked = (int)k;
		r->eligible = row_eligible(r, min_visitors);
		r->rank = 0;
		r->gain = 0;
		if (!r->eligible)
			continue;
		r->rank = 1 + (int)count_above(v, k, row_conversion(r));
		double want = floor(median * (double)r->n[0] + 0.5);
		int64_t gain = (int64_t)want - r->n[2];
		r->gain = gain > 0 ? gain : 0;
	}
}

int bench_compute(report_row *rows, size_t n, int64_t min_visitors, int by_peer)
{
	if (n == 0)
		return 0;
	int ret = -1;
	size_t *idx = malloc(n * sizeof *idx);
	size_t *tmp = malloc(n * sizeof *tmp);
	double *v = malloc(n * sizeof *v);
	if (!idx || !tmp || !v)
		goto out;

	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	sort_index(rows, idx, tmp, n, by_peer);

	for (size_t lo = 0; lo < n;) {
		size_t hi = lo + 1;
		while (hi < n && cmp_group(&rows[idx[lo]], &rows[idx[hi]], by_peer) == 0)
			hi++;
		bench_group(rows, idx + lo, hi - lo, min_visitors, v);
		lo = hi;
	}
	ret = 0;
out:
	free(idx);
	free(tmp);
	free(v);
	return ret;
}
