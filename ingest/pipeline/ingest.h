/* ingest.h - loading files and directories into the database: the library
 * behind perfingest.  Each file is read incrementally (only bytes not read
 * before), in one transaction, by the reader that claims it. */
#ifndef PK_INGEST_H
#define PK_INGEST_H

#include <stdint.h>
#include "../../core/db.h"
#include "../../core/diag.h"
#include "sink.h"

enum pk_file_action {
	PK_FILE_READ,        /* read (new bytes, or again from the start) */
	PK_FILE_UNCHANGED,   /* read before and unchanged: skipped */
	PK_FILE_SKIPPED,     /* no reader claims it, or not a regular file */
	PK_FILE_FAILED,      /* could not be read; nothing of it stored */
	PK_FILE_PLANNED      /* --dry-run: would be read */
};

struct pk_file_outcome {
	char *path;              /* as the user named it (joined for directories) */
	const char *format;      /* reader name, or NULL */
	enum pk_file_action action;
	char *note;              /* why skipped/failed, or for PK_FILE_PLANNED
	                            "new", "grown" or "changed: read again" */
	int64_t lines;           /* lines read this time */
};

/* Where a run stands, for a progress display. */
struct pk_progress {
	const char *file;        /* the file being read */
	int64_t lines, bytes;    /* of that file: lines read, byte offset reached */
	int64_t done, total;     /* bytes of all the files of the run: visited so
	                            far (unchanged and skipped files count whole),
	                            and in all; total is 0 when not known */
};

struct pk_ingest_opts {
	const char *format;      /* force this reader; NULL: detect per file */
	int dry_run;             /* decide and report, store nothing */
	int force;               /* --force: read every file again from its start,
	                            replacing what it stored before */
	const char *db_path;     /* its files are never read as input */
	const char *source_name; /* --source NAME: generic records' source */
	const char *tz;          /* --tz ZONE: zone of naive local times (nvidia-smi) */
	const char *columns;     /* --columns LIST: fields of headerless nvidia-smi logs */
	const char *suite;       /* --suite NAME: the suite of hyperfine results */
	int64_t run_time_us;     /* --run-time: benchmark run time; INT64_MIN: file mtime */
	/* decompression limits per archive or .gz (0: the defaults below) */
	int64_t max_unpacked;    /* --max-unpacked: bytes decompressed */
	double max_ratio;        /* --max-ratio: decompressed / compressed bytes */
	pk_diag_fn diag;         /* every rejected line and file error */
	void *diag_ctx;
	/* called now and then while a file is read, and after each file; when
	 * set, pk_ingest_paths first adds up the sizes of the files to visit */
	void (*progress)(void *ctx, const struct pk_progress *p);
	void *progress_ctx;
};

/* A decompression bomb is stopped: an archive or .gz is read up to
 * max_unpacked decompressed bytes, and, past PK_RATIO_FLOOR bytes, up to
 * max_ratio times the compressed bytes read (deflate's own limit is about
 * 1032; real logs compress 5 to 50 times).  What was stored before stays. */
#define PK_MAX_UNPACKED_DEFAULT ((int64_t)64 << 30)
#define PK_MAX_RATIO_DEFAULT 1000.0
#define PK_RATIO_FLOOR ((int64_t)64 << 20)

struct pk_ingest_result {
	int64_t files_read, files_unchanged, files_skipped, files_failed;
	int64_t lines, bytes;    /* read this run */
	int64_t pending;         /* unfinished last lines left for the next run */
	int64_t replaced;        /* rows deleted because their file was --force'd */
	struct pk_sink_counts counts;
	struct pk_file_outcome *files;
	size_t nfiles, capfiles;
};

/* Ingests every path (file or directory, recursively, in name order).
 * Returns PK_OK when everything was loaded, PK_PARTIAL when some lines were
 * rejected, PK_ERR_IO when a path could not be read (the others are still
 * loaded), PK_NODATA when the paths hold no file at all (each directory
 * without files is reported to opts->diag as a warning), PK_ERR_DB /
 * PK_ERR_NOMEM on failures that stop the run. */
enum pk_status pk_ingest_paths(struct pk_db *db, char *const *paths, size_t npaths,
                               const struct pk_ingest_opts *opts,
                               struct pk_ingest_result *res);
void pk_ingest_result_free(struct pk_ingest_result *res);

/* Reads one file (used by pk_ingest_paths; exposed for tests). */
enum pk_status pk_ingest_file(struct pk_db *db, const char *path,
                              const struct pk_ingest_opts *opts,
                              struct pk_ingest_result *res);

#define PK_MAX_LINE ((size_t)8 << 20)

/* Why --columns LIST cannot describe nvidia-smi lines, or NULL. */
const char *pk_nvsmi_columns_problem(const char *spec);

#endif
