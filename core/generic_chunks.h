/* generic_chunks.h - the columnar copy of F8 generic records (table
 * generic_chunk, one row per source, metric and UTC hour), a kind of the
 * columnar engine (colstore.h): written through store.h's
 * pk_store_generic_*, rebuilt from generic_record, read by query_generic.c;
 * and the record JSON -> metric values rule shared with the reader's side.
 * Internal to core/. */
#ifndef PK_GENERIC_CHUNKS_H
#define PK_GENERIC_CHUNKS_H

#include <stddef.h>
#include <stdint.h>
#include "db_internal.h"
#include "colstore.h"
#include "timeutil.h"

/* Generic chunks are per UTC hour, not per day as hw_chunk: generic records
 * come at frame rates (30/s is 108,000 an hour), and a chunk is held and
 * merged in memory whole, so its size bounds the writer's memory. */
#define PK_US_PER_HOUR_CHUNK PK_US_PER_HOUR

/* The engine's kind for generic_chunk (colstore.h). */
extern const struct pk_col_kind pk_generic_kind;

/* Calls fn(ctx, path, len, value) for every number of a stored record, as
 * the reader names them: dotted paths, arrays path.INDEX, the record's time
 * key left out, names that cannot be metrics (empty, control characters,
 * over 1024 bytes) left out; a record made only of top-level strings (the
 * shape of a CSV record) has its number-like strings read as numbers.  A
 * nonzero return of fn stops with PK_ERR_NOMEM. */
typedef int (*pk_generic_metric_fn)(void *ctx, const char *metric, size_t len, double v);
enum pk_status pk_generic_extract(const char *json, size_t n, pk_generic_metric_fn fn,
                                  void *ctx);

#endif
