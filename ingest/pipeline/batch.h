/* batch.h - records on their way from a reader to the database.  Readers
 * (through the sink) append records to a batch as a packed byte stream; the
 * writer applies a whole batch inside the file's transaction.  This lets
 * parsing and SQLite run on the two cores at once (see pipe.c). */
#ifndef PK_BATCH_H
#define PK_BATCH_H

#include <stddef.h>
#include <stdint.h>
#include "../../core/buf.h"
#include "../../core/store.h"
#include "../../core/table.h"

struct pk_batch {
	struct pk_buf bytes;
	size_t nrec;
};

/* A batch is handed on when it holds this many records or bytes. */
#define PK_BATCH_RECORDS 1024
#define PK_BATCH_BYTES ((size_t)512 << 10)

enum pk_status pk_batch_put_hw(struct pk_batch *b, const char *profile,
                               const struct pk_hw_record *r);
enum pk_status pk_batch_put_reject(struct pk_batch *b, int64_t line, int64_t col,
                                   const char *reason, const char *raw,
                                   size_t raw_len, int64_t raw_size);
/* A warning about a line whose data is kept: shown, counted, not stored. */
enum pk_status pk_batch_put_warning(struct pk_batch *b, int64_t line, int64_t col,
                                    const char *reason);
enum pk_status pk_batch_put_row(struct pk_batch *b, const struct pk_table *t,
                                int64_t line, const struct pk_value *v);
/* F8: a row of generic_record (source and time its first two values) with
 * the record's numeric fields, for the columnar copy (generic_chunk). */
enum pk_status pk_batch_put_generic(struct pk_batch *b, const struct pk_table *t,
                                    int64_t line, const struct pk_value *v,
                                    const struct pk_generic_value *m, size_t nm);
/* F8: the generic reader has ended its file: write the columnar copy. */
enum pk_status pk_batch_put_generic_end(struct pk_batch *b);
int pk_batch_full(const struct pk_batch *b);
void pk_batch_clear(struct pk_batch *b);

/* Most columns a typed row may have. */
#define PK_ROW_MAX_COLS 64

/* One decoded record; pointers into the batch. */
struct pk_batch_rec {
	int is_reject;
	int is_warning;                    /* line, col, reason */
	const struct pk_table *table;      /* row: its table, else NULL */
	struct pk_value vals[PK_ROW_MAX_COLS]; /* row */
	const char *profile;               /* hw */
	struct pk_hw_record hw;            /* hw; hw.v points into the batch */
	int64_t line, col, raw_size;       /* reject */
	const char *reason, *raw;          /* reject */
	size_t raw_len;
	size_t ngen;                       /* generic row: its numeric fields, */
	const char *gen;                   /* packed; read with pk_batch_generic_value */
	int is_generic_end;
};

/* Decodes the numeric field at *p (starting at r->gen) and advances *p. */
void pk_batch_generic_value(const char **p, struct pk_generic_value *out);

/* Decodes the record at *pos and advances it; 0 at the end. */
int pk_batch_next(const struct pk_batch *b, size_t *pos, struct pk_batch_rec *r,
                  double *v_scratch);

#endif
