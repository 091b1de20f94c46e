/* sink.c - the shared part of ingest (see sink.h). */
#include "sink.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The batch to append to; PK_ERR_DB when the writer has stopped. */
static enum pk_status current(struct pk_sink *s)
{
	if (!s->cur && !(s->cur = pk_pipe_take(s->pipe)))
		return PK_ERR_DB;
	return PK_OK;
}

/* Hands the current batch to the writer thread, or, inline, applies it
 * now; an inline failure stops the run as a failed writer does. */
static enum pk_status hand_on(struct pk_sink *s)
{
	struct pk_batch *b = s->cur;
	s->cur = NULL;
	if (!s->apply_inline) {
		pk_pipe_push(s->pipe, b);
		return PK_OK;
	}
	enum pk_status rc = s->apply_rc == PK_OK ? pk_sink_apply(s, b) : s->apply_rc;
	pk_pipe_give_back(s->pipe, b);
	if (rc != PK_OK) {
		s->apply_rc = rc;
		pk_pipe_abort(s->pipe);
	}
	return rc;
}

static enum pk_status hand_on_if_full(struct pk_sink *s)
{
	return pk_batch_full(s->cur) ? hand_on(s) : PK_OK;
}

enum pk_status pk_sink_reject(struct pk_sink *s, int64_t line, int64_t col,
                              const char *reason, const char *raw, size_t n)
{
	if (line <= s->replay_lines)
		return PK_OK;   /* stored before, read again for its state */
	enum pk_status rc = current(s);
	size_t keep = n < PK_REJECT_RAW_MAX ? n : PK_REJECT_RAW_MAX;
	if (rc == PK_OK)
		rc = pk_batch_put_reject(s->cur, line, col, reason, raw, keep, (int64_t)n);
	return rc == PK_OK ? hand_on_if_full(s) : rc;
}

enum pk_status pk_sink_warn(struct pk_sink *s, int64_t line, int64_t col, const char *reason)
{
	enum pk_status rc = current(s);
	if (rc == PK_OK)
		rc = pk_batch_put_warning(s->cur, line, col, reason);
	return rc == PK_OK ? hand_on_if_full(s) : rc;
}

enum pk_status pk_sink_hw_sample(struct pk_sink *s, const char *profile,
                                 const struct pk_hw_record *r)
{
	enum pk_status rc = current(s);
	if (rc == PK_OK)
		rc = pk_batch_put_hw(s->cur, profile, r);
	return rc == PK_OK ? hand_on_if_full(s) : rc;
}

enum pk_status pk_sink_row(struct pk_sink *s, const struct pk_table *t,
                           int64_t line, const struct pk_value *v)
{
	if (line <= s->replay_lines)
		return PK_OK;   /* stored before, read again for its state */
	enum pk_status rc = current(s);
	if (rc == PK_OK)
		rc = pk_batch_put_row(s->cur, t, line, v);
	return rc == PK_OK ? hand_on_if_full(s) : rc;
}

enum pk_status pk_sink_generic(struct pk_sink *s, const struct pk_table *t, int64_t line,
                               const struct pk_value *v,
                               const struct pk_generic_value *m, size_t nm)
{
	if (line <= s->replay_lines)
		return PK_OK;   /* stored before, read again for its state */
	enum pk_status rc = current(s);
	if (rc == PK_OK)
		rc = pk_batch_put_generic(s->cur, t, line, v, m, nm);
	return rc == PK_OK ? hand_on_if_full(s) : rc;
}

enum pk_status pk_sink_generic_end(struct pk_sink *s)
{
	enum pk_status rc = current(s);
	if (rc == PK_OK)
		rc = pk_batch_put_generic_end(s->cur);
	return rc == PK_OK ? hand_on_if_full(s) : rc;
}

enum pk_status pk_sink_flush(struct pk_sink *s)
{
	return s->cur ? hand_on(s) : PK_OK;
}

/* The index of name in *list, added when new; -1 without memory. */
static long count_slot(struct pk_profile_count **list, size_t *n, const char *name)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*list)[i].name, name) == 0)
			return (long)i;
	struct pk_profile_count *p = realloc(*list, (*n + 1) * sizeof *p);
	if (!p)
		return -1;
	*list = p;
	p[*n] = (struct pk_profile_count){ strdup(name), 0, 0 };
	if (!p[*n].name)
		return -1;
	return (long)(*n)++;
}

static long profile_slot(struct pk_sink_counts *c, const char *name)
{
	return count_slot(&c->profiles, &c->nprofiles, name);
}

/* A merge table's row whose key is stored already: filled in, a plain
 * duplicate, or a conflict (warned of, recorded in the conflict table). */
static enum pk_status merge_row(struct pk_sink *s, const struct pk_batch_rec *r, long slot)
{
	enum pk_row_outcome how;
	struct pk_buf key = PK_BUF_INIT, detail = PK_BUF_INIT, where = PK_BUF_INIT,
	              msg = PK_BUF_INIT;
	int64_t src = 0, line = 0;
	enum pk_status rc = pk_store_row_merge(s->db, r->table, r->vals, &how, &key, &detail,
	                                       &src, &line);
	if (rc == PK_OK && how == PK_ROW_DUPLICATE) {
		s->counts.tables[slot].duplicates++;
		s->counts.duplicates++;
	} else if (rc == PK_OK && how == PK_ROW_COMPLETED) {
		s->counts.completed++;
	} else if (rc == PK_OK) {
		s->counts.conflicting++;
		s->counts.warnings++;
		rc = pk_store_conflict(s->db, s->source_id, r->line, r->table->name,
		                       key.data ? key.data : "", detail.data ? detail.data : "",
		                       src, line);
		if (rc == PK_OK && src != s->source_id)
			rc = pk_store_source_path(s->db, src, &where);
		if (rc == PK_OK)
			rc = pk_buf_printf(&msg, "conflicting: %s %s is stored already (%s%s%s%lld) "
			                   "with other values, kept as stored: %s", r->table->name,
			                   key.data ? key.data : "", where.len ? "from " : "line ",
			                   where.len ? where.data : "", where.len ? ":" : "",
			                   (long long)line, detail.data ? detail.data : "");
		if (rc == PK_OK && s->diag) {
			struct pk_diag d = { PK_SEV_WARNING, s->display, r->line, 0, msg.data };
			s->diag(s->diag_ctx, &d);
		}
	}
	pk_buf_free(&key);
	pk_buf_free(&detail);
	pk_buf_free(&where);
	pk_buf_free(&msg);
	return rc;
}

/* Stores a typed row and counts it; *added as pk_store_row's. */
static enum pk_status store_row(struct pk_sink *s, const struct pk_batch_rec *r, int *added_out)
{
	int added = 0;
	if (pk_store_row(s->db, r->table, s->source_id, r->line, r->vals, &added) != PK_OK)
		return PK_ERR_DB;
	*added_out = added;
	long slot = count_slot(&s->counts.tables, &s->counts.ntables, r->table->name);
	if (slot < 0)
		return PK_ERR_NOMEM;
	if (added) {
		s->counts.tables[slot].added++;
		s->counts.added++;
	} else if (r->table->replace == PK_TABLE_MERGE) {
		return merge_row(s, r, slot);
	} else {
		s->counts.tables[slot].duplicates++;
		s->counts.duplicates++;
	}
	return PK_OK;
}

static enum pk_status apply_row(struct pk_sink *s, const struct pk_batch_rec *r)
{
	int added;
	return store_row(s, r, &added);
}

/* F8: the row, then its numeric fields when it was new (dedupe by key). */
static enum pk_status apply_generic(struct pk_sink *s, const struct pk_batch_rec *r)
{
	if (!s->generic_begun) {
		pk_store_generic_discard(s->db);
		s->generic_begun = 1;
	}
	int added;
	enum pk_status rc = store_row(s, r, &added);
	if (rc != PK_OK || !added || r->ngen == 0)
		return rc;
	if (r->vals[0].kind != PK_V_TEXT || r->vals[1].kind != PK_V_INT)
		return PK_ERR_INPUT;
	struct pk_generic_value buf[64], *m = buf;
	if (r->ngen > 64 && !(m = malloc(r->ngen * sizeof *m)))
		return PK_ERR_NOMEM;
	const char *p = r->gen;
	for (size_t i = 0; i < r->ngen; i++)
		pk_batch_generic_value(&p, &m[i]);
	rc = pk_store_generic_add(s->db, r->vals[0].s, r->vals[0].n, r->vals[1].i, m, r->ngen);
	if (m != buf)
		free(m);
	return rc;
}

/* F8: the reader ended its file. */
static enum pk_status apply_generic_end(struct pk_sink *s)
{
	int64_t days;
	if (!s->generic_begun)
		pk_store_generic_discard(s->db);   /* no row of this file: none to write */
	enum pk_status rc = pk_store_generic_flush(s->db);
	return rc == PK_OK ? pk_store_generic_repair(s->db, &days) : rc;
}

static enum pk_status apply_reject(struct pk_sink *s, const struct pk_batch_rec *r)
{
	int new_line;
	if (pk_store_reject(s->db, s->source_id, r->line, r->col, r->reason, r->raw,
	                    r->raw_len, r->raw_size, &new_line) != PK_OK)
		return PK_ERR_DB;
	s->counts.rejects += new_line;   /* lines rejected, not reasons */
	if (s->diag) {
		struct pk_diag d = { PK_SEV_ERROR, s->display, r->line, r->col, r->reason };
		s->diag(s->diag_ctx, &d);
	}
	return PK_OK;
}

static enum pk_status apply_warning(struct pk_sink *s, const struct pk_batch_rec *r)
{
	s->counts.warnings++;
	if (s->diag) {
		struct pk_diag d = { PK_SEV_WARNING, s->display, r->line, r->col, r->reason };
		s->diag(s->diag_ctx, &d);
	}
	return PK_OK;
}

static enum pk_status apply_hw(struct pk_sink *s, const struct pk_batch_rec *r)
{
	if (!s->have_cached || strcmp(s->counts.profiles[s->cached].name, r->profile) != 0) {
		long slot = profile_slot(&s->counts, r->profile);
		if (slot < 0)
			return PK_ERR_NOMEM;
		if (pk_store_profile(s->db, r->profile, &s->cached_profile_id) != PK_OK)
			return PK_ERR_DB;
		s->cached = (size_t)slot;
		s->have_cached = 1;
	}
	int added = 0;
	if (pk_store_hw_sample(s->db, s->cached_profile_id, s->source_id, &r->hw, &added) != PK_OK)
		return PK_ERR_DB;
	struct pk_profile_count *pc = &s->counts.profiles[s->cached];
	if (added) {
		pc->added++;
		s->counts.added++;
	} else {
		pc->duplicates++;
		s->counts.duplicates++;
		/* the same time with other values: the first stays, the user told */
		int64_t other = 0;
		if (pk_store_hw_conflict(s->db, s->cached_profile_id, &r->hw, &other) != PK_OK)
			return PK_ERR_DB;
		if (other) {
			char msg[160];
			snprintf(msg, sizeof msg, "a sample of profile %s at this time is stored "
			         "already (from line %lld) with other values: that one is kept",
			         r->profile, (long long)other);
			s->counts.warnings++;
			if (s->diag) {
				struct pk_diag d = { PK_SEV_WARNING, s->display, r->hw.line, 0, msg };
				s->diag(s->diag_ctx, &d);
			}
		}
	}
	return PK_OK;
}

enum pk_status pk_sink_apply(struct pk_sink *s, const struct pk_batch *b)
{
	size_t pos = 0;
	struct pk_batch_rec r;
	enum pk_status rc = PK_OK;
	while (rc == PK_OK && pk_batch_next(b, &pos, &r, s->v_scratch))
		rc = r.is_reject ? apply_reject(s, &r) : r.is_warning ? apply_warning(s, &r) : r.is_generic_end ? apply_generic_end(s)
		   : r.gen ? apply_generic(s, &r) : r.table ? apply_row(s, &r) : apply_hw(s, &r);
	return rc;
}

enum pk_status pk_sink_counts_merge(struct pk_sink_counts *dst,
                                    struct pk_sink_counts *src)
{
	dst->added += src->added;
	dst->duplicates += src->duplicates;
	dst->rejects += src->rejects;
	dst->warnings += src->warnings;
	dst->completed += src->completed;
	dst->conflicting += src->conflicting;
	for (size_t i = 0; i < src->nprofiles; i++) {
		long slot = profile_slot(dst, src->profiles[i].name);
		if (slot < 0)
			return PK_ERR_NOMEM;
		dst->profiles[slot].added += src->profiles[i].added;
		dst->profiles[slot].duplicates += src->profiles[i].duplicates;
	}
	for (size_t i = 0; i < src->ntables; i++) {
		long slot = count_slot(&dst->tables, &dst->ntables, src->tables[i].name);
		if (slot < 0)
			return PK_ERR_NOMEM;
		dst->tables[slot].added += src->tables[i].added;
		dst->tables[slot].duplicates += src->tables[i].duplicates;
	}
	pk_sink_counts_free(src);
	return PK_OK;
}

void pk_sink_counts_free(struct pk_sink_counts *c)
{
	for (size_t i = 0; i < c->nprofiles; i++)
		free(c->profiles[i].name);
	free(c->profiles);
	for (size_t i = 0; i < c->ntables; i++)
		free(c->tables[i].name);
	free(c->tables);
	*c = (struct pk_sink_counts){ 0 };
}
