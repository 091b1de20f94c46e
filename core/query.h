/* query.h - read access to stored hardware samples for the analysis and
 * report stages.  Missing values come back as NAN (never 0); NAN never stands
 * for anything else inside perfkit. */
#ifndef PK_QUERY_H
#define PK_QUERY_H

#include <stddef.h>
#include <stdint.h>
#include "db.h"

struct pk_profile_info {
	char *name;          /* owned */
	int64_t samples;
	int64_t first_us;    /* UTC microseconds since the epoch */
	int64_t last_us;
};

/* Every profile with its sample count and time range, by name.  The caller
 * frees with pk_profile_infos_free. */
enum pk_status pk_query_profiles(struct pk_db *db, struct pk_profile_info **out,
                                 size_t *n);
void pk_profile_infos_free(struct pk_profile_info *p, size_t n);

/* Count and time range of one profile; PK_NODATA if it has no samples. */
enum pk_status pk_query_profile(struct pk_db *db, const char *name,
                                struct pk_profile_info *out);

/* The samples of one profile with from_us <= ts <= to_us, in time order.
 * v[m][i] is metric pk_hw_metrics[m] of sample i, NAN when missing. */
struct pk_hw_series {
	size_t n;
	int64_t *ts_us;
	double **v;          /* pk_hw_nmetrics arrays of n values */
	size_t cap;          /* room in each array */
};

enum pk_status pk_query_hw_series(struct pk_db *db, const char *profile,
                                  int64_t from_us, int64_t to_us,
                                  struct pk_hw_series *out);
void pk_hw_series_free(struct pk_hw_series *s);

/* F8 generic records: the values of one metric (a dotted path, as listed in
 * generic_metric) of one source with from_us <= ts <= to_us, in time order:
 * only the records that have a number there (NAN, were it stored, is
 * missing).  Read from generic_chunk, and from generic_record for days
 * changed by other tools.  Appends to out (zeroed before the first call). */
struct pk_generic_series {
	size_t n, cap;
	int64_t *ts_us;
	double *v;
};

enum pk_status pk_query_generic_series(struct pk_db *db, const char *source,
                                       const char *metric, int64_t from_us,
                                       int64_t to_us, struct pk_generic_series *out);
void pk_generic_series_free(struct pk_generic_series *s);

#endif
