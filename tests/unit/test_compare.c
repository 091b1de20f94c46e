/* test_compare.c - analyze/compare.c on hand-built series: missing values
 * are excluded (not zero), verdicts follow each metric's direction,
 * undefined statistics are NAN; pk_window_for on a small database. */
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

#include "analyze/compare.h"
#include "analyze/quality.h"
#include "core/query_hw_sources.h"
#include "core/store.h"

/* A series of n samples, one a minute, with every value missing. */
static struct pk_hw_series *series_new(size_t n)
{
	struct pk_hw_series *s = calloc(1, sizeof *s);

	assert_non_null(s);
	s->n = n;
	s->ts_us = calloc(n ? n : 1, sizeof *s->ts_us);
	s->v = calloc(pk_hw_nmetrics, sizeof *s->v);
	assert_non_null(s->ts_us);
	assert_non_null(s->v);
	for (size_t i = 0; i < n; i++)
		s->ts_us[i] = (int64_t)i * 60000000;
	for (size_t m = 0; m < pk_hw_nmetrics; m++) {
		s->v[m] = malloc((n ? n : 1) * sizeof *s->v[m]);
		assert_non_null(s->v[m]);
		for (size_t i = 0; i < n; i++)
			s->v[m][i] = NAN;
	}
	return s;
}

static void series_free(struct pk_hw_series *s)
{
	for (size_t m = 0; m < pk_hw_nmetrics; m++)
		free(s->v[m]);
	free(s->v);
	free(s->ts_us);
	free(s);
}

static void set_values(struct pk_hw_series *s, size_t m, const double *v)
{
	memcpy(s->v[m], v, s->n * sizeof *v);
}

/* The index of the k-th metric (0-based) with direction d. */
/* The k-th metric of direction d, leaving out the memory used: with it
 * and the memory available or free both set, a verdict would also depend
 * on the machines' capacities (test_capacity). */
static size_t metric_with(enum pk_direction d, int k)
{
	static const char *const amounts[] = { "memory.used_gb", "gpu.memory_used_mb" };
	for (size_t m = 0; m < pk_hw_nmetrics; m++) {
		int amount = 0;
		for (size_t i = 0; i < 2; i++)
			amount |= strcmp(pk_hw_metrics[m].name, amounts[i]) == 0;
		if (!amount && pk_hw_metrics[m].direction == d && k-- == 0)
			return m;
	}
	fail_msg("the registry has too few metrics of direction %s",
	         pk_direction_str(d));
	return 0;
}

static const struct pk_window win = { 0, 3600000000 };

static void test_missing_excluded(void **state)
{
	(void)state;
	size_t m = metric_with(PK_LOWER_IS_BETTER, 0);
	struct pk_hw_series *a = series_new(6), *b = series_new(5);
	const double va[] = { 10, NAN, 12, NAN, 11, 13 };
	const double vb[] = { NAN, 20, NAN, 22, 21 };
	const double pa[] = { 10, 12, 11, 13 }, pb[] = { 20, 22, 21 };
	struct pk_compare c;

	set_values(a, m, va);
	set_values(b, m, vb);
	assert_int_equal(pk_compare_series("laptop", &win, a, "desktop", &win, b,
	                                   &c), PK_OK);
	assert_string_equal(c.a, "laptop");
	assert_string_equal(c.b, "desktop");
	assert_int_equal(c.samples_a, 6);
	assert_int_equal(c.samples_b, 5);
	assert_int_equal(c.nmetrics, pk_hw_nmetrics);
	assert_true(c.window_a.to_us == win.to_us);

	const struct pk_metric_compare *r = &c.metrics[m];
	assert_ptr_equal(r->metric, &pk_hw_metrics[m]);
	assert_int_equal(r->a.count, 4);
	assert_int_equal(r->b.count, 3);
	assert_true(r->a.mean == 11.5);    /* 46 / 6 if NAN were 0 */
	assert_true(r->a.min == 10);       /* 0 if NAN were 0 */
	assert_true(r->b.mean == 21);
	assert_true(r->b.median == 21);
	assert_true(r->diff == 9.5);
	assert_true(r->ratio == 21 / 11.5);

	/* r1 over the present values in time order */
	assert_true(r->r1_a == pk_lag1_autocorr(pa, 4));
	assert_true(r->r1_b == pk_lag1_autocorr(pb, 3));
	assert_true(r->n_eff_a == pk_n_eff(4, r->r1_a));
	assert_true(r->n_eff_b == pk_n_eff(3, r->r1_b));
	assert_true(r->welch_p == pk_welch_p(11.5, r->a.var, 4, 21, 1, 3));
	assert_true(r->welch_p_adjusted ==
	            pk_welch_p(11.5, r->a.var, r->n_eff_a, 21, 1, r->n_eff_b));
	const double sa[] = { 10, 11, 12, 13 }, sb[] = { 20, 21, 22 };
	assert_true(r->mannwhitney_p == pk_mannwhitney_p(sa, 4, sb, 3));
	assert_true(r->cohens_d == pk_cohens_d(&r->a, &r->b));
	assert_false(isnan(r->welch_p_adjusted));

	/* every other metric is all missing: undefined */
	size_t other = (m + 1) % pk_hw_nmetrics;
	assert_int_equal(c.metrics[other].a.count, 0);
	assert_int_equal(c.metrics[other].verdict, PK_VERDICT_UNDEFINED);
	pk_compare_free(&c);
	assert_null(c.metrics);
	assert_null(c.a);
	series_free(a);
	series_free(b);
}

/* Fills v[0..n) with base +- 0.5, alternating (r1 near -1, n_eff = n). */
static void alternating(double *v, size_t n, double base)
{
	for (size_t i = 0; i < n; i++)
		v[i] = base + (i % 2 ? 0.5 : -0.5);
}

static void test_verdicts(void **state)
{
	(void)state;
	enum { N = 40 };
	struct pk_hw_series *a = series_new(N), *b = series_new(N);
	size_t lo0 = metric_with(PK_LOWER_IS_BETTER, 0);
	size_t lo1 = metric_with(PK_LOWER_IS_BETTER, 1);
	size_t lo2 = metric_with(PK_LOWER_IS_BETTER, 2);
	size_t hi0 = metric_with(PK_HIGHER_IS_BETTER, 0);
	size_t hi1 = metric_with(PK_HIGHER_IS_BETTER, 1);
	size_t ne0 = metric_with(PK_NEUTRAL, 0);
	size_t ne1 = metric_with(PK_NEUTRAL, 1);
	struct { size_t m; double a, b; enum pk_verdict want; } cases[] = {
		{ lo0, 50, 40, PK_VERDICT_BETTER },
		{ lo1, 40, 50, PK_VERDICT_WORSE },
		{ lo2, 40, 40, PK_VERDICT_NO_DIFFERENCE },
		{ hi0, 40, 50, PK_VERDICT_BETTER },
		{ hi1, 50, 40, PK_VERDICT_WORSE },
		{ ne0, 40, 50, PK_VERDICT_HIGHER },
		{ ne1, 50, 40, PK_VERDICT_LOWER },
	};
	struct pk_compare c;

	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		alternating(a->v[cases[k].m], N, cases[k].a);
		alternating(b->v[cases[k].m], N, cases[k].b);
		a->v[cases[k].m][7] = NAN;   /* gaps change nothing */
		b->v[cases[k].m][20] = NAN;
	}
	assert_int_equal(pk_compare_series("a", &win, a, "b", &win, b, &c), PK_OK);
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		const struct pk_metric_compare *r = &c.metrics[cases[k].m];

		if (r->verdict != cases[k].want)
			fail_msg("%s: verdict %s, expected %s", r->metric->name,
			         pk_verdict_str(r->verdict),
			         pk_verdict_str(cases[k].want));
		assert_int_equal(r->a.count, N - 1);
		assert_int_equal(r->b.count, N - 1);
	}
	/* a slight difference, significant on n but not on n_eff */
	size_t m = metric_with(PK_LOWER_IS_BETTER, 3);
	for (size_t i = 0; i < N; i++) {
		/* a slow ramp: r1 near 1, n_eff small */
		a->v[m][i] = 10 + (double)i / N;
		b->v[m][i] = 10.3 + (double)i / N;
	}
	pk_compare_free(&c);
	assert_int_equal(pk_compare_series("a", &win, a, "b", &win, b, &c), PK_OK);
	const struct pk_metric_compare *r = &c.metrics[m];
	assert_true(r->welch_p < PK_ALPHA);
	assert_true(r->r1_a > 0.9 && r->n_eff_a < 3);
	assert_true(r->welch_p_adjusted >= PK_ALPHA);
	assert_int_equal(r->verdict, PK_VERDICT_NO_DIFFERENCE);
	pk_compare_free(&c);
	series_free(a);
	series_free(b);
}

/* Amounts of memory on machines of different sizes are judged neutral
 * (B higher/lower) with both capacities stated; on machines of one size
 * they keep their direction. */
static void test_capacity(void **state)
{
	(void)state;
	enum { N = 40 };
	size_t used, avail, pct;
	assert_non_null(pk_hw_metric_find("memory.used_gb", &used));
	assert_non_null(pk_hw_metric_find("memory.available_gb", &avail));
	assert_non_null(pk_hw_metric_find("memory.percent", &pct));
	struct { double used_b, avail_b, cap_b; enum pk_verdict want_used; } cases[] = {
		{ 10, 22, 32, PK_VERDICT_HIGHER },   /* 8 GB against 32 GB */
		{ 5, 3, NAN, PK_VERDICT_WORSE },     /* both 8 GB */
		{ 4.5, 4.2, NAN, PK_VERDICT_WORSE }, /* 8 against 8.7: within 10 % */
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		struct pk_hw_series *a = series_new(N), *b = series_new(N);
		for (size_t i = 0; i < N; i++) {
			double d = i % 2 ? 0.1 : -0.1;
			a->v[used][i] = 4 + d;
			a->v[avail][i] = 4 - d;
			b->v[used][i] = cases[k].used_b + d;
			b->v[avail][i] = cases[k].avail_b - d;
			a->v[pct][i] = 50 + d;
			b->v[pct][i] = 100 * cases[k].used_b / (cases[k].used_b + cases[k].avail_b) + d;
		}
		struct pk_compare c;
		assert_int_equal(pk_compare_series("a", &win, a, "b", &win, b, &c), PK_OK);
		const struct pk_metric_compare *u = &c.metrics[used];
		if (u->verdict != cases[k].want_used)
			fail_msg("case %zu: verdict %s", k, pk_verdict_str(u->verdict));
		if (isnan(cases[k].cap_b)) {
			assert_true(isnan(u->capacity_a) && isnan(u->capacity_b));
			assert_true(isnan(c.metrics[avail].capacity_a));
		} else {
			assert_float_equal(u->capacity_a, 8, 1e-9);
			assert_float_equal(u->capacity_b, cases[k].cap_b, 1e-9);
			assert_float_equal(c.metrics[avail].capacity_b, cases[k].cap_b, 1e-9);
			assert_int_equal(c.metrics[avail].verdict, PK_VERDICT_HIGHER);
			/* the share keeps its direction: 31 % against 50 % is better */
			assert_int_equal(c.metrics[pct].verdict, PK_VERDICT_BETTER);
		}
		pk_compare_free(&c);
		series_free(a);
		series_free(b);
	}
}

static void test_undefined(void **state)
{
	(void)state;
	struct pk_hw_series *a = series_new(4), *b = series_new(4);
	size_t m0 = metric_with(PK_LOWER_IS_BETTER, 0);
	size_t m1 = metric_with(PK_LOWER_IS_BETTER, 1);
	size_t m2 = metric_with(PK_HIGHER_IS_BETTER, 0);
	size_t m3 = metric_with(PK_NEUTRAL, 0);
	const double some[] = { 1, 2, NAN, 3 };
	const double constant[] = { 5, 5, NAN, 5 };
	const double zero_mean[] = { -1, 1, NAN, 0 };
	const double pos[] = { 2, 3, 4, NAN };
	struct pk_compare c;

	set_values(b, m0, some);               /* a: all missing */
	set_values(a, m1, constant);           /* both constant, equal */
	set_values(b, m1, constant);
	set_values(a, m2, zero_mean);          /* mean_a = 0 */
	set_values(b, m2, pos);
	set_values(a, m3, some);               /* one value on b */
	b->v[m3][1] = 7;
	assert_int_equal(pk_compare_series("a", &win, a, "b", &win, b, &c), PK_OK);

	const struct pk_metric_compare *r = &c.metrics[m0];
	assert_int_equal(r->a.count, 0);
	assert_int_equal(r->b.count, 3);
	assert_true(isnan(r->a.mean) && isnan(r->a.median) && isnan(r->a.stdev) &&
	            isnan(r->a.min) && isnan(r->a.max) && isnan(r->a.p95) &&
	            isnan(r->a.p99));
	assert_true(isnan(r->diff) && isnan(r->ratio) && isnan(r->welch_p) &&
	            isnan(r->mannwhitney_p) && isnan(r->cohens_d) &&
	            isnan(r->r1_a) && isnan(r->welch_p_adjusted));
	assert_true(r->n_eff_a == 0);
	assert_true(r->b.mean == 2);
	assert_int_equal(r->verdict, PK_VERDICT_UNDEFINED);

	r = &c.metrics[m1];
	assert_true(r->a.stdev == 0 && r->b.stdev == 0 && r->diff == 0);
	assert_true(r->ratio == 1);
	assert_true(isnan(r->r1_a) && r->n_eff_a == 3);
	assert_true(isnan(r->welch_p) && isnan(r->welch_p_adjusted));
	assert_true(isnan(r->mannwhitney_p) && isnan(r->cohens_d));
	assert_int_equal(r->verdict, PK_VERDICT_UNDEFINED);

	r = &c.metrics[m2];
	assert_true(r->a.mean == 0);
	assert_true(isnan(r->ratio));
	assert_true(r->diff == 3);
	assert_false(isnan(r->welch_p));

	r = &c.metrics[m3];
	assert_int_equal(r->b.count, 1);
	assert_true(r->b.mean == 7 && isnan(r->b.stdev));
	assert_true(isnan(r->welch_p) && isnan(r->welch_p_adjusted));
	assert_false(isnan(r->cohens_d));        /* pooled over 3 + 1 values */
	assert_false(isnan(r->mannwhitney_p));
	assert_int_equal(r->verdict, PK_VERDICT_UNDEFINED);
	pk_compare_free(&c);
	series_free(a);
	series_free(b);
}

static void test_empty_series(void **state)
{
	(void)state;
	struct pk_hw_series empty = { 0, NULL, NULL, 0 };
	struct pk_hw_series *b = series_new(3);
	struct pk_compare c;
	struct pk_analysis an;

	assert_int_equal(pk_compare_series("a", &win, &empty, "b", &win, b, &c),
	                 PK_OK);
	assert_int_equal(c.samples_a, 0);
	for (size_t m = 0; m < c.nmetrics; m++) {
		assert_int_equal(c.metrics[m].a.count, 0);
		assert_int_equal(c.metrics[m].verdict, PK_VERDICT_UNDEFINED);
	}
	pk_compare_free(&c);
	assert_int_equal(pk_analyze_series("a", &win, &empty, &an), PK_OK);
	assert_int_equal(an.samples, 0);
	assert_true(isnan(an.metrics[0].s.mean));
	pk_analysis_free(&an);
	series_free(b);
}

static void test_bad_input(void **state)
{
	(void)state;
	struct pk_hw_series broken = { 3, NULL, NULL, 0 };
	struct pk_hw_series *ok = series_new(2);
	struct pk_compare c;
	struct pk_analysis an;

	assert_int_equal(pk_compare_series("a", &win, &broken, "b", &win, ok, &c),
	                 PK_ERR_INPUT);
	assert_null(c.metrics);
	assert_int_equal(pk_compare_series(NULL, &win, ok, "b", &win, ok, &c),
	                 PK_ERR_INPUT);
	assert_int_equal(pk_compare_series("a", &win, ok, "b", &win, ok, NULL),
	                 PK_ERR_INPUT);
	assert_int_equal(pk_analyze_series("a", &win, &broken, &an), PK_ERR_INPUT);
	assert_null(an.metrics);
	pk_compare_free(&c);          /* harmless on a cleared result */
	pk_analysis_free(&an);
	series_free(ok);
}

static void test_analyze(void **state)
{
	(void)state;
	struct pk_hw_series *s = series_new(5);
	size_t m = metric_with(PK_NEUTRAL, 0);
	const double v[] = { NAN, 4, 1, NAN, 3 };
	struct pk_analysis an;

	set_values(s, m, v);
	assert_int_equal(pk_analyze_series("desk", &win, s, &an), PK_OK);
	assert_string_equal(an.profile, "desk");
	assert_int_equal(an.samples, 5);
	assert_int_equal(an.nmetrics, pk_hw_nmetrics);
	assert_true(an.window.from_us == win.from_us);
	assert_ptr_equal(an.metrics[m].metric, &pk_hw_metrics[m]);
	const struct pk_summary *su = &an.metrics[m].s;
	assert_int_equal(su->count, 3);
	assert_true(su->mean == 8.0 / 3 && su->median == 3 && su->min == 1 &&
	            su->max == 4);
	assert_true(fabs(su->var - 7.0 / 3) < 1e-14);
	assert_int_equal(an.metrics[(m + 1) % pk_hw_nmetrics].s.count, 0);
	pk_analysis_free(&an);
	assert_null(an.profile);
	series_free(s);
}

/* A series long enough to be shared out over threads gives, metric by
 * metric, exactly what the statistics functions give on their own. */
static void test_long_series(void **state)
{
	(void)state;
	enum { NA = 70001, NB = 65537 };
	struct pk_hw_series *a = series_new(NA), *b = series_new(NB);
	uint64_t seed = 42;
	struct pk_compare c;
	struct pk_analysis an;

	for (size_t m = 0; m < pk_hw_nmetrics; m++) {
		struct pk_hw_series *s[2] = { a, b };
		for (int k = 0; k < 2; k++) {
			double x = 0;
			for (size_t i = 0; i < s[k]->n; i++) {
				seed = seed * 6364136223846793005u + 1442695040888963407u;
				double u = (double)(seed >> 11) / 9007199254740992.0;
				x = 0.7 * x + u - 0.5;
				double v = 10.0 * (double)m + x + 0.01 * k;
				if (m % 3 == 1)
					v = round(v * 10) / 10;   /* ties */
				s[k]->v[m][i] = (seed >> 7) % 50 == 0 ? NAN : v;
			}
		}
	}
	assert_int_equal(pk_compare_series("a", &win, a, "b", &win, b, &c), PK_OK);
	assert_int_equal(pk_analyze_series("a", &win, a, &an), PK_OK);

	double *xa = malloc(NA * sizeof *xa), *xb = malloc(NB * sizeof *xb);
	assert_non_null(xa);
	assert_non_null(xb);
	for (size_t m = 0; m < pk_hw_nmetrics; m++) {
		const struct pk_metric_compare *r = &c.metrics[m];
		struct pk_summary sa, sb;
		size_t na = pk_drop_missing(a->v[m], NA, xa);
		size_t nb = pk_drop_missing(b->v[m], NB, xb);
		double r1a = pk_lag1_autocorr(xa, na), r1b = pk_lag1_autocorr(xb, nb);

		assert_int_equal(pk_sort_doubles(xa, na), 0);
		assert_int_equal(pk_sort_doubles(xb, nb), 0);
		pk_summary_sorted(xa, na, &sa);
		pk_summary_sorted(xb, nb, &sb);
		assert_ptr_equal(r->metric, &pk_hw_metrics[m]);
		assert_int_equal(r->a.count, na);
		assert_true(na > NA * 9 / 10 && na < NA);
		assert_true(memcmp(&r->a, &sa, sizeof sa) == 0);
		assert_true(memcmp(&r->b, &sb, sizeof sb) == 0);
		assert_true(memcmp(&an.metrics[m].s, &sa, sizeof sa) == 0);
		assert_true(r->r1_a == r1a && r->r1_b == r1b);
		assert_true(r->n_eff_a == pk_n_eff(na, r1a));
		assert_true(r->mannwhitney_p == pk_mannwhitney_p(xa, na, xb, nb));
		assert_true(r->welch_p_adjusted ==
		            pk_welch_p(sa.mean, sa.var, r->n_eff_a, sb.mean,
		                       sb.var, r->n_eff_b));
		assert_true(r->cohens_d == pk_cohens_d(&sa, &sb));
		assert_true(r->verdict != PK_VERDICT_UNDEFINED);
	}
	free(xa);
	free(xb);
	pk_analysis_free(&an);
	pk_compare_free(&c);
	series_free(a);
	series_free(b);
}

static void test_verdict_str(void **state)
{
	(void)state;
	assert_string_equal(pk_verdict_str(PK_VERDICT_UNDEFINED), "undefined");
	assert_string_equal(pk_verdict_str(PK_VERDICT_NO_DIFFERENCE),
	                    "no significant difference");
	assert_string_equal(pk_verdict_str(PK_VERDICT_BETTER), "B better");
	assert_string_equal(pk_verdict_str(PK_VERDICT_WORSE), "B worse");
	assert_string_equal(pk_verdict_str(PK_VERDICT_HIGHER), "B higher");
	assert_string_equal(pk_verdict_str(PK_VERDICT_LOWER), "B lower");
}

/* pk_window_for on a database with samples at minutes 0..9 of profile p. */
static void test_window_for(void **state)
{
	(void)state;
	char dir[] = "/tmp/pk_test_compare_XXXXXX";
	char path[64];
	struct pk_db *db = NULL;
	struct pk_buf err = PK_BUF_INIT;
	struct pk_source_state st = { 0 };
	int64_t pid;
	double v[64];
	int added;

	assert_true(pk_hw_nmetrics <= 64);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/t.db", dir);
	if (pk_db_open(path, PK_DB_READWRITE, &db, &err) != PK_OK)
		fail_msg("pk_db_open: %s", err.data ? err.data : "?");
	assert_int_equal(pk_db_begin(db), PK_OK);
	assert_int_equal(pk_store_source_put(db, "/x/hw.jsonl", "", "hw_jsonl",
	                                     &st, 0), PK_OK);
	assert_int_equal(pk_store_profile(db, "p", &pid), PK_OK);
	for (size_t m = 0; m < pk_hw_nmetrics; m++)
		v[m] = NAN;
	for (int i = 0; i < 10; i++) {
		struct pk_hw_record r = { 0 };

		r.ts_us = 1700000000000000 + (int64_t)i * 60000000;
		r.line = i + 1;
		r.v = v;
		assert_int_equal(pk_store_hw_sample(db, pid, st.id, &r, &added),
		                 PK_OK);
	}
	assert_int_equal(pk_db_commit(db), PK_OK);

	struct pk_window w;
	const int64_t last = 1700000000000000 + 9 * (int64_t)60000000;
	assert_int_equal(pk_window_for(db, "p", 1, INT64_MIN, &w), PK_OK);
	assert_true(w.to_us == last);
	assert_true(w.from_us == last - 3600000000);
	assert_int_equal(pk_window_for(db, "p", 0.5, 1000000000000000, &w), PK_OK);
	assert_true(w.to_us == 1000000000000000);
	assert_true(w.from_us == 1000000000000000 - 1800000000);
	assert_int_equal(pk_window_for(db, "p", INFINITY, INT64_MIN, &w), PK_OK);
	assert_true(w.from_us == INT64_MIN && w.to_us == last);
	/* 0 hours: every sample up to the end, from the first one */
	assert_int_equal(pk_window_for(db, "p", 0, INT64_MIN, &w), PK_OK);
	assert_true(w.from_us == 1700000000000000 && w.to_us == last);
	assert_int_equal(pk_window_for(db, "nobody", 1, INT64_MIN, &w),
	                 PK_NODATA);
	assert_int_equal(pk_window_for(db, "p", -1, INT64_MIN, &w), PK_USAGE);
	assert_int_equal(pk_window_for(db, "p", NAN, INT64_MIN, &w), PK_USAGE);

	pk_db_close(&db);
	assert_null(db);
	pk_buf_free(&err);
	/* the database and any -wal/-shm next to it */
	const char *suffix[] = { "", "-wal", "-shm", "-journal" };
	for (size_t i = 0; i < 4; i++) {
		snprintf(path, sizeof path, "%s/t.db%s", dir, suffix[i]);
		unlink(path);
	}
	assert_int_equal(rmdir(dir), 0);
}

/* The brief quality (pk_data_quality_series, filled by pk_analyze_series
 * and pk_compare_series) on minutes 0, 1, 2, 3, 10, 11 with values 1..6 of
 * cpu.percent_total: intervals 60 60 60 420 60 s, median 60, one gap of
 * 420 s (> 180 s) with 6 missing intervals, cv = sd/mean = 160.997/132;
 * time-weighted mean over the pairs at most 180 s apart: 60 s x (1.5 +
 * 2.5 + 3.5 + 5.5) / 240 s = 3.25.  Equal to pk_quality_series. */
static void test_quality_brief(void **state)
{
	(void)state;
	struct pk_hw_series *s = series_new(6);
	const int64_t mins[] = { 0, 1, 2, 3, 10, 11 };
	for (size_t i = 0; i < 6; i++) {
		s->ts_us[i] = mins[i] * 60000000;
		s->v[0][i] = (double)(i + 1);
	}
	struct pk_window w = { 0, 11 * 60000000 };
	struct pk_analysis a;
	assert_int_equal(pk_analyze_series("p", &w, s, &a), PK_OK);
	const struct pk_data_quality *q = &a.quality;
	assert_true(fabs(q->interval_s - 60) < 1e-12);
	assert_int_equal(q->gaps, 1);
	assert_true(fabs(q->gap_s - 420) < 1e-12);
	assert_int_equal(q->missing_intervals, 6);
	assert_true(fabs(q->cv - sqrt(25920.0) / 132) < 1e-12);
	assert_true(q->irregular);
	assert_false(q->sources_known);
	assert_non_null(q->tw_mean);
	assert_true(fabs(q->tw_mean[0] - 3.25) < 1e-12);
	assert_true(isnan(q->tw_mean[1]));   /* no values: undefined, not 0 */

	struct pk_quality full;
	assert_int_equal(pk_quality_series("p", &w, s, &full), PK_OK);
	assert_true(q->interval_s == full.iv.median_s && q->cv == full.iv.cv);
	assert_true(q->gaps == full.ngaps && q->gap_s == full.gap_s);
	assert_true(q->missing_intervals == full.missing_intervals);
	assert_true(q->irregular == full.irregular);
	assert_true(full.metrics[0].metric == &pk_hw_metrics[0]);
	assert_true(q->tw_mean[0] == full.metrics[0].tw_mean);
	pk_quality_free(&full);

	/* both sides of a comparison; a regular series has no tw means */
	struct pk_hw_series *r = series_new(5);
	for (size_t i = 0; i < 5; i++)
		r->v[0][i] = 1;
	struct pk_compare c;
	assert_int_equal(pk_compare_series("p", &w, s, "r", &w, r, &c), PK_OK);
	assert_true(c.quality_a.irregular && c.quality_a.tw_mean);
	assert_false(c.quality_b.irregular);
	assert_null(c.quality_b.tw_mean);
	assert_int_equal(c.quality_b.gaps, 0);
	assert_true(c.quality_b.gap_s == 0 && c.quality_b.cv == 0);
	pk_compare_free(&c);
	assert_null(c.quality_a.tw_mean);
	pk_analysis_free(&a);
	assert_null(a.quality.tw_mean);
	series_free(r);
	series_free(s);

	/* one sample: interval and cv undefined, nothing irregular */
	struct pk_data_quality one;
	struct pk_hw_series *o = series_new(1);
	assert_int_equal(pk_data_quality_series(o, &one), PK_OK);
	assert_true(isnan(one.interval_s) && isnan(one.cv));
	assert_int_equal(one.gaps, 0);
	assert_false(one.irregular);
	pk_data_quality_free(&one);
	series_free(o);
}

/* Samples of profile pid at minutes first .. first + n - 1, from source src. */
static void put_samples(struct pk_db *db, int64_t pid, int64_t src, int64_t first, int64_t n,
                        int64_t stride)
{
	double v[64];
	int added;
	for (size_t m = 0; m < pk_hw_nmetrics; m++)
		v[m] = 1;
	for (int64_t i = 0; i < n; i++) {
		struct pk_hw_record r = { 0 };
		r.ts_us = 1700000000000000 + (first + i * stride) * 60000000;
		r.line = i + 1;
		r.v = v;
		assert_int_equal(pk_store_hw_sample(db, pid, src, &r, &added), PK_OK);
	}
}

static int64_t put_source(struct pk_db *db, const char *path, int64_t lines, int rejects)
{
	struct pk_source_state st = { 0 };
	st.read_lines = lines;
	assert_int_equal(pk_store_source_put(db, path, "", "hw_jsonl", &st, 0), PK_OK);
	for (int i = 0; i < rejects; i++)
		assert_int_equal(pk_store_reject(db, st.id, 1000 + i, 1, "bad", "x", 1, 1, NULL), PK_OK);
	return st.id;
}

static void sources_of(struct pk_db *db, const char *profile, struct pk_hw_source_totals *t,
                       struct pk_data_quality *q)
{
	struct pk_hw_series s = { 0 };
	assert_int_equal(pk_query_hw_series(db, profile, INT64_MIN, INT64_MAX, &s), PK_OK);
	assert_int_equal(pk_query_hw_sources(db, profile, s.ts_us, s.n, t), PK_OK);
	assert_int_equal(pk_data_quality_series(&s, q), PK_OK);
	assert_int_equal(pk_data_quality_add_sources(db, profile, &s, q), PK_OK);
	pk_hw_series_free(&s);
}

/* pk_query_hw_sources: three files one after another (found exactly by a
 * few look-ups, another profile's file left out), a file hidden inside
 * another's run (not seen: the documented limit), two files that alternate
 * sample by sample, and 6000 short files (too many look-ups: the exact
 * scan). */
static void test_hw_sources(void **state)
{
	(void)state;
	char dir[] = "/tmp/pk_test_compare_XXXXXX";
	char path[64];
	struct pk_db *db = NULL;
	struct pk_buf err = PK_BUF_INIT;
	assert_true(pk_hw_nmetrics <= 64);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/t.db", dir);
	if (pk_db_open(path, PK_DB_READWRITE, &db, &err) != PK_OK)
		fail_msg("pk_db_open: %s", err.data ? err.data : "?");
	assert_int_equal(pk_db_begin(db), PK_OK);
	int64_t p, q, h, a, r;
	assert_int_equal(pk_store_profile(db, "p", &p), PK_OK);
	assert_int_equal(pk_store_profile(db, "a", &a), PK_OK);
	assert_int_equal(pk_store_profile(db, "q", &q), PK_OK);
	assert_int_equal(pk_store_profile(db, "h", &h), PK_OK);
	assert_int_equal(pk_store_profile(db, "r", &r), PK_OK);
	int64_t f1 = put_source(db, "/x/1.jsonl", 105, 2);
	int64_t f2 = put_source(db, "/x/2.jsonl", 50, 1);
	int64_t f3 = put_source(db, "/x/3.jsonl", 900, 0);
	int64_t f4 = put_source(db, "/x/4.jsonl", 7, 5);
	put_samples(db, p, f1, 0, 100, 1);
	put_samples(db, p, f2, 100, 50, 1);
	put_samples(db, p, f3, 150, 850, 1);
	put_samples(db, q, f4, 0, 7, 1);
	/* h: f1 at minutes 0..99 except 50, which f4 holds */
	put_samples(db, h, f1, 0, 50, 1);
	put_samples(db, h, f4, 50, 1, 1);
	put_samples(db, h, f1, 51, 49, 1);
	/* a: f2 at even minutes, f3 at odd ones */
	put_samples(db, a, f2, 0, 500, 2);
	put_samples(db, a, f3, 1, 500, 2);
	/* r: 6000 files of 8 samples each: more look-ups than allowed */
	for (int k = 0; k < 6000; k++) {
		snprintf(path, sizeof path, "/x/r%d.jsonl", k);
		put_samples(db, r, put_source(db, path, 8, k == 7), (int64_t)k * 8, 8, 1);
	}
	assert_int_equal(pk_db_commit(db), PK_OK);

	struct pk_hw_source_totals t;
	struct pk_data_quality dq;
	sources_of(db, "p", &t, &dq);
	assert_int_equal(t.files, 3);
	assert_int_equal(t.lines_read, 105 + 50 + 900);
	assert_int_equal(t.rejects, 3);
	assert_int_equal(t.scanned, 0);
	assert_true(t.probes < 64);
	assert_true(dq.sources_known && !dq.sources_scanned);
	assert_int_equal(dq.source_files, 3);
	assert_int_equal(dq.lines_read, 1055);
	assert_int_equal(dq.rejects, 3);
	pk_data_quality_free(&dq);

	sources_of(db, "h", &t, &dq);
	assert_int_equal(t.files, 1);        /* f4 inside f1's run is not seen */
	assert_int_equal(t.rejects, 2);
	pk_data_quality_free(&dq);

	sources_of(db, "a", &t, &dq);
	assert_int_equal(t.files, 2);        /* both ends differ: both seen */
	assert_int_equal(t.lines_read, 950);
	assert_int_equal(t.rejects, 1);
	assert_int_equal(t.scanned, 0);
	pk_data_quality_free(&dq);

	sources_of(db, "r", &t, &dq);
	assert_int_equal(t.scanned, 1);
	assert_int_equal(t.files, 6000);
	assert_int_equal(t.lines_read, 48000);
	assert_int_equal(t.rejects, 1);
	assert_true(dq.sources_scanned);
	pk_data_quality_free(&dq);

	assert_int_equal(pk_query_hw_sources(db, "p", NULL, 0, &t), PK_OK);
	assert_int_equal(t.files, 0);

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
		cmocka_unit_test(test_missing_excluded),
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_capacity),
		cmocka_unit_test(test_undefined),
		cmocka_unit_test(test_empty_series),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_analyze),
		cmocka_unit_test(test_long_series),
		cmocka_unit_test(test_verdict_str),
		cmocka_unit_test(test_window_for),
		cmocka_unit_test(test_quality_brief),
		cmocka_unit_test(test_hw_sources),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
