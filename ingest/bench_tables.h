/* bench_tables.h - the typed-row tables of F7 benchmark results, shared by
 * the hyperfine and perfkit benchmark readers (core/schema.sql: bench_run,
 * bench_result, bench_value). */
#ifndef PK_BENCH_TABLES_H
#define PK_BENCH_TABLES_H

#include "../core/table.h"

extern const struct pk_table pk_bench_run_table;
extern const struct pk_table pk_bench_result_table;
extern const struct pk_table pk_bench_value_table;

#endif
