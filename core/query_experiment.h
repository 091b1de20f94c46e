/* query_experiment.h - read-only queries over the F5 experiment tables
 * (experiment, experiment_cycle, experiment_timing, experiment_bottleneck)
 * for perfanalyze --experiment: one experiment's header row, its cycles in
 * cycle order, its timings summed by name, its crash reasons and the
 * bottlenecks the writer recorded.  NULL in the database is NAN (numbers),
 * -1 (flags) or a NULL pointer (text): missing is never 0. */
#ifndef PK_QUERY_EXPERIMENT_H
#define PK_QUERY_EXPERIMENT_H

#include <stddef.h>
#include <stdint.h>
#include "db.h"

/* One experiment's cycles, ascending by cycle_number; parallel arrays. */
struct pk_exp_cycles {
	size_t n;
	double *cycle;        /* cycle_number (an integer, as double) */
	double *duration;     /* s */
	double *llm_time;     /* llm_total_time, s */
	double *db_time;      /* db_total_time, s */
	double *tps;          /* llm_tokens_per_second */
	double *mem_peak;     /* mem_peak_mb */
	int *crashed;         /* 1, 0, or -1 when NULL */
};

/* The timings of one name, summed over the experiment. */
struct pk_exp_timing_sum {
	char *name;           /* owned; NULL when the name is NULL */
	size_t count;         /* timings with a duration */
	double total;         /* sum of their durations, s; NAN when count 0 */
};

struct pk_exp_crash_reason {
	char *reason;         /* owned; NULL when crash_reason is NULL */
	size_t count;         /* crashed cycles with this reason */
};

/* A bottleneck as the writer recorded it (experiment_bottleneck). */
/* type: the recorded type, else the recorded extra key `component`. */
struct pk_exp_recorded {
	int64_t seq;
	char *type, *severity, *description;   /* owned; NULL when NULL */
	double percentage_of_cycle, avg_time_seconds;
	double count;            /* extra $.count (slow_cycles) */
	double peak_memory_mb;   /* extra $.peak_memory_mb (memory_pressure) */
	double max_time_seconds; /* extra $.max_time_seconds (slow_cycles) */
};

struct pk_exp_data {
	char *id, *name, *mode;     /* owned; name and mode NULL when NULL */
	int has_row;                /* 0: cycles only (experiment row missing) */
	int64_t start_us, end_us;   /* INT64_MIN when NULL */
	double total_memory_gb;     /* NAN when NULL */
	struct pk_exp_cycles c;
	struct pk_exp_timing_sum *timings;  /* by total descending, then name */
	size_t ntimings;
	struct pk_exp_crash_reason *reasons; /* by count descending, then reason */
	size_t nreasons;
	struct pk_exp_recorded *recorded;    /* by seq */
	size_t nrecorded;
};

/* Reads experiment id.  PK_NODATA when neither an experiment row nor a
 * cycle has that id; PK_ERR_DB, PK_ERR_NOMEM.  out is cleared first and,
 * on PK_OK, freed with pk_exp_data_free. */
enum pk_status pk_query_experiment(struct pk_db *db, const char *id,
                                   struct pk_exp_data *out);
void pk_exp_data_free(struct pk_exp_data *d);

#endif
