/* json_rows.c - typed rows built from JSON document events, and the spool of
 * rows waiting for their identity key (see json_rows.h). */
#include "json_rows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/number.h"
#include "../../core/timeutil.h"
#include "../pipeline/sink.h"

/* ---- typed rows ---- */

void pk_jrow_reset(struct pk_jrow *r, const struct pk_table *t, int extra_col)
{
	r->t = t;
	for (size_t c = 0; c < t->ncols && c < PK_JROW_MAX_COLS; c++)
		r->v[c] = pk_v_null();
	r->line = 0;
	pk_buf_reset(&r->text);
	pk_buf_reset(&r->extra);
	for (int i = 0; i < 2; i++) {
		pk_buf_reset(&r->json[i]);
		r->json_col[i] = -1;
		r->json_ok[i] = 0;
	}
	r->extra_col = extra_col;
}

void pk_jrow_free(struct pk_jrow *r)
{
	pk_buf_free(&r->text);
	pk_buf_free(&r->extra);
	pk_buf_free(&r->json[0]);
	pk_buf_free(&r->json[1]);
}

const struct pk_jfield *pk_jfield_find(const struct pk_jfield *f, size_t nf,
                                       const char *key, size_t n)
{
	for (size_t i = 0; i < nf; i++)
		if (strlen(f[i].key) == n && memcmp(f[i].key, key, n) == 0)
			return &f[i];
	return NULL;
}

enum pk_status pk_jrow_text(struct pk_jrow *r, int c, const char *s, size_t n)
{
	size_t off = r->text.len;
	enum pk_status rc = pk_buf_append(&r->text, s, n);
	if (rc == PK_OK)
		r->v[c] = (struct pk_value){ PK_V_TEXT, (int64_t)off, 0, NULL, n };
	return rc;
}

enum pk_status pk_jrow_set(struct pk_jrow *r, struct pk_jdoc *d, const struct pk_jfield *f,
                           enum pk_jev ev, const char *s, size_t n, int from)
{
	int container = ev == PK_JEV_MAP || ev == PK_JEV_ARRAY;
	if (ev == PK_JEV_NULL)
		return PK_OK;
	if (f->type == PK_JT_JSON) {
		pk_buf_reset(&r->json[f->slot]);
		r->json_col[f->slot] = f->col;
		enum pk_status rc = pk_jdoc_capture(d, &r->json[f->slot], PK_JDOC_KEEP_MAX,
		                                    &r->json_ok[f->slot]);
		if (container)
			pk_jdoc_skip(d);
		return rc;
	}
	int64_t i;
	double x;
	const char *why;
	if (!container) {
		switch (f->type) {
		case PK_JT_INT:
			if (ev == PK_JEV_NUMBER && pk_jdoc_int(s, n, &i) == 0) {
				r->v[f->col] = pk_v_int(i);
				return PK_OK;
			}
			break;
		case PK_JT_REAL:
			if (ev == PK_JEV_NUMBER && pk_parse_double(s, n, &x) == 0) {
				r->v[f->col] = pk_v_real(x);
				return PK_OK;
			}
			break;
		case PK_JT_BOOL:
			if (ev == PK_JEV_BOOL) {
				r->v[f->col] = pk_v_int(s[0] == 't');
				return PK_OK;
			}
			break;
		case PK_JT_TEXT:
			if (ev == PK_JEV_STRING)
				return pk_jrow_text(r, f->col, s, n);
			break;
		case PK_JT_TIME:
			if ((ev == PK_JEV_NUMBER && pk_time_parse_epoch(s, n, &i, &why) == PK_OK) ||
			    (ev == PK_JEV_STRING && pk_time_parse_any(s, n, &i, &why) == PK_OK)) {
				r->v[f->col] = pk_v_int(i);
				return PK_OK;
			}
			break;
		case PK_JT_JSON:
			break;
		}
	}
	if (from < 0) {
		if (container)
			pk_jdoc_skip(d);
		return PK_OK;
	}
	return pk_jdoc_keep(d, &r->extra, from);
}

enum pk_status pk_jrow_done(struct pk_jrow *r)
{
	for (size_t c = 0; c < r->t->ncols; c++)
		if (r->v[c].kind == PK_V_TEXT && !r->v[c].s)
			r->v[c].s = r->text.data + r->v[c].i;
	for (int i = 0; i < 2; i++)
		if (r->json_col[i] >= 0 && r->json_ok[i] && r->json[i].len)
			r->v[r->json_col[i]] = pk_v_text(r->json[i].data, r->json[i].len);
	if (r->extra_col >= 0 && r->extra.len) {
		if (pk_buf_putc(&r->extra, '}') != PK_OK)
			return PK_ERR_NOMEM;
		r->v[r->extra_col] = pk_v_text(r->extra.data, r->extra.len);
	}
	return PK_OK;
}

/* ---- the spool ---- */

struct pk_row_spool {
	FILE *fp;
	int64_t n;
	struct pk_buf rec;
};

enum pk_status pk_row_spool_put(struct pk_row_spool **sp, const struct pk_table *t,
                                int64_t line, const struct pk_value *v)
{
	struct pk_row_spool *s = *sp;
	if (!s) {
		if (!(s = calloc(1, sizeof *s)))
			return PK_ERR_NOMEM;
		if (!(s->fp = tmpfile())) {
			free(s);
			return PK_ERR_IO;
		}
		*sp = s;
	}
	struct pk_buf *b = &s->rec;
	pk_buf_reset(b);
	enum pk_status rc = pk_buf_append(b, &t, sizeof t);
	if (rc == PK_OK)
		rc = pk_buf_append(b, &line, sizeof line);
	for (size_t c = 1; c < t->ncols && rc == PK_OK; c++) {
		char k = (char)v[c].kind;
		uint64_t len = v[c].n;
		rc = pk_buf_putc(b, k);
		if (rc == PK_OK && v[c].kind == PK_V_INT)
			rc = pk_buf_append(b, &v[c].i, sizeof v[c].i);
		else if (rc == PK_OK && v[c].kind == PK_V_REAL)
			rc = pk_buf_append(b, &v[c].d, sizeof v[c].d);
		else if (rc == PK_OK && v[c].kind == PK_V_TEXT) {
			rc = pk_buf_append(b, &len, sizeof len);
			if (rc == PK_OK)
				rc = pk_buf_append(b, v[c].s, v[c].n);
		}
	}
	uint64_t total = b->len;
	if (rc == PK_OK && (fwrite(&total, sizeof total, 1, s->fp) != 1 ||
	                    fwrite(b->data, 1, b->len, s->fp) != b->len))
		rc = PK_ERR_IO;
	if (rc == PK_OK)
		s->n++;
	return rc;
}

enum pk_status pk_row_spool_replay(struct pk_row_spool *s, struct pk_sink *sink,
                                   struct pk_value key)
{
	if (!s || !s->n)
		return PK_OK;
	enum pk_status rc = PK_OK;
	rewind(s->fp);
	struct pk_value v[PK_JROW_MAX_COLS];
	uint64_t total;
	for (int64_t r = 0; r < s->n && rc == PK_OK; r++) {
		pk_buf_reset(&s->rec);
		if (fread(&total, sizeof total, 1, s->fp) != 1 ||
		    pk_buf_reserve(&s->rec, (size_t)total) != PK_OK ||
		    fread(s->rec.data, 1, (size_t)total, s->fp) != total) {
			rc = PK_ERR_IO;
			break;
		}
		const char *p = s->rec.data;
		const struct pk_table *t;
		int64_t line;
		memcpy(&t, p, sizeof t);
		p += sizeof t;
		memcpy(&line, p, sizeof line);
		p += sizeof line;
		v[0] = key;
		for (size_t c = 1; c < t->ncols && c < PK_JROW_MAX_COLS; c++) {
			v[c] = pk_v_null();
			v[c].kind = (enum pk_vkind)*p++;
			if (v[c].kind == PK_V_INT) {
				memcpy(&v[c].i, p, sizeof v[c].i);
				p += sizeof v[c].i;
			} else if (v[c].kind == PK_V_REAL) {
				memcpy(&v[c].d, p, sizeof v[c].d);
				p += sizeof v[c].d;
			} else if (v[c].kind == PK_V_TEXT) {
				uint64_t len;
				memcpy(&len, p, sizeof len);
				p += sizeof len;
				v[c].s = p;
				v[c].n = (size_t)len;
				p += len;
			}
		}
		rc = pk_sink_row(sink, t, line, v);
	}
	fclose(s->fp);
	s->fp = tmpfile();
	s->n = 0;
	return rc != PK_OK ? rc : s->fp ? PK_OK : PK_ERR_IO;
}

void pk_row_spool_free(struct pk_row_spool **sp)
{
	struct pk_row_spool *s = *sp;
	if (!s)
		return;
	if (s->fp)
		fclose(s->fp);
	pk_buf_free(&s->rec);
	free(s);
	*sp = NULL;
}
