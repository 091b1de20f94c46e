/* store.c - the SQL behind store.h. */
#include "store.h"

#include <math.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "chunks.h"
#include "db_internal.h"
#include "gpu_sys_chunks.h"
#include "metrics.h"

/* The reasons of one rejected line are joined until they reach this many
 * characters (an SQL literal: it is spelled into the statement). */
#define REJECT_REASONS_MAX "1024"

enum pk_status pk_store_source_get(struct pk_db *db, const char *path,
                                   const char *member, struct pk_source_state *st)
{
	*st = (struct pk_source_state){ 0 };
	if (pk_db_prepare(db, &db->source_get,
	    "SELECT id, device, inode, size, mtime_ns, head_hash, tail_hash, "
	    "read_offset, read_lines FROM source_file WHERE path = ? AND member = ?") != PK_OK)
		return PK_ERR_DB;
	sqlite3_stmt *q = db->source_get;
	sqlite3_bind_text(q, 1, path, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, member, -1, SQLITE_STATIC);
	int r = sqlite3_step(q);
	if (r == SQLITE_ROW) {
		st->id = sqlite3_column_int64(q, 0);
		st->device = sqlite3_column_int64(q, 1);
		st->inode = sqlite3_column_int64(q, 2);
		st->size = sqlite3_column_int64(q, 3);
		st->mtime_ns = sqlite3_column_int64(q, 4);
		st->head_hash = (uint64_t)sqlite3_column_int64(q, 5);
		st->tail_hash = (uint64_t)sqlite3_column_int64(q, 6);
		st->read_offset = sqlite3_column_int64(q, 7);
		st->read_lines = sqlite3_column_int64(q, 8);
	}
	sqlite3_reset(q);
	return r == SQLITE_ROW || r == SQLITE_DONE ? PK_OK : PK_ERR_DB;
}

enum pk_status pk_store_source_put(struct pk_db *db, const char *path,
                                   const char *member, const char *format,
                                   struct pk_source_state *st, int64_t now_us)
{
	sqlite3_stmt *q;
	if (st->id == 0) {
		if (pk_db_prepare(db, &db->source_insert,
		    "INSERT INTO source_file (device, inode, size, mtime_ns, head_hash, "
		    "tail_hash, read_offset, read_lines, last_read, first_read, format, "
		    "path, member) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)") != PK_OK)
			return PK_ERR_DB;
		q = db->source_insert;
		sqlite3_bind_int64(q, 10, now_us);
		sqlite3_bind_text(q, 12, path, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 13, member, -1, SQLITE_STATIC);
	} else {
		if (pk_db_prepare(db, &db->source_update,
		    "UPDATE source_file SET device = ?, inode = ?, size = ?, mtime_ns = ?, "
		    "head_hash = ?, tail_hash = ?, read_offset = ?, read_lines = ?, "
		    "last_read = ?, format = ?11 WHERE id = ?10") != PK_OK)
			return PK_ERR_DB;
		q = db->source_update;
		sqlite3_bind_int64(q, 10, st->id);
	}
	sqlite3_bind_int64(q, 1, st->device);
	sqlite3_bind_int64(q, 2, st->inode);
	sqlite3_bind_int64(q, 3, st->size);
	sqlite3_bind_int64(q, 4, st->mtime_ns);
	sqlite3_bind_int64(q, 5, (int64_t)st->head_hash);
	sqlite3_bind_int64(q, 6, (int64_t)st->tail_hash);
	sqlite3_bind_int64(q, 7, st->read_offset);
	sqlite3_bind_int64(q, 8, st->read_lines);
	sqlite3_bind_int64(q, 9, now_us);
	sqlite3_bind_text(q, 11, format, -1, SQLITE_STATIC);
	int r = sqlite3_step(q);
	sqlite3_reset(q);
	if (r != SQLITE_DONE)
		return PK_ERR_DB;
	if (st->id == 0)
		st->id = sqlite3_last_insert_rowid(db->sql);
	return PK_OK;
}

enum pk_status pk_store_source_name(struct pk_db *db, int64_t source_id, struct pk_buf *out)
{
	if (pk_db_prepare(db, &db->source_name,
	    "SELECT path, member FROM source_file WHERE id = ?") != PK_OK)
		return PK_ERR_DB;
	sqlite3_stmt *q = db->source_name;
	sqlite3_bind_int64(q, 1, source_id);
	enum pk_status rc = PK_OK;
	int r = sqlite3_step(q);
	if (r == SQLITE_ROW) {
		const char *path = (const char *)sqlite3_column_text(q, 0);
		const char *member = (const char *)sqlite3_column_text(q, 1);
		char cwd[4096];
		size_t n = getcwd(cwd, sizeof cwd) ? strlen(cwd) : 0;
		if (n > 1 && strncmp(path, cwd, n) == 0 && path[n] == '/')
			path += n + 1;
		rc = pk_buf_puts(out, path);
		if (rc == PK_OK && member && *member)
			rc = pk_buf_printf(out, ":%s", member);
	} else if (r != SQLITE_DONE) {
		rc = PK_ERR_DB;
	}
	sqlite3_reset(q);
	return rc;
}

enum pk_status pk_store_source_clear(struct pk_db *db, int64_t source_id, int64_t *rows)
{
	/* table names come from the schema, never from input */
	sqlite3_stmt *tables = NULL;
	*rows = 0;
	if (sqlite3_prepare_v2(db->sql,
	    "SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) c "
	    "WHERE m.type = 'table' AND c.name = 'source_id' ORDER BY m.name",
	    -1, &tables, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	enum pk_status rc = PK_OK;
	struct pk_buf sql = PK_BUF_INIT;
	int r = SQLITE_DONE;
	while (rc == PK_OK && (r = sqlite3_step(tables)) == SQLITE_ROW) {
		sqlite3_stmt *del = NULL;
		pk_buf_reset(&sql);
		rc = pk_buf_printf(&sql, "DELETE FROM \"%s\" WHERE source_id = ?",
		                   (const char *)sqlite3_column_text(tables, 0));
		if (rc != PK_OK)
			break;
		if (sqlite3_prepare_v2(db->sql, sql.data, -1, &del, NULL) != SQLITE_OK) {
			rc = PK_ERR_DB;
			break;
		}
		sqlite3_bind_int64(del, 1, source_id);
		/* a record_merge row is a note about a record, not one */
		int records = strcmp((const char *)sqlite3_column_text(tables, 0), "record_merge") != 0;
		if (sqlite3_step(del) == SQLITE_DONE)
			*rows += records ? sqlite3_changes(db->sql) : 0;
		else
			rc = PK_ERR_DB;
		sqlite3_finalize(del);
	}
	if (rc == PK_OK && r != SQLITE_DONE)
		rc = PK_ERR_DB;
	sqlite3_finalize(tables);
	/* a generic source with no record left is no source any more */
	if (rc == PK_OK && sqlite3_exec(db->sql,
	    "DELETE FROM generic_metric WHERE NOT EXISTS (SELECT 1 FROM generic_record r "
	    "WHERE r.source = generic_metric.source)", NULL, NULL, NULL) != SQLITE_OK)
		rc = PK_ERR_DB;
	pk_buf_free(&sql);
	return rc;
}

enum pk_status pk_store_rejects_clear(struct pk_db *db, int64_t source_id)
{
	if (pk_db_prepare(db, &db->rejects_clear,
	    "DELETE FROM reject WHERE source_id = ?") != PK_OK ||
	    pk_db_prepare(db, &db->conflicts_clear,
	    "DELETE FROM record_merge WHERE source_id = ? AND kind = 'conflicting'") != PK_OK)
		return PK_ERR_DB;
	int r = SQLITE_DONE;
	sqlite3_stmt *q[2] = { db->rejects_clear, db->conflicts_clear };
	for (int i = 0; i < 2 && r == SQLITE_DONE; i++) {
		sqlite3_bind_int64(q[i], 1, source_id);
		r = sqlite3_step(q[i]);
		sqlite3_reset(q[i]);
	}
	return r == SQLITE_DONE ? PK_OK : PK_ERR_DB;
}

enum pk_status pk_store_reject(struct pk_db *db, int64_t source_id, int64_t line,
                               int64_t col, const char *reason,
                               const void *raw, size_t raw_len, int64_t raw_size,
                               int *new_line)
{
	/* A second reason for a line already rejected is added to its reason
	 * (up to REJECT_REASONS_MAX bytes); the raw text is the line's either way. */
	if (pk_db_prepare(db, &db->reject_put,
	    "INSERT INTO reject (source_id, line, col, reason, raw, raw_size) "
	    "VALUES (?1,?2,?3,?4,?5,?6) ON CONFLICT (source_id, line) DO UPDATE SET "
	    "reason = CASE WHEN length(reason) < " REJECT_REASONS_MAX
	    " THEN reason || '; ' || excluded.reason ELSE reason END "
	    "RETURNING length(reason) = length(?4)") != PK_OK)
		return PK_ERR_DB;
	sqlite3_stmt *q = db->reject_put;
	sqlite3_bind_int64(q, 1, source_id);
	sqlite3_bind_int64(q, 2, line);
	if (col > 0)
		sqlite3_bind_int64(q, 3, col);
	else
		sqlite3_bind_null(q, 3);
	sqlite3_bind_text(q, 4, reason, -1, SQLITE_STATIC);
	sqlite3_bind_blob64(q, 5, raw ? raw : "", raw_len, SQLITE_STATIC);
	sqlite3_bind_int64(q, 6, raw_size);
	int r = sqlite3_step(q);
	int added = r == SQLITE_ROW && sqlite3_column_int(q, 0);
	if (r == SQLITE_ROW)
		r = sqlite3_step(q);
	sqlite3_reset(q);
	if (new_line)
		*new_line = added;
	return r == SQLITE_DONE ? PK_OK : PK_ERR_DB;
}

enum pk_status pk_store_profile(struct pk_db *db, const char *name, int64_t *id)
{
	if (pk_db_prepare(db, &db->profile_get, "SELECT id FROM profile WHERE name = ?") != PK_OK ||
	    pk_db_prepare(db, &db->profile_put, "INSERT INTO profile (name) VALUES (?)") != PK_OK)
		return PK_ERR_DB;
	sqlite3_bind_text(db->profile_get, 1, name, -1, SQLITE_STATIC);
	int r = sqlite3_step(db->profile_get);
	if (r == SQLITE_ROW)
		*id = sqlite3_column_int64(db->profile_get, 0);
	sqlite3_reset(db->profile_get);
	if (r == SQLITE_ROW)
		return PK_OK;
	if (r != SQLITE_DONE)
		return PK_ERR_DB;
	sqlite3_bind_text(db->profile_put, 1, name, -1, SQLITE_STATIC);
	r = sqlite3_step(db->profile_put);
	sqlite3_reset(db->profile_put);
	if (r != SQLITE_DONE)
		return PK_ERR_DB;
	*id = sqlite3_last_insert_rowid(db->sql);
	return PK_OK;
}

/* INSERT OR IGNORE INTO hw_sample with one parameter per column, the metric
 * columns taken from the registry. */
static enum pk_status prepare_hw_insert(struct pk_db *db)
{
	if (db->hw_insert)
		return PK_OK;
	struct pk_buf sql = PK_BUF_INIT, vals = PK_BUF_INIT;
	enum pk_status rc = PK_OK;
	rc |= pk_buf_puts(&sql, "INSERT OR IGNORE INTO hw_sample (profile_id, ts_us, source_id, line");
	rc |= pk_buf_puts(&vals, "?,?,?,?");
	for (size_t i = 0; i < pk_hw_nmetrics; i++) {
		rc |= pk_buf_printf(&sql, ", %s", pk_hw_metrics[i].column);
		rc |= pk_buf_puts(&vals, ",?");
	}
	rc |= pk_buf_puts(&sql, ", cpu_percent_per_core, thermal_sensors, unavailable, extra) VALUES (");
	rc |= pk_buf_printf(&sql, "%s,?,?,?,?)", vals.data);
	if (rc == PK_OK)
		rc = pk_db_prepare(db, &db->hw_insert, sql.data);
	pk_buf_free(&sql);
	pk_buf_free(&vals);
	return rc == PK_OK ? PK_OK : PK_ERR_DB;
}

static void bind_json(sqlite3_stmt *q, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(q, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, i);
}

enum pk_status pk_store_hw_sample(struct pk_db *db, int64_t profile_id,
                                  int64_t source_id, const struct pk_hw_record *r,
                                  int *added)
{
	if (prepare_hw_insert(db) != PK_OK)
		return PK_ERR_DB;
	sqlite3_stmt *q = db->hw_insert;
	sqlite3_bind_int64(q, 1, profile_id);
	sqlite3_bind_int64(q, 2, r->ts_us);
	sqlite3_bind_int64(q, 3, source_id);
	sqlite3_bind_int64(q, 4, r->line);
	int col = 5;
	for (size_t i = 0; i < pk_hw_nmetrics; i++, col++) {
		if (isnan(r->v[i]))
			sqlite3_bind_null(q, col);
		else
			sqlite3_bind_double(q, col, r->v[i]);
	}
	bind_json(q, col++, r->per_core);
	bind_json(q, col++, r->sensors);
	bind_json(q, col++, r->unavailable);
	bind_json(q, col, r->extra);
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return PK_ERR_DB;
	*added = sqlite3_changes(db->sql) > 0;
	return *added ? pk_chunks_add(db, profile_id, r->ts_us, r->v) : PK_OK;
}

enum pk_status pk_store_samples_begin(struct pk_db *db)
{
	return pk_chunks_begin(db);
}

enum pk_status pk_store_samples_end(struct pk_db *db)
{
	enum pk_status rc = pk_gpu_sys_chunks_flush(db);
	enum pk_status hw = pk_chunks_flush(db);   /* ends the writer mark */
	return rc != PK_OK ? rc : hw;
}

void pk_store_samples_abort(struct pk_db *db)
{
	pk_chunks_discard(db);
	pk_gpu_sys_chunks_discard(db);
}

void pk_store_samples_part_begin(struct pk_db *db)
{
	pk_chunks_part_begin(db);
	pk_gpu_sys_chunks_part_begin(db);
}

enum pk_status pk_store_samples_part_rollback(struct pk_db *db)
{
	enum pk_status rc = pk_chunks_part_rollback(db);
	enum pk_status gs = pk_gpu_sys_chunks_part_rollback(db);
	return rc != PK_OK ? rc : gs;
}

enum pk_status pk_store_repair(struct pk_db *db, int64_t *days)
{
	*days = 0;
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db->sql, "SELECT count(*) FROM hw_chunk_dirty", -1, &q, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	if (sqlite3_step(q) == SQLITE_ROW)
		*days = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	enum pk_status rc = *days ? pk_chunks_repair(db) : PK_OK;
	int64_t more = 0;
	if (rc == PK_OK)
		rc = pk_gpu_sys_chunks_repair(db, &more);
	*days += more;
	return rc;
}

/* One statement of pk_store_alias with ?1 alias, ?2 profile. */
static int alias_step(struct pk_db *db, const char *sql, const char *alias,
                      const char *profile)
{
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db->sql, sql, -1, &q, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(q, 1, alias, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, profile, -1, SQLITE_STATIC);
	int r = sqlite3_step(q);
	sqlite3_finalize(q);
	return r == SQLITE_DONE;
}

enum pk_status pk_store_alias(struct pk_db *db, const char *alias, const char *profile)
{
	/* Aliases stay one level deep, which is what every lookup
	 * (PK_SQL_CANON) resolves: a profile that is itself an alias stands
	 * for its target, and the aliases of `alias` move to that target, so
	 * --alias a=b then --alias b=c make a and b both names of c, in any
	 * order.  An alias of itself (after that) stores nothing, and a
	 * cycle ends in one target. */
	static const char *const steps[] = {
		"INSERT OR REPLACE INTO profile_alias (alias, profile) "
		"SELECT ?1, t FROM (SELECT coalesce((SELECT profile FROM profile_alias "
		"WHERE alias = ?2), ?2) AS t) WHERE t <> ?1",
		"UPDATE profile_alias SET profile = (SELECT profile FROM profile_alias "
		"WHERE alias = ?1) WHERE profile = ?1 AND EXISTS (SELECT 1 FROM "
		"profile_alias WHERE alias = ?1)",
		"DELETE FROM profile_alias WHERE alias = profile",
	};
	if (sqlite3_exec(db->sql, "SAVEPOINT pk_alias", NULL, NULL, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	int ok = 1;
	for (size_t i = 0; ok && i < sizeof steps / sizeof *steps; i++)
		ok = alias_step(db, steps[i], alias, profile);
	if (!ok) {
		sqlite3_exec(db->sql, "ROLLBACK TO pk_alias", NULL, NULL, NULL);
		sqlite3_exec(db->sql, "RELEASE pk_alias", NULL, NULL, NULL);
		return PK_ERR_DB;
	}
	return sqlite3_exec(db->sql, "RELEASE pk_alias", NULL, NULL, NULL) == SQLITE_OK
	       ? PK_OK : PK_ERR_DB;
}
