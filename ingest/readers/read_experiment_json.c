/* read_experiment_json.c - format F5, LLM experiment profiles
 * (logs/profiles/<name>.json): one pretty-printed JSON object per
 * experiment, possibly tens of MB.  Streamed with json_doc.h: each cycle
 * becomes an experiment_cycle row (and its timings experiment_timing rows)
 * as soon as it is complete, so memory does not grow with the cycles; the
 * experiment row, whose fields are spread over the whole document, is
 * written at the end.  Top-level keys may come in any order; rows made
 * before experiment_id is seen wait in a spool.
 *
 * A broken document (invalid JSON, truncated while being written) is
 * rejected at FILE:LINE:COL; the complete cycles before the break are kept
 * when the experiment_id was known, and the experiment row is written only
 * when the document is whole (a file still being written is read again
 * whole once it changes). */
#include <stdlib.h>
#include <string.h>

#include "../../core/buf.h"
#include "../engines/json_doc.h"
#include "../engines/json_space.h"
#include "../engines/json_reader.h"
#include "../engines/json_rows.h"
#include "../pipeline/reader.h"
#include "../pipeline/sink.h"

#define RAW_KEEP ((size_t)64 << 10)

static const struct pk_column exp_cols[] = {
	{ "experiment_id", PK_COL_TEXT }, { "name", PK_COL_TEXT }, { "mode", PK_COL_TEXT },
	{ "start_us", PK_COL_TIME }, { "end_us", PK_COL_TIME },
	{ "total_duration_s", PK_COL_REAL }, { "platform", PK_COL_TEXT },
	{ "processor", PK_COL_TEXT }, { "cpu_count", PK_COL_INT },
	{ "cpu_count_logical", PK_COL_INT }, { "total_memory_gb", PK_COL_REAL },
	{ "is_jetson", PK_COL_INT }, { "system_info", PK_COL_JSON },
	{ "total_cycles", PK_COL_INT }, { "total_llm_time", PK_COL_REAL },
	{ "total_db_time", PK_COL_REAL }, { "total_tokens", PK_COL_INT },
	{ "avg_tokens_per_second", PK_COL_REAL }, { "peak_memory_mb", PK_COL_REAL },
	{ "avg_memory_mb", PK_COL_REAL }, { "recommendations", PK_COL_JSON },
	{ "extra", PK_COL_JSON },
};
static const struct pk_table exp_table = { "experiment", exp_cols, 22, 0 };

static const struct pk_column cycle_cols[] = {
	{ "experiment_id", PK_COL_TEXT }, { "cycle_number", PK_COL_INT },
	{ "duration", PK_COL_REAL }, { "crashed", PK_COL_INT }, { "crash_reason", PK_COL_TEXT },
	{ "llm_inference_count", PK_COL_INT }, { "llm_total_time", PK_COL_REAL },
	{ "llm_tokens_generated", PK_COL_INT }, { "llm_tokens_per_second", PK_COL_REAL },
	{ "db_queries", PK_COL_INT }, { "db_total_time", PK_COL_REAL },
	{ "mem_peak_mb", PK_COL_REAL }, { "mem_snapshots", PK_COL_JSON },
	{ "gpu_utilization_percent", PK_COL_REAL }, { "gpu_temperature_c", PK_COL_REAL },
	{ "extra", PK_COL_JSON },
};
static const struct pk_table cycle_table = { "experiment_cycle", cycle_cols, 16, 0 };

static const struct pk_column timing_cols[] = {
	{ "experiment_id", PK_COL_TEXT }, { "cycle_number", PK_COL_INT }, { "seq", PK_COL_INT },
	{ "name", PK_COL_TEXT }, { "duration", PK_COL_REAL }, { "metadata", PK_COL_JSON },
};
static const struct pk_table timing_table = { "experiment_timing", timing_cols, 6, 0 };

static const struct pk_column bneck_cols[] = {
	{ "experiment_id", PK_COL_TEXT }, { "seq", PK_COL_INT }, { "type", PK_COL_TEXT },
	{ "severity", PK_COL_TEXT }, { "description", PK_COL_TEXT },
	{ "percentage_of_cycle", PK_COL_REAL }, { "avg_time_seconds", PK_COL_REAL },
	{ "extra", PK_COL_JSON },
};
static const struct pk_table bneck_table = { "experiment_bottleneck", bneck_cols, 8, 0 };

#define N(a) (sizeof a / sizeof a[0])

static const struct pk_jfield top_fields[] = {
	{ "experiment_name", 1, PK_JT_TEXT, 0 }, { "mode", 2, PK_JT_TEXT, 0 },
	{ "start_time", 3, PK_JT_TIME, 0 }, { "end_time", 4, PK_JT_TIME, 0 },
	{ "total_duration", 5, PK_JT_REAL, 0 },
};
static const struct pk_jfield recs_field = { "recommendations", 20, PK_JT_JSON, 0 };
static const struct pk_jfield sys_fields[] = {
	{ "platform", 6, PK_JT_TEXT, 0 }, { "processor", 7, PK_JT_TEXT, 0 },
	{ "cpu_count", 8, PK_JT_INT, 0 }, { "cpu_count_logical", 9, PK_JT_INT, 0 },
	{ "total_memory_gb", 10, PK_JT_REAL, 0 }, { "is_jetson", 11, PK_JT_BOOL, 0 },
};
static const struct pk_jfield agg_fields[] = {
	{ "total_cycles", 13, PK_JT_INT, 0 }, { "total_llm_time", 14, PK_JT_REAL, 0 },
	{ "total_db_time", 15, PK_JT_REAL, 0 }, { "total_tokens", 16, PK_JT_INT, 0 },
	{ "avg_tokens_per_second", 17, PK_JT_REAL, 0 }, { "peak_memory_mb", 18, PK_JT_REAL, 0 },
	{ "avg_memory_mb", 19, PK_JT_REAL, 0 },
};
static const struct pk_jfield cycle_fields[] = {
	{ "cycle_number", 1, PK_JT_INT, 0 }, { "duration", 2, PK_JT_REAL, 0 },
	{ "crashed", 3, PK_JT_BOOL, 0 }, { "crash_reason", 4, PK_JT_TEXT, 0 },
};
static const struct pk_jfield llm_fields[] = {
	{ "inference_count", 5, PK_JT_INT, 0 }, { "total_time", 6, PK_JT_REAL, 0 },
	{ "tokens_generated", 7, PK_JT_INT, 0 }, { "tokens_per_second", 8, PK_JT_REAL, 0 },
};
static const struct pk_jfield db_fields[] = {
	{ "queries", 9, PK_JT_INT, 0 }, { "total_time", 10, PK_JT_REAL, 0 },
};
static const struct pk_jfield mem_fields[] = {
	{ "peak_mb", 11, PK_JT_REAL, 0 }, { "snapshots", 12, PK_JT_JSON, 0 },
};
static const struct pk_jfield gpu_fields[] = {
	{ "utilization_percent", 13, PK_JT_REAL, 0 }, { "temperature_c", 14, PK_JT_REAL, 0 },
};
static const struct pk_jfield timing_fields[] = {
	{ "name", 3, PK_JT_TEXT, 0 }, { "duration", 4, PK_JT_REAL, 0 },
	{ "metadata", 5, PK_JT_JSON, 0 },
};
static const struct pk_jfield bneck_fields[] = {
	{ "type", 2, PK_JT_TEXT, 0 }, { "severity", 3, PK_JT_TEXT, 0 },
	{ "description", 4, PK_JT_TEXT, 0 }, { "percentage_of_cycle", 5, PK_JT_REAL, 0 },
	{ "avg_time_seconds", 6, PK_JT_REAL, 0 },
};

struct section {
	const char *key;
	const struct pk_jfield *f;
	size_t n;
};
static const struct section sections[] = {
	{ "llm_metrics", llm_fields, N(llm_fields) }, { "db_metrics", db_fields, N(db_fields) },
	{ "memory_metrics", mem_fields, N(mem_fields) }, { "gpu_metrics", gpu_fields, N(gpu_fields) },
};

enum ctx {
	C_IGNORE, C_ROOT, C_SYSINFO, C_AGG, C_CYCLES, C_CYCLE, C_SECTION,
	C_TIMINGS, C_TIMING, C_BNECKS, C_BNECK
};

static const struct pk_jreader_names names = { "experiment_id", "experiment", "cycles" };

struct exp_state {
	struct pk_jreader r;
	enum ctx ctx[PK_JDOC_MAX_DEPTH + 1];
	const struct section *sect;          /* the cycle section open */
	struct pk_jrow exp, cyc, bn;
	struct pk_jrow *tim;                 /* the timings of the cycle open */
	size_t ntim, captim;
	struct pk_buf craw;
};

static enum pk_status on_root(struct exp_state *st, struct pk_jdoc *d, enum pk_jev ev,
                              const char *key, size_t kn, const char *s, size_t n, int L)
{
	if (pk_jreader_is_id(&st->r, key, kn))
		return pk_jreader_take_id(&st->r, d, ev, s, n, &st->exp.extra);
	const struct pk_jfield *f = pk_jfield_find(top_fields, N(top_fields), key, kn);
	if (f)
		return pk_jrow_set(&st->exp, d, f, ev, s, n, 0);
	if (pk_jkey_is(key, kn, "recommendations") && (ev == PK_JEV_ARRAY || ev == PK_JEV_NULL))
		return pk_jrow_set(&st->exp, d, &recs_field, ev, s, n, 0);
	if (pk_jkey_is(key, kn, "system_info") && ev == PK_JEV_MAP) {
		st->ctx[L] = C_SYSINFO;
		pk_buf_reset(&st->exp.json[1]);
		st->exp.json_col[1] = 12;
		return pk_jdoc_capture(d, &st->exp.json[1], PK_JDOC_KEEP_MAX, &st->exp.json_ok[1]);
	}
	if (pk_jkey_is(key, kn, "aggregate_metrics") && ev == PK_JEV_MAP) {
		st->ctx[L] = C_AGG;
		return PK_OK;
	}
	if (pk_jkey_is(key, kn, "cycles") && ev == PK_JEV_ARRAY) {
		st->ctx[L] = C_CYCLES;
		return PK_OK;
	}
	if (pk_jkey_is(key, kn, "bottlenecks") && ev == PK_JEV_ARRAY) {
		st->ctx[L] = C_BNECKS;
		return PK_OK;
	}
	if (pk_jkey_is(key, kn, "cycles") || pk_jkey_is(key, kn, "bottlenecks")) {
		/* a list that is not one ("cycles": null): the experiment is kept,
		 * with nothing of that list, and the user told */
		enum pk_status rc = pk_jreader_warn(&st->r, ev == PK_JEV_NULL
		                                    ? "null where a list belongs: none stored (kept in extra)"
		                                    : "not a list: none stored (kept in extra)");
		if (rc != PK_OK)
			return rc;
	}
	return pk_jdoc_keep(d, &st->exp.extra, 0);
}

static struct pk_jrow *new_timing(struct exp_state *st)
{
	if (st->ntim == st->captim) {
		size_t cap = st->captim ? st->captim * 2 : 16;
		struct pk_jrow *t = realloc(st->tim, cap * sizeof *t);
		if (!t)
			return NULL;
		memset(t + st->captim, 0, (cap - st->captim) * sizeof *t);
		st->tim = t;
		st->captim = cap;
	}
	struct pk_jrow *r = &st->tim[st->ntim++];
	pk_jrow_reset(r, &timing_table, -1);
	return r;
}

static enum pk_status on_value(struct exp_state *st, struct pk_jdoc *d, enum pk_jev ev,
                               const char *s, size_t n, int L)
{
	size_t kn;
	const char *key = pk_jdoc_key(d, L, &kn);
	const struct pk_jfield *f;
	struct pk_jrow *r;
	st->ctx[L] = C_IGNORE;
	switch (st->ctx[L - 1]) {
	case C_ROOT:
		return on_root(st, d, ev, key, kn, s, n, L);
	case C_SYSINFO:     /* kept whole in system_info: wrong types ignored */
		f = pk_jfield_find(sys_fields, N(sys_fields), key, kn);
		return f ? pk_jrow_set(&st->exp, d, f, ev, s, n, -1) : PK_OK;
	case C_AGG:
		f = pk_jfield_find(agg_fields, N(agg_fields), key, kn);
		return f ? pk_jrow_set(&st->exp, d, f, ev, s, n, 0)
		         : pk_jdoc_keep(d, &st->exp.extra, 0);
	case C_CYCLES:
		if (ev != PK_JEV_MAP)
			return pk_jreader_bad_element(&st->r, ev, L);
		st->ctx[L] = C_CYCLE;
		pk_jrow_reset(&st->cyc, &cycle_table, 15);
		st->cyc.line = pk_jdoc_line(d);
		st->ntim = 0;
		pk_buf_reset(&st->craw);
		return pk_jdoc_capture(d, &st->craw, RAW_KEEP, NULL);
	case C_CYCLE:
		if ((f = pk_jfield_find(cycle_fields, N(cycle_fields), key, kn)))
			return pk_jrow_set(&st->cyc, d, f, ev, s, n, 2);
		if (pk_jkey_is(key, kn, "timings") && ev == PK_JEV_ARRAY) {
			st->ctx[L] = C_TIMINGS;
			return PK_OK;
		}
		for (size_t i = 0; i < N(sections); i++)
			if (pk_jkey_is(key, kn, sections[i].key)) {
				if (ev == PK_JEV_NULL)
					return PK_OK;      /* gpu_metrics: null without a GPU */
				if (ev != PK_JEV_MAP)
					break;
				st->ctx[L] = C_SECTION;
				st->sect = &sections[i];
				return PK_OK;
			}
		return pk_jdoc_keep(d, &st->cyc.extra, 2);
	case C_SECTION:
		f = pk_jfield_find(st->sect->f, st->sect->n, key, kn);
		return f ? pk_jrow_set(&st->cyc, d, f, ev, s, n, 2)
		         : pk_jdoc_keep(d, &st->cyc.extra, 2);
	case C_TIMINGS:
		if (ev != PK_JEV_MAP)
			return pk_jdoc_keep(d, &st->cyc.extra, 2);
		if (!(r = new_timing(st)))
			return PK_ERR_NOMEM;
		st->ctx[L] = C_TIMING;
		r->line = pk_jdoc_line(d);
		r->v[2] = pk_v_int(pk_jdoc_index(d, L));
		return PK_OK;
	case C_TIMING:      /* no extra column: the rest goes to the cycle's */
		r = &st->tim[st->ntim - 1];
		f = pk_jfield_find(timing_fields, N(timing_fields), key, kn);
		return f ? pk_jrow_set(r, d, f, ev, s, n, 2) : pk_jdoc_keep(d, &r->extra, 2);
	case C_BNECKS:
		if (ev != PK_JEV_MAP)
			return pk_jreader_bad_element(&st->r, ev, L);
		st->ctx[L] = C_BNECK;
		pk_jrow_reset(&st->bn, &bneck_table, 7);
		st->bn.line = pk_jdoc_line(d);
		st->bn.v[1] = pk_v_int(pk_jdoc_index(d, L));
		return PK_OK;
	case C_BNECK:
		f = pk_jfield_find(bneck_fields, N(bneck_fields), key, kn);
		return f ? pk_jrow_set(&st->bn, d, f, ev, s, n, 2) : pk_jdoc_keep(d, &st->bn.extra, 2);
	default:
		return PK_OK;
	}
}

static enum pk_status end_cycle(struct exp_state *st)
{
	struct pk_jrow *c = &st->cyc;
	enum pk_status rc = pk_jrow_done(c);
	if (rc != PK_OK)
		return rc;
	if (c->v[1].kind != PK_V_INT)
		return pk_jreader_reject_at(&st->r, c->line,
		                            c->extra.len && strstr(c->extra.data, "\"cycle_number\"")
		                            ? "cycle_number is not a whole number: cycle not stored"
		                            : "no cycle_number: cycle not stored",
		                            st->craw.data, st->craw.len);
	if ((rc = pk_jreader_report_lost(&st->r, c)) != PK_OK ||
	    (rc = pk_jreader_emit(&st->r, c)) != PK_OK)
		return rc;
	for (size_t i = 0; i < st->ntim && rc == PK_OK; i++) {
		struct pk_jrow *t = &st->tim[i];
		t->v[1] = c->v[1];
		if ((rc = pk_jrow_done(t)) == PK_OK && (rc = pk_jreader_report_lost(&st->r, t)) == PK_OK)
			rc = pk_jreader_emit(&st->r, t);
	}
	st->r.kept++;
	return rc;
}

static enum pk_status on_end(struct exp_state *st, int L)
{
	enum pk_status rc = pk_jreader_end(&st->r, L);
	if (rc != PK_OK)
		return rc;
	switch (st->ctx[L]) {
	case C_CYCLE:
		return end_cycle(st);
	case C_TIMING: {
		/* the timing's unknown fields join the cycle's extra */
		struct pk_jrow *t = &st->tim[st->ntim - 1];
		if (!t->extra.len)
			return PK_OK;
		rc = pk_buf_putc(&st->cyc.extra, st->cyc.extra.len ? ',' : '{');
		if (rc == PK_OK)
			rc = pk_buf_append(&st->cyc.extra, t->extra.data + 1, t->extra.len - 1);
		pk_buf_reset(&t->extra);
		return rc;
	}
	case C_BNECK:
		if ((rc = pk_jrow_done(&st->bn)) != PK_OK)
			return rc;
		return pk_jreader_emit(&st->r, &st->bn);
	default:
		return PK_OK;
	}
}

static enum pk_status exp_event(void *ctx, struct pk_jdoc *d, enum pk_jev ev,
                                const char *s, size_t n)
{
	struct exp_state *st = ctx;
	int L = pk_jdoc_depth(d);
	if (ev == PK_JEV_END)
		return on_end(st, L);
	if (L == 0) {
		if (ev != PK_JEV_MAP)
			return pk_jdoc_fail(d, "expected a JSON object (an experiment profile)");
		st->ctx[0] = C_ROOT;
		st->exp.line = pk_jdoc_line(d);
		return PK_OK;
	}
	return on_value(st, d, ev, s, n, L);
}

static void exp_close(void *state)
{
	struct exp_state *st = state;
	if (!st)
		return;
	pk_jreader_free(&st->r);
	pk_jrow_free(&st->exp);
	pk_jrow_free(&st->cyc);
	pk_jrow_free(&st->bn);
	for (size_t i = 0; i < st->captim; i++)
		pk_jrow_free(&st->tim[i]);
	free(st->tim);
	pk_buf_free(&st->craw);
	free(st);
}

static void *exp_open(struct pk_sink *sink)
{
	struct exp_state *st = calloc(1, sizeof *st);
	if (!st)
		return NULL;
	if (pk_jreader_init(&st->r, sink, &names, exp_event, st) != PK_OK) {
		free(st);
		return NULL;
	}
	pk_jrow_reset(&st->exp, &exp_table, 21);
	st->exp.line = 1;
	return st;
}

static enum pk_status exp_chunk(void *state, struct pk_sink *sink, const char *p, size_t n)
{
	struct exp_state *st = state;
	return pk_jreader_chunk(&st->r, sink, p, n);
}

static enum pk_status exp_finish(void *state, struct pk_sink *sink)
{
	struct exp_state *st = state;
	return pk_jreader_finish(&st->r, sink, &st->exp);
}

static int starts(const char *p, size_t n, const char *s)
{
	size_t l = strlen(s);
	return n >= l && memcmp(p, s, l) == 0;
}

/* The first key is experiment_id or experiment_name (as the writer puts
 * them); or a .json file with experiment_id and another F5 key in its head. */
static int exp_detect(const char *base, const char *head, size_t n)
{
	size_t i = pk_json_skip_space(head, 0, n);
	if (i == n || head[i] != '{')
		return 0;
	i = pk_json_skip_space(head, i + 1, n);
	if (starts(head + i, n - i, "\"experiment_id\"") ||
	    starts(head + i, n - i, "\"experiment_name\""))
		return 1;
	size_t bl = strlen(base);
	return bl > 5 && strcmp(base + bl - 5, ".json") == 0 &&
	       memmem(head, n, "\"experiment_id\":", 16) &&
	       (memmem(head, n, "\"cycles\":", 9) || memmem(head, n, "\"system_info\":", 14) ||
	        memmem(head, n, "\"aggregate_metrics\":", 20));
}

const struct pk_reader pk_reader_experiment_json = {
	.name = "experiment_json",
	.description = "F5 LLM experiment profile, one JSON document (logs/profiles/<name>.json)",
	.detect = exp_detect,
	.open = exp_open,
	.close = exp_close,
	.chunk = exp_chunk,
	.finish = exp_finish,
};
