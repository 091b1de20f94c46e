/* read_hw_jsonl.c - format F1, hardware samples: one JSON object per line
 * (logs/hardware_profile_<profile>.jsonl).  Parsed with yajl's event API, no
 * tree: each key's dotted path is looked up in a small hash table built from
 * the metric registry.  Known metrics become columns; percent_per_core and
 * the thermal sensors are kept as JSON; a section written as {"error": ...}
 * or {"available": false, "reason": ...} leaves its metrics missing and keeps
 * the reason; every other field (and a known one of the wrong type or out of
 * double range) is kept in `extra` under its dotted path.  Containers are
 * kept as the exact bytes of the line (yajl reports its offset per token),
 * so nothing is re-serialised. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "../../core/buf.h"
#include "../../core/json_write.h"
#include "../../core/metrics.h"
#include "../../core/number.h"
#include "../../core/timeutil.h"
#include "../../core/utf8.h"
#include "../engines/json_error.h"
#include "../engines/json_nan.h"
#include "../pipeline/reader.h"
#include "../pipeline/sink.h"

#define MAX_DEPTH 64
#define MAX_SECTIONS 16
#define TABLE_SIZE 256          /* power of two, > 4 x the known paths */
#define PROFILE_MAX 256

enum field_kind {
	F_UNKNOWN, F_METRIC, F_CONTAINER, F_TIMESTAMP, F_PROFILE,
	F_AVAILABLE, F_ERROR, F_REASON, F_CORES, F_SENSORS
};

struct field {
	char *path;
	size_t len;
	enum field_kind kind;
	int index;      /* metric index; section index for containers and
	                   available/error/reason (-1: not in a section) */
};

enum capture { CAP_NONE, CAP_CORES, CAP_SENSORS, CAP_EXTRA };

struct hw_state {
	struct field table[TABLE_SIZE];
	char *section_names[MAX_SECTIONS];
	int nsections;
	yajl_handle h;              /* of the parse under way */
	const char *text;           /* the text being parsed */
	struct pk_buf path;         /* dotted path of the current key */
	size_t pathlen[MAX_DEPTH + 1];
	int depth;                  /* open maps/arrays */
	const struct field *pending;/* field of the last key, until its value */
	enum capture capture;       /* copying a container's bytes */
	int capture_depth;
	size_t capture_start;
	struct pk_buf cores, sensors, extra, unavail;
	double *v;
	struct pk_buf ts, profile, nanfix;
	int have_ts, have_profile;
	int available[MAX_SECTIONS];          /* -1 unknown, 0, 1 */
	struct pk_buf reason[MAX_SECTIONS];
	int has_reason[MAX_SECTIONS];
	const char *fail;           /* reason the callbacks stopped the parse */
	int nomem;
};

static const struct field unknown_field = { NULL, 0, F_UNKNOWN, -1 };

/* A cheap hash for a table of a few dozen paths: length and four sampled
 * bytes (every key of every line is looked up, so this is a hot spot). */
static size_t slot_of(const char *p, size_t n)
{
	if (n == 0)
		return 0;
	const unsigned char *u = (const unsigned char *)p;
	size_t h = n;
	h = h * 131 + u[n - 1];
	h = h * 131 + u[n / 2];
	h = h * 131 + u[n / 3];
	h = h * 131 + u[(n * 3) / 4];
	return (h ^ (h >> 8)) & (TABLE_SIZE - 1);
}

static const struct field *lookup(const struct hw_state *st, const char *p, size_t n)
{
	for (size_t i = slot_of(p, n);; i = (i + 1) & (TABLE_SIZE - 1)) {
		const struct field *f = &st->table[i];
		if (!f->path)
			return &unknown_field;
		if (f->len == n && memcmp(f->path, p, n) == 0)
			return f;
	}
}

static int add_field(struct hw_state *st, const char *p, size_t n,
                     enum field_kind kind, int index)
{
	if (lookup(st, p, n)->path)
		return 0;
	size_t i = slot_of(p, n);
	while (st->table[i].path)
		i = (i + 1) & (TABLE_SIZE - 1);
	st->table[i] = (struct field){ strndup(p, n), n, kind, index };
	return st->table[i].path ? 0 : -1;
}

static int section_index(struct hw_state *st, const char *p, size_t n)
{
	for (int i = 0; i < st->nsections; i++)
		if (strlen(st->section_names[i]) == n && memcmp(st->section_names[i], p, n) == 0)
			return i;
	if (st->nsections == MAX_SECTIONS)
		return -1;
	st->section_names[st->nsections] = strndup(p, n);
	return st->section_names[st->nsections] ? st->nsections++ : -1;
}

/* Builds the path table from the registry: each metric, each of its
 * prefixes as a container, and per top-level section its available, error
 * and reason keys. */
static int build_table(struct hw_state *st)
{
	static const char *const sect_keys[] = { "available", "error", "reason" };
	static const enum field_kind sect_kinds[] = { F_AVAILABLE, F_ERROR, F_REASON };
	char tmp[256];
	if (add_field(st, "timestamp", 9, F_TIMESTAMP, -1) ||
	    add_field(st, "profile_name", 12, F_PROFILE, -1) ||
	    add_field(st, "cpu.percent_per_core", 20, F_CORES, -1) ||
	    add_field(st, "thermal.sensors", 15, F_SENSORS, -1))
		return -1;
	for (size_t m = 0; m < pk_hw_nmetrics; m++) {
		const char *name = pk_hw_metrics[m].name;
		const char *dot = strchr(name, '.');
		int sec = dot ? section_index(st, name, (size_t)(dot - name)) : -1;
		if (dot && sec < 0)
			return -1;
		for (const char *d = dot; d; d = strchr(d + 1, '.'))
			if (add_field(st, name, (size_t)(d - name), F_CONTAINER,
			              d == dot ? sec : -1))
				return -1;
		if (add_field(st, name, strlen(name), F_METRIC, (int)m))
			return -1;
	}
	for (int s = 0; s < st->nsections; s++)
		for (size_t k = 0; k < 3; k++) {
			int n = snprintf(tmp, sizeof tmp, "%s.%s", st->section_names[s], sect_keys[k]);
			if (n < 0 || (size_t)n >= sizeof tmp ||
			    add_field(st, tmp, (size_t)n, sect_kinds[k], s))
				return -1;
		}
	return 0;
}

static void hw_close(void *state)
{
	struct hw_state *st = state;
	if (!st)
		return;
	for (size_t i = 0; i < TABLE_SIZE; i++)
		free(st->table[i].path);
	for (int i = 0; i < st->nsections; i++)
		free(st->section_names[i]);
	for (int i = 0; i < MAX_SECTIONS; i++)
		pk_buf_free(&st->reason[i]);
	struct pk_buf *bufs[] = { &st->path, &st->cores, &st->sensors, &st->extra,
	                          &st->unavail, &st->ts, &st->profile, &st->nanfix };
	for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
		pk_buf_free(bufs[i]);
	free(st->v);
	free(st);
}

static void *hw_open(struct pk_sink *sink)
{
	(void)sink;
	struct hw_state *st = calloc(1, sizeof *st);
	if (!st)
		return NULL;
	st->v = malloc(pk_hw_nmetrics * sizeof *st->v);
	if (!st->v || build_table(st)) {
		hw_close(st);
		return NULL;
	}
	return st;
}

static void reset_line(struct hw_state *st)
{
	for (size_t m = 0; m < pk_hw_nmetrics; m++)
		st->v[m] = NAN;
	pk_buf_reset(&st->path);
	pk_buf_reset(&st->cores);
	pk_buf_reset(&st->sensors);
	pk_buf_reset(&st->extra);
	st->depth = 0;
	st->pending = NULL;
	st->capture = CAP_NONE;
	st->capture_depth = 0;
	st->have_ts = st->have_profile = 0;
	for (int s = 0; s < st->nsections; s++) {
		st->available[s] = -1;
		st->has_reason[s] = 0;
	}
	st->fail = NULL;
	st->nomem = 0;
}

static int ok(struct hw_state *st, enum pk_status rc)
{
	if (rc != PK_OK)
		st->nomem = 1;
	return rc == PK_OK;
}

/* Starts the entry of the current path in extra: `,"path":`. */
static int extra_key(struct hw_state *st)
{
	enum pk_status rc = pk_buf_putc(&st->extra, st->extra.len ? ',' : '{');
	if (rc == PK_OK)
		rc = pk_json_string(&st->extra, st->path.data ? st->path.data : "", st->path.len);
	if (rc == PK_OK)
		rc = pk_buf_putc(&st->extra, ':');
	return ok(st, rc);
}

static int extra_text(struct hw_state *st, const char *p, size_t n)
{
	return extra_key(st) && ok(st, pk_buf_append(&st->extra, p, n));
}

/* The field the value now starting belongs to.  Every array is captured
 * whole, so values outside a capture are always inside a map. */
static const struct field *value_field(struct hw_state *st)
{
	const struct field *f = st->pending;
	st->pending = NULL;
	return f ? f : &unknown_field;
}

static void set_reason(struct hw_state *st, int sec, const char *p, size_t n)
{
	pk_buf_reset(&st->reason[sec]);
	if (ok(st, pk_buf_append(&st->reason[sec], p, n)))
		st->has_reason[sec] = 1;
}

static int top_level_fail(struct hw_state *st, const char *what)
{
	st->fail = what;
	return 0;
}

static int cb_null(void *ctx)
{
	struct hw_state *st = ctx;
	if (st->capture)
		return 1;
	if (st->depth == 0)
		return top_level_fail(st, "expected a JSON object, got null");
	const struct field *f = value_field(st);
	switch (f->kind) {
	case F_METRIC: case F_CORES: case F_SENSORS: case F_TIMESTAMP: case F_PROFILE:
		return 1;                       /* missing */
	case F_CONTAINER:
		if (f->index >= 0 && !st->has_reason[f->index])
			set_reason(st, f->index, "section is null", 15);
		return 1;
	default:
		return extra_text(st, "null", 4);
	}
}

static int cb_bool(void *ctx, int b)
{
	struct hw_state *st = ctx;
	if (st->capture)
		return 1;
	if (st->depth == 0)
		return top_level_fail(st, "expected a JSON object, got a boolean");
	const struct field *f = value_field(st);
	if (f->kind == F_AVAILABLE) {
		st->available[f->index] = b ? 1 : 0;
		return 1;
	}
	return b ? extra_text(st, "true", 4) : extra_text(st, "false", 5);
}

static int cb_number(void *ctx, const char *s, size_t n)
{
	struct hw_state *st = ctx;
	if (st->capture)
		return 1;
	if (st->depth == 0)
		return top_level_fail(st, "expected a JSON object, got a number");
	const struct field *f = value_field(st);
	if (f->kind == F_METRIC && pk_parse_double(s, n, &st->v[f->index]) == 0)
		return 1;
	/* out of double range (1e999), or not a metric: kept as written */
	return extra_text(st, s, n);
}

static int cb_string(void *ctx, const unsigned char *us, size_t n)
{
	struct hw_state *st = ctx;
	const char *s = (const char *)us;
	if (st->capture)
		return 1;
	if (st->depth == 0)
		return top_level_fail(st, "expected a JSON object, got a string");
	const struct field *f = value_field(st);
	switch (f->kind) {
	case F_TIMESTAMP:
		pk_buf_reset(&st->ts);
		st->have_ts = ok(st, pk_buf_append(&st->ts, s, n));
		return st->have_ts;
	case F_PROFILE:
		pk_buf_reset(&st->profile);
		st->have_profile = ok(st, pk_buf_append(&st->profile, s, n));
		return st->have_profile;
	case F_ERROR:
		st->available[f->index] = 0;
		set_reason(st, f->index, s, n);
		return !st->nomem;
	case F_REASON:
		if (!st->has_reason[f->index])
			set_reason(st, f->index, s, n);
		return !st->nomem;
	default:
		return extra_key(st) && ok(st, pk_json_string(&st->extra, s, n));
	}
}

static int push(struct hw_state *st)
{
	if (st->depth >= MAX_DEPTH)
		return top_level_fail(st, "JSON nested deeper than 64 levels");
	st->depth++;
	st->pathlen[st->depth] = st->path.len;
	return 1;
}

static int start_container(struct hw_state *st, int is_array)
{
	if (!push(st))
		return 0;
	if (st->capture) {
		st->capture_depth++;
		return 1;
	}
	if (st->depth == 1)
		return is_array ? top_level_fail(st, "expected a JSON object, got an array") : 1;
	const struct field *f = value_field(st);
	enum capture cap = CAP_EXTRA;
	if (f->kind == F_CONTAINER && !is_array)
		return 1;
	if (f->kind == F_CORES && is_array)
		cap = CAP_CORES;
	else if (f->kind == F_SENSORS && is_array)
		cap = CAP_SENSORS;
	else if (f->kind == F_CONTAINER && f->index >= 0)
		set_reason(st, f->index, "section is not an object", 24);
	if (cap == CAP_EXTRA && !extra_key(st))
		return 0;
	st->capture = cap;
	st->capture_depth = 1;
	/* yajl's offset is just past the opening bracket */
	st->capture_start = yajl_get_bytes_consumed(st->h) - 1;
	return 1;
}

static int end_container(struct hw_state *st)
{
	st->depth--;
	st->path.len = st->pathlen[st->depth + 1];
	if (!st->capture)
		return 1;
	if (--st->capture_depth > 0)
		return 1;
	size_t end = yajl_get_bytes_consumed(st->h);
	const char *p = st->text + st->capture_start;
	size_t n = end - st->capture_start;
	struct pk_buf *dst = st->capture == CAP_CORES ? &st->cores :
	                     st->capture == CAP_SENSORS ? &st->sensors : &st->extra;
	st->capture = CAP_NONE;
	if (dst != &st->extra)
		pk_buf_reset(dst);
	return ok(st, pk_buf_append(dst, p, n));
}

static int cb_start_map(void *ctx) { return start_container(ctx, 0); }
static int cb_start_array(void *ctx) { return start_container(ctx, 1); }
static int cb_end(void *ctx) { return end_container(ctx); }

static int cb_map_key(void *ctx, const unsigned char *s, size_t n)
{
	struct hw_state *st = ctx;
	if (st->capture)
		return 1;
	/* path = path of the enclosing map + "." + key */
	st->path.len = st->pathlen[st->depth];
	if (st->path.len && !ok(st, pk_buf_putc(&st->path, '.')))
		return 0;
	if (!ok(st, pk_buf_append(&st->path, s, n)))
		return 0;
	st->pending = lookup(st, st->path.data, st->path.len);
	return 1;
}

static const yajl_callbacks callbacks = {
	cb_null, cb_bool, NULL, NULL, cb_number, cb_string,
	cb_start_map, cb_map_key, cb_end, cb_start_array, cb_end
};

/* The JSON object section -> reason for the sections without values. */
static const char *unavailable_json(struct hw_state *st)
{
	struct pk_buf *b = &st->unavail;
	pk_buf_reset(b);
	for (int s = 0; s < st->nsections; s++) {
		if (!st->has_reason[s] && st->available[s] != 0)
			continue;
		const char *r = st->has_reason[s] ? st->reason[s].data : "unavailable";
		size_t n = st->has_reason[s] ? st->reason[s].len : 11;
		if (pk_buf_putc(b, b->len ? ',' : '{') != PK_OK ||
		    pk_json_string(b, st->section_names[s], strlen(st->section_names[s])) != PK_OK ||
		    pk_buf_putc(b, ':') != PK_OK || pk_json_string(b, r, n) != PK_OK)
			return NULL;
	}
	if (!b->len)
		return NULL;
	return pk_buf_putc(b, '}') == PK_OK ? b->data : NULL;
}

/* Parses p[0..n) with the callbacks: 1 parsed, 0 invalid (msg, *col set),
 * -1 out of memory. */
static int parse(struct hw_state *st, const char *p, size_t n,
                 struct pk_buf *msg, int64_t *col)
{
	reset_line(st);
	st->text = p;
	const struct pk_json_line_state ls = { &st->fail, &st->nomem, &st->h };
	return pk_json_parse_line(&callbacks, st, &ls, p, n, msg, col);
}

static const char *profile_problem(const char *p, size_t n)
{
	if (n == 0)
		return "profile_name is empty";
	if (n > PROFILE_MAX)
		return "profile_name longer than 256 bytes";
	if (pk_utf8_has_control(p, n))
		return "profile_name contains control characters";
	return NULL;
}

static enum pk_status hw_line(void *state, struct pk_sink *sink,
                              const char *p, size_t n, int64_t lineno)
{
	struct hw_state *st = state;
	struct pk_buf msg = PK_BUF_INIT;
	int64_t col = 0;
	enum pk_status rc = PK_OK;
	int res = parse(st, p, n, &msg, &col);
	if (res == 0) {
		long fixed = pk_json_nan_to_null(p, n, &st->nanfix);
		if (fixed > 0) {
			struct pk_buf ignored = PK_BUF_INIT;
			int64_t c2;
			res = parse(st, st->nanfix.data, st->nanfix.len, &ignored, &c2);
			pk_buf_free(&ignored);
		} else if (fixed < 0) {
			res = -1;
		}
	}
	const char *why = NULL;
	int64_t ts_us = 0;
	if (res < 0) {
		rc = PK_ERR_NOMEM;
	} else if (res == 0) {
		rc = pk_sink_reject(sink, lineno, col, msg.data ? msg.data : "invalid JSON", p, n);
	} else if (!st->have_ts) {
		rc = pk_sink_reject(sink, lineno, 0, "no timestamp", p, n);
	} else if (pk_time_parse_iso(st->ts.data, st->ts.len, &ts_us, &why) != PK_OK) {
		pk_buf_reset(&msg);
		pk_buf_printf(&msg, "timestamp: %s", why);
		rc = pk_sink_reject(sink, lineno, 0, msg.data, p, n);
	} else {
		const char *profile = st->have_profile ? st->profile.data : sink->file_profile;
		size_t plen = st->have_profile ? st->profile.len : profile ? strlen(profile) : 0;
		if (!profile)
			why = "no profile_name, and the file name is not "
			      "hardware_profile_<profile>.jsonl";
		else if (!(why = profile_problem(profile, plen)) && memchr(profile, '\0', plen))
			why = "profile_name contains NUL";
		if (why) {
			rc = pk_sink_reject(sink, lineno, 0, why, p, n);
			goto out;
		}
		for (size_t m = 0; m < pk_hw_nmetrics; m++)
			if ((pk_hw_metrics[m].flags & PK_METRIC_ZERO_IS_MISSING) && st->v[m] == 0)
				st->v[m] = NAN;
		if (st->extra.len && pk_buf_putc(&st->extra, '}') != PK_OK) {
			rc = PK_ERR_NOMEM;
			goto out;
		}
		struct pk_hw_record r = {
			.ts_us = ts_us, .line = lineno, .v = st->v,
			.per_core = st->cores.len ? st->cores.data : NULL,
			.sensors = st->sensors.len ? st->sensors.data : NULL,
			.unavailable = unavailable_json(st),
			.extra = st->extra.len ? st->extra.data : NULL,
		};
		rc = pk_sink_hw_sample(sink, profile, &r);
	}
out:
	pk_buf_free(&msg);
	return rc;
}

/* 1 when key is followed by an object or array value in the n bytes of
 * line: F1's "cpu": {...} section, not a psutil-style "cpu": 12.5 (such
 * records are read with --format generic). */
static int section_key(const char *line, size_t n, const char *key)
{
	size_t kl = strlen(key);
	for (const char *p = line; (p = memmem(p, n - (size_t)(p - line), key, kl)); p += kl) {
		size_t i = (size_t)(p - line) + kl;
		while (i < n && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i >= n || line[i++] != ':')
			continue;
		while (i < n && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i < n && (line[i] == '{' || line[i] == '['))
			return 1;
	}
	return 0;
}

static int hw_detect(const char *base, const char *head, size_t n)
{
	size_t bl = strlen(base);
	if (strncmp(base, "hardware_profile_", 17) == 0 && bl > 23 &&
	    strcmp(base + bl - 6, ".jsonl") == 0)
		return 1;
	/* an F1 line in a file of another name */
	if (n < 2 || head[0] != '{')
		return 0;
	const char *nl = memchr(head, '\n', n);
	size_t first = nl ? (size_t)(nl - head) : n;
	return memmem(head, first, "\"timestamp\"", 11) &&
	       (section_key(head, first, "\"cpu\"") || section_key(head, first, "\"gpu\""));
}

/* JSON lines with a "timestamp" and a "cpu" or "gpu" that is not F1's
 * section (psutil-style "cpu": 12.5): why they are not read as F1. */
static const char *hw_near_miss(const char *base, const char *head, size_t n)
{
	(void)base;
	if (n < 2 || head[0] != '{')
		return NULL;
	const char *nl = memchr(head, '\n', n);
	size_t first = nl ? (size_t)(nl - head) : n;
	if (memmem(head, first, "\"timestamp\"", 11) &&
	    (memmem(head, first, "\"cpu\"", 5) || memmem(head, first, "\"gpu\"", 5)))
		return "JSON lines with \"timestamp\" and \"cpu\" or \"gpu\", but not F1 hardware "
		       "samples (their \"cpu\" and \"gpu\" are objects): read them as records "
		       "with --format generic --source NAME";
	return NULL;
}

const struct pk_reader pk_reader_hw_jsonl = {
	.name = "hw_jsonl",
	.description = "F1 hardware samples, one JSON object a line (hardware_profile_<profile>.jsonl)",
	.detect = hw_detect,
	.near_miss = hw_near_miss,
	.open = hw_open,
	.line = hw_line,
	.close = hw_close,
};
