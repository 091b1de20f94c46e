/* chunk_check.c - checks a packed chunk row read back from the database
 * (see chunk_check.h). */
#include "chunk_check.h"

#include <stdio.h>

/* 0 if bytes is exactly n * width (compared without overflow); -1 with the
 * reason in why otherwise. */
static int size_ok(size_t bytes, size_t n, size_t width, const char *name, char *why,
                   size_t whysz)
{
	if (bytes % width != 0 || bytes / width != n) {
		snprintf(why, whysz, "n is %zu but %s holds %zu bytes, not %zu x %zu",
		         n, name, bytes, n, width);
		return -1;
	}
	return 0;
}

/* Sets *p to the blob of column c and returns 0 if it holds exactly
 * n * width bytes; -1 with the reason in why otherwise. */
static int blob_of(sqlite3_stmt *q, int c, size_t n, size_t width, const void **p,
                   const char *name, char *why, size_t whysz)
{
	int type = sqlite3_column_type(q, c);
	*p = sqlite3_column_blob(q, c);
	size_t bytes = (size_t)sqlite3_column_bytes(q, c);
	if (type != SQLITE_BLOB && bytes > 0) {
		snprintf(why, whysz, "%s is not a blob", name);
		return -1;
	}
	return size_ok(bytes, n, width, name, why, whysz);
}

/* The sample count of column cn into out->n (0), or -1 with the reason. */
static int count_of(sqlite3_stmt *q, int cn, size_t nvals, struct pk_chunk_blobs *out,
                    char *why, size_t whysz)
{
	*out = (struct pk_chunk_blobs){ 0 };
	int type = sqlite3_column_type(q, cn);
	sqlite3_int64 n = sqlite3_column_int64(q, cn);
	if (type != SQLITE_INTEGER || n < 0) {
		snprintf(why, whysz, "n is not a count of samples (%s)",
		         type == SQLITE_INTEGER ? "negative" : "not an integer");
		return -1;
	}
	if (nvals == 0 || (uint64_t)n > SIZE_MAX / sizeof(double) / nvals) {
		snprintf(why, whysz, "n is %lld, more samples than memory can hold", (long long)n);
		return -1;
	}
	out->n = (size_t)n;
	return 0;
}

/* 0 if out's times ascend; -1 with the reason otherwise. */
static int ascending(const struct pk_chunk_blobs *out, char *why, size_t whysz)
{
	for (size_t i = 1; i < out->n; i++)
		if (out->ts[i] < out->ts[i - 1]) {
			snprintf(why, whysz, "ts is not in ascending order at sample %zu", i);
			return -1;
		}
	return 0;
}

int pk_chunk_blobs_get(sqlite3_stmt *q, int cn, int cts, int cv, size_t nvals,
                       struct pk_chunk_blobs *out, char *why, size_t whysz)
{
	if (count_of(q, cn, nvals, out, why, whysz) != 0)
		return -1;
	const void *ts, *v;
	if (blob_of(q, cts, out->n, sizeof *out->ts, &ts, "ts", why, whysz) != 0 ||
	    blob_of(q, cv, out->n, nvals * sizeof *out->v, &v, "vals", why, whysz) != 0)
		return -1;
	out->ts = ts;
	out->v = v;
	return ascending(out, why, whysz);
}

int pk_chunk_times_get(sqlite3_stmt *q, int cn, int cts, int cvbytes, size_t nvals,
                       struct pk_chunk_blobs *out, char *why, size_t whysz)
{
	if (count_of(q, cn, nvals, out, why, whysz) != 0)
		return -1;
	const void *ts;
	if (blob_of(q, cts, out->n, sizeof *out->ts, &ts, "ts", why, whysz) != 0)
		return -1;
	sqlite3_int64 vbytes = sqlite3_column_int64(q, cvbytes);
	if (vbytes < 0) {
		snprintf(why, whysz, "vals is not a blob");
		return -1;
	}
	if (size_ok((size_t)vbytes, out->n, nvals * sizeof(double), "vals", why, whysz) != 0)
		return -1;
	out->ts = ts;
	return ascending(out, why, whysz);
}
