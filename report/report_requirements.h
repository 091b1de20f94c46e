/* report_requirements.h - the weekly hardware-requirements report
 * (perfreport --requirements, alias --bloomos): the tiers of one ISO week
 * (analyze/tiers.h) with last week's beside them, as Markdown or
 * self-contained HTML. */
#ifndef PK_REPORT_REQUIREMENTS_H
#define PK_REPORT_REQUIREMENTS_H

#include <stdint.h>
#include "../analyze/correlate.h"
#include "../analyze/quality.h"
#include "../analyze/throttle.h"
#include "../analyze/tiers.h"
#include "../core/buf.h"
#include "../core/query_registry_notes.h"

struct pk_req_opts {
	const char *db_path;     /* NULL: pk_db_default_path(NULL) */
	const char *week;        /* "2025-W51", or NULL: the last full week of data */
	const char *profiles;    /* "A,B,..." or NULL: every profile with samples */
	const char *output;      /* FILE.md or FILE.html */
	const char *templates;   /* folder overriding the embedded templates, or NULL */
	struct pk_buf *summary;  /* not NULL: a one-line summary for an index is
	                          * appended (perfreport --all) */
};

/* The Monday 00:00 UTC that starts ISO week "YYYY-Www" (W01..W53, a week
 * the year has).  PK_USAGE for anything else. */
enum pk_status pk_iso_week_start(const char *week, int64_t *monday_us);

/* "YYYY-Www" of the ISO week holding t (out: at least 16 bytes). */
void pk_iso_week_name(int64_t t_us, char *out);

/* Both weeks' results, as the sections read them. */
struct pk_req_result {
	char week[16], last_week[16];
	int64_t from_us, to_us;              /* this week, inclusive */
	int64_t last_from_us, last_to_us;    /* the week before */
	int partial;                         /* 1: the data do not cover a full week */
	struct pk_tiers now, before;         /* tiers in each window */
	/* this week, per profile of now (same order, now.nprofiles each) */
	struct pk_quality *quality;
	struct pk_throttle *throttle;
	struct pk_throttle_params *tparams;
	struct pk_registry_notes *notes;
	/* TES and wake-word latency against the hardware, this week */
	int have_corr;                       /* 0: corr_none says why */
	struct pk_correlate corr;
	char corr_none[256];
	struct pk_hw_series *series;         /* this week's samples, per profile */
	/* charts (req_charts.h), set before the Markdown is written */
	const struct pk_req_charts *charts;  /* NULL: no charts */
	const char *charts_name;             /* folder for the image links */
};

struct pk_req_charts;

void pk_req_result_free(struct pk_req_result *r);

/* Appends the report's Markdown: the decision first, then exclusions,
 * per-profile summary, pairwise comparisons, targets, hardware against
 * agent performance, throttling, data quality, recommendations, week over
 * week, methods (report/req_sections.c, report/req_evidence.c). */
/* Appends chart `kind` (enum pk_req_chart_kind) as a Markdown image with
 * its caption and the P1.. legend, when it was drawn (req_sections.c). */
enum pk_status pk_req_figure_md(const struct pk_req_result *r, int kind, const char *caption,
                                struct pk_buf *md);

/* The evidence sections (req_evidence.c), each appended to md. */
enum pk_status pk_req_correlation_md(const struct pk_req_result *r, struct pk_buf *md);
enum pk_status pk_req_throttling_md(const struct pk_req_result *r, struct pk_buf *md);
enum pk_status pk_req_quality_md(const struct pk_req_result *r, struct pk_buf *md);
enum pk_status pk_req_recommendations_md(const struct pk_req_result *r, struct pk_buf *md);

enum pk_status pk_req_markdown(const struct pk_req_result *r, int64_t generated_us,
                               struct pk_buf *md);

/* Reads the database, computes both weeks and writes o->output.  PK_USAGE
 * for bad options, PK_NODATA for an unknown profile or no samples,
 * PK_ERR_* for failures; one-line message in err. */
enum pk_status pk_report_requirements(const struct pk_req_opts *o, struct pk_buf *err);

#endif
