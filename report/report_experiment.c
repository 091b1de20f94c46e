/* report_experiment.c - experiment reports from database to files (see
 * report_experiment.h). */
#include "report_experiment.h"

#include <stdlib.h>
#include <string.h>

#include "../analyze/experiment.h"
#include "../core/db.h"
#include "../core/diag.h"
#include "../core/query_exp_info.h"
#include "../core/timeutil.h"
#include "charts_experiment.h"
#include "files.h"
#include "report_exp_md.h"
#include "report_out.h"

/* Analyses experiment id into r and reads its recorded information. */
static enum pk_status load(struct pk_db *db, const char *id, struct pk_exp_result *r,
                           struct pk_exp_info *info, struct pk_buf *err)
{
	enum pk_status st = pk_experiment_analyze(db, id, r);
	if (st == PK_OK) {
		st = pk_query_exp_info(db, id, info);
		if (st != PK_OK)
			pk_exp_result_free(r);
	}
	if (st == PK_NODATA) {
		pk_buf_puts(err, "no experiment '");
		pk_buf_put_printable(err, id, strlen(id));
		pk_buf_puts(err, "' in the database (perfanalyze --list shows them)");
	} else if (st == PK_ERR_DB) {
		pk_buf_printf(err, "database: %s", pk_db_errmsg(db));
	} else if (st == PK_ERR_NOMEM) {
		pk_buf_puts(err, "out of memory while reading the experiment");
	}
	return st;
}

/* Title of the page, plain text: "Experiment ID" or "N experiments". */
static enum pk_status title_of(const struct pk_report_exp_opts *o, struct pk_buf *t)
{
	if (o->many)
		return pk_buf_printf(t, "%zu experiments side by side", o->nids);
	enum pk_status st = pk_buf_puts(t, "Experiment ");
	if (st == PK_OK)
		st = pk_buf_put_printable(t, o->ids[0], strlen(o->ids[0]));
	return st;
}

static enum pk_status write_report(const struct pk_report_exp_opts *o,
                                   const struct pk_report_paths *p,
                                   const struct pk_exp_result *r,
                                   const struct pk_exp_info *info, size_t n,
                                   struct pk_buf *err)
{
	struct pk_buf script = PK_BUF_INIT, md = PK_BUF_INIT, title = PK_BUF_INIT;
	struct pk_exp_vs *vs = NULL;
	struct pk_expc_set cs;
	enum pk_status st;
	if (o->many)
		st = pk_expc_many(r, n, p->charts_name, p->script_name, &script, &cs, err);
	else
		st = pk_expc_one(r, p->charts_name, p->script_name, &script, &cs, err);
	struct pk_exp_doc doc = { pk_time_now_us(), p->charts_name, p->script_name, &cs };
	if (st == PK_OK && o->many) {
		vs = calloc(n, sizeof *vs);
		st = vs ? PK_OK : PK_ERR_NOMEM;
		for (size_t i = 1; vs && i < n; i++)
			pk_experiment_vs(&r[0], &r[i], &vs[i]);
		if (st == PK_OK)
			st = pk_exps_report_md(r, vs, info, n, &doc, &md);
	} else if (st == PK_OK) {
		st = pk_exp_report_md(r, info, &doc, &md);
	}
	if (st == PK_OK)
		st = title_of(o, &title);
	const char *files[PK_EXPC_N];
	for (size_t i = 0; st == PK_OK && i < cs.n; i++)
		files[i] = cs.c[i].file;
	if (st == PK_OK) {
		struct pk_report_page pg = { title.data, &md, &script, files, cs.n };
		st = pk_report_emit(o->output, p, &pg, o->templates, o->gnuplot, err);
	}
	if (st == PK_OK && o->summary && !o->many)
		st = pk_buf_printf(o->summary, "%zu cycles, %zu crashed; memory trend: %s",
		                   r->d.c.n, r->crashed, r->leak);
	if (st == PK_ERR_NOMEM && err->len == 0)
		pk_buf_puts(err, "out of memory while writing the report");
	free(vs);
	pk_buf_free(&script);
	pk_buf_free(&md);
	pk_buf_free(&title);
	return st;
}

enum pk_status pk_report_experiment(const struct pk_report_exp_opts *o,
                                    struct pk_buf *err)
{
	if (!o || !o->ids || o->nids == 0 || !o->output) {
		pk_buf_puts(err, "need --experiment ID (or --experiments ID...) and --output FILE");
		return PK_USAGE;
	}
	struct pk_report_paths p;
	enum pk_status st = pk_report_paths(o->output, &p, err);
	if (st != PK_OK)
		return st;
	st = pk_report_check_dir(o->output, &p, err);
	struct pk_db *db = NULL;
	if (st == PK_OK)
		st = pk_db_open(pk_db_default_path(o->db_path), PK_DB_READONLY, &db, err);
	size_t n = o->many ? o->nids : 1, loaded = 0;
	struct pk_exp_result *r = NULL;
	struct pk_exp_info *info = NULL;
	if (st == PK_OK) {
		r = calloc(n, sizeof *r);
		info = calloc(n, sizeof *info);
		st = r && info ? PK_OK : PK_ERR_NOMEM;
	}
	for (; st == PK_OK && loaded < n; loaded++) {
		st = load(db, o->ids[loaded], &r[loaded], &info[loaded], err);
		if (st != PK_OK)
			break;
	}
	pk_db_close(&db);
	if (st == PK_OK)
		st = write_report(o, &p, r, info, n, err);
	for (size_t i = 0; i < loaded; i++) {
		pk_exp_result_free(&r[i]);
		pk_exp_info_free(&info[i]);
	}
	free(r);
	free(info);
	pk_report_paths_free(&p);
	return st;
}
