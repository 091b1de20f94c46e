/* test_json_docs.c - unit tests of the whole-document JSON layer
 * (ingest/engines/json_doc.c: chunks, paths, lines, captures, NaN, errors,
 * verbatim holds, unchecked strings, containers skipped past the depth
 * cap, faults at the end) and of
 * the readers built on it: F5 experiment profiles, F6 session profiles and
 * F7 hyperfine and F10 sadf exports (NaN, a blank file, a bad string),
 * with their hostile cases (broken, truncated, wrong shapes, invalid UTF-8,
 * deep nesting, 1e999, control characters, keys out of order). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/db.h"
#include "ingest/pipeline/ingest.h"
#include "ingest/engines/json_doc.h"
#include "ingest/pipeline/reader.h"
#include "tests/unit/testutil.h"

/* ---- the layer ---- */

struct rec {
	struct pk_buf log, cap;
	int capture_key;    /* capture the value of keys named "cap" */
	int cap_ok;
};

static const char *const evname[] = { "null", "bool", "num", "str", "map", "arr", "end" };

static enum pk_status rec_event(void *ctx, struct pk_jdoc *d, enum pk_jev ev,
                                const char *s, size_t n)
{
	struct rec *r = ctx;
	size_t pn, kn;
	int L = pk_jdoc_depth(d);
	const char *path = pk_jdoc_path(d, 0, &pn);
	const char *key = L > 0 ? pk_jdoc_key(d, L, &kn) : NULL;
	pk_buf_printf(&r->log, "%lld %.*s %s", (long long)pk_jdoc_line(d), (int)pn, path, evname[ev]);
	if (s)
		pk_buf_printf(&r->log, " %.*s", (int)n, s);
	if (ev == PK_JEV_END && key && kn == 3 && memcmp(key, "cap", 3) == 0)
		pk_buf_printf(&r->log, " ok=%d [%s]", r->cap_ok, r->cap.data ? r->cap.data : "");
	pk_buf_putc(&r->log, '\n');
	if (ev != PK_JEV_END && key && kn == 3 && memcmp(key, "cap", 3) == 0) {
		pk_buf_reset(&r->cap);
		return pk_jdoc_capture(d, &r->cap, 1 << 20, &r->cap_ok);
	}
	if (ev != PK_JEV_END && key && kn == 4 && memcmp(key, "fail", 4) == 0)
		return pk_jdoc_fail(d, "reader says no");
	return PK_OK;
}

/* Parses text in chunks of size step (0: whole); returns the log, and the
 * error as "LINE:COL why" appended. */
static char *run_doc(const char *text, size_t len, size_t step)
{
	struct rec r = { PK_BUF_INIT, PK_BUF_INIT, 1, 0 };
	struct pk_jdoc *d = pk_jdoc_new(rec_event, &r);
	assert_non_null(d);
	if (!step)
		step = len ? len : 1;
	for (size_t i = 0; i < len; i += step)
		assert_int_equal(pk_jdoc_feed(d, text + i, len - i < step ? len - i : step), PK_OK);
	assert_int_equal(pk_jdoc_end(d), PK_OK);
	const char *why, *raw;
	size_t rawn;
	int64_t line, col;
	if (pk_jdoc_error(d, &why, &line, &col, &raw, &rawn))
		pk_buf_printf(&r.log, "ERROR %lld:%lld %s%s\n", (long long)line, (long long)col, why,
		              pk_jdoc_truncated(d) ? " [truncated]" : "");
	pk_jdoc_free(&d);
	assert_null(d);
	pk_buf_free(&r.cap);
	return pk_buf_steal(&r.log);
}

/* The same events whatever the chunk size. */
static void check_chunking(const char *text)
{
	char *whole = run_doc(text, strlen(text), 0);
	static const size_t steps[] = { 1, 2, 3, 5, 7, 13 };
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		char *part = run_doc(text, strlen(text), steps[i]);
		assert_string_equal(part, whole);
		free(part);
	}
	free(whole);
}

static void test_layer_events(void **state)
{
	(void)state;
	const char *doc =
	    "\xef\xbb\xbf{\n"
	    "  \"a\": NaN,\n"
	    "  \"b\": [1, -Infinity, Infinity, \"NaN\", -0, 1e999],\n"
	    "  \"cap\": {\n"
	    "    \"x\": [1, 2, {\"s\": \"two words \\\" q\"}],\n"
	    "    \"y\": NaN\n"
	    "  },\n"
	    "  \"n\": {\"deep\": {\"er\": true}}\n"
	    "}\n";
	char *log = run_doc(doc, strlen(doc), 0);
	assert_string_equal(log,
	    "1  map\n"
	    "2 a null null\n"
	    "3 b arr\n"
	    "3 b.0 num 1\n"
	    "3 b.1 null null\n"
	    "3 b.2 null null\n"
	    "3 b.3 str NaN\n"
	    "3 b.4 num -0\n"
	    "3 b.5 num 1e999\n"
	    "3 b end\n"
	    "4 cap map\n"
	    "5 cap.x arr\n"
	    "5 cap.x.0 num 1\n"
	    "5 cap.x.1 num 2\n"
	    "5 cap.x.2 map\n"
	    "5 cap.x.2.s str two words \" q\n"
	    "5 cap.x.2 end\n"
	    "5 cap.x end\n"
	    "6 cap.y null null\n"
	    "7 cap end ok=1 [{\"x\":[1,2,{\"s\":\"two words \\\" q\"}],\"y\":null}]\n"
	    "8 n map\n"
	    "8 n.deep map\n"
	    "8 n.deep.er bool true\n"
	    "8 n.deep end\n"
	    "8 n end\n"
	    "9  end\n");
	free(log);
	check_chunking(doc);
}

static void test_layer_errors(void **state)
{
	(void)state;
	/* column counts bytes of the line as written: NaN before it counts 3 */
	char *log = run_doc("{\"a\": [NaN, NaN,\n  1, NaN, x]}", 30, 0);
	assert_non_null(strstr(log, "ERROR 2:12 invalid JSON: "));
	free(log);
	check_chunking("{\"a\": [NaN, NaN,\n  1, NaN, x]}");
	/* truncated: a document still being written */
	log = run_doc("{\"a\": {\"b\": [1, 2", 17, 0);
	assert_non_null(strstr(log, "ERROR 1:18 document ends early (truncated, or still being written) [truncated]"));
	free(log);
	log = run_doc("", 0, 0);
	assert_non_null(strstr(log, "ERROR 1:1 empty document"));
	free(log);
	log = run_doc(" \n\n ", 4, 0);
	assert_non_null(strstr(log, "ERROR 3:2 empty document"));
	free(log);
	/* invalid UTF-8: points at the bad byte */
	log = run_doc("{\"a\": 1,\n \"b\": \"ok\xff no\"}", 23, 0);
	assert_non_null(strstr(log, "ERROR 2:10 invalid JSON:"));
	free(log);
	check_chunking("{\"a\": 1,\n \"b\": \"ok\xc3\xa9 \xff no\"}");
	/* control character in a string */
	log = run_doc("{\"a\": \"x\ty\"}", 12, 0);
	assert_non_null(strstr(log, "ERROR 1:"));
	free(log);
	/* trailing garbage after a complete document */
	log = run_doc("{\"a\": 1}\n}", 10, 0);
	assert_non_null(strstr(log, "1  end\nERROR 2:"));
	free(log);
	/* nesting is capped */
	char deep[300];
	memset(deep, '[', 100);
	memset(deep + 100, ']', 100);
	log = run_doc(deep, 200, 0);
	assert_non_null(strstr(log, "ERROR 1:65 JSON nested deeper than 64 levels"));
	free(log);
	/* a long string across many chunks is fine; one over 16 MiB is not */
	size_t big = ((size_t)2 << 20) + 100;
	char *t = malloc(((size_t)17 << 20) + 64);
	assert_non_null(t);
	memcpy(t, "{\"a\": \"", 7);
	memset(t + 7, 'x', big);
	memcpy(t + 7 + big, "\"}", 3);
	log = run_doc(t, big + 9, 65536);
	assert_null(strstr(log, "ERROR"));
	assert_int_equal(strlen(log), big + 23);   /* "1  map", "1 a str x...", "1  end" */
	free(log);
	big = ((size_t)17 << 20);
	memset(t + 7, 'x', big);
	memcpy(t + 7 + big, "\"}", 3);
	log = run_doc(t, big + 9, (size_t)1 << 20);
	assert_non_null(strstr(log, "ERROR 1:16777224 a string or number longer than 16 MiB"));
	free(log);
	free(t);
	/* the reader stops a document */
	log = run_doc("{\"x\": 1,\n\"fail\": 2}", 19, 0);
	assert_non_null(strstr(log, "ERROR 2:"));
	assert_non_null(strstr(log, "reader says no"));
	free(log);
}

/* Parses text in two feeds cut at every offset: the events and the error
 * (its column too) are those of the whole text. */
static void check_two_feeds(const char *text)
{
	size_t len = strlen(text);
	char *whole = run_doc(text, len, 0);
	for (size_t cut = 1; cut < len; cut++) {
		struct rec r = { PK_BUF_INIT, PK_BUF_INIT, 1, 0 };
		struct pk_jdoc *d = pk_jdoc_new(rec_event, &r);
		assert_non_null(d);
		assert_int_equal(pk_jdoc_feed(d, text, cut), PK_OK);
		assert_int_equal(pk_jdoc_feed(d, text + cut, len - cut), PK_OK);
		assert_int_equal(pk_jdoc_end(d), PK_OK);
		const char *why, *raw;
		size_t rawn;
		int64_t line, col;
		if (pk_jdoc_error(d, &why, &line, &col, &raw, &rawn))
			pk_buf_printf(&r.log, "ERROR %lld:%lld %s%s\n", (long long)line, (long long)col,
			              why, pk_jdoc_truncated(d) ? " [truncated]" : "");
		pk_jdoc_free(&d);
		pk_buf_free(&r.cap);
		char *part = pk_buf_steal(&r.log);
		if (strcmp(part, whole) != 0)
			fail_msg("cut at %zu:\n%s\nwhole:\n%s", cut, part, whole);
		free(part);
	}
	free(whole);
}

/* NaN, Infinity and -Infinity cut by a feed's end, inside and outside
 * strings, after escaped quotes and runs of backslashes. */
static void test_layer_nan_split(void **state)
{
	(void)state;
	const char *doc =
	    "{\"a\": [NaN, -Infinity, Infinity, -1, -NaN],\n"
	    " \"s\": [\"NaN\", \"x\\\"NaN\", \"\\\\\", \"-Infinity\\\\\\\\\", \"I\\\\\\\"N\"],\n"
	    " \"k\\\\\": Infinity, \"NaN\": -Infinity, \"t\": \"\\u0049nfinity\"}\n";
	char *log = run_doc(doc, strlen(doc), 0);
	assert_string_equal(log,
	    "1  map\n"
	    "1 a arr\n"
	    "1 a.0 null null\n"
	    "1 a.1 null null\n"
	    "1 a.2 null null\n"
	    "1 a.3 num -1\n"
	    "ERROR 1:39 invalid JSON: lexical error: malformed number, a digit is required after the minus sign\n");
	free(log);
	check_two_feeds(doc);
	/* without the bad -NaN: every token of the document */
	const char *good =
	    "{\"a\": [NaN, -Infinity, Infinity, -1],\n"
	    " \"s\": [\"NaN\", \"x\\\"NaN\", \"\\\\\", \"-Infinity\\\\\\\\\", \"I\\\\\\\"N\"],\n"
	    " \"k\\\\\": Infinity, \"NaN\": -Infinity, \"t\": \"\\u0049nfinity\"}\n";
	log = run_doc(good, strlen(good), 0);
	assert_string_equal(log,
	    "1  map\n"
	    "1 a arr\n"
	    "1 a.0 null null\n"
	    "1 a.1 null null\n"
	    "1 a.2 null null\n"
	    "1 a.3 num -1\n"
	    "1 a end\n"
	    "2 s arr\n"
	    "2 s.0 str NaN\n"
	    "2 s.1 str x\"NaN\n"
	    "2 s.2 str \\\n"
	    "2 s.3 str -Infinity\\\\\n"
	    "2 s.4 str I\\\"N\n"
	    "2 s end\n"
	    "3 k\\ null null\n"
	    "3 NaN null null\n"
	    "3 t str Infinity\n"
	    "3  end\n");
	free(log);
	check_two_feeds(good);
	check_chunking(good);
	/* the column of a fault after rewritten tokens counts them as written */
	check_two_feeds("[NaN, Infinity, \"N\", -Infinity, NaN x]");
	log = run_doc("[NaN, Infinity, \"N\", -Infinity, NaN x]", 38, 0);
	assert_non_null(strstr(log, "ERROR 1:38 invalid JSON: lexical error: invalid char"));
	free(log);
	/* a token cut at the end of the document is left as it is */
	log = run_doc("[1, -Infin", 10, 0);
	assert_non_null(strstr(log, "ERROR 1:"));
	free(log);
	check_two_feeds("[1, -Infin");
	check_two_feeds("[1, -");
	check_two_feeds("[\"a\\");
	check_two_feeds("  \t\n ");
	check_two_feeds("\xef\xbb\xbf [NaN]");
}

/* A number over 16 MiB is stopped as a string is, whatever the chunks. */
static void test_layer_long_number(void **state)
{
	(void)state;
	size_t big = ((size_t)2 << 20) + 100;
	char *t = malloc(((size_t)17 << 20) + 64);
	assert_non_null(t);
	memcpy(t, "{\"a\": [", 7);
	memset(t + 7, '7', big);
	memcpy(t + 7 + big, "]}", 3);
	char *log = run_doc(t, big + 9, 65536);
	assert_null(strstr(log, "ERROR"));
	free(log);
	big = (size_t)17 << 20;
	t[7] = '-';
	memset(t + 8, '7', big - 1);
	memcpy(t + 7 + big, "]}", 3);
	log = run_doc(t, big + 9, (size_t)1 << 20);
	assert_non_null(strstr(log, "ERROR 1:16777224 a string or number longer than 16 MiB"));
	free(log);
	log = run_doc(t, big + 9, 0);
	assert_non_null(strstr(log, "ERROR 1:16777224 a string or number longer than 16 MiB"));
	free(log);
	/* NaN inside the run: each of its bytes after the first is not counted */
	memcpy(t + 7, "NaN", 3);
	log = run_doc(t, big + 9, (size_t)1 << 20);
	assert_non_null(strstr(log, "ERROR 1:16777226 a string or number longer than 16 MiB"));
	free(log);
	free(t);
}

static void test_layer_int(void **state)
{
	(void)state;
	int64_t v;
	assert_int_equal(pk_jdoc_int("12", 2, &v), 0);
	assert_int_equal(v, 12);
	assert_int_equal(pk_jdoc_int("-0", 2, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(pk_jdoc_int("1.5e3", 5, &v), 0);
	assert_int_equal(v, 1500);
	assert_int_equal(pk_jdoc_int("1.5", 3, &v), -1);
	assert_int_equal(pk_jdoc_int("1e999", 5, &v), -1);
	assert_int_equal(pk_jdoc_int("123456789012345678", 18, &v), 0);
	assert_true(v == INT64_C(123456789012345678));
}

/* A reader keeping the verbatim text of the value of "h" (pk_jdoc_hold and
 * pk_jdoc_chunk, as the sadf reader does) with strings not checked. */
struct holder {
	struct pk_jdoc *d;
	struct pk_buf hold, out, strs;
	int64_t from;
	int level;
};

static enum pk_status hold_event(void *ctx, struct pk_jdoc *d, enum pk_jev ev,
                                 const char *s, size_t n)
{
	struct holder *h = ctx;
	int64_t base;
	size_t cn, at;
	const char *chunk = pk_jdoc_chunk(d, &base, &cn, &at);
	int L = pk_jdoc_depth(d);
	size_t kn;
	const char *key = L > 0 ? pk_jdoc_key(d, L, &kn) : NULL;
	if (ev == PK_JEV_STRING) {
		pk_buf_append(&h->strs, s, n);
		pk_buf_putc(&h->strs, '|');
	}
	if (ev == PK_JEV_MAP && key && kn == 1 && *key == 'h') {
		h->from = base + (int64_t)at - 1;
		h->level = L;
		pk_buf_reset(&h->hold);
		pk_jdoc_hold(d, &h->hold, h->from);
	} else if (ev == PK_JEV_END && L == h->level) {
		/* held bytes before this chunk, then the chunk's up to here */
		pk_buf_append(&h->out, h->hold.data ? h->hold.data : "", h->hold.len);
		int64_t a = h->from > base ? h->from : base;
		pk_buf_append(&h->out, chunk + (a - base), at - (size_t)(a - base));
		pk_jdoc_hold(d, NULL, 0);
		h->level = -1;
	}
	return PK_OK;
}

static void test_layer_hold(void **state)
{
	(void)state;
	const char *doc = "{\"a\": 1,\n \"h\": {\"x\": [1, NaN],\n\t\"s\": \"b\xff\\\"d\"} ,\n"
	                  " \"z\": \"\xc3\xa9\"}\n";
	static const size_t steps[] = { 0, 1, 2, 3, 5, 7, 64 };
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		struct holder h = { NULL, PK_BUF_INIT, PK_BUF_INIT, PK_BUF_INIT, 0, -1 };
		struct pk_jdoc *d = pk_jdoc_new(hold_event, &h);
		assert_non_null(d);
		pk_jdoc_raw_strings(d);
		size_t len = strlen(doc), step = steps[i] ? steps[i] : len;
		for (size_t o = 0; o < len; o += step)
			assert_int_equal(pk_jdoc_feed(d, doc + o, len - o < step ? len - o : step), PK_OK);
		assert_int_equal(pk_jdoc_end(d), PK_OK);
		const char *why, *raw;
		size_t rawn;
		int64_t line, col;
		assert_int_equal(pk_jdoc_error(d, &why, &line, &col, &raw, &rawn), 0);
		/* verbatim (white space kept), NaN as the engine rewrote it */
		assert_string_equal(h.out.data, "{\"x\": [1, null],\n\t\"s\": \"b\xff\\\"d\"}");
		assert_string_equal(h.strs.data, "b\xff\"d|\xc3\xa9|");
		assert_int_equal(pk_jdoc_hold_broken(d), 0);
		pk_jdoc_free(&d);
		pk_buf_free(&h.hold);
		pk_buf_free(&h.out);
		pk_buf_free(&h.strs);
	}
}

/* pk_jdoc_deep_skips: a container past the cap comes flagged, its inside
 * skipped, and the document goes on; the reader skipping "s" sees none. */
struct deeprec {
	struct pk_buf log;
};

static enum pk_status deep_event(void *ctx, struct pk_jdoc *d, enum pk_jev ev,
                                 const char *s, size_t n)
{
	struct deeprec *r = ctx;
	int L = pk_jdoc_depth(d);
	size_t kn;
	const char *key = L > 0 ? pk_jdoc_key(d, L, &kn) : NULL;
	if (L <= 1 || L >= 63) {
		int64_t base;
		size_t cn, at;
		pk_jdoc_chunk(d, &base, &cn, &at);
		pk_buf_printf(&r->log, "%d %s", L, evname[ev]);
		if (s)
			pk_buf_printf(&r->log, " %.*s", (int)n, s);
		if (pk_jdoc_too_deep(d))
			pk_buf_printf(&r->log, " deep@%lld line %lld", (long long)(base + (int64_t)at - 1),
			              (long long)pk_jdoc_line(d));
		pk_buf_putc(&r->log, '\n');
	}
	if (ev != PK_JEV_END && key && kn == 1 && *key == 's')
		pk_jdoc_skip(d);
	return PK_OK;
}

static char *run_deep(const char *text, size_t len, size_t step, int *failed)
{
	struct deeprec r = { PK_BUF_INIT };
	struct pk_jdoc *d = pk_jdoc_new(deep_event, &r);
	assert_non_null(d);
	pk_jdoc_deep_skips(d);
	for (size_t i = 0; i < len; i += step)
		assert_int_equal(pk_jdoc_feed(d, text + i, len - i < step ? len - i : step), PK_OK);
	assert_int_equal(pk_jdoc_end(d), PK_OK);
	const char *why, *raw;
	size_t rawn;
	int64_t line, col;
	*failed = pk_jdoc_error(d, &why, &line, &col, &raw, &rawn);
	pk_jdoc_free(&d);
	return pk_buf_steal(&r.log);
}

static void test_layer_deep_skips(void **state)
{
	(void)state;
	struct pk_buf doc = PK_BUF_INIT;
	pk_buf_puts(&doc, "{\"a\": 1,\n \"d\": ");
	for (int i = 0; i < 70; i++)
		pk_buf_puts(&doc, i == 66 ? "[{\"x\": [" : "[");
	for (int i = 0; i < 70; i++)
		pk_buf_puts(&doc, i == 3 ? "]}]" : "]");
	pk_buf_puts(&doc, ",\n \"s\": {\"t\": ");
	for (int i = 0; i < 80; i++)
		pk_buf_putc(&doc, '[');
	for (int i = 0; i < 80; i++)
		pk_buf_putc(&doc, ']');
	pk_buf_puts(&doc, "},\n \"z\": true}\n");
	/* the 64th '[' of "d" opens the 65th container: at byte 15 + 63 */
	const char *want =
	    "0 map\n"
	    "1 num 1\n"
	    "1 arr\n"
	    "63 arr\n"
	    "64 arr deep@78 line 2\n"
	    "64 end\n"
	    "63 end\n"
	    "1 end\n"
	    "1 map\n"
	    "1 end\n"
	    "1 bool true\n"
	    "0 end\n";
	static const size_t steps[] = { 0, 1, 2, 3, 7, 64 };
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		int failed;
		char *log = run_deep(doc.data, doc.len, steps[i] ? steps[i] : doc.len, &failed);
		assert_string_equal(log, want);
		assert_int_equal(failed, 0);
		free(log);
	}
	/* without the option the same document stops at that bracket */
	char *log = run_doc(doc.data, doc.len, 0);
	assert_non_null(strstr(log, "ERROR 2:70 JSON nested deeper than 64 levels"));
	free(log);
	pk_buf_free(&doc);
}

/* pk_jdoc_at_end: a fault found at the end of the text, not at a byte. */
static void test_layer_at_end(void **state)
{
	(void)state;
	static const struct { const char *doc; int at_end, truncated; } cases[] = {
		{ "{\"a\": [1", 1, 1 },       /* premature EOF */
		{ "{\"a\": tr", 1, 0 },       /* a literal cut short */
		{ "{\"a\": -", 1, 0 },        /* a number cut short (held as a NaN prefix) */
		{ "{\"a\": N", 0, 0 },        /* a bad byte, held as a NaN prefix */
		{ "{\"a\": x}", 0, 0 },
		{ "{\"a\": 1}", 0, 0 },       /* no fault */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct rec r = { PK_BUF_INIT, PK_BUF_INIT, 0, 0 };
		struct pk_jdoc *d = pk_jdoc_new(rec_event, &r);
		assert_non_null(d);
		assert_int_equal(pk_jdoc_feed(d, cases[i].doc, strlen(cases[i].doc)), PK_OK);
		assert_int_equal(pk_jdoc_end(d), PK_OK);
		assert_int_equal(pk_jdoc_at_end(d), cases[i].at_end);
		assert_int_equal(pk_jdoc_truncated(d), cases[i].truncated);
		pk_jdoc_free(&d);
		pk_buf_free(&r.log);
		pk_buf_free(&r.cap);
	}
}

/* ---- the readers ---- */

static int setup(void **state)
{
	return tu_setup_in(state, "jdoc", 0755);
}

static void put(struct tu_fx *f, const char *name, const char *text, size_t n)
{
	tu_write(tu_path(f, "in/%s", name), "wb", text, n);
}

static enum pk_status ingest(struct tu_fx *f, const char *format, struct pk_ingest_result *res)
{
	tu_reset_diags(f);
	return tu_ingest(f, tu_path(f, "in"), (struct pk_ingest_opts){ .format = format,
	                 .run_time_us = INT64_MIN }, res);
}

static void test_detect(void **state)
{
	(void)state;
	const char *exp = "{\n  \"experiment_id\": \"e1\",\n  \"experiment_name\": \"x\"";
	const char *ses = "{\n  \"session_id\": \"s\",\n  \"export_timestamp\": \"2024-01-15T14:30:00\",\n  \"profiler_state\": \"sampling\"";
	const char *hyperfine = "{\n  \"results\": [\n    {\n      \"command\": \"sleep 0.1\",";
	const char *registry = "{\n  \"profiles\": {\n    \"laptop\": {\"session_id\": 1}}";
	const char *sadf = "{\"sysstat\": {\n\t\"hosts\": [\n\t\t{\n\t\t\t\"nodename\": \"h\",";
	const struct pk_reader *r = pk_reader_detect("x.json", exp, strlen(exp));
	assert_non_null(r);
	assert_string_equal(r->name, "experiment_json");
	r = pk_reader_detect("demo_session_001.json", ses, strlen(ses));
	assert_non_null(r);
	assert_string_equal(r->name, "session_json");
	r = pk_reader_detect("hyperfine.json", hyperfine, strlen(hyperfine));
	assert_true(!r || (strcmp(r->name, "experiment_json") && strcmp(r->name, "session_json")));
	r = pk_reader_detect("hardware_profiles.json", registry, strlen(registry));
	assert_true(!r || (strcmp(r->name, "experiment_json") && strcmp(r->name, "session_json")));
	r = pk_reader_detect("sa.json", sadf, strlen(sadf));
	assert_true(!r || (strcmp(r->name, "experiment_json") && strcmp(r->name, "session_json")));
	/* experiment_id later in the head of a .json file with F5 keys */
	const char *later = "{\"mode\": \"x\", \"experiment_id\": \"e\", \"cycles\": []}";
	r = pk_reader_detect("run.json", later, strlen(later));
	assert_non_null(r);
	assert_string_equal(r->name, "experiment_json");
	assert_null(pk_reader_find("experiment_json")->line);
}

static void test_experiment_fixture(void **state)
{
	struct tu_fx *f = *state;
	size_t n;
	char *text = tu_slurp("../fixtures/experiment/small.json", &n);
	put(f, "small.json", text, n);
	free(text);
	struct pk_ingest_result res;
	assert_int_equal(ingest(f, NULL, &res), PK_OK);
	assert_int_equal(res.counts.added, 19);
	pk_ingest_result_free(&res);
	assert_string_equal(tu_q(f, "SELECT experiment_id || '|' || name || '|' || mode || '|' || start_us"
	                         " || '|' || end_us || '|' || platform || '|' || cpu_count || '|' ||"
	                         " is_jetson || '|' || total_cycles || '|' || line FROM experiment"),
	                    "exp_1734134400_0001|agent loop 3 cycles (seed 1)|assisted|"
	                    "1734134400000000|1734134408906900|Linux|4|0|3|1");
	assert_string_equal(tu_q(f, "SELECT json_extract(system_info, '$.python_version') FROM experiment"), "3.11.2");
	assert_string_equal(tu_q(f, "SELECT json_array_length(recommendations) FROM experiment"), "1");
	assert_string_equal(tu_q(f, "SELECT quote(extra) FROM experiment"), "NULL");
	assert_string_equal(tu_q(f, "SELECT count(*) FROM experiment_cycle"), "3");
	/* NaN tokens_per_second is missing, not 0 */
	assert_string_equal(tu_q(f, "SELECT quote(llm_tokens_per_second) || ' ' || llm_inference_count"
	                         " FROM experiment_cycle WHERE cycle_number = 2"), "NULL 0");
	assert_string_equal(tu_q(f, "SELECT json_array_length(mem_snapshots) FROM experiment_cycle"
	                         " WHERE cycle_number = 1"), "3");
	assert_string_equal(tu_q(f, "SELECT group_concat(seq || ':' || name, ',') FROM experiment_timing"
	                         " WHERE cycle_number = 1"),
	                    "0:context_build,1:llm_inference,2:db_query,3:mode_overhead,4:tool_dispatch");
	assert_string_equal(tu_q(f, "SELECT json_extract(metadata, '$.prompt_tokens') FROM experiment_timing"
	                         " WHERE cycle_number = 1 AND seq = 1"), "258");
	assert_string_equal(tu_q(f, "SELECT line FROM experiment_cycle WHERE cycle_number = 1"), "30");
	assert_string_equal(tu_q(f, "SELECT type || ' ' || severity FROM experiment_bottleneck"), "llm_inference high");
	assert_int_equal(f->ndiags, 0);
	/* again: nothing new */
	assert_int_equal(ingest(f, NULL, &res), PK_OK);
	assert_int_equal(res.files_unchanged, 1);
	pk_ingest_result_free(&res);
}

static void test_experiment_reversed(void **state)
{
	struct tu_fx *f = *state;
	size_t n;
	char *text = tu_slurp("../fixtures/experiment/reversed.json", &n);
	put(f, "reversed.json", text, n);
	free(text);
	struct pk_ingest_result res;
	/* experiment_id comes last: the rows wait in the spool until then */
	assert_int_equal(ingest(f, "experiment_json", &res), PK_OK);
	pk_ingest_result_free(&res);
	assert_string_equal(tu_q(f, "SELECT count(*) || ' ' || count(DISTINCT experiment_id) FROM experiment_cycle"), "4 1");
	assert_string_equal(tu_q(f, "SELECT experiment_id FROM experiment_timing LIMIT 1"), "exp_1734134400_0002");
	assert_string_equal(tu_q(f, "SELECT quote(gpu_utilization_percent) FROM experiment_cycle LIMIT 1"), "NULL");
	assert_string_equal(tu_q(f, "SELECT total_cycles FROM experiment"), "4");
}

/* A document cut while written keeps its complete cycles; the whole one
 * later adds the rest and the experiment row, and its old reject goes. */
static void test_experiment_truncated(void **state)
{
	struct tu_fx *f = *state;
	size_t n;
	char *text = tu_slurp("../fixtures/experiment/small.json", &n);
	char *cut = strstr(text, "\"cycle_number\": 3");
	assert_non_null(cut);
	size_t k = (size_t)(cut - text) + 40;
	put(f, "small.json", text, k);
	struct pk_ingest_result res;
	assert_int_equal(ingest(f, NULL, &res), PK_PARTIAL);
	assert_int_equal(res.counts.rejects, 1);
	pk_ingest_result_free(&res);
	assert_non_null(strstr(f->diags.data, "small.json:"));
	assert_non_null(strstr(f->diags.data, "document ends early (truncated, or still being written); "
	                                      "2 complete cycles kept"));
	assert_string_equal(tu_q(f, "SELECT count(*) FROM experiment_cycle"), "2");
	assert_string_equal(tu_q(f, "SELECT count(*) FROM experiment"), "0");
	put(f, "small.json", text, n);
	free(text);
	assert_int_equal(ingest(f, NULL, &res), PK_OK);
	pk_ingest_result_free(&res);
	assert_string_equal(tu_q(f, "SELECT count(*) FROM experiment_cycle"), "3");
	assert_string_equal(tu_q(f, "SELECT count(*) FROM experiment"), "1");
	assert_string_equal(tu_q(f, "SELECT count(*) FROM reject"), "0");
}

static void test_experiment_hostile(void **state)
{
	struct tu_fx *f = *state;
	const char *doc =
	    "{\n"
	    "  \"experiment_id\": \"e'; DROP TABLE experiment; --\",\n"
	    "  \"experiment_name\": \"<script>alert(1)</script>\",\n"
	    "  \"start_time\": 1e999,\n"
	    "  \"end_time\": \"2025-02-30T00:00:00\",\n"
	    "  \"total_duration\": -0,\n"
	    "  \"system_info\": [1, 2],\n"
	    "  \"aggregate_metrics\": {\"total_cycles\": 4.5, \"peak_memory_mb\": NaN, \"new_metric\": 1},\n"
	    "  \"cycles\": [\n"
	    "    {\"cycle_number\": 1, \"duration\": 1.5, \"crashed\": true, \"crash_reason\": \"nul\\u0000 \\\"q\\\"\",\n"
	    "     \"llm_metrics\": null, \"db_metrics\": [1], \"gpu_metrics\": null,\n"
	    "     \"timings\": [{\"name\": \"a\", \"duration\": \"slow\", \"metadata\": null, \"k\": 1}, 7],\n"
	    "     \"future\": {\"x\": 1}},\n"
	    "    42,\n"
	    "    {\"duration\": 2.0},\n"
	    "    {\"cycle_number\": \"three\"},\n"
	    "    [1, 2],\n"
	    "    {\"cycle_number\": 5, \"timings\": null, \"memory_metrics\": {\"peak_mb\": 1e999}}\n"
	    "  ],\n"
	    "  \"bottlenecks\": null,\n"
	    "  \"recommendations\": \"none\"\n"
	    "}\n";
	put(f, "h.json", doc, strlen(doc));
	struct pk_ingest_result res;
	assert_int_equal(ingest(f, NULL, &res), PK_PARTIAL);
	assert_int_equal(res.counts.rejects, 4);
	pk_ingest_result_free(&res);
	assert_non_null(strstr(f->diags.data, "h.json:14: cycles.1: expected an object, got a number\n"));
	assert_non_null(strstr(f->diags.data, "h.json:15: cycles.2: no cycle_number: cycle not stored\n"));
	assert_non_null(strstr(f->diags.data, "h.json:16: cycles.3: cycle_number is not a whole number"));
	assert_non_null(strstr(f->diags.data, "h.json:17: cycles.4: expected an object, got an array\n"));
	assert_string_equal(tu_q(f, "SELECT experiment_id || '|' || name FROM experiment"),
	                    "e'; DROP TABLE experiment; --|<script>alert(1)</script>");
	assert_string_equal(tu_q(f, "SELECT quote(start_us) || quote(end_us) || quote(system_info)"
	                         " || quote(total_cycles) || quote(peak_memory_mb) FROM experiment"),
	                    "NULLNULLNULLNULLNULL");
	assert_string_equal(tu_q(f, "SELECT typeof(total_duration_s) || ' ' || total_duration_s FROM experiment"), "real 0.0");
	assert_string_equal(tu_q(f, "SELECT extra FROM experiment"),
	                    "{\"start_time\":1e999,\"end_time\":\"2025-02-30T00:00:00\",\"system_info\":[1,2],"
	                    "\"aggregate_metrics.total_cycles\":4.5,\"aggregate_metrics.new_metric\":1,"
	                    "\"bottlenecks\":null,\"recommendations\":\"none\"}");
	assert_string_equal(tu_q(f, "SELECT count(*) FROM experiment_cycle"), "2");
	/* NUL and quotes kept: 8 bytes */
	assert_string_equal(tu_q(f, "SELECT crashed || ' ' || length(CAST(crash_reason AS BLOB)) || ' ' || extra"
	                         " FROM experiment_cycle WHERE cycle_number = 1"),
	                    "1 8 {\"db_metrics\":[1],\"timings.0.duration\":\"slow\","
	                    "\"timings.0.k\":1,\"timings.1\":7,\"future\":{\"x\":1}}");
	assert_string_equal(tu_q(f, "SELECT name || ' ' || quote(duration) || ' ' || quote(metadata)"
	                         " FROM experiment_timing"), "a NULL NULL");
	assert_string_equal(tu_q(f, "SELECT quote(mem_peak_mb) || ' ' || extra FROM experiment_cycle"
	                         " WHERE cycle_number = 5"), "NULL {\"timings\":null,\"memory_metrics.peak_mb\":1e999}");
	assert_string_equal(tu_q(f, "SELECT json_valid(extra) FROM experiment"), "1");
	assert_string_equal(tu_q(f, "SELECT raw FROM reject WHERE line = 17"), "[1,2]");
}

static void test_experiment_broken(void **state)
{
	struct tu_fx *f = *state;
	/* invalid UTF-8 after one good cycle: the cycle stays, the reject says where */
	const char *doc =
	    "{\n  \"experiment_id\": \"e2\",\n  \"cycles\": [\n"
	    "    {\"cycle_number\": 1, \"duration\": 1.0},\n"
	    "    {\"cycle_number\": 2, \"crash_reason\": \"bad \xc3\x28 byte\"}\n  ]\n}\n";
	put(f, "b.json", doc, strlen(doc));
	struct pk_ingest_result res;
	assert_int_equal(ingest(f, NULL, &res), PK_PARTIAL);
	pk_ingest_result_free(&res);
	assert_non_null(strstr(f->diags.data, "b.json:5:46: invalid JSON: "));
	assert_non_null(strstr(f->diags.data, "1 complete cycles kept"));
	assert_string_equal(tu_q(f, "SELECT group_concat(cycle_number) FROM experiment_cycle"), "1");
	assert_string_equal(tu_q(f, "SELECT count(*) FROM experiment"), "0");

	/* no experiment_id before the break: nothing at all */
	const char *noid = "{\n  \"cycles\": [{\"cycle_number\": 1}, {\"cycle_number\": 2}],\n"
	                   "  \"mode\": oops,\n  \"experiment_id\": \"e3\"}\n";
	put(f, "b.json", noid, strlen(noid));
	assert_int_equal(ingest(f, "experiment_json", &res), PK_PARTIAL);
	pk_ingest_result_free(&res);
	assert_non_null(strstr(f->diags.data, "b.json:3:12: invalid JSON: "));
	assert_non_null(strstr(f->diags.data, "nothing stored (no experiment_id before this point)"));
	assert_string_equal(tu_q(f, "SELECT count(*) FROM experiment_cycle WHERE experiment_id = 'e3'"), "0");

	/* an id with control characters identifies nothing */
	const char *ctl = "{\"experiment_id\": \"a\\u0001b\", \"cycles\": [{\"cycle_number\": 1}]}";
	put(f, "b.json", ctl, strlen(ctl));
	assert_int_equal(ingest(f, NULL, &res), PK_PARTIAL);
	assert_int_equal(res.counts.added, 0);
	pk_ingest_result_free(&res);
	assert_non_null(strstr(f->diags.data, "b.json:1: experiment_id contains control characters: experiment not stored"));

	/* deep nesting inside a cycle */
	struct pk_buf b = PK_BUF_INIT;
	pk_buf_puts(&b, "{\"experiment_id\": \"e4\", \"cycles\": [{\"cycle_number\": 1}, {\"cycle_number\": 2, \"x\": ");
	for (int i = 0; i < 100; i++)
		pk_buf_putc(&b, '[');
	for (int i = 0; i < 100; i++)
		pk_buf_putc(&b, ']');
	pk_buf_puts(&b, "}]}");
	put(f, "b.json", b.data, b.len);
	pk_buf_free(&b);
	assert_int_equal(ingest(f, NULL, &res), PK_PARTIAL);
	pk_ingest_result_free(&res);
	assert_non_null(strstr(f->diags.data, "JSON nested deeper than 64 levels; 1 complete cycles kept"));
	assert_string_equal(tu_q(f, "SELECT count(*) FROM experiment_cycle WHERE experiment_id = 'e4'"), "1");

	/* not an object at all */
	put(f, "b.json", "[1, 2]", 6);
	assert_int_equal(ingest(f, "experiment_json", &res), PK_PARTIAL);
	pk_ingest_result_free(&res);
	assert_non_null(strstr(f->diags.data, "b.json:1:1: expected a JSON object (an experiment profile)"));

	/* an empty file read as F5 */
	put(f, "b.json", "", 0);
	assert_int_equal(ingest(f, "experiment_json", &res), PK_PARTIAL);
	pk_ingest_result_free(&res);
	assert_non_null(strstr(f->diags.data, "b.json:1:1: empty document"));
}

/* The sadf reader on the engine: a bare NaN is a missing value, invalid
 * UTF-8 rejects its statistic only, the rest of the day is kept. */
static void test_sadf_on_engine(void **state)
{
	struct tu_fx *f = *state;
	const char *doc =
	    "{\"sysstat\": {\"hosts\": [{\"nodename\": \"h\", \"statistics\": [\n"
	    "{\"timestamp\": {\"date\": \"2025-01-01\", \"time\": \"00:00:00\", \"utc\": 1},\n"
	    " \"memory\": {\"memfree\": 10, \"memused\": NaN}},\n"
	    "{\"timestamp\": {\"date\": \"2025-01-01\", \"time\": \"00:00:01\", \"utc\": 1},\n"
	    " \"x\": \"bad \xff\"},\n"
	    "{\"timestamp\": {\"date\": \"2025-01-01\", \"time\": \"00:00:02\", \"utc\": 1},\n"
	    " \"memory\": {\"memfree\": 12, \"memused\": 3}}]}]}}\n";
	put(f, "sa.json", doc, strlen(doc));
	struct pk_ingest_result res;
	assert_int_equal(ingest(f, NULL, &res), PK_PARTIAL);
	assert_int_equal(res.counts.added, 2);
	pk_ingest_result_free(&res);
	assert_string_equal(tu_q(f, "SELECT group_concat(line || ':' || mem_free_kb || ':' ||"
	                         " quote(mem_used_kb), ' ') FROM (SELECT * FROM sys_sample ORDER BY line)"),
	                    "2:10.0:NULL 6:12.0:3.0");
	assert_string_equal(tu_q(f, "SELECT line || ' ' || reason FROM reject"),
	                    "4 invalid UTF-8 in a string");
}

/* The hyperfine reader on the engine: a bare NaN is a missing value; a file
 * of white space is an empty file. */
static void test_hyperfine_on_engine(void **state)
{
	struct tu_fx *f = *state;
	const char *doc = "{\"results\": [{\"command\": \"a\", \"mean\": NaN, \"median\": 2,\n"
	                  " \"times\": [1, NaN, 3], \"exit_codes\": [0, 0, 0]}]}\n";
	put(f, "bench.json", doc, strlen(doc));
	put(f, "blank.json", " \n \n", 4);
	struct pk_ingest_result res;
	assert_int_equal(ingest(f, "hyperfine", &res), PK_PARTIAL);
	pk_ingest_result_free(&res);
	assert_string_equal(tu_q(f, "SELECT quote(mean) || ' ' || median || ' ' || n FROM bench_result"),
	                    "NULL 2.0 3");
	assert_string_equal(tu_q(f, "SELECT group_concat(quote(value), ' ') FROM"
	                         " (SELECT value FROM bench_value ORDER BY seq)"), "1.0 NULL 3.0");
	assert_string_equal(tu_q(f, "SELECT line || ' ' || reason FROM reject"), "2 empty file");
}

static void test_session_demo(void **state)
{
	struct tu_fx *f = *state;
	size_t n;
	char *text = tu_slurp("../fixtures/session/demo_session_001.json", &n);
	put(f, "demo_session_001.json", text, n);
	free(text);
	struct pk_ingest_result res;
	assert_int_equal(ingest(f, NULL, &res), PK_OK);
	assert_int_equal(res.counts.added, 8);
	pk_ingest_result_free(&res);
	/* naive local time stored as if UTC (perfkit's rule for naive times) */
	assert_string_equal(tu_q(f, "SELECT export_us || ' ' || profiler_state || ' ' || total_samples || ' ' ||"
	                         " cpu_avg || ' ' || sample_count FROM session"),
	                    "1705329000123456 sampling 1800 45.2 300");
	assert_string_equal(tu_q(f, "SELECT json_extract(statistics, '$.io_wait_max') FROM session"), "8.7");
	assert_string_equal(tu_q(f, "SELECT json_extract(performance_summary, '$.overall_load_level') FROM session"), "yellow");
	assert_string_equal(tu_q(f, "SELECT quote(extra) FROM session"), "NULL");
	assert_string_equal(tu_q(f, "SELECT call_count || ' ' || last_called_us || ' ' || quote(extra) ||"
	                         " ' ' || json_array_length(recommendations) FROM session_module"
	                         " WHERE module = 'core.ocr'"), "1250 1705329000000000 NULL 2");
	assert_string_equal(tu_q(f, "SELECT group_concat(ts_us || '@' || line) FROM (SELECT * FROM session_sample ORDER BY line)"),
	                    "1705328999000000@96,1705328998000000@133");
	assert_string_equal(tu_q(f, "SELECT json_extract(sample, '$.gc_stats.counts[0]') FROM session_sample"
	                         " WHERE line = 96"), "125");
}

static void test_session_hostile(void **state)
{
	struct tu_fx *f = *state;
	const char *doc =
	    "{\n"
	    "  \"module_profiles\": {\n"
	    "    \"core.ocr\": {\"module_name\": \"other\", \"call_count\": 1e999, \"last_called\": \"2024-13-01T00:00:00\"},\n"
	    "    \"<b>x</b>\": null\n"
	    "  },\n"
	    "  \"session_id\": \"s1\",\n"
	    "  \"profiler_state\": \"sampling\",\n"
	    "  \"statistics\": {\"cpu_avg\": \"high\", \"cpu_max\": 90, \"custom\": [1]},\n"
	    "  \"recent_samples\": [\n"
	    "    {\"timestamp\": \"2024-01-15T14:29:59\", \"cpu_percent\": NaN},\n"
	    "    {\"cpu_percent\": 1},\n"
	    "    {\"timestamp\": \"2024-02-30T00:00:00\"},\n"
	    "    \"text\",\n"
	    "    {\"timestamp\": \"2024-01-15T14:29:59+05:30\", \"gc_stats\": {\"counts\": [1]}}\n"
	    "  ],\n"
	    "  \"performance_summary\": null,\n"
	    "  \"unknown\": {\"a\": \"$(touch pwned)\"}\n"
	    "}\n";
	put(f, "s1.json", doc, strlen(doc));
	struct pk_ingest_result res;
	assert_int_equal(ingest(f, NULL, &res), PK_PARTIAL);
	assert_int_equal(res.counts.rejects, 4);
	pk_ingest_result_free(&res);
	assert_non_null(strstr(f->diags.data, "s1.json:4: module_profiles.<b>x</b>: expected an object, got null\n"));
	assert_non_null(strstr(f->diags.data, "s1.json:11: recent_samples.1: no timestamp: sample not stored\n"));
	assert_non_null(strstr(f->diags.data, "s1.json:12: recent_samples.2: timestamp: impossible date"));
	assert_non_null(strstr(f->diags.data, "s1.json:13: recent_samples.3: expected an object, got a string\n"));
	assert_string_equal(tu_q(f, "SELECT quote(cpu_avg) || ' ' || cpu_max || ' ' || json_extract(statistics, '$.custom[0]')"
	                         " || ' ' || extra || ' ' || quote(performance_summary) FROM session"),
	                    "NULL 90.0 1 {\"unknown\":{\"a\":\"$(touch pwned)\"}} NULL");
	assert_string_equal(tu_q(f, "SELECT quote(call_count) || ' ' || quote(last_called_us) || ' ' || extra"
	                         " FROM session_module"),
	                    "NULL NULL {\"module_name\":\"other\",\"call_count\":1e999,\"last_called\":\"2024-13-01T00:00:00\"}");
	/* two samples: the second with an offset is another instant */
	assert_string_equal(tu_q(f, "SELECT group_concat(ts_us) FROM (SELECT ts_us FROM session_sample ORDER BY line)"),
	                    "1705328999000000,1705309199000000");
	assert_string_equal(tu_q(f, "SELECT sample FROM session_sample WHERE line = 10"),
	                    "{\"timestamp\":\"2024-01-15T14:29:59\",\"cpu_percent\":null}");
	assert_int_equal(access("pwned", F_OK), -1);

	/* no session_id: nothing */
	const char *noid = "{\"profiler_state\": \"x\", \"session_id\": 7, \"recent_samples\": "
	                   "[{\"timestamp\": \"2024-01-15T14:29:59\"}]}";
	put(f, "s1.json", noid, strlen(noid));
	assert_int_equal(ingest(f, NULL, &res), PK_PARTIAL);
	assert_int_equal(res.counts.added, 0);
	pk_ingest_result_free(&res);
	assert_non_null(strstr(f->diags.data, "s1.json:1: session_id is not a string: session not stored"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layer_events),
		cmocka_unit_test(test_layer_errors),
		cmocka_unit_test(test_layer_nan_split),
		cmocka_unit_test(test_layer_long_number),
		cmocka_unit_test(test_layer_int),
		cmocka_unit_test(test_layer_hold),
		cmocka_unit_test(test_layer_deep_skips),
		cmocka_unit_test(test_layer_at_end),
		cmocka_unit_test(test_detect),
		cmocka_unit_test_setup_teardown(test_experiment_fixture, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_experiment_reversed, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_experiment_truncated, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_experiment_hostile, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_experiment_broken, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_sadf_on_engine, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_hyperfine_on_engine, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_session_demo, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_session_hostile, setup, tu_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
