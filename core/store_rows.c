/* store_rows.c - inserting typed rows (table.h) with cached statements:
 * INSERT OR IGNORE (logs: the first stored row stays) or INSERT OR REPLACE
 * (configuration: the newest wins), provenance columns appended; a new
 * gpu_sample or sys_sample row is handed to its columnar copy. */
#include <math.h>
#include <stdlib.h>

#include "buf.h"
#include "db_internal.h"
#include "gpu_sys_chunks.h"
#include "store.h"

#define MAX_TABLES 32

struct row_stmt {
	const struct pk_table *t;
	sqlite3_stmt *st;
};

struct row_stmts {
	struct row_stmt s[MAX_TABLES];
	size_t n;
};

static void *row_stmts_make(void)
{
	return calloc(1, sizeof(struct row_stmts));
}

/* This connection's statements per table (the statements are the handle's). */
static const struct pk_db_module row_stmts_module = { row_stmts_make, free };

static sqlite3_stmt *stmt_for(struct pk_db *db, const struct pk_table *t)
{
	struct row_stmts *rs = pk_db_state(db, &row_stmts_module);
	if (!rs)
		return NULL;
	for (size_t i = 0; i < rs->n; i++)
		if (rs->s[i].t == t)
			return rs->s[i].st;
	if (rs->n == MAX_TABLES)
		return NULL;
	struct pk_buf sql = PK_BUF_INIT;
	enum pk_status rc = pk_buf_printf(&sql, "INSERT OR %s INTO %s (",
	                                  t->replace ? "REPLACE" : "IGNORE", t->name);
	for (size_t c = 0; c < t->ncols && rc == PK_OK; c++)
		rc = pk_buf_printf(&sql, "%s, ", t->cols[c].name);
	if (rc == PK_OK)
		rc = pk_buf_puts(&sql, "source_id, line) VALUES (");
	for (size_t c = 0; c < t->ncols + 2 && rc == PK_OK; c++)
		rc = pk_buf_puts(&sql, c ? ", ?" : "?");
	if (rc == PK_OK)
		rc = pk_buf_putc(&sql, ')');
	sqlite3_stmt *st = NULL;
	if (rc == PK_OK && pk_db_prepare(db, &st, sql.data) != PK_OK)
		st = NULL;
	pk_buf_free(&sql);
	if (st)
		rs->s[rs->n++] = (struct row_stmt){ t, st };
	return st;
}

void pk_store_bind_value(sqlite3_stmt *q, int i, const struct pk_value *v)
{
	switch (v->kind) {
	case PK_V_NULL: sqlite3_bind_null(q, i); break;
	case PK_V_INT: sqlite3_bind_int64(q, i, v->i); break;
	case PK_V_REAL:
		if (isfinite(v->d))
			sqlite3_bind_double(q, i, v->d);
		else
			sqlite3_bind_null(q, i);
		break;
	case PK_V_TEXT:
		sqlite3_bind_text64(q, i, v->s, v->n, SQLITE_STATIC, SQLITE_UTF8);
		break;
	}
}

enum pk_status pk_store_row(struct pk_db *db, const struct pk_table *t,
                            int64_t source_id, int64_t line,
                            const struct pk_value *v, int *added)
{
	sqlite3_stmt *q = stmt_for(db, t);
	if (!q)
		return PK_ERR_DB;
	for (size_t c = 0; c < t->ncols; c++)
		pk_store_bind_value(q, (int)c + 1, &v[c]);
	sqlite3_bind_int64(q, (int)t->ncols + 1, source_id);
	sqlite3_bind_int64(q, (int)t->ncols + 2, line);
	int r = sqlite3_step(q);
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	if (r != SQLITE_DONE)
		return PK_ERR_DB;
	*added = sqlite3_changes(db->sql) > 0;
	/* nvidia-smi and sysstat rows also go to their columnar copies */
	return *added ? pk_gpu_sys_chunks_add(db, t, v) : PK_OK;
}
