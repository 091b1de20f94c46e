/* gpu_sys_chunks.h - the columnar copies of nvidia-smi samples (table
 * gpu_chunk: one row per profile, GPU and UTC day) and sysstat samples
 * (sys_chunk: one row per profile and UTC day), two kinds of the columnar
 * engine (colstore.h).  They hold the row tables' numeric columns as
 * stored (PK_GPU_* and PK_SYS_* below), not the registry's metrics: the
 * mapping stays in one place, query_gpu_sys.c.  perfingest feeds them from
 * the rows it inserts (pk_store_row calls pk_gpu_sys_chunks_add), writes
 * them before each commit and rebuilds days changed by other means (SQL
 * triggers mark them dirty; record_merge's fills are such UPDATEs).
 * Internal to core/. */
#ifndef PK_GPU_SYS_CHUNKS_H
#define PK_GPU_SYS_CHUNKS_H

#include <stddef.h>
#include <stdint.h>
#include "db_internal.h"
#include "table.h"

/* gpu_chunk's values per sample: gpu_sample's numeric columns, in order. */
enum pk_gpu_col {
	PK_GPU_UTIL,          /* utilization_gpu_percent */
	PK_GPU_MEM_UTIL,      /* utilization_memory_percent */
	PK_GPU_MEM_USED,      /* memory_used_mib */
	PK_GPU_MEM_TOTAL,     /* memory_total_mib */
	PK_GPU_TEMP,          /* temperature_gpu_c */
	PK_GPU_POWER,         /* power_draw_w */
	PK_GPU_CLOCK_SM,      /* clocks_sm_mhz */
	PK_GPU_NCOLS
};

/* sys_chunk's values per sample: sys_sample's numeric columns, in order. */
enum pk_sys_col {
	PK_SYS_INTERVAL, PK_SYS_CPU_USER, PK_SYS_CPU_NICE, PK_SYS_CPU_SYSTEM,
	PK_SYS_CPU_IOWAIT, PK_SYS_CPU_STEAL, PK_SYS_CPU_IDLE, PK_SYS_MEM_FREE_KB,
	PK_SYS_MEM_AVAIL_KB, PK_SYS_MEM_USED_KB, PK_SYS_MEM_USED_PERCENT,
	PK_SYS_MEM_BUFFERS_KB, PK_SYS_MEM_CACHED_KB, PK_SYS_MEM_COMMIT_PERCENT,
	PK_SYS_RUNQ_SZ, PK_SYS_PLIST_SZ, PK_SYS_LDAVG_1, PK_SYS_LDAVG_5, PK_SYS_LDAVG_15,
	PK_SYS_BLOCKED, PK_SYS_CPU_USR, PK_SYS_CPU_NICE_NOGUEST, PK_SYS_CPU_SYS,
	PK_SYS_CPU_IRQ, PK_SYS_CPU_SOFT, PK_SYS_CPU_GUEST, PK_SYS_CPU_GNICE,
	PK_SYS_NCOLS
};

/* The writer, beside hw_chunk's (store.c's pk_store_samples_*): a row of
 * table t newly inserted (a no-op unless t is gpu_sample or sys_sample;
 * its columns found by name); flush before COMMIT; discard after a
 * ROLLBACK; the parts of a transaction (an archive member) as colstore.h's;
 * repair rebuilds every dirty day, *days gets how many (may be NULL). */
enum pk_status pk_gpu_sys_chunks_add(struct pk_db *db, const struct pk_table *t,
                                     const struct pk_value *v);
enum pk_status pk_gpu_sys_chunks_flush(struct pk_db *db);
void pk_gpu_sys_chunks_discard(struct pk_db *db);
void pk_gpu_sys_chunks_part_begin(struct pk_db *db);
enum pk_status pk_gpu_sys_chunks_part_rollback(struct pk_db *db);
enum pk_status pk_gpu_sys_chunks_repair(struct pk_db *db, int64_t *days);

/* Where pk_gpu_sys_rows hands its rows. */
struct pk_raw_sink {
	void *ctx;
	/* room for `more` rows beyond those handed over (a hint) */
	enum pk_status (*reserve)(void *ctx, size_t more);
	/* n rows in time order: row i is time ts[i] and v[i * ncols ...] */
	enum pk_status (*rows)(void *ctx, size_t n, const int64_t *ts, const double *v);
};

/* The gpu_sample (gpu) or sys_sample (!gpu) rows of `name`'s machine (the
 * names of PK_MACHINE_NAMES_CTE) with from_us <= ts <= to_us, one per
 * distinct time in time order: at a time, the row of the lowest GPU index
 * (then the lowest profile name).  Only the columns cols[0..ncols) (of
 * enum pk_gpu_col or pk_sys_col), NAN for NULL; with ncols 0 the times
 * only, the chunks' values not read.  Read from the chunks, and
 * from the row tables for dirty days; handed to sink in batches (a
 * machine of one chunk key is never held whole).  PK_OK, PK_ERR_DB,
 * PK_ERR_NOMEM, or the sink's error. */
enum pk_status pk_gpu_sys_rows(struct pk_db *db, int gpu, const char *name,
                               int64_t from_us, int64_t to_us, const unsigned *cols,
                               size_t ncols, const struct pk_raw_sink *sink);

/* SQL: the rows of dirty day d.day in table alias s, the day's range sought
 * on the (profile, ts_us) key, then the day exactly (as the triggers mark
 * it). */
#define PK_DAY_ROWS(s, d) \
	s ".ts_us BETWEEN " d ".day * 86400000000 - 86400000000 AND " d ".day * 86400000000 " \
	"+ 86400000000 AND " s ".ts_us / 86400000000 = " d ".day"

/* SQL: a chunk key's samples counted from the columnar copy, as perfingest
 * keeps it: the chunks' n of its clean days (key: the condition on chunk
 * alias c, served by the index on the key and n) plus the rows of its dirty
 * days (rkey: the condition on dirty mark d and row alias s; the marks
 * first, CROSS JOIN). */
#define PK_GPU_SYS_COUNT(chunk, dirty, rows, key, rkey) \
	"(SELECT coalesce(sum(c.n), 0) FROM " chunk " c WHERE " key " AND NOT EXISTS " \
	"(SELECT 1 FROM " dirty " d WHERE d.profile = c.profile AND d.day = c.day)) + " \
	"(SELECT count(*) FROM " dirty " d CROSS JOIN " rows " s WHERE " rkey " AND " \
	"s.profile = d.profile AND " PK_DAY_ROWS("s", "d") ")"

/* SQL: three columns, the sample count of one chunk key (PK_GPU_SYS_COUNT)
 * and its first and last time (the ends of the (profile, ts_us) key; with
 * +gpu_index the look-ups stay on it): a sysstat host p, a GPU g of p (p and
 * g are SQL expressions). */
#define PK_SYS_KEY_TIMES(p) \
	PK_GPU_SYS_COUNT("sys_chunk", "sys_chunk_dirty", "sys_sample", "c.profile = " p, \
	                 "d.profile = " p) \
	", (SELECT min(ts_us) FROM sys_sample WHERE profile = " p "), " \
	"(SELECT max(ts_us) FROM sys_sample WHERE profile = " p ")"
#define PK_GPU_KEY_TIMES(p, g) \
	PK_GPU_SYS_COUNT("gpu_chunk", "gpu_chunk_dirty", "gpu_sample", \
	                 "c.profile = " p " AND c.gpu_index = " g, \
	                 "d.profile = " p " AND +s.gpu_index = " g) \
	", (SELECT min(ts_us) FROM gpu_sample WHERE profile = " p " AND +gpu_index = " g "), " \
	"(SELECT max(ts_us) FROM gpu_sample WHERE profile = " p " AND +gpu_index = " g ")"

/* How many distinct times name's machine has in gpu_sample and sys_sample
 * together (*count), and the first and last (left as they are when none);
 * from the chunks: a machine whose rows are one chunk key's (one host, or
 * one GPU and no host) by their n and the ends of the row table's key, else
 * from the chunks' times, as pk_gpu_sys_rows with no columns.  PK_OK,
 * PK_ERR_DB, PK_ERR_NOMEM. */
enum pk_status pk_gpu_sys_times(struct pk_db *db, const char *name, int64_t *count,
                                int64_t *first, int64_t *last);

#endif
