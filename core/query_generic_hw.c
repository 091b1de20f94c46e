/* query_generic_hw.c - the SQL behind query_generic_hw.h: registry-named
 * metrics of F8 generic records read as hardware series. */
#include "query_generic_hw.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "metrics.h"
#include "query_generic_table.h"
#include "query_gpu_sys.h"
#include "series_merge.h"

/* At most this many registry names a source (the registry's size). */
#define PK_GENERIC_HW_MAX 64

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

/* The registry-named metrics of one source (their series g[0..n), registry
 * indexes idx) as one hardware series merged into acc (a value already in
 * acc at a time wins). */
static enum pk_status add_source(struct pk_hw_series *acc, const struct pk_generic_series *g,
                                 const size_t *idx, size_t n)
{
	int64_t *ts = NULL;
	size_t nts = 0;
	struct pk_hw_series one = { 0 };
	enum pk_status rc = pk_generic_join_times(g, n, &ts, &nts);
	if (rc == PK_OK)
		rc = pk_series_reserve(&one, nts);
	if (rc == PK_OK && nts > 0) {
		memcpy(one.ts_us, ts, nts * sizeof *ts);
		one.n = nts;
		for (size_t m = 0; m < pk_hw_nmetrics; m++)
			for (size_t i = 0; i < nts; i++)
				one.v[m][i] = NAN;
		for (size_t k = 0; k < n; k++)
			pk_generic_fill(&g[k], ts, nts, one.v[idx[k]]);
		rc = pk_series_absorb(acc, &one);   /* the first source: no merge */
	}
	free(ts);
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
	/* one source at a time (rows by source): its registry-named series */
	struct pk_generic_series g[PK_GENERIC_HW_MAX] = { 0 };
	size_t idx[PK_GENERIC_HW_MAX], n = 0;
	char *source = NULL;
	enum pk_status rc = PK_OK;
	int s;
	while (rc == PK_OK && (s = sqlite3_step(q)) == SQLITE_ROW) {
		const char *src = (const char *)sqlite3_column_text(q, 0);
		const char *metric = (const char *)sqlite3_column_text(q, 1);
		size_t m;
		if (!src || !metric || !pk_hw_metric_find(metric, &m))
			continue;
		if (source && strcmp(source, src) != 0) {
			rc = add_source(out, g, idx, n);
			for (size_t k = 0; k < n; k++)
				pk_generic_series_free(&g[k]);
			n = 0;
			free(source);
			source = NULL;
		}
		if (rc == PK_OK && !source && !(source = strdup(src)))
			rc = PK_ERR_NOMEM;
		if (rc != PK_OK || n == PK_GENERIC_HW_MAX)
			continue;   /* (each registry name once a source: never full) */
		idx[n] = m;
		rc = pk_query_generic_series(db, source, metric, from_us, to_us, &g[n++]);
	}
	if (rc == PK_OK && s != SQLITE_DONE)
		rc = PK_ERR_DB;
	sqlite3_finalize(q);
	if (rc == PK_OK && n > 0)
		rc = add_source(out, g, idx, n);
	for (size_t k = 0; k < n; k++)
		pk_generic_series_free(&g[k]);
	free(source);
	return rc;
}
