/* read_session_json.c - format F6, app session profiles
 * (perf/samples/<session_id>.json): one JSON document per session, read in
 * chunks with json_doc.h.  The session row (its statistics as columns and
 * as JSON, performance_summary as JSON) is written at the end; each module
 * of module_profiles becomes a session_module row and each element of
 * recent_samples a session_sample row (the sample as JSON) as soon as it is
 * complete.  Times are naive ISO local times as the app writes them; perfkit
 * stores a naive time as UTC (its documented rule, core/timeutil.h).
 *
 * statistics, module_profiles or recent_samples of the wrong shape (null,
 * a list for an object ...) is a warning at FILE:LINE; the session is kept.
 * A broken document is rejected at FILE:LINE:COL; the modules and samples
 * complete before the break are kept when the session_id was known, the
 * session row only when the document is whole. */
#include <stdlib.h>
#include <string.h>

#include "../../core/buf.h"
#include "../../core/timeutil.h"
#include "../engines/json_doc.h"
#include "../engines/json_space.h"
#include "../engines/json_reader.h"
#include "../engines/json_rows.h"
#include "../pipeline/reader.h"
#include "../pipeline/sink.h"

static const struct pk_column session_cols[] = {
	{ "session_id", PK_COL_TEXT }, { "export_us", PK_COL_TIME },
	{ "profiler_state", PK_COL_TEXT }, { "total_samples", PK_COL_INT },
	{ "sampling_duration", PK_COL_REAL }, { "cpu_avg", PK_COL_REAL },
	{ "cpu_max", PK_COL_REAL }, { "memory_avg", PK_COL_REAL }, { "memory_max", PK_COL_REAL },
	{ "io_wait_avg", PK_COL_REAL }, { "io_wait_max", PK_COL_REAL },
	{ "ocr_calls_per_minute", PK_COL_REAL }, { "frames_per_minute", PK_COL_REAL },
	{ "sample_count", PK_COL_INT }, { "statistics", PK_COL_JSON },
	{ "performance_summary", PK_COL_JSON }, { "extra", PK_COL_JSON },
};
static const struct pk_table session_table = { "session", session_cols, 17, 0 };

static const struct pk_column module_cols[] = {
	{ "session_id", PK_COL_TEXT }, { "module", PK_COL_TEXT },
	{ "call_count", PK_COL_INT }, { "total_execution_time", PK_COL_REAL },
	{ "avg_execution_time", PK_COL_REAL }, { "max_execution_time", PK_COL_REAL },
	{ "min_execution_time", PK_COL_REAL }, { "cpu_impact", PK_COL_REAL },
	{ "memory_impact", PK_COL_REAL }, { "last_called_us", PK_COL_TIME },
	{ "recommendations", PK_COL_JSON }, { "extra", PK_COL_JSON },
};
static const struct pk_table module_table = { "session_module", module_cols, 12, 0 };

static const struct pk_column sample_cols[] = {
	{ "session_id", PK_COL_TEXT }, { "ts_us", PK_COL_TIME }, { "sample", PK_COL_JSON },
};
static const struct pk_table sample_table = { "session_sample", sample_cols, 3, 0 };

#define N(a) (sizeof a / sizeof a[0])

static const struct pk_jfield top_fields[] = {
	{ "export_timestamp", 1, PK_JT_TIME, 0 }, { "profiler_state", 2, PK_JT_TEXT, 0 },
	{ "total_samples", 3, PK_JT_INT, 0 }, { "sampling_duration", 4, PK_JT_REAL, 0 },
	{ "performance_summary", 15, PK_JT_JSON, 1 },
};
static const struct pk_jfield stat_fields[] = {
	{ "cpu_avg", 5, PK_JT_REAL, 0 }, { "cpu_max", 6, PK_JT_REAL, 0 },
	{ "memory_avg", 7, PK_JT_REAL, 0 }, { "memory_max", 8, PK_JT_REAL, 0 },
	{ "io_wait_avg", 9, PK_JT_REAL, 0 }, { "io_wait_max", 10, PK_JT_REAL, 0 },
	{ "ocr_calls_per_minute", 11, PK_JT_REAL, 0 }, { "frames_per_minute", 12, PK_JT_REAL, 0 },
	{ "sample_count", 13, PK_JT_INT, 0 },
};
static const struct pk_jfield module_fields[] = {
	{ "call_count", 2, PK_JT_INT, 0 }, { "total_execution_time", 3, PK_JT_REAL, 0 },
	{ "avg_execution_time", 4, PK_JT_REAL, 0 }, { "max_execution_time", 5, PK_JT_REAL, 0 },
	{ "min_execution_time", 6, PK_JT_REAL, 0 }, { "cpu_impact", 7, PK_JT_REAL, 0 },
	{ "memory_impact", 8, PK_JT_REAL, 0 }, { "last_called", 9, PK_JT_TIME, 0 },
	{ "recommendations", 10, PK_JT_JSON, 0 },
};

enum ctx { C_IGNORE, C_ROOT, C_STATS, C_MODULES, C_MODULE, C_SAMPLES, C_SAMPLE };

static const struct pk_jreader_names names = { "session_id", "session", "modules and samples" };

struct ses_state {
	struct pk_jreader r;
	enum ctx ctx[PK_JDOC_MAX_DEPTH + 1];
	struct pk_jrow ses, mod, smp;
	struct pk_buf ts;
	int have_ts, sample_ok;
};

static enum pk_status on_root(struct ses_state *st, struct pk_jdoc *d, enum pk_jev ev,
                              const char *key, size_t kn, const char *s, size_t n, int L)
{
	if (pk_jreader_is_id(&st->r, key, kn))
		return pk_jreader_take_id(&st->r, d, ev, s, n, &st->ses.extra);
	const struct pk_jfield *f = pk_jfield_find(top_fields, N(top_fields), key, kn);
	if (f)
		return pk_jrow_set(&st->ses, d, f, ev, s, n, 0);
	if (pk_jkey_is(key, kn, "statistics") && ev == PK_JEV_MAP) {
		st->ctx[L] = C_STATS;
		pk_buf_reset(&st->ses.json[0]);
		st->ses.json_col[0] = 14;
		return pk_jdoc_capture(d, &st->ses.json[0], PK_JDOC_KEEP_MAX, &st->ses.json_ok[0]);
	}
	if (pk_jkey_is(key, kn, "module_profiles") && ev == PK_JEV_MAP) {
		st->ctx[L] = C_MODULES;
		return PK_OK;
	}
	if (pk_jkey_is(key, kn, "recent_samples") && ev == PK_JEV_ARRAY) {
		st->ctx[L] = C_SAMPLES;
		return PK_OK;
	}
	/* a list or object that is not one ("recent_samples": null): the
	 * session is kept, with nothing of it, and the user told */
	const char *why = NULL;
	if (pk_jkey_is(key, kn, "recent_samples"))
		why = ev == PK_JEV_NULL ? "null where a list belongs: no samples stored (kept in extra)"
		                        : "not a list: no samples stored (kept in extra)";
	else if (pk_jkey_is(key, kn, "module_profiles"))
		why = ev == PK_JEV_NULL
		      ? "null where an object belongs: no modules stored (kept in extra)"
		      : "not an object: no modules stored (kept in extra)";
	else if (pk_jkey_is(key, kn, "statistics"))
		why = ev == PK_JEV_NULL
		      ? "null where an object belongs: no statistics stored (kept in extra)"
		      : "not an object: no statistics stored (kept in extra)";
	enum pk_status rc = why ? pk_jreader_warn(&st->r, why) : PK_OK;
	return rc == PK_OK ? pk_jdoc_keep(d, &st->ses.extra, 0) : rc;
}

static enum pk_status on_value(struct ses_state *st, struct pk_jdoc *d, enum pk_jev ev,
                               const char *s, size_t n, int L)
{
	size_t kn;
	const char *key = pk_jdoc_key(d, L, &kn);
	const struct pk_jfield *f;
	enum pk_status rc;
	st->ctx[L] = C_IGNORE;
	switch (st->ctx[L - 1]) {
	case C_ROOT:
		return on_root(st, d, ev, key, kn, s, n, L);
	case C_STATS:       /* kept whole in statistics: wrong types ignored */
		f = pk_jfield_find(stat_fields, N(stat_fields), key, kn);
		return f ? pk_jrow_set(&st->ses, d, f, ev, s, n, -1) : PK_OK;
	case C_MODULES:
		if (ev != PK_JEV_MAP)
			return pk_jreader_bad_element(&st->r, ev, L);
		st->ctx[L] = C_MODULE;
		pk_jrow_reset(&st->mod, &module_table, 11);
		st->mod.line = pk_jdoc_line(d);
		return pk_jrow_text(&st->mod, 1, key, kn);
	case C_MODULE:
		if (pk_jkey_is(key, kn, "module_name") && ev == PK_JEV_STRING &&
		    st->mod.v[1].n == n && memcmp(st->mod.text.data, s, n) == 0)
			return PK_OK;       /* the same as its key */
		f = pk_jfield_find(module_fields, N(module_fields), key, kn);
		return f ? pk_jrow_set(&st->mod, d, f, ev, s, n, 2)
		         : pk_jdoc_keep(d, &st->mod.extra, 2);
	case C_SAMPLES:
		if (ev != PK_JEV_MAP)
			return pk_jreader_bad_element(&st->r, ev, L);
		st->ctx[L] = C_SAMPLE;
		pk_jrow_reset(&st->smp, &sample_table, -1);
		st->smp.line = pk_jdoc_line(d);
		st->have_ts = 0;
		pk_buf_reset(&st->ts);
		pk_buf_reset(&st->smp.json[0]);
		st->smp.json_col[0] = 2;
		return pk_jdoc_capture(d, &st->smp.json[0], PK_JDOC_KEEP_MAX, &st->smp.json_ok[0]);
	case C_SAMPLE:
		if (pk_jkey_is(key, kn, "timestamp") && (ev == PK_JEV_STRING || ev == PK_JEV_NUMBER)) {
			pk_buf_reset(&st->ts);
			if ((rc = pk_buf_append(&st->ts, s, n)) != PK_OK)
				return rc;
			st->have_ts = 1;
		} else if (ev == PK_JEV_MAP || ev == PK_JEV_ARRAY) {
			pk_jdoc_skip(d);    /* inside the sample: only its JSON */
		}
		return PK_OK;
	default:
		return PK_OK;
	}
}

static enum pk_status end_sample(struct ses_state *st)
{
	struct pk_jrow *r = &st->smp;
	const char *why = NULL;
	int64_t ts;
	if (!st->have_ts)
		why = "no timestamp: sample not stored";
	else if (pk_time_parse_any(st->ts.data, st->ts.len, &ts, &why) != PK_OK)
		why = why ? why : "bad timestamp";
	else if (!r->json_ok[0])
		why = "sample larger than 16 MiB: not stored";
	if (why) {
		struct pk_buf m = PK_BUF_INIT;
		if (st->have_ts && !strstr(why, "stored"))
			pk_buf_printf(&m, "timestamp: %s: sample not stored", why);
		else
			pk_buf_puts(&m, why);
		enum pk_status rc = pk_jreader_reject_at(&st->r, r->line, m.data ? m.data : why,
		                                         r->json[0].data, r->json[0].len);
		pk_buf_free(&m);
		return rc;
	}
	r->v[1] = pk_v_int(ts);
	enum pk_status rc = pk_jrow_done(r);
	if (rc == PK_OK)
		rc = pk_jreader_emit(&st->r, r);
	st->r.kept++;
	return rc;
}

static enum pk_status on_end(struct ses_state *st, int L)
{
	enum pk_status rc = pk_jreader_end(&st->r, L);
	if (rc != PK_OK)
		return rc;
	switch (st->ctx[L]) {
	case C_MODULE:
		if ((rc = pk_jrow_done(&st->mod)) != PK_OK ||
		    (rc = pk_jreader_report_lost(&st->r, &st->mod)) != PK_OK)
			return rc;
		st->r.kept++;
		return pk_jreader_emit(&st->r, &st->mod);
	case C_SAMPLE:
		return end_sample(st);
	default:
		return PK_OK;
	}
}

static enum pk_status ses_event(void *ctx, struct pk_jdoc *d, enum pk_jev ev,
                                const char *s, size_t n)
{
	struct ses_state *st = ctx;
	int L = pk_jdoc_depth(d);
	if (ev == PK_JEV_END)
		return on_end(st, L);
	if (L == 0) {
		if (ev != PK_JEV_MAP)
			return pk_jdoc_fail(d, "expected a JSON object (a session profile)");
		st->ctx[0] = C_ROOT;
		st->ses.line = pk_jdoc_line(d);
		return PK_OK;
	}
	return on_value(st, d, ev, s, n, L);
}

static void ses_close(void *state)
{
	struct ses_state *st = state;
	if (!st)
		return;
	pk_jreader_free(&st->r);
	pk_jrow_free(&st->ses);
	pk_jrow_free(&st->mod);
	pk_jrow_free(&st->smp);
	pk_buf_free(&st->ts);
	free(st);
}

static void *ses_open(struct pk_sink *sink)
{
	struct ses_state *st = calloc(1, sizeof *st);
	if (!st)
		return NULL;
	if (pk_jreader_init(&st->r, sink, &names, ses_event, st) != PK_OK) {
		free(st);
		return NULL;
	}
	pk_jrow_reset(&st->ses, &session_table, 16);
	st->ses.line = 1;
	return st;
}

static enum pk_status ses_chunk(void *state, struct pk_sink *sink, const char *p, size_t n)
{
	struct ses_state *st = state;
	return pk_jreader_chunk(&st->r, sink, p, n);
}

static enum pk_status ses_finish(void *state, struct pk_sink *sink)
{
	struct ses_state *st = state;
	return pk_jreader_finish(&st->r, sink, &st->ses);
}

/* A JSON object with "session_id" and "module_profiles" or
 * "profiler_state" in its head. */
static int ses_detect(const char *base, const char *head, size_t n)
{
	(void)base;
	size_t i = pk_json_skip_space(head, 0, n);
	return i < n && head[i] == '{' && memmem(head, n, "\"session_id\"", 12) &&
	       (memmem(head, n, "\"module_profiles\"", 17) ||
	        memmem(head, n, "\"profiler_state\"", 16));
}

const struct pk_reader pk_reader_session_json = {
	.name = "session_json",
	.description = "F6 app session profile, one JSON document (perf/samples/<session_id>.json)",
	.detect = ses_detect,
	.open = ses_open,
	.close = ses_close,
	.chunk = ses_chunk,
	.finish = ses_finish,
};
