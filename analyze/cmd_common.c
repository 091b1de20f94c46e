/* cmd_common.c - JSON, CSV and text writers shared by the commands (cmd_common.h). */
#include "cmd_common.h"

#include <math.h>
#include <string.h>

#include "../core/csv_write.h"
#include "../core/diag.h"
#include "../core/json_write.h"
#include "../core/timeutil.h"

enum pk_status pk_cmd_key(struct pk_buf *b, const char *k, int comma)
{
	enum pk_status rc = comma ? pk_buf_putc(b, ',') : PK_OK;
	if (rc == PK_OK) rc = pk_json_string(b, k, strlen(k));
	return rc == PK_OK ? pk_buf_putc(b, ':') : rc;
}

enum pk_status pk_cmd_num(struct pk_buf *b, const char *k, double v)
{
	enum pk_status rc = pk_cmd_key(b, k, 1);
	return rc == PK_OK ? pk_json_number(b, v) : rc;
}

enum pk_status pk_cmd_str(struct pk_buf *b, const char *k, const char *v, int comma)
{
	enum pk_status rc = pk_cmd_key(b, k, comma);
	return rc == PK_OK ? pk_json_string(b, v, strlen(v)) : rc;
}

enum pk_status pk_cmd_time(struct pk_buf *b, const char *k, int64_t us, int comma)
{
	char t[PK_TIME_ISO_MAX];
	pk_time_format_iso(us, t);
	return pk_cmd_str(b, k, t, comma);
}

enum pk_status pk_cmd_window(struct pk_buf *o, const struct pk_window *w)
{
	enum pk_status rc = pk_cmd_key(o, "window", 1);
	if (rc == PK_OK) rc = pk_buf_putc(o, '{');
	if (rc == PK_OK) rc = pk_cmd_time(o, "from", w->from_us, 0);
	if (rc == PK_OK) rc = pk_cmd_time(o, "to", w->to_us, 1);
	return rc == PK_OK ? pk_buf_putc(o, '}') : rc;
}

enum pk_status pk_cmd_csv_num(struct pk_buf *b, double v)
{
	enum pk_status rc = pk_buf_putc(b, ',');
	return rc == PK_OK && isfinite(v) ? pk_json_number(b, v) : rc;
}

enum pk_status pk_cmd_csv_text(struct pk_buf *b, const char *s)
{
	return pk_csv_field(b, s, s ? strlen(s) : 0);
}

enum pk_status pk_cmd_text_head(struct pk_buf *o, const char *profile, const struct pk_window *w)
{
	char a[PK_TIME_ISO_MAX], b[PK_TIME_ISO_MAX];
	pk_time_format_iso(w->from_us, a);
	pk_time_format_iso(w->to_us, b);
	enum pk_status rc = pk_buf_puts(o, "profile     ");
	if (rc == PK_OK) rc = pk_buf_put_printable(o, profile, strlen(profile));
	return rc == PK_OK ? pk_buf_printf(o, "\nwindow      %s .. %s\n", a, b) : rc;
}
