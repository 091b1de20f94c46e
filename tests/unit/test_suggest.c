/* test_suggest.c - "did you mean": Levenshtein distances against textbook
 * values, the closeness rule of pk_closest_name, and pk_suggest_profile over
 * a database's profile names and aliases. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/suggest.h"
#include "tests/unit/testutil.h"

static void test_distance(void **state)
{
	(void)state;
	static const struct { const char *a, *b; size_t d; } cases[] = {
		{ "", "", 0 },
		{ "", "abc", 3 },
		{ "abc", "", 3 },
		{ "kitten", "sitting", 3 },     /* the classic: k->s, e->i, +g */
		{ "flaw", "lawn", 2 },
		{ "saturday", "sunday", 3 },
		{ "laptop_mx15", "laptop_mx150", 1 },
		{ "desktop_rtx3070", "desktop_rtx3070", 0 },
		{ "ab", "ba", 2 },              /* a swap is two edits here */
		{ "Laptop", "laptop", 1 },      /* case counts */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t got = pk_edit_distance(cases[i].a, cases[i].b);
		if (got != cases[i].d)
			fail_msg("'%s' '%s': %zu, expected %zu", cases[i].a, cases[i].b, got, cases[i].d);
		assert_int_equal(pk_edit_distance(cases[i].b, cases[i].a), cases[i].d);
	}
	char longer[300];
	memset(longer, 'a', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	assert_true(pk_edit_distance(longer, "a") == SIZE_MAX);
}

static void test_closest(void **state)
{
	(void)state;
	char *names[] = { "desktop_rtx3070", "laptop_mx150", "laptop_mx250", "b" };
	size_t n = sizeof names / sizeof names[0];
	assert_string_equal(pk_closest_name("laptop_mx15", names, n), "laptop_mx150");
	/* equally close: the first */
	assert_string_equal(pk_closest_name("laptop_mx_50", names, n), "laptop_mx150");
	assert_string_equal(pk_closest_name("dekstop_rtx3070", names, n), "desktop_rtx3070");
	/* too far: 12 characters allow 4 edits */
	assert_null(pk_closest_name("server_a100x", names, n));
	/* short words allow one edit */
	assert_string_equal(pk_closest_name("c", names, n), "b");
	assert_null(pk_closest_name("xy", names, n));
	/* the word itself is not a suggestion */
	assert_null(pk_closest_name("b", names + 3, 1));
	assert_null(pk_closest_name("b", names, 0));
}

static int setup(void **state)
{
	return tu_setup(state, "suggest");
}

static void test_profile(void **state)
{
	struct tu_fx *f = *state;
	tu_exec(f->db_path, "INSERT INTO profile(name) VALUES ('laptop_mx150'), ('desktop_rtx3070');"
	        "INSERT INTO profile_alias(alias, profile) VALUES ('office_box', 'desktop_rtx3070')");
	struct pk_buf b = PK_BUF_INIT;
	pk_suggest_profile(f->db, "laptop_mx15", &b);
	assert_string_equal(b.data, "; did you mean 'laptop_mx150'?");
	pk_buf_reset(&b);
	pk_suggest_profile(f->db, "ofice_box", &b);      /* an alias */
	assert_string_equal(b.data, "; did you mean 'office_box'?");
	pk_buf_reset(&b);
	pk_suggest_profile(f->db, "nothing_like_it", &b);
	assert_true(b.len == 0);
	pk_suggest_profile(NULL, "laptop_mx15", &b);
	assert_true(b.len == 0);
	pk_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_distance),
		cmocka_unit_test(test_closest),
		cmocka_unit_test_setup_teardown(test_profile, setup, tu_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
