/* query_gpu_sys.c - the SQL behind query_gpu_sys.h: nvidia-smi and sysstat
 * records read as hardware series on the registry's metric names. */
#include "query_gpu_sys.h"

#include <math.h>
#include <stddef.h>

#include "db_internal.h"
#include "metrics.h"
#include "query_generic_hw.h"

#define NAMES_CTE "WITH " PK_MACHINE_NAMES_CTE

static const char summary_sql[] =
	NAMES_CTE ", " PK_GENERIC_HW_SOURCES_CTE "SELECT count(*), min(t), max(t) FROM ("
	"SELECT ts_us AS t FROM gpu_sample WHERE profile IN (SELECT n FROM names) "
	"UNION SELECT ts_us FROM sys_sample WHERE profile IN (SELECT n FROM names) "
	"UNION SELECT ts_us FROM generic_record WHERE source IN (SELECT s FROM g))";

/* Each reading: its SQL (time first, then one column per metric) and the
 * registry names of those columns, in order. */
struct reading {
	const char *sql;
	const char *metrics[6];
};

static const struct reading gpu_reading = {
	NAMES_CTE "SELECT ts_us, utilization_gpu_percent, utilization_memory_percent, "
	"memory_used_mib, memory_total_mib - memory_used_mib, temperature_gpu_c, power_draw_w "
	"FROM gpu_sample WHERE profile IN (SELECT n FROM names) AND ts_us BETWEEN ?2 AND ?3 "
	"ORDER BY ts_us, gpu_index",
	{ "gpu.utilization_percent", "gpu.memory_utilization_percent", "gpu.memory_used_mb",
	  "gpu.memory_free_mb", "gpu.temperature_celsius", "gpu.power_draw_watts" },
};

static const struct reading sys_reading = {
	NAMES_CTE "SELECT ts_us, 100.0 - cpu_idle, ldavg_1, mem_used_kb / 1048576.0, "
	"mem_avail_kb / 1048576.0, mem_used_percent "
	"FROM sys_sample WHERE profile IN (SELECT n FROM names) AND ts_us BETWEEN ?2 AND ?3 "
	"ORDER BY ts_us",
	{ "cpu.percent_total", "cpu.load_average_1min", "memory.used_gb", "memory.available_gb",
	  "memory.percent", NULL },
};

enum pk_status pk_gpu_sys_summary(struct pk_db *db, const char *name,
                                  struct pk_profile_info *out)
{
	struct pk_buf reg = PK_BUF_INIT;
	sqlite3_stmt *q = NULL;
	enum pk_status rc = pk_registry_names_json(&reg);
	if (rc == PK_OK && sqlite3_prepare_v2(db->sql, summary_sql, -1, &q, NULL) != SQLITE_OK)
		rc = PK_ERR_DB;
	if (rc != PK_OK) {
		pk_buf_free(&reg);
		return rc;
	}
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, reg.data, (int)reg.len, SQLITE_STATIC);
	rc = sqlite3_step(q) == SQLITE_ROW ? PK_OK : PK_ERR_DB;
	int64_t n = rc == PK_OK ? sqlite3_column_int64(q, 0) : 0;
	if (n > 0) {
		int64_t first = sqlite3_column_int64(q, 1), last = sqlite3_column_int64(q, 2);
		if (out->samples == 0 || first < out->first_us)
			out->first_us = first;
		if (out->samples == 0 || last > out->last_us)
			out->last_us = last;
		out->samples += n;
	}
	sqlite3_finalize(q);
	pk_buf_free(&reg);
	return rc;
}

/* Appends the rows of one reading to out, one sample per distinct time
 * (the first row at a time: the lowest GPU index). */
static enum pk_status read_rows(struct pk_db *db, const struct reading *r, const char *name,
                                int64_t from_us, int64_t to_us, struct pk_hw_series *out)
{
	size_t idx[6], ncols = 0;
	for (; ncols < 6 && r->metrics[ncols]; ncols++)
		if (!pk_hw_metric_find(r->metrics[ncols], &idx[ncols]))
			return PK_ERR_DB;   /* the registry lost a name this mapping needs */
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db->sql, r->sql, -1, &q, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, from_us);
	sqlite3_bind_int64(q, 3, to_us);
	enum pk_status rc = PK_OK;
	int s;
	while (rc == PK_OK && (s = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t ts = sqlite3_column_int64(q, 0);
		if (out->n > 0 && out->ts_us[out->n - 1] == ts)
			continue;
		if ((rc = pk_series_reserve(out, out->n + 1)) != PK_OK)
			break;
		size_t i = out->n++;
		out->ts_us[i] = ts;
		for (size_t m = 0; m < pk_hw_nmetrics; m++)
			out->v[m][i] = NAN;
		for (size_t c = 0; c < ncols; c++)
			if (sqlite3_column_type(q, (int)c + 1) != SQLITE_NULL)
				out->v[idx[c]][i] = sqlite3_column_double(q, (int)c + 1);
	}
	if (rc == PK_OK && s != SQLITE_DONE)
		rc = PK_ERR_DB;
	sqlite3_finalize(q);
	return rc;
}

static int has_value(const double *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isnan(v[i]))
			return 1;
	return 0;
}

void pk_series_keep_missing(const struct pk_hw_series *a, struct pk_hw_series *b)
{
	for (size_t m = 0; m < pk_hw_nmetrics; m++)
		if (has_value(a->v[m], a->n))
			for (size_t i = 0; i < b->n; i++)
				b->v[m][i] = NAN;
	size_t k = 0;
	for (size_t i = 0; i < b->n; i++) {
		int any = 0;
		for (size_t m = 0; m < pk_hw_nmetrics && !any; m++)
			any = !isnan(b->v[m][i]);
		if (!any)
			continue;
		b->ts_us[k] = b->ts_us[i];
		for (size_t m = 0; m < pk_hw_nmetrics; m++)
			b->v[m][k] = b->v[m][i];
		k++;
	}
	b->n = k;
}

enum pk_status pk_series_merge_times(const struct pk_hw_series *a,
                                     const struct pk_hw_series *b,
                                     struct pk_hw_series *dst)
{
	enum pk_status rc = pk_series_reserve(dst, a->n + b->n);
	size_t i = 0, j = 0;
	while (rc == PK_OK && (i < a->n || j < b->n)) {
		size_t k = dst->n++;
		if (j >= b->n || (i < a->n && a->ts_us[i] < b->ts_us[j])) {
			dst->ts_us[k] = a->ts_us[i];
			for (size_t m = 0; m < pk_hw_nmetrics; m++)
				dst->v[m][k] = a->v[m][i];
			i++;
		} else if (i >= a->n || b->ts_us[j] < a->ts_us[i]) {
			dst->ts_us[k] = b->ts_us[j];
			for (size_t m = 0; m < pk_hw_nmetrics; m++)
				dst->v[m][k] = b->v[m][j];
			j++;
		} else {
			dst->ts_us[k] = a->ts_us[i];
			for (size_t m = 0; m < pk_hw_nmetrics; m++)
				dst->v[m][k] = isnan(a->v[m][i]) ? b->v[m][j] : a->v[m][i];
			i++;
			j++;
		}
	}
	return rc;
}

enum pk_status pk_series_absorb(struct pk_hw_series *a, struct pk_hw_series *b)
{
	enum pk_status rc = PK_OK;
	if (b->n == 0) {
		pk_hw_series_free(b);
	} else if (a->n == 0) {   /* nothing to merge: b becomes a */
		pk_hw_series_free(a);
		*a = *b;
		*b = (struct pk_hw_series){ 0 };
	} else {
		struct pk_hw_series merged = { 0 };
		rc = pk_series_merge_times(a, b, &merged);
		pk_hw_series_free(b);
		pk_hw_series_free(a);
		*a = merged;
	}
	return rc;
}

enum pk_status pk_gpu_sys_series(struct pk_db *db, const char *name, int64_t from_us,
                                 int64_t to_us, struct pk_hw_series *out)
{
	/* each table's rows, merged into out by time (in that order: at one
	 * time nvidia-smi first, then sysstat, then generic records) */
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
