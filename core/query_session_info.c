/* query_session_info.c - the SQL behind query_session_info.h. */
#include "query_session_info.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"

static const char sql_row[] =
	"SELECT profiler_state, total_samples, sampling_duration, cpu_avg, cpu_max, "
	"memory_avg, memory_max, io_wait_avg, io_wait_max, ocr_calls_per_minute, "
	"frames_per_minute, sample_count FROM session WHERE session_id = ?1";
/* ?2: the path of the list inside performance_summary */
static const char sql_list[] =
	"SELECT CASE WHEN j.type IN ('object', 'array') THEN j.value "
	"ELSE CAST(j.atom AS TEXT) END FROM session s, "
	"json_each(s.performance_summary, ?2) j WHERE s.session_id = ?1 "
	"AND json_valid(s.performance_summary) "
	"AND json_type(s.performance_summary, ?2) = 'array' ORDER BY j.id";
static const char sql_sources[] =
	"SELECT DISTINCT replace(path, rtrim(path, replace(path, '/', '')), '') || "
	"CASE WHEN member = '' THEN '' ELSE ':' || member END AS f "
	"FROM source_file WHERE id IN ("
	"SELECT source_id FROM session WHERE session_id = ?1 UNION "
	"SELECT source_id FROM session_module WHERE session_id = ?1 UNION "
	"SELECT source_id FROM session_sample WHERE session_id = ?1) ORDER BY f";
static const char sql_samples[] =
	"SELECT ts_us, "
	"CASE WHEN json_valid(sample) THEN json_extract(sample, '$.cpu_percent') END, "
	"CASE WHEN json_valid(sample) THEN json_extract(sample, '$.memory_percent') END, "
	"CASE WHEN json_valid(sample) THEN json_extract(sample, '$.io_wait_percent') END "
	"FROM session_sample WHERE session_id = ?1 ORDER BY ts_us";

static double num(sqlite3_stmt *q, int c)
{
	int t = sqlite3_column_type(q, c);
	if (t != SQLITE_INTEGER && t != SQLITE_FLOAT)
		return NAN;
	double v = sqlite3_column_double(q, c);
	return isfinite(v) ? v : NAN;
}

static char *text(sqlite3_stmt *q, int c)
{
	const unsigned char *s = sqlite3_column_text(q, c);
	if (!s)
		return NULL;
	size_t n = (size_t)sqlite3_column_bytes(q, c);
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static enum pk_status prepare(struct pk_db *db, const char *sql, const char *id,
                              sqlite3_stmt **q)
{
	*q = NULL;
	if (sqlite3_prepare_v2(db->sql, sql, -1, q, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(*q, 1, id, -1, SQLITE_STATIC) != SQLITE_OK)
		return PK_ERR_DB;
	return PK_OK;
}

/* The first column of every row of q (bound) into l. */
static enum pk_status collect(sqlite3_stmt *q, struct pk_str_list *l)
{
	size_t cap = 0;
	int r;
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		if (sqlite3_column_type(q, 0) == SQLITE_NULL)
			continue;
		if (l->n == cap) {
			cap = cap ? 2 * cap : 8;
			char **t = realloc(l->s, cap * sizeof *t);
			if (!t)
				return PK_ERR_NOMEM;
			l->s = t;
		}
		if (!(l->s[l->n] = text(q, 0)))
			return PK_ERR_NOMEM;
		l->n++;
	}
	return r == SQLITE_DONE ? PK_OK : PK_ERR_DB;
}

static enum pk_status read_list(struct pk_db *db, const char *id, const char *path,
                                struct pk_str_list *l)
{
	sqlite3_stmt *q;
	enum pk_status rc = prepare(db, sql_list, id, &q);
	if (rc == PK_OK && sqlite3_bind_text(q, 2, path, -1, SQLITE_STATIC) != SQLITE_OK)
		rc = PK_ERR_DB;
	if (rc == PK_OK)
		rc = collect(q, l);
	sqlite3_finalize(q);
	return rc;
}

static enum pk_status read_row(struct pk_db *db, const char *id, struct pk_session_info *s)
{
	sqlite3_stmt *q;
	enum pk_status rc = prepare(db, sql_row, id, &q);
	int r = rc == PK_OK ? sqlite3_step(q) : SQLITE_ERROR;
	if (rc == PK_OK && r == SQLITE_ROW) {
		s->have_row = 1;
		if (sqlite3_column_type(q, 0) != SQLITE_NULL && !(s->profiler_state = text(q, 0)))
			rc = PK_ERR_NOMEM;
		double *v[] = { &s->total_samples, &s->sampling_duration_s, &s->cpu_avg,
		                &s->cpu_max, &s->memory_avg, &s->memory_max, &s->io_wait_avg,
		                &s->io_wait_max, &s->ocr_per_min, &s->frames_per_min,
		                &s->sample_count };
		for (int i = 0; i < (int)(sizeof v / sizeof v[0]); i++)
			*v[i] = num(q, i + 1);
	} else if (rc == PK_OK && r != SQLITE_DONE) {
		rc = PK_ERR_DB;
	}
	sqlite3_finalize(q);
	return rc;
}

static enum pk_status read_samples(struct pk_db *db, const char *id, struct pk_session_info *s)
{
	sqlite3_stmt *q;
	enum pk_status rc = prepare(db, sql_samples, id, &q);
	size_t cap = 0;
	int r = SQLITE_DONE;
	while (rc == PK_OK && (r = sqlite3_step(q)) == SQLITE_ROW) {
		if (s->nsamples == cap) {
			cap = cap ? 2 * cap : 64;
			int64_t *t = realloc(s->ts_us, cap * sizeof *t);
			if (t)
				s->ts_us = t;
			double **cols[] = { &s->cpu, &s->mem, &s->io_wait };
			for (int i = 0; t && i < 3; i++) {
				double *d = realloc(*cols[i], cap * sizeof *d);
				if (!d)
					t = NULL;
				else
					*cols[i] = d;
			}
			if (!t) {
				rc = PK_ERR_NOMEM;
				break;
			}
		}
		size_t i = s->nsamples++;
		s->ts_us[i] = sqlite3_column_int64(q, 0);
		s->cpu[i] = num(q, 1);
		s->mem[i] = num(q, 2);
		s->io_wait[i] = num(q, 3);
	}
	if (rc == PK_OK && r != SQLITE_DONE)
		rc = PK_ERR_DB;
	sqlite3_finalize(q);
	return rc;
}

enum pk_status pk_query_session_info(struct pk_db *db, const char *id,
                                     struct pk_session_info *out)
{
	memset(out, 0, sizeof *out);
	double *v[] = { &out->total_samples, &out->sampling_duration_s, &out->cpu_avg,
	                &out->cpu_max, &out->memory_avg, &out->memory_max,
	                &out->io_wait_avg, &out->io_wait_max, &out->ocr_per_min,
	                &out->frames_per_min, &out->sample_count };
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		*v[i] = NAN;
	enum pk_status rc = read_row(db, id, out);
	if (rc == PK_OK)
		rc = read_list(db, id, "$.critical_modules", &out->critical);
	if (rc == PK_OK)
		rc = read_list(db, id, "$.optimization_opportunities", &out->opportunities);
	if (rc == PK_OK)
		rc = read_list(db, id, "$.recommended_actions", &out->actions);
	if (rc == PK_OK) {
		sqlite3_stmt *q;
		rc = prepare(db, sql_sources, id, &q);
		if (rc == PK_OK)
			rc = collect(q, &out->sources);
		sqlite3_finalize(q);
	}
	if (rc == PK_OK)
		rc = read_samples(db, id, out);
	if (rc != PK_OK)
		pk_session_info_free(out);
	return rc;
}

void pk_str_list_free(struct pk_str_list *l)
{
	for (size_t i = 0; l->s && i < l->n; i++)
		free(l->s[i]);
	free(l->s);
	l->s = NULL;
	l->n = 0;
}

void pk_session_info_free(struct pk_session_info *s)
{
	free(s->profiler_state);
	pk_str_list_free(&s->critical);
	pk_str_list_free(&s->opportunities);
	pk_str_list_free(&s->actions);
	pk_str_list_free(&s->sources);
	free(s->ts_us);
	free(s->cpu);
	free(s->mem);
	free(s->io_wait);
	memset(s, 0, sizeof *s);
}
