/* charts.c - builds the gnuplot script of a comparison report (see charts.h). */
#include "charts.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../analyze/stats.h"
#include "../core/metrics.h"
#include "../core/timeutil.h"
#include "reduce.h"
#include "time_axis.h"
#include "version.h"

/* Scratch arrays for one profile, reused for every metric. */
struct side_work {
	const struct pk_chart_side *in;
	double *x;                 /* time since from_us, in the axis' unit */
	double *sorted;            /* present values, sorted */
	struct pk_chart_col *line; /* reduced time line */
	struct pk_chart_pt *cdf;
	size_t nline, ncdf;
	int reduced;
};

static void side_free(struct side_work *w)
{
	free(w->x);
	free(w->sorted);
	free(w->line);
	free(w->cdf);
}

static enum pk_status side_init(struct side_work *w, const struct pk_chart_side *in,
                                struct pk_time_axis ax)
{
	memset(w, 0, sizeof *w);
	w->in = in;
	size_t n = in && in->v ? in->v->n : 0;
	size_t cap = pk_chart_reduce_cap(n, PK_CHART_COLUMNS);
	w->x = malloc((n ? n : 1) * sizeof *w->x);
	w->sorted = malloc((n ? n : 1) * sizeof *w->sorted);
	w->line = malloc((cap ? cap : 1) * sizeof *w->line);
	w->cdf = malloc((PK_CHART_QUANTILES + 1) * sizeof *w->cdf);
	if (!w->x || !w->sorted || !w->line || !w->cdf) {
		side_free(w);
		return PK_ERR_NOMEM;
	}
	for (size_t i = 0; i < n; i++)
		w->x[i] = ((double)in->v->ts_us[i] - (double)in->from_us) * ax.per_us;
	return PK_OK;
}

/* Reduces metric m of one side's view into w->line and w->cdf; nothing
 * when m is SIZE_MAX (the side has no such metric). */
static enum pk_status side_metric(struct side_work *w, size_t m, double span)
{
	w->nline = w->ncdf = 0;
	if (!w->in || !w->in->v || w->in->v->n == 0 || m == SIZE_MAX)
		return PK_OK;
	const struct pk_series_view *s = w->in->v;
	w->nline = pk_chart_reduce(w->x, s->v[m], s->n, 0.0, span,
	                           PK_CHART_COLUMNS, w->line, &w->reduced);
	size_t np = pk_drop_missing(s->v[m], s->n, w->sorted);
	if (np == 0)
		return PK_OK;
	if (pk_sort_doubles(w->sorted, np) != 0)
		return PK_ERR_NOMEM;
	w->ncdf = pk_chart_cdf(w->sorted, np, PK_CHART_QUANTILES, w->cdf);
	return PK_OK;
}

enum pk_status pk_gp_quote(struct pk_buf *script, const char *s)
{
	enum pk_status st = pk_buf_putc(script, '\'');
	for (const unsigned char *p = (const unsigned char *)s; *p && st == PK_OK; p++) {
		if (*p == '\'')
			st = pk_buf_puts(script, "''");
		else if (*p < 0x20 || *p == 0x7f)
			st = pk_buf_putc(script, ' ');
		else
			st = pk_buf_putc(script, (char)*p);
	}
	if (st == PK_OK)
		st = pk_buf_putc(script, '\'');
	return st;
}

static int is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

/* "metric" and digits only: the form of the index-based stems. */
static int is_index_stem(const char *s)
{
	if (strncmp(s, "metric", 6) != 0 || !s[6])
		return 0;
	for (s += 6; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* A datablock/file stem for metric m of the set: its column name (a
 * registry metric) or its path (a path from a log) when that is made of
 * [A-Za-z0-9_] only, shorter than 64 bytes and not of the form
 * "metric<digits>", else "metric<m>"; so no two metrics share a stem. */
static void metric_stem(const struct pk_metric *mt, size_t m, char *out, size_t n)
{
	const char *col = mt->column ? mt->column : mt->name;
	size_t len = strlen(col);
	int ok = len > 0 && len < 64 && !is_index_stem(col);
	for (size_t i = 0; ok && i < len; i++)
		ok = is_name_char(col[i]);
	if (ok)
		snprintf(out, n, "%s", col);
	else
		snprintf(out, n, "metric%zu", m);
}

static int is_break(const struct pk_chart_col *p)
{
	return p->n == 0;
}

static int is_isolated(const struct pk_chart_col *pts, size_t k, size_t i)
{
	return !is_break(&pts[i]) && (i == 0 || is_break(&pts[i - 1])) &&
	       (i + 1 == k || is_break(&pts[i + 1]));
}

/* Writes the datablocks $NAME ("x min max mean" per line, a blank line for
 * a break) and $NAME_pts ("x mean" of entries with no neighbour, which a
 * line would not show).  *nline and *npts get how many entries each holds. */
static enum pk_status put_line_blocks(struct pk_buf *b, const char *name,
                                      const struct pk_chart_col *pts, size_t k,
                                      size_t *nline, size_t *npts)
{
	enum pk_status st = pk_buf_printf(b, "$%s << EOD\n", name);
	int pending_break = 0;
	*nline = *npts = 0;
	for (size_t i = 0; i < k && st == PK_OK; i++) {
		if (is_break(&pts[i]) || is_isolated(pts, k, i)) {
			pending_break = *nline > 0;
			continue;
		}
		if (pending_break)
			st = pk_buf_putc(b, '\n');
		pending_break = 0;
		if (st == PK_OK)
			st = pk_buf_printf(b, "%.9g %.7g %.7g %.7g\n", pts[i].x, pts[i].min,
			                   pts[i].max, pts[i].mean);
		(*nline)++;
	}
	if (st == PK_OK)
		st = pk_buf_printf(b, "EOD\n$%s_pts << EOD\n", name);
	for (size_t i = 0; i < k && st == PK_OK; i++) {
		if (!is_isolated(pts, k, i))
			continue;
		st = pk_buf_printf(b, "%.9g %.7g\n", pts[i].x, pts[i].mean);
		(*npts)++;
	}
	if (st == PK_OK)
		st = pk_buf_puts(b, "EOD\n");
	return st;
}

static enum pk_status put_cdf_block(struct pk_buf *b, const char *name,
                                    const struct pk_chart_pt *pts, size_t k)
{
	enum pk_status st = pk_buf_printf(b, "$%s << EOD\n", name);
	for (size_t i = 0; i < k && st == PK_OK; i++)
		st = pk_buf_printf(b, "%.7g %.9g\n", pts[i].x, pts[i].y);
	if (st == PK_OK)
		st = pk_buf_puts(b, "EOD\n");
	return st;
}

void pk_chart_safe_label(const struct pk_metric *mt, char *out, size_t n)
{
	if (n == 0)
		return;
	if (!(mt->flags & PK_METRIC_UNREGISTERED)) {
		snprintf(out, n, "%s", mt->label);
		return;
	}
	size_t k = 0;
	for (const char *p = mt->label; *p && k + 1 < n; p++) {
		if (k == 60) {
			out[k++] = '?';
			break;
		}
		int ok = is_name_char(*p) || (*p && strchr(" .:/%()+-,", *p));
		out[k++] = ok ? *p : '?';
	}
	out[k] = '\0';
}

/* "CPU utilisation (%)", "capture_ms (?)" for a path outside the registry
 * (unit unknown), or the bare label when the metric has no unit. */
static enum pk_status put_axis_label(struct pk_buf *b, const struct pk_metric *mt)
{
	struct pk_buf t = PK_BUF_INIT;
	char label[64];
	pk_chart_safe_label(mt, label, sizeof label);
	enum pk_status st = (mt->flags & PK_METRIC_UNREGISTERED)
	                    ? pk_buf_printf(&t, "%s (?)", label)
	                    : mt->unit[0] ? pk_buf_printf(&t, "%s (%s)", label, mt->unit)
	                                  : pk_buf_puts(&t, label);
	if (st == PK_OK)
		st = pk_gp_quote(b, t.data);
	pk_buf_free(&t);
	return st;
}

static enum pk_status put_set_output(struct pk_buf *b, const char *dir,
                                     const char *file)
{
	struct pk_buf t = PK_BUF_INIT;
	enum pk_status st = pk_buf_printf(&t, "%s/%s", dir, file);
	if (st == PK_OK)
		st = pk_buf_puts(b, "set output ");
	if (st == PK_OK)
		st = pk_gp_quote(b, t.data);
	if (st == PK_OK)
		st = pk_buf_putc(b, '\n');
	pk_buf_free(&t);
	return st;
}

struct plot_counts {
	size_t line[2], pts[2], cdf[2];
	int reduced[2];
};

static enum pk_status put_time_plot(struct pk_buf *b, const struct pk_metric *mt,
                                    const char *stem, const char *dir,
                                    const char *file, struct pk_time_axis ax,
                                    double span, const struct plot_counts *c)
{
	static const char side_name[2] = { 'A', 'B' };
	enum pk_status st = put_set_output(b, dir, file);
	if (st == PK_OK)
		st = pk_buf_puts(b, "set title ");
	if (st == PK_OK) {
		struct pk_buf t = PK_BUF_INIT;
		char label[64];
		pk_chart_safe_label(mt, label, sizeof label);
		st = pk_buf_printf(&t, "%s over time", label);
		if (st == PK_OK)
			st = pk_gp_quote(b, t.data);
		pk_buf_free(&t);
	}
	if (st == PK_OK)
		st = pk_buf_printf(b, "\nset xlabel '%s since the start of the profile''s window'\n"
		                      "set ylabel ", ax.unit);
	if (st == PK_OK)
		st = put_axis_label(b, mt);
	if (st == PK_OK && span > 0.0)
		st = pk_buf_printf(b, "\nset xrange [0:%.9g]\n", span);
	else if (st == PK_OK)
		st = pk_buf_puts(b, "\nset xrange [*:*]\n");
	if (st == PK_OK)
		st = pk_buf_puts(b, "set yrange [*:*]\nplot");
	const char *sep = " ";
	for (int s = 0; s < 2 && st == PK_OK; s++) {
		if (c->line[s] > 0 && c->reduced[s]) {
			st = pk_buf_printf(b, "%s$%s_%c_time using 1:2:3 with filledcurves "
			                   "fs transparent solid 0.3 noborder ls %d notitle",
			                   sep, stem, side_name[s], s + 1);
			sep = ", \\\n     ";
		}
		if (st == PK_OK && c->line[s] > 0) {
			st = pk_buf_printf(b, "%s$%s_%c_time using 1:4 with lines ls %d title '%c'",
			                   sep, stem, side_name[s], s + 1, side_name[s]);
			sep = ", \\\n     ";
		}
		if (st == PK_OK && c->pts[s] > 0) {
			if (c->line[s] > 0)
				st = pk_buf_printf(b, "%s$%s_%c_time_pts with points ls %d pt 7 ps 0.35 notitle",
				                   sep, stem, side_name[s], s + 1);
			else
				st = pk_buf_printf(b, "%s$%s_%c_time_pts with points ls %d pt 7 ps 0.35 title '%c'",
				                   sep, stem, side_name[s], s + 1, side_name[s]);
			sep = ", \\\n     ";
		}
	}
	if (st == PK_OK)
		st = pk_buf_puts(b, "\n\n");
	return st;
}

static enum pk_status put_cdf_plot(struct pk_buf *b, const struct pk_metric *mt,
                                   const char *stem, const char *dir,
                                   const char *file, const struct plot_counts *c)
{
	static const char side_name[2] = { 'A', 'B' };
	enum pk_status st = put_set_output(b, dir, file);
	if (st == PK_OK)
		st = pk_buf_puts(b, "set title ");
	if (st == PK_OK) {
		struct pk_buf t = PK_BUF_INIT;
		char label[64];
		pk_chart_safe_label(mt, label, sizeof label);
		st = pk_buf_printf(&t, "%s: distribution (empirical CDF)", label);
		if (st == PK_OK)
			st = pk_gp_quote(b, t.data);
		pk_buf_free(&t);
	}
	if (st == PK_OK)
		st = pk_buf_puts(b, "\nset xlabel ");
	if (st == PK_OK)
		st = put_axis_label(b, mt);
	if (st == PK_OK)
		st = pk_buf_puts(b, "\nset ylabel 'fraction of samples <= x'\n"
		                    "set xrange [*:*]\nset yrange [0:1]\nplot");
	const char *sep = " ";
	for (int s = 0; s < 2 && st == PK_OK; s++) {
		if (c->cdf[s] == 0)
			continue;
		st = pk_buf_printf(b, "%s$%s_%c_cdf with steps ls %d title '%c'",
		                   sep, stem, side_name[s], s + 1, side_name[s]);
		sep = ", \\\n     ";
	}
	if (st == PK_OK)
		st = pk_buf_puts(b, "\n\n");
	return st;
}

/* Appends s for a comment line: control characters become '?'. */
static enum pk_status put_comment_text(struct pk_buf *b, const char *s)
{
	enum pk_status st = PK_OK;
	for (const unsigned char *p = (const unsigned char *)s; *p && st == PK_OK; p++)
		st = pk_buf_putc(b, (*p < 0x20 || *p == 0x7f) ? '?' : (char)*p);
	return st;
}

static enum pk_status put_header(struct pk_buf *b, const char *script_name)
{
	enum pk_status st = pk_buf_printf(b,
		"# Charts of a perfkit comparison report, written by perfreport %s.\n"
		"# Re-run it in the folder it is in:  gnuplot ", PERFKIT_VERSION);
	if (st == PK_OK)
		st = put_comment_text(b, script_name);
	if (st == PK_OK)
		st = pk_buf_puts(b,
			"\n# A and B are the report's first and second profile (named in the report).\n"
			"# Only numbers below.  Time charts: x (time since the start of each\n"
			"# profile's window, in the unit the axis names), min, max, mean - per\n"
			"# pixel column for long series,\n"
			"# else one line per sample; a blank line is a gap.  CDFs: value, fraction\n"
			"# of samples <= value.\n"
			"set encoding utf8\n"
			"set terminal svg size 800,360 fixed noenhanced font 'sans,11' background '#ffffff'\n"
			"set grid\n"
			"set key outside bottom center horizontal\n"
			"set style line 1 lc rgb '#1f77b4' lw 1.2\n"
			"set style line 2 lc rgb '#d95f02' lw 1.2\n"
			"set format x '%g'\n"
			"set format y '%g'\n\n");
	return st;
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

static int64_t window_us(const struct pk_chart_side *s)
{
	return s ? s->to_us - s->from_us : 0;
}

/* The index of va's metric m in vb: the same index when both are views
 * of the registry's metrics, else the metric named the same; SIZE_MAX
 * when vb has none. */
static size_t index_in(const struct pk_series_view *vb, const struct pk_series_view *va,
                       size_t m)
{
	if (!vb)
		return SIZE_MAX;
	if (vb->metrics == va->metrics)
		return m;
	for (size_t k = 0; k < vb->nmetrics; k++)
		if (strcmp(vb->metrics[k].name, va->metrics[m].name) == 0)
			return k;
	return SIZE_MAX;
}

static enum pk_status add_chart(struct pk_chart_set *cs, size_t m,
                                enum pk_chart_kind kind, const char *stem,
                                int has_a, int has_b)
{
	struct pk_chart *c = &cs->charts[cs->n++];
	c->metric = m;
	c->kind = kind;
	snprintf(c->file, sizeof c->file, "%s_%s.svg", stem,
	         kind == PK_CHART_TIME ? "time" : "cdf");
	c->has_a = has_a;
	c->has_b = has_b;
	return PK_OK;
}

enum pk_status pk_chart_script(const struct pk_chart_side *a,
                               const struct pk_chart_side *b,
                               const char *chart_dir, const char *script_name,
                               struct pk_buf *script, struct pk_chart_set *charts,
                               struct pk_buf *err)
{
	memset(charts, 0, sizeof *charts);
	if (!valid_dir(chart_dir)) {
		pk_buf_puts(err, "chart folder name is empty or holds control characters");
		return PK_USAGE;
	}
	const struct pk_series_view *va = a && a->v ? a->v : NULL;
	const struct pk_series_view *vb = b && b->v ? b->v : NULL;
	size_t nm = va ? va->nmetrics : 0;
	charts->metrics = va ? va->metrics : NULL;
	charts->charts = calloc(nm ? 2 * nm : 1, sizeof *charts->charts);
	if (!charts->charts)
		return PK_ERR_NOMEM;

	int64_t ua = window_us(a), ub = window_us(b);
	struct pk_time_axis ax = pk_time_axis_for(ua > ub ? ua : ub);
	charts->x_unit = ax.unit;
	struct side_work w[2];
	enum pk_status st = side_init(&w[0], a, ax);
	if (st != PK_OK) {
		pk_chart_set_free(charts);
		return st;
	}
	st = side_init(&w[1], b, ax);
	if (st != PK_OK) {
		side_free(&w[0]);
		pk_chart_set_free(charts);
		return st;
	}
	double sa = (double)ua * ax.per_us, sb = (double)ub * ax.per_us;
	double span = sa > sb ? sa : sb;

	struct pk_buf plots = PK_BUF_INIT;
	st = put_header(script, script_name ? script_name : "charts.gp");
	size_t npaths = 0;
	for (size_t m = 0; m < nm && st == PK_OK; m++) {
		const struct pk_metric *mt = &va->metrics[m];
		size_t mb = index_in(vb, va, m);
		if (mt->flags & PK_METRIC_UNREGISTERED) {
			if (mb == SIZE_MAX)
				continue;
			if (npaths++ >= PK_CHART_MAX_PATHS) {
				if (charts->nleft_out < sizeof charts->left_out / sizeof charts->left_out[0])
					charts->left_out[charts->nleft_out] = m;
				charts->nleft_out++;
				continue;
			}
		} else if (!(mt->flags & PK_METRIC_MAIN) || mb == SIZE_MAX) {
			continue;
		}
		char stem[80], name[128];
		metric_stem(mt, m, stem, sizeof stem);
		struct plot_counts c;
		memset(&c, 0, sizeof c);
		for (int s = 0; s < 2 && st == PK_OK; s++) {
			st = side_metric(&w[s], s == 0 ? m : mb, s == 0 ? sa : sb);
			if (st != PK_OK)
				break;
			if (w[s].ncdf == 0)
				continue;
			snprintf(name, sizeof name, "%s_%c_time", stem, s ? 'B' : 'A');
			st = put_line_blocks(script, name, w[s].line, w[s].nline,
			                     &c.line[s], &c.pts[s]);
			c.reduced[s] = w[s].reduced;
			snprintf(name, sizeof name, "%s_%c_cdf", stem, s ? 'B' : 'A');
			if (st == PK_OK)
				st = put_cdf_block(script, name, w[s].cdf, w[s].ncdf);
			c.cdf[s] = w[s].ncdf;
		}
		if (st != PK_OK)
			break;
		if (c.cdf[0] == 0 && c.cdf[1] == 0) {
			if (charts->nskipped < sizeof charts->skipped / sizeof charts->skipped[0])
				charts->skipped[charts->nskipped] = m;
			charts->nskipped++;
			continue;
		}
		add_chart(charts, m, PK_CHART_TIME, stem, c.cdf[0] > 0, c.cdf[1] > 0);
		st = put_time_plot(&plots, mt, stem, chart_dir,
		                   charts->charts[charts->n - 1].file, ax, span, &c);
		add_chart(charts, m, PK_CHART_CDF, stem, c.cdf[0] > 0, c.cdf[1] > 0);
		if (st == PK_OK)
			st = put_cdf_plot(&plots, mt, stem, chart_dir,
			                  charts->charts[charts->n - 1].file, &c);
	}
	if (st == PK_OK && plots.len)
		st = pk_buf_printf(script, "\n%s", plots.data);
	if (st == PK_OK)
		st = pk_buf_puts(script, "unset output\n");
	pk_buf_free(&plots);
	side_free(&w[0]);
	side_free(&w[1]);
	if (st != PK_OK) {
		pk_chart_set_free(charts);
		if (st == PK_ERR_NOMEM)
			pk_buf_puts(err, "out of memory while building the chart script");
	}
	return st;
}

void pk_chart_set_free(struct pk_chart_set *c)
{
	free(c->charts);
	c->charts = NULL;
	c->n = 0;
}
