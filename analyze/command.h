/* command.h - the analyses of perfanalyze: each is one option (--list,
 * --analyze P, --compare A B, --correlate, --experiment ID, ...) handled by
 * a function in its own cmd_*.c file, listed once in commands.c.  The tool
 * parses the shared options; the command computes its result struct with
 * library code and renders it as text, JSON or CSV into `out`. */
#ifndef PK_COMMAND_H
#define PK_COMMAND_H

#include <stddef.h>
#include <stdint.h>
#include "../core/buf.h"
#include "../core/db.h"
#include "writers.h"

/* Shared options, as given on the command line. */
struct pk_cmd_args {
	struct pk_db *db;
	const char *db_path;     /* the database's file, for a second connection */
	enum pk_format fmt;
	double hours;            /* --hours (default 24) */
	int hours_given;
	int64_t until_us;        /* --until; INT64_MIN when not given */
	const char *profile;     /* --profile P, or NULL */
	const char *baseline;    /* --baseline RUN, or NULL */
	long baseline_runs;      /* --baseline-runs N; 0 when not given */
	double threshold;        /* --threshold X; NAN when not given */
	long min_segment;        /* --min-segment N (>= 2); 0 when not given */
	double alpha;            /* --alpha A in (0, 1); NAN when not given */
	char **args;             /* the values after the command's option */
	size_t nargs;
};

struct pk_command {
	const char *name;        /* the long option, without "--" */
	int min_args, max_args;  /* values after the option; max_args -1: any */
	const char *usage;       /* e.g. "--experiments ID..." */
	const char *help;        /* one line for --help's analyses; NULL: the
	                          * usage head describes it */
	/* PK_OK, PK_NODATA (message in err), PK_USAGE (message in err), or a
	 * runtime error (PK_ERR_DB without a message: the database's). */
	enum pk_status (*run)(const struct pk_cmd_args *a, struct pk_buf *out,
	                      struct pk_buf *err);
	/* what the values are ("two profiles") for "--NAME needs two profiles:
	 * USAGE" when too few are given; NULL: "usage: USAGE" */
	const char *needs;
};

/* All commands, NULL-terminated (commands.c). */
extern const struct pk_command *const pk_commands[];

#endif
