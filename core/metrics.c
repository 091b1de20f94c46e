/* metrics.c - the table behind the metric registry (see metrics.h).
 * Columns are the names with '.' replaced by '_'; core/schema.sql declares
 * them and tests/unit/test_metrics.c checks that both agree. */
#include "metrics.h"

#include <string.h>

#define L PK_LOWER_IS_BETTER
#define H PK_HIGHER_IS_BETTER
#define N PK_NEUTRAL
#define MAIN PK_METRIC_MAIN
#define ZERO PK_METRIC_ZERO_IS_MISSING

const struct pk_metric pk_hw_metrics[] = {
	{ "cpu.percent_total", "cpu_percent_total", "%", "CPU utilisation", L, MAIN },
	{ "cpu.frequency_current_mhz", "cpu_frequency_current_mhz", "MHz", "CPU frequency", H, MAIN | ZERO },
	{ "cpu.load_average_1min", "cpu_load_average_1min", "", "Load average (1 min)", L, 0 },
	{ "memory.used_gb", "memory_used_gb", "GB", "RAM used", L, 0 },
	{ "memory.available_gb", "memory_available_gb", "GB", "RAM available", H, 0 },
	{ "memory.percent", "memory_percent", "%", "RAM utilisation", L, MAIN },
	{ "memory.swap_used_gb", "memory_swap_used_gb", "GB", "Swap used", L, 0 },
	{ "memory.swap_percent", "memory_swap_percent", "%", "Swap utilisation", L, 0 },
	{ "gpu.utilization_percent", "gpu_utilization_percent", "%", "GPU utilisation", L, MAIN },
	{ "gpu.memory_utilization_percent", "gpu_memory_utilization_percent", "%", "GPU memory bandwidth utilisation", L, 0 },
	{ "gpu.memory_used_mb", "gpu_memory_used_mb", "MB", "VRAM used", L, MAIN },
	{ "gpu.memory_free_mb", "gpu_memory_free_mb", "MB", "VRAM free", H, 0 },
	{ "gpu.temperature_celsius", "gpu_temperature_celsius", "°C", "GPU temperature", L, MAIN | ZERO },
	{ "gpu.power_draw_watts", "gpu_power_draw_watts", "W", "GPU power draw", L, ZERO },
	{ "thermal.max_temp", "thermal_max_temp", "°C", "Hottest sensor", L, 0 },
	{ "processes.total_processes", "processes_total_processes", "", "Processes", N, 0 },
	{ "processes.python_processes", "processes_python_processes", "", "Python processes", N, 0 },
	{ "processes.whisper_processes", "processes_whisper_processes", "", "Whisper processes", N, 0 },
	{ "processes.python_memory_total_percent", "processes_python_memory_total_percent", "%", "Python memory share", L, 0 },
	{ "processes.python_cpu_total_percent", "processes_python_cpu_total_percent", "%", "Python CPU share", L, 0 },
	{ "processes.python_threads_total", "processes_python_threads_total", "", "Python threads", N, 0 },
	{ "inference_timing.wake_word_latency_ms.mean", "inference_timing_wake_word_latency_ms_mean", "ms", "Wake-word latency (mean)", L, MAIN },
	{ "inference_timing.wake_word_latency_ms.min", "inference_timing_wake_word_latency_ms_min", "ms", "Wake-word latency (min)", L, 0 },
	{ "inference_timing.wake_word_latency_ms.max", "inference_timing_wake_word_latency_ms_max", "ms", "Wake-word latency (max)", L, 0 },
	{ "inference_timing.wake_word_latency_ms.count", "inference_timing_wake_word_latency_ms_count", "", "Wake-word detections", N, 0 },
};

const size_t pk_hw_nmetrics = sizeof pk_hw_metrics / sizeof pk_hw_metrics[0];

const struct pk_metric *pk_hw_metric_find(const char *name, size_t *index)
{
	for (size_t i = 0; i < pk_hw_nmetrics; i++) {
		if (strcmp(pk_hw_metrics[i].name, name) == 0) {
			if (index)
				*index = i;
			return &pk_hw_metrics[i];
		}
	}
	return NULL;
}

const char *pk_direction_str(enum pk_direction d)
{
	switch (d) {
	case PK_LOWER_IS_BETTER: return "lower";
	case PK_HIGHER_IS_BETTER: return "higher";
	case PK_NEUTRAL: return "neutral";
	}
	return "neutral";
}
