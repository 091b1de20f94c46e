/* diag.h - diagnostics as records.  Library code reports bad input by calling
 * a caller-supplied sink with a record (severity, file, line, column,
 * message); the tools print it as one line "FILE:LINE[:COL]: message", the
 * ingest stage also stores it in the reject table. */
#ifndef PK_DIAG_H
#define PK_DIAG_H

#include <stdint.h>
#include "buf.h"

enum pk_severity { PK_SEV_WARNING, PK_SEV_ERROR };

struct pk_diag {
	enum pk_severity severity;
	const char *file;     /* as the user named it; archive members as "ARCHIVE:MEMBER" */
	int64_t line;         /* 1-based, 0 when not about a line */
	int64_t col;          /* 1-based byte column, 0 when unknown */
	const char *message;
};

typedef void (*pk_diag_fn)(void *ctx, const struct pk_diag *d);

/* Appends "FILE:LINE[:COL]: message" ("...: warning: message" for a
 * warning) to out, with control characters and
 * invalid UTF-8 written as \xNN so the result is always one line. */
enum pk_status pk_diag_format(const struct pk_diag *d, struct pk_buf *out);

/* Appends s (n bytes) to out with bytes < 0x20, 0x7f, the C1 controls
 * U+0080-U+009F (a terminal obeys them too) and invalid UTF-8 written as
 * \xNN, and backslash as \\. */
enum pk_status pk_buf_put_printable(struct pk_buf *out, const char *s, size_t n);

#endif
