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
 * Typed rows built from these events, and the spool of rows waiting for
 * their identity key, are in json_rows.h. */
#ifndef PK_JSON_DOC_H
#define PK_JSON_DOC_H

#include <stddef.h>
#include <stdint.h>
#include "../../core/buf.h"

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

/* Strings and keys are delivered as written, without the UTF-8 check (the
 * reader checks them), so that one bad string does not end the document. */
void pk_jdoc_raw_strings(struct pk_jdoc *d);

/* A container opening deeper than PK_JDOC_MAX_DEPTH does not stop the
 * document: its event comes with pk_jdoc_too_deep set, nothing inside it
 * is delivered (as after pk_jdoc_skip) and its END follows, so that a
 * reader can reject one entry and read the rest. */
void pk_jdoc_deep_skips(struct pk_jdoc *d);
/* At a container event: 1 when it is one skipped as too deep. */
int pk_jdoc_too_deep(const struct pk_jdoc *d);

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
/* Inside an event: the chunk being parsed (after the BOM and NaN rewrite),
 * *base its offset in that text, *n its length, *at the offset just after
 * the current event's token. */
const char *pk_jdoc_chunk(const struct pk_jdoc *d, int64_t *base, size_t *n, size_t *at);
/* Keeps the text from offset from on verbatim: after each chunk is parsed,
 * its bytes from `from` on (up to the failure when the document breaks)
 * are appended to dst, until pk_jdoc_hold(d, NULL, 0).  Bytes that did not
 * fit dst's limit stop the hold and set pk_jdoc_hold_broken. */
void pk_jdoc_hold(struct pk_jdoc *d, struct pk_buf *dst, int64_t from);
int pk_jdoc_hold_broken(const struct pk_jdoc *d);
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
/* 1 when the failure came at the end of the document (the parser wanted
 * more: truncated, or a last token cut short), not at a byte read. */
int pk_jdoc_at_end(const struct pk_jdoc *d);
/* 1 when the root value was complete (even if bytes after it are bad). */
int pk_jdoc_complete(const struct pk_jdoc *d);
/* The first bytes of the document (after NaN rewriting), for rejects. */
const char *pk_jdoc_head(const struct pk_jdoc *d, size_t *n);

/* Parses an integer written as JSON number text ("12", "1.2e3", "-0");
 * 0, or -1 when it is not a whole number within +-2^53 (or int64 digits). */
int pk_jdoc_int(const char *s, size_t n, int64_t *out);

#endif
