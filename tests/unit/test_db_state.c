/* test_db_state.c - unit tests of the per-connection module state of
 * core/db.c (db_internal.h): a state is made once, on the first call; peek
 * makes none; a failed make registers nothing; pk_db_close hands every
 * state to its module's free hook, newest first; statements made with
 * pk_db_prepare are the handle's (a leak shows under the sanitizers). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/db_internal.h"
#include "tests/unit/testutil.h"

struct fake_state {
	char name;
	sqlite3_stmt *st;
};

static char freed[8];     /* names of the states freed, in order */
static size_t nfreed;
static int makes, fail_make;

static void *make_named(char name)
{
	makes++;
	if (fail_make)
		return NULL;
	struct fake_state *s = calloc(1, sizeof *s);
	if (s)
		s->name = name;
	return s;
}

static void *make_a(void) { return make_named('a'); }
static void *make_b(void) { return make_named('b'); }

static void free_state(void *p)
{
	struct fake_state *s = p;
	if (nfreed < sizeof freed - 1)
		freed[nfreed++] = s->name;
	free(s);
}

static const struct pk_db_module module_a = { make_a, free_state };
static const struct pk_db_module module_b = { make_b, free_state };

static void reset(void)
{
	memset(freed, 0, sizeof freed);
	nfreed = 0;
	makes = 0;
	fail_make = 0;
}

static void test_made_once(void **state)
{
	struct tu_fx *f = *state;
	reset();
	assert_null(pk_db_state_peek(f->db, &module_a));
	struct fake_state *a = pk_db_state(f->db, &module_a);
	assert_non_null(a);
	assert_int_equal(a->name, 'a');
	assert_ptr_equal(pk_db_state(f->db, &module_a), a);
	assert_ptr_equal(pk_db_state_peek(f->db, &module_a), a);
	assert_int_equal(makes, 1);
	assert_null(pk_db_state_peek(f->db, &module_b));
}

static void test_failed_make(void **state)
{
	struct tu_fx *f = *state;
	reset();
	fail_make = 1;
	assert_null(pk_db_state(f->db, &module_b));
	assert_null(pk_db_state_peek(f->db, &module_b));
	fail_make = 0;
	assert_non_null(pk_db_state(f->db, &module_b));
	assert_int_equal(makes, 2);
}

static void test_close_frees_newest_first(void **state)
{
	struct tu_fx *f = *state;
	reset();
	struct fake_state *b = pk_db_state(f->db, &module_b);
	struct fake_state *a = pk_db_state(f->db, &module_a);
	assert_non_null(a);
	assert_non_null(b);
	/* statements kept in a module's state are finalized by pk_db_close */
	assert_int_equal(pk_db_prepare(f->db, &a->st, "SELECT count(*) FROM hw_sample"), PK_OK);
	sqlite3_stmt *first = a->st;
	assert_int_equal(pk_db_prepare(f->db, &a->st, "SELECT 1"), PK_OK);
	assert_ptr_equal(a->st, first);   /* made once */
	assert_int_equal(sqlite3_step(a->st), SQLITE_ROW);
	assert_int_equal(pk_db_prepare(f->db, &b->st, "SELECT no_such_column FROM hw_sample"),
	                 PK_ERR_DB);
	assert_null(b->st);
	pk_db_close(&f->db);
	assert_null(f->db);
	assert_string_equal(freed, "ab");
}

static int setup(void **state)
{
	return tu_setup(state, "db_state");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_made_once, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_failed_make, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_close_frees_newest_first, setup, tu_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
