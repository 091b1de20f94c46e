/* csv_rows.h - typed table rows from CSV for the readers whose columns are
 * known in advance (F3 agent_metrics.csv, F4 wake_word_audit.csv): the
 * records of the CSV engine (csv_records.h: libcsv, records that span
 * lines, unbalanced quotes), header rows mapped to columns by name, typed
 * fields, and everything not understood kept in `extra`.
 *
 * A reader describes its format once (struct pk_csv_format: the table, the
 * known columns in their documented order) and forwards its reader.h hooks
 * to pk_csv_open/line/in_record/close.
 *
 * Header rows.  Any record whose fields include the time column's name and
 * at least PK_CSV_HEADER_MIN known names is a header: it sets the column
 * mapping and is not stored (the first line of a file, or a repeated header
 * written by a restarted writer).  Until a header is seen the documented
 * column order is used: this is what a resumed (incremental) run sees, as
 * nothing is kept between runs and only new bytes are read.  A file whose
 * header names columns in another order is therefore mapped by position
 * when a later run resumes after its header (documented limitation).
 * When the header is the documented order cut short (a 14-column F3
 * header followed by 19-field rows), fields past its end take the documented
 * names of their positions; all other fields go to `extra` under their
 * header name, or "field_N" (N 1-based position) when there is none.
 *
 * Warnings (FILE:LINE: warning: ..., the row still stored): a row with
 * fewer fields than its header (the missing ones are missing), the first
 * row of a file with more fields than its header, a number field that is
 * not a number (missing, the text kept in extra), a number outside its
 * field's documented range, an ISO time without a UTC offset (read as
 * UTC). */
#ifndef PK_CSV_ROWS_H
#define PK_CSV_ROWS_H

#include <stddef.h>
#include <stdint.h>
#include "../../core/status.h"
#include "../../core/table.h"

struct pk_sink;

enum pk_csv_type {
	PK_CSV_TIME_ISO,    /* pk_time_parse_iso; no usable time: reject */
	PK_CSV_TIME_EPOCH,  /* pk_time_parse_epoch; no usable time: reject */
	PK_CSV_REAL,        /* pk_parse_double; not a number: NULL + extra */
	PK_CSV_INT,         /* an integral number; otherwise NULL + extra */
	PK_CSV_TEXT,        /* empty: NULL */
	PK_CSV_KEY          /* text in the row's identity: empty is '' */
};

struct pk_csv_field {
	const char *name;   /* header name */
	enum pk_csv_type type;
	size_t slot;        /* index of its column in the table */
	double lo, hi;      /* lo < hi: a number outside [lo, hi] is stored with
	                       a warning (documented range) */
};

struct pk_csv_format {
	const struct pk_table *table;
	const struct pk_csv_field *fields;  /* in the documented column order */
	size_t nfields;                     /* at most PK_CSV_MAX_FIELDS */
	size_t extra_slot;                  /* table column of the extra JSON */
};

#define PK_CSV_MAX_FIELDS 32
#define PK_CSV_HEADER_MIN 3

/* Per-file state; NULL without memory.  fmt must outlive it. */
void *pk_csv_open(const struct pk_csv_format *fmt);
/* One line (reader.h `line`). */
enum pk_status pk_csv_line(void *state, struct pk_sink *sink,
                           const char *p, size_t n, int64_t lineno);
/* Nonzero while a record spans lines (reader.h `in_record`). */
int pk_csv_in_record(void *state);
void pk_csv_close(void *state);

/* 1 when the first line of head starts with the given names, in order, as
 * a CSV header ("iso_ts", "tes", ...; names[] NULL-terminated). */
int pk_csv_head_starts_with(const char *head, size_t n, const char *const *names);
/* 1 when base starts with prefix and ends with suffix. */
int pk_csv_name_matches(const char *base, const char *prefix, const char *suffix);

#endif
