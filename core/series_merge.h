/* series_merge.h - one machine's hardware series put together from its
 * sources (F1 samples, nvidia-smi, sysstat, generic records, in that order
 * of precedence): which metrics a source gives, and which of its samples
 * join another source's sample as one instant.
 *
 * The alignment rule (README, "Machines logged by nvidia-smi, sysstat or
 * generic records"): sources never agree to the microsecond (nvidia-smi
 * writes 05:29:35.374, sysstat 05:29:35), so a sample of the
 * lower-precedence series b joins the nearest sample of the
 * higher-precedence series a when they are less than half the smaller of
 * the two series' median sampling intervals apart (a series with fewer
 * than 2 samples takes the other's; two such series join only at the same
 * microsecond).  A sample of a absorbs at most one sample of b, the
 * nearest of those whose nearest it is (of two equally near, the earlier);
 * the joined sample keeps a's time and a's value where a has one.  A
 * sample that finds no partner stays its own instant.  Same-time samples
 * always join, as before the rule. */
#ifndef PK_SERIES_MERGE_H
#define PK_SERIES_MERGE_H

#include <stdint.h>
#include "status.h"
#include "query.h"

/* Keeps in b only the metrics that have no value in a (F1 samples win
 * over nvidia-smi and sysstat rows for what they measure), and drops the
 * samples of b left without any value. */
void pk_series_keep_missing(const struct pk_hw_series *a, struct pk_hw_series *b);

/* Merges a and b (each in time order, a of higher precedence) into dst
 * (empty) under the alignment rule above: the output times ascend and a
 * joined sample has a's value first, b's where a's is missing.  O(n) time
 * (the medians by selection).  PK_OK, PK_ERR_NOMEM. */
enum pk_status pk_series_merge_times(const struct pk_hw_series *a,
                                     const struct pk_hw_series *b,
                                     struct pk_hw_series *dst);

/* a = a and b merged as pk_series_merge_times (b consumed: left empty);
 * when either is empty no sample is copied.  PK_OK, PK_ERR_NOMEM (the
 * caller frees a either way). */
enum pk_status pk_series_absorb(struct pk_hw_series *a, struct pk_hw_series *b);

#endif
