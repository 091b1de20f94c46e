/* test_gpu_sys_chunks.c - unit tests of core/gpu_sys_chunks.c: the
 * columnar copies of gpu_sample and sys_sample (gpu_chunk, sys_chunk) are
 * written by perfingest from the rows it inserts, and the rows read from
 * them equal an SQL scan of the row tables (the reading query_gpu_sys.c
 * had before): several GPUs over several UTC days, an alias joining two
 * profiles, after an SQL UPDATE and DELETE (dirty days, read from the
 * rows, then rebuilt by the next run), after --force, after a second
 * export that completes stored rows (record_merge's fill), and a damaged
 * chunk is an error naming the fix; the count and range of a machine's
 * times (pk_gpu_sys_summary) read from the chunks equal SQL's. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/db.h"
#include "core/db_internal.h"
#include "core/gpu_sys_chunks.h"
#include "core/query_gpu_sys.h"
#include "tests/unit/testutil.h"

static int setup(void **state)
{
	return tu_setup(state, "gpu_sys_chunks");
}

/* nvidia-smi: GPUs 0 and 1 hourly over three UTC days (GPU 1 missing at
 * some hours, some values [N/A]); sadf -j: host "box" hourly over the same
 * days, some values absent. */
static void write_logs(struct tu_fx *f)
{
	struct pk_buf csv = PK_BUF_INIT, js = PK_BUF_INIT;
	pk_buf_puts(&csv, "timestamp, index, name, utilization.gpu [%], utilization.memory [%], "
	            "memory.used [MiB], memory.total [MiB], temperature.gpu, power.draw [W], "
	            "clocks.sm [MHz]\n");
	pk_buf_puts(&js, "{\"sysstat\": {\"hosts\": [{\"nodename\": \"box\", \"timezone\": \"UTC\", "
	            "\"statistics\": [\n");
	for (int h = 0; h < 72; h++) {
		int day = 10 + h / 24, hour = h % 24;
		for (int g = 0; g < 2; g++) {
			if (g == 1 && h % 5 == 0)
				continue;
			pk_buf_printf(&csv, "2025/12/%02d %02d:00:00.%03d, %d, GPU %d, %d %%, %d %%, "
			              "%d MiB, 8192 MiB, %d, %s, 1500 MHz\n", day, hour, g * 7, g, g,
			              (h * 7 + g) % 100, h % 13, 1000 + h * 3, 40 + h % 20,
			              h % 4 == 0 ? "[N/A]" : "95.25 W");
		}
		pk_buf_printf(&js, "%s{\"timestamp\": {\"date\": \"2025-12-%02d\", \"time\": "
		              "\"%02d:00:00\", \"utc\": 1, \"interval\": 3600}, \"cpu-load\": [{\"cpu\": "
		              "\"all\", \"user\": 10.5, \"system\": 2.25, \"idle\": %d.5}], \"memory\": "
		              "{\"memused\": %d, \"memused-percent\": 12.5%s}, \"queue\": {\"ldavg-1\": "
		              "%d.25}}", h ? ",\n" : "", day, hour, 50 + h % 40, 2000000 + h * 1000,
		              h % 3 ? ", \"avail\": 7000000" : "", h % 7);
	}
	pk_buf_puts(&js, "\n]}]}}\n");
	tu_write(tu_path(f, "nvidia_smi_lab.csv"), "w", csv.data, csv.len);
	tu_write(tu_path(f, "sadf.json"), "w", js.data, js.len);
	pk_buf_free(&csv);
	pk_buf_free(&js);
}

/* Rows as text, one a line: "ts v v ...". */
static void row_text(struct pk_buf *out, int64_t ts, const double *v, size_t n)
{
	pk_buf_printf(out, "%lld", (long long)ts);
	for (size_t c = 0; c < n; c++)
		pk_buf_printf(out, " %.17g", v[c]);
	pk_buf_putc(out, '\n');
}

static enum pk_status text_reserve(void *ctx, size_t more)
{
	(void)ctx;
	(void)more;
	return PK_OK;
}

struct text_sink {
	struct pk_buf out;
	size_t ncols;
};

static enum pk_status text_rows(void *ctx, size_t n, const int64_t *ts, const double *v)
{
	struct text_sink *t = ctx;
	for (size_t i = 0; i < n; i++)
		row_text(&t->out, ts[i], v + i * t->ncols, t->ncols);
	return PK_OK;
}

static const unsigned gpu_cols[] = { PK_GPU_UTIL, PK_GPU_MEM_UTIL, PK_GPU_MEM_USED,
	                             PK_GPU_MEM_TOTAL, PK_GPU_TEMP, PK_GPU_POWER,
	                             PK_GPU_CLOCK_SM };
static const unsigned sys_cols[] = { PK_SYS_CPU_IDLE, PK_SYS_LDAVG_1, PK_SYS_MEM_USED_KB,
	                             PK_SYS_MEM_AVAIL_KB, PK_SYS_MEM_USED_PERCENT,
	                             PK_SYS_CPU_USER, PK_SYS_CPU_SYSTEM };

/* The rows of name's machine read from the chunks. */
static char *chunk_rows(struct pk_db *db, int gpu, const char *name, int64_t from, int64_t to)
{
	struct text_sink t = { PK_BUF_INIT, 7 };
	struct pk_raw_sink sink = { &t, text_reserve, text_rows };
	assert_int_equal(pk_gpu_sys_rows(db, gpu, name, from, to, gpu ? gpu_cols : sys_cols,
	                                 t.ncols, &sink), PK_OK);
	return t.out.data ? t.out.data : strdup("");
}

/* The same by an SQL scan of the row table: the first row at each time in
 * (ts_us, gpu_index, profile) order. */
static char *sql_rows(const struct tu_fx *f, int gpu, const char *name, int64_t from, int64_t to)
{
	sqlite3 *s = NULL;
	assert_int_equal(sqlite3_open_v2(f->db_path, &s, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	const char *sql = gpu ?
		"WITH " PK_MACHINE_NAMES_CTE "SELECT ts_us, utilization_gpu_percent, "
		"utilization_memory_percent, memory_used_mib, memory_total_mib, temperature_gpu_c, "
		"power_draw_w, clocks_sm_mhz FROM gpu_sample WHERE profile IN (SELECT n FROM names) "
		"AND ts_us BETWEEN ?2 AND ?3 ORDER BY ts_us, gpu_index, profile" :
		"WITH " PK_MACHINE_NAMES_CTE "SELECT ts_us, cpu_idle, ldavg_1, mem_used_kb, "
		"mem_avail_kb, mem_used_percent, cpu_user, cpu_system FROM sys_sample "
		"WHERE profile IN (SELECT n FROM names) AND ts_us BETWEEN ?2 AND ?3 "
		"ORDER BY ts_us, profile";
	sqlite3_stmt *q = NULL;
	assert_int_equal(sqlite3_prepare_v2(s, sql, -1, &q, NULL), SQLITE_OK);
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, from);
	sqlite3_bind_int64(q, 3, to);
	struct pk_buf out = PK_BUF_INIT;
	int64_t last = 0;
	int any = 0;
	while (sqlite3_step(q) == SQLITE_ROW) {
		int64_t ts = sqlite3_column_int64(q, 0);
		if (any && ts == last)
			continue;
		double v[7];
		for (int c = 0; c < 7; c++)
			v[c] = sqlite3_column_type(q, c + 1) == SQLITE_NULL ? NAN
			       : sqlite3_column_double(q, c + 1);
		row_text(&out, ts, v, 7);
		last = ts;
		any = 1;
	}
	sqlite3_finalize(q);
	sqlite3_close(s);
	return out.data ? out.data : strdup("");
}

#define ALL INT64_MIN / 2, INT64_MAX / 2
/* 2025-12-11T05:00:00Z .. 2025-12-12T03:00:00Z: a window across a day */
#define PART INT64_C(1765429200000000), INT64_C(1765508400000000)

/* The count, first and last of name's distinct times by SQL over both
 * tables, as text. */
static char *sql_summary(const struct tu_fx *f, const char *name)
{
	sqlite3 *s = NULL;
	assert_int_equal(sqlite3_open_v2(f->db_path, &s, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *q = NULL;
	assert_int_equal(sqlite3_prepare_v2(s, "WITH " PK_MACHINE_NAMES_CTE "SELECT count(*) || "
	                 "' ' || ifnull(min(t), 0) || ' ' || ifnull(max(t), 0) FROM (SELECT ts_us AS t "
	                 "FROM gpu_sample WHERE profile IN (SELECT n FROM names) UNION SELECT ts_us "
	                 "FROM sys_sample WHERE profile IN (SELECT n FROM names))", -1, &q, NULL),
	                 SQLITE_OK);
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	char *out = strdup((const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	sqlite3_close(s);
	return out;
}

/* Chunks and SQL agree for every machine, whole and in a window; and so
 * do the count and range of its times (pk_gpu_sys_summary). */
static void same_as_sql(struct tu_fx *f)
{
	const char *names[] = { "lab", "box" };
	for (int k = 0; k < 2; k++) {
		struct pk_profile_info pi = { 0 };
		assert_int_equal(pk_gpu_sys_summary(f->db, names[k], &pi), PK_OK);
		char got[96];
		snprintf(got, sizeof got, "%lld %lld %lld", (long long)pi.samples,
		         (long long)(pi.samples ? pi.first_us : 0),
		         (long long)(pi.samples ? pi.last_us : 0));
		char *want = sql_summary(f, names[k]);
		assert_string_equal(got, want);
		free(want);
	}
	for (int k = 0; k < 2; k++)
		for (int gpu = 0; gpu < 2; gpu++) {
			char *a = chunk_rows(f->db, gpu, names[k], ALL), *b = sql_rows(f, gpu, names[k], ALL);
			assert_string_equal(a, b);
			free(a);
			free(b);
			a = chunk_rows(f->db, gpu, names[k], PART);
			b = sql_rows(f, gpu, names[k], PART);
			assert_string_equal(a, b);
			free(a);
			free(b);
		}
}

static void ingest(struct tu_fx *f, int force)
{
	struct pk_ingest_result res = { 0 };
	struct pk_ingest_opts o = { 0 };
	o.force = force;
	assert_int_equal(tu_ingest(f, NULL, o, &res), PK_OK);
	pk_ingest_result_free(&res);
}

static void test_written_by_perfingest(void **state)
{
	struct tu_fx *f = *state;
	write_logs(f);
	ingest(f, 0);
	/* every inserted row is in a chunk: per GPU and day, per host and day */
	assert_string_equal(tu_q(f, "SELECT count(*) || ' ' || sum(n) FROM gpu_chunk"), "6 129");
	assert_string_equal(tu_q(f, "SELECT count(*) FROM gpu_sample"), "129");
	assert_string_equal(tu_q(f, "SELECT count(*) || ' ' || sum(n) FROM sys_chunk"), "3 72");
	assert_string_equal(tu_q(f, "SELECT (SELECT count(*) FROM gpu_chunk_dirty) + "
	                        "(SELECT count(*) FROM sys_chunk_dirty)"), "0");
	/* the GPU 1 value at 2025-12-10T01:00 is 8 (not GPU 0's 7) only in
	 * its own chunk: the machine's row at a time is GPU 0's */
	char *rows = chunk_rows(f->db, 1, "lab", ALL);
	assert_non_null(strstr(rows, "\n1765328400000000 7 1 1003 8192 41 95.25 1500\n"));
	free(rows);
	same_as_sql(f);
	/* an alias joins the host's and the GPUs' profiles: both ways */
	tu_exec(f->db_path, "INSERT INTO profile_alias (alias, profile) VALUES ('box', 'lab')");
	same_as_sql(f);
}

static void test_sql_edits_and_rebuild(void **state)
{
	struct tu_fx *f = *state;
	write_logs(f);
	ingest(f, 0);
	tu_exec(f->db_path,
	        "UPDATE gpu_sample SET utilization_gpu_percent = 99.5 WHERE gpu_index = 0 "
	        "AND ts_us = 1765429200000000;"
	        "DELETE FROM gpu_sample WHERE gpu_index = 1 AND ts_us / 86400000000 = 20433;"
	        "INSERT INTO gpu_sample (profile, ts_us, gpu_index, utilization_gpu_percent, "
	        "source_id, line) VALUES ('lab', 1765429200000000, 3, 1, 1, 999);"
	        "UPDATE sys_sample SET cpu_idle = NULL WHERE ts_us = 1765447200000000;");
	assert_string_equal(tu_q(f, "SELECT (SELECT count(*) FROM gpu_chunk_dirty) || ' ' || "
	                        "(SELECT count(*) FROM sys_chunk_dirty)"), "1 1");
	/* dirty days are read from the rows */
	char *rows = chunk_rows(f->db, 1, "lab", ALL);
	assert_non_null(strstr(rows, "\n1765429200000000 99.5 "));
	free(rows);
	same_as_sql(f);
	/* the next run rebuilds them */
	ingest(f, 0);
	assert_string_equal(tu_q(f, "SELECT (SELECT count(*) FROM gpu_chunk_dirty) + "
	                        "(SELECT count(*) FROM sys_chunk_dirty)"), "0");
	assert_string_equal(tu_q(f, "SELECT sum(n) FROM gpu_chunk"),
	                    tu_q(f, "SELECT count(*) FROM gpu_sample"));
	same_as_sql(f);
	/* --force: the files' rows forgotten and read again */
	ingest(f, 1);
	assert_string_equal(tu_q(f, "SELECT sum(n) FROM gpu_chunk"), "129");
	assert_string_equal(tu_q(f, "SELECT (SELECT count(*) FROM gpu_chunk_dirty) + "
	                        "(SELECT count(*) FROM sys_chunk_dirty)"), "0");
	same_as_sql(f);
}

/* A second export of the same recording fills the columns the first left
 * NULL (record_merge): the chunks follow. */
static void test_completed_rows(void **state)
{
	struct tu_fx *f = *state;
	tu_copy_file("../fixtures/sysstat-real/sadf-u.json", tu_path(f, "sadf-u.json"));
	ingest(f, 0);
	tu_copy_file("../fixtures/sysstat-real/sadf-A.json", tu_path(f, "sadf-A.json"));
	struct pk_ingest_result res = { 0 };
	assert_int_equal(tu_ingest(f, NULL, (struct pk_ingest_opts){ 0 }, &res), PK_OK);
	assert_int_equal(res.counts.completed, 4);
	pk_ingest_result_free(&res);
	assert_string_equal(tu_q(f, "SELECT count(*) FROM sys_chunk_dirty"), "0");
	const char *host = tu_q(f, "SELECT profile FROM sys_sample LIMIT 1");
	char name[64];
	snprintf(name, sizeof name, "%s", host);
	/* memory and load came with -A: in the chunks now */
	char *a = chunk_rows(f->db, 0, name, ALL), *b = sql_rows(f, 0, name, ALL);
	assert_string_equal(a, b);
	assert_non_null(strstr(tu_q(f, "SELECT count(mem_used_kb) FROM sys_sample"), "4"));
	free(a);
	free(b);
}

/* A chunk whose blobs do not match its count is an error naming the fix. */
static void test_damaged_chunk(void **state)
{
	struct tu_fx *f = *state;
	write_logs(f);
	ingest(f, 0);
	tu_exec(f->db_path, "UPDATE sys_chunk SET n = n + 1 WHERE day = 20433");
	struct text_sink t = { PK_BUF_INIT, 7 };
	struct pk_raw_sink sink = { &t, text_reserve, text_rows };
	assert_int_equal(pk_gpu_sys_rows(f->db, 0, "box", ALL, sys_cols, 7, &sink), PK_ERR_DB);
	pk_buf_free(&t.out);
	const char *why = pk_db_errmsg(f->db);
	assert_non_null(why);
	assert_non_null(strstr(why, "sys_chunk row (profile box, day 20433) is damaged"));
	assert_non_null(strstr(why, "sys_chunk_dirty"));
}

/* The count and range of a machine's times (read from the chunks' times
 * only) against SQL's count(DISTINCT ts_us) over the UNION of gpu_sample and
 * sys_sample, where the two overlap in part: a second host every 30 minutes
 * over the last GPU day and the day after, joined to the GPUs by an alias. */
static void test_times_partial_overlap(void **state)
{
	struct tu_fx *f = *state;
	write_logs(f);
	struct pk_buf js = PK_BUF_INIT;
	pk_buf_puts(&js, "{\"sysstat\": {\"hosts\": [{\"nodename\": \"box2\", \"timezone\": "
	            "\"UTC\", \"statistics\": [\n");
	for (int k = 0; k < 96; k++)
		pk_buf_printf(&js, "%s{\"timestamp\": {\"date\": \"2025-12-%02d\", \"time\": "
		              "\"%02d:%02d:00\", \"utc\": 1, \"interval\": 1800}, \"cpu-load\": "
		              "[{\"cpu\": \"all\", \"user\": 1.5, \"idle\": 90.5}]}", k ? ",\n" : "",
		              12 + k / 48, k % 48 / 2, k % 2 * 30);
	pk_buf_puts(&js, "\n]}]}}\n");
	tu_write(tu_path(f, "sadf2.json"), "w", js.data, js.len);
	pk_buf_free(&js);
	/* and a machine of one GPU, its times counted from the chunks' n */
	tu_write_text(tu_path(f, "nvidia_smi_solo.csv"), "w",
	              "timestamp, index, name, utilization.gpu [%]\n"
	              "2025/12/10 23:59:00.000, 2, G, 5 %\n2025/12/11 00:00:00.000, 2, G, 6 %\n"
	              "2025/12/11 00:01:00.000, 2, G, 7 %\n2025/12/12 08:00:00.000, 2, G, 8 %\n");
	ingest(f, 0);
	int64_t sn = 0, sf = 0, sl = 0;
	char sgot[96];
	for (int pass = 0; pass < 2; pass++) {
		assert_int_equal(pk_gpu_sys_times(f->db, "solo", &sn, &sf, &sl), PK_OK);
		snprintf(sgot, sizeof sgot, "%lld %lld %lld", (long long)sn, (long long)sf,
		         (long long)sl);
		char *swant = sql_summary(f, "solo");
		assert_string_equal(sgot, swant);
		free(swant);
		/* then with a dirty day, its rows counted */
		tu_exec(f->db_path, "DELETE FROM gpu_sample WHERE profile = 'solo' AND "
		        "ts_us = 1765411260000000");
	}
	assert_string_equal(sgot, "3 1765411140000000 1765526400000000");
	tu_exec(f->db_path, "INSERT INTO profile_alias (alias, profile) VALUES ('box2', 'lab')");
	/* in part: GPU 0 and box2 share day 12's full hours only */
	assert_string_equal(tu_q(f, "SELECT (SELECT count(DISTINCT ts_us) FROM gpu_sample "
	                        "WHERE profile = 'lab') || ' ' || (SELECT count(*) FROM sys_sample "
	                        "WHERE profile = 'box2') || ' ' || (SELECT count(*) FROM (SELECT "
	                        "ts_us FROM gpu_sample WHERE profile = 'lab' UNION SELECT ts_us FROM "
	                        "sys_sample WHERE profile = 'box2'))"), "129 96 201");
	int64_t n = 0, first = 0, last = 0;
	char got[96];
	assert_int_equal(pk_gpu_sys_times(f->db, "lab", &n, &first, &last), PK_OK);
	snprintf(got, sizeof got, "%lld %lld %lld", (long long)n, (long long)first,
	         (long long)last);
	char *want = sql_summary(f, "lab");
	assert_string_equal(got, want);
	free(want);
	/* the three profiles as one machine; and with a dirty day (rows read) */
	tu_exec(f->db_path, "INSERT INTO profile_alias (alias, profile) VALUES ('box', 'lab');"
	        "DELETE FROM sys_sample WHERE profile = 'box2' AND ts_us % 3600000000 = 0 "
	        "AND ts_us / 86400000000 = 20434");
	assert_string_equal(tu_q(f, "SELECT count(*) FROM sys_chunk_dirty"), "1");
	same_as_sql(f);
	assert_int_equal(pk_gpu_sys_times(f->db, "lab", &n, &first, &last), PK_OK);
	snprintf(got, sizeof got, "%lld %lld %lld", (long long)n, (long long)first,
	         (long long)last);
	want = sql_summary(f, "lab");
	assert_string_equal(got, want);
	free(want);
	/* the values are not read but their size is checked */
	tu_exec(f->db_path, "UPDATE sys_chunk SET vals = substr(vals, 1, 16) WHERE profile = 'box' "
	        "AND day = 20433");
	assert_int_equal(pk_gpu_sys_times(f->db, "lab", &n, &first, &last), PK_ERR_DB);
	assert_non_null(strstr(pk_db_errmsg(f->db), "sys_chunk row (profile box, day 20433) is "
	                       "damaged"));
	assert_non_null(strstr(pk_db_errmsg(f->db), "vals holds 16 bytes"));
	tu_exec(f->db_path, "UPDATE sys_chunk SET vals = 'text' WHERE profile = 'box' "
	        "AND day = 20433");
	assert_int_equal(pk_gpu_sys_times(f->db, "lab", &n, &first, &last), PK_ERR_DB);
	assert_non_null(strstr(pk_db_errmsg(f->db), "vals is not a blob"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_written_by_perfingest, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_sql_edits_and_rebuild, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_completed_rows, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_damaged_chunk, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_times_partial_overlap, setup, tu_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
