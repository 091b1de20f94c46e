/* test_series_merge.c - unit tests of core/series_merge.c: sources of one
 * machine merged into one hardware series by the alignment rule (a sample
 * joins the nearest sample of the higher-precedence series when closer
 * than half the smaller median interval): offsets of a fraction of the
 * interval, a 1 s source against a 60 s one, two candidates for one
 * partner, exact matches, empty and one-sample series, whose value wins,
 * and random series against a brute-force reading of the rule. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/metrics.h"
#include "core/query.h"
#include "core/series_merge.h"
#include "tests/unit/testutil.h"

#define S 1000000   /* µs a second */

static const char *const gpu = "gpu.utilization_percent", *const cpu = "cpu.percent_total";

static double at(const struct pk_hw_series *s, const char *metric, size_t i)
{
	size_t m;
	assert_non_null(pk_hw_metric_find(metric, &m));
	return s->v[m][i];
}

/* a (metric gpu, values ga) and b (metric cpu, values cb) merged into d;
 * the output times ascend and are distinct. */
static void merge(const int64_t *ta, const double *ga, size_t na, const int64_t *tb,
                  const double *cb, size_t nb, struct pk_hw_series *d)
{
	struct pk_hw_series a, b;
	tu_series(&a, ta, na, &gpu, &ga, 1);
	tu_series(&b, tb, nb, &cpu, &cb, 1);
	*d = (struct pk_hw_series){ 0 };
	assert_int_equal(pk_series_merge_times(&a, &b, d), PK_OK);
	for (size_t i = 1; i < d->n; i++)
		assert_true(d->ts_us[i - 1] < d->ts_us[i]);
	pk_hw_series_free(&a);
	pk_hw_series_free(&b);
}

/* nvidia-smi at k + 0.374 s, sysstat at k s: each sysstat sample joins the
 * nvidia-smi one 0.374 s later (under 0.5 s), which keeps its time. */
static void test_offset_joins(void **state)
{
	(void)state;
	int64_t ta[10], tb[10];
	double ga[10], cb[10];
	for (int k = 0; k < 10; k++) {
		ta[k] = 1000 * (int64_t)S + k * (int64_t)S + 374000;
		tb[k] = 1000 * (int64_t)S + k * (int64_t)S;
		ga[k] = 10 + k;
		cb[k] = 50 + k;
	}
	struct pk_hw_series d;
	merge(ta, ga, 10, tb, cb, 10, &d);
	assert_int_equal(d.n, 10);
	for (size_t i = 0; i < 10; i++) {
		assert_int_equal(d.ts_us[i], ta[i]);
		assert_float_equal(at(&d, gpu, i), ga[i], 0);
		assert_float_equal(at(&d, cpu, i), cb[i], 0);
	}
	pk_hw_series_free(&d);
	/* at k + 0.626 s the nearer sysstat sample is the next one (0.374 s
	 * before): sysstat's first has none within 0.5 s, nvidia-smi's last
	 * has no next sysstat sample */
	for (int k = 0; k < 10; k++)
		ta[k] += 252000;
	merge(ta, ga, 10, tb, cb, 10, &d);
	assert_int_equal(d.n, 11);
	assert_int_equal(d.ts_us[0], tb[0]);
	assert_true(isnan(at(&d, gpu, 0)));
	assert_float_equal(at(&d, cpu, 0), cb[0], 0);
	for (size_t i = 0; i < 10; i++) {
		assert_int_equal(d.ts_us[i + 1], ta[i]);
		assert_float_equal(at(&d, gpu, i + 1), ga[i], 0);
		if (i < 9)
			assert_float_equal(at(&d, cpu, i + 1), cb[i + 1], 0);
	}
	assert_true(isnan(at(&d, cpu, 10)));
	pk_hw_series_free(&d);
	/* exactly half the interval apart: no join (strictly under half) */
	for (int k = 0; k < 10; k++)
		ta[k] = tb[k] + S / 2;
	merge(ta, ga, 10, tb, cb, 10, &d);
	assert_int_equal(d.n, 20);
	pk_hw_series_free(&d);
}

/* A source sampled each second against one each minute, both ways round:
 * the minute samples join the second sample 0.2 s away (the tolerance is
 * half the smaller interval, 0.5 s); the other second samples stay. */
static void test_second_against_minute(void **state)
{
	(void)state;
	enum { N = 180 };
	int64_t t1[N], t60[3];
	double v1[N], v60[3];
	for (int k = 0; k < N; k++) {
		t1[k] = (int64_t)k * S;
		v1[k] = k;
	}
	for (int k = 0; k < 3; k++) {
		t60[k] = (int64_t)k * 60 * S + 200000;
		v60[k] = 1000 + k;
	}
	struct pk_hw_series d;
	merge(t1, v1, N, t60, v60, 3, &d);   /* the 1 s source first */
	assert_int_equal(d.n, N);
	for (size_t i = 0; i < N; i++) {
		assert_int_equal(d.ts_us[i], t1[i]);
		if (i % 60 == 0)
			assert_float_equal(at(&d, cpu, i), 1000 + i / 60, 0);
		else
			assert_true(isnan(at(&d, cpu, i)));
	}
	pk_hw_series_free(&d);
	merge(t60, v60, 3, t1, v1, N, &d);   /* the 60 s source first */
	assert_int_equal(d.n, N);
	for (size_t i = 0; i < N; i++) {
		if (i % 60 == 0) {
			assert_int_equal(d.ts_us[i], t60[i / 60]);   /* its own time */
			assert_float_equal(at(&d, gpu, i), 1000 + i / 60, 0);
		} else {
			assert_int_equal(d.ts_us[i], t1[i]);
			assert_true(isnan(at(&d, gpu, i)));
		}
		assert_float_equal(at(&d, cpu, i), i, 0);
	}
	pk_hw_series_free(&d);
}

/* Irregular spacing: two samples of b nearest the same sample of a; it
 * absorbs the nearer (of two equally near, the earlier), the other stays
 * its own instant. */
static void test_two_candidates(void **state)
{
	(void)state;
	int64_t ta[] = { 0, 10 * S, 20 * S, 30 * S, 40 * S };
	double ga[] = { 1, 2, 3, 4, 5 };
	/* intervals of b: 8.5, 1.6, 9.9, 10, 10 s: median 9.9 s, reach < 4.95 s */
	int64_t tb[] = { S / 2, 9 * S, 10600000, 20500000, 30500000, 40500000 };
	double cb[] = { 10, 20, 30, 40, 50, 60 };
	struct pk_hw_series d;
	merge(ta, ga, 5, tb, cb, 6, &d);
	assert_int_equal(d.n, 6);
	int64_t want_t[] = { 0, 9 * S, 10 * S, 20 * S, 30 * S, 40 * S };
	double want_gpu[] = { 1, NAN, 2, 3, 4, 5 }, want_cpu[] = { 10, 20, 30, 40, 50, 60 };
	for (size_t i = 0; i < 6; i++) {
		assert_int_equal(d.ts_us[i], want_t[i]);
		tu_near("gpu", "two candidates", at(&d, gpu, i), want_gpu[i]);
		tu_near("cpu", "two candidates", at(&d, cpu, i), want_cpu[i]);
	}
	pk_hw_series_free(&d);
	/* equally near (0.6 s either side): the earlier joins */
	tb[1] = 9400000;
	merge(ta, ga, 5, tb, cb, 6, &d);
	assert_int_equal(d.n, 6);
	assert_int_equal(d.ts_us[1], 10 * S);
	assert_float_equal(at(&d, cpu, 1), 20, 0);
	assert_int_equal(d.ts_us[2], 10600000);
	assert_float_equal(at(&d, cpu, 2), 30, 0);
	assert_true(isnan(at(&d, gpu, 2)));
	pk_hw_series_free(&d);
	assert_int_equal(tu_failures, 0);
}

/* Same-time samples make one, as before the rule, even where the
 * intervals allow no other join (a median interval of 1 µs). */
static void test_exact_matches(void **state)
{
	(void)state;
	int64_t ta[] = { 1, 3, 5 }, tb[] = { 2, 3, 6 };
	double a1[] = { 10, NAN, 50 }, b1[] = { 20, 30, 60 }, b2[] = { 1, 2, 3 };
	const char *na[] = { cpu }, *nb[] = { cpu, "memory.percent" };
	const double *xa[] = { a1 }, *xb[] = { b1, b2 };
	struct pk_hw_series a, b, d = { 0 };
	tu_series(&a, ta, 3, na, xa, 1);
	tu_series(&b, tb, 3, nb, xb, 2);
	assert_int_equal(pk_series_merge_times(&a, &b, &d), PK_OK);
	assert_int_equal(d.n, 5);
	int64_t want_t[] = { 1, 2, 3, 5, 6 };
	double want_cpu[] = { 10, 20, 30, 50, 60 };
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(d.ts_us[i], want_t[i]);
		assert_float_equal(at(&d, cpu, i), want_cpu[i], 0);
	}
	assert_true(isnan(at(&d, "memory.percent", 0)));
	assert_float_equal(at(&d, "memory.percent", 2), 2, 0);
	pk_hw_series_free(&a);
	pk_hw_series_free(&b);
	pk_hw_series_free(&d);
}

/* An empty series adds nothing; a one-sample series takes the other's
 * interval; two one-sample series join only at the same microsecond. */
static void test_empty_and_one_sample(void **state)
{
	(void)state;
	int64_t t[] = { 0, S, 2 * S, 3 * S }, t1[] = { 2 * S + 300000 };
	double v[] = { 1, 2, 3, 4 }, v1[] = { 9 };
	struct pk_hw_series d;
	merge(t, v, 4, t, v, 0, &d);
	assert_int_equal(d.n, 4);
	assert_true(isnan(at(&d, cpu, 0)));
	pk_hw_series_free(&d);
	merge(t, v, 0, t, v, 4, &d);
	assert_int_equal(d.n, 4);
	assert_float_equal(at(&d, cpu, 3), 4, 0);
	pk_hw_series_free(&d);
	merge(t, v, 0, t, v, 0, &d);
	assert_int_equal(d.n, 0);
	pk_hw_series_free(&d);
	/* one sample of b 0.3 s after a's third: joins it */
	merge(t, v, 4, t1, v1, 1, &d);
	assert_int_equal(d.n, 4);
	assert_int_equal(d.ts_us[2], 2 * S);
	assert_float_equal(at(&d, cpu, 2), 9, 0);
	pk_hw_series_free(&d);
	/* one sample of a: joins b's third, with a's time */
	merge(t1, v1, 1, t, v, 4, &d);
	assert_int_equal(d.n, 4);
	assert_int_equal(d.ts_us[2], t1[0]);
	assert_float_equal(at(&d, gpu, 2), 9, 0);
	assert_float_equal(at(&d, cpu, 2), 3, 0);
	pk_hw_series_free(&d);
	/* one sample each: no interval to judge by */
	merge(t1, v1, 1, t + 2, v, 1, &d);
	assert_int_equal(d.n, 2);
	pk_hw_series_free(&d);
	merge(t1, v1, 1, t1, v1, 1, &d);
	assert_int_equal(d.n, 1);
	assert_float_equal(at(&d, cpu, 0), 9, 0);
	pk_hw_series_free(&d);
}

/* A metric both samples have keeps a's value; a's missing one takes b's. */
static void test_precedence(void **state)
{
	(void)state;
	int64_t ta[] = { 100000, S + 100000 }, tb[] = { 0, S };
	double a_cpu[] = { 10, NAN }, a_gpu[] = { 70, 71 }, b_cpu[] = { 20, 21 },
	       b_mem[] = { 5, 6 };
	const char *na[] = { cpu, gpu }, *nb[] = { cpu, "memory.percent" };
	const double *xa[] = { a_cpu, a_gpu }, *xb[] = { b_cpu, b_mem };
	struct pk_hw_series a, b, d = { 0 };
	tu_series(&a, ta, 2, na, xa, 2);
	tu_series(&b, tb, 2, nb, xb, 2);
	assert_int_equal(pk_series_merge_times(&a, &b, &d), PK_OK);
	assert_int_equal(d.n, 2);
	assert_int_equal(d.ts_us[0], ta[0]);
	assert_float_equal(at(&d, cpu, 0), 10, 0);   /* a's, not b's 20 */
	assert_float_equal(at(&d, cpu, 1), 21, 0);   /* a's is missing */
	assert_float_equal(at(&d, gpu, 1), 71, 0);
	assert_float_equal(at(&d, "memory.percent", 0), 5, 0);
	assert_float_equal(at(&d, "memory.percent", 1), 6, 0);
	pk_hw_series_free(&a);
	pk_hw_series_free(&b);
	pk_hw_series_free(&d);
}

/* The rule read literally, O(n^2): each b's nearest a (the earlier of two
 * equally near) by a full scan, within reach (the medians by sorting);
 * each a keeps the nearest of the b's that chose it (the earlier).
 * partner[i] = j or -1. */
static int cmp_i64(const void *p, const void *q)
{
	int64_t x = *(const int64_t *)p, y = *(const int64_t *)q;
	return (x > y) - (x < y);
}

static int64_t median_or_neg(const int64_t *t, size_t n)
{
	if (n < 2)
		return -1;
	int64_t *d = malloc((n - 1) * sizeof *d);
	assert_non_null(d);
	for (size_t i = 0; i + 1 < n; i++)
		d[i] = t[i + 1] - t[i];
	qsort(d, n - 1, sizeof *d, cmp_i64);
	int64_t m = d[(n - 2) / 2];
	free(d);
	return m;
}

static void brute_partners(const int64_t *ta, size_t na, const int64_t *tb, size_t nb,
                           long *partner)
{
	int64_t ma = median_or_neg(ta, na), mb = median_or_neg(tb, nb);
	int64_t m = ma < 0 ? mb : mb < 0 ? ma : ma < mb ? ma : mb;
	for (size_t i = 0; i < na; i++)
		partner[i] = -1;
	for (size_t j = 0; j < nb && na > 0; j++) {
		size_t best = 0;
		for (size_t i = 1; i < na; i++)
			if (llabs(ta[i] - tb[j]) < llabs(ta[best] - tb[j]))
				best = i;
		int64_t d = llabs(ta[best] - tb[j]);
		if (d != 0 && !(m > 0 && d < m - d))   /* d < m / 2 */
			continue;
		long p = partner[best];
		if (p < 0 || d < llabs(ta[best] - tb[p]))
			partner[best] = (long)j;
	}
}

static uint64_t rng = 88172645463325252u;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Random series of distinct times (regular with jitter, or bursty), merged
 * and checked against brute_partners. */
static void test_random_against_brute_force(void **state)
{
	(void)state;
	for (int round = 0; round < 300; round++) {
		size_t n[2];
		int64_t *t[2];
		double *v[2];
		for (int s = 0; s < 2; s++) {
			n[s] = next() % 40;
			t[s] = malloc((n[s] + 1) * sizeof *t[s]);
			v[s] = malloc((n[s] + 1) * sizeof *v[s]);
			int64_t step = 1 + (int64_t)(next() % 1000), x = (int64_t)(next() % 1000);
			for (size_t i = 0; i < n[s]; i++) {
				x += round % 2 ? 1 + (int64_t)(next() % (uint64_t)(2 * step))
				               : step + (int64_t)(next() % 7) - 3 + 4;
				t[s][i] = x;
				v[s][i] = (double)(s * 1000 + i);
			}
		}
		long *partner = malloc((n[0] + 1) * sizeof *partner);
		brute_partners(t[0], n[0], t[1], n[1], partner);
		/* the expected samples: a's (with partners), b's unjoined */
		size_t want = n[0] + n[1];
		for (size_t i = 0; i < n[0]; i++)
			want -= partner[i] >= 0;
		struct pk_hw_series d;
		merge(t[0], v[0], n[0], t[1], v[1], n[1], &d);
		assert_int_equal(d.n, want);
		size_t i = 0, k = 0;
		for (; k < d.n; k++) {
			double g = at(&d, gpu, k), c = at(&d, cpu, k);
			if (!isnan(g)) {
				assert_float_equal(g, (double)i, 0);
				assert_int_equal(d.ts_us[k], t[0][i]);
				if (partner[i] >= 0)
					assert_float_equal(c, 1000.0 + (double)partner[i], 0);
				else
					assert_true(isnan(c));
				i++;
			} else {   /* an unjoined b: its own time, no a took it */
				size_t j = (size_t)(c - 1000);
				assert_int_equal(d.ts_us[k], t[1][j]);
				for (size_t q = 0; q < n[0]; q++)
					assert_true(partner[q] != (long)j);
			}
		}
		assert_int_equal(i, n[0]);
		pk_hw_series_free(&d);
		free(partner);
		for (int s = 0; s < 2; s++) {
			free(t[s]);
			free(v[s]);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_offset_joins),
		cmocka_unit_test(test_second_against_minute),
		cmocka_unit_test(test_two_candidates),
		cmocka_unit_test(test_exact_matches),
		cmocka_unit_test(test_empty_and_one_sample),
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_random_against_brute_force),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
