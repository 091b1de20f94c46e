/* stats.h - the statistics perfanalyze reports, each with its definition.
 * Undefined results are NAN (writers print null / "-"); inputs never contain
 * NAN except where a function says it skips them.  tests/unit/test_stats.c
 * checks every definition against numpy/scipy (tests/fixtures/stats/).
 * Definitions:
 *   mean     arithmetic mean; the sum is taken pairwise as numpy does
 *   stdev    sample standard deviation (n-1 denominator); NAN for n < 2
 *            (var = sum (x_i - mean)^2 / (n-1), two passes, pairwise sums)
 *   median   = quantile 0.5
 *   quantile linear interpolation between order statistics (numpy's default,
 *            gsl_stats_quantile_from_sorted_data): h = (n-1)q,
 *            Q = x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]),
 *            evaluated from the upper neighbour when h - floor h >= 0.5, as
 *            numpy does
 *   welch    two-sided p of Welch's unequal-variance t-test, with the
 *            Welch-Satterthwaite degrees of freedom; n may be fractional
 *            (effective sample sizes).  p = 2 P(T_df > |t|), from GSL:
 *            gsl_cdf_tdist_Q for df > 1e4, else the incomplete beta function
 *            it is defined by (gsl_cdf_beta_P/Q), because gsl_cdf_tdist_Q's
 *            Cornish-Fisher branch (30 < df) is off by up to 5e-7 relative in
 *            the far tail.  NAN when n_a < 2, n_b < 2 or both variances are 0
 *   mann-whitney  two-sided p, normal approximation with tie correction and
 *            continuity correction (scipy.stats.mannwhitneyu, method
 *            "asymptotic", use_continuity=True): U = max(U1, U2),
 *            z = (U - n_a n_b / 2 - 0.5) / sigma, p = min(1, 2 Q(z)), sigma
 *            = sqrt(n_a n_b / 12 ((n+1) - sum(t^3 - t) / (n(n-1)))) over the
 *            tie groups t of both samples; NAN when a sample is empty or
 *            sigma is 0 (every value equal)
 *   cohen's d (mean_b - mean_a) / pooled sd,
 *            pooled sd = sqrt(((na-1)sa^2 + (nb-1)sb^2) / (na+nb-2)), where a
 *            sample of one value contributes 0; NAN when na or nb is 0,
 *            na + nb < 3 or the pooled sd is 0
 *   r1       lag-1 autocorrelation as gsl_stats_lag1_autocorrelation:
 *            sum_{i>=1} (x_i-m)(x_{i-1}-m) / sum_i (x_i-m)^2; NAN when n < 2
 *            or the series is constant
 *   n_eff    n (1 - r1) / (1 + r1) clamped to [2, n]; n when r1 is NAN */
#ifndef PK_STATS_H
#define PK_STATS_H

#include <stddef.h>
#include <stdint.h>

struct pk_summary {
	size_t count;
	double mean, median, stdev, min, max, p95, p99; /* NAN when undefined */
	double var;                                     /* n-1 variance, NAN for n < 2 */
};

/* Sorts n doubles ascending in O(n): LSD radix sort, 11-bit digits, on the
 * order-preserving uint64 map of the IEEE bits (-0 sorts before +0); digits
 * that are the same in every value are skipped.  No NAN allowed.  Returns
 * 0, or -1 when scratch memory is not available or n > UINT32_MAX. */
int pk_sort_doubles(double *v, size_t n);

/* The same with caller-supplied scratch room for n uint64_t, so that a loop
 * over many series allocates once.  Returns 0, or -1 when n > UINT32_MAX. */
int pk_sort_doubles_scratch(double *v, size_t n, uint64_t *scratch);

/* Copies the non-NAN values of x[0..n) to out (room for n) in order; returns
 * how many were copied. */
size_t pk_drop_missing(const double *x, size_t n, double *out);

/* Quantile q in [0,1] of sorted[0..n); NAN when n == 0. */
double pk_quantile_sorted(const double *sorted, size_t n, double q);

/* Summary of sorted[0..n) (ascending, no NAN). */
void pk_summary_sorted(const double *sorted, size_t n, struct pk_summary *out);

/* Welch two-sided p for two samples given their means, n-1 variances and
 * (possibly fractional) sizes.  NAN when undefined: n < 2 on a side, both
 * variances 0, or any argument NAN. */
double pk_welch_p(double mean_a, double var_a, double n_a,
                  double mean_b, double var_b, double n_b);

/* Mann-Whitney U two-sided p of two ascending samples (no NAN), by merging
 * the two (O(na + nb)): U1 = #pairs(b < a) + #pairs(a == b) / 2, which is
 * the rank sum of a with average ranks for ties, less na(na+1)/2.  NAN when
 * a sample is empty or has more than UINT32_MAX values. */
double pk_mannwhitney_p(const double *sorted_a, size_t na,
                        const double *sorted_b, size_t nb);

/* Cohen's d of b against a with pooled sd; NAN when undefined. */
double pk_cohens_d(const struct pk_summary *a, const struct pk_summary *b);

/* Lag-1 autocorrelation of x[0..n) in time order (no NAN); NAN when n < 2
 * or every value is equal. */
double pk_lag1_autocorr(const double *x, size_t n);

/* 1 when x[0..n) holds one value only (n < 2 included), tested exactly: a
 * statistic that divides by a spread is undefined then, and the spread
 * computed around a rounded mean would be a rounding error, not 0. */
int pk_all_equal(const double *x, size_t n);

/* Effective sample size n (1-r1)/(1+r1) clamped to [2, n]; n if r1 is NAN. */
double pk_n_eff(size_t n, double r1);

#endif
