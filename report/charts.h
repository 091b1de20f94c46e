/* charts.h - the gnuplot script of a comparison report: for each charted
 * metric (PK_METRIC_MAIN) its values over time and its distribution (CDF),
 * for both profiles, as SVG files.  Only numbers, registry labels and units,
 * "A" and "B" reach the script: never text from logs. */
#ifndef PK_CHARTS_H
#define PK_CHARTS_H

#include <stddef.h>
#include <stdint.h>
#include "../core/buf.h"
#include "../core/query.h"

enum pk_chart_kind {
	PK_CHART_TIME,  /* values over hours since the window start */
	PK_CHART_CDF    /* empirical CDF */
};

struct pk_chart {
	size_t metric;              /* index into pk_hw_metrics */
	enum pk_chart_kind kind;
	char file[96];              /* "cpu_percent_total_time.svg" */
	int has_a, has_b;           /* which profiles have values */
};

struct pk_chart_set {
	size_t n;
	struct pk_chart *charts;    /* owned; pk_chart_set_free */
	size_t nskipped;            /* charted metrics without any value */
	size_t skipped[64];         /* their indexes, the first 64 */
};

/* One profile's data for the charts: its series and its window (x = hours
 * since from_us). */
struct pk_chart_side {
	const struct pk_hw_series *s;
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

/* Appends s to script as a gnuplot single-quoted string ('' for each '). */
enum pk_status pk_gp_quote(struct pk_buf *script, const char *s);

#endif
