/* db_internal.h - the database handle, shared by the core/ files that talk
 * to SQLite (db.c, store.c, query_hw.c).  Not for use outside core/. */
#ifndef PK_DB_INTERNAL_H
#define PK_DB_INTERNAL_H

#include <sqlite3.h>
#include "db.h"

struct pk_db {
	sqlite3 *sql;
	char *path;
	/* prepared statements of store.c, made on first use */
	sqlite3_stmt *source_get, *source_insert, *source_update;
	sqlite3_stmt *reject_put, *rejects_clear;
	sqlite3_stmt *profile_get, *profile_put;
	sqlite3_stmt *hw_insert;
};

/* Prepares sql into *st once; PK_ERR_DB on failure. */
enum pk_status pk_db_prepare(struct pk_db *db, sqlite3_stmt **st, const char *sql);

#endif
