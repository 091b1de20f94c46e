/* bench_tables.h - the typed-row tables of F7 benchmark results for the
 * hyperfine and perfkit benchmark readers (core/schema.sql: bench_run,
 * bench_result, bench_value).  perfkit's rows leave digest '' (its document
 * names its run); hyperfine's carry the digest of their document, first. */
#ifndef PK_BENCH_TABLES_H
#define PK_BENCH_TABLES_H

#include "../core/table.h"

extern const struct pk_table pk_bench_run_table;
extern const struct pk_table pk_bench_result_table;
extern const struct pk_table pk_bench_value_table;
extern const struct pk_table pk_hf_run_table;
extern const struct pk_table pk_hf_result_table;
extern const struct pk_table pk_hf_value_table;

#endif
