/* write_loadlevel.h - load levels (perfanalyze --load-levels) as text, JSON or
 * CSV (writers.h: NAN is "-" in text, null in JSON, empty in CSV; names from logs
 * printable in text, escaped in JSON and CSV). */
#ifndef PK_WRITE_LOADLEVEL_H
#define PK_WRITE_LOADLEVEL_H

#include "../core/buf.h"
#include "loadlevel.h"
#include "writers.h"

enum pk_status pk_write_loadlevel(struct pk_buf *out, enum pk_format f,
                                  const struct pk_loadlevels *r);

#endif
