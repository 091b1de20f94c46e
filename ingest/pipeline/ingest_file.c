/* ingest_file.c - reading one file incrementally: recognise it, decide where
 * to start (new, grown, replaced or unchanged), and hand it to
 * pk_ingest_source (byte_source.c), which reads it in one transaction;
 * archives and compressed files go to pk_ingest_archive (archive.c).
 *
 * A file is remembered by its absolute path with its size, modification
 * time, device and inode, and FNV-1a hashes of the first 4 KiB and of the
 * 4 KiB before the read offset.  When both hashes still match, reading goes
 * on from the offset; otherwise the file was replaced or truncated and is
 * read again from the start (samples dedupe by (profile, time); its old
 * rejects are replaced).  A last line without a newline is left unread.
 *
 * An archive is remembered the same way, as source_file (path, member '')
 * of format "archive", once all its members were read: an unchanged archive
 * is skipped without decompressing anything.  A changed one is read again;
 * its members unchanged since they were read are skipped, the others read
 * whole (rows dedupe by their keys).  A .gz that grew (a gzip member
 * appended) is thus read again whole.  A damaged archive is not remembered,
 * so it is tried again (and reported again) on the next run. */
#include "ingest.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../core/store.h"
#include "../../core/timeutil.h"
#include "archive.h"
#include "byte_source.h"
#include "reader.h"
#include "../engines/utf16.h"

#define ARCHIVE_FORMAT "archive"   /* source_file.format of an archive's own row */

struct file_ctx {
	int fd;
	const struct stat *sb;
};

/* 1 when the bytes read before are still the file's first read_offset
 * bytes (by the two hashes). */
static int prefix_intact(int fd, const struct stat *sb, const struct pk_source_state *s)
{
	uint64_t h, t;
	if (s->id == 0 || sb->st_size < s->read_offset)
		return 0;
	return pk_fd_hashes(fd, s->read_offset, &h, &t) == 0 && h == s->head_hash &&
	       t == s->tail_hash;
}

static int intact_cb(void *ctx, const struct pk_source_state *s)
{
	struct file_ctx *c = ctx;
	return prefix_intact(c->fd, c->sb, s);
}

static int64_t mtime_ns(const struct stat *sb)
{
	return (int64_t)sb->st_mtim.tv_sec * 1000000000 + sb->st_mtim.tv_nsec;
}

static int unchanged(int fd, const struct stat *sb, const struct pk_source_state *s)
{
	return s->id != 0 && s->size == sb->st_size && s->mtime_ns == mtime_ns(sb) &&
	       s->device == (int64_t)sb->st_dev && s->inode == (int64_t)sb->st_ino &&
	       prefix_intact(fd, sb, s);
}

/* Remembers an archive read whole (all of it, as one "read offset"). */
static enum pk_status remember_archive(struct pk_db *db, int fd, const struct stat *sb,
                                       const char *abs)
{
	enum pk_status rc = pk_db_begin(db);
	if (rc != PK_OK)
		return rc;
	struct pk_source_state s;
	rc = pk_store_source_get(db, abs, "", &s);
	if (rc == PK_OK) {
		s.device = (int64_t)sb->st_dev;
		s.inode = (int64_t)sb->st_ino;
		s.size = sb->st_size;
		s.mtime_ns = mtime_ns(sb);
		s.read_offset = sb->st_size;
		s.read_lines = 0;
		if (pk_fd_hashes(fd, s.read_offset, &s.head_hash, &s.tail_hash))
			rc = PK_ERR_IO;
	}
	if (rc == PK_OK)
		rc = pk_store_source_put(db, abs, "", ARCHIVE_FORMAT, &s, pk_time_now_us());
	if (rc == PK_OK)
		rc = pk_db_commit(db);
	else
		pk_db_rollback(db);
	return rc;
}

/* An archive or compressed file: skipped when unchanged, else its members. */
static enum pk_status ingest_archive(struct pk_db *db, int fd, const struct stat *sb,
                                     const char *abs, const char *path, const char *base,
                                     enum pk_archive_kind kind,
                                     const struct pk_ingest_opts *opts,
                                     struct pk_ingest_result *res)
{
	struct pk_source_state s;
	enum pk_status rc = pk_store_source_get(db, abs, "", &s);
	if (rc != PK_OK)
		return rc;
	if (!opts->force && unchanged(fd, sb, &s))
		return pk_ingest_outcome(res, path, ARCHIVE_FORMAT, PK_FILE_UNCHANGED, NULL, 0);
	struct pk_archive_file af = { .fd = fd, .abs = abs, .path = path, .base = base,
	                              .device = (int64_t)sb->st_dev,
	                              .inode = (int64_t)sb->st_ino,
	                              .mtime_ns = mtime_ns(sb), .kind = kind };
	rc = pk_ingest_archive(db, &af, opts, res);
	if (rc == PK_OK && !opts->dry_run) {
		rc = remember_archive(db, fd, sb, abs);
		if (rc == PK_ERR_IO) {
			pk_ingest_error(opts, path, strerror(errno));
			rc = pk_ingest_outcome(res, path, ARCHIVE_FORMAT, PK_FILE_FAILED,
			                       strerror(errno), 0);
			rc = rc == PK_OK ? PK_ERR_IO : rc;
		}
	}
	return rc;
}

enum pk_status pk_ingest_file(struct pk_db *db, const char *path,
                              const struct pk_ingest_opts *opts,
                              struct pk_ingest_result *res)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) != 0) {
		const char *msg = strerror(errno);
		if (fd >= 0)
			close(fd);
		pk_ingest_error(opts, path, msg);
		return pk_ingest_outcome(res, path, NULL, PK_FILE_FAILED, msg, 0) == PK_OK
		       ? PK_ERR_IO : PK_ERR_NOMEM;
	}
	enum pk_status rc = PK_OK;
	char head[PK_HASH_SPAN];
	ssize_t hn = pread(fd, head, sizeof head, 0);
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	char *abs = realpath(path, NULL);
	const struct pk_reader *reader = NULL;
	struct pk_utf16 *u16 = NULL;   /* decoder of a UTF-16 file */
	if (!S_ISREG(sb.st_mode)) {
		rc = pk_ingest_outcome(res, path, NULL, PK_FILE_SKIPPED, "not a regular file", 0);
		goto done;
	}
	if (hn < 0 || !abs) {
		const char *msg = strerror(errno);
		pk_ingest_error(opts, path, msg);
		rc = pk_ingest_outcome(res, path, NULL, PK_FILE_FAILED, msg, 0);
		rc = rc == PK_OK ? PK_ERR_IO : rc;
		goto done;
	}
	enum pk_archive_kind kind = pk_archive_kind(base, head, (size_t)hn);
	if (kind != PK_ARCHIVE_NONE) {
		rc = ingest_archive(db, fd, &sb, abs, path, base, kind, opts, res);
		goto done;
	}
	/* UTF-16 (a PowerShell redirect) is decoded: its head is UTF-8 now */
	int order = pk_utf16_bom(head, (size_t)hn);
	if (order) {
		const char *why = NULL;
		if (!(u16 = malloc(sizeof *u16))) {
			rc = PK_ERR_NOMEM;
			goto done;
		}
		pk_utf16_init(u16, fd, order);
		hn = pk_utf16_next(u16, head, sizeof head, &why);
		if (hn < 0) {
			pk_ingest_error(opts, path, why);
			rc = pk_ingest_outcome(res, path, NULL, PK_FILE_FAILED, why, 0);
			rc = rc == PK_OK ? PK_ERR_IO : rc;
			goto done;
		}
	}
	size_t skip = hn >= 3 && memcmp(head, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	reader = opts->format ? pk_reader_find(opts->format)
	                      : pk_reader_detect(base, head + skip, (size_t)hn - skip);
	if (!reader) {
		rc = pk_ingest_outcome(res, path, NULL, PK_FILE_SKIPPED,
		             sb.st_size == 0 ? "empty file"
		             : pk_reader_why_not(base, head + skip, (size_t)hn - skip), 0);
		goto done;
	}
	struct pk_source_state s;
	if ((rc = pk_store_source_get(db, abs, "", &s)) != PK_OK)
		goto done;
	if (!opts->force && unchanged(fd, &sb, &s)) {
		rc = pk_ingest_outcome(res, path, reader->name, PK_FILE_UNCHANGED, NULL, 0);
		goto done;
	}
	if (opts->dry_run) {
		const char *note = s.id == 0 ? "new"
		                   : opts->force ? "forced: what it stored is replaced"
		                   : prefix_intact(fd, &sb, &s)
		                   ? "grown: new bytes only" : "changed: read again from the start";
		rc = pk_ingest_outcome(res, path, reader->name, PK_FILE_PLANNED, note, 0);
		goto done;
	}
	struct file_ctx fc = { fd, &sb };
	struct pk_byte_source src;
	pk_bs_file(&src, fd);
	struct pk_source_desc d = { .abs = abs, .member = "", .display = path, .base = base,
	                            .device = (int64_t)sb.st_dev, .inode = (int64_t)sb.st_ino,
	                            .mtime_ns = mtime_ns(&sb), .size = sb.st_size,
	                            .expect = sb.st_size,
	                            .intact = intact_cb, .intact_ctx = &fc };
	if (u16) {   /* decoded bytes: read whole each time it changed */
		pk_bs_stream(&src, pk_utf16_next, u16, head, (size_t)hn);
		d.size = -1;
		d.intact = NULL;
	}
	rc = pk_ingest_source(db, &d, &src, reader, opts, res);
done:
	free(u16);
	free(abs);
	close(fd);
	return rc;
}
