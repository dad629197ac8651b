/*
 * bench.h - benchmark against the other gemeenten (klantreis(1),
 * MEASUREMENT, "Rates and benchmark").
 *
 * Groups rows by (period, product name) and, within each group, computes
 * over the eligible rows (info >= min_visitors and info > 0) the median
 * conversion, the rank by conversion (ties share a rank) and the potential
 * gain. Conversion is done/info as a double; equal fractions compare equal.
 */
#ifndef KR_BENCH_H
#define KR_BENCH_H

#include <stddef.h>
#include <stdint.h>
#include "report.h"

/* Fills the benchmark fields of rows[0..n). When by_peer is set, groups are
 * further split by the rows' peer value (rows with peer NULL form one
 * group). Returns 0, or -1 when out of memory. */
int bench_compute(report_row *rows, size_t n, int64_t min_visitors, int by_peer);

#endif
