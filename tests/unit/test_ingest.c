/* test_ingest.c - unit tests of the ingest library: the F1 reader's field
 * handling, the NaN rewrite, rejects with FILE:LINE and raw text,
 * incremental reading (grown, replaced, unfinished), and provenance. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/db.h"
#include "ingest/pipeline/ingest.h"
#include "ingest/engines/json_nan.h"
#include "tests/unit/testutil.h"

static int setup(void **state)
{
	if (tu_setup(state, "ingest") != 0)
		return -1;
	struct tu_fx *f = *state;
	snprintf(f->file, sizeof f->file, "%s/hardware_profile_unit.jsonl", f->dir);
	return 0;
}

static enum pk_status ingest(struct tu_fx *f, struct pk_ingest_result *res)
{
	return tu_ingest(f, NULL, (struct pk_ingest_opts){ 0 }, res);
}

static void test_nan_rewrite(void **state)
{
	(void)state;
	struct pk_buf b = PK_BUF_INIT;
	const char *in = "{\"a\": NaN, \"s\": \"NaN Infinity\", \"b\": [-Infinity, Infinity], \"e\": \"\\\"NaN\"}";
	assert_int_equal(pk_json_nan_to_null(in, strlen(in), &b), 3);
	assert_string_equal(b.data, "{\"a\": null, \"s\": \"NaN Infinity\", \"b\": [null, null], \"e\": \"\\\"NaN\"}");
	assert_int_equal(pk_json_nan_to_null("{\"a\": 1}", 8, &b), 0);
	pk_buf_free(&b);
}

static void test_fields(void **state)
{
	struct tu_fx *f = *state;
	tu_write_text(f->file, "w",
	    "{\"timestamp\": \"2025-12-14T00:00:00+00:00\", \"profile_name\": \"p1\", "
	    "\"cpu\": {\"percent_total\": 12.5, \"percent_per_core\": [1.5, NaN], \"frequency_current_mhz\": null}, "
	    "\"memory\": {\"used_gb\": 3.25, \"percent\": NaN}, "
	    "\"gpu\": {\"available\": false, \"reason\": \"no GPU\"}, "
	    "\"thermal\": {\"available\": true, \"sensors\": [{\"label\": \"Core 0\", \"current\": 50.0}], \"max_temp\": 50.0}, "
	    "\"inference_timing\": {\"available\": true, \"wake_word_latency_ms\": {\"mean\": 812.5, \"count\": 3}}, "
	    "\"future\": {\"x\": [1, \"two\"]}}\n");
	struct pk_ingest_result res;
	assert_int_equal(ingest(f, &res), PK_OK);
	assert_int_equal(res.counts.added, 1);
	assert_int_equal(res.lines, 1);
	pk_ingest_result_free(&res);
	assert_string_equal(tu_q(f, "SELECT cpu_percent_total FROM hw_sample"), "12.5");
	assert_string_equal(tu_q(f, "SELECT quote(cpu_frequency_current_mhz) FROM hw_sample"), "NULL");
	assert_string_equal(tu_q(f, "SELECT quote(memory_percent) FROM hw_sample"), "NULL");
	assert_string_equal(tu_q(f, "SELECT memory_used_gb FROM hw_sample"), "3.25");
	assert_string_equal(tu_q(f, "SELECT quote(gpu_utilization_percent) FROM hw_sample"), "NULL");
	assert_string_equal(tu_q(f, "SELECT thermal_max_temp FROM hw_sample"), "50.0");
	assert_string_equal(tu_q(f, "SELECT inference_timing_wake_word_latency_ms_mean FROM hw_sample"), "812.5");
	assert_string_equal(tu_q(f, "SELECT inference_timing_wake_word_latency_ms_count FROM hw_sample"), "3.0");
	assert_string_equal(tu_q(f, "SELECT cpu_percent_per_core FROM hw_sample"), "[1.5, null]");
	assert_string_equal(tu_q(f, "SELECT json_extract(thermal_sensors, '$[0].label') FROM hw_sample"), "Core 0");
	assert_string_equal(tu_q(f, "SELECT unavailable FROM hw_sample"), "{\"gpu\":\"no GPU\"}");
	assert_string_equal(tu_q(f, "SELECT json_extract(extra, '$.future.x[1]') FROM hw_sample"), "two");
	assert_string_equal(tu_q(f, "SELECT json_valid(extra) AND json_valid(thermal_sensors) FROM hw_sample"), "1");
	/* provenance */
	assert_string_equal(tu_q(f, "SELECT (source_path LIKE '%/hardware_profile_unit.jsonl') || ' ' || source_line FROM hw_samples"), "1 1");
	assert_string_equal(tu_q(f, "SELECT time_utc FROM hw_samples"), "2025-12-14T00:00:00.000Z");
	assert_int_equal(f->ndiags, 0);
}

static void test_rejects_and_incremental(void **state)
{
	struct tu_fx *f = *state;
	tu_write_text(f->file, "w",
	    "{\"timestamp\": \"2025-12-14T00:00:00Z\", \"cpu\": {\"percent_total\": 1}}\n"
	    "{\"timestamp\": \"2025-12-14T00:00:00Z\", \"cpu\": {\"percent_total\": 1}}\n"
	    "{\"timestamp\": \"2025-12-14T00:01:00Z\", \"cpu\": {\"percent_total\": 2}\n"
	    "{\"timestamp\": \"2025-12-14T00:02:00Z\", \"cpu\": {\"percent_total\": 3}}\n"
	    "{\"timestamp\": \"2025-12-14T00:03:");
	struct pk_ingest_result res;
	assert_int_equal(ingest(f, &res), PK_PARTIAL);
	assert_int_equal(res.counts.added, 2);
	assert_int_equal(res.counts.duplicates, 1);
	assert_int_equal(res.counts.rejects, 1);
	assert_int_equal(res.pending, 1);
	assert_int_equal(res.lines, 4);
	pk_ingest_result_free(&res);
	assert_non_null(strstr(f->diags.data, "hardware_profile_unit.jsonl:3:"));
	assert_string_equal(tu_q(f, "SELECT line || ' ' || raw_size FROM reject"), "3 65");
	assert_string_equal(tu_q(f, "SELECT substr(raw, 1, 14) FROM reject"), "{\"timestamp\": ");
	assert_string_equal(tu_q(f, "SELECT name FROM profile"), "unit");

	/* grown: only the new bytes; the unfinished line completes */
	tu_write_text(f->file, "a", "00Z\", \"cpu\": {\"percent_total\": 4}}\n");
	assert_int_equal(ingest(f, &res), PK_OK);
	assert_int_equal(res.lines, 1);
	assert_int_equal(res.counts.added, 1);
	assert_int_equal(res.pending, 0);
	pk_ingest_result_free(&res);
	assert_string_equal(tu_q(f, "SELECT line FROM hw_sample WHERE ts_us = 1765670580000000"), "5");

	/* unchanged: skipped */
	assert_int_equal(ingest(f, &res), PK_OK);
	assert_int_equal(res.files_unchanged, 1);
	assert_int_equal(res.lines, 0);
	pk_ingest_result_free(&res);

	/* replaced by a shorter file: read again from the start, old rejects gone */
	tu_write_text(f->file, "w", "{\"timestamp\": \"2025-12-14T00:09:00Z\", \"cpu\": {\"percent_total\": 9}}\n");
	assert_int_equal(ingest(f, &res), PK_OK);
	assert_int_equal(res.counts.added, 1);
	assert_int_equal(res.lines, 1);
	pk_ingest_result_free(&res);
	assert_string_equal(tu_q(f, "SELECT count(*) FROM reject"), "0");
	assert_string_equal(tu_q(f, "SELECT count(*) FROM hw_sample"), "4");
	assert_string_equal(tu_q(f, "SELECT read_offset || ' ' || read_lines FROM source_file"), "67 1");
}

static void test_crlf_bom_blank(void **state)
{
	struct tu_fx *f = *state;
	tu_write_text(f->file, "w",
	    "\xef\xbb\xbf{\"timestamp\": \"2025-12-14T00:00:00Z\", \"cpu\": {\"percent_total\": 1}}\r\n"
	    "\r\n   \n"
	    "{\"timestamp\": \"2025-12-14T00:01:00Z\", \"cpu\": {\"percent_total\": 2}}\r\n");
	struct pk_ingest_result res;
	assert_int_equal(ingest(f, &res), PK_OK);
	assert_int_equal(res.counts.added, 2);
	assert_int_equal(res.lines, 4);
	pk_ingest_result_free(&res);
	assert_string_equal(tu_q(f, "SELECT group_concat(line) FROM hw_sample"), "1,4");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nan_rewrite),
		cmocka_unit_test_setup_teardown(test_fields, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_rejects_and_incremental, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_crlf_bom_blank, setup, tu_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
