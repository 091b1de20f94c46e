/* ingest_file.c - reading one file incrementally: recognise it, decide where
 * to start (new, grown, replaced or unchanged), split it into lines, hand
 * them to its reader, and store how far it was read, all in one transaction.
 *
 * A file is remembered by its absolute path with its size, modification
 * time, device and inode, and FNV-1a hashes of the first 4 KiB and of the
 * 4 KiB before the read offset.  When both hashes still match, reading goes
 * on from the offset; otherwise the file was replaced or truncated and is
 * read again from the start (samples dedupe by (profile, time); its old
 * rejects are replaced).  A last line without a newline is left unread. */
#include "ingest.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/hash.h"
#include "../core/metrics.h"
#include "../core/store.h"
#include "../core/timeutil.h"
#include "reader.h"

#define HASH_SPAN 4096
#define READ_CHUNK ((size_t)1 << 20)

static enum pk_status outcome(struct pk_ingest_result *res, const char *path,
                              const char *format, enum pk_file_action action,
                              const char *note, int64_t lines)
{
	struct pk_file_outcome *f = realloc(res->files, (res->nfiles + 1) * sizeof *f);
	if (!f)
		return PK_ERR_NOMEM;
	res->files = f;
	f = &f[res->nfiles];
	*f = (struct pk_file_outcome){ strdup(path), format, action,
	                               note ? strdup(note) : NULL, lines };
	if (!f->path || (note && !f->note)) {
		free(f->path);
		free(f->note);
		return PK_ERR_NOMEM;
	}
	res->nfiles++;
	switch (action) {
	case PK_FILE_READ: res->files_read++; break;
	case PK_FILE_UNCHANGED: res->files_unchanged++; break;
	case PK_FILE_SKIPPED: res->files_skipped++; break;
	case PK_FILE_FAILED: res->files_failed++; break;
	case PK_FILE_PLANNED: break;
	}
	return PK_OK;
}

static void report_file_error(const struct pk_ingest_opts *o, const char *path,
                              const char *msg)
{
	if (o->diag) {
		struct pk_diag d = { PK_SEV_ERROR, path, 0, 0, msg };
		o->diag(o->diag_ctx, &d);
	}
}

/* FNV-1a of bytes [from, from + n) of fd; -1 on a read error. */
static int hash_range(int fd, int64_t from, int64_t n, uint64_t *h)
{
	char buf[HASH_SPAN];
	*h = PK_FNV_INIT;
	while (n > 0) {
		size_t want = n < (int64_t)sizeof buf ? (size_t)n : sizeof buf;
		ssize_t r = pread(fd, buf, want, (off_t)from);
		if (r <= 0)
			return -1;
		*h = pk_fnv1a(*h, buf, (size_t)r);
		from += r;
		n -= r;
	}
	return 0;
}

static int head_tail(int fd, int64_t offset, uint64_t *head, uint64_t *tail)
{
	int64_t hn = offset < HASH_SPAN ? offset : HASH_SPAN;
	int64_t tn = offset < HASH_SPAN ? offset : HASH_SPAN;
	return hash_range(fd, 0, hn, head) || hash_range(fd, offset - tn, tn, tail) ? -1 : 0;
}

/* 1 when the bytes read before are still the file's first read_offset
 * bytes (by the two hashes). */
static int prefix_intact(int fd, const struct stat *sb, const struct pk_source_state *s)
{
	uint64_t h, t;
	if (s->id == 0 || sb->st_size < s->read_offset)
		return 0;
	return head_tail(fd, s->read_offset, &h, &t) == 0 && h == s->head_hash &&
	       t == s->tail_hash;
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

/* The profile a file name names: hardware_profile_<profile>.jsonl. */
static char *profile_from_name(const char *base)
{
	size_t n = strlen(base);
	if (strncmp(base, "hardware_profile_", 17) != 0 || n <= 23 ||
	    strcmp(base + n - 6, ".jsonl") != 0)
		return NULL;
	return strndup(base + 17, n - 23);
}

struct line_loop {
	int fd;
	const struct pk_reader *reader;
	void *state;
	struct pk_sink *sink;
	const struct pk_ingest_opts *opts;
	const char *path;
	int64_t offset;     /* first byte not consumed */
	int64_t lineno;     /* lines consumed */
	int64_t pending;    /* 1 when an unfinished last line was left */
	int64_t rec_offset; /* offset and line count at the last record boundary */
	int64_t rec_lines;
	enum pk_status rc;  /* of the parsing thread */
};

static enum pk_status one_line(struct line_loop *L, const char *p, size_t n)
{
	L->lineno++;
	if (L->lineno == 1 && n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
		p += 3;
		n -= 3;
	}
	if (n && p[n - 1] == '\r')
		n--;
	size_t i = 0;
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	if (i == n)
		return PK_OK;   /* blank line */
	return L->reader->line(L->state, L->sink, p, n, L->lineno);
}

/* Reads lines from L->offset to the last newline. */
static enum pk_status read_lines(struct line_loop *L)
{
	size_t cap = READ_CHUNK, have = 0;
	char *buf = malloc(cap);
	if (!buf)
		return PK_ERR_NOMEM;
	enum pk_status rc = PK_OK;
	int64_t file_pos = L->offset;  /* file offset of buf[have] */
	int skipping = 0;              /* inside a line longer than PK_MAX_LINE */
	int64_t skip_len = 0, since_progress = 0;
	for (;;) {
		ssize_t r = pread(L->fd, buf + have, cap - have, (off_t)file_pos);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			rc = PK_ERR_IO;
			break;
		}
		if (r == 0)
			break;
		file_pos += r;
		size_t end = have + (size_t)r, start = 0;
		char *nl;
		while (rc == PK_OK && (nl = memchr(buf + start, '\n', end - start))) {
			size_t len = (size_t)(nl - (buf + start));
			if (skipping) {
				skipping = 0;
				L->lineno++;
				L->offset += skip_len + (int64_t)len + 1;
			} else {
				rc = one_line(L, buf + start, len);
				L->offset += (int64_t)len + 1;
			}
			if (!L->reader->in_record || !L->reader->in_record(L->state)) {
				L->rec_offset = L->offset;
				L->rec_lines = L->lineno;
			}
			start += len + 1;
			since_progress++;
		}
		if (rc != PK_OK)
			break;
		if (skipping) {
			skip_len += (int64_t)(end - start);
			have = 0;
		} else {
			memmove(buf, buf + start, end - start);
			have = end - start;
		}
		if (have == cap) {
			if (cap < PK_MAX_LINE) {
				char *p = realloc(buf, cap * 2);
				if (!p) {
					rc = PK_ERR_NOMEM;
					break;
				}
				buf = p;
				cap *= 2;
			} else {
				/* reject now, keep the first bytes, drop the rest */
				rc = pk_sink_reject(L->sink, L->lineno + 1, 0,
				                    "line longer than 8 MiB", buf, have);
				skipping = 1;
				skip_len = (int64_t)have;
				have = 0;
			}
		}
		if (since_progress >= 65536 && L->opts->progress) {
			L->opts->progress(L->opts->progress_ctx, L->path, L->lineno, L->offset);
			since_progress = 0;
		}
	}
	if (rc == PK_OK && (have > 0 || skipping || L->rec_offset != L->offset))
		L->pending = 1;
	/* what was consumed: up to the last record boundary */
	L->offset = L->rec_offset;
	L->lineno = L->rec_lines;
	free(buf);
	return rc;
}

/* Whole-document readers: the file from its start, in chunks. */
static enum pk_status read_whole(struct line_loop *L)
{
	char *buf = malloc(READ_CHUNK);
	if (!buf)
		return PK_ERR_NOMEM;
	enum pk_status rc = PK_OK;
	int64_t pos = 0, lines = 0;
	for (;;) {
		ssize_t r = pread(L->fd, buf, READ_CHUNK, (off_t)pos);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = PK_ERR_IO;
			break;
		}
		if (r == 0)
			break;
		for (const char *p = buf; (p = memchr(p, '\n', (size_t)(buf + r - p))); p++)
			lines++;
		pos += r;
		if ((rc = L->reader->chunk(L->state, L->sink, buf, (size_t)r)) != PK_OK)
			break;
	}
	if (rc == PK_OK)
		rc = L->reader->finish(L->state, L->sink);
	free(buf);
	L->offset = pos;
	L->lineno = lines;
	return rc;
}

/* The parsing thread: reads the lines and packs records into batches. */
static void *parse_thread(void *arg)
{
	struct line_loop *L = arg;
	L->rc = PK_ERR_NOMEM;
	L->state = L->reader->open(L->sink);
	if (L->state) {
		L->rc = L->reader->chunk ? read_whole(L) : read_lines(L);
		L->reader->close(L->state);
	}
	pk_sink_flush(L->sink);
	pk_pipe_done(L->sink->pipe);
	return NULL;
}

/* Reads the file on a second thread while this one stores its records. */
static enum pk_status run_pipeline(struct line_loop *L)
{
	struct pk_sink *sink = L->sink;
	pthread_t tid;
	if (pthread_create(&tid, NULL, parse_thread, L) != 0)
		return PK_ERR_NOMEM;
	enum pk_status rc = PK_OK;
	struct pk_batch *b;
	while ((b = pk_pipe_pop(sink->pipe))) {
		if (rc == PK_OK && (rc = pk_sink_apply(sink, b)) != PK_OK)
			pk_pipe_abort(sink->pipe);
		pk_pipe_give_back(sink->pipe, b);
	}
	pthread_join(tid, NULL);
	if (rc == PK_OK)
		rc = L->rc;
	return rc;
}

/* The transaction for one file; *lines gets the lines read. */
static enum pk_status ingest_locked(struct pk_db *db, int fd, const struct stat *sb,
                                    const char *abs, const char *path,
                                    const struct pk_reader *reader,
                                    const struct pk_ingest_opts *opts,
                                    struct pk_ingest_result *res, int64_t *lines)
{
	struct pk_source_state s;
	enum pk_status rc = pk_store_source_get(db, abs, "", &s);
	if (rc != PK_OK)
		return rc;
	int64_t now = pk_time_now_us();
	/* a whole document is read again whole when it changed */
	if (s.id && (reader->chunk || !prefix_intact(fd, sb, &s))) {
		s.read_offset = s.read_lines = 0;
		if ((rc = pk_store_rejects_clear(db, s.id)) != PK_OK)
			return rc;
	}
	if (s.id == 0 && (rc = pk_store_source_put(db, abs, "", reader->name, &s, now)) != PK_OK)
		return rc;

	const char *base = strrchr(path, '/');
	char *fprofile = profile_from_name(base ? base + 1 : path);
	struct pk_pipe pipe;
	double *scratch = malloc(pk_hw_nmetrics * sizeof *scratch);
	if (!scratch || pk_pipe_init(&pipe) != PK_OK) {
		free(scratch);
		free(fprofile);
		return PK_ERR_NOMEM;
	}
	struct pk_sink sink = { .db = db, .source_id = s.id, .display = path,
	                        .file_profile = fprofile, .opts = opts,
	                        .file_mtime_us = mtime_ns(sb) / 1000, .diag = opts->diag,
	                        .diag_ctx = opts->diag_ctx, .pipe = &pipe,
	                        .v_scratch = scratch };
	struct line_loop L = { .fd = fd, .reader = reader, .sink = &sink, .opts = opts,
	                       .path = path, .offset = s.read_offset, .lineno = s.read_lines,
	                       .rec_offset = s.read_offset, .rec_lines = s.read_lines };
	int64_t first_line = s.read_lines, first_offset = s.read_offset;
	rc = run_pipeline(&L);
	pk_pipe_destroy(&pipe);
	free(scratch);
	free(fprofile);
	if (rc == PK_OK) {
		s.device = (int64_t)sb->st_dev;
		s.inode = (int64_t)sb->st_ino;
		s.size = sb->st_size;
		s.mtime_ns = mtime_ns(sb);
		s.read_offset = L.offset;
		s.read_lines = L.lineno;
		if (head_tail(fd, s.read_offset, &s.head_hash, &s.tail_hash))
			rc = PK_ERR_IO;
		else
			rc = pk_store_source_put(db, abs, "", reader->name, &s, now);
	}
	if (rc == PK_OK) {
		*lines = L.lineno - first_line;
		res->lines += *lines;
		res->bytes += L.offset - first_offset;
		res->pending += L.pending;
		rc = pk_sink_counts_merge(&res->counts, &sink.counts);
	}
	pk_sink_counts_free(&sink.counts);
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
		report_file_error(opts, path, msg);
		return outcome(res, path, NULL, PK_FILE_FAILED, msg, 0) == PK_OK ? PK_ERR_IO
		                                                                 : PK_ERR_NOMEM;
	}
	enum pk_status rc = PK_OK;
	char head[HASH_SPAN];
	ssize_t hn = pread(fd, head, sizeof head, 0);
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	char *abs = realpath(path, NULL);
	const struct pk_reader *reader = NULL;
	if (!S_ISREG(sb.st_mode)) {
		rc = outcome(res, path, NULL, PK_FILE_SKIPPED, "not a regular file", 0);
		goto done;
	}
	if (hn < 0 || !abs) {
		const char *msg = strerror(errno);
		report_file_error(opts, path, msg);
		rc = outcome(res, path, NULL, PK_FILE_FAILED, msg, 0);
		rc = rc == PK_OK ? PK_ERR_IO : rc;
		goto done;
	}
	size_t skip = hn >= 3 && memcmp(head, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	reader = opts->format ? pk_reader_find(opts->format)
	                      : pk_reader_detect(base, head + skip, (size_t)hn - skip);
	if (!reader) {
		rc = outcome(res, path, NULL, PK_FILE_SKIPPED,
		             sb.st_size == 0 ? "empty file" : "no reader claims this file", 0);
		goto done;
	}
	struct pk_source_state s;
	if ((rc = pk_store_source_get(db, abs, "", &s)) != PK_OK)
		goto done;
	if (unchanged(fd, &sb, &s)) {
		rc = outcome(res, path, reader->name, PK_FILE_UNCHANGED, NULL, 0);
		goto done;
	}
	if (opts->dry_run) {
		const char *note = s.id == 0 ? "new" : prefix_intact(fd, &sb, &s)
		                   ? "grown: new bytes only" : "changed: read again from the start";
		rc = outcome(res, path, reader->name, PK_FILE_PLANNED, note, 0);
		goto done;
	}
	if ((rc = pk_db_begin(db)) != PK_OK)
		goto done;
	int64_t lines = 0;
	rc = pk_store_samples_begin(db);
	if (rc == PK_OK)
		rc = ingest_locked(db, fd, &sb, abs, path, reader, opts, res, &lines);
	if (rc == PK_OK)
		rc = pk_store_samples_end(db);
	if (rc == PK_OK)
		rc = pk_db_commit(db);
	if (rc != PK_OK) {
		pk_db_rollback(db);
		pk_store_samples_abort(db);
		const char *msg = rc == PK_ERR_IO ? strerror(errno) : rc == PK_ERR_DB
		                  ? pk_db_errmsg(db) : pk_status_str(rc);
		report_file_error(opts, path, msg);
		enum pk_status r2 = outcome(res, path, reader->name, PK_FILE_FAILED, msg, 0);
		if (rc == PK_ERR_IO && r2 == PK_OK)
			rc = PK_ERR_IO;
		else if (r2 != PK_OK)
			rc = r2;
		goto done;
	}
	rc = outcome(res, path, reader->name, PK_FILE_READ, NULL, lines);
done:
	free(abs);
	close(fd);
	return rc;
}
