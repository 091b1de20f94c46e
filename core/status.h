/* status.h - the one status enum of perfkit, its messages, and the exit codes
 * the three tools map it to.  Library code never exits or prints: it returns
 * one of these and hands diagnostics to a caller-supplied sink (diag.h). */
#ifndef PK_STATUS_H
#define PK_STATUS_H

enum pk_status {
	PK_OK = 0,        /* everything done */
	PK_PARTIAL,       /* done, but some input was rejected */
	PK_USAGE,         /* bad command line */
	PK_NODATA,        /* nothing to analyse: unknown profile, empty window */
	PK_ERR_IO,        /* a file could not be read or written */
	PK_ERR_DB,        /* the database failed or is of an unknown version */
	PK_ERR_NOMEM,     /* out of memory, or a capped buffer overflowed */
	PK_ERR_EXTERNAL,  /* an external program (gnuplot) failed */
	PK_ERR_INPUT      /* input that cannot be processed at all */
};

/* Exit codes, documented in README.md ("Exit codes"); tests check the table. */
enum pk_exit {
	PK_EXIT_OK = 0,       /* success */
	PK_EXIT_PARTIAL = 1,  /* success, but some input was rejected */
	PK_EXIT_USAGE = 2,    /* usage error */
	PK_EXIT_NODATA = 3,   /* no data for the request */
	PK_EXIT_RUNTIME = 4   /* runtime error: I/O, database, memory, gnuplot */
};

/* A static, one-line English description of s. */
const char *pk_status_str(enum pk_status s);

/* The exit code a tool returns for s. */
enum pk_exit pk_status_exit(enum pk_status s);

#endif
