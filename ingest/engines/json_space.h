/* json_space.h - JSON's white space (RFC 8259: space, tab, CR, LF), for the
 * JSON engines and for the readers that look at a document's first bytes
 * to recognise it. */
#ifndef PK_JSON_SPACE_H
#define PK_JSON_SPACE_H

#include <stddef.h>

static inline int pk_json_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The first index from i on (below n) whose byte of p is not white space;
 * n when there is none. */
static inline size_t pk_json_skip_space(const char *p, size_t i, size_t n)
{
	while (i < n && pk_json_space(p[i]))
		i++;
	return i;
}

#endif
