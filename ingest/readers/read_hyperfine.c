/* read_hyperfine.c - format F7, hyperfine --export-json results: one
 * benchmark run per file, read as a whole document through the
 * JSON-document engine's events (json_doc.h; no tree; chunk by chunk).  The suite is --suite NAME, else the file's
 * base name without .json (so CI jobs writing one file per run name their
 * suite with --suite and each file is one run of it); the run time is --run-time, else the file's modification time (the
 * file holds no date); host ''.  Rows: bench_run (tool 'hyperfine'), a
 * bench_result per results[] entry (name = command, newlines and tabs kept,
 * and with --parameter-scan/-L its parameters by name: "make (cc=gcc, opt=2)",
 * so each value is one series whatever the order of the values; unit 's',
 * direction 'lower'; n = len(times)), a bench_value per element of times[]
 * with exit_codes[seq].  parameters and unknown fields are kept in `extra`.
 * A run is suite, run time, host and the digest of its document (FNV-1a 64,
 * hex): another file of the same name and time with other results is
 * another run, the same file read again the same run.  The rows wait in a
 * spool (json_rows.h) until the last byte gives the digest. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/buf.h"
#include "../../core/hash.h"
#include "../../core/json_write.h"
#include "../../core/number.h"
#include "../../core/table.h"
#include "../../core/utf8.h"
#include "../pipeline/ingest.h"
#include "hyperfine_head.h"
#include "../engines/json_doc.h"
#include "../engines/json_rows.h"
#include "bench_tables.h"
#include "../pipeline/reader.h"
#include "../pipeline/sink.h"

#define MAX_DEPTH 64
#define SUITE_MAX 256


/* the statistics of a result, in bench_result's column order from mean */
enum { S_MEAN, S_STDDEV, S_MEDIAN, S_MIN, S_MAX, S_USER, S_SYSTEM, NSTATS };
static const char *const stat_keys[NSTATS] = {
	"mean", "stddev", "median", "min", "max", "user", "system"
};

/* where the value now starting goes */
enum slot {
	K_NONE, K_RESULTS, K_COMMAND, K_STAT, K_TIMES, K_CODES, K_EXTRA_RUN, K_EXTRA_RES
};
enum where { W_TOP, W_RESULTS, W_RESULT, W_TIMES, W_CODES };

struct hf_state {
	struct pk_jdoc *doc;
	struct pk_sink *sink;
	struct pk_buf suite;
	int64_t run_us;
	uint64_t digest;            /* FNV-1a of the document so far */
	struct pk_row_spool *spool; /* the result and value rows, until the digest */
	const char *chunk;          /* the bytes being parsed, or NULL */
	size_t chunk_len, at;       /* and the place after the current token */
	int64_t line;               /* line of the next chunk's first byte */
	int started, depth;
	unsigned char is_array[PK_JDOC_MAX_DEPTH + 2];   /* of the open containers */
	enum where where;
	enum slot pending;
	int stat;                   /* K_STAT: which */
	/* capturing a value into extra (buf) or skipping it (buf NULL) */
	int capturing;
	struct pk_buf *cap_buf;
	int cap_depth, cap_after_key;
	unsigned char cap_first[MAX_DEPTH + 2];
	/* the run */
	int have_results;
	struct pk_buf run_extra;
	/* the result being read */
	int in_result;
	int64_t res_line, res_index;
	struct pk_buf command, res_extra;
	int have_command;
	double stats[NSTATS];
	double *times;
	int64_t *codes;
	unsigned char *code_ok;
	size_t ntimes, tcap, ncodes, ccap;
	/* the result's parameters (--parameter-scan, -L): key and value text
	 * in pbytes, for its name */
	int in_params;              /* capturing its "parameters" object */
	struct hf_param { size_t k, kn, v, vn; int has_value; } *params;
	size_t nparams, pcap;
	struct pk_buf pbytes;
	char **names;               /* names already stored */
	size_t nnames;
	struct pk_buf msg, name, key;
	struct pk_buf tail;         /* the last line of text read, and its line */
	int64_t tail_line;
	const char *fail;
	enum pk_status err;         /* a sink or memory failure in a callback */
};

static void hf_close(void *state)
{
	struct hf_state *st = state;
	if (!st)
		return;
	pk_jdoc_free(&st->doc);
	pk_row_spool_free(&st->spool);
	struct pk_buf *bufs[] = { &st->suite, &st->run_extra, &st->command, &st->res_extra,
	                          &st->msg, &st->name, &st->key,
	                          &st->tail, &st->pbytes };
	for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
		pk_buf_free(bufs[i]);
	for (size_t i = 0; i < st->nnames; i++)
		free(st->names[i]);
	free(st->names);
	free(st->params);
	free(st->times);
	free(st->codes);
	free(st->code_ok);
	free(st);
}

/* ---- positions and rejects ------------------------------------------- */

static int64_t line_now(struct hf_state *st)
{
	return st->chunk ? pk_jdoc_line(st->doc) : st->line;
}

static int step(struct hf_state *st, enum pk_status rc)
{
	if (rc != PK_OK && st->err == PK_OK)
		st->err = rc;
	return rc == PK_OK;
}

/* Rejects line with reason; raw is the text of the line being parsed. */
static int reject_at(struct hf_state *st, int64_t line, const char *reason)
{
	const char *raw = "";
	size_t n = 0;
	if (st->chunk) {
		size_t start = st->at, end = st->at;
		while (start > 0 && st->chunk[start - 1] != '\n')
			start--;
		while (end < st->chunk_len && st->chunk[end] != '\n')
			end++;
		raw = st->chunk + start;
		n = end - start;
	} else if (st->tail.len) {
		raw = st->tail.data;
		n = st->tail.len;
	}
	return step(st, pk_sink_reject(st->sink, line, 0, reason, raw, n));
}

static int reject_here(struct hf_state *st, const char *reason)
{
	return reject_at(st, line_now(st), reason);
}

static const char *const kind_names[] = {
	"null", "a boolean", "a number", "a string", "an object", "an array"
};
enum { V_NULL, V_BOOL, V_NUMBER, V_STRING, V_MAP, V_ARRAY };

/* "results[I].key: expected WANT, got KIND" */
static int reject_shape(struct hf_state *st, const char *key, const char *want, int kind)
{
	pk_buf_reset(&st->msg);
	if (st->where == W_TOP || !st->in_result)
		pk_buf_printf(&st->msg, "%s: expected %s, got %s", key, want, kind_names[kind]);
	else
		pk_buf_printf(&st->msg, "results[%lld].%s: expected %s, got %s",
		              (long long)st->res_index, key, want, kind_names[kind]);
	return reject_here(st, st->msg.data ? st->msg.data : want);
}

static int fail(struct hf_state *st, const char *why)
{
	st->fail = why;
	return 0;
}

/* ---- capturing a value into extra ------------------------------------- */

static int cap_put(struct hf_state *st, const char *p, size_t n)
{
	return !st->cap_buf || step(st, pk_buf_append(st->cap_buf, p, n));
}

/* The separator before a value or key inside a captured container. */
static int cap_sep(struct hf_state *st)
{
	int first = st->cap_first[st->cap_depth];
	st->cap_first[st->cap_depth] = 0;
	if (st->cap_after_key) {
		st->cap_after_key = 0;
		return 1;
	}
	return st->cap_depth == 0 || first || cap_put(st, ",", 1);
}

/* Starts capturing the value to come: into extra under key, or skipped. */
static int cap_begin(struct hf_state *st, struct pk_buf *extra, const char *key, size_t n)
{
	st->capturing = 1;
	st->cap_buf = extra;
	st->cap_depth = 0;
	st->cap_after_key = 0;
	st->cap_first[0] = 1;
	if (!extra)
		return 1;
	enum pk_status rc = pk_buf_putc(extra, extra->len ? ',' : '{');
	if (rc == PK_OK)
		rc = pk_json_string(extra, key, n);
	if (rc == PK_OK)
		rc = pk_buf_putc(extra, ':');
	return step(st, rc);
}

/* A key (value NULL) or a scalar value of the "parameters" object. */
static int param_put(struct hf_state *st, const char *key, const char *p, size_t n)
{
	if (key) {
		if (st->nparams == st->pcap) {
			size_t cap = st->pcap ? st->pcap * 2 : 8;
			struct hf_param *np = realloc(st->params, cap * sizeof *np);
			if (!np)
				return step(st, PK_ERR_NOMEM);
			st->params = np;
			st->pcap = cap;
		}
		st->params[st->nparams++] = (struct hf_param){ st->pbytes.len, n, 0, 0, 0 };
	} else if (st->nparams && !st->params[st->nparams - 1].has_value) {
		struct hf_param *q = &st->params[st->nparams - 1];
		q->v = st->pbytes.len;
		q->vn = n;
		q->has_value = 1;
	} else {
		return 1;
	}
	return step(st, pk_buf_append(&st->pbytes, key ? key : p, n));
}

static int cap_scalar(struct hf_state *st, const char *p, size_t n, int is_string)
{
	if (!cap_sep(st))
		return 0;
	if (st->in_params && st->cap_depth == 1 && !param_put(st, NULL, p, n))
		return 0;
	if (st->cap_buf && !step(st, is_string ? pk_json_string(st->cap_buf, p, n)
	                                       : pk_buf_append(st->cap_buf, p, n)))
		return 0;
	if (st->cap_depth == 0)
		st->capturing = st->in_params = 0;
	return 1;
}

static int cap_open(struct hf_state *st, char c)
{
	if (!cap_sep(st) || !cap_put(st, &c, 1))
		return 0;
	if (st->cap_depth > MAX_DEPTH)
		return fail(st, "JSON nested deeper than 64 levels");
	st->cap_first[++st->cap_depth] = 1;
	return 1;
}

static int cap_close(struct hf_state *st, char c)
{
	if (!cap_put(st, &c, 1))
		return 0;
	if (--st->cap_depth == 0)
		st->capturing = st->in_params = 0;
	return 1;
}

static int cap_key(struct hf_state *st, const char *p, size_t n)
{
	if (!cap_sep(st))
		return 0;
	if (st->in_params && st->cap_depth == 1 && !param_put(st, p, p, n))
		return 0;
	st->cap_after_key = 1;
	return !st->cap_buf || (step(st, pk_json_string(st->cap_buf, p, n)) &&
	                        cap_put(st, ":", 1));
}

/* ---- the rows ----------------------------------------------------------- */

static void reset_result(struct hf_state *st)
{
	st->in_result = 1;
	st->res_line = line_now(st);
	st->have_command = 0;
	pk_buf_reset(&st->command);
	pk_buf_reset(&st->res_extra);
	st->nparams = 0;
	pk_buf_reset(&st->pbytes);
	for (int i = 0; i < NSTATS; i++)
		st->stats[i] = NAN;
	st->ntimes = st->ncodes = 0;
}

static int push_time(struct hf_state *st, double v)
{
	if (st->ntimes == st->tcap) {
		size_t cap = st->tcap ? st->tcap * 2 : 64;
		double *t = realloc(st->times, cap * sizeof *t);
		if (!t)
			return step(st, PK_ERR_NOMEM);
		st->times = t;
		st->tcap = cap;
	}
	st->times[st->ntimes++] = v;
	return 1;
}

static int push_code(struct hf_state *st, int64_t c, int ok)
{
	if (st->ncodes == st->ccap) {
		size_t cap = st->ccap ? st->ccap * 2 : 64;
		int64_t *p = realloc(st->codes, cap * sizeof *p);
		if (p)
			st->codes = p;
		unsigned char *o = p ? realloc(st->code_ok, cap) : NULL;
		if (!o)
			return step(st, PK_ERR_NOMEM);
		st->code_ok = o;
		st->ccap = cap;
	}
	st->codes[st->ncodes] = c;
	st->code_ok[st->ncodes++] = (unsigned char)ok;
	return 1;
}

/* Appends p[0..n) to the name with control characters shown as '?'. */
static int name_put(struct hf_state *st, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (!step(st, pk_buf_putc(&st->name, c < 0x20 || c == 0x7f ? '?' : (char)c)))
			return 0;
	}
	return 1;
}

static int param_before(const char *b, const struct hf_param *x, const struct hf_param *y)
{
	int c = memcmp(b + x->k, b + y->k, x->kn < y->kn ? x->kn : y->kn);
	return c < 0 || (c == 0 && x->kn < y->kn);
}

/* The result's series name: its command, and with --parameter-scan or -L
 * its parameters by name ("true (n=1)", "make (cc=gcc, opt=2)"), so that
 * each value's results form one series whatever the order or the set of
 * values of a run; made unique within the file ("cmd #2"). */
static int result_name(struct hf_state *st)
{
	pk_buf_reset(&st->name);
	if (!step(st, pk_buf_append(&st->name, st->command.data ? st->command.data : "",
	                            st->command.len)))
		return 0;
	for (size_t i = 1; i < st->nparams; i++)          /* by name */
		for (size_t j = i; j > 0 && param_before(st->pbytes.data, &st->params[j],
		                                         &st->params[j - 1]); j--) {
			struct hf_param t = st->params[j];
			st->params[j] = st->params[j - 1];
			st->params[j - 1] = t;
		}
	int shown = 0;
	for (size_t i = 0; i < st->nparams; i++) {
		const struct hf_param *q = &st->params[i];
		if (!q->has_value)
			continue;
		if (!step(st, pk_buf_puts(&st->name, shown++ ? ", " : " (")) ||
		    !name_put(st, st->pbytes.data + q->k, q->kn) ||
		    !step(st, pk_buf_putc(&st->name, '=')) ||
		    !name_put(st, st->pbytes.data + q->v, q->vn))
			return 0;
	}
	if (shown && !step(st, pk_buf_putc(&st->name, ')')))
		return 0;
	size_t base = st->name.len;
	for (int k = 2;; k++) {
		size_t i = 0;
		while (i < st->nnames && (strlen(st->names[i]) != st->name.len ||
		                          memcmp(st->names[i], st->name.data, st->name.len) != 0))
			i++;
		if (i == st->nnames)
			break;
		st->name.len = base;
		if (!step(st, pk_buf_printf(&st->name, " #%d", k)))
			return 0;
	}
	char **p = realloc(st->names, (st->nnames + 1) * sizeof *p);
	if (!p)
		return step(st, PK_ERR_NOMEM);
	st->names = p;
	if (!(p[st->nnames] = strndup(st->name.data ? st->name.data : "", st->name.len)))
		return step(st, PK_ERR_NOMEM);
	st->nnames++;
	return 1;
}

static int emit_result(struct hf_state *st)
{
	st->in_result = 0;
	if (st->have_command < 0)
		return 1;
	if (!st->have_command) {
		pk_buf_reset(&st->msg);
		pk_buf_printf(&st->msg, "results[%lld]: no command", (long long)st->res_index);
		return reject_at(st, st->res_line, st->msg.data ? st->msg.data : "no command");
	}
	if (!result_name(st))
		return 0;
	if (st->res_extra.len && !step(st, pk_buf_putc(&st->res_extra, '}')))
		return 0;
	struct pk_value v[16] = {     /* v[0], the digest: set at replay */
		pk_v_null(), pk_v_text(st->suite.data, st->suite.len), pk_v_int(st->run_us),
		pk_v_text("", 0), pk_v_text(st->name.data ? st->name.data : "", st->name.len),
		pk_v_text("s", 1), pk_v_text("lower", 5),
	};
	for (int i = 0; i < NSTATS; i++)
		v[7 + i] = pk_v_real(st->stats[i]);
	v[14] = pk_v_int((int64_t)st->ntimes);
	v[15] = st->res_extra.len ? pk_v_text(st->res_extra.data, st->res_extra.len) : pk_v_null();
	if (!step(st, pk_row_spool_put(&st->spool, &pk_bench_result_table, st->res_line, v)))
		return 0;
	for (size_t i = 0; i < st->ntimes; i++) {
		struct pk_value r[8] = {
			v[0], v[1], v[2], v[3], v[4], pk_v_int((int64_t)i), pk_v_real(st->times[i]),
			i < st->ncodes && st->code_ok[i] ? pk_v_int(st->codes[i]) : pk_v_null(),
		};
		if (!step(st, pk_row_spool_put(&st->spool, &pk_bench_value_table, st->res_line, r)))
			return 0;
	}
	return 1;
}

/* ---- the callbacks ------------------------------------------------------ */

/* A value of the wrong kind for the key: rejected, kept in extra. */
static int wrong_kind(struct hf_state *st, const char *want, int kind)
{
	if (!reject_shape(st, st->key.data ? st->key.data : "", want, kind))
		return 0;
	return cap_begin(st, st->in_result ? &st->res_extra : &st->run_extra,
	                 st->key.data ? st->key.data : "", st->key.len);
}

/* An element of times[] or exit_codes[] that is not a number. */
static int bad_element(struct hf_state *st, int kind)
{
	pk_buf_reset(&st->msg);
	int times = st->where == W_TIMES;
	pk_buf_printf(&st->msg, "results[%lld].%s[%zu]: expected a number, got %s",
	              (long long)st->res_index, times ? "times" : "exit_codes",
	              times ? st->ntimes : st->ncodes, kind_names[kind]);
	if (!reject_here(st, st->msg.data ? st->msg.data : "bad element"))
		return 0;
	return times ? push_time(st, NAN) : push_code(st, 0, 0);
}

/* A scalar (kind, text p[0..n)) outside a capture. */

/* 1 when a command holds a control character other than a newline or a
 * tab: a multi-line script keeps its lines and indentation. */
static int command_has_control(const char *p, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t j = i;
		while (j < n && p[j] != '\n' && p[j] != '\t')
			j++;
		if (pk_utf8_has_control(p + i, j - i))
			return 1;
		i = j + 1;
	}
	return 0;
}

static int scalar(struct hf_state *st, int kind, const char *p, size_t n)
{
	enum slot k = st->pending;
	st->pending = K_NONE;
	switch (st->where) {
	case W_TOP:
		if (st->depth > 0 && k != K_RESULTS)
			return 1;
		pk_buf_reset(&st->msg);
		pk_buf_printf(&st->msg, "%s, got %s", st->depth ? "results: expected an array"
		              : "expected a JSON object", kind_names[kind]);
		return fail(st, st->msg.data ? st->msg.data : "wrong shape");
	case W_RESULTS: {
		pk_buf_reset(&st->msg);
		pk_buf_printf(&st->msg, "results[%lld]: expected an object, got %s",
		              (long long)st->res_index++, kind_names[kind]);
		return reject_here(st, st->msg.data ? st->msg.data : "expected an object");
	}
	case W_RESULT:
		if (k == K_COMMAND && kind == V_STRING) {
			if (command_has_control(p, n)) {
				st->have_command = -1;     /* rejected: no second reason */
				if (!reject_shape(st, "command", "text without control characters", kind))
					return 0;
				return cap_begin(st, &st->res_extra, "command", 7) &&
				       cap_scalar(st, p, n, 1);
			}
			st->have_command = 1;
			pk_buf_reset(&st->command);
			return step(st, pk_buf_append(&st->command, p, n));
		}
		if (k == K_STAT && kind == V_NULL)
			return 1;                       /* missing */
		if (k == K_STAT && kind == V_NUMBER) {
			if (pk_parse_double(p, n, &st->stats[st->stat]) == 0)
				return 1;
			if (!reject_shape(st, st->key.data, "a number in double range", kind) ||
			    !cap_begin(st, &st->res_extra, st->key.data, st->key.len))
				return 0;
			return cap_scalar(st, p, n, 0);
		}
		if (!wrong_kind(st, k == K_COMMAND ? "a string" : k == K_STAT ? "a number"
		                : "an array", kind))
			return 0;
		return cap_scalar(st, p, n, kind == V_STRING);
	case W_TIMES:
	case W_CODES: {
		double d;
		if (kind == V_NULL)
			return st->where == W_TIMES ? push_time(st, NAN) : push_code(st, 0, 0);
		if (kind != V_NUMBER || pk_parse_double(p, n, &d) != 0)
			return bad_element(st, kind);
		if (st->where == W_TIMES)
			return push_time(st, d);
		if (d != floor(d) || fabs(d) > 9e18)
			return bad_element(st, kind);
		return push_code(st, (int64_t)d, 1);
	}
	}
	return 1;
}

static int enter(struct hf_state *st, enum where w)
{
	if (st->depth >= MAX_DEPTH)
		return fail(st, "JSON nested deeper than 64 levels");
	st->depth++;
	st->where = w;
	return 1;
}

static int container(struct hf_state *st, int is_array)
{
	char open = is_array ? '[' : '{';
	int kind = is_array ? V_ARRAY : V_MAP;
	if (st->capturing) {
		if (st->depth + st->cap_depth >= MAX_DEPTH)
			return fail(st, "JSON nested deeper than 64 levels");
		return cap_open(st, open);
	}
	enum slot k = st->pending;
	st->pending = K_NONE;
	switch (st->where) {
	case W_TOP:
		if (st->depth == 0)
			return is_array ? fail(st, "expected a JSON object, got an array")
			                : enter(st, W_TOP);
		if (k == K_RESULTS && is_array) {
			st->have_results = 1;
			st->res_index = 0;
			return enter(st, W_RESULTS);
		}
		return fail(st, "results: expected an array, got an object");
	case W_RESULTS:
		if (!is_array) {
			reset_result(st);
			return enter(st, W_RESULT);
		}
		pk_buf_reset(&st->msg);
		pk_buf_printf(&st->msg, "results[%lld]: expected an object, got an array",
		              (long long)st->res_index++);
		if (!reject_here(st, st->msg.data ? st->msg.data : "expected an object"))
			return 0;
		cap_begin(st, NULL, "", 0);
		return cap_open(st, open);
	case W_RESULT:
		if (is_array && (k == K_TIMES || k == K_CODES))
			return enter(st, k == K_TIMES ? W_TIMES : W_CODES);
		if (!wrong_kind(st, k == K_COMMAND ? "a string" : k == K_STAT ? "a number"
		                : "an array", kind))
			return 0;
		return cap_open(st, open);
	case W_TIMES:
	case W_CODES:
		if (!bad_element(st, kind))
			return 0;
		cap_begin(st, NULL, "", 0);
		return cap_open(st, open);
	}
	return 1;
}


static int leave(struct hf_state *st, char c)
{
	if (st->capturing)
		return cap_close(st, c);
	st->depth--;
	switch (st->where) {
	case W_TIMES: case W_CODES: st->where = W_RESULT; return 1;
	case W_RESULT: {
		st->where = W_RESULTS;
		int ok = emit_result(st);
		st->res_index++;
		return ok;
	}
	case W_RESULTS: st->where = W_TOP; return 1;
	case W_TOP: return 1;
	}
	return 1;
}

/* The key of the member whose value comes next. */
static int map_key(struct hf_state *st, const char *s, size_t n)
{
	if (st->capturing)
		return cap_key(st, s, n);
	pk_buf_reset(&st->key);
	if (!step(st, pk_buf_append(&st->key, s, n)) || !step(st, pk_buf_putc(&st->key, '\0')))
		return 0;
	st->key.len = n;
	st->pending = K_NONE;
	if (st->where == W_TOP && st->depth == 1) {
		if (n == 7 && memcmp(s, "results", 7) == 0) {
			st->pending = K_RESULTS;
			return 1;
		}
		return cap_begin(st, &st->run_extra, s, n);
	}
	if (st->where != W_RESULT)
		return 1;
	if (n == 7 && memcmp(s, "command", 7) == 0) {
		st->pending = K_COMMAND;
	} else if (n == 5 && memcmp(s, "times", 5) == 0) {
		st->pending = K_TIMES;
	} else if (n == 10 && memcmp(s, "exit_codes", 10) == 0) {
		st->pending = K_CODES;
	} else {
		for (int i = 0; i < NSTATS; i++)
			if (strlen(stat_keys[i]) == n && memcmp(stat_keys[i], s, n) == 0) {
				st->pending = K_STAT;
				st->stat = i;
				return 1;
			}
		st->in_params = n == 10 && memcmp(s, "parameters", 10) == 0;
		return cap_begin(st, &st->res_extra, s, n);
	}
	return 1;
}

/* One event of the engine: a member's key first, then its value. */
static enum pk_status on_event(void *ctx, struct pk_jdoc *d, enum pk_jev ev, const char *s,
                               size_t n)
{
	struct hf_state *st = ctx;
	int64_t base;
	st->chunk = pk_jdoc_chunk(d, &base, &st->chunk_len, &st->at);
	int L = pk_jdoc_depth(d), ok;
	size_t kn;
	const char *key = ev != PK_JEV_END && L > 0 ? pk_jdoc_key(d, L, &kn) : NULL;
	if (key && !map_key(st, key, kn)) {
		ok = 0;
	} else {
		switch (ev) {
		case PK_JEV_MAP:
		case PK_JEV_ARRAY:
			st->is_array[L] = ev == PK_JEV_ARRAY;
			ok = container(st, ev == PK_JEV_ARRAY);
			break;
		case PK_JEV_END:
			ok = leave(st, st->is_array[L] ? ']' : '}');
			break;
		default:
			if (st->capturing)
				ok = cap_scalar(st, s, n, ev == PK_JEV_STRING);
			else
				ok = scalar(st, ev == PK_JEV_NULL ? V_NULL : ev == PK_JEV_BOOL ? V_BOOL
				            : ev == PK_JEV_NUMBER ? V_NUMBER : V_STRING, s, n);
		}
	}
	if (ok)
		return PK_OK;
	if (st->err != PK_OK)
		return st->err;
	if (st->fail)
		reject_here(st, st->fail);   /* at its line, while the chunk is here */
	st->started = -1;
	return pk_jdoc_fail(d, st->fail ? st->fail : "stopped by the reader");
}

/* ---- the reader --------------------------------------------------------- */

static void *hf_open(struct pk_sink *sink)
{
	struct hf_state *st = calloc(1, sizeof *st);
	if (!st)
		return NULL;
	st->sink = sink;
	st->line = 1;
	st->digest = PK_FNV_INIT;
	const char *d = sink->display ? sink->display : "";
	const char *base = strrchr(d, '/');
	base = base ? base + 1 : d;
	size_t n = strlen(base);
	if (n > 5 && strcmp(base + n - 5, ".json") == 0)
		n -= 5;
	if (sink->opts && sink->opts->suite) {   /* --suite: one file per run */
		base = sink->opts->suite;
		n = strlen(base);
	}
	if (n > SUITE_MAX)
		n = SUITE_MAX;
	st->run_us = sink->opts && sink->opts->run_time_us != INT64_MIN ? sink->opts->run_time_us
	                                                                 : sink->file_mtime_us;
	if (pk_buf_append(&st->suite, base, n) != PK_OK ||
	    pk_buf_putc(&st->suite, '\0') != PK_OK ||
	    !(st->doc = pk_jdoc_new(on_event, st))) {
		hf_close(st);
		return NULL;
	}
	st->suite.len = n;
	return st;
}

/* The document broke (invalid JSON, nested too deep): its reason at its
 * line; at the end (truncated), the last line of text. */
static int parse_failed(struct hf_state *st, int at_end)
{
	const char *why, *raw;
	int64_t line, col;
	size_t rawn;
	if (st->err != PK_OK || st->started < 0 ||
	    !pk_jdoc_error(st->doc, &why, &line, &col, &raw, &rawn))
		return 0;
	st->started = -1;
	if (strcmp(why, "empty document") == 0)
		why = "empty file";        /* white space only, as a file of 0 bytes */
	if (at_end && st->tail.len)
		return step(st, pk_sink_reject(st->sink, st->tail_line, 0,
		                               pk_jdoc_truncated(st->doc) ? "invalid JSON: premature EOF"
		                               : why, st->tail.data, st->tail.len));
	return step(st, pk_sink_reject(st->sink, line, 0, why, raw, rawn));
}

static enum pk_status hf_chunk(void *state, struct pk_sink *sink, const char *p, size_t n)
{
	struct hf_state *st = state;
	st->sink = sink;
	if (!st->started && n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
		p += 3;
		n -= 3;
	}
	st->digest = pk_fnv1a(st->digest, p, n);   /* every byte, however chunked */
	if (st->started < 0)
		return PK_OK;               /* stopped at an error */
	st->started = 1;
	enum pk_status rc = pk_jdoc_feed(st->doc, p, n);
	st->chunk = NULL;
	if (rc != PK_OK)
		return rc;
	parse_failed(st, 0);
	for (const char *q = p, *e = p + n; (q = memchr(q, '\n', (size_t)(e - q))); q++)
		st->line++;
	/* the last line, for a reject at the end (a truncated document) */
	size_t end = n, start;
	int64_t back = 0;
	while (end > 0 && (p[end - 1] == '\n' || p[end - 1] == '\r'))
		back += p[--end] == '\n';
	for (start = end; start > 0 && p[start - 1] != '\n' && end - start < 4096;)
		start--;
	if (end > start) {
		pk_buf_reset(&st->tail);
		st->tail_line = st->line - back;
		if (pk_buf_append(&st->tail, p + start, end - start) != PK_OK)
			return PK_ERR_NOMEM;
	}
	return st->err;
}

static enum pk_status hf_finish(void *state, struct pk_sink *sink)
{
	struct hf_state *st = state;
	(void)sink;
	if (!st->started)
		return pk_sink_reject(sink, 1, 0, "empty file", "", 0);
	if (st->started > 0) {
		enum pk_status rc = pk_jdoc_end(st->doc);
		st->chunk = NULL;
		if (rc != PK_OK)
			return rc;
		parse_failed(st, 1);
	}
	if (st->err != PK_OK || !st->have_results)
		return st->err;
	if (st->run_extra.len && pk_buf_putc(&st->run_extra, '}') != PK_OK)
		return PK_ERR_NOMEM;
	char digest[17];
	snprintf(digest, sizeof digest, "%016llx", (unsigned long long)st->digest);
	struct pk_value v[7] = {
		pk_v_text(digest, 16), pk_v_text(st->suite.data, st->suite.len), pk_v_int(st->run_us),
		pk_v_text("", 0), pk_v_null(), pk_v_text("hyperfine", 9),
		st->run_extra.len ? pk_v_text(st->run_extra.data, st->run_extra.len) : pk_v_null(),
	};
	enum pk_status rc = pk_sink_row(sink, &pk_bench_run_table, 1, v);
	return rc == PK_OK ? pk_row_spool_replay(st->spool, sink, v[0]) : rc;
}

/* A .json file whose first key is "results" and whose results[0] has
 * hyperfine's shape (hyperfine_head.h): hyperfine --export-json. */
static int hf_detect(const char *base, const char *head, size_t n)
{
	size_t bl = strlen(base);
	const char *why;
	return bl >= 6 && strcmp(base + bl - 5, ".json") == 0 &&
	       pk_hf_head(head, n, &why) == PK_HF_YES;
}

/* Another tool's {"results": [...]} document: why it is not read. */
static const char *hf_near_miss(const char *base, const char *head, size_t n)
{
	size_t bl = strlen(base);
	const char *why = NULL;
	if (bl >= 6 && strcmp(base + bl - 5, ".json") == 0 &&
	    pk_hf_head(head, n, &why) == PK_HF_LOOKALIKE)
		return why;
	return NULL;
}

const struct pk_reader pk_reader_hyperfine = {
	.name = "hyperfine",
	.description = "F7 hyperfine --export-json results (suite = --suite or file name, run time = --run-time or mtime)",
	.detect = hf_detect,
	.near_miss = hf_near_miss,
	.open = hf_open,
	.chunk = hf_chunk,
	.finish = hf_finish,
	.close = hf_close,
};
