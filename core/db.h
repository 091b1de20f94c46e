/* db.h - the perfkit database: open, create and migrate it, and run
 * transactions.  All SQLite calls of perfkit live under core/ (db.c and the
 * store_*.c / query_*.c files); the other stages use the typed functions
 * declared in store.h and query.h.
 *
 * Ownership: pk_db_open gives a handle that pk_db_close releases; pk_db_close
 * takes the address of the handle and sets it to NULL. */
#ifndef PK_DB_H
#define PK_DB_H

#include <stdint.h>
#include "buf.h"
#include "status.h"

#define PK_SCHEMA_VERSION 5

struct pk_db;

enum pk_db_mode { PK_DB_READONLY, PK_DB_READWRITE };

/* Opens (and, read-write, creates and migrates) the database at path.  On
 * failure err gets a one-line message naming the path and what to do. */
enum pk_status pk_db_open(const char *path, enum pk_db_mode mode,
                          struct pk_db **out, struct pk_buf *err);
void pk_db_close(struct pk_db **db);

/* The database path a tool uses: opt (from --db) if not NULL, else
 * $PERFKIT_DB if set and not empty, else "./perf.db". */
const char *pk_db_default_path(const char *opt);

/* BEGIN IMMEDIATE (waits for other writers), COMMIT, ROLLBACK. */
enum pk_status pk_db_begin(struct pk_db *db);
enum pk_status pk_db_commit(struct pk_db *db);
void pk_db_rollback(struct pk_db *db);
/* 1 inside a transaction (BEGIN not yet committed or rolled back). */
int pk_db_in_transaction(struct pk_db *db);
/* A savepoint inside the open transaction: one part of it (an archive
 * member) that is released into the transaction, or rolled back alone. */
enum pk_status pk_db_savepoint(struct pk_db *db);
enum pk_status pk_db_release(struct pk_db *db);
void pk_db_rollback_savepoint(struct pk_db *db);

/* The last SQLite message on this handle. */
const char *pk_db_errmsg(struct pk_db *db);

#endif
