/* generic_source.h - F8 generic sources that are no machine (none of
 * their paths is a registry name: core/query_generic_hw.h) analysed the
 * way hardware profiles are: --analyze, --compare and --quality read a
 * source's table (core/query_generic_table.h) through a series view
 * (compare.h).  A name that is a machine stays a machine. */
#ifndef PK_GENERIC_SOURCE_H
#define PK_GENERIC_SOURCE_H

#include "../core/buf.h"
#include "../core/db.h"
#include "../core/query_generic_table.h"
#include "compare.h"

/* 1 when `name` has no hardware samples of any kind (pk_query_profile:
 * PK_NODATA) and is a generic source with records; else 0. */
int pk_generic_only(struct pk_db *db, const char *name);

/* A generic source's window, table and the view on it. */
struct pk_generic_load {
	struct pk_window w;
	struct pk_generic_table t;
	struct pk_series_view view;    /* on t */
};

/* The window of `hours` ending at until_us (as pk_load_profile_window)
 * and the source's table in it.  PK_NODATA for an unknown source or an
 * empty window, with a message for people in err; out is cleared first
 * and freed with pk_generic_load_free. */
enum pk_status pk_load_generic_window(struct pk_db *db, const char *source, double hours,
                                      int64_t until_us, struct pk_generic_load *out,
                                      struct pk_buf *err);
void pk_generic_load_free(struct pk_generic_load *g);

/* Adds to q the files holding the source's records in window w with their
 * lines read and rejects. */
enum pk_status pk_generic_quality_add_sources(struct pk_db *db, const char *source,
                                              const struct pk_window *w,
                                              struct pk_data_quality *q);

/* One side of a comparison with a generic source (perfanalyze --compare
 * and perfreport --compare decide and load it the same way): a profile's
 * hardware series or a generic source's table, and the view on it. */
struct pk_compare_side {
	const char *name;              /* not owned */
	int generic;                   /* pk_generic_only(name) */
	struct pk_generic_load g;      /* generic: the source's table */
	struct pk_window w;
	struct pk_hw_series s;         /* else: the profile's series */
	struct pk_series_view v;       /* on g.t or s */
};

/* Decides (pk_generic_only) and loads side `name` with the window of
 * pk_load_profile_window / pk_load_generic_window (their errors and
 * messages).  sd is cleared first; free with pk_compare_side_free. */
enum pk_status pk_compare_side_load(struct pk_db *db, const char *name, double hours,
                                    int64_t until_us, struct pk_compare_side *sd,
                                    struct pk_buf *err);

/* Adds to q the source files of the side in its window (quality.h). */
enum pk_status pk_compare_side_sources(struct pk_db *db, const struct pk_compare_side *sd,
                                       struct pk_data_quality *q);
void pk_compare_side_free(struct pk_compare_side *sd);

#endif
