/* write_quality.c - data quality (perfanalyze --quality) as text, JSON or
 * CSV (write_quality.h). */
#include "write_quality.h"

#include <math.h>
#include <string.h>

#include "../core/csv_write.h"
#include "../core/diag.h"
#include "../core/json_write.h"
#include "../core/timeutil.h"
#include "cmd_common.h"
#include "quality.h"
#include "writers.h"

#define DUP_NOTE "not stored: perfingest drops a line whose (profile, time) is already " \
	"stored and keeps no count in the database (its run summary prints it)"

static enum pk_status write_json(struct pk_buf *o, const struct pk_quality *q)
{
	const struct pk_intervals *iv = &q->iv;
	enum pk_status rc = pk_buf_printf(o, "{\"schema\":%d", PK_JSON_SCHEMA);
	if (rc == PK_OK) rc = pk_json_text_member(o, "profile", q->profile, 1);
	if (rc == PK_OK) rc = pk_json_window_member(o, "window", q->window.from_us, q->window.to_us, 1);
	if (rc == PK_OK) rc = pk_buf_printf(o, ",\"samples\":%zu", q->samples);
	if (rc == PK_OK) rc = pk_json_time_member(o, "first", q->first_us, 1);
	if (rc == PK_OK) rc = pk_json_time_member(o, "last", q->last_us, 1);
	if (rc == PK_OK) rc = pk_buf_printf(o, ",\"interval\":{\"n\":%zu", iv->n);
	if (rc == PK_OK) rc = pk_json_num_member(o, "median_s", iv->median_s, 1);
	if (rc == PK_OK) rc = pk_json_num_member(o, "mean_s", iv->mean_s, 1);
	if (rc == PK_OK) rc = pk_json_num_member(o, "sd_s", iv->sd_s, 1);
	if (rc == PK_OK) rc = pk_json_num_member(o, "min_s", iv->min_s, 1);
	if (rc == PK_OK) rc = pk_json_num_member(o, "max_s", iv->max_s, 1);
	if (rc == PK_OK) rc = pk_json_num_member(o, "cv", iv->cv, 1);
	if (rc == PK_OK) rc = pk_buf_putc(o, '}');
	if (rc == PK_OK) rc = pk_json_num_member(o, "gap_threshold_s", q->gap_threshold_s, 1);
	if (rc == PK_OK) rc = pk_buf_printf(o, ",\"gap_count\":%zu,\"missing_intervals\":%lld",
	                                    q->ngaps, (long long)q->missing_intervals);
	if (rc == PK_OK) rc = pk_json_num_member(o, "gap_s", q->gap_s, 1);
	if (rc == PK_OK) rc = pk_json_num_member(o, "gap_share", q->gap_share, 1);
	if (rc == PK_OK) rc = pk_buf_printf(o, ",\"irregular\":%s,\"gaps\":[",
	                                    q->irregular ? "true" : "false");
	for (size_t i = 0; i < q->ngaps && rc == PK_OK; i++) {
		const struct pk_quality_gap *g = &q->gaps[i];
		rc = pk_buf_puts(o, i ? ",{" : "{");
		if (rc == PK_OK) rc = pk_json_time_member(o, "start", g->start_us, 0);
		if (rc == PK_OK) rc = pk_json_time_member(o, "end", g->end_us, 1);
		if (rc == PK_OK) rc = pk_json_num_member(o, "length_s", g->length_s, 1);
		if (rc == PK_OK) rc = pk_buf_printf(o, ",\"missing\":%lld}", (long long)g->missing);
	}
	if (rc == PK_OK) rc = pk_buf_puts(o, "],\"metrics\":{");
	for (size_t m = 0; m < q->nmetrics && rc == PK_OK; m++) {
		const struct pk_quality_metric *qm = &q->metrics[m];
		rc = pk_json_key(o, qm->metric->name, m > 0);
		if (rc == PK_OK) rc = pk_buf_printf(o, "{\"present\":%zu,\"missing\":%zu",
		                                    qm->present, qm->missing);
		if (rc == PK_OK) rc = pk_json_num_member(o, "mean", qm->mean, 1);
		if (rc == PK_OK) rc = pk_json_num_member(o, "tw_mean", qm->tw_mean, 1);
		if (rc == PK_OK) rc = pk_buf_putc(o, '}');
	}
	if (rc == PK_OK) rc = pk_buf_puts(o, "},\"sources\":[");
	for (size_t i = 0; i < q->nsources && rc == PK_OK; i++) {
		const struct pk_profile_source *s = &q->sources[i];
		rc = pk_buf_puts(o, i ? ",{" : "{");
		if (rc == PK_OK) rc = pk_json_text_member(o, "path", s->path, 0);
		if (rc == PK_OK) rc = pk_json_text_member(o, "member", s->member, 1);
		if (rc == PK_OK)
			rc = pk_buf_printf(o, ",\"samples\":%lld,\"lines_read\":%lld,\"rejects\":%lld}",
			                   (long long)s->samples, (long long)s->lines_read,
			                   (long long)s->rejects);
	}
	if (rc == PK_OK)
		rc = pk_buf_printf(o, "],\"lines_read\":%lld,\"rejects\":%lld,\"duplicates\":null",
		                   (long long)q->lines_read, (long long)q->rejects);
	if (rc == PK_OK) rc = pk_json_text_member(o, "duplicates_note", DUP_NOTE, 1);
	return rc == PK_OK ? pk_buf_puts(o, "}\n") : rc;
}

/* Three blocks, each with its header, separated by an empty line: the
 * summary, the main metrics, the gaps. */
static enum pk_status write_csv(struct pk_buf *o, const struct pk_quality *q)
{
	const struct pk_intervals *iv = &q->iv;
	enum pk_status rc = pk_buf_puts(o, "profile,samples,interval_s,interval_mean_s,interval_sd_s,"
	                                "interval_min_s,interval_max_s,cv,gap_threshold_s,gaps,"
	                                "missing_intervals,gap_s,gap_share,irregular,lines_read,"
	                                "rejects,duplicates\n");
	if (rc == PK_OK) rc = pk_csv_text(o, q->profile);
	if (rc == PK_OK) rc = pk_buf_printf(o, ",%zu", q->samples);
	double v[] = { iv->median_s, iv->mean_s, iv->sd_s, iv->min_s, iv->max_s, iv->cv,
	               q->gap_threshold_s };
	for (size_t i = 0; i < sizeof v / sizeof v[0] && rc == PK_OK; i++)
		rc = pk_csv_num(o, v[i]);
	if (rc == PK_OK) rc = pk_buf_printf(o, ",%zu,%lld", q->ngaps, (long long)q->missing_intervals);
	if (rc == PK_OK) rc = pk_csv_num(o, q->gap_s);
	if (rc == PK_OK) rc = pk_csv_num(o, q->gap_share);
	if (rc == PK_OK)
		rc = pk_buf_printf(o, ",%d,%lld,%lld,\n\nprofile,metric,unit,present,missing,mean,tw_mean\n",
		                   q->irregular, (long long)q->lines_read, (long long)q->rejects);
	for (size_t m = 0; m < q->nmetrics && rc == PK_OK; m++) {
		const struct pk_quality_metric *qm = &q->metrics[m];
		rc = pk_csv_text(o, q->profile);
		if (rc == PK_OK) rc = pk_buf_putc(o, ',');
		if (rc == PK_OK) rc = pk_csv_metric(o, qm->metric);
		if (rc == PK_OK) rc = pk_buf_printf(o, ",%zu,%zu", qm->present, qm->missing);
		if (rc == PK_OK) rc = pk_csv_num(o, qm->mean);
		if (rc == PK_OK) rc = pk_csv_num(o, qm->tw_mean);
		if (rc == PK_OK) rc = pk_buf_putc(o, '\n');
	}
	if (rc == PK_OK) rc = pk_buf_puts(o, "\nprofile,gap_start,gap_end,length_s,missing\n");
	for (size_t i = 0; i < q->ngaps && rc == PK_OK; i++) {
		char a[PK_TIME_ISO_MAX], b[PK_TIME_ISO_MAX];
		pk_time_format_iso(q->gaps[i].start_us, a);
		pk_time_format_iso(q->gaps[i].end_us, b);
		rc = pk_csv_text(o, q->profile);
		if (rc == PK_OK) rc = pk_buf_printf(o, ",%s,%s", a, b);
		if (rc == PK_OK) rc = pk_csv_num(o, q->gaps[i].length_s);
		if (rc == PK_OK) rc = pk_buf_printf(o, ",%lld\n", (long long)q->gaps[i].missing);
	}
	return rc;
}

#define TEXT_GAPS 20   /* gaps listed in text; JSON and CSV list all */

static enum pk_status write_text(struct pk_buf *o, const struct pk_quality *q)
{
	const struct pk_intervals *iv = &q->iv;
	char a[PK_TIME_ISO_MAX], b[PK_TIME_ISO_MAX], s1[32], s2[32], s3[32], s4[32], s5[32], s6[32];
	enum pk_status rc = pk_cmd_text_head(o, q->profile, &q->window);
	pk_time_format_iso(q->first_us, a);
	pk_time_format_iso(q->last_us, b);
	if (rc == PK_OK) rc = pk_buf_printf(o, "samples     %zu (%s .. %s)\n", q->samples, a, b);
	pk_fmt_stat(iv->median_s, s1, sizeof s1);
	pk_fmt_stat(iv->mean_s, s2, sizeof s2);
	pk_fmt_stat(iv->sd_s, s3, sizeof s3);
	pk_fmt_stat(iv->min_s, s4, sizeof s4);
	pk_fmt_stat(iv->max_s, s5, sizeof s5);
	pk_fmt_stat(iv->cv, s6, sizeof s6);
	if (rc == PK_OK)
		rc = pk_buf_printf(o, "interval    %s s usual (median of %zu differences); mean %s s, "
		                   "sd %s s, min %s s, max %s s; cv %s\n", s1, iv->n, s2, s3, s4, s5, s6);
	pk_fmt_stat(q->gap_threshold_s, s1, sizeof s1);
	pk_fmt_stat(q->gap_s, s2, sizeof s2);
	pk_fmt_stat(100 * q->gap_share, s3, sizeof s3);
	if (rc == PK_OK)
		rc = pk_buf_printf(o, "gaps        %zu longer than %s s (3 x interval): %lld missing "
		                   "intervals, %s s, %s %% of the span\n", q->ngaps, s1,
		                   (long long)q->missing_intervals, s2, s3);
	if (rc == PK_OK)
		rc = pk_buf_printf(o, "sampling    %s (rule: irregular when cv > 0.5 or any gap)\n",
		                   q->irregular ? "irregular" : "regular");
	if (rc == PK_OK)
		rc = pk_buf_printf(o, "sources     %zu file(s), %lld lines read, %lld rejected\n",
		                   q->nsources, (long long)q->lines_read, (long long)q->rejects);
	if (rc == PK_OK) rc = pk_buf_puts(o, "duplicates  " DUP_NOTE "\n\n");
	if (rc == PK_OK)
		rc = pk_buf_printf(o, "%-44s %-4s %8s %8s %10s %10s\n", "metric", "unit", "present",
		                   "missing", "mean", "tw_mean");
	for (size_t m = 0; m < q->nmetrics && rc == PK_OK; m++) {
		const struct pk_quality_metric *qm = &q->metrics[m];
		pk_fmt_stat(qm->mean, s1, sizeof s1);
		pk_fmt_stat(qm->tw_mean, s2, sizeof s2);
		rc = pk_text_metric(o, qm->metric);
		if (rc == PK_OK)
			rc = pk_buf_printf(o, " %8zu %8zu %10s %10s\n", qm->present, qm->missing, s1, s2);
	}
	if (rc == PK_OK && q->ngaps)
		rc = pk_buf_printf(o, "\n%-27s %-27s %10s %8s\n", "gap start", "gap end", "length_s",
		                   "missing");
	for (size_t i = 0; i < q->ngaps && i < TEXT_GAPS && rc == PK_OK; i++) {
		pk_time_format_iso(q->gaps[i].start_us, a);
		pk_time_format_iso(q->gaps[i].end_us, b);
		pk_fmt_stat(q->gaps[i].length_s, s1, sizeof s1);
		rc = pk_buf_printf(o, "%-27s %-27s %10s %8lld\n", a, b, s1, (long long)q->gaps[i].missing);
	}
	if (rc == PK_OK && q->ngaps > TEXT_GAPS)
		rc = pk_buf_printf(o, "... %zu more (--format json or csv lists all)\n",
		                   q->ngaps - TEXT_GAPS);
	return rc;
}

enum pk_status pk_write_quality(struct pk_buf *out, enum pk_format f,
                                const struct pk_quality *r)
{
	if (f == PK_FMT_JSON)
		return write_json(out, r);
	if (f == PK_FMT_CSV)
		return write_csv(out, r);
	return write_text(out, r);
}
