/* byte_source.c - a source's bytes (plain file or decompressed stream), the
 * line loop and the whole-document loop over them, and the transaction that
 * reads one source into its reader (see byte_source.h).
 *
 * A plain file is read from its stored offset and a last line without a
 * newline is left for the next run.  A stream (an archive member) is
 * complete: it is read whole, a last line without a newline is a line, and
 * a record still open at its end (CSV) is rejected. */
#include "byte_source.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../core/hash.h"
#include "../../core/metrics.h"
#include "../../core/timeutil.h"

#define READ_CHUNK ((size_t)1 << 20)
#define PK_INLINE_MAX ((int64_t)1 << 20)   /* bytes of a source parsed inline */

void pk_bs_file(struct pk_byte_source *s, int fd)
{
	memset(s, 0, offsetof(struct pk_byte_source, tail));
	s->fd = fd;
	s->ntail = 0;
}

void pk_bs_stream(struct pk_byte_source *s, pk_stream_fn next, void *ctx,
                  const char *head, size_t nhead)
{
	memset(s, 0, offsetof(struct pk_byte_source, tail));
	s->fd = -1;
	s->next = next;
	s->ctx = ctx;
	s->head = head;
	s->nhead = nhead;
	s->complete = 1;
	s->ntail = 0;
}

/* Keeps the last PK_HASH_SPAN bytes a stream gave. */
static void keep_tail(struct pk_byte_source *s, const char *p, size_t n)
{
	if (n >= PK_HASH_SPAN) {
		memcpy(s->tail, p + n - PK_HASH_SPAN, PK_HASH_SPAN);
		s->ntail = PK_HASH_SPAN;
		return;
	}
	if (s->ntail + n > PK_HASH_SPAN) {
		size_t drop = s->ntail + n - PK_HASH_SPAN;
		memmove(s->tail, s->tail + drop, s->ntail - drop);
		s->ntail -= drop;
	}
	memcpy(s->tail + s->ntail, p, n);
	s->ntail += n;
}

ptrdiff_t pk_bs_read(struct pk_byte_source *s, char *buf, size_t n)
{
	if (s->fd >= 0) {
		for (;;) {
			ssize_t r = pread(s->fd, buf, n, (off_t)s->pos);
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0) {
				s->err = errno;
				return -1;
			}
			s->pos += r;
			return r;
		}
	}
	ptrdiff_t r;
	if ((uint64_t)s->pos < s->nhead) {
		size_t left = s->nhead - (size_t)s->pos;
		r = (ptrdiff_t)(n < left ? n : left);
		memcpy(buf, s->head + s->pos, (size_t)r);
	} else {
		const char *why = NULL;
		r = s->next(s->ctx, buf, n, &why);
		if (r < 0) {
			s->why = why ? why : "read error";
			return -1;
		}
	}
	keep_tail(s, buf, (size_t)r);
	s->pos += r;
	return r;
}

enum pk_status pk_bs_seek(struct pk_byte_source *s, int64_t offset)
{
	if (s->fd >= 0) {
		s->pos = offset;
		return PK_OK;
	}
	if (offset < s->pos) {
		s->why = "cannot go back in a stream";
		return PK_ERR_IO;
	}
	char buf[PK_HASH_SPAN];
	while (s->pos < offset) {
		int64_t left = offset - s->pos;
		ptrdiff_t r = pk_bs_read(s, buf, left < (int64_t)sizeof buf ? (size_t)left
		                                                           : sizeof buf);
		if (r <= 0) {
			if (r == 0)
				s->why = "ends before the offset read to before";
			return PK_ERR_IO;
		}
	}
	return PK_OK;
}

const char *pk_bs_error(const struct pk_byte_source *s)
{
	if (s->why)
		return s->why;
	return s->err ? strerror(s->err) : "read error";
}

/* FNV-1a of bytes [from, from + n) of fd; -1 on a read error. */
static int hash_range(int fd, int64_t from, int64_t n, uint64_t *h)
{
	char buf[PK_HASH_SPAN];
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

int pk_fd_hashes(int fd, int64_t offset, uint64_t *head, uint64_t *tail)
{
	int64_t n = offset < PK_HASH_SPAN ? offset : PK_HASH_SPAN;
	return hash_range(fd, 0, n, head) || hash_range(fd, offset - n, n, tail) ? -1 : 0;
}

int pk_bs_hashes(const struct pk_byte_source *s, int64_t offset, uint64_t *head,
                 uint64_t *tail)
{
	if (s->fd >= 0)
		return pk_fd_hashes(s->fd, offset, head, tail);
	if (offset != s->pos)
		return -1;
	size_t hn = offset < PK_HASH_SPAN ? (size_t)offset : PK_HASH_SPAN;
	if (hn > s->nhead)
		return -1;
	*head = pk_fnv1a(PK_FNV_INIT, s->head, hn);
	*tail = pk_fnv1a(PK_FNV_INIT, s->tail, s->ntail);
	return 0;
}

struct line_loop {
	struct pk_byte_source *src;
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
	size_t chunk;       /* bytes read at a time (less for a small source) */
	enum pk_status rc;  /* of the parsing thread */
};

static enum pk_status one_line(struct line_loop *L, const char *p, size_t n)
{
	L->lineno++;
	if (L->lineno == 1 && n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
		p += 3;
		n -= 3;
	}
	if (L->reader->raw_lines)
		return L->reader->line(L->state, L->sink, p, n, L->lineno);
	if (n && p[n - 1] == '\r')
		n--;
	size_t i = 0;
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	if (i == n)
		return PK_OK;   /* blank line */
	return L->reader->line(L->state, L->sink, p, n, L->lineno);
}

static int at_record_boundary(struct line_loop *L)
{
	return !L->reader->in_record || !L->reader->in_record(L->state);
}

/* The end of a complete source: its last line even without a newline; a
 * record still open there can never be finished. */
static enum pk_status finish_complete(struct line_loop *L, const char *buf, size_t have,
                                      int skipping, int64_t skip_len)
{
	enum pk_status rc = PK_OK;
	if (skipping) {
		L->lineno++;
		L->offset += skip_len;
	} else if (have > 0) {
		rc = one_line(L, buf, have);
		L->offset += (int64_t)have;
	}
	if (rc == PK_OK && !at_record_boundary(L))
		rc = pk_sink_reject(L->sink, L->rec_lines + 1, 0,
		                    "record not finished at the end of the data "
		                    "(unbalanced quote?)", "", 0);
	L->rec_offset = L->offset;
	L->rec_lines = L->lineno;
	return rc;
}

/* Reads lines from L->offset to the last newline (to the end when the
 * source is complete). */
static enum pk_status read_lines(struct line_loop *L)
{
	size_t cap = L->chunk, have = 0;
	char *buf = malloc(cap);
	if (!buf)
		return PK_ERR_NOMEM;
	enum pk_status rc = PK_OK;
	int skipping = 0;              /* inside a line longer than PK_MAX_LINE */
	int64_t skip_len = 0, since_progress = 0;
	for (;;) {
		ptrdiff_t r = pk_bs_read(L->src, buf + have, cap - have);
		if (r < 0) {
			rc = PK_ERR_IO;
			break;
		}
		if (r == 0)
			break;
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
			if (at_record_boundary(L)) {
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
			struct pk_progress pg = { L->path, L->lineno, L->offset, 0, 0 };
			L->opts->progress(L->opts->progress_ctx, &pg);
			since_progress = 0;
		}
	}
	if (rc == PK_OK && L->src->complete)
		rc = finish_complete(L, buf, have, skipping, skip_len);
	else if (rc == PK_OK && (have > 0 || skipping || L->rec_offset != L->offset))
		L->pending = 1;
	/* what was consumed: up to the last record boundary */
	L->offset = L->rec_offset;
	L->lineno = L->rec_lines;
	free(buf);
	return rc;
}

/* Whole-document readers: the source from its start, in chunks. */
static enum pk_status read_whole(struct line_loop *L)
{
	char *buf = malloc(L->chunk);
	if (!buf)
		return PK_ERR_NOMEM;
	enum pk_status rc = PK_OK;
	int64_t pos = 0, lines = 0;
	for (;;) {
		ptrdiff_t r = pk_bs_read(L->src, buf, L->chunk);
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

/* A small source is parsed on this thread, each batch stored when full:
 * starting a thread would cost more than it saves. */
static enum pk_status run_inline(struct line_loop *L)
{
	L->sink->apply_inline = 1;
	parse_thread(L);
	return L->sink->apply_rc != PK_OK ? L->sink->apply_rc : L->rc;
}

/* Reads the source on a second thread while this one stores its records. */
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

/* The profile a file name names: hardware_profile_<profile>.jsonl. */
static char *profile_from_name(const char *base)
{
	size_t n = strlen(base);
	if (strncmp(base, "hardware_profile_", 17) != 0 || n <= 23 ||
	    strcmp(base + n - 6, ".jsonl") != 0)
		return NULL;
	return strndup(base + 17, n - 23);
}

/* What one file added, joined to the run's totals only once its
 * transaction has committed (a file rolled back adds nothing). */
struct file_tally {
	int64_t lines, bytes, pending, replaced;
	struct pk_sink_counts counts;
};

/* Inside the transaction; *t gets what the file added (caller frees its
 * counts). */
static enum pk_status ingest_locked(struct pk_db *db, const struct pk_source_desc *d,
                                    struct pk_byte_source *src,
                                    const struct pk_reader *reader,
                                    const struct pk_ingest_opts *opts,
                                    struct file_tally *t)
{
	struct pk_source_state s;
	enum pk_status rc = pk_store_source_get(db, d->abs, d->member, &s);
	if (rc != PK_OK)
		return rc;
	int64_t now = pk_time_now_us();
	/* --force: what the source stored before is forgotten, it is read anew */
	int64_t gone = 0;
	if (s.id && opts->force) {
		if ((rc = pk_store_source_clear(db, s.id, &gone)) != PK_OK)
			return rc;
		s.read_offset = s.read_lines = 0;
	}
	/* a whole document, a stream or a changed file is read again whole */
	if (s.id && (reader->chunk || !d->intact || !d->intact(d->intact_ctx, &s))) {
		s.read_offset = s.read_lines = 0;
		if ((rc = pk_store_rejects_clear(db, s.id)) != PK_OK)
			return rc;
	}
	if (s.id == 0 &&
	    (rc = pk_store_source_put(db, d->abs, d->member, reader->name, &s, now)) != PK_OK)
		return rc;
	/* a reader that needs the lines before: from the start, those replayed */
	int64_t replay = reader->replay_prefix ? s.read_lines : 0;
	int64_t start_offset = replay ? 0 : s.read_offset, start_lines = replay ? 0 : s.read_lines;
	if ((rc = pk_bs_seek(src, start_offset)) != PK_OK)
		return rc;

	char *fprofile = profile_from_name(d->base);
	struct pk_pipe pipe;
	double *scratch = malloc(pk_hw_nmetrics * sizeof *scratch);
	if (!scratch || pk_pipe_init(&pipe) != PK_OK) {
		free(scratch);
		free(fprofile);
		return PK_ERR_NOMEM;
	}
	struct pk_sink sink = { .db = db, .source_id = s.id, .display = d->display,
	                        .file_profile = fprofile, .opts = opts,
	                        .file_mtime_us = d->mtime_ns / 1000, .diag = opts->diag,
	                        .diag_ctx = opts->diag_ctx, .pipe = &pipe,
	                        .v_scratch = scratch, .replay_lines = replay };
	struct line_loop L = { .src = src, .reader = reader, .sink = &sink, .opts = opts,
	                       .path = d->display, .offset = start_offset,
	                       .lineno = start_lines, .rec_offset = start_offset,
	                       .rec_lines = start_lines };
	int64_t first_line = s.read_lines, first_offset = s.read_offset;
	int small = d->expect >= 0 && d->expect <= PK_INLINE_MAX;
	/* a buffer as big as a small source, a power of two (a longer line
	 * doubles it up to PK_MAX_LINE) */
	L.chunk = 4096;
	while (L.chunk < READ_CHUNK && (!small || (int64_t)L.chunk <= d->expect))
		L.chunk *= 2;
	rc = small ? run_inline(&L) : run_pipeline(&L);
	pk_pipe_destroy(&pipe);
	free(scratch);
	free(fprofile);
	if (rc == PK_OK) {
		s.device = d->device;
		s.inode = d->inode;
		s.size = d->size >= 0 ? d->size : L.offset;
		s.mtime_ns = d->mtime_ns;
		s.read_offset = L.offset;
		s.read_lines = L.lineno;
		if (pk_bs_hashes(src, s.read_offset, &s.head_hash, &s.tail_hash)) {
			src->why = src->why ? src->why : "cannot hash what was read";
			rc = PK_ERR_IO;
		} else {
			rc = pk_store_source_put(db, d->abs, d->member, reader->name, &s, now);
		}
	}
	if (rc == PK_OK) {
		t->lines = L.lineno - first_line;
		t->bytes = L.offset - first_offset;
		t->pending = L.pending;
		t->replaced = gone;
	}
	t->counts = sink.counts;
	return rc;
}

enum pk_status pk_ingest_source(struct pk_db *db, const struct pk_source_desc *d,
                                struct pk_byte_source *src,
                                const struct pk_reader *reader,
                                const struct pk_ingest_opts *opts,
                                struct pk_ingest_result *res)
{
	const char *refused = reader->refuse ? reader->refuse(opts, d->display) : NULL;
	if (refused) {
		pk_ingest_error(opts, d->display, refused);
		enum pk_status r = pk_ingest_outcome(res, d->display, reader->name, PK_FILE_FAILED,
		                                     refused, 0);
		return r != PK_OK ? r : PK_ERR_IO;
	}
	/* inside a transaction already (an archive's batch of members): a
	 * savepoint, so that this source alone is rolled back on failure */
	int nested = pk_db_in_transaction(db);
	enum pk_status rc = nested ? pk_db_savepoint(db) : pk_db_begin(db);
	if (rc != PK_OK)
		return rc;
	struct file_tally t = { 0 };
	/* nested, the samples' columnar copy is written when the whole
	 * transaction commits (pk_store_samples_end is the caller's) */
	if (nested)
		pk_store_samples_part_begin(db);
	else
		rc = pk_store_samples_begin(db);
	if (rc == PK_OK)
		rc = ingest_locked(db, d, src, reader, opts, &t);
	if (rc == PK_OK && !nested)
		rc = pk_store_samples_end(db);
	if (rc == PK_OK)
		rc = nested ? pk_db_release(db) : pk_db_commit(db);
	if (rc == PK_OK) {
		res->lines += t.lines;
		res->bytes += t.bytes;
		res->pending += t.pending;
		res->replaced += t.replaced;
		rc = pk_sink_counts_merge(&res->counts, &t.counts);
		pk_sink_counts_free(&t.counts);
		return rc == PK_OK ? pk_ingest_outcome(res, d->display, reader->name, PK_FILE_READ,
		                                       NULL, t.lines) : rc;
	}
	pk_sink_counts_free(&t.counts);
	if (nested) {
		pk_db_rollback_savepoint(db);
		if (pk_store_samples_part_rollback(db) != PK_OK && rc == PK_ERR_IO)
			rc = PK_ERR_DB;   /* the run stops: its batch cannot be kept */
	} else {
		pk_db_rollback(db);
		pk_store_samples_abort(db);
	}
	struct pk_buf msg = PK_BUF_INIT;
	if (rc == PK_ERR_IO && src->fd < 0)
		pk_buf_printf(&msg, "damaged, not stored: %s", pk_bs_error(src));
	else
		pk_buf_printf(&msg, "%s%s", rc == PK_ERR_DB ? "not stored: database: " : "",
		              rc == PK_ERR_IO ? pk_bs_error(src) : rc == PK_ERR_DB
		              ? pk_db_errmsg(db) : pk_status_str(rc));
	const char *text = msg.data ? msg.data : pk_status_str(rc);
	pk_ingest_error(opts, d->display, text);
	enum pk_status r2 = pk_ingest_outcome(res, d->display, reader->name,
	                                      PK_FILE_FAILED, text, 0);
	pk_buf_free(&msg);
	return r2 != PK_OK ? r2 : rc;
}

enum pk_status pk_ingest_outcome(struct pk_ingest_result *res, const char *path,
                                 const char *format, enum pk_file_action action,
                                 const char *note, int64_t lines)
{
	struct pk_file_outcome *f = res->files;
	if (res->nfiles == res->capfiles) {   /* grown by doubling: an archive
	                                         may have 100,000 members */
		size_t cap = res->capfiles ? res->capfiles * 2 : 16;
		if (!(f = realloc(res->files, cap * sizeof *f)))
			return PK_ERR_NOMEM;
		res->files = f;
		res->capfiles = cap;
	}
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

void pk_ingest_error(const struct pk_ingest_opts *o, const char *path, const char *msg)
{
	if (o->diag) {
		struct pk_diag d = { PK_SEV_ERROR, path, 0, 0, msg };
		o->diag(o->diag_ctx, &d);
	}
}
