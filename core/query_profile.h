/* query_profile.h - facts about a hardware profile beyond its samples: the
 * source files its samples came from (with their rejects), and the
 * temperature limit the profile registry configures for it.  Read-only. */
#ifndef PK_QUERY_PROFILE_H
#define PK_QUERY_PROFILE_H

#include <stddef.h>
#include <stdint.h>
#include "db.h"

/* One source file (or archive member) that holds samples of the profile in
 * the window. */
struct pk_profile_source {
	char *path;          /* owned; absolute path as stored */
	char *member;        /* owned; "" for a plain file */
	int64_t samples;     /* samples of the profile in the window from it */
	int64_t lines_read;  /* source_file.read_lines: lines consumed so far */
	int64_t rejects;     /* reject rows of the file (any line) */
};

/* The files that hold samples of `profile` (its aliases included) with
 * from_us <= ts <= to_us, by path and member.  Scans the profile's rows of
 * hw_sample in the window (about 0.2 s for a year of minute samples).  The
 * caller frees *out with pk_profile_sources_free. */
enum pk_status pk_query_profile_sources(struct pk_db *db, const char *profile,
                                        int64_t from_us, int64_t to_us,
                                        struct pk_profile_source **out, size_t *n);
void pk_profile_sources_free(struct pk_profile_source *s, size_t n);

/* A temperature limit from the registry (registry_target). */
struct pk_temp_limit {
	char *profile;       /* owned: the registry's name of the profile */
	char *metric;        /* owned: the target's metric name */
	char *bound_key;     /* owned, or NULL: acceptable_max, critical_threshold, ... */
	double celsius;      /* the limit */
};

/* The registry's temperature limit for `profile`: the registry_target rows
 * of the profile (matched through profile_alias in both directions) whose
 * metric name contains "temp" (any case); the value of each is its bound
 * when the bound key is acceptable_max or critical_threshold, else its
 * target.  Of several, a metric naming "gpu" wins, then the lowest value.
 * PK_NODATA when there is none; free with pk_temp_limit_free. */
enum pk_status pk_query_temp_limit(struct pk_db *db, const char *profile,
                                   struct pk_temp_limit *out);
void pk_temp_limit_free(struct pk_temp_limit *t);

#endif
