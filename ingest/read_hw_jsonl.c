/* read_hw_jsonl.c - format F1, hardware samples: one JSON object per line
 * (logs/hardware_profile_<profile>.jsonl).  Parsed with yajl's event API, no
 * tree: each key's dotted path is looked up in a small hash table built from
 * the metric registry.  Known metrics become columns; percent_per_core and
 * thermal sensors are kept as JSON; a section written as {"error": ...} or
 * {"available": false, "reason": ...} leaves its metrics missing and keeps
 * the reason; every other field is kept in `extra` under its dotted path. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_parse.h>

#include "../core/buf.h"
#include "../core/hash.h"
#include "../core/metrics.h"
#include "../core/timeutil.h"
#include "json_nan.h"
#include "reader.h"
#include "sink.h"

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
	enum field_kind kind;
	int index;      /* metric index, or section index for containers and
	                   available/error/reason */
};

struct hw_state {
	struct field table[TABLE_SIZE];
	char *section_names[MAX_SECTIONS];
	int nsections;
	yajl_gen extra, cores, sensors;
	int extra_open;             /* the extra map has been started */
	struct pk_buf path;         /* dotted path of the current position */
	size_t pathlen[MAX_DEPTH + 1];
	unsigned char is_array[MAX_DEPTH + 1];
	int depth;                  /* open maps/arrays */
	const struct field *pending;/* field of the last key, until its value */
	int capture_depth;          /* > 0: copying a subtree into *capture */
	yajl_gen capture;
	double *v;
	struct pk_buf ts, profile, nanfix;
	int have_ts, have_profile, ts_not_string;
	int available[MAX_SECTIONS];          /* -1 unknown, 0, 1 */
	struct pk_buf reason[MAX_SECTIONS];
	int has_reason[MAX_SECTIONS];
	const char *fail;           /* reason the callbacks stopped the parse */
	struct pk_buf json_unavail;
};

static size_t slot_of(const char *p, size_t n)
{
	return (size_t)(pk_fnv1a(PK_FNV_INIT, p, n) & (TABLE_SIZE - 1));
}

static const struct field *lookup(const struct hw_state *st, const char *p, size_t n)
{
	for (size_t i = slot_of(p, n);; i = (i + 1) & (TABLE_SIZE - 1)) {
		const struct field *f = &st->table[i];
		if (!f->path)
			return NULL;
		if (strlen(f->path) == n && memcmp(f->path, p, n) == 0)
			return f;
	}
}

static int add_field(struct hw_state *st, const char *p, size_t n,
                     enum field_kind kind, int index)
{
	if (lookup(st, p, n))
		return 0;
	size_t i = slot_of(p, n);
	while (st->table[i].path)
		i = (i + 1) & (TABLE_SIZE - 1);
	st->table[i].path = strndup(p, n);
	if (!st->table[i].path)
		return -1;
	st->table[i].kind = kind;
	st->table[i].index = index;
	return 0;
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
	if (add_field(st, "timestamp", 9, F_TIMESTAMP, 0) ||
	    add_field(st, "profile_name", 12, F_PROFILE, 0) ||
	    add_field(st, "cpu.percent_per_core", 20, F_CORES, 0) ||
	    add_field(st, "thermal.sensors", 15, F_SENSORS, 0))
		return -1;
	for (size_t m = 0; m < pk_hw_nmetrics; m++) {
		const char *name = pk_hw_metrics[m].name;
		const char *dot = strchr(name, '.');
		int sec = dot ? section_index(st, name, (size_t)(dot - name)) : -1;
		if (dot && sec < 0)
			return -1;
		for (const char *d = dot; d; d = strchr(d + 1, '.'))
			if (add_field(st, name, (size_t)(d - name), F_CONTAINER, sec))
				return -1;
		if (add_field(st, name, strlen(name), F_METRIC, (int)m))
			return -1;
	}
	for (int s = 0; s < st->nsections; s++)
		for (size_t k = 0; k < 3; k++) {
			int n = snprintf(tmp, sizeof tmp, "%s.%s", st->section_names[s], sect_keys[k]);
			if (n < 0 || (size_t)n >= sizeof tmp || add_field(st, tmp, (size_t)n, sect_kinds[k], s))
				return -1;
		}
	return 0;
}

static void hw_close(void *state);

static void *hw_open(struct pk_sink *sink)
{
	(void)sink;
	struct hw_state *st = calloc(1, sizeof *st);
	if (!st)
		return NULL;
	st->v = malloc(pk_hw_nmetrics * sizeof *st->v);
	st->extra = yajl_gen_alloc(NULL);
	st->cores = yajl_gen_alloc(NULL);
	st->sensors = yajl_gen_alloc(NULL);
	if (!st->v || !st->extra || !st->cores || !st->sensors || build_table(st)) {
		hw_close(st);
		return NULL;
	}
	return st;
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
	if (st->extra) yajl_gen_free(st->extra);
	if (st->cores) yajl_gen_free(st->cores);
	if (st->sensors) yajl_gen_free(st->sensors);
	pk_buf_free(&st->path);
	pk_buf_free(&st->ts);
	pk_buf_free(&st->profile);
	pk_buf_free(&st->nanfix);
	pk_buf_free(&st->json_unavail);
	free(st->v);
	free(st);
}

static void reset_line(struct hw_state *st)
{
	for (size_t m = 0; m < pk_hw_nmetrics; m++)
		st->v[m] = NAN;
	yajl_gen_reset(st->extra, NULL);
	yajl_gen_clear(st->extra);
	yajl_gen_reset(st->cores, NULL);
	yajl_gen_clear(st->cores);
	yajl_gen_reset(st->sensors, NULL);
	yajl_gen_clear(st->sensors);
	st->extra_open = 0;
	pk_buf_reset(&st->path);
	st->depth = 0;
	st->pending = NULL;
	st->capture_depth = 0;
	st->capture = NULL;
	st->have_ts = st->have_profile = st->ts_not_string = 0;
	for (int s = 0; s < st->nsections; s++) {
		st->available[s] = -1;
		st->has_reason[s] = 0;
	}
	st->fail = NULL;
}

/* Starts a copy of the current value into extra, keyed by the current path. */
static int begin_extra(struct hw_state *st)
{
	if (!st->extra_open) {
		if (yajl_gen_map_open(st->extra) != yajl_gen_status_ok)
			return 0;
		st->extra_open = 1;
	}
	return yajl_gen_string(st->extra, (const unsigned char *)st->path.data,
	                       st->path.len) == yajl_gen_status_ok;
}

#define GEN_OK(x) ((x) == yajl_gen_status_ok)

static int cb_null(void *ctx);
static int cb_bool(void *ctx, int b);
static int cb_number(void *ctx, const char *s, size_t n);
static int cb_string(void *ctx, const unsigned char *s, size_t n);
static int cb_start_map(void *ctx);
static int cb_map_key(void *ctx, const unsigned char *s, size_t n);
static int cb_end_map(void *ctx);
static int cb_start_array(void *ctx);
static int cb_end_array(void *ctx);

static const yajl_callbacks callbacks = {
	cb_null, cb_bool, NULL, NULL, cb_number, cb_string,
	cb_start_map, cb_map_key, cb_end_map, cb_start_array, cb_end_array
};

/* The field the value now starting belongs to (unknown when its key is not
 * in the table).  Arrays outside a capture cannot occur: every array is
 * captured, into cores, sensors or extra. */
static const struct field unknown_field = { NULL, F_UNKNOWN, 0 };

static const struct field *value_field(struct hw_state *st)
{
	const struct field *f = st->pending;
	st->pending = NULL;
	return f ? f : &unknown_field;
}

/* A value that does not fit its field, or an unknown field: its key goes
 * to extra, the caller writes the value (or captures the container). */
static int to_extra(struct hw_state *st)
{
	return begin_extra(st);
}

static int cb_null(void *ctx)
{
	struct hw_state *st = ctx;
	if (st->capture_depth)
		return GEN_OK(yajl_gen_null(st->capture));
	if (st->depth == 0) {
		st->fail = "expected a JSON object, got null";
		return 0;
	}
	const struct field *f = value_field(st);
	switch (f->kind) {
	case F_METRIC: case F_CORES: case F_SENSORS:
		return 1;                       /* missing */
	case F_CONTAINER:
		if (f->index >= 0 && st->depth == 1 && !st->has_reason[f->index]) {
			pk_buf_reset(&st->reason[f->index]);
			pk_buf_puts(&st->reason[f->index], "section is null");
			st->has_reason[f->index] = 1;
		}
		return 1;
	case F_PROFILE: case F_TIMESTAMP:
		return 1;
	default:
		return to_extra(st) && GEN_OK(yajl_gen_null(st->extra));
	}
}

static int cb_bool(void *ctx, int b)
{
	struct hw_state *st = ctx;
	if (st->capture_depth)
		return GEN_OK(yajl_gen_bool(st->capture, b));
	if (st->depth == 0) {
		st->fail = "expected a JSON object, got a boolean";
		return 0;
	}
	const struct field *f = value_field(st);
	if (f->kind == F_AVAILABLE) {
		st->available[f->index] = b ? 1 : 0;
		return 1;
	}
	return to_extra(st) && GEN_OK(yajl_gen_bool(st->extra, b));
}

static int cb_number(void *ctx, const char *s, size_t n)
{
	struct hw_state *st = ctx;
	if (st->capture_depth)
		return GEN_OK(yajl_gen_number(st->capture, s, n));
	if (st->depth == 0) {
		st->fail = "expected a JSON object, got a number";
		return 0;
	}
	const struct field *f = value_field(st);
	if (f->kind == F_METRIC) {
		char tmp[64];
		if (n < sizeof tmp) {
			memcpy(tmp, s, n);
			tmp[n] = '\0';
			char *end;
			errno = 0;
			double d = strtod(tmp, &end);
			if (end == tmp + n && isfinite(d)) {
				st->v[f->index] = d;   /* denormals (ERANGE) are kept */
				return 1;
			}
		}
		/* out of double range: missing, the text kept in extra */
	}
	return to_extra(st) && GEN_OK(yajl_gen_number(st->extra, s, n));
}

static int cb_string(void *ctx, const unsigned char *s, size_t n)
{
	struct hw_state *st = ctx;
	if (st->capture_depth)
		return GEN_OK(yajl_gen_string(st->capture, s, n));
	if (st->depth == 0) {
		st->fail = "expected a JSON object, got a string";
		return 0;
	}
	const struct field *f = value_field(st);
	switch (f->kind) {
	case F_TIMESTAMP:
		pk_buf_reset(&st->ts);
		if (pk_buf_append(&st->ts, s, n) != PK_OK)
			return 0;
		st->have_ts = 1;
		return 1;
	case F_PROFILE:
		pk_buf_reset(&st->profile);
		if (pk_buf_append(&st->profile, s, n) != PK_OK)
			return 0;
		st->have_profile = 1;
		return 1;
	case F_ERROR: case F_REASON:
		if (f->kind == F_ERROR || !st->has_reason[f->index]) {
			pk_buf_reset(&st->reason[f->index]);
			if (pk_buf_append(&st->reason[f->index], s, n) != PK_OK)
				return 0;
			st->has_reason[f->index] = 1;
		}
		if (f->kind == F_ERROR)
			st->available[f->index] = 0;
		return 1;
	default:
		return to_extra(st) && GEN_OK(yajl_gen_string(st->extra, s, n));
	}
}

static int push(struct hw_state *st, int is_array)
{
	if (st->depth >= MAX_DEPTH) {
		st->fail = "JSON nested deeper than 64 levels";
		return 0;
	}
	st->depth++;
	st->is_array[st->depth] = (unsigned char)is_array;
	st->pathlen[st->depth] = st->path.len;
	return 1;
}

/* Starts capturing the container that begins now into g. */
static int begin_capture(struct hw_state *st, yajl_gen g, int is_array)
{
	st->capture = g;
	st->capture_depth = 1;
	if (!push(st, is_array))
		return 0;
	return GEN_OK(is_array ? yajl_gen_array_open(g) : yajl_gen_map_open(g));
}

static int start_container(struct hw_state *st, int is_array)
{
	if (st->capture_depth) {
		if (!push(st, is_array))
			return 0;
		st->capture_depth++;
		return GEN_OK(is_array ? yajl_gen_array_open(st->capture)
		                       : yajl_gen_map_open(st->capture));
	}
	if (st->depth == 0) {
		if (is_array) {
			st->fail = "expected a JSON object, got an array";
			return 0;
		}
		return push(st, 0);
	}
	const struct field *f = value_field(st);
	if (f->kind == F_CONTAINER && !is_array)
		return push(st, 0);
	if (f->kind == F_CORES && is_array)
		return begin_capture(st, st->cores, 1);
	if (f->kind == F_SENSORS && is_array)
		return begin_capture(st, st->sensors, 1);
	if (f->kind == F_CONTAINER && f->index >= 0 && st->depth == 1) {
		pk_buf_reset(&st->reason[f->index]);
		pk_buf_puts(&st->reason[f->index], "section is not an object");
		st->has_reason[f->index] = 1;
	}
	if (!to_extra(st))
		return 0;
	return begin_capture(st, st->extra, is_array);
}

static int end_container(struct hw_state *st, int is_array)
{
	if (st->capture_depth) {
		st->capture_depth--;
		yajl_gen g = st->capture;
		if (!st->capture_depth)
			st->capture = NULL;
		st->depth--;
		st->path.len = st->pathlen[st->depth + 1];
		return GEN_OK(is_array ? yajl_gen_array_close(g) : yajl_gen_map_close(g));
	}
	st->path.len = st->pathlen[st->depth];
	if (st->path.data)
		st->path.data[st->path.len] = '\0';
	st->depth--;
	return 1;
}

static int cb_start_map(void *ctx) { return start_container(ctx, 0); }
static int cb_end_map(void *ctx) { return end_container(ctx, 0); }
static int cb_start_array(void *ctx) { return start_container(ctx, 1); }
static int cb_end_array(void *ctx) { return end_container(ctx, 1); }

static int cb_map_key(void *ctx, const unsigned char *s, size_t n)
{
	struct hw_state *st = ctx;
	if (st->capture_depth)
		return GEN_OK(yajl_gen_string(st->capture, s, n));
	/* path = path of the enclosing map + "." + key */
	st->path.len = st->pathlen[st->depth];
	if (st->path.len && pk_buf_putc(&st->path, '.') != PK_OK)
		return 0;
	if (pk_buf_append(&st->path, s, n) != PK_OK)
		return 0;
	st->pending = lookup(st, st->path.data, st->path.len);
	return 1;
}

/* Builds the JSON object of section -> reason for sections without values. */
static const char *unavailable_json(struct hw_state *st)
{
	struct pk_buf *b = &st->json_unavail;
	int any = 0;
	pk_buf_reset(b);
	for (int s = 0; s < st->nsections; s++) {
		if (!st->has_reason[s] && st->available[s] != 0)
			continue;
		pk_buf_puts(b, any ? "," : "{");
		any = 1;
		pk_buf_printf(b, "\"%s\":\"", st->section_names[s]);
		const char *r = st->has_reason[s] ? st->reason[s].data : "unavailable";
		size_t n = st->has_reason[s] ? st->reason[s].len : 11;
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)r[i];
			if (c == '"' || c == '\\')
				pk_buf_printf(b, "\\%c", c);
			else if (c < 0x20)
				pk_buf_printf(b, "\\u%04x", c);
			else
				pk_buf_putc(b, (char)c);
		}
		pk_buf_putc(b, '"');
	}
	if (!any)
		return NULL;
	return pk_buf_putc(b, '}') == PK_OK ? b->data : NULL;
}

static const char *gen_text(yajl_gen g)
{
	const unsigned char *p;
	size_t n;
	if (yajl_gen_get_buf(g, &p, &n) != yajl_gen_status_ok || n == 0)
		return NULL;
	return (const char *)p;   /* yajl keeps its buffer NUL-terminated */
}

/* Parses p[0..n) with the callbacks; on error fills msg and *col. */
static int parse(struct hw_state *st, const char *p, size_t n,
                 struct pk_buf *msg, int64_t *col)
{
	reset_line(st);
	yajl_handle h = yajl_alloc(&callbacks, NULL, st);
	if (!h)
		return -1;
	yajl_status s = yajl_parse(h, (const unsigned char *)p, n);
	if (s == yajl_status_ok)
		s = yajl_complete_parse(h);
	int ok = s == yajl_status_ok;
	if (!ok) {
		*col = (int64_t)yajl_get_bytes_consumed(h) + 1;
		if (s == yajl_status_client_canceled && st->fail) {
			pk_buf_puts(msg, st->fail);
		} else {
			unsigned char *e = yajl_get_error(h, 0, (const unsigned char *)p, n);
			const char *t = e ? (const char *)e : "invalid JSON";
			size_t len = strlen(t);
			while (len && (t[len - 1] == '\n' || t[len - 1] == ' '))
				len--;
			pk_buf_puts(msg, "invalid JSON: ");
			if (len > 13 && memcmp(t, "parse error: ", 13) == 0) {
				t += 13;
				len -= 13;
			}
			pk_buf_append(msg, t, len);
			if (e)
				yajl_free_error(h, e);
		}
	}
	yajl_free(h);
	return ok;
}

static int valid_profile(const char *p, size_t n, const char **why)
{
	if (n == 0) {
		*why = "profile_name is empty";
		return 0;
	}
	if (n > PROFILE_MAX) {
		*why = "profile_name longer than 256 bytes";
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f) {
			*why = "profile_name contains control characters";
			return 0;
		}
	return 1;
}

static enum pk_status hw_line(void *state, struct pk_sink *sink,
                              const char *p, size_t n, int64_t lineno)
{
	struct hw_state *st = state;
	struct pk_buf msg = PK_BUF_INIT;
	int64_t col = 0;
	enum pk_status rc = PK_OK;
	int ok = parse(st, p, n, &msg, &col);
	if (ok == 0) {
		long fixed = pk_json_nan_to_null(p, n, &st->nanfix);
		if (fixed > 0) {
			struct pk_buf msg2 = PK_BUF_INIT;
			int64_t col2 = 0;
			ok = parse(st, st->nanfix.data, st->nanfix.len, &msg2, &col2);
			pk_buf_free(&msg2);
		} else if (fixed < 0) {
			ok = -1;
		}
	}
	if (ok < 0) {
		rc = PK_ERR_NOMEM;
		goto out;
	}
	if (!ok) {
		rc = pk_sink_reject(sink, lineno, col, msg.data ? msg.data : "invalid JSON", p, n);
		goto out;
	}
	const char *why = NULL;
	int64_t ts_us = 0;
	if (!st->have_ts) {
		rc = pk_sink_reject(sink, lineno, 0, "no timestamp", p, n);
		goto out;
	}
	if (pk_time_parse_iso(st->ts.data, st->ts.len, &ts_us, &why) != PK_OK) {
		pk_buf_printf(&msg, "timestamp: %s", why);
		rc = pk_sink_reject(sink, lineno, 0, msg.data, p, n);
		goto out;
	}
	const char *profile = st->have_profile ? st->profile.data : sink->file_profile;
	size_t plen = st->have_profile ? st->profile.len : profile ? strlen(profile) : 0;
	if (!profile) {
		rc = pk_sink_reject(sink, lineno, 0, "no profile_name, and the file "
		                    "name is not hardware_profile_<profile>.jsonl", p, n);
		goto out;
	}
	if (!valid_profile(profile, plen, &why) || memchr(profile, '\0', plen)) {
		rc = pk_sink_reject(sink, lineno, 0, why ? why : "profile_name contains NUL", p, n);
		goto out;
	}
	for (size_t m = 0; m < pk_hw_nmetrics; m++)
		if ((pk_hw_metrics[m].flags & PK_METRIC_ZERO_IS_MISSING) && st->v[m] == 0)
			st->v[m] = NAN;
	if (st->extra_open && yajl_gen_map_close(st->extra) != yajl_gen_status_ok) {
		rc = PK_ERR_NOMEM;
		goto out;
	}
	struct pk_hw_record r = {
		.ts_us = ts_us, .line = lineno, .v = st->v,
		.per_core = gen_text(st->cores), .sensors = gen_text(st->sensors),
		.unavailable = unavailable_json(st),
		.extra = st->extra_open ? gen_text(st->extra) : NULL,
	};
	rc = pk_sink_hw_sample(sink, profile, &r);
out:
	pk_buf_free(&msg);
	return rc;
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
	       (memmem(head, first, "\"cpu\"", 5) || memmem(head, first, "\"gpu\"", 5));
}

const struct pk_reader pk_reader_hw_jsonl = {
	.name = "hw_jsonl",
	.description = "F1 hardware samples, one JSON object a line (hardware_profile_<profile>.jsonl)",
	.detect = hw_detect,
	.open = hw_open,
	.line = hw_line,
	.close = hw_close,
};
