/* sink.c - the shared part of ingest (see sink.h). */
#include "sink.h"

#include <stdlib.h>
#include <string.h>

enum pk_status pk_sink_reject(struct pk_sink *s, int64_t line, int64_t col,
                              const char *reason, const char *raw, size_t n)
{
	size_t keep = n < PK_REJECT_RAW_MAX ? n : PK_REJECT_RAW_MAX;
	if (pk_store_reject(s->db, s->source_id, line, col, reason, raw, keep,
	                    (int64_t)n) != PK_OK)
		return PK_ERR_DB;
	s->counts.rejects++;
	if (s->diag) {
		struct pk_diag d = { PK_SEV_ERROR, s->display, line, col, reason };
		s->diag(s->diag_ctx, &d);
	}
	return PK_OK;
}

/* The index of name in c->profiles, added when new; -1 without memory. */
static long profile_slot(struct pk_sink_counts *c, const char *name)
{
	for (size_t i = 0; i < c->nprofiles; i++)
		if (strcmp(c->profiles[i].name, name) == 0)
			return (long)i;
	struct pk_profile_count *p = realloc(c->profiles, (c->nprofiles + 1) * sizeof *p);
	if (!p)
		return -1;
	c->profiles = p;
	p[c->nprofiles] = (struct pk_profile_count){ strdup(name), 0, 0 };
	if (!p[c->nprofiles].name)
		return -1;
	return (long)c->nprofiles++;
}

enum pk_status pk_sink_hw_sample(struct pk_sink *s, const char *profile,
                                 const struct pk_hw_record *r)
{
	if (!s->have_cached || strcmp(s->counts.profiles[s->cached].name, profile) != 0) {
		long slot = profile_slot(&s->counts, profile);
		if (slot < 0)
			return PK_ERR_NOMEM;
		if (pk_store_profile(s->db, profile, &s->cached_profile_id) != PK_OK)
			return PK_ERR_DB;
		s->cached = (size_t)slot;
		s->have_cached = 1;
	}
	int added = 0;
	if (pk_store_hw_sample(s->db, s->cached_profile_id, s->source_id, r, &added) != PK_OK)
		return PK_ERR_DB;
	struct pk_profile_count *pc = &s->counts.profiles[s->cached];
	if (added) {
		pc->added++;
		s->counts.added++;
	} else {
		pc->duplicates++;
		s->counts.duplicates++;
	}
	return PK_OK;
}

enum pk_status pk_sink_counts_merge(struct pk_sink_counts *dst,
                                    struct pk_sink_counts *src)
{
	dst->added += src->added;
	dst->duplicates += src->duplicates;
	dst->rejects += src->rejects;
	for (size_t i = 0; i < src->nprofiles; i++) {
		long slot = profile_slot(dst, src->profiles[i].name);
		if (slot < 0)
			return PK_ERR_NOMEM;
		dst->profiles[slot].added += src->profiles[i].added;
		dst->profiles[slot].duplicates += src->profiles[i].duplicates;
	}
	pk_sink_counts_free(src);
	return PK_OK;
}

void pk_sink_counts_free(struct pk_sink_counts *c)
{
	for (size_t i = 0; i < c->nprofiles; i++)
		free(c->profiles[i].name);
	free(c->profiles);
	*c = (struct pk_sink_counts){ 0 };
}
