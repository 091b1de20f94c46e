/* capacity.h - a machine's capacity for a resource as its samples show it:
 * the largest used + free (VRAM: gpu.memory_used_mb + gpu.memory_free_mb;
 * RAM: memory.used_gb + memory.available_gb).  Used by the tiers and by
 * comparisons, which judge an amount of memory against it. */
#ifndef PK_CAPACITY_H
#define PK_CAPACITY_H

#include <stddef.h>
#include "../core/query.h"

/* The max of used + free over the samples of s where both are present and
 * the sum is > 0; NAN when there is none (or a name is not in the
 * registry).  *n (when n is not NULL) gets the count of such samples. */
double pk_series_capacity(const struct pk_hw_series *s, const char *used, const char *free_,
                          size_t *n);

#endif
