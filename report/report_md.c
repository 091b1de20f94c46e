/* report_md.c - writes the comparison report as Markdown (see report_md.h). */
#include "report_md.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../core/metrics.h"
#include "../core/timeutil.h"
#include "../core/utf8.h"
#include "markdown.h"
#include "reduce.h"
#include "version.h"

/* All appends of one report go through this, so the first failure sticks
 * and later calls do nothing. */
struct out {
	struct pk_buf *b;
	enum pk_status st;
};

static void put(struct out *o, const char *s)
{
	if (o->st == PK_OK)
		o->st = pk_buf_puts(o->b, s);
}

static void putf(struct out *o, const char *fmt, ...) PK_PRINTF(2, 3);

static void putf(struct out *o, const char *fmt, ...)
{
	if (o->st != PK_OK)
		return;
	char small[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof small)
		o->st = PK_ERR_NOMEM; /* only short fixed texts come through here */
	else
		o->st = pk_buf_append(o->b, small, (size_t)n);
}

/* Text from logs (profile names). */
static void put_esc(struct out *o, const char *s)
{
	if (o->st == PK_OK)
		o->st = pk_md_escape(o->b, s ? s : "");
}

/* Registry text: metric labels and units. */
static void put_txt(struct out *o, const char *s)
{
	if (o->st == PK_OK)
		o->st = pk_md_text(o->b, s ? s : "");
}

/* A metric's label: registry text, or a path from a log (a generic
 * source's metric outside the registry), escaped as such. */
static void put_label(struct out *o, const struct pk_metric *mt)
{
	if (mt->flags & PK_METRIC_UNREGISTERED)
		put_esc(o, mt->label);
	else
		put_txt(o, mt->label);
}

/* The unit column: "?" for a path outside the registry (unit unknown). */
static const char *unit_shown(const struct pk_metric *mt)
{
	return (mt->flags & PK_METRIC_UNREGISTERED) ? "?" : mt->unit;
}

/* " = 0.012" or " < 1e-300". */
static void put_p_is(struct out *o, double p)
{
	char n[PK_NUM_MAX];
	pk_md_p(n, p);
	put(o, n[0] == '<' ? " " : " = ");
	put(o, n);
}

/* Hours as "168" or "2.5". */
static const char *fmt_hours(char *out, double h)
{
	if (isfinite(h) && fabs(h - round(h)) < 1e-9 && fabs(h) < 1e12)
		return pk_md_fixed(out, h, 0);
	return pk_md_sig(out, h, 4);
}

static void put_time(struct out *o, int64_t us)
{
	char t[PK_TIME_ISO_MAX];
	pk_time_format_iso(us, t);
	put(o, t);
}

/* A value with its unit: "45.6 %", "2400 MHz", "3.2" (no unit). */
static void put_value(struct out *o, double x, const char *unit, int sig)
{
	char n[PK_NUM_MAX];
	put(o, pk_md_sig(n, x, sig));
	if (isfinite(x) && unit && unit[0]) {
		put(o, " ");
		put_txt(o, unit);
	}
}

static const char *effect_word(double d)
{
	double a = fabs(d);
	if (!isfinite(a))
		return "undefined";
	if (a < 0.2)
		return "negligible";
	if (a < 0.5)
		return "small";
	if (a < 0.8)
		return "medium";
	return "large";
}

static int significant(enum pk_verdict v)
{
	return v == PK_VERDICT_BETTER || v == PK_VERDICT_WORSE ||
	       v == PK_VERDICT_HIGHER || v == PK_VERDICT_LOWER;
}

static double window_hours(const struct pk_window *w)
{
	return ((double)w->to_us - (double)w->from_us) / (double)PK_US_PER_HOUR;
}

static void put_profile(struct out *o, char side, const char *name,
                        const struct pk_window *w, size_t samples)
{
	char n[PK_NUM_MAX];
	putf(o, "- **%c**: ", side);
	put_esc(o, name);
	put(o, " \xe2\x80\x94 ");
	put(o, pk_md_count(n, samples));
	put(o, samples == 1 ? " sample" : " samples");
	put(o, " in the window ");
	put_time(o, w->from_us);
	put(o, " to ");
	put_time(o, w->to_us);
	put(o, " (");
	put(o, fmt_hours(n, window_hours(w)));
	put(o, " h)\n");
}

static void put_finding(struct out *o, const struct pk_metric_compare *m)
{
	const struct pk_metric *mt = m->metric;
	char n[PK_NUM_MAX];
	put(o, "- **");
	put_label(o, mt);
	put(o, "**: B ");
	put(o, m->diff > 0 ? "higher" : "lower");
	put(o, " than A, mean ");
	put_value(o, m->b.mean, mt->unit, 4);
	put(o, " vs ");
	put_value(o, m->a.mean, mt->unit, 4);
	put(o, " (B \xe2\x88\x92 A = ");
	put_value(o, m->diff, mt->unit, 3);
	put(o, ", B / A = ");
	put(o, pk_md_fixed(n, m->ratio, 3));
	put(o, "); Welch p adjusted for autocorrelation");
	put_p_is(o, m->welch_p_adjusted);
	put(o, " (effective n ");
	put(o, pk_md_sig(n, m->n_eff_a, 3));
	put(o, " of ");
	put(o, pk_md_count(n, m->a.count));
	put(o, " on A, ");
	put(o, pk_md_sig(n, m->n_eff_b, 3));
	put(o, " of ");
	put(o, pk_md_count(n, m->b.count));
	put(o, " on B); Mann\xe2\x80\x93Whitney p");
	put_p_is(o, m->mannwhitney_p);
	put(o, "; Cohen\xe2\x80\x99s d = ");
	put(o, pk_md_fixed(n, m->cohens_d, 2));
	put(o, " (");
	put(o, effect_word(m->cohens_d));
	put(o, "). ");
	if (mt->direction == PK_NEUTRAL) {
		put(o, "Neither direction is better.\n");
	} else if (!isnan(m->capacity_a)) {
		put(o, "The machines differ in size (");
		put_value(o, m->capacity_a, mt->unit, 4);
		put(o, " on A, ");
		put_value(o, m->capacity_b, mt->unit, 4);
		put(o, " on B in all; the mean is ");
		put(o, pk_md_sig(n, 100 * m->a.mean / m->capacity_a, 3));
		put(o, " % of it on A, ");
		put(o, pk_md_sig(n, 100 * m->b.mean / m->capacity_b, 3));
		put(o, " % on B), so the amount alone is neither better nor worse; "
		    "its share of capacity is what counts: **");
		put(o, pk_verdict_str(m->verdict));
		put(o, "**.\n");
	} else {
		put(o, mt->direction == PK_LOWER_IS_BETTER ? "Lower" : "Higher");
		put(o, " is better: **");
		put(o, pk_verdict_str(m->verdict));
		put(o, "**.\n");
	}
}

/* "label, label and label" of the metrics with verdict v (or undefined). */
static size_t put_metric_list(struct out *o, const struct pk_compare *c,
                              enum pk_verdict v)
{
	size_t total = 0;
	for (size_t i = 0; i < c->nmetrics; i++)
		total += c->metrics[i].verdict == v;
	size_t k = 0;
	for (size_t i = 0; i < c->nmetrics; i++) {
		if (c->metrics[i].verdict != v)
			continue;
		if (k)
			put(o, k + 1 == total ? " and " : ", ");
		put_label(o, c->metrics[i].metric);
		k++;
	}
	return k;
}

/* "Label (B worse, adjusted p = 0.002)" for a significant metric. */
static void put_short_finding(struct out *o, const struct pk_metric_compare *m)
{
	put_label(o, m->metric);
	put(o, " (");
	put(o, pk_verdict_str(m->verdict));
	put(o, ", adjusted p");
	put_p_is(o, m->welch_p_adjusted);
	put(o, ")");
}

static void put_findings(struct out *o, const struct pk_compare *c)
{
	put(o, "## Findings\n\n");
	if (c->nmetrics == 0) {
		put(o, "- No metric named the same with values on both sides: nothing "
		       "to compare.\n\n");
		return;
	}
	size_t nsig = 0, nother = 0, nsame = 0, nundef = 0;
	for (size_t i = 0; i < c->nmetrics; i++) {
		const struct pk_metric_compare *m = &c->metrics[i];
		if (!significant(m->verdict)) {
			nsame += m->verdict == PK_VERDICT_NO_DIFFERENCE;
			nundef += m->verdict == PK_VERDICT_UNDEFINED;
			continue;
		}
		nsig++;
		if (m->metric->flags & PK_METRIC_MAIN)
			put_finding(o, m);
		else
			nother++;
	}
	if (nsig == 0)
		put(o, "- No metric differs significantly at \xce\xb1 = 0.05 once "
		       "autocorrelation is taken into account.\n");
	if (nother) {
		put(o, nother < nsig ? "- Other significant differences: "
		                     : "- Significant differences: ");
		size_t k = 0;
		for (size_t i = 0; i < c->nmetrics; i++) {
			const struct pk_metric_compare *m = &c->metrics[i];
			if (!significant(m->verdict) || (m->metric->flags & PK_METRIC_MAIN))
				continue;
			if (k++)
				put(o, k == nother ? " and " : ", ");
			put_short_finding(o, m);
		}
		put(o, ".\n");
	}
	if (nsame && nsig) {
		put(o, "- No significant difference: ");
		put_metric_list(o, c, PK_VERDICT_NO_DIFFERENCE);
		put(o, ".\n");
	}
	if (nundef) {
		put(o, "- Not testable (no values, or too few, on one side): ");
		put_metric_list(o, c, PK_VERDICT_UNDEFINED);
		put(o, ".\n");
	}
	put(o, "\n");
}

static void cell(struct out *o, const char *s)
{
	put(o, " ");
	put(o, s);
	put(o, " |");
}

static void put_metric_table(struct out *o, const struct pk_compare *c)
{
	char n[PK_NUM_MAX];
	put(o, "## All metrics\n\n"
	       "Means of the values present in each window; B \xe2\x88\x92 A and B / A "
	       "compare the means; p-values are two-sided; \xe2\x80\x9c-\xe2\x80\x9d "
	       "marks a statistic that is undefined (no values, too few, or no "
	       "variance).\n\n"
	       "| Metric | Unit | Mean A | Mean B | B \xe2\x88\x92 A | B / A | Welch p | "
	       "Adjusted p | Mann\xe2\x80\x93Whitney p | Cohen\xe2\x80\x99s d | Verdict |\n"
	       "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|---|\n");
	for (size_t i = 0; i < c->nmetrics; i++) {
		const struct pk_metric_compare *m = &c->metrics[i];
		put(o, "| ");
		put_label(o, m->metric);
		put(o, " |");
		put(o, " ");
		put_txt(o, unit_shown(m->metric));
		put(o, " |");
		cell(o, pk_md_sig(n, m->a.mean, 4));
		cell(o, pk_md_sig(n, m->b.mean, 4));
		cell(o, pk_md_sig(n, m->diff, 3));
		cell(o, pk_md_fixed(n, m->ratio, 3));
		cell(o, pk_md_p(n, m->welch_p));
		cell(o, pk_md_p(n, m->welch_p_adjusted));
		cell(o, pk_md_p(n, m->mannwhitney_p));
		cell(o, pk_md_fixed(n, m->cohens_d, 2));
		cell(o, pk_verdict_str(m->verdict));
		put(o, "\n");
	}
	put(o, "\n");
	size_t unreg = 0;
	for (size_t i = 0; i < c->nmetrics; i++)
		unreg += (c->metrics[i].metric->flags & PK_METRIC_UNREGISTERED) != 0;
	if (unreg)
		putf(o, "Unit \xe2\x80\x9c?\xe2\x80\x9d: %zu metric%s outside the metric registry (a generic "
		        "source\xe2\x80\x99s paths): unit unknown, direction neutral, so a "
		        "significant difference is \xe2\x80\x9c" "B higher\xe2\x80\x9d or "
		        "\xe2\x80\x9c" "B lower\xe2\x80\x9d, never better or worse.\n\n",
		     unreg, unreg == 1 ? "" : "s");
}

static void put_evidence_table(struct out *o, const struct pk_compare *c)
{
	char n[PK_NUM_MAX];
	put(o, "## Evidence: sample sizes and autocorrelation\n\n"
	       "n: values present; r1: lag-1 autocorrelation; n eff: effective "
	       "sample size used by the adjusted p; sd: standard deviation.\n\n"
	       "| Metric | n A | n B | r1 A | r1 B | n eff A | n eff B | sd A | sd B |\n"
	       "|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
	for (size_t i = 0; i < c->nmetrics; i++) {
		const struct pk_metric_compare *m = &c->metrics[i];
		put(o, "| ");
		put_label(o, m->metric);
		put(o, " |");
		cell(o, pk_md_count(n, m->a.count));
		cell(o, pk_md_count(n, m->b.count));
		cell(o, pk_md_fixed(n, m->r1_a, 2));
		cell(o, pk_md_fixed(n, m->r1_b, 2));
		cell(o, pk_md_sig(n, m->n_eff_a, 3));
		cell(o, pk_md_sig(n, m->n_eff_b, 3));
		cell(o, pk_md_sig(n, m->a.stdev, 3));
		cell(o, pk_md_sig(n, m->b.stdev, 3));
		put(o, "\n");
	}
	put(o, "\n");
}

/* A duration: "60 s", "12.5 min", "3.2 h"; "-" when undefined. */
static const char *md_duration(char *out, double s)
{
	char n[PK_NUM_MAX];
	if (isnan(s))
		return strcpy(out, "-");
	const char *u = s < 120 ? "s" : s < 7200 ? "min" : "h";
	double v = s < 120 ? s : s < 7200 ? s / 60 : s / 3600;
	snprintf(out, PK_NUM_MAX, "%s %s", pk_md_sig(n, v, 3), u);
	return out;
}

/* One row of the quality table: label, then A's and B's cells. */
static void quality_row(struct out *o, const char *label, const char *a, const char *b)
{
	put(o, "| ");
	put(o, label);
	put(o, " |");
	cell(o, a);
	cell(o, b);
	put(o, "\n");
}

static const char *known_count(char *out, int known, int64_t v)
{
	return known && v >= 0 ? pk_md_count(out, (size_t)v) : strcpy(out, "-");
}

/* The time-weighted means of irregular series beside the plain means. */
static void put_tw_means(struct out *o, const struct pk_compare *c)
{
	const struct pk_data_quality *qa = &c->quality_a, *qb = &c->quality_b;
	char n[PK_NUM_MAX];
	put(o, "### Time-weighted means\n\n"
	       "Sampling is irregular, so plain means over-weight the periods "
	       "sampled densely. The time-weighted mean weights each value by "
	       "the time it stands for (trapezoid rule over consecutive values "
	       "at most 3 \xc3\x97 the usual interval apart; \xe2\x80\x9c-\xe2\x80\x9d "
	       "for a regularly sampled profile).\n\n"
	       "| Metric | Unit | Mean A | Time-weighted A | Mean B | Time-weighted B |\n"
	       "|---|---|--:|--:|--:|--:|\n");
	for (size_t i = 0; i < c->nmetrics; i++) {
		const struct pk_metric_compare *m = &c->metrics[i];
		double ta = qa->tw_mean ? qa->tw_mean[i] : NAN;
		double tb = qb->tw_mean ? qb->tw_mean[i] : NAN;
		if (isnan(m->a.mean) && isnan(m->b.mean) && isnan(ta) && isnan(tb))
			continue;
		put(o, "| ");
		put_label(o, m->metric);
		put(o, " | ");
		put_txt(o, unit_shown(m->metric));
		put(o, " |");
		cell(o, pk_md_sig(n, m->a.mean, 4));
		cell(o, pk_md_sig(n, ta, 4));
		cell(o, pk_md_sig(n, m->b.mean, 4));
		cell(o, pk_md_sig(n, tb, 4));
		put(o, "\n");
	}
	put(o, "\n");
}

static void put_quality(struct out *o, const struct pk_compare *c)
{
	const struct pk_data_quality *qa = &c->quality_a, *qb = &c->quality_b;
	char a[PK_NUM_MAX], b[PK_NUM_MAX];
	put(o, "## Data quality\n\n"
	       "How far the numbers can be trusted: the usual sampling interval "
	       "(median of the time between consecutive samples), its coefficient "
	       "of variation, gaps longer than 3 \xc3\x97 the usual interval, and the "
	       "lines of the profile\xe2\x80\x99s source files that perfingest "
	       "could not read. Sampling is irregular when the cv is above 0.5 or "
	       "there is a gap.\n\n"
	       "| | A | B |\n|---|--:|--:|\n");
	quality_row(o, "Usual interval", md_duration(a, qa->interval_s), md_duration(b, qb->interval_s));
	quality_row(o, "Interval cv", pk_md_sig(a, qa->cv, 3), pk_md_sig(b, qb->cv, 3));
	quality_row(o, "Gaps", pk_md_count(a, qa->gaps), pk_md_count(b, qb->gaps));
	quality_row(o, "Time in gaps", md_duration(a, qa->gap_s), md_duration(b, qb->gap_s));
	quality_row(o, "Missing intervals", known_count(a, 1, qa->missing_intervals),
	            known_count(b, 1, qb->missing_intervals));
	quality_row(o, "Sampling", qa->irregular ? "irregular" : "regular",
	            qb->irregular ? "irregular" : "regular");
	quality_row(o, "Source files", known_count(a, qa->sources_known, (int64_t)qa->source_files),
	            known_count(b, qb->sources_known, (int64_t)qb->source_files));
	quality_row(o, "Lines read", known_count(a, qa->sources_known, qa->lines_read),
	            known_count(b, qb->sources_known, qb->lines_read));
	quality_row(o, "Rejected lines", known_count(a, qa->sources_known, qa->rejects),
	            known_count(b, qb->sources_known, qb->rejects));
	put(o, "\n");
	if (qa->tw_mean || qb->tw_mean)
		put_tw_means(o, c);
}

enum pk_status pk_report_chart_url(const char *charts_name, const char *file,
                                   struct pk_buf *out)
{
	enum pk_status st = pk_md_url_path(out, charts_name);
	if (st == PK_OK)
		st = pk_buf_putc(out, '/');
	if (st == PK_OK)
		st = pk_md_url_path(out, file);
	return st;
}

static void put_names(struct out *o, const struct pk_compare *c)
{
	put(o, "A = ");
	put_esc(o, c->a);
	put(o, ", B = ");
	put_esc(o, c->b);
}

static void put_chart(struct out *o, const struct pk_compare *c,
                      const struct pk_report_doc *d, const struct pk_chart *ch,
                      size_t figure)
{
	const struct pk_metric *mt = &d->charts->metrics[ch->metric];
	int time = ch->kind == PK_CHART_TIME;
	put(o, "![");
	put_label(o, mt);
	put(o, time ? " over time" : ": distribution");
	put(o, "](");
	if (o->st == PK_OK)
		o->st = pk_report_chart_url(d->charts_name, ch->file, o->b);
	putf(o, ")\n\n*Figure %zu. ", figure);
	put_label(o, mt);
	if (time) {
		put(o, " over ");
		put(o, d->charts->x_unit ? d->charts->x_unit : "hours");
		put(o, " since the start of each profile\xe2\x80\x99s window");
	} else {
		put(o, ", empirical CDF: the fraction of samples at or below each value");
	}
	put(o, "; ");
	put_names(o, c);
	if (!ch->has_a || !ch->has_b) {
		put(o, "; no values for ");
		put(o, ch->has_a ? "B" : "A");
	}
	put(o, ".*\n\n");
}

/* The shared paths over the chart limit: named, the tables hold them. */
static void put_left_out(struct out *o, const struct pk_chart_set *cs)
{
	if (cs->nleft_out == 0)
		return;
	size_t cap = sizeof cs->left_out / sizeof cs->left_out[0];
	size_t shown = cs->nleft_out < cap ? cs->nleft_out : cap;
	char n[PK_NUM_MAX];
	putf(o, "Charts are drawn for the first %d metrics outside the registry; ",
	     PK_CHART_MAX_PATHS);
	put(o, pk_md_count(n, cs->nleft_out));
	put(o, cs->nleft_out == 1 ? " more is" : " more are");
	put(o, " in the tables only: ");
	for (size_t i = 0; i < shown; i++) {
		if (i)
			put(o, i + 1 == shown && shown == cs->nleft_out ? " and " : ", ");
		put_label(o, &cs->metrics[cs->left_out[i]]);
	}
	if (shown < cs->nleft_out)
		put(o, " \xe2\x80\xa6");
	put(o, ".\n\n");
}

static void put_charts(struct out *o, const struct pk_compare *c,
                       const struct pk_report_doc *d)
{
	const struct pk_chart_set *cs = d->charts;
	if (!cs || (cs->n == 0 && cs->nskipped == 0 && cs->nleft_out == 0))
		return;
	put(o, "## Charts\n\n");
	put_names(o, c);
	putf(o, ". Time charts overlay the two windows: x is %s since the start "
	        "of each profile\xe2\x80\x99s own window. A profile with more than "
	        "%d samples is drawn per pixel column (%d columns): the line is the "
	        "column\xe2\x80\x99s mean, the shaded band spans its minimum to its "
	        "maximum; otherwise every sample is drawn. Breaks in a line are "
	        "missing data. Distribution charts are empirical CDFs (the fraction "
	        "of samples at or below a value), drawn from %d quantiles when a "
	        "profile has more values. ",
	     cs->x_unit ? cs->x_unit : "hours", 2 * PK_CHART_COLUMNS, PK_CHART_COLUMNS,
	     PK_CHART_QUANTILES);
	put(o, "The gnuplot script ");
	put_esc(o, d->script_name ? d->script_name : "");
	put(o, " beside this report draws them again.\n\n");
	size_t fig = 0;
	for (size_t i = 0; i < cs->n; i++) {
		const struct pk_chart *ch = &cs->charts[i];
		if (i == 0 || cs->charts[i - 1].metric != ch->metric) {
			const struct pk_metric *mt = &cs->metrics[ch->metric];
			put(o, "### ");
			put_label(o, mt);
			if (unit_shown(mt)[0]) {
				put(o, " (");
				put_txt(o, unit_shown(mt));
				put(o, ")");
			}
			put(o, "\n\n");
		}
		put_chart(o, c, d, ch, ++fig);
	}
	size_t shown = cs->nskipped < sizeof cs->skipped / sizeof cs->skipped[0]
	               ? cs->nskipped : sizeof cs->skipped / sizeof cs->skipped[0];
	if (shown) {
		put(o, "No chart for ");
		for (size_t i = 0; i < shown; i++) {
			if (i)
				put(o, i + 1 == shown ? " and " : ", ");
			put_label(o, &cs->metrics[cs->skipped[i]]);
		}
		put(o, ": neither profile has values for ");
		put(o, shown == 1 ? "it" : "them");
		put(o, " in its window.\n\n");
	}
	put_left_out(o, cs);
}

static void put_methods(struct out *o)
{
	put(o, "## Methods\n\n"
	       "- **Data.** The samples of each profile in its window, from the "
	       "perfkit database. Missing values are left out of every statistic; "
	       "they are never counted as zero.\n"
	       "- **Means, difference, ratio.** B \xe2\x88\x92 A = mean B \xe2\x88\x92 "
	       "mean A; B / A = mean B / mean A, undefined when mean A is 0.\n"
	       "- **Welch p.** Two-sided p of Welch\xe2\x80\x99s unequal-variance t-test "
	       "with the Welch\xe2\x80\x93Satterthwaite degrees of freedom, on all "
	       "values as if they were independent.\n"
	       "- **Mann\xe2\x80\x93Whitney p.** Two-sided p of the Mann\xe2\x80\x93Whitney "
	       "U test, normal approximation with tie correction and continuity "
	       "correction.\n"
	       "- **Effective sample size.** Successive hardware samples are "
	       "autocorrelated, so each profile\xe2\x80\x99s n values carry the "
	       "information of fewer independent ones: n eff = n (1 \xe2\x88\x92 r1) "
	       "/ (1 + r1), kept between 2 and n, where r1 is the lag-1 "
	       "autocorrelation of the values in time order (n eff = n when r1 is "
	       "undefined).\n"
	       "- **Adjusted p.** Welch\xe2\x80\x99s test with n eff in place of n. "
	       "The verdict rests on it.\n"
	       "- **Cohen\xe2\x80\x99s d.** (mean B \xe2\x88\x92 mean A) / pooled sd, "
	       "pooled sd = \xe2\x88\x9a(((nA \xe2\x88\x92 1) sA\xc2\xb2 + "
	       "(nB \xe2\x88\x92 1) sB\xc2\xb2) / (nA + nB \xe2\x88\x92 2)); "
	       "below 0.2 in size negligible, below 0.5 small, below 0.8 medium, "
	       "else large.\n"
	       "- **Verdict.** A difference is significant when the adjusted p is "
	       "below \xce\xb1 = 0.05. \xe2\x80\x9c"
	       "B better\xe2\x80\x9d or \xe2\x80\x9c" "B worse\xe2\x80\x9d follows "
	       "the metric\xe2\x80\x99s direction (lower or higher is better); "
	       "metrics with no better direction say \xe2\x80\x9c" "B higher\xe2\x80\x9d "
	       "or \xe2\x80\x9c" "B lower\xe2\x80\x9d. \xe2\x80\x9cundefined\xe2\x80\x9d: "
	       "the adjusted p could not be computed.\n"
	       "- **Data quality.** Interval: median of the differences of "
	       "consecutive sample times; cv: their standard deviation / mean; a "
	       "gap: a difference above 3 \xc3\x97 the interval, its missing "
	       "intervals round(length / interval) \xe2\x88\x92 1; irregular: cv "
	       "above 0.5 or a gap. Source files are found by looking up single "
	       "samples (bisecting where the file changes), rejected lines are "
	       "those of the whole files. perfingest does not keep a count of "
	       "duplicate lines it dropped, so none is shown.\n"
	       "- **\xe2\x80\x9c-\xe2\x80\x9d** in a table: the statistic is undefined.\n\n");
}

enum pk_status pk_report_compare_title(const struct pk_compare *c,
                                       struct pk_buf *out)
{
	static const char replacement[] = "\xef\xbf\xbd";
	const char *parts[4] = { "Comparison: ", c->a ? c->a : "", " vs ", c->b ? c->b : "" };
	enum pk_status st = PK_OK;
	for (int k = 0; k < 4 && st == PK_OK; k++) {
		const char *s = parts[k];
		size_t n = strlen(s);
		for (size_t i = 0; i < n && st == PK_OK;) {
			unsigned char ch = (unsigned char)s[i];
			size_t ok = pk_utf8_valid_prefix(s + i, n - i, 1);
			if (ch < 0x20 || ch == 0x7f || ok == 0 || pk_utf8_is_c1(s + i, ok)) {
				st = pk_buf_append(out, replacement, 3);
				i += ok ? ok : 1;
			} else {
				st = pk_buf_append(out, s + i, ok);
				i += ok;
			}
		}
	}
	return st;
}

enum pk_status pk_report_compare_md(const struct pk_compare *c,
                                    const struct pk_report_doc *d,
                                    struct pk_buf *md)
{
	struct out o = { md, PK_OK };
	size_t old = md->len;
	put(&o, "# Comparison: ");
	put_esc(&o, c->a);
	put(&o, " vs ");
	put_esc(&o, c->b);
	put(&o, "\n\nGenerated ");
	put_time(&o, d->generated_us);
	putf(&o, " by perfreport %s (report format %d).\n\n", PERFKIT_VERSION,
	     PK_REPORT_FORMAT);
	put(&o, "## Profiles\n\n");
	put_profile(&o, 'A', c->a, &c->window_a, c->samples_a);
	put_profile(&o, 'B', c->b, &c->window_b, c->samples_b);
	put(&o, "\nTables and charts call them A and B.\n\n");
	put_findings(&o, c);
	put_metric_table(&o, c);
	put_evidence_table(&o, c);
	put_quality(&o, c);
	put_charts(&o, c, d);
	put_methods(&o);
	if (o.st != PK_OK) {
		md->len = old;
		if (md->data)
			md->data[old] = '\0';
	}
	return o.st;
}
