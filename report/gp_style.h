/* gp_style.h - what every perfkit gnuplot script starts with: the SVG
 * terminal, the colour-blind-safe Okabe-Ito palette as line styles 1-8,
 * and `set output` lines for chart files. */
#ifndef PK_GP_STYLE_H
#define PK_GP_STYLE_H

#include "../core/buf.h"

/* Okabe & Ito (2008), in the order lines get them: blue, vermillion,
 * bluish green, orange, reddish purple, sky blue, yellow, black. */
#define PK_GP_NCOLOURS 8
extern const char *const pk_gp_okabe_ito[PK_GP_NCOLOURS];

/* The script's opening: a comment naming what it draws (the report's own
 * words) and how to re-run it (script_name: control characters shown as
 * '?'), then terminal, grid, key and line styles 1-8. */
enum pk_status pk_gp_header(struct pk_buf *b, const char *what,
                            const char *script_name);

/* "set output 'DIR/FILE'" and a newline. */
enum pk_status pk_gp_output(struct pk_buf *b, const char *dir, const char *file);

#endif
