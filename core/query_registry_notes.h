/* query_registry_notes.h - what the requirements report reads from a
 * profile's registry entry besides its tier facts: the limitations (text),
 * the optimizations (component, setting, value) and the VRAM utilisation
 * target.  A registry_profile row belongs to a profile when both have the
 * same canonical name (profile_alias), as in query_tiers.h.  Read-only. */
#ifndef PK_QUERY_REGISTRY_NOTES_H
#define PK_QUERY_REGISTRY_NOTES_H

#include <stddef.h>
#include "db.h"

/* One setting of the registry's optimizations object, e.g. whisper /
 * device / cpu, or whisper / rationale / "Move ASR to CPU ...".  Owned. */
struct pk_reg_setting {
	char *component, *key, *value;
};

struct pk_registry_notes {
	size_t nlimitations;
	char **limitations;              /* owned strings, registry order */
	size_t nsettings;
	struct pk_reg_setting *settings; /* registry order, grouped by component */
	double vram_target_pct;          /* registry_target with "vram" in its
	                                  * metric: its target; NAN when none */
};

/* The notes of `profile` (any of its names).  A profile without a registry
 * entry gets empty lists and PK_OK.  Free with pk_registry_notes_free. */
enum pk_status pk_query_registry_notes(struct pk_db *db, const char *profile,
                                       struct pk_registry_notes *out);
void pk_registry_notes_free(struct pk_registry_notes *n);

#endif
