/* quality.h - how far the numbers of a hardware series can be trusted: the
 * usual sampling interval, gaps, irregular sampling, missing values, time-
 * weighted means, and the rejected lines of the files the samples came from.
 * A library summary that other analyses (and the report stage) can call.
 *
 * Definitions (t in seconds: UTC microseconds / 1e6; d_i = t_{i+1} - t_i
 * over every sample of the window in time order, whatever it holds):
 *   interval     the usual sampling interval: median of the d_i (stats.h
 *                quantile); mean, sd (n-1), min and max of the d_i alongside;
 *                NAN with fewer than 2 samples
 *   cv           coefficient of variation of the intervals, sd / mean; NAN
 *                with fewer than 2 differences or a mean of 0
 *   gap          a difference d_i > 3 x interval (none when the interval is
 *                0 or NAN): start = t_i (the last sample before it), end =
 *                t_{i+1} (the first after it), length = d_i, missing =
 *                round(d_i / interval) - 1 (half away from zero), the
 *                samples the usual interval would have taken
 *   gap_share    sum of the gap lengths / (t_last - t_first); NAN when that
 *                span is 0
 *   irregular    cv > 0.5, or at least one gap
 *   per main metric (pk_hw_metrics flagged PK_METRIC_MAIN; for a generic
 *   source, every path outside the registry):
 *     present, missing   values present / missing (NAN) in the window
 *     mean       arithmetic mean of the present values (stats.h)
 *     tw_mean    time-weighted mean, trapezoid rule over consecutive present
 *                values (t_a, x_a), (t_b, x_b) whose distance is at most
 *                3 x interval (a pair across a gap, or across a missing
 *                stretch that long, is left out: nothing is known there):
 *                sum (t_b - t_a)(x_a + x_b)/2 / sum (t_b - t_a); NAN when
 *                no pair qualifies.  It differs from the mean when samples
 *                crowd in some periods and thin out in others.
 *   rejects      lines of the profile's source files (the files holding its
 *                samples in the window) that perfingest rejected, with the
 *                lines read from those files
 *   duplicates   not known: perfingest drops a line whose (profile, time) is
 *                already stored without keeping it or counting it in the
 *                database (only its run summary prints the count), so no
 *                duplicate count is reported here
 * tests/unit/test_quality.c checks these against numpy
 * (tests/fixtures/quality/make_reference.py). */
#ifndef PK_QUALITY_H
#define PK_QUALITY_H

#include <stddef.h>
#include <stdint.h>
#include "../core/buf.h"
#include "../core/db.h"
#include "../core/metrics.h"
#include "../core/query.h"
#include "../core/query_hw_sources.h"
#include "../core/query_profile.h"
#include "compare.h"

#define PK_QUALITY_GAP_FACTOR 3.0   /* a gap is longer than this x interval */
#define PK_QUALITY_CV_LIMIT 0.5     /* irregular above this cv */

struct pk_intervals {
	size_t n;                       /* differences (samples - 1) */
	double median_s, mean_s, sd_s, min_s, max_s, cv;   /* NAN when undefined */
};

/* Interval statistics of the ascending times ts[0..n).  PK_ERR_NOMEM when
 * scratch memory is not available. */
enum pk_status pk_quality_intervals(const int64_t *ts, size_t n, struct pk_intervals *out);

/* Trapezoid time-weighted mean of x[0..n) (NAN = missing) at times ts[0..n),
 * pairs of consecutive present values farther apart than max_step_s left
 * out (see tw_mean above).  NAN when no pair qualifies or max_step_s is NAN. */
double pk_time_weighted_mean(const int64_t *ts, const double *x, size_t n, double max_step_s);

struct pk_quality_gap {
	int64_t start_us, end_us;       /* the samples either side */
	double length_s;
	int64_t missing;                /* round(length / interval) - 1 */
};

struct pk_quality_metric {
	const struct pk_metric *metric;
	size_t present, missing;
	double mean, tw_mean;           /* NAN when undefined */
};

struct pk_quality {
	char *profile;                  /* owned */
	struct pk_window window;
	size_t samples;
	int64_t first_us, last_us;      /* first and last sample; 0 when none */
	struct pk_intervals iv;
	double gap_threshold_s;         /* 3 x interval */
	size_t ngaps;
	struct pk_quality_gap *gaps;    /* in time order */
	int64_t missing_intervals;      /* sum over the gaps */
	double gap_s, gap_share;
	int irregular;
	size_t nmetrics;
	struct pk_quality_metric *metrics;
	/* provenance, from pk_quality_add_sources (sources_known 0 before) */
	int sources_known;
	size_t nsources;
	struct pk_profile_source *sources;
	int64_t lines_read, rejects;    /* sums over the sources */
	int generic;                    /* 1: a generic source (analyze/generic_source.h) */
	struct pk_metric *own_metrics;  /* owned copies metrics[] point to, or NULL */
};

/* The quality of series s of `profile` over window w (no database needed;
 * sources_known stays 0).  out is cleared first; free with
 * pk_quality_free.  PK_ERR_INPUT for NULL arguments, PK_ERR_NOMEM. */
enum pk_status pk_quality_series(const char *profile, const struct pk_window *w,
                                 const struct pk_hw_series *s, struct pk_quality *out);

/* As pk_quality_series over view s; per metric: the registry's main
 * metrics and every path outside the registry (a generic source's); the
 * metric pointers point into s->metrics. */
enum pk_status pk_quality_view(const char *profile, const struct pk_window *w,
                               const struct pk_series_view *s, struct pk_quality *out);

/* Adds the source files of q's profile (q->generic: generic source) and
 * window with their rejects. */
enum pk_status pk_quality_add_sources(struct pk_db *db, struct pk_quality *q);

void pk_quality_free(struct pk_quality *q);

/* Everything above in one call: window, series, quality, sources; for a
 * generic source that is no machine its table (generic_source.h). */
enum pk_status pk_quality_for(struct pk_db *db, const char *profile, double hours,
                              int64_t until_us, struct pk_quality *out, struct pk_buf *err);

/* The brief quality of struct pk_data_quality (compare.h) from series s:
 * interval, cv, gaps, missing intervals and irregular as pk_quality_series
 * computes them, and, for an irregular series, the time-weighted mean of
 * every metric (pk_time_weighted_mean, pairs at most 3 x interval apart).
 * One pass over s per metric at most; q is cleared first and freed with
 * pk_data_quality_free.  PK_ERR_NOMEM. */
enum pk_status pk_data_quality_series(const struct pk_hw_series *s, struct pk_data_quality *q);

/* The same over view s, the time-weighted means of its metrics idx[0..n)
 * (idx NULL: metrics 0..n-1) in that order. */
enum pk_status pk_data_quality_view(const struct pk_series_view *s, const size_t *idx, size_t n,
                                    struct pk_data_quality *q);
void pk_data_quality_free(struct pk_data_quality *q);

/* Adds the source files of series s of `profile` (the series q was made
 * from) with their lines read and rejects, found by pk_query_hw_sources
 * (core/query_hw_sources.h: a few look-ups by key, not a scan). */
enum pk_status pk_data_quality_add_sources(struct pk_db *db, const char *profile,
                                           const struct pk_hw_series *s,
                                           struct pk_data_quality *q);

#endif
