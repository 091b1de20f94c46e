/* changepoint.h - level change points of one series: outliers set aside,
 * a dependence-aware noise scale, penalised optimal partitioning (PELT) of
 * the level under a common linear trend, and a p-value per change point.
 *
 * Model: x_t = mu_t + s t + e_t, where mu_t is piecewise constant (the
 * levels), s a slope shared by the whole series (a steady drift is a trend,
 * not a staircase) and e_t stationary AR(1) noise with lag-1 correlation
 * phi, or, when the level wanders like a random walk (phi near 1), level
 * jumps in a random walk.  Isolated spikes are outliers, not changes.
 *
 * Definitions, for x[0..n) (finite values):
 *   h          minimum segment: --min-segment, else max(3, floor(sqrt(n)/3))
 *              (3 up to n = 143, 5 at 300, 33 at 10,000); every segment
 *              between change points (and the series' ends) holds >= h runs.
 *   scale S(d) of differences d: the mean of |d_i - median(d)| over the 80 %
 *              smallest of them (the largest 20 % trimmed, so that steps and
 *              spikes do not count); sd_d = S / c with c = 2 (phi(0) -
 *              phi(q)) / 0.8, q = Phi^-1(0.9) (a Gaussian's S / sd).
 *   sd_diff    sd_d of the first differences x[t+1] - x[t].
 *   phi_diff   (S(lag-2 differences) / S(lag-1 differences))^2 - 1, clamped
 *              to [0, 1]: for AR(1) noise Var(x[t+2]-x[t]) / Var(x[t+1]-x[t])
 *              = 1 + phi; steps, a trend and spikes barely move it (Chakar,
 *              Lebarbier, Levy-Leduc & Robin 2017, Bernoulli 23(2), use the
 *              same idea with medians).
 *   outlier    t with two runs (one at an end of the series) on each side
 *              whose values differ from x[t] in the same direction by more
 *              than z_out sd_diff, z_out = Phi^-1(1 - alpha / (2 n)), comparing
 *              with the mean of the up to 2 runs before and the up to 2 after
 *              moved by the drift (the median first difference) over the
 *              runs between (1.5 drift for two runs, 1 for one);
 *              the first run is judged on the runs after it only.  The last
 *              run cannot be told from the start of a change: it is never an
 *              outlier, but last_out_of_line says when it differs from the
 *              runs before it that way (it is then replaced like an
 *              outlier, by the drift-moved mean of the runs before it, but
 *              not listed).
 *              Outliers are replaced by the mean of the two side means for
 *              everything below (y = x with outliers replaced).
 *   residual phi  lag-1 autocorrelation of the residuals of a fit (y minus
 *              segment means minus the trend), pairs within a segment only.
 *   phi        of a fit: max(phi_diff - 3.5 / sqrt(n), its residual phi),
 *              clamped to [0, 0.99] (3.5 / sqrt(n) is the sd of phi_diff for
 *              AR(1) noise, measured by simulation: phi_diff is robust to
 *              steps but noisy, so it only bounds phi from below);
 *              sigma^2 = sd_diff^2 / (2 (1 - phi)) (the noise's variance)
 *              and the long-run variance lrv = sigma^2 (1 + phi) / (1 - phi):
 *              n times the variance of a mean of n AR(1) values.
 *   wandering  phi_diff >= 0.5 and rho > max(0.9, 1 - 21.8 / n), rho the
 *              residual phi of the no-change fit (least-squares slope): a
 *              unit root is not rejected by the Dickey-Fuller test at 5 %
 *              (n (rho - 1) > -21.8, constant and trend, asymptotic critical
 *              value; Fuller 1976, Table 10.A.1), and, in series too short
 *              for that test to tell, rho > 0.9: the level is a random walk;
 *              see below.
 * Stationary case: a segmentation of z_t = y_t - s t minimises
 *     sum over segments of sum (z_t - mean)^2 + beta * (number of changes),
 *   segments >= h long, beta = b^2 lrv, where b solves P(b) = alpha for the
 *   tail P(b) = b phi(b) log(t1 (1 - t0) / (t0 (1 - t1))) + 4 phi(b) / b of
 *   the largest standardised two-sample statistic of a series without
 *   change, t0 = h / n, t1 = 1 - t0 (James, James & Siegmund 1987,
 *   Biometrika 74(1): the maximum of a standardised Brownian bridge; phi(.)
 *   the normal density), found exactly by optimal partitioning with PELT
 *   pruning (Killick, Fearnhead & Eckley 2012, JASA 107(500)), then pruned
 *   (below).  Three fits are made: none (no change point, least-squares
 *   slope); liberal: slope 0 and phi 0 first (a trend then looks like a
 *   staircase and AR noise like steps), then the common slope (one
 *   intercept per segment) and phi refitted from its residuals and the
 *   change points pruned until none goes, then one more segmentation;
 *   conservative: slope and phi from the no-change fit (a missed step
 *   inflates phi), refitted from the change points found until they stop
 *   changing (at most 8 rounds).  Of the three, the one of least
 *     n log(v) + (number of changes) b^2,
 *   v the mean squared innovation of an AR(1) fitted by least squares to
 *   its residuals (pairs within a segment): -2 log likelihood of the AR(1)
 *   model plus the same penalty.  Its change points are pruned once more
 *   with its phi.  When the first liberal segmentation finds none, there is
 *   none (a larger phi only raises the penalty).
 *   Each change point's test: the two segments around it (a = previous
 *   change point or 0, c = next or n; n1 = index - a, n2 = c - index):
 *     statistic  Z = (mean z after - mean z before) / sqrt(lrv (1/n1 + 1/n2))
 *     p          P(|Z|) with t0 = h / (n1 + n2), t1 = 1 - t0: the approximate
 *                probability that noise alone (no change in [a, c)) gives a
 *                largest |Z| over the allowed splits of [a, c) at least this
 *                large; 2 (1 - Phi(|Z|)) when only one split is allowed.
 *                Never below 2 (1 - Phi(|Z|)), capped at 1.
 *   Pruning: a change point with p > alpha is dropped (the largest p first,
 *   the neighbours' p recomputed) until every one has p <= alpha.
 *   When sigma is 0 (no noise: the values repeat exactly), Z is NAN and p 0.
 *   jump       mean z after - mean z before (the level change net of trend)
 *   size_sd    jump / sigma (NAN when sigma is 0)
 * Wandering case: a change point is a run t (h <= t <= n - h) whose
 *   increment y[t] - y[t-1] differs from the median increment by more than
 *   z_out sd_diff; statistic Z = that difference / sd_diff, p = min(1,
 *   2 (n - 1) (1 - Phi(|Z|))) (Bonferroni over the increments), jump the
 *   difference, size_sd = Z (in units of the increments' sd); of change
 *   points closer than h the larger |Z| is kept.
 * before_mean, after_mean: the means of y over the final segments on either
 *   side of the change point (outliers left out, the trend left in).
 * Deterministic: same series and options, same result. */
#ifndef PK_CHANGEPOINT_H
#define PK_CHANGEPOINT_H

#include <stddef.h>
#include <stdint.h>
#include "../core/status.h"

#define PK_CP_ALPHA 0.05

struct pk_cp_options {
	size_t min_segment;      /* h >= 2; 0 = max(3, floor(sqrt(n)/3)) */
	double alpha;            /* in (0, 1); NAN or <= 0 = PK_CP_ALPHA */
	uint64_t seed;           /* unused: the detector draws no random numbers
	                          * (kept for callers of the permutation test) */
};

struct pk_change_point {
	size_t index;            /* first value of the segment after the change */
	double statistic;        /* Z, as defined above */
	double p;                /* its p-value, as defined above */
	double before_mean;      /* mean of the final segment ending at index */
	double after_mean;       /* mean of the final segment starting at index */
	double jump;             /* level change net of trend */
	double size_sd;          /* jump in noise sd units */
};

struct pk_cp_result {
	size_t n;                     /* change points, by index ascending */
	struct pk_change_point *cp;   /* owned; free with pk_cp_result_free */
	size_t noutliers;
	size_t *outlier;              /* owned; indexes ascending */
	int last_out_of_line;         /* the last value differs like an outlier */
	int wandering;                /* the random-walk case was used */
	size_t min_segment;           /* h as used */
	double alpha;                 /* as used */
	double sigma;                 /* noise sd (wandering: sd_diff) */
	double phi, lrv, slope;       /* as used; slope 0 when wandering */
};

/* Change points of x[0..n) with options o (NULL: defaults).  out is cleared
 * first; on PK_OK free it with pk_cp_result_free.  PK_ERR_INPUT for a NAN
 * or infinite value, min_segment 1, alpha >= 1; PK_ERR_NOMEM. */
enum pk_status pk_changepoints(const double *x, size_t n, const struct pk_cp_options *o,
                               struct pk_cp_result *out);
void pk_cp_result_free(struct pk_cp_result *r);

/* The default minimum segment for n values: max(3, floor(sqrt(n)/3)). */
size_t pk_cp_default_min_segment(size_t n);

/* S(d) / c of d[0..n) as defined above (d is reordered); 0 when n == 0. */
double pk_cp_robust_sd(double *d, size_t n);

/* The tail P(b) above for t0 = h / L, t1 = 1 - t0 (L >= 2h; L < 2h + 1:
 * 2 (1 - Phi(b))), capped at 1. */
double pk_cp_max_z_tail(double b, size_t h, size_t L);

/* Optimal partitioning of z[0..n): the change points (ascending, into
 * cps, room for n / h) that minimise the penalised cost above with
 * segments >= h and penalty beta; *ncp gets their number and *cost the
 * minimum.  h >= 1, n >= h.  PK_ERR_NOMEM. */
enum pk_status pk_cp_partition(const double *z, size_t n, size_t h, double beta,
                               size_t *cps, size_t *ncp, double *cost);

#endif
