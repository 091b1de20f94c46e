/* ingest.c - walking the paths given to perfingest: files as they are,
 * directories recursively in name order (hidden entries and the database's
 * own files left out, symbolic links to directories not followed), with the
 * bytes done and to do for a progress display. */
#include "ingest.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../core/buf.h"
#include "../../core/store.h"

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

/* One run over the paths.  With a progress callback the paths are walked
 * twice: first only adding up file sizes (measure), then reading. */
struct walk {
	struct pk_db *db;
	const struct pk_ingest_opts *opts;   /* the caller's */
	struct pk_ingest_opts own;           /* the caller's, progress routed here */
	const char *db_real;
	struct pk_ingest_result *res;
	int measure;
	int64_t total, done, current;        /* bytes: all files, visited, this file */
	int64_t nfound;                      /* files met (measure: counted ones) */
};

static void warn(const struct walk *w, const char *path, const char *msg)
{
	if (w->opts->diag) {
		struct pk_diag dg = { PK_SEV_WARNING, path, 0, 0, msg };
		w->opts->diag(w->opts->diag_ctx, &dg);
	}
}

static void fail(struct walk *w, const char *path, const char *msg)
{
	if (w->opts->diag) {
		struct pk_diag dg = { PK_SEV_ERROR, path, 0, 0, msg };
		w->opts->diag(w->opts->diag_ctx, &dg);
	}
	w->res->files_failed++;
}

/* The readers' progress, with the run's bytes added. */
static void file_progress(void *ctx, const struct pk_progress *p)
{
	struct walk *w = ctx;
	struct pk_progress q = *p;
	/* a compressed file's offset runs past its size on disk */
	q.done = w->done + (p->bytes < w->current ? p->bytes : w->current);
	q.total = w->total;
	w->opts->progress(w->opts->progress_ctx, &q);
}

static enum pk_status walk(struct walk *w, const char *path, int top);

static enum pk_status walk_dir(struct walk *w, const char *path)
{
	DIR *d = opendir(path);
	if (!d) {
		if (!w->measure)
			fail(w, path, strerror(errno));
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
		enum pk_status r = walk(w, child.data, 0);
		if (r != PK_OK)
			rc = r;
	}
	pk_buf_free(&child);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

static enum pk_status walk(struct walk *w, const char *path, int top)
{
	struct stat sb, lsb;
	if (stat(path, &sb) != 0) {
		if (!w->measure)
			fail(w, path, strerror(errno));
		return PK_ERR_IO;
	}
	if (S_ISDIR(sb.st_mode)) {
		if (!top && lstat(path, &lsb) == 0 && S_ISLNK(lsb.st_mode))
			return PK_OK;   /* not followed: could loop */
		int64_t before = w->nfound;
		enum pk_status rc = walk_dir(w, path);
		if (top && !w->measure && rc == PK_OK && w->nfound == before)
			warn(w, path, "no files in this folder, nothing read");
		return rc;
	}
	if (is_db_file(path, w->db_real))
		return PK_OK;
	w->nfound++;
	int64_t size = S_ISREG(sb.st_mode) ? (int64_t)sb.st_size : 0;
	if (w->measure) {
		w->total += size;
		return PK_OK;
	}
	w->current = size;
	enum pk_status rc = pk_ingest_file(w->db, path, &w->own, w->res);
	w->done += size;
	if (w->opts->progress) {
		struct pk_progress p = { path, 0, size, w->done, w->total };
		w->opts->progress(w->opts->progress_ctx, &p);
	}
	return rc;
}

enum pk_status pk_ingest_paths(struct pk_db *db, char *const *paths, size_t npaths,
                               const struct pk_ingest_opts *opts,
                               struct pk_ingest_result *res)
{
	*res = (struct pk_ingest_result){ 0 };
	char *db_real = opts->db_path ? realpath(opts->db_path, NULL) : NULL;
	struct walk w = { db, opts, *opts, db_real, res, 0, 0, 0, 0, 0 };
	enum pk_status rc = PK_OK;
	if (opts->progress) {
		w.own.progress = file_progress;
		w.own.progress_ctx = &w;
		w.measure = 1;
		for (size_t i = 0; i < npaths; i++)
			(void)walk(&w, paths[i], 1);
		w.measure = 0;
		w.nfound = 0;
	}
	for (size_t i = 0; i < npaths; i++) {
		enum pk_status r = walk(&w, paths[i], 1);
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
	if (rc == PK_OK && npaths > 0 && w.nfound == 0)
		rc = PK_NODATA;
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
