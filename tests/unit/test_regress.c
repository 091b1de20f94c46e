/* test_regress.c - analyze/regress.c: the Hodges-Lehmann shift, its 95 %
 * confidence interval and the Mann-Whitney p against numpy/scipy
 * (../fixtures/regress/reference.txt, "H" records from make_reference.py),
 * the exact k-th pairwise difference against a brute-force sort, the
 * verdict table, and the whole analysis over a database built with
 * sqlite3 inserts (baselines by runs and by time, missing means, values
 * and directions).
 *
 * Tolerance: |got - expected| <= 1e-9 |expected| + 1e-13 max(|x|, |y|)
 * for the shift and the interval (a difference near 0 is only as exact as
 * the inputs' rounding); relative only for p-values. */
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

#include "analyze/regress.h"
#include "analyze/stats.h"
#include "tests/unit/testutil.h"

#define REFERENCE "../fixtures/regress/reference.txt"

static int close_enough(double got, double exp, double floor_abs)
{
	if (isnan(exp))
		return isnan(got);
	return !isnan(got) && fabs(got - exp) <= 1e-9 * fabs(exp) + floor_abs;
}

static void test_hl_reference(void **state)
{
	(void)state;
	FILE *f = fopen(REFERENCE, "r");
	assert_non_null(f);
	char *line = NULL;
	size_t cap = 0, cases = 0;
	int failures = 0;
	while (getline(&line, &cap, f) > 0) {
		if (line[0] != 'H')
			continue;
		line[strcspn(line, "\r\n")] = '\0';
		char *fld[8];
		size_t nf = tu_split(line, '|', fld, 8);
		assert_int_equal(nf, 8);
		size_t n, m;
		double *x = tu_nums(fld[2], &n), *y = tu_nums(fld[3], &m);
		assert_non_null(x);
		assert_non_null(y);
		assert_int_equal(pk_sort_doubles(x, n), 0);
		assert_int_equal(pk_sort_doubles(y, m), 0);
		double scale = fmax(fabs(x[0]), fabs(x[n - 1]));
		scale = fmax(scale, fmax(fabs(y[0]), fabs(y[m - 1])));
		double got[4], exp[4];
		pk_hodges_lehmann(x, n, y, m, &got[0], &got[1], &got[2]);
		got[3] = pk_mannwhitney_p(x, n, y, m);
		const char *key[4] = { "shift", "ci_low", "ci_high", "mw" };
		for (int k = 0; k < 4; k++) {
			exp[k] = strcmp(fld[4 + k], "nan") == 0 ? NAN : strtod(fld[4 + k], NULL);
			if (!close_enough(got[k], exp[k], k < 3 ? 1e-13 * scale : 0)) {
				failures++;
				print_error("%s: %s = %.17g, expected %.17g\n", fld[1], key[k], got[k], exp[k]);
			}
		}
		free(x);
		free(y);
		cases++;
	}
	free(line);
	fclose(f);
	assert_true(cases >= 10);
	assert_int_equal(failures, 0);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Every k-th difference of small samples (with ties and signs) against a
 * sort of all differences. */
static void test_pairdiff_exact(void **state)
{
	(void)state;
	uint64_t g = 12345;
	for (int rep = 0; rep < 200; rep++) {
		size_t n = 1 + (size_t)(rep % 7), m = 1 + (size_t)((rep / 7) % 9);
		double x[8], y[10], d[80];
		for (size_t i = 0; i < n + m; i++) {
			g = g * 6364136223846793005u + 1442695040888963407u;
			double v = (double)((int64_t)(g >> 40) % 21 - 10) / (rep % 2 ? 4 : 3);
			if (i < n)
				x[i] = v;
			else
				y[i - n] = v;
		}
		qsort(x, n, sizeof *x, cmp_double);
		qsort(y, m, sizeof *y, cmp_double);
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < m; j++)
				d[i * m + j] = x[i] - y[j];
		qsort(d, n * m, sizeof *d, cmp_double);
		for (size_t k = 1; k <= n * m; k++)
			assert_true(pk_pairdiff_kth(x, n, y, m, k) == d[k - 1]);
		assert_true(isnan(pk_pairdiff_kth(x, n, y, m, 0)));
		assert_true(isnan(pk_pairdiff_kth(x, n, y, m, n * m + 1)));
	}
	double s, lo, hi;
	pk_hodges_lehmann(NULL, 0, NULL, 0, &s, &lo, &hi);
	assert_true(isnan(s) && isnan(lo) && isnan(hi));
}

static void test_verdicts(void **state)
{
	(void)state;
	assert_int_equal(pk_regress_verdict_of(PK_BENCH_LOWER, NAN, 1, 1.1, NAN), PK_RV_UNDEFINED);
	assert_int_equal(pk_regress_verdict_of(PK_BENCH_LOWER, 0.05, 1, 1.1, NAN), PK_RV_NO_CHANGE);
	assert_int_equal(pk_regress_verdict_of(PK_BENCH_LOWER, 0.01, 0, 1.1, NAN), PK_RV_NO_CHANGE);
	assert_int_equal(pk_regress_verdict_of(PK_BENCH_LOWER, 0.01, 1, 1.1, NAN), PK_RV_REGRESSION);
	assert_int_equal(pk_regress_verdict_of(PK_BENCH_LOWER, 0.01, -1, 0.9, NAN), PK_RV_IMPROVEMENT);
	assert_int_equal(pk_regress_verdict_of(PK_BENCH_HIGHER, 0.01, 1, 1.1, NAN), PK_RV_IMPROVEMENT);
	assert_int_equal(pk_regress_verdict_of(PK_BENCH_HIGHER, 0.01, -1, 0.9, NAN), PK_RV_REGRESSION);
	assert_int_equal(pk_regress_verdict_of(PK_BENCH_NEUTRAL, 0.01, 1, 1.1, NAN), PK_RV_HIGHER);
	assert_int_equal(pk_regress_verdict_of(PK_BENCH_NEUTRAL, 0.01, -1, 0.9, NAN), PK_RV_LOWER);
	assert_int_equal(pk_regress_verdict_of(PK_BENCH_LOWER, 0.01, 1, 1.04, 0.05), PK_RV_NO_CHANGE);
	assert_int_equal(pk_regress_verdict_of(PK_BENCH_LOWER, 0.01, 1, 1.06, 0.05), PK_RV_REGRESSION);
	assert_int_equal(pk_regress_verdict_of(PK_BENCH_LOWER, 0.01, 1, NAN, 0.05), PK_RV_UNDEFINED);
	assert_string_equal(pk_regress_verdict_str(PK_RV_NO_CHANGE), "no significant change");
	assert_null(pk_bench_direction_str(PK_BENCH_NEUTRAL));
}

#define T0 INT64_C(1765670400000000) /* 2025-12-14T00:00:00Z */
#define DAY INT64_C(86400000000)

static void exec(sqlite3 *s, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(s, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
}

/* A run of series (suite, host, name) at day d with values v[0..nv). */
static void put_run(sqlite3 *s, const char *suite, const char *host, const char *name,
                    const char *dir, int d, const double *v, size_t nv, int null_mean)
{
	char sql[512];
	double mean = 0;
	for (size_t i = 0; i < nv; i++)
		mean += v[i] / (double)nv;
	snprintf(sql, sizeof sql, "INSERT OR IGNORE INTO bench_run (suite, run_us, host, tool, source_id, line) "
	         "VALUES ('%s', %lld, '%s', 'perfkit', 0, 0)", suite, (long long)(T0 + d * DAY), host);
	exec(s, sql);
	snprintf(sql, sizeof sql, "INSERT INTO bench_result (suite, run_us, host, name, unit, direction, "
	         "mean, n, source_id, line) VALUES ('%s', %lld, '%s', '%s', 's', %s, %s, %zu, 0, 0)",
	         suite, (long long)(T0 + d * DAY), host, name, dir, null_mean ? "NULL" : "?", nv);
	if (!null_mean) {
		char num[64];
		snprintf(num, sizeof num, "%.17g", mean);
		char *q = strstr(sql, ", ?,");
		assert_non_null(q);
		char tail[256];
		snprintf(tail, sizeof tail, "%s", q + 3);
		snprintf(q, sizeof sql - (size_t)(q - sql), ", %s%s", num, tail);
	}
	exec(s, sql);
	for (size_t i = 0; i < nv; i++) {
		snprintf(sql, sizeof sql, "INSERT INTO bench_value (suite, run_us, host, name, seq, value, "
		         "source_id, line) VALUES ('%s', %lld, '%s', '%s', %zu, %.17g, 0, 0)", suite,
		         (long long)(T0 + d * DAY), host, name, i, v[i]);
		exec(s, sql);
	}
}

static void test_db(void **state)
{
	(void)state;
	char path[] = "/tmp/test_regress_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	struct pk_db *db = NULL;
	struct pk_buf err = PK_BUF_INIT;
	assert_int_equal(pk_db_open(path, PK_DB_READWRITE, &db, &err), PK_OK);
	pk_db_close(&db);
	sqlite3 *s;
	assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
	exec(s, "BEGIN");
	/* 'time': 10 days at ~1.0 s, then 10 days at ~1.3 s (lower is better) */
	for (int d = 0; d < 20; d++) {
		double v[6];
		for (int i = 0; i < 6; i++)
			v[i] = (d < 10 ? 1.0 : 1.3) + 0.01 * ((d * 7 + i * 3) % 5 - 2);
		put_run(s, "nightly", "box", "time", "'lower'", d, v, 6, 0);
	}
	/* 'rate': higher is better, the last run drops; one run without mean */
	for (int d = 0; d < 8; d++) {
		double v[5];
		for (int i = 0; i < 5; i++)
			v[i] = (d < 7 ? 100.0 : 80.0) + (double)((d + i) % 3);
		put_run(s, "nightly", "box", "rate", "'higher'", d, v, 5, d == 3);
	}
	/* 'step': ~2.0 s for 17 runs with a spike at day 6, then 2.6 s for the
	 * last 3: a step three runs ago is a regression today */
	for (int d = 0; d < 20; d++) {
		double v[4];
		for (int i = 0; i < 4; i++)
			v[i] = (d < 17 ? 2.0 : 2.6) + (d == 6 ? 1.5 : 0) + 0.01 * ((d * 5 + i * 3) % 7 - 3);
		put_run(s, "nightly", "box", "step", "'lower'", d, v, 4, 0);
	}
	/* 'rss': one value a run, no direction */
	for (int d = 0; d < 4; d++) {
		double v = 26.5 + d;
		put_run(s, "nightly", "box", "rss", "NULL", d, &v, 1, 0);
	}
	exec(s, "COMMIT");
	sqlite3_close(s);
	assert_int_equal(pk_db_open(path, PK_DB_READONLY, &db, &err), PK_OK);

	struct pk_regress r;
	struct pk_regress_options o = { .baseline_us = INT64_MIN, .threshold = NAN, .cp = { .alpha = 0.05 } };
	assert_int_equal(pk_regress_db(db, "nope", NULL, INT64_MIN, &o, &r), PK_NODATA);
	assert_int_equal(pk_regress_db(db, "nightly", NULL, INT64_MIN, &o, &r), PK_OK);
	assert_int_equal(r.n, 4);
	assert_int_equal(r.opt.baseline_runs, 5);
	/* ordered by name: rate, rss, step, time */
	const struct pk_regress_series *rate = &r.s[0], *rss = &r.s[1], *st = &r.s[2], *tm = &r.s[3];
	assert_string_equal(st->name, "step");
	assert_int_equal(st->ncp, 1);
	assert_int_equal(st->cp[0].index, 17);
	assert_int_equal(st->cp[0].verdict, PK_RV_REGRESSION);
	assert_int_equal(st->noutliers, 1);
	assert_int_equal(st->outliers[0].index, 6);
	assert_true(st->outliers[0].time_us == T0 + 6 * DAY);
	assert_int_equal(st->before_change, 1);
	assert_int_equal(st->latest_status, PK_LATEST_NEW_LEVEL);
	assert_int_equal(st->baseline_nruns, 5); /* days 12..16, before the step */
	assert_true(st->baseline_from_us == T0 + 12 * DAY && st->baseline_to_us == T0 + 16 * DAY);
	assert_int_equal(st->verdict, PK_RV_REGRESSION);
	assert_int_equal(rate->latest_status, PK_LATEST_OUT_OF_LINE);
	assert_string_equal(rate->name, "rate");
	assert_int_equal(rate->runs, 7);
	assert_int_equal(rate->runs_without_mean, 1);
	assert_int_equal(rate->baseline_nruns, 5);
	assert_int_equal(rate->baseline_values, 25); /* values of the run without mean are not used */
	assert_int_equal(rate->latest_values, 5);
	assert_int_equal(rate->verdict, PK_RV_REGRESSION);
	assert_true(rate->hl_shift < 0 && rate->hl_hi < 0);
	assert_true(fabs(rate->ratio - 81.2 / 101.04) < 1e-12); /* days 1 2 4 5 6 */
	assert_int_equal(rss->direction, PK_BENCH_NEUTRAL);
	assert_int_equal(rss->baseline_nruns, 3);
	assert_int_equal(rss->verdict, PK_RV_NO_CHANGE); /* one value: p never small */
	assert_true(isnan(rss->hl_lo));
	assert_int_equal(tm->runs, 20);
	assert_int_equal(tm->verdict, PK_RV_NO_CHANGE); /* the step was 10 runs ago */
	assert_int_equal(tm->ncp, 1);
	assert_int_equal(tm->cp[0].index, 10);
	assert_true(tm->cp[0].time_us == T0 + 10 * DAY);
	assert_true(fabs(tm->cp[0].before_mean - 1.0) < 0.01 && fabs(tm->cp[0].after_mean - 1.3) < 0.01);
	pk_regress_free(&r);

	/* baseline by time: the run at day 4 for 'time' -> regression */
	o.baseline_us = T0 + 4 * DAY + 1;
	assert_int_equal(pk_regress_db(db, "nightly", "box", INT64_MIN, &o, &r), PK_OK);
	tm = &r.s[3];
	assert_int_equal(tm->baseline_nruns, 1);
	assert_true(tm->baseline_from_us == T0 + 4 * DAY);
	assert_int_equal(tm->verdict, PK_RV_REGRESSION);
	pk_regress_free(&r);

	/* --until before the step: no change point, latest = day 9 */
	o.baseline_us = INT64_MIN;
	assert_int_equal(pk_regress_db(db, NULL, NULL, T0 + 9 * DAY, &o, &r), PK_OK);
	tm = &r.s[3];
	assert_int_equal(tm->runs, 10);
	assert_int_equal(tm->ncp, 0);
	assert_true(tm->last_us == T0 + 9 * DAY);
	pk_regress_free(&r);
	assert_int_equal(pk_regress_db(db, NULL, "other-host", INT64_MIN, &o, &r), PK_NODATA);
	pk_regress_free(&r);

	pk_db_close(&db);
	pk_buf_free(&err);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hl_reference),
		cmocka_unit_test(test_pairdiff_exact),
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_db),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
