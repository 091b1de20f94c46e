/* read_generic.c - format F8, generic timestamped records (perfingest
 * --format generic --source NAME FILE): JSONL (one object a line) or CSV
 * (a header, then rows; the CSV engine, engines/csv_records.c), chosen by the file's first non-blank byte
 * ('{': JSONL).  Each record needs a time: the first present of the keys
 * timestamp, time, ts, iso_ts, datetime (ISO-8601, or epoch seconds as a
 * number or string).  The whole record is kept as JSON in generic_record
 * (CSV: an object of header -> text), one row a record; its numbers go with
 * it to the sink (pk_sink_generic) for the columnar copy generic_chunk,
 * taken by the one rule that a rebuild of the copy from the stored JSON uses
 * too (core/generic_rule.h: dotted paths, arrays path.INDEX, the time key
 * left out, number-like strings of a CSV record), fed as the record is read.
 * A missing number (null, NaN, Infinity, 1e999, an empty CSV cell) has no
 * value; the record keeps it.  Never detected: only --format generic. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yajl/yajl_parse.h>

#include "../../core/buf.h"
#include "../../core/generic_rule.h"
#include "../../core/hash.h"
#include "../../core/json_write.h"
#include "../../core/number.h"
#include "../../core/table.h"
#include "../../core/timeutil.h"
#include "../../core/utf8.h"
#include "../pipeline/ingest.h"
#include "../engines/csv_records.h"
#include "../engines/json_error.h"
#include "../engines/json_nan.h"
#include "../pipeline/reader.h"
#include "../pipeline/sink.h"

#define SOURCE_MAX 256
#define NTIME_KEYS PK_GENERIC_NTIME_KEYS
#define time_keys pk_generic_time_keys

static const struct pk_column record_cols[] = {
	{ "source", PK_COL_TEXT }, { "ts_us", PK_COL_TIME }, { "record", PK_COL_JSON },
};
static const struct pk_table record_table = { "generic_record", record_cols, 3, 0 };

enum mode { M_UNKNOWN, M_JSONL, M_CSV };
enum tkind { T_NONE, T_STRING, T_NUMBER, T_OTHER };

struct gen_state {
	enum mode mode;
	int started;                 /* a line has been seen */
	struct pk_buf source;
	const char *source_problem;  /* every line is rejected with this */
	struct pk_buf msg;
	struct pk_generic_rule rule; /* the record's metric values */
	/* JSONL */
	struct pk_buf tval, nanfix;
	int depth;
	int pending_time;            /* time key of the value to come, or -1 */
	int time_prio;               /* best time key seen, NTIME_KEYS: none */
	enum tkind time_kind;
	struct pk_generic_value *gv; /* the record's values, for the sink (names */
	size_t ngv, gvcap;           /* in the rule's buffer) */
	struct pk_sink *sink;
	const char *fail;
	int nomem;
	/* CSV */
	void *csv;                   /* the CSV engine */
	const struct pk_csv_record *r;  /* the record being read */
	int have_header, header_bad;
	int64_t header_line;
	char **hname;
	size_t nh;
	long time_col;               /* -1: the header has no time column */
	struct pk_buf rec;           /* CSV record as JSON */
};

static void free_header(struct gen_state *st)
{
	for (size_t i = 0; i < st->nh; i++)
		free(st->hname[i]);
	free(st->hname);
	st->hname = NULL;
	st->nh = 0;
}

static void gen_close(void *state)
{
	struct gen_state *st = state;
	if (!st)
		return;
	pk_csv_records_close(st->csv);
	free_header(st);
	struct pk_buf *bufs[] = { &st->source, &st->msg, &st->tval,
	                          &st->nanfix, &st->rec };
	for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
		pk_buf_free(bufs[i]);
	if (st->sink)
		pk_sink_generic_end(st->sink);  /* the writer writes generic_chunk */
	pk_generic_rule_free(&st->rule);
	free(st->gv);
	free(st);
}

/* The source of the file shown as display: --source, or the file's base
 * name without its extension (*p, *n); its problem, or NULL. */
static const char *source_name(const struct pk_ingest_opts *o, const char *display,
                               const char **pp, size_t *pn)
{
	const char *p = o ? o->source_name : NULL;
	size_t n;
	if (p) {
		n = strlen(p);
	} else {
		const char *d = display ? display : "";
		const char *slash = strrchr(d, '/');
		p = slash ? slash + 1 : d;
		const char *dot = strrchr(p, '.');
		n = dot && dot != p ? (size_t)(dot - p) : strlen(p);
	}
	*pp = p;
	*pn = n;
	if (n == 0)
		return "source name is empty (give --source NAME)";
	if (n > SOURCE_MAX)
		return "source name longer than 256 bytes";
	if (!pk_utf8_valid(p, n))
		return "source name is not valid UTF-8";
	if (pk_utf8_has_control(p, n))
		return "source name contains control characters";
	return NULL;
}

/* A bad source name is the command's problem, not the file's: the file is
 * left unread, so that the command run again with a good --source reads it. */
static const char *gen_refuse(const struct pk_ingest_opts *o, const char *display)
{
	const char *p;
	size_t n;
	return source_name(o, display, &p, &n);
}

static const char *set_source(struct gen_state *st, struct pk_sink *sink)
{
	const char *p;
	size_t n;
	const char *why = source_name(sink->opts, sink->display, &p, &n);
	if (pk_buf_append(&st->source, p, n) != PK_OK || pk_buf_putc(&st->source, '\0') != PK_OK)
		return "out of memory";
	st->source.len = n;
	return why;
}

static const struct pk_csv_dialect gen_dialect;

static void *gen_open(struct pk_sink *sink)
{
	struct gen_state *st = calloc(1, sizeof *st);
	if (!st)
		return NULL;
	st->sink = sink;
	st->source_problem = set_source(st, sink);
	st->time_col = -1;
	st->csv = pk_csv_records_open(&gen_dialect, st);
	if (!st->csv || (st->source_problem && strcmp(st->source_problem, "out of memory") == 0)) {
		gen_close(st);
		return NULL;
	}
	return st;
}

/* ---- output ---------------------------------------------------------- */

/* pk_generic_rule_finish's callback: one metric value of the record (its
 * name stays in the rule's buffer until the next record). */
static int add_metric(void *ctx, const char *p, size_t n, double v)
{
	struct gen_state *st = ctx;
	if (st->ngv == st->gvcap) {
		size_t cap = st->gvcap ? st->gvcap * 2 : 64;
		struct pk_generic_value *gv = realloc(st->gv, cap * sizeof *gv);
		if (!gv)
			return 1;
		st->gv = gv;
		st->gvcap = cap;
	}
	st->gv[st->ngv++] = (struct pk_generic_value){ p, n, v };
	return 0;
}

/* The record (its JSON as stored) and its values. */
static enum pk_status emit(struct gen_state *st, struct pk_sink *sink, int64_t line,
                           int64_t ts, const char *rec, size_t n)
{
	struct pk_value v[3] = { pk_v_text(st->source.data, st->source.len), pk_v_int(ts),
	                         pk_v_text(rec, n) };
	st->ngv = 0;
	enum pk_status rc = pk_generic_rule_finish(&st->rule, add_metric, st);
	return rc != PK_OK ? rc : pk_sink_generic(sink, &record_table, line, v, st->gv, st->ngv);
}

/* Parses the time text of key k; on failure *why names the problem. */
static int parse_time(struct gen_state *st, int k, const char *p, size_t n, int64_t *ts)
{
	const char *why = NULL;
	if (n == 0) {
		why = "is empty";
	} else if (pk_time_parse_any(p, n, ts, &why) == PK_OK) {
		return 1;
	}
	pk_buf_reset(&st->msg);
	pk_buf_printf(&st->msg, "time field '%s': %s", time_keys[k],
	              why ? why : "not an ISO-8601 time or epoch seconds");
	return 0;
}

/* ---- JSONL ----------------------------------------------------------- */

static int jfail(struct gen_state *st, const char *why)
{
	st->fail = why;
	return 0;
}

static int jok(struct gen_state *st, enum pk_status rc)
{
	if (rc != PK_OK)
		st->nomem = 1;
	return rc == PK_OK;
}

/* A rule event's result: 0 is out of memory. */
static int rok(struct gen_state *st, int ok)
{
	if (!ok)
		st->nomem = 1;
	return ok;
}

/* The time key the value now starting belongs to, or -1. */
static int value_start(struct gen_state *st)
{
	int k = st->pending_time;
	st->pending_time = -1;
	return k;
}

static int time_value(struct gen_state *st, int k, enum tkind kind, const char *s, size_t n)
{
	if (k < 0 || k >= st->time_prio)
		return 1;
	st->time_prio = k;
	st->time_kind = kind;
	pk_buf_reset(&st->tval);
	return jok(st, pk_buf_append(&st->tval, s, n));
}

static int top_value(struct gen_state *st, int what)
{
	static const char *const msgs[] = {
		"expected a JSON object, got null", "expected a JSON object, got a boolean",
		"expected a JSON object, got a number", "expected a JSON object, got a string",
		"expected a JSON object, got an array"
	};
	return jfail(st, msgs[what]);
}

static int cb_null(void *ctx)
{
	struct gen_state *st = ctx;
	if (st->depth == 0)
		return top_value(st, 0);
	return time_value(st, value_start(st), T_OTHER, "", 0) &&
	       rok(st, pk_generic_rule_other(&st->rule));
}

static int cb_bool(void *ctx, int b)
{
	struct gen_state *st = ctx;
	(void)b;
	if (st->depth == 0)
		return top_value(st, 1);
	return time_value(st, value_start(st), T_OTHER, "", 0) &&
	       rok(st, pk_generic_rule_other(&st->rule));
}

static int cb_number(void *ctx, const char *s, size_t n)
{
	struct gen_state *st = ctx;
	if (st->depth == 0)
		return top_value(st, 2);
	return time_value(st, value_start(st), T_NUMBER, s, n) &&
	       rok(st, pk_generic_rule_number(&st->rule, s, n));
}

static int cb_string(void *ctx, const unsigned char *s, size_t n)
{
	struct gen_state *st = ctx;
	if (st->depth == 0)
		return top_value(st, 3);
	return time_value(st, value_start(st), T_STRING, (const char *)s, n) &&
	       rok(st, pk_generic_rule_string(&st->rule, (const char *)s, n));
}

static int start_container(struct gen_state *st, int is_array)
{
	if (st->depth == 0 && is_array)
		return top_value(st, 4);
	int k = st->depth ? value_start(st) : -1;
	if (!time_value(st, k, T_OTHER, "", 0))
		return 0;
	if (st->depth >= PK_GENERIC_MAX_DEPTH)
		return jfail(st, "JSON nested deeper than 64 levels");
	if (!rok(st, pk_generic_rule_start(&st->rule, is_array)))
		return 0;
	st->depth++;
	return 1;
}

static int cb_start_map(void *ctx) { return start_container(ctx, 0); }
static int cb_start_array(void *ctx) { return start_container(ctx, 1); }

static int cb_end(void *ctx)
{
	struct gen_state *st = ctx;
	st->depth--;
	return pk_generic_rule_end(&st->rule);
}

static int cb_map_key(void *ctx, const unsigned char *s, size_t n)
{
	struct gen_state *st = ctx;
	if (!rok(st, pk_generic_rule_key(&st->rule, (const char *)s, n)))
		return 0;
	st->pending_time = -1;
	if (st->depth == 1)
		for (int k = 0; k < NTIME_KEYS; k++)
			if (strlen(time_keys[k]) == n && memcmp(time_keys[k], s, n) == 0)
				st->pending_time = k;
	return 1;
}

static const yajl_callbacks callbacks = {
	cb_null, cb_bool, NULL, NULL, cb_number, cb_string,
	cb_start_map, cb_map_key, cb_end, cb_start_array, cb_end
};

/* 1 parsed, 0 invalid (st->msg, *col), -1 out of memory. */
static int parse_json(struct gen_state *st, const char *p, size_t n, int64_t *col)
{
	st->depth = 0;
	pk_generic_rule_begin(&st->rule);
	st->pending_time = -1;
	st->time_prio = NTIME_KEYS;
	st->time_kind = T_NONE;
	st->fail = NULL;
	st->nomem = 0;
	const struct pk_json_line_state ls = { &st->fail, &st->nomem, NULL };
	return pk_json_parse_line(&callbacks, st, &ls, p, n, &st->msg, col);
}

static enum pk_status jsonl_line(struct gen_state *st, struct pk_sink *sink,
                                 const char *p, size_t n, int64_t lineno)
{
	int64_t col = 0;
	const char *rec = p;
	size_t rlen = n;
	int res = parse_json(st, p, n, &col);
	if (res == 0 && !st->fail) {
		/* NaN / Infinity (Python's json.dumps) mean missing: read as null */
		long fixed = pk_json_nan_to_null(p, n, &st->nanfix);
		if (fixed < 0)
			return PK_ERR_NOMEM;
		if (fixed > 0) {
			struct pk_buf first = st->msg;  /* the first parse's reason */
			st->msg = (struct pk_buf)PK_BUF_INIT;
			int64_t c2;
			res = parse_json(st, st->nanfix.data, st->nanfix.len, &c2);
			if (res == 1) {
				rec = st->nanfix.data;
				rlen = st->nanfix.len;
			}
			if (res == 0 && st->fail) {
				col = 0;        /* a shape or depth problem: its reason */
			} else {
				pk_buf_free(&st->msg);
				st->msg = first;
				first = (struct pk_buf)PK_BUF_INIT;
			}
			pk_buf_free(&first);
		}
	}
	if (res < 0)
		return PK_ERR_NOMEM;
	if (res == 0)
		return pk_sink_reject(sink, lineno, col, st->msg.data ? st->msg.data : "invalid JSON",
		                      p, n);
	if (st->time_prio == NTIME_KEYS)
		return pk_sink_reject(sink, lineno, 0,
		                      "no time field (timestamp, time, ts, iso_ts or datetime)", p, n);
	int k = st->time_prio;
	int64_t ts;
	if (st->time_kind == T_OTHER) {
		pk_buf_reset(&st->msg);
		pk_buf_printf(&st->msg, "time field '%s': expected a string or a number",
		              time_keys[k]);
		return pk_sink_reject(sink, lineno, 0, st->msg.data, p, n);
	}
	if (!parse_time(st, k, st->tval.data, st->tval.len, &ts))
		return pk_sink_reject(sink, lineno, 0, st->msg.data, p, n);
	return emit(st, sink, lineno, ts, rec, rlen);
}

/* ---- CSV ------------------------------------------------------------- */

static const char *field(const struct gen_state *st, size_t i, size_t *n)
{
	return pk_csv_rec_field(st->r, i, n);
}

/* An open-addressing set of the header's names (indexes into hname), so a
 * header of a million columns is checked for repeats in linear time. */
struct name_set {
	size_t *slot;   /* index + 1; 0 empty */
	size_t mask;
};

static size_t *name_slot(struct name_set *ns, char **hname, const char *p, size_t n)
{
	size_t i = (size_t)pk_fnv1a(PK_FNV_INIT, p, n) & ns->mask;
	while (ns->slot[i]) {
		const char *h = hname[ns->slot[i] - 1];
		if (strncmp(h, p, n) == 0 && h[n] == '\0')
			break;
		i = (i + 1) & ns->mask;
	}
	return &ns->slot[i];
}

/* The fields of the finished record become the header. */
static enum pk_status set_header(struct gen_state *st, struct pk_sink *sink, int64_t line)
{
	free_header(st);
	st->have_header = 1;
	st->header_bad = 0;
	st->header_line = line;
	st->time_col = -1;
	if (!(st->hname = calloc(st->r->n ? st->r->n : 1, sizeof *st->hname)))
		return PK_ERR_NOMEM;
	struct name_set ns = { NULL, 15 };
	while (ns.mask / 2 < st->r->n)
		ns.mask = ns.mask * 2 + 1;
	if (!(ns.slot = calloc(ns.mask + 1, sizeof *ns.slot)))
		return PK_ERR_NOMEM;
	enum pk_status rc = PK_OK;
	int best = NTIME_KEYS;
	for (size_t i = 0; i < st->r->n; i++) {
		size_t n;
		const char *p = field(st, i, &n);
		if (!pk_utf8_valid(p, n)) {
			st->header_bad = 1;
			pk_buf_reset(&st->msg);
			pk_buf_printf(&st->msg, "CSV header: column %zu is not valid UTF-8", i + 1);
			rc = sink ? pk_sink_reject(sink, line, 0, st->msg.data, st->r->raw,
			                           st->r->raw_len) : PK_OK;
			break;
		}
		if (n && !memchr(p, '\0', n) && *name_slot(&ns, st->hname, p, n))
			n = 0;          /* a repeated name: named by its column */
		char tmp[32];
		if (n == 0 || memchr(p, '\0', n)) {
			n = (size_t)snprintf(tmp, sizeof tmp, "column_%zu", i + 1);
			p = tmp;
		}
		if (!(st->hname[i] = strndup(p, n))) {
			rc = PK_ERR_NOMEM;
			break;
		}
		st->nh++;
		size_t *slot = name_slot(&ns, st->hname, p, n);
		if (!*slot)
			*slot = i + 1;
		for (int k = 0; k < best; k++)
			if (strcmp(st->hname[i], time_keys[k]) == 0) {
				best = k;
				st->time_col = (long)i;
			}
	}
	free(ns.slot);
	return rc;
}

static enum pk_status csv_record(struct gen_state *st, struct pk_sink *sink, int64_t line)
{
	const char *raw = st->r->raw;
	if (!st->have_header)
		return set_header(st, sink, line);
	if (st->header_bad) {
		pk_buf_reset(&st->msg);
		pk_buf_printf(&st->msg, "no usable CSV header (line %lld)", (long long)st->header_line);
		return pk_sink_reject(sink, line, 0, st->msg.data, raw, st->r->raw_len);
	}
	if (st->time_col < 0)
		return pk_sink_reject(sink, line, 0, "the CSV header has no time column "
		                      "(timestamp, time, ts, iso_ts or datetime)", raw, st->r->raw_len);
	if ((size_t)st->time_col >= st->r->n) {
		pk_buf_reset(&st->msg);
		pk_buf_printf(&st->msg, "time field '%s': missing (row has %zu fields)",
		              st->hname[st->time_col], st->r->n);
		return pk_sink_reject(sink, line, 0, st->msg.data, raw, st->r->raw_len);
	}
	pk_buf_reset(&st->rec);
	enum pk_status rc = PK_OK;
	/* the rule sees the record as its JSON reads: a map of name -> text */
	pk_generic_rule_begin(&st->rule);
	pk_generic_rule_start(&st->rule, 0);
	for (size_t i = 0; i < st->r->n && rc == PK_OK; i++) {
		size_t n;
		const char *p = field(st, i, &n);
		if (!pk_utf8_valid(p, n)) {
			pk_buf_reset(&st->msg);
			pk_buf_printf(&st->msg, "column %zu is not valid UTF-8", i + 1);
			return pk_sink_reject(sink, line, 0, st->msg.data, raw, st->r->raw_len);
		}
		char tmp[32];
		const char *name = i < st->nh ? st->hname[i] : tmp;
		if (i >= st->nh)
			snprintf(tmp, sizeof tmp, "column_%zu", i + 1);
		rc = pk_buf_putc(&st->rec, i ? ',' : '{');
		if (rc == PK_OK) rc = pk_json_string(&st->rec, name, strlen(name));
		if (rc == PK_OK) rc = pk_buf_putc(&st->rec, ':');
		if (rc == PK_OK) rc = pk_json_string(&st->rec, p, n);
		pk_generic_rule_key(&st->rule, name, strlen(name));
		pk_generic_rule_string(&st->rule, p, n);
	}
	pk_generic_rule_end(&st->rule);
	if (rc == PK_OK)
		rc = pk_buf_puts(&st->rec, st->r->n ? "}" : "{}");
	if (rc != PK_OK)
		return rc;
	size_t tn;
	const char *tp = field(st, (size_t)st->time_col, &tn);
	int64_t ts;
	int k = 0;
	while (k < NTIME_KEYS - 1 && strcmp(time_keys[k], st->hname[st->time_col]) != 0)
		k++;
	if (!parse_time(st, k, tp, tn, &ts))
		return pk_sink_reject(sink, line, 0, st->msg.data, raw, st->r->raw_len);
	return emit(st, sink, line, ts, st->rec.data, st->rec.len);
}

static enum pk_status gen_csv_record(void *ctx, struct pk_sink *sink,
                                     const struct pk_csv_record *r)
{
	struct gen_state *st = ctx;
	st->r = r;
	return csv_record(st, sink, r->lineno);
}

static enum pk_status gen_csv_fault(void *ctx, struct pk_sink *sink,
                                    const struct pk_csv_fault *f)
{
	(void)ctx;
	return pk_sink_reject(sink, f->lineno, 0, f->kind == PK_CSV_FAULT_QUOTE
	                      ? "CSV: malformed quoting (a quote inside an unquoted field, "
	                        "or text after a closing quote)"
	                      : "CSV: quoted field not closed within 1000 lines "
	                        "(unbalanced quote)", f->raw, f->raw_len);
}

/* blanks around unquoted fields are not data (libcsv's default) */
static const struct pk_csv_dialect gen_dialect = {
	.trim = 1, .record = gen_csv_record, .fault = gen_csv_fault
};

static int gen_in_record(void *state)
{
	const struct gen_state *st = state;
	return st->csv && pk_csv_records_in_record(st->csv);
}

/* ---- the file's head, for a file read on from an offset -------------- */

static enum pk_status head_record(void *ctx, struct pk_sink *sink,
                                  const struct pk_csv_record *r)
{
	struct gen_state *st = ctx;
	(void)sink;
	if (st->have_header)
		return PK_OK;   /* only the first record is the header */
	st->r = r;
	return set_header(st, NULL, r->lineno);
}

static enum pk_status head_fault(void *ctx, struct pk_sink *sink, const struct pk_csv_fault *f)
{
	(void)ctx;
	(void)sink;
	(void)f;
	return PK_OK;   /* no header: said by reread_head */
}

static const struct pk_csv_dialect head_dialect = {
	.trim = 1, .record = head_record, .fault = head_fault
};

/* The first record of the CSV text p (n bytes, line `line` first), read by
 * the CSV engine, becomes the header.  NULL, or why not. */
static const char *head_header(struct gen_state *st, const char *p, size_t n, int64_t line)
{
	void *csv = pk_csv_records_open(&head_dialect, st);
	if (!csv)
		return "out of memory";
	free_header(st);
	st->have_header = 0;
	enum pk_status rc = PK_OK;
	const char *nl;
	/* whole lines only: a header cut short is no header */
	while (rc == PK_OK && !st->have_header && (nl = memchr(p, '\n', n)) != NULL) {
		size_t len = (size_t)(nl - p);
		rc = pk_csv_records_line(csv, NULL, p, len, line++);
		p += len + 1;
		n -= len + 1;
	}
	pk_csv_records_close(csv);
	if (rc == PK_ERR_NOMEM)
		return "out of memory";
	return st->have_header && rc == PK_OK ? NULL
	       : "CSV header not available: it could not be read again";
}

/* Decides from the head h (n bytes) of the file: the mode and, for CSV, the
 * header (*hline its line).  1 decided (*why NULL or the reason), 0 more
 * of the head is needed. */
static int decide_head(struct gen_state *st, const char *h, size_t n, int at_end,
                       int64_t *hline, const char **why)
{
	size_t i = n >= 3 && memcmp(h, "\xef\xbb\xbf", 3) == 0 ? 3 : 0, start = i;
	int64_t line = 1;
	for (; i < n; i++) {
		if (h[i] == '\n') {
			line++;
			start = i + 1;
		} else if (h[i] != ' ' && h[i] != '\t' && h[i] != '\r') {
			break;
		}
	}
	*why = NULL;
	if (i == n) {
		*why = "CSV header not available: no header line";
		return at_end;
	}
	if (h[i] == '{') {
		st->mode = M_JSONL;
		return 1;
	}
	*why = head_header(st, h + start, n - start, line);
	if (*why && !at_end && strcmp(*why, "out of memory") != 0)
		return 0;
	st->mode = M_CSV;
	*hline = *why ? 0 : line;
	return 1;
}

/* Reads the file's first non-blank line(s): sets the mode and, for CSV, the
 * header.  *hline gets the header's line (0 when unknown).  Returns a
 * reason when the file cannot be read again (NULL: done). */
static const char *reread_head(struct gen_state *st, struct pk_sink *sink, int64_t *hline)
{
	*hline = 0;
	int fd = sink->display ? open(sink->display, O_RDONLY | O_CLOEXEC) : -1;
	if (fd < 0)
		return "CSV header not available: the file cannot be opened again";
	/* read in growing pieces, each time trying the whole head again: linear
	 * in the header's size, and a header is at most one line's limit */
	struct pk_buf head = PK_BUF_INIT;
	size_t want = 65536;
	const char *why = "out of memory";
	for (;;) {
		int at_end = head.len > PK_MAX_LINE;
		if (!at_end) {
			if (pk_buf_reserve(&head, want) != PK_OK)
				break;
			ssize_t r = pread(fd, head.data + head.len, want, (off_t)head.len);
			if (r < 0 && errno == EINTR)
				continue;
			at_end = r <= 0 || (size_t)r < want;
			head.len += r > 0 ? (size_t)r : 0;
			want = head.len;
		}
		if (decide_head(st, head.data ? head.data : "", head.len, at_end, hline, &why))
			break;
	}
	close(fd);
	pk_buf_free(&head);
	return why;
}

static enum pk_status gen_line(void *state, struct pk_sink *sink,
                               const char *p, size_t n, int64_t lineno)
{
	struct gen_state *st = state;
	if (!st->started) {
		st->started = 1;
		size_t i = 0;
		while (i < n && (p[i] == ' ' || p[i] == '\t'))
			i++;
		int brace = i < n && p[i] == '{';
		const char *why = NULL;
		int64_t hline = 0;
		if (lineno > 1 && !st->source_problem) {
			/* read on from an offset: the mode and header come from the head */
			why = reread_head(st, sink, &hline);
			if (why && strcmp(why, "out of memory") == 0)
				return PK_ERR_NOMEM;
		}
		if (st->mode == M_UNKNOWN)
			st->mode = brace ? M_JSONL : M_CSV;
		if (st->mode == M_CSV && hline == lineno) {
			free_header(st);
			st->have_header = 0;      /* this line is the header itself */
		} else if (st->mode == M_CSV && why) {
			st->source_problem = why;
		}
	}
	if (st->source_problem)
		return pk_sink_reject(sink, lineno, 0, st->source_problem, p, n);
	return st->mode == M_JSONL ? jsonl_line(st, sink, p, n, lineno)
	                           : pk_csv_records_line(st->csv, sink, p, n, lineno);
}

/* Never claims a file: generic records are read only with --format generic. */
static int gen_detect(const char *base, const char *head, size_t n)
{
	(void)base;
	(void)head;
	(void)n;
	return 0;
}

const struct pk_reader pk_reader_generic = {
	.name = "generic",
	.description = "F8 generic timestamped records, JSONL or CSV (--format generic --source NAME)",
	.detect = gen_detect,
	.refuse = gen_refuse,
	.open = gen_open,
	.line = gen_line,
	.close = gen_close,
	.in_record = gen_in_record,
};
