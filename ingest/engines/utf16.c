/* utf16.c - files written as UTF-16 with a byte order mark (a PowerShell
 * redirect `nvidia-smi ... > log.csv` writes UTF-16LE) read as UTF-8: a
 * stream for byte_source.c that decodes the file from its start.  A lone
 * surrogate or an odd last byte becomes the byte 0xFF, invalid UTF-8, so the
 * reader rejects that line (FILE:LINE: invalid UTF-8) and keeps the rest. */
#include "utf16.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

int pk_utf16_bom(const char *head, size_t n)
{
	if (n >= 2 && (unsigned char)head[0] == 0xff && (unsigned char)head[1] == 0xfe)
		return PK_UTF16_LE;
	if (n >= 2 && (unsigned char)head[0] == 0xfe && (unsigned char)head[1] == 0xff)
		return PK_UTF16_BE;
	return 0;
}

void pk_utf16_init(struct pk_utf16 *u, int fd, int order)
{
	memset(u, 0, sizeof *u);
	u->fd = fd;
	u->order = order;
	u->pos = 2;   /* after the BOM */
}

/* Appends code point c as UTF-8 at out; the bytes written. */
static size_t put_utf8(char *out, unsigned c)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | c >> 6);
		out[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xe0 | c >> 12);
		out[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | c >> 18);
	out[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	out[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

/* Decodes the next character into c (1-4 bytes); 0 at the end, -1 on a
 * read error. */
static int next_char(struct pk_utf16 *u, char *c, const char **why)
{
	for (;;) {
		if (u->have - u->at < 2 && !u->eof) {
			memmove(u->raw, u->raw + u->at, u->have - u->at);
			u->have -= u->at;
			u->at = 0;
			ssize_t r = pread(u->fd, u->raw + u->have, sizeof u->raw - u->have, u->pos);
			if (r < 0) {
				*why = strerror(errno);
				return -1;
			}
			u->pos += r;
			u->have += (size_t)r;
			u->eof = r == 0;
			continue;
		}
		if (u->have - u->at < 2) {   /* the end */
			if (u->high || u->have > u->at) {   /* a high surrogate or odd byte last */
				u->high = 0;
				u->at = u->have;
				c[0] = (char)0xff;
				return 1;
			}
			return 0;
		}
		const unsigned char *p = u->raw + u->at;
		unsigned unit = u->order == PK_UTF16_LE ? (unsigned)(p[0] | p[1] << 8)
		                                        : (unsigned)(p[0] << 8 | p[1]);
		if (u->high) {
			unsigned hi = u->high;
			u->high = 0;
			if (unit >= 0xdc00 && unit <= 0xdfff) {
				u->at += 2;
				return (int)put_utf8(c, 0x10000 + ((hi - 0xd800) << 10) + (unit - 0xdc00));
			}
			c[0] = (char)0xff;   /* a high surrogate alone; unit read next */
			return 1;
		}
		u->at += 2;
		if (unit >= 0xd800 && unit <= 0xdbff) {
			u->high = unit;
			continue;
		}
		if (unit >= 0xdc00 && unit <= 0xdfff) {
			c[0] = (char)0xff;   /* a low surrogate alone */
			return 1;
		}
		return (int)put_utf8(c, unit);
	}
}

ptrdiff_t pk_utf16_next(void *ctx, char *buf, size_t n, const char **why)
{
	struct pk_utf16 *u = ctx;
	size_t out = 0;
	while (out < n && u->npend > 0) {   /* what did not fit last time */
		buf[out++] = u->pend[0];
		memmove(u->pend, u->pend + 1, --u->npend);
	}
	while (out < n) {
		char c[4];
		int k = next_char(u, c, why);
		if (k < 0)
			return -1;
		if (k == 0)
			break;
		size_t fit = n - out < (size_t)k ? n - out : (size_t)k;
		memcpy(buf + out, c, fit);
		out += fit;
		memcpy(u->pend, c + fit, (size_t)k - fit);
		u->npend = (size_t)k - fit;
	}
	return (ptrdiff_t)out;
}
