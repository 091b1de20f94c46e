/* query_bench.c - the SQL behind query_bench.h: benchmark series and the
 * values of one run. */
#include "query_bench.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"

struct pk_bench_values_q {
	sqlite3_stmt *st;
	sqlite3_stmt *rev;  /* bench_run.revision of a run */
};

/* A malloc'd copy of column c (bytes, NUL added); *len its length.  NULL
 * column: an empty string. */
static char *column_copy(sqlite3_stmt *q, int c, size_t *len)
{
	const unsigned char *s = sqlite3_column_text(q, c);
	size_t n = (size_t)sqlite3_column_bytes(q, c);
	char *out = malloc(n + 1);
	if (!out)
		return NULL;
	if (s && n)
		memcpy(out, s, n);
	out[n] = '\0';
	*len = n;
	return out;
}

static int same_text(sqlite3_stmt *q, int c, const char *s, size_t n)
{
	const unsigned char *t = sqlite3_column_text(q, c);
	return (size_t)sqlite3_column_bytes(q, c) == n && (n == 0 || memcmp(t, s, n) == 0);
}

static void series_free(struct pk_bench_series *s)
{
	free(s->suite);
	free(s->host);
	free(s->name);
	free(s->unit);
	free(s->runs);
	*s = (struct pk_bench_series){ 0 };
}

/* Starts a new series at the current row of q. */
static enum pk_status series_start(struct pk_bench_series_list *l, size_t *cap, sqlite3_stmt *q)
{
	if (l->n == *cap) {
		size_t nc = *cap ? 2 * *cap : 16;
		struct pk_bench_series *s = realloc(l->s, nc * sizeof *s);
		if (!s)
			return PK_ERR_NOMEM;
		l->s = s;
		*cap = nc;
	}
	struct pk_bench_series *s = &l->s[l->n++];
	*s = (struct pk_bench_series){ 0 };
	s->suite = column_copy(q, 0, &s->suite_len);
	s->host = column_copy(q, 1, &s->host_len);
	s->name = column_copy(q, 2, &s->name_len);
	return s->suite && s->host && s->name ? PK_OK : PK_ERR_NOMEM;
}

/* Adds the current row of q as a run of s (runs_cap: its allocation). */
static enum pk_status run_add(struct pk_bench_series *s, size_t *runs_cap, sqlite3_stmt *q)
{
	if (s->nruns == *runs_cap) {
		size_t nc = *runs_cap ? 2 * *runs_cap : 16;
		struct pk_bench_run *r = realloc(s->runs, nc * sizeof *r);
		if (!r)
			return PK_ERR_NOMEM;
		s->runs = r;
		*runs_cap = nc;
	}
	double m = NAN;
	if (sqlite3_column_type(q, 4) != SQLITE_NULL) {
		m = sqlite3_column_double(q, 4);
		if (!isfinite(m))
			m = NAN;
	}
	struct pk_bench_run *r = &s->runs[s->nruns++];
	*r = (struct pk_bench_run){ sqlite3_column_int64(q, 3), m, "" };
	const unsigned char *dg = sqlite3_column_text(q, 7);
	size_t dn = (size_t)sqlite3_column_bytes(q, 7);
	if (dg && dn < sizeof r->digest)
		memcpy(r->digest, dg, dn + 1);
	if (sqlite3_column_type(q, 5) != SQLITE_NULL) {
		size_t n;
		char *u = column_copy(q, 5, &n);
		if (!u)
			return PK_ERR_NOMEM;
		free(s->unit);
		s->unit = u;
	}
	if (sqlite3_column_type(q, 6) != SQLITE_NULL) {
		const char *d = (const char *)sqlite3_column_text(q, 6);
		if (d && strcmp(d, "lower") == 0)
			s->direction = PK_BENCH_LOWER;
		else if (d && strcmp(d, "higher") == 0)
			s->direction = PK_BENCH_HIGHER;
	}
	return PK_OK;
}

enum pk_status pk_query_bench_series(struct pk_db *db, const char *suite, const char *host,
                                     int64_t until_us, struct pk_bench_series_list *out)
{
	*out = (struct pk_bench_series_list){ 0 };
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db->sql,
	    "SELECT suite, host, name, run_us, mean, unit, direction, digest FROM bench_result "
	    "WHERE (?1 IS NULL OR suite = ?1) AND (?2 IS NULL OR host = ?2) AND run_us <= ?3 "
	    "ORDER BY suite, host, name, run_us, digest", -1, &q, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	enum pk_status rc = PK_OK;
	if ((suite && sqlite3_bind_text(q, 1, suite, -1, SQLITE_STATIC) != SQLITE_OK) ||
	    (host && sqlite3_bind_text(q, 2, host, -1, SQLITE_STATIC) != SQLITE_OK) ||
	    sqlite3_bind_int64(q, 3, until_us == INT64_MIN ? INT64_MAX : until_us) != SQLITE_OK)
		rc = PK_ERR_DB;
	size_t cap = 0, runs_cap = 0;
	int r = SQLITE_DONE;
	while (rc == PK_OK && (r = sqlite3_step(q)) == SQLITE_ROW) {
		struct pk_bench_series *s = out->n ? &out->s[out->n - 1] : NULL;
		if (!s || !same_text(q, 0, s->suite, s->suite_len) ||
		    !same_text(q, 1, s->host, s->host_len) || !same_text(q, 2, s->name, s->name_len)) {
			rc = series_start(out, &cap, q);
			s = &out->s[out->n - 1];
			runs_cap = 0;
		}
		if (rc == PK_OK)
			rc = run_add(s, &runs_cap, q);
	}
	if (rc == PK_OK && r != SQLITE_DONE)
		rc = PK_ERR_DB;
	sqlite3_finalize(q);
	return rc;
}

void pk_bench_series_list_free(struct pk_bench_series_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		series_free(&l->s[i]);
	free(l->s);
	*l = (struct pk_bench_series_list){ 0 };
}

enum pk_status pk_bench_values_open(struct pk_db *db, struct pk_bench_values_q **q)
{
	*q = calloc(1, sizeof **q);
	if (!*q)
		return PK_ERR_NOMEM;
	if (sqlite3_prepare_v2(db->sql,
	    "SELECT value FROM bench_value WHERE suite = ?1 AND run_us = ?2 AND host = ?3 "
	    "AND digest = ?5 AND name = ?4 AND value IS NOT NULL ORDER BY seq", -1, &(*q)->st,
	    NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db->sql,
	    "SELECT revision FROM bench_run WHERE suite = ?1 AND run_us = ?2 AND host = ?3 "
	    "AND digest = ?4",
	    -1, &(*q)->rev, NULL) != SQLITE_OK) {
		pk_bench_values_close(q);
		return PK_ERR_DB;
	}
	return PK_OK;
}

enum pk_status pk_bench_run_revision(struct pk_bench_values_q *q, const struct pk_bench_series *s,
                                     const struct pk_bench_run *run, char **out, size_t *len)
{
	sqlite3_stmt *st = q->rev;
	enum pk_status rc = PK_OK;
	*out = NULL;
	*len = 0;
	sqlite3_reset(st);
	if (sqlite3_bind_text(st, 1, s->suite, (int)s->suite_len, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, run->run_us) != SQLITE_OK ||
	    sqlite3_bind_text(st, 3, s->host, (int)s->host_len, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(st, 4, run->digest, -1, SQLITE_STATIC) != SQLITE_OK)
		return PK_ERR_DB;
	int r = sqlite3_step(st);
	if (r == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		*out = column_copy(st, 0, len);
		if (!*out)
			rc = PK_ERR_NOMEM;
	} else if (r != SQLITE_ROW && r != SQLITE_DONE)
		rc = PK_ERR_DB;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc;
}

enum pk_status pk_bench_values_get(struct pk_bench_values_q *q, const struct pk_bench_series *s,
                                   const struct pk_bench_run *run, double **v, size_t *n,
                                   size_t *cap)
{
	sqlite3_stmt *st = q->st;
	enum pk_status rc = PK_OK;
	sqlite3_reset(st);
	if (sqlite3_bind_text(st, 1, s->suite, (int)s->suite_len, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, run->run_us) != SQLITE_OK ||
	    sqlite3_bind_text(st, 3, s->host, (int)s->host_len, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(st, 4, s->name, (int)s->name_len, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(st, 5, run->digest, -1, SQLITE_STATIC) != SQLITE_OK)
		return PK_ERR_DB;
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		double x = sqlite3_column_double(st, 0);
		if (!isfinite(x))
			continue;
		if (*n == *cap) {
			size_t nc = *cap ? 2 * *cap : 64;
			double *nv = realloc(*v, nc * sizeof *nv);
			if (!nv) {
				rc = PK_ERR_NOMEM;
				break;
			}
			*v = nv;
			*cap = nc;
		}
		(*v)[(*n)++] = x;
	}
	if (rc == PK_OK && r != SQLITE_DONE)
		rc = PK_ERR_DB;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc;
}

void pk_bench_values_close(struct pk_bench_values_q **q)
{
	if (!*q)
		return;
	sqlite3_finalize((*q)->st);
	sqlite3_finalize((*q)->rev);
	free(*q);
	*q = NULL;
}
