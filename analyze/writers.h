/* writers.h - rendering analysis results as text (aligned tables with
 * units), JSON (stable, documented in README.md) or CSV.  Writers append to
 * a buffer; the tool writes it out.  Undefined statistics (NAN) are null in
 * JSON, "-" in text and empty in CSV. */
#ifndef PK_WRITERS_H
#define PK_WRITERS_H

#include "../core/buf.h"
#include "../core/query.h"
#include "compare.h"

enum pk_format { PK_FMT_TEXT, PK_FMT_JSON, PK_FMT_CSV };

/* Version of the JSON documents below ("schema" key). */
#define PK_JSON_SCHEMA 1

/* "text", "json", "csv" -> *out; -1 for anything else. */
int pk_format_parse(const char *s, enum pk_format *out);

enum pk_status pk_write_profiles(struct pk_buf *out, enum pk_format f,
                                 const struct pk_profile_info *p, size_t n);
enum pk_status pk_write_analysis(struct pk_buf *out, enum pk_format f,
                                 const struct pk_analysis *a);
enum pk_status pk_write_compare(struct pk_buf *out, enum pk_format f,
                                const struct pk_compare *c);

/* A statistic for people: "-" when NAN, else 3-6 significant digits
 * depending on magnitude.  out holds at least 32 bytes. */
void pk_fmt_stat(double v, char *out, size_t n);
/* A p-value for people: "-", "<1e-300", or 3 significant digits. */
void pk_fmt_p(double p, char *out, size_t n);

/* The unit a metric is shown with: "?" for a path outside the registry
 * (PK_METRIC_UNREGISTERED: unit unknown), else the registry's. */
const char *pk_metric_unit_shown(const struct pk_metric *m);

/* "NAME UNIT" of a metric in a text table: the name (a generic source's
 * path comes from a log: printable) padded to 44 columns, the unit to 4. */
enum pk_status pk_text_metric(struct pk_buf *b, const struct pk_metric *m);

/* "NAME,UNIT" of a metric in a CSV row (both escaped). */
enum pk_status pk_csv_metric(struct pk_buf *b, const struct pk_metric *m);

#endif
