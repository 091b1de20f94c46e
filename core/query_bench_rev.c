/* query_bench_rev.c - the SQL behind query_bench_rev.h. */
#include "query_bench_rev.h"

#include <stdlib.h>
#include <string.h>

#include "db_internal.h"

static const char sql_revs[] =
	"SELECT run_us, revision FROM bench_run WHERE suite = ?1 AND host = ?2 "
	"AND revision IS NOT NULL ORDER BY run_us";
static const char sql_sources[] =
	"SELECT DISTINCT replace(path, rtrim(path, replace(path, '/', '')), '') || "
	"CASE WHEN member = '' THEN '' ELSE ':' || member END AS f "
	"FROM source_file WHERE id IN (SELECT source_id FROM bench_result "
	"WHERE suite = ?1 AND host = ?2 AND name = ?3) ORDER BY f";

static enum pk_status bind(sqlite3_stmt *q, int i, const char *s, size_t n)
{
	return sqlite3_bind_text(q, i, s, (int)n, SQLITE_STATIC) == SQLITE_OK ? PK_OK : PK_ERR_DB;
}

static char *copy(sqlite3_stmt *q, int c)
{
	const unsigned char *s = sqlite3_column_text(q, c);
	size_t n = (size_t)sqlite3_column_bytes(q, c);
	char *d = malloc(n + 1);
	if (d) {
		if (n)
			memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

enum pk_status pk_query_bench_revs(struct pk_db *db, const char *suite, size_t suite_len,
                                   const char *host, size_t host_len,
                                   struct pk_bench_revs *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *q = NULL;
	enum pk_status rc = sqlite3_prepare_v2(db->sql, sql_revs, -1, &q, NULL) == SQLITE_OK
	                    ? PK_OK : PK_ERR_DB;
	if (rc == PK_OK)
		rc = bind(q, 1, suite, suite_len);
	if (rc == PK_OK)
		rc = bind(q, 2, host, host_len);
	size_t cap = 0;
	int r = SQLITE_DONE;
	while (rc == PK_OK && (r = sqlite3_step(q)) == SQLITE_ROW) {
		if (out->n == cap) {
			cap = cap ? 2 * cap : 16;
			struct pk_bench_rev *t = realloc(out->r, cap * sizeof *t);
			if (!t) {
				rc = PK_ERR_NOMEM;
				break;
			}
			out->r = t;
		}
		struct pk_bench_rev *e = &out->r[out->n];
		e->run_us = sqlite3_column_int64(q, 0);
		if (!(e->revision = copy(q, 1)))
			rc = PK_ERR_NOMEM;
		else
			out->n++;
	}
	if (rc == PK_OK && r != SQLITE_DONE)
		rc = PK_ERR_DB;
	sqlite3_finalize(q);
	if (rc != PK_OK)
		pk_bench_revs_free(out);
	return rc;
}

const char *pk_bench_rev_at(const struct pk_bench_revs *r, int64_t run_us)
{
	size_t lo = 0, hi = r->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->r[mid].run_us < run_us)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->n && r->r[lo].run_us == run_us ? r->r[lo].revision : NULL;
}

void pk_bench_revs_free(struct pk_bench_revs *r)
{
	for (size_t i = 0; r->r && i < r->n; i++)
		free(r->r[i].revision);
	free(r->r);
	memset(r, 0, sizeof *r);
}

enum pk_status pk_query_bench_sources(struct pk_db *db, const char *suite, size_t suite_len,
                                      const char *host, size_t host_len,
                                      const char *name, size_t name_len,
                                      struct pk_str_list *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *q = NULL;
	enum pk_status rc = sqlite3_prepare_v2(db->sql, sql_sources, -1, &q, NULL) == SQLITE_OK
	                    ? PK_OK : PK_ERR_DB;
	if (rc == PK_OK)
		rc = bind(q, 1, suite, suite_len);
	if (rc == PK_OK)
		rc = bind(q, 2, host, host_len);
	if (rc == PK_OK)
		rc = bind(q, 3, name, name_len);
	size_t cap = 0;
	int r = SQLITE_DONE;
	while (rc == PK_OK && (r = sqlite3_step(q)) == SQLITE_ROW) {
		if (out->n == cap) {
			cap = cap ? 2 * cap : 8;
			char **t = realloc(out->s, cap * sizeof *t);
			if (!t) {
				rc = PK_ERR_NOMEM;
				break;
			}
			out->s = t;
		}
		if (!(out->s[out->n] = copy(q, 0)))
			rc = PK_ERR_NOMEM;
		else
			out->n++;
	}
	if (rc == PK_OK && r != SQLITE_DONE)
		rc = PK_ERR_DB;
	sqlite3_finalize(q);
	if (rc != PK_OK)
		pk_str_list_free(out);
	return rc;
}
