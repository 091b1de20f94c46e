/* regress.c - benchmark regressions (regress.h): change points and
 * outliers of each series (changepoint.h), then the latest run against a
 * baseline chosen with them, by Mann-Whitney and Hodges-Lehmann. */
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

const char *pk_latest_status_str(enum pk_latest_status s)
{
	return s == PK_LATEST_NEW_LEVEL ? "new level" : s == PK_LATEST_OUT_OF_LINE ? "out of line"
	                                : "in line";
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

/* Scratch room shared by the series of one analysis. */
struct scratch {
	double *t_mean;               /* run means, the series */
	size_t *run_of;               /* index in b->runs of each */
	size_t *base;                 /* the baseline's indexes into t_mean */
	unsigned char *is_out;        /* outlier flags */
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
	enum pk_status rc = pk_bench_values_get(vq, b, &b->runs[sc->run_of[N - 1]],
	                                        &sc->xv, &sc->xn, &sc->xcap);
	if (rc != PK_OK)
		return rc;
	if (pk_sort_doubles(sc->xv, sc->xn) != 0)
		return PK_ERR_NOMEM;
	r->latest_values = sc->xn;
	r->latest_median = pk_quantile_sorted(sc->xv, sc->xn, 0.5);
	return PK_OK;
}

/* Latest (values in sc->xv) against the baseline runs sc->base[0..nb)
 * (indexes into sc->t_mean, ascending). */
static enum pk_status compare_latest(struct pk_bench_values_q *vq, const struct pk_bench_series *b,
                                     const struct pk_regress_options *o, struct scratch *sc,
                                     size_t nb, struct pk_regress_series *r)
{
	enum pk_status rc = PK_OK;
	const struct pk_bench_run *runs = b->runs;
	r->baseline_nruns = nb;
	r->baseline_from_us = runs[sc->run_of[sc->base[0]]].run_us;
	r->baseline_to_us = runs[sc->run_of[sc->base[nb - 1]]].run_us;
	double s = 0;
	for (size_t i = 0; i < nb; i++)
		s += sc->t_mean[sc->base[i]];
	r->baseline_mean = s / (double)nb;
	r->diff = r->latest_mean - r->baseline_mean;
	r->ratio = r->baseline_mean != 0 ? r->latest_mean / r->baseline_mean : NAN;

	sc->yn = 0;
	for (size_t i = 0; i < nb && rc == PK_OK; i++)
		rc = pk_bench_values_get(vq, b, &runs[sc->run_of[sc->base[i]]], &sc->yv, &sc->yn,
		                         &sc->ycap);
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

/* The verdict of a level change of sign `jump` for direction d. */
static enum pk_regress_verdict jump_verdict(enum pk_bench_direction d, double jump)
{
	if (!(jump != 0))
		return PK_RV_UNDEFINED;
	if (d == PK_BENCH_LOWER)
		return jump > 0 ? PK_RV_REGRESSION : PK_RV_IMPROVEMENT;
	if (d == PK_BENCH_HIGHER)
		return jump > 0 ? PK_RV_IMPROVEMENT : PK_RV_REGRESSION;
	return jump > 0 ? PK_RV_HIGHER : PK_RV_LOWER;
}

/* Change points and outliers of the N run means into r (and sc->is_out). */
static enum pk_status find_changes(struct pk_bench_values_q *vq, const struct pk_bench_series *b,
                                   const struct pk_regress_options *o, struct scratch *sc,
                                   size_t N, struct pk_regress_series *r)
{
	struct pk_cp_result cr;
	enum pk_status rc = pk_changepoints(sc->t_mean, N, &o->cp, &cr);
	if (rc != PK_OK)
		return rc;
	r->min_segment = cr.min_segment;
	r->noise_sd = cr.sigma;
	r->noise_phi = cr.phi;
	r->slope = cr.slope;
	r->wandering = cr.wandering;
	if ((cr.n && !(r->cp = malloc(cr.n * sizeof *r->cp))) ||
	    (cr.noutliers && !(r->outliers = malloc(cr.noutliers * sizeof *r->outliers)))) {
		pk_cp_result_free(&cr);
		return PK_ERR_NOMEM;
	}
	for (size_t i = 0; i < cr.n; i++) {
		const struct pk_change_point *c = &cr.cp[i];
		int64_t t = b->runs[sc->run_of[c->index]].run_us;
		r->cp[i] = (struct pk_regress_cp){ c->index, t, c->before_mean, c->after_mean,
		                                   c->statistic, c->p, c->jump, c->size_sd,
		                                   jump_verdict(b->direction, c->jump), NULL, 0 };
		r->ncp = i + 1; /* freed with the rest, also when incomplete */
		if ((rc = pk_bench_run_revision(vq, b, &b->runs[sc->run_of[c->index]],
		                                &r->cp[i].revision, &r->cp[i].revision_len)) != PK_OK) {
			pk_cp_result_free(&cr);
			return rc;
		}
	}
	memset(sc->is_out, 0, N);
	for (size_t i = 0; i < cr.noutliers; i++) {
		size_t k = cr.outlier[i];
		sc->is_out[k] = 1;
		r->outliers[i] = (struct pk_regress_outlier){ k, b->runs[sc->run_of[k]].run_us,
		                                              sc->t_mean[k] };
	}
	r->noutliers = cr.noutliers;
	if (cr.last_out_of_line)
		r->latest_status = PK_LATEST_OUT_OF_LINE;
	pk_cp_result_free(&cr);
	return PK_OK;
}

/* The default baseline into sc->base: the last W runs before `end`
 * (exclusive) that are not outliers; returns how many. */
static size_t runs_before(struct scratch *sc, size_t end, size_t W)
{
	size_t nb = 0;
	for (size_t i = end; i-- > 0 && nb < W;)
		if (!sc->is_out[i])
			sc->base[nb++] = i;
	for (size_t i = 0; i < nb / 2; i++) {
		size_t t = sc->base[i];
		sc->base[i] = sc->base[nb - 1 - i];
		sc->base[nb - 1 - i] = t;
	}
	return nb;
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
		size_t *bs = realloc(sc->base, b->nruns * sizeof *bs);
		if (bs)
			sc->base = bs;
		unsigned char *io = realloc(sc->is_out, b->nruns);
		if (io)
			sc->is_out = io;
		if (!t || !ro || !bs || !io)
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

	if ((rc = find_changes(vq, b, o, sc, N, r)) != PK_OK)
		return rc;

	/* the baseline runs */
	size_t nb = 0;
	if (o->baseline_us == INT64_MIN) {
		size_t W = o->baseline_runs, end = N - 1;
		if (r->ncp && r->cp[r->ncp - 1].index + W > N - 1) {
			end = r->cp[r->ncp - 1].index; /* the runs before a recent change */
			r->before_change = 1;
			if (r->latest_status == PK_LATEST_IN_LINE)
				r->latest_status = PK_LATEST_NEW_LEVEL;
		}
		nb = runs_before(sc, end, W);
	} else {
		for (size_t i = N - 1; i-- > 0;)
			if (b->runs[sc->run_of[i]].run_us <= o->baseline_us) {
				sc->base[nb++] = i;
				break;
			}
	}
	if ((rc = latest_values(vq, b, sc, N, r)) != PK_OK)
		return rc;
	if (nb && (rc = compare_latest(vq, b, o, sc, nb, r)) != PK_OK)
		return rc;
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
	if (!(out->opt.cp.alpha > 0))
		out->opt.cp.alpha = PK_CP_ALPHA;

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
	free(sc.base);
	free(sc.is_out);
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
		for (size_t k = 0; k < s->ncp; k++)
			free(s->cp[k].revision);
		free(s->cp);
		free(s->outliers);
	}
	free(r->s);
	r->s = NULL;
	r->n = 0;
}
