/* generic_chunks.c - writing the columnar copy of F8 generic records (see
 * generic_chunks.h and store.h).  The writer's buffer holds one accumulator
 * per (source, metric, UTC hour), found through a hash table; when it holds
 * more than OPEN_MAX accumulators or BUFFER_MAX values, and at the end of a
 * file, every accumulator is merged in time order with its stored chunk.  A
 * hour marked dirty (changed by other means than perfingest) is instead
 * rebuilt whole from generic_record, for every metric of its source. */
#include "generic_chunks.h"

#include <stdlib.h>
#include <string.h>

#include "chunk_check.h"
#include "chunks.h"
#include "store.h"

#define OPEN_MAX 4096                     /* accumulators */
#define BUFFER_MAX ((size_t)1 << 19)      /* values: 8 MiB with their times */
#define SLOTS (2 * OPEN_MAX)              /* hash table size, a power of 2 */

struct gacc {
	char *key;                   /* source \0 metric \0 */
	size_t slen, mlen;
	int64_t hour;
	size_t n, cap;
	int64_t *ts;
	double *v;
	int unsorted;
};

struct pk_gchunks {
	struct gacc a[OPEN_MAX];
	size_t nopen, buffered;
	int32_t slot[SLOTS];         /* index + 1 into a, 0: free */
	sqlite3_stmt *chunk_get, *chunk_put, *chunk_del, *dirty_get, *dirty_del, *metric_put;
};

static uint64_t key_hash(const char *s, size_t sn, const char *m, size_t mn, int64_t hour)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < sn; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	h = (h ^ 0xff) * 1099511628211ULL;
	for (size_t i = 0; i < mn; i++)
		h = (h ^ (unsigned char)m[i]) * 1099511628211ULL;
	return (h ^ (uint64_t)hour) * 1099511628211ULL;
}


static void drop_all(struct pk_gchunks *g)
{
	for (size_t i = 0; i < g->nopen; i++) {
		free(g->a[i].key);
		free(g->a[i].ts);
		free(g->a[i].v);
		g->a[i] = (struct gacc){ 0 };
	}
	g->nopen = g->buffered = 0;
	memset(g->slot, 0, sizeof g->slot);
}

static void *gchunks_make(void)
{
	return calloc(1, sizeof(struct pk_gchunks));
}

static void gchunks_free(void *state)
{
	drop_all(state);
	free(state);
}

/* This connection's buffer and statements (the statements are the handle's). */
static const struct pk_db_module gchunks_module = { gchunks_make, gchunks_free };

static struct pk_gchunks *get(struct pk_db *db)
{
	return pk_db_state(db, &gchunks_module);
}

static enum pk_status step_done(sqlite3_stmt *q)
{
	int r = sqlite3_step(q);
	sqlite3_reset(q);
	return r == SQLITE_DONE ? PK_OK : PK_ERR_DB;
}

static void bind_key(sqlite3_stmt *q, const char *source, const char *metric, int64_t hour)
{
	int i = 1;
	sqlite3_bind_text(q, i++, source, -1, SQLITE_STATIC);
	if (metric)
		sqlite3_bind_text(q, i++, metric, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, i, hour);
}

/* Stores the n values of (source, metric, hour), or deletes the chunk when n
 * is 0, and registers the metric. */
static enum pk_status write_chunk(struct pk_db *db, struct pk_gchunks *g, const char *source,
                                  const char *metric, int64_t hour, size_t n,
                                  const int64_t *ts, const double *v)
{
	enum pk_status rc;
	if (n == 0) {
		rc = pk_db_prepare(db, &g->chunk_del, "DELETE FROM generic_chunk "
		                   "WHERE source = ? AND metric = ? AND hour = ?");
		if (rc == PK_OK) {
			bind_key(g->chunk_del, source, metric, hour);
			rc = step_done(g->chunk_del);
		}
		return rc;
	}
	rc = pk_db_prepare(db, &g->chunk_put, "INSERT OR REPLACE INTO generic_chunk "
	                   "(source, metric, hour, n, ts, vals) VALUES (?,?,?,?,?,?)");
	if (rc != PK_OK)
		return rc;
	sqlite3_stmt *q = g->chunk_put;
	bind_key(q, source, metric, hour);
	sqlite3_bind_int64(q, 4, (int64_t)n);
	sqlite3_bind_blob64(q, 5, ts, n * sizeof *ts, SQLITE_STATIC);
	sqlite3_bind_blob64(q, 6, v, n * sizeof *v, SQLITE_STATIC);
	if ((rc = step_done(q)) != PK_OK)
		return rc;
	rc = pk_db_prepare(db, &g->metric_put, "INSERT OR IGNORE INTO generic_metric "
	                   "(source, metric) VALUES (?, ?)");
	if (rc != PK_OK)
		return rc;
	sqlite3_bind_text(g->metric_put, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(g->metric_put, 2, metric, -1, SQLITE_STATIC);
	return step_done(g->metric_put);
}

/* ---- rebuilding a hour from generic_record ---------------------------- */

struct hour_build {
	struct gacc *m;              /* one per metric: key is the metric only */
	size_t n, cap;
	int64_t ts;
	int nomem;
};

static int build_add(void *ctx, const char *metric, size_t len, double v)
{
	struct hour_build *b = ctx;
	struct gacc *a = NULL;
	for (size_t i = b->n; i-- > 0 && !a;)
		if (b->m[i].mlen == len && memcmp(b->m[i].key, metric, len) == 0)
			a = &b->m[i];
	if (!a) {
		if (b->n == b->cap) {
			size_t cap = b->cap ? b->cap * 2 : 16;
			struct gacc *m = realloc(b->m, cap * sizeof *m);
			if (!m)
				return 1;
			b->m = m;
			b->cap = cap;
		}
		a = &b->m[b->n];
		*a = (struct gacc){ .key = strndup(metric, len), .mlen = len };
		if (!a->key)
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

/* Rebuilds every metric chunk of (source, hour) from generic_record and
 * clears the hour's dirty mark. */
static enum pk_status rebuild_hour(struct pk_db *db, struct pk_gchunks *g,
                                  const char *source, int64_t hour)
{
	int64_t lo, hi;
	pk_gchunk_hour_range(hour, &lo, &hi);
	struct hour_build b = { 0 };
	sqlite3_stmt *q = NULL;
	enum pk_status rc = PK_OK;
	if (sqlite3_prepare_v2(db->sql, "SELECT ts_us, record FROM generic_record WHERE "
	                       "source = ? AND ts_us BETWEEN ? AND ? ORDER BY ts_us",
	                       -1, &q, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	sqlite3_bind_text(q, 1, source, -1, SQLITE_STATIC);
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
	q = NULL;
	if (rc == PK_OK && sqlite3_prepare_v2(db->sql, "DELETE FROM generic_chunk WHERE "
	                                      "source = ? AND hour = ?", -1, &q, NULL) != SQLITE_OK)
		rc = PK_ERR_DB;
	if (rc == PK_OK) {
		bind_key(q, source, NULL, hour);
		rc = step_done(q);
	}
	sqlite3_finalize(q);
	for (size_t i = 0; i < b.n; i++) {
		if (rc == PK_OK)
			rc = write_chunk(db, g, source, b.m[i].key, hour, b.m[i].n, b.m[i].ts, b.m[i].v);
		free(b.m[i].key);
		free(b.m[i].ts);
		free(b.m[i].v);
	}
	free(b.m);
	if (rc == PK_OK)
		rc = pk_db_prepare(db, &g->dirty_del, "DELETE FROM generic_chunk_dirty "
		                   "WHERE source = ? AND hour = ?");
	if (rc == PK_OK) {
		bind_key(g->dirty_del, source, NULL, hour);
		rc = step_done(g->dirty_del);
	}
	return rc;
}

static int is_dirty(struct pk_db *db, struct pk_gchunks *g, const char *source, int64_t hour,
                    enum pk_status *rc)
{
	*rc = pk_db_prepare(db, &g->dirty_get, "SELECT 1 FROM generic_chunk_dirty "
	                    "WHERE source = ? AND hour = ?");
	if (*rc != PK_OK)
		return 0;
	bind_key(g->dirty_get, source, NULL, hour);
	int r = sqlite3_step(g->dirty_get);
	sqlite3_reset(g->dirty_get);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		*rc = PK_ERR_DB;
	return r == SQLITE_ROW;
}

/* ---- the buffer ------------------------------------------------------ */

static int cmp_ts_index(const void *x, const void *y, void *ts)
{
	int64_t a = ((const int64_t *)ts)[*(const size_t *)x];
	int64_t b = ((const int64_t *)ts)[*(const size_t *)y];
	return a < b ? -1 : a > b;
}

static enum pk_status sort_acc(struct gacc *a)
{
	size_t *idx = malloc(a->n * sizeof *idx);
	int64_t *ts = malloc(a->n * sizeof *ts);
	double *v = malloc(a->n * sizeof *v);
	if (!idx || !ts || !v) {
		free(idx); free(ts); free(v);
		return PK_ERR_NOMEM;
	}
	for (size_t i = 0; i < a->n; i++)
		idx[i] = i;
	qsort_r(idx, a->n, sizeof *idx, cmp_ts_index, a->ts);
	for (size_t i = 0; i < a->n; i++) {
		ts[i] = a->ts[idx[i]];
		v[i] = a->v[idx[i]];
	}
	free(idx);
	free(a->ts);
	free(a->v);
	a->ts = ts;
	a->v = v;
	a->cap = a->n;
	a->unsorted = 0;
	return PK_OK;
}

/* Merges the accumulator into its stored chunk. */
static enum pk_status flush_acc(struct pk_db *db, struct pk_gchunks *g, struct gacc *a)
{
	const char *source = a->key, *metric = a->key + a->slen + 1;
	enum pk_status rc = PK_OK;
	if (a->unsorted && (rc = sort_acc(a)) != PK_OK)
		return rc;
	rc = pk_db_prepare(db, &g->chunk_get, "SELECT n, ts, vals FROM generic_chunk "
	                   "WHERE source = ? AND metric = ? AND hour = ?");
	if (rc != PK_OK)
		return rc;
	sqlite3_stmt *q = g->chunk_get;
	bind_key(q, source, metric, a->hour);
	size_t n0 = 0;
	const int64_t *ts0 = NULL;
	const double *v0 = NULL;
	int r = sqlite3_step(q);
	if (r == SQLITE_ROW) {
		/* a damaged chunk: generic_record holds the truth */
		struct pk_chunk_blobs b;
		char why[160];
		if (pk_chunk_blobs_get(q, 0, 1, 2, 1, &b, why, sizeof why) != 0) {
			sqlite3_reset(q);
			return rebuild_hour(db, g, source, a->hour);
		}
		n0 = b.n;
		ts0 = b.ts;
		v0 = b.v;
	} else if (r != SQLITE_DONE) {
		sqlite3_reset(q);
		return PK_ERR_DB;
	}
	if (n0 == 0) {
		sqlite3_reset(q);
		return write_chunk(db, g, source, metric, a->hour, a->n, a->ts, a->v);
	}
	size_t n = n0 + a->n;
	int64_t *ts = malloc(n * sizeof *ts);
	double *v = malloc(n * sizeof *v);
	if (!ts || !v) {
		rc = PK_ERR_NOMEM;
	} else {
		size_t i = 0, j = 0;
		size_t k = 0;
		while (i < n0 || j < a->n) {
			if (j >= a->n || (i < n0 && ts0[i] <= a->ts[j])) {
				if (j < a->n && ts0[i] == a->ts[j])
					j++;    /* a time stored already: the stored value stays */
				ts[k] = ts0[i];
				v[k++] = v0[i++];
			} else {
				ts[k] = a->ts[j];
				v[k++] = a->v[j++];
			}
		}
		n = k;
	}
	sqlite3_reset(q);
	if (rc == PK_OK)
		rc = write_chunk(db, g, source, metric, a->hour, n, ts, v);
	free(ts);
	free(v);
	return rc;
}

static int cmp_acc(const void *x, const void *y)
{
	const struct gacc *a = x, *b = y;
	int c = strcmp(a->key, b->key);
	if (c)
		return c;
	if (a->hour != b->hour)
		return a->hour < b->hour ? -1 : 1;
	return strcmp(a->key + a->slen + 1, b->key + b->slen + 1);
}

/* Writes every accumulator, by source and hour: a dirty hour is rebuilt once
 * (it holds the buffered records too, already in generic_record). */
static enum pk_status flush_all(struct pk_db *db, struct pk_gchunks *g)
{
	enum pk_status rc = PK_OK;
	qsort(g->a, g->nopen, sizeof g->a[0], cmp_acc);
	for (size_t i = 0; i < g->nopen && rc == PK_OK;) {
		size_t j = i + 1;
		while (j < g->nopen && g->a[j].hour == g->a[i].hour && strcmp(g->a[j].key, g->a[i].key) == 0)
			j++;
		if (is_dirty(db, g, g->a[i].key, g->a[i].hour, &rc)) {
			rc = rebuild_hour(db, g, g->a[i].key, g->a[i].hour);
		} else {
			for (size_t k = i; k < j && rc == PK_OK; k++)
				rc = flush_acc(db, g, &g->a[k]);
		}
		i = j;
	}
	drop_all(g);
	return rc;
}

/* The accumulator of (source, metric, hour), opened when new; NULL without
 * memory. */
static struct gacc *find(struct pk_gchunks *g, const char *s, size_t sn, const char *m,
                         size_t mn, int64_t hour)
{
	size_t h = (size_t)key_hash(s, sn, m, mn, hour) & (SLOTS - 1);
	for (; g->slot[h]; h = (h + 1) & (SLOTS - 1)) {
		struct gacc *a = &g->a[g->slot[h] - 1];
		if (a->hour == hour && a->slen == sn && a->mlen == mn && memcmp(a->key, s, sn) == 0 &&
		    memcmp(a->key + sn + 1, m, mn) == 0)
			return a;
	}
	struct gacc *a = &g->a[g->nopen];
	*a = (struct gacc){ .key = malloc(sn + mn + 2), .slen = sn, .mlen = mn, .hour = hour };
	if (!a->key)
		return NULL;
	memcpy(a->key, s, sn);
	a->key[sn] = '\0';
	memcpy(a->key + sn + 1, m, mn);
	a->key[sn + 1 + mn] = '\0';
	g->slot[h] = (int32_t)++g->nopen;
	return a;
}

static enum pk_status add_one(struct gacc *a, int64_t ts, double v)
{
	if (a->n && ts <= a->ts[a->n - 1]) {
		if (ts == a->ts[a->n - 1])
			return PK_OK;   /* a repeated path in one record: the first stays */
		a->unsorted = 1;
	}
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 64;
		int64_t *nts = realloc(a->ts, cap * sizeof *nts);
		if (nts)
			a->ts = nts;
		double *nv = nts ? realloc(a->v, cap * sizeof *nv) : NULL;
		if (!nv)
			return PK_ERR_NOMEM;
		a->v = nv;
		a->cap = cap;
	}
	a->ts[a->n] = ts;
	a->v[a->n++] = v;
	return PK_OK;
}

enum pk_status pk_store_generic_add(struct pk_db *db, const char *source, size_t source_len,
                                    int64_t ts_us, const struct pk_generic_value *vals,
                                    size_t n)
{
	struct pk_gchunks *g = get(db);
	if (!g)
		return PK_ERR_NOMEM;
	if (n == 0)
		return PK_OK;
	enum pk_status rc = PK_OK;
	if ((g->nopen + n > OPEN_MAX || g->buffered + n > BUFFER_MAX) &&
	    (rc = flush_all(db, g)) != PK_OK)
		return rc;
	int64_t hour = pk_gchunk_hour(ts_us);
	for (size_t i = 0; i < n && rc == PK_OK; i++) {
		/* a record of more than OPEN_MAX numbers is written in parts */
		if ((g->nopen == OPEN_MAX || g->buffered == BUFFER_MAX) &&
		    (rc = flush_all(db, g)) != PK_OK)
			return rc;
		struct gacc *a = find(g, source, source_len, vals[i].metric, vals[i].len, hour);
		if (!a)
			return PK_ERR_NOMEM;
		rc = add_one(a, ts_us, vals[i].v);
		g->buffered++;
	}
	return rc;
}

enum pk_status pk_store_generic_flush(struct pk_db *db)
{
	struct pk_gchunks *g = pk_db_state_peek(db, &gchunks_module);
	return g ? flush_all(db, g) : PK_OK;
}

void pk_store_generic_discard(struct pk_db *db)
{
	struct pk_gchunks *g = pk_db_state_peek(db, &gchunks_module);
	if (g)
		drop_all(g);
}

enum pk_status pk_store_generic_repair(struct pk_db *db, int64_t *hours)
{
	*hours = 0;
	struct pk_gchunks *g = get(db);
	if (!g)
		return PK_ERR_NOMEM;
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db->sql, "SELECT source, hour FROM generic_chunk_dirty "
	                       "ORDER BY source, hour", -1, &q, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	enum pk_status rc = PK_OK;
	char **src = NULL;
	int64_t *hour = NULL;
	size_t n = 0;
	int r;
	while (rc == PK_OK && (r = sqlite3_step(q)) == SQLITE_ROW) {
		char **s2 = realloc(src, (n + 1) * sizeof *s2);
		if (s2)
			src = s2;
		int64_t *d2 = s2 ? realloc(hour, (n + 1) * sizeof *d2) : NULL;
		if (d2)
			hour = d2;
		const char *s = (const char *)sqlite3_column_text(q, 0);
		if (!d2 || !(src[n] = strdup(s ? s : ""))) {
			rc = PK_ERR_NOMEM;
			break;
		}
		hour[n++] = sqlite3_column_int64(q, 1);
	}
	if (rc == PK_OK && r != SQLITE_DONE)
		rc = PK_ERR_DB;
	sqlite3_finalize(q);
	for (size_t i = 0; i < n; i++) {
		if (rc == PK_OK)
			rc = rebuild_hour(db, g, src[i], hour[i]);
		free(src[i]);
	}
	free(src);
	free(hour);
	if (rc == PK_OK)
		*hours = (int64_t)n;
	return rc;
}
