/* csv_records.c - the one CSV engine, field level (see csv_records.h):
 * libcsv in strict mode, fed one line at a time with its newline put back;
 * records spanning lines, unbalanced quotes found and the lines after them
 * read again. */
#include "csv_records.h"

#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/buf.h"
#include "../pipeline/ingest.h"
#include "../pipeline/sink.h"

struct qline { size_t off, len; int64_t lineno; };

struct csv_records {
	const struct pk_csv_dialect *d;
	void *ctx;
	struct csv_parser parser;
	/* the record being read */
	int open;                 /* begun and not ended */
	int ended;                /* set by the row callback */
	int nomem;
	struct pk_buf raw;        /* its lines, joined by \n */
	struct qline *lines;
	size_t nlines, caplines;
	struct pk_buf fields;     /* its fields' bytes */
	struct pk_csv_span *spans;
	size_t nspans, capspans;
	/* lines read again after an unbalanced quote */
	struct pk_buf qbuf, cur, msg;
	struct qline *queue;
	size_t nqueue, qpos;
};

static int grow(void **arr, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : 64;
	while (c < need)
		c *= 2;
	void *p = realloc(*arr, c * size);
	if (!p)
		return -1;
	*arr = p;
	*cap = c;
	return 0;
}

static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static int is_lf(unsigned char c)
{
	return c == '\n';   /* a CR inside a line is data, not a record end */
}

static void cb_field(void *s, size_t n, void *ctx)
{
	struct csv_records *st = ctx;
	if (st->nomem)
		return;
	if (grow((void **)&st->spans, &st->capspans, st->nspans + 1, sizeof *st->spans) ||
	    (n && pk_buf_append(&st->fields, s, n) != PK_OK)) {
		st->nomem = 1;
		return;
	}
	/* libcsv clears `quoted` only after this callback */
	st->spans[st->nspans++] = (struct pk_csv_span){ st->fields.len - n, n,
	                                                st->parser.quoted != 0 };
}

static void cb_row(int c, void *ctx)
{
	(void)c;
	((struct csv_records *)ctx)->ended = 1;
}

void pk_csv_records_close(void *state)
{
	struct csv_records *st = state;
	if (!st)
		return;
	csv_free(&st->parser);
	struct pk_buf *bufs[] = { &st->raw, &st->fields, &st->qbuf, &st->cur, &st->msg };
	for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
		pk_buf_free(bufs[i]);
	free(st->lines);
	free(st->spans);
	free(st->queue);
	free(st);
}

void *pk_csv_records_open(const struct pk_csv_dialect *dialect, void *ctx)
{
	struct csv_records *st = calloc(1, sizeof *st);
	if (!st)
		return NULL;
	st->d = dialect;
	st->ctx = ctx;
	if (csv_init(&st->parser, CSV_STRICT) != 0) {
		free(st);
		return NULL;
	}
	if (!dialect->trim)
		csv_set_space_func(&st->parser, no_space);
	csv_set_term_func(&st->parser, is_lf);
	csv_set_blk_size(&st->parser, 4096);
	return st;
}

int pk_csv_records_in_record(void *state)
{
	return ((struct csv_records *)state)->open;
}

/* ---- fields and their columns ---- */

const char *pk_csv_rec_field(const struct pk_csv_record *r, size_t i, size_t *n)
{
	*n = r->f[i].len;
	return r->data ? r->data + r->f[i].off : "";
}

static size_t skip_blanks(const char *p, size_t n, size_t i)
{
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	return i;
}

/* Walks the fields of line p as libcsv reads them.  Returns the 1-based
 * column of field `want` (SIZE_MAX: none wanted); *open_quote gets the
 * column of a quote still open at the line's end, else 0. */
static int64_t scan_fields(const char *p, size_t n, int trim, size_t want,
                           int64_t *open_quote)
{
	size_t i = 0;
	*open_quote = 0;
	for (size_t k = 0;; k++) {
		size_t start = i, b = skip_blanks(p, n, i);
		if (trim || (b < n && p[b] == '"'))
			start = b;
		if (k == want)
			return (int64_t)start + 1;
		i = start;
		if (i < n && p[i] == '"') {
			size_t q = i++;
			for (;; i++) {
				if (i >= n) {
					*open_quote = (int64_t)q + 1;
					return 0;
				}
				if (p[i] == '"') {
					if (i + 1 < n && p[i + 1] == '"')
						i++;
					else
						break;
				}
			}
		}
		const char *c = i < n ? memchr(p + i, ',', n - i) : NULL;
		if (!c)
			return 0;
		i = (size_t)(c - p) + 1;
	}
}

int64_t pk_csv_rec_col(const struct pk_csv_record *r, size_t i)
{
	const char *nl = memchr(r->raw, '\n', r->raw_len);
	size_t n = nl ? (size_t)(nl - r->raw) : r->raw_len;
	int64_t open;
	return scan_fields(r->raw, n, r->trim, i, &open);
}

/* ---- faults ---- */

/* The record's lines after its first go back to the front of the queue. */
static enum pk_status requeue(struct csv_records *st)
{
	struct pk_buf nb = PK_BUF_INIT;
	size_t nq = st->nlines - 1 + (st->nqueue - st->qpos), cap = 0, k = 0;
	struct qline *q = NULL;
	if (grow((void **)&q, &cap, nq, sizeof *q))
		return PK_ERR_NOMEM;
	for (size_t i = 1; i < st->nlines + st->nqueue - st->qpos; i++) {
		int from_rec = i < st->nlines;
		const struct qline *l = from_rec ? &st->lines[i] : &st->queue[st->qpos + i - st->nlines];
		const char *base = from_rec ? st->raw.data : st->qbuf.data;
		q[k] = (struct qline){ nb.len, l->len, l->lineno };
		if (l->len && pk_buf_append(&nb, base + l->off, l->len) != PK_OK) {
			free(q);
			pk_buf_free(&nb);
			return PK_ERR_NOMEM;
		}
		k++;
	}
	pk_buf_free(&st->qbuf);
	free(st->queue);
	st->qbuf = nb;
	st->queue = q;
	st->nqueue = k;
	st->qpos = 0;
	return PK_OK;
}

/* A record libcsv refused, or a quote never closed: its first line is
 * rejected (the reader's words or the engine's), the lines after it read
 * again. */
static enum pk_status bad_record(struct csv_records *st, struct pk_sink *sink,
                                 enum pk_csv_fault_kind kind, int64_t lineno,
                                 int64_t col, const char *what)
{
	st->open = 0;
	csv_fini(&st->parser, NULL, NULL, NULL);   /* resets the parser */
	pk_buf_reset(&st->msg);
	struct pk_csv_fault f = { kind, st->lines[0].lineno, 0,
	                          st->raw.data + st->lines[0].off, st->lines[0].len, NULL };
	if (st->nlines == 1) {
		pk_buf_printf(&st->msg, "CSV: %s", what);
		f.col = col;
	} else if (col) {
		pk_buf_printf(&st->msg, "CSV: unbalanced quote: the quoted field opened on "
		              "this line meets %s at line %lld, column %lld; the lines after "
		              "it are read again", what, (long long)lineno, (long long)col);
	} else {
		pk_buf_printf(&st->msg, "CSV: unbalanced quote: %s; the lines after it are "
		              "read again", what);
	}
	f.reason = st->msg.data ? st->msg.data : what;
	enum pk_status rc = st->d->fault
	    ? st->d->fault(st->ctx, sink, &f)
	    : pk_sink_reject(sink, f.lineno, f.col, f.reason, f.raw, f.raw_len);
	return rc == PK_OK && st->nlines > 1 ? requeue(st) : rc;
}

/* 1 when the parser stands inside an open quoted field.  libcsv keeps its
 * state in struct csv_parser: pstate 2 is FIELD_BEGUN (libcsv.c), and
 * `quoted` says the field began with a quote. */
static int in_quoted_field(const struct csv_parser *p)
{
	return p->quoted && p->pstate == 2;
}

static int blank(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t')
			return 0;
	return 1;
}

/* ---- lines in, records out ---- */

/* The record is complete; its fields' bytes are in data (fields, or raw
 * for a line split without libcsv). */
static enum pk_status complete_record(struct csv_records *st, struct pk_sink *sink,
                                      const char *data)
{
	st->open = 0;
	/* a BOM where files were concatenated */
	if (st->nspans && st->spans[0].len >= 3 &&
	    memcmp(data + st->spans[0].off, "\xef\xbb\xbf", 3) == 0) {
		st->spans[0].off += 3;
		st->spans[0].len -= 3;
	}
	struct pk_csv_record r = { data, st->spans, st->nspans, st->lines[0].lineno,
	                           st->raw.data ? st->raw.data : "", st->raw.len, st->d->trim };
	return st->d->record(st->ctx, sink, &r);
}

/* A line without quotes is one record whose fields lie between its commas:
 * split here as libcsv would (blanks trimmed by the dialect's trim), at a
 * fraction of its cost per byte.  -1 without memory. */
static int split_plain(struct csv_records *st, size_t body)
{
	const char *p = st->raw.data;
	size_t i = 0;
	for (;;) {
		const char *c = memchr(p + i, ',', body - i);
		size_t e = c ? (size_t)(c - p) : body, a = i, b = e;
		if (st->d->trim) {
			a = skip_blanks(p, e, a);
			while (b > a && (p[b - 1] == ' ' || p[b - 1] == '\t'))
				b--;
		}
		if (grow((void **)&st->spans, &st->capspans, st->nspans + 1, sizeof *st->spans))
			return -1;
		st->spans[st->nspans++] = (struct pk_csv_span){ a, b - a, 0 };
		if (!c)
			return 0;
		i = e + 1;
	}
}

static enum pk_status feed_one(struct csv_records *st, struct pk_sink *sink,
                               const char *p, size_t n, int64_t lineno)
{
	/* a CRLF line end: the CR is data only inside a quoted field */
	size_t body = n && p[n - 1] == '\r' ? n - 1 : n;
	if (!st->open) {
		if (blank(p, body))
			return PK_OK;
		pk_buf_reset(&st->raw);
		pk_buf_reset(&st->fields);
		st->nlines = st->nspans = 0;
	}
	if (grow((void **)&st->lines, &st->caplines, st->nlines + 1, sizeof *st->lines) ||
	    (st->nlines && pk_buf_putc(&st->raw, '\n') != PK_OK) ||
	    pk_buf_append(&st->raw, p, n) != PK_OK)
		return PK_ERR_NOMEM;
	st->lines[st->nlines++] = (struct qline){ st->raw.len - n, n, lineno };
	if (st->nlines == 1 && !memchr(p, '"', body)) {
		if (split_plain(st, body))
			return PK_ERR_NOMEM;
		return complete_record(st, sink, st->raw.data);
	}
	st->open = 1;
	st->ended = 0;
	size_t used = csv_parse(&st->parser, p, body, cb_field, cb_row, st);
	int ok = used == body && csv_error(&st->parser) == CSV_SUCCESS;
	if (ok && st->d->one_line && in_quoted_field(&st->parser)) {
		int64_t q;
		scan_fields(p, body, st->d->trim, SIZE_MAX, &q);
		return bad_record(st, sink, PK_CSV_FAULT_UNCLOSED, lineno, q,
		                  "unbalanced quote: a quoted field is not closed on its line");
	}
	if (ok && body < n && in_quoted_field(&st->parser))
		ok = csv_parse(&st->parser, "\r", 1, cb_field, cb_row, st) == 1;
	if (ok)
		used = n + csv_parse(&st->parser, "\n", 1, cb_field, cb_row, st);
	int err = csv_error(&st->parser);
	if (st->nomem || err == CSV_ENOMEM || err == CSV_ETOOBIG)
		return PK_ERR_NOMEM;
	if (err == CSV_EPARSE)
		return bad_record(st, sink, PK_CSV_FAULT_QUOTE, lineno, (int64_t)used + 1,
		                  st->parser.quoted ? "text after a closing quote"
		                                    : "a quote inside an unquoted field");
	if (st->ended)
		return complete_record(st, sink, st->fields.data ? st->fields.data : "");
	if (st->nlines > PK_CSV_MAX_RECORD_LINES || st->raw.len > PK_MAX_LINE)
		return bad_record(st, sink, PK_CSV_FAULT_UNCLOSED, lineno, 0,
		                  "the quoted field opened on this line is not closed "
		                  "within 1000 lines or 8 MiB");
	if (st->nlines > 1 && st->d->starts_record && st->d->starts_record(st->ctx, p, body)) {
		char what[96];
		snprintf(what, sizeof what, "the quoted field opened on this line is still open "
		         "at line %lld, which starts a new record", (long long)lineno);
		return bad_record(st, sink, PK_CSV_FAULT_UNCLOSED, lineno, 0, what);
	}
	return PK_OK;
}

/* One line, then the lines a bad record sent back, in order. */
enum pk_status pk_csv_records_line(void *state, struct pk_sink *sink,
                                   const char *p, size_t n, int64_t lineno)
{
	struct csv_records *st = state;
	enum pk_status rc = feed_one(st, sink, p, n, lineno);
	while (rc == PK_OK && st->qpos < st->nqueue) {
		struct qline q = st->queue[st->qpos++];
		pk_buf_reset(&st->cur);
		if (q.len && pk_buf_append(&st->cur, st->qbuf.data + q.off, q.len) != PK_OK)
			return PK_ERR_NOMEM;
		rc = feed_one(st, sink, st->cur.data ? st->cur.data : "", q.len, q.lineno);
	}
	if (st->qpos == st->nqueue) {
		st->qpos = st->nqueue = 0;
		pk_buf_reset(&st->qbuf);
	}
	return rc;
}
