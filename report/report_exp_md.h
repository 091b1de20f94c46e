/* report_exp_md.h - the Markdown of experiment reports, one function per
 * section, from the results of analyze/experiment.h, the recorded
 * information of core/query_exp_info.h and the charts drawn. */
#ifndef PK_REPORT_EXP_MD_H
#define PK_REPORT_EXP_MD_H

#include <stdint.h>
#include "../analyze/experiment.h"
#include "../core/query_exp_info.h"
#include "charts_experiment.h"
#include "md_out.h"

/* Rows of the timing and crash-reason tables at most (the largest), so
 * that a report's size stays bounded whatever the data. */
#define PK_EXP_TABLE_MAX 30

/* What a report needs beside the results. */
struct pk_exp_doc {
	int64_t generated_us;            /* the generated-at stamp */
	const char *charts_name;         /* chart folder for links: "r_charts" */
	const char *script_name;         /* "r.gp" */
	const struct pk_expc_set *charts;
};

/* One experiment: title, summary, figures, statistics, timings,
 * bottlenecks, crashes, trends, system information, recommendations,
 * methods. */
enum pk_status pk_exp_report_md(const struct pk_exp_result *r,
                                const struct pk_exp_info *info,
                                const struct pk_exp_doc *d, struct pk_buf *md);

/* n experiments side by side; vs[i] is experiment i against experiment 0;
 * info[i] the recorded information of experiment i. */
enum pk_status pk_exps_report_md(const struct pk_exp_result *r,
                                 const struct pk_exp_vs *vs,
                                 const struct pk_exp_info *info, size_t n,
                                 const struct pk_exp_doc *d, struct pk_buf *md);

/* Shared by both: the figure's image and caption, its note naming window,
 * n and the source files. */
void pk_exp_md_figure(struct pk_md_out *o, const struct pk_exp_doc *d,
                      const struct pk_expc_chart *ch, size_t number,
                      const char *alt, const char *caption);
/* The window of an experiment in words: "START to END (as recorded), cycles
 * A-B". */
void pk_exp_md_window(struct pk_md_out *o, const struct pk_exp_result *r);
/* "file, file and file" (escaped), "none recorded" when n == 0. */
void pk_exp_md_sources(struct pk_md_out *o, const struct pk_exp_info *info);
/* The definitions of every statistic an experiment report shows. */
void pk_exp_md_methods(struct pk_md_out *o);

#endif
