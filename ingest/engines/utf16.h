/* utf16.h - UTF-16 files (with a byte order mark) read as UTF-8 through a
 * byte_source stream.  Internal to ingest/ (pipeline/ingest_file.c). */
#ifndef PK_UTF16_H
#define PK_UTF16_H

#include <stddef.h>
#include <stdint.h>

#define PK_UTF16_LE 1
#define PK_UTF16_BE 2

struct pk_utf16 {
	int fd;
	int order;             /* PK_UTF16_LE or PK_UTF16_BE */
	int64_t pos;           /* next byte of the file to read */
	unsigned char raw[65536];
	size_t have, at;       /* bytes in raw, bytes of them decoded */
	unsigned high;         /* a high surrogate waiting for its low half */
	int eof;
	char pend[4];          /* a character's bytes that did not fit */
	size_t npend;
};

/* PK_UTF16_LE or PK_UTF16_BE when head starts with that byte order mark, else 0. */
int pk_utf16_bom(const char *head, size_t n);
/* A decoder of fd from just after its BOM. */
void pk_utf16_init(struct pk_utf16 *u, int fd, int order);
/* A pk_stream_fn (byte_source.h): the next UTF-8 bytes, 0 at the end. */
ptrdiff_t pk_utf16_next(void *ctx, char *buf, size_t n, const char **why);

#endif
