/* read_registry_json.c - format F2, the hardware profile registry
 * (config/hardware_profiles.json): one small JSON document, held whole.
 * The JSON-document engine (engines/json_doc.h) checks it first (valid
 * JSON, an object; Python's NaN tokens rewritten to null), it is stored
 * once per distinct version in registry_version, then the engine walks it
 * again, its events (no tree) making registry_profile,
 * registry_target, registry_tier and detected_system rows, which replace
 * the stored ones (configuration).  Fields perfkit does not know, and known
 * ones of the wrong type or out of double range, are kept in each row's
 * `extra` under their dotted path; containers are kept as their exact bytes.
 * An entry of the wrong shape (profiles an array, a target null ...) is
 * rejected with its path and the rest of the document is still read. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/buf.h"
#include "../../core/hash.h"
#include "../../core/json_write.h"
#include "../../core/number.h"
#include "../../core/table.h"
#include "../../core/timeutil.h"
#include "../../core/utf8.h"
#include "../engines/json_doc.h"
#include "../engines/json_space.h"
#include "../engines/json_nan.h"
#include "../pipeline/reader.h"
#include "registry_fields.h"
#include "../pipeline/sink.h"

#define DOC_MAX ((size_t)64 << 20)    /* larger documents are rejected */
#define NAME_MAX_BYTES 256
#define MAX_COLS 24                   /* >= the widest table (registry_fields.c) */

/* What the innermost open container is. */
enum role {
	R_TOP, R_PROFILES, R_TARGETS, R_CMATRIX, R_TIERS,
	R_ROW,      /* a row's own object */
	R_FIELDS    /* an object of fields inside a row (hardware, gpu ...) */
};

struct row {
	int active, root;           /* root: depth of the row's object */
	size_t start;               /* offset of its '{' */
	struct pk_buf name;
	struct pk_value v[MAX_COLS];
	struct pk_buf txt[MAX_COLS];
	struct pk_buf extra;
	const char *fail;           /* why the row is rejected, or NULL */
	size_t fail_at;
	int qualifies;              /* detected: has profile_name/system/gpu/cpu */
	int has_bound;              /* target: a bound key was taken */
};

enum vtype { V_NULL, V_BOOL, V_NUM, V_STR, V_MAP, V_ARRAY };

struct reg_state {
	struct pk_sink *sink;
	struct pk_buf doc, nanfix, path, key, msg;
	int too_big;
	const char *text;           /* the text being walked */
	size_t n;
	size_t at, prev;            /* offsets just past this event's token, the last one's */
	int depth;
	enum role role[PK_JDOC_MAX_DEPTH + 2];
	size_t pathlen[PK_JDOC_MAX_DEPTH + 2];
	int dotted[PK_JDOC_MAX_DEPTH + 2];
	int key_dotted;             /* the path of the last key has a dotted key */
	int capture_depth;          /* copying a container's bytes into capture_dst */
	size_t capture_start;
	struct pk_buf *capture_dst;
	int skip_depth;             /* inside a container that is not read */
	size_t skip_start;
	int skip_reject;            /* ... and rejected when it ends (msg) */
	struct row rows[NROWS];
	enum pk_status rc;          /* a sink or memory failure */
	size_t lc_off, lc_start;    /* line cache: offset, its line's start */
	int64_t lc_line;
};

static const char *vtype_name(enum vtype t)
{
	static const char *const names[] = { "null", "a boolean", "a number", "a string",
	                                     "an object", "an array" };
	return names[t];
}

static int fail_mem(struct reg_state *st, enum pk_status rc)
{
	if (rc != PK_OK && st->rc == PK_OK)
		st->rc = rc;
	return rc == PK_OK;
}

/* 1-based line and column of byte off of the text. */
static void line_col(struct reg_state *st, size_t off, int64_t *line, int64_t *col)
{
	if (off < st->lc_off) {
		/* back (a row's start after its inner rows): uncount the lines
		 * passed, and find off's line start if a line was passed */
		size_t top = st->lc_off < st->n ? st->lc_off : st->n;
		int passed = 0;
		for (size_t i = off; i < top; i++)
			if (st->text[i] == '\n') {
				st->lc_line--;
				passed = 1;
			}
		if (passed) {
			size_t b = off;
			while (b > 0 && st->text[b - 1] != '\n')
				b--;
			st->lc_start = b;
		}
		st->lc_off = off;
	}
	for (size_t i = st->lc_off; i < off && i < st->n; i++)
		if (st->text[i] == '\n') {
			st->lc_line++;
			st->lc_start = i + 1;
		}
	st->lc_off = off;
	*line = st->lc_line;
	*col = (int64_t)(off - st->lc_start) + 1;
}

/* Rejects text[from, to) with the reason, at from's line and column. */
static int reject_span(struct reg_state *st, const char *reason, size_t from, size_t to)
{
	int64_t line, col;
	if (to > st->n)
		to = st->n;
	line_col(st, from, &line, &col);
	return fail_mem(st, pk_sink_reject(st->sink, line, col, reason,
	                                   st->text + from, to > from ? to - from : 0));
}

/* Appends a name for messages: at most 64 characters of it. */
static void put_name(struct pk_buf *b, const char *s, size_t n)
{
	if (!s)
		s = "";
	size_t k = pk_utf8_valid_prefix(s, n, 64);
	pk_buf_append(b, s, k);
	if (k < n)
		pk_buf_puts(b, "...");
}

/* The last key ("" when empty: a buffer never appended to has no data). */
static const char *key_text(const struct reg_state *st)
{
	return st->key.data && st->key.len ? st->key.data : "";
}

static const char *name_problem(const char *p, size_t n)
{
	if (n == 0)
		return "name is empty";
	if (n > NAME_MAX_BYTES)
		return "name longer than 256 bytes";
	if (pk_utf8_has_control(p, n))
		return "name contains control characters";
	return NULL;
}

/* The first byte from i on that is not JSON white space (or, with colon, ':'). */
static size_t skip_ws(const char *p, size_t i, size_t n, int colon)
{
	while (i < n && (pk_json_space(p[i]) || (colon && p[i] == ':')))
		i++;
	return i;
}

/* Where the value after the last key starts: past the comma, the key and
 * the colon that follow the last event's token (the text is valid JSON). */
static size_t value_start(const struct reg_state *st)
{
	const char *p = st->text;
	size_t i = st->prev;
	while (i < st->n && p[i] != '"')
		i++;
	for (i++; i < st->n && p[i] != '"'; i++)
		i += p[i] == '\\';
	return skip_ws(p, i + 1, st->n, 1);
}

static struct row *current_row(struct reg_state *st)
{
	struct row *best = NULL;
	for (int k = 0; k < NROWS; k++)
		if (st->rows[k].active && (!best || st->rows[k].root > best->root))
			best = &st->rows[k];
	return best;
}

static enum rowkind kind_of(const struct reg_state *st, const struct row *r)
{
	return (enum rowkind)(r - st->rows);
}

static const struct fdef *lookup(const struct reg_state *st, const struct row *r)
{
	static const struct fdef unknown = { NULL, T_UNKNOWN, -1 };
	if (st->key_dotted)
		return &unknown;
	for (const struct fdef *f = pk_registry_rowdefs[kind_of(st, r)].fields; f->path; f++)
		if (strlen(f->path) == st->path.len && memcmp(f->path, st->path.data, st->path.len) == 0)
			return f;
	return &unknown;
}

/* ---- rows ---- */

static void row_start(struct reg_state *st, enum rowkind k, size_t start)
{
	struct row *r = &st->rows[k];
	r->active = 1;
	r->root = st->depth + 1;
	r->start = start;
	pk_buf_reset(&r->name);
	fail_mem(st, pk_buf_append(&r->name, key_text(st), st->key.len));
	for (size_t c = 0; c < MAX_COLS; c++) {
		r->v[c] = pk_v_null();
		pk_buf_reset(&r->txt[c]);
	}
	pk_buf_reset(&r->extra);
	r->fail = name_problem(key_text(st), st->key.len);
	r->fail_at = start;
	r->qualifies = r->has_bound = 0;
}

/* The path of a row for messages: profiles.NAME, comparison_matrix.tiers.NAME ... */
static void row_path(struct reg_state *st, struct pk_buf *b, const struct row *r)
{
	switch (kind_of(st, r)) {
	case ROW_PROFILE: pk_buf_puts(b, "profiles."); break;
	case ROW_TARGET:
		pk_buf_puts(b, "profiles.");
		put_name(b, st->rows[ROW_PROFILE].name.data, st->rows[ROW_PROFILE].name.len);
		pk_buf_puts(b, ".performance_targets.");
		break;
	case ROW_TIER: pk_buf_puts(b, "comparison_matrix.tiers."); break;
	default: break;
	}
	put_name(b, r->name.data ? r->name.data : "", r->name.len);
}

static int row_end(struct reg_state *st, struct row *r)
{
	enum rowkind k = kind_of(st, r);
	r->active = 0;
	size_t end = st->at;
	if (k == ROW_DETECTED && !r->qualifies)
		return 1;       /* another top-level object: kept in registry_version only */
	if (k == ROW_TARGET && st->rows[ROW_PROFILE].fail)
		return 1;       /* the profile's reject holds it */
	if (r->fail) {
		pk_buf_reset(&st->msg);
		row_path(st, &st->msg, r);
		pk_buf_puts(&st->msg, ": ");
		pk_buf_puts(&st->msg, r->fail);
		int64_t line, col;
		line_col(st, r->fail_at, &line, &col);
		if (r->fail_at != r->start)
			pk_buf_printf(&st->msg, " (at %lld:%lld)", (long long)line, (long long)col);
		return reject_span(st, st->msg.data ? st->msg.data : r->fail, r->start, end);
	}
	const struct pk_table *t = pk_registry_rowdefs[k].table;
	for (size_t c = 0; c < t->ncols; c++)
		if (r->v[c].kind == PK_V_TEXT)
			r->v[c] = pk_v_text(r->txt[c].data ? r->txt[c].data : "", r->txt[c].len);
	const char *name = r->name.data ? r->name.data : "";
	if (k == ROW_TARGET) {
		struct pk_buf *pn = &st->rows[ROW_PROFILE].name;
		r->v[0] = pk_v_text(pn->data ? pn->data : "", pn->len);
		r->v[1] = pk_v_text(name, r->name.len);
	} else {
		r->v[0] = pk_v_text(name, r->name.len);
	}
	if (r->extra.len) {
		if (!fail_mem(st, pk_buf_putc(&r->extra, '}')))
			return 0;
		r->v[t->ncols - 1] = pk_v_text(r->extra.data, r->extra.len);
	}
	int64_t line, col;
	line_col(st, r->start, &line, &col);
	return fail_mem(st, pk_sink_row(st->sink, t, line, r->v));
}

/* Starts `"path":` in the row's extra. */
static int extra_key(struct reg_state *st, struct row *r)
{
	enum pk_status rc = pk_buf_putc(&r->extra, r->extra.len ? ',' : '{');
	if (rc == PK_OK)
		rc = pk_json_string(&r->extra, st->path.data ? st->path.data : "", st->path.len);
	if (rc == PK_OK)
		rc = pk_buf_putc(&r->extra, ':');
	return fail_mem(st, rc);
}

/* A scalar kept in extra as JSON: a string re-escaped, the rest as written. */
static int extra_scalar(struct reg_state *st, struct row *r, enum vtype t,
                        const char *s, size_t n)
{
	if (!extra_key(st, r))
		return 0;
	return fail_mem(st, t == V_STR ? pk_json_string(&r->extra, s, n)
	                               : pk_buf_append(&r->extra, s, n));
}

static int set_text(struct reg_state *st, struct row *r, int col, const char *s, size_t n)
{
	pk_buf_reset(&r->txt[col]);
	r->v[col] = pk_v_text("", 0);
	return fail_mem(st, pk_buf_append(&r->txt[col], s, n));
}

static int wrong_shape(struct reg_state *st, enum vtype t, size_t start);

/* A scalar value of a field of row r. */
static int field_scalar(struct reg_state *st, struct row *r, enum vtype t,
                        const char *s, size_t n)
{
	const struct fdef *f = lookup(st, r);
	double d;
	int64_t us;
	const char *why;
	if (kind_of(st, r) == ROW_DETECTED && st->depth == r->root &&
	    (f->type == T_PNAME || f->type == T_CONTAINER))
		r->qualifies = 1;
	if (t == V_NULL && f->type != T_UNKNOWN && f->type != T_TARGETS && f->type != T_PNAME)
		return 1;       /* missing */
	switch (f->type) {
	case T_TEXT:
		if (t == V_STR || t == V_NUM)
			return set_text(st, r, f->col, s, n);
		break;
	case T_REAL:
	case T_REAL0:
		if (t == V_NUM && pk_parse_double(s, n, &d) == 0) {
			r->v[f->col] = f->type == T_REAL0 && d == 0 ? pk_v_null() : pk_v_real(d);
			return 1;
		}
		break;
	case T_INT:
		if (t == V_NUM && pk_parse_double(s, n, &d) == 0 && d == floor(d) &&
		    fabs(d) < 9.2e18) {
			r->v[f->col] = pk_v_int((int64_t)d);
			return 1;
		}
		break;
	case T_BOOL:
		if (t == V_BOOL) {
			r->v[f->col] = pk_v_int(s[0] == 't');
			return 1;
		}
		break;
	case T_TIME:
		if ((t == V_STR && pk_time_parse_any(s, n, &us, &why) == PK_OK) ||
		    (t == V_NUM && pk_time_parse_epoch(s, n, &us, &why) == PK_OK)) {
			r->v[f->col] = pk_v_int(us);
			return 1;
		}
		break;
	case T_BOUND:
		if (t == V_NUM && !r->has_bound && pk_parse_double(s, n, &d) == 0) {
			r->has_bound = 1;
			r->v[f->col] = pk_v_real(d);
			return set_text(st, r, 3, f->path, strlen(f->path));
		}
		break;
	case T_PNAME:
		if (t == V_STR && n == r->name.len && memcmp(s, r->name.data, n) == 0)
			return 1;       /* the row's name again */
		break;
	case T_TARGETS:
		return wrong_shape(st, t, 0);
	default:
		break;
	}
	/* unknown, of the wrong type, or out of double range: kept as written */
	return extra_scalar(st, r, t, s, n);
}

/* Ignores the container starting at `start` (document only), or rejects
 * it with st->msg when it ends. */
static int skip(struct reg_state *st, size_t start, int reject)
{
	st->skip_depth = 1;
	st->skip_start = start;
	st->skip_reject = reject;
	return 1;
}

/* A value that is not the object a row container needs: rejected with its
 * path (PREFIX.KEY, or a row's performance_targets). */
static int wrong_shape(struct reg_state *st, enum vtype t, size_t start)
{
	static const char *const prefix[] = { [R_TOP] = "", [R_PROFILES] = "profiles.",
		[R_CMATRIX] = "comparison_matrix.", [R_TIERS] = "comparison_matrix.tiers." };
	enum role ro = st->role[st->depth];
	struct row *r = current_row(st);
	pk_buf_reset(&st->msg);
	if (ro == R_ROW || ro == R_TARGETS)
		row_path(st, &st->msg, r);
	if (ro == R_ROW)
		pk_buf_puts(&st->msg, ".performance_targets");
	else if (ro == R_TARGETS)
		pk_buf_puts(&st->msg, ".performance_targets.");
	else
		pk_buf_puts(&st->msg, prefix[ro]);
	if (ro != R_ROW)
		put_name(&st->msg, key_text(st), st->key.len);
	pk_buf_printf(&st->msg, ": expected an object, got %s%s", vtype_name(t), ro == R_ROW
	              ? "; the profile is stored without targets" : "");
	if (t == V_MAP || t == V_ARRAY)
		return skip(st, start, 1);
	return reject_span(st, st->msg.data, value_start(st), st->at);
}

static int is_key(const struct reg_state *st, const char *k)
{
	return st->key.len == strlen(k) && memcmp(st->key.data, k, st->key.len) == 0;
}

/* A value starts in a map (every value outside captures is in a map): what
 * it is depends on the container and the key.  For a map or array the
 * new container's role is set here. */
static int begin_value(struct reg_state *st, enum vtype t, const char *s, size_t n)
{
	int cont = t == V_MAP || t == V_ARRAY;
	size_t start = cont ? st->at - 1 : 0;
	enum role next = R_FIELDS;
	struct row *r;
	switch (st->role[st->depth]) {
	case R_TOP:
		if (is_key(st, "profiles") || is_key(st, "comparison_matrix")) {
			if (t != V_MAP)
				return wrong_shape(st, t, start);
			next = is_key(st, "profiles") ? R_PROFILES : R_CMATRIX;
		} else if (t == V_MAP && !is_key(st, "metadata")) {
			row_start(st, ROW_DETECTED, start);
			next = R_ROW;
		} else {
			return cont ? skip(st, start, 0) : 1;   /* metadata ...: document only */
		}
		break;
	case R_PROFILES:
	case R_TARGETS:
	case R_TIERS:
		if (t != V_MAP)
			return wrong_shape(st, t, start);
		row_start(st, st->role[st->depth] == R_PROFILES ? ROW_PROFILE : st->role[st->depth]
		          == R_TIERS ? ROW_TIER : ROW_TARGET, start);
		next = R_ROW;
		break;
	case R_CMATRIX:
		if (is_key(st, "tiers")) {
			if (t != V_MAP)
				return wrong_shape(st, t, start);
			next = R_TIERS;
		} else {
			return cont ? skip(st, start, 0) : 1;   /* description: document only */
		}
		break;
	case R_ROW:
	case R_FIELDS: {
		r = current_row(st);
		if (!cont)
			return field_scalar(st, r, t, s, n);
		const struct fdef *f = lookup(st, r);
		if (kind_of(st, r) == ROW_DETECTED && st->depth == r->root &&
		    (f->type == T_PNAME || f->type == T_CONTAINER))
			r->qualifies = 1;
		if (f->type == T_TARGETS && t == V_MAP) {
			next = R_TARGETS;
		} else if (f->type == T_TARGETS) {
			return wrong_shape(st, t, start);
		} else if (f->type == T_CONTAINER && t == V_MAP) {
			next = R_FIELDS;
		} else {
			/* captured whole: a JSON column, or extra */
			int col = (f->type == T_JARRAY && t == V_ARRAY) ||
			          (f->type == T_JOBJECT && t == V_MAP) ? f->col : -1;
			if (col >= 0) {
				pk_buf_reset(&r->txt[col]);
				r->v[col] = pk_v_text("", 0);
				st->capture_dst = &r->txt[col];
			} else {
				if (!extra_key(st, r))
					return 0;
				st->capture_dst = &r->extra;
			}
			st->capture_depth = 1;
			st->capture_start = start;
			return 1;
		}
		break;
	}
	}
	/* a container read field by field */
	st->depth++;
	st->role[st->depth] = next;
	st->pathlen[st->depth] = next == R_ROW ? 0 : st->path.len;
	st->dotted[st->depth] = next == R_ROW ? 0 : st->key_dotted;
	return 1;
}

/* ---- the walk: the engine's events ---- */

/* The key of a value read outside captures (every such value is in a map). */
static int take_key(struct reg_state *st, struct pk_jdoc *d)
{
	size_t n;
	const char *s = pk_jdoc_key(d, pk_jdoc_depth(d), &n);
	if (!s)
		s = "", n = 0;
	pk_buf_reset(&st->key);
	st->path.len = st->pathlen[st->depth];
	st->key_dotted = st->dotted[st->depth] || memchr(s, '.', n) != NULL;
	return (!st->path.len || fail_mem(st, pk_buf_putc(&st->path, '.'))) &&
	       fail_mem(st, pk_buf_append(&st->path, s, n)) &&
	       fail_mem(st, pk_buf_append(&st->key, s, n));
}

static int scalar(struct reg_state *st, struct pk_jdoc *d, enum vtype t, const char *s, size_t n)
{
	if (st->capture_depth || st->skip_depth)
		return 1;
	return take_key(st, d) && begin_value(st, t, s, n) && st->rc == PK_OK;
}

/* A container starts; deep: it opens past the depth cap, and the engine
 * skips its inside (pk_jdoc_deep_skips). */
static int start_container(struct reg_state *st, struct pk_jdoc *d, enum vtype t, int deep)
{
	size_t start = st->at - 1;
	if (st->capture_depth || st->skip_depth) {
		st->capture_depth += st->capture_depth > 0;
		st->skip_depth += st->skip_depth > 0;
		if (!deep)
			return 1;
		/* deeper than the limit inside a row: the row is rejected */
		struct row *r = current_row(st);
		if (r && !r->fail) {
			r->fail = "JSON nested deeper than 64 levels";
			r->fail_at = start;
		}
		/* outside a row: the skipped container is rejected when it ends */
		if (!r && st->skip_depth && !st->skip_reject) {
			pk_buf_reset(&st->msg);
			pk_buf_puts(&st->msg, "JSON nested deeper than 64 levels");
			st->skip_reject = 1;
		}
		return 1;
	}
	if (st->depth == 0) {           /* the document (checked to be an object) */
		st->depth = 1;
		st->role[1] = R_TOP;
		st->pathlen[1] = 0;
		st->dotted[1] = 0;
		return 1;
	}
	if (!take_key(st, d))
		return 0;
	if (deep) {                     /* outside a row: the container is rejected */
		pk_buf_reset(&st->msg);
		pk_buf_puts(&st->msg, "JSON nested deeper than 64 levels");
		return skip(st, start, 1);
	}
	return begin_value(st, t, NULL, 0) && st->rc == PK_OK;
}

static int end_container(struct reg_state *st)
{
	size_t end = st->at;
	if (st->capture_depth) {
		if (--st->capture_depth == 0)
			return fail_mem(st, pk_buf_append(st->capture_dst, st->text + st->capture_start,
			                                  end - st->capture_start));
		return 1;
	}
	if (st->skip_depth) {
		if (--st->skip_depth == 0 && st->skip_reject)
			return reject_span(st, st->msg.data, st->skip_start, end);
		return 1;
	}
	if (st->role[st->depth] == R_ROW && !row_end(st, current_row(st)))
		return 0;
	st->depth--;
	return 1;
}

static enum pk_status walk_event(void *ctx, struct pk_jdoc *d, enum pk_jev ev,
                                 const char *s, size_t n)
{
	static const enum vtype scalar_type[] = { [PK_JEV_NULL] = V_NULL, [PK_JEV_BOOL] = V_BOOL,
	                                          [PK_JEV_NUMBER] = V_NUM, [PK_JEV_STRING] = V_STR };
	struct reg_state *st = ctx;
	int64_t base;
	size_t cn, at;
	pk_jdoc_chunk(d, &base, &cn, &at);
	st->prev = st->at;
	st->at = (size_t)base + at;     /* the document is one chunk: base 0 */
	if (ev == PK_JEV_END)
		end_container(st);
	else if (ev == PK_JEV_MAP || ev == PK_JEV_ARRAY)
		start_container(st, d, ev == PK_JEV_MAP ? V_MAP : V_ARRAY, pk_jdoc_too_deep(d));
	else
		scalar(st, d, scalar_type[ev], s, n);
	return st->rc;       /* a step fails only with it set */
}

/* ---- the reader ---- */

static void reg_close(void *state)
{
	struct reg_state *st = state;
	if (!st)
		return;
	struct pk_buf *bufs[] = { &st->doc, &st->nanfix, &st->path, &st->key, &st->msg };
	for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
		pk_buf_free(bufs[i]);
	for (int k = 0; k < NROWS; k++) {
		pk_buf_free(&st->rows[k].name);
		pk_buf_free(&st->rows[k].extra);
		for (size_t c = 0; c < MAX_COLS; c++)
			pk_buf_free(&st->rows[k].txt[c]);
	}
	free(st);
}

static void *reg_open(struct pk_sink *sink)
{
	struct reg_state *st = calloc(1, sizeof *st);
	if (st)
		st->sink = sink;
	return st;
}

static enum pk_status reg_chunk(void *state, struct pk_sink *sink, const char *p, size_t n)
{
	struct reg_state *st = state;
	(void)sink;
	if (st->too_big || st->doc.len + n > DOC_MAX) {
		st->too_big = 1;
		return PK_OK;
	}
	return pk_buf_append(&st->doc, p, n);
}

/* Rejects the whole document for why, at byte off (its line is the raw). */
static enum pk_status reject_doc(struct reg_state *st, const char *why, size_t off)
{
	int64_t line, col;
	line_col(st, off, &line, &col);
	size_t a = off - (size_t)(col - 1), b = a;
	while (b < st->n && st->text[b] != '\n')
		b++;
	return pk_sink_reject(st->sink, line, col, why, st->text + a, b - a);
}

static enum pk_status store_version(struct reg_state *st, const char *doc, size_t n)
{
	char sha[17];
	snprintf(sha, sizeof sha, "%016llx", (unsigned long long)pk_fnv1a(PK_FNV_INIT, doc, n));
	struct pk_value v[4] = { pk_v_null(), pk_v_text(sha, 16), pk_v_int(pk_time_now_us()),
	                         pk_v_text(doc, n) };
	return pk_sink_row(st->sink, &pk_registry_version_table, 1, v);
}

/* The offset of line line (1-based) of the text, col bytes in. */
static size_t line_offset(const struct reg_state *st, int64_t line, int64_t col)
{
	size_t off = 0;
	for (int64_t l = 1; l < line && off < st->n; l++) {
		const char *nl = memchr(st->text + off, '\n', st->n - off);
		off = nl ? (size_t)(nl - st->text) + 1 : st->n;
	}
	off += col > 0 ? (size_t)(col - 1) : 0;
	return off < st->n ? off : st->n;
}

/* The engine's events while checking: none below the root. */
static enum pk_status check_event(void *ctx, struct pk_jdoc *d, enum pk_jev ev,
                                  const char *s, size_t n)
{
	(void)ctx;
	(void)s;
	(void)n;
	if (ev != PK_JEV_END && pk_jdoc_depth(d) == 0)
		pk_jdoc_skip(d);
	return PK_OK;
}

/* Checks that raw[0..n) (the file, BOM and all) is one JSON text, NaN
 * tokens read as null: *valid 1, or 0 after rejecting the document at the
 * fault (yajl's reason; one at the end of the text is "cut short"). */
static enum pk_status check(struct reg_state *st, const char *raw, size_t n, int *valid)
{
	struct pk_jdoc *d = pk_jdoc_new(check_event, st);
	if (!d)
		return PK_ERR_NOMEM;
	pk_jdoc_deep_skips(d);
	/* fed whole: a fault is where yajl stops in the whole text (fed in
	 * pieces, a token cut by a piece's end can move it a few bytes) */
	enum pk_status rc = pk_jdoc_feed(d, raw, n);
	if (rc == PK_OK)
		rc = pk_jdoc_end(d);
	const char *why, *line_text;
	size_t ln;
	int64_t line, col;
	*valid = rc == PK_OK && !pk_jdoc_error(d, &why, &line, &col, &line_text, &ln);
	if (rc == PK_OK && !*valid) {
		size_t off = st->n;
		pk_buf_reset(&st->msg);
		if (pk_jdoc_at_end(d)) {
			pk_buf_puts(&st->msg, pk_jdoc_truncated(d) ? "invalid JSON: premature EOF" : why);
			pk_buf_puts(&st->msg, " (the document is cut short)");
		} else {
			pk_buf_puts(&st->msg, why);
			off = line_offset(st, line, col);
		}
		if (strstr(why, "UTF8"))        /* yajl stops after the string, even at the end */
			off = pk_utf8_valid_prefix(st->text, st->n, 0);
		rc = reject_doc(st, st->msg.data ? st->msg.data : why, off);
	}
	pk_jdoc_free(&d);
	return rc;
}

/* Walks the checked text (st->text: no BOM, NaN tokens null) into rows. */
static enum pk_status walk(struct reg_state *st)
{
	struct pk_jdoc *d = pk_jdoc_new(walk_event, st);
	if (!d)
		return PK_ERR_NOMEM;
	pk_jdoc_deep_skips(d);
	enum pk_status rc = pk_jdoc_feed(d, st->text, st->n);
	if (rc == PK_OK)
		rc = pk_jdoc_end(d);
	const char *why, *line_text;
	size_t ln;
	int64_t line, col;
	/* the engine's own limits (a path over 1 MiB) stop the walk there */
	if (rc == PK_OK && pk_jdoc_error(d, &why, &line, &col, &line_text, &ln))
		rc = reject_doc(st, why, line_offset(st, line, col));
	pk_jdoc_free(&d);
	return rc;
}

static enum pk_status reg_finish(void *state, struct pk_sink *sink)
{
	struct reg_state *st = state;
	const char *doc = st->doc.data ? st->doc.data : "";
	size_t n = st->doc.len;
	if (n >= 3 && memcmp(doc, "\xef\xbb\xbf", 3) == 0) {
		doc += 3;
		n -= 3;
	}
	st->text = doc;
	st->n = n;
	st->lc_line = 1;
	if (st->too_big)
		return reject_doc(st, "registry larger than 64 MiB: not read", 0);
	size_t i = skip_ws(doc, 0, n, 0);
	if (i == n)
		return pk_sink_reject(sink, 1, 0, "empty document: no JSON object", doc, n);
	int valid;
	enum pk_status rc = check(st, st->doc.data, st->doc.len, &valid);
	if (rc != PK_OK || !valid)
		return rc;
	long fixed = pk_json_nan_to_null(doc, n, &st->nanfix);
	if (fixed < 0)
		return PK_ERR_NOMEM;
	if (fixed > 0) {
		st->text = st->nanfix.data;
		st->n = st->nanfix.len;
		st->lc_off = st->lc_start = 0;
		st->lc_line = 1;
	}
	if (st->text[i] != '{') {
		pk_buf_reset(&st->msg);
		pk_buf_printf(&st->msg, "expected a JSON object (the registry), got %s",
		              st->text[i] == '[' ? "an array" : st->text[i] == '"' ? "a string"
		              : st->text[i] == 't' || st->text[i] == 'f' ? "a boolean"
		              : st->text[i] == 'n' ? "null" : "a number");
		return reject_doc(st, st->msg.data, i);
	}
	rc = store_version(st, doc, n);
	return rc == PK_OK ? walk(st) : rc;
}

static int reg_detect(const char *base, const char *head, size_t n)
{
	if (n == 0)
		return 0;       /* an empty file is skipped as such */
	size_t bl = strlen(base);
	if (strncmp(base, "hardware_profiles", 17) == 0 && bl >= 22 &&
	    strcmp(base + bl - 5, ".json") == 0)
		return 1;
	size_t i = skip_ws(head, 0, n, 0);
	if (i == n || head[i] != '{')
		return 0;
	return memmem(head, n, "\"comparison_matrix\"", 19) ||
	       (memmem(head, n, "\"profiles\"", 10) && memmem(head, n, "\"performance_targets\"", 21));
}

const struct pk_reader pk_reader_registry_json = {
	.name = "registry_json",
	.description = "F2 hardware profile registry, one JSON document (hardware_profiles.json)",
	.detect = reg_detect,
	.open = reg_open,
	.close = reg_close,
	.chunk = reg_chunk,
	.finish = reg_finish,
};
