/* cmd_common.c - text writers shared by the commands (cmd_common.h). */
#include "cmd_common.h"

#include <string.h>

#include "../core/diag.h"
#include "../core/timeutil.h"

enum pk_status pk_cmd_text_head(struct pk_buf *o, const char *profile, const struct pk_window *w)
{
	char a[PK_TIME_ISO_MAX], b[PK_TIME_ISO_MAX];
	pk_time_format_iso(w->from_us, a);
	pk_time_format_iso(w->to_us, b);
	enum pk_status rc = pk_buf_puts(o, "profile     ");
	if (rc == PK_OK) rc = pk_buf_put_printable(o, profile, strlen(profile));
	return rc == PK_OK ? pk_buf_printf(o, "\nwindow      %s .. %s\n", a, b) : rc;
}
