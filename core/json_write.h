/* json_write.h - writing JSON text: strings with escapes, numbers that are
 * null when undefined, and the object members ("key":value) every JSON
 * writer of perfkit builds its documents from. */
#ifndef PK_JSON_WRITE_H
#define PK_JSON_WRITE_H

#include <stddef.h>
#include <stdint.h>
#include "buf.h"

/* Appends s[0..n) as a JSON string literal (quotes included); control
 * characters (C0, DEL and C1 U+0080-U+009F) as \u00XX.  s must be valid
 * UTF-8. */
enum pk_status pk_json_string(struct pk_buf *b, const char *s, size_t n);

/* Appends v in the fewest significant digits (15 to 17) that read back as
 * exactly v, or null when v is NAN or infinite. */
enum pk_status pk_json_number(struct pk_buf *b, double v);

/* The members below write "key": first, after a ',' when comma is nonzero;
 * keys are the writer's own (valid UTF-8). */

/* "key": */
enum pk_status pk_json_key(struct pk_buf *b, const char *k, int comma);

/* "key":number, null when v is NAN or infinite. */
enum pk_status pk_json_num_member(struct pk_buf *b, const char *k, double v, int comma);

/* "key":"text", null when v is NULL.  Text may come from logs: invalid
 * UTF-8 is written with its bytes as \xNN (pk_buf_put_printable). */
enum pk_status pk_json_text_member(struct pk_buf *b, const char *k, const char *v,
                                   int comma);

/* "key":"YYYY-MM-DDTHH:MM:SSZ", null when us is INT64_MIN or INT64_MAX. */
enum pk_status pk_json_time_member(struct pk_buf *b, const char *k, int64_t us, int comma);

/* "key":{"from":ISO,"to":ISO} */
enum pk_status pk_json_window_member(struct pk_buf *b, const char *k, int64_t from_us,
                                     int64_t to_us, int comma);

#endif
