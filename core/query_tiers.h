/* query_tiers.h - what perfanalyze --tiers reads besides the samples: the
 * machines that have hardware samples of any kind (F1 samples, nvidia-smi
 * rows, sysstat rows; by canonical name, aliases resolved), each one's
 * registry entry, detected system, the facts its nvidia-smi and sysstat logs
 * state, its latency target, and the registry's comparison_matrix tiers.
 * Read-only.
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
	/* nvidia-smi (gpu_sample): the rows at the machine's newest nvidia-smi
	 * time (any of its names); the lowest GPU index stands for the machine,
	 * as in the analyses (query_gpu_sys.h) */
	long log_gpus;                   /* GPUs at that time; 0 without rows */
	char *log_gpu_name;              /* name of the lowest index */
	double log_gpu_memory_mb;        /* its memory.total (MiB) */
	/* sysstat (sys_sample): the machine's newest row */
	double log_ram_gb;               /* total RAM, GiB (pk_sysstat_total_kb) */
	const char *log_ram_rule;        /* how it was added up (static) or NULL */
	double log_cpu_threads;          /* the host's number-of-cpus */
	int gpu_unlogged;                /* 1: sysstat rows, but no F1 samples, no
	                                  * nvidia-smi rows and no detected_system:
	                                  * nothing would show a GPU it has */
	/* registry_target: the first target (by metric name) whose metric name
	 * contains "latency" (any case) */
	char *lat_profile;               /* the registry's name for the profile */
	char *lat_metric;
	double lat_target, lat_bound;
	char *lat_bound_key;             /* acceptable_max, acceptable_min, critical_threshold */
};

/* Canonical names of the machines that have hardware samples (F1
 * hw_sample, nvidia-smi gpu_sample or sysstat sys_sample rows), sorted; the
 * caller frees with pk_tier_names_free. */
enum pk_status pk_query_tier_profiles(struct pk_db *db, char ***names, size_t *n);
void pk_tier_names_free(char **names, size_t n);

/* The time of the oldest and the newest F1 hardware sample of any profile,
 * from the (profile_id, ts_us) key: a few look-ups, not a scan.  PK_NODATA
 * when there are no samples. */
enum pk_status pk_query_sample_range(struct pk_db *db, int64_t *first_us, int64_t *last_us);

/* The same over the nvidia-smi and sysstat rows (gpu_sample, sys_sample),
 * from their (profile, ts_us) keys.  PK_NODATA when there are none. */
enum pk_status pk_query_log_range(struct pk_db *db, int64_t *first_us, int64_t *last_us);

/* The canonical name of `name` (its alias target, else itself) into *out
 * (owned by the caller).  PK_ERR_DB, PK_ERR_NOMEM. */
enum pk_status pk_query_tier_canonical(struct pk_db *db, const char *name, char **out);

/* The total RAM in kB that one sysstat memory section states, NAN when it
 * cannot tell.  sysstat 12 writes memused = total - memfree - buffers -
 * cached - slab, older versions memused = total - memfree; of the two sums
 * (memfree + memused + buffers + cached + slab, and memfree + memused) the
 * one that reproduces memused-percent (100 memused / total) wins; without
 * memused-percent the first.  slab NAN (sadf without -r ALL) counts as 0:
 * that sum is then a little under the total.  *rule (may be NULL) gets the
 * sum used, in words. */
double pk_sysstat_total_kb(double memfree, double memused, double buffers, double cached,
                           double slab, double used_percent, const char **rule);

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
