/* report_throttle.h - perfreport --throttling PROFILE: thermal throttling
 * episodes (analyze/throttle.h) on a timeline of GPU temperature, CPU
 * frequency and GPU utilisation, each episode's drops against its baseline,
 * and what to do about them. */
#ifndef PK_REPORT_THROTTLE_H
#define PK_REPORT_THROTTLE_H

#include <stdint.h>
#include "../core/buf.h"

struct pk_report_throttle_opts {
	const char *db_path;        /* NULL: pk_db_default_path(NULL) */
	const char *profile;
	double hours;               /* window of hours ending at until (as perfanalyze) */
	int64_t until_us;           /* INT64_MIN: the profile's newest sample */
	double threshold_c;         /* NAN: the registry's limit, else 80 °C */
	const char *output;         /* FILE.md or FILE.html */
	const char *templates;      /* NULL: built-in */
	const char *gnuplot;        /* NULL: pk_gnuplot_program() */
	struct pk_buf *summary;      /* not NULL: a one-line summary for an index is
	                             * appended (perfreport --all) */
	int need_episodes;          /* 1: no file but PK_NODATA (why in err) when
	                             * the window has no episode (perfreport --all) */
};

/* Episodes listed in the report's table at most (the costliest), so that
 * its size stays bounded. */
#define PK_THROTTLE_TABLE_MAX 100

/* Writes the report with FILE.gp and FILE_charts/ beside it.  PK_NODATA
 * for an unknown profile or an empty window; message in err. */
enum pk_status pk_report_throttle(const struct pk_report_throttle_opts *o,
                                  struct pk_buf *err);

#endif
