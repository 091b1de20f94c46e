/* test_gpu_sys.c - unit tests of the F9 (nvidia-smi CSV) and F10 (sadf -j)
 * readers and of ingest/engines/tz.c: columns by header, units, [N/A], repeated
 * headers, --tz, profiles from file names, sadf sections and extra,
 * streaming over chunks, and each hostile case with its reason. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/db.h"
#include "ingest/pipeline/ingest.h"
#include "core/timeutil.h"
#include "ingest/engines/tz.h"
#include "tests/unit/testutil.h"

#define FIX "../fixtures/"

/* The ingest options of the running test: --tz and --format. */
static struct pk_ingest_opts opts;

static int setup(void **state)
{
	opts = (struct pk_ingest_opts){ .run_time_us = INT64_MIN };
	return tu_setup_in(state, "gpu_sys", 0700);
}

/* The input folder's file name. */
static char *in(struct tu_fx *f, const char *name)
{
	return tu_path(f, "in/%s", name);
}

static enum pk_status ingest(struct tu_fx *f, struct pk_ingest_result *res)
{
	tu_reset_diags(f);
	return tu_ingest(f, tu_path(f, "in"), opts, res);
}

/* ---- time zones ---- */

static int64_t utc_of(const struct pk_tz *z, const char *iso)
{
	int64_t us;
	const char *why;
	assert_int_equal(pk_time_parse_iso(iso, strlen(iso), &us, &why), PK_OK);
	return pk_tz_local_to_utc(z, us) / 1000000;
}

static void test_tz(void **state)
{
	(void)state;
	struct pk_tz *z = NULL;
	const char *why = NULL;
	assert_int_equal(pk_tz_open("Europe/Berlin", &z, &why), PK_OK);
	/* winter +01:00, summer +02:00 */
	assert_int_equal(utc_of(z, "2025-01-15T12:00:00"), 1736938800);
	assert_int_equal(utc_of(z, "2025-07-01T12:00:00"), 1751364000);
	/* 2025-03-30 02:30 does not occur: read with +01:00 (01:30 UTC) */
	assert_int_equal(utc_of(z, "2025-03-30T02:30:00"), 1743298200);
	/* 2025-10-26 02:30 occurs twice: the first (summer time, 00:30 UTC) */
	assert_int_equal(utc_of(z, "2025-10-26T02:30:00"), 1761438600);
	/* after the file's last transition (2037): the footer rule */
	assert_int_equal(utc_of(z, "2045-07-01T12:00:00"), 2382516000);
	assert_int_equal(utc_of(z, "2045-01-01T12:00:00"), 2366881200);
	pk_tz_free(&z);
	assert_null(z);
	assert_int_equal(pk_tz_open("Australia/Sydney", &z, &why), PK_OK);
	assert_int_equal(utc_of(z, "2025-01-01T11:00:00"), 1735689600);   /* +11 in January */
	pk_tz_free(&z);
	assert_int_equal(pk_tz_open("+05:30", &z, &why), PK_OK);
	assert_int_equal(utc_of(z, "2025-01-01T05:30:00"), 1735689600);
	pk_tz_free(&z);
	assert_int_equal(pk_tz_open("-0800", &z, &why), PK_OK);
	assert_int_equal(utc_of(z, "2024-12-31T16:00:00"), 1735689600);
	pk_tz_free(&z);
	assert_int_equal(pk_tz_open(NULL, &z, &why), PK_OK);   /* default UTC */
	assert_int_equal(utc_of(z, "2025-01-01T00:00:00"), 1735689600);
	pk_tz_free(&z);
	const char *bad[] = { "Mars/Olympus", "../../etc/passwd", "/etc/localtime", "Europe",
	                      "+25:00", "+05:61", "Europe/Berlin; rm -rf /", "" };
	for (size_t i = 0; i + 1 < sizeof bad / sizeof bad[0]; i++) {
		why = NULL;
		assert_int_equal(pk_tz_open(bad[i], &z, &why), PK_ERR_INPUT);
		assert_null(z);
		assert_non_null(why);
	}
}

/* ---- F9 nvidia-smi ---- */

static void test_nvsmi_units_and_repeated_header(void **state)
{
	struct tu_fx *f = *state;
	tu_copy_file(FIX "nvidia-smi/nvidia_smi_laptop.csv", in(f, "nvidia_smi_laptop.csv"));
	struct pk_ingest_result res;
	assert_int_equal(ingest(f, &res), PK_OK);
	assert_int_equal(res.counts.added, 6);
	assert_int_equal(res.counts.rejects, 0);
	pk_ingest_result_free(&res);
	assert_string_equal(tu_q(f, "SELECT DISTINCT profile FROM gpu_sample"), "laptop");
	assert_string_equal(tu_q(f, "SELECT group_concat(line) FROM gpu_sample"), "2,3,4,5,7,8");
	assert_string_equal(tu_q(f, "SELECT ts_us || ' ' || name || ' ' || utilization_gpu_percent || ' ' || "
	                         "utilization_memory_percent || ' ' || memory_used_mib || ' ' || "
	                         "memory_total_mib || ' ' || temperature_gpu_c || ' ' || clocks_sm_mhz "
	                         "FROM gpu_sample WHERE line = 2"),
	                    "1765672941374000 NVIDIA GeForce MX150 45.0 12.0 1234.0 2048.0 51.0 1590.0");
	/* [N/A] and [Not Supported] are missing, never 0 */
	assert_string_equal(tu_q(f, "SELECT quote(power_draw_w) FROM gpu_sample WHERE line = 2"), "NULL");
	assert_string_equal(tu_q(f, "SELECT quote(clocks_sm_mhz) FROM gpu_sample WHERE line = 3"), "NULL");
	assert_string_equal(tu_q(f, "SELECT power_draw_w FROM gpu_sample WHERE line = 3"), "31.2");
	assert_string_equal(tu_q(f, "SELECT count(*) FROM gpu_sample WHERE extra IS NOT NULL"), "0");
	/* two GPUs of one time */
	assert_string_equal(tu_q(f, "SELECT group_concat(gpu_index) FROM gpu_sample WHERE ts_us = 1765672941374000"), "0,1");
	/* read again: unchanged; replaced: nothing added twice */
	assert_int_equal(ingest(f, &res), PK_OK);
	assert_int_equal(res.files_unchanged, 1);
	pk_ingest_result_free(&res);
}

static void test_nvsmi_noheader_and_tz(void **state)
{
	struct tu_fx *f = *state;
	tu_copy_file(FIX "nvidia-smi/nvsmi_desktop.log", in(f, "nvsmi_desktop.log"));
	opts.tz = "Europe/Berlin";
	struct pk_ingest_result res;
	assert_int_equal(ingest(f, &res), PK_OK);
	assert_int_equal(res.counts.added, 2);
	pk_ingest_result_free(&res);
	/* 14:00 local summer time in Berlin is 12:00 UTC */
	assert_string_equal(tu_q(f, "SELECT ts_us FROM gpu_sample WHERE line = 1"), "1751371200000000");
	assert_string_equal(tu_q(f, "SELECT profile || ' ' || gpu_index || ' ' || name || ' ' || power_draw_w "
	                         "FROM gpu_sample WHERE line = 1"), "desktop 0 NVIDIA GeForce RTX 3070 35.1");
	assert_string_equal(tu_q(f, "SELECT quote(utilization_gpu_percent) || quote(power_draw_w) || "
	                         "quote(extra) FROM gpu_sample WHERE line = 2"), "NULLNULLNULL");
}

static void test_nvsmi_bad_tz_fails_file(void **state)
{
	struct tu_fx *f = *state;
	tu_copy_file(FIX "nvidia-smi/nvsmi_desktop.log", in(f, "nvsmi_desktop.log"));
	opts.tz = "Mars/Olympus";
	struct pk_ingest_result res;
	assert_int_equal(ingest(f, &res), PK_ERR_INPUT);
	assert_int_equal(res.files_failed, 1);
	pk_ingest_result_free(&res);
	tu_has_diag(f, "nvsmi_desktop.log:1: --tz 'Mars/Olympus': unknown time zone");
	assert_string_equal(tu_q(f, "SELECT count(*) FROM gpu_sample"), "0");
	/* nothing remembered: a run with a good zone reads it */
	opts.tz = "+05:30";
	assert_int_equal(ingest(f, &res), PK_OK);
	assert_int_equal(res.counts.added, 2);
	pk_ingest_result_free(&res);
	assert_string_equal(tu_q(f, "SELECT ts_us FROM gpu_sample WHERE line = 1"), "1751358600000000");
}

static void test_nvsmi_extra_and_profiles(void **state)
{
	struct tu_fx *f = *state;
	tu_copy_file(FIX "nvidia-smi/nvidia_smi_extra.csv", in(f, "gpu-box.log"));
	struct pk_ingest_result res;
	assert_int_equal(ingest(f, &res), PK_OK);
	assert_int_equal(res.counts.added, 2);
	pk_ingest_result_free(&res);
	/* detected by its header; profile = base name without extension */
	assert_string_equal(tu_q(f, "SELECT format FROM source_file"), "nvidia_smi");
	assert_string_equal(tu_q(f, "SELECT DISTINCT profile FROM gpu_sample"), "gpu-box");
	/* no index column: the GPUs of one time in the order written */
	assert_string_equal(tu_q(f, "SELECT group_concat(gpu_index) FROM gpu_sample"), "0,1");
	assert_string_equal(tu_q(f, "SELECT clocks_sm_mhz FROM gpu_sample WHERE line = 2"), "1410.0");
	assert_string_equal(tu_q(f, "SELECT extra FROM gpu_sample WHERE line = 2"),
	    "{\"pci.bus_id\":\"00000000:01:00.0\",\"driver_version\":\"550.54.15\",\"fan.speed\":\"[N/A]\",\"pstate\":\"P0\"}");
}

static void test_nvsmi_hostile(void **state)
{
	struct tu_fx *f = *state;
	tu_copy_file(FIX "nvidia-smi/nvidia_smi_hostile.csv", in(f, "nvidia_smi_hostile.csv"));
	struct pk_ingest_result res;
	assert_int_equal(ingest(f, &res), PK_PARTIAL);
	assert_int_equal(res.counts.added, 5);
	assert_int_equal(res.counts.rejects, 9);
	assert_int_equal(res.lines, 16);
	pk_ingest_result_free(&res);
	tu_has_diag(f, "nvidia_smi_hostile.csv:4:33: invalid UTF-8");
	tu_has_diag(f, "nvidia_smi_hostile.csv:5:1: timestamp: impossible date");
	tu_has_diag(f, "nvidia_smi_hostile.csv:6:1: timestamp: impossible time");
	tu_has_diag(f, "nvidia_smi_hostile.csv:7:1: timestamp: expected YYYY/MM/DD HH:MM:SS.mmm");
	tu_has_diag(f, "nvidia_smi_hostile.csv:8:29: unbalanced quote");
	tu_has_diag(f, "nvidia_smi_hostile.csv:9: 3 fields, the header on line 1 has 10");
	tu_has_diag(f, "nvidia_smi_hostile.csv:10:26: index: expected a GPU index");
	tu_has_diag(f, "nvidia_smi_hostile.csv:11: line contains a NUL byte");
	tu_has_diag(f, "nvidia_smi_hostile.csv:12: 11 fields, the header on line 1 has 10");
	assert_int_equal(f->ndiags, 9);
	/* BOM + CRLF header understood; good lines kept, with their lines */
	assert_string_equal(tu_q(f, "SELECT group_concat(line) FROM gpu_sample"), "2,13,14,15,16");
	assert_string_equal(tu_q(f, "SELECT group_concat(line) FROM reject"), "4,5,6,7,8,9,10,11,12");
	assert_string_equal(tu_q(f, "SELECT length(raw) FROM reject WHERE line = 11"), "86");
	/* markup and shell text are data; 1e999, "12 GiB", [GPU is lost] -> NULL + extra */
	assert_string_equal(tu_q(f, "SELECT name FROM gpu_sample WHERE line = 13"),
	                    "<script>alert(1)</script> $(touch pwned)");
	assert_string_equal(tu_q(f, "SELECT quote(utilization_gpu_percent) || ' ' || utilization_memory_percent "
	                         "|| ' ' || memory_used_mib || ' ' || quote(memory_total_mib) || ' ' || "
	                         "temperature_gpu_c || ' ' || quote(power_draw_w) FROM gpu_sample WHERE line = 13"),
	                    "NULL 0.0 4.94065645841247e-324 NULL 1000.0 NULL");
	assert_string_equal(tu_q(f, "SELECT extra FROM gpu_sample WHERE line = 13"),
	    "{\"utilization.gpu\":\"1e999 %\",\"memory.total\":\"12 GiB\",\"power.draw\":\"[GPU is lost]\"}");
	assert_string_equal(tu_q(f, "SELECT ts_us FROM gpu_sample WHERE line = 14"), "0");
	assert_string_equal(tu_q(f, "SELECT ts_us FROM gpu_sample WHERE line = 15"), "4133980799999000");
}

static void test_nvsmi_empty_header_only_wide(void **state)
{
	struct tu_fx *f = *state;
	tu_copy_file(FIX "nvidia-smi/nvidia_smi_empty.csv", in(f, "nvidia_smi_empty.csv"));
	tu_copy_file(FIX "nvidia-smi/nvidia_smi_onlyheader.csv", in(f, "nvidia_smi_onlyheader.csv"));
	/* thousands of columns: all but timestamp and index kept in extra */
	struct pk_buf b = PK_BUF_INIT;
	pk_buf_puts(&b, "timestamp, index");
	for (int i = 0; i < 3000; i++)
		pk_buf_printf(&b, ", custom.field%d", i);
	pk_buf_puts(&b, "\n2025/12/14 00:00:00.000, 0");
	for (int i = 0; i < 3000; i++)
		pk_buf_printf(&b, ", %d", i);
	pk_buf_puts(&b, "\n2025/12/14 00:01:00.000, 0, 1\n");
	tu_write(in(f, "nvidia_smi_wide.csv"), "wb", b.data, b.len);
	pk_buf_free(&b);
	struct pk_ingest_result res;
	assert_int_equal(ingest(f, &res), PK_PARTIAL);
	assert_int_equal(res.files_read, 3);
	assert_int_equal(res.counts.added, 1);
	assert_int_equal(res.counts.rejects, 1);
	pk_ingest_result_free(&res);
	tu_has_diag(f, "nvidia_smi_wide.csv:3: 3 fields, the header on line 1 has 3002");
	assert_int_equal(f->ndiags, 1);
	assert_string_equal(tu_q(f, "SELECT json_extract(extra, '$.\"custom.field2999\"') FROM gpu_sample"), "2999");
	assert_string_equal(tu_q(f, "SELECT profile FROM gpu_sample"), "wide");
}

static void test_nvsmi_unfinished_line(void **state)
{
	struct tu_fx *f = *state;
	tu_write_text(in(f, "nvsmi_live.log"), "wb",
	    "2025/07/01 14:00:00.000, 0, G, 1, 1, 1, 1, 1, 1, 1\n2025/07/01 14:01:00.000, 0, G, 2");
	struct pk_ingest_result res;
	assert_int_equal(ingest(f, &res), PK_OK);
	assert_int_equal(res.counts.added, 1);
	assert_int_equal(res.pending, 1);
	pk_ingest_result_free(&res);
	char path[256];
	snprintf(path, sizeof path, "%s/in/nvsmi_live.log", f->dir);
	FILE *fp = fopen(path, "a");
	assert_non_null(fp);
	fputs(", 2, 2, 2, 2, 2, 2\n", fp);
	fclose(fp);
	assert_int_equal(ingest(f, &res), PK_OK);
	assert_int_equal(res.counts.added, 1);
	assert_int_equal(res.pending, 0);
	pk_ingest_result_free(&res);
	assert_string_equal(tu_q(f, "SELECT profile || ' ' || utilization_gpu_percent FROM gpu_sample WHERE line = 2"),
	                    "live 2.0");
}

/* ---- F10 sadf -j ---- */

static void test_sadf_sample(void **state)
{
	struct tu_fx *f = *state;
	tu_copy_file(FIX "sadf/sadf-sample.json", in(f, "sa21.json"));
	struct pk_ingest_result res;
	assert_int_equal(ingest(f, &res), PK_OK);
	assert_int_equal(res.counts.added, 28 + 28 + 112);
	assert_int_equal(res.counts.rejects, 0);
	pk_ingest_result_free(&res);
	assert_string_equal(tu_q(f, "SELECT format FROM source_file"), "sadf_json");
	assert_string_equal(tu_q(f, "SELECT count(*) || ' ' || min(ts_us) || ' ' || max(ts_us) FROM sys_sample"),
	                    "28 1795254313000000 1795254367000000");
	assert_string_equal(tu_q(f, "SELECT profile || ' ' || line || ' ' || interval_s || ' ' || cpu_user || ' ' || "
	                         "cpu_nice || ' ' || cpu_system || ' ' || cpu_iowait || ' ' || cpu_steal || ' ' || "
	                         "cpu_idle FROM sys_sample ORDER BY ts_us LIMIT 1"),
	                    "lab-node-1 14 2.0 0.25 0.0 0.75 0.0 0.0 98.99");
	assert_string_equal(tu_q(f, "SELECT mem_free_kb || ' ' || mem_avail_kb || ' ' || mem_used_kb || ' ' || "
	                         "mem_used_percent || ' ' || mem_buffers_kb || ' ' || mem_cached_kb || ' ' || "
	                         "mem_commit_percent || ' ' || runq_sz || ' ' || plist_sz || ' ' || ldavg_1 || ' ' || "
	                         "ldavg_5 || ' ' || ldavg_15 || ' ' || blocked FROM sys_sample ORDER BY ts_us LIMIT 1"),
	                    "23720180.0 24215128.0 148608.0 0.6 6252.0 634740.0 0.19 0.0 79.0 0.44 0.29 0.13 0.0");
	assert_string_equal(tu_q(f, "SELECT json_extract(extra, '$.host.sysname') || ' ' || "
	                         "json_extract(extra, '$.\"memory.dirty\"') FROM sys_sample ORDER BY ts_us LIMIT 1"),
	                    "Linux 31052");
	assert_string_equal(tu_q(f, "SELECT device || ' ' || tps || ' ' || rkb_s || ' ' || wkb_s || ' ' || await_ms "
	                         "|| ' ' || util_percent || ' ' || json_extract(extra, '$.areq-sz') FROM sys_disk "
	                         "ORDER BY ts_us LIMIT 1 OFFSET 1"), "vda 282.0 4436.0 6.0 3.94 1.4 15.79");
	assert_string_equal(tu_q(f, "SELECT group_concat(iface) FROM (SELECT iface FROM sys_net "
	                         "WHERE ts_us = 1795254313000000 ORDER BY line)"),
	                    "lo,ifb0,ifb1,eth0");
	assert_string_equal(tu_q(f, "SELECT count(*) FROM sys_sample WHERE NOT json_valid(extra)"), "0");
	/* changed: read again whole, rows dedupe */
	char path[256];
	snprintf(path, sizeof path, "%s/in/sa21.json", f->dir);
	FILE *fp = fopen(path, "a");
	fputs("\n", fp);
	fclose(fp);
	assert_int_equal(ingest(f, &res), PK_OK);
	assert_int_equal(res.counts.added, 0);
	assert_int_equal(res.counts.duplicates, 168);
	pk_ingest_result_free(&res);
}

/* One statistic of the generated documents. */
static void one_stat(struct pk_buf *b, const char *date, const char *time, int utc, double user)
{
	pk_buf_printf(b,
	    "{\"timestamp\": {\"date\": \"%s\", \"time\": \"%s\", \"utc\": %d, \"interval\": 60},\n"
	    " \"cpu-load\": [{\"cpu\": \"all\", \"usr\": %g, \"sys\": 1, \"irq\": 0.5, \"idle\": 90},\n"
	    "  {\"cpu\": \"0\", \"usr\": 1}],\n"
	    " \"memory\": {\"memfree\": 1e999, \"avail\": -0, \"swpfree\": 7},\n"
	    " \"paging\": {\"pgpgin\": 1.5, \"deep\": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]},\n"
	    " \"disk\": [{\"disk-device\": \"sda\", \"tps\": 1, \"rd_sec\": 10, \"wr_sec\": 4},\n"
	    "  {\"tps\": 2}],\n"
	    " \"network\": {\"net-dev\": [{\"iface\": \"eth0\", \"rxkB\": 3}], \"net-edev\": [{\"iface\": \"eth0\"}]}}",
	    date, time, utc, user);
}

static void test_sadf_sections_and_zones(void **state)
{
	struct tu_fx *f = *state;
	struct pk_buf b = PK_BUF_INIT;
	pk_buf_puts(&b, "{\"sysstat\": {\"hosts\": [{\"nodename\": \"h1\", \"timezone\": \"Europe/Berlin\",\n"
	                "\"statistics\": [\n");
	one_stat(&b, "2025-07-01", "12:00:00", 1, 5);
	pk_buf_puts(&b, ",\n");
	one_stat(&b, "2025-07-01", "12:00:00", 0, 6);   /* local Berlin: 10:00 UTC */
	pk_buf_puts(&b, "\n]},\n{\"nodename\": \"h2\", \"timezone\": \"+0530\", \"statistics\": [\n");
	one_stat(&b, "2025-07-01", "12:00:00", 0, 7);
	pk_buf_puts(&b, "\n]},\n{\"nodename\": \"h3\", \"timezone\": \"CEST\", \"statistics\": [\n");
	one_stat(&b, "2025-07-01", "12:00:00", 0, 8);   /* unknown zone, no --tz */
	pk_buf_puts(&b, "\n]}]}}\n");
	tu_write(in(f, "day.json"), "wb", b.data, b.len);
	pk_buf_free(&b);
	struct pk_ingest_result res;
	assert_int_equal(ingest(f, &res), PK_PARTIAL);
	assert_int_equal(res.counts.rejects, 3 + 1);   /* 3 disks without a name, h3's statistic */
	pk_ingest_result_free(&res);
	assert_string_equal(tu_q(f, "SELECT group_concat(profile || ' ' || ts_us || ' ' || cpu_usr, '; ') "
	                         "FROM (SELECT * FROM sys_sample ORDER BY line)"),
	                    "h1 1751371200000000 5.0; h1 1751364000000000 6.0; h2 1751351400000000 7.0");
	tu_has_diag(f, "day.json:31: local time (utc 0) in 'CEST', an abbreviation that does not say the "
	            "zone's summer time: give --tz with the zone's IANA name, or run sadf without -t/-T");
	tu_has_diag(f, "day.json:9: disk entry without disk-device");
	/* usr/sys (-u ALL's meaning) are not user/system (-u's: with guest,
	 * irq and softirq); irq of "all" has its column; per-CPU entries, swap
	 * and paging to extra */
	assert_string_equal(tu_q(f, "SELECT cpu_sys || ' ' || cpu_irq || ' ' || cpu_idle || ' ' || "
	                         "quote(cpu_user) || ' ' || quote(cpu_system) || ' ' || "
	                         "quote(mem_free_kb) || ' ' || mem_avail_kb "
	                         "FROM sys_sample WHERE cpu_usr = 5"), "1.0 0.5 90.0 NULL NULL NULL 0.0");
	assert_string_equal(tu_q(f, "SELECT json_extract(extra, '$.\"cpu-load\"[0].cpu') || ' ' || "
	                         "json_extract(extra, '$.\"memory.swpfree\"') || ' ' || "
	                         "json_extract(extra, '$.paging.pgpgin') || ' ' || "
	                         "json_extract(extra, '$.\"network.net-edev\"[0].iface') || ' ' || "
	                         "json_extract(extra, '$.host.timezone') FROM sys_sample WHERE cpu_usr = 5"),
	                    "0 7 1.5 eth0 Europe/Berlin");
	assert_string_equal(tu_q(f, "SELECT instr(extra, '\"memory.memfree\":1e999') > 0 FROM sys_sample WHERE cpu_usr = 5"), "1");
	/* rd_sec/wr_sec (512-byte sectors) stand in for rkB/wkB */
	assert_string_equal(tu_q(f, "SELECT device || ' ' || rkb_s || ' ' || wkb_s || ' ' || extra FROM sys_disk WHERE ts_us = 1751371200000000"),
	                    "sda 5.0 2.0 {\"rd_sec\":10,\"wr_sec\":4}");
	assert_string_equal(tu_q(f, "SELECT count(*) FROM sys_net"), "3");

	/* --tz wins over every host's timezone field: h3's abbreviation and h2's
	 * +0530 alike are read in that zone (h1's Berlin summer time is +02:00) */
	opts.tz = "+02:00";
	char path[256];
	snprintf(path, sizeof path, "%s/in/day.json", f->dir);
	FILE *fp = fopen(path, "a");
	fputs(" ", fp);
	fclose(fp);
	assert_int_equal(ingest(f, &res), PK_PARTIAL);
	assert_int_equal(res.counts.added, 2 * 3);   /* h2 at its new instant, h3: sample, disk, net */
	pk_ingest_result_free(&res);
	assert_string_equal(tu_q(f, "SELECT ts_us FROM sys_sample WHERE profile = 'h3'"), "1751364000000000");
	assert_string_equal(tu_q(f, "SELECT group_concat(ts_us) FROM (SELECT ts_us FROM sys_sample "
	                         "WHERE profile = 'h2' ORDER BY ts_us)"),
	                    "1751351400000000,1751364000000000");
}

static void test_sadf_streams_over_chunks(void **state)
{
	struct tu_fx *f = *state;
	struct pk_buf b = PK_BUF_INIT;
	pk_buf_puts(&b, "{\"sysstat\": {\"hosts\": [{\"nodename\": \"big\", \"statistics\": [\n");
	int n = 5000;   /* about 3 MiB: statistics cross the 1 MiB chunks */
	for (int i = 0; i < n; i++) {
		char t[16];
		snprintf(t, sizeof t, "%02d:%02d:%02d", i / 3600, i / 60 % 60, i % 60);
		if (i)
			pk_buf_puts(&b, ",\n");
		one_stat(&b, "2025-07-01", t, 1, i);
	}
	pk_buf_puts(&b, "]}]}}");
	tu_write(in(f, "big.json"), "wb", b.data, b.len);
	pk_buf_free(&b);
	struct pk_ingest_result res;
	assert_int_equal(ingest(f, &res), PK_PARTIAL);
	assert_int_equal(res.counts.rejects, n);
	pk_ingest_result_free(&res);
	assert_string_equal(tu_q(f, "SELECT count(*) || ' ' || sum(json_valid(extra)) || ' ' || sum(cpu_usr) FROM sys_sample"),
	                    "5000 5000 12497500.0");
	assert_string_equal(tu_q(f, "SELECT count(*) FROM sys_sample WHERE json_extract(extra, '$.paging.deep[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]') = 1"),
	                    "5000");
	assert_string_equal(tu_q(f, "SELECT count(*) FROM sys_disk"), "5000");
	assert_string_equal(tu_q(f, "SELECT count(*) FROM reject WHERE CAST(raw AS TEXT) = '{\"tps\": 2}'"), "5000");
	/* the line of each statistic */
	assert_string_equal(tu_q(f, "SELECT line FROM sys_sample WHERE cpu_usr = 4999"), "39994");
}

static void test_sadf_hostile(void **state)
{
	struct tu_fx *f = *state;
	struct pk_buf b = PK_BUF_INIT;
	/* BOM, CRLF, then one defect a line */
	pk_buf_puts(&b, "\xef\xbb\xbf{\"sysstat\": {\"hosts\": [\r\n"
	    "{\"nodename\": \"ok\", \"statistics\": [\r\n");
	one_stat(&b, "2025-07-01", "12:00:00", 1, 1);                                         /* 3-9 */
	pk_buf_puts(&b, ",\r\n{\"timestamp\": {\"date\": \"2025-02-29\", \"time\": \"12:00:00\", \"utc\": 1}},\r\n"   /* 9 */
	    "{\"timestamp\": {\"date\": \"2025-07-01\", \"time\": \"12:01:00\", \"utc\": 1}, \"memory\": {\"x\": \"a\xff\"}},\r\n" /* 10 */
	    "{\"timestamp\": \"now\"},\r\n"                                                    /* 11 */
	    "{\"memory\": {\"memfree\": 1}},\r\n"                                              /* 12 */
	    "{\"timestamp\": {\"date\": \"2025-07-01\", \"time\": \"12:02:00\", \"utc\": 2}},\r\n"  /* 13 */
	    "5,\r\n[1, 2],\r\nnull,\r\n"                                                       /* 14-16 */
	    "{\"timestamp\": {\"date\": \"2025-07-01\", \"time\": \"12:03:00\", \"utc\": 1}, "
	    "\"disk\": [{\"disk-device\": \"sd\\u0000a\", \"tps\": 1}], "
	    "\"network\": {\"net-dev\": [{\"iface\": \"\\\"; DROP TABLE sys_net; --\", \"rxpck\": 1}]}}\r\n"  /* 17 */
	    "]},\r\n"
	    "{\"nodename\": \"nulls\", \"statistics\": null},\r\n"                             /* 19 */
	    "{\"nodename\": \"object\", \"statistics\": {\"a\": 1}},\r\n"                      /* 20 */
	    "{\"statistics\": [{\"timestamp\": {\"date\": \"2025-07-01\", \"time\": \"12:00:00\"}}]},\r\n"  /* 21 */
	    "[1],\r\n"                                                                         /* 22 */
	    "{\"nodename\": \"tail\", \"statistics\": [\r\n");                                 /* 23 */
	one_stat(&b, "2025-07-01", "13:00:00", 1, 2);                                         /* 24-30 */
	pk_buf_puts(&b, ",\r\n{\"timestamp\": {\"date\": \"2025-07-01\", \"time\": \"13:01:00\", \"utc\": 1}, \"x\": [1, ");  /* 31: cut */
	tu_write(in(f, "hostile.json"), "wb", b.data, b.len);
	pk_buf_free(&b);
	struct pk_ingest_result res;
	assert_int_equal(ingest(f, &res), PK_PARTIAL);
	pk_ingest_result_free(&res);
	tu_has_diag(f, "hostile.json:9: disk entry without disk-device");
	tu_has_diag(f, "hostile.json:11: timestamp: impossible date");
	tu_has_diag(f, "hostile.json:12: invalid UTF-8 in a string");
	tu_has_diag(f, "hostile.json:13: timestamp is not an object");
	tu_has_diag(f, "hostile.json:14: statistic without timestamp date and time");
	tu_has_diag(f, "hostile.json:15: timestamp: utc is not 0 or 1");
	tu_has_diag(f, "hostile.json:16: a statistic is a number, expected an object");
	tu_has_diag(f, "hostile.json:17: a statistic is an array, expected an object");
	tu_has_diag(f, "hostile.json:18: a statistic is null, expected an object");
	tu_has_diag(f, "hostile.json:19: disk-device contains a NUL byte");
	tu_has_diag(f, "hostile.json:21: statistics is null, expected an array");
	tu_has_diag(f, "hostile.json:22: statistics is an object, expected an array");
	tu_has_diag(f, "hostile.json:23: no nodename before the statistics of this host");
	tu_has_diag(f, "hostile.json:24: a host is an array, expected an object");
	tu_has_diag(f, "hostile.json:32: disk entry without disk-device");
	tu_has_diag(f, "hostile.json:34: invalid JSON: premature EOF");
	assert_int_equal(f->ndiags, 16);
	/* everything else kept */
	assert_string_equal(tu_q(f, "SELECT group_concat(profile || ':' || line) FROM sys_sample"), "ok:3,ok:19,tail:26");
	assert_string_equal(tu_q(f, "SELECT iface FROM sys_net WHERE profile = 'ok' AND line = 19"), "\"; DROP TABLE sys_net; --");
	assert_string_equal(tu_q(f, "SELECT count(*) FROM sys_disk"), "2");
	assert_string_equal(tu_q(f, "SELECT count(*) FROM reject"), "16");
	/* the cut statistic is the raw text of its reject */
	assert_string_equal(tu_q(f, "SELECT substr(raw, 1, 14) FROM reject WHERE line = 34"), "{\"timestamp\": ");
}

static void test_sadf_wrong_documents(void **state)
{
	struct tu_fx *f = *state;
	opts.format = "sadf_json";
	tu_write_text(in(f, "a_empty.json"), "wb", "");
	tu_write_text(in(f, "b_array.json"), "wb", "[{\"sysstat\": {}}]");
	tu_write_text(in(f, "c_other.json"), "wb", "{\"other\": {\"hosts\": []}}");
	tu_write_text(in(f, "d_sysstat_array.json"), "wb", "{\"sysstat\": []}");
	tu_write_text(in(f, "e_hosts_object.json"), "wb", "{\"sysstat\": {\"hosts\": {}}}");
	tu_write_text(in(f, "f_binary.json"), "wb", "\x01\x02\xff\xfe");
	tu_write_text(in(f, "g_no_hosts.json"), "wb", "{\"sysstat\": {\"hosts\": []}}");
	struct pk_ingest_result res;
	assert_int_equal(ingest(f, &res), PK_PARTIAL);
	assert_int_equal(res.counts.rejects, 6);
	assert_int_equal(res.counts.added, 0);
	pk_ingest_result_free(&res);
	tu_has_diag(f, "a_empty.json:1: empty document: expected the JSON of sadf -j");
	tu_has_diag(f, "b_array.json:1: expected a JSON object with a sysstat member, got an array");
	tu_has_diag(f, "c_other.json:1: no sysstat object in the document");
	tu_has_diag(f, "d_sysstat_array.json:1: sysstat is an array, expected an object");
	tu_has_diag(f, "e_hosts_object.json:1: sysstat.hosts is an object, expected an array");
	tu_has_diag(f, "f_binary.json:1: invalid JSON: lexical error: invalid char in json text");
	/* not claimed without --format: skipped, not guessed */
	opts.format = NULL;
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -f %s/t.db*", f->dir);
	pk_db_close(&f->db);
	assert_int_equal(system(cmd), 0);
	struct pk_buf err = PK_BUF_INIT;
	assert_int_equal(pk_db_open(f->db_path, PK_DB_READWRITE, &f->db, &err), PK_OK);
	pk_buf_free(&err);
	assert_int_equal(ingest(f, &res), PK_PARTIAL);
	assert_int_equal(res.files_read, 3);   /* d_, e_ and g_: their first member is sysstat */
	assert_int_equal(res.files_skipped, 4);
	assert_int_equal(res.counts.rejects, 2);
	pk_ingest_result_free(&res);
}


/* One host's statistic at 2025-07-01 12:00:00 UTC: cpu is the cpu-load
 * "all" entry's members, then a disk and the extra section. */
static void put_doc(struct tu_fx *f, const char *name, const char *cpu, const char *more)
{
	struct pk_buf b = PK_BUF_INIT;
	pk_buf_printf(&b, "{\"sysstat\": {\"hosts\": [{\"nodename\": \"m\", \"statistics\": [\n"
	              "{\"timestamp\": {\"date\": \"2025-07-01\", \"time\": \"12:00:00\", \"utc\": 1},\n"
	              " \"cpu-load\": [{\"cpu\": \"all\", %s}]%s}],\n"
	              "\"restarts\": [{\"boot\": {\"date\": \"2025-07-01\", \"time\": \"11:00:00\", "
	              "\"utc\": 1, \"cpu_count\": 4}}],\n"
	              "\"comments\": [{\"comment\": {\"date\": \"2025-07-01\", \"time\": \"11:30:00\", "
	              "\"utc\": 1, \"com\": \"<b>x</b>; DROP TABLE sys_sample\"}}]}]}}\n", cpu, more);
	tu_write(in(f, name), "wb", b.data, b.len);
	pk_buf_free(&b);
}

/* -u then -u ALL of one recording: one row with both meanings, the disk and
 * the extra members the second adds; equal values again are duplicates;
 * another value is a conflict (the stored row unchanged); restarts and
 * comments stored once. */
static void test_sadf_exports_merge(void **state)
{
	struct tu_fx *f = *state;
	put_doc(f, "u.json", "\"user\": 10, \"nice\": 1, \"system\": 6, \"idle\": 83", "");
	struct pk_ingest_result res;
	assert_int_equal(ingest(f, &res), PK_OK);
	assert_int_equal(res.counts.added, 3);
	pk_ingest_result_free(&res);
	put_doc(f, "all.json", "\"usr\": 9, \"nice\": 0.5, \"sys\": 4, \"irq\": 1.5, \"soft\": 0.5, "
	        "\"guest\": 1, \"gnice\": 0.5, \"idle\": 83",
	        ", \"memory\": {\"memfree\": 100}, \"paging\": {\"pgpgin\": 2}, "
	        "\"disk\": [{\"disk-device\": \"sda\", \"tps\": 3}]");
	assert_int_equal(ingest(f, &res), PK_OK);
	assert_int_equal(res.counts.added, 1);          /* the disk */
	assert_int_equal(res.counts.completed, 1);      /* the sample */
	assert_int_equal(res.counts.duplicates, 3);     /* it, restart, comment */
	assert_int_equal(res.counts.conflicting, 0);
	pk_ingest_result_free(&res);
	assert_string_equal(tu_q(f, "SELECT cpu_user || ' ' || cpu_nice || ' ' || cpu_system || ' ' || "
	                         "cpu_usr || ' ' || cpu_nice_noguest || ' ' || cpu_sys || ' ' || cpu_irq || ' ' || "
	                         "cpu_soft || ' ' || cpu_guest || ' ' || cpu_gnice || ' ' || cpu_idle || ' ' || "
	                         "mem_free_kb || ' ' || json_extract(extra, '$.paging.pgpgin') || ' ' || "
	                         "json_extract(extra, '$.host.nodename') || ' ' || line FROM sys_sample"),
	                    "10.0 1.0 6.0 9.0 0.5 4.0 1.5 0.5 1.0 0.5 83.0 100.0 2 m 2");
	assert_string_equal(tu_q(f, "SELECT count(*) FROM record_merge WHERE kind = 'conflicting'"), "0");
	/* a third export, equal where both have values: a duplicate */
	put_doc(f, "u2.json", "\"user\": 10, \"idle\": 83", "");
	assert_int_equal(ingest(f, &res), PK_OK);
	assert_int_equal(res.counts.duplicates, 3);
	assert_int_equal(res.counts.completed + res.counts.conflicting, 0);
	pk_ingest_result_free(&res);
	/* other values: a conflict, warned of and recorded, the stored values
	 * kept; a field the stored record lacked (steal) is filled, field by
	 * field as for every table (core/store_merge.c) */
	put_doc(f, "u3.json", "\"user\": 12, \"nice\": 1, \"system\": 6, \"steal\": 2, \"idle\": 81", "");
	assert_int_equal(ingest(f, &res), PK_OK);
	assert_int_equal(res.counts.conflicting, 1);
	assert_int_equal(res.counts.completed, 1);
	assert_int_equal(res.counts.warnings, 1);
	pk_ingest_result_free(&res);
	tu_has_diag(f, "u3.json:2: warning: a sys_sample record with the same identity is stored "
	            "already (");
	assert_string_equal(tu_q(f, "SELECT group_concat(kind || ' ' || column_name || ' ' || new_value || "
	                         "' (stored ' || coalesce(stored_value, 'none') || ') ' || line || ' ' || "
	                         "stored_line, ', ') FROM (SELECT * FROM record_merges WHERE source_path "
	                         "LIKE '%u3.json' ORDER BY kind, column_name)"),
	                    "completed cpu_steal 2.0 (stored none) 2 2, conflicting cpu_idle 81.0 (stored 83.0) 2 2, "
	                    "conflicting cpu_user 12.0 (stored 10.0) 2 2");
	assert_string_equal(tu_q(f, "SELECT cpu_user || ' ' || quote(cpu_steal) FROM sys_sample"), "10.0 2.0");
	assert_string_equal(tu_q(f, "SELECT count(*) || ' ' || cpu_count || ' ' || ts_us FROM sys_restart"),
	                    "1 4 1751367600000000");
	assert_string_equal(tu_q(f, "SELECT count(*) || ' ' || comment FROM sys_comment"),
	                    "1 <b>x</b>; DROP TABLE sys_sample");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tz),
		cmocka_unit_test_setup_teardown(test_nvsmi_units_and_repeated_header, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_nvsmi_noheader_and_tz, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_nvsmi_bad_tz_fails_file, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_nvsmi_extra_and_profiles, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_nvsmi_hostile, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_nvsmi_empty_header_only_wide, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_nvsmi_unfinished_line, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_sadf_sample, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_sadf_sections_and_zones, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_sadf_streams_over_chunks, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_sadf_hostile, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_sadf_wrong_documents, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_sadf_exports_merge, setup, tu_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
