/* report_exps_md.c - the Markdown of the report of several experiments side
 * by side, tested against the first (see report_exp_md.h). */
#include "report_exp_md.h"

#include <math.h>
#include <string.h>

#include "version.h"

#define put pk_mo_put
#define putf pk_mo_putf
#define esc pk_mo_esc
#define num pk_mo_num

/* "| label |" then one cell per experiment from cell(). */
typedef void (*cell_fn)(struct pk_md_out *o, const struct pk_exp_result *r,
                        const struct pk_exp_info *info);

static void row(struct pk_md_out *o, const char *label, const struct pk_exp_result *r,
                const struct pk_exp_info *info, size_t n, cell_fn cell)
{
	put(o, "| ");
	put(o, label);
	put(o, " |");
	for (size_t i = 0; i < n; i++) {
		put(o, " ");
		cell(o, &r[i], &info[i]);
		put(o, " |");
	}
	put(o, "\n");
}

static void c_id(struct pk_md_out *o, const struct pk_exp_result *r, const struct pk_exp_info *i)
{
	(void)i;
	esc(o, r->d.id);
}
static void c_name(struct pk_md_out *o, const struct pk_exp_result *r, const struct pk_exp_info *i)
{
	(void)i;
	if (r->d.name)
		esc(o, r->d.name);
	else
		put(o, "-");
}
static void c_mode(struct pk_md_out *o, const struct pk_exp_result *r, const struct pk_exp_info *i)
{
	(void)i;
	if (r->d.mode)
		esc(o, r->d.mode);
	else
		put(o, "-");
}
static void c_window(struct pk_md_out *o, const struct pk_exp_result *r, const struct pk_exp_info *i)
{
	(void)i;
	pk_exp_md_window(o, r);
}
static void c_sources(struct pk_md_out *o, const struct pk_exp_result *r, const struct pk_exp_info *i)
{
	(void)r;
	pk_exp_md_sources(o, i);
}
static void c_cycles(struct pk_md_out *o, const struct pk_exp_result *r, const struct pk_exp_info *i)
{
	(void)i;
	pk_mo_count(o, r->d.c.n);
}
static void c_dur_mean(struct pk_md_out *o, const struct pk_exp_result *r, const struct pk_exp_info *i)
{
	(void)i;
	num(o, r->stat[PK_EXPM_DURATION].s.mean, 4, NULL);
}
static void c_dur_median(struct pk_md_out *o, const struct pk_exp_result *r, const struct pk_exp_info *i)
{
	(void)i;
	num(o, r->stat[PK_EXPM_DURATION].s.median, 4, NULL);
}
static void c_dur_p95(struct pk_md_out *o, const struct pk_exp_result *r, const struct pk_exp_info *i)
{
	(void)i;
	num(o, r->stat[PK_EXPM_DURATION].s.p95, 4, NULL);
}
static void c_cv(struct pk_md_out *o, const struct pk_exp_result *r, const struct pk_exp_info *i)
{
	(void)i;
	num(o, r->cv, 3, NULL);
}
static void c_tps_mean(struct pk_md_out *o, const struct pk_exp_result *r, const struct pk_exp_info *i)
{
	(void)i;
	num(o, r->stat[PK_EXPM_TPS].s.mean, 4, NULL);
}
static void c_tps_n(struct pk_md_out *o, const struct pk_exp_result *r, const struct pk_exp_info *i)
{
	(void)i;
	pk_mo_count(o, r->stat[PK_EXPM_TPS].s.count);
}
static void c_mem_max(struct pk_md_out *o, const struct pk_exp_result *r, const struct pk_exp_info *i)
{
	(void)i;
	num(o, r->stat[PK_EXPM_MEM].s.max, 4, NULL);
}
static void c_crash(struct pk_md_out *o, const struct pk_exp_result *r, const struct pk_exp_info *i)
{
	(void)i;
	num(o, r->crash_rate, 3, NULL);
	putf(o, " (%zu of %zu)", r->crashed, r->crash_known);
}
static void c_leak(struct pk_md_out *o, const struct pk_exp_result *r, const struct pk_exp_info *i)
{
	(void)i;
	put(o, !strcmp(r->leak, "leak") ? "**leak**" : r->leak);
}
static void c_rules(struct pk_md_out *o, const struct pk_exp_result *r, const struct pk_exp_info *i)
{
	(void)i;
	int any = 0;
	for (int k = 0; k < PK_RULE_N; k++) {
		if (!r->rules[k].fired)
			continue;
		put(o, any ? ", " : "");
		pk_mo_txt(o, r->rules[k].type);
		any = 1;
	}
	if (!any)
		put(o, "none");
}

/* One sentence on experiment i against E1 for a metric. */
static void bottom_line(struct pk_md_out *o, size_t i, const char *what, const char *unit,
                        double diff, double welch, double mw, const char *up, const char *down)
{
	putf(o, "- **E%zu vs E1, %s:** ", i + 1, what);
	if (!isfinite(diff) || !isfinite(welch)) {
		put(o, "no test (too few values on a side).\n");
		return;
	}
	int sig = welch < 0.05;
	putf(o, "E%zu is ", i + 1);
	num(o, fabs(diff), 3, unit);
	put(o, " ");
	put(o, diff >= 0 ? up : down);
	put(o, " on average (Welch p ");
	pk_mo_p(o, welch);
	put(o, ", Mann\xe2\x80\x93Whitney p ");
	pk_mo_p(o, mw);
	put(o, sig ? "): significant at 0.05.\n" : "): not significant at 0.05.\n");
}

enum pk_status pk_exps_report_md(const struct pk_exp_result *r,
                                 const struct pk_exp_vs *vs,
                                 const struct pk_exp_info *info, size_t n,
                                 const struct pk_exp_doc *d, struct pk_buf *md)
{
	struct pk_md_out o = { md, PK_OK };
	putf(&o, "# %zu experiments side by side\n\nGenerated ", n);
	pk_mo_time(&o, d->generated_us);
	putf(&o, " by perfreport %s. Tables and charts call the experiments E1 to E%zu; "
	     "each is tested against E1.\n\n## Experiments\n\n| |", PERFKIT_VERSION, n);
	for (size_t i = 0; i < n; i++)
		putf(&o, " E%zu |", i + 1);
	put(&o, "\n|---|");
	for (size_t i = 0; i < n; i++)
		put(&o, "---|");
	put(&o, "\n");
	row(&o, "ID", r, info, n, c_id);
	row(&o, "Name", r, info, n, c_name);
	row(&o, "Mode", r, info, n, c_mode);
	row(&o, "Window", r, info, n, c_window);
	row(&o, "Source", r, info, n, c_sources);
	put(&o, "\n## Side by side\n\n| Statistic |");
	for (size_t i = 0; i < n; i++)
		putf(&o, " E%zu |", i + 1);
	put(&o, "\n|---|");
	for (size_t i = 0; i < n; i++)
		put(&o, "--:|");
	put(&o, "\n");
	row(&o, "Cycles", r, info, n, c_cycles);
	row(&o, "Cycle time, mean (s)", r, info, n, c_dur_mean);
	row(&o, "Cycle time, median (s)", r, info, n, c_dur_median);
	row(&o, "Cycle time, p95 (s)", r, info, n, c_dur_p95);
	row(&o, "Cycle time, coefficient of variation", r, info, n, c_cv);
	row(&o, "Tokens/s, mean", r, info, n, c_tps_mean);
	row(&o, "Tokens/s, cycles with a value", r, info, n, c_tps_n);
	row(&o, "Peak memory, highest (MB)", r, info, n, c_mem_max);
	row(&o, "Crash rate", r, info, n, c_crash);
	row(&o, "Memory leak", r, info, n, c_leak);
	put(&o, "\nBottleneck rules that fire (the writer\xe2\x80\x99s rules, recomputed):\n\n");
	for (size_t i = 0; i < n; i++) {
		putf(&o, "- **E%zu:** ", i + 1);
		c_rules(&o, &r[i], &info[i]);
		put(&o, "\n");
	}
	put(&o, "\n## Tests against E1\n\n");
	if (n < 2) {
		put(&o, "Only one experiment: nothing to test.\n\n");
	} else {
		put(&o, "Each row is an experiment against E1: the difference of the means (the "
		        "experiment\xe2\x80\x99s minus E1\xe2\x80\x99s) and the two-sided p of "
		        "Welch\xe2\x80\x99s t test and of the Mann\xe2\x80\x93Whitney U test.\n\n"
		        "| | Cycle time \xce\x94 (s) | Welch p | MW p "
		        "| Tokens/s \xce\x94 | Welch p | MW p |\n"
		        "|---|--:|--:|--:|--:|--:|--:|\n");
		for (size_t i = 1; i < n; i++) {
			putf(&o, "| E%zu | ", i + 1);
			num(&o, vs[i].diff_duration, 4, NULL);
			put(&o, " | ");
			pk_mo_p(&o, vs[i].welch_duration);
			put(&o, " | ");
			pk_mo_p(&o, vs[i].mw_duration);
			put(&o, " | ");
			num(&o, vs[i].diff_tps, 4, NULL);
			put(&o, " | ");
			pk_mo_p(&o, vs[i].welch_tps);
			put(&o, " | ");
			pk_mo_p(&o, vs[i].mw_tps);
			put(&o, " |\n");
		}
		put(&o, "\n");
		for (size_t i = 1; i < n; i++) {
			bottom_line(&o, i, "cycle time", "s", vs[i].diff_duration, vs[i].welch_duration,
			            vs[i].mw_duration, "slower per cycle", "faster per cycle");
			bottom_line(&o, i, "tokens/s", "tok/s", vs[i].diff_tps, vs[i].welch_tps,
			            vs[i].mw_tps, "higher", "lower");
		}
		put(&o, "\n");
	}
	if (d->charts && d->charts->n) {
		put(&o, "## Figures\n\nEach experiment\xe2\x80\x99s empirical CDF (the fraction of its "
		        "cycles at or below a value); E1 to E8 in the colours of the Okabe\xe2\x80\x93Ito "
		        "palette, in order. The gnuplot script ");
		esc(&o, d->script_name);
		put(&o, " draws them again; each chart is also a standalone SVG file in ");
		esc(&o, d->charts_name);
		put(&o, ".\n\n");
		for (size_t k = 0; k < d->charts->n; k++) {
			const struct pk_expc_chart *ch = &d->charts->c[k];
			int dur = ch->kind == PK_EXPC_CYCLE_CDF;
			pk_exp_md_figure(&o, d, ch, k + 1, dur ? "Cycle duration CDFs" : "Tokens/s CDFs",
			                 dur ? "Cycle duration of each experiment, empirical CDF."
			                     : "Tokens per second of each experiment, empirical CDF.");
			putf(&o, "*Windows: as in the table of experiments; n = %zu cycles "
			     "with a value over all experiments (", ch->n);
			for (size_t i = 0; i < n; i++)
				putf(&o, "%sE%zu %zu", i ? ", " : "", i + 1,
				     r[i].stat[dur ? PK_EXPM_DURATION : PK_EXPM_TPS].s.count);
			put(&o, "); sources: as in the table of experiments.*\n\n");
		}
	}
	pk_exp_md_methods(&o);
	return o.st;
}
