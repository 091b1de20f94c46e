/* json_write.c - JSON text output helpers (see json_write.h). */
#include "json_write.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "timeutil.h"
#include "utf8.h"

enum pk_status pk_json_string(struct pk_buf *b, const char *s, size_t n)
{
	enum pk_status rc = pk_buf_putc(b, '"');
	size_t run = 0;
	for (size_t i = 0; i < n && rc == PK_OK; i++) {
		unsigned char c = (unsigned char)s[i];
		int c1 = c == 0xc2 && i + 1 < n && pk_utf8_is_c1(s + i, 2);
		if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f && !c1)
			continue;
		rc = pk_buf_append(b, s + run, i - run);
		if (rc != PK_OK)
			break;
		run = i + 1;
		if (c1) {   /* U+0080-U+009F */
			rc = pk_buf_printf(b, "\\u%04x", (unsigned char)s[++i]);
			run = i + 1;
			continue;
		}
		switch (c) {
		case '"': rc = pk_buf_puts(b, "\\\""); break;
		case '\\': rc = pk_buf_puts(b, "\\\\"); break;
		case '\n': rc = pk_buf_puts(b, "\\n"); break;
		case '\r': rc = pk_buf_puts(b, "\\r"); break;
		case '\t': rc = pk_buf_puts(b, "\\t"); break;
		default: rc = pk_buf_printf(b, "\\u%04x", c); break;
		}
	}
	if (rc == PK_OK)
		rc = pk_buf_append(b, s + run, n - run);
	if (rc == PK_OK)
		rc = pk_buf_putc(b, '"');
	return rc;
}

enum pk_status pk_json_number(struct pk_buf *b, double v)
{
	if (!isfinite(v))
		return pk_buf_puts(b, "null");
	if (v == 0)
		return pk_buf_puts(b, "0");
	/* the shortest of 15, 16, 17 significant digits that reads back as v */
	char tmp[32];
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*g", prec, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	return pk_buf_puts(b, tmp);
}

enum pk_status pk_json_key(struct pk_buf *b, const char *k, int comma)
{
	enum pk_status rc = comma ? pk_buf_putc(b, ',') : PK_OK;
	if (rc == PK_OK)
		rc = pk_json_string(b, k, strlen(k));
	return rc == PK_OK ? pk_buf_putc(b, ':') : rc;
}

enum pk_status pk_json_num_member(struct pk_buf *b, const char *k, double v, int comma)
{
	enum pk_status rc = pk_json_key(b, k, comma);
	return rc == PK_OK ? pk_json_number(b, v) : rc;
}

enum pk_status pk_json_text_member(struct pk_buf *b, const char *k, const char *v,
                                   int comma)
{
	enum pk_status rc = pk_json_key(b, k, comma);
	if (rc != PK_OK)
		return rc;
	if (!v)
		return pk_buf_puts(b, "null");
	size_t n = strlen(v);
	if (pk_utf8_valid(v, n))
		return pk_json_string(b, v, n);
	struct pk_buf t = PK_BUF_INIT;
	rc = pk_buf_put_printable(&t, v, n);
	if (rc == PK_OK)
		rc = pk_json_string(b, t.data ? t.data : "", t.len);
	pk_buf_free(&t);
	return rc;
}

enum pk_status pk_json_time_member(struct pk_buf *b, const char *k, int64_t us, int comma)
{
	char t[PK_TIME_ISO_MAX];
	if (us == INT64_MIN || us == INT64_MAX)
		return pk_json_text_member(b, k, NULL, comma);
	pk_time_format_iso(us, t);
	return pk_json_text_member(b, k, t, comma);
}

enum pk_status pk_json_window_member(struct pk_buf *b, const char *k, int64_t from_us,
                                     int64_t to_us, int comma)
{
	enum pk_status rc = pk_json_key(b, k, comma);
	if (rc == PK_OK) rc = pk_buf_putc(b, '{');
	if (rc == PK_OK) rc = pk_json_time_member(b, "from", from_us, 0);
	if (rc == PK_OK) rc = pk_json_time_member(b, "to", to_us, 1);
	return rc == PK_OK ? pk_buf_putc(b, '}') : rc;
}
