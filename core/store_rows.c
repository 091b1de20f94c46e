/* store_rows.c - inserting typed rows (table.h) with cached statements:
 * INSERT OR IGNORE (logs: the first stored row stays) or INSERT OR REPLACE
 * (configuration: the newest wins), provenance columns appended. */
#include <math.h>
#include <stdlib.h>

#include "buf.h"
#include "db_internal.h"
#include "generic_chunks.h"
#include "store.h"

#define MAX_TABLES 32

struct row_stmt {
	const struct pk_table *t;
	sqlite3_stmt *st;
};

struct pk_row_stmts {
	struct row_stmt s[MAX_TABLES];
	size_t n;
	struct pk_gchunks *generic;  /* generic_chunks.c's buffer, kept here */
};

struct pk_gchunks **pk_gchunks_slot(struct pk_db *db)
{
	if (!db->rows && !(db->rows = calloc(1, sizeof *db->rows)))
		return NULL;
	return &db->rows->generic;
}

static sqlite3_stmt *stmt_for(struct pk_db *db, const struct pk_table *t)
{
	if (!db->rows && !(db->rows = calloc(1, sizeof *db->rows)))
		return NULL;
	struct pk_row_stmts *rs = db->rows;
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

enum pk_status pk_store_row(struct pk_db *db, const struct pk_table *t,
                            int64_t source_id, int64_t line,
                            const struct pk_value *v, int *added)
{
	sqlite3_stmt *q = stmt_for(db, t);
	if (!q)
		return PK_ERR_DB;
	for (size_t c = 0; c < t->ncols; c++) {
		int i = (int)c + 1;
		switch (v[c].kind) {
		case PK_V_NULL: sqlite3_bind_null(q, i); break;
		case PK_V_INT: sqlite3_bind_int64(q, i, v[c].i); break;
		case PK_V_REAL:
			if (isfinite(v[c].d))
				sqlite3_bind_double(q, i, v[c].d);
			else
				sqlite3_bind_null(q, i);
			break;
		case PK_V_TEXT:
			sqlite3_bind_text64(q, i, v[c].s, v[c].n, SQLITE_STATIC, SQLITE_UTF8);
			break;
		}
	}
	sqlite3_bind_int64(q, (int)t->ncols + 1, source_id);
	sqlite3_bind_int64(q, (int)t->ncols + 2, line);
	int r = sqlite3_step(q);
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	if (r != SQLITE_DONE)
		return PK_ERR_DB;
	*added = sqlite3_changes(db->sql) > 0;
	return PK_OK;
}

void pk_row_stmts_free(struct pk_db *db)
{
	if (!db->rows)
		return;
	for (size_t i = 0; i < db->rows->n; i++)
		sqlite3_finalize(db->rows->s[i].st);
	pk_gchunks_free(db->rows->generic);
	free(db->rows);
	db->rows = NULL;
}
