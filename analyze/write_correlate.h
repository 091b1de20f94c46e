/* write_correlate.h - correlations (perfanalyze --correlate) as text, JSON or
 * CSV (writers.h: NAN is "-" in text, null in JSON, empty in CSV; names from logs
 * printable in text, escaped in JSON and CSV). */
#ifndef PK_WRITE_CORRELATE_H
#define PK_WRITE_CORRELATE_H

#include "../core/buf.h"
#include "correlate.h"
#include "writers.h"

enum pk_status pk_write_correlate(struct pk_buf *out, enum pk_format f,
                                  const struct pk_correlate *r);

#endif
