/* reduce.c - per-column reduction and CDF points for charts (see reduce.h). */
#include "reduce.h"

#include <math.h>
#include <stdint.h>

#include "../analyze/stats.h"

size_t pk_chart_reduce_cap(size_t n, size_t ncols)
{
	if (n <= 2 * ncols)
		return n;
	return 2 * ncols;
}

/* Appends a break unless out is empty or already ends with one. */
static size_t put_break(struct pk_chart_col *out, size_t k)
{
	if (k == 0 || out[k - 1].n == 0)
		return k;
	out[k].x = out[k - 1].x;
	out[k].min = out[k].max = out[k].mean = NAN;
	out[k].n = 0;
	return k + 1;
}

static size_t keep_all(const double *x, const double *y, size_t n,
                       struct pk_chart_col *out)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (isnan(y[i])) {
			k = put_break(out, k);
			continue;
		}
		out[k].x = x[i];
		out[k].min = out[k].max = out[k].mean = y[i];
		out[k].n = 1;
		k++;
	}
	if (k > 0 && out[k - 1].n == 0)
		k--;
	return k;
}

static size_t column_of(double x, double x0, double width, size_t ncols)
{
	if (!(width > 0.0))
		return 0;
	double c = (x - x0) / width;
	if (!(c > 0.0))
		return 0;
	if (c >= (double)ncols)
		return ncols - 1;
	return (size_t)c;
}

size_t pk_chart_reduce(const double *x, const double *y, size_t n,
                       double x0, double x1, size_t ncols,
                       struct pk_chart_col *out, int *reduced)
{
	if (reduced)
		*reduced = 0;
	if (n == 0 || ncols == 0)
		return 0;
	if (n <= 2 * ncols)
		return keep_all(x, y, n, out);
	if (reduced)
		*reduced = 1;

	double width = (x1 - x0) / (double)ncols;
	size_t k = 0;
	size_t col = 0;       /* the column being filled (valid when cur.n > 0) */
	size_t prev_col = 0;  /* the last column written (valid when k > 0) */
	double sum = 0.0;
	struct pk_chart_col cur = { 0, 0, 0, 0, 0 };
	for (size_t i = 0; i <= n; i++) {
		size_t c = i < n ? column_of(x[i], x0, width, ncols) : SIZE_MAX;
		if (cur.n > 0 && c != col) {
			if (k > 0 && col > prev_col + 1)
				k = put_break(out, k);
			cur.x = x0 + ((double)col + 0.5) * width;
			cur.mean = sum / (double)cur.n;
			out[k++] = cur;
			prev_col = col;
			cur.n = 0;
		}
		if (i == n || isnan(y[i]))
			continue;
		if (cur.n == 0) {
			col = c;
			cur.min = cur.max = y[i];
			sum = 0.0;
		} else {
			if (y[i] < cur.min)
				cur.min = y[i];
			if (y[i] > cur.max)
				cur.max = y[i];
		}
		sum += y[i];
		cur.n++;
	}
	return k;
}

size_t pk_chart_cdf(const double *sorted, size_t n, size_t k,
                    struct pk_chart_pt *out)
{
	if (n == 0)
		return 0;
	if (k < 2)
		k = 2;
	size_t m = 0;
	out[m].x = sorted[0];
	out[m].y = 0.0;
	m++;
	if (n <= k) {
		for (size_t i = 0; i < n; i++) {
			if (i + 1 < n && sorted[i + 1] == sorted[i])
				continue;
			out[m].x = sorted[i];
			out[m].y = (double)(i + 1) / (double)n;
			m++;
		}
		return m;
	}
	for (size_t j = 1; j < k; j++) {
		double q = (double)j / (double)(k - 1);
		out[m].x = pk_quantile_sorted(sorted, n, q);
		out[m].y = q;
		m++;
	}
	return m;
}
