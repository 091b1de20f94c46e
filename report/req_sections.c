/* req_sections.c - the Markdown of the hardware-requirements report, one
 * function per section, from the result structs (report_requirements.h,
 * analyze/tiers.h).  Profile names come from logs: always pk_md_escape. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../core/timeutil.h"
#include "../analyze/stats.h"
#include "markdown.h"
#include "report_md.h"
#include "report_requirements.h"
#include "req_charts.h"

#define LAT_LABEL "wake-word latency (inference_timing.wake_word_latency_ms.mean)"

static enum pk_status md_name(struct pk_buf *b, const char *name)
{
	return pk_md_escape(b, name);
}

static void iso(int64_t us, char *out)
{
	pk_time_format_iso(us, out);
}

/* "90.27 %" of a share, "-" when undefined. */
static const char *pct(char *out, double share)
{
	if (isnan(share))
		return strcpy(out, "-");
	pk_md_fixed(out, 100 * share, 1);
	strcat(out, " %");
	return out;
}

static enum pk_status heading(struct pk_buf *md, const struct pk_req_result *r,
                              int64_t generated_us)
{
	char a[PK_TIME_ISO_MAX], z[PK_TIME_ISO_MAX], g[PK_TIME_ISO_MAX];
	iso(r->from_us, a);
	iso(r->to_us + 1, z);
	iso(generated_us, g);
	enum pk_status rc = pk_buf_printf(md, "# Hardware requirements, week %s\n\n"
	                                  "Window %s to %s (UTC), %zu profile(s); last week (%s) "
	                                  "beside it.%s Generated %s.\n\n", r->week, a, z,
	                                  r->now.nprofiles, r->last_week,
	                                  r->partial ? " The data do not cover this whole week: "
	                                  "the figures rest on the part they cover." : "", g);
	return rc;
}

/* "entry_level GPU GeForce MX150 with 4096 MB VRAM, 15.9 GB RAM, 8 CPU
 * threads": the proving machine's capacity. */
static enum pk_status spec(struct pk_buf *md, const struct pk_tier_profile *p)
{
	char g[PK_NUM_MAX], r[PK_NUM_MAX];
	enum pk_status rc = pk_buf_printf(md, "%s", p->has_gpu ? "" : "no GPU, ");
	if (rc == PK_OK && p->has_gpu) {
		rc = pk_buf_printf(md, "%s GPU", pk_tier_class_str(p->cls));
		if (rc == PK_OK && p->gpu_name) {
			rc = pk_buf_putc(md, ' ');
			if (rc == PK_OK) rc = pk_md_escape(md, p->gpu_name);
			if (rc == PK_OK && strcmp(p->gpu_name_source, "registry") == 0)
				rc = pk_buf_puts(md, " (as the registry names it)");
			else if (rc == PK_OK && strcmp(p->gpu_name_source, "nvidia-smi") == 0)
				rc = pk_buf_puts(md, " (nvidia-smi)");
		}
		if (rc == PK_OK)
			rc = pk_buf_printf(md, " with %s MB VRAM, ", pk_md_fixed(g, p->gpu_mb, 0));
	}
	if (rc == PK_OK)
		rc = pk_buf_printf(md, "%s GB RAM", pk_md_sig(r, p->ram_gb, 3));
	if (rc == PK_OK && !isnan(p->cpu_threads))
		rc = pk_buf_printf(md, ", %.0f CPU threads", p->cpu_threads);
	if (rc == PK_OK && p->cpu_threads_source && !strcmp(p->cpu_threads_source, "sysstat"))
		rc = pk_buf_puts(md, " (sysstat)");
	return rc;
}

/* The evidence line; for the optimal tier the step that led to it instead
 * of a target (the walk compares machines). */
static enum pk_status evidence(struct pk_buf *md, const struct pk_tiers *t, long i,
                               enum pk_tier_level lvl)
{
	const struct pk_tier_profile *p = &t->p[i];
	char l[PK_NUM_MAX], lo[PK_NUM_MAX], hi[PK_NUM_MAX], x[PK_NUM_MAX], v[16], ra[16],
	     ne[PK_NUM_MAX], a[PK_TIME_ISO_MAX], z[PK_TIME_ISO_MAX];
	iso(p->window.from_us, a);
	iso(p->window.to_us, z);
	a[10] = z[10] = '\0';   /* dates: the window is whole days */
	enum pk_status rc = pk_buf_printf(md, "p95 latency %s ms (95 %% CI %s to %s) ",
	                                  pk_md_sig(l, p->lat_p95, 4),
	                                  pk_md_sig(lo, p->lat_p95_lo, 4),
	                                  pk_md_sig(hi, p->lat_p95_hi, 4));
	if (rc == PK_OK && lvl != PK_TIER_OPTIMAL) {
		double limit = lvl == PK_TIER_MINIMUM ? p->acceptable : p->target;
		rc = pk_buf_printf(md, "against %s %s ms", lvl == PK_TIER_MINIMUM
		                   ? "its acceptable limit" : "its target", pk_md_sig(x, limit, 4));
	} else if (rc == PK_OK) {
		long from = -1;
		for (size_t k = 0; k < t->nprofiles; k++)
			if (t->p[k].walk_next == i && k != (size_t)i)
				from = (long)k;
		if (from < 0 || i == t->recommended) {
			rc = pk_buf_puts(md, "(the recommended machine)");
		} else {
			rc = pk_buf_puts(md, "significantly faster than ");
			if (rc == PK_OK) rc = md_name(md, t->p[from].profile);
			if (rc == PK_OK)
				rc = pk_buf_printf(md, " (adjusted Welch p = %s)",
				                   pk_md_p(x, t->p[from].walk_p));
		}
	}
	if (rc == PK_OK)
		rc = pk_buf_printf(md, "; p99 VRAM use %s of capacity, p99 RAM use %s; n = %zu, "
		                   "n_eff = %s; window %s to %s", pct(v, p->vram.share), pct(ra, p->ram.share),
		                   p->lat_n, pk_md_sig(ne, p->lat_n_eff, 3), a, z);
	return rc;
}

static enum pk_status decision(struct pk_buf *md, const struct pk_tiers *t)
{
	enum pk_status rc = pk_buf_puts(md, "## Decision\n\n");
	const long idx[3] = { t->minimum, t->recommended, t->optimal };
	const char *label[3] = { "Minimum", "Recommended", "Optimal" };
	for (int k = 0; k < 3 && rc == PK_OK; k++) {
		rc = pk_buf_printf(md, "- **%s**: ", label[k]);
		if (rc == PK_OK && idx[k] < 0) {
			rc = pk_tier_none_reason(t, (enum pk_tier_level)k, md_name, md);
		} else if (rc == PK_OK) {
			const struct pk_tier_profile *p = &t->p[idx[k]];
			rc = spec(md, p);
			if (rc == PK_OK) rc = pk_buf_puts(md, ". Proven by ");
			if (rc == PK_OK) rc = md_name(md, p->profile);
			if (rc == PK_OK) rc = pk_buf_puts(md, ": ");
			if (rc == PK_OK) rc = evidence(md, t, idx[k], (enum pk_tier_level)k);
			if (rc == PK_OK) rc = pk_buf_putc(md, '.');
			if (rc == PK_OK && k == 2 && t->optimal_plateau) {
				char pv[PK_NUM_MAX];
				rc = pk_buf_puts(md, " The next larger machine, ");
				if (rc == PK_OK) rc = md_name(md, t->p[t->optimal_next].profile);
				if (rc == PK_OK)
					rc = pk_buf_printf(md, ", is not significantly faster (adjusted Welch "
					                   "p = %s).", pk_md_p(pv, t->optimal_p));
			} else if (rc == PK_OK && k == 2) {
				rc = pk_buf_puts(md, " Every larger step was significantly faster: no "
				                 "plateau seen, more hardware may still help.");
			}
		}
		if (rc == PK_OK) rc = pk_buf_putc(md, '\n');
	}
	if (rc == PK_OK)
		rc = pk_buf_puts(md, "\nTiers are ordered by construction (minimum <= recommended "
		                 "<= optimal in capacity order); a tier's hardware is the proving "
		                 "machine's own capacity.\n\n");
	return rc;
}

static enum pk_status exclusions(struct pk_buf *md, const struct pk_tiers *t)
{
	enum pk_status rc = pk_buf_puts(md, "## Excluded profiles\n\n"
	                                "| Tier | Profile | Rule failed, by how much |\n"
	                                "|---|---|---|\n");
	size_t rows = 0;
	for (int k = 0; k < 3 && rc == PK_OK; k++)
		for (size_t i = 0; i < t->nprofiles && rc == PK_OK; i++) {
			struct pk_tier_failure f[PK_TIER_MAX_FAILURES];
			size_t nf = pk_tier_failures(t, i, (enum pk_tier_level)k, f);
			if (!nf)
				continue;
			rows++;
			rc = pk_buf_printf(md, "| %s | ", pk_tier_level_str((enum pk_tier_level)k));
			if (rc == PK_OK) rc = md_name(md, t->p[i].profile);
			if (rc == PK_OK) rc = pk_buf_puts(md, " | ");
			for (size_t j = 0; j < nf && rc == PK_OK; j++) {
				struct pk_buf tx = PK_BUF_INIT;
				rc = j ? pk_buf_puts(md, "; ") : PK_OK;
				if (rc == PK_OK) rc = pk_tier_failure_text(&f[j], &tx);
				if (rc == PK_OK) rc = pk_md_text(md, tx.data);
				pk_buf_free(&tx);
			}
			if (rc == PK_OK) rc = pk_buf_puts(md, " |\n");
		}
	if (rc == PK_OK && rows == 0)
		rc = pk_buf_puts(md, "| - | - | no profile was excluded |\n");
	return rc == PK_OK ? pk_buf_putc(md, '\n') : rc;
}

/* Utilisation in words: a share of capacity, judged against the 90 % limit. */
static const char *verdict(const struct pk_tier_use *u)
{
	if (u->ok == 1 && u->n == 0)
		return "no GPU";
	return u->ok == 1 ? "fits" : u->ok == 0 ? "over 90 %" : "unknown";
}

/* A capacity with its source (src NULL: without) when that is not the
 * samples themselves. */
static enum pk_status capacity(struct pk_buf *md, double v, int decimals, const char *src)
{
	char n[PK_NUM_MAX];
	enum pk_status rc = pk_buf_puts(md, pk_md_fixed(n, v, decimals));
	if (rc == PK_OK && src && strcmp(src, "samples") && strcmp(src, "none"))
		rc = pk_buf_printf(md, " (%s)", !strcmp(src, "detected_system") ? "detected" : src);
	return rc;
}

/* "NVIDIA GeForce RTX 4090 (nvidia-smi; 2 GPUs, the lowest index counted) |
 * 24564 (nvidia-smi) | - | -": a row's GPU, VRAM, RAM and CPU threads cells. */
static enum pk_status hardware(struct pk_buf *md, const struct pk_tier_profile *p)
{
	enum pk_status rc = PK_OK;
	if (p->gpu_name) {
		rc = pk_md_escape(md, p->gpu_name);
		if (rc == PK_OK) rc = pk_buf_printf(md, " (%s", p->gpu_name_source);
		if (rc == PK_OK && p->gpus > 1)
			rc = pk_buf_printf(md, "; %ld GPUs, the lowest index counted", p->gpus);
		if (rc == PK_OK) rc = pk_buf_putc(md, ')');
	} else {
		rc = pk_buf_puts(md, p->has_gpu ? "name unknown" : p->gpu_unknown
		                 ? "unknown (no nvidia-smi log)" : "none");
	}
	if (rc == PK_OK) rc = pk_buf_puts(md, " | ");
	if (rc == PK_OK) rc = capacity(md, p->gpu_mb, 0, p->gpu_source);
	if (rc == PK_OK) rc = pk_buf_puts(md, " | ");
	if (rc == PK_OK) rc = capacity(md, p->ram_gb, 1, p->ram_source);
	if (rc == PK_OK && isnan(p->cpu_threads))
		rc = pk_buf_puts(md, " | -");
	else if (rc == PK_OK)
		rc = pk_buf_printf(md, " | %.0f (%s)", p->cpu_threads, p->cpu_threads_source);
	return rc;
}

static enum pk_status profiles(struct pk_buf *md, const struct pk_tiers *t)
{
	enum pk_status rc = pk_buf_puts(md, "## Profiles\n\nIn capacity order. Memory is judged "
	    "as utilisation of each machine's own capacity (a bigger machine using more is not "
	    "worse); where each capacity comes from is in the hardware facts below. A machine "
	    "without latency values cannot be placed in a tier: its wake-word latency is what "
	    "would place it. \"or higher\": an unknown VRAM or RAM may hide a higher class.\n\n"
	    "| Profile | Tier | VRAM MB | RAM GB | Samples | Latency n | p95 ms | VRAM p99 | "
	    "RAM p99 |\n|---|---|--:|--:|--:|--:|--:|---|---|\n");
	for (size_t i = 0; i < t->nprofiles && rc == PK_OK; i++) {
		const struct pk_tier_profile *p = &t->p[i];
		char l[PK_NUM_MAX], v[16], ra[16];
		rc = pk_buf_puts(md, "| ");
		if (rc == PK_OK) rc = md_name(md, p->profile);
		if (rc == PK_OK) rc = pk_buf_puts(md, " | ");
		if (rc == PK_OK)
			rc = p->tier >= 0 ? pk_md_escape(md, t->tiers[p->tier].tier)
			     : pk_buf_puts(md, pk_tier_class_str(p->cls));
		if (rc == PK_OK && pk_tier_class_open(p))
			rc = pk_buf_puts(md, " or higher");
		if (rc == PK_OK) rc = pk_buf_puts(md, " | ");
		if (rc == PK_OK) rc = capacity(md, p->gpu_mb, 0, NULL);
		if (rc == PK_OK) rc = pk_buf_puts(md, " | ");
		if (rc == PK_OK) rc = capacity(md, p->ram_gb, 1, NULL);
		if (rc == PK_OK)
			rc = pk_buf_printf(md, " | %zu | %zu | %s | %s, %s | %s, %s |\n", p->samples,
			                   p->lat_n, pk_md_sig(l, p->lat_p95, 4), pct(v, p->vram.share),
			                   verdict(&p->vram), pct(ra, p->ram.share), verdict(&p->ram));
	}
	if (rc == PK_OK)
		rc = pk_buf_puts(md, "\nHardware facts, each from the first source that gives it: "
		                 "a log (nvidia-smi: memory.total and name; sysstat: its memory "
		                 "section's total and number-of-cpus), the F1 samples (used + free; "
		                 "not marked), the sampler's detection, the registry; unknown (-) when "
		                 "none does.\n\n"
		                 "| Profile | GPU | VRAM MB | RAM GB | CPU threads |\n"
		                 "|---|---|--:|--:|--:|\n");
	for (size_t i = 0; i < t->nprofiles && rc == PK_OK; i++) {
		const struct pk_tier_profile *p = &t->p[i];
		rc = pk_buf_puts(md, "| ");
		if (rc == PK_OK) rc = md_name(md, p->profile);
		if (rc == PK_OK) rc = pk_buf_puts(md, " | ");
		if (rc == PK_OK) rc = hardware(md, p);
		if (rc == PK_OK) rc = pk_buf_puts(md, " |\n");
	}
	return rc == PK_OK ? pk_buf_putc(md, '\n') : rc;
}

enum pk_status pk_req_figure_md(const struct pk_req_result *r, int kind, const char *caption,
                                struct pk_buf *md)
{
	if (!r->charts || kind < 0 || kind >= PK_REQ_NCHARTS || !r->charts->drawn[kind])
		return PK_OK;
	struct pk_buf url = PK_BUF_INIT;
	enum pk_status rc = pk_report_chart_url(r->charts_name, r->charts->file[kind], &url);
	if (rc == PK_OK) rc = pk_buf_puts(md, "![");
	if (rc == PK_OK) rc = pk_md_text(md, caption);
	if (rc == PK_OK) rc = pk_buf_printf(md, "](%s)\n\n*", url.data);
	if (rc == PK_OK) rc = pk_md_text(md, caption);
	if (rc == PK_OK) rc = pk_buf_puts(md, ".");
	/* The TES chart's runs are not drawn per profile: no P1..Pn key. */
	for (size_t i = 0; kind != PK_REQ_TES && i < r->now.nprofiles && rc == PK_OK; i++) {
		rc = pk_buf_printf(md, "%s P%zu = ", i ? "," : "", i + 1);
		if (rc == PK_OK) rc = md_name(md, r->now.p[i].profile);
	}
	/* machines known from nvidia-smi or sysstat alone have no latency point */
	for (size_t i = 0, k = 0; kind == PK_REQ_LATENCY_CAPACITY && i < r->now.nprofiles &&
	     rc == PK_OK; i++)
		if (r->now.p[i].lat_n == 0)
			rc = pk_buf_printf(md, "%sP%zu", k++ ? ", " : "; not drawn, without latency "
			                   "values: ", i + 1);
	if (rc == PK_OK && kind == PK_REQ_TES)
		rc = pk_buf_printf(md, " Week %s; source: agent runs and hardware samples.*\n\n",
		                   r->week);
	else if (rc == PK_OK)
		rc = pk_buf_printf(md, "; week %s; source: hardware samples.*\n\n", r->week);
	pk_buf_free(&url);
	return rc;
}

static enum pk_status pairwise(struct pk_buf *md, const struct pk_tiers *t)
{
	enum pk_status rc = pk_buf_puts(md, "## Pairwise comparisons\n\nConsecutive profiles in "
	                                "capacity order, on mean " LAT_LABEL "; Welch's test with "
	                                "n replaced by n_eff decides (alpha 0.05), Mann-Whitney "
	                                "beside it.\n\n");
	if (rc == PK_OK && t->nsteps == 0)
		rc = pk_buf_puts(md, "Fewer than two profiles have latency values this week: "
		                 "nothing to compare.\n");
	for (size_t i = 0; i < t->nsteps && rc == PK_OK; i++) {
		const struct pk_tier_step *s = &t->steps[i];
		const char *a = t->p[s->from].profile, *b = t->p[s->to].profile;
		char ma[PK_NUM_MAX], mb[PK_NUM_MAX], x[PK_NUM_MAX], p[PK_NUM_MAX], mw[PK_NUM_MAX];
		int sig = s->welch_p_adjusted < t->alpha;
		int faster = s->mean_to < s->mean_from;
		rc = pk_buf_puts(md, "- ");
		if (rc == PK_OK) rc = md_name(md, faster ? b : a);
		if (rc == PK_OK && sig)
			rc = pk_buf_printf(md, " is %s× faster than ",
			                   pk_md_sig(x, faster ? s->mean_from / s->mean_to
			                             : s->mean_to / s->mean_from, 2));
		else if (rc == PK_OK)
			rc = pk_buf_puts(md, " is not significantly faster than ");
		if (rc == PK_OK) rc = md_name(md, faster ? a : b);
		if (rc == PK_OK)
			rc = pk_buf_printf(md, " (mean %s vs %s ms), adjusted Welch p %s%s; Mann-Whitney "
			                   "p %s.\n", pk_md_sig(ma, faster ? s->mean_to : s->mean_from, 4),
			                   pk_md_sig(mb, faster ? s->mean_from : s->mean_to, 4),
			                   s->welch_p_adjusted < 1e-300 ? "" : "= ",
			                   pk_md_p(p, s->welch_p_adjusted), pk_md_p(mw, s->mannwhitney_p));
	}
	return rc == PK_OK ? pk_buf_putc(md, '\n') : rc;
}

static enum pk_status targets(struct pk_buf *md, const struct pk_tiers *t)
{
	enum pk_status rc = pk_buf_puts(md, "## Registry targets\n\n| Profile | Target | "
	    "Target ms | Acceptable ms | p95 ms | Target | Acceptable |\n"
	    "|---|---|--:|--:|--:|---|---|\n");
	for (size_t i = 0; i < t->nprofiles && rc == PK_OK; i++) {
		const struct pk_tier_profile *p = &t->p[i];
		char a[PK_NUM_MAX], b[PK_NUM_MAX], l[PK_NUM_MAX];
		static const char *const word[3] = { "unknown", "fail", "pass" };
		rc = pk_buf_puts(md, "| ");
		if (rc == PK_OK) rc = md_name(md, p->profile);
		if (rc == PK_OK) rc = pk_buf_puts(md, " | ");
		if (rc == PK_OK)
			rc = p->target_metric ? pk_md_escape(md, p->target_metric)
			     : pk_buf_puts(md, "none in the registry");
		if (rc == PK_OK)
			rc = pk_buf_printf(md, " | %s | %s | %s | %s | %s |\n", pk_md_sig(a, p->target, 4),
			                   pk_md_sig(b, p->acceptable, 4), pk_md_sig(l, p->lat_p95, 4),
			                   word[p->meets_target + 1], word[p->meets_acceptable + 1]);
	}
	return rc == PK_OK ? pk_buf_putc(md, '\n') : rc;
}

static const struct pk_tier_profile *find(const struct pk_tiers *t, const char *name)
{
	for (size_t i = 0; i < t->nprofiles; i++)
		if (!strcmp(t->p[i].profile, name))
			return &t->p[i];
	return NULL;
}

static enum pk_status tier_change(struct pk_buf *md, const struct pk_req_result *r,
                                  enum pk_tier_level lvl)
{
	long a = lvl == PK_TIER_MINIMUM ? r->before.minimum : lvl == PK_TIER_RECOMMENDED
	         ? r->before.recommended : r->before.optimal;
	long b = lvl == PK_TIER_MINIMUM ? r->now.minimum : lvl == PK_TIER_RECOMMENDED
	         ? r->now.recommended : r->now.optimal;
	const char *na = a >= 0 ? r->before.p[a].profile : NULL;
	const char *nb = b >= 0 ? r->now.p[b].profile : NULL;
	enum pk_status rc = pk_buf_printf(md, "| %s | ", pk_tier_level_str(lvl));
	if (rc == PK_OK) rc = na ? md_name(md, na) : pk_buf_puts(md, "none");
	if (rc == PK_OK) rc = pk_buf_puts(md, " | ");
	if (rc == PK_OK) rc = nb ? md_name(md, nb) : pk_buf_puts(md, "none");
	int same = (!na && !nb) || (na && nb && !strcmp(na, nb));
	return rc == PK_OK ? pk_buf_printf(md, " | %s |\n", same ? "unchanged" : "changed") : rc;
}

static enum pk_status week_over_week(struct pk_buf *md, const struct pk_req_result *r)
{
	enum pk_status rc = pk_buf_printf(md, "## Since last week\n\n| Tier | %s | %s | Change |\n"
	                                  "|---|---|---|---|\n", r->last_week, r->week);
	for (int k = 0; k < 3 && rc == PK_OK; k++)
		rc = tier_change(md, r, (enum pk_tier_level)k);
	if (rc == PK_OK)
		rc = pk_buf_printf(md, "\n| Profile | Mean latency %s | %s | Change | Adjusted Welch p "
		                   "|\n|---|--:|--:|--:|---|\n", r->last_week, r->week);
	for (size_t i = 0; i < r->now.nprofiles && rc == PK_OK; i++) {
		const struct pk_tier_profile *b = &r->now.p[i];
		const struct pk_tier_profile *a = find(&r->before, b->profile);
		char ma[PK_NUM_MAX], mb[PK_NUM_MAX], ch[PK_NUM_MAX], p[PK_NUM_MAX];
		double pa = NAN, ma_v = a ? a->lat_mean : NAN;
		if (a && a->lat_n >= 2 && b->lat_n >= 2)
			pa = pk_welch_p(a->lat_mean, a->lat_var, a->lat_n_eff, b->lat_mean, b->lat_var,
			                b->lat_n_eff);
		double change = 100 * (b->lat_mean - ma_v) / ma_v;
		rc = pk_buf_puts(md, "| ");
		if (rc == PK_OK) rc = md_name(md, b->profile);
		if (rc == PK_OK) {
			pk_md_fixed(ch, change, 1);
			rc = pk_buf_printf(md, " | %s%s | %s%s | %s%s%s | %s%s |\n", pk_md_sig(ma, ma_v, 4),
			                   isnan(ma_v) ? "" : " ms", pk_md_sig(mb, b->lat_mean, 4),
			                   isnan(b->lat_mean) ? "" : " ms",
			                   !isnan(change) && change > 0 ? "+" : "", ch,
			                   isnan(change) ? "" : " %", pk_md_p(p, pa),
			                   isnan(pa) ? "" : pa < r->now.alpha ? ", significant"
			                   : ", not significant");
		}
	}
	if (rc == PK_OK)
		rc = pk_buf_printf(md, "\n| Profile | p99 VRAM use %s | %s | p99 RAM use %s | %s |\n"
		                   "|---|--:|--:|--:|--:|\n", r->last_week, r->week, r->last_week,
		                   r->week);
	for (size_t i = 0; i < r->now.nprofiles && rc == PK_OK; i++) {
		const struct pk_tier_profile *b = &r->now.p[i];
		const struct pk_tier_profile *a = find(&r->before, b->profile);
		char v1[16], v2[16], r1[16], r2[16];
		rc = pk_buf_puts(md, "| ");
		if (rc == PK_OK) rc = md_name(md, b->profile);
		if (rc == PK_OK)
			rc = pk_buf_printf(md, " | %s | %s | %s | %s |\n", pct(v1, a ? a->vram.share : NAN),
			                   pct(v2, b->vram.share), pct(r1, a ? a->ram.share : NAN),
			                   pct(r2, b->ram.share));
	}
	return rc == PK_OK ? pk_buf_putc(md, '\n') : rc;
}

static enum pk_status methods(struct pk_buf *md)
{
	return pk_buf_puts(md, "## Methods\n\n"
	    "- Window: the ISO week (Monday 00:00 to Monday 00:00 UTC); every profile in the "
	    "same window. The default week is the last full week of data.\n"
	    "- Latency: " LAT_LABEL "; p95 by linear interpolation (numpy \"linear\"); its 95 % "
	    "CI is the quantiles at 0.95 -/+ 1.96 sqrt(0.95 x 0.05 / n_eff); n_eff = n (1 - r1) "
	    "/ (1 + r1) from the lag-1 autocorrelation r1.\n"
	    "- Memory: p99 of gpu.memory_used_mb and memory.used_gb as a share of capacity; a "
	    "machine fits when both stay under 90 %.\n"
	    "- Minimum: the smallest machine (capacity order: VRAM, then RAM, then CPU threads) "
	    "that fits and whose "
	    "p95 meets its registry acceptable limit. Recommended: the smallest at or above the "
	    "minimum that fits and meets its target. Optimal: from the recommended machine, the "
	    "next larger fitting one is taken while it is significantly faster (Welch's test with "
	    "n_eff, alpha 0.05).\n"
	    "- Week over week: the same Welch test with n_eff between the two weeks' latency "
	    "values.\n");
}

enum pk_status pk_req_markdown(const struct pk_req_result *r, int64_t generated_us,
                               struct pk_buf *md)
{
	enum pk_status rc = heading(md, r, generated_us);
	if (rc == PK_OK) rc = decision(md, &r->now);
	if (rc == PK_OK) rc = exclusions(md, &r->now);
	if (rc == PK_OK) rc = profiles(md, &r->now);
	if (rc == PK_OK)
		rc = pk_req_figure_md(r, PK_REQ_LATENCY_CAPACITY, "p95 wake-word latency against GPU "
		                      "memory capacity, with its 95 % confidence interval", md);
	if (rc == PK_OK) rc = pairwise(md, &r->now);
	if (rc == PK_OK) rc = targets(md, &r->now);
	if (rc == PK_OK) rc = pk_req_correlation_md(r, md);
	if (rc == PK_OK) rc = pk_req_throttling_md(r, md);
	if (rc == PK_OK) rc = pk_req_quality_md(r, md);
	if (rc == PK_OK) rc = pk_req_recommendations_md(r, md);
	if (rc == PK_OK) rc = week_over_week(md, r);
	if (rc == PK_OK) rc = methods(md);
	return rc;
}
