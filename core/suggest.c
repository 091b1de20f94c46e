/* suggest.c - "did you mean": edit distance, and the closest profile name or
 * alias in the database (see suggest.h). */
#include "suggest.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "diag.h"

#define MAX_NAME 256

size_t pk_edit_distance(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	if (na > MAX_NAME || nb > MAX_NAME)
		return SIZE_MAX;
	size_t row[MAX_NAME + 1];   /* distances of a[0..i) to b[0..j) */
	for (size_t j = 0; j <= nb; j++)
		row[j] = j;
	for (size_t i = 1; i <= na; i++) {
		size_t diag = row[0];   /* row[j - 1] of the previous row */
		row[0] = i;
		for (size_t j = 1; j <= nb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[nb];
}

const char *pk_closest_name(const char *word, char *const *names, size_t n)
{
	size_t limit = strlen(word) / 3;
	if (limit < 1)
		limit = 1;
	const char *best = NULL;
	size_t best_d = SIZE_MAX;
	for (size_t i = 0; i < n; i++) {
		if (!names[i] || strcmp(names[i], word) == 0)
			continue;
		size_t d = pk_edit_distance(word, names[i]);
		if (d <= limit && d < best_d) {
			best = names[i];
			best_d = d;
		}
	}
	return best;
}

static const char names_sql[] =
	"SELECT name FROM profile UNION SELECT alias FROM profile_alias "
	"UNION SELECT profile FROM profile_alias "
	"UNION SELECT DISTINCT profile FROM gpu_sample "   /* nvidia-smi machines */
	"UNION SELECT DISTINCT profile FROM sys_sample "   /* sysstat hosts */
	"UNION SELECT source FROM generic_metric ORDER BY 1"; /* generic sources */

void pk_suggest_profile(struct pk_db *db, const char *name, struct pk_buf *out)
{
	sqlite3_stmt *q = NULL;
	if (!db || !name || sqlite3_prepare_v2(db->sql, names_sql, -1, &q, NULL) != SQLITE_OK)
		return;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int ok = 1;
	while (ok && sqlite3_step(q) == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(q, 0);
		if (!t)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			char **p = realloc(names, cap * sizeof *p);
			if (!p) {
				ok = 0;
				break;
			}
			names = p;
		}
		if (!(names[n] = strdup((const char *)t)))
			ok = 0;
		else
			n++;
	}
	sqlite3_finalize(q);
	const char *best = ok ? pk_closest_name(name, names, n) : NULL;
	if (best) {
		pk_buf_puts(out, "; did you mean '");
		pk_buf_put_printable(out, best, strlen(best));
		pk_buf_puts(out, "'?");
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}
