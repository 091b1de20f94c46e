/* report_requirements.c - the weekly hardware-requirements report from the
 * database to a file (report_requirements.h): ISO weeks, both weeks' tiers,
 * Markdown (req_sections.c), HTML through the shared template. */
#include "report_requirements.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/db.h"
#include "../core/diag.h"
#include "../core/query.h"
#include "../core/query_tiers.h"
#include "../core/timeutil.h"
#include "files.h"
#include "gnuplot_run.h"
#include "html.h"
#include "report_md.h"
#include "req_charts.h"
#include "templates.h"
#include "version.h"

#define DAY_US 86400000000LL
#define SVG_MAX (64u << 20)
#define WEEK_US (7 * DAY_US)

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Monday (days since the epoch) of ISO week 1 of year y: the week with
 * January 4th. */
static int64_t week1_monday(int64_t y)
{
	int64_t jan4 = days_from_civil(y, 1, 4);
	int64_t wd = ((jan4 % 7) + 7 + 3) % 7;   /* 0 = Monday; 1970-01-01 was a Thursday */
	return jan4 - wd;
}

enum pk_status pk_iso_week_start(const char *week, int64_t *monday_us)
{
	if (!week || strlen(week) != 8 || week[4] != '-' || (week[5] != 'W' && week[5] != 'w'))
		return PK_USAGE;
	int64_t y = 0;
	for (int i = 0; i < 4; i++) {
		if (week[i] < '0' || week[i] > '9')
			return PK_USAGE;
		y = y * 10 + (week[i] - '0');
	}
	if (week[6] < '0' || week[6] > '9' || week[7] < '0' || week[7] > '9')
		return PK_USAGE;
	int w = (week[6] - '0') * 10 + (week[7] - '0');
	int64_t start = week1_monday(y), next = week1_monday(y + 1);
	if (w < 1 || start + 7 * (w - 1) >= next)
		return PK_USAGE;
	*monday_us = (start + 7 * (int64_t)(w - 1)) * DAY_US;
	return PK_OK;
}

void pk_iso_week_name(int64_t t_us, char *out)
{
	int64_t day = t_us >= 0 ? t_us / DAY_US : -((-t_us + DAY_US - 1) / DAY_US);
	/* the ISO year is the calendar year of the week's Thursday */
	int64_t monday = day - ((day % 7) + 7 + 3) % 7;
	int64_t thu = monday + 3;
	int64_t y = 1970 + thu / 366;
	while (week1_monday(y + 1) <= thu)
		y++;
	while (week1_monday(y) > thu)
		y--;
	int w = (int)((monday - week1_monday(y)) / 7) + 1;
	if (y < 0 || y > 9999 || w < 1 || w > 53)
		y = w = 0;   /* out of range for a week name */
	snprintf(out, 16, "%04d-W%02d", (int)(y % 10000), (w % 54 + 54) % 54);
}

/* The time range of the F1 samples (they carry the latency that proves a
 * tier), else of the nvidia-smi and sysstat rows; PK_NODATA without any. */
static enum pk_status data_range(struct pk_db *db, int64_t *first, int64_t *last,
                                 struct pk_buf *err)
{
	enum pk_status st = pk_query_sample_range(db, first, last);
	if (st == PK_NODATA)
		st = pk_query_log_range(db, first, last);
	if (st == PK_NODATA)
		pk_buf_puts(err, "no hardware samples in the database (see perfanalyze --list)");
	else if (st != PK_OK)
		pk_buf_printf(err, "database: %s", pk_db_errmsg(db));
	return st;
}

/* The last full week of data: the ISO week before the one holding the
 * newest sample when the data cover it from its start; else the newest
 * sample's own week. */
static int64_t default_week(int64_t first, int64_t last)
{
	char name[16];
	pk_iso_week_name(last, name);
	int64_t m = 0;
	pk_iso_week_start(name, &m);
	return first <= m - WEEK_US ? m - WEEK_US : m;
}

/* Splits "A,B,..." into names (pointers into the copy *buf). */
static enum pk_status split_profiles(const char *list, char **buf, const char ***names,
                                     size_t *n, struct pk_buf *err)
{
	*buf = strdup(list);
	size_t cap = 1;
	for (const char *c = list; *c; c++)
		cap += *c == ',';
	*names = calloc(cap, sizeof **names);
	if (!*buf || !*names)
		return PK_ERR_NOMEM;
	*n = 0;
	for (char *s = *buf, *e; s; s = e) {
		e = strchr(s, ',');
		if (e)
			*e++ = '\0';
		if (!*s) {
			pk_buf_puts(err, "--profiles needs names separated by commas, not an empty one");
			return PK_USAGE;
		}
		(*names)[(*n)++] = s;
	}
	return PK_OK;
}

void pk_req_result_free(struct pk_req_result *r)
{
	for (size_t i = 0; i < r->now.nprofiles; i++) {
		if (r->quality) pk_quality_free(&r->quality[i]);
		if (r->throttle) pk_throttle_free(&r->throttle[i]);
		if (r->tparams) pk_throttle_params_free(&r->tparams[i]);
		if (r->notes) pk_registry_notes_free(&r->notes[i]);
	}
	free(r->quality);
	free(r->throttle);
	free(r->tparams);
	free(r->notes);
	for (size_t i = 0; r->series && i < r->now.nprofiles; i++)
		pk_hw_series_free(&r->series[i]);
	free(r->series);
	if (r->have_corr)
		pk_correlate_free(&r->corr);
	pk_tiers_free(&r->now);
	pk_tiers_free(&r->before);
	memset(r, 0, sizeof *r);
}

/* This week's quality, throttling and registry notes of every profile. */
static enum pk_status per_profile(struct pk_db *db, struct pk_req_result *r,
                                  struct pk_buf *err)
{
	size_t n = r->now.nprofiles ? r->now.nprofiles : 1;
	r->quality = calloc(n, sizeof *r->quality);
	r->throttle = calloc(n, sizeof *r->throttle);
	r->tparams = calloc(n, sizeof *r->tparams);
	r->notes = calloc(n, sizeof *r->notes);
	r->series = calloc(n, sizeof *r->series);
	if (!r->quality || !r->throttle || !r->tparams || !r->notes || !r->series)
		return PK_ERR_NOMEM;
	enum pk_status st = PK_OK;
	for (size_t i = 0; i < r->now.nprofiles && st == PK_OK; i++) {
		const char *name = r->now.p[i].profile;
		struct pk_window w = { r->from_us, r->to_us };
		struct pk_hw_series *s = &r->series[i];
		r->notes[i].vram_target_pct = NAN;
		st = pk_query_hw_series(db, name, w.from_us, w.to_us, s);
		if (st == PK_OK) st = pk_quality_series(name, &w, s, &r->quality[i]);
		if (st == PK_OK) st = pk_quality_add_sources(db, &r->quality[i]);
		if (st == PK_OK) st = pk_throttle_threshold(db, name, NAN, &r->tparams[i]);
		if (st == PK_OK)
			st = pk_throttle_series(name, &w, s, r->tparams[i].threshold_c, &r->throttle[i]);
		if (st == PK_OK) st = pk_query_registry_notes(db, name, &r->notes[i]);
	}
	if (st == PK_ERR_DB)
		pk_buf_printf(err, "database: %s", pk_db_errmsg(db));
	if (st != PK_OK)
		return st;
	/* TES and wake-word latency: every profile's runs in the week */
	struct pk_correlate_opts co = { r->from_us, r->to_us, NULL };
	struct pk_buf why = PK_BUF_INIT;
	st = pk_correlate(db, &co, &r->corr, &why);
	if (st == PK_OK) {
		r->have_corr = 1;
	} else if (st == PK_NODATA) {
		pk_correlate_free(&r->corr);
		snprintf(r->corr_none, sizeof r->corr_none, "%s", why.data ? why.data : "no data");
		st = PK_OK;
	} else {
		pk_correlate_free(&r->corr);
		pk_buf_printf(err, "correlation: %s", why.len ? why.data : pk_status_str(st));
	}
	pk_buf_free(&why);
	return st;
}

static enum pk_status compute(const struct pk_req_opts *o, struct pk_req_result *r,
                              struct pk_buf *err)
{
	struct pk_db *db = NULL;
	enum pk_status st = pk_db_open(pk_db_default_path(o->db_path), PK_DB_READONLY, &db, err);
	if (st != PK_OK)
		return st;
	int64_t monday = 0, first = 0, last = 0;
	st = data_range(db, &first, &last, err);
	if (st == PK_OK && o->week) {
		st = pk_iso_week_start(o->week, &monday);
		if (st != PK_OK) {
			pk_buf_puts(err, "--week needs an ISO week such as 2025-W51, not '");
			pk_buf_put_printable(err, o->week, strlen(o->week));
			pk_buf_putc(err, '\'');
		}
	} else if (st == PK_OK) {
		monday = default_week(first, last);
	}
	/* covered: data from the week's start to its last minute */
	r->partial = first > monday || last < monday + WEEK_US - 60000000;
	char *buf = NULL;
	const char **names = NULL;
	size_t n = 0;
	if (st == PK_OK && o->profiles)
		st = split_profiles(o->profiles, &buf, &names, &n, err);
	if (st == PK_OK) {
		r->from_us = monday;
		r->to_us = monday + WEEK_US - 1;
		r->last_from_us = monday - WEEK_US;
		r->last_to_us = monday - 1;
		pk_iso_week_name(r->from_us, r->week);
		pk_iso_week_name(r->last_from_us, r->last_week);
		st = pk_tiers_in_window(db, names, n, r->from_us, r->to_us, &r->now, err);
	}
	if (st == PK_OK)
		st = pk_tiers_in_window(db, names, n, r->last_from_us, r->last_to_us, &r->before, err);
	size_t have = 0;
	for (size_t i = 0; st == PK_OK && i < r->now.nprofiles; i++)
		have += r->now.p[i].samples > 0;
	if (st == PK_OK && have == 0) {
		pk_buf_printf(err, "no hardware samples in week %s (try --week, or perfanalyze "
		              "--list for the data's time range)", r->week);
		st = PK_NODATA;
	}
	if (st == PK_OK)
		st = per_profile(db, r, err);
	if (st == PK_ERR_NOMEM && err->len == 0)
		pk_buf_puts(err, "out of memory");
	free(buf);
	free(names);
	pk_db_close(&db);
	return st;
}

/* Makes the chart folder (an existing one is fine), removes the old chart
 * files, and runs gnuplot once on the script. */
static enum pk_status draw(const struct pk_report_paths *p, const struct pk_req_charts *ch,
                           struct pk_buf *err)
{
	if (mkdir(p->charts, 0777) != 0 && errno != EEXIST) {
		pk_buf_puts(err, "cannot create the chart folder ");
		pk_buf_put_printable(err, p->charts, strlen(p->charts));
		pk_buf_printf(err, ": %s", strerror(errno));
		return PK_ERR_IO;
	}
	struct pk_buf path = PK_BUF_INIT;
	enum pk_status st = PK_OK;
	int any = 0;
	for (int i = 0; i < PK_REQ_NCHARTS && st == PK_OK; i++) {
		pk_buf_reset(&path);
		st = pk_buf_printf(&path, "%s/%s", p->charts, ch->file[i]);
		if (st == PK_OK && unlink(path.data) != 0 && errno != ENOENT) {
			pk_buf_puts(err, "cannot replace ");
			pk_buf_put_printable(err, path.data, path.len);
			pk_buf_printf(err, ": %s", strerror(errno));
			st = PK_ERR_IO;
		}
		any |= ch->drawn[i];
	}
	pk_buf_free(&path);
	if (st == PK_OK && any)
		st = pk_gnuplot_run(pk_gnuplot_program(), p->dir, p->script_name, p->script, NULL, err);
	return st;
}

static enum pk_status render_html(const struct pk_req_result *r, const struct pk_buf *md,
                                  const struct pk_report_paths *p,
                                  const struct pk_req_charts *ch,
                                  const char *templates, struct pk_buf *page,
                                  struct pk_buf *err)
{
	struct pk_templates t = { NULL, NULL };
	struct pk_buf body = PK_BUF_INIT, title = PK_BUF_INIT, gen = PK_BUF_INIT,
	              path = PK_BUF_INIT;
	struct pk_html_figure figs[PK_REQ_NCHARTS];
	struct pk_buf files[PK_REQ_NCHARTS], urls[PK_REQ_NCHARTS];
	size_t nfigs = 0;
	enum pk_status st = pk_templates_load(templates, &t, err);
	for (int i = 0; i < PK_REQ_NCHARTS; i++)
		files[i] = urls[i] = (struct pk_buf)PK_BUF_INIT;
	for (int i = 0; i < PK_REQ_NCHARTS && st == PK_OK; i++) {
		if (!ch->drawn[i])
			continue;
		pk_buf_reset(&path);
		st = pk_buf_printf(&path, "%s/%s", p->charts, ch->file[i]);
		if (st == PK_OK) {
			st = pk_file_read(path.data, SVG_MAX, &files[i], NULL, err);
			if (st == PK_ERR_IO)
				pk_buf_puts(err, " (gnuplot did not write this chart)");
		}
		if (st == PK_OK) st = pk_report_chart_url(p->charts_name, ch->file[i], &urls[i]);
		if (st == PK_OK)
			figs[nfigs++] = (struct pk_html_figure){ urls[i].data,
			                 files[i].data ? files[i].data : "", files[i].len };
	}
	if (st == PK_OK)
		st = pk_html_body(md->data ? md->data : "", md->len, figs, nfigs, &body, err);
	if (st == PK_OK)
		st = pk_buf_printf(&title, "Hardware requirements, week %s", r->week);
	if (st == PK_OK)
		st = pk_buf_printf(&gen, "perfreport %s", PERFKIT_VERSION);
	if (st == PK_OK) {
		struct pk_html_page pg = { title.data, t.css, body.data, gen.data };
		st = pk_html_fill(t.html, &pg, page, err);
	}
	for (int i = 0; i < PK_REQ_NCHARTS; i++) {
		pk_buf_free(&files[i]);
		pk_buf_free(&urls[i]);
	}
	pk_buf_free(&path);
	pk_buf_free(&body);
	pk_buf_free(&title);
	pk_buf_free(&gen);
	pk_templates_free(&t);
	return st;
}

/* The decision in one line: each tier's proving profile, or "none". */
static enum pk_status summary_of(const struct pk_req_result *r, struct pk_buf *s)
{
	const long tier[3] = { r->now.minimum, r->now.recommended, r->now.optimal };
	enum pk_status st = pk_buf_printf(s, "%s%s: ", r->week, r->partial ? " (partial)" : "");
	for (int i = 0; i < 3 && st == PK_OK; i++) {
		st = pk_buf_printf(s, "%s%s ", i ? ", " : "", pk_tier_level_str((enum pk_tier_level)i));
		if (st == PK_OK && tier[i] >= 0)
			st = pk_buf_put_printable(s, r->now.p[tier[i]].profile,
			                          strlen(r->now.p[tier[i]].profile));
		else if (st == PK_OK)
			st = pk_buf_puts(s, "not met by any measured machine");
	}
	if (st == PK_OK)
		st = pk_buf_printf(s, " (%zu profiles)", r->now.nprofiles);
	return st;
}

enum pk_status pk_report_requirements(const struct pk_req_opts *o, struct pk_buf *err)
{
	if (!o || !o->output) {
		pk_buf_puts(err, "need --output FILE.md or FILE.html");
		return PK_USAGE;
	}
	struct pk_report_paths p;
	enum pk_status st = pk_report_paths(o->output, &p, err);
	if (st != PK_OK)
		return st;
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
	struct pk_req_result r;
	memset(&r, 0, sizeof r);
	struct pk_req_charts ch;
	memset(&ch, 0, sizeof ch);
	struct pk_buf md = PK_BUF_INIT, page = PK_BUF_INIT, script = PK_BUF_INIT;
	st = compute(o, &r, err);
	if (st == PK_OK)
		st = pk_req_chart_script(&r, p.charts_name, &script, &ch);
	if (st == PK_OK)
		st = pk_file_write(p.script, script.data, script.len, err);
	if (st == PK_OK)
		st = draw(&p, &ch, err);
	r.charts = &ch;
	r.charts_name = p.charts_name;
	if (st == PK_OK)
		st = pk_req_markdown(&r, pk_time_now_us(), &md);
	if (st == PK_ERR_NOMEM && err->len == 0)
		pk_buf_puts(err, "out of memory while writing the report");
	if (st == PK_OK && p.html)
		st = render_html(&r, &md, &p, &ch, o->templates, &page, err);
	if (st == PK_OK) {
		const struct pk_buf *out = p.html ? &page : &md;
		st = pk_file_write(o->output, out->data ? out->data : "", out->len, err);
	}
	if (st == PK_OK && o->summary)
		st = summary_of(&r, o->summary);
	pk_buf_free(&md);
	pk_buf_free(&page);
	pk_buf_free(&script);
	pk_req_result_free(&r);
	pk_report_paths_free(&p);
	return st;
}
