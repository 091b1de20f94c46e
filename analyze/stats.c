/* stats.c - the statistics of stats.h: radix sort, summaries, Welch,
 * Mann-Whitney, Cohen's d, lag-1 autocorrelation, effective sample size. */
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#define RADIX_BITS 11
#define RADIX_SIZE (1u << RADIX_BITS)
#define RADIX_MASK (RADIX_SIZE - 1u)
#define RADIX_PASSES 6 /* 6 * 11 >= 64 */
#define SIGN_BIT ((uint64_t)1 << 63)

/* The order-preserving map from IEEE double bits to uint64: negative numbers
 * have all bits flipped, the others only the sign bit.  -0 sorts before +0. */
static uint64_t key_of(double d)
{
	uint64_t u;

	memcpy(&u, &d, sizeof u);
	return u ^ ((uint64_t)-(int64_t)(u >> 63) | SIGN_BIT);
}

static double double_of(uint64_t k)
{
	uint64_t u = (k & SIGN_BIT) ? k ^ SIGN_BIT : ~k;
	double d;

	memcpy(&d, &u, sizeof d);
	return d;
}

static uint64_t load_key(const double *p)
{
	uint64_t k;

	memcpy(&k, p, sizeof k);
	return k;
}

static void store_key(double *p, uint64_t k)
{
	memcpy(p, &k, sizeof k);
}

/* Exclusive prefix sums: h[d] becomes where digit d's keys start. */
static void radix_offsets(uint32_t *h)
{
	uint32_t sum = 0;

	for (size_t d = 0; d < RADIX_SIZE; d++) {
		uint32_t c = h[d];

		h[d] = sum;
		sum += c;
	}
}

int pk_sort_doubles_scratch(double *v, size_t n, uint64_t *scratch)
{
	uint32_t hist[2][RADIX_SIZE];
	uint64_t any = 0, all = ~(uint64_t)0;
	unsigned pass[RADIX_PASSES];
	int npass = 0;

	if (n < 2)
		return 0;
	if (n > UINT32_MAX)
		return -1;
	/* Which key bits vary at all: a digit that is the same everywhere
	 * needs no pass, and real series rarely use all 64 bits. */
	memset(hist[0], 0, sizeof hist[0]);
	for (size_t i = 0; i < n; i++) {
		uint64_t k = key_of(v[i]);

		any |= k;
		all &= k;
		hist[0][k & RADIX_MASK]++;
	}
	for (unsigned p = 0; p < RADIX_PASSES; p++)
		if (((any ^ all) >> (p * RADIX_BITS)) & RADIX_MASK)
			pass[npass++] = p * RADIX_BITS;
	if (npass == 0)
		return 0;
	if (pass[0] != 0) {
		memset(hist[0], 0, sizeof hist[0]);
		for (size_t i = 0; i < n; i++)
			hist[0][(key_of(v[i]) >> pass[0]) & RADIX_MASK]++;
	}

	/* Passes alternate v -> scratch -> v ...  v holds doubles before the
	 * first pass and after the last, keys (as bits, by memcpy) between;
	 * the first pass makes the keys and the last turns them back.  Each
	 * pass counts the next pass's digits (a table that stays in L1). */
	for (int q = 0; q < npass; q++) {
		uint32_t *h = hist[q & 1], *next = hist[(q + 1) & 1];
		unsigned shift = pass[q];
		unsigned nshift = q + 1 < npass ? pass[q + 1] : 0;

		radix_offsets(h);
		memset(next, 0, sizeof hist[0]);
		if (q == 0) {
			for (size_t i = 0; i < n; i++) {
				uint64_t k = key_of(v[i]);

				scratch[h[(k >> shift) & RADIX_MASK]++] = k;
				next[(k >> nshift) & RADIX_MASK]++;
			}
		} else if (q % 2 == 0) {
			for (size_t i = 0; i < n; i++) {
				uint64_t k = load_key(&v[i]);

				scratch[h[(k >> shift) & RADIX_MASK]++] = k;
				next[(k >> nshift) & RADIX_MASK]++;
			}
		} else if (q == npass - 1) {
			for (size_t i = 0; i < n; i++) {
				uint64_t k = scratch[i];

				v[h[(k >> shift) & RADIX_MASK]++] = double_of(k);
			}
		} else {
			for (size_t i = 0; i < n; i++) {
				uint64_t k = scratch[i];

				store_key(&v[h[(k >> shift) & RADIX_MASK]++], k);
				next[(k >> nshift) & RADIX_MASK]++;
			}
		}
	}
	if (npass % 2 == 1)
		for (size_t i = 0; i < n; i++)
			v[i] = double_of(scratch[i]);
	return 0;
}

int pk_sort_doubles(double *v, size_t n)
{
	if (n < 2)
		return 0;
	uint64_t *scratch = malloc(n * sizeof *scratch);
	if (!scratch)
		return -1;
	int rc = pk_sort_doubles_scratch(v, n, scratch);
	free(scratch);
	return rc;
}

size_t pk_drop_missing(const double *x, size_t n, double *out)
{
	size_t m = 0;

	for (size_t i = 0; i < n; i++) {
		out[m] = x[i];
		m += !isnan(x[i]);
	}
	return m;
}

/* A term of a sum: x, or with sq, (x - m)^2. */
static inline double term(double x, int sq, double m)
{
	return sq ? (x - m) * (x - m) : x;
}

/* numpy's pairwise summation (pairwise_sum in loops_utils.h) of up to 128
 * terms: eight partial sums, then the rest one by one. */
static inline double block_sum(const double *a, size_t n, int sq, double m)
{
	double res = 0.0;
	size_t i = 0;

	if (n >= 8) {
		double r[8];

		for (int j = 0; j < 8; j++)
			r[j] = term(a[j], sq, m);
		for (i = 8; i < n - n % 8; i += 8)
			for (int j = 0; j < 8; j++)
				r[j] += term(a[i + (size_t)j], sq, m);
		res = ((r[0] + r[1]) + (r[2] + r[3])) +
		      ((r[4] + r[5]) + (r[6] + r[7]));
	}
	for (; i < n; i++)
		res += term(a[i], sq, m);
	return res;
}

/* Pairwise sums as numpy takes them: accurate to O(log n) ulps and as fast
 * as a plain loop.  The sum of a[0..n), and of (a_i - m)^2. */
static double pairwise_sum(const double *a, size_t n)
{
	if (n <= 128)
		return block_sum(a, n, 0, 0);
	size_t n2 = n / 2;
	n2 -= n2 % 8;
	return pairwise_sum(a, n2) + pairwise_sum(a + n2, n - n2);
}

static double pairwise_sumsq(const double *a, size_t n, double m)
{
	if (n <= 128)
		return block_sum(a, n, 1, m);
	size_t n2 = n / 2;
	n2 -= n2 % 8;
	return pairwise_sumsq(a, n2, m) + pairwise_sumsq(a + n2, n - n2, m);
}

double pk_quantile_sorted(const double *sorted, size_t n, double q)
{
	if (n == 0 || isnan(q))
		return NAN;
	if (q <= 0)
		return sorted[0];
	if (q >= 1)
		return sorted[n - 1];
	double h = (double)(n - 1) * q;
	double fl = floor(h);
	size_t lo = (size_t)fl;
	if (lo >= n - 1)
		return sorted[n - 1];
	double g = h - fl, a = sorted[lo], b = sorted[lo + 1];
	double diff = b - a;
	/* numpy's _lerp: from the nearer neighbour, exact at both ends */
	return g >= 0.5 ? b - diff * (1 - g) : a + diff * g;
}

void pk_summary_sorted(const double *sorted, size_t n, struct pk_summary *out)
{
	out->count = n;
	out->mean = out->median = out->stdev = out->min = out->max = NAN;
	out->p95 = out->p99 = out->var = NAN;
	if (n == 0)
		return;
	/* a constant's mean is itself and its variance 0, exactly (a sum of
	 * n copies of 0.1 divided by n is not 0.1 in binary) */
	int constant = sorted[0] == sorted[n - 1];
	out->mean = constant ? sorted[0] : pairwise_sum(sorted, n) / (double)n;
	out->min = sorted[0];
	out->max = sorted[n - 1];
	out->median = pk_quantile_sorted(sorted, n, 0.5);
	out->p95 = pk_quantile_sorted(sorted, n, 0.95);
	out->p99 = pk_quantile_sorted(sorted, n, 0.99);
	if (n >= 2) {
		out->var = constant ? 0 : pairwise_sumsq(sorted, n, out->mean) / (double)(n - 1);
		out->stdev = sqrt(out->var);
	}
}

/* P(T > t) for t >= 0 and Student's t with nu degrees of freedom. */
static double t_sf(double t, double nu)
{
	if (nu > 1e4)
		return gsl_cdf_tdist_Q(t, nu);
	double t2 = t * t, a = nu / 2;
	double y = t2 / (nu + t2);
	/* 2 P(T > t) = I_{nu/(nu+t^2)}(nu/2, 1/2) = 1 - I_y(1/2, nu/2); take
	 * the form whose continued fraction GSL evaluates directly */
	if (y < 1.5 / (a + 2.5))
		return 0.5 * gsl_cdf_beta_Q(y, 0.5, a);
	return 0.5 * gsl_cdf_beta_P(nu / (nu + t2), a, 0.5);
}

double pk_welch_p(double mean_a, double var_a, double n_a,
                  double mean_b, double var_b, double n_b)
{
	if (isnan(mean_a) || isnan(var_a) || isnan(n_a) || isnan(mean_b) ||
	    isnan(var_b) || isnan(n_b))
		return NAN;
	if (n_a < 2 || n_b < 2 || var_a < 0 || var_b < 0)
		return NAN;
	double sa = var_a / n_a, sb = var_b / n_b, se2 = sa + sb;
	if (!(se2 > 0) || isinf(se2))
		return NAN;
	/* df = se2^2 / (sa^2/(n_a-1) + sb^2/(n_b-1)), scaled by se2 so that
	 * tiny or huge variances neither underflow nor overflow */
	double fa = sa / se2, fb = sb / se2;
	double df = 1.0 / (fa * fa / (n_a - 1) + fb * fb / (n_b - 1));
	double t = fabs(mean_b - mean_a) / sqrt(se2);
	if (isnan(t) || isnan(df))
		return NAN;
	double p = 2 * t_sf(t, df);
	return p > 1 ? 1 : p;
}

/* Mann-Whitney by merging two sorted samples.  U1 = #pairs (b < a) +
 * #pairs (a == b) / 2: each value taken from a adds the number of b values
 * taken before it, and a run of equal values (the merge takes a's before
 * b's) adds in_a * in_b / 2 more.  Values are compared as integers: their
 * raw bits when the smallest values have no sign bit (order-preserving for
 * x >= +0), else their sort keys; -0 is made +0 either way. */
struct merge {
	uint64_t prev;          /* value of the current run */
	uint64_t run_t, run_a;  /* its length, and how many came from a */
	uint64_t b_before_a;    /* sum over a's values of b values before */
	uint64_t pairs_equal;   /* sum over runs of in_a * in_b */
	double ties;            /* sum over runs of t^3 - t */
};

static inline uint64_t rank_bits(double d, int keyed)
{
	uint64_t k;

	if (!keyed) {
		/* only -0 can follow +0 in ascending order: make it +0 */
		memcpy(&k, &d, sizeof k);
		return k == SIGN_BIT ? 0 : k;
	}
	k = key_of(d);
	return k + (k == ~SIGN_BIT); /* key of -0 -> key of +0 */
}

static void merge_close_run(struct merge *m)
{
	double t = (double)m->run_t;

	m->pairs_equal += m->run_a * (m->run_t - m->run_a);
	m->ties += t * t * t - t;
}

static inline void merge_push(struct merge *m, uint64_t v, uint64_t from_a,
                              uint64_t j)
{
	m->b_before_a += j & ((uint64_t)0 - from_a);
	if (v != m->prev) {
		if (m->run_t > 1)
			merge_close_run(m);
		m->prev = v;
		m->run_t = 0;
		m->run_a = 0;
	}
	m->run_t++;
	m->run_a += from_a;
}

static inline void merge_all(const double *a, size_t na, const double *b,
                             size_t nb, int keyed, struct merge *m)
{
	size_t i = 0, j = 0;
	uint64_t x = rank_bits(a[0], keyed), y = rank_bits(b[0], keyed);

	m->prev = x <= y ? x : y;
	/* Branch-free merge step: which side comes next is data, not a jump
	 * the processor has to guess, and the next value of both sides is
	 * loaded ahead, so no load waits on the comparison. */
	while (i + 1 < na && j + 1 < nb) {
		uint64_t nx = rank_bits(a[i + 1], keyed);
		uint64_t ny = rank_bits(b[j + 1], keyed);
		uint64_t from_a = x <= y;
		uint64_t take = (uint64_t)0 - from_a;

		merge_push(m, (x & take) | (y & ~take), from_a, j);
		x = (nx & take) | (x & ~take);
		y = (y & take) | (ny & ~take);
		i += from_a;
		j += 1 - from_a;
	}
	while (i < na && j < nb) {
		x = rank_bits(a[i], keyed);
		y = rank_bits(b[j], keyed);
		uint64_t from_a = x <= y;

		merge_push(m, from_a ? x : y, from_a, j);
		i += from_a;
		j += 1 - from_a;
	}
	for (; i < na; i++)
		merge_push(m, rank_bits(a[i], keyed), 1, j);
	for (; j < nb; j++)
		merge_push(m, rank_bits(b[j], keyed), 0, j);
	if (m->run_t > 1)
		merge_close_run(m);
}

double pk_mannwhitney_p(const double *sorted_a, size_t na,
                        const double *sorted_b, size_t nb)
{
	if (na == 0 || nb == 0 || na > UINT32_MAX || nb > UINT32_MAX)
		return NAN;
	struct merge m = { 0, 0, 0, 0, 0, 0 };

	/* ascending: a negative value would come first (a -0 may not) */
	if (signbit(sorted_a[0]) || signbit(sorted_b[0]))
		merge_all(sorted_a, na, sorted_b, nb, 1, &m);
	else
		merge_all(sorted_a, na, sorted_b, nb, 0, &m);

	double n1 = (double)na, n2 = (double)nb, n = n1 + n2;
	double u1 = (double)m.b_before_a + (double)m.pairs_equal / 2;
	double u2 = n1 * n2 - u1;
	double u = u1 > u2 ? u1 : u2;
	double mu = n1 * n2 / 2;
	double s2 = n1 * n2 / 12 * ((n + 1) - m.ties / (n * (n - 1)));
	if (!(s2 > 0))
		return NAN;
	double z = (u - mu - 0.5) / sqrt(s2);
	double p = 2 * gsl_cdf_ugaussian_Q(z);
	return p > 1 ? 1 : p;
}

double pk_cohens_d(const struct pk_summary *a, const struct pk_summary *b)
{
	if (a->count == 0 || b->count == 0 || a->count + b->count < 3)
		return NAN;
	double ssa = a->count > 1 ? (double)(a->count - 1) * a->var : 0;
	double ssb = b->count > 1 ? (double)(b->count - 1) * b->var : 0;
	double sd = sqrt((ssa + ssb) / (double)(a->count + b->count - 2));
	if (!(sd > 0) || isinf(sd))
		return NAN;
	return (b->mean - a->mean) / sd;
}

int pk_all_equal(const double *x, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (x[i] != x[0])
			return 0;
	return 1;
}

double pk_lag1_autocorr(const double *x, size_t n)
{
	if (n < 2)
		return NAN;
	if (pk_all_equal(x, n))
		return NAN; /* constant: 0/0 in GSL's definition */
	double m = pairwise_sum(x, n) / (double)n;
	double q0 = 0, q1 = 0, v0 = 0, v1 = 0;
	double prev = x[0] - m;

	v0 = prev * prev;
	/* two accumulators each, so the loop is not one long dependency */
	size_t i;
	for (i = 1; i + 1 < n; i += 2) {
		double d0 = x[i] - m, d1 = x[i + 1] - m;

		q0 += d0 * prev;
		v0 += d0 * d0;
		q1 += d1 * d0;
		v1 += d1 * d1;
		prev = d1;
	}
	if (i < n) {
		double d0 = x[i] - m;

		q0 += d0 * prev;
		v0 += d0 * d0;
	}
	double v = v0 + v1;
	if (!(v > 0))
		return NAN;
	return (q0 + q1) / v;
}

double pk_n_eff(size_t n, double r1)
{
	double dn = (double)n;

	if (isnan(r1) || n < 2 || r1 <= -1)
		return dn;
	double e = dn * (1 - r1) / (1 + r1);
	if (e < 2)
		return 2;
	return e > dn ? dn : e;
}
