/* json_rows.h - typed rows for whole JSON documents (struct pk_jrow, filled
 * from json_doc.h events) and a spool for rows whose identity key is not
 * known yet (it may come later in the document), shared by the readers. */
#ifndef PK_JSON_ROWS_H
#define PK_JSON_ROWS_H

#include <stddef.h>
#include <stdint.h>
#include "../../core/buf.h"
#include "../../core/table.h"
#include "json_doc.h"

/* ---- typed rows from documents ---- */

enum pk_jtype { PK_JT_INT, PK_JT_REAL, PK_JT_TEXT, PK_JT_BOOL, PK_JT_TIME, PK_JT_JSON };

/* A known field: key, the column it fills, its type; slot: which of the
 * row's two JSON buffers a PK_JT_JSON field is captured into. */
struct pk_jfield {
	const char *key;
	int col;
	enum pk_jtype type;
	int slot;
};

#define PK_JROW_MAX_COLS 32

struct pk_jrow {
	const struct pk_table *t;
	struct pk_value v[PK_JROW_MAX_COLS];
	int64_t line;
	struct pk_buf text;          /* TEXT columns' bytes; v[c].i is the offset */
	struct pk_buf json[2];       /* JSON columns being captured */
	int json_col[2];             /* their columns, -1: none */
	int json_ok[2];              /* 1 when json[i] holds a whole value */
	struct pk_buf extra;         /* unknown fields, '{' ... without '}' */
	int extra_col;               /* -1: the table has no extra column */
};

/* Empties r for a new row of t with all columns NULL. */
void pk_jrow_reset(struct pk_jrow *r, const struct pk_table *t, int extra_col);
void pk_jrow_free(struct pk_jrow *r);
/* The field called key[0..n) among f[0..nf), or NULL. */
const struct pk_jfield *pk_jfield_find(const struct pk_jfield *f, size_t nf,
                                       const char *key, size_t n);
/* Sets field f of r from the event; a value of the wrong type, or out of
 * range (1e999, an impossible date), is kept in r's extra under its path
 * below level from (from < 0: ignored, the caller keeps the whole object).
 * null leaves the column missing.  A JSON field takes any value. */
enum pk_status pk_jrow_set(struct pk_jrow *r, struct pk_jdoc *d, const struct pk_jfield *f,
                           enum pk_jev ev, const char *s, size_t n, int from);
/* Sets column c to the text s[0..n). */
enum pk_status pk_jrow_text(struct pk_jrow *r, int c, const char *s, size_t n);
/* Makes r's values ready for pk_sink_row: text pointers, JSON columns that
 * are whole, extra closed (NULL when empty). */
enum pk_status pk_jrow_done(struct pk_jrow *r);

/* ---- rows waiting for their identity key ---- */

struct pk_sink;
struct pk_row_spool;

/* Keeps a row (column 0, the key, is filled at replay) in a temporary file;
 * *sp is made on first use. */
enum pk_status pk_row_spool_put(struct pk_row_spool **sp, const struct pk_table *t,
                                int64_t line, const struct pk_value *v);
/* Hands every kept row to the sink with column 0 set to key, then empties
 * the spool. */
enum pk_status pk_row_spool_replay(struct pk_row_spool *sp, struct pk_sink *sink,
                                   struct pk_value key);
void pk_row_spool_free(struct pk_row_spool **sp);

#endif
