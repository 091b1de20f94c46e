/* perfreport.c - the perfreport tool: writes a report (two profiles
 * compared, the weekly hardware requirements, one or several experiments, a
 * session, benchmark regressions, throttling) as Markdown or HTML with
 * gnuplot charts, or (--all) every report the database supports with an
 * index.  Thin: options, then the report's pk_report_* function;
 * exit codes from core/status.h. */
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/cli.h"
#include "../core/diag.h"
#include "../core/status.h"
#include "../core/timeutil.h"
#include "report_all.h"
#include "report_compare.h"
#include "report_requirements.h"
#include "report_experiment.h"
#include "report_regress.h"
#include "report_session.h"
#include "report_throttle.h"

static void usage(FILE *f)
{
	fprintf(f,
	    "usage: perfreport [--db FILE] --compare A B [--hours N] [--until TIME]\n"
	    "                  --output FILE.md|FILE.html [--templates DIR]\n"
	    "       perfreport [--db FILE] --requirements [--week YYYY-Www]\n"
	    "                  [--profiles A,B,...] --output FILE [--templates DIR]\n"
	    "       perfreport [--db FILE] --experiment ID --output FILE [--templates DIR]\n"
	    "       perfreport [--db FILE] --experiments ID... --output FILE [--templates DIR]\n"
	    "       perfreport [--db FILE] --session ID --output FILE [--templates DIR]\n"
	    "       perfreport [--db FILE] --regressions [SUITE] --output FILE [--templates DIR]\n"
	    "       perfreport [--db FILE] --throttling PROFILE [--hours N] [--until TIME]\n"
	    "                  [--threshold C] --output FILE [--templates DIR]\n"
	    "       perfreport [--db FILE] --all --outdir DIR [--format html|md]\n"
	    "                  [--templates DIR]\n"
	    "--compare: profiles A and B side by side: both windows, a table of every\n"
	    "metric with tests and verdicts, findings, methods and charts.\n"
	    "--requirements: the weekly hardware-requirements report.\n"
	    "--experiment: one LLM experiment for publication (cycle timeline, timing\n"
	    "breakdown, memory and tokens/s trends with OLS and Theil-Sen, bottlenecks,\n"
	    "crashes, system information, recommendations, methods); --experiments:\n"
	    "several side by side, each tested against the first.  --session: an app\n"
	    "session's load levels per module and over time, beside the app's own.\n"
	    "--regressions: each benchmark series' history with its baseline band and\n"
	    "change points, the latest run against the baseline, revisions.\n"
	    "--throttling: hot-GPU episodes on a timeline with their CPU frequency and\n"
	    "GPU utilisation drops.\n"
	    "--all: every report the database supports into DIR (the requirements\n"
	    "report, consecutive profiles compared in name order, throttling per\n"
	    "profile, one report per experiment, session and benchmark suite) and\n"
	    "DIR/index.html linking them with a summary each; a report whose inputs\n"
	    "did not change since the last run (DIR/.perfkit-index) is kept.\n"
	    "Beside FILE it writes FILE.gp (the gnuplot script) and FILE_charts/\n"
	    "(the charts as SVG); the HTML report holds its charts inline.\n\n"
	    "  --db FILE         database (default: $PERFKIT_DB, else ./perf.db)\n"
	    "  --compare A B     the two profiles\n"
	    "  --requirements    the weekly hardware-requirements report (alias\n"
	    "                    --bloomos): minimum, recommended and optimal hardware\n"
	    "                    with evidence, exclusions, comparisons, targets, and\n"
	    "                    the change since last week\n"
	    "  --week YYYY-Www   the ISO week (default: the last full week of data)\n"
	    "  --profiles LIST   only these profiles (default: every profile)\n"
	    "  --experiment ID   one experiment\n"
	    "  --experiments ID...  experiments (the arguments up to the next option)\n"
	    "  --session ID      one app session (F6)\n"
	    "  --regressions [SUITE]  benchmark series of SUITE (default: every suite)\n"
	    "  --throttling PROFILE  throttling episodes of one profile\n"
	    "  --threshold C     --throttling: hot above C degrees Celsius (default: the\n"
	    "                    registry's limit for the profile, else 80)\n"
	    "  --hours N         window of N hours ending at --until, else at each\n"
	    "                    profile's newest sample (default 24, as perfanalyze)\n"
	    "  --until TIME      end of the windows, ISO 8601 (naive = UTC) or epoch\n"
	    "                    seconds\n"
	    "  --output FILE     FILE.md for Markdown, FILE.html for HTML\n"
	    "  --all             every report, into --outdir DIR\n"
	    "  --outdir DIR      --all: the folder (it must exist)\n"
	    "  --format FMT      --all: html (default) or md\n"
	    "  --templates DIR   report.html and report.css from DIR instead of the\n"
	    "                    built-in ones (placeholders {{title}}, {{css}},\n"
	    "                    {{body}}, {{generator}})\n"
	    "  -h, --help        this help\n"
	    "  -V, --version     the version\n\n"
	    "environment: PERFKIT_GNUPLOT (gnuplot program), SOURCE_DATE_EPOCH\n"
	    "(the generated-at stamp), PERFKIT_DB\n"
	    "exit: 0 written, 2 usage, 3 no data (unknown profile, experiment, session\n"
	    "      or suite, empty window),\n"
	    "      4 runtime error (database, files, gnuplot)\n");
}

static int fail(enum pk_status st, const char *msg)
{
	fprintf(stderr, "perfreport: %s\n", msg);
	return (int)pk_status_exit(st);
}

static int usage_error(const char *what, const char *arg)
{
	struct pk_buf b = PK_BUF_INIT;
	pk_buf_puts(&b, what);
	if (arg) {
		pk_buf_puts(&b, " '");
		pk_buf_put_printable(&b, arg, strlen(arg));
		pk_buf_puts(&b, "'");
	}
	pk_buf_puts(&b, " (perfreport --help shows the options)");
	int rc = fail(PK_USAGE, b.data ? b.data : what);
	pk_buf_free(&b);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "compare", required_argument, NULL, 'c' },
		{ "hours", required_argument, NULL, 'H' },
		{ "until", required_argument, NULL, 'u' },
		{ "output", required_argument, NULL, 'o' },
		{ "templates", required_argument, NULL, 't' },
		{ "requirements", no_argument, NULL, 'R' },
		{ "bloomos", no_argument, NULL, 'R' },
		{ "week", required_argument, NULL, 'w' },
		{ "profiles", required_argument, NULL, 'P' },
		{ "experiment", required_argument, NULL, 'e' },
		{ "experiments", required_argument, NULL, 'E' },
		{ "session", required_argument, NULL, 's' },
		{ "regressions", no_argument, NULL, 'r' },
		{ "throttling", required_argument, NULL, 'T' },
		{ "threshold", required_argument, NULL, 'C' },
		{ "all", no_argument, NULL, 'A' },
		{ "outdir", required_argument, NULL, 'O' },
		{ "format", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct pk_report_opts o;
	memset(&o, 0, sizeof o);
	o.until_us = INT64_MIN;
	o.hours = 24;   /* as perfanalyze: the same command line, the same numbers */
	struct pk_req_opts qo;
	memset(&qo, 0, sizeof qo);
	int requirements = 0;
	const char *one_id = NULL, *session = NULL, *suite = NULL, *throttling = NULL;
	double threshold = NAN;
	int regressions = 0, hours_given = 0, all = 0;
	const char *outdir = NULL, *format = NULL;
	const char **ids = NULL;
	size_t nids = 0;
	int c;
	opterr = 0;
	/* '+': no reordering, so that B, the argument after --compare A, stays
	 * where it is and can be taken from argv. */
	while ((c = getopt_long(argc, argv, "+hV", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			o.db_path = optarg;
			break;
		case 'c':
			if (optind >= argc)
				return usage_error("--compare needs two profiles: --compare A B", NULL);
			o.a = optarg;
			o.b = argv[optind++];
			break;
		case 'H':
		case 'u': {
			/* the window options: one parser and one message for both tools */
			struct pk_buf why = PK_BUF_INIT;
			hours_given |= c == 'H';
			int bad = c == 'H' ? pk_cli_parse_hours(optarg, &o.hours, &why)
			                   : pk_cli_parse_until(optarg, &o.until_us, &why);
			if (bad)
				bad = fail(PK_USAGE, why.data ? why.data : "bad window option");
			pk_buf_free(&why);
			if (bad)
				return bad;
			break;
		}
		case 'R':
			requirements = 1;
			break;
		case 'w':
			qo.week = optarg;
			break;
		case 'P':
			qo.profiles = optarg;
			break;
		case 'e':
			if (optarg[0] == '-' && optarg[1] == '-')
				return usage_error("--experiment needs an experiment id, not", optarg);
			one_id = optarg;
			break;
		case 'E':
			if (optarg[0] == '-')
				return usage_error("--experiments needs experiment ids, not", optarg);
			/* the ids: this argument and those after it up to an option */
			ids = (const char **)&argv[optind - 1];
			nids = 1;
			while (optind < argc && argv[optind][0] != '-') {
				optind++;
				nids++;
			}
			break;
		case 's':
			session = optarg;
			break;
		case 'T':
			throttling = optarg;
			break;
		case 'C': {
			char *end = NULL;
			threshold = strtod(optarg, &end);
			if (!end || end == optarg || *end || !isfinite(threshold))
				return usage_error("--threshold needs a temperature in degrees Celsius, not",
				                   optarg);
			break;
		}
		case 'r':
			/* an optional SUITE: the next argument when it is not an option */
			regressions = 1;
			if (optind < argc && argv[optind][0] != '-')
				suite = argv[optind++];
			break;
		case 'o':
			o.output = optarg;
			break;
		case 'A':
			all = 1;
			break;
		case 'O':
			outdir = optarg;
			break;
		case 'F':
			if (strcmp(optarg, "html") != 0 && strcmp(optarg, "md") != 0)
				return usage_error("--format needs html or md, not", optarg);
			format = optarg;
			break;
		case 't':
			o.templates = optarg;
			break;
		case 'h':
			usage(stdout);
			return PK_EXIT_OK;
		case 'V':
			pk_cli_version("perfreport");
			return PK_EXIT_OK;
		default:
			return usage_error("unknown option or missing argument:",
			                   optind > 0 && optind <= argc ? argv[optind - 1] : "?");
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument", argv[optind]);
	int kinds = !!o.a + requirements + !!one_id + !!ids + !!session + regressions +
	            !!throttling + all;
	if (kinds > 1)
		return usage_error("give only one report option", NULL);
	if (!requirements && (qo.week || qo.profiles))
		return usage_error("--week and --profiles go with --requirements", NULL);
	if (kinds == 0)
		return usage_error("missing the report option (--compare A B, --requirements, "
		                   "--experiment ID ...)", NULL);
	if ((outdir || format) && !all)
		return usage_error("--outdir and --format go with --all", NULL);
	if (all && o.output)
		return usage_error("--all writes into --outdir DIR, not --output", NULL);
	if (all && !outdir)
		return usage_error("missing --outdir DIR for --all", NULL);
	if (!o.output && !all)
		return usage_error("missing --output FILE.md or FILE.html", NULL);
	if (!isnan(threshold) && !throttling)
		return usage_error("--threshold belongs to --throttling", NULL);
	if ((hours_given || o.until_us != INT64_MIN) && !o.a && !throttling)
		return usage_error("--hours and --until belong to --compare and --throttling "
		                   "(the other reports read everything)", NULL);

	struct pk_buf err = PK_BUF_INIT;
	enum pk_status st;
	if (all) {
		struct pk_buf log = PK_BUF_INIT;
		struct pk_report_all_opts ao = { o.db_path, outdir,
		                                 format && !strcmp(format, "md"), o.templates,
		                                 NULL, &log };
		st = pk_report_all(&ao, &err);
		if (log.len)
			fwrite(log.data, 1, log.len, stdout);
		pk_buf_free(&log);
	} else if (o.a) {
		st = pk_report_compare(&o, &err);
	} else if (requirements) {
		qo.db_path = o.db_path;
		qo.output = o.output;
		qo.templates = o.templates;
		st = pk_report_requirements(&qo, &err);
	} else if (throttling) {
		struct pk_report_throttle_opts to = { o.db_path, throttling, o.hours, o.until_us,
		                                      threshold, o.output, o.templates, NULL, NULL,
		                                      0 };
		st = pk_report_throttle(&to, &err);
	} else if (regressions) {
		struct pk_report_regress_opts ro = { o.db_path, suite, o.output, o.templates, NULL,
		                                      NULL };
		st = pk_report_regress(&ro, &err);
	} else if (session) {
		struct pk_report_session_opts so = { o.db_path, session, o.output, o.templates, NULL,
		                                      NULL };
		st = pk_report_session(&so, &err);
	} else {
		struct pk_report_exp_opts eo = { o.db_path, ids ? ids : &one_id,
		                                 ids ? nids : 1, ids != NULL, o.output,
		                                 o.templates, NULL, NULL };
		st = pk_report_experiment(&eo, &err);
	}
	int rc = PK_EXIT_OK;
	if (st != PK_OK)
		rc = fail(st, err.len ? err.data : pk_status_str(st));
	pk_buf_free(&err);
	return rc;
}
