/* db_internal.h - the database handle, shared by the core/ files that talk
 * to SQLite, and the hooks by which a core/ module keeps state on it.  Not
 * for use outside core/. */
#ifndef PK_DB_INTERNAL_H
#define PK_DB_INTERNAL_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include "db.h"

/* A core/ module that keeps state per connection (chunks.c's buffer,
 * generic_chunks.c's, store_rows.c's statements) defines one of these and
 * gets its state with pk_db_state; pk_db_close hands each state made to the
 * module's free hook, newest first.  db.c names no module. */
struct pk_db_module {
	void *(*make)(void);        /* a new, empty state; NULL: out of memory */
	void (*free)(void *state);  /* releases what make and the module made */
};

struct pk_db_state_slot {
	const struct pk_db_module *module;
	void *state;
};

struct pk_db {
	sqlite3 *sql;
	char *path;
	/* the statements made by pk_db_prepare, finalized by pk_db_close */
	sqlite3_stmt **stmts;
	size_t nstmts, stmts_cap;
	/* the modules' states, in the order they were made */
	struct pk_db_state_slot *states;
	size_t nstates;
	/* store.c's statements (made by pk_db_prepare) */
	sqlite3_stmt *source_get, *source_insert, *source_update, *source_name;
	sqlite3_stmt *reject_put, *rejects_clear, *conflicts_clear;
	sqlite3_stmt *profile_get, *profile_put;
	sqlite3_stmt *hw_insert;
	/* a problem found in the data (a damaged chunk), preferred by
	 * pk_db_errmsg over SQLite's last message */
	char damage[512];
	char errmsg[512];   /* pk_db_errmsg's text with the system's reason */
};

/* The state of module m on db, made (m->make) on the first call; NULL when
 * it cannot be made.  pk_db_state_peek gives NULL instead of making it. */
void *pk_db_state(struct pk_db *db, const struct pk_db_module *m);
void *pk_db_state_peek(struct pk_db *db, const struct pk_db_module *m);

/* Records a problem found in the database's content for pk_db_errmsg. */
void pk_db_set_damage(struct pk_db *db, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* SQL: the canonical name of column or parameter X, its alias target in
 * profile_alias, else X itself. */
#define PK_SQL_CANON(x) \
	"coalesce((SELECT a.profile FROM profile_alias a WHERE a.alias = " x "), " x ")"

/* The ids of every stored profile whose canonical name is the canonical
 * name of `name` (query_hw.c), ascending: so a configured name finds the
 * samples logged under the detected names mapped to it, and the other way
 * round.  *ids malloc'd (NULL for none). */
enum pk_status pk_profile_ids(struct pk_db *db, const char *name, int64_t **ids, size_t *n);

/* Steps q (bound, not yet stepped) to the end, collecting its first ncols
 * integer columns row after row into *out (malloc'd, caller frees; NULL for
 * no rows); *nrows gets the row count.  q is left reset, not finalized. */
enum pk_status pk_db_collect_ints(sqlite3_stmt *q, int ncols, int64_t **out, size_t *nrows);

/* Prepares sql into *st once (nothing when *st is already set); PK_ERR_DB
 * on failure.  The statement belongs to the handle: pk_db_close finalizes
 * it, the caller only keeps the pointer. */
enum pk_status pk_db_prepare(struct pk_db *db, sqlite3_stmt **st, const char *sql);

struct pk_value;

/* Binds v to parameter i of q (store_rows.c): NULL, an integer, a double
 * (not finite: NULL) or text (not copied: it must outlive the step). */
void pk_store_bind_value(sqlite3_stmt *q, int i, const struct pk_value *v);

struct pk_hw_series;

/* Makes room for n samples in s (query_hw.c). */
enum pk_status pk_series_reserve(struct pk_hw_series *s, size_t n);

/* Appends the hw_sample rows of profile_id in [from_us, to_us] to s, in time
 * order (query_hw.c). */
enum pk_status pk_rows_read(struct pk_db *db, int64_t profile_id,
                            int64_t from_us, int64_t to_us, struct pk_hw_series *s);

#endif
