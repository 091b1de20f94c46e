/* json_error.c - yajl's parse error trimmed into a reject reason, and one
 * JSON line parsed with it (json_error.h). */
#include "json_error.h"

#include "../../core/utf8.h"

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

int pk_json_parse_line(const yajl_callbacks *cb, void *ctx, const struct pk_json_line_state *ls,
                       const char *p, size_t n, struct pk_buf *msg, int64_t *col)
{
	yajl_handle h = yajl_alloc(cb, NULL, ctx);
	if (!h)
		return -1;
	if (ls->handle)
		*ls->handle = h;
	yajl_status s = yajl_parse(h, (const unsigned char *)p, n);
	int at_end = 0;
	if (s == yajl_status_ok) {
		s = yajl_complete_parse(h);
		at_end = 1;
	}
	int res = s == yajl_status_ok;
	if (*ls->nomem) {
		res = -1;
	} else if (!res) {
		*col = at_end ? (int64_t)n + 1 : (int64_t)yajl_get_bytes_consumed(h) + 1;
		pk_buf_reset(msg);
		if (s == yajl_status_client_canceled && *ls->fail) {
			pk_buf_puts(msg, *ls->fail);
		} else {
			/* yajl stops after the string; point at the bad byte itself */
			if (pk_json_error_msg(h, msg))
				*col = (int64_t)pk_utf8_valid_prefix(p, n, 0) + 1;
		}
	}
	yajl_free(h);
	if (ls->handle)
		*ls->handle = NULL;
	return res;
}
