/* json_doc.c - whole JSON documents read in chunks: the event layer over
 * yajl (see json_doc.h). */
#include "json_doc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "../../core/json_write.h"
#include "../../core/number.h"
#include "../../core/utf8.h"
#include "json_error.h"
#include "json_space.h"

#define MAX_CAPS 8
#define HEAD_MAX 4096
#define RAW_CONTEXT 240
#define PATH_MAX_LEN ((size_t)1 << 20)

struct cap {
	struct pk_buf *dst;
	size_t start;          /* offset in the chunk of the bytes not yet copied */
	int level;             /* of the container */
	size_t max, got, mark;
	int in_str, esc, overflow, rollback;
	int *ok;
};

/* The streaming NaN/Infinity rewrite: a token may be cut by a chunk end, so
 * a possible one is held back until it is decided. */
struct nanf {
	int in_str, esc;
	char pend[10];
	size_t npend;
	size_t run;            /* bytes of the string or number under way */
};

struct pk_jdoc {
	pk_jdoc_fn fn;
	void *ctx;
	yajl_handle h;
	enum pk_status rc;     /* what stopped the reader (memory, database) */
	int bom;               /* BOM bytes matched; 3 when decided */
	struct nanf nf;
	int nonspace, too_long;
	struct pk_buf fb;      /* the current chunk after the rewrite (empty: parsed in place) */
	const char *chunk;
	size_t chunk_n;
	int64_t fabs;          /* offset of the chunk in the rewritten text */
	int64_t *nanpos;       /* rewritten offsets of NaN -> null on the current line */
	size_t nnan, capnan;
	/* line counting: a cursor in the chunk */
	size_t cur_off;
	int64_t lines, line_start_abs;
	/* nesting and paths */
	int depth;             /* open containers */
	int level;             /* of the current event */
	int skip_level;        /* -1: not skipping */
	unsigned char is_array[PK_JDOC_MAX_DEPTH + 2];
	unsigned char is_key[PK_JDOC_MAX_DEPTH + 2];
	int64_t index[PK_JDOC_MAX_DEPTH + 2];
	size_t pathlen[PK_JDOC_MAX_DEPTH + 2];
	size_t keystart[PK_JDOC_MAX_DEPTH + 2];
	struct pk_buf path;
	/* the current event */
	enum pk_jev cur_ev;
	const char *cur_s;
	size_t cur_n;
	struct cap caps[MAX_CAPS];
	int ncaps, overflow, complete;
	/* failure */
	int failed, truncated;
	size_t back;            /* the failure is this many bytes before yajl's place */
	struct pk_buf fail_why, why, raw, head, tail;   /* tail: the last bytes read */
	int64_t err_line, err_col;
	/* the verbatim bytes handed to a reader (pk_jdoc_hold) */
	struct pk_buf *hold;
	int64_t hold_from;
	int hold_broken;
	/* pk_jdoc_deep_skips; the current container opens past the cap; the
	 * failure came at the end of the document */
	int deep_skips, too_deep, at_end;
};

static const char *const nan_tokens[] = { "NaN", "Infinity", "-Infinity" };
static const char *const nan_repl[] = { "null", "null    ", "null     " };

/* 0: no token starts so; 1: a prefix; 2 + k: the whole of token k. */
static int nan_match(const char *p, size_t n)
{
	int r = 0;
	for (int k = 0; k < 3; k++) {
		size_t l = strlen(nan_tokens[k]);
		if (n <= l && memcmp(nan_tokens[k], p, n) == 0) {
			if (n == l)
				return 2 + k;
			r = 1;
		}
	}
	return r;
}

static enum pk_status put_repl(struct pk_jdoc *d, int k)
{
	if (k == 0) {
		if (d->nnan == d->capnan) {
			size_t cap = d->capnan ? d->capnan * 2 : 64;
			int64_t *p = realloc(d->nanpos, cap * sizeof *p);
			if (!p)
				return PK_ERR_NOMEM;
			d->nanpos = p;
			d->capnan = cap;
		}
		d->nanpos[d->nnan++] = d->fabs + (int64_t)d->fb.len;
	}
	return pk_buf_puts(&d->fb, nan_repl[k]);
}

/* Rewrites p[0..n) into d->fb byte by byte; stops at a token longer than
 * the cap. */
static enum pk_status filter_bytes(struct pk_jdoc *d, const char *p, size_t n)
{
	struct nanf *f = &d->nf;
	size_t run = 0, stop_at = 0;
	enum pk_status rc = PK_OK;
	for (size_t i = 0; i < n && rc == PK_OK; i++) {
		char c = p[i];
		if (f->npend) {
			f->pend[f->npend++] = c;
			int m = nan_match(f->pend, f->npend);
			if (m >= 2) {
				rc = put_repl(d, m - 2);
				f->npend = 0;
			} else if (m == 0) {
				rc = pk_buf_append(&d->fb, f->pend, f->npend - 1);
				f->npend = 0;
				i--;            /* c again, from scratch */
			}
			run = i + 1;
			continue;
		}
		if (f->in_str && !f->esc && c != '"' && c != '\\') {
			/* the plain bytes of a string at once, up to its quote or escape */
			const char *q = memchr(p + i, '"', n - i);
			size_t e = q ? (size_t)(q - p) : n;
			const char *b = memchr(p + i, '\\', e - i);
			if (b)
				e = (size_t)(b - p);
			if (f->run + (e - i) > PK_JDOC_TOKEN_MAX) {
				stop_at = i + (PK_JDOC_TOKEN_MAX - f->run);
				goto too_long;
			}
			f->run += e - i;
			i = e - 1;     /* the loop goes on at the quote or escape */
			continue;
		}
		if (!f->in_str && pk_json_space(c)) {
			/* a run of white space at once */
			i = pk_json_skip_space(p, i + 1, n) - 1;
			f->run = 0;
			continue;
		}
		if (f->in_str) {
			if (f->esc)
				f->esc = 0;
			else if (c == '\\')
				f->esc = 1;
			else if (c == '"')
				f->in_str = 0, f->run = 0;
			if (f->in_str && ++f->run > PK_JDOC_TOKEN_MAX) {
				stop_at = i;
				goto too_long;
			}
			continue;
		}
		switch (c) {
		case ' ': case '\t': case '\r': case '\n':
			f->run = 0;
			break;
		case '"':
			f->in_str = 1;
			/* fall through */
		case '{': case '}': case '[': case ']': case ',': case ':':
			f->run = 0;
			d->nonspace = 1;
			break;
		case 'N': case 'I': case '-':
			d->nonspace = 1;
			rc = pk_buf_append(&d->fb, p + run, i - run);
			f->pend[0] = c;
			f->npend = 1;
			run = i + 1;
			/* fall through */
		default:
			d->nonspace = 1;
			if (++f->run > PK_JDOC_TOKEN_MAX) {
				stop_at = i;
				goto too_long;
			}
		}
	}
	return rc == PK_OK ? pk_buf_append(&d->fb, p + run, n - run) : rc;
too_long:
	/* parse up to the byte over the cap, then stop there */
	d->too_long = 1;
	return pk_buf_append(&d->fb, p + run, stop_at > run ? stop_at - run : 0);
}

/* Ends a token outside strings (run = 0), as filter_bytes counts them. */
static int is_delim(char c)
{
	return pk_json_space(c) || c == '{' || c == '}' ||
	       c == '[' || c == ']' || c == ',' || c == ':' || c == '"';
}

/* The next c at or after from (end: none); *at keeps the answer until
 * from passes it, so a chunk is searched for c about once. */
static const char *next_of(const char **at, char c, const char *from, const char *end)
{
	if (!*at || *at < from) {
		const char *q = memchr(from, c, (size_t)(end - from));
		*at = q ? q : end;
	}
	return *at;
}

/* The token run after the bytes [s, e) outside strings, no N or I among
 * them, counted as filter_bytes counts it. */
static size_t run_after(const struct nanf *f, const char *s, const char *e)
{
	const char *b = e;
	while (b > s && !is_delim(b[-1]))
		b--;
	return b > s ? (size_t)(e - b) : f->run + (size_t)(e - s);
}

/* The fast path of the rewrite: the length of the start of p[0..n) that
 * needs none, with the state moved past it, found with memchr rather than
 * byte by byte.  It stops before a bare N or I (and a '-' just before it)
 * and before a '-' that ends p: filter_bytes takes those bytes.  Where a
 * string or number could pass the cap, *slow is set: filter_bytes takes the
 * rest of p, to stop at the very byte. */
static size_t plain_prefix(struct pk_jdoc *d, const char *p, size_t n, const char **at_n,
                           const char **at_i, int *slow)
{
	struct nanf *f = &d->nf;
	const char *s = p, *end = p + n;
	*slow = 0;
	if (f->npend)
		return 0;
	if (!d->nonspace) {
		s += pk_json_skip_space(s, 0, (size_t)(end - s));
		if (s == end)
			return n;
		d->nonspace = 1;   /* the byte at s is not white space, whoever takes it */
	}
	while (s < end) {
		if (f->in_str) {
			/* to the closing quote: one after an even run of backslashes */
			const char *from = s + f->esc, *q = NULL;
			while (from < end && (q = memchr(from, '"', (size_t)(end - from))) != NULL) {
				const char *b = q;
				while (b > from && b[-1] == '\\')
					b--;
				if (((q - b) & 1) == 0)
					break;
				from = q + 1;
				q = NULL;
			}
			const char *e = q ? q : end;
			if (f->run + (size_t)(e - s) > PK_JDOC_TOKEN_MAX) {
				*slow = 1;
				return (size_t)(s - p);
			}
			if (q) {
				f->in_str = 0, f->esc = 0, f->run = 0;
				s = q + 1;
				continue;
			}
			/* still open at the end: an odd run of backslashes escapes the next byte */
			const char *b = end;
			while (b > from && b[-1] == '\\')
				b--;
			f->run += (size_t)(end - s);
			f->esc = (int)((end - b) & 1);
			return n;
		}
		const char *q = memchr(s, '"', (size_t)(end - s));
		const char *e = q ? q : end;
		const char *x = next_of(at_n, 'N', s, end), *y = next_of(at_i, 'I', s, end);
		if (y < x)
			x = y;
		if (x < e) {            /* a bare N or I: stop before it, or its '-' */
			e = x > s && x[-1] == '-' ? x - 1 : x;
			q = NULL;
		} else if (!q && e > s && e[-1] == '-') {
			e--;            /* may begin -Infinity in the next chunk */
		}
		if (f->run + (size_t)(e - s) > PK_JDOC_TOKEN_MAX) {
			*slow = 1;
			return (size_t)(s - p);
		}
		if (!q) {
			f->run = run_after(f, s, e);
			return (size_t)(e - p);
		}
		f->in_str = 1, f->run = 0;
		s = q + 1;
	}
	return n;
}

/* Rewrites p[0..n) into d->fb: the plain stretches at once, the rest byte
 * by byte.  With direct, a chunk that needs no rewrite is not copied: *direct
 * is set and d->fb stays empty. */
static enum pk_status filter(struct pk_jdoc *d, const char *p, size_t n, int *direct)
{
	const char *at_n = NULL, *at_i = NULL;
	enum pk_status rc = PK_OK;
	size_t i = 0;
	if (direct)
		*direct = 0;
	while (i < n && rc == PK_OK && !d->too_long) {
		int slow;
		size_t k = plain_prefix(d, p + i, n - i, &at_n, &at_i, &slow);
		if (direct && k == n && !d->fb.len) {
			*direct = 1;
			return PK_OK;
		}
		rc = pk_buf_append(&d->fb, p + i, k);
		i += k;
		if (i < n && rc == PK_OK) {
			/* a token of at most 9 bytes, or all the rest */
			size_t m = slow || n - i < 16 ? n - i : 16;
			rc = filter_bytes(d, p + i, m);
			i += m;
		}
	}
	return rc;
}

/* Moves the line cursor to off in the chunk. */
static void advance(struct pk_jdoc *d, size_t off)
{
	if (off > d->chunk_n)
		off = d->chunk_n;
	for (size_t i = d->cur_off; i < off; i++) {
		const char *nl = memchr(d->chunk + i, '\n', off - i);
		if (!nl)
			break;
		i = (size_t)(nl - d->chunk);
		d->lines++;
		d->line_start_abs = d->fabs + (int64_t)i + 1;
	}
	if (off > d->cur_off)
		d->cur_off = off;
}

static size_t consumed(const struct pk_jdoc *d)
{
	size_t off = d->h ? yajl_get_bytes_consumed(d->h) : 0;
	return off > d->chunk_n ? d->chunk_n : off;
}

/* Records the failure at off in the chunk, with the text near it. */
static void set_error(struct pk_jdoc *d, size_t off, const char *why, size_t whyn)
{
	if (d->failed)
		return;
	d->failed = 1;
	advance(d, off);
	int64_t abs = d->fabs + (int64_t)off, nans = 0;
	for (size_t i = 0; i < d->nnan; i++)
		nans += d->nanpos[i] >= d->line_start_abs && d->nanpos[i] < abs;
	d->err_line = d->lines;
	d->err_col = abs - d->line_start_abs + 1 - nans;
	pk_buf_reset(&d->why);
	pk_buf_append(&d->why, why, whyn);
	size_t ls = d->line_start_abs > d->fabs ? (size_t)(d->line_start_abs - d->fabs) : 0;
	size_t from = off > ls + RAW_CONTEXT ? off - RAW_CONTEXT : ls, to = off;
	while (to < d->chunk_n && to < off + RAW_CONTEXT && d->chunk[to] != '\n')
		to++;
	pk_buf_reset(&d->raw);
	if (d->chunk_n == 0 && d->tail.len) {
		/* at the end: the last line that has text */
		size_t e = d->tail.len, b;
		while (e && strchr(" \t\r\n", d->tail.data[e - 1]))
			e--;
		for (b = e; b && d->tail.data[b - 1] != '\n'; b--)
			;
		pk_buf_append(&d->raw, d->tail.data + b, e - b);
		return;
	}
	pk_buf_append(&d->raw, d->chunk + from, to - from);
}

static void yajl_failed(struct pk_jdoc *d, yajl_status s, int at_end)
{
	size_t off = at_end ? d->chunk_n : consumed(d);
	off = d->back < off ? off - d->back : 0;
	d->at_end = at_end;
	if (s == yajl_status_client_canceled) {
		const char *w = d->fail_why.len ? d->fail_why.data : "stopped by the reader";
		set_error(d, off, w, strlen(w));
		return;
	}
	unsigned char *e = yajl_get_error(d->h, 0, (const unsigned char *)d->chunk, d->chunk_n);
	size_t len;
	const char *t = pk_json_error_text(e, &len);
	struct pk_buf msg = PK_BUF_INIT;
	if (at_end && len >= 13 && memcmp(t, "premature EOF", 13) == 0) {
		d->truncated = 1;
		pk_buf_puts(&msg, "document ends early (truncated, or still being written)");
	} else {
		pk_buf_puts(&msg, "invalid JSON: ");
		pk_buf_append(&msg, t, len);
		if (memmem(t, len, "UTF8", 4)) {
			/* yajl stops after the string; point at the bad byte */
			size_t ls = d->line_start_abs > d->fabs ? (size_t)(d->line_start_abs - d->fabs) : 0;
			/* a character cut by the chunk start is not the bad one */
			for (int k = 0; k < 3 && d->line_start_abs <= d->fabs && ls < off &&
			     ((unsigned char)d->chunk[ls] & 0xc0) == 0x80; k++)
				ls++;
			if (ls < off)
				off = ls + pk_utf8_valid_prefix(d->chunk + ls, off - ls, 0);
		}
	}
	if (e)
		yajl_free_error(d->h, e);
	set_error(d, off, msg.data ? msg.data : "invalid JSON", msg.len);
	pk_buf_free(&msg);
}

/* ---- yajl callbacks ---- */

static int deliver(struct pk_jdoc *d, enum pk_jev ev, const char *s, size_t n)
{
	d->cur_ev = ev;
	d->cur_s = s;
	d->cur_n = n;
	enum pk_status rc = d->fn(d->ctx, d, ev, s, n);
	if (rc == PK_OK)
		return 1;
	if (rc != PK_ERR_INPUT)
		d->rc = rc;
	return 0;
}

static int stop(struct pk_jdoc *d, const char *why)
{
	pk_jdoc_fail(d, why);
	return 0;
}

/* A value starts at level d->depth: its index when in an array. */
static int begin_value(struct pk_jdoc *d)
{
	int level = d->depth;
	d->level = level;
	if (level == 0 || !d->is_array[level - 1])
		return 1;
	d->index[level]++;
	d->is_key[level] = 0;
	d->path.len = d->pathlen[level - 1];
	char num[24];           /* ".INDEX", written without printf's cost */
	size_t k = sizeof num;
	for (int64_t v = d->index[level]; k == sizeof num || v > 0; v /= 10)
		num[--k] = (char)('0' + v % 10);
	num[--k] = '.';
	if (pk_buf_append(&d->path, num + k, sizeof num - k) != PK_OK) {
		d->rc = PK_ERR_NOMEM;
		return 0;
	}
	d->keystart[level] = d->pathlen[level - 1] + 1;
	d->pathlen[level] = d->path.len;
	return 1;
}

static int scalar(struct pk_jdoc *d, enum pk_jev ev, const char *s, size_t n)
{
	if (d->skip_level >= 0)
		return 1;
	return begin_value(d) && deliver(d, ev, s, n);
}

static int cb_null(void *ctx) { return scalar(ctx, PK_JEV_NULL, "null", 4); }
static int cb_bool(void *ctx, int b)
{
	return scalar(ctx, PK_JEV_BOOL, b ? "true" : "false", b ? 4 : 5);
}
static int cb_number(void *ctx, const char *s, size_t n) { return scalar(ctx, PK_JEV_NUMBER, s, n); }
static int cb_string(void *ctx, const unsigned char *s, size_t n)
{
	return scalar(ctx, PK_JEV_STRING, (const char *)s, n);
}

/* A container opens.  Past the depth cap the document stops, unless
 * pk_jdoc_deep_skips: then the container is delivered with pk_jdoc_too_deep
 * set and skipped (only its END follows). */
static int start(struct pk_jdoc *d, int is_array)
{
	int deep = d->depth >= PK_JDOC_MAX_DEPTH;
	if (deep && !d->deep_skips) {
		d->cur_ev = is_array ? PK_JEV_ARRAY : PK_JEV_MAP;   /* at the bracket */
		return stop(d, "JSON nested deeper than 64 levels");
	}
	if (d->skip_level >= 0) {   /* inside a skipped container: only counted */
		d->depth++;
		return 1;
	}
	if (!begin_value(d))
		return 0;
	int level = d->depth++;
	d->is_array[level] = (unsigned char)is_array;
	d->index[level + 1] = -1;
	if (deep)
		d->skip_level = level;
	d->too_deep = deep;
	int ok = deliver(d, is_array ? PK_JEV_ARRAY : PK_JEV_MAP, NULL, 0);
	d->too_deep = 0;
	return ok;
}

static enum pk_status cap_append(struct cap *c, const char *p, size_t n)
{
	if (c->overflow || n == 0)
		return PK_OK;
	size_t room = c->max - c->got;
	if (pk_buf_reserve(c->dst, n < room ? n : room) != PK_OK)
		return PK_ERR_NOMEM;
	char *o = c->dst->data + c->dst->len;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		char ch = p[i];
		if (c->in_str) {
			if (c->esc)
				c->esc = 0;
			else if (ch == '\\')
				c->esc = 1;
			else if (ch == '"')
				c->in_str = 0;
		} else if (pk_json_space(ch)) {
			continue;
		} else if (ch == '"') {
			c->in_str = 1;
		}
		if (k == room) {
			c->overflow = 1;
			break;
		}
		o[k++] = ch;
	}
	c->dst->len += k;
	c->dst->data[c->dst->len] = '\0';
	c->got += k;
	return PK_OK;
}

static int cb_end(void *ctx)
{
	struct pk_jdoc *d = ctx;
	int level = --d->depth;
	if (d->skip_level >= 0) {
		if (level > d->skip_level)
			return 1;
		d->skip_level = -1;
	}
	d->level = level;
	d->overflow = 0;
	size_t off = consumed(d);
	while (d->ncaps && d->caps[d->ncaps - 1].level == level) {
		struct cap *c = &d->caps[--d->ncaps];
		if (off > c->start && cap_append(c, d->chunk + c->start, off - c->start) != PK_OK) {
			d->rc = PK_ERR_NOMEM;
			return 0;
		}
		if (c->overflow && c->rollback) {
			d->overflow = 1;
			c->dst->len = c->mark;
			if (c->dst->data)
				c->dst->data[c->mark] = '\0';
		}
		if (c->ok)
			*c->ok = !c->overflow;
	}
	if (level == 0)
		d->complete = 1;
	return deliver(d, PK_JEV_END, NULL, 0);
}

static int cb_start_map(void *ctx) { return start(ctx, 0); }
static int cb_start_array(void *ctx) { return start(ctx, 1); }

static int cb_key(void *ctx, const unsigned char *s, size_t n)
{
	struct pk_jdoc *d = ctx;
	if (d->skip_level >= 0)
		return 1;
	int level = d->depth;
	d->path.len = d->pathlen[level - 1];
	if (d->path.len + n + 1 > PATH_MAX_LEN)
		return stop(d, "JSON path longer than 1 MiB");
	if (pk_buf_putc(&d->path, '.') != PK_OK || pk_buf_append(&d->path, s, n) != PK_OK) {
		d->rc = PK_ERR_NOMEM;
		return 0;
	}
	d->is_key[level] = 1;
	d->keystart[level] = d->pathlen[level - 1] + 1;
	d->pathlen[level] = d->path.len;
	return 1;
}

static const yajl_callbacks callbacks = {
	cb_null, cb_bool, NULL, NULL, cb_number, cb_string,
	cb_start_map, cb_key, cb_end, cb_start_array, cb_end
};

/* ---- the document ---- */

struct pk_jdoc *pk_jdoc_new(pk_jdoc_fn fn, void *ctx)
{
	struct pk_jdoc *d = calloc(1, sizeof *d);
	if (!d)
		return NULL;
	d->fn = fn;
	d->ctx = ctx;
	d->lines = 1;
	d->skip_level = -1;
	d->index[0] = -1;
	d->path.limit = PATH_MAX_LEN + 4096;
	d->h = yajl_alloc(&callbacks, NULL, d);
	if (!d->h) {
		free(d);
		return NULL;
	}
	return d;
}

void pk_jdoc_raw_strings(struct pk_jdoc *d)
{
	yajl_config(d->h, yajl_dont_validate_strings, 1);
}

void pk_jdoc_deep_skips(struct pk_jdoc *d) { d->deep_skips = 1; }

void pk_jdoc_free(struct pk_jdoc **dp)
{
	struct pk_jdoc *d = *dp;
	if (!d)
		return;
	if (d->h)
		yajl_free(d->h);
	struct pk_buf *bufs[] = { &d->fb, &d->path, &d->fail_why, &d->why, &d->raw, &d->head,
	                          &d->tail };
	for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
		pk_buf_free(bufs[i]);
	free(d->nanpos);
	free(d);
	*dp = NULL;
}

/* Appends the chunk's bytes before off (from hold_from on) to the hold. */
static void hold_chunk(struct pk_jdoc *d, size_t off)
{
	int64_t from = d->hold_from > d->fabs ? d->hold_from : d->fabs;
	if (d->hold_broken || from >= d->fabs + (int64_t)off)
		return;
	size_t o = (size_t)(from - d->fabs);
	if (pk_buf_append(d->hold, d->chunk + o, off - o) != PK_OK)
		d->hold_broken = 1;
}

/* Parses the rewritten bytes: text[0..n), d->fb's or the caller's chunk
 * where it needed no rewrite. */
static enum pk_status parse_fb(struct pk_jdoc *d, const char *text, size_t n)
{
	d->chunk = text ? text : "";
	d->chunk_n = n;
	d->cur_off = 0;
	if (d->head.len < HEAD_MAX) {
		size_t k = HEAD_MAX - d->head.len;
		if (pk_buf_append(&d->head, d->chunk, k < d->chunk_n ? k : d->chunk_n) != PK_OK)
			return PK_ERR_NOMEM;
	}
	if (d->chunk_n) {
		yajl_status s = yajl_parse(d->h, (const unsigned char *)d->chunk, d->chunk_n);
		if (d->rc != PK_OK)
			return d->rc;
		if (d->hold)
			hold_chunk(d, s == yajl_status_ok ? d->chunk_n : consumed(d));
		if (s != yajl_status_ok) {
			yajl_failed(d, s, 0);
		} else {
			for (int i = 0; i < d->ncaps; i++) {
				struct cap *c = &d->caps[i];
				if (cap_append(c, d->chunk + c->start, d->chunk_n - c->start) != PK_OK)
					return PK_ERR_NOMEM;
				c->start = 0;
			}
		}
	}
	if (d->too_long && !d->failed) {
		const char *w = "a string or number longer than 16 MiB";
		set_error(d, d->chunk_n, w, strlen(w));
	}
	advance(d, d->chunk_n);
	d->fabs += (int64_t)d->chunk_n;
	size_t keep = d->chunk_n < RAW_CONTEXT ? d->chunk_n : RAW_CONTEXT;
	if (d->tail.len + keep > RAW_CONTEXT) {
		size_t drop = d->tail.len + keep - RAW_CONTEXT;   /* <= tail.len */
		memmove(d->tail.data, d->tail.data + drop, d->tail.len - drop);
		d->tail.len -= drop;
	}
	if (pk_buf_append(&d->tail, d->chunk + d->chunk_n - keep, keep) != PK_OK)
		return PK_ERR_NOMEM;
	/* keep the NaN positions of the line under way only */
	size_t k = 0;
	for (size_t i = 0; i < d->nnan; i++)
		if (d->nanpos[i] >= d->line_start_abs)
			d->nanpos[k++] = d->nanpos[i];
	d->nnan = k;
	pk_buf_reset(&d->fb);
	return PK_OK;
}

enum pk_status pk_jdoc_feed(struct pk_jdoc *d, const char *p, size_t n)
{
	static const char bom[3] = { '\xef', '\xbb', '\xbf' };
	if (d->failed || d->rc != PK_OK)
		return d->rc;
	enum pk_status rc = PK_OK;
	int direct = 0;
	while (d->bom < 3 && n > 0) {
		if (*p == bom[d->bom]) {
			d->bom++;
			p++, n--;
		} else {
			rc = filter(d, bom, (size_t)d->bom, NULL);
			d->bom = 3;
		}
	}
	if (rc == PK_OK && !d->too_long)
		rc = filter(d, p, n, &direct);
	if (rc != PK_OK)
		return rc;
	return direct ? parse_fb(d, p, n) : parse_fb(d, d->fb.data, d->fb.len);
}

enum pk_status pk_jdoc_end(struct pk_jdoc *d)
{
	enum pk_status rc = PK_OK;
	if (d->failed || d->rc != PK_OK)
		return d->rc;
	if (d->bom > 0 && d->bom < 3)
		rc = filter(d, "\xef\xbb\xbf", (size_t)d->bom, NULL);
	d->bom = 3;
	if (rc == PK_OK && d->nf.npend) {
		rc = pk_buf_append(&d->fb, d->nf.pend, d->nf.npend);
		d->nf.npend = 0;
	}
	if (rc == PK_OK && d->fb.len)
		rc = parse_fb(d, d->fb.data, d->fb.len);
	if (rc != PK_OK || d->failed)
		return rc;
	d->chunk = "";
	d->chunk_n = 0;
	d->cur_off = 0;
	if (!d->nonspace) {
		set_error(d, 0, "empty document", 14);
		return PK_OK;
	}
	yajl_status s = yajl_complete_parse(d->h);
	if (d->rc != PK_OK)
		return d->rc;
	if (s != yajl_status_ok)
		yajl_failed(d, s, 1);
	return PK_OK;
}

int pk_jdoc_depth(const struct pk_jdoc *d) { return d->level; }

const char *pk_jdoc_key(const struct pk_jdoc *d, int level, size_t *n)
{
	if (level < 1 || level > d->level || !d->is_key[level]) {
		*n = 0;
		return NULL;
	}
	*n = d->pathlen[level] - d->keystart[level];
	return d->path.data + d->keystart[level];
}

int64_t pk_jdoc_index(const struct pk_jdoc *d, int level)
{
	if (level < 1 || level > d->level || d->is_key[level])
		return -1;
	return d->index[level];
}

const char *pk_jdoc_path(const struct pk_jdoc *d, int from, size_t *n)
{
	if (from < 0 || from >= d->level || !d->path.data) {
		*n = 0;
		return "";
	}
	size_t start = d->pathlen[from] + 1;
	*n = d->pathlen[d->level] - start;
	return d->path.data + start;
}

const char *pk_jdoc_chunk(const struct pk_jdoc *d, int64_t *base, size_t *n, size_t *at)
{
	*base = d->fabs;
	*n = d->chunk_n;
	*at = consumed(d);
	return d->chunk ? d->chunk : "";
}

void pk_jdoc_hold(struct pk_jdoc *d, struct pk_buf *dst, int64_t from)
{
	d->hold = dst;
	d->hold_from = from;
	d->hold_broken = 0;
}

int pk_jdoc_hold_broken(const struct pk_jdoc *d) { return d->hold_broken; }

int64_t pk_jdoc_line(struct pk_jdoc *d)
{
	advance(d, consumed(d));
	return d->lines;
}

enum pk_status pk_jdoc_capture(struct pk_jdoc *d, struct pk_buf *dst, size_t max, int *ok)
{
	if (d->cur_ev == PK_JEV_END)
		return PK_OK;
	if (d->cur_ev != PK_JEV_MAP && d->cur_ev != PK_JEV_ARRAY) {
		enum pk_status rc = d->cur_ev == PK_JEV_STRING
		                    ? pk_json_string(dst, d->cur_s, d->cur_n)
		                    : pk_buf_append(dst, d->cur_s, d->cur_n);
		if (ok)
			*ok = rc == PK_OK;
		return rc;
	}
	if (d->ncaps == MAX_CAPS)
		return pk_jdoc_fail(d, "JSON values kept inside each other too deeply");
	size_t off = consumed(d);
	d->caps[d->ncaps++] = (struct cap){ dst, off ? off - 1 : 0, d->level, max, 0,
	                                    dst->len, 0, 0, 0, 0, ok };
	if (ok)
		*ok = 0;
	return PK_OK;
}

void pk_jdoc_skip(struct pk_jdoc *d)
{
	if (d->cur_ev == PK_JEV_MAP || d->cur_ev == PK_JEV_ARRAY)
		d->skip_level = d->level;
}

int pk_jdoc_overflow(const struct pk_jdoc *d) { return d->overflow; }

enum pk_status pk_jdoc_keep(struct pk_jdoc *d, struct pk_buf *extra, int from)
{
	size_t mark = extra->len, n;
	const char *path = pk_jdoc_path(d, from, &n);
	enum pk_status rc = pk_buf_putc(extra, extra->len ? ',' : '{');
	if (rc == PK_OK)
		rc = pk_json_string(extra, path, n);
	if (rc == PK_OK)
		rc = pk_buf_putc(extra, ':');
	if (rc == PK_OK)
		rc = pk_jdoc_capture(d, extra, PK_JDOC_KEEP_MAX, NULL);
	if (rc == PK_OK && (d->cur_ev == PK_JEV_MAP || d->cur_ev == PK_JEV_ARRAY)) {
		d->caps[d->ncaps - 1].rollback = 1;
		d->caps[d->ncaps - 1].mark = mark;
		pk_jdoc_skip(d);
	}
	return rc;
}

enum pk_status pk_jdoc_fail(struct pk_jdoc *d, const char *why)
{
	/* point at the token's start where its length is known */
	if (d->cur_ev == PK_JEV_MAP || d->cur_ev == PK_JEV_ARRAY)
		d->back = 1;
	else if (d->cur_ev == PK_JEV_NUMBER || d->cur_ev == PK_JEV_BOOL || d->cur_ev == PK_JEV_NULL)
		d->back = d->cur_n;
	if (!d->fail_why.len)
		pk_buf_puts(&d->fail_why, why);
	return PK_ERR_INPUT;
}

int pk_jdoc_error(const struct pk_jdoc *d, const char **why, int64_t *line,
                  int64_t *col, const char **raw, size_t *rawn)
{
	if (!d->failed)
		return 0;
	*why = d->why.data ? d->why.data : "invalid JSON";
	*line = d->err_line;
	*col = d->err_col;
	*raw = d->raw.data ? d->raw.data : "";
	*rawn = d->raw.len;
	return 1;
}

int pk_jdoc_truncated(const struct pk_jdoc *d) { return d->truncated; }
int pk_jdoc_at_end(const struct pk_jdoc *d) { return d->at_end; }
int pk_jdoc_too_deep(const struct pk_jdoc *d) { return d->too_deep; }
int pk_jdoc_complete(const struct pk_jdoc *d) { return d->complete; }

const char *pk_jdoc_head(const struct pk_jdoc *d, size_t *n)
{
	*n = d->head.len;
	return d->head.data ? d->head.data : "";
}

int pk_jdoc_int(const char *s, size_t n, int64_t *out)
{
	size_t i = n && s[0] == '-';
	if (i < n && n - i <= 18) {
		int64_t v = 0;
		size_t j = i;
		while (j < n && s[j] >= '0' && s[j] <= '9')
			v = v * 10 + (s[j++] - '0');
		if (j == n) {
			*out = i ? -v : v;
			return 0;
		}
	}
	double v;
	if (pk_parse_double(s, n, &v) != 0 || v != floor(v) || fabs(v) > 9007199254740992.0)
		return -1;
	*out = (int64_t)v;
	return 0;
}
