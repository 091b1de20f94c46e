/* store_rows.c - inserting typed rows (table.h) with cached statements:
 * INSERT OR IGNORE (logs: the first stored row stays) or INSERT OR REPLACE
 * (configuration: the newest wins), provenance columns appended; for merge
 * tables, a row whose key is stored already compared with the stored one
 * (filled in, or a conflict). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "db_internal.h"
#include "store.h"
#include "timeutil.h"

#define MAX_TABLES 32

struct row_stmt {
	const struct pk_table *t;
	sqlite3_stmt *st;
	sqlite3_stmt *sel, *upd;     /* merge tables: the stored row, its fill */
	uint64_t key;                /* merge tables: bit c for a key column */
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

static struct row_stmt *slot_for(struct pk_db *db, const struct pk_table *t)
{
	struct row_stmts *rs = pk_db_state(db, &row_stmts_module);
	if (!rs)
		return NULL;
	for (size_t i = 0; i < rs->n; i++)
		if (rs->s[i].t == t)
			return &rs->s[i];
	return NULL;
}

static sqlite3_stmt *stmt_for(struct pk_db *db, const struct pk_table *t)
{
	struct row_stmts *rs = pk_db_state(db, &row_stmts_module);
	if (!rs)
		return NULL;
	struct row_stmt *have = slot_for(db, t);
	if (have)
		return have->st;
	if (rs->n == MAX_TABLES)
		return NULL;
	struct pk_buf sql = PK_BUF_INIT;
	enum pk_status rc = pk_buf_printf(&sql, "INSERT OR %s INTO %s (",
	                                  t->replace == 1 ? "REPLACE" : "IGNORE", t->name);
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
		rs->s[rs->n++] = (struct row_stmt){ t, st, NULL, NULL, 0 };
	return st;
}

/* Binds v as parameter i (a REAL that is not finite as NULL). */
static void bind_value(sqlite3_stmt *q, int i, const struct pk_value *v)
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
		bind_value(q, (int)c + 1, &v[c]);
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

/* The bits of t's primary-key columns (as the schema declares them). */
static enum pk_status key_columns(struct pk_db *db, const struct pk_table *t, uint64_t *key)
{
	sqlite3_stmt *q = NULL;
	*key = 0;
	if (t->ncols > 64 ||
	    sqlite3_prepare_v2(db->sql, "SELECT name FROM pragma_table_info(?) WHERE pk > 0", -1,
	                       &q, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	sqlite3_bind_text(q, 1, t->name, -1, SQLITE_STATIC);
	while (sqlite3_step(q) == SQLITE_ROW) {
		const char *n = (const char *)sqlite3_column_text(q, 0);
		for (size_t c = 0; c < t->ncols; c++)
			if (n && strcmp(n, t->cols[c].name) == 0)
				*key |= (uint64_t)1 << c;
	}
	sqlite3_finalize(q);
	return *key ? PK_OK : PK_ERR_DB;
}

/* The merge statements of t, prepared once: parameter ?N is column N-1.
 *   SELECT <the non-key columns>, source_id, line, <JSON adds> FROM t
 *   WHERE <key columns> = ?
 *   UPDATE t SET c = coalesce(c, ?N), j = <j with the members it lacks>
 *   WHERE <key columns> = ?
 * A JSON column gains the members of the new object it lacks: json_patch
 * of the new object by the stored one (stored members win). */
static enum pk_status merge_stmts(struct pk_db *db, const struct pk_table *t,
                                  struct row_stmt **out)
{
	if (!stmt_for(db, t) || !(*out = slot_for(db, t)))
		return PK_ERR_DB;
	struct row_stmt *rs = *out;
	if (rs->sel)
		return PK_OK;
	if (key_columns(db, t, &rs->key) != PK_OK)
		return PK_ERR_DB;
	struct pk_buf sel = PK_BUF_INIT, upd = PK_BUF_INIT, where = PK_BUF_INIT;
	enum pk_status rc = pk_buf_puts(&sel, "SELECT ");
	if (rc == PK_OK)
		rc = pk_buf_printf(&upd, "UPDATE %s SET ", t->name);
	int first = 1;
	for (size_t c = 0; c < t->ncols && rc == PK_OK; c++) {
		const char *n = t->cols[c].name;
		if (rs->key >> c & 1)
			continue;
		rc = pk_buf_printf(&sel, "%s, ", n);
		if (rc != PK_OK)
			break;
		if (t->cols[c].type == PK_COL_JSON)
			rc = pk_buf_printf(&upd, "%s%s = CASE WHEN %s IS NULL THEN ?%zu WHEN ?%zu IS NULL "
			                   "THEN %s ELSE json_patch(?%zu, %s) END", first ? "" : ", ",
			                   n, n, c + 1, c + 1, n, c + 1, n);
		else
			rc = pk_buf_printf(&upd, "%s%s = coalesce(%s, ?%zu)", first ? "" : ", ",
			                   n, n, c + 1);
		first = 0;
	}
	if (rc == PK_OK)
		rc = pk_buf_puts(&sel, "source_id, line");
	for (size_t c = 0; c < t->ncols && rc == PK_OK; c++)
		if (t->cols[c].type == PK_COL_JSON && !(rs->key >> c & 1))
			/* the same text (a plain duplicate) skips parsing both */
			rc = pk_buf_printf(&sel, ", CASE WHEN ?%zu IS NULL OR ?%zu = %s THEN 0 "
			                   "WHEN %s IS NULL THEN 1 ELSE json_patch(?%zu, %s) IS NOT %s END",
			                   c + 1, c + 1, t->cols[c].name, t->cols[c].name, c + 1,
			                   t->cols[c].name, t->cols[c].name);
	for (size_t c = 0; c < t->ncols && rc == PK_OK; c++)
		if (rs->key >> c & 1)
			rc = pk_buf_printf(&where, "%s%s = ?%zu", where.len ? " AND " : " WHERE ",
			                   t->cols[c].name, c + 1);
	if (rc == PK_OK)
		rc = pk_buf_printf(&sel, " FROM %s%s", t->name, where.data);
	if (rc == PK_OK)
		rc = pk_buf_puts(&upd, where.data);
	if (rc == PK_OK && (pk_db_prepare(db, &rs->sel, sel.data) != PK_OK ||
	                    pk_db_prepare(db, &rs->upd, upd.data) != PK_OK))
		rc = PK_ERR_DB;
	pk_buf_free(&sel);
	pk_buf_free(&upd);
	pk_buf_free(&where);
	return rc;
}

/* Appends value v of column type ty as text. */
static enum pk_status put_value(struct pk_buf *b, enum pk_coltype ty, const struct pk_value *v)
{
	char t[PK_TIME_ISO_MAX];
	switch (v->kind) {
	case PK_V_NULL: return pk_buf_puts(b, "NULL");
	case PK_V_INT:
		if (ty == PK_COL_TIME) {
			pk_time_format_iso(v->i, t);
			return pk_buf_puts(b, t);
		}
		return pk_buf_printf(b, "%lld", (long long)v->i);
	case PK_V_REAL: return pk_buf_printf(b, "%.15g", v->d);
	case PK_V_TEXT: return pk_buf_printf(b, "%.*s", (int)(v->n < 200 ? v->n : 200), v->s);
	}
	return PK_OK;
}

/* The stored column i of q as a value (texts point into q). */
static struct pk_value stored_value(sqlite3_stmt *q, int i)
{
	switch (sqlite3_column_type(q, i)) {
	case SQLITE_INTEGER: return pk_v_int(sqlite3_column_int64(q, i));
	case SQLITE_FLOAT: return pk_v_real(sqlite3_column_double(q, i));
	case SQLITE_NULL: return pk_v_null();
	default: {
		const char *s = (const char *)sqlite3_column_text(q, i);
		return pk_v_text(s, (size_t)sqlite3_column_bytes(q, i));
	}
	}
}

static int is_null(const struct pk_value *v)
{
	return v->kind == PK_V_NULL || (v->kind == PK_V_REAL && !isfinite(v->d));
}

/* 1 when a and b (both set) are the same value. */
static int same_value(const struct pk_value *a, const struct pk_value *b)
{
	if (a->kind == PK_V_TEXT || b->kind == PK_V_TEXT)
		return a->kind == b->kind && a->n == b->n && memcmp(a->s, b->s, a->n) == 0;
	if (a->kind == PK_V_INT && b->kind == PK_V_INT)
		return a->i == b->i;
	return (a->kind == PK_V_INT ? (double)a->i : a->d) ==
	       (b->kind == PK_V_INT ? (double)b->i : b->d);
}

enum pk_status pk_store_row_merge(struct pk_db *db, const struct pk_table *t,
                                  const struct pk_value *v, enum pk_row_outcome *outcome,
                                  struct pk_buf *key, struct pk_buf *detail,
                                  int64_t *stored_source, int64_t *stored_line)
{
	struct row_stmt *rs;
	*outcome = PK_ROW_DUPLICATE;
	pk_buf_reset(key);
	pk_buf_reset(detail);
	enum pk_status rc = merge_stmts(db, t, &rs);
	if (rc != PK_OK)
		return rc;
	sqlite3_stmt *q = rs->sel;
	for (size_t c = 0; c < t->ncols; c++)
		bind_value(q, (int)c + 1, &v[c]);
	int r = sqlite3_step(q);
	int fill = 0;
	if (r == SQLITE_ROW) {
		int nv = 0;
		for (size_t c = 0; c < t->ncols; c++)
			nv += !(rs->key >> c & 1);
		*stored_source = sqlite3_column_int64(q, nv);
		*stored_line = sqlite3_column_int64(q, nv + 1);
		int json_at = nv + 2, i = -1;
		for (size_t c = 0; c < t->ncols && rc == PK_OK; c++) {
			if (rs->key >> c & 1)
				continue;
			i++;
			if (t->cols[c].type == PK_COL_JSON) {
				fill |= sqlite3_column_int(q, json_at++) != 0;
				continue;
			}
			struct pk_value old = stored_value(q, i);
			if (is_null(&v[c]))
				continue;
			if (is_null(&old)) {
				fill = 1;
				continue;
			}
			if (same_value(&v[c], &old))
				continue;
			*outcome = PK_ROW_CONFLICT;
			if (detail->len < 1000) {
				rc = pk_buf_printf(detail, "%s%s ", detail->len ? ", " : "",
				                   t->cols[c].name);
				if (rc == PK_OK)
					rc = put_value(detail, t->cols[c].type, &v[c]);
				if (rc == PK_OK)
					rc = pk_buf_puts(detail, " (stored ");
				if (rc == PK_OK)
					rc = put_value(detail, t->cols[c].type, &old);
				if (rc == PK_OK)
					rc = pk_buf_putc(detail, ')');
			}
		}
	} else if (r != SQLITE_DONE) {
		rc = PK_ERR_DB;
	}
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	for (size_t c = 0; c < t->ncols && rc == PK_OK; c++) {
		if (!(rs->key >> c & 1))
			continue;
		rc = key->len ? pk_buf_putc(key, ' ') : PK_OK;
		if (rc == PK_OK)
			rc = put_value(key, t->cols[c].type, &v[c]);
	}
	if (rc != PK_OK || *outcome == PK_ROW_CONFLICT || !fill)
		return rc;
	*outcome = PK_ROW_COMPLETED;
	q = rs->upd;
	for (size_t c = 0; c < t->ncols; c++)
		bind_value(q, (int)c + 1, &v[c]);
	r = sqlite3_step(q);
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	return r == SQLITE_DONE ? PK_OK : PK_ERR_DB;
}

enum pk_status pk_store_conflict(struct pk_db *db, int64_t source_id, int64_t line,
                                 const char *table, const char *key, const char *detail,
                                 int64_t stored_source, int64_t stored_line)
{
	sqlite3_stmt *q = NULL;
	/* conflicts are rare: a statement each time */
	if (sqlite3_prepare_v2(db->sql, "INSERT OR IGNORE INTO conflict (source_id, line, "
	                       "table_name, row_key, detail, stored_source_id, stored_line) "
	                       "VALUES (?, ?, ?, ?, ?, ?, ?)", -1, &q, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	sqlite3_bind_int64(q, 1, source_id);
	sqlite3_bind_int64(q, 2, line);
	sqlite3_bind_text(q, 3, table, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, detail, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 6, stored_source);
	sqlite3_bind_int64(q, 7, stored_line);
	int r = sqlite3_step(q);
	sqlite3_finalize(q);
	return r == SQLITE_DONE ? PK_OK : PK_ERR_DB;
}

enum pk_status pk_store_source_path(struct pk_db *db, int64_t id, struct pk_buf *out)
{
	sqlite3_stmt *q = NULL;
	pk_buf_reset(out);
	if (sqlite3_prepare_v2(db->sql, "SELECT path, member FROM source_file WHERE id = ?", -1,
	                       &q, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	sqlite3_bind_int64(q, 1, id);
	enum pk_status rc = PK_OK;
	if (sqlite3_step(q) == SQLITE_ROW) {
		const char *m = (const char *)sqlite3_column_text(q, 1);
		rc = pk_buf_printf(out, "%s%s%s", (const char *)sqlite3_column_text(q, 0),
		                   m && *m ? "!" : "", m ? m : "");
	}
	sqlite3_finalize(q);
	return rc;
}
