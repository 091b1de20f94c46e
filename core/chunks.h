/* chunks.h - the columnar copy of hardware samples (table hw_chunk), a
 * kind of the columnar engine (colstore.h): one row per (profile, UTC day)
 * with packed times and per-metric values, so an analysis reads a year of
 * minute samples without decoding half a million rows.  perfingest feeds it from the samples it inserts (pk_chunks_add),
 * writes it before each commit (pk_chunks_flush) and rebuilds days changed
 * by other means (pk_chunks_repair).  Internal to core/. */
#ifndef PK_CHUNKS_H
#define PK_CHUNKS_H

#include <stdint.h>
#include "db_internal.h"
#include "query.h"
#include "timeutil.h"

/* The chunk day of a time (truncating division, as SQLite's). */
static inline int64_t pk_chunk_day(int64_t ts_us)
{
	return ts_us / PK_US_PER_DAY;
}

/* First and last microsecond of chunk day d. */
void pk_chunk_day_range(int64_t d, int64_t *lo, int64_t *hi);

/* Marks this connection as the chunk writer for the open transaction. */
enum pk_status pk_chunks_begin(struct pk_db *db);
/* Buffers one newly inserted sample (v: pk_hw_nmetrics values). */
enum pk_status pk_chunks_add(struct pk_db *db, int64_t profile_id, int64_t ts_us,
                             const double *v);
/* Writes every buffered sample into hw_chunk and ends the writer mark;
 * call before COMMIT. */
enum pk_status pk_chunks_flush(struct pk_db *db);
/* Forgets buffered samples (after a ROLLBACK). */
void pk_chunks_discard(struct pk_db *db);
/* A part of the transaction in its own savepoint (an archive member): the
 * buffered samples stay buffered across parts.  part_rollback, after the
 * savepoint's rollback, marks dirty every day whose buffer or chunk write
 * may be undone (rebuilt from hw_sample at the run's end) and forgets the
 * buffers. */
void pk_chunks_part_begin(struct pk_db *db);
enum pk_status pk_chunks_part_rollback(struct pk_db *db);
/* Rebuilds every dirty day from hw_sample; inside a transaction. */
enum pk_status pk_chunks_repair(struct pk_db *db);

/* Appends the samples of profile_id in [from_us, to_us] to s, in time
 * order: from chunks, and from hw_sample rows for dirty days. */
enum pk_status pk_chunks_read(struct pk_db *db, int64_t profile_id,
                              int64_t from_us, int64_t to_us,
                              struct pk_hw_series *s);

#endif
