/* cmd_compare.c - perfanalyze --compare A B: both profiles' statistics,
 * B-A, B/A, Welch and Mann-Whitney tests, Cohen's d, lag-1 autocorrelation,
 * the Welch p adjusted for autocorrelation and a verdict per metric
 * (analyze/compare.h, writers.h).  With a generic source that is no
 * machine on either side (generic_source.h), the metrics both share. */
#include <pthread.h>
#include <string.h>

#include "command.h"
#include "compare.h"
#include "generic_source.h"
#include "quality.h"
#include "writers.h"

static enum pk_status run_views(const struct pk_cmd_args *a, struct pk_buf *out,
                                struct pk_buf *err)
{
	struct pk_compare_side sd[2];
	memset(sd, 0, sizeof sd);
	struct pk_compare cmp = { 0 };
	enum pk_status rc = PK_OK;
	for (int k = 0; k < 2 && rc == PK_OK; k++)
		rc = pk_compare_side_load(a->db, a->args[k], a->hours, a->until_us, &sd[k], err);
	if (rc == PK_OK)
		rc = pk_compare_views(sd[0].name, &sd[0].w, &sd[0].v, sd[1].name, &sd[1].w, &sd[1].v,
		                      &cmp);
	if (rc == PK_OK)
		rc = pk_compare_side_sources(a->db, &sd[0], &cmp.quality_a);
	if (rc == PK_OK)
		rc = pk_compare_side_sources(a->db, &sd[1], &cmp.quality_b);
	if (rc == PK_OK)
		rc = pk_write_compare(out, a->fmt, &cmp);
	pk_compare_free(&cmp);
	for (int k = 0; k < 2; k++)
		pk_compare_side_free(&sd[k]);
	return rc;
}

/* One profile's window and series, loaded on a thread of its own. */
struct load_job {
	const char *db_path, *profile;
	double hours;
	int64_t until;
	struct pk_window *w;
	struct pk_hw_series *s;
	struct pk_buf err;
	enum pk_status rc;
};

static void *load_thread(void *arg)
{
	struct load_job *j = arg;
	struct pk_db *db = NULL;
	j->rc = pk_db_open(j->db_path, PK_DB_READONLY, &db, &j->err);
	if (j->rc == PK_OK)
		j->rc = pk_load_profile_window(db, j->profile, j->hours, j->until, j->w, j->s, &j->err);
	pk_db_close(&db);
	return NULL;
}

static enum pk_status run(const struct pk_cmd_args *a, struct pk_buf *out,
                          struct pk_buf *err)
{
	const char *pa = a->args[0], *pb = a->args[1];
	if (pk_generic_only(a->db, pa) || pk_generic_only(a->db, pb))
		return run_views(a, out, err);
	struct pk_window wa, wb;
	struct pk_hw_series sa = { 0 }, sb = { 0 };
	struct pk_compare cmp = { 0 };
	/* B loads on a second thread with its own connection while A loads
	 * here: reading a year of samples is half of a comparison's time */
	struct load_job jb = { a->db_path, pb, a->hours, a->until_us,
	                       &wb, &sb, PK_BUF_INIT, PK_OK };
	pthread_t tid;
	int threaded = a->db_path && pthread_create(&tid, NULL, load_thread, &jb) == 0;
	enum pk_status rc = pk_load_profile_window(a->db, pa, a->hours, a->until_us, &wa, &sa, err);
	if (threaded)
		pthread_join(tid, NULL);
	else
		jb.rc = pk_load_profile_window(a->db, pb, a->hours, a->until_us, &wb, &sb, &jb.err);
	if (rc == PK_OK && jb.rc != PK_OK) {
		rc = jb.rc;
		pk_buf_puts(err, jb.err.data ? jb.err.data : pk_status_str(rc));
	}
	pk_buf_free(&jb.err);
	if (rc == PK_OK)
		rc = pk_compare_series(pa, &wa, &sa, pb, &wb, &sb, &cmp);
	if (rc == PK_OK)
		rc = pk_data_quality_add_sources(a->db, pa, &sa, &cmp.quality_a);
	if (rc == PK_OK)
		rc = pk_data_quality_add_sources(a->db, pb, &sb, &cmp.quality_b);
	if (rc == PK_OK)
		rc = pk_write_compare(out, a->fmt, &cmp);
	pk_compare_free(&cmp);
	pk_hw_series_free(&sa);
	pk_hw_series_free(&sb);
	return rc;
}

const struct pk_command pk_cmd_compare = {
	.name = "compare", .min_args = 2, .max_args = 2, .usage = "--compare A B",
	.help = NULL, /* described in the usage head */
	.needs = "two profiles",
	.run = run,
};
