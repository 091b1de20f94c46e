/* archive.c - archives and compressed files read in place (see archive.h).
 *
 * gzip is decompressed with zlib, which checks every member's CRC and
 * length (libarchive's gzip filter does not), so a truncated or corrupt .gz
 * is always noticed; a .gz may hold several gzip members (appended ones)
 * and trailing zero bytes.  Tar (plain, or from the gzip stream) and zip
 * are read with libarchive, streaming: nothing is extracted, memory stays
 * bounded.  Members are read one at a time, on this thread when small,
 * each in its own savepoint of a transaction that holds a batch of members
 * (up to BATCH_MEMBERS, or BATCH_US of work): a member whose data turns
 * out damaged is rolled back alone and reported, the members before it
 * stay stored, and the run goes on.  A batch commits as one: its outcomes
 * and counts join the run's only then (a kill -9 loses the open batch
 * only, and the next run reads those members, the archive having changed
 * from what was remembered, or not been remembered at all). */
#include "archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "../../core/hash.h"
#include "../../core/store.h"
#include "byte_source.h"
#include "reader.h"

#define IN_SIZE ((size_t)64 << 10)
#define BATCH_MEMBERS 2000          /* members committed together at most */
#define BATCH_US ((int64_t)1000000) /* a batch commits after this long */

/* ---- gzip with zlib ---------------------------------------------------- */

/* The decompression limits of one archive (see ingest.h). */
struct unpack_limit {
	int64_t max_out;
	double max_ratio;
	char msg[200];
};

static void unpack_limit_init(struct unpack_limit *l, const struct pk_ingest_opts *o)
{
	l->max_out = o->max_unpacked > 0 ? o->max_unpacked : PK_MAX_UNPACKED_DEFAULT;
	l->max_ratio = o->max_ratio > 0 ? o->max_ratio : PK_MAX_RATIO_DEFAULT;
}

/* NULL while out decompressed bytes from in compressed ones are within the
 * limits; else why not (a decompression bomb, or a limit to raise). */
static const char *unpack_check(struct unpack_limit *l, int64_t out, int64_t in)
{
	if (out > l->max_out)
		snprintf(l->msg, sizeof l->msg, "decompressed to more than %lld bytes, not read "
		         "further (raise the limit with --max-unpacked)", (long long)l->max_out);
	else if (out > PK_RATIO_FLOOR && (double)out > l->max_ratio * (double)(in > 0 ? in : 1))
		snprintf(l->msg, sizeof l->msg, "decompresses to more than %g times its size "
		         "(a decompression bomb?), not read further (raise the limit with "
		         "--max-ratio)", l->max_ratio);
	else
		return NULL;
	return l->msg;
}

struct gz {
	int fd;
	int64_t pos;          /* compressed bytes read from fd */
	int64_t out;          /* decompressed bytes given out */
	struct unpack_limit *limit;
	z_stream z;
	int zinit;
	int in_member;        /* inside a gzip member (its end not yet seen) */
	int members;          /* members ended */
	int zeros;            /* only zero bytes may follow */
	int done, failed;
	char msg[160];
	unsigned char in[IN_SIZE];
};

static ptrdiff_t gz_fail(struct gz *g, const char *why, const char **out)
{
	g->failed = 1;
	snprintf(g->msg, sizeof g->msg, "%s", why);
	*out = g->msg;
	return -1;
}

/* Consumes zero bytes after the last member; -1 at any other byte. */
static int gz_zeros(struct gz *g)
{
	for (uInt i = 0; i < g->z.avail_in; i++)
		if (g->z.next_in[i] != 0)
			return -1;
	g->z.avail_in = 0;
	g->zeros = 1;
	return 0;
}

static ptrdiff_t gz_read(void *ctx, char *buf, size_t n, const char **why)
{
	struct gz *g = ctx;
	if (g->failed) {
		*why = g->msg;
		return -1;
	}
	if (g->done || n == 0)
		return 0;
	uInt want = n > (1u << 30) ? 1u << 30 : (uInt)n;
	g->z.next_out = (unsigned char *)buf;
	g->z.avail_out = want;
	while (g->z.avail_out == want) {
		if (g->z.avail_in == 0) {
			ssize_t r = pread(g->fd, g->in, IN_SIZE, (off_t)g->pos);
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0)
				return gz_fail(g, strerror(errno), why);
			if (r == 0) {
				if (g->in_member)
					return gz_fail(g, "truncated gzip data: the file ends "
					               "inside compressed data", why);
				g->done = 1;
				break;
			}
			g->pos += r;
			g->z.next_in = g->in;
			g->z.avail_in = (uInt)r;
		}
		if (!g->in_member) {
			/* between members: another member, or zero padding */
			if (g->zeros || g->z.next_in[0] == 0) {
				if (gz_zeros(g) != 0)
					return gz_fail(g, "data after the end of the gzip data", why);
				continue;
			}
			if (inflateReset(&g->z) != Z_OK)
				return gz_fail(g, "zlib failed", why);
			g->in_member = 1;
		}
		int zr = inflate(&g->z, Z_NO_FLUSH);
		if (zr == Z_STREAM_END) {
			g->in_member = 0;
			g->members++;
		} else if (zr == Z_DATA_ERROR || zr == Z_NEED_DICT) {
			char m[150];
			const char *zm = g->z.msg ? g->z.msg : "invalid data";
			if (g->members > 0 && strstr(zm, "header"))
				snprintf(m, sizeof m, "data after the end of the gzip data (%s)", zm);
			else
				snprintf(m, sizeof m, "corrupt gzip data: %s", zm);
			return gz_fail(g, m, why);
		} else if (zr == Z_MEM_ERROR) {
			return gz_fail(g, "out of memory", why);
		} else if (zr != Z_OK && zr != Z_BUF_ERROR) {
			return gz_fail(g, "zlib failed", why);
		}
	}
	g->out += (int64_t)(want - g->z.avail_out);
	const char *over = g->limit ? unpack_check(g->limit, g->out, g->pos) : NULL;
	if (over)
		return gz_fail(g, over, why);
	return (ptrdiff_t)(want - g->z.avail_out);
}

static struct gz *gz_open(int fd)
{
	struct gz *g = calloc(1, sizeof *g);
	if (!g)
		return NULL;
	g->fd = fd;
	if (inflateInit2(&g->z, 15 + 16) != Z_OK) {   /* gzip wrapper only */
		free(g);
		return NULL;
	}
	g->zinit = 1;
	return g;
}

static void gz_close(struct gz *g)
{
	if (g && g->zinit)
		inflateEnd(&g->z);
	free(g);
}

/* ---- the archive being read -------------------------------------------- */

struct arc {
	struct pk_db *db;
	const struct pk_archive_file *f;
	const struct pk_ingest_opts *opts;
	struct pk_ingest_result *res;   /* where outcomes go: pend while a batch is open */
	struct pk_ingest_result *final; /* the run's */
	struct pk_ingest_result pend;   /* the open batch's outcomes and counts */
	int in_batch;
	int64_t batch_members, batch_start_us;
	struct gz *gz;
	struct archive *a;
	char peek[PK_HASH_SPAN];  /* the first decompressed bytes, looked at first */
	size_t npeek, peek_used;
	char *cbuf;               /* libarchive's read callback buffer */
	int fatal;                /* the archive cannot be read further */
	int damaged;
	struct unpack_limit limit;
	int64_t unpacked;         /* this member's bytes decompressed (zip, plain tar) */
	int64_t packed0;          /* the archive's bytes read at its header */
	char *last;               /* the last member seen, for messages */
	int64_t nmembers;         /* members seen */
	char msg[256];
	char head[PK_HASH_SPAN];
};

/* The gzip stream with the peeked bytes first. */
static ptrdiff_t peeked_gz_read(void *ctx, char *buf, size_t n, const char **why)
{
	struct arc *x = ctx;
	if (x->peek_used < x->npeek) {
		size_t k = x->npeek - x->peek_used;
		k = k < n ? k : n;
		memcpy(buf, x->peek + x->peek_used, k);
		x->peek_used += k;
		return (ptrdiff_t)k;
	}
	ptrdiff_t r = gz_read(x->gz, buf, n, why);
	if (r < 0)
		x->fatal = 1;
	return r;
}

static la_ssize_t la_read(struct archive *a, void *ctx, const void **buf)
{
	struct arc *x = ctx;
	const char *why = NULL;
	ptrdiff_t r = peeked_gz_read(x, x->cbuf, IN_SIZE, &why);
	if (r < 0) {
		archive_set_error(a, EIO, "%s", why ? why : "read error");
		return ARCHIVE_FATAL;
	}
	*buf = x->cbuf;
	return (la_ssize_t)r;
}

/* libarchive's last error, on one line. */
static const char *la_error(struct arc *x)
{
	const char *e = archive_error_string(x->a);
	snprintf(x->msg, sizeof x->msg, "%s", e ? e : "damaged archive");
	size_t n = strlen(x->msg);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)x->msg[i] < 0x20 || x->msg[i] == 0x7f)
			x->msg[i] = ' ';
	while (n && x->msg[n - 1] == ' ')
		x->msg[--n] = '\0';
	return x->msg;
}

/* The current member's data. */
static ptrdiff_t la_member_read(void *ctx, char *buf, size_t n, const char **why)
{
	struct arc *x = ctx;
	la_ssize_t r = archive_read_data(x->a, buf, n);
	if (r < 0) {
		if (r == ARCHIVE_FATAL)
			x->fatal = 1;
		*why = la_error(x);
		return -1;
	}
	x->unpacked += r;
	/* from a gzip stream its reader checks; else per member: the bytes
	 * read since its header (the members after a bomb are still read) */
	const char *over = x->gz ? NULL
	                   : unpack_check(&x->limit, x->unpacked,
	                                  archive_filter_bytes(x->a, -1) - x->packed0);
	if (over) {
		*why = over;
		return -1;
	}
	return (ptrdiff_t)r;
}

/* Reads until buf is full or the stream ends. */
static ptrdiff_t fill(pk_stream_fn fn, void *ctx, char *buf, size_t n, const char **why)
{
	size_t have = 0;
	while (have < n) {
		ptrdiff_t r = fn(ctx, buf + have, n - have, why);
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		have += (size_t)r;
	}
	return (ptrdiff_t)have;
}

/* "ARCHIVE:MEMBER" with control characters shown as '?'. */
static enum pk_status display_name(struct pk_buf *b, const char *path, const char *member)
{
	enum pk_status rc = pk_buf_puts(b, path);
	if (rc == PK_OK)
		rc = pk_buf_putc(b, ':');
	for (const char *p = member; rc == PK_OK && *p; p++)
		rc = pk_buf_putc(b, (unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p);
	return rc;
}

static enum pk_status damaged(struct arc *x, const char *display, const char *msg)
{
	x->damaged = 1;
	pk_ingest_error(x->opts, display, msg);
	return pk_ingest_outcome(x->res, display, "archive", PK_FILE_FAILED, msg, 0);
}

/* One member: detect it from its base name and first bytes, skip it when
 * unchanged, else read it whole in its own transaction. */
static enum pk_status member_one(struct arc *x, const char *member, int64_t size,
                                 int64_t mtime_ns, pk_stream_fn fn, void *ctx)
{
	struct pk_buf disp = PK_BUF_INIT, msg = PK_BUF_INIT;
	enum pk_status rc = display_name(&disp, x->f->path, member);
	if (rc != PK_OK)
		return rc;
	const char *base = strrchr(member, '/');
	base = base ? base + 1 : member;
	const char *why = NULL;
	ptrdiff_t nh = fill(fn, ctx, x->head, sizeof x->head, &why);
	const struct pk_reader *reader = NULL;
	if (nh < 0) {
		rc = pk_buf_printf(&msg, "damaged, not stored: %s", why ? why : "read error");
		if (rc == PK_OK)
			rc = damaged(x, disp.data, msg.data);
		goto out;
	}
	if (nh == 0) {
		rc = pk_ingest_outcome(x->res, disp.data, NULL, PK_FILE_SKIPPED, "empty file", 0);
		goto out;
	}
	size_t skip = nh >= 3 && memcmp(x->head, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	reader = x->opts->format ? pk_reader_find(x->opts->format)
	                         : pk_reader_detect(base, x->head + skip, (size_t)nh - skip);
	if (!reader) {
		rc = pk_ingest_outcome(x->res, disp.data, NULL, PK_FILE_SKIPPED,
		                       pk_archive_kind(base, x->head, (size_t)nh)
		                       ? "an archive inside an archive is not read: unpack the outer one"
		                       : pk_reader_why_not(base, x->head + skip, (size_t)nh - skip), 0);
		goto out;
	}
	struct pk_source_state s;
	if ((rc = pk_store_source_get(x->db, x->f->abs, member, &s)) != PK_OK)
		goto out;
	uint64_t hh = pk_fnv1a(PK_FNV_INIT, x->head, (size_t)nh);
	if (!x->opts->force && s.id && size >= 0 && s.size == size && s.read_offset == size &&
	    s.mtime_ns == mtime_ns && s.head_hash == hh) {
		rc = pk_ingest_outcome(x->res, disp.data, reader->name, PK_FILE_UNCHANGED, NULL, 0);
		goto out;
	}
	if (x->opts->dry_run) {
		rc = pk_ingest_outcome(x->res, disp.data, reader->name, PK_FILE_PLANNED,
		                       s.id ? "changed: read again whole" : "new", 0);
		goto out;
	}
	struct pk_byte_source *src = malloc(sizeof *src);
	if (!src) {
		rc = PK_ERR_NOMEM;
		goto out;
	}
	pk_bs_stream(src, fn, ctx, x->head, (size_t)nh);
	struct pk_source_desc d = { .abs = x->f->abs, .member = member, .display = disp.data,
	                            .base = base, .device = x->f->device,
	                            .inode = x->f->inode, .mtime_ns = mtime_ns, .size = -1,
	                            .expect = size };
	rc = pk_ingest_source(x->db, &d, src, reader, x->opts, x->res);
	free(src);
	if (rc == PK_ERR_IO) {   /* this member only: reported, the run goes on */
		x->damaged = 1;
		rc = PK_OK;
	}
out:
	pk_buf_free(&disp);
	pk_buf_free(&msg);
	return rc;
}

/* The name of a plain .gz file's one member: its base name without .gz. */
static char *gz_member_name(const char *base)
{
	size_t n = strlen(base);
	if (n > 3 && strcasecmp(base + n - 3, ".gz") == 0)
		n -= 3;
	return strndup(base, n);
}

static int looks_tar(const char *p, size_t n)
{
	return n >= 512 && memcmp(p + 257, "ustar", 5) == 0;
}

/* After a tar's end: the rest of the gzip stream, so that its checks (CRC,
 * length, truncation) are made; the members read stay stored. */
static enum pk_status drain_gz(struct arc *x)
{
	const char *why = NULL;
	ptrdiff_t r;
	while ((r = peeked_gz_read(x, x->cbuf, IN_SIZE, &why)) > 0)
		;
	if (r == 0)
		return PK_OK;
	struct pk_buf m = PK_BUF_INIT;
	enum pk_status rc = pk_buf_printf(&m, "damaged archive after its last member%s%s: %s",
	                                  x->last ? " " : "", x->last ? x->last : "", why);
	if (rc == PK_OK)
		rc = damaged(x, x->f->path, m.data);
	pk_buf_free(&m);
	return rc;
}

static enum pk_status libarchive_open_read(struct arc *x, int from_gzip);

/* ---- batches of members in one transaction ----------------------------- */

static int64_t monotonic_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Moves src's outcomes (and, unless lost, its counts) to dst; lost: why
 * the members read were not stored after all (they become failed). */
static enum pk_status result_move(struct pk_ingest_result *dst,
                                  struct pk_ingest_result *src, const char *lost)
{
	enum pk_status rc = PK_OK;
	for (size_t i = 0; i < src->nfiles && rc == PK_OK; i++) {
		const struct pk_file_outcome *f = &src->files[i];
		int gone = lost && f->action == PK_FILE_READ;
		rc = pk_ingest_outcome(dst, f->path, f->format, gone ? PK_FILE_FAILED : f->action,
		                       gone ? lost : f->note, gone ? 0 : f->lines);
	}
	if (rc == PK_OK && !lost) {
		dst->lines += src->lines;
		dst->bytes += src->bytes;
		dst->pending += src->pending;
		dst->replaced += src->replaced;
		rc = pk_sink_counts_merge(&dst->counts, &src->counts);
	}
	pk_ingest_result_free(src);
	return rc;
}

/* Opens a batch (a transaction its members' savepoints go into). */
static enum pk_status batch_open(struct arc *x)
{
	if (x->in_batch || x->opts->dry_run)
		return PK_OK;
	enum pk_status rc = pk_db_begin(x->db);
	if (rc == PK_OK && (rc = pk_store_samples_begin(x->db)) != PK_OK)
		pk_db_rollback(x->db);
	if (rc != PK_OK)
		return rc;
	x->in_batch = 1;
	x->res = &x->pend;
	x->batch_members = 0;
	x->batch_start_us = monotonic_us();
	return PK_OK;
}

/* Commits the open batch; its outcomes and counts join the run's.  When the
 * commit fails, its members read are reported failed, nothing counted. */
static enum pk_status batch_close(struct arc *x)
{
	if (!x->in_batch)
		return PK_OK;
	x->in_batch = 0;
	x->res = x->final;
	int open = pk_db_in_transaction(x->db);
	enum pk_status rc = open ? pk_store_samples_end(x->db) : PK_ERR_DB;
	if (rc == PK_OK)
		rc = pk_db_commit(x->db);
	if (rc == PK_OK)
		return result_move(x->final, &x->pend, NULL);
	struct pk_buf m = PK_BUF_INIT;
	enum pk_status r2 = open ? pk_buf_printf(&m, "not stored: database: %s",
	                                         pk_db_errmsg(x->db))
	                         : pk_buf_printf(&m, "not stored: rolled back with a later "
	                                         "member's database error");
	pk_db_rollback(x->db);
	pk_store_samples_abort(x->db);
	if (r2 == PK_OK) {
		pk_ingest_error(x->opts, x->f->path, m.data);
		r2 = result_move(x->final, &x->pend, m.data);
	}
	pk_buf_free(&m);
	return r2 == PK_OK ? PK_ERR_DB : r2;
}

/* After a member: the batch commits when it is big or old enough. */
static enum pk_status batch_next(struct arc *x)
{
	if (!x->in_batch)
		return PK_OK;
	x->batch_members++;
	if (x->batch_members < BATCH_MEMBERS && monotonic_us() - x->batch_start_us < BATCH_US)
		return PK_OK;
	return batch_close(x);
}

/* Every member of the libarchive archive x->a. */
static enum pk_status tar_zip_members(struct arc *x)
{
	enum pk_status rc = PK_OK;
	struct archive_entry *e;
	while (rc == PK_OK && !x->fatal) {
		int r = archive_read_next_header(x->a, &e);
		if (r == ARCHIVE_EOF)
			return x->gz ? drain_gz(x) : PK_OK;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			struct pk_buf m = PK_BUF_INIT;
			const char *why = la_error(x);
			rc = x->last ? pk_buf_printf(&m, "damaged archive after member %s: %s",
			                             x->last, why)
			             : pk_buf_printf(&m, "damaged archive: %s", why);
			if (rc == PK_OK)
				rc = damaged(x, x->f->path, m.data);
			pk_buf_free(&m);
			break;
		}
		x->nmembers++;
		x->unpacked = 0;
		x->packed0 = archive_filter_bytes(x->a, -1);
		const char *name = archive_entry_pathname_utf8(e);
		if (!name)
			name = archive_entry_pathname(e);
		free(x->last);
		x->last = NULL;
		if (name ? !(x->last = strdup(name))
		         : asprintf(&x->last, "?member %lld (its name cannot be read)",
		                    (long long)x->nmembers) < 0)
			return PK_ERR_NOMEM;
		size_t len = strlen(x->last);
		while (len > 1 && x->last[len - 1] == '/')
			x->last[--len] = '\0';
		const char *base = strrchr(x->last, '/');
		base = base ? base + 1 : x->last;
		mode_t type = archive_entry_filetype(e);
		if (type == AE_IFDIR || base[0] == '.' || base[0] == '\0')
			continue;   /* folders and hidden files, as in a directory walk */
		if (type != AE_IFREG) {
			struct pk_buf disp = PK_BUF_INIT;
			rc = display_name(&disp, x->f->path, x->last);
			if (rc == PK_OK)
				rc = pk_ingest_outcome(x->res, disp.data, NULL, PK_FILE_SKIPPED,
				                       "not a regular file", 0);
			pk_buf_free(&disp);
			continue;
		}
		int64_t size = archive_entry_size_is_set(e) ? archive_entry_size(e) : -1;
		int64_t mt = archive_entry_mtime_is_set(e)
		             ? (int64_t)archive_entry_mtime(e) * 1000000000 +
		               archive_entry_mtime_nsec(e)
		             : x->f->mtime_ns;
		rc = batch_open(x);
		if (rc == PK_OK)
			rc = member_one(x, x->last, size, mt, la_member_read, x);
		if (rc == PK_OK)
			rc = batch_next(x);
	}
	return rc;
}

/* Opens libarchive on the archive (tar from the gzip stream, or tar/zip
 * straight from the file) and reads its members.
 * libarchive converts member names (zip's UTF-8 flagged ones, pax's) to the
 * charset of the current locale; in "C", where a program that never calls
 * setlocale stays, every non-ASCII name fails to convert.  So names are
 * converted to UTF-8 (what the database holds) in this thread's locale
 * while the archive is read; the process's locale is left alone. */
static enum pk_status libarchive_members(struct arc *x, int from_gzip)
{
	locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	locale_t old = utf8 ? uselocale(utf8) : (locale_t)0;
	enum pk_status rc = libarchive_open_read(x, from_gzip);
	if (utf8) {
		uselocale(old);
		freelocale(utf8);
	}
	return rc;
}

static enum pk_status libarchive_open_read(struct arc *x, int from_gzip)
{
	if (!(x->a = archive_read_new()))
		return PK_ERR_NOMEM;
	int r;
	if (from_gzip) {
		if (!(x->cbuf = malloc(IN_SIZE)))
			return PK_ERR_NOMEM;
		archive_read_support_format_tar(x->a);
		r = archive_read_open(x->a, x, NULL, la_read, NULL);
	} else {
		if (x->f->kind == PK_ARCHIVE_ZIP)
			archive_read_support_format_zip(x->a);
		else
			archive_read_support_format_tar(x->a);
		r = archive_read_open_fd(x->a, x->f->fd, IN_SIZE);
	}
	if (r != ARCHIVE_OK) {
		struct pk_buf m = PK_BUF_INIT;
		enum pk_status rc = pk_buf_printf(&m, "damaged archive: %s", la_error(x));
		if (rc == PK_OK)
			rc = damaged(x, x->f->path, m.data);
		pk_buf_free(&m);
		return rc;
	}
	return tar_zip_members(x);
}

enum pk_archive_kind pk_archive_kind(const char *base, const char *head, size_t n)
{
	size_t bl = strlen(base);
#define ENDS(s) (bl > sizeof(s) - 1 && strcasecmp(base + bl - (sizeof(s) - 1), s) == 0)
	int gz = n >= 2 && (unsigned char)head[0] == 0x1f && (unsigned char)head[1] == 0x8b;
	if ((ENDS(".tar.gz") || ENDS(".tgz")) && gz)
		return PK_ARCHIVE_TAR_GZ;
	if (ENDS(".gz") && gz)
		return PK_ARCHIVE_GZIP;
	if (ENDS(".tar") && looks_tar(head, n))
		return PK_ARCHIVE_TAR;
	if (ENDS(".zip") && n >= 4 &&
	    (memcmp(head, "PK\3\4", 4) == 0 || memcmp(head, "PK\5\6", 4) == 0))
		return PK_ARCHIVE_ZIP;
#undef ENDS
	return PK_ARCHIVE_NONE;
}

enum pk_status pk_ingest_archive(struct pk_db *db, const struct pk_archive_file *f,
                                 const struct pk_ingest_opts *opts,
                                 struct pk_ingest_result *res)
{
	struct arc *x = calloc(1, sizeof *x);
	if (!x)
		return PK_ERR_NOMEM;
	x->db = db;
	x->f = f;
	x->opts = opts;
	x->res = res;
	x->final = res;
	unpack_limit_init(&x->limit, opts);
	enum pk_status rc = PK_OK;
	if (f->kind == PK_ARCHIVE_GZIP || f->kind == PK_ARCHIVE_TAR_GZ) {
		if (!(x->gz = gz_open(f->fd))) {
			rc = PK_ERR_NOMEM;
			goto done;
		}
		x->gz->limit = &x->limit;
		/* a failure here is sticky: reported below where it is read */
		const char *why = NULL;
		ptrdiff_t n = fill(gz_read, x->gz, x->peek, sizeof x->peek, &why);
		x->npeek = n > 0 ? (size_t)n : 0;
		if (f->kind == PK_ARCHIVE_TAR_GZ || looks_tar(x->peek, x->npeek)) {
			rc = libarchive_members(x, 1);
		} else {
			char *member = gz_member_name(f->base);
			rc = member ? member_one(x, member, -1, f->mtime_ns, peeked_gz_read, x)
			            : PK_ERR_NOMEM;
			free(member);
		}
	} else {
		rc = libarchive_members(x, 0);
	}
done:
	{
		/* what the batch holds is stored even when the run stops here */
		enum pk_status bc = batch_close(x);
		if (rc == PK_OK)
			rc = bc;
	}
	if (x->a)
		archive_read_free(x->a);
	gz_close(x->gz);
	free(x->cbuf);
	free(x->last);
	int bad = x->damaged;
	free(x);
	return rc == PK_OK && bad ? PK_ERR_IO : rc;
}
