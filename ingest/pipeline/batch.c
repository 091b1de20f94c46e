/* batch.c - packing and unpacking records (see batch.h).  Layout: a kind
 * byte, then fixed 8-byte integers and doubles, then strings as an 8-byte
 * length (UINT64_MAX for none) followed by the bytes and a NUL. */
#include "batch.h"

#include <string.h>

#include "../../core/metrics.h"

enum { KIND_HW = 1, KIND_REJECT = 2, KIND_ROW = 3, KIND_GENERIC = 4, KIND_GENERIC_END = 5,
       KIND_WARNING = 6 };

static enum pk_status put_u64(struct pk_buf *b, uint64_t v)
{
	return pk_buf_append(b, &v, sizeof v);
}

static enum pk_status put_str(struct pk_buf *b, const char *s, size_t n)
{
	if (!s)
		return put_u64(b, UINT64_MAX);
	enum pk_status rc = put_u64(b, n);
	if (rc == PK_OK)
		rc = pk_buf_append(b, s, n);
	return rc == PK_OK ? pk_buf_putc(b, '\0') : rc;
}

static enum pk_status put_cstr(struct pk_buf *b, const char *s)
{
	return put_str(b, s, s ? strlen(s) : 0);
}

enum pk_status pk_batch_put_hw(struct pk_batch *b, const char *profile,
                               const struct pk_hw_record *r)
{
	size_t mark = b->bytes.len;
	enum pk_status rc = pk_buf_putc(&b->bytes, KIND_HW);
	if (rc == PK_OK) rc = put_u64(&b->bytes, (uint64_t)r->line);
	if (rc == PK_OK) rc = put_u64(&b->bytes, (uint64_t)r->ts_us);
	if (rc == PK_OK) rc = put_cstr(&b->bytes, profile);
	if (rc == PK_OK) rc = pk_buf_append(&b->bytes, r->v, pk_hw_nmetrics * sizeof *r->v);
	if (rc == PK_OK) rc = put_cstr(&b->bytes, r->per_core);
	if (rc == PK_OK) rc = put_cstr(&b->bytes, r->sensors);
	if (rc == PK_OK) rc = put_cstr(&b->bytes, r->unavailable);
	if (rc == PK_OK) rc = put_cstr(&b->bytes, r->extra);
	if (rc != PK_OK) {
		b->bytes.len = mark;
		return rc;
	}
	b->nrec++;
	return PK_OK;
}

enum pk_status pk_batch_put_reject(struct pk_batch *b, int64_t line, int64_t col,
                                   const char *reason, const char *raw,
                                   size_t raw_len, int64_t raw_size)
{
	size_t mark = b->bytes.len;
	enum pk_status rc = pk_buf_putc(&b->bytes, KIND_REJECT);
	if (rc == PK_OK) rc = put_u64(&b->bytes, (uint64_t)line);
	if (rc == PK_OK) rc = put_u64(&b->bytes, (uint64_t)col);
	if (rc == PK_OK) rc = put_u64(&b->bytes, (uint64_t)raw_size);
	if (rc == PK_OK) rc = put_cstr(&b->bytes, reason);
	if (rc == PK_OK) rc = put_str(&b->bytes, raw ? raw : "", raw_len);
	if (rc != PK_OK) {
		b->bytes.len = mark;
		return rc;
	}
	b->nrec++;
	return PK_OK;
}

enum pk_status pk_batch_put_warning(struct pk_batch *b, int64_t line, int64_t col,
                                    const char *reason)
{
	size_t mark = b->bytes.len;
	enum pk_status rc = pk_buf_putc(&b->bytes, KIND_WARNING);
	if (rc == PK_OK) rc = put_u64(&b->bytes, (uint64_t)line);
	if (rc == PK_OK) rc = put_u64(&b->bytes, (uint64_t)col);
	if (rc == PK_OK) rc = put_cstr(&b->bytes, reason);
	if (rc != PK_OK) {
		b->bytes.len = mark;
		return rc;
	}
	b->nrec++;
	return PK_OK;
}

/* A row after its kind byte. */
static enum pk_status put_row(struct pk_batch *b, const struct pk_table *t,
                              int64_t line, const struct pk_value *v)
{
	enum pk_status rc = pk_buf_append(&b->bytes, &t, sizeof t);
	if (rc == PK_OK) rc = put_u64(&b->bytes, (uint64_t)line);
	for (size_t c = 0; c < t->ncols && rc == PK_OK; c++) {
		rc = pk_buf_putc(&b->bytes, (char)v[c].kind);
		if (rc != PK_OK)
			break;
		switch (v[c].kind) {
		case PK_V_NULL: break;
		case PK_V_INT: rc = put_u64(&b->bytes, (uint64_t)v[c].i); break;
		case PK_V_REAL: rc = pk_buf_append(&b->bytes, &v[c].d, sizeof v[c].d); break;
		case PK_V_TEXT: rc = put_str(&b->bytes, v[c].s ? v[c].s : "", v[c].n); break;
		}
	}
	return rc;
}

enum pk_status pk_batch_put_row(struct pk_batch *b, const struct pk_table *t,
                                int64_t line, const struct pk_value *v)
{
	if (t->ncols > PK_ROW_MAX_COLS)
		return PK_ERR_INPUT;
	size_t mark = b->bytes.len;
	enum pk_status rc = pk_buf_putc(&b->bytes, KIND_ROW);
	if (rc == PK_OK)
		rc = put_row(b, t, line, v);
	if (rc != PK_OK) {
		b->bytes.len = mark;
		return rc;
	}
	b->nrec++;
	return PK_OK;
}

/* Layout after the row: an 8-byte count, then per field an 8-byte length,
 * the path's bytes and the 8-byte double. */
enum pk_status pk_batch_put_generic(struct pk_batch *b, const struct pk_table *t,
                                    int64_t line, const struct pk_value *v,
                                    const struct pk_generic_value *m, size_t nm)
{
	if (t->ncols > PK_ROW_MAX_COLS || t->ncols < 2)
		return PK_ERR_INPUT;
	size_t mark = b->bytes.len;
	enum pk_status rc = pk_buf_putc(&b->bytes, KIND_GENERIC);
	if (rc == PK_OK) rc = put_row(b, t, line, v);
	if (rc == PK_OK) rc = put_u64(&b->bytes, nm);
	for (size_t i = 0; i < nm && rc == PK_OK; i++) {
		rc = put_u64(&b->bytes, m[i].len);
		if (rc == PK_OK) rc = pk_buf_append(&b->bytes, m[i].metric, m[i].len);
		if (rc == PK_OK) rc = pk_buf_append(&b->bytes, &m[i].v, sizeof m[i].v);
	}
	if (rc != PK_OK) {
		b->bytes.len = mark;
		return rc;
	}
	b->nrec++;
	return PK_OK;
}

enum pk_status pk_batch_put_generic_end(struct pk_batch *b)
{
	enum pk_status rc = pk_buf_putc(&b->bytes, KIND_GENERIC_END);
	if (rc == PK_OK)
		b->nrec++;
	return rc;
}

void pk_batch_generic_value(const char **p, struct pk_generic_value *out)
{
	uint64_t n;
	memcpy(&n, *p, sizeof n);
	out->metric = *p + sizeof n;
	out->len = (size_t)n;
	memcpy(&out->v, out->metric + n, sizeof out->v);
	*p = out->metric + n + sizeof out->v;
}

int pk_batch_full(const struct pk_batch *b)
{
	return b->nrec >= PK_BATCH_RECORDS || b->bytes.len >= PK_BATCH_BYTES;
}

void pk_batch_clear(struct pk_batch *b)
{
	pk_buf_reset(&b->bytes);
	b->nrec = 0;
}

static int64_t get_i64(const char *p, size_t *pos)
{
	int64_t v;
	memcpy(&v, p + *pos, sizeof v);
	*pos += sizeof v;
	return v;
}

static const char *get_str(const char *p, size_t *pos, size_t *len)
{
	uint64_t n;
	memcpy(&n, p + *pos, sizeof n);
	*pos += sizeof n;
	if (n == UINT64_MAX) {
		if (len)
			*len = 0;
		return NULL;
	}
	const char *s = p + *pos;
	*pos += (size_t)n + 1;
	if (len)
		*len = (size_t)n;
	return s;
}

int pk_batch_next(const struct pk_batch *b, size_t *pos, struct pk_batch_rec *r,
                  double *v_scratch)
{
	if (*pos >= b->bytes.len)
		return 0;
	const char *p = b->bytes.data;
	char kind = p[(*pos)++];
	/* not the whole struct: vals[] is large and only rows use it */
	r->is_reject = 0;
	r->is_warning = 0;
	r->table = NULL;
	r->profile = NULL;
	r->hw = (struct pk_hw_record){ 0 };
	r->line = r->col = r->raw_size = 0;
	r->reason = r->raw = NULL;
	r->raw_len = 0;
	r->ngen = 0;
	r->gen = NULL;
	r->is_generic_end = kind == KIND_GENERIC_END;
	if (kind == KIND_GENERIC_END)
		return 1;
	if (kind == KIND_ROW || kind == KIND_GENERIC) {
		memcpy(&r->table, p + *pos, sizeof r->table);
		*pos += sizeof r->table;
		r->line = get_i64(p, pos);
		for (size_t c = 0; c < r->table->ncols; c++) {
			struct pk_value *v = &r->vals[c];
			v->kind = (enum pk_vkind)p[(*pos)++];
			if (v->kind == PK_V_INT) {
				v->i = get_i64(p, pos);
			} else if (v->kind == PK_V_REAL) {
				memcpy(&v->d, p + *pos, sizeof v->d);
				*pos += sizeof v->d;
			} else if (v->kind == PK_V_TEXT) {
				v->s = get_str(p, pos, &v->n);
			}
		}
		if (kind == KIND_GENERIC) {
			r->ngen = (size_t)get_i64(p, pos);
			r->gen = p + *pos;
			for (size_t i = 0; i < r->ngen; i++) {
				uint64_t len;
				memcpy(&len, p + *pos, sizeof len);
				*pos += sizeof len + (size_t)len + sizeof(double);
			}
		}
		return 1;
	}
	if (kind == KIND_WARNING) {
		r->is_warning = 1;
		r->line = get_i64(p, pos);
		r->col = get_i64(p, pos);
		r->reason = get_str(p, pos, NULL);
		return 1;
	}
	if (kind == KIND_REJECT) {
		r->is_reject = 1;
		r->line = get_i64(p, pos);
		r->col = get_i64(p, pos);
		r->raw_size = get_i64(p, pos);
		r->reason = get_str(p, pos, NULL);
		r->raw = get_str(p, pos, &r->raw_len);
		return 1;
	}
	r->hw.line = get_i64(p, pos);
	r->hw.ts_us = get_i64(p, pos);
	r->profile = get_str(p, pos, NULL);
	memcpy(v_scratch, p + *pos, pk_hw_nmetrics * sizeof *v_scratch);
	*pos += pk_hw_nmetrics * sizeof *v_scratch;
	r->hw.v = v_scratch;
	r->hw.per_core = get_str(p, pos, NULL);
	r->hw.sensors = get_str(p, pos, NULL);
	r->hw.unavailable = get_str(p, pos, NULL);
	r->hw.extra = get_str(p, pos, NULL);
	return 1;
}
