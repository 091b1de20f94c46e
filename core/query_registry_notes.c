/* query_registry_notes.c - the SQL behind query_registry_notes.h: the
 * registry's JSON limitations and optimizations through json_each. */
#include "query_registry_notes.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"

#define CANON PK_SQL_CANON

/* The registry entry: the exact name first, as query_tiers.c. */
#define ENTRY "(SELECT r.name FROM registry_profile r WHERE " CANON("r.name") " = " \
	CANON("?1") " ORDER BY r.name = ?1 DESC, r.name LIMIT 1)"

static const char lim_sql[] =
	"SELECT CASE WHEN j.type = 'text' THEN j.value ELSE json_quote(j.value) END "
	"FROM registry_profile r, json_each(r.limitations) j "
	"WHERE r.name = " ENTRY " AND json_valid(r.limitations) ORDER BY j.id";

static const char opt_sql[] =
	"SELECT o.key, s.key, CASE WHEN s.type IN ('object', 'array') THEN json_quote(s.value) "
	"ELSE CAST(s.value AS TEXT) END "
	"FROM registry_profile r, json_each(r.optimizations) o, json_each(o.value) s "
	"WHERE r.name = " ENTRY " AND json_valid(r.optimizations) AND o.type = 'object' "
	"ORDER BY o.id, s.id";

static const char vram_sql[] =
	"SELECT target FROM registry_target t WHERE " CANON("t.profile") " = " CANON("?1")
	" AND lower(t.metric) LIKE '%vram%' AND target IS NOT NULL ORDER BY t.metric LIMIT 1";

static char *text_of(sqlite3_stmt *q, int c, int *oom)
{
	const unsigned char *t = sqlite3_column_text(q, c);
	char *s = strdup(t ? (const char *)t : "");
	*oom |= !s;
	return s;
}

void pk_registry_notes_free(struct pk_registry_notes *n)
{
	for (size_t i = 0; n->limitations && i < n->nlimitations; i++)
		free(n->limitations[i]);
	free(n->limitations);
	for (size_t i = 0; n->settings && i < n->nsettings; i++) {
		free(n->settings[i].component);
		free(n->settings[i].key);
		free(n->settings[i].value);
	}
	free(n->settings);
	*n = (struct pk_registry_notes){ .vram_target_pct = NAN };
}

static int prepare(struct pk_db *db, const char *sql, const char *profile, sqlite3_stmt **q)
{
	if (sqlite3_prepare_v2(db->sql, sql, -1, q, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(*q, 1, profile, -1, SQLITE_STATIC);
	return 0;
}

enum pk_status pk_query_registry_notes(struct pk_db *db, const char *profile,
                                       struct pk_registry_notes *out)
{
	*out = (struct pk_registry_notes){ .vram_target_pct = NAN };
	sqlite3_stmt *q = NULL;
	int r = SQLITE_DONE, oom = 0;
	size_t cap = 0;
	if (prepare(db, lim_sql, profile, &q) != 0)
		return PK_ERR_DB;
	while (!oom && (r = sqlite3_step(q)) == SQLITE_ROW) {
		if (out->nlimitations == cap) {
			cap = cap ? 2 * cap : 8;
			char **p = realloc(out->limitations, cap * sizeof *p);
			if (!p) {
				oom = 1;
				break;
			}
			out->limitations = p;
		}
		out->limitations[out->nlimitations++] = text_of(q, 0, &oom);
	}
	sqlite3_finalize(q);
	enum pk_status rc = oom ? PK_ERR_NOMEM : r == SQLITE_DONE ? PK_OK : PK_ERR_DB;
	cap = 0;
	if (rc == PK_OK && prepare(db, opt_sql, profile, &q) != 0)
		rc = PK_ERR_DB;
	else if (rc == PK_OK) {
		while (!oom && (r = sqlite3_step(q)) == SQLITE_ROW) {
			if (out->nsettings == cap) {
				cap = cap ? 2 * cap : 8;
				struct pk_reg_setting *p = realloc(out->settings, cap * sizeof *p);
				if (!p) {
					oom = 1;
					break;
				}
				out->settings = p;
			}
			struct pk_reg_setting *s = &out->settings[out->nsettings++];
			s->component = text_of(q, 0, &oom);
			s->key = text_of(q, 1, &oom);
			s->value = text_of(q, 2, &oom);
		}
		sqlite3_finalize(q);
		rc = oom ? PK_ERR_NOMEM : r == SQLITE_DONE ? PK_OK : PK_ERR_DB;
	}
	if (rc == PK_OK && prepare(db, vram_sql, profile, &q) != 0)
		rc = PK_ERR_DB;
	else if (rc == PK_OK) {
		r = sqlite3_step(q);
		if (r == SQLITE_ROW)
			out->vram_target_pct = sqlite3_column_double(q, 0);
		else if (r != SQLITE_DONE)
			rc = PK_ERR_DB;
		sqlite3_finalize(q);
	}
	if (rc != PK_OK)
		pk_registry_notes_free(out);
	return rc;
}
