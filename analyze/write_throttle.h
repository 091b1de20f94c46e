/* write_throttle.h - throttling episodes (perfanalyze --throttling) as text,
 * JSON or CSV (writers.h: NAN is "-" in text, null in JSON, empty in CSV;
 * names from logs printable in text, escaped in JSON and CSV). */
#ifndef PK_WRITE_THROTTLE_H
#define PK_WRITE_THROTTLE_H

#include "../core/buf.h"
#include "throttle.h"
#include "writers.h"

enum pk_status pk_write_throttle(struct pk_buf *out, enum pk_format f,
                                 const struct pk_throttle *r,
                                 const struct pk_throttle_params *p);

#endif
