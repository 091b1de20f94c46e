/* perfanalyze.c - the perfanalyze tool: the list of sources, statistics of
 * one profile, the comparison of two, and every other analysis.  Thin: the
 * shared options, then the one command of the table (command.h) that the
 * command line names; exit codes from core/status.h. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../core/cli.h"
#include "../core/db.h"
#include "command.h"
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
	/* the commands the head above does not describe */
	int head = 0;
	for (size_t i = 0; pk_commands[i]; i++) {
		if (!pk_commands[i]->help)
			continue;
		if (!head++)
			fprintf(f, "\nanalyses:\n");
		fprintf(f, "  %-30s %s\n", pk_commands[i]->usage, pk_commands[i]->help);
	}
}

static int fail(enum pk_status rc, const char *msg)
{
	fprintf(stderr, "perfanalyze: %s\n", msg ? msg : pk_status_str(rc));
	return pk_status_exit(rc);
}

/* Runs command cmd with the values that follow its option in argv. */
static int run_command(const struct pk_command *cmd, struct pk_cmd_args *a,
                       struct pk_buf *out, struct pk_buf *err)
{
	enum pk_status rc = cmd->run(a, out, err);
	if (rc == PK_ERR_DB && !err->len)
		pk_buf_printf(err, "database: %s", pk_db_errmsg(a->db));
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
	const char *db_opt = NULL;
	int modes = 0;
	double hours = 24;
	int64_t until = INT64_MIN;
	enum pk_format fmt = PK_FMT_TEXT;
	int c;
	while ((c = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': db_opt = optarg; break;
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
					if (cmd->needs)
						fprintf(stderr, "perfanalyze: --%s needs %s: %s\n",
						        cmd->name, cmd->needs, cmd->usage);
					else
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
	ca.db_path = pk_db_default_path(db_opt);
	enum pk_status rc = pk_db_open(ca.db_path, PK_DB_READONLY, &db, &err);
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
