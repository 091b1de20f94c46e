/* write_tiers.h - hardware tiers (perfanalyze --tiers) as text, JSON or
 * CSV (writers.h: NAN is "-" in text, null in JSON, empty in CSV; names from logs
 * printable in text, escaped in JSON and CSV). */
#ifndef PK_WRITE_TIERS_H
#define PK_WRITE_TIERS_H

#include "../core/buf.h"
#include "tiers.h"
#include "writers.h"

enum pk_status pk_write_tiers(struct pk_buf *out, enum pk_format f,
                              const struct pk_tiers *r);

#endif
