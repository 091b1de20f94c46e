/* query_gpu_sys.c - query_gpu_sys.h: nvidia-smi and sysstat records read
 * (from their columnar copies, gpu_sys_chunks.c) as hardware series on the
 * registry's metric names: the mapping is here, in C. */
#include "query_gpu_sys.h"

#include <math.h>
#include <stddef.h>

#include "db_internal.h"
#include "gpu_sys_chunks.h"
#include "metrics.h"
#include "query_generic_hw.h"
#include "series_merge.h"

#define NAMES_CTE "WITH " PK_MACHINE_NAMES_CTE

/* The times of the machine's registry-named generic records that are no
 * time of its nvidia-smi or sysstat rows (those are counted from the
 * chunks): count, first, last. */
static const char generic_times_sql[] =
	NAMES_CTE ", " PK_GENERIC_HW_SOURCES_CTE "SELECT count(DISTINCT ts_us), min(ts_us), "
	"max(ts_us) FROM generic_record r WHERE source IN (SELECT s FROM g) "
	"AND NOT EXISTS (SELECT 1 FROM gpu_sample WHERE profile IN (SELECT n FROM names) "
	"AND ts_us = r.ts_us) "
	"AND NOT EXISTS (SELECT 1 FROM sys_sample WHERE profile IN (SELECT n FROM names) "
	"AND ts_us = r.ts_us)";

/* Each reading: the table (gpu_sample or sys_sample), the raw columns it
 * reads from the columnar copy (gpu_sys_chunks.h), the registry names of
 * the metrics, and the mapping of one row's columns (in the order of cols;
 * NAN is NULL, and arithmetic on it stays NAN) to those metrics. */
struct reading {
	int gpu;
	unsigned cols[6];
	size_t ncols;
	const char *metrics[6];
	void (*map)(const double *raw, double *m);
};

static void gpu_map(const double *r, double *m)
{
	m[0] = r[0];
	m[1] = r[1];
	m[2] = r[2];
	m[3] = r[3] - r[2];   /* memory.total - memory.used */
	m[4] = r[4];
	m[5] = r[5];
}

static const struct reading gpu_reading = {
	1,
	{ PK_GPU_UTIL, PK_GPU_MEM_UTIL, PK_GPU_MEM_USED, PK_GPU_MEM_TOTAL, PK_GPU_TEMP,
	  PK_GPU_POWER }, 6,
	{ "gpu.utilization_percent", "gpu.memory_utilization_percent", "gpu.memory_used_mb",
	  "gpu.memory_free_mb", "gpu.temperature_celsius", "gpu.power_draw_watts" },
	gpu_map,
};

static void sys_map(const double *r, double *m)
{
	m[0] = 100.0 - r[0];     /* 100 - %idle */
	m[1] = r[1];
	m[2] = r[2] / 1048576.0; /* KiB -> GiB */
	m[3] = r[3] / 1048576.0;
	m[4] = r[4];
}

static const struct reading sys_reading = {
	0,
	{ PK_SYS_CPU_IDLE, PK_SYS_LDAVG_1, PK_SYS_MEM_USED_KB, PK_SYS_MEM_AVAIL_KB,
	  PK_SYS_MEM_USED_PERCENT }, 5,
	{ "cpu.percent_total", "cpu.load_average_1min", "memory.used_gb", "memory.available_gb",
	  "memory.percent", NULL },
	sys_map,
};

/* Adds the machine's generic record times that gpu_sample and sys_sample
 * do not have to *n and widens [*first, *last] (set when *n was 0). */
static enum pk_status generic_times(struct pk_db *db, const char *name, int64_t *n,
                                    int64_t *first, int64_t *last)
{
	struct pk_buf reg = PK_BUF_INIT;
	sqlite3_stmt *q = NULL;
	enum pk_status rc = pk_registry_names_json(&reg);
	if (rc == PK_OK && sqlite3_prepare_v2(db->sql, generic_times_sql, -1, &q, NULL) != SQLITE_OK)
		rc = PK_ERR_DB;
	if (rc == PK_OK) {
		sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 4, reg.data, (int)reg.len, SQLITE_STATIC);
		rc = sqlite3_step(q) == SQLITE_ROW ? PK_OK : PK_ERR_DB;
	}
	int64_t k = rc == PK_OK ? sqlite3_column_int64(q, 0) : 0;
	if (k > 0) {
		int64_t f = sqlite3_column_int64(q, 1), l = sqlite3_column_int64(q, 2);
		if (*n == 0 || f < *first)
			*first = f;
		if (*n == 0 || l > *last)
			*last = l;
		*n += k;
	}
	sqlite3_finalize(q);
	pk_buf_free(&reg);
	return rc;
}

enum pk_status pk_gpu_sys_summary(struct pk_db *db, const char *name,
                                  struct pk_profile_info *out)
{
	int64_t n = 0, first = 0, last = 0;
	enum pk_status rc = pk_gpu_sys_times(db, name, &n, &first, &last);
	if (rc == PK_OK)
		rc = generic_times(db, name, &n, &first, &last);
	if (rc == PK_OK && n > 0) {
		if (out->samples == 0 || first < out->first_us)
			out->first_us = first;
		if (out->samples == 0 || last > out->last_us)
			out->last_us = last;
		out->samples += n;
	}
	return rc;
}

/* A reading's rows mapped into a series (pk_raw_sink). */
struct mapping {
	const struct reading *r;
	size_t idx[6];
	struct pk_hw_series *out;
};

static enum pk_status map_reserve(void *ctx, size_t more)
{
	struct mapping *p = ctx;
	return pk_series_reserve(p->out, p->out->n + more);
}

static enum pk_status map_rows(void *ctx, size_t n, const int64_t *ts, const double *raw)
{
	struct mapping *p = ctx;
	struct pk_hw_series *out = p->out;
	enum pk_status rc = pk_series_reserve(out, out->n + n);
	if (rc != PK_OK)
		return rc;
	for (size_t m = 0; m < pk_hw_nmetrics; m++)
		for (size_t i = 0; i < n; i++)
			out->v[m][out->n + i] = NAN;
	double mapped[6];
	for (size_t i = 0; i < n; i++) {
		out->ts_us[out->n + i] = ts[i];
		p->r->map(raw + i * p->r->ncols, mapped);
		for (size_t c = 0; c < p->r->ncols; c++)
			out->v[p->idx[c]][out->n + i] = mapped[c];
	}
	out->n += n;
	return PK_OK;
}

/* Appends the rows of one reading to out, one sample per distinct time
 * (at a time, the lowest GPU index's row). */
static enum pk_status read_rows(struct pk_db *db, const struct reading *r, const char *name,
                                int64_t from_us, int64_t to_us, struct pk_hw_series *out)
{
	struct mapping p = { r, { 0 }, out };
	for (size_t c = 0; c < r->ncols; c++)
		if (!pk_hw_metric_find(r->metrics[c], &p.idx[c]))
			return PK_ERR_DB;   /* the registry lost a name this mapping needs */
	struct pk_raw_sink sink = { &p, map_reserve, map_rows };
	return pk_gpu_sys_rows(db, r->gpu, name, from_us, to_us, r->cols, r->ncols, &sink);
}

enum pk_status pk_gpu_sys_series(struct pk_db *db, const char *name, int64_t from_us,
                                 int64_t to_us, struct pk_hw_series *out)
{
	/* each table's rows, merged into out (series_merge.h; in that order
	 * of precedence: nvidia-smi, then sysstat, then generic records) */
	struct pk_hw_series sys = { 0 }, gen = { 0 };
	enum pk_status rc = pk_series_reserve(&sys, 0);
	if (rc == PK_OK) rc = pk_series_reserve(&gen, 0);
	if (rc == PK_OK) rc = read_rows(db, &gpu_reading, name, from_us, to_us, out);
	if (rc == PK_OK) rc = read_rows(db, &sys_reading, name, from_us, to_us, &sys);
	if (rc == PK_OK) rc = pk_series_absorb(out, &sys);
	if (rc == PK_OK) rc = pk_generic_hw_series(db, name, from_us, to_us, &gen);
	if (rc == PK_OK) rc = pk_series_absorb(out, &gen);
	pk_hw_series_free(&sys);
	pk_hw_series_free(&gen);
	return rc;
}
