/* writers.c - text, JSON and CSV output of analysis results (writers.h). */
#include "writers.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../core/csv_write.h"
#include "../core/diag.h"
#include "../core/json_write.h"
#include "../core/timeutil.h"

int pk_format_parse(const char *s, enum pk_format *out)
{
	if (strcmp(s, "text") == 0) *out = PK_FMT_TEXT;
	else if (strcmp(s, "json") == 0) *out = PK_FMT_JSON;
	else if (strcmp(s, "csv") == 0) *out = PK_FMT_CSV;
	else return -1;
	return 0;
}

void pk_fmt_stat(double v, char *out, size_t n)
{
	double a = fabs(v);
	if (isnan(v))
		snprintf(out, n, "-");
	else if (a == 0)
		snprintf(out, n, "0");
	else if (a >= 1e7 || a < 1e-3)
		snprintf(out, n, "%.3e", v);
	else if (a >= 1000)
		snprintf(out, n, "%.0f", v);
	else if (a >= 100)
		snprintf(out, n, "%.1f", v);
	else if (a >= 1)
		snprintf(out, n, "%.2f", v);
	else
		snprintf(out, n, "%.4f", v);
}

void pk_fmt_p(double p, char *out, size_t n)
{
	if (isnan(p))
		snprintf(out, n, "-");
	else if (p < 1e-300)
		snprintf(out, n, "<1e-300");
	else
		snprintf(out, n, "%.3g", p);
}

/* printf width for a unit in a 4-column field: "°" is 2 bytes, 1 column */
static int unit_width(const char *unit)
{
	return 4 + (strstr(unit, "°") ? 1 : 0);
}

const char *pk_metric_unit_shown(const struct pk_metric *m)
{
	return (m->flags & PK_METRIC_UNREGISTERED) ? "?" : m->unit;
}

enum pk_status pk_text_metric(struct pk_buf *b, const struct pk_metric *m)
{
	size_t mark = b->len;
	enum pk_status rc = pk_buf_put_printable(b, m->name, strlen(m->name));
	size_t w = b->len - mark;
	if (rc == PK_OK)
		rc = pk_buf_printf(b, "%*s %-*s", w < 44 ? (int)(44 - w) : 0, "",
		                   unit_width(pk_metric_unit_shown(m)), pk_metric_unit_shown(m));
	return rc;
}

enum pk_status pk_csv_metric(struct pk_buf *b, const struct pk_metric *m)
{
	enum pk_status rc = pk_csv_text(b, m->name);
	if (rc == PK_OK) rc = pk_buf_putc(b, ',');
	if (rc == PK_OK) rc = pk_csv_text(b, pk_metric_unit_shown(m));
	return rc;
}

/* The text note under a table holding paths outside the registry. */
static enum pk_status text_unregistered_note(struct pk_buf *b, size_t n)
{
	if (n == 0)
		return PK_OK;
	return pk_buf_printf(b, "\n? %zu metric%s outside the metric registry: unit unknown, "
	                     "direction neutral (a difference is B higher/lower)\n", n,
	                     n == 1 ? "" : "s");
}

/* ,"unregistered":[paths outside the registry] */
static enum pk_status json_unregistered(struct pk_buf *b, const struct pk_metric_summary *sum,
                                        const struct pk_metric_compare *cmp, size_t n)
{
	enum pk_status rc = pk_buf_puts(b, ",\"unregistered\":[");
	int first = 1;
	for (size_t m = 0; m < n && rc == PK_OK; m++) {
		const struct pk_metric *mt = sum ? sum[m].metric : cmp[m].metric;
		if (!(mt->flags & PK_METRIC_UNREGISTERED))
			continue;
		if (!first) rc = pk_buf_putc(b, ',');
		if (rc == PK_OK) rc = pk_json_string(b, mt->name, strlen(mt->name));
		first = 0;
	}
	return rc == PK_OK ? pk_buf_putc(b, ']') : rc;
}

static size_t count_unregistered(const struct pk_metric_summary *sum,
                                 const struct pk_metric_compare *cmp, size_t n)
{
	size_t k = 0;
	for (size_t m = 0; m < n; m++)
		k += ((sum ? sum[m].metric : cmp[m].metric)->flags & PK_METRIC_UNREGISTERED) != 0;
	return k;
}

static void iso(int64_t us, char *out)
{
	pk_time_format_iso(us, out);
}

static enum pk_status json_summary(struct pk_buf *b, const struct pk_summary *s)
{
	enum pk_status rc = pk_buf_printf(b, "{\"count\":%zu", s->count);
	if (rc == PK_OK) rc = pk_json_num_member(b, "mean", s->mean, 1);
	if (rc == PK_OK) rc = pk_json_num_member(b, "median", s->median, 1);
	if (rc == PK_OK) rc = pk_json_num_member(b, "stdev", s->stdev, 1);
	if (rc == PK_OK) rc = pk_json_num_member(b, "min", s->min, 1);
	if (rc == PK_OK) rc = pk_json_num_member(b, "max", s->max, 1);
	if (rc == PK_OK) rc = pk_json_num_member(b, "p95", s->p95, 1);
	if (rc == PK_OK) rc = pk_json_num_member(b, "p99", s->p99, 1);
	if (rc == PK_OK) rc = pk_buf_putc(b, '}');
	return rc;
}

/* Profile names come from logs: printable in text, escaped in JSON/CSV. */
static enum pk_status text_name(struct pk_buf *b, const char *s)
{
	return pk_buf_put_printable(b, s, strlen(s));
}

enum pk_status pk_write_profiles(struct pk_buf *out, enum pk_format f,
                                 const struct pk_profile_info *p, size_t n)
{
	char a[PK_TIME_ISO_MAX], z[PK_TIME_ISO_MAX];
	enum pk_status rc = PK_OK;
	if (f == PK_FMT_JSON)
		rc = pk_buf_printf(out, "{\"schema\":%d,\"profiles\":[", PK_JSON_SCHEMA);
	else if (f == PK_FMT_CSV)
		rc = pk_buf_puts(out, "profile,samples,first,last\n");
	else
		rc = pk_buf_printf(out, "%-32s %10s  %-27s  %s\n", "profile", "samples", "first", "last");
	for (size_t i = 0; i < n && rc == PK_OK; i++) {
		iso(p[i].first_us, a);
		iso(p[i].last_us, z);
		if (f == PK_FMT_JSON) {
			rc = pk_buf_puts(out, i ? ",{" : "{");
			if (rc == PK_OK) rc = pk_json_text_member(out, "profile", p[i].name, 0);
			if (rc == PK_OK) rc = pk_buf_printf(out, ",\"samples\":%lld", (long long)p[i].samples);
			if (rc == PK_OK) rc = pk_json_text_member(out, "first", a, 1);
			if (rc == PK_OK) rc = pk_json_text_member(out, "last", z, 1);
			if (rc == PK_OK) rc = pk_buf_putc(out, '}');
		} else if (f == PK_FMT_CSV) {
			rc = pk_csv_text(out, p[i].name);
			if (rc == PK_OK)
				rc = pk_buf_printf(out, ",%lld,%s,%s\n", (long long)p[i].samples, a, z);
		} else {
			size_t mark = out->len;
			rc = text_name(out, p[i].name);
			size_t w = out->len - mark;
			if (rc == PK_OK)
				rc = pk_buf_printf(out, "%*s %10lld  %-27s  %s\n", w < 32 ? (int)(32 - w) : 0,
				                   "", (long long)p[i].samples, a, z);
		}
	}
	if (rc == PK_OK && f == PK_FMT_JSON)
		rc = pk_buf_puts(out, "]}\n");
	return rc;
}

/* ---- data quality (struct pk_data_quality) ---- */

/* A duration for people: seconds below 2 min, minutes below 2 h, else hours. */
static void fmt_duration(double s, char *out, size_t n)
{
	char t[32];
	if (isnan(s)) {
		snprintf(out, n, "-");
	} else if (s < 120) {
		pk_fmt_stat(s, t, sizeof t);
		snprintf(out, n, "%s s", t);
	} else if (s < 7200) {
		pk_fmt_stat(s / 60, t, sizeof t);
		snprintf(out, n, "%s min", t);
	} else {
		pk_fmt_stat(s / 3600, t, sizeof t);
		snprintf(out, n, "%s h", t);
	}
}

/* The quality paragraph: two lines, the first after `lead`, the second
 * indented by `indent` spaces. */
static enum pk_status text_quality(struct pk_buf *b, const char *lead, int indent,
                                   const struct pk_data_quality *q)
{
	char iv[48], cv[32], gap[48];
	fmt_duration(q->interval_s, iv, sizeof iv);
	pk_fmt_stat(q->cv, cv, sizeof cv);
	enum pk_status rc = pk_buf_printf(b, "%sinterval %s, cv %s, %zu gap%s > 3x interval", lead,
	                                  iv, cv, q->gaps, q->gaps == 1 ? "" : "s");
	if (rc == PK_OK && q->gaps) {
		fmt_duration(q->gap_s, gap, sizeof gap);
		rc = pk_buf_printf(b, " (%s, %lld missing intervals)", gap,
		                   (long long)q->missing_intervals);
	}
	if (rc == PK_OK)
		rc = pk_buf_puts(b, q->irregular ? ", irregular sampling (time-weighted means below)\n"
		                                 : ", regular sampling\n");
	if (rc == PK_OK && q->sources_known)
		rc = pk_buf_printf(b, "%*ssources %zu file%s, %lld lines read, %lld rejected\n", indent, "",
		                   q->source_files, q->source_files == 1 ? "" : "s",
		                   (long long)q->lines_read, (long long)q->rejects);
	return rc;
}

static enum pk_status json_int_or_null(struct pk_buf *b, const char *k, int known, long long v)
{
	enum pk_status rc = pk_buf_putc(b, ',');
	if (rc == PK_OK) rc = pk_json_key(b, k, 0);
	if (rc == PK_OK) rc = known ? pk_buf_printf(b, "%lld", v) : pk_buf_puts(b, "null");
	return rc;
}

/* "KEY":{...} with the numbers of q; tw_mean null for a regular series,
 * else by the names of the result's metrics (sum or cmp, n of them). */
static enum pk_status json_quality(struct pk_buf *b, const char *k, const struct pk_data_quality *q,
                                   const struct pk_metric_summary *sum,
                                   const struct pk_metric_compare *cmp, size_t n)
{
	enum pk_status rc = pk_json_key(b, k, 0);
	if (rc == PK_OK) rc = pk_buf_putc(b, '{');
	if (rc == PK_OK) rc = pk_json_num_member(b, "interval_s", q->interval_s, 0);
	if (rc == PK_OK) rc = pk_json_num_member(b, "interval_cv", q->cv, 1);
	if (rc == PK_OK) rc = pk_buf_printf(b, ",\"gaps\":%zu", q->gaps);
	if (rc == PK_OK) rc = pk_json_num_member(b, "gap_s", q->gap_s, 1);
	if (rc == PK_OK)
		rc = pk_buf_printf(b, ",\"missing_intervals\":%lld,\"irregular\":%s",
		                   (long long)q->missing_intervals, q->irregular ? "true" : "false");
	if (rc == PK_OK) rc = json_int_or_null(b, "source_files", q->sources_known, (long long)q->source_files);
	if (rc == PK_OK) rc = json_int_or_null(b, "lines_read", q->sources_known, (long long)q->lines_read);
	if (rc == PK_OK) rc = json_int_or_null(b, "rejects", q->sources_known, (long long)q->rejects);
	if (rc == PK_OK) rc = pk_buf_puts(b, ",\"sources_method\":");
	if (rc == PK_OK)
		rc = pk_buf_puts(b, !q->sources_known ? "null" : q->sources_scanned ? "\"scan\"" : "\"probe\"");
	if (rc == PK_OK) rc = pk_buf_puts(b, ",\"tw_mean\":");
	if (rc == PK_OK) rc = pk_buf_puts(b, q->tw_mean ? "{" : "null");
	for (size_t m = 0; q->tw_mean && m < n && rc == PK_OK; m++)
		rc = pk_json_num_member(b, (sum ? sum[m].metric : cmp[m].metric)->name, q->tw_mean[m],
		                        m > 0 ? 1 : 0);
	if (rc == PK_OK && q->tw_mean) rc = pk_buf_putc(b, '}');
	if (rc == PK_OK) rc = pk_buf_putc(b, '}');
	return rc;
}

#define CSV_QUALITY_HEAD "interval_s,interval_cv,gaps,gap_s,missing_intervals,irregular," \
	"source_files,lines_read,rejects\n"

/* The CSV quality row after the profile's name (the fields of CSV_QUALITY_HEAD). */
static enum pk_status csv_quality(struct pk_buf *b, const struct pk_data_quality *q)
{
	enum pk_status rc = pk_csv_num(b, q->interval_s);
	if (rc == PK_OK) rc = pk_csv_num(b, q->cv);
	if (rc == PK_OK) rc = pk_buf_printf(b, ",%zu", q->gaps);
	if (rc == PK_OK) rc = pk_csv_num(b, q->gap_s);
	if (rc == PK_OK) rc = pk_buf_printf(b, ",%lld,%d", (long long)q->missing_intervals, q->irregular);
	if (rc == PK_OK && q->sources_known)
		rc = pk_buf_printf(b, ",%zu,%lld,%lld\n", q->source_files, (long long)q->lines_read,
		                   (long long)q->rejects);
	else if (rc == PK_OK)
		rc = pk_buf_puts(b, ",,,\n");
	return rc;
}

static double tw_of(const struct pk_data_quality *q, size_t m)
{
	return q->tw_mean ? q->tw_mean[m] : NAN;
}

static enum pk_status text_window(struct pk_buf *b, const struct pk_window *w)
{
	char from[PK_TIME_ISO_MAX], to[PK_TIME_ISO_MAX];
	iso(w->from_us, from);
	iso(w->to_us, to);
	return pk_buf_printf(b, "%s .. %s (%.4g h)", from, to,
	                     (double)(w->to_us - w->from_us) / (double)PK_US_PER_HOUR);
}

/* The time-weighted means of an irregular series beside the plain means:
 * of one profile (sum, qa) or of both sides of a comparison (cmp, qa, qb);
 * metrics without values are left out. */
static enum pk_status text_tw_means(struct pk_buf *b, const struct pk_metric_summary *sum,
                                    const struct pk_metric_compare *cmp, size_t n,
                                    const struct pk_data_quality *qa,
                                    const struct pk_data_quality *qb)
{
	enum pk_status rc = pk_buf_puts(b, "\ntime-weighted means (irregular sampling: trapezoid "
	                                   "rule, no pair more than 3x interval apart)\n");
	if (rc == PK_OK && sum)
		rc = pk_buf_printf(b, "%-44s %-4s %9s %9s\n", "metric", "unit", "mean", "tw mean");
	else if (rc == PK_OK)
		rc = pk_buf_printf(b, "%-44s %-4s %9s %9s %9s %9s\n", "metric", "unit", "mean A",
		                   "tw A", "mean B", "tw B");
	for (size_t m = 0; m < n && rc == PK_OK; m++) {
		const struct pk_metric *mt = sum ? sum[m].metric : cmp[m].metric;
		double v[4] = { sum ? sum[m].s.mean : cmp[m].a.mean, tw_of(qa, m),
		                sum ? NAN : cmp[m].b.mean, qb ? tw_of(qb, m) : NAN };
		if (isnan(v[0]) && isnan(v[1]) && isnan(v[2]) && isnan(v[3]))
			continue;
		rc = pk_text_metric(b, mt);
		for (size_t i = 0; i < (sum ? 2u : 4u) && rc == PK_OK; i++) {
			char t[32];
			pk_fmt_stat(v[i], t, sizeof t);
			rc = pk_buf_printf(b, " %9s", t);
		}
		if (rc == PK_OK) rc = pk_buf_putc(b, '\n');
	}
	return rc;
}

enum pk_status pk_write_analysis(struct pk_buf *out, enum pk_format f,
                                 const struct pk_analysis *a)
{
	enum pk_status rc = PK_OK;
	if (f == PK_FMT_JSON) {
		rc = pk_buf_printf(out, "{\"schema\":%d,", PK_JSON_SCHEMA);
		if (rc == PK_OK) rc = pk_json_text_member(out, "profile", a->profile, 0);
		if (rc == PK_OK) rc = pk_buf_putc(out, ',');
		if (rc == PK_OK) rc = pk_json_window_member(out, "window", a->window.from_us, a->window.to_us, 0);
		if (rc == PK_OK) rc = pk_buf_printf(out, ",\"samples\":%zu,\"metrics\":{", a->samples);
		for (size_t m = 0; m < a->nmetrics && rc == PK_OK; m++) {
			if (m) rc = pk_buf_putc(out, ',');
			if (rc == PK_OK) rc = pk_json_key(out, a->metrics[m].metric->name, 0);
			if (rc == PK_OK) rc = json_summary(out, &a->metrics[m].s);
		}
		if (rc == PK_OK) rc = pk_buf_putc(out, '}');
		if (rc == PK_OK) rc = json_unregistered(out, a->metrics, NULL, a->nmetrics);
		if (rc == PK_OK) rc = pk_buf_putc(out, ',');
		if (rc == PK_OK) rc = json_quality(out, "quality", &a->quality, a->metrics, NULL, a->nmetrics);
		if (rc == PK_OK) rc = pk_buf_puts(out, "}\n");
		return rc;
	}
	if (f == PK_FMT_CSV) {
		rc = pk_buf_puts(out, "profile,metric,unit,count,mean,median,stdev,min,max,p95,p99\n");
		for (size_t m = 0; m < a->nmetrics && rc == PK_OK; m++) {
			const struct pk_metric_summary *ms = &a->metrics[m];
			const struct pk_summary *s = &ms->s;
			rc = pk_csv_text(out, a->profile);
			if (rc == PK_OK) rc = pk_buf_putc(out, ',');
			if (rc == PK_OK) rc = pk_csv_metric(out, ms->metric);
			if (rc == PK_OK) rc = pk_buf_printf(out, ",%zu", s->count);
			double v[] = { s->mean, s->median, s->stdev, s->min, s->max, s->p95, s->p99 };
			for (size_t i = 0; i < 7 && rc == PK_OK; i++)
				rc = pk_csv_num(out, v[i]);
			if (rc == PK_OK) rc = pk_buf_putc(out, '\n');
		}
		if (rc == PK_OK) rc = pk_buf_puts(out, "\nprofile," CSV_QUALITY_HEAD);
		if (rc == PK_OK) rc = pk_csv_text(out, a->profile);
		if (rc == PK_OK) rc = csv_quality(out, &a->quality);
		if (rc == PK_OK && a->quality.tw_mean)
			rc = pk_buf_puts(out, "\nmetric,unit,mean,tw_mean\n");
		for (size_t m = 0; a->quality.tw_mean && m < a->nmetrics && rc == PK_OK; m++) {
			const struct pk_metric_summary *ms = &a->metrics[m];
			rc = pk_csv_metric(out, ms->metric);
			if (rc == PK_OK) rc = pk_csv_num(out, ms->s.mean);
			if (rc == PK_OK) rc = pk_csv_num(out, tw_of(&a->quality, m));
			if (rc == PK_OK) rc = pk_buf_putc(out, '\n');
		}
		return rc;
	}
	rc = pk_buf_puts(out, "profile  ");
	if (rc == PK_OK) rc = text_name(out, a->profile);
	if (rc == PK_OK) rc = pk_buf_puts(out, "\nwindow   ");
	if (rc == PK_OK) rc = text_window(out, &a->window);
	if (rc == PK_OK) rc = pk_buf_putc(out, '\n');
	if (rc == PK_OK) rc = text_quality(out, "quality  ", 9, &a->quality);
	if (rc == PK_OK) rc = pk_buf_printf(out, "samples  %zu\n\n", a->samples);
	if (rc == PK_OK)
		rc = pk_buf_printf(out, "%-44s %-4s %7s %9s %9s %9s %9s %9s %9s %9s\n", "metric",
		                   "unit", "count", "mean", "median", "stdev", "min", "max", "p95", "p99");
	for (size_t m = 0; m < a->nmetrics && rc == PK_OK; m++) {
		const struct pk_metric_summary *ms = &a->metrics[m];
		const struct pk_summary *s = &ms->s;
		double v[] = { s->mean, s->median, s->stdev, s->min, s->max, s->p95, s->p99 };
		rc = pk_text_metric(out, ms->metric);
		if (rc == PK_OK) rc = pk_buf_printf(out, " %7zu", s->count);
		for (size_t i = 0; i < 7 && rc == PK_OK; i++) {
			char t[32];
			pk_fmt_stat(v[i], t, sizeof t);
			rc = pk_buf_printf(out, " %9s", t);
		}
		if (rc == PK_OK) rc = pk_buf_putc(out, '\n');
	}
	if (rc == PK_OK)
		rc = text_unregistered_note(out, count_unregistered(a->metrics, NULL, a->nmetrics));
	if (rc == PK_OK && a->quality.tw_mean)
		rc = text_tw_means(out, a->metrics, NULL, a->nmetrics, &a->quality, NULL);
	return rc;
}

static enum pk_status json_compare_metric(struct pk_buf *b, const struct pk_metric_compare *mc)
{
	enum pk_status rc = pk_json_key(b, mc->metric->name, 0);
	if (rc == PK_OK) rc = pk_buf_puts(b, "{\"a\":");
	if (rc == PK_OK) rc = json_summary(b, &mc->a);
	if (rc == PK_OK) rc = pk_buf_puts(b, ",\"b\":");
	if (rc == PK_OK) rc = json_summary(b, &mc->b);
	if (rc == PK_OK) rc = pk_json_num_member(b, "diff", mc->diff, 1);
	if (rc == PK_OK) rc = pk_json_num_member(b, "ratio", mc->ratio, 1);
	if (rc == PK_OK) rc = pk_json_num_member(b, "welch_p", mc->welch_p, 1);
	if (rc == PK_OK) rc = pk_json_num_member(b, "mannwhitney_p", mc->mannwhitney_p, 1);
	if (rc == PK_OK) rc = pk_json_num_member(b, "cohens_d", mc->cohens_d, 1);
	if (rc == PK_OK) rc = pk_json_num_member(b, "r1_a", mc->r1_a, 1);
	if (rc == PK_OK) rc = pk_json_num_member(b, "r1_b", mc->r1_b, 1);
	if (rc == PK_OK) rc = pk_json_num_member(b, "n_eff_a", mc->n_eff_a, 1);
	if (rc == PK_OK) rc = pk_json_num_member(b, "n_eff_b", mc->n_eff_b, 1);
	if (rc == PK_OK) rc = pk_json_num_member(b, "welch_p_adjusted", mc->welch_p_adjusted, 1);
	if (rc == PK_OK) rc = pk_json_num_member(b, "capacity_a", mc->capacity_a, 1);
	if (rc == PK_OK) rc = pk_json_num_member(b, "capacity_b", mc->capacity_b, 1);
	if (rc == PK_OK) rc = pk_json_text_member(b, "verdict", pk_verdict_str(mc->verdict), 1);
	if (rc == PK_OK) rc = pk_buf_putc(b, '}');
	return rc;
}

enum pk_status pk_write_compare(struct pk_buf *out, enum pk_format f,
                                const struct pk_compare *c)
{
	enum pk_status rc = PK_OK;
	if (f == PK_FMT_JSON) {
		rc = pk_buf_printf(out, "{\"schema\":%d,", PK_JSON_SCHEMA);
		if (rc == PK_OK) rc = pk_json_text_member(out, "a", c->a, 0);
		if (rc == PK_OK) rc = pk_json_text_member(out, "b", c->b, 1);
		if (rc == PK_OK) rc = pk_buf_putc(out, ',');
		if (rc == PK_OK) rc = pk_json_window_member(out, "window_a", c->window_a.from_us, c->window_a.to_us, 0);
		if (rc == PK_OK) rc = pk_buf_putc(out, ',');
		if (rc == PK_OK) rc = pk_json_window_member(out, "window_b", c->window_b.from_us, c->window_b.to_us, 0);
		if (rc == PK_OK)
			rc = pk_buf_printf(out, ",\"samples_a\":%zu,\"samples_b\":%zu,\"alpha\":%g,\"metrics\":{",
			                   c->samples_a, c->samples_b, PK_ALPHA);
		for (size_t m = 0; m < c->nmetrics && rc == PK_OK; m++) {
			if (m) rc = pk_buf_putc(out, ',');
			if (rc == PK_OK) rc = json_compare_metric(out, &c->metrics[m]);
		}
		if (rc == PK_OK) rc = pk_buf_putc(out, '}');
		if (rc == PK_OK) rc = json_unregistered(out, NULL, c->metrics, c->nmetrics);
		if (rc == PK_OK) rc = pk_buf_putc(out, ',');
		if (rc == PK_OK) rc = json_quality(out, "quality_a", &c->quality_a, NULL, c->metrics, c->nmetrics);
		if (rc == PK_OK) rc = pk_buf_putc(out, ',');
		if (rc == PK_OK) rc = json_quality(out, "quality_b", &c->quality_b, NULL, c->metrics, c->nmetrics);
		if (rc == PK_OK) rc = pk_buf_puts(out, "}\n");
		return rc;
	}
	if (f == PK_FMT_CSV) {
		rc = pk_buf_puts(out, "metric,unit,count_a,mean_a,median_a,stdev_a,p95_a,p99_a,"
		                 "count_b,mean_b,median_b,stdev_b,p95_b,p99_b,diff,ratio,welch_p,"
		                 "mannwhitney_p,cohens_d,r1_a,r1_b,n_eff_a,n_eff_b,"
		                 "welch_p_adjusted,verdict\n");
		for (size_t m = 0; m < c->nmetrics && rc == PK_OK; m++) {
			const struct pk_metric_compare *mc = &c->metrics[m];
			rc = pk_csv_metric(out, mc->metric);
			if (rc == PK_OK) rc = pk_buf_printf(out, ",%zu", mc->a.count);
			double va[] = { mc->a.mean, mc->a.median, mc->a.stdev, mc->a.p95, mc->a.p99 };
			double vb[] = { mc->b.mean, mc->b.median, mc->b.stdev, mc->b.p95, mc->b.p99 };
			double vc[] = { mc->diff, mc->ratio, mc->welch_p, mc->mannwhitney_p, mc->cohens_d,
			                mc->r1_a, mc->r1_b, mc->n_eff_a, mc->n_eff_b, mc->welch_p_adjusted };
			for (size_t i = 0; i < 5 && rc == PK_OK; i++) rc = pk_csv_num(out, va[i]);
			if (rc == PK_OK) rc = pk_buf_printf(out, ",%zu", mc->b.count);
			for (size_t i = 0; i < 5 && rc == PK_OK; i++) rc = pk_csv_num(out, vb[i]);
			for (size_t i = 0; i < 10 && rc == PK_OK; i++) rc = pk_csv_num(out, vc[i]);
			if (rc == PK_OK) rc = pk_buf_printf(out, ",%s\n", pk_verdict_str(mc->verdict));
		}
		if (rc == PK_OK) rc = pk_buf_puts(out, "\nside,profile," CSV_QUALITY_HEAD "A,");
		if (rc == PK_OK) rc = pk_csv_text(out, c->a);
		if (rc == PK_OK) rc = csv_quality(out, &c->quality_a);
		if (rc == PK_OK) rc = pk_buf_puts(out, "B,");
		if (rc == PK_OK) rc = pk_csv_text(out, c->b);
		if (rc == PK_OK) rc = csv_quality(out, &c->quality_b);
		int tw = c->quality_a.tw_mean || c->quality_b.tw_mean;
		if (rc == PK_OK && tw)
			rc = pk_buf_puts(out, "\nmetric,unit,mean_a,tw_mean_a,mean_b,tw_mean_b\n");
		for (size_t m = 0; tw && m < c->nmetrics && rc == PK_OK; m++) {
			const struct pk_metric_compare *mc = &c->metrics[m];
			rc = pk_csv_metric(out, mc->metric);
			if (rc == PK_OK) rc = pk_csv_num(out, mc->a.mean);
			if (rc == PK_OK) rc = pk_csv_num(out, tw_of(&c->quality_a, m));
			if (rc == PK_OK) rc = pk_csv_num(out, mc->b.mean);
			if (rc == PK_OK) rc = pk_csv_num(out, tw_of(&c->quality_b, m));
			if (rc == PK_OK) rc = pk_buf_putc(out, '\n');
		}
		return rc;
	}
	rc = pk_buf_puts(out, "A  ");
	if (rc == PK_OK) rc = text_name(out, c->a);
	if (rc == PK_OK) rc = pk_buf_puts(out, "\n   ");
	if (rc == PK_OK) rc = text_window(out, &c->window_a);
	if (rc == PK_OK) rc = pk_buf_printf(out, ", %zu samples\n", c->samples_a);
	if (rc == PK_OK) rc = text_quality(out, "   quality ", 11, &c->quality_a);
	if (rc == PK_OK) rc = pk_buf_puts(out, "B  ");
	if (rc == PK_OK) rc = text_name(out, c->b);
	if (rc == PK_OK) rc = pk_buf_puts(out, "\n   ");
	if (rc == PK_OK) rc = text_window(out, &c->window_b);
	if (rc == PK_OK) rc = pk_buf_printf(out, ", %zu samples\n", c->samples_b);
	if (rc == PK_OK) rc = text_quality(out, "   quality ", 11, &c->quality_b);
	if (rc == PK_OK) rc = pk_buf_putc(out, '\n');
	if (rc == PK_OK && c->nmetrics == 0)
		return pk_buf_puts(out, "no metric named the same with values on both sides: "
		                   "nothing to compare\n");
	if (rc == PK_OK)
		rc = pk_buf_printf(out, "%-44s %-4s %9s %9s %9s %7s %8s %8s %8s %7s %6s %6s  %s\n",
		                   "metric", "unit", "mean A", "mean B", "B-A", "B/A", "p Welch",
		                   "p adj", "p MW", "d", "r1 A", "r1 B", "verdict (alpha 0.05, p adj)");
	for (size_t m = 0; m < c->nmetrics && rc == PK_OK; m++) {
		const struct pk_metric_compare *mc = &c->metrics[m];
		char ma[32], mb[32], d[32], r[32], pw[32], pa[32], pm[32], cd[32], ra[32], rb[32];
		pk_fmt_stat(mc->a.mean, ma, sizeof ma);
		pk_fmt_stat(mc->b.mean, mb, sizeof mb);
		pk_fmt_stat(mc->diff, d, sizeof d);
		pk_fmt_stat(mc->ratio, r, sizeof r);
		pk_fmt_p(mc->welch_p, pw, sizeof pw);
		pk_fmt_p(mc->welch_p_adjusted, pa, sizeof pa);
		pk_fmt_p(mc->mannwhitney_p, pm, sizeof pm);
		pk_fmt_stat(mc->cohens_d, cd, sizeof cd);
		if (isnan(mc->r1_a)) snprintf(ra, sizeof ra, "-"); else snprintf(ra, sizeof ra, "%.2f", mc->r1_a);
		if (isnan(mc->r1_b)) snprintf(rb, sizeof rb, "-"); else snprintf(rb, sizeof rb, "%.2f", mc->r1_b);
		rc = pk_text_metric(out, mc->metric);
		if (rc == PK_OK)
			rc = pk_buf_printf(out, " %9s %9s %9s %7s %8s %8s %8s %7s %6s %6s  %s\n",
			                   ma, mb, d, r, pw, pa, pm, cd, ra, rb, pk_verdict_str(mc->verdict));
	}
	if (rc == PK_OK)
		rc = text_unregistered_note(out, count_unregistered(NULL, c->metrics, c->nmetrics));
	if (rc == PK_OK && (c->quality_a.tw_mean || c->quality_b.tw_mean))
		rc = text_tw_means(out, NULL, c->metrics, c->nmetrics, &c->quality_a, &c->quality_b);
	return rc;
}
