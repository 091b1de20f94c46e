/* query_generic.c - reading F8 generic metrics (pk_query_generic_series)
 * through the columnar engine: from generic_chunk, and from generic_record's
 * JSON for hours changed by other tools (generic_chunk_dirty), by the rule
 * of pk_generic_extract (generic_rule.c). */
#include "generic_chunks.h"

#include <stdlib.h>
#include <string.h>

#include "query.h"

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

/* Reading: the engine's sink over a pk_generic_series. */
struct generic_read {
	struct pk_db *db;
	const char *source, *metric;
	struct pk_generic_series *s;
};

static enum pk_status generic_reserve(void *ctx, size_t more)
{
	struct pk_generic_series *s = ((struct generic_read *)ctx)->s;
	return reserve(s, s->n + more);
}

static enum pk_status generic_append(void *ctx, size_t n, const int64_t *ts,
                                     const double *vals, size_t stride)
{
	(void)stride;   /* one value per sample */
	struct pk_generic_series *s = ((struct generic_read *)ctx)->s;
	enum pk_status rc = reserve(s, s->n + n);
	if (rc != PK_OK)
		return rc;
	memcpy(s->ts_us + s->n, ts, n * sizeof *ts);
	memcpy(s->v + s->n, vals, n * sizeof *vals);
	s->n += n;
	return PK_OK;
}

/* The metric's values in generic_record's rows of [from_us, to_us]. */
static enum pk_status generic_rows(void *ctx, int64_t from_us, int64_t to_us)
{
	struct generic_read *g = ctx;
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(g->db->sql, "SELECT ts_us, record FROM generic_record WHERE "
	                       "source = ? AND ts_us BETWEEN ? AND ? ORDER BY ts_us",
	                       -1, &q, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	sqlite3_bind_text(q, 1, g->source, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, from_us);
	sqlite3_bind_int64(q, 3, to_us);
	enum pk_status rc = PK_OK;
	int r;
	while (rc == PK_OK && (r = sqlite3_step(q)) == SQLITE_ROW) {
		struct one o = { g->metric, strlen(g->metric), sqlite3_column_int64(q, 0), g->s, 0 };
		const char *rec = (const char *)sqlite3_column_text(q, 1);
		rc = pk_generic_extract(rec ? rec : "", rec ? (size_t)sqlite3_column_bytes(q, 1) : 0,
		                        take_one, &o);
	}
	if (rc == PK_OK && r != SQLITE_DONE)
		rc = PK_ERR_DB;
	sqlite3_finalize(q);
	return rc;
}

enum pk_status pk_query_generic_series(struct pk_db *db, const char *source,
                                       const char *metric, int64_t from_us,
                                       int64_t to_us, struct pk_generic_series *out)
{
	struct generic_read g = { db, source, metric, out };
	struct pk_col_sink sink = { &g, generic_reserve, generic_append, generic_rows };
	struct pk_col_key key = { .text = source, .text_len = strlen(source),
	                          .series = metric, .series_len = strlen(metric) };
	return pk_colstore_read(db, &pk_generic_kind, &key, from_us, to_us, &sink);
}

void pk_generic_series_free(struct pk_generic_series *s)
{
	free(s->ts_us);
	free(s->v);
	*s = (struct pk_generic_series){ 0 };
}
