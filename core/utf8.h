/* utf8.h - UTF-8 validation and control characters. */
#ifndef PK_UTF8_H
#define PK_UTF8_H

#include <stddef.h>

/* Length of the longest prefix of s[0..n) made of whole valid UTF-8
 * sequences (no overlongs, surrogates or code points above U+10FFFF); when
 * max_chars > 0, stops after that many characters. */
size_t pk_utf8_valid_prefix(const char *s, size_t n, size_t max_chars);

/* 1 when the len bytes at s (one valid UTF-8 character) are a C1 control
 * character, U+0080-U+009F: terminals obey them like C0 ones (CSI, OSC). */
static inline int pk_utf8_is_c1(const char *s, size_t len)
{
	return len == 2 && (unsigned char)s[0] == 0xc2 && (unsigned char)s[1] >= 0x80 &&
	       (unsigned char)s[1] < 0xa0;
}

/* 1 when s[0..n) holds a control character: C0 (< 0x20), DEL or C1
 * (U+0080-U+009F, as UTF-8). */
int pk_utf8_has_control(const char *s, size_t n);

/* 1 when all n bytes of s are valid UTF-8. */
int pk_utf8_valid(const char *s, size_t n);

#endif
