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

#define REFERENCE "../fixtures/quality/reference.txt"

static int failures;

static void near(const char *what, const char *c, double got, double exp)
{
	int ok = isnan(exp) ? isnan(got)
	                    : !isnan(got) && fabs(got - exp) <= 1e-9 * fabs(exp) + 1e-12;
	if (!ok) {
		fprintf(stderr, "%s %s: got %.17g, expected %.17g\n", c, what, got, exp);
		failures++;
	}
}

static void same_int(const char *what, const char *c, long long got, long long exp)
{
	if (got != exp) {
		fprintf(stderr, "%s %s: got %lld, expected %lld\n", c, what, got, exp);
		failures++;
	}
}

/* Splits line at sep into at most max fields (line is modified). */
static size_t split(char *line, char sep, char **f, size_t max)
{
	size_t n = 0;
	char *p = line;
	while (n < max) {
		f[n++] = p;
		p = strchr(p, sep);
		if (!p)
			break;
		*p++ = '\0';
	}
	return n;
}

/* Numbers of a comma list ("nan" allowed) into a malloc'd array. */
static double *nums(const char *s, size_t *n)
{
	size_t cap = 64;
	double *v = malloc(cap * sizeof *v);
	assert_non_null(v);
	*n = 0;
	while (*s) {
		char *e;
		double d = strtod(s, &e);
		assert_true(e != s);
		if (*n == cap) {
			cap *= 2;
			v = realloc(v, cap * sizeof *v);
			assert_non_null(v);
		}
		v[(*n)++] = d;
		s = *e == ',' ? e + 1 : e;
	}
	return v;
}

static int64_t *times(const char *s, size_t *n)
{
	size_t cap = 64;
	int64_t *v = malloc(cap * sizeof *v);
	assert_non_null(v);
	*n = 0;
	while (*s) {
		char *e;
		long long t = strtoll(s, &e, 10);
		assert_true(e != s);
		if (*n == cap) {
			cap *= 2;
			v = realloc(v, cap * sizeof *v);
			assert_non_null(v);
		}
		v[(*n)++] = t;
		s = *e == ',' ? e + 1 : e;
	}
	return v;
}

/* A series of ts with every metric missing except metric `name` = x. */
static void make_series(struct pk_hw_series *s, const int64_t *ts, size_t n,
                        const char *name, const double *x)
{
	size_t idx = 0;
	assert_non_null(pk_hw_metric_find(name, &idx));
	*s = (struct pk_hw_series){ .n = n, .cap = n };
	s->ts_us = malloc((n ? n : 1) * sizeof *s->ts_us);
	s->v = calloc(pk_hw_nmetrics, sizeof *s->v);
	assert_non_null(s->ts_us);
	assert_non_null(s->v);
	memcpy(s->ts_us, ts, n * sizeof *ts);
	for (size_t m = 0; m < pk_hw_nmetrics; m++) {
		s->v[m] = malloc((n ? n : 1) * sizeof(double));
		assert_non_null(s->v[m]);
		for (size_t i = 0; i < n; i++)
			s->v[m][i] = m == idx ? x[i] : NAN;
	}
}

static void check_q(char **f, size_t nf)
{
	assert_int_equal(nf, 8);
	const char *c = f[1];
	size_t n, nx, k;
	int64_t *ts = times(f[2], &n);
	double *x = nums(f[3], &nx);
	double *iv = nums(f[4], &k);
	double *gs = nums(f[5], &k);
	double *ms = nums(f[6], &k);
	assert_int_equal(n, nx);
	struct pk_hw_series s;
	make_series(&s, ts, n, "cpu.percent_total", x);
	struct pk_window w = { ts[0], ts[n - 1] };
	struct pk_quality q;
	assert_int_equal(pk_quality_series("p", &w, &s, &q), PK_OK);
	near("median", c, q.iv.median_s, iv[0]);
	near("mean", c, q.iv.mean_s, iv[1]);
	near("sd", c, q.iv.sd_s, iv[2]);
	near("min", c, q.iv.min_s, iv[3]);
	near("max", c, q.iv.max_s, iv[4]);
	near("cv", c, q.iv.cv, iv[5]);
	same_int("gaps", c, (long long)q.ngaps, (long long)gs[0]);
	same_int("missing", c, q.missing_intervals, (long long)gs[1]);
	near("gap_s", c, q.gap_s, gs[2]);
	near("gap_share", c, q.gap_share, gs[3]);
	same_int("irregular", c, q.irregular, (long long)gs[4]);
	const struct pk_quality_metric *qm = NULL;
	for (size_t m = 0; m < q.nmetrics; m++)
		if (strcmp(q.metrics[m].metric->name, "cpu.percent_total") == 0)
			qm = &q.metrics[m];
	assert_non_null(qm);
	same_int("present", c, (long long)qm->present, (long long)ms[0]);
	same_int("missing values", c, (long long)qm->missing, (long long)(n - (size_t)ms[0]));
	near("metric mean", c, qm->mean, ms[1]);
	near("tw_mean", c, qm->tw_mean, ms[2]);
	/* the gaps, one by one */
	char *g[4096];
	size_t ng = *f[7] ? split(f[7], ';', g, 4096) : 0;
	same_int("gap list", c, (long long)q.ngaps, (long long)ng);
	for (size_t i = 0; i < ng && i < q.ngaps; i++) {
		char *p[4];
		assert_int_equal(split(g[i], ':', p, 4), 4);
		same_int("gap start", c, q.gaps[i].start_us, strtoll(p[0], NULL, 10));
		same_int("gap end", c, q.gaps[i].end_us, strtoll(p[1], NULL, 10));
		near("gap length", c, q.gaps[i].length_s, strtod(p[2], NULL));
		same_int("gap missing", c, q.gaps[i].missing, strtoll(p[3], NULL, 10));
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
	int64_t *ts = times(f[3], &n);
	double *x = nums(f[4], &nx);
	assert_int_equal(n, nx);
	near("tw_mean", f[1], pk_time_weighted_mean(ts, x, n, strtod(f[2], NULL)), strtod(f[5], NULL));
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
		size_t nf = split(line, '|', f, 16);
		if (strcmp(f[0], "Q") == 0)
			check_q(f, nf), cases++;
		else if (strcmp(f[0], "T") == 0)
			check_t(f, nf), cases++;
	}
	free(line);
	fclose(in);
	assert_true(cases >= 8);
	assert_int_equal(failures, 0);
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
	assert_non_null(mkdtemp(dir));
	char path[128];
	snprintf(path, sizeof path, "%s/t.db", dir);
	struct pk_db *db = NULL;
	struct pk_buf err = PK_BUF_INIT;
	assert_int_equal(pk_db_open(path, PK_DB_READWRITE, &db, &err), PK_OK);
	pk_db_close(&db);
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
	char cmd[96];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
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
