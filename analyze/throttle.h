/* throttle.h - thermal throttling episodes in a hardware series: stretches
 * where the GPU stays hot while the CPU frequency or the GPU utilisation
 * falls below what it was just before.
 *
 * Definitions (interval and gaps as quality.h: the usual interval is the
 * median time difference of the window's samples; a step longer than 3 x
 * interval is a gap):
 *   threshold    --threshold C; else the registry's temperature limit for
 *                the profile (query_profile.h: a registry_target of the
 *                profile whose metric name contains "temp", its
 *                acceptable_max / critical_threshold bound, else target);
 *                else 80 °C
 *   hot sample   gpu.temperature_celsius present and > threshold
 *   episode      a maximal run of consecutive samples that begins and ends
 *                with a hot sample, in which every sample is hot or has no
 *                temperature (missing is not "cool"), and no step between
 *                neighbours is a gap (a gap splits it).  Kept when it has at
 *                least 2 hot samples ("stays above").  start/end = its first
 *                and last sample, duration = end - start, samples = all of
 *                its samples, hot = its hot ones, peak = its highest
 *                temperature
 *   baseline     for cpu.frequency_current_mhz and gpu.utilization_percent
 *                separately: the median of the metric's present values in
 *                the 10 samples just before the episode, counting back no
 *                further than a gap or a hot sample (an earlier episode is
 *                not a baseline); undefined (NAN) with fewer than 3 present
 *                values
 *   episode value  median of the metric's present values in the episode
 *   drop         baseline - episode value (MHz, or percentage points of
 *                utilisation); drop_pct = 100 drop / baseline (NAN when the
 *                baseline is 0 or undefined)
 *   p            two-sided Mann-Whitney U p (stats.h) of the baseline values
 *                against the episode values: evidence, not the rule (minute
 *                samples are autocorrelated, so p is optimistic)
 *   throttled    the CPU frequency or the GPU utilisation drops by more than
 *                10 % (drop_pct > 10)
 * tests/unit/test_throttle.c checks these against an independent numpy/scipy
 * implementation (tests/fixtures/quality/make_reference.py). */
#ifndef PK_THROTTLE_H
#define PK_THROTTLE_H

#include <stddef.h>
#include <stdint.h>
#include "../core/db.h"
#include "../core/query.h"
#include "compare.h"

#define PK_THROTTLE_DEFAULT_C 80.0
#define PK_THROTTLE_BASELINE_N 10
#define PK_THROTTLE_MIN_BASELINE 3
#define PK_THROTTLE_DROP_PCT 10.0
#define PK_THROTTLE_MIN_HOT 2

enum pk_threshold_source {
	PK_THRESHOLD_DEFAULT,     /* 80 °C */
	PK_THRESHOLD_OPTION,      /* --threshold */
	PK_THRESHOLD_REGISTRY     /* registry_target */
};

/* "default", "option", "registry". */
const char *pk_threshold_source_str(enum pk_threshold_source s);

struct pk_throttle_params {
	double threshold_c;
	enum pk_threshold_source source;
	char *registry_metric;    /* owned, when source is REGISTRY */
	char *registry_bound;     /* owned or NULL: the bound key used */
};

/* Picks the threshold: option_c when not NAN, else the registry's limit for
 * profile, else PK_THROTTLE_DEFAULT_C.  Free with pk_throttle_params_free. */
enum pk_status pk_throttle_threshold(struct pk_db *db, const char *profile, double option_c,
                                     struct pk_throttle_params *out);
void pk_throttle_params_free(struct pk_throttle_params *p);

/* One metric's change against the baseline. */
struct pk_throttle_drop {
	size_t baseline_n, episode_n;      /* present values used */
	double baseline, episode;          /* medians; NAN when undefined */
	double drop, drop_pct, p;          /* NAN when undefined */
	int dropped;                       /* drop_pct > PK_THROTTLE_DROP_PCT */
};

struct pk_throttle_episode {
	int64_t start_us, end_us;
	double duration_s;
	size_t samples, hot;
	double peak_c;
	struct pk_throttle_drop freq;      /* cpu.frequency_current_mhz */
	struct pk_throttle_drop util;      /* gpu.utilization_percent */
	int throttled;
};

struct pk_throttle {
	char *profile;                     /* owned */
	struct pk_window window;
	size_t samples;
	size_t temp_present;               /* samples with a GPU temperature */
	size_t hot;                        /* hot samples in the window */
	double interval_s, gap_threshold_s;
	double threshold_c;
	size_t nepisodes, throttled;
	struct pk_throttle_episode *episodes;
};

/* The episodes of series s of `profile` over window w at threshold_c.
 * out is cleared first; free with pk_throttle_free.  PK_ERR_INPUT for NULL
 * arguments or a NAN threshold, PK_ERR_NOMEM. */
enum pk_status pk_throttle_series(const char *profile, const struct pk_window *w,
                                  const struct pk_hw_series *s, double threshold_c,
                                  struct pk_throttle *out);
void pk_throttle_free(struct pk_throttle *t);

#endif
