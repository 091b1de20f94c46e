/* all_names.c - safe, distinct report file names (see all_names.h). */
#include "all_names.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/hash.h"

/* 1 when byte c may stay; prev: the byte written before it (0 at the
 * start), so that no name starts with '.' or holds "..". */
static int keep(unsigned char c, char prev)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || (c == '.' && prev != 0 && prev != '.');
}

enum pk_status pk_all_name_part(struct pk_buf *b, const char *id)
{
	size_t len = strlen(id), n = len < PK_ALL_NAME_PART_MAX ? len : PK_ALL_NAME_PART_MAX;
	int changed = n < len || len == 0;
	enum pk_status st = PK_OK;
	char prev = 0;
	for (size_t i = 0; i < n && st == PK_OK; i++) {
		unsigned char c = (unsigned char)id[i];
		int k = keep(c, prev);
		changed |= !k;
		prev = k ? (char)c : '_';
		st = pk_buf_putc(b, prev);
	}
	if (st == PK_OK && changed) {
		uint64_t h = pk_fnv1a(PK_FNV_INIT, id, len);
		st = pk_buf_printf(b, "-%08x", (unsigned)(h >> 32));
	}
	return st;
}

/* 1 when names[0..n) holds s, ignoring ASCII case. */
static int taken(char *const *names, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(names[i], s) == 0)
			return 1;
	return 0;
}

enum pk_status pk_all_names_unique(char **names, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		if (!taken(names, i, names[i]))
			continue;
		size_t len = strlen(names[i]);
		char *s = malloc(len + 24);
		if (!s)
			return PK_ERR_NOMEM;
		/* a later name may hold the same text: check those too, so
		 * "a", "a", "a-2" becomes "a", "a-3", "a-2"... and stays distinct */
		for (unsigned k = 2;; k++) {
			snprintf(s, len + 24, "%s-%u", names[i], k);
			if (!taken(names, n, s))
				break;
		}
		free(names[i]);
		names[i] = s;
	}
	return PK_OK;
}
