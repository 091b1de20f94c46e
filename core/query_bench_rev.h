/* query_bench_rev.h - what a regression report shows beside the analysis
 * (analyze/regress.h): the revision each run recorded (bench_run.revision)
 * and the files a benchmark series came from. */
#ifndef PK_QUERY_BENCH_REV_H
#define PK_QUERY_BENCH_REV_H

#include <stddef.h>
#include <stdint.h>
#include "db.h"
#include "query_session_info.h"

struct pk_bench_rev {
	int64_t run_us;
	char *revision;          /* owned; never NULL (runs without one are left out) */
};

struct pk_bench_revs {
	size_t n;
	struct pk_bench_rev *r;  /* run_us ascending */
};

/* The runs of suite/host (byte strings of the given lengths) that recorded
 * a revision.  out cleared first; free with pk_bench_revs_free.  PK_ERR_DB,
 * PK_ERR_NOMEM. */
enum pk_status pk_query_bench_revs(struct pk_db *db, const char *suite, size_t suite_len,
                                   const char *host, size_t host_len,
                                   struct pk_bench_revs *out);
/* The revision of the run at run_us, or NULL. */
const char *pk_bench_rev_at(const struct pk_bench_revs *r, int64_t run_us);
void pk_bench_revs_free(struct pk_bench_revs *r);

/* The names (last path part, ":member" for archive members) of the files
 * that hold the results of one series, sorted. */
enum pk_status pk_query_bench_sources(struct pk_db *db, const char *suite, size_t suite_len,
                                      const char *host, size_t host_len,
                                      const char *name, size_t name_len,
                                      struct pk_str_list *out);

#endif
