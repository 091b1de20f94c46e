/* regress.c - benchmark regressions (regress.h): latest run against a
 * baseline with Mann-Whitney and Hodges-Lehmann, change points by
 * E-divisive means. */
#include "regress.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "compare.h"
#include "stats.h"

const char *pk_regress_verdict_str(enum pk_regress_verdict v)
{
	switch (v) {
	case PK_RV_NO_CHANGE: return "no significant change";
	case PK_RV_REGRESSION: return "regression";
	case PK_RV_IMPROVEMENT: return "improvement";
	case PK_RV_HIGHER: return "higher";
	case PK_RV_LOWER: return "lower";
	case PK_RV_UNDEFINED: break;
	}
	return "undefined";
}

const char *pk_bench_direction_str(enum pk_bench_direction d)
{
	return d == PK_BENCH_LOWER ? "lower" : d == PK_BENCH_HIGHER ? "higher" : NULL;
}

/* The order-preserving map of a double's bits (-0 before +0). */
static uint64_t key_of(double d)
{
	uint64_t u;
	memcpy(&u, &d, sizeof u);
	return (u >> 63) ? ~u : u | (UINT64_C(1) << 63);
}

static double value_of(uint64_t k)
{
	uint64_t u = (k >> 63) ? k & ~(UINT64_C(1) << 63) : ~k;
	double d;
	memcpy(&d, &u, sizeof d);
	return d;
}

/* #{(i, j): x_i - y_j <= t}: for ascending x and y the j that qualify for
 * x_i are a suffix of y, and the suffix only shrinks as i grows. */
static uint64_t count_le(const double *x, size_t n, const double *y, size_t m, double t)
{
	uint64_t c = 0;
	size_t p = 0;
	for (size_t i = 0; i < n; i++) {
		while (p < m && !(x[i] - y[p] <= t))
			p++;
		c += m - p;
	}
	return c;
}

double pk_pairdiff_kth(const double *x, size_t n, const double *y, size_t m, uint64_t k)
{
	if (n == 0 || m == 0 || k < 1 || k > (uint64_t)n * (uint64_t)m)
		return NAN;
	/* the smallest double t with count_le(t) >= k is the k-th difference */
	uint64_t lo = key_of(x[0] - y[m - 1]), hi = key_of(x[n - 1] - y[0]);
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (count_le(x, n, y, m, value_of(mid)) >= k)
			hi = mid;
		else
			lo = mid + 1;
	}
	return value_of(lo) + 0.0; /* -0 -> +0 */
}

void pk_hodges_lehmann(const double *x, size_t n, const double *y, size_t m,
                       double *shift, double *lo, double *hi)
{
	*shift = *lo = *hi = NAN;
	if (n == 0 || m == 0)
		return;
	uint64_t nm = (uint64_t)n * (uint64_t)m;
	if (nm % 2)
		*shift = pk_pairdiff_kth(x, n, y, m, nm / 2 + 1);
	else
		*shift = (pk_pairdiff_kth(x, n, y, m, nm / 2) +
		          pk_pairdiff_kth(x, n, y, m, nm / 2 + 1)) / 2;
	double dn = (double)n, dm = (double)m;
	double z = gsl_cdf_ugaussian_Pinv(0.975);
	double c = floor(dn * dm / 2 - z * sqrt(dn * dm * (dn + dm + 1) / 12) + 0.5);
	if (!(c >= 1))
		return;
	*lo = pk_pairdiff_kth(x, n, y, m, (uint64_t)c);
	*hi = pk_pairdiff_kth(x, n, y, m, nm + 1 - (uint64_t)c);
}

enum pk_regress_verdict pk_regress_verdict_of(enum pk_bench_direction d, double p,
                                              double shift, double ratio,
                                              double threshold)
{
	if (isnan(p) || isnan(shift))
		return PK_RV_UNDEFINED;
	if (p >= PK_ALPHA || shift == 0)
		return PK_RV_NO_CHANGE;
	if (!isnan(threshold)) {
		if (isnan(ratio))
			return PK_RV_UNDEFINED;
		if (fabs(ratio - 1) < threshold)
			return PK_RV_NO_CHANGE;
	}
	if (d == PK_BENCH_LOWER)
		return shift > 0 ? PK_RV_REGRESSION : PK_RV_IMPROVEMENT;
	if (d == PK_BENCH_HIGHER)
		return shift > 0 ? PK_RV_IMPROVEMENT : PK_RV_REGRESSION;
	return shift > 0 ? PK_RV_HIGHER : PK_RV_LOWER;
}

static uint64_t fnv1a(uint64_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

static uint64_t series_seed(uint64_t seed, const struct pk_bench_series *b)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	h = fnv1a(h, b->suite, b->suite_len);
	h = fnv1a(h, "", 1);
	h = fnv1a(h, b->host, b->host_len);
	h = fnv1a(h, "", 1);
	h = fnv1a(h, b->name, b->name_len);
	return seed ^ h;
}

/* Scratch room shared by the series of one analysis. */
struct scratch {
	double *t_mean;               /* run means, the series */
	size_t *run_of;               /* index in b->runs of each */
	size_t cap;
	double *xv, *yv;              /* latest / baseline values */
	size_t xn, xcap, yn, ycap;
};

static enum pk_status take_strings(struct pk_regress_series *r, const struct pk_bench_series *b)
{
	r->suite = malloc(b->suite_len + 1);
	r->host = malloc(b->host_len + 1);
	r->name = malloc(b->name_len + 1);
	r->unit = b->unit ? strdup(b->unit) : NULL;
	if (!r->suite || !r->host || !r->name || (b->unit && !r->unit))
		return PK_ERR_NOMEM;
	memcpy(r->suite, b->suite, b->suite_len + 1);
	memcpy(r->host, b->host, b->host_len + 1);
	memcpy(r->name, b->name, b->name_len + 1);
	r->suite_len = b->suite_len;
	r->host_len = b->host_len;
	r->name_len = b->name_len;
	return PK_OK;
}

/* The latest run's values (sorted) into sc->xv, and its median. */
static enum pk_status latest_values(struct pk_bench_values_q *vq, const struct pk_bench_series *b,
                                    struct scratch *sc, size_t N, struct pk_regress_series *r)
{
	sc->xn = 0;
	enum pk_status rc = pk_bench_values_get(vq, b, b->runs[sc->run_of[N - 1]].run_us,
	                                        &sc->xv, &sc->xn, &sc->xcap);
	if (rc != PK_OK)
		return rc;
	if (pk_sort_doubles(sc->xv, sc->xn) != 0)
		return PK_ERR_NOMEM;
	r->latest_values = sc->xn;
	r->latest_median = pk_quantile_sorted(sc->xv, sc->xn, 0.5);
	return PK_OK;
}

/* Latest (values in sc->xv) against baseline: runs [b0, b1] of the series
 * (indexes into sc->t_mean). */
static enum pk_status compare_latest(struct pk_bench_values_q *vq, const struct pk_bench_series *b,
                                     const struct pk_regress_options *o, struct scratch *sc,
                                     size_t b0, size_t b1, struct pk_regress_series *r)
{
	enum pk_status rc = PK_OK;
	const struct pk_bench_run *runs = b->runs;
	r->baseline_nruns = b1 - b0 + 1;
	r->baseline_from_us = runs[sc->run_of[b0]].run_us;
	r->baseline_to_us = runs[sc->run_of[b1]].run_us;
	double s = 0;
	for (size_t i = b0; i <= b1; i++)
		s += sc->t_mean[i];
	r->baseline_mean = s / (double)r->baseline_nruns;
	r->diff = r->latest_mean - r->baseline_mean;
	r->ratio = r->baseline_mean != 0 ? r->latest_mean / r->baseline_mean : NAN;

	sc->yn = 0;
	for (size_t i = b0; i <= b1 && rc == PK_OK; i++)
		rc = pk_bench_values_get(vq, b, runs[sc->run_of[i]].run_us, &sc->yv, &sc->yn, &sc->ycap);
	if (rc != PK_OK)
		return rc;
	if (pk_sort_doubles(sc->yv, sc->yn) != 0)
		return PK_ERR_NOMEM;
	r->baseline_values = sc->yn;
	r->baseline_median = pk_quantile_sorted(sc->yv, sc->yn, 0.5);
	r->mannwhitney_p = pk_mannwhitney_p(sc->xv, sc->xn, sc->yv, sc->yn);
	pk_hodges_lehmann(sc->xv, sc->xn, sc->yv, sc->yn, &r->hl_shift, &r->hl_lo, &r->hl_hi);
	r->verdict = pk_regress_verdict_of(b->direction, r->mannwhitney_p, r->hl_shift,
	                                   r->ratio, o->threshold);
	return PK_OK;
}

static enum pk_status one_series(struct pk_bench_values_q *vq, const struct pk_bench_series *b,
                                 const struct pk_regress_options *o, struct scratch *sc,
                                 struct pk_regress_series *r)
{
	*r = (struct pk_regress_series){ 0 };
	r->latest_mean = r->latest_median = r->baseline_mean = r->baseline_median = NAN;
	r->diff = r->ratio = r->mannwhitney_p = r->hl_shift = r->hl_lo = r->hl_hi = NAN;
	r->direction = b->direction;
	enum pk_status rc = take_strings(r, b);
	if (rc != PK_OK)
		return rc;
	if (b->nruns > sc->cap) {
		double *t = realloc(sc->t_mean, b->nruns * sizeof *t);
		if (t)
			sc->t_mean = t;
		size_t *ro = realloc(sc->run_of, b->nruns * sizeof *ro);
		if (ro)
			sc->run_of = ro;
		if (!t || !ro)
			return PK_ERR_NOMEM;
		sc->cap = b->nruns;
	}
	size_t N = 0;
	for (size_t i = 0; i < b->nruns; i++) {
		if (isnan(b->runs[i].mean))
			continue;
		sc->t_mean[N] = b->runs[i].mean;
		sc->run_of[N++] = i;
	}
	r->runs = N;
	r->runs_without_mean = b->nruns - N;
	if (N == 0)
		return PK_OK;
	r->first_us = b->runs[sc->run_of[0]].run_us;
	r->last_us = b->runs[sc->run_of[N - 1]].run_us;
	r->latest_mean = sc->t_mean[N - 1];

	/* the baseline runs [b0, b1] */
	size_t b0 = 0, b1 = 0;
	int have = 0;
	if (o->baseline_us == INT64_MIN) {
		if (N >= 2) {
			b1 = N - 2;
			b0 = N - 1 > o->baseline_runs ? N - 1 - o->baseline_runs : 0;
			have = 1;
		}
	} else {
		for (size_t i = N - 1; i-- > 0;)
			if (b->runs[sc->run_of[i]].run_us <= o->baseline_us) {
				b0 = b1 = i;
				have = 1;
				break;
			}
	}
	if ((rc = latest_values(vq, b, sc, N, r)) != PK_OK)
		return rc;
	if (have && (rc = compare_latest(vq, b, o, sc, b0, b1, r)) != PK_OK)
		return rc;

	struct pk_cp_options cpo = o->cp;
	struct pk_cp_result cr;
	cpo.seed = series_seed(o->cp.seed, b);
	rc = pk_edivisive(sc->t_mean, N, &cpo, &cr);
	if (rc != PK_OK)
		return rc;
	if (cr.n) {
		r->cp = malloc(cr.n * sizeof *r->cp);
		if (!r->cp) {
			pk_cp_result_free(&cr);
			return PK_ERR_NOMEM;
		}
	}
	for (size_t i = 0; i < cr.n; i++) {
		const struct pk_change_point *c = &cr.cp[i];
		r->cp[i] = (struct pk_regress_cp){ c->index, b->runs[sc->run_of[c->index]].run_us,
		                                   c->before_mean, c->after_mean, c->statistic, c->p };
	}
	r->ncp = cr.n;
	pk_cp_result_free(&cr);
	return PK_OK;
}

enum pk_status pk_regress_db(struct pk_db *db, const char *suite, const char *host,
                             int64_t until_us, const struct pk_regress_options *o,
                             struct pk_regress *out)
{
	*out = (struct pk_regress){ 0 };
	out->opt = *o;
	if (!out->opt.baseline_runs)
		out->opt.baseline_runs = PK_REGRESS_BASELINE_RUNS;
	if (!out->opt.cp.min_segment)
		out->opt.cp.min_segment = PK_CP_MIN_SEGMENT;
	if (!out->opt.cp.permutations)
		out->opt.cp.permutations = PK_CP_PERMUTATIONS;
	if (!(out->opt.cp.p_threshold > 0))
		out->opt.cp.p_threshold = PK_CP_P_THRESHOLD;

	struct pk_bench_series_list l;
	enum pk_status rc = pk_query_bench_series(db, suite, host, until_us, &l);
	if (rc == PK_OK && l.n == 0)
		rc = PK_NODATA;
	struct pk_bench_values_q *vq = NULL;
	if (rc == PK_OK)
		rc = pk_bench_values_open(db, &vq);
	if (rc == PK_OK && !(out->s = calloc(l.n, sizeof *out->s)))
		rc = PK_ERR_NOMEM;
	struct scratch sc = { 0 };
	for (size_t i = 0; i < l.n && rc == PK_OK; i++) {
		rc = one_series(vq, &l.s[i], &out->opt, &sc, &out->s[i]);
		out->n = i + 1; /* freed with the rest, also when incomplete */
	}
	free(sc.t_mean);
	free(sc.run_of);
	free(sc.xv);
	free(sc.yv);
	pk_bench_values_close(&vq);
	pk_bench_series_list_free(&l);
	if (rc != PK_OK)
		pk_regress_free(out);
	return rc;
}

void pk_regress_free(struct pk_regress *r)
{
	for (size_t i = 0; i < r->n; i++) {
		struct pk_regress_series *s = &r->s[i];
		free(s->suite);
		free(s->host);
		free(s->name);
		free(s->unit);
		free(s->cp);
	}
	free(r->s);
	r->s = NULL;
	r->n = 0;
}
