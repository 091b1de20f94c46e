/* report_experiment.h - the experiment reports from database to files:
 * perfreport --experiment ID (one experiment in full) and --experiments
 * ID... (side by side, tested against the first). */
#ifndef PK_REPORT_EXPERIMENT_H
#define PK_REPORT_EXPERIMENT_H

#include <stddef.h>
#include "../core/buf.h"

struct pk_report_exp_opts {
	const char *db_path;        /* NULL: pk_db_default_path(NULL) */
	const char *const *ids;     /* experiment ids */
	size_t nids;                /* 1 with many == 0: the one-experiment report */
	int many;                   /* the side-by-side report */
	const char *output;         /* FILE.md or FILE.html */
	const char *templates;      /* NULL: built-in */
	const char *gnuplot;        /* NULL: pk_gnuplot_program() */
	struct pk_buf *summary;      /* not NULL: a one-line summary for an index is
	                             * appended (perfreport --all) */
};

/* Writes the report, with the gnuplot script FILE.gp and the charts
 * FILE_charts/NAME.svg beside it.  PK_NODATA for an unknown experiment,
 * PK_USAGE, PK_ERR_*; the message, one line, in err. */
enum pk_status pk_report_experiment(const struct pk_report_exp_opts *o,
                                    struct pk_buf *err);

#endif
