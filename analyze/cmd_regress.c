/* cmd_regress.c - perfanalyze --regressions [SUITE]: each benchmark series'
 * change points and outliers, and its latest run against a baseline chosen
 * with them (regress.h), rendered as text, JSON or CSV. */
#include <math.h>
#include <string.h>

#include "../core/diag.h"
#include "../core/timeutil.h"
#include "command.h"
#include "regress.h"
#include "write_regress.h"

static enum pk_status run(const struct pk_cmd_args *a, struct pk_buf *out, struct pk_buf *err)
{
	struct pk_regress_options o = { .baseline_us = INT64_MIN, .threshold = a->threshold };
	const char *suite = a->nargs ? a->args[0] : NULL;
	if (a->hours_given) {
		pk_buf_puts(err, "--regressions reads each series' whole history: "
		            "use --until TIME to end it earlier, not --hours");
		return PK_USAGE;
	}
	if (a->baseline && a->baseline_runs) {
		pk_buf_puts(err, "--regressions: give --baseline RUN or --baseline-runs N, not both");
		return PK_USAGE;
	}
	if (a->baseline) {
		const char *why = NULL;
		if (pk_time_parse_any(a->baseline, strlen(a->baseline), &o.baseline_us, &why) != PK_OK) {
			pk_buf_printf(err, "--baseline: expected a run time (ISO-8601 or epoch seconds): %s: '",
			              why ? why : "bad time");
			pk_buf_put_printable(err, a->baseline, strlen(a->baseline));
			pk_buf_puts(err, "'");
			return PK_USAGE;
		}
	}
	if (!isnan(a->threshold) && a->threshold < 0) {
		pk_buf_puts(err, "--threshold: expected a relative change >= 0 (0.05 = 5 %)");
		return PK_USAGE;
	}
	o.baseline_runs = a->baseline_runs > 0 ? (size_t)a->baseline_runs : 0;
	o.cp.min_segment = a->min_segment > 0 ? (size_t)a->min_segment : 0;
	o.cp.alpha = a->alpha;
	struct pk_regress r;
	enum pk_status rc = pk_regress_db(a->db, suite, a->profile, a->until_us, &o, &r);
	if (rc == PK_NODATA) {
		pk_buf_puts(err, "no benchmark results");
		if (suite) {
			pk_buf_puts(err, " of suite '");
			pk_buf_put_printable(err, suite, strlen(suite));
			pk_buf_puts(err, "'");
		}
		if (a->profile) {
			pk_buf_puts(err, " on host '");
			pk_buf_put_printable(err, a->profile, strlen(a->profile));
			pk_buf_puts(err, "'");
		}
		pk_buf_puts(err, " (see perfanalyze --list)");
		return rc;
	}
	if (rc == PK_ERR_DB)
		pk_buf_printf(err, "database: %s", pk_db_errmsg(a->db));
	if (rc != PK_OK)
		return rc;
	rc = pk_write_regress(out, a->fmt, &r, suite, a->profile, a->until_us);
	pk_regress_free(&r);
	return rc;
}

const struct pk_command pk_cmd_regressions = {
	"regressions", 0, 1, "--regressions [SUITE]",
	"benchmark series: latest run vs baseline, verdict, change points",
	run,
	NULL,
};
