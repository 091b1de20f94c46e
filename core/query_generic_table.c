/* query_generic_table.c - the SQL behind query_generic_table.h: a generic
 * source's metrics joined on their record times. */
#include "query_generic_table.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"

static const char info_sql[] =
	"SELECT count(*), min(ts_us), max(ts_us) FROM generic_record WHERE source = ?1";
static const char metrics_sql[] =
	"SELECT metric FROM generic_metric WHERE source = ?1 ORDER BY metric";

enum pk_status pk_query_generic_info(struct pk_db *db, const char *source,
                                     struct pk_profile_info *out)
{
	*out = (struct pk_profile_info){ 0 };
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db->sql, info_sql, -1, &q, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	sqlite3_bind_text(q, 1, source, -1, SQLITE_STATIC);
	enum pk_status rc = sqlite3_step(q) == SQLITE_ROW ? PK_OK : PK_ERR_DB;
	if (rc == PK_OK) {
		out->samples = sqlite3_column_int64(q, 0);
		out->first_us = sqlite3_column_int64(q, 1);
		out->last_us = sqlite3_column_int64(q, 2);
		if (out->samples == 0)
			rc = PK_NODATA;
	}
	sqlite3_finalize(q);
	return rc;
}

void pk_generic_table_free(struct pk_generic_table *t)
{
	for (size_t m = 0; m < t->nmetrics; m++) {
		if (t->metrics && (t->metrics[m].flags & PK_METRIC_UNREGISTERED))
			free((char *)t->metrics[m].name);
		if (t->v)
			free(t->v[m]);
	}
	free(t->metrics);
	free(t->v);
	free(t->ts_us);
	*t = (struct pk_generic_table){ 0 };
}

static int cmp_ts(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Adds metric `path` (its entry, not yet its values) to t. */
static enum pk_status add_metric(struct pk_generic_table *t, size_t *cap, const char *path)
{
	if (t->nmetrics == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		struct pk_metric *m = realloc(t->metrics, c * sizeof *m);
		if (!m)
			return PK_ERR_NOMEM;
		t->metrics = m;
		double **v = realloc(t->v, c * sizeof *v);
		if (!v)
			return PK_ERR_NOMEM;
		t->v = v;
		*cap = c;
	}
	const struct pk_metric *reg = pk_hw_metric_find(path, NULL);
	struct pk_metric *m = &t->metrics[t->nmetrics];
	if (reg) {
		*m = *reg;
	} else {
		char *name = strdup(path);
		if (!name)
			return PK_ERR_NOMEM;
		*m = (struct pk_metric){ name, NULL, "", name, PK_NEUTRAL, PK_METRIC_UNREGISTERED };
	}
	t->v[t->nmetrics++] = NULL;
	return PK_OK;
}

enum pk_status pk_generic_join_times(const struct pk_generic_series *g, size_t n,
                                     int64_t **ts, size_t *nts)
{
	size_t total = 0;
	for (size_t m = 0; m < n; m++)
		total += g[m].n;
	*nts = 0;
	if (!(*ts = malloc((total ? total : 1) * sizeof **ts)))
		return PK_ERR_NOMEM;
	size_t k = 0;
	for (size_t m = 0; m < n; m++) {
		if (g[m].n)
			memcpy(*ts + k, g[m].ts_us, g[m].n * sizeof **ts);
		k += g[m].n;
	}
	qsort(*ts, total, sizeof **ts, cmp_ts);
	size_t u = 0;
	for (size_t i = 0; i < total; i++)
		if (u == 0 || (*ts)[u - 1] != (*ts)[i])
			(*ts)[u++] = (*ts)[i];
	*nts = u;
	return PK_OK;
}

void pk_generic_fill(const struct pk_generic_series *g, const int64_t *ts, size_t n, double *v)
{
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		while (j < g->n && g->ts_us[j] < ts[i])
			j++;
		v[i] = j < g->n && g->ts_us[j] == ts[i] ? g->v[j] : NAN;
	}
}

enum pk_status pk_query_generic_table(struct pk_db *db, const char *source, int64_t from_us,
                                      int64_t to_us, struct pk_generic_table *out)
{
	*out = (struct pk_generic_table){ 0 };
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db->sql, metrics_sql, -1, &q, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	sqlite3_bind_text(q, 1, source, -1, SQLITE_STATIC);
	enum pk_status rc = PK_OK;
	size_t cap = 0;
	int s;
	while (rc == PK_OK && (s = sqlite3_step(q)) == SQLITE_ROW)
		rc = add_metric(out, &cap, (const char *)sqlite3_column_text(q, 0));
	if (rc == PK_OK && s != SQLITE_DONE)
		rc = PK_ERR_DB;
	sqlite3_finalize(q);
	struct pk_generic_series *g = NULL;
	if (rc == PK_OK && !(g = calloc(out->nmetrics ? out->nmetrics : 1, sizeof *g)))
		rc = PK_ERR_NOMEM;
	for (size_t m = 0; m < out->nmetrics && rc == PK_OK; m++)
		rc = pk_query_generic_series(db, source, out->metrics[m].name, from_us, to_us, &g[m]);
	if (rc == PK_OK)
		rc = pk_generic_join_times(g, out->nmetrics, &out->ts_us, &out->n);
	for (size_t m = 0; m < out->nmetrics && rc == PK_OK; m++) {
		if (!(out->v[m] = malloc((out->n ? out->n : 1) * sizeof *out->v[m])))
			rc = PK_ERR_NOMEM;
		else
			pk_generic_fill(&g[m], out->ts_us, out->n, out->v[m]);
	}
	for (size_t m = 0; g && m < out->nmetrics; m++)
		pk_generic_series_free(&g[m]);
	free(g);
	if (rc != PK_OK)
		pk_generic_table_free(out);
	return rc;
}
