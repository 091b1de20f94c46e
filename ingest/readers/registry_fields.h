/* registry_fields.h - the F2 registry's tables and the fields of each row,
 * by path relative to the row (registry_fields.c), for read_registry_json.c. */
#ifndef PK_REGISTRY_FIELDS_H
#define PK_REGISTRY_FIELDS_H

#include "../../core/table.h"

enum ftype {
	T_UNKNOWN, T_TEXT, T_REAL, T_INT, T_BOOL, T_TIME,
	T_REAL0,               /* the sampler writes 0 for unknown: 0 is missing */
	T_JARRAY, T_JOBJECT,   /* kept as JSON text */
	T_CONTAINER,           /* an object of fields */
	T_TARGETS,             /* performance_targets: an object of target rows */
	T_BOUND,               /* acceptable_max | acceptable_min | critical_threshold */
	T_PNAME                /* detected profile_name: the row's name again */
};

struct fdef {
	const char *path;
	enum ftype type;
	int col;
};

enum rowkind { ROW_PROFILE, ROW_TARGET, ROW_TIER, ROW_DETECTED, NROWS };

/* A row's table and its fields (ending with a NULL path). */
struct pk_registry_rowdef {
	const struct pk_table *table;
	const struct fdef *fields;
};

/* registry_version: one row per distinct document. */
extern const struct pk_table pk_registry_version_table;
/* By enum rowkind. */
extern const struct pk_registry_rowdef pk_registry_rowdefs[NROWS];

#endif
