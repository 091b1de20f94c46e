/* all_names.h - file names for perfreport --all: an experiment id, session
 * id, suite or profile name comes from a log, so it is data; it becomes a
 * safe file name (no '/', no "..", no control characters, bounded length),
 * and names that would collide are told apart deterministically. */
#ifndef PK_ALL_NAMES_H
#define PK_ALL_NAMES_H

#include <stddef.h>
#include "../core/buf.h"

/* The longest part one id contributes to a file name, in bytes (before the
 * "-XXXXXXXX" hash suffix a changed or shortened id gets). */
#define PK_ALL_NAME_PART_MAX 60

/* Appends id as a file-name part: A-Z a-z 0-9 '-' '_' kept, '.' kept except
 * first or after a '.', every other byte '_'; at most PK_ALL_NAME_PART_MAX bytes.  When a
 * byte was changed or the id shortened (or it is empty), "-" and the first
 * 8 hex digits of the id's FNV-1a hash follow, so ids that differ only in
 * the changed bytes still get different names. */
enum pk_status pk_all_name_part(struct pk_buf *b, const char *id);

/* Makes names[0..n) (each malloc'd, NUL-terminated, without extension)
 * distinct ignoring ASCII case (for case-insensitive file systems): a name
 * equal to an earlier one gets "-2", "-3", ... (the first free number), in
 * the order given.  PK_ERR_NOMEM (names unchanged past the failure). */
enum pk_status pk_all_names_unique(char **names, size_t n);

#endif
