/* generic_chunks.h - the columnar copy of F8 generic records (table
 * generic_chunk, one row per source, metric and UTC hour): the buffer of
 * store.h's pk_store_generic_*, the hour rebuild from generic_record, and the
 * record JSON -> metric values rule shared with the reader's side.  Internal
 * to core/. */
#ifndef PK_GENERIC_CHUNKS_H
#define PK_GENERIC_CHUNKS_H

#include <stddef.h>
#include <stdint.h>
#include "db_internal.h"
#include "query.h"

/* Generic chunks are per UTC hour, not per day as hw_chunk: generic records
 * come at frame rates (30/s is 108,000 an hour), and a chunk is held and
 * merged in memory whole, so its size bounds the writer's memory. */
#define PK_US_PER_HOUR_CHUNK INT64_C(3600000000)

static inline int64_t pk_gchunk_hour(int64_t ts_us)
{
	return ts_us / PK_US_PER_HOUR_CHUNK;   /* truncating, as SQLite's */
}

/* First and last microsecond of chunk hour h. */
static inline void pk_gchunk_hour_range(int64_t h, int64_t *lo, int64_t *hi)
{
	const int64_t u = PK_US_PER_HOUR_CHUNK;
	if (h > 0) {
		*lo = h * u;
		*hi = (h + 1) * u - 1;
	} else if (h < 0) {
		*lo = (h - 1) * u + 1;
		*hi = h * u;
	} else {
		*lo = -(u - 1);
		*hi = u - 1;
	}
}

/* Calls fn(ctx, path, len, value) for every number of a stored record, as
 * the reader names them: dotted paths, arrays path.INDEX, the record's time
 * key left out, names that cannot be metrics (empty, control characters,
 * over 1024 bytes) left out; a record made only of top-level strings (the
 * shape of a CSV record) has its number-like strings read as numbers.  A
 * nonzero return of fn stops with PK_ERR_NOMEM. */
typedef int (*pk_generic_metric_fn)(void *ctx, const char *metric, size_t len, double v);
enum pk_status pk_generic_extract(const char *json, size_t n, pk_generic_metric_fn fn,
                                  void *ctx);

/* Appends the values of (source, metric) in generic_record's rows of chunk
 * hour `hour`, clipped to [from_us, to_us], to s (query_generic.c). */
enum pk_status pk_generic_read_hour_rows(struct pk_db *db, const char *source,
                                        const char *metric, int64_t hour,
                                        int64_t from_us, int64_t to_us,
                                        struct pk_generic_series *s);

#endif
