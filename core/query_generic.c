/* query_generic.c - reading F8 generic metrics (pk_query_generic_series):
 * from generic_chunk, and from generic_record's JSON for hours changed by
 * other tools (generic_chunk_dirty), by the rule of pk_generic_extract
 * (generic_rule.c). */
#include "generic_chunks.h"

#include <stdlib.h>
#include <string.h>

#include "chunk_check.h"
#include "chunks.h"

static enum pk_status reserve(struct pk_generic_series *s, size_t n)
{
	if (n <= s->cap)
		return PK_OK;
	if (n > SIZE_MAX / 2 / sizeof(double))
		return PK_ERR_NOMEM;   /* no doubling past it, no overflowing sizes */
	size_t cap = s->cap ? s->cap : 256;
	while (cap < n)
		cap *= 2;
	int64_t *ts = realloc(s->ts_us, cap * sizeof *ts);
	if (ts)
		s->ts_us = ts;
	double *v = ts ? realloc(s->v, cap * sizeof *v) : NULL;
	if (!v)
		return PK_ERR_NOMEM;
	s->v = v;
	s->cap = cap;
	return PK_OK;
}

struct one {
	const char *metric;
	size_t len;
	int64_t ts;
	struct pk_generic_series *s;
	int seen;                    /* the first value of a repeated path wins */
};

static int take_one(void *ctx, const char *metric, size_t len, double v)
{
	struct one *o = ctx;
	if (o->seen || len != o->len || memcmp(metric, o->metric, len) != 0)
		return 0;
	o->seen = 1;
	if (reserve(o->s, o->s->n + 1) != PK_OK)
		return 1;
	o->s->ts_us[o->s->n] = o->ts;
	o->s->v[o->s->n++] = v;
	return 0;
}

enum pk_status pk_generic_read_hour_rows(struct pk_db *db, const char *source,
                                        const char *metric, int64_t hour,
                                        int64_t from_us, int64_t to_us,
                                        struct pk_generic_series *s)
{
	int64_t lo, hi;
	pk_gchunk_hour_range(hour, &lo, &hi);
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db->sql, "SELECT ts_us, record FROM generic_record WHERE "
	                       "source = ? AND ts_us BETWEEN ? AND ? ORDER BY ts_us",
	                       -1, &q, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	sqlite3_bind_text(q, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, lo > from_us ? lo : from_us);
	sqlite3_bind_int64(q, 3, hi < to_us ? hi : to_us);
	enum pk_status rc = PK_OK;
	int r;
	while (rc == PK_OK && (r = sqlite3_step(q)) == SQLITE_ROW) {
		struct one o = { metric, strlen(metric), sqlite3_column_int64(q, 0), s, 0 };
		const char *rec = (const char *)sqlite3_column_text(q, 1);
		rc = pk_generic_extract(rec ? rec : "", rec ? (size_t)sqlite3_column_bytes(q, 1) : 0,
		                        take_one, &o);
	}
	if (rc == PK_OK && r != SQLITE_DONE)
		rc = PK_ERR_DB;
	sqlite3_finalize(q);
	return rc;
}

/* Appends the values of the chunk row at q (hour, n, ts, vals) in [from, to];
 * a damaged chunk is an error naming its row. */
static enum pk_status append_chunk(struct pk_db *db, sqlite3_stmt *q, const char *source,
                                   const char *metric, int64_t from, int64_t to,
                                   struct pk_generic_series *s)
{
	struct pk_chunk_blobs b;
	char why[160];
	if (pk_chunk_blobs_get(q, 1, 2, 3, 1, &b, why, sizeof why) != 0) {
		pk_db_set_damage(db, "%s: generic_chunk row (source %s, metric %s, hour %lld) is "
		                 "damaged: %s; have it rebuilt by adding (source, hour) to "
		                 "generic_chunk_dirty", db->path, source, metric,
		                 (long long)sqlite3_column_int64(q, 0), why);
		return PK_ERR_DB;
	}
	size_t n = b.n;
	const int64_t *ts = b.ts;
	const double *v = b.v;
	size_t i = 0, j = n;
	while (i < n && ts[i] < from)
		i++;
	while (j > i && ts[j - 1] > to)
		j--;
	if (j == i)
		return PK_OK;
	enum pk_status rc = reserve(s, s->n + (j - i));
	if (rc != PK_OK)
		return rc;
	memcpy(s->ts_us + s->n, ts + i, (j - i) * sizeof *ts);
	memcpy(s->v + s->n, v + i, (j - i) * sizeof *v);
	s->n += j - i;
	return PK_OK;
}

enum pk_status pk_query_generic_series(struct pk_db *db, const char *source,
                                       const char *metric, int64_t from_us,
                                       int64_t to_us, struct pk_generic_series *out)
{
	if (from_us > to_us)
		return PK_OK;
	int64_t d0 = pk_gchunk_hour(from_us), d1 = pk_gchunk_hour(to_us);
	sqlite3_stmt *q = NULL;
	int64_t *dirty = NULL;
	size_t ndirty = 0;
	if (sqlite3_prepare_v2(db->sql, "SELECT hour FROM generic_chunk_dirty WHERE source = ? "
	                       "AND hour BETWEEN ? AND ? ORDER BY hour", -1, &q, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	sqlite3_bind_text(q, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, d0);
	sqlite3_bind_int64(q, 3, d1);
	enum pk_status rc = pk_db_collect_ints(q, 1, &dirty, &ndirty);
	sqlite3_finalize(q);
	q = NULL;
	if (rc == PK_OK && sqlite3_prepare_v2(db->sql, "SELECT hour, n, ts, vals FROM generic_chunk "
	    "WHERE source = ? AND metric = ? AND hour BETWEEN ? AND ? ORDER BY hour",
	    -1, &q, NULL) != SQLITE_OK)
		rc = PK_ERR_DB;
	if (rc == PK_OK) {
		sqlite3_bind_text(q, 1, source, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, metric, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 3, d0);
		sqlite3_bind_int64(q, 4, d1);
	}
	size_t k = 0;   /* next dirty hour to read */
	int r = SQLITE_DONE;
	while (rc == PK_OK && (r = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t hour = sqlite3_column_int64(q, 0);
		for (; k < ndirty && dirty[k] < hour && rc == PK_OK; k++)
			rc = pk_generic_read_hour_rows(db, source, metric, dirty[k], from_us, to_us, out);
		if (rc != PK_OK || (k < ndirty && dirty[k] == hour))
			continue;   /* read with the dirty hours */
		rc = append_chunk(db, q, source, metric, from_us, to_us, out);
	}
	if (rc == PK_OK && r != SQLITE_DONE)
		rc = PK_ERR_DB;
	for (; k < ndirty && rc == PK_OK; k++)
		rc = pk_generic_read_hour_rows(db, source, metric, dirty[k], from_us, to_us, out);
	sqlite3_finalize(q);
	free(dirty);
	return rc;
}

void pk_generic_series_free(struct pk_generic_series *s)
{
	free(s->ts_us);
	free(s->v);
	*s = (struct pk_generic_series){ 0 };
}
