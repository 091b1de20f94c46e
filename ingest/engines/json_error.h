/* json_error.h - yajl's parse error as a reason for a reject: its message
 * without the "parse error: " prefix and the trailing newline, spaces and
 * period, after "invalid JSON: ". */
#ifndef PK_JSON_ERROR_H
#define PK_JSON_ERROR_H

#include <stddef.h>
#include <yajl/yajl_parse.h>
#include "../../core/buf.h"

/* The text of yajl's message e (from yajl_get_error; NULL: "invalid JSON")
 * trimmed as above; *len is its length.  Points into e. */
const char *pk_json_error_text(const unsigned char *e, size_t *len);

/* Appends "invalid JSON: " and the trimmed message of h (not verbose) to
 * msg.  Returns 1 when the message is about invalid UTF-8, 0 otherwise. */
int pk_json_error_msg(yajl_handle h, struct pk_buf *msg);

#endif
