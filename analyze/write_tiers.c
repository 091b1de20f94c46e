/* write_tiers.c - hardware tiers (perfanalyze --tiers) as text, JSON or
 * CSV (write_tiers.h). */
#include "write_tiers.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../core/csv_write.h"
#include "../core/diag.h"
#include "../core/json_write.h"
#include "../core/timeutil.h"
#include "tiers.h"

#define LAT_METRIC "inference_timing.wake_word_latency_ms.mean"
#define MAPPING_RULE "a registry tier name N stands for the sampler's class C when N == C or " \
	"N begins with C_ (entry_level_mobile is entry_level; high_end_desktop is high_end); " \
	"an exact name wins, then the first prefixed name"
#define OPTIMAL_RULE "from the recommended profile, the first fitting profile in capacity " \
	"order after which the next larger fitting one is not significantly better " \
	"(welch_p_adjusted < alpha and lower mean latency)"

static enum pk_status tri(struct pk_buf *b, const char *k, int v)
{
	enum pk_status rc = pk_json_key(b, k, 1);
	return rc == PK_OK ? pk_buf_puts(b, v < 0 ? "null" : v ? "true" : "false") : rc;
}

static enum pk_status json_use(struct pk_buf *o, const char *k, const char *metric,
                               const char *unit, const struct pk_tier_use *u)
{
	char p99[16], cap[16];
	memcpy(p99, "p99_", 4);
	memcpy(cap, "capacity_", 9);
	strcpy(p99 + 4, unit);
	strcpy(cap + 9, unit);
	enum pk_status rc = pk_json_key(o, k, 1);
	if (rc == PK_OK) rc = pk_buf_putc(o, '{');
	if (rc == PK_OK) rc = pk_json_text_member(o, "metric", metric, 0);
	if (rc == PK_OK) rc = pk_buf_printf(o, ",\"n\":%zu", u->n);
	if (rc == PK_OK) rc = pk_json_num_member(o, p99, u->p99, 1);
	if (rc == PK_OK) rc = pk_json_num_member(o, cap, u->capacity, 1);
	if (rc == PK_OK) rc = pk_json_num_member(o, "share", u->share, 1);
	if (rc == PK_OK) rc = tri(o, "under_limit", u->ok);
	if (rc == PK_OK) rc = pk_json_num_member(o, "with_headroom_gb", u->with_headroom_gb, 1);
	if (rc == PK_OK) rc = pk_json_num_member(o, "required_gb", u->required_gb, 1);
	return rc == PK_OK ? pk_buf_putc(o, '}') : rc;
}

static enum pk_status json_tier(struct pk_buf *o, const struct pk_tiers *t,
                                const struct pk_tier_profile *p)
{
	enum pk_status rc = pk_json_key(o, "registry_tier", 1);
	if (rc != PK_OK || p->tier < 0)
		return rc == PK_OK ? pk_buf_puts(o, "null") : rc;
	const struct pk_registry_tier *r = &t->tiers[p->tier];
	rc = pk_buf_putc(o, '{');
	if (rc == PK_OK) rc = pk_json_text_member(o, "name", r->tier, 0);
	if (rc == PK_OK) rc = pk_json_text_member(o, "match", p->tier_match, 1);
	if (rc == PK_OK) rc = pk_json_text_member(o, "whisper_device", r->whisper_device, 1);
	if (rc == PK_OK) rc = pk_json_text_member(o, "whisper_model", r->whisper_model, 1);
	if (rc == PK_OK) rc = pk_json_text_member(o, "llm_device", r->llm_device, 1);
	if (rc == PK_OK) rc = pk_json_num_member(o, "llm_max_params_b", r->llm_max_params_b, 1);
	if (rc == PK_OK) rc = pk_json_key(o, "concurrent_agents", 1);
	if (rc == PK_OK)
		rc = r->concurrent_agents < 0 ? pk_buf_puts(o, "null")
		     : pk_buf_printf(o, "%lld", (long long)r->concurrent_agents);
	return rc == PK_OK ? pk_buf_putc(o, '}') : rc;
}

static enum pk_status json_profile(struct pk_buf *o, const struct pk_tiers *t,
                                   const struct pk_tier_profile *p)
{
	enum pk_status rc = pk_buf_putc(o, '{');
	if (rc == PK_OK) rc = pk_json_text_member(o, "profile", p->profile, 0);
	if (rc == PK_OK) rc = pk_json_text_member(o, "registry_name", p->reg_name, 1);
	if (rc == PK_OK) rc = pk_json_text_member(o, "detected_name", p->det_name, 1);
	if (rc == PK_OK) rc = pk_json_window_member(o, "window", p->window.from_us, p->window.to_us, 1);
	if (rc == PK_OK) rc = pk_buf_printf(o, ",\"samples\":%zu,\"gpu_memory_mb\":{", p->samples);
	if (rc == PK_OK) rc = pk_json_text_member(o, "source", p->gpu_source, 0);
	if (rc == PK_OK) rc = pk_buf_printf(o, ",\"n\":%zu", p->gpu_n);
	if (rc == PK_OK) rc = pk_json_num_member(o, "value", p->gpu_mb, 1);
	if (rc == PK_OK) rc = pk_buf_puts(o, "},\"ram_gb\":{");
	if (rc == PK_OK) rc = pk_json_text_member(o, "source", p->ram_source, 0);
	if (rc == PK_OK) rc = pk_buf_printf(o, ",\"n\":%zu", p->ram_n);
	if (rc == PK_OK) rc = pk_json_num_member(o, "value", p->ram_gb, 1);
	if (rc == PK_OK) rc = pk_json_text_member(o, "rule", p->ram_rule, 1);
	if (rc == PK_OK) rc = pk_buf_putc(o, '}');
	if (rc == PK_OK) rc = pk_json_text_member(o, "gpu_name", p->gpu_name, 1);
	if (rc == PK_OK) rc = pk_json_text_member(o, "gpu_name_source", p->gpu_name_source, 1);
	if (rc == PK_OK) rc = pk_buf_printf(o, ",\"gpus\":%ld", p->gpus);
	if (rc == PK_OK) rc = tri(o, "gpu_unknown", p->gpu_unknown);
	if (rc == PK_OK) rc = pk_json_num_member(o, "cpu_threads", p->cpu_threads, 1);
	if (rc == PK_OK) rc = pk_json_text_member(o, "cpu_threads_source", p->cpu_threads_source, 1);
	if (rc == PK_OK) rc = tri(o, "has_gpu", p->has_gpu);
	if (rc == PK_OK) rc = pk_json_text_member(o, "class", pk_tier_class_str(p->cls), 1);
	if (rc == PK_OK) rc = tri(o, "class_at_least", pk_tier_class_open(p));
	if (rc == PK_OK) rc = json_tier(o, t, p);
	if (rc == PK_OK) rc = pk_json_text_member(o, "configured_tier", p->configured_tier, 1);
	if (rc == PK_OK) rc = tri(o, "configured_agrees", p->configured_agrees);
	if (rc == PK_OK) rc = pk_buf_puts(o, ",\"latency\":{");
	if (rc == PK_OK) rc = pk_json_text_member(o, "metric", LAT_METRIC, 0);
	if (rc == PK_OK) rc = pk_buf_printf(o, ",\"n\":%zu", p->lat_n);
	if (rc == PK_OK) rc = pk_json_num_member(o, "mean", p->lat_mean, 1);
	if (rc == PK_OK) rc = pk_json_num_member(o, "p95", p->lat_p95, 1);
	if (rc == PK_OK) rc = pk_json_num_member(o, "r1", p->lat_r1, 1);
	if (rc == PK_OK) rc = pk_json_num_member(o, "n_eff", p->lat_n_eff, 1);
	if (rc == PK_OK) rc = pk_json_key(o, "target", 1);
	if (rc == PK_OK && !p->target_metric)
		rc = pk_buf_puts(o, "null");
	else if (rc == PK_OK) {
		rc = pk_buf_putc(o, '{');
		if (rc == PK_OK) rc = pk_json_text_member(o, "profile", p->target_profile, 0);
		if (rc == PK_OK) rc = pk_json_text_member(o, "metric", p->target_metric, 1);
		if (rc == PK_OK) rc = pk_json_num_member(o, "target", p->target, 1);
		if (rc == PK_OK) rc = pk_json_text_member(o, "bound_key", p->bound_key, 1);
		if (rc == PK_OK) rc = pk_json_num_member(o, "bound", p->bound, 1);
		if (rc == PK_OK) rc = pk_json_num_member(o, "acceptable", p->acceptable, 1);
		if (rc == PK_OK) rc = pk_json_text_member(o, "acceptable_from", p->acceptable_from, 1);
		if (rc == PK_OK) rc = pk_buf_putc(o, '}');
	}
	if (rc == PK_OK) rc = tri(o, "meets_acceptable", p->meets_acceptable);
	if (rc == PK_OK) rc = tri(o, "meets_target", p->meets_target);
	if (rc == PK_OK) rc = pk_buf_putc(o, '}');
	if (rc == PK_OK) rc = json_use(o, "vram", "gpu.memory_used_mb", "mb", &p->vram);
	if (rc == PK_OK) rc = json_use(o, "ram", "memory.used_gb", "gb", &p->ram);
	return rc == PK_OK ? pk_buf_putc(o, '}') : rc;
}

static enum pk_status as_is(struct pk_buf *o, const char *s)
{
	return pk_buf_puts(o, s);
}

/* "excluded":[{"profile":..,"rules":[{"rule":..,"value":..,"limit":..,
 * "unknown":..,"text":..}]}] */
static enum pk_status json_excluded(struct pk_buf *o, const struct pk_tiers *t,
                                    enum pk_tier_level lvl)
{
	enum pk_status rc = pk_json_key(o, "excluded", 1);
	if (rc == PK_OK) rc = pk_buf_putc(o, '[');
	int first = 1;
	for (size_t k = 0; k < t->nprofiles && rc == PK_OK; k++) {
		struct pk_tier_failure f[PK_TIER_MAX_FAILURES];
		size_t nf = pk_tier_failures(t, k, lvl, f);
		if (!nf)
			continue;
		rc = pk_buf_puts(o, first ? "{" : ",{");
		first = 0;
		if (rc == PK_OK) rc = pk_json_text_member(o, "profile", t->p[k].profile, 0);
		if (rc == PK_OK) rc = pk_buf_puts(o, ",\"rules\":[");
		for (size_t j = 0; j < nf && rc == PK_OK; j++) {
			struct pk_buf tx = PK_BUF_INIT;
			rc = pk_buf_puts(o, j ? ",{" : "{");
			if (rc == PK_OK) rc = pk_json_text_member(o, "rule", pk_tier_rule_str(f[j].rule), 0);
			if (rc == PK_OK) rc = pk_json_num_member(o, "value", f[j].value, 1);
			if (rc == PK_OK) rc = pk_json_num_member(o, "limit", f[j].limit, 1);
			if (rc == PK_OK) rc = tri(o, "unknown", f[j].unknown);
			if (rc == PK_OK) rc = pk_tier_failure_text(&f[j], &tx);
			if (rc == PK_OK) rc = pk_json_text_member(o, "text", tx.data ? tx.data : "", 1);
			if (rc == PK_OK) rc = pk_buf_putc(o, '}');
			pk_buf_free(&tx);
		}
		if (rc == PK_OK) rc = pk_buf_puts(o, "]}");
	}
	return rc == PK_OK ? pk_buf_putc(o, ']') : rc;
}

static enum pk_status json_choice(struct pk_buf *o, const struct pk_tiers *t,
                                  enum pk_tier_level lvl, long i, const char *rule)
{
	enum pk_status rc = pk_json_key(o, pk_tier_level_str(lvl), 1);
	if (rc != PK_OK)
		return rc;
	rc = pk_buf_putc(o, '{');
	const struct pk_tier_profile *p = i >= 0 ? &t->p[i] : NULL;
	if (rc == PK_OK) rc = pk_json_text_member(o, "profile", p ? p->profile : NULL, 0);
	if (rc == PK_OK && !p) {
		struct pk_buf why = PK_BUF_INIT;
		rc = pk_tier_none_reason(t, lvl, as_is, &why);
		if (rc == PK_OK) rc = pk_json_text_member(o, "reason", why.data ? why.data : "", 1);
		pk_buf_free(&why);
		if (rc == PK_OK) rc = pk_json_text_member(o, "rule", rule, 1);
		if (rc == PK_OK) rc = json_excluded(o, t, lvl);
		return rc == PK_OK ? pk_buf_putc(o, '}') : rc;
	}
	if (rc == PK_OK) rc = pk_json_text_member(o, "gpu_name", p->gpu_name, 1);
	if (rc == PK_OK) rc = pk_json_text_member(o, "gpu_name_source", p->gpu_name_source, 1);
	if (rc == PK_OK) rc = pk_json_num_member(o, "cpu_threads", p->cpu_threads, 1);
	if (rc == PK_OK) rc = pk_json_text_member(o, "cpu_threads_source", p->cpu_threads_source, 1);
	if (rc == PK_OK) rc = pk_json_text_member(o, "class", pk_tier_class_str(p->cls), 1);
	if (rc == PK_OK) rc = pk_json_text_member(o, "registry_tier", p->tier >= 0 ? t->tiers[p->tier].tier : NULL, 1);
	if (rc == PK_OK) rc = pk_json_window_member(o, "window", p->window.from_us, p->window.to_us, 1);
	if (rc == PK_OK) rc = pk_json_num_member(o, "gpu_memory_mb", p->gpu_mb, 1);
	if (rc == PK_OK) rc = pk_json_num_member(o, "ram_gb", p->ram_gb, 1);
	if (rc == PK_OK) rc = pk_buf_printf(o, ",\"latency_n\":%zu", p->lat_n);
	if (rc == PK_OK) rc = pk_json_num_member(o, "latency_p95", p->lat_p95, 1);
	if (rc == PK_OK) rc = pk_json_num_member(o, "latency_p95_ci_low", p->lat_p95_lo, 1);
	if (rc == PK_OK) rc = pk_json_num_member(o, "latency_p95_ci_high", p->lat_p95_hi, 1);
	if (rc == PK_OK) rc = pk_json_num_member(o, "latency_n_eff", p->lat_n_eff, 1);
	if (rc == PK_OK) rc = pk_json_num_member(o, "headroom_need_vram_gb", p->vram.required_gb, 1);
	if (rc == PK_OK) rc = pk_json_num_member(o, "headroom_need_ram_gb", p->ram.required_gb, 1);
	if (rc == PK_OK && lvl == PK_TIER_OPTIMAL) {
		rc = tri(o, "plateau", t->optimal_plateau);
		if (rc == PK_OK) rc = pk_json_text_member(o, "decided_by", "welch_p_adjusted", 1);
		if (rc == PK_OK)
			rc = pk_json_text_member(o, "not_better", t->optimal_next >= 0 ? t->p[t->optimal_next].profile
			         : NULL, 1);
		if (rc == PK_OK) rc = pk_json_num_member(o, "not_better_p", t->optimal_p, 1);
	}
	if (rc == PK_OK) rc = pk_json_text_member(o, "rule", rule, 1);
	if (rc == PK_OK) rc = json_excluded(o, t, lvl);
	return rc == PK_OK ? pk_buf_putc(o, '}') : rc;
}

static enum pk_status write_json(struct pk_buf *o, const struct pk_tiers *t)
{
	enum pk_status rc = pk_buf_printf(o, "{\"schema\":%d", PK_JSON_SCHEMA);
	if (rc == PK_OK) rc = pk_json_num_member(o, "alpha", t->alpha, 1);
	if (rc == PK_OK) rc = pk_json_num_member(o, "headroom", PK_TIERS_HEADROOM, 1);
	if (rc == PK_OK) rc = pk_json_num_member(o, "use_limit", PK_TIERS_USE_LIMIT, 1);
	if (rc == PK_OK) rc = pk_json_text_member(o, "tier_mapping", MAPPING_RULE, 1);
	if (rc == PK_OK) rc = pk_buf_puts(o, ",\"profiles\":[");
	for (size_t i = 0; i < t->nprofiles && rc == PK_OK; i++) {
		rc = i ? pk_buf_putc(o, ',') : PK_OK;
		if (rc == PK_OK) rc = json_profile(o, t, &t->p[i]);
	}
	if (rc == PK_OK) rc = pk_buf_puts(o, "],\"steps\":[");
	for (size_t i = 0; i < t->nsteps && rc == PK_OK; i++) {
		const struct pk_tier_step *s = &t->steps[i];
		rc = pk_buf_puts(o, i ? ",{" : "{");
		if (rc == PK_OK) rc = pk_json_text_member(o, "from", t->p[s->from].profile, 0);
		if (rc == PK_OK) rc = pk_json_text_member(o, "to", t->p[s->to].profile, 1);
		if (rc == PK_OK) rc = pk_buf_printf(o, ",\"n_from\":%zu,\"n_to\":%zu", s->n_from, s->n_to);
		if (rc == PK_OK) rc = pk_json_num_member(o, "mean_from", s->mean_from, 1);
		if (rc == PK_OK) rc = pk_json_num_member(o, "mean_to", s->mean_to, 1);
		if (rc == PK_OK) rc = pk_json_num_member(o, "diff", s->diff, 1);
		if (rc == PK_OK) rc = pk_json_num_member(o, "n_eff_from", s->n_eff_from, 1);
		if (rc == PK_OK) rc = pk_json_num_member(o, "n_eff_to", s->n_eff_to, 1);
		if (rc == PK_OK) rc = pk_json_num_member(o, "welch_p", s->welch_p, 1);
		if (rc == PK_OK) rc = pk_json_num_member(o, "welch_p_adjusted", s->welch_p_adjusted, 1);
		if (rc == PK_OK) rc = pk_json_num_member(o, "mannwhitney_p", s->mannwhitney_p, 1);
		if (rc == PK_OK) rc = tri(o, "significantly_better", s->better);
		if (rc == PK_OK) rc = pk_buf_putc(o, '}');
	}
	if (rc == PK_OK) rc = pk_buf_putc(o, ']');
	if (rc == PK_OK)
		rc = json_choice(o, t, PK_TIER_MINIMUM, t->minimum, "smallest profile whose p95 "
		                 "latency meets its acceptable limit and whose p99 VRAM and RAM use stay "
		                 "under 90 % of capacity");
	if (rc == PK_OK)
		rc = json_choice(o, t, PK_TIER_RECOMMENDED, t->recommended, "smallest profile at or "
		                 "above the minimum whose p95 latency meets its target and whose p99 "
		                 "VRAM and RAM use stay under 90 % of capacity");
	if (rc == PK_OK) rc = json_choice(o, t, PK_TIER_OPTIMAL, t->optimal, OPTIMAL_RULE);
	return rc == PK_OK ? pk_buf_puts(o, "}\n") : rc;
}

/* A CSV field (core/csv_write.h), after a ',' when comma is nonzero. */
static enum pk_status csv_text(struct pk_buf *b, const char *s, int comma)
{
	enum pk_status rc = comma ? pk_buf_putc(b, ',') : PK_OK;
	return rc == PK_OK ? pk_csv_text(b, s) : rc;
}

static enum pk_status csv_tri(struct pk_buf *b, int v)
{
	return pk_buf_puts(b, v < 0 ? "," : v ? ",1" : ",0");
}

/* Three blocks with their headers, separated by an empty line: profiles,
 * steps, choices. */
static enum pk_status write_csv(struct pk_buf *o, const struct pk_tiers *t)
{
	enum pk_status rc = pk_buf_puts(o, "profile,window_from,window_to,samples,gpu_memory_mb,"
	    "gpu_source,gpu_n,ram_gb,ram_source,ram_n,class,registry_tier,tier_match,"
	    "configured_tier,configured_agrees,latency_n,latency_mean,latency_p95,latency_n_eff,"
	    "target_metric,target,bound_key,bound,acceptable,meets_acceptable,meets_target,"
	    "vram_n,vram_p99_mb,vram_share,vram_under_limit,vram_required_gb,ram_n_used,"
	    "ram_p99_gb,ram_share,ram_under_limit,ram_required_gb\n");
	for (size_t i = 0; i < t->nprofiles && rc == PK_OK; i++) {
		const struct pk_tier_profile *p = &t->p[i];
		char a[PK_TIME_ISO_MAX], z[PK_TIME_ISO_MAX];
		pk_time_format_iso(p->window.from_us, a);
		pk_time_format_iso(p->window.to_us, z);
		rc = csv_text(o, p->profile, 0);
		if (rc == PK_OK) rc = pk_buf_printf(o, ",%s,%s,%zu", a, z, p->samples);
		if (rc == PK_OK) rc = pk_csv_num(o, p->gpu_mb);
		if (rc == PK_OK) rc = pk_buf_printf(o, ",%s,%zu", p->gpu_source, p->gpu_n);
		if (rc == PK_OK) rc = pk_csv_num(o, p->ram_gb);
		if (rc == PK_OK) rc = pk_buf_printf(o, ",%s,%zu,%s", p->ram_source, p->ram_n,
		                                    pk_tier_class_str(p->cls));
		if (rc == PK_OK) rc = csv_text(o, p->tier >= 0 ? t->tiers[p->tier].tier : NULL, 1);
		if (rc == PK_OK) rc = csv_text(o, p->tier_match, 1);
		if (rc == PK_OK) rc = csv_text(o, p->configured_tier, 1);
		if (rc == PK_OK) rc = csv_tri(o, p->configured_agrees);
		if (rc == PK_OK) rc = pk_buf_printf(o, ",%zu", p->lat_n);
		if (rc == PK_OK) rc = pk_csv_num(o, p->lat_mean);
		if (rc == PK_OK) rc = pk_csv_num(o, p->lat_p95);
		if (rc == PK_OK) rc = pk_csv_num(o, p->lat_n_eff);
		if (rc == PK_OK) rc = csv_text(o, p->target_metric, 1);
		if (rc == PK_OK) rc = pk_csv_num(o, p->target);
		if (rc == PK_OK) rc = csv_text(o, p->bound_key, 1);
		if (rc == PK_OK) rc = pk_csv_num(o, p->bound);
		if (rc == PK_OK) rc = pk_csv_num(o, p->acceptable);
		if (rc == PK_OK) rc = csv_tri(o, p->meets_acceptable);
		if (rc == PK_OK) rc = csv_tri(o, p->meets_target);
		const struct pk_tier_use *u[2] = { &p->vram, &p->ram };
		for (int k = 0; k < 2 && rc == PK_OK; k++) {
			rc = pk_buf_printf(o, ",%zu", u[k]->n);
			if (rc == PK_OK) rc = pk_csv_num(o, u[k]->p99);
			if (rc == PK_OK) rc = pk_csv_num(o, u[k]->share);
			if (rc == PK_OK) rc = csv_tri(o, u[k]->ok);
			if (rc == PK_OK) rc = pk_csv_num(o, u[k]->required_gb);
		}
		if (rc == PK_OK) rc = pk_buf_putc(o, '\n');
	}
	if (rc == PK_OK)
		rc = pk_buf_puts(o, "\nfrom,to,n_from,n_to,mean_from,mean_to,diff,n_eff_from,n_eff_to,"
		                 "welch_p,welch_p_adjusted,mannwhitney_p,significantly_better\n");
	for (size_t i = 0; i < t->nsteps && rc == PK_OK; i++) {
		const struct pk_tier_step *s = &t->steps[i];
		rc = csv_text(o, t->p[s->from].profile, 0);
		if (rc == PK_OK) rc = csv_text(o, t->p[s->to].profile, 1);
		if (rc == PK_OK) rc = pk_buf_printf(o, ",%zu,%zu", s->n_from, s->n_to);
		double v[] = { s->mean_from, s->mean_to, s->diff, s->n_eff_from, s->n_eff_to,
		               s->welch_p, s->welch_p_adjusted, s->mannwhitney_p };
		for (size_t k = 0; k < sizeof v / sizeof v[0] && rc == PK_OK; k++)
			rc = pk_csv_num(o, v[k]);
		if (rc == PK_OK) rc = pk_buf_printf(o, ",%d\n", s->better);
	}
	if (rc == PK_OK)
		rc = pk_buf_puts(o, "\nchoice,profile,required_vram_gb,required_ram_gb\n");
	const char *names[3] = { "minimum", "recommended", "optimal" };
	long idx[3] = { t->minimum, t->recommended, t->optimal };
	for (int k = 0; k < 3 && rc == PK_OK; k++) {
		rc = pk_buf_puts(o, names[k]);
		if (rc == PK_OK) rc = csv_text(o, idx[k] >= 0 ? t->p[idx[k]].profile : NULL, 1);
		if (rc == PK_OK) rc = pk_csv_num(o, idx[k] >= 0 ? t->p[idx[k]].vram.required_gb : NAN);
		if (rc == PK_OK) rc = pk_csv_num(o, idx[k] >= 0 ? t->p[idx[k]].ram.required_gb : NAN);
		if (rc == PK_OK) rc = pk_buf_putc(o, '\n');
	}
	return rc;
}

/* "\n  facts      GPU NAME (source), 2 GPUs (index 0 stands for the
 * machine), 16 CPU threads (source)". */
static enum pk_status text_facts(struct pk_buf *o, const struct pk_tier_profile *p)
{
	enum pk_status rc = pk_buf_printf(o, "\n  %-10s GPU ", "facts");
	if (rc == PK_OK && p->gpu_name) {
		rc = pk_buf_put_printable(o, p->gpu_name, strlen(p->gpu_name));
		if (rc == PK_OK) rc = pk_buf_printf(o, " (%s)", p->gpu_name_source);
	} else if (rc == PK_OK) {
		rc = pk_buf_puts(o, p->has_gpu ? "name unknown" : p->gpu_unknown
		                 ? "unknown (no nvidia-smi log, F1 samples or detection)" : "none");
	}
	if (rc == PK_OK && p->gpus > 1)
		rc = pk_buf_printf(o, ", %ld GPUs (the lowest index stands for the machine)", p->gpus);
	if (rc == PK_OK && isnan(p->cpu_threads))
		rc = pk_buf_puts(o, ", CPU threads unknown");
	else if (rc == PK_OK)
		rc = pk_buf_printf(o, ", %.0f CPU threads (%s)", p->cpu_threads, p->cpu_threads_source);
	return rc;
}

static const char *yes_no(int v)
{
	return v < 0 ? "unknown" : v ? "yes" : "no";
}

static enum pk_status text_use(struct pk_buf *o, const char *label, const char *unit,
                               const struct pk_tier_use *u)
{
	char p[32], c[32], sh[32], h[32], r[32];
	pk_fmt_stat(u->p99, p, sizeof p);
	pk_fmt_stat(u->capacity, c, sizeof c);
	pk_fmt_stat(100 * u->share, sh, sizeof sh);
	pk_fmt_stat(u->with_headroom_gb, h, sizeof h);
	pk_fmt_stat(u->required_gb, r, sizeof r);
	return pk_buf_printf(o, "  %-10s p99 %s %s of %s (%s %%, under 90 %%: %s), n=%zu; "
	                     "+20 %% = %s GB -> needs %s GB\n", label, p, unit, c, sh,
	                     yes_no(u->ok), u->n, h, r);
}

static enum pk_status text_profile(struct pk_buf *o, const struct pk_tiers *t,
                                   const struct pk_tier_profile *p)
{
	char a[PK_TIME_ISO_MAX], z[PK_TIME_ISO_MAX], s1[32], s2[32], s3[32], s4[32], s5[32];
	pk_time_format_iso(p->window.from_us, a);
	pk_time_format_iso(p->window.to_us, z);
	enum pk_status rc = pk_buf_puts(o, "profile ");
	if (rc == PK_OK) rc = pk_buf_put_printable(o, p->profile, strlen(p->profile));
	if (rc == PK_OK && (p->reg_name || p->det_name)) {
		rc = pk_buf_puts(o, " (registry ");
		if (rc == PK_OK) rc = pk_buf_put_printable(o, p->reg_name ? p->reg_name : "-",
		                                           strlen(p->reg_name ? p->reg_name : "-"));
		if (rc == PK_OK) rc = pk_buf_puts(o, ", detected ");
		if (rc == PK_OK) rc = pk_buf_put_printable(o, p->det_name ? p->det_name : "-",
		                                           strlen(p->det_name ? p->det_name : "-"));
		if (rc == PK_OK) rc = pk_buf_putc(o, ')');
	}
	if (rc == PK_OK) rc = pk_buf_printf(o, "\n  %-10s %s .. %s, %zu samples\n", "window", a, z,
	                                    p->samples);
	pk_fmt_stat(p->gpu_mb, s1, sizeof s1);
	pk_fmt_stat(p->ram_gb, s2, sizeof s2);
	if (rc == PK_OK) rc = pk_buf_printf(o, "  %-10s %s MB from %s", "GPU memory", s1, p->gpu_source);
	if (rc == PK_OK && !strcmp(p->gpu_source, "samples"))
		rc = pk_buf_printf(o, " (max used+free over %zu)", p->gpu_n);
	if (rc == PK_OK && !strcmp(p->gpu_source, "nvidia-smi"))
		rc = pk_buf_puts(o, " (memory.total, newest rows)");
	if (rc == PK_OK) rc = pk_buf_printf(o, "\n  %-10s %s GB from %s", "RAM", s2, p->ram_source);
	if (rc == PK_OK && !strcmp(p->ram_source, "samples"))
		rc = pk_buf_printf(o, " (max used+available over %zu)", p->ram_n);
	if (rc == PK_OK && p->ram_rule)
		rc = pk_buf_printf(o, " (%s, newest row)", p->ram_rule);
	if (rc == PK_OK) rc = text_facts(o, p);
	if (rc == PK_OK) rc = pk_buf_printf(o, "\n  %-10s %s", "class", pk_tier_class_str(p->cls));
	if (rc == PK_OK && pk_tier_class_open(p))
		rc = pk_buf_printf(o, " (%s unknown: at least this class)",
		                   isnan(p->gpu_mb) && isnan(p->ram_gb) ? "VRAM and RAM"
		                   : isnan(p->ram_gb) ? "RAM" : "VRAM");
	if (rc == PK_OK && p->tier >= 0) {
		const struct pk_registry_tier *r = &t->tiers[p->tier];
		pk_fmt_stat(r->llm_max_params_b, s1, sizeof s1);
		rc = pk_buf_puts(o, " = registry tier ");
		if (rc == PK_OK) rc = pk_buf_put_printable(o, r->tier, strlen(r->tier));
		if (rc == PK_OK) rc = pk_buf_printf(o, " (%s): whisper ", p->tier_match);
		const char *f[3] = { r->whisper_device, r->whisper_model, r->llm_device };
		for (int k = 0; k < 3 && rc == PK_OK; k++) {
			const char *v = f[k] ? f[k] : "-";
			if (k == 1) rc = pk_buf_putc(o, '/');
			if (k == 2) rc = pk_buf_puts(o, ", LLM ");
			if (rc == PK_OK) rc = pk_buf_put_printable(o, v, strlen(v));
		}
		if (rc == PK_OK) rc = pk_buf_printf(o, " up to %s B params, ", s1);
		if (rc == PK_OK)
			rc = r->concurrent_agents < 0 ? pk_buf_puts(o, "- agents")
			     : pk_buf_printf(o, "%lld agent(s)", (long long)r->concurrent_agents);
	} else if (rc == PK_OK) {
		rc = pk_buf_puts(o, " (no registry tier of that name)");
	}
	if (rc == PK_OK && p->configured_tier) {
		rc = pk_buf_puts(o, "; configured ");
		if (rc == PK_OK) rc = pk_buf_put_printable(o, p->configured_tier, strlen(p->configured_tier));
		if (rc == PK_OK) rc = pk_buf_puts(o, p->configured_agrees ? " (agrees)" : " (differs)");
	}
	pk_fmt_stat(p->lat_p95, s1, sizeof s1);
	pk_fmt_stat(p->lat_mean, s2, sizeof s2);
	pk_fmt_stat(p->lat_n_eff, s3, sizeof s3);
	if (rc == PK_OK && p->lat_n == 0)
		rc = pk_buf_printf(o, "\n  %-10s none in the window: no tier can be proven without "
		                   "%s (perfkit's sampler logs it; nvidia-smi and sysstat do not: "
		                   "perfingest --alias links this machine's F1 profile)", "latency",
		                   LAT_METRIC);
	else if (rc == PK_OK)
		rc = pk_buf_printf(o, "\n  %-10s p95 %s ms, n=%zu (mean %s, n_eff %s)", "latency", s1,
		                   p->lat_n, s2, s3);
	if (rc == PK_OK && p->target_metric) {
		pk_fmt_stat(p->target, s4, sizeof s4);
		pk_fmt_stat(p->acceptable, s5, sizeof s5);
		rc = pk_buf_puts(o, "; target ");
		if (rc == PK_OK) rc = pk_buf_put_printable(o, p->target_metric, strlen(p->target_metric));
		if (rc == PK_OK)
			rc = pk_buf_printf(o, " %s, acceptable %s (%s%s%s): meets acceptable %s, target %s",
			                   s4, s5, p->acceptable_from ? p->acceptable_from : "-",
			                   p->bound_key ? " " : "", p->bound_key ? p->bound_key : "",
			                   yes_no(p->meets_acceptable), yes_no(p->meets_target));
	} else if (rc == PK_OK) {
		rc = pk_buf_puts(o, "; no latency target in the registry");
	}
	if (rc == PK_OK) rc = pk_buf_putc(o, '\n');
	if (rc == PK_OK) rc = text_use(o, "VRAM use", "MB", &p->vram);
	if (rc == PK_OK) rc = text_use(o, "RAM use", "GB", &p->ram);
	return rc;
}

static enum pk_status put_printable(struct pk_buf *o, const char *s)
{
	return pk_buf_put_printable(o, s, strlen(s));
}

/* The tier's line: the proving machine's spec (its capacity, not the
 * headroom need), its evidence, or why there is none; then every profile
 * excluded from the tier with the rules it failed. */
static enum pk_status text_choice(struct pk_buf *o, const struct pk_tiers *t,
                                  enum pk_tier_level lvl, long i)
{
	enum pk_status rc = pk_buf_printf(o, "%-12s ", pk_tier_level_str(lvl));
	if (rc == PK_OK && i < 0) {
		rc = pk_buf_puts(o, "none: ");
		if (rc == PK_OK) rc = pk_tier_none_reason(t, lvl, put_printable, o);
		if (rc == PK_OK) rc = pk_buf_putc(o, '\n');
	} else if (rc == PK_OK) {
		const struct pk_tier_profile *p = &t->p[i];
		char g[32], r[32], c[32], l[32], lo[32], hi[32];
		pk_fmt_stat(p->gpu_mb, g, sizeof g);
		pk_fmt_stat(p->ram_gb, r, sizeof r);
		if (isnan(p->cpu_threads))
			snprintf(c, sizeof c, "-");
		else
			snprintf(c, sizeof c, "%.0f", p->cpu_threads);
		pk_fmt_stat(p->lat_p95, l, sizeof l);
		pk_fmt_stat(p->lat_p95_lo, lo, sizeof lo);
		pk_fmt_stat(p->lat_p95_hi, hi, sizeof hi);
		rc = put_printable(o, p->profile);
		if (rc == PK_OK)
			rc = pk_buf_printf(o, ": %s GPU", pk_tier_class_str(p->cls));
		if (rc == PK_OK && p->gpu_name) {
			rc = pk_buf_putc(o, ' ');
			if (rc == PK_OK) rc = put_printable(o, p->gpu_name);
			if (rc == PK_OK && strcmp(p->gpu_name_source, "registry") == 0)
				rc = pk_buf_puts(o, " (registry's name)");
			else if (rc == PK_OK && strcmp(p->gpu_name_source, "nvidia-smi") == 0)
				rc = pk_buf_puts(o, " (nvidia-smi)");
		}
		if (rc == PK_OK)
			rc = pk_buf_printf(o, ", VRAM %s MB, RAM %s GB, %s CPU threads (p95 latency %s ms, "
			                   "95 %% CI %s..%s, n=%zu)\n", g, r, c, l, lo, hi, p->lat_n);
	}
	for (size_t k = 0; k < t->nprofiles && rc == PK_OK; k++) {
		struct pk_tier_failure f[PK_TIER_MAX_FAILURES];
		size_t nf = pk_tier_failures(t, k, lvl, f);
		for (size_t j = 0; j < nf && rc == PK_OK; j++) {
			rc = pk_buf_puts(o, j ? "; " : "             excluded ");
			if (rc == PK_OK && j == 0) rc = put_printable(o, t->p[k].profile);
			if (rc == PK_OK && j == 0) rc = pk_buf_puts(o, ": ");
			if (rc == PK_OK) rc = pk_tier_failure_text(&f[j], o);
		}
		if (rc == PK_OK && nf) rc = pk_buf_putc(o, '\n');
	}
	return rc;
}

static enum pk_status write_text(struct pk_buf *o, const struct pk_tiers *t)
{
	enum pk_status rc = pk_buf_puts(o, "tier mapping: " MAPPING_RULE "\n\n");
	for (size_t i = 0; i < t->nprofiles && rc == PK_OK; i++) {
		rc = text_profile(o, t, &t->p[i]);
		if (rc == PK_OK) rc = pk_buf_putc(o, '\n');
	}
	if (rc == PK_OK && t->nsteps)
		rc = pk_buf_printf(o, "latency steps in capacity order (adjusted Welch p decides, "
		                   "alpha 0.05)\n%-24s %-24s %10s %10s %10s %10s %8s\n", "from", "to",
		                   "diff ms", "welch_p", "adj_p", "mw_p", "better");
	for (size_t i = 0; i < t->nsteps && rc == PK_OK; i++) {
		const struct pk_tier_step *s = &t->steps[i];
		char d[32], w[32], wa[32], mw[32];
		pk_fmt_stat(s->diff, d, sizeof d);
		pk_fmt_p(s->welch_p, w, sizeof w);
		pk_fmt_p(s->welch_p_adjusted, wa, sizeof wa);
		pk_fmt_p(s->mannwhitney_p, mw, sizeof mw);
		const char *a = t->p[s->from].profile, *b = t->p[s->to].profile;
		rc = pk_buf_put_printable(o, a, strlen(a));
		if (rc == PK_OK) rc = pk_buf_printf(o, "%*s", strlen(a) < 24 ? (int)(25 - strlen(a)) : 1, "");
		if (rc == PK_OK) rc = pk_buf_put_printable(o, b, strlen(b));
		if (rc == PK_OK) rc = pk_buf_printf(o, "%*s", strlen(b) < 24 ? (int)(24 - strlen(b)) : 0, "");
		if (rc == PK_OK)
			rc = pk_buf_printf(o, " %10s %10s %10s %10s %8s\n", d, w, wa, mw,
			                   s->better ? "yes" : "no");
	}
	if (rc == PK_OK && t->nsteps) rc = pk_buf_putc(o, '\n');
	if (rc == PK_OK) rc = text_choice(o, t, PK_TIER_MINIMUM, t->minimum);
	if (rc == PK_OK) rc = text_choice(o, t, PK_TIER_RECOMMENDED, t->recommended);
	if (rc == PK_OK) rc = text_choice(o, t, PK_TIER_OPTIMAL, t->optimal);
	if (rc == PK_OK && t->optimal >= 0 && !t->optimal_plateau)
		rc = pk_buf_puts(o, "             (every step was significantly better: no plateau "
		                 "seen, more hardware may still help)\n");
	return rc;
}

enum pk_status pk_write_tiers(struct pk_buf *out, enum pk_format f,
                              const struct pk_tiers *r)
{
	if (f == PK_FMT_JSON)
		return write_json(out, r);
	if (f == PK_FMT_CSV)
		return write_csv(out, r);
	return write_text(out, r);
}
