/* query_session.c - the SQL behind query_session.h (F6 session modules). */
#include "query_session.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"

static double col_num(sqlite3_stmt *q, int c)
{
	return sqlite3_column_type(q, c) == SQLITE_NULL ? NAN : sqlite3_column_double(q, c);
}

void pk_session_modules_free(struct pk_session_modules *s)
{
	for (size_t i = 0; s->m && i < s->n; i++)
		free(s->m[i].module);
	free(s->m);
	free(s->session_id);
	free(s->app_level);
	*s = (struct pk_session_modules){ 0 };
}

/* The session row: export time and the app's own overall level. */
static enum pk_status read_session(struct pk_db *db, struct pk_session_modules *out)
{
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db->sql, "SELECT export_us, CASE WHEN json_valid(performance_summary) "
	    "THEN json_extract(performance_summary, '$.overall_load_level') END "
	    "FROM session WHERE session_id = ?1", -1, &q, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	sqlite3_bind_text(q, 1, out->session_id, -1, SQLITE_STATIC);
	enum pk_status rc = PK_OK;
	int r = sqlite3_step(q);
	if (r == SQLITE_ROW) {
		out->have_session = 1;
		if (sqlite3_column_type(q, 0) != SQLITE_NULL)
			out->export_us = sqlite3_column_int64(q, 0);
		if (sqlite3_column_type(q, 1) == SQLITE_TEXT &&
		    !(out->app_level = strdup((const char *)sqlite3_column_text(q, 1))))
			rc = PK_ERR_NOMEM;
	} else if (r != SQLITE_DONE) {
		rc = PK_ERR_DB;
	}
	sqlite3_finalize(q);
	return rc;
}

enum pk_status pk_query_session_modules(struct pk_db *db, const char *id,
                                        struct pk_session_modules *out)
{
	*out = (struct pk_session_modules){ .export_us = INT64_MIN };
	if (!(out->session_id = strdup(id)))
		return PK_ERR_NOMEM;
	enum pk_status rc = read_session(db, out);
	sqlite3_stmt *q = NULL;
	if (rc == PK_OK && sqlite3_prepare_v2(db->sql, "SELECT module, call_count, "
	    "total_execution_time, cpu_impact, memory_impact FROM session_module "
	    "WHERE session_id = ?1 ORDER BY module", -1, &q, NULL) != SQLITE_OK)
		rc = PK_ERR_DB;
	if (rc == PK_OK)
		sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
	size_t cap = 0;
	int r = SQLITE_DONE;
	while (rc == PK_OK && (r = sqlite3_step(q)) == SQLITE_ROW) {
		if (out->n == cap) {
			cap = cap ? cap * 2 : 8;
			struct pk_session_module *p = realloc(out->m, cap * sizeof *p);
			if (!p) {
				rc = PK_ERR_NOMEM;
				break;
			}
			out->m = p;
		}
		struct pk_session_module *m = &out->m[out->n];
		const unsigned char *name = sqlite3_column_text(q, 0);
		m->module = strdup(name ? (const char *)name : "");
		if (!m->module) {
			rc = PK_ERR_NOMEM;
			break;
		}
		out->n++;
		m->call_count = col_num(q, 1);
		m->total_time_s = col_num(q, 2);
		m->cpu_impact = col_num(q, 3);
		m->memory_impact = col_num(q, 4);
	}
	if (rc == PK_OK && r != SQLITE_DONE)
		rc = PK_ERR_DB;
	sqlite3_finalize(q);
	if (rc == PK_OK && !out->have_session && out->n == 0)
		rc = PK_NODATA;
	if (rc != PK_OK)
		pk_session_modules_free(out);
	return rc;
}
