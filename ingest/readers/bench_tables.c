/* bench_tables.c - the F7 benchmark tables (see bench_tables.h). */
#include "bench_tables.h"

static const struct pk_column run_cols[] = {
	{ "digest", PK_COL_TEXT }, { "suite", PK_COL_TEXT }, { "run_us", PK_COL_TIME },
	{ "host", PK_COL_TEXT }, { "revision", PK_COL_TEXT }, { "tool", PK_COL_TEXT },
	{ "extra", PK_COL_JSON },
};
const struct pk_table pk_bench_run_table = { "bench_run", run_cols, 7, 0 };

static const struct pk_column result_cols[] = {
	{ "digest", PK_COL_TEXT }, { "suite", PK_COL_TEXT }, { "run_us", PK_COL_TIME },
	{ "host", PK_COL_TEXT }, { "name", PK_COL_TEXT }, { "unit", PK_COL_TEXT },
	{ "direction", PK_COL_TEXT }, { "mean", PK_COL_REAL }, { "stddev", PK_COL_REAL },
	{ "median", PK_COL_REAL }, { "min", PK_COL_REAL }, { "max", PK_COL_REAL },
	{ "user_s", PK_COL_REAL }, { "system_s", PK_COL_REAL }, { "n", PK_COL_INT },
	{ "extra", PK_COL_JSON },
};
const struct pk_table pk_bench_result_table = { "bench_result", result_cols, 16, 0 };

static const struct pk_column value_cols[] = {
	{ "digest", PK_COL_TEXT }, { "suite", PK_COL_TEXT }, { "run_us", PK_COL_TIME },
	{ "host", PK_COL_TEXT }, { "name", PK_COL_TEXT }, { "seq", PK_COL_INT },
	{ "value", PK_COL_REAL }, { "exit_code", PK_COL_INT },
};
const struct pk_table pk_bench_value_table = { "bench_value", value_cols, 8, 0 };
