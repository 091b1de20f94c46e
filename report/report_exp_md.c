/* report_exp_md.c - the Markdown of the one-experiment report (see
 * report_exp_md.h); the side-by-side report is in report_exps_md.c. */
#include "report_exp_md.h"

#include <math.h>
#include <string.h>

#include "markdown.h"
#include "reduce.h"
#include "version.h"

#define put pk_mo_put
#define putf pk_mo_putf
#define esc pk_mo_esc
#define num pk_mo_num

static const char *const metric_label[PK_EXPM_N] = {
	"Cycle duration", "LLM time", "Database time", "Tokens per second",
	"Peak memory"
};

void pk_exp_md_window(struct pk_md_out *o, const struct pk_exp_result *r)
{
	const struct pk_exp_data *d = &r->d;
	if (d->start_us != INT64_MIN || d->end_us != INT64_MIN) {
		pk_mo_time(o, d->start_us);
		put(o, " to ");
		pk_mo_time(o, d->end_us);
		put(o, " (as recorded), ");
	}
	if (d->c.n)
		putf(o, "cycles %.0f\xe2\x80\x93%.0f", d->c.cycle[0], d->c.cycle[d->c.n - 1]);
	else
		put(o, "no cycles");
}

void pk_exp_md_sources(struct pk_md_out *o, const struct pk_exp_info *info)
{
	if (!info || info->nsources == 0) {
		put(o, "none recorded");
		return;
	}
	for (size_t i = 0; i < info->nsources; i++) {
		if (i)
			put(o, i + 1 == info->nsources ? " and " : ", ");
		const char *path = info->sources[i].key, *slash = strrchr(path, '/');
		esc(o, slash ? slash + 1 : path);
		if (info->sources[i].value[0]) {
			put(o, " (member ");
			esc(o, info->sources[i].value);
			put(o, ")");
		}
	}
}

/* The name of a bottleneck rule (static text with underscores). */
static void rule_name(struct pk_md_out *o, const char *type)
{
	pk_mo_txt(o, type);
}

void pk_exp_md_figure(struct pk_md_out *o, const struct pk_exp_doc *d,
                      const struct pk_expc_chart *ch, size_t number,
                      const char *alt, const char *caption)
{
	put(o, "![");
	pk_mo_txt(o, alt);
	put(o, "](");
	if (o->st == PK_OK)
		o->st = pk_md_url_path(o->b, d->charts_name);
	put(o, "/");
	if (o->st == PK_OK)
		o->st = pk_md_url_path(o->b, ch->file);
	putf(o, ")\n\n**Figure %zu.** ", number);
	put(o, caption);
	put(o, " ");
}

static const struct pk_expc_chart *chart_of(const struct pk_exp_doc *d,
                                            enum pk_expc_kind k)
{
	for (size_t i = 0; d->charts && i < d->charts->n; i++)
		if (d->charts->c[i].kind == k)
			return &d->charts->c[i];
	return NULL;
}

static const struct pk_exp_bottleneck *rule(const struct pk_exp_result *r, int k)
{
	return &r->rules[k];
}

static void section_title(struct pk_md_out *o, const struct pk_exp_result *r,
                          const struct pk_exp_doc *d)
{
	put(o, "# Experiment ");
	esc(o, r->d.id);
	put(o, "\n\nGenerated ");
	pk_mo_time(o, d->generated_us);
	putf(o, " by perfreport %s.\n\n", PERFKIT_VERSION);
	put(o, "Name: ");
	if (r->d.name)
		esc(o, r->d.name);
	else
		put(o, "not recorded");
	put(o, ". Mode: ");
	if (r->d.mode)
		esc(o, r->d.mode);
	else
		put(o, "not recorded");
	put(o, ". Window: ");
	pk_exp_md_window(o, r);
	put(o, ".\n\n");
}

static void section_summary(struct pk_md_out *o, const struct pk_exp_result *r)
{
	const struct pk_summary *dur = &r->stat[PK_EXPM_DURATION].s;
	const struct pk_summary *tps = &r->stat[PK_EXPM_TPS].s;
	put(o, "## Summary\n\n");
	putf(o, "- **Cycles:** %zu", r->d.c.n);
	putf(o, "; %zu crashed of %zu with a crash flag (rate ", r->crashed, r->crash_known);
	num(o, r->crash_rate, 3, NULL);
	put(o, ").\n- **Cycle time:** mean ");
	num(o, dur->mean, 3, "s");
	put(o, ", median ");
	num(o, dur->median, 3, "s");
	put(o, ", p95 ");
	num(o, dur->p95, 3, "s");
	put(o, "; coefficient of variation ");
	num(o, r->cv, 3, NULL);
	putf(o, " (n = %zu).\n- **Tokens per second:** mean ", dur->count);
	num(o, tps->mean, 4, NULL);
	put(o, ", median ");
	num(o, tps->median, 4, NULL);
	putf(o, " (n = %zu); trend ", tps->count);
	num(o, r->tps.slope, 3, "tok/s per cycle");
	put(o, ", p ");
	pk_mo_p(o, r->tps.p);
	put(o, ".\n- **Memory:** ");
	if (!strcmp(r->leak, "leak")) {
		put(o, "**leak**: peak memory grows ");
		num(o, r->mem.slope, 3, "MB per cycle");
		put(o, " (least squares, p ");
		pk_mo_p(o, r->mem.p);
		put(o, "; Theil\xe2\x80\x93Sen ");
		num(o, r->mem.theil_sen, 3, "MB per cycle");
		put(o, "), ");
		num(o, 100 * r->mem.growth, 3, "%");
		put(o, " over the run.\n");
	} else {
		put(o, r->leak);
		put(o, " (least-squares slope ");
		num(o, r->mem.slope, 3, "MB per cycle");
		put(o, ", p ");
		pk_mo_p(o, r->mem.p);
		put(o, ", growth ");
		num(o, 100 * r->mem.growth, 3, "%");
		put(o, ").\n");
	}
	put(o, "- **Bottlenecks:** ");
	int any = 0;
	for (int k = 0; k < PK_RULE_N; k++) {
		const struct pk_exp_bottleneck *b = rule(r, k);
		if (!b->fired)
			continue;
		put(o, any ? ", " : "");
		rule_name(o, b->type);
		put(o, " (");
		put(o, b->severity);
		put(o, ")");
		any = 1;
	}
	put(o, any ? " by the writer\xe2\x80\x99s rules, recomputed.\n\n"
	           : "none of the writer\xe2\x80\x99s rules fires.\n\n");
}

static void note(struct pk_md_out *o, const struct pk_exp_result *r,
                 const struct pk_exp_info *info, size_t n, const char *what)
{
	put(o, "*Window: ");
	pk_exp_md_window(o, r);
	putf(o, "; n = %zu cycle%s %s; source: ", n, n == 1 ? "" : "s", what);
	pk_exp_md_sources(o, info);
	put(o, ".*\n\n");
}

static void section_figures(struct pk_md_out *o, const struct pk_exp_result *r,
                            const struct pk_exp_info *info, const struct pk_exp_doc *d)
{
	if (!d->charts || d->charts->n == 0)
		return;
	put(o, "## Figures\n\n");
	putf(o, "Series of more than %d cycles are drawn per pixel column (%d "
	     "columns): the line is the column\xe2\x80\x99s mean, the band its minimum "
	     "to maximum. The gnuplot script ", 2 * PK_CHART_COLUMNS, PK_CHART_COLUMNS);
	esc(o, d->script_name);
	put(o, " beside this report draws them again; each chart is also a "
	       "standalone SVG file in ");
	esc(o, d->charts_name);
	put(o, ".\n\n");
	size_t fig = 0;
	const struct pk_expc_chart *ch;
	if ((ch = chart_of(d, PK_EXPC_CYCLE))) {
		pk_exp_md_figure(o, d, ch, ++fig, "Cycle duration over cycles",
		                 "Cycle timeline: the duration of each cycle in cycle order.");
		if (d->charts->crashes_marked)
			put(o, "Triangles on the axis mark crashed cycles (one mark per pixel column). ");
		note(o, r, info, ch->n, "with a duration");
	}
	if ((ch = chart_of(d, PK_EXPC_STACK))) {
		pk_exp_md_figure(o, d, ch, ++fig, "Timing breakdown per cycle",
		                 "Where each cycle\xe2\x80\x99s time goes: LLM inference, "
		                 "database and the rest of the cycle, stacked.");
		if (ch->group > 1)
			putf(o, "Each bar is the mean of %zu consecutive cycles. ", ch->group);
		note(o, r, info, ch->n, "with duration, LLM and database time");
	}
	if ((ch = chart_of(d, PK_EXPC_MEM))) {
		pk_exp_md_figure(o, d, ch, ++fig, "Peak memory per cycle with fits",
		                 "Peak memory per cycle with the least-squares and "
		                 "Theil\xe2\x80\x93Sen lines.");
		put(o, "Leak verdict: ");
		put(o, r->leak);
		put(o, ". ");
		note(o, r, info, ch->n, "with a peak memory");
	}
	if ((ch = chart_of(d, PK_EXPC_TPS))) {
		pk_exp_md_figure(o, d, ch, ++fig, "Tokens per second per cycle with fits",
		                 "Tokens per second per cycle with the least-squares and "
		                 "Theil\xe2\x80\x93Sen lines.");
		note(o, r, info, ch->n, "with tokens/s");
	}
}

static void section_stats(struct pk_md_out *o, const struct pk_exp_result *r)
{
	put(o, "## Per-cycle statistics\n\n"
	       "| Metric | Unit | n | Missing | Mean | Median | SD | Min | Max | p95 | p99 |\n"
	       "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
	for (int m = 0; m < PK_EXPM_N; m++) {
		const struct pk_summary *s = &r->stat[m].s;
		const double v[] = { s->mean, s->median, s->stdev, s->min, s->max, s->p95, s->p99 };
		putf(o, "| %s | ", metric_label[m]);
		pk_mo_txt(o, pk_exp_metric_unit[m]);
		putf(o, " | %zu | %zu |", s->count, r->stat[m].missing);
		for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
			put(o, " ");
			num(o, v[i], 4, NULL);
			put(o, " |");
		}
		put(o, "\n");
	}
	put(o, "\n");
}

static void section_timings(struct pk_md_out *o, const struct pk_exp_result *r)
{
	put(o, "## Timing breakdown\n\n");
	if (r->d.ntimings == 0) {
		put(o, "The writer recorded no timings.\n\n");
	} else {
		put(o, "Each timing name\xe2\x80\x99s total over the experiment and its share of the "
		       "summed cycle time (");
		num(o, r->total_cycle_time, 4, "s");
		put(o, "); timings may overlap or leave parts of a cycle out, so shares "
		       "need not add up to 100 %.\n\n"
		       "| Timing | Total (s) | Share | Count | Mean (s) |\n|---|--:|--:|--:|--:|\n");
		size_t shown = r->d.ntimings < PK_EXP_TABLE_MAX ? r->d.ntimings : PK_EXP_TABLE_MAX;
		for (size_t i = 0; i < shown; i++) {
			const struct pk_exp_timing *t = &r->timings[i];
			put(o, "| ");
			if (t->name)
				esc(o, t->name);
			else
				put(o, "(no name)");
			put(o, " | ");
			num(o, t->total, 4, NULL);
			put(o, " | ");
			num(o, 100 * t->share, 3, "%");
			putf(o, " | %zu | ", t->count);
			num(o, t->mean, 4, NULL);
			put(o, " |\n");
		}
		if (shown < r->d.ntimings)
			putf(o, "\nThe %zu timing names with the largest totals of %zu; perfanalyze "
			     "--experiment lists them all.\n", shown, r->d.ntimings);
		put(o, "\n");
	}
	put(o, "Mode overhead (cycle duration \xe2\x88\x92 LLM time \xe2\x88\x92 database time) "
	       "averages ");
	num(o, r->mean_mode_overhead, 4, "s");
	put(o, " per cycle; the timings named mode\\_overhead average ");
	num(o, r->timing_mode_overhead, 4, "s");
	put(o, ".\n\n");
}

static void put_value(struct pk_md_out *o, const struct pk_exp_bottleneck *b, double v)
{
	if (!strcmp(b->type, "memory_pressure"))
		num(o, v, 4, "MB");
	else if (!strcmp(b->type, "slow_cycles"))
		num(o, v, 4, "s");
	else
		num(o, 100 * v, 3, "% of mean cycle");
}

static void section_bottlenecks(struct pk_md_out *o, const struct pk_exp_result *r)
{
	put(o, "## Bottlenecks\n\n"
	       "The writer\xe2\x80\x99s own rules recomputed from the cycles, beside what "
	       "the writer recorded (a recorded bottleneck is matched by its type, or "
	       "by its `component` key when it has no type).\n\n"
	       "| Rule | Fired | Severity | Value | Limit | Cycles | Recorded | Recorded % of cycle | Agree |\n"
	       "|---|---|---|--:|--:|--:|---|--:|---|\n");
	for (int k = 0; k < PK_RULE_N; k++) {
		const struct pk_exp_bottleneck *b = rule(r, k);
		put(o, "| ");
		rule_name(o, b->type);
		putf(o, " | %s | %s | ",
		     !b->evaluated ? "not evaluated" : b->fired ? "**yes**" : "no",
		     b->severity ? b->severity : "-");
		put_value(o, b, b->value);
		put(o, " | ");
		put_value(o, b, b->limit);
		putf(o, " | %zu | ", b->count);
		if (b->recorded) {
			put(o, "yes (");
			esc(o, b->recorded->severity ? b->recorded->severity : "no severity");
			put(o, ")");
		} else {
			put(o, "no");
		}
		put(o, " | ");
		num(o, b->recorded ? b->recorded->percentage_of_cycle : NAN, 4, NULL);
		put(o, " | ");
		put(o, !b->evaluated ? "-" : b->agree ? "yes" : "**no**");
		put(o, " |\n");
	}
	put(o, "\nValue: the statistic the rule tests: the share of the mean cycle time "
	       "for llm\\_inference, database and mode\\_overhead, the highest peak memory "
	       "for memory\\_pressure, the slowest cycle for slow\\_cycles (whose Cycles "
	       "column counts cycles over 1.5 \xc3\x97 the mean). \xe2\x80\x9cnot evaluated\xe2\x80\x9d: "
	       "the rule\xe2\x80\x99s inputs are missing.\n\n");
	int header = 0;
	for (size_t i = 0; i < r->d.nrecorded; i++) {
		const struct pk_exp_recorded *rec = &r->d.recorded[i];
		int known = 0;
		for (int k = 0; k < PK_RULE_N; k++)
			known |= rec->type && !strcmp(rec->type, r->rules[k].type);
		if (known)
			continue;
		if (!header)
			put(o, "Recorded by the writer with no rule of ours to check them:\n\n");
		header = 1;
		put(o, "- ");
		esc(o, rec->type ? rec->type : "(no type)");
		put(o, " (");
		esc(o, rec->severity ? rec->severity : "no severity");
		put(o, ")");
		if (rec->description) {
			put(o, ": ");
			esc(o, rec->description);
		}
		put(o, "\n");
	}
	if (header)
		put(o, "\n");
}

static void section_crashes(struct pk_md_out *o, const struct pk_exp_result *r)
{
	put(o, "## Crashes\n\n");
	putf(o, "%zu of %zu cycles with a crash flag crashed (rate ", r->crashed, r->crash_known);
	num(o, r->crash_rate, 3, NULL);
	size_t noflag = r->d.c.n - r->crash_known;
	putf(o, "); %zu cycle%s no flag.\n\n", noflag, noflag == 1 ? " has" : "s have");
	if (r->d.nreasons == 0)
		return;
	put(o, "| Reason | Cycles |\n|---|--:|\n");
	size_t shown = r->d.nreasons < PK_EXP_TABLE_MAX ? r->d.nreasons : PK_EXP_TABLE_MAX;
	for (size_t i = 0; i < shown; i++) {
		put(o, "| ");
		if (r->d.reasons[i].reason)
			esc(o, r->d.reasons[i].reason);
		else
			put(o, "(no reason recorded)");
		putf(o, " | %zu |\n", r->d.reasons[i].count);
	}
	if (shown < r->d.nreasons)
		putf(o, "\nThe %zu most frequent of %zu crash reasons; perfanalyze --experiment "
		     "lists them all.\n", shown, r->d.nreasons);
	put(o, "\n");
}

static void trend_row(struct pk_md_out *o, const char *what, const char *unit,
                      const struct pk_exp_trend *t, double icpt)
{
	putf(o, "| %s | %zu | ", what, t->n);
	num(o, t->slope, 4, unit);
	put(o, " | ");
	pk_mo_p(o, t->p);
	put(o, " | ");
	num(o, 100 * t->growth, 3, "%");
	put(o, " | ");
	num(o, t->theil_sen, 4, unit);
	put(o, " | ");
	num(o, icpt, 4, NULL);
	put(o, " | ");
	char s[PK_NUM_MAX];
	put(o, pk_md_fixed(s, t->mk_s, 0));
	put(o, " | ");
	num(o, t->mk_z, 4, NULL);
	put(o, " | ");
	pk_mo_p(o, t->mk_p);
	put(o, " |\n");
}

static void section_trends(struct pk_md_out *o, const struct pk_exp_result *r,
                           const struct pk_exp_doc *d)
{
	double im = d->charts ? d->charts->ts_icpt_mem : NAN;
	double it = d->charts ? d->charts->ts_icpt_tps : NAN;
	put(o, "## Memory and throughput trends\n\n"
	       "| Series | n | OLS slope (per cycle) | OLS p | Fitted growth | Theil\xe2\x80\x93Sen slope "
	       "| Theil\xe2\x80\x93Sen intercept | Mann\xe2\x80\x93Kendall S | z | p |\n"
	       "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
	trend_row(o, "Peak memory", "MB", &r->mem, im);
	trend_row(o, "Tokens per second", "tok/s", &r->tps, it);
	put(o, "\nMemory-leak verdict: **");
	put(o, r->leak);
	put(o, "** (a leak is a positive least-squares slope with p < 0.01 and fitted "
	       "growth above 10 %).\n\n");
}

static void section_system(struct pk_md_out *o, const struct pk_exp_info *info)
{
	put(o, "## System information (as recorded)\n\n");
	if (!info || info->nsystem == 0) {
		put(o, "The experiment file holds no system information.\n\n");
		return;
	}
	put(o, "| Key | Value |\n|---|---|\n");
	for (size_t i = 0; i < info->nsystem; i++) {
		put(o, "| ");
		esc(o, info->system[i].key);
		put(o, " | ");
		esc(o, info->system[i].value);
		put(o, " |\n");
	}
	put(o, "\n");
}

static void section_recommendations(struct pk_md_out *o, const struct pk_exp_result *r,
                                    const struct pk_exp_info *info)
{
	put(o, "## Recommendations\n\n");
	int any = 0;
	if (!strcmp(r->leak, "leak")) {
		put(o, "- **Memory leak.** Peak memory grows ");
		num(o, r->mem.slope, 3, "MB per cycle");
		put(o, " (p ");
		pk_mo_p(o, r->mem.p);
		put(o, ", ");
		num(o, 100 * r->mem.growth, 3, "%");
		put(o, " over the run): find what each cycle keeps (caches, histories, "
		       "tensors held by references), profile allocations between two cycles, "
		       "and restart the worker periodically until it is fixed.\n");
		any = 1;
	}
	for (int k = 0; k < PK_RULE_N; k++) {
		const struct pk_exp_bottleneck *b = rule(r, k);
		if (!b->fired)
			continue;
		put(o, "- **");
		rule_name(o, b->type);
		putf(o, "** (%s; ", b->severity);
		put_value(o, b, b->value);
		put(o, " against a limit of ");
		put_value(o, b, b->limit);
		put(o, "). ");
		pk_mo_txt(o, b->recommendation);
		put(o, ".\n");
		any = 1;
	}
	if (!any)
		put(o, "Nothing to recommend: no rule fires and memory does not leak.\n");
	put(o, "\n");
	if (info && info->nrecommendations) {
		put(o, "The writer recorded these recommendations:\n\n");
		for (size_t i = 0; i < info->nrecommendations; i++) {
			put(o, "- ");
			esc(o, info->recommendations[i]);
			put(o, "\n");
		}
		put(o, "\n");
	}
}

void pk_exp_md_methods(struct pk_md_out *o)
{
	put(o, "## Methods\n\n"
	       "- **Data.** The experiment\xe2\x80\x99s cycles from the perfkit database, in "
	       "cycle order. A missing value is left out of every statistic that needs it, "
	       "never counted as zero; n counts the cycles with a value.\n"
	       "- **Statistics.** Mean; median and percentiles p95, p99 by linear "
	       "interpolation between order statistics (numpy\xe2\x80\x99s default); SD "
	       "with n \xe2\x88\x92 1; coefficient of variation = SD / mean of cycle duration.\n"
	       "- **Timing shares.** A timing name\xe2\x80\x99s total over the experiment "
	       "divided by the sum of all cycle durations.\n"
	       "- **Mode overhead.** Per cycle, duration \xe2\x88\x92 LLM time \xe2\x88\x92 "
	       "database time, over the cycles where all three are present.\n"
	       "- **Timing stack (figure).** Per cycle LLM time, database time and the rest "
	       "= max(0, duration \xe2\x88\x92 LLM \xe2\x88\x92 database), drawn as 0 when timings "
	       "overlap; above 200 cycles, the means over consecutive groups of "
	       "\xe2\x8c\x88n / 200\xe2\x8c\x89 cycles.\n"
	       "- **Bottleneck rules.** The writer\xe2\x80\x99s rules with M = mean cycle "
	       "duration: llm\\_inference when mean LLM time > 0.60 M (high); database when "
	       "mean database time > 0.15 M (medium), > 0.30 M (high); mode\\_overhead when "
	       "mean mode overhead > 0.10 M (medium); memory\\_pressure when the highest peak "
	       "memory > 0.80 \xc3\x97 system memory (high); slow\\_cycles when the slowest "
	       "cycle > 2 M (medium), counting the cycles over 1.5 M.\n"
	       "- **Crash rate.** Crashed cycles / cycles whose crash flag is present.\n"
	       "- **Least squares (OLS).** y = a + b \xc3\x97 cycle; p: two-sided t test of "
	       "b = 0 with n \xe2\x88\x92 2 degrees of freedom (as scipy.stats.linregress). "
	       "Fitted growth = b (last cycle \xe2\x88\x92 first cycle) / (a + b \xc3\x97 first "
	       "cycle), undefined when the fitted start is not positive.\n"
	       "- **Theil\xe2\x80\x93Sen.** Slope: the median of the slopes of all pairs "
	       "of cycles (exact). Intercept: median(y) \xe2\x88\x92 slope \xc3\x97 "
	       "median(cycle) (scipy.stats.theilslopes\xe2\x80\x99 default). Robust to "
	       "outliers, unlike least squares.\n"
	       "- **Mann\xe2\x80\x93Kendall.** S = the sum of sign(later y \xe2\x88\x92 "
	       "earlier y) over all pairs of cycles, variance with the tie "
	       "correction, z with continuity correction, p = two-sided normal p.\n"
	       "- **Leak verdict.** \xe2\x80\x9cleak\xe2\x80\x9d when the OLS slope of peak "
	       "memory is positive with p < 0.01 and fitted growth above 10 %; "
	       "\xe2\x80\x9cundefined\xe2\x80\x9d when p or growth cannot be computed.\n"
	       "- **Between experiments.** Welch\xe2\x80\x99s unequal-variance t test and the "
	       "Mann\xe2\x80\x93Whitney U test (normal approximation, tie and continuity "
	       "correction), two-sided, on cycle duration and on tokens/s, each experiment "
	       "against the first; cycles are treated as independent samples.\n"
	       "- **\xe2\x80\x9c-\xe2\x80\x9d** in a table: the statistic is undefined.\n\n");
}

enum pk_status pk_exp_report_md(const struct pk_exp_result *r,
                                const struct pk_exp_info *info,
                                const struct pk_exp_doc *d, struct pk_buf *md)
{
	struct pk_md_out o = { md, PK_OK };
	section_title(&o, r, d);
	section_summary(&o, r);
	section_figures(&o, r, info, d);
	section_stats(&o, r);
	section_timings(&o, r);
	section_bottlenecks(&o, r);
	section_crashes(&o, r);
	section_trends(&o, r, d);
	section_system(&o, info);
	section_recommendations(&o, r, info);
	pk_exp_md_methods(&o);
	return o.st;
}
