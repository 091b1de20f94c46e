/* generic_rule.c - the one F8 record -> metric values rule (see
 * generic_rule.h), and pk_generic_extract (generic_chunks.h), which feeds it
 * the events of a stored record's JSON. */
#include "generic_rule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "generic_chunks.h"
#include "number.h"
#include "utf8.h"

const char *const pk_generic_time_keys[PK_GENERIC_NTIME_KEYS] = {
	"timestamp", "time", "ts", "iso_ts", "datetime"
};

void pk_generic_rule_begin(struct pk_generic_rule *r)
{
	pk_buf_reset(&r->path);
	pk_buf_reset(&r->names);
	r->depth = 0;
	r->time_prio = PK_GENERIC_NTIME_KEYS;
	r->csv_shape = 1;
	r->nf = 0;
	r->nomem = 0;
}

void pk_generic_rule_free(struct pk_generic_rule *r)
{
	pk_buf_free(&r->path);
	pk_buf_free(&r->names);
	free(r->f);
	r->f = NULL;
	r->nf = r->cap = 0;
}

static int metric_name_ok(const char *p, size_t n)
{
	return n > 0 && n <= PK_GENERIC_METRIC_MAX && !pk_utf8_has_control(p, n);
}

static int keep(struct pk_generic_rule *e, double v, int is_string)
{
	if (!metric_name_ok(e->path.data, e->path.len))
		return 1;
	if (e->nf == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 32;
		struct pk_generic_found *f = realloc(e->f, cap * sizeof *f);
		if (!f)
			return !(e->nomem = 1);
		e->f = f;
		e->cap = cap;
	}
	e->f[e->nf] = (struct pk_generic_found){ e->names.len, e->path.len, v, is_string };
	if (pk_buf_append(&e->names, e->path.data, e->path.len) != PK_OK)
		return !(e->nomem = 1);
	e->nf++;
	return 1;
}

/* The path of the value now starting (array elements: parent.INDEX). */
static int value_start(struct pk_generic_rule *e)
{
	if (e->depth > 0 && e->is_array[e->depth]) {
		char num[24];
		int len = snprintf(num, sizeof num, ".%zu", e->index[e->depth]++);
		e->path.len = e->pathlen[e->depth];
		if (pk_buf_append(&e->path, num, (size_t)len) != PK_OK)
			return !(e->nomem = 1);
	}
	if (e->depth != 1 || e->is_array[1])
		e->csv_shape = 0;
	return 1;
}

int pk_generic_rule_other(struct pk_generic_rule *e)
{
	e->csv_shape = 0;
	return value_start(e);
}

int pk_generic_rule_number(struct pk_generic_rule *e, const char *s, size_t n)
{
	e->csv_shape = 0;
	double v;
	if (!value_start(e))
		return 0;
	return pk_parse_double(s, n, &v) != 0 || keep(e, v, 0);
}

int pk_generic_rule_string(struct pk_generic_rule *e, const char *s, size_t n)
{
	double v;
	if (!value_start(e))
		return 0;
	if (e->depth != 1 || !e->csv_shape || n == 0 || pk_parse_double(s, n, &v) != 0)
		return 1;
	return keep(e, v, 1);
}

int pk_generic_rule_start(struct pk_generic_rule *e, int is_array)
{
	if (e->depth && (e->csv_shape = 0, !value_start(e)))
		return 0;
	if (e->depth > PK_GENERIC_MAX_DEPTH)
		return 0;
	e->depth++;
	e->pathlen[e->depth] = e->path.len;
	e->is_array[e->depth] = (unsigned char)is_array;
	e->index[e->depth] = 0;
	return 1;
}

int pk_generic_rule_end(struct pk_generic_rule *e)
{
	e->path.len = e->pathlen[e->depth];
	e->depth--;
	return 1;
}

int pk_generic_rule_key(struct pk_generic_rule *e, const char *s, size_t n)
{
	e->path.len = e->pathlen[e->depth];
	if (e->path.len && pk_buf_putc(&e->path, '.') != PK_OK)
		return !(e->nomem = 1);
	if (pk_buf_append(&e->path, s, n) != PK_OK)
		return !(e->nomem = 1);
	if (e->depth == 1)
		for (int k = 0; k < e->time_prio; k++)
			if (strlen(pk_generic_time_keys[k]) == n &&
			    memcmp(pk_generic_time_keys[k], s, n) == 0)
				e->time_prio = k;
	return 1;
}

enum pk_status pk_generic_rule_finish(struct pk_generic_rule *e,
                                      int (*fn)(void *ctx, const char *metric,
                                                size_t len, double v),
                                      void *ctx)
{
	if (e->nomem)
		return PK_ERR_NOMEM;
	const char *skip = e->time_prio < PK_GENERIC_NTIME_KEYS
	                   ? pk_generic_time_keys[e->time_prio] : NULL;
	size_t skip_len = skip ? strlen(skip) : 0;
	for (size_t i = 0; i < e->nf; i++) {
		const struct pk_generic_found *f = &e->f[i];
		const char *name = e->names.data + f->off;
		if (f->is_string && !e->csv_shape)
			continue;
		if (skip && f->len == skip_len && memcmp(name, skip, skip_len) == 0)
			continue;
		if (fn(ctx, name, f->len, f->v))
			return PK_ERR_NOMEM;
	}
	return PK_OK;
}

/* ---- a stored record's JSON through the rule ---- */

static int x_null(void *ctx) { return pk_generic_rule_other(ctx); }
static int x_bool(void *ctx, int b) { (void)b; return pk_generic_rule_other(ctx); }
static int x_number(void *ctx, const char *s, size_t n)
{
	return pk_generic_rule_number(ctx, s, n);
}
static int x_string(void *ctx, const unsigned char *s, size_t n)
{
	return pk_generic_rule_string(ctx, (const char *)s, n);
}
static int x_key(void *ctx, const unsigned char *s, size_t n)
{
	return pk_generic_rule_key(ctx, (const char *)s, n);
}
static int x_start_map(void *ctx) { return pk_generic_rule_start(ctx, 0); }
static int x_start_array(void *ctx) { return pk_generic_rule_start(ctx, 1); }
static int x_end(void *ctx) { return pk_generic_rule_end(ctx); }

static const yajl_callbacks x_callbacks = {
	x_null, x_bool, NULL, NULL, x_number, x_string,
	x_start_map, x_key, x_end, x_start_array, x_end
};

enum pk_status pk_generic_extract(const char *json, size_t n, pk_generic_metric_fn fn,
                                  void *ctx)
{
	struct pk_generic_rule e = { .path = PK_BUF_INIT, .names = PK_BUF_INIT };
	pk_generic_rule_begin(&e);
	yajl_handle h = yajl_alloc(&x_callbacks, NULL, &e);
	if (!h)
		return PK_ERR_NOMEM;
	yajl_status s = yajl_parse(h, (const unsigned char *)json, n);
	if (s == yajl_status_ok)
		s = yajl_complete_parse(h);
	yajl_free(h);
	/* a record perfkit did not write (not JSON): no values */
	enum pk_status rc = e.nomem ? PK_ERR_NOMEM
	                    : s == yajl_status_ok ? pk_generic_rule_finish(&e, fn, ctx) : PK_OK;
	pk_generic_rule_free(&e);
	return rc;
}
