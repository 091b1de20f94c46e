/* query_generic_hw.h - a machine's hardware series from F8 generic records
 * (perfingest --format generic --source NAME) whose metric paths are
 * registry names, so that a psutil-style log is read like F1 samples.
 *
 * The name rule (README, "Analyses over nvidia-smi, sysstat and generic
 * logs"): a generic metric joins the machine's series when its dotted path
 * is exactly a registry name (core/metrics.c: cpu.percent_total,
 * memory.used_gb, gpu.temperature_celsius ...), with that name's unit and
 * direction; no other path is renamed or converted.  A generic source is
 * one of the machine's names like an nvidia-smi or sysstat profile:
 * `perfingest --alias` links it both ways (PK_MACHINE_NAMES_CTE). */
#ifndef PK_QUERY_GENERIC_HW_H
#define PK_QUERY_GENERIC_HW_H

#include <stdint.h>
#include "db.h"
#include "query.h"

#include "buf.h"

/* SQL common table expression "g" (after PK_MACHINE_NAMES_CTE and a comma):
 * the generic sources standing for the machine that have at least one
 * registry-named metric; ?4 is bound to pk_registry_names_json's array. */
#define PK_GENERIC_HW_SOURCES_CTE \
	"g(s) AS (SELECT DISTINCT source FROM generic_metric WHERE source IN " \
	"(SELECT n FROM names) AND metric IN (SELECT value FROM json_each(?4))) "

/* Appends to b the registry's metric names as a JSON array, for ?4. */
enum pk_status pk_registry_names_json(struct pk_buf *b);

/* The registry-named metrics of those sources with from_us <= ts <= to_us,
 * one sample per distinct time (a source's records at one time make one
 * sample; with several sources the first by name wins where both have a
 * value), into out (empty, reserved with pk_series_reserve).  The other
 * metrics are missing (NAN).  PK_OK, PK_ERR_DB, PK_ERR_NOMEM. */
enum pk_status pk_generic_hw_series(struct pk_db *db, const char *name, int64_t from_us,
                                    int64_t to_us, struct pk_hw_series *out);

#endif
