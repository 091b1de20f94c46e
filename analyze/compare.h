/* compare.h - per-profile analysis and profile-vs-profile comparison of
 * hardware samples.  These result structs are what the text/JSON/CSV writers
 * and the report stage consume; nothing re-parses printed output. */
#ifndef PK_COMPARE_H
#define PK_COMPARE_H

#include <stddef.h>
#include <stdint.h>
#include "../core/db.h"
#include "../core/metrics.h"
#include "../core/query.h"
#include "stats.h"

struct pk_window {
	int64_t from_us, to_us;   /* inclusive */
};

/* The window of `hours` hours ending at until_us, or, when until_us is
 * INT64_MIN, at the profile's own newest sample.  PK_NODATA if the profile
 * has no samples; PK_USAGE for negative or NAN hours; INFINITY hours reach
 * back to the first sample (from_us = INT64_MIN); 0 hours: every sample up
 * to the end (from_us = the profile's first sample). */
enum pk_status pk_window_for(struct pk_db *db, const char *profile,
                             double hours, int64_t until_us,
                             struct pk_window *out);

/* The window of pk_window_for from a profile's (or source's) count and
 * time range.  PK_USAGE for negative or NAN hours. */
enum pk_status pk_window_of(const struct pk_profile_info *info, double hours, int64_t until_us,
                            struct pk_window *out);

/* The one window loader of perfanalyze and perfreport: the window of
 * `hours` ending at until_us (as pk_window_for; the values of --hours and
 * --until, parsed by core/cli.h) and its series.  PK_NODATA for an unknown
 * profile or an empty window, with a message for people in err; the caller
 * frees s with pk_hw_series_free. */
enum pk_status pk_load_profile_window(struct pk_db *db, const char *profile, double hours,
                                      int64_t until_us, struct pk_window *w,
                                      struct pk_hw_series *s, struct pk_buf *err);

/* A time-aligned table of metric values, owning nothing: a hardware series
 * (pk_hw_view: the registry's metrics) or a generic source's table
 * (core/query_generic_table.h: its paths).  v[m][i] is metrics[m] at
 * ts_us[i], NAN when missing. */
struct pk_series_view {
	size_t n;
	const int64_t *ts_us;
	size_t nmetrics;
	const struct pk_metric *metrics;
	double *const *v;
};

/* The view of hardware series s (s keeps owning everything). */
struct pk_series_view pk_hw_view(const struct pk_hw_series *s);

struct pk_metric_summary {
	const struct pk_metric *metric;
	struct pk_summary s;
};

/* The data quality of one profile's series in its window, in brief (the
 * definitions are quality.h's: interval = median of the differences of
 * consecutive sample times, cv of those differences, a gap is a difference
 * > 3 x interval, irregular = cv > 0.5 or a gap).  The series part is filled
 * by pk_analyze_series and pk_compare_series (one O(n) pass over the loaded
 * series); the source files by pk_data_quality_add_sources (quality.h). */
struct pk_data_quality {
	double interval_s, cv;            /* NAN when undefined */
	size_t gaps;
	double gap_s;                     /* summed gap lengths; 0 without gaps */
	int64_t missing_intervals;        /* sum over the gaps */
	int irregular;
	/* time-weighted mean of each metric of the result it belongs to (its
	 * metrics' order: the registry's for hardware series; NAN when
	 * undefined); computed for irregular series only, else NULL */
	double *tw_mean;
	/* provenance: 0 until pk_data_quality_add_sources */
	int sources_known;
	int sources_scanned;              /* 1: found by the exact scan */
	size_t source_files;
	int64_t lines_read, rejects;
};

struct pk_analysis {
	char *profile;                    /* owned */
	struct pk_window window;
	size_t samples;                   /* samples in the window */
	size_t nmetrics;                  /* = pk_hw_nmetrics, or the view's */
	struct pk_metric_summary *metrics;
	struct pk_data_quality quality;
};

/* As pk_analyze_series, over every metric of view s (in its order); the
 * results' metric pointers point into s->metrics, which must outlive out. */
enum pk_status pk_analyze_view(const char *profile, const struct pk_window *w,
                               const struct pk_series_view *s, struct pk_analysis *out);

/* Summary of each metric over the series (missing values excluded).  out
 * is cleared first and, on PK_OK, freed with pk_analysis_free; threads and
 * errors as pk_compare_series. */
enum pk_status pk_analyze_series(const char *profile, const struct pk_window *w,
                                 const struct pk_hw_series *s,
                                 struct pk_analysis *out);
void pk_analysis_free(struct pk_analysis *a);

enum pk_verdict {
	PK_VERDICT_UNDEFINED,     /* the adjusted p is undefined */
	PK_VERDICT_NO_DIFFERENCE, /* adjusted p >= alpha */
	PK_VERDICT_BETTER,        /* B better, by the metric's direction */
	PK_VERDICT_WORSE,         /* B worse */
	PK_VERDICT_HIGHER,        /* neutral metric, B significantly higher */
	PK_VERDICT_LOWER          /* neutral metric, B significantly lower */
};

/* "B better", "B worse", "no significant difference", "B higher", "B lower",
 * "undefined". */
const char *pk_verdict_str(enum pk_verdict v);

#define PK_ALPHA 0.05

struct pk_metric_compare {
	const struct pk_metric *metric;
	struct pk_summary a, b;
	double diff;              /* mean_b - mean_a */
	double ratio;             /* mean_b / mean_a; NAN if mean_a == 0 */
	double welch_p;
	double mannwhitney_p;
	double cohens_d;
	double r1_a, r1_b;        /* over present values in time order */
	double n_eff_a, n_eff_b;  /* not rounded */
	double welch_p_adjusted;  /* Welch with n replaced by n_eff */
	enum pk_verdict verdict;  /* judged on welch_p_adjusted at PK_ALPHA */
	/* An amount of memory (RAM used/available, VRAM used/free) on machines
	 * whose capacities (max of used + available, used + free) differ by
	 * more than PK_CAPACITY_DIFFERS: each side's capacity, and the verdict
	 * is "B higher"/"B lower", not better/worse (a bigger machine using
	 * more is not worse; its share of capacity is what is judged).
	 * NAN otherwise. */
	double capacity_a, capacity_b;
};

#define PK_CAPACITY_DIFFERS 0.10

struct pk_compare {
	char *a, *b;                      /* owned profile names */
	struct pk_window window_a, window_b;
	size_t samples_a, samples_b;
	size_t nmetrics;
	struct pk_metric_compare *metrics;
	struct pk_data_quality quality_a, quality_b;
};

/* Compares every metric of sb (profile b) against sa (profile a), missing
 * values excluded; see struct pk_metric_compare.  out is cleared first and,
 * on PK_OK, freed by the caller with pk_compare_free.  Long series are
 * shared out over up to 4 threads (one per online processor); the results
 * do not depend on how many.  PK_ERR_INPUT for a NULL argument or a series
 * without its value arrays, PK_ERR_NOMEM when memory runs out. */
enum pk_status pk_compare_series(const char *a, const struct pk_window *wa,
                                 const struct pk_hw_series *sa,
                                 const char *b, const struct pk_window *wb,
                                 const struct pk_hw_series *sb,
                                 struct pk_compare *out);

/* As pk_compare_series over the metrics both views share: those named the
 * same on both sides with at least one value on each, in sa's order (a
 * hardware profile against a generic source, or two generic sources).
 * Directions are the metrics' (neutral for a path outside the registry:
 * verdict "B higher"/"B lower"); no capacity judgement.  The results'
 * metric pointers point into sa->metrics, which must outlive out. */
enum pk_status pk_compare_views(const char *a, const struct pk_window *wa,
                                const struct pk_series_view *sa,
                                const char *b, const struct pk_window *wb,
                                const struct pk_series_view *sb,
                                struct pk_compare *out);
void pk_compare_free(struct pk_compare *c);

#endif
