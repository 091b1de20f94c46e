/* json_nan.c - rewriting Python's NaN/Infinity tokens to null (json_nan.h). */
#include "json_nan.h"

#include <string.h>

/* Length of the NaN/Infinity token at p, or 0. */
static size_t token_at(const char *p, size_t n)
{
	static const char *const toks[] = { "-Infinity", "Infinity", "NaN" };
	for (size_t i = 0; i < sizeof toks / sizeof toks[0]; i++) {
		size_t l = strlen(toks[i]);
		if (n >= l && memcmp(p, toks[i], l) == 0)
			return l;
	}
	return 0;
}

long pk_json_nan_to_null(const char *p, size_t n, struct pk_buf *out)
{
	long replaced = 0;
	size_t copied = 0;
	int in_string = 0;
	pk_buf_reset(out);
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = 0;
			continue;
		}
		if (c == '"') {
			in_string = 1;
			continue;
		}
		if (c != 'N' && c != 'I' && c != '-')
			continue;
		size_t l = token_at(p + i, n - i);
		if (!l)
			continue;
		if (pk_buf_append(out, p + copied, i - copied) != PK_OK ||
		    pk_buf_puts(out, "null") != PK_OK)
			return -1;
		replaced++;
		i += l - 1;
		copied = i + 1;
	}
	if (!replaced) {
		pk_buf_reset(out);
		return 0;
	}
	if (pk_buf_append(out, p + copied, n - copied) != PK_OK)
		return -1;
	return replaced;
}
