/* query_hw_sources.c - the SQL behind query_hw_sources.h: a series' source
 * files by bisecting look-ups of single rows, with an exact scan fallback. */
#include "query_hw_sources.h"

#include <stdlib.h>

#include "db_internal.h"
#include "query_generic_hw.h"
#include "query_gpu_sys.h"
#include "query_profile.h"

static const char probe_sql[] =
	"SELECT source_id FROM hw_sample WHERE profile_id = ?1 AND ts_us = ?2";

/* The files of the same machine's nvidia-smi and sysstat rows in the window
 * (few rows a file: read, not probed). */
static const char gpu_sys_files_sql[] =
	"WITH " PK_MACHINE_NAMES_CTE ", " PK_GENERIC_HW_SOURCES_CTE
	"SELECT DISTINCT source_id FROM gpu_sample WHERE profile IN (SELECT n FROM names) "
	"AND ts_us BETWEEN ?2 AND ?3 UNION SELECT DISTINCT source_id FROM sys_sample "
	"WHERE profile IN (SELECT n FROM names) AND ts_us BETWEEN ?2 AND ?3 "
	"UNION SELECT DISTINCT source_id FROM generic_record WHERE source IN (SELECT s FROM g) "
	"AND ts_us BETWEEN ?2 AND ?3";

static const char file_sql[] =
	"SELECT read_lines, (SELECT count(*) FROM reject r WHERE r.source_id = ?1) "
	"FROM source_file WHERE id = ?1";

struct probe {
	sqlite3_stmt *q;
	const int64_t *ids;
	size_t nids;
	const int64_t *ts;
	size_t probes;
	int64_t *src;          /* distinct source ids found */
	size_t nsrc, cap;
};

/* Remembers source id; -1 (no row) is not a file. */
static enum pk_status remember(struct probe *p, int64_t id)
{
	if (id < 0)
		return PK_OK;
	for (size_t i = 0; i < p->nsrc; i++)
		if (p->src[i] == id)
			return PK_OK;
	if (p->nsrc == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 8;
		int64_t *a = realloc(p->src, cap * sizeof *a);
		if (!a)
			return PK_ERR_NOMEM;
		p->src = a;
		p->cap = cap;
	}
	p->src[p->nsrc++] = id;
	return PK_OK;
}

/* The source of the sample at ts[i] (the first profile id holding a row
 * there), -1 when none; remembered.  PK_NODATA when out of probes. */
static enum pk_status source_at(struct probe *p, size_t i, int64_t *out)
{
	if (p->probes >= PK_HW_SOURCES_PROBES)
		return PK_NODATA;
	p->probes++;
	*out = -1;
	for (size_t k = 0; k < p->nids && *out < 0; k++) {
		sqlite3_reset(p->q);
		sqlite3_bind_int64(p->q, 1, p->ids[k]);
		sqlite3_bind_int64(p->q, 2, p->ts[i]);
		int r = sqlite3_step(p->q);
		if (r == SQLITE_ROW)
			*out = sqlite3_column_int64(p->q, 0);
		else if (r != SQLITE_DONE)
			return PK_ERR_DB;
	}
	sqlite3_reset(p->q);
	return remember(p, *out);
}

/* Samples i < j with known sources si, sj: the stretch between them. */
static enum pk_status bisect(struct probe *p, size_t i, int64_t si, size_t j, int64_t sj)
{
	while (j - i >= 2 && si != sj) {
		size_t m = i + (j - i) / 2;
		int64_t sm;
		enum pk_status rc = source_at(p, m, &sm);
		if (rc == PK_OK)
			rc = bisect(p, i, si, m, sm);
		if (rc != PK_OK)
			return rc;
		i = m;         /* the right half, iteratively */
		si = sm;
	}
	return PK_OK;
}

/* Remembers the files of the machine's gpu_sample and sys_sample rows. */
static enum pk_status add_gpu_sys_files(struct pk_db *db, const char *profile,
                                        int64_t from_us, int64_t to_us, struct probe *p)
{
	struct pk_buf reg = PK_BUF_INIT;
	sqlite3_stmt *q = NULL;
	enum pk_status rc = pk_registry_names_json(&reg);
	if (rc == PK_OK && sqlite3_prepare_v2(db->sql, gpu_sys_files_sql, -1, &q, NULL) != SQLITE_OK)
		rc = PK_ERR_DB;
	if (rc != PK_OK) {
		pk_buf_free(&reg);
		return rc;
	}
	sqlite3_bind_text(q, 1, profile, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, from_us);
	sqlite3_bind_int64(q, 3, to_us);
	sqlite3_bind_text(q, 4, reg.data, (int)reg.len, SQLITE_STATIC);
	int64_t *ids = NULL;
	size_t n = 0;
	rc = pk_db_collect_ints(q, 1, &ids, &n);
	sqlite3_finalize(q);
	pk_buf_free(&reg);
	for (size_t i = 0; i < n && rc == PK_OK; i++)
		rc = remember(p, ids[i]);
	free(ids);
	return rc;
}

/* Adds the lines read and rejects of the files found. */
static enum pk_status add_files(struct pk_db *db, const struct probe *p,
                                struct pk_hw_source_totals *out)
{
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db->sql, file_sql, -1, &q, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	enum pk_status rc = PK_OK;
	for (size_t i = 0; i < p->nsrc && rc == PK_OK; i++) {
		sqlite3_reset(q);
		sqlite3_bind_int64(q, 1, p->src[i]);
		int r = sqlite3_step(q);
		if (r == SQLITE_ROW) {
			out->files++;
			out->lines_read += sqlite3_column_int64(q, 0);
			out->rejects += sqlite3_column_int64(q, 1);
		} else if (r != SQLITE_DONE) {
			rc = PK_ERR_DB;
		}
	}
	sqlite3_finalize(q);
	return rc;
}

/* The exact scan over the samples from ts first to last. */
static enum pk_status scan(struct pk_db *db, const char *profile, int64_t from_us,
                           int64_t to_us, struct pk_hw_source_totals *out)
{
	struct pk_profile_source *s = NULL;
	size_t n = 0;
	enum pk_status rc = pk_query_profile_sources(db, profile, from_us, to_us, &s, &n);
	if (rc != PK_OK)
		return rc;
	out->files = n;
	out->lines_read = out->rejects = 0;
	for (size_t i = 0; i < n; i++) {
		out->lines_read += s[i].lines_read;
		out->rejects += s[i].rejects;
	}
	out->scanned = 1;
	pk_profile_sources_free(s, n);
	return PK_OK;
}

enum pk_status pk_query_hw_sources(struct pk_db *db, const char *profile,
                                   const int64_t *ts, size_t n,
                                   struct pk_hw_source_totals *out)
{
	*out = (struct pk_hw_source_totals){ 0 };
	if (n == 0)
		return PK_OK;
	int64_t *ids = NULL;
	size_t nids = 0;
	enum pk_status rc = pk_profile_ids(db, profile, &ids, &nids);
	if (rc != PK_OK)
		return rc;
	struct probe p = { NULL, ids, nids, ts, 0, NULL, 0, 0 };
	if (sqlite3_prepare_v2(db->sql, probe_sql, -1, &p.q, NULL) != SQLITE_OK)
		rc = PK_ERR_DB;
	int64_t s0 = -1, s1 = -1;
	if (rc == PK_OK)
		rc = source_at(&p, 0, &s0);
	if (rc == PK_OK && n > 1)
		rc = source_at(&p, n - 1, &s1);
	if (rc == PK_OK && n > 1)
		rc = bisect(&p, 0, s0, n - 1, s1);
	sqlite3_finalize(p.q);
	out->probes = p.probes;
	if (rc == PK_OK)
		rc = add_gpu_sys_files(db, profile, ts[0], ts[n - 1], &p);
	if (rc == PK_OK)
		rc = add_files(db, &p, out);
	else if (rc == PK_NODATA)
		rc = scan(db, profile, ts[0], ts[n - 1], out);
	free(p.src);
	free(ids);
	return rc;
}
