/* tz.h - converting naive local wall-clock times of a named zone to UTC,
 * without the C library's time zone state (no setenv/tzset: safe beside
 * other threads).  A zone is a fixed offset ("+05:30", "-0800", "UTC") or
 * an IANA name whose TZif file is read from /usr/share/zoneinfo (its
 * transitions, and the POSIX TZ rule in its footer for later times). */
#ifndef PK_TZ_H
#define PK_TZ_H

#include <stdint.h>
#include "../../core/status.h"

struct pk_tz;

/* Opens the zone spec: "UTC", "Z", "GMT", "+HH", "+HHMM", "+HH:MM" (or -),
 * or an IANA name ("Europe/Berlin", also zone files such as "CET").  On
 * success *out is the zone (free with pk_tz_free).  Returns PK_ERR_INPUT
 * with *why a static reason for an unknown or malformed zone, PK_ERR_NOMEM. */
enum pk_status pk_tz_open(const char *spec, struct pk_tz **out, const char **why);

/* UTC microseconds of the local wall-clock time local_us (the local date and
 * time counted as if they were UTC).  A time that occurs twice (clocks set
 * back) is the first occurrence (the earlier instant, still in summer time);
 * a time that does not occur (clocks set forward) is read with the offset
 * in force before the gap, so 02:30 on a spring-forward night in
 * Europe/Berlin is 01:30 UTC (03:30 summer time). */
int64_t pk_tz_local_to_utc(const struct pk_tz *tz, int64_t local_us);

/* The zone's offset from UTC in seconds at UTC time utc_s. */
int32_t pk_tz_offset_at(const struct pk_tz *tz, int64_t utc_s);

/* Frees *tz and sets it to NULL. */
void pk_tz_free(struct pk_tz **tz);

#endif
