/* query_session_info.h - what a session report shows beside the module
 * levels (query_session.h): the session's statistics as the app wrote
 * them, its performance summary's lists, its recent samples over time and
 * the files it came from.  Missing numbers are NAN. */
#ifndef PK_QUERY_SESSION_INFO_H
#define PK_QUERY_SESSION_INFO_H

#include <stddef.h>
#include <stdint.h>
#include "db.h"

struct pk_str_list {
	size_t n;
	char **s;                  /* owned */
};

struct pk_session_info {
	int have_row;              /* the session row exists */
	char *profiler_state;      /* owned or NULL */
	double total_samples, sampling_duration_s;
	double cpu_avg, cpu_max, memory_avg, memory_max;      /* % */
	double io_wait_avg, io_wait_max;                      /* % */
	double ocr_per_min, frames_per_min, sample_count;
	struct pk_str_list critical;       /* performance_summary.critical_modules */
	struct pk_str_list opportunities;  /* .optimization_opportunities */
	struct pk_str_list actions;        /* .recommended_actions */
	struct pk_str_list sources;        /* file names (last path part), sorted */
	size_t nsamples;                   /* recent samples, by time */
	int64_t *ts_us;
	double *cpu, *mem, *io_wait;       /* cpu_percent, memory_percent, io_wait_percent */
};

/* Reads session id's row, lists, samples and source files.  out is cleared
 * first; free with pk_session_info_free.  PK_ERR_DB, PK_ERR_NOMEM. */
enum pk_status pk_query_session_info(struct pk_db *db, const char *id,
                                     struct pk_session_info *out);
void pk_session_info_free(struct pk_session_info *s);
void pk_str_list_free(struct pk_str_list *l);

#endif
