/* json_write.c - JSON text output helpers (see json_write.h). */
#include "json_write.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

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
