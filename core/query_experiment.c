/* query_experiment.c - the SQL behind query_experiment.h: read-only queries
 * over one experiment's rows in the F5 tables. */
#include "query_experiment.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"

static const char sql_experiment[] =
	"SELECT name, mode, start_us, end_us, total_memory_gb FROM experiment "
	"WHERE experiment_id = ?1";
static const char sql_cycles[] =
	"SELECT cycle_number, duration, llm_total_time, db_total_time, "
	"llm_tokens_per_second, mem_peak_mb, crashed FROM experiment_cycle "
	"WHERE experiment_id = ?1 ORDER BY cycle_number";
static const char sql_timings[] =
	"SELECT name, count(duration), sum(duration) FROM experiment_timing "
	"WHERE experiment_id = ?1 GROUP BY name "
	"ORDER BY sum(duration) IS NULL, sum(duration) DESC, name";
static const char sql_reasons[] =
	"SELECT crash_reason, count(*) FROM experiment_cycle "
	"WHERE experiment_id = ?1 AND crashed = 1 GROUP BY crash_reason "
	"ORDER BY count(*) DESC, crash_reason";
/* extra is JSON as written; a value that is not a number stays missing.
 * A bottleneck without a type names it with the key `component` (some
 * writers use that key): that name stands in for the type. */
static const char sql_recorded[] =
	"SELECT seq, coalesce(type, CASE WHEN json_valid(extra) AND "
	"json_type(extra, '$.component') = 'text' THEN json_extract(extra, '$.component') END), "
	"severity, description, percentage_of_cycle, avg_time_seconds, "
	"CASE WHEN json_valid(extra) THEN json_extract(extra, '$.count') END, "
	"CASE WHEN json_valid(extra) THEN json_extract(extra, '$.peak_memory_mb') END, "
	"CASE WHEN json_valid(extra) THEN json_extract(extra, '$.max_time_seconds') END "
	"FROM experiment_bottleneck WHERE experiment_id = ?1 ORDER BY seq";

/* Column c as a double; NAN when NULL or not a number. */
static double col_num(sqlite3_stmt *q, int c)
{
	int t = sqlite3_column_type(q, c);
	if (t != SQLITE_INTEGER && t != SQLITE_FLOAT)
		return NAN;
	return sqlite3_column_double(q, c);
}

/* Column c as an owned NUL-terminated copy in *out (NULL when NULL). */
static enum pk_status col_text(sqlite3_stmt *q, int c, char **out)
{
	*out = NULL;
	if (sqlite3_column_type(q, c) == SQLITE_NULL)
		return PK_OK;
	const unsigned char *s = sqlite3_column_text(q, c);
	size_t n = (size_t)sqlite3_column_bytes(q, c);
	char *d = malloc(n + 1);
	if (!d || (!s && n)) {
		free(d);
		return PK_ERR_NOMEM;
	}
	if (n)
		memcpy(d, s, n);
	d[n] = '\0';
	*out = d;
	return PK_OK;
}

static enum pk_status prepare(struct pk_db *db, const char *sql, const char *id,
                              sqlite3_stmt **q)
{
	*q = NULL;
	if (sqlite3_prepare_v2(db->sql, sql, -1, q, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	if (sqlite3_bind_text(*q, 1, id, -1, SQLITE_STATIC) != SQLITE_OK)
		return PK_ERR_DB;
	return PK_OK;
}

/* Grows the arrays of c to room for cap cycles. */
static enum pk_status cycles_grow(struct pk_exp_cycles *c, size_t cap)
{
	double **cols[] = { &c->cycle, &c->duration, &c->llm_time, &c->db_time,
	                    &c->tps, &c->mem_peak };
	for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
		double *p = realloc(*cols[i], cap * sizeof *p);
		if (!p)
			return PK_ERR_NOMEM;
		*cols[i] = p;
	}
	int *k = realloc(c->crashed, cap * sizeof *k);
	if (!k)
		return PK_ERR_NOMEM;
	c->crashed = k;
	return PK_OK;
}

static enum pk_status read_header(struct pk_db *db, const char *id, struct pk_exp_data *d)
{
	sqlite3_stmt *q;
	enum pk_status rc = prepare(db, sql_experiment, id, &q);
	int r = rc == PK_OK ? sqlite3_step(q) : SQLITE_ERROR;
	if (rc == PK_OK && r == SQLITE_ROW) {
		d->has_row = 1;
		rc = col_text(q, 0, &d->name);
		if (rc == PK_OK)
			rc = col_text(q, 1, &d->mode);
		d->start_us = sqlite3_column_type(q, 2) == SQLITE_NULL ? INT64_MIN
		              : sqlite3_column_int64(q, 2);
		d->end_us = sqlite3_column_type(q, 3) == SQLITE_NULL ? INT64_MIN
		            : sqlite3_column_int64(q, 3);
		d->total_memory_gb = col_num(q, 4);
	} else if (rc == PK_OK && r != SQLITE_DONE) {
		rc = PK_ERR_DB;
	}
	sqlite3_finalize(q);
	return rc;
}

static enum pk_status read_cycles(struct pk_db *db, const char *id, struct pk_exp_cycles *c)
{
	sqlite3_stmt *q;
	enum pk_status rc = prepare(db, sql_cycles, id, &q);
	size_t cap = 0;
	int r = SQLITE_DONE;
	while (rc == PK_OK && (r = sqlite3_step(q)) == SQLITE_ROW) {
		if (c->n == cap) {
			cap = cap ? cap * 2 : 256;
			rc = cycles_grow(c, cap);
			if (rc != PK_OK)
				break;
		}
		size_t i = c->n++;
		c->cycle[i] = col_num(q, 0);
		c->duration[i] = col_num(q, 1);
		c->llm_time[i] = col_num(q, 2);
		c->db_time[i] = col_num(q, 3);
		c->tps[i] = col_num(q, 4);
		c->mem_peak[i] = col_num(q, 5);
		c->crashed[i] = sqlite3_column_type(q, 6) == SQLITE_NULL ? -1
		                : sqlite3_column_int64(q, 6) != 0;
	}
	if (rc == PK_OK && r != SQLITE_DONE)
		rc = PK_ERR_DB;
	sqlite3_finalize(q);
	return rc;
}

static enum pk_status read_timings(struct pk_db *db, const char *id, struct pk_exp_data *d)
{
	sqlite3_stmt *q;
	enum pk_status rc = prepare(db, sql_timings, id, &q);
	size_t cap = 0;
	int r = SQLITE_DONE;
	while (rc == PK_OK && (r = sqlite3_step(q)) == SQLITE_ROW) {
		if (d->ntimings == cap) {
			cap = cap ? cap * 2 : 16;
			struct pk_exp_timing_sum *t = realloc(d->timings, cap * sizeof *t);
			if (!t) {
				rc = PK_ERR_NOMEM;
				break;
			}
			d->timings = t;
		}
		struct pk_exp_timing_sum *t = &d->timings[d->ntimings];
		t->count = (size_t)sqlite3_column_int64(q, 1);
		t->total = t->count ? col_num(q, 2) : NAN;
		rc = col_text(q, 0, &t->name);
		if (rc == PK_OK)
			d->ntimings++;
	}
	if (rc == PK_OK && r != SQLITE_DONE)
		rc = PK_ERR_DB;
	sqlite3_finalize(q);
	return rc;
}

static enum pk_status read_reasons(struct pk_db *db, const char *id, struct pk_exp_data *d)
{
	sqlite3_stmt *q;
	enum pk_status rc = prepare(db, sql_reasons, id, &q);
	size_t cap = 0;
	int r = SQLITE_DONE;
	while (rc == PK_OK && (r = sqlite3_step(q)) == SQLITE_ROW) {
		if (d->nreasons == cap) {
			cap = cap ? cap * 2 : 8;
			struct pk_exp_crash_reason *t = realloc(d->reasons, cap * sizeof *t);
			if (!t) {
				rc = PK_ERR_NOMEM;
				break;
			}
			d->reasons = t;
		}
		struct pk_exp_crash_reason *t = &d->reasons[d->nreasons];
		t->count = (size_t)sqlite3_column_int64(q, 1);
		rc = col_text(q, 0, &t->reason);
		if (rc == PK_OK)
			d->nreasons++;
	}
	if (rc == PK_OK && r != SQLITE_DONE)
		rc = PK_ERR_DB;
	sqlite3_finalize(q);
	return rc;
}

static enum pk_status read_recorded(struct pk_db *db, const char *id, struct pk_exp_data *d)
{
	sqlite3_stmt *q;
	enum pk_status rc = prepare(db, sql_recorded, id, &q);
	size_t cap = 0;
	int r = SQLITE_DONE;
	while (rc == PK_OK && (r = sqlite3_step(q)) == SQLITE_ROW) {
		if (d->nrecorded == cap) {
			cap = cap ? cap * 2 : 8;
			struct pk_exp_recorded *t = realloc(d->recorded, cap * sizeof *t);
			if (!t) {
				rc = PK_ERR_NOMEM;
				break;
			}
			d->recorded = t;
		}
		struct pk_exp_recorded *b = &d->recorded[d->nrecorded];
		*b = (struct pk_exp_recorded){ .seq = sqlite3_column_int64(q, 0) };
		b->percentage_of_cycle = col_num(q, 4);
		b->avg_time_seconds = col_num(q, 5);
		b->count = col_num(q, 6);
		b->peak_memory_mb = col_num(q, 7);
		b->max_time_seconds = col_num(q, 8);
		d->nrecorded++;   /* counted first: pk_exp_data_free frees what was copied */
		rc = col_text(q, 1, &b->type);
		if (rc == PK_OK)
			rc = col_text(q, 2, &b->severity);
		if (rc == PK_OK)
			rc = col_text(q, 3, &b->description);
	}
	if (rc == PK_OK && r != SQLITE_DONE)
		rc = PK_ERR_DB;
	sqlite3_finalize(q);
	return rc;
}

enum pk_status pk_query_experiment(struct pk_db *db, const char *id,
                                   struct pk_exp_data *out)
{
	*out = (struct pk_exp_data){ .start_us = INT64_MIN, .end_us = INT64_MIN,
	                             .total_memory_gb = NAN };
	if (!db || !id)
		return PK_ERR_INPUT;
	out->id = strdup(id);
	enum pk_status rc = out->id ? PK_OK : PK_ERR_NOMEM;
	if (rc == PK_OK)
		rc = read_header(db, id, out);
	if (rc == PK_OK)
		rc = read_cycles(db, id, &out->c);
	if (rc == PK_OK && !out->has_row && out->c.n == 0)
		rc = PK_NODATA;
	if (rc == PK_OK)
		rc = read_timings(db, id, out);
	if (rc == PK_OK)
		rc = read_reasons(db, id, out);
	if (rc == PK_OK)
		rc = read_recorded(db, id, out);
	if (rc != PK_OK)
		pk_exp_data_free(out);
	return rc;
}

void pk_exp_data_free(struct pk_exp_data *d)
{
	free(d->id);
	free(d->name);
	free(d->mode);
	free(d->c.cycle);
	free(d->c.duration);
	free(d->c.llm_time);
	free(d->c.db_time);
	free(d->c.tps);
	free(d->c.mem_peak);
	free(d->c.crashed);
	for (size_t i = 0; i < d->ntimings; i++)
		free(d->timings[i].name);
	free(d->timings);
	for (size_t i = 0; i < d->nreasons; i++)
		free(d->reasons[i].reason);
	free(d->reasons);
	for (size_t i = 0; i < d->nrecorded; i++) {
		free(d->recorded[i].type);
		free(d->recorded[i].severity);
		free(d->recorded[i].description);
	}
	free(d->recorded);
	*d = (struct pk_exp_data){ .start_us = INT64_MIN, .end_us = INT64_MIN,
	                           .total_memory_gb = NAN };
}
