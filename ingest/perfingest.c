/* perfingest.c - the perfingest tool: loads log files and directories into
 * the perfkit database.  Thin: options, then pk_ingest_paths, then the
 * summary; exit codes from core/status.h. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../core/cli.h"
#include "../core/db.h"
#include "../core/metrics.h"
#include "../core/store.h"
#include "../core/timeutil.h"
#include "pipeline/ingest.h"
#include "pipeline/reader.h"
#include "engines/tz.h"

static void usage(FILE *f)
{
	fprintf(f,
	    "usage: perfingest [--db FILE] [--format NAME] [--dry-run] [--force]\n"
	    "                  [--source NAME]\n"
	    "                  [--tz ZONE] [--columns LIST]\n"
	    "                  [--run-time TIME] [--suite NAME] [--alias NAME=PROFILE] PATH...\n"
	    "Loads log files and directories (recursively) into the perfkit database.\n"
	    "Re-running reads only what is new; nothing is stored twice.\n\n"
	    "  --db FILE      database (default: $PERFKIT_DB, else ./perf.db)\n"
	    "  --format NAME  read every file as NAME instead of detecting it\n"
	    "  --dry-run      show what would be read and as what; store nothing\n"
	    "  --force        read the files again from the start (e.g. with the right\n"
	    "                 --format or --source), replacing what they stored\n"
	    "  --source NAME  the source name of generic records (--format generic)\n"
	    "  --tz ZONE      time zone of local times in nvidia-smi logs and sadf\n"
	    "                 exports (default UTC; for sadf, the file's zone)\n"
	    "  --columns LIST the fields of headerless nvidia-smi logs, in their order\n"
	    "                 (\"timestamp, index, utilization.gpu [%%], ...\")\n"
	    "  --run-time T   run time of hyperfine results (default: file mtime)\n"
	    "  --suite NAME   suite of hyperfine results (default: the file name), e.g.\n"
	    "                 for CI jobs that write one file per run\n"
	    "  --alias N=P    profile name N (a detected name or host) is profile P,\n"
	    "                 wherever a profile is named; repeatable\n"
	    "  --max-unpacked SIZE  most bytes decompressed from one archive or .gz\n"
	    "                 member (K, M, G, T suffixes; default 64G)\n"
	    "  --max-ratio N  most decompressed bytes per compressed byte, checked past\n"
	    "                 64M (default 1000): stops decompression bombs\n"
	    "  -h, --help     this help\n"
	    "  -V, --version  the version\n\nformats:\n");
	for (size_t i = 0; pk_readers[i]; i++)
		fprintf(f, "  %-16s %s\n", pk_readers[i]->name, pk_readers[i]->description);
	fprintf(f, "\nexit: 0 all loaded, 1 loaded but some input rejected, 2 usage,\n"
	           "      3 nothing to read (no PATH, or folders without files),\n"
	           "      4 runtime error (a path unreadable, database failure)\n");
}

/* A size: a positive number with an optional K, M, G or T (powers of 1024);
 * -1 when it is none. */
static int64_t parse_size(const char *s)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	const char *units = "KMGT", *u = *end ? strchr(units, *end) : NULL;
	if (end == s || errno == ERANGE || !(v > 0) || (*end && (!u || end[1])))
		return -1;
	for (const char *k = units; u && k <= u; k++)
		v *= 1024;
	return v < 9.2e18 ? (int64_t)v : -1;
}

/* The progress line on a terminal: percentage of the bytes of the run and
 * the time left at the rate so far, redrawn at most 5 times a second. */
struct progress_view {
	double t0, last;     /* seconds: start, last drawn */
	int shown;           /* a progress line is on the terminal */
	struct pk_diag_printer *printer;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* "42 s", "3 min 05 s", "2 h 07 min" */
static void put_duration(struct pk_buf *b, double s)
{
	long t = s < 0 ? 0 : s > 1e9 ? 1000000000L : (long)(s + 0.5);
	if (t < 60)
		pk_buf_printf(b, "%ld s", t);
	else if (t < 3600)
		pk_buf_printf(b, "%ld min %02ld s", t / 60, t % 60);
	else
		pk_buf_printf(b, "%ld h %02ld min", t / 3600, t / 60 % 60);
}

static void progress(void *ctx, const struct pk_progress *p)
{
	struct progress_view *v = ctx;
	double t = now_s();
	int finished = p->total > 0 && p->done >= p->total;
	if (v->last > 0 && t - v->last < 0.2 && !finished)
		return;
	v->last = t;
	struct pk_buf b = PK_BUF_INIT;
	pk_buf_puts(&b, "\r\033[Kperfingest: ");
	if (p->total > 0) {
		double frac = (double)p->done / (double)p->total;
		if (frac > 1)
			frac = 1;
		pk_buf_printf(&b, "%3d%% of %.1f MB", (int)(frac * 100), (double)p->total / 1e6);
		if (p->done > 0 && !finished) {
			pk_buf_puts(&b, ", about ");
			put_duration(&b, (t - v->t0) * (double)(p->total - p->done) / (double)p->done);
			pk_buf_puts(&b, " left");
		}
	} else {
		pk_buf_printf(&b, "%.1f MB", (double)p->bytes / 1e6);
	}
	pk_buf_puts(&b, ": ");
	pk_buf_put_printable(&b, p->file, strlen(p->file));
	if (p->lines > 0)
		pk_buf_printf(&b, ", line %lld", (long long)p->lines);
	if (b.data)
		fputs(b.data, stderr);
	pk_buf_free(&b);
	v->shown = 1;
}

/* Diagnostics on their own lines, not after a progress line. */
static void diag_below_progress(void *ctx, const struct pk_diag *d)
{
	struct progress_view *v = ctx;
	if (v->shown)
		fputs("\r\033[K", stderr);
	v->shown = 0;
	pk_diag_print(v->printer, d);
}

static int cmp_profile(const void *a, const void *b)
{
	return strcmp(((const struct pk_profile_count *)a)->name,
	              ((const struct pk_profile_count *)b)->name);
}

static void summary(struct pk_ingest_result *r, const char *db_path, int dry_run)
{
	if (dry_run) {
		for (size_t i = 0; i < r->nfiles; i++) {
			const struct pk_file_outcome *f = &r->files[i];
			const char *what = f->action == PK_FILE_PLANNED ? "read" :
			                   f->action == PK_FILE_UNCHANGED ? "unchanged" :
			                   f->action == PK_FILE_SKIPPED ? "skip" : "fail";
			printf("%-9s %-10s %s%s%s%s\n", what, f->format ? f->format : "-",
			       f->path, f->note ? "  (" : "", f->note ? f->note : "",
			       f->note ? ")" : "");
		}
		return;
	}
	printf("database:        %s\n", db_path);
	printf("files read:      %lld\n", (long long)r->files_read);
	printf("files unchanged: %lld (skipped)\n", (long long)r->files_unchanged);
	printf("files skipped:   %lld\n", (long long)r->files_skipped);
	for (size_t i = 0; i < r->nfiles; i++)
		if (r->files[i].action == PK_FILE_SKIPPED)
			printf("  %s: %s\n", r->files[i].path, r->files[i].note);
	if (r->files_failed)
		printf("files failed:    %lld\n", (long long)r->files_failed);
	printf("lines read:      %lld (%.1f MB)\n", (long long)r->lines, (double)r->bytes / 1e6);
	if (r->replaced)
		printf("replaced:        %lld records stored before by the files read again\n",
		       (long long)r->replaced);
	printf("new records:     %lld\n", (long long)r->counts.added);
	if (r->counts.nprofiles)
		qsort(r->counts.profiles, r->counts.nprofiles, sizeof *r->counts.profiles, cmp_profile);
	for (size_t i = 0; i < r->counts.nprofiles; i++)
		printf("  %-30s %lld new, %lld already stored\n", r->counts.profiles[i].name,
		       (long long)r->counts.profiles[i].added,
		       (long long)r->counts.profiles[i].duplicates);
	for (size_t i = 0; i < r->counts.ntables; i++)
		printf("  %-30s %lld new, %lld already stored\n", r->counts.tables[i].name,
		       (long long)r->counts.tables[i].added,
		       (long long)r->counts.tables[i].duplicates);
	printf("duplicates:      %lld (already stored, not added)\n", (long long)r->counts.duplicates);
	if (r->counts.completed) {
		printf("completed:       %lld stored records got fields they lacked (",
		       (long long)r->counts.completed);
		for (size_t i = 0; i < r->counts.nfilled; i++)
			printf("%s%s %lld", i ? ", " : "", r->counts.filled[i].name,
			       (long long)r->counts.filled[i].added);
		printf(")\n");
	}
	if (r->counts.conflicting)
		printf("conflicting:     %lld records differ from the stored ones (those are kept; "
		       "each named on stderr)\n", (long long)r->counts.conflicting);
	printf("rejected lines:  %lld\n", (long long)r->counts.rejects);
	if (r->counts.warnings)
		printf("warnings:        %lld (each named on stderr)\n",
		       (long long)r->counts.warnings);
	if (r->pending)
		printf("unfinished:      %lld last line(s) without newline, left for the next run\n",
		       (long long)r->pending);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "force", no_argument, NULL, 'F' },
		{ "source", required_argument, NULL, 's' },
		{ "tz", required_argument, NULL, 'z' },
		{ "columns", required_argument, NULL, 'c' },
		{ "suite", required_argument, NULL, 'S' },
		{ "run-time", required_argument, NULL, 'r' },
		{ "alias", required_argument, NULL, 'a' },
		{ "max-unpacked", required_argument, NULL, 'u' },
		{ "max-ratio", required_argument, NULL, 'x' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db_opt = NULL;
	struct pk_ingest_opts opts = { 0 };
	opts.run_time_us = INT64_MIN;
	char **aliases = NULL;
	size_t naliases = 0;
	const char *why;
	int c;
	while ((c = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': db_opt = optarg; break;
		case 'f':
			if (!pk_reader_find(optarg)) {
				fprintf(stderr, "perfingest: unknown format '%s' (see --help)\n", optarg);
				return PK_EXIT_USAGE;
			}
			opts.format = optarg;
			break;
		case 'n': opts.dry_run = 1; break;
		case 'u':
			if ((opts.max_unpacked = parse_size(optarg)) < 1) {
				fprintf(stderr, "perfingest: --max-unpacked: not a size: '%s'\n", optarg);
				return PK_EXIT_USAGE;
			}
			break;
		case 'x':
			if (pk_cli_parse_positive(optarg, &opts.max_ratio) != 0) {
				fprintf(stderr, "perfingest: --max-ratio: not a positive number: '%s'\n",
				        optarg);
				return PK_EXIT_USAGE;
			}
			break;
		case 'F': opts.force = 1; break;
		case 's': opts.source_name = optarg; break;
		case 'z': {
			struct pk_tz *tz = NULL;
			if (pk_tz_open(optarg, &tz, &why) != PK_OK) {
				fprintf(stderr, "perfingest: --tz: %s: '%s'\n", why, optarg);
				return PK_EXIT_USAGE;
			}
			pk_tz_free(&tz);
			opts.tz = optarg;
			break;
		}
		case 'S':
			if (!*optarg || strlen(optarg) > 256) {
				fprintf(stderr, "perfingest: --suite: expected a name of 1 to 256 bytes\n");
				return PK_EXIT_USAGE;
			}
			opts.suite = optarg;
			break;
		case 'c':
			if ((why = pk_nvsmi_columns_problem(optarg)) != NULL) {
				fprintf(stderr, "perfingest: --columns: %s: '%s'\n", why, optarg);
				return PK_EXIT_USAGE;
			}
			opts.columns = optarg;
			break;
		case 'r':
			if (pk_time_parse_any(optarg, strlen(optarg), &opts.run_time_us, &why) != PK_OK) {
				fprintf(stderr, "perfingest: --run-time: %s: '%s'\n", why, optarg);
				return PK_EXIT_USAGE;
			}
			break;
		case 'a': {
			const char *eq = strchr(optarg, '=');
			if (!eq || eq == optarg || !eq[1]) {
				fprintf(stderr, "perfingest: --alias: expected NAME=PROFILE, got '%s'\n", optarg);
				return PK_EXIT_USAGE;
			}
			char **p = realloc(aliases, (naliases + 1) * sizeof *p);
			if (!p)
				return PK_EXIT_RUNTIME;
			aliases = p;
			aliases[naliases++] = optarg;
			break;
		}
		case 'h': usage(stdout); return PK_EXIT_OK;
		case 'V': pk_cli_version("perfingest"); return PK_EXIT_OK;
		default: usage(stderr); return PK_EXIT_USAGE;
		}
	}
	const char *db_path = pk_db_default_path(db_opt);
	struct pk_buf err = PK_BUF_INIT;
	struct pk_db *db = NULL;
	/* --dry-run never writes: an existing database is only read, a missing
	 * one stands in as an empty database in memory */
	enum pk_status rc = opts.dry_run
		? pk_db_open(access(db_path, F_OK) == 0 ? db_path : ":memory:",
		             access(db_path, F_OK) == 0 ? PK_DB_READONLY : PK_DB_READWRITE, &db, &err)
		: pk_db_open(db_path, PK_DB_READWRITE, &db, &err);
	if (rc != PK_OK) {
		fprintf(stderr, "perfingest: %s\n", err.data ? err.data : pk_status_str(rc));
		pk_buf_free(&err);
		return pk_status_exit(rc == PK_NODATA ? PK_ERR_DB : rc);
	}
	for (size_t i = 0; i < naliases && rc == PK_OK; i++) {
		const char *eq = strchr(aliases[i], '=');
		char *name = strndup(aliases[i], (size_t)(eq - aliases[i]));
		rc = name ? pk_store_alias(db, name, eq + 1) : PK_ERR_NOMEM;
		free(name);
	}
	free(aliases);
	if (rc != PK_OK) {
		fprintf(stderr, "perfingest: --alias: %s\n", pk_db_errmsg(db));
		pk_db_close(&db);
		return pk_status_exit(rc);
	}
	struct pk_diag_printer printer = { stderr, "perfingest", 20, 0, 0 };
	opts.db_path = db_path;
	opts.diag = pk_diag_print;
	opts.diag_ctx = &printer;
	struct progress_view view = { now_s(), 0, 0, &printer };
	if (isatty(STDERR_FILENO)) {
		opts.progress = progress;
		opts.progress_ctx = &view;
		opts.diag = diag_below_progress;
		opts.diag_ctx = &view;
	}
	struct pk_ingest_result res;
	size_t npaths = (size_t)(argc - optind);
	rc = pk_ingest_paths(db, argv + optind, npaths, &opts, &res);
	/* no PATH is a request to read nothing, unless it was only --alias */
	if (npaths == 0 && naliases == 0 && rc == PK_OK) {
		fprintf(stderr, "perfingest: warning: no PATH given, nothing read (see --help)\n");
		rc = PK_NODATA;
	}
	if (opts.progress)
		fprintf(stderr, "\r\033[K");
	if (printer.suppressed)
		fprintf(stderr, "perfingest: %ld more rejected lines not shown "
		        "(all are in the database: SELECT * FROM rejects)\n", printer.suppressed);
	if (rc == PK_ERR_DB)
		fprintf(stderr, "perfingest: %s: %s\n", db_path, pk_db_errmsg(db));
	else if (rc == PK_ERR_NOMEM)
		fprintf(stderr, "perfingest: %s\n", pk_status_str(rc));
	summary(&res, db_path, opts.dry_run);
	pk_ingest_result_free(&res);
	pk_db_close(&db);
	pk_buf_free(&err);
	return pk_status_exit(rc);
}
