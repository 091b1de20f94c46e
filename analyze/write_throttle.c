/* write_throttle.c - throttling episodes (perfanalyze --throttling) as text,
 * JSON or CSV (write_throttle.h). */
#include "write_throttle.h"

#include <math.h>
#include <string.h>

#include "../core/csv_write.h"
#include "../core/diag.h"
#include "../core/json_write.h"
#include "../core/timeutil.h"
#include "cmd_common.h"
#include "quality.h"
#include "throttle.h"

static enum pk_status json_drop(struct pk_buf *o, const char *k, const struct pk_throttle_drop *d)
{
	enum pk_status rc = pk_json_key(o, k, 1);
	if (rc == PK_OK) rc = pk_buf_printf(o, "{\"baseline_n\":%zu,\"episode_n\":%zu",
	                                    d->baseline_n, d->episode_n);
	if (rc == PK_OK) rc = pk_json_num_member(o, "baseline", d->baseline, 1);
	if (rc == PK_OK) rc = pk_json_num_member(o, "episode", d->episode, 1);
	if (rc == PK_OK) rc = pk_json_num_member(o, "drop", d->drop, 1);
	if (rc == PK_OK) rc = pk_json_num_member(o, "drop_pct", d->drop_pct, 1);
	if (rc == PK_OK) rc = pk_json_num_member(o, "p", d->p, 1);
	if (rc == PK_OK) rc = pk_buf_printf(o, ",\"dropped\":%s}", d->dropped ? "true" : "false");
	return rc;
}

static enum pk_status write_json(struct pk_buf *o, const struct pk_throttle *t,
                                 const struct pk_throttle_params *p)
{
	enum pk_status rc = pk_buf_printf(o, "{\"schema\":%d", PK_JSON_SCHEMA);
	if (rc == PK_OK) rc = pk_json_text_member(o, "profile", t->profile, 1);
	if (rc == PK_OK) rc = pk_json_window_member(o, "window", t->window.from_us, t->window.to_us, 1);
	if (rc == PK_OK) rc = pk_buf_printf(o, ",\"samples\":%zu,\"temperature_samples\":%zu,"
	                                    "\"hot_samples\":%zu", t->samples, t->temp_present, t->hot);
	if (rc == PK_OK) rc = pk_json_num_member(o, "interval_s", t->interval_s, 1);
	if (rc == PK_OK) rc = pk_json_num_member(o, "gap_threshold_s", t->gap_threshold_s, 1);
	if (rc == PK_OK) rc = pk_json_num_member(o, "threshold_c", t->threshold_c, 1);
	if (rc == PK_OK) rc = pk_json_text_member(o, "threshold_source", pk_threshold_source_str(p->source), 1);
	if (rc == PK_OK) rc = pk_json_key(o, "registry_metric", 1);
	if (rc == PK_OK) rc = p->registry_metric
	                      ? pk_json_string(o, p->registry_metric, strlen(p->registry_metric))
	                      : pk_buf_puts(o, "null");
	if (rc == PK_OK) rc = pk_json_key(o, "registry_bound", 1);
	if (rc == PK_OK) rc = p->registry_bound
	                      ? pk_json_string(o, p->registry_bound, strlen(p->registry_bound))
	                      : pk_buf_puts(o, "null");
	if (rc == PK_OK)
		rc = pk_buf_printf(o, ",\"baseline_samples\":%d,\"min_baseline\":%d,\"drop_pct_limit\":%g,"
		                   "\"min_hot_samples\":%d,\"test\":\"Mann-Whitney U, two-sided, "
		                   "baseline vs episode\",\"episode_count\":%zu,\"throttled_count\":%zu,"
		                   "\"episodes\":[", PK_THROTTLE_BASELINE_N, PK_THROTTLE_MIN_BASELINE,
		                   PK_THROTTLE_DROP_PCT, PK_THROTTLE_MIN_HOT, t->nepisodes, t->throttled);
	for (size_t i = 0; i < t->nepisodes && rc == PK_OK; i++) {
		const struct pk_throttle_episode *e = &t->episodes[i];
		rc = pk_buf_puts(o, i ? ",{" : "{");
		if (rc == PK_OK) rc = pk_json_time_member(o, "start", e->start_us, 0);
		if (rc == PK_OK) rc = pk_json_time_member(o, "end", e->end_us, 1);
		if (rc == PK_OK) rc = pk_json_num_member(o, "duration_s", e->duration_s, 1);
		if (rc == PK_OK) rc = pk_buf_printf(o, ",\"samples\":%zu,\"hot_samples\":%zu",
		                                    e->samples, e->hot);
		if (rc == PK_OK) rc = pk_json_num_member(o, "peak_c", e->peak_c, 1);
		if (rc == PK_OK) rc = json_drop(o, "cpu_frequency_mhz", &e->freq);
		if (rc == PK_OK) rc = json_drop(o, "gpu_utilization_percent", &e->util);
		if (rc == PK_OK) rc = pk_buf_printf(o, ",\"throttled\":%s}", e->throttled ? "true" : "false");
	}
	return rc == PK_OK ? pk_buf_puts(o, "]}\n") : rc;
}

static enum pk_status csv_drop(struct pk_buf *o, const struct pk_throttle_drop *d)
{
	enum pk_status rc = pk_buf_printf(o, ",%zu,%zu", d->baseline_n, d->episode_n);
	double v[] = { d->baseline, d->episode, d->drop, d->drop_pct, d->p };
	for (size_t i = 0; i < sizeof v / sizeof v[0] && rc == PK_OK; i++)
		rc = pk_csv_num(o, v[i]);
	return rc;
}

/* One row per episode; the threshold on every row. */
static enum pk_status write_csv(struct pk_buf *o, const struct pk_throttle *t,
                                const struct pk_throttle_params *p)
{
	enum pk_status rc = pk_buf_puts(o, "profile,threshold_c,threshold_source,start,end,duration_s,"
	                                "samples,hot_samples,peak_c,freq_baseline_n,freq_episode_n,"
	                                "freq_baseline_mhz,freq_episode_mhz,freq_drop_mhz,"
	                                "freq_drop_pct,freq_p,util_baseline_n,util_episode_n,"
	                                "util_baseline_pct,util_episode_pct,util_drop_pts,"
	                                "util_drop_pct,util_p,throttled\n");
	for (size_t i = 0; i < t->nepisodes && rc == PK_OK; i++) {
		const struct pk_throttle_episode *e = &t->episodes[i];
		char a[PK_TIME_ISO_MAX], b[PK_TIME_ISO_MAX];
		pk_time_format_iso(e->start_us, a);
		pk_time_format_iso(e->end_us, b);
		rc = pk_csv_text(o, t->profile);
		if (rc == PK_OK) rc = pk_csv_num(o, t->threshold_c);
		if (rc == PK_OK) rc = pk_buf_printf(o, ",%s,%s,%s", pk_threshold_source_str(p->source), a, b);
		if (rc == PK_OK) rc = pk_csv_num(o, e->duration_s);
		if (rc == PK_OK) rc = pk_buf_printf(o, ",%zu,%zu", e->samples, e->hot);
		if (rc == PK_OK) rc = pk_csv_num(o, e->peak_c);
		if (rc == PK_OK) rc = csv_drop(o, &e->freq);
		if (rc == PK_OK) rc = csv_drop(o, &e->util);
		if (rc == PK_OK) rc = pk_buf_printf(o, ",%d\n", e->throttled);
	}
	return rc;
}

static void fmt(double v, char *out, size_t n)
{
	pk_fmt_stat(v, out, n);
}

static enum pk_status write_text(struct pk_buf *o, const struct pk_throttle *t,
                                 const struct pk_throttle_params *p)
{
	char a[PK_TIME_ISO_MAX], b[PK_TIME_ISO_MAX], s1[32], s2[32];
	enum pk_status rc = pk_cmd_text_head(o, t->profile, &t->window);
	fmt(t->interval_s, s1, sizeof s1);
	fmt(t->gap_threshold_s, s2, sizeof s2);
	if (rc == PK_OK)
		rc = pk_buf_printf(o, "samples     %zu, %zu with a GPU temperature, %zu hot; interval "
		                   "%s s, gaps > %s s split episodes\n", t->samples, t->temp_present,
		                   t->hot, s1, s2);
	fmt(t->threshold_c, s1, sizeof s1);
	if (rc == PK_OK)
		rc = pk_buf_printf(o, "threshold   %s °C (%s", s1, pk_threshold_source_str(p->source));
	if (rc == PK_OK && p->registry_metric) {
		rc = pk_buf_puts(o, ": ");
		if (rc == PK_OK)
			rc = pk_buf_put_printable(o, p->registry_metric, strlen(p->registry_metric));
		if (rc == PK_OK && p->registry_bound) {
			rc = pk_buf_putc(o, ' ');
			if (rc == PK_OK)
				rc = pk_buf_put_printable(o, p->registry_bound, strlen(p->registry_bound));
		}
	}
	if (rc == PK_OK)
		rc = pk_buf_printf(o, ")\nrule        throttled = median CPU frequency or GPU utilisation "
		                   "more than %g %% below the median of the %d samples before "
		                   "(p: Mann-Whitney, baseline vs episode)\nepisodes    %zu, "
		                   "%zu throttled\n", PK_THROTTLE_DROP_PCT, PK_THROTTLE_BASELINE_N,
		                   t->nepisodes, t->throttled);
	if (rc == PK_OK && t->nepisodes)
		rc = pk_buf_printf(o, "\n%-27s %-27s %8s %5s %6s %9s %7s %9s %7s %7s %9s %s\n",
		                   "start", "end", "dur_s", "n", "peak", "freq_drop", "freq_%",
		                   "freq_p", "util_dp", "util_%", "util_p", "throttled");
	for (size_t i = 0; i < t->nepisodes && rc == PK_OK; i++) {
		const struct pk_throttle_episode *e = &t->episodes[i];
		char v[7][32];
		pk_time_format_iso(e->start_us, a);
		pk_time_format_iso(e->end_us, b);
		fmt(e->duration_s, v[0], sizeof v[0]);
		fmt(e->peak_c, v[1], sizeof v[1]);
		fmt(e->freq.drop, v[2], sizeof v[2]);
		fmt(e->freq.drop_pct, v[3], sizeof v[3]);
		pk_fmt_p(e->freq.p, v[4], sizeof v[4]);
		fmt(e->util.drop, v[5], sizeof v[5]);
		fmt(e->util.drop_pct, v[6], sizeof v[6]);
		pk_fmt_p(e->util.p, s1, sizeof s1);
		rc = pk_buf_printf(o, "%-27s %-27s %8s %5zu %6s %9s %7s %9s %7s %7s %9s %s\n", a, b,
		                   v[0], e->samples, v[1], v[2], v[3], v[4], v[5], v[6], s1,
		                   e->throttled ? "yes" : "no");
	}
	return rc;
}

enum pk_status pk_write_throttle(struct pk_buf *out, enum pk_format f,
                                 const struct pk_throttle *r,
                                 const struct pk_throttle_params *p)
{
	if (f == PK_FMT_JSON)
		return write_json(out, r, p);
	if (f == PK_FMT_CSV)
		return write_csv(out, r, p);
	return write_text(out, r, p);
}
