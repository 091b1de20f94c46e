/* correlate.c - pair statistics (Pearson, Spearman, least squares,
 * Benjamini-Hochberg) and the matching of agent runs and wake-word events to
 * hardware windows for perfanalyze --correlate (definitions in correlate.h). */
#include "correlate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_fit.h>

#include "../core/suggest.h"
#include "../core/diag.h"
#include "../core/query.h"
#include "stats.h"

const struct pk_metric pk_corr_vram_fraction = {
	"vram_used_fraction", "", "", "VRAM in use (share of the GPU's memory)",
	PK_LOWER_IS_BETTER, 0
};

const char *const pk_corr_part_names[PK_PART_N] = {
	"tes", "stability", "velocity", "footprint"
};

/* Registry entries the rules and the wake-word section use (looked up in
 * the registry; a missing one is an error, not a silent skip). */
static const char *const name_gpu_util = "gpu.utilization_percent";
static const char *const name_vram_used = "gpu.memory_used_mb";
static const char *const name_vram_free = "gpu.memory_free_mb";
static const char *const name_gpu_temp = "gpu.temperature_celsius";
static const char *const name_wake_latency = "inference_timing.wake_word_latency_ms.mean";

double pk_corr_p(double r, size_t n)
{
	if (isnan(r) || n < 3)
		return NAN;
	double ar = fabs(r), df = (double)n - 2;
	if (ar >= 1)
		return 0;
	double one_minus = (1 - ar) * (1 + ar), r2 = ar * ar, a = df / 2, p;
	gsl_set_error_handler_off();
	if (df > 1e4) {
		p = 2 * gsl_cdf_tdist_Q(ar * sqrt(df / one_minus), df);
	} else if (r2 < 1.5 / (a + 2.5)) {
		/* 2 P(T > t) = 1 - I_{r^2}(1/2, df/2): the form GSL's continued
		 * fraction evaluates directly, as stats.c does */
		p = gsl_cdf_beta_Q(r2, 0.5, a);
	} else {
		p = gsl_cdf_beta_P(one_minus, a, 0.5);
	}
	return p > 1 ? 1 : p;
}

/* Pearson r of x, y (no NAN, n >= 2); NAN when either is constant (tested
 * exactly: the mean of n copies of 0.1 is not 0.1 in binary, so the sums of
 * squares would be a rounding error's square instead of 0). */
static double pearson(const double *x, const double *y, size_t n)
{
	if (pk_all_equal(x, n) || pk_all_equal(y, n))
		return NAN;
	double mx = 0, my = 0;
	for (size_t i = 0; i < n; i++) {
		mx += x[i];
		my += y[i];
	}
	mx /= (double)n;
	my /= (double)n;
	double sxy = 0, sxx = 0, syy = 0;
	for (size_t i = 0; i < n; i++) {
		double dx = x[i] - mx, dy = y[i] - my;
		sxy += dx * dy;
		sxx += dx * dx;
		syy += dy * dy;
	}
	if (!(sxx > 0) || !(syy > 0))
		return NAN;
	double r = sxy / sqrt(sxx * syy);
	return r > 1 ? 1 : r < -1 ? -1 : r;
}

/* Order-preserving map of a double's bits to an unsigned key; -0 as +0. */
static uint64_t sort_key(double d)
{
	uint64_t u;
	if (d == 0)
		d = 0;
	memcpy(&u, &d, sizeof u);
	return u >> 63 ? ~u : u | UINT64_C(1) << 63;
}

/* Average ranks (1-based; ties share their mean rank) of x[0..n) into r:
 * an LSD radix sort (11-bit digits) of (key, index) pairs, then one pass
 * over equal keys.  key and idx are scratch room for 2n entries each. */
static void ranks(const double *x, size_t n, uint64_t *key, uint32_t *idx, double *r)
{
	uint64_t *k0 = key, *k1 = key + n;
	uint32_t *i0 = idx, *i1 = idx + n;
	for (size_t i = 0; i < n; i++) {
		k0[i] = sort_key(x[i]);
		i0[i] = (uint32_t)i;
	}
	for (unsigned shift = 0; shift < 64; shift += 11) {
		size_t count[2048] = { 0 };
		for (size_t i = 0; i < n; i++)
			count[(k0[i] >> shift) & 2047]++;
		if (n && count[(k0[0] >> shift) & 2047] == n)
			continue;   /* the same digit everywhere */
		size_t pos = 0;
		for (size_t d = 0; d < 2048; d++) {
			size_t c = count[d];
			count[d] = pos;
			pos += c;
		}
		for (size_t i = 0; i < n; i++) {
			size_t at = count[(k0[i] >> shift) & 2047]++;
			k1[at] = k0[i];
			i1[at] = i0[i];
		}
		uint64_t *tk = k0; k0 = k1; k1 = tk;
		uint32_t *ti = i0; i0 = i1; i1 = ti;
	}
	for (size_t a = 0; a < n;) {
		size_t b = a + 1;
		while (b < n && k0[b] == k0[a])
			b++;
		double avg = ((double)a + 1 + (double)b) / 2;
		for (size_t j = a; j < b; j++)
			r[i0[j]] = avg;
		a = b;
	}
}

enum pk_status pk_corr_stats(const double *x, const double *y, size_t n,
                             struct pk_corr_stats *out)
{
	*out = (struct pk_corr_stats){ 0, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN,
	                               NAN, NAN };
	if (n > UINT32_MAX)
		return PK_ERR_INPUT;
	double *buf = malloc(4 * (n ? n : 1) * sizeof *buf);
	uint64_t *key = malloc(2 * (n ? n : 1) * sizeof *key);
	uint32_t *idx = malloc(2 * (n ? n : 1) * sizeof *idx);
	if (!buf || !key || !idx) {
		free(buf);
		free(key);
		free(idx);
		return PK_ERR_NOMEM;
	}
	double *xs = buf, *ys = buf + n, *rx = buf + 2 * n, *ry = buf + 3 * n;
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (isnan(x[i]) || isnan(y[i]))
			continue;
		xs[m] = x[i];
		ys[m++] = y[i];
	}
	out->n = m;
	if (m >= 2) {
		double r = pearson(xs, ys, m);
		out->pearson_r = r;
		out->pearson_p = pk_corr_p(r, m);
		out->r2 = r * r;
		if (m >= 4 && !isnan(r)) {
			if (fabs(r) >= 1) {
				out->ci_low = out->ci_high = r;
			} else {
				double z = atanh(r), h = gsl_cdf_ugaussian_Pinv(0.975) / sqrt((double)m - 3);
				out->ci_low = tanh(z - h);
				out->ci_high = tanh(z + h);
			}
		}
		double c0, c1, cov00, cov01, cov11, sumsq;
		gsl_set_error_handler_off();
		if (!pk_all_equal(xs, m) && gsl_fit_linear(xs, 1, ys, 1, m, &c0, &c1, &cov00, &cov01, &cov11,
		                         &sumsq) == GSL_SUCCESS && isfinite(c0) && isfinite(c1)) {
			out->intercept = c0;
			out->slope = c1;
		}
		ranks(xs, m, key, idx, rx);
		ranks(ys, m, key, idx, ry);
		double rho = pearson(rx, ry, m);
		out->spearman_rho = rho;
		out->spearman_p = pk_corr_p(rho, m);
	}
	free(buf);
	free(key);
	free(idx);
	return PK_OK;
}

struct p_idx {
	double p;
	size_t i;
};

static int cmp_p(const void *a, const void *b)
{
	const struct p_idx *x = a, *y = b;
	return x->p < y->p ? -1 : x->p > y->p ? 1 : (x->i > y->i) - (x->i < y->i);
}

enum pk_status pk_bh_adjust(const double *p, size_t n, double *out)
{
	struct p_idx *s = malloc((n ? n : 1) * sizeof *s);
	if (!s)
		return PK_ERR_NOMEM;
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isnan(p[i]))
			s[m++] = (struct p_idx){ p[i], i };
		out[i] = NAN;   /* after reading p[i]: out may be p */
	}
	qsort(s, m, sizeof *s, cmp_p);
	double run = 1;
	for (size_t k = m; k-- > 0;) {
		double v = s[k].p * (double)m / (double)(k + 1);
		if (v < run)
			run = v;
		out[s[k].i] = run;
	}
	free(s);
	return PK_OK;
}

/* ---- matching runs and events to hardware windows ---- */

/* Prefix sums of one measure's present values over a profile's samples:
 * the sum of values [0, k) is hi[k] + lo[k] (hi by two-sum, lo the rounding
 * errors), cnt[k] how many were present. */
struct prefix {
	double *hi, *lo;
	size_t *cnt;
};

static void prefix_build(const double *v, size_t n, struct prefix *p)
{
	double hi = 0, lo = 0;
	size_t c = 0;
	p->hi[0] = p->lo[0] = 0;
	p->cnt[0] = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isnan(v[i])) {
			double s = hi + v[i], bb = s - hi;
			lo += (hi - (s - bb)) + (v[i] - bb);
			hi = s;
			c++;
		}
		p->hi[i + 1] = hi;
		p->lo[i + 1] = lo;
		p->cnt[i + 1] = c;
	}
}

/* Mean of the present values of samples [a, b); NAN when none. */
static double prefix_mean(const struct prefix *p, size_t a, size_t b)
{
	size_t c = p->cnt[b] - p->cnt[a];
	if (!c)
		return NAN;
	return ((p->hi[b] - p->hi[a]) + (p->lo[b] - p->lo[a])) / (double)c;
}

static size_t first_at_or_after(const int64_t *ts, size_t n, int64_t t)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ts[mid] < t) lo = mid + 1; else hi = mid;
	}
	return lo;
}

static size_t first_after(const int64_t *ts, size_t n, int64_t t)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ts[mid] <= t) lo = mid + 1; else hi = mid;
	}
	return lo;
}

/* Window length in microseconds: max(duration_s, 60 s); a missing duration
 * counts as 60 s; capped at 10^9 s. */
static int64_t window_us(double duration_s)
{
	double d = duration_s;
	if (isnan(d) || d < PK_CORR_MIN_WINDOW_S)
		d = PK_CORR_MIN_WINDOW_S;
	if (d > 1e9)
		d = 1e9;
	return (int64_t)llround(d * 1e6);
}

static int64_t window_start(int64_t t, int64_t w)
{
	return t < INT64_MIN + w ? INT64_MIN : t - w;
}

/* Items (runs or events) at times t[i] with windows w[i], matched to the
 * profile with the most samples in [t - w, t] (ties: the first, names being
 * sorted).  prof[i] = -1 when no profile has one; [lo[i], hi[i]) the chosen
 * profile's samples. */
struct matching {
	size_t n;
	int *prof;
	size_t *lo, *hi;
	size_t matched, unmatched, ambiguous;
};

static enum pk_status match(const struct pk_hw_series *ser, size_t np, const int64_t *t,
                            const int64_t *w, size_t n, struct matching *m)
{
	*m = (struct matching){ .n = n };
	m->prof = malloc((n ? n : 1) * sizeof *m->prof);
	m->lo = malloc((n ? n : 1) * sizeof *m->lo);
	m->hi = malloc((n ? n : 1) * sizeof *m->hi);
	if (!m->prof || !m->lo || !m->hi)
		return PK_ERR_NOMEM;
	for (size_t i = 0; i < n; i++) {
		int64_t from = window_start(t[i], w[i]);
		size_t best = 0, with = 0;
		m->prof[i] = -1;
		m->lo[i] = m->hi[i] = 0;
		for (size_t p = 0; p < np; p++) {
			size_t a = first_at_or_after(ser[p].ts_us, ser[p].n, from);
			size_t b = first_after(ser[p].ts_us, ser[p].n, t[i]);
			if (b <= a)
				continue;
			with++;
			if (b - a > best) {
				best = b - a;
				m->prof[i] = (int)p;
				m->lo[i] = a;
				m->hi[i] = b;
			}
		}
		if (with)
			m->matched++;
		else
			m->unmatched++;
		if (with > 1)
			m->ambiguous++;
	}
	return PK_OK;
}

static void matching_free(struct matching *m)
{
	free(m->prof);
	free(m->lo);
	free(m->hi);
	*m = (struct matching){ 0 };
}

/* The values of measure xm for series s into tmp (vram_used_fraction is
 * derived); returns the array to read. */
static const double *measure_values(const struct pk_metric *xm, const struct pk_hw_series *s,
                                    size_t used, size_t free_, double *tmp)
{
	if (xm != &pk_corr_vram_fraction)
		return s->v[xm - pk_hw_metrics];
	for (size_t i = 0; i < s->n; i++) {
		double u = s->v[used][i], f = s->v[free_][i], tot = u + f;
		tmp[i] = !isnan(tot) && tot > 0 ? u / tot : NAN;
	}
	return tmp;
}

/* Adds metric m to c->xm unless it is there; its index in *k. */
static void add_x(struct pk_correlate *c, const struct pk_metric *m, size_t *k)
{
	for (size_t i = 0; i < c->nx; i++) {
		if (c->xm[i] == m) {
			if (k)
				*k = i;
			return;
		}
	}
	if (k)
		*k = c->nx;
	c->xm[c->nx++] = m;
}

/* Working state of one pk_correlate call. */
struct work {
	size_t np;
	struct pk_hw_series *ser;
	struct matching rm, wm;            /* runs, wake events */
	struct pk_wake_latencies ev;
	double *wake_y, *wake_x[3];        /* latency, and GPU util, VRAM, temp */
	double **ev_x;                     /* ev_x[k][j]: window mean of xm[k] */
	size_t wake_k[3], vram_k, i_used, i_free, i_lat;
};

static void work_free(struct work *w, size_t nx)
{
	for (size_t p = 0; p < w->np && w->ser; p++)
		pk_hw_series_free(&w->ser[p]);
	free(w->ser);
	matching_free(&w->rm);
	matching_free(&w->wm);
	pk_wake_latencies_free(&w->ev);
	free(w->wake_y);
	for (size_t j = 0; j < 3; j++)
		free(w->wake_x[j]);
	for (size_t k = 0; k < nx && w->ev_x; k++)
		free(w->ev_x[k]);
	free(w->ev_x);
}

/* The measures per run: main registry metrics, those the wake-word section
 * needs, then vram_used_fraction. */
static enum pk_status setup_measures(struct pk_correlate *c, struct work *w)
{
	const struct pk_metric *util = pk_hw_metric_find(name_gpu_util, NULL);
	const struct pk_metric *used = pk_hw_metric_find(name_vram_used, &w->i_used);
	const struct pk_metric *temp = pk_hw_metric_find(name_gpu_temp, NULL);
	if (!util || !used || !temp || !pk_hw_metric_find(name_vram_free, &w->i_free) ||
	    !pk_hw_metric_find(name_wake_latency, &w->i_lat))
		return PK_ERR_INPUT;
	c->xm = malloc((pk_hw_nmetrics + 1) * sizeof *c->xm);
	if (!c->xm)
		return PK_ERR_NOMEM;
	for (size_t m = 0; m < pk_hw_nmetrics; m++)
		if (pk_hw_metrics[m].flags & PK_METRIC_MAIN)
			c->xm[c->nx++] = &pk_hw_metrics[m];
	c->nmain = c->nx;
	add_x(c, util, &w->wake_k[0]);
	c->util_k = w->wake_k[0];
	add_x(c, used, &w->wake_k[1]);
	add_x(c, temp, &w->wake_k[2]);
	add_x(c, &pk_corr_vram_fraction, &w->vram_k);
	c->vram_k = w->vram_k;
	return PK_OK;
}

/* Window means of every measure for the matched runs and events. */
static enum pk_status window_means(struct pk_correlate *c, struct work *w)
{
	size_t nr = c->runs.n, ne = w->ev.n, maxn = 0;
	c->run_x = calloc(c->nx, sizeof *c->run_x);
	w->ev_x = calloc(c->nx, sizeof *w->ev_x);
	if (!c->run_x || !w->ev_x)
		return PK_ERR_NOMEM;
	for (size_t k = 0; k < c->nx; k++) {
		c->run_x[k] = malloc((nr ? nr : 1) * sizeof **c->run_x);
		w->ev_x[k] = malloc((ne ? ne : 1) * sizeof **w->ev_x);
		if (!c->run_x[k] || !w->ev_x[k])
			return PK_ERR_NOMEM;
		for (size_t i = 0; i < nr; i++)
			c->run_x[k][i] = NAN;
		for (size_t j = 0; j < ne; j++)
			w->ev_x[k][j] = NAN;
	}
	for (size_t p = 0; p < w->np; p++)
		if (w->ser[p].n > maxn)
			maxn = w->ser[p].n;
	struct prefix pre = { malloc((maxn + 1) * sizeof *pre.hi),
	                      malloc((maxn + 1) * sizeof *pre.lo),
	                      malloc((maxn + 1) * sizeof *pre.cnt) };
	double *tmp = malloc((maxn ? maxn : 1) * sizeof *tmp);
	enum pk_status rc = pre.hi && pre.lo && pre.cnt && tmp ? PK_OK : PK_ERR_NOMEM;
	for (size_t p = 0; p < w->np && rc == PK_OK; p++) {
		const struct pk_hw_series *s = &w->ser[p];
		if (!s->n || (!c->profiles[p].runs && !c->profiles[p].wake))
			continue;
		for (size_t k = 0; k < c->nx; k++) {
			prefix_build(measure_values(c->xm[k], s, w->i_used, w->i_free, tmp), s->n, &pre);
			for (size_t i = 0; i < nr; i++)
				if (w->rm.prof[i] == (int)p)
					c->run_x[k][i] = prefix_mean(&pre, w->rm.lo[i], w->rm.hi[i]);
			for (size_t j = 0; j < ne; j++)
				if (w->wm.prof[j] == (int)p)
					w->ev_x[k][j] = prefix_mean(&pre, w->wm.lo[j], w->wm.hi[j]);
		}
	}
	free(pre.hi);
	free(pre.lo);
	free(pre.cnt);
	free(tmp);
	return rc;
}

/* The wake-word pairs' data: events with their window means, else every
 * sample in the window with a latency. */
static enum pk_status wake_data(struct pk_correlate *c, struct work *w)
{
	size_t n = 0;
	if (c->wake_source == PK_WAKE_EVENTS) {
		n = w->ev.n;
	} else {
		for (size_t p = 0; p < w->np; p++)
			n += w->ser[p].n;
	}
	w->wake_y = malloc((n ? n : 1) * sizeof *w->wake_y);
	for (size_t j = 0; j < 3; j++)
		w->wake_x[j] = malloc((n ? n : 1) * sizeof *w->wake_x[j]);
	if (!w->wake_y || !w->wake_x[0] || !w->wake_x[1] || !w->wake_x[2])
		return PK_ERR_NOMEM;
	size_t m = 0;
	if (c->wake_source == PK_WAKE_EVENTS) {
		for (size_t i = 0; i < n; i++, m++) {
			w->wake_y[m] = w->ev.latency_ms[i];
			for (size_t j = 0; j < 3; j++)
				w->wake_x[j][m] = w->ev_x[w->wake_k[j]][i];
		}
		c->wake_n = n;
		c->wake_matched = w->wm.matched;
		c->wake_unmatched = w->wm.unmatched;
		return PK_OK;
	}
	for (size_t p = 0; p < w->np; p++) {
		const struct pk_hw_series *s = &w->ser[p];
		for (size_t i = 0; i < s->n; i++) {
			double y = s->v[w->i_lat][i];
			if (isnan(y) || s->ts_us[i] < c->window.from_us || s->ts_us[i] > c->window.to_us)
				continue;
			w->wake_y[m] = y;
			for (size_t j = 0; j < 3; j++)
				w->wake_x[j][m] = s->v[c->xm[w->wake_k[j]] - pk_hw_metrics][i];
			m++;
			c->profiles[p].wake++;
		}
	}
	c->wake_n = c->wake_matched = m;
	if (!m)
		c->wake_source = PK_WAKE_NONE;
	return PK_OK;
}

/* Every pair: each TES part against each main metric and
 * vram_used_fraction, then latency against GPU util, VRAM, temperature;
 * Benjamini-Hochberg over all of them. */
static enum pk_status pairs(struct pk_correlate *c, struct work *w)
{
	const double *part[PK_PART_N] = { c->runs.tes, c->runs.stability, c->runs.velocity,
	                                  c->runs.footprint };
	size_t ntes = PK_PART_N * (c->nmain + 1), nw = c->wake_source != PK_WAKE_NONE ? 3 : 0;
	c->pairs = calloc(ntes + nw, sizeof *c->pairs);
	double *p = malloc(2 * (ntes + nw) * sizeof *p);
	enum pk_status rc = c->pairs && p ? PK_OK : PK_ERR_NOMEM;
	for (size_t y = 0; y < PK_PART_N && rc == PK_OK; y++) {
		for (size_t k = 0; k <= c->nmain && rc == PK_OK; k++) {
			size_t xk = k < c->nmain ? k : w->vram_k;
			struct pk_corr_pair *pr = &c->pairs[c->npairs++];
			pr->y = pk_corr_part_names[y];
			pr->x = c->xm[xk];
			rc = pk_corr_stats(c->run_x[xk], part[y], c->runs.n, &pr->s);
		}
	}
	for (size_t j = 0; j < nw && rc == PK_OK; j++) {
		struct pk_corr_pair *pr = &c->pairs[c->npairs++];
		pr->y = "wake_latency_ms";
		pr->x = c->xm[w->wake_k[j]];
		rc = pk_corr_stats(w->wake_x[j], w->wake_y, c->wake_n, &pr->s);
	}
	size_t n = c->npairs;
	for (size_t i = 0; i < n && rc == PK_OK; i++) {
		p[i] = c->pairs[i].s.pearson_p;
		p[n + i] = c->pairs[i].s.spearman_p;
	}
	if (rc == PK_OK)
		rc = pk_bh_adjust(p, n, p);
	if (rc == PK_OK)
		rc = pk_bh_adjust(p + n, n, p + n);
	for (size_t i = 0; i < n && rc == PK_OK; i++) {
		c->pairs[i].s.pearson_p_bh = p[i];
		c->pairs[i].s.spearman_p_bh = p[n + i];
	}
	free(p);
	return rc;
}

/* Profiles to consider, and their series over [lo, hi]. */
static enum pk_status load_profiles(struct pk_db *db, const struct pk_correlate_opts *o,
                                    struct pk_correlate *c, struct work *w,
                                    struct pk_buf *err)
{
	char **names = NULL;
	size_t n = 0;
	enum pk_status rc;
	if (o->profile) {
		struct pk_profile_info info;
		rc = pk_query_profile(db, o->profile, &info);
		if (rc == PK_NODATA) {
			pk_buf_puts(err, "no samples for profile '");
			pk_buf_put_printable(err, o->profile, strlen(o->profile));
			pk_buf_puts(err, "'");
			pk_suggest_profile(db, o->profile, err);
			pk_buf_puts(err, " (see perfanalyze --list)");
		}
		if (rc != PK_OK)
			return rc;
		names = malloc(sizeof *names);
		if (!names || !(names[0] = strdup(o->profile))) {
			free(names);
			return PK_ERR_NOMEM;
		}
		n = 1;
	} else if ((rc = pk_query_hw_profile_names(db, &names, &n)) != PK_OK) {
		return rc;
	}
	c->profiles = calloc(n ? n : 1, sizeof *c->profiles);
	w->ser = calloc(n ? n : 1, sizeof *w->ser);
	if (!c->profiles || !w->ser) {
		pk_names_free(names, n);
		return PK_ERR_NOMEM;
	}
	for (size_t p = 0; p < n; p++)
		c->profiles[p].name = names[p];
	free(names);
	c->nprofiles = w->np = n;
	return PK_OK;
}

/* The time range of samples the runs, events and (without events) the
 * sample-based latency need. */
static void load_range(const struct pk_correlate *c, const struct work *w,
                       const int64_t *rw, const int64_t *ew, int64_t *lo, int64_t *hi)
{
	*lo = INT64_MAX;
	*hi = INT64_MIN;
	for (size_t i = 0; i < c->runs.n; i++) {
		int64_t a = window_start(c->runs.ts_us[i], rw[i]);
		if (a < *lo) *lo = a;
		if (c->runs.ts_us[i] > *hi) *hi = c->runs.ts_us[i];
	}
	for (size_t j = 0; j < w->ev.n; j++) {
		int64_t a = window_start(w->ev.ts_us[j], ew[j]);
		if (a < *lo) *lo = a;
		if (w->ev.ts_us[j] > *hi) *hi = w->ev.ts_us[j];
	}
	if (!w->ev.n) {
		if (c->window.from_us < *lo) *lo = c->window.from_us;
		if (c->window.to_us > *hi) *hi = c->window.to_us;
	}
}

enum pk_status pk_correlate(struct pk_db *db, const struct pk_correlate_opts *o,
                            struct pk_correlate *out, struct pk_buf *err)
{
	struct pk_correlate *c = out;
	*c = (struct pk_correlate){ .window = { o->from_us, o->to_us } };
	struct work w = { 0 };
	int64_t *rw = NULL, *ew = NULL, lo, hi;
	enum pk_status rc = PK_OK;
	if (o->profile && !(c->profile = strdup(o->profile)))
		return PK_ERR_NOMEM;
	rc = setup_measures(c, &w);
	if (rc == PK_OK)
		rc = load_profiles(db, o, c, &w, err);
	if (rc == PK_OK)
		rc = pk_query_agent_runs(db, o->from_us, o->to_us, &c->runs);
	if (rc == PK_OK)
		rc = pk_query_wake_latencies(db, o->from_us, o->to_us, &w.ev);
	if (rc == PK_OK) {
		rw = malloc((c->runs.n ? c->runs.n : 1) * sizeof *rw);
		ew = malloc((w.ev.n ? w.ev.n : 1) * sizeof *ew);
		if (!rw || !ew)
			rc = PK_ERR_NOMEM;
	}
	for (size_t i = 0; rc == PK_OK && i < c->runs.n; i++)
		rw[i] = window_us(c->runs.duration_s[i]);
	for (size_t j = 0; rc == PK_OK && j < w.ev.n; j++)
		ew[j] = window_us(NAN);
	c->wake_source = w.ev.n ? PK_WAKE_EVENTS : PK_WAKE_SAMPLES;
	if (rc == PK_OK)
		load_range(c, &w, rw, ew, &lo, &hi);
	for (size_t p = 0; rc == PK_OK && p < w.np; p++) {
		rc = pk_query_hw_series(db, c->profiles[p].name, lo, hi, &w.ser[p]);
		c->profiles[p].samples = w.ser[p].n;
	}
	if (rc == PK_OK)
		rc = match(w.ser, w.np, c->runs.ts_us, rw, c->runs.n, &w.rm);
	if (rc == PK_OK)
		rc = match(w.ser, w.np, w.ev.ts_us, ew, w.ev.n, &w.wm);
	if (rc == PK_OK) {
		c->matched = w.rm.matched;
		c->unmatched = w.rm.unmatched;
		c->ambiguous = w.rm.ambiguous;
		c->run_profile = w.rm.prof;
		w.rm.prof = NULL;
		c->run_samples = malloc((c->runs.n ? c->runs.n : 1) * sizeof *c->run_samples);
		if (!c->run_samples)
			rc = PK_ERR_NOMEM;
	}
	for (size_t i = 0; rc == PK_OK && i < c->runs.n; i++) {
		c->run_samples[i] = w.rm.hi[i] - w.rm.lo[i];
		if (c->run_profile[i] >= 0)
			c->profiles[c->run_profile[i]].runs++;
	}
	for (size_t j = 0; rc == PK_OK && j < w.ev.n; j++)
		if (w.wm.prof[j] >= 0)
			c->profiles[w.wm.prof[j]].wake++;
	if (rc == PK_OK) {
		/* window_means reads the profile of run i from w.rm.prof */
		w.rm.prof = c->run_profile;
		rc = window_means(c, &w);
		w.rm.prof = NULL;
	}
	if (rc == PK_OK)
		rc = wake_data(c, &w);
	if (rc == PK_OK && !c->runs.n && c->wake_source == PK_WAKE_NONE) {
		pk_buf_puts(err, "no agent runs and no wake-word latencies in the window");
		rc = PK_NODATA;
	}
	if (rc == PK_OK)
		rc = pairs(c, &w);
	if (rc == PK_OK)
		rc = pk_correlate_groups(c);
	if (rc == PK_OK)
		rc = pk_correlate_findings(c);
	free(rw);
	free(ew);
	work_free(&w, c->nx);
	return rc;
}

void pk_correlate_free(struct pk_correlate *c)
{
	free(c->profile);
	for (size_t p = 0; p < c->nprofiles; p++)
		free(c->profiles[p].name);
	free(c->profiles);
	for (size_t k = 0; k < c->nx && c->run_x; k++)
		free(c->run_x[k]);
	free(c->run_x);
	pk_agent_runs_free(&c->runs);
	free(c->run_profile);
	free(c->run_samples);
	free(c->xm);
	free(c->pairs);
	for (size_t g = 0; g < c->nmodes; g++)
		free(c->by_mode[g].key);
	for (size_t g = 0; g < c->nmodels; g++)
		free(c->by_model[g].key);
	free(c->by_mode);
	free(c->by_model);
	for (size_t f = 0; f < 2; f++)
		free(c->findings[f].text);
	*c = (struct pk_correlate){ 0 };
}
