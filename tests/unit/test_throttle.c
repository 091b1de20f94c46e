/* test_throttle.c - analyze/throttle.c against an independent numpy/scipy
 * implementation of throttle.h (../fixtures/quality/reference.txt, H and E
 * records from make_reference.py), plus the threshold choice (option,
 * registry through an alias, default) over a database built with SQL.
 *
 * Tolerance: |got - expected| <= 1e-9 |expected| + 1e-12; an expected "nan"
 * requires a NAN. */
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

#include "analyze/throttle.h"
#include "core/db.h"
#include "core/metrics.h"
#include "tests/unit/testutil.h"

#define REFERENCE "../fixtures/quality/reference.txt"

/* A series of ts with every metric missing except temperature, CPU
 * frequency and GPU utilisation. */
static void make_series(struct pk_hw_series *s, const int64_t *ts, size_t n,
                        const double *temp, const double *freq, const double *util)
{
	const char *const names[] = { "gpu.temperature_celsius", "cpu.frequency_current_mhz",
	                              "gpu.utilization_percent" };
	const double *const x[] = { temp, freq, util };
	tu_series(s, ts, n, names, x, 3);
}

static void check_drop(const char *c, const char *which, const struct pk_throttle_drop *d,
                       const double *e)
{
	char what[64];
	snprintf(what, sizeof what, "%s baseline_n", which);
	tu_same_int(what, c, (long long)d->baseline_n, (long long)e[0]);
	snprintf(what, sizeof what, "%s episode_n", which);
	tu_same_int(what, c, (long long)d->episode_n, (long long)e[1]);
	static const char *names[] = { "baseline", "episode", "drop", "drop_pct", "p" };
	double got[] = { d->baseline, d->episode, d->drop, d->drop_pct, d->p };
	for (size_t i = 0; i < 5; i++) {
		snprintf(what, sizeof what, "%s %s", which, names[i]);
		tu_near(what, c, got[i], e[2 + i]);
	}
}

static void test_reference(void **state)
{
	(void)state;
	FILE *in = fopen(REFERENCE, "r");
	assert_non_null(in);
	char *line = NULL;
	size_t cap = 0, cases = 0, ep = 0;
	struct pk_throttle t = { 0 };
	char name[64] = "";
	while (getline(&line, &cap, in) > 0) {
		line[strcspn(line, "\r\n")] = '\0';
		char *f[16];
		size_t nf = tu_split(line, '|', f, 16);
		if (strcmp(f[0], "H") == 0) {
			assert_int_equal(nf, 8);
			if (t.profile)
				tu_same_int("episodes seen", name, (long long)ep, (long long)t.nepisodes);
			pk_throttle_free(&t);
			snprintf(name, sizeof name, "%s", f[1]);
			size_t n, n1, n2, n3, k;
			int64_t *ts = tu_times(f[3], &n);
			double *temp = tu_nums(f[4], &n1), *freq = tu_nums(f[5], &n2), *util = tu_nums(f[6], &n3);
			double *sum = tu_nums(f[7], &k);
			assert_true(n == n1 && n == n2 && n == n3 && k == 4);
			struct pk_hw_series s;
			make_series(&s, ts, n, temp, freq, util);
			struct pk_window w = { ts[0], ts[n - 1] };
			assert_int_equal(pk_throttle_series("p", &w, &s, strtod(f[2], NULL), &t), PK_OK);
			tu_same_int("episodes", name, (long long)t.nepisodes, (long long)sum[0]);
			tu_same_int("throttled", name, (long long)t.throttled, (long long)sum[1]);
			tu_same_int("hot", name, (long long)t.hot, (long long)sum[2]);
			tu_same_int("temp present", name, (long long)t.temp_present, (long long)sum[3]);
			pk_hw_series_free(&s);
			free(ts);
			free(temp);
			free(freq);
			free(util);
			free(sum);
			ep = 0;
			cases++;
		} else if (strcmp(f[0], "E") == 0) {
			assert_int_equal(nf, 3);
			size_t k;
			double *e = tu_nums(f[2], &k);
			assert_int_equal(k, 21);
			if (ep < t.nepisodes) {
				const struct pk_throttle_episode *x = &t.episodes[ep];
				tu_same_int("start", name, x->start_us, (long long)e[0]);
				tu_same_int("end", name, x->end_us, (long long)e[1]);
				tu_near("duration", name, x->duration_s, e[2]);
				tu_same_int("samples", name, (long long)x->samples, (long long)e[3]);
				tu_same_int("hot", name, (long long)x->hot, (long long)e[4]);
				tu_near("peak", name, x->peak_c, e[5]);
				check_drop(name, "freq", &x->freq, e + 6);
				check_drop(name, "util", &x->util, e + 13);
				tu_same_int("throttled", name, x->throttled, (long long)e[20]);
			}
			ep++;
			free(e);
		}
	}
	if (t.profile)
		tu_same_int("episodes seen", name, (long long)ep, (long long)t.nepisodes);
	pk_throttle_free(&t);
	free(line);
	fclose(in);
	assert_true(cases >= 3);
	assert_int_equal(tu_failures, 0);
}

static void test_bad_input(void **state)
{
	(void)state;
	struct pk_throttle t;
	struct pk_hw_series s = { 0 };
	struct pk_window w = { 0, 0 };
	assert_int_equal(pk_throttle_series("p", &w, &s, NAN, &t), PK_ERR_INPUT);
	assert_int_equal(pk_throttle_series("p", &w, &s, 80, &t), PK_OK);
	assert_int_equal(t.nepisodes, 0);
	pk_throttle_free(&t);
}

/* The threshold: --threshold wins; else the registry's temperature target
 * of the profile (named through an alias); else 80. */
static void test_threshold(void **state)
{
	(void)state;
	char dir[] = "/tmp/pk_test_throttle_XXXXXX";
	char path[128];
	tu_new_db(dir, path, sizeof path);
	struct pk_db *db = NULL;
	struct pk_buf err = PK_BUF_INIT;
	sqlite3 *s;
	assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s,
	    "INSERT INTO profile_alias VALUES ('lap_detected', 'lap_entry');"
	    "INSERT INTO registry_target (profile, metric, target, bound_key, bound, source_id, line) VALUES "
	    " ('lap_entry', 'whisper_latency_ms', 2000, 'acceptable_max', 3000, 1, 1),"
	    " ('lap_entry', 'cpu_temperature_c', 70, 'acceptable_max', 75, 1, 2),"
	    " ('lap_entry', 'gpu_temperature_celsius', 72, 'critical_threshold', 83, 1, 3),"
	    " ('desk', 'gpu_temp_c', 65, 'acceptable_min', 60, 1, 4);",
	    NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(s);
	assert_int_equal(pk_db_open(path, PK_DB_READONLY, &db, &err), PK_OK);
	struct pk_throttle_params p;
	assert_int_equal(pk_throttle_threshold(db, "lap_detected", 90, &p), PK_OK);
	assert_true(p.threshold_c == 90 && p.source == PK_THRESHOLD_OPTION);
	pk_throttle_params_free(&p);
	assert_int_equal(pk_throttle_threshold(db, "lap_detected", NAN, &p), PK_OK);
	assert_true(p.threshold_c == 83 && p.source == PK_THRESHOLD_REGISTRY);
	assert_string_equal(p.registry_metric, "gpu_temperature_celsius");
	assert_string_equal(p.registry_bound, "critical_threshold");
	pk_throttle_params_free(&p);
	assert_int_equal(pk_throttle_threshold(db, "desk", NAN, &p), PK_OK);
	assert_true(p.threshold_c == 65);   /* acceptable_min is no limit: the target */
	pk_throttle_params_free(&p);
	assert_int_equal(pk_throttle_threshold(db, "nobody", NAN, &p), PK_OK);
	assert_true(p.threshold_c == 80 && p.source == PK_THRESHOLD_DEFAULT);
	assert_string_equal(pk_threshold_source_str(p.source), "default");
	pk_throttle_params_free(&p);
	pk_buf_free(&err);
	pk_db_close(&db);
	tu_rm_rf(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_threshold),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
