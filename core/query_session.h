/* query_session.h - read access to F6 app session profiles: the modules of
 * one session with their impact figures.  Missing values come back as NAN. */
#ifndef PK_QUERY_SESSION_H
#define PK_QUERY_SESSION_H

#include <stddef.h>
#include <stdint.h>
#include "db.h"

struct pk_session_module {
	char *module;               /* owned */
	double call_count;          /* NAN when missing */
	double total_time_s;        /* total_execution_time, s */
	double cpu_impact;          /* % */
	double memory_impact;       /* MB */
};

struct pk_session_modules {
	char *session_id;           /* owned */
	int have_session;           /* the session row exists (whole document read) */
	int64_t export_us;          /* export_timestamp; INT64_MIN when unknown */
	char *app_level;            /* owned: performance_summary.overall_load_level
	                             * as the app wrote it, or NULL */
	size_t n;
	struct pk_session_module *m;/* by module name */
};

/* The modules of session `id`.  PK_NODATA when the database has neither the
 * session nor any of its modules.  Free with pk_session_modules_free. */
enum pk_status pk_query_session_modules(struct pk_db *db, const char *id,
                                        struct pk_session_modules *out);
void pk_session_modules_free(struct pk_session_modules *s);

#endif
