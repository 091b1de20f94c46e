/* req_evidence.c - the evidence sections of the hardware-requirements
 * report (report_requirements.h): TES and wake-word latency against the
 * hardware, throttling episodes, data quality, and the registry's
 * limitations and optimizations tied to the numbers that bear on them.
 * Text from logs and the registry goes through pk_md_escape. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../core/timeutil.h"
#include "markdown.h"
#include "report_requirements.h"
#include "req_charts.h"

#define MAX_EPISODE_ROWS 20

static const char *pct(char *out, double share)
{
	if (isnan(share))
		return strcpy(out, "-");
	pk_md_fixed(out, 100 * share, 1);
	strcat(out, " %");
	return out;
}

static enum pk_status pair_row(struct pk_buf *md, const struct pk_corr_pair *p)
{
	char r[PK_NUM_MAX], lo[PK_NUM_MAX], hi[PK_NUM_MAX], pb[PK_NUM_MAX], sl[PK_NUM_MAX],
	     r2[PK_NUM_MAX];
	enum pk_status rc = pk_buf_printf(md, "| %s | ", p->y);
	if (rc == PK_OK) rc = pk_md_text(md, p->x->name);
	if (rc == PK_OK)
		rc = pk_buf_printf(md, " | %zu | %s | %s to %s | %s | %s | %s |\n", p->s.n,
		                   pk_md_fixed(r, p->s.pearson_r, 3), pk_md_fixed(lo, p->s.ci_low, 3),
		                   pk_md_fixed(hi, p->s.ci_high, 3), pk_md_p(pb, p->s.pearson_p_bh),
		                   pk_md_sig(sl, p->s.slope, 3), pk_md_fixed(r2, p->s.r2, 3));
	return rc;
}

enum pk_status pk_req_correlation_md(const struct pk_req_result *r, struct pk_buf *md)
{
	enum pk_status rc = pk_buf_puts(md, "## Agent performance and wake-word latency against "
	                                "the hardware\n\n");
	if (rc != PK_OK)
		return rc;
	if (!r->have_corr) {
		rc = pk_buf_puts(md, "Nothing to correlate this week: ");
		if (rc == PK_OK) rc = pk_md_escape(md, r->corr_none);
		return rc == PK_OK ? pk_buf_puts(md, ".\n\n") : rc;
	}
	const struct pk_correlate *c = &r->corr;
	rc = pk_buf_printf(md, "%zu agent run(s) this week, %zu matched to a profile's samples; "
	                   "%zu wake-word latency value(s) (%s). Each run is set against the mean "
	                   "of the hardware samples in its own window (perfanalyze --correlate).\n\n",
	                   c->runs.n, c->matched, c->wake_n,
	                   c->wake_source == PK_WAKE_EVENTS ? "wake events"
	                   : c->wake_source == PK_WAKE_SAMPLES ? "the samples' own latency"
	                   : "none");
	for (int k = 0; k < 2 && rc == PK_OK; k++) {
		const struct pk_corr_finding *f = &c->findings[k];
		rc = pk_buf_puts(md, "- ");
		if (rc == PK_OK) rc = pk_md_escape(md, f->text ? f->text : f->rule);
		if (rc == PK_OK) rc = pk_buf_putc(md, '\n');
	}
	if (rc == PK_OK)
		rc = pk_buf_puts(md, "\nPairs with a Benjamini-Hochberg adjusted Pearson p below 0.05 "
		                 "(TES) and every wake-word pair with at least 3 values:\n\n| y | Hardware | n | Pearson r | "
		                 "95 % CI | p (BH) | OLS slope | R² |\n|---|---|--:|--:|---|--:|--:|--:|\n");
	size_t rows = 0;
	for (size_t i = 0; i < c->npairs && rc == PK_OK; i++) {
		const struct pk_corr_pair *p = &c->pairs[i];
		int wake = !strcmp(p->y, "wake_latency_ms");
		if (p->s.n < 3 || (!wake && !(strcmp(p->y, "tes") == 0 && p->s.pearson_p_bh < 0.05)))
			continue;
		rows++;
		rc = pair_row(md, p);
	}
	if (rc == PK_OK && !rows)
		rc = pk_buf_puts(md, "| - | no pair qualifies | | | | | | |\n");
	if (rc == PK_OK) rc = pk_buf_putc(md, '\n');
	if (rc == PK_OK)
		rc = pk_req_figure_md(r, PK_REQ_WAKE_VRAM, "Wake-word latency against GPU memory in "
		                      "use, every sample (at most 1500 a profile), with the "
		                      "least-squares line over all of them; pooled over machines, so "
		                      "the line mixes differences between machines with the effect "
		                      "within one", md);
	if (rc == PK_OK && r->charts && r->charts->drawn[PK_REQ_TES]) {
		struct pk_buf cap = PK_BUF_INIT;
		rc = pk_buf_printf(&cap, "TES of each matched run against %s, the measure with the "
		                   "smallest adjusted p, with the least-squares line",
		                   c->pairs[r->charts->tes_pair].x->name);
		if (rc == PK_OK) rc = pk_req_figure_md(r, PK_REQ_TES, cap.data, md);
		pk_buf_free(&cap);
	}
	return rc;
}

/* "19.3 %", "none (rose 12.0 %)" or "-". */
static const char *drop(char *out, double pct_drop)
{
	char n[PK_NUM_MAX];
	if (isnan(pct_drop))
		return strcpy(out, "-");
	if (pct_drop > 0)
		snprintf(out, 48, "%s %%", pk_md_fixed(n, pct_drop, 1));
	else
		snprintf(out, 48, "none (rose %s %%)", pk_md_fixed(n, -pct_drop, 1));
	return out;
}

enum pk_status pk_req_throttling_md(const struct pk_req_result *r, struct pk_buf *md)
{
	enum pk_status rc = pk_buf_puts(md, "## Throttling\n\nEpisodes where the GPU stays above "
	    "its temperature limit; throttled when the CPU frequency or GPU utilisation drops by "
	    "more than 10 % against the 10 samples before (perfanalyze --throttling).\n\n"
	    "| Profile | Limit °C (from) | Samples with temperature | Hot | Episodes | Throttled "
	    "|\n|---|--:|--:|--:|--:|--:|\n");
	size_t total = 0;
	for (size_t i = 0; i < r->now.nprofiles && rc == PK_OK; i++) {
		const struct pk_throttle *t = &r->throttle[i];
		char c[PK_NUM_MAX];
		rc = pk_buf_puts(md, "| ");
		if (rc == PK_OK) rc = pk_md_escape(md, r->now.p[i].profile);
		if (rc == PK_OK)
			rc = pk_buf_printf(md, " | %s (%s) | %zu | %zu | %zu | %zu |\n",
			                   pk_md_sig(c, t->threshold_c, 3),
			                   pk_threshold_source_str(r->tparams[i].source), t->temp_present,
			                   t->hot, t->nepisodes, t->throttled);
		total += t->nepisodes;
	}
	if (rc == PK_OK && total)
		rc = pk_buf_puts(md, "\nTimeline (UTC):\n\n| Profile | Start | Minutes | Peak °C | "
		                 "CPU frequency drop | GPU utilisation drop | Throttled |\n"
		                 "|---|---|--:|--:|--:|--:|---|\n");
	size_t shown = 0;
	for (size_t i = 0; i < r->now.nprofiles && rc == PK_OK; i++) {
		const struct pk_throttle *t = &r->throttle[i];
		for (size_t k = 0; k < t->nepisodes && rc == PK_OK && shown < MAX_EPISODE_ROWS; k++) {
			const struct pk_throttle_episode *e = &t->episodes[k];
			char a[PK_TIME_ISO_MAX], m[PK_NUM_MAX], pk[PK_NUM_MAX], f[48], u[48];
			pk_time_format_iso(e->start_us, a);
			a[10] = ' ';
			a[16] = '\0';   /* "2025-12-10 14:22" */
			shown++;
			rc = pk_buf_puts(md, "| ");
			if (rc == PK_OK) rc = pk_md_escape(md, t->profile);
			if (rc == PK_OK)
				rc = pk_buf_printf(md, " | %s | %s | %s | %s | %s | %s |\n", a,
				                   pk_md_sig(m, e->duration_s / 60, 3),
				                   pk_md_sig(pk, e->peak_c, 3), drop(f, e->freq.drop_pct),
				                   drop(u, e->util.drop_pct), e->throttled ? "yes" : "no");
		}
	}
	if (rc == PK_OK && total > shown)
		rc = pk_buf_printf(md, "\n%zu more episode(s): perfanalyze --throttling PROFILE lists "
		                   "them all.\n", total - shown);
	if (rc == PK_OK && !total)
		rc = pk_buf_puts(md, "\nNo episode this week.\n");
	if (rc == PK_OK) rc = pk_buf_putc(md, '\n');
	if (rc == PK_OK)
		rc = pk_req_figure_md(r, PK_REQ_THROTTLE, "Hot episodes over the week, throttled ones "
		                      "darker", md);
	return rc;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

enum pk_status pk_req_quality_md(const struct pk_req_result *r, struct pk_buf *md)
{
	enum pk_status rc = pk_buf_puts(md, "## Data quality\n\n| Profile | Samples | Interval s "
	    "| Gaps | Missing | Irregular | Latency n | Lines read | Rejects |\n"
	    "|---|--:|--:|--:|--:|---|--:|--:|--:|\n");
	for (size_t i = 0; i < r->now.nprofiles && rc == PK_OK; i++) {
		const struct pk_quality *q = &r->quality[i];
		const struct pk_tier_profile *p = &r->now.p[i];
		char iv[PK_NUM_MAX];
		rc = pk_buf_puts(md, "| ");
		if (rc == PK_OK) rc = pk_md_escape(md, p->profile);
		if (rc == PK_OK)
			rc = pk_buf_printf(md, " | %zu | %s | %zu | %lld | %s | %zu | %lld | %lld |\n",
			                   q->samples, pk_md_sig(iv, q->iv.median_s, 3), q->ngaps,
			                   (long long)q->missing_intervals, q->irregular ? "yes" : "no",
			                   p->lat_n, (long long)q->lines_read, (long long)q->rejects);
	}
	if (rc == PK_OK)
		rc = pk_buf_puts(md, "\nMissing: intervals lost in gaps longer than 3× the usual "
		                 "interval. Source files:\n\n");
	for (size_t i = 0; i < r->now.nprofiles && rc == PK_OK; i++) {
		const struct pk_quality *q = &r->quality[i];
		rc = pk_buf_puts(md, "- ");
		if (rc == PK_OK) rc = pk_md_escape(md, r->now.p[i].profile);
		if (rc == PK_OK) rc = pk_buf_puts(md, ": ");
		for (size_t k = 0; k < q->nsources && rc == PK_OK; k++) {
			rc = k ? pk_buf_puts(md, ", ") : PK_OK;
			if (rc == PK_OK) rc = pk_md_escape(md, base_name(q->sources[k].path));
			if (rc == PK_OK && q->sources[k].member && *q->sources[k].member) {
				rc = pk_buf_puts(md, " : ");
				if (rc == PK_OK) rc = pk_md_escape(md, q->sources[k].member);
			}
		}
		if (rc == PK_OK && !q->nsources) rc = pk_buf_puts(md, "none this week");
		if (rc == PK_OK) rc = pk_buf_putc(md, '\n');
	}
	return rc == PK_OK ? pk_buf_putc(md, '\n') : rc;
}

/* The measured number a limitation speaks of, found by its words. */
static enum pk_status tie(struct pk_buf *md, const char *lim, const struct pk_tier_profile *p,
                          const struct pk_throttle *t)
{
	char a[16], b[PK_NUM_MAX];
	if (strcasestr(lim, "vram") || strcasestr(lim, "gpu memory"))
		return pk_buf_printf(md, "measured p99 VRAM use %s of %s MB (%s)",
		                     pct(a, p->vram.share), pk_md_fixed(b, p->gpu_mb, 0),
		                     p->vram.ok == 1 ? "under the 90 % limit"
		                     : p->vram.ok == 0 ? "over the 90 % limit" : "unknown");
	if (strcasestr(lim, "thermal") || strcasestr(lim, "throttl"))
		return pk_buf_printf(md, "measured %zu hot episode(s), %zu throttled, this week",
		                     t->nepisodes, t->throttled);
	if (strcasestr(lim, "latency") || strcasestr(lim, "asr") || strcasestr(lim, "whisper"))
		return pk_buf_printf(md, "measured p95 wake-word latency %s ms",
		                     pk_md_sig(b, p->lat_p95, 4));
	if (strcasestr(lim, "ram") || strcasestr(lim, "memory"))
		return pk_buf_printf(md, "measured p99 RAM use %s of %s GB", pct(a, p->ram.share),
		                     pk_md_sig(b, p->ram_gb, 3));
	return pk_buf_puts(md, "not measured by perfkit");
}

static enum pk_status optimizations(struct pk_buf *md, const struct pk_registry_notes *n,
                                    const struct pk_tier_profile *p)
{
	char a[16], b[PK_NUM_MAX];
	double share = p->vram.share, target = n->vram_target_pct / 100;
	enum pk_status rc = pk_buf_puts(md, "  - Registry optimizations");
	if (rc == PK_OK && !isnan(target) && !isnan(share))
		rc = pk_buf_printf(md, " (%s: p99 VRAM use %s against the registry's %s %% VRAM "
		                   "target)", share >= target ? "recommended now" : "not needed yet",
		                   pct(a, share), pk_md_sig(b, 100 * target, 3));
	else if (rc == PK_OK)
		rc = pk_buf_puts(md, " (no VRAM target or use to weigh them against)");
	if (rc == PK_OK) rc = pk_buf_puts(md, ":\n");
	/* one line per component: its settings, then its rationale */
	for (size_t i = 0; i < n->nsettings && rc == PK_OK; i++) {
		const char *comp = n->settings[i].component;
		if (i && !strcmp(comp, n->settings[i - 1].component))
			continue;
		rc = pk_buf_puts(md, "    - ");
		if (rc == PK_OK) rc = pk_md_escape(md, comp);
		if (rc == PK_OK) rc = pk_buf_puts(md, ":");
		const char *why = NULL;
		int first = 1;
		for (size_t k = i; k < n->nsettings && rc == PK_OK &&
		     !strcmp(comp, n->settings[k].component); k++) {
			const struct pk_reg_setting *s = &n->settings[k];
			if (!strcmp(s->key, "rationale")) {
				why = s->value;
				continue;
			}
			rc = pk_buf_puts(md, first ? " " : ", ");
			first = 0;
			if (rc == PK_OK) rc = pk_md_escape(md, s->key);
			if (rc == PK_OK) rc = pk_buf_putc(md, ' ');
			if (rc == PK_OK) rc = pk_md_escape(md, s->value);
		}
		if (rc == PK_OK && why) {
			rc = pk_buf_puts(md, " (");
			if (rc == PK_OK) rc = pk_md_escape(md, why);
			if (rc == PK_OK) rc = pk_buf_putc(md, ')');
		}
		if (rc == PK_OK) rc = pk_buf_putc(md, '\n');
	}
	return rc;
}

enum pk_status pk_req_recommendations_md(const struct pk_req_result *r, struct pk_buf *md)
{
	enum pk_status rc = pk_buf_puts(md, "## Recommendations from the registry\n\nEach "
	                                "profile's registry limitations with the measurement that "
	                                "bears on them, and its optimizations with what triggers "
	                                "them.\n\n");
	size_t any = 0;
	for (size_t i = 0; i < r->now.nprofiles && rc == PK_OK; i++) {
		const struct pk_registry_notes *n = &r->notes[i];
		const struct pk_tier_profile *p = &r->now.p[i];
		if (!n->nlimitations && !n->nsettings)
			continue;
		any++;
		rc = pk_buf_puts(md, "- ");
		if (rc == PK_OK) rc = pk_md_escape(md, p->profile);
		if (rc == PK_OK) rc = pk_buf_puts(md, "\n");
		for (size_t k = 0; k < n->nlimitations && rc == PK_OK; k++) {
			rc = pk_buf_puts(md, "  - Limitation: ");
			if (rc == PK_OK) rc = pk_md_escape(md, n->limitations[k]);
			if (rc == PK_OK) rc = pk_buf_puts(md, " — ");
			if (rc == PK_OK) rc = tie(md, n->limitations[k], p, &r->throttle[i]);
			if (rc == PK_OK) rc = pk_buf_puts(md, ".\n");
		}
		if (rc == PK_OK && n->nsettings)
			rc = optimizations(md, n, p);
	}
	if (rc == PK_OK && !any)
		rc = pk_buf_puts(md, "No profile has a registry entry with limitations or "
		                 "optimizations (link one with perfingest --alias).\n");
	return rc == PK_OK ? pk_buf_putc(md, '\n') : rc;
}
