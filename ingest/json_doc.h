/* json_doc.h - whole JSON documents read in chunks (F5, F6): a path-tracking
 * event layer over yajl's event API, no tree.  The document arrives in
 * chunks of any size; the layer strips a BOM, rewrites Python's bare
 * NaN/Infinity tokens to null on the fly, counts lines, keeps the dotted path
 * of the current value ("cycles.17.llm_metrics.total_time"; array elements
 * by index), caps the nesting depth and the length of one token, and copies
 * the text of chosen subtrees (whitespace outside strings removed) as the
 * chunks go by, so a subtree may cross chunk boundaries.  Memory is bounded
 * by the largest subtree kept, not by the document.
 *
 * Typed rows for such documents (struct pk_jrow) and a spool for rows whose
 * identity key is not known yet (it may come later in the document) are
 * here too, shared by the readers. */
#ifndef PK_JSON_DOC_H
#define PK_JSON_DOC_H

#include <stddef.h>
#include <stdint.h>
#include "../core/buf.h"
#include "../core/table.h"

#define PK_JDOC_MAX_DEPTH 64
#define PK_JDOC_TOKEN_MAX ((size_t)16 << 20)   /* one string or number */
#define PK_JDOC_KEEP_MAX ((size_t)16 << 20)    /* one subtree kept in extra */

enum pk_jev {
	PK_JEV_NULL, PK_JEV_BOOL, PK_JEV_NUMBER, PK_JEV_STRING,
	PK_JEV_MAP, PK_JEV_ARRAY,   /* a container starts */
	PK_JEV_END                  /* the container at the current level ends */
};

struct pk_jdoc;

/* One event.  Scalars: s[0..n) is the number as written, the string's
 * (unescaped, valid UTF-8) bytes, "true"/"false" or "null".  Containers and
 * END: s is NULL.  pk_jdoc_depth tells the level (the root is 0).  Return
 * PK_OK to go on; PK_ERR_INPUT after pk_jdoc_fail stops the document with
 * that reason; any other status stops it and pk_jdoc_feed returns it. */
typedef enum pk_status (*pk_jdoc_fn)(void *ctx, struct pk_jdoc *d, enum pk_jev ev,
                                     const char *s, size_t n);

/* A parser calling fn(ctx, ...); NULL without memory.  Freed with
 * pk_jdoc_free, which sets *d to NULL. */
struct pk_jdoc *pk_jdoc_new(pk_jdoc_fn fn, void *ctx);
void pk_jdoc_free(struct pk_jdoc **d);

/* The next n bytes of the document.  A malformed document is not an error
 * here (see pk_jdoc_error); returns PK_OK, or the status that stopped it. */
enum pk_status pk_jdoc_feed(struct pk_jdoc *d, const char *p, size_t n);
/* The end of the document. */
enum pk_status pk_jdoc_end(struct pk_jdoc *d);

/* Inside an event: the level of the value (0 root, 1 member of the root ...). */
int pk_jdoc_depth(const struct pk_jdoc *d);
/* The key of the value at level (1..depth), or NULL for an array element. */
const char *pk_jdoc_key(const struct pk_jdoc *d, int level, size_t *n);
/* The index of the array element at level, or -1 for a map member. */
int64_t pk_jdoc_index(const struct pk_jdoc *d, int level);
/* The dotted path of the current value below level from (from < depth):
 * "llm_metrics.total_time" below a cycle, "cycles.3" below the root. */
const char *pk_jdoc_path(const struct pk_jdoc *d, int from, size_t *n);
/* The 1-based line of the current event's token. */
int64_t pk_jdoc_line(struct pk_jdoc *d);

/* At a value event: its JSON text is appended to dst (a scalar at once, a
 * container by its END event, with whitespace outside strings removed).  A
 * container longer than max bytes leaves its first max bytes and sets the
 * overflow flag of that END event; *ok (if given) is set to 1 when the whole
 * value was kept, 0 otherwise.  Events inside go on unless pk_jdoc_skip. */
enum pk_status pk_jdoc_capture(struct pk_jdoc *d, struct pk_buf *dst, size_t max, int *ok);
/* At a container event: no events for its inside, only its END. */
void pk_jdoc_skip(struct pk_jdoc *d);
/* At an END event: a value kept by pk_jdoc_keep and closed by it did not
 * fit and was left out of extra (other captures tell by their *ok). */
int pk_jdoc_overflow(const struct pk_jdoc *d);
/* At a value event: appends `"path below from": value` to the JSON object
 * being built in extra ('{' first; the caller closes it).  A container is
 * captured and skipped; one larger than PK_JDOC_KEEP_MAX is taken out of
 * extra again and its END has the overflow flag. */
enum pk_status pk_jdoc_keep(struct pk_jdoc *d, struct pk_buf *extra, int from);

/* Stops the document with reason why (copied); returns PK_ERR_INPUT. */
enum pk_status pk_jdoc_fail(struct pk_jdoc *d, const char *why);
/* 1 when the document was broken or stopped: *why, *line, *col (1-based,
 * bytes after any BOM) and the text of that line near the place. */
int pk_jdoc_error(const struct pk_jdoc *d, const char **why, int64_t *line,
                  int64_t *col, const char **raw, size_t *rawn);
/* 1 when the document stopped because it ended early (truncated). */
int pk_jdoc_truncated(const struct pk_jdoc *d);
/* 1 when the root value was complete (even if bytes after it are bad). */
int pk_jdoc_complete(const struct pk_jdoc *d);
/* The first bytes of the document (after NaN rewriting), for rejects. */
const char *pk_jdoc_head(const struct pk_jdoc *d, size_t *n);

/* Parses an integer written as JSON number text ("12", "1.2e3", "-0");
 * 0, or -1 when it is not a whole number within +-2^53 (or int64 digits). */
int pk_jdoc_int(const char *s, size_t n, int64_t *out);

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
