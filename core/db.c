/* db.c - opening, creating and migrating the perfkit database, and
 * transactions.  The schema is core/schema.sql, compiled in; its version is
 * PRAGMA user_version. */
#include "db_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "embedded.h"
#include "gpu_sys_chunks.h"
#include "metrics.h"

const char *pk_db_default_path(const char *opt)
{
	if (opt)
		return opt;
	const char *env = getenv("PERFKIT_DB");
	if (env && *env)
		return env;
	return "./perf.db";
}

enum pk_status pk_db_prepare(struct pk_db *db, sqlite3_stmt **st, const char *sql)
{
	if (*st)
		return PK_OK;
	if (db->nstmts == db->stmts_cap) {
		size_t cap = db->stmts_cap ? db->stmts_cap * 2 : 32;
		sqlite3_stmt **p = realloc(db->stmts, cap * sizeof *p);
		if (!p)
			return PK_ERR_NOMEM;
		db->stmts = p;
		db->stmts_cap = cap;
	}
	if (sqlite3_prepare_v3(db->sql, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	db->stmts[db->nstmts++] = *st;
	return PK_OK;
}

void *pk_db_state_peek(struct pk_db *db, const struct pk_db_module *m)
{
	for (size_t i = 0; i < db->nstates; i++)
		if (db->states[i].module == m)
			return db->states[i].state;
	return NULL;
}

void *pk_db_state(struct pk_db *db, const struct pk_db_module *m)
{
	void *state = pk_db_state_peek(db, m);
	if (state)
		return state;
	struct pk_db_state_slot *p = realloc(db->states, (db->nstates + 1) * sizeof *p);
	if (!p)
		return NULL;
	db->states = p;
	if (!(state = m->make()))
		return NULL;
	db->states[db->nstates++] = (struct pk_db_state_slot){ m, state };
	return state;
}

enum pk_status pk_db_collect_ints(sqlite3_stmt *q, int ncols, int64_t **out, size_t *nrows)
{
	*out = NULL;
	*nrows = 0;
	size_t cap = 0;
	enum pk_status rc = PK_OK;
	int r;
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		if (*nrows == cap) {
			cap = cap ? cap * 2 : 16;
			int64_t *p = realloc(*out, cap * (size_t)ncols * sizeof *p);
			if (!p) {
				rc = PK_ERR_NOMEM;
				break;
			}
			*out = p;
		}
		for (int c = 0; c < ncols; c++)
			(*out)[*nrows * (size_t)ncols + (size_t)c] = sqlite3_column_int64(q, c);
		(*nrows)++;
	}
	if (rc == PK_OK && r != SQLITE_DONE)
		rc = PK_ERR_DB;
	sqlite3_reset(q);
	if (rc != PK_OK) {
		free(*out);
		*out = NULL;
		*nrows = 0;
	}
	return rc;
}

static enum pk_status exec(struct pk_db *db, const char *sql)
{
	return sqlite3_exec(db->sql, sql, NULL, NULL, NULL) == SQLITE_OK ? PK_OK : PK_ERR_DB;
}

static int user_version(struct pk_db *db)
{
	sqlite3_stmt *st = NULL;
	int v = -1;
	if (sqlite3_prepare_v2(db->sql, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Mirrors the metric registry into the metric table. */
static enum pk_status fill_metrics(struct pk_db *db)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db->sql, "INSERT OR REPLACE INTO metric "
	    "(name, source, column_name, unit, label, direction) VALUES (?,?,?,?,?,?)",
	    -1, &st, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	enum pk_status rc = PK_OK;
	for (size_t i = 0; i < pk_hw_nmetrics && rc == PK_OK; i++) {
		const struct pk_metric *m = &pk_hw_metrics[i];
		sqlite3_bind_text(st, 1, m->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, "hw_sample", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, m->column, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, m->unit, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, m->label, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, pk_direction_str(m->direction), -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = PK_ERR_DB;
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return rc;
}

/* Version 1 -> 2: hw_chunk becomes a rowid table with key indexes (see
 * schema.sql); its rows are copied as they are. */
static const char migrate_1_to_2[] =
	"CREATE TABLE hw_chunk_v2 (id INTEGER PRIMARY KEY, profile_id INTEGER NOT NULL, "
	"day INTEGER NOT NULL, n INTEGER NOT NULL, nmetrics INTEGER NOT NULL, "
	"ts BLOB NOT NULL, vals BLOB NOT NULL, UNIQUE (profile_id, day));"
	"INSERT INTO hw_chunk_v2 (profile_id, day, n, nmetrics, ts, vals) "
	"SELECT profile_id, day, n, nmetrics, ts, vals FROM hw_chunk ORDER BY profile_id, day;"
	"DROP TABLE hw_chunk;"
	"ALTER TABLE hw_chunk_v2 RENAME TO hw_chunk;"
	"CREATE INDEX hw_chunk_n ON hw_chunk (profile_id, day, n);";

/* Version 2 -> 3: record_merge and its view (see schema.sql), empty;
 * sys_sample keeps sadf -u ALL's CPU columns apart from -u's (added last,
 * as schema.sql declares them; stored rows stay as they were: their
 * cpu_user and cpu_system came from -u, or from -A's usr and sys when the
 * export was -A, the reader read both into one column then); sysstat
 * restarts and comments; the benchmark tables get the run's digest ('' for
 * the runs stored before), and hyperfine results with parameters are
 * renamed as the reader now names them, command and parameters by name
 * ("sleep (n=1)"; a position suffix " #N" given to a repeated command is
 * dropped), so that their series go on. */
static const char migrate_2_to_3[] =
	"ALTER TABLE sys_sample ADD COLUMN cpu_usr REAL;"
	"ALTER TABLE sys_sample ADD COLUMN cpu_nice_noguest REAL;"
	"ALTER TABLE sys_sample ADD COLUMN cpu_sys REAL;"
	"ALTER TABLE sys_sample ADD COLUMN cpu_irq REAL;"
	"ALTER TABLE sys_sample ADD COLUMN cpu_soft REAL;"
	"ALTER TABLE sys_sample ADD COLUMN cpu_guest REAL;"
	"ALTER TABLE sys_sample ADD COLUMN cpu_gnice REAL;"
	"CREATE TABLE sys_restart (profile TEXT NOT NULL, ts_us INTEGER NOT NULL, "
	"cpu_count INTEGER, extra TEXT, source_id INTEGER NOT NULL, line INTEGER NOT NULL, "
	"PRIMARY KEY (profile, ts_us));"
	"CREATE TABLE sys_comment (profile TEXT NOT NULL, ts_us INTEGER NOT NULL, "
	"comment TEXT NOT NULL, extra TEXT, source_id INTEGER NOT NULL, line INTEGER NOT NULL, "
	"PRIMARY KEY (profile, ts_us, comment));"
	"CREATE TABLE record_merge (table_name TEXT NOT NULL, column_name TEXT NOT NULL, "
	"kind TEXT NOT NULL, stored_value, new_value, stored_source_id INTEGER NOT NULL, "
	"stored_line INTEGER NOT NULL, source_id INTEGER NOT NULL, line INTEGER NOT NULL);"
	"CREATE VIEW record_merges AS "
	"SELECT m.kind, m.table_name, m.column_name, m.stored_value, m.new_value, "
	"f.path AS source_path, f.member AS source_member, m.line, "
	"g.path AS stored_path, g.member AS stored_member, m.stored_line "
	"FROM record_merge m JOIN source_file f ON f.id = m.source_id "
	"LEFT JOIN source_file g ON g.id = m.stored_source_id;"
	"CREATE TABLE bench_run_v3 (suite TEXT NOT NULL, run_us INTEGER NOT NULL, "
	"host TEXT NOT NULL DEFAULT '', digest TEXT NOT NULL DEFAULT '', revision TEXT, "
	"tool TEXT NOT NULL, extra TEXT, source_id INTEGER NOT NULL, line INTEGER NOT NULL, "
	"PRIMARY KEY (suite, run_us, host, digest));"
	"INSERT INTO bench_run_v3 (suite, run_us, host, revision, tool, extra, source_id, line) "
	"SELECT suite, run_us, host, revision, tool, extra, source_id, line FROM bench_run;"
	"DROP TABLE bench_run;"
	"ALTER TABLE bench_run_v3 RENAME TO bench_run;"
	"CREATE TABLE bench_result_v3 (suite TEXT NOT NULL, run_us INTEGER NOT NULL, "
	"host TEXT NOT NULL DEFAULT '', digest TEXT NOT NULL DEFAULT '', name TEXT NOT NULL, "
	"unit TEXT, direction TEXT, mean REAL, stddev REAL, median REAL, min REAL, max REAL, "
	"user_s REAL, system_s REAL, n INTEGER, extra TEXT, source_id INTEGER NOT NULL, "
	"line INTEGER NOT NULL, PRIMARY KEY (suite, run_us, host, name, digest));"
	"INSERT INTO bench_result_v3 (suite, run_us, host, name, unit, direction, mean, stddev, "
	"median, min, max, user_s, system_s, n, extra, source_id, line) "
	"SELECT suite, run_us, host, name, unit, direction, mean, stddev, median, min, max, "
	"user_s, system_s, n, extra, source_id, line FROM bench_result;"
	"DROP TABLE bench_result;"
	"ALTER TABLE bench_result_v3 RENAME TO bench_result;"
	"CREATE TABLE bench_value_v3 (suite TEXT NOT NULL, run_us INTEGER NOT NULL, "
	"host TEXT NOT NULL DEFAULT '', digest TEXT NOT NULL DEFAULT '', name TEXT NOT NULL, "
	"seq INTEGER NOT NULL, value REAL, exit_code INTEGER, source_id INTEGER NOT NULL, "
	"line INTEGER NOT NULL, PRIMARY KEY (suite, run_us, host, name, seq, digest)) WITHOUT ROWID;"
	"INSERT INTO bench_value_v3 (suite, run_us, host, name, seq, value, exit_code, source_id, line) "
	"SELECT suite, run_us, host, name, seq, value, exit_code, source_id, line FROM bench_value;"
	"DROP TABLE bench_value;"
	"ALTER TABLE bench_value_v3 RENAME TO bench_value;"
	"CREATE TEMP TABLE bench_rename AS SELECT suite, run_us, host, old, base || suffix AS new FROM ("
	" SELECT r.suite, r.run_us, r.host, r.name AS old,"
	"  CASE WHEN rtrim(r.name, '0123456789') GLOB '* #' AND rtrim(r.name, '0123456789') <> r.name"
	"   AND EXISTS (SELECT 1 FROM bench_result o WHERE o.suite = r.suite AND o.run_us = r.run_us"
	"    AND o.host = r.host AND o.name = substr(r.name, 1,"
	"     length(rtrim(r.name, '0123456789')) - 2))"
	"  THEN substr(r.name, 1, length(rtrim(r.name, '0123456789')) - 2) ELSE r.name END AS base,"
	"  (SELECT ' (' || group_concat(k || '=' || v, ', ') || ')' FROM (SELECT key AS k,"
	"    CASE type WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' WHEN 'null' THEN 'null'"
	"    ELSE value END AS v FROM json_each(r.extra, '$.parameters')"
	"    WHERE type NOT IN ('object', 'array') ORDER BY key)) AS suffix"
	" FROM bench_result r JOIN bench_run b USING (suite, run_us, host)"
	" WHERE b.tool = 'hyperfine'"
	"  AND CASE WHEN json_valid(r.extra) THEN json_type(r.extra, '$.parameters') END = 'object')"
	" WHERE suffix IS NOT NULL;"
	"UPDATE OR IGNORE bench_result SET name = (SELECT new FROM temp.bench_rename m"
	" WHERE m.suite = bench_result.suite AND m.run_us = bench_result.run_us"
	" AND m.host = bench_result.host AND m.old = bench_result.name)"
	" WHERE EXISTS (SELECT 1 FROM temp.bench_rename m WHERE m.suite = bench_result.suite"
	" AND m.run_us = bench_result.run_us AND m.host = bench_result.host AND m.old = bench_result.name);"
	"UPDATE OR IGNORE bench_value SET name = (SELECT new FROM temp.bench_rename m"
	" WHERE m.suite = bench_value.suite AND m.run_us = bench_value.run_us"
	" AND m.host = bench_value.host AND m.old = bench_value.name)"
	" WHERE EXISTS (SELECT 1 FROM temp.bench_rename m WHERE m.suite = bench_value.suite"
	" AND m.run_us = bench_value.run_us AND m.host = bench_value.host AND m.old = bench_value.name);"
	"DROP TABLE temp.bench_rename;";

/* Version 3 -> 4: the columnar copies of gpu_sample and sys_sample
 * (gpu_chunk, sys_chunk; see schema.sql) with their dirty marks and
 * triggers; every day stored is marked dirty, and built by migrate() in
 * the same transaction (pk_gpu_sys_chunks_repair). */
static const char migrate_3_to_4[] =
	"CREATE TABLE gpu_chunk (id INTEGER PRIMARY KEY, profile TEXT NOT NULL, "
	"gpu_index INTEGER NOT NULL, day INTEGER NOT NULL, n INTEGER NOT NULL, "
	"ncols INTEGER NOT NULL, ts BLOB NOT NULL, vals BLOB NOT NULL, "
	"UNIQUE (profile, gpu_index, day));"
	"CREATE TABLE gpu_chunk_dirty (profile TEXT NOT NULL, day INTEGER NOT NULL, "
	"PRIMARY KEY (profile, day)) WITHOUT ROWID;"
	"CREATE TRIGGER gpu_sample_insert AFTER INSERT ON gpu_sample "
	"WHEN NOT EXISTS (SELECT 1 FROM chunk_writer) BEGIN "
	"INSERT OR IGNORE INTO gpu_chunk_dirty VALUES (new.profile, new.ts_us / 86400000000); END;"
	"CREATE TRIGGER gpu_sample_delete AFTER DELETE ON gpu_sample BEGIN "
	"INSERT OR IGNORE INTO gpu_chunk_dirty VALUES (old.profile, old.ts_us / 86400000000); END;"
	"CREATE TRIGGER gpu_sample_update AFTER UPDATE ON gpu_sample BEGIN "
	"INSERT OR IGNORE INTO gpu_chunk_dirty VALUES (old.profile, old.ts_us / 86400000000); "
	"INSERT OR IGNORE INTO gpu_chunk_dirty VALUES (new.profile, new.ts_us / 86400000000); END;"
	"CREATE TABLE sys_chunk (id INTEGER PRIMARY KEY, profile TEXT NOT NULL, "
	"day INTEGER NOT NULL, n INTEGER NOT NULL, ncols INTEGER NOT NULL, "
	"ts BLOB NOT NULL, vals BLOB NOT NULL, UNIQUE (profile, day));"
	"CREATE TABLE sys_chunk_dirty (profile TEXT NOT NULL, day INTEGER NOT NULL, "
	"PRIMARY KEY (profile, day)) WITHOUT ROWID;"
	"CREATE TRIGGER sys_sample_insert AFTER INSERT ON sys_sample "
	"WHEN NOT EXISTS (SELECT 1 FROM chunk_writer) BEGIN "
	"INSERT OR IGNORE INTO sys_chunk_dirty VALUES (new.profile, new.ts_us / 86400000000); END;"
	"CREATE TRIGGER sys_sample_delete AFTER DELETE ON sys_sample BEGIN "
	"INSERT OR IGNORE INTO sys_chunk_dirty VALUES (old.profile, old.ts_us / 86400000000); END;"
	"CREATE TRIGGER sys_sample_update AFTER UPDATE ON sys_sample BEGIN "
	"INSERT OR IGNORE INTO sys_chunk_dirty VALUES (old.profile, old.ts_us / 86400000000); "
	"INSERT OR IGNORE INTO sys_chunk_dirty VALUES (new.profile, new.ts_us / 86400000000); END;"
	"INSERT INTO gpu_chunk_dirty SELECT DISTINCT profile, ts_us / 86400000000 FROM gpu_sample;"
	"INSERT INTO sys_chunk_dirty SELECT DISTINCT profile, ts_us / 86400000000 FROM sys_sample;";

/* Version 4 -> 5: the indexes of perfanalyze --list (schema.sql): the
 * chunks' keys with their sample counts. */
static const char migrate_4_to_5[] =
	"CREATE INDEX gpu_chunk_count ON gpu_chunk (profile, gpu_index, day, n);"
	"CREATE INDEX sys_chunk_count ON sys_chunk (profile, day, n);";

/* Creates the schema in an empty database, or migrates an older one. Runs
 * in one IMMEDIATE transaction so that two processes creating the same new
 * database do it once. */
static enum pk_status migrate(struct pk_db *db, struct pk_buf *err)
{
	if (user_version(db) == PK_SCHEMA_VERSION)
		return PK_OK;
	if (pk_db_begin(db) != PK_OK)
		goto fail;
	int v = user_version(db);
	if (v == 0) {
		const char *schema = pk_embedded("core/schema.sql", NULL);
		if (!schema || exec(db, schema) != PK_OK || fill_metrics(db) != PK_OK)
			goto fail_tx;
		char pragma[64];
		snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", PK_SCHEMA_VERSION);
		if (exec(db, pragma) != PK_OK)
			goto fail_tx;
	} else if (v > PK_SCHEMA_VERSION) {
		pk_db_rollback(db);
		pk_buf_printf(err, "%s: database schema version %d is newer than this "
		              "perfkit's (%d): use a newer perfkit, or a new --db file",
		              db->path, v, PK_SCHEMA_VERSION);
		return PK_ERR_DB;
	}
	/* one block per step v -> v+1 */
	if (v == 1 && (exec(db, migrate_1_to_2) != PK_OK || exec(db, "PRAGMA user_version = 2") != PK_OK))
		goto fail_tx;
	if ((v == 1 || v == 2) &&
	    (exec(db, migrate_2_to_3) != PK_OK || exec(db, "PRAGMA user_version = 3") != PK_OK))
		goto fail_tx;
	if (v >= 1 && v <= 3 &&
	    (exec(db, migrate_3_to_4) != PK_OK || pk_gpu_sys_chunks_repair(db, NULL) != PK_OK ||
	     exec(db, "PRAGMA user_version = 4") != PK_OK))
		goto fail_tx;
	if (v >= 1 && v <= 4 &&
	    (exec(db, migrate_4_to_5) != PK_OK || exec(db, "PRAGMA user_version = 5") != PK_OK))
		goto fail_tx;
	if (pk_db_commit(db) == PK_OK)
		return PK_OK;   /* else (a full disk shows at COMMIT): say so */
fail_tx:
	pk_buf_printf(err, "%s: cannot create the schema: %s", db->path, pk_db_errmsg(db));
	pk_db_rollback(db);
	return PK_ERR_DB;
fail:
	pk_buf_printf(err, "%s: %s", db->path, pk_db_errmsg(db));
	return PK_ERR_DB;
}

enum pk_status pk_db_open(const char *path, enum pk_db_mode mode,
                          struct pk_db **out, struct pk_buf *err)
{
	*out = NULL;
	if (mode == PK_DB_READONLY && access(path, F_OK) != 0) {
		pk_buf_printf(err, "%s: no such database; load logs first with "
		              "'perfingest --db %s LOGS...'", path, path);
		return PK_NODATA;
	}
	struct pk_db *db = calloc(1, sizeof *db);
	if (!db || !(db->path = strdup(path))) {
		free(db);
		return PK_ERR_NOMEM;
	}
	/* a savepoint's journal (one archive member's, see pk_db_savepoint)
	 * stays in memory up to 8 MiB instead of a temporary file: set once,
	 * before SQLite starts (later it is refused, harmlessly) */
	static int spill_set;
	if (!spill_set) {
		spill_set = 1;
		sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, 8 << 20);
	}
	/* a handle is used by one thread at a time: no SQLite mutexes */
	int flags = SQLITE_OPEN_NOMUTEX | (mode == PK_DB_READONLY ? SQLITE_OPEN_READONLY
	                                   : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
	if (sqlite3_open_v2(path, &db->sql, flags, NULL) != SQLITE_OK) {
		pk_buf_printf(err, "%s: cannot open database: %s", path,
		              db->sql ? sqlite3_errmsg(db->sql) : "out of memory");
		pk_db_close(&db);
		return PK_ERR_DB;
	}
	sqlite3_busy_timeout(db->sql, 600000);
	sqlite3_extended_result_codes(db->sql, 1);
	enum pk_status rc = PK_OK;
	if (mode == PK_DB_READWRITE) {
		/* WAL: readers never block the writer; NORMAL sync is safe against
		 * a killed process (a committed transaction survives kill -9). */
		/* page_size only takes effect before the file has a first
		 * page, which setting WAL writes */
		exec(db, "PRAGMA page_size = 16384");
		if (exec(db, "PRAGMA journal_mode = WAL") != PK_OK ||
		    exec(db, "PRAGMA synchronous = NORMAL") != PK_OK ||
		    exec(db, "PRAGMA cache_size = -16384") != PK_OK) {
			pk_buf_printf(err, "%s: %s", path, pk_db_errmsg(db));
			rc = PK_ERR_DB;
		} else {
			rc = migrate(db, err);
		}
	} else {
		exec(db, "PRAGMA cache_size = -16384");
		exec(db, "PRAGMA mmap_size = 17179869184");
		int v = user_version(db);
		if (v < 0) {
			pk_buf_printf(err, "%s: not a perfkit database: %s", path, sqlite3_errmsg(db->sql));
			rc = PK_ERR_DB;
		} else if (v == 0) {
			pk_buf_printf(err, "%s: empty database; load logs first with "
			              "'perfingest --db %s LOGS...'", path, path);
			rc = PK_NODATA;
		} else if (v != PK_SCHEMA_VERSION) {
			pk_buf_printf(err, "%s: database schema version %d, this perfkit "
			              "reads version %d: run 'perfingest --db %s' (no paths) "
			              "to migrate it, or use a newer perfkit", path, v,
			              PK_SCHEMA_VERSION, path);
			rc = PK_ERR_DB;
		}
	}
	if (rc != PK_OK)
		pk_db_close(&db);
	*out = db;
	return rc;
}

void pk_db_close(struct pk_db **pdb)
{
	struct pk_db *db = *pdb;
	if (!db)
		return;
	while (db->nstates > 0) {
		struct pk_db_state_slot *slot = &db->states[--db->nstates];
		slot->module->free(slot->state);
	}
	free(db->states);
	for (size_t i = 0; i < db->nstmts; i++)
		sqlite3_finalize(db->stmts[i]);
	free(db->stmts);
	sqlite3_close(db->sql);
	free(db->path);
	free(db);
	*pdb = NULL;
}

enum pk_status pk_db_begin(struct pk_db *db)
{
	return exec(db, "BEGIN IMMEDIATE");
}

enum pk_status pk_db_commit(struct pk_db *db)
{
	return exec(db, "COMMIT");
}

void pk_db_rollback(struct pk_db *db)
{
	if (!sqlite3_get_autocommit(db->sql))
		exec(db, "ROLLBACK");
}

int pk_db_in_transaction(struct pk_db *db)
{
	return !sqlite3_get_autocommit(db->sql);
}

enum pk_status pk_db_savepoint(struct pk_db *db)
{
	return exec(db, "SAVEPOINT part");
}

enum pk_status pk_db_release(struct pk_db *db)
{
	return exec(db, "RELEASE part");
}

void pk_db_rollback_savepoint(struct pk_db *db)
{
	/* ROLLBACK TO leaves the savepoint open: RELEASE ends it */
	if (!sqlite3_get_autocommit(db->sql) && exec(db, "ROLLBACK TO part") == PK_OK)
		exec(db, "RELEASE part");
}

void pk_db_set_damage(struct pk_db *db, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(db->damage, sizeof db->damage, fmt, ap);
	va_end(ap);
}

const char *pk_db_errmsg(struct pk_db *db)
{
	if (db && db->damage[0])
		return db->damage;
	if (!db || !db->sql)
		return "no database";
	/* "disk I/O error" says little: add the system's reason (File too
	 * large, No space left on device ...) */
	int e = sqlite3_system_errno(db->sql), code = sqlite3_errcode(db->sql) & 0xff;
	if (e == 0 || (code != SQLITE_IOERR && code != SQLITE_FULL && code != SQLITE_CANTOPEN))
		return sqlite3_errmsg(db->sql);
	snprintf(db->errmsg, sizeof db->errmsg, "%s (%s)", sqlite3_errmsg(db->sql), strerror(e));
	return db->errmsg;
}
