/* timeutil.h - time parsing and formatting.  perfkit stores every time as UTC
 * microseconds since 1970-01-01 (int64).  ISO-8601 times with an offset are
 * converted; naive times (no offset) are taken as UTC.  "Now" comes from one
 * place, which honours SOURCE_DATE_EPOCH. */
#ifndef PK_TIMEUTIL_H
#define PK_TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>
#include "status.h"

/* Parses "YYYY-MM-DD[T ]HH:MM[:SS[.f{1,9}]][Z|+HH:MM|+HHMM|+HH]" (n bytes of
 * s) into *us.  Returns PK_OK, or PK_ERR_INPUT with *why a static reason
 * ("impossible date", ...).  Fractions beyond microseconds are truncated. */
enum pk_status pk_time_parse_iso(const char *s, size_t n, int64_t *us,
                                 const char **why);

/* Parses epoch seconds written as a decimal number ("1734136941.37"). */
enum pk_status pk_time_parse_epoch(const char *s, size_t n, int64_t *us,
                                   const char **why);

/* Either of the two forms above. */
enum pk_status pk_time_parse_any(const char *s, size_t n, int64_t *us,
                                 const char **why);

/* Days since 1970-01-01 of a proleptic Gregorian date (no range checks). */
int64_t pk_days_from_civil(int64_t y, unsigned m, unsigned d);

/* Formats us as "YYYY-MM-DDTHH:MM:SSZ", with ".ffffff" before the Z when the
 * time has a fraction.  out must hold PK_TIME_ISO_MAX bytes. */
#define PK_TIME_ISO_MAX 40
void pk_time_format_iso(int64_t us, char *out);

/* The current time, or SOURCE_DATE_EPOCH when that is set to a number. */
int64_t pk_time_now_us(void);

#define PK_US_PER_SEC INT64_C(1000000)
#define PK_US_PER_HOUR (INT64_C(3600) * PK_US_PER_SEC)
#define PK_US_PER_DAY (INT64_C(24) * PK_US_PER_HOUR)

#endif
