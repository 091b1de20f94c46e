/* cmd_analyze.c - perfanalyze --analyze PROFILE: count, mean, median, stdev,
 * min, max, p95, p99 per metric of one profile's window (or of every path
 * of a generic source that is no machine), and its data quality
 * (analyze/compare.h, generic_source.h, writers.h). */
#include "command.h"
#include "compare.h"
#include "generic_source.h"
#include "quality.h"
#include "writers.h"

static enum pk_status run_generic(const struct pk_cmd_args *a, struct pk_buf *out,
                                  struct pk_buf *err)
{
	const char *source = a->args[0];
	struct pk_generic_load g;
	struct pk_analysis r = { 0 };
	enum pk_status rc = pk_load_generic_window(a->db, source, a->hours, a->until_us, &g, err);
	if (rc == PK_OK)
		rc = pk_analyze_view(source, &g.w, &g.view, &r);
	if (rc == PK_OK)
		rc = pk_generic_quality_add_sources(a->db, source, &g.w, &r.quality);
	if (rc == PK_OK)
		rc = pk_write_analysis(out, a->fmt, &r);
	pk_analysis_free(&r);
	pk_generic_load_free(&g);
	return rc;
}

static enum pk_status run(const struct pk_cmd_args *a, struct pk_buf *out,
                          struct pk_buf *err)
{
	const char *profile = a->args[0];
	if (pk_generic_only(a->db, profile))
		return run_generic(a, out, err);
	struct pk_window w;
	struct pk_hw_series s = { 0 };
	struct pk_analysis r = { 0 };
	enum pk_status rc = pk_load_profile_window(a->db, profile, a->hours, a->until_us,
	                                           &w, &s, err);
	if (rc == PK_OK)
		rc = pk_analyze_series(profile, &w, &s, &r);
	if (rc == PK_OK)
		rc = pk_data_quality_add_sources(a->db, profile, &s, &r.quality);
	if (rc == PK_OK)
		rc = pk_write_analysis(out, a->fmt, &r);
	pk_analysis_free(&r);
	pk_hw_series_free(&s);
	return rc;
}

const struct pk_command pk_cmd_analyze = {
	.name = "analyze", .min_args = 1, .max_args = 1, .usage = "--analyze PROFILE",
	.help = NULL, /* described in the usage head */
	.run = run,
};
