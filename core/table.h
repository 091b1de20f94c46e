/* table.h - typed rows for the tables of every input format other than the
 * hardware samples.  A reader describes its table once (a static struct
 * pk_table) and hands rows of struct pk_value to the sink; core/store_rows.c
 * builds and caches the INSERT, so no reader writes SQL.  Every such table
 * ends with the provenance columns source_id and line, filled by the sink. */
#ifndef PK_TABLE_H
#define PK_TABLE_H

#include <stddef.h>
#include <stdint.h>

enum pk_coltype {
	PK_COL_INT,     /* INTEGER */
	PK_COL_REAL,    /* REAL; NAN is stored as NULL */
	PK_COL_TEXT,    /* TEXT (valid UTF-8) */
	PK_COL_TIME,    /* INTEGER, UTC microseconds */
	PK_COL_JSON     /* TEXT holding JSON */
};

struct pk_column {
	const char *name;
	enum pk_coltype type;
};

struct pk_table {
	const char *name;            /* SQL table, declared in core/schema.sql */
	const struct pk_column *cols;
	size_t ncols;                /* without source_id and line */
	int replace;                 /* 1: a row with the same key replaces the
	                                stored one (configuration); 0: the first
	                                stored row stays (logs: dedupe);
	                                PK_TABLE_MERGE: the first stays, filled
	                                in where it has NULLs, or a conflict when
	                                a value differs (pk_store_row_merge) */
};

#define PK_TABLE_MERGE 2

enum pk_vkind { PK_V_NULL, PK_V_INT, PK_V_REAL, PK_V_TEXT };

struct pk_value {
	enum pk_vkind kind;
	int64_t i;
	double d;
	const char *s;               /* PK_V_TEXT: n bytes, not necessarily NUL-terminated */
	size_t n;
};

static inline struct pk_value pk_v_null(void) { struct pk_value v = { PK_V_NULL, 0, 0, NULL, 0 }; return v; }
static inline struct pk_value pk_v_int(int64_t i) { struct pk_value v = { PK_V_INT, i, 0, NULL, 0 }; return v; }
static inline struct pk_value pk_v_real(double d) { struct pk_value v = { PK_V_REAL, 0, d, NULL, 0 }; return v; }
static inline struct pk_value pk_v_text(const char *s, size_t n)
{
	struct pk_value v = { s ? PK_V_TEXT : PK_V_NULL, 0, 0, s, n };
	return v;
}

#endif
