/* charts_experiment.h - the gnuplot script of an experiment report: cycle
 * timeline, per-cycle timing stack, memory and tokens/s trends with their
 * OLS and Theil-Sen lines (one experiment); cycle time and tokens/s
 * distributions overlaid (several).  x is the cycle number.  Only numbers
 * and the report's own labels reach the script; experiments are E1, E2 ...
 * there, named in the report. */
#ifndef PK_CHARTS_EXPERIMENT_H
#define PK_CHARTS_EXPERIMENT_H

#include <stddef.h>
#include "../analyze/experiment.h"
#include "../core/buf.h"

enum pk_expc_kind {
	PK_EXPC_CYCLE,       /* cycle duration over cycles, crashes marked */
	PK_EXPC_STACK,       /* LLM / DB / other per cycle (group), stacked */
	PK_EXPC_MEM,         /* peak memory with OLS and Theil-Sen lines */
	PK_EXPC_TPS,         /* tokens/s with OLS and Theil-Sen lines */
	PK_EXPC_CYCLE_CDF,   /* several experiments: cycle duration CDFs */
	PK_EXPC_TPS_CDF,     /* several experiments: tokens/s CDFs */
	PK_EXPC_N
};

/* Bars of the timing stack at most; points drawn one by one at most (more
 * are reduced to PK_CHART_COLUMNS columns of min, max and mean). */
#define PK_EXPC_MAX_BARS 200

struct pk_expc_chart {
	enum pk_expc_kind kind;
	char file[48];        /* "cycle_time.svg" */
	size_t n;             /* values drawn from (cycles; summed over experiments) */
	int reduced;          /* drawn per column / per group of cycles */
	size_t group;         /* PK_EXPC_STACK: cycles per bar */
};

struct pk_expc_set {
	size_t n;
	struct pk_expc_chart c[PK_EXPC_N];
	size_t crashes_marked;       /* columns with a crash mark */
	double ts_icpt_mem, ts_icpt_tps;  /* Theil-Sen intercepts drawn */
};

/* The charts of one experiment into script (a whole gnuplot script whose
 * charts go to chart_dir/FILE); the list in out.  A chart without values
 * is left out.  PK_OK, PK_ERR_NOMEM, PK_USAGE for a bad chart_dir. */
enum pk_status pk_expc_one(const struct pk_exp_result *r, const char *chart_dir,
                           const char *script_name, struct pk_buf *script,
                           struct pk_expc_set *out, struct pk_buf *err);

/* The charts of n experiments side by side (E1 = r[0] ...). */
enum pk_status pk_expc_many(const struct pk_exp_result *r, size_t n,
                            const char *chart_dir, const char *script_name,
                            struct pk_buf *script, struct pk_expc_set *out,
                            struct pk_buf *err);

#endif
