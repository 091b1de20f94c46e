/* report_md.h - the comparison report as Markdown, from the result structs
 * of analyze/compare.h and the list of charts drawn. */
#ifndef PK_REPORT_MD_H
#define PK_REPORT_MD_H

#include <stdint.h>
#include "../analyze/compare.h"
#include "../core/buf.h"
#include "charts.h"

struct pk_report_doc {
	int64_t generated_us;               /* the generated-at stamp */
	const char *charts_name;            /* chart folder for links: "r_charts" */
	const char *script_name;            /* "r.gp", named in the text */
	const struct pk_chart_set *charts;  /* NULL or empty: no charts section */
};

/* Appends the report: title, stamp, profiles (names escaped), findings,
 * the table of every metric, the evidence table, the charts with captions
 * (images at charts_name/FILE), and the methods. */
enum pk_status pk_report_compare_md(const struct pk_compare *c,
                                    const struct pk_report_doc *d,
                                    struct pk_buf *md);

/* Appends the report's title as plain text: "Comparison: A vs B", with
 * control characters in the names as U+FFFD. */
enum pk_status pk_report_compare_title(const struct pk_compare *c,
                                       struct pk_buf *out);

/* The image URL of chart file under charts_name, as the Markdown has it. */
enum pk_status pk_report_chart_url(const char *charts_name, const char *file,
                                   struct pk_buf *out);

#endif
