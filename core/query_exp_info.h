/* query_exp_info.h - what an experiment report shows beside the analysis:
 * the system information and recommendations the writer recorded (F5
 * system_info, recommendations), and the files its rows came from. */
#ifndef PK_QUERY_EXP_INFO_H
#define PK_QUERY_EXP_INFO_H

#include <stddef.h>
#include "db.h"

/* A recorded key and its value as text (a string as it is; numbers, true,
 * false, null, objects and arrays as JSON text). */
struct pk_exp_kv {
	char *key, *value;      /* owned */
};

struct pk_exp_info {
	struct pk_exp_kv *system;     /* system_info members in recorded order */
	size_t nsystem;
	char **recommendations;       /* the recorded strings, in order */
	size_t nrecommendations;
	struct pk_exp_kv *sources;    /* key: path, value: archive member or "" */
	size_t nsources;
};

/* Reads the recorded system information and recommendations of experiment
 * id (none when its row or those fields are missing or not valid JSON) and
 * the source files of its experiment row and cycles.  out is cleared first;
 * free with pk_exp_info_free.  PK_ERR_DB, PK_ERR_NOMEM. */
enum pk_status pk_query_exp_info(struct pk_db *db, const char *id,
                                 struct pk_exp_info *out);
void pk_exp_info_free(struct pk_exp_info *info);

#endif
