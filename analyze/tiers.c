/* tiers.c - hardware tiers and requirements from the data (tiers.h):
 * classification by the sampler's rule, registry tier mapping, latency and
 * memory requirements, minimum / recommended / optimal profile. */
#include "tiers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/diag.h"
#include "../core/metrics.h"
#include "capacity.h"
#include "stats.h"

static const char *const class_names[] = { "cpu_only", "entry_level", "mid_range", "high_end" };

const char *pk_tier_class_str(enum pk_tier_class c)
{
	return (unsigned)c < 4 ? class_names[c] : "?";
}

enum pk_tier_class pk_tier_classify(double gpu_mb, double ram_gb, int has_gpu)
{
	if (gpu_mb >= 8000 && ram_gb >= 24)
		return PK_TIER_HIGH_END;
	if (gpu_mb >= 4000 && ram_gb >= 16)
		return PK_TIER_MID_RANGE;
	if (has_gpu && ram_gb >= 8)
		return PK_TIER_ENTRY_LEVEL;
	return PK_TIER_CPU_ONLY;
}

int pk_tier_class_open(const struct pk_tier_profile *p)
{
	return p->cls != PK_TIER_HIGH_END &&
	       (isnan(p->ram_gb) || (isnan(p->gpu_mb) && (p->has_gpu || p->gpu_unknown)));
}

int pk_tier_name_matches(const char *name, enum pk_tier_class c)
{
	const char *cn = pk_tier_class_str(c);
	size_t k = strlen(cn);
	return name && strncmp(name, cn, k) == 0 && (name[k] == '\0' || name[k] == '_');
}

double pk_tier_round_size(double gb)
{
	static const double sizes[] = { 2, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128 };
	if (isnan(gb))
		return NAN;
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
		if (sizes[i] >= gb)
			return sizes[i];
	return NAN;
}

/* Present values of metric `name` of s, sorted ascending, into a malloc'd
 * array (*sorted, NULL when none); r1 (when not NULL) in time order. */
static enum pk_status present_sorted(const struct pk_hw_series *s, const char *name,
                                     double **sorted, size_t *n, double *r1)
{
	size_t idx = 0;
	*sorted = NULL;
	*n = 0;
	if (r1)
		*r1 = NAN;
	if (!pk_hw_metric_find(name, &idx) || !s || s->n == 0)
		return PK_OK;
	double *v = malloc(s->n * sizeof *v);
	if (!v)
		return PK_ERR_NOMEM;
	size_t m = pk_drop_missing(s->v[idx], s->n, v);
	if (r1)
		*r1 = pk_lag1_autocorr(v, m);
	if (m && pk_sort_doubles(v, m) != 0) {
		free(v);
		return PK_ERR_NOMEM;
	}
	if (m == 0) {
		free(v);
		v = NULL;
	}
	*sorted = v;
	*n = m;
	return PK_OK;
}

static enum pk_status dup(const char *s, char **out)
{
	*out = NULL;
	if (!s)
		return PK_OK;
	*out = strdup(s);
	return *out ? PK_OK : PK_ERR_NOMEM;
}

/* Capacities, class, registry tier, configured tier (precedence: tiers.h). */
static enum pk_status classify_profile(struct pk_tier_profile *p, const struct pk_tier_input *in,
                                       const struct pk_registry_tier *tiers, size_t ntiers)
{
	const struct pk_tier_facts *f = in->f;
	p->gpus = f ? f->log_gpus : 0;
	if (f && f->log_gpu_memory_mb > 0) {
		p->gpu_mb = f->log_gpu_memory_mb;
		p->gpu_source = "nvidia-smi";
	} else {
		p->gpu_mb = pk_series_capacity(in->s, "gpu.memory_used_mb", "gpu.memory_free_mb",
		                               &p->gpu_n);
		p->gpu_source = "samples";
	}
	if (isnan(p->gpu_mb)) {
		p->gpu_n = 0;
		if (f && f->det_gpu_memory_mb > 0) {
			p->gpu_mb = f->det_gpu_memory_mb;
			p->gpu_source = "detected_system";
		} else if (f && f->reg_gpu_memory_gb >= 0) {
			p->gpu_mb = f->reg_gpu_memory_gb * 1024;
			p->gpu_source = "registry";
		} else {
			p->gpu_source = "none";
		}
	}
	if (f && f->log_ram_gb > 0) {
		p->ram_gb = f->log_ram_gb;
		p->ram_source = "sysstat";
		p->ram_rule = f->log_ram_rule;
	} else {
		p->ram_gb = pk_series_capacity(in->s, "memory.used_gb", "memory.available_gb",
		                               &p->ram_n);
		p->ram_source = "samples";
	}
	if (isnan(p->ram_gb)) {
		p->ram_n = 0;
		if (f && f->det_memory_total_gb > 0) {
			p->ram_gb = f->det_memory_total_gb;
			p->ram_source = "detected_system";
		} else if (f && f->reg_memory_total_gb > 0) {
			p->ram_gb = f->reg_memory_total_gb;
			p->ram_source = "registry";
		} else {
			p->ram_source = "none";
		}
	}
	p->has_gpu = p->gpu_mb > 0 || p->gpus > 0 || (f && f->det_gpu_available == 1);
	p->gpu_unknown = isnan(p->gpu_mb) && !p->has_gpu && f && f->gpu_unlogged;
	p->cls = pk_tier_classify(p->gpu_mb, p->ram_gb, p->has_gpu);
	p->tier = -1;
	for (size_t i = 0; i < ntiers && p->tier < 0; i++)
		if (strcmp(tiers[i].tier, pk_tier_class_str(p->cls)) == 0) {
			p->tier = (long)i;
			p->tier_match = "exact";
		}
	for (size_t i = 0; i < ntiers && p->tier < 0; i++)
		if (pk_tier_name_matches(tiers[i].tier, p->cls)) {
			p->tier = (long)i;
			p->tier_match = "prefix";
		}
	p->configured_agrees = -1;
	if (f && f->reg_gpu_tier)
		p->configured_agrees = pk_tier_name_matches(f->reg_gpu_tier, p->cls);
	p->cpu_threads = NAN;
	p->cpu_threads_source = NULL;
	if (f && f->log_cpu_threads > 0) {
		p->cpu_threads = f->log_cpu_threads;
		p->cpu_threads_source = "sysstat";
	} else if (f && f->det_cpu_threads > 0) {
		p->cpu_threads = f->det_cpu_threads;
		p->cpu_threads_source = "detected";
	} else if (f && f->reg_cpu_threads > 0) {
		p->cpu_threads = f->reg_cpu_threads;
		p->cpu_threads_source = "registry";
	}
	const char *gname = NULL;
	p->gpu_name_source = NULL;
	if (f && f->log_gpu_name && *f->log_gpu_name) {
		gname = f->log_gpu_name;
		p->gpu_name_source = "nvidia-smi";
	} else if (f && f->det_gpu_name && *f->det_gpu_name) {
		gname = f->det_gpu_name;
		p->gpu_name_source = "detected";
	} else if (f && f->reg_gpu_name) {
		gname = f->reg_gpu_name;
		p->gpu_name_source = "registry";
	}
	enum pk_status rc = dup(gname, &p->gpu_name);
	if (rc == PK_OK) rc = dup(f ? f->reg_name : NULL, &p->reg_name);
	if (rc == PK_OK) rc = dup(f ? f->det_name : NULL, &p->det_name);
	if (rc == PK_OK) rc = dup(f ? f->reg_gpu_tier : NULL, &p->configured_tier);
	return rc;
}

/* p99 use of metric against capacity; to_gb converts the metric to GB. */
static enum pk_status use_of(const struct pk_hw_series *s, const char *metric, double capacity,
                             double to_gb, int no_device, struct pk_tier_use *u)
{
	double *v;
	enum pk_status rc = present_sorted(s, metric, &v, &u->n, NULL);
	if (rc != PK_OK)
		return rc;
	u->p99 = pk_quantile_sorted(v, u->n, 0.99);
	free(v);
	u->capacity = capacity;
	u->share = capacity > 0 ? u->p99 / capacity : NAN;
	if (isnan(u->share))
		u->ok = u->n == 0 && no_device ? 1 : -1;
	else
		u->ok = u->share < PK_TIERS_USE_LIMIT;
	u->with_headroom_gb = u->p99 * PK_TIERS_HEADROOM / to_gb;
	u->required_gb = pk_tier_round_size(u->with_headroom_gb);
	return PK_OK;
}

static int tri_le(double x, double limit)
{
	return isnan(x) || isnan(limit) ? -1 : x <= limit;
}

/* Latency, target and memory use of one profile; *lat gets its sorted
 * latency values (owned by the caller). */
static enum pk_status measure_profile(struct pk_tier_profile *p, const struct pk_tier_input *in,
                                      double **lat)
{
	const struct pk_tier_facts *f = in->f;
	enum pk_status rc = present_sorted(in->s, "inference_timing.wake_word_latency_ms.mean",
	                                   lat, &p->lat_n, &p->lat_r1);
	if (rc != PK_OK)
		return rc;
	struct pk_summary sum;
	pk_summary_sorted(*lat, p->lat_n, &sum);
	p->lat_mean = sum.mean;
	p->lat_var = sum.var;
	p->lat_p95 = sum.p95;
	p->lat_n_eff = p->lat_n ? pk_n_eff(p->lat_n, p->lat_r1) : NAN;
	double ne = isnan(p->lat_n_eff) ? (double)p->lat_n : p->lat_n_eff;
	double h = ne > 0 ? 1.959963984540054 * sqrt(0.95 * 0.05 / ne) : NAN;
	p->lat_p95_lo = p->lat_n ? pk_quantile_sorted(*lat, p->lat_n, fmax(0.0, 0.95 - h)) : NAN;
	p->lat_p95_hi = p->lat_n ? pk_quantile_sorted(*lat, p->lat_n, fmin(1.0, 0.95 + h)) : NAN;
	p->target = p->bound = p->acceptable = NAN;
	if (f && f->lat_metric) {
		p->target = f->lat_target;
		p->bound = f->lat_bound;
		const char *k = f->lat_bound_key;
		int upper = k && (!strcmp(k, "acceptable_max") || !strcmp(k, "critical_threshold"));
		if (upper && !isnan(p->bound)) {
			p->acceptable = p->bound;
			p->acceptable_from = "bound";
		} else if (!isnan(p->target)) {
			p->acceptable = p->target;
			p->acceptable_from = "target";
		}
		rc = dup(f->lat_profile, &p->target_profile);
		if (rc == PK_OK) rc = dup(f->lat_metric, &p->target_metric);
		if (rc == PK_OK) rc = dup(f->lat_bound_key, &p->bound_key);
		if (rc != PK_OK)
			return rc;
	}
	p->meets_acceptable = tri_le(p->lat_p95, p->acceptable);
	p->meets_target = tri_le(p->lat_p95, p->target);
	rc = use_of(in->s, "gpu.memory_used_mb", p->gpu_mb, 1024, !p->has_gpu && !p->gpu_unknown,
	            &p->vram);
	if (rc == PK_OK)
		rc = use_of(in->s, "memory.used_gb", p->ram_gb, 1, 0, &p->ram);
	p->fits = p->vram.ok == 0 || p->ram.ok == 0 ? 0 : p->vram.ok == 1 && p->ram.ok == 1 ? 1 : -1;
	p->walk_next = -1;
	p->walk_p = NAN;
	return rc;
}

/* Capacity order: gpu_mb, ram_gb, cpu_threads (NAN first), then name. */
static int cmp_nan_first(double a, double b)
{
	if (isnan(a) || isnan(b))
		return isnan(b) - isnan(a);
	return (a > b) - (a < b);
}

struct order_item {
	struct pk_tier_profile p;
	double *lat;
};

static int cmp_capacity(const void *x, const void *y)
{
	const struct pk_tier_profile *a = &((const struct order_item *)x)->p;
	const struct pk_tier_profile *b = &((const struct order_item *)y)->p;
	int c = cmp_nan_first(a->gpu_mb, b->gpu_mb);
	if (!c)
		c = cmp_nan_first(a->ram_gb, b->ram_gb);
	if (!c)
		c = cmp_nan_first(a->cpu_threads, b->cpu_threads);
	return c ? c : strcmp(a->profile, b->profile);
}

static double adjusted_p(const struct pk_tier_profile *a, const struct pk_tier_profile *b)
{
	return pk_welch_p(a->lat_mean, a->lat_var, a->lat_n_eff, b->lat_mean, b->lat_var, b->lat_n_eff);
}

/* Every step between consecutive profiles with latency (pairwise view). */
static void all_steps(struct pk_tiers *t, double **lat)
{
	long prev = -1;
	for (size_t i = 0; i < t->nprofiles; i++) {
		const struct pk_tier_profile *b = &t->p[i];
		if (b->lat_n < 2)
			continue;
		if (prev >= 0) {
			const struct pk_tier_profile *a = &t->p[prev];
			struct pk_tier_step *s = &t->steps[t->nsteps++];
			s->from = (size_t)prev;
			s->to = i;
			s->n_from = a->lat_n;
			s->n_to = b->lat_n;
			s->mean_from = a->lat_mean;
			s->mean_to = b->lat_mean;
			s->diff = b->lat_mean - a->lat_mean;
			s->n_eff_from = a->lat_n_eff;
			s->n_eff_to = b->lat_n_eff;
			s->welch_p = pk_welch_p(a->lat_mean, a->lat_var, (double)a->lat_n,
			                        b->lat_mean, b->lat_var, (double)b->lat_n);
			s->welch_p_adjusted = adjusted_p(a, b);
			s->mannwhitney_p = pk_mannwhitney_p(lat[prev], a->lat_n, lat[i], b->lat_n);
			s->better = s->welch_p_adjusted < t->alpha && s->diff < 0;
		}
		prev = (long)i;
	}
}

/* Minimum, recommended, then the optimal walk from the recommended one
 * (tiers.h); each starts where the one below it is, so they are ordered. */
static void choose(struct pk_tiers *t, double **lat)
{
	t->minimum = t->recommended = t->optimal = t->optimal_next = -1;
	t->optimal_p = NAN;
	for (size_t i = 0; i < t->nprofiles && t->minimum < 0; i++)
		if (t->p[i].fits == 1 && t->p[i].meets_acceptable == 1)
			t->minimum = (long)i;
	for (size_t i = t->minimum < 0 ? t->nprofiles : (size_t)t->minimum;
	     i < t->nprofiles && t->recommended < 0; i++)
		if (t->p[i].fits == 1 && t->p[i].meets_target == 1)
			t->recommended = (long)i;
	all_steps(t, lat);
	if (t->recommended < 0)
		return;
	size_t cur = (size_t)t->recommended;
	for (size_t j = cur + 1; j < t->nprofiles; j++) {
		struct pk_tier_profile *a = &t->p[cur];
		const struct pk_tier_profile *b = &t->p[j];
		if (b->fits != 1 || b->lat_n < 2 || a->lat_n < 2)
			continue;
		a->walk_next = (long)j;
		a->walk_p = adjusted_p(a, b);
		if (!(a->walk_p < t->alpha && b->lat_mean < a->lat_mean)) {
			t->optimal = (long)cur;
			t->optimal_plateau = 1;
			t->optimal_next = (long)j;
			t->optimal_p = a->walk_p;
			return;
		}
		cur = j;
	}
	t->optimal = (long)cur;
}

const char *pk_tier_level_str(enum pk_tier_level l)
{
	static const char *const names[] = { "minimum", "recommended", "optimal" };
	return (unsigned)l < 3 ? names[l] : "?";
}

const char *pk_tier_rule_str(enum pk_tier_rule r)
{
	static const char *const names[] = {
		"p99 VRAM use under 90 % of capacity",
		"p99 RAM use under 90 % of capacity",
		"p95 latency within the acceptable limit",
		"p95 latency within the target",
		"smaller than the tier below",
		"a larger machine is significantly faster",
		"not significantly faster than the optimal",
	};
	return (unsigned)r < sizeof names / sizeof names[0] ? names[r] : "?";
}

static void add_failure(struct pk_tier_failure *out, size_t *n, enum pk_tier_rule r,
                        int ok, double value, double limit)
{
	if (ok == 1)
		return;
	out[*n] = (struct pk_tier_failure){ r, ok < 0, value, limit, 0 };
	(*n)++;
}

size_t pk_tier_failures(const struct pk_tiers *t, size_t i, enum pk_tier_level level,
                        struct pk_tier_failure out[PK_TIER_MAX_FAILURES])
{
	if (i >= t->nprofiles)
		return 0;
	const struct pk_tier_profile *p = &t->p[i];
	size_t n = 0;
	add_failure(out, &n, PK_TIER_RULE_VRAM, p->vram.ok, p->vram.share, PK_TIERS_USE_LIMIT);
	add_failure(out, &n, PK_TIER_RULE_RAM, p->ram.ok, p->ram.share, PK_TIERS_USE_LIMIT);
	if (level == PK_TIER_MINIMUM)
		add_failure(out, &n, PK_TIER_RULE_ACCEPTABLE, p->meets_acceptable, p->lat_p95,
		            p->acceptable);
	else if (level == PK_TIER_RECOMMENDED)
		add_failure(out, &n, PK_TIER_RULE_TARGET, p->meets_target, p->lat_p95, p->target);
	else if (p->lat_n < 2)   /* the optimal walk compares latencies */
		add_failure(out, &n, PK_TIER_RULE_TARGET, -1, NAN, NAN);
	for (size_t k = 0; k < n; k++)
		out[k].lat_n = p->lat_n;
	if (n)
		return n;
	long chosen = level == PK_TIER_MINIMUM ? t->minimum
	              : level == PK_TIER_RECOMMENDED ? t->recommended : t->optimal;
	long below = level == PK_TIER_MINIMUM ? -1
	             : level == PK_TIER_RECOMMENDED ? t->minimum : t->recommended;
	if ((long)i == chosen)
		return 0;
	if (below >= 0 && (long)i < below) {
		add_failure(out, &n, PK_TIER_RULE_BELOW, 0, NAN, NAN);
	} else if (level == PK_TIER_OPTIMAL && chosen >= 0 && (long)i < chosen) {
		add_failure(out, &n, PK_TIER_RULE_OUTGROWN, 0, p->walk_p, t->alpha);
	} else if (level == PK_TIER_OPTIMAL && chosen >= 0) {
		add_failure(out, &n, PK_TIER_RULE_NOT_NEEDED, 0, t->optimal_p, t->alpha);
	}
	return n;
}

/* A number for sentences: 4 significant digits, no exponent in range. */
static const char *num(char *out, size_t n, double v)
{
	if (isnan(v))
		snprintf(out, n, "unknown");
	else if (fabs(v) >= 1000 || v == floor(v))
		snprintf(out, n, "%.0f", v);
	else
		snprintf(out, n, "%.4g", v);
	return out;
}

enum pk_status pk_tier_failure_text(const struct pk_tier_failure *f, struct pk_buf *out)
{
	char v[32], l[32], d[32];
	switch (f->rule) {
	case PK_TIER_RULE_VRAM:
	case PK_TIER_RULE_RAM:
		if (f->unknown)
			return pk_buf_printf(out, "p99 %s use against capacity unknown (no samples or "
			                     "no capacity)", f->rule == PK_TIER_RULE_VRAM ? "VRAM" : "RAM");
		return pk_buf_printf(out, "p99 %s use %.2f %% of capacity against a limit of %.0f %% "
		                     "(%.2f points over)", f->rule == PK_TIER_RULE_VRAM ? "VRAM" : "RAM",
		                     100 * f->value, 100 * f->limit, 100 * (f->value - f->limit));
	case PK_TIER_RULE_ACCEPTABLE:
	case PK_TIER_RULE_TARGET: {
		const char *what = f->rule == PK_TIER_RULE_TARGET ? "a target" : "an acceptable limit";
		if (isnan(f->value) && f->lat_n == 0)
			return pk_buf_puts(out, "no latency values in the window (its wake-word "
			                   "latency would place it)");
		if (isnan(f->value))
			return pk_buf_printf(out, "fewer than 2 latency values in the window");
		if (isnan(f->limit))
			return pk_buf_printf(out, "p95 latency %s ms, but the registry has no latency %s for it",
			                     num(v, sizeof v, f->value), what + (what[1] == 'n' ? 3 : 2));
		return pk_buf_printf(out, "p95 latency %s ms against %s of %s ms (%s ms, %.1f %% over)",
		                     num(v, sizeof v, f->value), what, num(l, sizeof l, f->limit),
		                     num(d, sizeof d, f->value - f->limit),
		                     100 * (f->value - f->limit) / f->limit);
	}
	case PK_TIER_RULE_BELOW:
		return pk_buf_puts(out, "meets the rules but is smaller than the tier below");
	case PK_TIER_RULE_OUTGROWN:
		return pk_buf_printf(out, "the next larger machine is significantly faster "
		                     "(adjusted Welch p = %.3g < %.2g)", f->value, f->limit);
	case PK_TIER_RULE_NOT_NEEDED:
		return pk_buf_printf(out, "larger than the optimal, whose next step was not "
		                     "significantly faster (adjusted Welch p = %.3g >= %.2g)",
		                     f->value, f->limit);
	}
	return PK_OK;
}

/* The fitting profile (fits == 1) with latency values and the lowest p95. */
static long fastest_fitting(const struct pk_tiers *t)
{
	long best = -1;
	for (size_t i = 0; i < t->nprofiles; i++)
		if (t->p[i].fits == 1 && t->p[i].lat_n &&
		    (best < 0 || t->p[i].lat_p95 < t->p[best].lat_p95))
			best = (long)i;
	return best;
}

enum pk_status pk_tier_none_reason(const struct pk_tiers *t, enum pk_tier_level level,
                                   pk_tier_name_fn put_name, struct pk_buf *out)
{
	char v[32], l[32], g[32];
	if (level == PK_TIER_OPTIMAL && t->recommended < 0)
		return pk_buf_puts(out, "Not reached: no measured machine meets the recommended "
		                   "tier, so more hardware is still needed; the optimal tier is "
		                   "found once a machine meets its latency target.");
	if (level == PK_TIER_RECOMMENDED && t->minimum < 0)
		return pk_buf_puts(out, "No measured machine meets the minimum tier, so none can be "
		                   "recommended.");
	if (level == PK_TIER_OPTIMAL || t->nprofiles == 0)
		return pk_buf_puts(out, "No measured machine qualifies.");
	long any = pk_tiers_fastest(t);
	if (any < 0)
		return pk_buf_puts(out, "No latency samples (inference_timing.wake_word_latency_ms.mean) "
		                   "in the window: run the wake-word measurement on these machines to "
		                   "settle it.");
	long f = fastest_fitting(t);
	if (f < 0)
		return pk_buf_puts(out, "No measured machine keeps its p99 VRAM and RAM use under 90 % "
		                   "of capacity (or the samples to tell are missing): measure a machine "
		                   "with more memory to settle it.");
	const struct pk_tier_profile *p = &t->p[f];
	int target = level == PK_TIER_RECOMMENDED;
	double limit = target ? p->target : p->acceptable;
	int limits = 0;
	for (size_t i = 0; i < t->nprofiles; i++)
		limits += !isnan(target ? t->p[i].target : t->p[i].acceptable);
	if (!limits)
		return pk_buf_printf(out, "The registry gives none of these machines a latency %s "
		                     "(registry_target with \"latency\" in its metric name): add one "
		                     "to hardware_profiles.json, or link a profile to its registry "
		                     "entry with perfingest --alias, to settle it.",
		                     target ? "target" : "limit");
	enum pk_status rc = pk_buf_printf(out, "No measured machine meets its p95 latency %s; the "
	                                  "fastest that fits in memory, ", target ? "target"
	                                  : "acceptable limit");
	if (rc == PK_OK) rc = put_name(out, p->profile);
	if (rc == PK_OK)
		rc = pk_buf_printf(out, ", reaches p95 %s ms against %s ms. Measuring a faster "
		                   "machine (more GPU than %s MB VRAM) would settle it.",
		                   num(v, sizeof v, p->lat_p95), num(l, sizeof l, limit),
		                   num(g, sizeof g, p->gpu_mb));
	return rc;
}

long pk_tiers_fastest(const struct pk_tiers *t)
{
	long best = -1;
	for (size_t i = 0; i < t->nprofiles; i++)
		if (t->p[i].lat_n && (best < 0 || t->p[i].lat_p95 < t->p[best].lat_p95))
			best = (long)i;
	return best;
}

static void profile_free(struct pk_tier_profile *p)
{
	free(p->profile);
	free(p->gpu_name);
	free(p->reg_name);
	free(p->det_name);
	free(p->configured_tier);
	free(p->target_profile);
	free(p->target_metric);
	free(p->bound_key);
}

void pk_tiers_free(struct pk_tiers *t)
{
	for (size_t i = 0; t->p && i < t->nprofiles; i++)
		profile_free(&t->p[i]);
	free(t->p);
	free(t->steps);
	pk_registry_tiers_free(t->tiers, t->ntiers);
	*t = (struct pk_tiers){ 0 };
}

enum pk_status pk_tiers_compute(const struct pk_tier_input *in, size_t n,
                                struct pk_registry_tier *tiers, size_t ntiers,
                                struct pk_tiers *out)
{
	*out = (struct pk_tiers){ .tiers = tiers, .ntiers = ntiers, .alpha = PK_ALPHA,
	                          .minimum = -1, .recommended = -1, .optimal = -1 };
	int bad = (n && !in) || (ntiers && !tiers);
	for (size_t i = 0; i < n && !bad; i++)
		bad = !in[i].profile || (in[i].s && in[i].s->n && (!in[i].s->v || !in[i].s->ts_us));
	if (bad) {
		pk_tiers_free(out);
		return PK_ERR_INPUT;
	}
	struct order_item *items = calloc(n ? n : 1, sizeof *items);
	out->p = calloc(n ? n : 1, sizeof *out->p);
	out->steps = calloc(n ? n : 1, sizeof *out->steps);
	double **lat = calloc(n ? n : 1, sizeof *lat);
	enum pk_status rc = items && out->p && out->steps && lat ? PK_OK : PK_ERR_NOMEM;
	size_t done = 0;
	for (; done < n && rc == PK_OK; done++) {
		struct pk_tier_profile *p = &items[done].p;
		p->window = in[done].window;
		p->samples = in[done].s ? in[done].s->n : 0;
		rc = dup(in[done].profile, &p->profile);
		if (rc == PK_OK) rc = classify_profile(p, &in[done], tiers, ntiers);
		if (rc == PK_OK) rc = measure_profile(p, &in[done], &items[done].lat);
	}
	if (rc == PK_OK) {
		qsort(items, n, sizeof *items, cmp_capacity);
		for (size_t i = 0; i < n; i++) {
			out->p[i] = items[i].p;
			lat[i] = items[i].lat;
			items[i].lat = NULL;
		}
		out->nprofiles = n;
		choose(out, lat);
	} else {
		for (size_t i = 0; items && i < done; i++) {
			profile_free(&items[i].p);
			free(items[i].lat);
		}
	}
	for (size_t i = 0; lat && i < n; i++)
		free(lat[i]);
	free(lat);
	free(items);
	if (rc != PK_OK)
		pk_tiers_free(out);
	return rc;
}

/* Loads names[0..n) (each in its own window of hours ending at until_us,
 * or, when hours is NAN, all in [from_us, to_us]) and computes. */
static enum pk_status load(struct pk_db *db, char **names, size_t n, double hours,
                           int64_t until_us, int64_t from_us, int64_t to_us,
                           struct pk_tiers *out, struct pk_buf *err)
{
	size_t ntiers = 0, loaded = 0;
	struct pk_registry_tier *tiers = NULL;
	struct pk_tier_input *in = calloc(n ? n : 1, sizeof *in);
	struct pk_hw_series *s = calloc(n ? n : 1, sizeof *s);
	struct pk_tier_facts *f = calloc(n ? n : 1, sizeof *f);
	enum pk_status rc = in && s && f ? PK_OK : PK_ERR_NOMEM;
	for (; rc == PK_OK && loaded < n; loaded++) {
		in[loaded].profile = names[loaded];
		in[loaded].s = &s[loaded];
		in[loaded].f = &f[loaded];
		if (isnan(hours))
			in[loaded].window = (struct pk_window){ from_us, to_us };
		else
			rc = pk_window_for(db, names[loaded], hours, until_us, &in[loaded].window);
		if (rc == PK_OK)
			rc = pk_query_hw_series(db, names[loaded], in[loaded].window.from_us,
			                        in[loaded].window.to_us, &s[loaded]);
		if (rc == PK_OK)
			rc = pk_query_tier_facts(db, names[loaded], &f[loaded]);
	}
	if (rc == PK_OK)
		rc = pk_query_registry_tiers(db, &tiers, &ntiers);
	if (rc == PK_OK) {
		rc = pk_tiers_compute(in, n, tiers, ntiers, out);
		tiers = NULL;
	}
	if (rc == PK_ERR_DB)
		pk_buf_printf(err, "database: %s", pk_db_errmsg(db));
	else if (rc == PK_USAGE)
		pk_buf_puts(err, "--hours must be a number >= 0");
	for (size_t i = 0; i < loaded && s && f; i++) {
		pk_hw_series_free(&s[i]);
		pk_tier_facts_free(&f[i]);
	}
	free(in);
	free(s);
	free(f);
	return rc;
}

enum pk_status pk_tiers_for(struct pk_db *db, double hours, int64_t until_us,
                            struct pk_tiers *out, struct pk_buf *err)
{
	*out = (struct pk_tiers){ .minimum = -1, .recommended = -1, .optimal = -1 };
	if (isnan(hours)) {
		pk_buf_puts(err, "--hours must be a number >= 0");
		return PK_USAGE;
	}
	char **names = NULL;
	size_t n = 0;
	enum pk_status rc = pk_query_tier_profiles(db, &names, &n);
	if (rc == PK_OK && n == 0) {
		pk_buf_puts(err, "no hardware samples in the database (see perfanalyze --list)");
		rc = PK_NODATA;
	} else if (rc == PK_OK) {
		rc = load(db, names, n, hours, until_us, 0, 0, out, err);
	} else if (rc == PK_ERR_DB) {
		pk_buf_printf(err, "database: %s", pk_db_errmsg(db));
	}
	pk_tier_names_free(names, n);
	return rc;
}

enum pk_status pk_tiers_in_window(struct pk_db *db, const char *const *names, size_t n,
                                  int64_t from_us, int64_t to_us,
                                  struct pk_tiers *out, struct pk_buf *err)
{
	*out = (struct pk_tiers){ .minimum = -1, .recommended = -1, .optimal = -1 };
	char **all = NULL;
	size_t nall = 0;
	enum pk_status rc = pk_query_tier_profiles(db, &all, &nall);
	if (rc == PK_ERR_DB)
		pk_buf_printf(err, "database: %s", pk_db_errmsg(db));
	if (rc == PK_OK && nall == 0) {
		pk_buf_puts(err, "no hardware samples in the database (see perfanalyze --list)");
		rc = PK_NODATA;
	}
	char **pick = NULL;
	size_t npick = 0;
	if (rc == PK_OK && names) {
		pick = calloc(n ? n : 1, sizeof *pick);
		rc = pick ? PK_OK : PK_ERR_NOMEM;
		for (size_t i = 0; i < n && rc == PK_OK; i++) {
			char *canon = NULL;
			rc = pk_query_tier_canonical(db, names[i], &canon);
			if (rc == PK_ERR_DB)
				pk_buf_printf(err, "database: %s", pk_db_errmsg(db));
			if (rc != PK_OK)
				break;
			size_t k = 0;
			while (k < nall && strcmp(all[k], canon) != 0)
				k++;
			free(canon);
			if (k == nall) {
				pk_buf_puts(err, "no profile '");
				pk_buf_put_printable(err, names[i], strlen(names[i]));
				pk_buf_puts(err, "' with hardware samples (perfanalyze --list shows them)");
				rc = PK_NODATA;
			} else {
				size_t j = 0;
				while (j < npick && pick[j] != all[k])
					j++;
				if (j == npick)   /* a profile named twice counts once */
					pick[npick++] = all[k];
			}
		}
	}
	if (rc == PK_OK)
		rc = load(db, names ? pick : all, names ? npick : nall, NAN, 0, from_us, to_us,
		          out, err);
	free(pick);
	pk_tier_names_free(all, nall);
	return rc;
}
