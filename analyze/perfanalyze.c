/* perfanalyze.c - the perfanalyze tool: statistics of one profile, the
 * comparison of two, or the list of profiles.  Thin: options, library calls
 * (analyze/compare.h), a writer (analyze/writers.h); exit codes from
 * core/status.h. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../core/cli.h"
#include "../core/db.h"
#include "../core/query.h"
#include "../core/query_sources.h"
#include "../core/timeutil.h"
#include "command.h"
#include "compare.h"
#include "quality.h"
#include "write_sources.h"
#include "writers.h"

static void usage(FILE *f)
{
	fprintf(f,
	    "usage: perfanalyze [--db FILE] --list\n"
	    "       perfanalyze [--db FILE] --analyze PROFILE [--hours N] [--until TIME]\n"
	    "       perfanalyze [--db FILE] --compare A B [--hours N] [--until TIME]\n"
	    "Statistics of hardware samples stored by perfingest.\n\n"
	    "  --db FILE        database (default: $PERFKIT_DB, else ./perf.db)\n"
	    "  --list           every source in the database (hardware profiles, agent\n"
	    "                   runs, experiments, sessions, benchmarks, registry ...)\n"
	    "                   with counts and time ranges\n"
	    "  --analyze P      count, mean, median, stdev, min, max, p95, p99 per metric\n"
	    "  --compare A B    both profiles' statistics, B-A, B/A, Welch and Mann-Whitney\n"
	    "                   tests, Cohen's d, lag-1 autocorrelation, Welch p adjusted\n"
	    "                   for autocorrelation, and a verdict at alpha 0.05\n"
	    "  --hours N        window length in hours (default 24)\n"
	    "  --until TIME     window end, ISO 8601 (naive = UTC) or epoch seconds;\n"
	    "                   default: each profile's own newest sample\n"
	    "  --format F       text (default), json or csv\n"
	    "  --profile P, --baseline RUN, --baseline-runs N, --threshold X,\n"
	    "  --min-segment N, --alpha A\n"
	    "                   options of the analyses below\n"
	    "  -h, --help       this help\n"
	    "  -V, --version    the version\n\n"
	    "exit: 0 ok, 2 usage, 3 no data (unknown profile, empty window), 4 runtime error\n");
	if (pk_commands[0])
		fprintf(f, "\nanalyses:\n");
	for (size_t i = 0; pk_commands[i]; i++)
		fprintf(f, "  %-30s %s\n", pk_commands[i]->usage, pk_commands[i]->help);
}

static int fail(enum pk_status rc, const char *msg)
{
	fprintf(stderr, "perfanalyze: %s\n", msg ? msg : pk_status_str(rc));
	return pk_status_exit(rc);
}

/* One profile's window and series, loaded on a thread of its own. */
struct load_job {
	const char *db_path, *profile;
	double hours;
	int64_t until;
	struct pk_window *w;
	struct pk_hw_series *s;
	struct pk_buf err;
	enum pk_status rc;
};

static void *load_thread(void *arg)
{
	struct load_job *j = arg;
	struct pk_db *db = NULL;
	j->rc = pk_db_open(j->db_path, PK_DB_READONLY, &db, &j->err);
	if (j->rc == PK_OK)
		j->rc = pk_load_profile_window(db, j->profile, j->hours, j->until, j->w, j->s, &j->err);
	pk_db_close(&db);
	return NULL;
}

/* Runs command cmd with the values that follow its option in argv. */
static int run_command(const struct pk_command *cmd, struct pk_cmd_args *a,
                       struct pk_buf *out, struct pk_buf *err)
{
	enum pk_status rc = cmd->run(a, out, err);
	if (rc != PK_OK)
		return fail(rc, err->data);
	if (fwrite(out->data ? out->data : "", 1, out->len, stdout) != out->len || fflush(stdout) != 0)
		return fail(PK_ERR_IO, "cannot write the output");
	return PK_EXIT_OK;
}

enum { OPT_PROFILE = 1000, OPT_BASELINE, OPT_BASELINE_RUNS, OPT_THRESHOLD,
       OPT_MIN_SEGMENT, OPT_ALPHA, OPT_COMMAND };

int main(int argc, char **argv)
{
	static const struct option base_opts[] = {
		{ "profile", required_argument, NULL, OPT_PROFILE },
		{ "baseline", required_argument, NULL, OPT_BASELINE },
		{ "baseline-runs", required_argument, NULL, OPT_BASELINE_RUNS },
		{ "threshold", required_argument, NULL, OPT_THRESHOLD },
		{ "min-segment", required_argument, NULL, OPT_MIN_SEGMENT },
		{ "alpha", required_argument, NULL, OPT_ALPHA },
		{ "db", required_argument, NULL, 'd' },
		{ "list", no_argument, NULL, 'l' },
		{ "analyze", required_argument, NULL, 'a' },
		{ "compare", required_argument, NULL, 'c' },
		{ "hours", required_argument, NULL, 'H' },
		{ "until", required_argument, NULL, 'u' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
	};
	/* the fixed options, then one per analysis command */
	size_t nbase = sizeof base_opts / sizeof base_opts[0], ncmd = 0;
	while (pk_commands[ncmd])
		ncmd++;
	struct option longopts[sizeof base_opts / sizeof base_opts[0] + 64];
	if (ncmd > 63)
		return PK_EXIT_RUNTIME;
	memcpy(longopts, base_opts, sizeof base_opts);
	for (size_t i = 0; i < ncmd; i++)
		longopts[nbase + i] = (struct option){ pk_commands[i]->name,
			pk_commands[i]->min_args > 0 ? required_argument : no_argument,
			NULL, OPT_COMMAND + (int)i };
	longopts[nbase + ncmd] = (struct option){ NULL, 0, NULL, 0 };
	struct pk_cmd_args ca = { .hours = 24, .until_us = INT64_MIN,
	                          .threshold = NAN, .alpha = NAN };
	const struct pk_command *cmd = NULL;
	char *cmd_args[256];
	char *end;
	const char *db_opt = NULL, *analyze = NULL, *cmp_a = NULL, *cmp_b = NULL;
	int list = 0, modes = 0;
	double hours = 24;
	int64_t until = INT64_MIN;
	enum pk_format fmt = PK_FMT_TEXT;
	int c;
	while ((c = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': db_opt = optarg; break;
		case 'l': list = 1; modes++; break;
		case 'a': analyze = optarg; modes++; break;
		case 'c':
			if (optind >= argc || argv[optind][0] == '-' ) {
				fprintf(stderr, "perfanalyze: --compare needs two profiles: --compare A B\n");
				return PK_EXIT_USAGE;
			}
			cmp_a = optarg;
			cmp_b = argv[optind++];
			modes++;
			break;
		case 'H':
		case 'u': {
			/* the window options: one parser and one message for both tools */
			struct pk_buf why = PK_BUF_INIT;
			ca.hours_given |= c == 'H';
			int bad = c == 'H' ? pk_cli_parse_hours(optarg, &hours, &why)
			                   : pk_cli_parse_until(optarg, &until, &why);
			if (bad)
				bad = fail(PK_USAGE, why.data ? why.data : "bad window option");
			pk_buf_free(&why);
			if (bad)
				return bad;
			break;
		}
		case 'f':
			if (pk_format_parse(optarg, &fmt) != 0) {
				fprintf(stderr, "perfanalyze: --format: expected text, json or csv, got '%s'\n", optarg);
				return PK_EXIT_USAGE;
			}
			break;
		case OPT_PROFILE: ca.profile = optarg; break;
		case OPT_BASELINE: ca.baseline = optarg; break;
		case OPT_BASELINE_RUNS:
			errno = 0;
			ca.baseline_runs = strtol(optarg, &end, 10);
			if (!*optarg || *end || errno || ca.baseline_runs < 1) {
				fprintf(stderr, "perfanalyze: --baseline-runs: expected a positive whole number, got '%s'\n", optarg);
				return PK_EXIT_USAGE;
			}
			break;
		case OPT_THRESHOLD:
			errno = 0;
			ca.threshold = strtod(optarg, &end);
			if (!*optarg || *end || errno || !isfinite(ca.threshold)) {
				fprintf(stderr, "perfanalyze: --threshold: expected a number, got '%s'\n", optarg);
				return PK_EXIT_USAGE;
			}
			break;
		case OPT_MIN_SEGMENT:
			errno = 0;
			ca.min_segment = strtol(optarg, &end, 10);
			if (!*optarg || *end || errno || ca.min_segment < 2) {
				fprintf(stderr, "perfanalyze: --min-segment: expected a whole number >= 2, got '%s'\n", optarg);
				return PK_EXIT_USAGE;
			}
			break;
		case OPT_ALPHA:
			errno = 0;
			ca.alpha = strtod(optarg, &end);
			if (!*optarg || *end || errno || !(ca.alpha > 0 && ca.alpha < 1)) {
				fprintf(stderr, "perfanalyze: --alpha: expected a number between 0 and 1, got '%s'\n", optarg);
				return PK_EXIT_USAGE;
			}
			break;
		case 'h': usage(stdout); return PK_EXIT_OK;
		case 'V': pk_cli_version("perfanalyze"); return PK_EXIT_OK;
		default:
			if (c >= OPT_COMMAND && c < OPT_COMMAND + (int)ncmd) {
				cmd = pk_commands[c - OPT_COMMAND];
				modes++;
				ca.nargs = 0;
				if (cmd->min_args > 0)
					cmd_args[ca.nargs++] = optarg;
				/* more values: the arguments that follow, up to the next option */
				while (optind < argc && argv[optind][0] != '-' &&
				       (cmd->max_args < 0 || (int)ca.nargs < cmd->max_args) &&
				       ca.nargs < sizeof cmd_args / sizeof cmd_args[0])
					cmd_args[ca.nargs++] = argv[optind++];
				if ((int)ca.nargs < cmd->min_args) {
					fprintf(stderr, "perfanalyze: usage: %s\n", cmd->usage);
					return PK_EXIT_USAGE;
				}
				ca.args = cmd_args;
				break;
			}
			usage(stderr);
			return PK_EXIT_USAGE;
		}
	}
	if (modes != 1 || optind != argc) {
		fprintf(stderr, "perfanalyze: give exactly one of --list, --analyze P, --compare A B%s\n",
		        ncmd ? " or an analysis (see --help)" : "");
		usage(stderr);
		return PK_EXIT_USAGE;
	}
	struct pk_buf err = PK_BUF_INIT, out = PK_BUF_INIT;
	struct pk_db *db = NULL;
	enum pk_status rc = pk_db_open(pk_db_default_path(db_opt), PK_DB_READONLY, &db, &err);
	if (cmd) {
		int code = rc == PK_OK ? 0 : fail(rc, err.data);
		if (rc == PK_OK) {
			ca.db = db;
			ca.fmt = fmt;
			ca.hours = hours;
			ca.until_us = until;
			code = run_command(cmd, &ca, &out, &err);
		}
		pk_buf_free(&out);
		pk_buf_free(&err);
		pk_db_close(&db);
		return code;
	}
	if (rc == PK_OK && list) {
		struct pk_sources src;
		rc = pk_query_sources(db, &src);
		if (rc == PK_OK) {
			rc = pk_write_sources(&out, fmt, &src);
			pk_sources_free(&src);
		}
	} else if (rc == PK_OK && analyze) {
		struct pk_window w;
		struct pk_hw_series s = { 0 };
		struct pk_analysis a = { 0 };
		rc = pk_load_profile_window(db, analyze, hours, until, &w, &s, &err);
		if (rc == PK_OK)
			rc = pk_analyze_series(analyze, &w, &s, &a);
		if (rc == PK_OK)
			rc = pk_data_quality_add_sources(db, analyze, &s, &a.quality);
		if (rc == PK_OK)
			rc = pk_write_analysis(&out, fmt, &a);
		pk_analysis_free(&a);
		pk_hw_series_free(&s);
	} else if (rc == PK_OK) {
		struct pk_window wa, wb;
		struct pk_hw_series sa = { 0 }, sb = { 0 };
		struct pk_compare cmp = { 0 };
		/* B loads on a second thread with its own connection while A loads
		 * here: reading a year of samples is half of a comparison's time */
		struct load_job jb = { pk_db_default_path(db_opt), cmp_b, hours, until,
		                       &wb, &sb, PK_BUF_INIT, PK_OK };
		pthread_t tid;
		int threaded = pthread_create(&tid, NULL, load_thread, &jb) == 0;
		rc = pk_load_profile_window(db, cmp_a, hours, until, &wa, &sa, &err);
		if (threaded)
			pthread_join(tid, NULL);
		else
			jb.rc = pk_load_profile_window(db, cmp_b, hours, until, &wb, &sb, &jb.err);
		if (rc == PK_OK && jb.rc != PK_OK) {
			rc = jb.rc;
			pk_buf_puts(&err, jb.err.data ? jb.err.data : pk_status_str(rc));
		}
		pk_buf_free(&jb.err);
		if (rc == PK_OK)
			rc = pk_compare_series(cmp_a, &wa, &sa, cmp_b, &wb, &sb, &cmp);
		if (rc == PK_OK)
			rc = pk_data_quality_add_sources(db, cmp_a, &sa, &cmp.quality_a);
		if (rc == PK_OK)
			rc = pk_data_quality_add_sources(db, cmp_b, &sb, &cmp.quality_b);
		if (rc == PK_OK)
			rc = pk_write_compare(&out, fmt, &cmp);
		pk_compare_free(&cmp);
		pk_hw_series_free(&sa);
		pk_hw_series_free(&sb);
	}
	if (rc == PK_ERR_DB && !err.len && db)
		pk_buf_printf(&err, "database: %s", pk_db_errmsg(db));
	int code = PK_EXIT_OK;
	if (rc != PK_OK)
		code = fail(rc, err.data);
	else if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0)
		code = fail(PK_ERR_IO, "cannot write the output");
	pk_buf_free(&out);
	pk_buf_free(&err);
	pk_db_close(&db);
	return code;
}
