/* tiers.h - hardware tiers and requirements derived from the data
 * (perfanalyze --tiers): each machine with hardware samples of any kind (F1,
 * nvidia-smi, sysstat) classified by the sampler's rule, mapped to the registry's comparison_matrix tier, and the
 * minimum, recommended and optimal profile with the VRAM and RAM they need.
 *
 * The profiles: every machine with hardware samples of any kind - F1
 * samples, nvidia-smi rows (F9), sysstat rows (F10) - by canonical name, so
 * `perfingest --alias` joins an F1 profile, an nvidia-smi log and a sysstat
 * host into one machine; its series is pk_query_hw_series's (F1 values
 * first, nvidia-smi and sysstat filling the rest).
 *
 * Facts, precedence: what a log states (nvidia-smi, sysstat), then what the
 * F1 samples show, then the sampler's detected_system, then the registry;
 * a fact none gives is unknown (NAN), never 0.
 * Definitions (per profile: its own window, --hours ending at --until or at
 * its newest sample, as --compare; n = present values in that window):
 *   gpu_mb       GPU memory capacity, MB: memory.total of the machine's
 *                newest nvidia-smi rows (several GPUs: the lowest index
 *                stands for the machine, as in the analyses; gpus counts
 *                them); else max over the samples of gpu.memory_used_mb +
 *                gpu.memory_free_mb (both present and the sum > 0: the
 *                sampler writes 0 for "not available"); else
 *                detected_system.gpu_memory_total_mb; else registry
 *                hardware.gpu.memory_gb x 1024 (GPU memory is sold in GiB:
 *                a "4 GB" MX150 reports 4096 MB); else unknown.  gpu_source
 *                names which: nvidia-smi | samples | detected_system |
 *                registry | none.
 *   ram_gb       RAM capacity, GB: the total the machine's newest sysstat
 *                memory section adds up to (pk_sysstat_total_kb / 2^20);
 *                else max of memory.used_gb + memory.available_gb over the
 *                samples; else detected_system.memory_total_gb; else
 *                registry memory.total_gb; ram_source likewise (sysstat |
 *                samples | ...).
 *   gpu_name     nvidia-smi's name (lowest index) | detected | registry.
 *   cpu_threads  sysstat's number-of-cpus | detected cpu_logical_cores |
 *                registry cpu.cores_logical.
 *   has_gpu      gpu_mb > 0, nvidia-smi rows, or detected_system says a GPU
 *                is available.  Without any GPU fact a machine with F1
 *                samples or a detected_system row has none (the sampler
 *                logs a GPU it has); one known from sysstat alone has an
 *                unknown GPU (gpu_unknown): its VRAM use is unknown, not
 *                "nothing to fit".
 *   class        the sampler's rule (FORMATS.md F2): gpu_mb >= 8000 and
 *                ram_gb >= 24 -> high_end; gpu_mb >= 4000 and ram_gb >= 16
 *                -> mid_range; has_gpu and ram_gb >= 8 -> entry_level; else
 *                cpu_only.  An unknown number fails its comparison, so with
 *                an unknown RAM or GPU the class is a lower bound
 *                (pk_tier_class_open).
 *   registry tier  the comparison_matrix tier for the class.  Naming rule:
 *                a tier name N stands for class C when N == C or N begins
 *                with C + "_" (the registry's `entry_level_mobile` is the
 *                sampler's `entry_level` on a mobile GPU; its profiles'
 *                hardware.gpu.tier uses the same rule: high_end_desktop is
 *                high_end).  An exact name wins, then the first prefixed
 *                name in name order.  configured_tier is the registry
 *                profile's hardware.gpu.tier; configured_agrees says whether
 *                it stands for the class by the same rule.
 *   latency      inference_timing.wake_word_latency_ms.mean: n, mean, var
 *                (n-1), p95 (stats.h quantile, numpy "linear"), r1 and n_eff
 *                (stats.h) in time order; p95 CI: the quantiles at
 *                0.95 -/+ 1.96 sqrt(0.95 x 0.05 / n_eff) (clamped to [0, 1];
 *                n when n_eff is undefined), the normal approximation of the
 *                order-statistic interval with the effective sample size.
 *   target       the profile's registry_target whose metric name contains
 *                "latency" (first by name); target, bound_key, bound.  The
 *                acceptable limit is the bound when bound_key is
 *                acceptable_max or critical_threshold, else the target
 *                (acceptable_from says which).  meets_acceptable = p95 <=
 *                acceptable limit; meets_target = p95 <= target; unknown
 *                (-1) without samples or target.
 *   vram use     p99 of gpu.memory_used_mb; share = p99 / gpu_mb;
 *                vram_ok = share < 0.9 (1), >= 0.9 (0), unknown (-1) when a
 *                number is missing; a profile without a GPU and without VRAM
 *                samples is 1 (nothing to fit).
 *   ram use      p99 of memory.used_gb; share = p99 / ram_gb; ram_ok alike
 *                (unknown without samples or capacity).
 *   fits         vram_ok and ram_ok both 1 (1), either 0 (0), else -1.
 *   headroom need  p99 use x 1.2 (20 % headroom), VRAM in GB = MB / 1024,
 *                rounded up to the smallest common size >= it of 2, 4, 6, 8,
 *                12, 16, 24, 32, 48, 64, 96, 128 GB; NAN (exceeds) above 128
 *                or without samples.  What the measured use would need; a
 *                tier's spec is the proving machine's capacity, never this.
 *   capacity order  profiles sorted by gpu_mb, then ram_gb, then
 *                cpu_threads (unknown first each), then name.
 *   minimum      the first profile in capacity order that fits and meets
 *                its acceptable limit.
 *   recommended  the first profile at or after the minimum that fits and
 *                meets its target; none without a minimum.
 *   optimal      from the recommended profile, walk the larger profiles
 *                that fit and have >= 2 latency values in capacity order:
 *                move on while the next one is significantly better
 *                (welch_p_adjusted < 0.05, Welch with n replaced by n_eff,
 *                and a lower mean latency); the optimal is where the walk
 *                stops (optimal_plateau 1, optimal_next and optimal_p name
 *                the step that was not better), or the last one
 *                (optimal_plateau 0: more hardware may still help); none
 *                without a recommended profile.
 *                So minimum <= recommended <= optimal in capacity order, by
 *                construction.
 *   steps        between consecutive profiles in capacity order that have at
 *                least 2 latency values (all of them, for the pairwise
 *                comparisons): diff = mean_next - mean, Welch p, adjusted
 *                Welch p, Mann-Whitney p; better as in the walk.
 *   failures     pk_tier_failures: each rule a profile fails for a tier,
 *                with the measured value and the limit (see there).
 * tests/unit/test_tiers.c checks these against numpy/scipy
 * (tests/fixtures/tiers/make_reference.py). */
#ifndef PK_TIERS_H
#define PK_TIERS_H

#include <stddef.h>
#include <stdint.h>
#include "../core/buf.h"
#include "../core/db.h"
#include "../core/query.h"
#include "../core/query_tiers.h"
#include "compare.h"

#define PK_TIERS_HEADROOM 1.2      /* required = p99 x this */
#define PK_TIERS_USE_LIMIT 0.9     /* p99 use must stay under this share */

enum pk_tier_class { PK_TIER_CPU_ONLY, PK_TIER_ENTRY_LEVEL, PK_TIER_MID_RANGE, PK_TIER_HIGH_END };

/* "cpu_only", "entry_level", "mid_range", "high_end". */
const char *pk_tier_class_str(enum pk_tier_class c);

/* The sampler's rule; gpu_mb and ram_gb NAN when unknown. */
enum pk_tier_class pk_tier_classify(double gpu_mb, double ram_gb, int has_gpu);

struct pk_tier_profile;

/* 1 when an unknown VRAM or RAM may hide a higher class than p->cls (the
 * rule fails unknown numbers, so the class is a lower bound), else 0. */
int pk_tier_class_open(const struct pk_tier_profile *p);

/* Does tier name `name` stand for class c (name == c or "c_...")? */
int pk_tier_name_matches(const char *name, enum pk_tier_class c);

/* The smallest common size in GB >= gb; NAN above 128 or for NAN. */
double pk_tier_round_size(double gb);

/* One profile's input: its window, series and facts (borrowed). */
struct pk_tier_input {
	const char *profile;
	struct pk_window window;
	const struct pk_hw_series *s;
	const struct pk_tier_facts *f;
};

struct pk_tier_use {               /* p99 use against capacity */
	size_t n;
	double p99, capacity, share;   /* NAN when undefined */
	int ok;                        /* 1, 0, -1 unknown */
	double with_headroom_gb, required_gb;
};

struct pk_tier_profile {
	char *profile;                 /* owned, canonical name */
	struct pk_window window;
	size_t samples;
	double gpu_mb, ram_gb;
	const char *gpu_source, *ram_source;  /* static strings */
	size_t gpu_n, ram_n;           /* samples behind a "samples" capacity */
	long gpus;                     /* GPUs in the newest nvidia-smi rows; 0 without */
	int gpu_unknown;               /* no GPU fact at all and nothing (F1 samples,
	                                * detected_system) that would show one: a
	                                * machine known from sysstat only */
	const char *ram_rule;          /* a "sysstat" RAM's sum in words (static) or NULL */
	int has_gpu;
	enum pk_tier_class cls;
	long tier;                     /* index into pk_tiers.tiers, or -1 */
	const char *tier_match;        /* "exact", "prefix" or NULL */
	char *reg_name, *det_name, *configured_tier;   /* owned copies or NULL */
	int configured_agrees;         /* 1, 0, -1 when not configured */
	char *gpu_name;                /* detected, else registry; owned or NULL */
	const char *gpu_name_source;   /* "nvidia-smi", "detected", "registry" or NULL */
	double cpu_threads;            /* logical CPUs (see above); NAN when unknown */
	const char *cpu_threads_source;   /* "sysstat", "detected", "registry" or NULL */
	/* latency */
	size_t lat_n;
	double lat_mean, lat_var, lat_p95, lat_r1, lat_n_eff;
	double lat_p95_lo, lat_p95_hi;  /* 95 % CI of p95 (see above) */
	char *target_profile, *target_metric, *bound_key;  /* owned or NULL */
	double target, bound, acceptable;
	const char *acceptable_from;   /* "bound", "target" or NULL */
	int meets_acceptable, meets_target;   /* 1, 0, -1 unknown */
	struct pk_tier_use vram, ram;
	int fits;                      /* vram and ram under the limit: 1, 0, -1 */
	long walk_next;                /* in the optimal walk: next profile, or -1 */
	double walk_p;                 /* its welch_p_adjusted; NAN off the walk */
};

struct pk_tier_step {
	size_t from, to;               /* profile indices (capacity order) */
	size_t n_from, n_to;
	double mean_from, mean_to, diff;
	double n_eff_from, n_eff_to;
	double welch_p, welch_p_adjusted, mannwhitney_p;
	int better;                    /* next significantly better */
};

struct pk_tiers {
	size_t nprofiles;
	struct pk_tier_profile *p;     /* capacity order */
	size_t nsteps;
	struct pk_tier_step *steps;
	long minimum, recommended, optimal;   /* profile index or -1 */
	int optimal_plateau;           /* 1: a step that was not better was seen */
	long optimal_next;             /* the larger profile that was not better, or -1 */
	double optimal_p;              /* its welch_p_adjusted, or NAN */
	double alpha;
	size_t ntiers;
	struct pk_registry_tier *tiers;   /* owned */
};

enum pk_tier_level { PK_TIER_MINIMUM, PK_TIER_RECOMMENDED, PK_TIER_OPTIMAL };

/* "minimum", "recommended", "optimal". */
const char *pk_tier_level_str(enum pk_tier_level l);

/* The rules a profile can fail for a tier; value and limit in the rule's
 * unit (share of capacity, ms, p-value). */
enum pk_tier_rule {
	PK_TIER_RULE_VRAM,        /* p99 VRAM use / capacity < 0.9 */
	PK_TIER_RULE_RAM,         /* p99 RAM use / capacity < 0.9 */
	PK_TIER_RULE_ACCEPTABLE,  /* p95 latency <= acceptable limit */
	PK_TIER_RULE_TARGET,      /* p95 latency <= target */
	PK_TIER_RULE_BELOW,       /* passes, but is smaller than the tier below */
	PK_TIER_RULE_OUTGROWN,    /* the next larger profile is significantly
	                           * faster (value: its welch_p_adjusted) */
	PK_TIER_RULE_NOT_NEEDED   /* larger than the optimal, which the next
	                           * step did not beat (value: optimal_p) */
};

/* Short text of a rule: "p99 VRAM use under 90 % of capacity", ... */
const char *pk_tier_rule_str(enum pk_tier_rule r);

struct pk_tier_failure {
	enum pk_tier_rule rule;
	int unknown;                   /* 1: a number is missing (value or limit NAN) */
	double value, limit;
	size_t lat_n;                  /* the profile's latency values (latency rules) */
};

#define PK_TIER_MAX_FAILURES 4

/* Why profile i is not the `level` tier: the rules it fails, in the order
 * VRAM, RAM, latency (minimum: acceptable limit; recommended: target;
 * optimal: at least 2 latency values, as TARGET with unknown = 1 - the walk
 * compares machines, not targets), then BELOW / OUTGROWN / NOT_NEEDED for a
 * profile that passes but is not the chosen one.  Returns how many were written to out (0 for the chosen
 * profile, and for one that passes and sits above a chosen minimum or
 * recommended profile: not excluded, just larger). */
size_t pk_tier_failures(const struct pk_tiers *t, size_t i, enum pk_tier_level level,
                        struct pk_tier_failure out[PK_TIER_MAX_FAILURES]);

/* The profile with the lowest p95 latency (first in capacity order on a
 * tie), or -1 when none has latency values. */
long pk_tiers_fastest(const struct pk_tiers *t);

/* Writes a profile name into out (escaped as the output needs). */
typedef enum pk_status (*pk_tier_name_fn)(struct pk_buf *out, const char *name);

/* Appends a failure in words, with its value, limit and margin: "p99 VRAM
 * use 90.27 % of capacity against a limit of 90 % (0.27 points over)". */
enum pk_status pk_tier_failure_text(const struct pk_tier_failure *f, struct pk_buf *out);

/* When the `level` tier is none, appends why in one plain sentence and the
 * measurement that would settle it (names through put_name). */
enum pk_status pk_tier_none_reason(const struct pk_tiers *t, enum pk_tier_level level,
                                   pk_tier_name_fn put_name, struct pk_buf *out);

/* Computes the result from inputs (no database).  tiers (registry rows) is
 * taken over by out and freed with it, even on failure.  out is cleared
 * first; free with pk_tiers_free.  PK_ERR_INPUT, PK_ERR_NOMEM. */
enum pk_status pk_tiers_compute(const struct pk_tier_input *in, size_t n,
                                struct pk_registry_tier *tiers, size_t ntiers,
                                struct pk_tiers *out);

/* Every machine with hardware samples (F1, nvidia-smi, sysstat: the
 * profiles of pk_query_tier_profiles), each in its own window of `hours`
 * ending at until_us (INT64_MIN: its newest sample).  PK_NODATA (message
 * in err) when no profile has samples. */
enum pk_status pk_tiers_for(struct pk_db *db, double hours, int64_t until_us,
                            struct pk_tiers *out, struct pk_buf *err);

/* The profiles `names` (any of their names: aliases resolved; a profile
 * named twice counts once; NULL: every profile with hardware samples), all
 * in the one window [from_us, to_us] (a profile without samples there is
 * kept, with n = 0).  PK_NODATA (message in err) for a
 * name without hardware samples or when there are no profiles. */
enum pk_status pk_tiers_in_window(struct pk_db *db, const char *const *names, size_t n,
                                  int64_t from_us, int64_t to_us,
                                  struct pk_tiers *out, struct pk_buf *err);

void pk_tiers_free(struct pk_tiers *t);

#endif
