/* query_catalog.c - the SQL behind query_catalog.h: report ids and the
 * fingerprint of a report's stored inputs. */
#include "query_catalog.h"

#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "hash.h"

static const char *const ids_sql[] = {
	[PK_CATALOG_EXPERIMENT] = "SELECT experiment_id FROM experiment ORDER BY experiment_id",
	[PK_CATALOG_SESSION] = "SELECT session_id FROM session ORDER BY session_id",
	[PK_CATALOG_SUITE] = "SELECT DISTINCT suite FROM bench_run ORDER BY suite",
};

#define FILE_COLS "SELECT id, size, mtime_ns, head_hash, tail_hash, read_offset, " \
                  "read_lines FROM source_file "

static const char *const inputs_sql[] = {
	[PK_CATALOG_EXPERIMENT] = FILE_COLS "WHERE id IN ("
		"SELECT source_id FROM experiment WHERE experiment_id = ?1 UNION "
		"SELECT source_id FROM experiment_cycle WHERE experiment_id = ?1 UNION "
		"SELECT source_id FROM experiment_timing WHERE experiment_id = ?1 UNION "
		"SELECT source_id FROM experiment_bottleneck WHERE experiment_id = ?1) ORDER BY id",
	[PK_CATALOG_SESSION] = FILE_COLS "WHERE id IN ("
		"SELECT source_id FROM session WHERE session_id = ?1 UNION "
		"SELECT source_id FROM session_module WHERE session_id = ?1 UNION "
		"SELECT source_id FROM session_sample WHERE session_id = ?1) ORDER BY id",
	[PK_CATALOG_SUITE] = FILE_COLS "WHERE id IN ("
		"SELECT source_id FROM bench_run WHERE suite = ?1 UNION "
		"SELECT source_id FROM bench_result WHERE suite = ?1) ORDER BY id",
	[PK_CATALOG_HARDWARE] = FILE_COLS "WHERE format NOT IN ('experiment_json', "
		"'session_json', 'hyperfine', 'perfkit_bench') ORDER BY id",
};

enum pk_status pk_query_catalog_ids(struct pk_db *db, enum pk_catalog_kind kind,
                                    char ***ids, size_t *n)
{
	*ids = NULL;
	*n = 0;
	if (kind == PK_CATALOG_HARDWARE)
		return PK_OK;
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db->sql, ids_sql[kind], -1, &q, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	enum pk_status rc = PK_OK;
	size_t cap = 0;
	int r;
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(q, 0);
		if (!t)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			char **p = realloc(*ids, cap * sizeof *p);
			if (!p) {
				rc = PK_ERR_NOMEM;
				break;
			}
			*ids = p;
		}
		char *s = strdup(t);
		if (!s) {
			rc = PK_ERR_NOMEM;
			break;
		}
		(*ids)[(*n)++] = s;
	}
	if (rc == PK_OK && r != SQLITE_DONE)
		rc = PK_ERR_DB;
	sqlite3_finalize(q);
	if (rc != PK_OK) {
		pk_catalog_ids_free(*ids, *n);
		*ids = NULL;
		*n = 0;
	}
	return rc;
}

void pk_catalog_ids_free(char **ids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
}

/* Folds every row of q (bound) into *h: integer columns as 64-bit values,
 * text columns as their bytes and length. */
static enum pk_status fold_rows(sqlite3_stmt *q, uint64_t *h)
{
	int r;
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		int nc = sqlite3_column_count(q);
		for (int c = 0; c < nc; c++) {
			if (sqlite3_column_type(q, c) == SQLITE_INTEGER) {
				int64_t v = sqlite3_column_int64(q, c);
				*h = pk_fnv1a(*h, &v, sizeof v);
			} else {
				const unsigned char *t = sqlite3_column_text(q, c);
				int64_t len = sqlite3_column_bytes(q, c);
				if (t)
					*h = pk_fnv1a(*h, t, (size_t)len);
				*h = pk_fnv1a(*h, &len, sizeof len);
			}
		}
	}
	return r == SQLITE_DONE ? PK_OK : PK_ERR_DB;
}

static enum pk_status fold_sql(struct pk_db *db, const char *sql, const char *id,
                               uint64_t *h)
{
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db->sql, sql, -1, &q, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	enum pk_status rc = PK_OK;
	if (id && sqlite3_bind_parameter_count(q) > 0 &&
	    sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC) != SQLITE_OK)
		rc = PK_ERR_DB;
	if (rc == PK_OK)
		rc = fold_rows(q, h);
	sqlite3_finalize(q);
	return rc;
}

enum pk_status pk_query_catalog_inputs(struct pk_db *db, enum pk_catalog_kind kind,
                                       const char *id, uint64_t *h)
{
	enum pk_status rc = fold_sql(db, inputs_sql[kind], id, h);
	if (rc == PK_OK && kind == PK_CATALOG_HARDWARE)
		rc = fold_sql(db, "SELECT alias, profile FROM profile_alias ORDER BY alias",
		              NULL, h);
	return rc;
}
