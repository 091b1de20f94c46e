/* charts_experiment.c - the gnuplot script of an experiment report (see
 * charts_experiment.h). */
#include "charts_experiment.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charts.h"
#include "exp_chart_data.h"
#include "gp_style.h"
#include "reduce.h"

/* Scratch shared by the charts of one script. */
struct work {
	struct pk_buf *b;          /* the datablocks */
	struct pk_buf plots;       /* the plot commands, after the data */
	const char *dir;
	struct pk_expc_set *set;
	struct pk_chart_col *cols;
	size_t cap;
	enum pk_status st;
};

static void put(struct work *w, struct pk_buf *b, const char *s)
{
	if (w->st == PK_OK)
		w->st = pk_buf_puts(b, s);
}

static void putf(struct work *w, struct pk_buf *b, const char *fmt, ...) PK_PRINTF(3, 4);

static void putf(struct work *w, struct pk_buf *b, const char *fmt, ...)
{
	if (w->st != PK_OK)
		return;
	char s[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(s, sizeof s, fmt, ap);
	va_end(ap);
	w->st = n < 0 || (size_t)n >= sizeof s ? PK_ERR_NOMEM : pk_buf_append(b, s, (size_t)n);
}

static struct pk_expc_chart *add(struct work *w, enum pk_expc_kind k,
                                 const char *file, size_t n)
{
	struct pk_expc_chart *c = &w->set->c[w->set->n++];
	memset(c, 0, sizeof *c);
	c->kind = k;
	snprintf(c->file, sizeof c->file, "%s", file);
	c->n = n;
	if (w->st == PK_OK)
		w->st = pk_gp_output(&w->plots, w->dir, file);
	return c;
}

/* Writes $name: "x min max mean" per point or pixel column, a blank line
 * at a gap; returns how many values it drew from and sets *reduced. */
static size_t put_series(struct work *w, const char *name, const double *x,
                         const double *y, size_t n, int *reduced)
{
	*reduced = 0;
	size_t need = pk_chart_reduce_cap(n, PK_CHART_COLUMNS);
	if (need > w->cap) {
		struct pk_chart_col *t = realloc(w->cols, need * sizeof *t);
		if (!t) {
			w->st = PK_ERR_NOMEM;
			return 0;
		}
		w->cols = t;
		w->cap = need;
	}
	size_t present = 0;
	for (size_t i = 0; i < n; i++)
		present += !isnan(y[i]);
	if (present == 0 || n == 0)
		return 0;
	size_t k = pk_chart_reduce(x, y, n, x[0], x[n - 1], PK_CHART_COLUMNS, w->cols, reduced);
	putf(w, w->b, "$%s << EOD\n", name);
	for (size_t i = 0; i < k && w->st == PK_OK; i++) {
		if (w->cols[i].n == 0)
			put(w, w->b, "\n");
		else
			putf(w, w->b, "%.9g %.7g %.7g %.7g\n", w->cols[i].x, w->cols[i].min,
			     w->cols[i].max, w->cols[i].mean);
	}
	put(w, w->b, "EOD\n");
	return present;
}

/* The plot clause of a series: a band and its mean line when reduced,
 * else points (scatter) or points joined (lines). */
static void plot_series(struct work *w, const char *name, int reduced, int ls,
                        int joined, const char *title)
{
	if (reduced)
		putf(w, &w->plots, "$%s using 1:2:3 with filledcurves fs transparent solid 0.25 "
		     "noborder ls %d notitle, \\\n     $%s using 1:4 with lines ls %d title '%s'",
		     name, ls, name, ls, title);
	else
		putf(w, &w->plots, "$%s using 1:4 with %s ls %d pt 7 ps 0.45 title '%s'",
		     name, joined ? "linespoints" : "points", ls, title);
}

static void axes(struct work *w, const char *title, const char *xlabel,
                 const char *ylabel, double x0, double x1, const char *yrange)
{
	putf(w, &w->plots, "set title '%s'\nset xlabel '%s'\nset ylabel '%s'\n", title,
	     xlabel, ylabel);
	if (isfinite(x0) && isfinite(x1) && x1 > x0)
		putf(w, &w->plots, "set xrange [%.9g:%.9g]\n", x0, x1);
	else
		put(w, &w->plots, "set xrange [*:*]\n");
	putf(w, &w->plots, "set yrange %s\nset style fill empty\n", yrange);
}

static void cycle_chart(struct work *w, const struct pk_exp_result *r)
{
	const struct pk_exp_cycles *c = &r->d.c;
	int reduced;
	size_t n = put_series(w, "cycle_time", c->cycle, c->duration, c->n, &reduced);
	if (w->st != PK_OK || n == 0)
		return;
	double x0 = c->cycle[0], x1 = c->cycle[c->n - 1];
	/* one crash mark per pixel column that holds a crashed cycle */
	size_t marks = 0;
	double last = NAN;
	put(w, w->b, "$crashes << EOD\n");
	for (size_t i = 0; i < c->n && w->st == PK_OK; i++) {
		if (c->crashed[i] != 1)
			continue;
		double col = x1 > x0 ? floor((c->cycle[i] - x0) / (x1 - x0) * PK_CHART_COLUMNS) : 0;
		if (col == last)
			continue;
		last = col;
		putf(w, w->b, "%.9g 0\n", c->cycle[i]);
		marks++;
	}
	put(w, w->b, "EOD\n");
	struct pk_expc_chart *ch = add(w, PK_EXPC_CYCLE, "cycle_time.svg", n);
	ch->reduced = reduced;
	w->set->crashes_marked = marks;
	axes(w, "Cycle duration", "cycle number", "cycle duration (s)", x0, x1, "[0:*]");
	put(w, &w->plots, "plot ");
	plot_series(w, "cycle_time", reduced, 1, 1, "cycle duration");
	if (marks)
		put(w, &w->plots, ", \\\n     $crashes using 1:2 with points ls 2 pt 9 ps 1.1 "
		                  "title 'crashed cycle'");
	put(w, &w->plots, "\n\n");
}

static void stack_chart(struct work *w, const struct pk_exp_result *r)
{
	const struct pk_exp_cycles *c = &r->d.c;
	struct pk_exp_bar *bars = malloc(PK_EXPC_MAX_BARS * sizeof *bars);
	if (!bars) {
		w->st = PK_ERR_NOMEM;
		return;
	}
	size_t nb = pk_exp_stack_bars(c, PK_EXPC_MAX_BARS, bars), used = 0;
	for (size_t i = 0; i < nb; i++)
		used += bars[i].n;
	if (used > 0) {
		put(w, w->b, "$stack << EOD\n");
		for (size_t i = 0; i < nb && w->st == PK_OK; i++)
			if (bars[i].n)
				putf(w, w->b, "%.9g %.9g %.7g %.7g %.7g\n",
				     (bars[i].first + bars[i].last) / 2,
				     (bars[i].last - bars[i].first + 1) * 0.85,
				     bars[i].llm, bars[i].db, bars[i].other);
		put(w, w->b, "EOD\n");
		struct pk_expc_chart *ch = add(w, PK_EXPC_STACK, "timing_breakdown.svg", used);
		ch->group = (c->n + PK_EXPC_MAX_BARS - 1) / PK_EXPC_MAX_BARS;
		ch->reduced = ch->group > 1;
		axes(w, "Timing breakdown per cycle", "cycle number",
		     ch->reduced ? "mean time per cycle (s)" : "time (s)",
		     c->cycle[0] - 0.5, c->cycle[c->n - 1] + 0.5, "[0:*]");
		put(w, &w->plots,
		    "set style fill solid 0.9 noborder\n"
		    "plot $stack using 1:($3+$4+$5):2 with boxes ls 4 title 'other (cycle - LLM - DB)', \\\n"
		    "     $stack using 1:($3+$4):2 with boxes ls 3 title 'database', \\\n"
		    "     $stack using 1:3:2 with boxes ls 1 title 'LLM inference'\n\n");
	}
	free(bars);
}

/* A trend chart: the values, the least-squares line and the Theil-Sen
 * line over the cycles that have a value. */
static void trend_chart(struct work *w, const struct pk_exp_result *r,
                        const double *y, const struct pk_exp_trend *t,
                        enum pk_expc_kind kind, const char *stem,
                        const char *title, const char *ylabel, double *icpt)
{
	const struct pk_exp_cycles *c = &r->d.c;
	char name[48];
	int reduced;
	snprintf(name, sizeof name, "%s_values", stem);
	size_t n = put_series(w, name, c->cycle, y, c->n, &reduced);
	*icpt = NAN;
	if (w->st != PK_OK || n == 0)
		return;
	double x0 = NAN, x1 = NAN;
	for (size_t i = 0; i < c->n; i++) {
		if (isnan(y[i]))
			continue;
		if (isnan(x0))
			x0 = c->cycle[i];
		x1 = c->cycle[i];
	}
	*icpt = pk_theil_sen_intercept(c->cycle, y, c->n, t->theil_sen);
	int ols = isfinite(t->slope) && isfinite(t->intercept) && x1 > x0;
	int ts = isfinite(*icpt) && isfinite(t->theil_sen) && x1 > x0;
	if (ols || ts) {
		putf(w, w->b, "$%s_fit << EOD\n%.9g %.9g %.9g\n%.9g %.9g %.9g\nEOD\n", stem,
		     x0, t->intercept + t->slope * x0, *icpt + t->theil_sen * x0,
		     x1, t->intercept + t->slope * x1, *icpt + t->theil_sen * x1);
	}
	char file[48];
	snprintf(file, sizeof file, "%s.svg", stem);
	struct pk_expc_chart *ch = add(w, kind, file, n);
	ch->reduced = reduced;
	axes(w, title, "cycle number", ylabel, c->cycle[0], c->cycle[c->n - 1], "[*:*]");
	put(w, &w->plots, "plot ");
	plot_series(w, name, reduced, 1, 0, reduced ? "mean per column" : "cycle");
	if (ols)
		putf(w, &w->plots, ", \\\n     $%s_fit using 1:2 with lines ls 2 lw 2 "
		     "title 'least squares'", stem);
	if (ts)
		putf(w, &w->plots, ", \\\n     $%s_fit using 1:3 with lines ls 3 lw 2 dt 2 "
		     "title 'Theil-Sen'", stem);
	put(w, &w->plots, "\n\n");
}

static int valid_dir(const char *dir)
{
	if (!dir || !dir[0])
		return 0;
	for (const unsigned char *p = (const unsigned char *)dir; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

static enum pk_status begin(struct work *w, struct pk_buf *script, const char *dir,
                            struct pk_expc_set *out, const char *what,
                            const char *script_name, struct pk_buf *err)
{
	memset(out, 0, sizeof *out);
	memset(w, 0, sizeof *w);
	w->b = script;
	w->dir = dir;
	w->set = out;
	out->ts_icpt_mem = out->ts_icpt_tps = NAN;
	if (!valid_dir(dir)) {
		pk_buf_puts(err, "chart folder name is empty or holds control characters");
		return PK_USAGE;
	}
	w->st = pk_gp_header(script, what, script_name);
	return w->st;
}

static enum pk_status finish(struct work *w, struct pk_buf *err)
{
	if (w->st == PK_OK && w->plots.len)
		w->st = pk_buf_printf(w->b, "\n%s", w->plots.data);
	if (w->st == PK_OK)
		w->st = pk_buf_puts(w->b, "unset output\n");
	if (w->st == PK_ERR_NOMEM)
		pk_buf_puts(err, "out of memory while building the chart script");
	pk_buf_free(&w->plots);
	free(w->cols);
	return w->st;
}

enum pk_status pk_expc_one(const struct pk_exp_result *r, const char *chart_dir,
                           const char *script_name, struct pk_buf *script,
                           struct pk_expc_set *out, struct pk_buf *err)
{
	struct work w;
	if (begin(&w, script, chart_dir, out, "Charts of a perfkit experiment report",
	          script_name, err) != PK_OK)
		return w.st != PK_OK ? w.st : PK_USAGE;
	cycle_chart(&w, r);
	stack_chart(&w, r);
	trend_chart(&w, r, r->d.c.mem_peak, &r->mem, PK_EXPC_MEM, "memory_trend",
	            "Peak memory per cycle", "peak memory (MB)", &out->ts_icpt_mem);
	trend_chart(&w, r, r->d.c.tps, &r->tps, PK_EXPC_TPS, "tokens_trend",
	            "Tokens per second per cycle", "tokens/s", &out->ts_icpt_tps);
	return finish(&w, err);
}

/* One CDF chart of metric m over the experiments. */
static void cdf_chart(struct work *w, const struct pk_exp_result *r, size_t n,
                      enum pk_exp_metric m, enum pk_expc_kind kind,
                      const char *stem, const char *title, const char *xlabel)
{
	struct pk_chart_pt *pts = malloc((PK_CHART_QUANTILES + 1) * sizeof *pts);
	if (!pts) {
		w->st = PK_ERR_NOMEM;
		return;
	}
	size_t total = 0, drawn = 0;
	struct pk_buf cmd = PK_BUF_INIT;
	for (size_t i = 0; i < n && w->st == PK_OK; i++) {
		size_t k = pk_chart_cdf(r[i].sorted[m], r[i].stat[m].s.count,
		                        PK_CHART_QUANTILES, pts);
		if (k == 0)
			continue;
		putf(w, w->b, "$%s_E%zu << EOD\n", stem, i + 1);
		for (size_t j = 0; j < k && w->st == PK_OK; j++)
			putf(w, w->b, "%.7g %.9g\n", pts[j].x, pts[j].y);
		put(w, w->b, "EOD\n");
		putf(w, &cmd, "%s$%s_E%zu with steps ls %zu title 'E%zu'", drawn ? ", \\\n     " : "",
		     stem, i + 1, i % PK_GP_NCOLOURS + 1, i + 1);
		total += r[i].stat[m].s.count;
		drawn++;
	}
	if (drawn && w->st == PK_OK) {
		char file[48];
		snprintf(file, sizeof file, "%s.svg", stem);
		add(w, kind, file, total);
		axes(w, title, xlabel, "fraction of cycles <= x", NAN, NAN, "[0:1]");
		put(w, &w->plots, "plot ");
		put(w, &w->plots, cmd.data);
		put(w, &w->plots, "\n\n");
	}
	pk_buf_free(&cmd);
	free(pts);
}

enum pk_status pk_expc_many(const struct pk_exp_result *r, size_t n,
                            const char *chart_dir, const char *script_name,
                            struct pk_buf *script, struct pk_expc_set *out,
                            struct pk_buf *err)
{
	struct work w;
	if (begin(&w, script, chart_dir, out,
	          "Charts of a perfkit report of several experiments (E1, E2 ... in "
	          "the report's order)", script_name, err) != PK_OK)
		return w.st != PK_OK ? w.st : PK_USAGE;
	cdf_chart(&w, r, n, PK_EXPM_DURATION, PK_EXPC_CYCLE_CDF, "cycle_time_cdf",
	          "Cycle duration: distribution (empirical CDF)", "cycle duration (s)");
	cdf_chart(&w, r, n, PK_EXPM_TPS, PK_EXPC_TPS_CDF, "tokens_cdf",
	          "Tokens per second: distribution (empirical CDF)", "tokens/s");
	return finish(&w, err);
}
