/* changepoint.c - E-divisive means change points (changepoint.h): the
 * divergence statistic in O(L log L) per segment, bisection, and the
 * seeded permutation test. */
#include "changepoint.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Scratch room for one segment of up to cap values. */
struct ws {
	size_t cap;
	double *v;          /* the segment's values, centred, in current order */
	uint32_t *rk;       /* their ranks 0..L-1 (ties in any order) */
	double *wx, *wy;    /* within sums of prefixes / suffixes, L + 1 each */
	uint32_t *fc;       /* Fenwick tree: counts, L + 1 */
	double *fs;         /* Fenwick tree: sums, L + 1 */
	struct vi { double v; size_t i; } *vi; /* to rank by sorting */
};

static void ws_free(struct ws *w)
{
	free(w->v);
	free(w->rk);
	free(w->wx);
	free(w->wy);
	free(w->fc);
	free(w->fs);
	free(w->vi);
	*w = (struct ws){ 0 };
}

static enum pk_status ws_init(struct ws *w, size_t cap)
{
	*w = (struct ws){ 0 };
	w->cap = cap;
	w->v = malloc(cap * sizeof *w->v);
	w->rk = malloc(cap * sizeof *w->rk);
	w->wx = malloc((cap + 1) * sizeof *w->wx);
	w->wy = malloc((cap + 1) * sizeof *w->wy);
	w->fc = malloc((cap + 1) * sizeof *w->fc);
	w->fs = malloc((cap + 1) * sizeof *w->fs);
	w->vi = malloc(cap * sizeof *w->vi);
	if (!w->v || !w->rk || !w->wx || !w->wy || !w->fc || !w->fs || !w->vi) {
		ws_free(w);
		return PK_ERR_NOMEM;
	}
	return PK_OK;
}

/* splitmix64: the next output of the generator with state *s. */
static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* A uniform integer in [0, k), k >= 1, without modulo bias. */
static uint64_t below(uint64_t *s, uint64_t k)
{
	uint64_t t = (0 - k) % k; /* 2^64 mod k */
	uint64_t r;
	do
		r = splitmix64(s);
	while (r < t);
	return r % k;
}

static void shuffle(struct ws *w, size_t L, uint64_t *s)
{
	for (size_t i = L - 1; i > 0; i--) {
		size_t j = (size_t)below(s, (uint64_t)i + 1);
		double tv = w->v[i];
		uint32_t tr = w->rk[i];
		w->v[i] = w->v[j];
		w->rk[i] = w->rk[j];
		w->v[j] = tv;
		w->rk[j] = tr;
	}
}

static int by_value(const void *a, const void *b)
{
	const struct vi *x = a, *y = b;
	if (x->v < y->v) return -1;
	if (x->v > y->v) return 1;
	return (x->i > y->i) - (x->i < y->i);
}

/* Loads x[0..L) into w centred on its mean and ranks it; returns 1 when
 * the values are all equal. */
static int load(struct ws *w, const double *x, size_t L)
{
	double m = 0;
	int constant = 1;
	for (size_t i = 0; i < L; i++) {
		m += x[i];
		if (x[i] != x[0])
			constant = 0;
	}
	m /= (double)L;
	for (size_t i = 0; i < L; i++) {
		w->v[i] = x[i] - m;
		w->vi[i] = (struct vi){ w->v[i], i };
	}
	qsort(w->vi, L, sizeof *w->vi, by_value);
	for (size_t r = 0; r < L; r++)
		w->rk[w->vi[r].i] = (uint32_t)r;
	return constant;
}

/* sum |z - y| over the tot_c values y in the Fenwick tree (sum tot_s),
 * for a value z of rank r: those of lower rank are <= z, the others >= z. */
static double fen_gain(const struct ws *w, size_t r, double z, double tot_s, size_t tot_c)
{
	size_t lc = 0;
	double ls = 0;
	for (size_t p = r; p > 0; p -= p & (0 - p)) {
		lc += w->fc[p];
		ls += w->fs[p];
	}
	return ((double)lc * z - ls) + ((tot_s - ls) - (double)(tot_c - lc) * z);
}

static void fen_add(struct ws *w, size_t L, size_t r, double z)
{
	for (size_t p = r + 1; p <= L; p += p & (0 - p)) {
		w->fc[p]++;
		w->fs[p] += z;
	}
}

/* Q(tau) of the segment in w (its current order) for every allowed tau
 * into q (when not NULL); returns the maximal Q (-INFINITY when no tau is
 * allowed) and its first tau in *best. */
static double scan(struct ws *w, size_t L, size_t minseg, double *q, size_t *best)
{
	double tot_s = 0;
	memset(w->fc, 0, (L + 1) * sizeof *w->fc);
	memset(w->fs, 0, (L + 1) * sizeof *w->fs);
	w->wx[0] = 0;
	for (size_t k = 0; k < L; k++) {
		double z = w->v[k];
		w->wx[k + 1] = w->wx[k] + fen_gain(w, w->rk[k], z, tot_s, k);
		fen_add(w, L, w->rk[k], z);
		tot_s += z;
	}
	tot_s = 0;
	memset(w->fc, 0, (L + 1) * sizeof *w->fc);
	memset(w->fs, 0, (L + 1) * sizeof *w->fs);
	w->wy[L] = 0;
	for (size_t k = L; k-- > 0;) {
		double z = w->v[k];
		w->wy[k] = w->wy[k + 1] + fen_gain(w, w->rk[k], z, tot_s, L - 1 - k);
		fen_add(w, L, w->rk[k], z);
		tot_s += z;
	}
	double total = w->wx[L], bq = -INFINITY;
	*best = 0;
	for (size_t tau = minseg; tau + minseg <= L; tau++) {
		double n = (double)tau, m = (double)(L - tau);
		double between = total - w->wx[tau] - w->wy[tau];
		double e = 2 * between / (n * m) - w->wx[tau] / (n * (n - 1) / 2)
		           - w->wy[tau] / (m * (m - 1) / 2);
		double qq = n * m / (n + m) * e;
		if (q)
			q[tau] = qq;
		if (qq > bq) {
			bq = qq;
			*best = tau;
		}
	}
	return bq;
}

static enum pk_status check_input(const double *x, size_t n, size_t minseg)
{
	if (minseg < 2 || (n && !x) || n > UINT32_MAX)
		return PK_ERR_INPUT;
	for (size_t i = 0; i < n; i++)
		if (!isfinite(x[i]))
			return PK_ERR_INPUT;
	return PK_OK;
}

enum pk_status pk_edivisive_q(const double *x, size_t n, size_t min_segment,
                              double *q, size_t *best)
{
	enum pk_status rc = check_input(x, n, min_segment);
	*best = 0;
	if (rc != PK_OK)
		return rc;
	for (size_t i = 0; i <= n; i++)
		q[i] = NAN;
	if (n < 2 * min_segment)
		return PK_OK;
	struct ws w;
	if (ws_init(&w, n) != PK_OK)
		return PK_ERR_NOMEM;
	load(&w, x, n);
	scan(&w, n, min_segment, q, best);
	ws_free(&w);
	return PK_OK;
}

static int by_index(const void *a, const void *b)
{
	size_t i = ((const struct pk_change_point *)a)->index;
	size_t j = ((const struct pk_change_point *)b)->index;
	return (i > j) - (i < j);
}

static double mean_of(const double *x, size_t from, size_t to)
{
	double s = 0;
	for (size_t i = from; i < to; i++)
		s += x[i];
	return s / (double)(to - from);
}

/* Tests the best split of x[s..e); *tau > 0 and *q, *p set when it is
 * significant, else *tau = 0. */
static void test_segment(struct ws *w, const double *x, size_t s, size_t e,
                         size_t minseg, unsigned R, double thr, uint64_t *rng,
                         size_t *tau, double *q, double *p)
{
	size_t L = e - s, t, tp;
	*tau = 0;
	if (L < 2 * minseg || load(w, x + s, L))
		return;
	double qobs = scan(w, L, minseg, NULL, &t);
	if (!isfinite(qobs))
		return;
	unsigned over = 0;
	for (unsigned r = 0; r < R; r++) {
		shuffle(w, L, rng);
		if (scan(w, L, minseg, NULL, &tp) >= qobs)
			over++;
		if ((double)(over + 1) / ((double)R + 1) > thr)
			return; /* cannot become significant any more */
	}
	*tau = t;
	*q = qobs;
	*p = (double)(over + 1) / ((double)R + 1);
}

enum pk_status pk_edivisive(const double *x, size_t n, const struct pk_cp_options *o,
                            struct pk_cp_result *out)
{
	*out = (struct pk_cp_result){ 0 };
	size_t minseg = o && o->min_segment ? o->min_segment : PK_CP_MIN_SEGMENT;
	unsigned R = o && o->permutations ? o->permutations : PK_CP_PERMUTATIONS;
	double thr = o && o->p_threshold > 0 ? o->p_threshold : PK_CP_P_THRESHOLD;
	uint64_t rng = o ? o->seed : 0;
	enum pk_status rc = check_input(x, n, minseg);
	if (rc != PK_OK || n < 2 * minseg)
		return rc;

	struct ws w;
	/* segments still to test, as [from, to) pairs; at most n / minseg */
	size_t *stack = malloc(2 * (n / minseg + 2) * sizeof *stack), top = 0, cap = 0;
	if (!stack || ws_init(&w, n) != PK_OK) {
		free(stack);
		return PK_ERR_NOMEM;
	}
	stack[top++] = 0;
	stack[top++] = n;
	while (top && rc == PK_OK) {
		size_t e = stack[--top], s = stack[--top], tau;
		double q = NAN, p = NAN;
		test_segment(&w, x, s, e, minseg, R, thr, &rng, &tau, &q, &p);
		if (!tau)
			continue;
		if (out->n == cap) {
			cap = cap ? 2 * cap : 8;
			struct pk_change_point *c = realloc(out->cp, cap * sizeof *c);
			if (!c) {
				rc = PK_ERR_NOMEM;
				break;
			}
			out->cp = c;
		}
		out->cp[out->n++] = (struct pk_change_point){ s + tau, q, p, NAN, NAN };
		/* the right half below the left, so that the left is tested first */
		stack[top++] = s + tau;
		stack[top++] = e;
		stack[top++] = s;
		stack[top++] = s + tau;
	}
	free(stack);
	ws_free(&w);
	if (rc != PK_OK) {
		pk_cp_result_free(out);
		return rc;
	}
	if (out->n)
		qsort(out->cp, out->n, sizeof *out->cp, by_index);
	for (size_t i = 0; i < out->n; i++) {
		size_t from = i ? out->cp[i - 1].index : 0;
		size_t to = i + 1 < out->n ? out->cp[i + 1].index : n;
		out->cp[i].before_mean = mean_of(x, from, out->cp[i].index);
		out->cp[i].after_mean = mean_of(x, out->cp[i].index, to);
	}
	return PK_OK;
}

void pk_cp_result_free(struct pk_cp_result *r)
{
	free(r->cp);
	*r = (struct pk_cp_result){ 0 };
}
