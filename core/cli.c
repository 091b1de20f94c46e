/* cli.c - shared command-line helpers (see cli.h). */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "timeutil.h"

void pk_cli_version(const char *tool)
{
	printf("%s %s (perfkit, database schema %d)\n", tool, PK_VERSION, PK_SCHEMA_VERSION);
}

int pk_cli_parse_positive(const char *s, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (end == s || *end != '\0' || errno == ERANGE || !isfinite(v) || v <= 0)
		return -1;
	*out = v;
	return 0;
}

/* ", got 'ARG'" with ARG printable (a command line may hold anything). */
static void put_got(struct pk_buf *err, const char *arg)
{
	pk_buf_puts(err, ", got '");
	pk_buf_put_printable(err, arg, strlen(arg));
	pk_buf_puts(err, "'");
}

int pk_cli_parse_hours(const char *arg, double *hours, struct pk_buf *err)
{
	double h;
	if (pk_cli_parse_positive(arg, &h) == 0 && h <= PK_CLI_MAX_HOURS) {
		*hours = h;
		return 0;
	}
	pk_buf_printf(err, "--hours: expected a positive number of hours (at most %.0f)",
	              PK_CLI_MAX_HOURS);
	put_got(err, arg);
	return -1;
}

int pk_cli_parse_until(const char *arg, int64_t *until_us, struct pk_buf *err)
{
	const char *why = NULL;
	if (pk_time_parse_any(arg, strlen(arg), until_us, &why) == PK_OK)
		return 0;
	pk_buf_printf(err, "--until: %s: expected an ISO 8601 time (naive = UTC) or "
	              "epoch seconds", why ? why : "not a time");
	put_got(err, arg);
	return -1;
}

void pk_diag_print(void *ctx, const struct pk_diag *d)
{
	struct pk_diag_printer *p = ctx;
	if (p->limit >= 0 && p->printed >= p->limit && d->line > 0) {
		p->suppressed++;
		return;
	}
	struct pk_buf b = PK_BUF_INIT;
	if (pk_diag_format(d, &b) == PK_OK) {
		fprintf(p->out, "%s%s%s\n", d->line > 0 ? "" : p->tool,
		        d->line > 0 ? "" : ": ", b.data);
		if (d->line > 0)
			p->printed++;
	}
	pk_buf_free(&b);
}
