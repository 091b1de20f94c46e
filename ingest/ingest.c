/* ingest.c - walking the paths given to perfingest: files as they are,
 * directories recursively in name order (hidden entries and the database's
 * own files left out, symbolic links to directories not followed). */
#include "ingest.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/buf.h"
#include "../core/store.h"

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* 1 when path is the database or one of its companion files. */
static int is_db_file(const char *path, const char *db_real)
{
	if (!db_real)
		return 0;
	char *real = realpath(path, NULL);
	if (!real)
		return 0;
	size_t n = strlen(db_real);
	int same = strncmp(real, db_real, n) == 0 &&
	           (real[n] == '\0' || strcmp(real + n, "-wal") == 0 ||
	            strcmp(real + n, "-shm") == 0 || strcmp(real + n, "-journal") == 0);
	free(real);
	return same;
}

static enum pk_status walk(struct pk_db *db, const char *path, int top,
                           const struct pk_ingest_opts *opts, const char *db_real,
                           struct pk_ingest_result *res);

static enum pk_status walk_dir(struct pk_db *db, const char *path,
                               const struct pk_ingest_opts *opts, const char *db_real,
                               struct pk_ingest_result *res)
{
	DIR *d = opendir(path);
	if (!d) {
		if (opts->diag) {
			struct pk_diag dg = { PK_SEV_ERROR, path, 0, 0, strerror(errno) };
			opts->diag(opts->diag_ctx, &dg);
		}
		res->files_failed++;
		return PK_ERR_IO;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	enum pk_status rc = PK_OK;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			char **p = realloc(names, cap * sizeof *p);
			if (!p) {
				rc = PK_ERR_NOMEM;
				break;
			}
			names = p;
		}
		if (!(names[n] = strdup(e->d_name))) {
			rc = PK_ERR_NOMEM;
			break;
		}
		n++;
	}
	closedir(d);
	if (rc == PK_OK && n)
		qsort(names, n, sizeof *names, cmp_names);
	struct pk_buf child = PK_BUF_INIT;
	for (size_t i = 0; i < n && (rc == PK_OK || rc == PK_ERR_IO); i++) {
		pk_buf_reset(&child);
		size_t pl = strlen(path);
		if (pk_buf_append(&child, path, pl) != PK_OK ||
		    (pl && path[pl - 1] != '/' && pk_buf_putc(&child, '/') != PK_OK) ||
		    pk_buf_puts(&child, names[i]) != PK_OK) {
			rc = PK_ERR_NOMEM;
			break;
		}
		enum pk_status r = walk(db, child.data, 0, opts, db_real, res);
		if (r != PK_OK)
			rc = r;
	}
	pk_buf_free(&child);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

static enum pk_status walk(struct pk_db *db, const char *path, int top,
                           const struct pk_ingest_opts *opts, const char *db_real,
                           struct pk_ingest_result *res)
{
	struct stat sb, lsb;
	if (stat(path, &sb) != 0) {
		if (opts->diag) {
			struct pk_diag dg = { PK_SEV_ERROR, path, 0, 0, strerror(errno) };
			opts->diag(opts->diag_ctx, &dg);
		}
		res->files_failed++;
		return PK_ERR_IO;
	}
	if (S_ISDIR(sb.st_mode)) {
		if (!top && lstat(path, &lsb) == 0 && S_ISLNK(lsb.st_mode))
			return PK_OK;   /* not followed: could loop */
		return walk_dir(db, path, opts, db_real, res);
	}
	if (is_db_file(path, db_real))
		return PK_OK;
	return pk_ingest_file(db, path, opts, res);
}

enum pk_status pk_ingest_paths(struct pk_db *db, char *const *paths, size_t npaths,
                               const struct pk_ingest_opts *opts,
                               struct pk_ingest_result *res)
{
	*res = (struct pk_ingest_result){ 0 };
	char *db_real = opts->db_path ? realpath(opts->db_path, NULL) : NULL;
	enum pk_status rc = PK_OK;
	for (size_t i = 0; i < npaths; i++) {
		enum pk_status r = walk(db, paths[i], 1, opts, db_real, res);
		if (r == PK_ERR_IO) {
			rc = PK_ERR_IO;
		} else if (r != PK_OK) {
			rc = r;
			break;
		}
	}
	free(db_real);
	/* days of hw_sample changed by hand since the last run */
	if ((rc == PK_OK || rc == PK_ERR_IO) && !opts->dry_run) {
		int64_t days = 0, gdays = 0;
		enum pk_status r = pk_db_begin(db);
		if (r == PK_OK)
			r = pk_store_repair(db, &days);
		if (r == PK_OK)
			r = pk_store_generic_repair(db, &gdays);
		if (r == PK_OK)
			r = pk_db_commit(db);
		else
			pk_db_rollback(db);
		if (r != PK_OK)
			rc = r;
	}
	if (rc == PK_OK && res->counts.rejects > 0)
		rc = PK_PARTIAL;
	return rc;
}

void pk_ingest_result_free(struct pk_ingest_result *res)
{
	for (size_t i = 0; i < res->nfiles; i++) {
		free(res->files[i].path);
		free(res->files[i].note);
	}
	free(res->files);
	pk_sink_counts_free(&res->counts);
	*res = (struct pk_ingest_result){ 0 };
}
