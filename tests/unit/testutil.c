/* testutil.c - helpers shared by the unit tests (see testutil.h). */
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
#include <unistd.h>

#include "core/db.h"
#include "testutil.h"

void tu_collect(void *ctx, const struct pk_diag *d)
{
	struct tu_fx *f = ctx;
	pk_diag_format(d, &f->diags);
	pk_buf_putc(&f->diags, '\n');
	f->ndiags++;
}

int tu_setup(void **state, const char *name)
{
	struct tu_fx *f = calloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/pk_test_%s_XXXXXX", name);
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->db_path, sizeof f->db_path, "%s/t.db", f->dir);
	struct pk_buf err = PK_BUF_INIT;
	if (pk_db_open(f->db_path, PK_DB_READWRITE, &f->db, &err) != PK_OK)
		return -1;
	pk_buf_free(&err);
	*state = f;
	return 0;
}

int tu_setup_in(void **state, const char *name, unsigned mode)
{
	if (tu_setup(state, name) != 0)
		return -1;
	return mkdir(tu_path(*state, "in"), (mode_t)mode) == 0 ? 0 : -1;
}

int tu_teardown(void **state)
{
	struct tu_fx *f = *state;
	pk_db_close(&f->db);
	pk_buf_free(&f->diags);
	char cmd[160];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

void tu_reset_diags(struct tu_fx *f)
{
	pk_buf_reset(&f->diags);
	f->ndiags = 0;
}

char *tu_path(const struct tu_fx *f, const char *fmt, ...)
{
	static char p[4][256];
	static int i;
	i = (i + 1) % 4;
	int k = snprintf(p[i], sizeof p[i], "%s/", f->dir);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p[i] + k, sizeof p[i] - (size_t)k, fmt, ap);
	va_end(ap);
	return p[i];
}

void tu_write(const char *path, const char *mode, const char *p, size_t n)
{
	FILE *fp = fopen(path, mode);
	assert_non_null(fp);
	assert_int_equal(fwrite(p, 1, n, fp), n);
	fclose(fp);
}

void tu_write_text(const char *path, const char *mode, const char *text)
{
	tu_write(path, mode, text, strlen(text));
}

char *tu_slurp(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	struct pk_buf b = PK_BUF_INIT;
	char tmp[4096];
	size_t r;
	while ((r = fread(tmp, 1, sizeof tmp, fp)) > 0)
		assert_int_equal(pk_buf_append(&b, tmp, r), PK_OK);
	fclose(fp);
	if (n)
		*n = b.len;
	if (!b.data)
		return calloc(1, 1);
	return pk_buf_steal(&b);
}

void tu_copy_file(const char *from, const char *to)
{
	size_t n;
	char *p = tu_slurp(from, &n);
	tu_write(to, "wb", p, n);
	free(p);
}

enum pk_status tu_ingest(struct tu_fx *f, const char *path, struct pk_ingest_opts o,
                         struct pk_ingest_result *res)
{
	o.diag = tu_collect;
	o.diag_ctx = f;
	o.db_path = f->db_path;
	char *paths[] = { (char *)(path ? path : f->dir) };
	return pk_ingest_paths(f->db, paths, 1, &o, res);
}

char *tu_q_db(sqlite3 *s, const char *sql)
{
	static char out[8192];
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(s));
	snprintf(out, sizeof out, "(no row)");
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(out, sizeof out, "%s", sqlite3_column_type(st, 0) == SQLITE_NULL ? "NULL"
		         : (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return out;
}

char *tu_q(const struct tu_fx *f, const char *sql)
{
	sqlite3 *s;
	assert_int_equal(sqlite3_open(f->db_path, &s), SQLITE_OK);
	char *out = tu_q_db(s, sql);
	sqlite3_close(s);
	return out;
}

void tu_exec(const char *path, const char *sql)
{
	sqlite3 *s;
	assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(s);
}

void tu_has_diag(const struct tu_fx *f, const char *text)
{
	if (!f->diags.data || !strstr(f->diags.data, text))
		fail_msg("no diagnostic '%s' in:\n%s", text, f->diags.data ? f->diags.data : "");
}

void tu_new_db(char *dir, char *path, size_t n)
{
	assert_non_null(mkdtemp(dir));
	snprintf(path, n, "%s/t.db", dir);
	struct pk_db *db = NULL;
	struct pk_buf err = PK_BUF_INIT;
	assert_int_equal(pk_db_open(path, PK_DB_READWRITE, &db, &err), PK_OK);
	pk_db_close(&db);
	pk_buf_free(&err);
}

void tu_rm_rf(const char *dir)
{
	char cmd[160];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int tu_failures;

void tu_near(const char *what, const char *c, double got, double exp)
{
	int ok = isnan(exp) ? isnan(got)
	                    : !isnan(got) && fabs(got - exp) <= 1e-9 * fabs(exp) + 1e-12;
	if (!ok) {
		fprintf(stderr, "%s %s: got %.17g, expected %.17g\n", c, what, got, exp);
		tu_failures++;
	}
}

void tu_same_int(const char *what, const char *c, long long got, long long exp)
{
	if (got != exp) {
		fprintf(stderr, "%s %s: got %lld, expected %lld\n", c, what, got, exp);
		tu_failures++;
	}
}

size_t tu_split(char *line, char sep, char **f, size_t max)
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

double *tu_nums(const char *s, size_t *n)
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

int64_t *tu_times(const char *s, size_t *n)
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

void tu_series(struct pk_hw_series *s, const int64_t *ts, size_t n,
               const char *const *names, const double *const *x, size_t k)
{
	size_t idx[8];
	assert_true(k <= 8);
	for (size_t j = 0; j < k; j++)
		assert_non_null(pk_hw_metric_find(names[j], &idx[j]));
	*s = (struct pk_hw_series){ .n = n, .cap = n };
	s->ts_us = malloc((n ? n : 1) * sizeof *s->ts_us);
	s->v = calloc(pk_hw_nmetrics, sizeof *s->v);
	assert_non_null(s->ts_us);
	assert_non_null(s->v);
	memcpy(s->ts_us, ts, n * sizeof *ts);
	for (size_t m = 0; m < pk_hw_nmetrics; m++) {
		s->v[m] = malloc((n ? n : 1) * sizeof(double));
		assert_non_null(s->v[m]);
		for (size_t i = 0; i < n; i++) {
			s->v[m][i] = NAN;
			for (size_t j = 0; j < k; j++)
				if (m == idx[j])
					s->v[m][i] = x[j][i];
		}
	}
}
