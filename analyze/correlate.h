/* correlate.h - perfanalyze --correlate: agent task-efficiency scores (TES,
 * F3 agent_run) and wake-word latency (F4 wake_event, else the hardware
 * samples' latency) against the hardware state during each run.
 *
 * Matching a run to the hardware:
 *   run window   [iso_ts - max(duration_s, 60 s), iso_ts], inclusive at both
 *                ends (iso_ts is the end of the run; a missing duration_s
 *                counts as 60 s).  A wake event's window is [ts - 60 s, ts].
 *   profile      the hardware profile (aliases merged: one canonical name
 *                per machine) with the most samples in the window; a tie goes
 *                to the name that sorts first (byte order).  --profile P
 *                considers P only.  A run with samples of more than one
 *                profile in its window is counted as "ambiguous" (and still
 *                matched by this rule).  A run with no sample is "unmatched".
 *   window mean  per metric, the mean of the present values of the chosen
 *                profile's samples in the window (missing excluded, never 0);
 *                NAN when none is present.  Computed from prefix sums over
 *                the time-sorted samples (double-double, so a long series
 *                loses no precision) and binary searches: O(log n) a run.
 *   vram_used_fraction  derived per sample as gpu.memory_used_mb /
 *                (gpu.memory_used_mb + gpu.memory_free_mb) when both are
 *                present and the sum is > 0; its window mean is the run's
 *                share of the GPU's memory in use.
 *
 * Statistics of a pair (x = hardware window mean, y = TES part or latency;
 * pairs with either value missing are left out; n = pairs used):
 *   pearson_r    sum dx dy / sqrt(sum dx^2 sum dy^2) (two-pass means);
 *                NAN when n < 2 or x or y is constant
 *   pearson_p    two-sided, Student's t with n-2 df, t = r sqrt((n-2)/(1-r^2))
 *                (scipy.stats.pearsonr); evaluated as the regularized
 *                incomplete beta I_{1-r^2}((n-2)/2, 1/2) (GSL), 0 for |r| = 1;
 *                NAN when n < 3
 *   ci_low/high  95 % CI by Fisher's z: tanh(atanh(r) -/+ z_0.975 / sqrt(n-3)),
 *                z_0.975 = Phi^-1(0.975); NAN when n < 4; [r, r] for |r| = 1
 *   spearman_rho Pearson r of the average ranks (ties share their mean rank)
 *   spearman_p   the t approximation above with rho (scipy.stats.spearmanr)
 *   slope, intercept  least squares y = intercept + slope x (gsl_fit_linear);
 *                NAN when n < 2 or x is constant
 *   r2           pearson_r^2 (scipy.stats.linregress rvalue^2); NAN with r
 *   *_p_bh       Benjamini-Hochberg adjusted p across every pair of the
 *                result (TES and wake-word pairs together; Pearson and
 *                Spearman each their own family; undefined p left out):
 *                p_(i) m / i, made monotone from the largest p down, <= 1
 *
 * TES groups (by autonomy_mode, by model_id; every run in the range, matched
 * or not): runs, count (runs with a TES), mean, p50, p90 of TES (quantiles
 * as stats.h: linear interpolation, numpy's default).
 *
 * Findings (the operators' rules), over the matched runs:
 *   headroom         "high TES with low GPU utilisation: headroom for a larger
 *                    model".  Selected: runs with TES >= 80 and a GPU
 *                    utilisation mean.  Met when the median (p50) of their
 *                    GPU utilisation is < 50 %.
 *   model_too_large  "low TES with high VRAM use: model too large (OOM
 *                    degradation)".  Selected: runs with TES < 50 and a
 *                    vram_used_fraction (known only where the GPU's memory
 *                    is: used + free).  Met when their median
 *                    vram_used_fraction is >= 0.90.
 *   Each carries: n (runs with TES and the measure), selected, their mean
 *   TES, the measure's mean and p50; the split of all n runs at the hardware
 *   threshold (n and mean TES each side, Welch p, stats.h); and the pair
 *   statistics of TES against the measure.  Undefined when nothing is
 *   selected.
 *
 * Wake-word latency: each wake_event with a latency_ms in the range, matched
 * like a run (60 s window); when the range holds none, every hardware sample
 * with inference_timing.wake_word_latency_ms.mean, against the same sample's
 * values (no window).  Pairs against GPU utilisation, VRAM used and GPU
 * temperature. */
#ifndef PK_CORRELATE_H
#define PK_CORRELATE_H

#include <stddef.h>
#include <stdint.h>
#include "../core/db.h"
#include "../core/metrics.h"
#include "../core/query_agent.h"
#include "compare.h"

#define PK_CORR_MIN_WINDOW_S 60.0
#define PK_CORR_TES_HIGH 80.0     /* headroom: TES >= this */
#define PK_CORR_GPU_LOW 50.0      /* headroom: GPU utilisation p50 < this (%) */
#define PK_CORR_TES_LOW 50.0      /* model_too_large: TES < this */
#define PK_CORR_VRAM_HIGH 0.90    /* model_too_large: vram_used_fraction p50 >= this */

struct pk_corr_stats {
	size_t n;
	double pearson_r, pearson_p, ci_low, ci_high;
	double spearman_rho, spearman_p;
	double slope, intercept, r2;
	double pearson_p_bh, spearman_p_bh;   /* set by pk_correlate; NAN before */
};

/* Statistics of the pairs (x[i], y[i]), i < n, leaving out pairs with a NAN.
 * PK_ERR_NOMEM when scratch memory is not available. */
enum pk_status pk_corr_stats(const double *x, const double *y, size_t n,
                             struct pk_corr_stats *out);

/* Two-sided p of a correlation coefficient r from n pairs (t, n-2 df). */
double pk_corr_p(double r, size_t n);

/* Benjamini-Hochberg adjusted p of p[0..n) into out (NAN stays NAN and is
 * not counted).  PK_ERR_NOMEM when scratch memory is not available. */
enum pk_status pk_bh_adjust(const double *p, size_t n, double *out);

/* The derived metric vram_used_fraction (not a registry entry). */
extern const struct pk_metric pk_corr_vram_fraction;

enum pk_corr_part { PK_PART_TES, PK_PART_STABILITY, PK_PART_VELOCITY, PK_PART_FOOTPRINT,
                    PK_PART_N };
/* "tes", "stability", "velocity", "footprint". */
extern const char *const pk_corr_part_names[PK_PART_N];

struct pk_corr_pair {
	const char *y;                /* a part name, or "wake_latency_ms" */
	const struct pk_metric *x;    /* the hardware metric */
	struct pk_corr_stats s;
};

struct pk_corr_group {
	char *key;                    /* owned; NULL: the field is missing */
	size_t runs, count;           /* runs; runs with a TES */
	double mean, p50, p90;        /* of TES; NAN when count is 0 */
};

enum pk_finding_status { PK_FINDING_UNDEFINED, PK_FINDING_NOT_MET, PK_FINDING_MET };

struct pk_corr_finding {
	const char *rule;             /* "headroom", "model_too_large" */
	const struct pk_metric *measure;
	enum pk_finding_status status;
	double tes_threshold, hw_threshold;
	size_t n, selected;
	double tes_mean, measure_mean, measure_p50;   /* of the selected runs */
	size_t hit_n, miss_n;         /* all n runs: hardware condition holds / not */
	double hit_tes_mean, miss_tes_mean, welch_p;
	struct pk_corr_stats s;       /* TES vs the measure over the n runs */
	char *text;                   /* owned: the finding in words */
};

enum pk_wake_source { PK_WAKE_NONE, PK_WAKE_EVENTS, PK_WAKE_SAMPLES };

struct pk_corr_profile {
	char *name;                   /* owned */
	size_t samples;               /* samples loaded (the range the runs need) */
	size_t runs, wake;            /* runs and wake events matched to it */
};

struct pk_correlate_opts {
	int64_t from_us, to_us;       /* runs and events with from <= ts <= to */
	const char *profile;          /* NULL: every profile */
};

struct pk_correlate {
	struct pk_window window;      /* as asked (INT64_MIN/MAX: unbounded) */
	char *profile;                /* owned copy of --profile, or NULL */
	size_t nprofiles;
	struct pk_corr_profile *profiles;
	/* runs */
	struct pk_agent_runs runs;    /* every run in the window */
	size_t matched, unmatched, ambiguous;
	int *run_profile;             /* index into profiles, -1: unmatched */
	size_t *run_samples;          /* samples of that profile in the window */
	size_t nx;                    /* hardware measures per run */
	const struct pk_metric **xm;  /* main registry metrics first (nmain), then
	                                 any needed below, then vram_used_fraction */
	size_t nmain;
	size_t util_k, vram_k;        /* xm index of GPU utilisation and
	                                 vram_used_fraction (the rules' measures) */
	double **run_x;               /* run_x[k][i]: window mean of xm[k], run i */
	/* wake-word latency */
	enum pk_wake_source wake_source;
	size_t wake_n, wake_matched, wake_unmatched;
	/* results */
	size_t npairs;                /* PK_PART_N * nmain TES pairs, then wake */
	struct pk_corr_pair *pairs;
	size_t nmodes, nmodels;
	struct pk_corr_group *by_mode, *by_model;
	struct pk_corr_finding findings[2];
};

/* Computes everything above from the database.  out is cleared first and
 * freed with pk_correlate_free (also after an error).  PK_NODATA (with a
 * message in err) when --profile names no stored profile or the window holds
 * neither agent runs nor wake-word latencies; PK_ERR_DB, PK_ERR_NOMEM. */
enum pk_status pk_correlate(struct pk_db *db, const struct pk_correlate_opts *o,
                            struct pk_correlate *out, struct pk_buf *err);
void pk_correlate_free(struct pk_correlate *c);

/* Groups and findings of c (runs and run_x set); correlate_find.c. */
enum pk_status pk_correlate_groups(struct pk_correlate *c);
enum pk_status pk_correlate_findings(struct pk_correlate *c);

#endif
