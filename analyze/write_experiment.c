/* write_experiment.c - text, JSON and CSV of experiment analyses
 * (write_experiment.h).  Undefined values: null in JSON, "-" in text, empty
 * in CSV.  Text from logs (ids, names, reasons) is escaped in JSON and CSV
 * and printable in text. */
#include "write_experiment.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../core/diag.h"
#include "../core/json_write.h"
#include "../core/timeutil.h"

#define TRY(x) do { enum pk_status rc_ = (x); if (rc_ != PK_OK) return rc_; } while (0)

/* ---- JSON ---- */

static enum pk_status jsummary(struct pk_buf *b, const struct pk_exp_stat *s)
{
	TRY(pk_buf_printf(b, "{\"count\":%zu,\"missing\":%zu", s->s.count, s->missing));
	TRY(pk_json_num_member(b, "mean", s->s.mean, 1));
	TRY(pk_json_num_member(b, "median", s->s.median, 1));
	TRY(pk_json_num_member(b, "stdev", s->s.stdev, 1));
	TRY(pk_json_num_member(b, "min", s->s.min, 1));
	TRY(pk_json_num_member(b, "max", s->s.max, 1));
	TRY(pk_json_num_member(b, "p95", s->s.p95, 1));
	TRY(pk_json_num_member(b, "p99", s->s.p99, 1));
	return pk_buf_putc(b, '}');
}

static enum pk_status jtrend(struct pk_buf *b, const char *k, const struct pk_exp_trend *t)
{
	TRY(pk_json_key(b, k, 1));
	TRY(pk_buf_printf(b, "{\"n\":%zu,\"ols\":{\"slope\":", t->n));
	TRY(pk_json_number(b, t->slope));
	TRY(pk_json_num_member(b, "intercept", t->intercept, 1));
	TRY(pk_json_num_member(b, "p", t->p, 1));
	TRY(pk_json_num_member(b, "df", t->n >= 3 ? (double)t->n - 2 : NAN, 1));
	TRY(pk_json_text_member(b, "test", "t test of slope = 0, two-sided", 1));
	TRY(pk_buf_putc(b, '}'));
	TRY(pk_json_num_member(b, "growth", t->growth, 1));
	TRY(pk_json_num_member(b, "theil_sen_slope", t->theil_sen, 1));
	TRY(pk_json_key(b, "mann_kendall", 1));
	TRY(pk_buf_puts(b, "{\"s\":"));
	TRY(pk_json_number(b, t->mk_s));
	TRY(pk_json_num_member(b, "z", t->mk_z, 1));
	TRY(pk_json_num_member(b, "p", t->mk_p, 1));
	return pk_buf_puts(b, "}}");
}

static enum pk_status jrecorded(struct pk_buf *b, const struct pk_exp_recorded *r)
{
	TRY(pk_buf_printf(b, "{\"seq\":%lld", (long long)r->seq));
	TRY(pk_json_text_member(b, "type", r->type, 1));
	TRY(pk_json_text_member(b, "severity", r->severity, 1));
	TRY(pk_json_text_member(b, "description", r->description, 1));
	TRY(pk_json_num_member(b, "percentage_of_cycle", r->percentage_of_cycle, 1));
	TRY(pk_json_num_member(b, "avg_time_seconds", r->avg_time_seconds, 1));
	TRY(pk_json_num_member(b, "count", r->count, 1));
	TRY(pk_json_num_member(b, "peak_memory_mb", r->peak_memory_mb, 1));
	TRY(pk_json_num_member(b, "max_time_seconds", r->max_time_seconds, 1));
	return pk_buf_putc(b, '}');
}

static enum pk_status jbottleneck(struct pk_buf *b, const struct pk_exp_bottleneck *x)
{
	TRY(pk_buf_puts(b, "{\"type\":"));
	TRY(pk_json_string(b, x->type, strlen(x->type)));
	TRY(pk_buf_printf(b, ",\"evaluated\":%s,\"fired\":%s", x->evaluated ? "true" : "false",
	                  x->fired ? "true" : "false"));
	TRY(pk_json_text_member(b, "severity", x->severity, 1));
	TRY(pk_json_num_member(b, "value", x->value, 1));
	TRY(pk_json_num_member(b, "limit", x->limit, 1));
	TRY(pk_json_num_member(b, "percentage_of_cycle", x->percentage, 1));
	TRY(pk_json_num_member(b, "avg_time_seconds", x->avg_time_s, 1));
	TRY(pk_json_num_member(b, "max", x->max, 1));
	TRY(pk_buf_printf(b, ",\"count\":%zu", x->count));
	TRY(pk_json_key(b, "recorded", 1));
	TRY(x->recorded ? jrecorded(b, x->recorded) : pk_buf_puts(b, "null"));
	TRY(pk_buf_printf(b, ",\"agree\":%s", !x->evaluated ? "null" : x->agree ? "true" : "false"));
	TRY(pk_json_text_member(b, "recommendation", x->fired ? x->recommendation : NULL, 1));
	return pk_buf_putc(b, '}');
}

static enum pk_status jexperiment(struct pk_buf *b, const struct pk_exp_result *r)
{
	TRY(pk_buf_puts(b, "{\"id\":"));
	TRY(pk_json_string(b, r->d.id, strlen(r->d.id)));
	TRY(pk_json_text_member(b, "name", r->d.name, 1));
	TRY(pk_json_text_member(b, "mode", r->d.mode, 1));
	TRY(pk_json_time_member(b, "start", r->d.start_us, 1));
	TRY(pk_json_time_member(b, "end", r->d.end_us, 1));
	TRY(pk_json_num_member(b, "total_memory_gb", r->d.total_memory_gb, 1));
	TRY(pk_buf_printf(b, ",\"cycles\":%zu,\"statistics\":{", r->d.c.n));
	for (int m = 0; m < PK_EXPM_N; m++) {
		TRY(pk_json_key(b, pk_exp_metric_key[m], m > 0));
		TRY(jsummary(b, &r->stat[m]));
	}
	TRY(pk_buf_putc(b, '}'));
	TRY(pk_json_num_member(b, "cv_duration", r->cv, 1));
	TRY(pk_buf_printf(b, ",\"crashes\":{\"cycles\":%zu,\"crashed\":%zu", r->crash_known,
	                  r->crashed));
	TRY(pk_json_num_member(b, "rate", r->crash_rate, 1));
	TRY(pk_buf_puts(b, ",\"reasons\":["));
	for (size_t i = 0; i < r->d.nreasons; i++) {
		TRY(pk_buf_puts(b, i ? ",{\"reason\":" : "{\"reason\":"));
		const char *s = r->d.reasons[i].reason;
		TRY(s ? pk_json_string(b, s, strlen(s)) : pk_buf_puts(b, "null"));
		TRY(pk_buf_printf(b, ",\"count\":%zu}", r->d.reasons[i].count));
	}
	TRY(pk_buf_puts(b, "]},\"timings\":{\"total_cycle_time_s\":"));
	TRY(pk_json_number(b, r->total_cycle_time));
	TRY(pk_buf_puts(b, ",\"names\":["));
	for (size_t i = 0; i < r->d.ntimings; i++) {
		const struct pk_exp_timing *t = &r->timings[i];
		TRY(pk_buf_puts(b, i ? ",{\"name\":" : "{\"name\":"));
		TRY(t->name ? pk_json_string(b, t->name, strlen(t->name)) : pk_buf_puts(b, "null"));
		TRY(pk_json_num_member(b, "total_s", t->total, 1));
		TRY(pk_json_num_member(b, "share", t->share, 1));
		TRY(pk_buf_printf(b, ",\"count\":%zu", t->count));
		TRY(pk_json_num_member(b, "mean_s", t->mean, 1));
		TRY(pk_buf_putc(b, '}'));
	}
	TRY(pk_buf_puts(b, "]}"));
	TRY(pk_json_num_member(b, "mean_mode_overhead_s", r->mean_mode_overhead, 1));
	TRY(pk_json_num_member(b, "timing_mode_overhead_s", r->timing_mode_overhead, 1));
	TRY(pk_buf_puts(b, ",\"bottlenecks\":["));
	for (int k = 0; k < PK_RULE_N; k++) {
		if (k)
			TRY(pk_buf_putc(b, ','));
		TRY(jbottleneck(b, &r->rules[k]));
	}
	TRY(pk_buf_puts(b, "],\"recorded_bottlenecks\":["));
	for (size_t i = 0; i < r->d.nrecorded; i++) {
		if (i)
			TRY(pk_buf_putc(b, ','));
		TRY(jrecorded(b, &r->d.recorded[i]));
	}
	TRY(pk_buf_putc(b, ']'));
	TRY(jtrend(b, "memory_trend", &r->mem));
	TRY(pk_json_text_member(b, "leak", r->leak, 1));
	TRY(jtrend(b, "tokens_per_second_trend", &r->tps));
	return pk_buf_putc(b, '}');
}

static enum pk_status jvs(struct pk_buf *b, const struct pk_exp_result *a,
                          const struct pk_exp_result *x, const struct pk_exp_vs *v)
{
	TRY(pk_buf_puts(b, "{\"experiment\":"));
	TRY(pk_json_string(b, x->d.id, strlen(x->d.id)));
	TRY(pk_json_text_member(b, "against", a->d.id, 1));
	TRY(pk_buf_puts(b, ",\"duration_s\":{\"diff\":"));
	TRY(pk_json_number(b, v->diff_duration));
	TRY(pk_json_num_member(b, "welch_p", v->welch_duration, 1));
	TRY(pk_json_num_member(b, "mannwhitney_p", v->mw_duration, 1));
	TRY(pk_buf_puts(b, "},\"tokens_per_second\":{\"diff\":"));
	TRY(pk_json_number(b, v->diff_tps));
	TRY(pk_json_num_member(b, "welch_p", v->welch_tps, 1));
	TRY(pk_json_num_member(b, "mannwhitney_p", v->mw_tps, 1));
	return pk_buf_puts(b, "}}");
}

/* ---- CSV: experiment_id,section,name,statistic,value ---- */

static enum pk_status cfield(struct pk_buf *b, const char *s)
{
	if (!s)
		return PK_OK;
	if (!strpbrk(s, ",\"\r\n"))
		return pk_buf_puts(b, s);
	TRY(pk_buf_putc(b, '"'));
	for (; *s; s++)
		TRY(*s == '"' ? pk_buf_puts(b, "\"\"") : pk_buf_putc(b, *s));
	return pk_buf_putc(b, '"');
}

static enum pk_status crow(struct pk_buf *b, const char *id, const char *section,
                           const char *name, const char *stat, double v)
{
	TRY(cfield(b, id));
	TRY(pk_buf_putc(b, ','));
	TRY(cfield(b, section));
	TRY(pk_buf_putc(b, ','));
	TRY(cfield(b, name));
	TRY(pk_buf_putc(b, ','));
	TRY(cfield(b, stat));
	TRY(pk_buf_putc(b, ','));
	if (isfinite(v))
		TRY(pk_json_number(b, v));
	return pk_buf_putc(b, '\n');
}

static enum pk_status ctrend(struct pk_buf *b, const char *id, const char *name,
                             const struct pk_exp_trend *t)
{
	TRY(crow(b, id, "trend", name, "n", (double)t->n));
	TRY(crow(b, id, "trend", name, "ols_slope", t->slope));
	TRY(crow(b, id, "trend", name, "ols_intercept", t->intercept));
	TRY(crow(b, id, "trend", name, "ols_p", t->p));
	TRY(crow(b, id, "trend", name, "growth", t->growth));
	TRY(crow(b, id, "trend", name, "theil_sen_slope", t->theil_sen));
	TRY(crow(b, id, "trend", name, "mann_kendall_s", t->mk_s));
	TRY(crow(b, id, "trend", name, "mann_kendall_z", t->mk_z));
	return crow(b, id, "trend", name, "mann_kendall_p", t->mk_p);
}

static enum pk_status cexperiment(struct pk_buf *b, const struct pk_exp_result *r)
{
	static const char *const f[] = { "count", "missing", "mean", "median", "stdev",
	                                 "min", "max", "p95", "p99" };
	const char *id = r->d.id;
	TRY(crow(b, id, "experiment", "", "cycles", (double)r->d.c.n));
	TRY(crow(b, id, "experiment", "", "total_memory_gb", r->d.total_memory_gb));
	for (int m = 0; m < PK_EXPM_N; m++) {
		const struct pk_exp_stat *s = &r->stat[m];
		double v[] = { (double)s->s.count, (double)s->missing, s->s.mean, s->s.median,
		               s->s.stdev, s->s.min, s->s.max, s->s.p95, s->s.p99 };
		for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
			TRY(crow(b, id, "statistic", pk_exp_metric_key[m], f[i], v[i]));
	}
	TRY(crow(b, id, "statistic", "duration_s", "cv", r->cv));
	TRY(crow(b, id, "crashes", "", "cycles", (double)r->crash_known));
	TRY(crow(b, id, "crashes", "", "crashed", (double)r->crashed));
	TRY(crow(b, id, "crashes", "", "rate", r->crash_rate));
	for (size_t i = 0; i < r->d.nreasons; i++)
		TRY(crow(b, id, "crash_reason", r->d.reasons[i].reason, "count",
		         (double)r->d.reasons[i].count));
	TRY(crow(b, id, "timing", "", "total_cycle_time_s", r->total_cycle_time));
	for (size_t i = 0; i < r->d.ntimings; i++) {
		const struct pk_exp_timing *t = &r->timings[i];
		TRY(crow(b, id, "timing", t->name, "total_s", t->total));
		TRY(crow(b, id, "timing", t->name, "share", t->share));
		TRY(crow(b, id, "timing", t->name, "count", (double)t->count));
		TRY(crow(b, id, "timing", t->name, "mean_s", t->mean));
	}
	for (int k = 0; k < PK_RULE_N; k++) {
		const struct pk_exp_bottleneck *x = &r->rules[k];
		TRY(crow(b, id, "bottleneck", x->type, "evaluated", x->evaluated));
		TRY(crow(b, id, "bottleneck", x->type, "fired", x->fired));
		TRY(crow(b, id, "bottleneck", x->type, "value", x->value));
		TRY(crow(b, id, "bottleneck", x->type, "limit", x->limit));
		TRY(crow(b, id, "bottleneck", x->type, "count", (double)x->count));
		TRY(crow(b, id, "bottleneck", x->type, "recorded", x->recorded != NULL));
		TRY(crow(b, id, "bottleneck", x->type, "agree", x->evaluated ? x->agree : NAN));
	}
	TRY(ctrend(b, id, "peak_memory_mb", &r->mem));
	TRY(crow(b, id, "trend", "peak_memory_mb", "leak",
	         !strcmp(r->leak, "leak") ? 1 : !strcmp(r->leak, "no leak") ? 0 : NAN));
	return ctrend(b, id, "tokens_per_second", &r->tps);
}

/* ---- text ---- */

static enum pk_status tname(struct pk_buf *b, const char *s)
{
	return s ? pk_buf_put_printable(b, s, strlen(s)) : pk_buf_puts(b, "-");
}

static const char *st(double v, char *buf)
{
	pk_fmt_stat(v, buf, 32);
	return buf;
}

static const char *pv(double v, char *buf)
{
	pk_fmt_p(v, buf, 32);
	return buf;
}

static enum pk_status ttrend(struct pk_buf *b, const char *title, const char *unit,
                             const struct pk_exp_trend *t)
{
	char s1[32], s2[32], s4[32], s5[32], s6[32];
	TRY(pk_buf_printf(b, "\n%s against cycle_number (%zu cycles)\n", title, t->n));
	TRY(pk_buf_printf(b, "  least squares  slope %s %s/cycle, p %s (t test, %zu df); fitted growth %s%%\n",
	                  st(t->slope, s1), unit, pv(t->p, s2), t->n >= 3 ? t->n - 2 : 0,
	                  st(100 * t->growth, s4)));
	if (isnan(t->mk_s))
		snprintf(s5, sizeof s5, "-");
	else
		snprintf(s5, sizeof s5, "%.0f", t->mk_s);
	return pk_buf_printf(b, "  Theil-Sen      slope %s %s/cycle; Mann-Kendall S %s, z %s, p %s\n",
	                     st(t->theil_sen, s1), unit, s5, st(t->mk_z, s6), pv(t->mk_p, s2));
}

static enum pk_status texperiment(struct pk_buf *b, const struct pk_exp_result *r)
{
	char s[8][32], t0[PK_TIME_ISO_MAX], t1[PK_TIME_ISO_MAX];
	TRY(pk_buf_puts(b, "experiment "));
	TRY(tname(b, r->d.id));
	TRY(pk_buf_puts(b, "  name "));
	TRY(tname(b, r->d.name));
	TRY(pk_buf_puts(b, "  mode "));
	TRY(tname(b, r->d.mode));
	if (r->d.start_us != INT64_MIN) pk_time_format_iso(r->d.start_us, t0); else strcpy(t0, "-");
	if (r->d.end_us != INT64_MIN) pk_time_format_iso(r->d.end_us, t1); else strcpy(t1, "-");
	TRY(pk_buf_printf(b, "\n  %s .. %s, %zu cycles, system memory %s GB\n\n", t0, t1,
	                  r->d.c.n, st(r->d.total_memory_gb, s[0])));
	TRY(pk_buf_printf(b, "%-18s %-5s %6s %7s %9s %9s %9s %9s %9s %9s %9s\n", "per cycle", "unit",
	                  "count", "missing", "mean", "median", "stdev", "min", "max", "p95", "p99"));
	for (int m = 0; m < PK_EXPM_N; m++) {
		const struct pk_summary *x = &r->stat[m].s;
		TRY(pk_buf_printf(b, "%-18s %-5s %6zu %7zu %9s %9s %9s %9s %9s %9s %9s\n",
		                  pk_exp_metric_key[m], pk_exp_metric_unit[m], x->count,
		                  r->stat[m].missing, st(x->mean, s[0]), st(x->median, s[1]),
		                  st(x->stdev, s[2]), st(x->min, s[3]), st(x->max, s[4]),
		                  st(x->p95, s[5]), st(x->p99, s[6])));
	}
	TRY(pk_buf_printf(b, "cycle time coefficient of variation %s\n", st(r->cv, s[0])));
	TRY(pk_buf_printf(b, "\ntimings (share of %s s summed cycle time)\n", st(r->total_cycle_time, s[0])));
	TRY(pk_buf_printf(b, "  %-24s %10s %7s %7s %9s\n", "name", "total s", "share", "count", "mean s"));
	for (size_t i = 0; i < r->d.ntimings; i++) {
		const struct pk_exp_timing *t = &r->timings[i];
		TRY(pk_buf_puts(b, "  "));
		size_t before = b->len;
		TRY(tname(b, t->name));
		for (size_t w = b->len - before; w < 24; w++)
			TRY(pk_buf_putc(b, ' '));
		TRY(pk_buf_printf(b, " %10s %6s%% %7zu %9s\n", st(t->total, s[0]),
		                  st(100 * t->share, s[1]), t->count, st(t->mean, s[2])));
	}
	TRY(pk_buf_printf(b, "mode overhead (duration - LLM - DB) mean %s s; timings named mode_overhead mean %s s\n",
	                  st(r->mean_mode_overhead, s[0]), st(r->timing_mode_overhead, s[1])));
	TRY(pk_buf_printf(b, "\nbottlenecks: the writer's rules recomputed | as recorded\n"));
	TRY(pk_buf_printf(b, "  %-16s %-5s %-8s %9s %9s %7s | %-8s %9s  %s\n", "type", "fired",
	                  "severity", "value", "limit", "cycles", "recorded", "% cycle", "agree"));
	for (int k = 0; k < PK_RULE_N; k++) {
		const struct pk_exp_bottleneck *x = &r->rules[k];
		const struct pk_exp_recorded *rec = x->recorded;
		TRY(pk_buf_printf(b, "  %-16s %-5s %-8s %9s %9s %7zu | ", x->type,
		                  !x->evaluated ? "-" : x->fired ? "yes" : "no",
		                  x->severity ? x->severity : "-", st(x->value, s[0]),
		                  st(x->limit, s[1]), x->count));
		if (rec) {
			size_t before = b->len;
			TRY(tname(b, rec->severity));
			for (size_t w = b->len - before; w < 8; w++)
				TRY(pk_buf_putc(b, ' '));
			TRY(pk_buf_printf(b, " %9s  ", st(rec->percentage_of_cycle, s[2])));
		} else {
			TRY(pk_buf_printf(b, "%-8s %9s  ", "no", "-"));
		}
		TRY(pk_buf_puts(b, !x->evaluated ? "-\n" : x->agree ? "yes\n" : "NO\n"));
	}
	TRY(pk_buf_puts(b, "  (value: share of mean cycle time for llm_inference, database and\n"
	                   "  mode_overhead; MB for memory_pressure; slowest cycle s for slow_cycles,\n"
	                   "  whose cycles column counts cycles over 1.5 x mean)\n"));
	for (size_t i = 0; i < r->d.nrecorded; i++) {
		const struct pk_exp_recorded *rec = &r->d.recorded[i];
		int known = 0;
		for (int k = 0; k < PK_RULE_N; k++)
			known |= rec->type && !strcmp(rec->type, r->rules[k].type);
		if (known)
			continue;
		TRY(pk_buf_puts(b, "  recorded only: "));
		TRY(tname(b, rec->type));
		TRY(pk_buf_puts(b, " ("));
		TRY(tname(b, rec->severity));
		TRY(pk_buf_puts(b, ") "));
		TRY(tname(b, rec->description));
		TRY(pk_buf_putc(b, '\n'));
	}
	TRY(pk_buf_printf(b, "\ncrashes: %zu of %zu cycles, rate %s\n", r->crashed, r->crash_known,
	                  st(r->crash_rate, s[0])));
	for (size_t i = 0; i < r->d.nreasons; i++) {
		TRY(pk_buf_printf(b, "  %6zu  ", r->d.reasons[i].count));
		TRY(tname(b, r->d.reasons[i].reason));
		TRY(pk_buf_putc(b, '\n'));
	}
	TRY(ttrend(b, "peak memory", "MB", &r->mem));
	TRY(pk_buf_printf(b, "  memory leak: %s (leak = slope > 0, p < 0.01 and growth > 10%%)\n", r->leak));
	TRY(ttrend(b, "tokens/s", "tok/s", &r->tps));
	TRY(pk_buf_puts(b, "\nrecommendations\n"));
	int any = 0;
	for (int k = 0; k < PK_RULE_N; k++)
		if (r->rules[k].fired) {
			TRY(pk_buf_printf(b, "  %s: %s\n", r->rules[k].type, r->rules[k].recommendation));
			any = 1;
		}
	return any ? PK_OK : pk_buf_puts(b, "  none: no rule fired\n");
}

enum pk_status pk_write_experiment(struct pk_buf *out, enum pk_format f,
                                   const struct pk_exp_result *r)
{
	if (f == PK_FMT_JSON) {
		TRY(pk_buf_printf(out, "{\"schema\":%d,\"experiment\":", PK_JSON_SCHEMA));
		TRY(jexperiment(out, r));
		return pk_buf_puts(out, "}\n");
	}
	if (f == PK_FMT_CSV) {
		TRY(pk_buf_puts(out, "experiment_id,section,name,statistic,value\n"));
		return cexperiment(out, r);
	}
	return texperiment(out, r);
}

/* The types of the rules that fired, comma-separated, or "none". */
static enum pk_status fired_list(struct pk_buf *b, const struct pk_exp_result *r)
{
	int any = 0;
	for (int k = 0; k < PK_RULE_N; k++)
		if (r->rules[k].fired) {
			TRY(pk_buf_printf(b, "%s%s", any ? "," : "", r->rules[k].type));
			any = 1;
		}
	return any ? PK_OK : pk_buf_puts(b, "none");
}

enum pk_status pk_write_experiments(struct pk_buf *out, enum pk_format f,
                                    const struct pk_exp_result *r,
                                    const struct pk_exp_vs *vs, size_t n)
{
	char s[8][32];
	if (f == PK_FMT_JSON) {
		TRY(pk_buf_printf(out, "{\"schema\":%d,\"experiments\":[", PK_JSON_SCHEMA));
		for (size_t i = 0; i < n; i++) {
			if (i)
				TRY(pk_buf_putc(out, ','));
			TRY(jexperiment(out, &r[i]));
		}
		TRY(pk_buf_puts(out, "],\"comparisons\":["));
		for (size_t i = 1; i < n; i++) {
			if (i > 1)
				TRY(pk_buf_putc(out, ','));
			TRY(jvs(out, &r[0], &r[i], &vs[i]));
		}
		return pk_buf_puts(out, "]}\n");
	}
	if (f == PK_FMT_CSV) {
		TRY(pk_buf_puts(out, "experiment_id,section,name,statistic,value\n"));
		for (size_t i = 0; i < n; i++)
			TRY(cexperiment(out, &r[i]));
		for (size_t i = 1; i < n; i++) {
			const char *id = r[i].d.id;
			TRY(crow(out, id, "versus", r[0].d.id, "duration_diff", vs[i].diff_duration));
			TRY(crow(out, id, "versus", r[0].d.id, "duration_welch_p", vs[i].welch_duration));
			TRY(crow(out, id, "versus", r[0].d.id, "duration_mannwhitney_p", vs[i].mw_duration));
			TRY(crow(out, id, "versus", r[0].d.id, "tps_diff", vs[i].diff_tps));
			TRY(crow(out, id, "versus", r[0].d.id, "tps_welch_p", vs[i].welch_tps));
			TRY(crow(out, id, "versus", r[0].d.id, "tps_mannwhitney_p", vs[i].mw_tps));
		}
		return PK_OK;
	}
	TRY(pk_buf_printf(out, "%-3s %7s %9s %9s %9s %9s %7s %9s %-9s %s\n", "#", "cycles",
	                  "dur mean", "dur p95", "cv", "tok/s", "crash", "mem max", "leak",
	                  "bottlenecks fired"));
	for (size_t i = 0; i < n; i++) {
		const struct pk_exp_result *x = &r[i];
		TRY(pk_buf_printf(out, "%-3zu %7zu %9s %9s %9s %9s %7s %9s %-9s ", i + 1, x->d.c.n,
		                  st(x->stat[PK_EXPM_DURATION].s.mean, s[0]),
		                  st(x->stat[PK_EXPM_DURATION].s.p95, s[1]), st(x->cv, s[2]),
		                  st(x->stat[PK_EXPM_TPS].s.mean, s[3]), st(x->crash_rate, s[4]),
		                  st(x->stat[PK_EXPM_MEM].s.max, s[5]), x->leak));
		TRY(fired_list(out, x));
		TRY(pk_buf_putc(out, '\n'));
	}
	TRY(pk_buf_puts(out, "\n"));
	for (size_t i = 0; i < n; i++) {
		TRY(pk_buf_printf(out, "%-3zu ", i + 1));
		TRY(tname(out, r[i].d.id));
		TRY(pk_buf_puts(out, "  "));
		TRY(tname(out, r[i].d.name));
		TRY(pk_buf_putc(out, '\n'));
	}
	TRY(pk_buf_puts(out, "\nagainst #1 (Welch t test and Mann-Whitney U, two-sided; cycles as independent samples)\n"));
	TRY(pk_buf_printf(out, "%-3s %11s %9s %9s %11s %9s %9s\n", "#", "dur diff s", "welch p",
	                  "mw p", "tok/s diff", "welch p", "mw p"));
	for (size_t i = 1; i < n; i++)
		TRY(pk_buf_printf(out, "%-3zu %11s %9s %9s %11s %9s %9s\n", i + 1,
		                  st(vs[i].diff_duration, s[0]), pv(vs[i].welch_duration, s[1]),
		                  pv(vs[i].mw_duration, s[2]), st(vs[i].diff_tps, s[3]),
		                  pv(vs[i].welch_tps, s[4]), pv(vs[i].mw_tps, s[5])));
	return PK_OK;
}
