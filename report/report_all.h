/* report_all.h - perfreport --all --outdir DIR: every report the database
 * supports (the requirements report, each profile comparison and
 * throttling report, one report per experiment, session and benchmark
 * suite) and DIR/index.html (or index.md) linking them with a one-line
 * summary each.  Incremental: a report whose fingerprint (its stored
 * inputs, the options, the templates, the perfkit and schema versions) is
 * the one recorded in DIR/.perfkit-index from the last run, and whose file
 * is still there, is kept as it is. */
#ifndef PK_REPORT_ALL_H
#define PK_REPORT_ALL_H

#include "../core/buf.h"

/* The window of the comparison and throttling reports: the 168 hours (one
 * week, as the requirements report) before each profile's newest sample. */
#define PK_ALL_HOURS 168.0

/* The file beside the index that records each report's fingerprint. */
#define PK_ALL_STATE ".perfkit-index"

struct pk_report_all_opts {
	const char *db_path;     /* NULL: pk_db_default_path(NULL) */
	const char *outdir;      /* an existing folder */
	int markdown;            /* 1: NAME.md and index.md; 0: NAME.html, index.html */
	const char *templates;   /* NULL: built-in */
	const char *gnuplot;     /* NULL: pk_gnuplot_program() */
	struct pk_buf *log;      /* not NULL: one line per report, "wrote FILE",
	                          * "kept FILE" or "no report FILE: reason", then
	                          * the totals */
};

/* Writes what changed, the index and DIR/.perfkit-index.  A report without
 * data (a profile with no samples in its window) is listed in the index
 * with the reason and does not stop the others.  PK_NODATA when the
 * database holds nothing to report on, PK_USAGE, PK_ERR_*; the message,
 * one line, in err (naming the report that failed). */
enum pk_status pk_report_all(const struct pk_report_all_opts *o, struct pk_buf *err);

#endif
