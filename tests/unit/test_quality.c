/* test_quality.c - analyze/quality.c against numpy reference values
 * (../fixtures/quality/reference.txt, from make_reference.py: Q and T
 * records), plus provenance (sources, rejects) over a database built with
 * SQL, and the undefined cases.
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

#include "analyze/quality.h"
#include "core/db.h"
#include "core/metrics.h"
#include "tests/unit/testutil.h"

#define REFERENCE "../fixtures/quality/reference.txt"

/* A series of ts with every metric missing except metric `name` = x. */
static void make_series(struct pk_hw_series *s, const int64_t *ts, size_t n,
                        const char *name, const double *x)
{
	tu_series(s, ts, n, &name, &x, 1);
}

static void check_q(char **f, size_t nf)
{
	assert_int_equal(nf, 8);
	const char *c = f[1];
	size_t n, nx, k;
	int64_t *ts = tu_times(f[2], &n);
	double *x = tu_nums(f[3], &nx);
	double *iv = tu_nums(f[4], &k);
	double *gs = tu_nums(f[5], &k);
	double *ms = tu_nums(f[6], &k);
	assert_int_equal(n, nx);
	struct pk_hw_series s;
	make_series(&s, ts, n, "cpu.percent_total", x);
	struct pk_window w = { ts[0], ts[n - 1] };
	struct pk_quality q;
	assert_int_equal(pk_quality_series("p", &w, &s, &q), PK_OK);
	tu_near("median", c, q.iv.median_s, iv[0]);
	tu_near("mean", c, q.iv.mean_s, iv[1]);
	tu_near("sd", c, q.iv.sd_s, iv[2]);
	tu_near("min", c, q.iv.min_s, iv[3]);
	tu_near("max", c, q.iv.max_s, iv[4]);
	tu_near("cv", c, q.iv.cv, iv[5]);
	tu_same_int("gaps", c, (long long)q.ngaps, (long long)gs[0]);
	tu_same_int("missing", c, q.missing_intervals, (long long)gs[1]);
	tu_near("gap_s", c, q.gap_s, gs[2]);
	tu_near("gap_share", c, q.gap_share, gs[3]);
	tu_same_int("irregular", c, q.irregular, (long long)gs[4]);
	const struct pk_quality_metric *qm = NULL;
	for (size_t m = 0; m < q.nmetrics; m++)
		if (strcmp(q.metrics[m].metric->name, "cpu.percent_total") == 0)
			qm = &q.metrics[m];
	assert_non_null(qm);
	tu_same_int("present", c, (long long)qm->present, (long long)ms[0]);
	tu_same_int("missing values", c, (long long)qm->missing, (long long)(n - (size_t)ms[0]));
	tu_near("metric mean", c, qm->mean, ms[1]);
	tu_near("tw_mean", c, qm->tw_mean, ms[2]);
	/* the gaps, one by one */
	char *g[4096];
	size_t ng = *f[7] ? tu_split(f[7], ';', g, 4096) : 0;
	tu_same_int("gap list", c, (long long)q.ngaps, (long long)ng);
	for (size_t i = 0; i < ng && i < q.ngaps; i++) {
		char *p[4];
		assert_int_equal(tu_split(g[i], ':', p, 4), 4);
		tu_same_int("gap start", c, q.gaps[i].start_us, strtoll(p[0], NULL, 10));
		tu_same_int("gap end", c, q.gaps[i].end_us, strtoll(p[1], NULL, 10));
		tu_near("gap length", c, q.gaps[i].length_s, strtod(p[2], NULL));
		tu_same_int("gap missing", c, q.gaps[i].missing, strtoll(p[3], NULL, 10));
	}
	pk_quality_free(&q);
	pk_hw_series_free(&s);
	free(ts);
	free(x);
	free(iv);
	free(gs);
	free(ms);
}

static void check_t(char **f, size_t nf)
{
	assert_int_equal(nf, 6);
	size_t n, nx;
	int64_t *ts = tu_times(f[3], &n);
	double *x = tu_nums(f[4], &nx);
	assert_int_equal(n, nx);
	tu_near("tw_mean", f[1], pk_time_weighted_mean(ts, x, n, strtod(f[2], NULL)), strtod(f[5], NULL));
	free(ts);
	free(x);
}

static void test_reference(void **state)
{
	(void)state;
	FILE *in = fopen(REFERENCE, "r");
	assert_non_null(in);
	char *line = NULL;
	size_t cap = 0, cases = 0;
	while (getline(&line, &cap, in) > 0) {
		line[strcspn(line, "\r\n")] = '\0';
		char *f[16];
		size_t nf = tu_split(line, '|', f, 16);
		if (strcmp(f[0], "Q") == 0)
			check_q(f, nf), cases++;
		else if (strcmp(f[0], "T") == 0)
			check_t(f, nf), cases++;
	}
	free(line);
	fclose(in);
	assert_true(cases >= 8);
	assert_int_equal(tu_failures, 0);
}

static void test_empty_and_undefined(void **state)
{
	(void)state;
	struct pk_intervals iv;
	assert_int_equal(pk_quality_intervals(NULL, 0, &iv), PK_OK);
	assert_true(isnan(iv.median_s) && isnan(iv.cv));
	int64_t ts[] = { 0, 60000000 };
	double x[] = { NAN, NAN };
	assert_true(isnan(pk_time_weighted_mean(ts, x, 2, 180)));
	assert_true(isnan(pk_time_weighted_mean(ts, x, 2, NAN)));
	struct pk_hw_series s;
	make_series(&s, ts, 2, "gpu.temperature_celsius", x);
	struct pk_window w = { 0, 60000000 };
	struct pk_quality q;
	assert_int_equal(pk_quality_series(NULL, &w, &s, &q), PK_ERR_INPUT);
	assert_int_equal(pk_quality_series("p", &w, &s, &q), PK_OK);
	for (size_t m = 0; m < q.nmetrics; m++) {
		assert_int_equal(q.metrics[m].present, 0);   /* missing is never 0 */
		assert_true(isnan(q.metrics[m].mean));
	}
	assert_int_equal(q.sources_known, 0);
	pk_quality_free(&q);
	pk_hw_series_free(&s);
}

/* Sources and rejects: two files hold samples of "lap" (one through an
 * alias), a third holds another profile's; rejects of each are counted
 * only for the files of the profile and window. */
static void test_sources(void **state)
{
	(void)state;
	char dir[] = "/tmp/pk_test_quality_XXXXXX";
	char path[128];
	tu_new_db(dir, path, sizeof path);
	struct pk_db *db = NULL;
	struct pk_buf err = PK_BUF_INIT;
	sqlite3 *s;
	assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s,
	    "INSERT INTO source_file (id, path, format, size, mtime_ns, head_hash, tail_hash, "
	    " read_offset, read_lines, first_read, last_read) VALUES "
	    " (1, '/l/a.jsonl', 'hw_jsonl', 1, 1, 1, 1, 1, 5, 1, 1),"
	    " (2, '/l/b.jsonl', 'hw_jsonl', 1, 1, 1, 1, 1, 4, 1, 1),"
	    " (3, '/l/c.jsonl', 'hw_jsonl', 1, 1, 1, 1, 1, 9, 1, 1);"
	    "INSERT INTO profile (id, name) VALUES (1, 'lap'), (2, 'lap_detected'), (3, 'other');"
	    "INSERT INTO profile_alias VALUES ('lap_detected', 'lap');"
	    "INSERT INTO hw_sample (profile_id, ts_us, source_id, line) VALUES "
	    " (1, 60000000, 1, 1), (1, 120000000, 1, 2), (2, 180000000, 2, 1),"
	    " (3, 60000000, 3, 1), (1, 999000000, 1, 3);"
	    "INSERT INTO reject (source_id, line, reason, raw_size) VALUES "
	    " (1, 4, 'bad', 1), (1, 5, 'bad', 1), (2, 2, 'bad', 1), (3, 2, 'bad', 1);",
	    NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(s);
	assert_int_equal(pk_db_open(path, PK_DB_READONLY, &db, &err), PK_OK);
	struct pk_quality q;
	assert_int_equal(pk_quality_for(db, "lap", 1, 200000000, &q, &err), PK_OK);
	assert_int_equal(q.samples, 3);
	assert_int_equal(q.nsources, 2);
	assert_string_equal(q.sources[0].path, "/l/a.jsonl");
	assert_int_equal(q.sources[0].samples, 2);
	assert_int_equal(q.sources[0].rejects, 2);
	assert_int_equal(q.sources[1].rejects, 1);
	assert_int_equal(q.lines_read, 9);
	assert_int_equal(q.rejects, 3);
	assert_true(q.iv.median_s == 60);
	pk_quality_free(&q);
	assert_int_equal(pk_quality_for(db, "nobody", 24, INT64_MIN, &q, &err), PK_NODATA);
	assert_non_null(strstr(err.data, "no samples for profile 'nobody'"));
	pk_buf_free(&err);
	pk_db_close(&db);
	tu_rm_rf(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference),
		cmocka_unit_test(test_empty_and_undefined),
		cmocka_unit_test(test_sources),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
