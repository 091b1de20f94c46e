/* capacity.c - a machine's capacity from its samples (capacity.h). */
#include "capacity.h"

#include <math.h>

#include "../core/metrics.h"

double pk_series_capacity(const struct pk_hw_series *s, const char *used, const char *free_,
                          size_t *n)
{
	size_t iu = 0, ifr = 0, count = 0;
	double best = NAN;
	if (n)
		*n = 0;
	if (!s || s->n == 0 || !pk_hw_metric_find(used, &iu) || !pk_hw_metric_find(free_, &ifr))
		return NAN;
	const double *x = s->v[iu], *y = s->v[ifr];
	for (size_t i = 0; i < s->n; i++) {
		double t = x[i] + y[i];
		if (t > 0) {   /* false for NAN */
			count++;
			if (!(t <= best))
				best = t;
		}
	}
	if (n)
		*n = count;
	return best;
}
