/* series_merge.c - series_merge.h: a machine's sources merged into one
 * hardware series, samples of different sources joined by the alignment
 * rule (nearest partner within half the smaller median interval). */
#include "series_merge.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "metrics.h"

static int has_value(const double *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isnan(v[i]))
			return 1;
	return 0;
}

void pk_series_keep_missing(const struct pk_hw_series *a, struct pk_hw_series *b)
{
	for (size_t m = 0; m < pk_hw_nmetrics; m++)
		if (has_value(a->v[m], a->n))
			for (size_t i = 0; i < b->n; i++)
				b->v[m][i] = NAN;
	size_t k = 0;
	for (size_t i = 0; i < b->n; i++) {
		int any = 0;
		for (size_t m = 0; m < pk_hw_nmetrics && !any; m++)
			any = !isnan(b->v[m][i]);
		if (!any)
			continue;
		b->ts_us[k] = b->ts_us[i];
		for (size_t m = 0; m < pk_hw_nmetrics; m++)
			b->v[m][k] = b->v[m][i];
		k++;
	}
	b->n = k;
}

/* |x - y| without overflow (times may be anywhere in int64_t). */
static uint64_t distance(int64_t x, int64_t y)
{
	return x < y ? (uint64_t)y - (uint64_t)x : (uint64_t)x - (uint64_t)y;
}

static void swap(uint64_t *x, size_t i, size_t j)
{
	uint64_t t = x[i];
	x[i] = x[j];
	x[j] = t;
}

static int cmp_u64(const void *p, const void *q)
{
	uint64_t x = *(const uint64_t *)p, y = *(const uint64_t *)q;
	return (x > y) - (x < y);
}

/* The k-th smallest of x[0..n) (k < n; x reordered): selection with a
 * three-way partition around the median of three, so a regular series'
 * equal intervals take one pass; past 64 rounds (a hostile order) the rest
 * is sorted, so never worse than O(n log n). */
static uint64_t kth_smallest(uint64_t *x, size_t n, size_t k)
{
	size_t lo = 0, hi = n;   /* the k-th is in x[lo..hi) */
	for (int round = 0; round < 64; round++) {
		uint64_t p0 = x[lo], p1 = x[lo + (hi - lo) / 2], p2 = x[hi - 1];
		uint64_t p = p0 < p1 ? (p1 < p2 ? p1 : p0 < p2 ? p2 : p0)
		                     : (p0 < p2 ? p0 : p1 < p2 ? p2 : p1);
		/* x[lo..lt) < p, x[lt..i) == p, x[gt..hi) > p */
		size_t lt = lo, i = lo, gt = hi;
		while (i < gt) {
			if (x[i] < p)
				swap(x, lt++, i++);
			else if (x[i] > p)
				swap(x, i, --gt);
			else
				i++;
		}
		if (k < lt)
			hi = lt;
		else if (k >= gt)
			lo = gt;
		else
			return p;
	}
	qsort(x + lo, hi - lo, sizeof *x, cmp_u64);
	return x[k];
}

/* The median of s's sampling intervals (of an even count the lower middle
 * one) into *med; 0 (none) with fewer than 2 samples.  scratch has room
 * for s->n values. */
static int median_interval(const struct pk_hw_series *s, uint64_t *scratch, uint64_t *med)
{
	if (s->n < 2)
		return 0;
	for (size_t i = 0; i + 1 < s->n; i++)
		scratch[i] = distance(s->ts_us[i + 1], s->ts_us[i]);
	*med = kth_smallest(scratch, s->n - 1, (s->n - 2) / 2);
	return 1;
}

/* The largest distance at which a sample of b joins one of a: under half
 * the smaller median interval (d < m / 2, d and m whole microseconds, is
 * d <= (m - 1) / 2); 0, the same microsecond only, when neither series
 * has an interval or the median is 0. */
static uint64_t join_reach(const struct pk_hw_series *a, const struct pk_hw_series *b,
                           uint64_t *scratch)
{
	uint64_t ma = 0, mb = 0;
	int has_a = median_interval(a, scratch, &ma), has_b = median_interval(b, scratch, &mb);
	uint64_t m = has_a && has_b ? (ma < mb ? ma : mb) : has_a ? ma : mb;
	return m > 0 ? (m - 1) / 2 : 0;
}

#define NO_PARTNER SIZE_MAX

/* partner[i] = the sample of b that a's sample i absorbs (or NO_PARTNER),
 * joined[j] = whether b's sample j is absorbed: each sample of b goes to
 * its nearest sample of a (of two equally near, the earlier) when within
 * reach, and a sample of a keeps the nearest of those (the earlier of two
 * equally near).  Both series in time order: two pointers, O(n). */
static void pair_samples(const struct pk_hw_series *a, const struct pk_hw_series *b,
                         uint64_t reach, size_t *partner, unsigned char *joined)
{
	for (size_t i = 0; i < a->n; i++)
		partner[i] = NO_PARTNER;
	size_t i = 0;
	for (size_t j = 0; j < b->n; j++) {
		int64_t t = b->ts_us[j];
		joined[j] = 0;
		while (i + 1 < a->n && (a->ts_us[i + 1] <= t ||
		                        distance(a->ts_us[i + 1], t) < distance(a->ts_us[i], t)))
			i++;
		uint64_t d = distance(a->ts_us[i], t);
		if (d > reach)
			continue;
		size_t had = partner[i];
		if (had != NO_PARTNER) {
			if (distance(a->ts_us[i], b->ts_us[had]) <= d)
				continue;
			joined[had] = 0;
		}
		partner[i] = j;
		joined[j] = 1;
	}
}

/* An entry of the output's order: a sample of a (its index) or, with this
 * bit, a sample of b. */
#define FROM_B (UINT64_C(1) << 63)

/* dst's times and, into order, where each of its samples comes from: a's
 * samples (each with its partner, if any) and b's unjoined ones, in time
 * order (at one time a's first). */
static void merge_order(const struct pk_hw_series *a, const struct pk_hw_series *b,
                        const unsigned char *joined, uint64_t *order, struct pk_hw_series *dst)
{
	size_t i = 0, j = 0, k = 0;
	while (i < a->n || j < b->n) {
		if (j < b->n && joined[j]) {
			j++;   /* in its partner's sample */
		} else if (j >= b->n || (i < a->n && a->ts_us[i] <= b->ts_us[j])) {
			order[k] = i;
			dst->ts_us[k++] = a->ts_us[i++];
		} else {
			order[k] = FROM_B | j;
			dst->ts_us[k++] = b->ts_us[j++];
		}
	}
	dst->n = k;
}

/* One metric's values of dst, by order: a's value, else its partner's
 * (va or vb NULL: that series is empty). */
static void fill_metric(const double *va, const double *vb, const size_t *partner,
                        const uint64_t *order, size_t n, double *out)
{
	for (size_t k = 0; k < n; k++) {
		uint64_t o = order[k];
		double x;
		if (o & FROM_B) {
			x = vb[o & ~FROM_B];
		} else {
			x = va[o];
			if (isnan(x) && partner[o] != NO_PARTNER)
				x = vb[partner[o]];
		}
		out[k] = x;
	}
}

enum pk_status pk_series_merge_times(const struct pk_hw_series *a,
                                     const struct pk_hw_series *b,
                                     struct pk_hw_series *dst)
{
	enum pk_status rc = pk_series_reserve(dst, a->n + b->n);
	if (rc != PK_OK)
		return rc;
	/* scratch: the intervals (join_reach), then the output's order */
	uint64_t *scratch = malloc((a->n + b->n ? a->n + b->n : 1) * sizeof *scratch);
	size_t *partner = malloc((a->n ? a->n : 1) * sizeof *partner);
	unsigned char *joined = malloc(b->n ? b->n : 1);
	if (!scratch || !partner || !joined) {
		rc = PK_ERR_NOMEM;
	} else {
		if (a->n > 0)
			pair_samples(a, b, join_reach(a, b, scratch), partner, joined);
		else
			memset(joined, 0, b->n);
		merge_order(a, b, joined, scratch, dst);
		for (size_t m = 0; m < pk_hw_nmetrics; m++)
			fill_metric(a->n ? a->v[m] : NULL, b->n ? b->v[m] : NULL, partner, scratch,
			            dst->n, dst->v[m]);
	}
	free(scratch);
	free(partner);
	free(joined);
	return rc;
}

enum pk_status pk_series_absorb(struct pk_hw_series *a, struct pk_hw_series *b)
{
	enum pk_status rc = PK_OK;
	if (b->n == 0) {
		pk_hw_series_free(b);
	} else if (a->n == 0) {   /* nothing to merge: b becomes a */
		pk_hw_series_free(a);
		*a = *b;
		*b = (struct pk_hw_series){ 0 };
	} else {
		struct pk_hw_series merged = { 0 };
		rc = pk_series_merge_times(a, b, &merged);
		pk_hw_series_free(b);
		pk_hw_series_free(a);
		*a = merged;
	}
	return rc;
}
