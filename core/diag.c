/* diag.c - formatting diagnostics as single lines (see diag.h). */
#include "diag.h"

#include <string.h>

#include "utf8.h"

enum pk_status pk_buf_put_printable(struct pk_buf *out, const char *s, size_t n)
{
	enum pk_status rc = PK_OK;
	size_t i = 0;
	while (i < n && rc == PK_OK) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x80) {
			size_t len = pk_utf8_valid_prefix(s + i, n - i, 1);
			if (len && !pk_utf8_is_c1(s + i, len)) {
				rc = pk_buf_append(out, s + i, len);
				i += len;
				continue;
			}
		}
		if (c < 0x20 || c == 0x7f || c >= 0x80)
			rc = pk_buf_printf(out, "\\x%02x", c);
		else if (c == '\\')
			rc = pk_buf_puts(out, "\\\\");
		else
			rc = pk_buf_putc(out, (char)c);
		i++;
	}
	return rc;
}

enum pk_status pk_diag_format(const struct pk_diag *d, struct pk_buf *out)
{
	enum pk_status rc = pk_buf_put_printable(out, d->file ? d->file : "-",
	                                         d->file ? strlen(d->file) : 1);
	if (rc == PK_OK && d->line > 0)
		rc = pk_buf_printf(out, ":%lld", (long long)d->line);
	if (rc == PK_OK && d->line > 0 && d->col > 0)
		rc = pk_buf_printf(out, ":%lld", (long long)d->col);
	if (rc == PK_OK)
		rc = pk_buf_puts(out, d->severity == PK_SEV_WARNING ? ": warning: " : ": ");
	if (rc == PK_OK)
		rc = pk_buf_put_printable(out, d->message, strlen(d->message));
	return rc;
}
