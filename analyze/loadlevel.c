/* loadlevel.c - load levels of an app session's modules (loadlevel.h). */
#include "loadlevel.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *pk_load_level_str(enum pk_load_level l)
{
	switch (l) {
	case PK_LEVEL_GREEN: return "green";
	case PK_LEVEL_YELLOW: return "yellow";
	case PK_LEVEL_RED: return "red";
	case PK_LEVEL_UNKNOWN: break;
	}
	return "unknown";
}

enum pk_load_level pk_load_level_of(double cpu, double mem)
{
	if (cpu > 50 || mem > 100)
		return PK_LEVEL_RED;
	if (isnan(cpu) || isnan(mem))
		return PK_LEVEL_UNKNOWN;
	if (cpu >= 25 || mem >= 50)
		return PK_LEVEL_YELLOW;
	return PK_LEVEL_GREEN;
}

/* Severity for "the worst": unknown sits between green/yellow and red, as
 * it may hide a red module; yellow over unknown would claim too much. */
static int worse(enum pk_load_level a, enum pk_load_level b)
{
	static const int rank[PK_NLEVELS] = { 0, 1, 3, 2 };
	return rank[a] > rank[b];
}

void pk_loadlevels_free(struct pk_loadlevels *l)
{
	pk_session_modules_free(&l->rows);
	free(l->modules);
	*l = (struct pk_loadlevels){ 0 };
}

enum pk_status pk_loadlevels_from(struct pk_session_modules *rows, struct pk_loadlevels *out)
{
	*out = (struct pk_loadlevels){ 0 };
	out->rows = *rows;
	*rows = (struct pk_session_modules){ 0 };
	out->n = out->rows.n;
	out->modules = calloc(out->n ? out->n : 1, sizeof *out->modules);
	if (!out->modules) {
		pk_loadlevels_free(out);
		return PK_ERR_NOMEM;
	}
	double total = 0;
	size_t timed = 0;
	for (size_t i = 0; i < out->n; i++) {
		const struct pk_session_module *m = &out->rows.m[i];
		if (!isnan(m->total_time_s)) {
			total += m->total_time_s;
			timed++;
		}
	}
	out->total_time_s = timed ? total : NAN;
	out->overall = PK_LEVEL_GREEN;
	for (int l = 0; l < PK_NLEVELS; l++)
		out->level_share[l] = total > 0 ? 0 : NAN;
	for (size_t i = 0; i < out->n; i++) {
		struct pk_module_level *ml = &out->modules[i];
		ml->m = &out->rows.m[i];
		ml->level = pk_load_level_of(ml->m->cpu_impact, ml->m->memory_impact);
		ml->share = total > 0 ? ml->m->total_time_s / total : NAN;
		out->count[ml->level]++;
		if (!isnan(ml->share))
			out->level_share[ml->level] += ml->share;
		if (worse(ml->level, out->overall))
			out->overall = ml->level;
	}
	if (out->n == 0)
		out->overall = PK_LEVEL_UNKNOWN;
	return PK_OK;
}

enum pk_status pk_loadlevels_for(struct pk_db *db, const char *id, struct pk_loadlevels *out)
{
	struct pk_session_modules rows;
	*out = (struct pk_loadlevels){ 0 };
	enum pk_status rc = pk_query_session_modules(db, id, &rows);
	if (rc != PK_OK)
		return rc;
	rc = pk_loadlevels_from(&rows, out);
	pk_session_modules_free(&rows);
	return rc;
}
