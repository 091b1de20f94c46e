/* query_hw.c - the SQL behind query.h: profiles and hardware series. */
#include "query.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chunks.h"
#include "db_internal.h"
#include "metrics.h"
#include "query_gpu_sys.h"
#include "series_merge.h"

/* Adds the sample count and time range of one profile id to out (first_us
 * and last_us are only widened; samples 0 leaves them alone).  Reads no
 * samples: the time range comes from the two ends of hw_sample's primary
 * key, the count from the chunk index (hw_chunk.n) plus a count of rows for
 * the days marked dirty. */
static enum pk_status add_summary(struct pk_db *db, int64_t id, struct pk_profile_info *out)
{
	static const char *const sql[] = {
		"SELECT min(ts_us) FROM hw_sample WHERE profile_id = ?1",
		"SELECT max(ts_us) FROM hw_sample WHERE profile_id = ?1",
		("SELECT coalesce(sum(n), 0) FROM hw_chunk WHERE profile_id = ?1 AND day "
		 "NOT IN (SELECT day FROM hw_chunk_dirty WHERE profile_id = ?1)"),
		"SELECT day FROM hw_chunk_dirty WHERE profile_id = ?1",
	};
	int64_t v[3] = { 0 };
	int null_first = 1;
	int64_t *dirty = NULL;
	size_t ndirty = 0;
	enum pk_status rc = PK_OK;
	for (size_t i = 0; i < 4 && rc == PK_OK; i++) {
		sqlite3_stmt *q = NULL;
		if (sqlite3_prepare_v2(db->sql, sql[i], -1, &q, NULL) != SQLITE_OK)
			return PK_ERR_DB;
		sqlite3_bind_int64(q, 1, id);
		if (i == 3) {
			rc = pk_db_collect_ints(q, 1, &dirty, &ndirty);
		} else if (sqlite3_step(q) == SQLITE_ROW) {
			if (i == 0)
				null_first = sqlite3_column_type(q, 0) == SQLITE_NULL;
			v[i] = sqlite3_column_int64(q, 0);
		} else {
			rc = PK_ERR_DB;
		}
		sqlite3_finalize(q);
	}
	sqlite3_stmt *q = NULL;
	if (rc == PK_OK && ndirty && sqlite3_prepare_v2(db->sql, "SELECT count(*) FROM hw_sample "
	    "WHERE profile_id = ? AND ts_us BETWEEN ? AND ?", -1, &q, NULL) != SQLITE_OK)
		rc = PK_ERR_DB;
	for (size_t i = 0; i < ndirty && rc == PK_OK; i++) {
		int64_t lo, hi;
		pk_chunk_day_range(dirty[i], &lo, &hi);
		sqlite3_bind_int64(q, 1, id);
		sqlite3_bind_int64(q, 2, lo);
		sqlite3_bind_int64(q, 3, hi);
		if (sqlite3_step(q) == SQLITE_ROW)
			v[2] += sqlite3_column_int64(q, 0);
		else
			rc = PK_ERR_DB;
		sqlite3_reset(q);
	}
	sqlite3_finalize(q);
	free(dirty);
	if (rc != PK_OK || null_first)
		return rc;
	if (out->samples == 0 || v[0] < out->first_us)
		out->first_us = v[0];
	if (out->samples == 0 || v[1] > out->last_us)
		out->last_us = v[1];
	out->samples += v[2];
	return PK_OK;
}

enum pk_status pk_query_profiles(struct pk_db *db, struct pk_profile_info **out,
                                 size_t *n)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db->sql, "SELECT id, name FROM profile ORDER BY name",
	                       -1, &q, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	enum pk_status rc = PK_OK;
	size_t cap = 0;
	int r;
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		struct pk_profile_info pi = { 0 };
		rc = add_summary(db, sqlite3_column_int64(q, 0), &pi);
		if (rc != PK_OK)
			break;
		if (pi.samples == 0)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			struct pk_profile_info *p = realloc(*out, cap * sizeof *p);
			if (!p) {
				rc = PK_ERR_NOMEM;
				break;
			}
			*out = p;
		}
		pi.name = strdup((const char *)sqlite3_column_text(q, 1));
		if (!pi.name) {
			rc = PK_ERR_NOMEM;
			break;
		}
		(*out)[(*n)++] = pi;
	}
	if (rc == PK_OK && r != SQLITE_DONE)
		rc = PK_ERR_DB;
	sqlite3_finalize(q);
	if (rc != PK_OK) {
		pk_profile_infos_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

void pk_profile_infos_free(struct pk_profile_info *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(p[i].name);
	free(p);
}

static const char profile_ids_sql[] =
	"SELECT id FROM profile WHERE " PK_SQL_CANON("profile.name") " = "
	PK_SQL_CANON("?1") " ORDER BY id";

enum pk_status pk_profile_ids(struct pk_db *db, const char *name, int64_t **ids, size_t *n)
{
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db->sql, profile_ids_sql, -1, &q, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	enum pk_status rc = pk_db_collect_ints(q, 1, ids, n);
	sqlite3_finalize(q);
	return rc;
}

enum pk_status pk_query_profile(struct pk_db *db, const char *name,
                                struct pk_profile_info *out)
{
	*out = (struct pk_profile_info){ 0 };
	int64_t *ids = NULL;
	size_t nids = 0;
	enum pk_status rc = pk_profile_ids(db, name, &ids, &nids);
	for (size_t i = 0; i < nids && rc == PK_OK; i++)
		rc = add_summary(db, ids[i], out);
	free(ids);
	if (rc == PK_OK)
		rc = pk_gpu_sys_summary(db, name, out);
	if (rc == PK_OK && out->samples == 0)
		rc = PK_NODATA;
	return rc;
}

void pk_hw_series_free(struct pk_hw_series *s)
{
	if (s->v) {
		for (size_t m = 0; m < pk_hw_nmetrics; m++)
			free(s->v[m]);
		free(s->v);
	}
	free(s->ts_us);
	*s = (struct pk_hw_series){ 0 };
}

enum pk_status pk_series_reserve(struct pk_hw_series *s, size_t n)
{
	if (!s->v && !(s->v = calloc(pk_hw_nmetrics, sizeof *s->v)))
		return PK_ERR_NOMEM;
	if (n <= s->cap)
		return PK_OK;
	if (n > SIZE_MAX / 2 / sizeof(double))
		return PK_ERR_NOMEM;   /* no doubling past it, no overflowing sizes */
	size_t cap = s->cap ? s->cap : 1024;
	while (cap < n)
		cap *= 2;
	if (s->cap == 0 && n > 1024)
		cap = n;   /* a first reservation of a known size: exact */
	int64_t *ts = realloc(s->ts_us, cap * sizeof *ts);
	if (!ts)
		return PK_ERR_NOMEM;
	s->ts_us = ts;
	for (size_t m = 0; m < pk_hw_nmetrics; m++) {
		double *v = realloc(s->v[m], cap * sizeof *v);
		if (!v)
			return PK_ERR_NOMEM;
		s->v[m] = v;
	}
	s->cap = cap;
	return PK_OK;
}

enum pk_status pk_rows_read(struct pk_db *db, int64_t profile_id,
                            int64_t from_us, int64_t to_us, struct pk_hw_series *out)
{
	struct pk_buf sql = PK_BUF_INIT;
	enum pk_status rc = pk_buf_puts(&sql, "SELECT ts_us");
	for (size_t m = 0; m < pk_hw_nmetrics && rc == PK_OK; m++)
		rc = pk_buf_printf(&sql, ", %s", pk_hw_metrics[m].column);
	if (rc == PK_OK)
		rc = pk_buf_puts(&sql, " FROM hw_sample WHERE profile_id = ? "
		                 "AND ts_us BETWEEN ? AND ? ORDER BY ts_us");
	sqlite3_stmt *q = NULL;
	if (rc == PK_OK && sqlite3_prepare_v2(db->sql, sql.data, -1, &q, NULL) != SQLITE_OK)
		rc = PK_ERR_DB;
	pk_buf_free(&sql);
	if (rc != PK_OK)
		return rc;
	sqlite3_bind_int64(q, 1, profile_id);
	sqlite3_bind_int64(q, 2, from_us);
	sqlite3_bind_int64(q, 3, to_us);
	int r = SQLITE_DONE;
	while (rc == PK_OK && (r = sqlite3_step(q)) == SQLITE_ROW) {
		if ((rc = pk_series_reserve(out, out->n + 1)) != PK_OK)
			break;
		size_t i = out->n++;
		out->ts_us[i] = sqlite3_column_int64(q, 0);
		for (size_t m = 0; m < pk_hw_nmetrics; m++) {
			int c = (int)m + 1;
			out->v[m][i] = sqlite3_column_type(q, c) == SQLITE_NULL
			               ? NAN : sqlite3_column_double(q, c);
		}
	}
	if (rc == PK_OK && r != SQLITE_DONE)
		rc = PK_ERR_DB;
	sqlite3_finalize(q);
	return rc;
}

/* Appends to dst the samples of a and b merged in time order. */
static enum pk_status merge_series(const struct pk_hw_series *a, const struct pk_hw_series *b,
                                   struct pk_hw_series *dst)
{
	enum pk_status rc = pk_series_reserve(dst, a->n + b->n);
	size_t i = 0, j = 0;
	while (rc == PK_OK && (i < a->n || j < b->n)) {
		int from_a = j >= b->n || (i < a->n && a->ts_us[i] <= b->ts_us[j]);
		const struct pk_hw_series *s = from_a ? a : b;
		size_t k = from_a ? i++ : j++;
		dst->ts_us[dst->n] = s->ts_us[k];
		for (size_t m = 0; m < pk_hw_nmetrics; m++)
			dst->v[m][dst->n] = s->v[m][k];
		dst->n++;
	}
	return rc;
}

enum pk_status pk_query_hw_series(struct pk_db *db, const char *profile,
                                  int64_t from_us, int64_t to_us,
                                  struct pk_hw_series *out)
{
	*out = (struct pk_hw_series){ 0 };
	int64_t *ids;
	size_t nids;
	enum pk_status rc = pk_profile_ids(db, profile, &ids, &nids);
	if (rc == PK_OK)
		rc = pk_series_reserve(out, 0);
	for (size_t k = 0; k < nids && rc == PK_OK; k++) {
		if (k == 0) {
			rc = pk_chunks_read(db, ids[k], from_us, to_us, out);
			continue;
		}
		/* several names for one machine (aliases): merge in time order */
		struct pk_hw_series more = { 0 }, merged = { 0 };
		rc = pk_series_reserve(&more, 0);
		if (rc == PK_OK)
			rc = pk_chunks_read(db, ids[k], from_us, to_us, &more);
		if (rc == PK_OK)
			rc = merge_series(out, &more, &merged);
		pk_hw_series_free(&more);
		if (rc == PK_OK) {
			pk_hw_series_free(out);
			*out = merged;
		} else {
			pk_hw_series_free(&merged);
		}
	}
	free(ids);
	/* the same machine's nvidia-smi, sysstat and generic records, by
	 * time, for the metrics its F1 samples do not have in the window */
	struct pk_hw_series other = { 0 };
	if (rc == PK_OK)
		rc = pk_series_reserve(&other, 0);
	if (rc == PK_OK)
		rc = pk_gpu_sys_series(db, profile, from_us, to_us, &other);
	if (rc == PK_OK && other.n > 0 && out->n > 0)
		pk_series_keep_missing(out, &other);
	if (rc == PK_OK)
		rc = pk_series_absorb(out, &other);
	pk_hw_series_free(&other);
	if (rc != PK_OK)
		pk_hw_series_free(out);
	return rc;
}
