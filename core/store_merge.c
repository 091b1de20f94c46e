/* store_merge.c - a record whose identity is stored already, compared with
 * the stored one field by field (store.h, struct pk_merge): its fields the
 * stored record lacks fill them, its differing fields are kept out, and
 * both kinds are recorded in record_merge.  Runs only on a duplicate key,
 * with one lookup by the table's primary key. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "db_internal.h"
#include "metrics.h"
#include "store.h"

#define MAX_TABLES 32
#define MAX_KEYS 16

enum field { SAME, FILLED, DIFFERS };

/* The statements of one typed table. */
struct merge_table {
	const struct pk_table *t;
	sqlite3_stmt *get;        /* the stored row by key: its columns, source_id, line */
	sqlite3_stmt *fill;       /* SET c = coalesce(c, ?) by key; NULL: every column is key */
	size_t nkeys;             /* 0: the table has no key made of its columns */
	int has_key;              /* it has a primary key (made of its columns or not) */
	size_t key[MAX_KEYS];     /* t->cols index of each key column */
	unsigned char *is_key;    /* per column */
	unsigned char *field;     /* per column: enum field of the row being merged */
	char **merged;            /* per JSON column: the object with the new keys added */
};

struct merge_state {
	struct merge_table m[MAX_TABLES];
	size_t n;
	sqlite3_stmt *note;       /* INSERT INTO record_merge */
	sqlite3_stmt *json_objects, *json_merge, *json_detail;
	sqlite3_stmt *hw_get, *hw_fill;
};

static void *merge_make(void)
{
	return calloc(1, sizeof(struct merge_state));
}

static void merge_free(void *p)
{
	struct merge_state *s = p;
	for (size_t i = 0; s && i < s->n; i++) {
		free(s->m[i].is_key);
		free(s->m[i].field);
		free(s->m[i].merged);
	}
	free(s);
}

static const struct pk_db_module merge_module = { merge_make, merge_free };

/* The key columns of t from the schema (pragma table_info), as indexes
 * into t->cols; none when a key column is not one of them. */
static enum pk_status find_keys(struct pk_db *db, struct merge_table *mt)
{
	const struct pk_table *t = mt->t;
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db->sql, "SELECT name FROM pragma_table_info(?) WHERE pk > 0 "
	                       "ORDER BY pk", -1, &q, NULL) != SQLITE_OK)
		return PK_ERR_DB;
	sqlite3_bind_text(q, 1, t->name, -1, SQLITE_STATIC);
	int r, usable = 1;
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(q, 0);
		mt->has_key = 1;
		size_t c = 0;
		while (c < t->ncols && strcmp(t->cols[c].name, name) != 0)
			c++;
		if (c == t->ncols || mt->nkeys == MAX_KEYS)
			usable = 0;
		else
			mt->key[mt->nkeys++] = c;
	}
	sqlite3_finalize(q);
	if (r != SQLITE_DONE)
		return PK_ERR_DB;
	if (!usable)
		mt->nkeys = 0;
	for (size_t k = 0; k < mt->nkeys; k++)
		mt->is_key[mt->key[k]] = 1;
	return PK_OK;
}

/* The lookup and the fill of t (names from the schema, never from input). */
static enum pk_status prepare_table(struct pk_db *db, struct merge_table *mt)
{
	const struct pk_table *t = mt->t;
	struct pk_buf get = PK_BUF_INIT, fill = PK_BUF_INIT, where = PK_BUF_INIT;
	enum pk_status rc = pk_buf_puts(&get, "SELECT ");
	for (size_t c = 0; c < t->ncols && rc == PK_OK; c++)
		rc = pk_buf_printf(&get, "%s, ", t->cols[c].name);
	if (rc == PK_OK)
		rc = pk_buf_printf(&get, "source_id, line FROM %s WHERE ", t->name);
	for (size_t k = 0; k < mt->nkeys && rc == PK_OK; k++)
		rc = pk_buf_printf(&where, "%s%s = ?%zu", k ? " AND " : "",
		                   t->cols[mt->key[k]].name, t->ncols + k + 1);
	if (rc == PK_OK)
		rc = pk_buf_puts(&get, where.data);
	size_t nset = 0;
	if (rc == PK_OK)
		rc = pk_buf_printf(&fill, "UPDATE %s SET ", t->name);
	for (size_t c = 0; c < t->ncols && rc == PK_OK; c++)
		if (!mt->is_key[c])
			/* a JSON object takes its merged text; other fields only when NULL */
			rc = t->cols[c].type == PK_COL_JSON
			     ? pk_buf_printf(&fill, "%s%s = coalesce(?%zu, %s)", nset++ ? ", " : "",
			                     t->cols[c].name, c + 1, t->cols[c].name)
			     : pk_buf_printf(&fill, "%s%s = coalesce(%s, ?%zu)", nset++ ? ", " : "",
			                     t->cols[c].name, t->cols[c].name, c + 1);
	if (rc == PK_OK)
		rc = pk_buf_printf(&fill, " WHERE %s", where.data);
	if (rc == PK_OK)
		rc = pk_db_prepare(db, &mt->get, get.data);
	if (rc == PK_OK && nset)
		rc = pk_db_prepare(db, &mt->fill, fill.data);
	pk_buf_free(&get);
	pk_buf_free(&fill);
	pk_buf_free(&where);
	return rc == PK_OK ? PK_OK : PK_ERR_DB;
}

static struct merge_table *table_for(struct pk_db *db, struct merge_state *s,
                                     const struct pk_table *t)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->m[i].t == t)
			return &s->m[i];
	if (s->n == MAX_TABLES)
		return NULL;
	struct merge_table *mt = &s->m[s->n];
	size_t n = t->ncols ? t->ncols : 1;
	*mt = (struct merge_table){ .t = t, .is_key = calloc(n, 1), .field = calloc(n, 1),
	                            .merged = calloc(n, sizeof(char *)) };
	if (!mt->is_key || !mt->field || !mt->merged || find_keys(db, mt) != PK_OK ||
	    (mt->nkeys && prepare_table(db, mt) != PK_OK)) {
		free(mt->is_key);
		free(mt->field);
		free(mt->merged);
		return NULL;
	}
	s->n++;
	return mt;
}

/* The n bytes of s from byte `from` on into out (size 48): control bytes
 * as '?', cut at character boundaries, "..." where something is left out. */
static void shorten(char *out, const char *s, size_t n, size_t from)
{
	while (from > 0 && ((unsigned char)s[from] & 0xc0) == 0x80)
		from--;
	size_t o = 0;
	if (from > 0) {
		strcpy(out, "...");
		o = 3;
	}
	s += from;
	n -= from;
	size_t max = 36, k = n < max ? n : max;
	if (n > max)
		while (k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
			k--;
	for (size_t i = 0; i < k; i++)
		out[o++] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	strcpy(out + o, n > k ? "..." : "");
}

/* Where two texts start to differ, less some context, for shorten. */
static size_t diff_from(const char *a, size_t na, const char *b, size_t nb)
{
	size_t d = 0;
	while (d < na && d < nb && a[d] == b[d])
		d++;
	return d > 12 ? d - 12 : 0;
}

/* A number as SQLite writes it into a TEXT column. */
static void number_text(char *out, const struct pk_value *v)
{
	if (v->kind == PK_V_INT)
		sqlite3_snprintf(48, out, "%lld", (long long)v->i);
	else
		sqlite3_snprintf(48, out, "%!.15g", v->d);
}

static void stored_text(char *out, sqlite3_stmt *q, int c, size_t from)
{
	switch (sqlite3_column_type(q, c)) {
	case SQLITE_INTEGER:
		sqlite3_snprintf(48, out, "%lld", (long long)sqlite3_column_int64(q, c));
		break;
	case SQLITE_FLOAT:
		sqlite3_snprintf(48, out, "%!.15g", sqlite3_column_double(q, c));
		break;
	default:
		shorten(out, sqlite3_column_blob(q, c), (size_t)sqlite3_column_bytes(q, c), from);
	}
}

static void given_text(char *out, const struct pk_value *v, size_t from)
{
	if (v->kind == PK_V_TEXT)
		shorten(out, v->s, v->n, from);
	else
		number_text(out, v);
}

/* Column c of the stored row q against the new value v. */
static enum field compare(sqlite3_stmt *q, int c, const struct pk_value *v)
{
	if (v->kind == PK_V_NULL || (v->kind == PK_V_REAL && !isfinite(v->d)))
		return SAME;   /* nothing new */
	int type = sqlite3_column_type(q, c);
	if (type == SQLITE_NULL)
		return FILLED;
	if (type == SQLITE_TEXT || type == SQLITE_BLOB) {
		char num[48];
		const char *s = v->s;
		size_t n = v->n;
		if (v->kind != PK_V_TEXT) {   /* a number in a TEXT column is stored as text */
			number_text(num, v);
			s = num;
			n = strlen(num);
		}
		const void *p = sqlite3_column_blob(q, c);
		return (size_t)sqlite3_column_bytes(q, c) == n && (n == 0 || memcmp(p, s, n) == 0)
		       ? SAME : DIFFERS;
	}
	if (v->kind == PK_V_TEXT)
		return DIFFERS;
	if (type == SQLITE_INTEGER && v->kind == PK_V_INT)
		return sqlite3_column_int64(q, c) == v->i ? SAME : DIFFERS;
	double d = v->kind == PK_V_INT ? (double)v->i : v->d;
	return sqlite3_column_double(q, c) == d ? SAME : DIFFERS;
}

/* The first key of the JSON objects v and column c of q whose values
 * differ, and its two values, into m (for the warning). */
static enum pk_status json_detail(struct pk_db *db, struct merge_state *s, sqlite3_stmt *q,
                                  int c, const struct pk_value *v, struct pk_merge *m)
{
	if (pk_db_prepare(db, &s->json_detail, "SELECT n.key, ?2 -> o.fullkey, ?1 -> n.fullkey "
	    "FROM json_each(?1) n JOIN json_each(?2) o ON o.key = n.key WHERE n.type != 'null' "
	    "AND o.type != 'null' AND (n.type IS NOT o.type OR n.value IS NOT o.value) "
	    "ORDER BY n.id LIMIT 1") != PK_OK)
		return PK_ERR_DB;
	sqlite3_stmt *j = s->json_detail;
	pk_store_bind_value(j, 1, v);
	sqlite3_bind_value(j, 2, sqlite3_column_value(q, c));
	int r = sqlite3_step(j);
	if (r == SQLITE_ROW) {
		for (int i = 0; i < 3; i++) {
			char *out = i == 0 ? m->key : i == 1 ? m->stored : m->given;
			const char *t = (const char *)sqlite3_column_text(j, i);
			shorten(out, t ? t : "", t ? (size_t)sqlite3_column_bytes(j, i) : 0, 0);
		}
	}
	sqlite3_reset(j);
	sqlite3_clear_bindings(j);
	return r == SQLITE_ROW || r == SQLITE_DONE ? PK_OK : PK_ERR_DB;
}

/* Two JSON objects that differ as text (column c of q, v): SAME when
 * every key of v's has the stored value, FILLED when v only adds keys or
 * values to keys the stored one holds as null (*merged gets the stored
 * object so completed, malloc'd), DIFFERS
 * when a key has another value (named in m when it is the first conflict)
 * or either is not an object. */
static enum field compare_json(struct pk_db *db, struct merge_state *s, sqlite3_stmt *q,
                               int c, const struct pk_value *v, char **merged,
                               struct pk_merge *m, enum pk_status *rc)
{
	*merged = NULL;
	if ((*rc = pk_db_prepare(db, &s->json_objects, "SELECT json_valid(?1) AND "
	     "json_valid(?2)")) != PK_OK ||
	    (*rc = pk_db_prepare(db, &s->json_merge, "SELECT json_type(?1) = 'object' AND "
	     "json_type(?2) = 'object', "
	     /* keys of other values (a null is missing, never a value) */
	     "(SELECT count(*) FROM json_each(?1) n JOIN json_each(?2) o ON o.key = n.key "
	     "WHERE n.type != 'null' AND o.type != 'null' AND "
	     "(n.type IS NOT o.type OR n.value IS NOT o.value)), "
	     /* keys the stored object lacks, or holds as null */
	     "(SELECT count(*) FROM json_each(?1) n WHERE n.type != 'null' AND NOT EXISTS "
	     "(SELECT 1 FROM json_each(?2) o WHERE o.key = n.key AND o.type != 'null')), "
	     /* the stored object, its nulls filled, the new keys appended */
	     "(SELECT json_group_object(key, json(raw)) FROM ("
	     "SELECT o.key AS key, CASE WHEN o.type != 'null' THEN ?2 -> o.fullkey ELSE "
	     "coalesce((SELECT ?1 -> n.fullkey FROM json_each(?1) n WHERE n.key = o.key AND "
	     "n.type != 'null'), 'null') END AS raw, 0 AS side, o.id AS id FROM json_each(?2) o "
	     "UNION ALL SELECT n.key, ?1 -> n.fullkey, 1, n.id FROM json_each(?1) n "
	     "WHERE n.type != 'null' AND NOT EXISTS "
	     "(SELECT 1 FROM json_each(?2) o WHERE o.key = n.key) ORDER BY side, id))")) != PK_OK)
		return SAME;
	enum field f = DIFFERS;
	sqlite3_stmt *j = s->json_objects;
	pk_store_bind_value(j, 1, v);
	sqlite3_bind_value(j, 2, sqlite3_column_value(q, c));
	int r = sqlite3_step(j);
	int valid = r == SQLITE_ROW && sqlite3_column_int(j, 0);
	sqlite3_reset(j);
	sqlite3_clear_bindings(j);
	if (!valid)
		return r == SQLITE_ROW ? DIFFERS : (*rc = PK_ERR_DB, SAME);
	j = s->json_merge;
	pk_store_bind_value(j, 1, v);
	sqlite3_bind_value(j, 2, sqlite3_column_value(q, c));
	r = sqlite3_step(j);
	if (r == SQLITE_ROW && sqlite3_column_int(j, 0) && sqlite3_column_int64(j, 1) == 0) {
		f = SAME;
		if (sqlite3_column_int64(j, 2) > 0) {
			const char *text = (const char *)sqlite3_column_text(j, 3);
			if (!text || !(*merged = strdup(text)))
				*rc = PK_ERR_NOMEM;
			f = FILLED;
		}
	} else if (r != SQLITE_ROW) {
		*rc = PK_ERR_DB;
	}
	int keyed = r == SQLITE_ROW && sqlite3_column_int(j, 0) && sqlite3_column_int64(j, 1) > 0;
	sqlite3_reset(j);
	sqlite3_clear_bindings(j);
	if (keyed && m->conflicting == 0 && *rc == PK_OK)
		*rc = json_detail(db, s, q, c, v, m);
	return f;
}

/* One row of record_merge: column `column` of the stored record (column c
 * of q) and the new value v; counted in m, the first conflict named. */
static enum pk_status note(struct pk_db *db, struct merge_state *s, const char *table,
                           const char *column, enum field f, sqlite3_stmt *q, int c,
                           const struct pk_value *v, int64_t source_id, int64_t line,
                           struct pk_merge *m)
{
	if (pk_db_prepare(db, &s->note, "INSERT INTO record_merge (table_name, column_name, "
	    "kind, stored_value, new_value, stored_source_id, stored_line, source_id, line) "
	    "VALUES (?,?,?,?,?,?,?,?,?)") != PK_OK)
		return PK_ERR_DB;
	sqlite3_stmt *n = s->note;
	sqlite3_bind_text(n, 1, table, -1, SQLITE_STATIC);
	sqlite3_bind_text(n, 2, column, -1, SQLITE_STATIC);
	sqlite3_bind_text(n, 3, f == FILLED ? "completed" : "conflicting", -1, SQLITE_STATIC);
	sqlite3_bind_value(n, 4, sqlite3_column_value(q, c));
	pk_store_bind_value(n, 5, v);
	sqlite3_bind_int64(n, 6, m->stored_source_id);
	sqlite3_bind_int64(n, 7, m->stored_line);
	sqlite3_bind_int64(n, 8, source_id);
	sqlite3_bind_int64(n, 9, line);
	int r = sqlite3_step(n);
	sqlite3_reset(n);
	sqlite3_clear_bindings(n);
	if (r != SQLITE_DONE)
		return PK_ERR_DB;
	if (f == DIFFERS && !m->column)
		m->column = column;
	if (f == FILLED) {
		if (m->completed < PK_MERGE_LISTED)
			m->filled[m->completed] = column;
		m->completed++;
	} else if (m->conflicting++ == 0 && !m->key[0]) {
		size_t from = 0;
		if (v->kind == PK_V_TEXT && sqlite3_column_type(q, c) == SQLITE_TEXT)
			from = diff_from(sqlite3_column_blob(q, c), (size_t)sqlite3_column_bytes(q, c),
			                 v->s, v->n);
		stored_text(m->stored, q, c, from);
		given_text(m->given, v, from);
	}
	return PK_OK;
}

/* Writes the fields found missing into the stored row: coalesce keeps every
 * stored value, only the NULL ones take v's; a JSON object takes its
 * merged text (its stored keys and v's new ones). */
static enum pk_status fill(struct pk_db *db, struct merge_table *mt, const struct pk_value *v)
{
	const struct pk_table *t = mt->t;
	sqlite3_stmt *q = mt->fill;
	for (size_t c = 0; c < t->ncols; c++) {
		if (mt->is_key[c])
			continue;
		if (t->cols[c].type != PK_COL_JSON)
			pk_store_bind_value(q, (int)c + 1, &v[c]);
		else if (mt->merged[c])
			sqlite3_bind_text(q, (int)c + 1, mt->merged[c], -1, SQLITE_STATIC);
		else if (mt->field[c] == FILLED)
			pk_store_bind_value(q, (int)c + 1, &v[c]);
	}
	for (size_t k = 0; k < mt->nkeys; k++)
		pk_store_bind_value(q, (int)(t->ncols + k + 1), &v[mt->key[k]]);
	int r = sqlite3_step(q);
	if (r == SQLITE_DONE && sqlite3_changes(db->sql) != 1)
		r = SQLITE_ERROR;   /* the row just read is gone: never silently */
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	return r == SQLITE_DONE ? PK_OK : PK_ERR_DB;
}

enum pk_status pk_store_row_merge(struct pk_db *db, const struct pk_table *t,
                                  int64_t source_id, int64_t line,
                                  const struct pk_value *v, struct pk_merge *m)
{
	*m = (struct pk_merge){ 0 };
	struct merge_state *s = pk_db_state(db, &merge_module);
	struct merge_table *mt = s ? table_for(db, s, t) : NULL;
	if (!mt)
		return PK_ERR_DB;
	if (mt->nkeys == 0) {
		/* no key: the row was refused, not a duplicate; a key of other
		 * columns (never so today) cannot be looked up: a plain duplicate */
		m->found = mt->has_key;
		return PK_OK;
	}
	sqlite3_stmt *q = mt->get;
	for (size_t k = 0; k < mt->nkeys; k++)
		pk_store_bind_value(q, (int)(t->ncols + k + 1), &v[mt->key[k]]);
	int r = sqlite3_step(q);
	enum pk_status rc = PK_OK;
	if (r == SQLITE_ROW) {
		m->found = 1;
		m->stored_source_id = sqlite3_column_int64(q, (int)t->ncols);
		m->stored_line = sqlite3_column_int64(q, (int)t->ncols + 1);
		for (size_t c = 0; c < t->ncols && rc == PK_OK; c++) {
			enum field f = mt->is_key[c] ? SAME : compare(q, (int)c, &v[c]);
			if (f == DIFFERS && t->cols[c].type == PK_COL_JSON)
				f = compare_json(db, s, q, (int)c, &v[c], &mt->merged[c], m, &rc);
			mt->field[c] = (unsigned char)f;
			if (f != SAME && rc == PK_OK)
				rc = note(db, s, t->name, t->cols[c].name, f, q, (int)c, &v[c],
				          source_id, line, m);
		}
	} else if (r != SQLITE_DONE) {
		rc = PK_ERR_DB;
	}
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	if (rc == PK_OK && m->completed > 0)
		rc = fill(db, mt, v);
	for (size_t c = 0; c < t->ncols; c++) {
		free(mt->merged[c]);
		mt->merged[c] = NULL;
	}
	return rc;
}

/* The lookup and the fill of hw_sample (metric columns from the registry). */
static enum pk_status prepare_hw(struct pk_db *db, struct merge_state *s)
{
	if (s->hw_get)
		return PK_OK;
	struct pk_buf get = PK_BUF_INIT, fill = PK_BUF_INIT;
	enum pk_status rc = pk_buf_puts(&get, "SELECT source_id, line");
	rc |= pk_buf_puts(&fill, "UPDATE hw_sample SET ");
	for (size_t i = 0; i < pk_hw_nmetrics; i++) {
		const char *col = pk_hw_metrics[i].column;
		rc |= pk_buf_printf(&get, ", %s", col);
		rc |= pk_buf_printf(&fill, "%s%s = coalesce(%s, ?%zu)", i ? ", " : "", col, col, i + 3);
	}
	rc |= pk_buf_puts(&get, " FROM hw_sample WHERE profile_id = ?1 AND ts_us = ?2");
	rc |= pk_buf_puts(&fill, " WHERE profile_id = ?1 AND ts_us = ?2");
	if (rc == PK_OK)
		rc = pk_db_prepare(db, &s->hw_get, get.data);
	if (rc == PK_OK)
		rc = pk_db_prepare(db, &s->hw_fill, fill.data);
	pk_buf_free(&get);
	pk_buf_free(&fill);
	return rc == PK_OK ? PK_OK : PK_ERR_DB;
}

enum pk_status pk_store_hw_merge(struct pk_db *db, int64_t profile_id, int64_t source_id,
                                 const struct pk_hw_record *r, struct pk_merge *m)
{
	*m = (struct pk_merge){ 0 };
	struct merge_state *s = pk_db_state(db, &merge_module);
	if (!s || prepare_hw(db, s) != PK_OK)
		return PK_ERR_DB;
	sqlite3_stmt *q = s->hw_get;
	sqlite3_bind_int64(q, 1, profile_id);
	sqlite3_bind_int64(q, 2, r->ts_us);
	int step = sqlite3_step(q);
	enum pk_status rc = PK_OK;
	if (step == SQLITE_ROW) {
		m->found = 1;
		m->stored_source_id = sqlite3_column_int64(q, 0);
		m->stored_line = sqlite3_column_int64(q, 1);
		for (size_t i = 0; i < pk_hw_nmetrics && rc == PK_OK; i++) {
			struct pk_value v = pk_v_real(r->v[i]);
			enum field f = compare(q, (int)i + 2, &v);
			if (f != SAME)
				rc = note(db, s, "hw_sample", pk_hw_metrics[i].column, f, q, (int)i + 2,
				          &v, source_id, r->line, m);
		}
	} else if (step != SQLITE_DONE) {
		rc = PK_ERR_DB;
	}
	sqlite3_reset(q);
	if (rc != PK_OK || m->completed == 0)
		return rc;
	q = s->hw_fill;
	sqlite3_bind_int64(q, 1, profile_id);
	sqlite3_bind_int64(q, 2, r->ts_us);
	for (size_t i = 0; i < pk_hw_nmetrics; i++) {
		struct pk_value v = pk_v_real(r->v[i]);
		pk_store_bind_value(q, (int)i + 3, &v);
	}
	step = sqlite3_step(q);
	sqlite3_reset(q);
	return step == SQLITE_DONE && sqlite3_changes(db->sql) == 1 ? PK_OK : PK_ERR_DB;
}
