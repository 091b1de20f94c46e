/* report_compare.h - the comparison report from database to files: windows,
 * samples, statistics, charts (one gnuplot run), Markdown, HTML. */
#ifndef PK_REPORT_COMPARE_H
#define PK_REPORT_COMPARE_H

#include <stdint.h>
#include "../analyze/compare.h"
#include "../core/buf.h"
#include "../core/query.h"

struct pk_report_opts {
	const char *db_path;     /* NULL: pk_db_default_path(NULL) */
	const char *a, *b;       /* profile names */
	double hours;            /* > 0: window of that many hours before until;
	                          * 0: every sample up to until (pk_window_for) */
	int64_t until_us;        /* INT64_MIN: each profile's newest sample */
	const char *output;      /* FILE.md or FILE.html */
	const char *templates;   /* folder overriding the embedded templates, or NULL */
	const char *gnuplot;     /* NULL: pk_gnuplot_program() */
	struct pk_buf *summary;  /* not NULL: a one-line summary for an index is
	                          * appended (perfreport --all) */
};

/* Writes the report comparing profiles (or generic sources that are no
 * machine, as perfanalyze --compare: the metrics both share) o->a and
 * o->b to o->output, with the
 * gnuplot script FILE.gp and the charts FILE_charts/NAME.svg beside it (the
 * HTML report holds its charts inline as well).  Returns PK_OK; PK_USAGE for
 * bad options, PK_NODATA when a profile is unknown or has no samples in its
 * window, PK_ERR_* for failures (gnuplot: PK_ERR_EXTERNAL); the message,
 * one line, goes to err. */
enum pk_status pk_report_compare(const struct pk_report_opts *o, struct pk_buf *err);

/* The second half of pk_report_compare, for callers that already hold the
 * comparison c and the views of the two sides it came from (va in
 * c->window_a, vb in c->window_b; pk_hw_view for a profile): charts,
 * Markdown, HTML, files.  Only o->output,
 * o->templates and o->gnuplot are used. */
enum pk_status pk_report_compare_write(const struct pk_compare *c,
                                       const struct pk_series_view *va,
                                       const struct pk_series_view *vb,
                                       const struct pk_report_opts *o,
                                       struct pk_buf *err);

#endif
