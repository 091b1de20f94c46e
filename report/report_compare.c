/* report_compare.c - the comparison report from database to files (see
 * report_compare.h): two profiles, or a generic source that is no machine
 * on either side (analyze/generic_source.h). */
#include "report_compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/suggest.h"
#include "../core/db.h"
#include "../analyze/generic_source.h"
#include "../analyze/quality.h"
#include "../core/diag.h"
#include "../core/timeutil.h"
#include "charts.h"
#include "files.h"
#include "report_md.h"
#include "report_out.h"

static void put_name(struct pk_buf *err, const char *s)
{
	pk_buf_putc(err, '\'');
	pk_buf_put_printable(err, s, strlen(s));
	pk_buf_putc(err, '\'');
}

enum pk_status pk_report_compare_write(const struct pk_compare *c,
                                       const struct pk_series_view *va,
                                       const struct pk_series_view *vb,
                                       const struct pk_report_opts *o,
                                       struct pk_buf *err)
{
	if (!c || !va || !vb || !o || !o->output) {
		pk_buf_puts(err, "no comparison or no output file given");
		return PK_USAGE;
	}
	struct pk_report_paths p;
	enum pk_status st = pk_report_paths(o->output, &p, err);
	if (st != PK_OK)
		return st;

	struct pk_chart_set cs;
	memset(&cs, 0, sizeof cs);
	struct pk_buf script = PK_BUF_INIT, md = PK_BUF_INIT, title = PK_BUF_INIT;
	const char **files = NULL;
	struct pk_chart_side a = { va, c->window_a.from_us, c->window_a.to_us };
	struct pk_chart_side b = { vb, c->window_b.from_us, c->window_b.to_us };
	st = pk_chart_script(&a, &b, p.charts_name, p.script_name, &script, &cs, err);
	if (st == PK_OK) {
		files = calloc(cs.n ? cs.n : 1, sizeof *files);
		st = files ? PK_OK : PK_ERR_NOMEM;
	}
	for (size_t i = 0; st == PK_OK && i < cs.n; i++)
		files[i] = cs.charts[i].file;
	struct pk_report_doc doc = { pk_time_now_us(), p.charts_name, p.script_name, &cs };
	if (st == PK_OK)
		st = pk_report_compare_md(c, &doc, &md);
	if (st == PK_OK)
		st = pk_report_compare_title(c, &title);
	if (st == PK_OK) {
		struct pk_report_page pg = { title.data, &md, &script, files, cs.n };
		st = pk_report_emit(o->output, &p, &pg, o->templates, o->gnuplot, err);
	}
	if (st == PK_OK && o->summary) {
		size_t better = 0, worse = 0;
		for (size_t i = 0; i < c->nmetrics; i++) {
			better += c->metrics[i].verdict == PK_VERDICT_BETTER;
			worse += c->metrics[i].verdict == PK_VERDICT_WORSE;
		}
		st = pk_buf_put_printable(o->summary, c->b, strlen(c->b));
		if (st == PK_OK)
			st = pk_buf_printf(o->summary, " is better on %zu and worse on %zu of %zu "
			                   "metrics (%zu and %zu samples)", better, worse,
			                   c->nmetrics, c->samples_a, c->samples_b);
	}
	if (st == PK_ERR_NOMEM && err->len == 0)
		pk_buf_puts(err, "out of memory while writing the report");
	free(files);
	pk_buf_free(&script);
	pk_buf_free(&md);
	pk_buf_free(&title);
	pk_chart_set_free(&cs);
	pk_report_paths_free(&p);
	return st;
}

/* The source files, lines read and rejects of one side in its window. */
static enum pk_status sources_of(struct pk_db *db, const struct pk_compare_side *sd,
                                 struct pk_data_quality *q, struct pk_buf *err)
{
	enum pk_status st = pk_compare_side_sources(db, sd, q);
	if (st != PK_OK) {
		pk_buf_puts(err, "cannot read the source files of ");
		put_name(err, sd->name);
		pk_buf_printf(err, ": %s", st == PK_ERR_NOMEM ? "out of memory" : pk_db_errmsg(db));
	}
	return st;
}

enum pk_status pk_report_compare(const struct pk_report_opts *o, struct pk_buf *err)
{
	if (!o || !o->a || !o->b || !o->output) {
		pk_buf_puts(err, "need --compare A B and --output FILE");
		return PK_USAGE;
	}
	struct pk_report_paths p;
	enum pk_status st = pk_report_paths(o->output, &p, err);
	if (st != PK_OK)
		return st;
	/* fail before the slow part when the output cannot be written */
	st = pk_report_check_dir(o->output, &p, err);
	pk_report_paths_free(&p);
	if (st != PK_OK)
		return st;

	struct pk_db *db = NULL;
	st = pk_db_open(pk_db_default_path(o->db_path), PK_DB_READONLY, &db, err);
	if (st != PK_OK)
		return st;
	struct pk_compare_side sa, sb;
	struct pk_compare c;
	memset(&sa, 0, sizeof sa);
	memset(&sb, 0, sizeof sb);
	memset(&c, 0, sizeof c);
	int have_c = 0;
	/* the sides of perfanalyze --compare: a profile or a generic source
	 * that is no machine, the same window loader, numbers and messages */
	st = pk_compare_side_load(db, o->a, o->hours, o->until_us, &sa, err);
	if (st == PK_OK)
		st = pk_compare_side_load(db, o->b, o->hours, o->until_us, &sb, err);
	if (st == PK_OK) {
		if (sa.generic || sb.generic)
			st = pk_compare_views(o->a, &sa.w, &sa.v, o->b, &sb.w, &sb.v, &c);
		else
			st = pk_compare_series(o->a, &sa.w, &sa.s, o->b, &sb.w, &sb.s, &c);
		have_c = st == PK_OK;
		if (st != PK_OK)
			pk_buf_printf(err, "cannot compare the profiles: %s", pk_status_str(st));
	}
	if (st == PK_OK)
		st = sources_of(db, &sa, &c.quality_a, err);
	if (st == PK_OK)
		st = sources_of(db, &sb, &c.quality_b, err);
	pk_db_close(&db);
	if (st == PK_OK)
		st = pk_report_compare_write(&c, &sa.v, &sb.v, o, err);
	if (have_c)
		pk_compare_free(&c);
	pk_compare_side_free(&sa);
	pk_compare_side_free(&sb);
	return st;
}
