/* report_regress.c - the regression report (see report_regress.h): charts,
 * Markdown sections, files. */
#include "report_regress.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../analyze/regress.h"
#include "../core/db.h"
#include "../core/diag.h"
#include "../core/query_bench_rev.h"
#include "../core/timeutil.h"
#include "files.h"
#include "gp_style.h"
#include "markdown.h"
#include "md_out.h"
#include "report_out.h"
#include "version.h"

#define put pk_mo_put
#define putf pk_mo_putf
#define esc pk_mo_esc
#define num pk_mo_num

#define US_PER_DAY 86400e6

/* One series with what the report draws and names beside the analysis. */
struct series {
	const struct pk_regress_series *s;
	const struct pk_bench_series *h;   /* its history, or NULL */
	struct pk_bench_revs revs;
	struct pk_str_list sources;
	int charted;
	char file[32];
	size_t figure;
};

struct regress_doc {
	const struct pk_regress *r;
	struct series *v;
	size_t *order;                     /* charted first: regressions, then the rest */
	const char *suite;
	const char **charts;
	size_t ncharts;
	int64_t generated_us;
	const char *charts_name, *script_name;
};

static int same(const char *a, size_t an, const char *b, size_t bn)
{
	return an == bn && memcmp(a, b, an) == 0;
}

static const struct pk_bench_series *history_of(const struct pk_bench_series_list *l,
                                                const struct pk_regress_series *s)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct pk_bench_series *h = &l->s[i];
		if (same(h->suite, h->suite_len, s->suite, s->suite_len) &&
		    same(h->host, h->host_len, s->host, s->host_len) &&
		    same(h->name, h->name_len, s->name, s->name_len))
			return h;
	}
	return NULL;
}

/* ---- charts ---------------------------------------------------------- */

static double days(int64_t us, int64_t t0)
{
	return ((double)us - (double)t0) / US_PER_DAY;
}

static enum pk_status series_chart(struct pk_buf *b, struct regress_doc *d, struct series *v,
                                   size_t k)
{
	const struct pk_regress_series *s = v->s;
	const struct pk_bench_series *h = v->h;
	if (!h || s->runs == 0)
		return PK_OK;
	int64_t t0 = s->first_us;
	enum pk_status st = pk_buf_printf(b, "$runs%zu << EOD\n", k);
	double lo = INFINITY, hi = -INFINITY;
	for (size_t i = 0; i < h->nruns && st == PK_OK; i++) {
		const struct pk_bench_run *r = &h->runs[i];
		if (isnan(r->mean))
			continue;
		st = pk_buf_printf(b, "%.9g %.9g\n", days(r->run_us, t0), r->mean);
		if (s->baseline_nruns && r->run_us >= s->baseline_from_us &&
		    r->run_us <= s->baseline_to_us) {
			lo = r->mean < lo ? r->mean : lo;
			hi = r->mean > hi ? r->mean : hi;
		}
	}
	if (st == PK_OK)
		st = pk_buf_printf(b, "EOD\n$latest%zu << EOD\n%.9g %.9g\nEOD\n", k,
		                   days(s->last_us, t0), s->latest_mean);
	int band = s->baseline_nruns > 0 && isfinite(lo);
	if (st == PK_OK && band)
		st = pk_buf_printf(b, "$base%zu << EOD\n%.9g %.9g %.9g %.9g\n%.9g %.9g %.9g %.9g\nEOD\n",
		                   k, days(s->baseline_from_us, t0), lo, hi, s->baseline_mean,
		                   days(s->last_us, t0), lo, hi, s->baseline_mean);
	/* segment means between change points */
	if (st == PK_OK && s->ncp) {
		st = pk_buf_printf(b, "$seg%zu << EOD\n", k);
		int64_t from = s->first_us;
		for (size_t c = 0; c <= s->ncp && st == PK_OK; c++) {
			int64_t to = c < s->ncp ? s->cp[c].time_us : s->last_us;
			double m = c < s->ncp ? s->cp[c].before_mean : s->cp[s->ncp - 1].after_mean;
			st = pk_buf_printf(b, "%.9g %.9g\n%.9g %.9g\n\n", days(from, t0), m,
			                   days(to, t0), m);
			from = to;
		}
		if (st == PK_OK)
			st = pk_buf_puts(b, "EOD\n");
	}
	snprintf(v->file, sizeof v->file, "series_%zu.svg", k + 1);
	v->charted = 1;
	d->charts[d->ncharts++] = v->file;
	if (st == PK_OK)
		st = pk_gp_output(b, d->charts_name, v->file);
	if (st == PK_OK)
		st = pk_buf_printf(b, "set title 'Benchmark S%zu: run means over time'\n"
		                   "set xlabel 'days since the series'' first run'\n"
		                   "set ylabel 'run mean (unit in the report)'", k + 1);
	if (st == PK_OK)
		st = pk_buf_puts(b, "\nset xrange [*:*]\nset yrange [*:*]\nset style fill empty\n");
	for (size_t c = 0; c < s->ncp && st == PK_OK; c++)
		st = pk_buf_printf(b, "set arrow %zu from %.9g, graph 0 to %.9g, graph 1 nohead "
		                   "ls 2 dt 2\n", c + 1, days(s->cp[c].time_us, t0),
		                   days(s->cp[c].time_us, t0));
	if (st == PK_OK)
		st = pk_buf_puts(b, "plot ");
	if (st == PK_OK && band)
		st = pk_buf_printf(b, "$base%zu using 1:2:3 with filledcurves fs transparent solid 0.25 "
		                   "noborder ls 3 title 'baseline runs (range)', \\\n     $base%zu "
		                   "using 1:4 with lines ls 3 title 'baseline mean', \\\n     ", k, k);
	if (st == PK_OK && s->ncp)
		st = pk_buf_printf(b, "$seg%zu with lines ls 2 lw 2 title 'segment means "
		                   "(change points dashed)', \\\n     ", k);
	if (st == PK_OK)
		st = pk_buf_printf(b, "$runs%zu with linespoints ls 1 pt 7 ps 0.5 title 'run mean', "
		                   "\\\n     $latest%zu with points ls 4 pt 9 ps 1.4 title 'latest run'\n",
		                   k, k);
	if (st == PK_OK && s->ncp)
		st = pk_buf_puts(b, "unset arrow\n");
	if (st == PK_OK)
		st = pk_buf_putc(b, '\n');
	return st;
}

/* ---- Markdown -------------------------------------------------------- */

static void series_name(struct pk_md_out *o, const struct pk_regress_series *s)
{
	esc(o, s->suite);
	put(o, " / ");
	esc(o, s->name);
	if (s->host_len) {
		put(o, " (host ");
		esc(o, s->host);
		put(o, ")");
	}
}

/* x and the series' unit (text from the benchmark files, escaped). */
static void value(struct pk_md_out *o, double x, const char *unit)
{
	num(o, x, 4, NULL);
	if (isfinite(x) && unit && unit[0]) {
		put(o, " ");
		esc(o, unit);
	}
}

/* A revision as a short code span, or "-" when r is NULL. */
static void rev_text(struct pk_md_out *o, const char *r)
{
	if (r) {
		put(o, "`");
		/* a code span shows the revision as it is; keep it short and plain */
		size_t n = strcspn(r, "`\r\n");
		char cut[48];
		snprintf(cut, sizeof cut, "%.*s", (int)(n < 40 ? n : 40), r);
		for (char *p = cut; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '|')
				*p = '?';
		put(o, cut);
		put(o, "`");
	} else {
		put(o, "-");
	}
}

/* The revision of the series' run at time us. */
static void rev(struct pk_md_out *o, const struct series *v, int64_t us)
{
	rev_text(o, pk_bench_rev_at(&v->revs, us));
}

static int is_change(enum pk_regress_verdict v)
{
	return v == PK_RV_REGRESSION || v == PK_RV_IMPROVEMENT || v == PK_RV_HIGHER ||
	       v == PK_RV_LOWER;
}

static void sentence(struct pk_md_out *o, const struct series *v)
{
	const struct pk_regress_series *s = v->s;
	put(o, "latest run ");
	pk_mo_time(o, s->last_us);
	put(o, " (revision ");
	rev(o, v, s->last_us);
	put(o, "): mean ");
	value(o, s->latest_mean, s->unit);
	putf(o, " against a baseline of %zu run%s, mean ", s->baseline_nruns,
	     s->baseline_nruns == 1 ? "" : "s");
	value(o, s->baseline_mean, s->unit);
	put(o, "; ratio ");
	num(o, s->ratio, 4, NULL);
	put(o, ", Hodges\xe2\x80\x93Lehmann shift ");
	num(o, s->hl_shift, 4, NULL);
	put(o, " [");
	num(o, s->hl_lo, 4, NULL);
	put(o, ", ");
	num(o, s->hl_hi, 4, NULL);
	put(o, "], Mann\xe2\x80\x93Whitney p ");
	pk_mo_p(o, s->mannwhitney_p);
	put(o, ": **");
	put(o, pk_regress_verdict_str(s->verdict));
	put(o, "**.");
}

static void section_head(struct pk_md_out *o, const struct regress_doc *d)
{
	const struct pk_regress *r = d->r;
	put(o, "# Benchmark regressions: ");
	if (d->suite)
		esc(o, d->suite);
	else
		put(o, "every suite");
	put(o, "\n\nGenerated ");
	pk_mo_time(o, d->generated_us);
	putf(o, " by perfreport %s. Each series\xe2\x80\x99 latest run against a baseline of "
	     "the %zu runs before it (before the last change point when that is among them); "
	     "change points over its whole history.\n\n## Summary\n\n",
	     PERFKIT_VERSION, r->opt.baseline_runs);
	size_t cnt[6] = { 0 };
	for (size_t i = 0; i < r->n; i++)
		cnt[r->s[i].verdict]++;
	putf(o, "%zu series: %zu regression%s, %zu improvement%s, %zu with no significant "
	     "change, %zu undefined", r->n, cnt[PK_RV_REGRESSION],
	     cnt[PK_RV_REGRESSION] == 1 ? "" : "s", cnt[PK_RV_IMPROVEMENT],
	     cnt[PK_RV_IMPROVEMENT] == 1 ? "" : "s", cnt[PK_RV_NO_CHANGE], cnt[PK_RV_UNDEFINED]);
	if (cnt[PK_RV_HIGHER] + cnt[PK_RV_LOWER])
		putf(o, ", %zu higher and %zu lower (no better direction)", cnt[PK_RV_HIGHER],
		     cnt[PK_RV_LOWER]);
	put(o, ".\n\n");
	for (size_t i = 0; i < r->n; i++) {
		const struct series *v = &d->v[i];
		if (!is_change(v->s->verdict))
			continue;
		put(o, "- **");
		series_name(o, v->s);
		put(o, "**: ");
		sentence(o, v);
		put(o, "\n");
	}
	put(o, "\n");
}

static void section_series(struct pk_md_out *o, const struct regress_doc *d)
{
	const struct pk_regress *r = d->r;
	put(o, "## Series\n\nEach chart: the mean of every run over time, the latest run (a "
	       "triangle), the baseline runs\xe2\x80\x99 range (shaded) and mean, and the "
	       "change points (dashed verticals) with the mean of each segment between them. "
	       "The gnuplot script ");
	esc(o, d->script_name);
	put(o, " draws them again; each chart is also a standalone SVG file in ");
	esc(o, d->charts_name);
	putf(o, ".%s\n\n", d->ncharts < r->n ? " Only the first series are drawn (regressions "
	     "first); the table below lists all." : "");
	for (size_t k = 0; k < r->n; k++) {
		const struct series *v = &d->v[d->order[k]];
		if (!v->charted)
			continue;
		const struct pk_regress_series *s = v->s;
		putf(o, "### S%zu: ", d->order[k] + 1);
		series_name(o, s);
		putf(o, "\n\n![Benchmark S%zu history](", d->order[k] + 1);
		if (o->st == PK_OK)
			o->st = pk_md_url_path(o->b, d->charts_name);
		putf(o, "/%s)\n\n**Figure %zu.** ", v->file, v->figure);
		series_name(o, s);
		put(o, ", ");
		put(o, s->direction == PK_BENCH_LOWER ? "lower is better"
		       : s->direction == PK_BENCH_HIGHER ? "higher is better" : "no better direction");
		put(o, "; ");
		sentence(o, v);
		put(o, " *Window: ");
		pk_mo_time(o, s->first_us);
		put(o, " to ");
		pk_mo_time(o, s->last_us);
		putf(o, "; n = %zu run%s with a mean", s->runs, s->runs == 1 ? "" : "s");
		if (s->runs_without_mean)
			putf(o, " (%zu without)", s->runs_without_mean);
		put(o, "; source: ");
		size_t shown = v->sources.n < 5 ? v->sources.n : 5;
		for (size_t i = 0; i < shown; i++) {
			put(o, i ? ", " : "");
			esc(o, v->sources.s[i]);
		}
		if (v->sources.n > shown)
			putf(o, " and %zu more files", v->sources.n - shown);
		if (v->sources.n == 0)
			put(o, "none recorded");
		put(o, ".*\n\n");
		if (s->ncp) {
			put(o, "| Change point | Run | Revision | Mean before | Mean after | Jump (noise sd) "
			       "| Reads as | Z | p |\n"
			       "|---|--:|---|--:|--:|--:|---|--:|--:|\n");
			for (size_t c = 0; c < s->ncp; c++) {
				const struct pk_regress_cp *cp = &s->cp[c];
				put(o, "| ");
				pk_mo_time(o, cp->time_us);
				putf(o, " | %zu | ", cp->index + 1);
				rev_text(o, cp->revision);   /* the run's own, not by time */
				put(o, " | ");
				num(o, cp->before_mean, 4, NULL);
				put(o, " | ");
				num(o, cp->after_mean, 4, NULL);
				put(o, " | ");
				num(o, cp->size_sd, 3, NULL);
				put(o, " | ");
				put(o, pk_regress_verdict_str(cp->verdict));
				put(o, " | ");
				num(o, cp->statistic, 4, NULL);
				put(o, " | ");
				pk_mo_p(o, cp->p);
				put(o, " |\n");
			}
			put(o, "\n");
		} else {
			put(o, "No change point.\n\n");
		}
		if (s->noutliers) {
			putf(o, "Outlier%s (single runs out of line with the runs on both sides; not "
			     "change points, not in the baseline): ", s->noutliers == 1 ? "" : "s");
			for (size_t j = 0; j < s->noutliers; j++) {
				put(o, j ? ", " : "");
				putf(o, "run %zu (", s->outliers[j].index + 1);
				pk_mo_time(o, s->outliers[j].time_us);
				put(o, ", mean ");
				num(o, s->outliers[j].value, 4, NULL);
				put(o, ")");
			}
			put(o, ".\n\n");
		}
		if (s->latest_status == PK_LATEST_NEW_LEVEL)
			put(o, "The latest run is on a new level that began at the last change point; the "
			       "baseline is the runs before that change.\n\n");
		else if (s->latest_status == PK_LATEST_OUT_OF_LINE)
			put(o, "The latest run is out of line with the runs before it: a spike or the "
			       "first run of a change; the next runs will tell.\n\n");
	}
}

static void section_table(struct pk_md_out *o, const struct regress_doc *d)
{
	const struct pk_regress *r = d->r;
	put(o, "## All series\n\n| S | Series | Unit | Better | Runs | Latest mean | Baseline mean "
	       "| Ratio | HL shift [95 % CI] | MW p | Verdict | Change points | Latest revision |\n"
	       "|--:|---|---|---|--:|--:|--:|--:|--:|--:|---|--:|---|\n");
	for (size_t i = 0; i < r->n; i++) {
		const struct series *v = &d->v[i];
		const struct pk_regress_series *s = v->s;
		putf(o, "| S%zu | ", i + 1);
		series_name(o, s);
		put(o, " | ");
		if (s->unit)
			esc(o, s->unit);
		else
			put(o, "-");
		const char *dir = pk_bench_direction_str(s->direction);
		putf(o, " | %s | %zu | ", dir ? dir : "-", s->runs);
		num(o, s->latest_mean, 4, NULL);
		put(o, " | ");
		num(o, s->baseline_mean, 4, NULL);
		put(o, " | ");
		num(o, s->ratio, 4, NULL);
		put(o, " | ");
		num(o, s->hl_shift, 3, NULL);
		put(o, " [");
		num(o, s->hl_lo, 3, NULL);
		put(o, ", ");
		num(o, s->hl_hi, 3, NULL);
		put(o, "] | ");
		pk_mo_p(o, s->mannwhitney_p);
		putf(o, " | %s%s%s | %zu | ", is_change(s->verdict) ? "**" : "",
		     pk_regress_verdict_str(s->verdict), is_change(s->verdict) ? "**" : "", s->ncp);
		rev(o, v, s->last_us);
		put(o, " |\n");
	}
	put(o, "\n");
}

static void section_methods(struct pk_md_out *o, const struct regress_doc *d)
{
	const struct pk_regress_options *op = &d->r->opt;
	put(o, "## Methods\n\n"
	       "- **Series.** The results of one suite, host and benchmark in time order; a "
	       "run\xe2\x80\x99s value is the mean its tool reported, its sample the single "
	       "measurements. Runs without a mean are left out.\n");
	putf(o, "- **Baseline.** The %zu runs before the latest (fewer when the series is "
	     "shorter), outliers left out;", op->baseline_runs);
	putf(o, " when the latest run\xe2\x80\x99s segment began at a "
	     "change point within those runs, the %zu runs before that change point instead, so "
	     "a step a few runs ago is still a regression. Its mean is the mean of their run "
	     "means.\n", op->baseline_runs);
	put(o, "- **Mann\xe2\x80\x93Whitney p.** Two-sided U test of the latest run\xe2\x80\x99s "
	       "measurements against the baseline runs\xe2\x80\x99 measurements pooled (normal "
	       "approximation, tie and continuity correction); the measurements are treated as "
	       "independent, so run-to-run variation is not in it.\n"
	       "- **Hodges\xe2\x80\x93Lehmann shift.** The median of all differences latest "
	       "\xe2\x88\x92 baseline measurement, with its distribution-free 95 % interval "
	       "(Hollander & Wolfe, large-sample order statistics).\n"
	       "- **Verdict.** Significant when p < 0.05 and the shift is not 0; read by the "
	       "series\xe2\x80\x99 direction: larger values of a lower-is-better series are a "
	       "regression.\n");
	char h[64];
	if (op->cp.min_segment)
		snprintf(h, sizeof h, "%zu", op->cp.min_segment);
	else
		snprintf(h, sizeof h, "max(3, \xe2\x8c\x8a\xe2\x88\x9an/3\xe2\x8c\x8b)");
	put(o, "- **Change points.** Penalised segmentation (PELT) of the run means of the "
	     "whole history into levels under one common linear trend, with AR(1) noise: single "
	     "spikes are set aside as outliers first, the penalty per change grows with the "
	     "noise\xe2\x80\x99s long-run variance (so autocorrelation does not create "
	     "changes), and a level that wanders like a random walk gets change points only for "
	     "jumps in its increments.");
	putf(o, " Each change point\xe2\x80\x99s p is the probability "
	     "that noise alone gives so large a standardised jump between its neighbouring "
	     "change points; all shown have p \xe2\x89\xa4 %g, segments of at least %s runs "
	     "(as perfanalyze --regressions; definitions in analyze/changepoint.h). Each is "
	     "shown at the first run after the change with the means of the segments before "
	     "and after.\n", op->cp.alpha > 0 ? op->cp.alpha : PK_CP_ALPHA, h);
	put(o, "- **Revision.** As the benchmark file recorded it for the run; \xe2\x80\x9c-\xe2\x80\x9d "
	       "when it has none.\n"
	       "- **\xe2\x80\x9c-\xe2\x80\x9d** in a table: undefined.\n\n");
}

static enum pk_status render(struct regress_doc *d, struct pk_buf *md)
{
	struct pk_md_out o = { md, PK_OK };
	section_head(&o, d);
	section_series(&o, d);
	section_table(&o, d);
	section_methods(&o, d);
	return o.st;
}

/* ---- the whole report ------------------------------------------------ */

static enum pk_status load(struct pk_db *db, const struct pk_report_regress_opts *o,
                           struct pk_regress *r, struct pk_bench_series_list *h,
                           struct series **vout, struct pk_buf *err)
{
	struct pk_regress_options ro = { .baseline_us = INT64_MIN, .threshold = NAN };
	ro.cp.seed = 1;   /* perfanalyze's default: the same numbers */
	enum pk_status st = pk_regress_db(db, o->suite, NULL, INT64_MIN, &ro, r);
	if (st == PK_NODATA) {
		pk_buf_puts(err, "no benchmark results");
		if (o->suite) {
			pk_buf_puts(err, " of suite '");
			pk_buf_put_printable(err, o->suite, strlen(o->suite));
			pk_buf_puts(err, "'");
		}
		pk_buf_puts(err, " in the database (perfanalyze --list shows them)");
		return st;
	}
	if (st == PK_OK)
		st = pk_query_bench_series(db, o->suite, NULL, INT64_MIN, h);
	struct series *v = NULL;
	if (st == PK_OK) {
		v = calloc(r->n ? r->n : 1, sizeof *v);
		st = v ? PK_OK : PK_ERR_NOMEM;
	}
	for (size_t i = 0; st == PK_OK && i < r->n; i++) {
		const struct pk_regress_series *s = &r->s[i];
		v[i].s = s;
		v[i].h = history_of(h, s);
		st = pk_query_bench_revs(db, s->suite, s->suite_len, s->host, s->host_len, &v[i].revs);
		if (st == PK_OK)
			st = pk_query_bench_sources(db, s->suite, s->suite_len, s->host, s->host_len,
			                            s->name, s->name_len, &v[i].sources);
	}
	if (st == PK_ERR_DB && err->len == 0)
		pk_buf_printf(err, "database: %s", pk_db_errmsg(db));
	*vout = v;
	return st;
}

static void free_series(struct series *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		pk_bench_revs_free(&v[i].revs);
		pk_str_list_free(&v[i].sources);
	}
	free(v);
}

enum pk_status pk_report_regress(const struct pk_report_regress_opts *o,
                                 struct pk_buf *err)
{
	if (!o || !o->output) {
		pk_buf_puts(err, "need --regressions [SUITE] and --output FILE");
		return PK_USAGE;
	}
	struct pk_report_paths p;
	enum pk_status st = pk_report_paths(o->output, &p, err);
	if (st != PK_OK)
		return st;
	st = pk_report_check_dir(o->output, &p, err);
	struct pk_db *db = NULL;
	struct pk_regress r;
	struct pk_bench_series_list h;
	struct series *v = NULL;
	memset(&r, 0, sizeof r);
	memset(&h, 0, sizeof h);
	if (st == PK_OK)
		st = pk_db_open(pk_db_default_path(o->db_path), PK_DB_READONLY, &db, err);
	if (st == PK_OK)
		st = load(db, o, &r, &h, &v, err);
	pk_db_close(&db);

	struct regress_doc d;
	memset(&d, 0, sizeof d);
	struct pk_buf script = PK_BUF_INIT, md = PK_BUF_INIT, title = PK_BUF_INIT;
	if (st == PK_OK) {
		d.r = &r;
		d.v = v;
		d.suite = o->suite;
		d.generated_us = pk_time_now_us();
		d.charts_name = p.charts_name;
		d.script_name = p.script_name;
		d.order = malloc((r.n ? r.n : 1) * sizeof *d.order);
		d.charts = malloc((r.n ? r.n : 1) * sizeof *d.charts);
		st = d.order && d.charts ? PK_OK : PK_ERR_NOMEM;
	}
	if (st == PK_OK) {
		size_t k = 0;
		for (size_t i = 0; i < r.n; i++)
			if (is_change(r.s[i].verdict))
				d.order[k++] = i;
		for (size_t i = 0; i < r.n; i++)
			if (!is_change(r.s[i].verdict))
				d.order[k++] = i;
		st = pk_gp_header(&script, "Charts of a perfkit regression report (S1, S2 ... as "
		                  "in the report)", p.script_name);
		size_t fig = 0;
		for (size_t j = 0; j < r.n && st == PK_OK && d.ncharts < PK_REGRESS_CHARTS; j++) {
			size_t i = d.order[j];
			st = series_chart(&script, &d, &v[i], i);
			if (v[i].charted)
				v[i].figure = ++fig;
		}
		if (st == PK_OK)
			st = pk_buf_puts(&script, "unset output\n");
	}
	if (st == PK_OK)
		st = render(&d, &md);
	if (st == PK_OK) {
		st = pk_buf_puts(&title, "Benchmark regressions: ");
		if (st == PK_OK)
			st = o->suite ? pk_buf_put_printable(&title, o->suite, strlen(o->suite))
			              : pk_buf_puts(&title, "every suite");
	}
	if (st == PK_OK) {
		struct pk_report_page pg = { title.data, &md, &script, d.charts, d.ncharts };
		st = pk_report_emit(o->output, &p, &pg, o->templates, o->gnuplot, err);
	}
	if (st == PK_OK && o->summary) {
		size_t worse = 0;
		for (size_t i = 0; i < r.n; i++)
			worse += r.s[i].verdict == PK_RV_REGRESSION;
		st = pk_buf_printf(o->summary, "%zu of %zu series regressed", worse, r.n);
	}
	if (st == PK_ERR_NOMEM && err->len == 0)
		pk_buf_puts(err, "out of memory while writing the report");
	free(d.order);
	free(d.charts);
	free_series(v, r.n);
	pk_regress_free(&r);
	pk_bench_series_list_free(&h);
	pk_buf_free(&script);
	pk_buf_free(&md);
	pk_buf_free(&title);
	pk_report_paths_free(&p);
	return st;
}
