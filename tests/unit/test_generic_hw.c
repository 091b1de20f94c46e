/* test_generic_hw.c - unit tests of core/query_generic_hw.c: F8 generic
 * records whose metric paths are registry names read as a machine's
 * hardware series: only registry names join (exact names), missing stays
 * missing, a source without a registry name is no machine, an alias puts a
 * generic source and an nvidia-smi log onto one profile (nvidia-smi first
 * at the same time), F1 samples first for the metrics they have, and the
 * count, time range and source files the analyses' windows come from.
 * The expected values are the numbers written into the records below. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/metrics.h"
#include "core/query.h"
#include "core/query_profile.h"
#include "tests/unit/testutil.h"

static int setup(void **state)
{
	return tu_setup(state, "generic_hw");
}

/* Records written by SQL, as perfingest --format generic would have stored
 * them (the triggers mark their hours dirty: read from generic_record).
 * host1 (psutil-style) at t=1000, 2000, 3000; pipeline has no registry
 * name; nvidia-smi machine "laptop" at t=2000 and t=4000. */
static const char rows_sql[] =
	"INSERT INTO source_file (id, path, format, size, mtime_ns, head_hash, tail_hash, read_offset, "
	"read_lines, first_read, last_read) "
	"VALUES (1, 'host1.jsonl', 'generic', 1, 0, 0, 0, 1, 3, 0, 0), "
	"(2, 'n.csv', 'nvidia_smi', 1, 0, 0, 0, 1, 2, 0, 0), "
	"(3, 'p.jsonl', 'generic', 1, 0, 0, 0, 1, 1, 0, 0);"
	"INSERT INTO generic_record (source, ts_us, record, source_id, line) VALUES "
	"('host1', 1000, '{\"cpu\": {\"percent_total\": 40.5, \"percent\": 1}, "
	"\"memory\": {\"used_gb\": 3.1}, \"gpu\": {\"temperature_celsius\": 60}, "
	"\"disk\": {\"read_mb_s\": 7}}', 1, 1),"
	"('host1', 2000, '{\"cpu\": {\"percent_total\": null}, \"memory\": {\"used_gb\": 3.25}, "
	"\"gpu\": {\"temperature_celsius\": 70}}', 1, 2),"
	"('host1', 3000, '{\"cpu\": {\"percent_total\": 55}, \"note\": \"text\"}', 1, 3),"
	"('pipeline', 1500, '{\"fps\": 30}', 3, 1);"
	"INSERT INTO generic_metric (source, metric) VALUES ('host1', 'cpu.percent_total'), "
	"('host1', 'cpu.percent'), ('host1', 'memory.used_gb'), "
	"('host1', 'gpu.temperature_celsius'), ('host1', 'disk.read_mb_s'), ('pipeline', 'fps');"
	"INSERT INTO gpu_sample (profile, ts_us, gpu_index, utilization_gpu_percent, "
	"temperature_gpu_c, source_id, line) VALUES "
	"('laptop', 2000, 0, 50, 55, 2, 1), ('laptop', 4000, 0, 52, 57, 2, 2);";

static double at(const struct pk_hw_series *s, const char *metric, size_t i)
{
	size_t m;
	assert_non_null(pk_hw_metric_find(metric, &m));
	return s->v[m][i];
}

static void test_registry_names_join(void **state)
{
	struct tu_fx *f = *state;
	tu_exec(f->db_path, rows_sql);
	struct pk_hw_series s;
	assert_int_equal(pk_query_hw_series(f->db, "host1", 0, 10000, &s), PK_OK);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.ts_us[0], 1000);
	assert_int_equal(s.ts_us[2], 3000);
	assert_float_equal(at(&s, "cpu.percent_total", 0), 40.5, 0);
	assert_true(isnan(at(&s, "cpu.percent_total", 1)));   /* null: missing */
	assert_float_equal(at(&s, "cpu.percent_total", 2), 55, 0);
	assert_float_equal(at(&s, "memory.used_gb", 0), 3.1, 0);
	assert_float_equal(at(&s, "memory.used_gb", 1), 3.25, 0);
	assert_true(isnan(at(&s, "memory.used_gb", 2)));
	assert_float_equal(at(&s, "gpu.temperature_celsius", 1), 70, 0);
	/* no value is made up for the metrics the records do not name */
	for (size_t i = 0; i < s.n; i++)
		assert_true(isnan(at(&s, "memory.percent", i)));
	pk_hw_series_free(&s);
	/* the window limits the records */
	assert_int_equal(pk_query_hw_series(f->db, "host1", 1500, 2500, &s), PK_OK);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.ts_us[0], 2000);
	pk_hw_series_free(&s);

	struct pk_profile_info pi;
	assert_int_equal(pk_query_profile(f->db, "host1", &pi), PK_OK);
	assert_int_equal(pi.samples, 3);
	assert_int_equal(pi.first_us, 1000);
	assert_int_equal(pi.last_us, 3000);
	free(pi.name);
	/* a source without any registry name is not a machine */
	assert_int_equal(pk_query_profile(f->db, "pipeline", &pi), PK_NODATA);
	free(pi.name);
	assert_int_equal(pk_query_hw_series(f->db, "pipeline", 0, 10000, &s), PK_OK);
	assert_int_equal(s.n, 0);
	pk_hw_series_free(&s);
	/* its file is the machine's source */
	struct pk_profile_source *src;
	size_t nsrc;
	assert_int_equal(pk_query_profile_sources(f->db, "host1", 0, 10000, &src, &nsrc), PK_OK);
	assert_int_equal(nsrc, 1);
	assert_string_equal(src[0].path, "host1.jsonl");
	assert_int_equal(src[0].samples, 3);
	pk_profile_sources_free(src, nsrc);
}

static void test_alias_with_nvidia_smi(void **state)
{
	struct tu_fx *f = *state;
	tu_exec(f->db_path, rows_sql);
	tu_exec(f->db_path, "INSERT INTO profile_alias (alias, profile) VALUES ('host1', 'laptop');");
	const char *names[] = { "laptop", "host1" };
	for (int k = 0; k < 2; k++) {
		struct pk_hw_series s;
		assert_int_equal(pk_query_hw_series(f->db, names[k], 0, 10000, &s), PK_OK);
		assert_int_equal(s.n, 4);
		int64_t want_t[] = { 1000, 2000, 3000, 4000 };
		for (size_t i = 0; i < 4; i++)
			assert_int_equal(s.ts_us[i], want_t[i]);
		/* t=2000: one sample, GPU from nvidia-smi (first at one time),
		 * memory from the generic record */
		assert_float_equal(at(&s, "gpu.utilization_percent", 1), 50, 0);
		assert_float_equal(at(&s, "gpu.temperature_celsius", 1), 55, 0);
		assert_float_equal(at(&s, "memory.used_gb", 1), 3.25, 0);
		assert_float_equal(at(&s, "gpu.temperature_celsius", 0), 60, 0);
		assert_float_equal(at(&s, "gpu.temperature_celsius", 3), 57, 0);
		pk_hw_series_free(&s);
		struct pk_profile_info pi;
		assert_int_equal(pk_query_profile(f->db, names[k], &pi), PK_OK);
		assert_int_equal(pi.samples, 4);   /* distinct times */
		assert_int_equal(pi.first_us, 1000);
		assert_int_equal(pi.last_us, 4000);
		free(pi.name);
	}
}

static void test_f1_first(void **state)
{
	struct tu_fx *f = *state;
	tu_exec(f->db_path, rows_sql);
	/* F1 samples of host1 with CPU utilisation: F1 is the source of that
	 * metric in the window, the generic records of the others */
	tu_exec(f->db_path,
	        "INSERT INTO profile (id, name) VALUES (7, 'host1');"
	        "INSERT INTO hw_sample (profile_id, ts_us, source_id, line, cpu_percent_total) "
	        "VALUES (7, 1000, 1, 9, 11), (7, 1500, 1, 10, 12);");
	struct pk_hw_series s;
	assert_int_equal(pk_query_hw_series(f->db, "host1", 0, 10000, &s), PK_OK);
	assert_int_equal(s.n, 3);   /* 1000, 1500, 2000 (3000 had only CPU) */
	assert_float_equal(at(&s, "cpu.percent_total", 0), 11, 0);
	assert_float_equal(at(&s, "memory.used_gb", 0), 3.1, 0);
	assert_float_equal(at(&s, "cpu.percent_total", 1), 12, 0);
	assert_int_equal(s.ts_us[2], 2000);
	assert_true(isnan(at(&s, "cpu.percent_total", 2)));
	assert_float_equal(at(&s, "memory.used_gb", 2), 3.25, 0);
	pk_hw_series_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_registry_names_join, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_alias_with_nvidia_smi, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_f1_first, setup, tu_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
