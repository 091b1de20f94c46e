/* bare_insert.c - make bench's floor for perfingest's writer thread: inserts
 * the hw_sample rows of a perfkit database into a new database holding only
 * the hw_sample table (same DDL, same pragmas as perfingest: page size
 * 16384, WAL, synchronous NORMAL, 16 MB cache), one prepared INSERT OR
 * IGNORE per row, bound with the stored values, in one transaction.  The
 * rows are read into memory first; insert_rows does only the insert, so
 * `valgrind --tool=callgrind --toggle-collect=insert_rows` counts just that.
 * Not part of the perfkit build (bench/peers.sh compiles it).
 *
 * Usage: bare_insert SRC_DB DST_DB   (DST_DB must not exist) */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static int fail(sqlite3 *db, const char *what)
{
	fprintf(stderr, "bare_insert: %s: %s\n", what, db ? sqlite3_errmsg(db) : "?");
	return 1;
}

static double now_s(clockid_t c)
{
	struct timespec t;
	clock_gettime(c, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The insert being measured: every row, one transaction. */
int insert_rows(sqlite3 *db, sqlite3_stmt *ins, sqlite3_value **v, size_t nrows, int ncols);
int insert_rows(sqlite3 *db, sqlite3_stmt *ins, sqlite3_value **v, size_t nrows, int ncols)
{
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return 1;
	for (size_t r = 0; r < nrows; r++) {
		for (int c = 0; c < ncols; c++)
			sqlite3_bind_value(ins, c + 1, v[r * (size_t)ncols + (size_t)c]);
		if (sqlite3_step(ins) != SQLITE_DONE)
			return 1;
		sqlite3_reset(ins);
	}
	return sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: bare_insert SRC_DB DST_DB\n");
		return 2;
	}
	sqlite3 *src = NULL, *dst = NULL;
	sqlite3_stmt *q = NULL, *ins = NULL;
	if (sqlite3_open_v2(argv[1], &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return fail(src, argv[1]);
	if (sqlite3_prepare_v2(src, "SELECT sql FROM sqlite_schema WHERE name = 'hw_sample'",
	                       -1, &q, NULL) != SQLITE_OK || sqlite3_step(q) != SQLITE_ROW)
		return fail(src, "no hw_sample table");
	char *ddl = sqlite3_mprintf("%s", (const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);

	/* every row in memory, as stored */
	if (sqlite3_prepare_v2(src, "SELECT * FROM hw_sample", -1, &q, NULL) != SQLITE_OK)
		return fail(src, "select");
	int ncols = sqlite3_column_count(q);
	size_t nrows = 0, cap = 0;
	sqlite3_value **v = NULL;
	while (sqlite3_step(q) == SQLITE_ROW) {
		if (nrows == cap) {
			cap = cap ? cap * 2 : 4096;
			v = realloc(v, cap * (size_t)ncols * sizeof *v);
			if (!v)
				return fail(NULL, "out of memory");
		}
		for (int c = 0; c < ncols; c++)
			v[nrows * (size_t)ncols + (size_t)c] = sqlite3_value_dup(sqlite3_column_value(q, c));
		nrows++;
	}
	sqlite3_finalize(q);

	if (sqlite3_open(argv[2], &dst) != SQLITE_OK ||
	    sqlite3_exec(dst, "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; "
	                 "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -16384",
	                 NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(dst, ddl, NULL, NULL, NULL) != SQLITE_OK)
		return fail(dst, argv[2]);
	char *sql = sqlite3_mprintf("INSERT OR IGNORE INTO hw_sample VALUES (?");
	for (int c = 1; c < ncols && sql; c++) {
		char *more = sqlite3_mprintf("%s,?", sql);
		sqlite3_free(sql);
		sql = more;
	}
	char *full = sql ? sqlite3_mprintf("%s)", sql) : NULL;
	sqlite3_free(sql);
	sql = full;
	if (!sql)
		return fail(NULL, "out of memory");
	if (sqlite3_prepare_v2(dst, sql, -1, &ins, NULL) != SQLITE_OK)
		return fail(dst, "insert");
	double w0 = now_s(CLOCK_MONOTONIC), c0 = now_s(CLOCK_PROCESS_CPUTIME_ID);
	if (insert_rows(dst, ins, v, nrows, ncols))
		return fail(dst, "insert");
	sqlite3_finalize(ins);
	if (sqlite3_close(dst) != SQLITE_OK)
		return fail(dst, "close");
	double w1 = now_s(CLOCK_MONOTONIC), c1 = now_s(CLOCK_PROCESS_CPUTIME_ID);
	printf("%zu rows: %.3f s elapsed, %.3f s CPU\n", nrows, w1 - w0, c1 - c0);
	for (size_t i = 0; i < nrows * (size_t)ncols; i++)
		sqlite3_value_free(v[i]);
	free(v);
	sqlite3_free(sql);
	sqlite3_free(ddl);
	sqlite3_close(src);
	return 0;
}
