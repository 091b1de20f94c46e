/* test_utf16.c - unit tests of ingest/utf16.c, UTF-16 files read as UTF-8:
 * the byte order mark, LE and BE, a surrogate pair, a lone surrogate and an
 * odd last byte (each the invalid byte 0xFF), and a caller asking for one
 * byte at a time gets the same bytes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingest/engines/utf16.h"
#include "tests/unit/testutil.h"

/* Decodes the file of bytes p (BOM included) with reads of at most step
 * bytes into out; returns the length. */
static size_t decode(struct tu_fx *f, const char *p, size_t n, size_t step, char *out,
                     size_t cap)
{
	char *path = tu_path(f, "u16.txt");
	tu_write(path, "wb", p, n);
	int fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	int order = pk_utf16_bom(p, n);
	assert_true(order != 0);
	struct pk_utf16 *u = malloc(sizeof *u);
	assert_non_null(u);
	pk_utf16_init(u, fd, order);
	size_t len = 0;
	for (;;) {
		const char *why = NULL;
		size_t want = cap - len < step ? cap - len : step;
		ptrdiff_t r = pk_utf16_next(u, out + len, want, &why);
		assert_true(r >= 0);
		if (r == 0)
			break;
		len += (size_t)r;
	}
	free(u);
	close(fd);
	return len;
}

static void test_bom(void **state)
{
	(void)state;
	assert_int_equal(pk_utf16_bom("\xff\xfe" "a", 3), PK_UTF16_LE);
	assert_int_equal(pk_utf16_bom("\xfe\xff" "a", 3), PK_UTF16_BE);
	assert_int_equal(pk_utf16_bom("\xef\xbb\xbf", 3), 0);
	assert_int_equal(pk_utf16_bom("\xff", 1), 0);
}

static void test_le_be_pairs_and_errors(void **state)
{
	struct tu_fx *f = *state;
	/* "a\u00e9\u20ac\U0001F680\n" */
	static const char le[] = "\xff\xfe" "a\0" "\xe9\0" "\xac\x20" "\x3d\xd8\x80\xde" "\n\0";
	static const char be[] = "\xfe\xff" "\0a" "\0\xe9" "\x20\xac" "\xd8\x3d\xde\x80" "\0\n";
	static const char want[] = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x9a\x80\n";
	char out[64];
	for (size_t step = 1; step <= 8; step++) {
		size_t n = decode(f, le, sizeof le - 1, step, out, sizeof out);
		assert_int_equal(n, sizeof want - 1);
		assert_memory_equal(out, want, n);
		n = decode(f, be, sizeof be - 1, step, out, sizeof out);
		assert_int_equal(n, sizeof want - 1);
		assert_memory_equal(out, want, n);
	}
	/* a lone low surrogate, a high one followed by 'b', an odd last byte */
	static const char bad[] = "\xff\xfe" "\x00\xdc" "\x00\xd8" "b\0" "c";
	size_t n = decode(f, bad, sizeof bad - 1, 4096, out, sizeof out);
	assert_int_equal(n, 4);
	assert_memory_equal(out, "\xff\xff" "b\xff", 4);
}

static int setup(void **state)
{
	return tu_setup(state, "utf16");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bom),
		cmocka_unit_test_setup_teardown(test_le_be_pairs_and_errors, setup, tu_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
