/* cmd_throttle.c - perfanalyze --throttling PROFILE: episodes where the GPU
 * stays hot while the CPU frequency or GPU utilisation drops
 * (analyze/throttle.h), as text, JSON or CSV. */
#include "command.h"
#include "compare.h"
#include "throttle.h"
#include "write_throttle.h"

static enum pk_status run(const struct pk_cmd_args *a, struct pk_buf *out, struct pk_buf *err)
{
	const char *profile = a->args[0];
	struct pk_throttle_params p;
	struct pk_window w;
	struct pk_hw_series s;
	struct pk_throttle t = { 0 };
	enum pk_status rc = pk_load_profile_window(a->db, profile, a->hours, a->until_us, &w, &s, err);
	if (rc != PK_OK)
		return rc;
	rc = pk_throttle_threshold(a->db, profile, a->threshold, &p);
	if (rc == PK_ERR_DB)
		pk_buf_printf(err, "database: %s", pk_db_errmsg(a->db));
	if (rc == PK_OK)
		rc = pk_throttle_series(profile, &w, &s, p.threshold_c, &t);
	pk_hw_series_free(&s);
	if (rc == PK_OK)
		rc = pk_write_throttle(out, a->fmt, &t, &p);
	pk_throttle_free(&t);
	pk_throttle_params_free(&p);
	return rc;
}

const struct pk_command pk_cmd_throttling = {
	"throttling", 1, 1, "--throttling PROFILE",
	"GPU hot (> --threshold C, else registry limit, else 80) while CPU MHz or GPU use drops",
	run,
	NULL,
};
