/* regress.h - benchmark regressions: each benchmark series' latest run
 * against a baseline, and the series' change points (changepoint.h).
 * Checked against numpy/scipy by tests/unit/test_regress.c
 * (tests/fixtures/regress/make_reference.py).
 *
 * Definitions:
 *   series     the bench_result rows of one suite, host and name, in time
 *              order; a run's value is its mean (bench_result.mean), its
 *              sample its finite bench_value values.  Runs without a mean
 *              are left out of the series (counted in runs_without_mean).
 *   latest     the newest run of the series (at or before --until).
 *   baseline   --baseline-runs N (default 5): the N runs before the latest
 *              (fewer when the series is shorter), outliers (below) left
 *              out; but when the latest run's segment began at a change
 *              point within those N runs, the N runs before that change
 *              point instead (before_change = 1): a step three runs ago is
 *              still a regression today, and stays one until N runs of the
 *              new level have passed.  --baseline TIME: the one run that is
 *              the series' newest at or before TIME (ISO-8601 or epoch
 *              seconds), which must be older than the latest run.
 *   baseline_mean  arithmetic mean of the baseline runs' means (each run
 *              weighs the same whatever its number of values)
 *   diff       latest_mean - baseline_mean;  ratio latest_mean / baseline_mean
 *              (NAN when baseline_mean is 0).  Means, not medians: the run's
 *              value is what hyperfine and perfkit_bench report as its mean.
 *   mannwhitney_p  pk_mannwhitney_p (stats.h) of the latest run's values
 *              against the baseline runs' values pooled; NAN when a side has
 *              no values or every value is equal.
 *   hl_shift   Hodges-Lehmann estimate of the shift latest - baseline: the
 *              median of the n m differences D = x_i - y_j (x latest, y
 *              pooled baseline; the mean of the two middle ones when n m is
 *              even).
 *   hl_lo, hl_hi  its distribution-free 95 % confidence interval from the
 *              order statistics of D (Hollander & Wolfe, Nonparametric
 *              Statistical Methods, 2nd ed. 1999, section 4.3, large-sample
 *              approximation): C = floor(n m / 2 - z sqrt(n m (n + m + 1) / 12)
 *              + 0.5), z = Phi^-1(0.975); hl_lo = D_(C), hl_hi = D_(n m + 1 - C)
 *              (1-based order statistics).  NAN when C < 1 (too few values
 *              for a 95 % interval).  No tie correction.
 *   verdict    undefined when mannwhitney_p is NAN; "no significant change"
 *              when p >= alpha (0.05), hl_shift is 0, or --threshold X is
 *              given and |ratio - 1| < X (undefined when X is given and the
 *              ratio is NAN); otherwise the sign of hl_shift read by the
 *              series' direction: larger values of a 'lower' series are a
 *              regression, of a 'higher' series an improvement; a series
 *              without direction is "higher" or "lower".
 *   change points  pk_changepoints (changepoint.h) over the series' run
 *              means (whole history) with --min-segment and --alpha; each
 *              with the time (and revision, when the run has one) of the
 *              first run after the change, the means of
 *              the segments before and after, the jump (net of trend) in
 *              units of the noise sd, Z and p, and the jump read by the
 *              series' direction (verdict: regression, improvement, higher,
 *              lower).
 *   outliers   the runs pk_changepoints names outliers (single spikes):
 *              never change points, never in the default baseline.
 *   latest_status  "new level" when the latest run is in a segment that
 *              began at a change point within the last N runs (the baseline
 *              is then the runs before it), "out of line" when the latest run
 *              differs from the runs before it like an outlier would (a spike
 *              or the first run of a change: too few runs after it to tell),
 *              else "in line".
 * Caveat: the Mann-Whitney test treats the pooled per-run times as
 * independent; run-to-run variation (a machine's state on the day) is not
 * in it.  The change points look at run means, which carry it. */
#ifndef PK_REGRESS_H
#define PK_REGRESS_H

#include <stddef.h>
#include <stdint.h>
#include "../core/db.h"
#include "../core/query_bench.h"
#include "changepoint.h"

#define PK_REGRESS_BASELINE_RUNS 5

enum pk_regress_verdict {
	PK_RV_UNDEFINED,
	PK_RV_NO_CHANGE,
	PK_RV_REGRESSION,
	PK_RV_IMPROVEMENT,
	PK_RV_HIGHER,        /* no direction: significantly higher */
	PK_RV_LOWER          /* no direction: significantly lower */
};

/* "undefined", "no significant change", "regression", "improvement",
 * "higher", "lower". */
const char *pk_regress_verdict_str(enum pk_regress_verdict v);

/* "lower", "higher", or NULL for neutral. */
const char *pk_bench_direction_str(enum pk_bench_direction d);

struct pk_regress_options {
	int64_t baseline_us;     /* --baseline; INT64_MIN: the previous runs */
	size_t baseline_runs;    /* --baseline-runs; 0: PK_REGRESS_BASELINE_RUNS */
	double threshold;        /* --threshold (relative, 0.05 = 5 %); NAN: none */
	struct pk_cp_options cp; /* --min-segment (0: by series length), --alpha */
};

struct pk_regress_cp {
	size_t index;            /* in the series (runs with a mean), 0-based */
	int64_t time_us;         /* the first run after the change */
	double before_mean, after_mean;
	double statistic, p;     /* Z and its p (changepoint.h) */
	double jump, size_sd;    /* level change net of trend; in noise sd */
	enum pk_regress_verdict verdict; /* the jump read by the direction */
	char *revision;          /* owned: bench_run.revision of that run, or NULL */
	size_t revision_len;
};

struct pk_regress_outlier {
	size_t index;            /* in the series, 0-based */
	int64_t time_us;
	double value;            /* the run's mean */
};

enum pk_latest_status {
	PK_LATEST_IN_LINE,
	PK_LATEST_NEW_LEVEL,     /* after a change point within the last N runs */
	PK_LATEST_OUT_OF_LINE    /* a spike, or a change too new to tell */
};

/* "in line", "new level", "out of line". */
const char *pk_latest_status_str(enum pk_latest_status s);

struct pk_regress_series {
	char *suite, *host, *name, *unit;     /* owned; unit may be NULL */
	size_t suite_len, host_len, name_len;
	enum pk_bench_direction direction;
	size_t runs;                          /* runs with a mean */
	size_t runs_without_mean;
	int64_t first_us, last_us;            /* of the runs with a mean */
	double latest_mean, latest_median;    /* median of its values */
	size_t latest_values;
	size_t baseline_nruns;                /* 0: no baseline */
	int64_t baseline_from_us, baseline_to_us;
	double baseline_mean, baseline_median;
	size_t baseline_values;
	double diff, ratio, mannwhitney_p, hl_shift, hl_lo, hl_hi;
	enum pk_regress_verdict verdict;
	size_t ncp;
	struct pk_regress_cp *cp;             /* owned, by time */
	/* added with the PELT detector (issue 9) */
	int before_change;                    /* baseline moved before cp[ncp-1] */
	enum pk_latest_status latest_status;
	size_t noutliers;
	struct pk_regress_outlier *outliers;  /* owned, by time */
	size_t min_segment;                   /* h as used for this series */
	double noise_sd, noise_phi, slope;    /* pk_cp_result sigma, phi, slope */
	int wandering;                        /* the random-walk case */
};

struct pk_regress {
	struct pk_regress_options opt;        /* as used (defaults filled in) */
	size_t n;
	struct pk_regress_series *s;          /* owned, by suite, host, name */
};

/* The regression analysis of every benchmark series of suite (NULL: all)
 * and host (NULL: all) with runs at or before until_us (INT64_MIN: all).
 * out is cleared first; free it with pk_regress_free (also on error).
 * PK_NODATA when no series matches; PK_ERR_DB, PK_ERR_NOMEM. */
enum pk_status pk_regress_db(struct pk_db *db, const char *suite, const char *host,
                             int64_t until_us, const struct pk_regress_options *o,
                             struct pk_regress *out);
void pk_regress_free(struct pk_regress *r);

/* The k-th smallest (1-based, 1 <= k <= n m) of the differences
 * x_i - y_j of ascending x[0..n) and y[0..m) (no NAN), as computed in
 * double arithmetic, in O((n + m) 64) time and O(1) memory; NAN when k is
 * out of range. */
double pk_pairdiff_kth(const double *x, size_t n, const double *y, size_t m, uint64_t k);

/* Hodges-Lehmann shift of ascending x against ascending y and its 95 %
 * confidence interval, as defined above; NAN when undefined (an empty
 * sample; the interval also when C < 1). */
void pk_hodges_lehmann(const double *x, size_t n, const double *y, size_t m,
                       double *shift, double *lo, double *hi);

/* The verdict from p, hl_shift, ratio, threshold (NAN: none) and the
 * direction, as defined above. */
enum pk_regress_verdict pk_regress_verdict_of(enum pk_bench_direction d, double p,
                                              double shift, double ratio,
                                              double threshold);

#endif
