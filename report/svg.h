/* svg.h - preparing a gnuplot SVG file for inline use in an HTML report. */
#ifndef PK_SVG_H
#define PK_SVG_H

#include <stddef.h>
#include "../core/buf.h"

/* Appends the SVG document svg[0..len) to out as an element for an HTML
 * page: drops everything before "<svg" (XML prolog, doctype, comments) and
 * after "</svg>", adds class="chart-svg" role="img" and, when label is not
 * NULL, aria-label="label" (HTML-escaped), and prefixes every id
 * and every reference to one (url(#x), href="#x", xlink:href='#x') with
 * prefix, so several inline charts do not clash.  PK_ERR_EXTERNAL, with a
 * message in err, when there is no <svg> element or it holds a <script> or
 * an event attribute, PK_ERR_NOMEM when out is full. */
enum pk_status pk_svg_inline(struct pk_buf *out, const char *svg, size_t len,
                             const char *prefix, const char *label,
                             struct pk_buf *err);

#endif
