/* query_exp_info.c - the SQL behind query_exp_info.h. */
#include "query_exp_info.h"

#include <stdlib.h>
#include <string.h>

#include "db_internal.h"

static const char sql_system[] =
	"SELECT j.key, CASE WHEN j.type IN ('object', 'array') THEN j.value "
	"ELSE CAST(j.atom AS TEXT) END, j.type "
	"FROM experiment e, json_each(e.system_info) j "
	"WHERE e.experiment_id = ?1 AND json_valid(e.system_info) "
	"AND json_type(e.system_info) = 'object' ORDER BY j.id";
static const char sql_recs[] =
	"SELECT CASE WHEN j.type IN ('object', 'array') THEN j.value "
	"ELSE CAST(j.atom AS TEXT) END, j.type "
	"FROM experiment e, json_each(e.recommendations) j "
	"WHERE e.experiment_id = ?1 AND json_valid(e.recommendations) "
	"AND json_type(e.recommendations) = 'array' ORDER BY j.id";
static const char sql_sources[] =
	"SELECT path, member FROM source_file WHERE id IN ("
	"SELECT source_id FROM experiment WHERE experiment_id = ?1 UNION "
	"SELECT DISTINCT source_id FROM experiment_cycle WHERE experiment_id = ?1) "
	"ORDER BY path, member";

/* An owned copy of column c as text: "null" for NULL when json_null is set
 * (a JSON null), else NULL. */
static enum pk_status copy_col(sqlite3_stmt *q, int c, char **out)
{
	*out = NULL;
	const unsigned char *s = sqlite3_column_text(q, c);
	size_t n = (size_t)sqlite3_column_bytes(q, c);
	if (!s)
		s = (const unsigned char *)(sqlite3_column_type(q, c) == SQLITE_NULL ? "null" : "");
	if (!n)
		n = strlen((const char *)s);
	char *d = malloc(n + 1);
	if (!d)
		return PK_ERR_NOMEM;
	memcpy(d, s, n);
	d[n] = '\0';
	*out = d;
	return PK_OK;
}

static enum pk_status run(struct pk_db *db, const char *sql, const char *id,
                          int pairs, void **arr, size_t *n)
{
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db->sql, sql, -1, &q, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC) != SQLITE_OK) {
		sqlite3_finalize(q);
		return PK_ERR_DB;
	}
	size_t cap = 0, elem = pairs ? sizeof(struct pk_exp_kv) : sizeof(char *);
	enum pk_status rc = PK_OK;
	int r;
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 16;
			void *t = realloc(*arr, cap * elem);
			if (!t) {
				rc = PK_ERR_NOMEM;
				break;
			}
			*arr = t;
		}
		if (pairs) {
			struct pk_exp_kv *kv = (struct pk_exp_kv *)*arr + *n;
			kv->value = NULL;
			rc = copy_col(q, 0, &kv->key);
			(*n)++;
			if (rc == PK_OK)
				rc = copy_col(q, 1, &kv->value);
		} else {
			char **s = (char **)*arr + *n;
			rc = copy_col(q, 0, s);
			(*n)++;
		}
		if (rc != PK_OK)
			break;
	}
	if (rc == PK_OK && r != SQLITE_DONE)
		rc = PK_ERR_DB;
	sqlite3_finalize(q);
	return rc;
}

enum pk_status pk_query_exp_info(struct pk_db *db, const char *id,
                                 struct pk_exp_info *out)
{
	memset(out, 0, sizeof *out);
	enum pk_status rc = run(db, sql_system, id, 1, (void **)&out->system, &out->nsystem);
	if (rc == PK_OK)
		rc = run(db, sql_recs, id, 0, (void **)&out->recommendations,
		         &out->nrecommendations);
	if (rc == PK_OK)
		rc = run(db, sql_sources, id, 1, (void **)&out->sources, &out->nsources);
	if (rc != PK_OK)
		pk_exp_info_free(out);
	return rc;
}

static void free_strings(char **s, size_t n)
{
	for (size_t i = 0; s && i < n; i++)
		free(s[i]);
	free(s);
}

void pk_exp_info_free(struct pk_exp_info *info)
{
	for (size_t i = 0; info->system && i < info->nsystem; i++) {
		free(info->system[i].key);
		free(info->system[i].value);
	}
	free(info->system);
	for (size_t i = 0; info->sources && i < info->nsources; i++) {
		free(info->sources[i].key);
		free(info->sources[i].value);
	}
	free(info->sources);
	free_strings(info->recommendations, info->nrecommendations);
	memset(info, 0, sizeof *info);
}
