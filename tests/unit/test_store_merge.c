/* test_store_merge.c - a record whose identity is stored already
 * (core/store_merge.c): a field the stored record lacks is filled
 * ("completed"), a differing one is kept out ("conflicting") with both
 * values in record_merge, an equal record is a plain duplicate; JSON
 * objects merge by key; hardware samples the same, their day rebuilt. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/metrics.h"
#include "core/store.h"
#include "core/table.h"
#include "testutil.h"

static const struct pk_column cols[] = {
	{ "k", PK_COL_INT }, { "name", PK_COL_TEXT }, { "x", PK_COL_REAL },
	{ "n", PK_COL_INT }, { "note", PK_COL_TEXT }, { "extra", PK_COL_JSON },
};
static const struct pk_table table = { "merge_t", cols, 6, 0 };
static const struct pk_table nokey = { "merge_nokey", cols, 6, 0 };

static int setup(void **state)
{
	int rc = tu_setup(state, "merge");
	if (rc == 0)
		tu_exec(((struct tu_fx *)*state)->db_path,
		        "CREATE TABLE merge_t (k INTEGER NOT NULL, name TEXT NOT NULL, x REAL, "
		        "n INTEGER, note TEXT, extra TEXT, source_id INTEGER NOT NULL, "
		        "line INTEGER NOT NULL, PRIMARY KEY (k, name));"
		        "CREATE TABLE merge_nokey (k INTEGER NOT NULL, name TEXT NOT NULL, x REAL, "
		        "n INTEGER, note TEXT, extra TEXT, source_id INTEGER NOT NULL, "
		        "line INTEGER NOT NULL)");
	return rc;
}

static struct pk_value text(const char *s)
{
	return s ? pk_v_text(s, strlen(s)) : pk_v_null();
}

/* Stores the row (k 1, name "a", x, n, note, extra) from source 7, line;
 * when it was not added, merges it into m.  Returns *added. */
static int put(struct tu_fx *f, int64_t line, double x, struct pk_value n, const char *note,
               const char *extra, struct pk_merge *m)
{
	struct pk_value v[6] = { pk_v_int(1), text("a"), pk_v_real(x), n, text(note), text(extra) };
	int added = 0;
	assert_int_equal(pk_db_begin(f->db), PK_OK);
	assert_int_equal(pk_store_row(f->db, &table, 7, line, v, &added), PK_OK);
	*m = (struct pk_merge){ 0 };
	if (!added)
		assert_int_equal(pk_store_row_merge(f->db, &table, 7, line, v, m), PK_OK);
	assert_int_equal(pk_db_commit(f->db), PK_OK);
	return added;
}

static void test_row_merge(void **state)
{
	struct tu_fx *f = *state;
	struct pk_merge m;
	assert_int_equal(put(f, 1, NAN, pk_v_int(5), "first", NULL, &m), 1);

	/* the same key with x and extra: both filled, provenance kept */
	assert_int_equal(put(f, 2, 2.5, pk_v_int(5), "first", "{\"u\":1}", &m), 0);
	assert_int_equal(m.found, 1);
	assert_int_equal(m.stored_line, 1);
	assert_int_equal(m.completed, 2);
	assert_string_equal(m.filled[0], "x");
	assert_string_equal(m.filled[1], "extra");
	assert_int_equal(m.conflicting, 0);
	assert_string_equal(tu_q(f, "SELECT x || ' ' || n || ' ' || extra || ' ' || line "
	                        "FROM merge_t"), "2.5 5 {\"u\":1} 1");
	assert_string_equal(tu_q(f, "SELECT group_concat(kind || ':' || column_name || ':' || "
	                        "quote(stored_value) || ':' || quote(new_value) || ':' || "
	                        "stored_line || ':' || line, ' ') FROM record_merge"),
	                    "completed:x:NULL:2.5:1:2 completed:extra:NULL:'{\"u\":1}':1:2");

	/* equal values (an integer as a real, JSON with other spacing), or
	 * fewer fields: a plain duplicate, nothing recorded */
	assert_int_equal(put(f, 3, 2.5, pk_v_real(5.0), "first", "{ \"u\" : 1 }", &m), 0);
	assert_int_equal(m.completed + m.conflicting, 0);
	assert_int_equal(put(f, 4, NAN, pk_v_null(), NULL, NULL, &m), 0);
	assert_int_equal(m.completed + m.conflicting, 0);
	assert_string_equal(tu_q(f, "SELECT count(*) FROM record_merge"), "2");

	/* other values: the stored ones kept, both recorded, the first named */
	assert_int_equal(put(f, 5, 3.0, pk_v_int(6), "first", NULL, &m), 0);
	assert_int_equal(m.completed, 0);
	assert_int_equal(m.conflicting, 2);
	assert_string_equal(m.column, "x");
	assert_string_equal(m.stored, "2.5");
	assert_string_equal(m.given, "3.0");
	assert_string_equal(tu_q(f, "SELECT x || ' ' || n FROM merge_t"), "2.5 5");
	assert_string_equal(tu_q(f, "SELECT group_concat(column_name || ':' || quote(stored_value) "
	                        "|| ':' || quote(new_value), ' ') FROM record_merge WHERE line = 5 "
	                        "AND kind = 'conflicting'"), "x:2.5:3.0 n:5:6");

	/* JSON objects merge by key: a new key completes, another value conflicts */
	assert_int_equal(put(f, 6, NAN, pk_v_null(), NULL, "{\"v\":[1, 2],\"u\":1}", &m), 0);
	assert_int_equal(m.completed, 1);
	assert_int_equal(m.conflicting, 0);
	assert_string_equal(tu_q(f, "SELECT extra FROM merge_t"), "{\"u\":1,\"v\":[1,2]}");
	assert_string_equal(tu_q(f, "SELECT quote(stored_value) FROM record_merge WHERE line = 6"),
	                    "'{\"u\":1}'");
	assert_int_equal(put(f, 7, NAN, pk_v_null(), NULL, "{\"u\":2}", &m), 0);
	assert_int_equal(m.conflicting, 1);
	assert_string_equal(m.column, "extra");
	assert_string_equal(m.key, "u");   /* the warning names the key and its values */
	assert_string_equal(m.stored, "1");
	assert_string_equal(m.given, "2");
	assert_string_equal(tu_q(f, "SELECT extra FROM merge_t"), "{\"u\":1,\"v\":[1,2]}");
	assert_int_equal(put(f, 8, NAN, pk_v_null(), NULL, "[1]", &m), 0);
	assert_int_equal(m.conflicting, 1);
	assert_string_equal(m.key, "");
	assert_string_equal(m.given, "[1]");
	/* a null is missing: a stored null is filled, a new null brings nothing */
	tu_exec(f->db_path, "UPDATE merge_t SET extra = '{\"u\":1,\"z\":null}'");
	assert_int_equal(put(f, 11, NAN, pk_v_null(), NULL, "{\"z\":3,\"q\":null}", &m), 0);
	assert_int_equal(m.completed, 1);
	assert_int_equal(m.conflicting, 0);
	assert_string_equal(tu_q(f, "SELECT extra FROM merge_t"), "{\"u\":1,\"z\":3}");
	assert_int_equal(put(f, 12, NAN, pk_v_null(), NULL, "{\"u\":null}", &m), 0);
	assert_int_equal(m.completed + m.conflicting, 0);

	/* long texts are shown from where they differ, shortened */
	char longer[128];
	snprintf(longer, sizeof longer, "first%s", "-and-then-a-long-tail-of-text-that-differs-here-X");
	assert_int_equal(put(f, 9, NAN, pk_v_null(), longer, NULL, &m), 0);
	assert_int_equal(m.conflicting, 1);
	assert_string_equal(m.stored, "first");
	assert_string_equal(m.given, "first-and-then-a-long-tail-of-text-t...");
	tu_exec(f->db_path, "UPDATE merge_t SET note = 'first-and-then-a-long-tail-of-text-"
	        "that-differs-here-Y'");
	assert_int_equal(put(f, 10, NAN, pk_v_null(), longer, NULL, &m), 0);
	assert_string_equal(m.stored, "...iffers-here-Y");
	assert_string_equal(m.given, "...iffers-here-X");
}

/* A table without a key made of its columns: the row was refused by the
 * database, not a duplicate (found 0). */
static void test_no_key(void **state)
{
	struct tu_fx *f = *state;
	struct pk_value v[6] = { pk_v_int(1), pk_v_null(), pk_v_real(1), pk_v_int(1),
	                         pk_v_null(), pk_v_null() };
	int added = 1;
	struct pk_merge m;
	assert_int_equal(pk_db_begin(f->db), PK_OK);
	assert_int_equal(pk_store_row(f->db, &nokey, 7, 1, v, &added), PK_OK);
	assert_int_equal(added, 0);   /* name NOT NULL */
	assert_int_equal(pk_store_row_merge(f->db, &nokey, 7, 1, v, &m), PK_OK);
	assert_int_equal(m.found, 0);
	assert_int_equal(pk_db_commit(f->db), PK_OK);
}

/* Hardware samples: a null metric filled from a later sample at the same
 * time marks its day dirty (the columnar copy is rebuilt from the rows). */
static void test_hw_merge(void **state)
{
	struct tu_fx *f = *state;
	size_t cpu, gpu;
	assert_non_null(pk_hw_metric_find("cpu.percent_total", &cpu));
	assert_non_null(pk_hw_metric_find("gpu.utilization_percent", &gpu));
	double v[64];
	assert_true(pk_hw_nmetrics <= 64);
	for (size_t i = 0; i < pk_hw_nmetrics; i++)
		v[i] = NAN;
	v[cpu] = 10;
	struct pk_hw_record r = { .ts_us = 1735725600000000, .line = 1, .v = v };
	int64_t pid;
	int added;
	struct pk_merge m;
	assert_int_equal(pk_db_begin(f->db), PK_OK);
	assert_int_equal(pk_store_samples_begin(f->db), PK_OK);
	assert_int_equal(pk_store_profile(f->db, "m1", &pid), PK_OK);
	assert_int_equal(pk_store_hw_sample(f->db, pid, 7, &r, &added), PK_OK);
	assert_int_equal(added, 1);
	assert_int_equal(pk_store_samples_end(f->db), PK_OK);
	assert_int_equal(pk_db_commit(f->db), PK_OK);
	assert_string_equal(tu_q(f, "SELECT count(*) FROM hw_chunk_dirty"), "0");

	v[gpu] = 55;
	r.line = 2;
	assert_int_equal(pk_db_begin(f->db), PK_OK);
	assert_int_equal(pk_store_hw_sample(f->db, pid, 8, &r, &added), PK_OK);
	assert_int_equal(added, 0);
	assert_int_equal(pk_store_hw_merge(f->db, pid, 8, &r, &m), PK_OK);
	assert_int_equal(m.found, 1);
	assert_int_equal(m.stored_source_id, 7);
	assert_int_equal(m.completed, 1);
	assert_string_equal(m.filled[0], "gpu_utilization_percent");
	v[cpu] = 12;
	r.line = 3;
	assert_int_equal(pk_store_hw_merge(f->db, pid, 8, &r, &m), PK_OK);
	assert_int_equal(m.completed, 0);
	assert_int_equal(m.conflicting, 1);
	assert_string_equal(m.column, "cpu_percent_total");
	assert_int_equal(pk_db_commit(f->db), PK_OK);
	assert_string_equal(tu_q(f, "SELECT cpu_percent_total || ' ' || gpu_utilization_percent "
	                        "|| ' ' || source_id FROM hw_sample"), "10.0 55.0 7");
	assert_string_equal(tu_q(f, "SELECT count(*) FROM hw_chunk_dirty"), "1");
	int64_t days;
	assert_int_equal(pk_db_begin(f->db), PK_OK);
	assert_int_equal(pk_store_repair(f->db, &days), PK_OK);
	assert_int_equal(pk_db_commit(f->db), PK_OK);
	assert_int_equal(days, 1);

	/* a sample at another time is not stored: nothing found */
	r.ts_us += 1;
	assert_int_equal(pk_store_hw_merge(f->db, pid, 8, &r, &m), PK_OK);
	assert_int_equal(m.found, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_row_merge, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_no_key, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_hw_merge, setup, tu_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
