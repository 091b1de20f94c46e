/* charts.h - the gnuplot script of a comparison report: for each charted
 * metric its values over time and its distribution (CDF), for both sides,
 * as SVG files.  Charted: a registry metric when it is PK_METRIC_MAIN, a
 * path outside the registry (a generic source's) when both sides have it,
 * the first PK_CHART_MAX_PATHS of them.  Only numbers, registry labels and
 * units, "A" and "B" and such paths reduced to pk_chart_safe_label reach
 * the script: never other text from logs. */
#ifndef PK_CHARTS_H
#define PK_CHARTS_H

#include <stddef.h>
#include <stdint.h>
#include "../core/buf.h"
#include "../analyze/compare.h"

enum pk_chart_kind {
	PK_CHART_TIME,  /* values over time since the window start */
	PK_CHART_CDF    /* empirical CDF */
};

/* Paths outside the registry charted at most (two charts each). */
#define PK_CHART_MAX_PATHS 12

struct pk_chart {
	size_t metric;              /* index into the set's metrics (side A's) */
	enum pk_chart_kind kind;
	char file[96];              /* "cpu_percent_total_time.svg" */
	int has_a, has_b;           /* which profiles have values */
};

struct pk_chart_set {
	size_t n;
	struct pk_chart *charts;    /* owned; pk_chart_set_free */
	size_t nskipped;            /* charted metrics without any value */
	size_t skipped[64];         /* their indexes, the first 64 */
	size_t nleft_out;           /* shared paths over PK_CHART_MAX_PATHS */
	size_t left_out[64];        /* their indexes, the first 64 */
	const struct pk_metric *metrics;  /* side A's view's, not owned */
	const char *x_unit;         /* of the time charts: "seconds", "minutes", "hours" */
};

/* One side's data for the charts: its series view (compare.h) and its
 * window (x = time since from_us, in seconds, minutes or hours by the
 * longer window's span: time_axis.h). */
struct pk_chart_side {
	const struct pk_series_view *v;
	int64_t from_us, to_us;
};

/* Writes into script the whole gnuplot script that draws every chart into
 * chart_dir/FILE (chart_dir relative to the directory gnuplot runs in; no
 * control characters).  Data go into inline datablocks.  charts gets the list
 * of charts in report order.  script_name is only named in the script's
 * comment.  Returns PK_OK, PK_ERR_NOMEM, or PK_USAGE for a bad chart_dir,
 * with a message in err. */
enum pk_status pk_chart_script(const struct pk_chart_side *a,
                               const struct pk_chart_side *b,
                               const char *chart_dir, const char *script_name,
                               struct pk_buf *script, struct pk_chart_set *charts,
                               struct pk_buf *err);
void pk_chart_set_free(struct pk_chart_set *c);

/* The label of metric mt as it may reach gnuplot: a registry label as it
 * is; a path from a log with every byte outside [A-Za-z0-9 _.:/%()+-,] and
 * beyond 60 bytes replaced by '?' (so no quote, backquote, @, markup or
 * control character from a log reaches a script or an SVG). */
void pk_chart_safe_label(const struct pk_metric *mt, char *out, size_t n);

/* Appends s to script as a gnuplot single-quoted string ('' for each '). */
enum pk_status pk_gp_quote(struct pk_buf *script, const char *s);

#endif
