/* exp_chart_data.c - timing stacks and the Theil-Sen intercept of the
 * experiment report's charts (see exp_chart_data.h). */
#include "exp_chart_data.h"

#include <math.h>
#include <stdlib.h>

#include "../analyze/stats.h"

size_t pk_exp_stack_bars(const struct pk_exp_cycles *c, size_t maxbars,
                         struct pk_exp_bar *out)
{
	if (c->n == 0 || maxbars == 0)
		return 0;
	size_t k = (c->n + maxbars - 1) / maxbars, nb = 0;
	for (size_t i = 0; i < c->n; i += k, nb++) {
		size_t end = i + k < c->n ? i + k : c->n;
		struct pk_exp_bar *b = &out[nb];
		double llm = 0, db = 0, other = 0;
		b->first = c->cycle[i];
		b->last = c->cycle[end - 1];
		b->n = 0;
		for (size_t j = i; j < end; j++) {
			double d = c->duration[j], l = c->llm_time[j], q = c->db_time[j];
			if (isnan(d) || isnan(l) || isnan(q))
				continue;
			llm += l;
			db += q;
			other += d - l - q > 0 ? d - l - q : 0;
			b->n++;
		}
		b->llm = b->n ? llm / (double)b->n : NAN;
		b->db = b->n ? db / (double)b->n : NAN;
		b->other = b->n ? other / (double)b->n : NAN;
	}
	return nb;
}

double pk_theil_sen_intercept(const double *x, const double *y, size_t n,
                              double slope)
{
	if (isnan(slope) || n == 0)
		return NAN;
	double *xs = malloc(n * sizeof *xs), *ys = malloc(n * sizeof *ys);
	double r = NAN;
	size_t m = 0;
	if (xs && ys) {
		for (size_t i = 0; i < n; i++) {
			if (isnan(y[i]))
				continue;
			xs[m] = x[i];
			ys[m++] = y[i];
		}
		if (m > 0 && pk_sort_doubles(xs, m) == 0 && pk_sort_doubles(ys, m) == 0)
			r = pk_quantile_sorted(ys, m, 0.5) - slope * pk_quantile_sorted(xs, m, 0.5);
	}
	free(xs);
	free(ys);
	return r;
}
