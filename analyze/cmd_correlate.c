/* cmd_correlate.c - perfanalyze --correlate: agent TES and wake-word
 * latency against the hardware state (analyze/correlate.h), as text, JSON
 * or CSV. */
#include <math.h>
#include <stdint.h>

#include "command.h"
#include "correlate.h"
#include "write_correlate.h"

/* The runs' time range: everything, or --hours ending at --until (else at
 * the newest agent run). */
static enum pk_status range(const struct pk_cmd_args *a, struct pk_correlate_opts *o,
                            struct pk_buf *err)
{
	o->from_us = INT64_MIN;
	o->to_us = INT64_MAX;
	if (!a->hours_given && a->until_us == INT64_MIN)
		return PK_OK;
	if (a->until_us != INT64_MIN) {
		o->to_us = a->until_us;
	} else {
		int64_t first;
		enum pk_status rc = pk_query_agent_range(a->db, &first, &o->to_us);
		if (rc == PK_NODATA)
			pk_buf_puts(err, "no agent runs in the database (give --until for wake-word data only)");
		if (rc != PK_OK)
			return rc;
	}
	if (a->hours_given) {
		double us = a->hours * 3600e6;
		o->from_us = us >= (double)o->to_us - (double)INT64_MIN ? INT64_MIN
		             : o->to_us - (int64_t)llround(us);
	}
	return PK_OK;
}

static enum pk_status run(const struct pk_cmd_args *a, struct pk_buf *out, struct pk_buf *err)
{
	struct pk_correlate_opts o = { .profile = a->profile };
	struct pk_correlate c;
	enum pk_status rc = range(a, &o, err);
	if (rc != PK_OK)
		return rc;
	rc = pk_correlate(a->db, &o, &c, err);
	if (rc == PK_OK)
		rc = pk_write_correlate(out, a->fmt, &c);
	pk_correlate_free(&c);
	return rc;
}

const struct pk_command pk_cmd_correlate = {
	"correlate", 0, 0, "--correlate [--profile P]",
	"agent TES (and parts) and wake-word latency vs hardware during each run",
	run,
	NULL,
};
