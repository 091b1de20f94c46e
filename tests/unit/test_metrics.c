/* test_metrics.c - the metric registry agrees with the schema: every
 * metric has its column in hw_sample, named by the rule, and the metric
 * table mirrors the registry; names are unique. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/db.h"
#include "core/metrics.h"

static void test_registry_matches_schema(void **state)
{
	(void)state;
	char path[] = "/tmp/pk_test_metrics_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	struct pk_db *db;
	struct pk_buf err = PK_BUF_INIT;
	assert_int_equal(pk_db_open(path, PK_DB_READWRITE, &db, &err), PK_OK);
	pk_db_close(&db);
	assert_null(db);

	sqlite3 *s;
	assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
	for (size_t i = 0; i < pk_hw_nmetrics; i++) {
		const struct pk_metric *m = &pk_hw_metrics[i];
		char col[128];
		snprintf(col, sizeof col, "%s", m->name);
		for (char *c = col; *c; c++)
			if (*c == '.')
				*c = '_';
		assert_string_equal(col, m->column);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(m->name, pk_hw_metrics[j].name);
		size_t idx;
		assert_ptr_equal(pk_hw_metric_find(m->name, &idx), m);
		assert_int_equal(idx, i);

		sqlite3_stmt *q;
		assert_int_equal(sqlite3_prepare_v2(s, "SELECT count(*) FROM pragma_table_info('hw_sample') "
		                                    "WHERE name = ? AND type = 'REAL'", -1, &q, NULL), SQLITE_OK);
		sqlite3_bind_text(q, 1, m->column, -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(q), SQLITE_ROW);
		if (sqlite3_column_int(q, 0) != 1)
			fail_msg("hw_sample has no REAL column %s", m->column);
		sqlite3_finalize(q);

		assert_int_equal(sqlite3_prepare_v2(s, "SELECT unit, label, direction, column_name "
		                                    "FROM metric WHERE name = ?", -1, &q, NULL), SQLITE_OK);
		sqlite3_bind_text(q, 1, m->name, -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(q), SQLITE_ROW);
		assert_string_equal((const char *)sqlite3_column_text(q, 0), m->unit);
		assert_string_equal((const char *)sqlite3_column_text(q, 1), m->label);
		assert_string_equal((const char *)sqlite3_column_text(q, 2), pk_direction_str(m->direction));
		assert_string_equal((const char *)sqlite3_column_text(q, 3), m->column);
		sqlite3_finalize(q);
	}
	/* no REAL column without a metric */
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(s, "SELECT count(*) FROM pragma_table_info('hw_sample') "
	                                    "WHERE type = 'REAL'", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(q, 0), (int)pk_hw_nmetrics);
	sqlite3_finalize(q);
	sqlite3_close(s);
	unlink(path);
	pk_buf_free(&err);
	assert_null(pk_hw_metric_find("no.such.metric", NULL));
}

static void test_newer_schema_refused(void **state)
{
	(void)state;
	char path[] = "/tmp/pk_test_newer_XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	sqlite3 *s;
	sqlite3_open(path, &s);
	sqlite3_exec(s, "CREATE TABLE x(y); PRAGMA user_version = 99", NULL, NULL, NULL);
	sqlite3_close(s);
	struct pk_db *db;
	struct pk_buf err = PK_BUF_INIT;
	assert_int_equal(pk_db_open(path, PK_DB_READWRITE, &db, &err), PK_ERR_DB);
	assert_non_null(strstr(err.data, "newer"));
	pk_buf_reset(&err);
	assert_int_equal(pk_db_open(path, PK_DB_READONLY, &db, &err), PK_ERR_DB);
	assert_non_null(strstr(err.data, "version 99"));
	pk_buf_free(&err);
	unlink(path);
	char side[64];
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry_matches_schema),
		cmocka_unit_test(test_newer_schema_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
