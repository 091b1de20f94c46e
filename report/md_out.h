/* md_out.h - appending a report's Markdown with sticky errors: the first
 * failure is kept and later appends do nothing, so a section is written as
 * straight-line code and checked once. */
#ifndef PK_MD_OUT_H
#define PK_MD_OUT_H

#include <stdint.h>
#include "../core/buf.h"
#include "../core/status.h"

struct pk_md_out {
	struct pk_buf *b;
	enum pk_status st;
};

/* The report's own words, as they are (may hold Markdown). */
void pk_mo_put(struct pk_md_out *o, const char *s);
/* The same through a format (short texts: at most 511 bytes). */
void pk_mo_putf(struct pk_md_out *o, const char *fmt, ...) PK_PRINTF(2, 3);
/* Text from logs: pk_md_escape (NULL as ""). */
void pk_mo_esc(struct pk_md_out *o, const char *s);
/* Registry or report text with its markup characters escaped: pk_md_text. */
void pk_mo_txt(struct pk_md_out *o, const char *s);
/* x with sig significant digits ("-" when undefined), then " unit" when x
 * is defined and unit is not NULL or empty. */
void pk_mo_num(struct pk_md_out *o, double x, int sig, const char *unit);
/* A count kept as a double: "1250" when whole, else 6 significant
 * digits; "-" when NAN. */
void pk_mo_whole(struct pk_md_out *o, double x);
/* A p-value (pk_md_p). */
void pk_mo_p(struct pk_md_out *o, double p);
/* A count. */
void pk_mo_count(struct pk_md_out *o, size_t n);
/* An ISO 8601 UTC time; "-" for INT64_MIN. */
void pk_mo_time(struct pk_md_out *o, int64_t us);

#endif
