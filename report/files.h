/* files.h - the file system work of the report stage: reading a file whole,
 * writing one atomically, and the names of a report's companion files. */
#ifndef PK_REPORT_FILES_H
#define PK_REPORT_FILES_H

#include <stddef.h>
#include "../core/buf.h"

/* Reads the file at path into out (appending; at most max bytes, else
 * PK_ERR_IO).  PK_ERR_IO with a message in err naming path and the reason;
 * *missing (when not NULL) is set to 1 when the file does not exist. */
enum pk_status pk_file_read(const char *path, size_t max, struct pk_buf *out,
                            int *missing, struct pk_buf *err);

/* Writes data[0..len) to path through a temporary file in the same folder
 * and a rename, so a reader never sees half a file; mode 0666 less umask. */
enum pk_status pk_file_write(const char *path, const char *data, size_t len,
                             struct pk_buf *err);

/* The names around a report written to output "DIR/NAME.md" or
 * "DIR/NAME.html" (any case): all owned, free with pk_report_paths_free. */
struct pk_report_paths {
	int html;             /* 1 for .html/.htm, 0 for .md */
	char *dir;            /* "DIR" or "." */
	char *script;         /* "DIR/NAME.gp" */
	char *script_name;    /* "NAME.gp" */
	char *charts;         /* "DIR/NAME_charts" */
	char *charts_name;    /* "NAME_charts": links in the Markdown */
};

/* PK_USAGE (message in err) when output does not end in .md, .html or .htm,
 * has no name before it, or holds control characters. */
enum pk_status pk_report_paths(const char *output, struct pk_report_paths *p,
                               struct pk_buf *err);
void pk_report_paths_free(struct pk_report_paths *p);

#endif
