/* quality.c - data quality of a hardware series (quality.h). */
#include "quality.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/diag.h"
#include "generic_source.h"
#include "stats.h"

/* Neumaier-compensated running sum: long series of small steps. */
struct ksum {
	double s, c;
};

static void ksum_add(struct ksum *k, double x)
{
	double t = k->s + x;
	if (fabs(k->s) >= fabs(x))
		k->c += (k->s - t) + x;
	else
		k->c += (x - t) + k->s;
	k->s = t;
}

static double ksum_get(const struct ksum *k)
{
	return k->s + k->c;
}

static double seconds(int64_t a_us, int64_t b_us)
{
	return (double)(b_us - a_us) / 1e6;
}

enum pk_status pk_quality_intervals(const int64_t *ts, size_t n, struct pk_intervals *out)
{
	*out = (struct pk_intervals){ 0, NAN, NAN, NAN, NAN, NAN, NAN };
	if (n < 2)
		return PK_OK;
	size_t nd = n - 1;
	double *d = malloc(nd * sizeof *d);
	if (!d)
		return PK_ERR_NOMEM;
	for (size_t i = 0; i < nd; i++)
		d[i] = seconds(ts[i], ts[i + 1]);
	if (pk_sort_doubles(d, nd) != 0) {
		free(d);
		return PK_ERR_NOMEM;
	}
	struct pk_summary s;
	pk_summary_sorted(d, nd, &s);
	free(d);
	out->n = nd;
	out->median_s = s.median;
	out->mean_s = s.mean;
	out->sd_s = s.stdev;
	out->min_s = s.min;
	out->max_s = s.max;
	out->cv = nd >= 2 && s.mean != 0 ? s.stdev / s.mean : NAN;
	return PK_OK;
}

double pk_time_weighted_mean(const int64_t *ts, const double *x, size_t n, double max_step_s)
{
	if (isnan(max_step_s))
		return NAN;
	struct ksum area = { 0, 0 }, span = { 0, 0 };
	size_t prev = SIZE_MAX;
	for (size_t i = 0; i < n; i++) {
		if (isnan(x[i]))
			continue;
		if (prev != SIZE_MAX) {
			double dt = seconds(ts[prev], ts[i]);
			if (dt <= max_step_s && dt > 0) {
				ksum_add(&area, dt * (x[prev] + x[i]) / 2);
				ksum_add(&span, dt);
			}
		}
		prev = i;
	}
	double tot = ksum_get(&span);
	return tot > 0 ? ksum_get(&area) / tot : NAN;
}

void pk_quality_free(struct pk_quality *q)
{
	for (size_t m = 0; q->own_metrics && m < q->nmetrics; m++)
		free((char *)q->own_metrics[m].name);
	free(q->own_metrics);
	free(q->profile);
	free(q->gaps);
	free(q->metrics);
	pk_profile_sources_free(q->sources, q->nsources);
	*q = (struct pk_quality){ 0 };
}

/* The gaps of q (interval known and positive): two passes, count then fill. */
static enum pk_status find_gaps(const struct pk_series_view *s, struct pk_quality *q)
{
	double lim = q->gap_threshold_s;
	if (isnan(lim) || lim <= 0)
		return PK_OK;
	size_t ng = 0;
	for (size_t i = 0; i + 1 < s->n; i++)
		ng += seconds(s->ts_us[i], s->ts_us[i + 1]) > lim;
	if (ng == 0)
		return PK_OK;
	if (!(q->gaps = malloc(ng * sizeof *q->gaps)))
		return PK_ERR_NOMEM;
	struct ksum tot = { 0, 0 };
	for (size_t i = 0; i + 1 < s->n; i++) {
		double len = seconds(s->ts_us[i], s->ts_us[i + 1]);
		if (!(len > lim))
			continue;
		struct pk_quality_gap *g = &q->gaps[q->ngaps++];
		g->start_us = s->ts_us[i];
		g->end_us = s->ts_us[i + 1];
		g->length_s = len;
		g->missing = (int64_t)llround(len / q->iv.median_s) - 1;
		q->missing_intervals += g->missing;
		ksum_add(&tot, len);
	}
	q->gap_s = ksum_get(&tot);
	return PK_OK;
}

/* The metrics --quality details: the registry's main ones, and every path
 * of a generic source outside the registry. */
static int detailed(const struct pk_metric *m)
{
	return (m->flags & (PK_METRIC_MAIN | PK_METRIC_UNREGISTERED)) != 0;
}

/* Present count, mean and time-weighted mean of each detailed metric. */
static enum pk_status metric_quality(const struct pk_series_view *s, struct pk_quality *q)
{
	size_t nmain = 0;
	for (size_t m = 0; m < s->nmetrics; m++)
		nmain += detailed(&s->metrics[m]);
	q->metrics = calloc(nmain ? nmain : 1, sizeof *q->metrics);
	double *buf = malloc((s->n ? s->n : 1) * sizeof *buf);
	if (!q->metrics || !buf) {
		free(buf);
		return PK_ERR_NOMEM;
	}
	for (size_t m = 0; m < s->nmetrics; m++) {
		if (!detailed(&s->metrics[m]))
			continue;
		struct pk_quality_metric *qm = &q->metrics[q->nmetrics++];
		qm->metric = &s->metrics[m];
		qm->present = pk_drop_missing(s->v[m], s->n, buf);
		qm->missing = s->n - qm->present;
		qm->mean = NAN;
		if (qm->present > 0) {
			if (pk_sort_doubles(buf, qm->present) != 0) {
				free(buf);
				return PK_ERR_NOMEM;
			}
			struct pk_summary sum;
			pk_summary_sorted(buf, qm->present, &sum);
			qm->mean = sum.mean;
		}
		qm->tw_mean = pk_time_weighted_mean(s->ts_us, s->v[m], s->n, q->gap_threshold_s);
	}
	free(buf);
	return PK_OK;
}

enum pk_status pk_quality_series(const char *profile, const struct pk_window *w,
                                 const struct pk_hw_series *s, struct pk_quality *out)
{
	if (!s) {
		*out = (struct pk_quality){ 0 };
		return PK_ERR_INPUT;
	}
	struct pk_series_view v = pk_hw_view(s);
	return pk_quality_view(profile, w, &v, out);
}

enum pk_status pk_quality_view(const char *profile, const struct pk_window *w,
                               const struct pk_series_view *s, struct pk_quality *out)
{
	*out = (struct pk_quality){ 0 };
	if (!profile || !w || !s || (s->n && (!s->ts_us || !s->v || !s->metrics)))
		return PK_ERR_INPUT;
	if (!(out->profile = strdup(profile)))
		return PK_ERR_NOMEM;
	out->window = *w;
	out->samples = s->n;
	out->gap_share = NAN;
	if (s->n) {
		out->first_us = s->ts_us[0];
		out->last_us = s->ts_us[s->n - 1];
	}
	enum pk_status rc = pk_quality_intervals(s->ts_us, s->n, &out->iv);
	out->gap_threshold_s = PK_QUALITY_GAP_FACTOR * out->iv.median_s;
	if (rc == PK_OK)
		rc = find_gaps(s, out);
	if (rc == PK_OK)
		rc = metric_quality(s, out);
	if (rc != PK_OK) {
		pk_quality_free(out);
		return rc;
	}
	if (out->last_us > out->first_us)
		out->gap_share = out->gap_s / seconds(out->first_us, out->last_us);
	out->irregular = out->ngaps > 0 || out->iv.cv > PK_QUALITY_CV_LIMIT;
	return PK_OK;
}

enum pk_status pk_quality_add_sources(struct pk_db *db, struct pk_quality *q)
{
	pk_profile_sources_free(q->sources, q->nsources);
	q->sources = NULL;
	q->nsources = 0;
	q->lines_read = q->rejects = 0;
	q->sources_known = 0;
	enum pk_status rc = q->generic
		? pk_query_generic_sources(db, q->profile, q->window.from_us, q->window.to_us,
		                           &q->sources, &q->nsources)
		: pk_query_profile_sources(db, q->profile, q->window.from_us, q->window.to_us,
		                           &q->sources, &q->nsources);
	if (rc != PK_OK)
		return rc;
	for (size_t i = 0; i < q->nsources; i++) {
		q->lines_read += q->sources[i].lines_read;
		q->rejects += q->sources[i].rejects;
	}
	q->sources_known = 1;
	return PK_OK;
}

/* Copies the metric entries q's metrics point to into q (a generic
 * source's table is freed before q is written). */
static enum pk_status own_metrics(struct pk_quality *q)
{
	if (!(q->own_metrics = calloc(q->nmetrics ? q->nmetrics : 1, sizeof *q->own_metrics)))
		return PK_ERR_NOMEM;
	for (size_t m = 0; m < q->nmetrics; m++) {
		q->own_metrics[m] = *q->metrics[m].metric;
		q->own_metrics[m].name = strdup(q->metrics[m].metric->name);
		q->own_metrics[m].label = q->own_metrics[m].name;
		if (!q->own_metrics[m].name)
			return PK_ERR_NOMEM;
		q->metrics[m].metric = &q->own_metrics[m];
	}
	return PK_OK;
}

enum pk_status pk_quality_for(struct pk_db *db, const char *profile, double hours,
                              int64_t until_us, struct pk_quality *out, struct pk_buf *err)
{
	struct pk_window w;
	struct pk_hw_series s;
	*out = (struct pk_quality){ 0 };
	enum pk_status rc;
	if (pk_generic_only(db, profile)) {
		struct pk_generic_load g;
		rc = pk_load_generic_window(db, profile, hours, until_us, &g, err);
		if (rc != PK_OK)
			return rc;
		rc = pk_quality_view(profile, &g.w, &g.view, out);
		if (rc == PK_OK)
			rc = own_metrics(out);
		pk_generic_load_free(&g);
		if (rc == PK_OK)
			out->generic = 1;
	} else {
		rc = pk_load_profile_window(db, profile, hours, until_us, &w, &s, err);
		if (rc != PK_OK)
			return rc;
		rc = pk_quality_series(profile, &w, &s, out);
		pk_hw_series_free(&s);
	}
	if (rc == PK_OK)
		rc = pk_quality_add_sources(db, out);
	if (rc == PK_ERR_DB)
		pk_buf_printf(err, "database: %s", pk_db_errmsg(db));
	if (rc != PK_OK)
		pk_quality_free(out);
	return rc;
}

void pk_data_quality_free(struct pk_data_quality *q)
{
	if (!q)
		return;
	free(q->tw_mean);
	*q = (struct pk_data_quality){ 0 };
}

enum pk_status pk_data_quality_series(const struct pk_hw_series *s, struct pk_data_quality *q)
{
	if (!s) {
		*q = (struct pk_data_quality){ 0 };
		q->interval_s = q->cv = NAN;
		return PK_ERR_INPUT;
	}
	struct pk_series_view v = pk_hw_view(s);
	return pk_data_quality_view(&v, NULL, pk_hw_nmetrics, q);
}

enum pk_status pk_data_quality_view(const struct pk_series_view *s, const size_t *idx, size_t n,
                                    struct pk_data_quality *q)
{
	*q = (struct pk_data_quality){ 0 };
	q->interval_s = q->cv = NAN;
	if (!s || (s->n && (!s->ts_us || !s->v)))
		return PK_ERR_INPUT;
	struct pk_intervals iv;
	enum pk_status rc = pk_quality_intervals(s->ts_us, s->n, &iv);
	if (rc != PK_OK)
		return rc;
	q->interval_s = iv.median_s;
	q->cv = iv.cv;
	double lim = PK_QUALITY_GAP_FACTOR * iv.median_s;
	struct ksum tot = { 0, 0 };
	if (lim > 0) {
		for (size_t i = 0; i + 1 < s->n; i++) {
			double len = seconds(s->ts_us[i], s->ts_us[i + 1]);
			if (!(len > lim))
				continue;
			q->gaps++;
			q->missing_intervals += (int64_t)llround(len / iv.median_s) - 1;
			ksum_add(&tot, len);
		}
	}
	q->gap_s = ksum_get(&tot);
	q->irregular = q->gaps > 0 || iv.cv > PK_QUALITY_CV_LIMIT;
	if (!q->irregular)
		return PK_OK;
	if (!(q->tw_mean = malloc((n ? n : 1) * sizeof *q->tw_mean)))
		return PK_ERR_NOMEM;
	for (size_t k = 0; k < n; k++)
		q->tw_mean[k] = pk_time_weighted_mean(s->ts_us, s->v[idx ? idx[k] : k], s->n, lim);
	return PK_OK;
}

enum pk_status pk_data_quality_add_sources(struct pk_db *db, const char *profile,
                                           const struct pk_hw_series *s,
                                           struct pk_data_quality *q)
{
	if (!db || !profile || !s || !q)
		return PK_ERR_INPUT;
	struct pk_hw_source_totals t;
	enum pk_status rc = pk_query_hw_sources(db, profile, s->ts_us, s->n, &t);
	if (rc != PK_OK)
		return rc;
	q->sources_known = 1;
	q->sources_scanned = t.scanned;
	q->source_files = t.files;
	q->lines_read = t.lines_read;
	q->rejects = t.rejects;
	return PK_OK;
}
