/* json_error.c - yajl's parse error trimmed into a reject reason (json_error.h). */
#include "json_error.h"

#include <string.h>

const char *pk_json_error_text(const unsigned char *e, size_t *len)
{
	const char *t = e ? (const char *)e : "invalid JSON";
	size_t n = strlen(t);
	while (n && (t[n - 1] == '\n' || t[n - 1] == ' ' || t[n - 1] == '.'))
		n--;
	if (n > 13 && memcmp(t, "parse error: ", 13) == 0) {
		t += 13;
		n -= 13;
	}
	*len = n;
	return t;
}

int pk_json_error_msg(yajl_handle h, struct pk_buf *msg)
{
	unsigned char *e = yajl_get_error(h, 0, NULL, 0);
	size_t len;
	const char *t = pk_json_error_text(e, &len);
	pk_buf_puts(msg, "invalid JSON: ");
	pk_buf_append(msg, t, len);
	int utf8 = memmem(t, len, "UTF8", 4) != NULL;
	if (e)
		yajl_free_error(h, e);
	return utf8;
}
