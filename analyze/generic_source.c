/* generic_source.c - generic sources that are no machine, loaded for the
 * analyses (generic_source.h). */
#include "generic_source.h"

#include <stdlib.h>
#include <string.h>

#include "../core/diag.h"
#include "../core/query.h"
#include "quality.h"

int pk_generic_only(struct pk_db *db, const char *name)
{
	struct pk_profile_info info = { 0 };
	enum pk_status rc = pk_query_profile(db, name, &info);
	free(info.name);
	if (rc != PK_NODATA)
		return 0;
	return pk_query_generic_info(db, name, &info) == PK_OK;
}

void pk_generic_load_free(struct pk_generic_load *g)
{
	pk_generic_table_free(&g->t);
	*g = (struct pk_generic_load){ 0 };
}

enum pk_status pk_load_generic_window(struct pk_db *db, const char *source, double hours,
                                      int64_t until_us, struct pk_generic_load *out,
                                      struct pk_buf *err)
{
	*out = (struct pk_generic_load){ 0 };
	struct pk_profile_info info;
	enum pk_status rc = pk_query_generic_info(db, source, &info);
	if (rc == PK_OK)
		rc = pk_window_of(&info, hours, until_us, &out->w);
	if (rc == PK_OK)
		rc = pk_query_generic_table(db, source, out->w.from_us, out->w.to_us, &out->t);
	if (rc == PK_ERR_DB)
		pk_buf_printf(err, "database: %s", pk_db_errmsg(db));
	if (rc == PK_OK && out->t.n == 0) {
		pk_buf_puts(err, "no values of generic source '");
		pk_buf_put_printable(err, source, strlen(source));
		pk_buf_puts(err, "' in the window (try a larger --hours or another --until)");
		rc = PK_NODATA;
	}
	if (rc != PK_OK) {
		pk_generic_load_free(out);
		return rc;
	}
	out->view = (struct pk_series_view){ out->t.n, out->t.ts_us, out->t.nmetrics,
	                                     out->t.metrics, out->t.v };
	return PK_OK;
}

enum pk_status pk_generic_quality_add_sources(struct pk_db *db, const char *source,
                                              const struct pk_window *w,
                                              struct pk_data_quality *q)
{
	struct pk_profile_source *src = NULL;
	size_t n = 0;
	enum pk_status rc = pk_query_generic_sources(db, source, w->from_us, w->to_us, &src, &n);
	if (rc != PK_OK)
		return rc;
	q->sources_known = 1;
	q->sources_scanned = 1;
	q->source_files = n;
	q->lines_read = q->rejects = 0;
	for (size_t i = 0; i < n; i++) {
		q->lines_read += src[i].lines_read;
		q->rejects += src[i].rejects;
	}
	pk_profile_sources_free(src, n);
	return PK_OK;
}

enum pk_status pk_compare_side_load(struct pk_db *db, const char *name, double hours,
                                    int64_t until_us, struct pk_compare_side *sd,
                                    struct pk_buf *err)
{
	*sd = (struct pk_compare_side){ .name = name };
	sd->generic = pk_generic_only(db, name);
	if (sd->generic) {
		enum pk_status rc = pk_load_generic_window(db, name, hours, until_us, &sd->g, err);
		sd->w = sd->g.w;
		sd->v = sd->g.view;
		return rc;
	}
	enum pk_status rc = pk_load_profile_window(db, name, hours, until_us, &sd->w, &sd->s, err);
	sd->v = pk_hw_view(&sd->s);
	return rc;
}

enum pk_status pk_compare_side_sources(struct pk_db *db, const struct pk_compare_side *sd,
                                       struct pk_data_quality *q)
{
	if (sd->generic)
		return pk_generic_quality_add_sources(db, sd->name, &sd->w, q);
	return pk_data_quality_add_sources(db, sd->name, &sd->s, q);
}

void pk_compare_side_free(struct pk_compare_side *sd)
{
	pk_generic_load_free(&sd->g);
	pk_hw_series_free(&sd->s);
}
