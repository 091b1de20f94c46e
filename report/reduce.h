/* reduce.h - shrinking long series to what a chart can show: min, max and
 * mean per pixel column for values over time, a few hundred quantiles for
 * CDFs. */
#ifndef PK_REDUCE_H
#define PK_REDUCE_H

#include <stddef.h>

/* One entry of a time chart: the values at x (one sample, or one pixel
 * column).  n == 0 marks a break: the line and band stop there and start
 * again at the next entry. */
struct pk_chart_col {
	double x;              /* the sample's x, or the column's centre */
	double min, max, mean; /* equal for a single sample */
	size_t n;              /* values behind it; 0 for a break */
};

/* A point of a CDF chart: (value, fraction of values <= value). */
struct pk_chart_pt {
	double x, y;
};

/* Pixel columns of a time chart and quantiles of a CDF chart. */
#define PK_CHART_COLUMNS 800
#define PK_CHART_QUANTILES 500

/* Room pk_chart_reduce needs in out for n samples and ncols columns. */
size_t pk_chart_reduce_cap(size_t n, size_t ncols);

/* Reduces the samples (x[i], y[i]), i < n, x ascending, y NAN when missing,
 * for a chart of ncols pixel columns that split [x0, x1] evenly (x outside
 * goes to the nearest column).  Writes at most pk_chart_reduce_cap(n, ncols)
 * entries to out and returns how many; *reduced (when not NULL) tells which
 * way it went:
 *   n <= 2 * ncols: one entry per present sample (min = max = mean = y, at
 *     its own x); a run of missing values becomes one break.  *reduced = 0.
 *   otherwise: one entry per column that has values, at the column's centre,
 *     with their min, max and mean (missing values inside a column are left
 *     out); a run of columns without values between two with values becomes
 *     one break.  *reduced = 1.
 * Breaks never start or end the output and never follow each other. */
size_t pk_chart_reduce(const double *x, const double *y, size_t n,
                       double x0, double x1, size_t ncols,
                       struct pk_chart_col *out, int *reduced);

/* The empirical CDF of sorted[0..n) (ascending, no NAN) as points for drawing
 * with steps, starting at (sorted[0], 0) and ending at (sorted[n-1], 1).
 * Exact when n <= k (one point per distinct value); else k points at
 * probabilities j/(k-1) taken with pk_quantile_sorted.  out has room for
 * k + 1 points (k >= 2); returns how many were written, 0 when n == 0. */
size_t pk_chart_cdf(const double *sorted, size_t n, size_t k,
                    struct pk_chart_pt *out);

#endif
