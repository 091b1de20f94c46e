/* test_exp_chart_data.c - report/exp_chart_data.h: the timing stack groups
 * and the Theil-Sen intercept of the experiment report's charts, against
 * values worked out by hand in the comments (the intercept's definition is
 * scipy.stats.theilslopes' default, method 'separate'). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>

#include "report/exp_chart_data.h"

#define ABS_TOL 1e-12

static void cycles_of(struct pk_exp_cycles *c, double *cyc, double *dur, double *llm,
                      double *db, size_t n)
{
	c->n = n;
	c->cycle = cyc;
	c->duration = dur;
	c->llm_time = llm;
	c->db_time = db;
}

static void test_stack_groups(void **state)
{
	(void)state;
	/* 5 cycles, at most 2 bars: groups of ceil(5/2) = 3 and 2 cycles.
	 * Cycle 2 lacks its DB time and is left out; cycle 5's timings overlap
	 * (1.0 + 0.5 > 1.2), so its rest counts as 0. */
	double cyc[] = { 1, 2, 3, 4, 5 };
	double dur[] = { 2.0, 9.0, 4.0, 3.0, 1.2 };
	double llm[] = { 1.0, 5.0, 2.0, 2.0, 1.0 };
	double db[] = { 0.5, NAN, 1.0, 0.25, 0.5 };
	struct pk_exp_cycles c;
	cycles_of(&c, cyc, dur, llm, db, 5);
	struct pk_exp_bar b[2];
	assert_int_equal(pk_exp_stack_bars(&c, 2, b), 2);
	/* group 1: cycles 1 and 3: llm (1+2)/2, db (0.5+1)/2, rest (0.5+1)/2 */
	assert_true(b[0].first == 1 && b[0].last == 3);
	assert_int_equal(b[0].n, 2);
	assert_float_equal(b[0].llm, 1.5, ABS_TOL);
	assert_float_equal(b[0].db, 0.75, ABS_TOL);
	assert_float_equal(b[0].other, 0.75, ABS_TOL);
	/* group 2: cycles 4 and 5: llm 1.5, db 0.375, rest (0.75 + 0)/2 */
	assert_true(b[1].first == 4 && b[1].last == 5);
	assert_int_equal(b[1].n, 2);
	assert_float_equal(b[1].llm, 1.5, ABS_TOL);
	assert_float_equal(b[1].db, 0.375, ABS_TOL);
	assert_float_equal(b[1].other, 0.375, ABS_TOL);
}

static void test_stack_one_per_cycle_and_empty(void **state)
{
	(void)state;
	double cyc[] = { 10, 11, 12 };
	double dur[] = { 1.0, NAN, 3.0 };
	double llm[] = { 0.5, 1.0, 1.0 };
	double db[] = { 0.25, 0.5, 1.0 };
	struct pk_exp_cycles c;
	cycles_of(&c, cyc, dur, llm, db, 3);
	struct pk_exp_bar b[200];
	assert_int_equal(pk_exp_stack_bars(&c, 200, b), 3);
	assert_float_equal(b[0].other, 0.25, ABS_TOL);
	assert_int_equal(b[1].n, 0);          /* no duration: missing, not 0 */
	assert_true(isnan(b[1].llm) && isnan(b[1].other));
	assert_float_equal(b[2].other, 1.0, ABS_TOL);
	cycles_of(&c, cyc, dur, llm, db, 0);
	assert_int_equal(pk_exp_stack_bars(&c, 200, b), 0);
}

static void test_theil_sen_intercept(void **state)
{
	(void)state;
	/* present points (1,1) (3,3) (4,10) (5,5): median y = (3+5)/2 = 4,
	 * median x = (3+4)/2 = 3.5; slope 1 -> 4 - 3.5 = 0.5 */
	double x[] = { 1, 2, 3, 4, 5 };
	double y[] = { 1, NAN, 3, 10, 5 };
	assert_float_equal(pk_theil_sen_intercept(x, y, 5, 1.0), 0.5, ABS_TOL);
	/* odd count: (1,2) (2,4) (3,7), slope 2.5: 4 - 2.5 * 2 = -1 */
	double x2[] = { 1, 2, 3 }, y2[] = { 2, 4, 7 };
	assert_float_equal(pk_theil_sen_intercept(x2, y2, 3, 2.5), -1.0, ABS_TOL);
	double none[] = { NAN, NAN };
	assert_true(isnan(pk_theil_sen_intercept(x, none, 2, 1.0)));
	assert_true(isnan(pk_theil_sen_intercept(x, y, 5, NAN)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stack_groups),
		cmocka_unit_test(test_stack_one_per_cycle_and_empty),
		cmocka_unit_test(test_theil_sen_intercept),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
