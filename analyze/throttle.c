/* throttle.c - thermal throttling episodes of a hardware series (throttle.h). */
#include "throttle.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/metrics.h"
#include "../core/query_profile.h"
#include "quality.h"
#include "stats.h"

const char *pk_threshold_source_str(enum pk_threshold_source s)
{
	switch (s) {
	case PK_THRESHOLD_OPTION: return "option";
	case PK_THRESHOLD_REGISTRY: return "registry";
	case PK_THRESHOLD_DEFAULT: break;
	}
	return "default";
}

void pk_throttle_params_free(struct pk_throttle_params *p)
{
	free(p->registry_metric);
	free(p->registry_bound);
	*p = (struct pk_throttle_params){ 0 };
}

enum pk_status pk_throttle_threshold(struct pk_db *db, const char *profile, double option_c,
                                     struct pk_throttle_params *out)
{
	*out = (struct pk_throttle_params){ PK_THROTTLE_DEFAULT_C, PK_THRESHOLD_DEFAULT, NULL, NULL };
	if (!isnan(option_c)) {
		out->threshold_c = option_c;
		out->source = PK_THRESHOLD_OPTION;
		return PK_OK;
	}
	struct pk_temp_limit lim;
	enum pk_status rc = pk_query_temp_limit(db, profile, &lim);
	if (rc == PK_NODATA)
		return PK_OK;
	if (rc != PK_OK)
		return rc;
	out->threshold_c = lim.celsius;
	out->source = PK_THRESHOLD_REGISTRY;
	out->registry_metric = lim.metric;
	out->registry_bound = lim.bound_key;
	lim.metric = lim.bound_key = NULL;
	pk_temp_limit_free(&lim);
	return PK_OK;
}

void pk_throttle_free(struct pk_throttle *t)
{
	free(t->profile);
	free(t->episodes);
	*t = (struct pk_throttle){ 0 };
}

/* Scratch for one metric's comparison: room for the window's samples. */
struct scratch {
	double *base, *ep;
};

static int is_gap(const struct pk_hw_series *s, size_t i, double lim)
{
	return lim > 0 && (double)(s->ts_us[i] - s->ts_us[i - 1]) / 1e6 > lim;
}

/* The baseline and episode values of metric m for episode [a, b]; the
 * baseline samples are [base_a, a). */
static enum pk_status compare_metric(const struct pk_hw_series *s, size_t m, size_t base_a,
                                     size_t a, size_t b, struct scratch *sc,
                                     struct pk_throttle_drop *d)
{
	*d = (struct pk_throttle_drop){ 0, 0, NAN, NAN, NAN, NAN, NAN, 0 };
	d->baseline_n = pk_drop_missing(s->v[m] + base_a, a - base_a, sc->base);
	d->episode_n = pk_drop_missing(s->v[m] + a, b - a + 1, sc->ep);
	if (pk_sort_doubles(sc->base, d->baseline_n) != 0 ||
	    pk_sort_doubles(sc->ep, d->episode_n) != 0)
		return PK_ERR_NOMEM;
	if (d->baseline_n >= PK_THROTTLE_MIN_BASELINE)
		d->baseline = pk_quantile_sorted(sc->base, d->baseline_n, 0.5);
	d->episode = pk_quantile_sorted(sc->ep, d->episode_n, 0.5);
	d->drop = d->baseline - d->episode;
	if (d->baseline != 0)
		d->drop_pct = 100 * d->drop / d->baseline;
	if (d->baseline_n >= PK_THROTTLE_MIN_BASELINE && d->episode_n > 0)
		d->p = pk_mannwhitney_p(sc->base, d->baseline_n, sc->ep, d->episode_n);
	d->dropped = d->drop_pct > PK_THROTTLE_DROP_PCT;
	return PK_OK;
}

static enum pk_status add_episode(const struct pk_hw_series *s, struct pk_throttle *t,
                                  size_t a, size_t b, size_t hot, double peak,
                                  struct scratch *sc, size_t *cap, size_t fi, size_t ui)
{
	if (hot < PK_THROTTLE_MIN_HOT)
		return PK_OK;
	if (t->nepisodes == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		struct pk_throttle_episode *e = realloc(t->episodes, *cap * sizeof *e);
		if (!e)
			return PK_ERR_NOMEM;
		t->episodes = e;
	}
	/* baseline: back from a, stopping at a gap or a hot sample */
	size_t base_a = a, ti = 0;
	pk_hw_metric_find("gpu.temperature_celsius", &ti);
	while (base_a > 0 && a - base_a < PK_THROTTLE_BASELINE_N) {
		if (is_gap(s, base_a, t->gap_threshold_s))
			break;
		double temp = s->v[ti][base_a - 1];
		if (!isnan(temp) && temp > t->threshold_c)
			break;
		base_a--;
	}
	struct pk_throttle_episode *e = &t->episodes[t->nepisodes];
	*e = (struct pk_throttle_episode){ 0 };
	e->start_us = s->ts_us[a];
	e->end_us = s->ts_us[b];
	e->duration_s = (double)(e->end_us - e->start_us) / 1e6;
	e->samples = b - a + 1;
	e->hot = hot;
	e->peak_c = peak;
	enum pk_status rc = compare_metric(s, fi, base_a, a, b, sc, &e->freq);
	if (rc == PK_OK)
		rc = compare_metric(s, ui, base_a, a, b, sc, &e->util);
	if (rc != PK_OK)
		return rc;
	e->throttled = e->freq.dropped || e->util.dropped;
	t->throttled += e->throttled != 0;
	t->nepisodes++;
	return PK_OK;
}

/* Walks the series once, closing an episode at a cool sample, a gap or the
 * end. */
static enum pk_status find_episodes(const struct pk_hw_series *s, struct pk_throttle *t)
{
	size_t ti = 0, fi = 0, ui = 0;
	if (!pk_hw_metric_find("gpu.temperature_celsius", &ti) ||
	    !pk_hw_metric_find("cpu.frequency_current_mhz", &fi) ||
	    !pk_hw_metric_find("gpu.utilization_percent", &ui))
		return PK_ERR_INPUT;
	struct scratch sc = { malloc(PK_THROTTLE_BASELINE_N * sizeof(double)),
	                      malloc((s->n ? s->n : 1) * sizeof(double)) };
	enum pk_status rc = sc.base && sc.ep ? PK_OK : PK_ERR_NOMEM;
	size_t cap = 0, a = 0, last = 0, hot = 0;
	double peak = NAN;
	int open = 0;
	for (size_t i = 0; i < s->n && rc == PK_OK; i++) {
		if (open && i > 0 && is_gap(s, i, t->gap_threshold_s)) {
			rc = add_episode(s, t, a, last, hot, peak, &sc, &cap, fi, ui);
			open = 0;
		}
		double temp = s->v[ti][i];
		if (isnan(temp) || rc != PK_OK)
			continue;
		t->temp_present++;
		if (temp > t->threshold_c) {
			t->hot++;
			if (!open) {
				open = 1;
				a = i;
				hot = 0;
				peak = temp;
			}
			last = i;
			hot++;
			if (temp > peak)
				peak = temp;
		} else if (open) {
			rc = add_episode(s, t, a, last, hot, peak, &sc, &cap, fi, ui);
			open = 0;
		}
	}
	if (rc == PK_OK && open)
		rc = add_episode(s, t, a, last, hot, peak, &sc, &cap, fi, ui);
	free(sc.base);
	free(sc.ep);
	return rc;
}

enum pk_status pk_throttle_series(const char *profile, const struct pk_window *w,
                                  const struct pk_hw_series *s, double threshold_c,
                                  struct pk_throttle *out)
{
	*out = (struct pk_throttle){ 0 };
	if (!profile || !w || !s || isnan(threshold_c) || (s->n && (!s->ts_us || !s->v)))
		return PK_ERR_INPUT;
	if (!(out->profile = strdup(profile)))
		return PK_ERR_NOMEM;
	out->window = *w;
	out->samples = s->n;
	out->threshold_c = threshold_c;
	struct pk_intervals iv;
	enum pk_status rc = pk_quality_intervals(s->ts_us, s->n, &iv);
	out->interval_s = iv.median_s;
	out->gap_threshold_s = PK_QUALITY_GAP_FACTOR * iv.median_s;
	if (rc == PK_OK)
		rc = find_episodes(s, out);
	if (rc != PK_OK)
		pk_throttle_free(out);
	return rc;
}
