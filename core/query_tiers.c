/* query_tiers.c - the SQL behind query_tiers.h: machines with samples by
 * canonical name, their registry entry, detected system, nvidia-smi and
 * sysstat facts and latency target, and the registry's tiers. */
#include "query_tiers.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "query_gpu_sys.h"

#define CANON PK_SQL_CANON

/* Common table expression `cte`: the distinct profile names of `table`,
 * one index look-up each (a skip scan of its (profile, ts_us) key), with a
 * final NULL row. */
#define DISTINCT_NAMES(cte, table) \
	cte "(n) AS (SELECT min(profile) FROM " table " UNION ALL SELECT (SELECT " \
	"min(profile) FROM " table " WHERE profile > " cte ".n) FROM " cte " WHERE " cte \
	".n IS NOT NULL) "

#define LOG_NAMES \
	"WITH RECURSIVE " DISTINCT_NAMES("gn", "gpu_sample") ", " \
	DISTINCT_NAMES("sn", "sys_sample")

static const char names_sql[] =
	LOG_NAMES ", m(n) AS (SELECT p.name FROM profile p "
	"WHERE EXISTS (SELECT 1 FROM hw_sample s WHERE s.profile_id = p.id) "
	"UNION SELECT n FROM gn WHERE n IS NOT NULL UNION SELECT n FROM sn WHERE n IS NOT NULL) "
	"SELECT DISTINCT " CANON("m.n") " AS c FROM m ORDER BY c";

static const char range_sql[] =
	"SELECT min(f), max(l) FROM (SELECT "
	"(SELECT min(ts_us) FROM hw_sample s WHERE s.profile_id = p.id) AS f, "
	"(SELECT max(ts_us) FROM hw_sample s WHERE s.profile_id = p.id) AS l FROM profile p)";

static const char log_range_sql[] =
	LOG_NAMES "SELECT min(f), max(l) FROM ("
	"SELECT (SELECT min(ts_us) FROM gpu_sample WHERE profile = gn.n) AS f, "
	"(SELECT max(ts_us) FROM gpu_sample WHERE profile = gn.n) AS l FROM gn WHERE gn.n IS NOT NULL "
	"UNION ALL SELECT (SELECT min(ts_us) FROM sys_sample WHERE profile = sn.n), "
	"(SELECT max(ts_us) FROM sys_sample WHERE profile = sn.n) FROM sn WHERE sn.n IS NOT NULL)";

/* The machine's names (?1 and its aliases, query_gpu_sys.h) and, as
 * top(n, t), the name and time of its newest row of `table` that satisfies
 * `cond` (one backward index walk per name). */
#define NEWEST(table, cond) \
	"WITH " PK_MACHINE_NAMES_CTE ", last(n, t) AS (SELECT n, (SELECT ts_us FROM " table \
	" x WHERE x.profile = names.n AND " cond " ORDER BY ts_us DESC LIMIT 1) FROM names), " \
	"top(n, t) AS (SELECT n, t FROM last WHERE t IS NOT NULL ORDER BY t DESC, n LIMIT 1) "

/* A number at JSON path `path` of s.extra, NULL when absent or not a number. */
#define EXTRA_NUM(path) \
	"CASE WHEN json_valid(s.extra) AND json_type(s.extra, '" path "') IN ('integer', " \
	"'real') THEN json_extract(s.extra, '" path "') END"

static const char f1_sql[] =
	"WITH " PK_MACHINE_NAMES_CTE "SELECT 1 FROM profile p WHERE p.name IN (SELECT n FROM names) "
	"AND EXISTS (SELECT 1 FROM hw_sample s WHERE s.profile_id = p.id) LIMIT 1";

static const char gpu_log_sql[] =
	NEWEST("gpu_sample", "1")
	"SELECT s.name, s.memory_total_mib, (SELECT count(*) FROM gpu_sample x "
	"WHERE x.profile = top.n AND x.ts_us = top.t) FROM top JOIN gpu_sample s "
	"ON s.profile = top.n AND s.ts_us = top.t ORDER BY s.gpu_index LIMIT 1";

static const char mem_log_sql[] =
	NEWEST("sys_sample", "x.mem_used_kb IS NOT NULL")
	"SELECT s.mem_free_kb, s.mem_used_kb, s.mem_buffers_kb, s.mem_cached_kb, "
	EXTRA_NUM("$.\"memory.slab\"") ", s.mem_used_percent "
	"FROM top JOIN sys_sample s ON s.profile = top.n AND s.ts_us = top.t";

static const char cpu_log_sql[] =
	NEWEST("sys_sample", "1")
	"SELECT " EXTRA_NUM("$.host.\"number-of-cpus\"") " "
	"FROM top JOIN sys_sample s ON s.profile = top.n AND s.ts_us = top.t";

static const char reg_sql[] =
	"SELECT name, gpu_memory_gb, memory_total_gb, gpu_tier, gpu_name, cpu_cores_logical "
	"FROM registry_profile r "
	"WHERE " CANON("r.name") " = " CANON("?1") " ORDER BY r.name = ?1 DESC, r.name LIMIT 1";

static const char det_sql[] =
	"SELECT name, gpu_available, gpu_memory_total_mb, memory_total_gb, gpu_name, "
	"cpu_logical_cores FROM detected_system d "
	"WHERE " CANON("d.name") " = " CANON("?1") " ORDER BY d.name = ?1 DESC, d.name LIMIT 1";

static const char lat_sql[] =
	"SELECT profile, metric, target, bound, bound_key FROM registry_target t "
	"WHERE " CANON("t.profile") " = " CANON("?1") " AND lower(t.metric) LIKE '%latency%' "
	"ORDER BY t.metric, t.profile LIMIT 1";

static const char tiers_sql[] =
	"SELECT tier, whisper_device, whisper_model, llm_device, llm_max_params_b, "
	"concurrent_agents FROM registry_tier ORDER BY tier";

/* Copies text column c into *dst (NULL for SQL NULL); 0, or -1 when out of
 * memory. */
static int text_col(sqlite3_stmt *q, int c, char **dst)
{
	const unsigned char *t = sqlite3_column_text(q, c);
	*dst = NULL;
	if (!t)
		return sqlite3_column_type(q, c) == SQLITE_NULL ? 0 : -1;
	*dst = strdup((const char *)t);
	return *dst ? 0 : -1;
}

static double real_col(sqlite3_stmt *q, int c)
{
	return sqlite3_column_type(q, c) == SQLITE_NULL ? NAN : sqlite3_column_double(q, c);
}

void pk_tier_names_free(char **names, size_t n)
{
	for (size_t i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
}

enum pk_status pk_query_tier_profiles(struct pk_db *db, char ***names, size_t *n)
{
	*names = NULL;
	*n = 0;
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db->sql, names_sql, -1, &q, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	enum pk_status rc = PK_OK;
	size_t cap = 0;
	int r;
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			char **p = realloc(*names, cap * sizeof *p);
			if (!p) {
				rc = PK_ERR_NOMEM;
				break;
			}
			*names = p;
		}
		if (text_col(q, 0, &(*names)[*n]) != 0 || !(*names)[*n]) {
			rc = PK_ERR_NOMEM;
			break;
		}
		(*n)++;
	}
	if (rc == PK_OK && r != SQLITE_DONE)
		rc = PK_ERR_DB;
	sqlite3_finalize(q);
	if (rc != PK_OK) {
		pk_tier_names_free(*names, *n);
		*names = NULL;
		*n = 0;
	}
	return rc;
}

static enum pk_status range_of(struct pk_db *db, const char *sql, int64_t *first_us,
                               int64_t *last_us)
{
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db->sql, sql, -1, &q, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	enum pk_status rc = sqlite3_step(q) == SQLITE_ROW ? PK_OK : PK_ERR_DB;
	if (rc == PK_OK && sqlite3_column_type(q, 0) == SQLITE_NULL)
		rc = PK_NODATA;
	if (rc == PK_OK) {
		*first_us = sqlite3_column_int64(q, 0);
		*last_us = sqlite3_column_int64(q, 1);
	}
	sqlite3_finalize(q);
	return rc;
}

enum pk_status pk_query_sample_range(struct pk_db *db, int64_t *first_us, int64_t *last_us)
{
	return range_of(db, range_sql, first_us, last_us);
}

enum pk_status pk_query_log_range(struct pk_db *db, int64_t *first_us, int64_t *last_us)
{
	return range_of(db, log_range_sql, first_us, last_us);
}

enum pk_status pk_query_tier_canonical(struct pk_db *db, const char *name, char **out)
{
	*out = NULL;
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db->sql, "SELECT " CANON("?1"), -1, &q, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	enum pk_status rc = sqlite3_step(q) == SQLITE_ROW ? PK_OK : PK_ERR_DB;
	if (rc == PK_OK && (text_col(q, 0, out) != 0 || !*out))
		rc = PK_ERR_NOMEM;
	sqlite3_finalize(q);
	return rc;
}

void pk_tier_facts_free(struct pk_tier_facts *f)
{
	free(f->reg_name);
	free(f->reg_gpu_tier);
	free(f->reg_gpu_name);
	free(f->det_name);
	free(f->det_gpu_name);
	free(f->log_gpu_name);
	free(f->lat_profile);
	free(f->lat_metric);
	free(f->lat_bound_key);
	*f = (struct pk_tier_facts){ 0 };
}

double pk_sysstat_total_kb(double memfree, double memused, double buffers, double cached,
                           double slab, double used_percent, const char **rule)
{
	double sum[2] = { memfree + memused + buffers + cached + (isnan(slab) ? 0 : slab),
	                  memfree + memused };
	static const char *const words[3] = {
		"memfree + memused + buffers + cached + slab",
		"memfree + memused + buffers + cached (no slab in the export: a little under the total)",
		"memfree + memused (older sysstat: memused includes buffers and cache)",
	};
	int pick = 0;
	if (isnan(sum[0]) || (!isnan(used_percent) && used_percent > 0 && !isnan(sum[1]) &&
	    fabs(100 * memused / sum[1] - used_percent) < fabs(100 * memused / sum[0] - used_percent)))
		pick = 1;
	double total = sum[pick] > 0 ? sum[pick] : NAN;
	if (rule)
		*rule = isnan(total) ? NULL : pick ? words[2] : isnan(slab) ? words[1] : words[0];
	return total;
}

/* Prepares sql with ?1 = profile and steps once: PK_OK with a row,
 * PK_NODATA without one, PK_ERR_DB; *out is the statement to finalize. */
static enum pk_status one_row(struct pk_db *db, const char *sql, const char *profile,
                              sqlite3_stmt **out)
{
	*out = NULL;
	if (sqlite3_prepare_v2(db->sql, sql, -1, out, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	sqlite3_bind_text(*out, 1, profile, -1, SQLITE_STATIC);
	int r = sqlite3_step(*out);
	return r == SQLITE_ROW ? PK_OK : r == SQLITE_DONE ? PK_NODATA : PK_ERR_DB;
}

enum pk_status pk_query_tier_facts(struct pk_db *db, const char *profile,
                                   struct pk_tier_facts *out)
{
	*out = (struct pk_tier_facts){ 0 };
	out->reg_gpu_memory_gb = out->reg_memory_total_gb = NAN;
	out->det_gpu_memory_mb = out->det_memory_total_gb = NAN;
	out->reg_cpu_threads = out->det_cpu_threads = NAN;
	out->lat_target = out->lat_bound = NAN;
	out->log_gpu_memory_mb = out->log_ram_gb = out->log_cpu_threads = NAN;
	out->det_gpu_available = -1;
	sqlite3_stmt *q;
	int oom = 0, has_f1 = 0;
	enum pk_status rc = one_row(db, reg_sql, profile, &q);
	if (rc == PK_OK) {
		oom |= text_col(q, 0, &out->reg_name);
		out->reg_gpu_memory_gb = real_col(q, 1);
		out->reg_memory_total_gb = real_col(q, 2);
		oom |= text_col(q, 3, &out->reg_gpu_tier);
		oom |= text_col(q, 4, &out->reg_gpu_name);
		out->reg_cpu_threads = real_col(q, 5);
	}
	sqlite3_finalize(q);
	if (rc == PK_OK || rc == PK_NODATA) {
		rc = one_row(db, det_sql, profile, &q);
		if (rc == PK_OK) {
			oom |= text_col(q, 0, &out->det_name);
			if (sqlite3_column_type(q, 1) != SQLITE_NULL)
				out->det_gpu_available = sqlite3_column_int64(q, 1) != 0;
			out->det_gpu_memory_mb = real_col(q, 2);
			out->det_memory_total_gb = real_col(q, 3);
			oom |= text_col(q, 4, &out->det_gpu_name);
			out->det_cpu_threads = real_col(q, 5);
		}
		sqlite3_finalize(q);
	}
	if (rc == PK_OK || rc == PK_NODATA) {
		rc = one_row(db, f1_sql, profile, &q);
		has_f1 = rc == PK_OK;
		sqlite3_finalize(q);
	}
	if (rc == PK_OK || rc == PK_NODATA) {
		rc = one_row(db, gpu_log_sql, profile, &q);
		if (rc == PK_OK) {
			oom |= text_col(q, 0, &out->log_gpu_name);
			out->log_gpu_memory_mb = real_col(q, 1);
			out->log_gpus = (long)sqlite3_column_int64(q, 2);
		}
		sqlite3_finalize(q);
	}
	if (rc == PK_OK || rc == PK_NODATA) {
		rc = one_row(db, mem_log_sql, profile, &q);
		if (rc == PK_OK)
			out->log_ram_gb = pk_sysstat_total_kb(real_col(q, 0), real_col(q, 1),
			                                      real_col(q, 2), real_col(q, 3),
			                                      real_col(q, 4), real_col(q, 5),
			                                      &out->log_ram_rule) / 1048576.0;
		sqlite3_finalize(q);
	}
	if (rc == PK_OK || rc == PK_NODATA) {
		rc = one_row(db, cpu_log_sql, profile, &q);
		if (rc == PK_OK)
			out->log_cpu_threads = real_col(q, 0);
		out->gpu_unlogged = rc == PK_OK && !has_f1 && out->log_gpus == 0 && !out->det_name;
		sqlite3_finalize(q);
	}
	if (rc == PK_OK || rc == PK_NODATA) {
		rc = one_row(db, lat_sql, profile, &q);
		if (rc == PK_OK) {
			oom |= text_col(q, 0, &out->lat_profile);
			oom |= text_col(q, 1, &out->lat_metric);
			out->lat_target = real_col(q, 2);
			out->lat_bound = real_col(q, 3);
			oom |= text_col(q, 4, &out->lat_bound_key);
		}
		sqlite3_finalize(q);
	}
	if (rc == PK_NODATA)
		rc = PK_OK;
	if (rc == PK_OK && oom)
		rc = PK_ERR_NOMEM;
	if (rc != PK_OK)
		pk_tier_facts_free(out);
	return rc;
}

void pk_registry_tiers_free(struct pk_registry_tier *t, size_t n)
{
	for (size_t i = 0; t && i < n; i++) {
		free(t[i].tier);
		free(t[i].whisper_device);
		free(t[i].whisper_model);
		free(t[i].llm_device);
	}
	free(t);
}

enum pk_status pk_query_registry_tiers(struct pk_db *db, struct pk_registry_tier **out,
                                       size_t *n)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db->sql, tiers_sql, -1, &q, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	enum pk_status rc = PK_OK;
	size_t cap = 0;
	int r;
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			struct pk_registry_tier *p = realloc(*out, cap * sizeof *p);
			if (!p) {
				rc = PK_ERR_NOMEM;
				break;
			}
			*out = p;
		}
		struct pk_registry_tier *t = &(*out)[(*n)++];
		*t = (struct pk_registry_tier){ .llm_max_params_b = NAN, .concurrent_agents = -1 };
		int oom = text_col(q, 0, &t->tier) | text_col(q, 1, &t->whisper_device) |
		          text_col(q, 2, &t->whisper_model) | text_col(q, 3, &t->llm_device);
		t->llm_max_params_b = real_col(q, 4);
		if (sqlite3_column_type(q, 5) != SQLITE_NULL)
			t->concurrent_agents = sqlite3_column_int64(q, 5);
		if (oom || !t->tier) {
			rc = PK_ERR_NOMEM;
			break;
		}
	}
	if (rc == PK_OK && r != SQLITE_DONE)
		rc = PK_ERR_DB;
	sqlite3_finalize(q);
	if (rc != PK_OK) {
		pk_registry_tiers_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}
