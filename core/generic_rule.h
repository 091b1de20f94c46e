/* generic_rule.h - the one rule that turns an F8 generic record into metric
 * values, fed with the record's JSON events: the reader feeds it while it
 * reads a record (JSONL: yajl's events; CSV: a map of header -> text), the
 * rebuild of the columnar copy from the stored record JSON
 * (pk_generic_extract, generic_chunks.h) from yajl's events of that JSON, so
 * both name the same metrics with the same values.
 *
 * The rule: every number is a value, named by its dotted path (arrays:
 * path.INDEX); the record's time key (the first present of
 * pk_generic_time_keys, at the top level) is left out; a number that is not
 * finite (1e999) has no value; names that cannot be metrics (empty, control
 * characters, over PK_GENERIC_METRIC_MAX bytes) are left out; a record made
 * only of top-level strings (the shape of a CSV record) has its non-empty
 * number-like strings read as numbers. */
#ifndef PK_GENERIC_RULE_H
#define PK_GENERIC_RULE_H

#include <stddef.h>
#include "buf.h"
#include "status.h"

#define PK_GENERIC_MAX_DEPTH 64
#define PK_GENERIC_METRIC_MAX 1024
#define PK_GENERIC_NTIME_KEYS 5

/* The keys of a record's time, first present wins: timestamp, time, ts,
 * iso_ts, datetime. */
extern const char *const pk_generic_time_keys[PK_GENERIC_NTIME_KEYS];

struct pk_generic_found {
	size_t off, len;             /* of its path in names */
	double v;
	int is_string;               /* a top-level string (CSV shape) */
};

/* One record's state; zero it (or PK_GENERIC_RULE_INIT) once, reuse it for
 * every record, free it with pk_generic_rule_free. */
struct pk_generic_rule {
	struct pk_buf path, names;
	size_t pathlen[PK_GENERIC_MAX_DEPTH + 2];
	unsigned char is_array[PK_GENERIC_MAX_DEPTH + 2];
	size_t index[PK_GENERIC_MAX_DEPTH + 2];
	int depth;
	int time_prio;               /* best top-level time key, NTIME_KEYS: none */
	int csv_shape;               /* every top-level value so far is a string */
	struct pk_generic_found *f;
	size_t nf, cap;
	int nomem;
};

/* A new record. */
void pk_generic_rule_begin(struct pk_generic_rule *r);
/* Its events, in yajl's order; each returns 0 to stop (out of memory, or
 * nested deeper than PK_GENERIC_MAX_DEPTH), else 1. */
int pk_generic_rule_key(struct pk_generic_rule *r, const char *s, size_t n);
int pk_generic_rule_number(struct pk_generic_rule *r, const char *s, size_t n);
int pk_generic_rule_string(struct pk_generic_rule *r, const char *s, size_t n);
int pk_generic_rule_other(struct pk_generic_rule *r);          /* null, boolean */
int pk_generic_rule_start(struct pk_generic_rule *r, int is_array);
int pk_generic_rule_end(struct pk_generic_rule *r);
/* After the record's last event: fn(ctx, metric, len, value) for each of its
 * metric values, in record order.  A nonzero return of fn stops with
 * PK_ERR_NOMEM, as does a failed event. */
enum pk_status pk_generic_rule_finish(struct pk_generic_rule *r,
                                      int (*fn)(void *ctx, const char *metric,
                                                size_t len, double v),
                                      void *ctx);
void pk_generic_rule_free(struct pk_generic_rule *r);

#endif
