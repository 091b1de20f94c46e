/* test_correlate.c - analyze/correlate.c against numpy/scipy reference
 * values (../fixtures/correlate/reference.txt, from make_reference.py): pair
 * statistics, Benjamini-Hochberg, and whole pk_correlate runs over a
 * database built here (window means, profile choice, counts, pairs, groups,
 * findings).
 *
 * Tolerance: |got - expected| <= 1e-9 |expected| + floor, floor 0 for
 * p-values (relative only) and 1e-12 for everything else (coefficients and
 * means that may be near 0).  An expected "nan" requires a NAN. */
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

#include "analyze/correlate.h"
#include "core/metrics.h"
#include "tests/unit/testutil.h"

#define REFERENCE "../fixtures/correlate/reference.txt"
#define REL_TOL 1e-9

static int failures, checks;

static double num(const char *s)
{
	if (strcmp(s, "\\N") == 0 || strcmp(s, "nan") == 0)
		return NAN;
	char *e;
	double d = strtod(s, &e);
	if (e == s || *e)
		fail_msg("bad number '%s'", s);
	return d;
}

static void check(const char *where, const char *key, double got, double exp, double floor_abs)
{
	checks++;
	int ok = isnan(exp) ? isnan(got) : !isnan(got) && fabs(got - exp) <= REL_TOL * fabs(exp) + floor_abs;
	if (ok)
		return;
	failures++;
	if (failures < 30)
		print_error("%s: %s = %.17g, expected %.17g\n", where, key, got, exp);
}

static void check_n(const char *where, const char *key, size_t got, size_t exp)
{
	checks++;
	if (got == exp)
		return;
	failures++;
	print_error("%s: %s = %zu, expected %zu\n", where, key, got, exp);
}

static double *parse_list(char *s, size_t *n)
{
	size_t cap = 1;
	for (char *p = s; *p; p++)
		cap += *p == ',';
	double *v = malloc(cap * sizeof *v);
	assert_non_null(v);
	*n = 0;
	if (!*s)
		return v;
	char *f[1];
	while (s) {
		char *next = strchr(s, ',');
		if (next)
			*next++ = '\0';
		f[0] = s;
		v[(*n)++] = num(f[0]);
		s = next;
	}
	return v;
}

/* The value of key in "k=v;k=v"; NAN and a failure when absent. */
static double kv(const char *list, const char *key)
{
	size_t kl = strlen(key);
	for (const char *p = list; p && *p;) {
		if (strncmp(p, key, kl) == 0 && p[kl] == '=') {
			char buf[64];
			size_t l = strcspn(p + kl + 1, ";");
			assert_true(l < sizeof buf);
			memcpy(buf, p + kl + 1, l);
			buf[l] = '\0';
			return num(buf);
		}
		p = strchr(p, ';');
		if (p)
			p++;
	}
	fail_msg("key %s missing in %s", key, list);
	return NAN;
}

static void check_stats(const char *where, const struct pk_corr_stats *s, const char *exp, int bh)
{
	check_n(where, "n", s->n, (size_t)kv(exp, "n"));
	check(where, "pearson_r", s->pearson_r, kv(exp, "pearson_r"), 1e-12);
	check(where, "pearson_p", s->pearson_p, kv(exp, "pearson_p"), 0);
	check(where, "ci_low", s->ci_low, kv(exp, "ci_low"), 1e-12);
	check(where, "ci_high", s->ci_high, kv(exp, "ci_high"), 1e-12);
	check(where, "spearman_rho", s->spearman_rho, kv(exp, "spearman_rho"), 1e-12);
	check(where, "spearman_p", s->spearman_p, kv(exp, "spearman_p"), 0);
	check(where, "slope", s->slope, kv(exp, "slope"), 1e-12);
	check(where, "intercept", s->intercept, kv(exp, "intercept"), 1e-12);
	check(where, "r2", s->r2, kv(exp, "r2"), 1e-12);
	if (bh) {
		check(where, "pearson_p_bh", s->pearson_p_bh, kv(exp, "pearson_p_bh"), 0);
		check(where, "spearman_p_bh", s->spearman_p_bh, kv(exp, "spearman_p_bh"), 0);
	}
}

struct lines {
	char **v;
	size_t n;
};

static struct lines read_lines(void)
{
	FILE *f = fopen(REFERENCE, "r");
	assert_non_null(f);
	struct lines l = { NULL, 0 };
	size_t cap = 0;
	char *line = NULL;
	size_t lcap = 0;
	ssize_t len;
	while ((len = getline(&line, &lcap, f)) > 0) {
		if (line[0] == '#')
			continue;
		line[strcspn(line, "\r\n")] = '\0';
		if (l.n == cap) {
			cap = cap ? cap * 2 : 1024;
			l.v = realloc(l.v, cap * sizeof *l.v);
			assert_non_null(l.v);
		}
		l.v[l.n] = strdup(line);
		assert_non_null(l.v[l.n]);
		l.n++;
	}
	free(line);
	fclose(f);
	return l;
}

static void free_lines(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

static void test_pairs(void **state)
{
	(void)state;
	struct lines l = read_lines();
	size_t cases = 0;
	failures = 0;
	for (size_t i = 0; i < l.n; i++) {
		if (l.v[i][0] != 'P' && l.v[i][0] != 'B')
			continue;
		char *f[5];
		size_t nf = tu_split(l.v[i], '|', f, 5);
		if (f[0][0] == 'P') {
			assert_int_equal(nf, 5);
			size_t nx, ny;
			double *x = parse_list(f[2], &nx), *y = parse_list(f[3], &ny);
			assert_int_equal(nx, ny);
			struct pk_corr_stats s;
			assert_int_equal(pk_corr_stats(x, y, nx, &s), PK_OK);
			check_stats(f[1], &s, f[4], 0);
			free(x);
			free(y);
		} else {
			assert_int_equal(nf, 3);
			size_t np, ne;
			double *p = parse_list(f[1], &np), *e = parse_list(f[2], &ne);
			assert_int_equal(np, ne);
			double *got = malloc((np ? np : 1) * sizeof *got);
			assert_non_null(got);
			assert_int_equal(pk_bh_adjust(p, np, got), PK_OK);
			for (size_t k = 0; k < np; k++)
				check("bh", "adjusted", got[k], e[k], 0);
			free(p);
			free(e);
			free(got);
		}
		cases++;
	}
	free_lines(&l);
	assert_true(cases >= 15);
	assert_int_equal(failures, 0);
}

/* pk_corr_p edge cases and its two forms agree with the t tail. */
static void test_corr_p(void **state)
{
	(void)state;
	assert_true(isnan(pk_corr_p(0.5, 2)));
	assert_true(isnan(pk_corr_p(NAN, 10)));
	assert_true(pk_corr_p(1, 10) == 0);
	assert_true(pk_corr_p(-1, 10) == 0);
	assert_true(pk_corr_p(0, 10) == 1);
	assert_true(fabs(pk_corr_p(0.3, 50) - pk_corr_p(-0.3, 50)) == 0);
}

/* A constant side is constant however its mean rounds: n copies of 0.1
 * (whose mean is not 0.1 in binary) give no r, no rho and no fit, not a
 * rounding error's r with p = 1. */
static void test_constant_side(void **state)
{
	(void)state;
	double x[7] = { 1, 2, 3, 4, 5, 6, 7 }, y[7];
	for (size_t i = 0; i < 7; i++)
		y[i] = 0.1;
	struct pk_corr_stats s;
	for (int flip = 0; flip < 2; flip++) {
		assert_int_equal(flip ? pk_corr_stats(y, x, 7, &s) : pk_corr_stats(x, y, 7, &s), PK_OK);
		assert_int_equal(s.n, 7);
		assert_true(isnan(s.pearson_r));
		assert_true(isnan(s.pearson_p));
		assert_true(isnan(s.spearman_rho));
		assert_true(isnan(s.spearman_p));
		assert_true(isnan(s.r2));
	}
	/* x constant: no least-squares line either */
	assert_true(isnan(s.slope));
	assert_true(isnan(s.intercept));
}

/* ---- whole runs over a database ---- */

struct fx {
	char dir[64], path[96];
	sqlite3 *s;
	int wake_in;
	struct lines l;
};

static void exec(sqlite3 *s, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(s, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
}

static void bind_num(sqlite3_stmt *q, int i, const char *v)
{
	double d = num(v);
	if (isnan(d))
		sqlite3_bind_null(q, i);
	else
		sqlite3_bind_double(q, i, d);
}

static void bind_text(sqlite3_stmt *q, int i, const char *v)
{
	if (strcmp(v, "\\N") == 0)
		sqlite3_bind_null(q, i);
	else
		sqlite3_bind_text(q, i, v, -1, SQLITE_TRANSIENT);
}

static void step(sqlite3 *s, sqlite3_stmt *q)
{
	if (sqlite3_step(q) != SQLITE_DONE)
		fail_msg("insert: %s", sqlite3_errmsg(s));
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
}

/* hw_sample rows: H|profile|ts|name=v;... */
static void insert_samples(struct fx *x)
{
	sqlite3_stmt *q = NULL;
	char *names[16];
	size_t nn = 0;
	long line = 0;
	for (size_t i = 0; i < x->l.n; i++) {
		if (x->l.v[i][0] != 'H')
			continue;
		char *copy = strdup(x->l.v[i]), *f[4], *kvs[16];
		assert_non_null(copy);
		assert_int_equal(tu_split(copy, '|', f, 4), 4);
		size_t nk = tu_split(f[3], ';', kvs, 16);
		if (!q) {
			char sql[2048] = "INSERT INTO hw_sample (profile_id, ts_us, source_id, line";
			for (size_t k = 0; k < nk; k++) {
				*strchr(kvs[k], '=') = '\0';
				const struct pk_metric *m = pk_hw_metric_find(kvs[k], NULL);
				assert_non_null(m);
				names[nn++] = strdup(kvs[k]);
				strcat(sql, ", ");
				strcat(sql, m->column);
				kvs[k][strlen(kvs[k])] = '=';
			}
			strcat(sql, ") VALUES ((SELECT id FROM profile WHERE name = ?), ?, 1, ?");
			for (size_t k = 0; k < nk; k++)
				strcat(sql, ", ?");
			strcat(sql, ")");
			assert_int_equal(sqlite3_prepare_v2(x->s, sql, -1, &q, NULL), SQLITE_OK);
		}
		char ins[128];
		snprintf(ins, sizeof ins, "INSERT OR IGNORE INTO profile (name) VALUES ('%s')", f[1]);
		exec(x->s, ins);
		assert_int_equal(nk, nn);
		sqlite3_bind_text(q, 1, f[1], -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(q, 2, (sqlite3_int64)num(f[2]));
		sqlite3_bind_int64(q, 3, ++line);
		for (size_t k = 0; k < nk; k++) {
			char *eq = strchr(kvs[k], '=');
			assert_true(strncmp(kvs[k], names[k], (size_t)(eq - kvs[k])) == 0);
			bind_num(q, (int)k + 4, eq + 1);
		}
		step(x->s, q);
		free(copy);
	}
	sqlite3_finalize(q);
	for (size_t k = 0; k < nn; k++)
		free(names[k]);
}

static void insert_runs(struct fx *x)
{
	sqlite3_stmt *q = NULL;
	assert_int_equal(sqlite3_prepare_v2(x->s, "INSERT INTO agent_run (ts_us, run_dir, "
	    "duration_s, tes, stability, velocity, footprint, autonomy_mode, model_id, "
	    "source_id, line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)", -1, &q, NULL), SQLITE_OK);
	long line = 0;
	for (size_t i = 0; i < x->l.n; i++) {
		if (x->l.v[i][0] != 'R')
			continue;
		char *copy = strdup(x->l.v[i]), *f[10];
		assert_int_equal(tu_split(copy, '|', f, 10), 10);
		sqlite3_bind_int64(q, 1, (sqlite3_int64)num(f[1]));
		sqlite3_bind_text(q, 2, f[2], -1, SQLITE_TRANSIENT);
		for (int k = 3; k <= 7; k++)
			bind_num(q, k, f[k]);
		bind_text(q, 8, f[8]);
		bind_text(q, 9, f[9]);
		sqlite3_bind_int64(q, 10, ++line);
		step(x->s, q);
		free(copy);
	}
	sqlite3_finalize(q);
}

static void set_wake(struct fx *x, int on)
{
	if (on == x->wake_in)
		return;
	x->wake_in = on;
	if (!on) {
		exec(x->s, "DELETE FROM wake_event");
		return;
	}
	sqlite3_stmt *q = NULL;
	assert_int_equal(sqlite3_prepare_v2(x->s, "INSERT INTO wake_event (ts_us, session_id, "
	    "word, variant, latency_ms, source_id, line) VALUES (?, 's', 'w', ?, ?, 1, ?)",
	    -1, &q, NULL), SQLITE_OK);
	long line = 0;
	for (size_t i = 0; i < x->l.n; i++) {
		if (x->l.v[i][0] != 'E')
			continue;
		char *copy = strdup(x->l.v[i]), *f[3];
		assert_int_equal(tu_split(copy, '|', f, 3), 3);
		sqlite3_bind_int64(q, 1, (sqlite3_int64)num(f[1]));
		sqlite3_bind_int64(q, 2, ++line);
		bind_num(q, 3, f[2]);
		sqlite3_bind_int64(q, 4, line);
		step(x->s, q);
		free(copy);
	}
	sqlite3_finalize(q);
}

static const char *const status_names[] = { "undefined", "not met", "met" };

/* Checks one expected line (already split) against c. */
static void check_line(const struct pk_correlate *c, char **f, size_t nf)
{
	char where[160];
	switch (f[0][0]) {
	case 'X': {
		size_t i = (size_t)num(f[2]);
		assert_true(i < c->runs.n);
		snprintf(where, sizeof where, "%s run %zu", f[1], i);
		int p = c->run_profile[i];
		if (strcmp(f[3], "\\N") == 0) {
			check_n(where, "unmatched", p < 0, 1);
		} else {
			check_n(where, "matched", p >= 0, 1);
			if (p >= 0 && strcmp(c->profiles[p].name, f[3]) != 0) {
				failures++;
				print_error("%s: profile %s, expected %s\n", where, c->profiles[p].name, f[3]);
			}
			check_n(where, "samples", c->run_samples[i], (size_t)num(f[4]));
		}
		for (size_t k = 0; k < c->nx; k++)
			check(where, c->xm[k]->name, c->run_x[k][i], kv(f[5], c->xm[k]->name), 1e-12);
		break;
	}
	case 'C':
		check_n(f[1], "matched", c->matched, (size_t)num(f[2]));
		check_n(f[1], "unmatched", c->unmatched, (size_t)num(f[3]));
		check_n(f[1], "ambiguous", c->ambiguous, (size_t)num(f[4]));
		check_n(f[1], "wake_n", c->wake_n, (size_t)num(f[5]));
		check_n(f[1], "wake_matched", c->wake_matched, (size_t)num(f[6]));
		check_n(f[1], "wake_unmatched", c->wake_unmatched, (size_t)num(f[7]));
		break;
	case 'Q': {
		snprintf(where, sizeof where, "%s %s~%s", f[1], f[2], f[3]);
		size_t found = 0;
		for (size_t i = 0; i < c->npairs; i++) {
			if (strcmp(c->pairs[i].y, f[2]) || strcmp(c->pairs[i].x->name, f[3]))
				continue;
			found++;
			check_stats(where, &c->pairs[i].s, f[4], 1);
		}
		check_n(where, "pairs found", found, 1);
		break;
	}
	case 'G': {
		const struct pk_corr_group *g = strcmp(f[2], "mode") == 0 ? c->by_mode : c->by_model;
		size_t n = strcmp(f[2], "mode") == 0 ? c->nmodes : c->nmodels, found = 0;
		snprintf(where, sizeof where, "%s group %s=%s", f[1], f[2], f[3]);
		for (size_t i = 0; i < n; i++) {
			if (strcmp(f[3], "\\N") == 0 ? g[i].key != NULL : !g[i].key || strcmp(g[i].key, f[3]))
				continue;
			found++;
			check_n(where, "runs", g[i].runs, (size_t)num(f[4]));
			check_n(where, "count", g[i].count, (size_t)num(f[5]));
			check(where, "mean", g[i].mean, num(f[6]), 1e-12);
			check(where, "p50", g[i].p50, num(f[7]), 1e-12);
			check(where, "p90", g[i].p90, num(f[8]), 1e-12);
		}
		check_n(where, "groups found", found, 1);
		break;
	}
	case 'F': {
		const struct pk_corr_finding *x = strcmp(f[2], "headroom") == 0 ? &c->findings[0]
		                                                               : &c->findings[1];
		snprintf(where, sizeof where, "%s finding %s", f[1], f[2]);
		assert_int_equal(nf, 14);
		assert_string_equal(x->rule, f[2]);
		assert_string_equal(status_names[x->status], f[3]);
		check_n(where, "n", x->n, (size_t)num(f[4]));
		check_n(where, "selected", x->selected, (size_t)num(f[5]));
		check(where, "tes_mean", x->tes_mean, num(f[6]), 1e-12);
		check(where, "measure_mean", x->measure_mean, num(f[7]), 1e-12);
		check(where, "measure_p50", x->measure_p50, num(f[8]), 1e-12);
		check_n(where, "hit_n", x->hit_n, (size_t)num(f[9]));
		check(where, "hit_tes_mean", x->hit_tes_mean, num(f[10]), 1e-12);
		check_n(where, "miss_n", x->miss_n, (size_t)num(f[11]));
		check(where, "miss_tes_mean", x->miss_tes_mean, num(f[12]), 1e-12);
		check(where, "welch_p", x->welch_p, num(f[13]), 0);
		assert_non_null(x->text);
		break;
	}
	default:
		break;
	}
}

static void run_scenario(struct fx *x, size_t at)
{
	char *copy = strdup(x->l.v[at]), *f[4];
	assert_int_equal(tu_split(copy, '|', f, 4), 4);
	set_wake(x, (int)num(f[3]));
	struct pk_correlate_opts o = { INT64_MIN, INT64_MAX, strcmp(f[2], "\\N") ? f[2] : NULL };
	struct pk_db *db = NULL;
	struct pk_buf err = PK_BUF_INIT;
	struct pk_correlate c;
	assert_int_equal(pk_db_open(x->path, PK_DB_READONLY, &db, &err), PK_OK);
	assert_int_equal(pk_correlate(db, &o, &c, &err), PK_OK);
	size_t lines = 0;
	for (size_t i = at + 1; i < x->l.n && x->l.v[i][0] != 'S'; i++) {
		char *lc = strdup(x->l.v[i]), *lf[16];
		size_t nf = tu_split(lc, '|', lf, 16);
		if (nf > 1 && strcmp(lf[1], f[1]) == 0) {
			check_line(&c, lf, nf);
			lines++;
		}
		free(lc);
	}
	assert_true(lines > 100);
	pk_correlate_free(&c);
	pk_db_close(&db);
	pk_buf_free(&err);
	free(copy);
}

static void test_database(void **state)
{
	(void)state;
	struct fx x = { .wake_in = 0 };
	struct pk_db *db = NULL;
	struct pk_buf err = PK_BUF_INIT;
	snprintf(x.dir, sizeof x.dir, "/tmp/pk_test_correlate_XXXXXX");
	assert_non_null(mkdtemp(x.dir));
	snprintf(x.path, sizeof x.path, "%s/t.db", x.dir);
	assert_int_equal(pk_db_open(x.path, PK_DB_READWRITE, &db, &err), PK_OK);
	pk_db_close(&db);
	x.l = read_lines();
	assert_int_equal(sqlite3_open(x.path, &x.s), SQLITE_OK);
	exec(x.s, "BEGIN; INSERT INTO source_file (id, path, format, size, mtime_ns, head_hash, "
	     "tail_hash, read_offset, read_lines, first_read, last_read) VALUES "
	     "(1, '/fixture', 'test', 0, 0, 0, 0, 0, 0, 0, 0)");
	insert_samples(&x);
	insert_runs(&x);
	exec(x.s, "COMMIT");
	failures = checks = 0;
	size_t scenarios = 0;
	for (size_t i = 0; i < x.l.n; i++) {
		if (x.l.v[i][0] == 'S') {
			run_scenario(&x, i);
			scenarios++;
		}
	}
	sqlite3_close(x.s);
	free_lines(&x.l);
	pk_buf_free(&err);
	print_message("%zu scenarios, %d checks\n", scenarios, checks);
	assert_int_equal(scenarios, 3);
	assert_int_equal(failures, 0);
	const char *suffix[] = { "", "-wal", "-shm", "-journal" };
	for (size_t i = 0; i < 4; i++) {
		snprintf(x.path, sizeof x.path, "%s/t.db%s", x.dir, suffix[i]);
		unlink(x.path);
	}
	assert_int_equal(rmdir(x.dir), 0);
}

/* An unknown --profile is "no data", with a message. */
static void test_unknown_profile(void **state)
{
	(void)state;
	char dir[] = "/tmp/pk_test_correlate_XXXXXX", path[64];
	struct pk_db *db = NULL;
	struct pk_buf err = PK_BUF_INIT;
	struct pk_correlate c;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/t.db", dir);
	assert_int_equal(pk_db_open(path, PK_DB_READWRITE, &db, &err), PK_OK);
	struct pk_correlate_opts o = { INT64_MIN, INT64_MAX, "nobody" };
	assert_int_equal(pk_correlate(db, &o, &c, &err), PK_NODATA);
	assert_non_null(strstr(err.data, "nobody"));
	pk_correlate_free(&c);
	o.profile = NULL;
	pk_buf_reset(&err);
	assert_int_equal(pk_correlate(db, &o, &c, &err), PK_NODATA);
	pk_correlate_free(&c);
	pk_db_close(&db);
	pk_buf_free(&err);
	const char *suffix[] = { "", "-wal", "-shm", "-journal" };
	for (size_t i = 0; i < 4; i++) {
		snprintf(path, sizeof path, "%s/t.db%s", dir, suffix[i]);
		unlink(path);
	}
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corr_p),
		cmocka_unit_test(test_pairs),
		cmocka_unit_test(test_constant_side),
		cmocka_unit_test(test_database),
		cmocka_unit_test(test_unknown_profile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
