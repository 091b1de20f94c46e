/* cmd_experiment.c - perfanalyze --experiment ID and --experiments ID...:
 * one LLM experiment analysed in full, or several side by side and tested
 * against the first (analyze/experiment.h, analyze/write_experiment.h). */
#include <stdlib.h>
#include <string.h>

#include "../core/diag.h"
#include "command.h"
#include "experiment.h"
#include "write_experiment.h"

/* Analyses experiment id into r; a message in err on failure. */
static enum pk_status load(const struct pk_cmd_args *a, const char *id,
                           struct pk_exp_result *r, struct pk_buf *err)
{
	enum pk_status rc = pk_experiment_analyze(a->db, id, r);
	if (rc == PK_NODATA) {
		pk_buf_puts(err, "no experiment '");
		pk_buf_put_printable(err, id, strlen(id));
		pk_buf_puts(err, "' (see perfanalyze --list)");
	} else if (rc == PK_ERR_DB) {
		pk_buf_printf(err, "database: %s", pk_db_errmsg(a->db));
	}
	return rc;
}

static enum pk_status run_one(const struct pk_cmd_args *a, struct pk_buf *out,
                              struct pk_buf *err)
{
	struct pk_exp_result r;
	enum pk_status rc = load(a, a->args[0], &r, err);
	if (rc != PK_OK)
		return rc;
	rc = pk_write_experiment(out, a->fmt, &r);
	pk_exp_result_free(&r);
	return rc;
}

static enum pk_status run_many(const struct pk_cmd_args *a, struct pk_buf *out,
                               struct pk_buf *err)
{
	size_t n = a->nargs;
	struct pk_exp_result *r = calloc(n, sizeof *r);
	struct pk_exp_vs *vs = calloc(n, sizeof *vs);
	enum pk_status rc = r && vs ? PK_OK : PK_ERR_NOMEM;
	size_t loaded = 0;
	for (; loaded < n && rc == PK_OK; loaded++) {
		rc = load(a, a->args[loaded], &r[loaded], err);
		if (rc != PK_OK)
			break;
	}
	for (size_t i = 1; i < n && rc == PK_OK; i++)
		pk_experiment_vs(&r[0], &r[i], &vs[i]);
	if (rc == PK_OK)
		rc = pk_write_experiments(out, a->fmt, r, vs, n);
	for (size_t i = 0; r && i < loaded; i++)
		pk_exp_result_free(&r[i]);
	free(r);
	free(vs);
	return rc;
}

const struct pk_command pk_cmd_experiment = {
	"experiment", 1, 1, "--experiment ID",
	"one LLM experiment: per-cycle statistics, timing shares, bottleneck rules "
	"vs recorded, crashes, memory-leak and tokens/s trends",
	run_one,
	NULL,
};

const struct pk_command pk_cmd_experiments = {
	"experiments", 1, -1, "--experiments ID...",
	"experiments side by side, each tested against the first (Welch, "
	"Mann-Whitney on cycle time and tokens/s)",
	run_many,
	NULL,
};
