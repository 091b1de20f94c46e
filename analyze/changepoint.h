/* changepoint.h - change points in a series by E-divisive means (Matteson &
 * James 2014, "A nonparametric approach for multiple change point analysis
 * of multivariate data", JASA 109(505)), the detector of MongoDB's and
 * Apache Otava's (hunter's) performance-regression work, on one dimension.
 *
 * Definitions, for a segment z[0..L) split at tau (1 <= tau < L) into
 * X = z[0..tau) (n = tau values) and Y = z[tau..L) (m = L - tau values),
 * with the divergence exponent alpha = 1:
 *   E(tau) = 2/(n m) sum_{i,j} |X_i - Y_j|
 *            - sum_{i<k} |X_i - X_k| / C(n,2) - sum_{j<k} |Y_j - Y_k| / C(m,2)
 *   Q(tau) = n m / (n + m) E(tau)
 *   Q is defined for min_segment <= tau <= L - min_segment (min_segment >= 2,
 *   so that both C(n,2) and C(m,2) are positive); NAN elsewhere.  The sums
 *   are computed in O(L log L) with Fenwick trees over the values' ranks
 *   (values centred on the segment's mean first), not by the O(L^2) double
 *   loop; tests/fixtures/regress/make_reference.py computes the double
 *   loop in numpy and test_changepoint.c checks Q to 1e-9 relative.
 * Bisection: the whole series is one segment.  A segment with at least
 *   2 min_segment values is split at the tau of maximal Q (the first such
 *   tau on ties) when the split is significant; both halves are then
 *   treated the same way (depth first, left half first); a segment whose
 *   best split is not significant, or that is too short, is final.
 * Significance: a permutation test within the segment.  The segment's
 *   values are shuffled (Fisher-Yates) R times (default 199) and the
 *   maximal Q of each shuffle computed the same way;
 *   p = (1 + #{shuffles with max Q >= observed max Q}) / (R + 1),
 *   and the split is significant when p <= p_threshold (default 0.05).  The
 *   test stops early once p cannot reach the threshold any more (the p of
 *   a rejected split is not reported).  A constant segment is never split.
 * Random numbers: splitmix64 (Steele, Lea & Flood 2014) seeded with `seed`;
 *   a shuffle index in [0, k) is the next output modulo k, where outputs
 *   below 2^64 mod k are drawn again (no modulo bias); the shuffle goes
 *   i = L-1 down to 1, swapping i with an index in [0, i].  Same series, options and seed: same change points and p-values,
 *   on every machine. */
#ifndef PK_CHANGEPOINT_H
#define PK_CHANGEPOINT_H

#include <stddef.h>
#include <stdint.h>
#include "../core/status.h"

#define PK_CP_PERMUTATIONS 199
#define PK_CP_MIN_SEGMENT 3
#define PK_CP_P_THRESHOLD 0.05

struct pk_cp_options {
	size_t min_segment;      /* >= 2; 0 = PK_CP_MIN_SEGMENT */
	unsigned permutations;   /* R; 0 = PK_CP_PERMUTATIONS */
	double p_threshold;      /* NAN or <= 0 = PK_CP_P_THRESHOLD */
	uint64_t seed;
};

struct pk_change_point {
	size_t index;            /* first value of the segment after the change */
	double statistic;        /* Q at the split, in the segment it split */
	double p;                /* permutation p */
	double before_mean;      /* mean of the final segment ending at index */
	double after_mean;       /* mean of the final segment starting at index */
};

struct pk_cp_result {
	size_t n;                     /* change points, by index ascending */
	struct pk_change_point *cp;   /* owned; free with pk_cp_result_free */
};

/* Change points of x[0..n) (no NAN) by E-divisive means with options o
 * (NULL: defaults, seed 0).  out is cleared first; on PK_OK free it with
 * pk_cp_result_free.  PK_ERR_INPUT for a NAN or infinite value or
 * min_segment 1, PK_ERR_NOMEM when memory runs out. */
enum pk_status pk_edivisive(const double *x, size_t n, const struct pk_cp_options *o,
                            struct pk_cp_result *out);
void pk_cp_result_free(struct pk_cp_result *r);

/* Q(tau) for every tau of the one segment x[0..n) into q[0..n] (q[tau];
 * NAN where tau is outside [min_segment, n - min_segment]).  *best gets
 * the first tau of maximal Q, 0 when there is none.  PK_ERR_INPUT as
 * above, PK_ERR_NOMEM. */
enum pk_status pk_edivisive_q(const double *x, size_t n, size_t min_segment,
                              double *q, size_t *best);

#endif
