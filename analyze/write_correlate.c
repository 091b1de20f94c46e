/* write_correlate.c - correlations (perfanalyze --correlate) as text, JSON or
 * CSV (write_correlate.h). */
#include "write_correlate.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../core/csv_write.h"
#include "../core/diag.h"
#include "../core/json_write.h"
#include "../core/timeutil.h"
#include "../core/utf8.h"
#include "cmd_common.h"
#include "correlate.h"

#define RUN_WINDOW "[iso_ts - max(duration_s, 60 s), iso_ts]"
#define PROFILE_RULE "the profile with the most samples in the window; ties: the first name"

static const char *const wake_src[] = { "none", "wake_event", "samples" };
static const char *const wake_win[] = { "-", "[ts - 60 s, ts]", "the sample itself" };
static const char *const status_str[] = { "undefined", "not met", "met" };

static enum pk_status count(struct pk_buf *b, const char *k, size_t v, int comma)
{
	enum pk_status rc = pk_json_key(b, k, comma);
	return rc == PK_OK ? pk_buf_printf(b, "%zu", v) : rc;
}

static enum pk_status json_pair_stats(struct pk_buf *b, const struct pk_corr_stats *s)
{
	enum pk_status rc = count(b, "n", s->n, 1);
	if (rc == PK_OK) rc = pk_buf_puts(b, ",\"pearson\":{\"test\":\"t, n-2 df\"");
	if (rc == PK_OK) rc = pk_json_num_member(b, "r", s->pearson_r, 1);
	if (rc == PK_OK) rc = pk_json_num_member(b, "p", s->pearson_p, 1);
	if (rc == PK_OK) rc = pk_json_num_member(b, "p_bh", s->pearson_p_bh, 1);
	if (rc == PK_OK) rc = pk_json_num_member(b, "ci_low", s->ci_low, 1);
	if (rc == PK_OK) rc = pk_json_num_member(b, "ci_high", s->ci_high, 1);
	if (rc == PK_OK) rc = pk_buf_puts(b, "},\"spearman\":{\"test\":\"t approximation, n-2 df\"");
	if (rc == PK_OK) rc = pk_json_num_member(b, "rho", s->spearman_rho, 1);
	if (rc == PK_OK) rc = pk_json_num_member(b, "p", s->spearman_p, 1);
	if (rc == PK_OK) rc = pk_json_num_member(b, "p_bh", s->spearman_p_bh, 1);
	if (rc == PK_OK) rc = pk_buf_puts(b, "},\"fit\":{");
	if (rc == PK_OK) rc = pk_json_num_member(b, "slope", s->slope, 0);
	if (rc == PK_OK) rc = pk_json_num_member(b, "intercept", s->intercept, 1);
	if (rc == PK_OK) rc = pk_json_num_member(b, "r2", s->r2, 1);
	return rc == PK_OK ? pk_buf_putc(b, '}') : rc;
}

static enum pk_status json_groups(struct pk_buf *b, const char *k, const char *field,
                                  const struct pk_corr_group *g, size_t n)
{
	enum pk_status rc = pk_json_key(b, k, 1);
	if (rc == PK_OK) rc = pk_buf_putc(b, '[');
	for (size_t i = 0; i < n && rc == PK_OK; i++) {
		rc = pk_buf_puts(b, i ? ",{" : "{");
		if (rc == PK_OK) rc = pk_json_text_member(b, field, g[i].key, 0);
		if (rc == PK_OK) rc = count(b, "runs", g[i].runs, 1);
		if (rc == PK_OK) rc = count(b, "count", g[i].count, 1);
		if (rc == PK_OK) rc = pk_json_num_member(b, "mean", g[i].mean, 1);
		if (rc == PK_OK) rc = pk_json_num_member(b, "p50", g[i].p50, 1);
		if (rc == PK_OK) rc = pk_json_num_member(b, "p90", g[i].p90, 1);
		if (rc == PK_OK) rc = pk_buf_putc(b, '}');
	}
	return rc == PK_OK ? pk_buf_putc(b, ']') : rc;
}

static enum pk_status json_finding(struct pk_buf *b, const struct pk_corr_finding *f)
{
	enum pk_status rc = pk_json_text_member(b, "rule", f->rule, 0);
	if (rc == PK_OK) rc = pk_json_text_member(b, "status", status_str[f->status], 1);
	if (rc == PK_OK) rc = pk_json_text_member(b, "measure", f->measure->name, 1);
	if (rc == PK_OK) rc = pk_json_num_member(b, "tes_threshold", f->tes_threshold, 1);
	if (rc == PK_OK) rc = pk_json_num_member(b, "hw_threshold", f->hw_threshold, 1);
	if (rc == PK_OK) rc = count(b, "n", f->n, 1);
	if (rc == PK_OK) rc = count(b, "selected", f->selected, 1);
	if (rc == PK_OK) rc = pk_json_num_member(b, "tes_mean", f->tes_mean, 1);
	if (rc == PK_OK) rc = pk_json_num_member(b, "measure_mean", f->measure_mean, 1);
	if (rc == PK_OK) rc = pk_json_num_member(b, "measure_p50", f->measure_p50, 1);
	if (rc == PK_OK) rc = count(b, "hit_n", f->hit_n, 1);
	if (rc == PK_OK) rc = pk_json_num_member(b, "hit_tes_mean", f->hit_tes_mean, 1);
	if (rc == PK_OK) rc = count(b, "miss_n", f->miss_n, 1);
	if (rc == PK_OK) rc = pk_json_num_member(b, "miss_tes_mean", f->miss_tes_mean, 1);
	if (rc == PK_OK) rc = pk_json_num_member(b, "welch_p", f->welch_p, 1);
	if (rc == PK_OK) rc = pk_json_key(b, "correlation", 1);
	if (rc == PK_OK) rc = pk_buf_puts(b, "{\"y\":\"tes\"");
	if (rc == PK_OK) rc = json_pair_stats(b, &f->s);
	if (rc == PK_OK) rc = pk_buf_putc(b, '}');
	if (rc == PK_OK) rc = pk_json_text_member(b, "text", f->text, 1);
	return rc;
}

static enum pk_status write_json(struct pk_buf *b, const struct pk_correlate *c)
{
	enum pk_status rc = pk_buf_printf(b, "{\"schema\":%d,\"analysis\":\"correlate\"", PK_JSON_SCHEMA);
	if (rc == PK_OK) rc = pk_buf_puts(b, ",\"window\":{");
	if (rc == PK_OK) rc = pk_json_time_member(b, "from", c->window.from_us, 0);
	if (rc == PK_OK) rc = pk_json_time_member(b, "to", c->window.to_us, 1);
	if (rc == PK_OK) rc = pk_buf_putc(b, '}');
	if (rc == PK_OK) rc = pk_json_text_member(b, "run_window", RUN_WINDOW, 1);
	if (rc == PK_OK) rc = pk_json_text_member(b, "profile", c->profile, 1);
	if (rc == PK_OK) rc = pk_json_text_member(b, "profile_rule", PROFILE_RULE, 1);
	if (rc == PK_OK) rc = pk_json_key(b, "profiles", 1);
	if (rc == PK_OK) rc = pk_buf_putc(b, '[');
	for (size_t p = 0; p < c->nprofiles && rc == PK_OK; p++) {
		rc = pk_buf_puts(b, p ? ",{" : "{");
		if (rc == PK_OK) rc = pk_json_text_member(b, "name", c->profiles[p].name, 0);
		if (rc == PK_OK) rc = count(b, "samples", c->profiles[p].samples, 1);
		if (rc == PK_OK) rc = count(b, "runs", c->profiles[p].runs, 1);
		if (rc == PK_OK) rc = count(b, "wake", c->profiles[p].wake, 1);
		if (rc == PK_OK) rc = pk_buf_putc(b, '}');
	}
	if (rc == PK_OK) rc = pk_buf_puts(b, "],\"runs\":{");
	if (rc == PK_OK) rc = count(b, "total", c->runs.n, 0);
	if (rc == PK_OK) rc = count(b, "matched", c->matched, 1);
	if (rc == PK_OK) rc = count(b, "unmatched", c->unmatched, 1);
	if (rc == PK_OK) rc = count(b, "ambiguous", c->ambiguous, 1);
	if (rc == PK_OK) rc = pk_buf_puts(b, "},\"wake\":{");
	if (rc == PK_OK) rc = pk_json_text_member(b, "source", wake_src[c->wake_source], 0);
	if (rc == PK_OK) rc = pk_json_text_member(b, "window", wake_win[c->wake_source], 1);
	if (rc == PK_OK) rc = count(b, "n", c->wake_n, 1);
	if (rc == PK_OK) rc = count(b, "matched", c->wake_matched, 1);
	if (rc == PK_OK) rc = count(b, "unmatched", c->wake_unmatched, 1);
	if (rc == PK_OK) rc = pk_buf_puts(b, "},\"pairs\":[");
	for (size_t i = 0; i < c->npairs && rc == PK_OK; i++) {
		rc = pk_buf_puts(b, i ? ",{" : "{");
		if (rc == PK_OK) rc = pk_json_text_member(b, "y", c->pairs[i].y, 0);
		if (rc == PK_OK) rc = pk_json_text_member(b, "x", c->pairs[i].x->name, 1);
		if (rc == PK_OK) rc = json_pair_stats(b, &c->pairs[i].s);
		if (rc == PK_OK) rc = pk_buf_putc(b, '}');
	}
	if (rc == PK_OK) rc = pk_buf_putc(b, ']');
	if (rc == PK_OK) rc = json_groups(b, "tes_by_autonomy_mode", "autonomy_mode", c->by_mode, c->nmodes);
	if (rc == PK_OK) rc = json_groups(b, "tes_by_model", "model_id", c->by_model, c->nmodels);
	if (rc == PK_OK) rc = pk_buf_puts(b, ",\"findings\":[");
	for (size_t f = 0; f < 2 && rc == PK_OK; f++) {
		rc = pk_buf_puts(b, f ? ",{" : "{");
		if (rc == PK_OK) rc = json_finding(b, &c->findings[f]);
		if (rc == PK_OK) rc = pk_buf_putc(b, '}');
	}
	return rc == PK_OK ? pk_buf_puts(b, "]}\n") : rc;
}

static const char *fs(double v, char *b)
{
	pk_fmt_stat(v, b, 32);
	return b;
}

static const char *fp(double v, char *b)
{
	pk_fmt_p(v, b, 32);
	return b;
}

static enum pk_status text_groups(struct pk_buf *b, const char *title,
                                  const struct pk_corr_group *g, size_t n)
{
	char s[4][32];
	enum pk_status rc = pk_buf_printf(b, "\nTES by %s\n  %-28s %6s %6s %8s %8s %8s\n", title,
	                                  title, "runs", "count", "mean", "p50", "p90");
	for (size_t i = 0; i < n && rc == PK_OK; i++) {
		struct pk_buf name = PK_BUF_INIT;
		rc = g[i].key ? pk_buf_put_printable(&name, g[i].key, strlen(g[i].key))
		              : pk_buf_puts(&name, "-");
		if (rc == PK_OK)
			rc = pk_buf_printf(b, "  %-28s %6zu %6zu %8s %8s %8s\n", name.data, g[i].runs,
			                   g[i].count, fs(g[i].mean, s[0]), fs(g[i].p50, s[1]),
			                   fs(g[i].p90, s[2]));
		pk_buf_free(&name);
	}
	return rc;
}

static enum pk_status write_text(struct pk_buf *b, const struct pk_correlate *c)
{
	char from[PK_TIME_ISO_MAX] = "-", to[PK_TIME_ISO_MAX] = "-", s[12][32];
	if (c->window.from_us != INT64_MIN)
		pk_time_format_iso(c->window.from_us, from);
	if (c->window.to_us != INT64_MAX)
		pk_time_format_iso(c->window.to_us, to);
	enum pk_status rc = pk_buf_printf(b, "window: %s .. %s (runs by iso_ts; - = unbounded)\n"
	                                  "run window: " RUN_WINDOW "\nprofile: " PROFILE_RULE "\n",
	                                  from, to);
	for (size_t p = 0; p < c->nprofiles && rc == PK_OK; p++) {
		rc = pk_buf_puts(b, "  ");
		if (rc == PK_OK) rc = pk_buf_put_printable(b, c->profiles[p].name, strlen(c->profiles[p].name));
		if (rc == PK_OK) rc = pk_buf_printf(b, ": %zu samples, %zu runs, %zu wake-word values\n",
		                                    c->profiles[p].samples, c->profiles[p].runs,
		                                    c->profiles[p].wake);
	}
	if (rc == PK_OK)
		rc = pk_buf_printf(b, "runs: %zu, matched %zu, unmatched %zu (no sample in the window), "
		                   "ambiguous %zu (several profiles)\n"
		                   "wake-word latency: %s, %zu values, window %s, unmatched %zu\n",
		                   c->runs.n, c->matched, c->unmatched, c->ambiguous,
		                   wake_src[c->wake_source], c->wake_n, wake_win[c->wake_source],
		                   c->wake_unmatched);
	if (rc == PK_OK)
		rc = pk_buf_printf(b, "\n%-15s %-44s %6s %8s %9s %9s %17s %8s %9s %10s %10s %6s\n",
		                   "y", "x", "n", "r", "p", "p_bh", "95% CI", "rho", "p", "slope",
		                   "intercept", "R2");
	for (size_t i = 0; i < c->npairs && rc == PK_OK; i++) {
		const struct pk_corr_stats *t = &c->pairs[i].s;
		char ci[80];
		snprintf(ci, sizeof ci, "[%s, %s]", fs(t->ci_low, s[0]), fs(t->ci_high, s[1]));
		rc = pk_buf_printf(b, "%-15s %-44s %6zu %8s %9s %9s %17s %8s %9s %10s %10s %6s\n",
		                   c->pairs[i].y, c->pairs[i].x->name, t->n, fs(t->pearson_r, s[2]),
		                   fp(t->pearson_p, s[3]), fp(t->pearson_p_bh, s[4]), ci,
		                   fs(t->spearman_rho, s[5]), fp(t->spearman_p, s[6]),
		                   fs(t->slope, s[7]), fs(t->intercept, s[8]), fs(t->r2, s[9]));
	}
	if (rc == PK_OK) rc = text_groups(b, "autonomy_mode", c->by_mode, c->nmodes);
	if (rc == PK_OK) rc = text_groups(b, "model_id", c->by_model, c->nmodels);
	if (rc == PK_OK) rc = pk_buf_puts(b, "\nfindings\n");
	for (size_t f = 0; f < 2 && rc == PK_OK; f++)
		rc = pk_buf_printf(b, "  [%s] %s\n", status_str[c->findings[f].status], c->findings[f].text);
	return rc;
}

/* Three blocks, each with its header, separated by an empty line: pairs,
 * TES groups, findings. */
static enum pk_status write_csv(struct pk_buf *b, const struct pk_correlate *c)
{
	enum pk_status rc = pk_buf_puts(b, "y,x,n,pearson_r,pearson_p,pearson_p_bh,ci_low,ci_high,"
	                                "spearman_rho,spearman_p,spearman_p_bh,slope,intercept,r2\n");
	for (size_t i = 0; i < c->npairs && rc == PK_OK; i++) {
		const struct pk_corr_stats *t = &c->pairs[i].s;
		const double v[] = { t->pearson_r, t->pearson_p, t->pearson_p_bh, t->ci_low, t->ci_high,
		                     t->spearman_rho, t->spearman_p, t->spearman_p_bh, t->slope,
		                     t->intercept, t->r2 };
		rc = pk_buf_printf(b, "%s,%s,%zu", c->pairs[i].y, c->pairs[i].x->name, t->n);
		for (size_t k = 0; k < sizeof v / sizeof v[0] && rc == PK_OK; k++)
			rc = pk_csv_num(b, v[k]);
		if (rc == PK_OK) rc = pk_buf_putc(b, '\n');
	}
	if (rc == PK_OK) rc = pk_buf_puts(b, "\ngroup,key,runs,count,mean,p50,p90\n");
	for (size_t k = 0; k < 2 && rc == PK_OK; k++) {
		const struct pk_corr_group *g = k ? c->by_model : c->by_mode;
		size_t n = k ? c->nmodels : c->nmodes;
		for (size_t i = 0; i < n && rc == PK_OK; i++) {
			rc = pk_buf_puts(b, k ? "model_id," : "autonomy_mode,");
			if (rc == PK_OK) rc = pk_csv_text(b, g[i].key);
			if (rc == PK_OK) rc = pk_buf_printf(b, ",%zu,%zu", g[i].runs, g[i].count);
			if (rc == PK_OK) rc = pk_csv_num(b, g[i].mean);
			if (rc == PK_OK) rc = pk_csv_num(b, g[i].p50);
			if (rc == PK_OK) rc = pk_csv_num(b, g[i].p90);
			if (rc == PK_OK) rc = pk_buf_putc(b, '\n');
		}
	}
	if (rc == PK_OK)
		rc = pk_buf_puts(b, "\nrule,status,measure,n,selected,tes_mean,measure_mean,measure_p50,"
		                 "welch_p,pearson_r,pearson_p,text\n");
	for (size_t f = 0; f < 2 && rc == PK_OK; f++) {
		const struct pk_corr_finding *x = &c->findings[f];
		rc = pk_buf_printf(b, "%s,%s,%s,%zu,%zu", x->rule, status_str[x->status],
		                   x->measure->name, x->n, x->selected);
		if (rc == PK_OK) rc = pk_csv_num(b, x->tes_mean);
		if (rc == PK_OK) rc = pk_csv_num(b, x->measure_mean);
		if (rc == PK_OK) rc = pk_csv_num(b, x->measure_p50);
		if (rc == PK_OK) rc = pk_csv_num(b, x->welch_p);
		if (rc == PK_OK) rc = pk_csv_num(b, x->s.pearson_r);
		if (rc == PK_OK) rc = pk_csv_num(b, x->s.pearson_p);
		if (rc == PK_OK) rc = pk_buf_putc(b, ',');
		if (rc == PK_OK) rc = pk_csv_text(b, x->text);
		if (rc == PK_OK) rc = pk_buf_putc(b, '\n');
	}
	return rc;
}

enum pk_status pk_write_correlate(struct pk_buf *out, enum pk_format f,
                                  const struct pk_correlate *r)
{
	if (f == PK_FMT_JSON)
		return write_json(out, r);
	if (f == PK_FMT_CSV)
		return write_csv(out, r);
	return write_text(out, r);
}
