/* cli.h - what the three tools share on the command line: the version, the
 * diagnostics printer, and checked number parsing for options. */
#ifndef PK_CLI_H
#define PK_CLI_H

#include <stdio.h>
#include "diag.h"
#include "status.h"

#define PK_VERSION "0.1.0"

/* Prints "TOOL VERSION (schema N)" to stdout. */
void pk_cli_version(const char *tool);

/* Parses a positive finite decimal number (whole string); 0 on success. */
int pk_cli_parse_positive(const char *s, double *out);

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
