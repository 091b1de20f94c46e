/* write_regress.h - benchmark regressions (perfanalyze --regressions) as
 * text, JSON or CSV (writers.h: NAN is "-" in text, null in JSON, empty in
 * CSV; names from logs printable in text, escaped in JSON and CSV). */
#ifndef PK_WRITE_REGRESS_H
#define PK_WRITE_REGRESS_H

#include <stdint.h>
#include "../core/buf.h"
#include "regress.h"
#include "writers.h"

enum pk_status pk_write_regress(struct pk_buf *out, enum pk_format f,
                                const struct pk_regress *r, const char *suite,
                                const char *host, int64_t until);

#endif
