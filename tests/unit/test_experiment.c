/* test_experiment.c - analyze/experiment.h against numpy/scipy reference
 * values (../fixtures/experiment_stats/reference.txt, from make_reference.py):
 * the two fixture experiments are ingested into a temporary database and
 * analysed; trend cases are fitted directly.  Plus edge cases: unknown id,
 * missing values, and the Theil-Sen selection path against brute force.
 *
 * Tolerance: |got - expected| <= 1e-9 |expected| + floor, floor = 1e-12
 * for O(1) values that may be near 0 (slopes, shares, z) and 1e-300 for
 * p-values (scipy underflows to 0 where GSL gives a denormal). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "analyze/experiment.h"
#include "core/db.h"
#include "ingest/pipeline/ingest.h"
#include "tests/unit/testutil.h"

#define REFERENCE "../fixtures/experiment_stats/reference.txt"
#define FIXTURES "../fixtures/experiment_stats/"
#define REL_TOL 1e-9

static int failures;

static int close_enough(double got, double exp, double floor_abs)
{
	if (isnan(exp))
		return isnan(got);
	if (isnan(got))
		return 0;
	return fabs(got - exp) <= REL_TOL * fabs(exp) + floor_abs;
}

static void check(const char *where, const char *key, double got, double exp)
{
	double fl = strstr(key, "p") && (strstr(key, ".p") || strstr(key, "mk_p") ||
	            strstr(key, "welch") || strstr(key, "mw_")) ? 1e-300 : 1e-12;
	if (!close_enough(got, exp, fl)) {
		fprintf(stderr, "%s %s: got %.17g, expected %.17g\n", where, key, got, exp);
		failures++;
	}
}

/* Splits line at '|' into at most max fields; returns the count. */
static size_t split(char *line, char **f, size_t max)
{
	line[strcspn(line, "\r\n")] = '\0';
	return tu_split(line, '|', f, max);
}

static double num(const char *s)
{
	if (strcmp(s, "nan") == 0)
		return NAN;
	char *e;
	double v = strtod(s, &e);
	assert_true(e != s && *e == '\0');
	return v;
}

static double *parse_list(const char *s, size_t *n)
{
	size_t cap = 1;
	for (const char *p = s; *p; p++)
		cap += *p == ',';
	double *v = malloc(cap * sizeof *v);
	assert_non_null(v);
	*n = 0;
	while (*s) {
		char *e;
		v[(*n)++] = strtod(s, &e);
		assert_true(e != s);
		s = *e == ',' ? e + 1 : e;
	}
	return v;
}

/* The value of key in trend t ("slope", "mk_p" ...); -1 if unknown. */
static int trend_value(const struct pk_exp_trend *t, const char *key, double *v)
{
	static const char *const k[] = { "n", "slope", "intercept", "p", "growth",
	                                 "theil_sen", "mk_s", "mk_z", "mk_p" };
	double vals[] = { (double)t->n, t->slope, t->intercept, t->p, t->growth,
	                  t->theil_sen, t->mk_s, t->mk_z, t->mk_p };
	for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
		if (strcmp(key, k[i]) == 0) {
			*v = vals[i];
			return 0;
		}
	return -1;
}

static const struct pk_exp_bottleneck *rule(const struct pk_exp_result *r, const char *type)
{
	for (int k = 0; k < PK_RULE_N; k++)
		if (strcmp(r->rules[k].type, type) == 0)
			return &r->rules[k];
	return NULL;
}

/* Checks one E line against r. */
static void check_e(const struct pk_exp_result *r, const char *key, const char *val)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", key);
	char *dot = strchr(buf, '.');
	char *last = strrchr(buf, '.');
	double got = NAN;
	if (strncmp(key, "stat.", 5) == 0) {
		*last = '\0';
		const char *m = buf + 5, *f = last + 1;
		int i = 0;
		while (i < PK_EXPM_N && strcmp(pk_exp_metric_key[i], m) != 0)
			i++;
		assert_true(i < PK_EXPM_N);
		const struct pk_summary *s = &r->stat[i].s;
		got = !strcmp(f, "count") ? (double)s->count : !strcmp(f, "missing") ?
		      (double)r->stat[i].missing : !strcmp(f, "mean") ? s->mean :
		      !strcmp(f, "median") ? s->median : !strcmp(f, "stdev") ? s->stdev :
		      !strcmp(f, "min") ? s->min : !strcmp(f, "max") ? s->max :
		      !strcmp(f, "p95") ? s->p95 : s->p99;
	} else if (!strcmp(key, "cv")) {
		got = r->cv;
	} else if (!strcmp(key, "total_cycle_time")) {
		got = r->total_cycle_time;
	} else if (!strcmp(key, "mean_mode_overhead")) {
		got = r->mean_mode_overhead;
	} else if (strncmp(key, "timing.", 7) == 0) {
		*last = '\0';
		const struct pk_exp_timing *t = NULL;
		for (size_t i = 0; i < r->d.ntimings; i++)
			if (r->timings[i].name && !strcmp(r->timings[i].name, buf + 7))
				t = &r->timings[i];
		assert_non_null(t);
		const char *f = last + 1;
		got = !strcmp(f, "total") ? t->total : !strcmp(f, "share") ? t->share :
		      !strcmp(f, "count") ? (double)t->count : t->mean;
	} else if (strncmp(key, "rule.", 5) == 0) {
		*last = '\0';
		const struct pk_exp_bottleneck *b = rule(r, buf + 5);
		assert_non_null(b);
		const char *f = last + 1;
		if (!strcmp(f, "severity")) {
			const char *s = b->severity ? b->severity : "-";
			if (strcmp(s, val) != 0) {
				fprintf(stderr, "%s %s: got %s, expected %s\n", r->d.id, key, s, val);
				failures++;
			}
			return;
		}
		got = !strcmp(f, "value") ? b->value : !strcmp(f, "limit") ? b->limit :
		      !strcmp(f, "fired") ? b->fired : (double)b->count;
	} else if (!strcmp(key, "crash.known")) {
		got = (double)r->crash_known;
	} else if (!strcmp(key, "crash.crashed")) {
		got = (double)r->crashed;
	} else if (!strcmp(key, "crash.rate")) {
		got = r->crash_rate;
	} else if (dot && (!strncmp(key, "mem.", 4) || !strncmp(key, "tps.", 4))) {
		const struct pk_exp_trend *t = key[0] == 'm' ? &r->mem : &r->tps;
		assert_int_equal(trend_value(t, dot + 1, &got), 0);
	} else {
		fail_msg("unknown key %s", key);
	}
	check(r->d.id, key, got, num(val));
}

struct db_fixture {
	char dir[64], path[96];
	struct pk_db *db;
};

static void open_fixture_db(struct db_fixture *f)
{
	snprintf(f->dir, sizeof f->dir, "/tmp/pk_test_experiment_XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
	struct pk_buf err = PK_BUF_INIT;
	assert_int_equal(pk_db_open(f->path, PK_DB_READWRITE, &f->db, &err), PK_OK);
	pk_buf_free(&err);
	char *paths[] = { FIXTURES "exp_leak.json", FIXTURES "exp_flat.json" };
	struct pk_ingest_opts o = { .format = "experiment_json", .db_path = f->path };
	struct pk_ingest_result res = { 0 };
	assert_int_equal(pk_ingest_paths(f->db, paths, 2, &o, &res), PK_OK);
	pk_ingest_result_free(&res);
}

static void close_fixture_db(struct db_fixture *f)
{
	pk_db_close(&f->db);
	char p[128];
	snprintf(p, sizeof p, "%s-wal", f->path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", f->path);
	unlink(p);
	unlink(f->path);
	rmdir(f->dir);
}

static void test_reference(void **state)
{
	(void)state;
	struct db_fixture f;
	open_fixture_db(&f);
	struct pk_exp_result first = { 0 }, cur = { 0 };
	assert_int_equal(pk_experiment_analyze(f.db, "exp_leak", &first), PK_OK);
	assert_string_equal(first.leak, "leak");
	FILE *fp = fopen(REFERENCE, "r");
	assert_non_null(fp);
	char *line = NULL;
	size_t cap = 0;
	int nchecked = 0;
	while (getline(&line, &cap, fp) > 0) {
		char *fl[6];
		if (line[0] == '#' || line[0] == '\n')
			continue;
		size_t nf = split(line, fl, 6);
		if (fl[0][0] == 'T') {
			assert_int_equal(nf, 5);
			size_t nx, ny;
			double *x = parse_list(fl[3], &nx), *y = parse_list(fl[4], &ny);
			assert_int_equal(nx, ny);
			struct pk_exp_trend t;
			assert_int_equal(pk_exp_trend_fit(x, y, nx, &t), PK_OK);
			for (char *kv = fl[2], *next; kv && *kv; kv = next) {
				next = strchr(kv, ';');
				if (next)
					*next++ = '\0';
				char *eq = strchr(kv, '=');
				assert_non_null(eq);
				*eq = '\0';
				double got;
				assert_int_equal(trend_value(&t, kv, &got), 0);
				char where[64];
				snprintf(where, sizeof where, "trend %s", fl[1]);
				check(where, kv, got, num(eq + 1));
				nchecked++;
			}
			free(x);
			free(y);
			continue;
		}
		assert_int_equal(nf, 4);
		if (!cur.d.id || strcmp(cur.d.id, fl[1]) != 0) {
			pk_exp_result_free(&cur);
			assert_int_equal(pk_experiment_analyze(f.db, fl[1], &cur), PK_OK);
		}
		if (fl[0][0] == 'E') {
			check_e(&cur, fl[2], fl[3]);
		} else {
			struct pk_exp_vs vs;
			pk_experiment_vs(&first, &cur, &vs);
			double got = !strcmp(fl[2], "welch_duration") ? vs.welch_duration
			             : !strcmp(fl[2], "mw_duration") ? vs.mw_duration
			             : !strcmp(fl[2], "welch_tps") ? vs.welch_tps : vs.mw_tps;
			check(fl[1], fl[2], got, num(fl[3]));
		}
		nchecked++;
	}
	free(line);
	fclose(fp);
	assert_true(nchecked > 200);
	pk_exp_result_free(&cur);
	pk_exp_result_free(&first);
	close_fixture_db(&f);
	assert_int_equal(failures, 0);
}

static void test_unknown_and_missing(void **state)
{
	(void)state;
	struct db_fixture f;
	open_fixture_db(&f);
	struct pk_exp_result r;
	assert_int_equal(pk_experiment_analyze(f.db, "no_such_experiment", &r), PK_NODATA);
	/* cycles without an experiment row, with NULLs everywhere */
	char *msg = NULL;
	sqlite3 *s;
	assert_int_equal(sqlite3_open(f.path, &s), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s,
		"INSERT INTO experiment_cycle (experiment_id, cycle_number, duration, crashed, "
		"source_id, line) VALUES ('bare', 1, 2.0, NULL, 1, 1), ('bare', 2, NULL, 1, 1, 2), "
		"('bare', 3, 4.0, 0, 1, 3)", NULL, NULL, &msg), SQLITE_OK);
	sqlite3_close(s);
	assert_int_equal(pk_experiment_analyze(f.db, "bare", &r), PK_OK);
	assert_int_equal(r.d.has_row, 0);
	assert_int_equal(r.stat[PK_EXPM_DURATION].s.count, 2);
	assert_int_equal(r.stat[PK_EXPM_DURATION].missing, 1);
	assert_true(isnan(r.stat[PK_EXPM_MEM].s.mean));
	assert_int_equal(r.crash_known, 2);
	assert_int_equal(r.crashed, 1);
	assert_false(r.rules[PK_RULE_LLM].evaluated);
	assert_false(r.rules[PK_RULE_MEMORY].evaluated);   /* no total_memory_gb */
	assert_true(r.rules[PK_RULE_SLOW].evaluated);
	assert_int_equal(r.mem.n, 0);
	assert_true(isnan(r.mem.slope) && isnan(r.mem.theil_sen) && isnan(r.mem.mk_p));
	assert_string_equal(r.leak, "undefined");
	pk_exp_result_free(&r);
	close_fixture_db(&f);
}

static uint64_t rng_state = 12345;
static double unif(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return (double)((z ^ (z >> 31)) >> 11) / 9007199254740992.0;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* The selection path (more than 2^20 pairs) equals brute force exactly. */
static void test_theil_sen_brute(void **state)
{
	(void)state;
	size_t sizes[] = { 1449, 1800, 2001 };
	for (size_t c = 0; c < sizeof sizes / sizeof sizes[0]; c++) {
		size_t n = sizes[c], np = n * (n - 1) / 2;
		double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
		double *s = malloc(np * sizeof *s);
		assert_true(x && y && s);
		for (size_t i = 0; i < n; i++) {
			x[i] = (double)i * 2 + (i > n / 2 ? 7 : 0);
			/* c 1: integers (many equal slopes), else continuous */
			y[i] = c == 1 ? floor(unif() * 10) : 100 + 0.05 * x[i] + 20 * unif();
		}
		size_t m = 0;
		for (size_t i = 0; i < n; i++)
			for (size_t j = i + 1; j < n; j++)
				s[m++] = (y[j] - y[i]) / (x[j] - x[i]);
		qsort(s, m, sizeof *s, cmp_d);
		double want = m % 2 ? s[m / 2] : (s[m / 2 - 1] + s[m / 2]) / 2;
		enum pk_status rc;
		double got = pk_theil_sen(x, y, n, &rc);
		assert_int_equal(rc, PK_OK);
		if (got != want) {
			fprintf(stderr, "theil-sen n=%zu: got %.17g, brute force %.17g\n", n, got, want);
			failures++;
		}
		free(x);
		free(y);
		free(s);
	}
	assert_int_equal(failures, 0);
}

static void test_mann_kendall_small(void **state)
{
	(void)state;
	double y[] = { 1, 2, 2, 5 }, s, z, p;
	assert_int_equal(pk_mann_kendall(y, 4, &s, &z, &p), PK_OK);
	assert_true(s == 5);     /* 5 concordant, 1 tie, 0 discordant */
	double cst[] = { 3, 3, 3 };
	assert_int_equal(pk_mann_kendall(cst, 3, &s, &z, &p), PK_OK);
	assert_true(s == 0 && isnan(z) && isnan(p));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference),
		cmocka_unit_test(test_unknown_and_missing),
		cmocka_unit_test(test_theil_sen_brute),
		cmocka_unit_test(test_mann_kendall_small),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
