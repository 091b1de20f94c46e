/* experiment.c - the analysis of one LLM experiment and the tests between
 * experiments (experiment.h); trends are in exp_trend.c. */
#include "experiment.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const pk_exp_metric_key[PK_EXPM_N] = {
	"duration_s", "llm_time_s", "db_time_s", "tokens_per_second", "peak_memory_mb",
};
const char *const pk_exp_metric_unit[PK_EXPM_N] = { "s", "s", "s", "tok/s", "MB" };

static const char *const rule_type[PK_RULE_N] = {
	"llm_inference", "database", "mode_overhead", "memory_pressure", "slow_cycles",
};

/* Fixed advice per rule, as the writer's recommendations. */
static const char *const rule_advice[PK_RULE_N] = {
	"Use a smaller or quantised model, batch prompts, or cache repeated prompts",
	"Add indexes, cache frequent queries, or batch writes",
	"Avoid switching modes inside a cycle; keep mode state warm between cycles",
	"Reduce context length, unload idle models, or move to a machine with more memory",
	"Investigate outlier cycles (GC pauses, swapping, thermal throttling, retries)",
};

#define LLM_SHARE 0.60
#define DB_SHARE 0.15
#define DB_SHARE_HIGH 0.30
#define MODE_SHARE 0.10
#define MEM_SHARE 0.80
#define SLOW_MAX 2.0
#define SLOW_COUNT 1.5
#define LEAK_P 0.01
#define LEAK_GROWTH 0.10

static enum pk_status stats_of(struct pk_exp_result *r)
{
	const struct pk_exp_cycles *c = &r->d.c;
	const double *col[PK_EXPM_N] = { c->duration, c->llm_time, c->db_time, c->tps,
	                                 c->mem_peak };
	for (int m = 0; m < PK_EXPM_N; m++) {
		double *v = malloc((c->n ? c->n : 1) * sizeof *v);
		if (!v)
			return PK_ERR_NOMEM;
		r->sorted[m] = v;
		size_t k = pk_drop_missing(col[m], c->n, v);
		if (pk_sort_doubles(v, k) != 0)
			return PK_ERR_NOMEM;
		pk_summary_sorted(v, k, &r->stat[m].s);
		r->stat[m].missing = c->n - k;
	}
	const struct pk_summary *d = &r->stat[PK_EXPM_DURATION].s;
	r->cv = d->count >= 2 && d->mean != 0 ? d->stdev / d->mean : NAN;
	return PK_OK;
}

static void timings_of(struct pk_exp_result *r)
{
	const struct pk_exp_stat *d = &r->stat[PK_EXPM_DURATION];
	r->total_cycle_time = d->s.count ? d->s.mean * (double)d->s.count : NAN;
	double ovh = 0;
	size_t novh = 0;
	for (size_t i = 0; i < r->d.ntimings; i++) {
		const struct pk_exp_timing_sum *t = &r->d.timings[i];
		struct pk_exp_timing *o = &r->timings[i];
		o->name = t->name;
		o->count = t->count;
		o->total = t->total;
		o->mean = t->count ? t->total / (double)t->count : NAN;
		o->share = r->total_cycle_time > 0 ? t->total / r->total_cycle_time : NAN;
		if (t->name && strcmp(t->name, "mode_overhead") == 0 && t->count) {
			ovh += t->total;
			novh += t->count;
		}
	}
	r->timing_mode_overhead = novh ? ovh / (double)novh : NAN;
}

/* The recorded bottleneck of the given type (the first), or NULL. */
static const struct pk_exp_recorded *recorded_of(const struct pk_exp_data *d, const char *type)
{
	for (size_t i = 0; i < d->nrecorded; i++)
		if (d->recorded[i].type && strcmp(d->recorded[i].type, type) == 0)
			return &d->recorded[i];
	return NULL;
}

/* A share rule: mean per-cycle time avg against share * M. */
static void share_rule(struct pk_exp_bottleneck *b, double avg, size_t used, double M,
                       double share)
{
	b->count = used;
	b->avg_time_s = avg;
	if (isnan(avg) || !(M > 0))
		return;
	b->evaluated = 1;
	b->value = avg / M;
	b->limit = share;
	b->percentage = 100 * avg / M;
	b->fired = avg > share * M;
}

static void rules_of(struct pk_exp_result *r)
{
	const struct pk_exp_cycles *c = &r->d.c;
	double M = r->stat[PK_EXPM_DURATION].s.mean;
	for (int k = 0; k < PK_RULE_N; k++)
		r->rules[k] = (struct pk_exp_bottleneck){ .type = rule_type[k], .value = NAN,
			.limit = NAN, .percentage = NAN, .avg_time_s = NAN, .max = NAN,
			.recommendation = rule_advice[k] };
	struct pk_exp_bottleneck *b = r->rules;
	share_rule(&b[PK_RULE_LLM], r->stat[PK_EXPM_LLM].s.mean, r->stat[PK_EXPM_LLM].s.count,
	           M, LLM_SHARE);
	if (b[PK_RULE_LLM].fired)
		b[PK_RULE_LLM].severity = "high";
	share_rule(&b[PK_RULE_DB], r->stat[PK_EXPM_DB].s.mean, r->stat[PK_EXPM_DB].s.count,
	           M, DB_SHARE);
	if (b[PK_RULE_DB].fired)
		b[PK_RULE_DB].severity = b[PK_RULE_DB].avg_time_s > DB_SHARE_HIGH * M
		                         ? "high" : "medium";
	double ovh = 0;
	size_t novh = 0;
	for (size_t i = 0; i < c->n; i++) {
		double o = c->duration[i] - c->llm_time[i] - c->db_time[i];
		if (!isnan(o)) {
			ovh += o;
			novh++;
		}
	}
	r->mean_mode_overhead = novh ? ovh / (double)novh : NAN;
	share_rule(&b[PK_RULE_MODE], r->mean_mode_overhead, novh, M, MODE_SHARE);
	if (b[PK_RULE_MODE].fired)
		b[PK_RULE_MODE].severity = "medium";

	struct pk_exp_bottleneck *mp = &b[PK_RULE_MEMORY];
	const struct pk_summary *mem = &r->stat[PK_EXPM_MEM].s;
	mp->count = mem->count;
	mp->max = mem->max;
	if (mem->count && r->d.total_memory_gb > 0) {
		mp->evaluated = 1;
		mp->limit = MEM_SHARE * r->d.total_memory_gb * 1024;
		mp->value = mem->max;
		mp->fired = mem->max > mp->limit;
		if (mp->fired)
			mp->severity = "high";
	}

	struct pk_exp_bottleneck *sc = &b[PK_RULE_SLOW];
	const struct pk_summary *d = &r->stat[PK_EXPM_DURATION].s;
	if (d->count && M > 0) {
		sc->evaluated = 1;
		sc->value = d->max;
		sc->max = d->max;
		sc->limit = SLOW_MAX * M;
		sc->fired = d->max > sc->limit;
		if (sc->fired)
			sc->severity = "medium";
		size_t slow = 0;
		for (size_t i = 0; i < c->n; i++)
			slow += c->duration[i] > SLOW_COUNT * M;   /* NAN compares false */
		sc->count = slow;
	}
	for (int k = 0; k < PK_RULE_N; k++) {
		b[k].recorded = recorded_of(&r->d, b[k].type);
		b[k].agree = b[k].fired == (b[k].recorded != NULL);
	}
}

static void crashes_of(struct pk_exp_result *r)
{
	const struct pk_exp_cycles *c = &r->d.c;
	for (size_t i = 0; i < c->n; i++) {
		if (c->crashed[i] < 0)
			continue;
		r->crash_known++;
		r->crashed += (size_t)c->crashed[i];
	}
	r->crash_rate = r->crash_known ? (double)r->crashed / (double)r->crash_known : NAN;
}

/* Trend of y against the cycle numbers, over cycles where y is present. */
static enum pk_status trend_of(const struct pk_exp_cycles *c, const double *y,
                               struct pk_exp_trend *out)
{
	double *xs = malloc((c->n ? c->n : 1) * 2 * sizeof *xs);
	if (!xs)
		return PK_ERR_NOMEM;
	double *ys = xs + (c->n ? c->n : 1);
	size_t k = 0;
	for (size_t i = 0; i < c->n; i++)
		if (!isnan(y[i]) && !isnan(c->cycle[i])) {
			xs[k] = c->cycle[i];
			ys[k++] = y[i];
		}
	enum pk_status rc = pk_exp_trend_fit(xs, ys, k, out);
	free(xs);
	return rc;
}

enum pk_status pk_experiment_analyze_data(struct pk_exp_data *d, struct pk_exp_result *out)
{
	*out = (struct pk_exp_result){ .d = *d };
	*d = (struct pk_exp_data){ 0 };
	enum pk_status rc = stats_of(out);
	if (rc == PK_OK) {
		out->timings = calloc(out->d.ntimings ? out->d.ntimings : 1, sizeof *out->timings);
		if (!out->timings)
			rc = PK_ERR_NOMEM;
	}
	if (rc == PK_OK) {
		timings_of(out);
		rules_of(out);
		crashes_of(out);
		rc = trend_of(&out->d.c, out->d.c.mem_peak, &out->mem);
	}
	if (rc == PK_OK)
		rc = trend_of(&out->d.c, out->d.c.tps, &out->tps);
	if (rc == PK_OK) {
		const struct pk_exp_trend *m = &out->mem;
		if (isnan(m->p) || isnan(m->growth))
			out->leak = "undefined";
		else if (m->slope > 0 && m->p < LEAK_P && m->growth > LEAK_GROWTH)
			out->leak = "leak";
		else
			out->leak = "no leak";
	}
	if (rc != PK_OK)
		pk_exp_result_free(out);
	return rc;
}

enum pk_status pk_experiment_analyze(struct pk_db *db, const char *id,
                                     struct pk_exp_result *out)
{
	struct pk_exp_data d;
	*out = (struct pk_exp_result){ 0 };
	enum pk_status rc = pk_query_experiment(db, id, &d);
	if (rc != PK_OK)
		return rc;
	return pk_experiment_analyze_data(&d, out);
}

void pk_exp_result_free(struct pk_exp_result *r)
{
	pk_exp_data_free(&r->d);
	free(r->timings);
	for (int m = 0; m < PK_EXPM_N; m++)
		free(r->sorted[m]);
	*r = (struct pk_exp_result){ 0 };
}

void pk_experiment_vs(const struct pk_exp_result *a, const struct pk_exp_result *b,
                      struct pk_exp_vs *out)
{
	const struct pk_summary *da = &a->stat[PK_EXPM_DURATION].s;
	const struct pk_summary *db = &b->stat[PK_EXPM_DURATION].s;
	const struct pk_summary *ta = &a->stat[PK_EXPM_TPS].s;
	const struct pk_summary *tb = &b->stat[PK_EXPM_TPS].s;
	out->welch_duration = pk_welch_p(da->mean, da->var, (double)da->count,
	                                 db->mean, db->var, (double)db->count);
	out->welch_tps = pk_welch_p(ta->mean, ta->var, (double)ta->count,
	                            tb->mean, tb->var, (double)tb->count);
	out->mw_duration = pk_mannwhitney_p(a->sorted[PK_EXPM_DURATION], da->count,
	                                    b->sorted[PK_EXPM_DURATION], db->count);
	out->mw_tps = pk_mannwhitney_p(a->sorted[PK_EXPM_TPS], ta->count,
	                               b->sorted[PK_EXPM_TPS], tb->count);
	out->diff_duration = db->mean - da->mean;
	out->diff_tps = tb->mean - ta->mean;
}
