/* tiers.c - hardware tiers and requirements from the data (tiers.h):
 * classification by the sampler's rule, registry tier mapping, latency and
 * memory requirements, minimum / recommended / optimal profile. */
#include "tiers.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/metrics.h"
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

/* Max of a + b over samples where both are present and the sum is > 0. */
static double max_sum(const struct pk_hw_series *s, const char *a, const char *b, size_t *n)
{
	size_t ia = 0, ib = 0;
	double best = NAN;
	*n = 0;
	if (!s || s->n == 0 || !pk_hw_metric_find(a, &ia) || !pk_hw_metric_find(b, &ib))
		return NAN;
	const double *x = s->v[ia], *y = s->v[ib];
	for (size_t i = 0; i < s->n; i++) {
		double t = x[i] + y[i];
		if (t > 0) {   /* false for NAN */
			(*n)++;
			if (!(t <= best))
				best = t;
		}
	}
	return best;
}

static enum pk_status dup(const char *s, char **out)
{
	*out = NULL;
	if (!s)
		return PK_OK;
	*out = strdup(s);
	return *out ? PK_OK : PK_ERR_NOMEM;
}

/* Capacities, class, registry tier, configured tier. */
static enum pk_status classify_profile(struct pk_tier_profile *p, const struct pk_tier_input *in,
                                       const struct pk_registry_tier *tiers, size_t ntiers)
{
	const struct pk_tier_facts *f = in->f;
	p->gpu_mb = max_sum(in->s, "gpu.memory_used_mb", "gpu.memory_free_mb", &p->gpu_n);
	p->gpu_source = "samples";
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
	p->ram_gb = max_sum(in->s, "memory.used_gb", "memory.available_gb", &p->ram_n);
	p->ram_source = "samples";
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
	p->has_gpu = p->gpu_mb > 0 || (f && f->det_gpu_available == 1);
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
	enum pk_status rc = dup(f ? f->reg_name : NULL, &p->reg_name);
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
	rc = use_of(in->s, "gpu.memory_used_mb", p->gpu_mb, 1024, !p->has_gpu, &p->vram);
	if (rc == PK_OK)
		rc = use_of(in->s, "memory.used_gb", p->ram_gb, 1, 0, &p->ram);
	return rc;
}

/* Capacity order: gpu_mb, then ram_gb (NAN first), then name. */
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
	return c ? c : strcmp(a->profile, b->profile);
}

static void choose(struct pk_tiers *t, double **lat)
{
	t->minimum = t->recommended = t->optimal = -1;
	for (size_t i = 0; i < t->nprofiles; i++) {
		const struct pk_tier_profile *p = &t->p[i];
		int fits = p->vram.ok == 1 && p->ram.ok == 1;
		if (t->minimum < 0 && fits && p->meets_acceptable == 1)
			t->minimum = (long)i;
		if (t->recommended < 0 && fits && p->meets_target == 1)
			t->recommended = (long)i;
	}
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
			s->welch_p_adjusted = pk_welch_p(a->lat_mean, a->lat_var, a->lat_n_eff,
			                                 b->lat_mean, b->lat_var, b->lat_n_eff);
			s->mannwhitney_p = pk_mannwhitney_p(lat[prev], a->lat_n, lat[i], b->lat_n);
			s->better = s->welch_p_adjusted < t->alpha && s->diff < 0;
			if (!s->better && t->optimal < 0) {
				t->optimal = prev;
				t->optimal_plateau = 1;
			}
		}
		prev = (long)i;
	}
	if (t->optimal < 0)
		t->optimal = prev;
}

static void profile_free(struct pk_tier_profile *p)
{
	free(p->profile);
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

enum pk_status pk_tiers_for(struct pk_db *db, double hours, int64_t until_us,
                            struct pk_tiers *out, struct pk_buf *err)
{
	*out = (struct pk_tiers){ .minimum = -1, .recommended = -1, .optimal = -1 };
	char **names = NULL;
	size_t n = 0, ntiers = 0, loaded = 0;
	struct pk_registry_tier *tiers = NULL;
	enum pk_status rc = pk_query_tier_profiles(db, &names, &n);
	if (rc == PK_OK && n == 0) {
		pk_buf_puts(err, "no hardware samples in the database (see perfanalyze --list)");
		rc = PK_NODATA;
	}
	struct pk_tier_input *in = NULL;
	struct pk_hw_series *s = NULL;
	struct pk_tier_facts *f = NULL;
	if (rc == PK_OK) {
		in = calloc(n, sizeof *in);
		s = calloc(n, sizeof *s);
		f = calloc(n, sizeof *f);
		if (!in || !s || !f)
			rc = PK_ERR_NOMEM;
	}
	for (; rc == PK_OK && loaded < n; loaded++) {
		in[loaded].profile = names[loaded];
		in[loaded].s = &s[loaded];
		in[loaded].f = &f[loaded];
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
	pk_tier_names_free(names, n);
	return rc;
}
