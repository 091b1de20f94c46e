/* query_bench.h - benchmark series read from the F7 tables (bench_result,
 * bench_value): one series per suite, host and benchmark name, its runs in
 * time order. */
#ifndef PK_QUERY_BENCH_H
#define PK_QUERY_BENCH_H

#include <stddef.h>
#include <stdint.h>
#include "db.h"

enum pk_bench_direction {
	PK_BENCH_NEUTRAL,   /* direction NULL: neither is better */
	PK_BENCH_LOWER,     /* 'lower' is better (times) */
	PK_BENCH_HIGHER     /* 'higher' is better (throughput) */
};

struct pk_bench_run {
	int64_t run_us;
	double mean;        /* bench_result.mean; NAN when NULL or not finite */
	char digest[17];    /* bench_result.digest: 16 hex digits, or "" */
};

struct pk_bench_series {
	char *suite, *host, *name;            /* owned, NUL-terminated ... */
	size_t suite_len, host_len, name_len; /* ... but may hold NUL bytes */
	char *unit;                           /* owned; NULL when no run has one */
	enum pk_bench_direction direction;    /* of the newest run that names one */
	size_t nruns;
	struct pk_bench_run *runs;            /* owned, run_us (then digest) ascending */
};

struct pk_bench_series_list {
	size_t n;
	struct pk_bench_series *s;            /* by suite, host, name (bytes) */
};

/* Every series of bench_result, with suite = `suite` and host = `host` when
 * those are not NULL, and runs at or before until_us (INT64_MIN: all).
 * out is cleared first; free it with pk_bench_series_list_free (also on
 * error).  PK_ERR_DB, PK_ERR_NOMEM. */
enum pk_status pk_query_bench_series(struct pk_db *db, const char *suite, const char *host,
                                     int64_t until_us, struct pk_bench_series_list *out);
void pk_bench_series_list_free(struct pk_bench_series_list *l);

/* A prepared reader of one run's bench_value rows and revision. */
struct pk_bench_values_q;

enum pk_status pk_bench_values_open(struct pk_db *db, struct pk_bench_values_q **q);

/* Appends the finite values (seq order; NULL values skipped) of series s's
 * run `run` to *v (*n used, *cap allocated; realloc'd as needed, the
 * caller frees *v).  PK_ERR_DB, PK_ERR_NOMEM. */
enum pk_status pk_bench_values_get(struct pk_bench_values_q *q, const struct pk_bench_series *s,
                                   const struct pk_bench_run *run, double **v, size_t *n,
                                   size_t *cap);

/* The revision (bench_run.revision) of series s's run `run` into *out
 * (malloc'd, NUL-terminated, *len bytes, may hold NUL bytes; the caller
 * frees it), NULL when the run has none.  PK_ERR_DB, PK_ERR_NOMEM. */
enum pk_status pk_bench_run_revision(struct pk_bench_values_q *q, const struct pk_bench_series *s,
                                     const struct pk_bench_run *run, char **out, size_t *len);

/* Finalizes the reader and sets *q to NULL. */
void pk_bench_values_close(struct pk_bench_values_q **q);

#endif
