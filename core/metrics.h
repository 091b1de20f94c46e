/* metrics.h - the metric registry: every metric perfkit knows, named by its
 * path in the source record (e.g. "gpu.memory_used_mb"), with unit, label,
 * better direction and storage column.  Nothing else spells metric names out:
 * readers, analyses, writers and charts look metrics up here. */
#ifndef PK_METRICS_H
#define PK_METRICS_H

#include <stddef.h>

enum pk_direction {
	PK_LOWER_IS_BETTER,
	PK_HIGHER_IS_BETTER,
	PK_NEUTRAL        /* neither: a difference is reported as higher/lower */
};

enum pk_metric_flags {
	PK_METRIC_MAIN = 1u << 0,          /* charted in reports */
	PK_METRIC_ZERO_IS_MISSING = 1u << 1, /* the writer logs 0 for "not available" */
	PK_METRIC_UNREGISTERED = 1u << 2     /* a generic path that is no registry name:
	                                        unit unknown (""), direction neutral */
};

struct pk_metric {
	const char *name;    /* path in the record: "cpu.percent_total" */
	const char *column;  /* column in its table: "cpu_percent_total" */
	const char *unit;    /* "%", "MHz", "GB", "MB", "°C", "W", "ms", "" */
	const char *label;   /* human label: "CPU utilisation" */
	enum pk_direction direction;
	unsigned flags;
};

/* The hardware-sample (F1) metrics, in a fixed order; index i of a series'
 * value arrays is metric pk_hw_metrics[i]. */
extern const struct pk_metric pk_hw_metrics[];
extern const size_t pk_hw_nmetrics;

/* The hardware metric called name, or NULL.  *index gets its position when
 * index is not NULL. */
const struct pk_metric *pk_hw_metric_find(const char *name, size_t *index);

/* "lower", "higher" or "neutral". */
const char *pk_direction_str(enum pk_direction d);

#endif
