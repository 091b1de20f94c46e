/* loadlevel.h - load levels of the modules of an F6 app session profile.
 *
 * Definitions (FORMATS.md, F6; cpu = cpu_impact in %, mem = memory_impact in
 * MB, as the app writes them):
 *   red          cpu > 50 or mem > 100
 *   yellow       not red, and 25 <= cpu <= 50 or 50 <= mem <= 100
 *   green        cpu < 25 and mem < 50
 *   unknown      a value is missing and the present one does not make the
 *                module red (missing is never 0: a module without a memory
 *                figure is not green)
 *   share        the module's total_execution_time / the sum over the
 *                modules that have one; NAN when it is missing or the sum
 *                is 0
 *   overall      the worst level of any module (red > yellow > green), so
 *                that one red module is never averaged away; unknown when
 *                no module is red and some module is unknown; with
 *                level_share (the execution-time share of each level) as
 *                the time-weighted picture beside it
 *   app_level    performance_summary.overall_load_level as the app wrote
 *                it, shown beside ours, not used
 * tests/unit/test_loadlevel.c checks the boundaries and shares. */
#ifndef PK_LOADLEVEL_H
#define PK_LOADLEVEL_H

#include <stddef.h>
#include <stdint.h>
#include "../core/db.h"
#include "../core/query_session.h"

enum pk_load_level {
	PK_LEVEL_GREEN,
	PK_LEVEL_YELLOW,
	PK_LEVEL_RED,
	PK_LEVEL_UNKNOWN
};
#define PK_NLEVELS 4

/* "green", "yellow", "red", "unknown". */
const char *pk_load_level_str(enum pk_load_level l);

/* The level of one module from its cpu_impact (%) and memory_impact (MB),
 * NAN = missing. */
enum pk_load_level pk_load_level_of(double cpu_impact, double memory_impact);

struct pk_module_level {
	const struct pk_session_module *m;  /* borrowed from the result's rows */
	enum pk_load_level level;
	double share;                       /* of execution time; NAN if unknown */
};

struct pk_loadlevels {
	struct pk_session_modules rows;     /* owned: the stored modules */
	size_t n;
	struct pk_module_level *modules;    /* parallel to rows.m */
	size_t count[PK_NLEVELS];           /* modules per level */
	double level_share[PK_NLEVELS];     /* execution-time share per level */
	double total_time_s;                /* sum of the present times; NAN if none */
	enum pk_load_level overall;
};

/* Levels of the modules in rows, which the result takes over (rows is
 * cleared).  PK_ERR_NOMEM. */
enum pk_status pk_loadlevels_from(struct pk_session_modules *rows, struct pk_loadlevels *out);

/* Reads session `id` and computes its levels; PK_NODATA for an unknown
 * session.  Free with pk_loadlevels_free. */
enum pk_status pk_loadlevels_for(struct pk_db *db, const char *id, struct pk_loadlevels *out);
void pk_loadlevels_free(struct pk_loadlevels *l);

#endif
