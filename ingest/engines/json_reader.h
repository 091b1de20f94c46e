/* json_reader.h - the parts shared by whole-document readers whose rows are
 * keyed by an identity string at the root (F5 experiment_id, F6 session_id):
 * taking the id, spooling rows until it is known, rejects at the current
 * path, elements of the wrong shape, and the end of the document. */
#ifndef PK_JSON_READER_H
#define PK_JSON_READER_H

#include <stddef.h>
#include <stdint.h>
#include "../../core/buf.h"
#include "json_doc.h"
#include "json_rows.h"

struct pk_sink;

/* The words of one format, for its rejects. */
struct pk_jreader_names {
	const char *id_key;     /* "experiment_id": the identity key at the root */
	const char *row;        /* "experiment": the document's own row */
	const char *kept;       /* "cycles": the rows kept from a broken document */
};

/* Embedded in a reader's state; zeroed (calloc) before pk_jreader_init. */
struct pk_jreader {
	struct pk_sink *sink;
	struct pk_jdoc *doc;
	const struct pk_jreader_names *names;
	struct pk_buf id, bad, msg;
	int have_id;
	const char *id_problem;     /* why the id was not taken ("is empty"), or NULL */
	const char *bad_what;       /* the bad element ending at bad_level (0: none) */
	int bad_level;
	int64_t kept;               /* rows kept so far, for the broken-document reject */
	struct pk_row_spool *spool;
};

/* Makes r's parser, calling fn(ctx, ...); PK_ERR_NOMEM without memory. */
enum pk_status pk_jreader_init(struct pk_jreader *r, struct pk_sink *sink,
                               const struct pk_jreader_names *names, pk_jdoc_fn fn, void *ctx);
void pk_jreader_free(struct pk_jreader *r);

/* 1 when key[0..kn) is name (key may be NULL: 0). */
int pk_jkey_is(const char *key, size_t kn, const char *name);

/* 1 when key[0..kn) is the id key and no id was taken or refused yet. */
int pk_jreader_is_id(const struct pk_jreader *r, const char *key, size_t kn);
/* The value of the id key: taken when it is a usable string (the spooled
 * rows are then written), else kept in extra with the problem noted. */
enum pk_status pk_jreader_take_id(struct pk_jreader *r, struct pk_jdoc *d, enum pk_jev ev,
                                  const char *s, size_t n, struct pk_buf *extra);

/* Writes row with column 0 set to the id, or spools it until the id is known. */
enum pk_status pk_jreader_emit(struct pk_jreader *r, struct pk_jrow *row);
/* A warning at the current value's line: "PATH: what" (the data is kept). */
enum pk_status pk_jreader_warn(struct pk_jreader *r, const char *what);
/* A reject about the value now ending or starting: "path: what". */
enum pk_status pk_jreader_reject_at(struct pk_jreader *r, int64_t line, const char *what,
                                    const char *raw, size_t n);
/* Rejects the JSON columns of row that were too large to keep. */
enum pk_status pk_jreader_report_lost(struct pk_jreader *r, struct pk_jrow *row);
/* An array element at level L that is not an object: rejected with its
 * text (a container at its END, see pk_jreader_end). */
enum pk_status pk_jreader_bad_element(struct pk_jreader *r, enum pk_jev ev, int L);
/* At an END event at level L: rejects a kept value that overflowed and the
 * bad element ending here. */
enum pk_status pk_jreader_end(struct pk_jreader *r, int L);

/* The next chunk of the document. */
enum pk_status pk_jreader_chunk(struct pk_jreader *r, struct pk_sink *sink,
                                const char *p, size_t n);
/* The end of the document: rejects a broken document, else writes top (the
 * document's own row) when the id is known, or rejects it. */
enum pk_status pk_jreader_finish(struct pk_jreader *r, struct pk_sink *sink, struct pk_jrow *top);

#endif
