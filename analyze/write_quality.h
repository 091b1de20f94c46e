/* write_quality.h - data quality (perfanalyze --quality) as text, JSON or
 * CSV (writers.h: NAN is "-" in text, null in JSON, empty in CSV; names from logs
 * printable in text, escaped in JSON and CSV). */
#ifndef PK_WRITE_QUALITY_H
#define PK_WRITE_QUALITY_H

#include "../core/buf.h"
#include "quality.h"
#include "writers.h"

enum pk_status pk_write_quality(struct pk_buf *out, enum pk_format f,
                                const struct pk_quality *r);

#endif
