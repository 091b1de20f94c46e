/* utf8.h - UTF-8 validation. */
#ifndef PK_UTF8_H
#define PK_UTF8_H

#include <stddef.h>

/* Length of the longest prefix of s[0..n) made of whole valid UTF-8
 * sequences (no overlongs, surrogates or code points above U+10FFFF); when
 * max_chars > 0, stops after that many characters. */
size_t pk_utf8_valid_prefix(const char *s, size_t n, size_t max_chars);

/* 1 when all n bytes of s are valid UTF-8. */
int pk_utf8_valid(const char *s, size_t n);

#endif
