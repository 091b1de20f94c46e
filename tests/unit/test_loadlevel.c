/* test_loadlevel.c - analyze/loadlevel.c: the FORMATS.md level boundaries
 * (each edge on both sides), missing impact figures, execution-time shares,
 * the overall rule, and reading a session stored with SQL. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze/loadlevel.h"
#include "core/db.h"
#include "tests/unit/testutil.h"

static void test_boundaries(void **state)
{
	(void)state;
	static const struct { double cpu, mem; enum pk_load_level want; } cases[] = {
		{ 0, 0, PK_LEVEL_GREEN },
		{ 24.999, 49.999, PK_LEVEL_GREEN },
		{ 25, 0, PK_LEVEL_YELLOW },          /* 25-50 % is yellow */
		{ 0, 50, PK_LEVEL_YELLOW },          /* 50-100 MB is yellow */
		{ 50, 100, PK_LEVEL_YELLOW },        /* the upper edges are still yellow */
		{ 50.001, 0, PK_LEVEL_RED },
		{ 0, 100.001, PK_LEVEL_RED },
		{ 3.2, 1.8, PK_LEVEL_GREEN },        /* core.ocr of the demo session */
		{ NAN, 10, PK_LEVEL_UNKNOWN },       /* missing is never 0 */
		{ 10, NAN, PK_LEVEL_UNKNOWN },
		{ 30, NAN, PK_LEVEL_UNKNOWN },       /* could be red */
		{ NAN, 150, PK_LEVEL_RED },          /* red whatever the CPU is */
		{ 75, NAN, PK_LEVEL_RED },
		{ NAN, NAN, PK_LEVEL_UNKNOWN },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		enum pk_load_level got = pk_load_level_of(cases[i].cpu, cases[i].mem);
		if (got != cases[i].want)
			fail_msg("case %zu (%g, %g): %s, expected %s", i, cases[i].cpu, cases[i].mem,
			         pk_load_level_str(got), pk_load_level_str(cases[i].want));
	}
}

static struct pk_session_modules rows_of(size_t n, const double (*v)[3])
{
	struct pk_session_modules r = { 0 };
	r.session_id = strdup("s");
	r.m = calloc(n, sizeof *r.m);
	assert_non_null(r.m);
	for (size_t i = 0; i < n; i++) {
		char name[32];
		snprintf(name, sizeof name, "m%zu", i);
		r.m[i] = (struct pk_session_module){ strdup(name), 1, v[i][0], v[i][1], v[i][2] };
	}
	r.n = n;
	return r;
}

static void test_shares_and_overall(void **state)
{
	(void)state;
	/* time, cpu, mem */
	static const double v[][3] = {
		{ 30, 10, 10 },      /* green */
		{ 10, 30, 10 },      /* yellow */
		{ 60, 5, 5 },        /* green */
		{ NAN, 60, 5 },      /* red, no time */
	};
	struct pk_session_modules r = rows_of(4, v);
	struct pk_loadlevels l;
	assert_int_equal(pk_loadlevels_from(&r, &l), PK_OK);
	assert_null(r.m);                       /* taken over */
	assert_true(l.total_time_s == 100);
	assert_true(fabs(l.modules[0].share - 0.3) < 1e-15);
	assert_true(fabs(l.modules[1].share - 0.1) < 1e-15);
	assert_true(isnan(l.modules[3].share));
	assert_int_equal(l.overall, PK_LEVEL_RED);   /* the worst module */
	assert_int_equal(l.count[PK_LEVEL_GREEN], 2);
	assert_int_equal(l.count[PK_LEVEL_RED], 1);
	assert_true(fabs(l.level_share[PK_LEVEL_GREEN] - 0.9) < 1e-15);
	assert_true(fabs(l.level_share[PK_LEVEL_YELLOW] - 0.1) < 1e-15);
	assert_true(l.level_share[PK_LEVEL_RED] == 0);
	pk_loadlevels_free(&l);

	/* yellow and unknown: unknown (it may hide a red) */
	static const double w[][3] = { { 1, 30, 1 }, { 1, 1, NAN } };
	r = rows_of(2, w);
	assert_int_equal(pk_loadlevels_from(&r, &l), PK_OK);
	assert_int_equal(l.overall, PK_LEVEL_UNKNOWN);
	pk_loadlevels_free(&l);

	/* no times at all: shares undefined, never 0 */
	static const double z[][3] = { { NAN, 1, 1 } };
	r = rows_of(1, z);
	assert_int_equal(pk_loadlevels_from(&r, &l), PK_OK);
	assert_true(isnan(l.total_time_s) && isnan(l.modules[0].share));
	assert_true(isnan(l.level_share[PK_LEVEL_GREEN]));
	assert_int_equal(l.overall, PK_LEVEL_GREEN);
	pk_loadlevels_free(&l);
}

static void test_database(void **state)
{
	(void)state;
	char dir[] = "/tmp/pk_test_loadlevel_XXXXXX";
	char path[128];
	tu_new_db(dir, path, sizeof path);
	struct pk_db *db = NULL;
	struct pk_buf err = PK_BUF_INIT;
	sqlite3 *s;
	assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s,
	    "INSERT INTO session (session_id, export_us, performance_summary, source_id, line) "
	    " VALUES ('a', 1705329000123456, '{\"overall_load_level\":\"yellow\"}', 1, 1);"
	    "INSERT INTO session_module (session_id, module, call_count, total_execution_time, "
	    " cpu_impact, memory_impact, source_id, line) VALUES "
	    " ('a', 'core.ocr', 1250, 45.7, 3.2, 1.8, 1, 2),"
	    " ('a', 'core.heavy', 10, 4.3, 12, 120, 1, 3),"
	    " ('b', 'x', NULL, NULL, NULL, NULL, 1, 4);",
	    NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(s);
	assert_int_equal(pk_db_open(path, PK_DB_READONLY, &db, &err), PK_OK);
	struct pk_loadlevels l;
	assert_int_equal(pk_loadlevels_for(db, "a", &l), PK_OK);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.modules[0].m->module, "core.heavy");   /* by name */
	assert_int_equal(l.modules[0].level, PK_LEVEL_RED);
	assert_true(fabs(l.modules[0].share - 4.3 / 50.0) < 1e-15);
	assert_int_equal(l.overall, PK_LEVEL_RED);
	assert_string_equal(l.rows.app_level, "yellow");
	assert_true(l.rows.export_us == 1705329000123456);
	pk_loadlevels_free(&l);
	/* modules without the session row (document not yet whole) */
	assert_int_equal(pk_loadlevels_for(db, "b", &l), PK_OK);
	assert_int_equal(l.rows.have_session, 0);
	assert_null(l.rows.app_level);
	assert_true(isnan(l.modules[0].m->call_count));
	assert_int_equal(l.overall, PK_LEVEL_UNKNOWN);
	pk_loadlevels_free(&l);
	assert_int_equal(pk_loadlevels_for(db, "nope", &l), PK_NODATA);
	pk_buf_free(&err);
	pk_db_close(&db);
	tu_rm_rf(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boundaries),
		cmocka_unit_test(test_shares_and_overall),
		cmocka_unit_test(test_database),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
