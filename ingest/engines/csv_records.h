/* csv_records.h - the one CSV engine of ingest, field level: lines in,
 * records of fields out.  libcsv in strict mode, fed one line at a time;
 * a quoted field may span lines (a record then spans them too), a quote
 * never closed is found (PK_CSV_MAX_RECORD_LINES, PK_MAX_LINE, or the
 * dialect's starts_record) and its first line rejected, the lines after it
 * read again; a BOM where files were concatenated is dropped.
 *
 * Every CSV reader stands on it: the typed-table readers (F3, F4) through
 * csv_rows.h, which maps header names to table columns; the generic (F8)
 * and nvidia-smi (F9) readers directly, as their headers are not known in
 * advance.  A reader gets each record's fields as text (units, "[N/A]",
 * numbers are its business) and decides what a record is (a header, a
 * row). */
#ifndef PK_CSV_RECORDS_H
#define PK_CSV_RECORDS_H

#include <stddef.h>
#include <stdint.h>
#include "../../core/status.h"

struct pk_sink;

/* A quoted field still open after this many lines (or PK_MAX_LINE bytes) is
 * taken as an unbalanced quote: its first line is rejected, the rest read
 * again as records. */
#define PK_CSV_MAX_RECORD_LINES 1000

struct pk_csv_span {
	size_t off, len;   /* in the record's field bytes */
	int quoted;        /* the field was written in quotes */
};

/* One record: valid during the record callback only. */
struct pk_csv_record {
	const char *data;              /* the fields' bytes, back to back */
	const struct pk_csv_span *f;
	size_t n;                      /* number of fields */
	int64_t lineno;                /* its first line */
	const char *raw;               /* its lines as read, joined by \n */
	size_t raw_len;
	int trim;                      /* the dialect's trim (for pk_csv_rec_col) */
};

/* A quoting fault, for a reader that words its own reject. */
enum pk_csv_fault_kind {
	PK_CSV_FAULT_QUOTE,    /* a quote inside an unquoted field, or text after
	                          a closing quote */
	PK_CSV_FAULT_UNCLOSED  /* a quoted field never closed (at the line's end
	                          with one_line, else after the limits above) */
};

struct pk_csv_fault {
	enum pk_csv_fault_kind kind;
	int64_t lineno;        /* the record's first line */
	int64_t col;           /* 1-based column in that line, 0: none */
	const char *raw;       /* that line */
	size_t raw_len;
	const char *reason;    /* the engine's own wording */
};

struct pk_csv_dialect {
	/* Blanks around a field are not part of it (nvidia-smi's ", ").  0: they
	 * are kept (Python's csv writes them unquoted). */
	int trim;
	/* Records never span lines: a quote still open at a line's end is an
	 * UNCLOSED fault at the opening quote. */
	int one_line;
	/* Every complete record.  Bad content goes to pk_sink_reject; only a
	 * database or memory failure is returned. */
	enum pk_status (*record)(void *ctx, struct pk_sink *sink,
	                         const struct pk_csv_record *r);
	/* Optional: rejects a fault in the reader's words; NULL: the engine
	 * rejects the record's first line with fault->reason. */
	enum pk_status (*fault)(void *ctx, struct pk_sink *sink,
	                        const struct pk_csv_fault *fault);
	/* Optional: 1 when line p, met inside an open quoted field, reads as a
	 * record of its own: proof that the quote is unbalanced, so the rest of
	 * the file is not swallowed until the limits are reached. */
	int (*starts_record)(void *ctx, const char *p, size_t n);
};

/* Per-file state; NULL without memory.  dialect must outlive it; ctx is
 * handed to its hooks. */
void *pk_csv_records_open(const struct pk_csv_dialect *dialect, void *ctx);
/* One line without its LF (a trailing CR is a CRLF line end, data only
 * inside a quoted field); lines may come raw (reader.h raw_lines) or not. */
enum pk_status pk_csv_records_line(void *state, struct pk_sink *sink,
                                   const char *p, size_t n, int64_t lineno);
/* Nonzero while a record spans lines (reader.h `in_record`). */
int pk_csv_records_in_record(void *state);
void pk_csv_records_close(void *state);

/* Field i of r (NUL bytes possible) and its length. */
const char *pk_csv_rec_field(const struct pk_csv_record *r, size_t i, size_t *n);
/* The 1-based column where field i starts in the record's first line (its
 * first non-blank byte when trimmed); 0 when it is not on that line. */
int64_t pk_csv_rec_col(const struct pk_csv_record *r, size_t i);

#endif
