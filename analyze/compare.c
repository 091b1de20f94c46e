/* compare.c - per-profile summaries and the profile-vs-profile comparison of
 * hardware samples (compare.h): missing values dropped, autocorrelation-
 * adjusted Welch test, Mann-Whitney, Cohen's d and a verdict per metric. */
#include "compare.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/suggest.h"
#include "../core/diag.h"
#include "capacity.h"
#include "quality.h"

enum pk_status pk_window_of(const struct pk_profile_info *info, double hours, int64_t until_us,
                            struct pk_window *out)
{
	if (!info || !out || isnan(hours) || hours < 0)
		return PK_USAGE;
	int64_t end = until_us == INT64_MIN ? info->last_us : until_us;
	double span = hours * 3600e6;
	/* end - span, saturating at INT64_MIN (hours = INFINITY: everything) */
	if (hours == 0) {
		out->from_us = info->first_us;
	} else if (!(span < 0x1p62)) {
		out->from_us = INT64_MIN;
	} else {
		int64_t d = (int64_t)llround(span);

		out->from_us = end < INT64_MIN + d ? INT64_MIN : end - d;
	}
	out->to_us = end;
	return PK_OK;
}

enum pk_status pk_window_for(struct pk_db *db, const char *profile,
                             double hours, int64_t until_us,
                             struct pk_window *out)
{
	struct pk_profile_info info = { 0 };

	if (!db || !profile || !out || isnan(hours) || hours < 0)
		return PK_USAGE;
	enum pk_status rc = pk_query_profile(db, profile, &info);
	free(info.name);
	if (rc != PK_OK)
		return rc;
	return pk_window_of(&info, hours, until_us, out);
}

enum pk_status pk_load_profile_window(struct pk_db *db, const char *profile, double hours,
                                      int64_t until_us, struct pk_window *w,
                                      struct pk_hw_series *s, struct pk_buf *err)
{
	*s = (struct pk_hw_series){ 0 };
	enum pk_status rc = pk_window_for(db, profile, hours, until_us, w);
	if (rc == PK_NODATA) {
		pk_buf_puts(err, "no samples for profile '");
		pk_buf_put_printable(err, profile, strlen(profile));
		pk_buf_puts(err, "'");
		pk_suggest_profile(db, profile, err);
		pk_buf_puts(err, " (see perfanalyze --list)");
		return rc;
	}
	if (rc == PK_OK)
		rc = pk_query_hw_series(db, profile, w->from_us, w->to_us, s);
	if (rc == PK_ERR_DB)
		pk_buf_printf(err, "database: %s", pk_db_errmsg(db));
	if (rc == PK_OK && s->n == 0) {
		pk_buf_puts(err, "no samples of '");
		pk_buf_put_printable(err, profile, strlen(profile));
		pk_buf_puts(err, "' in the window (try a larger --hours or another --until)");
		pk_hw_series_free(s);
		rc = PK_NODATA;
	}
	return rc;
}

struct pk_series_view pk_hw_view(const struct pk_hw_series *s)
{
	return (struct pk_series_view){ s->n, s->ts_us, pk_hw_nmetrics, pk_hw_metrics, s->v };
}

/* Fails unless s has n values for every metric. */
static int view_ok(const struct pk_series_view *s)
{
	if (s->n == 0)
		return 1;
	if (!s->v || !s->ts_us || !s->metrics || s->n > UINT32_MAX)
		return 0;
	for (size_t m = 0; m < s->nmetrics; m++)
		if (!s->v[m])
			return 0;
	return 1;
}

/* Scratch of one worker: present values of one metric of each side, and
 * the radix sort's key buffer, reused for every metric it takes. */
struct scratch {
	double *a, *b;
	uint64_t *keys;
};

/* Drops the missing values of v[0..n) into buf, then r1 in time order (when
 * r1 is not NULL), then sorts buf and summarises it. */
static size_t prepare(const double *v, size_t n, double *buf, uint64_t *keys,
                      struct pk_summary *s, double *r1)
{
	size_t m = n ? pk_drop_missing(v, n, buf) : 0;

	if (r1)
		*r1 = pk_lag1_autocorr(buf, m);
	/* cannot fail: m <= n <= UINT32_MAX was checked */
	(void)pk_sort_doubles_scratch(buf, m, keys);
	pk_summary_sorted(buf, m, s);
	return m;
}

static enum pk_verdict verdict_of(const struct pk_metric_compare *c)
{
	if (isnan(c->welch_p_adjusted))
		return PK_VERDICT_UNDEFINED;
	if (c->welch_p_adjusted >= PK_ALPHA)
		return PK_VERDICT_NO_DIFFERENCE;
	int higher = c->b.mean > c->a.mean;
	switch (c->metric->direction) {
	case PK_LOWER_IS_BETTER:
		return higher ? PK_VERDICT_WORSE : PK_VERDICT_BETTER;
	case PK_HIGHER_IS_BETTER:
		return higher ? PK_VERDICT_BETTER : PK_VERDICT_WORSE;
	case PK_NEUTRAL:
		break;
	}
	return higher ? PK_VERDICT_HIGHER : PK_VERDICT_LOWER;
}

static void compare_metric(struct pk_metric_compare *c, const double *va,
                           size_t na, const double *vb, size_t nb,
                           const struct scratch *sc)
{
	size_t ma = prepare(va, na, sc->a, sc->keys, &c->a, &c->r1_a);
	size_t mb = prepare(vb, nb, sc->b, sc->keys, &c->b, &c->r1_b);

	c->n_eff_a = pk_n_eff(ma, c->r1_a);
	c->n_eff_b = pk_n_eff(mb, c->r1_b);
	c->diff = c->b.mean - c->a.mean;
	c->ratio = c->a.mean != 0 ? c->b.mean / c->a.mean : NAN;
	c->welch_p = pk_welch_p(c->a.mean, c->a.var, (double)ma,
	                        c->b.mean, c->b.var, (double)mb);
	c->welch_p_adjusted = pk_welch_p(c->a.mean, c->a.var, c->n_eff_a,
	                                 c->b.mean, c->b.var, c->n_eff_b);
	c->mannwhitney_p = pk_mannwhitney_p(sc->a, ma, sc->b, mb);
	c->cohens_d = pk_cohens_d(&c->a, &c->b);
	c->verdict = verdict_of(c);
	c->capacity_a = c->capacity_b = NAN;
}

/* The metrics of one call, shared by its workers: each takes the next
 * metric not yet taken until none is left.  Every metric is computed the
 * same way whichever worker takes it, so results do not depend on the
 * number of workers. */
struct job {
	const struct pk_series_view *sa, *sb; /* sb NULL: summaries of sa only */
	size_t nm;                          /* results */
	const size_t *ia, *ib;              /* result k: metric ia[k] of sa, ib[k] of sb */
	struct pk_metric_summary *sum;      /* results when sb is NULL */
	struct pk_metric_compare *cmp;      /* results otherwise */
	atomic_size_t next;
};

struct worker {
	struct job *job;
	struct scratch sc;
	pthread_t thread;
};

static void *work(void *arg)
{
	struct worker *w = arg;
	struct job *j = w->job;
	size_t m;

	while ((m = atomic_fetch_add(&j->next, 1)) < j->nm) {
		size_t ma = j->ia ? j->ia[m] : m;
		const double *va = j->sa->n ? j->sa->v[ma] : NULL;

		if (!j->sb) {
			j->sum[m].metric = &j->sa->metrics[ma];
			prepare(va, j->sa->n, w->sc.a, w->sc.keys, &j->sum[m].s,
			        NULL);
		} else {
			size_t mb = j->ib ? j->ib[m] : m;
			j->cmp[m].metric = &j->sa->metrics[ma];
			compare_metric(&j->cmp[m], va, j->sa->n,
			               j->sb->n ? j->sb->v[mb] : NULL, j->sb->n,
			               &w->sc);
		}
	}
	return NULL;
}

/* Below this many values in all, one thread does the work. */
#define PK_PARALLEL_MIN 100000
#define PK_MAX_WORKERS 4

/* Runs job on up to PK_MAX_WORKERS threads (one per online processor; the
 * calling thread is one of them).  Scratch is allocated once, here; a
 * thread that cannot be started leaves its share to the others. */
static enum pk_status run_job(struct job *j)
{
	size_t na = j->sa->n, nb = j->sb ? j->sb->n : 0;
	size_t nmax = na > nb ? na : nb;
	size_t per = na + nb + nmax;
	size_t nw = 1;
	struct worker w[PK_MAX_WORKERS];

	if (na + nb >= PK_PARALLEL_MIN) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);

		nw = cpus < 1 ? 1 : cpus > PK_MAX_WORKERS ? PK_MAX_WORKERS
		                                          : (size_t)cpus;
	}
	double *mem = malloc((per ? per : 1) * nw * sizeof *mem);
	if (!mem && nw > 1) {
		nw = 1;
		mem = malloc((per ? per : 1) * sizeof *mem);
	}
	if (!mem)
		return PK_ERR_NOMEM;
	atomic_init(&j->next, 0);
	size_t started = 1;
	for (size_t k = 0; k < nw; k++) {
		w[k].job = j;
		w[k].sc.a = mem + k * per;
		w[k].sc.b = w[k].sc.a + na;
		w[k].sc.keys = (uint64_t *)(void *)(w[k].sc.b + nb);
		if (k > 0 && pthread_create(&w[k].thread, NULL, work, &w[k]) == 0)
			started = k + 1;
		else if (k > 0)
			break;
	}
	work(&w[0]);
	for (size_t k = 1; k < started; k++)
		pthread_join(w[k].thread, NULL);
	free(mem);
	return PK_OK;
}

enum pk_status pk_analyze_view(const char *profile, const struct pk_window *w,
                               const struct pk_series_view *s, struct pk_analysis *out)
{
	if (!out)
		return PK_ERR_INPUT;
	memset(out, 0, sizeof *out);
	if (!profile || !w || !s || !view_ok(s))
		return PK_ERR_INPUT;
	out->profile = strdup(profile);
	out->metrics = calloc(s->nmetrics ? s->nmetrics : 1, sizeof *out->metrics);
	if (!out->profile || !out->metrics) {
		pk_analysis_free(out);
		return PK_ERR_NOMEM;
	}
	out->window = *w;
	out->samples = s->n;
	out->nmetrics = s->nmetrics;

	struct job j = { .sa = s, .sb = NULL, .nm = s->nmetrics, .sum = out->metrics };
	enum pk_status rc = run_job(&j);
	if (rc == PK_OK)
		rc = pk_data_quality_view(s, NULL, s->nmetrics, &out->quality);
	if (rc != PK_OK)
		pk_analysis_free(out);
	return rc;
}

enum pk_status pk_analyze_series(const char *profile, const struct pk_window *w,
                                 const struct pk_hw_series *s,
                                 struct pk_analysis *out)
{
	if (!s) {
		if (out)
			memset(out, 0, sizeof *out);
		return PK_ERR_INPUT;
	}
	struct pk_series_view v = pk_hw_view(s);
	return pk_analyze_view(profile, w, &v, out);
}

void pk_analysis_free(struct pk_analysis *a)
{
	if (!a)
		return;
	free(a->profile);
	free(a->metrics);
	pk_data_quality_free(&a->quality);
	memset(a, 0, sizeof *a);
}

/* For the pair used/free: when the two machines' capacities differ by more
 * than PK_CAPACITY_DIFFERS, both amounts are judged neutral (see
 * pk_metric_compare.capacity_a). */
static void judge_by_capacity(struct pk_compare *c, const struct pk_hw_series *sa,
                              const struct pk_hw_series *sb, const char *used,
                              const char *free_)
{
	size_t u, f;
	if (!pk_hw_metric_find(used, &u) || !pk_hw_metric_find(free_, &f))
		return;
	double ca = pk_series_capacity(sa, used, free_, NULL);
	double cb = pk_series_capacity(sb, used, free_, NULL);
	int differs = !isnan(ca) && !isnan(cb) &&
	              fabs(cb - ca) > PK_CAPACITY_DIFFERS * fmin(ca, cb);
	size_t ms[2] = { u, f };
	for (int k = 0; k < 2; k++) {
		struct pk_metric_compare *m = &c->metrics[ms[k]];
		m->capacity_a = differs ? ca : NAN;
		m->capacity_b = differs ? cb : NAN;
		if (differs && (m->verdict == PK_VERDICT_BETTER || m->verdict == PK_VERDICT_WORSE))
			m->verdict = m->b.mean > m->a.mean ? PK_VERDICT_HIGHER : PK_VERDICT_LOWER;
	}
}

const char *pk_verdict_str(enum pk_verdict v)
{
	switch (v) {
	case PK_VERDICT_UNDEFINED: return "undefined";
	case PK_VERDICT_NO_DIFFERENCE: return "no significant difference";
	case PK_VERDICT_BETTER: return "B better";
	case PK_VERDICT_WORSE: return "B worse";
	case PK_VERDICT_HIGHER: return "B higher";
	case PK_VERDICT_LOWER: return "B lower";
	}
	return "undefined";
}

/* The comparison of views sa and sb on the nm metric pairs (ia[k], ib[k])
 * (NULL: the same index on both sides). */
static enum pk_status compare_pairs(const char *a, const struct pk_window *wa,
                                    const struct pk_series_view *sa,
                                    const char *b, const struct pk_window *wb,
                                    const struct pk_series_view *sb,
                                    size_t nm, const size_t *ia, const size_t *ib,
                                    struct pk_compare *out)
{
	out->a = strdup(a);
	out->b = strdup(b);
	out->metrics = calloc(nm ? nm : 1, sizeof *out->metrics);
	if (!out->a || !out->b || !out->metrics) {
		pk_compare_free(out);
		return PK_ERR_NOMEM;
	}
	out->window_a = *wa;
	out->window_b = *wb;
	out->samples_a = sa->n;
	out->samples_b = sb->n;
	out->nmetrics = nm;

	struct job j = { .sa = sa, .sb = sb, .nm = nm, .ia = ia, .ib = ib, .cmp = out->metrics };
	enum pk_status rc = run_job(&j);
	if (rc == PK_OK)
		rc = pk_data_quality_view(sa, ia, nm, &out->quality_a);
	if (rc == PK_OK)
		rc = pk_data_quality_view(sb, ib, nm, &out->quality_b);
	if (rc != PK_OK)
		pk_compare_free(out);
	return rc;
}

enum pk_status pk_compare_series(const char *a, const struct pk_window *wa,
                                 const struct pk_hw_series *sa,
                                 const char *b, const struct pk_window *wb,
                                 const struct pk_hw_series *sb,
                                 struct pk_compare *out)
{
	if (!out)
		return PK_ERR_INPUT;
	memset(out, 0, sizeof *out);
	if (!a || !b || !wa || !wb || !sa || !sb)
		return PK_ERR_INPUT;
	struct pk_series_view va = pk_hw_view(sa), vb = pk_hw_view(sb);
	if (!view_ok(&va) || !view_ok(&vb))
		return PK_ERR_INPUT;
	enum pk_status rc = compare_pairs(a, wa, &va, b, wb, &vb, pk_hw_nmetrics, NULL, NULL, out);
	if (rc == PK_OK) {
		judge_by_capacity(out, sa, sb, "memory.used_gb", "memory.available_gb");
		judge_by_capacity(out, sa, sb, "gpu.memory_used_mb", "gpu.memory_free_mb");
	}
	return rc;
}

static int has_value(const double *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isnan(v[i]))
			return 1;
	return 0;
}

enum pk_status pk_compare_views(const char *a, const struct pk_window *wa,
                                const struct pk_series_view *sa,
                                const char *b, const struct pk_window *wb,
                                const struct pk_series_view *sb,
                                struct pk_compare *out)
{
	if (!out)
		return PK_ERR_INPUT;
	memset(out, 0, sizeof *out);
	if (!a || !b || !wa || !wb || !sa || !sb || !view_ok(sa) || !view_ok(sb))
		return PK_ERR_INPUT;
	size_t cap = sa->nmetrics < sb->nmetrics ? sa->nmetrics : sb->nmetrics;
	size_t *ia = malloc((cap ? cap : 1) * sizeof *ia);
	size_t *ib = malloc((cap ? cap : 1) * sizeof *ib);
	if (!ia || !ib) {
		free(ia);
		free(ib);
		return PK_ERR_NOMEM;
	}
	size_t nm = 0;
	for (size_t i = 0; i < sa->nmetrics && nm < cap; i++) {
		if (!has_value(sa->v[i], sa->n))
			continue;
		for (size_t k = 0; k < sb->nmetrics; k++) {
			if (strcmp(sa->metrics[i].name, sb->metrics[k].name) != 0)
				continue;
			if (has_value(sb->v[k], sb->n)) {
				ia[nm] = i;
				ib[nm++] = k;
			}
			break;
		}
	}
	enum pk_status rc = compare_pairs(a, wa, sa, b, wb, sb, nm, ia, ib, out);
	free(ia);
	free(ib);
	return rc;
}

void pk_compare_free(struct pk_compare *c)
{
	if (!c)
		return;
	free(c->a);
	free(c->b);
	free(c->metrics);
	pk_data_quality_free(&c->quality_a);
	pk_data_quality_free(&c->quality_b);
	memset(c, 0, sizeof *c);
}
