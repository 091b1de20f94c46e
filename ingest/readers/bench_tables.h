/* bench_tables.h - the typed-row tables of F7 benchmark results for the
 * hyperfine and perfkit benchmark readers (core/schema.sql: bench_run,
 * bench_result, bench_value).  The run's digest comes first (column 0, so
 * that json_rows.h's spool can fill it in when the hyperfine reader has read
 * the whole document); perfkit's rows give '' (its document names its run). */
#ifndef PK_BENCH_TABLES_H
#define PK_BENCH_TABLES_H

#include "../../core/table.h"

extern const struct pk_table pk_bench_run_table;
extern const struct pk_table pk_bench_result_table;
extern const struct pk_table pk_bench_value_table;

#endif
