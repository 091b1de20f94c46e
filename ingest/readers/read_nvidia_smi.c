/* read_nvidia_smi.c - format F9, nvidia-smi query logs written by
 * `nvidia-smi --query-gpu=... --format=csv -l N` (table gpu_sample).
 *
 * Columns are found by header name ("memory.used [MiB]"); without a header
 * (--format=csv,noheader) the fields follow the documented query order
 * timestamp, index, name, utilization.gpu, utilization.memory, memory.used,
 * memory.total, temperature.gpu, power.draw, clocks.sm.  A header repeated
 * mid-file (command restarted into the same file) is recognised and replaces
 * the column map.  Units are stripped from values ("45 %", "31.20 W");
 * "[N/A]" and "[Not Supported]" are missing (NULL); any other bracketed
 * value or a bad number is NULL with the text kept in extra.  Unknown query
 * fields go to extra as name -> value text.  Timestamps are local time in
 * --tz ZONE (default UTC), converted with engines/tz.c.  The profile is taken
 * from the file name: nvidia_smi_<profile>.csv or nvsmi_<profile>.log, else
 * the base name without its extension.  Lines are split into fields by the
 * CSV engine (engines/csv_records.c: blanks around fields trimmed, quoted
 * fields unquoted, a record never spans lines). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../core/buf.h"
#include "../../core/json_write.h"
#include "../../core/number.h"
#include "../../core/table.h"
#include "../../core/timeutil.h"
#include "../../core/utf8.h"
#include "../pipeline/ingest.h"
#include "../pipeline/reader.h"
#include "../pipeline/sink.h"
#include "../engines/csv_records.h"
#include "../engines/tz.h"

#define PROFILE_MAX 256

enum kind { K_TS, K_INDEX, K_BUS, K_NAME, K_REAL, K_EXTRA };

static const struct pk_column gpu_cols[] = {
	{ "profile", PK_COL_TEXT }, { "ts_us", PK_COL_TIME }, { "gpu_index", PK_COL_INT },
	{ "name", PK_COL_TEXT }, { "utilization_gpu_percent", PK_COL_REAL },
	{ "utilization_memory_percent", PK_COL_REAL }, { "memory_used_mib", PK_COL_REAL },
	{ "memory_total_mib", PK_COL_REAL }, { "temperature_gpu_c", PK_COL_REAL },
	{ "power_draw_w", PK_COL_REAL }, { "clocks_sm_mhz", PK_COL_REAL },
	{ "extra", PK_COL_JSON },
};
#define NCOLS (sizeof gpu_cols / sizeof gpu_cols[0])
#define COL_EXTRA (NCOLS - 1)

static const struct pk_table gpu_table = { "gpu_sample", gpu_cols, NCOLS, 0 };

struct known {
	const char *name;
	enum kind kind;
	int tcol;            /* column of gpu_table */
	const char *unit;    /* unit nvidia-smi writes after the value */
};

/* The first ten are the documented query order (no header). */
static const struct known known[] = {
	{ "timestamp", K_TS, 1, NULL },
	{ "index", K_INDEX, 2, NULL },
	{ "name", K_NAME, 3, NULL },
	{ "utilization.gpu", K_REAL, 4, "%" },
	{ "utilization.memory", K_REAL, 5, "%" },
	{ "memory.used", K_REAL, 6, "MiB" },
	{ "memory.total", K_REAL, 7, "MiB" },
	{ "temperature.gpu", K_REAL, 8, "C" },
	{ "power.draw", K_REAL, 9, "W" },
	{ "clocks.sm", K_REAL, 10, "MHz" },
	{ "gpu_name", K_NAME, 3, NULL },
	{ "clocks.current.sm", K_REAL, 10, "MHz" },
	{ "pci.bus_id", K_BUS, 0, NULL },   /* kept in extra too */
};
#define NDEFAULT 10
#define NKNOWN (sizeof known / sizeof known[0])

struct col {
	enum kind kind;
	int tcol;
	char *name;          /* header name without the unit */
	char unit[16];       /* unit named in the header, or the known one */
};

struct span {
	const char *p;
	size_t n;
	int quoted;
};

struct nv_state {
	void *csv;               /* the CSV engine */
	struct col *cols;
	size_t ncols;
	int64_t header_line;     /* 0: no header seen (documented order) */
	const char *header_problem;
	struct span *f;          /* the record's fields (during nv_record) */
	size_t fcap;
	struct pk_buf extra, msg;
	struct pk_tz *tz;
	const char *tz_why;      /* --tz could not be opened */
	int tz_reported;
	char *profile;
	const char *profile_why;
	char last_ts[48];        /* last timestamp text and its value */
	size_t last_ts_n;
	int64_t last_ts_us;
	int64_t same_ts_rows;    /* rows so far with that timestamp */
	char **bus;              /* pci.bus_id values in order of first appearance */
	size_t nbus;
};

static void free_cols(struct nv_state *st)
{
	for (size_t i = 0; i < st->ncols; i++)
		free(st->cols[i].name);
	free(st->cols);
	st->cols = NULL;
	st->ncols = 0;
}

static void nv_close(void *state)
{
	struct nv_state *st = state;
	if (!st)
		return;
	pk_csv_records_close(st->csv);
	free_cols(st);
	free(st->f);
	pk_buf_free(&st->extra);
	pk_buf_free(&st->msg);
	pk_tz_free(&st->tz);
	free(st->profile);
	for (size_t i = 0; i < st->nbus; i++)
		free(st->bus[i]);
	free(st->bus);
	free(st);
}

static const struct known *find_known(const char *p, size_t n)
{
	for (size_t i = 0; i < NKNOWN; i++)
		if (strlen(known[i].name) == n && strncasecmp(known[i].name, p, n) == 0)
			return &known[i];
	return NULL;
}

/* Fills the column map from names (and units, may be empty); -1 no memory. */
static int set_cols(struct nv_state *st, const struct span *names, const struct span *units,
                    size_t n)
{
	free_cols(st);
	st->cols = calloc(n ? n : 1, sizeof *st->cols);
	if (!st->cols)
		return -1;
	st->ncols = n;
	int seen[NCOLS] = { 0 };
	for (size_t i = 0; i < n; i++) {
		struct col *c = &st->cols[i];
		const struct known *k = find_known(names[i].p, names[i].n);
		if (!(c->name = strndup(names[i].p, names[i].n)))
			return -1;
		for (char *q = c->name; *q; q++)   /* "Memory.Used": one key */
			*q = (char)tolower((unsigned char)*q);
		c->kind = K_EXTRA;
		if (k && !seen[k->tcol]) {
			seen[k->tcol] = 1;
			c->kind = k->kind;
			c->tcol = k->tcol;
			if (k->unit)
				snprintf(c->unit, sizeof c->unit, "%s", k->unit);
		}
		if (units && units[i].n && units[i].n < sizeof c->unit) {
			memcpy(c->unit, units[i].p, units[i].n);
			c->unit[units[i].n] = '\0';
		}
	}
	st->header_problem = seen[1] ? NULL : "the header has no timestamp column";
	return 0;
}

/* The profile a file name names (see the top of this file). */
static void profile_from_display(struct nv_state *st, const char *display)
{
	const char *base = display ? display : "";
	for (const char *p = base; *p; p++)
		if (*p == '/' || *p == ':')
			base = p + 1;
	size_t n = strlen(base);
	const char *p = base;
	if (n > 15 && strncmp(base, "nvidia_smi_", 11) == 0 && strcmp(base + n - 4, ".csv") == 0) {
		p += 11;
		n -= 15;
	} else if (n > 10 && strncmp(base, "nvsmi_", 6) == 0 && strcmp(base + n - 4, ".log") == 0) {
		p += 6;
		n -= 10;
	} else {
		const char *dot = strrchr(base, '.');
		if (dot && dot > base)
			n = (size_t)(dot - base);
	}
	st->profile_why = NULL;
	if (n == 0)
		st->profile_why = "the file name gives no profile";
	else if (n > PROFILE_MAX)
		st->profile_why = "the profile named by the file name is longer than 256 bytes";
	else if (!pk_utf8_valid(p, n))
		st->profile_why = "the file name is not valid UTF-8, so it names no profile";
	if (!st->profile_why && pk_utf8_has_control(p, n))
		st->profile_why = "the file name contains control characters";
	st->profile = strndup(p, n);
}

static int header_field(const struct span *f, struct span *name, struct span *unit);

/* The record's fields as spans in st->f; -1 without memory. */
static int take_fields(struct nv_state *st, const struct pk_csv_record *r)
{
	if (r->n > st->fcap) {
		struct span *f = realloc(st->f, r->n * sizeof *f);
		if (!f)
			return -1;
		st->f = f;
		st->fcap = r->n;
	}
	for (size_t i = 0; i < r->n; i++) {
		st->f[i].p = pk_csv_rec_field(r, i, &st->f[i].n);
		st->f[i].quoted = r->f[i].quoted;
	}
	return 0;
}

/* --columns, read as one CSV record */
struct spec {
	struct nv_state *st;
	const char *why;     /* NULL, a reason, or "" without memory */
};

static enum pk_status spec_record(void *ctx, struct pk_sink *sink, const struct pk_csv_record *r)
{
	struct spec *sp = ctx;
	struct nv_state *st = sp->st;
	(void)sink;
	if (take_fields(st, r)) {
		sp->why = "";
		return PK_OK;
	}
	struct span *names = malloc(2 * (r->n ? r->n : 1) * sizeof *names);
	if (!names) {
		sp->why = "";
		return PK_OK;
	}
	struct span *units = names + r->n;
	sp->why = NULL;
	for (size_t i = 0; i < r->n && !sp->why; i++)
		if (!header_field(&st->f[i], &names[i], &units[i]))
			sp->why = "expected query field names separated by commas "
			          "(timestamp, index, name, ...)";
	if (!sp->why && set_cols(st, names, units, r->n))
		sp->why = "";
	else if (!sp->why && st->header_problem)
		sp->why = "names no timestamp column";
	free(names);
	return PK_OK;
}

static enum pk_status spec_fault(void *ctx, struct pk_sink *sink, const struct pk_csv_fault *f)
{
	(void)sink;
	(void)f;
	((struct spec *)ctx)->why = "unbalanced quote";
	return PK_OK;
}

static const struct pk_csv_dialect spec_dialect = {
	.trim = 1, .one_line = 1, .record = spec_record, .fault = spec_fault
};

/* The column map of headerless lines from --columns "timestamp, index, ..."
 * (names as in a header, units optional).  Returns why the list is unusable,
 * "" without memory, or NULL. */
static const char *columns_from_spec(struct nv_state *st, const char *spec)
{
	struct spec sp = { st, "expected query field names separated by commas "
	                       "(timestamp, index, name, ...)" };
	void *csv = pk_csv_records_open(&spec_dialect, &sp);
	if (!csv)
		return "";
	if (pk_csv_records_line(csv, NULL, spec, strlen(spec), 1) != PK_OK)
		sp.why = "";
	pk_csv_records_close(csv);
	return sp.why;
}

const char *pk_nvsmi_columns_problem(const char *spec)
{
	struct nv_state st = { 0 };
	const char *why = columns_from_spec(&st, spec);
	free_cols(&st);
	free(st.f);
	return why && !*why ? "out of memory" : why;
}

static const struct pk_csv_dialect nv_dialect;

static void *nv_open(struct pk_sink *sink)
{
	struct nv_state *st = calloc(1, sizeof *st);
	if (!st)
		return NULL;
	if (!(st->csv = pk_csv_records_open(&nv_dialect, st))) {
		free(st);
		return NULL;
	}
	profile_from_display(st, sink->display);
	struct span names[NDEFAULT];
	for (size_t i = 0; i < NDEFAULT; i++)
		names[i] = (struct span){ known[i].name, strlen(known[i].name), 0 };
	const char *spec = sink->opts ? sink->opts->tz : NULL;
	const char *why = NULL;
	enum pk_status rc = pk_tz_open(spec, &st->tz, &why);
	if (rc != PK_OK)
		st->tz_why = why;
	const char *columns = sink->opts ? sink->opts->columns : NULL;
	if (!st->profile || rc == PK_ERR_NOMEM ||
	    (columns ? columns_from_spec(st, columns) != NULL
	             : set_cols(st, names, NULL, NDEFAULT) != 0)) {
		nv_close(st);   /* --columns was checked by the tool: no memory */
		return NULL;
	}
	return st;
}

static int is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_name_char(char c)
{
	return is_letter(c) || (c >= '0' && c <= '9') || c == '.' || c == '_';
}

/* A header field: a query name, optionally " [unit]".  name/unit spans. */
static int header_field(const struct span *f, struct span *name, struct span *unit)
{
	size_t n = f->n, k = 0;
	if (f->quoted || n == 0 || !is_letter(f->p[0]))
		return 0;
	while (k < n && is_name_char(f->p[k]))
		k++;
	*name = (struct span){ f->p, k, 0 };
	*unit = (struct span){ NULL, 0, 0 };
	if (k == n)
		return 1;
	if (n - k < 4 || f->p[k] != ' ' || f->p[k + 1] != '[' || f->p[n - 1] != ']')
		return 0;
	*unit = (struct span){ f->p + k + 2, n - k - 3, 0 };
	return memchr(unit->p, ']', unit->n) == NULL && memchr(unit->p, '[', unit->n) == NULL;
}

/* 1 when the nf fields are a header naming at least one known field. */
static int is_header(const struct span *f, size_t nf)
{
	int any = 0;
	struct span name, unit;
	for (size_t i = 0; i < nf; i++) {
		if (!header_field(&f[i], &name, &unit))
			return 0;
		any |= find_known(name.p, name.n) != NULL;
	}
	return any;
}

static enum pk_status take_header(struct nv_state *st, size_t nf, int64_t lineno)
{
	struct span *names = malloc(2 * nf * sizeof *names);
	if (!names)
		return PK_ERR_NOMEM;
	struct span *units = names + nf;
	for (size_t i = 0; i < nf; i++)
		header_field(&st->f[i], &names[i], &units[i]);
	int r = set_cols(st, names, units, nf);
	free(names);
	st->header_line = lineno;
	st->last_ts_n = 0;
	return r ? PK_ERR_NOMEM : PK_OK;
}

/* "YYYY/MM/DD HH:MM:SS[.fff]" local time -> UTC microseconds. */
static const char *parse_ts(struct nv_state *st, const struct span *f, int64_t *us)
{
	if (f->n == st->last_ts_n && st->last_ts_n && memcmp(f->p, st->last_ts, f->n) == 0) {
		*us = st->last_ts_us;
		return NULL;
	}
	char t[48];
	if (f->n < 19 || f->n >= sizeof t || f->p[4] != '/' || f->p[7] != '/' || f->p[10] != ' ')
		return "timestamp: expected YYYY/MM/DD HH:MM:SS.mmm";
	for (size_t i = 11; i < f->n; i++)
		if (!((f->p[i] >= '0' && f->p[i] <= '9') || f->p[i] == ':' || f->p[i] == '.'))
			return "timestamp: expected YYYY/MM/DD HH:MM:SS.mmm";
	memcpy(t, f->p, f->n);
	t[4] = t[7] = '-';
	const char *why = NULL;
	int64_t local;
	if (pk_time_parse_iso(t, f->n, &local, &why) != PK_OK)
		return why && strcmp(why, "not an ISO-8601 time") != 0
		       ? (strcmp(why, "impossible date") == 0 ? "timestamp: impossible date"
		          : "timestamp: impossible time")
		       : "timestamp: expected YYYY/MM/DD HH:MM:SS.mmm";
	*us = pk_tz_local_to_utc(st->tz, local);
	memcpy(st->last_ts, f->p, f->n);
	st->last_ts_n = f->n;
	st->last_ts_us = *us;
	st->same_ts_rows = 0;
	return NULL;
}

static int parse_index(const struct span *f, int64_t *out)
{
	if (f->n == 0 || f->n > 6)
		return 0;
	int64_t v = 0;
	for (size_t i = 0; i < f->n; i++) {
		if (f->p[i] < '0' || f->p[i] > '9')
			return 0;
		v = v * 10 + (f->p[i] - '0');
	}
	*out = v;
	return 1;
}

static int is_missing(const struct span *f)
{
	return (f->n == 5 && memcmp(f->p, "[N/A]", 5) == 0) ||
	       (f->n == 15 && memcmp(f->p, "[Not Supported]", 15) == 0);
}

/* The position of a pci.bus_id among those seen in this file (the GPU's
 * number when the log has no index column); -1 without memory. */
static int64_t bus_index(struct nv_state *st, const struct span *f)
{
	for (size_t i = 0; i < st->nbus; i++)
		if (strlen(st->bus[i]) == f->n && strncasecmp(st->bus[i], f->p, f->n) == 0)
			return (int64_t)i;
	char **b = realloc(st->bus, (st->nbus + 1) * sizeof *b);
	if (!b)
		return -1;
	st->bus = b;
	if (!(b[st->nbus] = strndup(f->p, f->n)))
		return -1;
	return (int64_t)st->nbus++;
}

static int extra_put(struct nv_state *st, const char *key, const struct span *v)
{
	struct pk_buf *b = &st->extra;
	return pk_buf_putc(b, b->len ? ',' : '{') == PK_OK &&
	       pk_json_string(b, key, strlen(key)) == PK_OK && pk_buf_putc(b, ':') == PK_OK &&
	       pk_json_string(b, v->p, v->n) == PK_OK;
}

/* A number with its unit stripped ("31.20 W"); NAN when missing.  A value
 * that is not a number is kept in extra.  0 without memory. */
static int real_value(struct nv_state *st, const struct col *c, const struct span *f,
                      double *out)
{
	*out = NAN;
	if (f->n == 0 || is_missing(f))
		return 1;
	size_t n = f->n, ul = strlen(c->unit);
	if (ul && n > ul + 1 && f->p[n - ul - 1] == ' ' && memcmp(f->p + n - ul, c->unit, ul) == 0)
		n -= ul + 1;
	if (f->p[0] != '[' && pk_parse_double(f->p, n, out) == 0)
		return 1;
	*out = NAN;
	return extra_put(st, c->name, f);
}

/* One record of the CSV engine: a header or a row. */
static enum pk_status nv_record(void *state, struct pk_sink *sink, const struct pk_csv_record *r)
{
	struct nv_state *st = state;
	const char *p = r->raw;
	size_t n = r->raw_len;
	int64_t lineno = r->lineno;
	long nf = (long)r->n;
	if (take_fields(st, r))
		return PK_ERR_NOMEM;
	if (is_header(st->f, (size_t)nf))
		return take_header(st, (size_t)nf, lineno);
	if ((size_t)nf != st->ncols) {
		pk_buf_reset(&st->msg);
		enum pk_status rc = st->header_line
		    ? pk_buf_printf(&st->msg, "%ld fields, the header on line %lld has %zu", nf,
		                    (long long)st->header_line, st->ncols)
		    : sink->opts && sink->opts->columns
		    ? pk_buf_printf(&st->msg, "%ld fields, --columns names %zu", nf, st->ncols)
		    : pk_buf_printf(&st->msg, "%ld fields; without a header the %d fields of the "
		                    "documented query order are expected (or name them with "
		                    "--columns)", nf, NDEFAULT);
		return rc != PK_OK ? rc : pk_sink_reject(sink, lineno, 0, st->msg.data, p, n);
	}
	if (st->header_problem)
		return pk_sink_reject(sink, lineno, 0, st->header_problem, p, n);
	if (st->tz_why) {
		/* the whole file fails: no time of it can be placed */
		pk_buf_reset(&st->msg);
		pk_buf_printf(&st->msg, "--tz '%s': %s", sink->opts->tz, st->tz_why);
		if (!st->tz_reported++)
			pk_sink_reject(sink, lineno, 0, st->msg.data, p, n);
		return PK_ERR_INPUT;
	}
	if (st->profile_why)
		return pk_sink_reject(sink, lineno, 0, st->profile_why, p, n);

	struct pk_value v[NCOLS];
	for (size_t i = 0; i < NCOLS; i++)
		v[i] = pk_v_null();
	v[0] = pk_v_text(st->profile, strlen(st->profile));
	pk_buf_reset(&st->extra);
	int have_index = 0, have_bus = 0;
	int64_t ts = 0, index = 0, bus = 0;
	for (size_t i = 0; i < st->ncols; i++) {
		const struct col *c = &st->cols[i];
		const struct span *f = &st->f[i];
		double d;
		switch (c->kind) {
		case K_TS: {
			const char *why = parse_ts(st, f, &ts);
			if (why)
				return pk_sink_reject(sink, lineno, pk_csv_rec_col(r, i), why, p, n);
			v[1] = pk_v_int(ts);
			break;
		}
		case K_INDEX:
			if (!parse_index(f, &index))
				return pk_sink_reject(sink, lineno, pk_csv_rec_col(r, i),
				                      "index: expected a GPU index (0, 1, ...)", p, n);
			have_index = 1;
			break;
		case K_BUS:
			if (f->n && !is_missing(f)) {
				if ((bus = bus_index(st, f)) < 0)
					return PK_ERR_NOMEM;
				have_bus = 1;
			}
			if (!extra_put(st, c->name, f))
				return PK_ERR_NOMEM;
			break;
		case K_NAME:
			if (f->n && !is_missing(f))
				v[c->tcol] = pk_v_text(f->p, f->n);
			break;
		case K_REAL:
			if (!real_value(st, c, f, &d))
				return PK_ERR_NOMEM;
			v[c->tcol] = pk_v_real(d);
			break;
		case K_EXTRA:
			if (!extra_put(st, c->name, f))
				return PK_ERR_NOMEM;
			break;
		}
	}
	/* no index column: GPUs numbered by their pci.bus_id's first appearance,
	 * else the GPUs of one time in the order written */
	v[2] = pk_v_int(have_index ? index : have_bus ? bus : st->same_ts_rows);
	st->same_ts_rows++;
	if (st->extra.len) {
		if (pk_buf_putc(&st->extra, '}') != PK_OK)
			return PK_ERR_NOMEM;
		v[COL_EXTRA] = pk_v_text(st->extra.data, st->extra.len);
	}
	return pk_sink_row(sink, &gpu_table, lineno, v);
}

static enum pk_status nv_fault(void *state, struct pk_sink *sink, const struct pk_csv_fault *f)
{
	(void)state;
	return pk_sink_reject(sink, f->lineno, f->col, "unbalanced quote", f->raw, f->raw_len);
}

static const struct pk_csv_dialect nv_dialect = {
	.trim = 1, .one_line = 1, .record = nv_record, .fault = nv_fault
};

static enum pk_status nv_line(void *state, struct pk_sink *sink, const char *p, size_t n,
                              int64_t lineno)
{
	struct nv_state *st = state;
	if (memchr(p, '\0', n))
		return pk_sink_reject(sink, lineno, 0, "line contains a NUL byte", p, n);
	size_t ok = pk_utf8_valid_prefix(p, n, 0);
	if (ok != n)
		return pk_sink_reject(sink, lineno, (int64_t)ok + 1, "invalid UTF-8", p, n);
	return pk_csv_records_line(st->csv, sink, p, n, lineno);
}

static int ends_with(const char *s, size_t n, const char *suf)
{
	size_t k = strlen(suf);
	return n > k && memcmp(s + n - k, suf, k) == 0;
}

/* A noheader data line: "YYYY/MM/DD HH:MM:SS..., <index>, ". */
static int looks_like_row(const char *h, size_t n)
{
	static const char shape[] = "dddd/dd/dd dd:dd:dd";
	if (n < 24)
		return 0;
	for (size_t i = 0; i < sizeof shape - 1; i++)
		if (shape[i] == 'd' ? (h[i] < '0' || h[i] > '9') : h[i] != shape[i])
			return 0;
	const char *c = memchr(h, ',', n);
	if (!c || c - h > 30)
		return 0;
	size_t i = (size_t)(c - h) + 1, d = 0;
	while (i < n && h[i] == ' ')
		i++;
	while (i < n && h[i] >= '0' && h[i] <= '9') {
		i++;
		d++;
	}
	return d > 0 && i < n && h[i] == ',';
}

/* 1 when the name (a header field without its unit) is one only a GPU
 * query writes: index, pci.bus_id, pstate, utilization.*, memory.*, ... */
static int gpu_field(const char *p, size_t n)
{
	static const char *const exact[] = { "index", "pci.bus_id", "pstate", "uuid",
	                                     "driver_version", "fan.speed", "serial" };
	static const char *const prefix[] = { "utilization.", "memory.", "temperature.",
	                                      "power.", "clocks.", "clocks_throttle_reasons.",
	                                      "clocks_event_reasons.", "pcie.", "enforced." };
	for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++)
		if (strlen(exact[i]) == n && strncasecmp(exact[i], p, n) == 0)
			return 1;
	for (size_t i = 0; i < sizeof prefix / sizeof prefix[0]; i++) {
		size_t k = strlen(prefix[i]);
		if (n > k && strncasecmp(prefix[i], p, k) == 0)
			return 1;
	}
	return 0;
}

/* A header as nvidia-smi writes it, fields in any order and any case
 * ("name, pstate, timestamp", "Index, Timestamp"): query names (with an
 * optional " [unit]") separated by ", ", naming timestamp and at least one
 * field only a GPU query has. */
static int looks_like_header(const char *h, size_t n)
{
	int ts = 0, gpu = 0;
	size_t i = 0;
	while (i < n) {
		const char *c = memchr(h + i, ',', n - i);
		size_t e = c ? (size_t)(c - h) : n;
		struct span f = { h + i, e - i, 0 }, name, unit;
		if (!header_field(&f, &name, &unit))
			return 0;
		ts |= name.n == 9 && strncasecmp(name.p, "timestamp", 9) == 0;
		gpu |= gpu_field(name.p, name.n);
		if (!c)
			break;
		if (e + 1 >= n || h[e + 1] != ' ')
			return 0;
		i = e + 2;
	}
	return ts && gpu;
}

static int nv_detect(const char *base, const char *head, size_t n)
{
	size_t bl = strlen(base);
	if ((strncmp(base, "nvidia_smi_", 11) == 0 && ends_with(base, bl, ".csv")) ||
	    (strncmp(base, "nvsmi_", 6) == 0 && ends_with(base, bl, ".log")))
		return 1;
	const char *nl = memchr(head, '\n', n);
	size_t first = nl ? (size_t)(nl - head) : n;
	if (first && head[first - 1] == '\r')
		first--;
	if (looks_like_row(head, first))
		return 1;
	return looks_like_header(head, first);
}

const struct pk_reader pk_reader_nvidia_smi = {
	.name = "nvidia_smi",
	.description = "F9 nvidia-smi --query-gpu CSV logs (nvidia_smi_<profile>.csv, "
	               "nvsmi_<profile>.log); local times in --tz",
	.detect = nv_detect,
	.open = nv_open,
	.line = nv_line,
	.close = nv_close,
	.replay_prefix = 1,
};
