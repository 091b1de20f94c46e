/* test_colstore.c - the columnar engine (core/colstore.c) through its two
 * kinds: a file whose samples jump between more days than the writer holds
 * open (the buffer is written out mid-file, accumulators out of time order),
 * then a second file with samples between the stored ones (merged into the
 * stored chunks); the series read back equals a scan of hw_sample, and
 * hw_chunk holds one chunk per day, no day dirty.  The same for F8 generic
 * records over more hours than the writer holds open. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/db.h"
#include "core/query.h"
#include "testutil.h"

#define DAYS 80            /* more than the hw writer's 4 open days */
#define DAY0 1735689600    /* 2025-01-01T00:00:00Z */

static int setup(void **state)
{
	return tu_setup_in(state, "colstore", 0755);
}

/* Writes one F1 line per day in a shuffled day order, at hour h of each
 * day, the value `base + day`. */
static void write_days(struct tu_fx *f, const char *name, int h, int base)
{
	struct pk_buf b = PK_BUF_INIT;
	for (int i = 0; i < DAYS; i++) {
		int d = (i * 37) % DAYS;   /* 37 is prime to DAYS: every day once */
		time_t t = DAY0 + (time_t)d * 86400 + h * 3600;
		struct tm tm;
		char iso[32];
		strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%S+00:00", gmtime_r(&t, &tm));
		assert_int_equal(pk_buf_printf(&b, "{\"timestamp\": \"%s\", \"cpu\": "
		                 "{\"percent_total\": %d}}\n", iso, base + d), PK_OK);
	}
	tu_write_text(tu_path(f, "%s", name), "w", b.data);
	pk_buf_free(&b);
}

/* pk_query_hw_series over everything equals hw_sample ordered by time. */
static void same_as_rows(struct tu_fx *f, size_t want)
{
	size_t cpu;
	assert_non_null(pk_hw_metric_find("cpu.percent_total", &cpu));
	struct pk_hw_series s = { 0 };
	assert_int_equal(pk_query_hw_series(f->db, "cs", INT64_MIN / 2, INT64_MAX / 2, &s), PK_OK);
	assert_int_equal(s.n, want);
	char sql[160];
	for (size_t i = 0; i < s.n; i++) {
		snprintf(sql, sizeof sql, "SELECT ts_us || ' ' || cpu_percent_total FROM hw_sample "
		         "ORDER BY ts_us LIMIT 1 OFFSET %zu", i);
		char got[64];
		snprintf(got, sizeof got, "%lld %.1f", (long long)s.ts_us[i], s.v[cpu][i]);
		assert_string_equal(got, tu_q(f, sql));
	}
	pk_hw_series_free(&s);
}

static void test_hw_days_out_of_order_and_merged(void **state)
{
	struct tu_fx *f = *state;
	write_days(f, "in/hardware_profile_cs.jsonl", 12, 1000);
	struct pk_ingest_result res = { 0 };
	assert_int_equal(tu_ingest(f, tu_path(f, "in"), (struct pk_ingest_opts){ 0 }, &res),
	                 PK_OK);
	pk_ingest_result_free(&res);
	assert_string_equal(tu_q(f, "SELECT count(*) || ' ' || sum(n) FROM hw_chunk"), "80 80");
	same_as_rows(f, DAYS);

	/* a second file of the same profile: a sample before and one after
	 * each stored one, merged into the stored day chunks */
	assert_int_equal(mkdir(tu_path(f, "b"), 0755), 0);
	assert_int_equal(mkdir(tu_path(f, "c"), 0755), 0);
	write_days(f, "b/hardware_profile_cs.jsonl", 6, 2000);
	write_days(f, "c/hardware_profile_cs.jsonl", 18, 3000);
	assert_int_equal(tu_ingest(f, tu_path(f, "b"), (struct pk_ingest_opts){ 0 }, &res),
	                 PK_OK);
	pk_ingest_result_free(&res);
	assert_int_equal(tu_ingest(f, tu_path(f, "c"), (struct pk_ingest_opts){ 0 }, &res),
	                 PK_OK);
	pk_ingest_result_free(&res);
	assert_string_equal(tu_q(f, "SELECT count(*) || ' ' || sum(n) FROM hw_chunk"), "80 240");
	assert_string_equal(tu_q(f, "SELECT count(*) FROM hw_chunk_dirty"), "0");
	same_as_rows(f, 3 * DAYS);
}

static void test_generic_hours_out_of_order(void **state)
{
	struct tu_fx *f = *state;
	/* 5000 hours (more than the generic writer's 4096 open chunks), two
	 * metrics each, in a shuffled hour order */
	enum { HOURS = 5000 };
	struct pk_buf b = PK_BUF_INIT;
	for (int i = 0; i < HOURS; i++) {
		int h = (int)(((long long)i * 2003) % HOURS);
		assert_int_equal(pk_buf_printf(&b, "{\"ts\": %lld, \"a\": %d, \"b\": {\"c\": %d}}\n",
		                 (long long)DAY0 + (long long)h * 3600 + 60, h, -h), PK_OK);
	}
	tu_write_text(tu_path(f, "in/g.jsonl"), "w", b.data);
	pk_buf_free(&b);
	struct pk_ingest_result res = { 0 };
	struct pk_ingest_opts o = { .format = "generic", .source_name = "gs" };
	assert_int_equal(tu_ingest(f, tu_path(f, "in/g.jsonl"), o, &res), PK_OK);
	pk_ingest_result_free(&res);
	assert_string_equal(tu_q(f, "SELECT count(*) || ' ' || sum(n) FROM generic_chunk"),
	                    "10000 10000");
	assert_string_equal(tu_q(f, "SELECT group_concat(metric, ',') FROM "
	                         "(SELECT metric FROM generic_metric ORDER BY metric)"), "a,b.c");
	struct pk_generic_series s = { 0 };
	assert_int_equal(pk_query_generic_series(f->db, "gs", "b.c", INT64_MIN / 2, INT64_MAX / 2,
	                                         &s), PK_OK);
	assert_int_equal(s.n, HOURS);
	for (size_t i = 0; i < s.n; i++) {
		assert_int_equal(s.ts_us[i], ((int64_t)DAY0 + (int64_t)i * 3600 + 60) * 1000000);
		assert_true(s.v[i] == -(double)i);
	}
	pk_generic_series_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hw_days_out_of_order_and_merged, setup,
		                                tu_teardown),
		cmocka_unit_test_setup_teardown(test_generic_hours_out_of_order, setup, tu_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
