/* buf.h - a growable byte buffer with a cap.  Builds SQL, JSON, Markdown and
 * gnuplot scripts.  An append past the cap fails cleanly (PK_ERR_NOMEM) and
 * leaves the buffer as it was.  The buffer owns data; pk_buf_free releases it.
 * data is always NUL-terminated when len > 0 or after any successful append. */
#ifndef PK_BUF_H
#define PK_BUF_H

#include <stddef.h>
#include "status.h"

#if defined(__GNUC__)
#define PK_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define PK_PRINTF(f, a)
#endif

struct pk_buf {
	char *data;
	size_t len;
	size_t cap;
	size_t limit; /* 0: default cap (1 GiB) */
};

#define PK_BUF_INIT { NULL, 0, 0, 0 }

enum pk_status pk_buf_append(struct pk_buf *b, const void *p, size_t n);
enum pk_status pk_buf_puts(struct pk_buf *b, const char *s);
enum pk_status pk_buf_putc(struct pk_buf *b, char c);
enum pk_status pk_buf_printf(struct pk_buf *b, const char *fmt, ...) PK_PRINTF(2, 3);
/* Make room for n more bytes without changing len. */
enum pk_status pk_buf_reserve(struct pk_buf *b, size_t n);
void pk_buf_reset(struct pk_buf *b);   /* len = 0, keeps memory */
void pk_buf_free(struct pk_buf *b);    /* releases memory, back to PK_BUF_INIT */
/* Hands data to the caller (who frees it) and resets b; "" when empty. */
char *pk_buf_steal(struct pk_buf *b);

#endif
