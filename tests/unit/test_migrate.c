/* test_migrate.c - core/db.c's migrations: a version-1 database (hw_chunk
 * WITHOUT ROWID) is refused read-only with a message naming the fix, and
 * migrated read-write with every chunk kept; a version-2 database (no
 * record_merge, one sys_sample CPU meaning, no restarts or comments) gains
 * them with its rows kept, and a later sadf -A export fills them in; its
 * benchmark tables get the digest column ('' for the runs stored before)
 * and its hyperfine results with parameters their new names; a version-3
 * database (no gpu_chunk, sys_chunk) gets the columnar copies of its
 * nvidia-smi and sysstat rows built, the series read the same; a version-4
 * database gets the indexes of --list, which lists the same. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/db.h"
#include "core/metrics.h"
#include "core/query.h"
#include "core/query_sources.h"
#include "testutil.h"

/* What schema version 5 added, taken away: a version-4 database. */
#define TO_V4 \
	"DROP INDEX gpu_chunk_count; DROP INDEX sys_chunk_count;"

/* What schema version 4 added, taken away: a version-3 database. */
#define TO_V3 \
	TO_V4 \
	"DROP TRIGGER gpu_sample_insert; DROP TRIGGER gpu_sample_delete;" \
	"DROP TRIGGER gpu_sample_update; DROP TRIGGER sys_sample_insert;" \
	"DROP TRIGGER sys_sample_delete; DROP TRIGGER sys_sample_update;" \
	"DROP TABLE gpu_chunk; DROP TABLE gpu_chunk_dirty;" \
	"DROP TABLE sys_chunk; DROP TABLE sys_chunk_dirty;"

/* What schema version 3 added, taken away: a version-2 database (the
 * benchmark tables as version 2 made them, without digest). */
#define TO_V2 \
	TO_V3 \
	"DROP VIEW record_merges; DROP TABLE record_merge;" \
	"DROP TABLE sys_restart; DROP TABLE sys_comment;" \
	"ALTER TABLE sys_sample DROP COLUMN cpu_usr;" \
	"ALTER TABLE sys_sample DROP COLUMN cpu_nice_noguest;" \
	"ALTER TABLE sys_sample DROP COLUMN cpu_sys;" \
	"ALTER TABLE sys_sample DROP COLUMN cpu_irq;" \
	"ALTER TABLE sys_sample DROP COLUMN cpu_soft;" \
	"ALTER TABLE sys_sample DROP COLUMN cpu_guest;" \
	"ALTER TABLE sys_sample DROP COLUMN cpu_gnice;" \
	"DROP TABLE bench_run; DROP TABLE bench_result; DROP TABLE bench_value;" \
	"CREATE TABLE bench_run (suite TEXT NOT NULL, run_us INTEGER NOT NULL, " \
	"host TEXT NOT NULL DEFAULT '', revision TEXT, tool TEXT NOT NULL, extra TEXT, " \
	"source_id INTEGER NOT NULL, line INTEGER NOT NULL, PRIMARY KEY (suite, run_us, host));" \
	"CREATE TABLE bench_result (suite TEXT NOT NULL, run_us INTEGER NOT NULL, " \
	"host TEXT NOT NULL DEFAULT '', name TEXT NOT NULL, unit TEXT, direction TEXT, " \
	"mean REAL, stddev REAL, median REAL, min REAL, max REAL, user_s REAL, system_s REAL, " \
	"n INTEGER, extra TEXT, source_id INTEGER NOT NULL, line INTEGER NOT NULL, " \
	"PRIMARY KEY (suite, run_us, host, name));" \
	"CREATE TABLE bench_value (suite TEXT NOT NULL, run_us INTEGER NOT NULL, " \
	"host TEXT NOT NULL DEFAULT '', name TEXT NOT NULL, seq INTEGER NOT NULL, value REAL, " \
	"exit_code INTEGER, source_id INTEGER NOT NULL, line INTEGER NOT NULL, " \
	"PRIMARY KEY (suite, run_us, host, name, seq)) WITHOUT ROWID;"

/* hw_chunk as schema version 1 made it. */
static const char to_v1[] =
	TO_V2
	"CREATE TABLE hw_chunk_v1 (profile_id INTEGER NOT NULL, day INTEGER NOT NULL, "
	"n INTEGER NOT NULL, nmetrics INTEGER NOT NULL, ts BLOB NOT NULL, vals BLOB NOT NULL, "
	"PRIMARY KEY (profile_id, day)) WITHOUT ROWID;"
	"INSERT INTO hw_chunk_v1 SELECT profile_id, day, n, nmetrics, ts, vals FROM hw_chunk;"
	"DROP TABLE hw_chunk;"
	"ALTER TABLE hw_chunk_v1 RENAME TO hw_chunk;"
	"PRAGMA user_version = 1;";

/* Every chunk as text: the same before and after the migration. */
static const char chunks_sql[] =
	"SELECT group_concat(profile_id || ':' || day || ':' || n || ':' || nmetrics || ':' "
	"|| hex(ts) || ':' || hex(vals), ';') FROM (SELECT * FROM hw_chunk ORDER BY profile_id, day)";

static void test_version1_migrated(void **state)
{
	(void)state;
	void *st = NULL;
	assert_int_equal(tu_setup(&st, "migrate"), 0);
	struct tu_fx *f = st;
	/* three samples over two UTC days, one value missing */
	tu_write_text(tu_path(f, "hardware_profile_m1.jsonl"), "w",
	    "{\"timestamp\": \"2025-01-01T23:58:00+00:00\", \"cpu\": {\"percent_total\": 10.5}}\n"
	    "{\"timestamp\": \"2025-01-01T23:59:00+00:00\", \"cpu\": {\"percent_total\": null}}\n"
	    "{\"timestamp\": \"2025-01-02T00:00:00+00:00\", \"cpu\": {\"percent_total\": 30.25}}\n");
	struct pk_ingest_result res = { 0 };
	assert_int_equal(tu_ingest(f, NULL, (struct pk_ingest_opts){ 0 }, &res), PK_OK);
	pk_ingest_result_free(&res);
	char before[4096];
	snprintf(before, sizeof before, "%s", tu_q(f, chunks_sql));
	assert_string_equal(tu_q(f, "SELECT count(*) FROM hw_chunk"), "2");
	pk_db_close(&f->db);
	tu_exec(f->db_path, to_v1);

	struct pk_db *db = NULL;
	struct pk_buf err = PK_BUF_INIT;
	assert_int_equal(pk_db_open(f->db_path, PK_DB_READONLY, &db, &err), PK_ERR_DB);
	assert_non_null(strstr(err.data, "version 1"));
	assert_non_null(strstr(err.data, "perfingest --db"));
	pk_buf_reset(&err);

	assert_int_equal(pk_db_open(f->db_path, PK_DB_READWRITE, &f->db, &err), PK_OK);
	assert_string_equal(tu_q(f, "PRAGMA user_version"), "5");
	assert_string_equal(tu_q(f, "SELECT count(*) FROM record_merges"), "0");
	assert_string_equal(tu_q(f, "SELECT count(*) FROM pragma_table_info('hw_chunk') "
	                        "WHERE name = 'id' AND pk = 1"), "1");
	assert_string_equal(tu_q(f, chunks_sql), before);
	assert_string_equal(tu_q(f, "SELECT group_concat(name, ' ') FROM (SELECT name FROM "
	                        "pragma_index_list('hw_chunk') ORDER BY name)"),
	                    "hw_chunk_n sqlite_autoindex_hw_chunk_1");
	pk_db_close(&f->db);

	assert_int_equal(pk_db_open(f->db_path, PK_DB_READONLY, &db, &err), PK_OK);
	struct pk_profile_info pi;
	assert_int_equal(pk_query_profile(db, "m1", &pi), PK_OK);
	assert_int_equal(pi.samples, 3);
	struct pk_hw_series s = { 0 };
	assert_int_equal(pk_query_hw_series(db, "m1", pi.first_us, pi.last_us, &s), PK_OK);
	assert_int_equal(s.n, 3);
	size_t m;
	assert_non_null(pk_hw_metric_find("cpu.percent_total", &m));
	assert_true(s.v[m][0] == 10.5 && s.v[m][1] != s.v[m][1] && s.v[m][2] == 30.25);
	pk_hw_series_free(&s);
	pk_db_close(&db);
	pk_buf_free(&err);
	assert_int_equal(tu_teardown(&st), 0);
}

/* A version-2 database with benchmark rows as the version-2 hyperfine
 * reader named them ("sleep", "sleep #2" by position). */
static const char to_v2[] =
	TO_V2
	"INSERT INTO bench_run VALUES ('scan', 1, '', NULL, 'hyperfine', NULL, 1, 1),"
	" ('own', 1, 'h', 'r1', 'perfkit', NULL, 2, 1);"
	"INSERT INTO bench_result (suite, run_us, host, name, mean, extra, source_id, line) VALUES"
	" ('scan', 1, '', 'sleep', 0.01, '{\"parameters\":{\"n\":\"1\"}}', 1, 3),"
	" ('scan', 1, '', 'sleep #2', 0.02, '{\"parameters\":{\"n\":\"2\"}}', 1, 9),"
	" ('scan', 1, '', 'sleep 0.03', 0.03, '{\"parameters\":{\"n\":\"3\",\"a\":\"x\"}}', 1, 15),"
	" ('scan', 1, '', 'run #1', 0.04, '{\"parameters\":{\"k\":\"v\"}}', 1, 21),"
	" ('scan', 1, '', 'plain', 0.05, NULL, 1, 27),"
	" ('scan', 1, '', 'odd', 0.06, 'not json', 1, 33),"
	" ('own', 1, 'h', 'lat', 0.07, '{\"parameters\":{\"n\":\"1\"}}', 2, 1);"
	"INSERT INTO bench_value VALUES ('scan', 1, '', 'sleep', 0, 0.01, 0, 1, 3),"
	" ('scan', 1, '', 'sleep #2', 0, 0.02, 0, 1, 9), ('scan', 1, '', 'plain', 0, 0.05, 0, 1, 27);"
	"PRAGMA user_version = 2;";

/* A version-2 database with a sadf -u export: migrated, its rows kept; the
 * -A export of the same recording then fills the ALL columns in. */
static void test_version2_migrated(void **state)
{
	(void)state;
	void *st = NULL;
	assert_int_equal(tu_setup(&st, "migrate2"), 0);
	struct tu_fx *f = st;
	tu_copy_file("../fixtures/sysstat-real/sadf-u.json", tu_path(f, "sadf-u.json"));
	struct pk_ingest_result res = { 0 };
	assert_int_equal(tu_ingest(f, NULL, (struct pk_ingest_opts){ 0 }, &res), PK_OK);
	pk_ingest_result_free(&res);
	pk_db_close(&f->db);
	tu_exec(f->db_path, TO_V2 "PRAGMA user_version = 2;");

	struct pk_db *db = NULL;
	struct pk_buf err = PK_BUF_INIT;
	assert_int_equal(pk_db_open(f->db_path, PK_DB_READONLY, &db, &err), PK_ERR_DB);
	assert_non_null(strstr(err.data, "version 2"));
	pk_buf_free(&err);
	assert_int_equal(pk_db_open(f->db_path, PK_DB_READWRITE, &f->db, &err), PK_OK);
	assert_string_equal(tu_q(f, "PRAGMA user_version"), "5");
	assert_string_equal(tu_q(f, "SELECT count(*) || ' ' || round(sum(cpu_system), 2) || ' ' || "
	                        "count(cpu_sys) FROM sys_sample"), "4 170.93 0");
	assert_string_equal(tu_q(f, "SELECT count(*) FROM record_merges"), "0");
	tu_copy_file("../fixtures/sysstat-real/sadf-A.json", tu_path(f, "sadf-A.json"));
	assert_int_equal(tu_ingest(f, NULL, (struct pk_ingest_opts){ 0 }, &res), PK_OK);
	assert_int_equal(res.counts.completed, 4);
	assert_int_equal(res.counts.conflicting, 0);
	pk_ingest_result_free(&res);
	/* sys + irq + soft of -A is -u's system, to the rounding of 2 decimals */
	assert_string_equal(tu_q(f, "SELECT count(*) FROM sys_sample WHERE "
	                        "abs(cpu_sys + cpu_irq + cpu_soft - cpu_system) < 0.015"), "4");
	pk_buf_free(&err);
	assert_int_equal(tu_teardown(&st), 0);
}

/* A version-2 database's benchmark rows: digest '' and the new names. */
static void test_version2_bench_migrated(void **state)
{
	(void)state;
	void *st = NULL;
	assert_int_equal(tu_setup(&st, "migrate2b"), 0);
	struct tu_fx *f = st;
	pk_db_close(&f->db);
	tu_exec(f->db_path, to_v2);
	struct pk_buf err = PK_BUF_INIT;
	assert_int_equal(pk_db_open(f->db_path, PK_DB_READWRITE, &f->db, &err), PK_OK);
	assert_string_equal(tu_q(f, "PRAGMA user_version"), "5");
	assert_string_equal(tu_q(f, "SELECT group_concat(suite || '/' || digest || '/' || tool, ' ') "
	                        "FROM (SELECT * FROM bench_run ORDER BY suite)"), "own//perfkit scan//hyperfine");
	assert_string_equal(tu_q(f, "SELECT group_concat(name || '=' || mean, '|') FROM "
	                        "(SELECT * FROM bench_result ORDER BY mean)"),
	                    "sleep (n=1)=0.01|sleep (n=2)=0.02|sleep 0.03 (a=x, n=3)=0.03|"
	                    "run #1 (k=v)=0.04|plain=0.05|odd=0.06|lat=0.07");
	assert_string_equal(tu_q(f, "SELECT group_concat(name || '=' || value, '|') FROM "
	                        "(SELECT * FROM bench_value ORDER BY value)"),
	                    "sleep (n=1)=0.01|sleep (n=2)=0.02|plain=0.05");
	assert_string_equal(tu_q(f, "SELECT count(*) FROM bench_result WHERE digest = ''"), "7");
	assert_string_equal(tu_q(f, "SELECT count(*) FROM pragma_table_info('bench_value') "
	                        "WHERE name = 'digest' AND pk = 6"), "1");
	pk_buf_free(&err);
	assert_int_equal(tu_teardown(&st), 0);
}

/* Every sample of the series, as text (the time and each metric's value). */
static char *series_text(struct pk_db *db, const char *name)
{
	struct pk_hw_series s = { 0 };
	assert_int_equal(pk_query_hw_series(db, name, INT64_MIN / 2, INT64_MAX / 2, &s), PK_OK);
	struct pk_buf out = PK_BUF_INIT;
	for (size_t i = 0; i < s.n; i++) {
		pk_buf_printf(&out, "%lld", (long long)s.ts_us[i]);
		for (size_t m = 0; m < pk_hw_nmetrics; m++)
			pk_buf_printf(&out, " %.17g", s.v[m][i]);
		pk_buf_putc(&out, '\n');
	}
	pk_hw_series_free(&s);
	return out.data ? out.data : strdup("");
}

/* A version-3 database with nvidia-smi and sysstat rows: migrated, the
 * columnar copies built in the migration (no dirty day left), and the
 * series read from them the same as from the rows before. */
static void test_version3_migrated(void **state)
{
	(void)state;
	void *st = NULL;
	assert_int_equal(tu_setup(&st, "migrate3"), 0);
	struct tu_fx *f = st;
	tu_copy_file("../fixtures/nvidia-smi/nvidia_smi_laptop.csv",
	             tu_path(f, "nvidia_smi_laptop.csv"));
	tu_copy_file("../fixtures/sysstat-real/sadf-u.json", tu_path(f, "sadf-u.json"));
	struct pk_ingest_result res = { 0 };
	assert_int_equal(tu_ingest(f, NULL, (struct pk_ingest_opts){ 0 }, &res), PK_OK);
	pk_ingest_result_free(&res);
	const char *host = tu_q(f, "SELECT profile FROM sys_sample LIMIT 1");
	char sys_name[128];
	snprintf(sys_name, sizeof sys_name, "%s", host);
	char *gpu_before = series_text(f->db, "laptop");
	char *sys_before = series_text(f->db, sys_name);
	assert_true(strlen(gpu_before) > 0 && strlen(sys_before) > 0);
	pk_db_close(&f->db);
	tu_exec(f->db_path, TO_V3 "PRAGMA user_version = 3;");

	struct pk_db *db = NULL;
	struct pk_buf err = PK_BUF_INIT;
	assert_int_equal(pk_db_open(f->db_path, PK_DB_READONLY, &db, &err), PK_ERR_DB);
	assert_non_null(strstr(err.data, "version 3"));
	pk_buf_reset(&err);
	assert_int_equal(pk_db_open(f->db_path, PK_DB_READWRITE, &f->db, &err), PK_OK);
	assert_string_equal(tu_q(f, "PRAGMA user_version"), "5");
	assert_string_equal(tu_q(f, "SELECT (SELECT count(*) FROM gpu_chunk_dirty) + "
	                        "(SELECT count(*) FROM sys_chunk_dirty)"), "0");
	assert_string_equal(tu_q(f, "SELECT sum(n) FROM gpu_chunk"),
	                    tu_q(f, "SELECT count(*) FROM gpu_sample"));
	assert_string_equal(tu_q(f, "SELECT sum(n) FROM sys_chunk"),
	                    tu_q(f, "SELECT count(*) FROM sys_sample"));
	char *gpu_after = series_text(f->db, "laptop");
	char *sys_after = series_text(f->db, sys_name);
	assert_string_equal(gpu_after, gpu_before);
	assert_string_equal(sys_after, sys_before);
	free(gpu_before);
	free(sys_before);
	free(gpu_after);
	free(sys_after);
	pk_buf_free(&err);
	assert_int_equal(tu_teardown(&st), 0);
}

/* pk_query_sources' nvidia-smi GPUs and sysstat hosts as text. */
static char *gpu_sys_sources_text(struct pk_db *db)
{
	struct pk_sources src;
	assert_int_equal(pk_query_sources(db, &src), PK_OK);
	struct pk_buf out = PK_BUF_INIT;
	const enum pk_source_kind_id kinds[] = { PK_SRC_GPUS, PK_SRC_SYSSTAT };
	for (size_t k = 0; k < 2; k++) {
		const struct pk_source_table *t = &src.t[kinds[k]];
		size_t nf = pk_source_kinds[kinds[k]].nfields;
		for (size_t r = 0; r < t->nrows; r++) {
			for (size_t c = 0; c < nf; c++) {
				const struct pk_source_value *v = &t->v[r * nf + c];
				if (!v->present)
					pk_buf_puts(&out, " -");
				else if (pk_source_kinds[kinds[k]].fields[c].type == PK_SF_TEXT)
					pk_buf_printf(&out, " %s", v->s);
				else
					pk_buf_printf(&out, " %lld", (long long)v->i);
			}
			pk_buf_putc(&out, '\n');
		}
	}
	pk_sources_free(&src);
	return out.data ? out.data : strdup("");
}

/* A version-4 database: migrated (the indexes of --list made), and its
 * GPUs and hosts listed the same, also with a dirty day read from the rows. */
static void test_version4_migrated(void **state)
{
	(void)state;
	void *st = NULL;
	assert_int_equal(tu_setup(&st, "migrate4"), 0);
	struct tu_fx *f = st;
	tu_copy_file("../fixtures/nvidia-smi/nvidia_smi_laptop.csv",
	             tu_path(f, "nvidia_smi_laptop.csv"));
	tu_copy_file("../fixtures/sysstat-real/sadf-u.json", tu_path(f, "sadf-u.json"));
	struct pk_ingest_result res = { 0 };
	assert_int_equal(tu_ingest(f, NULL, (struct pk_ingest_opts){ 0 }, &res), PK_OK);
	pk_ingest_result_free(&res);
	char *before = gpu_sys_sources_text(f->db);
	assert_true(strlen(before) > 0);
	pk_db_close(&f->db);
	tu_exec(f->db_path, TO_V4 "PRAGMA user_version = 4;");

	struct pk_db *db = NULL;
	struct pk_buf err = PK_BUF_INIT;
	assert_int_equal(pk_db_open(f->db_path, PK_DB_READONLY, &db, &err), PK_ERR_DB);
	assert_non_null(strstr(err.data, "version 4"));
	pk_buf_reset(&err);
	assert_int_equal(pk_db_open(f->db_path, PK_DB_READWRITE, &f->db, &err), PK_OK);
	assert_string_equal(tu_q(f, "PRAGMA user_version"), "5");
	assert_string_equal(tu_q(f, "SELECT group_concat(name, ' ') FROM (SELECT name FROM "
	                        "sqlite_schema WHERE type = 'index' AND name IN ('gpu_chunk_count', "
	                        "'sys_chunk_count') ORDER BY name)"),
	                    "gpu_chunk_count sys_chunk_count");
	char *after = gpu_sys_sources_text(f->db);
	assert_string_equal(after, before);
	free(after);
	/* a row deleted by SQL: its day is dirty and counted from the rows */
	pk_db_close(&f->db);
	tu_exec(f->db_path, "DELETE FROM gpu_sample WHERE rowid = (SELECT min(rowid) FROM "
	        "gpu_sample); DELETE FROM sys_sample WHERE rowid = (SELECT max(rowid) FROM "
	        "sys_sample);");
	assert_int_equal(pk_db_open(f->db_path, PK_DB_READONLY, &f->db, &err), PK_OK);
	assert_string_equal(tu_q(f, "SELECT (SELECT count(*) FROM gpu_chunk_dirty) || ' ' || "
	                        "(SELECT count(*) FROM sys_chunk_dirty)"), "1 1");
	after = gpu_sys_sources_text(f->db);
	assert_string_equal(after, tu_q(f, "SELECT group_concat(l, '') FROM (SELECT ' ' || "
	                    "profile || ' ' || gpu_index || ' ' || (SELECT n.name FROM gpu_sample n WHERE "
	                    "n.profile = s.profile AND n.gpu_index = s.gpu_index ORDER BY n.ts_us DESC "
	                    "LIMIT 1) || ' ' || count(*) || ' ' || min(ts_us) || ' ' || max(ts_us) || "
	                    "char(10) AS l FROM gpu_sample s GROUP BY profile, gpu_index "
	                    "UNION ALL SELECT * FROM (SELECT ' ' || profile || ' ' || "
	                    "count(*) || ' ' || min(ts_us) || ' ' || max(ts_us) || ' 0 0' || char(10) "
	                    "FROM sys_sample GROUP BY profile ORDER BY profile))"));
	assert_string_not_equal(after, before);
	free(after);
	free(before);
	pk_buf_free(&err);
	assert_int_equal(tu_teardown(&st), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version1_migrated),
		cmocka_unit_test(test_version2_migrated),
		cmocka_unit_test(test_version2_bench_migrated),
		cmocka_unit_test(test_version3_migrated),
		cmocka_unit_test(test_version4_migrated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
