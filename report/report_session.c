/* report_session.c - the session report (see report_session.h): charts,
 * Markdown sections, files. */
#include "report_session.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../analyze/loadlevel.h"
#include "../core/db.h"
#include "../core/diag.h"
#include "../core/query_session_info.h"
#include "../core/timeutil.h"
#include "files.h"
#include "gp_style.h"
#include "markdown.h"
#include "md_out.h"
#include "reduce.h"
#include "report_out.h"
#include "version.h"

#define put pk_mo_put
#define putf pk_mo_putf
#define esc pk_mo_esc
#define num pk_mo_num

/* Bar colours per level: Okabe-Ito bluish green, orange, vermillion, grey. */
static const char *const level_colour[PK_NLEVELS] = {
	"#009E73", "#E69F00", "#D55E00", "#999999"
};

struct session_doc {
	const struct pk_loadlevels *l;
	const struct pk_session_info *info;
	const char *id;
	size_t *order;               /* module indexes by share, descending */
	size_t ncharted;
	const char *charts[3];
	size_t ncharts;
	int64_t generated_us;
	const char *charts_name, *script_name;
};

/* The level the CPU thresholds alone give x (%): red > 50, yellow 25-50. */
static enum pk_load_level cpu_level(double x)
{
	if (isnan(x))
		return PK_LEVEL_UNKNOWN;
	return x > 50 ? PK_LEVEL_RED : x >= 25 ? PK_LEVEL_YELLOW : PK_LEVEL_GREEN;
}

static int by_share(const void *a, const void *b, void *ctx)
{
	const struct pk_loadlevels *l = ctx;
	double x = l->modules[*(const size_t *)a].share, y = l->modules[*(const size_t *)b].share;
	if (isnan(x) != isnan(y))
		return isnan(x) ? 1 : -1;
	if (x != y && !isnan(x))
		return x > y ? -1 : 1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

/* ---- charts ---------------------------------------------------------- */

static enum pk_status bars(struct pk_buf *s, struct session_doc *d, const char *file,
                           const char *title, const char *ylabel, int mem)
{
	enum pk_status st = pk_buf_printf(s, "$%s << EOD\n", mem ? "mem" : "cpu");
	size_t drawn = 0;
	double top = mem ? 100.0 : 50.0;   /* the red threshold stays in view */
	for (size_t k = 0; k < d->ncharted && st == PK_OK; k++) {
		const struct pk_module_level *m = &d->l->modules[d->order[k]];
		double v = mem ? m->m->memory_impact : m->m->cpu_impact;
		if (isnan(v))
			continue;
		unsigned rgb = (unsigned)strtoul(level_colour[m->level] + 1, NULL, 16);
		if (v > top)
			top = v;
		st = pk_buf_printf(s, "%zu %.7g %u M%zu\n", k + 1, v, rgb, d->order[k] + 1);
		drawn++;
	}
	if (st == PK_OK)
		st = pk_buf_puts(s, "EOD\n");
	if (st != PK_OK || drawn == 0)
		return st;
	d->charts[d->ncharts++] = file;
	st = pk_gp_output(s, d->charts_name, file);
	if (st == PK_OK)
		st = pk_buf_printf(s,
			"set title '%s'\nset xlabel 'module (M numbers as in the module table)'\n"
			"set ylabel '%s'\nset xrange [0.3:%zu.7]\nset yrange [0:%.7g]\n"
			"set style fill solid 0.9 noborder\nset boxwidth 0.7\nset xtics rotate by -45\n"
			"plot $%s using 1:2:3:xtic(4) with boxes lc rgb variable notitle, \\\n"
			"     %g with lines ls 4 dt 2 title 'yellow from %g', \\\n"
			"     %g with lines ls 2 dt 2 title 'red above %g'\n"
			"set xtics norotate\n\n",
			title, ylabel, d->ncharted, top * 1.15, mem ? "mem" : "cpu",
			mem ? 50.0 : 25.0, mem ? 50.0 : 25.0, mem ? 100.0 : 50.0, mem ? 100.0 : 50.0);
	return st;
}

static enum pk_status samples_chart(struct pk_buf *s, struct session_doc *d)
{
	const struct pk_session_info *in = d->info;
	size_t n = in->nsamples;
	if (n == 0)
		return PK_OK;
	double *x = malloc(n * sizeof *x);
	struct pk_chart_col *cols = malloc(pk_chart_reduce_cap(n, PK_CHART_COLUMNS) * sizeof *cols);
	enum pk_status st = x && cols ? PK_OK : PK_ERR_NOMEM;
	double span = 0;
	for (size_t i = 0; st == PK_OK && i < n; i++)
		x[i] = (double)(in->ts_us[i] - in->ts_us[0]) / 60e6;
	span = st == PK_OK ? x[n - 1] : 0;
	const double *ys[2] = { in->cpu, in->mem };
	const char *names[2] = { "cpu_t", "mem_t" };
	size_t present[2] = { 0, 0 };
	for (int k = 0; k < 2 && st == PK_OK; k++) {
		for (size_t i = 0; i < n; i++)
			present[k] += !isnan(ys[k][i]);
		if (!present[k])
			continue;
		size_t m = pk_chart_reduce(x, ys[k], n, 0, span, PK_CHART_COLUMNS, cols, NULL);
		st = pk_buf_printf(s, "$%s << EOD\n", names[k]);
		for (size_t i = 0; i < m && st == PK_OK; i++)
			st = cols[i].n ? pk_buf_printf(s, "%.9g %.7g\n", cols[i].x, cols[i].mean)
			               : pk_buf_putc(s, '\n');
		if (st == PK_OK)
			st = pk_buf_puts(s, "EOD\n");
	}
	if (st == PK_OK && (present[0] || present[1])) {
		d->charts[d->ncharts++] = "samples_time.svg";
		st = pk_gp_output(s, d->charts_name, "samples_time.svg");
		if (st == PK_OK)
			st = pk_buf_puts(s, "set title 'System CPU and memory over the session''s samples'\n"
			                    "set xlabel 'minutes since the first sample'\n"
			                    "set ylabel 'percent'\nset xrange [*:*]\nset yrange [0:100]\n"
			                    "set style fill empty\nplot 25 with lines ls 4 dt 2 "
			                    "title 'CPU yellow from 25 %', 50 with lines ls 2 dt 2 "
			                    "title 'CPU red above 50 %'");
		if (st == PK_OK && present[0])
			st = pk_buf_puts(s, ", \\\n     $cpu_t with linespoints ls 1 pt 7 ps 0.5 title 'CPU %'");
		if (st == PK_OK && present[1])
			st = pk_buf_puts(s, ", \\\n     $mem_t with linespoints ls 6 pt 5 ps 0.5 title 'memory %'");
		if (st == PK_OK)
			st = pk_buf_puts(s, "\n\n");
	}
	free(x);
	free(cols);
	return st;
}

static enum pk_status script_of(struct session_doc *d, struct pk_buf *s)
{
	enum pk_status st = pk_gp_header(s, "Charts of a perfkit session report", d->script_name);
	if (st == PK_OK)
		st = bars(s, d, "module_cpu.svg", "CPU impact per module", "CPU impact (%)", 0);
	if (st == PK_OK)
		st = bars(s, d, "module_memory.svg", "Memory impact per module", "memory impact (MB)", 1);
	if (st == PK_OK)
		st = samples_chart(s, d);
	if (st == PK_OK)
		st = pk_buf_puts(s, "unset output\n");
	return st;
}

/* ---- Markdown -------------------------------------------------------- */

static void list(struct pk_md_out *o, const struct pk_str_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		put(o, i ? ", " : "");
		esc(o, l->s[i]);
	}
}

static int charted(const struct session_doc *d, const char *file)
{
	for (size_t i = 0; i < d->ncharts; i++)
		if (!strcmp(d->charts[i], file))
			return 1;
	return 0;
}

static void figure(struct pk_md_out *o, const struct session_doc *d, const char *file,
                   size_t *fig, const char *alt, const char *caption, size_t n,
                   const char *what)
{
	if (!charted(d, file))
		return;
	putf(o, "![%s](", alt);
	if (o->st == PK_OK)
		o->st = pk_md_url_path(o->b, d->charts_name);
	putf(o, "/%s)\n\n**Figure %zu.** %s *Session ", file, ++*fig, caption);
	esc(o, d->id);
	putf(o, "; n = %zu %s; source: ", n, what);
	list(o, &d->info->sources);
	if (d->info->sources.n == 0)
		put(o, "none recorded");
	put(o, ".*\n\n");
}

static void section_head(struct pk_md_out *o, const struct session_doc *d)
{
	const struct pk_session_info *in = d->info;
	put(o, "# Session ");
	esc(o, d->id);
	put(o, "\n\nGenerated ");
	pk_mo_time(o, d->generated_us);
	putf(o, " by perfreport %s.\n\nExported ", PERFKIT_VERSION);
	pk_mo_time(o, d->l->rows.export_us);
	put(o, ". Profiler state: ");
	if (in->profiler_state)
		esc(o, in->profiler_state);
	else
		put(o, "not recorded");
	put(o, ". Sampling duration ");
	num(o, in->sampling_duration_s, 4, "s");
	put(o, ", ");
	pk_mo_whole(o, in->total_samples);
	putf(o, " samples taken, %zu recent samples kept", in->nsamples);
	if (in->nsamples) {
		put(o, " (");
		pk_mo_time(o, in->ts_us[0]);
		put(o, " to ");
		pk_mo_time(o, in->ts_us[in->nsamples - 1]);
		put(o, ")");
	}
	putf(o, "; %zu modules.\n\n", d->l->n);
}

static void section_level(struct pk_md_out *o, const struct session_doc *d)
{
	const struct pk_loadlevels *l = d->l;
	const char *app = l->rows.app_level;
	put(o, "## Load level\n\n");
	putf(o, "- **perfkit:** %s (the worst module\xe2\x80\x99s level).\n",
	     pk_load_level_str(l->overall));
	put(o, "- **The app recorded:** ");
	if (app)
		esc(o, app);
	else
		put(o, "no level");
	put(o, ".\n\n");
	if (!app) {
		put(o, "The session file holds no overall\\_load\\_level, so there is nothing to "
		       "compare with.\n\n");
		return;
	}
	if (!strcasecmp(app, pk_load_level_str(l->overall))) {
		put(o, "Both say the same.\n\n");
		return;
	}
	/* the worst module, to name it */
	const struct pk_module_level *worst = NULL;
	for (size_t i = 0; i < l->n; i++)
		if (l->modules[i].level == l->overall && (!worst || l->modules[i].share > worst->share))
			worst = &l->modules[i];
	put(o, "**They differ.** perfkit judges each module by its own cpu\\_impact and "
	       "memory\\_impact against the documented thresholds and takes the worst");
	if (worst) {
		put(o, " (here ");
		if (worst->m->module[0])
			esc(o, worst->m->module);
		else
			put(o, "a module with an empty name");
		put(o, ": CPU ");
		num(o, worst->m->cpu_impact, 3, "%");
		put(o, ", memory ");
		num(o, worst->m->memory_impact, 3, "MB");
		putf(o, ", %s)", pk_load_level_str(worst->level));
	}
	put(o, ". The app does not record how it chose its level. The session-wide "
	       "figures it recorded are CPU average ");
	num(o, d->info->cpu_avg, 3, "%");
	put(o, " (maximum ");
	num(o, d->info->cpu_max, 3, "%");
	put(o, ") and memory average ");
	num(o, d->info->memory_avg, 3, "%");
	put(o, " (maximum ");
	num(o, d->info->memory_max, 3, "%");
	enum pk_load_level cl = cpu_level(d->info->cpu_avg);
	putf(o, "); by the CPU thresholds alone the average CPU is %s", pk_load_level_str(cl));
	if (!strcasecmp(app, pk_load_level_str(cl)))
		put(o, ", which matches the app\xe2\x80\x99s level: the app most likely judges the "
		       "process as a whole, while every module on its own stays lower.\n\n");
	else
		put(o, ", which does not explain the app\xe2\x80\x99s level either.\n\n");
}

static void section_figures(struct pk_md_out *o, const struct session_doc *d)
{
	if (d->ncharts == 0)
		return;
	put(o, "## Figures\n\n"
	       "Each bar is coloured by its module\xe2\x80\x99s level in the colour-blind-safe "
	       "Okabe\xe2\x80\x93Ito palette: bluish green for green, orange for yellow, "
	       "vermillion for red, grey for unknown; dashed lines are the thresholds. The "
	       "gnuplot script ");
	esc(o, d->script_name);
	put(o, " draws them again; each chart is also a standalone SVG file in ");
	esc(o, d->charts_name);
	put(o, ".");
	if (d->ncharted < d->l->n)
		putf(o, " The module charts show the %zu modules with the largest share of "
		     "execution time; the table lists all %zu.", d->ncharted, d->l->n);
	put(o, "\n\n");
	size_t fig = 0, ncpu = 0, nmem = 0, ns = 0;
	for (size_t k = 0; k < d->ncharted; k++) {
		ncpu += !isnan(d->l->modules[d->order[k]].m->cpu_impact);
		nmem += !isnan(d->l->modules[d->order[k]].m->memory_impact);
	}
	for (size_t i = 0; i < d->info->nsamples; i++)
		ns += !isnan(d->info->cpu[i]) || !isnan(d->info->mem[i]);
	figure(o, d, "module_cpu.svg", &fig, "CPU impact per module",
	       "CPU impact of each module with the yellow (25 %) and red (50 %) thresholds.",
	       ncpu, "modules with a CPU impact");
	figure(o, d, "module_memory.svg", &fig, "Memory impact per module",
	       "Memory impact of each module with the yellow (50 MB) and red (100 MB) thresholds.",
	       nmem, "modules with a memory impact");
	figure(o, d, "samples_time.svg", &fig, "System CPU and memory over time",
	       "The session\xe2\x80\x99s recent samples over time: system CPU and memory in "
	       "percent, with the CPU thresholds of the load levels (memory samples are in "
	       "percent, the module thresholds in MB, so only CPU can be read against them).",
	       ns, "samples");
}

static void section_modules(struct pk_md_out *o, const struct session_doc *d)
{
	const struct pk_loadlevels *l = d->l;
	put(o, "## Modules\n\n| M | Module | Level | CPU impact (%) | Memory impact (MB) "
	       "| Calls | Time (s) | Share of time | App: critical |\n"
	       "|--:|---|---|--:|--:|--:|--:|--:|---|\n");
	for (size_t i = 0; i < l->n; i++) {
		const struct pk_module_level *m = &l->modules[i];
		putf(o, "| M%zu | ", i + 1);
		esc(o, m->m->module);
		putf(o, " | %s | ", pk_load_level_str(m->level));
		num(o, m->m->cpu_impact, 4, NULL);
		put(o, " | ");
		num(o, m->m->memory_impact, 4, NULL);
		put(o, " | ");
		pk_mo_whole(o, m->m->call_count);
		put(o, " | ");
		num(o, m->m->total_time_s, 4, NULL);
		put(o, " | ");
		num(o, 100 * m->share, 3, "%");
		int crit = 0;
		for (size_t k = 0; k < d->info->critical.n; k++)
			crit |= !strcmp(d->info->critical.s[k], m->m->module);
		put(o, crit ? " | yes |\n" : " | |\n");
	}
	put(o, "\nShare of execution time by level: ");
	for (int k = 0; k < PK_NLEVELS; k++) {
		putf(o, "%s%s ", k ? ", " : "", pk_load_level_str((enum pk_load_level)k));
		num(o, 100 * l->level_share[k], 3, "%");
		putf(o, " (%zu module%s)", l->count[k], l->count[k] == 1 ? "" : "s");
	}
	put(o, ".\n\n");
}

static void section_stats(struct pk_md_out *o, const struct session_doc *d)
{
	const struct pk_session_info *in = d->info;
	put(o, "## Session statistics (as recorded)\n\n| Statistic | Average | Maximum |\n"
	       "|---|--:|--:|\n| CPU (%) | ");
	num(o, in->cpu_avg, 4, NULL);
	put(o, " | ");
	num(o, in->cpu_max, 4, NULL);
	put(o, " |\n| Memory (%) | ");
	num(o, in->memory_avg, 4, NULL);
	put(o, " | ");
	num(o, in->memory_max, 4, NULL);
	put(o, " |\n| I/O wait (%) | ");
	num(o, in->io_wait_avg, 4, NULL);
	put(o, " | ");
	num(o, in->io_wait_max, 4, NULL);
	put(o, " |\n\nOCR calls per minute ");
	num(o, in->ocr_per_min, 4, NULL);
	put(o, ", frames per minute ");
	num(o, in->frames_per_min, 4, NULL);
	put(o, ", sample count ");
	pk_mo_whole(o, in->sample_count);
	put(o, ".\n\n");
}

static void section_app_advice(struct pk_md_out *o, const struct session_doc *d)
{
	const struct pk_session_info *in = d->info;
	put(o, "## Recommendations\n\n");
	size_t red = d->l->count[PK_LEVEL_RED], yellow = d->l->count[PK_LEVEL_YELLOW];
	size_t unknown = d->l->count[PK_LEVEL_UNKNOWN];
	if (red || yellow)
		putf(o, "- %zu red and %zu yellow module%s by perfkit\xe2\x80\x99s thresholds: start "
		     "with the red ones with the largest share of time (table above).\n",
		     red, yellow, red + yellow == 1 ? "" : "s");
	if (unknown)
		putf(o, "- %zu module%s no CPU or memory impact recorded, so %s level is unknown: "
		     "make the app record both to judge %s.\n", unknown,
		     unknown == 1 ? " has" : "s have", unknown == 1 ? "its" : "their",
		     unknown == 1 ? "it" : "them");
	else if (!red && !yellow)
		put(o, "- Every module is within the green thresholds on its own; if the "
		       "session as a whole is too heavy, look at the session-wide CPU and at "
		       "the modules with the largest share of time.\n");
	const struct pk_str_list *ls[3] = { &in->critical, &in->opportunities, &in->actions };
	const char *head[3] = { "Critical modules", "Optimization opportunities",
	                        "Recommended actions" };
	int any = 0;
	for (int k = 0; k < 3; k++) {
		if (ls[k]->n == 0)
			continue;
		if (!any)
			put(o, "\nThe app recorded:\n\n");
		any = 1;
		putf(o, "- **%s:** ", head[k]);
		list(o, ls[k]);
		put(o, ".\n");
	}
	put(o, "\n");
}

static void section_methods(struct pk_md_out *o)
{
	put(o, "## Methods\n\n"
	       "- **Module level** (FORMATS.md F6), from the module\xe2\x80\x99s cpu\\_impact "
	       "(%) and memory\\_impact (MB) as the app wrote them: red when CPU > 50 or "
	       "memory > 100; yellow when not red and CPU is 25\xe2\x80\x93" "50 or memory "
	       "50\xe2\x80\x93" "100; green when CPU < 25 and memory < 50; unknown when a value "
	       "is missing and the other does not make it red (missing is never 0).\n"
	       "- **Overall level.** The worst module level (red > unknown > yellow > "
	       "green), so one red module is never averaged away.\n"
	       "- **Share of time.** A module\xe2\x80\x99s total execution time / the sum over "
	       "the modules that have one.\n"
	       "- **Over time.** The recent samples the app kept, as recorded; system CPU "
	       "read against the CPU thresholds. The app\xe2\x80\x99s level is shown as written, "
	       "never used in perfkit\xe2\x80\x99s.\n"
	       "- **\xe2\x80\x9c-\xe2\x80\x9d** in a table: not recorded or undefined.\n\n");
}

/* ---- the whole report ------------------------------------------------ */

static enum pk_status render(struct session_doc *d, struct pk_buf *md)
{
	struct pk_md_out o = { md, PK_OK };
	section_head(&o, d);
	section_level(&o, d);
	section_figures(&o, d);
	section_modules(&o, d);
	section_stats(&o, d);
	section_app_advice(&o, d);
	section_methods(&o);
	return o.st;
}

enum pk_status pk_report_session(const struct pk_report_session_opts *o,
                                 struct pk_buf *err)
{
	if (!o || !o->id || !o->output) {
		pk_buf_puts(err, "need --session ID and --output FILE");
		return PK_USAGE;
	}
	struct pk_report_paths p;
	enum pk_status st = pk_report_paths(o->output, &p, err);
	if (st != PK_OK)
		return st;
	st = pk_report_check_dir(o->output, &p, err);
	struct pk_db *db = NULL;
	struct pk_loadlevels l;
	struct pk_session_info info;
	int have_l = 0, have_i = 0;
	if (st == PK_OK)
		st = pk_db_open(pk_db_default_path(o->db_path), PK_DB_READONLY, &db, err);
	if (st == PK_OK) {
		st = pk_loadlevels_for(db, o->id, &l);
		have_l = st == PK_OK;
		if (st == PK_NODATA) {
			pk_buf_puts(err, "no session '");
			pk_buf_put_printable(err, o->id, strlen(o->id));
			pk_buf_puts(err, "' in the database (perfanalyze --list shows them)");
		}
	}
	if (st == PK_OK) {
		st = pk_query_session_info(db, o->id, &info);
		have_i = st == PK_OK;
	}
	if (st == PK_ERR_DB && err->len == 0)
		pk_buf_printf(err, "database: %s", pk_db_errmsg(db));
	pk_db_close(&db);

	struct session_doc d;
	memset(&d, 0, sizeof d);
	struct pk_buf script = PK_BUF_INIT, md = PK_BUF_INIT, title = PK_BUF_INIT;
	if (st == PK_OK) {
		d.l = &l;
		d.info = &info;
		d.id = o->id;
		d.generated_us = pk_time_now_us();
		d.charts_name = p.charts_name;
		d.script_name = p.script_name;
		d.order = malloc((l.n ? l.n : 1) * sizeof *d.order);
		st = d.order ? PK_OK : PK_ERR_NOMEM;
	}
	if (st == PK_OK) {
		for (size_t i = 0; i < l.n; i++)
			d.order[i] = i;
		qsort_r(d.order, l.n, sizeof *d.order, by_share, &l);
		d.ncharted = l.n < PK_SESSION_CHART_MODULES ? l.n : PK_SESSION_CHART_MODULES;
		st = script_of(&d, &script);
	}
	if (st == PK_OK)
		st = render(&d, &md);
	if (st == PK_OK) {
		st = pk_buf_puts(&title, "Session ");
		if (st == PK_OK)
			st = pk_buf_put_printable(&title, o->id, strlen(o->id));
	}
	if (st == PK_OK) {
		struct pk_report_page pg = { title.data, &md, &script, d.charts, d.ncharts };
		st = pk_report_emit(o->output, &p, &pg, o->templates, o->gnuplot, err);
	}
	if (st == PK_OK && o->summary)
		st = pk_buf_printf(o->summary, "load level %s (%zu modules)",
		                   pk_load_level_str(l.overall), l.n);
	if (st == PK_ERR_NOMEM && err->len == 0)
		pk_buf_puts(err, "out of memory while writing the report");
	free(d.order);
	pk_buf_free(&script);
	pk_buf_free(&md);
	pk_buf_free(&title);
	if (have_l)
		pk_loadlevels_free(&l);
	if (have_i)
		pk_session_info_free(&info);
	pk_report_paths_free(&p);
	return st;
}
