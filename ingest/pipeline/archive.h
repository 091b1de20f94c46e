/* archive.h - archives and compressed files read in place: a .gz file (one
 * member: the name without .gz), and .tar, .tar.gz (.tgz) and .zip archives
 * of whole log folders.  Each member is detected by its base name and first
 * decompressed bytes like a plain file, streamed into its reader, and
 * stored in its own savepoint (of a transaction per batch of members) as
 * source_file (ARCHIVE, MEMBER).
 * Internal to ingest/: used by ingest_file.c. */
#ifndef PK_ARCHIVE_H
#define PK_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>

#include "ingest.h"

enum pk_archive_kind {
	PK_ARCHIVE_NONE = 0,
	PK_ARCHIVE_GZIP,     /* name.gz: one compressed file, or a tar inside */
	PK_ARCHIVE_TAR_GZ,   /* name.tar.gz, name.tgz */
	PK_ARCHIVE_TAR,      /* name.tar */
	PK_ARCHIVE_ZIP       /* name.zip */
};

/* The kind of archive a file is by its name AND its first bytes (gzip or
 * zip magic, the ustar mark of a tar); PK_ARCHIVE_NONE when not both. */
enum pk_archive_kind pk_archive_kind(const char *base, const char *head, size_t n);

/* The archive file being read. */
struct pk_archive_file {
	int fd;                 /* open for reading; pread and read from its start */
	const char *abs;        /* absolute path: source_file.path of its members */
	const char *path;       /* as the user named it: ARCHIVE in ARCHIVE:MEMBER */
	const char *base;       /* its base name */
	int64_t device, inode, mtime_ns;
	enum pk_archive_kind kind;
};

/* Reads (or with opts->dry_run, lists) every member; outcomes are named
 * ARCHIVE:MEMBER.  A member unchanged since it was read (same size,
 * modification time and first 4 KiB) is skipped; others are read whole.
 * Returns PK_OK when every member was read or skipped, PK_ERR_IO when the
 * archive or a member was damaged (each member read whole before the damage
 * is kept; the damaged one is not stored), PK_ERR_DB / PK_ERR_NOMEM when
 * the run must stop. */
enum pk_status pk_ingest_archive(struct pk_db *db, const struct pk_archive_file *f,
                                 const struct pk_ingest_opts *opts,
                                 struct pk_ingest_result *res);

#endif
