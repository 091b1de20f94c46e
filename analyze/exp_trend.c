/* exp_trend.c - trends of a series against its cycle numbers for
 * experiment.h: least squares with its t test, the Theil-Sen slope by exact
 * slope selection, and the Mann-Kendall test. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_fit.h>

#include "experiment.h"

/* Pairs formed and sorted outright up to this many. */
#define TS_DIRECT ((uint64_t)1 << 20)
#define TS_MAX_ROUNDS 200

/* Two-sided p of Student's t with nu degrees of freedom:
 * I_{nu/(nu+t^2)}(nu/2, 1/2), from whichever tail GSL's continued fraction
 * evaluates directly (as stats.c does for Welch). */
static double t_two_sided(double t, double nu)
{
	if (isnan(t) || !(nu > 0))
		return NAN;
	if (isinf(t))
		return 0;
	double t2 = t * t, a = nu / 2, y = t2 / (nu + t2);
	if (y < 1.5 / (a + 2.5))
		return gsl_cdf_beta_Q(y, 0.5, a);
	return gsl_cdf_beta_P(nu / (nu + t2), a, 0.5);
}

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

struct key {
	double u;
	uint32_t i;
};

static int key_asc(const void *pa, const void *pb)
{
	const struct key *a = pa, *b = pb;
	if (a->u != b->u)
		return a->u < b->u ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

static int key_desc(const void *pa, const void *pb)
{
	const struct key *a = pa, *b = pb;
	if (a->u != b->u)
		return a->u < b->u ? -1 : 1;
	return a->i < b->i ? 1 : -(a->i > b->i);
}

/* The point indices ordered by y - s x, ties by index ascending (desc = 0)
 * or descending (desc = 1): point i < j comes first iff its slope to j is
 * >= s (desc 0) or > s (desc 1).  s = -inf / +inf give index order up /
 * down. */
static void order_at(const double *x, const double *y, uint32_t n, double s, int desc,
                     struct key *k, uint32_t *ord)
{
	if (isinf(s)) {
		for (uint32_t i = 0; i < n; i++)
			ord[i] = s < 0 ? i : n - 1 - i;
		return;
	}
	for (uint32_t i = 0; i < n; i++)
		k[i] = (struct key){ y[i] - s * x[i], i };
	qsort(k, n, sizeof *k, desc ? key_desc : key_asc);
	for (uint32_t i = 0; i < n; i++)
		ord[i] = k[i].i;
}

/* Inversions of a[0..n) (distinct values), sorting it; tmp has room for n. */
static uint64_t inversions(uint32_t *a, uint32_t *tmp, uint32_t n)
{
	uint64_t inv = 0;
	for (uint32_t w = 1; w < n; w *= 2) {
		for (uint32_t lo = 0; lo < n; lo += 2 * w) {
			uint32_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
			uint32_t i = lo, j = mid, k = lo;
			while (i < mid && j < hi) {
				if (a[j] < a[i]) {
					inv += mid - i;
					tmp[k++] = a[j++];
				} else {
					tmp[k++] = a[i++];
				}
			}
			while (i < mid)
				tmp[k++] = a[i++];
			while (j < hi)
				tmp[k++] = a[j++];
		}
		memcpy(a, tmp, n * sizeof *a);
	}
	return inv;
}

struct ts_ws {
	const double *x, *y;
	uint32_t n;
	struct key *k;
	uint32_t *ord, *tmp, *pos, *src, *src_tmp;
};

/* Pairs with slope < s (desc 0) or <= s (desc 1). */
static uint64_t count_at(struct ts_ws *w, double s, int desc)
{
	order_at(w->x, w->y, w->n, s, desc, w->k, w->ord);
	return inversions(w->ord, w->tmp, w->n);
}

/* The slopes of the pairs in [lo, hi]: the inversions between the order at
 * lo (ties ascending) and at hi (ties descending), by merge sort with the
 * point index carried along.  Appends up to cap slopes to out; returns how
 * many pairs there were. */
static uint64_t enumerate(struct ts_ws *w, double lo, double hi, double *out, uint64_t cap)
{
	uint32_t n = w->n;
	order_at(w->x, w->y, n, hi, 1, w->k, w->ord);
	for (uint32_t i = 0; i < n; i++)
		w->pos[w->ord[i]] = i;
	order_at(w->x, w->y, n, lo, 0, w->k, w->ord);
	uint32_t *a = w->tmp, *src = w->src;
	for (uint32_t i = 0; i < n; i++) {
		src[i] = w->ord[i];
		a[i] = w->pos[src[i]];
	}
	uint32_t *at = w->ord, *st = w->src_tmp;   /* ord is free again */
	uint64_t m = 0;
	for (uint32_t width = 1; width < n; width *= 2) {
		for (uint32_t b = 0; b < n; b += 2 * width) {
			uint32_t mid = b + width < n ? b + width : n;
			uint32_t end = b + 2 * width < n ? b + 2 * width : n;
			uint32_t i = b, j = mid, k = b;
			while (i < mid && j < end) {
				if (a[j] < a[i]) {
					for (uint32_t l = i; l < mid; l++, m++) {
						if (m >= cap)
							continue;
						uint32_t p = src[l] < src[j] ? src[l] : src[j];
						uint32_t q = src[l] < src[j] ? src[j] : src[l];
						out[m] = (w->y[q] - w->y[p]) / (w->x[q] - w->x[p]);
					}
					st[k] = src[j];
					at[k++] = a[j++];
				} else {
					st[k] = src[i];
					at[k++] = a[i++];
				}
			}
			for (; i < mid; i++, k++) {
				st[k] = src[i];
				at[k] = a[i];
			}
			for (; j < end; j++, k++) {
				st[k] = src[j];
				at[k] = a[j];
			}
		}
		memcpy(a, at, n * sizeof *a);
		memcpy(src, st, n * sizeof *src);
	}
	return m;
}

/* Elements k1 and k2 (0-based, k1 <= k2) of v[0..n) in ascending order,
 * averaged; v is sorted. */
static double middle(double *v, uint64_t n, uint64_t k1, uint64_t k2, enum pk_status *rc)
{
	if (k2 >= n)
		k2 = n - 1;
	if (k1 > k2)
		k1 = k2;
	if (pk_sort_doubles(v, (size_t)n) != 0) {
		*rc = PK_ERR_NOMEM;
		return NAN;
	}
	return k1 == k2 ? v[k1] : (v[k1] + v[k2]) / 2;
}

static double ts_direct(const double *x, const double *y, size_t n, uint64_t npairs,
                        uint64_t k1, uint64_t k2, enum pk_status *rc)
{
	double *s = malloc((size_t)npairs * sizeof *s);
	if (!s) {
		*rc = PK_ERR_NOMEM;
		return NAN;
	}
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			s[m++] = (y[j] - y[i]) / (x[j] - x[i]);
	double r = middle(s, m, k1, k2, rc);
	free(s);
	return r;
}

/* Interval contraction; returns the median or NAN with *rc set. */
static double ts_select(struct ts_ws *w, uint64_t npairs, uint64_t k1, uint64_t k2,
                        enum pk_status *rc)
{
	uint32_t n = w->n;
	uint64_t limit = 16 * (uint64_t)n > TS_DIRECT ? 16 * (uint64_t)n : TS_DIRECT;
	double lo = -INFINITY, hi = INFINITY;
	uint64_t nlo = 0, nhi = npairs, seed = 0x5eed5eedu;
	size_t nsample = 2 * (size_t)n > 4096 ? 2 * (size_t)n : 4096;
	double *smp = malloc(nsample * sizeof *smp);
	if (!smp) {
		*rc = PK_ERR_NOMEM;
		return NAN;
	}
	for (int round = 0; round < TS_MAX_ROUNDS && nhi - nlo > limit; round++) {
		size_t c = 0;
		for (size_t t = 0; t < nsample; t++) {
			uint32_t i = (uint32_t)(splitmix64(&seed) % n);
			uint32_t j = (uint32_t)(splitmix64(&seed) % (n - 1));
			if (j >= i)
				j++;
			uint32_t p = i < j ? i : j, q = i < j ? j : i;
			double s = (w->y[q] - w->y[p]) / (w->x[q] - w->x[p]);
			if (s >= lo && s <= hi)
				smp[c++] = s;
		}
		if (c < 16 || pk_sort_doubles(smp, c) != 0)
			continue;
		double m = (double)(nhi - nlo), d = 3 * sqrt((double)c);
		double fa = floor((double)(k1 - nlo) / m * (double)c - d);
		double fb = ceil((double)(k2 - nlo) / m * (double)c + d);
		double nlo_s = fa < 0 ? lo : smp[(size_t)fa];
		double nhi_s = fb >= (double)c ? hi : smp[(size_t)fb];
		uint64_t cl = nlo_s == lo ? nlo : count_at(w, nlo_s, 0);
		uint64_t ch = nhi_s == hi ? nhi : count_at(w, nhi_s, 1);
		if (cl <= k1 && ch > k2 && ch >= cl) {
			lo = nlo_s;
			hi = nhi_s;
			nlo = cl;
			nhi = ch;
		}
	}
	free(smp);
	uint64_t m = nhi - nlo;
	if (m > ((uint64_t)1 << 26)) {   /* did not contract: should not happen */
		*rc = PK_ERR_NOMEM;
		return NAN;
	}
	double *v = malloc((size_t)(m + 1) * sizeof *v);
	if (!v) {
		*rc = PK_ERR_NOMEM;
		return NAN;
	}
	uint64_t got = enumerate(w, lo, hi, v, m + 1);
	if (got > m + 1)
		got = m + 1;
	double r = got ? middle(v, got, k1 - nlo, k2 - nlo, rc) : NAN;
	free(v);
	return r;
}

double pk_theil_sen(const double *x, const double *y, size_t n, enum pk_status *rc)
{
	*rc = PK_OK;
	if (n < 2)
		return NAN;
	if (n > UINT32_MAX / 2) {
		*rc = PK_ERR_INPUT;
		return NAN;
	}
	uint64_t npairs = (uint64_t)n * (n - 1) / 2;
	uint64_t k1 = (npairs - 1) / 2, k2 = npairs / 2;
	if (npairs <= TS_DIRECT)
		return ts_direct(x, y, n, npairs, k1, k2, rc);
	struct ts_ws w = { x, y, (uint32_t)n, malloc(n * sizeof(struct key)),
	                   malloc(n * sizeof(uint32_t)), malloc(n * sizeof(uint32_t)),
	                   malloc(n * sizeof(uint32_t)), malloc(n * sizeof(uint32_t)),
	                   malloc(n * sizeof(uint32_t)) };
	double r = NAN;
	if (w.k && w.ord && w.tmp && w.pos && w.src && w.src_tmp)
		r = ts_select(&w, npairs, k1, k2, rc);
	else
		*rc = PK_ERR_NOMEM;
	free(w.k);
	free(w.ord);
	free(w.tmp);
	free(w.pos);
	free(w.src);
	free(w.src_tmp);
	return r;
}

/* Strict inversions of v[0..n) (pairs i < j with v_i > v_j), sorting v by
 * a stable merge; tmp has room for n. */
static uint64_t inversions_d(double *v, double *tmp, size_t n)
{
	uint64_t inv = 0;
	for (size_t w = 1; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
			size_t i = lo, j = mid, k = lo;
			while (i < mid && j < hi) {
				if (v[j] < v[i]) {
					inv += mid - i;
					tmp[k++] = v[j++];
				} else {
					tmp[k++] = v[i++];
				}
			}
			while (i < mid)
				tmp[k++] = v[i++];
			while (j < hi)
				tmp[k++] = v[j++];
		}
		memcpy(v, tmp, n * sizeof *v);
	}
	return inv;
}

enum pk_status pk_mann_kendall(const double *y, size_t n, double *s, double *z, double *p)
{
	*s = *z = *p = NAN;
	if (n < 3)
		return PK_OK;
	double *v = malloc(2 * n * sizeof *v);
	if (!v)
		return PK_ERR_NOMEM;
	memcpy(v, y, n * sizeof *v);
	uint64_t disc = inversions_d(v, v + n, n);   /* v is now sorted */
	uint64_t ties = 0;
	double tie_var = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && v[j] == v[i])
			j++;
		double t = (double)(j - i);
		ties += (uint64_t)(j - i) * (j - i - 1) / 2;
		tie_var += t * (t - 1) * (2 * t + 5);
		i = j;
	}
	free(v);
	uint64_t npairs = (uint64_t)n * (n - 1) / 2;
	uint64_t conc = npairs - disc - ties;
	double S = (double)conc - (double)disc, dn = (double)n;
	double var = (dn * (dn - 1) * (2 * dn + 5) - tie_var) / 18;
	*s = S;
	if (!(var > 0))
		return PK_OK;
	*z = S > 0 ? (S - 1) / sqrt(var) : S < 0 ? (S + 1) / sqrt(var) : 0;
	*p = 2 * gsl_cdf_ugaussian_Q(fabs(*z));
	return PK_OK;
}

enum pk_status pk_exp_trend_fit(const double *x, const double *y, size_t n,
                                struct pk_exp_trend *out)
{
	*out = (struct pk_exp_trend){ .n = n, .slope = NAN, .intercept = NAN, .p = NAN,
	                              .growth = NAN, .theil_sen = NAN, .mk_s = NAN,
	                              .mk_z = NAN, .mk_p = NAN };
	gsl_set_error_handler_off();
	if (n >= 2 && x[n - 1] > x[0]) {
		double c0, c1, cov00, cov01, cov11, sumsq;
		if (gsl_fit_linear(x, 1, y, 1, n, &c0, &c1, &cov00, &cov01, &cov11, &sumsq) == GSL_SUCCESS) {
			out->slope = c1;
			out->intercept = c0;
			if (n >= 3) {
				double se = sqrt(cov11);
				out->p = se > 0 ? t_two_sided(c1 / se, (double)n - 2)
				         : c1 != 0 ? 0 : NAN;
			}
			double start = c0 + c1 * x[0];
			if (start > 0)
				out->growth = c1 * (x[n - 1] - x[0]) / start;
		}
	}
	enum pk_status rc;
	out->theil_sen = pk_theil_sen(x, y, n, &rc);
	if (rc == PK_OK)
		rc = pk_mann_kendall(y, n, &out->mk_s, &out->mk_z, &out->mk_p);
	return rc;
}
