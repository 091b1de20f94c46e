/* write_experiment.h - text, JSON and CSV renderings of experiment analyses
 * (experiment.h), for perfanalyze --experiment / --experiments and the
 * report stage.  JSON shape documented in README.md ("--experiment"). */
#ifndef PK_WRITE_EXPERIMENT_H
#define PK_WRITE_EXPERIMENT_H

#include <stddef.h>
#include "../core/buf.h"
#include "experiment.h"
#include "writers.h"

/* One experiment in full. */
enum pk_status pk_write_experiment(struct pk_buf *out, enum pk_format f,
                                   const struct pk_exp_result *r);

/* n experiments side by side; vs[i] is experiment i against experiment 0
 * (vs[0] unused). */
enum pk_status pk_write_experiments(struct pk_buf *out, enum pk_format f,
                                    const struct pk_exp_result *r,
                                    const struct pk_exp_vs *vs, size_t n);

#endif
