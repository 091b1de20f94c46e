/* gpu_sys_chunks.c - the columnar copies of gpu_sample and sys_sample (see
 * gpu_sys_chunks.h): the gpu_chunk and sys_chunk kinds of the columnar
 * engine (colstore.c), their writer fed by pk_store_row, their rebuild
 * from the row tables, and the reading of a machine's rows from them. */
#include "gpu_sys_chunks.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colstore.h"
#include "query_gpu_sys.h"
#include "timeutil.h"

static const char *const gpu_col_names[PK_GPU_NCOLS] = {
	"utilization_gpu_percent", "utilization_memory_percent", "memory_used_mib",
	"memory_total_mib", "temperature_gpu_c", "power_draw_w", "clocks_sm_mhz",
};

static const char *const sys_col_names[PK_SYS_NCOLS] = {
	"interval_s", "cpu_user", "cpu_nice", "cpu_system", "cpu_iowait", "cpu_steal",
	"cpu_idle", "mem_free_kb", "mem_avail_kb", "mem_used_kb", "mem_used_percent",
	"mem_buffers_kb", "mem_cached_kb", "mem_commit_percent", "runq_sz", "plist_sz",
	"ldavg_1", "ldavg_5", "ldavg_15", "blocked", "cpu_usr", "cpu_nice_noguest",
	"cpu_sys", "cpu_irq", "cpu_soft", "cpu_guest", "cpu_gnice",
};

static const size_t gpu_ncols = PK_GPU_NCOLS, sys_ncols = PK_SYS_NCOLS;

static enum pk_status gpu_rebuild(struct pk_db *db, const struct pk_col_key *owner,
                                  int64_t day, int64_t lo, int64_t hi);
static enum pk_status sys_rebuild(struct pk_db *db, const struct pk_col_key *owner,
                                  int64_t day, int64_t lo, int64_t hi);
static void gpu_damaged(struct pk_db *db, const struct pk_col_key *key, int64_t day,
                        const char *why);
static void sys_damaged(struct pk_db *db, const struct pk_col_key *key, int64_t day,
                        const char *why);

/* The GPU is the series (its index as text; the column's INTEGER affinity
 * stores and compares it as a number). */
static const struct pk_col_kind gpu_kind = {
	.module = { pk_colstore_make, pk_colstore_free },
	.table = "gpu_chunk",
	.dirty_table = "gpu_chunk_dirty",
	.owner_col = "profile",
	.owner_text = 1,
	.series_col = "gpu_index",
	.period_col = "day",
	.period_us = PK_US_PER_DAY,
	.nvals_col = "ncols",
	.nvals = &gpu_ncols,
	.open_max = 32,               /* 8 GPUs over 4 days */
	.buffer_max = 16384,
	.rebuild = gpu_rebuild,
	.damaged = gpu_damaged,
};

static const struct pk_col_kind sys_kind = {
	.module = { pk_colstore_make, pk_colstore_free },
	.table = "sys_chunk",
	.dirty_table = "sys_chunk_dirty",
	.owner_col = "profile",
	.owner_text = 1,
	.period_col = "day",
	.period_us = PK_US_PER_DAY,
	.nvals_col = "ncols",
	.nvals = &sys_ncols,
	.open_max = 4,
	.buffer_max = 16384,
	.rebuild = sys_rebuild,
	.damaged = sys_damaged,
};

/* What one kind reads from its row table. */
struct source {
	const struct pk_col_kind *kind;
	const char *row_table;
	const char *const *cols;
	size_t ncols;
};

static const struct source gpu_source = { &gpu_kind, "gpu_sample", gpu_col_names,
	                                  PK_GPU_NCOLS };
static const struct source sys_source = { &sys_kind, "sys_sample", sys_col_names,
	                                  PK_SYS_NCOLS };

/* Rows of raw columns: row i is v[i * ncols ...], its time ts[i]. */
struct pk_raw_rows {
	size_t n, cap, ncols;
	int64_t *ts;
	double *v;
};

/* Rows handed to a sink at a time: small, so that no large buffer is made
 * and freed per read. */
#define BATCH 1024

static void rows_free(struct pk_raw_rows *r)
{
	free(r->ts);
	free(r->v);
	*r = (struct pk_raw_rows){ .ncols = r->ncols };
}

/* Room for n rows: exactly n when exact (a known count), else by doubling. */
static enum pk_status rows_room(struct pk_raw_rows *r, size_t n, int exact)
{
	if (n <= r->cap)
		return PK_OK;
	size_t cap = r->cap ? r->cap : 64;
	while (cap < n)
		cap *= 2;
	if (exact)
		cap = n;
	int64_t *ts = realloc(r->ts, cap * sizeof *ts);
	if (!ts)
		return PK_ERR_NOMEM;
	r->ts = ts;
	double *v = realloc(r->v, cap * (r->ncols ? r->ncols : 1) * sizeof *v);
	if (!v)
		return PK_ERR_NOMEM;
	r->v = v;
	r->cap = cap;
	return PK_OK;
}

static enum pk_status rows_reserve(struct pk_raw_rows *r, size_t n)
{
	return rows_room(r, n, 0);
}

/* "SELECT [gpu_index, ]ts_us, <the source's columns> FROM <table> WHERE
 * <where> ORDER BY <order>" */
static enum pk_status rows_sql(const struct source *s, int with_gpu, const char *where,
                               const char *order, char *sql, size_t sz)
{
	size_t len = (size_t)snprintf(sql, sz, "SELECT %sts_us", with_gpu ? "gpu_index, " : "");
	for (size_t c = 0; c < s->ncols && len < sz; c++)
		len += (size_t)snprintf(sql + len, sz - len, ", %s", s->cols[c]);
	if (len < sz)
		len += (size_t)snprintf(sql + len, sz - len, " FROM %s WHERE %s ORDER BY %s",
		                        s->row_table, where, order);
	return len < sz ? PK_OK : PK_ERR_DB;
}

/* Appends the row at q (from column c0: ts_us, then the source's columns;
 * only cols[0..ncols) kept, all when cols is NULL) to r. */
static enum pk_status rows_append(struct pk_raw_rows *r, sqlite3_stmt *q, int c0,
                                  const unsigned *cols)
{
	enum pk_status rc = rows_reserve(r, r->n + 1);
	if (rc != PK_OK)
		return rc;
	r->ts[r->n] = sqlite3_column_int64(q, c0);
	double *v = r->v + r->n * r->ncols;
	for (size_t c = 0; c < r->ncols; c++) {
		int col = c0 + 1 + (int)(cols ? cols[c] : c);
		v[c] = sqlite3_column_type(q, col) == SQLITE_NULL ? NAN : sqlite3_column_double(q, col);
	}
	r->n++;
	return PK_OK;
}

/* ---- rebuilding a day from the row table ------------------------------ */

/* Writes the chunk of key from r's rows (all columns, row-major). */
static enum pk_status write_chunk(struct pk_db *db, const struct source *s,
                                  const struct pk_col_key *key, int64_t day,
                                  const struct pk_raw_rows *r)
{
	double *vals = r->n ? malloc(r->n * s->ncols * sizeof *vals) : NULL;
	if (r->n && !vals)
		return PK_ERR_NOMEM;
	for (size_t i = 0; i < r->n; i++)
		for (size_t c = 0; c < s->ncols; c++)
			vals[c * r->n + i] = r->v[i * s->ncols + c];
	enum pk_status rc = pk_colstore_write(db, s->kind, key, day, r->n, r->ts, vals);
	free(vals);
	return rc;
}

/* Rebuilds every chunk of (profile, day): one per GPU for gpu_sample. */
static enum pk_status rebuild(struct pk_db *db, const struct source *s,
                              const struct pk_col_key *owner, int64_t day, int64_t lo,
                              int64_t hi)
{
	char sql[1024];
	int gpu = s == &gpu_source;
	if (rows_sql(s, gpu, "profile = ? AND ts_us BETWEEN ? AND ?",
	             gpu ? "gpu_index, ts_us" : "ts_us", sql, sizeof sql) != PK_OK)
		return PK_ERR_DB;
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db->sql, sql, -1, &q, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	sqlite3_bind_text(q, 1, owner->text, (int)owner->text_len, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, lo);
	sqlite3_bind_int64(q, 3, hi);
	struct pk_raw_rows r = { .ncols = s->ncols };
	struct pk_col_key key = *owner;
	char series[24] = "";
	int64_t index = 0;
	enum pk_status rc = PK_OK;
	int step;
	while (rc == PK_OK && (step = sqlite3_step(q)) == SQLITE_ROW) {
		if (gpu) {
			int64_t g = sqlite3_column_int64(q, 0);
			if (r.n > 0 && g != index) {
				rc = write_chunk(db, s, &key, day, &r);
				r.n = 0;
			}
			index = g;
			snprintf(series, sizeof series, "%lld", (long long)g);
			key.series = series;
			key.series_len = strlen(series);
		}
		if (rc == PK_OK)
			rc = rows_append(&r, q, gpu, NULL);
	}
	if (rc == PK_OK && step != SQLITE_DONE)
		rc = PK_ERR_DB;
	sqlite3_finalize(q);
	if (rc == PK_OK && r.n > 0)
		rc = write_chunk(db, s, &key, day, &r);
	rows_free(&r);
	return rc;
}

static enum pk_status gpu_rebuild(struct pk_db *db, const struct pk_col_key *owner,
                                  int64_t day, int64_t lo, int64_t hi)
{
	return rebuild(db, &gpu_source, owner, day, lo, hi);
}

static enum pk_status sys_rebuild(struct pk_db *db, const struct pk_col_key *owner,
                                  int64_t day, int64_t lo, int64_t hi)
{
	return rebuild(db, &sys_source, owner, day, lo, hi);
}

static void damaged(struct pk_db *db, const char *what, const struct pk_col_key *key,
                    int64_t day, const char *why)
{
	pk_db_set_damage(db, "%s: %s_chunk row (profile %.*s%s%.*s, day %lld) is damaged: %s; "
	                 "have it rebuilt from %s_sample by adding (profile, day) to "
	                 "%s_chunk_dirty", db->path, what, (int)key->text_len, key->text,
	                 key->series ? ", gpu_index " : "", key->series ? (int)key->series_len : 0,
	                 key->series ? key->series : "", (long long)day, why, what, what);
}

static void gpu_damaged(struct pk_db *db, const struct pk_col_key *key, int64_t day,
                        const char *why)
{
	damaged(db, "gpu", key, day, why);
}

static void sys_damaged(struct pk_db *db, const struct pk_col_key *key, int64_t day,
                        const char *why)
{
	damaged(db, "sys", key, day, why);
}

/* ---- the writer -------------------------------------------------------- */

/* Where a reader's table (found by name) has the columns a chunk needs:
 * -1 for one it lacks (NULL in the row). */
struct col_map {
	const struct pk_table *t;
	int profile, ts, gpu;
	int col[PK_SYS_NCOLS];
};

struct writer_maps {
	struct col_map gpu, sys;
};

static void *maps_make(void)
{
	return calloc(1, sizeof(struct writer_maps));
}

static const struct pk_db_module maps_module = { maps_make, free };

static int col_of(const struct pk_table *t, const char *name)
{
	for (size_t c = 0; c < t->ncols; c++)
		if (strcmp(t->cols[c].name, name) == 0)
			return (int)c;
	return -1;
}

static const struct col_map *map_for(struct col_map *m, const struct source *s,
                                     const struct pk_table *t)
{
	if (m->t == t)
		return m;
	m->t = t;
	m->profile = col_of(t, "profile");
	m->ts = col_of(t, "ts_us");
	m->gpu = col_of(t, "gpu_index");
	for (size_t c = 0; c < s->ncols; c++)
		m->col[c] = col_of(t, s->cols[c]);
	return m;
}

/* A value as SQLite's REAL column gives it back: NULL (and a non-finite
 * number, stored as NULL) NAN, an integer as a double, -0 as 0 (stored as
 * the integer 0).  Readers bind numbers only to these columns. */
static double stored_number(const struct pk_value *v)
{
	double d = v->kind == PK_V_INT ? (double)v->i : v->kind == PK_V_REAL ? v->d : NAN;
	return !isfinite(d) ? NAN : d == 0 ? 0.0 : d;
}

enum pk_status pk_gpu_sys_chunks_add(struct pk_db *db, const struct pk_table *t,
                                     const struct pk_value *v)
{
	int gpu = strcmp(t->name, "gpu_sample") == 0;
	if (!gpu && strcmp(t->name, "sys_sample") != 0)
		return PK_OK;
	struct writer_maps *maps = pk_db_state(db, &maps_module);
	if (!maps)
		return PK_ERR_NOMEM;
	const struct source *s = gpu ? &gpu_source : &sys_source;
	const struct col_map *m = map_for(gpu ? &maps->gpu : &maps->sys, s, t);
	if (m->profile < 0 || m->ts < 0 || (gpu && m->gpu < 0) ||
	    v[m->profile].kind != PK_V_TEXT || v[m->ts].kind != PK_V_INT ||
	    (gpu && v[m->gpu].kind != PK_V_INT))
		return PK_ERR_DB;   /* a table the copy cannot follow: never silently */
	struct pk_col_key key = { .text = v[m->profile].s, .text_len = v[m->profile].n };
	char series[24];
	if (gpu) {
		snprintf(series, sizeof series, "%lld", (long long)v[m->gpu].i);
		key.series = series;
		key.series_len = strlen(series);
	}
	double vals[PK_SYS_NCOLS];
	for (size_t c = 0; c < s->ncols; c++)
		vals[c] = m->col[c] < 0 ? NAN : stored_number(&v[m->col[c]]);
	return pk_colstore_add(db, s->kind, &key, v[m->ts].i, vals);
}

enum pk_status pk_gpu_sys_chunks_flush(struct pk_db *db)
{
	enum pk_status rc = pk_colstore_flush(db, &gpu_kind);
	return rc == PK_OK ? pk_colstore_flush(db, &sys_kind) : rc;
}

void pk_gpu_sys_chunks_discard(struct pk_db *db)
{
	pk_colstore_discard(db, &gpu_kind);
	pk_colstore_discard(db, &sys_kind);
}

void pk_gpu_sys_chunks_part_begin(struct pk_db *db)
{
	pk_colstore_part_begin(db, &gpu_kind);
	pk_colstore_part_begin(db, &sys_kind);
}

enum pk_status pk_gpu_sys_chunks_part_rollback(struct pk_db *db)
{
	enum pk_status rc = pk_colstore_part_rollback(db, &gpu_kind);
	enum pk_status rs = pk_colstore_part_rollback(db, &sys_kind);
	return rc != PK_OK ? rc : rs;
}

enum pk_status pk_gpu_sys_chunks_repair(struct pk_db *db, int64_t *days)
{
	int64_t g = 0, s = 0;
	enum pk_status rc = pk_colstore_repair(db, &gpu_kind, &g);
	if (rc == PK_OK)
		rc = pk_colstore_repair(db, &sys_kind, &s);
	if (days)
		*days = g + s;
	return rc;
}

/* ---- reading a machine's rows ----------------------------------------- */

/* One chunk key's rows (the selected columns) and the engine's sink. */
struct key_read {
	struct pk_db *db;
	const struct source *s;
	char *profile;
	int64_t gpu;
	const unsigned *cols;
	/* the only key: its rows go to direct in batches (through rows, BATCH
	 * rows at most); else they are all kept in rows for the merge */
	const struct pk_raw_sink *direct;
	struct pk_raw_rows rows;
};

/* Hands the batch held in k->rows to the sink and empties it. */
static enum pk_status kr_emit(struct key_read *k)
{
	enum pk_status rc = k->rows.n ? k->direct->rows(k->direct->ctx, k->rows.n, k->rows.ts,
	                                                 k->rows.v) : PK_OK;
	k->rows.n = 0;
	return rc;
}

static enum pk_status kr_reserve(void *ctx, size_t more)
{
	struct key_read *k = ctx;
	if (k->direct)
		return k->direct->reserve(k->direct->ctx, more);
	return rows_room(&k->rows, k->rows.n + more, 1);
}

static enum pk_status kr_append(void *ctx, size_t n, const int64_t *ts, const double *vals,
                                size_t stride)
{
	struct key_read *k = ctx;
	struct pk_raw_rows *r = &k->rows;
	enum pk_status rc = PK_OK;
	for (size_t from = 0; from < n && rc == PK_OK;) {
		size_t m = k->direct && n - from > BATCH - r->n ? BATCH - r->n : n - from;
		if ((rc = rows_reserve(r, r->n + m)) != PK_OK)
			break;
		memcpy(r->ts + r->n, ts + from, m * sizeof *ts);
		for (size_t c = 0; c < r->ncols; c++) {
			const double *src = vals + k->cols[c] * stride + from;
			double *dst = r->v + r->n * r->ncols + c;
			for (size_t i = 0; i < m; i++)
				dst[i * r->ncols] = src[i];
		}
		r->n += m;
		from += m;
		if (k->direct && r->n == BATCH)
			rc = kr_emit(k);
	}
	return rc;
}

/* The row table's rows of the key in [from_us, to_us] (a dirty day). */
static enum pk_status kr_rows(void *ctx, int64_t from_us, int64_t to_us)
{
	struct key_read *k = ctx;
	int gpu = k->s == &gpu_source;
	char sql[1024];
	if (rows_sql(k->s, 0, gpu ? "profile = ?1 AND gpu_index = ?4 AND ts_us BETWEEN ?2 AND ?3" :
	             "profile = ?1 AND ts_us BETWEEN ?2 AND ?3", "ts_us", sql, sizeof sql) != PK_OK)
		return PK_ERR_DB;
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(k->db->sql, sql, -1, &q, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	sqlite3_bind_text(q, 1, k->profile, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, from_us);
	sqlite3_bind_int64(q, 3, to_us);
	if (gpu)
		sqlite3_bind_int64(q, 4, k->gpu);
	enum pk_status rc = PK_OK;
	int step;
	while (rc == PK_OK && (step = sqlite3_step(q)) == SQLITE_ROW) {
		rc = rows_append(&k->rows, q, 0, k->cols);
		if (rc == PK_OK && k->direct && k->rows.n == BATCH)
			rc = kr_emit(k);
	}
	if (rc == PK_OK && step != SQLITE_DONE)
		rc = PK_ERR_DB;
	sqlite3_finalize(q);
	return rc;
}

/* The keys to read, in the order that picks a time's row: by GPU index,
 * then by profile name. */
struct keys {
	struct key_read *k;
	size_t n, cap;
};

static enum pk_status keys_add(struct keys *ks, const char *profile, int64_t gpu)
{
	for (size_t i = 0; i < ks->n; i++)
		if (ks->k[i].gpu == gpu && strcmp(ks->k[i].profile, profile) == 0)
			return PK_OK;
	if (ks->n == ks->cap) {
		size_t cap = ks->cap ? ks->cap * 2 : 8;
		struct key_read *k = realloc(ks->k, cap * sizeof *k);
		if (!k)
			return PK_ERR_NOMEM;
		ks->k = k;
		ks->cap = cap;
	}
	ks->k[ks->n] = (struct key_read){ .profile = strdup(profile), .gpu = gpu };
	return ks->k[ks->n++].profile ? PK_OK : PK_ERR_NOMEM;
}

static void keys_free(struct keys *ks)
{
	for (size_t i = 0; i < ks->n; i++) {
		free(ks->k[i].profile);
		rows_free(&ks->k[i].rows);
	}
	free(ks->k);
	*ks = (struct keys){ 0 };
}

static int key_cmp(const void *a, const void *b)
{
	const struct key_read *x = a, *y = b;
	if (x->gpu != y->gpu)
		return x->gpu < y->gpu ? -1 : 1;
	return strcmp(x->profile, y->profile);
}

/* Runs q (its parameters bound) and adds (profile, its first column as the
 * GPU index; 0 for sysstat) for each row. */
static enum pk_status keys_from(struct keys *ks, sqlite3_stmt *q, const char *profile,
                                int gpu)
{
	enum pk_status rc = PK_OK;
	int step;
	while (rc == PK_OK && (step = sqlite3_step(q)) == SQLITE_ROW)
		rc = keys_add(ks, profile, gpu ? sqlite3_column_int64(q, 0) : 0);
	if (rc == PK_OK && step != SQLITE_DONE)
		rc = PK_ERR_DB;
	sqlite3_reset(q);
	return rc;
}

/* The GPUs of profile in days [d0, d1] (window [from_us, to_us]): those
 * with chunks, and those with rows in a dirty day. */
static enum pk_status gpu_keys(struct pk_db *db, struct keys *ks, const char *profile,
                               int64_t d0, int64_t d1, int64_t from_us, int64_t to_us)
{
	sqlite3_stmt *q = NULL, *rows = NULL;
	enum pk_status rc = PK_OK;
	if (sqlite3_prepare_v2(db->sql, "SELECT DISTINCT gpu_index FROM gpu_chunk "
	                       "WHERE profile = ? AND day BETWEEN ? AND ?", -1, &q, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	sqlite3_bind_text(q, 1, profile, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, d0);
	sqlite3_bind_int64(q, 3, d1);
	rc = keys_from(ks, q, profile, 1);
	sqlite3_finalize(q);
	q = NULL;
	int64_t *dirty = NULL;
	size_t ndirty = 0;
	if (rc == PK_OK && sqlite3_prepare_v2(db->sql, "SELECT day FROM gpu_chunk_dirty "
	                                      "WHERE profile = ? AND day BETWEEN ? AND ? "
	                                      "ORDER BY day", -1, &q, NULL) != SQLITE_OK)
		rc = PK_ERR_DB;
	if (rc == PK_OK) {
		sqlite3_bind_text(q, 1, profile, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 2, d0);
		sqlite3_bind_int64(q, 3, d1);
		rc = pk_db_collect_ints(q, 1, &dirty, &ndirty);
	}
	sqlite3_finalize(q);
	if (rc == PK_OK && ndirty > 0 &&
	    sqlite3_prepare_v2(db->sql, "SELECT DISTINCT gpu_index FROM gpu_sample "
	                       "WHERE profile = ? AND ts_us BETWEEN ? AND ?", -1, &rows,
	                       NULL) != SQLITE_OK)
		rc = PK_ERR_DB;
	for (size_t i = 0; i < ndirty && rc == PK_OK; i++) {
		int64_t lo, hi;
		pk_col_period_range(dirty[i], PK_US_PER_DAY, &lo, &hi);
		sqlite3_bind_text(rows, 1, profile, -1, SQLITE_STATIC);
		sqlite3_bind_int64(rows, 2, lo > from_us ? lo : from_us);
		sqlite3_bind_int64(rows, 3, hi < to_us ? hi : to_us);
		rc = keys_from(ks, rows, profile, 1);
	}
	sqlite3_finalize(rows);
	free(dirty);
	return rc;
}

/* The names that stand for name's machine, each with its keys. */
static enum pk_status machine_keys(struct pk_db *db, int gpu, const char *name,
                                   int64_t from_us, int64_t to_us, struct keys *ks)
{
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db->sql, "WITH " PK_MACHINE_NAMES_CTE "SELECT n FROM names",
	                       -1, &q, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	int64_t d0 = pk_col_period(from_us, PK_US_PER_DAY), d1 = pk_col_period(to_us, PK_US_PER_DAY);
	enum pk_status rc = PK_OK;
	int step;
	while (rc == PK_OK && (step = sqlite3_step(q)) == SQLITE_ROW) {
		const char *n = (const char *)sqlite3_column_text(q, 0);
		if (!n)
			continue;
		rc = gpu ? gpu_keys(db, ks, n, d0, d1, from_us, to_us) : keys_add(ks, n, 0);
	}
	if (rc == PK_OK && step != SQLITE_DONE)
		rc = PK_ERR_DB;
	sqlite3_finalize(q);
	if (rc == PK_OK && ks->n > 1)
		qsort(ks->k, ks->n, sizeof *ks->k, key_cmp);
	return rc;
}

/* Merges the keys' rows (each in time order) into sink, in batches: one
 * row per time, the first key's that has it. */
static enum pk_status merge_keys(struct keys *ks, size_t ncols, const struct pk_raw_sink *sink)
{
	size_t total = 0;
	for (size_t i = 0; i < ks->n; i++)
		total += ks->k[i].rows.n;
	struct pk_raw_rows out = { .ncols = ncols };
	enum pk_status rc = total ? sink->reserve(sink->ctx, total) : PK_OK;
	if (rc == PK_OK)
		rc = rows_room(&out, BATCH, 1);
	size_t *pos = calloc(ks->n ? ks->n : 1, sizeof *pos);
	if (!pos)
		rc = PK_ERR_NOMEM;
	while (rc == PK_OK) {
		size_t best = ks->n;
		for (size_t i = 0; i < ks->n; i++)
			if (pos[i] < ks->k[i].rows.n &&
			    (best == ks->n || ks->k[i].rows.ts[pos[i]] < ks->k[best].rows.ts[pos[best]]))
				best = i;
		if (best == ks->n)
			break;
		const struct pk_raw_rows *b = &ks->k[best].rows;
		int64_t t = b->ts[pos[best]];
		out.ts[out.n] = t;
		memcpy(out.v + out.n * ncols, b->v + pos[best] * ncols, ncols * sizeof *out.v);
		if (++out.n == BATCH) {
			rc = sink->rows(sink->ctx, out.n, out.ts, out.v);
			out.n = 0;
		}
		for (size_t i = 0; i < ks->n; i++)
			if (pos[i] < ks->k[i].rows.n && ks->k[i].rows.ts[pos[i]] == t)
				pos[i]++;
	}
	if (rc == PK_OK && out.n)
		rc = sink->rows(sink->ctx, out.n, out.ts, out.v);
	free(pos);
	rows_free(&out);
	return rc;
}

enum pk_status pk_gpu_sys_rows(struct pk_db *db, int gpu, const char *name,
                               int64_t from_us, int64_t to_us, const unsigned *cols,
                               size_t ncols, const struct pk_raw_sink *sink)
{
	const struct source *s = gpu ? &gpu_source : &sys_source;
	for (size_t c = 0; c < ncols; c++)
		if (cols[c] >= s->ncols)
			return PK_ERR_DB;
	if (from_us > to_us)
		return PK_OK;
	struct keys ks = { 0 };
	enum pk_status rc = machine_keys(db, gpu, name, from_us, to_us, &ks);
	for (size_t i = 0; i < ks.n && rc == PK_OK; i++) {
		struct key_read *k = &ks.k[i];
		k->db = db;
		k->s = s;
		k->cols = cols;
		k->rows.ncols = ncols;
		if (ks.n == 1) {
			k->direct = sink;
			rc = rows_room(&k->rows, BATCH, 1);
		}
		char series[24];
		snprintf(series, sizeof series, "%lld", (long long)k->gpu);
		struct pk_col_key key = { .text = k->profile, .text_len = strlen(k->profile),
		                          .series = gpu ? series : NULL,
		                          .series_len = gpu ? strlen(series) : 0 };
		struct pk_col_sink cs = { k, kr_reserve, kr_append, kr_rows };
		if (rc == PK_OK)
			rc = ncols ? pk_colstore_read(db, s->kind, &key, from_us, to_us, &cs)
			           : pk_colstore_read_times(db, s->kind, &key, from_us, to_us, &cs);
		if (rc == PK_OK && k->direct)
			rc = kr_emit(k);
	}
	if (rc == PK_OK && ks.n > 1)
		rc = merge_keys(&ks, ncols, sink);
	keys_free(&ks);
	return rc;
}

/* ---- a machine's times ------------------------------------------------- */

struct times {
	int64_t *ts;
	size_t n, cap;
};

static enum pk_status times_reserve(void *ctx, size_t more)
{
	struct times *t = ctx;
	if (t->n + more <= t->cap)
		return PK_OK;
	int64_t *ts = realloc(t->ts, (t->n + more) * sizeof *ts);
	if (!ts)
		return PK_ERR_NOMEM;
	t->ts = ts;
	t->cap = t->n + more;
	return PK_OK;
}

static enum pk_status times_rows(void *ctx, size_t n, const int64_t *ts, const double *v)
{
	(void)v;
	struct times *t = ctx;
	if (t->n + n > t->cap) {
		size_t more = t->cap > n ? t->cap : n;
		enum pk_status rc = times_reserve(t, more);
		if (rc != PK_OK)
			return rc;
	}
	memcpy(t->ts + t->n, ts, n * sizeof *ts);
	t->n += n;
	return PK_OK;
}

/* Keeps the sysstat keys (names) that have rows. */
static enum pk_status keep_with_rows(struct pk_db *db, struct keys *ks)
{
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db->sql, "SELECT 1 FROM sys_sample WHERE profile = ? LIMIT 1", -1,
	                       &q, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	enum pk_status rc = PK_OK;
	size_t k = 0;
	for (size_t i = 0; i < ks->n; i++) {
		int r = SQLITE_ROW;    /* after an error: kept, to be freed */
		if (rc == PK_OK) {
			sqlite3_reset(q);
			sqlite3_bind_text(q, 1, ks->k[i].profile, -1, SQLITE_STATIC);
			r = sqlite3_step(q);
			if (r != SQLITE_ROW && r != SQLITE_DONE)
				rc = PK_ERR_DB;
		}
		if (r == SQLITE_DONE)
			free(ks->k[i].profile);
		else
			ks->k[k++] = ks->k[i];
	}
	ks->n = k;
	sqlite3_finalize(q);
	return rc;
}

/* The count and ends of one chunk key's rows, whose times are distinct:
 * the chunks' n and the ends of the (profile, ts_us) key (?1 profile, ?2
 * GPU index). */
static const char *const key_times_sql[2] = {
	"SELECT " PK_SYS_KEY_TIMES("?1"),
	"SELECT " PK_GPU_KEY_TIMES("?1", "?2"),
};

static enum pk_status key_times(struct pk_db *db, int gpu, const struct key_read *k,
                                int64_t *count, int64_t *first, int64_t *last)
{
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db->sql, key_times_sql[gpu], -1, &q, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	sqlite3_bind_text(q, 1, k->profile, -1, SQLITE_STATIC);
	if (gpu)
		sqlite3_bind_int64(q, 2, k->gpu);
	enum pk_status rc = PK_ERR_DB;
	if (sqlite3_step(q) == SQLITE_ROW) {
		rc = PK_OK;
		*count = sqlite3_column_int64(q, 0);
		if (*count > 0) {
			*first = sqlite3_column_int64(q, 1);
			*last = sqlite3_column_int64(q, 2);
		}
	}
	sqlite3_finalize(q);
	return rc;
}

enum pk_status pk_gpu_sys_times(struct pk_db *db, const char *name, int64_t *count,
                                int64_t *first, int64_t *last)
{
	/* one chunk key with rows: counted, no time read */
	struct keys gk = { 0 }, sk = { 0 };
	enum pk_status rc = machine_keys(db, 1, name, INT64_MIN, INT64_MAX, &gk);
	if (rc == PK_OK)
		rc = machine_keys(db, 0, name, INT64_MIN, INT64_MAX, &sk);
	if (rc == PK_OK)
		rc = keep_with_rows(db, &sk);
	int single = rc == PK_OK && gk.n + sk.n == 1;
	if (single)
		rc = key_times(db, gk.n == 1, gk.n ? &gk.k[0] : &sk.k[0], count, first, last);
	keys_free(&gk);
	keys_free(&sk);
	if (rc != PK_OK || single) {
		if (rc != PK_OK)
			*count = 0;
		return rc;
	}
	struct times t[2] = { { 0 }, { 0 } };
	for (int gpu = 0; gpu < 2 && rc == PK_OK; gpu++) {
		struct pk_raw_sink sink = { &t[gpu], times_reserve, times_rows };
		rc = pk_gpu_sys_rows(db, gpu, name, INT64_MIN, INT64_MAX, NULL, 0, &sink);
	}
	/* each list is ascending and distinct: count their union */
	size_t i = 0, j = 0;
	int64_t n = 0;
	while (rc == PK_OK && (i < t[0].n || j < t[1].n)) {
		int64_t a = i < t[0].n ? t[0].ts[i] : INT64_MAX, b = j < t[1].n ? t[1].ts[j] : INT64_MAX;
		int64_t ts = a < b ? a : b;
		if (a == ts && i < t[0].n)
			i++;
		if (b == ts && j < t[1].n)
			j++;
		if (n++ == 0)
			*first = ts;
		*last = ts;
	}
	*count = rc == PK_OK ? n : 0;
	free(t[0].ts);
	free(t[1].ts);
	return rc;
}
