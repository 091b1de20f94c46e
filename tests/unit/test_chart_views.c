/* test_chart_views.c - the comparison charts over series views
 * (report/charts.h): which metrics of a generic source are charted (shared
 * paths, the first PK_CHART_MAX_PATHS, the rest listed), B's values found by
 * path whatever its order, safe file stems and gnuplot text for paths from
 * logs, and a hardware view charting its main metrics only. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/compare.h"
#include "core/metrics.h"
#include "report/charts.h"
#include "report/time_axis.h"

#define NPATHS 16
#define NROWS 5
#define T0 INT64_C(1765670400000000)

/* A generic table of NPATHS paths; path k holds base + k * 100 + row. */
struct table {
	struct pk_metric m[NPATHS];
	int64_t ts[NROWS];
	double vals[NPATHS][NROWS];
	double *cols[NPATHS];
	struct pk_series_view v;
};

static const char *const hostile[] = {
	"<script>alert(1)</script>", "q\"uo'te", "`touch pwned`", "@x $y",
	"metric7", "inference.ms",
};

static void path_name(size_t k, char *out, size_t n)
{
	if (k < sizeof hostile / sizeof hostile[0])
		snprintf(out, n, "%s", hostile[k]);
	else
		snprintf(out, n, "stage%02zu_ms", k);
}

/* Paths in ascending order (as pk_query_generic_table) or reversed. */
static void table_init(struct table *t, char names[][64], int reversed, double base)
{
	for (size_t i = 0; i < NPATHS; i++) {
		size_t k = reversed ? NPATHS - 1 - i : i;
		t->m[i] = (struct pk_metric){ names[k], NULL, "", names[k], PK_NEUTRAL,
		                              PK_METRIC_UNREGISTERED };
		for (size_t r = 0; r < NROWS; r++)
			t->vals[i][r] = base + (double)k * 100 + (double)r;
		t->cols[i] = t->vals[i];
	}
	for (size_t r = 0; r < NROWS; r++)
		t->ts[r] = T0 + (int64_t)r * 1000000;
	t->v = (struct pk_series_view){ NROWS, t->ts, NPATHS, t->m, t->cols };
}

static int safe_stem_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.';
}

static void test_generic_views(void **state)
{
	(void)state;
	static char names[NPATHS][64];
	for (size_t k = 0; k < NPATHS; k++)
		path_name(k, names[k], sizeof names[k]);
	static struct table a, b;
	table_init(&a, names, 0, 0.0);
	table_init(&b, names, 1, 50.0);
	struct pk_chart_side sa = { &a.v, T0, T0 + 4000000 };
	struct pk_chart_side sb = { &b.v, T0, T0 + 4000000 };
	struct pk_buf script = PK_BUF_INIT, err = PK_BUF_INIT;
	struct pk_chart_set cs;
	assert_int_equal(pk_chart_script(&sa, &sb, "r_charts", "r.gp", &script, &cs, &err), PK_OK);

	/* the first 12 shared paths, a time chart and a CDF each; 4 left out */
	assert_int_equal(cs.n, 2 * PK_CHART_MAX_PATHS);
	assert_int_equal(cs.nleft_out, NPATHS - PK_CHART_MAX_PATHS);
	assert_ptr_equal(cs.metrics, a.m);
	for (size_t i = 0; i < cs.nleft_out; i++)
		assert_int_equal(cs.left_out[i], PK_CHART_MAX_PATHS + i);

	/* stems: [A-Za-z0-9_] paths as they are, others (and a path that looks
	 * like an index stem) by index, all distinct */
	for (size_t i = 0; i < cs.n; i++) {
		assert_true(cs.charts[i].has_a && cs.charts[i].has_b);
		for (const char *p = cs.charts[i].file; *p; p++)
			assert_true(safe_stem_char(*p));
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(cs.charts[i].file, cs.charts[j].file);
	}
	assert_string_equal(cs.charts[0].file, "metric0_time.svg");
	assert_string_equal(cs.charts[8].file, "metric4_time.svg");   /* "metric7" */
	assert_string_equal(cs.charts[12].file, "stage06_ms_time.svg");

	/* no text of a hostile path reaches the script */
	const char *const parts[] = { "<script", "\"", "`", "@x", "$y", "uo'te", "pwned`" };
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		const char *hit = strstr(script.data, parts[i]);
		/* "$y" would only appear as the datablock sigil of a stem: none is "y" */
		assert_null(hit);
	}
	assert_non_null(strstr(script.data, "set title '?script?alert(1)?/script? over time'"));
	assert_non_null(strstr(script.data, "set ylabel 'stage06_ms (?)'"));

	/* B's values are found by path, not position: stage06_ms is B's metric
	 * NPATHS - 1 - 6, its first value 50 + 600 */
	const char *blk = strstr(script.data, "$stage06_ms_B_cdf << EOD\n");
	assert_non_null(blk);
	assert_non_null(strstr(blk, "\n650 "));
	const char *blka = strstr(script.data, "$stage06_ms_A_cdf << EOD\n");
	assert_non_null(blka);
	assert_true(strncmp(blka + strlen("$stage06_ms_A_cdf << EOD\n"), "600 ", 4) == 0);

	pk_chart_set_free(&cs);
	pk_buf_free(&script);
	pk_buf_free(&err);
}

/* The x axis of time charts: seconds up to 3 minutes, minutes up to 3
 * hours, else hours (time_axis.h); the window of the longer side decides,
 * the label and the x values follow. */
static void test_time_axis(void **state)
{
	(void)state;
	const int64_t s = 1000000, min = 60 * s, h = 60 * min;
	assert_string_equal(pk_time_axis_for(0).unit, "hours");
	assert_string_equal(pk_time_axis_for(-s).unit, "hours");
	assert_string_equal(pk_time_axis_for(1).unit, "seconds");
	assert_string_equal(pk_time_axis_for(3 * min).unit, "seconds");
	assert_string_equal(pk_time_axis_for(3 * min + 1).unit, "minutes");
	assert_string_equal(pk_time_axis_for(3 * h).unit, "minutes");
	assert_string_equal(pk_time_axis_for(3 * h + 1).unit, "hours");
	assert_string_equal(pk_time_axis_for(168 * h).unit, "hours");
	assert_true(pk_time_axis_for(s).per_us * (double)(90 * s) == 90.0);
	assert_true(pk_time_axis_for(h).per_us * (double)(90 * min) == 90.0);
	assert_true(pk_time_axis_for(24 * h).per_us * (double)(36 * h) == 36.0);

	static char names[NPATHS][64];
	for (size_t k = 0; k < NPATHS; k++)
		snprintf(names[k], sizeof names[k], "stage%02zu_ms", k);
	static struct table a, b;
	table_init(&a, names, 0, 0.0);   /* samples 1 s apart */
	table_init(&b, names, 0, 0.0);
	struct { int64_t span; const char *unit, *label, *xrange, *x4; } cases[] = {
		{ 4 * s, "seconds", "set xlabel 'seconds since", "set xrange [0:4]", "\n4 " },
		{ 2 * h, "minutes", "set xlabel 'minutes since", "set xrange [0:120]",
		  "\n0.0666666667 " },
		{ 24 * h, "hours", "set xlabel 'hours since", "set xrange [0:24]",
		  "\n0.00111111111 " },
	};
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		struct pk_chart_side sa = { &a.v, T0, T0 + 4 * s };
		struct pk_chart_side sb = { &b.v, T0, T0 + cases[c].span };
		struct pk_buf script = PK_BUF_INIT, err = PK_BUF_INIT;
		struct pk_chart_set cs;
		assert_int_equal(pk_chart_script(&sa, &sb, "r_charts", "r.gp", &script, &cs, &err),
		                 PK_OK);
		assert_non_null(strstr(script.data, cases[c].label));
		assert_non_null(strstr(script.data, cases[c].xrange));
		/* A's last sample, 4 s after its window's start, in the axis' unit */
		const char *blk = strstr(script.data, "$stage00_ms_A_time << EOD");
		assert_non_null(blk);
		assert_non_null(strstr(blk, cases[c].x4));
		assert_string_equal(cs.x_unit, cases[c].unit);
		pk_chart_set_free(&cs);
		pk_buf_free(&script);
		pk_buf_free(&err);
	}
}

/* Label reduction: registry labels unchanged, paths to safe characters. */
static void test_safe_label(void **state)
{
	(void)state;
	char out[64];
	struct pk_metric reg = pk_hw_metrics[0];
	pk_chart_safe_label(&reg, out, sizeof out);
	assert_string_equal(out, reg.label);
	char longpath[200];
	memset(longpath, 'x', sizeof longpath - 1);
	longpath[sizeof longpath - 1] = '\0';
	struct pk_metric p = { "a\nb'c\xc3\xa9", NULL, "", "a\nb'c\xc3\xa9", PK_NEUTRAL,
	                       PK_METRIC_UNREGISTERED };
	pk_chart_safe_label(&p, out, sizeof out);
	assert_string_equal(out, "a?b?c??");
	p.label = longpath;
	pk_chart_safe_label(&p, out, sizeof out);
	assert_int_equal(strlen(out), 61);
	assert_int_equal(out[60], '?');
}

/* A generic source against a hardware view shares nothing: no chart. */
static void test_nothing_shared(void **state)
{
	(void)state;
	static char names[NPATHS][64];
	for (size_t k = 0; k < NPATHS; k++)
		path_name(k, names[k], sizeof names[k]);
	static struct table a;
	table_init(&a, names, 0, 0.0);
	double *cols[64];
	static double col[NROWS];
	for (size_t m = 0; m < pk_hw_nmetrics && m < 64; m++)
		cols[m] = col;
	assert_true(pk_hw_nmetrics <= 64);
	struct pk_series_view hv = { NROWS, a.ts, pk_hw_nmetrics, pk_hw_metrics, cols };
	for (size_t r = 0; r < NROWS; r++)
		col[r] = (double)r;
	struct pk_chart_side sa = { &a.v, T0, T0 + 4000000 };
	struct pk_chart_side sh = { &hv, T0, T0 + 4000000 };
	struct pk_buf script = PK_BUF_INIT, err = PK_BUF_INIT;
	struct pk_chart_set cs;
	assert_int_equal(pk_chart_script(&sa, &sh, "c", "c.gp", &script, &cs, &err), PK_OK);
	assert_int_equal(cs.n, 0);
	assert_int_equal(cs.nleft_out, 0);
	pk_chart_set_free(&cs);
	pk_buf_reset(&script);

	/* hardware against hardware: the main metrics only */
	assert_int_equal(pk_chart_script(&sh, &sh, "c", "c.gp", &script, &cs, &err), PK_OK);
	size_t main = 0;
	for (size_t m = 0; m < pk_hw_nmetrics; m++)
		main += (pk_hw_metrics[m].flags & PK_METRIC_MAIN) != 0;
	assert_int_equal(cs.n, 2 * main);
	for (size_t i = 0; i < cs.n; i++)
		assert_true(pk_hw_metrics[cs.charts[i].metric].flags & PK_METRIC_MAIN);
	pk_chart_set_free(&cs);
	pk_buf_free(&script);
	pk_buf_free(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generic_views),
		cmocka_unit_test(test_safe_label),
		cmocka_unit_test(test_time_axis),
		cmocka_unit_test(test_nothing_shared),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
