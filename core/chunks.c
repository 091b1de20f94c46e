/* chunks.c - the columnar copy of hardware samples (see chunks.h): the
 * hw_chunk kind of the columnar engine (colstore.c), one chunk per
 * (profile, UTC day) with every registry metric, rebuilt from hw_sample. */
#include "chunks.h"

#include <stdlib.h>
#include <string.h>

#include "colstore.h"
#include "metrics.h"

/* Rebuilds the chunk of (profile, day) from hw_sample. */
static enum pk_status hw_rebuild(struct pk_db *db, const struct pk_col_key *owner,
                                 int64_t day, int64_t lo, int64_t hi);
static void hw_damaged(struct pk_db *db, const struct pk_col_key *key, int64_t day,
                       const char *why);

static const struct pk_col_kind hw_kind = {
	.module = { pk_colstore_make, pk_colstore_free },
	.table = "hw_chunk",
	.dirty_table = "hw_chunk_dirty",
	.owner_col = "profile_id",
	.period_col = "day",
	.period_us = PK_US_PER_DAY,
	.nvals_col = "nmetrics",
	.nvals = &pk_hw_nmetrics,
	/* minute samples: 4 days (each written once, whole); second samples:
	 * a fifth of a day */
	.open_max = 4,
	.buffer_max = 16384,
	.rebuild = hw_rebuild,
	.damaged = hw_damaged,
};

void pk_chunk_day_range(int64_t d, int64_t *lo, int64_t *hi)
{
	pk_col_period_range(d, PK_US_PER_DAY, lo, hi);
}

static enum pk_status hw_rebuild(struct pk_db *db, const struct pk_col_key *owner,
                                 int64_t day, int64_t lo, int64_t hi)
{
	struct pk_hw_series s = { 0 };
	enum pk_status rc = pk_rows_read(db, owner->id, lo, hi, &s);
	double *vals = NULL;
	if (rc == PK_OK && s.n) {
		vals = malloc(s.n * pk_hw_nmetrics * sizeof *vals);
		if (!vals)
			rc = PK_ERR_NOMEM;
		for (size_t m = 0; vals && m < pk_hw_nmetrics; m++)
			memcpy(vals + m * s.n, s.v[m], s.n * sizeof *vals);
	}
	if (rc == PK_OK)
		rc = pk_colstore_write(db, &hw_kind, owner, day, s.n, s.ts_us, vals);
	free(vals);
	pk_hw_series_free(&s);
	return rc;
}

static void hw_damaged(struct pk_db *db, const struct pk_col_key *key, int64_t day,
                       const char *why)
{
	pk_db_set_damage(db, "%s: hw_chunk row (profile_id %lld, day %lld) is damaged: %s; "
	                 "have it rebuilt from hw_sample with: sqlite3 %s "
	                 "'INSERT INTO hw_chunk_dirty VALUES (%lld, %lld)'",
	                 db->path, (long long)key->id, (long long)day, why,
	                 db->path, (long long)key->id, (long long)day);
}

enum pk_status pk_chunks_begin(struct pk_db *db)
{
	return pk_colstore_writer_begin(db);
}

enum pk_status pk_chunks_add(struct pk_db *db, int64_t profile_id, int64_t ts_us,
                             const double *v)
{
	struct pk_col_key key = { .id = profile_id };
	return pk_colstore_add(db, &hw_kind, &key, ts_us, v);
}

enum pk_status pk_chunks_flush(struct pk_db *db)
{
	enum pk_status rc = pk_colstore_flush(db, &hw_kind);
	enum pk_status off = pk_colstore_writer_end(db);
	return rc != PK_OK ? rc : off;
}

void pk_chunks_discard(struct pk_db *db)
{
	pk_colstore_discard(db, &hw_kind);
}

void pk_chunks_part_begin(struct pk_db *db)
{
	pk_colstore_part_begin(db, &hw_kind);
}

enum pk_status pk_chunks_part_rollback(struct pk_db *db)
{
	return pk_colstore_part_rollback(db, &hw_kind);
}

enum pk_status pk_chunks_repair(struct pk_db *db)
{
	return pk_colstore_repair(db, &hw_kind, NULL);
}

/* Reading: the engine's sink over a pk_hw_series. */
struct hw_read {
	struct pk_db *db;
	int64_t profile_id;
	struct pk_hw_series *s;
};

static enum pk_status hw_reserve(void *ctx, size_t more)
{
	struct hw_read *r = ctx;
	return pk_series_reserve(r->s, r->s->n + more);
}

static enum pk_status hw_append(void *ctx, size_t n, const int64_t *ts, const double *vals,
                                size_t stride)
{
	struct pk_hw_series *s = ((struct hw_read *)ctx)->s;
	enum pk_status rc = pk_series_reserve(s, s->n + n);
	if (rc != PK_OK)
		return rc;
	memcpy(s->ts_us + s->n, ts, n * sizeof *ts);
	for (size_t m = 0; m < pk_hw_nmetrics; m++)
		memcpy(s->v[m] + s->n, vals + m * stride, n * sizeof *vals);
	s->n += n;
	return PK_OK;
}

static enum pk_status hw_rows(void *ctx, int64_t from_us, int64_t to_us)
{
	struct hw_read *r = ctx;
	return pk_rows_read(r->db, r->profile_id, from_us, to_us, r->s);
}

enum pk_status pk_chunks_read(struct pk_db *db, int64_t profile_id,
                              int64_t from_us, int64_t to_us,
                              struct pk_hw_series *s)
{
	struct hw_read r = { db, profile_id, s };
	struct pk_col_sink sink = { &r, hw_reserve, hw_append, hw_rows };
	struct pk_col_key key = { .id = profile_id };
	return pk_colstore_read(db, &hw_kind, &key, from_us, to_us, &sink);
}
