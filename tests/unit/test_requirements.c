/* test_requirements.c - report/report_requirements.c: ISO week names and
 * starts against Python's datetime (date.fromisocalendar, isocalendar; the
 * values below were printed by it), and weeks that do not exist. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "report/report_requirements.h"

static void test_week_start(void **state)
{
	(void)state;
	static const struct { const char *week; int64_t monday_s; } ok[] = {
		{ "2025-W51", 1765756800 }, { "2026-W01", 1766966400 },
		{ "2020-W53", 1609113600 }, { "2015-W53", 1451260800 },
		{ "1999-W52", 946252800 },
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		int64_t m = 0;
		assert_int_equal(pk_iso_week_start(ok[i].week, &m), PK_OK);
		assert_int_equal(m, ok[i].monday_s * 1000000);
	}
	static const char *const bad[] = { "2021-W53", "2025-W00", "2025-W54", "2025W51",
		"2025-51", "25-W51", "2025-W5", "2025-Wxx", "", "2025-W511" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t m = 0;
		assert_int_equal(pk_iso_week_start(bad[i], &m), PK_USAGE);
	}
}

static void test_week_name(void **state)
{
	(void)state;
	static const struct { int64_t t_s; const char *week; } ok[] = {
		{ 1766923200, "2025-W52" }, { 1798804800, "2026-W53" },
		{ 1735560000, "2025-W01" }, { 1609675200, "2020-W53" },
		{ 1765756800, "2025-W51" }, { 1765756800 - 1, "2025-W50" },
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		char name[16];
		pk_iso_week_name(ok[i].t_s * 1000000, name);
		assert_string_equal(name, ok[i].week);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_week_start),
		cmocka_unit_test(test_week_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
