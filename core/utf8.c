/* utf8.c - UTF-8 validation (see utf8.h). */
#include "utf8.h"

/* Length of the valid sequence starting at s, or 0. */
static size_t seq_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	if (c < 0x80)
		return 1;
	size_t len;
	unsigned char lo = 0x80, hi = 0xbf;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		if (c == 0xe0) lo = 0xa0;
		if (c == 0xed) hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		if (c == 0xf0) lo = 0x90;
		if (c == 0xf4) hi = 0x8f;
	} else
		return 0;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

size_t pk_utf8_valid_prefix(const char *s, size_t n, size_t max_chars)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, chars = 0;
	while (i < n && (max_chars == 0 || chars < max_chars)) {
		if (u[i] < 0x80) {
			i++;
		} else {
			size_t l = seq_len(u + i, n - i);
			if (!l)
				break;
			i += l;
		}
		chars++;
	}
	return i;
}

int pk_utf8_valid(const char *s, size_t n)
{
	return pk_utf8_valid_prefix(s, n, 0) == n;
}

int pk_utf8_has_control(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f || (i + 1 < n && pk_utf8_is_c1(s + i, 2)))
			return 1;
	}
	return 0;
}
