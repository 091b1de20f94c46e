/* report_regress.h - perfreport --regressions [SUITE]: every benchmark
 * series' history with its baseline band and change points, the latest run
 * against the baseline (analyze/regress.h), and the revision of each run
 * that recorded one. */
#ifndef PK_REPORT_REGRESS_H
#define PK_REPORT_REGRESS_H

#include "../core/buf.h"

struct pk_report_regress_opts {
	const char *db_path;        /* NULL: pk_db_default_path(NULL) */
	const char *suite;          /* NULL: every suite */
	const char *output;         /* FILE.md or FILE.html */
	const char *templates;      /* NULL: built-in */
	const char *gnuplot;        /* NULL: pk_gnuplot_program() */
	struct pk_buf *summary;      /* not NULL: a one-line summary for an index is
	                             * appended (perfreport --all) */
};

/* Series drawn at most (regressions first, then by suite, host, name); the
 * tables list every series. */
#define PK_REGRESS_CHARTS 60

/* Writes the report with FILE.gp and FILE_charts/ beside it.  PK_NODATA
 * when there are no benchmark results (of that suite); message in err. */
enum pk_status pk_report_regress(const struct pk_report_regress_opts *o,
                                 struct pk_buf *err);

#endif
