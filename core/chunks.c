/* chunks.c - the columnar copy of hardware samples (see chunks.h).
 * Buffering: at most OPEN_MAX (profile, day) accumulators and BUFFER_MAX
 * samples are held; the least recently used accumulator is written out when
 * more are needed, merged with the day's stored chunk.  A day marked dirty
 * (changed by other means than perfingest) is instead rebuilt from hw_sample. */
#include "chunks.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chunk_check.h"
#include "metrics.h"

#define OPEN_MAX 4
#define BUFFER_MAX 16384

struct acc {
	int64_t profile_id, day;
	size_t n, cap;
	int64_t *ts;
	double *v;              /* row-major: n x pk_hw_nmetrics */
	unsigned long used;
	int unsorted;
};

struct pk_chunks {
	struct acc a[OPEN_MAX];
	size_t nopen, buffered;
	unsigned long tick;
	sqlite3_stmt *chunk_get, *chunk_put, *chunk_del, *dirty_get, *dirty_del;
	sqlite3_stmt *writer_on, *writer_off, *dirty_put;
	/* inside a part (pk_chunks_part_begin): the (profile, day) pairs whose
	 * chunk was written in it, to mark dirty if it is rolled back */
	int in_part;
	int64_t *written;
	size_t nwritten, capwritten;
};

static void *chunks_make(void)
{
	return calloc(1, sizeof(struct pk_chunks));
}

static void drop_acc(struct pk_chunks *c, size_t i);

static void chunks_free(void *state)
{
	struct pk_chunks *c = state;
	while (c->nopen)
		drop_acc(c, 0);
	free(c->written);
	free(c);
}

/* This connection's buffer and statements (the statements are the handle's). */
static const struct pk_db_module chunks_module = { chunks_make, chunks_free };

void pk_chunk_day_range(int64_t d, int64_t *lo, int64_t *hi)
{
	if (d > 0) {
		*lo = d * PK_US_PER_DAY;
		*hi = (d + 1) * PK_US_PER_DAY - 1;
	} else if (d < 0) {
		*lo = (d - 1) * PK_US_PER_DAY + 1;
		*hi = d * PK_US_PER_DAY;
	} else {
		*lo = -(PK_US_PER_DAY - 1);
		*hi = PK_US_PER_DAY - 1;
	}
}

static enum pk_status step_done(sqlite3_stmt *q)
{
	int r = sqlite3_step(q);
	sqlite3_reset(q);
	return r == SQLITE_DONE ? PK_OK : PK_ERR_DB;
}

enum pk_status pk_chunks_begin(struct pk_db *db)
{
	struct pk_chunks *c = pk_db_state(db, &chunks_module);
	if (!c)
		return PK_ERR_NOMEM;
	if (pk_db_prepare(db, &c->writer_on, "INSERT INTO chunk_writer VALUES (?)") != PK_OK)
		return PK_ERR_DB;
	sqlite3_bind_int64(c->writer_on, 1, (int64_t)getpid());
	return step_done(c->writer_on);
}

static int is_dirty(struct pk_db *db, struct pk_chunks *c, int64_t pid, int64_t day,
                    enum pk_status *rc)
{
	*rc = pk_db_prepare(db, &c->dirty_get,
	                    "SELECT 1 FROM hw_chunk_dirty WHERE profile_id = ? AND day = ?");
	if (*rc != PK_OK)
		return 0;
	sqlite3_bind_int64(c->dirty_get, 1, pid);
	sqlite3_bind_int64(c->dirty_get, 2, day);
	int r = sqlite3_step(c->dirty_get);
	sqlite3_reset(c->dirty_get);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		*rc = PK_ERR_DB;
	return r == SQLITE_ROW;
}

/* Stores n samples (ts ascending, vals metric-major) as the chunk of
 * (pid, day), or deletes the chunk when n is 0; clears the dirty mark. */
static enum pk_status write_chunk(struct pk_db *db, int64_t pid, int64_t day, size_t n,
                                  const int64_t *ts, const double *vals)
{
	struct pk_chunks *c = pk_db_state(db, &chunks_module);
	if (!c)
		return PK_ERR_NOMEM;
	enum pk_status rc;
	if (n == 0) {
		rc = pk_db_prepare(db, &c->chunk_del, "DELETE FROM hw_chunk WHERE profile_id = ? AND day = ?");
		if (rc != PK_OK)
			return rc;
		sqlite3_bind_int64(c->chunk_del, 1, pid);
		sqlite3_bind_int64(c->chunk_del, 2, day);
		rc = step_done(c->chunk_del);
	} else {
		rc = pk_db_prepare(db, &c->chunk_put, "INSERT OR REPLACE INTO hw_chunk "
		                   "(profile_id, day, n, nmetrics, ts, vals) VALUES (?,?,?,?,?,?)");
		if (rc != PK_OK)
			return rc;
		sqlite3_stmt *q = c->chunk_put;
		sqlite3_bind_int64(q, 1, pid);
		sqlite3_bind_int64(q, 2, day);
		sqlite3_bind_int64(q, 3, (int64_t)n);
		sqlite3_bind_int64(q, 4, (int64_t)pk_hw_nmetrics);
		sqlite3_bind_blob64(q, 5, ts, n * sizeof *ts, SQLITE_STATIC);
		sqlite3_bind_blob64(q, 6, vals, n * pk_hw_nmetrics * sizeof *vals, SQLITE_STATIC);
		rc = step_done(q);
	}
	if (rc != PK_OK)
		return rc;
	rc = pk_db_prepare(db, &c->dirty_del, "DELETE FROM hw_chunk_dirty WHERE profile_id = ? AND day = ?");
	if (rc != PK_OK)
		return rc;
	sqlite3_bind_int64(c->dirty_del, 1, pid);
	sqlite3_bind_int64(c->dirty_del, 2, day);
	return step_done(c->dirty_del);
}

/* Rebuilds the chunk of (pid, day) from hw_sample. */
static enum pk_status rebuild_day(struct pk_db *db, int64_t pid, int64_t day)
{
	int64_t lo, hi;
	pk_chunk_day_range(day, &lo, &hi);
	struct pk_hw_series s = { 0 };
	enum pk_status rc = pk_rows_read(db, pid, lo, hi, &s);
	double *vals = NULL;
	if (rc == PK_OK && s.n) {
		vals = malloc(s.n * pk_hw_nmetrics * sizeof *vals);
		if (!vals)
			rc = PK_ERR_NOMEM;
		for (size_t m = 0; vals && m < pk_hw_nmetrics; m++)
			memcpy(vals + m * s.n, s.v[m], s.n * sizeof *vals);
	}
	if (rc == PK_OK)
		rc = write_chunk(db, pid, day, s.n, s.ts_us, vals);
	free(vals);
	pk_hw_series_free(&s);
	return rc;
}

static int cmp_index(const void *x, const void *y, void *ts)
{
	int64_t a = ((const int64_t *)ts)[*(const size_t *)x];
	int64_t b = ((const int64_t *)ts)[*(const size_t *)y];
	return a < b ? -1 : a > b;
}

/* Puts the accumulator's rows in time order (rarely needed: logs are
 * written in time order). */
static enum pk_status sort_acc(struct acc *a)
{
	size_t M = pk_hw_nmetrics, *idx = malloc(a->n * sizeof *idx);
	int64_t *ts = malloc(a->n * sizeof *ts);
	double *v = malloc(a->n * M * sizeof *v);
	if (!idx || !ts || !v) {
		free(idx); free(ts); free(v);
		return PK_ERR_NOMEM;
	}
	for (size_t i = 0; i < a->n; i++)
		idx[i] = i;
	qsort_r(idx, a->n, sizeof *idx, cmp_index, a->ts);
	for (size_t i = 0; i < a->n; i++) {
		ts[i] = a->ts[idx[i]];
		memcpy(v + i * M, a->v + idx[i] * M, M * sizeof *v);
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
static enum pk_status flush_acc(struct pk_db *db, struct pk_chunks *c, struct acc *a)
{
	enum pk_status rc = PK_OK;
	if (a->n == 0)
		return PK_OK;
	if (is_dirty(db, c, a->profile_id, a->day, &rc))
		return rebuild_day(db, a->profile_id, a->day);
	if (rc != PK_OK || (a->unsorted && (rc = sort_acc(a)) != PK_OK))
		return rc;
	rc = pk_db_prepare(db, &c->chunk_get, "SELECT n, nmetrics, ts, vals FROM hw_chunk "
	                   "WHERE profile_id = ? AND day = ?");
	if (rc != PK_OK)
		return rc;
	sqlite3_stmt *q = c->chunk_get;
	sqlite3_bind_int64(q, 1, a->profile_id);
	sqlite3_bind_int64(q, 2, a->day);
	size_t M = pk_hw_nmetrics, n0 = 0;
	const int64_t *ts0 = NULL;
	const double *v0 = NULL;
	int r = sqlite3_step(q);
	if (r == SQLITE_ROW) {
		/* a chunk of another metric count or a damaged one: hw_sample holds the truth */
		struct pk_chunk_blobs b;
		char why[160];
		if (sqlite3_column_int64(q, 1) != (int64_t)M ||
		    pk_chunk_blobs_get(q, 0, 2, 3, M, &b, why, sizeof why) != 0) {
			sqlite3_reset(q);
			return rebuild_day(db, a->profile_id, a->day);
		}
		n0 = b.n;
		ts0 = b.ts;
		v0 = b.v;
	} else if (r != SQLITE_DONE) {
		sqlite3_reset(q);
		return PK_ERR_DB;
	}
	size_t n = n0 + a->n;
	int64_t *ts = malloc(n * sizeof *ts);
	double *vals = malloc(n * M * sizeof *vals);
	if (!ts || !vals) {
		rc = PK_ERR_NOMEM;
	} else {
		size_t i = 0, j = 0;
		for (size_t k = 0; k < n; k++) {
			int from_old = j >= a->n || (i < n0 && ts0[i] < a->ts[j]);
			if (from_old) {
				ts[k] = ts0[i];
				for (size_t m = 0; m < M; m++)
					vals[m * n + k] = v0[m * n0 + i];
				i++;
			} else {
				ts[k] = a->ts[j];
				for (size_t m = 0; m < M; m++)
					vals[m * n + k] = a->v[j * M + m];
				j++;
			}
		}
	}
	sqlite3_reset(q);
	if (rc == PK_OK)
		rc = write_chunk(db, a->profile_id, a->day, n, ts, vals);
	free(ts);
	free(vals);
	return rc;
}

static void drop_acc(struct pk_chunks *c, size_t i)
{
	c->buffered -= c->a[i].n;
	free(c->a[i].ts);
	free(c->a[i].v);
	c->a[i] = c->a[--c->nopen];
	c->a[c->nopen] = (struct acc){ 0 };
}

static enum pk_status evict_lru(struct pk_db *db, struct pk_chunks *c)
{
	size_t lru = 0;
	for (size_t i = 1; i < c->nopen; i++)
		if (c->a[i].used < c->a[lru].used)
			lru = i;
	enum pk_status rc = flush_acc(db, c, &c->a[lru]);
	if (c->in_part && rc == PK_OK) {
		if (c->nwritten == c->capwritten) {
			size_t cap = c->capwritten ? c->capwritten * 2 : 16;
			int64_t *w = realloc(c->written, cap * 2 * sizeof *w);
			if (!w)
				rc = PK_ERR_NOMEM;
			else {
				c->written = w;
				c->capwritten = cap;
			}
		}
		if (rc == PK_OK) {
			c->written[2 * c->nwritten] = c->a[lru].profile_id;
			c->written[2 * c->nwritten + 1] = c->a[lru].day;
			c->nwritten++;
		}
	}
	drop_acc(c, lru);
	return rc;
}

void pk_chunks_part_begin(struct pk_db *db)
{
	struct pk_chunks *c = pk_db_state_peek(db, &chunks_module);
	if (c) {
		c->in_part = 1;
		c->nwritten = 0;
	}
}

static enum pk_status mark_dirty(struct pk_db *db, struct pk_chunks *c, int64_t pid,
                                 int64_t day)
{
	enum pk_status rc = pk_db_prepare(db, &c->dirty_put,
	                                  "INSERT OR IGNORE INTO hw_chunk_dirty VALUES (?, ?)");
	if (rc != PK_OK)
		return rc;
	sqlite3_bind_int64(c->dirty_put, 1, pid);
	sqlite3_bind_int64(c->dirty_put, 2, day);
	return step_done(c->dirty_put);
}

enum pk_status pk_chunks_part_rollback(struct pk_db *db)
{
	struct pk_chunks *c = pk_db_state_peek(db, &chunks_module);
	if (!c)
		return PK_OK;
	enum pk_status rc = PK_OK;
	for (size_t i = 0; i < c->nwritten && rc == PK_OK; i++)
		rc = mark_dirty(db, c, c->written[2 * i], c->written[2 * i + 1]);
	for (size_t i = 0; i < c->nopen && rc == PK_OK; i++)
		rc = mark_dirty(db, c, c->a[i].profile_id, c->a[i].day);
	while (c->nopen)
		drop_acc(c, 0);
	c->in_part = 0;
	c->nwritten = 0;
	return rc;
}

enum pk_status pk_chunks_add(struct pk_db *db, int64_t profile_id, int64_t ts_us,
                             const double *v)
{
	struct pk_chunks *c = pk_db_state(db, &chunks_module);
	if (!c)
		return PK_ERR_NOMEM;
	int64_t day = pk_chunk_day(ts_us);
	struct acc *a = NULL;
	for (size_t i = 0; i < c->nopen && !a; i++)
		if (c->a[i].profile_id == profile_id && c->a[i].day == day)
			a = &c->a[i];
	enum pk_status rc;
	if (!a) {
		if (c->nopen == OPEN_MAX && (rc = evict_lru(db, c)) != PK_OK)
			return rc;
		a = &c->a[c->nopen++];
		*a = (struct acc){ .profile_id = profile_id, .day = day };
	}
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 256;
		int64_t *ts = realloc(a->ts, cap * sizeof *ts);
		if (ts)
			a->ts = ts;
		double *nv = ts ? realloc(a->v, cap * pk_hw_nmetrics * sizeof *nv) : NULL;
		if (!nv)
			return PK_ERR_NOMEM;
		a->v = nv;
		a->cap = cap;
	}
	if (a->n && ts_us < a->ts[a->n - 1])
		a->unsorted = 1;
	a->ts[a->n] = ts_us;
	memcpy(a->v + a->n * pk_hw_nmetrics, v, pk_hw_nmetrics * sizeof *v);
	a->n++;
	a->used = ++c->tick;
	if (++c->buffered > BUFFER_MAX)
		return evict_lru(db, c);
	return PK_OK;
}

enum pk_status pk_chunks_flush(struct pk_db *db)
{
	struct pk_chunks *c = pk_db_state(db, &chunks_module);
	if (!c)
		return PK_ERR_NOMEM;
	enum pk_status rc = PK_OK;
	while (c->nopen && rc == PK_OK)
		rc = evict_lru(db, c);
	pk_chunks_discard(db);
	c->in_part = 0;
	c->nwritten = 0;
	if (rc == PK_OK)
		rc = pk_db_prepare(db, &c->writer_off, "DELETE FROM chunk_writer");
	if (rc == PK_OK)
		rc = step_done(c->writer_off);
	return rc;
}

void pk_chunks_discard(struct pk_db *db)
{
	struct pk_chunks *c = pk_db_state_peek(db, &chunks_module);
	while (c && c->nopen)
		drop_acc(c, 0);
	if (c) {
		c->in_part = 0;
		c->nwritten = 0;
	}
}

enum pk_status pk_chunks_repair(struct pk_db *db)
{
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db->sql, "SELECT profile_id, day FROM hw_chunk_dirty",
	                       -1, &q, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	int64_t *days;
	size_t n;
	enum pk_status rc = pk_db_collect_ints(q, 2, &days, &n);
	sqlite3_finalize(q);
	for (size_t i = 0; i < n && rc == PK_OK; i++)
		rc = rebuild_day(db, days[2 * i], days[2 * i + 1]);
	free(days);
	return rc;
}

/* Appends the samples of the stored chunk at q (day, n, nmetrics, ts, vals)
 * that fall in [from, to]; *stale = 1 when it holds another number of
 * metrics (made by another perfkit version).  A damaged chunk is an error
 * naming its row. */
static enum pk_status append_chunk(struct pk_db *db, sqlite3_stmt *q, int64_t profile_id,
                                   int64_t from, int64_t to, struct pk_hw_series *s,
                                   int *stale)
{
	size_t M = pk_hw_nmetrics;
	if (sqlite3_column_int64(q, 2) != (int64_t)M) {
		*stale = 1;
		return PK_OK;
	}
	struct pk_chunk_blobs b;
	char why[160];
	if (pk_chunk_blobs_get(q, 1, 3, 4, M, &b, why, sizeof why) != 0) {
		int64_t day = sqlite3_column_int64(q, 0);
		pk_db_set_damage(db, "%s: hw_chunk row (profile_id %lld, day %lld) is damaged: %s; "
		                 "have it rebuilt from hw_sample with: sqlite3 %s "
		                 "'INSERT INTO hw_chunk_dirty VALUES (%lld, %lld)'",
		                 db->path, (long long)profile_id, (long long)day, why,
		                 db->path, (long long)profile_id, (long long)day);
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
	enum pk_status rc = pk_series_reserve(s, s->n + (j - i));
	if (rc != PK_OK)
		return rc;
	memcpy(s->ts_us + s->n, ts + i, (j - i) * sizeof *ts);
	for (size_t m = 0; m < M; m++)
		memcpy(s->v[m] + s->n, v + m * n + i, (j - i) * sizeof *v);
	s->n += j - i;
	return PK_OK;
}

/* Appends the hw_sample rows of one day, clipped to [from, to]. */
static enum pk_status read_day_rows(struct pk_db *db, int64_t profile_id, int64_t day,
                                    int64_t from_us, int64_t to_us, struct pk_hw_series *s)
{
	int64_t lo, hi;
	pk_chunk_day_range(day, &lo, &hi);
	return pk_rows_read(db, profile_id, lo > from_us ? lo : from_us,
	                    hi < to_us ? hi : to_us, s);
}

enum pk_status pk_chunks_read(struct pk_db *db, int64_t profile_id,
                              int64_t from_us, int64_t to_us,
                              struct pk_hw_series *s)
{
	int64_t d0 = pk_chunk_day(from_us), d1 = pk_chunk_day(to_us);
	/* dirty days of the window, ascending */
	sqlite3_stmt *q = NULL;
	int64_t *dirty = NULL;
	size_t ndirty = 0;
	enum pk_status rc = PK_OK;
	if (sqlite3_prepare_v2(db->sql, "SELECT day FROM hw_chunk_dirty WHERE profile_id = ? "
	                       "AND day BETWEEN ? AND ? ORDER BY day", -1, &q, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	sqlite3_bind_int64(q, 1, profile_id);
	sqlite3_bind_int64(q, 2, d0);
	sqlite3_bind_int64(q, 3, d1);
	rc = pk_db_collect_ints(q, 1, &dirty, &ndirty);
	sqlite3_finalize(q);
	q = NULL;
	if (rc == PK_OK && sqlite3_prepare_v2(db->sql, "SELECT day, n, nmetrics, ts, vals FROM hw_chunk "
	    "WHERE profile_id = ? AND day BETWEEN ? AND ? ORDER BY day", -1, &q, NULL) != SQLITE_OK)
		rc = PK_ERR_DB;
	if (rc == PK_OK) {
		sqlite3_bind_int64(q, 1, profile_id);
		sqlite3_bind_int64(q, 2, d0);
		sqlite3_bind_int64(q, 3, d1);
	}
	/* room for every chunked sample of the window at once, not by doubling;
	 * counted from the times' bytes, which (unlike n) cannot claim more than
	 * is stored */
	sqlite3_stmt *cq = NULL;
	if (rc == PK_OK && sqlite3_prepare_v2(db->sql, "SELECT sum(length(ts)) / 8 FROM hw_chunk "
	    "WHERE profile_id = ? AND day BETWEEN ? AND ?", -1, &cq, NULL) != SQLITE_OK)
		rc = PK_ERR_DB;
	if (rc == PK_OK) {
		sqlite3_bind_int64(cq, 1, profile_id);
		sqlite3_bind_int64(cq, 2, d0);
		sqlite3_bind_int64(cq, 3, d1);
		if (sqlite3_step(cq) == SQLITE_ROW && sqlite3_column_int64(cq, 0) > 0)
			rc = pk_series_reserve(s, s->n + (size_t)sqlite3_column_int64(cq, 0));
	}
	sqlite3_finalize(cq);
	size_t k = 0;   /* next dirty day to read */
	int r = SQLITE_DONE;
	while (rc == PK_OK && (r = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t day = sqlite3_column_int64(q, 0);
		for (; k < ndirty && dirty[k] < day && rc == PK_OK; k++) {
			rc = read_day_rows(db, profile_id, dirty[k], from_us, to_us, s);
		}
		if (rc != PK_OK)
			break;
		int stale = 0;
		if (k < ndirty && dirty[k] == day)
			continue;   /* read with the dirty days */
		rc = append_chunk(db, q, profile_id, from_us, to_us, s, &stale);
		if (rc == PK_OK && stale) {
			rc = read_day_rows(db, profile_id, day, from_us, to_us, s);
		}
	}
	if (rc == PK_OK && r != SQLITE_DONE && r != SQLITE_ROW)
		rc = PK_ERR_DB;
	for (; k < ndirty && rc == PK_OK; k++) {
		rc = read_day_rows(db, profile_id, dirty[k], from_us, to_us, s);
	}
	sqlite3_finalize(q);
	free(dirty);
	return rc;
}
