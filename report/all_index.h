/* all_index.h - the two files perfreport --all keeps beside its reports:
 * DIR/.perfkit-index (one line per report: fingerprint, file name, state,
 * summary; read back on the next run to decide what to rewrite) and the
 * index page's Markdown (a table per report kind, each report linked with
 * its one-line summary). */
#ifndef PK_ALL_INDEX_H
#define PK_ALL_INDEX_H

#include <stddef.h>
#include <stdint.h>
#include "../core/buf.h"

/* Report kinds in the order the index lists them. */
enum pk_all_kind {
	PK_ALL_REQUIREMENTS,
	PK_ALL_COMPARE,
	PK_ALL_THROTTLING,
	PK_ALL_EXPERIMENT,
	PK_ALL_SESSION,
	PK_ALL_SUITE,
	PK_ALL_NKINDS
};

/* One report as the index shows it and the state file records it. */
struct pk_all_item {
	enum pk_all_kind kind;
	const char *id, *id2;     /* what it covers (id2: a comparison's second
	                           * profile, else NULL); NULL for requirements */
	const char *file;         /* file name in DIR, with its extension */
	uint64_t fingerprint;
	int written;              /* 1: the report exists; 0: no data (summary
	                           * says why) */
	const char *summary;      /* one line */
};

/* A line of the state file, owned: free with pk_all_state_free. */
struct pk_all_state {
	char *file;
	uint64_t fingerprint;
	int written;
	char *summary;
};

/* Reads path (missing: none, PK_OK).  A malformed line is skipped (its
 * report will be written again).  PK_ERR_IO / PK_ERR_NOMEM, message in err. */
enum pk_status pk_all_state_read(const char *path, struct pk_all_state **out, size_t *n,
                                 struct pk_buf *err);
void pk_all_state_free(struct pk_all_state *s, size_t n);

/* The state file's text for items[0..n). */
enum pk_status pk_all_state_text(const struct pk_all_item *items, size_t n, struct pk_buf *b);

/* The index page's Markdown for items[0..n) (in the order given within a
 * kind), stamped generated_us. */
enum pk_status pk_all_index_md(const struct pk_all_item *items, size_t n,
                               int64_t generated_us, struct pk_buf *md);

#endif
