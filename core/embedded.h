/* embedded.h - files compiled into the tools (schema, default templates),
 * made by mk/embed.sh from the paths listed in the Makefile's EMBEDDED. */
#ifndef PK_EMBEDDED_H
#define PK_EMBEDDED_H

#include <stddef.h>

/* The contents of the embedded file at repository path name (e.g.
 * "core/schema.sql"), NUL-terminated, or NULL; *len gets its length. */
const char *pk_embedded(const char *name, size_t *len);

#endif
