/* write_sources.h - rendering what the database holds (perfanalyze --list)
 * as text (one titled, aligned table per kind present), JSON (every kind,
 * empty ones as empty arrays) or CSV: the hardware block first, always, as
 * --list gave it before (profile,samples,first,last), then one block per
 * other kind present, after an empty line, with its own header row; those
 * rows start with a `kind` column (the kind's JSON key) so every row says
 * what it is.  Names come from logs: printable in text, escaped in JSON and
 * CSV. */
#ifndef PK_WRITE_SOURCES_H
#define PK_WRITE_SOURCES_H

#include "../core/buf.h"
#include "../core/query_sources.h"
#include "writers.h"

enum pk_status pk_write_sources(struct pk_buf *out, enum pk_format f,
                                const struct pk_sources *s);

#endif
