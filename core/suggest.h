/* suggest.h - "did you mean": the known name closest to a mistyped one, by
 * edit distance, for unknown profile names. */
#ifndef PK_SUGGEST_H
#define PK_SUGGEST_H

#include <stddef.h>
#include "buf.h"
#include "db.h"

/* Levenshtein distance between a and b in bytes (insert, delete and
 * substitute cost 1; case counts).  Names longer than 256 bytes are not
 * compared: SIZE_MAX. */
size_t pk_edit_distance(const char *a, const char *b);

/* The name of names[0..n) closest to word, or NULL when none is close
 * enough: distance at most max(1, strlen(word) / 3) and not equal to word.
 * Of equally close names the first wins.  Returns a pointer into names. */
const char *pk_closest_name(const char *word, char *const *names, size_t n);

/* Appends "; did you mean 'NAME'?" to out when a name in the database is
 * close to name (a profile, an alias, an nvidia-smi machine, a sysstat host,
 * a generic source) (pk_closest_name); nothing otherwise, also
 * when the database cannot be read. */
void pk_suggest_profile(struct pk_db *db, const char *name, struct pk_buf *out);

#endif
