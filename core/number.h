/* number.h - exact decimal-to-double conversion of JSON/CSV number text. */
#ifndef PK_NUMBER_H
#define PK_NUMBER_H

#include <stddef.h>

/* Parses the whole of s[0..n) as a decimal number ("-12.5e3") into *out.
 * Returns 0, or -1 when the text is not a number or is outside double range
 * (1e999).  The result is the correctly rounded double, as strtod gives:
 * short numbers take an exact fast path (Clinger), the rest strtod. */
int pk_parse_double(const char *s, size_t n, double *out);

#endif
