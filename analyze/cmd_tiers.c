/* cmd_tiers.c - perfanalyze --tiers: hardware tiers and requirements derived
 * from the data (analyze/tiers.h), as text, JSON or CSV. */
#include "command.h"
#include "tiers.h"
#include "write_tiers.h"

static enum pk_status run(const struct pk_cmd_args *a, struct pk_buf *out, struct pk_buf *err)
{
	struct pk_tiers t;
	enum pk_status rc = pk_tiers_for(a->db, a->hours, a->until_us, &t, err);
	if (rc != PK_OK)
		return rc;
	rc = pk_write_tiers(out, a->fmt, &t);
	pk_tiers_free(&t);
	return rc;
}

const struct pk_command pk_cmd_tiers = {
	"tiers", 0, 0, "--tiers",
	"hardware tiers (sampler's rule, registry tiers) and minimum/recommended/optimal "
	"requirements from the data",
	run,
	NULL,
};
