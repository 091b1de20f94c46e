/* colstore.c - the columnar engine (see colstore.h).
 * Buffering: one accumulator per (owner, series, period), found through a
 * hash table; when a kind's open_max accumulators or buffer_max samples are
 * held, and at a flush, every accumulator is merged in time order with its
 * stored chunk, by owner and period.  A period marked dirty (changed by
 * other means than perfingest) is instead rebuilt whole by the kind, once
 * for all its series: the buffered samples are in the row table already. */
#include "colstore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chunk_check.h"

/* The statements of a kind, made from its names on first use (stmt). */
enum { Q_GET, Q_PUT, Q_DEL, Q_DEL_PERIOD, Q_DIRTY_GET, Q_DIRTY_PUT, Q_DIRTY_DEL, Q_ON_WRITE,
       NQ };

struct acc {
	int64_t id;
	char *text;                  /* owner text \0 series \0 (NULL: neither) */
	size_t tlen, slen;
	int64_t period;
	size_t n, cap;
	int64_t *ts;
	double *v;                   /* row-major: n x nvals */
	int unsorted;
};

/* A period written inside a part (pk_colstore_part_begin). */
struct written {
	int64_t id;
	char *text;
	int64_t period;
};

struct pk_col_buffer {
	struct acc *a;
	size_t nopen, buffered;
	int32_t *slot;               /* index + 1 into a, 0: free */
	size_t nslots;               /* a power of 2 */
	sqlite3_stmt *st[NQ];
	int in_part;
	struct written *w;
	size_t nw, capw;
};

void *pk_colstore_make(void)
{
	return calloc(1, sizeof(struct pk_col_buffer));
}

static void drop_all(struct pk_col_buffer *c)
{
	for (size_t i = 0; i < c->nopen; i++) {
		free(c->a[i].text);
		free(c->a[i].ts);
		free(c->a[i].v);
		c->a[i] = (struct acc){ 0 };
	}
	c->nopen = c->buffered = 0;
	if (c->slot)
		memset(c->slot, 0, c->nslots * sizeof *c->slot);
}

static void forget_written(struct pk_col_buffer *c)
{
	for (size_t i = 0; i < c->nw; i++)
		free(c->w[i].text);
	c->nw = 0;
	c->in_part = 0;
}

void pk_colstore_free(void *state)
{
	struct pk_col_buffer *c = state;
	drop_all(c);
	forget_written(c);
	free(c->a);
	free(c->slot);
	free(c->w);
	free(c);
}

void pk_col_period_range(int64_t p, int64_t u, int64_t *lo, int64_t *hi)
{
	if (p > 0) {
		*lo = p * u;
		*hi = (p + 1) * u - 1;
	} else if (p < 0) {
		*lo = (p - 1) * u + 1;
		*hi = p * u;
	} else {
		*lo = -(u - 1);
		*hi = u - 1;
	}
}

static enum pk_status step_done(sqlite3_stmt *q)
{
	int r = sqlite3_step(q);
	sqlite3_reset(q);
	return r == SQLITE_DONE ? PK_OK : PK_ERR_DB;
}

/* Binds the key's owner (and series when with_series and the kind has one)
 * from parameter i on; returns the next parameter. */
static int bind_key(sqlite3_stmt *q, int i, const struct pk_col_kind *k,
                    const struct pk_col_key *key, int with_series)
{
	if (k->owner_text)
		sqlite3_bind_text(q, i++, key->text, (int)key->text_len, SQLITE_STATIC);
	else
		sqlite3_bind_int64(q, i++, key->id);
	if (with_series && k->series_col)
		sqlite3_bind_text(q, i++, key->series, (int)key->series_len, SQLITE_STATIC);
	return i;
}

/* "owner = ? AND series = ?" or "owner = ?" */
static void key_where(char *out, size_t sz, const struct pk_col_kind *k, int with_series)
{
	if (with_series && k->series_col)
		snprintf(out, sz, "%s = ? AND %s = ?", k->owner_col, k->series_col);
	else
		snprintf(out, sz, "%s = ?", k->owner_col);
}

static struct pk_col_buffer *get(struct pk_db *db, const struct pk_col_kind *k)
{
	return pk_db_state(db, &k->module);
}

/* Statement i of the kind, prepared on first use. */
static sqlite3_stmt *stmt(struct pk_db *db, const struct pk_col_kind *k,
                          struct pk_col_buffer *c, int i)
{
	if (c->st[i])
		return c->st[i];
	char sql[512], kw[128], ow[64];
	key_where(kw, sizeof kw, k, 1);
	key_where(ow, sizeof ow, k, 0);
	const char *series = k->series_col ? k->series_col : "";
	switch (i) {
	case Q_GET:
		snprintf(sql, sizeof sql, "SELECT n, %s, ts, vals FROM %s WHERE %s AND %s = ?",
		         k->nvals_col ? k->nvals_col : "1", k->table, kw, k->period_col);
		break;
	case Q_PUT:
		snprintf(sql, sizeof sql, "INSERT OR REPLACE INTO %s (%s, %s%s%s, n, %s%sts, vals) "
		         "VALUES (?, %s?, ?, %s?, ?)", k->table, k->owner_col, series,
		         k->series_col ? ", " : "", k->period_col,
		         k->nvals_col ? k->nvals_col : "", k->nvals_col ? ", " : "",
		         k->series_col ? "?, " : "", k->nvals_col ? "?, " : "");
		break;
	case Q_DEL:
		snprintf(sql, sizeof sql, "DELETE FROM %s WHERE %s AND %s = ?", k->table, kw,
		         k->period_col);
		break;
	case Q_DEL_PERIOD:
		snprintf(sql, sizeof sql, "DELETE FROM %s WHERE %s AND %s = ?", k->table, ow,
		         k->period_col);
		break;
	case Q_DIRTY_GET:
		snprintf(sql, sizeof sql, "SELECT 1 FROM %s WHERE %s AND %s = ?", k->dirty_table,
		         ow, k->period_col);
		break;
	case Q_DIRTY_PUT:
		snprintf(sql, sizeof sql, "INSERT OR IGNORE INTO %s (%s, %s) VALUES (?, ?)",
		         k->dirty_table, k->owner_col, k->period_col);
		break;
	case Q_DIRTY_DEL:
		snprintf(sql, sizeof sql, "DELETE FROM %s WHERE %s AND %s = ?", k->dirty_table, ow,
		         k->period_col);
		break;
	default:
		snprintf(sql, sizeof sql, "%s", k->on_write_sql);
		break;
	}
	if (pk_db_prepare(db, &c->st[i], sql) != PK_OK)
		return NULL;
	return c->st[i];
}

/* Runs statement i bound to (owner[, series], period). */
static enum pk_status run_keyed(struct pk_db *db, const struct pk_col_kind *k,
                                struct pk_col_buffer *c, int i, const struct pk_col_key *key,
                                int with_series, int64_t period)
{
	sqlite3_stmt *q = stmt(db, k, c, i);
	if (!q)
		return PK_ERR_DB;
	sqlite3_bind_int64(q, bind_key(q, 1, k, key, with_series), period);
	return step_done(q);
}

enum pk_status pk_colstore_write(struct pk_db *db, const struct pk_col_kind *k,
                                 const struct pk_col_key *key, int64_t period, size_t n,
                                 const int64_t *ts, const double *vals)
{
	struct pk_col_buffer *c = get(db, k);
	if (!c)
		return PK_ERR_NOMEM;
	if (n == 0)
		return run_keyed(db, k, c, Q_DEL, key, 1, period);
	sqlite3_stmt *q = stmt(db, k, c, Q_PUT);
	if (!q)
		return PK_ERR_DB;
	int i = bind_key(q, 1, k, key, 1);
	sqlite3_bind_int64(q, i++, period);
	sqlite3_bind_int64(q, i++, (int64_t)n);
	if (k->nvals_col)
		sqlite3_bind_int64(q, i++, (int64_t)*k->nvals);
	sqlite3_bind_blob64(q, i++, ts, n * sizeof *ts, SQLITE_STATIC);
	sqlite3_bind_blob64(q, i, vals, n * *k->nvals * sizeof *vals, SQLITE_STATIC);
	enum pk_status rc = step_done(q);
	if (rc != PK_OK || !k->on_write_sql)
		return rc;
	if (!(q = stmt(db, k, c, Q_ON_WRITE)))
		return PK_ERR_DB;
	bind_key(q, 1, k, key, 1);
	return step_done(q);
}

static int is_dirty(struct pk_db *db, const struct pk_col_kind *k, struct pk_col_buffer *c,
                    const struct pk_col_key *owner, int64_t period, enum pk_status *rc)
{
	sqlite3_stmt *q = stmt(db, k, c, Q_DIRTY_GET);
	*rc = q ? PK_OK : PK_ERR_DB;
	if (!q)
		return 0;
	sqlite3_bind_int64(q, bind_key(q, 1, k, owner, 0), period);
	int r = sqlite3_step(q);
	sqlite3_reset(q);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		*rc = PK_ERR_DB;
	return r == SQLITE_ROW;
}

/* Rebuilds every chunk of (owner, period) from the row table and clears the
 * period's dirty mark. */
static enum pk_status rebuild(struct pk_db *db, const struct pk_col_kind *k,
                              struct pk_col_buffer *c, const struct pk_col_key *owner,
                              int64_t period)
{
	int64_t lo, hi;
	pk_col_period_range(period, k->period_us, &lo, &hi);
	enum pk_status rc = run_keyed(db, k, c, Q_DEL_PERIOD, owner, 0, period);
	if (rc == PK_OK)
		rc = k->rebuild(db, owner, period, lo, hi);
	if (rc == PK_OK)
		rc = run_keyed(db, k, c, Q_DIRTY_DEL, owner, 0, period);
	return rc;
}

static struct pk_col_key key_of(const struct acc *a)
{
	struct pk_col_key key = { .id = a->id };
	if (a->text) {
		key.text = a->text;
		key.text_len = a->tlen;
		key.series = a->text + a->tlen + 1;
		key.series_len = a->slen;
	}
	return key;
}

/* The writer mark's statements (the handle's), one state per connection. */
struct writer_mark {
	sqlite3_stmt *on, *off;
};

static void *writer_make(void)
{
	return calloc(1, sizeof(struct writer_mark));
}

static const struct pk_db_module writer_module = { writer_make, free };

enum pk_status pk_colstore_writer_begin(struct pk_db *db)
{
	struct writer_mark *w = pk_db_state(db, &writer_module);
	if (!w)
		return PK_ERR_NOMEM;
	if (pk_db_prepare(db, &w->on, "INSERT INTO chunk_writer VALUES (?)") != PK_OK)
		return PK_ERR_DB;
	sqlite3_bind_int64(w->on, 1, (int64_t)getpid());
	return step_done(w->on);
}

enum pk_status pk_colstore_writer_end(struct pk_db *db)
{
	struct writer_mark *w = pk_db_state(db, &writer_module);
	if (!w)
		return PK_ERR_NOMEM;
	if (pk_db_prepare(db, &w->off, "DELETE FROM chunk_writer") != PK_OK)
		return PK_ERR_DB;
	return step_done(w->off);
}

/* ---- the buffer ------------------------------------------------------ */

static int cmp_index(const void *x, const void *y, void *ts)
{
	int64_t a = ((const int64_t *)ts)[*(const size_t *)x];
	int64_t b = ((const int64_t *)ts)[*(const size_t *)y];
	return a < b ? -1 : a > b;
}

/* Puts the accumulator's samples in time order (rarely needed: logs are
 * written in time order). */
static enum pk_status sort_acc(struct acc *a, size_t M)
{
	size_t *idx = malloc(a->n * sizeof *idx);
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

/* Merges the accumulator into its stored chunk; a time stored already keeps
 * its stored values.  *damaged = 1 (nothing written) when the stored chunk
 * cannot be merged with: damaged, or of another value count. */
static enum pk_status merge_acc(struct pk_db *db, const struct pk_col_kind *k,
                                struct pk_col_buffer *c, struct acc *a, int *damaged)
{
	size_t M = *k->nvals;
	enum pk_status rc = PK_OK;
	*damaged = 0;
	if (a->unsorted && (rc = sort_acc(a, M)) != PK_OK)
		return rc;
	sqlite3_stmt *q = stmt(db, k, c, Q_GET);
	if (!q)
		return PK_ERR_DB;
	struct pk_col_key key = key_of(a);
	sqlite3_bind_int64(q, bind_key(q, 1, k, &key, 1), a->period);
	size_t n0 = 0;
	const int64_t *ts0 = NULL;
	const double *v0 = NULL;
	int r = sqlite3_step(q);
	if (r == SQLITE_ROW) {
		struct pk_chunk_blobs b;
		char why[160];
		if (sqlite3_column_int64(q, 1) != (int64_t)M ||
		    pk_chunk_blobs_get(q, 0, 2, 3, M, &b, why, sizeof why) != 0) {
			sqlite3_reset(q);
			*damaged = 1;
			return PK_OK;
		}
		n0 = b.n;
		ts0 = b.ts;
		v0 = b.v;
	} else if (r != SQLITE_DONE) {
		sqlite3_reset(q);
		return PK_ERR_DB;
	}
	if (n0 == 0 && M == 1) {
		/* nothing stored: the buffer is the chunk */
		sqlite3_reset(q);
		return pk_colstore_write(db, k, &key, a->period, a->n, a->ts, a->v);
	}
	size_t n = n0 + a->n;
	int64_t *ts = malloc(n * sizeof *ts);
	double *v = malloc(n * M * sizeof *v);
	if (!ts || !v) {
		rc = PK_ERR_NOMEM;
	} else {
		size_t i = 0, j = 0, kk = 0;
		for (; i < n0 || j < a->n; kk++) {
			if (j >= a->n || (i < n0 && ts0[i] <= a->ts[j])) {
				if (j < a->n && ts0[i] == a->ts[j])
					j++;
				ts[kk] = ts0[i];
				for (size_t m = 0; m < M; m++)
					v[m * n + kk] = v0[m * n0 + i];
				i++;
			} else {
				ts[kk] = a->ts[j];
				for (size_t m = 0; m < M; m++)
					v[m * n + kk] = a->v[j * M + m];
				j++;
			}
		}
		/* fewer samples than room (a time stored already): close the gaps
		 * between the value arrays */
		for (size_t m = 1; kk < n && m < M; m++)
			memmove(v + m * kk, v + m * n, kk * sizeof *v);
		n = kk;
	}
	sqlite3_reset(q);
	if (rc == PK_OK)
		rc = pk_colstore_write(db, k, &key, a->period, n, ts, v);
	free(ts);
	free(v);
	return rc;
}

static enum pk_status note_written(struct pk_col_buffer *c, const struct acc *a)
{
	if (c->nw == c->capw) {
		size_t cap = c->capw ? c->capw * 2 : 16;
		struct written *w = realloc(c->w, cap * sizeof *w);
		if (!w)
			return PK_ERR_NOMEM;
		c->w = w;
		c->capw = cap;
	}
	struct written *w = &c->w[c->nw];
	*w = (struct written){ .id = a->id, .period = a->period };
	if (a->text && !(w->text = strndup(a->text, a->tlen)))
		return PK_ERR_NOMEM;
	c->nw++;
	return PK_OK;
}

static int cmp_acc(const void *x, const void *y)
{
	const struct acc *a = x, *b = y;
	if (a->id != b->id)
		return a->id < b->id ? -1 : 1;
	int r = a->text && b->text ? strcmp(a->text, b->text) : 0;
	if (r)
		return r;
	if (a->period != b->period)
		return a->period < b->period ? -1 : 1;
	return a->text && b->text ? strcmp(a->text + a->tlen + 1, b->text + b->tlen + 1) : 0;
}

static int same_group(const struct acc *a, const struct acc *b)
{
	return a->id == b->id && a->period == b->period &&
	       (!a->text || strcmp(a->text, b->text) == 0);
}

/* Writes every accumulator, by owner and period, and empties the buffer. */
static enum pk_status flush_all(struct pk_db *db, const struct pk_col_kind *k,
                                struct pk_col_buffer *c)
{
	enum pk_status rc = PK_OK;
	if (c->nopen > 1)   /* an empty buffer may have no array yet */
		qsort(c->a, c->nopen, sizeof c->a[0], cmp_acc);
	for (size_t i = 0; i < c->nopen && rc == PK_OK;) {
		size_t j = i + 1;
		while (j < c->nopen && same_group(&c->a[i], &c->a[j]))
			j++;
		struct pk_col_key owner = key_of(&c->a[i]);
		int redo = is_dirty(db, k, c, &owner, c->a[i].period, &rc);
		for (size_t g = i; g < j && rc == PK_OK && !redo; g++)
			rc = merge_acc(db, k, c, &c->a[g], &redo);
		if (rc == PK_OK && redo)
			rc = rebuild(db, k, c, &owner, c->a[i].period);
		if (rc == PK_OK && c->in_part)
			rc = note_written(c, &c->a[i]);
		i = j;
	}
	drop_all(c);
	return rc;
}

static uint64_t hash_key(const struct pk_col_key *key, int64_t period)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < key->text_len; i++)
		h = (h ^ (unsigned char)key->text[i]) * 1099511628211ULL;
	h = (h ^ 0xff) * 1099511628211ULL;
	for (size_t i = 0; i < key->series_len; i++)
		h = (h ^ (unsigned char)key->series[i]) * 1099511628211ULL;
	h = (h ^ (uint64_t)key->id) * 1099511628211ULL;
	return (h ^ (uint64_t)period) * 1099511628211ULL;
}

/* The accumulator of (key, period), opened when new; NULL without memory. */
static struct acc *find(struct pk_col_buffer *c, const struct pk_col_key *key, int64_t period)
{
	size_t h = (size_t)hash_key(key, period) & (c->nslots - 1);
	for (; c->slot[h]; h = (h + 1) & (c->nslots - 1)) {
		struct acc *a = &c->a[c->slot[h] - 1];
		if (a->period == period && a->id == key->id && a->tlen == key->text_len &&
		    a->slen == key->series_len &&
		    (!a->text || ((a->tlen == 0 || memcmp(a->text, key->text, a->tlen) == 0) &&
		                  (a->slen == 0 ||
		                   memcmp(a->text + a->tlen + 1, key->series, a->slen) == 0))))
			return a;
	}
	struct acc *a = &c->a[c->nopen];
	*a = (struct acc){ .id = key->id, .tlen = key->text_len, .slen = key->series_len,
	                   .period = period };
	if (key->text || key->series) {
		if (!(a->text = malloc(a->tlen + a->slen + 2)))
			return NULL;
		if (a->tlen)
			memcpy(a->text, key->text, a->tlen);
		a->text[a->tlen] = '\0';
		if (a->slen)
			memcpy(a->text + a->tlen + 1, key->series, a->slen);
		a->text[a->tlen + 1 + a->slen] = '\0';
	}
	c->slot[h] = (int32_t)++c->nopen;
	return a;
}

struct pk_col_buffer *pk_colstore_buffer(struct pk_db *db, const struct pk_col_kind *k)
{
	struct pk_col_buffer *c = get(db, k);
	if (c && !c->a) {
		for (c->nslots = 16; c->nslots < 2 * k->open_max; c->nslots *= 2)
			;
		c->a = calloc(k->open_max, sizeof *c->a);
		c->slot = calloc(c->nslots, sizeof *c->slot);
		if (!c->a || !c->slot) {
			free(c->a);
			free(c->slot);
			c->a = NULL;
			c->slot = NULL;
			return NULL;
		}
	}
	return c;
}

enum pk_status pk_colstore_add_at(struct pk_db *db, const struct pk_col_kind *k,
                                  struct pk_col_buffer *c, const struct pk_col_key *key,
                                  int64_t period, int64_t ts_us, const double *vals)
{
	enum pk_status rc;
	if ((c->nopen == k->open_max || c->buffered >= k->buffer_max) &&
	    (rc = flush_all(db, k, c)) != PK_OK)
		return rc;
	struct acc *a = find(c, key, period);
	if (!a)
		return PK_ERR_NOMEM;
	size_t M = *k->nvals;
	if (a->n && ts_us <= a->ts[a->n - 1]) {
		if (ts_us == a->ts[a->n - 1])
			return PK_OK;   /* a repeated time: the first values stay */
		a->unsorted = 1;
	}
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 64;
		int64_t *ts = realloc(a->ts, cap * sizeof *ts);
		if (ts)
			a->ts = ts;
		double *v = ts ? realloc(a->v, cap * M * sizeof *v) : NULL;
		if (!v)
			return PK_ERR_NOMEM;
		a->v = v;
		a->cap = cap;
	}
	a->ts[a->n] = ts_us;
	if (M == 1)
		a->v[a->n] = vals[0];
	else
		memcpy(a->v + a->n * M, vals, M * sizeof *vals);
	a->n++;
	c->buffered++;
	return PK_OK;
}

enum pk_status pk_colstore_add(struct pk_db *db, const struct pk_col_kind *k,
                               const struct pk_col_key *key, int64_t ts_us,
                               const double *vals)
{
	struct pk_col_buffer *c = pk_colstore_buffer(db, k);
	if (!c)
		return PK_ERR_NOMEM;
	return pk_colstore_add_at(db, k, c, key, pk_col_period(ts_us, k->period_us), ts_us, vals);
}

enum pk_status pk_colstore_flush(struct pk_db *db, const struct pk_col_kind *k)
{
	struct pk_col_buffer *c = pk_db_state_peek(db, &k->module);
	if (!c)
		return PK_OK;
	enum pk_status rc = flush_all(db, k, c);
	forget_written(c);
	return rc;
}

void pk_colstore_discard(struct pk_db *db, const struct pk_col_kind *k)
{
	struct pk_col_buffer *c = pk_db_state_peek(db, &k->module);
	if (c) {
		drop_all(c);
		forget_written(c);
	}
}

void pk_colstore_part_begin(struct pk_db *db, const struct pk_col_kind *k)
{
	struct pk_col_buffer *c = pk_db_state_peek(db, &k->module);
	if (c) {
		forget_written(c);
		c->in_part = 1;
	}
}

enum pk_status pk_colstore_part_rollback(struct pk_db *db, const struct pk_col_kind *k)
{
	struct pk_col_buffer *c = pk_db_state_peek(db, &k->module);
	if (!c)
		return PK_OK;
	enum pk_status rc = PK_OK;
	for (size_t i = 0; i < c->nw && rc == PK_OK; i++) {
		struct pk_col_key owner = { .id = c->w[i].id, .text = c->w[i].text,
		                            .text_len = c->w[i].text ? strlen(c->w[i].text) : 0 };
		rc = run_keyed(db, k, c, Q_DIRTY_PUT, &owner, 0, c->w[i].period);
	}
	for (size_t i = 0; i < c->nopen && rc == PK_OK; i++) {
		struct pk_col_key owner = key_of(&c->a[i]);
		rc = run_keyed(db, k, c, Q_DIRTY_PUT, &owner, 0, c->a[i].period);
	}
	drop_all(c);
	forget_written(c);
	return rc;
}

enum pk_status pk_colstore_repair(struct pk_db *db, const struct pk_col_kind *k,
                                  int64_t *count)
{
	if (count)
		*count = 0;
	struct pk_col_buffer *c = get(db, k);
	if (!c)
		return PK_ERR_NOMEM;
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT %s, %s FROM %s ORDER BY %s, %s", k->owner_col,
	         k->period_col, k->dirty_table, k->owner_col, k->period_col);
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db->sql, sql, -1, &q, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	/* collected first: the rebuild deletes the marks */
	struct written *list = NULL;
	size_t n = 0;
	enum pk_status rc = PK_OK;
	int r;
	while (rc == PK_OK && (r = sqlite3_step(q)) == SQLITE_ROW) {
		struct written *l = realloc(list, (n + 1) * sizeof *l);
		if (!l) {
			rc = PK_ERR_NOMEM;
			break;
		}
		list = l;
		list[n] = (struct written){ .id = sqlite3_column_int64(q, 0),
		                            .period = sqlite3_column_int64(q, 1) };
		const char *s = (const char *)sqlite3_column_text(q, 0);
		if (k->owner_text && !(list[n].text = strdup(s ? s : "")))
			rc = PK_ERR_NOMEM;
		n++;
	}
	if (rc == PK_OK && r != SQLITE_DONE)
		rc = PK_ERR_DB;
	sqlite3_finalize(q);
	for (size_t i = 0; i < n; i++) {
		struct pk_col_key owner = { .id = list[i].id, .text = list[i].text,
		                            .text_len = list[i].text ? strlen(list[i].text) : 0 };
		if (rc == PK_OK)
			rc = rebuild(db, k, c, &owner, list[i].period);
		free(list[i].text);
	}
	free(list);
	if (rc == PK_OK && count)
		*count = (int64_t)n;
	return rc;
}

/* ---- reading a window ------------------------------------------------ */

/* Prepares sql (a statement over the key and a period range) and binds the
 * key and [p0, p1]. */
static sqlite3_stmt *window_query(struct pk_db *db, const struct pk_col_kind *k,
                                  const struct pk_col_key *key, int with_series,
                                  const char *sql, int64_t p0, int64_t p1)
{
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db->sql, sql, -1, &q, NULL) != SQLITE_OK)
		return NULL;
	int i = bind_key(q, 1, k, key, with_series);
	sqlite3_bind_int64(q, i, p0);
	sqlite3_bind_int64(q, i + 1, p1);
	return q;
}

/* Hands the sink the row table's samples of period p within [from, to]. */
static enum pk_status period_rows(const struct pk_col_kind *k, int64_t p, int64_t from,
                                  int64_t to, const struct pk_col_sink *sink)
{
	int64_t lo, hi;
	pk_col_period_range(p, k->period_us, &lo, &hi);
	return sink->rows(sink->ctx, lo > from ? lo : from, hi < to ? hi : to);
}

/* Hands the sink the samples of the chunk row at q (period, n, nvals, ts,
 * vals, or the size of vals with times_only) that fall in [from, to];
 * *stale = 1 when it holds another number of values per sample. */
static enum pk_status append_chunk(struct pk_db *db, const struct pk_col_kind *k,
                                   sqlite3_stmt *q, const struct pk_col_key *key,
                                   int64_t from, int64_t to, int times_only,
                                   const struct pk_col_sink *sink, int *stale)
{
	size_t M = *k->nvals;
	if (sqlite3_column_int64(q, 2) != (int64_t)M) {
		*stale = 1;
		return PK_OK;
	}
	struct pk_chunk_blobs b;
	char why[160];
	if ((times_only ? pk_chunk_times_get(q, 1, 3, 4, M, &b, why, sizeof why)
	                : pk_chunk_blobs_get(q, 1, 3, 4, M, &b, why, sizeof why)) != 0) {
		k->damaged(db, key, sqlite3_column_int64(q, 0), why);
		return PK_ERR_DB;
	}
	size_t i = 0, j = b.n;
	while (i < b.n && b.ts[i] < from)
		i++;
	while (j > i && b.ts[j - 1] > to)
		j--;
	if (j == i)
		return PK_OK;
	return sink->append(sink->ctx, j - i, b.ts + i, times_only ? NULL : b.v + i, b.n);
}

/* pk_colstore_read, or its times only. */
static enum pk_status read_window(struct pk_db *db, const struct pk_col_kind *k,
                                  const struct pk_col_key *key, int64_t from_us,
                                  int64_t to_us, int times_only, const struct pk_col_sink *sink)
{
	if (from_us > to_us)
		return PK_OK;
	int64_t p0 = pk_col_period(from_us, k->period_us);
	int64_t p1 = pk_col_period(to_us, k->period_us);
	char sql[512], ow[64], kw[128];
	key_where(ow, sizeof ow, k, 0);
	key_where(kw, sizeof kw, k, 1);
	/* dirty periods of the window, ascending */
	snprintf(sql, sizeof sql, "SELECT %s FROM %s WHERE %s AND %s BETWEEN ? AND ? ORDER BY %s",
	         k->period_col, k->dirty_table, ow, k->period_col, k->period_col);
	sqlite3_stmt *q = window_query(db, k, key, 0, sql, p0, p1);
	if (!q)
		return PK_ERR_DB;
	int64_t *dirty = NULL;
	size_t ndirty = 0;
	enum pk_status rc = pk_db_collect_ints(q, 1, &dirty, &ndirty);
	sqlite3_finalize(q);
	/* room for every chunked sample of the window at once, not by doubling;
	 * counted from the times' bytes, which (unlike n) cannot claim more than
	 * is stored */
	snprintf(sql, sizeof sql, "SELECT sum(length(ts)) / 8 FROM %s WHERE %s AND %s BETWEEN ? "
	         "AND ?", k->table, kw, k->period_col);
	if (rc == PK_OK && !(q = window_query(db, k, key, 1, sql, p0, p1)))
		rc = PK_ERR_DB;
	if (rc == PK_OK) {
		if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int64(q, 0) > 0)
			rc = sink->reserve(sink->ctx, (size_t)sqlite3_column_int64(q, 0));
		sqlite3_finalize(q);
	}
	snprintf(sql, sizeof sql, "SELECT %s, n, %s, ts, %s FROM %s WHERE %s AND %s BETWEEN ? "
	         "AND ? ORDER BY %s", k->period_col, k->nvals_col ? k->nvals_col : "1",
	         times_only ? PK_CHUNK_VALS_BYTES : "vals", k->table, kw, k->period_col,
	         k->period_col);
	q = NULL;
	if (rc == PK_OK && !(q = window_query(db, k, key, 1, sql, p0, p1)))
		rc = PK_ERR_DB;
	size_t d = 0;   /* next dirty period to read */
	int r = SQLITE_DONE;
	while (rc == PK_OK && (r = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t p = sqlite3_column_int64(q, 0);
		for (; d < ndirty && dirty[d] < p && rc == PK_OK; d++)
			rc = period_rows(k, dirty[d], from_us, to_us, sink);
		if (rc != PK_OK || (d < ndirty && dirty[d] == p))
			continue;   /* read with the dirty periods */
		int stale = 0;
		rc = append_chunk(db, k, q, key, from_us, to_us, times_only, sink, &stale);
		if (rc == PK_OK && stale)
			rc = period_rows(k, p, from_us, to_us, sink);
	}
	if (rc == PK_OK && r != SQLITE_DONE)
		rc = PK_ERR_DB;
	for (; d < ndirty && rc == PK_OK; d++)
		rc = period_rows(k, dirty[d], from_us, to_us, sink);
	sqlite3_finalize(q);
	free(dirty);
	return rc;
}

enum pk_status pk_colstore_read(struct pk_db *db, const struct pk_col_kind *k,
                                const struct pk_col_key *key, int64_t from_us,
                                int64_t to_us, const struct pk_col_sink *sink)
{
	return read_window(db, k, key, from_us, to_us, 0, sink);
}

enum pk_status pk_colstore_read_times(struct pk_db *db, const struct pk_col_kind *k,
                                      const struct pk_col_key *key, int64_t from_us,
                                      int64_t to_us, const struct pk_col_sink *sink)
{
	return read_window(db, k, key, from_us, to_us, 1, sink);
}
