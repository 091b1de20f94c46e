/* query_generic_hw.c - the SQL behind query_generic_hw.h: registry-named
 * metrics of F8 generic records read as hardware series. */
#include "query_generic_hw.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>

#include "db_internal.h"
#include "metrics.h"
#include "query_gpu_sys.h"

static const char metrics_sql[] =
	"WITH " PK_MACHINE_NAMES_CTE
	"SELECT source, metric FROM generic_metric WHERE source IN (SELECT n FROM names) "
	"ORDER BY source, metric";

enum pk_status pk_registry_names_json(struct pk_buf *b)
{
	enum pk_status rc = pk_buf_putc(b, '[');
	for (size_t m = 0; m < pk_hw_nmetrics && rc == PK_OK; m++)
		rc = pk_buf_printf(b, "%s\"%s\"", m ? "," : "", pk_hw_metrics[m].name);
	return rc == PK_OK ? pk_buf_putc(b, ']') : rc;
}

/* Merges the values g of registry metric m into acc (time order kept; a
 * value already in acc at that time wins). */
static enum pk_status merge_metric(struct pk_hw_series *acc, size_t m,
                                   const struct pk_generic_series *g)
{
	struct pk_hw_series one = { 0 }, merged = { 0 };
	enum pk_status rc = pk_series_reserve(&one, g->n);
	for (size_t i = 0; i < g->n && rc == PK_OK; i++) {
		if (isnan(g->v[i]))
			continue;   /* missing, were it stored */
		if (one.n > 0 && one.ts_us[one.n - 1] == g->ts_us[i])
			continue;   /* one value a time: the first */
		size_t k = one.n++;
		one.ts_us[k] = g->ts_us[i];
		for (size_t j = 0; j < pk_hw_nmetrics; j++)
			one.v[j][k] = NAN;
		one.v[m][k] = g->v[i];
	}
	if (rc == PK_OK && one.n > 0)
		rc = pk_series_merge_times(acc, &one, &merged);
	if (rc == PK_OK && one.n > 0) {
		pk_hw_series_free(acc);
		*acc = merged;
	} else {
		pk_hw_series_free(&merged);
	}
	pk_hw_series_free(&one);
	return rc;
}

enum pk_status pk_generic_hw_series(struct pk_db *db, const char *name, int64_t from_us,
                                    int64_t to_us, struct pk_hw_series *out)
{
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db->sql, metrics_sql, -1, &q, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	enum pk_status rc = PK_OK;
	int s;
	while (rc == PK_OK && (s = sqlite3_step(q)) == SQLITE_ROW) {
		size_t m;
		const char *metric = (const char *)sqlite3_column_text(q, 1);
		if (!metric || !pk_hw_metric_find(metric, &m))
			continue;
		struct pk_generic_series g = { 0 };
		rc = pk_query_generic_series(db, (const char *)sqlite3_column_text(q, 0), metric,
		                             from_us, to_us, &g);
		if (rc == PK_OK)
			rc = merge_metric(out, m, &g);
		pk_generic_series_free(&g);
	}
	if (rc == PK_OK && s != SQLITE_DONE)
		rc = PK_ERR_DB;
	sqlite3_finalize(q);
	return rc;
}
