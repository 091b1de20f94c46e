/* test_stats.c - analyze/stats.c against numpy/scipy reference values
 * (../fixtures/stats/reference.txt, from make_reference.py), plus the sort,
 * edge cases and undefined (NAN) results.
 *
 * Tolerance: |got - expected| <= 1e-9 |expected| + floor, where floor is
 *   - 1e-13 * max|x| for location and scale values (mean, median, stdev,
 *     min, max, percentiles): a value that cancels to near 0 (the mean of
 *     symmetric data) is only as exact as the rounding of the largest input;
 *   - 1e-12 for r1 and Cohen's d, which are O(1) ratios that can be near 0;
 *   - 0 for p-values and n_eff: relative only, so a tiny p must match too.
 * An expected "nan" (undefined) requires a NAN. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_statistics_double.h>

#include "analyze/stats.h"
#include "tests/unit/testutil.h"

#define REFERENCE "../fixtures/stats/reference.txt"
#ifndef REL_TOL
#define REL_TOL 1e-9
#endif

struct vec {
	double *v;
	size_t n;
};

static int failures;

/* Parses "v1,v2,..." (possibly empty) from s up to end; 0 on success. */
static int parse_csv(const char *s, const char *end, struct vec *out)
{
	size_t cap = 16;

	out->n = 0;
	out->v = malloc(cap * sizeof *out->v);
	if (!out->v)
		return -1;
	while (s < end) {
		char *e;
		double d = strtod(s, &e);

		if (e == s || (e < end && *e != ','))
			return -1;
		if (out->n == cap) {
			cap *= 2;
			double *nv = realloc(out->v, cap * sizeof *nv);
			if (!nv)
				return -1;
			out->v = nv;
		}
		out->v[out->n++] = d;
		s = e < end ? e + 1 : e;
	}
	return 0;
}

/* Splits line at '|' into at most max fields (pointers into line, which is
 * modified); returns the number of fields. */
static size_t split(char *line, char **f, size_t max)
{
	line[strcspn(line, "\r\n")] = '\0';
	return tu_split(line, '|', f, max);
}

static int close_enough(double got, double exp, double floor_abs)
{
	if (isnan(exp))
		return isnan(got);
	if (isnan(got))
		return 0;
	if (isinf(exp))
		return got == exp;
	return fabs(got - exp) <= REL_TOL * fabs(exp) + floor_abs;
}

static void check(const char *name, const char *key, double got, double exp,
                  double floor_abs)
{
	if (close_enough(got, exp, floor_abs))
		return;
	failures++;
	print_error("%s: %s = %.17g, expected %.17g (rel err %.3g)\n", name, key,
	            got, exp, fabs(got - exp) / fabs(exp));
}

static double max_abs(const struct vec *x)
{
	double m = 0;

	for (size_t i = 0; i < x->n; i++)
		if (fabs(x->v[i]) > m)
			m = fabs(x->v[i]);
	return m;
}

/* What stats.c computes for one sample, in the fixture's terms. */
struct one {
	struct pk_summary s;
	double *sorted;
	double r1, n_eff, gsl_r1;
};

static void compute_one(const struct vec *x, struct one *o)
{
	o->sorted = malloc((x->n ? x->n : 1) * sizeof *o->sorted);
	assert_non_null(o->sorted);
	if (x->n)
		memcpy(o->sorted, x->v, x->n * sizeof *x->v);
	assert_int_equal(pk_sort_doubles(o->sorted, x->n), 0);
	for (size_t i = 1; i < x->n; i++)
		assert_true(o->sorted[i - 1] <= o->sorted[i]);
	pk_summary_sorted(o->sorted, x->n, &o->s);
	o->r1 = pk_lag1_autocorr(x->v, x->n);
	o->n_eff = pk_n_eff(x->n, o->r1);
	o->gsl_r1 = x->n >= 2 ? gsl_stats_lag1_autocorrelation(x->v, 1, x->n)
	                      : NAN;
}

/* The value of key for sample o (prefix already stripped); 0 if unknown. */
static int one_value(const struct one *o, size_t n, const char *key,
                     double *v, double *floor_abs, double scale)
{
	*floor_abs = 1e-13 * scale;
	if (strcmp(key, "mean") == 0)
		*v = o->s.mean;
	else if (strcmp(key, "median") == 0)
		*v = o->s.median;
	else if (strcmp(key, "stdev") == 0)
		*v = o->s.stdev;
	else if (strcmp(key, "min") == 0)
		*v = o->s.min;
	else if (strcmp(key, "max") == 0)
		*v = o->s.max;
	else if (strcmp(key, "p95") == 0)
		*v = o->s.p95;
	else if (strcmp(key, "p99") == 0)
		*v = o->s.p99;
	else if (key[0] == 'p') {
		char *e;
		double q = strtod(key + 1, &e);

		if (e == key + 1 || *e)
			return 0;
		*v = pk_quantile_sorted(o->sorted, n, q / 100);
	} else if (strcmp(key, "r1") == 0) {
		*v = o->r1;
		*floor_abs = 1e-12;
	} else if (strcmp(key, "n_eff") == 0) {
		*v = o->n_eff;
		*floor_abs = 0;
	} else {
		return 0;
	}
	return 1;
}

static void run_case(char **f)
{
	const char *name = f[1];
	struct vec x, y;
	struct one ox, oy;

	assert_int_equal(parse_csv(f[3], f[3] + strlen(f[3]), &x), 0);
	assert_int_equal(parse_csv(f[4], f[4] + strlen(f[4]), &y), 0);
	compute_one(&x, &ox);
	compute_one(&y, &oy);

	double welch = pk_welch_p(ox.s.mean, ox.s.var, (double)x.n,
	                          oy.s.mean, oy.s.var, (double)y.n);
	double welch_eff = pk_welch_p(ox.s.mean, ox.s.var, ox.n_eff,
	                              oy.s.mean, oy.s.var, oy.n_eff);
	double mw = pk_mannwhitney_p(ox.sorted, x.n, oy.sorted, y.n);
	double d = pk_cohens_d(&ox.s, &oy.s);

	/* GSL's own lag-1 autocorrelation is a second reference for r1 */
	if (!isnan(ox.r1))
		check(name, "x.r1 vs gsl", ox.r1, ox.gsl_r1, 1e-12);
	if (!isnan(oy.r1))
		check(name, "y.r1 vs gsl", oy.r1, oy.gsl_r1, 1e-12);

	size_t nkeys = 0;
	for (char *kv = f[2]; kv && *kv;) {
		char *next = strchr(kv, ';');
		if (next)
			*next++ = '\0';
		char *eq = strchr(kv, '=');
		assert_non_null(eq);
		*eq = '\0';
		char *e;
		double exp = strtod(eq + 1, &e);
		assert_true(e != eq + 1 && *e == '\0');

		double got = NAN, floor_abs = 0;
		int known = 1;
		if (strncmp(kv, "x.", 2) == 0)
			known = one_value(&ox, x.n, kv + 2, &got, &floor_abs,
			                  max_abs(&x));
		else if (strncmp(kv, "y.", 2) == 0)
			known = one_value(&oy, y.n, kv + 2, &got, &floor_abs,
			                  max_abs(&y));
		else if (strcmp(kv, "welch") == 0)
			got = welch;
		else if (strcmp(kv, "welch_eff") == 0)
			got = welch_eff;
		else if (strcmp(kv, "mw") == 0)
			got = mw;
		else if (strcmp(kv, "d") == 0) {
			got = d;
			floor_abs = 1e-12;
		} else
			known = 0;
		if (!known) {
			failures++;
			print_error("%s: unknown key %s\n", name, kv);
		} else {
			check(name, kv, got, exp, floor_abs);
		}
		nkeys++;
		kv = next;
	}
	assert_true(nkeys >= 10);
	free(x.v);
	free(y.v);
	free(ox.sorted);
	free(oy.sorted);
}

static void test_reference(void **state)
{
	(void)state;
	FILE *fp = fopen(REFERENCE, "r");
	assert_non_null(fp);
	char *line = NULL;
	size_t cap = 0;
	int cases = 0, welch_cases = 0;

	failures = 0;
	while (getline(&line, &cap, fp) != -1) {
		char *f[8];

		if (line[0] == '#' || line[0] == '\n')
			continue;
		size_t nf = split(line, f, 8);
		if (strcmp(f[0], "S") == 0) {
			assert_int_equal(nf, 5);
			run_case(f);
			cases++;
		} else if (strcmp(f[0], "W") == 0) {
			struct vec a;

			assert_int_equal(nf, 4);
			assert_int_equal(parse_csv(f[2], f[2] + strlen(f[2]), &a), 0);
			assert_int_equal(a.n, 6);
			char *e;
			double exp = strtod(f[3], &e);
			assert_true(e != f[3] && *e == '\0');
			check(f[1], "welch", pk_welch_p(a.v[0], a.v[1], a.v[2],
			                                a.v[3], a.v[4], a.v[5]),
			      exp, 0);
			free(a.v);
			welch_cases++;
		} else {
			fail_msg("bad record type '%s' in %s", f[0], REFERENCE);
		}
	}
	free(line);
	fclose(fp);
	assert_true(cases >= 30);
	assert_true(welch_cases >= 10);
	assert_int_equal(failures, 0);
}

/* Deterministic 64-bit generator (splitmix64). */
static uint64_t next_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static size_t count_neg_zero(const double *v, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		c += v[i] == 0 && signbit(v[i]);
	return c;
}

/* Sorts v with pk_sort_doubles and checks it against qsort. */
static void check_sort(const double *v, size_t n)
{
	double *a = malloc((n ? n : 1) * sizeof *a);
	double *b = malloc((n ? n : 1) * sizeof *b);

	assert_non_null(a);
	assert_non_null(b);
	if (n) {
		memcpy(a, v, n * sizeof *v);
		memcpy(b, v, n * sizeof *v);
	}
	assert_int_equal(pk_sort_doubles(a, n), 0);
	qsort(b, n, sizeof *b, cmp_double);
	for (size_t i = 0; i < n; i++) {
		if (a[i] != b[i])
			fail_msg("n=%zu: [%zu] %.17g != %.17g", n, i, a[i], b[i]);
		if (i && signbit(a[i - 1]) == 0 && a[i - 1] == 0 && a[i] == 0 &&
		    signbit(a[i]))
			fail_msg("n=%zu: +0 before -0 at %zu", n, i);
	}
	assert_int_equal(count_neg_zero(a, n), count_neg_zero(v, n));
	free(a);
	free(b);
}

static void test_sort(void **state)
{
	(void)state;
	static const double special[] = {
		0.0, -0.0, 1.0, -1.0, INFINITY, -INFINITY, DBL_MAX, -DBL_MAX,
		DBL_MIN, -DBL_MIN, 5e-324, -5e-324, 1e-300, -1e300, 0.1, 3.0,
		-0.0, 0.0, 42.0, 42.0,
	};
	size_t sizes[] = { 0, 1, 2, 3, 20, 1000, 100000 };
	uint64_t seed = 12345;

	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		size_t n = sizes[k];
		double *v = malloc((n ? n : 1) * sizeof *v);

		assert_non_null(v);
		/* random bit patterns (skipping NaN), special values mixed in */
		for (size_t i = 0; i < n; i++) {
			uint64_t r = next_rand(&seed);
			double d;

			if (r % 7 == 0) {
				d = special[r % (sizeof special / sizeof special[0])];
			} else if (r % 7 == 1) {
				d = (double)(int64_t)(r % 2001) - 1000.0;
			} else {
				memcpy(&d, &r, sizeof d);
				if (isnan(d))
					d = (double)(r >> 40);
			}
			v[i] = d;
		}
		check_sort(v, n);
		/* all equal: every pass skipped */
		for (size_t i = 0; i < n; i++)
			v[i] = 2.5;
		check_sort(v, n);
		/* ascending and descending small integers */
		for (size_t i = 0; i < n; i++)
			v[i] = (double)i;
		check_sort(v, n);
		for (size_t i = 0; i < n; i++)
			v[i] = -(double)i;
		check_sort(v, n);
		free(v);
	}
	check_sort(special, sizeof special / sizeof special[0]);
}

static void test_sort_scratch(void **state)
{
	(void)state;
	double v[] = { 3, -1, 2, -0.0, 0.0, -7.5 };
	uint64_t scratch[6];

	assert_int_equal(pk_sort_doubles_scratch(v, 6, scratch), 0);
	assert_true(v[0] == -7.5 && v[1] == -1 && v[2] == 0 && signbit(v[2]) &&
	            v[3] == 0 && !signbit(v[3]) && v[4] == 2 && v[5] == 3);
}

static void test_drop_missing(void **state)
{
	(void)state;
	const double x[] = { NAN, 1.0, 0.0, NAN, -2.0, NAN };
	double out[6];

	assert_int_equal(pk_drop_missing(x, 6, out), 3);
	assert_true(out[0] == 1.0 && out[1] == 0.0 && out[2] == -2.0);
	assert_int_equal(pk_drop_missing(x, 0, out), 0);
	const double all_nan[] = { NAN, NAN };
	assert_int_equal(pk_drop_missing(all_nan, 2, out), 0);
}

static void test_quantile(void **state)
{
	(void)state;
	const double s[] = { 1, 2, 4, 8 };

	assert_true(isnan(pk_quantile_sorted(s, 0, 0.5)));
	assert_true(pk_quantile_sorted(s, 4, 0) == 1);
	assert_true(pk_quantile_sorted(s, 4, 1) == 8);
	assert_true(pk_quantile_sorted(s, 4, 0.5) == 3);
	assert_true(pk_quantile_sorted(s, 4, 1.0 / 3) == 2);
	assert_true(pk_quantile_sorted(s, 1, 0.95) == 1);
	assert_true(isnan(pk_quantile_sorted(s, 4, NAN)));
}

static void test_undefined(void **state)
{
	(void)state;
	struct pk_summary s, one, two;
	const double v1[] = { 5.0 }, v2[] = { 1.0, 3.0 }, c[] = { 2, 2, 2 };

	pk_summary_sorted(NULL, 0, &s);
	assert_int_equal(s.count, 0);
	assert_true(isnan(s.mean) && isnan(s.median) && isnan(s.stdev) &&
	            isnan(s.min) && isnan(s.max) && isnan(s.p95) &&
	            isnan(s.p99) && isnan(s.var));
	pk_summary_sorted(v1, 1, &one);
	assert_true(one.mean == 5 && one.median == 5 && one.p99 == 5);
	assert_true(isnan(one.stdev) && isnan(one.var));
	pk_summary_sorted(v2, 2, &two);
	assert_true(two.var == 2);

	/* Welch: n < 2, both variances 0, NAN input */
	assert_true(isnan(pk_welch_p(0, 1, 1, 1, 1, 10)));
	assert_true(isnan(pk_welch_p(0, 1, 10, 1, 1, 1.999)));
	assert_true(isnan(pk_welch_p(0, 0, 10, 1, 0, 10)));
	assert_true(isnan(pk_welch_p(0, NAN, 10, 1, 1, 10)));
	assert_true(isnan(pk_welch_p(0, 1, 10, NAN, 1, 10)));
	assert_true(pk_welch_p(3, 1, 10, 3, 2, 10) == 1);

	/* Mann-Whitney: an empty sample, every value equal */
	assert_true(isnan(pk_mannwhitney_p(v2, 2, NULL, 0)));
	assert_true(isnan(pk_mannwhitney_p(NULL, 0, v2, 2)));
	assert_true(isnan(pk_mannwhitney_p(c, 3, c, 2)));
	assert_false(isnan(pk_mannwhitney_p(v1, 1, v2, 2)));

	/* -0 and +0 are one value, in whichever order they come */
	const double z1[] = { 0.0, -0.0, 1.0 }, z2[] = { -0.0, 0.0, 0.0, 2.0 };
	const double z3[] = { -0.0, 0.0, 1.0 }, z4[] = { 0.0, 0.0, -0.0, 2.0 };
	const double z5[] = { 0.0, 0.0, 1.0 }, z6[] = { 0.0, 0.0, 0.0, 2.0 };
	const double n1[] = { -1.0, -0.0, 0.0 }, n2[] = { -1.0, 0.0, 0.0 };
	double pz = pk_mannwhitney_p(z5, 3, z6, 4);
	assert_false(isnan(pz));
	assert_true(pk_mannwhitney_p(z1, 3, z2, 4) == pz);
	assert_true(pk_mannwhitney_p(z3, 3, z4, 4) == pz);
	assert_true(pk_mannwhitney_p(z1, 3, z4, 4) == pz); /* +0 first in both */
	assert_true(pk_mannwhitney_p(n1, 3, z2, 4) ==
	            pk_mannwhitney_p(n2, 3, z6, 4));

	/* Cohen's d: empty side, n_a + n_b < 3, pooled sd 0 */
	assert_true(isnan(pk_cohens_d(&s, &two)));
	assert_true(isnan(pk_cohens_d(&one, &one)));
	struct pk_summary cs;
	pk_summary_sorted(c, 3, &cs);
	assert_true(isnan(pk_cohens_d(&cs, &cs)));
	assert_true(isnan(pk_cohens_d(&one, &cs)));
	/* a single value contributes 0 to the pooled sum of squares */
	assert_true(fabs(pk_cohens_d(&one, &two) - (2.0 - 5.0) / sqrt(2.0 / 1)) <
	            1e-15);

	/* r1: n < 2, constant series (also one that does not average exactly) */
	const double tenth[] = { 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1 };
	assert_true(isnan(pk_lag1_autocorr(NULL, 0)));
	assert_true(isnan(pk_lag1_autocorr(v1, 1)));
	assert_true(isnan(pk_lag1_autocorr(c, 3)));
	assert_true(isnan(pk_lag1_autocorr(tenth, 7)));
	assert_true(pk_lag1_autocorr(v2, 2) == -0.5);

	/* n_eff: n when r1 is NAN, clamped to [2, n] */
	assert_true(pk_n_eff(0, NAN) == 0);
	assert_true(pk_n_eff(1, NAN) == 1);
	assert_true(pk_n_eff(10, NAN) == 10);
	assert_true(pk_n_eff(10, 0.99) == 2);
	assert_true(pk_n_eff(10, -0.5) == 10);
	assert_true(pk_n_eff(10, -1) == 10);
	assert_true(fabs(pk_n_eff(100, 0.5) - 100.0 / 3) < 1e-12);
}

/* A constant series: its mean is the value and its spread 0, exactly (a
 * pairwise sum of three copies of 0.1 divided by 3 is 0.10000000000000002),
 * so Cohen's d between two constants is undefined, not a ratio of rounding
 * errors. */
static void test_constant_summary(void **state)
{
	(void)state;
	for (size_t n = 2; n <= 300; n++) {
		double *v = malloc(n * sizeof *v);
		assert_non_null(v);
		for (size_t i = 0; i < n; i++)
			v[i] = 0.1;
		struct pk_summary a, b;
		pk_summary_sorted(v, n, &a);
		assert_true(a.mean == 0.1);
		assert_true(a.var == 0 && a.stdev == 0);
		for (size_t i = 0; i < n; i++)
			v[i] = 0.3;
		pk_summary_sorted(v, n, &b);
		assert_true(isnan(pk_cohens_d(&a, &b)));
		free(v);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference),
		cmocka_unit_test(test_sort),
		cmocka_unit_test(test_constant_summary),
		cmocka_unit_test(test_sort_scratch),
		cmocka_unit_test(test_drop_missing),
		cmocka_unit_test(test_quantile),
		cmocka_unit_test(test_undefined),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
