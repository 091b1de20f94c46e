/* query_agent.h - read access to agent runs (F3, agent_run), wake-word
 * events with a latency (F4, wake_event) and the names of the hardware
 * profiles, for perfanalyze --correlate.  Missing numbers are NAN, missing
 * text NULL (never 0 or ""). */
#ifndef PK_QUERY_AGENT_H
#define PK_QUERY_AGENT_H

#include <stddef.h>
#include <stdint.h>
#include "db.h"

/* Agent runs with from_us <= ts_us <= to_us, by time (then run_dir).
 * ts_us is iso_ts, the end of the run.  Every array has n entries; the
 * strings are owned (NULL when the field is NULL). */
struct pk_agent_runs {
	size_t n;
	int64_t *ts_us;
	double *tes, *stability, *velocity, *footprint, *duration_s;
	char **autonomy_mode, **model_id;
};

/* Fills out (cleared first); free with pk_agent_runs_free, also after an
 * error. */
enum pk_status pk_query_agent_runs(struct pk_db *db, int64_t from_us, int64_t to_us,
                                   struct pk_agent_runs *out);
void pk_agent_runs_free(struct pk_agent_runs *r);

/* Time range of all agent runs; PK_NODATA when there are none. */
enum pk_status pk_query_agent_range(struct pk_db *db, int64_t *first_us, int64_t *last_us);

/* Wake-word events that carry a latency (latency_ms not NULL) with from_us
 * <= ts_us <= to_us, by time. */
struct pk_wake_latencies {
	size_t n;
	int64_t *ts_us;
	double *latency_ms;
};

enum pk_status pk_query_wake_latencies(struct pk_db *db, int64_t from_us, int64_t to_us,
                                       struct pk_wake_latencies *out);
void pk_wake_latencies_free(struct pk_wake_latencies *w);

/* The names that hold hardware samples, one per machine: each stored
 * profile's canonical name (its profile_alias target, else itself), distinct,
 * sorted by name (memcmp order).  pk_query_hw_series(name) finds all samples
 * of that machine.  *names is owned: free with pk_names_free. */
enum pk_status pk_query_hw_profile_names(struct pk_db *db, char ***names, size_t *n);
void pk_names_free(char **names, size_t n);

#endif
