/* query_gpu_sys.h - a machine's hardware series from nvidia-smi logs
 * (gpu_sample, F9) and sysstat exports (sys_sample, F10), on the metric
 * registry's names, so that every analysis of hardware samples reads a
 * machine that has no F1 sampler the way it reads one that has.
 *
 * The mapping (README, "Analyses over nvidia-smi and sysstat logs"):
 *   gpu.utilization_percent          utilization.gpu
 *   gpu.memory_utilization_percent   utilization.memory
 *   gpu.memory_used_mb               memory.used (MiB)
 *   gpu.memory_free_mb               memory.total - memory.used (MiB)
 *   gpu.temperature_celsius          temperature.gpu
 *   gpu.power_draw_watts             power.draw
 *   cpu.percent_total                100 - %idle (sadf "cpu all")
 *   cpu.load_average_1min            ldavg-1
 *   memory.used_gb                   kbmemused / 2^20
 *   memory.available_gb              kbavail / 2^20
 *   memory.percent                   %memused
 * With several GPUs the lowest index at each time stands for the machine
 * (--list shows each GPU).  Generic records whose paths are registry names
 * join too (query_generic_hw.h); samples of the sources join by the
 * alignment rule of series_merge.h, nvidia-smi's value first, then
 * sysstat's, then the generic record's.  The other metrics are missing
 * (NAN). */
#ifndef PK_QUERY_GPU_SYS_H
#define PK_QUERY_GPU_SYS_H

#include <stdint.h>
#include "db.h"
#include "query.h"

/* SQL common table expressions "c" and "names" (built on PK_SQL_CANON of
 * db_internal.h, so for core/ files): the names that stand for
 * ?1's machine (?1, its alias target, every alias of that target; aliases
 * resolved both ways, as pk_query_hw_series).  A list of names, so that
 * the tables' (profile, ts_us) keys stay usable.  Follows WITH. */
#define PK_MACHINE_NAMES_CTE \
	"c(p) AS (SELECT " PK_SQL_CANON("?1") "), names(n) AS (SELECT ?1 UNION " \
	"SELECT p FROM c UNION SELECT a.alias FROM profile_alias a, c WHERE a.profile = c.p) "

/* Adds to out the count of distinct sample times of `name` (aliases
 * resolved both ways, as pk_query_hw_series) in gpu_sample, sys_sample and
 * the generic records of its sources with a registry-named metric, and
 * widens its time range.  PK_OK (also with none), PK_ERR_DB. */
enum pk_status pk_gpu_sys_summary(struct pk_db *db, const char *name,
                                  struct pk_profile_info *out);

/* The samples of `name` with from_us <= ts <= to_us from both tables and
 * the registry-named generic metrics (query_generic_hw.h) in
 * time order, merged by series_merge.h's alignment rule (a GPU row and a
 * sysstat row less than half an interval apart make one sample), into out
 * (zeroed or empty, reserved by the caller with pk_series_reserve).  PK_OK, PK_ERR_DB, PK_ERR_NOMEM. */
enum pk_status pk_gpu_sys_series(struct pk_db *db, const char *name, int64_t from_us,
                                 int64_t to_us, struct pk_hw_series *out);

#endif
