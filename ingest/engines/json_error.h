/* json_error.h - yajl's parse error as a reason for a reject: its message
 * without the "parse error: " prefix and the trailing newline, spaces and
 * period, after "invalid JSON: ". */
#ifndef PK_JSON_ERROR_H
#define PK_JSON_ERROR_H

#include <stddef.h>
#include <stdint.h>
#include <yajl/yajl_parse.h>
#include "../../core/buf.h"

/* The text of yajl's message e (from yajl_get_error; NULL: "invalid JSON")
 * trimmed as above; *len is its length.  Points into e. */
const char *pk_json_error_text(const unsigned char *e, size_t *len);

/* Appends "invalid JSON: " and the trimmed message of h (not verbose) to
 * msg.  Returns 1 when the message is about invalid UTF-8, 0 otherwise. */
int pk_json_error_msg(yajl_handle h, struct pk_buf *msg);

/* What a line reader's yajl callbacks leave for pk_json_parse_line: the
 * reason of a callback that cancelled the parse (or NULL), and whether
 * memory ran out.  handle, when not NULL, holds the parser while it runs
 * (for callbacks that ask it how far they are) and NULL after. */
struct pk_json_line_state {
	const char *const *fail;
	const int *nomem;
	yajl_handle *handle;
};

/* Parses p[0..n) as one JSON text with callbacks cb on ctx: 1 parsed, -1
 * out of memory, 0 invalid with the reason in msg (a cancelling
 * callback's, else yajl's after "invalid JSON: ") and *col the 1-based
 * column of the fault (the byte yajl stopped at, the end for a cut text,
 * the first invalid byte for invalid UTF-8). */
int pk_json_parse_line(const yajl_callbacks *cb, void *ctx, const struct pk_json_line_state *ls,
                       const char *p, size_t n, struct pk_buf *msg, int64_t *col);

#endif
