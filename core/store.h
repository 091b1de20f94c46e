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

/* The file a source id names, as perfingest names files in messages:
 * its path, relative to the working directory when under it, and
 * ":MEMBER" for an archive member; appended to out. */
enum pk_status pk_store_source_name(struct pk_db *db, int64_t source_id, struct pk_buf *out);

/* Forgets everything a source stored (the rows of every table with a
 * source_id column, its rejects among them): it is read again on purpose
 * (perfingest --force).  The columnar copies of the days it touched are
 * marked dirty by the delete triggers; pk_store_repair rebuilds them.
 * *rows gets how many rows were deleted. */
enum pk_status pk_store_source_clear(struct pk_db *db, int64_t source_id, int64_t *rows);
/* Forgets the rejects of a source that is read again from its start, and
 * the conflicts it met (record_merge), which the reading meets again; what
 * it completed stays (the stored records keep it, so it is not met again). */
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

/* What a record brought whose identity was stored already (a typed row
 * that pk_store_row did not add, a sample that pk_store_hw_sample did not
 * add), compared field by field with the stored record by
 * pk_store_row_merge or pk_store_hw_merge: a field the stored record lacks
 * (NULL) is filled from the new one ("completed"); a field whose stored
 * value differs keeps the stored value ("conflicting").  Each such field
 * is recorded in record_merge with both values and both provenances; a
 * missing field in the new record changes nothing.  Equal records are
 * plain duplicates (nothing completed, nothing conflicting). */
#define PK_MERGE_LISTED 8
struct pk_merge {
	int found;                  /* 0: no record is stored under its identity
	                               (the database refused the new one) */
	int64_t stored_source_id;   /* the stored record's provenance */
	int64_t stored_line;
	size_t completed;           /* fields filled */
	const char *filled[PK_MERGE_LISTED];   /* the first of them (columns) */
	size_t conflicting;         /* fields that differ */
	const char *column;         /* the first conflicting field's column */
	char key[48];               /* its first differing key when it holds a
	                               JSON object (extra), else "" */
	char stored[48], given[48]; /* its (key's) two values as text, shortened */
};

/* Compares the typed row v (whose key pk_store_row found stored) with the
 * stored row of t: one lookup by the table's primary key. */
enum pk_status pk_store_row_merge(struct pk_db *db, const struct pk_table *t,
                                  int64_t source_id, int64_t line,
                                  const struct pk_value *v, struct pk_merge *m);
/* The same for a hardware sample whose (profile, ts) is stored: its metric
 * values.  A filled metric's day is rebuilt in hw_chunk (marked dirty). */
enum pk_status pk_store_hw_merge(struct pk_db *db, int64_t profile_id, int64_t source_id,
                                 const struct pk_hw_record *r, struct pk_merge *m);
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

/* Records that profile name `alias` (a detected name, a host) is `profile`;
 * replaces an earlier mapping of alias.  Chains collapse: a profile that
 * is itself an alias stands for its target, and the aliases of `alias`
 * follow it, so every name is at most one step from its profile.  In its
 * own savepoint. */
enum pk_status pk_store_alias(struct pk_db *db, const char *alias, const char *profile);

/* Around the samples of one transaction: begin after pk_db_begin, end
 * (writes the columnar copies: hw_chunk, gpu_chunk, sys_chunk) before pk_db_commit, abort after a
 * rollback. */
enum pk_status pk_store_samples_begin(struct pk_db *db);
enum pk_status pk_store_samples_end(struct pk_db *db);
void pk_store_samples_abort(struct pk_db *db);
/* One part of such a transaction in a savepoint (pk_db_savepoint): begin
 * after the savepoint, rollback after pk_db_rollback_savepoint (the days
 * the part may have changed are rebuilt at the run's end). */
void pk_store_samples_part_begin(struct pk_db *db);
enum pk_status pk_store_samples_part_rollback(struct pk_db *db);

/* Rebuilds the columnar copies of days changed by other means than
 * perfingest (hw_chunk_dirty, gpu_chunk_dirty, sys_chunk_dirty); inside a
 * transaction.  *days gets how many. */
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
