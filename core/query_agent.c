/* query_agent.c - the SQL behind query_agent.h: agent runs, wake-word
 * latencies and canonical hardware profile names. */
#include "query_agent.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"

static double col_real(sqlite3_stmt *q, int c)
{
	return sqlite3_column_type(q, c) == SQLITE_NULL ? NAN : sqlite3_column_double(q, c);
}

/* A copy of text column c, NULL when NULL; *rc gets PK_ERR_NOMEM on failure. */
static char *col_text(sqlite3_stmt *q, int c, enum pk_status *rc)
{
	if (sqlite3_column_type(q, c) == SQLITE_NULL)
		return NULL;
	const unsigned char *t = sqlite3_column_text(q, c);
	size_t len = (size_t)sqlite3_column_bytes(q, c);
	char *s = malloc(len + 1);
	if (!s || !t) {
		free(s);
		*rc = PK_ERR_NOMEM;
		return NULL;
	}
	memcpy(s, t, len);
	s[len] = '\0';
	return s;
}

/* Grows the arrays of r to hold cap runs. */
static enum pk_status runs_grow(struct pk_agent_runs *r, size_t cap)
{
	int64_t *ts = realloc(r->ts_us, cap * sizeof *ts);
	if (!ts)
		return PK_ERR_NOMEM;
	r->ts_us = ts;
	double **d[] = { &r->tes, &r->stability, &r->velocity, &r->footprint, &r->duration_s };
	for (size_t k = 0; k < sizeof d / sizeof d[0]; k++) {
		double *p = realloc(*d[k], cap * sizeof *p);
		if (!p)
			return PK_ERR_NOMEM;
		*d[k] = p;
	}
	char ***s[] = { &r->autonomy_mode, &r->model_id };
	for (size_t k = 0; k < 2; k++) {
		char **p = realloc(*s[k], cap * sizeof *p);
		if (!p)
			return PK_ERR_NOMEM;
		*s[k] = p;
	}
	return PK_OK;
}

enum pk_status pk_query_agent_runs(struct pk_db *db, int64_t from_us, int64_t to_us,
                                   struct pk_agent_runs *out)
{
	*out = (struct pk_agent_runs){ 0 };
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db->sql,
	    "SELECT ts_us, tes, stability, velocity, footprint, duration_s, "
	    "autonomy_mode, model_id FROM agent_run WHERE ts_us BETWEEN ?1 AND ?2 "
	    "ORDER BY ts_us, run_dir", -1, &q, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	sqlite3_bind_int64(q, 1, from_us);
	sqlite3_bind_int64(q, 2, to_us);
	enum pk_status rc = PK_OK;
	size_t cap = 0;
	int r = SQLITE_DONE;
	while (rc == PK_OK && (r = sqlite3_step(q)) == SQLITE_ROW) {
		if (out->n == cap) {
			cap = cap ? cap * 2 : 256;
			if ((rc = runs_grow(out, cap)) != PK_OK)
				break;
		}
		size_t i = out->n;
		out->ts_us[i] = sqlite3_column_int64(q, 0);
		out->tes[i] = col_real(q, 1);
		out->stability[i] = col_real(q, 2);
		out->velocity[i] = col_real(q, 3);
		out->footprint[i] = col_real(q, 4);
		out->duration_s[i] = col_real(q, 5);
		out->autonomy_mode[i] = col_text(q, 6, &rc);
		out->model_id[i] = col_text(q, 7, &rc);
		out->n++;
	}
	if (rc == PK_OK && r != SQLITE_DONE)
		rc = PK_ERR_DB;
	sqlite3_finalize(q);
	return rc;
}

void pk_agent_runs_free(struct pk_agent_runs *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->autonomy_mode[i]);
		free(r->model_id[i]);
	}
	free(r->ts_us);
	free(r->tes);
	free(r->stability);
	free(r->velocity);
	free(r->footprint);
	free(r->duration_s);
	free(r->autonomy_mode);
	free(r->model_id);
	*r = (struct pk_agent_runs){ 0 };
}

enum pk_status pk_query_agent_range(struct pk_db *db, int64_t *first_us, int64_t *last_us)
{
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db->sql, "SELECT count(*), min(ts_us), max(ts_us) FROM agent_run",
	                       -1, &q, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	enum pk_status rc = PK_ERR_DB;
	if (sqlite3_step(q) == SQLITE_ROW) {
		rc = sqlite3_column_int64(q, 0) > 0 ? PK_OK : PK_NODATA;
		*first_us = sqlite3_column_int64(q, 1);
		*last_us = sqlite3_column_int64(q, 2);
	}
	sqlite3_finalize(q);
	return rc;
}

enum pk_status pk_query_wake_latencies(struct pk_db *db, int64_t from_us, int64_t to_us,
                                       struct pk_wake_latencies *out)
{
	*out = (struct pk_wake_latencies){ 0 };
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db->sql,
	    "SELECT ts_us, latency_ms FROM wake_event WHERE latency_ms IS NOT NULL "
	    "AND ts_us BETWEEN ?1 AND ?2 ORDER BY ts_us, session_id, word, variant",
	    -1, &q, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	sqlite3_bind_int64(q, 1, from_us);
	sqlite3_bind_int64(q, 2, to_us);
	enum pk_status rc = PK_OK;
	size_t cap = 0;
	int r = SQLITE_DONE;
	while (rc == PK_OK && (r = sqlite3_step(q)) == SQLITE_ROW) {
		if (out->n == cap) {
			cap = cap ? cap * 2 : 256;
			int64_t *ts = realloc(out->ts_us, cap * sizeof *ts);
			if (ts)
				out->ts_us = ts;
			double *v = ts ? realloc(out->latency_ms, cap * sizeof *v) : NULL;
			if (v)
				out->latency_ms = v;
			if (!ts || !v) {
				rc = PK_ERR_NOMEM;
				break;
			}
		}
		out->ts_us[out->n] = sqlite3_column_int64(q, 0);
		out->latency_ms[out->n] = col_real(q, 1);
		out->n++;
	}
	if (rc == PK_OK && r != SQLITE_DONE)
		rc = PK_ERR_DB;
	sqlite3_finalize(q);
	return rc;
}

void pk_wake_latencies_free(struct pk_wake_latencies *w)
{
	free(w->ts_us);
	free(w->latency_ms);
	*w = (struct pk_wake_latencies){ 0 };
}

enum pk_status pk_query_hw_profile_names(struct pk_db *db, char ***names, size_t *n)
{
	*names = NULL;
	*n = 0;
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db->sql,
	    "SELECT DISTINCT coalesce((SELECT a.profile FROM profile_alias a "
	    "WHERE a.alias = p.name), p.name) AS canon FROM profile p "
	    "WHERE EXISTS (SELECT 1 FROM hw_sample s WHERE s.profile_id = p.id) "
	    "ORDER BY canon", -1, &q, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	enum pk_status rc = PK_OK;
	size_t cap = 0;
	int r = SQLITE_DONE;
	while (rc == PK_OK && (r = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			char **p = realloc(*names, cap * sizeof *p);
			if (!p) {
				rc = PK_ERR_NOMEM;
				break;
			}
			*names = p;
		}
		char *s = col_text(q, 0, &rc);
		if (s)
			(*names)[(*n)++] = s;
	}
	if (rc == PK_OK && r != SQLITE_DONE)
		rc = PK_ERR_DB;
	sqlite3_finalize(q);
	if (rc != PK_OK) {
		pk_names_free(*names, *n);
		*names = NULL;
		*n = 0;
	}
	return rc;
}

void pk_names_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}
