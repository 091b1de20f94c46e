/* query_generic_table.h - every metric of one F8 generic source (a source
 * that is not a machine: query_generic_hw.h) as one time-aligned table, so
 * that --analyze, --compare and --quality read it the way they read a
 * hardware series.  Built on pk_query_generic_series (query.h). */
#ifndef PK_QUERY_GENERIC_TABLE_H
#define PK_QUERY_GENERIC_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include "db.h"
#include "metrics.h"
#include "query.h"
#include "query_profile.h"

/* Rows are the distinct times with a number at any of the source's paths,
 * ascending; v[m][i] is metric m at row i, NAN when that record has no
 * number there.  metrics[m] is the registry's entry when the path is a
 * registry name, else name = label = the path (owned), unit "", direction
 * neutral, flags PK_METRIC_UNREGISTERED. */
struct pk_generic_table {
	size_t n;
	int64_t *ts_us;
	size_t nmetrics;
	struct pk_metric *metrics;   /* by path, ascending */
	double **v;
};

/* Record count and time range of generic source `source` (exact name);
 * PK_NODATA when it has no records.  out->name is NULL. */
enum pk_status pk_query_generic_info(struct pk_db *db, const char *source,
                                     struct pk_profile_info *out);

/* Every metric of `source` with from_us <= ts <= to_us.  out is cleared
 * first; free with pk_generic_table_free.  PK_OK, PK_ERR_DB, PK_ERR_NOMEM. */
enum pk_status pk_query_generic_table(struct pk_db *db, const char *source, int64_t from_us,
                                      int64_t to_us, struct pk_generic_table *out);
void pk_generic_table_free(struct pk_generic_table *t);

/* The files holding records of `source` with from_us <= ts <= to_us, as
 * pk_query_profile_sources (samples: records from the file). */
enum pk_status pk_query_generic_sources(struct pk_db *db, const char *source,
                                        int64_t from_us, int64_t to_us,
                                        struct pk_profile_source **out, size_t *n);

/* The ascending distinct times of the series g[0..n) into *ts (malloc'd,
 * *nts of them).  PK_ERR_NOMEM. */
enum pk_status pk_generic_join_times(const struct pk_generic_series *g, size_t n,
                                     int64_t **ts, size_t *nts);

/* v[i] = g's value at ts[i] (ascending), NAN where g has none. */
void pk_generic_fill(const struct pk_generic_series *g, const int64_t *ts, size_t n, double *v);

#endif
