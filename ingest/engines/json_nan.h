/* json_nan.h - Python's json.dumps writes NaN, Infinity and -Infinity as bare
 * tokens, which are not JSON.  The JSON parser (yajl) rejects them; readers
 * retry such a line after rewriting those tokens, outside strings, to null,
 * which is what they mean to perfkit: a missing value. */
#ifndef PK_JSON_NAN_H
#define PK_JSON_NAN_H

#include <stddef.h>
#include "../../core/buf.h"

/* Writes p[0..n) to out with bare NaN / Infinity / -Infinity tokens outside
 * strings replaced by null.  Returns the number of tokens replaced (0: out
 * is left empty), or -1 when out could not grow. */
long pk_json_nan_to_null(const char *p, size_t n, struct pk_buf *out);

#endif
