/* test_summary.c - a profile's sample count and time range (pk_query_profile,
 * pk_query_profiles), read from the chunk index and the ends of hw_sample's
 * key instead of a scan: equal to count(*), min and max over hw_sample after
 * perfingest, after rows inserted, deleted and moved by SQL (dirty days),
 * and after perfingest rebuilt those days. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/query.h"
#include "core/store.h"
#include "testutil.h"

static int setup(void **state)
{
	return tu_setup(state, "summary");
}

/* pk_query_profile and pk_query_profiles agree with a scan of hw_sample. */
static void same_as_scan(struct tu_fx *f, const char *profile, long long want_n)
{
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT count(*) || ' ' || min(ts_us) || ' ' || max(ts_us) "
	         "FROM hw_sample WHERE profile_id = (SELECT id FROM profile WHERE name = '%s')",
	         profile);
	char scan[128];
	snprintf(scan, sizeof scan, "%s", tu_q(f, sql));
	struct pk_profile_info pi;
	assert_int_equal(pk_query_profile(f->db, profile, &pi), PK_OK);
	char got[128];
	snprintf(got, sizeof got, "%lld %lld %lld", (long long)pi.samples,
	         (long long)pi.first_us, (long long)pi.last_us);
	assert_string_equal(got, scan);
	assert_int_equal(pi.samples, want_n);

	struct pk_profile_info *all;
	size_t n;
	assert_int_equal(pk_query_profiles(f->db, &all, &n), PK_OK);
	int found = 0;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(all[i].name, profile) != 0)
			continue;
		found = 1;
		assert_int_equal(all[i].samples, pi.samples);
		assert_int_equal(all[i].first_us, pi.first_us);
		assert_int_equal(all[i].last_us, pi.last_us);
	}
	assert_true(found);
	pk_profile_infos_free(all, n);
}

static void test_summary_follows_edits(void **state)
{
	struct tu_fx *f = *state;
	/* two profiles over three UTC days */
	tu_write_text(tu_path(f, "hardware_profile_s1.jsonl"), "w",
	    "{\"timestamp\": \"2025-01-01T12:00:00+00:00\", \"cpu\": {\"percent_total\": 1}}\n"
	    "{\"timestamp\": \"2025-01-02T12:00:00+00:00\", \"cpu\": {\"percent_total\": 2}}\n"
	    "{\"timestamp\": \"2025-01-02T13:00:00+00:00\", \"cpu\": {\"percent_total\": 3}}\n"
	    "{\"timestamp\": \"2025-01-03T12:00:00+00:00\", \"cpu\": {\"percent_total\": 4}}\n");
	tu_write_text(tu_path(f, "hardware_profile_s2.jsonl"), "w",
	    "{\"timestamp\": \"2024-06-01T00:00:00+00:00\", \"cpu\": {\"percent_total\": 5}}\n");
	struct pk_ingest_result res = { 0 };
	assert_int_equal(tu_ingest(f, NULL, (struct pk_ingest_opts){ 0 }, &res), PK_OK);
	pk_ingest_result_free(&res);
	same_as_scan(f, "s1", 4);
	same_as_scan(f, "s2", 1);

	/* edits by SQL: two rows added on new days, the first deleted, one
	 * moved to another day (the stale chunks would say 4) */
	tu_exec(f->db_path,
	    "INSERT INTO hw_sample (profile_id, ts_us, source_id, line) SELECT profile_id, "
	    "ts_us + 10 * 86400000000, source_id, 99 FROM hw_sample WHERE line = 4 AND "
	    "profile_id = (SELECT id FROM profile WHERE name = 's1');"
	    "INSERT INTO hw_sample (profile_id, ts_us, source_id, line) SELECT profile_id, "
	    "ts_us + 11 * 86400000000, source_id, 98 FROM hw_sample WHERE line = 4 AND "
	    "profile_id = (SELECT id FROM profile WHERE name = 's1');"
	    "DELETE FROM hw_sample WHERE line = 1 AND profile_id = (SELECT id FROM profile "
	    "WHERE name = 's1');"
	    "UPDATE hw_sample SET ts_us = ts_us - 86400000000 WHERE line = 3 AND "
	    "profile_id = (SELECT id FROM profile WHERE name = 's1');");
	assert_string_equal(tu_q(f, "SELECT count(*) > 0 FROM hw_chunk_dirty"), "1");
	same_as_scan(f, "s1", 5);
	same_as_scan(f, "s2", 1);

	/* perfingest with no paths rebuilds the dirty days */
	int64_t days = 0;
	assert_int_equal(pk_db_begin(f->db), PK_OK);
	assert_int_equal(pk_store_repair(f->db, &days), PK_OK);
	assert_int_equal(pk_db_commit(f->db), PK_OK);
	assert_true(days > 0);
	assert_string_equal(tu_q(f, "SELECT count(*) FROM hw_chunk_dirty"), "0");
	same_as_scan(f, "s1", 5);

	/* every sample of a profile deleted: no data, and not listed */
	tu_exec(f->db_path, "DELETE FROM hw_sample WHERE profile_id = "
	        "(SELECT id FROM profile WHERE name = 's2')");
	struct pk_profile_info pi;
	assert_int_equal(pk_query_profile(f->db, "s2", &pi), PK_NODATA);
	struct pk_profile_info *all;
	size_t n;
	assert_int_equal(pk_query_profiles(f->db, &all, &n), PK_OK);
	assert_int_equal(n, 1);
	assert_string_equal(all[0].name, "s1");
	pk_profile_infos_free(all, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_summary_follows_edits, setup, tu_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
