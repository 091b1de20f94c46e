/* query_catalog.h - what perfreport --all reads to plan its reports: the
 * ids each report kind covers (experiments, sessions, benchmark suites) and
 * a fingerprint of the stored inputs that feed one report.  Read-only. */
#ifndef PK_QUERY_CATALOG_H
#define PK_QUERY_CATALOG_H

#include <stddef.h>
#include <stdint.h>
#include "db.h"

enum pk_catalog_kind {
	PK_CATALOG_EXPERIMENT,   /* experiment ids */
	PK_CATALOG_SESSION,      /* session ids */
	PK_CATALOG_SUITE,        /* benchmark suites */
	PK_CATALOG_HARDWARE      /* no ids: the hardware inputs of every profile */
};

/* The ids of kind (not PK_CATALOG_HARDWARE) in byte order into *ids (owned;
 * free with pk_catalog_ids_free).  PK_ERR_DB, PK_ERR_NOMEM. */
enum pk_status pk_query_catalog_ids(struct pk_db *db, enum pk_catalog_kind kind,
                                    char ***ids, size_t *n);
void pk_catalog_ids_free(char **ids, size_t n);

/* Folds into *h (FNV-1a) every source_file row (id, size, mtime_ns,
 * head_hash, tail_hash, read_offset, read_lines) whose records feed the
 * reports of kind and id: an experiment's, a session's or a suite's rows;
 * for PK_CATALOG_HARDWARE (id unused) every file not read by the
 * experiment, session or benchmark readers, and the profile aliases.  A
 * file that grew, was replaced or re-read changes the fingerprint.
 * PK_ERR_DB, PK_ERR_NOMEM. */
enum pk_status pk_query_catalog_inputs(struct pk_db *db, enum pk_catalog_kind kind,
                                       const char *id, uint64_t *h);

#endif
