/* experiment.h - analysis of LLM experiments (F5): per-cycle statistics,
 * timing breakdown, the writer's bottleneck rules recomputed beside the ones
 * it recorded, crashes, variation, memory-leak and throughput trends, and
 * experiment-against-experiment tests.  Results are plain structs that the
 * writers of cmd_experiment.c and the report stage render.
 *
 * Definitions (n = cycles of the experiment; a missing value, NULL in the
 * database, is left out of every statistic that needs it, never taken as 0):
 *   statistics   pk_summary (stats.h) of duration, llm_total_time,
 *                db_total_time, llm_tokens_per_second and mem_peak_mb over
 *                the cycles where the value is present; `missing` counts the
 *                others
 *   cv           stdev / mean of cycle duration (NAN when mean is 0 or n < 2)
 *   timings      per timing name: total = sum of its durations, count,
 *                mean = total / count, share = total / D where D = the sum of
 *                every present cycle duration (timings may overlap or miss
 *                parts of a cycle, so shares need not add up to 1)
 *   mode overhead  per cycle: duration - llm_total_time - db_total_time,
 *                over cycles where all three are present (the writer itself
 *                measures it with a timing named mode_overhead; see
 *                timing_mode_overhead below)
 *   rules        M = mean cycle duration; the writer's rules (FORMATS.md F5)
 *                recomputed from the cycles:
 *                  llm_inference    mean LLM time > 0.60 M  -> high
 *                  database         mean DB time  > 0.15 M  -> medium,
 *                                                 > 0.30 M  -> high
 *                  mode_overhead    mean mode overhead > 0.10 M -> medium
 *                  memory_pressure  max peak memory > 0.80 * total_memory_gb
 *                                   * 1024 MB               -> high
 *                  slow_cycles      max duration > 2 M      -> medium; count
 *                                   = cycles with duration > 1.5 M
 *                value is the statistic the rule tests (share of M for the
 *                first three, MB, seconds), limit its threshold; a rule whose
 *                inputs are missing is not evaluated
 *   crash rate   crashed cycles / cycles whose crashed flag is present
 *   trend        of y (peak memory, tokens/s) against x = cycle_number over
 *                the cycles where y is present:
 *                  ols slope/intercept: least squares (gsl_fit_linear); p:
 *                    two-sided t test of slope = 0 with n-2 df, t = slope /
 *                    se, se^2 = sum of squared residuals / (n-2) / Sxx (as
 *                    scipy.stats.linregress); NAN for n < 3 or constant x
 *                  growth: fitted change over the run relative to the fitted
 *                    start, slope (x_last - x_first) / (intercept + slope
 *                    x_first); NAN when the fitted start is <= 0
 *                  theil_sen: median of the slopes (y_j - y_i) / (x_j - x_i)
 *                    over all pairs i < j (scipy.stats.theilslopes' slope),
 *                    exact; see pk_theil_sen
 *                  mann_kendall: S = sum over i < j of sign(y_j - y_i) in
 *                    cycle order, var S = (n(n-1)(2n+5) - sum over tie
 *                    groups t(t-1)(2t+5)) / 18, z = (S - sign S) / sqrt(var S)
 *                    (continuity correction, 0 when S = 0), p = 2 Q(|z|)
 *                    (pymannkendall.original_test); NAN for n < 3 or var 0
 *   leak         verdict on the memory trend: "leak" when ols slope > 0,
 *                p < 0.01 and growth > 0.10; "no leak" otherwise; "undefined"
 *                when p or growth is NAN
 *   comparison   each experiment against the first: Welch (pk_welch_p) and
 *                Mann-Whitney (pk_mannwhitney_p) on cycle duration and on
 *                tokens/s, present values only; cycles are treated as
 *                independent samples */
#ifndef PK_EXPERIMENT_H
#define PK_EXPERIMENT_H

#include <stddef.h>
#include <stdint.h>
#include "../core/query_experiment.h"
#include "stats.h"

enum pk_exp_metric {
	PK_EXPM_DURATION, PK_EXPM_LLM, PK_EXPM_DB, PK_EXPM_TPS, PK_EXPM_MEM,
	PK_EXPM_N
};

/* JSON key / CSV name and unit of each metric: "duration_s", "s" ... */
extern const char *const pk_exp_metric_key[PK_EXPM_N];
extern const char *const pk_exp_metric_unit[PK_EXPM_N];

struct pk_exp_stat {
	struct pk_summary s;
	size_t missing;
};

struct pk_exp_timing {
	const char *name;        /* into the data; NULL for a NULL name */
	size_t count;
	double total, share, mean;
};

enum pk_exp_rule {
	PK_RULE_LLM, PK_RULE_DB, PK_RULE_MODE, PK_RULE_MEMORY, PK_RULE_SLOW,
	PK_RULE_N
};

struct pk_exp_bottleneck {
	const char *type;        /* "llm_inference" ... (static) */
	int evaluated;           /* 0: inputs missing */
	int fired;
	const char *severity;    /* "high" / "medium", NULL when not fired */
	double value, limit;     /* tested statistic and its threshold */
	double percentage;       /* 100 value / M (first three rules), else NAN */
	double avg_time_s;       /* mean per-cycle time (first three), else NAN */
	double max;              /* slow_cycles: slowest cycle, memory: peak MB */
	size_t count;            /* slow_cycles: cycles > 1.5 M; else cycles used */
	const struct pk_exp_recorded *recorded; /* the writer's, or NULL */
	int agree;               /* fired == (recorded != NULL); shown only when evaluated */
	const char *recommendation; /* fixed text per rule (static) */
};

struct pk_exp_trend {
	size_t n;
	double slope, intercept, p, growth;  /* ols */
	double theil_sen;
	double mk_s, mk_z, mk_p;
};

struct pk_exp_result {
	struct pk_exp_data d;            /* owned */
	struct pk_exp_stat stat[PK_EXPM_N];
	double cv;
	double total_cycle_time;         /* D */
	struct pk_exp_timing *timings;   /* d.ntimings, in d's order */
	double timing_mode_overhead;     /* mean of timings named mode_overhead, or NAN */
	double mean_mode_overhead;       /* mean of duration - llm - db */
	struct pk_exp_bottleneck rules[PK_RULE_N];
	size_t crash_known, crashed;
	double crash_rate;
	struct pk_exp_trend mem, tps;
	const char *leak;                /* "leak", "no leak", "undefined" */
	double *sorted[PK_EXPM_N];       /* present values ascending (owned) */
};

/* Reads and analyses experiment id.  PK_NODATA for an unknown id, else as
 * pk_query_experiment; out is cleared first and, on PK_OK, freed with
 * pk_exp_result_free. */
enum pk_status pk_experiment_analyze(struct pk_db *db, const char *id,
                                     struct pk_exp_result *out);

/* The same on data already read; takes ownership of *d (cleared). */
enum pk_status pk_experiment_analyze_data(struct pk_exp_data *d,
                                          struct pk_exp_result *out);
void pk_exp_result_free(struct pk_exp_result *r);

/* Trend of y[0..n) against x[0..n) (x strictly ascending, no NAN). */
enum pk_status pk_exp_trend_fit(const double *x, const double *y, size_t n,
                                struct pk_exp_trend *out);

/* Theil-Sen slope: the median of the n(n-1)/2 pairwise slopes of points
 * with strictly ascending x, the mean of the two middle ones for an even
 * count (numpy.median).  Exact for every n: up to 2^20 pairs they are all
 * formed and sorted; above, randomized slope selection (Matousek 1991)
 * narrows an interval [lo, hi] of slope values that holds the middle ranks,
 * counting the pairs below a slope s as inversions of the order of
 * y - s x (merge sort, O(n log n)), until at most max(16n, 2^20) pairs
 * remain, which are enumerated as the inversions between the orders at lo
 * and at hi, and selected.  The random sample (splitmix64, fixed seed)
 * changes the running time only.  Pairs whose slopes differ by less than
 * the rounding of y - s x may be ordered either way, which moves the
 * result by at most that rounding.  NAN for n < 2; *rc PK_ERR_NOMEM. */
double pk_theil_sen(const double *x, const double *y, size_t n, enum pk_status *rc);

/* Mann-Kendall S, z and p of y[0..n) in order (definitions above). */
enum pk_status pk_mann_kendall(const double *y, size_t n, double *s, double *z, double *p);

struct pk_exp_vs {
	double welch_duration, mw_duration;
	double welch_tps, mw_tps;
	double diff_duration, diff_tps;    /* mean_b - mean_a */
};

/* Tests experiment b against a (definitions above). */
void pk_experiment_vs(const struct pk_exp_result *a, const struct pk_exp_result *b,
                      struct pk_exp_vs *out);

#endif
