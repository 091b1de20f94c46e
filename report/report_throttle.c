/* report_throttle.c - the throttling report (see report_throttle.h):
 * charts, Markdown sections, files. */
#include "report_throttle.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../analyze/quality.h"
#include "../analyze/throttle.h"
#include "../core/db.h"
#include "../core/diag.h"
#include "../core/metrics.h"
#include "../core/timeutil.h"
#include "files.h"
#include "charts.h"
#include "gp_style.h"
#include "markdown.h"
#include "md_out.h"
#include "reduce.h"
#include "report_out.h"
#include "time_axis.h"
#include "version.h"

#define put pk_mo_put
#define putf pk_mo_putf
#define esc pk_mo_esc
#define num pk_mo_num

struct throttle_doc {
	const struct pk_throttle *t;
	const struct pk_throttle_params *p;
	const struct pk_hw_series *s;
	const struct pk_data_quality *q;
	const char *charts[3];
	size_t ncharts, present[3];
	size_t metric[3];                  /* temperature, CPU frequency, GPU use */
	int64_t generated_us;
	const char *charts_name, *script_name;
};

static const char *const chart_file[3] = {
	"gpu_temperature.svg", "cpu_frequency.svg", "gpu_utilization.svg"
};

/* ---- charts ---------------------------------------------------------- */

/* x of the charts: time since t0, the window's first sample (a window of
 * 24 hours over a log of two would otherwise leave most charts empty), in
 * the axis' unit. */
static double x_of(struct pk_time_axis ax, int64_t t0, int64_t us)
{
	return ((double)us - (double)t0) * ax.per_us;
}

/* The episodes as shaded spans, merged per pixel column so that their
 * number stays bounded: throttled columns vermillion, others orange. */
static enum pk_status put_spans(struct pk_buf *b, const struct pk_throttle *t,
                                struct pk_time_axis ax, int64_t t0, double span)
{
	unsigned char col[PK_CHART_COLUMNS];
	memset(col, 0, sizeof col);
	for (size_t i = 0; i < t->nepisodes; i++) {
		const struct pk_throttle_episode *e = &t->episodes[i];
		double a = x_of(ax, t0, e->start_us) / span * PK_CHART_COLUMNS;
		double z = x_of(ax, t0, e->end_us) / span * PK_CHART_COLUMNS;
		size_t ca = a < 0 ? 0 : a >= PK_CHART_COLUMNS ? PK_CHART_COLUMNS - 1 : (size_t)a;
		size_t cz = z < 0 ? 0 : z >= PK_CHART_COLUMNS ? PK_CHART_COLUMNS - 1 : (size_t)z;
		for (size_t c = ca; c <= cz; c++)
			if (col[c] < 1 + e->throttled)
				col[c] = (unsigned char)(1 + e->throttled);
	}
	enum pk_status st = PK_OK;
	int obj = 1;
	for (size_t c = 0; c < PK_CHART_COLUMNS && st == PK_OK;) {
		if (!col[c]) {
			c++;
			continue;
		}
		size_t e = c;
		while (e + 1 < PK_CHART_COLUMNS && col[e + 1] == col[c])
			e++;
		double x0 = span * (double)c / PK_CHART_COLUMNS, x1 = span * (double)(e + 1) / PK_CHART_COLUMNS;
		st = pk_buf_printf(b, "set object %d rect from %.9g, graph 0 to %.9g, graph 1 "
		                   "fc rgb '%s' fs transparent solid 0.25 noborder behind\n", obj++,
		                   x0, x1, col[c] == 2 ? pk_gp_okabe_ito[1] : pk_gp_okabe_ito[3]);
		c = e + 1;
	}
	return st;
}

static enum pk_status script_of(struct throttle_doc *d, struct pk_buf *b)
{
	const struct pk_throttle *t = d->t;
	const struct pk_hw_series *s = d->s;
	size_t n = s->n;
	int64_t t0 = n ? s->ts_us[0] : t->window.from_us;
	struct pk_time_axis ax = pk_time_axis_for(n ? s->ts_us[n - 1] - t0 : 0);
	double span = n ? x_of(ax, t0, s->ts_us[n - 1]) : 0;
	if (!(span > 0))
		span = 1;
	double *x = malloc((n ? n : 1) * sizeof *x);
	struct pk_chart_col *cols = malloc(pk_chart_reduce_cap(n, PK_CHART_COLUMNS) * sizeof *cols + 1);
	enum pk_status st = x && cols ? PK_OK : PK_ERR_NOMEM;
	for (size_t i = 0; st == PK_OK && i < n; i++)
		x[i] = x_of(ax, t0, s->ts_us[i]);
	if (st == PK_OK)
		st = pk_gp_header(b, "Charts of a perfkit throttling report", d->script_name);
	static const char *const title[3] = {
		"GPU temperature", "CPU frequency", "GPU utilisation"
	};
	for (int k = 0; k < 3 && st == PK_OK; k++) {
		const double *y = s->v[d->metric[k]];
		for (size_t i = 0; i < n; i++)
			d->present[k] += !isnan(y[i]);
		if (!d->present[k])
			continue;
		int reduced = 0;
		size_t m = pk_chart_reduce(x, y, n, 0, span, PK_CHART_COLUMNS, cols, &reduced);
		st = pk_buf_printf(b, "$m%d << EOD\n", k);
		for (size_t i = 0; i < m && st == PK_OK; i++)
			st = cols[i].n ? pk_buf_printf(b, "%.9g %.7g %.7g %.7g\n", cols[i].x, cols[i].min,
			                               cols[i].max, cols[i].mean)
			               : pk_buf_putc(b, '\n');
		if (st == PK_OK)
			st = pk_buf_puts(b, "EOD\n");
		d->charts[d->ncharts++] = chart_file[k];
		if (st == PK_OK)
			st = pk_gp_output(b, d->charts_name, chart_file[k]);
		if (st == PK_OK)
			st = put_spans(b, t, ax, t0, span);
		const struct pk_metric *mt = &pk_hw_metrics[d->metric[k]];
		if (st == PK_OK)
			st = pk_buf_printf(b, "set title '%s (shaded: episodes, vermillion = throttled)'\n"
			                   "set xlabel '%s since the first sample of the window'\n"
			                   "set ylabel ", title[k], ax.unit);
		if (st == PK_OK) {
			struct pk_buf lab = PK_BUF_INIT;
			st = pk_buf_printf(&lab, "%s (%s)", mt->label, mt->unit);
			if (st == PK_OK)
				st = pk_gp_quote(b, lab.data);
			pk_buf_free(&lab);
		}
		if (st == PK_OK)
			st = pk_buf_printf(b, "\nset xrange [0:%.9g]\nset yrange [*:*]\nset style fill empty\nplot ",
			                   span);
		if (st == PK_OK && reduced)
			st = pk_buf_printf(b, "$m%d using 1:2:3 with filledcurves fs transparent solid 0.25 "
			                   "noborder ls 1 notitle, \\\n     $m%d using 1:4 with lines ls 1 "
			                   "title 'mean per column'", k, k);
		else if (st == PK_OK)
			st = pk_buf_printf(b, "$m%d using 1:4 with lines ls 1 title 'sample'", k);
		if (st == PK_OK && k == 0)
			st = pk_buf_printf(b, ", \\\n     %.9g with lines ls 2 dt 2 title 'threshold %g C'",
			                   t->threshold_c, t->threshold_c);
		if (st == PK_OK)
			st = pk_buf_puts(b, "\nunset object\n\n");
	}
	if (st == PK_OK)
		st = pk_buf_puts(b, "unset output\n");
	free(x);
	free(cols);
	return st;
}

/* ---- Markdown -------------------------------------------------------- */

static void drop_cells(struct pk_md_out *o, const struct pk_throttle_drop *dr)
{
	num(o, dr->baseline, 4, NULL);
	put(o, " \xe2\x86\x92 ");
	num(o, dr->episode, 4, NULL);
	put(o, " | ");
	num(o, dr->drop_pct, 3, "%");
	put(o, " | ");
	pk_mo_p(o, dr->p);
}

static void section_head(struct pk_md_out *o, const struct throttle_doc *d)
{
	const struct pk_throttle *t = d->t;
	put(o, "# Throttling: ");
	esc(o, t->profile);
	put(o, "\n\nGenerated ");
	pk_mo_time(o, d->generated_us);
	putf(o, " by perfreport %s.\n\nWindow ", PERFKIT_VERSION);
	pk_mo_time(o, t->window.from_us);
	put(o, " to ");
	pk_mo_time(o, t->window.to_us);
	putf(o, ": %zu samples, %zu with a GPU temperature, %zu hot; usual interval ", t->samples,
	     t->temp_present, t->hot);
	num(o, t->interval_s, 3, "s");
	put(o, ", gaps over ");
	num(o, t->gap_threshold_s, 3, "s");
	put(o, " split episodes. Threshold ");
	num(o, t->threshold_c, 4, "\xc2\xb0" "C");
	putf(o, " (%s", pk_threshold_source_str(d->p->source));
	if (d->p->registry_metric) {
		put(o, ": registry target ");
		esc(o, d->p->registry_metric);
		if (d->p->registry_bound) {
			put(o, ", ");
			esc(o, d->p->registry_bound);
		}
	}
	put(o, ").\n\n## Summary\n\n");
	double hot_s = 0, longest = 0;
	for (size_t i = 0; i < t->nepisodes; i++) {
		hot_s += t->episodes[i].duration_s;
		if (t->episodes[i].duration_s > longest)
			longest = t->episodes[i].duration_s;
	}
	putf(o, "- **Episodes:** %zu (GPU above the threshold for at least two samples in a row), "
	     "%zu throttled.\n", t->nepisodes, t->throttled);
	if (t->nepisodes) {
		put(o, "- **Time in episodes:** ");
		num(o, hot_s / 60, 3, "min");
		put(o, "; the longest ");
		num(o, longest / 60, 3, "min");
		put(o, ".\n");
	}
	const struct pk_throttle_episode *worst = NULL;
	for (size_t i = 0; i < t->nepisodes; i++) {
		const struct pk_throttle_episode *e = &t->episodes[i];
		double w = fmax(isnan(e->freq.drop_pct) ? -INFINITY : e->freq.drop_pct,
		                isnan(e->util.drop_pct) ? -INFINITY : e->util.drop_pct);
		if (e->throttled && (!worst || w > fmax(worst->freq.drop_pct, worst->util.drop_pct)))
			worst = e;
	}
	if (worst) {
		put(o, "- **Worst throttling:** from ");
		pk_mo_time(o, worst->start_us);
		put(o, ", peak ");
		num(o, worst->peak_c, 4, "\xc2\xb0" "C");
		if (worst->freq.dropped) {
			put(o, "; CPU frequency ");
			num(o, worst->freq.drop_pct, 3, "%");
			put(o, " below its baseline");
		}
		if (worst->util.dropped) {
			put(o, "; GPU utilisation ");
			num(o, worst->util.drop_pct, 3, "%");
			put(o, " below its baseline");
		}
		put(o, ".\n");
	}
	put(o, "\n");
}

static void section_figures(struct pk_md_out *o, const struct throttle_doc *d)
{
	if (!d->ncharts)
		return;
	put(o, "## Figures\n\nEach chart shades the episodes: vermillion when throttled, orange "
	       "when the GPU was hot without a drop (merged per pixel column). Long series are "
	       "drawn per pixel column: the line is the mean, the band the range. The gnuplot "
	       "script ");
	esc(o, d->script_name);
	put(o, " draws them again; each chart is also a standalone SVG file in ");
	esc(o, d->charts_name);
	put(o, ".\n\n");
	static const char *const what[3] = {
		"GPU temperature over the window, with the threshold dashed.",
		"CPU frequency over the window: throttling shows as a drop inside an episode.",
		"GPU utilisation over the window: throttling shows as a drop inside an episode."
	};
	size_t fig = 0;
	for (int k = 0; k < 3; k++) {
		int drawn = 0;
		for (size_t i = 0; i < d->ncharts; i++)
			drawn |= d->charts[i] == chart_file[k];
		if (!drawn)
			continue;
		putf(o, "![%s](", pk_hw_metrics[d->metric[k]].label);
		if (o->st == PK_OK)
			o->st = pk_md_url_path(o->b, d->charts_name);
		putf(o, "/%s)\n\n**Figure %zu.** %s *Window: ", chart_file[k], ++fig, what[k]);
		pk_mo_time(o, d->t->window.from_us);
		put(o, " to ");
		pk_mo_time(o, d->t->window.to_us);
		putf(o, "; n = %zu samples with a value; source: ", d->present[k]);
		if (d->q->sources_known)
			putf(o, "%zu file%s of profile ", d->q->source_files,
			     d->q->source_files == 1 ? "" : "s");
		else
			put(o, "the files of profile ");
		esc(o, d->t->profile);
		put(o, " (the database\xe2\x80\x99s source\\_file table names them).*\n\n");
	}
}

/* How much an episode cost: its larger drop in percent (-inf when none). */
static double cost(const struct pk_throttle_episode *e)
{
	double f = isnan(e->freq.drop_pct) ? -INFINITY : e->freq.drop_pct;
	double u = isnan(e->util.drop_pct) ? -INFINITY : e->util.drop_pct;
	return f > u ? f : u;
}

static const struct pk_throttle_episode *sort_base;

/* Throttled first, then by cost, then by time. */
static int by_cost(const void *a, const void *b)
{
	const struct pk_throttle_episode *x = &sort_base[*(const size_t *)a];
	const struct pk_throttle_episode *y = &sort_base[*(const size_t *)b];
	if (x->throttled != y->throttled)
		return x->throttled ? -1 : 1;
	double cx = cost(x), cy = cost(y);
	if (cx != cy)
		return cx > cy ? -1 : 1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static int by_index(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

static void section_episodes(struct pk_md_out *o, const struct throttle_doc *d)
{
	const struct pk_throttle *t = d->t;
	put(o, "## Episodes\n\n");
	if (!t->nepisodes) {
		put(o, "No episode: the GPU never stayed above the threshold for two samples in a "
		       "row.\n\n");
		return;
	}
	/* the table is bounded: the costliest episodes, in time order */
	size_t shown = t->nepisodes < PK_THROTTLE_TABLE_MAX ? t->nepisodes : PK_THROTTLE_TABLE_MAX;
	size_t *idx = malloc(t->nepisodes * sizeof *idx);
	if (!idx) {
		o->st = PK_ERR_NOMEM;
		return;
	}
	for (size_t i = 0; i < t->nepisodes; i++)
		idx[i] = i;
	if (shown < t->nepisodes) {
		sort_base = t->episodes;
		qsort(idx, t->nepisodes, sizeof *idx, by_cost);
		qsort(idx, shown, sizeof *idx, by_index);
		putf(o, "%zu episodes: the table shows the %zu costliest (throttled first, then by "
		     "the larger drop), in time order; perfanalyze --throttling lists them all.\n\n",
		     t->nepisodes, shown);
	}
	put(o, "| # | Start | Duration | Samples | Hot | Peak (\xc2\xb0" "C) | CPU MHz: baseline "
	       "\xe2\x86\x92 episode | Drop | p | GPU %: baseline \xe2\x86\x92 episode | Drop | p "
	       "| Throttled |\n|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|\n");
	for (size_t k = 0; k < shown; k++) {
		size_t i = idx[k];
		const struct pk_throttle_episode *e = &t->episodes[i];
		putf(o, "| %zu | ", i + 1);
		pk_mo_time(o, e->start_us);
		put(o, " | ");
		num(o, e->duration_s / 60, 3, "min");
		putf(o, " | %zu | %zu | ", e->samples, e->hot);
		num(o, e->peak_c, 4, NULL);
		put(o, " | ");
		drop_cells(o, &e->freq);
		put(o, " | ");
		drop_cells(o, &e->util);
		put(o, e->throttled ? " | **yes** |\n" : " | no |\n");
	}
	free(idx);
	put(o, "\n");
}

static void section_advice(struct pk_md_out *o, const struct throttle_doc *d)
{
	const struct pk_throttle *t = d->t;
	put(o, "## Recommendations\n\n");
	if (t->throttled) {
		putf(o, "- %zu of %zu hot episodes cost performance (a drop of more than %g %%). "
		     "Improve cooling (airflow, fan curve, dust, thermal paste), cap the GPU power "
		     "limit, or move the sustained load to a machine with more thermal headroom; "
		     "then measure again and compare with this report.\n", t->throttled,
		     t->nepisodes, PK_THROTTLE_DROP_PCT);
	} else if (t->nepisodes) {
		putf(o, "- The GPU ran hot %zu time%s but neither CPU frequency nor GPU "
		     "utilisation dropped by more than %g %%: no throttling cost so far; watch the "
		     "peak temperature.\n", t->nepisodes, t->nepisodes == 1 ? "" : "s",
		     PK_THROTTLE_DROP_PCT);
	} else {
		put(o, "- Nothing to do: no hot episode in this window.\n");
	}
	if (t->temp_present < t->samples)
		putf(o, "- %zu of %zu samples %s no GPU temperature: episodes can only be found "
		     "where it was recorded.\n", t->samples - t->temp_present, t->samples,
		     t->samples - t->temp_present == 1 ? "has" : "have");
	put(o, "\n");
}

static void section_methods(struct pk_md_out *o)
{
	put(o, "## Methods\n\n"
	       "- **Threshold.** --threshold, else the registry\xe2\x80\x99s temperature limit "
	       "for the profile, else 80 \xc2\xb0" "C; a hot sample has a GPU temperature "
	       "above it.\n"
	       "- **Episode.** A maximal run of samples that starts and ends hot, in which every "
	       "sample is hot or has no temperature (missing is not cool), not split by a gap "
	       "(a step over 3 \xc3\x97 the usual interval, the median time between samples); "
	       "kept with at least 2 hot samples.\n"
	       "- **Baseline.** Per metric, the median of its values in the 10 samples before "
	       "the episode, counting back no further than a gap or a hot sample; undefined "
	       "with fewer than 3 values. The episode value is the median inside the episode.\n"
	       "- **Drop.** baseline \xe2\x88\x92 episode value, in percent of the baseline. "
	       "**Throttled:** CPU frequency or GPU utilisation drops by more than 10 %.\n"
	       "- **p.** Two-sided Mann\xe2\x80\x93Whitney U test of the baseline values against "
	       "the episode values: evidence, not the rule (minute samples are autocorrelated, "
	       "so p is optimistic).\n"
	       "- **\xe2\x80\x9c-\xe2\x80\x9d** in a table: undefined.\n\n");
}

static enum pk_status render(struct throttle_doc *d, struct pk_buf *md)
{
	struct pk_md_out o = { md, PK_OK };
	section_head(&o, d);
	section_figures(&o, d);
	section_episodes(&o, d);
	section_advice(&o, d);
	section_methods(&o);
	return o.st;
}

/* ---- the whole report ------------------------------------------------ */

enum pk_status pk_report_throttle(const struct pk_report_throttle_opts *o,
                                  struct pk_buf *err)
{
	if (!o || !o->profile || !o->output) {
		pk_buf_puts(err, "need --throttling PROFILE and --output FILE");
		return PK_USAGE;
	}
	struct throttle_doc d;
	memset(&d, 0, sizeof d);
	static const char *const cols[3] = {
		"gpu.temperature_celsius", "cpu.frequency_current_mhz", "gpu.utilization_percent"
	};
	for (int k = 0; k < 3; k++)
		if (!pk_hw_metric_find(cols[k], &d.metric[k])) {
			pk_buf_printf(err, "metric %s missing from the registry", cols[k]);
			return PK_ERR_INPUT;
		}
	struct pk_report_paths p;
	enum pk_status st = pk_report_paths(o->output, &p, err);
	if (st != PK_OK)
		return st;
	st = pk_report_check_dir(o->output, &p, err);
	struct pk_db *db = NULL;
	struct pk_window w;
	struct pk_hw_series s;
	struct pk_throttle_params par;
	struct pk_throttle t;
	struct pk_data_quality q;
	memset(&s, 0, sizeof s);
	memset(&par, 0, sizeof par);
	memset(&t, 0, sizeof t);
	memset(&q, 0, sizeof q);
	if (st == PK_OK)
		st = pk_db_open(pk_db_default_path(o->db_path), PK_DB_READONLY, &db, err);
	if (st == PK_OK)
		st = pk_load_profile_window(db, o->profile, o->hours, o->until_us, &w, &s, err);
	if (st == PK_OK)
		st = pk_throttle_threshold(db, o->profile, o->threshold_c, &par);
	if (st == PK_OK)
		st = pk_throttle_series(o->profile, &w, &s, par.threshold_c, &t);
	if (st == PK_OK && o->need_episodes && t.nepisodes == 0) {
		pk_buf_printf(err, "no episode above %g \xc2\xb0" "C in the %g hours before the "
		              "newest sample", t.threshold_c, o->hours);
		st = PK_NODATA;
	}
	if (st == PK_OK)
		st = pk_data_quality_add_sources(db, o->profile, &s, &q);
	if (st == PK_ERR_DB && err->len == 0)
		pk_buf_printf(err, "database: %s", pk_db_errmsg(db));
	pk_db_close(&db);

	struct pk_buf script = PK_BUF_INIT, md = PK_BUF_INIT, title = PK_BUF_INIT;
	if (st == PK_OK) {
		d.t = &t;
		d.p = &par;
		d.s = &s;
		d.q = &q;
		d.generated_us = pk_time_now_us();
		d.charts_name = p.charts_name;
		d.script_name = p.script_name;
		st = script_of(&d, &script);
	}
	if (st == PK_OK)
		st = render(&d, &md);
	if (st == PK_OK) {
		st = pk_buf_puts(&title, "Throttling: ");
		if (st == PK_OK)
			st = pk_buf_put_printable(&title, o->profile, strlen(o->profile));
	}
	if (st == PK_OK) {
		struct pk_report_page pg = { title.data, &md, &script, d.charts, d.ncharts };
		st = pk_report_emit(o->output, &p, &pg, o->templates, o->gnuplot, err);
	}
	if (st == PK_OK && o->summary)
		st = pk_buf_printf(o->summary, "%zu episode%s above %g \xc2\xb0" "C, %zu throttled",
		                   t.nepisodes, t.nepisodes == 1 ? "" : "s", t.threshold_c,
		                   t.throttled);
	if (st == PK_ERR_NOMEM && err->len == 0)
		pk_buf_puts(err, "out of memory while writing the report");
	pk_buf_free(&script);
	pk_buf_free(&md);
	pk_buf_free(&title);
	pk_data_quality_free(&q);
	pk_throttle_free(&t);
	pk_throttle_params_free(&par);
	pk_hw_series_free(&s);
	pk_report_paths_free(&p);
	return st;
}
