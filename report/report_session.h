/* report_session.h - perfreport --session ID: an app session's load levels
 * per module (analyze/loadlevel.h) and over time (its recent samples),
 * perfkit's level beside the one the app recorded and why they differ,
 * the session's statistics and the app's own recommendations. */
#ifndef PK_REPORT_SESSION_H
#define PK_REPORT_SESSION_H

#include "../core/buf.h"

struct pk_report_session_opts {
	const char *db_path;        /* NULL: pk_db_default_path(NULL) */
	const char *id;             /* session id */
	const char *output;         /* FILE.md or FILE.html */
	const char *templates;      /* NULL: built-in */
	const char *gnuplot;        /* NULL: pk_gnuplot_program() */
	struct pk_buf *summary;      /* not NULL: a one-line summary for an index is
	                             * appended (perfreport --all) */
};

/* Modules drawn in the charts at most (those with the largest execution
 * time share first); the table lists every module. */
#define PK_SESSION_CHART_MODULES 40

/* Writes the report with FILE.gp and FILE_charts/ beside it.  PK_NODATA
 * for an unknown session; the message, one line, in err. */
enum pk_status pk_report_session(const struct pk_report_session_opts *o,
                                 struct pk_buf *err);

#endif
