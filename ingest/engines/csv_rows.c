/* csv_rows.c - typed table rows from CSV records (see csv_rows.h): header
 * mapping by name, typed fields, extra JSON, rejects with reasons.  The
 * records come from the CSV engine (csv_records.c). */
#include "csv_rows.h"

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
#include "csv_records.h"
#include "../pipeline/ingest.h"
#include "../pipeline/sink.h"

/* Where the field at one position goes. */
struct target {
	int field;                /* index in fmt->fields, or -1: extra */
	size_t key_off, key_len;  /* extra: header name in hdr; 0: field_N */
};

struct csv_state {
	const struct pk_csv_format *fmt;
	struct pk_csv_dialect dialect;
	void *records;            /* the CSV engine */
	const struct pk_csv_record *r;  /* the record being mapped */
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

static enum pk_status rows_record(void *ctx, struct pk_sink *sink,
                                  const struct pk_csv_record *r);
static int starts_record(void *ctx, const char *p, size_t n);

void pk_csv_close(void *state)
{
	struct csv_state *st = state;
	if (!st)
		return;
	pk_csv_records_close(st->records);
	struct pk_buf *bufs[] = { &st->hdr, &st->extra, &st->msg };
	for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
		pk_buf_free(bufs[i]);
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
	st->dialect = (struct pk_csv_dialect){ .record = rows_record,
	                                       .starts_record = starts_record };
	st->v = calloc(fmt->table->ncols, sizeof *st->v);
	if (!st->v || st->time_field < 0 ||
	    !(st->records = pk_csv_records_open(&st->dialect, st))) {
		pk_csv_close(st);
		return NULL;
	}
	return st;
}

int pk_csv_in_record(void *state)
{
	return pk_csv_records_in_record(((struct csv_state *)state)->records);
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
	return pk_csv_rec_field(st->r, i, n);
}

/* A header: the time column's name and PK_CSV_HEADER_MIN known names. */
static int is_header(const struct csv_state *st)
{
	const char *tname = st->fmt->fields[st->time_field].name;
	size_t tlen = strlen(tname), i, n;
	int known = 0;
	for (i = 0; i < st->r->n; i++) {     /* cheap test first: every row */
		const char *f = field_text(st, i, &n);
		if (n == tlen && memcmp(f, tname, n) == 0)
			break;
	}
	if (i == st->r->n)
		return 0;
	for (i = 0; i < st->r->n; i++) {
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
	free(st->map);
	st->nmap = 0;
	if (!(st->map = malloc((st->r->n ? st->r->n : 1) * sizeof *st->map)))
		return PK_ERR_NOMEM;
	memset(st->used, 0, sizeof st->used);
	pk_buf_reset(&st->hdr);
	st->warned_wide = 0;
	st->prefix = st->r->n <= st->fmt->nfields;
	for (size_t i = 0; i < st->r->n; i++) {
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
	return pk_sink_reject(sink, st->r->lineno, col, why, st->r->raw, st->r->raw_len);
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
	return pk_sink_warn(sink, st->r->lineno, 0, msg);
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
	if (st->r->n < st->nmap)
		return warn(st, sink, "%zu fields, the header has %zu: the missing ones are "
		            "stored as missing", st->r->n, st->nmap);
	if (st->r->n > st->nmap && !st->warned_wide) {
		st->warned_wide = 1;
		if (st->prefix)
			return warn(st, sink, "%zu fields, the header has %zu: the fields after it "
			            "are read by their documented names%s (an older header; not "
			            "repeated for later rows)", st->r->n, st->nmap,
			            st->r->n > st->fmt->nfields ? ", those past them kept in extra "
			            "as field_N" : "");
		return warn(st, sink, "%zu fields, the header has %zu: the fields after it are "
		            "kept in extra as field_N (not repeated for later rows)",
		            st->r->n, st->nmap);
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
	for (size_t i = 0; i < st->r->n && rc == PK_OK; i++) {
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
	return pk_sink_row(sink, fmt->table, st->r->lineno, st->v);
}

static enum pk_status rows_record(void *ctx, struct pk_sink *sink,
                                  const struct pk_csv_record *r)
{
	struct csv_state *st = ctx;
	st->r = r;
	if (is_header(st))
		return set_header(st);
	return data_row(st, sink);
}

/* 1 when line p (inside an open quoted field) reads as a record of its
 * own: a time first, where the time column is, and at least as many
 * commas as the header has columns, no quote.  Proof that the quote is
 * unbalanced (a writer writes its rows whole), so the rest of the file is
 * not swallowed until 1000 lines have passed. */
static int starts_record(void *ctx, const char *p, size_t n)
{
	const struct csv_state *st = ctx;
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

enum pk_status pk_csv_line(void *state, struct pk_sink *sink,
                           const char *p, size_t n, int64_t lineno)
{
	/* lines come exactly as read (reader flag raw_lines): blank lines and
	 * CRs inside quoted fields are kept */
	return pk_csv_records_line(((struct csv_state *)state)->records, sink, p, n, lineno);
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
