/* test_generic_table.c - unit tests of a generic source that is no machine
 * analysed like a hardware profile: core/query_generic_table.c (every path
 * joined on the record times, missing stays missing, registry names keep
 * their entry, other paths unit unknown and neutral),
 * analyze/compare.c's pk_analyze_view / pk_compare_views (the metrics both
 * sides share, neutral verdicts) and analyze/quality.c's pk_quality_view,
 * against tests/fixtures/generic_analysis/reference.txt (Python's
 * statistics module: make_reference.py). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/compare.h"
#include "analyze/generic_source.h"
#include "analyze/quality.h"
#include "core/db.h"
#include "core/metrics.h"
#include "core/query_generic_table.h"
#include "tests/unit/testutil.h"

#define REFERENCE "../fixtures/generic_analysis/reference.txt"

static int setup(void **state)
{
	return tu_setup(state, "generic_table");
}

/* The records of make_reference.py (times in s from 2025-12-14T00:00:00Z),
 * as perfingest --format generic stores them; stages_b shares latency_ms
 * only; "when" is a registry name (memory.percent) in neither. */
static const char rows_sql[] =
	"INSERT INTO source_file (id, path, format, size, mtime_ns, head_hash, tail_hash, read_offset, "
	"read_lines, first_read, last_read) VALUES (1, 'stages.jsonl', 'generic', 1, 0, 0, 0, 1, 11, 0, 0),"
	"(2, 'b.jsonl', 'generic', 1, 0, 0, 0, 1, 6, 0, 0);"
	"INSERT INTO reject (source_id, line, reason, raw, raw_size) VALUES (1, 11, 'no time', 'x', 1);"
	"INSERT INTO generic_record (source, ts_us, record, source_id, line) VALUES "
	"('stages', 1765670400000000, '{\"latency_ms\": 12.5, \"queue\": {\"depth\": 3}, \"stage\": \"ocr\"}', 1, 1),"
	"('stages', 1765670401000000, '{\"latency_ms\": 14.0}', 1, 2),"
	"('stages', 1765670402000000, '{\"latency_ms\": null, \"queue\": {\"depth\": 4}}', 1, 3),"
	"('stages', 1765670403000000, '{\"latency_ms\": 13.25, \"queue\": {\"depth\": 4}}', 1, 4),"
	"('stages', 1765670404000000, '{\"latency_ms\": 30, \"queue\": {\"depth\": 9}}', 1, 5),"
	"('stages', 1765670405000000, '{\"latency_ms\": 12, \"queue\": {\"depth\": 2}}', 1, 6),"
	"('stages', 1765670406000000, '{\"latency_ms\": 12.75, \"queue\": {\"depth\": 3}}', 1, 7),"
	"('stages', 1765670407000000, '{\"latency_ms\": 13.5, \"queue\": {}}', 1, 8),"
	"('stages', 1765670420000000, '{\"latency_ms\": 15, \"queue\": {\"depth\": 5}}', 1, 9),"
	"('stages', 1765670421000000, '{\"latency_ms\": 12.25, \"queue\": {\"depth\": 3}}', 1, 10),"
	"('stages_b', 1765670400000000, '{\"latency_ms\": 40, \"memory\": {\"percent\": 5}}', 2, 1),"
	"('stages_b', 1765670401000000, '{\"latency_ms\": 42.5}', 2, 2),"
	"('stages_b', 1765670402000000, '{\"latency_ms\": 41}', 2, 3),"
	"('stages_b', 1765670403000000, '{\"latency_ms\": 39.5}', 2, 4),"
	"('stages_b', 1765670404000000, '{\"latency_ms\": 44}', 2, 5),"
	"('stages_b', 1765670405000000, '{\"latency_ms\": 40.5}', 2, 6);"
	"INSERT INTO generic_metric (source, metric) VALUES ('stages', 'latency_ms'), "
	"('stages', 'queue.depth'), ('stages_b', 'latency_ms'), ('stages_b', 'memory.percent');";

/* The S line of the reference named `name`: count, mean, median, sd, min,
 * max, p95, p99 into v[0..8). */
static void reference(const char *name, double v[8])
{
	FILE *in = fopen(REFERENCE, "r");
	assert_non_null(in);
	char *line = NULL;
	size_t cap = 0;
	int found = 0;
	while (!found && getline(&line, &cap, in) > 0) {
		line[strcspn(line, "\r\n")] = '\0';
		char *f[12];
		size_t nf = tu_split(line, '|', f, 12);
		if (nf == 10 && strcmp(f[0], "S") == 0 && strcmp(f[1], name) == 0) {
			for (int i = 0; i < 8; i++)
				v[i] = strtod(f[2 + i], NULL);
			found = 1;
		}
	}
	free(line);
	fclose(in);
	assert_true(found);
}

static void check_summary(const char *name, const struct pk_summary *s)
{
	double r[8];
	reference(name, r);
	assert_int_equal(s->count, (size_t)r[0]);
	tu_near("mean", name, s->mean, r[1]);
	tu_near("median", name, s->median, r[2]);
	tu_near("stdev", name, s->stdev, r[3]);
	tu_near("min", name, s->min, r[4]);
	tu_near("max", name, s->max, r[5]);
	tu_near("p95", name, s->p95, r[6]);
	tu_near("p99", name, s->p99, r[7]);
}

static void test_table(void **state)
{
	struct tu_fx *f = *state;
	tu_exec(f->db_path, rows_sql);
	struct pk_generic_table t;
	assert_int_equal(pk_query_generic_table(f->db, "stages", INT64_MIN, INT64_MAX, &t), PK_OK);
	assert_int_equal(t.n, 10);
	assert_int_equal(t.nmetrics, 2);
	assert_string_equal(t.metrics[0].name, "latency_ms");
	assert_string_equal(t.metrics[1].name, "queue.depth");
	assert_true(t.metrics[0].flags & PK_METRIC_UNREGISTERED);
	assert_int_equal(t.metrics[0].direction, PK_NEUTRAL);
	assert_string_equal(t.metrics[0].unit, "");
	assert_true(isnan(t.v[0][2]));            /* null: missing */
	assert_float_equal(t.v[1][2], 4, 0);
	assert_true(isnan(t.v[1][1]));            /* no such path in the record */
	assert_true(isnan(t.v[1][7]));            /* an empty object */
	assert_int_equal(t.ts_us[8], 1765670420000000);
	pk_generic_table_free(&t);
	/* a registry name keeps its entry */
	assert_int_equal(pk_query_generic_table(f->db, "stages_b", INT64_MIN, INT64_MAX, &t), PK_OK);
	assert_int_equal(t.nmetrics, 2);
	assert_string_equal(t.metrics[1].name, "memory.percent");
	assert_string_equal(t.metrics[1].unit, "%");
	assert_false(t.metrics[1].flags & PK_METRIC_UNREGISTERED);
	pk_generic_table_free(&t);
	/* a window */
	assert_int_equal(pk_query_generic_table(f->db, "stages", 1765670402000000,
	                                        1765670404000000, &t), PK_OK);
	assert_int_equal(t.n, 3);
	pk_generic_table_free(&t);
	/* record count and range; an unknown source has none */
	struct pk_profile_info info;
	assert_int_equal(pk_query_generic_info(f->db, "stages", &info), PK_OK);
	assert_int_equal(info.samples, 10);
	assert_int_equal(info.first_us, 1765670400000000);
	assert_int_equal(info.last_us, 1765670421000000);
	assert_int_equal(pk_query_generic_info(f->db, "nobody", &info), PK_NODATA);
	/* not a machine: stages_b's memory.percent makes it one */
	assert_true(pk_generic_only(f->db, "stages"));
	assert_false(pk_generic_only(f->db, "stages_b"));
	assert_false(pk_generic_only(f->db, "nobody"));
}

static void test_analyze_and_quality(void **state)
{
	struct tu_fx *f = *state;
	tu_exec(f->db_path, rows_sql);
	struct pk_generic_load g;
	struct pk_buf err = PK_BUF_INIT;
	assert_int_equal(pk_load_generic_window(f->db, "stages", 0, INT64_MIN, &g, &err), PK_OK);
	struct pk_analysis a;
	assert_int_equal(pk_analyze_view("stages", &g.w, &g.view, &a), PK_OK);
	assert_int_equal(a.samples, 10);
	assert_int_equal(a.nmetrics, 2);
	check_summary("latency_ms", &a.metrics[0].s);
	check_summary("queue.depth", &a.metrics[1].s);
	assert_true(a.quality.irregular);        /* the 13 s gap */
	assert_non_null(a.quality.tw_mean);
	assert_int_equal(pk_generic_quality_add_sources(f->db, "stages", &g.w, &a.quality), PK_OK);
	assert_int_equal(a.quality.source_files, 1);
	assert_int_equal(a.quality.lines_read, 11);
	assert_int_equal(a.quality.rejects, 1);
	pk_analysis_free(&a);

	struct pk_quality q;
	assert_int_equal(pk_quality_view("stages", &g.w, &g.view, &q), PK_OK);
	FILE *in = fopen(REFERENCE, "r");
	assert_non_null(in);
	char *line = NULL;
	size_t cap = 0;
	double r[5] = { NAN, NAN, NAN, NAN, NAN };
	while (getline(&line, &cap, in) > 0) {
		line[strcspn(line, "\r\n")] = '\0';
		char *fl[8];
		if (tu_split(line, '|', fl, 8) == 6 && strcmp(fl[0], "Q") == 0)
			for (int i = 0; i < 5; i++)
				r[i] = strtod(fl[1 + i], NULL);
	}
	free(line);
	fclose(in);
	assert_int_equal(q.samples, (size_t)r[0]);
	tu_near("interval", "quality", q.iv.median_s, r[1]);
	assert_int_equal(q.ngaps, (size_t)r[2]);
	tu_near("gap_s", "quality", q.gap_s, r[3]);
	assert_int_equal(q.missing_intervals, (int64_t)r[4]);
	/* every path outside the registry is detailed */
	assert_int_equal(q.nmetrics, 2);
	assert_int_equal(q.metrics[0].present, 9);
	assert_int_equal(q.metrics[0].missing, 1);
	assert_int_equal(q.metrics[1].present, 8);
	pk_quality_free(&q);
	pk_generic_load_free(&g);
	/* an empty window says so */
	assert_int_equal(pk_load_generic_window(f->db, "stages", 1, 1765000000000000, &g, &err),
	                 PK_NODATA);
	assert_non_null(strstr(err.data, "no values of generic source 'stages'"));
	pk_buf_free(&err);
}

static void test_compare_shared(void **state)
{
	struct tu_fx *f = *state;
	tu_exec(f->db_path, rows_sql);
	struct pk_generic_load ga, gb;
	struct pk_buf err = PK_BUF_INIT;
	assert_int_equal(pk_load_generic_window(f->db, "stages", 0, INT64_MIN, &ga, &err), PK_OK);
	assert_int_equal(pk_load_generic_window(f->db, "stages_b", 0, INT64_MIN, &gb, &err), PK_OK);
	struct pk_compare c;
	assert_int_equal(pk_compare_views("stages", &ga.w, &ga.view, "stages_b", &gb.w, &gb.view,
	                                  &c), PK_OK);
	/* latency_ms only: queue.depth and memory.percent are on one side */
	assert_int_equal(c.nmetrics, 1);
	assert_string_equal(c.metrics[0].metric->name, "latency_ms");
	check_summary("latency_ms", &c.metrics[0].a);
	check_summary("b.latency_ms", &c.metrics[0].b);
	double ra[8], rb[8];
	reference("latency_ms", ra);
	reference("b.latency_ms", rb);
	tu_near("diff", "compare", c.metrics[0].diff, rb[1] - ra[1]);
	/* a path outside the registry: neutral, B higher (p far below alpha) */
	assert_true(c.metrics[0].welch_p_adjusted < PK_ALPHA);
	assert_int_equal(c.metrics[0].verdict, PK_VERDICT_HIGHER);
	assert_non_null(c.quality_a.tw_mean);    /* one per compared metric */
	pk_compare_free(&c);
	pk_generic_load_free(&ga);
	pk_generic_load_free(&gb);
	pk_buf_free(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_table, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_analyze_and_quality, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_compare_shared, setup, tu_teardown),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	return failed || tu_failures ? 1 : 0;
}
