/*
 * stats.c - two-proportion z-test and Wilson score interval (see stats.h).
 *
 * Pure functions of their arguments; the arithmetic follows the formulas
 * in stats.h term by term (conversions as (double)done / (double)info),
 * so the printed 4 decimals match a straightforward implementation of
 * the formulas in klantreis(1), MEASUREMENT, "Before and after" and
 * "Errors and error bars".
 */
#include <math.h>

#include "stats.h"

int stats_ztest(int64_t done_b, int64_t info_b, int64_t done_a, int64_t info_a,
                double *p_value)
{
	if (info_b <= 0 || info_a <= 0 || done_b < 0 || done_a < 0 ||
	    done_b > info_b || done_a > info_a)
		return 0;
	double p = ((double)done_b + (double)done_a) / ((double)info_b + (double)info_a);
	if (p <= 0.0 || p >= 1.0)
		return 0;
	double conv_b = (double)done_b / (double)info_b;
	double conv_a = (double)done_a / (double)info_a;
	double se = sqrt(p * (1.0 - p) * (1.0 / (double)info_b + 1.0 / (double)info_a));
	double z = (conv_a - conv_b) / se;
	*p_value = erfc(fabs(z) / sqrt(2.0));
	return 1;
}

int stats_wilson(int64_t done, int64_t info, double *lo, double *hi)
{
	if (info <= 0 || done < 0 || done > info)
		return 0;
	const double z = STATS_Z95;
	double n = (double)info;
	double q = (double)done / n;
	double denom = 1.0 + z * z / n;
	double centre = (q + z * z / (2.0 * n)) / denom;
	double half = z / denom * sqrt(q * (1.0 - q) / n + z * z / (4.0 * n * n));
	double l = centre - half, h = centre + half;
	/* Exactly 0 at done 0 and 1 at done == info, as the algebra says;
	 * rounding would leave 1e-17 or 0.9999999999999999 there. */
	*lo = done == 0 || l < 0.0 ? 0.0 : l;
	*hi = done == info || h > 1.0 ? 1.0 : h;
	return 1;
}
