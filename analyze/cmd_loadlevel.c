/* cmd_loadlevel.c - perfanalyze --load-levels SESSION_ID: green/yellow/red
 * per module of an F6 app session and overall (analyze/loadlevel.h), as
 * text, JSON or CSV. */
#include <string.h>

#include "../core/diag.h"
#include "command.h"
#include "loadlevel.h"
#include "write_loadlevel.h"

static enum pk_status run(const struct pk_cmd_args *a, struct pk_buf *out, struct pk_buf *err)
{
	struct pk_loadlevels l;
	enum pk_status rc = pk_loadlevels_for(a->db, a->args[0], &l);
	if (rc == PK_NODATA) {
		pk_buf_puts(err, "no session '");
		pk_buf_put_printable(err, a->args[0], strlen(a->args[0]));
		pk_buf_puts(err, "' (see perfanalyze --list)");
		return rc;
	}
	if (rc == PK_ERR_DB)
		pk_buf_printf(err, "database: %s", pk_db_errmsg(a->db));
	if (rc != PK_OK)
		return rc;
	rc = pk_write_loadlevel(out, a->fmt, &l);
	pk_loadlevels_free(&l);
	return rc;
}

const struct pk_command pk_cmd_load_levels = {
	"load-levels", 1, 1, "--load-levels SESSION_ID",
	"green/yellow/red per module of an app session, time shares, overall level",
	run,
	NULL,
};
