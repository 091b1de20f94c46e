/* exp_chart_data.h - the numbers an experiment report draws that the
 * analysis does not already hold: per-cycle timing stacks grouped into at
 * most a few hundred bars, and the Theil-Sen line's intercept.
 *
 * Definitions:
 *   stack bars  the cycles, in cycle order, split into consecutive groups of
 *               k = ceil(n / maxbars) cycles (the last may hold fewer); per
 *               group the means, over its cycles where duration, LLM time
 *               and DB time are all present, of LLM time, DB time and other
 *               = max(0, duration - LLM - DB) (timings may overlap, so the
 *               remainder can be negative; it is drawn as 0)
 *   Theil-Sen intercept  median(y) - slope * median(x) over the points
 *               where y is present (scipy.stats.theilslopes, method
 *               'separate', its default) */
#ifndef PK_EXP_CHART_DATA_H
#define PK_EXP_CHART_DATA_H

#include <stddef.h>
#include "../core/query_experiment.h"

struct pk_exp_bar {
	double first, last;        /* cycle numbers of the group */
	double llm, db, other;     /* means, s; NAN when n == 0 */
	size_t n;                  /* complete cycles in the group */
};

/* Writes at most maxbars (>= 1) groups to out and returns how many. */
size_t pk_exp_stack_bars(const struct pk_exp_cycles *c, size_t maxbars,
                         struct pk_exp_bar *out);

/* The Theil-Sen intercept for slope (definition above); NAN when no y is
 * present, slope is NAN, or memory runs out. */
double pk_theil_sen_intercept(const double *x, const double *y, size_t n,
                              double slope);

#endif
