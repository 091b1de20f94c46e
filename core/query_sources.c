/* query_sources.c - the SQL behind query_sources.h: one read-only query per
 * kind of source, its columns in the order of the kind's fields. */
#include "query_sources.h"

#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "gpu_sys_chunks.h"

static const struct pk_source_field f_aliases[] = {
	{ "alias", PK_SF_TEXT }, { "profile", PK_SF_TEXT },
};
static const struct pk_source_field f_agent[] = {
	{ "model_id", PK_SF_TEXT }, { "runs", PK_SF_INT },
	{ "first", PK_SF_TIME }, { "last", PK_SF_TIME },
};
static const struct pk_source_field f_wake[] = {
	{ "session_id", PK_SF_TEXT }, { "events", PK_SF_INT },
	{ "first", PK_SF_TIME }, { "last", PK_SF_TIME },
};
static const struct pk_source_field f_experiments[] = {
	{ "experiment_id", PK_SF_TEXT }, { "name", PK_SF_TEXT }, { "cycles", PK_SF_INT },
	{ "start", PK_SF_TIME }, { "end", PK_SF_TIME },
};
static const struct pk_source_field f_sessions[] = {
	{ "session_id", PK_SF_TEXT }, { "exported", PK_SF_TIME }, { "samples", PK_SF_INT },
	{ "modules", PK_SF_INT }, { "first", PK_SF_TIME }, { "last", PK_SF_TIME },
};
static const struct pk_source_field f_bench[] = {
	{ "suite", PK_SF_TEXT }, { "name", PK_SF_TEXT }, { "runs", PK_SF_INT },
	{ "first", PK_SF_TIME }, { "last", PK_SF_TIME },
};
static const struct pk_source_field f_generic[] = {
	{ "source", PK_SF_TEXT }, { "records", PK_SF_INT }, { "metrics", PK_SF_INT },
	{ "values", PK_SF_INT }, { "first", PK_SF_TIME }, { "last", PK_SF_TIME },
};
static const struct pk_source_field f_gpus[] = {
	{ "profile", PK_SF_TEXT }, { "gpu_index", PK_SF_INT }, { "name", PK_SF_TEXT },
	{ "samples", PK_SF_INT }, { "first", PK_SF_TIME }, { "last", PK_SF_TIME },
};
static const struct pk_source_field f_sysstat[] = {
	{ "profile", PK_SF_TEXT }, { "samples", PK_SF_INT },
	{ "first", PK_SF_TIME }, { "last", PK_SF_TIME },
	{ "restarts", PK_SF_INT }, { "comments", PK_SF_INT },
};
static const struct pk_source_field f_registry[] = {
	{ "name", PK_SF_TEXT }, { "active", PK_SF_BOOL }, { "gpu", PK_SF_TEXT },
	{ "tier", PK_SF_TEXT }, { "targets", PK_SF_INT },
};
static const struct pk_source_field f_detected[] = {
	{ "name", PK_SF_TEXT }, { "hostname", PK_SF_TEXT }, { "gpu", PK_SF_TEXT },
	{ "created", PK_SF_TIME },
};
static const struct pk_source_field f_versions[] = {
	{ "sha", PK_SF_TEXT }, { "bytes", PK_SF_INT }, { "read", PK_SF_TIME },
};

#define KIND(key, title, f) { key, title, f, sizeof f / sizeof f[0] }

const struct pk_source_kind pk_source_kinds[PK_SRC_NKINDS] = {
	[PK_SRC_ALIASES] = KIND("aliases", "profile aliases (perfingest --alias)", f_aliases),
	[PK_SRC_AGENT_MODELS] = KIND("agent_runs", "agent runs by model", f_agent),
	[PK_SRC_WAKE_SESSIONS] = KIND("wake_word_sessions", "wake-word sessions", f_wake),
	[PK_SRC_EXPERIMENTS] = KIND("experiments", "LLM experiments", f_experiments),
	[PK_SRC_SESSIONS] = KIND("sessions", "app sessions", f_sessions),
	[PK_SRC_BENCHMARKS] = KIND("benchmarks", "benchmark series", f_bench),
	[PK_SRC_GENERIC] = KIND("generic_sources", "generic sources", f_generic),
	[PK_SRC_GPUS] = KIND("nvidia_smi_gpus", "nvidia-smi GPUs", f_gpus),
	[PK_SRC_SYSSTAT] = KIND("sysstat_hosts", "sysstat hosts", f_sysstat),
	[PK_SRC_REGISTRY] = KIND("registry_profiles", "registry profiles (hardware_profiles.json)", f_registry),
	[PK_SRC_DETECTED] = KIND("detected_systems", "detected systems (hardware_profiles.json)", f_detected),
	[PK_SRC_REGISTRY_VERSIONS] = KIND("registry_versions", "registry versions", f_versions),
};

/* SQL: the lowest GPU index of profile p's clean chunks (their day not
 * marked dirty) with the condition more, on the chunk key. */
#define CLEAN_GPU(p, more) \
	"SELECT min(c.gpu_index) FROM gpu_chunk c WHERE c.profile = " p more " AND NOT EXISTS " \
	"(SELECT 1 FROM gpu_chunk_dirty d WHERE d.profile = c.profile AND d.day = c.day)"

/* The query of each kind: its columns are the kind's fields, in order.
 * The nvidia-smi and sysstat kinds read no sample: their machines by index
 * look-ups (a skip scan of a key), counts from the chunks, ranges from the
 * two ends of the (profile, ts_us) key. */
static const char *const kind_sql[PK_SRC_NKINDS] = {
	[PK_SRC_ALIASES] = "SELECT alias, profile FROM profile_alias ORDER BY profile, alias",
	[PK_SRC_AGENT_MODELS] =
		"SELECT model_id, count(*), min(ts_us), max(ts_us) FROM agent_run "
		"GROUP BY model_id ORDER BY model_id",
	[PK_SRC_WAKE_SESSIONS] =
		"SELECT session_id, count(*), min(ts_us), max(ts_us) FROM wake_event "
		"GROUP BY session_id ORDER BY session_id",
	[PK_SRC_EXPERIMENTS] =
		"SELECT e.experiment_id, e.name, (SELECT count(*) FROM experiment_cycle c "
		"WHERE c.experiment_id = e.experiment_id), e.start_us, e.end_us "
		"FROM experiment e ORDER BY e.start_us, e.experiment_id",
	[PK_SRC_SESSIONS] =
		"SELECT s.session_id, s.export_us, "
		"(SELECT count(*) FROM session_sample x WHERE x.session_id = s.session_id), "
		"(SELECT count(*) FROM session_module m WHERE m.session_id = s.session_id), "
		"(SELECT min(ts_us) FROM session_sample x WHERE x.session_id = s.session_id), "
		"(SELECT max(ts_us) FROM session_sample x WHERE x.session_id = s.session_id) "
		"FROM session s ORDER BY s.session_id",
	[PK_SRC_BENCHMARKS] =
		"SELECT suite, name, count(*), min(run_us), max(run_us) FROM bench_result "
		"GROUP BY suite, name ORDER BY suite, name",
	[PK_SRC_GENERIC] =
		/* metrics from the registry, values from the columnar copy (an hour
		 * changed by other tools counts as of its last rebuild), times
		 * and record counts from the records */
		"SELECT m.source, (SELECT count(*) FROM generic_record r WHERE r.source = m.source), "
		"count(*), (SELECT coalesce(sum(n), 0) FROM generic_chunk c "
		"WHERE c.source = m.source), (SELECT min(ts_us) FROM generic_record r "
		"WHERE r.source = m.source), (SELECT max(ts_us) FROM generic_record r "
		"WHERE r.source = m.source) FROM generic_metric m GROUP BY m.source ORDER BY m.source",
	[PK_SRC_GPUS] =
		/* the profiles, then each one's GPUs: those of its clean chunks (a
		 * skip scan of the chunk key) and those in the rows of its dirty
		 * days; a GPU's name is its newest row's (+gpu_index keeps the
		 * time look-ups on the primary key) */
		"WITH RECURSIVE ps(p) AS (SELECT min(profile) FROM gpu_sample UNION ALL SELECT "
		"(SELECT min(profile) FROM gpu_sample WHERE profile > ps.p) FROM ps WHERE ps.p IS NOT NULL), "
		"k(p, g) AS (SELECT p, (" CLEAN_GPU("ps.p", "") ") FROM ps WHERE p IS NOT NULL "
		"UNION ALL SELECT p, (" CLEAN_GPU("k.p", " AND c.gpu_index > k.g") ") FROM k "
		"WHERE k.g IS NOT NULL), "
		"gpus(p, g) AS (SELECT p, g FROM k WHERE g IS NOT NULL UNION SELECT d.profile, "
		"s.gpu_index FROM gpu_chunk_dirty d CROSS JOIN gpu_sample s WHERE "
		"s.profile = d.profile AND " PK_DAY_ROWS("s", "d") ") "
		"SELECT p, g, (SELECT name FROM gpu_sample WHERE profile = gpus.p AND "
		"+gpu_index = gpus.g ORDER BY ts_us DESC LIMIT 1), "
		PK_GPU_KEY_TIMES("gpus.p", "gpus.g") " FROM gpus ORDER BY p, g",
	[PK_SRC_SYSSTAT] =
		"WITH RECURSIVE h(p) AS (SELECT min(profile) FROM sys_sample UNION ALL SELECT "
		"(SELECT min(profile) FROM sys_sample WHERE profile > h.p) FROM h WHERE h.p IS NOT NULL) "
		"SELECT p, " PK_SYS_KEY_TIMES("h.p") ", "
		"(SELECT count(*) FROM sys_restart r WHERE r.profile = h.p), "
		"(SELECT count(*) FROM sys_comment c WHERE c.profile = h.p) "
		"FROM h WHERE p IS NOT NULL ORDER BY p",
	[PK_SRC_REGISTRY] =
		"SELECT r.name, r.active, r.gpu_name, r.gpu_tier, (SELECT count(*) "
		"FROM registry_target t WHERE t.profile = r.name) FROM registry_profile r "
		"ORDER BY r.name",
	[PK_SRC_DETECTED] =
		"SELECT name, hostname, gpu_name, created_us FROM detected_system ORDER BY name",
	[PK_SRC_REGISTRY_VERSIONS] =
		"SELECT sha, length(CAST(document AS BLOB)), read_us FROM registry_version "
		"ORDER BY read_us, id",
};

static void table_free(struct pk_source_table *t, size_t nfields)
{
	for (size_t i = 0; i < t->nrows * nfields; i++)
		free(t->v[i].s);
	free(t->v);
	*t = (struct pk_source_table){ 0 };
}

/* Copies column c of the current row into *v as the field's type. */
static enum pk_status take(sqlite3_stmt *q, int c, enum pk_source_ftype type,
                           struct pk_source_value *v)
{
	*v = (struct pk_source_value){ 0 };
	if (sqlite3_column_type(q, c) == SQLITE_NULL)
		return PK_OK;
	v->present = 1;
	if (type != PK_SF_TEXT) {
		v->i = sqlite3_column_int64(q, c);
		return PK_OK;
	}
	/* text as stored, NUL bytes included (writers escape it) */
	const unsigned char *s = sqlite3_column_text(q, c);
	size_t n = (size_t)sqlite3_column_bytes(q, c);
	v->s = malloc(n + 1);
	if (!v->s || (!s && n))
		return PK_ERR_NOMEM;
	if (n)
		memcpy(v->s, s, n);
	v->s[n] = '\0';
	v->n = n;
	return PK_OK;
}

static enum pk_status query_kind(struct pk_db *db, enum pk_source_kind_id k,
                                 struct pk_source_table *t)
{
	const struct pk_source_kind *kind = &pk_source_kinds[k];
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db->sql, kind_sql[k], -1, &q, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	enum pk_status rc = PK_OK;
	size_t cap = 0;
	int r;
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		if (t->nrows == cap) {
			cap = cap ? cap * 2 : 8;
			struct pk_source_value *v = realloc(t->v, cap * kind->nfields * sizeof *v);
			if (!v) {
				rc = PK_ERR_NOMEM;
				break;
			}
			t->v = v;
		}
		struct pk_source_value *row = &t->v[t->nrows * kind->nfields];
		size_t f = 0;
		for (; f < kind->nfields && rc == PK_OK; f++)
			rc = take(q, (int)f, kind->fields[f].type, &row[f]);
		if (rc != PK_OK) {
			for (size_t i = 0; i < f; i++)
				free(row[i].s);
			break;
		}
		t->nrows++;
	}
	if (rc == PK_OK && r != SQLITE_DONE)
		rc = PK_ERR_DB;
	sqlite3_finalize(q);
	return rc;
}

enum pk_status pk_query_sources(struct pk_db *db, struct pk_sources *out)
{
	*out = (struct pk_sources){ 0 };
	enum pk_status rc = pk_query_profiles(db, &out->hw, &out->nhw);
	for (int k = 0; k < PK_SRC_NKINDS && rc == PK_OK; k++)
		rc = query_kind(db, (enum pk_source_kind_id)k, &out->t[k]);
	if (rc != PK_OK)
		pk_sources_free(out);
	return rc;
}

void pk_sources_free(struct pk_sources *s)
{
	pk_profile_infos_free(s->hw, s->nhw);
	for (int k = 0; k < PK_SRC_NKINDS; k++)
		table_free(&s->t[k], pk_source_kinds[k].nfields);
	*s = (struct pk_sources){ 0 };
}
