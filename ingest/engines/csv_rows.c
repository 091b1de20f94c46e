/* csv_rows.c - the shared engine of the CSV log readers (see csv_rows.h):
 * libcsv in strict mode, fed one line at a time with its newline put back,
 * header mapping by name, typed fields, extra JSON, rejects with reasons. */
#include "csv_rows.h"

#include <csv.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/buf.h"
#include "../../core/json_write.h"
#include "../../core/number.h"
#include "../../core/timeutil.h"
#include "../../core/utf8.h"
#include "../pipeline/ingest.h"
#include "../pipeline/sink.h"

struct span { size_t off, len; };
struct qline { size_t off, len; int64_t lineno; };

/* Where the field at one position goes. */
struct target {
	int field;                /* index in fmt->fields, or -1: extra */
	size_t key_off, key_len;  /* extra: header name in hdr; 0: field_N */
};

struct csv_state {
	const struct pk_csv_format *fmt;
	struct csv_parser parser;
	/* the record being read */
	int open;                 /* begun and not ended */
	int ended;                /* set by the row callback */
	int nomem;
	struct pk_buf raw;        /* its lines, joined by \n */
	struct qline *lines;
	size_t nlines, caplines;
	struct pk_buf fields;     /* its fields' bytes */
	struct span *spans;
	size_t nspans, capspans;
	/* lines read again after an unbalanced quote */
	struct pk_buf qbuf, cur;
	struct qline *queue;
	size_t nqueue, qpos;
	/* column mapping from the last header seen */
	struct pk_buf hdr;
	struct target *map;
	size_t nmap;
	int used[PK_CSV_MAX_FIELDS];
	int prefix;               /* the header is the documented order, cut short */
	int warned_wide;          /* a row longer than the header was reported */
	int time_field;
	/* the row */
	struct pk_value *v;
	struct pk_buf extra, msg;
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
	return 0;   /* keep spaces: Python's csv writes them unquoted */
}

static int is_lf(unsigned char c)
{
	return c == '\n';   /* a CR inside a line is data, not a record end */
}

static void cb_field(void *s, size_t n, void *ctx)
{
	struct csv_state *st = ctx;
	if (st->nomem)
		return;
	if (grow((void **)&st->spans, &st->capspans, st->nspans + 1, sizeof *st->spans) ||
	    (n && pk_buf_append(&st->fields, s, n) != PK_OK)) {
		st->nomem = 1;
		return;
	}
	st->spans[st->nspans++] = (struct span){ st->fields.len - n, n };
}

static void cb_row(int c, void *ctx)
{
	(void)c;
	((struct csv_state *)ctx)->ended = 1;
}

void pk_csv_close(void *state)
{
	struct csv_state *st = state;
	if (!st)
		return;
	csv_free(&st->parser);
	struct pk_buf *bufs[] = { &st->raw, &st->fields, &st->qbuf, &st->cur,
	                          &st->hdr, &st->extra, &st->msg };
	for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
		pk_buf_free(bufs[i]);
	free(st->lines);
	free(st->spans);
	free(st->queue);
	free(st->map);
	free(st->v);
	free(st);
}

void *pk_csv_open(const struct pk_csv_format *fmt)
{
	if (fmt->nfields > PK_CSV_MAX_FIELDS)
		return NULL;
	struct csv_state *st = calloc(1, sizeof *st);
	if (!st)
		return NULL;
	st->fmt = fmt;
	st->time_field = -1;
	st->prefix = 1;
	for (size_t i = 0; i < fmt->nfields; i++)
		if (fmt->fields[i].type == PK_CSV_TIME_ISO || fmt->fields[i].type == PK_CSV_TIME_EPOCH)
			st->time_field = (int)i;
	st->v = calloc(fmt->table->ncols, sizeof *st->v);
	if (!st->v || st->time_field < 0 || csv_init(&st->parser, CSV_STRICT) != 0) {
		free(st->v);
		free(st);
		return NULL;
	}
	csv_set_space_func(&st->parser, no_space);
	csv_set_term_func(&st->parser, is_lf);
	csv_set_blk_size(&st->parser, 4096);
	return st;
}

int pk_csv_in_record(void *state)
{
	return ((struct csv_state *)state)->open;
}

/* ---- the column mapping ---- */

static int known_index(const struct csv_state *st, const char *p, size_t n)
{
	for (size_t i = 0; i < st->fmt->nfields; i++) {
		const char *name = st->fmt->fields[i].name;
		if (strlen(name) == n && memcmp(name, p, n) == 0)
			return (int)i;
	}
	return -1;
}

static struct target target_of(const struct csv_state *st, size_t pos)
{
	if (pos < st->nmap)
		return st->map[pos];
	if (st->prefix && pos < st->fmt->nfields)
		return (struct target){ (int)pos, 0, 0 };
	return (struct target){ -1, 0, 0 };
}

static const char *field_text(const struct csv_state *st, size_t i, size_t *n)
{
	*n = st->spans[i].len;
	return st->fields.data ? st->fields.data + st->spans[i].off : "";
}

/* A header: the time column's name and PK_CSV_HEADER_MIN known names. */
static int is_header(const struct csv_state *st)
{
	const char *tname = st->fmt->fields[st->time_field].name;
	size_t tlen = strlen(tname), i, n;
	int known = 0;
	for (i = 0; i < st->nspans; i++) {     /* cheap test first: every row */
		const char *f = field_text(st, i, &n);
		if (n == tlen && memcmp(f, tname, n) == 0)
			break;
	}
	if (i == st->nspans)
		return 0;
	for (i = 0; i < st->nspans; i++) {
		const char *f = field_text(st, i, &n);
		known += known_index(st, f, n) >= 0;
	}
	return known >= PK_CSV_HEADER_MIN;
}

static int cmp_key(const void *a, const void *b, void *ctx)
{
	const struct csv_state *st = ctx;
	const struct target *x = &st->map[*(const size_t *)a], *y = &st->map[*(const size_t *)b];
	size_t n = x->key_len < y->key_len ? x->key_len : y->key_len;
	int c = memcmp(st->hdr.data + x->key_off, st->hdr.data + y->key_off, n);
	if (c == 0)
		c = (x->key_len > y->key_len) - (x->key_len < y->key_len);
	if (c == 0)
		c = (*(const size_t *)a > *(const size_t *)b) - (*(const size_t *)a < *(const size_t *)b);
	return c;
}

/* Extra keys named twice: the later ones become field_N. */
static int dedupe_keys(struct csv_state *st)
{
	size_t *idx = malloc((st->nmap ? st->nmap : 1) * sizeof *idx), k = 0;
	if (!idx)
		return -1;
	for (size_t i = 0; i < st->nmap; i++)
		if (st->map[i].key_len)
			idx[k++] = i;
	qsort_r(idx, k, sizeof *idx, cmp_key, st);
	for (size_t i = 1; i < k; i++) {
		const struct target *a = &st->map[idx[i - 1]], *b = &st->map[idx[i]];
		if (a->key_len == b->key_len &&
		    memcmp(st->hdr.data + a->key_off, st->hdr.data + b->key_off, a->key_len) == 0)
			st->map[idx[i]].key_len = 0;   /* sorted by position within a name */
	}
	free(idx);
	return 0;
}

static int usable_key(const char *p, size_t n)
{
	return n > 0 && n <= 256 && pk_utf8_valid(p, n) && !pk_utf8_has_control(p, n);
}

static enum pk_status set_header(struct csv_state *st)
{
	size_t cap = 0;
	free(st->map);
	st->map = NULL;
	st->nmap = 0;
	if (grow((void **)&st->map, &cap, st->nspans, sizeof *st->map))
		return PK_ERR_NOMEM;
	memset(st->used, 0, sizeof st->used);
	pk_buf_reset(&st->hdr);
	st->warned_wide = 0;
	st->prefix = st->nspans <= st->fmt->nfields;
	for (size_t i = 0; i < st->nspans; i++) {
		size_t n;
		const char *f = field_text(st, i, &n);
		int k = known_index(st, f, n);
		struct target t = { -1, st->hdr.len, 0 };
		if (k != (int)i)
			st->prefix = 0;
		if (k >= 0 && !st->used[k]) {
			st->used[k] = 1;
			t.field = k;
		} else if (k < 0 && usable_key(f, n)) {
			if (pk_buf_append(&st->hdr, f, n) != PK_OK)
				return PK_ERR_NOMEM;
			t.key_len = n;
		}
		st->map[st->nmap++] = t;
	}
	return dedupe_keys(st) ? PK_ERR_NOMEM : PK_OK;
}

/* ---- a data row ---- */

static void name_of(const struct csv_state *st, size_t pos, struct target t,
                    char *out, size_t cap)
{
	if (t.field >= 0)
		snprintf(out, cap, "%s", st->fmt->fields[t.field].name);
	else
		snprintf(out, cap, "column %zu", pos + 1);
}

static enum pk_status extra_put(struct csv_state *st, const char *key, size_t klen,
                                const char *p, size_t n)
{
	enum pk_status rc = pk_buf_putc(&st->extra, st->extra.len ? ',' : '{');
	if (rc == PK_OK)
		rc = pk_json_string(&st->extra, key, klen);
	if (rc == PK_OK)
		rc = pk_buf_putc(&st->extra, ':');
	if (rc == PK_OK)
		rc = pk_json_string(&st->extra, p, n);
	return rc;
}

static enum pk_status extra_field(struct csv_state *st, size_t pos, struct target t,
                                  const char *p, size_t n)
{
	char key[48];
	if (t.field >= 0)
		return extra_put(st, st->fmt->fields[t.field].name,
		                 strlen(st->fmt->fields[t.field].name), p, n);
	if (t.key_len)
		return extra_put(st, st->hdr.data + t.key_off, t.key_len, p, n);
	int k = snprintf(key, sizeof key, "field_%zu", pos + 1);
	return extra_put(st, key, (size_t)k, p, n);
}

static enum pk_status reject(struct csv_state *st, struct pk_sink *sink,
                             int64_t col, const char *why)
{
	return pk_sink_reject(sink, st->lines[0].lineno, col, why,
	                      st->raw.data ? st->raw.data : "", st->raw.len);
}

static enum pk_status warn(struct csv_state *st, struct pk_sink *sink, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum pk_status warn(struct csv_state *st, struct pk_sink *sink, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return pk_sink_warn(sink, st->lines[0].lineno, 0, msg);
}

/* 1 when the ISO time f ends in Z or a +hh:mm / -hh:mm offset. */
static int has_offset(const char *f, size_t n)
{
	for (size_t i = n; i-- > 10;)
		if (f[i] == 'Z' || f[i] == 'z' || f[i] == '+' || f[i] == '-')
			return 1;
	return 0;
}

/* Warnings about the row's shape against its header. */
static enum pk_status shape_warnings(struct csv_state *st, struct pk_sink *sink)
{
	if (!st->map)
		return PK_OK;   /* no header seen (a resumed run): nothing to compare */
	if (st->nspans < st->nmap)
		return warn(st, sink, "%zu fields, the header has %zu: the missing ones are "
		            "stored as missing", st->nspans, st->nmap);
	if (st->nspans > st->nmap && !st->warned_wide) {
		st->warned_wide = 1;
		if (st->prefix)
			return warn(st, sink, "%zu fields, the header has %zu: the fields after it "
			            "are read by their documented names%s (an older header; not "
			            "repeated for later rows)", st->nspans, st->nmap,
			            st->nspans > st->fmt->nfields ? ", those past them kept in extra "
			            "as field_N" : "");
		return warn(st, sink, "%zu fields, the header has %zu: the fields after it are "
		            "kept in extra as field_N (not repeated for later rows)",
		            st->nspans, st->nmap);
	}
	return PK_OK;
}

static enum pk_status data_row(struct csv_state *st, struct pk_sink *sink)
{
	const struct pk_csv_format *fmt = st->fmt;
	char name[64];
	int have_time = 0;
	enum pk_status rc = PK_OK;
	for (size_t c = 0; c < fmt->table->ncols; c++)
		st->v[c] = pk_v_null();
	for (size_t i = 0; i < fmt->nfields; i++)
		if (fmt->fields[i].type == PK_CSV_KEY)
			st->v[fmt->fields[i].slot] = pk_v_text("", 0);
	pk_buf_reset(&st->extra);
	rc = shape_warnings(st, sink);
	for (size_t i = 0; i < st->nspans && rc == PK_OK; i++) {
		size_t n;
		const char *f = field_text(st, i, &n);
		struct target t = target_of(st, i);
		const char *bad = memchr(f, '\0', n) ? "contains a NUL byte" :
		                  !pk_utf8_valid(f, n) ? "invalid UTF-8" : NULL;
		if (bad) {
			name_of(st, i, t, name, sizeof name);
			pk_buf_reset(&st->msg);
			pk_buf_printf(&st->msg, "%s: %s", name, bad);
			return reject(st, sink, 0, st->msg.data ? st->msg.data : bad);
		}
		if (n == 0)
			continue;       /* missing: NULL (or '' for a key) */
		if (t.field < 0) {
			rc = extra_field(st, i, t, f, n);
			continue;
		}
		const struct pk_csv_field *fd = &fmt->fields[t.field];
		struct pk_value *v = &st->v[fd->slot];
		double d;
		int64_t us;
		const char *why = NULL;
		switch (fd->type) {
		case PK_CSV_TIME_ISO:
		case PK_CSV_TIME_EPOCH:
			if ((fd->type == PK_CSV_TIME_ISO ? pk_time_parse_iso(f, n, &us, &why)
			                                 : pk_time_parse_epoch(f, n, &us, &why)) != PK_OK) {
				pk_buf_reset(&st->msg);
				pk_buf_printf(&st->msg, "%s: %s", fd->name, why ? why : "not a time");
				return reject(st, sink, 0, st->msg.data ? st->msg.data : "bad time");
			}
			*v = pk_v_int(us);
			have_time = 1;
			if (fd->type == PK_CSV_TIME_ISO && !has_offset(f, n))
				rc = warn(st, sink, "%s: no UTC offset: read as UTC", fd->name);
			break;
		case PK_CSV_REAL:
		case PK_CSV_INT:
			if (pk_parse_double(f, n, &d) != 0 || !isfinite(d) ||
			    (fd->type == PK_CSV_INT && (d != floor(d) || fabs(d) > 9007199254740992.0))) {
				rc = extra_field(st, i, t, f, n);
				if (rc == PK_OK)
					rc = warn(st, sink, "%s: not %s: stored as missing (the text is "
					          "kept in extra)", fd->name, fd->type == PK_CSV_INT
					          ? "an integer" : "a number");
				break;
			}
			*v = fd->type == PK_CSV_INT ? pk_v_int((int64_t)d) : pk_v_real(d);
			if (fd->lo < fd->hi && (d < fd->lo || d > fd->hi))
				rc = isinf(fd->hi) ? warn(st, sink, "%s: %.17g is below %g (stored as read)",
				                          fd->name, d, fd->lo)
				                   : warn(st, sink, "%s: %.17g is outside %g..%g (stored "
				                          "as read)", fd->name, d, fd->lo, fd->hi);
			break;
		case PK_CSV_TEXT:
		case PK_CSV_KEY:
			*v = pk_v_text(f, n);
			break;
		}
	}
	if (rc != PK_OK)
		return rc;
	if (!have_time) {
		pk_buf_reset(&st->msg);
		pk_buf_printf(&st->msg, "no time: %s is empty or missing",
		              fmt->fields[st->time_field].name);
		return reject(st, sink, 0, st->msg.data ? st->msg.data : "no time");
	}
	if (st->extra.len) {
		if (pk_buf_putc(&st->extra, '}') != PK_OK)
			return PK_ERR_NOMEM;
		st->v[fmt->extra_slot] = pk_v_text(st->extra.data, st->extra.len);
	}
	return pk_sink_row(sink, fmt->table, st->lines[0].lineno, st->v);
}

static enum pk_status complete_record(struct csv_state *st, struct pk_sink *sink)
{
	st->open = 0;
	/* a BOM where files were concatenated */
	if (st->nspans && st->spans[0].len >= 3 &&
	    memcmp(st->fields.data + st->spans[0].off, "\xef\xbb\xbf", 3) == 0) {
		st->spans[0].off += 3;
		st->spans[0].len -= 3;
	}
	if (is_header(st))
		return set_header(st);
	return data_row(st, sink);
}

/* ---- lines in, records out ---- */

/* The record's lines after its first go back to the front of the queue. */
static enum pk_status requeue(struct csv_state *st)
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

/* A record libcsv refused, or a quote never closed: one line is rejected. */
static enum pk_status bad_record(struct csv_state *st, struct pk_sink *sink,
                                 int64_t lineno, int64_t col, const char *what)
{
	st->open = 0;
	csv_fini(&st->parser, NULL, NULL, NULL);   /* resets the parser */
	pk_buf_reset(&st->msg);
	if (st->nlines == 1) {
		pk_buf_printf(&st->msg, "CSV: %s", what);
		return reject(st, sink, col, st->msg.data ? st->msg.data : what);
	}
	if (col)
		pk_buf_printf(&st->msg, "CSV: unbalanced quote: the quoted field opened on "
		              "this line meets %s at line %lld, column %lld; the lines after "
		              "it are read again", what, (long long)lineno, (long long)col);
	else
		pk_buf_printf(&st->msg, "CSV: unbalanced quote: %s; the lines after it are "
		              "read again", what);
	enum pk_status rc = pk_sink_reject(sink, st->lines[0].lineno, 0,
	                                   st->msg.data ? st->msg.data : what,
	                                   st->raw.data + st->lines[0].off, st->lines[0].len);
	return rc == PK_OK ? requeue(st) : rc;
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

/* 1 when line p (inside an open quoted field) reads as a record of its
 * own: a time first, where the time column is, and at least as many
 * commas as the header has columns, no quote.  Proof that the quote is
 * unbalanced (a writer writes its rows whole), so the rest of the file is
 * not swallowed until 1000 lines have passed. */
static int starts_record(const struct csv_state *st, const char *p, size_t n)
{
	size_t width = st->map ? st->nmap : st->fmt->nfields, commas = 0;
	int first = st->map ? st->nmap && st->map[0].field == st->time_field
	                    : st->time_field == 0;
	if (!first || memchr(p, '"', n))
		return 0;
	for (size_t i = 0; i < n; i++)
		commas += p[i] == ',';
	const char *comma = memchr(p, ',', n);
	if (commas + 1 < width || !comma)
		return 0;
	int64_t us;
	const char *why;
	size_t tn = (size_t)(comma - p);
	return st->fmt->fields[st->time_field].type == PK_CSV_TIME_ISO
	       ? pk_time_parse_iso(p, tn, &us, &why) == PK_OK
	       : pk_time_parse_epoch(p, tn, &us, &why) == PK_OK;
}

static enum pk_status feed_one(struct csv_state *st, struct pk_sink *sink,
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
	st->open = 1;
	st->ended = 0;
	size_t used = csv_parse(&st->parser, p, body, cb_field, cb_row, st);
	int ok = used == body && csv_error(&st->parser) == CSV_SUCCESS;
	if (ok && body < n && in_quoted_field(&st->parser))
		ok = csv_parse(&st->parser, "\r", 1, cb_field, cb_row, st) == 1;
	if (ok)
		used = n + csv_parse(&st->parser, "\n", 1, cb_field, cb_row, st);
	int err = csv_error(&st->parser);
	if (st->nomem || err == CSV_ENOMEM || err == CSV_ETOOBIG)
		return PK_ERR_NOMEM;
	if (err == CSV_EPARSE)
		return bad_record(st, sink, lineno, (int64_t)used + 1,
		                  st->parser.quoted ? "text after a closing quote"
		                                    : "a quote inside an unquoted field");
	if (st->ended)
		return complete_record(st, sink);
	if (st->nlines > PK_CSV_MAX_RECORD_LINES || st->raw.len > PK_MAX_LINE)
		return bad_record(st, sink, lineno, 0,
		                  "the quoted field opened on this line is not closed "
		                  "within 1000 lines or 8 MiB");
	if (st->nlines > 1 && starts_record(st, p, body)) {
		char what[96];
		snprintf(what, sizeof what, "the quoted field opened on this line is still open "
		         "at line %lld, which starts a new record", (long long)lineno);
		return bad_record(st, sink, lineno, 0, what);
	}
	return PK_OK;
}

/* One line, then the lines a bad record sent back, in order. */
static enum pk_status feed(struct csv_state *st, struct pk_sink *sink,
                           const char *p, size_t n, int64_t lineno)
{
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

enum pk_status pk_csv_line(void *state, struct pk_sink *sink,
                           const char *p, size_t n, int64_t lineno)
{
	/* lines come exactly as read (reader flag raw_lines): blank lines and
	 * CRs inside quoted fields are kept */
	return feed(state, sink, p, n, lineno);
}

/* ---- detection ---- */

int pk_csv_head_starts_with(const char *head, size_t n, const char *const *names)
{
	size_t pos = 0;
	for (size_t i = 0; names[i]; i++) {
		size_t len = strlen(names[i]);
		if (i > 0) {
			if (pos >= n || head[pos] != ',')
				return 0;
			pos++;
		}
		if (n - pos < len || memcmp(head + pos, names[i], len) != 0)
			return 0;
		pos += len;
	}
	return pos == n || head[pos] == ',' || head[pos] == '\r' || head[pos] == '\n';
}

int pk_csv_name_matches(const char *base, const char *prefix, const char *suffix)
{
	size_t n = strlen(base), pl = strlen(prefix), sl = strlen(suffix);
	return n >= pl + sl && memcmp(base, prefix, pl) == 0 &&
	       memcmp(base + n - sl, suffix, sl) == 0;
}
