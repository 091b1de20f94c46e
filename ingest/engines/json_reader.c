/* json_reader.c - shared parts of id-keyed whole-document readers (json_reader.h). */
#include "json_reader.h"

#include <string.h>

#include "../../core/utf8.h"
#include "../pipeline/sink.h"

#define RAW_KEEP ((size_t)64 << 10)
#define ID_MAX 256

enum pk_status pk_jreader_init(struct pk_jreader *r, struct pk_sink *sink,
                               const struct pk_jreader_names *names, pk_jdoc_fn fn, void *ctx)
{
	r->sink = sink;
	r->names = names;
	r->doc = pk_jdoc_new(fn, ctx);
	return r->doc ? PK_OK : PK_ERR_NOMEM;
}

void pk_jreader_free(struct pk_jreader *r)
{
	pk_jdoc_free(&r->doc);
	pk_buf_free(&r->id);
	pk_buf_free(&r->bad);
	pk_buf_free(&r->msg);
	pk_row_spool_free(&r->spool);
}

int pk_jkey_is(const char *key, size_t kn, const char *name)
{
	return key && strlen(name) == kn && memcmp(key, name, kn) == 0;
}

int pk_jreader_is_id(const struct pk_jreader *r, const char *key, size_t kn)
{
	return pk_jkey_is(key, kn, r->names->id_key) && !r->have_id && !r->id_problem;
}

static const char *id_problem(const char *p, size_t n)
{
	if (n == 0)
		return "is empty";
	if (n > ID_MAX)
		return "longer than 256 bytes";
	if (pk_utf8_has_control(p, n))
		return "contains control characters";
	return NULL;
}

enum pk_status pk_jreader_take_id(struct pk_jreader *r, struct pk_jdoc *d, enum pk_jev ev,
                                  const char *s, size_t n, struct pk_buf *extra)
{
	if (ev != PK_JEV_STRING)
		r->id_problem = "is not a string";
	else
		r->id_problem = id_problem(s, n);
	if (r->id_problem)
		return pk_jdoc_keep(d, extra, 0);
	enum pk_status rc = pk_buf_append(&r->id, s, n);
	if (rc != PK_OK)
		return rc;
	r->have_id = 1;
	return pk_row_spool_replay(r->spool, r->sink, pk_v_text(r->id.data, r->id.len));
}

enum pk_status pk_jreader_emit(struct pk_jreader *r, struct pk_jrow *row)
{
	if (r->have_id) {
		row->v[0] = pk_v_text(r->id.data, r->id.len);
		return pk_sink_row(r->sink, row->t, row->line, row->v);
	}
	return pk_row_spool_put(&r->spool, row->t, row->line, row->v);
}

enum pk_status pk_jreader_reject_at(struct pk_jreader *r, int64_t line, const char *what,
                                    const char *raw, size_t n)
{
	size_t pn;
	const char *path = pk_jdoc_path(r->doc, 0, &pn);
	pk_buf_reset(&r->msg);
	pk_buf_append(&r->msg, path, pn);
	pk_buf_printf(&r->msg, ": %s", what);
	return pk_sink_reject(r->sink, line, 0, r->msg.data ? r->msg.data : what, raw, n);
}

enum pk_status pk_jreader_warn(struct pk_jreader *r, const char *what)
{
	size_t pn;
	const char *path = pk_jdoc_path(r->doc, 0, &pn);
	pk_buf_reset(&r->msg);
	pk_buf_append(&r->msg, path, pn);
	pk_buf_printf(&r->msg, ": %s", what);
	return pk_sink_warn(r->sink, pk_jdoc_line(r->doc), 0, r->msg.data ? r->msg.data : what);
}

enum pk_status pk_jreader_report_lost(struct pk_jreader *r, struct pk_jrow *row)
{
	for (int i = 0; i < 2; i++)
		if (row->json_col[i] >= 0 && !row->json_ok[i]) {
			pk_buf_reset(&r->msg);
			pk_buf_printf(&r->msg, "%s: JSON larger than 16 MiB, not kept",
			              row->t->cols[row->json_col[i]].name);
			enum pk_status rc = pk_sink_reject(r->sink, row->line, 0, r->msg.data,
			                                   row->json[i].data, row->json[i].len);
			if (rc != PK_OK)
				return rc;
		}
	return PK_OK;
}

static const char *shape(enum pk_jev ev)
{
	switch (ev) {
	case PK_JEV_NULL: return "expected an object, got null";
	case PK_JEV_BOOL: return "expected an object, got a boolean";
	case PK_JEV_NUMBER: return "expected an object, got a number";
	case PK_JEV_STRING: return "expected an object, got a string";
	default: return "expected an object, got an array";
	}
}

enum pk_status pk_jreader_bad_element(struct pk_jreader *r, enum pk_jev ev, int L)
{
	pk_buf_reset(&r->bad);
	enum pk_status rc = pk_jdoc_capture(r->doc, &r->bad, RAW_KEEP, NULL);
	if (rc != PK_OK || ev == PK_JEV_ARRAY || ev == PK_JEV_MAP) {
		r->bad_level = L;
		r->bad_what = shape(ev);
		pk_jdoc_skip(r->doc);
		return rc;
	}
	return pk_jreader_reject_at(r, pk_jdoc_line(r->doc), shape(ev), r->bad.data, r->bad.len);
}

enum pk_status pk_jreader_end(struct pk_jreader *r, int L)
{
	if (pk_jdoc_overflow(r->doc)) {
		enum pk_status rc = pk_jreader_reject_at(r, pk_jdoc_line(r->doc),
		                                         "JSON value larger than 16 MiB, not kept",
		                                         NULL, 0);
		if (rc != PK_OK)
			return rc;
	}
	if (!r->bad_level || r->bad_level != L)
		return PK_OK;
	r->bad_level = 0;
	return pk_jreader_reject_at(r, pk_jdoc_line(r->doc), r->bad_what, r->bad.data, r->bad.len);
}

enum pk_status pk_jreader_chunk(struct pk_jreader *r, struct pk_sink *sink,
                                const char *p, size_t n)
{
	r->sink = sink;
	return pk_jdoc_feed(r->doc, p, n);
}

enum pk_status pk_jreader_finish(struct pk_jreader *r, struct pk_sink *sink, struct pk_jrow *top)
{
	const struct pk_jreader_names *nm = r->names;
	r->sink = sink;
	enum pk_status rc = pk_jdoc_end(r->doc);
	if (rc != PK_OK)
		return rc;
	const char *why, *raw;
	size_t rawn;
	int64_t line, col;
	if (pk_jdoc_error(r->doc, &why, &line, &col, &raw, &rawn)) {
		pk_buf_reset(&r->msg);
		pk_buf_puts(&r->msg, why);
		if (pk_jdoc_complete(r->doc))
			pk_buf_printf(&r->msg, " (after the %s object, which is stored)", nm->row);
		else if (r->have_id)
			pk_buf_printf(&r->msg, "; %lld complete %s kept, the %s row waits for a "
			              "whole document", (long long)r->kept, nm->kept, nm->row);
		else
			pk_buf_printf(&r->msg, "; nothing stored (no %s before this point)", nm->id_key);
		rc = pk_sink_reject(sink, line, col, r->msg.data, raw, rawn);
		if (rc != PK_OK || !pk_jdoc_complete(r->doc))
			return rc;
	}
	if (!r->have_id) {
		const char *head = pk_jdoc_head(r->doc, &rawn);
		pk_buf_reset(&r->msg);
		if (r->id_problem)
			pk_buf_printf(&r->msg, "%s %s: %s not stored", nm->id_key, r->id_problem, nm->row);
		else
			pk_buf_printf(&r->msg, "no %s: %s not stored", nm->id_key, nm->row);
		return pk_sink_reject(sink, top->line, 0, r->msg.data, head, rawn);
	}
	if ((rc = pk_jrow_done(top)) != PK_OK || (rc = pk_jreader_report_lost(r, top)) != PK_OK)
		return rc;
	return pk_jreader_emit(r, top);
}
