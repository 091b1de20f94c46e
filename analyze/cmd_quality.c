/* cmd_quality.c - perfanalyze --quality PROFILE: how far a hardware series
 * can be trusted (analyze/quality.h), as text, JSON or CSV. */
#include "command.h"
#include "quality.h"
#include "write_quality.h"

static enum pk_status run(const struct pk_cmd_args *a, struct pk_buf *out, struct pk_buf *err)
{
	struct pk_quality q;
	enum pk_status rc = pk_quality_for(a->db, a->args[0], a->hours, a->until_us, &q, err);
	if (rc != PK_OK)
		return rc;
	rc = pk_write_quality(out, a->fmt, &q);
	pk_quality_free(&q);
	return rc;
}

const struct pk_command pk_cmd_quality = {
	"quality", 1, 1, "--quality PROFILE",
	"sampling interval, gaps, irregularity, missing values, time-weighted means, rejects",
	run,
	NULL,
};
