/* json_write.h - writing JSON text: strings with escapes, and numbers that
 * are null when undefined. */
#ifndef PK_JSON_WRITE_H
#define PK_JSON_WRITE_H

#include <stddef.h>
#include "buf.h"

/* Appends s[0..n) as a JSON string literal (quotes included); control
 * characters (C0, DEL and C1 U+0080-U+009F) as \u00XX.  s must be valid
 * UTF-8. */
enum pk_status pk_json_string(struct pk_buf *b, const char *s, size_t n);

/* Appends v in the fewest significant digits (15 to 17) that read back as
 * exactly v, or null when v is NAN or infinite. */
enum pk_status pk_json_number(struct pk_buf *b, double v);

#endif
