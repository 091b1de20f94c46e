/* write_sources.c - text, JSON and CSV output of perfanalyze --list
 * (write_sources.h).  The hardware profiles are written by pk_write_profiles
 * in text and CSV (so that part reads as before); every other kind is a
 * table described by its struct pk_source_kind. */
#include "write_sources.h"

#include <stdio.h>
#include <string.h>

#include "../core/csv_write.h"
#include "../core/diag.h"
#include "../core/json_write.h"
#include "../core/timeutil.h"
#include "../core/utf8.h"

/* Text from the database as valid UTF-8: as stored, or (when a row was
 * written by other means with invalid bytes) with those bytes as \xNN. */
static enum pk_status valid_text(const char *s, size_t n, struct pk_buf *scratch,
                                 const char **p, size_t *len)
{
	*p = s;
	*len = n;
	if (pk_utf8_valid(s, n))
		return PK_OK;
	pk_buf_reset(scratch);
	enum pk_status rc = pk_buf_put_printable(scratch, s, n);
	*p = scratch->data ? scratch->data : "";
	*len = scratch->len;
	return rc;
}

static enum pk_status json_text(struct pk_buf *b, const char *s, size_t n)
{
	struct pk_buf scratch = PK_BUF_INIT;
	const char *p;
	size_t len;
	enum pk_status rc = valid_text(s, n, &scratch, &p, &len);
	if (rc == PK_OK)
		rc = pk_json_string(b, p, len);
	pk_buf_free(&scratch);
	return rc;
}


/* One value in format f: null / empty / "-" when missing. */
static enum pk_status put_value(struct pk_buf *b, enum pk_format f,
                                enum pk_source_ftype type, const struct pk_source_value *v)
{
	char iso[PK_TIME_ISO_MAX];
	if (!v->present)
		return f == PK_FMT_JSON ? pk_buf_puts(b, "null") : f == PK_FMT_TEXT
		       ? pk_buf_putc(b, '-') : PK_OK;
	switch (type) {
	case PK_SF_INT:
		return pk_buf_printf(b, "%lld", (long long)v->i);
	case PK_SF_BOOL:
		return pk_buf_puts(b, f == PK_FMT_TEXT ? (v->i ? "yes" : "no") : v->i ? "true" : "false");
	case PK_SF_TIME:
		pk_time_format_iso(v->i, iso);
		return f == PK_FMT_JSON ? pk_json_string(b, iso, strlen(iso)) : pk_buf_puts(b, iso);
	case PK_SF_TEXT:
		break;
	}
	return f == PK_FMT_JSON ? json_text(b, v->s, v->n) : f == PK_FMT_CSV
	       ? pk_csv_field(b, v->s, v->n) : pk_buf_put_printable(b, v->s, v->n);
}

static int same(const struct pk_source_value *v, const char *s)
{
	return v->present && v->n == strlen(s) && memcmp(v->s, s, v->n) == 0;
}

/* JSON: ,"aliases":[...] with the aliases naming profile. */
static enum pk_status json_aliases(struct pk_buf *b, const struct pk_sources *s,
                                   const char *profile)
{
	enum pk_status rc = pk_buf_puts(b, ",\"aliases\":[");
	int first = 1;
	for (size_t r = 0; r < s->t[PK_SRC_ALIASES].nrows && rc == PK_OK; r++) {
		if (!same(pk_source_at(s, PK_SRC_ALIASES, r, 1), profile))
			continue;
		const struct pk_source_value *a = pk_source_at(s, PK_SRC_ALIASES, r, 0);
		if (!first)
			rc = pk_buf_putc(b, ',');
		if (rc == PK_OK)
			rc = json_text(b, a->s, a->n);
		first = 0;
	}
	return rc == PK_OK ? pk_buf_putc(b, ']') : rc;
}

/* JSON: the hardware profiles as an array; with_aliases adds each
 * profile's aliases (hardware_profiles) or not (the older "profiles"). */
static enum pk_status json_hw(struct pk_buf *b, const struct pk_sources *s, int with_aliases)
{
	char a[PK_TIME_ISO_MAX], z[PK_TIME_ISO_MAX];
	enum pk_status rc = pk_buf_putc(b, '[');
	for (size_t i = 0; i < s->nhw && rc == PK_OK; i++) {
		const struct pk_profile_info *p = &s->hw[i];
		pk_time_format_iso(p->first_us, a);
		pk_time_format_iso(p->last_us, z);
		rc = pk_buf_puts(b, i ? ",{\"profile\":" : "{\"profile\":");
		if (rc == PK_OK) rc = json_text(b, p->name, strlen(p->name));
		if (rc == PK_OK)
			rc = pk_buf_printf(b, ",\"samples\":%lld,\"first\":\"%s\",\"last\":\"%s\"",
			                   (long long)p->samples, a, z);
		if (rc == PK_OK && with_aliases) rc = json_aliases(b, s, p->name);
		if (rc == PK_OK) rc = pk_buf_putc(b, '}');
	}
	return rc == PK_OK ? pk_buf_putc(b, ']') : rc;
}

/* JSON: one row of kind k as an object. */
static enum pk_status json_row(struct pk_buf *b, const struct pk_sources *s,
                               enum pk_source_kind_id k, size_t r)
{
	const struct pk_source_kind *kind = &pk_source_kinds[k];
	enum pk_status rc = pk_buf_putc(b, '{');
	for (size_t f = 0; f < kind->nfields && rc == PK_OK; f++) {
		rc = pk_buf_printf(b, "%s\"%s\":", f ? "," : "", kind->fields[f].name);
		if (rc == PK_OK)
			rc = put_value(b, PK_FMT_JSON, kind->fields[f].type, pk_source_at(s, k, r, f));
	}
	if (rc == PK_OK && k == PK_SRC_REGISTRY) {
		const struct pk_source_value *name = pk_source_at(s, k, r, 0);
		rc = json_aliases(b, s, name->present ? name->s : "");
	}
	return rc == PK_OK ? pk_buf_putc(b, '}') : rc;
}

static enum pk_status json_rows(struct pk_buf *b, const struct pk_sources *s,
                                enum pk_source_kind_id k)
{
	enum pk_status rc = pk_buf_putc(b, '[');
	for (size_t r = 0; r < s->t[k].nrows && rc == PK_OK; r++) {
		if (r)
			rc = pk_buf_putc(b, ',');
		if (rc == PK_OK)
			rc = json_row(b, s, k, r);
	}
	return rc == PK_OK ? pk_buf_putc(b, ']') : rc;
}

/* The agent runs in all: count, first and last over every model. */
static void agent_totals(const struct pk_sources *s, int64_t *runs,
                         struct pk_source_value *first, struct pk_source_value *last)
{
	*runs = 0;
	*first = *last = (struct pk_source_value){ 0 };
	for (size_t r = 0; r < s->t[PK_SRC_AGENT_MODELS].nrows; r++) {
		const struct pk_source_value *n = pk_source_at(s, PK_SRC_AGENT_MODELS, r, 1);
		const struct pk_source_value *a = pk_source_at(s, PK_SRC_AGENT_MODELS, r, 2);
		const struct pk_source_value *z = pk_source_at(s, PK_SRC_AGENT_MODELS, r, 3);
		*runs += n->present ? n->i : 0;
		if (a->present && (!first->present || a->i < first->i))
			*first = *a;
		if (z->present && (!last->present || z->i > last->i))
			*last = *z;
	}
}

static enum pk_status write_json(struct pk_buf *b, const struct pk_sources *s)
{
	enum pk_status rc = pk_buf_printf(b, "{\"schema\":%d,\"profiles\":", PK_JSON_SCHEMA);
	if (rc == PK_OK) rc = json_hw(b, s, 0);
	if (rc == PK_OK) rc = pk_buf_puts(b, ",\"hardware_profiles\":");
	if (rc == PK_OK) rc = json_hw(b, s, 1);
	for (int k = 0; k < PK_SRC_NKINDS && rc == PK_OK; k++) {
		rc = pk_buf_printf(b, ",\"%s\":", pk_source_kinds[k].key);
		if (rc != PK_OK || k != PK_SRC_AGENT_MODELS) {
			if (rc == PK_OK)
				rc = json_rows(b, s, (enum pk_source_kind_id)k);
			continue;
		}
		int64_t runs;
		struct pk_source_value first, last;
		agent_totals(s, &runs, &first, &last);
		rc = pk_buf_printf(b, "{\"runs\":%lld,\"first\":", (long long)runs);
		if (rc == PK_OK) rc = put_value(b, PK_FMT_JSON, PK_SF_TIME, &first);
		if (rc == PK_OK) rc = pk_buf_puts(b, ",\"last\":");
		if (rc == PK_OK) rc = put_value(b, PK_FMT_JSON, PK_SF_TIME, &last);
		if (rc == PK_OK) rc = pk_buf_puts(b, ",\"by_model\":");
		if (rc == PK_OK) rc = json_rows(b, s, PK_SRC_AGENT_MODELS);
		if (rc == PK_OK) rc = pk_buf_putc(b, '}');
	}
	return rc == PK_OK ? pk_buf_puts(b, "}\n") : rc;
}

static enum pk_status write_csv(struct pk_buf *b, const struct pk_sources *s)
{
	enum pk_status rc = pk_write_profiles(b, PK_FMT_CSV, s->hw, s->nhw);
	for (int k = 0; k < PK_SRC_NKINDS && rc == PK_OK; k++) {
		const struct pk_source_kind *kind = &pk_source_kinds[k];
		if (!s->t[k].nrows)
			continue;
		rc = pk_buf_puts(b, "\nkind");
		for (size_t f = 0; f < kind->nfields && rc == PK_OK; f++)
			rc = pk_buf_printf(b, ",%s", kind->fields[f].name);
		if (rc == PK_OK) rc = pk_buf_putc(b, '\n');
		for (size_t r = 0; r < s->t[k].nrows && rc == PK_OK; r++) {
			rc = pk_buf_puts(b, kind->key);
			for (size_t f = 0; f < kind->nfields && rc == PK_OK; f++) {
				rc = pk_buf_putc(b, ',');
				if (rc == PK_OK)
					rc = put_value(b, PK_FMT_CSV, kind->fields[f].type,
					               pk_source_at(s, (enum pk_source_kind_id)k, r, f));
			}
			if (rc == PK_OK) rc = pk_buf_putc(b, '\n');
		}
	}
	return rc;
}

/* Characters of UTF-8 text (continuation bytes not counted). */
static size_t columns(const char *p, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)p[i] & 0xc0) != 0x80;
	return c;
}

/* Text: kind k as an aligned table, numbers right-aligned, the last
 * column unpadded. */
static enum pk_status text_table(struct pk_buf *b, const struct pk_sources *s,
                                 enum pk_source_kind_id k)
{
	const struct pk_source_kind *kind = &pk_source_kinds[k];
	size_t width[PK_SOURCE_MAX_FIELDS];
	struct pk_buf cell = PK_BUF_INIT;
	enum pk_status rc = PK_OK;
	for (size_t f = 0; f < kind->nfields; f++)
		width[f] = strlen(kind->fields[f].name);
	for (size_t r = 0; r < s->t[k].nrows && rc == PK_OK; r++)
		for (size_t f = 0; f < kind->nfields && rc == PK_OK; f++) {
			pk_buf_reset(&cell);
			rc = put_value(&cell, PK_FMT_TEXT, kind->fields[f].type, pk_source_at(s, k, r, f));
			size_t w = columns(cell.data ? cell.data : "", cell.len);
			if (w > width[f])
				width[f] = w;
		}
	for (size_t r = 0; r <= s->t[k].nrows && rc == PK_OK; r++) {
		for (size_t f = 0; f < kind->nfields && rc == PK_OK; f++) {
			pk_buf_reset(&cell);
			rc = r == 0 ? pk_buf_puts(&cell, kind->fields[f].name)
			            : put_value(&cell, PK_FMT_TEXT, kind->fields[f].type,
			                        pk_source_at(s, k, r - 1, f));
			const char *p = cell.data ? cell.data : "";
			size_t pad = width[f] - columns(p, cell.len);
			int right = kind->fields[f].type == PK_SF_INT;
			int last = f + 1 == kind->nfields;
			if (rc == PK_OK && f) rc = pk_buf_puts(b, "  ");
			if (rc == PK_OK && right) rc = pk_buf_printf(b, "%*s", (int)pad, "");
			if (rc == PK_OK) rc = pk_buf_append(b, p, cell.len);
			if (rc == PK_OK && !right && !last) rc = pk_buf_printf(b, "%*s", (int)pad, "");
		}
		if (rc == PK_OK) rc = pk_buf_putc(b, '\n');
	}
	pk_buf_free(&cell);
	return rc;
}

static enum pk_status write_text(struct pk_buf *b, const struct pk_sources *s)
{
	enum pk_status rc = PK_OK;
	int any = 0;
	if (s->nhw) {
		rc = pk_buf_puts(b, "hardware profiles\n");
		if (rc == PK_OK) rc = pk_write_profiles(b, PK_FMT_TEXT, s->hw, s->nhw);
		any = 1;
	}
	for (int k = 0; k < PK_SRC_NKINDS && rc == PK_OK; k++) {
		if (!s->t[k].nrows)
			continue;
		if (any) rc = pk_buf_putc(b, '\n');
		any = 1;
		if (rc == PK_OK && k == PK_SRC_AGENT_MODELS) {
			int64_t runs;
			struct pk_source_value first, last;
			agent_totals(s, &runs, &first, &last);
			rc = pk_buf_printf(b, "agent runs: %lld, ", (long long)runs);
			if (rc == PK_OK) rc = put_value(b, PK_FMT_TEXT, PK_SF_TIME, &first);
			if (rc == PK_OK) rc = pk_buf_puts(b, " .. ");
			if (rc == PK_OK) rc = put_value(b, PK_FMT_TEXT, PK_SF_TIME, &last);
			if (rc == PK_OK) rc = pk_buf_putc(b, '\n');
		}
		if (rc == PK_OK) rc = pk_buf_printf(b, "%s\n", pk_source_kinds[k].title);
		if (rc == PK_OK) rc = text_table(b, s, (enum pk_source_kind_id)k);
	}
	if (rc == PK_OK && !any)
		rc = pk_buf_puts(b, "no data: the database holds no sources yet (load logs with perfingest)\n");
	return rc;
}

enum pk_status pk_write_sources(struct pk_buf *out, enum pk_format f,
                                const struct pk_sources *s)
{
	switch (f) {
	case PK_FMT_JSON: return write_json(out, s);
	case PK_FMT_CSV: return write_csv(out, s);
	case PK_FMT_TEXT: break;
	}
	return write_text(out, s);
}
