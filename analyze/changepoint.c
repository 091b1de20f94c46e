/* changepoint.c - level change points (changepoint.h): robust noise scale
 * and AR(1) correlation from differences, outliers, PELT under a common
 * trend with a long-run-variance penalty, per-change p-values, and the
 * random-walk case. */
#include "changepoint.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#define TRIM 0.2          /* share of the largest |d - median| left out */
#define PHI_MAX 0.99
#define PHI_DIFF_SE 3.5  /* sd of phi_diff times sqrt(n), by simulation */
#define DF_CRIT -21.8    /* Dickey-Fuller 5 % n (rho - 1), constant and trend */
#define ROUNDS 8

size_t pk_cp_default_min_segment(size_t n)
{
	size_t h = (size_t)floor(sqrt((double)n) / 3);
	return h < 3 ? 3 : h;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median_sorted(const double *d, size_t n)
{
	return n % 2 ? d[n / 2] : (d[n / 2 - 1] + d[n / 2]) / 2;
}

/* S(d): the trimmed mean of |d - median(d)|, reordering d; the median
 * into *median when not NULL. */
static double trimmed_abs_dev(double *d, size_t n, double *median)
{
	if (n == 0)
		return 0;
	qsort(d, n, sizeof *d, cmp_double);
	double med = median_sorted(d, n);
	if (median)
		*median = med;
	for (size_t i = 0; i < n; i++)
		d[i] = fabs(d[i] - med);
	qsort(d, n, sizeof *d, cmp_double);
	size_t k = (size_t)ceil((1 - TRIM) * (double)n);
	if (k < 1)
		k = 1;
	double s = 0;
	for (size_t i = 0; i < k; i++)
		s += d[i];
	return s / (double)k;
}

/* S / sd of a Gaussian. */
static double gauss_trim_const(void)
{
	double q = gsl_cdf_ugaussian_Pinv(1 - TRIM / 2);
	return 2 * (gsl_ran_ugaussian_pdf(0) - gsl_ran_ugaussian_pdf(q)) / (1 - TRIM);
}

double pk_cp_robust_sd(double *d, size_t n)
{
	return trimmed_abs_dev(d, n, NULL) / gauss_trim_const();
}

double pk_cp_max_z_tail(double b, size_t h, size_t L)
{
	b = fabs(b);
	double single = 2 * gsl_cdf_ugaussian_Q(b);
	if (h == 0 || L < 2 * h + 1)
		return fmin(1, single);
	double t0 = (double)h / (double)L, t1 = 1 - t0;
	double dens = gsl_ran_ugaussian_pdf(b);
	double p = b * dens * log(t1 * (1 - t0) / (t0 * (1 - t1))) + 4 * dens / b;
	return fmin(1, fmax(p, single));
}

/* b with pk_cp_max_z_tail(b, h, L) = alpha, by bisection. */
static double threshold_b(size_t h, size_t L, double alpha)
{
	double lo = 0.5, hi = 40;
	for (int i = 0; i < 100; i++) {
		double mid = (lo + hi) / 2;
		if (pk_cp_max_z_tail(mid, h, L) > alpha)
			lo = mid;
		else
			hi = mid;
	}
	return hi;
}

enum pk_status pk_cp_partition(const double *z, size_t n, size_t h, double beta,
                               size_t *cps, size_t *ncp, double *cost)
{
	*ncp = 0;
	*cost = 0;
	if (h < 1 || n < h)
		return PK_ERR_INPUT;
	/* F[s] + C(s, t) = G[s] + s2[t] - (s1[t] - s1[s])^2 / (t - s), G = F - s2 */
	double *s1 = malloc((n + 1) * sizeof *s1), *s2 = malloc((n + 1) * sizeof *s2);
	double *G = malloc((n + 1) * sizeof *G), *inv = malloc((n + 1) * sizeof *inv);
	double *val = malloc((n + 1) * sizeof *val);
	size_t *last = malloc((n + 1) * sizeof *last);
	size_t *cand = malloc((n + 1) * sizeof *cand), *kill = malloc((n + 1) * sizeof *kill);
	if (!s1 || !s2 || !G || !inv || !val || !last || !cand || !kill) {
		free(s1); free(s2); free(G); free(inv); free(val); free(last); free(cand); free(kill);
		return PK_ERR_NOMEM;
	}
	double m = 0;
	for (size_t i = 0; i < n; i++)
		m += z[i];
	m /= (double)n;
	s1[0] = s2[0] = 0;
	inv[0] = 0;
	for (size_t i = 0; i < n; i++) {
		double v = z[i] - m; /* centred: the sums stay small */
		s1[i + 1] = s1[i] + v;
		s2[i + 1] = s2[i] + v * v;
		inv[i + 1] = 1 / (double)(i + 1);
	}
	size_t nc = 0;
	G[0] = -beta;
	last[0] = 0;
	double Ft = 0;
	for (size_t t = h; t <= n; t++) {
		if (t == h)
			cand[nc] = 0, kill[nc++] = SIZE_MAX;
		else if (t - h >= h)
			cand[nc] = t - h, kill[nc++] = SIZE_MAX;
		double best = INFINITY, st = s1[t];
		size_t arg = 0, k = 0;
		for (size_t i = 0; i < nc; i++) {
			if (kill[i] <= t)
				continue; /* pruned: a later start does better from here on */
			size_t s = cand[i];
			double d = st - s1[s];
			double f = G[s] - d * d * inv[t - s];
			cand[k] = s;
			kill[k] = kill[i];
			val[k++] = f;
			if (f < best) {
				best = f;
				arg = s;
			}
		}
		nc = k;
		Ft = best + s2[t] + beta;
		G[t] = Ft - s2[t];
		last[t] = arg;
		/* PELT: a start s with F[s] + C(s, t) > F[t] never beats t as the
		 * start of a segment ending at u >= t + h (C(s, u) >= C(s, t) +
		 * C(t, u)); before t + h, t is not yet a possible start.  Costs are
		 * clamped at 0 nowhere here: C is a sum of squares up to rounding. */
		for (size_t i = 0; i < nc; i++)
			if (kill[i] == SIZE_MAX && val[i] + s2[t] > Ft)
				kill[i] = t + h;
	}
	*cost = Ft;
	size_t k = 0;
	for (size_t t = n; last[t] > 0; t = last[t])
		cps[k++] = last[t];
	for (size_t i = 0; i < k / 2; i++) {
		size_t tmp = cps[i];
		cps[i] = cps[k - 1 - i];
		cps[k - 1 - i] = tmp;
	}
	*ncp = k;
	free(s1); free(s2); free(G); free(inv); free(val); free(last); free(cand); free(kill);
	return PK_OK;
}

/* Working state of one series. */
struct fit {
	size_t n, h;
	double alpha, zout;
	double *y;        /* outliers replaced */
	double *z;        /* y - slope t */
	double *pz;       /* prefix sums of z, n + 1 */
	double *scratch;  /* n */
	size_t *cps, ncp; /* room for n */
	double sd_diff, phi_diff, phi, sigma, lrv, slope;
	double med_inc;   /* wandering: the median increment */
	double drift;     /* median first difference */
};

static double mean_range(const double *p, size_t a, size_t b)
{
	return (p[b] - p[a]) / (double)(b - a);
}

static void prefix(struct fit *f, const double *v)
{
	f->pz[0] = 0;
	for (size_t i = 0; i < f->n; i++)
		f->pz[i + 1] = f->pz[i] + v[i];
}

/* The least-squares slope of y with one intercept per segment. */
static double pooled_slope(const struct fit *f)
{
	double sxy = 0, sxx = 0;
	for (size_t k = 0; k <= f->ncp; k++) {
		size_t a = k ? f->cps[k - 1] : 0, b = k < f->ncp ? f->cps[k] : f->n;
		double tm = ((double)a + (double)b - 1) / 2, ym = 0;
		for (size_t t = a; t < b; t++)
			ym += f->y[t];
		ym /= (double)(b - a);
		for (size_t t = a; t < b; t++) {
			sxy += ((double)t - tm) * (f->y[t] - ym);
			sxx += ((double)t - tm) * ((double)t - tm);
		}
	}
	return sxx > 0 ? sxy / sxx : 0;
}

/* Lag-1 autocorrelation of the residuals of the fit (segment means of
 * y - slope t), pairs within a segment. */
static double residual_phi(struct fit *f)
{
	double *r = f->scratch, num = 0, den = 0, tot = 0;
	for (size_t i = 0; i < f->n; i++) {
		f->z[i] = f->y[i] - f->slope * (double)i;
		tot += f->z[i] * f->z[i];
	}
	prefix(f, f->z);
	for (size_t k = 0; k <= f->ncp; k++) {
		size_t a = k ? f->cps[k - 1] : 0, b = k < f->ncp ? f->cps[k] : f->n;
		double m = mean_range(f->pz, a, b);
		for (size_t t = a; t < b; t++) {
			r[t] = f->z[t] - m;
			den += r[t] * r[t];
			if (t > a)
				num += r[t] * r[t - 1];
		}
	}
	return den > 1e-20 * tot ? num / den : 0; /* else residuals are rounding */
}

static void set_noise(struct fit *f, double phi_res)
{
	double phi = fmax(f->phi_diff - PHI_DIFF_SE / sqrt((double)f->n), phi_res);
	f->phi = phi < 0 ? 0 : phi > PHI_MAX ? PHI_MAX : phi;
	f->sigma = f->sd_diff / sqrt(2 * (1 - f->phi));
	f->lrv = f->sigma * f->sigma * (1 + f->phi) / (1 - f->phi);
}

/* Z and p of change point k of f->cps over z (prefix sums in f->pz). */
static void test_cp(const struct fit *f, double lrv, size_t k, double *Z, double *p)
{
	size_t a = k ? f->cps[k - 1] : 0, c = k + 1 < f->ncp ? f->cps[k + 1] : f->n;
	size_t i = f->cps[k];
	double n1 = (double)(i - a), n2 = (double)(c - i);
	double d = mean_range(f->pz, i, c) - mean_range(f->pz, a, i);
	*Z = d / sqrt(lrv * (1 / n1 + 1 / n2));
	*p = pk_cp_max_z_tail(*Z, f->h, c - a);
}

/* Drops the change point of largest p while one has p > alpha. */
static void prune(struct fit *f, double lrv)
{
	for (;;) {
		size_t worst = SIZE_MAX;
		double wp = f->alpha, Z, p;
		for (size_t k = 0; k < f->ncp; k++) {
			test_cp(f, lrv, k, &Z, &p);
			if (p > wp) {
				wp = p;
				worst = k;
			}
		}
		if (worst == SIZE_MAX)
			return;
		memmove(f->cps + worst, f->cps + worst + 1, (f->ncp - worst - 1) * sizeof *f->cps);
		f->ncp--;
	}
}

/* PELT with the current slope and noise, then the prune. */
static enum pk_status segment(struct fit *f, double b, double floor_lrv)
{
	double lrv = fmax(f->lrv, floor_lrv), cost;
	for (size_t i = 0; i < f->n; i++)
		f->z[i] = f->y[i] - f->slope * (double)i;
	enum pk_status rc = pk_cp_partition(f->z, f->n, f->h, b * b * lrv, f->cps, &f->ncp, &cost);
	if (rc == PK_OK) {
		prefix(f, f->z);
		prune(f, lrv);
	}
	return rc;
}

/* The liberal fit, from f->cps found with slope 0 and phi 0 (a trend
 * then looks like a staircase and AR noise like steps: the fit may hold
 * spurious change points): the slope and phi are refitted from its
 * residuals and the change points pruned again until none goes; last,
 * one more segmentation. */
static enum pk_status liberal(struct fit *f, double b, double fl)
{
	for (int round = 0; round < ROUNDS; round++) {
		size_t before = f->ncp;
		f->slope = pooled_slope(f);
		set_noise(f, residual_phi(f)); /* leaves z and its sums for the slope */
		prune(f, fmax(f->lrv, fl));
		if (f->ncp == before)
			break;
	}
	return segment(f, b, fl);
}

/* The conservative fit: phi from the residuals of the fit without change
 * point (a missed step inflates it), refitted from the change points found
 * until they stop changing. */
static enum pk_status conservative(struct fit *f, double b, double fl, size_t *prev)
{
	size_t nprev = 0;
	f->ncp = 0;
	f->slope = pooled_slope(f);
	double phi_res = residual_phi(f);
	enum pk_status rc = PK_OK;
	for (int round = 0; round < ROUNDS && rc == PK_OK; round++) {
		set_noise(f, phi_res);
		rc = segment(f, b, fl);
		if (round > 0 && f->ncp == nprev && !memcmp(prev, f->cps, nprev * sizeof *prev))
			break;
		if (f->ncp == 0)
			break; /* the next round would fit the same slope and phi */
		memcpy(prev, f->cps, f->ncp * sizeof *prev);
		nprev = f->ncp;
		f->slope = pooled_slope(f);
		phi_res = residual_phi(f);
	}
	return rc;
}

/* n log(innovation variance) + ncp b^2 of the fit with f->cps: the
 * residuals of the segment means and common slope, an AR(1) fitted to them
 * by least squares (pairs within a segment), -2 log likelihood up to a
 * constant plus the penalty. */
static double criterion(struct fit *f, double b)
{
	f->slope = pooled_slope(f);
	residual_phi(f); /* residuals into f->scratch */
	const double *r = f->scratch;
	double sxy = 0, sxx = 0, ss = 0;
	size_t m = 0;
	for (size_t k = 0; k <= f->ncp; k++) {
		size_t a = k ? f->cps[k - 1] : 0, e = k < f->ncp ? f->cps[k] : f->n;
		for (size_t t = a + 1; t < e; t++) {
			sxy += r[t] * r[t - 1];
			sxx += r[t - 1] * r[t - 1];
		}
	}
	double phi = sxx > 0 ? sxy / sxx : 0;
	phi = phi < 0 ? 0 : phi > PHI_MAX ? PHI_MAX : phi;
	for (size_t k = 0; k <= f->ncp; k++) {
		size_t a = k ? f->cps[k - 1] : 0, e = k < f->ncp ? f->cps[k] : f->n;
		for (size_t t = a + 1; t < e; t++, m++)
			ss += (r[t] - phi * r[t - 1]) * (r[t] - phi * r[t - 1]);
	}
	double v = m ? ss / (double)m : 0;
	return (double)f->n * log(fmax(v, 1e-300)) + (double)f->ncp * b * b;
}

/* The stationary case: of the fit without change point, the liberal and
 * the conservative fit, the one of least criterion(); its change points
 * pruned once more with its phi.  When the first segmentation (slope 0,
 * phi 0) finds none, there is none. */
static enum pk_status stationary(struct fit *f)
{
	size_t n = f->n, *lib = malloc((n + 1) * sizeof *lib), *con = malloc((n + 1) * sizeof *con);
	size_t nlib = 0, ncon = 0;
	double b = threshold_b(f->h, n, f->alpha);
	double fl = 0;
	for (size_t i = 0; i < n; i++)
		fl = fmax(fl, fabs(f->y[i]));
	fl = 1e-24 * (1 + fl * fl);
	enum pk_status rc = lib && con ? PK_OK : PK_ERR_NOMEM;
	int none = 0;
	if (rc == PK_OK) {
		/* none with phi 0: none with any larger phi either (the number
		 * of change points does not grow with the penalty) */
		f->slope = 0;
		f->phi = 0;
		f->sigma = f->sd_diff / sqrt(2);
		f->lrv = f->sigma * f->sigma;
		rc = segment(f, b, fl);
		none = f->ncp == 0;
	}
	if (rc == PK_OK && none) {
		f->slope = pooled_slope(f); /* the no-change fit's */
		set_noise(f, residual_phi(f));
	} else if (rc == PK_OK && (rc = liberal(f, b, fl)) == PK_OK) {
		nlib = f->ncp;
		memcpy(lib, f->cps, nlib * sizeof *lib);
		rc = conservative(f, b, fl, con);
	}
	if (rc == PK_OK && !none) {
		ncon = f->ncp;
		memcpy(con, f->cps, ncon * sizeof *con);
		f->ncp = 0;
		double c0 = criterion(f, b);
		f->ncp = nlib;
		memcpy(f->cps, lib, nlib * sizeof *lib);
		double cl = criterion(f, b);
		f->ncp = ncon;
		memcpy(f->cps, con, ncon * sizeof *con);
		double cc = criterion(f, b);
		if (cl < cc) {
			f->ncp = nlib;
			memcpy(f->cps, lib, nlib * sizeof *lib);
		}
		if (c0 <= fmin(cl, cc))
			f->ncp = 0;
		f->slope = pooled_slope(f);
		set_noise(f, residual_phi(f));
		prune(f, fmax(f->lrv, fl));
	}
	free(lib);
	free(con);
	return rc;
}

static int by_abs_z_desc(const void *a, const void *b)
{
	const double *x = a, *y = b; /* pairs: |Z|, index */
	if (x[0] != y[0])
		return (x[0] < y[0]) - (x[0] > y[0]);
	return (x[1] > y[1]) - (x[1] < y[1]);
}

static int by_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return (x > y) - (x < y);
}

/* The random-walk case: jumps in the increments. */
static enum pk_status wandering(struct fit *f)
{
	size_t n = f->n;
	double *d = f->scratch, *pairs = malloc(2 * n * sizeof *pairs);
	if (!pairs)
		return PK_ERR_NOMEM;
	for (size_t i = 0; i + 1 < n; i++)
		d[i] = f->y[i + 1] - f->y[i];
	qsort(d, n - 1, sizeof *d, cmp_double);
	double med = median_sorted(d, n - 1), sd = f->sd_diff;
	f->med_inc = med;
	size_t np = 0;
	for (size_t t = f->h; t + f->h <= n; t++) {
		double u = (f->y[t] - f->y[t - 1] - med);
		if (fabs(u) > f->zout * sd) {
			pairs[2 * np] = fabs(u);
			pairs[2 * np++ + 1] = (double)t;
		}
	}
	qsort(pairs, np, 2 * sizeof *pairs, by_abs_z_desc);
	f->ncp = 0;
	for (size_t k = 0; k < np; k++) {
		size_t t = (size_t)pairs[2 * k + 1], j;
		for (j = 0; j < f->ncp; j++)
			if ((t > f->cps[j] ? t - f->cps[j] : f->cps[j] - t) < f->h)
				break;
		if (j == f->ncp)
			f->cps[f->ncp++] = t;
	}
	qsort(f->cps, f->ncp, sizeof *f->cps, by_size);
	free(pairs);
	f->phi = 1;
	f->sigma = sd;
	f->lrv = INFINITY;
	f->slope = 0;
	return PK_OK;
}

/* Outliers of x into out->outlier, y = x with them replaced. */
static enum pk_status outliers(struct fit *f, const double *x, struct pk_cp_result *out)
{
	size_t n = f->n;
	double thr = f->zout * f->sd_diff;
	memcpy(f->y, x, n * sizeof *x);
	for (size_t t = 0; t < n; t++) {
		size_t kl = t < 2 ? t : 2, kr = n - 1 - t < 2 ? n - 1 - t : 2;
		double l = 0, r = 0;
		for (size_t i = 1; i <= kl; i++)
			l += x[t - i];
		for (size_t i = 1; i <= kr; i++)
			r += x[t + i];
		/* deviations from the side means, net of the drift over the
		 * (kl + 1) / 2 and (kr + 1) / 2 runs between */
		double dl = kl ? x[t] - l / (double)kl - f->drift * (double)(kl + 1) / 2 : 0;
		double dr = kr ? x[t] - r / (double)kr + f->drift * (double)(kr + 1) / 2 : 0;
		if (t == n - 1) {
			/* left out of the fit too: a change needs h runs to show */
			out->last_out_of_line = kl > 0 && fabs(dl) > thr;
			if (out->last_out_of_line)
				f->y[t] = l / (double)kl + f->drift * (double)(kl + 1) / 2;
			break;
		}
		int is = t == 0 ? kr == 2 && fabs(dr) > thr
		                : fabs(dl) > thr && fabs(dr) > thr && (dl > 0) == (dr > 0);
		if (!is)
			continue;
		if (!out->outlier && !(out->outlier = malloc(n * sizeof *out->outlier)))
			return PK_ERR_NOMEM;
		out->outlier[out->noutliers++] = t;
		f->y[t] = t == 0 ? r / (double)kr - f->drift * (double)(kr + 1) / 2
		                 : (l / (double)kl + r / (double)kr) / 2 +
		                   f->drift * (double)((int)kl - (int)kr) / 4;
	}
	return PK_OK;
}

static void fill_result(struct fit *f, struct pk_cp_result *out, int wander)
{
	size_t n = f->n;
	double *py = f->scratch; /* prefix sums of y; z's stay in f->pz */
	py[0] = 0;
	for (size_t i = 0; i < n; i++) {
		py[i + 1] = py[i] + f->y[i];
		f->z[i] = f->y[i] - f->slope * (double)i;
	}
	prefix(f, f->z);
	double lrv = f->lrv;
	double b2n = 2 * (double)(n - 1);
	for (size_t k = 0; k < f->ncp; k++) {
		struct pk_change_point *c = &out->cp[k];
		size_t a = k ? f->cps[k - 1] : 0, e = k + 1 < f->ncp ? f->cps[k + 1] : n;
		size_t i = f->cps[k];
		c->index = i;
		c->before_mean = (py[i] - py[a]) / (double)(i - a);
		c->after_mean = (py[e] - py[i]) / (double)(e - i);
		if (wander) {
			/* the increment net of the median increment */
			c->jump = f->y[i] - f->y[i - 1] - f->med_inc;
			c->statistic = f->sigma > 0 ? c->jump / f->sigma : NAN;
			c->p = fmin(1, b2n * gsl_cdf_ugaussian_Q(fabs(c->statistic)));
		} else {
			c->jump = mean_range(f->pz, i, e) - mean_range(f->pz, a, i);
			test_cp(f, lrv, k, &c->statistic, &c->p);
			if (!(f->sigma > 0)) {
				c->statistic = NAN; /* no noise: Z undefined, the change certain */
				c->p = 0;
			}
		}
		c->size_sd = f->sigma > 0 ? c->jump / f->sigma : NAN;
	}
	out->n = f->ncp;
	out->sigma = f->sigma;
	out->phi = f->phi;
	out->lrv = f->lrv;
	out->slope = f->slope;
	out->wandering = wander;
}

static void fit_free(struct fit *f)
{
	free(f->y);
	free(f->z);
	free(f->pz);
	free(f->scratch);
	free(f->cps);
}

enum pk_status pk_changepoints(const double *x, size_t n, const struct pk_cp_options *o,
                               struct pk_cp_result *out)
{
	*out = (struct pk_cp_result){ 0 };
	size_t h = o && o->min_segment ? o->min_segment : pk_cp_default_min_segment(n);
	double alpha = o && o->alpha > 0 ? o->alpha : PK_CP_ALPHA;
	if (h < 2 || !(alpha < 1) || (n && !x))
		return PK_ERR_INPUT;
	for (size_t i = 0; i < n; i++)
		if (!isfinite(x[i]))
			return PK_ERR_INPUT;
	out->min_segment = h;
	out->alpha = alpha;
	out->sigma = out->phi = out->lrv = out->slope = NAN;
	if (n < 3)
		return PK_OK;

	struct fit f = { .n = n, .h = h, .alpha = alpha };
	f.zout = gsl_cdf_ugaussian_Qinv(alpha / (2 * (double)n));
	f.y = malloc(n * sizeof *f.y);
	f.z = malloc(n * sizeof *f.z);
	f.pz = malloc((n + 1) * sizeof *f.pz);
	f.scratch = malloc((n + 1) * sizeof *f.scratch);
	f.cps = malloc((n + 1) * sizeof *f.cps);
	enum pk_status rc = PK_ERR_NOMEM;
	if (!f.y || !f.z || !f.pz || !f.scratch || !f.cps)
		goto done;

	/* noise from the raw differences */
	for (size_t i = 0; i + 1 < n; i++)
		f.scratch[i] = x[i + 1] - x[i];
	double s1 = trimmed_abs_dev(f.scratch, n - 1, &f.drift);
	for (size_t i = 0; i + 2 < n; i++)
		f.scratch[i] = x[i + 2] - x[i];
	double s2 = trimmed_abs_dev(f.scratch, n - 2, NULL);
	f.sd_diff = s1 / gauss_trim_const();
	f.phi_diff = s1 > 0 ? s2 * s2 / (s1 * s1) - 1 : 0;
	f.phi_diff = f.phi_diff < 0 ? 0 : f.phi_diff > 1 ? 1 : f.phi_diff;

	if ((rc = outliers(&f, x, out)) != PK_OK)
		goto done;
	f.ncp = 0;
	f.slope = pooled_slope(&f);
	double phi_res0 = residual_phi(&f);
	int wander = f.phi_diff >= 0.5 && phi_res0 > fmax(0.9, 1 + DF_CRIT / (double)n);
	if (n < 2 * h) {
		set_noise(&f, phi_res0);
		rc = PK_OK;
	} else
		rc = wander ? wandering(&f) : stationary(&f);
	if (rc != PK_OK)
		goto done;
	if (f.ncp && !(out->cp = calloc(f.ncp, sizeof *out->cp))) {
		rc = PK_ERR_NOMEM;
		goto done;
	}
	fill_result(&f, out, wander && n >= 2 * h);
done:
	fit_free(&f);
	if (rc != PK_OK)
		pk_cp_result_free(out);
	return rc;
}

void pk_cp_result_free(struct pk_cp_result *r)
{
	free(r->cp);
	free(r->outlier);
	*r = (struct pk_cp_result){ 0 };
}
