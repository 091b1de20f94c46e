/* tz.c - naive local times of a named zone to UTC (see tz.h): fixed
 * offsets, and IANA zones read from their TZif files (RFC 8536) with the
 * POSIX TZ rule of the footer for times after the last transition.  No
 * process-wide state (TZ, tzset) is read or changed. */
#include "tz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/timeutil.h"

#define TZ_DIR "/usr/share/zoneinfo/"
#define TZ_FILE_MAX ((size_t)1 << 20)

enum rule_kind { R_JULIAN1, R_JULIAN0, R_MONTH };

struct rule {
	enum rule_kind kind;
	int day, week, month;   /* Jn / n: day; Mm.w.d: month, week, day */
	int32_t time;           /* seconds after local midnight */
};

struct posix_tz {
	int32_t std_off, dst_off;   /* UTC offsets (east positive) */
	int has_dst;
	struct rule start, end;
};

struct pk_tz {
	int32_t fixed;              /* used when ntimes == 0 and !has_rule */
	int64_t *times;             /* transitions, UTC seconds, ascending */
	unsigned char *idx;         /* type of each transition */
	size_t ntimes;
	int32_t *type_off;          /* UTC offset of each local time type */
	size_t ntypes;
	int has_rule;
	struct posix_tz rule;
};

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* [+-]hh[:mm[:ss]] (hours up to max_h) at *p; seconds into *out. */
static int parse_hms(const char **p, int max_h, int32_t *out)
{
	const char *s = *p;
	int sign = 1;
	if (*s == '+' || *s == '-')
		sign = *s++ == '-' ? -1 : 1;
	int32_t parts[3] = { 0, 0, 0 };
	for (int i = 0; i < 3; i++) {
		if (i > 0 && *s != ':')
			break;
		if (i > 0)
			s++;
		int nd = 0, v = 0;
		while (*s >= '0' && *s <= '9' && nd < 3) {
			v = v * 10 + (*s++ - '0');
			nd++;
		}
		if (nd == 0 || (i > 0 && (nd != 2 || v > 59)))
			return 0;
		parts[i] = v;
	}
	if (parts[0] > max_h)
		return 0;
	*out = sign * (parts[0] * 3600 + parts[1] * 60 + parts[2]);
	*p = s;
	return 1;
}

static int parse_name(const char **p)
{
	const char *s = *p;
	if (*s == '<') {
		const char *e = strchr(s, '>');
		if (!e)
			return 0;
		*p = e + 1;
		return 1;
	}
	size_t n = 0;
	while ((s[n] >= 'A' && s[n] <= 'Z') || (s[n] >= 'a' && s[n] <= 'z'))
		n++;
	if (n < 3)
		return 0;
	*p = s + n;
	return 1;
}

static int parse_int(const char **p, int lo, int hi, int *out)
{
	const char *s = *p;
	int v = 0, nd = 0;
	while (*s >= '0' && *s <= '9' && nd < 4) {
		v = v * 10 + (*s++ - '0');
		nd++;
	}
	if (nd == 0 || v < lo || v > hi)
		return 0;
	*out = v;
	*p = s;
	return 1;
}

static int parse_rule(const char **p, struct rule *r)
{
	const char *s = *p;
	if (*s == 'J') {
		s++;
		r->kind = R_JULIAN1;
		if (!parse_int(&s, 1, 365, &r->day))
			return 0;
	} else if (*s == 'M') {
		s++;
		r->kind = R_MONTH;
		if (!parse_int(&s, 1, 12, &r->month) || *s++ != '.' ||
		    !parse_int(&s, 1, 5, &r->week) || *s++ != '.' || !parse_int(&s, 0, 6, &r->day))
			return 0;
	} else {
		r->kind = R_JULIAN0;
		if (!parse_int(&s, 0, 365, &r->day))
			return 0;
	}
	r->time = 7200;
	if (*s == '/') {
		s++;
		if (!parse_hms(&s, 167, &r->time))
			return 0;
	}
	*p = s;
	return 1;
}

/* A POSIX TZ string such as "CET-1CEST,M3.5.0,M10.5.0/3". */
static int parse_posix(const char *s, struct posix_tz *z)
{
	int32_t off;
	if (!parse_name(&s) || !parse_hms(&s, 24, &off))
		return 0;
	z->std_off = -off;
	z->has_dst = 0;
	if (!*s)
		return 1;
	if (!parse_name(&s))
		return 0;
	z->has_dst = 1;
	z->dst_off = z->std_off + 3600;
	if (*s && *s != ',') {
		if (!parse_hms(&s, 24, &off))
			return 0;
		z->dst_off = -off;
	}
	if (!*s) {   /* no rule: the US rule, as POSIX implementations assume */
		z->start = (struct rule){ R_MONTH, 0, 2, 3, 7200 };
		z->end = (struct rule){ R_MONTH, 0, 1, 11, 7200 };
		return 1;
	}
	if (*s++ != ',' || !parse_rule(&s, &z->start) || *s++ != ',' || !parse_rule(&s, &z->end))
		return 0;
	return *s == '\0';
}

/* UTC seconds at which rule r fires in year y, the offset before it being off. */
static int64_t rule_time(const struct rule *r, int64_t y, int32_t off)
{
	int64_t day;
	int64_t jan1 = pk_days_from_civil(y, 1, 1);
	if (r->kind == R_JULIAN1)
		day = jan1 + r->day - 1 + (is_leap(y) && r->day >= 60);
	else if (r->kind == R_JULIAN0)
		day = jan1 + r->day;
	else {
		static const int dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
		int64_t first = pk_days_from_civil(y, (unsigned)r->month, 1);
		int wd = (int)((first % 7 + 7 + 4) % 7);   /* 1970-01-01 was a Thursday */
		int d = 1 + (r->day - wd + 7) % 7 + (r->week - 1) * 7;
		int n = dim[r->month - 1] + (r->month == 2 && is_leap(y));
		while (d > n)
			d -= 7;
		day = first + d - 1;
	}
	return day * 86400 + r->time - off;
}

static int32_t posix_offset(const struct posix_tz *z, int64_t t)
{
	if (!z->has_dst)
		return z->std_off;
	int64_t days = floor_div(t + z->std_off, 86400);
	/* year of that day: civil year by estimate then correction */
	int64_t y = 1970 + floor_div(days * 400, 146097);
	while (pk_days_from_civil(y, 1, 1) > days)
		y--;
	while (pk_days_from_civil(y + 1, 1, 1) <= days)
		y++;
	int64_t s = rule_time(&z->start, y, z->std_off);
	int64_t e = rule_time(&z->end, y, z->dst_off);
	int in_dst = s < e ? (t >= s && t < e) : !(t >= e && t < s);
	return in_dst ? z->dst_off : z->std_off;
}

int32_t pk_tz_offset_at(const struct pk_tz *tz, int64_t t)
{
	if (tz->ntimes == 0 || t >= tz->times[tz->ntimes - 1]) {
		if (tz->has_rule)
			return posix_offset(&tz->rule, t);
		if (tz->ntimes == 0)
			return tz->ntypes ? tz->type_off[0] : tz->fixed;
	}
	if (t < tz->times[0])
		return tz->type_off[0];
	size_t lo = 0, hi = tz->ntimes;      /* times[lo] <= t < times[hi] */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (tz->times[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return tz->type_off[tz->idx[lo]];
}

int64_t pk_tz_local_to_utc(const struct pk_tz *tz, int64_t local_us)
{
	int64_t L = floor_div(local_us, PK_US_PER_SEC);
	int64_t frac = local_us - L * PK_US_PER_SEC;
	int32_t cand[3] = { pk_tz_offset_at(tz, L - 86400), pk_tz_offset_at(tz, L),
	                    pk_tz_offset_at(tz, L + 86400) };
	int found = 0;
	int64_t best = 0;
	for (int i = 0; i < 3; i++) {
		int64_t u = L - cand[i];
		if (pk_tz_offset_at(tz, u) == cand[i] && (!found || u < best)) {
			best = u;
			found = 1;
		}
	}
	if (!found)   /* in a gap: the offset before it */
		best = L - cand[0];
	return best * PK_US_PER_SEC + frac;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/* Parses one TZif data block (v1: 4-byte times, else 8) at p[0..n); *used
 * gets its length.  Returns 0, -1 malformed, -2 out of memory. */
static int parse_block(struct pk_tz *tz, const unsigned char *p, size_t n, int wide,
                       size_t *used)
{
	if (n < 44 || memcmp(p, "TZif", 4) != 0)
		return -1;
	uint32_t isutcnt = be32(p + 20), isstdcnt = be32(p + 24), leapcnt = be32(p + 28);
	uint32_t timecnt = be32(p + 32), typecnt = be32(p + 36), charcnt = be32(p + 40);
	size_t tsz = wide ? 8 : 4;
	if (timecnt > 100000 || typecnt == 0 || typecnt > 256 || charcnt > 100000 ||
	    leapcnt > 100000 || isutcnt > 256 || isstdcnt > 256)
		return -1;
	size_t need = 44 + timecnt * (tsz + 1) + typecnt * 6 + charcnt +
	              leapcnt * (tsz + 4) + isstdcnt + isutcnt;
	if (need > n)
		return -1;
	free(tz->times);
	free(tz->idx);
	free(tz->type_off);
	tz->times = malloc((timecnt ? timecnt : 1) * sizeof *tz->times);
	tz->idx = malloc(timecnt ? timecnt : 1);
	tz->type_off = malloc(typecnt * sizeof *tz->type_off);
	if (!tz->times || !tz->idx || !tz->type_off)
		return -2;
	const unsigned char *t = p + 44, *ix = t + timecnt * tsz, *ty = ix + timecnt;
	for (uint32_t i = 0; i < timecnt; i++) {
		tz->times[i] = wide ? be64(t + i * 8) : (int64_t)(int32_t)be32(t + i * 4);
		tz->idx[i] = ix[i];
		if (ix[i] >= typecnt || (i > 0 && tz->times[i] <= tz->times[i - 1]))
			return -1;
	}
	for (uint32_t i = 0; i < typecnt; i++) {
		int32_t off = (int32_t)be32(ty + i * 6);
		if (off < -25 * 3600 || off > 26 * 3600)
			return -1;
		tz->type_off[i] = off;
	}
	tz->ntimes = timecnt;
	tz->ntypes = typecnt;
	*used = need;
	return 0;
}

static int parse_tzif(struct pk_tz *tz, const unsigned char *p, size_t n)
{
	size_t used = 0;
	int r = parse_block(tz, p, n, 0, &used);
	if (r || p[4] == 0)
		return r;
	size_t used2 = 0;
	if ((r = parse_block(tz, p + used, n - used, 1, &used2)) != 0)
		return r;
	const unsigned char *f = p + used + used2, *end = p + n;
	if (f < end && *f == '\n') {
		const unsigned char *nl = memchr(f + 1, '\n', (size_t)(end - f - 1));
		if (nl && nl > f + 1) {
			char footer[256];
			size_t fl = (size_t)(nl - f - 1);
			if (fl >= sizeof footer)
				return -1;
			memcpy(footer, f + 1, fl);
			footer[fl] = '\0';
			if (!parse_posix(footer, &tz->rule))
				return -1;
			tz->has_rule = 1;
		}
	}
	return 0;
}

static int valid_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 200 || s[0] == '/' || s[0] == '.')
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-' || c == '+' || c == '/' || c == '.'))
			return 0;
		if (c == '.' && i > 0 && s[i - 1] == '.')
			return 0;
		if (c == '/' && s[i + 1] == '.')
			return 0;
	}
	return 1;
}

/* Fixed offsets: "+HH", "+HHMM", "+HH:MM" (or -). */
static int parse_fixed(const char *s, int32_t *off)
{
	if (*s != '+' && *s != '-')
		return 0;
	int sign = *s == '-' ? -1 : 1;
	const char *p = s + 1;
	size_t n = strlen(p);
	int h, m = 0;
	if (n != 2 && n != 4 && n != 5)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!(i == 2 && n == 5 ? p[i] == ':' : (p[i] >= '0' && p[i] <= '9')))
			return 0;
	h = (p[0] - '0') * 10 + (p[1] - '0');
	if (n > 2)
		m = (p[n - 2] - '0') * 10 + (p[n - 1] - '0');
	if (h > 23 || m > 59)
		return 0;
	*off = sign * (h * 3600 + m * 60);
	return 1;
}

enum pk_status pk_tz_open(const char *spec, struct pk_tz **out, const char **why)
{
	*out = NULL;
	struct pk_tz *tz = calloc(1, sizeof *tz);
	if (!tz)
		return PK_ERR_NOMEM;
	if (!spec || !*spec || strcmp(spec, "UTC") == 0 || strcmp(spec, "Z") == 0 ||
	    strcmp(spec, "GMT") == 0 || parse_fixed(spec, &tz->fixed)) {
		*out = tz;
		return PK_OK;
	}
	static const char unknown[] = "unknown time zone (expected UTC, +HH:MM or an IANA name)";
	if (!valid_name(spec)) {
		free(tz);
		*why = unknown;
		return PK_ERR_INPUT;
	}
	char path[256];
	snprintf(path, sizeof path, "%s%s", TZ_DIR, spec);
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		free(tz);
		*why = unknown;
		return PK_ERR_INPUT;
	}
	unsigned char *data = malloc(TZ_FILE_MAX);
	size_t n = data ? fread(data, 1, TZ_FILE_MAX, fp) : 0;
	fclose(fp);
	int r = data ? parse_tzif(tz, data, n) : -2;
	free(data);
	if (r) {
		pk_tz_free(&tz);
		if (r == -2)
			return PK_ERR_NOMEM;
		*why = "time zone file is not a valid TZif file";
		return PK_ERR_INPUT;
	}
	*out = tz;
	return PK_OK;
}

void pk_tz_free(struct pk_tz **tz)
{
	if (!tz || !*tz)
		return;
	free((*tz)->times);
	free((*tz)->idx);
	free((*tz)->type_off);
	free(*tz);
	*tz = NULL;
}
