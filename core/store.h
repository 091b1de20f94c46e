/* store.h - write access for the ingest stage: file state (identity and how
 * far it was read), rejects, profiles and hardware samples.  Every call is
 * meant to run inside a transaction opened with pk_db_begin. */
#ifndef PK_STORE_H
#define PK_STORE_H

#include <stddef.h>
#include <stdint.h>
#include "db.h"
#include "table.h"

/* What perfkit remembers of one input file. */
struct pk_source_state {
	int64_t id;            /* 0 when the file was never read */
	int64_t device, inode, size, mtime_ns;
	uint64_t head_hash;    /* FNV-1a of the first 4 KiB */
	uint64_t tail_hash;    /* FNV-1a of the 4 KiB before read_offset */
	int64_t read_offset;   /* bytes consumed: complete lines only */
	int64_t read_lines;    /* lines consumed */
};

/* The remembered state of (path, member); id = 0 when unknown. */
enum pk_status pk_store_source_get(struct pk_db *db, const char *path,
                                   const char *member, struct pk_source_state *st);
/* Inserts (id == 0; sets st->id) or updates the state of (path, member). */
enum pk_status pk_store_source_put(struct pk_db *db, const char *path,
                                   const char *member, const char *format,
                                   struct pk_source_state *st, int64_t now_us);

/* Forgets everything a source stored (the rows of every table with a
 * source_id column, its rejects among them): it is read again on purpose
 * (perfingest --force).  The columnar copies of the days it touched are
 * marked dirty by the delete triggers; pk_store_repair rebuilds them.
 * *rows gets how many rows were deleted. */
enum pk_status pk_store_source_clear(struct pk_db *db, int64_t source_id, int64_t *rows);
/* Forgets the rejects of a source that is read again from its start. */
enum pk_status pk_store_rejects_clear(struct pk_db *db, int64_t source_id);
/* Records a rejected line: raw holds the first raw_len bytes of a line of
 * raw_size bytes.  A line rejected again (a second bad field) keeps one row
 * whose reason lists the reasons, "first; second"; *new_line (when not
 * NULL) is 1 when the line had no reject yet. */
enum pk_status pk_store_reject(struct pk_db *db, int64_t source_id, int64_t line,
                               int64_t col, const char *reason,
                               const void *raw, size_t raw_len, int64_t raw_size,
                               int *new_line);

/* The id of profile name, created when new. */
enum pk_status pk_store_profile(struct pk_db *db, const char *name, int64_t *id);

/* One hardware sample.  v has pk_hw_nmetrics values (NAN = missing, stored
 * as NULL); the JSON texts may be NULL. */
struct pk_hw_record {
	int64_t ts_us;
	int64_t line;
	const double *v;
	const char *per_core;      /* JSON array or NULL */
	const char *sensors;       /* JSON array or NULL */
	const char *unavailable;   /* JSON object or NULL */
	const char *extra;         /* JSON object or NULL */
};

/* After pk_store_hw_sample found (profile, ts) stored already: *line gets
 * the stored sample's line when any of its metric values differs from r's
 * (a conflicting duplicate), else 0. */
enum pk_status pk_store_hw_conflict(struct pk_db *db, int64_t profile_id,
                                    const struct pk_hw_record *r, int64_t *line);
/* Inserts the sample unless (profile, ts) is already stored; *added = 1 when
 * it was new. */
enum pk_status pk_store_hw_sample(struct pk_db *db, int64_t profile_id,
                                  int64_t source_id, const struct pk_hw_record *r,
                                  int *added);

/* One typed row of table t (values in t->cols order) with its provenance;
 * *added = 1 when it was stored (for replace tables: inserted or replaced). */
enum pk_status pk_store_row(struct pk_db *db, const struct pk_table *t,
                            int64_t source_id, int64_t line,
                            const struct pk_value *v, int *added);

/* A merge table's row (t->merge) whose key pk_store_row found stored:
 * compared with the stored row.  Equal where both have a value, nothing
 * new: PK_ROW_DUPLICATE.  Columns NULL in the stored row and set in v (and
 * JSON members the stored object lacks) are filled in: PK_ROW_COMPLETED.
 * A value that differs: nothing changes, PK_ROW_CONFLICT, detail gets
 * "column new (stored old), ..." and key the key as text ("vm
 * 2026-12-03T07:02:18Z"); *stored_source and *stored_line name the row
 * kept. */
enum pk_row_outcome { PK_ROW_DUPLICATE, PK_ROW_COMPLETED, PK_ROW_CONFLICT };
enum pk_status pk_store_row_merge(struct pk_db *db, const struct pk_table *t,
                                  const struct pk_value *v, enum pk_row_outcome *outcome,
                                  struct pk_buf *key, struct pk_buf *detail,
                                  int64_t *stored_source, int64_t *stored_line);
/* Records a conflict (see the conflict table in schema.sql). */
enum pk_status pk_store_conflict(struct pk_db *db, int64_t source_id, int64_t line,
                                 const char *table, const char *key, const char *detail,
                                 int64_t stored_source, int64_t stored_line);
/* The path of source id (with "!member" for an archive member) in out. */
enum pk_status pk_store_source_path(struct pk_db *db, int64_t id, struct pk_buf *out);

/* Records that profile name `alias` (a detected name, a host) is `profile`;
 * replaces an earlier mapping of alias.  Runs in its own statement. */
enum pk_status pk_store_alias(struct pk_db *db, const char *alias, const char *profile);

/* Around the samples of one transaction: begin after pk_db_begin, end
 * (writes the columnar copy, hw_chunk) before pk_db_commit, abort after a
 * rollback. */
enum pk_status pk_store_samples_begin(struct pk_db *db);
enum pk_status pk_store_samples_end(struct pk_db *db);
void pk_store_samples_abort(struct pk_db *db);
/* One part of such a transaction in a savepoint (pk_db_savepoint): begin
 * after the savepoint, rollback after pk_db_rollback_savepoint (the days
 * the part may have changed are rebuilt at the run's end). */
void pk_store_samples_part_begin(struct pk_db *db);
enum pk_status pk_store_samples_part_rollback(struct pk_db *db);

/* Rebuilds the columnar copy of days changed by other means than perfingest
 * (hw_chunk_dirty); inside a transaction.  *days gets how many. */
enum pk_status pk_store_repair(struct pk_db *db, int64_t *days);

/* F8 generic records: the columnar copy (generic_chunk, core/generic_chunks.c).
 * The writer adds the numeric fields of each generic_record row it actually
 * inserted (pk_store_row's *added); they are buffered in memory and written,
 * merged with the stored chunks, by pk_store_generic_flush, which must run
 * inside the same transaction before it commits (perfingest's sink calls it
 * when the reader has ended the file).  pk_store_generic_discard forgets the
 * buffer (a new file begins: whatever an earlier, failed one left). */
struct pk_generic_value {
	const char *metric;          /* its dotted path, len bytes */
	size_t len;
	double v;
};
enum pk_status pk_store_generic_add(struct pk_db *db, const char *source, size_t source_len,
                                    int64_t ts_us, const struct pk_generic_value *vals,
                                    size_t n);
enum pk_status pk_store_generic_flush(struct pk_db *db);
void pk_store_generic_discard(struct pk_db *db);
/* Rebuilds the generic days changed by other means than perfingest
 * (generic_chunk_dirty) from generic_record; *days gets how many. */
enum pk_status pk_store_generic_repair(struct pk_db *db, int64_t *days);

#endif
