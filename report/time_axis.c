/* time_axis.c - the unit of a time chart's x axis (see time_axis.h). */
#include "time_axis.h"

#include "../core/timeutil.h"

struct pk_time_axis pk_time_axis_for(int64_t span_us)
{
	const int64_t minute = PK_US_PER_HOUR / 60;
	if (span_us > 0 && span_us <= 3 * minute)
		return (struct pk_time_axis){ 1e-6, "seconds" };
	if (span_us > 0 && span_us <= 3 * PK_US_PER_HOUR)
		return (struct pk_time_axis){ 1.0 / (double)minute, "minutes" };
	return (struct pk_time_axis){ 1.0 / (double)PK_US_PER_HOUR, "hours" };
}
