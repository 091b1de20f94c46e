/* reader.h - the interface every input format implements.  A reader
 * recognises its files (detect) and turns lines into records handed to the
 * sink; the sink does identity, dedupe, provenance, rejects and counting.
 * Adding a format is one new readers/read_*.c file and one line in
 * pipeline/readers.c. */
#ifndef PK_READER_H
#define PK_READER_H

#include <stddef.h>
#include <stdint.h>
#include "../../core/status.h"

struct pk_sink;
struct pk_ingest_opts;

struct pk_reader {
	const char *name;          /* "hw_jsonl"; stored as source_file.format */
	const char *description;   /* one line for --help and --dry-run */
	/* Nonzero when the file looks like this format: base is the file's
	 * base name, head its first bytes (at most 4 KiB, BOM removed). */
	int (*detect)(const char *base, const char *head, size_t n);
	/* Optional: for a file no reader claimed, why it is not this format
	 * although it looks like it (static text naming what to do), or NULL
	 * when it does not look like it.  Told instead of "no reader claims
	 * this file". */
	const char *(*near_miss)(const char *base, const char *head, size_t n);
	/* Optional: why this run's options cannot read the file shown as
	 * display at all (a bad --source), as static text, or NULL.  The file is
	 * then reported as failed and left unread (not marked read), so the
	 * corrected command reads it. */
	const char *(*refuse)(const struct pk_ingest_opts *opts, const char *display);
	/* Per-file state: made before the first line, freed after the last. */
	void *(*open)(struct pk_sink *sink);
	/* One complete line without its line end (CR LF or LF), lineno 1-based.
	 * Bad input goes to pk_sink_reject; only a database or memory failure
	 * is returned as an error status. */
	enum pk_status (*line)(void *state, struct pk_sink *sink,
	                       const char *p, size_t n, int64_t lineno);
	void (*close)(void *state);
	/* Optional, for line readers whose records may span lines (CSV with
	 * quoted newlines): nonzero while a record is still open after the last
	 * line given, so the stored read offset stays at the last record
	 * boundary and an unfinished record is left for the next run. */
	int (*in_record)(void *state);
	/* Nonzero: lines are handed over exactly as read (a trailing CR kept,
	 * blank lines included), for readers whose records keep line ends
	 * inside quoted fields.  Zero: CR stripped, blank lines skipped. */
	int raw_lines;
	/* Nonzero: a line's meaning depends on lines before it (a header, GPUs
	 * numbered by first appearance).  A grown file is then given to the
	 * reader from its start; the lines read before only rebuild the state
	 * (their records and rejects are dropped by the sink). */
	int replay_prefix;
	/* Whole-document readers (one JSON document per file) set these instead
	 * of line: the file's bytes from the start, in chunks, then finish.
	 * A changed file is read again whole; rows dedupe by their keys. */
	enum pk_status (*chunk)(void *state, struct pk_sink *sink,
	                        const char *p, size_t n);
	enum pk_status (*finish)(void *state, struct pk_sink *sink);
};

/* The reader called name, or NULL. */
const struct pk_reader *pk_reader_find(const char *name);

/* The first reader whose detect claims the file, or NULL. */
const struct pk_reader *pk_reader_detect(const char *base, const char *head, size_t n);

/* For a file no reader claims: the first near miss's reason, else "no
 * reader claims this file" (static text). */
const char *pk_reader_why_not(const char *base, const char *head, size_t n);

/* All readers, NULL-terminated. */
extern const struct pk_reader *const pk_readers[];

#endif
