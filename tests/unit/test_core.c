/* test_core.c - unit tests of core/: time parsing and formatting, number
 * parsing (against strtod, the C library's correctly rounded reference),
 * UTF-8 validation, JSON string output, the capped buffer, diagnostics. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/cli.h"
#include "core/csv_write.h"
#include "core/diag.h"
#include "core/json_write.h"
#include "core/number.h"
#include "core/timeutil.h"
#include "core/utf8.h"

static int64_t iso(const char *s)
{
	int64_t us = -1;
	const char *why;
	assert_int_equal(pk_time_parse_iso(s, strlen(s), &us, &why), PK_OK);
	return us;
}

static const char *iso_fail(const char *s)
{
	int64_t us;
	const char *why = NULL;
	assert_int_equal(pk_time_parse_iso(s, strlen(s), &us, &why), PK_ERR_INPUT);
	assert_non_null(why);
	return why;
}

static void test_time_iso(void **state)
{
	(void)state;
	/* references: date -u -d ... +%s */
	assert_true(iso("1970-01-01T00:00:00Z") == 0);
	assert_true(iso("2025-12-14T00:42:21.374523+00:00") == INT64_C(1765672941374523));
	assert_true(iso("2025-12-14T06:12:21.374523+05:30") == INT64_C(1765672941374523));
	assert_true(iso("2025-12-13T19:42:21.374523-0500") == INT64_C(1765672941374523));
	assert_true(iso("2025-12-14 00:42:21.374523") == INT64_C(1765672941374523));
	assert_true(iso("2025-12-14T00:42:21.3745239Z") == INT64_C(1765672941374523));
	assert_true(iso("2025-12-14T00:42") == INT64_C(1765672920000000));
	assert_true(iso("2025-12-14") == INT64_C(1765670400000000));
	assert_true(iso("2024-02-29T00:00:00Z") == INT64_C(1709164800000000));
	assert_true(iso("2000-02-29T00:00:00Z") == INT64_C(951782400000000));
	assert_true(iso("2100-12-31T23:59:59Z") == INT64_C(4133980799000000));
	assert_true(iso("1969-12-31T23:59:59Z") == -1000000);
	assert_string_equal(iso_fail("2025-02-29T00:00:00Z"), "impossible date");
	assert_string_equal(iso_fail("2100-02-29T00:00:00Z"), "impossible date");
	assert_string_equal(iso_fail("2025-13-01T00:00:00Z"), "impossible date");
	assert_string_equal(iso_fail("2025-04-31T00:00:00Z"), "impossible date");
	assert_string_equal(iso_fail("2025-12-14T24:00:00Z"), "impossible time of day");
	assert_string_equal(iso_fail("2025-12-14T23:60:00Z"), "impossible time of day");
	assert_string_equal(iso_fail("2025-12-14T00:00:00+24:00"), "impossible UTC offset");
	iso_fail("2025-12-14T00:00:00+5");
	iso_fail("2025-12-14T00:00:00.Z");
	iso_fail("2025-12-14T00:00:00Zjunk");
	iso_fail("yesterday");
	iso_fail("");
	iso_fail("2025-1-14");
}

static void test_time_epoch_and_format(void **state)
{
	(void)state;
	int64_t us;
	const char *why;
	assert_int_equal(pk_time_parse_epoch("1765672941.374523", 17, &us, &why), PK_OK);
	assert_true(us == INT64_C(1765672941374523));
	assert_int_equal(pk_time_parse_any("1765672941", 10, &us, &why), PK_OK);
	assert_true(us == INT64_C(1765672941000000));
	assert_int_equal(pk_time_parse_epoch("1e999", 5, &us, &why), PK_ERR_INPUT);
	assert_int_equal(pk_time_parse_epoch("12abc", 5, &us, &why), PK_ERR_INPUT);
	assert_int_equal(pk_time_parse_epoch("1e12", 4, &us, &why), PK_ERR_INPUT);
	char out[PK_TIME_ISO_MAX];
	pk_time_format_iso(INT64_C(1765672941374523), out);
	assert_string_equal(out, "2025-12-14T00:42:21.374523Z");
	pk_time_format_iso(0, out);
	assert_string_equal(out, "1970-01-01T00:00:00Z");
	pk_time_format_iso(-1, out);
	assert_string_equal(out, "1969-12-31T23:59:59.999999Z");
	/* round trip over four centuries of days */
	for (int64_t d = -200000; d < 200000; d += 997) {
		int64_t t = d * 86400 * PK_US_PER_SEC + 12345;
		pk_time_format_iso(t, out);
		assert_true(iso(out) == t);
	}
	setenv("SOURCE_DATE_EPOCH", "1765670400", 1);
	assert_true(pk_time_now_us() == INT64_C(1765670400000000));
	unsetenv("SOURCE_DATE_EPOCH");
}

static void check_number(const char *s)
{
	double got, want = strtod(s, NULL);
	assert_int_equal(pk_parse_double(s, strlen(s), &got), 0);
	if (memcmp(&got, &want, sizeof got) != 0)
		fail_msg("%s: got %.17g, strtod %.17g", s, got, want);
}

/* --hours and --until of both tools: accepted forms and the one message. */
static void test_cli_window_options(void **state)
{
	(void)state;
	struct pk_buf err = PK_BUF_INIT;
	double h = -1;
	int64_t u = 0;
	assert_int_equal(pk_cli_parse_hours("1.5", &h, &err), 0);
	assert_true(h == 1.5);
	assert_int_equal(pk_cli_parse_hours("8784000", &h, &err), 0);
	assert_int_equal(err.len, 0);
	const char *bad_hours[] = { "0", "-3", "8784000.5", "inf", "nan", "1x", "", "1e400" };
	for (size_t i = 0; i < sizeof bad_hours / sizeof bad_hours[0]; i++) {
		pk_buf_reset(&err);
		h = 7;
		assert_int_equal(pk_cli_parse_hours(bad_hours[i], &h, &err), -1);
		assert_true(h == 7);
		assert_non_null(strstr(err.data, "--hours: expected a positive number of hours"));
	}
	assert_int_equal(pk_cli_parse_until("2025-12-10T12:00:00", &u, &err), 0);
	assert_true(u == INT64_C(1765368000000000));
	assert_int_equal(pk_cli_parse_until("1765368000.5", &u, &err), 0);
	assert_true(u == INT64_C(1765368000500000));
	pk_buf_reset(&err);
	assert_int_equal(pk_cli_parse_until("2025-13-01", &u, &err), -1);
	assert_string_equal(err.data, "--until: impossible date: expected an ISO 8601 time "
	                              "(naive = UTC) or epoch seconds, got '2025-13-01'");
	/* a hostile argument comes back printable, on one line */
	pk_buf_reset(&err);
	assert_int_equal(pk_cli_parse_until("x\n\x1b[2J", &u, &err), -1);
	assert_null(strchr(err.data, '\n'));
	assert_null(strchr(err.data, '\x1b'));
	pk_buf_free(&err);
}

static void test_number(void **state)
{
	(void)state;
	const char *ok[] = { "0", "-0", "1", "-1", "0.1", "23.4", "1992.0", "1e3", "1E-3",
	                     "1.7976931348623157e308", "5e-324", "2.2250738585072014e-308",
	                     "123456789012345678901234567890", "0.000000000000000000001",
	                     "9007199254740993", "4.94065645841247e-324", "3.14159265358979323846",
	                     "-12.5e+3", "00012", "1e22", "1e23", "8.589973e9" };
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		check_number(ok[i]);
	double d;
	assert_int_equal(pk_parse_double("-0", 2, &d), 0);
	assert_true(d == 0 && signbit(d));
	/* random decimals: exact against strtod */
	srand(7);
	char buf[64];
	for (int i = 0; i < 200000; i++) {
		int digits = 1 + rand() % 17, frac = rand() % (digits + 1);
		int len = 0;
		if (rand() % 2)
			buf[len++] = '-';
		for (int k = 0; k < digits; k++) {
			if (k == digits - frac && frac)
				buf[len++] = '.';
			buf[len++] = (char)('0' + rand() % 10);
		}
		if (rand() % 4 == 0)
			len += snprintf(buf + len, sizeof buf - (size_t)len, "e%d", rand() % 60 - 30);
		buf[len] = '\0';
		check_number(buf);
	}
	const char *bad[] = { "", "-", ".", "1e", "1e+", "abc", "1.2.3", "1e999", "-1e999", "0x10", "NaN" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(pk_parse_double(bad[i], strlen(bad[i]), &d), -1);
}

static void test_utf8(void **state)
{
	(void)state;
	assert_true(pk_utf8_valid("plain", 5));
	assert_true(pk_utf8_valid("\xc2\xb0" "C", 3));
	assert_true(pk_utf8_valid("\xf0\x9f\x98\x80", 4));
	assert_false(pk_utf8_valid("\x80", 1));
	assert_false(pk_utf8_valid("\xc0\xaf", 2));          /* overlong */
	assert_false(pk_utf8_valid("\xed\xa0\x80", 3));      /* surrogate */
	assert_false(pk_utf8_valid("\xf4\x90\x80\x80", 4));  /* > U+10FFFF */
	assert_false(pk_utf8_valid("\xe2\x82", 2));          /* truncated */
	assert_int_equal(pk_utf8_valid_prefix("ab\xff", 3, 0), 2);
}

static void test_json_write(void **state)
{
	(void)state;
	struct pk_buf b = PK_BUF_INIT;
	assert_int_equal(pk_json_string(&b, "a\"b\\c\n\x01<", 8), PK_OK);
	assert_string_equal(b.data, "\"a\\\"b\\\\c\\n\\u0001<\"");
	/* DEL and the C1 controls (CSI U+009B) escaped; U+00A0 and up kept */
	pk_buf_reset(&b);
	assert_int_equal(pk_json_string(&b, "\x7f\xc2\x9b" "31m\xc2\x80\xc2\xa0\xc3\xa9", 12), PK_OK);
	assert_string_equal(b.data, "\"\\u007f\\u009b31m\\u0080\xc2\xa0\xc3\xa9\"");
	pk_buf_reset(&b);
	pk_json_number(&b, NAN);
	pk_buf_putc(&b, ' ');
	pk_json_number(&b, INFINITY);
	pk_buf_putc(&b, ' ');
	pk_json_number(&b, 0.1);
	pk_buf_putc(&b, ' ');
	pk_json_number(&b, 1.0 / 3);
	assert_string_equal(b.data, "null null 0.1 0.3333333333333333");
	pk_buf_free(&b);
}

/* The members every JSON writer uses, and the CSV number and text fields. */
static void test_json_csv_members(void **state)
{
	(void)state;
	struct pk_buf b = PK_BUF_INIT;
	assert_int_equal(pk_buf_putc(&b, '{'), PK_OK);
	assert_int_equal(pk_json_num_member(&b, "n", 3, 0), PK_OK);
	assert_int_equal(pk_json_num_member(&b, "mean", NAN, 1), PK_OK);
	assert_int_equal(pk_json_text_member(&b, "name", "a\"b", 1), PK_OK);
	assert_int_equal(pk_json_text_member(&b, "none", NULL, 1), PK_OK);
	/* invalid UTF-8 from a log: its bytes as \xNN, the document stays valid */
	assert_int_equal(pk_json_text_member(&b, "bad", "x\xff", 1), PK_OK);
	assert_int_equal(pk_json_time_member(&b, "at", INT64_C(1765368000000000), 1), PK_OK);
	assert_int_equal(pk_json_time_member(&b, "never", INT64_MIN, 1), PK_OK);
	assert_int_equal(pk_json_window_member(&b, "window", 0, INT64_C(3600000000), 1), PK_OK);
	assert_int_equal(pk_buf_putc(&b, '}'), PK_OK);
	assert_string_equal(b.data, "{\"n\":3,\"mean\":null,\"name\":\"a\\\"b\",\"none\":null,"
	    "\"bad\":\"x\\\\xff\",\"at\":\"2025-12-10T12:00:00Z\",\"never\":null,"
	    "\"window\":{\"from\":\"1970-01-01T00:00:00Z\",\"to\":\"1970-01-01T01:00:00Z\"}}");
	pk_buf_reset(&b);
	assert_int_equal(pk_csv_text(&b, "a,b"), PK_OK);
	assert_int_equal(pk_csv_num(&b, 2.5), PK_OK);
	assert_int_equal(pk_csv_num(&b, NAN), PK_OK);
	assert_int_equal(pk_buf_putc(&b, ','), PK_OK);
	assert_int_equal(pk_csv_text(&b, NULL), PK_OK);
	assert_string_equal(b.data, "\"a,b\",2.5,,");
	pk_buf_free(&b);
}

static void test_buf_cap(void **state)
{
	(void)state;
	struct pk_buf b = PK_BUF_INIT;
	b.limit = 10;
	assert_int_equal(pk_buf_puts(&b, "0123456789"), PK_OK);
	assert_int_equal(pk_buf_putc(&b, 'x'), PK_ERR_NOMEM);
	assert_int_equal(b.len, 10);
	assert_string_equal(b.data, "0123456789");
	assert_int_equal(pk_buf_printf(&b, "%d", 5), PK_ERR_NOMEM);
	char *s = pk_buf_steal(&b);
	assert_string_equal(s, "0123456789");
	free(s);
	assert_null(b.data);
}

static void test_diag_one_line(void **state)
{
	(void)state;
	struct pk_buf b = PK_BUF_INIT;
	struct pk_diag d = { PK_SEV_ERROR, "logs/a\nb.jsonl", 12, 7, "bad \x1b[31mred\xff" };
	assert_int_equal(pk_diag_format(&d, &b), PK_OK);
	assert_string_equal(b.data, "logs/a\\x0ab.jsonl:12:7: bad \\x1b[31mred\\xff");
	assert_null(strchr(b.data, '\n'));
	pk_buf_free(&b);
}

/* Log text never reaches a terminal or a CSV file with its control
 * characters raw: C0, DEL and C1 (U+0080-U+009F) become \xNN. */
static void test_control_characters(void **state)
{
	(void)state;
	struct pk_buf b = PK_BUF_INIT;
	const char *s = "a\x1b[2J\xc2\x9b" "31m\xc2\x85\x7f\xc2\xa0\xc3\xa9\xff";
	assert_int_equal(pk_buf_put_printable(&b, s, strlen(s)), PK_OK);
	assert_string_equal(b.data, "a\\x1b[2J\\xc2\\x9b31m\\xc2\\x85\\x7f\xc2\xa0\xc3\xa9\\xff");
	pk_buf_reset(&b);
	assert_int_equal(pk_csv_field(&b, s, strlen(s)), PK_OK);
	assert_string_equal(b.data, "a\\x1b[2J\\xc2\\x9b31m\\xc2\\x85\\x7f\xc2\xa0\xc3\xa9\\xff");
	pk_buf_reset(&b);
	/* quoted when needed; CR, LF and tab stay (inside quotes), quotes doubled */
	assert_int_equal(pk_csv_field(&b, "x,\"y\"\r\n\tz\x1b", 10), PK_OK);
	assert_string_equal(b.data, "\"x,\"\"y\"\"\r\n\tz\\x1b\"");
	pk_buf_reset(&b);
	assert_int_equal(pk_csv_field(&b, NULL, 0), PK_OK);
	assert_int_equal(pk_csv_field(&b, "plain", 5), PK_OK);
	assert_string_equal(b.data, "plain");
	pk_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time_iso),
		cmocka_unit_test(test_time_epoch_and_format),
		cmocka_unit_test(test_number),
		cmocka_unit_test(test_cli_window_options),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_control_characters),
		cmocka_unit_test(test_json_write),
		cmocka_unit_test(test_json_csv_members),
		cmocka_unit_test(test_buf_cap),
		cmocka_unit_test(test_diag_one_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
