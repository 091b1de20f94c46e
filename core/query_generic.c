/* query_generic.c - reading F8 generic metrics (pk_query_generic_series):
 * from generic_chunk, and from generic_record's JSON for hours changed by
 * other tools (generic_chunk_dirty); and the rule that turns a stored record
 * into metric values (pk_generic_extract), shared with the chunk rebuild. */
#include "generic_chunks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "buf.h"
#include "chunk_check.h"
#include "chunks.h"
#include "number.h"
#include "utf8.h"

#define MAX_DEPTH 64
#define METRIC_MAX 1024
#define NTIME_KEYS 5

/* as ingest/readers/read_generic.c: the record's time is the first present key */
static const char *const time_keys[NTIME_KEYS] = {
	"timestamp", "time", "ts", "iso_ts", "datetime"
};

struct found {
	size_t off, len;             /* of its path in names */
	double v;
	int is_string;               /* a top-level string (CSV shape) */
};

struct ex {
	struct pk_buf path, names;
	size_t pathlen[MAX_DEPTH + 2];
	unsigned char is_array[MAX_DEPTH + 2];
	size_t index[MAX_DEPTH + 2];
	int depth;
	int time_prio;               /* best top-level time key, NTIME_KEYS: none */
	int csv_shape;               /* every top-level value so far is a string */
	struct found *f;
	size_t nf, cap;
	int nomem;
};

static int metric_name_ok(const char *p, size_t n)
{
	return n > 0 && n <= METRIC_MAX && !pk_utf8_has_control(p, n);
}

static int keep(struct ex *e, double v, int is_string)
{
	if (!metric_name_ok(e->path.data, e->path.len))
		return 1;
	if (e->nf == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 32;
		struct found *f = realloc(e->f, cap * sizeof *f);
		if (!f)
			return !(e->nomem = 1);
		e->f = f;
		e->cap = cap;
	}
	e->f[e->nf] = (struct found){ e->names.len, e->path.len, v, is_string };
	if (pk_buf_append(&e->names, e->path.data, e->path.len) != PK_OK)
		return !(e->nomem = 1);
	e->nf++;
	return 1;
}

/* The path of the value now starting (array elements: parent.INDEX). */
static int value_start(struct ex *e)
{
	if (e->depth > 0 && e->is_array[e->depth]) {
		char num[24];
		int len = snprintf(num, sizeof num, ".%zu", e->index[e->depth]++);
		e->path.len = e->pathlen[e->depth];
		if (pk_buf_append(&e->path, num, (size_t)len) != PK_OK)
			return !(e->nomem = 1);
	}
	if (e->depth != 1 || e->is_array[1])
		e->csv_shape = 0;
	return 1;
}

static int x_other(void *ctx)
{
	struct ex *e = ctx;
	e->csv_shape = 0;
	return value_start(e);
}

static int x_bool(void *ctx, int b)
{
	(void)b;
	return x_other(ctx);
}

static int x_number(void *ctx, const char *s, size_t n)
{
	struct ex *e = ctx;
	e->csv_shape = 0;
	double v;
	if (!value_start(e))
		return 0;
	return pk_parse_double(s, n, &v) != 0 || keep(e, v, 0);
}

static int x_string(void *ctx, const unsigned char *s, size_t n)
{
	struct ex *e = ctx;
	double v;
	if (!value_start(e))
		return 0;
	if (e->depth != 1 || !e->csv_shape || n == 0 || pk_parse_double((const char *)s, n, &v) != 0)
		return 1;
	return keep(e, v, 1);
}

static int x_start(struct ex *e, int is_array)
{
	if (e->depth && (e->csv_shape = 0, !value_start(e)))
		return 0;
	if (e->depth > MAX_DEPTH)
		return 0;
	e->depth++;
	e->pathlen[e->depth] = e->path.len;
	e->is_array[e->depth] = (unsigned char)is_array;
	e->index[e->depth] = 0;
	return 1;
}

static int x_start_map(void *ctx) { return x_start(ctx, 0); }
static int x_start_array(void *ctx) { return x_start(ctx, 1); }

static int x_end(void *ctx)
{
	struct ex *e = ctx;
	e->path.len = e->pathlen[e->depth];
	e->depth--;
	return 1;
}

static int x_key(void *ctx, const unsigned char *s, size_t n)
{
	struct ex *e = ctx;
	e->path.len = e->pathlen[e->depth];
	if (e->path.len && pk_buf_putc(&e->path, '.') != PK_OK)
		return !(e->nomem = 1);
	if (pk_buf_append(&e->path, s, n) != PK_OK)
		return !(e->nomem = 1);
	if (e->depth == 1)
		for (int k = 0; k < e->time_prio; k++)
			if (strlen(time_keys[k]) == n && memcmp(time_keys[k], s, n) == 0)
				e->time_prio = k;
	return 1;
}

static const yajl_callbacks x_callbacks = {
	x_other, x_bool, NULL, NULL, x_number, x_string,
	x_start_map, x_key, x_end, x_start_array, x_end
};

enum pk_status pk_generic_extract(const char *json, size_t n, pk_generic_metric_fn fn,
                                  void *ctx)
{
	struct ex e = { .path = PK_BUF_INIT, .names = PK_BUF_INIT, .time_prio = NTIME_KEYS,
	                .csv_shape = 1 };
	yajl_handle h = yajl_alloc(&x_callbacks, NULL, &e);
	if (!h)
		return PK_ERR_NOMEM;
	yajl_status s = yajl_parse(h, (const unsigned char *)json, n);
	if (s == yajl_status_ok)
		s = yajl_complete_parse(h);
	yajl_free(h);
	enum pk_status rc = e.nomem ? PK_ERR_NOMEM : PK_OK;
	/* a record perfkit did not write (not JSON): no values */
	const char *skip = e.time_prio < NTIME_KEYS ? time_keys[e.time_prio] : NULL;
	size_t skip_len = skip ? strlen(skip) : 0;
	for (size_t i = 0; rc == PK_OK && s == yajl_status_ok && i < e.nf; i++) {
		const struct found *f = &e.f[i];
		const char *name = e.names.data + f->off;
		if (f->is_string && !e.csv_shape)
			continue;
		if (skip && f->len == skip_len && memcmp(name, skip, skip_len) == 0)
			continue;
		if (fn(ctx, name, f->len, f->v))
			rc = PK_ERR_NOMEM;
	}
	pk_buf_free(&e.path);
	pk_buf_free(&e.names);
	free(e.f);
	return rc;
}

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
