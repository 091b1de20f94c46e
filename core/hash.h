/* hash.h - FNV-1a 64-bit, used to recognise files (head and tail hashes). */
#ifndef PK_HASH_H
#define PK_HASH_H

#include <stddef.h>
#include <stdint.h>

#define PK_FNV_INIT UINT64_C(0xcbf29ce484222325)

static inline uint64_t pk_fnv1a(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

#endif
