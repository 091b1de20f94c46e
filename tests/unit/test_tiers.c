/* test_tiers.c - analyze/tiers.c against numpy/scipy reference values
 * (../fixtures/tiers/reference.txt, from make_reference.py), the small
 * helpers (classification rule, tier naming rule, size rounding), and
 * pk_tiers_for over a database built with SQL (aliases linking detected,
 * configured and sampled names; machines known only from nvidia-smi and
 * sysstat rows, their facts read from those rows), and the sysstat RAM total
 * against a real export's MemTotal.
 *
 * Tolerance: |got - expected| <= 1e-9 |expected| + 1e-12; an expected "nan"
 * requires a NAN. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze/tiers.h"
#include "core/db.h"
#include "core/metrics.h"
#include "testutil.h"

#define REFERENCE "../fixtures/tiers/reference.txt"
#define MAXP 8

static int failures;

static void near(const char *what, const char *c, double got, double exp)
{
	int ok = isnan(exp) ? isnan(got)
	                    : !isnan(got) && fabs(got - exp) <= 1e-9 * fabs(exp) + 1e-12;
	if (!ok) {
		fprintf(stderr, "%s %s: got %.17g, expected %.17g\n", c, what, got, exp);
		failures++;
	}
}

static void same_int(const char *what, const char *c, long long got, long long exp)
{
	if (got != exp) {
		fprintf(stderr, "%s %s: got %lld, expected %lld\n", c, what, got, exp);
		failures++;
	}
}

static void same_str(const char *what, const char *c, const char *got, const char *exp)
{
	if (!strcmp(exp, "-") ? got != NULL : (!got || strcmp(got, exp))) {
		fprintf(stderr, "%s %s: got %s, expected %s\n", c, what, got ? got : "(null)", exp);
		failures++;
	}
}

static char *opt_str(const char *s)
{
	if (!strcmp(s, "-"))
		return NULL;
	char *d = strdup(s);
	assert_non_null(d);
	return d;
}

struct input {
	char *name;
	struct pk_hw_series s;
	struct pk_tier_facts f;
};

/* P|name|ts|lat|vused|vfree|rused|ravail|facts|reg_tier|metric|target,bound|bound_key */
static void parse_p(char **f, size_t nf, struct input *in)
{
	assert_int_equal(nf, 13);
	static const char *const metric[6] = { NULL, "inference_timing.wake_word_latency_ms.mean",
		"gpu.memory_used_mb", "gpu.memory_free_mb", "memory.used_gb", "memory.available_gb" };
	size_t n, k;
	double *ts = tu_nums(f[2], &n);
	in->name = strdup(f[1]);
	in->s = (struct pk_hw_series){ .n = n, .cap = n };
	in->s.ts_us = malloc(n * sizeof *in->s.ts_us);
	in->s.v = calloc(pk_hw_nmetrics, sizeof *in->s.v);
	assert_non_null(in->s.ts_us);
	assert_non_null(in->s.v);
	for (size_t i = 0; i < n; i++)
		in->s.ts_us[i] = (int64_t)ts[i];
	free(ts);
	for (size_t m = 0; m < pk_hw_nmetrics; m++) {
		in->s.v[m] = malloc(n * sizeof(double));
		assert_non_null(in->s.v[m]);
		for (size_t i = 0; i < n; i++)
			in->s.v[m][i] = NAN;
	}
	for (int c = 1; c <= 5; c++) {
		size_t idx = 0;
		assert_non_null(pk_hw_metric_find(metric[c], &idx));
		double *x = tu_nums(f[2 + c], &k);
		assert_int_equal(k, n);
		memcpy(in->s.v[idx], x, n * sizeof *x);
		free(x);
	}
	double *fa = tu_nums(f[8], &k);
	assert_int_equal(k, 5);
	double *tb = tu_nums(f[11], &k);
	assert_int_equal(k, 2);
	in->f = (struct pk_tier_facts){
		.det_gpu_memory_mb = fa[0], .det_memory_total_gb = fa[1],
		.det_gpu_available = (int)fa[2], .reg_gpu_memory_gb = fa[3],
		.reg_memory_total_gb = fa[4], .reg_gpu_tier = opt_str(f[9]),
		.lat_metric = opt_str(f[10]), .lat_target = tb[0], .lat_bound = tb[1],
		.lat_bound_key = opt_str(f[12]),
	};
	if (in->f.lat_metric)
		in->f.lat_profile = strdup(in->name);
	free(fa);
	free(tb);
}

static struct pk_registry_tier *real_tiers(size_t *n)
{
	static const char *const names[] = { "cpu_only", "enterprise", "entry_level_mobile",
	                                     "high_end", "mid_range" };
	*n = 5;
	struct pk_registry_tier *t = calloc(5, sizeof *t);
	assert_non_null(t);
	for (size_t i = 0; i < 5; i++) {
		t[i].tier = strdup(names[i]);
		t[i].llm_max_params_b = NAN;
		t[i].concurrent_agents = -1;
	}
	return t;
}

static int tri_of(const char *s)
{
	return (int)strtol(s, NULL, 10);
}

/* E|name|caps|srcs|lat|vram|ram against profile p. */
static void check_e(char **f, size_t nf, const struct pk_tiers *t, const struct pk_tier_profile *p,
                    const char *c)
{
	assert_int_equal(nf, 7);
	same_str("name", c, p->profile, f[1]);
	size_t k;
	double *caps = tu_nums(f[2], &k);
	near("gpu_mb", c, p->gpu_mb, caps[0]);
	same_int("gpu_n", c, (long long)p->gpu_n, (long long)caps[1]);
	near("ram_gb", c, p->ram_gb, caps[2]);
	same_int("ram_n", c, (long long)p->ram_n, (long long)caps[3]);
	free(caps);
	char *s[5];
	assert_int_equal(tu_split(f[3], ',', s, 5), 5);
	same_str("gpu_source", c, p->gpu_source, s[0]);
	same_str("ram_source", c, p->ram_source, s[1]);
	same_str("class", c, pk_tier_class_str(p->cls), s[2]);
	same_str("tier", c, p->tier >= 0 ? t->tiers[p->tier].tier : NULL, s[3]);
	same_int("configured_agrees", c, p->configured_agrees, tri_of(s[4]));
	double *l = tu_nums(f[4], &k);
	assert_int_equal(k, 10);
	near("lat_p95_lo", c, p->lat_p95_lo, l[8]);
	near("lat_p95_hi", c, p->lat_p95_hi, l[9]);
	same_int("lat_n", c, (long long)p->lat_n, (long long)l[0]);
	near("lat_mean", c, p->lat_mean, l[1]);
	near("lat_p95", c, p->lat_p95, l[2]);
	near("lat_r1", c, p->lat_r1, l[3]);
	near("lat_n_eff", c, p->lat_n_eff, l[4]);
	near("acceptable", c, p->acceptable, l[5]);
	same_int("meets_acceptable", c, p->meets_acceptable, (long long)l[6]);
	same_int("meets_target", c, p->meets_target, (long long)l[7]);
	free(l);
	const struct pk_tier_use *u[2] = { &p->vram, &p->ram };
	for (int j = 0; j < 2; j++) {
		double *v = tu_nums(f[5 + j], &k);
		assert_int_equal(k, 6);
		same_int(j ? "ram n" : "vram n", c, (long long)u[j]->n, (long long)v[0]);
		near(j ? "ram p99" : "vram p99", c, u[j]->p99, v[1]);
		near(j ? "ram share" : "vram share", c, u[j]->share, v[2]);
		same_int(j ? "ram ok" : "vram ok", c, u[j]->ok, (long long)v[3]);
		near(j ? "ram headroom" : "vram headroom", c, u[j]->with_headroom_gb, v[4]);
		near(j ? "ram required" : "vram required", c, u[j]->required_gb, v[5]);
		free(v);
	}
}

static const char *name_at(const struct pk_tiers *t, long i)
{
	return i >= 0 ? t->p[i].profile : NULL;
}

/* X|level|profile|rule,value,limit,unknown: one of the profile's failures,
 * in the order pk_tier_failures gives them. */
static void check_failure(char **f, size_t nf, const struct pk_tiers *t, const char *c,
                          size_t *nx)
{
	assert_int_equal(nf, 4);
	long level = strtol(f[1], NULL, 10);
	size_t i = 0;
	while (i < t->nprofiles && strcmp(t->p[i].profile, f[2]))
		i++;
	assert_true(i < t->nprofiles);
	struct pk_tier_failure got[PK_TIER_MAX_FAILURES];
	size_t ng = pk_tier_failures(t, i, (enum pk_tier_level)level, got);
	/* which of this profile's failures: count the X lines seen for it */
	static char last[64];
	static long last_level = -1;
	static size_t k;
	if (strcmp(last, f[2]) || last_level != level) {
		snprintf(last, sizeof last, "%s", f[2]);
		last_level = level;
		k = 0;
	}
	size_t nv;
	double *v = tu_nums(f[3], &nv);
	assert_int_equal(nv, 4);
	char what[96];
	snprintf(what, sizeof what, "failure %ld %s #%zu", level, f[2], k);
	if (k >= ng) {
		fprintf(stderr, "%s %s: missing\n", c, what);
		failures++;
	} else {
		same_int(what, c, got[k].rule, (long long)v[0]);
		near(what, c, got[k].value, v[1]);
		near(what, c, got[k].limit, v[2]);
		same_int(what, c, got[k].unknown, (long long)v[3]);
	}
	free(v);
	k++;
	(*nx)++;
}

static size_t count_failures(const struct pk_tiers *t)
{
	size_t n = 0;
	for (int level = 0; level < 3; level++)
		for (size_t i = 0; i < t->nprofiles; i++) {
			struct pk_tier_failure f[PK_TIER_MAX_FAILURES];
			n += pk_tier_failures(t, i, (enum pk_tier_level)level, f);
		}
	return n;
}

static void test_reference(void **state)
{
	(void)state;
	FILE *fp = fopen(REFERENCE, "r");
	assert_non_null(fp);
	char *line = NULL;
	size_t cap = 0, np = 0, ne = 0, ns = 0, nx = 0, cases = 0;
	struct input in[MAXP];
	struct pk_tiers t = { 0 };
	char cname[64] = "";
	while (getline(&line, &cap, fp) > 0) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || !line[0])
			continue;
		char *f[16];
		size_t nf = tu_split(line, '|', f, 16);
		if (!strcmp(f[0], "C")) {
			snprintf(cname, sizeof cname, "%s", f[1]);
			np = ne = ns = 0;
			cases++;
		} else if (!strcmp(f[0], "P")) {
			assert_true(np < MAXP);
			parse_p(f, nf, &in[np++]);
		} else if (!strcmp(f[0], "E")) {
			if (ne == 0) {
				struct pk_tier_input ti[MAXP];
				for (size_t i = 0; i < np; i++)
					ti[i] = (struct pk_tier_input){ in[i].name, { in[i].s.ts_us[0],
						in[i].s.ts_us[in[i].s.n - 1] }, &in[i].s, &in[i].f };
				size_t nt;
				struct pk_registry_tier *rt = real_tiers(&nt);
				assert_int_equal(pk_tiers_compute(ti, np, rt, nt, &t), PK_OK);
				assert_int_equal(t.nprofiles, np);
			}
			check_e(f, nf, &t, &t.p[ne++], cname);
		} else if (!strcmp(f[0], "S")) {
			assert_true(ns < t.nsteps);
			const struct pk_tier_step *s = &t.steps[ns++];
			same_str("step from", cname, t.p[s->from].profile, f[1]);
			same_str("step to", cname, t.p[s->to].profile, f[2]);
			size_t k;
			double *v = tu_nums(f[3], &k);
			assert_int_equal(k, 7);
			near("diff", cname, s->diff, v[0]);
			near("n_eff_from", cname, s->n_eff_from, v[1]);
			near("n_eff_to", cname, s->n_eff_to, v[2]);
			near("welch_p", cname, s->welch_p, v[3]);
			near("welch_p_adjusted", cname, s->welch_p_adjusted, v[4]);
			near("mannwhitney_p", cname, s->mannwhitney_p, v[5]);
			same_int("better", cname, s->better, (long long)v[6]);
			free(v);
		} else if (!strcmp(f[0], "R")) {
			same_int("steps", cname, (long long)t.nsteps, (long long)ns);
			same_str("minimum", cname, name_at(&t, t.minimum), f[1]);
			same_str("recommended", cname, name_at(&t, t.recommended), f[2]);
			same_str("optimal", cname, name_at(&t, t.optimal), f[3]);
			same_int("plateau", cname, t.optimal_plateau, tri_of(f[4]));
			assert_int_equal(nf, 7);
			same_str("optimal_next", cname, name_at(&t, t.optimal_next), f[5]);
			size_t k;
			double *op = tu_nums(f[6], &k);
			near("optimal_p", cname, t.optimal_p, op[0]);
			free(op);
			/* monotonic by construction */
			if (t.recommended >= 0)
				assert_true(t.minimum >= 0 && t.minimum <= t.recommended);
			if (t.optimal >= 0)
				assert_true(t.recommended >= 0 && t.recommended <= t.optimal);
		} else if (!strcmp(f[0], "X")) {
			check_failure(f, nf, &t, cname, &nx);
		} else if (!strcmp(f[0], "END")) {
			same_int("failures", cname, (long long)count_failures(&t), (long long)nx);
			nx = 0;
			pk_tiers_free(&t);
			for (size_t i = 0; i < np; i++) {
				free(in[i].name);
				pk_hw_series_free(&in[i].s);
				pk_tier_facts_free(&in[i].f);
			}
			np = 0;
		}
	}
	free(line);
	fclose(fp);
	assert_int_equal(cases, 5);
	assert_int_equal(failures, 0);
}

static void test_helpers(void **state)
{
	struct pk_buf tx = PK_BUF_INIT;
	struct pk_tier_failure vf = { PK_TIER_RULE_VRAM, 0, 0.9027, 0.9, 0 };
	assert_int_equal(pk_tier_failure_text(&vf, &tx), PK_OK);
	assert_string_equal(tx.data, "p99 VRAM use 90.27 % of capacity against a limit of 90 % "
	                    "(0.27 points over)");
	pk_buf_reset(&tx);
	struct pk_tier_failure lf = { PK_TIER_RULE_TARGET, 0, 677.31, 500, 100 };
	assert_int_equal(pk_tier_failure_text(&lf, &tx), PK_OK);
	assert_string_equal(tx.data, "p95 latency 677.3 ms against a target of 500 ms "
	                    "(177.3 ms, 35.5 % over)");
	pk_buf_free(&tx);
	(void)state;
	/* the sampler's rule at its edges; the MX150 laptop (4096 MB, 15.9 GB)
	 * is entry_level although its GPU passes the mid_range bound */
	assert_int_equal(pk_tier_classify(8000, 24, 1), PK_TIER_HIGH_END);
	assert_int_equal(pk_tier_classify(7999, 64, 1), PK_TIER_MID_RANGE);
	assert_int_equal(pk_tier_classify(4096, 15.9, 1), PK_TIER_ENTRY_LEVEL);
	assert_int_equal(pk_tier_classify(4000, 16, 1), PK_TIER_MID_RANGE);
	assert_int_equal(pk_tier_classify(NAN, 64, 1), PK_TIER_ENTRY_LEVEL);
	assert_int_equal(pk_tier_classify(NAN, 64, 0), PK_TIER_CPU_ONLY);
	assert_int_equal(pk_tier_classify(2048, 7.9, 1), PK_TIER_CPU_ONLY);
	assert_int_equal(pk_tier_classify(16384, NAN, 1), PK_TIER_CPU_ONLY);
	assert_true(pk_tier_name_matches("entry_level_mobile", PK_TIER_ENTRY_LEVEL));
	assert_true(pk_tier_name_matches("entry_level", PK_TIER_ENTRY_LEVEL));
	assert_true(pk_tier_name_matches("high_end_desktop", PK_TIER_HIGH_END));
	assert_false(pk_tier_name_matches("entry_levelx", PK_TIER_ENTRY_LEVEL));
	assert_false(pk_tier_name_matches("enterprise_workstation", PK_TIER_HIGH_END));
	assert_false(pk_tier_name_matches(NULL, PK_TIER_HIGH_END));
	assert_true(pk_tier_round_size(0) == 2);
	assert_true(pk_tier_round_size(2) == 2);
	assert_true(pk_tier_round_size(2.0000001) == 4);
	assert_true(pk_tier_round_size(13) == 16);
	assert_true(pk_tier_round_size(100) == 128);
	assert_true(isnan(pk_tier_round_size(128.5)));
	assert_true(isnan(pk_tier_round_size(NAN)));
	/* no profiles: nothing chosen */
	struct pk_tiers t;
	assert_int_equal(pk_tiers_compute(NULL, 0, NULL, 0, &t), PK_OK);
	assert_true(t.minimum == -1 && t.recommended == -1 && t.optimal == -1);
	pk_tiers_free(&t);
}

/* A database: samples logged under the detected name "lap_det" (aliased
 * to the configured "lap_cfg"), a registry profile and target under the
 * configured name, the detected system under the detected name, and a
 * second profile "box" with samples only. */
static void test_database(void **state)
{
	(void)state;
	char dir[] = "/tmp/pk_test_tiers_XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[128];
	snprintf(path, sizeof path, "%s/t.db", dir);
	struct pk_db *db = NULL;
	struct pk_buf err = PK_BUF_INIT;
	assert_int_equal(pk_db_open(path, PK_DB_READWRITE, &db, &err), PK_OK);
	struct pk_tiers t;
	assert_int_equal(pk_tiers_for(db, 24, INT64_MIN, &t, &err), PK_NODATA);
	assert_non_null(strstr(err.data, "no hardware samples"));
	pk_db_close(&db);
	sqlite3 *s;
	assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s,
	    "INSERT INTO source_file (id, path, format, size, mtime_ns, head_hash, tail_hash, "
	    " read_offset, read_lines, first_read, last_read) VALUES "
	    " (1, '/l/a.jsonl', 'hw_jsonl', 1, 1, 1, 1, 1, 5, 1, 1);"
	    "INSERT INTO profile (id, name) VALUES (1, 'lap_det'), (2, 'box');"
	    "INSERT INTO profile_alias VALUES ('lap_det', 'lap_cfg');"
	    "INSERT INTO hw_sample (profile_id, ts_us, source_id, line, "
	    " inference_timing_wake_word_latency_ms_mean, gpu_memory_used_mb, memory_used_gb) VALUES "
	    " (1, 60000000, 1, 1, 2000, 3000, 10), (1, 120000000, 1, 2, 2100, 3100, 11),"
	    " (1, 180000000, 1, 3, 2200, 3200, 12), (2, 60000000, 1, 4, 500, NULL, 3),"
	    " (2, 120000000, 1, 5, 510, NULL, 3.5);"
	    "INSERT INTO registry_profile (name, gpu_memory_gb, memory_total_gb, gpu_tier, "
	    " source_id, line) VALUES ('lap_cfg', 4, 16, 'entry_level_mobile', 1, 1);"
	    "INSERT INTO registry_target (profile, metric, target, bound_key, bound, source_id, line)"
	    " VALUES ('lap_cfg', 'whisper_latency_ms', 2000, 'acceptable_max', 3000, 1, 1),"
	    " ('lap_cfg', 'vram_utilization_percent', 70, 'critical_threshold', 90, 1, 1);"
	    "INSERT INTO detected_system (name, gpu_available, gpu_memory_total_mb, memory_total_gb,"
	    " source_id, line) VALUES ('lap_det', 1, 4096, 15.9, 1, 1);"
	    "INSERT INTO registry_tier (tier, whisper_device, whisper_model, llm_device, "
	    " llm_max_params_b, concurrent_agents, source_id, line) VALUES "
	    " ('entry_level_mobile', 'cpu', 'small', 'cuda', 3, 1, 1, 1),"
	    " ('cpu_only', 'cpu', 'tiny', 'cpu', 1, 1, 1, 1);",
	    NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(s);
	assert_int_equal(pk_db_open(path, PK_DB_READONLY, &db, &err), PK_OK);
	assert_int_equal(pk_tiers_for(db, 24, INT64_MIN, &t, &err), PK_OK);
	assert_int_equal(t.nprofiles, 2);
	/* box: no GPU, RAM unknown -> first in capacity order, cpu_only */
	const struct pk_tier_profile *b = &t.p[0], *l = &t.p[1];
	assert_string_equal(b->profile, "box");
	assert_string_equal(b->gpu_source, "none");
	assert_string_equal(b->ram_source, "none");
	assert_int_equal(b->cls, PK_TIER_CPU_ONLY);
	assert_string_equal(t.tiers[b->tier].tier, "cpu_only");
	assert_int_equal(b->vram.ok, 1);    /* no GPU, no VRAM samples */
	assert_int_equal(b->ram.ok, -1);    /* capacity unknown */
	assert_string_equal(l->profile, "lap_cfg");
	assert_int_equal(l->samples, 3);
	assert_string_equal(l->det_name, "lap_det");
	assert_string_equal(l->reg_name, "lap_cfg");
	assert_string_equal(l->gpu_source, "detected_system");
	assert_true(l->gpu_mb == 4096 && l->ram_gb == 15.9);
	assert_int_equal(l->cls, PK_TIER_ENTRY_LEVEL);
	assert_string_equal(t.tiers[l->tier].tier, "entry_level_mobile");
	assert_string_equal(l->tier_match, "prefix");
	assert_int_equal(l->configured_agrees, 1);
	assert_string_equal(l->target_metric, "whisper_latency_ms");
	assert_string_equal(l->bound_key, "acceptable_max");
	assert_true(l->acceptable == 3000 && l->target == 2000);
	assert_true(fabs(l->lat_p95 - 2190) < 1e-9);
	assert_int_equal(l->meets_acceptable, 1);
	assert_int_equal(l->meets_target, 0);
	assert_int_equal(t.minimum, 1);
	assert_int_equal(t.recommended, -1);
	assert_int_equal(t.nsteps, 1);
	pk_tiers_free(&t);
	pk_buf_free(&err);
	pk_db_close(&db);
	char cmd[96];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* pk_sysstat_total_kb on the real sadf -A export of a Debian 12 VM
 * (tests/fixtures/sysstat-real/sadf-A.json, first statistic; its
 * /proc/meminfo said MemTotal 24683548 kB): sysstat 12's sum is exact; the
 * same machine as an older sysstat reports it (memused = total - memfree,
 * %memused 15.64) is read by the other sum. */
static void test_sysstat_total(void **state)
{
	(void)state;
	const char *rule = NULL;
	double t = pk_sysstat_total_kb(20824172, 439200, 23552, 3087748, 308876, 1.78, &rule);
	assert_true(t == 24683548);
	assert_string_equal(rule, "memfree + memused + buffers + cached + slab");
	t = pk_sysstat_total_kb(20824172, 439200, 23552, 3087748, NAN, 1.78, &rule);
	assert_true(t == 24683548 - 308876);   /* without -r ALL: slab missing */
	assert_non_null(strstr(rule, "no slab"));
	t = pk_sysstat_total_kb(20824172, 3859376, 23552, 3087748, NAN, 15.64, &rule);
	assert_true(t == 24683548);
	assert_non_null(strstr(rule, "older sysstat"));
	t = pk_sysstat_total_kb(20824172, 439200, 23552, 3087748, 308876, NAN, &rule);
	assert_true(t == 24683548);   /* no %memused: sysstat 12's sum */
	assert_true(isnan(pk_sysstat_total_kb(NAN, 439200, 23552, 3087748, 308876, 1.78, &rule)));
	assert_null(rule);
	assert_true(isnan(pk_sysstat_total_kb(0, 0, 0, 0, 0, NAN, NULL)));
}

/* Machines known from their logs only: "rig" with nvidia-smi rows of two
 * GPUs (the newest time's lowest index stands for it), "srv" with sysstat
 * rows only, "ws" an nvidia-smi log joined by --alias to the sysstat host
 * "ws-host", beside the F1 profile "f1" that has a detected_system row. */
static void test_log_machines(void **state)
{
	(void)state;
	char dir[] = "/tmp/pk_test_tiers_XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[128];
	snprintf(path, sizeof path, "%s/t.db", dir);
	struct pk_db *db = NULL;
	struct pk_buf err = PK_BUF_INIT;
	assert_int_equal(pk_db_open(path, PK_DB_READWRITE, &db, &err), PK_OK);
	pk_db_close(&db);
	sqlite3 *s;
	assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s,
	    "INSERT INTO source_file (id, path, format, size, mtime_ns, head_hash, tail_hash, "
	    " read_offset, read_lines, first_read, last_read) VALUES "
	    " (1, '/l/a', 'nvidia_smi', 1, 1, 1, 1, 1, 5, 1, 1);"
	    "INSERT INTO profile (id, name) VALUES (1, 'f1');"
	    "INSERT INTO hw_sample (profile_id, ts_us, source_id, line, "
	    " inference_timing_wake_word_latency_ms_mean) VALUES (1, 60000000, 1, 1, 900),"
	    " (1, 120000000, 1, 2, 950);"
	    "INSERT INTO detected_system (name, cpu_logical_cores, source_id, line) "
	    " VALUES ('f1', 8, 1, 1);"
	    "INSERT INTO gpu_sample (profile, ts_us, gpu_index, name, memory_used_mib, "
	    " memory_total_mib, source_id, line) VALUES"
	    " ('rig', 60000000, 0, 'Old name', 100, 20000, 1, 1),"
	    " ('rig', 120000000, 1, 'NVIDIA GeForce RTX 3060', 200, 12288, 1, 2),"
	    " ('rig', 120000000, 0, 'NVIDIA GeForce RTX 4090', 9000, 24564, 1, 3),"
	    " ('ws', 120000000, 0, 'NVIDIA GeForce RTX 4070', 7000, 12282, 1, 4);"
	    "INSERT INTO sys_sample (profile, ts_us, mem_free_kb, mem_used_kb, mem_buffers_kb, "
	    " mem_cached_kb, mem_used_percent, extra, source_id, line) VALUES"
	    " ('srv', 60000000, 1, 1, 1, 1, 50, '{\"host\":{\"number-of-cpus\":4}}', 1, 5),"
	    " ('srv', 120000000, 20824172, 439200, 23552, 3087748, 1.78,"
	    "  '{\"host\":{\"number-of-cpus\":2},\"memory.slab\":308876}', 1, 6),"
	    " ('ws-host', 120000000, 1048576, 1048576, 0, 0, 50,"
	    "  '{\"host\":{\"number-of-cpus\":\"twelve\"}}', 1, 7);"
	    "INSERT INTO profile_alias VALUES ('ws-host', 'ws');",
	    NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(s);
	assert_int_equal(pk_db_open(path, PK_DB_READONLY, &db, &err), PK_OK);
	char **names = NULL;
	size_t n = 0;
	assert_int_equal(pk_query_tier_profiles(db, &names, &n), PK_OK);
	assert_int_equal(n, 4);
	assert_string_equal(names[0], "f1");
	assert_string_equal(names[1], "rig");
	assert_string_equal(names[2], "srv");
	assert_string_equal(names[3], "ws");
	pk_tier_names_free(names, n);
	int64_t first = 0, last = 0;
	assert_int_equal(pk_query_log_range(db, &first, &last), PK_OK);
	assert_true(first == 60000000 && last == 120000000);
	struct pk_tiers t;
	assert_int_equal(pk_tiers_for(db, 24, INT64_MIN, &t, &err), PK_OK);
	assert_int_equal(t.nprofiles, 4);
	const struct pk_tier_profile *p[4] = { NULL };
	for (size_t i = 0; i < t.nprofiles; i++) {
		const char *nm = t.p[i].profile;
		p[!strcmp(nm, "f1") ? 0 : !strcmp(nm, "rig") ? 1 : !strcmp(nm, "srv") ? 2 : 3] = &t.p[i];
	}
	/* f1: no GPU fact, but the sampler would log one: no GPU */
	assert_int_equal(p[0]->has_gpu, 0);
	assert_int_equal(p[0]->gpu_unknown, 0);
	assert_int_equal(p[0]->vram.ok, 1);
	assert_string_equal(p[0]->cpu_threads_source, "detected");
	/* rig: the newest time's lowest index */
	assert_string_equal(p[1]->gpu_source, "nvidia-smi");
	assert_true(p[1]->gpu_mb == 24564);
	assert_string_equal(p[1]->gpu_name, "NVIDIA GeForce RTX 4090");
	assert_string_equal(p[1]->gpu_name_source, "nvidia-smi");
	assert_int_equal(p[1]->gpus, 2);
	assert_string_equal(p[1]->ram_source, "none");
	assert_true(isnan(p[1]->ram_gb) && isnan(p[1]->cpu_threads));
	assert_int_equal(p[1]->cls, PK_TIER_CPU_ONLY);
	assert_int_equal(pk_tier_class_open(p[1]), 1);
	assert_int_equal(p[1]->lat_n, 0);
	/* srv: RAM and CPUs from the newest sysstat row; GPU unknown */
	assert_string_equal(p[2]->ram_source, "sysstat");
	assert_true(fabs(p[2]->ram_gb - 24683548 / 1048576.0) < 1e-12);
	assert_string_equal(p[2]->ram_rule, "memfree + memused + buffers + cached + slab");
	assert_true(p[2]->cpu_threads == 2);
	assert_string_equal(p[2]->cpu_threads_source, "sysstat");
	assert_int_equal(p[2]->gpu_unknown, 1);
	assert_int_equal(p[2]->vram.ok, -1);
	assert_int_equal(pk_tier_class_open(p[2]), 1);
	/* ws: GPU from nvidia-smi, RAM from the aliased sysstat host; a
	 * number-of-cpus that is not a number is unknown */
	assert_true(p[3]->gpu_mb == 12282 && p[3]->ram_gb == 2);
	assert_string_equal(p[3]->ram_rule, "memfree + memused + buffers + cached (no slab in "
	                    "the export: a little under the total)");
	assert_true(isnan(p[3]->cpu_threads));
	assert_int_equal(p[3]->gpu_unknown, 0);
	/* only f1 has latency: the others are excluded for the lack of it */
	struct pk_tier_failure f[PK_TIER_MAX_FAILURES];
	size_t nf = pk_tier_failures(&t, (size_t)(p[3] - t.p), PK_TIER_MINIMUM, f);
	assert_int_equal(nf, 1);
	assert_int_equal(f[0].lat_n, 0);
	struct pk_buf tx = PK_BUF_INIT;
	assert_int_equal(pk_tier_failure_text(&f[0], &tx), PK_OK);
	assert_string_equal(tx.data, "no latency values in the window (its wake-word latency "
	                    "would place it)");
	pk_buf_free(&tx);
	pk_tiers_free(&t);
	pk_buf_free(&err);
	pk_db_close(&db);
	char cmd[96];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference),
		cmocka_unit_test(test_helpers),
		cmocka_unit_test(test_database),
		cmocka_unit_test(test_sysstat_total),
		cmocka_unit_test(test_log_machines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
