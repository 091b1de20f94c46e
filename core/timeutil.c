/* timeutil.c - ISO-8601 and epoch time parsing, ISO formatting, and "now"
 * (see timeutil.h).  Conversions use civil-date arithmetic, never the C
 * library's time zone state, so results do not depend on TZ. */
#include "timeutil.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t pk_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(int64_t y, unsigned m)
{
	static const unsigned dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* Reads exactly n digits at *p (bounded by end) into *out, advancing *p. */
static int digits(const char **p, const char *end, int n, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < n; i++) {
		if (*p >= end || (**p < '0' || **p > '9'))
			return 0;
		v = v * 10 + (unsigned)(**p - '0');
		(*p)++;
	}
	*out = v;
	return 1;
}

static int expect(const char **p, const char *end, char c)
{
	if (*p < end && **p == c) {
		(*p)++;
		return 1;
	}
	return 0;
}

enum pk_status pk_time_parse_iso(const char *s, size_t n, int64_t *us,
                                 const char **why)
{
	const char *p = s, *end = s + n;
	unsigned y, mo, d, h = 0, mi = 0, sec = 0;
	int64_t frac_us = 0;
	*why = "not an ISO-8601 time";
	if (!digits(&p, end, 4, &y) || !expect(&p, end, '-') ||
	    !digits(&p, end, 2, &mo) || !expect(&p, end, '-') || !digits(&p, end, 2, &d))
		return PK_ERR_INPUT;
	if (p < end) {
		if (*p != 'T' && *p != 't' && *p != ' ')
			return PK_ERR_INPUT;
		p++;
		if (!digits(&p, end, 2, &h) || !expect(&p, end, ':') || !digits(&p, end, 2, &mi))
			return PK_ERR_INPUT;
		if (expect(&p, end, ':')) {
			if (!digits(&p, end, 2, &sec))
				return PK_ERR_INPUT;
			if (expect(&p, end, '.') || expect(&p, end, ',')) {
				int nd = 0;
				int64_t scale = 100000;
				while (p < end && *p >= '0' && *p <= '9') {
					if (nd < 6) {
						frac_us += (*p - '0') * scale;
						scale /= 10;
					}
					nd++;
					p++;
				}
				if (nd == 0)
					return PK_ERR_INPUT;
			}
		}
	}
	int offset_min = 0;
	if (p < end) {
		if (*p == 'Z' || *p == 'z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			int sign = *p == '-' ? -1 : 1;
			unsigned oh, om = 0;
			p++;
			if (!digits(&p, end, 2, &oh))
				return PK_ERR_INPUT;
			if (expect(&p, end, ':')) {
				if (!digits(&p, end, 2, &om))
					return PK_ERR_INPUT;
			} else if (p < end && !digits(&p, end, 2, &om)) {
				return PK_ERR_INPUT;
			}
			if (oh > 23 || om > 59) {
				*why = "impossible UTC offset";
				return PK_ERR_INPUT;
			}
			offset_min = sign * (int)(oh * 60 + om);
		}
	}
	if (p != end)
		return PK_ERR_INPUT;
	if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo)) {
		*why = "impossible date";
		return PK_ERR_INPUT;
	}
	if (h > 23 || mi > 59 || sec > 59) {
		*why = "impossible time of day";
		return PK_ERR_INPUT;
	}
	int64_t days = pk_days_from_civil(y, mo, d);
	int64_t secs = days * 86400 + h * 3600 + mi * 60 + sec - (int64_t)offset_min * 60;
	*us = secs * PK_US_PER_SEC + frac_us;
	*why = NULL;
	return PK_OK;
}

enum pk_status pk_time_parse_epoch(const char *s, size_t n, int64_t *us,
                                   const char **why)
{
	char tmp[64];
	*why = "not a number of epoch seconds";
	if (n == 0 || n >= sizeof tmp)
		return PK_ERR_INPUT;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '-' ||
		      s[i] == '+' || s[i] == 'e' || s[i] == 'E'))
			return PK_ERR_INPUT;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	char *endp;
	errno = 0;
	double v = strtod(tmp, &endp);
	if (endp != tmp + n || errno == ERANGE || !isfinite(v))
		return PK_ERR_INPUT;
	/* 0001-01-01 .. 9999-12-31 */
	if (v < -62135596800.0 || v > 253402300799.0) {
		*why = "epoch time out of range";
		return PK_ERR_INPUT;
	}
	*us = (int64_t)llround(v * 1e6);
	*why = NULL;
	return PK_OK;
}

enum pk_status pk_time_parse_any(const char *s, size_t n, int64_t *us,
                                 const char **why)
{
	if (n >= 5 && s[4] == '-')
		return pk_time_parse_iso(s, n, us, why);
	return pk_time_parse_epoch(s, n, us, why);
}

void pk_time_format_iso(int64_t us, char *out)
{
	int64_t secs = us / PK_US_PER_SEC, frac = us % PK_US_PER_SEC;
	if (frac < 0) {
		frac += PK_US_PER_SEC;
		secs--;
	}
	int64_t days = secs / 86400, rem = secs % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	int64_t y;
	unsigned m, d;
	civil_from_days(days, &y, &m, &d);
	int len = snprintf(out, PK_TIME_ISO_MAX, "%04lld-%02u-%02uT%02d:%02d:%02d",
	                   (long long)y, m, d, (int)(rem / 3600), (int)(rem / 60 % 60),
	                   (int)(rem % 60));
	if (frac)
		snprintf(out + len, (size_t)(PK_TIME_ISO_MAX - len), ".%06dZ", (int)frac);
	else
		snprintf(out + len, (size_t)(PK_TIME_ISO_MAX - len), "Z");
}

int64_t pk_time_now_us(void)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	if (sde && *sde) {
		char *endp;
		errno = 0;
		long long v = strtoll(sde, &endp, 10);
		if (*endp == '\0' && errno == 0 && v >= 0)
			return (int64_t)v * PK_US_PER_SEC;
	}
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * PK_US_PER_SEC + ts.tv_nsec / 1000;
}
