/* gnuplot_run.h - running gnuplot on a script: one process, started with
 * posix_spawnp and an argument array (never a shell). */
#ifndef PK_GNUPLOT_RUN_H
#define PK_GNUPLOT_RUN_H

#include "../core/buf.h"

/* The program to run: $PERFKIT_GNUPLOT when set and not empty, else
 * "gnuplot".  Static or environment storage; do not free. */
const char *pk_gnuplot_program(void);

/* Runs `program script` with dir (NULL: the current directory) as its working
 * directory, stdin from /dev/null, stdout and stderr captured.  script is
 * named as gnuplot sees it (relative to dir); script_shown is how messages
 * name it.  A program given as a relative path with a '/' is taken relative
 * to the current directory, not dir.  Returns PK_OK when it exited with
 * status 0; else PK_ERR_EXTERNAL with a one-line message in err naming the
 * program, the script and the first lines of what gnuplot printed.  When log
 * is not NULL it gets everything gnuplot printed (up to 64 KiB). */
enum pk_status pk_gnuplot_run(const char *program, const char *dir,
                              const char *script, const char *script_shown,
                              struct pk_buf *log, struct pk_buf *err);

#endif
