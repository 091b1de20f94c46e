/* test_report_all.c - perfreport --all's pieces: ids made into safe file
 * names (hash suffixes checked against FNV-1a computed in Python), name
 * collisions resolved in order, the state file written and read back (a
 * damaged line skipped), and the index Markdown escaping ids from logs. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/all_index.h"
#include "report/all_names.h"
#include "report/files.h"
#include "tests/unit/testutil.h"

static void name_is(const char *id, const char *want)
{
	struct pk_buf b = PK_BUF_INIT;
	assert_int_equal(pk_all_name_part(&b, id), PK_OK);
	if (strcmp(b.data ? b.data : "", want) != 0)
		fail_msg("id '%s': name '%s', expected '%s'", id, b.data ? b.data : "", want);
	pk_buf_free(&b);
}

static void test_name_part(void **state)
{
	(void)state;
	name_is("exp_leak", "exp_leak");             /* safe: as it is */
	name_is("v1.2-rc_3", "v1.2-rc_3");
	/* changed bytes get the id's hash: FNV-1a 64, upper 32 bits (Python) */
	name_is("a/b", "a_b-e620c319");
	name_is("a\ab", "a_b-e5cfb319");             /* a control character */
	name_is("", "-cbf29ce4");
	name_is("..", "_.-07da1a07");                /* never "..", never a leading '.' */
	char longer[71];
	memset(longer, 'x', 70);
	longer[70] = '\0';
	char want[80];
	snprintf(want, sizeof want, "%.*s-513a36f5", PK_ALL_NAME_PART_MAX, longer);
	name_is(longer, want);                       /* bounded */
	/* whatever the bytes: only the safe set, no "..", bounded */
	char any[256];
	for (int i = 0; i < 255; i++)
		any[i] = (char)(255 - i);
	any[255] = '\0';
	struct pk_buf b = PK_BUF_INIT;
	assert_int_equal(pk_all_name_part(&b, any), PK_OK);
	assert_true(b.len <= PK_ALL_NAME_PART_MAX + 9);
	assert_null(strstr(b.data, ".."));
	assert_true(strspn(b.data, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	                           "0123456789-_.") == b.len);
	pk_buf_free(&b);
}

static void test_unique(void **state)
{
	(void)state;
	const char *in[] = { "a", "A", "a-2", "b", "a" };
	const char *want[] = { "a", "A-3", "a-2", "b", "a-4" };
	char *names[5];
	for (int i = 0; i < 5; i++)
		names[i] = strdup(in[i]);
	assert_int_equal(pk_all_names_unique(names, 5), PK_OK);
	for (int i = 0; i < 5; i++) {
		assert_string_equal(names[i], want[i]);
		free(names[i]);
	}
}

static void test_state_round_trip(void **state)
{
	(void)state;
	char dir[] = "/tmp/pk_all_XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[64];
	snprintf(path, sizeof path, "%s/state", dir);
	struct pk_buf err = PK_BUF_INIT, text = PK_BUF_INIT;
	struct pk_all_state *s = NULL;
	size_t n = 9;
	assert_int_equal(pk_all_state_read(path, &s, &n, &err), PK_OK);   /* missing: none */
	assert_int_equal(n, 0);
	struct pk_all_item items[2] = {
		{ PK_ALL_EXPERIMENT, "e1", NULL, "experiment-e1.html", UINT64_C(0x0123456789abcdef),
		  1, "10 cycles,\ttab\nline" },
		{ PK_ALL_THROTTLING, "p", NULL, "throttling-p.html", UINT64_MAX, 0, "no episode" },
	};
	assert_int_equal(pk_all_state_text(items, 2, &text), PK_OK);
	/* a damaged line between them is skipped */
	assert_int_equal(pk_buf_puts(&text, "zz\tbad\twritten\tx\n0123\tshort\n"), PK_OK);
	assert_int_equal(pk_file_write(path, text.data, text.len, &err), PK_OK);
	assert_int_equal(pk_all_state_read(path, &s, &n, &err), PK_OK);
	assert_int_equal(n, 2);
	assert_string_equal(s[0].file, "experiment-e1.html");
	assert_true(s[0].fingerprint == UINT64_C(0x0123456789abcdef));
	assert_int_equal(s[0].written, 1);
	assert_string_equal(s[0].summary, "10 cycles, tab line");   /* one field, one line */
	assert_true(s[1].fingerprint == UINT64_MAX);
	assert_int_equal(s[1].written, 0);
	pk_all_state_free(s, n);
	/* a file that is not a state file: every report is written again */
	assert_int_equal(pk_file_write(path, "hello\n", 6, &err), PK_OK);
	assert_int_equal(pk_all_state_read(path, &s, &n, &err), PK_OK);
	assert_int_equal(n, 0);
	unlink(path);
	rmdir(dir);
	pk_buf_free(&err);
	pk_buf_free(&text);
}

static void test_index_escapes(void **state)
{
	(void)state;
	struct pk_all_item items[2] = {
		{ PK_ALL_SESSION, "s<script>](x)", NULL, "session-s-1.html", 1, 1, "load [x](y)" },
		{ PK_ALL_COMPARE, "a|b", "c", "compare-a_b.html", 2, 0, "no data" },
	};
	struct pk_buf md = PK_BUF_INIT;
	assert_int_equal(pk_all_index_md(items, 2, 0, &md), PK_OK);
	assert_non_null(strstr(md.data, "[s\\<script\\>\\]\\(x\\)](session-s-1.html)"));
	assert_non_null(strstr(md.data, "load \\[x\\]\\(y\\)"));
	assert_non_null(strstr(md.data, "| a\\|b vs c (no report) | no data |"));
	assert_non_null(strstr(md.data, "1 report (and 1 without data"));
	for (const char *c = md.data; (c = strchr(c, '<')) != NULL; c++)
		assert_true(c > md.data && c[-1] == '\\');   /* every '<' escaped */
	pk_buf_free(&md);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_part),
		cmocka_unit_test(test_unique),
		cmocka_unit_test(test_state_round_trip),
		cmocka_unit_test(test_index_escapes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
