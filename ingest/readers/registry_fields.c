/* registry_fields.c - the F2 registry's tables (core/schema.sql) and the
 * fields of each row, by path, that read_registry_json.c fills. */
#include "registry_fields.h"

/* ---- the tables (core/schema.sql) ---- */

static const struct pk_column version_cols[] = {
	{ "id", PK_COL_INT }, { "sha", PK_COL_TEXT }, { "read_us", PK_COL_TIME },
	{ "document", PK_COL_TEXT },
};
static const struct pk_column profile_cols[] = {
	{ "name", PK_COL_TEXT }, { "description", PK_COL_TEXT }, { "gpu_name", PK_COL_TEXT },
	{ "gpu_memory_gb", PK_COL_REAL }, { "gpu_compute_capability", PK_COL_TEXT },
	{ "gpu_tier", PK_COL_TEXT }, { "cpu_model", PK_COL_TEXT }, { "cpu_cores_physical", PK_COL_INT },
	{ "cpu_cores_logical", PK_COL_INT }, { "memory_total_gb", PK_COL_REAL },
	{ "form_factor", PK_COL_TEXT }, { "use_case", PK_COL_TEXT }, { "active", PK_COL_INT },
	{ "limitations", PK_COL_JSON }, { "optimizations", PK_COL_JSON }, { "extra", PK_COL_JSON },
};
static const struct pk_column target_cols[] = {
	{ "profile", PK_COL_TEXT }, { "metric", PK_COL_TEXT }, { "target", PK_COL_REAL },
	{ "bound_key", PK_COL_TEXT }, { "bound", PK_COL_REAL }, { "description", PK_COL_TEXT },
	{ "extra", PK_COL_JSON },
};
static const struct pk_column tier_cols[] = {
	{ "tier", PK_COL_TEXT }, { "whisper_device", PK_COL_TEXT }, { "whisper_model", PK_COL_TEXT },
	{ "llm_device", PK_COL_TEXT }, { "llm_max_params_b", PK_COL_REAL },
	{ "concurrent_agents", PK_COL_INT }, { "extra", PK_COL_JSON },
};
static const struct pk_column detected_cols[] = {
	{ "name", PK_COL_TEXT }, { "created_us", PK_COL_TIME }, { "os", PK_COL_TEXT },
	{ "os_version", PK_COL_TEXT }, { "os_release", PK_COL_TEXT }, { "architecture", PK_COL_TEXT },
	{ "hostname", PK_COL_TEXT }, { "python_version", PK_COL_TEXT }, { "gpu_available", PK_COL_INT },
	{ "gpu_name", PK_COL_TEXT }, { "gpu_driver_version", PK_COL_TEXT },
	{ "gpu_memory_total_mb", PK_COL_REAL }, { "gpu_compute_capability", PK_COL_TEXT },
	{ "gpu_power_limit_watts", PK_COL_REAL }, { "cpu_logical_cores", PK_COL_INT },
	{ "cpu_physical_cores", PK_COL_INT }, { "cpu_max_frequency_mhz", PK_COL_REAL },
	{ "cpu_min_frequency_mhz", PK_COL_REAL }, { "memory_total_gb", PK_COL_REAL },
	{ "extra", PK_COL_JSON },
};
#define TABLE(name, cols, replace) { name, cols, sizeof cols / sizeof cols[0], replace }
const struct pk_table pk_registry_version_table = TABLE("registry_version", version_cols, 0);
static const struct pk_table profile_table = TABLE("registry_profile", profile_cols, 1);
static const struct pk_table target_table = TABLE("registry_target", target_cols, 1);
static const struct pk_table tier_table = TABLE("registry_tier", tier_cols, 1);
static const struct pk_table detected_table = TABLE("detected_system", detected_cols, 1);

/* ---- the fields of each row, by path relative to the row ---- */

static const struct fdef profile_fields[] = {
	{ "description", T_TEXT, 1 }, { "hardware", T_CONTAINER, -1 },
	{ "hardware.gpu", T_CONTAINER, -1 }, { "hardware.gpu.name", T_TEXT, 2 },
	{ "hardware.gpu.memory_gb", T_REAL, 3 }, { "hardware.gpu.compute_capability", T_TEXT, 4 },
	{ "hardware.gpu.tier", T_TEXT, 5 }, { "hardware.cpu", T_CONTAINER, -1 },
	{ "hardware.cpu.model", T_TEXT, 6 }, { "hardware.cpu.cores_physical", T_INT, 7 },
	{ "hardware.cpu.cores_logical", T_INT, 8 }, { "hardware.memory", T_CONTAINER, -1 },
	{ "hardware.memory.total_gb", T_REAL, 9 }, { "hardware.form_factor", T_TEXT, 10 },
	{ "use_case", T_TEXT, 11 }, { "active", T_BOOL, 12 }, { "limitations", T_JARRAY, 13 },
	{ "optimizations", T_JOBJECT, 14 }, { "performance_targets", T_TARGETS, -1 },
	{ NULL, T_UNKNOWN, 0 },
};
static const struct fdef target_fields[] = {
	{ "target", T_REAL, 2 }, { "acceptable_max", T_BOUND, 4 },
	{ "acceptable_min", T_BOUND, 4 }, { "critical_threshold", T_BOUND, 4 },
	{ "description", T_TEXT, 5 }, { NULL, T_UNKNOWN, 0 },
};
static const struct fdef tier_fields[] = {
	{ "whisper_device", T_TEXT, 1 }, { "whisper_model", T_TEXT, 2 },
	{ "llm_device", T_TEXT, 3 }, { "llm_max_params_b", T_REAL, 4 },
	{ "concurrent_agents", T_INT, 5 }, { NULL, T_UNKNOWN, 0 },
};
static const struct fdef detected_fields[] = {
	{ "profile_name", T_PNAME, -1 }, { "created_at", T_TIME, 1 },
	{ "system", T_CONTAINER, -1 }, { "system.os", T_TEXT, 2 },
	{ "system.os_version", T_TEXT, 3 }, { "system.os_release", T_TEXT, 4 },
	{ "system.architecture", T_TEXT, 5 }, { "system.hostname", T_TEXT, 6 },
	{ "system.python_version", T_TEXT, 7 }, { "gpu", T_CONTAINER, -1 },
	{ "gpu.available", T_BOOL, 8 }, { "gpu.name", T_TEXT, 9 },
	{ "gpu.driver_version", T_TEXT, 10 }, { "gpu.memory_total_mb", T_REAL0, 11 },
	{ "gpu.compute_capability", T_TEXT, 12 }, { "gpu.power_limit_watts", T_REAL0, 13 },
	{ "cpu", T_CONTAINER, -1 }, { "cpu.logical_cores", T_INT, 14 },
	{ "cpu.physical_cores", T_INT, 15 }, { "cpu.max_frequency_mhz", T_REAL0, 16 },
	{ "cpu.min_frequency_mhz", T_REAL0, 17 }, { "memory", T_CONTAINER, -1 },
	{ "memory.total_gb", T_REAL, 18 }, { NULL, T_UNKNOWN, 0 },
};

const struct pk_registry_rowdef pk_registry_rowdefs[NROWS] = {
	{ &profile_table, profile_fields }, { &target_table, target_fields },
	{ &tier_table, tier_fields }, { &detected_table, detected_fields },
};
