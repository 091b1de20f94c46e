/* req_charts.h - the gnuplot script of the hardware-requirements report:
 * p95 latency against VRAM capacity per profile, wake-word latency against
 * VRAM in use (every sample, with the least-squares line), TES against the
 * hardware measure it tracks most closely (runs, with the line), and the
 * throttling episodes on a timeline.  Profiles reach the script as P1, P2,
 * ... (capacity order; the Markdown names them): never text from logs. */
#ifndef PK_REQ_CHARTS_H
#define PK_REQ_CHARTS_H

#include <stddef.h>
#include "../core/buf.h"
#include "report_requirements.h"

/* Points per profile in a scatter chart at most (evenly spaced samples
 * beyond), so the HTML stays bounded whatever the data size. */
#define PK_REQ_SCATTER_MAX 1500

enum pk_req_chart_kind { PK_REQ_LATENCY_CAPACITY, PK_REQ_WAKE_VRAM, PK_REQ_TES,
                         PK_REQ_THROTTLE, PK_REQ_NCHARTS };

struct pk_req_charts {
	int drawn[PK_REQ_NCHARTS];         /* 1: the script draws it */
	char file[PK_REQ_NCHARTS][48];     /* "latency_capacity.svg" */
	size_t tes_pair;                   /* corr pair of the TES chart */
};

/* Writes the script that draws the charts r has data for into
 * chart_dir/FILE; ch says which.  PK_ERR_NOMEM. */
enum pk_status pk_req_chart_script(const struct pk_req_result *r, const char *chart_dir,
                                   struct pk_buf *script, struct pk_req_charts *ch);

#endif
