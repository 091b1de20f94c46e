/* fuzz_ingest.c - the shared part of the fuzz harnesses: the input as a
 * file, ingested through the real path into a new database, and the checks
 * on what came back (see fuzz_ingest.h).  Both live in a private folder in
 * /dev/shm (memory) when it is writable.  Creating the schema costs more
 * than most inputs, so it is created once: each input gets a copy of that
 * empty database's bytes. */
#include "fuzz_ingest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/db.h"
#include "core/db_internal.h"
#include "core/diag.h"
#include "ingest/pipeline/ingest.h"

struct diag_check {
	const char *path;
	int64_t ndiags;
};

static void fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_ingest: %s: %s\n", what, detail);
	abort();
}

/* Every diagnostic names the file (or ARCHIVE:MEMBER) and a reason, and is
 * one line with no control character. */
static void check_diag(void *ctx, const struct pk_diag *d)
{
	struct diag_check *c = ctx;
	size_t n = strlen(c->path);
	if (!d->file || strncmp(d->file, c->path, n) != 0 ||
	    (d->file[n] != '\0' && d->file[n] != ':'))
		fail("diagnostic for another file", d->file ? d->file : "(null)");
	if (!d->message || !*d->message)
		fail("diagnostic without a reason", d->file);
	if (d->line < 0 || d->col < 0)
		fail("diagnostic with a negative line or column", d->message);
	struct pk_buf b = PK_BUF_INIT;
	if (pk_diag_format(d, &b) != PK_OK)
		fail("pk_diag_format failed", d->message);
	for (size_t i = 0; i < b.len; i++)
		if ((unsigned char)b.data[i] < 0x20 || b.data[i] == 0x7f)
			fail("diagnostic with a control character", b.data);
	pk_buf_free(&b);
	c->ndiags++;
}

static int64_t count_rows(struct pk_db *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int64_t n = -1;
	if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static char dir[64];

/* Removes the private folder (its files are removed after each input). */
static void remove_dir(void)
{
	rmdir(dir);
}

/* The private folder the inputs are written in, made once per process. */
static const char *work_dir(void)
{
	if (!dir[0]) {
		const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
		snprintf(dir, sizeof dir, "%s/pk_fuzz_XXXXXX", base);
		if (!mkdtemp(dir))
			fail("mkdtemp", dir);
		atexit(remove_dir);
	}
	return dir;
}

static void write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f || (n && fwrite(p, 1, n, f) != n) || fclose(f) != 0)
		fail("cannot write", path);
}

/* A new, empty perfkit database at path: the bytes of one made once. */
static struct pk_db *new_db(const char *path)
{
	static char *image;
	static size_t nimage;
	struct pk_db *db = NULL;
	struct pk_buf err = PK_BUF_INIT;
	if (!image) {
		unlink(path);
		if (pk_db_open(path, PK_DB_READWRITE, &db, &err) != PK_OK)
			fail("cannot create a database", err.data ? err.data : path);
		pk_db_close(&db);   /* the last close checkpoints the WAL into the file */
		FILE *f = fopen(path, "rb");
		if (!f || fseek(f, 0, SEEK_END) != 0 || (nimage = (size_t)ftell(f)) == 0 ||
		    !(image = malloc(nimage)) || fseek(f, 0, SEEK_SET) != 0 ||
		    fread(image, 1, nimage, f) != nimage)
			fail("cannot read back", path);
		fclose(f);
	}
	write_file(path, image, nimage);
	if (pk_db_open(path, PK_DB_READWRITE, &db, &err) != PK_OK)
		fail("cannot open the database", err.data ? err.data : path);
	pk_buf_free(&err);
	return db;
}

void fuzz_ingest(const uint8_t *data, size_t size, const char *name,
                 const char *format, const char *tz)
{
	if (size > FUZZ_MAX_INPUT)
		return;
	char path[128], db_path[128];
	snprintf(path, sizeof path, "%s/%s", work_dir(), name);
	snprintf(db_path, sizeof db_path, "%s/fuzz.db", work_dir());
	write_file(path, data, size);
	struct pk_db *db = new_db(db_path);
	struct diag_check dc = { .path = path };
	struct pk_ingest_opts o = { .format = format, .tz = tz, .run_time_us = INT64_MIN,
	                            .db_path = db_path,
	                            .diag = check_diag, .diag_ctx = &dc };
	struct pk_ingest_result res;
	char *paths[] = { path };
	enum pk_status rc = pk_ingest_paths(db, paths, 1, &o, &res);
	if (rc != PK_OK && rc != PK_PARTIAL && rc != PK_ERR_IO)
		fail("unexpected status", pk_status_str(rc));
	if (rc == PK_PARTIAL && res.counts.rejects == 0 && dc.ndiags == 0)
		fail("partial without a reason", path);
	int64_t stored = count_rows(db, "SELECT count(*) FROM reject");
	if (stored != res.counts.rejects) {
		char msg[96];
		snprintf(msg, sizeof msg, "%lld counted, %lld stored",
		         (long long)res.counts.rejects, (long long)stored);
		fail("rejects", msg);
	}
	pk_ingest_result_free(&res);
	pk_db_close(&db);
	unlink(path);
	unlink(db_path);   /* its -wal and -shm went with the last close */
}
