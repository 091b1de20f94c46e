/* cmd_list.c - perfanalyze --list: every source in the database (hardware
 * profiles, agent runs, experiments, sessions, benchmarks, registry ...)
 * with counts and time ranges (core/query_sources.h, write_sources.h). */
#include "../core/query_sources.h"
#include "command.h"
#include "write_sources.h"

static enum pk_status run(const struct pk_cmd_args *a, struct pk_buf *out,
                          struct pk_buf *err)
{
	(void)err;
	struct pk_sources src;
	enum pk_status rc = pk_query_sources(a->db, &src);
	if (rc == PK_OK) {
		rc = pk_write_sources(out, a->fmt, &src);
		pk_sources_free(&src);
	}
	return rc;
}

const struct pk_command pk_cmd_list = {
	.name = "list", .min_args = 0, .max_args = 0, .usage = "--list",
	.help = NULL, /* described in the usage head */
	.run = run,
};
