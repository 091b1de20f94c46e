/* cli.h - what the three tools share on the command line: the version, the
 * diagnostics printer, checked number parsing for options, and the window
 * options --hours and --until (one parser, one error text, for perfanalyze
 * and perfreport alike). */
#ifndef PK_CLI_H
#define PK_CLI_H

#include <stdint.h>
#include <stdio.h>
#include "buf.h"
#include "diag.h"
#include "status.h"

#define PK_VERSION "0.1.0"

/* Prints "TOOL VERSION (schema N)" to stdout. */
void pk_cli_version(const char *tool);

/* Parses a positive finite decimal number (whole string); 0 on success. */
int pk_cli_parse_positive(const char *s, double *out);

/* The longest window --hours may ask for: a thousand years. */
#define PK_CLI_MAX_HOURS 8784000.0

/* --hours N: a positive finite number of hours, at most PK_CLI_MAX_HOURS.
 * Returns 0, or -1 with "--hours: expected ..., got 'ARG'" in err. */
int pk_cli_parse_hours(const char *arg, double *hours, struct pk_buf *err);

/* --until TIME: ISO 8601 (naive = UTC) or epoch seconds.  Returns 0, or -1
 * with "--until: REASON: expected ..., got 'ARG'" in err. */
int pk_cli_parse_until(const char *arg, int64_t *until_us, struct pk_buf *err);

/* A diagnostics sink that prints the first `limit` records as one line each
 * on `out` and counts the rest. */
struct pk_diag_printer {
	FILE *out;
	const char *tool;     /* prefix for file-less messages */
	long limit;
	long printed, suppressed;
};
void pk_diag_print(void *ctx, const struct pk_diag *d);

#endif
