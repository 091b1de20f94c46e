/* csv_write.h - writing CSV output fields (RFC 4180) from text that may come
 * from logs. */
#ifndef PK_CSV_WRITE_H
#define PK_CSV_WRITE_H

#include <stddef.h>
#include "buf.h"

/* Appends s[0..n) as one CSV field: quoted (quotes doubled) when it holds a
 * comma, quote, CR or LF; control characters other than CR, LF and tab (C0,
 * DEL, C1 U+0080-U+009F) and invalid UTF-8 bytes written as \xNN, so that
 * neither a terminal nor a spreadsheet gets them raw.  s may be NULL (an
 * empty field). */
enum pk_status pk_csv_field(struct pk_buf *b, const char *s, size_t n);

/* s as one field (pk_csv_field); NULL: an empty field. */
enum pk_status pk_csv_text(struct pk_buf *b, const char *s);

/* ",number" (as JSON writes it), or "," alone when v is NAN or infinite:
 * missing is an empty field, never 0. */
enum pk_status pk_csv_num(struct pk_buf *b, double v);

#endif
