/* buf.c - the capped growable buffer (see buf.h). */
#include "buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PK_BUF_DEFAULT_LIMIT ((size_t)1 << 30)

enum pk_status pk_buf_reserve(struct pk_buf *b, size_t n)
{
	size_t limit = b->limit ? b->limit : PK_BUF_DEFAULT_LIMIT;
	if (n > limit || b->len > limit - n)
		return PK_ERR_NOMEM;
	size_t need = b->len + n + 1;
	if (need <= b->cap)
		return PK_OK;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	char *p = realloc(b->data, cap);
	if (!p)
		return PK_ERR_NOMEM;
	b->data = p;
	b->cap = cap;
	return PK_OK;
}

/* Room for n more bytes and the NUL already, within the cap: the common
 * case of an append, decided without pk_buf_reserve. */
static int has_room(const struct pk_buf *b, size_t n)
{
	size_t limit = b->limit ? b->limit : PK_BUF_DEFAULT_LIMIT;
	return n < b->cap - b->len && b->len + n <= limit;
}

enum pk_status pk_buf_append(struct pk_buf *b, const void *p, size_t n)
{
	if (!has_room(b, n)) {
		enum pk_status st = pk_buf_reserve(b, n);
		if (st != PK_OK)
			return st;
	}
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return PK_OK;
}

enum pk_status pk_buf_puts(struct pk_buf *b, const char *s)
{
	return pk_buf_append(b, s, strlen(s));
}

enum pk_status pk_buf_putc(struct pk_buf *b, char c)
{
	if (!has_room(b, 1))
		return pk_buf_append(b, &c, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
	return PK_OK;
}

enum pk_status pk_buf_printf(struct pk_buf *b, const char *fmt, ...)
{
	va_list ap;
	char small[256];
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return PK_ERR_INPUT;
	if ((size_t)n < sizeof small)
		return pk_buf_append(b, small, (size_t)n);
	enum pk_status st = pk_buf_reserve(b, (size_t)n);
	if (st != PK_OK)
		return st;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return PK_OK;
}

void pk_buf_reset(struct pk_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void pk_buf_free(struct pk_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

char *pk_buf_steal(struct pk_buf *b)
{
	char *p = b->data;
	if (!p)
		p = calloc(1, 1);
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}
