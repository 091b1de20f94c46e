/* report_all.c - perfreport --all (see report_all.h): plans the reports
 * from the database, fingerprints each one's inputs, writes those whose
 * fingerprint changed, then the index and the state file. */
#include "report_all.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/db.h"
#include "../core/hash.h"
#include "../core/query_agent.h"
#include "../core/query_catalog.h"
#include "../core/timeutil.h"
#include "all_index.h"
#include "all_names.h"
#include "files.h"
#include "report_compare.h"
#include "report_experiment.h"
#include "report_out.h"
#include "report_regress.h"
#include "report_requirements.h"
#include "report_session.h"
#include "report_throttle.h"
#include "templates.h"
#include "version.h"

struct job {
	enum pk_all_kind kind;
	char *id, *id2;          /* owned */
	char *name;              /* owned: file name without extension */
	char *file;              /* owned: name + extension */
	uint64_t fp;
	int written;             /* 1: a report file; 0: no data */
	int kept;                /* 1: kept from the last run */
	struct pk_buf summary;
};

struct plan {
	struct job *j;
	size_t n, cap;
};

static void plan_free(struct plan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->j[i].id);
		free(p->j[i].id2);
		free(p->j[i].name);
		free(p->j[i].file);
		pk_buf_free(&p->j[i].summary);
	}
	free(p->j);
	memset(p, 0, sizeof *p);
}

static const char *const prefix[PK_ALL_NKINDS] = {
	[PK_ALL_REQUIREMENTS] = "requirements", [PK_ALL_COMPARE] = "compare-",
	[PK_ALL_THROTTLING] = "throttling-", [PK_ALL_EXPERIMENT] = "experiment-",
	[PK_ALL_SESSION] = "session-", [PK_ALL_SUITE] = "regressions-",
};

static const enum pk_catalog_kind inputs_of[PK_ALL_NKINDS] = {
	[PK_ALL_REQUIREMENTS] = PK_CATALOG_HARDWARE, [PK_ALL_COMPARE] = PK_CATALOG_HARDWARE,
	[PK_ALL_THROTTLING] = PK_CATALOG_HARDWARE, [PK_ALL_EXPERIMENT] = PK_CATALOG_EXPERIMENT,
	[PK_ALL_SESSION] = PK_CATALOG_SESSION, [PK_ALL_SUITE] = PK_CATALOG_SUITE,
};

/* Adds a job (id, id2 copied; NULL allowed) named from its kind and ids. */
static enum pk_status add(struct plan *p, enum pk_all_kind kind, const char *id,
                          const char *id2)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 32;
		struct job *g = realloc(p->j, cap * sizeof *g);
		if (!g)
			return PK_ERR_NOMEM;
		p->j = g;
		p->cap = cap;
	}
	struct job *j = &p->j[p->n];
	memset(j, 0, sizeof *j);
	struct pk_buf name = PK_BUF_INIT;
	enum pk_status st = pk_buf_puts(&name, prefix[kind]);
	if (st == PK_OK && id)
		st = pk_all_name_part(&name, id);
	if (st == PK_OK && id2) {
		st = pk_buf_puts(&name, "-vs-");
		if (st == PK_OK)
			st = pk_all_name_part(&name, id2);
	}
	j->kind = kind;
	j->id = id ? strdup(id) : NULL;
	j->id2 = id2 ? strdup(id2) : NULL;
	j->name = st == PK_OK ? pk_buf_steal(&name) : NULL;
	pk_buf_free(&name);
	p->n++;   /* counted even when incomplete, so plan_free frees it */
	if (st == PK_OK && (!j->name || (id && !j->id) || (id2 && !j->id2)))
		st = PK_ERR_NOMEM;
	return st;
}

static enum pk_status add_ids(struct pk_db *db, struct plan *p, enum pk_all_kind kind)
{
	char **ids = NULL;
	size_t n = 0;
	enum pk_status st = pk_query_catalog_ids(db, inputs_of[kind], &ids, &n);
	for (size_t i = 0; i < n && st == PK_OK; i++)
		st = add(p, kind, ids[i], NULL);
	pk_catalog_ids_free(ids, n);
	return st;
}

/* Every report the database supports, in index order. */
static enum pk_status plan_reports(struct pk_db *db, struct plan *p)
{
	char **prof = NULL;
	size_t np = 0;
	enum pk_status st = pk_query_hw_profile_names(db, &prof, &np);
	if (st == PK_OK && np > 0)
		st = add(p, PK_ALL_REQUIREMENTS, NULL, NULL);
	for (size_t i = 1; i < np && st == PK_OK; i++)
		st = add(p, PK_ALL_COMPARE, prof[i - 1], prof[i]);
	for (size_t i = 0; i < np && st == PK_OK; i++)
		st = add(p, PK_ALL_THROTTLING, prof[i], NULL);
	pk_names_free(prof, np);
	if (st == PK_OK)
		st = add_ids(db, p, PK_ALL_EXPERIMENT);
	if (st == PK_OK)
		st = add_ids(db, p, PK_ALL_SESSION);
	if (st == PK_OK)
		st = add_ids(db, p, PK_ALL_SUITE);
	return st;
}

static uint64_t fold_str(uint64_t h, const char *s)
{
	uint64_t len = s ? strlen(s) : UINT64_MAX;   /* NULL differs from "" */
	if (s)
		h = pk_fnv1a(h, s, (size_t)len);
	return pk_fnv1a(h, &len, sizeof len);
}

/* What every report's output depends on besides its data. */
static uint64_t base_fingerprint(const struct pk_report_all_opts *o,
                                 const struct pk_templates *t)
{
	uint64_t h = fold_str(PK_FNV_INIT, "perfreport --all " PERFKIT_VERSION);
	int64_t v[3] = { PK_SCHEMA_VERSION, o->markdown, (int64_t)PK_ALL_HOURS };
	h = pk_fnv1a(h, v, sizeof v);
	h = fold_str(h, o->markdown ? NULL : t->html);
	return fold_str(h, o->markdown ? NULL : t->css);
}

/* Each job's fingerprint: base, kind, ids, the stored inputs (the
 * hardware inputs hashed once for all hardware reports). */
static enum pk_status fingerprints(struct pk_db *db, struct plan *p, uint64_t base)
{
	uint64_t hw = PK_FNV_INIT;
	int have_hw = 0;
	enum pk_status st = PK_OK;
	for (size_t i = 0; i < p->n && st == PK_OK; i++) {
		struct job *j = &p->j[i];
		uint64_t in = PK_FNV_INIT;
		enum pk_catalog_kind ck = inputs_of[j->kind];
		if (ck == PK_CATALOG_HARDWARE && !have_hw) {
			st = pk_query_catalog_inputs(db, ck, NULL, &hw);
			have_hw = 1;
		} else if (ck != PK_CATALOG_HARDWARE) {
			st = pk_query_catalog_inputs(db, ck, j->id, &in);
		}
		if (ck == PK_CATALOG_HARDWARE)
			in = hw;
		int64_t k = j->kind;
		uint64_t h = pk_fnv1a(base, &k, sizeof k);
		h = fold_str(fold_str(h, j->id), j->id2);
		j->fp = pk_fnv1a(h, &in, sizeof in);
	}
	return st;
}

/* Opens the database, plans, names and fingerprints the reports. */
static enum pk_status make_plan(const struct pk_report_all_opts *o, uint64_t base,
                                struct plan *p, struct pk_buf *err)
{
	struct pk_db *db = NULL;
	enum pk_status st = pk_db_open(pk_db_default_path(o->db_path), PK_DB_READONLY, &db, err);
	if (st == PK_OK)
		st = plan_reports(db, p);
	if (st == PK_OK)
		st = fingerprints(db, p, base);
	if (st == PK_ERR_DB && err->len == 0)
		pk_buf_printf(err, "database: %s", pk_db_errmsg(db));
	pk_db_close(&db);
	char **names = st == PK_OK ? malloc((p->n ? p->n : 1) * sizeof *names) : NULL;
	if (st == PK_OK && !names)
		st = PK_ERR_NOMEM;
	for (size_t i = 0; st == PK_OK && i < p->n; i++)
		names[i] = p->j[i].name;
	if (st == PK_OK)
		st = pk_all_names_unique(names, p->n);
	for (size_t i = 0; names && i < p->n; i++)
		p->j[i].name = names[i];
	free(names);
	const char *ext = o->markdown ? ".md" : ".html";
	for (size_t i = 0; st == PK_OK && i < p->n; i++) {
		size_t len = strlen(p->j[i].name) + strlen(ext) + 1;
		p->j[i].file = malloc(len);
		if (!p->j[i].file)
			st = PK_ERR_NOMEM;
		else
			snprintf(p->j[i].file, len, "%s%s", p->j[i].name, ext);
	}
	if (st == PK_ERR_NOMEM && err->len == 0)
		pk_buf_puts(err, "out of memory while planning the reports");
	return st;
}

/* Writes one report to path; its summary into j->summary. */
static enum pk_status run_job(const struct pk_report_all_opts *o, struct job *j,
                              const char *path, struct pk_buf *err)
{
	struct pk_buf *s = &j->summary;
	switch (j->kind) {
	case PK_ALL_REQUIREMENTS: {
		struct pk_req_opts q = { o->db_path, NULL, NULL, path, o->templates, s };
		return pk_report_requirements(&q, err);
	}
	case PK_ALL_COMPARE: {
		struct pk_report_opts q = { o->db_path, j->id, j->id2, PK_ALL_HOURS, INT64_MIN,
		                            path, o->templates, o->gnuplot, s };
		return pk_report_compare(&q, err);
	}
	case PK_ALL_THROTTLING: {
		struct pk_report_throttle_opts q = { o->db_path, j->id, PK_ALL_HOURS, INT64_MIN,
		                                     NAN, path, o->templates, o->gnuplot, s, 1 };
		return pk_report_throttle(&q, err);
	}
	case PK_ALL_EXPERIMENT: {
		const char *ids[1] = { j->id };
		struct pk_report_exp_opts q = { o->db_path, ids, 1, 0, path, o->templates,
		                                o->gnuplot, s };
		return pk_report_experiment(&q, err);
	}
	case PK_ALL_SESSION: {
		struct pk_report_session_opts q = { o->db_path, j->id, path, o->templates,
		                                    o->gnuplot, s };
		return pk_report_session(&q, err);
	}
	case PK_ALL_SUITE: {
		struct pk_report_regress_opts q = { o->db_path, j->id, path, o->templates,
		                                    o->gnuplot, s };
		return pk_report_regress(&q, err);
	}
	case PK_ALL_NKINDS:
		break;
	}
	return PK_USAGE;
}

static enum pk_status dir_path(const char *dir, const char *file, struct pk_buf *out)
{
	pk_buf_reset(out);
	return pk_buf_printf(out, "%s/%s", dir, file);
}

/* Keeps job j when the last run recorded the same fingerprint for its file
 * and the file is still there (or the last run found no data). */
static int keep_old(const struct job *j, const struct pk_all_state *old, size_t nold,
                    const char *path, struct pk_buf *summary)
{
	for (size_t i = 0; i < nold; i++) {
		if (strcmp(old[i].file, j->file) != 0 || old[i].fingerprint != j->fp)
			continue;
		struct stat sb;
		if (old[i].written && (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)))
			return 0;
		pk_buf_reset(summary);
		return pk_buf_puts(summary, old[i].summary) == PK_OK ? (old[i].written ? 1 : 2) : 0;
	}
	return 0;
}

/* Runs each job whose fingerprint changed; the log gets a line per job. */
static enum pk_status run_all(const struct pk_report_all_opts *o, struct plan *p,
                              const struct pk_all_state *old, size_t nold,
                              size_t count[3], struct pk_buf *err)
{
	struct pk_buf path = PK_BUF_INIT, why = PK_BUF_INIT;
	enum pk_status st = PK_OK;
	for (size_t i = 0; i < p->n && st == PK_OK; i++) {
		struct job *j = &p->j[i];
		st = dir_path(o->outdir, j->file, &path);
		if (st != PK_OK)
			break;
		int k = keep_old(j, old, nold, path.data, &j->summary);
		if (k) {
			j->kept = 1;
			j->written = k == 1;
		} else {
			pk_buf_reset(&j->summary);
			pk_buf_reset(&why);
			st = run_job(o, j, path.data, &why);
			j->written = st == PK_OK;
			if (st == PK_NODATA) {   /* listed with its reason; the rest go on */
				st = pk_buf_puts(&j->summary, why.data ? why.data : "no data");
			} else if (st != PK_OK) {
				pk_buf_puts(err, j->file);
				pk_buf_puts(err, ": ");
				pk_buf_append(err, why.data ? why.data : "", why.len);
				break;
			}
		}
		count[!j->written ? 2 : j->kept]++;
		if (o->log)
			pk_buf_printf(o->log, "%s %s%s%s\n",
			              !j->written ? "no report" : j->kept ? "kept" : "wrote", j->file,
			              j->written ? "" : ": ",
			              j->written || !j->summary.data ? "" : j->summary.data);
	}
	pk_buf_free(&path);
	pk_buf_free(&why);
	return st;
}

/* Writes the index page and the state file. */
static enum pk_status write_index(const struct pk_report_all_opts *o, const struct plan *p,
                                  struct pk_buf *err)
{
	struct pk_all_item *items = calloc(p->n ? p->n : 1, sizeof *items);
	struct pk_buf md = PK_BUF_INIT, state = PK_BUF_INIT, path = PK_BUF_INIT;
	struct pk_report_paths rp;
	memset(&rp, 0, sizeof rp);
	enum pk_status st = items ? PK_OK : PK_ERR_NOMEM;
	for (size_t i = 0; i < p->n && st == PK_OK; i++) {
		const struct job *j = &p->j[i];
		struct pk_all_item it = { j->kind, j->id, j->id2, j->file, j->fp, j->written,
		                          j->summary.data ? j->summary.data : "" };
		items[i] = it;
	}
	if (st == PK_OK)
		st = pk_all_index_md(items, p->n, pk_time_now_us(), &md);
	if (st == PK_OK)
		st = pk_all_state_text(items, p->n, &state);
	if (st == PK_OK)
		st = dir_path(o->outdir, o->markdown ? "index.md" : "index.html", &path);
	if (st == PK_OK)
		st = pk_report_paths(path.data, &rp, err);
	if (st == PK_OK) {
		struct pk_report_page pg = { "perfkit reports", &md, NULL, NULL, 0 };
		st = pk_report_emit(path.data, &rp, &pg, o->templates, o->gnuplot, err);
	}
	if (st == PK_OK)
		st = dir_path(o->outdir, PK_ALL_STATE, &path);
	if (st == PK_OK)
		st = pk_file_write(path.data, state.data, state.len, err);
	if (st == PK_OK && o->log)
		pk_buf_printf(o->log, "wrote %s\n", o->markdown ? "index.md" : "index.html");
	if (st == PK_ERR_NOMEM && err->len == 0)
		pk_buf_puts(err, "out of memory while writing the index");
	pk_report_paths_free(&rp);
	free(items);
	pk_buf_free(&md);
	pk_buf_free(&state);
	pk_buf_free(&path);
	return st;
}

enum pk_status pk_report_all(const struct pk_report_all_opts *o, struct pk_buf *err)
{
	if (!o || !o->outdir || !*o->outdir) {
		pk_buf_puts(err, "need --all --outdir DIR");
		return PK_USAGE;
	}
	struct stat sb;
	if (stat(o->outdir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		pk_buf_puts(err, "the output folder ");
		pk_buf_put_printable(err, o->outdir, strlen(o->outdir));
		pk_buf_puts(err, " does not exist (create it first)");
		return PK_ERR_IO;
	}
	struct pk_templates t = { NULL, NULL };
	struct plan p = { NULL, 0, 0 };
	struct pk_all_state *old = NULL;
	size_t nold = 0, count[3] = { 0, 0, 0 };
	struct pk_buf path = PK_BUF_INIT;
	enum pk_status st = o->markdown ? PK_OK : pk_templates_load(o->templates, &t, err);
	if (st == PK_OK)
		st = make_plan(o, base_fingerprint(o, &t), &p, err);
	if (st == PK_OK && p.n == 0) {
		pk_buf_puts(err, "the database holds nothing to report on (perfanalyze --list "
		                 "shows what it holds)");
		st = PK_NODATA;
	}
	if (st == PK_OK)
		st = dir_path(o->outdir, PK_ALL_STATE, &path);
	if (st == PK_OK)
		st = pk_all_state_read(path.data, &old, &nold, err);
	if (st == PK_OK)
		st = run_all(o, &p, old, nold, count, err);
	if (st == PK_OK)
		st = write_index(o, &p, err);
	if (st == PK_OK && o->log)
		pk_buf_printf(o->log, "%zu written, %zu kept (inputs unchanged), %zu without data\n",
		              count[0], count[1], count[2]);
	pk_buf_free(&path);
	pk_all_state_free(old, nold);
	plan_free(&p);
	pk_templates_free(&t);
	return st;
}
