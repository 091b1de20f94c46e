/* test_changepoint.c - analyze/changepoint.c: the optimal partitioning
 * against an exhaustive search over every segmentation of small series,
 * the robust noise scale and the tail approximation against values computed
 * by hand with python3's statistics.NormalDist (shown beside each), the
 * AR(1) estimate on a long generated series, and the detector's behaviour:
 * steps found with exact levels, spikes named outliers, a trend and a
 * random walk without change points, the latest run out of line, edge
 * cases, and false change points on generated series without change. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/changepoint.h"

static uint64_t rng = 12345;

static double unif(void)
{
	uint64_t z = (rng += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	z ^= z >> 31;
	return ((double)(z >> 11) + 0.5) / 9007199254740992.0;
}

static double gauss(void)
{
	return sqrt(-2 * log(unif())) * cos(2 * M_PI * unif());
}

/* sum of squares about the mean of z[a..b) */
static double rss(const double *z, size_t a, size_t b)
{
	double m = 0, s = 0;
	for (size_t i = a; i < b; i++)
		m += z[i];
	m /= (double)(b - a);
	for (size_t i = a; i < b; i++)
		s += (z[i] - m) * (z[i] - m);
	return s;
}

/* the least penalised cost of z[a..n) over every segmentation with
 * segments >= h, by exhaustive recursion */
static double brute(const double *z, size_t a, size_t n, size_t h, double beta)
{
	double best = rss(z, a, n);
	for (size_t c = a + h; c + h <= n; c++) {
		double v = rss(z, a, c) + beta + brute(z, c, n, h, beta);
		if (v < best)
			best = v;
	}
	return best;
}

static void test_partition_exhaustive(void **state)
{
	(void)state;
	double z[14];
	size_t cps[14];
	int cases = 0;
	for (size_t n = 4; n <= 14; n++)
		for (size_t h = 1; h <= 3; h++)
			for (int k = 0; k < 4; k++) {
				double beta = k == 0 ? 0.3 : k == 1 ? 1 : k == 2 ? 3 : 10;
				for (size_t i = 0; i < n; i++)
					z[i] = gauss() + (i >= n / 2 ? 2 * (double)k - 2 : 0) +
					       (i % 5 == 0 ? 1.5 : 0);
				if (n < h)
					continue;
				size_t ncp;
				double cost, exp = brute(z, 0, n, h, beta);
				assert_int_equal(pk_cp_partition(z, n, h, beta, cps, &ncp, &cost), PK_OK);
				/* the reported minimum and the cost of the change points
				 * returned both equal the exhaustive minimum */
				double got = beta * (double)ncp;
				for (size_t i = 0; i <= ncp; i++) {
					size_t a = i ? cps[i - 1] : 0, b = i < ncp ? cps[i] : n;
					assert_true(b - a >= h);
					got += rss(z, a, b);
				}
				assert_true(fabs(cost - exp) <= 1e-9 * (1 + fabs(exp)));
				assert_true(fabs(got - exp) <= 1e-9 * (1 + fabs(exp)));
				cases++;
			}
	assert_true(cases > 100);
}

static void test_robust_sd(void **state)
{
	(void)state;
	/* |d - 5.5| sorted: .5 .5 1.5 1.5 2.5 2.5 3.5 3.5 4.5 4.5; the 8
	 * smallest average 2; c = 2 (pdf(0) - pdf(inv_cdf(0.9))) / 0.8 =
	 * 0.5586098711723649; 2 / c = 3.580316251487935 (NormalDist) */
	double d[10] = { 7, 2, 9, 4, 5, 6, 1, 8, 3, 10 };
	assert_true(fabs(pk_cp_robust_sd(d, 10) - 3.580316251487935) < 1e-12);
	assert_true(pk_cp_robust_sd(d, 0) == 0);
	/* a Gaussian sample of sd 2: within 2 % */
	static double g[200000];
	for (size_t i = 0; i < 200000; i++)
		g[i] = 2 * gauss() + 5;
	assert_true(fabs(pk_cp_robust_sd(g, 200000) / 2 - 1) < 0.02);
}

static void test_tail(void **state)
{
	(void)state;
	/* b pdf(b) log(t1 (1 - t0) / (t0 (1 - t1))) + 4 pdf(b) / b, b = 3,
	 * t0 = 5/300: 0.11433529828826526 (NormalDist) */
	assert_true(fabs(pk_cp_max_z_tail(3, 5, 300) - 0.11433529828826526) < 1e-12);
	assert_true(fabs(pk_cp_max_z_tail(-3, 5, 300) - 0.11433529828826526) < 1e-12);
	/* one allowed split: 2 (1 - Phi(2.5)) = 0.012419330651552318 */
	assert_true(fabs(pk_cp_max_z_tail(2.5, 5, 10) - 0.012419330651552318) < 1e-12);
	assert_true(pk_cp_max_z_tail(0.1, 5, 300) == 1);
	assert_int_equal(pk_cp_default_min_segment(15), 3);
	assert_int_equal(pk_cp_default_min_segment(300), 5);
	assert_int_equal(pk_cp_default_min_segment(10000), 33);
}

static void test_step_and_spike(void **state)
{
	(void)state;
	double x[60];
	for (size_t i = 0; i < 60; i++)
		x[i] = (i < 35 ? 10 : 13) + 0.5 * gauss();
	x[12] += 6; /* a spike */
	struct pk_cp_result r;
	assert_int_equal(pk_changepoints(x, 60, NULL, &r), PK_OK);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.cp[0].index, 35);
	assert_int_equal(r.noutliers, 1);
	assert_int_equal(r.outlier[0], 12);
	assert_false(r.last_out_of_line);
	assert_false(r.wandering);
	/* before/after: segment means with the outlier replaced by the mean of
	 * the means of its two neighbours on each side */
	double s = 0, t = 0;
	for (size_t i = 0; i < 35; i++)
		s += i == 12 ? ((x[10] + x[11]) / 2 + (x[13] + x[14]) / 2) / 2 : x[i];
	for (size_t i = 35; i < 60; i++)
		t += x[i];
	assert_true(fabs(r.cp[0].before_mean - s / 35) < 1e-9);
	assert_true(fabs(r.cp[0].after_mean - t / 25) < 1e-9);
	assert_true(r.cp[0].p < 1e-6 && r.cp[0].statistic > 5);
	/* Z by its definition (no trend fitted away here beyond r.slope) and p
	 * from the tail checked above */
	double zb = 0, za = 0;
	for (size_t i = 0; i < 35; i++)
		zb += (i == 12 ? ((x[10] + x[11]) / 2 + (x[13] + x[14]) / 2) / 2 : x[i]) -
		      r.slope * (double)i;
	for (size_t i = 35; i < 60; i++)
		za += x[i] - r.slope * (double)i;
	double jump = za / 25 - zb / 35, Z = jump / sqrt(r.lrv * (1.0 / 35 + 1.0 / 25));
	assert_true(fabs(r.cp[0].jump - jump) < 1e-9);
	assert_true(fabs(r.cp[0].statistic - Z) < 1e-9 * fabs(Z));
	assert_true(r.cp[0].p == pk_cp_max_z_tail(Z, r.min_segment, 60));
	assert_true(fabs(r.cp[0].size_sd - jump / r.sigma) < 1e-9);
	assert_true(r.cp[0].size_sd > 3 && r.cp[0].size_sd < 9);
	pk_cp_result_free(&r);

	/* the same spike at the end: not an outlier, out of line */
	x[59] += 8;
	assert_int_equal(pk_changepoints(x, 60, NULL, &r), PK_OK);
	assert_true(r.last_out_of_line);
	assert_int_equal(r.n, 1);
	pk_cp_result_free(&r);
}

static void test_trend_and_walk(void **state)
{
	(void)state;
	double x[300];
	struct pk_cp_result r;
	for (size_t i = 0; i < 300; i++)
		x[i] = 0.05 * (double)i + gauss();
	assert_int_equal(pk_changepoints(x, 300, NULL, &r), PK_OK);
	assert_int_equal(r.n, 0);
	assert_true(fabs(r.slope - 0.05) < 0.01);
	pk_cp_result_free(&r);
	/* a trend with a step of 3 sd */
	for (size_t i = 150; i < 300; i++)
		x[i] += 3;
	assert_int_equal(pk_changepoints(x, 300, NULL, &r), PK_OK);
	assert_int_equal(r.n, 1);
	assert_true(r.cp[0].index >= 147 && r.cp[0].index <= 153);
	assert_true(fabs(r.cp[0].jump - 3) < 1);
	pk_cp_result_free(&r);
	/* a random walk: no level change points */
	int found = 0;
	for (int k = 0; k < 20; k++) {
		for (size_t i = 0; i < 300; i++)
			x[i] = (i ? x[i - 1] : 0) + gauss();
		assert_int_equal(pk_changepoints(x, 300, NULL, &r), PK_OK);
		found += (int)r.n;
		pk_cp_result_free(&r);
	}
	assert_true(found <= 2);
	/* a random walk with a jump of 12 increments' sd: the wandering case
	 * names the jump */
	for (size_t i = 0; i < 300; i++)
		x[i] = (i ? x[i - 1] : 0) + gauss() + (i == 200 ? 12 : 0);
	assert_int_equal(pk_changepoints(x, 300, NULL, &r), PK_OK);
	assert_true(r.wandering);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.cp[0].index, 200);
	assert_true(r.cp[0].p < 1e-6 && r.cp[0].size_sd > 8);
	pk_cp_result_free(&r);
}

static void test_ar1_estimate(void **state)
{
	(void)state;
	size_t n = 20000;
	double *x = malloc(n * sizeof *x), e = 0;
	assert_non_null(x);
	for (size_t i = 0; i < n; i++) {
		e = 0.6 * e + 0.8 * gauss(); /* marginal sd 1 */
		x[i] = e;
	}
	struct pk_cp_result r;
	assert_int_equal(pk_changepoints(x, n, NULL, &r), PK_OK);
	assert_int_equal(r.n, 0);
	assert_true(fabs(r.phi - 0.6) < 0.03);
	assert_true(fabs(r.sigma - 1) < 0.05);
	/* lrv = sigma^2 (1 + phi) / (1 - phi) */
	assert_true(fabs(r.lrv - r.sigma * r.sigma * (1 + r.phi) / (1 - r.phi)) < 1e-12);
	pk_cp_result_free(&r);
	free(x);
}

static void test_no_change_rate(void **state)
{
	(void)state;
	/* 100 series of 300 runs each of independent and AR(1) 0.6 noise: fewer
	 * than 0.2 change points a series (bench/cp_eval.c measures more) */
	double x[300];
	size_t found[2] = { 0, 0 };
	for (int k = 0; k < 2; k++)
		for (int s = 0; s < 100; s++) {
			double e = gauss();
			for (size_t i = 0; i < 300; i++) {
				e = k ? 0.6 * e + 0.8 * gauss() : gauss();
				x[i] = e;
			}
			struct pk_cp_result r;
			assert_int_equal(pk_changepoints(x, 300, NULL, &r), PK_OK);
			found[k] += r.n;
			pk_cp_result_free(&r);
		}
	printf("no change: %zu change points in 100 independent series, %zu in 100 AR(1) 0.6\n",
	       found[0], found[1]);
	assert_true(found[0] < 20 && found[1] < 20);
}

static void test_edges(void **state)
{
	(void)state;
	struct pk_cp_result r;
	double x[20];
	for (size_t i = 0; i < 20; i++)
		x[i] = 4;
	assert_int_equal(pk_changepoints(x, 20, NULL, &r), PK_OK); /* constant */
	assert_int_equal(r.n, 0);
	assert_int_equal(r.noutliers, 0);
	pk_cp_result_free(&r);
	/* noise-free step: found, size in sd undefined (sd 0) */
	for (size_t i = 10; i < 20; i++)
		x[i] = 7;
	assert_int_equal(pk_changepoints(x, 20, NULL, &r), PK_OK);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.cp[0].index, 10);
	assert_true(r.cp[0].before_mean == 4 && r.cp[0].after_mean == 7);
	assert_true(isnan(r.cp[0].size_sd));
	pk_cp_result_free(&r);
	assert_int_equal(pk_changepoints(x, 2, NULL, &r), PK_OK); /* too short */
	assert_int_equal(r.n, 0);
	assert_int_equal(pk_changepoints(NULL, 0, NULL, &r), PK_OK);
	assert_int_equal(r.n, 0);
	struct pk_cp_options o = { .min_segment = 1 };
	assert_int_equal(pk_changepoints(x, 20, &o, &r), PK_ERR_INPUT);
	o = (struct pk_cp_options){ .alpha = 1 };
	assert_int_equal(pk_changepoints(x, 20, &o, &r), PK_ERR_INPUT);
	x[3] = NAN;
	assert_int_equal(pk_changepoints(x, 20, NULL, &r), PK_ERR_INPUT);
	/* a short series of 15 still has a change point */
	double y[15] = { 5.1, 4.9, 5.0, 5.2, 4.8, 5.0, 5.1, 8.0, 8.2, 7.9, 8.1, 8.0, 7.8, 8.1, 8.0 };
	assert_int_equal(pk_changepoints(y, 15, NULL, &r), PK_OK);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.cp[0].index, 7);
	assert_int_equal(r.min_segment, 3);
	pk_cp_result_free(&r);
	/* --min-segment larger than half the series: no change point */
	o = (struct pk_cp_options){ .min_segment = 8 };
	assert_int_equal(pk_changepoints(y, 15, &o, &r), PK_OK);
	assert_int_equal(r.n, 0);
	pk_cp_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_partition_exhaustive),
		cmocka_unit_test(test_robust_sd),
		cmocka_unit_test(test_tail),
		cmocka_unit_test(test_step_and_spike),
		cmocka_unit_test(test_trend_and_walk),
		cmocka_unit_test(test_ar1_estimate),
		cmocka_unit_test(test_no_change_rate),
		cmocka_unit_test(test_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
