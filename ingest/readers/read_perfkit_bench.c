/* read_perfkit_bench.c - format F7, perfkit's own benchmark JSON (schema:
 * docs/perfkit-bench.schema.json): {"perfkit_bench": 1, "suite", "run_time",
 * "host", "revision", "benchmarks": [{"name", "unit", "direction", "value" |
 * "values"}]}, read as a whole document through json_doc.h (events, NaN as
 * null, lines).  The run's keys may come after its benchmarks, so the
 * benchmarks are kept until the end of the document.  Rows: bench_run (tool
 * 'perfkit'), a bench_result per benchmark with mean, median, min, max,
 * stddev (n - 1) and n computed from its numbers, a bench_value per value.
 * A benchmark that breaks the schema is rejected with its reason; the
 * others are stored. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/buf.h"
#include "../../core/number.h"
#include "../../core/table.h"
#include "../../core/timeutil.h"
#include "../../core/utf8.h"
#include "../pipeline/ingest.h"
#include "../engines/json_doc.h"
#include "../engines/json_space.h"
#include "bench_tables.h"
#include "../pipeline/reader.h"
#include "../pipeline/sink.h"

#define TEXT_MAX 256                   /* suite, host, name, unit */
#define VALUES_MAX ((size_t)1 << 24)   /* numbers in one document */


enum { RT_NONE, RT_TEXT };

struct bench {
	char *name, *unit, *direction;  /* NULL: not given */
	char *extra;                    /* JSON object or NULL */
	size_t first, count;            /* its values in st->values */
	int has_value, has_values;
	int64_t line;
};

struct pb_state {
	struct pk_sink *sink;
	struct pk_jdoc *d;
	int64_t version;                /* perfkit_bench, -1: not given */
	struct pk_buf suite, host, revision, run_time, run_extra, msg, cur_extra;
	int have_suite, have_host, have_revision, have_run_time, have_benchmarks;
	struct bench *b;
	size_t nb, bcap;
	double *values;
	size_t nv, vcap;
	struct bench cur;               /* the benchmark being read */
	int in_bench;
	int64_t bench_index;
	char *bad;                      /* why cur is rejected, NULL: fine */
	int64_t bad_line;
	enum pk_status err;
};

static void bench_free(struct bench *b)
{
	free(b->name);
	free(b->unit);
	free(b->direction);
	free(b->extra);
	memset(b, 0, sizeof *b);
}

static void pb_close(void *state)
{
	struct pb_state *st = state;
	if (!st)
		return;
	pk_jdoc_free(&st->d);
	struct pk_buf *bufs[] = { &st->suite, &st->host, &st->revision, &st->run_time,
	                          &st->run_extra, &st->msg, &st->cur_extra };
	for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
		pk_buf_free(bufs[i]);
	for (size_t i = 0; i < st->nb; i++)
		bench_free(&st->b[i]);
	bench_free(&st->cur);
	free(st->b);
	free(st->values);
	free(st->bad);
	free(st);
}

static const char *kind_name(enum pk_jev ev)
{
	static const char *const names[] = { "null", "a boolean", "a number", "a string",
	                                     "an object", "an array", "the end" };
	return names[ev];
}

static int is_container(enum pk_jev ev)
{
	return ev == PK_JEV_MAP || ev == PK_JEV_ARRAY;
}

/* The document is unusable: stops it with "KEY: expected WANT, got KIND". */
static enum pk_status doc_shape(struct pb_state *st, const char *key, const char *want,
                                enum pk_jev ev)
{
	pk_buf_reset(&st->msg);
	pk_buf_printf(&st->msg, "%s: expected %s, got %s", key, want, kind_name(ev));
	return pk_jdoc_fail(st->d, st->msg.data ? st->msg.data : want);
}

/* The benchmark being read is rejected (the first reason counts). */
static enum pk_status bench_bad(struct pb_state *st, const char *field, const char *problem)
{
	if (!st->bad) {
		pk_buf_reset(&st->msg);
		pk_buf_printf(&st->msg, "benchmarks[%lld].%s: %s", (long long)st->bench_index,
		              field, problem);
		if (!(st->bad = strdup(st->msg.data ? st->msg.data : "bad benchmark")))
			return PK_ERR_NOMEM;
		st->bad_line = pk_jdoc_line(st->d);
	}
	return PK_OK;
}

static enum pk_status set_text(struct pk_buf *b, int *have, const char *s, size_t n)
{
	pk_buf_reset(b);
	*have = 1;
	enum pk_status rc = pk_buf_append(b, s, n);
	if (rc == PK_OK && (rc = pk_buf_putc(b, '\0')) == PK_OK)
		b->len = n;     /* NUL-terminated, not counted */
	return rc;
}

static const char *text_problem(const char *s, size_t n)
{
	if (n > TEXT_MAX)
		return "longer than 256 bytes";
	if (pk_utf8_has_control(s, n))
		return "contains control characters";
	return NULL;
}

static enum pk_status push_value(struct pb_state *st, double v)
{
	if (st->nv == VALUES_MAX)
		return pk_jdoc_fail(st->d, "more than 16777216 values in one document");
	if (st->nv == st->vcap) {
		size_t cap = st->vcap ? st->vcap * 2 : 256;
		double *p = realloc(st->values, cap * sizeof *p);
		if (!p)
			return PK_ERR_NOMEM;
		st->values = p;
		st->vcap = cap;
	}
	st->values[st->nv++] = v;
	st->cur.count++;
	return PK_OK;
}

/* A member of the root object (level 1). */
static enum pk_status top_member(struct pb_state *st, enum pk_jev ev, const char *s, size_t n)
{
	size_t kn;
	const char *k = pk_jdoc_key(st->d, 1, &kn);
	int64_t v;
	if (kn == 13 && memcmp(k, "perfkit_bench", 13) == 0) {
		if (ev != PK_JEV_NUMBER || pk_jdoc_int(s, n, &v) != 0)
			return doc_shape(st, "perfkit_bench", "the number 1", ev);
		if (v != 1) {
			pk_buf_reset(&st->msg);
			pk_buf_printf(&st->msg, "perfkit_bench: version %lld is not known "
			              "(this perfkit reads version 1)", (long long)v);
			return pk_jdoc_fail(st->d, st->msg.data);
		}
		st->version = v;
		return PK_OK;
	}
	struct { const char *key; struct pk_buf *b; int *have; } texts[] = {
		{ "suite", &st->suite, &st->have_suite },
		{ "host", &st->host, &st->have_host },
		{ "revision", &st->revision, &st->have_revision },
	};
	for (size_t i = 0; i < 3; i++) {
		if (strlen(texts[i].key) != kn || memcmp(texts[i].key, k, kn) != 0)
			continue;
		if (ev == PK_JEV_NULL && i > 0)
			return PK_OK;
		if (ev != PK_JEV_STRING)
			return doc_shape(st, texts[i].key, "a string", ev);
		const char *why = i < 2 ? text_problem(s, n) : NULL;
		if (why || (i == 0 && n == 0)) {
			pk_buf_reset(&st->msg);
			pk_buf_printf(&st->msg, "%s: %s", texts[i].key, why ? why : "is empty");
			return pk_jdoc_fail(st->d, st->msg.data);
		}
		return set_text(texts[i].b, texts[i].have, s, n);
	}
	if (kn == 8 && memcmp(k, "run_time", 8) == 0) {
		if (ev == PK_JEV_NULL)
			return PK_OK;
		if (ev != PK_JEV_STRING && ev != PK_JEV_NUMBER)
			return doc_shape(st, "run_time", "an ISO-8601 string or epoch seconds", ev);
		return set_text(&st->run_time, &st->have_run_time, s, n);
	}
	if (kn == 10 && memcmp(k, "benchmarks", 10) == 0) {
		if (ev != PK_JEV_ARRAY)
			return doc_shape(st, "benchmarks", "an array", ev);
		st->have_benchmarks = 1;
		return PK_OK;
	}
	return pk_jdoc_keep(st->d, &st->run_extra, 0);
}

/* A member of a benchmark object (level 3). */
static enum pk_status bench_member(struct pb_state *st, enum pk_jev ev, const char *s, size_t n)
{
	size_t kn;
	const char *k = pk_jdoc_key(st->d, 3, &kn);
	char key[16], problem[96];
	snprintf(key, sizeof key, "%.*s", (int)(kn < 15 ? kn : 15), k);
	char **dst = kn == 4 && memcmp(k, "name", 4) == 0 ? &st->cur.name
	           : kn == 4 && memcmp(k, "unit", 4) == 0 ? &st->cur.unit
	           : kn == 9 && memcmp(k, "direction", 9) == 0 ? &st->cur.direction : NULL;
	if (dst) {
		if (ev != PK_JEV_STRING) {
			if (is_container(ev))
				pk_jdoc_skip(st->d);
			if (ev == PK_JEV_NULL && dst != &st->cur.name)
				return PK_OK;
			snprintf(problem, sizeof problem, "expected a string, got %s", kind_name(ev));
			return bench_bad(st, key, problem);
		}
		const char *why = text_problem(s, n);
		if (why)
			return bench_bad(st, key, why);
		if (dst == &st->cur.direction && !(n == 5 && memcmp(s, "lower", 5) == 0) &&
		    !(n == 6 && memcmp(s, "higher", 6) == 0))
			return bench_bad(st, key, "expected \"lower\" or \"higher\"");
		free(*dst);
		return (*dst = strndup(s, n)) ? PK_OK : PK_ERR_NOMEM;
	}
	double d;
	if (kn == 5 && memcmp(k, "value", 5) == 0) {
		st->cur.has_value = 1;
		if (ev == PK_JEV_NULL)
			return push_value(st, NAN);        /* missing */
		if (ev != PK_JEV_NUMBER || pk_parse_double(s, n, &d) != 0) {
			if (is_container(ev))
				pk_jdoc_skip(st->d);
			snprintf(problem, sizeof problem, "expected a number in double range, got %.*s",
			         ev == PK_JEV_NUMBER ? (int)(n < 40 ? n : 40) : 40,
			         ev == PK_JEV_NUMBER ? s : kind_name(ev));
			return bench_bad(st, "value", problem);
		}
		return push_value(st, d);
	}
	if (kn == 6 && memcmp(k, "values", 6) == 0) {
		st->cur.has_values = 1;
		if (ev == PK_JEV_ARRAY)
			return PK_OK;
		if (is_container(ev))
			pk_jdoc_skip(st->d);
		snprintf(problem, sizeof problem, "expected an array, got %s", kind_name(ev));
		return bench_bad(st, "values", problem);
	}
	return pk_jdoc_keep(st->d, &st->cur_extra, 2);
}

/* The benchmark's END: kept for the end of the document, or rejected. */
static enum pk_status end_bench(struct pb_state *st)
{
	struct bench *c = &st->cur;
	int64_t idx = st->bench_index++, line = st->bad ? st->bad_line : c->line;
	const char *why = st->bad;
	st->in_bench = 0;
	pk_buf_reset(&st->msg);
	if (!why && !c->name)
		pk_buf_printf(&st->msg, "benchmarks[%lld]: no name", (long long)idx);
	else if (!why && c->has_value == c->has_values)
		pk_buf_printf(&st->msg, "benchmarks[%lld]: %s", (long long)idx, c->has_value
		              ? "both value and values" : "no value or values");
	for (size_t i = 0; !why && !st->msg.len && i < st->nb; i++)
		if (strcmp(st->b[i].name, c->name) == 0)
			pk_buf_printf(&st->msg, "benchmarks[%lld]: name repeats an earlier "
			              "benchmark's", (long long)idx);
	if (!why && st->msg.len)
		why = st->msg.data;
	if (why) {
		st->nv = c->first;
		enum pk_status rc = pk_sink_reject(st->sink, line, 0, why, "", 0);
		bench_free(c);
		return rc;
	}
	if (st->cur_extra.len) {
		if (pk_buf_putc(&st->cur_extra, '}') != PK_OK ||
		    !(c->extra = strndup(st->cur_extra.data, st->cur_extra.len)))
			return PK_ERR_NOMEM;
	}
	if (st->nb == st->bcap) {
		size_t cap = st->bcap ? st->bcap * 2 : 16;
		struct bench *p = realloc(st->b, cap * sizeof *p);
		if (!p)
			return PK_ERR_NOMEM;
		st->b = p;
		st->bcap = cap;
	}
	st->b[st->nb++] = *c;
	memset(c, 0, sizeof *c);
	return PK_OK;
}

static enum pk_status on_event(void *ctx, struct pk_jdoc *d, enum pk_jev ev,
                               const char *s, size_t n)
{
	struct pb_state *st = ctx;
	int level = pk_jdoc_depth(d);
	if (level == 0) {
		if (ev == PK_JEV_END || ev == PK_JEV_MAP)
			return PK_OK;
		pk_buf_reset(&st->msg);
		pk_buf_printf(&st->msg, "expected a JSON object, got %s", kind_name(ev));
		return pk_jdoc_fail(d, st->msg.data);
	}
	if (level == 1)
		return ev == PK_JEV_END ? PK_OK : top_member(st, ev, s, n);
	if (level == 2) {                          /* benchmarks[i] */
		if (ev == PK_JEV_MAP) {
			bench_free(&st->cur);
			pk_buf_reset(&st->cur_extra);
			free(st->bad);
			st->bad = NULL;
			st->cur.first = st->nv;
			st->cur.line = pk_jdoc_line(d);
			st->in_bench = 1;
			return PK_OK;
		}
		if (ev != PK_JEV_END) {
			if (is_container(ev))
				pk_jdoc_skip(d);
			pk_buf_reset(&st->msg);
			pk_buf_printf(&st->msg, "benchmarks[%lld]: expected an object, got %s",
			              (long long)st->bench_index++, kind_name(ev));
			return pk_sink_reject(st->sink, pk_jdoc_line(d), 0, st->msg.data, "", 0);
		}
		return st->in_bench ? end_bench(st) : PK_OK;
	}
	if (level == 3)
		return ev == PK_JEV_END ? PK_OK : bench_member(st, ev, s, n);
	if (level == 4 && ev != PK_JEV_END) {       /* values[j] */
		double v;
		if (ev == PK_JEV_NULL)
			return push_value(st, NAN);
		if (ev == PK_JEV_NUMBER && pk_parse_double(s, n, &v) == 0)
			return push_value(st, v);
		if (is_container(ev))
			pk_jdoc_skip(d);
		char field[40], problem[96];
		snprintf(field, sizeof field, "values[%zu]", st->cur.count);
		snprintf(problem, sizeof problem, "expected a number in double range, got %.*s",
		         ev == PK_JEV_NUMBER ? (int)(n < 40 ? n : 40) : 40,
		         ev == PK_JEV_NUMBER ? s : kind_name(ev));
		return bench_bad(st, field, problem);
	}
	return PK_OK;
}

/* ---- the rows ----------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* mean, stddev (n - 1), median, min, max of the numbers of b (NAN: none). */
static enum pk_status stats(const struct pb_state *st, const struct bench *b,
                            double out[5], int64_t *n)
{
	double *v = malloc((b->count ? b->count : 1) * sizeof *v);
	if (!v)
		return PK_ERR_NOMEM;
	size_t k = 0;
	for (size_t i = 0; i < b->count; i++)
		if (isfinite(st->values[b->first + i]))
			v[k++] = st->values[b->first + i];
	*n = (int64_t)k;
	for (int i = 0; i < 5; i++)
		out[i] = NAN;
	if (k) {
		qsort(v, k, sizeof *v, cmp_double);
		double sum = 0, ss = 0;
		for (size_t i = 0; i < k; i++)
			sum += v[i];
		double mean = sum / (double)k;
		for (size_t i = 0; i < k; i++)
			ss += (v[i] - mean) * (v[i] - mean);
		out[0] = mean;
		out[1] = k > 1 ? sqrt(ss / (double)(k - 1)) : NAN;
		out[2] = k % 2 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
		out[3] = v[0];
		out[4] = v[k - 1];
	}
	free(v);
	return PK_OK;
}

static enum pk_status store(struct pb_state *st, struct pk_sink *sink, int64_t run_us)
{
	struct pk_value key[4] = {   /* digest '': the document names its run */
		pk_v_text("", 0), pk_v_text(st->suite.data, st->suite.len), pk_v_int(run_us),
		st->have_host ? pk_v_text(st->host.data, st->host.len) : pk_v_text("", 0),
	};
	if (st->run_extra.len && pk_buf_putc(&st->run_extra, '}') != PK_OK)
		return PK_ERR_NOMEM;
	struct pk_value run[7] = {
		key[0], key[1], key[2], key[3],
		st->have_revision ? pk_v_text(st->revision.data, st->revision.len) : pk_v_null(),
		pk_v_text("perfkit", 7),
		st->run_extra.len ? pk_v_text(st->run_extra.data, st->run_extra.len) : pk_v_null(),
	};
	enum pk_status rc = pk_sink_row(sink, &pk_bench_run_table, 1, run);
	for (size_t i = 0; i < st->nb && rc == PK_OK; i++) {
		const struct bench *b = &st->b[i];
		double s[5];
		int64_t n;
		if ((rc = stats(st, b, s, &n)) != PK_OK)
			break;
		struct pk_value r[16] = {
			key[0], key[1], key[2], key[3], pk_v_text(b->name, strlen(b->name)),
			pk_v_text(b->unit, b->unit ? strlen(b->unit) : 0),
			pk_v_text(b->direction, b->direction ? strlen(b->direction) : 0),
			pk_v_real(s[0]), pk_v_real(s[1]), pk_v_real(s[2]), pk_v_real(s[3]),
			pk_v_real(s[4]), pk_v_null(), pk_v_null(), pk_v_int(n),
			pk_v_text(b->extra, b->extra ? strlen(b->extra) : 0),
		};
		rc = pk_sink_row(sink, &pk_bench_result_table, b->line, r);
		for (size_t j = 0; j < b->count && rc == PK_OK; j++) {
			struct pk_value v[8] = { key[0], key[1], key[2], key[3], r[4], pk_v_int((int64_t)j),
			                         pk_v_real(st->values[b->first + j]), pk_v_null() };
			rc = pk_sink_row(sink, &pk_bench_value_table, b->line, v);
		}
	}
	return rc;
}

static void *pb_open(struct pk_sink *sink)
{
	struct pb_state *st = calloc(1, sizeof *st);
	if (!st)
		return NULL;
	st->sink = sink;
	st->version = -1;
	if (!(st->d = pk_jdoc_new(on_event, st))) {
		pb_close(st);
		return NULL;
	}
	return st;
}

static enum pk_status pb_chunk(void *state, struct pk_sink *sink, const char *p, size_t n)
{
	(void)sink;
	return pk_jdoc_feed(((struct pb_state *)state)->d, p, n);
}

static enum pk_status pb_finish(void *state, struct pk_sink *sink)
{
	struct pb_state *st = state;
	enum pk_status rc = pk_jdoc_end(st->d);
	if (rc != PK_OK)
		return rc;
	const char *why, *raw;
	int64_t line, col;
	size_t rawn;
	if (pk_jdoc_error(st->d, &why, &line, &col, &raw, &rawn) &&
	    (rc = pk_sink_reject(sink, line, col, why, raw, rawn)) != PK_OK)
		return rc;
	size_t hn;
	const char *head = pk_jdoc_head(st->d, &hn);
	int64_t run_us = sink->opts && sink->opts->run_time_us != INT64_MIN
	                 ? sink->opts->run_time_us : sink->file_mtime_us;
	why = NULL;
	if (st->version != 1)
		why = "not a perfkit benchmark document (no \"perfkit_bench\": 1)";
	else if (!st->have_suite)
		why = "no suite";
	else if (st->have_run_time &&
	         pk_time_parse_any(st->run_time.data, st->run_time.len, &run_us, &why) != PK_OK) {
		pk_buf_reset(&st->msg);
		pk_buf_printf(&st->msg, "run_time: %s", why ? why : "not a time");
		why = st->msg.data;
	}
	if (why) {
		/* a document already rejected for being broken needs no second reason */
		if (pk_jdoc_error(st->d, &raw, &line, &col, &raw, &rawn) && (st->version != 1 || !st->have_suite))
			return PK_OK;
		return pk_sink_reject(sink, 1, 0, why, head, hn);
	}
	return store(st, sink, run_us);
}

/* A .json file with "perfkit_bench" among the first keys of its object. */
static int pb_detect(const char *base, const char *head, size_t n)
{
	size_t bl = strlen(base);
	if (bl < 6 || strcmp(base + bl - 5, ".json") != 0)
		return 0;
	size_t i = pk_json_skip_space(head, 0, n);
	if (i == n || head[i] != '{')
		return 0;
	/* the key "perfkit_bench", not that text as a value (a hyperfine
	 * command named perfkit_bench) */
	for (const char *p = head + i; (p = memmem(p, n - (size_t)(p - head), "\"perfkit_bench\"", 15));) {
		p += 15;
		p += pk_json_skip_space(p, 0, (size_t)(head + n - p));
		if (p < head + n && *p == ':')
			return 1;
	}
	return 0;
}

const struct pk_reader pk_reader_perfkit_bench = {
	.name = "perfkit_bench",
	.description = "F7 perfkit benchmark JSON ({\"perfkit_bench\": 1, ...}; docs/perfkit-bench.schema.json)",
	.detect = pb_detect,
	.open = pb_open,
	.chunk = pb_chunk,
	.finish = pb_finish,
	.close = pb_close,
};
