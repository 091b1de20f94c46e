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

static void warn(struct pk_sink *s, int64_t line, const char *msg)
{
	s->counts.warnings++;
	if (s->diag) {
		struct pk_diag d = { PK_SEV_WARNING, s->display, line, 0, msg };
		s->diag(s->diag_ctx, &d);
	}
}

/* Counts what a record stored already brought (m, from line; what names
 * the record: "a sample of profile P at this time") and names a conflict,
 * or a record the database refused, on a warning line. */
static enum pk_status report_merge(struct pk_sink *s, const char *table, const char *what,
                                   int64_t line, const struct pk_merge *m)
{
	if (!m->found) {
		struct pk_buf msg = PK_BUF_INIT;
		enum pk_status rc = pk_buf_printf(&msg, "%s was not stored: the database refused "
		                                  "it (a field it requires is missing)", what);
		if (rc == PK_OK)
			warn(s, line, msg.data);
		pk_buf_free(&msg);
		return rc;
	}
	if (m->completed) {
		s->counts.completed++;
		for (size_t i = 0; i < m->completed && i < PK_MERGE_LISTED; i++) {
			char name[128];
			snprintf(name, sizeof name, "%s.%s", table, m->filled[i]);
			long slot = count_slot(&s->counts.filled, &s->counts.nfilled, name);
			if (slot < 0)
				return PK_ERR_NOMEM;
			s->counts.filled[slot].added++;
		}
	}
	if (!m->conflicting)
		return PK_OK;
	s->counts.conflicting++;
	struct pk_buf msg = PK_BUF_INIT;
	enum pk_status rc = pk_buf_printf(&msg, "%s is stored already (", what);
	if (rc == PK_OK && m->stored_source_id != s->source_id)
		rc = pk_store_source_name(s->db, m->stored_source_id, &msg) == PK_OK
		     ? pk_buf_putc(&msg, ':') : PK_ERR_DB;
	if (rc == PK_OK)
		rc = pk_buf_printf(&msg, "%s%lld) with %s%s%s '%s', this line has '%s'",
		                   m->stored_source_id == s->source_id ? "line " : "",
		                   (long long)m->stored_line, m->column, m->key[0] ? "." : "",
		                   m->key, m->stored, m->given);
	if (rc == PK_OK && m->conflicting > 1)
		rc = pk_buf_printf(&msg, " (%zu fields differ)", m->conflicting);
	if (rc == PK_OK)
		rc = pk_buf_puts(&msg, ": the stored values are kept (see record_merges)");
	if (rc == PK_OK)
		warn(s, line, msg.data);
	pk_buf_free(&msg);
	return rc;
}

/* Stores a typed row and counts it; *added as pk_store_row's.  A row of a
 * log table whose key is stored already is merged into the stored one. */
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
		return PK_OK;
	}
	s->counts.tables[slot].duplicates++;
	s->counts.duplicates++;
	if (r->table->replace)
		return PK_OK;
	struct pk_merge m;
	if (pk_store_row_merge(s->db, r->table, s->source_id, r->line, r->vals, &m) != PK_OK)
		return PK_ERR_DB;
	char what[96];
	snprintf(what, sizeof what, "%s %s record with the same identity",
	         strchr("aeiou", r->table->name[0]) ? "an" : "a", r->table->name);
	return report_merge(s, r->table->name, what, r->line, &m);
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
		return PK_OK;
	}
	pc->duplicates++;
	s->counts.duplicates++;
	struct pk_merge m;
	if (pk_store_hw_merge(s->db, s->cached_profile_id, s->source_id, &r->hw, &m) != PK_OK)
		return PK_ERR_DB;
	char what[160];
	snprintf(what, sizeof what, "a sample of profile %s at this time", r->profile);
	return report_merge(s, "hw_sample", what, r->hw.line, &m);
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
	for (size_t i = 0; i < src->nfilled; i++) {
		long slot = count_slot(&dst->filled, &dst->nfilled, src->filled[i].name);
		if (slot < 0)
			return PK_ERR_NOMEM;
		dst->filled[slot].added += src->filled[i].added;
	}
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
	for (size_t i = 0; i < c->nfilled; i++)
		free(c->filled[i].name);
	free(c->filled);
	*c = (struct pk_sink_counts){ 0 };
}
