/* test_bench_generic.c - unit tests of the F7 readers (hyperfine
 * --export-json, perfkit's own benchmark JSON) and the F8 generic reader
 * (JSONL and CSV): rows, identity, hostile input with its reasons, and that
 * nothing else is lost. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "core/db.h"
#include "core/generic_chunks.h"
#include "core/query.h"
#include "core/store.h"
#include "ingest/pipeline/ingest.h"
#include "ingest/pipeline/reader.h"
#include "tests/unit/testutil.h"

#define FIX "../fixtures/"

static int setup(void **state)
{
	return tu_setup(state, "bench");
}

/* Ingests one path; format and source may be NULL; run_time INT64_MIN: none. */
static enum pk_status ingest(struct tu_fx *f, const char *path, const char *format,
                             const char *source, int64_t run_time,
                             struct pk_ingest_result *res)
{
	memset(res, 0, sizeof *res);
	return tu_ingest(f, path, (struct pk_ingest_opts){ .format = format, .source_name = source,
	                 .run_time_us = run_time }, res);
}

static void ingest_ok(struct tu_fx *f, const char *path, const char *format,
                      const char *source, int64_t run_time)
{
	struct pk_ingest_result res;
	enum pk_status rc = ingest(f, path, format, source, run_time, &res);
	assert_true(rc == PK_OK || rc == PK_PARTIAL);
	pk_ingest_result_free(&res);
}

/* Opens the database with a TEMP view of the F8 columnar copy by row, as
 * the old generic_value table: (source, ts_us, metric, value, line), decoded
 * in C from generic_chunk's blobs (NaN: no row), line from generic_record. */
static sqlite3 *open_db(struct tu_fx *f)
{
	sqlite3 *s;
	sqlite3_stmt *st, *ins;
	assert_int_equal(sqlite3_open(f->db_path, &s), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s, "CREATE TEMP TABLE generic_value (source, ts_us, "
	                              "metric, value, line)", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(s, "SELECT source, metric, hour, n, ts, vals "
	                                    "FROM main.generic_chunk", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(s, "INSERT INTO temp.generic_value VALUES (?1, ?2, ?3, "
	                                    "?4, (SELECT line FROM main.generic_record WHERE "
	                                    "source = ?1 AND ts_us = ?2))", -1, &ins, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t n = sqlite3_column_int64(st, 3), hour = sqlite3_column_int64(st, 2);
		assert_int_equal(sqlite3_column_bytes(st, 4), n * 8);
		assert_int_equal(sqlite3_column_bytes(st, 5), n * 8);
		const char *ts = sqlite3_column_blob(st, 4), *v = sqlite3_column_blob(st, 5);
		for (int64_t i = 0; i < n; i++) {
			int64_t t;
			double d;
			memcpy(&t, ts + 8 * i, 8);
			memcpy(&d, v + 8 * i, 8);
			if (i > 0) {
				int64_t prev;
				memcpy(&prev, ts + 8 * (i - 1), 8);
				assert_true(prev < t);      /* ascending, no repeats */
			}
			assert_int_equal(t / 3600000000LL, hour);
			if (d != d)
				continue;
			sqlite3_bind_text(ins, 1, (const char *)sqlite3_column_text(st, 0), -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(ins, 2, t);
			sqlite3_bind_text(ins, 3, (const char *)sqlite3_column_text(st, 1), -1, SQLITE_TRANSIENT);
			sqlite3_bind_double(ins, 4, d);
			assert_int_equal(sqlite3_step(ins), SQLITE_DONE);
			sqlite3_reset(ins);
		}
	}
	sqlite3_finalize(st);
	sqlite3_finalize(ins);
	return s;
}

/* The first column of the first row of sql, as text ("NULL" for NULL). */
static char *q(struct tu_fx *f, const char *sql)
{
	sqlite3 *s = open_db(f);
	char *out = tu_q_db(s, sql);
	sqlite3_close(s);
	return out;
}

/* All rows of a one-column query joined by '|'. */
static char *qall(struct tu_fx *f, const char *sql)
{
	static char out[8192];
	sqlite3 *s = open_db(f);
	sqlite3_stmt *st;
	size_t len = 0;
	out[0] = '\0';
	assert_int_equal(sqlite3_prepare_v2(s, sql, -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW && len < sizeof out - 1) {
		const char *t = sqlite3_column_type(st, 0) == SQLITE_NULL ? "NULL"
		                : (const char *)sqlite3_column_text(st, 0);
		len += (size_t)snprintf(out + len, sizeof out - len, "%s%s", len ? "|" : "", t);
	}
	sqlite3_finalize(st);
	sqlite3_close(s);
	return out;
}

#define RUN_US INT64_C(1765670400000000)   /* 2025-12-14T00:00:00Z */

/* ---- hyperfine --------------------------------------------------------- */

static void test_hyperfine_sample(void **state)
{
	struct tu_fx *f = *state;
	ingest_ok(f, FIX "bench/hyperfine-sample.json", NULL, NULL, RUN_US);
	assert_string_equal(q(f, "SELECT suite || ',' || run_us || ',[' || host || '],' || tool || ',' || "
	                         "quote(revision) || ',' || quote(extra) FROM bench_run"),
	                    "hyperfine-sample,1765670400000000,[],hyperfine,NULL,NULL");
	assert_string_equal(qall(f, "SELECT name || ':' || unit || ':' || direction || ':' || n "
	                            "FROM bench_result ORDER BY line"),
	                    "sleep 0.01:s:lower:5|ls /usr/bin:s:lower:5");
	assert_string_equal(q(f, "SELECT printf('%.10f %.10f %.10f %.10f %.10f %.10f %.10f', mean, "
	                         "stddev, median, min, max, user_s, system_s) FROM bench_result "
	                         "WHERE name = 'sleep 0.01'"),
	                    "0.0114188486 0.0000404787 0.0114162926 0.0113717266 0.0114820596 "
	                    "0.0008615440 0.0006221760");
	assert_string_equal(q(f, "SELECT count(*) || ' ' || sum(exit_code = 0) FROM bench_value"), "10 10");
	assert_string_equal(q(f, "SELECT printf('%.10f', value) FROM bench_value "
	                         "WHERE name = 'ls /usr/bin' AND seq = 1"), "0.0030032846");
	/* again: nothing new */
	struct pk_ingest_result res;
	ingest(f, FIX "bench/hyperfine-sample.json", NULL, NULL, RUN_US, &res);
	assert_int_equal(res.counts.added, 0);
	pk_ingest_result_free(&res);
}

static void test_hyperfine_mtime(void **state)
{
	struct tu_fx *f = *state;
	char path[128];
	snprintf(path, sizeof path, "%s/nightly.json", f->dir);
	const char *doc = "{\"results\": [{\"command\": \"true\", \"mean\": 0.001, \"times\": [0.001]}]}\n";
	tu_write(path, "w", doc, strlen(doc));
	struct timeval tv[2] = { { 1765670400, 250000 }, { 1765670400, 250000 } };
	assert_int_equal(utimes(path, tv), 0);
	ingest_ok(f, path, NULL, NULL, INT64_MIN);
	assert_string_equal(q(f, "SELECT suite || ' ' || run_us FROM bench_run"),
	                    "nightly 1765670400250000");
	assert_string_equal(q(f, "SELECT quote(exit_code) FROM bench_value"), "NULL");
}

static void test_hyperfine_params(void **state)
{
	struct tu_fx *f = *state;
	ingest_ok(f, FIX "bench/hyperfine-params.json", NULL, NULL, RUN_US);
	assert_string_equal(q(f, "SELECT extra FROM bench_run"), "{\"hyperfine_version\":\"1.19.0\"}");
	assert_string_equal(qall(f, "SELECT name FROM bench_result ORDER BY line"),
	                    "sleep 0.1 (delay=0.1)|sleep 0.1 (delay=0.1b)");
	assert_string_equal(q(f, "SELECT json_extract(extra, '$.parameters.delay') || ' ' || "
	                         "json_extract(extra, '$.memory_usage_byte[1]') FROM bench_result "
	                         "WHERE name = 'sleep 0.1 (delay=0.1)'"), "0.1 2048");
	assert_string_equal(qall(f, "SELECT quote(exit_code) FROM bench_value WHERE name = 'sleep 0.1 (delay=0.1)' "
	                            "ORDER BY seq"), "0|NULL|137");
	/* stddev null: missing, not 0; -0 is a number */
	assert_string_equal(q(f, "SELECT quote(stddev) || ' ' || user_s FROM bench_result "
	                         "WHERE name = 'sleep 0.1 (delay=0.1b)'"), "NULL 0.0");
	assert_string_equal(q(f, "SELECT count(*) FROM reject"), "0");
}

/* A result is named by its command and its parameters sorted by name, so
 * the name does not depend on the order of -L flags or of the results;
 * control characters show as '?'; a parameter without a scalar value is
 * left out of the name (kept in extra); the same command and parameters
 * twice in one file is told apart by position ("#2"). */
static void test_hyperfine_param_names(void **state)
{
	struct tu_fx *f = *state;
	char path[128];
	snprintf(path, sizeof path, "%s/names.json", f->dir);
	const char *doc =
		"{\"results\": [\n"
		"{\"command\": \"make\", \"mean\": 1, \"parameters\": {\"opt\": \"2\", \"cc\": \"gcc\"}},\n"
		"{\"command\": \"make\", \"mean\": 2, \"parameters\": {\"cc\": \"clang\", \"opt\": \"2\"}},\n"
		"{\"command\": \"make\", \"mean\": 3, \"parameters\": {\"cc\": \"gcc\", \"opt\": \"2\"}},\n"
		"{\"command\": \"x\", \"mean\": 4, \"parameters\": {\"n\": \"a\\u0001b\", \"m\": 5}},\n"
		"{\"command\": \"y\", \"mean\": 5, \"parameters\": {\"n\": {\"deep\": 1}, \"k\": \"v\"}},\n"
		"{\"command\": \"z\", \"mean\": 6, \"parameters\": \"text\"}\n"
		"]}\n";
	tu_write(path, "w", doc, strlen(doc));
	ingest_ok(f, path, NULL, NULL, RUN_US);
	assert_string_equal(qall(f, "SELECT name FROM bench_result ORDER BY mean"),
	                    "make (cc=gcc, opt=2)|make (cc=clang, opt=2)|make (cc=gcc, opt=2) #2|"
	                    "x (m=5, n=a?b)|y (k=v)|z");
	assert_string_equal(q(f, "SELECT json_extract(extra, '$.parameters.n.deep') FROM bench_result "
	                         "WHERE name = 'y (k=v)'"), "1");
	assert_string_equal(q(f, "SELECT count(*) FROM reject"), "0");
}

static void test_hyperfine_hostile(void **state)
{
	struct tu_fx *f = *state;
	ingest_ok(f, FIX "bench/hf-times-strings.json", NULL, NULL, RUN_US);
	const char *d = f->diags.data;
	assert_non_null(strstr(d, "hf-times-strings.json:2: results[0].mean: expected a number, got a string"));
	assert_non_null(strstr(d, ":2: results[0].stddev: expected a number in double range, got a number"));
	assert_non_null(strstr(d, ":3: results[0].times[1]: expected a number, got a string"));
	assert_non_null(strstr(d, ":3: results[0].times[3]: expected a number, got an array"));
	assert_non_null(strstr(d, ":4: results[0].exit_codes[2]: expected a number, got a string"));
	assert_non_null(strstr(d, ":5: results[1]: expected an object, got a number"));
	assert_non_null(strstr(d, ":6: results[2]: no command"));
	/* the rest is kept: the bad values are missing, seq and exit codes stay */
	assert_string_equal(q(f, "SELECT quote(mean) || ' ' || median || ' ' || n || ' ' || extra "
	                         "FROM bench_result WHERE name = 'a'"),
	                    "NULL 1.5 5 {\"mean\":\"fast\",\"stddev\":1e999}");
	assert_string_equal(qall(f, "SELECT quote(value) || '/' || quote(exit_code) FROM bench_value "
	                            "WHERE name = 'a' ORDER BY seq"),
	                    "1.0/0|NULL/0|NULL/NULL|NULL/0|2.0/NULL");
	assert_string_equal(q(f, "SELECT name FROM bench_result WHERE line = 7"),
	                    "<script>alert(1)</script>; DROP TABLE bench_run; --");
	assert_string_equal(q(f, "SELECT count(*) FROM bench_run"), "1");
}

static void test_hyperfine_broken(void **state)
{
	struct tu_fx *f = *state;
	static const struct { const char *file, *diag, *results; } cases[] = {
		{ "hf-results-object.json", "hf-results-object.json:1: results: expected an array, got an object", "" },
		{ "hf-results-null.json", "hf-results-null.json:1: results: expected an array, got null", "" },
		{ "hf-top-array.json", "hf-top-array.json:1: expected a JSON object, got an array", "" },
		{ "hf-empty.json", "hf-empty.json:1: empty file", "" },
		{ "hf-truncated.json", "hf-truncated.json:3: invalid JSON: premature EOF", "done" },
		{ "hf-deep.json", "hf-deep.json:1: JSON nested deeper than 64 levels", "" },
		{ "hf-bad-utf8.json", "hf-bad-utf8.json:3: invalid JSON: lexical error: invalid bytes in UTF8 string", "ok" },
		{ "hf-control.json", "hf-control.json:1: results[0].command: expected text without control characters, got a string", "" },
		{ "hf-bom-crlf.json", NULL, "crlf" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char path[128], sql[256];
		snprintf(path, sizeof path, FIX "bench/%s", cases[i].file);
		pk_buf_reset(&f->diags);
		ingest_ok(f, path, "hyperfine", NULL, RUN_US);
		if (cases[i].diag) {
			assert_non_null(f->diags.data);
			if (!strstr(f->diags.data, cases[i].diag))
				fail_msg("%s: got %s", cases[i].file, f->diags.data);
		} else {
			assert_int_equal(f->diags.len, 0);
		}
		size_t sl = strlen(cases[i].file) - 5;
		snprintf(sql, sizeof sql, "SELECT group_concat(name, ',') FROM bench_result "
		         "WHERE suite = '%.*s'", (int)sl, cases[i].file);
		assert_string_equal(q(f, sql), *cases[i].results ? cases[i].results : "NULL");
	}
	/* the truncated file's run and its complete result are kept, with the line */
	assert_string_equal(q(f, "SELECT count(*) FROM bench_run WHERE suite = 'hf-truncated'"), "1");
	assert_string_equal(q(f, "SELECT raw FROM reject WHERE reason LIKE '%premature%'"),
	                    " {\"command\": \"cut\", \"mean\": 2, \"times\": [2,");
	assert_string_equal(q(f, "SELECT count(*) FROM bench_value WHERE suite = 'hf-bom-crlf'"), "2");
}

/* ---- perfkit's benchmark JSON -------------------------------------------- */

static void test_perfkit_bench(void **state)
{
	struct tu_fx *f = *state;
	ingest_ok(f, FIX "bench/perfkit-bench.json", NULL, NULL, INT64_MIN);
	assert_string_equal(q(f, "SELECT suite || ' ' || run_us || ' ' || host || ' ' || revision || ' ' "
	                         "|| tool || ' ' || extra FROM bench_run"),
	                    "ingest 1765677600000000 desktop_m965jsc 25b0707 perfkit {\"ci\":{\"job\":42}}");
	assert_string_equal(q(f, "SELECT printf('%s %s %s %.1f %.6f %.1f %.1f %.1f %d', unit, direction, "
	                         "quote(user_s), mean, stddev, median, min, max, n) FROM bench_result "
	                         "WHERE name = 'hw_jsonl lines/s'"),
	                    "lines/s higher NULL 101000.0 2160.246899 100500.0 99000.0 104000.0 4");
	/* one value: all four statistics are the value, stddev missing */
	assert_string_equal(q(f, "SELECT mean || ' ' || median || ' ' || min || ' ' || max || ' ' || "
	                         "quote(stddev) || ' ' || n FROM bench_result WHERE name = 'peak RSS'"),
	                    "26.5 26.5 26.5 26.5 NULL 1");
	/* NaN and null are missing: stored as NULL values, not counted */
	assert_string_equal(q(f, "SELECT mean || ' ' || n || ' ' || extra FROM bench_result "
	                         "WHERE name = 'parse only'"), "2.0 2 {\"note\":\"warm cache\"}");
	assert_string_equal(qall(f, "SELECT quote(value) FROM bench_value WHERE name = 'parse only' "
	                            "ORDER BY seq"), "1.5|NULL|2.5|NULL");
	assert_string_equal(q(f, "SELECT quote(mean) || ' ' || n || ' ' || quote(direction) FROM "
	                         "bench_result WHERE name = 'empty'"), "NULL 0 NULL");
	assert_string_equal(q(f, "SELECT count(*) FROM bench_value"), "9");
	assert_int_equal(f->diags.len, 0);
	/* epoch run_time, keys after the benchmarks */
	ingest_ok(f, FIX "bench/perfkit-bench-epoch.json", NULL, NULL, INT64_MIN);
	assert_string_equal(q(f, "SELECT run_us || ' [' || host || ']' FROM bench_run WHERE suite = 'nightly'"),
	                    "1765670400000000 []");
}

static void test_perfkit_bench_bad(void **state)
{
	struct tu_fx *f = *state;
	ingest_ok(f, FIX "bench/perfkit-bench-bad.json", NULL, NULL, INT64_MIN);
	const char *want[] = {
		":7: benchmarks[1].direction: expected \"lower\" or \"higher\"",
		":8: benchmarks[2]: both value and values",
		":9: benchmarks[3]: no value or values",
		":10: benchmarks[4]: no name",
		":11: benchmarks[5].values[1]: expected a number in double range, got a string",
		":12: benchmarks[6].value: expected a number in double range, got 1e999",
		":13: benchmarks[7]: name repeats an earlier benchmark's",
		":14: benchmarks[8]: expected an object, got a string",
		":15: benchmarks[9].values: expected an array, got an object",
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		if (!strstr(f->diags.data, want[i]))
			fail_msg("missing %s in %s", want[i], f->diags.data);
	assert_string_equal(q(f, "SELECT count(*) FROM reject"), "9");
	/* the good ones are kept */
	assert_string_equal(qall(f, "SELECT name || '=' || mean FROM bench_result ORDER BY line"),
	                    "good=2.0|last=7.0");
	assert_string_equal(q(f, "SELECT run_us FROM bench_run"), "1765670400500000");
}

static void test_perfkit_bench_refused(void **state)
{
	struct tu_fx *f = *state;
	static const struct { const char *file, *diag; } cases[] = {
		{ "perfkit-bench-version.json", ": perfkit_bench: version 2 is not known (this perfkit reads version 1)" },
		{ "perfkit-bench-date.json", "perfkit-bench-date.json:1: run_time: impossible date" },
		{ "perfkit-bench-nosuite.json", "perfkit-bench-nosuite.json:1: no suite" },
		{ "hyperfine-sample.json", "hyperfine-sample.json:1: not a perfkit benchmark document (no \"perfkit_bench\": 1)" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char path[128];
		snprintf(path, sizeof path, FIX "bench/%s", cases[i].file);
		pk_buf_reset(&f->diags);
		ingest_ok(f, path, "perfkit_bench", NULL, INT64_MIN);
		if (!f->diags.data || !strstr(f->diags.data, cases[i].diag))
			fail_msg("%s: got %s", cases[i].file, f->diags.data ? f->diags.data : "nothing");
	}
	assert_string_equal(q(f, "SELECT count(*) FROM bench_run"), "0");
	assert_string_equal(q(f, "SELECT count(*) FROM bench_result"), "0");
	assert_string_equal(q(f, "SELECT count(*) FROM reject"), "4");
}

static void test_detect(void **state)
{
	(void)state;
	const char *hf = "{\n  \"results\": [\n    {\n      \"command\": \"sleep 0.01\",";
	const char *pb = "{\"perfkit_bench\": 1, \"suite\": \"s\"}";
	const struct pk_reader *r = pk_reader_detect("h.json", hf, strlen(hf));
	assert_non_null(r);
	assert_string_equal(r->name, "hyperfine");
	assert_null(pk_reader_detect("h.txt", hf, strlen(hf)));
	r = pk_reader_detect("b.json", pb, strlen(pb));
	assert_non_null(r);
	assert_string_equal(r->name, "perfkit_bench");
	const char *jl = "{\"timestamp\": \"2025-12-14T00:00:00Z\", \"fps\": 30}\n";
	r = pk_reader_detect("frames.jsonl", jl, strlen(jl));
	assert_true(!r || strcmp(r->name, "generic") != 0);
	assert_non_null(pk_reader_find("generic"));
	/* a command named perfkit_bench is hyperfine's, not the perfkit key */
	const char *named = "{\"results\": [{\"command\": \"perfkit_bench\", \"mean\": 1}]}";
	r = pk_reader_detect("n.json", named, strlen(named));
	assert_non_null(r);
	assert_string_equal(r->name, "hyperfine");
}

/* Another tool's {"results": [...]} is not claimed; the skip says why. */
static void test_detect_lookalikes(void **state)
{
	(void)state;
	static const struct { const char *head, *why; } cases[] = {
		{ "{\"results\": [{\"name\": \"a\", \"score\": 3}]}", "no \"command\" string" },
		{ "{\"results\": [{\"command\": 3, \"mean\": 1}]}", "no \"command\" string" },
		{ "{\"results\": [{\"command\": \"make\", \"status\": \"ok\"}]}",
		  "no \"mean\" number and no \"times\" array" },
		{ "{\"results\": [{\"command\": \"make\", \"mean\": \"fast\"}]}",
		  "no \"mean\" number and no \"times\" array" },
		{ "{\"results\": []}", "results is empty" },
		{ "{\"results\": [[1]]}", "results[0] is not an object" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *h = cases[i].head;
		assert_null(pk_reader_detect("r.json", h, strlen(h)));
		const char *why = pk_reader_why_not("r.json", h, strlen(h));
		if (!strstr(why, "not hyperfine") || !strstr(why, cases[i].why))
			fail_msg("%s: %s", h, why);
	}
	/* hyperfine's shape, times without mean, and a head that ends inside
	 * results[0] after its command are claimed */
	const char *yes[] = {
		"{\"results\": [{\"command\": \"a\", \"mean\": 1, \"times\": [1]}]}",
		"{\"results\": [{\"parameters\": {\"n\": \"1\"}, \"command\": \"a\", \"times\": [1]}]}",
		"{\"results\": [{\"command\": \"a very long comm",
	};
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		const struct pk_reader *r = pk_reader_detect("r.json", yes[i], strlen(yes[i]));
		if (!r || strcmp(r->name, "hyperfine") != 0)
			fail_msg("not claimed: %s", yes[i]);
	}
	/* not a look-alike at all: the plain reason */
	const char *other = "{\"items\": [1]}";
	assert_string_equal(pk_reader_why_not("r.json", other, strlen(other)),
	                    "no reader claims this file");
	const char *ps = "{\"timestamp\": 1.5, \"cpu\": 12.5}\n";
	assert_non_null(strstr(pk_reader_why_not("p.jsonl", ps, strlen(ps)), "--format generic"));
}

/* ---- generic records ---------------------------------------------------- */

static void test_generic_jsonl(void **state)
{
	struct tu_fx *f = *state;
	ingest_ok(f, FIX "generic/frames.jsonl", "generic", "pipeline", INT64_MIN);
	assert_int_equal(f->diags.len, 0);
	assert_string_equal(qall(f, "SELECT metric || '=' || value FROM generic_value WHERE line = 1 "
	                            "ORDER BY metric"),
	                    "boxes.0=3.0|boxes.1=4.5|capture_ms=4.2|fps=27.5|inference.ms=31.5|"
	                    "postprocessing_ms=0.9|preprocessing_ms=1.1");
	/* NaN, Infinity, null, 1e999: no value row; the record keeps the field */
	assert_string_equal(qall(f, "SELECT metric FROM generic_value WHERE line = 2 ORDER BY metric"),
	                    "capture_ms|postprocessing_ms|preprocessing_ms");
	assert_string_equal(q(f, "SELECT json_type(record, '$.fps') || ' ' || json_type(record, "
	                         "'$.inference.ms') FROM generic_record WHERE line = 2"), "null null");
	assert_string_equal(qall(f, "SELECT metric || '=' || value FROM generic_value WHERE line = 3 "
	                            "ORDER BY metric"),
	                    "capture_ms=3.9|neg_zero=0.0|tiny=4.94065645841247e-324");
	assert_string_equal(q(f, "SELECT json_extract(record, '$.camera') FROM generic_record "
	                         "WHERE line = 3"), "cam-1");
	/* timestamp wins over time; the time field is no metric */
	assert_string_equal(q(f, "SELECT ts_us FROM generic_record WHERE line = 4"), "1765670400100000");
	assert_string_equal(q(f, "SELECT count(*) FROM generic_value WHERE metric IN ('ts', 'timestamp')"), "0");
	assert_string_equal(q(f, "SELECT ts_us FROM generic_record WHERE line = 3"), "1765670400066000");
	assert_string_equal(q(f, "SELECT count(DISTINCT source) || source FROM generic_record"), "1pipeline");
	/* again: nothing new */
	struct pk_ingest_result res;
	ingest(f, FIX "generic/frames.jsonl", "generic", "pipeline", INT64_MIN, &res);
	assert_int_equal(res.counts.added, 0);
	pk_ingest_result_free(&res);
}

static void test_generic_csv(void **state)
{
	struct tu_fx *f = *state;
	ingest_ok(f, FIX "generic/stages.csv", "generic", NULL, INT64_MIN);
	assert_int_equal(f->diags.len, 0);
	/* no --source: the file's base name */
	assert_string_equal(q(f, "SELECT group_concat(DISTINCT source) FROM generic_record"), "stages");
	assert_string_equal(qall(f, "SELECT line || ':' || metric || '=' || value FROM generic_value "
	                            "ORDER BY ts_us, metric"),
	                    "2:duration_ms=4.2|2:fps=27.5|3:duration_ms=31.5|6:duration_ms=0.9|6:fps=28.0");
	assert_string_equal(q(f, "SELECT record FROM generic_record WHERE line = 3"),
	                    "{\"iso_ts\":\"2025-12-14T00:00:01Z\",\"stage\":\"inference\","
	                    "\"duration_ms\":\"31.5\",\"fps\":\"\",\"note\":\"multi\\nline, with comma\"}");
	assert_string_equal(q(f, "SELECT json_extract(record, '$.note') FROM generic_record WHERE line = 5"),
	                    "quoted \"text\"");
	assert_string_equal(q(f, "SELECT json_extract(record, '$.column_6') || ' ' || ts_us FROM "
	                         "generic_record WHERE line = 6"), "fields 1765670403000000");
	/* BOM and CRLF */
	ingest_ok(f, FIX "generic/bom-crlf.csv", "generic", NULL, INT64_MIN);
	assert_string_equal(qall(f, "SELECT metric || '=' || value FROM generic_value "
	                            "WHERE source = 'bom-crlf' ORDER BY ts_us"), "value=1.5|value=2.5");
	assert_string_equal(q(f, "SELECT json_extract(record, '$.label') FROM generic_record "
	                         "WHERE source = 'bom-crlf' AND line = 3"), "multi\nline");
}

static void test_generic_hostile_jsonl(void **state)
{
	struct tu_fx *f = *state;
	ingest_ok(f, FIX "generic/hostile.jsonl", "generic", "h", INT64_MIN);
	const char *want[] = {
		"hostile.jsonl:2:33: invalid JSON: lexical error: invalid bytes in UTF8 string",
		"hostile.jsonl:4:89: JSON nested deeper than 64 levels",
		"hostile.jsonl:6:2: expected a JSON object, got an array",
		"hostile.jsonl:7:5: expected a JSON object, got null",
		"hostile.jsonl:8: time field 'timestamp': impossible date",
		"hostile.jsonl:9: time field 'timestamp': impossible time of day",
		"hostile.jsonl:10: no time field (timestamp, time, ts, iso_ts or datetime)",
		"hostile.jsonl:11: time field 'timestamp': expected a string or a number",
		"hostile.jsonl:12: time field 'ts': expected a string or a number",
		"hostile.jsonl:14:2: invalid JSON: lexical error: invalid char in json text",
		"hostile.jsonl:16:27: invalid JSON: premature EOF",
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		if (!strstr(f->diags.data, want[i]))
			fail_msg("missing %s in %s", want[i], f->diags.data);
	assert_string_equal(q(f, "SELECT count(*) FROM reject"), "11");
	/* every other line is stored */
	assert_string_equal(qall(f, "SELECT line FROM generic_record ORDER BY line"),
	                    "1|5|13|15|17|18|19");
	assert_string_equal(q(f, "SELECT ts_us FROM generic_record WHERE line = 17"), "0");
	assert_string_equal(q(f, "SELECT ts_us FROM generic_record WHERE line = 18"), "4133980799999999");
	/* control characters in a name: kept in the record, no metric */
	assert_string_equal(qall(f, "SELECT metric FROM generic_value WHERE line = 13"), "ok");
	assert_string_equal(q(f, "SELECT json_extract(record, '$.s') FROM generic_record WHERE line = 13"),
	                    "\"; DROP TABLE generic_value; --");
	/* 1e999 and -1e-400: 1e999 missing, -1e-400 rounds to -0 */
	assert_string_equal(qall(f, "SELECT metric || '=' || value FROM generic_value WHERE line = 15 "
	                            "ORDER BY metric"), "b=0.0|c=0.0");
	assert_string_equal(q(f, "SELECT metric FROM generic_value WHERE line = 5"),
	                    "a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0");
}

static void test_generic_hostile_csv(void **state)
{
	struct tu_fx *f = *state;
	struct pk_ingest_result res;
	ingest(f, FIX "generic/hostile.csv", "generic", NULL, INT64_MIN, &res);
	assert_int_equal(res.pending, 1);      /* the open quote at the end waits */
	pk_ingest_result_free(&res);
	const char *want[] = {
		"hostile.csv:3: column 3 is not valid UTF-8",
		"hostile.csv:4: CSV: malformed quoting",
		"hostile.csv:5: time field 'time': impossible date",
		"hostile.csv:6: time field 'time': is empty",
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		if (!strstr(f->diags.data, want[i]))
			fail_msg("missing %s in %s", want[i], f->diags.data);
	assert_string_equal(q(f, "SELECT count(*) FROM reject"), "4");
	assert_string_equal(qall(f, "SELECT line FROM generic_record ORDER BY line"), "2|7|8|9");
	assert_string_equal(qall(f, "SELECT line || ':' || metric || '=' || value FROM generic_value "
	                            "ORDER BY line, metric"), "2:value=1.0|7:label=0.0|9:value=6.0");
	assert_string_equal(q(f, "SELECT json_extract(record, '$.column_5') FROM generic_record "
	                         "WHERE line = 9"), "$(touch pwned)");
	/* header only, no time column, empty file */
	pk_buf_reset(&f->diags);
	ingest_ok(f, FIX "generic/header-only.csv", "generic", NULL, INT64_MIN);
	ingest_ok(f, FIX "generic/empty.jsonl", "generic", NULL, INT64_MIN);
	assert_int_equal(f->diags.len, 0);
	ingest_ok(f, FIX "generic/no-time.csv", "generic", NULL, INT64_MIN);
	assert_non_null(strstr(f->diags.data, "no-time.csv:2: the CSV header has no time column"));
	assert_non_null(strstr(f->diags.data, "no-time.csv:3: the CSV header has no time column"));
}

static void test_generic_resume_csv(void **state)
{
	struct tu_fx *f = *state;
	char path[128];
	snprintf(path, sizeof path, "%s/gpu.stages.csv", f->dir);
	const char *a = "\n  \nfps,when,ts\n30,x,1765670400\n31,\"open\n";
	tu_write(path, "w", a, strlen(a));
	struct pk_ingest_result res;
	ingest(f, path, "generic", NULL, INT64_MIN, &res);
	assert_int_equal(res.pending, 1);
	pk_ingest_result_free(&res);
	/* the quoted field closes; new rows follow: the header is read again */
	const char *b = "quote\",1765670401\n32,y,1765670402\n";
	tu_write(path, "a", b, strlen(b));
	ingest_ok(f, path, "generic", NULL, INT64_MIN);
	assert_int_equal(f->diags.len, 0);
	assert_string_equal(qall(f, "SELECT source || ':' || line || ':' || value FROM generic_value "
	                            "ORDER BY ts_us"),
	                    "gpu.stages:4:30.0|gpu.stages:5:31.0|gpu.stages:7:32.0");
	assert_string_equal(q(f, "SELECT json_extract(record, '$.when') FROM generic_record WHERE line = 5"),
	                    "open\nquote");
}

static void test_generic_long_and_unbalanced(void **state)
{
	struct tu_fx *f = *state;
	char path[128];
	snprintf(path, sizeof path, "%s/long.jsonl", f->dir);
	size_t big = (size_t)9 << 20;
	char *text = malloc(big + 200);
	assert_non_null(text);
	int n = snprintf(text, 200, "{\"ts\": 1, \"a\": 1}\n{\"ts\": 2, \"x\": \"");
	memset(text + n, 'a', big);
	n += (int)big;
	n += snprintf(text + n, 200, "\"}\n{\"ts\": 3, \"a\": 3}\n");
	tu_write(path, "w", text, (size_t)n);
	free(text);
	ingest_ok(f, path, "generic", NULL, INT64_MIN);
	assert_non_null(strstr(f->diags.data, "long.jsonl:2: line longer than 8 MiB"));
	assert_string_equal(qall(f, "SELECT line FROM generic_record WHERE source = 'long' ORDER BY line"),
	                    "1|3");
	/* a quote never closed: its line is rejected after 1000 lines, the rest kept */
	snprintf(path, sizeof path, "%s/open.csv", f->dir);
	struct pk_buf b = PK_BUF_INIT;
	pk_buf_puts(&b, "ts,v,note\n1,1,\"never closed\n");
	for (int i = 0; i < 1100; i++)
		pk_buf_printf(&b, "%d,%d,x\n", i + 2, i + 2);
	tu_write(path, "w", b.data, b.len);
	pk_buf_free(&b);
	pk_buf_reset(&f->diags);
	ingest_ok(f, path, "generic", NULL, INT64_MIN);
	assert_non_null(strstr(f->diags.data, "open.csv:2: CSV: quoted field not closed within 1000 "
	                                      "lines (unbalanced quote)"));
	assert_string_equal(q(f, "SELECT count(*) || ' ' || min(line) || ' ' || max(line) FROM "
	                         "generic_record WHERE source = 'open'"), "1100 3 1102");
}

/* A bad source name is the command's fault: the file is reported once,
 * nothing of it is stored, and it stays unread, so the corrected command
 * loads it (it was marked read with every line rejected). */
static void test_generic_source_problems(void **state)
{
	struct tu_fx *f = *state;
	struct pk_ingest_result res;
	assert_int_equal(ingest(f, FIX "generic/frames.jsonl", "generic", "", INT64_MIN, &res),
	                 PK_ERR_IO);
	assert_int_equal(res.files_failed, 1);
	pk_ingest_result_free(&res);
	assert_string_equal(f->diags.data, FIX "generic/frames.jsonl: source name is empty "
	                    "(give --source NAME)\n");
	pk_buf_reset(&f->diags);
	assert_int_equal(ingest(f, FIX "generic/stages.csv", "generic", "bad\nname", INT64_MIN, &res),
	                 PK_ERR_IO);
	pk_ingest_result_free(&res);
	assert_string_equal(f->diags.data, FIX "generic/stages.csv: source name contains control "
	                    "characters\n");
	assert_string_equal(q(f, "SELECT count(*) FROM generic_record"), "0");
	assert_string_equal(q(f, "SELECT count(*) FROM reject"), "0");
	assert_string_equal(q(f, "SELECT count(*) FROM source_file"), "0");
	/* the corrected commands load both files whole */
	ingest_ok(f, FIX "generic/frames.jsonl", "generic", "pipeline", INT64_MIN);
	ingest_ok(f, FIX "generic/stages.csv", "generic", "stages", INT64_MIN);
	assert_string_equal(q(f, "SELECT count(*) FROM generic_record WHERE source = 'pipeline'"), "4");
	assert_string_equal(q(f, "SELECT count(*) > 0 FROM generic_record WHERE source = 'stages'"), "1");
}

/* The values of one metric as "ts=value" joined by '|'. */
static char *series(struct tu_fx *f, const char *source, const char *metric,
                    int64_t from, int64_t to)
{
	static char out[4096];
	struct pk_generic_series g = { 0 };
	assert_int_equal(pk_query_generic_series(f->db, source, metric, from, to, &g), PK_OK);
	size_t len = 0;
	out[0] = '\0';
	for (size_t i = 0; i < g.n && len < sizeof out - 1; i++)
		len += (size_t)snprintf(out + len, sizeof out - len, "%s%lld=%g", i ? "|" : "",
		                        (long long)g.ts_us[i], g.v[i]);
	pk_generic_series_free(&g);
	return out;
}

#define CHUNKS "SELECT source || ':' || metric || ':' || hour || ':' || n || ':' || hex(ts) " \
               "|| ':' || hex(vals) FROM generic_chunk ORDER BY source, metric, hour"

/* The columnar copy: what perfingest writes equals the rebuild from the
 * records (the same rule); days changed by other tools are read from
 * generic_record and rebuilt by the next run. */
static void test_generic_columnar(void **state)
{
	struct tu_fx *f = *state;
	ingest_ok(f, FIX "generic/frames.jsonl", "generic", "pipeline", INT64_MIN);
	ingest_ok(f, FIX "generic/stages.csv", "generic", NULL, INT64_MIN);
	ingest_ok(f, FIX "generic/hostile.jsonl", "generic", "h", INT64_MIN);
	char *written = strdup(qall(f, CHUNKS));
	assert_true(strlen(written) > 100);
	assert_string_equal(q(f, "SELECT count(*) FROM generic_metric"), "16");
	/* every hour dirty, chunks gone: the repair rebuilds the same bytes */
	tu_exec(f->db_path, "INSERT INTO generic_chunk_dirty SELECT DISTINCT source, hour FROM "
	           "generic_chunk; DELETE FROM generic_chunk");
	assert_string_equal(series(f, "pipeline", "capture_ms", INT64_MIN, INT64_MAX),
	                    "1765670400000000=4.2|1765670400033000=4|1765670400066000=3.9|"
	                    "1765670400100000=4.4");
	assert_string_equal(series(f, "stages", "fps", INT64_MIN, INT64_MAX),
	                    "1765670400000000=27.5|1765670403000000=28");
	int64_t days = 0;
	assert_int_equal(pk_db_begin(f->db), PK_OK);
	assert_int_equal(pk_store_generic_repair(f->db, &days), PK_OK);
	assert_int_equal(pk_db_commit(f->db), PK_OK);
	assert_int_equal(days, 5);
	assert_string_equal(qall(f, CHUNKS), written);
	free(written);
	/* from chunks, clipped to the window */
	assert_string_equal(series(f, "pipeline", "capture_ms", 1765670400033000, 1765670400066000),
	                    "1765670400033000=4|1765670400066000=3.9");
	assert_string_equal(series(f, "pipeline", "inference.ms", INT64_MIN, INT64_MAX),
	                    "1765670400000000=31.5");
	assert_string_equal(series(f, "pipeline", "nothing", INT64_MIN, INT64_MAX), "");
	assert_string_equal(series(f, "h", "a", INT64_MIN, INT64_MAX),
	                    "0=11|1765670400000000=1|1765670408000000=13|4133980799999999=12");
	/* another tool updates, inserts (a new hour, a new metric) and deletes */
	tu_exec(f->db_path, "UPDATE generic_record SET record = json_set(record, '$.capture_ms', 99) "
	           "WHERE source = 'pipeline' AND line = 2; "
	           "INSERT INTO generic_record VALUES ('pipeline', 1765756800000000, "
	           "'{\"ts\": 1765756800, \"capture_ms\": 7, \"extra\": {\"n\": [1, 2]}}', 1, 99); "
	           "DELETE FROM generic_record WHERE source = 'pipeline' AND line = 4");
	assert_string_equal(q(f, "SELECT group_concat(hour) FROM (SELECT hour FROM "
	                         "generic_chunk_dirty ORDER BY hour)"), "490464,490488");
	assert_string_equal(series(f, "pipeline", "capture_ms", INT64_MIN, INT64_MAX),
	                    "1765670400000000=4.2|1765670400033000=99|1765670400066000=3.9|"
	                    "1765756800000000=7");
	assert_string_equal(series(f, "pipeline", "extra.n.1", INT64_MIN, INT64_MAX),
	                    "1765756800000000=2");
	assert_string_equal(series(f, "pipeline", "ts", INT64_MIN, INT64_MAX), "");
	/* the next generic run rebuilds the dirty days */
	ingest_ok(f, FIX "generic/empty.jsonl", "generic", NULL, INT64_MIN);
	assert_string_equal(q(f, "SELECT count(*) FROM generic_chunk_dirty"), "0");
	assert_string_equal(qall(f, "SELECT metric FROM generic_metric WHERE metric LIKE 'extra%' "
	                            "ORDER BY metric"), "extra.n.0|extra.n.1");
	assert_string_equal(series(f, "pipeline", "capture_ms", INT64_MIN, INT64_MAX),
	                    "1765670400000000=4.2|1765670400033000=99|1765670400066000=3.9|"
	                    "1765756800000000=7");
	assert_string_equal(qall(f, "SELECT ts_us || '=' || value FROM generic_value WHERE "
	                            "metric = 'capture_ms' ORDER BY ts_us"),
	                    "1765670400000000=4.2|1765670400033000=99.0|1765670400066000=3.9|"
	                    "1765756800000000=7.0");
	/* perfingest's own inserts mark nothing; a file that re-adds a deleted
	 * record merges it into the chunk */
	ingest_ok(f, FIX "generic/frames.jsonl", "generic", "pipeline", INT64_MIN);
	assert_string_equal(q(f, "SELECT count(*) FROM generic_chunk_dirty"), "0");
	assert_string_equal(series(f, "pipeline", "capture_ms", INT64_MIN, INT64_MAX),
	                    "1765670400000000=4.2|1765670400033000=99|1765670400066000=3.9|"
	                    "1765756800000000=7");
}

/* A damaged generic_chunk row (the database is input too): reading it is an
 * error naming the row, never an overflow; perfingest merging into it
 * rebuilds the hour from generic_record instead. */
static void test_generic_damaged_chunk(void **state)
{
	struct tu_fx *f = *state;
	ingest_ok(f, FIX "generic/frames.jsonl", "generic", "pipeline", INT64_MIN);
	const char *good = "1765670400000000=4.2|1765670400033000=4|1765670400066000=3.9|"
	                   "1765670400100000=4.4";
	const char *damage[] = {
		"n = 2305843009213693952", "n = -5", "n = 'x'", "ts = substr(ts, 1, 8)",
		"vals = zeroblob(3)", "ts = X'0100000000000000000000000000000001'",
	};
	for (size_t i = 0; i < sizeof damage / sizeof *damage; i++) {
		char sql[256];
		snprintf(sql, sizeof sql, "UPDATE generic_chunk SET %s WHERE source = 'pipeline' "
		         "AND metric = 'capture_ms'", damage[i]);
		tu_exec(f->db_path, sql);
		struct pk_generic_series g = { 0 };
		assert_int_equal(pk_query_generic_series(f->db, "pipeline", "capture_ms",
		                                         INT64_MIN, INT64_MAX, &g), PK_ERR_DB);
		pk_generic_series_free(&g);
		assert_non_null(strstr(pk_db_errmsg(f->db), "generic_chunk row (source pipeline, "
		                                          "metric capture_ms, hour 490464) is damaged"));
		/* the writer merging a new record into the hour rebuilds it */
		char rec[96], want[512];
		snprintf(rec, sizeof rec, "{\"ts\": %zu, \"capture_ms\": 5}\n", 1765670401 + i);
		char *more = tu_path(f, "more.jsonl");
		tu_write_text(more, "a", rec);
		ingest_ok(f, more, "generic", "pipeline", INT64_MIN);
		size_t len = (size_t)snprintf(want, sizeof want, "%s", good);
		for (size_t k = 0; k <= i; k++)
			len += (size_t)snprintf(want + len, sizeof want - len, "|%zu000000=5",
			                        1765670401 + k);
		assert_string_equal(series(f, "pipeline", "capture_ms", INT64_MIN, INT64_MAX), want);
	}
}

/* pk_generic_extract's callback: "metric=value|" per value, the first of a
 * repeated metric only (as the columnar copy keeps it). */
static int rebuild_add(void *ctx, const char *metric, size_t len, double v)
{
	struct pk_buf *b = ctx;
	char key[1100];
	snprintf(key, sizeof key, "|%.*s=", (int)len, metric);
	if (b->data && strstr(b->data, key))
		return 0;
	pk_buf_printf(b, "%.*s=%.17g|", (int)len, metric, v);
	return 0;
}

/* One rule: the metric values the reader stored for each record equal those
 * the rebuild takes from the stored record JSON (pk_generic_extract), for
 * records that try its corners. */
static void test_generic_reader_matches_rebuild(void **state)
{
	struct tu_fx *f = *state;
	char path[128];
	snprintf(path, sizeof path, "%s/tricky.jsonl", f->dir);
	const char *jsonl =
		"{\"ts\": 1, \"a\": {\"b\": 2, \"c\": [3, {\"d\": 4}, [5, 6]]}, \"e\": [], \"f\": {}}\n"
		"{\"ts\": 2, \"nan\": NaN, \"inf\": -Infinity, \"big\": 1e999, \"tiny\": -1e-400, "
		"\"neg\": -0, \"x\": null, \"y\": true}\n"
		"{\"ts\": 3, \"a\\u0001b\": 1, \"ok\": 2, \"\": 3, \"tab\\tname\": 4}\n"
		"{\"ts\": \"4\", \"v\": \"12\", \"w\": \" 3\", \"s\": \"text\", \"z\": \"\"}\n"
		"{\"ts\": 5, \"v\": \"12\", \"n\": 7}\n"
		"{\"time\": 6, \"ts\": 60, \"timestamp\": 6, \"in\": {\"ts\": 9}}\n"
		"{\"ts\": 7, \"dup\": 1, \"dup\": 2, \"a.b\": 3, \"a\": {\"b\": 4}}\n";
	tu_write(path, "w", jsonl, strlen(jsonl));
	ingest_ok(f, path, "generic", "j", INT64_MIN);
	snprintf(path, sizeof path, "%s/tricky.csv", f->dir);
	const char *csv =
		"ts,num,quoted,spaced,word,\"ctl\x01name\",num,empty,nan,big\n"
		"8,1.5,\"2\",  3  ,abc,4,5,,nan,1e999\n"
		"9,-0,\"1e3\",\" 7 \",0x10,6,7,,inf,-1e-400,extra1,8\n";
	tu_write(path, "w", csv, strlen(csv));
	ingest_ok(f, path, "generic", "c", INT64_MIN);
	sqlite3 *s = open_db(f);
	sqlite3_stmt *rec, *val;
	assert_int_equal(sqlite3_prepare_v2(s, "SELECT source, ts_us, record FROM generic_record "
	                                    "ORDER BY source, ts_us", -1, &rec, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(s, "SELECT metric, value FROM temp.generic_value "
	                                    "WHERE source = ?1 AND ts_us = ?2 ORDER BY rowid",
	                                    -1, &val, NULL), SQLITE_OK);
	int records = 0, values = 0;
	while (sqlite3_step(rec) == SQLITE_ROW) {
		struct pk_buf want = PK_BUF_INIT, got = PK_BUF_INIT;
		pk_buf_putc(&want, '|');
		assert_int_equal(pk_generic_extract((const char *)sqlite3_column_text(rec, 2),
		                                    (size_t)sqlite3_column_bytes(rec, 2),
		                                    rebuild_add, &want), PK_OK);
		sqlite3_bind_text(val, 1, (const char *)sqlite3_column_text(rec, 0), -1,
		                  SQLITE_TRANSIENT);
		sqlite3_bind_int64(val, 2, sqlite3_column_int64(rec, 1));
		pk_buf_putc(&got, '|');
		while (sqlite3_step(val) == SQLITE_ROW) {
			pk_buf_printf(&got, "%s=%.17g|", (const char *)sqlite3_column_text(val, 0),
			              sqlite3_column_double(val, 1));
			values++;
		}
		sqlite3_reset(val);
		/* the same values; the columnar copy keeps them by metric name */
		char *w = want.data, *g = got.data;
		size_t nw = 0, ng = 0;
		for (const char *c = w + 1; *c; c++)
			nw += *c == '|';
		for (const char *c = g + 1; *c; c++)
			ng += *c == '|';
		if (nw != ng)
			fail_msg("record %s: the rebuild has %s, the reader %s",
			         sqlite3_column_text(rec, 2), w, g);
		for (char *t = strtok(w + 1, "|"); t; t = strtok(NULL, "|")) {
			char key[1200];
			snprintf(key, sizeof key, "|%s|", t);
			if (!strstr(g, key))
				fail_msg("record %s: the rebuild has %s, the reader not (reader: %s)",
				         sqlite3_column_text(rec, 2), t, g);
		}
		records++;
		pk_buf_free(&want);
		pk_buf_free(&got);
	}
	sqlite3_finalize(rec);
	sqlite3_finalize(val);
	sqlite3_close(s);
	assert_int_equal(records, 9);
	assert_int_equal(values, 24);
	/* the corners, spelled out */
	assert_string_equal(qall(f, "SELECT metric || '=' || value FROM generic_value WHERE "
	                            "source = 'j' AND ts_us = 1000000 ORDER BY metric"),
	                    "a.b=2.0|a.c.0=3.0|a.c.1.d=4.0|a.c.2.0=5.0|a.c.2.1=6.0");
	assert_string_equal(qall(f, "SELECT metric || '=' || value FROM generic_value WHERE "
	                            "source = 'j' AND ts_us = 4000000 ORDER BY metric"),
	                    "v=12.0");
	assert_string_equal(qall(f, "SELECT metric || '=' || value FROM generic_value WHERE "
	                            "source = 'j' AND ts_us = 5000000 ORDER BY metric"), "n=7.0");
	assert_string_equal(qall(f, "SELECT metric || '=' || value FROM generic_value WHERE "
	                            "source = 'c' AND ts_us = 9000000 ORDER BY metric"),
	                    "big=0.0|column_12=8.0|column_7=7.0|num=0.0|quoted=1000.0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hyperfine_sample, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_hyperfine_mtime, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_hyperfine_params, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_hyperfine_param_names, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_hyperfine_hostile, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_hyperfine_broken, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_perfkit_bench, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_perfkit_bench_bad, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_perfkit_bench_refused, setup, tu_teardown),
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_detect_lookalikes),
		cmocka_unit_test_setup_teardown(test_generic_jsonl, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_generic_csv, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_generic_hostile_jsonl, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_generic_hostile_csv, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_generic_resume_csv, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_generic_long_and_unbalanced, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_generic_source_problems, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_generic_columnar, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_generic_damaged_chunk, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_generic_reader_matches_rebuild, setup, tu_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
