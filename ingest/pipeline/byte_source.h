/* byte_source.h - where ingest gets a source's bytes, and the reading of one
 * source into its reader in one transaction.  A byte source is a plain file
 * read with pread from an offset, or a sequential stream (an archive member,
 * decompressed) where starting at an offset means skipping that many bytes.
 * Internal to ingest/: used by ingest_file.c (plain files) and archive.c. */
#ifndef PK_BYTE_SOURCE_H
#define PK_BYTE_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "../../core/store.h"
#include "ingest.h"
#include "reader.h"

#define PK_HASH_SPAN 4096

/* A stream's next bytes into buf (at most n): how many, 0 at its end, -1 on
 * an error with *why saying what went wrong (a string owned by ctx or
 * static, valid until the next call). */
typedef ptrdiff_t (*pk_stream_fn)(void *ctx, char *buf, size_t n, const char **why);

struct pk_byte_source {
	int fd;               /* a plain file, or -1 for a stream */
	int64_t pos;          /* offset of the next byte to read */
	pk_stream_fn next;    /* a stream: its bytes after head */
	void *ctx;
	const char *head;     /* a stream's first bytes, already taken from it */
	size_t nhead;         /* (kept by the caller while the source is read) */
	int complete;         /* the end of the bytes is the end of the data: a
	                         last line without newline is read as a line */
	int err;              /* errno of a failed file read */
	const char *why;      /* or why a stream failed */
	char tail[PK_HASH_SPAN];   /* a stream's last bytes read (tail hash) */
	size_t ntail;
};

/* A plain file, read from offset 0 (pk_bs_seek moves it). */
void pk_bs_file(struct pk_byte_source *s, int fd);
/* A complete stream whose first nhead bytes (head) were already taken. */
void pk_bs_stream(struct pk_byte_source *s, pk_stream_fn next, void *ctx,
                  const char *head, size_t nhead);
/* Makes offset the next byte read: a file reads from there, a stream skips
 * forward to it (it cannot go back: PK_ERR_IO).  PK_ERR_IO when the source
 * ends before offset or fails. */
enum pk_status pk_bs_seek(struct pk_byte_source *s, int64_t offset);
/* Up to n next bytes into buf: how many, 0 at the end, -1 on an error. */
ptrdiff_t pk_bs_read(struct pk_byte_source *s, char *buf, size_t n);
/* Why the last read failed (static text or owned by the source). */
const char *pk_bs_error(const struct pk_byte_source *s);
/* FNV-1a of the first 4 KiB and of the 4 KiB before offset.  A file hashes
 * its bytes; a stream its head and its last bytes read (offset must be
 * where it was read to).  -1 on a read error. */
int pk_bs_hashes(const struct pk_byte_source *s, int64_t offset, uint64_t *head,
                 uint64_t *tail);
/* The same for the bytes of fd. */
int pk_fd_hashes(int fd, int64_t offset, uint64_t *head, uint64_t *tail);

/* One source to read: where it is remembered and how it is shown. */
struct pk_source_desc {
	const char *abs;      /* source_file.path: the absolute path of the file or archive */
	const char *member;   /* source_file.member: "" for a plain file */
	const char *display;  /* in diagnostics and outcomes: PATH or ARCHIVE:MEMBER */
	const char *base;     /* base name: the profile a file name names */
	int64_t device, inode, mtime_ns;
	int64_t size;         /* stored as its size; -1: the bytes read */
	int64_t expect;       /* bytes expected to be read, -1: not known; a
	                         small source is parsed without a second thread */
	/* A plain file: 1 when the bytes read before are still its first
	 * read_offset bytes (reading goes on from there).  NULL: a source read
	 * before is read again from its start. */
	int (*intact)(void *ctx, const struct pk_source_state *st);
	void *intact_ctx;
};

/* Reads src with reader in one transaction: from the stored read offset
 * when intact says so, else from the start (its old rejects replaced).
 * Records the outcome (read, or failed with the reason).  Returns PK_OK,
 * PK_ERR_IO when this source failed (nothing of it stored; the run may go
 * on), or PK_ERR_DB / PK_ERR_NOMEM when the run must stop. */
enum pk_status pk_ingest_source(struct pk_db *db, const struct pk_source_desc *d,
                                struct pk_byte_source *src,
                                const struct pk_reader *reader,
                                const struct pk_ingest_opts *opts,
                                struct pk_ingest_result *res);

/* Appends an outcome to res->files and counts it. */
enum pk_status pk_ingest_outcome(struct pk_ingest_result *res, const char *path,
                                 const char *format, enum pk_file_action action,
                                 const char *note, int64_t lines);
/* Reports a file-level error through opts->diag. */
void pk_ingest_error(const struct pk_ingest_opts *o, const char *path, const char *msg);

#endif
