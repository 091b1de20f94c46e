/* report_out.h - the last step of every report: the gnuplot script written
 * beside the report and run once, then the Markdown written as it is, or
 * rendered to a self-contained HTML page with each chart inlined. */
#ifndef PK_REPORT_OUT_H
#define PK_REPORT_OUT_H

#include <stddef.h>
#include "../core/buf.h"
#include "files.h"

struct pk_report_page {
	const char *title;            /* plain text (escaped for HTML on the way) */
	const struct pk_buf *md;      /* the report */
	const struct pk_buf *script;  /* the gnuplot script; empty: no charts */
	const char *const *charts;    /* chart file names under paths->charts, */
	size_t ncharts;               /* as the script writes them */
};

/* Writes the script to p->script, removes the old chart files and runs
 * gnuplot (program; NULL: pk_gnuplot_program()) once when there are charts,
 * then writes the report to output: the Markdown, or (p->html) the HTML
 * page from the templates in templates_dir (NULL: the built-in ones) with
 * the charts read back and inlined.  A message in err on failure. */
enum pk_status pk_report_emit(const char *output, const struct pk_report_paths *p,
                              const struct pk_report_page *pg,
                              const char *templates_dir, const char *program,
                              struct pk_buf *err);

/* Fails with PK_ERR_IO (message in err) when the folder output goes to
 * does not exist, so a report fails before its slow part. */
enum pk_status pk_report_check_dir(const char *output, const struct pk_report_paths *p,
                                   struct pk_buf *err);

#endif
