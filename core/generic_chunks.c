/* generic_chunks.c - the columnar copy of F8 generic records (see
 * generic_chunks.h and store.h): the generic_chunk kind of the columnar
 * engine (colstore.c), one chunk per (source, metric, UTC hour); an hour is
 * rebuilt from generic_record for every metric of its source. */
#include "generic_chunks.h"

#include <stdlib.h>
#include <string.h>

#include "colstore.h"
#include "store.h"

static const size_t one_value = 1;

static enum pk_status generic_rebuild(struct pk_db *db, const struct pk_col_key *owner,
                                      int64_t hour, int64_t lo, int64_t hi);
static void generic_damaged(struct pk_db *db, const struct pk_col_key *key, int64_t hour,
                            const char *why);

const struct pk_col_kind pk_generic_kind = {
	.module = { pk_colstore_make, pk_colstore_free },
	.table = "generic_chunk",
	.dirty_table = "generic_chunk_dirty",
	.owner_col = "source",
	.owner_text = 1,
	.series_col = "metric",
	.period_col = "hour",
	.period_us = PK_US_PER_HOUR_CHUNK,
	.nvals = &one_value,
	.open_max = 4096,
	.buffer_max = (size_t)1 << 19,       /* values: 8 MiB with their times */
	.on_write_sql = "INSERT OR IGNORE INTO generic_metric (source, metric) VALUES (?, ?)",
	.rebuild = generic_rebuild,
	.damaged = generic_damaged,
};

/* ---- rebuilding a hour from generic_record ---------------------------- */

struct metric_build {
	char *name;
	size_t len, n, cap;
	int64_t *ts;
	double *v;
};

struct hour_build {
	struct metric_build *m;
	size_t n, cap;
	int64_t ts;
};

static int build_add(void *ctx, const char *metric, size_t len, double v)
{
	struct hour_build *b = ctx;
	struct metric_build *a = NULL;
	for (size_t i = b->n; i-- > 0 && !a;)
		if (b->m[i].len == len && memcmp(b->m[i].name, metric, len) == 0)
			a = &b->m[i];
	if (!a) {
		if (b->n == b->cap) {
			size_t cap = b->cap ? b->cap * 2 : 16;
			struct metric_build *m = realloc(b->m, cap * sizeof *m);
			if (!m)
				return 1;
			b->m = m;
			b->cap = cap;
		}
		a = &b->m[b->n];
		*a = (struct metric_build){ .name = strndup(metric, len), .len = len };
		if (!a->name)
			return 1;
		b->n++;
	}
	if (a->n && a->ts[a->n - 1] == b->ts)
		return 0;               /* a repeated path: the first value stays */
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 64;
		int64_t *ts = realloc(a->ts, cap * sizeof *ts);
		if (ts)
			a->ts = ts;
		double *nv = ts ? realloc(a->v, cap * sizeof *nv) : NULL;
		if (!nv)
			return 1;
		a->v = nv;
		a->cap = cap;
	}
	a->ts[a->n] = b->ts;
	a->v[a->n++] = v;
	return 0;
}

static enum pk_status generic_rebuild(struct pk_db *db, const struct pk_col_key *owner,
                                      int64_t hour, int64_t lo, int64_t hi)
{
	struct hour_build b = { 0 };
	sqlite3_stmt *q = NULL;
	enum pk_status rc = PK_OK;
	if (sqlite3_prepare_v2(db->sql, "SELECT ts_us, record FROM generic_record WHERE "
	                       "source = ? AND ts_us BETWEEN ? AND ? ORDER BY ts_us",
	                       -1, &q, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	sqlite3_bind_text(q, 1, owner->text, (int)owner->text_len, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, lo);
	sqlite3_bind_int64(q, 3, hi);
	int r;
	while (rc == PK_OK && (r = sqlite3_step(q)) == SQLITE_ROW) {
		b.ts = sqlite3_column_int64(q, 0);
		const char *rec = (const char *)sqlite3_column_text(q, 1);
		if (rec)
			rc = pk_generic_extract(rec, (size_t)sqlite3_column_bytes(q, 1), build_add, &b);
	}
	if (rc == PK_OK && r != SQLITE_DONE)
		rc = PK_ERR_DB;
	sqlite3_finalize(q);
	for (size_t i = 0; i < b.n; i++) {
		struct pk_col_key key = *owner;
		key.series = b.m[i].name;
		key.series_len = b.m[i].len;
		if (rc == PK_OK)
			rc = pk_colstore_write(db, &pk_generic_kind, &key, hour, b.m[i].n, b.m[i].ts,
			                       b.m[i].v);
		free(b.m[i].name);
		free(b.m[i].ts);
		free(b.m[i].v);
	}
	free(b.m);
	return rc;
}

static void generic_damaged(struct pk_db *db, const struct pk_col_key *key, int64_t hour,
                            const char *why)
{
	pk_db_set_damage(db, "%s: generic_chunk row (source %.*s, metric %.*s, hour %lld) is "
	                 "damaged: %s; have it rebuilt by adding (source, hour) to "
	                 "generic_chunk_dirty", db->path, (int)key->text_len, key->text,
	                 (int)key->series_len, key->series, (long long)hour, why);
}

/* ---- the writer (store.h) --------------------------------------------- */

enum pk_status pk_store_generic_add(struct pk_db *db, const char *source, size_t source_len,
                                    int64_t ts_us, const struct pk_generic_value *vals,
                                    size_t n)
{
	struct pk_col_buffer *b = pk_colstore_buffer(db, &pk_generic_kind);
	if (!b)
		return PK_ERR_NOMEM;
	struct pk_col_key key = { .text = source, .text_len = source_len };
	int64_t hour = pk_col_period(ts_us, PK_US_PER_HOUR_CHUNK);
	enum pk_status rc = PK_OK;
	for (size_t i = 0; i < n && rc == PK_OK; i++) {
		key.series = vals[i].metric;
		key.series_len = vals[i].len;
		rc = pk_colstore_add_at(db, &pk_generic_kind, b, &key, hour, ts_us, &vals[i].v);
	}
	return rc;
}

enum pk_status pk_store_generic_flush(struct pk_db *db)
{
	return pk_colstore_flush(db, &pk_generic_kind);
}

void pk_store_generic_discard(struct pk_db *db)
{
	pk_colstore_discard(db, &pk_generic_kind);
}

enum pk_status pk_store_generic_repair(struct pk_db *db, int64_t *hours)
{
	return pk_colstore_repair(db, &pk_generic_kind, hours);
}
