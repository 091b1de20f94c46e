/* sink.h - where readers hand their records: the shared part of ingest.
 * The reader side (pk_sink_reject, pk_sink_hw_sample) runs on the parsing
 * thread and only packs records into batches; the writer side
 * (pk_sink_apply) runs on the thread that owns the database and does the
 * rest: profiles, dedupe by identity (a record stored already is merged
 * into the stored one: core/store_merge.c), rejects with provenance,
 * diagnostics and counts.  One sink serves one file inside that file's
 * transaction; its counts join the run's totals only when the file commits. */
#ifndef PK_SINK_H
#define PK_SINK_H

#include <stdint.h>
#include "../../core/db.h"
#include "../../core/diag.h"
#include "../../core/store.h"
#include "batch.h"
#include "pipe.h"

struct pk_ingest_opts;

struct pk_profile_count {
	char *name;
	int64_t added;
	int64_t duplicates;
};

struct pk_sink_counts {
	int64_t added, duplicates, rejects, warnings;
	int64_t completed;     /* duplicates that filled fields the stored record lacked */
	int64_t conflicting;   /* duplicates with fields of other values (stored kept) */
	struct pk_profile_count *profiles;   /* hardware samples per profile */
	size_t nprofiles;
	struct pk_profile_count *tables;     /* typed rows per table (name = table) */
	size_t ntables;
	struct pk_profile_count *filled;     /* fields filled ("table.column", in added) */
	size_t nfilled;
};

struct pk_sink {
	/* reader side */
	const char *display;        /* the file as the user named it */
	const char *file_profile;   /* profile named by the file name, or NULL */
	const struct pk_ingest_opts *opts;  /* the run's options (source name, zone ...) */
	int64_t file_mtime_us;      /* the file's modification time */
	int64_t replay_lines;       /* lines up to this one were stored before:
	                               their records and rejects are dropped */
	struct pk_pipe *pipe;
	struct pk_batch *cur;       /* batch being filled, or NULL */
	/* writer side */
	struct pk_db *db;
	int64_t source_id;
	pk_diag_fn diag;
	void *diag_ctx;
	struct pk_sink_counts counts;
	int64_t cached_profile_id;  /* id of counts.profiles[cached] */
	size_t cached;
	int have_cached;
	double *v_scratch;          /* pk_hw_nmetrics values */
	int generic_begun;          /* a generic row of this file was applied */
	int apply_inline;           /* one thread: a full batch is applied at once */
	enum pk_status apply_rc;    /* how applying inline failed */
};

/* Reader side.  A rejected line: reason, and the raw bytes (the first
 * PK_REJECT_RAW_MAX are kept).  Returns PK_OK unless the run is stopping. */
enum pk_status pk_sink_reject(struct pk_sink *s, int64_t line, int64_t col,
                              const char *reason, const char *raw, size_t n);
/* Reader side.  A warning about line (col 0: unknown) whose data is still
 * stored: shown as FILE:LINE: warning: reason and counted, not stored. */
enum pk_status pk_sink_warn(struct pk_sink *s, int64_t line, int64_t col, const char *reason);
/* Reader side.  One hardware sample of profile. */
enum pk_status pk_sink_hw_sample(struct pk_sink *s, const char *profile,
                                 const struct pk_hw_record *r);
/* Reader side.  One typed row of table t (see core/table.h), from line. */
enum pk_status pk_sink_row(struct pk_sink *s, const struct pk_table *t,
                           int64_t line, const struct pk_value *v);
/* Reader side, F8.  One generic_record row (t; values source, ts_us,
 * record) with the record's nm numeric fields: the writer stores the row and,
 * when it was new, buffers the fields for the columnar copy.  The first one
 * of a file drops what an earlier, failed file left in that buffer. */
enum pk_status pk_sink_generic(struct pk_sink *s, const struct pk_table *t, int64_t line,
                               const struct pk_value *v,
                               const struct pk_generic_value *m, size_t nm);
/* Reader side, F8.  The file has ended: the writer writes the columnar copy
 * (generic_chunk) and rebuilds days changed by other tools, before the
 * file's transaction commits. */
enum pk_status pk_sink_generic_end(struct pk_sink *s);
/* Reader side.  Hands on the last batch. */
enum pk_status pk_sink_flush(struct pk_sink *s);

/* Writer side.  Stores the records of b. */
enum pk_status pk_sink_apply(struct pk_sink *s, const struct pk_batch *b);

/* Adds src's counts to dst (per profile too) and empties src. */
enum pk_status pk_sink_counts_merge(struct pk_sink_counts *dst,
                                    struct pk_sink_counts *src);
void pk_sink_counts_free(struct pk_sink_counts *c);

#define PK_REJECT_RAW_MAX 65536

#endif
