/* test_gpu_sys_series.c - unit tests of core/query_gpu_sys.c: nvidia-smi
 * (gpu_sample) and sysstat (sys_sample) rows read as hardware series on
 * the registry's metric names: each mapping, missing stays missing, the
 * lowest GPU index stands for the machine, rows of one time from both
 * tables make one sample, aliases both ways, F1 samples merged in (F1
 * first for the metrics it has), and the count and time range the
 * analyses' windows come from. */
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
#include "core/query_gpu_sys.h"
#include "tests/unit/testutil.h"

static int setup(void **state)
{
	return tu_setup(state, "gpu_sys_series");
}

/* Rows written by SQL, as a reader would have stored them: machine "gpu1"
 * with two GPUs at t=1000 and one at t=3000, host "box" (sysstat) at
 * t=1000 and t=2000; "box" is an alias of "gpu1". */
static const char rows_sql[] =
	"INSERT INTO source_file (id, path, format, size, mtime_ns, head_hash, tail_hash, read_offset, "
	"read_lines, first_read, last_read) "
	"VALUES (1, 'n.csv', 'nvidia_smi', 1, 0, 0, 0, 1, 3, 0, 0), "
	"(2, 's.json', 'sadf_json', 1, 0, 0, 0, 1, 9, 0, 0);"
	"INSERT INTO gpu_sample (profile, ts_us, gpu_index, utilization_gpu_percent, "
	"utilization_memory_percent, memory_used_mib, memory_total_mib, temperature_gpu_c, "
	"power_draw_w, source_id, line) VALUES "
	"('gpu1', 1000, 1, 99, 99, 99, 100, 99, 99, 1, 3),"
	"('gpu1', 1000, 0, 40, 10, 1500, 8192, 55, NULL, 1, 2),"
	"('gpu1', 3000, 0, 60, 20, 2000, NULL, 65, 120.5, 1, 4);"
	"INSERT INTO sys_sample (profile, ts_us, cpu_idle, ldavg_1, mem_used_kb, mem_avail_kb, "
	"mem_used_percent, source_id, line) VALUES "
	"('box', 1000, 75, 1.5, 2097152, 1048576, 40, 2, 5),"
	"('box', 2000, NULL, 2.5, 1048576, NULL, 20, 2, 7);"
	"INSERT INTO profile_alias (alias, profile) VALUES ('box', 'gpu1');";

static double at(const struct pk_hw_series *s, const char *metric, size_t i)
{
	size_t m;
	assert_non_null(pk_hw_metric_find(metric, &m));
	return s->v[m][i];
}

static void test_mapping_and_merge(void **state)
{
	struct tu_fx *f = *state;
	tu_exec(f->db_path, rows_sql);
	struct pk_hw_series s;
	/* by either name: the alias joins both tables */
	const char *names[] = { "gpu1", "box" };
	for (int k = 0; k < 2; k++) {
		assert_int_equal(pk_query_hw_series(f->db, names[k], 0, 10000, &s), PK_OK);
		assert_int_equal(s.n, 3);
		assert_int_equal(s.ts_us[0], 1000);
		assert_int_equal(s.ts_us[1], 2000);
		assert_int_equal(s.ts_us[2], 3000);
		/* t=1000: GPU 0 (not GPU 1) and the sysstat row, one sample */
		assert_float_equal(at(&s, "gpu.utilization_percent", 0), 40, 0);
		assert_float_equal(at(&s, "gpu.memory_utilization_percent", 0), 10, 0);
		assert_float_equal(at(&s, "gpu.memory_used_mb", 0), 1500, 0);
		assert_float_equal(at(&s, "gpu.memory_free_mb", 0), 8192 - 1500, 0);
		assert_float_equal(at(&s, "gpu.temperature_celsius", 0), 55, 0);
		assert_true(isnan(at(&s, "gpu.power_draw_watts", 0)));
		assert_float_equal(at(&s, "cpu.percent_total", 0), 25, 1e-12);
		assert_float_equal(at(&s, "cpu.load_average_1min", 0), 1.5, 0);
		assert_float_equal(at(&s, "memory.used_gb", 0), 2, 1e-12);
		assert_float_equal(at(&s, "memory.available_gb", 0), 1, 1e-12);
		assert_float_equal(at(&s, "memory.percent", 0), 40, 0);
		/* metrics neither table has are missing, never 0 */
		assert_true(isnan(at(&s, "cpu.frequency_current_mhz", 0)));
		assert_true(isnan(at(&s, "inference_timing.wake_word_latency_ms.mean", 0)));
		/* t=2000: sysstat only; a NULL idle is a missing CPU, not 100 % */
		assert_true(isnan(at(&s, "cpu.percent_total", 1)));
		assert_true(isnan(at(&s, "memory.available_gb", 1)));
		assert_true(isnan(at(&s, "gpu.utilization_percent", 1)));
		assert_float_equal(at(&s, "memory.used_gb", 1), 1, 1e-12);
		/* t=3000: GPU only; no total, so no free memory */
		assert_true(isnan(at(&s, "gpu.memory_free_mb", 2)));
		assert_float_equal(at(&s, "gpu.power_draw_watts", 2), 120.5, 0);
		assert_true(isnan(at(&s, "memory.percent", 2)));
		pk_hw_series_free(&s);
	}
	/* the window bounds */
	assert_int_equal(pk_query_hw_series(f->db, "gpu1", 1500, 2500, &s), PK_OK);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.ts_us[0], 2000);
	pk_hw_series_free(&s);
	/* count of distinct times and the range */
	struct pk_profile_info pi;
	assert_int_equal(pk_query_profile(f->db, "box", &pi), PK_OK);
	assert_int_equal(pi.samples, 3);
	assert_int_equal(pi.first_us, 1000);
	assert_int_equal(pi.last_us, 3000);
	free(pi.name);
	assert_int_equal(pk_query_profile(f->db, "nobody", &pi), PK_NODATA);
	free(pi.name);
}

static void test_f1_samples_merged(void **state)
{
	struct tu_fx *f = *state;
	tu_exec(f->db_path, rows_sql);
	/* F1 samples of gpu1 at t=1000 and t=2000 with GPU utilisation and CPU
	 * frequency: for those metrics F1 is the source, for the others
	 * nvidia-smi and sysstat (a metric comes from one kind of source) */
	tu_exec(f->db_path,
	        "INSERT INTO profile (id, name) VALUES (7, 'gpu1');"
	        "INSERT INTO hw_sample (profile_id, ts_us, source_id, line, gpu_utilization_percent, "
	        "cpu_frequency_current_mhz) VALUES (7, 1000, 1, 9, 33, 2400), (7, 2000, 1, 10, 34, NULL);");
	/* (rows written by SQL: the triggers mark their day dirty, read from hw_sample) */
	struct pk_hw_series s;
	assert_int_equal(pk_query_hw_series(f->db, "gpu1", 0, 10000, &s), PK_OK);
	assert_int_equal(s.n, 3);
	assert_float_equal(at(&s, "gpu.utilization_percent", 0), 33, 0);
	assert_float_equal(at(&s, "cpu.frequency_current_mhz", 0), 2400, 0);
	assert_float_equal(at(&s, "gpu.temperature_celsius", 0), 55, 0);
	assert_float_equal(at(&s, "cpu.percent_total", 0), 25, 1e-12);
	assert_float_equal(at(&s, "gpu.utilization_percent", 1), 34, 0);
	assert_float_equal(at(&s, "memory.used_gb", 1), 1, 1e-12);
	/* t=3000: the GPU's utilisation is F1's metric in this window, so the
	 * nvidia-smi value is not used; its temperature is */
	assert_true(isnan(at(&s, "gpu.utilization_percent", 2)));
	assert_float_equal(at(&s, "gpu.temperature_celsius", 2), 65, 0);
	pk_hw_series_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_mapping_and_merge, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_f1_samples_merged, setup, tu_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
