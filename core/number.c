/* number.c - decimal number parsing (see number.h).  The fast path is exact:
 * a mantissa below 2^53 and a power of ten up to 10^22 are both exactly
 * representable, so one IEEE multiplication or division rounds correctly. */
#include "number.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const double pow10_exact[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

static int slow_path(const char *s, size_t n, double *out)
{
	char tmp[128];
	char *heap = NULL, *p = tmp;
	if (n >= sizeof tmp) {
		if (!(heap = malloc(n + 1)))
			return -1;
		p = heap;
	}
	memcpy(p, s, n);
	p[n] = '\0';
	char *end;
	errno = 0;
	double d = strtod(p, &end);
	int ok = end == p + n && isfinite(d);
	free(heap);
	if (!ok)
		return -1;
	*out = d;   /* ERANGE underflow: the denormal (or 0) strtod gives */
	return 0;
}

int pk_parse_double(const char *s, size_t n, double *out)
{
	size_t i = 0;
	int neg = 0;
	if (i < n && (s[i] == '-' || s[i] == '+')) {
		neg = s[i] == '-';
		i++;
	}
	uint64_t mant = 0;
	int digits = 0, frac_digits = 0, any = 0;
	while (i < n && s[i] >= '0' && s[i] <= '9') {
		if (digits < 19) {
			mant = mant * 10 + (uint64_t)(s[i] - '0');
			if (mant)
				digits++;
		} else {
			return slow_path(s, n, out);
		}
		i++;
		any = 1;
	}
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && s[i] >= '0' && s[i] <= '9') {
			if (digits >= 19)
				return slow_path(s, n, out);
			mant = mant * 10 + (uint64_t)(s[i] - '0');
			if (mant)
				digits++;
			frac_digits++;
			i++;
			any = 1;
		}
	}
	if (!any)
		return -1;
	int exp10 = 0;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		int eneg = 0, edigits = 0;
		if (i < n && (s[i] == '-' || s[i] == '+')) {
			eneg = s[i] == '-';
			i++;
		}
		while (i < n && s[i] >= '0' && s[i] <= '9') {
			if (exp10 < 100000)
				exp10 = exp10 * 10 + (s[i] - '0');
			edigits++;
			i++;
		}
		if (!edigits)
			return -1;
		if (eneg)
			exp10 = -exp10;
	}
	if (i != n)
		return -1;
	exp10 -= frac_digits;
	if (mant >= (UINT64_C(1) << 53) || exp10 < -22 || exp10 > 22)
		return slow_path(s, n, out);
	double d = (double)mant;
	d = exp10 < 0 ? d / pow10_exact[-exp10] : d * pow10_exact[exp10];
	*out = neg ? -d : d;
	return 0;
}
