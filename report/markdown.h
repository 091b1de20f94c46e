/* markdown.h - Markdown building blocks for reports: escaping text that came
 * from logs, and numbers formatted for tables and prose ("-" when undefined). */
#ifndef PK_MARKDOWN_H
#define PK_MARKDOWN_H

#include <stddef.h>
#include "../core/buf.h"

/* Appends s to b so that Markdown renders it as the same literal text: every
 * ASCII punctuation character gets a backslash, control characters (which
 * could end a line, a heading or a table row) become U+FFFD.  Nothing from s
 * can become markup, a link, an image or raw HTML. */
enum pk_status pk_md_escape(struct pk_buf *b, const char *s);

/* Appends trusted text (metric labels and units from the registry, the
 * report's own words) with only the characters that start markup escaped:
 * \ ` * _ [ ] < > | & and a '!' or '#' at its start.  Never for text from
 * logs or users: that goes through pk_md_escape. */
enum pk_status pk_md_text(struct pk_buf *b, const char *s);

/* Appends s as a relative URL path: bytes other than A-Z a-z 0-9 - . _ ~ /
 * are percent-encoded, so the result is a valid Markdown link destination. */
enum pk_status pk_md_url_path(struct pk_buf *b, const char *s);

/* Number formatting into out (PK_NUM_MAX bytes); each returns out.  NAN or
 * infinity gives "-".  No exponent between 1e-3 and 1e9; never "-0". */
#define PK_NUM_MAX 48
/* x with sig significant digits (at least 1). */
const char *pk_md_sig(char *out, double x, int sig);
/* x with a fixed number of decimals. */
const char *pk_md_fixed(char *out, double x, int decimals);
/* A p-value: three decimals from 0.001 up, "1.2e-05" below, "< 1e-300" for
 * values that underflowed to (near) zero. */
const char *pk_md_p(char *out, double p);
/* A count with no grouping: "10080". */
const char *pk_md_count(char *out, size_t n);

#endif
