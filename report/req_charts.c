/* req_charts.c - the requirements report's gnuplot script (req_charts.h).
 * Only numbers, fixed words and P1..Pn reach it. */
#include "req_charts.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../core/metrics.h"
#include "../core/timeutil.h"
#include "charts.h"
#include "version.h"

/* A colour-blind-safe palette (Okabe-Ito). */
static const char *const palette[] = { "#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                       "#E69F00", "#56B4E9", "#F0E442", "#000000" };
#define NPAL (sizeof palette / sizeof palette[0])

static enum pk_status num(struct pk_buf *b, double v)
{
	return isfinite(v) ? pk_buf_printf(b, "%.10g", v) : pk_buf_puts(b, "NaN");
}

static enum pk_status header(struct pk_buf *b)
{
	enum pk_status st = pk_buf_printf(b,
	    "# Charts of a perfkit hardware-requirements report, written by perfreport %s.\n"
	    "# Re-run it in the folder it is in with gnuplot.  P1, P2, ... are the report's\n"
	    "# profiles in capacity order (named in the report).  Only numbers below.\n"
	    "set encoding utf8\n"
	    "set terminal svg size 800,360 fixed noenhanced font 'sans,11' background '#ffffff'\n"
	    "set grid\nset key outside bottom center horizontal\n"
	    "set format x '%%g'\nset format y '%%g'\n", PERFKIT_VERSION);
	for (size_t i = 0; i < NPAL && st == PK_OK; i++)
		st = pk_buf_printf(b, "set style line %zu lc rgb '%s' lw 1.4 pt 7 ps 0.5\n", i + 1,
		                   palette[i]);
	return st == PK_OK ? pk_buf_putc(b, '\n') : st;
}

static enum pk_status output(struct pk_buf *b, const char *dir, const char *file)
{
	struct pk_buf t = PK_BUF_INIT;
	enum pk_status st = pk_buf_printf(&t, "%s/%s", dir, file);
	if (st == PK_OK) st = pk_buf_puts(b, "set output ");
	if (st == PK_OK) st = pk_gp_quote(b, t.data);
	pk_buf_free(&t);
	return st == PK_OK ? pk_buf_putc(b, '\n') : st;
}

/* p95 latency (with its CI as error bars) against VRAM capacity in GB. */
static enum pk_status latency_capacity(struct pk_buf *b, const struct pk_tiers *t,
                                       const char *dir, struct pk_req_charts *ch)
{
	size_t n = 0;
	for (size_t i = 0; i < t->nprofiles; i++)
		n += t->p[i].lat_n > 0;
	if (n == 0)
		return PK_OK;
	enum pk_status st = pk_buf_puts(b, "$latcap << EOD\n");
	for (size_t i = 0; i < t->nprofiles && st == PK_OK; i++) {
		const struct pk_tier_profile *p = &t->p[i];
		if (!p->lat_n)
			continue;
		st = num(b, isnan(p->gpu_mb) ? 0 : p->gpu_mb / 1024);
		if (st == PK_OK) st = pk_buf_putc(b, ' ');
		if (st == PK_OK) st = num(b, p->lat_p95);
		if (st == PK_OK) st = pk_buf_putc(b, ' ');
		if (st == PK_OK) st = num(b, p->lat_p95_lo);
		if (st == PK_OK) st = pk_buf_putc(b, ' ');
		if (st == PK_OK) st = num(b, p->lat_p95_hi);
		if (st == PK_OK) st = pk_buf_printf(b, " P%zu\n", i + 1);
	}
	ch->drawn[PK_REQ_LATENCY_CAPACITY] = 1;
	if (st == PK_OK) st = pk_buf_puts(b, "EOD\n");
	if (st == PK_OK) st = output(b, dir, ch->file[PK_REQ_LATENCY_CAPACITY]);
	if (st == PK_OK)
		st = pk_buf_puts(b, "set title 'p95 wake-word latency against GPU memory (95 % CI)'\n"
		    "set xlabel 'GPU memory capacity (GB; 0 = no GPU)'\n"
		    "set ylabel 'p95 latency (ms)'\nset xrange [*:*]\nset yrange [0:*]\n"
		    "set offsets graph 0.05, graph 0.05, 0, 0\n"
		    "plot $latcap using 1:2:3:4 with yerrorbars ls 1 title 'p95 (95 % CI)', \\\n"
		    "     $latcap using 1:2:5 with labels offset 1.2,0.8 notitle\n"
		    "set offsets 0, 0, 0, 0\n\n");
	return st;
}

/* Every sample's wake-word latency against its VRAM in use (at most
 * PK_REQ_SCATTER_MAX a profile), with the least-squares line of the pair. */
static enum pk_status wake_vram(struct pk_buf *b, const struct pk_req_result *r,
                                const char *dir, struct pk_req_charts *ch)
{
	const struct pk_correlate *c = &r->corr;
	if (!r->have_corr || c->wake_source != PK_WAKE_SAMPLES || !r->series)
		return PK_OK;
	const struct pk_corr_pair *pair = NULL;
	for (size_t i = 0; i < c->npairs; i++)
		if (!strcmp(c->pairs[i].y, "wake_latency_ms") &&
		    !strcmp(c->pairs[i].x->name, "gpu.memory_used_mb") && c->pairs[i].s.n >= 3)
			pair = &c->pairs[i];
	size_t il = 0, iv = 0;
	if (!pair || !pk_hw_metric_find("inference_timing.wake_word_latency_ms.mean", &il) ||
	    !pk_hw_metric_find("gpu.memory_used_mb", &iv))
		return PK_OK;
	enum pk_status st = PK_OK;
	size_t blocks = 0;
	for (size_t i = 0; i < r->now.nprofiles && st == PK_OK; i++) {
		const struct pk_hw_series *s = &r->series[i];
		size_t step = s->n > PK_REQ_SCATTER_MAX ? (s->n + PK_REQ_SCATTER_MAX - 1) /
		              PK_REQ_SCATTER_MAX : 1;
		st = pk_buf_printf(b, "$wake%zu << EOD\n", i + 1);
		for (size_t k = 0; k < s->n && st == PK_OK; k += step) {
			double x = s->v[iv][k], y = s->v[il][k];
			if (isnan(x) || isnan(y))
				continue;
			st = num(b, x);
			if (st == PK_OK) st = pk_buf_putc(b, ' ');
			if (st == PK_OK) st = num(b, y);
			if (st == PK_OK) st = pk_buf_putc(b, '\n');
		}
		if (st == PK_OK) st = pk_buf_puts(b, "EOD\n");
		blocks++;
	}
	ch->drawn[PK_REQ_WAKE_VRAM] = 1;
	if (st == PK_OK) st = output(b, dir, ch->file[PK_REQ_WAKE_VRAM]);
	if (st == PK_OK)
		st = pk_buf_puts(b, "set title 'Wake-word latency against GPU memory in use (each "
		                 "sample)'\nset xlabel 'GPU memory used (MB)'\nset ylabel "
		                 "'wake-word latency (ms)'\nset xrange [*:*]\nset yrange [*:*]\nplot");
	for (size_t i = 0; i < blocks && st == PK_OK; i++)
		st = pk_buf_printf(b, "%s$wake%zu using 1:2 with points ls %zu title 'P%zu'",
		                   i ? ", \\\n     " : " ", i + 1, i % NPAL + 1, i + 1);
	if (st == PK_OK) st = pk_buf_puts(b, ", \\\n     ");
	if (st == PK_OK) st = num(b, pair->s.intercept);
	if (st == PK_OK) st = pk_buf_puts(b, " + ");
	if (st == PK_OK) st = num(b, pair->s.slope);
	if (st == PK_OK)
		st = pk_buf_puts(b, " * x with lines lc rgb '#000000' lw 1.5 title 'least squares "
		                 "(all samples)'\n\n");
	return st;
}

/* TES of the matched runs against the hardware measure with the smallest
 * adjusted Pearson p, with its least-squares line. */
static enum pk_status tes(struct pk_buf *b, const struct pk_req_result *r, const char *dir,
                          struct pk_req_charts *ch)
{
	const struct pk_correlate *c = &r->corr;
	if (!r->have_corr || !c->runs.n)
		return PK_OK;
	long best = -1;
	for (size_t i = 0; i < c->npairs; i++)
		if (!strcmp(c->pairs[i].y, "tes") && c->pairs[i].s.n >= 3 &&
		    !isnan(c->pairs[i].s.pearson_p_bh) &&
		    (best < 0 || c->pairs[i].s.pearson_p_bh < c->pairs[best].s.pearson_p_bh))
			best = (long)i;
	if (best < 0)
		return PK_OK;
	const struct pk_corr_pair *pair = &c->pairs[best];
	size_t k = 0;
	while (k < c->nx && c->xm[k] != pair->x)
		k++;
	if (k == c->nx)
		return PK_OK;
	ch->tes_pair = (size_t)best;
	enum pk_status st = pk_buf_puts(b, "$tes << EOD\n");
	for (size_t i = 0; i < c->runs.n && st == PK_OK; i++) {
		double x = c->run_x[k][i], y = c->runs.tes[i];
		if (c->run_profile[i] < 0 || isnan(x) || isnan(y))
			continue;
		st = num(b, x);
		if (st == PK_OK) st = pk_buf_putc(b, ' ');
		if (st == PK_OK) st = num(b, y);
		if (st == PK_OK) st = pk_buf_putc(b, '\n');
	}
	ch->drawn[PK_REQ_TES] = 1;
	if (st == PK_OK) st = pk_buf_puts(b, "EOD\n");
	if (st == PK_OK) st = output(b, dir, ch->file[PK_REQ_TES]);
	if (st == PK_OK) st = pk_buf_puts(b, "set title 'Task-efficiency score against the "
	                                  "hardware (each run)'\nset xlabel ");
	struct pk_buf lab = PK_BUF_INIT;
	if (st == PK_OK)
		st = pair->x->unit[0] ? pk_buf_printf(&lab, "%s (%s)", pair->x->label, pair->x->unit)
		     : pk_buf_puts(&lab, pair->x->label);
	if (st == PK_OK) st = pk_gp_quote(b, lab.data);
	pk_buf_free(&lab);
	if (st == PK_OK)
		st = pk_buf_puts(b, "\nset ylabel 'TES'\nset xrange [*:*]\nset yrange [*:*]\n"
		                 "plot $tes using 1:2 with points ls 1 title 'runs', \\\n     ");
	if (st == PK_OK) st = num(b, pair->s.intercept);
	if (st == PK_OK) st = pk_buf_puts(b, " + ");
	if (st == PK_OK) st = num(b, pair->s.slope);
	if (st == PK_OK)
		st = pk_buf_puts(b, " * x with lines lc rgb '#000000' lw 1.5 title 'least squares'\n\n");
	return st;
}

/* Episodes as bars over the week: y = profile, x = hours since Monday. */
static enum pk_status throttle(struct pk_buf *b, const struct pk_req_result *r,
                               const char *dir, struct pk_req_charts *ch)
{
	size_t total = 0;
	for (size_t i = 0; i < r->now.nprofiles; i++)
		total += r->throttle[i].nepisodes;
	if (!total)
		return PK_OK;
	enum pk_status st = PK_OK;
	for (int thr = 0; thr < 2 && st == PK_OK; thr++) {
		st = pk_buf_printf(b, "$thr%d << EOD\n", thr);
		for (size_t i = 0; i < r->now.nprofiles && st == PK_OK; i++)
			for (size_t k = 0; k < r->throttle[i].nepisodes && st == PK_OK; k++) {
				const struct pk_throttle_episode *e = &r->throttle[i].episodes[k];
				if (e->throttled != thr)
					continue;
				double a = (double)(e->start_us - r->from_us) / (double)PK_US_PER_HOUR;
				double z = (double)(e->end_us - r->from_us) / (double)PK_US_PER_HOUR;
				st = num(b, a);
				if (st == PK_OK) st = pk_buf_putc(b, ' ');
				if (st == PK_OK) st = num(b, z > a ? z - a : 0.05);
				if (st == PK_OK) st = pk_buf_printf(b, " %zu\n", i + 1);
			}
		if (st == PK_OK) st = pk_buf_puts(b, "EOD\n");
	}
	ch->drawn[PK_REQ_THROTTLE] = 1;
	if (st == PK_OK) st = output(b, dir, ch->file[PK_REQ_THROTTLE]);
	if (st == PK_OK)
		st = pk_buf_printf(b, "set title 'Hot episodes over the week'\n"
		                   "set xlabel 'hours since Monday 00:00 UTC'\nset ylabel 'profile'\n"
		                   "set xrange [0:168]\nset yrange [0.5:%zu.5]\nset ytics 1\n"
		                   "set format y 'P%%g'\n", r->now.nprofiles);
	if (st == PK_OK)
		st = pk_buf_puts(b, "plot $thr0 using 1:3:(0):2:(0.3):(0.3) with vectors nohead "
		                 "lw 8 lc rgb '#E69F00' title 'hot, not throttled', \\\n"
		                 "     $thr1 using 1:3:(0):2:(0.3):(0.3) with vectors nohead lw 8 "
		                 "lc rgb '#D55E00' title 'throttled'\n"
		                 "set ytics autofreq\nset format y '%g'\n\n");
	return st;
}

enum pk_status pk_req_chart_script(const struct pk_req_result *r, const char *chart_dir,
                                   struct pk_buf *script, struct pk_req_charts *ch)
{
	memset(ch, 0, sizeof *ch);
	static const char *const files[PK_REQ_NCHARTS] = { "latency_capacity.svg",
		"wake_latency_vram.svg", "tes_hardware.svg", "throttling_timeline.svg" };
	for (int i = 0; i < PK_REQ_NCHARTS; i++)
		snprintf(ch->file[i], sizeof ch->file[i], "%s", files[i]);
	enum pk_status st = header(script);
	if (st == PK_OK) st = latency_capacity(script, &r->now, chart_dir, ch);
	if (st == PK_OK) st = wake_vram(script, r, chart_dir, ch);
	if (st == PK_OK) st = tes(script, r, chart_dir, ch);
	if (st == PK_OK) st = throttle(script, r, chart_dir, ch);
	if (st == PK_OK) st = pk_buf_puts(script, "unset output\n");
	return st;
}
