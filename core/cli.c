/* cli.c - shared command-line helpers (see cli.h). */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "db.h"

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
