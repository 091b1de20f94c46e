/* db_internal.h - the database handle, shared by the core/ files that talk
 * to SQLite (db.c, store.c, query_hw.c).  Not for use outside core/. */
#ifndef PK_DB_INTERNAL_H
#define PK_DB_INTERNAL_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include "db.h"

struct pk_db {
	sqlite3 *sql;
	char *path;
	/* prepared statements of store.c, made on first use */
	sqlite3_stmt *source_get, *source_insert, *source_update;
	sqlite3_stmt *reject_put, *rejects_clear;
	sqlite3_stmt *profile_get, *profile_put;
	sqlite3_stmt *hw_insert, *hw_conflict;
	/* chunks.c */
	struct pk_chunks *chunks;
	sqlite3_stmt *chunk_get, *chunk_put, *chunk_del, *dirty_get, *dirty_del;
	sqlite3_stmt *chunk_writer_on, *chunk_writer_off;
	/* store_rows.c */
	struct pk_row_stmts *rows;
	/* a problem found in the data (a damaged chunk), preferred by
	 * pk_db_errmsg over SQLite's last message */
	char damage[512];
	char errmsg[512];   /* pk_db_errmsg's text with the system's reason */
};

/* Records a problem found in the database's content for pk_db_errmsg. */
void pk_db_set_damage(struct pk_db *db, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Finalizes the statements of store_rows.c (db.c calls it on close). */
void pk_row_stmts_free(struct pk_db *db);

/* Steps q (bound, not yet stepped) to the end, collecting its first ncols
 * integer columns row after row into *out (malloc'd, caller frees; NULL for
 * no rows); *nrows gets the row count.  q is left reset, not finalized. */
enum pk_status pk_db_collect_ints(sqlite3_stmt *q, int ncols, int64_t **out, size_t *nrows);

/* Prepares sql into *st once; PK_ERR_DB on failure. */
enum pk_status pk_db_prepare(struct pk_db *db, sqlite3_stmt **st, const char *sql);

struct pk_hw_series;

/* Makes room for n samples in s (query_hw.c). */
enum pk_status pk_series_reserve(struct pk_hw_series *s, size_t n);

/* Appends the hw_sample rows of profile_id in [from_us, to_us] to s, in time
 * order (query_hw.c). */
enum pk_status pk_rows_read(struct pk_db *db, int64_t profile_id,
                            int64_t from_us, int64_t to_us, struct pk_hw_series *s);

#endif
