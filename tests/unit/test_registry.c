/* test_registry.c - unit tests of the F2 profile registry reader (rows of
 * every table, versions kept, detection, each hostile fixture's reason with
 * nothing else lost) and of the source listing (pk_query_sources and its
 * writers) over rows of every kind inserted with SQL. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze/write_sources.h"
#include "core/db.h"
#include "core/store.h"
#include "core/hash.h"
#include "core/query_sources.h"
#include "ingest/pipeline/ingest.h"
#include "ingest/pipeline/reader.h"
#include "tests/unit/testutil.h"

#define FIX "../fixtures/registry/"

static int setup(void **state)
{
	if (tu_setup(state, "registry") != 0)
		return -1;
	struct tu_fx *f = *state;
	snprintf(f->file, sizeof f->file, "%s/hardware_profiles.json", f->dir);
	return 0;
}

/* Ingests one path; returns the status. */
static enum pk_status ingest(struct tu_fx *f, const char *path)
{
	struct pk_ingest_result res;
	enum pk_status rc = tu_ingest(f, path, (struct pk_ingest_opts){ 0 }, &res);
	pk_ingest_result_free(&res);
	return rc;
}

static void copy_file(const char *from, const char *to, const char *old, const char *new)
{
	FILE *in = fopen(from, "rb");
	assert_non_null(in);
	char buf[16384];
	size_t n = fread(buf, 1, sizeof buf - 1, in);
	fclose(in);
	buf[n] = '\0';
	FILE *out = fopen(to, "wb");
	assert_non_null(out);
	char *p = old ? strstr(buf, old) : NULL;
	if (p) {
		fwrite(buf, 1, (size_t)(p - buf), out);
		fputs(new, out);
		fputs(p + strlen(old), out);
	} else {
		fwrite(buf, 1, n, out);
	}
	fclose(out);
}

static void test_real_example(void **state)
{
	struct tu_fx *f = *state;
	assert_int_equal(ingest(f, FIX "hardware_profiles.json"), PK_OK);
	assert_string_equal(tu_q(f, "SELECT count(*) FROM reject"), "0");
	assert_string_equal(tu_q(f, "SELECT group_concat(name || ':' || line, ' ') FROM (SELECT * FROM "
	    "registry_profile ORDER BY name)"),
	    "desktop_home_target:73 desktop_m965jsc_entry:3 ideal_bloomos_target:141");
	assert_string_equal(tu_q(f, "SELECT gpu_name || '|' || gpu_memory_gb || '|' || gpu_compute_capability"
	    " || '|' || gpu_tier || '|' || cpu_cores_physical || '|' || cpu_cores_logical || '|' ||"
	    " memory_total_gb || '|' || form_factor || '|' || active || '|' || json_array_length(limitations)"
	    " || '|' || json_extract(optimizations, '$.llm.quantization') FROM registry_profile"
	    " WHERE name = 'desktop_m965jsc_entry'"),
	    "GeForce MX150|4.0|6.1|entry_level_mobile|4|8|16.0|laptop_thin_light|1|4|Q4_K_M");
	/* missing is NULL: no cpu model, form factor, limitations in the ideal profile */
	assert_string_equal(tu_q(f, "SELECT coalesce(cpu_model, 'N') || coalesce(form_factor, 'N') || "
	    "coalesce(limitations, 'N') || coalesce(extra, 'N') || active FROM registry_profile "
	    "WHERE name = 'ideal_bloomos_target'"), "NNNN0");
	assert_string_equal(tu_q(f, "SELECT count(*) FROM registry_target"), "11");
	assert_string_equal(tu_q(f, "SELECT group_concat(metric || '=' || bound_key || ':' || bound, ' ') FROM "
	    "(SELECT * FROM registry_target WHERE profile = 'desktop_m965jsc_entry' ORDER BY line)"),
	    "whisper_latency_ms=acceptable_max:3000.0 llm_inference_tokens_per_sec=acceptable_min:5.0 "
	    "concurrent_agents=acceptable_max:2.0 vram_utilization_percent=critical_threshold:90.0");
	/* targets without a bound (real: the ideal profile) are kept, bound missing */
	assert_string_equal(tu_q(f, "SELECT count(*) FROM registry_target WHERE bound_key IS NULL AND "
	    "bound IS NULL AND target IS NOT NULL"), "3");
	assert_string_equal(tu_q(f, "SELECT group_concat(tier || ':' || llm_max_params_b || ':' || "
	    "concurrent_agents, ' ') FROM registry_tier"),
	    "cpu_only:1.0:1 entry_level_mobile:3.0:1 mid_range:7.0:2 high_end:13.0:4 enterprise:30.0:8");
	assert_string_equal(tu_q(f, "SELECT name || '|' || created_us || '|' || hostname || '|' || "
	    "gpu_available || '|' || gpu_memory_total_mb || '|' || coalesce(gpu_power_limit_watts, 'N') "
	    "|| '|' || coalesce(cpu_min_frequency_mhz, 'N') || '|' || cpu_logical_cores || '|' || "
	    "memory_total_gb || '|' || coalesce(extra, 'N') FROM detected_system"),
	    "desktop_m965jsc|1765672941374523|DESKTOP-M965JSC|1|4096.0|N|N|8|15.9|N");
	/* the version: FNV-1a 64 of the document, as 16 hex digits */
	FILE *fp = fopen(FIX "hardware_profiles.json", "rb");
	assert_non_null(fp);
	char doc[16384];
	size_t n = fread(doc, 1, sizeof doc, fp);
	fclose(fp);
	char sha[17];
	snprintf(sha, sizeof sha, "%016llx", (unsigned long long)pk_fnv1a(PK_FNV_INIT, doc, n));
	char want[64];
	snprintf(want, sizeof want, "%s|%zu", sha, n);
	assert_string_equal(tu_q(f, "SELECT sha || '|' || length(document) FROM registry_version"), want);
}

/* A changed registry replaces its rows and keeps each version; a profile
 * gone from the newer file stays (its text is in the older version). */
static void test_versions(void **state)
{
	struct tu_fx *f = *state;
	copy_file(FIX "hardware_profiles.json", f->file, NULL, NULL);
	assert_int_equal(ingest(f, f->file), PK_OK);
	assert_int_equal(ingest(f, f->file), PK_OK);      /* unchanged: skipped */
	assert_string_equal(tu_q(f, "SELECT count(*) FROM registry_version"), "1");
	copy_file(FIX "hardware_profiles.json", f->file, "\"target\": 2000", "\"target\": 1800");
	assert_int_equal(ingest(f, f->file), PK_OK);
	assert_string_equal(tu_q(f, "SELECT target FROM registry_target WHERE profile = "
	    "'desktop_m965jsc_entry' AND metric = 'whisper_latency_ms'"), "1800.0");
	assert_string_equal(tu_q(f, "SELECT count(*) || ' ' || count(DISTINCT sha) FROM registry_version"), "2 2");
	assert_string_equal(tu_q(f, "SELECT count(*) FROM registry_target"), "11");
	copy_file(FIX "hardware_profiles.json", f->file, "\"ideal_bloomos_target\"", "\"renamed_target\"");
	assert_int_equal(ingest(f, f->file), PK_OK);
	assert_string_equal(tu_q(f, "SELECT count(*) FROM registry_profile"), "4");
	assert_string_equal(tu_q(f, "SELECT count(*) FROM registry_version"), "3");
	assert_string_equal(tu_q(f, "SELECT count(*) FROM registry_version WHERE instr(document, "
	    "'ideal_bloomos_target') > 0"), "2");
}

static void test_detect(void **state)
{
	(void)state;
	const char *obj = "{\"a\": 1}";
	const struct pk_reader *r = pk_reader_detect("hardware_profiles.json", obj, strlen(obj));
	assert_non_null(r);
	assert_string_equal(r->name, "registry_json");
	r = pk_reader_detect("hardware_profiles.backup.json", obj, strlen(obj));
	assert_string_equal(r->name, "registry_json");
	assert_null(pk_reader_detect("hardware_profiles.json", "", 0));     /* empty: skipped */
	const char *h1 = "  {\"comparison_matrix\": {}}";
	r = pk_reader_detect("x.json", h1, strlen(h1));
	assert_string_equal(r->name, "registry_json");
	const char *h2 = "{\"profiles\": {\"a\": {\"performance_targets\": {}}}}";
	r = pk_reader_detect("cfg.json", h2, strlen(h2));
	assert_string_equal(r->name, "registry_json");
	const char *h3 = "{\"profiles\": {}}";
	r = pk_reader_detect("cfg.json", h3, strlen(h3));
	assert_true(!r || strcmp(r->name, "registry_json") != 0);
	/* F1 files stay F1 */
	const char *h4 = "{\"timestamp\": \"2025-12-14T00:00:00Z\", \"cpu\": {}}";
	r = pk_reader_detect("hardware_profile_laptop.jsonl", h4, strlen(h4));
	assert_string_equal(r->name, "hw_jsonl");
}

/* Each broken document: its reason, and nothing else lost. */
static void test_hostile_documents(void **state)
{
	struct tu_fx *f = *state;
	static const struct { const char *file, *reject; } cases[] = {
		{ "hardware_profiles_utf8.json", "3:32 invalid JSON: lexical error: invalid bytes in UTF8 string" },
		{ "hardware_profiles_blank.json", "1:0 empty document: no JSON object" },
		{ "hardware_profiles_cut.json", "3:25 invalid JSON: lexical error: invalid string in json "
		  "text (the document is cut short)" },
		{ "hardware_profiles_top_array.json", "1:1 expected a JSON object (the registry), got an array" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char path[256];
		snprintf(path, sizeof path, FIX "%s", cases[i].file);
		assert_int_equal(ingest(f, path), PK_PARTIAL);
		char sql[512];
		snprintf(sql, sizeof sql, "SELECT r.line || ':' || coalesce(r.col, 0) || ' ' || r.reason "
		         "FROM reject r JOIN source_file s ON s.id = r.source_id WHERE s.path LIKE '%%/%s'",
		         cases[i].file);
		assert_string_equal(tu_q(f, sql), cases[i].reject);
	}
	/* nothing stored from a broken document, not even a version */
	assert_string_equal(tu_q(f, "SELECT count(*) FROM registry_version"), "0");
	assert_string_equal(tu_q(f, "SELECT count(*) FROM registry_profile"), "0");
	/* an empty file is skipped, not read */
	assert_int_equal(ingest(f, FIX "hardware_profiles_empty.json"), PK_OK);
	assert_string_equal(tu_q(f, "SELECT count(*) FROM source_file WHERE path LIKE '%empty.json'"), "0");
}

static void test_bom_nan_deep(void **state)
{
	struct tu_fx *f = *state;
	assert_int_equal(ingest(f, FIX "hardware_profiles_bom.json"), PK_OK);
	assert_string_equal(tu_q(f, "SELECT name || ':' || line || ':' || active FROM registry_profile"),
	                    "bom_crlf:3:1");
	assert_string_equal(tu_q(f, "SELECT substr(document, 1, 1) FROM registry_version"), "{");
	assert_int_equal(ingest(f, FIX "hardware_profiles_nan.json"), PK_OK);
	assert_string_equal(tu_q(f, "SELECT coalesce(gpu_memory_gb, 'N') || coalesce(memory_total_gb, 'N') "
	    "|| active FROM registry_profile WHERE name = 'nan'"), "NN1");
	assert_string_equal(tu_q(f, "SELECT instr(document, 'NaN') > 0 FROM registry_version "
	    "WHERE instr(document, '\"nan\"') > 0"), "1");
	assert_int_equal(ingest(f, FIX "hardware_profiles_deep.json"), PK_PARTIAL);
	assert_string_equal(tu_q(f, "SELECT line || ':' || col || ' ' || reason FROM reject"),
	    "3:13 profiles.deep: JSON nested deeper than 64 levels (at 3:92)");
	assert_string_equal(tu_q(f, "SELECT (json_extract(optimizations, '$.a.a.a') IS NOT NULL) || active "
	    "FROM registry_profile WHERE name = 'fine'"), "11");
	assert_string_equal(tu_q(f, "SELECT count(*) FROM registry_profile WHERE name = 'deep'"), "0");
}

/* A document with NaN (accepted) cut short: the fault is where it ends,
 * not at the NaN, and its column counts the bytes as written. */
static void test_nan_cut_short(void **state)
{
	struct tu_fx *f = *state;
	const char *doc = "{\n  \"profiles\": {\"p\": {\"x\": [NaN, -Infinity], \"active\": true}";
	tu_write(f->file, "wb", doc, strlen(doc));
	assert_int_equal(ingest(f, f->file), PK_PARTIAL);
	assert_string_equal(tu_q(f, "SELECT line || ':' || col || ' ' || reason FROM reject"),
	    "2:60 invalid JSON: premature EOF (the document is cut short)");
	assert_string_equal(tu_q(f, "SELECT count(*) FROM registry_version"), "0");
}

static void test_wrong_shapes(void **state)
{
	struct tu_fx *f = *state;
	assert_int_equal(ingest(f, FIX "wrong-shapes.json"), PK_PARTIAL);
	assert_string_equal(tu_q(f, "SELECT group_concat(line || ':' || col || ' ' || reason, '\n') FROM "
	    "(SELECT * FROM reject ORDER BY line)"),
	    "3:45 profiles.null_targets.performance_targets: expected an object, got null; "
	    "the profile is stored without targets\n"
	    "7:23 profiles.mixed.performance_targets.not_object: expected an object, got a number\n"
	    "12:9 profiles.: name is empty\n"
	    "13:22 profiles.ctl\001name: name contains control characters\n"
	    "16:100 comparison_matrix.tiers.bad: expected an object, got null");
	/* everything else is stored */
	assert_string_equal(tu_q(f, "SELECT group_concat(name, ' ') FROM (SELECT name FROM registry_profile "
	    "ORDER BY name)"), "<b>x</b>\"; DROP TABLE registry_profile; -- mixed null_targets");
	assert_string_equal(tu_q(f, "SELECT active FROM registry_profile WHERE name = 'null_targets'"), "1");
	assert_string_equal(tu_q(f, "SELECT extra FROM registry_profile WHERE name = 'mixed'"),
	    "{\"hardware\":\"none\",\"limitations\":\"none\",\"future.key\":[1, {\"a\": 2}]}");
	assert_string_equal(tu_q(f, "SELECT description || '|' || coalesce(gpu_memory_gb, 'N') || '|' || "
	    "gpu_name || '|' || coalesce(cpu_cores_physical, 'N') || '|' || extra FROM registry_profile "
	    "WHERE name LIKE '<b>%'"),
	    "<script>alert(1)</script> `rm -rf /`|N|-0|N|{\"hardware.gpu.memory_gb\":1e999,"
	    "\"hardware.cpu.cores_physical\":4.5}");
	assert_string_equal(tu_q(f, "SELECT group_concat(metric || ':' || coalesce(target, 'N') || ':' || "
	    "coalesce(bound_key, 'N') || ':' || coalesce(bound, 'N') || ':' || coalesce(extra, 'N'), ' ') "
	    "FROM registry_target"),
	    "no_bound:1.0:N:N:N two_bounds:N:acceptable_max:2.0:{\"target\":\"fast\",\"critical_threshold\":3}");
	assert_string_equal(tu_q(f, "SELECT group_concat(tier || ':' || llm_max_params_b, ' ') FROM registry_tier"),
	                    "good:0.0");
	assert_string_equal(tu_q(f, "SELECT count(*) FROM detected_system"), "0");
	assert_string_equal(tu_q(f, "SELECT count(*) FROM registry_version"), "1");
	/* profiles of the wrong shape: rejected, the tiers still read */
	assert_int_equal(ingest(f, FIX "profiles-array.json"), PK_PARTIAL);
	assert_non_null(strstr(f->diags.data, "profiles-array.json:1:14: profiles: expected an object, got an array"));
	assert_string_equal(tu_q(f, "SELECT count(*) FROM registry_tier WHERE tier = 'ok_tier'"), "1");
}

static const char rows_sql[] =
	"INSERT INTO profile_alias VALUES ('desktop_m965jsc', 'desktop_m965jsc_entry');"
	"INSERT INTO agent_run (ts_us, run_dir, model_id, source_id, line) VALUES "
	" (1765670400000000, 'r1', 'llama3', 1, 1), (1765674000000000, 'r2', NULL, 1, 2);"
	"INSERT INTO wake_event (ts_us, session_id, word, variant, source_id, line) VALUES "
	" (1765670400000000, 's1', 'hey', '', 1, 1), (1765670460000000, 's1', 'hey', 'x', 1, 2);"
	"INSERT INTO experiment (experiment_id, name, start_us, end_us, source_id, line) VALUES "
	" ('exp1', 'base', 1765670400000000, NULL, 1, 1);"
	"INSERT INTO experiment_cycle (experiment_id, cycle_number, source_id, line) VALUES ('exp1', 1, 1, 1);"
	"INSERT INTO session (session_id, export_us, source_id, line) VALUES ('sess', NULL, 1, 1);"
	"INSERT INTO bench_result (suite, run_us, host, name, source_id, line) VALUES "
	" ('hf', 1, '', 'a,\"b\"', 1, 1), ('hf', 2, 'h', 'a,\"b\"', 1, 1);"
	"INSERT INTO generic_record (source, ts_us, record, source_id, line) VALUES "
	" ('frames', 5, '{\"ts\":5,\"fps\":30}', 1, 1), ('frames', 6, '{\"ts\":6,\"ms\":null}', 1, 1);"
	"INSERT INTO generic_metric (source, metric) VALUES ('frames', 'fps'), ('frames', 'ms');"
	"INSERT INTO gpu_sample (profile, ts_us, gpu_index, name, source_id, line) VALUES "
	" ('h', 7, 1, 'GPU', 1, 1);"
	"INSERT INTO sys_sample (profile, ts_us, source_id, line) VALUES (CAST(X'6800ff' AS TEXT), 8, 1, 1);";

static void test_list_sources(void **state)
{
	struct tu_fx *f = *state;
	struct pk_sources s;
	struct pk_buf out = PK_BUF_INIT;
	/* an empty database: every kind present in JSON, as an empty array */
	assert_int_equal(pk_query_sources(f->db, &s), PK_OK);
	assert_int_equal(pk_write_sources(&out, PK_FMT_JSON, &s), PK_OK);
	assert_string_equal(out.data, "{\"schema\":1,\"profiles\":[],\"hardware_profiles\":[],"
	    "\"aliases\":[],\"agent_runs\":{\"runs\":0,\"first\":null,\"last\":null,\"by_model\":[]},"
	    "\"wake_word_sessions\":[],\"experiments\":[],\"sessions\":[],\"benchmarks\":[],"
	    "\"generic_sources\":[],\"nvidia_smi_gpus\":[],\"sysstat_hosts\":[],\"registry_profiles\":[],"
	    "\"detected_systems\":[],\"registry_versions\":[]}\n");
	pk_sources_free(&s);
	pk_buf_reset(&out);
	assert_int_equal(pk_write_sources(&out, PK_FMT_CSV, &s), PK_OK);
	assert_string_equal(out.data, "profile,samples,first,last\n");

	assert_int_equal(ingest(f, FIX "hardware_profiles.json"), PK_OK);
	tu_exec(f->db_path, rows_sql);
	/* rows written by SQL reach the columnar copy when perfingest repairs it */
	int64_t days = 0;
	assert_int_equal(pk_db_begin(f->db), PK_OK);
	assert_int_equal(pk_store_generic_repair(f->db, &days), PK_OK);
	assert_int_equal(pk_db_commit(f->db), PK_OK);
	assert_int_equal(pk_query_sources(f->db, &s), PK_OK);
	assert_int_equal(s.t[PK_SRC_AGENT_MODELS].nrows, 2);
	assert_int_equal(s.t[PK_SRC_REGISTRY].nrows, 3);
	assert_int_equal(pk_source_at(&s, PK_SRC_GENERIC, 0, 1)->i, 2);     /* records */
	assert_int_equal(pk_source_at(&s, PK_SRC_GENERIC, 0, 2)->i, 2);     /* metrics */
	assert_int_equal(pk_source_at(&s, PK_SRC_GENERIC, 0, 3)->i, 1);     /* values: ms is null */
	assert_int_equal(pk_source_at(&s, PK_SRC_BENCHMARKS, 0, 2)->i, 2);  /* runs */
	assert_int_equal(pk_source_at(&s, PK_SRC_SYSSTAT, 0, 0)->n, 3);     /* NUL kept */
	pk_buf_reset(&out);
	assert_int_equal(pk_write_sources(&out, PK_FMT_JSON, &s), PK_OK);
	assert_non_null(strstr(out.data, "\"agent_runs\":{\"runs\":2,\"first\":\"2025-12-14T00:00:00Z\","
	    "\"last\":\"2025-12-14T01:00:00Z\",\"by_model\":[{\"model_id\":null,"));
	assert_non_null(strstr(out.data, "{\"name\":\"desktop_m965jsc_entry\",\"active\":true,"
	    "\"gpu\":\"GeForce MX150\",\"tier\":\"entry_level_mobile\",\"targets\":4,"
	    "\"aliases\":[\"desktop_m965jsc\"]}"));
	assert_non_null(strstr(out.data, "\"experiments\":[{\"experiment_id\":\"exp1\",\"name\":\"base\","
	    "\"cycles\":1,\"start\":\"2025-12-14T00:00:00Z\",\"end\":null}]"));
	assert_non_null(strstr(out.data, "\"sysstat_hosts\":[{\"profile\":\"h\\\\x00\\\\xff\","));
	pk_buf_reset(&out);
	assert_int_equal(pk_write_sources(&out, PK_FMT_CSV, &s), PK_OK);
	assert_non_null(strstr(out.data, "\n\nkind,suite,name,runs,first,last\n"
	    "benchmarks,hf,\"a,\"\"b\"\"\",2,1970-01-01T00:00:00.000001Z,1970-01-01T00:00:00.000002Z\n"));
	pk_buf_reset(&out);
	assert_int_equal(pk_write_sources(&out, PK_FMT_TEXT, &s), PK_OK);
	assert_non_null(strstr(out.data, "sysstat hosts\nprofile    samples  first                        last"
	    "                         restarts  comments\n"
	    "h\\x00\\xff        1  1970-01-01T00:00:00.000008Z  1970-01-01T00:00:00.000008Z"
	    "         0         0\n"));
	assert_null(strstr(out.data, "hardware profiles"));     /* no samples: omitted */
	pk_sources_free(&s);
	pk_buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_real_example, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_versions, setup, tu_teardown),
		cmocka_unit_test(test_detect),
		cmocka_unit_test_setup_teardown(test_hostile_documents, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_bom_nan_deep, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_nan_cut_short, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_wrong_shapes, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_list_sources, setup, tu_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
