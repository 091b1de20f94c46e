/* query_tiers.c - the SQL behind query_tiers.h: profiles with samples by
 * canonical name, their registry entry, detected system and latency target,
 * and the registry's tiers. */
#include "query_tiers.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"

#define CANON PK_SQL_CANON

static const char names_sql[] =
	"SELECT DISTINCT " CANON("p.name") " AS c FROM profile p "
	"WHERE EXISTS (SELECT 1 FROM hw_sample s WHERE s.profile_id = p.id) ORDER BY c";

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

enum pk_status pk_query_sample_range(struct pk_db *db, int64_t *first_us, int64_t *last_us)
{
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db->sql, "SELECT min(f), max(l) FROM (SELECT "
	    "(SELECT min(ts_us) FROM hw_sample s WHERE s.profile_id = p.id) AS f, "
	    "(SELECT max(ts_us) FROM hw_sample s WHERE s.profile_id = p.id) AS l FROM profile p)",
	    -1, &q, NULL) != SQLITE_OK)
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
	free(f->lat_profile);
	free(f->lat_metric);
	free(f->lat_bound_key);
	*f = (struct pk_tier_facts){ 0 };
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
	out->det_gpu_available = -1;
	sqlite3_stmt *q;
	int oom = 0;
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
