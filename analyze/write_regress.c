/* write_regress.c - benchmark regressions (perfanalyze --regressions) as text,
 * JSON or CSV (write_regress.h); the JSON document also states the query
 * (suite, host, until). */
#include "write_regress.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../core/csv_write.h"
#include "../core/diag.h"
#include "../core/json_write.h"
#include "../core/timeutil.h"
#include "cmd_common.h"
#include "compare.h"
#include "regress.h"

static void iso(int64_t us, char *out)
{
	pk_time_format_iso(us, out);
}

static enum pk_status json_text(struct pk_buf *b, const char *key, const char *s, size_t n)
{
	enum pk_status rc = pk_buf_printf(b, "\"%s\":", key);
	if (rc != PK_OK)
		return rc;
	return s ? pk_json_string(b, s, n) : pk_buf_puts(b, "null");
}

static enum pk_status json_series(struct pk_buf *b, const struct pk_regress_series *s)
{
	const char *dir = pk_bench_direction_str(s->direction);
	enum pk_status rc = pk_buf_putc(b, '{');
	if (rc == PK_OK) rc = json_text(b, "suite", s->suite, s->suite_len);
	if (rc == PK_OK) rc = pk_buf_putc(b, ',');
	if (rc == PK_OK) rc = json_text(b, "host", s->host, s->host_len);
	if (rc == PK_OK) rc = pk_buf_putc(b, ',');
	if (rc == PK_OK) rc = json_text(b, "name", s->name, s->name_len);
	if (rc == PK_OK) rc = pk_buf_putc(b, ',');
	if (rc == PK_OK) rc = json_text(b, "unit", s->unit, s->unit ? strlen(s->unit) : 0);
	if (rc == PK_OK) rc = pk_buf_putc(b, ',');
	if (rc == PK_OK) rc = json_text(b, "direction", dir, dir ? strlen(dir) : 0);
	if (rc == PK_OK)
		rc = pk_buf_printf(b, ",\"runs\":%zu,\"runs_without_mean\":%zu,", s->runs,
		                   s->runs_without_mean);
	if (rc == PK_OK)
		rc = pk_json_time_member(b, "first", s->runs > 0 ? s->first_us : INT64_MIN, 0);
	if (rc == PK_OK) rc = pk_buf_puts(b, ",\"latest\":");
	if (rc == PK_OK && s->runs == 0)
		rc = pk_buf_puts(b, "null");
	else if (rc == PK_OK) {
		rc = pk_buf_putc(b, '{');
		if (rc == PK_OK) rc = pk_json_time_member(b, "time", s->last_us, 0);
		if (rc == PK_OK) rc = pk_buf_putc(b, ',');
		if (rc == PK_OK) rc = pk_json_num_member(b, "mean", s->latest_mean, 0);
		if (rc == PK_OK) rc = pk_buf_printf(b, ",\"values\":%zu,", s->latest_values);
		if (rc == PK_OK) rc = pk_json_num_member(b, "median", s->latest_median, 0);
		if (rc == PK_OK) rc = pk_buf_putc(b, '}');
	}
	if (rc == PK_OK) rc = pk_buf_puts(b, ",\"baseline\":");
	if (rc == PK_OK && s->baseline_nruns == 0)
		rc = pk_buf_puts(b, "null");
	else if (rc == PK_OK) {
		rc = pk_buf_printf(b, "{\"runs\":%zu,", s->baseline_nruns);
		if (rc == PK_OK) rc = pk_json_time_member(b, "from", s->baseline_from_us, 0);
		if (rc == PK_OK) rc = pk_buf_putc(b, ',');
		if (rc == PK_OK) rc = pk_json_time_member(b, "to", s->baseline_to_us, 0);
		if (rc == PK_OK) rc = pk_buf_putc(b, ',');
		if (rc == PK_OK) rc = pk_json_num_member(b, "mean", s->baseline_mean, 0);
		if (rc == PK_OK) rc = pk_buf_printf(b, ",\"values\":%zu,", s->baseline_values);
		if (rc == PK_OK) rc = pk_json_num_member(b, "median", s->baseline_median, 0);
		if (rc == PK_OK)
			rc = pk_buf_printf(b, ",\"before_change\":%s}", s->before_change ? "true" : "false");
	}
	const char *keys[] = { "diff", "ratio", "mannwhitney_p" };
	double vals[] = { s->diff, s->ratio, s->mannwhitney_p };
	for (size_t i = 0; i < 3 && rc == PK_OK; i++) {
		rc = pk_buf_putc(b, ',');
		if (rc == PK_OK) rc = pk_json_num_member(b, keys[i], vals[i], 0);
	}
	if (rc == PK_OK) rc = pk_buf_puts(b, ",\"hodges_lehmann\":{");
	if (rc == PK_OK) rc = pk_json_num_member(b, "shift", s->hl_shift, 0);
	if (rc == PK_OK) rc = pk_buf_putc(b, ',');
	if (rc == PK_OK) rc = pk_json_num_member(b, "ci_low", s->hl_lo, 0);
	if (rc == PK_OK) rc = pk_buf_putc(b, ',');
	if (rc == PK_OK) rc = pk_json_num_member(b, "ci_high", s->hl_hi, 0);
	if (rc == PK_OK)
		rc = pk_buf_printf(b, ",\"level\":0.95},\"verdict\":\"%s\",\"latest_status\":\"%s\","
		                   "\"noise\":{", pk_regress_verdict_str(s->verdict),
		                   pk_latest_status_str(s->latest_status));
	if (rc == PK_OK) rc = pk_json_num_member(b, "sd", s->noise_sd, 0);
	if (rc == PK_OK) rc = pk_buf_putc(b, ',');
	if (rc == PK_OK) rc = pk_json_num_member(b, "phi", s->noise_phi, 0);
	if (rc == PK_OK) rc = pk_buf_putc(b, ',');
	if (rc == PK_OK) rc = pk_json_num_member(b, "slope", s->slope, 0);
	if (rc == PK_OK)
		rc = pk_buf_printf(b, ",\"random_walk\":%s,\"min_segment\":%zu},\"change_points\":[",
		                   s->wandering ? "true" : "false", s->min_segment);
	for (size_t i = 0; i < s->ncp && rc == PK_OK; i++) {
		const struct pk_regress_cp *c = &s->cp[i];
		rc = pk_buf_puts(b, i ? ",{" : "{");
		if (rc == PK_OK) rc = pk_json_time_member(b, "time", c->time_us, 0);
		if (rc == PK_OK) rc = pk_buf_putc(b, ',');
		if (rc == PK_OK) rc = json_text(b, "revision", c->revision, c->revision_len);
		if (rc == PK_OK) rc = pk_buf_printf(b, ",\"index\":%zu,", c->index);
		if (rc == PK_OK) rc = pk_json_num_member(b, "before_mean", c->before_mean, 0);
		if (rc == PK_OK) rc = pk_buf_putc(b, ',');
		if (rc == PK_OK) rc = pk_json_num_member(b, "after_mean", c->after_mean, 0);
		if (rc == PK_OK) rc = pk_buf_putc(b, ',');
		if (rc == PK_OK) rc = pk_json_num_member(b, "jump", c->jump, 0);
		if (rc == PK_OK) rc = pk_buf_putc(b, ',');
		if (rc == PK_OK) rc = pk_json_num_member(b, "size_sd", c->size_sd, 0);
		if (rc == PK_OK) rc = pk_buf_putc(b, ',');
		if (rc == PK_OK) rc = pk_json_num_member(b, "statistic", c->statistic, 0);
		if (rc == PK_OK) rc = pk_buf_putc(b, ',');
		if (rc == PK_OK) rc = pk_json_num_member(b, "p", c->p, 0);
		if (rc == PK_OK)
			rc = pk_buf_printf(b, ",\"verdict\":\"%s\"}", pk_regress_verdict_str(c->verdict));
	}
	if (rc == PK_OK) rc = pk_buf_puts(b, "],\"outliers\":[");
	for (size_t i = 0; i < s->noutliers && rc == PK_OK; i++) {
		const struct pk_regress_outlier *u = &s->outliers[i];
		rc = pk_buf_puts(b, i ? ",{" : "{");
		if (rc == PK_OK) rc = pk_json_time_member(b, "time", u->time_us, 0);
		if (rc == PK_OK) rc = pk_buf_printf(b, ",\"index\":%zu,", u->index);
		if (rc == PK_OK) rc = pk_json_num_member(b, "value", u->value, 0);
		if (rc == PK_OK) rc = pk_buf_putc(b, '}');
	}
	return rc == PK_OK ? pk_buf_puts(b, "]}") : rc;
}

static enum pk_status write_json(struct pk_buf *b, const struct pk_regress *r,
                                 const char *suite, const char *host, int64_t until)
{
	enum pk_status rc = pk_buf_printf(b, "{\"schema\":%d,", PK_JSON_SCHEMA);
	if (rc == PK_OK) rc = json_text(b, "suite", suite, suite ? strlen(suite) : 0);
	if (rc == PK_OK) rc = pk_buf_putc(b, ',');
	if (rc == PK_OK) rc = json_text(b, "host", host, host ? strlen(host) : 0);
	if (rc == PK_OK) rc = pk_buf_putc(b, ',');
	if (rc == PK_OK) rc = pk_json_time_member(b, "until", until, 0);
	if (rc == PK_OK) rc = pk_buf_printf(b, ",\"alpha\":%g,\"baseline\":", PK_ALPHA);
	if (rc == PK_OK && r->opt.baseline_us == INT64_MIN)
		rc = pk_buf_printf(b, "{\"runs\":%zu}", r->opt.baseline_runs);
	else if (rc == PK_OK) {
		rc = pk_buf_putc(b, '{');
		if (rc == PK_OK) rc = pk_json_time_member(b, "time", r->opt.baseline_us, 0);
		if (rc == PK_OK) rc = pk_buf_putc(b, '}');
	}
	if (rc == PK_OK) rc = pk_buf_putc(b, ',');
	if (rc == PK_OK) rc = pk_json_num_member(b, "threshold", r->opt.threshold, 0);
	if (rc == PK_OK)
		rc = pk_buf_printf(b, ",\"change_point_method\":{\"name\":\"pelt, ar(1) long-run "
		                   "variance, common trend\",\"alpha\":%g,\"min_segment\":",
		                   r->opt.cp.alpha);
	if (rc == PK_OK)
		rc = r->opt.cp.min_segment ? pk_buf_printf(b, "%zu", r->opt.cp.min_segment)
		                           : pk_buf_puts(b, "null");
	if (rc == PK_OK) rc = pk_buf_puts(b, "},\"series\":[");
	for (size_t i = 0; i < r->n && rc == PK_OK; i++) {
		if (i) rc = pk_buf_putc(b, ',');
		if (rc == PK_OK) rc = json_series(b, &r->s[i]);
	}
	return rc == PK_OK ? pk_buf_puts(b, "]}\n") : rc;
}


static enum pk_status csv_time(struct pk_buf *b, int64_t us, int have)
{
	char t[PK_TIME_ISO_MAX];
	if (!have)
		return pk_buf_putc(b, ',');
	iso(us, t);
	return pk_buf_printf(b, ",%s", t);
}

static enum pk_status write_csv(struct pk_buf *b, const struct pk_regress *r)
{
	enum pk_status rc = pk_buf_puts(b,
	    "suite,host,name,unit,direction,runs,runs_without_mean,latest_time,latest_mean,"
	    "latest_values,latest_median,baseline_runs,baseline_from,baseline_to,baseline_mean,"
	    "baseline_values,baseline_median,diff,ratio,mannwhitney_p,hl_shift,hl_ci_low,"
	    "hl_ci_high,verdict,change_points,change_point_times,baseline_before_change,"
	    "latest_status,outliers,outlier_times,noise_sd,noise_phi,min_segment\n");
	for (size_t i = 0; i < r->n && rc == PK_OK; i++) {
		const struct pk_regress_series *s = &r->s[i];
		const char *dir = pk_bench_direction_str(s->direction);
		rc = pk_csv_field(b, s->suite, s->suite_len);
		if (rc == PK_OK) rc = pk_buf_putc(b, ',');
		if (rc == PK_OK) rc = pk_csv_field(b, s->host, s->host_len);
		if (rc == PK_OK) rc = pk_buf_putc(b, ',');
		if (rc == PK_OK) rc = pk_csv_field(b, s->name, s->name_len);
		if (rc == PK_OK) rc = pk_buf_putc(b, ',');
		if (rc == PK_OK) rc = pk_csv_field(b, s->unit, s->unit ? strlen(s->unit) : 0);
		if (rc == PK_OK)
			rc = pk_buf_printf(b, ",%s,%zu,%zu", dir ? dir : "", s->runs, s->runs_without_mean);
		if (rc == PK_OK) rc = csv_time(b, s->last_us, s->runs > 0);
		if (rc == PK_OK) rc = pk_csv_num(b, s->latest_mean);
		if (rc == PK_OK) rc = pk_buf_printf(b, ",%zu", s->latest_values);
		if (rc == PK_OK) rc = pk_csv_num(b, s->latest_median);
		if (rc == PK_OK) rc = pk_buf_printf(b, ",%zu", s->baseline_nruns);
		if (rc == PK_OK) rc = csv_time(b, s->baseline_from_us, s->baseline_nruns > 0);
		if (rc == PK_OK) rc = csv_time(b, s->baseline_to_us, s->baseline_nruns > 0);
		if (rc == PK_OK) rc = pk_csv_num(b, s->baseline_mean);
		if (rc == PK_OK) rc = pk_buf_printf(b, ",%zu", s->baseline_values);
		double v[] = { s->baseline_median, s->diff, s->ratio, s->mannwhitney_p,
		               s->hl_shift, s->hl_lo, s->hl_hi };
		for (size_t k = 0; k < 7 && rc == PK_OK; k++)
			rc = pk_csv_num(b, v[k]);
		if (rc == PK_OK)
			rc = pk_buf_printf(b, ",%s,%zu,", pk_regress_verdict_str(s->verdict), s->ncp);
		for (size_t k = 0; k < s->ncp && rc == PK_OK; k++) {
			char t[PK_TIME_ISO_MAX];
			iso(s->cp[k].time_us, t);
			rc = pk_buf_printf(b, "%s%s", k ? " " : "", t);
		}
		if (rc == PK_OK)
			rc = pk_buf_printf(b, ",%d,%s,%zu,", s->before_change,
			                   pk_latest_status_str(s->latest_status), s->noutliers);
		for (size_t k = 0; k < s->noutliers && rc == PK_OK; k++) {
			char t[PK_TIME_ISO_MAX];
			iso(s->outliers[k].time_us, t);
			rc = pk_buf_printf(b, "%s%s", k ? " " : "", t);
		}
		if (rc == PK_OK) rc = pk_csv_num(b, s->noise_sd);
		if (rc == PK_OK) rc = pk_csv_num(b, s->noise_phi);
		if (rc == PK_OK) rc = pk_buf_printf(b, ",%zu\n", s->min_segment);
	}
	return rc;
}

static enum pk_status text_series(struct pk_buf *b, const struct pk_regress_series *s)
{
	char t0[PK_TIME_ISO_MAX], t1[PK_TIME_ISO_MAX], x[32], y[32], z[32], w[32];
	const char *dir = pk_bench_direction_str(s->direction);
	enum pk_status rc = pk_buf_puts(b, "\n");
	if (rc == PK_OK) rc = pk_buf_put_printable(b, s->suite, s->suite_len);
	if (rc == PK_OK) rc = pk_buf_puts(b, "  ");
	if (rc == PK_OK) rc = pk_buf_put_printable(b, s->name, s->name_len);
	if (rc == PK_OK && s->host_len) {
		rc = pk_buf_puts(b, "  host ");
		if (rc == PK_OK) rc = pk_buf_put_printable(b, s->host, s->host_len);
	}
	if (rc == PK_OK) rc = pk_buf_puts(b, "  (");
	if (rc == PK_OK && s->unit) rc = pk_buf_put_printable(b, s->unit, strlen(s->unit));
	if (rc == PK_OK)
		rc = pk_buf_printf(b, "%s%s%s)\n", s->unit ? ", " : "", dir ? dir : "no direction",
		                   dir ? " is better" : "");
	if (rc != PK_OK || s->runs == 0)
		return rc == PK_OK ? pk_buf_printf(b, "  no run with a mean (%zu without)\n",
		                                   s->runs_without_mean) : rc;
	iso(s->first_us, t0);
	iso(s->last_us, t1);
	rc = pk_buf_printf(b, "  runs      %zu, %s .. %s", s->runs, t0, t1);
	if (rc == PK_OK && s->runs_without_mean)
		rc = pk_buf_printf(b, " (%zu more without a mean)", s->runs_without_mean);
	pk_fmt_stat(s->latest_mean, x, sizeof x);
	pk_fmt_stat(s->latest_median, y, sizeof y);
	if (rc == PK_OK)
		rc = pk_buf_printf(b, "\n  latest    %s  mean %s, %zu value%s, median %s\n", t1, x,
		                   s->latest_values, s->latest_values == 1 ? "" : "s", y);
	if (rc == PK_OK && s->baseline_nruns == 0)
		rc = pk_buf_puts(b, "  baseline  none (no earlier run)\n");
	else if (rc == PK_OK) {
		iso(s->baseline_from_us, t0);
		iso(s->baseline_to_us, t1);
		pk_fmt_stat(s->baseline_mean, x, sizeof x);
		pk_fmt_stat(s->baseline_median, y, sizeof y);
		rc = pk_buf_printf(b, "  baseline  %zu run%s %s .. %s  mean %s, %zu value%s, median %s%s\n",
		                   s->baseline_nruns, s->baseline_nruns == 1 ? "" : "s", t0, t1, x,
		                   s->baseline_values, s->baseline_values == 1 ? "" : "s", y,
		                   s->before_change ? " (before the last change point)" : "");
		pk_fmt_stat(s->diff, x, sizeof x);
		pk_fmt_stat(s->ratio, y, sizeof y);
		pk_fmt_p(s->mannwhitney_p, z, sizeof z);
		if (rc == PK_OK)
			rc = pk_buf_printf(b, "  change    diff %s, ratio %s, p Mann-Whitney %s\n", x, y, z);
		pk_fmt_stat(s->hl_shift, x, sizeof x);
		pk_fmt_stat(s->hl_lo, y, sizeof y);
		pk_fmt_stat(s->hl_hi, w, sizeof w);
		if (rc == PK_OK)
			rc = pk_buf_printf(b, "  shift     Hodges-Lehmann %s, 95%% CI [%s, %s]\n", x, y, w);
	}
	if (rc == PK_OK)
		rc = pk_buf_printf(b, "  verdict   %s\n", pk_regress_verdict_str(s->verdict));
	if (rc == PK_OK && s->latest_status == PK_LATEST_NEW_LEVEL)
		rc = pk_buf_puts(b, "  latest    at a new level since the last change point\n");
	else if (rc == PK_OK && s->latest_status == PK_LATEST_OUT_OF_LINE)
		rc = pk_buf_printf(b, "  latest    out of line with the runs before it: an outlier or the "
		                   "first run of a change (%zu runs tell)\n", s->min_segment);
	pk_fmt_stat(s->noise_sd, x, sizeof x);
	pk_fmt_stat(s->noise_phi, y, sizeof y);
	pk_fmt_stat(s->slope, z, sizeof z);
	if (rc == PK_OK && isnan(s->noise_sd))
		rc = pk_buf_puts(b, "  noise     not estimated (fewer than 3 runs)\n");
	else if (rc == PK_OK && s->wandering)
		rc = pk_buf_printf(b, "  noise     random walk, increments sd %s; min segment %zu\n", x,
		                   s->min_segment);
	else if (rc == PK_OK)
		rc = pk_buf_printf(b, "  noise     sd %s, AR(1) phi %s, trend %s a run; min segment %zu\n",
		                   x, y, z, s->min_segment);
	if (rc == PK_OK)
		rc = pk_buf_printf(b, "  change points: %s\n", s->ncp ? "" : "none");
	for (size_t i = 0; i < s->ncp && rc == PK_OK; i++) {
		const struct pk_regress_cp *c = &s->cp[i];
		char v[32];
		iso(c->time_us, t0);
		pk_fmt_stat(c->before_mean, x, sizeof x);
		pk_fmt_stat(c->after_mean, y, sizeof y);
		pk_fmt_p(c->p, z, sizeof z);
		pk_fmt_stat(c->size_sd, w, sizeof w);
		pk_fmt_stat(c->statistic, v, sizeof v);
		rc = pk_buf_printf(b, "    %s  run %zu", t0, c->index + 1);
		if (rc == PK_OK && c->revision) {
			rc = pk_buf_puts(b, " (");
			if (rc == PK_OK) rc = pk_buf_put_printable(b, c->revision, c->revision_len);
			if (rc == PK_OK) rc = pk_buf_putc(b, ')');
		}
		if (rc == PK_OK)
			rc = pk_buf_printf(b, "  mean %s -> %s  %s sd  Z %s  p %s  %s\n", x, y, w, v, z,
			                   pk_regress_verdict_str(c->verdict));
	}
	if (rc == PK_OK && s->noutliers)
		rc = pk_buf_puts(b, "  outliers (single runs out of line, not changes):\n");
	for (size_t i = 0; i < s->noutliers && rc == PK_OK; i++) {
		iso(s->outliers[i].time_us, t0);
		pk_fmt_stat(s->outliers[i].value, x, sizeof x);
		rc = pk_buf_printf(b, "    %s  run %zu  mean %s\n", t0, s->outliers[i].index + 1, x);
	}
	return rc;
}

static enum pk_status write_text(struct pk_buf *b, const struct pk_regress *r)
{
	char t[PK_TIME_ISO_MAX];
	enum pk_status rc;
	if (r->opt.baseline_us == INT64_MIN)
		rc = pk_buf_printf(b, "latest run against the %zu runs before it (before the last change "
		                   "point when it is among them; outliers left out)", r->opt.baseline_runs);
	else {
		iso(r->opt.baseline_us, t);
		rc = pk_buf_printf(b, "latest run against the run at or before %s", t);
	}
	if (rc == PK_OK)
		rc = pk_buf_printf(b, "; Mann-Whitney over run values, alpha %g", PK_ALPHA);
	if (rc == PK_OK && !isnan(r->opt.threshold))
		rc = pk_buf_printf(b, ", threshold %g", r->opt.threshold);
	if (rc == PK_OK)
		rc = pk_buf_printf(b, "\nchange points: PELT on the level, AR(1) noise, common trend, "
		                   "p <= %g, min segment ", r->opt.cp.alpha);
	if (rc == PK_OK)
		rc = r->opt.cp.min_segment ? pk_buf_printf(b, "%zu\n", r->opt.cp.min_segment)
		                           : pk_buf_puts(b, "max(3, sqrt(runs)/3)\n");
	for (size_t i = 0; i < r->n && rc == PK_OK; i++)
		rc = text_series(b, &r->s[i]);
	return rc;
}

enum pk_status pk_write_regress(struct pk_buf *out, enum pk_format f,
                                const struct pk_regress *r, const char *suite,
                                const char *host, int64_t until)
{
	if (f == PK_FMT_JSON)
		return write_json(out, r, suite, host, until);
	if (f == PK_FMT_CSV)
		return write_csv(out, r);
	return write_text(out, r);
}
