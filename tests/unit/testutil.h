/* testutil.h - helpers shared by the unit tests: a temporary folder with a database, files, ingest with a diagnostics collector, SQL queries, reference-file parsing. */
#ifndef PK_TESTUTIL_H
#define PK_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

#include "core/buf.h"
#include "core/diag.h"
#include "core/metrics.h"
#include "core/query.h"
#include "ingest/pipeline/ingest.h"

/* A test's temporary folder with an open database t.db in it. */
struct tu_fx {
	char dir[64];
	char db_path[96];
	char file[128];         /* a file in dir, for tests that name one */
	struct pk_db *db;
	struct pk_buf diags;    /* the diagnostics collected, one a line */
	int ndiags;
};

/* A pk_diag callback: appends the diagnostic to ((struct tu_fx *)ctx)->diags. */
void tu_collect(void *ctx, const struct pk_diag *d);
/* cmocka setup: a fixture in a new folder /tmp/pk_test_<name>_XXXXXX with
 * the database created; tu_setup_in also makes a folder "in" with mode. */
int tu_setup(void **state, const char *name);
int tu_setup_in(void **state, const char *name, unsigned mode);
/* cmocka teardown: closes the database and removes the folder. */
int tu_teardown(void **state);
/* Empties the diagnostics collected so far. */
void tu_reset_diags(struct tu_fx *f);
/* dir/<printf of fmt>, in one of 4 static buffers used in turn. */
char *tu_path(const struct tu_fx *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Writes n bytes of p to path (fopen mode: "w", "wb", "a" ...). */
void tu_write(const char *path, const char *mode, const char *p, size_t n);
void tu_write_text(const char *path, const char *mode, const char *text);
/* The whole file, malloc'd and NUL-terminated; its size in *n if n. */
char *tu_slurp(const char *path, size_t *n);
/* Copies file from to file to. */
void tu_copy_file(const char *from, const char *to);

/* Ingests path (NULL: the fixture's folder) with the options o, whose diag,
 * diag_ctx and db_path are set here. */
enum pk_status tu_ingest(struct tu_fx *f, const char *path, struct pk_ingest_opts o,
                         struct pk_ingest_result *res);

/* The first column of the first row of sql, as text ("NULL" for NULL,
 * "(no row)" without one), in a static buffer. */
char *tu_q_db(sqlite3 *s, const char *sql);
char *tu_q(const struct tu_fx *f, const char *sql);
/* Runs sql on the database at path; fails the test on error. */
void tu_exec(const char *path, const char *sql);
/* Fails the test unless a collected diagnostic contains text. */
void tu_has_diag(const struct tu_fx *f, const char *text);

/* Creates a folder from the template dir (modified) holding a database
 * with the schema, closed again; its path into path. */
void tu_new_db(char *dir, char *path, size_t n);
/* rm -rf dir; fails the test on error. */
void tu_rm_rf(const char *dir);

/* Failures counted by tu_near and tu_same_int (printed to stderr). */
extern int tu_failures;
/* got within 1e-9 |exp| + 1e-12 of exp; an expected NAN requires a NAN. */
void tu_near(const char *what, const char *c, double got, double exp);
void tu_same_int(const char *what, const char *c, long long got, long long exp);
/* Splits line at sep into at most max fields (line is modified). */
size_t tu_split(char *line, char sep, char **f, size_t max);
/* Numbers ("nan" allowed) or integers of a comma list, malloc'd. */
double *tu_nums(const char *s, size_t *n);
int64_t *tu_times(const char *s, size_t *n);
/* A series at ts with every metric missing except names[i] = x[i]. */
void tu_series(struct pk_hw_series *s, const int64_t *ts, size_t n,
               const char *const *names, const double *const *x, size_t k);

#endif
