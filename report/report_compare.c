/* report_compare.c - the comparison report from database to files (see
 * report_compare.h). */
#include "report_compare.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/suggest.h"
#include "../core/db.h"
#include "../analyze/quality.h"
#include "../core/diag.h"
#include "../core/timeutil.h"
#include "charts.h"
#include "files.h"
#include "gnuplot_run.h"
#include "html.h"
#include "report_md.h"
#include "templates.h"
#include "version.h"

#define SVG_MAX (64u << 20)

static void put_name(struct pk_buf *err, const char *s)
{
	pk_buf_putc(err, '\'');
	pk_buf_put_printable(err, s, strlen(s));
	pk_buf_putc(err, '\'');
}

/* Makes the chart folder; an existing folder is fine. */
static enum pk_status make_chart_dir(const char *path, struct pk_buf *err)
{
	if (mkdir(path, 0777) == 0)
		return PK_OK;
	int e = errno;
	struct stat sb;
	if (e == EEXIST && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
		return PK_OK;
	pk_buf_puts(err, "cannot create the chart folder ");
	pk_buf_put_printable(err, path, strlen(path));
	pk_buf_printf(err, ": %s", strerror(e == EEXIST ? ENOTDIR : e));
	return PK_ERR_IO;
}

static enum pk_status chart_path(const struct pk_report_paths *p,
                                 const struct pk_chart *ch, struct pk_buf *out)
{
	pk_buf_reset(out);
	return pk_buf_printf(out, "%s/%s", p->charts, ch->file);
}

/* Draws the charts: removes old chart files (so a gnuplot that writes
 * nothing cannot leave stale ones to be inlined), then one gnuplot run. */
static enum pk_status draw(const struct pk_report_paths *p,
                           const struct pk_chart_set *cs, const char *program,
                           struct pk_buf *err)
{
	enum pk_status st = make_chart_dir(p->charts, err);
	struct pk_buf path = PK_BUF_INIT;
	for (size_t i = 0; i < cs->n && st == PK_OK; i++) {
		st = chart_path(p, &cs->charts[i], &path);
		if (st == PK_OK && unlink(path.data) != 0 && errno != ENOENT) {
			pk_buf_puts(err, "cannot replace ");
			pk_buf_put_printable(err, path.data, path.len);
			pk_buf_printf(err, ": %s", strerror(errno));
			st = PK_ERR_IO;
		}
	}
	pk_buf_free(&path);
	if (st == PK_OK && cs->n > 0)
		st = pk_gnuplot_run(program, p->dir, p->script_name, p->script, NULL, err);
	return st;
}

/* Renders the HTML page into page: the Markdown through cmark, each chart
 * read back from its file and inlined, the template filled. */
static enum pk_status render_html(const struct pk_compare *c,
                                  const struct pk_report_paths *p,
                                  const struct pk_chart_set *cs,
                                  const struct pk_templates *t,
                                  const struct pk_buf *md, struct pk_buf *page,
                                  struct pk_buf *err)
{
	size_t n = cs->n ? cs->n : 1;
	struct pk_html_figure *figs = calloc(n, sizeof *figs);
	struct pk_buf *files = calloc(n, sizeof *files);
	struct pk_buf *urls = calloc(n, sizeof *urls);
	struct pk_buf path = PK_BUF_INIT, body = PK_BUF_INIT, title = PK_BUF_INIT,
	              gen = PK_BUF_INIT;
	enum pk_status st = figs && files && urls ? PK_OK : PK_ERR_NOMEM;
	for (size_t i = 0; i < cs->n && st == PK_OK; i++) {
		st = chart_path(p, &cs->charts[i], &path);
		if (st == PK_OK) {
			st = pk_file_read(path.data, SVG_MAX, &files[i], NULL, err);
			if (st == PK_ERR_IO)
				pk_buf_puts(err, " (gnuplot did not write this chart)");
		}
		if (st == PK_OK)
			st = pk_report_chart_url(p->charts_name, cs->charts[i].file, &urls[i]);
		if (st == PK_OK) {
			figs[i].src = urls[i].data;
			figs[i].svg = files[i].data ? files[i].data : "";
			figs[i].len = files[i].len;
		}
	}
	if (st == PK_OK)
		st = pk_html_body(md->data, md->len, figs, cs->n, &body, err);
	if (st == PK_OK)
		st = pk_report_compare_title(c, &title);
	if (st == PK_OK)
		st = pk_buf_printf(&gen, "perfreport %s", PERFKIT_VERSION);
	if (st == PK_OK) {
		struct pk_html_page pg = { title.data, t->css, body.data, gen.data };
		st = pk_html_fill(t->html, &pg, page, err);
	}
	for (size_t i = 0; i < cs->n && files && urls; i++) {
		pk_buf_free(&files[i]);
		pk_buf_free(&urls[i]);
	}
	free(figs);
	free(files);
	free(urls);
	pk_buf_free(&path);
	pk_buf_free(&body);
	pk_buf_free(&title);
	pk_buf_free(&gen);
	return st;
}

enum pk_status pk_report_compare_write(const struct pk_compare *c,
                                       const struct pk_hw_series *sa,
                                       const struct pk_hw_series *sb,
                                       const struct pk_report_opts *o,
                                       struct pk_buf *err)
{
	if (!c || !sa || !sb || !o || !o->output) {
		pk_buf_puts(err, "no comparison or no output file given");
		return PK_USAGE;
	}
	struct pk_report_paths p;
	enum pk_status st = pk_report_paths(o->output, &p, err);
	if (st != PK_OK)
		return st;

	struct pk_templates t = { NULL, NULL };
	struct pk_chart_set cs = { 0, NULL, 0, { 0 } };
	struct pk_buf script = PK_BUF_INIT, md = PK_BUF_INIT, page = PK_BUF_INIT;
	if (p.html)
		st = pk_templates_load(o->templates, &t, err);

	struct pk_chart_side a = { sa, c->window_a.from_us, c->window_a.to_us };
	struct pk_chart_side b = { sb, c->window_b.from_us, c->window_b.to_us };
	if (st == PK_OK)
		st = pk_chart_script(&a, &b, p.charts_name, p.script_name, &script, &cs, err);
	if (st == PK_OK)
		st = pk_file_write(p.script, script.data, script.len, err);
	if (st == PK_OK)
		st = draw(&p, &cs, o->gnuplot ? o->gnuplot : pk_gnuplot_program(), err);

	struct pk_report_doc doc = { pk_time_now_us(), p.charts_name, p.script_name, &cs };
	if (st == PK_OK)
		st = pk_report_compare_md(c, &doc, &md);
	if (st == PK_ERR_NOMEM && err->len == 0)
		pk_buf_puts(err, "out of memory while writing the report");
	if (st == PK_OK && p.html)
		st = render_html(c, &p, &cs, &t, &md, &page, err);
	if (st == PK_OK) {
		const struct pk_buf *out = p.html ? &page : &md;
		st = pk_file_write(o->output, out->data ? out->data : "", out->len, err);
	}
	pk_buf_free(&script);
	pk_buf_free(&md);
	pk_buf_free(&page);
	pk_chart_set_free(&cs);
	pk_templates_free(&t);
	pk_report_paths_free(&p);
	return st;
}

/* The window of one profile: hours before until (or its newest sample), or
 * all of its samples up to until when hours is not positive. */
static enum pk_status window_of(struct pk_db *db, const char *name,
                                const struct pk_report_opts *o,
                                struct pk_window *w, struct pk_buf *err)
{
	enum pk_status st;
	struct pk_profile_info info;
	memset(&info, 0, sizeof info);
	if (o->hours > PK_REPORT_MAX_HOURS) {
		pk_buf_printf(err, "--hours: at most %.0f (a window of %g hours)",
		              PK_REPORT_MAX_HOURS, o->hours);
		return PK_USAGE;
	}
	if (o->hours > 0.0 && isfinite(o->hours)) {
		st = pk_window_for(db, name, o->hours, o->until_us, w);
	} else {
		st = pk_query_profile(db, name, &info);
		if (st == PK_OK) {
			w->from_us = info.first_us;
			w->to_us = o->until_us == INT64_MIN ? info.last_us : o->until_us;
		}
		free(info.name);
	}
	if (st == PK_NODATA) {
		pk_buf_puts(err, "no profile ");
		put_name(err, name);
		pk_buf_puts(err, " in the database");
		pk_suggest_profile(db, name, err);
		pk_buf_puts(err, " (perfanalyze --list shows the profiles)");
	} else if (st != PK_OK) {
		pk_buf_puts(err, "cannot read profile ");
		put_name(err, name);
		pk_buf_printf(err, ": %s", pk_db_errmsg(db));
	} else if (w->to_us < w->from_us) {
		pk_buf_puts(err, "profile ");
		put_name(err, name);
		pk_buf_puts(err, " has no samples before --until");
		st = PK_NODATA;
	}
	return st;
}

static enum pk_status series_of(struct pk_db *db, const char *name,
                                const struct pk_window *w,
                                struct pk_hw_series *s, struct pk_buf *err)
{
	enum pk_status st = pk_query_hw_series(db, name, w->from_us, w->to_us, s);
	if (st == PK_OK && s->n == 0)
		st = PK_NODATA;
	if (st == PK_NODATA) {
		char from[PK_TIME_ISO_MAX], to[PK_TIME_ISO_MAX];
		pk_time_format_iso(w->from_us, from);
		pk_time_format_iso(w->to_us, to);
		pk_buf_puts(err, "profile ");
		put_name(err, name);
		pk_buf_printf(err, " has no samples from %s to %s", from, to);
	} else if (st != PK_OK) {
		pk_buf_puts(err, "cannot read the samples of ");
		put_name(err, name);
		pk_buf_printf(err, ": %s", st == PK_ERR_NOMEM ? "out of memory" : pk_db_errmsg(db));
	}
	return st;
}

/* The source files, lines read and rejects of one profile's series. */
static enum pk_status sources_of(struct pk_db *db, const char *name,
                                 const struct pk_hw_series *s,
                                 struct pk_data_quality *q, struct pk_buf *err)
{
	enum pk_status st = pk_data_quality_add_sources(db, name, s, q);
	if (st != PK_OK) {
		pk_buf_puts(err, "cannot read the source files of ");
		put_name(err, name);
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
	struct stat dst;
	if (stat(p.dir, &dst) != 0 || !S_ISDIR(dst.st_mode)) {
		pk_buf_puts(err, "cannot write ");
		pk_buf_put_printable(err, o->output, strlen(o->output));
		pk_buf_puts(err, ": its folder ");
		pk_buf_put_printable(err, p.dir, strlen(p.dir));
		pk_buf_puts(err, " does not exist");
		pk_report_paths_free(&p);
		return PK_ERR_IO;
	}
	pk_report_paths_free(&p);

	struct pk_db *db = NULL;
	st = pk_db_open(pk_db_default_path(o->db_path), PK_DB_READONLY, &db, err);
	if (st != PK_OK)
		return st;
	struct pk_window wa, wb;
	struct pk_hw_series sa, sb;
	struct pk_compare c;
	memset(&sa, 0, sizeof sa);
	memset(&sb, 0, sizeof sb);
	memset(&c, 0, sizeof c);
	int have_c = 0;
	st = window_of(db, o->a, o, &wa, err);
	if (st == PK_OK)
		st = window_of(db, o->b, o, &wb, err);
	if (st == PK_OK)
		st = series_of(db, o->a, &wa, &sa, err);
	if (st == PK_OK)
		st = series_of(db, o->b, &wb, &sb, err);
	if (st == PK_OK) {
		st = pk_compare_series(o->a, &wa, &sa, o->b, &wb, &sb, &c);
		have_c = st == PK_OK;
		if (st != PK_OK)
			pk_buf_printf(err, "cannot compare the profiles: %s", pk_status_str(st));
	}
	if (st == PK_OK)
		st = sources_of(db, o->a, &sa, &c.quality_a, err);
	if (st == PK_OK)
		st = sources_of(db, o->b, &sb, &c.quality_b, err);
	pk_db_close(&db);
	if (st == PK_OK)
		st = pk_report_compare_write(&c, &sa, &sb, o, err);
	if (have_c)
		pk_compare_free(&c);
	pk_hw_series_free(&sa);
	pk_hw_series_free(&sb);
	return st;
}
