/* report_out.c - script, charts and page of a report (see report_out.h). */
#include "report_out.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gnuplot_run.h"
#include "html.h"
#include "markdown.h"
#include "templates.h"
#include "version.h"

#define SVG_MAX (64u << 20)

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

static enum pk_status chart_path(const struct pk_report_paths *p, const char *file,
                                 struct pk_buf *out)
{
	pk_buf_reset(out);
	return pk_buf_printf(out, "%s/%s", p->charts, file);
}

/* Draws the charts: removes old chart files (so a gnuplot that writes
 * nothing cannot leave stale ones to be inlined), then one gnuplot run. */
static enum pk_status draw(const struct pk_report_paths *p,
                           const struct pk_report_page *pg, const char *program,
                           struct pk_buf *err)
{
	if (pg->ncharts == 0)
		return PK_OK;
	enum pk_status st = make_chart_dir(p->charts, err);
	struct pk_buf path = PK_BUF_INIT;
	for (size_t i = 0; i < pg->ncharts && st == PK_OK; i++) {
		st = chart_path(p, pg->charts[i], &path);
		if (st == PK_OK && unlink(path.data) != 0 && errno != ENOENT) {
			pk_buf_puts(err, "cannot replace ");
			pk_buf_put_printable(err, path.data, path.len);
			pk_buf_printf(err, ": %s", strerror(errno));
			st = PK_ERR_IO;
		}
	}
	pk_buf_free(&path);
	if (st == PK_OK)
		st = pk_gnuplot_run(program, p->dir, p->script_name, p->script, NULL, err);
	return st;
}

/* The image URL of chart file under charts_name, as the Markdown has it. */
static enum pk_status chart_url(const char *charts_name, const char *file,
                                struct pk_buf *out)
{
	enum pk_status st = pk_md_url_path(out, charts_name);
	if (st == PK_OK)
		st = pk_buf_putc(out, '/');
	if (st == PK_OK)
		st = pk_md_url_path(out, file);
	return st;
}

/* Renders the HTML page into page: the Markdown through cmark, each chart
 * read back from its file and inlined, the template filled. */
static enum pk_status render_html(const struct pk_report_paths *p,
                                  const struct pk_report_page *pg,
                                  const struct pk_templates *t,
                                  struct pk_buf *page, struct pk_buf *err)
{
	size_t n = pg->ncharts ? pg->ncharts : 1;
	struct pk_html_figure *figs = calloc(n, sizeof *figs);
	struct pk_buf *files = calloc(n, sizeof *files);
	struct pk_buf *urls = calloc(n, sizeof *urls);
	struct pk_buf path = PK_BUF_INIT, body = PK_BUF_INIT, gen = PK_BUF_INIT;
	enum pk_status st = figs && files && urls ? PK_OK : PK_ERR_NOMEM;
	for (size_t i = 0; i < pg->ncharts && st == PK_OK; i++) {
		st = chart_path(p, pg->charts[i], &path);
		if (st == PK_OK) {
			st = pk_file_read(path.data, SVG_MAX, &files[i], NULL, err);
			if (st == PK_ERR_IO)
				pk_buf_puts(err, " (gnuplot did not write this chart)");
		}
		if (st == PK_OK)
			st = chart_url(p->charts_name, pg->charts[i], &urls[i]);
		if (st == PK_OK) {
			figs[i].src = urls[i].data;
			figs[i].svg = files[i].data ? files[i].data : "";
			figs[i].len = files[i].len;
		}
	}
	if (st == PK_OK)
		st = pk_html_body(pg->md->data ? pg->md->data : "", pg->md->len, figs,
		                  pg->ncharts, &body, err);
	if (st == PK_OK)
		st = pk_buf_printf(&gen, "perfreport %s", PERFKIT_VERSION);
	if (st == PK_OK) {
		struct pk_html_page hp = { pg->title, t->css, body.data, gen.data };
		st = pk_html_fill(t->html, &hp, page, err);
	}
	for (size_t i = 0; i < pg->ncharts && files && urls; i++) {
		pk_buf_free(&files[i]);
		pk_buf_free(&urls[i]);
	}
	free(figs);
	free(files);
	free(urls);
	pk_buf_free(&path);
	pk_buf_free(&body);
	pk_buf_free(&gen);
	return st;
}

enum pk_status pk_report_emit(const char *output, const struct pk_report_paths *p,
                              const struct pk_report_page *pg,
                              const char *templates_dir, const char *program,
                              struct pk_buf *err)
{
	struct pk_templates t = { NULL, NULL };
	struct pk_buf page = PK_BUF_INIT;
	enum pk_status st = PK_OK;
	if (p->html)
		st = pk_templates_load(templates_dir, &t, err);
	if (st == PK_OK && pg->script && pg->script->len > 0)
		st = pk_file_write(p->script, pg->script->data ? pg->script->data : "",
		                   pg->script->len, err);
	if (st == PK_OK)
		st = draw(p, pg, program ? program : pk_gnuplot_program(), err);
	if (st == PK_OK && p->html)
		st = render_html(p, pg, &t, &page, err);
	if (st == PK_OK) {
		const struct pk_buf *out = p->html ? &page : pg->md;
		st = pk_file_write(output, out->data ? out->data : "", out->len, err);
	}
	if (st == PK_ERR_NOMEM && err->len == 0)
		pk_buf_puts(err, "out of memory while writing the report");
	pk_buf_free(&page);
	pk_templates_free(&t);
	return st;
}

enum pk_status pk_report_check_dir(const char *output, const struct pk_report_paths *p,
                                   struct pk_buf *err)
{
	struct stat dst;
	if (stat(p->dir, &dst) == 0 && S_ISDIR(dst.st_mode))
		return PK_OK;
	pk_buf_puts(err, "cannot write ");
	pk_buf_put_printable(err, output, strlen(output));
	pk_buf_puts(err, ": its folder ");
	pk_buf_put_printable(err, p->dir, strlen(p->dir));
	pk_buf_puts(err, " does not exist");
	return PK_ERR_IO;
}
