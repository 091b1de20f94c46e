/* colstore.h - the columnar engine behind hw_chunk (chunks.c) and
 * generic_chunk (generic_chunks.c): a copy of a row table's samples packed
 * by period (n times as little-endian int64, ascending; nvals x n doubles,
 * value-major, NaN = missing), kept up to date by perfingest and rebuilt
 * from the row table for periods changed by other means (marked dirty by
 * SQL triggers).  The engine owns the writer's buffer and its merge with
 * the stored chunks, the dirty marks, the rebuild and repair, the check of
 * blobs read back (chunk_check.c: the database is untrusted input) and the
 * reading of a time window; a kind (struct pk_col_kind) names its tables
 * and supplies the rebuild and the row reading.  Internal to core/. */
#ifndef PK_COLSTORE_H
#define PK_COLSTORE_H

#include <stddef.h>
#include <stdint.h>
#include "db_internal.h"

/* A chunk's key: its owner (an integer id, or a text when the kind's owner
 * is text) and, for a kind with one chunk per series, the series name. */
struct pk_col_key {
	int64_t id;
	const char *text;          /* owner_text kinds */
	size_t text_len;
	const char *series;        /* series kinds */
	size_t series_len;
};

struct pk_col_kind;

/* Writes the chunk of (key, period) from n samples (ts ascending, vals
 * value-major: nvals arrays of n), or deletes it when n is 0; for the
 * kind's rebuild. */
enum pk_status pk_colstore_write(struct pk_db *db, const struct pk_col_kind *k,
                                 const struct pk_col_key *key, int64_t period, size_t n,
                                 const int64_t *ts, const double *vals);

/* Where pk_colstore_read puts a window's samples. */
struct pk_col_sink {
	void *ctx;
	/* room for `more` samples beyond those appended (a hint) */
	enum pk_status (*reserve)(void *ctx, size_t more);
	/* n samples from a chunk: vals holds nvals arrays of stride doubles */
	enum pk_status (*append)(void *ctx, size_t n, const int64_t *ts, const double *vals,
	                         size_t stride);
	/* the row table's samples of the key in [from_us, to_us] (a dirty or
	 * stale period, clipped to the window) */
	enum pk_status (*rows)(void *ctx, int64_t from_us, int64_t to_us);
};

struct pk_col_kind {
	struct pk_db_module module;  /* the connection's buffer (colstore_module_*) */
	const char *table;           /* the chunk table */
	const char *dirty_table;     /* (owner, period) marked dirty by triggers */
	const char *owner_col;
	int owner_text;              /* owner is text (else an integer id) */
	const char *series_col;      /* NULL: one chunk per owner and period */
	const char *period_col;
	int64_t period_us;           /* the truncating ts_us / period_us, as SQLite's */
	const char *nvals_col;       /* the stored values per sample, NULL: always 1 */
	const size_t *nvals;         /* values per sample */
	size_t open_max;             /* buffered chunks at most */
	size_t buffer_max;           /* buffered samples at most */
	/* SQL run after a chunk is written, bound to (owner, series); or NULL */
	const char *on_write_sql;
	/* Writes (pk_colstore_write) every chunk of (owner, period) from the
	 * row table's samples in [lo, hi]; the engine has deleted them. */
	enum pk_status (*rebuild)(struct pk_db *db, const struct pk_col_key *owner,
	                          int64_t period, int64_t lo, int64_t hi);
	/* Records that the chunk of (key, period) is damaged (pk_db_set_damage). */
	void (*damaged)(struct pk_db *db, const struct pk_col_key *key, int64_t period,
	                const char *why);
};

/* The make and free hooks of every kind's module. */
void *pk_colstore_make(void);
void pk_colstore_free(void *state);

/* The period of a time (truncating division, as SQLite's), and the first
 * and last microsecond of period p. */
static inline int64_t pk_col_period(int64_t ts_us, int64_t period_us)
{
	return ts_us / period_us;
}
void pk_col_period_range(int64_t p, int64_t period_us, int64_t *lo, int64_t *hi);

/* Marks this connection as the chunk writer for the open transaction (its
 * own inserts into the row tables need no dirty mark: table chunk_writer),
 * and ends the mark; pk_colstore_writer_end before COMMIT. */
enum pk_status pk_colstore_writer_begin(struct pk_db *db);
enum pk_status pk_colstore_writer_end(struct pk_db *db);

/* Buffers one sample (nvals values) of key, newly inserted in the row table;
 * writes the buffer out first when it is full. */
enum pk_status pk_colstore_add(struct pk_db *db, const struct pk_col_kind *k,
                               const struct pk_col_key *key, int64_t ts_us,
                               const double *vals);
/* The same for a writer adding several series of one time: the
 * connection's buffer of kind k (NULL without memory), and the sample added
 * to it with its period (pk_col_period of ts_us) given. */
struct pk_col_buffer;
struct pk_col_buffer *pk_colstore_buffer(struct pk_db *db, const struct pk_col_kind *k);
enum pk_status pk_colstore_add_at(struct pk_db *db, const struct pk_col_kind *k,
                                  struct pk_col_buffer *b, const struct pk_col_key *key,
                                  int64_t period, int64_t ts_us, const double *vals);
/* Merges every buffered sample into the stored chunks (a dirty period is
 * rebuilt instead) and empties the buffer; inside the transaction. */
enum pk_status pk_colstore_flush(struct pk_db *db, const struct pk_col_kind *k);
/* Forgets the buffer (after a ROLLBACK, or before a new file). */
void pk_colstore_discard(struct pk_db *db, const struct pk_col_kind *k);
/* A part of the transaction in its own savepoint (an archive member): the
 * buffer stays across parts.  part_rollback, after the savepoint's rollback,
 * marks dirty every period whose buffer or chunk write may be undone and
 * forgets the buffer. */
void pk_colstore_part_begin(struct pk_db *db, const struct pk_col_kind *k);
enum pk_status pk_colstore_part_rollback(struct pk_db *db, const struct pk_col_kind *k);
/* Rebuilds every dirty period; *count gets how many (may be NULL). */
enum pk_status pk_colstore_repair(struct pk_db *db, const struct pk_col_kind *k,
                                  int64_t *count);

/* Hands the samples of key in [from_us, to_us] to sink in time order: from
 * the chunks, and from the row table for dirty periods and for chunks of
 * another value count (another perfkit version).  A damaged chunk is an
 * error (k->damaged). */
enum pk_status pk_colstore_read(struct pk_db *db, const struct pk_col_kind *k,
                                const struct pk_col_key *key, int64_t from_us,
                                int64_t to_us, const struct pk_col_sink *sink);

/* The same, the times only: the chunks' values are not read (their size is
 * checked), sink->append gets vals NULL; dirty periods still go to
 * sink->rows. */
enum pk_status pk_colstore_read_times(struct pk_db *db, const struct pk_col_kind *k,
                                      const struct pk_col_key *key, int64_t from_us,
                                      int64_t to_us, const struct pk_col_sink *sink);

#endif
