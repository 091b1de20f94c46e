/* sink.h - where readers hand their records: the shared part of ingest.
 * It resolves profiles, stores samples (dedupe by (profile, time)), records
 * rejects with provenance and reports them to the diagnostics callback, and
 * counts.  One sink serves one file inside that file's transaction; its
 * counts join the run's totals only when the file commits. */
#ifndef PK_SINK_H
#define PK_SINK_H

#include <stdint.h>
#include "../core/db.h"
#include "../core/diag.h"
#include "../core/store.h"

struct pk_profile_count {
	char *name;
	int64_t added;
	int64_t duplicates;
};

struct pk_sink_counts {
	int64_t added, duplicates, rejects;
	struct pk_profile_count *profiles;
	size_t nprofiles;
};

struct pk_sink {
	struct pk_db *db;
	int64_t source_id;
	const char *display;        /* the file as the user named it */
	const char *file_profile;   /* profile named by the file name, or NULL */
	pk_diag_fn diag;
	void *diag_ctx;
	struct pk_sink_counts counts;
	int64_t cached_profile_id;  /* id of counts.profiles[cached] */
	size_t cached;
	int have_cached;
};

/* Records a rejected line: stores it (reason, raw bytes) and reports
 * "FILE:LINE[:COL]: reason".  Returns PK_OK unless the database failed. */
enum pk_status pk_sink_reject(struct pk_sink *s, int64_t line, int64_t col,
                              const char *reason, const char *raw, size_t n);

/* Stores one hardware sample of profile. */
enum pk_status pk_sink_hw_sample(struct pk_sink *s, const char *profile,
                                 const struct pk_hw_record *r);

/* Adds src's counts to dst (per profile too) and empties src. */
enum pk_status pk_sink_counts_merge(struct pk_sink_counts *dst,
                                    struct pk_sink_counts *src);
void pk_sink_counts_free(struct pk_sink_counts *c);

#define PK_REJECT_RAW_MAX 65536

#endif
