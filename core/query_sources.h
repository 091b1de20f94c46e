/* query_sources.h - what the database holds, for perfanalyze --list: every
 * kind of source (hardware profiles, aliases, agent runs, wake-word
 * sessions, experiments, sessions, benchmarks, generic sources, nvidia-smi
 * GPUs, sysstat hosts, the profile registry) with its counts and time
 * ranges.  Read-only queries; each kind is a small table of typed values
 * described by struct pk_source_kind, so writers need no per-kind code. */
#ifndef PK_QUERY_SOURCES_H
#define PK_QUERY_SOURCES_H

#include <stddef.h>
#include <stdint.h>
#include "db.h"
#include "query.h"

enum pk_source_ftype {
	PK_SF_TEXT,     /* a name from the data (may be any text) */
	PK_SF_INT,      /* a count or an index */
	PK_SF_BOOL,     /* 0 or 1 */
	PK_SF_TIME      /* UTC microseconds */
};

struct pk_source_field {
	const char *name;          /* JSON key and CSV/text column */
	enum pk_source_ftype type;
};

/* The kinds, in output order.  The hardware profiles (F1) are not among
 * them: they come as struct pk_profile_info, as pk_query_profiles gives. */
enum pk_source_kind_id {
	PK_SRC_ALIASES,            /* profile_alias */
	PK_SRC_AGENT_MODELS,       /* agent_run by model_id */
	PK_SRC_WAKE_SESSIONS,      /* wake_event by session_id */
	PK_SRC_EXPERIMENTS,        /* experiment */
	PK_SRC_SESSIONS,           /* session */
	PK_SRC_BENCHMARKS,         /* bench_result by suite and name */
	PK_SRC_GENERIC,            /* generic_metric / generic_chunk by source */
	PK_SRC_GPUS,               /* gpu_sample by profile and gpu_index */
	PK_SRC_SYSSTAT,            /* sys_sample by profile */
	PK_SRC_REGISTRY,           /* registry_profile */
	PK_SRC_DETECTED,           /* detected_system */
	PK_SRC_REGISTRY_VERSIONS,  /* registry_version */
	PK_SRC_NKINDS
};

#define PK_SOURCE_MAX_FIELDS 8

struct pk_source_kind {
	const char *key;           /* JSON key: "wake_word_sessions" */
	const char *title;         /* heading for people: "wake-word sessions" */
	const struct pk_source_field *fields;
	size_t nfields;
};

extern const struct pk_source_kind pk_source_kinds[PK_SRC_NKINDS];

struct pk_source_value {
	int present;               /* 0: NULL in the database (missing) */
	int64_t i;                 /* INT, BOOL, TIME */
	char *s;                   /* TEXT: owned, NUL-terminated, n bytes */
	size_t n;
};

struct pk_source_table {
	size_t nrows;
	struct pk_source_value *v; /* nrows x kind's nfields, row-major */
};

struct pk_sources {
	struct pk_profile_info *hw;   /* hardware profiles, by name */
	size_t nhw;
	struct pk_source_table t[PK_SRC_NKINDS];
};

/* Reads every kind.  The caller frees out with pk_sources_free. */
enum pk_status pk_query_sources(struct pk_db *db, struct pk_sources *out);
void pk_sources_free(struct pk_sources *s);

/* Field f of row r of kind k. */
static inline const struct pk_source_value *
pk_source_at(const struct pk_sources *s, enum pk_source_kind_id k, size_t r, size_t f)
{
	return &s->t[k].v[r * pk_source_kinds[k].nfields + f];
}

#endif
