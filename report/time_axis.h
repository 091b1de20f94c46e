/* time_axis.h - the unit of a time chart's x axis (seconds, minutes or
 * hours since a start), chosen from the span shown so that the ticks read
 * as plain numbers: a two-minute window in hours would tick at 0.002. */
#ifndef PK_TIME_AXIS_H
#define PK_TIME_AXIS_H

#include <stdint.h>

struct pk_time_axis {
	double per_us;      /* x = microseconds since the start * per_us */
	const char *unit;   /* "seconds", "minutes" or "hours" */
};

/* Seconds for a span up to 3 minutes, minutes up to 3 hours, else hours
 * (a span of 0 or less: hours). */
struct pk_time_axis pk_time_axis_for(int64_t span_us);

#endif
