/* csv_write.c - CSV output fields (see csv_write.h). */
#include "csv_write.h"

#include <math.h>
#include <string.h>

#include "json_write.h"
#include "utf8.h"

enum pk_status pk_csv_field(struct pk_buf *b, const char *s, size_t n)
{
	if (!s)
		return PK_OK;
	int quote = 0;
	for (size_t i = 0; i < n && !quote; i++)
		quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
	enum pk_status rc = quote ? pk_buf_putc(b, '"') : PK_OK;
	size_t i = 0;
	while (i < n && rc == PK_OK) {
		unsigned char c = (unsigned char)s[i];
		size_t len = 1;
		if (c >= 0x80)
			len = pk_utf8_valid_prefix(s + i, n - i, 1);
		if (len == 0 || (c < 0x20 && c != '\r' && c != '\n' && c != '\t') || c == 0x7f ||
		    pk_utf8_is_c1(s + i, len)) {
			rc = pk_buf_printf(b, "\\x%02x", c);   /* one byte at a time */
			i++;
			continue;
		}
		if (c == '"')
			rc = pk_buf_puts(b, "\"\"");
		else
			rc = pk_buf_append(b, s + i, len);
		i += len;
	}
	return rc == PK_OK && quote ? pk_buf_putc(b, '"') : rc;
}

enum pk_status pk_csv_text(struct pk_buf *b, const char *s)
{
	return pk_csv_field(b, s, s ? strlen(s) : 0);
}

enum pk_status pk_csv_num(struct pk_buf *b, double v)
{
	enum pk_status rc = pk_buf_putc(b, ',');
	return rc == PK_OK && isfinite(v) ? pk_json_number(b, v) : rc;
}
