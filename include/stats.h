/*
 * stats.h - the statistics behind compare and --details: the two-sided
 * two-proportion z-test of klantreis(1), MEASUREMENT, "Before and after",
 * and the Wilson score interval of a conversion ("Errors and error bars").
 *
 * Both take counts (done out of info) and compute in doubles with exactly
 * the man page's arithmetic, so other implementations get the same digits.
 * Both return 0 for the cases the man page leaves empty; nothing is printed.
 */
#ifndef KR_STATS_H
#define KR_STATS_H

#include <stdint.h>

/* z of the two-sided 95% interval, as the issue fixes it. */
#define STATS_Z95 1.959964

/* Two-sided two-proportion z-test of done_b/info_b (before) against
 * done_a/info_a (after), with the pooled proportion
 *   p = (done_b + done_a) / (info_b + info_a),
 *   z = (done_a/info_a - done_b/info_b) / sqrt(p (1 - p) (1/info_b + 1/info_a)),
 *   p_value = erfc(|z| / sqrt(2)).
 * Returns 1 with *p_value set, or 0 (the empty cell) when either info is
 * 0, p is 0 or 1, or a side has done > info (or a negative count). */
int stats_ztest(int64_t done_b, int64_t info_b, int64_t done_a, int64_t info_a,
                double *p_value);

/* Wilson score interval of the proportion done/info at z = STATS_Z95:
 *   centre = (q + z^2/(2n)) / (1 + z^2/n),
 *   half   = z / (1 + z^2/n) * sqrt(q (1 - q) / n + z^2 / (4 n^2)),
 * q = done/info, n = info; the bounds are centre -/+ half, clamped to
 * [0, 1], and exactly +0.0 at done 0 and 1.0 at done == info (where the
 * algebra gives them but rounding would not).
 * Returns 1 with *lo and *hi set, or 0 (empty) when info is 0, done > info
 * or a count is negative. */
int stats_wilson(int64_t done, int64_t info, double *lo, double *hi);

#endif
