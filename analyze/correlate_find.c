/* correlate_find.c - TES by autonomy mode and by model, and the operators'
 * rules (headroom, model too large) stated in words with their numbers, for
 * perfanalyze --correlate (definitions in correlate.h). */
#include "correlate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "writers.h"

struct keyed {
	const char *key;
	double tes;
};

static int cmp_key(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int cmp_keyed(const void *a, const void *b)
{
	return cmp_key(((const struct keyed *)a)->key, ((const struct keyed *)b)->key);
}

/* Summary of the TES values of one group (NAN skipped); scratch holds n. */
static enum pk_status group_stats(struct pk_corr_group *g, const struct keyed *k, size_t n,
                                  double *scratch)
{
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (!isnan(k[i].tes))
			scratch[m++] = k[i].tes;
	g->runs = n;
	g->count = m;
	if (pk_sort_doubles(scratch, m) != 0)
		return PK_ERR_NOMEM;
	struct pk_summary s;
	pk_summary_sorted(scratch, m, &s);
	g->mean = s.mean;
	g->p50 = s.median;
	g->p90 = pk_quantile_sorted(scratch, m, 0.9);
	return PK_OK;
}

static enum pk_status group_by(const struct pk_agent_runs *r, char *const *keys,
                               struct pk_corr_group **out, size_t *nout)
{
	size_t n = r->n;
	struct keyed *k = malloc((n ? n : 1) * sizeof *k);
	double *scratch = malloc((n ? n : 1) * sizeof *scratch);
	*out = calloc(n ? n : 1, sizeof **out);
	*nout = 0;
	enum pk_status rc = k && scratch && *out ? PK_OK : PK_ERR_NOMEM;
	for (size_t i = 0; i < n && rc == PK_OK; i++)
		k[i] = (struct keyed){ keys[i], r->tes[i] };
	if (rc == PK_OK)
		qsort(k, n, sizeof *k, cmp_keyed);
	for (size_t i = 0; i < n && rc == PK_OK;) {
		size_t j = i + 1;
		while (j < n && cmp_key(k[i].key, k[j].key) == 0)
			j++;
		struct pk_corr_group *g = &(*out)[(*nout)++];
		if (k[i].key && !(g->key = strdup(k[i].key)))
			rc = PK_ERR_NOMEM;
		if (rc == PK_OK)
			rc = group_stats(g, k + i, j - i, scratch);
		i = j;
	}
	free(k);
	free(scratch);
	return rc;
}

enum pk_status pk_correlate_groups(struct pk_correlate *c)
{
	enum pk_status rc = group_by(&c->runs, c->runs.autonomy_mode, &c->by_mode, &c->nmodes);
	if (rc == PK_OK)
		rc = group_by(&c->runs, c->runs.model_id, &c->by_model, &c->nmodels);
	return rc;
}

/* One operator rule. */
struct rule {
	const char *name;
	int tes_high;            /* 1: TES >= tes_thr selects; 0: TES < tes_thr */
	double tes_thr;
	int hw_low;              /* 1: measure < hw_thr holds; 0: measure >= hw_thr */
	double hw_thr;
	double scale;            /* shown as measure * scale */
	const char *measure;     /* words for the measure */
	const char *met, *not_met;
};

static const struct rule rules[2] = {
	{ "headroom", 1, PK_CORR_TES_HIGH, 1, PK_CORR_GPU_LOW, 1, "GPU utilisation",
	  "headroom for a larger model", "no headroom finding" },
	{ "model_too_large", 0, PK_CORR_TES_LOW, 0, PK_CORR_VRAM_HIGH, 100,
	  "VRAM use (share of the GPU's memory)",
	  "model too large (OOM degradation)", "no model-too-large finding" },
};

static const char *stat(double v, char *b)
{
	pk_fmt_stat(v, b, 32);
	return b;
}

static const char *pval(double v, char *b)
{
	pk_fmt_p(v, b, 32);
	return b;
}

static enum pk_status finding_text(const struct rule *r, struct pk_corr_finding *f)
{
	struct pk_buf b = PK_BUF_INIT;
	char s1[32], s2[32], s3[32], s4[32], s5[32], s6[32];
	const char *tes_cond = r->tes_high ? ">=" : "<", *hw_cond = r->hw_low ? "<" : ">=";
	enum pk_status rc;
	if (f->status == PK_FINDING_UNDEFINED) {
		rc = pk_buf_printf(&b, "%s: not evaluated: no run with TES %s %g has a %s "
		                   "(%zu runs have both TES and %s)", r->name, tes_cond,
		                   r->tes_thr, r->measure, f->n, r->measure);
	} else {
		rc = pk_buf_printf(&b, "%s: the %zu runs with TES %s %g (mean TES %s) ran at a "
		                   "median %s of %s %% (%s%s %g %%, mean %s %%)",
		                   f->status == PK_FINDING_MET ? r->met : r->not_met, f->selected,
		                   tes_cond, r->tes_thr, stat(f->tes_mean, s1), r->measure,
		                   stat(f->measure_p50 * r->scale, s2),
		                   f->status == PK_FINDING_MET ? "" : "not ", hw_cond,
		                   r->hw_thr * r->scale, stat(f->measure_mean * r->scale, s3));
		if (rc == PK_OK && (f->hit_n == 0 || f->miss_n == 0))
			rc = pk_buf_printf(&b, "; %s run had %s %s %g %%, so there are not two groups "
			                   "to test", f->hit_n == 0 ? "no" : "every", r->measure,
			                   hw_cond, r->hw_thr * r->scale);
		else if (rc == PK_OK)
			rc = pk_buf_printf(&b, "; runs with %s %s %g %%: mean TES %s (n %zu) vs %s "
			                   "(n %zu) otherwise, Welch p %s", r->measure, hw_cond,
			                   r->hw_thr * r->scale, stat(f->hit_tes_mean, s1), f->hit_n,
			                   stat(f->miss_tes_mean, s2), f->miss_n, pval(f->welch_p, s3));
		if (rc == PK_OK)
			rc = pk_buf_printf(&b, "; TES vs %s over %zu runs: Pearson r %s (p %s, BH %s), "
			                   "Spearman rho %s (p %s, BH %s)", r->measure, f->s.n,
			                   stat(f->s.pearson_r, s1), pval(f->s.pearson_p, s2),
			                   pval(f->s.pearson_p_bh, s3), stat(f->s.spearman_rho, s4),
			                   pval(f->s.spearman_p, s5), pval(f->s.spearman_p_bh, s6));
	}
	if (rc != PK_OK) {
		pk_buf_free(&b);
		return rc;
	}
	f->text = pk_buf_steal(&b);
	return f->text ? PK_OK : PK_ERR_NOMEM;
}

/* Mean and n-1 variance of v[0..n) (sorted in place). */
static enum pk_status summary(double *v, size_t n, struct pk_summary *s)
{
	if (pk_sort_doubles(v, n) != 0)
		return PK_ERR_NOMEM;
	pk_summary_sorted(v, n, s);
	return PK_OK;
}

static enum pk_status evaluate(const struct pk_correlate *c, const struct rule *r, size_t k,
                               struct pk_corr_finding *f)
{
	const double *x = c->run_x[k], *tes = c->runs.tes;
	size_t n = c->runs.n;
	*f = (struct pk_corr_finding){ .rule = r->name, .measure = c->xm[k],
	                               .tes_threshold = r->tes_thr, .hw_threshold = r->hw_thr };
	for (size_t i = 0; i < c->npairs; i++)
		if (c->pairs[i].x == c->xm[k] && strcmp(c->pairs[i].y, pk_corr_part_names[PK_PART_TES]) == 0)
			f->s = c->pairs[i].s;
	double *buf = malloc(4 * (n ? n : 1) * sizeof *buf);
	if (!buf)
		return PK_ERR_NOMEM;
	double *sel_t = buf, *sel_x = buf + n, *hit = buf + 2 * n, *miss = buf + 3 * n;
	for (size_t i = 0; i < n; i++) {
		if (isnan(tes[i]) || isnan(x[i]))
			continue;
		f->n++;
		if (r->tes_high ? tes[i] >= r->tes_thr : tes[i] < r->tes_thr) {
			sel_t[f->selected] = tes[i];
			sel_x[f->selected++] = x[i];
		}
		if (r->hw_low ? x[i] < r->hw_thr : x[i] >= r->hw_thr)
			hit[f->hit_n++] = tes[i];
		else
			miss[f->miss_n++] = tes[i];
	}
	struct pk_summary st, sx, sh, sm;
	enum pk_status rc = summary(sel_t, f->selected, &st);
	if (rc == PK_OK) rc = summary(sel_x, f->selected, &sx);
	if (rc == PK_OK) rc = summary(hit, f->hit_n, &sh);
	if (rc == PK_OK) rc = summary(miss, f->miss_n, &sm);
	free(buf);
	if (rc != PK_OK)
		return rc;
	f->tes_mean = st.mean;
	f->measure_mean = sx.mean;
	f->measure_p50 = sx.median;
	f->hit_tes_mean = sh.mean;
	f->miss_tes_mean = sm.mean;
	f->welch_p = pk_welch_p(sm.mean, sm.var, (double)sm.count, sh.mean, sh.var,
	                        (double)sh.count);
	if (!f->selected)
		f->status = PK_FINDING_UNDEFINED;
	else if (r->hw_low ? f->measure_p50 < r->hw_thr : f->measure_p50 >= r->hw_thr)
		f->status = PK_FINDING_MET;
	else
		f->status = PK_FINDING_NOT_MET;
	return finding_text(r, f);
}

enum pk_status pk_correlate_findings(struct pk_correlate *c)
{
	enum pk_status rc = evaluate(c, &rules[0], c->util_k, &c->findings[0]);
	if (rc == PK_OK)
		rc = evaluate(c, &rules[1], c->vram_k, &c->findings[1]);
	return rc;
}
