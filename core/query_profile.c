/* query_profile.c - the SQL behind query_profile.h: a profile's source files
 * with their rejects, and its registry temperature limit. */
#include "query_profile.h"

#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "query_generic_hw.h"
#include "query_generic_table.h"
#include "query_gpu_sys.h"

/* A profile's canonical name (its alias target, else itself) for ?1. */
#define CANON_PARAM PK_SQL_CANON("?1")

static const char sources_sql[] =
	"WITH ids AS (SELECT id FROM profile WHERE " PK_SQL_CANON("profile.name") " = "
	CANON_PARAM "), "
	PK_MACHINE_NAMES_CTE ", " PK_GENERIC_HW_SOURCES_CTE ", "
	"per AS (SELECT source_id, count(*) AS n FROM (SELECT source_id FROM hw_sample "
	"WHERE profile_id IN (SELECT id FROM ids) AND ts_us BETWEEN ?2 AND ?3 "
	"UNION ALL SELECT source_id FROM gpu_sample WHERE profile IN (SELECT n FROM names) "
	"AND ts_us BETWEEN ?2 AND ?3 "
	"UNION ALL SELECT source_id FROM sys_sample WHERE profile IN (SELECT n FROM names) "
	"AND ts_us BETWEEN ?2 AND ?3 "
	"UNION ALL SELECT source_id FROM generic_record WHERE source IN (SELECT s FROM g) "
	"AND ts_us BETWEEN ?2 AND ?3) GROUP BY source_id) "
	"SELECT f.path, f.member, per.n, f.read_lines, "
	"(SELECT count(*) FROM reject r WHERE r.source_id = f.id) "
	"FROM per JOIN source_file f ON f.id = per.source_id ORDER BY f.path, f.member";

static char *dup_text(sqlite3_stmt *q, int c)
{
	const unsigned char *t = sqlite3_column_text(q, c);
	return t ? strdup((const char *)t) : NULL;
}

void pk_profile_sources_free(struct pk_profile_source *s, size_t n)
{
	for (size_t i = 0; s && i < n; i++) {
		free(s[i].path);
		free(s[i].member);
	}
	free(s);
}

/* Reads the rows of q (path, member, samples, lines read, rejects) into
 * *out; finalizes q. */
static enum pk_status collect_sources(sqlite3_stmt *q, struct pk_profile_source **out, size_t *n)
{
	enum pk_status rc = PK_OK;
	size_t cap = 0;
	int r;
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 4;
			struct pk_profile_source *p = realloc(*out, cap * sizeof *p);
			if (!p) {
				rc = PK_ERR_NOMEM;
				break;
			}
			*out = p;
		}
		struct pk_profile_source *s = &(*out)[*n];
		s->path = dup_text(q, 0);
		s->member = dup_text(q, 1);
		(*n)++;
		if (!s->path || !s->member) {
			rc = PK_ERR_NOMEM;
			break;
		}
		s->samples = sqlite3_column_int64(q, 2);
		s->lines_read = sqlite3_column_int64(q, 3);
		s->rejects = sqlite3_column_int64(q, 4);
	}
	if (rc == PK_OK && r != SQLITE_DONE)
		rc = PK_ERR_DB;
	sqlite3_finalize(q);
	if (rc != PK_OK) {
		pk_profile_sources_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

enum pk_status pk_query_profile_sources(struct pk_db *db, const char *profile,
                                        int64_t from_us, int64_t to_us,
                                        struct pk_profile_source **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct pk_buf reg = PK_BUF_INIT;
	sqlite3_stmt *q = NULL;
	enum pk_status rc = pk_registry_names_json(&reg);
	if (rc == PK_OK && sqlite3_prepare_v2(db->sql, sources_sql, -1, &q, NULL) != SQLITE_OK)
		rc = PK_ERR_DB;
	if (rc == PK_OK) {
		sqlite3_bind_text(q, 1, profile, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 2, from_us);
		sqlite3_bind_int64(q, 3, to_us);
		sqlite3_bind_text(q, 4, reg.data, (int)reg.len, SQLITE_STATIC);
		rc = collect_sources(q, out, n);
	}
	pk_buf_free(&reg);
	return rc;
}

static const char generic_sources_sql[] =
	"WITH per AS (SELECT source_id, count(*) AS n FROM generic_record WHERE source = ?1 "
	"AND ts_us BETWEEN ?2 AND ?3 GROUP BY source_id) "
	"SELECT f.path, f.member, per.n, f.read_lines, "
	"(SELECT count(*) FROM reject r WHERE r.source_id = f.id) "
	"FROM per JOIN source_file f ON f.id = per.source_id ORDER BY f.path, f.member";

enum pk_status pk_query_generic_sources(struct pk_db *db, const char *source,
                                        int64_t from_us, int64_t to_us,
                                        struct pk_profile_source **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db->sql, generic_sources_sql, -1, &q, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	sqlite3_bind_text(q, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, from_us);
	sqlite3_bind_int64(q, 3, to_us);
	return collect_sources(q, out, n);
}

static const char limit_sql[] =
	"SELECT profile, metric, bound_key, v FROM (SELECT profile, metric, bound_key, "
	"CASE WHEN bound_key IN ('acceptable_max', 'critical_threshold') AND bound IS NOT NULL "
	"THEN bound ELSE target END AS v FROM registry_target t "
	"WHERE " PK_SQL_CANON("t.profile") " = " CANON_PARAM " AND lower(metric) LIKE '%temp%') "
	"WHERE v IS NOT NULL ORDER BY lower(metric) LIKE '%gpu%' DESC, v, metric LIMIT 1";

void pk_temp_limit_free(struct pk_temp_limit *t)
{
	free(t->profile);
	free(t->metric);
	free(t->bound_key);
	*t = (struct pk_temp_limit){ 0 };
}

enum pk_status pk_query_temp_limit(struct pk_db *db, const char *profile,
                                   struct pk_temp_limit *out)
{
	*out = (struct pk_temp_limit){ 0 };
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db->sql, limit_sql, -1, &q, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	sqlite3_bind_text(q, 1, profile, -1, SQLITE_STATIC);
	enum pk_status rc = PK_NODATA;
	int r = sqlite3_step(q);
	if (r == SQLITE_ROW) {
		out->profile = dup_text(q, 0);
		out->metric = dup_text(q, 1);
		out->bound_key = dup_text(q, 2);
		out->celsius = sqlite3_column_double(q, 3);
		rc = out->profile && out->metric ? PK_OK : PK_ERR_NOMEM;
		if (rc != PK_OK)
			pk_temp_limit_free(out);
	} else if (r != SQLITE_DONE) {
		rc = PK_ERR_DB;
	}
	sqlite3_finalize(q);
	return rc;
}
