/* query_tiers.h - what perfanalyze --tiers reads besides the samples: the
 * profiles that have hardware samples (by canonical name, aliases resolved),
 * each one's registry entry, detected system and latency target, and the
 * registry's comparison_matrix tiers.  Read-only.
 *
 * Names: a profile's canonical name is its alias target in profile_alias,
 * else itself.  A registry_profile, detected_system or registry_target row
 * belongs to a profile when the row's name has the same canonical name, so
 * `perfingest --alias desktop_m965jsc=desktop_m965jsc_entry` links the
 * detected name, the configured name and the samples logged under both. */
#ifndef PK_QUERY_TIERS_H
#define PK_QUERY_TIERS_H

#include <stddef.h>
#include <stdint.h>
#include "db.h"

/* Facts about one profile from the registry and the sampler's detection.
 * Strings are owned (NULL when absent); numbers are NAN when absent. */
struct pk_tier_facts {
	/* registry_profile (configured) */
	char *reg_name;
	double reg_gpu_memory_gb, reg_memory_total_gb;
	char *reg_gpu_tier;              /* hardware.gpu.tier, e.g. entry_level_mobile */
	char *reg_gpu_name;
	double reg_cpu_threads;          /* cpu.cores_logical */
	/* detected_system (written by the sampler at start-up) */
	char *det_name;
	int det_gpu_available;           /* 1, 0, or -1 when unknown */
	double det_gpu_memory_mb, det_memory_total_gb;
	char *det_gpu_name;
	double det_cpu_threads;          /* cpu_logical_cores */
	/* registry_target: the first target (by metric name) whose metric name
	 * contains "latency" (any case) */
	char *lat_profile;               /* the registry's name for the profile */
	char *lat_metric;
	double lat_target, lat_bound;
	char *lat_bound_key;             /* acceptable_max, acceptable_min, critical_threshold */
};

/* Canonical names of the profiles that have hardware samples, sorted; the
 * caller frees with pk_tier_names_free. */
enum pk_status pk_query_tier_profiles(struct pk_db *db, char ***names, size_t *n);
void pk_tier_names_free(char **names, size_t n);

/* The time of the oldest and the newest hardware sample of any profile,
 * from the (profile_id, ts_us) key: a few look-ups, not a scan.  PK_NODATA
 * when there are no samples. */
enum pk_status pk_query_sample_range(struct pk_db *db, int64_t *first_us, int64_t *last_us);

/* The canonical name of `name` (its alias target, else itself) into *out
 * (owned by the caller).  PK_ERR_DB, PK_ERR_NOMEM. */
enum pk_status pk_query_tier_canonical(struct pk_db *db, const char *name, char **out);

/* The facts of `profile` (any of its names).  Rows that do not exist leave
 * their fields absent; PK_OK then too.  Free with pk_tier_facts_free. */
enum pk_status pk_query_tier_facts(struct pk_db *db, const char *profile,
                                   struct pk_tier_facts *out);
void pk_tier_facts_free(struct pk_tier_facts *f);

/* One comparison_matrix tier (registry_tier). */
struct pk_registry_tier {
	char *tier;                      /* owned */
	char *whisper_device, *whisper_model, *llm_device;   /* owned or NULL */
	double llm_max_params_b;         /* NAN when absent */
	int64_t concurrent_agents;       /* -1 when absent */
};

/* Every registry tier, by name; free with pk_registry_tiers_free. */
enum pk_status pk_query_registry_tiers(struct pk_db *db, struct pk_registry_tier **out,
                                       size_t *n);
void pk_registry_tiers_free(struct pk_registry_tier *t, size_t n);

#endif
