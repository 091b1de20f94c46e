/* cmd_common.h - small writers shared by the cmd_*.c commands: JSON members
 * ("key":value), CSV fields and the profile/window lines of a text report. */
#ifndef PK_CMD_COMMON_H
#define PK_CMD_COMMON_H

#include <stdint.h>
#include "../core/buf.h"
#include "compare.h"

/* "key": with a ',' first when comma is nonzero. */
enum pk_status pk_cmd_key(struct pk_buf *b, const char *k, int comma);
/* ,"key":number (NAN: null). */
enum pk_status pk_cmd_num(struct pk_buf *b, const char *k, double v);
/* "key":"string", with a ',' first when comma is nonzero. */
enum pk_status pk_cmd_str(struct pk_buf *b, const char *k, const char *v, int comma);
/* "key":"ISO time of us", with a ',' first when comma is nonzero. */
enum pk_status pk_cmd_time(struct pk_buf *b, const char *k, int64_t us, int comma);
/* ,"window":{"from":ISO,"to":ISO} */
enum pk_status pk_cmd_window(struct pk_buf *o, const struct pk_window *w);

/* ,number (NAN: an empty field). */
enum pk_status pk_cmd_csv_num(struct pk_buf *b, double v);
/* CSV field: quoted when it holds a comma, quote, CR or LF; NULL empty. */
enum pk_status pk_cmd_csv_text(struct pk_buf *b, const char *s);

/* Text report head: "profile     P\nwindow      FROM .. TO\n" (P printable). */
enum pk_status pk_cmd_text_head(struct pk_buf *o, const char *profile, const struct pk_window *w);

#endif
