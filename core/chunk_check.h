/* chunk_check.h - checks a packed chunk row of the columnar engine
 * (colstore.c: hw_chunk, generic_chunk) read back from the database before
 * anything is sized or copied from it: the database file is input like any
 * other and may have been edited or crafted.  Internal to core/. */
#ifndef PK_CHUNK_CHECK_H
#define PK_CHUNK_CHECK_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

/* A chunk's samples, pointing into the row's blobs (valid until q steps). */
struct pk_chunk_blobs {
	size_t n;             /* samples */
	const int64_t *ts;    /* n times, ascending */
	const double *v;      /* nvals x n doubles */
};

/* Reads the chunk of q's current row: the sample count from column cn, the
 * times from column cts and nvals x n doubles from column cv.  Returns 0
 * and fills *out when the count is a non-negative integer matching both
 * blobs' sizes (no overflow) and the times ascend; otherwise returns -1
 * and writes the reason (one line) into why. */
int pk_chunk_blobs_get(sqlite3_stmt *q, int cn, int cts, int cv, size_t nvals,
                       struct pk_chunk_blobs *out, char *why, size_t whysz);

/* The same for a row read without its values: column cvbytes holds their
 * size in bytes (PK_CHUNK_VALS_BYTES; -1: not a blob), which is checked;
 * out->v is NULL. */
int pk_chunk_times_get(sqlite3_stmt *q, int cn, int cts, int cvbytes, size_t nvals,
                       struct pk_chunk_blobs *out, char *why, size_t whysz);

/* SQL for the size of column vals as pk_chunk_times_get takes it, without
 * reading the blob (SQLite's length() and typeof() of a column do not). */
#define PK_CHUNK_VALS_BYTES \
	"CASE WHEN typeof(vals) = 'blob' THEN length(vals) " \
	"WHEN typeof(vals) = 'null' OR vals = '' THEN 0 ELSE -1 END"

#endif
