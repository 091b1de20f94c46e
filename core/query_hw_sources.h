/* query_hw_sources.h - the source files of an already loaded hardware series,
 * with their lines read and rejects, found cheaply by probing single rows.
 * hw_sample has no index on source_id, so the exact list (query_profile.h)
 * scans every row of the window (about 0.2 s for a year of minute samples);
 * this one looks up a few rows by their (profile, time) key instead. */
#ifndef PK_QUERY_HW_SOURCES_H
#define PK_QUERY_HW_SOURCES_H

#include <stddef.h>
#include <stdint.h>
#include "db.h"

/* Probes allowed before falling back to the exact scan. */
#define PK_HW_SOURCES_PROBES 20000

struct pk_hw_source_totals {
	size_t files;          /* distinct source files found */
	int64_t lines_read;    /* sum of source_file.read_lines over them */
	int64_t rejects;       /* reject rows of those files (any line) */
	int scanned;           /* 1: the exact scan was used */
	size_t probes;         /* row look-ups made */
};

/* The source files of the samples of `profile` (aliases resolved as
 * pk_query_hw_series does) at the ascending times ts[0..n), a series just
 * read with pk_query_hw_series.  Method: the source of the first and the
 * last sample is looked up by key; wherever the two ends of a stretch of
 * samples come from different files the stretch is halved and its middle
 * sample looked up, recursively (bisection), so k file boundaries cost
 * about k log2(n) look-ups.  Exact when each file's samples form one run
 * in time (one sampler writing one file after another); a file whose
 * samples all fall inside a stretch whose two ends come from one other
 * file is not seen.  After PK_HW_SOURCES_PROBES look-ups (interleaved
 * files) the exact scan of query_profile.h is used instead (scanned = 1).
 * n = 0: all zero.  PK_ERR_DB, PK_ERR_NOMEM. */
enum pk_status pk_query_hw_sources(struct pk_db *db, const char *profile,
                                   const int64_t *ts, size_t n,
                                   struct pk_hw_source_totals *out);

#endif
