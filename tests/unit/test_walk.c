/* test_walk.c - what pk_ingest_paths reports about the paths as a whole:
 * progress (bytes done and in all, for the percentage and time left), and a
 * folder without files (a warning, and PK_NODATA when nothing was found). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/unit/testutil.h"

static int setup(void **state)
{
	return tu_setup_in(state, "walk", 0755);
}

/* The progress reports seen: count, monotonic done, the last one. */
struct seen {
	int n, backwards;
	int64_t last_done, total;
	char last_file[256];
};

static void record(void *ctx, const struct pk_progress *p)
{
	struct seen *s = ctx;
	if (p->done < s->last_done)
		s->backwards = 1;
	s->n++;
	s->last_done = p->done;
	s->total = p->total;
	snprintf(s->last_file, sizeof s->last_file, "%s", p->file);
}

static void test_progress_counts_every_byte(void **state)
{
	struct tu_fx *f = *state;
	const char *a = "{\"timestamp\": \"2025-12-14T00:00:00Z\", \"cpu\": {\"percent_total\": 1}}\n";
	const char *b = "{\"timestamp\": \"2025-12-14T00:01:00Z\", \"cpu\": {\"percent_total\": 2}}\n"
	                "{\"timestamp\": \"2025-12-14T00:02:00Z\", \"cpu\": {\"percent_total\": 3}}\n";
	tu_write_text(tu_path(f, "in/hardware_profile_a.jsonl"), "w", a);
	mkdir(tu_path(f, "in/sub"), 0755);
	tu_write_text(tu_path(f, "in/sub/hardware_profile_b.jsonl"), "w", b);
	tu_write_text(tu_path(f, "in/notes.txt"), "w", "not a log\n");
	int64_t all = (int64_t)(strlen(a) + strlen(b) + strlen("not a log\n"));

	struct seen s = { 0 };
	struct pk_ingest_opts o = { .progress = record, .progress_ctx = &s,
	                            .run_time_us = INT64_MIN };
	struct pk_ingest_result res;
	assert_int_equal(tu_ingest(f, tu_path(f, "in"), o, &res), PK_OK);
	pk_ingest_result_free(&res);
	assert_int_equal(s.n, 3);             /* once after each file */
	assert_false(s.backwards);
	assert_int_equal(s.total, all);
	assert_int_equal(s.last_done, all);
	assert_non_null(strstr(s.last_file, "sub/hardware_profile_b.jsonl"));

	/* a rerun: unchanged files count whole, so it still ends at 100 % */
	s = (struct seen){ 0 };
	assert_int_equal(tu_ingest(f, tu_path(f, "in"), o, &res), PK_OK);
	assert_int_equal(res.files_unchanged, 2);
	pk_ingest_result_free(&res);
	assert_int_equal(s.total, all);
	assert_int_equal(s.last_done, all);
}

static void test_empty_folder(void **state)
{
	struct tu_fx *f = *state;
	mkdir(tu_path(f, "in/empty"), 0755);
	tu_write_text(tu_path(f, "in/empty/.hidden"), "w", "left out\n");
	struct pk_ingest_opts o = { .run_time_us = INT64_MIN };
	struct pk_ingest_result res;
	assert_int_equal(tu_ingest(f, tu_path(f, "in"), o, &res), PK_NODATA);
	pk_ingest_result_free(&res);
	tu_has_diag(f, "in: warning: no files in this folder, nothing read");

	/* beside a file, the empty folder is a warning and the run succeeds */
	tu_reset_diags(f);
	tu_write_text(tu_path(f, "in/hardware_profile_a.jsonl"), "w",
	              "{\"timestamp\": \"2025-12-14T00:00:00Z\", \"cpu\": {\"percent_total\": 1}}\n");
	char *paths[] = { tu_path(f, "in/empty"), tu_path(f, "in/hardware_profile_a.jsonl") };
	o.diag = tu_collect;
	o.diag_ctx = f;
	assert_int_equal(pk_ingest_paths(f->db, paths, 2, &o, &res), PK_OK);
	assert_int_equal(res.files_read, 1);
	pk_ingest_result_free(&res);
	tu_has_diag(f, "empty: warning: no files in this folder");
	assert_int_equal(f->ndiags, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_progress_counts_every_byte, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_empty_folder, setup, tu_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
