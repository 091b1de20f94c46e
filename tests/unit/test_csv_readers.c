/* test_csv_readers.c - unit tests of the CSV log readers, F3 agent_metrics.csv
 * (table agent_run) and F4 wake_word_audit.csv (table wake_event): detection,
 * header mapping, quoted newlines, resumed (incremental) runs, and every
 * hostile case with its reason and nothing else lost.  Run from tests/unit
 * (fixtures under ../fixtures/tes and ../fixtures/wake). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "ingest/pipeline/ingest.h"
#include "ingest/pipeline/reader.h"
#include "tests/unit/testutil.h"

#define H3 "iso_ts,tes,stability,velocity,footprint,duration_s,status,applied," \
           "changed_files,run_tests,autonomy_mode,model_id,run_dir,hint,compliance," \
           "ethics,coherence,tes_v3,tes_schema\r\n"
#define HW "ts,session_id,source,word,variant,phonetic,lev,decoder,fused,decision"

static int setup(void **state)
{
	return tu_setup(state, "csv");
}

/* Copies ../fixtures/<rel> into the test directory under its base name. */
static void copy_fixture(struct tu_fx *f, const char *rel)
{
	char src[256];
	snprintf(src, sizeof src, "../fixtures/%s", rel);
	const char *base = strrchr(rel, '/');
	tu_copy_file(src, tu_path(f, "%s", base ? base + 1 : rel));
}

static enum pk_status ingest(struct tu_fx *f, struct pk_ingest_result *res)
{
	return tu_ingest(f, NULL, (struct pk_ingest_opts){ 0 }, res);
}

static void test_detect(void **state)
{
	(void)state;
	const char *h3 = H3, *hw = HW "\n";
	const struct pk_reader *r = pk_reader_detect("agent_metrics.csv", "", 0);
	assert_non_null(r);
	assert_string_equal(r->name, "tes_csv");
	assert_string_equal(pk_reader_detect("agent_metrics_laptop.csv", "", 0)->name, "tes_csv");
	assert_string_equal(pk_reader_detect("runs.csv", h3, strlen(h3))->name, "tes_csv");
	assert_string_equal(pk_reader_detect("wake_word_audit.csv", "", 0)->name, "wake_csv");
	assert_string_equal(pk_reader_detect("audit-2025.csv", hw, strlen(hw))->name, "wake_csv");
	/* neither the name nor the first line: not claimed */
	assert_null(pk_reader_detect("agent_metrics.csv.bak", "x,y\n", 4));
	assert_null(pk_reader_detect("other.csv", "ts,session_idx,source\n", 22));
	assert_null(pk_reader_detect("other.csv", "iso_ts,tes\n", 11));
}

static void test_tes_fields(void **state)
{
	struct tu_fx *f = *state;
	copy_fixture(f, "tes/agent_metrics.csv");
	struct pk_ingest_result res;
	assert_int_equal(ingest(f, &res), PK_OK);
	assert_int_equal(res.counts.added, 5);
	assert_int_equal(res.counts.rejects, 0);
	assert_int_equal(res.pending, 0);
	pk_ingest_result_free(&res);
	assert_string_equal(tu_q(f, "SELECT group_concat(line) FROM (SELECT line FROM agent_run ORDER BY ts_us)"),
	                    "2,3,5,6,7");
	assert_string_equal(tu_q(f, "SELECT ts_us || ' ' || tes || ' ' || velocity || ' ' || status || ' ' || "
	                         "applied || ' ' || changed_files || ' ' || tes_schema || ' ' || model_id "
	                         "FROM agent_run WHERE line = 2"),
	                    "1765672941000000 100.0 1.0 done 1 1 3 qwen2.5-coder:7b");
	assert_string_equal(tu_q(f, "SELECT hint FROM agent_run WHERE line = 3"),
	                    "refactor parser, keep \"legacy\" flag\nthen run the tests");
	assert_string_equal(tu_q(f, "SELECT typeof(applied) || typeof(tes_schema) || typeof(tes) FROM agent_run LIMIT 1"),
	                    "integerintegerreal");
	/* empty optional fields are NULL, never 0 */
	assert_string_equal(tu_q(f, "SELECT quote(hint) || quote(compliance) || quote(tes_v3) || quote(extra) "
	                         "FROM agent_run WHERE line = 5"), "NULLNULLNULLNULL");
	/* empty run_dir is '' (identity); log text is data */
	assert_string_equal(tu_q(f, "SELECT quote(run_dir) FROM agent_run WHERE line = 6"), "''");
	assert_string_equal(tu_q(f, "SELECT hint FROM agent_run WHERE line = 6"),
	                    "<script>alert(1)</script>; DROP TABLE agent_run; -- $(rm -rf ~) `id`");
	assert_string_equal(tu_q(f, "SELECT ts_us FROM agent_run WHERE line = 7"), "1765680000000000");
	assert_int_equal(f->ndiags, 0);

	/* again: nothing new; the same rows appended again are duplicates */
	assert_int_equal(ingest(f, &res), PK_OK);
	assert_int_equal(res.files_unchanged, 1);
	pk_ingest_result_free(&res);
}

static void test_tes_14col_header(void **state)
{
	struct tu_fx *f = *state;
	copy_fixture(f, "tes/agent_metrics_14col_header.csv");
	struct pk_ingest_result res;
	assert_int_equal(ingest(f, &res), PK_OK);
	assert_int_equal(res.counts.added, 3);
	pk_ingest_result_free(&res);
	/* the old row has 14 fields: the rest is missing */
	assert_string_equal(tu_q(f, "SELECT quote(compliance) || quote(tes_schema) || quote(extra) "
	                         "FROM agent_run WHERE line = 2"), "NULLNULLNULL");
	/* 19-field rows under the 14-column header keep their schema-3 names */
	assert_string_equal(tu_q(f, "SELECT compliance || ' ' || ethics || ' ' || coherence || ' ' || tes_v3 "
	                         "|| ' ' || tes_schema || ' ' || quote(extra) FROM agent_run WHERE line = 3"),
	                    "1.0 1.0 0.92 100.0 3 NULL");
	assert_string_equal(tu_q(f, "SELECT hint || '|' || tes_v3 FROM agent_run WHERE line = 4"),
	                    "refactor parser, keep \"legacy\" flag\nthen run the tests|87.1");
}

static void test_tes_header_order(void **state)
{
	struct tu_fx *f = *state;
	/* columns in another order, an unknown column, a name given twice,
	 * an empty name, and a field beyond the header */
	tu_write_text(tu_path(f, "agent_metrics.csv"), "w",
	    "run_dir,iso_ts,gpu,status,tes,tes,,hint\n"
	    "runs/a,2025-12-14T00:00:00Z,rtx3070,done,88.5,77.0,e,hello,beyond\n"
	    "runs/b,2025-12-14T00:01:00Z,,error,not-a-number\n");
	struct pk_ingest_result res;
	assert_int_equal(ingest(f, &res), PK_OK);
	assert_int_equal(res.counts.added, 2);
	assert_int_equal(res.counts.warnings, 3);
	pk_ingest_result_free(&res);
	assert_string_equal(tu_q(f, "SELECT run_dir || ' ' || status || ' ' || tes || ' ' || hint || ' ' || extra "
	                         "FROM agent_run WHERE line = 2"),
	                    "runs/a done 88.5 hello {\"gpu\":\"rtx3070\",\"field_6\":\"77.0\","
	                    "\"field_7\":\"e\",\"field_9\":\"beyond\"}");
	/* a non-number in a numeric column: NULL, the text kept in extra */
	assert_string_equal(tu_q(f, "SELECT quote(tes) || ' ' || extra FROM agent_run WHERE line = 3"),
	                    "NULL {\"tes\":\"not-a-number\"}");
	/* each stored with a warning naming its line */
	assert_int_equal(f->ndiags, 3);
	tu_has_diag(f, "agent_metrics.csv:2: warning: 9 fields, the header has 8: the fields after "
	            "it are kept in extra as field_N");
	tu_has_diag(f, "agent_metrics.csv:3: warning: 5 fields, the header has 8: the missing ones "
	            "are stored as missing");
	tu_has_diag(f, "agent_metrics.csv:3: warning: tes: not a number: stored as missing (the "
	            "text is kept in extra)");
}

static void test_tes_resume(void **state)
{
	struct tu_fx *f = *state;
	tu_write_text(tu_path(f, "agent_metrics.csv"), "w", H3
	    "2025-12-14T00:00:00Z,100.0,1.0,1.0,1.0,60.0,done,1,1,1,apply,m1,runs/1,first,,,,,3\r\n"
	    "2025-12-14T00:01:00Z,100.0,1.0,1.0,1.0,61.0,done,1,1,1,apply,m1,runs/2,second,,,,,3\r\n"
	    "2025-12-14T00:02:00Z,90.0,1.0,0.5,1.0,62.0,done,1,1,1,apply,m1,runs/3,\"a record\r\n");
	struct pk_ingest_result res;
	assert_int_equal(ingest(f, &res), PK_OK);
	assert_int_equal(res.counts.added, 2);
	assert_int_equal(res.counts.rejects, 0);
	assert_int_equal(res.pending, 1);   /* the open quoted field: not yet complete */
	pk_ingest_result_free(&res);
	assert_string_equal(tu_q(f, "SELECT read_lines FROM source_file"), "3");

	/* the writer completes the record and appends more: the resumed run
	 * sees no header and maps the columns in schema-3 order */
	tu_write_text(tu_path(f, "agent_metrics.csv"), "a",
	    "still the hint\",0.5,1.0,0.9,80.0,3\r\n"
	    "2025-12-14T00:03:00Z,70.0,0.6,1.0,1.0,63.0,error,0,1,1,tests,m2,runs/4,fourth,0.1,0.2,0.3,60.5,3,x\r\n");
	assert_int_equal(ingest(f, &res), PK_OK);
	assert_int_equal(res.counts.added, 2);
	assert_int_equal(res.counts.duplicates, 0);
	assert_int_equal(res.pending, 0);
	assert_int_equal(res.lines, 3);
	pk_ingest_result_free(&res);
	assert_string_equal(tu_q(f, "SELECT count(*) FROM agent_run"), "4");
	assert_string_equal(tu_q(f, "SELECT line || ' ' || hint || ' ' || compliance || ' ' || tes_v3 "
	                         "FROM agent_run WHERE run_dir = 'runs/3'"),
	                    "4 a record\r\nstill the hint 0.5 80.0");   /* bytes as written */
	assert_string_equal(tu_q(f, "SELECT line || ' ' || status || ' ' || applied || ' ' || model_id || ' ' "
	                         "|| coherence || ' ' || tes_schema || ' ' || extra "
	                         "FROM agent_run WHERE run_dir = 'runs/4'"),
	                    "6 error 0 m2 0.3 3 {\"field_20\":\"x\"}");

	/* a restarted writer repeats the header: skipped, not rejected */
	tu_write_text(tu_path(f, "agent_metrics.csv"), "a", H3
	    "2025-12-14T00:04:00Z,100.0,1.0,1.0,1.0,60.0,done,1,1,1,apply,m1,runs/5,after restart,,,,,3\r\n");
	assert_int_equal(ingest(f, &res), PK_OK);
	assert_int_equal(res.counts.added, 1);
	assert_int_equal(res.counts.rejects, 0);
	pk_ingest_result_free(&res);
	assert_string_equal(tu_q(f, "SELECT line FROM agent_run WHERE run_dir = 'runs/5'"), "8");
	assert_int_equal(f->ndiags, 0);
}

static void test_tes_hostile(void **state)
{
	struct tu_fx *f = *state;
	copy_fixture(f, "tes/agent_metrics_hostile.csv");
	copy_fixture(f, "tes/agent_metrics_empty.csv");
	struct pk_ingest_result res;
	assert_int_equal(ingest(f, &res), PK_PARTIAL);
	assert_int_equal(res.counts.added, 8);
	assert_int_equal(res.counts.duplicates, 1);
	assert_int_equal(res.counts.conflicting, 1);   /* line 19: line 2 with another hint */
	assert_int_equal(res.counts.rejects, 7);
	assert_int_equal(res.pending, 1);   /* a quoted field still open at EOF */
	pk_ingest_result_free(&res);
	assert_int_equal(f->ndiags, 12);   /* 7 rejects, 5 warnings */
	tu_has_diag(f, "agent_metrics_hostile.csv:19: warning: an agent_run record with the same "
	            "identity is stored already (line 2) with hint 'good row', this line has "
	            "'duplicate of line 2'");
	assert_string_equal(tu_q(f, "SELECT kind || ' ' || column_name || ' ' || stored_value || "
	                        "' / ' || new_value || ' ' || stored_line || ' ' || line FROM "
	                        "record_merge"), "conflicting hint good row / duplicate of line 2 2 19");
	tu_has_diag(f, "agent_metrics_hostile.csv:8: warning: tes: not a number");
	tu_has_diag(f, "agent_metrics_hostile.csv:9: warning: 3 fields, the header has 19");
	tu_has_diag(f, "agent_metrics_hostile.csv:13: warning: 3019 fields, the header has 19");
	tu_has_diag(f, "agent_metrics_hostile.csv:3:96: CSV: a quote inside an unquoted field");
	tu_has_diag(f, "agent_metrics_hostile.csv:4:100: CSV: text after a closing quote");
	tu_has_diag(f, "agent_metrics_hostile.csv:5: hint: invalid UTF-8");
	tu_has_diag(f, "agent_metrics_hostile.csv:6: iso_ts: impossible date");
	tu_has_diag(f, "agent_metrics_hostile.csv:7: no time: iso_ts is empty or missing");
	tu_has_diag(f, "agent_metrics_hostile.csv:10: CSV: unbalanced quote: the quoted field opened "
	            "on this line meets text after a closing quote at line 11, column 94");
	tu_has_diag(f, "agent_metrics_hostile.csv:14: hint: contains a NUL byte");
	/* rejects keep their raw text: line 10 alone, line 11 is stored */
	/* raw is the line as read, its CRLF line end included */
	assert_string_equal(tu_q(f, "SELECT substr(raw, -19) FROM reject WHERE line = 10"), "1.0,1.0,0.9,99.0,3\r");
	assert_string_equal(tu_q(f, "SELECT instr(raw, 'kept') FROM reject WHERE line = 10"), "0");
	assert_string_equal(tu_q(f, "SELECT hint FROM agent_run WHERE line = 11"), "kept, after the bad line");
	assert_string_equal(tu_q(f, "SELECT hex(substr(raw, 1, 3)) FROM reject WHERE line = 5"), "323032");
	assert_string_equal(tu_q(f, "SELECT group_concat(line) FROM (SELECT line FROM agent_run ORDER BY line)"),
	                    "2,8,9,11,13,15,18,20");
	/* out of range, nan, -0 */
	assert_string_equal(tu_q(f, "SELECT quote(tes) || ' ' || stability || ' ' || quote(velocity) || ' ' || extra "
	                         "FROM agent_run WHERE line = 8"),
	                    "NULL 0.0 NULL {\"tes\":\"1e999\",\"velocity\":\"nan\"}");
	/* fewer fields than the header: missing is NULL */
	assert_string_equal(tu_q(f, "SELECT tes || ' ' || quote(velocity) || quote(status) || quote(run_dir) "
	                         "FROM agent_run WHERE line = 9"), "90.0 NULLNULL''");
	/* 3000 columns beyond the header, all kept */
	assert_string_equal(tu_q(f, "SELECT count(*) FROM agent_run, json_each(agent_run.extra) WHERE line = 13"), "3000");
	assert_string_equal(tu_q(f, "SELECT json_extract(extra, '$.field_3019') FROM agent_run WHERE line = 13"), "c2999");
	/* a blank line inside a quoted field survives; control characters are data */
	assert_string_equal(tu_q(f, "SELECT hint FROM agent_run WHERE line = 15"), "blank\n\nline inside");
	assert_string_equal(tu_q(f, "SELECT hex(hint) FROM agent_run WHERE line = 18"), "7461620968657265200163746C");
	assert_string_equal(tu_q(f, "SELECT run_dir || ' ' || hint || ' ' || ts_us FROM agent_run WHERE line = 20"),
	                    "../../etc/passwd '; DROP TABLE agent_run; -- 1765662540000000");
	assert_string_equal(tu_q(f, "SELECT hint FROM agent_run WHERE line = 2"), "good row");
	/* the BOM went, the header was recognised: no row for line 1 or 12 */
	assert_string_equal(tu_q(f, "SELECT count(*) FROM agent_run WHERE line IN (1, 12)"), "0");
	assert_string_equal(tu_q(f, "SELECT count(*) FROM source_file WHERE path LIKE '%empty.csv'"), "1");
}

/* A quote that is never closed does not hold the rest of the file back:
 * the first line that reads as a record of its own ends it (its line is
 * rejected, the rest read again); lines that do not, after
 * PK_CSV_MAX_RECORD_LINES lines. */
static void test_unbalanced_cap(void **state)
{
	struct tu_fx *f = *state;
	struct pk_buf b = PK_BUF_INIT;
	pk_buf_puts(&b, HW "\n1765670400,s,mic,\"jarvis,v,1,1,1,1,scored\n");
	for (int i = 1; i <= 1100; i++)
		pk_buf_printf(&b, "%d,s,mic,jarvis,v,1,1,1,1,scored\n", 1765670400 + i);
	tu_write_text(tu_path(f, "wake_word_audit.csv"), "w", b.data);
	struct pk_ingest_result res;
	assert_int_equal(ingest(f, &res), PK_PARTIAL);
	assert_int_equal(res.counts.added, 1100);
	assert_int_equal(res.counts.rejects, 1);
	assert_int_equal(res.pending, 0);
	pk_ingest_result_free(&res);
	tu_has_diag(f, "wake_word_audit.csv:2: CSV: unbalanced quote: the quoted field opened on "
	            "this line is still open at line 3, which starts a new record");
	/* continuation lines that are no records: the cap */
	pk_buf_reset(&b);
	pk_buf_puts(&b, HW "\n1765670400,s,mic,\"jarvis,v,1,1,1,1,scored\n");
	for (int i = 1; i <= 1001; i++)
		pk_buf_printf(&b, "free text %d\n", i);
	for (int i = 1; i <= 5; i++)
		pk_buf_printf(&b, "%d,s,mic,jarvis,v,1,1,1,1,scored\n", 1765680400 + i);
	tu_write_text(tu_path(f, "wake_word_audit_2.csv"), "w", b.data);
	pk_buf_free(&b);
	tu_reset_diags(f);
	ingest(f, &res);
	pk_ingest_result_free(&res);
	tu_has_diag(f, "wake_word_audit_2.csv:2: CSV: unbalanced quote: the quoted field opened on "
	            "this line is not closed within 1000 lines or 8 MiB");
	assert_string_equal(tu_q(f, "SELECT count(*) FROM wake_event WHERE ts_us > 1765680400000000"), "5");
	assert_string_equal(tu_q(f, "SELECT min(line) || ' ' || max(line) FROM wake_event"), "3 1102");
}

static void test_wake(void **state)
{
	struct tu_fx *f = *state;
	copy_fixture(f, "wake/wake_word_audit.csv");
	copy_fixture(f, "wake/wake_word_audit_latency.csv");
	copy_fixture(f, "wake/wake_word_audit_header_only.csv");
	struct pk_ingest_result res;
	assert_int_equal(ingest(f, &res), PK_OK);
	assert_int_equal(res.counts.added, 6);
	assert_int_equal(res.counts.duplicates, 1);
	assert_int_equal(res.counts.rejects, 0);
	pk_ingest_result_free(&res);
	assert_string_equal(tu_q(f, "SELECT ts_us || ' ' || session_id || ' ' || source || ' ' || word || ' ' || "
	                         "variant || ' ' || phonetic || ' ' || lev || ' ' || decoder || ' ' || fused "
	                         "|| ' ' || decision || ' ' || quote(latency_ms) || ' ' || quote(extra) "
	                         "FROM wake_event ORDER BY ts_us LIMIT 1"),
	                    "1765673001374523 s-20251214-0042 mic jarvis jarvis 0.91 1.0 0.88 0.93 scored NULL NULL");
	assert_string_equal(tu_q(f, "SELECT quote(decoder) FROM wake_event WHERE ts_us = 1765673010250000"), "NULL");
	/* latency_ms where the column exists; unknown columns in extra */
	assert_string_equal(tu_q(f, "SELECT latency_ms || ' ' || extra FROM wake_event WHERE ts_us = 1765685001374523"),
	                    "812.5 {\"model\":\"vosk-small\"}");
	assert_string_equal(tu_q(f, "SELECT quote(latency_ms) FROM wake_event WHERE ts_us = 1765685003500000"), "NULL");
	assert_int_equal(f->ndiags, 0);
}

static void test_wake_hostile(void **state)
{
	struct tu_fx *f = *state;
	copy_fixture(f, "wake/wake_word_audit_hostile.csv");
	struct pk_ingest_result res;
	assert_int_equal(ingest(f, &res), PK_PARTIAL);
	assert_int_equal(res.counts.added, 4);
	assert_int_equal(res.counts.rejects, 4);
	pk_ingest_result_free(&res);
	tu_has_diag(f, "wake_word_audit_hostile.csv:4: ts: not a number of epoch seconds");
	tu_has_diag(f, "wake_word_audit_hostile.csv:5: ts: not a number of epoch seconds");
	tu_has_diag(f, "wake_word_audit_hostile.csv:6: word: invalid UTF-8");
	tu_has_diag(f, "wake_word_audit_hostile.csv:8:24: CSV: text after a closing quote");
	/* NaN: NULL and kept; a field beyond the header takes latency_ms's place */
	assert_string_equal(tu_q(f, "SELECT quote(phonetic) || ' ' || latency_ms || ' ' || extra FROM wake_event "
	                         "WHERE line = 3"), "NULL 12.5 {\"phonetic\":\"NaN\",\"field_12\":\"extra1\"}");
	/* few fields: the identity's text columns are '' */
	assert_string_equal(tu_q(f, "SELECT quote(session_id) || quote(word) || quote(variant) || quote(source) "
	                         "FROM wake_event WHERE line = 7"), "'''''''mic'");
	assert_string_equal(tu_q(f, "SELECT source || ' ' || word || ' ' || variant FROM wake_event WHERE line = 9"),
	                    "<b>mic</b> $(id) `id`");
}

static void test_wake_resume(void **state)
{
	struct tu_fx *f = *state;
	tu_write_text(tu_path(f, "wake_word_audit.csv"), "w", HW ",latency_ms\n"
	           "1765670400.5,s1,mic,jarvis,jarvis,0.9,1.0,0.8,0.9,scored,700.25\n");
	struct pk_ingest_result res;
	assert_int_equal(ingest(f, &res), PK_OK);
	assert_int_equal(res.counts.added, 1);
	pk_ingest_result_free(&res);
	tu_write_text(tu_path(f, "wake_word_audit.csv"), "a",
	           "1765670401.5,s1,mic,jarvis,jarvis,0.5,0.6,0.7,0.8,rejected,650\n");
	assert_int_equal(ingest(f, &res), PK_OK);
	assert_int_equal(res.counts.added, 1);
	assert_int_equal(res.lines, 1);
	pk_ingest_result_free(&res);
	assert_string_equal(tu_q(f, "SELECT line || ' ' || fused || ' ' || decision || ' ' || latency_ms || ' ' || "
	                         "quote(extra) FROM wake_event WHERE ts_us = 1765670401500000"),
	                    "3 0.8 rejected 650.0 NULL");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detect),
		cmocka_unit_test_setup_teardown(test_tes_fields, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_tes_14col_header, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_tes_header_order, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_tes_resume, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_tes_hostile, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_unbalanced_cap, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_wake, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_wake_hostile, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_wake_resume, setup, tu_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
